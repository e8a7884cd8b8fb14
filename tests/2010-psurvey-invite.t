#!/bin/bash
# psurvey-invite: an invitation per case read, with a token of its own; none on
# anonymous cases, to opted-out citizens, or twice; the codes invited printed.
. "$(dirname "$0")/lib.sh"
printf 'survey_url = https://agency.example.ir/s/\n' >>"$PARTAKE_CONFIG"

phone=$(pcase-new -k request -s "پروانه" --phone 09121111111)
mail=$(pcase-new -k request -s "پروانه" --email a@example.ir)
anon=$(pcase-new -k violation -s "تخلف" --anonymous)
nocontact=$(pcase-new -k suggestion -s "پیشنهاد")
opted=$(pcase-new -k request -s "پروانه" --phone 09122222222)
pnotify --opt-out 09122222222 >/dev/null
items=$(sql "SELECT count(*) FROM outbox")

run psurvey-invite -v <<EOF2
$phone	closed
$mail
$anon
$nocontact
$opted
EOF2
is "$rc" 0 "skipped cases are no failure"
is "$out" "$phone
$mail" "it prints the codes invited, in input order"
like "$err" "anonymous" "-v says an anonymous case got none"
like "$err" "no more messages" "nor the one who opted out"
like "$err" "no phone or email" "nor a case with no contact"
like "$err" "invited 2" "and counts what it did"
is "$(sql "SELECT count(*) FROM outbox") $(sql "SELECT group_concat(channel, ',') FROM (SELECT channel FROM outbox WHERE key LIKE 'survey:%' ORDER BY id)")" \
	"$((items + 2)) sms,email" "an SMS to the phone, a mail to the address"
body=$(sql "SELECT body FROM outbox WHERE key LIKE 'survey:%' AND channel = 'sms'")
like "$body" "https://agency.example.ir/s/" "the SMS carries the short link of survey_url"
token=${body##*/s/}
is "${#token}" 16 "with a token of 16 characters"
is "$(sql "SELECT count(*) FROM survey_invitation WHERE token_hash = '$token'")" 0 "the token itself is not stored"
is "$(printf %s "$token" | sha256sum | cut -d' ' -f1)" "$(sql "SELECT token_hash FROM survey_invitation i JOIN cases c ON c.id = i.case_id WHERE c.code = $phone")" \
	"only its SHA-256"
is "$(sql "SELECT count(*) FROM event WHERE subject_kind = 'invitation'")" 2 "each invitation is an event"

run psurvey-invite "$phone"
is "$rc $out" "0 " "a case invited before is not invited again"
is "$(sql "SELECT count(*) FROM outbox WHERE key LIKE 'survey:%'")" 2 "and nothing more is queued"

psurvey-new other -Q 'q:scale:پرسش' >/dev/null
run psurvey-invite --survey other -v "$mail"
is "$rc $out" "0 " "one open invitation per case: none to another survey while one is open"
like "$err" "still open" "and -v says why"
psurvey-record --token "$token" -a information=4 -a timeliness=4 -a responsiveness=4 -a overall=4 >/dev/null
run psurvey-invite --survey other "$phone"
is "$rc $out" "0 $phone" "once answered, another survey may invite the case"

# Without survey_url the SMS carries the tracking code.
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"
third=$(pcase-new -k request -s "x" --phone 09123333333)
psurvey-invite "$third" >/dev/null
body=$(sql "SELECT body FROM outbox WHERE key LIKE 'survey:%' ORDER BY id DESC LIMIT 1")
unlike "$body" "http" "without survey_url no link"
like "$body" "$(python3 -c 'import sys; print(sys.argv[1][:4].translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")))' "$third")" \
	"and the tracking code, in Persian digits"

elsewhere=$(PARTAKE_DB=$tmp/other.db pcase-new -k request -s x --phone 09124444444 2>/dev/null)
run psurvey-invite "$elsewhere"
is "$rc" 1 "a code with no case is a failure"
like "$err" "no such case" "named as such"
run psurvey-invite --survey nosuch "$third"
is "$rc" 1 "an unknown survey is refused"
run pdb check
is "$rc" 0 "pdb check verifies the invitations"

done_testing
