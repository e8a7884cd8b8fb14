#!/bin/bash
# pdraft-new: drafts, their codes, articles, windows, revisions, and the bad input of issue 10.
. "$(dirname "$0")/draft-lib.sh"

run pdraft-new --title 'آیین‌نامه ساعات کار' --unit legal --text "$tmp/v1.txt"
is "$rc" 0 "a draft is registered"
is "$out" "D-1405-0001" "its code: D, the Solar Hijri year, its place in the year"
is "$(sql "SELECT state || ' ' || origin || ' ' || window_days FROM draft")" "pending internal 14" \
	"pending, internal, window.internal's 14 days"
is "$(sql "SELECT group_concat(number || '=' || heading, '|') FROM draft_article")" \
	"1=ماده ۱ - تعاریف|2=ماده ۲ - ساعات کار|3=ماده ۳: اجرا" "three articles, by their ماده lines"
like "$(sql "SELECT body FROM draft_article WHERE number = 1")" "تبصره ۱" "a تبصره stays with its article"

run pdraft-new --title 'دستورالعمل' --unit legal --origin higher
is "$rc" 0 "a draft from a higher authority, no text yet"
is "$out" "D-1405-0002" "the next code of the year"
is "$(sql "SELECT window_days FROM draft WHERE code = '$out'")" 30 "window.higher: 30 days"
printf '%s\nwindow.internal = 7\n' "$(cat "$PARTAKE_CONFIG")" > "$tmp/c7" && cp "$tmp/c7" "$PARTAKE_CONFIG"
run pdraft-new --title 'بخشنامه' --unit legal
is "$(sql "SELECT window_days FROM draft WHERE code = '$out'")" 7 "window.internal from the config"
run pdraft-new --title 'بخشنامه' --unit legal --window 10
is "$(sql "SELECT window_days FROM draft WHERE code = '$out'")" 10 "--window overrides"
printf '## هدف\nمتن\n## دامنه\nمتن دوم\n' > "$tmp/hd.txt"
run pdraft-new --title 'با سرعنوان' --unit legal --text "$tmp/hd.txt"
is "$(sql "SELECT group_concat(a.number || '=' || a.heading, '|') FROM draft_article a JOIN draft_version v ON v.id = a.version_id JOIN draft d ON d.id = v.draft_id WHERE d.code = '$out'")" \
	"1=## هدف|2=## دامنه" "'## ' headings are articles too, numbered by place"
printf 'ماده واحده - این قانون از امروز اجرا می‌شود.\n' > "$tmp/one.txt"
run pdraft-new --title 'ماده واحده' --unit legal --text "$tmp/one.txt"
is "$rc" 0 "ماده واحده is one article"

# --- bad input: nothing stored, a clear error ---------------------------------------
before=$(sql "SELECT count(*) FROM draft")$(sql "SELECT count(*) FROM event")
printf 'متنی بی ماده.\nماده ۵ قانون مدنی را ببینید.\n' > "$tmp/none.txt"
run pdraft-new --title 'بی ماده' --unit legal --text "$tmp/none.txt"
is "$rc" 2 "a text with no articles is refused"
like "$err" "no articles" "saying so"
run pdraft-new --title '   ' --unit legal --text "$tmp/v1.txt"
is "$rc" 2 "an empty title is refused"
like "$err" "--title" "naming --title"
run pdraft-new --title 'x' --unit legal --window 0
is "$rc" 2 "a window of 0 days is refused"
like "$err" "--window: 0 days" "naming --window"
run pdraft-new --title 'x' --unit legal --window -3
is "$rc" 2 "a negative window is refused"
run pdraft-new --title 'x' --unit nowhere
is "$rc" 2 "an unknown unit is refused"
printf 'ماده ۱ - الف\nماده ۱ - ب\n' > "$tmp/twice.txt"
run pdraft-new --title 'x' --unit legal --text "$tmp/twice.txt"
like "$err" "article 1 is there twice" "an article number twice is refused"
printf 'ماده ۱ - \x1b[31m\n' > "$tmp/ctl.txt"
run pdraft-new --title 'x' --unit legal --text "$tmp/ctl.txt"
is "$rc" 2 "a control character in the text is refused"
is "$(sql "SELECT count(*) FROM draft")$(sql "SELECT count(*) FROM event")" "$before" "none of them stored anything"

# --- revisions -------------------------------------------------------------------------
run pdraft-new --revise D-1405-0001 --text "$tmp/v2.txt"
is "$rc" 0 "a pending draft takes a revision"
is "$out" "D-1405-0001" "printing its code"
is "$(sql "SELECT group_concat(a.number || ':' || a.ident || ':' || a.matched, ' ') FROM draft_article a JOIN draft_version v ON v.id = a.version_id WHERE v.number = 2 AND v.draft_id = 1")" \
	"1:1:same 2:4:new 3:2:edited 4:3:same" \
	"articles matched to the version before: the inserted one is new, the others keep their identity"
is "$(sql "SELECT count(*) FROM draft_article a JOIN draft_version v ON v.id = a.version_id WHERE v.number = 2 AND a.prev_id IS NOT NULL")" 3 \
	"the mapping is recorded (prev_id)"
run pdraft-new --revise D-1405-0001
is "$rc" 64 "--revise needs --text"
run pdraft-new --revise D-1405-0009 --text "$tmp/v2.txt"
is "$rc" 1 "revising a draft that is not there: exit 1"
sqlite3 "$PARTAKE_DB" "UPDATE draft SET state = 'final' WHERE code = 'D-1405-0002'"
run pdraft-new --revise D-1405-0002 --text "$tmp/v2.txt"
is "$rc" 1 "revising a final draft is refused"
like "$err" "it is final" "saying it is final"
is "$(sql "SELECT count(*) FROM draft_version WHERE draft_id = 2")" 0 "and nothing was added"

is "$(sql "SELECT group_concat(what, ' ') FROM event WHERE subject_kind = 'draft' AND subject = 'D-1405-0001'")" \
	"add revise" "the draft's events"
done_testing
