#!/bin/sh
# The store's C unit tests: a write transaction begins with every read ended.
cd "$(dirname "$0")/.." && exec tests/unit/test-store
