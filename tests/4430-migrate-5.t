#!/bin/bash
# pdb migrate: a real schema-5 database (tests/data/schema5.sql, left by
# partake at commit e0162d9) whose attachments are paths moves to schema 6:
# each file still readable, within the limit and of a type taken is copied
# into the attachment store; one that is not keeps its row, marked not
# copied, with the path it had and why; a URL becomes a link. No row of any
# other table changes, every old event keeps its hash, and each case whose
# attachments moved gets an event, whose digest covers them from then on.
. "$(dirname "$0")/lib.sh"
current=$(sed -n 's/^#define SCHEMA_VERSION //p' "$top/lib/schema.h")
# The move comes after the old events (the last of 2026-11-25): time does not go back.
export PARTAKE_NOW=2026-12-01T08:00:00Z

# The files the dump's attachments name, in a folder of the test's own (the
# dump says @FILES@ for it); gone.pdf was deleted since.
files=$tmp/files
mkdir -p "$files"
cp "$top"/tests/data/schema5-files/* "$files/"
load() { rm -f "$1"; sed "s|@FILES@|$files|g" "$top/tests/data/schema5.sql" | sqlite3 "$1"; }
db=$tmp/old.db
export PARTAKE_DB=$db
load "$db"
ok $? "the schema-5 dump loads into the sqlite3 shell"
is "$(sql 'PRAGMA user_version')" 5 "a file of schema 5"
is "$(sql "SELECT count(*) || ' ' || count(DISTINCT case_id) FROM attachment")" "8 6" \
	"with 8 attachments of 6 cases, recorded by path"
# big.pdf (3016 bytes) is over this limit; the others are under it.
printf '%s\nattachment_max_bytes = 2K\n' "$base_config" > "$PARTAKE_CONFIG"

tables="unit service service_faq cases review_opinion overdue_notice outbox opt_out"
declare -A old_columns
for t in $tables; do old_columns[$t]=$(sql "SELECT group_concat(name, ', ') FROM pragma_table_info('$t')"); done
dump() { for t in $tables; do sql "SELECT ${old_columns[$t]} FROM $t ORDER BY rowid"; done; }
old_events() { sql "SELECT id, hash_form, subject_kind, subject_id, subject, at, who, what, before, after, note,
	hex(hash), hex(record_digest) FROM event ORDER BY id"; }
before_rows=$(dump)
before_events=$(old_events)
nevents=$(sql "SELECT count(*) FROM event")
code_of() { sql "SELECT code FROM cases WHERE id = $1"; }

# A command that writes no history leaves the move to one that does.
sum=$(cksum <"$db")
run pcase-list
is "$rc" 2 "pcase-list on a schema-5 file: exit 2"
like "$err" "schema 5, and this command, which writes no history, cannot bring it to $current: pdb migrate does" \
	"saying what will"
is "$(cksum <"$db")" "$sum" "the file is untouched"

run pdb migrate
is "$rc" 0 "pdb migrate: exit 0"
is "$out" "$db: migrated from schema 5 to schema $current" "says what it did"
is "$(sql 'PRAGMA user_version')" "$current" "the file is of schema $current"
is "$(dump)" "$before_rows" "every other table has the rows it had, as they were"
is "$(sql "SELECT count(*) FROM cases WHERE source_id IS NOT NULL OR source_digest IS NOT NULL")" 0 \
	"the old cases have no source id"
is "$(old_events | head -n "$nevents")" "$before_events" "every old event keeps its content and its hash"
is "$(sql "SELECT count(*) FROM sqlite_master WHERE name = 'attachment_v5'")" 0 \
	"the paths' table is gone"

sha() { sha256sum < "$files/$1" | cut -c1-64; }
size() { stat -c %s "$files/$1"; }
is "$(sql "SELECT case_id || ' ' || kind || ' ' || name || ' ' || coalesce(type, '-') || ' ' ||
	coalesce(size, '-') || ' ' || coalesce(sha256, '-') FROM attachment ORDER BY id")" \
	"1 file letter.pdf application/pdf $(size letter.pdf) $(sha letter.pdf)
1 file photo.jpg image/jpeg $(size photo.jpg) $(sha photo.jpg)
2 file letter.pdf application/pdf $(size letter.pdf) $(sha letter.pdf)
2 link https://example.ir/map.png - - -
3 file notes.txt text/plain $(size notes.txt) $(sha notes.txt)
4 not-copied gone.pdf - - -
5 not-copied big.pdf - - -
6 not-copied program.exe - - -" \
	"every row kept, in its order: the readable files copied, the link kept, the others marked not copied"
is "$(sql "SELECT name || ': ' || note FROM attachment WHERE kind = 'not-copied' ORDER BY id")" \
	"gone.pdf: not copied by the move to schema 6 from $files/gone.pdf: no such file, or not one this user may read
big.pdf: not copied by the move to schema 6 from $files/big.pdf: 3016 bytes, more than the 2048 that attachment_max_bytes allows
program.exe: not copied by the move to schema 6 from $files/program.exe: not a type partake takes (PDF, JPEG, PNG, plain text (UTF-8), DOCX, XLSX), by its content" \
	"each not copied says the path it had and why"
store=$db.attachments
is "$(find "$store" -type f | sed "s|^$store/||" | sort)" \
	"$(for f in letter.pdf photo.jpg notes.txt; do s=$(sha "$f"); echo "${s:0:2}/$s"; done | sort)" \
	"the store holds one copy of each file copied (letter.pdf, of two cases, once)"
is "$(find "$store" -type f -printf '%m\n' | sort -u) $(stat -c %a "$store")" "600 700" \
	"copies 0600, the store 0700"

# The events of the move: one for each case whose attachments moved.
is "$(sql "SELECT subject_id || ' ' || what || ' ' || hash_form || ' ' || who || ' ' || note FROM event
	WHERE id > $nevents ORDER BY id")" \
	"1 attachments 5 tester moved into the attachment store by the move to schema 6: 2 copied
2 attachments 5 tester moved into the attachment store by the move to schema 6: 1 copied, 1 kept as a link
3 attachments 5 tester moved into the attachment store by the move to schema 6: 1 copied
4 attachments 5 tester moved into the attachment store by the move to schema 6: 1 not copied
5 attachments 5 tester moved into the attachment store by the move to schema 6: 1 not copied
6 attachments 5 tester moved into the attachment store by the move to schema 6: 1 not copied" \
	"an 'attachments' event for each of the 6 cases, in the newest form, saying what moved"
is "$(sql "SELECT count(*) FROM event WHERE subject_id = 7 AND subject_kind = 'case' AND id > $nevents")" 0 \
	"none for the case without attachments"

run pdb check
is "$rc" 0 "pdb check: exit 0"
like "$out" "ok (schema $current)" "the old chain, the new events and the copies verify"
run pdb check --full
is "$rc" 0 "pdb check --full: every copy hashes to its name"

# The originals can go: the cases show what they came with.
rm -f "$files"/*
run pcase-status -f json "$(code_of 2)" "$(code_of 4)"
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
for l in sys.stdin:
    for a in json.loads(l)["attachments"]:
        print(a["name"], a["type"], a["size"], (a["sha256"] or "-")[:8], "note" if a["note"] else "-")')" \
	"letter.pdf application/pdf 83 5630ac86 -
https://example.ir/map.png link None - -
gone.pdf not-copied None - note" "pcase-status shows them, the originals deleted"
run pdb check --full
is "$rc" 0 "and pdb check still finds every copy"

# The attachments are held to the events of the move.
cp "$db" "$tmp/edited.db"
cp -r "$store" "$tmp/edited.db.attachments"
sqlite3 "$tmp/edited.db" "UPDATE attachment SET name = 'x.pdf' WHERE case_id = 1 AND name = 'photo.jpg'"
run pdb --db "$tmp/edited.db" check
like "$out" "audit chain: case $(code_of 1): changed outside partake: it is not as its last event (event " \
	"a moved attachment renamed outside partake: caught"
like "$out" ", attachments) left it" "held to the event of the move"
cp "$db" "$tmp/added.db"
cp -r "$store" "$tmp/added.db.attachments"
sqlite3 "$tmp/added.db" "INSERT INTO attachment (case_id, kind, name) VALUES (7, 'link', 'https://x.example')"
run pdb --db "$tmp/added.db" check
like "$out" "audit chain: case $(code_of 7): changed outside partake" \
	"an attachment given outside partake to a case whose last event is older: caught"
cp "$db" "$tmp/sourced.db"
sqlite3 "$tmp/sourced.db" "UPDATE cases SET source_id = '111-1' WHERE id = 7"
run pdb --db "$tmp/sourced.db" check
like "$out" "audit chain: case $(code_of 7): changed outside partake" \
	"so is a source id given to it"

# The migrated file goes on; a second migrate does nothing.
run pcase-status --set in-progress "$(code_of 3)"
is "$rc" 0 "a case moves on after the move"
run pdb check
is "$rc" 0 "and the chain verifies"
n=$(sql "SELECT count(*) FROM event")
run pdb migrate
is "$rc/$out" "0/$db: schema $current" "a second migrate finds nothing to do"
is "$(sql "SELECT count(*) FROM event")" "$n" "and makes no event"

# A store that cannot be written stops the move, which changes nothing.
load "$tmp/stuck.db"
cp "$top"/tests/data/schema5-files/* "$files/"
mkdir -p "$tmp/ro"
printf '%s\nattachments_dir = %s/ro/store\n' "$base_config" "$tmp" > "$PARTAKE_CONFIG"
chmod 555 "$tmp/ro"
if [ "$(id -u)" = 0 ]; then
	# Root writes anywhere: a file in the way of the store's folder instead.
	chmod 755 "$tmp/ro"
	: > "$tmp/ro/store"
fi
sum=$(cksum <"$tmp/stuck.db")
run pdb --db "$tmp/stuck.db" migrate
is "$rc" 2 "a store that cannot be made: pdb migrate exit 2"
like "$err" "cannot make the attachment store $tmp/ro/store" "saying which"
is "$(sqlite3 "$tmp/stuck.db" 'PRAGMA user_version')" 5 "the file is still of schema 5"
is "$(sqlite3 "$tmp/stuck.db" 'SELECT count(*) FROM attachment')" 8 "with its attachments"
chmod 755 "$tmp/ro"

# A new database and a migrated one have the same shape.
PARTAKE_DB=$tmp/fresh.db pdb init >/dev/null
shape() { sqlite3 "$1" "SELECT m.name || ' ' || coalesce(group_concat(p.name, ','), '') FROM sqlite_master m
	LEFT JOIN pragma_table_info(m.name) p WHERE m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'case_text_%'
	GROUP BY m.name ORDER BY m.name"; }
is "$(shape "$db")" "$(shape "$tmp/fresh.db")" "a new database and a migrated one have the same shape"

done_testing
