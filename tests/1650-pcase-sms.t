#!/bin/bash
# 1650-pcase-sms.t — pcase-sms against tests/gateway.py, which answers like
# Kavenegar: the poll of sms/receive.json (which marks what it returns as
# read) is kept in the database before any case is made, so a run that dies
# after the poll loses nothing; each SMS becomes a case, a follow-up on the
# case whose code it carries, or an opt-out (لغو, 11); the callback's fields
# on standard input too; and the notices go back by SMS through pnotify.
. "$(dirname "$0")/lib.sh"
gateway_pid=
trap 'kill $gateway_pid 2>/dev/null; rm -rf "$tmp"' EXIT
export GATEWAY_INBOX=$tmp/inbox.json
start_gateway "$tmp/gateway.log"
ok $? "the test gateway listens on 127.0.0.1:$gateway_port"
printf '%s\nsms_url = http://127.0.0.1:%s\nsms_sender = 30004346\n' "$base_config" "$gateway_port" >"$PARTAKE_CONFIG"
export PARTAKE_SMS_KEY=testkey

pcase-sms --version | grep -q '^pcase-sms (partake) '
ok $? "--version"
run pcase-sms extra
is "$rc" 64 "an operand is a usage error"

# inbox ENTRY...: what the gateway holds unread, as JSON objects.
inbox() { (IFS=,; echo "[$*]") >"$GATEWAY_INBOX"; }
sms() { printf '{"messageid": %s, "message": "%s", "sender": "%s", "receptor": "30004346", "date": 1795334400}' "$1" "$2" "$3"; }

inbox "$(sms 101 'چراغ کوچه ما خاموش است\nکوچه سوم' 09121234567)" "$(sms 102 'آب قطع است' +989351112233)"
run pcase-sms
is "$rc" 0 "a poll takes the SMS received $err"
is "$(echo "$out" | wc -l)" 2 "it prints a code for each"
first=$(echo "$out" | head -1)
is "$(sql "SELECT channel, phone, subject, source_id FROM cases WHERE code = '$first'")" \
	"sms|09121234567|چراغ کوچه ما خاموش است|101" "a case of channel sms, the sender's mobile as contact"
is "$(sql "SELECT phone FROM cases WHERE source_id = '102'")" "09351112233" "a +98 sender is stored as 09…"
is "$(sql "SELECT count(*) FROM sms_inbox WHERE done IS NOT NULL")" 1 "the gateway's answer is kept, and done"
like "$(sql "SELECT answer FROM sms_inbox")" '"messageid": 101' "whole, as it came"
like "$(grep receive.json "$tmp/gateway.log")" '"isread": "0"' "it asked for the unread messages"
like "$(grep receive.json "$tmp/gateway.log")" '"linenumber": "30004346"' "of the sender line"
is "$(sql "SELECT channel, recipient FROM outbox WHERE case_id = (SELECT id FROM cases WHERE code = '$first')")" \
	"sms|09121234567" "the citizen's notice goes back by SMS"

run pcase-sms
is "$rc:$out" "0:" "the next poll has nothing new (the gateway marked them read)"

# A run that died after the poll: the kept answer is taken at the next run.
sqlite3 "$PARTAKE_DB" "INSERT INTO sms_inbox (polled, answer) VALUES (1, '{\"return\":{\"status\":200},\"entries\":[$(sms 103 'صندوق پست خراب است' 09120000001)]}')"
run pcase-sms
is "$rc" 0 "a run after a crash"
is "$(sql "SELECT count(*) FROM cases WHERE source_id = '103'"):$(sql "SELECT count(*) FROM sms_inbox WHERE done IS NULL")" \
	"1:0" "takes in what the crashed run kept"
sqlite3 "$PARTAKE_DB" "UPDATE sms_inbox SET done = NULL"
run pcase-sms
is "$(sql "SELECT count(*) FROM cases")" 3 "taking a kept answer again makes no second case (the message id is the source id)"

# A follow-up: the code in the text, in Persian digits and groups.
grouped=$(echo "$first" | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/')
persian=$(echo "$grouped" | sed 'y/0123456789/۰۱۲۳۴۵۶۷۸۹/')
inbox "$(sms 104 "پیگیری $persian هنوز خاموش است" 09121234567)"
run pcase-sms
is "$rc:$out" "0:$first" "an SMS carrying a case's code is a follow-up on it"
is "$(sql "SELECT after, note FROM event WHERE what = 'correspondence'")" "پیگیری $persian هنوز خاموش است|sms 104" \
	"an event of the case, with its text (the same function as a reply by mail)"
is "$(sql "SELECT count(*) FROM cases")" 3 "not a new case"

# Opt-out.
inbox "$(sms 105 ' لغو ' 09351112233)" "$(sms 106 '۱۱' 09120000001)"
run pcase-sms
is "$rc" 0 "opting out"
is "$(sql "SELECT group_concat(address, ' ') FROM (SELECT address FROM opt_out ORDER BY address)")" \
	"09120000001 09351112233" "لغو and 11 (in any digits) opt the sender out"

# Refused messages: the rest is taken, the answer is done and kept.
inbox "$(sms 107 'سلام' 12345)" "$(sms 108 '' 09121234567)" "$(sms 109 'درخت افتاده' 09127654321)"
run pcase-sms
is "$rc" 1 "some messages refused: exit 1"
like "$err" "message 107" "the refused one is named"
is "$(sql "SELECT count(*) FROM cases WHERE source_id = '109'")" 1 "the others are taken"

# The callback's fields on standard input.
run pcase-sms --stdin <<<'from=09129998877&to=30004346&message=%DA%86%D8%A7%D9%84%D9%87+%D8%AE%DB%8C%D8%A7%D8%A8%D8%A7%D9%86&messageid=5001'
is "$rc" 0 "the gateway's callback on standard input $err"
is "$(sql "SELECT subject, phone FROM cases WHERE source_id = '5001'")" "چاله خیابان|09129998877" \
	"is a case with the decoded text"
run pcase-sms --stdin <<<'from=09129998877&to=30004346'
is "$rc" 2 "a callback without its message is refused"
like "$err" "message: missing" "naming the field"

# The gateway down: nothing lost, try again.
PARTAKE_SMS_KEY=down run pcase-sms
is "$rc" 75 "a gateway that is down: exit 75"
unset PARTAKE_SMS_KEY
run pcase-sms
export PARTAKE_SMS_KEY=testkey
is "$rc" 2 "no gateway configured is a fatal error"

# The answers go back by SMS through pnotify.
punit add light --name 'روشنایی' >/dev/null 2>&1
pcase-route --to light "$first" >/dev/null
pcase-answer "$first" --outcome accepted --text 'لامپ تعویض شد.' >/dev/null
run pnotify
is "$rc" 0 "pnotify sends the SMS $err"
is "$(grep send.json "$tmp/gateway.log" | grep -c '"receptor": "09121234567"')" 3 \
	"the citizen's notices (received, routed, answered) went to the mobile that sent the SMS"
run pdb check
is "$rc" 0 "pdb check: the chain holds $err"
done_testing
