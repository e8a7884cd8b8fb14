#!/bin/bash
# 6050-portal-browser.t — the portal in a real browser: headless Chromium
# driven through chromium-driver (Selenium) against partake.cgi behind
# lighttpd, in a phone's window. A complaint typed in Persian, submitted,
# its code read off the receipt and tracked; a comment on a draft; a survey
# answered; the Persian error of a bad phone. No script runs and the
# Content-Security-Policy blocks nothing of the portal's own. Screenshots
# of each page go to build/browser/portal-*.png for a person to look at.
# Slow (Chromium starts), so run by `make check-browser`
# (PARTAKE_BROWSER=1); make check skips it.
. "$(dirname "$0")/portal-lib.sh"

if [ -z "${PARTAKE_BROWSER-}" ]; then
	echo "1..0 # SKIP in a real browser: make check-browser"
	exit 0
fi
for need in lighttpd chromium chromedriver; do
	command -v "$need" >/dev/null
	ok $? "$need is installed (make deps-browser)"
done
/usr/bin/python3 -c 'import selenium' 2>/dev/null
ok $? "python3-selenium is installed (make deps-browser)"
[ "$tap_failed" = 0 ] || { done_testing; exit 1; }

shots=$top/build/browser
mkdir -p "$shots"
www mkdir -p "$srv/web"
set_config "survey_url = https://agency.example.ir/partake.cgi/survey/
web_dir = $srv/web"
www punit -q add roads --name "معاونت راه و شهرسازی" >/dev/null
www punit -q add legal --name "دفتر امور حقوقی" >/dev/null
www pservice -q add permit --name "پروانه ساخت" --unit roads --steps "درخواست، بازدید، صدور" >/dev/null
www pservice -q add water --name "انشعاب آب" --unit roads >/dev/null
draft=$(www pdraft-new --title "آیین‌نامه ساعات کار اداری" --unit legal \
	--text "$kit/share/partake/examples/draft-office-hours.txt" 2>/dev/null)
www pdraft-publish -q >/dev/null 2>&1
served=$(www pcase-new -q -k request -s "درخواست پروانه" --phone 09121110000 --service permit)
www psurvey-invite -q "$served" >/dev/null
token=$(sql "SELECT body FROM outbox WHERE key LIKE 'survey:%'")
token=${token##*/survey/}
token=${token%%[!A-Za-z0-9]*}
start_lighttpd
ok $? "lighttpd listens on 127.0.0.1:$port"

pyt "$port" "$draft" "$token" "$shots" "$tmp" <<'PY'
import sys, time
from portal_client import ok, is_, like, unlike, PERSIAN
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait
from selenium.webdriver.support import expected_conditions as EC

port, draft, token, shots, tmp = sys.argv[1:6]
base = "http://127.0.0.1:%s/partake.cgi/" % port
opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--lang=fa", "--window-size=412,1400",
          "--user-data-dir=%s/chromium" % tmp):
    opts.add_argument(a)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
d.set_page_load_timeout(30)

def shot(name):
    # The whole page, as tall as it is.
    h = d.execute_script("return document.documentElement.scrollHeight")
    d.set_window_size(412, max(800, min(h + 40, 4000)))
    d.save_screenshot("%s/portal-%s.png" % (shots, name))

def fill(name, text):
    e = d.find_element(By.NAME, name)
    e.clear()
    e.send_keys(text)

def submit():
    # Clicked, then waited for: the next page has replaced this one.
    b = d.find_element(By.CSS_SELECTOR, "form button[type=submit]")
    b.click()
    WebDriverWait(d, 15).until(EC.staleness_of(b))

try:
    d.get(base)
    is_(d.title, "درگاه مشارکت مردمی", "the home page in Chromium")
    is_(d.execute_script("return getComputedStyle(document.body).direction"), "rtl", "... right to left")
    ok(d.execute_script("return document.styleSheets.length && document.styleSheets[0].cssRules.length > 10"),
       "... with its stylesheet applied (CSP lets the portal's own style in)")
    ok(d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1"),
       "... as wide as a phone's screen, no wider")
    shot("home")

    d.find_element(By.LINK_TEXT, "ثبت شکایت").click()
    like(d.current_url, "/partake.cgi/complaint", "the complaint form, by its link")
    Select(d.find_element(By.NAME, "service")).select_by_visible_text("پروانه ساخت")
    fill("subject", "تأخیر در صدور پروانه")
    fill("body", "درخواست من بیش از دو ماه است که بی‌پاسخ مانده است.")
    fill("name", "علی محمدی")
    fill("phone", "12345")
    submit()
    like(d.find_element(By.CSS_SELECTOR, ".errors").text, "تلفن همراه", "a bad phone: the error names the field")
    is_(d.find_element(By.NAME, "subject").get_attribute("value"), "تأخیر در صدور پروانه",
        "... and the subject typed is still there")
    shot("error")
    fill("phone", "۰۹۱۲۳۴۵۶۷۸۹")
    submit()
    code_shown = d.find_element(By.CSS_SELECTOR, ".receipt .code").text
    code = code_shown.translate(PERSIAN).replace("-", "")
    ok(len(code) == 12 and code.isdigit(), "the receipt shows the tracking code (%s)" % code_shown)
    is_(d.execute_script("return getComputedStyle(document.querySelector('.receipt .code')).direction"),
        "ltr", "... left to right inside the right-to-left line")
    shot("receipt")

    d.get(base + "track")
    fill("code", code_shown)
    submit()
    page = d.find_element(By.ID, "content").text
    like(page, "ارجاع شده", "tracking the code read off the page: its state")
    like(page, "پروانه ساخت", "... its service")
    unlike(page, "علی", "... and not the name")
    shot("track")

    d.get(base + "comment/" + draft)
    Select(d.find_element(By.NAME, "article")).select_by_value("2")
    fill("subject", "ساعت شروع زود است")
    fill("body", "شروع کار از ساعت ۸ برای مراجعان بهتر است.")
    shot("comment-form")
    submit()
    c2 = d.find_element(By.CSS_SELECTOR, ".receipt .code").text
    ok(len(c2.translate(PERSIAN).replace("-", "")) == 12, "a comment on article 2 of the draft: its code (%s)" % c2)
    like(d.find_element(By.ID, "content").text, "نظر", "... as a comment")

    d.get(base + "survey/" + token)
    for q, v in (("information", "5"), ("timeliness", "4"), ("responsiveness", "4"), ("overall", "5")):
        d.find_element(By.ID, "f-%s-%s" % (q, v)).click()
    fill("q.comment", "کارمندان با حوصله پاسخ دادند.")
    shot("survey")
    submit()
    like(d.find_element(By.TAG_NAME, "h1").text, "سپاسگزاریم", "the survey answered in the browser")

    scripts = d.execute_script("return document.scripts.length")
    is_(scripts, 0, "no page has a script")
    # (a 422 answer and the favicon's 404 are the network's, and meant)
    logs = [l for l in d.get_log("browser") if "Content Security Policy" in l["message"] or
            (l["level"] == "SEVERE" and l["source"] != "network")]
    is_(logs, [], "the browser logged no error and no policy violation")
finally:
    d.quit()
PY
is "$(sql "SELECT count(*) FROM cases WHERE channel = 'portal'")" 2 "two cases from the browser"
is "$(sql "SELECT count(*) FROM survey_response")" 1 "one survey response"
for s in home error receipt track comment-form survey; do
	[ -s "$shots/portal-$s.png" ]
	ok $? "build/browser/portal-$s.png"
done

done_testing
