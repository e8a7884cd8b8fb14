#!/bin/bash
# pcase-route: by hand (--to), by the routing rules (--auto), up to the parent
# unit (--escalate); codes from operands or standard input; bad rule files;
# a code twice; concurrent moves on one case never lose an event.
. "$(dirname "$0")/lib.sh"

# events CODE: the case's events as "what|before|after|note", one a line.
events() {
	sql "SELECT e.what || '|' || coalesce(e.before, '') || '|' || coalesce(e.after, '') || '|' ||
		coalesce(e.note, '') FROM event e JOIN cases c ON e.subject_kind = 'case' AND c.id = e.subject_id
		WHERE c.code = $1 ORDER BY e.id"
}
# where CODE: "state|unit" of a case.
where() {
	sql "SELECT c.state || '|' || coalesce(u.code, '') FROM cases c
		LEFT JOIN unit u ON u.id = c.unit_id WHERE c.code = $1"
}
sorted() { printf '%s\n' "$@" | sort; }

punit add hq --name 'ریاست' >/dev/null
punit add inspection --name 'بازرسی' --parent hq >/dev/null
punit add field --name 'بازرسی میدانی' --parent inspection >/dev/null
punit add enforcement --name 'اجرائیات' --parent hq >/dev/null
punit add permits --name 'پروانه‌ها' --parent hq >/dev/null
punit add general --name 'دبیرخانه' >/dev/null
punit add committee --name 'کمیته پیشنهادها' >/dev/null
pservice add building-permit --name 'پروانه ساختمان' --unit permits >/dev/null

# --- by hand -------------------------------------------------------------------------

a=$(pcase-new -k complaint -c portal -s 'رفتار نامناسب' --phone 09121234567)
is "$(where "$a")" "new|" "a new case has no unit"
run pcase-route --to inspection "$a"
is "$rc" 0 "--to: exit 0"
is "$out" "$a" "prints the code it routed"
is "$(where "$a")" "routed|inspection" "the case is routed to the unit"
is "$(events "$a")" "$(printf 'received||new|portal\nroute|new|routed|inspection: by hand')" \
	"a 'route' event from new to routed, naming the unit"
is "$(sql "SELECT count(*) FROM outbox WHERE key = printf('notice:%012d', (SELECT max(id) FROM event))")" 1 \
	"the citizen's 'routed' notice is queued"

before=$(db_state)
run pcase-route --to nowhere "$a"
is "$rc" 1 "--to an unknown unit: exit 1"
like "$err" "no unit 'nowhere'" "naming the unit"
is "$(db_state)" "$before" "nothing changed"
is "$(where "$a")" "routed|inspection" "the case stays where it was"
run pcase-route --to general 123456789012
is "$rc" 1 "a malformed tracking code: exit 1"
like "$err" "123456789012" "naming it"

# A code twice in one input: the second time it is with the unit already, and is reported.
b=$(pcase-new -k request -s 'درخواست نسخه' --phone 09121234567)
before=$(sql "SELECT count(*) FROM event")
run pcase-route --to general "$b" "$b"
is "$rc" 1 "--to with a code given twice: exit 1"
is "$out" "$b" "the code is printed once: routed the first time"
like "$err" "given twice; acted on once" "the second time is reported: a code given twice is acted on once"
is "$(sql "SELECT count(*) FROM event")" "$((before + 1))" "one route event, not two"
run sh -c "printf '%s\n%s\n' $b $b | pcase-route --to inspection"
is "$rc" 1 "the same from standard input: exit 1"
is "$out" "$b" "routed once"
is "$(where "$b")" "routed|inspection" "to the unit named"

# --- exactly one way -----------------------------------------------------------------

before=$(db_state)
run pcase-route "$a"
is "$rc" 64 "no --to, --auto or --escalate (code as an operand): exit 64"
like "$err" "say how" "saying how to route"
run sh -c "echo $a | pcase-route"
is "$rc" 64 "no --to, --auto or --escalate (code on standard input): exit 64"
run pcase-route --to general --escalate "$a"
is "$rc" 64 "--to with --escalate (code as an operand): exit 64"
run sh -c "echo $a | pcase-route --to general --escalate"
is "$rc" 64 "--to with --escalate (code on standard input): exit 64"
run pcase-route --to general --auto "$a"
is "$rc" 64 "--to with --auto: exit 64"
run pcase-route --auto --escalate "$a"
is "$rc" 64 "--auto with --escalate: exit 64"
run pcase-route --to general --level 1 "$a"
is "$rc" 64 "--level without --escalate: exit 64"
run pcase-route --escalate --level 0 "$a"
is "$rc" 64 "--level 0: exit 64"
is "$(db_state)" "$before" "the refused command lines changed nothing"
is "$(where "$a")" "routed|inspection" "the case is where it was"

# --- by the rules --------------------------------------------------------------------

rules=$tmp/routes
{
	echo '# kind	channel	service	pattern	unit'
	printf '*\t*\tbuilding-permit\t*\tpermits\n'
	printf 'violation\t*\t*\tسد معبر|ساخت و ساز\tenforcement\n'
	echo
	printf 'complaint\tportal,sms\t*\tکارمند\tinspection\n'
	printf 'request\t*\t*\tپیگیری\tinspection\n'
	printf 'question\t*\t*\tسامانه 137\tpermits\n'
	printf 'complaint,request\t*\t*\t*\tgeneral\n'
	printf 'suggestion\t*\t*\t*\tcommittee\n'
} >"$rules"
printf '%s\nroutes = %s\n' "$base_config" "$rules" >"$PARTAKE_CONFIG"

# Subjects typed with Arabic kaf and yeh (ك ي) where the rules have Persian ک ی.
arabic_kaf=$(pcase-new -k complaint -c portal -s 'رفتار كارمند باجه' --phone 09121234567)
arabic_yeh=$(pcase-new -k request -c phone -s 'پيگيري پرونده' --phone 09121234567)
wrong_channel=$(pcase-new -k complaint -c phone -s 'رفتار کارمند باجه' --phone 09121234567)
in_body=$(pcase-new -k violation -c 111 -s 'گزارش' -b 'ساخت و ساز بدون پروانه در کوچه' --anonymous)
digits=$(pcase-new -k question -c sms -s 'تماس با سامانه ۱۳۷' --phone 09121234567)
suggestion=$(pcase-new -k suggestion -c portal -s 'ساعت کاری بیشتر' --anonymous)
unmatched=$(pcase-new -k violation -c 111 -s 'چراغ خاموش' --anonymous)
# A case about a service, routed elsewhere by hand at intake.
service=$(pcase-new -k complaint -c portal -s 'کارمند پروانه' --phone 09121234567 \
	--service building-permit --unit general)
is "$(where "$service")" "routed|general" "a service case given --unit at intake"

run pcase-list --state new
is "$(echo "$out" | wc -l)" 7 "seven new cases to route"

# A rules file tried before it is used (issue 8): the plan, nothing changed.
before=$(db_state)
grouped() { echo "${1:0:4}-${1:4:4}-${1:8:4}"; }
run sh -c 'pcase-list --state new | pcase-route --auto --dry-run'
is "$rc" 1 "--auto --dry-run: exit 1, as the run would (one case no rule matches)"
is "$(echo "$out" | head -1)" "$(printf 'code\tunit\trule\trefused')" "a TSV plan off a terminal"
like "$out" "$(printf '%s\tinspection\t5\t' "$arabic_kaf")" "the case, the unit it would go to, the rule's line"
like "$out" "$(printf '%s\tenforcement\t3\t' "$in_body")" "a rule matching the body"
like "$out" "$(printf '%s\tcommittee\t9\t' "$suggestion")" "the suggestion to the committee"
like "$out" "$(printf '%s\t\t\tno routing rule matches; left unrouted' "$unmatched")" \
	"the case no rule matches, and why"
is "$(echo "$out" | wc -l)" 8 "a row for each of the seven, after the header"
is "$(db_state)" "$before" "the dry run stored nothing: no event"
is "$(where "$arabic_kaf")" "new|" "the cases are where they were"
is "$(sql "SELECT count(*) FROM event WHERE subject_kind = 'routes'")" 0 \
	"not even the rules' version is recorded"
run pcase-route --dry-run --to hq "$unmatched"
is "$rc/$out" "0/$(printf 'code\tunit\trule\trefused\n%s\thq\t\t' "$unmatched")" "--dry-run --to: the plan of one"
is "$(where "$unmatched")" "new|" "and nothing moved"
run sh -c 'pcase-list --state new | pcase-route --auto'
is "$rc" 1 "pcase-list --state new | pcase-route --auto: exit 1, one case no rule matches"
is "$(echo "$out" | sort)" "$(sorted "$arabic_kaf" "$arabic_yeh" "$wrong_channel" "$in_body" "$digits" "$suggestion")" \
	"the codes printed are the six it routed"
is "$err" "pcase-route: routed 6, failed 1 (no routing rule matches; left unrouted: 1; -v shows each)" \
	"one summary line on stderr counts the case no rule matches, by reason (issue 8)"
is "$(where "$unmatched")" "new|" "it is left unrouted"
run sh -c 'pcase-list --state new | pcase-route --auto -v'
is "$rc/$out" "1/" "again, with -v: nothing more to route"
like "$err" "pcase-route: $(sql "SELECT substr(code, 1, 4) || '-' || substr(code, 5, 4) || '-' || substr(code, 9, 4) FROM cases WHERE code = $unmatched"): no routing rule matches; left unrouted" \
	"-v names the case by its code"
is "$(echo "$err" | wc -l)" 2 "and only that one, then the summary"
is "$(echo "$err" | tail -1)" "pcase-route: routed 0, failed 1 (no routing rule matches; left unrouted: 1)" \
	"the summary ends it"
is "$(events "$unmatched" | wc -l)" 1 "with no event but 'received'"

is "$(where "$arabic_kaf")" "routed|inspection" \
	"a rule written with Persian ک matches a subject typed with Arabic ك"
is "$(where "$arabic_yeh")" "routed|inspection" \
	"a rule written with Persian ی matches a subject typed with Arabic ي (before the catch-all)"
is "$(where "$wrong_channel")" "routed|general" \
	"a channel not in the rule's list skips it: the next rule that matches wins"
is "$(where "$in_body")" "routed|enforcement" "the pattern is matched against the body too"
is "$(where "$digits")" "routed|permits" "Persian digits in the subject match Latin digits in the rule"
is "$(where "$suggestion")" "routed|committee" "a kind-only rule"
is "$(events "$arabic_kaf" | tail -1)" "route|new|routed|inspection: rule at line 5" \
	"the route event names the unit and the rule's line in the file"
is "$(events "$wrong_channel" | tail -1)" "route|new|routed|general: rule at line 8" "line 8, the catch-all"

run pcase-route --auto "$service"
is "$rc" 0 "--auto on a case of a service"
is "$(where "$service")" "routed|permits" \
	"first match wins: the service rule (line 2) before the 'کارمند' rule (line 5) and the catch-all"
is "$(events "$service" | tail -1)" "route|routed|routed|permits: rule at line 2" "from routed to routed"
run pcase-route --auto "$service"
is "$rc" 1 "routing it again by the same rules: exit 1"
like "$err" "it is with permits already" "it is with that unit already"

# A rule file with a bad regular expression: an error naming the file and line; nothing routed.
late=$(pcase-new -k complaint -c portal -s 'کارمند دیگر' --phone 09121234567)
bad=$tmp/bad-routes
printf '# first a good rule\n*\t*\t*\tکارمند\tinspection\ncomplaint\t*\t*\t(unclosed\tgeneral\n' >"$bad"
printf '%s\nroutes = %s\n' "$base_config" "$bad" >"$PARTAKE_CONFIG"
before=$(db_state)
run sh -c "printf '%s\n%s\n' $late $unmatched | pcase-route --auto"
is "$rc" 2 "a rule file with a bad regular expression: exit 2"
like "$err" "$bad:3:" "the error names the file and the line"
like "$err" "(unclosed" "and the pattern"
is "$out" "" "no code printed"
is "$(db_state)" "$before" "nothing routed, not even by the good rule before it"
is "$(where "$late")" "new|" "the case stays new"

printf '*\t*\t*\tکارمند\tinspection\n*\t*\t*\t*\tghost\n' >"$bad"
run pcase-route --auto "$late"
is "$rc" 2 "a rule naming an unknown unit: exit 2"
like "$err" "$bad:2: no unit 'ghost'" "the error names the file, the line and the unit"
printf 'grievance\t*\t*\t*\tgeneral\n' >"$bad"
run pcase-route --auto "$late"
like "$err" "$bad:1: unknown kind 'grievance'" "an unknown kind: file and line"
printf '*\tfax\t*\t*\tgeneral\n' >"$bad"
run pcase-route --auto "$late"
like "$err" "$bad:1: unknown channel 'fax'" "an unknown channel: file and line"
printf '*\t*\t*\tgeneral\n' >"$bad"
run pcase-route --auto "$late"
like "$err" "$bad:1: expected five tab-separated fields" "four fields: file and line"
# Patterns regcomp would take minutes or hours over (found by
# tests/fuzz/routes.c): a repetition of a repetition, nested ones, one of
# what can match nothing, too many copies. Refused at once.
for p in "wa$(printf '+%.0s' $(seq 40))ter" "$(printf '(%.0s' $(seq 30))a$(printf ')+%.0s' $(seq 30))" \
	'((#*)+){1000}' '(x{1000}){1000}'; do
	printf '*\t*\t*\t%s\tgeneral\n' "$p" >"$bad"
	run timeout 10 pcase-route --auto "$late"
	is "$rc" 2 "a pattern too big once its repetitions are spelled out (${p:0:12}…): exit 2, at once"
	like "$err" "$bad:1: pattern" "naming the file, the line and the pattern"
done
printf '*\t*\t*\t(کارمند|[[:alpha:]]]+){1,3}x{0,20}[]^(]*\tinspection\n' >"$bad"
run pcase-route --auto --dry-run "$late"
is "$rc" 0 "a pattern with its repetitions in reason still loads"
is "$(db_state)" "$before" "none of the bad files routed anything"
printf '%s\nroutes = %s\n' "$base_config" "$tmp/no-such-file" >"$PARTAKE_CONFIG"
run pcase-route --auto "$late"
is "$rc" 2 "a routes file that does not exist: exit 2"
like "$err" "$tmp/no-such-file" "naming it"
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"
run pcase-route --auto "$late"
is "$rc" 2 "--auto with no routes in the config: exit 2"
like "$err" "routes = FILE" "saying which key to set"

# --- escalation ----------------------------------------------------------------------

f=$(pcase-new -k complaint -s 'escalate me' --phone 09121234567 --unit field)
run pcase-route --escalate "$f"
is "$rc" 0 "--escalate: exit 0"
is "$out" "$f" "prints the code"
is "$(where "$f")" "routed|inspection" "the case moves to its unit's parent"
is "$(events "$f" | tail -1)" "route|routed|routed|inspection: escalated" "a route event says it was escalated"
pcase-route --escalate "$f" >/dev/null
is "$(where "$f")" "routed|hq" "and again, to the parent's parent"
run pcase-route --escalate "$f"
is "$rc" 1 "a case whose unit has no parent: exit 1"
like "$err" "its unit has no parent to escalate to" "is reported"
is "$(where "$f")" "routed|hq" "and left where it was"
run pcase-route --escalate "$unmatched"
is "$rc" 1 "a case with no unit: exit 1"
like "$err" "it has no unit to escalate from" "is reported"

# A code twice in one input escalates it once; the second is reported.
twice=$(pcase-new -k complaint -s 'escalate once' --phone 09121234567 --unit field)
run pcase-route --escalate "$twice" "$twice"
is "$rc" 1 "--escalate with a code given twice: exit 1"
is "$(where "$twice")" "routed|inspection" "the case goes up one level, not two"

# The nightly job: each overdue case escalated once per level, not once per night.
o1=$(pcase-new -k complaint -s 'overdue one' --phone 09121234567 --unit field --received '1405-08-01 09:00')
o2=$(pcase-new -k request -s 'overdue two' --phone 09121234567 --unit enforcement --received '1405-08-05 09:00')
run pcase-list --overdue --unnotified 1
is "$(echo "$out" | sort)" "$(sorted "$o1" "$o2")" "two overdue cases not yet notified at level 1"
run sh -c 'pcase-list --overdue --unnotified 1 | pcase-route --escalate --level 1'
is "$rc" 0 "the first night: exit 0"
is "$(echo "$out" | sort)" "$(sorted "$o1" "$o2")" "both escalated, and printed"
is "$(where "$o1") $(where "$o2")" "routed|inspection routed|hq" "each to its unit's parent"
is "$(events "$o1" | tail -2)" "$(printf 'route|routed|routed|inspection: escalated\noverdue-notice||1|')" \
	"the escalation and the overdue notice of level 1 are events"
is "$(sql "SELECT count(*) FROM overdue_notice WHERE level = 1")" 2 "the ledger has both at level 1"
before=$(db_state)
run sh -c 'pcase-list --overdue --unnotified 1 | pcase-route --escalate --level 1'
is "$out" "" "the second night selects nothing"
is "$(db_state)" "$before" "and changes nothing"
is "$(where "$o1") $(where "$o2")" "routed|inspection routed|hq" "each case escalated once"
run pcase-list --overdue --unnotified 2
is "$(echo "$out" | sort)" "$(sorted "$o1" "$o2")" "level 2 has not been sent: both selected"
run pcase-status --notified 2 "$o1"
is "$rc" 0 "pcase-status --notified 2 records level 2 by hand"
run pcase-list --overdue --unnotified 2
is "$out" "$o2" "and --unnotified 2 passes it over"

# --- many codes: progress on a terminal, one summary (issue 8) -------------------------

for i in $(seq 1 1500); do
	printf '{"kind":"violation","channel":"111","subject":"گزارش %d","anonymous":true}\n' "$i"
done > "$tmp/many.jsonl"
pcase-new -q --batch < "$tmp/many.jsonl" > "$tmp/many.codes"
is "$(wc -l < "$tmp/many.codes")" 1500 "1,500 new cases to route"
# script(1) gives the pipeline a terminal, as an admin's shell has.
timeout 120 script -qec "pcase-route --to general < '$tmp/many.codes' > /dev/null" /dev/null \
	> "$tmp/tty.out" 2>&1
is "$?" 0 "routing them from standard input on a terminal: exit 0"
like "$(cat "$tmp/tty.out")" "$(printf '\rpcase-route: 1000 lines')" "progress is shown on the terminal"
like "$(cat "$tmp/tty.out")" "pcase-route: routed 1500" "and the run ends with its summary"
head -3 "$tmp/many.codes" > "$tmp/three.codes"
run sh -c "pcase-route --to general < '$tmp/three.codes' 2>&1 >/dev/null"
is "$out" "pcase-route: routed 0, failed 3 (it is with general already: 3; -v shows each)" \
	"off a terminal no progress, and a failure reason counted, not repeated"
run pcase-route -q --to general < "$tmp/three.codes"
is "$rc/$err" "1/" "-q: no summary either; the exit status tells"
run pcase-route --to general "$(head -1 "$tmp/many.codes")"
like "$err" "it is with general already" "a code given as an operand: its own line"
unlike "$err" "routed 0" "and no summary"

# --- concurrency: moves on one case from many processes -------------------------------

k=$(pcase-new -k complaint -s 'contested' --phone 09121234567 --unit general)
kid=$(sql "SELECT id FROM cases WHERE code = $k")
mkdir "$tmp/par"
for i in $(seq 1 10); do
	unit=general
	[ $((i % 2)) -eq 0 ] && unit=inspection
	(timeout 30 pcase-route --to "$unit" "$k" >/dev/null 2>"$tmp/par/route$i.err"
	 echo $? >"$tmp/par/route$i.rc") &
	if [ $((i % 2)) -eq 0 ]; then
		(timeout 30 pcase-status --set in-progress "$k" >/dev/null 2>"$tmp/par/set$i.err"
		 echo $? >"$tmp/par/set$i.rc") &
	else
		(timeout 30 pcase-status --set waiting --note "سوال $i" "$k" >/dev/null 2>"$tmp/par/set$i.err"
		 echo $? >"$tmp/par/set$i.rc") &
	fi
done
wait
is "$(ls "$tmp"/par/*.rc | wc -l)" 20 "all twenty commands finished"
is "$(cat "$tmp"/par/*.rc | sort -u | grep -v '^[01]$' | tr '\n' ' ')" "" \
	"each exited 0 (moved) or 1 (refused: not a move from the state it found); none busy or broken"
succeeded=$(cat "$tmp"/par/*.rc | grep -c '^0$')
echo "# $succeeded of the 20 moved the case; the others found it in a state they could not move from"
moves=$(sql "SELECT count(*) FROM event WHERE subject_kind = 'case' AND subject_id = $kid AND what IN ('route', 'state')")
is "$moves" "$((succeeded + 1))" "every command that said it moved the case left its event (and intake's route)"
is "$(sql "SELECT count(*) || ' ' || max(id) FROM event")" \
	"$(sql "SELECT max(id) || ' ' || max(id) FROM event")" "event ids have no gaps"
is "$(sql "WITH s AS (SELECT id, before, after, lag(after) OVER (ORDER BY id) AS prev FROM event
	WHERE subject_kind = 'case' AND subject_id = $kid AND what IN ('received', 'route', 'state', 'reopen'))
	SELECT count(*) FROM s WHERE prev IS NOT NULL AND before IS NOT prev")" 0 \
	"each state event's 'before' is the previous state event's 'after'"
is "$(sql "SELECT after FROM event WHERE subject_kind = 'case' AND subject_id = $kid AND what IN ('route', 'state') ORDER BY id DESC LIMIT 1")" \
	"$(sql "SELECT state FROM cases WHERE id = $kid")" "the last event's 'after' is the case's state"
is "$(sql "SELECT count(*) FROM event WHERE subject_kind = 'case' AND subject_id = $kid AND what IN ('route', 'state')
	AND NOT ((before = 'new' AND after = 'routed') OR (before IN ('routed', 'in-progress', 'waiting')
	AND after = 'routed') OR (before IN ('routed', 'waiting') AND after = 'in-progress')
	OR (before IN ('routed', 'in-progress') AND after = 'waiting'))")" 0 \
	"every recorded move is one the table allows"
# The rules in force are in the audit chain: each version once, as it takes effect.
routes_events() { sql "SELECT what || ' ' || note FROM event WHERE subject_kind = 'routes' ORDER BY id"; }
n=$(routes_events | wc -l)
[ "$n" -ge 1 ]
ok $? "the routing rules used are an event of the audit chain"
is "$(sql "SELECT after FROM event WHERE subject_kind = 'routes' ORDER BY id DESC LIMIT 1")" \
	"$(cat "$(sql "SELECT subject FROM event WHERE subject_kind = 'routes' ORDER BY id DESC LIMIT 1")")" \
	"with the text of the file as it was used"
printf '%s\nroutes = %s\n' "$base_config" "$rules" >"$PARTAKE_CONFIG"
g=$(pcase-new -k violation -s 'دوباره' --anonymous)
run pcase-route --auto "$g"
[ "$rc" -le 1 ]
ok $? "the same rules read again (routed, or no rule matched)"
is "$(routes_events | wc -l)" "$n" "the same rules again: no new event"
printf '*\t*\t*\t*\tpermits\n' >>"$rules"
g=$(pcase-new -k violation -s 'باز هم' --anonymous)
run pcase-route --auto "$g"
is "$(routes_events | wc -l)" "$((n + 1))" "the file changed: one new event"
is "$(sql "SELECT what || ' ' || (before IS NOT NULL) || ' ' || (after LIKE '%permits' || char(10))
	FROM event WHERE subject_kind = 'routes' ORDER BY id DESC LIMIT 1")" "change 1 1" \
	"a change, with the rules before and after"
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"

# A routes file that cannot be read is an error naming it, never "no rule
# matches" (before, a directory read as "line 0: read error", and /dev/zero
# under a memory limit as a file of no rules: exit 0, nothing routed).
printf '%s\nroutes = %s\n' "$base_config" "$tmp" >"$PARTAKE_CONFIG"
before=$(db_state)
run pcase-route --auto "$late"
is "$rc" 2 "routes = a directory: exit 2"
is "$err" "pcase-route: $tmp: cannot read: Is a directory" "naming the file and why"
is "$(db_state)" "$before" "nothing routed"
# A sanitizer build cannot run under a memory limit: there the case is skipped.
if can_limit_memory; then
	printf '%s\nroutes = /dev/zero\n' "$base_config" >"$PARTAKE_CONFIG"
	run sh -c "ulimit -v 400000 && exec timeout 20 pcase-route --auto $late"
	is "$rc" 2 "routes = /dev/zero under a memory limit: exit 2"
	like "$err" "/dev/zero:1: longer than 65536 bytes" "naming the file and why, not 'no rule matches'"
	is "$(db_state)" "$before" "nothing routed"
else
	ok 0 "# SKIP cannot run under a memory limit here"
	ok 0 "# SKIP (the same)"
	ok 0 "# SKIP (the same)"
fi
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"

# The codes routed, in the format asked for.
f=$(pcase-new -k violation -s 'قالب' --anonymous)
run pcase-route --to permits "$f" -f json
is "$rc/$out" "0/{\"code\":\"$f\"}" "-f json: each code routed as a JSON object"

run pdb check
is "$rc" 0 "pdb check: the audit chain is unbroken"

done_testing
