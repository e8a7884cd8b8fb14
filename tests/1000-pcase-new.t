#!/bin/bash
# pcase-new: one case from options, many from JSON lines or TSV, and every
# bad input the issue lists refused with the line and field, nothing stored.
. "$(dirname "$0")/lib.sh"

# damm CODE: the Damm check of a string of digits; 0 when the code is valid.
damm() {
	local t=(0317598642 7092154863 4206871359 1750983426 6123045978
		3674209581 5869720134 8945362017 9438617205 2581436790)
	local s=$1 i=0 k row
	for ((k = 0; k < ${#s}; k++)); do
		row=${t[i]}
		i=${row:${s:k:1}:1}
	done
	echo "$i"
}

# valid_code CODE: 12 digits, no leading zero, Damm check digit right.
valid_code() {
	case "$1" in
	[1-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]) [ "$(damm "$1")" = 0 ] ;;
	*) return 1 ;;
	esac
}

# fa TEXT: TEXT with its digits in Persian.
fa() {
	local s=$1
	s=${s//0/۰} s=${s//1/۱} s=${s//2/۲} s=${s//3/۳} s=${s//4/۴}
	s=${s//5/۵} s=${s//6/۶} s=${s//7/۷} s=${s//8/۸} s=${s//9/۹}
	printf '%s' "$s"
}

# repeat N STRING: STRING N times.
repeat() {
	local out='' i
	for ((i = 0; i < $1; i++)); do out+=$2; done
	printf '%s' "$out"
}

# Tehran local time to epoch seconds.
tehran() { TZ=Asia/Tehran date -d "$1" +%s; }

# --- one case from options ----------------------------------------------------

run pcase-new --kind complaint --channel portal --subject 'تاخیر در پاسخ' \
	--body 'سه هفته منتظر ماندم' --name 'مریم احمدی' --phone 09121234567 \
	--email maryam@example.ir
is "$rc" 0 "a complaint from options is stored"
code=$out
valid_code "$code"
ok $? "its code has 12 digits and a valid check digit ($code)"
is "$err" "pcase-new: created the database $PARTAKE_DB" \
	"the first case made the database, and stderr says so (a mistyped --db shows)"
is "$(sql "SELECT kind, channel, state, subject, body, name, phone, email, anonymous
	FROM cases WHERE code = $code")" \
	"complaint|portal|new|تاخیر در پاسخ|سه هفته منتظر ماندم|مریم احمدی|09121234567|maryam@example.ir|0" \
	"the row holds every field as given"
is "$(sql "SELECT e.what || ' ' || e.after || ' ' || e.who || ' ' || e.note FROM event e
	JOIN cases c ON e.subject_kind = 'case' AND c.id = e.subject_id WHERE c.code = $code")" \
	"received new tester portal" "one 'received' event, by the user, noting the channel"
is "$(sql "SELECT received FROM cases WHERE code = $code")" "$(date -d 2026-11-22T08:00:00Z +%s)" \
	"received is now (PARTAKE_NOW)"
# Sunday 1405-09-01 11:30 is within office hours, so it counts from that day:
# 10 working days after it (Friday 1405-09-06 skipped) is Thursday 1405-09-12
# (2026-12-03), due at the close of office hours, 14:30 Tehran time.
is "$(sql "SELECT due FROM cases WHERE code = $code")" "$(tehran '2026-12-03 14:30')" \
	"due is 14:30 Tehran on the 10th working day (1405-09-12)"
is "$(sql "SELECT count(*) FROM cases")" 1 "exactly one case stored"

run pcase-new -k suggestion -s 'second one' --anonymous
code2=$out
[ "$code2" != "$code" ] && valid_code "$code2"
ok $? "a second case gets another valid code"

# Mobile numbers as people type them all end up as 09xxxxxxxxx.
i=0
for phone in "$(fa 09121234567)" +989121234567 00989121234567 '+98 912 123 4567' \
	'0912-123-4567' "$(fa +989121234567)"; do
	i=$((i + 1))
	run pcase-new -k complaint -s "phone form $i" --phone "$phone"
	is "$rc/$(sql "SELECT phone FROM cases WHERE code = '$out'")" "0/09121234567" \
		"phone '$phone' is stored as 09121234567"
done

# National id: the check digit is checked; a valid one is stored.
run pcase-new -k complaint -s 'with national id' --phone 09121234567 --national-id 0499370899
is "$rc/$(sql "SELECT national_id FROM cases WHERE code = '$out'")" "0/0499370899" \
	"a valid national id (0499370899) is accepted and stored"
run pcase-new -k complaint -s 'national id in Persian digits' --phone 09121234567 \
	--national-id "$(fa 0499370899)"
is "$rc/$(sql "SELECT national_id FROM cases WHERE code = '$out'")" "0/0499370899" \
	"a national id in Persian digits is stored in Latin digits"

run pcase-new -k complaint -s 'national id without its leading zero' --phone 09121234567 \
	--national-id 499370899
is "$rc/$(sql "SELECT national_id FROM cases WHERE code = '$out'")" "0/0499370899" \
	"a national id typed without its leading zero is stored with it"

# The body from a file and from standard input.
printf 'first line\nدومین خط\n' > "$tmp/body.txt"
run pcase-new -k violation -s 'body from a file' --body-file "$tmp/body.txt"
is "$rc" 0 "--body-file is accepted"
is "$(sql "SELECT body FROM cases WHERE code = '$out'")" "$(cat "$tmp/body.txt")" \
	"the body is the file's text"
run pcase-new -k violation -s 'body from stdin' --body - < "$tmp/body.txt"
is "$rc" 0 "--body - reads standard input"
is "$(sql "SELECT body FROM cases WHERE code = '$out'")" "$(cat "$tmp/body.txt")" \
	"the body is what standard input held"
run pcase-new -k violation -s 'body-file from stdin' --body-file - < "$tmp/body.txt"
is "$rc/$(sql "SELECT body FROM cases WHERE code = '$out'")" "0/$(cat "$tmp/body.txt")" \
	"--body-file - reads standard input too"
before=$(db_state)
run pcase-new -k violation -s x --body-file "$tmp/no-such-file"
is "$rc" 2 "a --body-file that does not exist is refused"
like "$err" "no-such-file" "the message names the file"
is "$(db_state)" "$before" "nothing stored"
run pcase-new -k violation -s x --body y --body-file "$tmp/body.txt"
is "$rc" 64 "--body with --body-file is a usage error"

# Back-filled cases: the received date in either calendar, Latin or Persian digits.
run pcase-new -k violation -s 'back-filled jalali' --received 1405-08-10
is "$rc/$(sql "SELECT received FROM cases WHERE code = '$out'")" "0/$(tehran '2026-11-01 00:00')" \
	"--received 1405-08-10 is Tehran midnight of 2026-11-01"
run pcase-new -k violation -s 'back-filled persian digits' --received "$(fa 1405-08-10)"
is "$rc/$(sql "SELECT received FROM cases WHERE code = '$out'")" "0/$(tehran '2026-11-01 00:00')" \
	"--received in Persian digits is the same day"
run pcase-new -k violation -s 'back-filled gregorian' --received 2026-11-10
is "$rc/$(sql "SELECT received FROM cases WHERE code = '$out'")" "0/$(tehran '2026-11-10 00:00')" \
	"--received 2026-11-10 (Gregorian) is Tehran midnight of that day"
run pcase-new -k violation -s 'back-filled with a time' --received '1405-08-10 09:15'
is "$rc/$(sql "SELECT received FROM cases WHERE code = '$out'")" "0/$(tehran '2026-11-01 09:15')" \
	"--received with a time keeps the time"
# Received Sunday 1405-06-01; 1405-06-08 (Sunday) is a holiday, so the 10th
# working day is Saturday 1405-06-14 (2026-09-05).
run pcase-new -k violation -s 'due across a holiday' --received 1405-06-01
is "$rc/$(sql "SELECT due FROM cases WHERE code = '$out'")" "0/$(tehran '2026-09-05 14:30')" \
	"the due day skips Fridays and the holiday of 1405-06-08"
# After office hours it counts from the next working day: received Thursday
# 1405-08-28 at 16:00, it counts from Saturday 1405-08-30, so it is due on
# Wednesday 1405-09-11 (2026-12-02); at 14:00 it would count from Thursday.
run pcase-new -k violation -s 'after hours' --received '1405-08-28 16:00'
is "$rc/$(sql "SELECT due FROM cases WHERE code = '$out'")" "0/$(tehran '2026-12-02 14:30')" \
	"received Thursday after office hours: counted from Saturday"
run pcase-new -k violation -s 'in hours' --received '1405-08-28 14:00'
is "$rc/$(sql "SELECT due FROM cases WHERE code = '$out'")" "0/$(tehran '2026-12-01 14:30')" \
	"received Thursday within office hours: counted from Thursday"

# Attachments are copied into the attachment store (tests/1010-attachments.t
# tests it whole); a file that cannot be read is refused.
printf '%%PDF-1.4 scan' > "$tmp/scan.pdf"
printf '\377\330\377\340photo' > "$tmp/photo.jpg"
run pcase-new -k violation -s 'with files' --attach "$tmp/scan.pdf" --attach "$tmp/photo.jpg"
is "$rc" 0 "--attach with existing files is accepted"
is "$(sql "SELECT a.name || ' ' || a.type FROM attachment a JOIN cases c ON c.id = a.case_id
	WHERE c.code = '$out' ORDER BY a.id" | tr '\n' ' ')" "scan.pdf application/pdf photo.jpg image/jpeg " \
	"both are recorded, by name and type, in order"
before=$(db_state)
run pcase-new -k violation -s 'missing file' --attach "$tmp/nope.pdf"
is "$rc" 2 "--attach of a missing file is refused"
like "$err" "attach: " "the message names the field"
like "$err" "nope.pdf" "and the file"
is "$(db_state)" "$before" "nothing stored"

# Contact rules.
run pcase-new -k violation -s 'anonymous report' --anonymous
is "$rc/$(sql "SELECT anonymous || '|' || coalesce(name, '') || coalesce(phone, '') ||
	coalesce(email, '') || coalesce(national_id, '') FROM cases WHERE code = '$out'")" "0/1|" \
	"an anonymous violation with no contact is stored, marked anonymous"
run pcase-new -k violation -s 'no contact, not marked'
is "$rc" 0 "a violation report may carry no contact at all"
before=$(db_state)
run pcase-new -k complaint -s 'complaint with no contact'
is "$rc" 2 "a complaint with no phone or email is refused"
like "$err" "phone" "the message says what is missing"
is "$(db_state)" "$before" "nothing stored"
run pcase-new -k complaint -s 'only a name' --name 'علی'
is "$rc" 2 "a complaint with only a name is refused"
run pcase-new -k complaint -s 'email is enough' --email a@example.ir
is "$rc" 0 "a complaint with only an email is accepted"
run pcase-new -k complaint -s 'anonymous complaint' --anonymous
is "$rc" 0 "an anonymous complaint is accepted"
before=$(db_state)
run pcase-new -k violation -s 'anonymous but named' --anonymous --phone 09121234567
is "$rc" 2 "--anonymous with a phone is refused"
like "$err" "anonymous: " "the message names the field"
is "$(db_state)" "$before" "nothing stored"

# A routed case: the unit exists.
punit add legal --name 'امور حقوقی' >/dev/null
run pcase-new -k violation -s 'for a unit' --unit legal
is "$rc/$(sql "SELECT state FROM cases WHERE code = '$out'")" "0/routed" \
	"--unit stores the case as routed"
is "$(sql "SELECT group_concat(e.what, ',') FROM event e JOIN cases c ON e.subject_kind = 'case' AND c.id = e.subject_id
	WHERE c.code = '$out'")" "received,route" "with a 'received' then a 'route' event"
# A service routes to its unit and brings its own deadline: 5 working days
# from Sunday 1405-09-01 is Saturday 1405-09-07 (2026-11-28).
pservice add permit --name 'صدور مجوز' --unit legal --deadline 5 >/dev/null
run pcase-new -k complaint -s 'about a service' --phone 09121234567 --service permit
is "$rc/$(sql "SELECT c.state || ' ' || u.code || ' ' || c.due FROM cases c JOIN unit u
	ON u.id = c.unit_id WHERE c.code = '$out'")" "0/routed legal $(tehran '2026-11-28 14:30')" \
	"--service: routed to the service's unit, due by the service's deadline"

before=$(db_state)
run pcase-new -k violation -s 'for no unit' --unit nosuch
is "$rc" 2 "an unknown --unit is refused"
like "$err" "unit: " "the message names the field"
is "$(db_state)" "$before" "nothing stored"
run pcase-new -k violation -s 'for no service' --service nosuch
is "$rc" 2 "an unknown --service is refused"
like "$err" "service: " "the message names the field"
is "$(db_state)" "$before" "nothing stored"

# Limits are in characters, not bytes.
run pcase-new -k violation -s "$(repeat 200 'ک')"
is "$rc" 0 "a subject of 200 Persian characters (400 bytes) is accepted"

# --- many cases from standard input -------------------------------------------

n0=$(sql "SELECT count(*) FROM cases")
cat > "$tmp/batch.jsonl" <<'EOF'
{"kind":"violation","channel":"111","subject":"سد معبر"}
{"kind":"complaint","channel":"sms","subject":"پاسخ ندادند","phone":"۰۹۱۲۱۲۳۴۵۶۷"}

{"kind":"suggestion","subject":"ساعت کاری","body":"خط اول\nخط دوم","anonymous":true}
{"kind":"complaint","subject":"with email","email":"x@example.ir","received":"1405-08-20","national_id":"0499370899"}
EOF
run pcase-new --batch < "$tmp/batch.jsonl"
is "$rc" 0 "a batch of JSON lines is stored"
is "$(printf '%s\n' "$out" | wc -l)" 4 "one code a case (the blank line is skipped)"
is "$(sql "SELECT count(*) FROM cases")" "$((n0 + 4))" "four more cases in the database"
is "$out" "$(sql "SELECT code FROM cases ORDER BY id DESC LIMIT 4" | tac)" \
	"the codes are printed in input order"
bad=0
for c in $out; do valid_code "$c" || bad=$((bad + 1)); done
is "$bad" 0 "every batch code is valid"
set -- $out
is "$(sql "SELECT subject FROM cases WHERE code = $1")" "سد معبر" "line 1 is the first code"
is "$(sql "SELECT phone FROM cases WHERE code = $2")" "09121234567" \
	"a phone in Persian digits in JSON is stored as 09…"
is "$(sql "SELECT body || '|' || anonymous FROM cases WHERE code = $3")" "$(printf 'خط اول\nخط دوم|1')" \
	"JSON escapes and true are read"
is "$(sql "SELECT received || '|' || national_id FROM cases WHERE code = $4")" \
	"$(tehran '2026-11-11 00:00')|0499370899" "received and national_id from JSON"
is "$(sql "SELECT count(*) FROM event e JOIN cases c ON e.subject_kind = 'case' AND c.id = e.subject_id
	WHERE c.code IN ($1, $2, $3, $4) AND e.what = 'received'")" 4 "each got its 'received' event"
is "$err" "" "no progress on standard error off a terminal"

run pcase-new --batch < /dev/null
is "$rc/$out" "0/" "an empty batch stores nothing and prints nothing"

# An event covers the outbox items queued since the one before it, hashed
# as they were queued (audit.c): routed cases, each with its citizen's
# notice between its two events, beside cases with no notice or no unit.
cat > "$tmp/routed.jsonl" <<'EOF'
{"kind":"complaint","subject":"routed one","unit":"legal","phone":"09121234567"}
{"kind":"complaint","subject":"not routed","phone":"09121234568"}
{"kind":"violation","subject":"routed, no notice","unit":"legal"}
{"kind":"complaint","subject":"routed two","unit":"legal","email":"a@example.org"}
EOF
run pcase-new --batch < "$tmp/routed.jsonl"
is "$rc/$(echo "$out" | wc -l)" "0/4" "a batch of routed cases with notices is stored"
is "$(sql "SELECT group_concat(c.subject, ',') FROM event e JOIN cases c ON c.id = e.subject_id
	JOIN outbox o ON o.id = e.outbox_upto AND o.case_id = c.id
	WHERE e.what = 'route' AND c.subject LIKE 'routed%'")" "routed one,routed two" \
	"a route event covers its case's notice, queued after the case's first event"
run pdb check
is "$rc" 0 "pdb check: the outbox items hashed as queued are the ones stored"

printf '{"kind":"violation","subject":"two files","attach":["%s","%s"]}\n{"kind":"violation","subject":"one file","attach":"%s"}\n' \
	"$tmp/scan.pdf" "$tmp/photo.jpg" "$tmp/scan.pdf" > "$tmp/attach.jsonl"
run pcase-new --batch < "$tmp/attach.jsonl"
is "$rc" 0 "a batch with attachments is stored"
is "$(sql "SELECT c.subject || ' ' || a.name FROM attachment a JOIN cases c ON c.id = a.case_id
	WHERE c.subject IN ('two files', 'one file') ORDER BY a.id")" \
	"$(printf 'two files scan.pdf\ntwo files photo.jpg\none file scan.pdf')" \
	"attach as an array and as a string are recorded"

# A JSON line is parsed into a 16 KiB slab (lib/json.c); a longer one
# spills to the heap. A body of 18,000 Persian characters is 36 KB.
long_fa=$(repeat 18000 'ش')
{
	for i in 1 2 3; do printf '{"kind":"violation","subject":"slab %d"}\n' "$i"; done
	printf '{"kind":"violation","subject":"spilled","body":"%s"}\n' "$long_fa"
	for i in 5 6; do printf '{"kind":"violation","subject":"slab %d"}\n' "$i"; done
} > "$tmp/spill.jsonl"
run pcase-new --batch < "$tmp/spill.jsonl"
is "$rc/$(printf '%s\n' "$out" | grep -c .)" "0/6" "a batch with a line longer than its slab is stored whole"
is "$(sql "SELECT length(body) FROM cases WHERE subject = 'spilled'")" 18000 \
	"the long line's body is stored whole"
is "$(sql "SELECT group_concat(subject, ',') FROM (SELECT subject FROM cases
	WHERE subject LIKE 'slab %' ORDER BY id)")" "slab 1,slab 2,slab 3,slab 5,slab 6" \
	"the lines around it are stored as they were"

printf 'kind\tsubject\r\nviolation\tcrlf line\r\n' > "$tmp/crlf.tsv"
run pcase-new --batch --tsv < "$tmp/crlf.tsv"
is "$rc/$(sql "SELECT subject FROM cases WHERE code = '$out'")" "0/crlf line" "TSV with CRLF line ends"

n0=$(sql "SELECT count(*) FROM cases")
printf 'kind\tchannel\tsubject\tbody\tphone\nviolation\tdesk\tاز TSV\tline one\\nline two\t09121234567\ncomplaint\tportal\tsecond\t\t+989121234567\n' \
	> "$tmp/batch.tsv"
run pcase-new --batch --tsv < "$tmp/batch.tsv"
is "$rc" 0 "a TSV batch with a header is stored"
is "$(printf '%s\n' "$out" | wc -l)" 2 "one code a data line"
is "$(sql "SELECT count(*) FROM cases")" "$((n0 + 2))" "two more cases in the database"
set -- $out
is "$(sql "SELECT channel || '|' || subject || '|' || body FROM cases WHERE code = $1")" \
	"$(printf 'desk|از TSV|line one\nline two')" "TSV columns by the header, \\n unescaped"
is "$(sql "SELECT coalesce(body, 'NULL') || '|' || phone FROM cases WHERE code = $2")" \
	"NULL|09121234567" "an empty TSV field is no value"
# Optional columns at the end of the line may be empty.
printf 'kind\tsubject\tphone\nviolation\tno phone\t\ncomplaint\twith phone\t09121234567\n' \
	> "$tmp/trailing.tsv"
run pcase-new --batch --tsv < "$tmp/trailing.tsv"
is "$rc" 0 "a TSV line whose last field is empty is accepted"
is "$(printf '%s' "$out" | grep -c .)" 2 "both lines get a code"

run pcase-new --batch --kind complaint < /dev/null
is "$rc" 64 "--batch with the options of one case is a usage error"
run pcase-new --tsv -k violation -s x
is "$rc" 64 "--tsv without --batch is a usage error"
run pcase-new -k violation -s x extra
is "$rc" 64 "an operand is a usage error"

# --- bad input: nothing stored, the line and the field named ------------------

good1='{"kind":"violation","subject":"good one"}'
good2='{"kind":"suggestion","subject":"good two","anonymous":true}'

# bad_batch NAME WANT LINE3: two good lines, then LINE3 (printf format); exit 2,
# the message has WANT, no code printed, the database as it was.
bad_batch() {
	local before
	before=$(db_state)
	# shellcheck disable=SC2059
	{ printf '%s\n%s\n' "$good1" "$good2"; printf "$3"; printf '\n'; } > "$tmp/bad.jsonl"
	run pcase-new --batch < "$tmp/bad.jsonl"
	is "$rc" 2 "$1: exit status 2"
	like "$err" "$2" "$1: the message names the line and field"
	is "$out" "" "$1: no code printed"
	is "$(db_state)" "$before" "$1: nothing stored"
}

# bad_one NAME WANT ARGS...: one case from options; exit 2, WANT in the message.
bad_one() {
	local name=$1 want=$2 before
	shift 2
	before=$(db_state)
	run pcase-new "$@"
	is "$rc" 2 "$name: exit status 2"
	like "$err" "$want" "$name: the message names the field"
	is "$out" "" "$name: no code printed"
	is "$(db_state)" "$before" "$name: nothing stored"
}

bad_batch "invalid UTF-8" "line 3: " '{"kind":"violation","subject":"bad \xff byte"}'
like "$err" "UTF-8" "invalid UTF-8: the message says so"
bad_one "invalid UTF-8 in --subject" "subject: " -k violation -s "$(printf 'bad \xff byte')"
like "$err" "UTF-8" "invalid UTF-8 in --subject: the message says so"
printf 'bad \xc3\x28 body' > "$tmp/bad-utf8.txt"
bad_one "invalid UTF-8 in --body-file" "body: " -k violation -s x --body-file "$tmp/bad-utf8.txt"

bad_batch "a NUL byte" "line 3: " '{"kind":"violation","subject":"nul \0 byte"}'
like "$err" "NUL" "a NUL byte: the message says so"
bad_batch "a JSON-escaped NUL" "line 3: subject: " '{"kind":"violation","subject":"nul \\u0000 byte"}'
printf 'body with \0 a NUL' > "$tmp/nul.txt"
bad_one "a NUL byte in --body-file" "body: " -k violation -s x --body-file "$tmp/nul.txt"
before=$(db_state)
run pcase-new -k violation -s x --body - < "$tmp/nul.txt"
is "$rc/$out/$(db_state)" "2//$before" "a NUL byte in --body - is refused, nothing stored"
like "$err" "body: " "a NUL byte in --body -: the message names the field"

long_subject=$(repeat 201 a)
bad_batch "a subject over 200 characters" "line 3: subject: " \
	"{\"kind\":\"violation\",\"subject\":\"$long_subject\"}"
bad_one "--subject over 200 characters" "subject: " -k violation -s "$long_subject"
long_body=$(repeat 2001 'abcdefghij')
bad_batch "a body over 20000 characters" "line 3: body: " \
	"{\"kind\":\"violation\",\"subject\":\"s\",\"body\":\"$long_body\"}"
bad_one "--body over 20000 characters" "body: " -k violation -s s -b "$long_body"
printf '%s' "$long_body" > "$tmp/long.txt"
bad_one "--body-file over 20000 characters" "body" -k violation -s s --body-file "$tmp/long.txt"
bad_one "--name over 100 characters" "name: " -k violation -s s --name "$(repeat 101 n)"

bad_batch "an unknown kind" "line 3: kind: " '{"kind":"praise","subject":"s"}'
bad_one "an unknown --kind" "kind: " -k praise -s s
bad_batch "an unknown channel" "line 3: channel: " \
	'{"kind":"violation","channel":"fax","subject":"s"}'
bad_one "an unknown --channel" "channel: " -k violation -c fax -s s

bad_batch "a malformed JSON line" "line 3: json: " '{"kind":"violation","subject":'
# The column where a line stops being JSON: the 31st character is past the end.
bad_batch "a malformed JSON line: the column" "line 3: json: column 30: " '{"kind":"violation","subject":'
# jansson names the column of the last character of the token it could not take.
bad_batch "a syntax error mid-line: the column" "line 3: json: column 29: " '{"kind":"violation" "subject":"s"}'
bad_batch "a syntax error after Persian text: the column counts characters" \
	"line 3: json: column 32: " '{"kind":"violation","s":"سلام" x}'
bad_batch "trailing text after the object" "line 3: json: column 40: " \
	'{"kind":"violation","subject":"s"} extra'
bad_batch "invalid UTF-8 inside a JSON string: the field and column" "line 3: body: column 45: " \
	'{"kind":"violation","subject":"s","body":"ab\xff"}'
like "$err" "UTF-8" "invalid UTF-8 inside a JSON string: the message says so"
bad_batch "invalid UTF-8 in a JSON key" "line 3: json: column " '{"kind":"violation","subj\xe2\x28":"s"}'
like "$err" "UTF-8" "invalid UTF-8 in a JSON key: the message says so"
bad_batch "a JSON-escaped NUL in the body" "line 3: body: " \
	'{"kind":"violation","subject":"s","body":"a\\u0000b"}'
like "$err" "NUL" "a JSON-escaped NUL in the body: the message says so"
bad_batch "a JSON-escaped NUL in an attachment" "line 3: attach: " \
	'{"kind":"violation","subject":"s","attach":["x\\u0000"]}'
bad_batch "a JSON-escaped NUL in a key" "line 3: json: " '{"kind\\u0000x":"violation","subject":"s"}'
bad_batch "an unknown field given twice" "line 3: json: " '{"kind":"violation","colour":1,"colour":2}'
like "$err" "colour" "an unknown field given twice: the message names it"
bad_batch "a JSON array" "line 3: json: " '["violation","s"]'
bad_batch "a JSON string" "line 3: json: " '"violation"'
bad_batch "a JSON number" "line 3: json: " '42'
bad_batch "an unknown field" "line 3: json: " '{"kind":"violation","subject":"s","colour":"red"}'
like "$err" "colour" "an unknown field: the message names it"
bad_batch "a field given twice" "line 3: kind: " '{"kind":"violation","subject":"s","kind":"complaint"}'
bad_batch "a number where text goes" "line 3: subject: " '{"kind":"violation","subject":12}'
bad_batch "a missing kind" "line 3: kind: " '{"subject":"s"}'
bad_one "no --kind" "kind: " -s s
bad_batch "a missing subject" "line 3: subject: " '{"kind":"violation"}'
bad_batch "a blank subject" "line 3: subject: " '{"kind":"violation","subject":"   "}'
bad_one "no --subject" "subject: " -k violation

bad_batch "a bad phone" "line 3: phone: " '{"kind":"complaint","subject":"s","phone":"0912123"}'
bad_one "a landline --phone" "phone: " -k complaint -s s --phone 02112345678
bad_one "a --phone with letters" "phone: " -k complaint -s s --phone 0912abc4567
bad_batch "a bad email" "line 3: email: " '{"kind":"complaint","subject":"s","email":"x@localhost"}'
bad_one "a bad --email" "email: " -k complaint -s s --email 'not an address'
bad_one "an --email with two @" "email: " -k complaint -s s --email 'a@b@example.ir'
bad_batch "a bad national id" "line 3: national_id: " \
	'{"kind":"violation","subject":"s","national_id":"0499370898"}'
bad_one "a --national-id with a wrong check digit" "national_id: " \
	-k violation -s s --national-id 0499370898
bad_one "a --national-id of one repeated digit" "national_id: " \
	-k violation -s s --national-id 1111111111
bad_one "a --national-id too short" "national_id: " -k violation -s s --national-id 1234

bad_batch "a Jalali date that does not exist" "line 3: received: " \
	'{"kind":"violation","subject":"s","received":"1404-12-30"}'
bad_one "--received 1404-12-30" "received: " -k violation -s s --received 1404-12-30
bad_batch "a Gregorian date that does not exist" "line 3: received: " \
	'{"kind":"violation","subject":"s","received":"2025-02-29"}'
bad_one "--received 2025-02-29" "received: " -k violation -s s --received 2025-02-29
bad_one "--received 1405-07-31" "received: " -k violation -s s --received 1405-07-31
bad_one "--received that is not a date" "received: " -k violation -s s --received yesterday
bad_batch "a received date in the future" "line 3: received: " \
	'{"kind":"violation","subject":"s","received":"1405-09-02"}'
bad_one "--received tomorrow" "received: " -k violation -s s --received 2026-11-23
like "$err" "future" "--received tomorrow: the message says it is in the future"
bad_batch "a bad anonymous flag" "line 3: anonymous: " \
	'{"kind":"violation","subject":"s","anonymous":"perhaps"}'
bad_batch "a complaint with no contact" "line 3: phone: " '{"kind":"complaint","subject":"s"}'
bad_batch "a missing attachment" "line 3: attach: " \
	'{"kind":"violation","subject":"s","attach":["/nonexistent/file.pdf"]}'
bad_batch "an attachment that is not a string" "line 3: attach: " \
	'{"kind":"violation","subject":"s","attach":[1]}'
bad_batch "a newline in the subject" "line 3: subject: " '{"kind":"violation","subject":"two\\nlines"}'
bad_one "a control character in --subject" "subject: " -k violation -s "$(printf 'a\033[2Jb')"

# The input is read ahead: a bad line is refused at once, not when the input ends.
mkfifo "$tmp/fifo"
(printf '%s\n' '{"kind":"complaint","subject":"s","phone":"1"}'; exec sleep 30) > "$tmp/fifo" 2>/dev/null &
writer=$!
before=$(db_state)
run timeout 10 pcase-new --batch < "$tmp/fifo"
is "$rc/$out/$(db_state)" "2//$before" "a bad line while the input stays open: refused at once, nothing stored"
like "$err" "line 1: phone: " "the message names the line and field"
kill "$writer" 2>/dev/null

# TSV batches: the same rules.
before=$(db_state)
printf 'kind\tsubject\tphone\nviolation\tok\t09121234567\ncomplaint\tbad\t12345\n' > "$tmp/in"
run pcase-new --batch --tsv < "$tmp/in"
is "$rc/$out/$(db_state)" "2//$before" "a bad TSV line: exit 2, nothing stored"
like "$err" "line 3: phone: " "the message names the line and field"
printf 'kind\tsubjekt\nviolation\tx\n' > "$tmp/in"
run pcase-new --batch --tsv < "$tmp/in"
is "$rc/$(db_state)" "2/$before" "an unknown TSV column is refused"
like "$err" "line 1: " "the message names the header line"
like "$err" "subjekt" "and the column"
printf 'kind\tsubject\nviolation\tone\ttwo\n' > "$tmp/in"
run pcase-new --batch --tsv < "$tmp/in"
is "$rc/$(db_state)" "2/$before" "a TSV line with more fields than the header is refused"
like "$err" "line 2: " "the message names the line"
printf 'kind\tsubject\nviolation\t\xff\n' > "$tmp/in"
run pcase-new --batch --tsv < "$tmp/in"
is "$rc/$(db_state)" "2/$before" "invalid UTF-8 in TSV is refused"
like "$err" "line 2: " "the message names the line"

# All or nothing: three good lines, then a bad one.
before=$(db_state)
{
	for i in 1 2 3; do printf '{"kind":"violation","subject":"all or nothing %d"}\n' "$i"; done
	printf '{"kind":"complaint","subject":"bad","phone":"123"}\n'
} > "$tmp/in"
run pcase-new --batch < "$tmp/in"
is "$rc" 2 "a batch with a bad 4th line fails"
like "$err" "line 4: phone: " "the message names line 4 and the phone"
is "$out" "" "no code printed"
is "$(db_state)" "$before" "nothing of the batch is stored"
is "$(sql "SELECT count(*) FROM cases WHERE subject LIKE 'all or nothing%'")" 0 \
	"not even the three good lines"
is "$(sql "SELECT count(*) FROM case_text_state WHERE indexed_upto > (SELECT max(id) FROM cases)")" 0 \
	"the search index claims no lost case"

# --- the database itself --------------------------------------------------------

: > "$tmp/plainfile"
before=$(db_state)
run pcase-new --db "$tmp/plainfile/sub/partake.db" -k violation -s s
is "$rc" 2 "a database path under a regular file is refused"
like "$err" "$tmp/plainfile/sub/partake.db" "the message names the path"
is "$out" "" "no code printed"
[ -f "$tmp/plainfile" ] && [ ! -s "$tmp/plainfile" ]
ok $? "the file in the way is untouched"
is "$(db_state)" "$before" "the usual database is unchanged"

sqlite3 "$tmp/newer.db" "CREATE TABLE t (x); PRAGMA user_version = 99;"
sum=$(cksum < "$tmp/newer.db")
run pcase-new --db "$tmp/newer.db" -k violation -s s
is "$rc" 2 "a database from a newer version is refused"
like "$err" "newer" "the message says it is newer"
like "$err" "newer.db" "and names the file"
is "$out" "" "no code printed"
is "$(cksum < "$tmp/newer.db")" "$sum" "the newer database file is untouched (same checksum)"
[ ! -e "$tmp/newer.db-wal" ]
ok $? "no WAL file was left beside it"
is "$(sqlite3 "$tmp/newer.db" 'PRAGMA user_version')" 99 "its version is still 99"

run pcase-new --db "$tmp/fresh.db" -k violation -s 'first case'
is "$rc" 0 "a new database is created on first use"
is "$(stat -c %a "$tmp/fresh.db")" 600 "a new database file has mode 0600"
is "$(sqlite3 "$tmp/fresh.db" 'SELECT subject FROM cases')" "first case" "with the case in it"

# SQL injection strings are text, never SQL.
i=0
while IFS= read -r evil; do
	i=$((i + 1))
	run pcase-new -k violation -s "$evil" --name "$evil" -b "$evil"
	is "$rc" 0 "injection string $i is accepted as text"
	code=$out
	is "$(sql "SELECT subject FROM cases WHERE code = '$code'")" "$evil" \
		"injection string $i is stored verbatim in the subject"
	is "$(sql "SELECT name FROM cases WHERE code = '$code'")" "$evil" \
		"injection string $i is stored verbatim in the name"
done <<'EOF'
'); DROP TABLE cases; --
x'; DELETE FROM event; SELECT '
" OR 1=1 --
Robert'); DROP TABLE event;--
1; ATTACH DATABASE '/tmp/pwn.db' AS pwn; --
EOF
printf '{"kind":"violation","subject":"\\"); DROP TABLE cases; --"}\n' > "$tmp/in"
run pcase-new --batch < "$tmp/in"
is "$rc/$(sql "SELECT subject FROM cases WHERE code = '$out'")" '0/"); DROP TABLE cases; --' \
	"an injection string in a JSON line is stored verbatim"
is "$(sql "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN
	('cases', 'event', 'attachment', 'unit', 'service')")" 5 "every table is still there"
is "$(sql "SELECT count(*) FROM cases WHERE id NOT IN
	(SELECT subject_id FROM event WHERE subject_kind = 'case' AND what = 'received')")" 0 "every case still has its 'received' event"
[ ! -e /tmp/pwn.db ]
ok $? "no database was attached and created"
run pdb check
is "$rc" 0 "pdb check finds the database sound after all of it"

# --- the usual options ------------------------------------------------------------

run pcase-new -q -k violation -s quiet
is "$rc" 0 "-q: the case is stored"
valid_code "$out"
ok $? "-q still prints the code"
printf '%s\ndeadline.violation = 120\n' "$base_config" > "$tmp/long.conf"
run pcase-new --config "$tmp/long.conf" -k violation -s 'deadline into 1406'
like "$err" "1406" "a deadline that reaches a year without holidays warns"
run pcase-new -q --config "$tmp/long.conf" -k violation -s 'deadline into 1406, quiet'
is "$rc/$err" "0/" "-q silences that warning"
n0=$(sql "SELECT count(*) FROM cases")
pcase-new -k violation -s 'to a full disk' > /dev/full 2> "$tmp/full.err"
st=$?
[ "$st" -ne 0 ]
ok $? "a code that cannot be written out: non-zero exit ($st)"
like "$(cat "$tmp/full.err")" "write error" "and a message says so"
run pcase-new --help
is "$rc" 0 "--help exits 0"
like "$out" "--kind" "--help lists --kind"
like "$out" "--batch" "--help lists --batch"
like "$out" "--db" "--help lists the common options"
run pcase-new --version
is "$rc" 0 "--version exits 0"
like "$out" "pcase-new (partake) " "--version names the command and the package"
run pcase-new --no-such-option
is "$rc" 64 "an unknown option is a usage error"

done_testing
