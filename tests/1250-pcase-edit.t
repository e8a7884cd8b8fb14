#!/bin/bash
# pcase-edit: each field corrected, as the case and its history show it;
# bad values refused naming the option; the case as corrected checked as
# intake checks it; settled cases only with --force and --reason; the
# public view without the corrections; the audit chain and the full-text
# search right after them; batches from standard input; missing cases.
. "$(dirname "$0")/lib.sh"

grouped() { printf '%s' "$1" | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/'; }

# field CODE NAME: a field of the case as pcase-status -f json shows it ("" for none).
field() {
	pcase-status -f json "$1" | python3 -c '
import json, sys
v = json.loads(sys.stdin.read())[sys.argv[1]]
print("" if v is None else v)' "$2"
}
# last_event CODE: the case's last event as "what|before|after|note".
last_event() {
	pcase-status -f json "$1" | python3 -c '
import json, sys
e = json.loads(sys.stdin.read())["events"][-1]
print("|".join("" if e[k] is None else e[k] for k in ("what", "before", "after", "note")))'
}
# events CODE: how many events the case's history has.
events() {
	pcase-status -f json "$1" | python3 -c 'import json, sys; print(len(json.loads(sys.stdin.read())["events"]))'
}

punit add permits --name 'واحد صدور پروانه' >/dev/null
punit add committee --name 'کمیته پیشنهادها' >/dev/null
pservice add permit --name 'پروانه ساختمان' --unit permits >/dev/null
pservice add license --name 'پروانه کسب' --unit permits >/dev/null

a=$(pcase-new -k complaint -c desk -s 'چراغ خیابان احمدی خاموش است' -b 'آقای احمدی زنگ زد' \
	--name 'مریم احمدی' --phone 09121234567 --email maryam@example.ir --national-id 0499370899)
is "$(printf '%s' "$a" | grep -c '^[0-9]\{12\}$')" 1 "a case to correct"
due_a=$(field "$a" due)

# --- each field ----------------------------------------------------------------

run pcase-edit --phone '+98 935 111 2233' "$a"
is "$rc/$out" "0/$a" "--phone: exit 0, the code printed"
is "$(field "$a" phone)" "09351112233" "the phone is corrected, in its stored form"
is "$(last_event "$a")" "edit|09121234567|09351112233|phone" \
	"one event: edit, the old phone before, the new one after, the field in the note"

run pcase-edit --phone '۰۹۳۵۲۲۲۳۳۴۴' "$a"
is "$rc/$(field "$a" phone)" "0/09352223344" "--phone in Persian digits"

run pcase-edit --email ahmadi@example.ir "$a"
is "$rc/$(field "$a" email)" "0/ahmadi@example.ir" "--email"
is "$(last_event "$a")" "edit|maryam@example.ir|ahmadi@example.ir|email" "its event"

run pcase-edit --name 'مریم احمدی‌نژاد' "$a"
is "$rc/$(field "$a" name)" "0/مریم احمدی‌نژاد" "--name"
is "$(last_event "$a")" "edit|مریم احمدی|مریم احمدی‌نژاد|name" "its event"

run pcase-edit --national-id 1234567891 "$a"
is "$rc/$(field "$a" national_id)" "0/1234567891" "--national-id"
is "$(last_event "$a")" "edit|0499370899|1234567891|national_id" "its event"

run pcase-edit -c phone "$a"
is "$rc/$(field "$a" channel)" "0/phone" "--channel"
is "$(last_event "$a")" "edit|desk|phone|channel" "its event"

run pcase-edit --service permit "$a"
is "$rc/$(field "$a" service)" "0/permit" "--service"
is "$(last_event "$a")" "edit||permit|service" "its event: no service before"
is "$(field "$a" unit)" "" "the unit stays: correcting the service does not route the case"
run pcase-edit --service license "$a"
is "$(last_event "$a")" "edit|permit|license|service" "another service: both codes in the event"
run pcase-edit --service '' "$a"
is "$rc/$(field "$a" service)" "0/" "--service '': cleared"

run pcase-edit -k request "$a"
is "$rc/$(field "$a" kind)" "0/request" "--kind"
is "$(last_event "$a")" "edit|complaint|request|kind" "its event"
is "$(field "$a" due)" "$due_a" "the deadline is not counted again"

run pcase-edit -s 'چراغ خیابان خاموش است' -b 'تماس تلفنی' --reason 'نام شهروند از متن برداشته شد' "$a"
is "$rc/$out" "0/$a" "--subject and --body at once: the code printed once"
is "$(field "$a" subject)|$(field "$a" body)" "چراغ خیابان خاموش است|تماس تلفنی" "both corrected"
is "$(pcase-status -f json "$a" | python3 -c '
import json, sys
for e in json.loads(sys.stdin.read())["events"][-2:]:
    print(e["what"], e["note"], e["who"])')" \
	"edit subject: نام شهروند از متن برداشته شد tester
edit body: نام شهروند از متن برداشته شد tester" "one event a field, each with the reason and who"

printf 'خط اول\nخط دوم\n' > "$tmp/body.txt"
run pcase-edit --body-file "$tmp/body.txt" "$a"
is "$rc/$(field "$a" body)" "0/$(printf 'خط اول\nخط دوم\n')" "--body-file"
run pcase-edit --body-file - "$a" < "$tmp/body.txt"
is "$rc" 1 "--body-file - with the same text: nothing to change"
run pcase-edit -b '' "$a"
is "$rc/$(field "$a" body)" "0/" "--body '': cleared"

# The record view, for people: the history has the old and new value.
run pcase-status "$a"
line=$(printf '%s\n' "$out" | grep 'edit.*phone' | head -n 1)
like "$line" "09121234567" "pcase-status: the history's edit line has the old phone"
like "$line" "09351112233" "and the new one"
like "$line" "tester" "and who corrected it"

# The public view: no correction, no contact, old or new.
for fmt in record json; do
	run pcase-status --public -f "$fmt" "$a"
	unlike "$out" "edit" "--public -f $fmt: no correction in the history"
	unlike "$out" "0912" "--public -f $fmt: no phone, old"
	unlike "$out" "0935" "--public -f $fmt: nor new"
	unlike "$out" "احمدی" "--public -f $fmt: no name, old or new"
done

# --- nothing to change ------------------------------------------------------------

n=$(events "$a")
run pcase-edit --phone 0935-222-3344 -k request "$a"
is "$rc/$out" "1/" "values it has already: exit 1, no code printed"
like "$err" "$(grouped "$a"): nothing to change" "it says so, naming the case"
is "$(events "$a")" "$n" "and no event"

# --- bad values: refused before any case, naming the option ------------------------

before=$(db_state)
bad() {
	local option=$1 name=$2
	shift 2
	run pcase-edit "$@" "$a"
	is "$rc" 2 "$name: exit 2"
	like "$err" "pcase-edit: $option: " "$name: the message names $option"
	is "$out" "" "$name: no code printed"
}
bad --phone "a phone that is not a mobile" --phone 12345
bad --phone "a phone with letters" --phone 0912abc4567
bad --email "a bad email" --email 'not an address'
bad --national-id "a national id with a wrong check digit" --national-id 1234567890
bad --kind "an unknown kind" -k complain
bad --kind "an empty kind" -k ''
bad --channel "an unknown channel" -c fax
bad --service "a service that does not exist" --service nosuch
bad --subject "an empty subject" -s '  '
bad --subject "a subject of two lines" -s "$(printf 'one\ntwo')"
bad --subject "a subject too long" -s "$(printf 'x%.0s' $(seq 201))"
bad --name "a name with a control character" --name "$(printf 'a\001b')"
bad --body "a body that is not UTF-8" -b "$(printf 'bad \xc3\x28')"
bad --reason "a reason of two lines" --phone 09121234567 --reason "$(printf 'a\nb')"
is "$(db_state)" "$before" "no bad value changed anything"
like "$(pcase-edit --phone 12345 "$a" 2>&1)" "nothing changed" "the message says nothing was changed"

# The case as corrected must pass intake's checks as a whole.
run pcase-edit --phone '' --email '' "$a"
is "$rc" 2 "a request left with no phone nor email: exit 2"
like "$err" "--phone: $(grouped "$a"): a request needs a phone or an email" "the option and the case are named"
run pcase-edit --anonymous=yes "$a"
is "$rc" 2 "anonymous with its contact kept: exit 2"
like "$err" "--anonymous: $(grouped "$a"): an anonymous case carries no name" "the message names --anonymous"
is "$(db_state)" "$before" "neither changed anything"
is "$(field "$a" phone)" "09352223344" "the phone is still there"

v=$(pcase-new -k violation -s 'سد معبر' --name 'رضا' --phone 09120000000)
run pcase-edit --anonymous=yes --name= --phone= "$v"
is "$rc/$(field "$v" anonymous)|$(field "$v" name)|$(field "$v" phone)" "0/1||" \
	"--anonymous=yes with the contact cleared"
is "$(pcase-status -f json "$v" | python3 -c '
import json, sys
for e in json.loads(sys.stdin.read())["events"][1:]:
    print(e["note"], e["before"], e["after"])')" "name رضا None
phone 09120000000 None
anonymous no yes" "an event each: the name, the phone, anonymous"

# --- usage ----------------------------------------------------------------------------

for args in "" "--reason why" "--force --reason why"; do
	run pcase-edit $args "$a"
	is "$rc" 64 "no field to correct (${args:-no options}): a usage error"
done
like "$err" "nothing to change" "it says what is missing"
run pcase-edit -b x --body-file "$tmp/body.txt" "$a"
is "$rc" 64 "--body with --body-file: a usage error"
run pcase-edit --body-file - < "$tmp/body.txt"
is "$rc" 64 "--body-file - with the codes on standard input: a usage error"
run pcase-edit --anonymous=maybe "$a"
is "$rc" 64 "--anonymous neither yes nor no: a usage error"
like "$err" "--anonymous" "the message names the option"

# --- settled cases ---------------------------------------------------------------------

s=$(pcase-new -k complaint -s 'پاسخ داده شد' --phone 09121111111 --unit permits)
pcase-answer --outcome accepted --text 'انجام شد' "$s" >/dev/null &&
	pcase-status --set closed "$s" >/dev/null
is "$(field "$s" state)" "closed" "a closed case"
n=$(events "$s")
run pcase-edit --phone 09122222222 "$s"
is "$rc/$out" "1/" "a closed case is refused: exit 1, no code"
like "$err" "$(grouped "$s"): it is closed" "the message names the case and its state"
like "$err" "(--force, with a --reason)" "and the way to do it"
is "$(field "$s" phone)|$(events "$s")" "09121111111|$n" "the case is as it was"
run pcase-edit --force --phone 09122222222 "$s"
is "$rc" 2 "--force without --reason: exit 2"
like "$err" "--reason: " "the message names --reason"
is "$(field "$s" phone)" "09121111111" "the case is as it was"
run pcase-edit --force --reason 'شهروند تماس گرفت' --phone 09122222222 "$s"
is "$rc/$out" "0/$s" "--force --reason: corrected"
is "$(field "$s" phone)|$(field "$s" state)" "09122222222|closed" "the phone changed, the state did not"
is "$(last_event "$s")" "edit|09121111111|09122222222|phone (the case was closed): شهروند تماس گرفت" \
	"the event says the case was closed, and why"

r=$(pcase-new -k violation -s 'رد شده' --anonymous)
pcase-status --set rejected --note 'تکراری' "$r" >/dev/null
run pcase-edit -s 'رد شد' "$r"
is "$rc" 1 "a rejected case is refused too"
like "$err" "it is rejected" "naming its state"

# A suggestion before the committee stays a suggestion.
c=$(pcase-new -k suggestion -s 'ایستگاه دوچرخه' --anonymous --unit committee)
pcase-review --open "$c" >/dev/null
is "$(field "$c" state)" "committee" "a suggestion before the committee"
run pcase-edit -k complaint --phone 09123333333 --anonymous=no "$c"
is "$rc" 1 "it cannot become a complaint: exit 1"
like "$err" "before the committee" "the message says why"
is "$(field "$c" kind)" "suggestion" "it is still a suggestion"
run pcase-edit -s 'ایستگاه دوچرخه در میدان' "$c"
is "$rc/$(field "$c" subject)" "0/ایستگاه دوچرخه در میدان" "its subject can be corrected"

# --- the audit chain and the full-text search ------------------------------------------

run pdb check
is "$rc" 0 "pdb check: the chain verifies after the corrections"
like "$out" "ok" "pdb check says ok"

q=$(pcase-new -k violation -s 'زباله در کوچه بنفشه' -b 'کیسه‌ها مانده است' --anonymous)
is "$(pcase-list -Q بنفشه)" "$q" "the search finds the case by its subject"
run pcase-edit -s 'زباله در کوچه یاس' -b 'سطل شکسته است' "$q"
is "$rc" 0 "subject and body corrected after the case was indexed"
is "$(pcase-list -Q یاس)" "$q" "the search finds the new subject"
is "$(pcase-list -Q شکسته)" "$q" "and the new body"
run pcase-list -Q بنفشه
is "$rc/$out" "1/" "and not the old subject"
run pcase-list -Q کیسه‌ها
is "$rc/$out" "1/" "nor the old body"

# A case corrected before any search indexed it.
u=$(pcase-new -k violation -s 'درخت افتاده در پارک لاله' --anonymous)
pcase-edit -s 'درخت افتاده در پارک نسترن' "$u" >/dev/null
is "$(pcase-list -Q نسترن)" "$u" "a case corrected before it was indexed: found by the new subject"
run pcase-list -Q لاله
is "$out" "" "and not by the old"
pcase-edit -s 'درخت افتاده' "$u" >/dev/null
is "$(pcase-list -Q نسترن)" "" "corrected again, once indexed: the words of the first correction are gone"
run pdb check
is "$rc" 0 "pdb check: the full-text index and the chain are right"

# --- batches from standard input ---------------------------------------------------------

b1=$(pcase-new -k request -s 'درخواست یک' --email one@example.ir)
b2=$(pcase-new -k request -s 'درخواست دو' --email two@example.ir)
b3=$(pcase-new -k request -s 'درخواست سه' --email three@example.ir --service permit)
pcase-list -k request -f tsv | grep -e "^$b1" -e "^$b2" -e "^$b3" > "$tmp/batch"
n3=$(events "$b3")
run pcase-edit -v --service permit --reason 'فرم درگاه خدمت را نداشت' < "$tmp/batch"
is "$rc" 1 "a batch from standard input, one case with the service already: exit 1"
is "$(printf '%s\n' "$out" | sort)" "$(printf '%s\n' "$b1" "$b2" | sort)" "the codes changed are printed"
like "$err" "$(grouped "$b3"): nothing to change" "the one unchanged is reported"
for x in "$b1" "$b2"; do
	is "$(field "$x" service)|$(last_event "$x")" "permit|edit||permit|service: فرم درگاه خدمت را نداشت" \
		"$x: its own event"
done
is "$(events "$b3")" "$n3" "the unchanged case has no new event"

# Into the next command: the codes go on.
is "$(printf '%s\n' "$b1" "$b2" | pcase-edit -c portal | pcase-status -f codes)" "$(printf '%s\n' "$b1" "$b2")" \
	"pcase-edit's output is the next command's input"

# --- missing cases and bad codes --------------------------------------------------------

# A good code of another database's case is none of this one's.
unknown=$(pcase-new --db "$tmp/other.db" -k violation -s 'جای دیگر' --anonymous)
run pcase-status -f codes "$unknown"
like "$rc/$err" "1/" "a valid code that names no case here"
run pcase-edit -c sms "$b1" "$unknown" "$b2"
is "$rc" 1 "a missing case: exit 1"
like "$err" "$(grouped "$unknown"): no such case" "it is reported"
is "$out" "$(printf '%s\n%s' "$b1" "$b2")" "the others are still corrected"
is "$(field "$b2" channel)" "sms" "really"
run pcase-edit -c sms "${b1:0:11}$(((${b1:11:1} + 1) % 10))"
is "$rc" 1 "a mistyped code: exit 1"
like "$err" "not a valid tracking code" "it is refused as such"
printf '%s\n%s\n' "$b1" "$b1" > "$tmp/twice"
run pcase-edit -v -c email < "$tmp/twice"
is "$rc/$out" "1/$b1" "a code given twice is corrected once"
like "$err" "line 2" "the second names its line"

# --- the clock of a waiting case --------------------------------------------------------

# A correction whose new value reads "waiting" is not where the wait began.
w=$(pcase-new -k complaint -s 'در انتظار مدرک' --phone 09124444444 --unit permits)
pcase-status --set waiting --note 'مدرک را بفرستید' "$w" >/dev/null
export PARTAKE_NOW=2026-11-24T08:00:00Z	# Tuesday 1405-09-03
pcase-edit -s waiting "$w" >/dev/null
export PARTAKE_NOW=2026-11-26T08:00:00Z	# Thursday 1405-09-05
pcase-status --set in-progress "$w" >/dev/null
is "$(pcase-status -f json "$w" | python3 -c '
import json, sys
print([e["note"] for e in json.loads(sys.stdin.read())["events"] if e["what"] == "due"])')" \
	"['clock stopped 4 working days while waiting']" \
	"the deadline moves by the 4 working days waited since the wait began, not since the edit"
export PARTAKE_NOW=2026-11-22T08:00:00Z

# --- help ------------------------------------------------------------------------------

run pcase-edit --help
is "$rc" 0 "--help exits 0"
like "$out" "--phone" "--help lists --phone"
like "$out" "--force" "and --force"
run pcase-edit --version
like "$out" "pcase-edit (partake) " "--version"
run pcase-edit --frobnicate "$a"
is "$rc" 64 "an unknown option is a usage error"

done_testing
