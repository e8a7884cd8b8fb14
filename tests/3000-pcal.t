#!/bin/bash
# pcal: conversion both ways, working days with their reasons, holidays, the month grid.
. "$(dirname "$0")/lib.sh"

run pcal 1403-01-01
is "$out" "2024-03-20" "1403-01-01 is 2024-03-20"
run pcal 2025-03-20
is "$out" "1403-12-30" "2025-03-20 is 1403-12-30, the leap day of 1403"
run pcal 2025-03-21
is "$out" "1404-01-01" "2025-03-21 is 1404-01-01"
run pcal ۱۴۰۴/۰۱/۰۱
is "$out" "2025-03-21" "Persian digits and slashes are read"
run pcal ١٤٠٤-٠١-٠١
is "$out" "2025-03-21" "Arabic-Indic digits are read"
run pcal --to jalali 1403-01-01
is "$out" "1403-01-01" "--to jalali keeps a jalali date jalali"
run pcal g:1403-01-01
is "$out" "0781-10-11" "a g: prefix reads a small year as Gregorian"
run pcal "2026-11-22T08:00:00Z"
is "$out" "1405-09-01 11:30" "a UTC time is shown in Tehran's zone"

run pcal 1404-12-30
is "$rc" 1 "1404-12-30 does not exist: exit 1"
like "$err" "'1404-12-30': no such day" "the message names the date and why"
is "$out" "" "and nothing is printed for it"
run pcal 2025-02-29
like "$err" "no such day" "2025-02-29 does not exist"
run pcal 1403-07-31
like "$err" "no such day" "Mehr has 30 days"

printf '1403-01-01\n\n  2024-03-20  \nnonsense\n1405-09-01\n' > "$tmp/dates"
run pcal < "$tmp/dates"
is "$out" "$(printf '2024-03-20\n1403-01-01\n2026-11-22')" "dates from standard input, one a line; blanks skipped"
is "$rc" 1 "a bad line among them: exit 1"
like "$err" "line 4: 'nons…' (8 characters)" \
	"the bad line is named by its number, and quoted only in part (a line may be personal)"

run pcal -f tsv 1403-01-01
is "$out" "$(printf 'date\tjalali\tgregorian\tweekday\twritten\n2024-03-20\t1403-01-01\t2024-03-20\twed\t1 فروردین 1403')" "--format tsv has a header and both calendars"

# Working days. 1405-09-01 is a Sunday; Fridays 09-06 and 09-13 are off.
run pcal add 1405-09-01 10
is "$out" "1405-09-12" "10 working days after Sunday 1405-09-01"
run pcal add 2026-11-22 10
is "$out" "2026-12-03" "the same in Gregorian stays Gregorian"
run pcal add 1405-09-12 -10
is "$out" "1405-09-01" "a negative count goes back"
run pcal add 1404-12-28 1
is "$out" "1405-01-05" "29 Esfand and Nowruz with Fitr 1405 (1–4 Farvardin) are skipped"
run pcal add 1404-12-28 1 --explain
like "$out" "1405-01-01	sat	holiday	جشن نوروز" "--explain names the holiday"
like "$out" "1404-12-29	fri	holiday	روز ملی شدن صنعت نفت" "--explain: 29 Esfand (Oil day, a Friday) is a holiday first"
run pcal add 1403-12-28 1
is "$out" "1404-01-05" "30 Esfand 1403 (disputed) counts as a holiday, as does Nowruz"

run pcal between 1405-09-01 1405-09-12
is "$out" "10" "between counts the working days after the first date"
run pcal between 1405-09-12 1405-09-01
is "$out" "-10" "and is negative backwards"

# Local closures from the config's file.
printf '# our closures\n1405-09-02\tprovince\tair pollution\n1405-09-09..1405-09-10\toffice\tmoving house\n' > "$tmp/closures"
printf 'holidays_dir = %s\nclosures = %s\n' "$top/share/partake/holidays" "$tmp/closures" > "$PARTAKE_CONFIG"
run pcal add 1405-09-01 10 --explain
like "$out" "1405-09-16" "three closure days push the tenth working day to 09-16"
like "$out" "closure	air pollution" "--explain names the closure's reason"
printf 'holidays_dir = %s\n' "$top/share/partake/holidays" > "$PARTAKE_CONFIG"

# Thursdays off, by config.
printf 'holidays_dir = %s\nweekend = thu,fri\n' "$top/share/partake/holidays" > "$PARTAKE_CONFIG"
run pcal add 1405-09-01 10
is "$out" "1405-09-15" "weekend = thu,fri skips Thursdays too"
printf 'holidays_dir = %s\nweekend = fri; 1405-09-07 thu,fri\n' "$top/share/partake/holidays" > "$PARTAKE_CONFIG"
run pcal add 1405-09-01 10
is "$out" "1405-09-14" "a weekend rule that changes on 1405-09-07 counts Thursday 09-05 as working"
printf 'holidays_dir = %s\nweekend = caturday\n' "$top/share/partake/holidays" > "$PARTAKE_CONFIG"
run pcal 1405-09-01
is "$rc" 2 "a bad weekend value stops the command"
like "$err" "partake.conf:2: weekend:" "the message names the file, line and key"
printf 'holidays_dir = %s\n' "$top/share/partake/holidays" > "$PARTAKE_CONFIG"

# --- a calendar that leaves no working day ----------------------------------------
# A weekend of every day is refused as the config is read; before, every count
# of working days walked on for ever (timeout stops a hang at 10 s: exit 124).
printf '%s\nweekend = sat,sun,mon,tue,wed,thu,fri\n' "$base_config" > "$PARTAKE_CONFIG"
run timeout 10 pcal add 1405-09-01 3
is "$rc" 2 "weekend = all seven days: exit 2 at once, no endless count"
like "$err" "partake.conf:3: weekend: every day of the week is a weekend day: no working day is left" \
	"naming the file, line and key"
is "$out" "" "and printing no day"
printf '%s\nweekend = fri; 1405-10-01 sat,sun,mon,tue,wed,thu,fri\n' "$base_config" > "$PARTAKE_CONFIG"
run timeout 10 pcal 1405-09-01
is "$rc" 2 "a dated weekend period of all seven days: exit 2"
like "$err" "partake.conf:3: weekend: every day of the week" "… naming the file, line and key"

# Closures of 60 days each, end to end: 420 days with no working day from 1405-09-02.
closures_end_to_end "$tmp/closures"
printf '%s\nclosures = %s\n' "$base_config" "$tmp/closures" > "$PARTAKE_CONFIG"
run timeout 10 pcal add 1405-09-01 3
is "$rc" 2 "closures that leave no working day: add fails (exit 2), no endless count"
like "$err" "pcal: no working day in the 366 days after 1405-09-01 (2026-11-22): the weekend, holidays and closures leave none" \
	"saying from when"
is "$out" "" "and printing no day"
run timeout 10 sh -c 'echo 1405-09-01 | pcal add - 3'
is "$rc" 1 "dates from standard input: that date fails (exit 1)"
like "$err" "no working day in the 366 days after 1405-09-01" "… saying why"
run timeout 10 pcal add 1405-09-01 -3
is "$rc/$out" "0/1405-08-27" "counting back, before the closures, still works"

# --- closure ranges ----------------------------------------------------------------
# closures_is FILE-TEXT: what pcal add says with that closures file.
closures_is() {
	printf '%b' "$1" > "$tmp/closures"
	run pcal add 1405-01-20 1
}
printf '%s\nclosures = %s\n' "$base_config" "$tmp/closures" > "$PARTAKE_CONFIG"
closures_is '1405-02-01..9405-02-01\tall\ttypo\n'
is "$rc" 2 "a range whose end has a one-digit typo (read as Gregorian 9405): exit 2"
like "$err" "closures:1: the range starts in the Solar Hijri calendar and ends in the Gregorian: write both dates in one" \
	"naming the file and line: a range is in one calendar"
is "$out" "" "no deadline in the year 8783 is printed"
closures_is 'g:2026-04-21..j:1405-02-20\tall\tmixed\n'
like "$rc/$err" "2/pcal: $tmp/closures:1: the range starts in the Gregorian calendar and ends in the Solar Hijri" \
	"g: and j: ends are refused as well"
closures_is '1405-02-01..1405-04-01\tall\ttoo long\n'
is "$rc" 2 "a range of 63 days: exit 2"
like "$err" "closures:1: the range is 63 days, longer than closure_max_days (60)" "naming the bound and its key"
closures_is '# c\n1405-02-10..1405-02-01\tall\tbackwards\n'
like "$rc/$err" "2/pcal: $tmp/closures:2: the range ends before it starts" "a range that ends before it starts"
closures_is '1405-02-01..1405-03-29\tall\tsixty days\n'
is "$rc/$out" "0/1405-01-22" "60 days are the longest by default, and accepted"
printf '%s\nclosures = %s\nclosure_max_days = 90\n' "$base_config" "$tmp/closures" > "$PARTAKE_CONFIG"
closures_is '1405-01-21..1405-04-01\tall\tninety days\n'
is "$rc/$out" "0/1405-04-02" "closure_max_days = 90 takes a closure of 74 days"
printf '%s\nclosure_max_days = 0\n' "$base_config" > "$PARTAKE_CONFIG"
run pcal add 1405-01-20 1
is "$rc" 2 "closure_max_days = 0: exit 2"
like "$err" "partake.conf:3: closure_max_days: expected a whole number of days from 1 to 365" \
	"naming the file, line, key and the range"

# --- a closures file that cannot be read ----------------------------------------------
# Before, a directory read as "line 0: read error" and /dev/zero (out of memory) as no closures at all.
printf '%s\nclosures = %s\n' "$base_config" "$tmp" > "$PARTAKE_CONFIG"
run pcal add 1405-09-01 3
is "$rc" 2 "closures = a directory: exit 2"
is "$err" "pcal: $tmp: cannot read: Is a directory" "naming the file and why"
printf '%s\nclosures = %s\n' "$base_config" "$tmp/none" > "$PARTAKE_CONFIG"
run pcal add 1405-09-01 3
is "$rc/$err" "2/pcal: $tmp/none: No such file or directory" "a missing closures file: exit 2, named"
# A sanitizer build cannot run under a memory limit: there the case is skipped.
if can_limit_memory; then
	printf '%s\nclosures = /dev/zero\n' "$base_config" > "$PARTAKE_CONFIG"
	run sh -c 'ulimit -v 400000 && exec timeout 20 pcal add 1405-09-01 3'
	is "$rc" 2 "closures = /dev/zero under a memory limit: exit 2, not closures ignored"
	like "$err" "/dev/zero:1: longer than 65536 bytes" "naming the file and why: a line longer than any closure, refused before memory runs out"
else
	ok 0 "# SKIP cannot run under a memory limit here"
	ok 0 "# SKIP (the same)"
fi
printf '%s\n' "$base_config" > "$PARTAKE_CONFIG"

# A year with no holiday file still counts, with a warning.
run pcal add 1406-12-20 10
is "$rc" 0 "a year without a holiday file still counts"
like "$err" "no holiday file for 1406" "and says which year lacks its file"
run pcal -q add 1406-12-20 10
is "$err" "" "-q silences the warning"

# Many dates through add.
printf '1405-09-01\n2026-11-22\n' | pcal add - 10 > "$tmp/many"
is "$(cat "$tmp/many")" "$(printf '1405-09-12\n2026-12-03')" "add - reads dates from standard input"

run pcal holidays 1404
is "$(echo "$out" | sed 1d | wc -l)" 28 "1404 lists its 28 holiday rows"
like "$out" "1404-05-23	2025-08-14	thu	lunar	official	اربعین حسینی" "Arbaeen 1404 is on 23 Mordad"
run pcal holidays
like "$out" "1405-08-22" "with no year: this year's (1405, from the fixed clock)"
run pcal holidays 1399
is "$rc" 1 "a year without a file: exit 1"

run pcal month 1405-01
like "$out" "Farvardin 1405" "the month grid has its title"
like "$out" "  1*  2*  3*  4*" "Nowruz is marked"
like "$out" " 13* روز طبیعت" "and listed under the grid"
run pcal month 2026-03
like "$out" "March 2026" "a Gregorian month"

# digits = persian: what people read (the grid, -f table) has Persian digits;
# what programs and the next command read keeps Latin ones.
printf '%s\ndigits = persian\n' "$base_config" > "$PARTAKE_CONFIG"
run pcal month 1405-01
like "$out" "Farvardin ۱۴۰۵" "digits = persian: the grid's title"
like "$out" "  ۱*  ۲*  ۳*  ۴*  ۵   ۶   ۷ " "… its days, aligned as in Latin digits"
like "$out" " ۲۹  ۳۰  ۳۱" "… to the last"
like "$out" " ۱۳* روز طبیعت" "… and the holidays listed under it"
run pcal -f table 1403-01-01
like "$out" "۲۰۲۴-۰۳-۲۰  ۱۴۰۳-۰۱-۰۱  ۲۰۲۴-۰۳-۲۰  wed      ۱ فروردین ۱۴۰۳" "-f table: Persian digits"
run pcal -f tsv 1403-01-01
is "$out" "$(printf 'date\tjalali\tgregorian\tweekday\twritten\n2024-03-20\t1403-01-01\t2024-03-20\twed\t1 فروردین 1403')" \
	"-f tsv: Latin digits, in the written form too"
run pcal add 1405-09-01 10
is "$out" "1405-09-12" "a date alone, for the next command, keeps Latin digits"
printf '%s\n' "$base_config" > "$PARTAKE_CONFIG"

# -f: add, between and month print rows like every other form.
run pcal -f json add 1405-09-01 10
is "$out" '{"date":"1405-09-12","from":"1405-09-01","days":10,"jalali":"1405-09-12","gregorian":"2026-12-03","weekday":"thu"}' "-f json add: one object"
run pcal -f tsv add 1405-09-01 10
is "$out" "$(printf 'date\tfrom\tdays\tjalali\tgregorian\tweekday\n1405-09-12\t1405-09-01\t10\t1405-09-12\t2026-12-03\tthu')" "-f tsv add: a header and the row"
run pcal -f json between 1405-09-01 1405-09-12
is "$out" '{"days":10,"from":"1405-09-01","to":"1405-09-12"}' "-f json between"
run pcal -f tsv between 1405-09-12 1405-09-01
is "$out" "$(printf 'days\tfrom\tto\n-10\t1405-09-12\t1405-09-01')" "-f tsv between, backwards"
run pcal -f tsv month 1405-01
is "$(echo "$out" | sed -n 1p)" "$(printf 'date\tjalali\tgregorian\tweekday\tweek\twhy\ttitle')" "-f tsv month: a header"
is "$(echo "$out" | sed 1d | wc -l)" 31 "… and a row for each of Farvardin's 31 days"
like "$out" "1405-01-13	1405-01-13	2026-04-02	thu	2	holiday	روز طبیعت" "… with its week and why"
run pcal -f json month 2026-03
like "$out" '{"date":"2026-03-06","jalali":"1404-12-15","gregorian":"2026-03-06","weekday":"fri","week":1,"why":"weekend","title":"جمعه"}' "-f json month: a Gregorian month's Friday"

run pcal add 1405-09-01
is "$rc" 64 "add without N is a usage error"
run pcal add 1405-09-01 ten
is "$rc" 2 "a count that is not a number is refused"
run pcal --explain 1405-09-01
is "$rc" 64 "--explain goes only with add and between"
run pcal --help
like "$out" "Usage: pcal" "--help"
run pcal --version
like "$out" "pcal (partake) " "--version"

# Before make install, the built commands find share/partake beside bin/
# (issue 8: they failed on /usr/local/share/partake/holidays).
compiled=$(sed -n 1p "$top/lib/sharedir.stamp")
if [ -d "$compiled/holidays" ]; then
	ok 0 "# SKIP $compiled is installed here: the compiled-in folder is used"
	ok 0 "# SKIP (the same)"
	ok 0 "# SKIP (the same)"
else
	PARTAKE_CONFIG=/dev/null run pcal --version
	like "$out" "holidays and templates: $top/share/partake (beside the command: not installed)" \
		"--version says which share folder is used, and why"
	PARTAKE_CONFIG=/dev/null run pcal add 1405-01-11 1
	is "$rc/$out" "0/1405-01-15" "with no config at all, the built pcal counts Nowruz's holidays"
	mkdir -p "$tmp/elsewhere"
	cp "$top/bin/pcal" "$tmp/elsewhere/pcal"
	PARTAKE_CONFIG=/dev/null run "$tmp/elsewhere/pcal" --version
	like "$out" "$compiled (missing: make install puts them there)" \
		"a copy with no share folder beside it names the missing installed one"
fi

done_testing
