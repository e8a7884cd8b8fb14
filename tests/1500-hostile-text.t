#!/bin/bash
# Hostile text, as a batch file or a careless paste brings it: every
# single-line field refuses control characters, bidi overrides and invalid
# UTF-8 before anything is stored or sent; what a citizen sent is kept but
# shown escaped, so a stored body cannot rewrite the operator's screen; an
# error quotes input only escaped and cut short; a code line with a NUL
# byte is refused and the lines after it still read; the routes file's
# errors quote another file's contents only as an excerpt.
. "$(dirname "$0")/lib.sh"

ESC=$'\033' CR=$'\r'
RLO=$'\xe2\x80\xae'	# U+202E RIGHT-TO-LEFT OVERRIDE
CSI=$'\xc2\x9b'		# U+009B, C1's CONTROL SEQUENCE INTRODUCER
# raw TEXT: does TEXT hold a byte a terminal acts on (C0 but tab and LF, DEL,
# C1, a bidi control)? Then it is printed raw.
raw() { LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]\|\xe2\x80[\xaa-\xae]\|\xe2\x81[\xa6-\xa9]' <<<"$1"; }
events() { sql "SELECT count(*) FROM event"; }
notices() { sql "SELECT count(*) FROM outbox"; }

punit add water --name 'آب و فاضلاب' --email water@agency.ir >/dev/null
c=$(pcase-new -k complaint -s 'قطع آب' -b 'آب محله از دیروز قطع است' --phone 09121234567)
pcase-route --to water "$c" >/dev/null

# --- (a) every single-line field is checked at input --------------------------------
# refused WHAT OPTION WANT CMD...: CMD fails naming OPTION and WANT, and nothing
# is written (no event, no notice queued).
refused() {
	local what=$1 option=$2 want=$3 before_events before_notices
	shift 3
	before_events=$(events) before_notices=$(notices)
	run "$@"
	is "$rc/$(events)/$(notices)" "2/$before_events/$before_notices" "$what: refused, nothing written"
	like "$err" "$option: $want" "$what: the message names the option and why"
	raw "$err"
	ok $((! $?)) "$what: the message carries no raw control"
}
refused "--note of invalid UTF-8, which would go to the citizen's SMS" --note "not valid UTF-8" \
	pcase-status --set waiting --note $'\xff\xfe کدام کوچه؟' "$c"
refused "--note with an escape sequence" --note "contains a control character (U+001B at character 2)" \
	pcase-status --set waiting --note "a${ESC}[2Jb" "$c"
refused "--note with a bidi override" --note "contains a bidi control character (U+202E at character 2)" \
	pcase-status --set rejected --note "a${RLO}b" "$c"
refused "--note with a lone CR" --note "contains a control character (U+000D" \
	pcase-status --set rejected --note "ok${CR}code 0000" "$c"
refused "--reason of --extend with C1" --reason "contains a control character (U+009B" \
	pcase-status --extend 2 --reason "x${CSI}2J" "$c"
refused "--text of an answer with a lone CR" --text "contains a control character (U+000D" \
	pcase-answer --outcome accepted --action support --text "first${CR}code 0000-0000-0000" "$c"
refused "--name of a unit with a bidi override" --name "contains a bidi control character" \
	punit add lab --name "آزمایشگاه${RLO}"
refused "--name of a service with ESC" --name "contains a control character (U+001B" \
	pservice add lab-test --name "x${ESC}]0;title" --unit water
refused "--steps of a service with a lone CR" --steps "contains a control character (U+000D" \
	pservice add lab-test --name 'آزمایش' --unit water --steps "one${CR}two"
s=$(pcase-new -k suggestion -s 'پیشنهاد' --phone 09121234567)
pcase-route --to water "$s" >/dev/null
pcase-review "$s" --open >/dev/null
refused "--member with C1" --member "contains a control character (U+009B at character 4)" \
	pcase-review "$s" --member "علی${CSI}" --opinion approve
refused "--note of an opinion with ESC" --note "contains a control character (U+001B" \
	pcase-review "$s" --member 'علی' --opinion approve --note "${ESC}[8m"
refused "--note of a decision with a bidi override" --note "contains a bidi control character" \
	pcase-review "$s" --decide rejected --note "${RLO}ok"

before=$(db_state)
PARTAKE_USER="x${ESC}]0;pwned$(printf '\a')" run pcase-new -k violation -s 'x'
is "$rc/$out/$(db_state)" "2//$before" "PARTAKE_USER with an escape sequence: refused, nothing stored"
like "$err" "PARTAKE_USER: contains a control character (U+001B at character 2)" "naming the variable"
PARTAKE_USER=$'\xff' run pcase-status --set in-progress "$c"
is "$rc/$(db_state)" "2/$before" "PARTAKE_USER of invalid UTF-8: refused"

# The marks Persian needs are text.
run pcase-status --set in-progress --note $'می\u200cروم \u200fاکنون\u200e' "$c"
is "$rc" 0 "--note with ZWNJ, RLM and LRM is accepted"
run punit add lab --name $'آزمایشگاه\u200cها'
is "$rc" 0 "a unit's name with a ZWNJ is accepted"
run pcase-answer --outcome accepted --action support --text $'first line\r\nsecond\tline' "$c"
is "$rc" 0 "an answer with CRLF line ends and a tab is accepted"

# A citizen's body keeps what the citizen sent (a complaint is not refused for
# a mark no one can see), but not the controls that drive a terminal.
body="first${CR}code 0000-0000-0000 ${RLO}dcba"
h=$(pcase-new -k complaint -s 'بدنه' -b "$body" --phone 09121234567)
is "$(sql "SELECT body = '$body' FROM cases WHERE code = '$h'")" 1 \
	"a body with a lone CR and an override is stored as sent"
before=$(db_state)
run pcase-new -k complaint -s x -b "a${CSI}2J" --phone 09121234567
is "$rc/$(db_state)" "2/$before" "a body with C1's CSI is refused"
like "$err" "body: contains a control character (U+009B at character 2)" "saying what and where"
printf '{"kind":"complaint","subject":"ok","phone":"09121234567"}\n{"kind":"complaint","subject":"a\\u001b[2Jb","phone":"09121234567"}\n' >"$tmp/esc.jsonl"
run pcase-new --batch <"$tmp/esc.jsonl"
is "$rc/$(db_state)" "2/$before" "a batch with an escape in a subject: nothing of it stored"
like "$err" "line 2: subject: contains a control character (U+001B" "naming the line and the field"

# --- (b) a terminal is shown controls escaped ----------------------------------------
run pcase-status -f record "$h"
like "$out" 'first\rcode 0000-0000-0000 <U+202E>dcba' "record: the CR and the override are shown escaped"
raw "$out"
ok $((! $?)) "record: no raw control reaches the terminal"
run pcase-list -f table -l
like "$out" 'first\rcode 0000-0000-0000 <U+202E>dcba' "table: the same"
raw "$out"
ok $((! $?)) "table: no raw control reaches the terminal"
is "$(printf '%s\n' "$out" | wc -l)" "$(( $(sql "SELECT count(*) FROM cases") + 1 ))" \
	"table: a header and one line a case, whatever the bodies hold"
run pcase-list -f tsv
like "$out" 'first\rcode 0000-0000-0000' "tsv escapes the CR, as intake reads it back"
unlike "$out" "$CR" "tsv: no raw CR"

# --- (c) errors quote input escaped and cut short ------------------------------------
run pcase-list --sort "${ESC}[2J${ESC}]0;title"
is "$rc" 64 "a bad --sort: a usage error"
like "$err" "--sort: '\\x1b[2J\\x1b]0;title'" "the value is quoted escaped"
raw "$err"
ok $((! $?)) "the message carries no raw control"
run pcase-list --kind "$(printf 'x%.0s' {1..5000})"
like "$err" "…' (5000 characters)" "a long value: cut, its length said"
is "$( [ ${#err} -lt 400 ] && echo short)" short "the message stays short (${#err} bytes)"
run pcase-route --to "water${ESC}[2J" "$c"
raw "$err"
ok $((! $?)) "an unknown unit with an escape: not echoed raw"
like "$err" "no unit 'water\\x1b[2J'" "but quoted escaped"
printf '%s\n1234\033[2J5678\n' "$c" >"$tmp/codes"
run pcase-status -f codes <"$tmp/codes"
like "$err" "line 2: not a valid tracking code: '1234…' (12 characters)" \
	"a bad code line: a short excerpt only"
head -c 2000000 /dev/zero | tr '\0' x >"$tmp/long-line"
printf '\n%s\n' "$c" >>"$tmp/long-line"
run pcase-status -f codes <"$tmp/long-line"
is "$rc/$out" "1/$c" "a code line of 2,000,000 bytes: refused, the code after it shown"
is "$err" "pcase-status: line 1: longer than 1048576 bytes" "the message says the limit and echoes nothing"

# --- defect 13: a code line with a NUL byte is not acted on --------------------------
n=$(pcase-new -k complaint -s 'صفر' --phone 09121234567)
m=$(pcase-new -k complaint -s 'بعدی' --phone 09121234567)
printf '%s\0garbage\n%s\n' "$n" "$m" >"$tmp/nul-codes"
run pcase-route --to water -v <"$tmp/nul-codes"
is "$rc/$out" "1/$m" "CODE\\0garbage: refused; the next line's code is acted on"
like "$err" "line 1: contains a NUL byte" "the message names the line"
is "$(sql "SELECT state FROM cases WHERE code = '$n'")/$(sql "SELECT state FROM cases WHERE code = '$m'")" \
	"new/routed" "the case before the NUL byte is left as it was"
run pcase-route --to water <"$tmp/nul-codes"
like "$err" "contains a NUL byte: 1;" "without -v: counted in the summary"
printf '%s\0%s\0' "$n" "$m" | pcase-status -0 -f codes >"$tmp/out0"
is "$(tr '\0' ' ' <"$tmp/out0")" "$n $m " "with -0 the NUL is the separator, as before"

# The routes file's errors, when routes = names some other file by mistake.
secret=$tmp/secret.tsv
printf 'Sup3rS3cretTok3n/with+base64==\t*\t*\t*\twater\n' >"$secret"
printf '%s\nroutes = %s\n' "$base_config" "$secret" >"$PARTAKE_CONFIG"
run pcase-route --auto "$n"
is "$rc" 2 "a routes file that is some other file: refused"
like "$err" "$secret:1: unknown kind 'Sup3…' (30 characters)" "quoting only a short excerpt of it"
unlike "$err" "S3cretTok3n" "not the secret"
printf '*\t*\t*\t*\t%s\n' "no${ESC}[2Junit" >"$secret"
run pcase-route --auto "$n"
raw "$err"
ok $((! $?)) "a unit with an escape in the routes file: not echoed raw"
printf '*\t*\t*\t*\tghost\n' >"$secret"
run pcase-route --auto "$n"
like "$err" "$secret:1: no unit 'ghost'" "a unit's code is quoted whole"
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"

done_testing
