#!/bin/sh
# tests/fuzz/run.sh DIR SECONDS TARGET... — runs each fuzz target built in
# DIR (make fuzz-build) for SECONDS, one after the other, over its seeds
# (tests/fuzz/corpus/TARGET, read only) and what earlier runs found
# (DIR/corpus/TARGET, where libFuzzer adds the inputs that reach new code),
# with its dictionary (tests/fuzz/TARGET.dict) when there is one. An input
# that crashes, trips a sanitizer or an assertion, leaks, runs longer than
# TIMEOUT seconds or takes more than RSS_MB is kept in DIR/crashes/, and
# the whole run fails at the end. One line a target: executions, seconds,
# what came of it; libFuzzer's own log is DIR/TARGET.log.
#
# To go again over one input: DIR/TARGET DIR/crashes/TARGET-crash-…
set -u
src=$(cd "$(dirname "$0")" && pwd)
dir=$1 seconds=$2
shift 2
timeout_s=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
mkdir -p "$dir/crashes"
failed=0 total_runs=0

# stat NAME LOG: a number of libFuzzer's final statistics (-print_final_stats).
stat() { sed -n "s/^stat::$1: *\([0-9]*\)$/\1/p" "$2" | tail -n 1; }

printf 'fuzz: %-12s %10s %8s  %s\n' target runs seconds result
for t in "$@"; do
	log=$dir/$t.log
	mkdir -p "$dir/corpus/$t"
	dict=
	[ -f "$src/$t.dict" ] && dict=-dict=$src/$t.dict
	start=$(date +%s)
	# The folders of the target's own files; TMPDIR keeps them off the tree.
	"$dir/$t" -max_total_time="$seconds" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" \
		-print_final_stats=1 -artifact_prefix="$dir/crashes/$t-" $dict \
		"$dir/corpus/$t" "$src/corpus/$t" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	runs=$(stat number_of_executed_units "$log")
	# A crash stops libFuzzer before its statistics: the last progress line counts.
	[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]].*/\1/p' "$log" | tail -n 1)
	runs=${runs:-0}
	total_runs=$((total_runs + runs))
	if [ "$rc" -eq 0 ]; then
		result=ok
	else
		failed=$((failed + 1))
		kept=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		why=$(grep -m 1 -E '^==[0-9]+==( ERROR:|ERROR:)|^SUMMARY:|runtime error|^fuzz: |ALARM|out-of-memory' "$log" |
			sed 's/^==[0-9]*== *//')
		[ -n "$why" ] || why=$(tail -n 1 "$log")
		result="FAILED (exit $rc): $(printf '%s' "$why" | cut -c 1-100); input: ${kept:-none kept}"
	fi
	printf 'fuzz: %-12s %10s %8s  %s\n' "$t" "$runs" "$took" "$result"
done
echo "fuzz: $# targets, $total_runs runs, $failed failed"
[ "$failed" -eq 0 ]
