#!/bin/bash
# pdb migrate: a real schema-2 database, left by partake 0.1.0 after the walk
# of tests/demo.sh (tests/data/schema2.sql), moves to schema 3, where every
# event names its subject, with no row lost and every old hash still verifying
# (and on to schema 5, whose baseline events are tested in 4420-migrate-4.t).
. "$(dirname "$0")/lib.sh"
# The move comes after the old events: the chain's time does not go back.
export PARTAKE_NOW=2026-12-01T08:00:00Z
current=$(sed -n 's/^#define SCHEMA_VERSION //p' "$top/lib/schema.h")

db=$tmp/old.db
export PARTAKE_DB=$db
sqlite3 "$db" <"$top/tests/data/schema2.sql"
ok $? "the schema-2 dump loads into the sqlite3 shell"
is "$(sql 'PRAGMA user_version')" 2 "a file of schema 2"
is "$(sql "SELECT count(*) FROM pragma_table_info('event') WHERE name = 'case_id'")" 1 \
	"whose events belong to cases (event.case_id)"

tables="unit service service_faq cases attachment event review_opinion overdue_notice outbox"
counts() {
	for t in $tables; do printf '%s=%s ' "$t" "$(sql "SELECT count(*) FROM $t")"; done
}
before_counts=$(counts)
# The events as schema 2 left them; from schema 5 on, a baseline event for each record follows them.
old_events() { sql "SELECT id || '|' || at || '|' || who || '|' || what || '|' || coalesce(before, '') || '|' ||
	coalesce(after, '') || '|' || coalesce(note, '') || '|' || hex(hash) FROM event WHERE id <= 35 ORDER BY id"; }
before_events=$(old_events)
before_owner=$(sql "SELECT e.id || '|' || printf('%012d', c.code) FROM event e JOIN cases c ON c.id = e.case_id ORDER BY e.id")
before_cases=$(sql "SELECT code || '|' || state || '|' || subject || '|' || coalesce(due, '') FROM cases ORDER BY id")
like "$before_counts" "event=35" "35 events, hash-chained by partake 0.1.0"

run pdb migrate
is "$rc" 0 "pdb migrate: exit 0"
like "$out" "migrated from schema 2 to schema $current" "says what it did"
is "$(sql 'PRAGMA user_version')" "$current" "the file is of the current schema ($current), through 3"
is "$(counts)" "${before_counts/event=35/event=51}" "every table has the rows it had, and 16 baseline events"
is "$(sql "SELECT count(*) FROM event WHERE id > 35 AND what = 'baseline'")" 16 \
	"one for each of the 10 cases, 5 units and the service"
is "$(sql "SELECT code || '|' || state || '|' || subject || '|' || coalesce(due, '') FROM cases ORDER BY id")" \
	"$before_cases" "the cases are as they were"
is "$(old_events)" "$before_events" "every event keeps its content and its hash"
is "$(sql "SELECT e.id || '|' || e.subject FROM event e WHERE id <= 35 ORDER BY e.id")" "$before_owner" \
	"every event names its case by its tracking code"
is "$(sql "SELECT DISTINCT subject_kind || ' ' || hash_form FROM event WHERE id <= 35")" "case 2" \
	"as a case, sealed by the form of schema 2"
is "$(sql "SELECT count(*) FROM event e JOIN cases c ON c.id = e.subject_id WHERE e.id <= 35")" 35 \
	"and by its row"
is "$(sql "SELECT count(*) FROM pragma_table_info('cases') WHERE name = 'draft_id'")" 0 \
	"the unused column cases.draft_id is gone"
is "$(sql "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('event_no_update', 'event_no_delete')")" 2 \
	"the events are still append-only"

run pdb check
is "$rc" 0 "pdb check: exit 0"
like "$out" "ok (schema $current)" "every old event verifies"

# The migrated file goes on: new events chain after the old ones, in the new form.
code=$(sql "SELECT code FROM cases WHERE state = 'routed' ORDER BY id LIMIT 1")
run pcase-status --set in-progress "$code"
is "$rc" 0 "a case moves on after the migration"
is "$(sql "SELECT subject_kind || ' ' || subject || ' ' || hash_form || ' ' || what FROM event ORDER BY id DESC LIMIT 1")" \
	"case $(printf '%012d' "$code") 5 state" "its event names the case, sealed by the newest form"
run punit add archive --name 'بایگانی'
is "$rc" 0 "a unit is added"
is "$(sql "SELECT subject_kind || ' ' || subject || ' ' || what FROM event ORDER BY id DESC LIMIT 1")" \
	"unit archive add" "and that is an event of the same chain"
run pdb check
is "$rc" 0 "the chain of old and new events verifies"

# An old event edited after the migration is caught like any other.
sql "DROP TRIGGER event_no_update; UPDATE event SET note = 'edited' WHERE id = 7"
run pdb check
is "$rc" 1 "check after an old event was edited: exit 1"
like "$out" "event 7 (case " "it names the event and its case"

# A second migrate finds nothing to do.
sql "CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT, 'x'); END"
run pdb migrate
is "$rc" 0 "pdb migrate again: exit 0"
like "$out" "schema $current" "already at the current schema"
is "$(counts | sed 's/event=[0-9]*//; s/unit=[0-9]*//')" "$(echo "$before_counts" | sed 's/event=[0-9]*//; s/unit=[0-9]*//')" \
	"nothing doubled"

done_testing
