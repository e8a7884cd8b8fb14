#!/bin/bash
# Intake that can be run again (issue 15, defect 11): a case carries the id
# its channel gave it (source_id, --source-id); fed in again with the same
# content it stores nothing and prints the code it has; fed in again with
# other content it is refused, naming the line and the field. The batch
# stays all or nothing.
. "$(dirname "$0")/lib.sh"

# state: what the database holds, every table a command of intake writes.
state() {
	sql "SELECT (SELECT count(*) FROM cases) || ' cases, ' || (SELECT count(*) FROM event) ||
		' events, ' || (SELECT count(*) FROM outbox) || ' notices, ' ||
		(SELECT count(*) FROM attachment) || ' attachments'"
}
printf '%%PDF-1.4 call\n' > "$tmp/call.pdf"
pdb -q init

# --- a batch run twice ------------------------------------------------------------

cat > "$tmp/day.jsonl" <<EOF
{"kind":"complaint","channel":"111","source_id":"111-2048","subject":"قطعی آب","phone":"0912 123 4567"}
{"kind":"violation","channel":"111","source_id":"111-2049","subject":"سد معبر","anonymous":true,"attach":"$tmp/call.pdf"}
{"kind":"request","channel":"email","source_id":"<a1@mail.example.ir>","subject":"گواهی","email":"a@example.ir"}
{"kind":"suggestion","subject":"بدون شناسه","anonymous":true}
EOF
run pcase-new --batch < "$tmp/day.jsonl"
is "$rc" 0 "a batch with source ids is stored"
first=$out
is "$(printf '%s\n' "$first" | wc -l)" 4 "four codes"
is "$err" "" "nothing on standard error"
is "$(sql "SELECT channel || ' ' || coalesce(source_id, '-') || ' ' || length(coalesce(source_digest, '')) FROM cases ORDER BY id")" \
	"111 111-2048 64
111 111-2049 64
email <a1@mail.example.ir> 64
other - 0" "each case keeps its channel's id and the digest of what was taken in"
after_first=$(state)

# The same batch again, as after a run whose codes were lost: the known
# lines print their codes and store nothing; the line without a source id
# cannot be known, and is stored again.
run pcase-new --batch < "$tmp/day.jsonl"
is "$rc" 0 "the same batch again: exit 0"
is "$(printf '%s\n' "$out" | head -n 3)" "$(printf '%s\n' "$first" | head -n 3)" \
	"the lines with source ids print the codes they were given, in their places"
[ "$(printf '%s\n' "$out" | tail -n 1)" != "$(printf '%s\n' "$first" | tail -n 1)" ]
ok $? "the line without one is a new case"
is "$err" "pcase-new: 3 of the 4 cases were taken in before, by their source ids: their codes are printed, and nothing of them stored again" \
	"standard error says how many were known"
events=$(sql "SELECT count(*) FROM event")
is "$(state)" "5 cases, $events events, $(sql "SELECT count(*) FROM outbox") notices, 1 attachments" \
	"one case more"
is "$after_first" "4 cases, $((events - 1)) events, 2 notices, 1 attachments" \
	"and one event more (its 'received'): no notice, no attachment more"
sed -i '$d' "$tmp/day.jsonl"	# the line without a source id
before=$(state)
run pcase-new -q --batch < "$tmp/day.jsonl"
is "$rc/$out" "0/$(printf '%s\n' "$first" | head -n 3)" \
	"a batch of known lines only: the same codes again"
is "$err" "" "with -q, no word of it"
is "$(state)" "$before" "and the database as it was: no case, event, notice or attachment more"

# As TSV, the same rows are the same cases.
printf 'kind\tchannel\tsource_id\tsubject\tphone\tanonymous\nviolation\t111\t111-2049\tسد معبر\t\t1\n' \
	> "$tmp/day.tsv"
run pcase-new --batch --tsv < "$tmp/day.tsv"
is "$rc" 2 "a known line without the attachment it came with is another case"
printf 'kind\tchannel\tsource_id\tsubject\tanonymous\tattach\nviolation\t111\t111-2049\tسد معبر\tyes\t%s\n' \
	"$tmp/call.pdf" > "$tmp/day.tsv"
run pcase-new --batch --tsv < "$tmp/day.tsv"
is "$rc/$out" "0/$(printf '%s\n' "$first" | sed -n 2p)" "the same row as TSV is the same case"

# A mix of known and new lines.
before_cases=$(sql "SELECT count(*) FROM cases")
cat > "$tmp/mix.jsonl" <<'EOF'
{"kind":"complaint","channel":"111","source_id":"111-2050","subject":"new one","phone":"09121234567"}
{"kind":"complaint","channel":"111","source_id":"111-2048","subject":"قطعی آب","phone":"09121234567"}
{"kind":"complaint","channel":"sms","source_id":"111-2048","subject":"another channel","phone":"09121234567"}
{"kind":"complaint","channel":"111","source_id":"111-2050","subject":"new one","phone":"09121234567"}
EOF
run pcase-new --batch < "$tmp/mix.jsonl"
is "$rc" 0 "a batch of new and known lines: exit 0"
set -- $out
is "$2" "$(printf '%s\n' "$first" | head -n 1)" \
	"a known line prints its code (the phone written another way is the same phone)"
is "$(sql "SELECT count(*) FROM cases") $(sql "SELECT source_id || ' ' || channel FROM cases WHERE code = $3")" \
	"$((before_cases + 2)) 111-2048 sms" "the same number from another channel is another case"
is "$4" "$1" "a line repeated within the batch is the case its first time made"
like "$err" "2 of the 4 cases were taken in before" "the repeat is counted as known"

# A case that has moved on since is still the case it was taken in as.
punit add water --name 'آب' >/dev/null
pcase-route --to water "$(printf '%s\n' "$first" | head -n 1)" >/dev/null
pcase-edit --phone 09351112233 --reason 'شماره درست' "$(printf '%s\n' "$first" | head -n 1)" >/dev/null
before=$(state)
run pcase-new -q --batch < "$tmp/day.jsonl"
is "$rc/$(printf '%s\n' "$out" | head -n 1)" "0/$(printf '%s\n' "$first" | head -n 1)" \
	"a case routed and corrected since: its line is still known by what was taken in"
is "$(state)" "$before" "nothing stored"

# --- the same source id with other content -----------------------------------------

before=$(state)
cat > "$tmp/clash.jsonl" <<'EOF'
{"kind":"complaint","channel":"111","source_id":"111-3000","subject":"good new line","phone":"09121234567"}
{"kind":"complaint","channel":"111","source_id":"111-2048","subject":"قطعی برق","phone":"09121234567"}
EOF
run pcase-new --batch < "$tmp/clash.jsonl"
is "$rc" 2 "a known source id with another subject: exit 2"
is "$err" "pcase-new: line 2: source_id: '111-2048' of channel 111 is case $(printf '%s\n' "$first" |
	head -n 1 | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/') already, taken in with other content: another case needs a source id of its own (nothing stored)" \
	"the message names the line, the field and the case it collides with"
is "$out" "" "no code is printed"
is "$(state)" "$before" "the batch stores nothing, not even its good line"
is "$(sql "SELECT count(*) FROM cases WHERE source_id = '111-3000'")" 0 "(the good line is not there)"
for change in '"received":"1405-08-20"' '"email":"b@example.ir"' '"body":"متن"' '"unit":"water"'; do
	printf '{"kind":"complaint","channel":"111","source_id":"111-2048","subject":"قطعی آب","phone":"0912 123 4567",%s}\n' \
		"$change" > "$tmp/clash1.jsonl"
	run pcase-new --batch < "$tmp/clash1.jsonl"
	is "$rc" 2 "the known line with $change added: another case, refused"
done
printf '%%PDF-1.4 another call\n' > "$tmp/other.pdf"
printf '{"kind":"violation","channel":"111","source_id":"111-2049","subject":"سد معبر","anonymous":true,"attach":"%s"}\n' \
	"$tmp/other.pdf" > "$tmp/clash2.jsonl"
run pcase-new --batch < "$tmp/clash2.jsonl"
is "$rc" 2 "the known line with another file attached: refused"
like "$err" "line 1: source_id: '111-2049'" "naming the line and the field"

# --- one case -------------------------------------------------------------------------

run pcase-new -k complaint -c phone --source-id 'call 77' -s 'یک مورد' --phone 09121234567
is "$rc" 0 "--source-id with one case"
one=$out
before=$(state)
run pcase-new -k complaint -c phone --source-id 'call 77' -s 'یک مورد' --phone 09121234567
is "$rc/$out" "0/$one" "the same case again: exit 0, its code"
is "$err" "pcase-new: source id 'call 77' was taken in before: its case's code is printed, and nothing stored again" \
	"standard error says so"
is "$(state)" "$before" "nothing stored"
run pcase-new -q -k complaint -c phone --source-id 'call 77' -s 'یک مورد' --phone 09121234567
is "$rc/$out/$err" "0/$one/" "with -q, only the code"
run pcase-new -k complaint -c phone --source-id 'call 77' -s 'مورد دیگر' --phone 09121234567
is "$rc" 2 "another case under the same id: exit 2"
like "$err" "pcase-new: source_id: 'call 77' of channel phone is case " "the message names the field"
is "$(state)" "$before" "nothing stored"
run pcase-new -k complaint -c desk --source-id 'call 77' -s 'مورد دیگر' --phone 09121234567
is "$rc" 0 "the same id at another channel is another case"
run pcase-new -k complaint --source-id 'call 77' -s 'یک مورد' --phone 09121234567
is "$rc" 0 "and with no channel given, the channel is other: another case too"
run pcase-new --batch --source-id x < /dev/null
is "$rc" 64 "--source-id with --batch is a usage error"

# --- bad source ids ----------------------------------------------------------------

before=$(state)
run pcase-new -k violation -s x --source-id "$(printf 'a\033[31mb')"
is "$rc" 2 "a source id with a control character is refused"
like "$err" "source_id: contains a control character" "naming the field"
run pcase-new -k violation -s x --source-id "$(head -c 251 /dev/zero | tr '\0' 7)"
is "$rc" 2 "a source id of 251 characters is refused"
printf '{"kind":"violation","subject":"x","source_id":2048}\n' > "$tmp/number.jsonl"
run pcase-new --batch < "$tmp/number.jsonl"
is "$rc" 2 "a source id as a JSON number is refused"
like "$err" "line 1: source_id: expected a string, not " "a string it must be"
is "$(state)" "$before" "nothing stored"
run pcase-new -k violation -s 'blank id' --source-id '  '
is "$rc/$(sql "SELECT coalesce(source_id, 'none') FROM cases WHERE code = '$out'")" "0/none" \
	"a source id of blanks is none"

run pdb check
is "$rc" 0 "pdb check: exit 0, the source ids covered by the history"
cp "$PARTAKE_DB" "$tmp/edited.db"
sqlite3 "$tmp/edited.db" "UPDATE cases SET source_id = '111-9999' WHERE code = $one"
run pdb --db "$tmp/edited.db" check
like "$out" "audit chain: case $(printf '%012d' "$one"): changed outside partake" \
	"a source id changed outside partake is caught"

done_testing
