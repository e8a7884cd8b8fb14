#!/bin/bash
# 6000-portal.t — partake.cgi behind a real lighttpd on 127.0.0.1 (mod_cgi,
# an unprivileged process): the home page and its headers, a complaint in
# Persian to its receipt and tracked by its code (dashes, Persian digits),
# errors in Persian on the form with what was typed, the other kinds, a
# comment on an open draft, a survey answer by its token, Open311, and the
# set-up check. The hostile side is 6010-portal-hostile.t.
. "$(dirname "$0")/portal-lib.sh"

if ! command -v lighttpd >/dev/null; then
	ok 1 "lighttpd is installed (make deps)"
	done_testing
	exit 1
fi

www mkdir -p "$srv/web"
set_config "survey_url = https://agency.example.ir/partake.cgi/survey/
site_url = https://agency.example.ir
web_dir = $srv/web"
www punit -q add roads --name "معاونت راه و شهرسازی" --email roads@agency.example.ir >/dev/null
www punit -q add legal --name "دفتر امور حقوقی" --email legal@agency.example.ir >/dev/null
www pservice -q add permit --name "پروانه ساخت" --unit roads --steps "درخواست، بازدید، صدور" >/dev/null
draft=$(www pdraft-new --title "آیین‌نامه ساعات کار اداری" --unit legal \
	--text "$kit/share/partake/examples/draft-office-hours.txt" 2>/dev/null)
www pdraft-publish -q >/dev/null 2>&1
served=$(www pcase-new -q -k request -s "درخواست پروانه" --phone 09121110000 --service permit)
www psurvey-invite -q "$served" >/dev/null
token=$(sql "SELECT body FROM outbox WHERE key LIKE 'survey:%'")
token=${token##*/survey/}
token=${token%%[!A-Za-z0-9]*}
[ -n "$draft" ] && [ -n "$token" ]
ok $? "a unit, a service, a draft open for comment and a survey invitation ($draft)"

run www "$cgi" --check
is "$rc" 0 "partake.cgi --check as the server's user: config, database, secret, frame"
like "$out" "database: $PARTAKE_DB (writable)" "... naming the database"
[ "$(stat -c %a "$srv/portal.key")" = 600 ] && [ "$(stat -c %s "$srv/portal.key")" = 32 ]
ok $? "the portal's secret is made on first use, 32 bytes, mode 0600"
run "$top/bin/partake.cgi"
is "$rc" 64 "run by hand without --check: a usage error"

start_lighttpd
ok $? "lighttpd listens on 127.0.0.1:$port"

pyt "$port" "$served" "$draft" "$token" <<'PY'
import json, re, subprocess, sys
from portal_client import *
port, served, draft, token = sys.argv[1:5]
b = Browser(int(port))

st, h, t = b.get("/")
is_(st, 200, "GET / answers 200")
like(h["Content-Type"], "text/html; charset=utf-8", "an HTML page in UTF-8")
like(t, '<html lang="fa" dir="rtl">', "Persian, right to left")
like(t, '<meta name="viewport"', "with the viewport of a phone")
like(t, '<base href="/partake.cgi/">', "links relative to the program")
like(t, "پروانه ساخت", "the home page lists the service catalog")
like(t, 'href="complaint?service=permit"', "... with a complaint form of each service")
like(t, "آیین‌نامه ساعات کار اداری", "... and the draft open for comment")
like(t, 'href="comment/%s"' % draft, "... linking its comment form")
like(t, 'action="track"', "... and the tracking form")
unlike(t, "<script", "no script anywhere")
like(h["Content-Security-Policy"], "default-src 'none'", "Content-Security-Policy: nothing but what it names")
like(h["Content-Security-Policy"], "frame-ancestors 'none'", "... and no framing")
is_(h["X-Content-Type-Options"], "nosniff", "X-Content-Type-Options: nosniff")
is_(h["Referrer-Policy"], "no-referrer", "Referrer-Policy: no-referrer")
is_(h["X-Frame-Options"], "DENY", "X-Frame-Options: DENY")
cookie = h["Set-Cookie"]
like(cookie, "HttpOnly", "the form cookie is HttpOnly")
like(cookie, "SameSite=Strict", "... and SameSite=Strict")
st, h, css = b.get("/style.css")
ok(st == 200 and h["Content-Type"].startswith("text/css") and ".receipt" in css and "Noto Naskh" in css,
   "GET /style.css: partake.css and portal.css")

# A complaint in Persian, to its receipt.
subject, body = "چاله بزرگ در خیابان آزادی", "روبه‌روی پلاک ۱۲ چاله‌ای است که خطرناک است."
st, h, t = b.post("/complaint", {"service": "permit", "subject": subject, "body": body,
                                   "name": "مریم رضایی", "phone": "۰۹۱۲۳۴۵۶۷۸۹", "email": ""})
is_(st, 200, "a complaint is taken: 200")
like(t, "کد پیگیری شما", "the receipt says its tracking code")
code = code_of(t)
ok(code is not None and len(code) == 12, "a code of 12 digits, shown in Persian digits (%s)" % code)
like(t, "مهلت پاسخ", "the receipt gives the due date")
unlike(t, "09123456789", "the receipt shows no phone")
unlike(t, "مریم", "nor the name")
with open(__import__("os").environ["TAP_STATE"] + ".code", "w") as f:
    f.write(code or "")

# The same form sent again (a reload): the same case, nothing stored twice.
form_token = TOKEN.search(b.get("/complaint")[2]).group(1)
fields = {"subject": "دوباره", "body": "x", "phone": "09120000001"}
b.post("/complaint", fields, token=form_token)
first = code_of(b.text)
st, h, t = b.post("/complaint", fields, token=form_token)
ok(st == 200 and code_of(t) == first and "پیش‌تر فرستاده" in t, "a form sent twice: the one case, said so")

# Errors in Persian, on the form, with what was typed.
st, h, t = b.post("/complaint", {"subject": "تاخیر در پاسخ", "body": "سه هفته گذشته",
                                   "phone": "12345"})
is_(st, 422, "a bad phone: 422")
like(t, "تلفن همراه: شماره همراه ایرانی نیست", "the error names the field and why, in Persian")
like(t, 'value="تاخیر در پاسخ"', "the subject typed is kept")
like(t, "سه هفته گذشته</textarea>", "the text typed is kept")
like(t, 'value="12345"', "the phone typed is kept, to correct")
like(t, 'aria-invalid="true"', "the field is marked for assistive technology")
st, h, t = b.post("/complaint", {"subject": "", "body": "x", "phone": "09121234567"})
ok(st == 422 and "موضوع شکایت: خالی است" in t, "no subject: named by the form's label")
st, h, t = b.post("/complaint", {"subject": "بی پاسخ", "body": "x"})
ok(st == 422 and "تلفن همراه یا رایانامه لازم است" in t, "a complaint needs a phone or an email")
st, h, t = b.post("/question", {"subject": "ساعت کار؟", "body": "x"})
ok(st == 422 and "لازم است" in t, "so does a question")

# The other kinds.
st, h, t = b.post("/violation", {"subject": "دریافت وجه اضافه", "body": "در باجه ۳", "anonymous": "on"})
ok(st == 200 and code_of(t), "a violation report with no contact at all, anonymous")
st, h, t = b.post("/violation", {"subject": "گزارش", "body": "x"})
ok(st == 200 and code_of(t), "... or just without one")
st, h, t = b.post("/suggestion", {"service": "permit", "subject": "نوبت اینترنتی", "body": "y"})
ok(st == 200 and code_of(t), "a suggestion")
st, h, t = b.post("/question", {"subject": "مدارک لازم؟", "body": "z", "email": "a@example.ir"})
ok(st == 200 and code_of(t), "a question with an email")
st, h, t = b.post("/feedback", {"subject": "باجه جدید", "body": "عالی بود"})
ok(st == 422 and "کدام خبر یا اطلاعیه: خالی است" in t, "feedback that names no news item: asked for it")
st, h, t = b.post("/feedback", {"about": "https://agency.example.ir/news/12", "subject": "باجه جدید",
                                "body": "عالی بود"})
ok(st == 200 and code_of(t), "feedback on a news item")
like(b.get("/feedback")[2], "کدام خبر یا اطلاعیه", "the feedback form asks which news item")
t = b.get("/feedback?about=%3Cb%3E%22x%22%3C%2Fb%3E")[2]
ok(re.search(r"value='&lt;b&gt;\"x\"&lt;/b&gt;' name=\"about\"", t) and "<b>" not in t,
   "?about= prefills the field, as escaped text", re.findall(r"<input[^>]*about[^>]*>", t))

# Tracking: with dashes, Persian digits, without.
grouped = "%s-%s-%s" % (code[:4], code[4:8], code[8:])
persian = grouped.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
st, h, t = b.post("/track", {"code": persian})
is_(st, 200, "tracking by the code in Persian digits with dashes: 200")
like(t, "ارجاع شده", "the state, in Persian")
like(t, "پروانه ساخت", "the service")
like(t, "معاونت راه و شهرسازی", "the unit that answers")
like(t, "تاریخ ثبت", "the dates")
unlike(t, "چاله", "not the citizen's subject")
unlike(t, "پلاک", "nor the text")
unlike(t, "مریم", "nor the name")
unlike(t, "09123456789", "nor the phone")
st, h, t = b.post("/track", {"code": code})
ok(st == 200 and "ارجاع شده" in t, "tracking by the bare Latin digits")
st, h, t = b.post("/track", {"code": "  " + grouped.replace("-", " ") + " "})
ok(st == 200 and "ارجاع شده" in t, "tracking with blanks between the groups")
off = code[:5] + str((int(code[5]) + 1) % 10) + code[6:]
st, h, t = b.post("/track", {"code": off})
is_(st, 422, "a code one digit off: 422, refused by its check digit")
like(t, "این کد پیگیری درست نیست", "... said in Persian")
like(t, 'value="%s"' % off, "... with the code as typed")
st, h, t = b.get("/track?code=" + code)
ok(st == 200 and "ارجاع شده" not in t, "a code in the address is not looked up (GET shows the form)")
PY
code=$(cat "$tmp/.tap.code")
is "$(sql "SELECT count(*) FROM portal_hit WHERE what = 'lookup'")" 3 \
	"three look-ups counted, none for the code one digit off"
is "$(sql "SELECT kind || ' ' || channel || ' ' || phone FROM cases WHERE code = '$code'")" \
	"complaint portal 09123456789" "the complaint is stored from the portal, its phone as the library keeps it"
is "$(sql "SELECT about FROM cases WHERE kind = 'feedback'")" "https://agency.example.ir/news/12" \
	"the news item of a feedback is stored in a field of its own"
is "$(www pcase-list -q -f tsv --channel portal | tail -n +2 | wc -l)" 7 \
	"seven cases from the portal, the form sent twice among them once"
is "$(sql "SELECT count(*) FROM outbox o JOIN cases c ON c.id = o.case_id WHERE o.channel = 'sms'
	AND o.recipient = '09123456789' AND c.code = '$code'")" 1 \
	"the citizen's SMS with the code is queued, as pcase-new queues it"

# A comment on a draft, a survey by its token, Open311.
pyt "$port" "$served" "$draft" "$token" <<'PY'
import json, subprocess, sys
from portal_client import *
port, served, draft, token = sys.argv[1:5]
b = Browser(int(port))
st, h, t = b.get("/comment/" + draft)
is_(st, 200, "the comment form of an open draft")
like(t, "آیین‌نامه ساعات کار اداری", "... its title")
like(t, "مهلت نظر تا", "... its window")
like(t, '<option value="2">', "... a list of its articles")
st, h, t = b.post("/comment/" + draft, {"article": "2", "subject": "ساعت شروع زود است",
                                         "body": "ساعت ۸ بهتر است."})
ok(st == 200 and code_of(t), "a comment on article 2: a receipt with its code")
with open(__import__("os").environ["TAP_STATE"] + ".comment", "w") as f:
    f.write(code_of(t) or "")
st, h, t = b.post("/comment/" + draft, {"article": "99", "subject": "x"})
ok(st == 422 and "ماده: چنین ماده‌ای ندارد" in t, "an article it does not have: named, in Persian")
is_(b.get("/comment/D-1300-0001")[0], 404, "a draft that is not there: 404")

st, h, t = b.get("/survey/" + token)
is_(st, 200, "the survey form of an invitation's token")
like(t, 'type="radio" name="q.overall"', "... its questions as choices")
unlike(t, 'action=', "... sent back to its own address")
st, h, t = b.post("/survey/" + token, {"q.information": "5", "q.timeliness": "4",
                                        "q.responsiveness": "4"})
ok(st == 422 and "لازم است" in t, "a required question left out: 422, in Persian")
like(t, 'value="5" checked', "... the choices made are kept")
st, h, t = b.post("/survey/" + token, {"q.information": "5", "q.timeliness": "4",
                                        "q.responsiveness": "4", "q.overall": "5",
                                        "q.comment": "خوب بود"})
ok(st == 200 and "سپاسگزاریم" in t, "the answers are recorded")
st, h, t = b.get("/survey/" + token)
ok(st == 200 and "پیش‌تر پاسخ داده" in t, "the token then says it was answered")
is_(b.get("/survey/NOSUCHTOKEN123456")[0], 404, "a token that is no invitation: 404")

st, h, t = b.get("/open311/v2/services.json")
ok(st == 200 and json.loads(t)[0]["service_code"] == "permit", "Open311 services.json")
st, h, t = b.get("/open311/v2/services.xml")
p = subprocess.run(["xmllint", "--noout", "-"], input=t.encode(), capture_output=True)
ok(st == 200 and p.returncode == 0 and "<service_code>permit</service_code>" in t, "Open311 services.xml, well formed")
st, h, t = b.get("/open311/v2/requests.json")
reqs = json.loads(t)
ok(st == 200 and len(reqs) >= 7, "Open311 requests.json: the cases (%d)" % len(reqs))
unlike(t, "09123456789", "... and no phone in them")
ident = reqs[0]["service_request_id"]
st, h, t = b.get("/open311/v2/requests/%s.json" % ident.replace("-", ""))
ok(st == 200 and json.loads(t)[0]["service_request_id"] == ident, "Open311 requests/{id}.json")
st, h, t = b.get("/open311/v2/requests/%s.xml" % ident.replace("-", ""))
ok(st == 200 and "<service_requests>" in t, "... and .xml")
is_(b.get("/open311/v2/requests/123456789012.json")[0], 404, "an id that is not a code: 404")
is_(b.get("/open311/v2/requests.json?status=open&service_code=permit")[0], 200, "with the standard's filters")
is_(b.get("/open311/v2/requests.json?status=bogus")[0], 400, "a bad filter: 400")
is_(b.get("/open311/v2/nothing.json")[0], 404, "an endpoint that is not there: 404")
is_(b.get("/nowhere")[0], 404, "a page that is not there: 404, a page in Persian")
PY
comment=$(cat "$tmp/.tap.comment")
is "$(sql "SELECT c.kind || ' ' || a.number FROM cases c JOIN draft_comment dc ON dc.case_id = c.id
	JOIN draft_article a ON a.id = dc.article_id WHERE c.code = '$comment'")" "comment 2" \
	"the comment is stored on article 2 of the draft"
is "$(sql "SELECT count(*) FROM survey_response")" 1 "one survey response stored"
is "$(sql "SELECT state FROM survey_invitation")" answered "the invitation is answered"
run www pdb -q check
is "$rc" 0 "pdb check: the database and the audit chain are whole"

grep -q '09123456789\|%D9%85%D8%B1%DB%8C%D9%85' "$tmp/lighttpd-access.log" "$tmp/lighttpd-error.log"
ok $((!$?)) "no phone or name in the server's access or error log"
is "$(grep -c 'POST /partake.cgi/complaint' "$tmp/lighttpd-access.log" | tr -d ' ')" \
	"$(grep -c 'POST /partake.cgi/complaint ' "$tmp/lighttpd-access.log" | tr -d ' ')" \
	"a submit's address carries no query"

done_testing
