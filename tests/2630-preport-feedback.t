#!/bin/bash
# preport feedback: the public's comments on the agency's news (kind
# feedback), grouped by news item (what each is about: pcase-new --about,
# the batch field, the portal's form) and topic (the service, else the unit
# it was routed to), against a query written here; the period; the page.
. "$(dirname "$0")/lib.sh"

export PARTAKE_NOW=2026-10-01T05:00:00Z
punit add pr --name 'روابط عمومی' >/dev/null
punit add ops --name 'عملیات' >/dev/null
pservice add permit --name 'صدور مجوز' --unit ops --deadline 5 >/dev/null
fb() {	# fb ABOUT [options]: a feedback on a news item, anonymous
	local about=$1
	shift
	pcase-new -q -k feedback -s 'نظر' --anonymous ${about:+--about "$about"} "$@"
}
news1='https://agency.example.ir/news/12'
news2='افتتاح باجه تازه'
# 1405-07 (the month before the one asked).
PARTAKE_NOW=2026-10-12T05:00:00Z fb "$news1" --service permit >/dev/null
# 1405-08.
export PARTAKE_NOW=2026-10-25T05:00:00Z
fb "$news1" --service permit >/dev/null
fb "$news1" --service permit >/dev/null
c=$(fb "$news1")
pcase-route -q --to pr "$c" >/dev/null
fb "$news1" >/dev/null
fb "$news2" --unit ops >/dev/null
fb "" >/dev/null
pcase-new -q -k complaint -s 'شکایت' --anonymous --about "$news2" >/dev/null	# not feedback
# A batch line names its item too.
run sh -c "printf '%s\n' '{\"kind\":\"feedback\",\"subject\":\"b\",\"anonymous\":true,\"about\":\"$news2\",\"unit\":\"ops\"}' | pcase-new -q --batch"
is "$rc" 0 "a batch line with an about field: stored"
is "$(sql "SELECT count(*) FROM cases WHERE about = '$news2' AND kind = 'feedback'")" 2 "... with its news item"
run pcase-new -k feedback -s x --anonymous --about "$(printf 'a\tb')"
is "$rc" 2 "an about with a control character: refused"
like "$err" "about" "... naming the field"
run pcase-new --help
like "$out" "--about=TEXT" "pcase-new --help shows --about"

export PARTAKE_NOW=2026-11-22T08:00:00Z
run preport feedback --month 1405-08 -f json
is "$rc" 0 "feedback: exit 0"
printf '%s\n' "$out" >"$tmp/got.json"
python3 - "$PARTAKE_DB" "$tmp/got.json" >"$tmp/cmp" <<'PY'
import json, sqlite3, sys, datetime as dt
from zoneinfo import ZoneInfo
db = sqlite3.connect(sys.argv[1])
tz = ZoneInfo("Asia/Tehran")
start = int(dt.datetime(2026, 10, 23, tzinfo=tz).timestamp())
end = int(dt.datetime(2026, 11, 22, tzinfo=tz).timestamp())
want = {}
for about, sid, scode, ucode in db.execute(
        "SELECT c.about, c.service_id, s.code, u.code FROM cases c"
        " LEFT JOIN service s ON s.id = c.service_id LEFT JOIN unit u ON u.id = c.unit_id"
        " WHERE c.kind = 'feedback' AND c.received >= ? AND c.received < ?", (start, end)):
    topic = scode if sid is not None else ucode
    kind = "service" if sid is not None else "unit" if ucode else None
    want[(about, kind, topic)] = want.get((about, kind, topic), 0) + 1
items = {}
for (about, _, _), n in want.items():
    items[about] = items.get(about, 0) + n
got = [json.loads(l) for l in open(sys.argv[2])]
bad = 0
seen = {}
for g in got:
    k = (g.get("about"), g.get("topic_kind"), g.get("topic"))
    seen[k] = g["feedback"]
    if g["item_total"] != items.get(k[0]):
        print(f"# {k}: item_total {g['item_total']}, want {items.get(k[0])}"); bad += 1
if seen != want:
    print(f"# got {seen}\n# want {want}"); bad += 1
totals = [g["item_total"] for g in got]
if totals != sorted(totals, reverse=True):
    print("# not the items with most feedback first"); bad += 1
print("rows", len(got), "bad", bad)
PY
grep '^#' "$tmp/cmp"
is "$(grep ^rows "$tmp/cmp")" "rows 5 bad 0" "every group matches the query of the test"
first=$(printf '%s\n' "$out" | head -n 1)
like "$first" "\"about\":\"$news1\",\"item_total\":4,\"topic_kind\":\"service\",\"topic\":\"permit\"" \
	"the item with most feedback first, its biggest topic first (the service)"
like "$out" "\"about\":\"$news1\",\"item_total\":4,\"topic_kind\":\"unit\",\"topic\":\"pr\",\"topic_name\":\"روابط عمومی\",\"feedback\":1" \
	"a feedback with no service: its unit, as routed"
like "$out" "\"about\":null,\"item_total\":1,\"topic_kind\":null" "one that names no item: a group of its own, no topic"
unlike "$out" "شکایت" "a complaint about the same item is not feedback"

run preport feedback --since 1405-07-01 -f tsv
is "$(printf '%s\n' "$out" | awk -F'\t' -v a="$news1" '$1 == a && $4 == "permit" {print $6}')" 3 \
	"--since: the month before counted too (3 on the service)"
run preport feedback --month 1405-13
is "$rc" 64 "--month that is not one: usage"
like "$err" "feedback: --month" "... named"

run preport feedback --month 1405-08 --html "$tmp/fb.html"
is "$rc" 0 "--html: written"
like "$(cat "$tmp/fb.html")" 'dir="rtl"' "the page is right to left"
like "$(cat "$tmp/fb.html")" "$news2" "... names the items"
like "$(cat "$tmp/fb.html")" "صدور مجوز" "... and the topics"
run xmllint --noout --html "$tmp/fb.html"
is "$rc" 0 "... and is well formed"
run preport feedback --month 1405-08 -f html
like "$out" "<table class=\"feedback\"" "-f html: the page on standard output"
run preport feedback --month 1405-08 -f csv
like "$(printf '%s\n' "$out" | head -n 1)" "about,item_total,topic_kind,topic,topic_name,feedback,answered,first,last" "csv: the columns"

# The chain covers the field: a changed news item is found.
run pdb check
is "$rc" 0 "pdb check: the chain verifies with the news items"
complaint=$(sql "SELECT code FROM cases WHERE kind = 'complaint'")
sql "UPDATE cases SET about = 'دیگر' WHERE kind = 'complaint'" >/dev/null
run pdb check
ok $(( rc == 0 )) "a news item changed behind the chain's back: found (exit $rc)"
like "$out$err" "$complaint" "... naming the case"
sql "UPDATE cases SET about = NULL WHERE kind = 'complaint'" >/dev/null
run pdb check
ok $(( rc == 0 )) "... and one taken away (exit $rc)"
sql "UPDATE cases SET about = '$news2' WHERE kind = 'complaint'" >/dev/null
run pdb check
is "$rc" 0 "... and put back as it was: verifies again"
done_testing
