#!/bin/sh
# make demo: the day's main job on a throw-away database with sample cases,
# showing what an admin sees. Nothing outside a temporary folder is touched.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
# PARTAKE_DEMO_DIR: make the demo's database there and keep it (make demo-web).
if [ -n "${PARTAKE_DEMO_DIR:-}" ]; then
	demo=$PARTAKE_DEMO_DIR
	keep=1
else
	demo=$(mktemp -d "${TMPDIR:-/tmp}/partake-demo.XXXXXX")
	trap 'rm -rf "$demo"' EXIT
fi
export PARTAKE_DB="$demo/partake.db" PARTAKE_CONFIG="$demo/partake.conf"
export PARTAKE_NOW="2026-11-22T08:00:00Z" PARTAKE_USER=demo
printf 'holidays_dir = %s\ntemplates_dir = %s\nsite_url = https://mardom.example.ir\n' \
	"$top/share/partake/holidays" "$top/share/partake/templates" > "$PARTAKE_CONFIG"

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold='\033[1m' plain='\033[0m'; else bold= plain=; fi
# What the commands say on stderr (a case no rule matches, the summary of
# a run) is part of the demo: shown in its place, not apart.
exec 2>&1
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

step "pcase-list --state new | pcase-route --auto --dry-run -f table   # try the rules first"
pcase-list --state new | pcase-route --auto --dry-run -f table || true

step "pcase-list --state new | pcase-route --auto      # by share/partake/routes.example"
pcase-list --state new | pcase-route --auto || true

step 'pcase-edit --phone 0912-765-4312 --reason "شماره اشتباه ثبت شده بود" CODE   # a mistyped phone'
pcase-edit --phone 0912-765-4312 --reason "شماره اشتباه ثبت شده بود" "$code"

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
# The rest of the day's work comes after the walk: the chain's time never goes back.
export PARTAKE_NOW="2026-11-26T10:00:00Z"

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

step "pnotify --dry-run -f table | head -8      # what is queued to go out"
pnotify --dry-run -f table | head -8

# A mail server and an SMS gateway of our own, on loopback, to receive it all.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$demo/mail" 2>/dev/null &
smtp=$!
python3 "$top/tests/gateway.py" 0 "$demo/sms.jsonl" 120 >"$demo/gateway.out" &
gateway=$!
trap 'kill $smtp $gateway 2>/dev/null; [ -n "${keep:-}" ] || rm -rf "$demo"' EXIT
i=0
while [ $i -lt 50 ] && ! grep -q '^listening' "$demo/gateway.out"; do sleep 0.1; i=$((i + 1)); done
gwport=$(sed -n 's/^listening //p' "$demo/gateway.out")
printf 'demo-key\n' >"$demo/sms.key"
printf 'smtp_url = smtp://127.0.0.1:%s\nmail_from = notices@agency.example.ir\nsms_url = http://127.0.0.1:%s\nsms_key_file = %s\n' \
	"$port" "$gwport" "$demo/sms.key" >>"$PARTAKE_CONFIG"
i=0
while [ $i -lt 50 ] && ! python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' "$port" 2>/dev/null; do
	sleep 0.1; i=$((i + 1))
done

step "pnotify      # mail to a local SMTP server, SMS to a local gateway; prints each item sent"
pnotify | tr '\n' ' '
echo

step "what the mail server received"
python3 - "$demo/mail" <<'PY'
import mailbox, sys
from email import policy
from email.parser import BytesParser
box = mailbox.Maildir(sys.argv[1], create=False)
for key in sorted(box.keys()):
    m = BytesParser(policy=policy.default).parsebytes(box.get_bytes(key))
    print("  %-28s %s" % (m["To"], m["Subject"]))
PY

step "what the SMS gateway received"
python3 -c 'import json, sys
for line in open(sys.argv[1]):
    f = json.loads(line)["form"]
    print("  %s  %s" % (f["receptor"], f["message"].replace("\n", " / ")))' "$demo/sms.jsonl"

step "pnotify --list --state sent -f table | head -4"
pnotify --list --state sent -f table | head -4

step "pcase-list --state closed | psurvey-invite   # the satisfaction survey, by SMS or mail"
pcase-list --state closed | psurvey-invite

step "psurvey-record --batch   # the closed cases' answers, and a desk's poll box"
{
	for c in $(pcase-list --state closed); do
		printf '{"case":"%s","information":4,"timeliness":3,"responsiveness":5,"overall":4,"comment":"نوبت‌دهی اینترنتی هم باشد","constructive":true}\n' "$c"
	done
	for v in 5 4 4 2 5 3 4 5; do
		printf '{"unit":"permits","channel":"desk","information":%d,"timeliness":%d,"responsiveness":4,"overall":%d}\n' "$v" $((6 - v / 2)) "$v"
	done
} | psurvey-record --batch

step "psurvey-summary --by unit -f table"
psurvey-summary --by unit -f table

step "psurvey-summary --by unit -f svg > satisfaction.svg   # a chart for the monthly report"
psurvey-summary --by unit -f svg > "$demo/satisfaction.svg"
echo "satisfaction.svg: $(wc -c < "$demo/satisfaction.svg") bytes, $(grep -c '<rect' "$demo/satisfaction.svg") bars"

step "psurvey-summary --comments -f json | pcase-new --batch   # constructive views to the committee"
psurvey-summary --comments -f json | pcase-new --batch

step pdb check
pdb check

# Channels in (issue 13): a mail through a local SMTP server into pcase-mail,
# and an SMS polled from the test gateway into pcase-sms.
step "a citizen's Persian mail to permits@ through a local SMTP server whose pipe is pcase-mail"
/usr/bin/python3 "$top/tests/mailgate.py" 0 60 "$top/bin/pcase-mail" >"$demo/gate.out" 2>"$demo/gate.err" &
gate=$!
trap 'kill $smtp $gateway $gate $inbox_gw 2>/dev/null; [ -n "${keep:-}" ] || rm -rf "$demo"' EXIT
i=0
while [ $i -lt 50 ] && ! grep -q '^listening' "$demo/gate.out"; do sleep 0.1; i=$((i + 1)); done
/usr/bin/python3 - "$(sed -n 's/^listening //p' "$demo/gate.out")" <<'PY'
import smtplib, sys
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "مریم احمدی <maryam@example.com>"
m["To"] = "permits@agency.example.ir"
m["Subject"] = "تأخیر در صدور پروانه ساختمان"
m["Message-ID"] = "<demo-1@example.com>"
m.set_content("سلام، درخواست پروانه من از دو ماه پیش بی‌پاسخ مانده است.")
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=60) as s:
    print("  the server said:", s.send_message(m) or "250 OK")
PY
mailcode=$(pcase-list --channel email --query 'درخواست پروانه من' | head -1)

step "pcase-status $mailcode"
pcase-status "$mailcode"

step "pnotify --list --state queued -f table   # the automatic reply, with the code in its subject"
pnotify --list --state queued -f table

step "an SMS to the agency's line, polled from the test gateway: pcase-sms"
printf '[{"messageid": 9001, "message": "چاله بزرگ در خیابان فردوسی", "sender": "09121112233", "receptor": "10004346", "date": 0}]' >"$demo/inbox.json"
GATEWAY_INBOX=$demo/inbox.json python3 "$top/tests/gateway.py" 0 "$demo/sms2.jsonl" 60 >"$demo/gateway2.out" &
inbox_gw=$!
i=0
while [ $i -lt 50 ] && ! grep -q '^listening' "$demo/gateway2.out"; do sleep 0.1; i=$((i + 1)); done
sed "s|^sms_url = .*|sms_url = http://127.0.0.1:$(sed -n 's/^listening //p' "$demo/gateway2.out")|" \
	"$PARTAKE_CONFIG" >"$demo/sms.conf"
smscode=$(PARTAKE_CONFIG=$demo/sms.conf pcase-sms)
pcase-status "$smscode" | head -12

step "pcase-list --limit 1 -f open311-json   # one case as Open311 GeoReport v2, public facts only"
pcase-list --limit 1 -f open311-json

# --- Drafts out for public comment (issue 10) -----------------------------------------
printf 'web_dir = %s/web\n' "$demo" >> "$PARTAKE_CONFIG"
mkdir -p "$demo/web"
step "pdraft-new --title 'آیین‌نامه ساعات کار اداری' --unit head --text share/partake/examples/draft-office-hours.txt"
draft=$(pdraft-new --title "آیین‌نامه ساعات کار اداری" --unit head \
	--text "$top/share/partake/examples/draft-office-hours.txt")
echo "$draft"
step "pdraft-publish      # opens it; its page, the index and the Atom feed into web_dir"
pdraft-publish
ls "$demo/web/drafts" | sed 's/^/  /'
step "pcase-new --kind comment --draft $draft --article 2 ...   # comments are cases"
c1=$(pcase-new --kind comment --channel portal --draft "$draft" --article 2 \
	--subject "ساعت شروع کار" --body "شروع از ساعت ۸ برای رفت‌وآمد بهتر است" --phone 0912-111-2233)
c2=$(pcase-new --kind comment --channel email --draft "$draft" --subject "کل آیین‌نامه" \
	--body "برای ماه رمضان ساعت جدا بگذارید" --email citizen@example.ir)
echo "$c1 $c2"
step "pdraft-list -f table"
pdraft-list -f table
export PARTAKE_NOW=2026-12-11T06:00:00Z
step "pdraft-close        # the morning after the window ended, 1405-09-19 23:59:59 Tehran"
pdraft-close
c3=$(pcase-new --kind comment --draft "$draft" --late --subject "دیر رسید" --anonymous)
step "pdraft-new --revise $draft --text share/partake/examples/draft-office-hours-2.txt"
pdraft-new --revise "$draft" --text "$top/share/partake/examples/draft-office-hours-2.txt"
step "pcase-answer --outcome accepted --changed-version 2 --changed-article 3 ...   # dispositions"
pcase-answer --outcome accepted --changed-version 2 --changed-article 3 \
	--text "ساعت شروع به ۸ تغییر کرد" "$c1"
pcase-answer --outcome noted --text "در دستورالعمل ماه رمضان دیده می‌شود" "$c2"
pcase-answer --outcome rejected --text "پس از مهلت رسید؛ موضوع آن در متن هست" "$c3"
step "pdraft-final $draft"
pdraft-final "$draft"
step "preport impact --draft $draft -f table"
preport impact --draft "$draft" -f table
step "preport impact --month 1405-09 --publish   # what public input led to, published"
preport impact --month 1405-09 --publish
preport impact --month 1405-09 -f tsv | awk -F'\t' '$1 == "action" || $1 == "draft"' | cut -f1,2,6,8-14

# --- Reports: the month to the head, each unit's digest (issue 12) ----------------------
step "preport monthly --month 1405-09 --html $demo/web/reports/1405-09.html   # the head's report, one page"
preport monthly --month 1405-09 --html "$demo/web/reports/1405-09.html"
preport monthly --month 1405-09 -f tsv | cut -f2,4,7,8,12,13 | head -4
step "preport digest --each-unit --mail; pnotify   # each unit's digest to the local SMTP server"
preport digest --each-unit --mail -f tsv 2>&1 | cut -f1-4 | head -6
pnotify | tr '\n' ' '
echo
python3 - "$demo/mail" <<'PY'
import mailbox, sys
for m in mailbox.Maildir(sys.argv[1], factory=None):
    if m["Subject"] and "خلاصه روزانه" in str(__import__("email.header", fromlist=["x"]).make_header(
            __import__("email.header", fromlist=["x"]).decode_header(m["Subject"]))):
        kinds = [p.get_content_type() for p in m.walk()]
        print("  digest to", m["To"], "parts:", " ".join(k for k in kinds if not k.startswith("multipart")))
PY
step "pdb check --against $demo/web/reports/1405-09.html   # the history up to the published head"
pdb check --against "$demo/web/reports/1405-09.html"
step "pdb check"
pdb check
