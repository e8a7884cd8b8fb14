#!/bin/bash
# pdraft-final and the dispositions of comments (pcase-answer on a comment).
. "$(dirname "$0")/draft-lib.sh"

new_open_draft
c1=$(pcase-new --kind comment --draft "$draft" --article 2 --subject 'ساعت' --anonymous 2>/dev/null)
c2=$(pcase-new --kind comment --draft "$draft" --subject 'کل' --anonymous 2>/dev/null)
run pdraft-final "$draft"
is "$rc" 1 "an open draft cannot be made final"
like "$err" "it is open" "saying its state"
PARTAKE_NOW=$first_after pdraft-close >/dev/null 2>&1
export PARTAKE_NOW=2026-12-08T08:00:00Z
pdraft-new --revise "$draft" --text "$tmp/v2.txt" >/dev/null 2>&1
run pdraft-final "$draft"
is "$rc" 1 "refused while comments have no disposition"
like "$err" "2 comments have no disposition yet" "saying how many"
like "$err" "--force" "and how to go on"

run pcase-answer --outcome info --text 'x' "$c1"
is "$rc" 1 "info is no disposition of a comment (refused, exit 1)"
run pcase-answer --outcome noted --text 'x' --changed-version 2 "$c1"
like "$err" "changed no version" "a noted comment changed no version"
run pcase-answer --outcome accepted --text 'ساعت شروع ۸ شد' --changed-version 2 --changed-article 9 "$c1"
like "$err" "version 2 of $draft has no article 9" "an article the version has not"
run pcase-answer --outcome accepted --text 'ساعت شروع ۸ شد' --changed-version 2 --changed-article 3 "$c1"
is "$rc:$out" "0:$c1" "accepted, naming the version and article it changed"
is "$(sql "SELECT dc.changed_version || ' ' || a.number FROM draft_comment dc JOIN draft_article a ON a.id = dc.changed_article_id")" \
	"2 3" "recorded"
run pdraft-final "$draft"
like "$err" "1 comment has no disposition yet" "one left"
run pdraft-final "$draft" --force 'مهلت قانونی تصویب'
is "$rc:$out" "0:$draft" "forced with a reason"
is "$(sql "SELECT state || ' ' || final_version || ' ' || final_note FROM draft")" "final 2 مهلت قانونی تصویب" \
	"final, version 2, the reason kept"
like "$(sql "SELECT note FROM event WHERE what = 'final'")" "forced with 1 comments without a disposition" \
	"the history says it was forced"
run pcase-answer --outcome noted --text 'ملاحظه شد' "$c2"
is "$rc" 0 "a comment can still be answered after"
run pdraft-new --revise "$draft" --text "$tmp/v1.txt"
is "$rc" 1 "a final draft takes no revision"
run pcase-new --kind comment --draft "$draft" --late --subject x --anonymous
like "$err" "is final" "nor a comment"
run pdraft-final
is "$rc" 64 "no code: usage"
run pdb check
like "$out" "ok" "pdb check passes"
done_testing
