#!/bin/bash
# 1600-pcase-mail.t — pcase-mail on real messages, made by Python's email
# package here: a Persian subject in RFC 2047 base64 and a windows-1256
# quoted-printable body, an HTML-only mail, attachments, an auto-reply, a
# bounce, our own mail come back, a 20 MB mail, a truncated MIME part, a
# reply with a case's code; the automatic reply as pnotify sends it to a
# real SMTP server; and the whole path from an SMTP client through a real
# SMTP server (aiosmtpd, tests/mailgate.py) into pcase-mail.
. "$(dirname "$0")/lib.sh"
py=/usr/bin/python3
held=$PARTAKE_DB.held
smtp_pid= gate_pid=
trap 'kill $smtp_pid $gate_pid 2>/dev/null; rm -rf "$tmp"' EXIT

conf() {
	printf '%s\nmail_from = partake@agency.ir\n%s\n' "$base_config" "$*" >"$PARTAKE_CONFIG"
}
conf

# mail NAME KIND [ARGS]: writes $tmp/NAME.eml, a message of that kind.
mail() {
	$py - "$tmp/$1.eml" "$2" "${3-}" <<'PY'
import sys
from email.message import EmailMessage
from email.policy import SMTP
path, kind, arg = sys.argv[1:4]
class Mail(EmailMessage):
    def __setitem__(self, name, value):  # a kind's header replaces the default
        del self[name]
        super().__setitem__(name, value)
m = Mail(policy=SMTP)
m["From"] = "علی رضایی <ali@example.com>"
m["To"] = "water@agency.ir"
m["Subject"] = "قطعی آب در خیابان آزادی"
m["Message-ID"] = "<%s@example.com>" % kind
if kind == "persian":
    m.set_content("سلام، آب خانه ما از ديروز قطع است.\nلطفا پيگيري کنيد.\n",
                  charset="windows-1256", cte="quoted-printable")
elif kind == "html":
    m.set_content("<html><head><style>p {color: red}</style></head><body>"
                  "<p>چراغ‌های <b>کوچه</b> خاموش است</p><script>alert(1)</script>"
                  "<div>از هفتهٔ پیش &amp; هنوز</div></body></html>", subtype="html")
elif kind in ("attach", "refused"):
    m.set_content("عکس محل را پیوست کردم.")
    m.add_attachment(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, maintype="image",
                     subtype="png", filename="محل.png")
    if kind == "refused":
        m.add_attachment(b"MZ\x90\x00" + b"\x00" * 600, maintype="application",
                         subtype="octet-stream", filename="../../run.exe")
elif kind == "autoreply":
    m["From"] = "reza@example.com"
    m["Auto-Submitted"] = "auto-replied"
    m["Subject"] = "Out of office"
    m.set_content("I am away until Saturday.")
elif kind == "bulk":
    m["From"] = "news@example.com"
    m["Precedence"] = "bulk"
    m.set_content("خبرنامه")
elif kind == "bounce":
    m["From"] = "MAILER-DAEMON@mx.example.com"
    m["Subject"] = "Undelivered Mail Returned to Sender"
    m.set_content("This is the mail system.")
    m.make_mixed()
    m.set_type("multipart/report")
    m.set_param("report-type", "delivery-status")
elif kind == "loop":
    m["X-Partake-Loop"] = "partake@agency.ir"
    m.set_content("ours")
elif kind == "big":
    m.set_content("یک فایل بزرگ")
    m.add_attachment(b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024), maintype="application",
                     subtype="pdf", filename="big.pdf")
elif kind == "nosender":
    del m["From"]
    m.set_content("بی‌نام")
elif kind.startswith("reply"):
    m["Subject"] = "Re: [#%s] دریافت نامهٔ شما" % arg
    m["In-Reply-To"] = "<partake.2.1@agency.ir>"
    m.set_content("هنوز آب نیامده است. " + kind)
elif kind == "plus":
    m["To"] = "water+%s@agency.ir" % arg
    m["Subject"] = "یک نکته دیگر"
    m.set_content("شماره پلاک ۱۲ است.")
elif kind.startswith("plain"):
    m["From"] = "sara@example.com"
    m.set_content("متن " + kind)
data = m.as_bytes()
if kind == "truncated":
    m.set_content("متن")
    m.add_attachment(b"%PDF-1.4\n" + b"1" * 8000, maintype="application", subtype="pdf",
                     filename="cut.pdf")
    data = m.as_bytes()
    data = data[:data.rindex(b"--") - 300]
open(path, "wb").write(data)
PY
}

pcase-mail --version | grep -q '^pcase-mail (partake) '
ok $? "--version"
run pcase-mail --kind nonsense </dev/null
is "$rc" 64 "an unknown --kind is a usage error"
punit add water --name 'امور آب' --email Water@Agency.ir >/dev/null 2>&1
punit add light --name 'روشنایی' --email light@agency.ir >/dev/null 2>&1

# --- a Persian mail: RFC 2047 base64 subject, windows-1256 quoted-printable body
mail persian persian
grep -q '^Subject: =?utf-8?b?' "$tmp/persian.eml" && grep -q 'charset="windows-1256"' "$tmp/persian.eml" &&
	grep -q '^Content-Transfer-Encoding: quoted-printable' "$tmp/persian.eml"
ok $? "the test mail is RFC 2047 base64 and windows-1256 quoted-printable"
run pcase-mail <"$tmp/persian.eml"
is "$rc" 0 "a new mail is taken (exit 0) $err"
code=$out
like "$code" "" "it prints the case's code"
is "$(sql "SELECT channel, state, subject, name, email, source_id FROM cases WHERE code = '$code'")" \
	"email|routed|قطعی آب در خیابان آزادی|علی رضایی|ali@example.com|persian@example.com" \
	"a case of channel email: subject decoded, the sender as contact, the Message-ID as source id"
is "$(sql "SELECT body FROM cases WHERE code = '$code'")" "سلام، آب خانه ما از ديروز قطع است.
لطفا پيگيري کنيد." "the windows-1256 body is read into UTF-8"
is "$(sql "SELECT u.code FROM cases c JOIN unit u ON u.id = c.unit_id WHERE c.code = '$code'")" \
	"water" "routed by the recipient's address to its unit (letters' case aside)"
is "$(sql "SELECT count(*) FROM outbox WHERE case_id = (SELECT id FROM cases WHERE code = '$code')
	AND recipient = 'ali@example.com' AND in_reply_to = '<persian@example.com>'")" 1 \
	"one automatic reply queued to the sender, answering the Message-ID"
grouped=$(echo "$code" | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/')
like "$(sql "SELECT subject FROM outbox WHERE in_reply_to IS NOT NULL")" "[#$grouped]" \
	"its subject carries the code as [#…] for the answer to find"
like "$(sql "SELECT body FROM outbox WHERE in_reply_to IS NOT NULL")" "قطعی آب در خیابان آزادی" \
	"and its Persian text names the mail's subject"
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'ali@example.com' AND in_reply_to IS NULL")" 0 \
	"the generic received notice is not sent besides"

run pcase-mail <"$tmp/persian.eml"
is "$rc:$out" "0:$code" "the same mail delivered again gives the same case"
like "$err" "taken in before" "and says so"
is "$(sql "SELECT count(*) FROM cases; SELECT count(*) FROM outbox WHERE in_reply_to IS NOT NULL")" "1
1" "no second case, no second reply"

# --- the reply goes out through a real SMTP server with the headers RFC 3834 asks
port=$(free_port)
start_smtp "$port" "$tmp/mbox"
ok $? "an SMTP server listens on 127.0.0.1:$port"
conf "smtp_url = smtp://127.0.0.1:$port"
run pnotify
is "$rc" 0 "pnotify sends the reply and the unit's mail $err"
run $py - "$tmp/mbox" <<'PY'
import mailbox, sys
from email.header import decode_header, make_header
for m in mailbox.Maildir(sys.argv[1], create=False):
    if m["To"] == "<ali@example.com>":
        print(m["Auto-Submitted"], m["In-Reply-To"], m["References"], m["X-Partake-Loop"], sep="|")
        print(str(make_header(decode_header(m["Subject"]))))
PY
is "$(echo "$out" | head -1)" "auto-replied|<persian@example.com>|<persian@example.com>|partake@agency.ir" \
	"the reply is Auto-Submitted: auto-replied, In-Reply-To the mail, with our loop header"
like "$out" "[#$grouped]" "its subject, decoded, carries the code"

# --- HTML only
mail html html
run pcase-mail <"$tmp/html.eml"
is "$rc" 0 "an HTML-only mail is taken"
is "$(sql "SELECT body FROM cases WHERE source_id = 'html@example.com'")" "چراغ‌های کوچه خاموش است

از هفتهٔ پیش & هنوز" "its text is made from the HTML: words and blocks, no tags, script or style"

# --- attachments
mail attach attach
run pcase-mail --unit light <"$tmp/attach.eml"
is "$rc" 0 "a mail with a PNG attached is taken"
is "$(sql "SELECT a.name, a.type, a.size FROM attachment a JOIN cases c ON c.id = a.case_id WHERE c.source_id = 'attach@example.com'")" \
	"محل.png|image/png|5128" "the file is in the attachment store with its name, type and size"
is "$(sql "SELECT u.code FROM cases c JOIN unit u ON u.id = c.unit_id WHERE c.source_id = 'attach@example.com'")" \
	"light" "--unit routes it, whatever the recipient"
sha=$(sql "SELECT sha256 FROM attachment a JOIN cases c ON c.id = a.case_id WHERE c.source_id = 'attach@example.com'")
[ -f "$PARTAKE_DB.attachments/$sha" ] || [ -n "$(find "$PARTAKE_DB.attachments" -name "$sha" 2>/dev/null)" ]
ok $? "its copy is in the store under its SHA-256"
mail refused refused
run pcase-mail <"$tmp/refused.eml"
is "$rc" 0 "a mail with a file of a type not taken still becomes a case"
like "$err" "run.exe" "the file left out is named"
is "$(sql "SELECT group_concat(a.name) FROM attachment a JOIN cases c ON c.id = a.case_id WHERE c.source_id = 'refused@example.com'")" \
	"محل.png" "the case keeps the file it may"
copy=$(ls "$held"/*.why | head -1)
like "$(cat "$copy")" "without these files: run.exe" "the whole mail is kept in the holding folder, with why"
cmp -s "${copy%.why}.eml" "$tmp/refused.eml"
ok $? "byte for byte"

# --- loops and floods
mail autoreply autoreply
before=$(sql "SELECT count(*) FROM outbox WHERE in_reply_to IS NOT NULL")
run pcase-mail <"$tmp/autoreply.eml"
is "$rc" 0 "an auto-reply is taken"
like "$err" "no automatic reply: it is an automatic mail (Auto-Submitted)" "and gets no reply"
mail bulk bulk
run pcase-mail <"$tmp/bulk.eml"
like "$err" "Precedence" "bulk mail gets no reply either"
printf 'Return-Path: <>\n' | cat - "$tmp/bulk.eml" | sed 's/^Precedence: bulk/X-Note: none/; s/bulk@example.com/noreturn@example.com/' >"$tmp/noreturn.eml"
run pcase-mail <"$tmp/noreturn.eml"
like "$err" "no return path" "nor mail with an empty Return-Path"
is "$(sql "SELECT count(*) FROM outbox WHERE in_reply_to IS NOT NULL")" "$before" "no reply was queued to them"

n_cases=$(sql "SELECT count(*) FROM cases")
mail bounce bounce
grep -q 'multipart/report' "$tmp/bounce.eml"
ok $? "the bounce is a multipart/report from MAILER-DAEMON"
run pcase-mail <"$tmp/bounce.eml"
is "$rc" 0 "a bounce is accepted (never bounced back)"
like "$err" "delivery report" "and held as a delivery report"
mail loop loop
run pcase-mail <"$tmp/loop.eml"
is "$rc" 0 "our own mail come back is accepted"
like "$err" "partake's own mail come back" "and held"
is "$(sql "SELECT count(*) FROM cases")" "$n_cases" "neither became a case"

conf "mail_replies_per_day = 2"
for i in 1 2 3; do mail plain$i plain$i; pcase-mail <"$tmp/plain$i.eml" >/dev/null 2>"$tmp/plain$i.err"; done
is "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'sara@example.com' AND in_reply_to IS NOT NULL")" 2 \
	"a sender gets at most mail_replies_per_day automatic replies in a day"
like "$(cat "$tmp/plain3.err")" "mail_replies_per_day" "the third is told why there is none"
is "$(sql "SELECT count(*) FROM cases WHERE email = 'sara@example.com'")" 3 "yet all three are cases"
conf

# --- mail that cannot be a case: kept whole, bounced
mail big big
size=$(stat -c %s "$tmp/big.eml")
[ "$size" -gt 20000000 ]
ok $? "the big mail is more than 20 MB ($size bytes)"
run pcase-mail <"$tmp/big.eml"
is "$rc" 64 "a mail over mail_max_bytes is bounced (64)"
like "$err" "too large" "as too large"
big_copy=$(grep -l 'too large' "$held"/*.why)
is "$(stat -c %s "${big_copy%.why}.eml")" "$size" "and kept whole in the holding folder"
mail truncated truncated
run pcase-mail <"$tmp/truncated.eml"
is "$rc" 64 "a truncated MIME part is bounced"
like "$err" "malformed: the message is cut short" "as malformed"
mail nosender nosender
run pcase-mail <"$tmp/nosender.eml"
is "$rc:$(echo "$err" | grep -c 'no sender')" "64:1" "a mail with no From is held and bounced"
run pcase-mail </dev/null
is "$rc" 64 "no mail at all is bounced"
is "$(sql "SELECT count(*) FROM cases")" "$((n_cases + 3))" "none of these made a case"
chmod 700 "$held"
[ "$(stat -c %a "$held")" = 700 ] && [ -z "$(find "$held" -type f ! -perm 600)" ]
ok $? "the holding folder is the owner's alone (0700, files 0600)"

# --- replies carrying a code
mail reply1 reply1 "$grouped"
run pcase-mail <"$tmp/reply1.eml"
is "$rc:$out" "0:$code" "a reply with [#code] in the subject is a follow-up on that case"
is "$(sql "SELECT what, after FROM event WHERE subject_kind = 'case' AND subject_id = (SELECT id FROM cases WHERE code = '$code') AND what = 'correspondence'")" \
	"correspondence|هنوز آب نیامده است. reply1" "an event of the audit chain, with the text"
is "$(sql "SELECT count(*) FROM cases")" "$((n_cases + 3))" "not a new case"
run pcase-mail <"$tmp/reply1.eml"
is "$(sql "SELECT count(*) FROM event WHERE what = 'correspondence'")" 1 "the same reply again adds nothing"
mail plus plus "$code"
run pcase-mail <"$tmp/plus.eml"
is "$rc:$out" "0:$code" "water+CODE@ in the address is a follow-up too"
pcase-answer "$code" --outcome accepted --text 'لوله تعمیر شد.' >/dev/null
is "$(sql "SELECT state FROM cases WHERE code = '$code'")" answered "the case is answered"
mail reply2 reply2 "$grouped"
run pcase-mail <"$tmp/reply2.eml"
like "$err" "waits for an admin" "a reply to a settled case waits for an admin (followup_settled = hold)"
is "$(sql "SELECT state FROM cases WHERE code = '$code'")|$(sql "SELECT count(*) FROM event WHERE what = 'follow-up-held'")" \
	"answered|1" "the case stays answered, marked for an admin"
is "$(sql "SELECT recipient FROM outbox WHERE channel = 'email' AND unit_id IS NOT NULL AND subject LIKE '%پیام تازهٔ شهروند%'")" \
	"Water@Agency.ir" "and the unit is queued a mail that the citizen wrote again"
conf "followup_settled = reopen"
mail reply3 reply3 "$grouped"
run pcase-mail <"$tmp/reply3.eml"
like "$err" "reopened" "with followup_settled = reopen"
is "$(sql "SELECT state FROM cases WHERE code = '$code'")" in-progress "the case is reopened through the table of moves"
run pdb check
is "$rc" 0 "pdb check: the chain holds every event $err"
conf

# --- a broken set-up: the mail waits at the server, and the chain covers the reply's header
conf 'timezone = Mars/Olympus'
pcase-mail <"$tmp/persian.eml" >/dev/null 2>"$tmp/err"
is "$?" 75 "a broken config: exit 75, so the mail server keeps the mail and tries again"
like "$(cat "$tmp/err")" "timezone" "and says what is wrong"
conf
cp "$PARTAKE_DB" "$tmp/tampered.db"
sqlite3 "$tmp/tampered.db" "UPDATE outbox SET in_reply_to = '<other@example.com>' WHERE in_reply_to IS NOT NULL"
pdb --db "$tmp/tampered.db" check >"$tmp/out" 2>&1
is "$?" 1 "an automatic reply's In-Reply-To changed outside partake: pdb check exits 1"
like "$(cat "$tmp/out")" "outbox items" "naming the outbox items the chain covers"

# --- the whole path: an SMTP client, a real SMTP server, the pipe into pcase-mail
$py "$top/tests/mailgate.py" 0 120 "$top/bin/pcase-mail" >"$tmp/gate.out" 2>"$tmp/gate.err" &
gate_pid=$!
for _ in $(seq 1 50); do gate_port=$(sed -n 's/^listening //p' "$tmp/gate.out"); [ -n "$gate_port" ] && break; sleep 0.1; done
[ -n "$gate_port" ]
ok $? "the mail gate (aiosmtpd piping into pcase-mail) listens"
mail smtp persian
sed -i 's/persian@example.com/smtp@example.com/' "$tmp/smtp.eml"
send() {
	$py - "$gate_port" "$1" "$2" <<'PY'
import smtplib, sys
port, path, rcpt = sys.argv[1:4]
try:
    with smtplib.SMTP("127.0.0.1", int(port), timeout=60) as s:
        s.sendmail("ali@example.com", [rcpt], open(path, "rb").read())
    print("250")
except smtplib.SMTPResponseException as e:
    print(e.smtp_code, e.smtp_error.decode())
except smtplib.SMTPRecipientsRefused as e:
    print(list(e.recipients.values())[0][0])
except smtplib.SMTPDataError as e:
    print(e.smtp_code)
PY
}
is "$(send "$tmp/smtp.eml" light@agency.ir)" 250 "a Persian mail sent over SMTP is accepted (250)"
is "$(sql "SELECT u.code, c.subject FROM cases c JOIN unit u ON u.id = c.unit_id WHERE c.source_id = 'smtp@example.com'")" \
	"light|قطعی آب در خیابان آزادی" "and is a case, routed by the envelope recipient"
like "$(send "$tmp/truncated.eml" water@agency.ir)" "550" "a truncated mail is refused (550: the server bounces it)"
done_testing
