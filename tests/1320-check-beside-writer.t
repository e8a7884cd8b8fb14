#!/bin/bash
# pdb check reads one snapshot in a read transaction and holds no writer:
# a pcase-new made while a check is in the middle of its walk succeeds at
# once, and the check still says ok. The check is held inside its read
# transaction by its heads file, a FIFO that is written only once the
# writer is done, so the two surely overlap.
. "$(dirname "$0")/lib.sh"

pdb init >/dev/null
for i in 1 2 3; do
	pcase-new -k complaint -c desk -s "before the check $i" --phone 09121234567 -q >/dev/null
done
run pdb seal --new-key "$tmp/seal.key"
pub=$out
run pdb seal --key "$tmp/seal.key" --heads "$tmp/heads"
is "$rc" 0 "a seal to prove"

mkfifo "$tmp/fifo"
pdb check --heads "$tmp/fifo" --public-key "$pub" >"$tmp/check.out" 2>"$tmp/check.err" &
check=$!
# It opens the heads file (and waits there for a writer) after quick_check,
# the foreign keys and the attachments, inside its read transaction.
i=0
while [ $i -lt 100 ] && [ "$(cat "/proc/$check/wchan" 2>/dev/null)" != wait_for_partner ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(cat "/proc/$check/wchan" 2>/dev/null)" = wait_for_partner ] || sleep 1	# no wchan: a second
kill -0 "$check" 2>/dev/null
ok $? "pdb check is in the middle of its walk"

t0=$(date +%s%N)
run timeout 20 pcase-new -k complaint -c desk -s 'while the check runs' --phone 09121234567 -q
t1=$(date +%s%N)
is "$rc" 0 "a pcase-new while the check holds its snapshot: exit 0"
[ $(((t1 - t0) / 1000000)) -lt 4000 ]
ok $? "at once, not after a busy wait ($(((t1 - t0) / 1000000)) ms)"
is "$err" "" "with nothing said about waiting"
kill -0 "$check" 2>/dev/null
ok $? "the check was still running then"

# Bounded: a check that ended early has no reader on the FIFO.
timeout 10 sh -c 'cat "$1" >"$2"' sh "$tmp/heads" "$tmp/fifo"
wait "$check"
is "$?" 0 "the check ends ok"
like "$(cat "$tmp/check.out")" "ok (schema $(sql 'PRAGMA user_version'))" "and says so"
is "$(sql "SELECT count(*) FROM cases")" 4 "the case made meanwhile is stored"
run pdb check
is "$rc" 0 "a check after it proves the new case too"

done_testing
