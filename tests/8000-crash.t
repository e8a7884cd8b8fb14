#!/bin/bash
# Crashes: kill -9 at random moments of a batch intake (pcase-new --batch of
# a few thousand rows) and of pcase-route --auto over thousands of codes.
# After each kill: a batch is all or nothing (the case count is what it was,
# or that plus the batch), each case is routed whole or not at all (its
# state, its unit, its event and its notice together), no code is printed
# for a change that did not commit, and `pdb check` finds the file and the
# audit chain sound. The kills are bounded (CRASH_BATCH_KILLS,
# CRASH_ROUTE_KILLS) and so is each wait; CRASH_SEED replays a run.
. "$(dirname "$0")/lib.sh"

batch_kills=${CRASH_BATCH_KILLS:-9}
route_kills=${CRASH_ROUTE_KILLS:-6}
rows=${CRASH_ROWS:-4000}
seed=${CRASH_SEED:-$$}
RANDOM=$seed
echo "# seed $seed (CRASH_SEED=$seed replays it): $batch_kills batch kills, $route_kills route kills, $rows rows"

punit add permits --name 'پروانه‌ها' >/dev/null
punit add general --name 'دبیرخانه' >/dev/null
printf '*\t*\t*\tپروانه\tpermits\n*\t*\t*\t*\tgeneral\n' > "$tmp/routes"
printf '%s\nroutes = %s\n' "$base_config" "$tmp/routes" > "$PARTAKE_CONFIG"

# Complaints with a phone: each gets its "received" notice in the batch's
# transaction, and a "routed" one in its route's.
awk -v n="$rows" 'BEGIN {
	for (i = 1; i <= n; i++)
		printf "{\"kind\":\"complaint\",\"channel\":\"portal\",\"subject\":\"%s %d\",\"body\":\"متن %d\",\"phone\":\"0912%07d\"}\n",
		    i % 3 ? "تأخیر در پروانه" : "رفتار کارمند", i, i, i
}' > "$tmp/rows.jsonl"

cases() { sql "SELECT count(*) FROM cases"; }
# The complete codes a killed run printed: a line cut by the kill is not one.
printed() { grep -E '^[0-9]{12}$' "$1" || true; }
# How many of the codes in file $1 are cases that match the condition $2.
among() {
	local list
	list=$(printed "$1" | paste -sd, -)
	[ -n "$list" ] || { echo 0; return; }
	sql "SELECT count(*) FROM cases c WHERE c.code IN ($list) AND ($2)"
}
# Cases that are not whole: without their "received" event and notice, or
# half routed (a unit without the state, the event or the notice, or the
# other way round). Must be 0.
broken() {
	sql "SELECT count(*) FROM cases c WHERE
		(SELECT count(*) FROM event e WHERE e.subject_kind = 'case' AND e.subject_id = c.id
		   AND e.what = 'received') != 1
		OR (SELECT count(*) FROM outbox o WHERE o.case_id = c.id
		   AND o.key = (SELECT printf('notice:%012d', e.id) FROM event e
		     WHERE e.subject_kind = 'case' AND e.subject_id = c.id AND e.what = 'received')) != 1
		OR NOT (
		  (c.state = 'new' AND c.unit_id IS NULL AND NOT EXISTS (SELECT 1 FROM event e
		     WHERE e.subject_kind = 'case' AND e.subject_id = c.id AND e.what = 'route'))
		  OR (c.state = 'routed' AND c.unit_id IS NOT NULL
		     AND (SELECT count(*) FROM event e WHERE e.subject_kind = 'case'
		       AND e.subject_id = c.id AND e.what = 'route') = 1
		     AND (SELECT count(*) FROM outbox o WHERE o.key = (SELECT printf('notice:%012d', e.id)
		       FROM event e WHERE e.subject_kind = 'case' AND e.subject_id = c.id
		       AND e.what = 'route')) = 1))"
}

# check_db WHAT: pdb check passes (the file's integrity, the audit chain).
check_db() {
	run pdb check
	is "$rc" 0 "$1: pdb check passes"
	[ "$rc" -eq 0 ] || printf '%s\n' "$err" | head -n 5 | sed 's/^/#   /'
}

# killed_run SECONDS OUT CMD...: CMD with stdin from $in, stdout to OUT,
# killed with SIGKILL after SECONDS unless it ends first. Sets $outcome:
# "killed" or "exit N".
killed_run() {
	local delay=$1 out=$2
	shift 2
	# Under make check-sanitize, a kill during LeakSanitizer's check at exit
	# leaves its tracer's "unable to get registers" behind: noise of the
	# kill, not a leak. The runs this test does not kill are checked in full.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 "$@" < "$in" > "$out" 2> "$tmp/killed.err" &
	local pid=$!
	sleep "$delay"
	local rc
	# The shell's own "Killed" line goes where wait's stderr goes.
	{ kill -9 "$pid"; wait "$pid"; rc=$?; } 2>/dev/null
	outcome=$([ "$rc" -eq 137 ] && echo killed || echo "exit $rc")
}

# A random delay of up to 1.2 times the uninterrupted run, in seconds: a
# few kills land after the end, most somewhere in the middle.
random_delay() {
	awk -v t="$1" -v r="$RANDOM" 'BEGIN { printf "%.3f", t * 1.2 * r / 32767 }'
}

# seconds CMD...: how long CMD takes, uninterrupted, in seconds.
seconds() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@"
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# --- one uninterrupted batch: the yardstick -------------------------------------------

in=$tmp/rows.jsonl
t_batch=$(seconds sh -c 'pcase-new --batch < "$1" > "$2"' sh "$in" "$tmp/first.out")
is "$(cases)/$(printed "$tmp/first.out" | wc -l)" "$rows/$rows" "a batch of $rows rows, uninterrupted: stored and printed (${t_batch} s)"

# --- kill -9 in a batch --------------------------------------------------------------

rolled_back=0 committed_all=0 committed_some=0 committed_none=0
for k in $(seq 1 "$batch_kills"); do
	before=$(cases)
	delay=$(random_delay "$t_batch")
	killed_run "$delay" "$tmp/batch.out" pcase-new --batch
	after=$(cases)
	n=$(printed "$tmp/batch.out" | wc -l)
	case $after in
	"$before") state="nothing stored" ;;
	$((before + rows))) state="all $rows stored" ;;
	*) state="$((after - before)) stored: PARTIAL" ;;
	esac
	echo "# batch kill $k after ${delay} s: $outcome, $state, $n codes printed"
	ok $([ "$after" -eq "$before" ] || [ "$after" -eq $((before + rows)) ]; echo $?) \
		"batch kill $k: all or nothing ($before → $after cases)"
	if [ "$after" -eq "$before" ]; then
		rolled_back=$((rolled_back + 1))
		is "$(wc -c < "$tmp/batch.out")" 0 "batch kill $k: nothing stored, no code printed"
	else
		is "$(among "$tmp/batch.out" "c.state = 'new'")" "$n" \
			"batch kill $k: each code printed is a stored case"
		if [ "$n" -eq "$rows" ]; then committed_all=$((committed_all + 1))
		elif [ "$n" -gt 0 ]; then committed_some=$((committed_some + 1))
		else committed_none=$((committed_none + 1)); fi
	fi
	# As many assertions whichever way the run ended, so that a run's count
	# of them is the same every time.
	if [ "$outcome" = killed ]; then
		ok $([ "$n" -eq 0 ] || [ "$after" -eq $((before + rows)) ]; echo $?) \
			"batch kill $k: killed: a code printed only once the whole batch was stored"
	else
		is "$outcome/$n" "exit 0/$rows" "batch kill $k: ended first: every code printed"
	fi
	is "$(broken)" 0 "batch kill $k: every case whole, with its event and notice"
	check_db "batch kill $k"
done
echo "# batch kills: $batch_kills; nothing stored $rolled_back; stored with every code printed $committed_all, some $committed_some, none $committed_none"

# --- kill -9 in pcase-route --auto -----------------------------------------------------

sql "SELECT code FROM cases WHERE state = 'new' ORDER BY id LIMIT $rows" > "$tmp/codes"
in=$tmp/codes
t_route=$(seconds sh -c 'pcase-route --auto < "$1" > "$2" 2>/dev/null' sh "$in" "$tmp/route-first.out")
routed=$(sql "SELECT count(*) FROM cases WHERE state = 'routed'")
is "$routed/$(printed "$tmp/route-first.out" | wc -l)" "$rows/$rows" \
	"pcase-route --auto over $rows codes, uninterrupted: each routed and printed (${t_route} s)"

total_routed=0
for k in $(seq 1 "$route_kills"); do
	# Enough cases to route: a batch more when fewer than a run's are left.
	if [ "$(sql "SELECT count(*) FROM cases WHERE state = 'new'")" -lt "$rows" ]; then
		pcase-new --batch < "$tmp/rows.jsonl" > /dev/null
	fi
	sql "SELECT code FROM cases WHERE state = 'new' ORDER BY id LIMIT $rows" > "$tmp/codes"
	before=$(sql "SELECT count(*) FROM cases WHERE state = 'routed'")
	delay=$(random_delay "$t_route")
	killed_run "$delay" "$tmp/route.out" pcase-route --auto
	after=$(sql "SELECT count(*) FROM cases WHERE state = 'routed'")
	n=$(printed "$tmp/route.out" | wc -l)
	total_routed=$((total_routed + after - before))
	echo "# route kill $k after ${delay} s: $outcome, $((after - before)) routed, $n codes printed"
	is "$(among "$tmp/route.out" "c.state = 'routed'")" "$n" "route kill $k: each code printed was routed"
	ok $([ "$n" -le $((after - before)) ]; echo $?) "route kill $k: no more printed ($n) than routed ($((after - before)))"
	is "$(broken)" 0 "route kill $k: each case routed whole or not at all"
	check_db "route kill $k"
done
echo "# route kills: $route_kills; $total_routed cases routed between them"

done_testing
