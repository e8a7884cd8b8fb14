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

step "punit add ...   # the agency's units, each with its own address"
punit add head --name "ریاست" --email head@agency.example.ir
punit add permits --name "واحد صدور پروانه" --email permits@agency.example.ir --parent head
punit add enforcement --name "واحد نظارت و اجرا" --email enforce@agency.example.ir --parent head
punit add inspection --name "واحد بازرسی و پاسخگویی به شکایات" --parent head
punit add committee --name "کمیته پیشنهادها" --parent head
punit list -f table

step 'pservice add building-permit --unit permits --deadline 15 ...'
pservice add building-permit --name "صدور پروانه ساختمانی" --unit permits --deadline 15 \
	--documents "سند مالکیت، نقشه" --fees "بر اساس تعرفه"
printf 'routes = %s\n' "$top/share/partake/routes.example" >> "$PARTAKE_CONFIG"

step "pcase-new --batch < share/partake/examples/cases.jsonl"
pcase-new --batch < "$top/share/partake/examples/cases.jsonl"

step 'pcase-new --kind complaint --channel desk --subject "صف طولانی در باجه‌ها" --phone 0912-765-4321'
code=$(pcase-new --kind complaint --channel desk --subject "صف طولانی در باجه‌ها" --phone 0912-765-4321)
echo "$code"

step "pcase-list --state new | pcase-route --auto      # by share/partake/routes.example"
pcase-list --state new | pcase-route --auto || true

step pcase-list -f table
pcase-list -f table

step "pcase-list --overdue -f table        # the nightly job's list"
pcase-list --overdue -f table || echo "(none overdue)"

step "pcase-list --due-within 3 -f table"
pcase-list --due-within 3 -f table || echo "(none due within 3 working days)"

step 'pcase-list --query "كوچه 12" -f table   # Arabic kaf and Latin digits find Persian text'
pcase-list --query "كوچه 12" -f table

step "a complaint's walk: routed, in progress, a question to the citizen, answered, closed"
pcase-route --to permits "$code"
pcase-status --set in-progress "$code"
PARTAKE_NOW="2026-11-23T08:00:00Z" pcase-status --set waiting --note "لطفاً شماره باجه را بفرمایید" "$code"
PARTAKE_NOW="2026-11-25T08:00:00Z" pcase-status --set in-progress "$code"
PARTAKE_NOW="2026-11-25T09:00:00Z" pcase-answer "$code" --outcome accepted --action process \
	--text "نوبت‌دهی باجه‌ها اصلاح شد."
PARTAKE_NOW="2026-11-26T09:00:00Z" pcase-status --set closed "$code"

step "pcase-status $code"
pcase-status "$code"

step "a suggestion before the committee"
sugg=$(pcase-list --kind suggestion)
pcase-review "$sugg" --open
pcase-review "$sugg" --member "خانم رضوی" --opinion approve --note "صف‌ها کوتاه می‌شود"
pcase-review "$sugg" --member "آقای کاظمی" --opinion approve
pcase-review "$sugg" --member "آقای نادری" --opinion reject --note "هزینه دارد"
pcase-review "$sugg" --summary -f table
pcase-review "$sugg" --decide accepted --action system --note "نوبت‌دهی اینترنتی راه‌اندازی می‌شود."

step "pcase-status --public $code"
pcase-status --public "$code"

step "pcase-list --kind complaint | pcase-status -f json | head -1"
pcase-list --kind complaint | pcase-status -f json | head -1

step "pcal add 1405-09-01 10 --explain"
pcal add 1405-09-01 10 --explain -f table

step "pcal month 1405-01"
pcal month 1405-01

step "the nightly job: escalate what is overdue, once per level"
pcase-list --overdue --unnotified 1 | pcase-route --escalate --level 1 || true
pcase-list --overdue --unnotified 1 | pcase-route --escalate --level 1 || echo "(nothing new to escalate)"

step "sqlite3 partake.db 'SELECT channel, recipient, body FROM outbox'   # what pnotify will send"
sqlite3 -separator ' | ' "$PARTAKE_DB" "SELECT channel, recipient, replace(body, char(10), ' / ') FROM outbox ORDER BY id LIMIT 8"

step pdb check
pdb check
