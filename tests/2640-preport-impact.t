#!/bin/bash
# preport impact, the analytic report: suggestions and comments accepted or
# partly accepted, counted by the action they led to, against a query
# written here; examples newest first and capped; a complaint, a rejection
# and another month left out; the surveys' constructive comments, the
# suggestions made of them and what was decided; the drafts and how their
# comments changed them; the page, published by its month.
. "$(dirname "$0")/draft-lib.sh"

# The chain is written in the order of time, as it is in use: so is this data. Draft-lib's
# clock (2026-11-22T08:00Z, 1405-09-01) opens the draft; the rest follows.
new_open_draft
c1=$(pcase-new --kind comment --draft "$draft" --article 2 --subject 'ساعت' --anonymous 2>/dev/null)
c2=$(pcase-new --kind comment --draft "$draft" --article 3 --subject 'اجرا' --anonymous 2>/dev/null)
export PARTAKE_NOW=2026-11-22T09:00:00Z
punit add ops --name 'عملیات' >/dev/null
pservice add permit --name 'پروانه ساختمان' --unit ops >/dev/null
case_for() {	# case_for KIND SUBJECT: a case received now, routed to ops
	local c
	c=$(pcase-new -q -k "$1" -c portal -s "$2" --anonymous)
	pcase-route -q --to ops "$c" >/dev/null
	echo "$c"
}
s1=$(case_for suggestion 'نوبت‌دهی اینترنتی')
s2=$(case_for suggestion 'راهنمای فارسی')
s3=$(case_for suggestion 'تعطیلی پنجشنبه‌ها')
s4=$(case_for suggestion 'ساعت کار عصر')
s5=$(case_for suggestion 'پرداخت با کارت')
s6=$(case_for suggestion 'پیامک پیگیری')
s7=$(case_for suggestion 'فرم ساده‌تر')
k1=$(case_for complaint 'صف طولانی')
pcase-review -q "$s1" --open >/dev/null
psurvey-new service >/dev/null
export PARTAKE_NOW=2026-11-23T06:00:00Z
psurvey-record -q --service permit -a information=2 -a timeliness=1 -a responsiveness=2 -a overall=2 \
	-a comment='نوبت‌دهی تلفنی هم بگذارید' --constructive >/dev/null
psurvey-record -q --service permit -a information=3 -a timeliness=3 -a responsiveness=3 -a overall=3 \
	-a comment='راهرو تاریک است' --constructive >/dev/null
psurvey-record -q --service permit -a information=5 -a timeliness=5 -a responsiveness=5 -a overall=5 \
	-a comment='ممنون' >/dev/null
export PARTAKE_NOW=2026-11-24T06:00:00Z
made=$(psurvey-summary --comments -f json | pcase-new --batch -q)
is "$(echo "$made" | wc -l)" 2 "the data: two constructive comments made into suggestions"
v1=$(echo "$made" | head -n 1)
PARTAKE_NOW=2026-11-25T06:00:00Z pcase-review -q "$s1" --decide accepted --action system,process \
	--note 'سامانه نوبت‌دهی راه افتاد' >/dev/null
PARTAKE_NOW=2026-11-25T07:00:00Z pcase-answer -q --outcome partial --action information \
	--text 'راهنمای فارسی برای دو خدمت نوشته شد' "$s2" >/dev/null
PARTAKE_NOW=2026-11-25T08:00:00Z pcase-answer -q --outcome rejected --text 'قانون اجازه نمی‌دهد' "$s3" >/dev/null
PARTAKE_NOW=2026-11-26T06:00:00Z pcase-answer -q --outcome accepted --action system --text 'کارت‌خوان' "$s5" >/dev/null
PARTAKE_NOW=2026-11-27T06:00:00Z pcase-answer -q --outcome accepted --action system --text 'پیامک' "$s6" >/dev/null
PARTAKE_NOW=2026-11-28T06:00:00Z pcase-answer -q --outcome accepted --action system --text 'فرم' "$s7" >/dev/null
PARTAKE_NOW=2026-11-28T07:00:00Z pcase-answer -q --outcome accepted --action process --text 'باجه دوم' "$k1" >/dev/null
c3=$(PARTAKE_NOW=$first_after pcase-new --kind comment --draft "$draft" --late --subject 'دیر' --anonymous 2>/dev/null)
export PARTAKE_NOW=2026-12-08T08:00:00Z	# 1405-09-17
pdraft-close >/dev/null 2>&1
pdraft-new --revise "$draft" --text "$tmp/v2.txt" >/dev/null 2>&1
pcase-answer -q --outcome accepted --action regulation --text 'ساعت شروع ۸ شد' --changed-version 2 \
	--changed-article 3 "$c1" >/dev/null
pcase-answer -q --outcome rejected --text 'اجرا از تصویب است' "$c2" >/dev/null
pdraft-final "$draft" >/dev/null 2>&1
pcase-route -q --to ops "$v1" >/dev/null 2>&1
pcase-answer -q --outcome accepted --action support --text 'نوبت‌دهی تلفنی راه افتاد' "$v1" >/dev/null
# 1405-10-02: the next month.
PARTAKE_NOW=2026-12-23T06:00:00Z pcase-answer -q --outcome accepted --action process \
	--text 'ساعت کار عصر هم شد' "$s4" >/dev/null
is "$(sql "SELECT count(*) FROM cases WHERE outcome IS NOT NULL")" 11 "the data: eleven cases answered"

export PARTAKE_NOW=2026-12-25T08:00:00Z	# 1405-10-04
sep_start=$(date -d 2026-11-21T20:30:00Z +%s) oct_start=$(date -d 2026-12-21T20:30:00Z +%s)
nov_start=$(date -d 2027-01-20T20:30:00Z +%s)
# The figures of an action worked out here: suggestions and comments, accepted or partly,
# answered in [from, to), naming the action in their list.
expect() {	# expect FROM TO: "action suggestions comments accepted partial" per action
	for a in system process information support regulation; do
		sql "SELECT '$a', sum(kind = 'suggestion'), sum(kind = 'comment'), sum(outcome = 'accepted'),
		  sum(outcome = 'partial') FROM cases WHERE kind IN ('suggestion', 'comment')
		  AND outcome IN ('accepted', 'partial') AND answered >= $1 AND answered < $2
		  AND ',' || action || ',' LIKE '%,$a,%'" | tr '|' ' ' | sed 's/  */ /g; s/ $//'
	done | awk '{ for (i = 2; i <= 5; i++) if ($i == "") $i = 0; print }'
}
actions_of() { echo "$1" | awk -F'\t' '$1 == "action" { print $6, $8, $9, $12, $13 }'; }

run preport impact --month 1405-09 -f tsv
is "$rc" 0 "exit 0"
is "$(echo "$out" | head -n 1)" "part	code	title	kind	unit	action	outcome	suggestions	comments	cases	decided	accepted	partial	changed	done" \
	"the TSV header"
is "$(actions_of "$out")" "$(expect "$sep_start" "$oct_start")" "1405-09: each action's figures, as the query here counts them"
is "$(actions_of "$out")" "system 4 0 4 0
process 1 0 1 0
information 1 0 0 1
support 1 0 1 0
regulation 0 1 1 0" "and as the data says: one suggestion under two actions, a comment on a draft, the suggestion made of a survey comment; the complaint, the rejections and the next month left out"
is "$(echo "$out" | awk -F'\t' '$1 == "example" && $6 == "system" { print $2 }' | tr '\n' ' ')" "$s7 $s6 $s5 " \
	"three examples of an action, the newest first"
like "$(echo "$out" | awk -F'\t' '$1 == "example" && $2 == "'"$s2"'"')" \
	"راهنمای فارسی	suggestion	ops	information	partial								راهنمای فارسی برای دو خدمت نوشته شد" \
	"an example: what was said, the unit, the outcome and what was done"
is "$(echo "$out" | awk -F'\t' '$1 == "survey" { print $2, $9, $10, $11, $12, $13 }')" "service 2 2 1 1 0" \
	"the survey: 2 constructive comments, 2 made suggestions, 1 decided, 1 accepted"
like "$(echo "$out" | awk -F'\t' '$1 == "survey-example"')" \
	"$v1	نوبت‌دهی تلفنی هم بگذارید	suggestion	ops	support	accepted								نوبت‌دهی تلفنی راه افتاد" \
	"what was said in the survey, and what was done"
is "$(echo "$out" | awk -F'\t' '$1 == "draft" { print $2, $9, $11, $12, $13, $14 }')" "$draft 3 2 1 0 3" \
	"the draft: 3 comments, 2 disposed of, 1 accepted, 3 articles changed"
run preport impact --month 1405-09 --examples 0 -f tsv
is "$(echo "$out" | awk -F'\t' '$1 == "example" && $6 == "system"' | wc -l)" 4 "--examples 0: every one"
run preport impact --month 1405-09 --examples 1 -f tsv
is "$(echo "$out" | awk -F'\t' '$1 ~ /example/' | wc -l)" 6 "--examples 1: one under each action and survey that has any"

run preport impact --month 1405-10 -f tsv
is "$(actions_of "$out")" "$(expect "$oct_start" "$nov_start")" "1405-10: each action's figures, as the query here counts them"
is "$(actions_of "$out" | grep -v ' 0 0 0 0$')" "process 1 0 1 0" "the next month: its one answer"
unlike "$(echo "$out" | cut -f1)" "survey\|draft" "no survey comment nor draft in 1405-10"

run preport impact --month 1405-09 -f json
python3 - "$out" >"$tmp/json.check" <<'PY'
import json, sys
rows = [json.loads(l) for l in sys.argv[1].splitlines()]
print(sorted({r["part"] for r in rows}))
print([r["action"] for r in rows if r["part"] == "action"])
print(next(r["accepted"] for r in rows if r["part"] == "survey"))
PY
is "$(cat "$tmp/json.check")" "['action', 'draft', 'example', 'survey', 'survey-example']
['system', 'process', 'information', 'support', 'regulation']
1" "JSON: the same rows, each part by name"

run preport impact -f tsv
is "$(actions_of "$out" | head -n 2)" "system 4 0 4 0
process 2 0 2 0" "no period: the whole record"
is "$(actions_of "$out")" "$(expect 0 $((nov_start * 2)))" "as the query here counts it"

# The page: every part, escaped, right to left, with its chart; and published by its month.
run preport impact --month 1405-09 --html "$tmp/impact.html"
is "$rc $out" "0 $tmp/impact.html" "--html writes the page and says where"
page=$(cat "$tmp/impact.html")
like "$page" 'dir="rtl"' "right to left"
like "$page" "نوبت‌دهی تلفنی راه افتاد" "what was done"
like "$page" "<del>۷:۳۰</del> <ins>۸</ins>" "the draft's articles, changed as the comments asked"
like "$page" "<svg" "the chart of actions"
is "$(python3 -c 'import html.parser, sys
class P(html.parser.HTMLParser):
    pass
P().feed(open(sys.argv[1]).read()); print("ok")' "$tmp/impact.html")" "ok" "it parses as HTML"
run preport impact --month 1405-09 -f html
like "$out" "<h1>اثر مشارکت مردم" "-f html: the page on standard output"
run preport impact --month 1405-09 --publish
is "$rc $out" "0 $web/reports/impact-1405-09.html" "--publish: into web_dir by its month"
cmp -s "$web/reports/impact-1405-09.html" "$tmp/impact.html"
ok $? "the same page"
run preport impact --since 1405-09-01 --publish
is "$rc" 64 "--publish of a period that is not a month: usage"
like "$err" "published for a month or for the whole record" "and why"
run preport impact --month 1405-13
is "$rc" 64 "a month that is not one: usage"
like "$err" "preport: impact: --month:" "naming the option"
run preport impact --examples many
is "$rc" 64 "--examples not a number: usage"
run preport impact --drafts --month 1405-09 --publish
is "$rc" 64 "the articles of drafts are not published"

# A suggestion's subject that would end the page early is text, not markup.
export PARTAKE_NOW=2026-12-25T09:00:00Z
h=$(case_for suggestion '</p><script>alert(1)</script>')
pcase-answer -q --outcome accepted --action system --text '<b>done</b>' "$h" >/dev/null
run preport impact --since 1405-10-04 -f html
like "$out" "&lt;/p&gt;&lt;script&gt;" "a subject is escaped"
unlike "$out" "<script>" "no markup of its own"
like "$out" "&lt;b&gt;done&lt;/b&gt;" "so is what was done"

# Accepted in part without naming an action: a row of its own.
n=$(case_for suggestion 'پارکینگ')
pcase-answer -q --outcome partial --text 'بخشی از پارکینگ باز شد' "$n" >/dev/null
run preport impact --since 1405-10-04 -f tsv
is "$(actions_of "$out" | tail -n 1)" "none 1 0 0 1" "a case that named no action: counted under none"
is "$(echo "$out" | awk -F'\t' '$1 == "example" && $6 == "none" { print $2 }')" "$n" "with its example"
# Taken up, then reopened and rejected: no longer counted, in its month nor in the whole record.
pcase-status -q --set in-progress "$n" >/dev/null
pcase-answer -q --outcome rejected --text 'پارکینگ بسته ماند' "$n" >/dev/null
is "$(sql "SELECT outcome FROM cases WHERE code = $((10#$n))")" rejected "the data: reopened, then rejected"
run preport impact --since 1405-10-04 -f tsv
is "$(echo "$out" | awk -F'\t' '$1 == "example" { print $2 }' | grep -c "^$n\$")" 0 \
	"a case reopened and rejected: no longer an example"
is "$(actions_of "$out" | grep '^none')" "" "nor counted under none"
run preport impact -f tsv
is "$(actions_of "$out")" "$(expect 0 $((nov_start * 2)))" "the whole record, as the query here counts it"

run pdb check
is "$rc" 0 "the record still checks"
done_testing
