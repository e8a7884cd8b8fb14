#!/bin/bash
# 6010-portal-hostile.t — partake.cgi against what the internet sends:
# forms without their token or with a forged, stale or borrowed one; a body
# of 10 MB, of the wrong type or of no length; fuzzed bodies; SQL and HTML
# in every field; a burst of 100 submits and of look-ups from one address;
# a GET that would write. Each answered as it should be, and nothing stored
# that should not be. Through lighttpd, and the CGI run by hand.
. "$(dirname "$0")/portal-lib.sh"

if ! command -v lighttpd >/dev/null; then
	ok 1 "lighttpd is installed (make deps)"
	done_testing
	exit 1
fi
www pdb -q init
start_lighttpd
ok $? "lighttpd listens on 127.0.0.1:$port"
cases() { sql "SELECT count(*) FROM cases"; }

# --- tokens ----------------------------------------------------------------
pyt "$port" <<'PY'
import sys, urllib.parse
from portal_client import *
b = Browser(int(sys.argv[1]))
good = {"subject": "شکایت", "body": "x", "phone": "09121234567"}
tok = b.token("/complaint")
st, h, t = b.post("/complaint", good, token=None)
ok(st == 403 and "از صفحه‌ای از همین درگاه فرستاده نشده" in t, "no token: 403, said in Persian")
like(t, 'value="شکایت"', "... the form again with what was typed")
st, h, t = b.post("/complaint", good, token=tok[:-1] + ("0" if tok[-1] != "0" else "1"))
is_(st, 403, "a token with one digit changed: 403")
st, h, t = b.post("/complaint", good, token="1795334400.0000000000000000." + "0" * 64)
is_(st, 403, "a token made up: 403")
st, h, t = b.post("/complaint", good, token=b.token("/track"))
is_(st, 403, "the token of another form: 403")
other = Browser(int(sys.argv[1]))
st, h, t = other.post("/complaint", good, token=tok)
ok(st == 403 and other.cookies, "another browser's token (the cookie differs): 403")
nocookie = Browser(int(sys.argv[1]))
st, h, t = nocookie.request("POST", "/complaint", urllib.parse.urlencode({"_token": tok, **good}))
ok(st == 403 and "کوکی" in t, "no cookie at all: 403, saying a cookie is needed")
ok("Set-Cookie" in h, "... and giving one for the next try")
st, h, t = b.request("POST", "/complaint", "_token=%s&subject=x" % tok,
                     headers={"Content-Type": "text/plain"})
is_(st, 415, "a body that is not a form: 415")
st, h, t = b.request("POST", "/open311/v2/requests.json", "x=1")
ok(st == 405 and h["Allow"] == "GET, HEAD", "POST where nothing is written: 405 with Allow")
st, h, t = b.request("PUT", "/complaint", "x=1")
ok(st == 405 and "POST" in h["Allow"], "PUT: 405")
st, h, t = b.get("/complaint?subject=x&body=y&phone=09121234567&_token=" + tok)
ok(st == 200, "a GET with a form's fields in its query shows the form")
PY
is "$(cases)" 0 "nothing stored by any of them"

# A token older than a day: its page made by the CGI run by hand at an
# earlier clock, sent at the test's own.
token_at() {	# token_at TIME: a complaint form's token made at TIME, for $cookie
	PARTAKE_NOW=$1 run_cgi GET /complaint
	printf '%s\n' "$out" | sed -n 's/.*name="_token" value="\([^"]*\)".*/\1/p'
}
cookie= run_cgi GET /complaint
cookie=$(printf '%s\n' "$out" | sed -n 's/^Set-Cookie: \(partake_form=[0-9a-f]*\);.*/\1/p')
tok=$(token_at 2026-11-21T07:59:59Z)
run_cgi POST /complaint "_token=$tok&subject=a&phone=09121234567"
like "$out" "Status: 403" "a token of more than a day ago: 403"
like "$out" "بیش از یک روز پیش" "... saying it is stale"
like "$out" 'value="a"' "... with what was typed"
tok=$(token_at 2026-11-22T08:10:00Z)
run_cgi POST /complaint "_token=$tok&subject=b&phone=09121234567"
like "$out" "Status: 403" "a token made ten minutes in the future: refused"
tok=$(token_at 2026-11-21T08:00:01Z)
run_cgi POST /complaint "_token=$tok&subject=c&phone=09121234567"
like "$out" "Status: 200" "a day less a second: taken"
is "$(cases)" 1 "one case stored"

# --- bodies ----------------------------------------------------------------
pyt "$port" <<'PY'
import sys, http.client, time
from portal_client import *
b = Browser(int(sys.argv[1]))
tok = b.token("/complaint")
body = ("_token=%s&subject=x&body=" % tok).encode() + b"a" * (10 * 1024 * 1024)
t0 = time.time()
st, h, t = b.request("POST", "/complaint", body)
is_(st, 413, "a body of 10 MB through lighttpd: 413")
if st != 413: print("# " + open(__import__("os").environ["TAP_STATE"].replace(".tap", "lighttpd-error.log")).read().replace("\n", "\n# "))
like(t, "بزرگ‌تر از اندازه", "... said in Persian")
ok(time.time() - t0 < 20, "... within 20 s (%.1f s)" % (time.time() - t0))
PY
# By hand: a CONTENT_LENGTH of 10 MB and a body that never comes. A CGI that
# read before judging the length would wait for it; this one answers at once.
out=$(www /usr/bin/python3 - "$cgi" "$PARTAKE_CONFIG" <<'PY'
import os, signal, subprocess, sys, time
env = {"PATH": os.environ["PATH"], "PARTAKE_CONFIG": sys.argv[2], "GATEWAY_INTERFACE": "CGI/1.1",
       "REQUEST_METHOD": "POST", "SCRIPT_NAME": "/partake.cgi", "PATH_INFO": "/complaint",
       "REMOTE_ADDR": "192.0.2.9", "CONTENT_TYPE": "application/x-www-form-urlencoded",
       "CONTENT_LENGTH": "10485760"}
signal.alarm(8)
t0 = time.time()
p = subprocess.Popen([sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
head = p.stdout.read().split(b"\r\n")[0].decode()
p.wait()
print("%s in %.1f s" % (head, time.time() - t0))
PY
)
like "$out" "Status: 413" "CONTENT_LENGTH of 10 MB and no body sent: 413 ($out)"
[[ $out =~ in\ [0-4]\. ]]
ok $? "... at once, not waiting for the body"
out=$(www env -i PATH="$PATH" PARTAKE_CONFIG="$PARTAKE_CONFIG" GATEWAY_INTERFACE=CGI/1.1 \
	REQUEST_METHOD=POST SCRIPT_NAME=/partake.cgi PATH_INFO=/complaint "$cgi" </dev/null)
like "$out" "Status: 411" "a POST without CONTENT_LENGTH: 411"
run_cgi POST /complaint "_token=$tok&subject=%zz"
like "$out" "Status: 400" "a bad %-escape: 400"
run_cgi POST /complaint "_token=$tok&subject=a%00b&phone=09121234567"
like "$out" "Status: 400" "a NUL in a field: 400"
run_cgi POST /complaint "$(for i in $(seq 300); do printf 'f%d=1&' "$i"; done)"
like "$out" "Status: 400" "300 fields: 400"
is "$(cases)" 1 "nothing more stored"

# Fuzzed bodies: random bytes, and forms with random fields and escapes.
/usr/bin/python3 - "$tmp/fuzz" "$tok" <<'PY'
import os, random, sys, urllib.parse
random.seed(14)
os.makedirs(sys.argv[1], exist_ok=True)
alphabet = "%&=+;_abcXYZ09\x00\n\r\"'<>/\\" + "آبپ۱۲"
for i in range(150):
    kind = i % 3
    if kind == 0:
        body = os.urandom(random.randint(0, 3000))
    elif kind == 1:
        body = "".join(random.choice(alphabet) for _ in range(random.randint(1, 400))).encode()
    else:
        fields = [("_token", sys.argv[2] if random.random() < .5 else "x")]
        for _ in range(random.randint(0, 12)):
            fields.append((random.choice(["subject", "body", "phone", "email", "name", "anonymous",
                                          "service", "national_id", "x" * random.randint(1, 80)]),
                           "".join(random.choice(alphabet) for _ in range(random.randint(0, 60)))))
        body = urllib.parse.urlencode(fields).encode()
    open(os.path.join(sys.argv[1], "%03d" % i), "wb").write(body)
PY
chmod -R a+r "$tmp/fuzz"
bad=0 statuses=
for f in "$tmp"/fuzz/*; do
	path=/complaint
	case $f in *[05]) path=/track ;; *7) path=/survey/ABCDEFGHJKLMNPQR ;; esac
	out=$(www env -i PATH="$PATH" PARTAKE_CONFIG="$PARTAKE_CONFIG" GATEWAY_INTERFACE=CGI/1.1 \
		ASAN_OPTIONS="${ASAN_OPTIONS-}" UBSAN_OPTIONS="${UBSAN_OPTIONS-}" \
		REQUEST_METHOD=POST SCRIPT_NAME=/partake.cgi PATH_INFO=$path REMOTE_ADDR=192.0.2.7 \
		HTTP_COOKIE="$cookie" CONTENT_TYPE=application/x-www-form-urlencoded \
		CONTENT_LENGTH=$(wc -c <"$f") timeout 10 "$cgi" <"$f" 2>>"$tmp/fuzz.err")
	rc=$?
	s=$(printf '%s\n' "$out" | sed -n '1s/^Status: \([0-9]*\).*/\1/p')
	case "$rc:$s" in
	0:400 | 0:403 | 0:404 | 0:422) statuses="$statuses $s" ;;
	*) bad=$((bad + 1)); echo "# $f: rc $rc status '$s'" ;;
	esac
done
is "$bad" 0 "150 fuzzed bodies: each a 400, 403, 404 or 422, none a crash or a 500"
like "$(echo $statuses | tr ' ' '\n' | sort -u | tr '\n' ' ')" "400 403" "... (the answers:$(echo $statuses | tr ' ' '\n' | sort | uniq -c | tr -s ' \n' ' '))"
is "$(cases)" 1 "... and nothing stored"
is "$(cat "$tmp/fuzz.err")" "" "... and nothing said in the server's log"

# --- SQL and HTML in every field --------------------------------------------
pyt "$port" <<'PY'
import sys
from portal_client import *
b = Browser(int(sys.argv[1]))
evil = "<script>alert(1)</script>' OR 1=1; DROP TABLE cases; -- \"<b>x</b>&amp;"
st, h, t = b.post("/suggestion", {"subject": evil, "body": evil + "\n" + evil, "name": evil[:100],
                                    "email": "a@example.ir"})
is_(st, 200, "SQL and HTML in subject, body and name: taken as text")
unlike(t, "<script>", "the receipt has no markup of theirs")
with open(__import__("os").environ["TAP_STATE"] + ".code", "w") as f:
    f.write(code_of(t) or "")
st, h, t = b.post("/complaint", {"subject": evil, "body": evil, "phone": evil, "email": evil,
                                   "national_id": evil, "service": evil})
is_(st, 422, "SQL and HTML in phone, email, national id, service: refused")
unlike(t, "<script>", "the form shown again carries none of it as markup")
like(t, "&lt;script&gt;alert(1)&lt;/script&gt;", "... but as text, escaped by libxml2")
st, h, t = b.post("/track", {"code": evil})
ok(st == 422 and "<script>" not in t, "... and in a tracking code")
st, h, t = b.get("/comment/" + "%3Cscript%3E")
ok(st == 404 and "<script>" not in t, "... and in a draft's address")
st, h, t = b.get("/survey/%27%20OR%201=1")
is_(st, 404, "... and in a survey's token")
st, h, t = b.get("/open311/v2/requests.json?service_code=%27%20OR%201=1--")
ok(st == 400 and "<" not in t, "... and in an Open311 filter")
PY
evil_code=$(cat "$tmp/.tap.code")
is "$(sql "SELECT subject FROM cases WHERE code = '$evil_code'")" \
	"<script>alert(1)</script>' OR 1=1; DROP TABLE cases; -- \"<b>x</b>&amp;" \
	"the subject is stored as typed, byte for byte"
is "$(cases)" 2 "the tables are all there: two cases"
run www pdb check
is "$rc" 0 "pdb check: whole"
[ "$rc" = 0 ] || echo "$out$err" | sed 's/^/# /'


# --- a burst from one address -----------------------------------------------
set_config "portal_submits_per_hour = 10
portal_lookups_per_hour = 5"
sql "DELETE FROM portal_hit"
before=$(cases)
pyt "$port" <<'PY'
import sys
from portal_client import *
port = int(sys.argv[1])
answers = []
for i in range(100):
    b = Browser(port)	# a new browser each time: its own cookie and token
    st, h, t = b.post("/complaint", {"subject": "هجوم %d" % i, "phone": "09121234567"})
    answers.append(st)
    if st == 429:
        last = (h, t)
is_(answers.count(200), 10, "a burst of 100 submits from one address: 10 taken")
is_(answers.count(429), 90, "... 90 refused with 429")
is_(answers[:10], [200] * 10, "... the first ten")
h, t = last
like(t, "بیش از اندازه فرم فرستاده شده", "the refusal is a clear page in Persian")
is_(h["Retry-After"], "3600", "... with Retry-After")
# A code of good form that no case has: eleven digits and their Damm digit.
DAMM = ["0317598642", "7092154863", "4206871359", "1750983426", "6123045978",
        "3674209581", "5869720134", "8945362017", "9438617205", "2581436790"]
def damm(digits):
    i = 0
    for d in digits:
        i = int(DAMM[i][int(d)])
    return str(i)
unknown = "48210937552" + damm("48210937552")
typo = unknown[:11] + str((int(unknown[11]) + 1) % 10)
b = Browser(port)
looks = [b.post("/track", {"code": typo})[0] for _ in range(3)]
looks += [b.post("/track", {"code": unknown})[0] for _ in range(3)]
is_(looks[:3], [422] * 3, "look-ups of a typo: refused by the check digit, not counted")
ok(looks[3] == 404 and looks[4] == 404 and looks[5] == 404, "look-ups of a well-formed code no case has: 404")
more = [b.post("/track", {"code": unknown})[0] for _ in range(3)]
is_(more, [404, 404, 429], "the sixth look-up in the hour: 429")
PY
is "$(($(cases) - before))" 10 "exactly ten stored"
is "$(sql "SELECT count(*) FROM portal_hit WHERE what = 'submit'")" 10 "ten submits counted"
like "$(sql "SELECT DISTINCT length(address) FROM portal_hit")" 64 "the address is kept as a keyed hash"
is "$(sql "SELECT count(*) FROM portal_hit WHERE address LIKE '%127.0.0.1%'")" 0 "... never as it is"
cookie= addr=192.0.2.50 run_cgi GET /complaint
c2=$(printf '%s\n' "$out" | sed -n 's/^Set-Cookie: \(partake_form=[0-9a-f]*\);.*/\1/p')
t2=$(printf '%s\n' "$out" | sed -n 's/.*name="_token" value="\([^"]*\)".*/\1/p')
cookie=$c2 addr=192.0.2.50 run_cgi POST /complaint "_token=$t2&subject=other&phone=09121234567"
like "$out" "Status: 200" "another address is not held back by the first"
PARTAKE_NOW=2026-11-22T09:00:01Z cookie=$c2 run_cgi GET /complaint
t3=$(printf '%s\n' "$out" | sed -n 's/.*name="_token" value="\([^"]*\)".*/\1/p')
PARTAKE_NOW=2026-11-22T09:00:01Z cookie=$c2 addr=127.0.0.1 run_cgi POST /complaint \
	"_token=$t3&subject=later&phone=09121234567"
like "$out" "Status: 200" "an hour later the first address may submit again"
is "$(sql "SELECT count(*) FROM portal_hit WHERE at <= $(date -d 2026-11-22T08:00:01Z +%s)")" 0 \
	"... and the hits of the hour before are gone"

# --- a GET writes nothing ---------------------------------------------------
set_config ""
chmod a-w "$PARTAKE_DB"
run_cgi GET /
like "$out" "Status: 200" "a GET is answered from a database no one may write"
run_cgi GET /open311/v2/requests.json
like "$out" "Status: 200" "... Open311 too"
cookie=$c2 run_cgi GET /complaint
like "$out" "Status: 200" "... a form too"
t4=$(printf '%s\n' "$out" | sed -n 's/.*name="_token" value="\([^"]*\)".*/\1/p')
cookie=$c2 run_cgi POST /complaint "_token=$t4&subject=x&phone=09121234567"
like "$out" "Status: 503" "a POST then: 503, nothing can be written"
like "$(cat "$tmp/cgi.err")" "partake.cgi: database:" "... said in the server's log"
unlike "$(cat "$tmp/cgi.err")" "subject" "... with nothing of the form"
chmod u+w "$PARTAKE_DB"

done_testing
