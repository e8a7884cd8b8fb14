#!/bin/bash
# Deadlines on cases: stored at intake in working days, shown with what is
# left, and selected by pcase-list --overdue, --due-within and --due-before.
. "$(dirname "$0")/lib.sh"

tehran() { date -d "$1 +0330" +%s; }	# an instant written in Tehran's time

# Received Sunday 1405-09-01 (2026-11-22) 11:30, within office hours.
in_hours=$(pcase-new -k complaint -s "in hours" --phone 09121234567)
is "$(sql "SELECT due FROM cases WHERE code = $in_hours")" "$(tehran '2026-12-03 14:30')" \
	"received in office hours: due at 14:30 on the 10th working day after (1405-09-12)"

# The same day at 15:00, after office hours: counting starts the next working day.
after=$(PARTAKE_NOW=2026-11-22T11:30:00Z pcase-new -k complaint -s "after hours" --phone 09121234567)
is "$(sql "SELECT due FROM cases WHERE code = $after")" "$(tehran '2026-12-05 14:30')" \
	"received at 15:00: the next working day is day 0 (due 1405-09-14, Friday skipped)"

# Friday 1405-08-29: a non-working day.
friday=$(pcase-new -k complaint -s "on a Friday" --phone 09121234567 --received "1405-08-29 10:00")
is "$(sql "SELECT due FROM cases WHERE code = $friday")" "$(tehran '2026-12-02 14:30')" \
	"received on a Friday: Saturday is day 0 (due 1405-09-11)"

# Nowruz: received 1404-12-28, Thursday; then 29 Esfand and 1–4 Farvardin are holidays.
nowruz=$(pcase-new -k request -s "before Nowruz" --phone 09121234567 --received "1404-12-28 09:00")
is "$(sql "SELECT due FROM cases WHERE code = $nowruz")" "$(tehran '2026-04-07 14:30')" \
	"10 working days from 1404-12-28 skip Nowruz, Fitr and 12–13 Farvardin: due 1405-01-18"

# Deadlines per kind from the config.
printf 'holidays_dir = %s\ndeadline.question = 3\ndeadline.suggestion = 0\n' \
	"$top/share/partake/holidays" > "$PARTAKE_CONFIG"
q=$(pcase-new -k question -s "three days" --phone 09121234567)
is "$(sql "SELECT due FROM cases WHERE code = $q")" "$(tehran '2026-11-25 14:30')" "deadline.question = 3"
s=$(pcase-new -k suggestion -s "no deadline")
is "$(sql "SELECT due IS NULL FROM cases WHERE code = $s")" 1 "deadline.suggestion = 0: no due time"
fb=$(pcase-new -k feedback -s "thanks")
is "$(sql "SELECT due IS NULL FROM cases WHERE code = $fb")" 1 "feedback has no deadline by default"
printf 'holidays_dir = %s\ndeadline.complaint = ten\n' "$top/share/partake/holidays" > "$PARTAKE_CONFIG"
run pcase-new -k complaint -s x --phone 09121234567
is "$rc" 2 "a bad deadline value stops the command"
like "$err" "partake.conf:2: deadline.complaint:" "naming the file, line and key"
printf 'holidays_dir = %s\ndeadline.grievance = 5\n' "$top/share/partake/holidays" > "$PARTAKE_CONFIG"
run pcase-new -k complaint -s x --phone 09121234567
like "$err" "deadline.grievance: unknown kind" "an unknown kind in a deadline key is refused"
printf 'holidays_dir = %s\nofice_hours = 08:00-15:00\n' "$top/share/partake/holidays" > "$PARTAKE_CONFIG"
run pcase-new -k complaint -s x --phone 09121234567
like "$err" "partake.conf:2: ofice_hours: unknown key" "a misspelt key is refused"
printf 'holidays_dir = %s\n' "$top/share/partake/holidays" > "$PARTAKE_CONFIG"

# Back-filled cases, some overdue by now.
old=$(pcase-new -k complaint -s "old one" --phone 09121234567 --received "1405-08-01 09:00")
older=$(pcase-new -k violation -s "older one" --anonymous --received "1405-07-01 09:00")

run pcase-list --overdue
is "$out" "$(printf '%s\n%s\n%s' "$nowruz" "$older" "$old")" "--overdue: the three back-filled open cases, oldest first"
run pcase-list --due-within 0
is "$rc" 1 "--due-within 0: nothing is due today: exit 1"
run pcase-list --due-within 2
is "$rc" 1 "--due-within 2: the question due on the third working day is not in it"
run pcase-list --due-within 3
is "$out" "$q" "--due-within 3: the question due 1405-09-04"
run pcase-list --due-within 10 --kind complaint
is "$out" "$(printf '%s\n%s' "$friday" "$in_hours")" "--due-within 10 with --kind: the complaints due 09-11 and 09-12, not the later one"
run pcase-list --due-before 1405-09-13
is "$(echo "$out" | wc -l)" 6 "--due-before 1405-09-13: three overdue, the question, the 09-11 and 09-12 complaints"
run pcase-list --overdue --sort -received
is "$out" "$(printf '%s\n%s\n%s' "$old" "$older" "$nowruz")" "--sort -received: newest first"

run pcase-status "$old"
like "$out" "overdue by" "pcase-status says a case is overdue"
run pcase-status "$in_hours"
like "$out" "10 working days left" "and how many working days are left"
run pcase-status -f json "$old"
like "$out" '"days_left":-' "JSON gives days_left as a negative number when overdue"

# A deadline that reaches a year without its holiday file: computed, warned.
mkdir "$tmp/hol"
cp "$top/share/partake/holidays/ir-1405.tsv" "$tmp/hol/"
printf 'holidays_dir = %s\ntemplates_dir = %s\n' "$tmp/hol" "$top/share/partake/templates" > "$PARTAKE_CONFIG"
run env PARTAKE_NOW=2027-03-18T08:00:00Z pcase-new -k complaint -s "late Esfand" --phone 09121234567
is "$rc" 0 "a case whose deadline reaches 1406 is still stored"
like "$err" "no holiday file for 1406" "with a warning naming the missing year"

run pcase-list --due-within abc
is "$rc" 64 "--due-within takes a number"
run pcase-list --due-before 1404-12-30
is "$rc" 64 "--due-before refuses a day that does not exist"
like "$err" "no such day" "and says why"

# --- a calendar that leaves no working day ------------------------------------------
grouped() { printf '%s' "$1" | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/'; }
# Before, each of these counted for ever (inside a batch's write lock, too);
# timeout stops such a hang at 10 s (exit 124).
printf '%s\nweekend = sat,sun,mon,tue,wed,thu,fri\n' "$base_config" > "$PARTAKE_CONFIG"
before=$(db_state)
run timeout 10 pcase-new -k complaint -s "no working day" --phone 09121234567
is "$rc" 2 "weekend = all seven days: pcase-new stops at once (exit 2)"
like "$err" "partake.conf:3: weekend: every day of the week is a weekend day" "naming the file, line and key"
is "$(db_state)" "$before" "nothing stored"

closures_end_to_end "$tmp/closures"
printf '%s\nclosures = %s\n' "$base_config" "$tmp/closures" > "$PARTAKE_CONFIG"
run timeout 10 pcase-new -k complaint -s "no working day" --phone 09121234567
is "$rc" 2 "closures leaving no working day: pcase-new fails (exit 2), no endless count"
like "$err" "due: no working day in the 366 days after 1405-09-01 (2026-11-22): the weekend, holidays and closures leave none" \
	"saying why there is no deadline"
is "$(db_state)" "$before" "nothing stored"
run timeout 10 sh -c 'printf "%s\n" "{\"kind\":\"feedback\",\"subject\":\"a\",\"anonymous\":true}" \
	"{\"kind\":\"complaint\",\"subject\":\"b\",\"phone\":\"09121234567\"}" | pcase-new --batch'
is "$rc" 2 "a batch with a case that needs a deadline: exit 2"
like "$err" "line 2: due: no working day in the 366 days after" "naming the line"
is "$(db_state)" "$before" "nothing of the batch stored"
fb=$(timeout 10 pcase-new -k feedback -s "no deadline needed" --anonymous)
is "$(sql "SELECT due IS NULL FROM cases WHERE code = $fb")" 1 "feedback, with no deadline, is still stored"
run timeout 10 pcase-list --due-within 3
is "$rc" 2 "pcase-list --due-within: exit 2"
like "$err" "--due-within: no working day in the 366 days after 1405-09-01" "saying why"
before=$(sql "SELECT due || ' ' || (SELECT count(*) FROM event) FROM cases WHERE code = $in_hours")
run timeout 10 pcase-status --extend 3 --reason "more time" "$in_hours"
is "$rc" 2 "--extend into the closures: exit 2"
like "$err" "$(grouped "$in_hours"): no deadline: no working day in the 366 days after 1405-09-12" \
	"naming the case and why"
is "$(sql "SELECT due || ' ' || (SELECT count(*) FROM event) FROM cases WHERE code = $in_hours")" "$before" \
	"its deadline and history unchanged"
printf '%s\n' "$base_config" > "$PARTAKE_CONFIG"

done_testing
