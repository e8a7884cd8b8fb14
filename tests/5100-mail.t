#!/bin/sh
# 5100-mail.t — lib/mail.c against a real SMTP server (aiosmtpd on loopback):
# one session sends three messages, the mailbox reads them back whole
# (Persian subject and names, parts, headers), a CR LF in a subject sends
# nothing, 5xx and 4xx replies are told apart, and a stopped server is down.
# Also the RFC 2047 words on their own, read back by Python's email package.
. "$(dirname "$0")/lib.sh"
prog=$top/tests/unit/test-mail
py=/usr/bin/python3

# relay ARGS...: the TAP of one run of the C program, numbered as this file's tests.
relay() {
	"$prog" "$@" >"$tmp/relay" 2>&1
	st=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) ok 0 "${line#ok * - }" ;;
		"not ok "*) ok 1 "${line#not ok * - }" ;;
		"1.."*) ;;
		"#"*) echo "$line" ;;
		*) echo "# $line" ;;
		esac
	done <"$tmp/relay"
	ok $st "test-mail $1 passes as a whole"
}

relay unit

long='پاسخ شکایت شما درباره‌ی تأخیر در صدور پروانه‌ی ساختمان در منطقه‌ی دوازده ثبت شد و به واحد پیگیری فرستاده شد'
"$prog" words "$long" >"$tmp/words"
run $py - "$tmp/words" "$long" <<'PY'
import re, sys
from email.header import decode_header, make_header
raw = open(sys.argv[1], encoding="ascii").read().rstrip("\n")
words = re.findall(r"=\?UTF-8\?B\?[^?]*\?=", raw)
for w in words:
    assert len(w) <= 75, ("word too long", len(w), w)
    assert decode_header(w)[0][0].decode("utf-8")	# whole characters in each
print(len(words), str(make_header(decode_header(raw.replace("\r\n", "")))) == sys.argv[2])
PY
is "$(echo "$out" | cut -d' ' -f2)" "True" "the long Persian subject decodes back with Python $err"
[ "$(echo "$out" | cut -d' ' -f1)" -gt 2 ] 2>/dev/null
ok $? "in several words of at most 75, each whole UTF-8 ($(echo "$out" | cut -d' ' -f1) words)"
is "$("$prog" words 'Your answer is ready')" "Your answer is ready" "ASCII is left as it is"

# A real SMTP server (tests/lib.sh) that refuses nobody@ (550) and later@ (451).
port=$(free_port)
export PARTAKE_TEST_SMTP_URL=smtp://127.0.0.1:$port
trap 'kill $smtp_pid 2>/dev/null; rm -rf "$tmp"' EXIT
start_smtp "$port" "$tmp/mbox"
ok $? "the SMTP server listens on 127.0.0.1:$port"

# The probes above are connections too; count the peers from here on.
peers_before=$(grep -c 'Peer:' "$tmp/smtp.log")
relay send
# The server's log may come a moment after the mail: wait for its line (at
# most 5 s), then a little more for any second connection to show.
peers() { echo $(($(grep -c 'Peer:' "$tmp/smtp.log") - peers_before)); }
for _ in $(seq 1 50); do [ "$(peers)" -ge 1 ] && break; sleep 0.1; done
sleep 0.3
is "$(peers)" 1 "the three messages went over one connection"

run $py - "$tmp/mbox" <<'PY'
import mailbox, sys
from email import policy
from email.parser import BytesParser
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
msgs = {}
for key in box.keys():
    m = BytesParser(policy=policy.default).parsebytes(box.get_bytes(key))
    msgs[m["Message-ID"]] = m
def part(m, kind):
    p = m.get_body(preferencelist=(kind,))
    # base64 carries the canonical CRLF line ends (RFC 2045, 6.8) as they are
    ok = p is not None and p.get_content_type() == "text/" + kind
    return p.get_content().replace("\r\n", "\n") if ok else None
print("count", len(msgs))
print("ids", " ".join(sorted(msgs)))
a, b, c = (msgs.get("<%s@agency.example>" % k) for k in ("case-1", "case-2", "digest-3"))
print("subject", a["Subject"])
print("from", a["From"].addresses[0].display_name, a["From"].addresses[0].addr_spec)
print("to", a["To"].addresses[0].display_name)
print("date", a["Date"])
print("auto", a["Auto-Submitted"])
print("type", a.get_content_type())
print("text", part(a, "plain").replace("\n", "|"))
print("html", part(a, "html"))
print("bhtml", part(b, "html"))
print("btext", part(b, "plain").replace("\n", "|"))
print("csubject", c["Subject"])
print("unsub", c["List-Unsubscribe"], a["List-Unsubscribe"])
PY
echo "$err" | sed 's/^/# /'
field() { echo "$out" | sed -n "s/^$1 //p"; }
is "$(field count)" 3 "three messages in the mailbox: nothing of the refused one"
is "$(field ids)" "<case-1@agency.example> <case-2@agency.example> <digest-3@agency.example>" \
	"each with the Message-ID it was given"
is "$(field subject)" "پاسخ به شکایت شما" "the Persian subject decodes back"
is "$(field from)" "روابط عمومی سازمان noreply@agency.example" "so does the sender's name"
is "$(field to)" "شهروند گرامی" "and the recipient's"
is "$(field date)" "Sun, 22 Nov 2026 08:00:00 +0000" "the Date is the one given, in UTC"
is "$(field auto)" "auto-generated" "Auto-Submitted: auto-generated"
is "$(field type)" "multipart/alternative" "the message is a multipart/alternative"
is "$(field text)" "سلام|پاسخ شما آماده است.|" "its text part decodes back to the UTF-8 text"
is "$(field html)" '<p dir="rtl">سلام، پاسخ شما آماده است.</p>' "its HTML part too"
is "$(field bhtml)" "None" "a message without HTML has no HTML part"
is "$(field btext)" "Your code is 1405-000123.|.|A line with a dot alone above.|" \
	"a line with a lone dot comes through (dot-stuffed)"
like "$(field csubject)" "پاسخ شکایت شما درباره‌ی تأخیر" "the long subject decodes back"
is "$(field unsub)" "<mailto:unsubscribe@agency.example> None" "List-Unsubscribe only where given"

relay refuse

kill $smtp_pid
wait $smtp_pid 2>/dev/null
relay down
done_testing
