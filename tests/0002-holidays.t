#!/bin/sh
# Every shipped holiday row: both dates agree, sorted, unique, every year complete.
cd "$(dirname "$0")/.." && exec tests/unit/test-holidays share/partake/holidays
