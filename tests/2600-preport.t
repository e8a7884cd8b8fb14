#!/bin/bash
# preport impact: comments per article, by disposition with reasons, and the
# word-level diff from the version out for comment to the final one.
. "$(dirname "$0")/draft-lib.sh"

new_open_draft
c1=$(pcase-new --kind comment --draft "$draft" --article 2 --subject 'ساعت' --anonymous 2>/dev/null)
c2=$(pcase-new --kind comment --draft "$draft" --article 3 --subject 'اجرا' --anonymous 2>/dev/null)
c3=$(PARTAKE_NOW=$first_after pcase-new --kind comment --draft "$draft" --late --subject 'دیر' --anonymous 2>/dev/null)
export PARTAKE_NOW=2026-12-08T08:00:00Z
pdraft-close >/dev/null 2>&1
pdraft-new --revise "$draft" --text "$tmp/v2.txt" >/dev/null 2>&1
pcase-answer --outcome accepted --text 'ساعت شروع ۸ شد' --changed-version 2 --changed-article 3 "$c1" >/dev/null 2>&1
pcase-answer --outcome rejected --text 'اجرا از تصویب است' "$c2" >/dev/null 2>&1
pdraft-final "$draft" >/dev/null 2>&1

run preport impact --draft "$draft" -f tsv
is "$rc" 0 "exit 0"
is "$(echo "$out" | head -1)" "draft	version	final_version	article	heading	final_article	change	comments	late	accepted	partial	rejected	noted	undisposed	dispositions	diff" \
	"the TSV header"
is "$(echo "$out" | awk -F'\t' 'NR > 1 { print $4 "|" $6 "|" $7 "|" $8 "|" $9 "|" $10 "|" $12 "|" $14 }')" \
	"|||0|1|0|0|1
1|1|same|0|0|0|0|0
2|3|edited|1|0|1|0|0
3|4|edited|1|0|0|1|0
|2|new|0|0|0|0|0" \
	"per article: where it went, how it changed, comments in the window and late, by disposition"
row=$(echo "$out" | awk -F'\t' '$4 == 2')
like "$row" "ساعات کار از [-۷:۳۰-] {+۸+} تا [-۱۴:۳۰-] {+۱۵+} است." "the word-level diff"
like "$row" "accepted v2/3 ساعت شروع ۸ شد" "the disposition with what it changed and its reason"
like "$(echo "$out" | awk -F'\t' '$7 == "new"')" "{+ماده ۲ - دورکاری" "the inserted article, all new"

run preport impact --draft "$draft" -f json
like "$(echo "$out" | sed -n 3p)" '"dispositions":[{"code":"'"$c1"'","outcome":"accepted","late":null,"changed":"v2/3","reason":"ساعت شروع ۸ شد"}]' \
	"JSON: the dispositions as a list"
run preport impact --drafts --since 1405-09-01 --until 1405-10-01 -f tsv
is "$(echo "$out" | cut -f1 | sort -u | grep -c D-)" 1 "the drafts of a period"
run preport impact --drafts --since 1405-10-01 -f tsv
is "$rc" 1 "no draft in the period: exit 1"

run preport impact --draft "$draft" --html "$tmp/impact.html"
is "$rc" 0 "--html writes a page"
is "$(xmllint --html --noout "$tmp/impact.html" 2>&1)" "" "it parses as HTML"
like "$(cat "$tmp/impact.html")" "<del>۷:۳۰</del> <ins>۸</ins>" "taken out and put in, marked"
like "$(cat "$tmp/impact.html")" 'dir="rtl"' "right to left"

run preport impact --draft D-1405-0099 -f tsv
is "$rc" 1 "no such draft: exit 1"
run preport yearly
is "$rc" 64 "an unknown report: usage"
run preport
is "$rc" 64 "no report: usage"
done_testing
