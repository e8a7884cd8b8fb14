#!/bin/bash
# psurvey-record: a response from options or many from stdin (JSON lines or
# TSV), all or nothing, each error naming its line and field; tied to a case
# (by code or token) or to a service, unit and channel; bad answers refused.
. "$(dirname "$0")/lib.sh"
printf 'survey_url = https://agency.example.ir/s/\n' >>"$PARTAKE_CONFIG"

punit add tax --name "مالیات" >/dev/null
pservice add permit --name "پروانه" --unit tax >/dev/null
c1=$(pcase-new -k request -s "x" --phone 09121111111 --service permit)
c2=$(pcase-new -k request -s "y" --phone 09122222222 --service permit)
c3=$(pcase-new -k request -s "z" --phone 09123333333)
psurvey-invite "$c2" >/dev/null
token=$(sql "SELECT body FROM outbox WHERE key LIKE 'survey:%'"); token=${token##*/s/}
responses() { sql "SELECT count(*) FROM survey_response"; }

run psurvey-record --case "$c1" -a information=5 -a timeliness=4 -a responsiveness=۳ -a overall=5 \
	-a comment="صف کوتاه‌تر باشد" --constructive
is "$rc $out" "0 1" "one response by a case's code (Persian digits too)"
is "$(sql "SELECT s.code || ' ' || r.channel || ' ' || r.month || ' ' || r.constructive FROM survey_response r JOIN service s ON s.id = r.service_id")" \
	"permit other 140509 1" "counted under the case's service, in its Solar Hijri month"
run psurvey-record --token "$token" -a information=2 -a timeliness=2 -a responsiveness=2 -a overall=2
is "$rc $out" "0 1" "one by an invitation's token"
is "$(sql "SELECT state FROM survey_invitation")" answered "which is answered then"
is "$(sql "SELECT channel FROM survey_response ORDER BY id DESC LIMIT 1")" sms "and came by the invitation's channel"
run psurvey-record --token "$token" -a information=2 -a timeliness=2 -a responsiveness=2 -a overall=2
is "$rc" 2 "a token answers once"
like "$err" "--token: this invitation was answered before" "naming the option"
run psurvey-record --case "$c2" -a information=2 -a timeliness=2 -a responsiveness=2 -a overall=2
like "$rc $err" "2 psurvey-record: --case: this case answered the survey before" "nor the case by its code"
run psurvey-record --service permit -a information=3 -a timeliness=3 -a responsiveness=3 -a overall=3
is "$rc $(sql "SELECT channel || ' ' || coalesce(case_id, '-') || ' ' || unit_id FROM survey_response ORDER BY id DESC LIMIT 1")" \
	"0 desk - $(sql "SELECT id FROM unit WHERE code = 'tax'")" "a desk's poll box: by service, its unit, channel desk"

n=$(responses)
run psurvey-record --service permit -a information=6 -a timeliness=3 -a responsiveness=3 -a overall=3
like "$rc $err" "2 psurvey-record: --answer information: '6' is out of range: expected 1 to 5" "out of range refused"
run psurvey-record --service permit -a information=0 -a timeliness=3 -a responsiveness=3 -a overall=3
like "$err" "out of range" "0 too"
run psurvey-record --service permit -a colour=3 -a timeliness=3
like "$err" "--answer colour: unknown question" "an unknown question refused"
run psurvey-record --service permit -a information=3
like "$err" "timeliness: required, and not answered" "a required question left out refused"
run psurvey-record --service nosuch -a information=3 -a timeliness=3 -a responsiveness=3 -a overall=3
like "$err" "--service: 'nosuch': no such service" "an unknown service"
run psurvey-record -a information=3 -a timeliness=3 -a responsiveness=3 -a overall=3
like "$err" "a response needs a case or token, or a service or unit" "a response tied to nothing"
run psurvey-record --case "$c3" --token abc -a information=3
like "$err" "not both" "a case and a token"
run psurvey-record --case "$c3" --service permit -a information=3 -a timeliness=3 -a responsiveness=3 -a overall=3
like "$err" "the case's service" "a case's response takes its case's service"
run psurvey-record --service permit --at 2027-01-01 -a information=3 -a timeliness=3 -a responsiveness=3 -a overall=3
like "$err" "--at: '2027-01-01' is in the future" "a time to come"
is "$(responses)" "$n" "no refused response was stored"

psurvey-new poll -Q 'clean:yesno:تمیزی' -Q 'how:choice=حضوری|تلفنی|اینترنتی:راه' -Q 'what:multi=a|b|c?:کدام' -Q 'note:text?:نظر' >/dev/null
cat >"$tmp/batch.jsonl" <<EOF2
{"survey":"poll","unit":"tax","channel":"phone","clean":true,"how":"تلفنی","what":["a","c"]}
{"survey":"poll","unit":"tax","clean":"no","how":3,"what":"b|c","note":"خوب"}

{"survey":"poll","unit":"tax","clean":"بله","how":1,"what":[]}
EOF2
run psurvey-record --batch <"$tmp/batch.jsonl"
is "$rc $out" "0 3" "a JSON batch: blank lines skipped, every kind of answer"
is "$(sql "SELECT group_concat(q.name || '=' || a.value, ' ') FROM (SELECT * FROM survey_answer ORDER BY response_id, question_id, value) a JOIN survey_question q ON q.id = a.question_id WHERE a.response_id = (SELECT max(id) - 2 FROM survey_response)")" \
	"clean=1 how=2 what=1 what=3" "yes as 1, a choice by its label, each option of a multi on its own"

n=$(responses)
printf '%s\n' '{"survey":"poll","unit":"tax","clean":"yes","how":1}' \
	'{"survey":"poll","unit":"tax","clean":"yes","how":1}' \
	'{"survey":"poll","unit":"tax","clean":"yes","how":"بی‌سیم"}' >"$tmp/bad.jsonl"
run psurvey-record --batch <"$tmp/bad.jsonl"
like "$rc $err" "2 psurvey-record: line 3: how: 'بی‌سیم' is not an option" "a bad line names line and field"
like "$err" "nothing stored" "and says nothing was stored"
is "$(responses)" "$n" "and nothing of the batch was"
printf '%s\n' '{"survey":"poll","unit":"tax","clean":"yes","how":1}' '{"survey":"poll","unit":"tax","clean":"yes","how":[1,2]}' >"$tmp/in"
run psurvey-record --batch <"$tmp/in"
like "$err" "line 2: how: one choice only" "one choice is one"
printf '%s\n' '{"survey":"poll","unit":"tax","clean":"yes", "how":1' >"$tmp/in"
run psurvey-record --batch <"$tmp/in"
like "$err" "line 1: json" "broken JSON"
printf '%s\n' "{\"case\":\"$c3\",\"information\":4,\"timeliness\":4,\"responsiveness\":4,\"overall\":4}" \
	"{\"case\":\"$c3\",\"information\":5,\"timeliness\":4,\"responsiveness\":4,\"overall\":4}" >"$tmp/in"
run psurvey-record --batch <"$tmp/in"
like "$err" "line 2: case: this case answered the survey before" "a second response of a case within one batch"
is "$(responses)" "$n" "nothing stored of those"

printf 'survey\tunit\tchannel\tclean\thow\twhat\tnote\npoll\ttax\tdesk\tno\t2\ta|b\tیک\\tدو\npoll\ttax\tportal\tyes\t1\t\t\n' >"$tmp/in"
run psurvey-record --batch --tsv <"$tmp/in"
is "$rc $out" "0 2" "a TSV batch"
is "$(sql "SELECT text FROM survey_answer WHERE text IS NOT NULL ORDER BY response_id DESC LIMIT 1")" "یک	دو" "TSV escapes undone"
printf 'survey\tunit\tclean\npoll\ttax\n' >"$tmp/in"
run psurvey-record --batch --tsv <"$tmp/in"
like "$err" "line 2: tsv: 2 fields where the header has 3" "a short TSV line"
printf 'survey\tunit\tclean\thow\npoll\ttax\tyes\t1\nkey\n' >"$tmp/in"
run psurvey-record --batch --tsv <"$tmp/in"
like "$err" "line 3" "the bad line of a TSV batch"
run psurvey-record --batch --case "$c3"
is "$rc" 64 "--batch takes no options of one response"
run psurvey-record --service permit
is "$rc" 64 "a response needs answers"
is "$(sql "SELECT count(*) FROM event WHERE subject_kind = 'response'")" "$(responses)" "every response is an event"
run pdb check
is "$rc" 0 "pdb check verifies responses, answers and invitations"
sqlite3 "$PARTAKE_DB" "UPDATE survey_answer SET value = 1 WHERE rowid = 2"
run pdb check
like "$rc $out$err" "response" "an answer changed outside partake is caught"

done_testing
