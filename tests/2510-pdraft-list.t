#!/bin/bash
# pdraft-list: drafts with state, window and comment counts per article.
. "$(dirname "$0")/draft-lib.sh"

run pdraft-list
is "$rc" 1 "no drafts: exit 1"
new_open_draft
pdraft-new --title 'بعدی' --unit legal --publish-at 1405-10-01 >/dev/null 2>&1
pcase-new --kind comment --draft "$draft" --article 2 --subject 'ساعت' --anonymous >/dev/null 2>&1
pcase-new --kind comment --draft "$draft" --article 2 --subject 'ساعت ۲' --anonymous >/dev/null 2>&1
pcase-new --kind comment --draft "$draft" --subject 'کل' --anonymous >/dev/null 2>&1
PARTAKE_NOW=$first_after pcase-new --kind comment --draft "$draft" --article 1 --late --subject 'دیر' \
	--anonymous >/dev/null 2>&1
run pdraft-list
is "$rc" 0 "exit 0"
is "$out" "D-1405-0002
D-1405-0001" "bare codes off a terminal, newest first"
run pdraft-list -f tsv
is "$(echo "$out" | head -1)" "code	state	title	unit	origin	window	versions	opened	closes	comments	late	articles" \
	"a TSV header"
is "$(echo "$out" | grep D-1405-0001 | cut -f2,6,8-12)" \
	"open	14	1405-09-01 11:30	1405-09-15 23:59	3	1	1 0 1; 2 2 0; 3 0 0" \
	"state, window, opened, closes (Solar Hijri), comments in the window, late, per article"
is "$(echo "$out" | grep D-1405-0002 | cut -f2,8,9)" "pending		" "a pending draft has no window yet"
run pdraft-list -f json
like "$out" '"articles":[{"article":1,"comments":0,"late":1}' "JSON: the articles as a list"
run pdraft-list extra
is "$rc" 64 "an operand is a usage error"
done_testing
