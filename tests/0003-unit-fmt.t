#!/bin/sh
# The printer's C unit tests: every backend, byte for byte.
cd "$(dirname "$0")/.." && exec tests/unit/test-fmt
