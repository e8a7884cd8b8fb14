#!/bin/bash
# A batch's codes when random codes collide (issue 16): intake holds a
# batch's rows and stores a few hundred at a time, so a code is looked up
# before its row is put, not refused as the row goes in. With a random
# source that gives every block of bytes twice (tests/data/twice-random.c),
# codes repeat within one group of lines and across groups; each case must
# still get a code of its own, every one printed is stored, and the audit
# chain holds.
. "$(dirname "$0")/lib.sh"

cc=${CC:-cc}
if ! "$cc" -shared -fPIC -o "$tmp/twice-random.so" "$top/tests/data/twice-random.c" 2>"$tmp/cc.err"; then
	echo "1..0 # skip no C compiler for the shim: $(head -n 1 "$tmp/cc.err")"
	exit 0
fi
python3 "$top/bench/gen-cases.py" cases 3000 "$tmp/cases.jsonl" "$tmp/cases.tsv" >/dev/null
pdb -q init

twice() {
	TWICE_RANDOM_LOG=$tmp/redrawn LD_PRELOAD=$tmp/twice-random.so "$@"
}

for form in json tsv; do
	rm -f "$PARTAKE_DB" "$PARTAKE_DB-wal" "$PARTAKE_DB-shm"
	pdb -q init
	if [ $form = json ]; then
		twice pcase-new --batch -q < "$tmp/cases.jsonl" > "$tmp/codes" 2> "$tmp/err"
	else
		twice pcase-new --batch --tsv -q < "$tmp/cases.tsv" > "$tmp/codes" 2> "$tmp/err"
	fi
	is "$?" 0 "$form: the batch is stored"
	is "$(cat "$tmp/err")" "" "$form: nothing on standard error"
	[ "$(cat "$tmp/redrawn")" -gt 0 ]
	ok $? "$form: codes were taken and drawn again ($(cat "$tmp/redrawn") blocks of random bytes)"
	is "$(wc -l < "$tmp/codes")" 3000 "$form: 3000 codes printed"
	is "$(sort -u "$tmp/codes" | wc -l)" 3000 "$form: no two alike"
	is "$(sql "SELECT code FROM cases ORDER BY id" | tr -d ' ')" "$(tr -d ' ' < "$tmp/codes")" \
		"$form: each line's case has the code printed for it, in the order of the lines"
	is "$(sql "SELECT count(*) FROM event WHERE subject_kind = 'case' AND what = 'received'")" 3000 \
		"$form: a first event for each"
	run pdb check
	is "$rc" 0 "$form: pdb check finds the chain and the keys whole"
done

# Codes taken by cases stored before the batch are looked up too: half
# of those the next batch draws are the first one's.
before=$(sql "SELECT count(*) FROM cases")
head -n 500 "$tmp/cases.jsonl" | TWICE_RANDOM_NEW=1 twice pcase-new --batch -q > "$tmp/more" 2> "$tmp/err"
is "$?" 0 "a second batch, drawing the same codes again, is stored"
is "$(cat "$tmp/err")" "" "nothing on standard error"
is "$(cat "$tmp/more" "$tmp/codes" | sort -u | wc -l)" 3500 "its 500 codes are new ones"
is "$(sql "SELECT count(*) FROM cases")" $((before + 500)) "and 500 cases more are stored"

done_testing
