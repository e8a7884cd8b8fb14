# bench/issue16.sh — sourced by bench/run.sh after the intake (issue 16):
# listings and their query plans, peak memory of every command, pdb check,
# single-case writers beside a batch. Uses run.sh's say, sayf, calc,
# run_timed, verdict, $OUT, $N and the JSON run's database $DB.

load() { uptime | sed 's/.*load average: /load /'; }
WRITERS=${BENCH_WRITERS:-4}

# --- 9. listings ---------------------------------------------------------------------
say "9. listings on the JSON run's database ($(load))"
say "   any filter with --limit 100: target ≤ 20 ms; peak RSS of each: target ≤ 64 MB"
say "   (each the median of 5 runs after one untimed run, which reads in the pages it needs:"
say "   the figure is the query's, not this disk's; the slowest of the 5 beside it)"
MAXRSS=0 MAXRSS_WHAT=
keep_rss() { [ "$RSS_KB" -le "$MAXRSS" ] || { MAXRSS=$RSS_KB; MAXRSS_WHAT=$1; }; }
list_timed() { # list_timed LABEL ARGS...: median of 5 runs (ms), verdict against LIST_TARGET (20 ms)
	label=$1 target=${LIST_TARGET:-20}; shift
	PARTAKE_DB=$DB bin/pcase-list "$@" >/dev/null 2>&1 || true
	ms=''
	for i in 1 2 3 4 5; do
		PARTAKE_DB=$DB run_timed list /dev/null "$OUT/list.out" bin/pcase-list "$@" || true
		ms="$ms $(calc "$SECS * 1000")"
		keep_rss "pcase-list $*"
	done
	med=$(median $ms)
	sayf "   %-44s %8.1f ms (slowest %5.1f)  %6.1f MB  %s" "$label" "$med" "$(largest $ms)" \
		"$(calc "$RSS_KB / 1024")" "$(verdict "$med" '<=' "$target")"
}
list_timed "--limit 100 (default order)" --limit 100
list_timed "--kind comment --limit 100" --kind comment --limit 100
list_timed "--channel sms --limit 100" --channel sms --limit 100
list_timed "--state new --limit 100" --state new --limit 100
list_timed "--since 1404-01-01 --limit 100" --since 1404-01-01 --limit 100
list_timed "--until 1403-06-01 --limit 100" --until 1403-06-01 --limit 100
list_timed "--open --limit 100 -f json" --open --limit 100 -f json
say "   a search for a common word (in 18% of the cases): target < 50 ms; a word in none"
LIST_TARGET=50
list_timed "--query شهرداری --limit 1 (a common word)" --query شهرداری --limit 1
list_timed "--query شهرداری --limit 100" --query شهرداری --limit 100
list_timed "--query zzzznothere --limit 1 (no case)" --query zzzznothere --limit 1
LIST_TARGET=20
# A listing of every case goes into a pipe whose far end counts the lines,
# as a listing into grep or a mail does; a file on this disk added its
# write's cost (up to 1.3 s of system time) to ours. Beside each, the floor:
# the sqlite3 shell's own output of the same rows of cases in the same
# order (no cells, calendar, names or encoder of ours), into the same pipe,
# round after round with ours, as intake's floor: what the walk in received
# order costs on this machine in that minute.
rm -f "$OUT/whole.pipe"
mkfifo "$OUT/whole.pipe"
to_pipe() { # to_pipe NAME CMD...: runs CMD into the pipe; sets SECS, RSS_KB and LINES
	name=$1; shift
	wc -l <"$OUT/whole.pipe" >"$OUT/$name.lines" &
	reader=$!
	st=0
	run_timed "$name" /dev/null "$OUT/whole.pipe" "$@" || st=$?
	wait "$reader" || true
	LINES=$(cat "$OUT/$name.lines")
	return $st
}
whole() { # whole LABEL TARGET 'FLOOR MODE' 'FLOOR COLUMNS' ARGS...: every case, 3 rounds
	label=$1 target=$2 fmode=$3 fcols=$4; shift 4
	secs='' kbs='' fsecs='' ratios=''
	for i in 1 2 3; do
		PARTAKE_DB=$DB to_pipe whole bin/pcase-list "$@" || true
		keep_rss "pcase-list $*"
		ours=$SECS rows=$LINES secs="$secs $SECS" kbs="$kbs $RSS_KB"
		# shellcheck disable=SC2086 # the mode may be no word or one
		to_pipe whole-floor sqlite3 $fmode "$DB" "SELECT $fcols FROM cases ORDER BY received, id" || true
		fsecs="$fsecs $SECS" ratios="$ratios $(calc "$SECS / $ours")"
	done
	med=$(median $secs) fmed=$(median $fsecs)
	rate=$(calc "$rows / $med")
	sayf "   %-24s %6.2f s %8.0f rows/s (target ≥ %d, %.2f×)  %5.1f MB  %s" "$label" "$med" \
		"$rate" "$target" "$(calc "$rate / $target")" "$(calc "$(largest $kbs) / 1024")" \
		"$(verdict "$rate" '>=' "$target")"
	sayf "   %-24s %6.2f s %8.0f rows/s; ours ÷ floor %.2f× (rounds%s)" \
		"  floor: sqlite3 ${fmode:--list}" "$fmed" "$(calc "$rows / $fmed")" "$(median $ratios)" \
		"$(printf ' %.2f×' $ratios)"
}
say "   every case (median of 3 rounds, each ours then its floor, into a pipe):"
whole "codes of every case" 500000 "" "code"
whole "-f json of every case" 200000 -json "*" -f json
whole "-f table of every case" 200000 -tabs "code, kind, state, unit_id, received, due, subject" -f table
whole "-l into a pipe (tsv)" 200000 -tabs "*" -l
rm -f "$OUT/whole.pipe"
say "   query plans (EXPLAIN QUERY PLAN; no TEMP B-TREE for the default order; the last: --query"
say "   with --limit over a common word, the listing's order walked; the codes: a COVERING INDEX):"
plan=$(sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT c.code FROM cases c WHERE 1 = 1 ORDER BY c.received, c.id" |
	sed -n 's/^[|`-]*//p' | tr '\n' ';')
sayf "     %-40s %s" "codes of every case" "$plan"
for w in "1 = 1" "c.kind IN ('comment')" "c.channel IN ('sms')" "c.state IN ('new')" \
    "c.received >= 1700000000" "c.service_id = (SELECT id FROM service WHERE code = 'x')" \
    "EXISTS (SELECT 1 FROM case_text WHERE case_text MATCH '\"x\"' AND rowid = c.id)"; do
	plan=$(sqlite3 "$DB" "EXPLAIN QUERY PLAN SELECT c.code FROM cases c WHERE $w ORDER BY c.received, c.id LIMIT 100" |
		sed -n 's/^[|`-]*//p' | tr '\n' ';')
	sayf "     %-40s %s" "$w" "$plan"
done
say ""

# --- 10. pdb check --------------------------------------------------------------------
say "10. pdb check ($(load)): default target ≤ 5 s at 1M, never holding a writer"
for mode in default full; do
	set -- check
	[ "$mode" = default ] || set -- check --full
	if PARTAKE_DB=$DB run_timed "check-$mode" /dev/null "$OUT/check-$mode.out" bin/pdb "$@"; then
		keep_rss "pdb $*"
		per=$(calc "$SECS * 1000000 / $N")
		if [ "$mode" = default ]; then v=$(verdict "$per" '<=' 5); else v="(no target)"; fi
		sayf "   pdb %-14s %7.2f s  %.2f s a million cases  %6.1f MB  %s" "$*" "$SECS" "$per" \
			"$(calc "$RSS_KB / 1024")" "$v"
	else
		say "   pdb $* failed: $(tail -n 2 "$OUT/check-$mode.err") $(tail -n 2 "$OUT/check-$mode.out")"
	fi
done
# A writer while the default check runs: its read transaction holds no one.
PARTAKE_DB=$DB bin/pdb check >/dev/null 2>&1 &
chk=$!
sleep 0.5
t0=$(now_ns)
PARTAKE_DB=$DB bin/pcase-new -k violation -s 'during the check' -q >/dev/null 2>"$OUT/during-check.err"
st=$? t1=$(now_ns)
sayf "   a pcase-new while the check runs: exit %d in %.0f ms  %s" "$st" "$(calc "($t1 - $t0) / 1e6")" \
	"$([ "$st" = 0 ] && echo PASS || echo MISS)"
wait "$chk" || true
say ""

# --- 11. memory of every command ------------------------------------------------------------
say "11. peak RSS of every command run above over $N cases (target ≤ 64 MB)"
for f in json tsv; do eval "RSS_KB=\${RSS_$f:-0}"; keep_rss "pcase-new --batch ($f)"; done
PARTAKE_DB=$DB run_timed status /dev/null /dev/null bin/pcase-status "$(head -n 1 "$OUT/json.codes")" -l || true
keep_rss "pcase-status -l"
PARTAKE_DB=$DB run_timed index /dev/null /dev/null bin/pdb index || true
keep_rss "pdb index"
sayf "   the largest: %.1f MB (%s)  %s" "$(calc "$MAXRSS / 1024")" "$MAXRSS_WHAT" \
	"$(verdict "$MAXRSS" '<=' 65536)"
say ""

# --- 12. single-case writers beside a batch ----------------------------------------------------
BATCH_W=$((N / 5)); [ "$BATCH_W" -ge 1000 ] || BATCH_W=1000
say "12. $WRITERS single-case pcase-new beside a batch of $BATCH_W ($(load)): every one must succeed"
wdb=$OUT/writers.db
rm -f "$wdb" "$wdb-wal" "$wdb-shm"
PARTAKE_DB=$wdb bin/pdb init >/dev/null
head -n "$BATCH_W" "$OUT/cases.jsonl" >"$OUT/writers.jsonl"
t0=$(now_ns)
PARTAKE_DB=$wdb bin/pcase-new --batch -q <"$OUT/writers.jsonl" >/dev/null 2>"$OUT/writers-batch.err" &
bpid=$!
sleep 1
i=0
while [ $i -lt "$WRITERS" ]; do
	( s0=$(now_ns)
	  PARTAKE_DB=$wdb bin/pcase-new -k complaint -c desk -s "at the desk $i" --phone 09121234567 -q \
	      >/dev/null 2>>"$OUT/writers-$i.err"
	  echo "$? $(( ($(now_ns) - s0) / 1000000 ))" >"$OUT/writer-$i.rc" ) &
	i=$((i + 1))
done
wait
t1=$(now_ns)
okw=$(cat "$OUT"/writer-*.rc | awk '$1 == 0' | wc -l)
waits=$(cat "$OUT"/writer-*.rc | awk '{ print $2 }' | sort -n | tr '\n' ' ')
sayf "   batch + writers %.1f s; writers exit 0: %d of %d (waited ms: %s)  %s" \
	"$(calc "($t1 - $t0) / 1e9")" "$okw" "$WRITERS" "$waits" \
	"$([ "$okw" -eq "$WRITERS" ] && echo PASS || echo MISS)"
rm -f "$OUT"/writer-*.rc "$OUT"/writers-*.err "$wdb" "$wdb-wal" "$wdb-shm"
say ""
