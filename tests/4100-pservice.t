#!/bin/bash
# pservice: the service catalog. add, list, show, update, faq; a case
# registered with --service goes to the service's unit at once and takes the
# service's deadline.
. "$(dirname "$0")/lib.sh"

tehran() { date -d "$1 +0330" +%s; }	# an instant written in Tehran's time

punit add permits --name 'اداره پروانه‌ها' --email permits@agency.ir >/dev/null
punit add licensing --name 'صدور مجوز' >/dev/null

# --- add -----------------------------------------------------------------------------

run pservice list
is "$rc" 1 "list with no services: exit 1"

run pservice add building-permit --name 'پروانه ساختمان' --unit permits --deadline 3 \
	--steps 'ثبت درخواست؛ بازدید؛ صدور' --documents 'سند مالکیت' --fees '۲٬۰۰۰٬۰۰۰ ریال' \
	--duration '۳ روز کاری' --legal-basis 'ماده ۱۰۰ قانون شهرداری' --how-to-complain 'سامانه ۱۳۷'
is "$rc" 0 "add with every field: exit 0"
is "$out" "building-permit" "add prints the code"
is "$(sql "SELECT s.name || '|' || u.code || '|' || s.deadline_days || '|' || s.steps || '|' ||
	s.documents || '|' || s.fees || '|' || s.duration || '|' || s.legal_basis || '|' ||
	s.how_to_complain FROM service s JOIN unit u ON u.id = s.unit_id")" \
	"پروانه ساختمان|permits|3|ثبت درخواست؛ بازدید؛ صدور|سند مالکیت|۲٬۰۰۰٬۰۰۰ ریال|۳ روز کاری|ماده ۱۰۰ قانون شهرداری|سامانه ۱۳۷" \
	"every field stored"
run pservice add business-license --name 'مجوز کسب' --unit licensing
is "$rc" 0 "add with only --name and --unit"
is "$(sql "SELECT deadline_days IS NULL AND steps IS NULL FROM service WHERE code = 'business-license'")" 1 \
	"fields not given are NULL"

before=$(sql "SELECT count(*) FROM service")
run pservice add parking --unit permits
is "$rc" 2 "add without --name is refused: exit 2"
like "$err" "--name" "naming --name"
run pservice add parking --name 'پارکینگ'
is "$rc" 2 "add without --unit is refused"
like "$err" "--unit" "naming --unit"
run pservice add parking --name 'پارکینگ' --unit nowhere
is "$rc" 2 "an unknown unit is refused"
like "$err" "--unit: no unit 'nowhere'" "naming the unit it did not find"
run pservice add parking --name 'پارکینگ' --unit permits --deadline ten
is "$rc" 2 "a deadline that is not a number is refused"
like "$err" "--deadline: 'ten'" "naming --deadline and the value"
run pservice add parking --name 'پارکینگ' --unit permits --deadline -1
is "$rc" 2 "a negative deadline is refused"
run pservice add parking --name 'پارکینگ' --unit permits --deadline 366
is "$rc" 2 "a deadline over 365 working days is refused"
run pservice add parking --name 'پارکینگ' --unit permits --deadline 3x
is "$rc" 2 "a deadline with trailing junk is refused"
run pservice add Parking --name 'پارکینگ' --unit permits
is "$rc" 2 "a code with an upper-case letter is refused"
run pservice add building-permit --name 'again' --unit permits
is "$rc" 2 "a duplicate code is refused"
like "$err" "building-permit: there is a service with this code already" "saying so"
run pservice add parking --name 'پارکینگ' --unit permits --steps "$(printf '\xc3\x28')"
is "$rc" 2 "a field that is not UTF-8 is refused"
like "$err" "--steps" "naming the field"
is "$(sql "SELECT count(*) FROM service")" "$before" "the refused adds stored nothing"
run pservice add parking other --name x --unit permits
is "$rc" 64 "add takes one code: exit 64"
run pservice add parking --name x --unit permits --question 'q?'
is "$rc" 64 "--question goes with faq only: exit 64"

# --- faq -----------------------------------------------------------------------------

run pservice faq building-permit --question 'چقدر طول می‌کشد؟' --answer 'سه روز کاری.'
is "$rc" 0 "faq: exit 0"
is "$out" "building-permit" "faq prints the code"
pservice faq building-permit --question 'Is there a fee?' --answer 'Yes: "2,000,000 rials".' >/dev/null
is "$(sql "SELECT count(*) FROM service_faq")" 2 "two FAQ entries stored"
run pservice faq building-permit --question 'no answer?'
is "$rc" 2 "an FAQ entry without --answer is refused"
run pservice faq building-permit --answer 'no question'
is "$rc" 2 "an FAQ entry without --question is refused"
run pservice faq nowhere --question q --answer a
is "$rc" 1 "faq on an unknown service: exit 1"
like "$err" "nowhere: no such service" "naming it"
is "$(sql "SELECT count(*) FROM service_faq")" 2 "the refused entries stored nothing"

# --- list and show -------------------------------------------------------------------

run pservice list
is "$out" "$(printf 'building-permit\nbusiness-license')" "list off a terminal: the codes, sorted"
run pservice list -f table
is "$(echo "$out" | head -1 | tr -s ' ')" "code name unit deadline" \
	"-f table is brief: code, name, unit, deadline"
unlike "$out" "سند مالکیت" "the table leaves out the long texts"
like "$out" "building-permit" "and lists the services"
run pservice list -f tsv
is "$(echo "$out" | head -1)" \
	"$(printf 'code\tname\tunit\tdeadline\tsteps\tdocuments\tfees\tduration\tlegal_basis\thow_to_complain\tfaq')" \
	"-f tsv has every column"
like "$out" "$(printf 'building-permit\tپروانه ساختمان\tpermits\t3\tثبت درخواست؛ بازدید؛ صدور\tسند مالکیت')" \
	"and the long texts"
like "$out" "$(printf 'business-license\tمجوز کسب\tlicensing\t\t')" "a service with no deadline: an empty field"

run pservice show building-permit
is "$rc" 0 "show: exit 0"
like "$out" "سند مالکیت" "show prints the record with the long texts"
like "$out" "ماده ۱۰۰ قانون شهرداری" "the legal basis"
like "$out" "سه روز کاری." "and the FAQ"
run pservice show -f json building-permit
is "$(echo "$out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print(r["code"], r["unit"], r["deadline"], type(r["faq"]).__name__, len(r["faq"]))
print(r["faq"][0]["question"], "/", r["faq"][0]["answer"])
print(r["faq"][1]["answer"])')" \
	"$(printf '%s\n%s\n%s' 'building-permit permits 3 list 2' 'چقدر طول می‌کشد؟ / سه روز کاری.' 'Yes: "2,000,000 rials".')" \
	"show -f json: faq is an array of {question, answer}, in the order added, quotes intact"
run pservice show -f json business-license
is "$(echo "$out" | python3 -c 'import json, sys; r = json.load(sys.stdin); print(r["faq"], r["deadline"], r["steps"])')" \
	"[] None None" "a service without FAQ: an empty array; absent fields null"
run pservice list -f json
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
print(len(rows), sorted(rows[0].keys()) == sorted(["code", "name", "unit", "deadline", "steps",
    "documents", "fees", "duration", "legal_basis", "how_to_complain", "faq"]))')" \
	"2 True" "list -f json: one object a line with every field"
run pservice show building-permit nowhere
is "$rc" 1 "show with an unknown code: exit 1"
like "$err" "nowhere: no such service" "naming it"
like "$out" "پروانه ساختمان" "and the known one is still shown"
run sh -c 'echo business-license | pservice show -f tsv'
is "$(echo "$out" | tail -n +2 | cut -f1)" "business-license" \
	"show with no codes reads them from standard input, one a line (as punit show does)"
run pservice list building-permit
is "$rc" 64 "list takes no codes: exit 64"
run pservice show --fees x building-permit
is "$rc" 64 "show takes no fields: exit 64"

# --- update --------------------------------------------------------------------------

row() { sql "SELECT s.name || '|' || u.code || '|' || coalesce(s.deadline_days, '-') || '|' ||
	coalesce(s.steps, '-') || '|' || coalesce(s.fees, '-') || '|' || coalesce(s.duration, '-')
	FROM service s JOIN unit u ON u.id = s.unit_id WHERE s.code = '$1'"; }

run pservice update building-permit --fees 'رایگان'
is "$rc" 0 "update: exit 0"
is "$out" "building-permit" "update prints the code"
is "$(row building-permit)" "پروانه ساختمان|permits|3|ثبت درخواست؛ بازدید؛ صدور|رایگان|۳ روز کاری" \
	"update --fees: that field changed, every absent one kept"
run pservice update building-permit --steps '' --duration ''
is "$(row building-permit)" "پروانه ساختمان|permits|3|-|رایگان|-" "'' clears a field (to NULL)"
run pservice update building-permit --deadline ''
is "$(row building-permit)" "پروانه ساختمان|permits|-|-|رایگان|-" "--deadline '' clears the deadline"
run pservice update building-permit --deadline 3 --unit licensing
is "$(row building-permit)" "پروانه ساختمان|licensing|3|-|رایگان|-" "--unit moves the service to another unit"
run pservice update building-permit --unit permits
run pservice update building-permit --name ''
is "$(row building-permit)" "پروانه ساختمان|permits|3|-|رایگان|-" "--name '' keeps the name: a service needs one"
is "$(sql "SELECT count(*) FROM service_faq")" 2 "update leaves the FAQ alone"

before=$(row building-permit)
run pservice update building-permit --unit nowhere
is "$rc" 2 "update to an unknown unit is refused"
like "$err" "no unit 'nowhere'" "naming it"
run pservice update building-permit --deadline 'three'
is "$rc" 2 "update with a bad deadline is refused"
is "$(row building-permit)" "$before" "the refused updates changed nothing"
run pservice update nowhere --fees 1
is "$rc" 1 "update of an unknown service: exit 1"
like "$err" "nowhere: no such service" "naming it"
run pservice update building-permit
is "$rc" 64 "update with nothing to change: exit 64"

# --- a case about a service ----------------------------------------------------------

# Received Sunday 1405-09-01 11:30 Tehran; the service's 3 working days end Wednesday 09-04.
case=$(pcase-new -k complaint -c portal -s 'پروانه صادر نشد' --phone 09121234567 --service building-permit)
is "$(sql "SELECT c.state || '|' || u.code FROM cases c JOIN unit u ON u.id = c.unit_id WHERE c.code = $case")" \
	"routed|permits" "a case with --service is routed to the service's unit at intake"
is "$(sql "SELECT e.what || '|' || coalesce(e.before, '') || '|' || e.after || '|' || e.note
	FROM event e JOIN cases c ON e.subject_kind = 'case' AND c.id = e.subject_id WHERE c.code = $case ORDER BY e.id")" \
	"$(printf 'received||new|portal\nroute|new|routed|permits')" \
	"its history: received, then a 'route' event to the unit"
is "$(sql "SELECT due FROM cases WHERE code = $case")" "$(tehran '2026-11-25 14:30')" \
	"it takes the service's deadline: 3 working days, due 1405-09-04 14:30 Tehran"
run pcase-status "$case"
like "$out" "1405-09-04 14:30" "pcase-status shows that due time"

# A service without a deadline: the kind's (10 working days for a complaint).
other=$(pcase-new -k complaint -s 'مجوز' --phone 09121234567 --service business-license)
is "$(sql "SELECT due FROM cases WHERE code = $other")" "$(tehran '2026-12-03 14:30')" \
	"a service with no deadline: the kind's 10 working days (due 1405-09-12)"
is "$(sql "SELECT u.code FROM cases c JOIN unit u ON u.id = c.unit_id WHERE c.code = $other")" "licensing" \
	"and the service's unit"

# The deadline is kept at intake: changing the service later does not move it.
pservice update building-permit --deadline 20 >/dev/null
is "$(sql "SELECT due FROM cases WHERE code = $case")" "$(tehran '2026-11-25 14:30')" \
	"a later change of the service's deadline leaves a stored due time alone"
pservice update building-permit --deadline 0 >/dev/null
none=$(pcase-new -k complaint -s 'no deadline' --phone 09121234567 --service building-permit)
is "$(sql "SELECT due IS NULL FROM cases WHERE code = $none")" 1 "a service deadline of 0: no due time"

# --unit next to --service: the unit named wins.
both=$(pcase-new -k request -s 'both' --phone 09121234567 --service building-permit --unit licensing)
is "$(sql "SELECT u.code FROM cases c JOIN unit u ON u.id = c.unit_id WHERE c.code = $both")" "licensing" \
	"--unit given with --service: the named unit gets the case"

before=$(db_state)
run pcase-new -k complaint -s x --phone 09121234567 --service nowhere
is "$rc" 2 "an unknown service at intake is refused"
like "$err" "service: no service 'nowhere'" "naming the field and the service"
is "$(db_state)" "$before" "and nothing is stored"

run pcase-list --service building-permit
is "$(echo "$out" | sort)" "$(printf '%s\n' "$case" "$none" "$both" | sort)" "pcase-list --service selects them"

# What every text field of the catalog must be, whichever field it is.
before=$(sql "SELECT count(*) FROM service")
run pservice add ctl --name "$(printf 'a\001b')" --unit permits
is "$rc" 2 "a name with a control character is refused"
like "$err" "--name: contains a control character (U+0001 at character 2)" "naming the option, the character and where it is"
run pservice add ctl --name 'خدمت' --unit permits --duration "$(printf 'two\nlines')"
is "$rc" 2 "so is a one-line field of two lines"
like "$err" "--duration" "naming --duration"
run pservice add ctl --name 'خدمت' --unit permits --steps "$(printf 'one\ntwo')"
is "$rc" 0 "a field of many lines (steps) takes line ends"
is "$(sql "SELECT count(*) FROM service")" "$((before + 1))" "only the good one is stored"

# Every change to the catalog is an event of the audit chain.
is "$(sql "SELECT what || ' ' || subject FROM event WHERE subject_kind = 'service' ORDER BY id DESC LIMIT 1")" \
	"add ctl" "adding a service is an event naming it"
is "$(sql "SELECT json_extract(after, '$.steps') FROM event WHERE subject_kind = 'service' ORDER BY id DESC LIMIT 1")" \
	"$(printf 'one\ntwo')" "with the service as it was stored"
run pservice update ctl --fees 'رایگان'
is "$(sql "SELECT what || ' ' || (json_extract(before, '$.fees') IS NULL) || ' ' || json_extract(after, '$.fees')
	FROM event WHERE subject_kind = 'service' ORDER BY id DESC LIMIT 1")" "update 1 رایگان" \
	"an update keeps the service before and after"
n=$(sql "SELECT count(*) FROM event")
run pservice update ctl --fees 'رایگان'
is "$(sql "SELECT count(*) FROM event")" "$n" "an update that changes nothing writes no event"

run pdb check
is "$rc" 0 "pdb check passes at the end"

# --- publish: the catalog as pages, through the page writer --------------------------
run pservice publish
is "$rc" 2 "publish without web_dir: exit 2"
mkdir -p "$tmp/web"
printf '%s\nweb_dir = %s/web\n' "$(cat "$PARTAKE_CONFIG")" "$tmp" > "$tmp/pub.conf"
PARTAKE_CONFIG=$tmp/pub.conf run pservice publish
is "$rc" 0 "publish: exit 0"
[ -s "$tmp/web/services/index.html" ] && [ -s "$tmp/web/services/building-permit.html" ]
ok $? "an index and a page per service"
for f in "$tmp"/web/services/*.html; do
	is "$(xmllint --html --noout "$f" 2>&1)" "" "$(basename "$f") parses as HTML"
done
like "$(cat "$tmp/web/services/building-permit.html")" "ماده ۱۰۰ قانون شهرداری" "with its legal basis"
PARTAKE_CONFIG=$tmp/pub.conf run pservice publish building-permit
is "$rc" 64 "publish takes no codes"
done_testing
