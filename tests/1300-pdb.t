#!/bin/bash
# pdb: init, migrate, check (integrity, the audit chain, holiday files) and backup.
. "$(dirname "$0")/lib.sh"

# --- init ------------------------------------------------------------------------

run pdb init
is "$rc" 0 "init: exit 0"
like "$out" "$PARTAKE_DB" "init says where the database is"
[ -f "$PARTAKE_DB" ]
ok $? "init creates the database file"
is "$(stat -c %a "$PARTAKE_DB")" 600 "the new database has mode 0600"
is "$(sql "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN
	('cases', 'event', 'unit', 'service', 'attachment')")" 5 "with the schema's tables"
version=$(sql 'PRAGMA user_version')
case "$version" in [1-9]*) ok 0 "and a schema version ($version)" ;; *) ok 1 "and a schema version ($version)" ;; esac
like "$out" "schema $version" "init says the schema version"
is "$(db_state)" "0 cases, 0 events" "and no cases"

run pdb init
is "$rc" 0 "init of an existing database: exit 0"
is "$(db_state)" "0 cases, 0 events" "changes nothing"

# The default place, when neither --db nor PARTAKE_DB nor the config says.
(
	unset PARTAKE_DB
	run pdb init
	is "$rc" 0 "init with no PARTAKE_DB: exit 0"
	is "$out" "$XDG_DATA_HOME/partake/partake.db: created, schema $version" \
		"it names \$XDG_DATA_HOME/partake/partake.db"
	[ -f "$XDG_DATA_HOME/partake/partake.db" ]
	ok $? "the database is there, its folder made"
	is "$(stat -c %a "$XDG_DATA_HOME/partake/partake.db")" 600 "mode 0600"
	is "$(stat -c %a "$XDG_DATA_HOME/partake")" 700 "its folder is private too"
	code=$(pcase-new -k violation -s 'in the default place')
	is "$(sqlite3 "$XDG_DATA_HOME/partake/partake.db" "SELECT subject FROM cases WHERE code = '$code'")" \
		"in the default place" "commands use the default place too"
	echo "$tap_n $tap_failed" > "$tmp/counts"
)
read -r tap_n tap_failed < "$tmp/counts"
is "$(db_state)" "0 cases, 0 events" "PARTAKE_DB's database was not used"

run pdb --db "$tmp/other.db" init
is "$rc/$out" "0/$tmp/other.db: created, schema $version" "--db names the file to create"
is "$(stat -c %a "$tmp/other.db")" 600 "mode 0600"

: > "$tmp/plainfile"
run pdb --db "$tmp/plainfile/x.db" init
is "$rc" 2 "init where a file is in the way: exit 2"
like "$err" "$tmp/plainfile/x.db" "the message names the path"

sqlite3 "$tmp/newer.db" "CREATE TABLE t (x); PRAGMA user_version = 99;"
sum=$(cksum < "$tmp/newer.db")
run pdb --db "$tmp/newer.db" migrate
is "$rc" 2 "migrate of a database from a newer partake: exit 2"
like "$err" "newer" "the message says it is newer"
is "$(cksum < "$tmp/newer.db")" "$sum" "the file is untouched"

printf 'not a database at all, just text\n' > "$tmp/text.db"
run pdb --db "$tmp/text.db" check
is "$rc" 2 "a file that is not a database: exit 2"
like "$err" "text.db" "the message names it"
is "$(cat "$tmp/text.db")" "not a database at all, just text" "and leaves it alone"

# --- migrate ----------------------------------------------------------------------

run pdb migrate
is "$rc" 0 "migrate of a current database: exit 0"
like "$out" "schema $version" "migrate says the schema version"
sqlite3 "$tmp/old.db" "PRAGMA user_version = 0;"
run pdb --db "$tmp/old.db" migrate
is "$rc" 0 "migrate of an empty (version 0) database: exit 0"
is "$(sqlite3 "$tmp/old.db" 'PRAGMA user_version')" "$version" "it is at the current version"
is "$(sqlite3 "$tmp/old.db" "SELECT count(*) FROM sqlite_master WHERE name = 'cases'")" 1 \
	"with the tables"

# --- check ------------------------------------------------------------------------

for i in 1 2 3; do pcase-new -k violation -s "case $i" -b "body $i" > /dev/null; done
pcase-new -k complaint -s 'case 4' --phone 09121234567 > /dev/null
run pdb check
is "$rc" 0 "check of a sound database: exit 0"
like "$out" "ok" "it says ok"
unlike "$out" "audit chain" "no audit problem"
unlike "$out" "integrity:" "no integrity problem"
run pdb -q check
is "$rc" 0 "check -q: exit 0"

# The schema refuses to change or drop events.
before=$(db_state)
run sql "UPDATE event SET note = 'edited' WHERE id = 2"
[ "$rc" -ne 0 ]
ok $? "UPDATE of an event is refused by the schema"
like "$err" "append-only" "the refusal says events are append-only"
run sql "DELETE FROM event WHERE id = 2"
[ "$rc" -ne 0 ]
ok $? "DELETE of an event is refused by the schema"
like "$err" "append-only" "the refusal says events are append-only"
is "$(db_state)" "$before" "the events are as they were"
is "$(sql "SELECT coalesce(note, '') FROM event WHERE id = 2")" "other" "the note is unchanged"
run pdb check
is "$rc" 0 "still sound"

# --- backup (before the chain is broken) ------------------------------------------

run pdb backup "$tmp/backup.db"
is "$rc" 0 "backup: exit 0"
like "$out" "$tmp/backup.db" "backup names the copy"
is "$(sqlite3 "$tmp/backup.db" "SELECT count(*) FROM cases") $(sqlite3 "$tmp/backup.db" "SELECT count(*) FROM event")" \
	"$(sql "SELECT count(*) FROM cases") $(sql "SELECT count(*) FROM event")" "the copy has the same number of rows"
is "$(sqlite3 "$tmp/backup.db" "SELECT code, subject, body, received, due FROM cases ORDER BY id")" \
	"$(sql "SELECT code, subject, body, received, due FROM cases ORDER BY id")" "the same cases"
is "$(sqlite3 "$tmp/backup.db" "SELECT id, hex(hash) FROM event ORDER BY id")" \
	"$(sql "SELECT id, hex(hash) FROM event ORDER BY id")" "the same event chain"
is "$(stat -c %a "$tmp/backup.db")" 600 "the copy has mode 0600"
run pdb --db "$tmp/backup.db" check
is "$rc" 0 "the copy passes check"
code=$(pcase-status --db "$tmp/backup.db" --format codes "$(sql 'SELECT code FROM cases LIMIT 1')")
is "$code" "$(sql 'SELECT code FROM cases LIMIT 1')" "the copy is usable by the commands"

printf 'precious\n' > "$tmp/exists.db"
run pdb backup "$tmp/exists.db"
is "$rc" 2 "backup to an existing file: exit 2"
like "$err" "exists" "the message says it exists"
is "$(cat "$tmp/exists.db")" "precious" "the existing file is untouched"
run pdb backup "$tmp/backup.db"
is "$rc" 2 "backup over an earlier backup is refused too"
run pdb backup "$tmp/plainfile/b.db"
is "$rc" 2 "backup to a path that cannot be written: exit 2"
like "$err" "plainfile/b.db" "the message names the path"
run pdb backup
is "$rc" 64 "backup without FILE: usage error"
run pdb init extra
is "$rc" 64 "init with an operand: usage error"
run pdb
is "$rc" 64 "no action: usage error"
run pdb frobnicate
is "$rc" 64 "an unknown action: usage error"
like "$err" "frobnicate" "the message names it"

# --- check and backup beside other commands (issue 15) ------------------------------

# hold NAME DB SQL...: another connection that runs each SQL on DB and keeps
# the locks it took, for at most 30 s or until `kill $NAME_pid`; returns once
# it holds them (after at most 5 s).
hold() {
	local name=$1 i=0
	shift
	python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
for sql in sys.argv[2:]:
    c.execute(sql).fetchall()
print("held", flush=True)
time.sleep(30)' "$@" >"$tmp/$name.held" 2>&1 &
	eval "${name}_pid=$!"
	while [ $i -lt 50 ] && ! grep -q held "$tmp/$name.held"; do sleep 0.1; i=$((i + 1)); done
	grep -q held "$tmp/$name.held"
}
# aside NAME CMD...: runs CMD in the background, its exit status, output and
# errors to $tmp/NAME.rc, .out and .err; $NAME_job is its pid.
aside() {
	local name=$1
	shift
	{ "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; echo $? >"$tmp/$name.rc"; } &
	eval "${name}_job=$!"
}

pdb -q backup "$tmp/shut.db"
hold writer "$PARTAKE_DB" "BEGIN IMMEDIATE"
ok $? "another connection holds the write lock of the database"
hold whole "$tmp/shut.db" "PRAGMA locking_mode = EXCLUSIVE" "BEGIN EXCLUSIVE" "SELECT count(*) FROM cases"
ok $? "and another holds a copy whole, shutting out readers too"
# Each of these waits out the busy timeout (5 s): all at once.
aside full pdb check --full
aside shut_check pdb --db "$tmp/shut.db" check
aside shut_backup pdb --db "$tmp/shut.db" backup "$tmp/from-shut.db"
run pdb check
is "$rc" 0 "check beside a writer: exit 0 (it only reads, so it does not wait for the lock)"
like "$out" ": ok (schema" "and it says ok"
# shellcheck disable=SC2154 # set by aside
wait "$full_job" "$shut_check_job" "$shut_backup_job"
is "$(cat "$tmp/full.rc")" 75 "check --full, whose index check is a write, beside a writer: 75"
is "$(cat "$tmp/full.err")" "pdb: check: the database is busy; try again" "saying it was busy"
is "$(cat "$tmp/full.out")" "" "and not reporting it as a problem of the index"
is "$(cat "$tmp/shut_check.rc")" 75 "check of a file another holds whole: 75"
like "$(cat "$tmp/shut_check.err")" "busy; try again" "saying it was busy"
unlike "$(cat "$tmp/shut_check.out")" "integrity" "not a problem of the file"
is "$(cat "$tmp/shut_backup.rc")" 75 "backup of a file another holds whole: 75"
like "$(cat "$tmp/shut_backup.err")" "busy; try again" "saying it was busy"
ls -a "$tmp" | grep from-shut > "$tmp/left"
is "$(cat "$tmp/left")" "" "and nothing is left of the copy, under its name or beside it"
# shellcheck disable=SC2154 # set by hold
kill "$writer_pid" "$whole_pid"
wait "$writer_pid" "$whole_pid" 2>/dev/null
run pdb check --full
is "$rc" 0 "check --full when no one writes: exit 0"
like "$out" ": ok (schema" "the index's own check finds it sound"

# A second backup to the same file while one runs: told, not mixed in.
exec 9>"$tmp/.second.db.partial"
flock -n 9
ok $? "a backup to second.db is running (its partial file locked)"
run pdb backup "$tmp/second.db"
is "$rc" 75 "a second backup to the same file: 75"
like "$err" "another backup to it is running" "saying so"
ok "$([ ! -e "$tmp/second.db" ]; echo $?)" "and writing nothing under its name"
exec 9>&-
run pdb -q backup "$tmp/second.db"
is "$rc/$out" "0/" "once it is gone, the backup is done"
ok "$([ ! -e "$tmp/.second.db.partial" ]; echo $?)" "and its partial file taken over"

run pdb backup --time-limit 0 "$tmp/never.db"
is "$rc" 64 "--time-limit 0: usage error"
run pdb check --time-limit 10
is "$rc" 64 "--time-limit with check: usage error"
run pdb backup --full "$tmp/never.db"
is "$rc" 64 "--full with backup: usage error"

# --- an edited audit chain -----------------------------------------------------------

sql "DROP TRIGGER event_no_update; UPDATE event SET note = 'edited by hand' WHERE id = 2"
is "$(sql "SELECT note FROM event WHERE id = 2")" "edited by hand" \
	"with the trigger dropped, the sqlite3 shell can edit an event"
run pdb check
is "$rc" 1 "check after the edit: exit 1"
like "$out" "event 2" "it names the edited event"
like "$out" "audit chain" "as an audit chain problem"
unlike "$out" ": ok" "it does not say ok"

sql "CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT, 'x'); END"
sqlite3 "$tmp/backup.db" "DROP TRIGGER event_no_delete; DELETE FROM event WHERE id = 3"
run pdb --db "$tmp/backup.db" check
is "$rc" 1 "check after an event was deleted: exit 1"
like "$out" "event 4" "it names the event after the gap"

sqlite3 "$tmp/other.db" "PRAGMA foreign_keys = OFF;
	INSERT INTO cases (code, kind, channel, subject, received, unit_id)
	VALUES (100000000000, 'violation', 'other', 'dangling', 0, 999)"
run pdb --db "$tmp/other.db" check
is "$rc" 1 "a case pointing at a unit that does not exist: exit 1"
like "$out" "foreign key" "reported as a foreign-key problem"

# --- a file that is not there, a file that cannot be written (issue 8) ---------------

# A mistyped path made an empty database that reported ok.
run pdb --db "$tmp/bk/nonexist.db" check
is "$rc" 2 "check of a database that is not there: exit 2"
is "$err" "pdb: $tmp/bk/nonexist.db: no such database (pdb init or pcase-new creates one)" \
	"and it says so"
unlike "$out" "ok" "it does not say ok"
ok "$([ ! -e "$tmp/bk" ]; echo $?)" "and creates nothing, not even the folder"
for cmd in "pcase-list" "pcase-status 1234-5678-9012" "punit list" "pservice list" \
	"pnotify --list" "pcase-route --to hq 1234-5678-9012" "pdb migrate"; do
	# shellcheck disable=SC2086
	PARTAKE_DB=$tmp/typo.db run $cmd
	is "$rc" 2 "PARTAKE_DB=typo.db $cmd: exit 2"
	like "$err" "typo.db: no such database" "$cmd: says so"
done
ok "$([ ! -e "$tmp/typo.db" ]; echo $?)" "none of them created the file"
PARTAKE_DB=$tmp/typo.db run pcase-new -k question -s 'first case' --anonymous
is "$rc" 0 "pcase-new, which adds a record, creates the database"
is "$err" "pcase-new: created the database $tmp/typo.db" "and says so on standard error"
PARTAKE_DB=$tmp/typo.db run pcase-new -k question -s 'second case' --anonymous
is "$err" "" "the second time it says nothing"

# A backup on a read-only mount, or a file owned by another user: readable.
mkdir "$tmp/ro"
ro=$tmp/ro/backup.db
pdb -q --db "$ro" init
a=$(pcase-new --db "$ro" -k complaint -s 'آب قطع است' --phone 09127778800)
pcase-list -q --db "$ro" -Q 'آب' > /dev/null	# the index covers the first case
b=$(pcase-new --db "$ro" -k complaint -s 'آب گل آلود است' --anonymous)
chmod 644 "$ro"
chmod 755 "$tmp" "$tmp/ro"
if [ "$(id -u)" = 0 ]; then
	# As root every file is writable: read as nobody, who owns nothing here.
	as_reader() { as_nobody "$@"; }
else
	chmod a-w "$ro" "$tmp/ro"
	as_reader() { "$@"; }
fi
sum=$(cksum < "$ro")
run as_reader pcase-list --db "$ro"
is "$rc/$out" "0/$(printf '%s\n%s' "$a" "$b")" "pcase-list reads a file it cannot write"
is "$err" "" "with nothing on standard error"
run as_reader pcase-status --db "$ro" -f tsv "$a"
is "$rc" 0 "pcase-status shows a case from it"
like "$out" "آب قطع است" "its subject"
run as_reader pcase-list --db "$ro" -Q 'آب'
is "$rc/$out" "0/$(printf '%s\n%s' "$a" "$b")" \
	"a search finds the indexed case and the one the index does not cover yet"
like "$err" "the 1 cases it does not cover yet are searched by a scan" "and says which way"
run as_reader pcase-list --db "$ro" -Q 'گل'
is "$rc/$out" "0/$b" "a word only the unindexed case has"
run as_reader pdb --db "$ro" check
is "$rc" 0 "pdb check reads it too: exit 0"
like "$out" "ok" "and finds it sound"
is "$err" "" "the check only reads: nothing is left out of it"
run as_reader pdb --db "$ro" check --full
is "$rc" 0 "pdb check --full of it: exit 0"
like "$err" "the full-text index's own check, a write, was left out" "saying what it left out"
run as_reader pcase-route --db "$ro" --to hq "$a"
is "$rc" 2 "a command that writes is refused"
like "$err" "readonly" "saying it cannot write"
is "$(cksum < "$ro")" "$sum" "the file is unchanged"
ls "$tmp/ro" > "$tmp/ro.list"
is "$(cat "$tmp/ro.list")" "backup.db" "and nothing was made beside it"
chmod u+w "$ro" "$tmp/ro"
chmod 700 "$tmp"

# --- holiday files ------------------------------------------------------------------

mkdir "$tmp/holidays"
cp "$top/share/partake/holidays/ir-1405.tsv" "$tmp/holidays/"
printf '%s\nholidays_dir = %s\n' "$base_config" "$tmp/holidays" > "$tmp/partial.conf"
pdb -q --db "$tmp/other2.db" init
run pdb --db "$tmp/other2.db" --config "$tmp/partial.conf" check
like "$out" "1406" "check names the coming year that has no holiday file"
like "$out" "$tmp/holidays/ir-1406.tsv" "and the file it looks for"
unlike "$out" "for 1405" "this year's file is there: not named"
is "$rc" 0 "a missing file for next year alone is not a failure"

rm "$tmp/holidays/ir-1405.tsv"
cp "$top/share/partake/holidays/ir-1404.tsv" "$tmp/holidays/"
run pdb --db "$tmp/other2.db" --config "$tmp/partial.conf" check
like "$out" "for 1405" "a missing file for this year is named"
is "$rc" 1 "and is a problem: exit 1"

run pdb --help
is "$rc" 0 "--help exits 0"
like "$out" "backup" "--help tells of backup"
run pdb --version
like "$out" "pdb (partake) " "--version"

done_testing
