#!/bin/bash
# The audit trail against someone who can write the database file (issue 15):
# each way of rewriting it, done with the sqlite3 shell or python3's sqlite3,
# is caught by pdb check, naming the record or the event; those no hash can
# show (a chain rewritten and hashed again, cut short, renumbered) are caught
# by a seal: pdb seal signs the chain's head with a key the writer cannot
# read, pdb check --heads proves it. Then what a seal does not prove.
. "$(dirname "$0")/lib.sh"
export PATH

# The hash forms of lib/audit.c, in Python: what an attacker who read the
# source would write to rehash the chain after an edit.
cat >"$tmp/chain.py" <<'PY'
import hashlib, sqlite3, struct, sys

def field(h, v):
    if v is None:
        h.update(struct.pack("<Q", 2**64 - 1))
        return
    if isinstance(v, int):
        v = str(v)
    if isinstance(v, str):
        v = v.encode()
    h.update(struct.pack("<Q", len(v)))
    h.update(v)

def event_hash(prev, e):
    h = hashlib.sha256(prev)
    if e["hash_form"] >= 5:
        field(h, e["hash_form"])
    field(h, e["id"] if e["hash_form"] == 2 else e["subject_kind"])
    if e["hash_form"] >= 4:
        field(h, e["subject_id"])
    for k in ("subject", "at", "who", "what", "before", "after", "note"):
        field(h, e[k])
    if e["hash_form"] >= 4:
        field(h, e["record_digest"])
        field(h, e["outbox_upto"] or 0)
        field(h, e["outbox_digest"])
    return h.digest()

CASE = ("SELECT code, kind, channel, service_id, unit_id, state, subject, body, name, phone,"
        " email, national_id, anonymous, received, due, answered, closed, outcome, action,"
        " answer, source_id, source_digest FROM cases WHERE id = ?")
CASE_PARTS = ("SELECT member, opinion, note, at FROM review_opinion WHERE case_id = ? ORDER BY member",
              "SELECT level, at FROM overdue_notice WHERE case_id = ? ORDER BY level",
              "SELECT kind, name, type, size, sha256, note FROM attachment WHERE case_id = ? ORDER BY id")

def case_digest(db, case_id):
    row = db.execute(CASE, (case_id,)).fetchone()
    if row is None:
        return None
    h = hashlib.sha256()
    field(h, "case")
    for v in row:
        field(h, v)
    for sql in CASE_PARTS:
        rows = db.execute(sql, (case_id,)).fetchall()
        part = hashlib.sha256()
        for r in rows:
            for v in r:
                field(part, v)
        field(h, len(rows))
        field(h, part.digest())
    return h.digest()

def rehash(db, start):
    """Every hash from event `start` on, from the stored hash before it."""
    prev = b"\0" * 32
    for e in db.execute("SELECT * FROM event ORDER BY id").fetchall():
        if e["id"] >= start:
            db.execute("UPDATE event SET hash = ? WHERE id = ?", (event_hash(prev, e), e["id"]))
            prev = event_hash(prev, e)
        else:
            prev = e["hash"]

db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.row_factory = sqlite3.Row
db.execute("DROP TRIGGER IF EXISTS event_no_update")
db.execute("DROP TRIGGER IF EXISTS event_no_delete")
db.execute("BEGIN")
what, arg = sys.argv[2], int(sys.argv[3])
if what == "rehash":            # after an edit of event arg
    rehash(db, arg)
elif what == "renumber":        # event arg deleted, the later ones moved down
    db.execute("DELETE FROM event WHERE id = ?", (arg,))
    for (i,) in db.execute("SELECT id FROM event WHERE id > ? ORDER BY id", (arg,)).fetchall():
        db.execute("UPDATE event SET id = ? WHERE id = ?", (i - 1, i))
    rehash(db, arg)
elif what == "redigest":        # the case's last event made to record the case as it is now
    last = db.execute("SELECT max(id) FROM event WHERE subject_kind = 'case' AND subject_id = ?",
                      (arg,)).fetchone()[0]
    db.execute("UPDATE event SET record_digest = ? WHERE id = ?", (case_digest(db, arg), last))
    rehash(db, last)
elif what == "downgrade":       # events from arg on made form 3: no digests to check
    db.execute("UPDATE event SET hash_form = 3, record_digest = NULL, outbox_upto = NULL,"
               " outbox_digest = NULL WHERE id >= ?", (arg,))
    rehash(db, arg)
db.execute("COMMIT")
PY
chain() { python3 "$tmp/chain.py" "$@"; }

# --- a day's work, then a seal ------------------------------------------------------

punit add permits --name 'واحد صدور پروانه' --email permits@agency.example.ir >/dev/null
pservice add permit --name 'پروانه ساختمان' --unit permits --deadline 5 >/dev/null
a=$(pcase-new -k complaint -s 'صف طولانی' --phone 09121234567 --unit permits)
b=$(pcase-new -k request -s 'درخواست پروانه' --email b@example.ir --service permit)
export PARTAKE_NOW=2026-11-23T08:00:00Z
pcase-status --set in-progress "$a" >/dev/null
pcase-answer "$a" --outcome accepted --action process --text 'نوبت‌دهی اصلاح شد.' >/dev/null
export PARTAKE_NOW=2026-11-24T08:00:00Z
pcase-status --set waiting --note 'کدام باجه؟' "$b" >/dev/null
pnotify --opt-out 09351112233 >/dev/null
ida=$(sql "SELECT id FROM cases WHERE code = $a")
idb=$(sql "SELECT id FROM cases WHERE code = $b")
events=$(sql "SELECT count(*) FROM event")
is "$(sql "SELECT DISTINCT hash_form FROM event")" 5 "every event is of hash form 5 ($events events)"
is "$(sql "SELECT count(*) FROM event WHERE length(record_digest) = 32")" "$events" \
	"each with the digest of its record"
[ "$(sql "SELECT count(*) FROM outbox")" -gt 3 ] && [ "$(sql "SELECT max(outbox_upto) FROM event")" -gt 0 ]
ok $? "notices are queued, and later events cover them"

run pdb check
is "$rc" 0 "a clean database passes pdb check"
like "$out" "ok (schema $(sql "PRAGMA user_version"))" "and says ok"

run pdb seal --new-key "$tmp/seal.key"
is "$rc" 0 "pdb seal --new-key: exit 0"
pub=$out
[[ $pub =~ ^[0-9a-f]{64}$ ]]
ok $? "it prints the public key, 64 hex digits"
is "$(stat -c %a "$tmp/seal.key")" 600 "the secret key file has mode 0600"
like "$(cat "$tmp/seal.key")" "Public key: $pub" "and names its public key"
run pdb seal --new-key "$tmp/seal.key"
is "$rc" 2 "--new-key over an existing key file: exit 2"
like "$err" "exists already" "it is not overwritten"
run pdb check --new-key "$tmp/k2"
like "$rc/$err" "64/pdb: --new-key goes with seal" "--new-key goes with seal only"

heads=$tmp/heads
run pdb seal --key "$tmp/seal.key" --heads "$heads"
is "$rc" 0 "pdb seal: exit 0"
is "$rc/$out" "0/$(cat "$heads" 2>/dev/null)" "the seal printed is the line appended to the heads file"
like "$out" "partake-seal 1 events=$events last=$events hash=$(sql "SELECT lower(hex(hash)) FROM event WHERE id = $events") at=2026-11-24T08:00:00Z key=${pub:0:16} sig=" \
	"one line: the count, the last event, its hash, the time, the key"
is "$(wc -l <"$heads")" 1 "one seal in the file"

run pdb check --heads "$heads" --public-key "$pub"
is "$rc" 0 "pdb check --heads: the chain is the one sealed"
like "$out" "ok (schema $(sql "PRAGMA user_version"))" "ok"
printf '%s\nseal_key_file = %s\nseal_heads = %s\nseal_public_key = %s\n' \
	"$base_config" "$tmp/seal.key" "$heads" "$pub" >"$PARTAKE_CONFIG"
run pdb check
is "$rc/$err" "0/" "the config's seal_heads and seal_public_key: pdb check proves them"

# --- a wrong key, a forged seal ----------------------------------------------------------

other=$(pdb seal --new-key "$tmp/other.key")
run pdb check --public-key "$other"
is "$rc" 1 "the seals checked with another public key: exit 1"
like "$out" "audit seal: $heads:1: signed by another key" "the seal's key is not that one"
run pdb check --public-key 1234
is "$rc" 2 "a public key that is not 64 hex digits: exit 2"
like "$err" "not 64 hex digits" "saying so"
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"
run pdb check --heads "$heads"
is "$rc" 2 "seals to prove and no public key: exit 2"
like "$err" "no public key" "saying so"
run pdb check --heads "$tmp/none" --public-key "$pub"
is "$rc" 2 "a heads file that is not there: exit 2"

sed "s/events=$events last=$events/events=$((events - 1)) last=$((events - 1))/" "$heads" >"$tmp/forged"
run pdb check --heads "$tmp/forged" --public-key "$pub"
is "$rc" 1 "a seal edited to claim fewer events: exit 1"
like "$out" "audit seal: $tmp/forged:1: its signature does not verify" "its signature gives it away"
other_seal=$(pdb seal --key "$tmp/other.key")
run pdb check --heads <(printf '%s\n' "$other_seal") --public-key "$pub"
is "$rc" 1 "a seal made with another key: exit 1"
like "$out" "signed by another key" "is not accepted"
printf 'partake-seal 1 events=1 last=1\n' >"$tmp/junk"
run pdb check --heads "$tmp/junk" --public-key "$pub"
is "$rc" 1 "a line that is no seal: exit 1"
like "$out" "$tmp/junk:1: not a seal" "named by file and line"

chmod 644 "$tmp/seal.key"
run pdb seal --key "$tmp/seal.key"
is "$rc" 2 "a secret key anyone can read: pdb seal refuses"
like "$err" "anyone can read it" "saying why"
chmod 600 "$tmp/seal.key"
run pdb seal
is "$rc" 2 "no key to seal with: exit 2"
like "$err" "seal_key_file" "naming the config key"

# Each way in, on a copy of the sealed database. A copy is checked with and without the seal.
copy() { rm -f "$tmp/$1.db"; pdb -q backup "$tmp/$1.db"; echo "$tmp/$1.db"; }
check() { run pdb --db "$1" check; }
sealed() { run pdb --db "$1" check --heads "$heads" --public-key "$pub"; }

# --- editing an event -----------------------------------------------------------------------

db=$(copy edit)
sqlite3 "$db" "DROP TRIGGER event_no_update; UPDATE event SET note = 'by hand' WHERE id = 4"
chain "$db" rehash 4
check "$db"; plain=$rc
sealed "$db"
is "$plain/$rc" "0/1" "an event edited and every later hash computed again: only the seal catches it"
like "$out" "audit seal: $heads:1 (event $events, sealed 2026-11-24T08:00:00Z): the event is not the one sealed" \
	"the sealed head no longer hashes to the chain"

db=$(copy downgrade)
chain "$db" downgrade 5
check "$db"
is "$rc" 1 "events rewritten in the old form, without their digests, and hashed again: exit 1"
like "$out" "audit chain: event 5 (" "naming the first of them"
like "$out" "older hash form than an event before it" "as a form older than the one before"

# --- deleting events ------------------------------------------------------------------------

db=$(copy tail)
last_a=$(sql "SELECT max(id) FROM event WHERE subject_kind = 'case' AND subject_id = $ida")
sqlite3 "$db" "DROP TRIGGER event_no_delete; DELETE FROM event WHERE id >= $last_a"
check "$db"
is "$rc" 1 "the last events deleted: exit 1"
like "$out" "audit chain: case $a: changed outside partake: it is not as its last event" \
	"the answered case no longer matches the event left last"
# The same, with the records put back as the deleted events found them, and
# the notices they queued deleted too: no digest can tell.
python3 - "$db" "$ida" "$idb" "$last_a" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
a, b, first = (int(v) for v in sys.argv[2:])
db.execute("UPDATE cases SET state = 'in-progress', answer = NULL, outcome = NULL, action = NULL,"
           " answered = NULL WHERE id = ?", (a,))
db.execute("UPDATE cases SET state = 'routed' WHERE id = ?", (b,))
db.execute("DELETE FROM opt_out")
db.execute("DELETE FROM outbox WHERE CAST(substr(key, instr(key, ':') + 1) AS INTEGER) >= ?", (first,))
db.commit()
PY
check "$db"; plain=$rc
sealed "$db"
is "$plain/$rc" "0/1" "the last events deleted and their records put back: only the seal catches it"
like "$out" "the chain ends at event $((last_a - 1)): the events up to the sealed one were removed" \
	"the chain is shorter than the sealed head"

db=$(copy middle)
chain "$db" renumber 3
check "$db"; plain=$rc
sealed "$db"
is "$plain/$rc" "0/1" "a middle event deleted, the later ones renumbered and hashed again: only the seal catches it"
like "$out" "the chain ends at event $((events - 1))" "the sealed event is not there"

db=$(copy all)
sqlite3 "$db" "DROP TRIGGER event_no_delete; DELETE FROM event"
check "$db"
is "$rc" 1 "every event deleted: exit 1"
like "$out" "audit chain: case $a: no event records it" "a case with no event is named"
like "$out" "audit chain: unit permits: no event records it" "so is a unit"
like "$out" "audit chain: service permit: no event records it" "and a service"
sealed "$db"
like "$out" "the chain ends at event 0" "the seal: the sealed events are gone"

# --- editing a record -----------------------------------------------------------------------

for edit in "answer = 'پاسخ دیگر'" "phone = '09129999999'" "state = 'closed'" "due = due + 86400 * 30"; do
	db=$(copy record)
	sqlite3 "$db" "UPDATE cases SET $edit WHERE id = $ida"
	check "$db"
	is "$rc" 1 "cases.${edit%% *} changed with the sqlite3 shell: exit 1"
	like "$out" "audit chain: case $a: changed outside partake: it is not as its last event (event $last_a, answer) left it" \
		"… naming the case and its last event"
done
db=$(copy redigest)
sqlite3 "$db" "UPDATE cases SET due = due + 86400 * 30 WHERE id = $idb"
chain "$db" redigest "$idb"
check "$db"; plain=$rc
sealed "$db"
is "$plain/$rc" "0/1" "a due date moved, the case's last digest forged and the chain hashed again: only the seal catches it"

db=$(copy unit)
sqlite3 "$db" "UPDATE unit SET email = 'elsewhere@example.com'"
check "$db"
like "$out" "audit chain: unit permits: changed outside partake" "a unit's address changed: caught"
db=$(copy service)
sqlite3 "$db" "UPDATE service SET deadline_days = 30"
check "$db"
like "$out" "audit chain: service permit: changed outside partake" "a service's deadline changed: caught"
db=$(copy optout)
sqlite3 "$db" "DELETE FROM opt_out"
check "$db"
is "$rc" 1 "an opt-out deleted: exit 1"
like "$out" "audit chain: contact 09351112233: removed outside partake" "the address is named"
db=$(copy unitgone)
sqlite3 "$db" "PRAGMA foreign_keys = OFF; DELETE FROM service; DELETE FROM unit"
check "$db"
like "$out" "audit chain: unit permits: removed outside partake" "a unit deleted: caught"

db=$(copy nocase)
sqlite3 "$db" "INSERT INTO cases (code, kind, channel, subject, received) VALUES (100000000009, 'complaint', 'desk', 'بی‌سابقه', 0)"
check "$db"
is "$rc" 1 "a case with no event: exit 1"
like "$out" "audit chain: case 100000000009: no event records it: added outside partake" "named by its code"

# --- the outbox ------------------------------------------------------------------------------

db=$(copy outbox)
sqlite3 "$db" "DELETE FROM outbox"
check "$db"
is "$rc" 1 "a wiped outbox: exit 1"
like "$out" "the outbox items it covers (1 to " "the events that cover the items say so"
db=$(copy outbox2)
sqlite3 "$db" "UPDATE outbox SET body = 'متن دیگر' WHERE id = 1"
check "$db"
like "$out" "audit chain: event " "a notice's text changed: caught"

# --- time and writers ------------------------------------------------------------------------

db=$(copy clock)
PARTAKE_NOW=2026-11-20T08:00:00Z pcase-status --db "$db" --set in-progress "$b" >/dev/null
PARTAKE_NOW=2026-11-20T08:00:00Z pcase-answer --db "$db" "$b" --outcome info --text 'پاسخ پیش‌دستانه' >/dev/null
check "$db"
is "$rc" 1 "PARTAKE_NOW set back, an answer dated before the events before it: exit 1"
like "$out" "audit chain: event $((events + 1)) (case $b): dated 2026-11-20T08:00:00Z, more than an hour before the event before it (2026-11-24T08:00:00Z)" \
	"naming the event and both times"
db=$(copy slack)
PARTAKE_NOW=2026-11-24T07:30:00Z pcase-status --db "$db" --set in-progress "$b" >/dev/null
PARTAKE_NOW=2026-11-24T06:00:00Z pcase-status --db "$db" --set waiting --note 'دوباره' "$b" >/dev/null
check "$db"
is "$rc/$(echo "$out" | grep -c 'a clock was set back')" "1/1" \
	"half an hour back is within the slack (a run dates all its events at its start), an hour and a half is not"
like "$out" "event $((events + 2)) (case $b): dated 2026-11-24T06:00:00Z" "the second is named"

db=$(copy who)
PARTAKE_USER=mallory pcase-status --db "$db" --set in-progress "$b" >/dev/null
check "$db"; plain=$rc
printf '%s\nusers = tester, admin\n' "$base_config" >"$PARTAKE_CONFIG"
check "$db"
is "$plain/$rc" "0/1" "an event by someone else: accepted with no users in the config, exit 1 with users = tester, admin"
like "$out" "audit chain: event $((events + 1)) (case $b): written by 'mallory', who is not among the users" \
	"naming the event and the writer"
check "$PARTAKE_DB"
is "$rc" 0 "the events by tester alone pass"
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"

# --- what a seal proves, and what it does not ---------------------------------------------------

export PARTAKE_NOW=2026-11-25T08:00:00Z
pcase-status --set in-progress "$b" >/dev/null
db=$(copy after)
after=$(sql "SELECT max(id) FROM event")
sqlite3 "$db" "DROP TRIGGER event_no_update; UPDATE event SET note = 'by hand' WHERE id = $after"
chain "$db" rehash "$after"
sealed "$db"
is "$rc" 0 "an event after the sealed head, edited and hashed again: the seal does not reach it"
run pdb seal --key "$tmp/seal.key" --heads "$heads"
is "$rc" 0 "a second seal"
is "$(wc -l <"$heads")" 2 "appended to the heads file"
sealed "$db"
is "$rc" 1 "the later seal catches it"
like "$out" "$heads:2 (event $after, sealed 2026-11-25T08:00:00Z)" "naming the later seal"

db=$(copy broken)
sqlite3 "$db" "DROP TRIGGER event_no_update; UPDATE event SET note = 'by hand' WHERE id = 2"
run pdb --db "$db" seal --key "$tmp/seal.key" --heads "$tmp/heads-broken"
is "$rc/$(cat "$tmp/heads-broken" 2>&1)" "1/cat: $tmp/heads-broken: No such file or directory" \
	"pdb seal of a chain that does not check out: exit 1, and nothing is sealed"
like "$out" "audit chain: event 2" "naming the problem"
cp "$heads" "$tmp/heads-rehashed"
chain "$db" rehash 2
run pdb --db "$db" seal --key "$tmp/seal.key" --heads "$tmp/heads-rehashed"
is "$rc" 1 "nor a chain rehashed since the last seal in its heads file"
is "$(wc -l <"$tmp/heads-rehashed")" 2 "the heads file is left as it was"

# The sealer needs to read the database, not to write it.
if [ "$(id -u)" = 0 ]; then
	cp "$PARTAKE_DB" "$tmp/ro.db"
	chmod 644 "$tmp/ro.db"
	chmod 755 "$tmp"
	cp "$tmp/seal.key" "$tmp/nobody.key"
	chown 65534 "$tmp/nobody.key"
	run as_nobody pdb --db "$tmp/ro.db" seal --key "$tmp/nobody.key"
	is "$rc" 0 "another user seals a database it can only read"
	like "$out" "partake-seal 1 events=" "printing the seal"
	chmod 700 "$tmp"
else
	ok 0 "# skip: not root, no second user to seal as"
	ok 0 "# skip: not root"
fi

done_testing
