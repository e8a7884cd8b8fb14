#!/bin/bash
# pdb migrate: a database of schema 1, made with the sqlite3 shell from the
# first migration in lib/schema.c, is moved to schema 2 without losing a row.
. "$(dirname "$0")/lib.sh"
current=$(sed -n 's/^#define SCHEMA_VERSION //p' "$top/lib/schema.h")

# The SQL of migrations[0], the C string literals between "/* 0 -> 1 */" and
# "/* 1 -> 2", joined as the compiler joins them.
python3 - "$top/lib/schema.c" >"$tmp/schema1.sql" <<'EOF'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"/\* 0 -> 1 \*/(.*?)/\* 1 -> 2", src, re.S)
if not m:
    sys.exit("lib/schema.c: the first migration was not found")
print("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))))
EOF
ok $? "the first migration's SQL is extracted from lib/schema.c"
like "$(cat "$tmp/schema1.sql")" "CREATE TABLE cases (" "it creates the cases table"
unlike "$(cat "$tmp/schema1.sql")" "CREATE TABLE outbox" "and not the tables of schema 2"

db=$tmp/old.db
export PARTAKE_DB=$db
sqlite3 "$db" <"$tmp/schema1.sql"
ok $? "the sqlite3 shell runs it"
sqlite3 "$db" "PRAGMA user_version = 1;
	INSERT INTO unit (code, name, email) VALUES ('services', 'واحد خدمات', 'services@agency.ir');
	INSERT INTO unit (code, name, parent_id) VALUES ('field', 'میدانی', 1);
	INSERT INTO service (code, name, unit_id, deadline_days) VALUES ('permit', 'پروانه', 1, 5);
	INSERT INTO cases (code, kind, channel, service_id, unit_id, state, subject, body, phone, received, due)
	  VALUES (547463135526, 'complaint', 'portal', 1, 1, 'routed', 'شکایت قدیمی', 'متن', '09121234567',
	  1795334400, 1795604400);
	INSERT INTO cases (code, kind, channel, state, subject, anonymous, received)
	  VALUES (863775329907, 'violation', '111', 'new', 'گزارش قدیمی', 1, 1795334400);
	INSERT INTO event (id, case_id, at, who, what, before, after, note, hash)
	  VALUES (1, 1, 1795334400, 'old', 'received', NULL, 'new', 'portal', zeroblob(32));
	INSERT INTO event (id, case_id, at, who, what, before, after, note, hash)
	  VALUES (2, 2, 1795334400, 'old', 'received', NULL, 'new', '111', x'00');
	INSERT INTO attachment (case_id, path) VALUES (1, 'https://example.ir/photo.jpg');"
ok $? "a schema-1 file with units, a service, cases, events and an attachment"

counts() {
	sql "SELECT (SELECT count(*) FROM unit) || ' ' || (SELECT count(*) FROM service) || ' ' ||
		(SELECT count(*) FROM cases) || ' ' || (SELECT count(*) FROM event) || ' ' ||
		(SELECT count(*) FROM attachment)"
}
rows() {
	sql "SELECT code || '|' || kind || '|' || state || '|' || subject || '|' || coalesce(due, '') FROM cases ORDER BY id;
		SELECT id || '|' || who || '|' || what || '|' || hex(hash) FROM event WHERE id <= 2 ORDER BY id;
		SELECT code || '|' || name || '|' || coalesce(parent_id, '') FROM unit ORDER BY id"
}
before_counts=$(counts)
before_rows=$(rows)
is "$before_counts" "2 1 2 2 1" "before: 2 units, 1 service, 2 cases, 2 events, 1 attachment"
is "$(sql 'PRAGMA user_version')" 1 "schema 1"
is "$(sql "SELECT count(*) FROM sqlite_master WHERE name IN ('outbox', 'service_faq', 'review_opinion', 'overdue_notice')")" 0 \
	"none of the tables of schema 2 yet"

run pdb migrate
is "$rc" 0 "pdb migrate: exit 0"
like "$out" "schema $current" "says the schema it is at"
is "$(sql 'PRAGMA user_version')" "$current" "the file is of the current schema ($current)"
is "$(counts)" "2 1 2 7 1" "after: the same number of rows in every table, and a baseline event for each record"
is "$(rows)" "$before_rows" "and the same rows"
is "$(sql "SELECT subject_kind || ' ' || subject FROM event WHERE id > 2 AND what = 'baseline' ORDER BY id" | tr '\n' ,)" \
	"case 547463135526,case 863775329907,unit services,unit field,service permit," "the baselines of schema 5"
for t in outbox service_faq review_opinion overdue_notice; do
	is "$(sql "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$t'")" 1 "table $t exists"
done
is "$(sql "SELECT count(*) FROM pragma_table_info('cases') WHERE name = 'answer'")" 1 "cases has the answer column"
is "$(sql "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('cases_unit', 'cases_state_due', 'outbox_due')")" 3 \
	"and the new indexes"
is "$(sql "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('event_no_update', 'event_no_delete')")" 2 \
	"the append-only triggers are still there"

run pdb migrate
is "$rc" 0 "pdb migrate again: exit 0"
is "$(sql 'PRAGMA user_version')" "$current" "still the current schema"
is "$(counts)" "2 1 2 7 1" "nothing lost or doubled"

# The migrated file works: the old case moves on, and the new tables take rows.
run pcase-status --set in-progress 547463135526
is "$rc" 0 "the old case can be moved on after the migration"
is "$(sql "SELECT state FROM cases WHERE code = 547463135526")" "in-progress" "and it is"
run pservice faq permit --question 'چقدر؟' --answer 'رایگان'
is "$rc" 0 "the old service takes an FAQ entry in the new table"
is "$(sql "SELECT count(*) FROM service_faq")" 1 "stored"
is "$(sql "SELECT count(*) FROM cases")" 2 "the cases are all there"

# A fresh database through pdb init has the same tables as the migrated one.
fresh=$tmp/fresh.db
PARTAKE_DB=$fresh pdb init >/dev/null
is "$(sqlite3 "$fresh" "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'case_text_%' ORDER BY name)")" \
	"$(sql "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'case_text_%' ORDER BY name)")" \
	"a new database and a migrated one have the same tables, indexes and triggers"

# A file from a newer partake is refused and left alone.
sqlite3 "$fresh" "PRAGMA user_version = $((current + 1))"
run env PARTAKE_DB="$fresh" pdb migrate
is "$rc" 2 "a database of a newer schema: exit 2"
like "$err" "schema $((current + 1)), newer than this partake's $current" "saying so"
is "$(sqlite3 "$fresh" 'PRAGMA user_version')" "$((current + 1))" "and it is left as it was"

done_testing
