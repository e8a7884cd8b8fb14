#!/bin/bash
# 5000-pnotify.t — pnotify against a real SMTP server (aiosmtpd) and a real
# HTTP gateway (tests/gateway.py), both on loopback: what they receive, read
# back; each item once; the gateway's refusals told apart; a server down
# loses nothing; two runs at once and runs killed mid-way send each item
# once (but the one in flight); the outbox listed, retried, cancelled; an
# address that opts out; a unit told of its case.
. "$(dirname "$0")/lib.sh"
py=/usr/bin/python3
trap 'kill $smtp_pid $gateway_pid 2>/dev/null; rm -rf "$tmp"' EXIT

smtp_port=$(free_port)
start_smtp "$smtp_port" "$tmp/mbox"
ok $? "an SMTP server listens on 127.0.0.1:$smtp_port"
start_gateway "$tmp/gateway.jsonl"
ok $? "the SMS gateway listens on 127.0.0.1:$gateway_port"

key='s3cret-KEY-4711'
printf '%s\n' "$key" >"$tmp/sms.key"
chmod 600 "$tmp/sms.key"
conf() {
	printf '%s\nsite_url = https://mardom.example.ir\nsmtp_url = smtp://127.0.0.1:%s\nmail_from = notices@agency.example.ir\nsms_url = http://127.0.0.1:%s\nsms_key_file = %s\nsms_sender = 10004346\n' \
		"$base_config" "$1" "$gateway_port" "$tmp/sms.key" >"$PARTAKE_CONFIG"
}
conf "$smtp_port"

# mails: how many the server holds; mail_field N HEADER: a header of the Nth (by Message-ID order).
mails() { $py -c 'import mailbox, sys; print(len(mailbox.Maildir(sys.argv[1], create=False)))' "$tmp/mbox" 2>/dev/null || echo 0; }
sms_count() { [ -f "$tmp/gateway.jsonl" ] && wc -l <"$tmp/gateway.jsonl" || echo 0; }
state() { sql "SELECT state FROM outbox WHERE id = $1"; }
grouped() { printf '%s' "$1" | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/'; }
# fa TEXT: TEXT with its digits in Persian, as the citizen's notices give them (citizen_digits).
fa() {
	local s=$1
	s=${s//0/۰} s=${s//1/۱} s=${s//2/۲} s=${s//3/۳} s=${s//4/۴}
	s=${s//5/۵} s=${s//6/۶} s=${s//7/۷} s=${s//8/۸} s=${s//9/۹}
	printf '%s' "$s"
}

punit add permits --name 'واحد صدور پروانه' --email permits@agency.example.ir >/dev/null
punit add field --name 'میدانی' >/dev/null
a=$(pcase-new -k complaint -s 'تاخیر در پاسخ' --phone 09121234567 --name 'مریم')
b=$(pcase-new -k request -s 'درخواست پروانه' --email citizen@example.ir)
pcase-route --to permits "$a" >/dev/null
queued=$(sql "SELECT count(*) FROM outbox WHERE state = 'queued'")
is "$queued" 4 "four items queued: two confirmations, the routing notice, the unit's mail"

# --- a dry run sends nothing ---------------------------------------------------------
run pnotify --dry-run -f tsv
is "$rc" 0 "--dry-run: exit 0"
is "$(printf '%s\n' "$out" | tail -n +2 | wc -l)" 4 "it shows the four items due"
is "$(mails)/$(sms_count)" "0/0" "and nothing went out"
unlike "$out$err" "$key" "the key is never shown"

# --- a run sends each item once ---------------------------------------------------------
run pnotify
is "$rc" 0 "pnotify: exit 0"
is "$(printf '%s\n' "$out" | sort -n | tr '\n' ' ')" "$(sql "SELECT id FROM outbox ORDER BY id" | tr '\n' ' ')" \
	"it prints each item it sent"
unlike "$out$err" "$key" "the key appears in no output"
is "$(sql "SELECT count(*) FROM outbox WHERE state = 'sent' AND sent IS NOT NULL")" 4 "all four are sent"
is "$(mails)" 2 "the mail server got two mails (the citizen's and the unit's)"
is "$(sms_count)" 2 "the gateway got two SMS"

run $py - "$tmp/mbox" "$b" <<'PY'
import mailbox, sys
from email import policy
from email.parser import BytesParser
box = mailbox.Maildir(sys.argv[1], create=False)
for key in sorted(box.keys()):
    m = BytesParser(policy=policy.default).parsebytes(box.get_bytes(key))
    print("|".join([m["To"].addresses[0].addr_spec, m["Subject"], m["Auto-Submitted"] or "",
        m["Message-ID"], m["From"].addresses[0].addr_spec, str(bool(m["Date"])),
        m.get_body(preferencelist=("plain",)).get_content().replace("\n", " ")]))
PY
citizen=$(printf '%s\n' "$out" | grep '^citizen@example.ir')
unitmail=$(printf '%s\n' "$out" | grep '^permits@agency.example.ir')
like "$citizen" "|auto-generated|" "the citizen's mail says it is automatic (Auto-Submitted)"
like "$citizen" "$(fa "$(grouped "$b")")" "its text gives the tracking code, in Persian digits"
like "$citizen" "|<partake.$(sql "SELECT id || '.' || created FROM outbox WHERE recipient = 'citizen@example.ir'")@agency.example.ir>|" \
	"its Message-ID is the item's, the same on every try"
like "$citizen" "|notices@agency.example.ir|True|" "from mail_from, with a Date"
like "$unitmail" "تاخیر در پاسخ" "the unit's mail names the case's subject"
like "$unitmail" "ارجاع" "and says it was routed to it (the Persian subject decodes)"

sms=$($py -c 'import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l); f = r["form"]
    print(r["key"], f.get("receptor"), f.get("sender"), f.get("localid"), f.get("message").replace("\n", " "))' \
	"$tmp/gateway.jsonl")
is "$(printf '%s\n' "$sms" | cut -d' ' -f1-4 | sort | tr '\n' ';')" \
	"$(sql "SELECT '$key 09121234567 10004346 ' || id FROM outbox WHERE channel = 'sms' ORDER BY id" | sort | tr '\n' ';')" \
	"each SMS: the key in the path, the receptor, the sender line and the item as localid"
like "$sms" "$(fa "$(grouped "$a")")" "the SMS gives the tracking code, in Persian digits"

is "$(sql "SELECT count(*) FROM event WHERE what = 'notice-sent'")" 4 "each send is an event of the audit chain"
is "$(sql "SELECT subject_kind || ' ' || subject FROM event WHERE what = 'notice-sent' ORDER BY id LIMIT 1")" \
	"case $a" "of the case it belongs to"
run pdb check
is "$rc" 0 "pdb check: the chain holds"

run pnotify
is "$rc/$out" "0/" "a second run finds nothing due and sends nothing"
is "$(mails)/$(sms_count)" "2/2" "the servers got nothing more"

# --- the gateway's answers -----------------------------------------------------------------
bad=$(pcase-new -k complaint -s 'شماره نامعتبر' --phone 09120000411)
busy=$(pcase-new -k complaint -s 'شلوغ' --phone 09120000409)
item() { sql "SELECT o.id FROM outbox o JOIN cases c ON c.id = o.case_id WHERE c.code = $1 ORDER BY o.id LIMIT 1"; }
run pnotify
is "$rc" 1 "an item refused for good: exit 1"
like "$err" "item $(item "$bad") (sms)" "it is named"
is "$(state "$(item "$bad")")" failed "the refused item (411) failed for good"
like "$(sql "SELECT last_error FROM outbox WHERE id = $(item "$bad")")" "411" "with the gateway's reason"
is "$(state "$(item "$busy")")" queued "the busy one (409) waits for another try"
is "$(sql "SELECT next_try - $(date -d "$PARTAKE_NOW" +%s) FROM outbox WHERE id = $(item "$busy")")" 300 \
	"five minutes later"
is "$(sql "SELECT count(*) FROM event WHERE what = 'notice-failed'")" 1 "the failure is an event too"

nocredit=$(pcase-new -k complaint -s 'بی‌اعتبار' --phone 09120000418)
run env PARTAKE_NOW=2026-11-22T09:00:00Z pnotify
is "$rc" 75 "no credit (418): exit 75, try again later"
is "$(printf '%s\n' "$err" | grep -c '418')" 1 "said once"
is "$(state "$(item "$nocredit")")" queued "the item waits, unharmed"
is "$(sql "SELECT attempts FROM outbox WHERE id = $(item "$nocredit")")" 0 "and its try is not counted"
pnotify --cancel "$(item "$nocredit")" --reason 'اعتبار تمام شده است' >/dev/null

# --- retry, cancel, list ---------------------------------------------------------------------
run pnotify --retry "$(item "$bad")"
is "$rc/$out" "0/$(item "$bad")" "--retry puts a failed item back"
is "$(state "$(item "$bad")")" queued "queued again"
run pnotify --cancel "$(item "$bad")"
is "$rc" 64 "--cancel without --reason: usage error"
run pnotify --cancel "$(item "$bad")" --reason 'شماره اشتباه است'
is "$rc/$(state "$(item "$bad")")" "0/cancelled" "--cancel drops it, with the reason"
run pnotify --retry 999999
is "$rc" 1 "--retry of no such item: exit 1"
run pnotify --list --state cancelled -f json
is "$(printf '%s\n' "$out" | $py -c 'import json, sys; print(*[json.loads(l)["item"] for l in sys.stdin])')" \
	"$(item "$bad") $(item "$nocredit")" "--list --state cancelled -f json: the cancelled items"
run pnotify --list --state nonsense
is "$rc" 64 "an unknown state: usage error"

# The listing pipes back in, its header skipped; what is not an item is counted.
pnotify --list --state cancelled -f tsv > "$tmp/cancelled.tsv"
printf 'x12\n0912\n999998\n' >> "$tmp/cancelled.tsv"
run pnotify --retry < "$tmp/cancelled.tsv"
is "$rc" 1 "pnotify --list -f tsv | pnotify --retry: exit 1 (three lines are not items)"
is "$out" "$(printf '%s\n%s' "$(item "$bad")" "$(item "$nocredit")")" "the two cancelled items are put back"
is "$err" "pnotify: retried 2, failed 3 (not an outbox item number: 2; no such outbox item failed or cancelled: 1; -v shows each)" \
	"one summary, the failures counted by reason (issue 8)"
for i in "$bad" "$nocredit"; do
	pnotify --cancel --reason 'شماره اشتباه است' "$(item "$i")" > /dev/null
done

# --- the mail server stopped: nothing lost ---------------------------------------------------
kill "$smtp_pid"
wait "$smtp_pid" 2>/dev/null
# Each section runs after the sends before it: the chain's time never goes back.
export PARTAKE_NOW=2026-11-22T09:30:00Z
late=$(pcase-new -k request -s 'پس از قطع' --email late@example.ir)
run env PARTAKE_NOW=2026-11-22T10:00:00Z pnotify
is "$rc" 75 "the mail server is down: exit 75"
is "$(sql "SELECT o.state || ' ' || o.attempts FROM outbox o JOIN cases c ON c.id = o.case_id WHERE c.code = $late")" \
	"queued 0" "its mail waits in the queue, its try not counted"
start_smtp "$smtp_port" "$tmp/mbox"
ok $? "the mail server is back"
before=$(mails)
run env PARTAKE_NOW=2026-11-22T10:05:00Z pnotify
is "$rc" 0 "pnotify: exit 0 again"
is "$(($(mails) - before))" 1 "the waiting mail delivered, once"

# --- the mail server stopped in the middle of a run ---------------------------------------------
sql "UPDATE outbox SET state = 'cancelled' WHERE state IN ('queued', 'sending')"
export PARTAKE_NOW=2026-11-22T10:06:00Z
for i in $(seq 1 1000); do
	printf '{"kind":"request","subject":"وسط کار %d","email":"mid%d@example.ir"}\n' "$i" "$i"
done | pcase-new --batch >/dev/null
mid() { sql "SELECT count(*) FROM outbox o JOIN cases c ON c.id = o.case_id WHERE c.subject LIKE 'وسط کار%' AND o.state = '$1'"; }
before=$(mails)
PARTAKE_NOW=2026-11-22T10:10:00Z pnotify -q >/dev/null 2>&1 &
p=$!
sleep 0.2
kill "$smtp_pid"
wait "$p"
r=$?
wait "$smtp_pid" 2>/dev/null
is "$r" 75 "the server gone in the middle: exit 75"
delivered=$(($(mails) - before))
is "$(mid sent)" "$delivered" "what the server took is recorded sent ($delivered of 1000)"
is "$(mid queued)" "$((1000 - delivered))" "the rest waits in the queue"
start_smtp "$smtp_port" "$tmp/mbox"
run env PARTAKE_NOW=2026-11-22T10:20:00Z pnotify -q
is "$rc/$(mid sent)" "0/1000" "started again: everything sent"
dups=$($py -c 'import mailbox, sys, collections
box = mailbox.Maildir(sys.argv[1], create=False)
ids = collections.Counter(box[k]["Message-ID"] for k in box.keys())
print(sum(ids.values()) - len(ids))' "$tmp/mbox")
[ "$dups" -le 1 ]
ok $? "each mail once, but at most the one in flight when the server went ($dups twice, same Message-ID)"

# --- opting out ---------------------------------------------------------------------------------
export PARTAKE_NOW=2026-11-22T10:30:00Z
run pnotify --opt-out 0912-765-4321
is "$rc/$out" "0/0912-765-4321" "--opt-out: exit 0"
is "$(sql "SELECT address FROM opt_out")" 09127654321 "kept in the stored form of a mobile"
o=$(pcase-new -k complaint -s 'دیگر پیامک نفرستید' --phone 09127654321)
is "$(sql "SELECT count(*) FROM outbox o JOIN cases c ON c.id = o.case_id WHERE c.code = $o")" 0 \
	"no confirmation for an address that opted out"
pcase-route --to field "$o" >/dev/null
pcase-answer "$o" --outcome info --text 'پاسخ شما' >/dev/null
is "$(sql "SELECT count(*) FROM outbox o JOIN cases c ON c.id = o.case_id WHERE c.code = $o")" 1 \
	"but the answer to their own case still goes"
is "$(sql "SELECT subject_kind || ' ' || what FROM event WHERE subject_kind = 'contact'")" "contact opt-out" \
	"the opt-out is an event of the chain"

# --- two runs at once: each item once --------------------------------------------------------------
: >"$tmp/gateway.jsonl"
sql "UPDATE outbox SET state = 'cancelled' WHERE state IN ('queued', 'sending')"
n=1000
for i in $(seq 1 $n); do
	printf '{"kind":"complaint","subject":"هم‌زمان %d","phone":"0913%06d7"}\n' "$i" "$i"
done | pcase-new --batch >/dev/null
is "$(sql "SELECT count(*) FROM outbox WHERE state = 'queued'")" "$n" "$n SMS queued"
PARTAKE_NOW=2026-11-22T11:00:00Z pnotify >"$tmp/run1" 2>&1 &
p1=$!
PARTAKE_NOW=2026-11-22T11:00:00Z pnotify >"$tmp/run2" 2>&1 &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
is "$r1/$r2" "0/0" "two pnotify at once: both exit 0"
is "$(sql "SELECT count(*) FROM outbox WHERE state = 'sent' AND case_id IN (SELECT id FROM cases WHERE subject LIKE 'هم‌زمان%')")" \
	"$n" "every item sent"
ids() { $py -c 'import json, sys
for l in open(sys.argv[1]): print(json.loads(l)["form"]["localid"])' "$tmp/gateway.jsonl"; }
is "$(ids | wc -l)/$(ids | sort -u | wc -l)" "$n/$n" "the gateway got each exactly once"
is "$(cat "$tmp/run1" "$tmp/run2" | grep -c '^[0-9]')" "$n" "and the two runs printed each item once between them"

# --- killed mid-run: nothing lost, at most the one in flight twice -----------------------------------
export PARTAKE_NOW=2026-11-22T11:30:00Z
: >"$tmp/gateway.jsonl"
n=2000
for i in $(seq 1 $n); do
	printf '{"kind":"complaint","subject":"کشته %d","phone":"0914%06d7"}\n' "$i" "$i"
done | pcase-new --batch >/dev/null
kills=0 minute=0
while [ "$(sql "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')")" -gt 0 ] && [ $minute -lt 60 ]; do
	minute=$((minute + 1))
	# Each run is eleven minutes after the last, so a killed run's claim has run out.
	now=$(date -u -d "2026-11-22T12:00:00Z + $((minute * 11)) minutes" +%Y-%m-%dT%H:%M:%SZ)
	PARTAKE_NOW=$now pnotify -q >/dev/null 2>&1 &
	pid=$!
	if [ $kills -lt 20 ]; then
		sleep "0.$(printf '%03d' $((RANDOM % 60 + 5)))"	# 5 to 64 ms in
		kill -9 $pid 2>/dev/null && kills=$((kills + 1))
	fi
	wait $pid 2>/dev/null
done
is "$(sql "SELECT count(*) FROM outbox WHERE state IN ('queued', 'sending')")" 0 \
	"after $kills kill -9 and the runs that followed, nothing is left unsent"
got=$(ids | wc -l) uniq=$(ids | sort -u | wc -l)
is "$uniq" "$n" "every item reached the gateway"
[ $((got - uniq)) -le $kills ]
ok $? "none twice but the one in flight at a kill ($((got - uniq)) again, $kills kills)"
run pdb check
is "$rc" 0 "the audit chain holds after it all"

# --- what the notices say -------------------------------------------------------------------
# The citizen reads Persian on the Solar Hijri calendar, whatever `calendar` gives admins;
# a line whose field has no value (no deadline, no site_url) is left out.
printf '%s\ncalendar = gregorian\n' "$base_config" >"$PARTAKE_CONFIG"	# and no site_url
notice_of() { sql "SELECT o.body FROM outbox o JOIN cases c ON c.id = o.case_id
	WHERE c.code = $1 AND o.unit_id IS NULL ORDER BY o.id DESC LIMIT 1"; }
unit_mail_of() { sql "SELECT o.body FROM outbox o JOIN cases c ON c.id = o.case_id
	WHERE c.code = $1 AND o.unit_id IS NOT NULL ORDER BY o.id DESC LIMIT 1"; }
# subject_of CODE: the subject of the case's latest mail to the citizen, as pnotify --list shows it.
subject_of() { pnotify --list --state queued -f json | $py -c 'import json, sys
print([o["subject"] for o in map(json.loads, sys.stdin) if o["case"] == sys.argv[1] and not o["unit"]][-1])' "$1"; }

g=$(PARTAKE_NOW=2026-11-22T08:00:00Z pcase-new -k complaint -s 'تقویم' --phone 09125550001 --unit permits)
is "$(notice_of "$g")" "شهروند گرامی، درخواست شما ثبت شد.
کد پیگیری: $(fa "$(grouped "$g")")
مهلت پاسخ: $(fa '1405-09-12 14:30')" \
	"calendar = gregorian: the citizen's SMS keeps the Solar Hijri date in Persian digits, and has no empty 'پیگیری:' line"
like "$(unit_mail_of "$g")" "مهلت پاسخ: 2026-12-03 14:30" "the unit's mail follows calendar, as admins read"
like "$(unit_mail_of "$g")" "درخواست $(grouped "$g") (شکایت)" "… in Latin digits (digits), the kind by its Persian name"
run pcase-status "$g"
like "$out" "due          2026-12-03 14:30" "… and so does the admin's view of the case"

f=$(PARTAKE_NOW=2026-11-22T08:00:00Z pcase-new -k feedback -s 'بازخورد' --email fb@example.ir --unit permits)
is "$(notice_of "$f")" "شهروند گرامی، درخواست شما ثبت شد.
کد پیگیری: $(fa "$(grouped "$f")")" "a feedback case (no deadline): no empty 'مهلت پاسخ:' line"
is "$(subject_of "$f")" "دریافت درخواست شما - کد پیگیری $(fa "$(grouped "$f")")" "its mail's subject, in Persian digits"
unlike "$(unit_mail_of "$f")" "مهلت" "nor an empty deadline in the unit's mail"
like "$(unit_mail_of "$f")" "موضوع: بازخورد" "which keeps its other lines"
PARTAKE_NOW=2026-11-22T08:00:00Z pcase-answer "$f" --outcome noted --text 'سپاس' >/dev/null
PARTAKE_NOW=2026-11-23T08:00:00Z pcase-status --set in-progress "$f" >/dev/null
is "$(notice_of "$f")" "درخواست $(fa "$(grouped "$f")") دوباره در دست رسیدگی است." \
	"reopened without a deadline: the line of the new deadline is left out, the rest stays"

printf '%s\ncitizen_calendar = gregorian\ncitizen_digits = latin\n' "$base_config" >"$PARTAKE_CONFIG"
l=$(PARTAKE_NOW=2026-11-22T08:00:00Z pcase-new -k complaint -s 'میلادی' --phone 09125550002)
like "$(notice_of "$l")" "مهلت پاسخ: 2026-12-03 14:30" "citizen_calendar = gregorian, citizen_digits = latin: as the config says for citizens"
like "$(notice_of "$l")" "کد پیگیری: $(grouped "$l")" "… the code in Latin digits"
conf "$smtp_port"

done_testing
