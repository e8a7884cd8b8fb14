#!/bin/sh
# The word diff (Myers on words): what preport impact shows of a changed article.
cd "$(dirname "$0")/.." && exec tests/unit/test-wdiff
