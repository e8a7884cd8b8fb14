#!/bin/bash
# preport monthly and overdue: every figure of a month (1405-08) against a
# query written here, on a data set with known answers: a unit with no case,
# a case answered in the deadline's last minute, a paused (waiting) case, a
# late answer, a rejection, a reopening, an escalation, a committee decision,
# a case of the month before answered in this one, a case with no unit,
# survey responses and a draft; the page with its charts; the chain's head.
. "$(dirname "$0")/lib.sh"

at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
due_of() { sql "SELECT due FROM cases WHERE code = $1"; }
new_case() {	# new_case KIND CHANNEL UNIT: a case received now, routed to UNIT
	local c
	c=$(pcase-new -q -k "$1" -c "$2" -s "موضوع $1" --anonymous)
	[ -n "$3" ] && pcase-route -q --to "$3" "$c" >/dev/null
	echo "$c"
}

# The chain is written in the order of time, as it is in use: so is this data.
export PARTAKE_NOW=2026-10-01T05:00:00Z
punit add hq --name 'ریاست' --email hq@agency.example >/dev/null
punit add ops --name 'عملیات' --parent hq --email ops@agency.example >/dev/null
punit add empty --name 'واحد خالی' >/dev/null

# 1405-07-20 (the month before): received then, answered in 1405-08.
export PARTAKE_NOW=2026-10-12T05:00:00Z
c0=$(new_case complaint desk ops)
# 1405-08-03 08:30 in Tehran.
export PARTAKE_NOW=2026-10-25T05:00:00Z
c1=$(new_case complaint portal ops)
c2=$(new_case complaint sms ops)
c3=$(new_case request phone ops)
c4=$(new_case complaint portal ops)
c5=$(new_case complaint email ops)
c6=$(new_case complaint portal ops)
c7=$(new_case complaint portal ops)
c8=$(new_case suggestion portal ops)
c9=$(new_case suggestion desk hq)
c10=$(new_case question portal "")
export PARTAKE_NOW=2026-10-26T06:00:00Z
pcase-status -q --set waiting --note 'مدرک بفرستید' "$c4" >/dev/null
pcase-status -q --set rejected --note 'تکراری' "$c6" >/dev/null
pcase-route -q --escalate "$c8" >/dev/null
pcase-review -q "$c9" --open >/dev/null
PARTAKE_NOW=2026-10-27T06:00:00Z pcase-answer -q --outcome accepted --text 'انجام شد' "$c0" "$c1" "$c7" >/dev/null
PARTAKE_NOW=2026-10-28T06:00:00Z pcase-status -q --set in-progress --note 'دوباره' "$c7" >/dev/null
PARTAKE_NOW=2026-10-29T06:00:00Z pcase-review -q "$c9" --decide accepted --action process --note 'پذیرفته' >/dev/null
# Surveys in the month: two responses for ops (4 scale answers each).
export PARTAKE_NOW=2026-11-01T06:00:00Z
psurvey-record -q --unit ops -a information=5 -a timeliness=4 -a responsiveness=2 -a overall=5 >/dev/null 2>&1
psurvey-record -q --unit ops -a information=1 -a timeliness=3 -a responsiveness=4 -a overall=2 >/dev/null 2>&1
is "$(sql "SELECT count(*) FROM survey_response")" 2 "the data: two survey responses"
PARTAKE_NOW=$(at "$(due_of "$c2")") pcase-answer -q --outcome info --text 'راهنمایی' "$c2" >/dev/null
PARTAKE_NOW=$(at $(($(due_of "$c3") + 60))) pcase-answer -q --outcome noted --text 'دیر' "$c3" >/dev/null
is "$(sql "SELECT answered = due FROM cases WHERE code = $c2")" 1 "the data: c2 answered in its deadline's last minute"


# Now: 1405-09-01, the month after.
export PARTAKE_NOW=2026-11-22T08:00:00Z
run preport monthly --month 1405-08 -f json
is "$rc" 0 "monthly: exit 0"
printf '%s\n' "$out" >"$tmp/got.json"

# The same figures, by a query of their own, from the definitions in preport(1).
python3 - "$PARTAKE_DB" "$top/share/partake/holidays" "$tmp/got.json" >"$tmp/cmp" <<'PY'
import json, math, sqlite3, sys, datetime as dt
from zoneinfo import ZoneInfo
db, hol, got = sqlite3.connect(sys.argv[1]), sys.argv[2], sys.argv[3]
tz = ZoneInfo("Asia/Tehran")
start = int(dt.datetime(2026, 10, 23, tzinfo=tz).timestamp())
end = int(dt.datetime(2026, 11, 22, tzinfo=tz).timestamp())
now = int(dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.timezone.utc).timestamp())
off = set()
for y in (1404, 1405):
    for line in open(f"{hol}/ir-{y}.tsv", encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) > 3 and not line.startswith("#") and f[3] == "official":
            off.add(dt.date.fromisoformat(f[1]))
def day(t): return dt.datetime.fromtimestamp(t, tz).date()
def working(a, b):	# working days in (a, b]
    n, d = 0, a
    while d < b:
        d += dt.timedelta(days=1)
        n += d.weekday() != 4 and d not in off
    return n
def rank(xs, q):
    xs = sorted(xs)
    return xs[max(math.ceil(q * len(xs)), 1) - 1] if xs else None
units = [(i, c) for i, c in db.execute("SELECT id, code FROM unit ORDER BY code")] + [(None, "-")]
rows = {}
for uid, code in units:
    u = "unit_id IS NULL" if uid is None else f"unit_id = {uid}"
    q = lambda s, *a: db.execute(s.replace("UNIT", u), a).fetchone()[0]
    r = {}
    r["received"] = q("SELECT count(*) FROM cases WHERE UNIT AND received >= ? AND received < ?", start, end)
    ans = db.execute(f"SELECT received, answered, due FROM cases WHERE {u} AND answered >= ? AND answered < ?", (start, end)).fetchall()
    r["answered"] = len(ans)
    r["on_time"] = sum(1 for a in ans if a[2] is not None and a[1] <= a[2])
    wd = [a for a in ans if a[2] is not None]
    r["on_time_share"] = round(r["on_time"] / len(wd), 3) if wd else None
    days = [working(day(a[0]), day(a[1])) for a in ans]
    r["days_median"], r["days_p90"] = rank(days, .5), rank(days, .9)
    r["open"] = q("SELECT count(*) FROM cases WHERE UNIT AND state NOT IN ('answered', 'closed', 'rejected')")
    r["overdue"] = q("SELECT count(*) FROM cases WHERE UNIT AND state IN ('new', 'routed', 'in-progress', 'committee') AND due < ?", now)
    ev = lambda cond: q(f"SELECT count(*) FROM event e JOIN cases c ON c.id = e.subject_id AND e.subject_kind = 'case' WHERE c.{u} AND e.at >= ? AND e.at < ? AND {cond}", start, end)
    r["reopened"] = ev("e.what = 'reopen'")
    r["rejected"] = ev("e.what = 'state' AND e.after = 'rejected'")
    r["escalated"] = ev("e.what = 'route' AND e.note LIKE '%escalated'")
    r["to_committee"] = ev("e.what = 'review'")
    r["accepted"] = ev("e.what = 'decision' AND e.note LIKE 'accepted%'")
    r["declined"] = ev("e.what = 'decision' AND e.note NOT LIKE 'accepted%'")
    r["before_committee"] = q("SELECT count(*) FROM cases WHERE UNIT AND state = 'committee'")
    su = "r.unit_id IS NULL" if uid is None else f"r.unit_id = {uid}"
    r["responses"] = db.execute(f"SELECT count(*) FROM survey_response r WHERE {su} AND r.at >= ? AND r.at < ?", (start, end)).fetchone()[0]
    sat = db.execute(f"SELECT sum(a.value >= 4), count(*) FROM survey_answer a JOIN survey_response r ON r.id = a.response_id JOIN survey_question qq ON qq.id = a.question_id WHERE qq.kind = 'scale' AND {su} AND r.at >= ? AND r.at < ?", (start, end)).fetchone()
    r["satisfied_share"] = round(sat[0] / sat[1], 3) if sat[1] else None
    rows[code] = r
keys = list(rows["hq"].keys())
total = {k: sum(rows[c][k] or 0 for c in rows) for k in keys if k not in ("on_time_share", "days_median", "days_p90", "satisfied_share")}
got_rows = {o["unit"]: o for o in map(json.loads, open(got))}
if not any(rows["-"][k] for k in ("received", "answered", "open")):
    del rows["-"]
bad = 0
for code, r in rows.items():
    for k, v in r.items():
        if got_rows.get(code, {}).get(k) != v:
            print(f"# {code} {k}: got {got_rows.get(code, {}).get(k)!r}, want {v!r}"); bad += 1
for k, v in total.items():
    if got_rows["total"].get(k) != v:
        print(f"# total {k}: got {got_rows['total'].get(k)!r}, want {v!r}"); bad += 1
print("units", " ".join(sorted(got_rows)))
print("checked", sum(len(r) for r in rows.values()) + len(total), "bad", bad)
PY
cat "$tmp/cmp" | grep '^#'
is "$(grep ^units "$tmp/cmp")" "units - empty hq ops total" "a row per unit (the empty one too), the cases with no unit, the total"
like "$(grep ^checked "$tmp/cmp")" "bad 0" "every figure matches the query of the test ($(grep ^checked "$tmp/cmp"))"

# The known answers, spelled out.
ops=$(grep '"unit":"ops"' "$tmp/got.json")
like "$ops" '"received":7,' "ops received 7 in the month (c1-c7; c8 went up to hq)"
like "$ops" '"answered":4,"on_time":2,' "ops: answered c0 (late), c1, c2 (in the last minute: on time), c3 (late)"
like "$ops" '"overdue":2,' "ops: overdue now: c5, and c7 past its new deadline; not c4, which waits"
like "$ops" '"reopened":1,"rejected":1,' "ops: c7 reopened, c6 rejected"
like "$(grep '"unit":"hq"' "$tmp/got.json")" '"escalated":1,"to_committee":1,"accepted":1,' \
	"hq: c8 escalated to it, c9 before the committee and accepted"
like "$ops" '"satisfied_share":0.5' "ops: 4 of 8 scale answers were 4 or 5"
like "$(grep '"unit":"empty"' "$tmp/got.json")" '"received":0,"by_kind":[],"by_channel":[],"answered":0,' \
	"the empty unit has its row of zeros"
ok "$(grep '"unit":"total"' "$tmp/got.json" | grep -qE '"chain_head":"events=[0-9]+ last=[0-9]+ hash=[0-9a-f]{64} at=2026-11-21T20:30:00Z"'; echo $?)" \
	"the total row carries the chain's head at the month's end (local midnight)"
head_count=$(sed -n 's/.*"chain_head":"events=\([0-9]*\) .*/\1/p' "$tmp/got.json")
is "$head_count" "$(sql "SELECT count(*) FROM event WHERE at < $(python3 -c 'import datetime as d, zoneinfo as z; print(int(d.datetime(2026,11,22,tzinfo=z.ZoneInfo("Asia/Tehran")).timestamp()))')")" \
	"the head counts the events before the month's end"

run preport monthly --month 1405-08 --unit ops -f tsv
is "$(echo "$out" | cut -f2 | tr '\n' ' ')" "unit ops " "--unit: that unit's row alone"
run preport monthly --month 1405-08 --unit nosuch
is "$rc" 1 "--unit of no unit: exit 1"
run preport monthly --month 1405-13
is "$rc" 64 "a month that is not one: exit 64"
like "$err" "preport: monthly: month 1405-13" "… named"
run preport monthly -f tsv
like "$out" "1405-08	hq" "the default month is the last one"

# --- the page --------------------------------------------------------------------
run preport monthly --month 1405-08 --html "$tmp/web/r.html"
is "$rc" 0 "--html: exit 0"
page=$(cat "$tmp/web/r.html")
python3 - "$tmp/web/r.html" <<'PY' >"$tmp/svg"
import re, sys, xml.dom.minidom
for svg in re.findall(r"<svg.*?</svg>", open(sys.argv[1], encoding="utf-8").read(), re.S):
    xml.dom.minidom.parseString(svg.encode()); print("svg ok")
PY
is "$(cat "$tmp/svg")" "$(printf 'svg ok\nsvg ok')" "two inline SVG charts, each well-formed XML"
like "$page" '<html lang="fa" dir="rtl">' "right to left, in Persian"
like "$page" "گزارش عملکرد ماه آبان 1405" "the month by its Persian name"
like "$page" "از 1 آبان 1405 تا 30 آبان 1405" "its days in the Solar Hijri calendar"
like "$page" 'font-size="11">1405-08</text>
</svg>' "the trend ends with the month"
like "$page" '<style>' "its stylesheet inside: it stands alone"
unlike "$page" 'rel="stylesheet"' "no link to a stylesheet elsewhere"
like "$page" 'class="chain-head" dir="ltr">events=' "the chain's head, left to right"
printf 'digits = persian\n' >>"$PARTAKE_CONFIG"
run preport monthly --month 1405-08 -f html
like "$out" "گزارش عملکرد ماه آبان ۱۴۰۵" "-f html: the page on standard output, in the configured digits"
mkdir "$tmp/pub"
printf 'web_dir = %s/pub\n' "$tmp" >>"$PARTAKE_CONFIG"
run preport monthly --month 1405-08 --publish
is "$out" "$tmp/pub/reports/monthly-1405-08.html" "--publish: into web_dir/reports, and says where"
ok "$([ -s "$tmp/pub/reports/monthly-1405-08.html" ]; echo $?)" "the page is there"
run preport overdue -f html
is "$rc" 64 "-f html: only monthly has a page"

# --- overdue -----------------------------------------------------------------------
run preport overdue -f tsv
is "$(echo "$out" | head -1)" "unit	code	kind	state	received	due	days_overdue	level	subject" "overdue: the header"
is "$(echo "$out" | sed 1d | cut -f1,2 | tr '\t' ' ' | sort)" "$(printf 'hq %s\nops %s\nops %s\n- %s' "$c8" "$c5" "$c7" "$c10" | sort)" \
	"overdue: c5 and c7 of ops, c8 (escalated) of hq, c10 of no unit (not c4, which waits)"
want=$(python3 - "$(due_of "$c5")" "$top/share/partake/holidays" <<'PY'
import sys, datetime as dt
from zoneinfo import ZoneInfo
tz = ZoneInfo("Asia/Tehran")
off = {dt.date.fromisoformat(l.split("\t")[1]) for l in open(sys.argv[2] + "/ir-1405.tsv", encoding="utf-8")
       if not l.startswith("#") and l.split("\t")[3] == "official"}
d, n = dt.datetime.fromtimestamp(int(sys.argv[1]), tz).date(), 0
today = dt.datetime(2026, 11, 22, 8, 0, tzinfo=dt.timezone.utc).astimezone(tz).date()
while d < today:
    d += dt.timedelta(days=1); n += d.weekday() != 4 and d not in off
print(n)
PY
)
is "$(echo "$out" | grep "$c5" | cut -f7)" "$want" "working days overdue, counted here too ($want)"
PARTAKE_NOW=2026-11-22T08:00:00Z pcase-status -q --notified 1 "$c5" >/dev/null
is "$(preport overdue -f tsv | grep "$c5" | cut -f8)" 1 "the escalation level from the overdue notices"
run preport overdue --unit empty
is "$rc" 1 "nothing overdue in the empty unit: exit 1"

done_testing
