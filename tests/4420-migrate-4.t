#!/bin/bash
# pdb migrate: a real schema-4 database (tests/data/schema4.sql, left by
# partake at commit 869d3b0 after the walk of tests/demo.sh) moves to schema 5
# and on to the current one with no row lost, every old event keeping its hash, and a baseline event
# for every record, whose digest the check holds the record to from then
# on. A baseline proves nothing of what came before it: an edit made before
# the move is not caught.
. "$(dirname "$0")/lib.sh"
current=$(sed -n 's/^#define SCHEMA_VERSION //p' "$top/lib/schema.h")
# The move comes after the old events (the last of 2026-11-26): time does not go back.
export PARTAKE_NOW=2026-12-01T08:00:00Z

load() { rm -f "$1"; sqlite3 "$1" <"$top/tests/data/schema4.sql"; }
db=$tmp/old.db
export PARTAKE_DB=$db
load "$db"
ok $? "the schema-4 dump loads into the sqlite3 shell"
is "$(sql 'PRAGMA user_version')" 4 "a file of schema 4"
is "$(sql "SELECT count(*) FROM pragma_table_info('event') WHERE name = 'record_digest'")" 0 \
	"whose events carry no digest of their record"

tables="unit service service_faq cases attachment review_opinion overdue_notice outbox opt_out"
counts() { for t in $tables; do printf '%s=%s ' "$t" "$(sql "SELECT count(*) FROM $t")"; done; }
# Each table by the columns schema 4 had: later schemas add some (a case's source id).
# The file has no attachment, whose table schema 6 made anew (4430-migrate-5.t).
declare -A old_columns
for t in $tables; do old_columns[$t]=$(sql "SELECT group_concat(name, ', ') FROM pragma_table_info('$t')"); done
dump() { for t in ${tables/attachment /}; do sql "SELECT ${old_columns[$t]} FROM $t ORDER BY rowid"; done; }
old_events() { sql "SELECT id, hash_form, subject_kind, subject_id, subject, at, who, what, before, after, note,
	hex(hash) FROM event WHERE id <= 65 ORDER BY id"; }
before_counts=$(counts)
before_rows=$(dump)
before_events=$(old_events)
like "$before_counts" "cases=10 " "10 cases"
like "$before_counts" "attachment=0 " "and no attachment"
is "$(sql "SELECT count(*) || ' ' || group_concat(DISTINCT hash_form) FROM event")" "65 3" \
	"65 events, hash-chained in form 3"

# A command that writes no history (SHA-256 is not linked into it) leaves the move to one that does.
sum=$(cksum <"$db")
run pcase-list
is "$rc" 2 "pcase-list on a schema-4 file: exit 2"
like "$err" "schema 4, and this command, which writes no history, cannot bring it to $current: pdb migrate does" \
	"saying what will"
is "$(cksum <"$db")" "$sum" "the file is untouched"

run pdb migrate
is "$rc" 0 "pdb migrate: exit 0"
is "$out" "$db: migrated from schema 4 to schema $current" "says what it did"
is "$(sql 'PRAGMA user_version')" "$current" "the file is of schema $current"
is "$(counts)" "$before_counts" "every table has the rows it had"
is "$(dump)" "$before_rows" "and the same rows"
is "$(old_events)" "$before_events" "every old event keeps its content, its form and its hash"
is "$(sql "SELECT count(*) FROM event WHERE record_digest IS NOT NULL AND id <= 65")" 0 \
	"and has no digest: it was not made with one"

# The baseline: one event a record, after the old ones, in the new form.
is "$(sql "SELECT subject_kind || ' ' || count(*) FROM event WHERE id > 65 GROUP BY subject_kind ORDER BY 1")" \
	"case 10
contact 1
service 1
unit 5" "a baseline for each case, contact, service and unit"
is "$(sql "SELECT DISTINCT what || ' ' || hash_form || ' ' || length(record_digest) || ' ' || who || ' ' || at FROM event WHERE id > 65")" \
	"baseline 5 32 tester $(date -d "$PARTAKE_NOW" +%s)" \
	"each a 'baseline' of hash form 5, with a 32-byte digest, by whoever migrated, at the move"
is "$(sql "SELECT count(*) FROM event WHERE id > 65 AND subject_kind = 'routes'")" 0 \
	"the routing rules, a file, have none"
is "$(sql "SELECT outbox_upto FROM event WHERE id = 66")" "$(sql "SELECT max(id) FROM outbox")" \
	"the first baseline covers the whole outbox"

run pdb check
is "$rc" 0 "pdb check: exit 0"
like "$out" "ok (schema $current)" "the old chain and the baselines verify"

# From the baseline on, the records are held to it.
cp "$db" "$tmp/edited.db"
code=$(sql "SELECT code FROM cases WHERE phone IS NOT NULL ORDER BY id LIMIT 1")
sqlite3 "$tmp/edited.db" "UPDATE cases SET phone = '09120000000' WHERE code = $code"
run pdb --db "$tmp/edited.db" check
is "$rc" 1 "a phone changed after the move: exit 1"
like "$out" "audit chain: case $(printf '%012d' "$code"): changed outside partake: it is not as its last event (event " \
	"the case is named"
like "$out" ", baseline) left it" "its baseline is the event it is held to"
sqlite3 "$tmp/edited.db" "DELETE FROM outbox"
run pdb --db "$tmp/edited.db" check
like "$out" "audit chain: event 66 (" "a wiped outbox: the first baseline covered it"

# But a baseline vouches only for what it found: an edit before the move is not seen.
before=$tmp/before.db
load "$before"
sqlite3 "$before" "UPDATE cases SET phone = '09120000000' WHERE code = $code"
pdb --db "$before" -q migrate
run pdb --db "$before" check
is "$rc" 0 "a phone changed before the move: the baseline takes it as it found it"

# The migrated file goes on: a new event chains after the baselines.
routed=$(sql "SELECT code FROM cases WHERE state = 'routed' ORDER BY id LIMIT 1")
run pcase-status --set in-progress "$routed"
is "$rc" 0 "a case moves on after the move"
is "$(sql "SELECT what || ' ' || hash_form FROM event ORDER BY id DESC LIMIT 1")" "state 5" "in form 5"
run pdb check
is "$rc" 0 "the chain of old events, baselines and new events verifies"

run pdb migrate
is "$rc/$out" "0/$db: schema $current" "a second migrate finds nothing to do"
is "$(sql "SELECT count(*) FROM event WHERE what = 'baseline'")" 17 "and makes no baseline twice"

# A new database and a migrated one have the same tables, columns, indexes and triggers.
PARTAKE_DB=$tmp/fresh.db pdb init >/dev/null
shape() { sqlite3 "$1" "SELECT m.name || ' ' || coalesce(group_concat(p.name, ','), '') FROM sqlite_master m
	LEFT JOIN pragma_table_info(m.name) p WHERE m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'case_text_%'
	GROUP BY m.name ORDER BY m.name"; }
is "$(shape "$db")" "$(shape "$tmp/fresh.db")" "a new database and a migrated one have the same shape"

done_testing
