#!/bin/sh
# make demo: the day's main job on a throw-away database with sample cases,
# showing what an admin sees. Nothing outside a temporary folder is touched.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
demo=$(mktemp -d "${TMPDIR:-/tmp}/partake-demo.XXXXXX")
trap 'rm -rf "$demo"' EXIT
export PARTAKE_DB="$demo/partake.db" PARTAKE_CONFIG="$demo/partake.conf"
export PARTAKE_NOW="2026-11-22T08:00:00Z" PARTAKE_USER=demo
printf 'holidays_dir = %s\ntemplates_dir = %s\nsite_url = https://mardom.example.ir\n' \
	"$top/share/partake/holidays" "$top/share/partake/templates" > "$PARTAKE_CONFIG"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold='\033[1m' plain='\033[0m'; else bold= plain=; fi
step() { printf "\n$bold\$ %s$plain\n" "$*"; }

step pdb init
pdb init

step "pcase-new --batch < share/partake/examples/cases.jsonl"
pcase-new --batch < "$top/share/partake/examples/cases.jsonl"

step 'pcase-new --kind complaint --channel desk --subject "صف طولانی در باجه‌ها" --phone 0912-765-4321'
code=$(pcase-new --kind complaint --channel desk --subject "صف طولانی در باجه‌ها" --phone 0912-765-4321)
echo "$code"

step pcase-list -f table
pcase-list -f table

step "pcase-list --overdue -f table        # the nightly job's list"
pcase-list --overdue -f table || echo "(none overdue)"

step "pcase-list --due-within 3 -f table"
pcase-list --due-within 3 -f table || echo "(none due within 3 working days)"

step 'pcase-list --query "كوچه 12" -f table   # Arabic kaf and Latin digits find Persian text'
pcase-list --query "كوچه 12" -f table

step "pcase-status $code"
pcase-status "$code"

step "pcase-status --public $code"
pcase-status --public "$code"

step "pcase-list --kind complaint | pcase-status -f json | head -1"
pcase-list --kind complaint | pcase-status -f json | head -1

step "pcal add 1405-09-01 10 --explain"
pcal add 1405-09-01 10 --explain -f table

step "pcal month 1405-01"
pcal month 1405-01

step pdb check
pdb check
