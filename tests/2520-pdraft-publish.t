#!/bin/bash
# pdraft-publish: drafts open when their time comes; pages (valid HTML, lang fa,
# rtl) and an Atom feed a real feed reader reads; atomic, and a second run
# changes nothing; comments as cases in the window, at its edges.
. "$(dirname "$0")/draft-lib.sh"

pdraft-new --title 'آیین‌نامه <ساعات> & کار' --unit legal --text "$tmp/v1.txt" >/dev/null 2>&1
pdraft-new --title 'بعدها' --unit legal --text "$tmp/v1.txt" --publish-at 1405-10-01 >/dev/null 2>&1
run pdraft-publish
is "$rc" 0 "exit 0"
is "$out" "D-1405-0001" "prints the code opened; the one of 1405-10-01 waits"
is "$(sql "SELECT state FROM draft ORDER BY id" | tr '\n' ' ')" "open pending " "states"
is "$(sql "SELECT closes - opened FROM draft WHERE id = 1")" $(( $(date -d "$last_second" +%s) - $(date -d 2026-11-22T08:00:00Z +%s) )) \
	"the window ends 23:59:59 Tehran of the 14th day after, stored as that instant"
for f in partake.css drafts/index.html drafts/D-1405-0001.html drafts/feed.atom; do
	[ -s "$web/$f" ]
	ok $? "$f written"
done
[ ! -e "$web/drafts/D-1405-0002.html" ]
ok $? "no page for a pending draft"
for f in "$web"/drafts/*.html; do
	is "$(xmllint --html --noout "$f" 2>&1)" "" "$(basename "$f") parses as HTML with no error"
done
page=$(cat "$web/drafts/D-1405-0001.html")
like "$page" '<html lang="fa" dir="rtl">' "lang=fa dir=rtl"
like "$page" 'آیین‌نامه &lt;ساعات&gt; &amp; کار' "the title escaped by libxml2"
like "$page" '۱۵ آذر ۱۴۰۵، ساعت ۲۳:۵۹:۵۹ به وقت تهران' "the window's end in Solar Hijri, to the second"
like "$page" '<h3>ماده ۲ - ساعات کار</h3>' "the text by article"
like "$page" 'class="note">تبصره ۱' "a تبصره shown as a note"
like "$page" 'کد پیگیری' "how to read the answer by tracking code"
is "$(ls -A "$web/drafts" | grep '^\.')" "" "no file left aside"

# The feed, read by Debian's feedparser, with RFC 4287's required elements.
/usr/bin/python3 - "$web/drafts/feed.atom" >"$tmp/feed.out" 2>&1 <<'PY'
import sys, feedparser
d = feedparser.parse(sys.argv[1])
assert not d.bozo, d.get("bozo_exception")
assert d.version == "atom10", d.version
f = d.feed
for k in ("id", "title", "updated"):
    assert f.get(k), "feed lacks " + k
assert len(d.entries) == 1, len(d.entries)
for e in d.entries:
    for k in ("id", "title", "updated", "link"):
        assert e.get(k), "entry lacks " + k
    assert e.get("author"), "entry lacks an author (the feed has none)"
print("ok", d.entries[0].title, d.entries[0].link)
PY
is "$(cat "$tmp/feed.out")" "ok آیین‌نامه <ساعات> & کار D-1405-0001.html" \
	"feedparser reads the feed: bozo false, id, title, updated; entries with id, title, updated, link, author"

# A second run changes nothing.
stamp=$(cd "$web" && find . -type f -printf '%p %T@ %s\n' | sort)
events=$(sql "SELECT count(*) FROM event")
run pdraft-publish
is "$rc:$out" "0:" "a second run opens nothing"
is "$(cd "$web" && find . -type f -printf '%p %T@ %s\n' | sort)" "$stamp" "and writes no file"
is "$(sql "SELECT count(*) FROM event")" "$events" "nor any event"

# --- comments: in the window, at its edges -------------------------------------------
run pcase-new --kind comment --draft D-1405-0001 --article 2 --subject 'ساعت شروع' --anonymous
is "$rc" 0 "a comment on an article"
is "$(sql "SELECT dc.late || ' ' || a.number FROM draft_comment dc JOIN draft_article a ON a.id = dc.article_id")" "0 2" \
	"kept with its draft and article, in time"
is "$(sql "SELECT u.code FROM cases c JOIN unit u ON u.id = c.unit_id")" legal "routed to the draft's unit"
PARTAKE_NOW=$last_second run pcase-new --kind comment --draft D-1405-0001 --subject 'آخرین ثانیه' --anonymous
is "$rc" 0 "the last second of the window accepts"
PARTAKE_NOW=$first_after run pcase-new --kind comment --draft D-1405-0001 --subject 'دیر' --anonymous
is "$rc" 2 "the first second after refuses"
like "$err" "closed at 1405-09-15 23:59:59" "saying when it closed"
PARTAKE_NOW=$first_after run pcase-new --kind comment --draft D-1405-0001 --subject 'دیر' --anonymous --late
is "$rc" 0 "--late keeps it"
is "$(sql "SELECT count(*) FROM draft_comment WHERE late = 1")" 1 "as late"
run pcase-new --kind comment --draft D-1405-0001 --late --subject x --anonymous
is "$rc" 2 "--late in the window is refused"
run pcase-new --kind comment --draft D-1405-0001 --article 7 --subject x --anonymous
is "$rc" 2 "an article the draft has not is refused"
like "$err" "no article 7" "saying so"
run pcase-new --kind comment --draft D-1405-0002 --subject x --anonymous
like "$err" "not open for comment yet" "a pending draft takes no comment"
run pcase-new --kind complaint --draft D-1405-0001 --subject x --anonymous
like "$err" "only a comment" "a complaint is not on a draft"
run pcase-new --kind comment --article 2 --subject x --anonymous
like "$err" "goes with a draft" "--article without --draft"
printf '{"kind":"comment","draft":"D-1405-0001","article":"3","subject":"از دسته","anonymous":true}\n' |
	pcase-new --batch >/dev/null 2>&1
ok $? "a batch line takes draft and article"
printf 'kind\tdraft\tarticle\tsubject\tanonymous\ncomment\tD-1405-0001\t9\tx\ttrue\n' | pcase-new --batch --tsv 2>"$tmp/err" >/dev/null
like "$(cat "$tmp/err")" "line 2: article" "a TSV line on an article not there is refused with its line"
pdraft-publish >/dev/null 2>&1
like "$(cat "$web/drafts/D-1405-0001.html")" 'نظرها: ۳ (دیررس: ۱)' "the page counts the comments, late apart"

# --- bad input -------------------------------------------------------------------------
pdraft-new --title 'بی متن' --unit legal >/dev/null 2>&1
run pdraft-publish
is "$rc" 1 "a draft with no text is not published: exit 1"
like "$err" "D-1405-0003: it has no text to publish" "saying so"
is "$(sql "SELECT state FROM draft WHERE code = 'D-1405-0003'")" pending "it stays pending"

pdraft-new --revise D-1405-0003 --text "$tmp/v1.txt" >/dev/null 2>&1
: > "$tmp/afile"
printf '%s\nweb_dir = %s/afile/web\n' "$base_config" "$tmp" > "$PARTAKE_CONFIG"
events=$(sql "SELECT count(*) FROM event")
run pdraft-publish
is "$rc" 2 "a web_dir that cannot be written: exit 2"
like "$err" "nothing published, nothing changed" "a clear error"
is "$(sql "SELECT state FROM draft WHERE code = 'D-1405-0003'")" pending "no draft opened"
is "$(sql "SELECT count(*) FROM event")" "$events" "no event"
printf '%s\n' "$base_config" > "$PARTAKE_CONFIG"
run pdraft-publish
is "$rc" 2 "no web_dir at all: exit 2"
like "$err" "web_dir is not set" "saying so"
done_testing
