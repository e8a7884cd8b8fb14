#!/bin/bash
# psurvey-summary: the statistics against values worked out here, apart from
# partake (Python's statistics module, and the Wilson interval written out);
# groups of one response, of none, of equal answers; each option on its own;
# the change from the month before and its flag; too few to judge; the
# chart as SVG; the constructive comments into pcase-new as suggestions.
. "$(dirname "$0")/lib.sh"

punit add tax --name "مالیات" >/dev/null
for s in permit license card; do pservice add $s --name "خدمت $s" --unit tax >/dev/null; done
psurvey-new s2 -Q 'speed:scale:سرعت کار' -Q 'staff:scale?:برخورد کارکنان' \
	-Q 'ways:multi=پیامک|وبگاه|حضوری?:از کدام راه‌ها خبر گرفتید' -Q 'note:text?:نظر' >/dev/null

# The data, known in advance: permit in two months (all 1s, then mixed 4s
# and 5s: the share moves well beyond chance), license one response, card
# all equal (sd 0) and nobody answering staff there (a group with none).
python3 - "$tmp/data.tsv" <<'PY'
import random, sys
random.seed(7)
rows = []
for i in range(20):
    rows.append(("permit", "1405-07-%02d" % (1 + i % 28), 1, random.choice([1, 4, 5]), "1|2"))
for i in range(30):
    rows.append(("permit", "1405-08-%02d" % (1 + i % 28), random.choice([4, 5, 5, 3]), random.choice([1, 4, 5]), random.choice(["1", "2|3", "1|3", ""])))
rows.append(("license", "1405-08-05", 2, 5, "3"))
for i in range(6):
    rows.append(("card", "1405-08-10", 4, "", ""))
with open(sys.argv[1], "w") as f:
    f.write("survey\tservice\tat\tspeed\tstaff\tways\n")
    for r in rows:
        f.write("s2\t%s\t%s\t%s\t%s\t%s\n" % r)
PY
run psurvey-record --batch --tsv <"$tmp/data.tsv"
is "$rc $out" "0 57" "the data is recorded"

psurvey-summary --survey s2 --by service,month -f json >"$tmp/summary.json"
ok $? "the summary by service and month, as JSON"
python3 - "$tmp/data.tsv" "$tmp/summary.json" >"$tmp/check" <<'PY'
import json, math, statistics, sys
from collections import defaultdict
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])][1:]
got = [json.loads(l) for l in open(sys.argv[2])]
def wilson(k, n, z=1.959963984540054):
    if n == 0:
        return None, None
    p = k / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0, c - h), min(1, c + h)
def month(at):
    return at[:7]
groups = defaultdict(lambda: {"speed": [], "staff": [], "ways": [], "n_ways": 0})
for _, svc, at, speed, staff, ways in rows:
    g = groups[(svc, month(at))]
    g["speed"].append(int(speed))
    if staff:
        g["staff"].append(int(staff))
    if ways:
        g["n_ways"] += 1
        g["ways"].extend(int(w) for w in ways.split("|"))
problems = 0
def near(a, b, places):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.6 * 10 ** -places
def check(what, a, b, places):
    global problems
    if not near(a, b, places):
        problems += 1
        print("# %s: got %r, expected %r" % (what, a, b))
def row(q, svc, m, option=None):
    for r in got:
        if r["question"] == q and r["service"] == svc and r["month"] == m and r["option"] == option:
            return r
    return None
seen = 0
for (svc, m), g in sorted(groups.items()):
    for q in ("speed", "staff"):
        v = g[q]
        r = row(q, svc, m)
        if r is None:
            problems += 1; print("# no row for", q, svc, m); continue
        seen += 1
        check("%s %s %s count" % (q, svc, m), r["count"], len(v), 0)
        check("mean", r["mean"], statistics.mean(v) if v else None, 2)
        check("sd", r["sd"], statistics.stdev(v) if len(v) > 1 else None, 2)
        check("median", r["median"], float(statistics.median(v)) if v else None, 1)
        for p in range(1, 6):
            check("n%d" % p, r["n%d" % p], v.count(p), 0)
        k = sum(1 for x in v if x >= 4)
        lo, hi = wilson(k, len(v))
        check("share", r["share"], k / len(v) if v else None, 3)
        check("low", r["low"], lo, 3)
        check("high", r["high"], hi, 3)
        want = "none" if not v else "too few" if len(v) < 5 else None
        if r["judged"] != want:
            problems += 1; print("# judged", q, svc, m, r["judged"], want)
    for o, label in enumerate(["پیامک", "وبگاه", "حضوری"], 1):
        r = row("ways", svc, m, label)
        seen += 1
        k = g["ways"].count(o)
        check("ways %s %s %s count" % (label, svc, m), r["count"], g["n_ways"], 0)
        check("ways k", r["k"], k, 0)
        lo, hi = wilson(k, g["n_ways"])
        check("ways share", r["share"], k / g["n_ways"] if g["n_ways"] else None, 3)
        check("ways low", r["low"], lo, 3)
print("rows", seen, "problems", problems)
PY
cat "$tmp/check" | grep '^#'
like "$(cat "$tmp/check")" "problems 0" "count, mean, sd, median, distribution, share and interval as Python works them out"
like "$(cat "$tmp/check")" "rows 20" "for every group, question and option"

field() { python3 -c 'import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if all(str(r.get(k)) == v for k, v in (a.split("=", 1) for a in sys.argv[3:])):
        print(r[sys.argv[2]])' "$tmp/summary.json" "$@"; }
is "$(field sd question=speed service=card)" "0.0" "all-equal answers: sd 0"
is "$(field sd question=speed service=license)" "None" "one response: no sd"
is "$(field count question=staff service=card) $(field mean question=staff service=card) $(field judged question=staff service=card)" \
	"0 None none" "a group with no answer to a question: count 0, no mean, judged none"
is "$(field judged question=speed service=license)" "too few" "a group of one is shown, marked too few"
is "$(field flag question=speed service=permit month=1405-08) $(field previous question=speed service=permit month=1405-08)" \
	"up 0.0" "the change from the month before, flagged: the intervals do not overlap"
is "$(field flag question=staff service=permit month=1405-08)" "None" "a change within the intervals is not flagged"
is "$(field share_of question=speed service=card)" "satisfied (4 or 5 of 1-5)" "the output says what the share is"

printf 'survey_min_count = 40\n' >>"$PARTAKE_CONFIG"
is "$(psurvey-summary --survey s2 --by service -f json | python3 -c 'import json, sys
print(sorted(set(json.loads(l)["judged"] or "-" for l in sys.stdin if json.loads(l)["question"] == "speed")))')" \
	"['-', 'too few']" "survey_min_count sets the fewest judged"
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"

run psurvey-summary --survey s2 --by month -f table
like "$out" "█" "a table has a bar of Unicode blocks"
like "$out" "who answered 4 or 5" "and says what the share is"
run psurvey-summary --survey s2 -f tsv
is "$(echo "$out" | head -1 | cut -f1-6)" "survey	version	question	option	count	mean" "TSV with a header"
run psurvey-summary --survey s2 -f csv
like "$(echo "$out" | head -1)" "survey,version,question" "CSV"

psurvey-summary --survey s2 --by service -f svg >"$tmp/chart.svg"
ok $? "an SVG chart"
xmllint --noout "$tmp/chart.svg"
ok $? "which parses"
like "$(cat "$tmp/chart.svg")" 'direction="rtl"' "its text runs right to left"
like "$(cat "$tmp/chart.svg")" "سرعت کار" "with the questions' Persian labels"
run psurvey-summary --survey s2 -f svg
unlike "$out" "<script" "and no markup but its own"
run pcase-list -f svg
is "$rc" 64 "a command that draws no chart refuses -f svg"

# Constructive comments to the committee.
psurvey-new service >/dev/null
c=$(pcase-new -k request -s "x" --phone 09121111111 --service permit)
psurvey-record --case "$c" -a information=2 -a timeliness=1 -a responsiveness=2 -a overall=2 \
	-a comment='نوبت‌دهی اینترنتی بگذارید' --constructive >/dev/null
psurvey-record --service permit -a information=4 -a timeliness=4 -a responsiveness=4 -a overall=4 \
	-a comment='ممنون' >/dev/null
run psurvey-summary --comments -f json
is "$(echo "$out" | wc -l)" 1 "--comments gives the constructive comment only"
before=$(sql "SELECT count(*) FROM cases")
codes=$(psurvey-summary --comments -f json | pcase-new --batch)
ok $? "psurvey-summary --comments -f json | pcase-new --batch"
is "$(sql "SELECT kind || ' ' || anonymous || ' ' || body FROM cases WHERE code = $codes")" \
	"suggestion 1 نوبت‌دهی اینترنتی بگذارید" "the comment is a suggestion for the committee, without the citizen's name"
again=$(psurvey-summary --comments -f json | pcase-new --batch 2>/dev/null)
is "$again $(sql "SELECT count(*) FROM cases")" "$codes $((before + 1))" "run again, it stores nothing twice"

run psurvey-summary --survey nosuch
is "$rc" 1 "an unknown survey"
run psurvey-summary --by colour
is "$rc" 64 "an unknown grouping"
run psurvey-summary --since 1405-13
is "$rc" 64 "a month that does not exist"
psurvey-new empty -Q 'a:scale:x' >/dev/null
run psurvey-summary --survey empty -f tsv
is "$rc" 1 "a survey with no responses: nothing matched"

done_testing
