#!/bin/sh
# The jalali module against ICU's Persian calendar over 1206–1498 AP, and the table's ends.
cd "$(dirname "$0")/.." && exec tests/unit/test-jalali-icu
