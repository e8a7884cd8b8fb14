#!/bin/bash
# pdraft-close: windows that ran out close, the page shows it with counts per
# article, the unit gets a summary mail; extensions with their reasons.
. "$(dirname "$0")/draft-lib.sh"

new_open_draft
pcase-new --kind comment --draft "$draft" --article 2 --subject 'ساعت' --anonymous >/dev/null 2>&1
pcase-new --kind comment --draft "$draft" --article 2 --subject 'ساعت ۲' --anonymous >/dev/null 2>&1
pcase-new --kind comment --draft "$draft" --article 3 --subject 'اجرا' --anonymous >/dev/null 2>&1

PARTAKE_NOW=$last_second run pdraft-close
is "$rc:$out" "0:" "at the window's last second nothing closes"
PARTAKE_NOW=$first_after run pdraft-close
is "$rc" 0 "exit 0"
is "$out" "$draft" "at the first second after, the draft closes: its code printed"
is "$(sql "SELECT state FROM draft")" closed "closed"
page=$(cat "$web/drafts/$draft.html")
like "$page" "مهلت نظرخواهی در ۱۵ آذر ۱۴۰۵، ساعت ۲۳:۵۹:۵۹ به وقت تهران به پایان رسید" "the page says it closed, and when"
like "$page" 'نظرها: ۲</p>' "with the count of an article"
is "$(xmllint --html --noout "$web/drafts/$draft.html" 2>&1)" "" "the closed page parses"
mail=$(sql "SELECT recipient || '|' || subject || '|' || body FROM outbox WHERE key LIKE 'draft-closed:%'")
like "$mail" "legal@agency.ir|پایان نظرخواهی $draft" "a summary mail to the unit is queued"
like "$mail" "ماده ۲ - ساعات کار: 2" "with the comments per article"
like "$mail" "ماده ۳: اجرا: 1" "each of them"
PARTAKE_NOW=$first_after run pdraft-close
is "$rc:$out" "0:" "a second run closes nothing"
is "$(sql "SELECT count(*) FROM outbox WHERE key LIKE 'draft-closed:%'")" 1 "and mails nothing again"

# --- extension ------------------------------------------------------------------------
PARTAKE_NOW=$first_after run pdraft-close --extend "$draft" --days 7
is "$rc" 2 "an extension needs its reason"
PARTAKE_NOW=$first_after run pdraft-close --extend "$draft" --days 7 --reason 'درخواست اتاق بازرگانی'
is "$rc" 0 "extended"
is "$(sql "SELECT state FROM draft")" open "a closed window whose new end is to come opens again"
like "$(cat "$web/drafts/$draft.html")" "۲۲ آذر ۱۴۰۵، ساعت ۲۳:۵۹:۵۹" "the page shows the new date"
like "$(cat "$web/drafts/$draft.html")" "درخواست اتاق بازرگانی" "and the reason"
is "$(sql "SELECT what || '|' || before || '|' || after || '|' || note FROM event WHERE what = 'extend'")" \
	"extend|1405-09-15 23:59:59|1405-09-22 23:59:59|درخواست اتاق بازرگانی" "an event with its reason"
PARTAKE_NOW=2026-12-10T08:00:00Z run pcase-new --kind comment --draft "$draft" --subject 'در تمدید' --anonymous
is "$rc" 0 "a comment in the extended window is in time"
run pdraft-close --extend D-1405-0099 --days 3 --reason x
is "$rc" 1 "no such draft: exit 1"

# --- a web_dir that cannot be written undoes the run ------------------------------------
: > "$tmp/afile"
printf '%s\nweb_dir = %s/afile/web\n' "$base_config" "$tmp" > "$PARTAKE_CONFIG"
PARTAKE_NOW=2026-12-20T08:00:00Z run pdraft-close
is "$rc" 2 "an unwritable web_dir: exit 2"
is "$(sql "SELECT state FROM draft")" open "the draft is not closed"
run pdb check
like "$out" "ok" "pdb check passes"
done_testing
