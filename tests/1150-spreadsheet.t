#!/bin/bash
# 1150-spreadsheet.t — -f xlsx, the format for a spreadsheet, as a
# spreadsheet reads it: the workbooks of pcase-list and pcal are opened by
# LibreOffice (headless, with a profile of its own) and saved as ODS, and
# each cell LibreOffice holds is read back with tests/sheet-cells.py. A
# phone keeps its leading 0, a tracking code is text, a Solar Hijri date is
# the text it was (not a Gregorian date), Persian text is itself, a subject
# that begins with '=' is not a formula, and the numeric columns are
# numbers. -f csv stays plain RFC 4180, for programs.
. "$(dirname "$0")/lib.sh"

export PARTAKE_NOW=2026-12-06T08:00:00Z	# Sunday 1405-09-15, 11:30 in Tehran
cells=$top/tests/sheet-cells.py

# libreoffice-calc-nogui is one of the packages `make deps` installs;
# without it the workbooks cannot be opened, and that is a failure.
if ! command -v soffice >/dev/null 2>&1; then
	ok 1 "soffice (LibreOffice) is installed"
	echo "# run 'make deps' (or: apt-get install libreoffice-calc-nogui)"
	done_testing
	exit 1
fi

subject='تأخیر در صدور پروانهٔ ساختمان'
name='مریم احمدی'
formula='=HYPERLINK("http://example.com/x","بیشتر")'
complaint=$(pcase-new -k complaint -c phone -s "$subject" --name "$name" --phone 09127778800 \
	--received 1405-09-07 --no-notice)
question=$(pcase-new -k question -c portal -s "$formula" --email q@example.ir \
	--received '1405-08-01 10:00' --no-notice)
[[ $complaint =~ ^[0-9]{12}$ && $question =~ ^[0-9]{12}$ ]]
ok $? "two cases: a complaint by phone, a question by email"

# --- the workbooks ---------------------------------------------------------------

pcase-list -f xlsx >"$tmp/cases.xlsx" 2>"$tmp/cases.err"
is "$?/$(cat "$tmp/cases.err")" "0/" "pcase-list -f xlsx: exit 0, nothing on standard error"
is "$(head -c 4 "$tmp/cases.xlsx" | od -An -c | tr -d ' ')" 'PK003004' "it writes a zip archive"
pcal -f xlsx 1405-09-07 >"$tmp/day.xlsx"
is "$?" 0 "pcal -f xlsx 1405-09-07: exit 0"

pcase-list -k violation -f xlsx >"$tmp/none.xlsx"
is "$?" 1 "no case matched: exit 1, as in every format"
is "$(python3 "$cells" "$tmp/none.xlsx" | cut -f1 | tr '\n' ' ')" \
	"A1 B1 C1 D1 E1 F1 G1 H1 I1 J1 K1 L1 M1 N1 O1 P1 Q1 R1 S1 T1 U1 V1 " \
	"... and the workbook still has its header row, so the columns are known"

# A workbook would only garble a terminal: refused before anything is done.
run timeout 20 python3 -c '
import os, pty, subprocess, sys
m, s = pty.openpty()
r = subprocess.run(sys.argv[1:], stdout=s, stderr=subprocess.PIPE, timeout=15)
os.close(s)
os.close(m)
sys.stderr.write(r.stderr.decode())
sys.exit(r.returncode)' "$top/bin/pcase-list" -f xlsx
is "$rc" 64 "-f xlsx to a terminal: a usage error (64)"
like "$err" "a workbook is not written to a terminal" "... that says to redirect it"

# --- as LibreOffice reads them -------------------------------------------------------

# soffice converts both in one run; a first start with a new profile takes
# some seconds, more on a busy machine, and the timeout bounds it.
timeout 180 soffice -env:UserInstallation="file://$tmp/lo" --headless --norestore \
	--convert-to ods --outdir "$tmp/ods" "$tmp/cases.xlsx" "$tmp/day.xlsx" \
	>"$tmp/soffice.out" 2>&1
is "$?" 0 "LibreOffice opens both workbooks and saves them as ODS"
[ -s "$tmp/ods/cases.ods" ] && [ -s "$tmp/ods/day.ods" ]
ok $? "... cases.ods and day.ods are there" || sed 's/^/# /' "$tmp/soffice.out"

python3 "$cells" "$tmp/ods/cases.ods" >"$tmp/cases.cells" 2>&1
is "$?" 0 "the cells of cases.ods are read" || sed 's/^/# /' "$tmp/cases.cells"

# cell COLUMN CODE: the type and value LibreOffice holds in the column of
# that header name, in the row of the case with that code.
cell() {
	awk -F'\t' -v name="$1" -v code="$2" '
		{ ref = $1; col = ref; sub(/[0-9]+$/, "", col); row = substr(ref, length(col) + 1) }
		row == 1 && $3 == name { want = col }
		col == "A" && $3 == code { at = row }
		{ kind[ref] = $2; value[ref] = $3 }
		END { if (want != "" && at != "" && (want at) in kind) print kind[want at] "\t" value[want at] }
	' "$tmp/cases.cells"
}
tab=$'\t'
is "$(cell code "$complaint")" "text${tab}$complaint" "the tracking code is text, all 12 digits"
is "$(cell phone "$complaint")" "text${tab}09127778800" "the phone is text with its leading 0"
is "$(cell received "$complaint")" "text${tab}1405-09-07 00:00" \
	"the Solar Hijri received date is the text 1405-09-07 …, not a date"
is "$(cell subject "$complaint")" "text${tab}$subject" "the Persian subject is itself, not mojibake"
is "$(cell name "$complaint")" "text${tab}$name" "the Persian name is itself"
is "$(cell days_left "$complaint")" "number${tab}3" "days_left is a number"
is "$(cell anonymous "$complaint")" "number${tab}0" "anonymous is a number"
is "$(cell email "$complaint")" "" "a field with no value is an empty cell"
is "$(cell subject "$question")" "text${tab}$formula" "a subject that begins with '=' is text, not a formula"
is "$(grep -c "${tab}formula${tab}" "$tmp/cases.cells")" 0 "no cell is a formula"

# Every cell as the TSV gives it, numbers where the columns are numbers.
expected=$(pcase-list -f tsv | awk -F'\t' '
	NR == 1 { for (i = 1; i <= NF; i++) number[i] = ($i == "days_left" || $i == "anonymous") }
	{ for (i = 1; i <= NF; i++) if ($i != "")
		printf "%c%d\t%s\t%s\n", 64 + i, NR, (NR > 1 && number[i] ? "number" : "text"), $i }')
is "$(cat "$tmp/cases.cells")" "$expected" "every cell LibreOffice read is the value of the TSV, typed"

python3 "$cells" "$tmp/ods/day.ods" >"$tmp/day.cells" 2>&1
is "$(grep '^[A-E]2' "$tmp/day.cells")" "A2${tab}text${tab}2026-11-28
B2${tab}text${tab}1405-09-07
C2${tab}text${tab}2026-11-28
D2${tab}text${tab}sat
E2${tab}text${tab}7 آذر 1405" "pcal: the Solar Hijri date 1405-09-07 is that text, not the year 1405 of a date"

# --- CSV stays for programs ----------------------------------------------------------

pcase-list -f csv >"$tmp/cases.csv"
is "$(head -c 5 "$tmp/cases.csv")" "code," "-f csv begins with its header, no byte order mark"
is "$(sed -n 3p "$tmp/cases.csv" | cut -d, -f1,16 | tr -d '\r')" "$complaint,09127778800" \
	"-f csv: the code and the phone as they are, no =\"…\" around them"

done_testing
