#!/bin/bash
# pdb check reads one snapshot on three connections and three threads: the
# file's pages and foreign keys on one, the chain on another, the cases on a
# third. What each finds is told as one walk would tell it, in the order of
# a repair (the file, the foreign keys, the chain, the records), whichever
# thread finds it first; a damaged page, a dangling row and an edited case
# are all found in one run; the counts of a kind past the first few are
# those of the whole walk.
. "$(dirname "$0")/lib.sh"

pdb init >/dev/null
python3 "$top/bench/gen-cases.py" cases 300 "$tmp/cases.jsonl" "$tmp/cases.tsv" >/dev/null
pcase-new --batch -q <"$tmp/cases.jsonl" >"$tmp/codes"
is "$(wc -l <"$tmp/codes")" 300 "300 cases in one batch"
run pdb check
is "$rc" 0 "they check out"
like "$out" ": ok (schema" "and it says ok"
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$PARTAKE_DB" "$tmp/sound.db"

# An index page no walk reads (cases by the time received), damaged; a
# case that points at a unit that does not exist; a case's subject edited,
# all outside partake.
sql "PRAGMA foreign_keys = OFF; UPDATE cases SET unit_id = 999 WHERE id = 5;
	UPDATE cases SET subject = 'edited outside' WHERE id = 7" >/dev/null
sql "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
page=$(sql "SELECT rootpage FROM sqlite_master WHERE name = 'cases_received'")
size=$(sql "PRAGMA page_size")
printf '\377\377\377\377\377\377\377\377' |
	dd of="$PARTAKE_DB" bs=1 seek=$(((page - 1) * size)) conv=notrunc 2>/dev/null
run pdb check
is "$rc" 1 "the damaged file: exit 1"
unlike "$out" ": ok" "not ok"
like "$out" "integrity: " "the damaged page is told (quick_check, on its thread)"
like "$out" "foreign key: " "the dangling unit is told (foreign_key_check, on the same thread)"
code5=$(sql "SELECT code FROM cases WHERE id = 5")
code7=$(sql "SELECT code FROM cases WHERE id = 7")
like "$out" "case $code7: changed outside partake" \
	"the edited case is told (the cases' walk, on its thread)"
like "$out" "case $code5: changed outside partake" \
	"and so is the case whose unit was changed"
line_of() { printf '%s\n' "$out" | grep -n -m1 "$1" | cut -d: -f1; }
[ "$(line_of 'integrity: ')" -lt "$(line_of 'foreign key: ')" ] &&
	[ "$(line_of 'foreign key: ')" -lt "$(line_of 'changed outside partake')" ]
ok $? "in the order of a repair: the file, the foreign keys, the records"

# The chain broken, and many cases edited: the chain's finding comes before
# the records', and past the first twenty only their number is told.
export PARTAKE_DB=$tmp/sound.db
sql "DROP TRIGGER IF EXISTS event_no_update; UPDATE event SET note = 'forged' WHERE id = 3;
	UPDATE cases SET body = body || '.' WHERE id > 250" >/dev/null
run pdb check
is "$rc" 1 "a forged event and fifty edited cases: exit 1"
like "$out" "audit chain: event 3 " "the forged event is told"
[ "$(line_of 'audit chain: event 3 ')" -lt "$(line_of 'changed outside partake')" ]
ok $? "before the records that do not match"
is "$(printf '%s\n' "$out" | grep -c 'changed outside partake')" 20 "twenty records are named"
like "$out" "audit chain: and 30 more records that do not match their history" \
	"and the rest counted with the ones named (50 in all)"

done_testing
