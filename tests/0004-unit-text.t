#!/bin/sh
# The text module's and the line reader's C unit tests: what text may hold, how a terminal sees it, what a message quotes.
cd "$(dirname "$0")/.." && exec tests/unit/test-text
