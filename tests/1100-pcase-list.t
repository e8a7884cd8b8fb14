#!/bin/bash
# pcase-list: filters, sorting, the Persian-aware full-text query, and every
# output format, on a handful of cases made with pcase-new.
. "$(dirname "$0")/lib.sh"

# new ARGS...: registers a case and prints its code.
new() {
	pcase-new "$@" || echo "pcase-new $* failed" >&2
}

# lines TEXT...: its arguments one a line, as the codes are printed.
lines() {
	printf '%s\n' "$@"
}

# The clock is Sunday 1405-09-01 11:30 Tehran; cases received before it.
# Subject of A: Persian kaf (U+06A9) and yeh (U+06CC), digits ۱۲ in Persian.
a=$(new -k complaint -c portal -s 'شکایت از کیفیت خدمات ۱۲ مورد' --phone 09121234567 \
	--received 1405-08-10)
b=$(new -k suggestion -c sms -s 'پیشنهاد می‌کنم ساعت کاری' -b 'متن بدنهٔ پیشنهاد' \
	--anonymous --received 2026-11-10)
c=$(new -k violation -c phone -s 'subject, with "quote" and comma' --anonymous)
d=$(new -k request -c desk -s 'درخواست مجوز' -b 'room 12 near the door' \
	--email d@example.ir --received 1405-07-01)
sql "INSERT INTO unit (code, name) VALUES ('legal', 'امور حقوقی')"
e=$(new -k violation -c 111 -s 'گزارش تخلف' -b 'ما پیگیری می کنیم' --unit legal \
	--received '1405-08-25 10:00')
is "$(lines "$a" "$b" "$c" "$d" "$e" | grep -c '^[1-9][0-9]\{11\}$')" 5 "five cases to list"

# --- filters ---------------------------------------------------------------------

run pcase-list
is "$rc" 0 "with no filter: exit 0"
is "$out" "$(lines "$d" "$a" "$b" "$e" "$c")" \
	"off a terminal: bare codes, oldest received first"
is "$err" "" "nothing on standard error"

run pcase-list --kind complaint
is "$rc/$out" "0/$a" "--kind complaint"
run pcase-list --kind violation
is "$out" "$(lines "$e" "$c")" "--kind violation: both reports"
run pcase-list -k question
is "$rc/$out" "1/" "--kind question: none, exit 1, no output"
run pcase-list --state routed
is "$rc/$out" "0/$e" "--state routed: the case sent to a unit"
run pcase-list --state new
is "$out" "$(lines "$d" "$a" "$b" "$c")" "--state new: the others"
run pcase-list --channel sms
is "$rc/$out" "0/$b" "--channel sms"
run pcase-list --channel 111 --kind violation
is "$rc/$out" "0/$e" "--channel and --kind together"
run pcase-list --unit legal
is "$rc/$out" "0/$e" "--unit legal"
run pcase-list --unrouted
is "$out" "$(lines "$d" "$a" "$b" "$c")" "--unrouted: the cases with no unit"

# A filter's values widen, the filters narrow (issue 8: -k complaint -k
# violation listed violations only).
run pcase-list -k complaint -k violation
is "$rc/$out" "0/$(lines "$a" "$e" "$c")" "-k complaint -k violation: the complaints and the violations"
run pcase-list -k complaint,violation
is "$out" "$(lines "$a" "$e" "$c")" "-k complaint,violation: the same"
run pcase-list -s routed -s new -k request
is "$out" "$d" "-s routed -s new -k request: any of the states, and the kind"
run pcase-list -c sms,111 -c desk
is "$out" "$(lines "$d" "$b" "$e")" "-c sms,111 -c desk: three channels"
run pcase-list --unit legal,legal
is "$out" "$e" "--unit named twice: the case once"
run pcase-list -k commplaint,violation
is "$rc" 64 "a misspelt kind in a list: exit 64"
like "$err" "commplaint" "and names it"
pcase-status -q --set rejected --note 'درخواست تکراری است' "$d" > /dev/null
run pcase-list --open
is "$out" "$(lines "$a" "$b" "$e" "$c")" "--open: every case not settled"
run pcase-list --open -s rejected
is "$rc/$out" "1/" "--open with -s rejected: none"

run pcase-list --unit legl
is "$rc" 2 "--unit naming no unit: an error (exit 2), not an empty listing"
is "$err" "pcase-list: --unit: no such unit 'legl'" "and the message names the option and the code"
run pcase-list --service no-such-service
is "$rc" 2 "--service naming no service: exit 2"
like "$err" "--service: no such service 'no-such-service'" "named too"
run pcase-list --unit legal,legl
is "$rc/$out" "2/" "one bad code in a list is an error too: nothing listed"

run pcase-list --since 1405-08-19
is "$out" "$(lines "$b" "$e" "$c")" "--since 1405-08-19: received on or after that day"
run pcase-list --since 2026-11-10
is "$out" "$(lines "$b" "$e" "$c")" "--since 2026-11-10 (Gregorian): the same day"
run pcase-list --since '۱۴۰۵-۰۸-۱۹'
is "$out" "$(lines "$b" "$e" "$c")" "--since in Persian digits"
run pcase-list --until 1405-08-19
is "$out" "$(lines "$d" "$a" "$b")" "--until 1405-08-19: received up to the end of that day"
run pcase-list --since 1405-08-01 --until 1405-08-30
is "$out" "$(lines "$a" "$b" "$e")" "--since and --until together"
run pcase-list --since '1405-08-25 10:00'
is "$out" "$(lines "$e" "$c")" "--since with a time"
run pcase-list --since 1405-09-02
is "$rc/$out" "1/" "--since tomorrow: nothing, exit 1"

run pcase-list --limit 2
is "$out" "$(lines "$d" "$a")" "--limit 2: the first two"
run pcase-list --sort -received
is "$out" "$(lines "$c" "$e" "$b" "$a" "$d")" "--sort -received: newest first"
run pcase-list --sort -received --limit 1
is "$out" "$c" "--sort -received --limit 1: the newest"
run pcase-list --sort received
is "$out" "$(lines "$d" "$a" "$b" "$e" "$c")" "--sort received: oldest first"
run pcase-list --sort code
is "$out" "$(lines "$a" "$b" "$c" "$d" "$e" | sort -n)" "--sort code: by code"
run pcase-list --sort -code
is "$out" "$(lines "$a" "$b" "$c" "$d" "$e" | sort -rn)" "--sort -code: by code, descending"
run pcase-list --sort due
is "$out" "$(lines "$d" "$a" "$b" "$e" "$c")" "--sort due: soonest due first"
run pcase-list --sort kind --kind violation
is "$out" "$(lines "$c" "$e")" "--sort kind: ties in the order they were stored"

# --- bad options ---------------------------------------------------------------------

# usage NAME OPTION ARGS...: exit 64, a message naming OPTION, nothing on stdout.
usage() {
	local name=$1 opt=$2
	shift 2
	run pcase-list "$@"
	is "$rc" 64 "$name: exit 64"
	like "$err" "$opt" "$name: the message names the option"
	is "$out" "" "$name: nothing on standard output"
}
usage "bad --kind" --kind --kind=praise
like "$err" "praise" "bad --kind: the message names the value"
usage "bad --state" --state --state=lost
usage "bad --channel" --channel --channel=fax
usage "bad --since date" --since --since=1404-12-30
like "$err" "1404-12-30" "bad --since: the message names the date"
usage "bad --until date" --until --until=2025-02-29
usage "--since not a date" --since --since=yesterday
usage "bad --limit" --limit --limit=ten
usage "negative --limit" --limit --limit=-1
usage "bad --sort" --sort --sort=colour
usage "bad --format" --format --format=xml
run pcase-list extra
is "$rc" 64 "an operand is a usage error"

# --- the query: Persian letters and digits in any form ----------------------------

# query TEXT WANT NAME
query() {
	run pcase-list --query "$1"
	is "$out" "$2" "$3"
	[ "$rc" -le 1 ] && [ -z "$err" ]
	ok $? "$3: no error"
}
query 'شكايت' "$a" "Arabic kaf and yeh (ك ي) find Persian ک ی"
query 'كيفيت 12' "$a" "Arabic letters and Latin 12 find Persian letters and ۱۲"
query 'کیفیت ۱۲' "$a" "the query as written in the subject finds it"
query '١٢ خدمات' "$a" "Arabic-Indic digits ١٢ find ۱۲"
query '۱۲' "$(lines "$d" "$a")" "Persian ۱۲ finds Latin 12 (in a body) and ۱۲"
query 'کـیـفیت' "$a" "tatweel in the query is ignored"
query 'شِکایت' "$a" "a harakat in the query is ignored"
query 'SUBJECT' "$c" "Latin letters match in any case"
query 'بدنه' "$b" "the body is searched too"
query 'می‌کنم' "$b" "a query with ZWNJ finds the text with ZWNJ"
query 'می کنم' "$b" "a query with a space finds the text with ZWNJ"
query 'می‌کنیم' "$e" "a query with ZWNJ finds the text with a space"
query 'شکایت کیفیت' "$a" "every word must match"
run pcase-list --query 'شکایت گزارش'
is "$rc/$out" "1/" "words of two different cases: nothing (every word must match)"
query 'گزارش' "$e" "a word of a routed case"
run pcase-list --query 'گزارش' --kind complaint
is "$rc/$out" "1/" "--query and --kind together"

# FTS syntax is just text.
i=0
while IFS= read -r q; do
	i=$((i + 1))
	run pcase-list --query "$q"
	[ "$rc" -le 1 ] && [ -z "$err" ]
	ok $? "query with FTS syntax does not fail: $q"
done <<'EOF'
"quote"
"unbalanced
quote*
*
subject OR door
NEAR(subject door)
NEAR(
subject AND
NOT door
(subject
subject:quote
-subject
^subject
{subject body}
'); DROP TABLE cases; --
EOF
query '"quote"' "$c" "a quoted word finds the word"
query 'door)' "$d" "punctuation around a word is ignored"
run pcase-list --query 'subject OR door'
is "$rc/$out" "1/" "OR is a word, not an operator"
is "$(sql "SELECT count(*) FROM cases")" 5 "no query changed the cases"

run pcase-list --query 'ناموجودترین'
is "$rc" 1 "a query matching nothing: exit 1"
is "$out" "" "and no output"
is "$err" "" "and no error message"
run pcase-list --query '   '
is "$rc/$out" "1/" "a query of blanks matches nothing"

# The index catches up with cases added after a search.
f=$(new -k violation -s 'zanbur nest on the roof')
query 'zanbur' "$f" "a case added after the first search is found by the next"
printf '{"kind":"violation","subject":"zanbur again"}\n{"kind":"violation","subject":"zanbur thrice"}\n' \
	> "$tmp/batch.jsonl"
batch=$(pcase-new --batch < "$tmp/batch.jsonl")
query 'zanbur' "$(lines "$f" $batch)" "cases added by a batch are found"
query 'thrice' "$(printf '%s\n' $batch | tail -n 1)" "each one by its own words"
query 'roof' "$f" "and the first again"

# --- formats ----------------------------------------------------------------------------

run pcase-list --format tsv
is "$rc" 0 "--format tsv: exit 0"
header=$(printf '%s\n' "$out" | head -n 1)
like "$header" "$(printf 'code\tkind\t')" "--format tsv: a header line first"
like "$header" "$(printf '\tsubject\t')" "the header names the subject"
is "$(printf '%s\n' "$out" | wc -l)" 9 "a header and one line a case"
is "$(printf '%s\n' "$out" | awk -F'\t' '{print NF}' | sort -u)" \
	"$(printf '%s\n' "$header" | awk -F'\t' '{print NF}')" "every line has as many fields as the header"
is "$(printf '%s\n' "$out" | sed -n 2p | cut -f1)" "$d" "the first field is the bare code"

run pcase-list --format json
is "$rc" 0 "--format json: exit 0"
is "$(printf '%s\n' "$out" | wc -l)" 8 "one line a case"
printf '%s\n' "$out" | python3 -c 'import json,sys;[json.loads(l) for l in sys.stdin]'
ok $? "every line is JSON"
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    print(type(o).__name__, o["code"], o["kind"], o["subject"])' | sed -n 5p)" \
	"dict $c violation subject, with \"quote\" and comma" "the objects carry code, kind and subject"

run pcase-list --format csv --kind violation --channel phone
is "$rc" 0 "--format csv: exit 0"
like "$(printf '%s\n' "$out" | head -n 1)" "code,kind," "--format csv: a header line first"
is "$(printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
print(len(rows), rows[1][rows[0].index("code")], rows[1][rows[0].index("subject")], sep="|")')" \
	"2|$c|subject, with \"quote\" and comma" "a subject with a comma and a quote round-trips through csv"
run pcase-list --format csv
is "$(printf '%s\n' "$out" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin))
print(len(rows), len(set(len(r) for r in rows)))')" "9 1" "csv: every row has as many fields as the header"

run pcase-list --format codes --kind complaint
is "$out" "$a" "--format codes: bare codes"

pcase-list -0 > "$tmp/nul"
is "$?" 0 "-0: exit 0"
is "$(tr -cd '\n' < "$tmp/nul" | wc -c)" 0 "-0: no newline in the output"
is "$(tr -cd '\0' < "$tmp/nul" | wc -c)" 8 "-0: one NUL a case"
is "$(tr '\0' '\n' < "$tmp/nul")" "$(pcase-list)" "-0: the same codes"

run pcase-list --format table
is "$rc" 0 "--format table: exit 0"
like "$(printf '%s\n' "$out" | head -n 1)" "code" "--format table: a header line"
like "$out" "$(printf '%s' "$a" | sed 's/\(....\)\(....\)/\1-\2-/')" \
	"the table shows codes in groups of four"
like "$out" "شکایت از کیفیت خدمات ۱۲ مورد" "the table shows the subject"
unlike "$out" "09121234567" "the short table has no phone"
run pcase-list --format table -l
like "$(printf '%s\n' "$out" | head -n 1)" "channel" "-l: the long table has the channel"
like "$out" "09121234567" "-l: and the contact"
like "$out" "d@example.ir" "-l: the email"
run pcase-list -l --kind complaint
is "$rc" 0 "-l off a terminal: exit 0"
like "$out" "09121234567" "-l off a terminal is a long listing, not bare codes"
is "$(printf '%s\n' "$out" | head -n 1 | cut -f 1-3)" "$(printf 'code\tkind\tchannel')" \
	"-l off a terminal is data, tsv, not a table kept for widths (issue 16)"

# Codes go on to the next command.
is "$(pcase-list | pcase-status --format codes)" "$(pcase-list)" \
	"pcase-list | pcase-status: every listed code is found"
is "$(pcase-list -0 --kind violation | pcase-status -0 --format codes | tr '\0' '\n')" \
	"$(pcase-list --kind violation)" "pcase-list -0 | pcase-status -0"

pcase-list > /dev/full 2> "$tmp/full.err"
is "$?" 2 "standard output cannot be written: exit 2"
like "$(cat "$tmp/full.err")" "write error" "with a message"

run pcase-list --help
is "$rc" 0 "--help exits 0"
like "$out" "--query" "--help lists --query"
run pcase-list --version
like "$out" "pcase-list (partake) " "--version"

# A common word with --limit (a thousand matches or more) walks the
# listing's order instead of sorting every match: the first ones are the
# same as the whole listing's, back-filled cases (received earlier than
# their ids say) in their place, and a word in a few cases still finds them.
many=$tmp/many.db
PARTAKE_DB=$many pdb init >/dev/null
python3 -c '
for i in range(1650):
    r = ""
    if i % 7 == 3:
        r = "\"received\":\"1405-08-%02d\"," % (1 + i % 28)
    w = "common" if i % 3 else "other"
    print("{%s\"kind\":\"comment\",\"subject\":\"a %s word %d\",\"anonymous\":true}" % (r, w, i))
' | PARTAKE_DB=$many pcase-new --batch -q >/dev/null
whole=$(PARTAKE_DB=$many pcase-list --query common)
is "$(printf '%s\n' "$whole" | wc -l)" 1100 "a common word: 1100 of 1650 cases match"
run env PARTAKE_DB=$many pcase-list --query common --limit 5
is "$out" "$(printf '%s\n' "$whole" | head -n 5)" "--limit 5: the first five of the whole listing"
run env PARTAKE_DB=$many pcase-list --query common --limit 1 --sort=-received
is "$out" "$(PARTAKE_DB=$many pcase-list --query common --sort=-received | head -n 1)" \
	"--limit 1 in the other order: the first of that listing"
run env PARTAKE_DB=$many pcase-list --query other --limit 600 --format codes
is "$(printf '%s\n' "$out" | wc -l)" 550 "a word in fewer cases than the limit: every one of them"

# A long listing in JSON is encoded by threads past its first rows: the
# same rows, in the same order, with the same values as the other formats.
json=$(PARTAKE_DB=$many pcase-list -f json)
is "$(printf '%s\n' "$json" | wc -l)" 1650 "-f json of 1650 cases: a line each"
is "$(printf '%s\n' "$json" | python3 -c 'import json,sys
for l in sys.stdin: print(json.loads(l)["code"])')" "$(PARTAKE_DB=$many pcase-list)" \
	"-f json: the codes in the order of the listing of codes"
is "$(printf '%s\n' "$json" | head -n 100)" "$(PARTAKE_DB=$many pcase-list -f json --limit 100)" \
	"-f json --limit 100: the first hundred lines of the whole"
PARTAKE_DB=$many pcase-list -l >"$tmp/many.tsv"
is "$(printf '%s\n' "$json" | python3 -c '
import json, sys
tsv = open(sys.argv[1], encoding="utf-8").read().splitlines()
keys = tsv[0].split("\t")
def text(v):
    return "" if v is None or v == [] else str(v)
bad = [i for i, l in enumerate(sys.stdin)
       if list(json.loads(l).keys()) != keys
       or [text(v) for v in json.loads(l).values()] != tsv[i + 1].split("\t")]
print(len(tsv) - 1, bad[:3])' "$tmp/many.tsv")" "1650 []" \
	"-f json: every row has the keys and the values of the tsv listing, in order"
PARTAKE_DB=$many pcase-list -f json >/dev/full 2>"$tmp/full.err"
is "$?" 2 "-f json into a full disk: exit 2"
like "$(cat "$tmp/full.err")" "write error" "and says it could not write"

done_testing
