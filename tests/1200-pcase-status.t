#!/bin/bash
# pcase-status: cases and their history by code, from operands or standard
# input; the public view; JSON with the events; bad and unknown codes.
. "$(dirname "$0")/lib.sh"

# damm_digit DIGITS: the Damm check digit that makes DIGITS a valid code.
damm_digit() {
	local t=(0317598642 7092154863 4206871359 1750983426 6123045978
		3674209581 5869720134 8945362017 9438617205 2581436790)
	local s=$1 i=0 k row
	for ((k = 0; k < ${#s}; k++)); do
		row=${t[i]}
		i=${row:${s:k:1}:1}
	done
	echo "$i"
}

# fa TEXT: TEXT with its digits in Persian.
fa() {
	local s=$1
	s=${s//0/۰} s=${s//1/۱} s=${s//2/۲} s=${s//3/۳} s=${s//4/۴}
	s=${s//5/۵} s=${s//6/۶} s=${s//7/۷} s=${s//8/۸} s=${s//9/۹}
	printf '%s' "$s"
}

# grouped CODE: 1234-5678-9012.
grouped() { printf '%s' "$1" | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/'; }

a=$(pcase-new -k complaint -c portal -s 'SECRET-SUBJECT-A' -b 'SECRET-BODY-A' \
	--name 'NAME-OF-CITIZEN' --phone 09121234567 --email citizen@example.ir \
	--national-id 0499370899)
b=$(pcase-new -k violation -c 111 -s 'گزارش تخلف' --anonymous --received 1405-08-10)
sql "INSERT INTO unit (code, name) VALUES ('legal', 'امور حقوقی')"
r=$(pcase-new -k suggestion -s 'routed one' --anonymous --unit legal)
is "$(printf '%s\n' "$a" "$b" "$r" | grep -c '^[1-9][0-9]\{11\}$')" 3 "three cases to show"

# An unknown code that is valid: eleven digits and their check digit.
unknown=12345678901$(damm_digit 12345678901)
is "$(sql "SELECT count(*) FROM cases WHERE code = $unknown")" 0 "$unknown is not a case here"
# One digit of a real code changed: Damm catches every single-digit error.
last=${a:11:1}
typo=${a:0:11}$(((last + 1) % 10))

# --- the record view, for people -----------------------------------------------

run pcase-status "$a"
is "$rc" 0 "a known code: exit 0"
like "$out" "$(grouped "$a")" "the record shows the code in groups of four"
like "$out" "complaint" "the kind"
like "$out" "SECRET-SUBJECT-A" "the subject"
like "$out" "SECRET-BODY-A" "the body"
like "$out" "NAME-OF-CITIZEN" "the name"
like "$out" "09121234567" "the phone"
like "$out" "1405-09-01 11:30" "received, in the Solar Hijri calendar, Tehran time"
like "$out" "1405-09-12 14:30" "due"
like "$out" "10 working days left" "the working days left"
like "$out" "history" "a history section"
like "$out" "received" "with the 'received' event"
like "$out" "tester" "and who recorded it"
run pcase-status "$b"
like "$out" "overdue by 8 working days" "a case past its due day says how far overdue"
run pcase-status "$r"
like "$out" "legal" "a routed case names its unit"
like "$out" "route" "and its history has the route event"

# --- the public view ----------------------------------------------------------------

for fmt in record json tsv csv; do
	run pcase-status --public --format "$fmt" "$a"
	is "$rc" 0 "--public --format $fmt: exit 0"
	leaks=
	for secret in SECRET-SUBJECT-A SECRET-BODY-A NAME-OF-CITIZEN 09121234567 \
		citizen@example.ir 0499370899 tester; do
		case "$out" in *"$secret"*) leaks="$leaks $secret" ;; esac
	done
	is "$leaks" "" "--public --format $fmt: no subject, body, name, phone, email, national id or who"
	shown=$a
	# For people, in the citizen's digits (citizen_digits, Persian by default).
	[ "$fmt" = record ] && shown=$(fa "$(grouped "$a")")
	like "$out" "$shown" "--public --format $fmt: shows the code"
done
run pcase-status --public "$a"
like "$out" "وضعیت" "--public: the state, under its Persian label"
like "$out" "ثبت شده" "… by its Persian name"
like "$out" "$(fa "1405-09-12 14:30")" "--public: the due time, in Persian digits"
like "$out" "$(fa 10) روز کاری مانده" "--public: the working days left"
like "$out" "ثبت شد" "--public: the history's events"
run pcase-status --public --format json "$a"
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
print(sorted(o["events"][0].keys()), [k for k in o if k in
      ("name", "phone", "email", "national_id", "subject", "body", "who")])')" \
	"['at', 'note', 'state', 'what'] []" "--public json: events carry when, what, the state and the note the citizen was sent"
run pcase-status --public "$r"
like "$out" "امور حقوقی" "--public: the unit by its name"

# --- JSON ---------------------------------------------------------------------------

run pcase-status --format json "$a" "$b" "$r"
is "$rc" 0 "--format json: exit 0"
is "$(printf '%s\n' "$out" | wc -l)" 3 "one line a case"
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    print(o["code"], o["kind"], o["state"], len(o["events"]),
          ",".join(e["what"] for e in o["events"]), o["events"][0]["who"])')" \
	"$a complaint new 1 received tester
$b violation new 1 received tester
$r suggestion routed 2 received,route tester" "each object has its fields and an events array"
is "$(printf '%s\n' "$out" | head -n 1 | python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
print(o["subject"], o["phone"], o["national_id"], o["days_left"])')" \
	"SECRET-SUBJECT-A 09121234567 0499370899 10" "the full view has the contact and days left"

run pcase-status --format tsv "$a" "$b"
is "$(printf '%s\n' "$out" | wc -l)" 3 "--format tsv: a header and a line a case"
like "$(printf '%s\n' "$out" | head -n 1)" "$(printf 'code\tkind')" "--format tsv: the header"

# --- attachments ---------------------------------------------------------------------

mkdir -p "$tmp/files"
printf '%%PDF-1.4 scan' > "$tmp/files/scan.pdf"
printf '\377\330\377\340photo' > "$tmp/files/photo of the street.jpg"
scan=$(sha256sum < "$tmp/files/scan.pdf" | cut -c1-64)
photo=$(sha256sum < "$tmp/files/photo of the street.jpg" | cut -c1-64)
f=$(cd "$tmp/files" && pcase-new -k violation -s 'با پیوست' --anonymous --attach scan.pdf \
	--attach "$tmp/files/photo of the street.jpg" --attach https://example.ir/map.png)
run pcase-status "$f"
is "$(printf '%s\n' "$out" | sed -n '/^attachments/,/^$/p' | sed 's/^attachments//; s/^ *//')" \
	"scan.pdf application/pdf 13 $scan
photo of the street.jpg image/jpeg 9 $photo
https://example.ir/map.png link" \
	"the record view: the attachments one a line, in the order given: name, type, size, digest"
run pcase-status "$a"
unlike "$out" "attachments" "a case without attachments shows no such line"
run pcase-status -f json "$f" "$a"
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
for l in sys.stdin:
    print(json.loads(l)["attachments"])')" \
	"[{'name': 'scan.pdf', 'type': 'application/pdf', 'size': 13, 'sha256': '$scan', 'note': None}, \
{'name': 'photo of the street.jpg', 'type': 'image/jpeg', 'size': 9, 'sha256': '$photo', 'note': None}, \
{'name': 'https://example.ir/map.png', 'type': 'link', 'size': None, 'sha256': None, 'note': None}]
[]" "json: an array of objects with the name, type, size, digest and note; empty when there are none"
for fmt in tsv csv; do
	run pcase-status -f "$fmt" "$f"
	is "$(printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin, delimiter="\t" if sys.argv[1] == "tsv" else ","))
print(rows[0][-1] + "=" + rows[1][rows[0].index("attachments")])' "$fmt")" \
		"attachments=scan.pdf application/pdf 13 $scan; photo of the street.jpg image/jpeg 9 $photo; https://example.ir/map.png link" \
		"$fmt: a last column, the attachments joined by '; '"
done
for fmt in record json tsv csv; do
	run pcase-status --public -f "$fmt" "$f"
	unlike "$out" "scan.pdf" "--public -f $fmt: no attachments (they are personal)"
	unlike "$out" "attachments" "--public -f $fmt: not even the field"
done

# --- the config's calendar and digits, for admins ----------------------------------

c=$(pcase-new -k request -s 'مهلت' --anonymous)
pcase-status --extend 2 --reason 'استعلام' "$c" >/dev/null
# events_of JSON: each event as "what before after", one a line.
events_of() { python3 -c '
import json, sys
for e in json.loads(sys.stdin.read())["events"]:
    print(e["what"], e["before"] or "-", e["after"])'; }
run pcase-status --format json "$c"
is "$(printf '%s' "$out" | events_of | tail -n 1)" "extend 1405-09-12 14:30 1405-09-15 14:30" \
	"the history's due times, in the default Solar Hijri calendar"
printf '%s\ncalendar = gregorian\n' "$base_config" > "$PARTAKE_CONFIG"
run pcase-status --format json "$c"
is "$(printf '%s' "$out" | events_of)" "received - new
extend 2026-12-03 14:30 2026-12-06 14:30" "calendar = gregorian: the history's due times are Gregorian too"
like "$out" '"received":"2026-11-22 11:30","due":"2026-12-06 14:30"' "… as are the case's times"
run pcase-status "$c"
like "$out" "extend    2026-12-03 14:30  2026-12-06 14:30" "… in the record's history as well"
printf '%s\ndigits = persian\n' "$base_config" > "$PARTAKE_CONFIG"
run pcase-status "$c"
like "$out" "due          $(fa '1405-09-15 14:30')" "digits = persian: the record has Persian digits"
like "$out" "extend    $(fa '1405-09-12 14:30')  $(fa '1405-09-15 14:30')" "… and so has its history"
like "$out" "$(fa 12) working days left" "… and the working days left"
run pcase-list --format table
like "$out" "$(fa "$(grouped "$c")")  request" "digits = persian: pcase-list's table too"
run pcase-status --format tsv "$c"
like "$out" "$c	request	other	new		" "… but not tsv: programs read Latin digits"
like "$out" "1405-09-01 11:30	1405-09-15 14:30	12	" "… its times and numbers too"
run pcase-status --format json "$c"
like "$out" '"due":"1405-09-15 14:30","days_left":12,' "… nor json"
printf '%s\n' "$base_config" > "$PARTAKE_CONFIG"

# --- which codes ---------------------------------------------------------------------

run pcase-status --format codes "$a" "$b"
is "$rc/$out" "0/$(printf '%s\n%s' "$a" "$b")" "codes from the operands, in order"
printf '%s\n  %s\n\t%s\textra field\n\n' "$b" "$a" "$r" > "$tmp/codes"
run pcase-status --format codes < "$tmp/codes"
is "$rc/$out" "0/$(printf '%s\n%s\n%s' "$b" "$a" "$r")" \
	"codes from standard input: one a line, leading blanks and the fields after a tab ignored"
run pcase-status --format codes "$(grouped "$a")"
is "$rc/$out" "0/$a" "a code grouped with dashes"
run pcase-status --format codes "$(grouped "$a" | tr - ' ')"
is "$rc/$out" "0/$a" "a code grouped with spaces"
run pcase-status --format codes "$(fa "$a")"
is "$rc/$out" "0/$a" "a code in Persian digits"
run pcase-status --format codes "$(fa "$(grouped "$a")")"
is "$rc/$out" "0/$a" "a grouped code in Persian digits"
printf '%s\0%s\0' "$a" "$b" > "$tmp/codes0"
pcase-status -0 --format codes < "$tmp/codes0" > "$tmp/out0"
is "$?/$(tr '\0' ' ' < "$tmp/out0")" "0/$a $b " "-0: NUL-separated codes in and out"

# A mistyped code: refused before any look-up, the others still shown.
run pcase-status --format codes "$a" "$typo" "$b"
is "$rc" 1 "a code with one wrong digit: exit 1"
like "$err" "not a valid tracking code" "it is refused as not a valid tracking code"
like "$err" "$typo" "the message names what was typed"
is "$out" "$(printf '%s\n%s' "$a" "$b")" "the other codes are still shown"
run pcase-status --format codes "$a" 12345
is "$rc/$out" "1/$a" "a code too short: refused, the other shown"
like "$err" "not a valid tracking code" "too short: not a valid tracking code"
run pcase-status --format codes "${a}0"
like "$rc/$err" "1/" "a code too long is refused"
like "$err" "not a valid tracking code" "too long: not a valid tracking code"
run pcase-status --format codes "abc$a"
like "$err" "not a valid tracking code" "letters: not a valid tracking code"
printf '%s\n%s\n%s\n' "$a" "$typo" "$b" > "$tmp/codes"
run pcase-status --format codes < "$tmp/codes"
is "$rc/$out" "1/$(printf '%s\n%s' "$a" "$b")" "a mistyped code on standard input: the others shown"
like "$err" "line 2" "the message names the line"

# Our own TSV and CSV, header and all, pipe into the next command (issue 8).
pcase-list -f tsv > "$tmp/list.tsv"
run pcase-status --format codes < "$tmp/list.tsv"
is "$rc" 0 "pcase-list -f tsv | pcase-status: exit 0"
is "$err" "" "the header line is skipped, not refused"
is "$out" "$(pcase-list)" "every case listed is shown"
pcase-list -f csv > "$tmp/list.csv"
run pcase-status --format codes < "$tmp/list.csv"
is "$rc/$err" "0/" "pcase-list -f csv | pcase-status: the header skipped, the first field taken"
is "$out" "$(pcase-list)" "every case shown"
printf '\357\273\277code,subject\r\n"%s",x\r\n' "$a" > "$tmp/sheet.csv"
run pcase-status --format codes < "$tmp/sheet.csv"
is "$rc/$out" "0/$a" "a spreadsheet's CSV: byte-order mark, quoted code, CRLF"
printf '%s\ncode\n' "$a" > "$tmp/late-header"
run pcase-status --format codes < "$tmp/late-header"
is "$rc" 1 "'code' on a later line is no header: refused"

# A line that is not a code is not echoed whole: it may be a citizen's row.
printf '%s\n09127778800,مریم احمدی,\033[2Jخیابان\n' "$a" > "$tmp/private.csv"
run pcase-status --format codes < "$tmp/private.csv"
is "$rc/$out" "1/$a" "a CSV row of personal data among the codes: refused, the code shown"
is "$err" "pcase-status: line 2: not a valid tracking code: '0912…' (11 characters)" \
	"the message names the line and quotes only the start of its first field"
printf '%s\n\342\200\256\033abcdef\n' "$a" > "$tmp/escape"
run pcase-status --format codes < "$tmp/escape"
is "$err" "pcase-status: line 2: not a valid tracking code: '??ab…' (8 characters)" \
	"terminal controls and a bidi override in a refused line are not passed on"

# A valid code that is not a case.
run pcase-status --format codes "$a" "$unknown" "$b"
is "$rc" 1 "an unknown code: exit 1"
like "$err" "no such case" "it is reported as no such case"
like "$err" "$(grouped "$unknown")" "the message names the code"
unlike "$err" "not a valid" "it is not called invalid"
is "$out" "$(printf '%s\n%s' "$a" "$b")" "the other codes are still shown"
run pcase-status "$unknown" "$a"
is "$rc" 1 "the record view: exit 1 too"
like "$err" "no such case" "the record view reports it"
like "$out" "SECRET-SUBJECT-A" "and shows the other case"
run pcase-status --format json "$unknown" "$b"
is "$rc" 1 "--format json with an unknown code: exit 1"
is "$(printf '%s\n' "$out" | python3 -c 'import json,sys;print(len([json.loads(l) for l in sys.stdin]))')" 1 \
	"--format json: the known case still printed as JSON"

run pcase-status --format codes < /dev/null
is "$rc/$out" "0/" "no codes at all: nothing to do"

# Nothing read changes anything.
before=$(db_state)
pcase-status "$a" "$b" "$r" > /dev/null 2>&1
is "$(db_state)" "$before" "showing cases changes nothing"

for fmt in record json; do
	pcase-status --format "$fmt" "$a" > /dev/full 2> "$tmp/full.err"
	is "$?" 2 "--format $fmt to a full disk: exit 2"
	like "$(cat "$tmp/full.err")" "write error" "--format $fmt to a full disk: a message"
done

run pcase-status --help
is "$rc" 0 "--help exits 0"
like "$out" "--public" "--help lists --public"
run pcase-status --version
like "$out" "pcase-status (partake) " "--version"
run pcase-status --frobnicate
is "$rc" 64 "an unknown option is a usage error"

done_testing
