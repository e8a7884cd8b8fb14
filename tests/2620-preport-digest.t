#!/bin/bash
# preport digest: what is new since a unit's last digest, due within 2
# working days, overdue; --mail queues it (text and HTML) and records the
# digest in the chain, so a second run the same day sends nothing and a
# missed night loses nothing. And the published head of the chain: pdb
# check --against the monthly report proves the history up to it, and
# fails when an old event is changed after publication, or the chain cut.
. "$(dirname "$0")/lib.sh"

export PARTAKE_NOW=2026-11-01T05:00:00Z	# 1405-08-10 08:30 in Tehran
punit add ops --name 'عملیات' --email ops@agency.example >/dev/null
punit add quiet --name 'بی‌کار' --email quiet@agency.example >/dev/null
punit add noaddr --name 'بی‌نشانی' >/dev/null
c1=$(pcase-new -q -k complaint -c portal -s 'اول' --anonymous)
pcase-route -q --to ops "$c1" >/dev/null
digests() { sql "SELECT count(*) FROM outbox WHERE key LIKE 'digest:%'"; }

run preport digest --unit ops -f tsv
is "$(echo "$out" | head -1)" "unit	part	code	kind	state	received	due	days	subject" "the header"
is "$(echo "$out" | sed 1d | cut -f2,3 | tr '\t' ' ')" "new $c1" "a first digest: what waits as routed"
is "$(digests)" 0 "without --mail nothing is queued"

run preport digest --each-unit --mail -f tsv
is "$rc" 0 "--each-unit --mail: exit 0"
like "$err" "ops: queued (1 new, 0 due, 0 overdue)" "says what it queued"
like "$err" "quiet: nothing to tell" "a unit with nothing gets no mail"
unlike "$err" "noaddr" "a unit with no address is not asked"
is "$(digests)" 1 "one mail queued"
is "$(sql "SELECT recipient FROM outbox WHERE key LIKE 'digest:%'")" "ops@agency.example" "to the unit's address"
like "$(sql "SELECT html FROM outbox WHERE key LIKE 'digest:%'")" '<html lang="fa" dir="rtl">' "with an HTML part"
like "$(sql "SELECT body FROM outbox WHERE key LIKE 'digest:%'")" "تازه از آخرین خلاصه" "and a text body"
is "$(sql "SELECT count(*) FROM unit_digest")" 1 "the digest is recorded"
is "$(sql "SELECT what || ' ' || subject_kind || ' ' || subject FROM event ORDER BY id DESC LIMIT 1")" "digest digest ops" \
	"as an event of the chain"

run preport digest --each-unit --mail
like "$err" "ops: had its digest today: nothing sent" "a second run the same day sends nothing"
is "$(digests)" 1 "still one mail"

# Two nights later (one missed): what was routed since, and what is due and overdue.
export PARTAKE_NOW=2026-11-03T05:00:00Z
c2=$(pcase-new -q -k complaint -c sms -s 'دوم' --anonymous)
pcase-route -q --to ops "$c2" >/dev/null
export PARTAKE_NOW=2026-11-14T05:00:00Z
c3=$(pcase-new -q -k request -c portal -s 'سوم' --anonymous)
pcase-route -q --to ops "$c3" >/dev/null
run preport digest --unit ops --mail -f tsv
is "$(echo "$out" | awk -F'\t' '$2 == "new" { print $3 }' | tr '\n' ' ')" "$c2 $c3 " \
	"new: both cases routed since the last digest, the missed night's too; not the one told before"
due1=$(sql "SELECT due FROM cases WHERE code = $c1")
python3 - "$due1" "$(sql "SELECT due FROM cases WHERE code = $c2")" >"$tmp/expect" <<'PY'
import sys, datetime as dt
now = dt.datetime(2026, 11, 14, 5, 0, tzinfo=dt.timezone.utc).timestamp()
for d in sys.argv[1:]:
    print("overdue" if int(d) < now else "later")
PY
is "$(echo "$out" | awk -F'\t' '$3 == "'"$c1"'" { print $2 }')" "$(sed -n 1p "$tmp/expect")" "c1 is where its deadline puts it"
is "$(digests)" 2 "the second digest queued"
export PARTAKE_NOW=2026-11-15T05:00:00Z
run preport digest --unit ops -f tsv
is "$(echo "$out" | awk -F'\t' '$2 == "new"' | wc -l)" 0 "nothing new since the last digest"
run pdb check
is "$rc" 0 "pdb check: the digests are records of the chain that check out"

run preport digest
is "$rc" 64 "digest needs --unit or --each-unit"
run preport digest --unit nosuch
is "$rc" 1 "no such unit: exit 1"

# --- the published head --------------------------------------------------------------
export PARTAKE_NOW=2026-11-22T08:00:00Z
preport monthly --month 1405-08 --html "$tmp/aban.html" >/dev/null
preport monthly --month 1405-08 -f json >"$tmp/aban.json"
run pdb check --against "$tmp/aban.html"
is "$rc" 0 "--against the page: exit 0"
like "$out" "the chain runs through the head it published: no event up to it was changed" "says so"
run pdb check --against "$tmp/aban.json"
is "$rc" 0 "--against the JSON report too"
echo 'no head here' >"$tmp/none.txt"
run pdb check --against "$tmp/none.txt"
is "$rc" 2 "a file with no head: exit 2"
like "$err" "no head of the audit chain in it" "… said"
pcase-new -q -k complaint -c portal -s 'بعد' --anonymous >/dev/null
run pdb check --against "$tmp/aban.html"
is "$rc" 0 "events added after the head change nothing"

# Someone rewrites an old event after the report was published.
sqlite3 "$PARTAKE_DB" ".backup $tmp/keep.db"
sqlite3 "$PARTAKE_DB" "DROP TRIGGER event_no_update; UPDATE event SET note = 'دست‌کاری' WHERE id = 3;"
run pdb check --against "$tmp/aban.html"
is "$rc" 1 "a changed event: exit 1"
like "$out" "1 of the 1 heads it published is not proven: the history up to it was changed since" "says so"
like "$out" "audit seal: $tmp/aban.html: events=" "naming the head"
# … and puts another hash on it.
sqlite3 "$PARTAKE_DB" "UPDATE event SET hash = zeroblob(32) WHERE id = 3;"
run pdb check --against "$tmp/aban.html"
is "$rc" 1 "a hash replaced: exit 1"
# The chain cut short before the head.
sqlite3 "$tmp/keep.db" "DROP TRIGGER event_no_delete; DELETE FROM event WHERE id > 5;"
run pdb --db "$tmp/keep.db" check --against "$tmp/aban.html"
is "$rc" 1 "a chain cut before the head: exit 1"
like "$out" "the chain ends at event 5" "says where it ends"

done_testing
