#!/bin/sh
# bench/run.sh — the intake, look-up and calendar benchmark (`make bench`).
# See bench/README for what each figure means. Only reports: nothing here
# asserts a time. Everything it writes goes to bench/out/.
#
#   BENCH_N      cases to generate (default 1000000)
#   BENCH_REPS   calls of pcase-status and of sqlite3 for the look-up (default 200)
#   BENCH_DATES  dates for the pcal hook (default 1000000)
#   BENCH_PCAL_ADD  the pcal words for "add 10 working days to each date on
#                standard input" (default: found by trying "add 10", "add - 10")
#   BENCH_DATA   where the generated input is kept and reused by the next run
#                of the same BENCH_N (default bench/out; big runs: /work/bench-data)
#   BENCH_WRITERS  single-case writers beside the batch in step 12 (default 4)
#   BENCH_ROUNDS   rounds of the JSON batch, the TSV batch and the floor, one
#                after the other; the figures are each one's median (default 3)
set -eu

cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
N=${BENCH_N:-1000000}
REPS=${BENCH_REPS:-200}
NDATES=${BENCH_DATES:-1000000}
REPORT=$OUT/report.txt

for b in pcase-new pcase-status pcase-list; do
	[ -x "bin/$b" ] || { echo "bench: bin/$b is missing; run make first" >&2; exit 1; }
done
command -v sqlite3 >/dev/null || { echo "bench: sqlite3 is missing (apt-get install sqlite3)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "bench: python3 is missing (apt-get install python3)" >&2; exit 1; }

mkdir -p "$OUT"
: >"$REPORT"

say() { printf '%s\n' "$*" | tee -a "$REPORT"; }
# shellcheck disable=SC2059 # the format is the caller's
sayf() { fmt=$1; shift; printf "$fmt\n" "$@" | tee -a "$REPORT"; }
# Floating-point arithmetic: calc 'a / b' -> number
calc() { awk "BEGIN { printf \"%.6g\", $1 }"; }
now_ns() { date +%s%N; }

# run_timed NAME IN OUT CMD...: runs CMD <IN >OUT, stderr to NAME.err;
# sets SECS (wall) and RSS_KB (peak resident set, KiB). Fails as CMD does.
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
	RSS_HOW="GNU time %M"
	run_timed() {
		name=$1 in=$2 out=$3; shift 3
		sync	# the previous step's dirty pages are not this one's cost
		t0=$(now_ns)
		st=0
		/usr/bin/time -f %M -o "$OUT/$name.rss" "$@" <"$in" >"$out" 2>"$OUT/$name.err" || st=$?
		t1=$(now_ns)
		SECS=$(calc "($t1 - $t0) / 1e9")
		RSS_KB=$(tail -n 1 "$OUT/$name.rss")
		return $st
	}
else
	RSS_HOW="getrusage(RUSAGE_CHILDREN) via python3"
	run_timed() {
		name=$1 in=$2 out=$3; shift 3
		sync	# the previous step's dirty pages are not this one's cost
		t0=$(now_ns)
		st=0
		python3 -c '
import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$OUT/$name.rss" "$@" <"$in" >"$out" 2>"$OUT/$name.err" || st=$?
		t1=$(now_ns)
		SECS=$(calc "($t1 - $t0) / 1e9")
		RSS_KB=$(tail -n 1 "$OUT/$name.rss")
		return $st
	}
fi

verdict() { # verdict VALUE OP TARGET -> PASS or MISS
	if awk "BEGIN { exit !($1 $2 $3) }"; then echo PASS; else echo MISS; fi
}

rm -f "$OUT"/*.db "$OUT"/*.db-wal "$OUT"/*.db-shm

cat >"$OUT/partake.conf" <<EOF
# written by bench/run.sh
holidays_dir = $ROOT/share/partake/holidays
EOF
PARTAKE_CONFIG=$OUT/partake.conf
PARTAKE_NOW=2025-06-01T10:00:00+03:30
export PARTAKE_CONFIG PARTAKE_NOW
unset PARTAKE_DB

say "partake benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -m), $(nproc) cores, SQLite $(sqlite3 --version | cut -d' ' -f1)"
tree=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo "not a git checkout")
say "tree: $tree; rows: $N; peak RSS by $RSS_HOW; PARTAKE_NOW=$PARTAKE_NOW"
say ""

# --- 1. input -----------------------------------------------------------------
# Made once for each N: the same seed gives the same bytes, so a second run
# (or a run at another size into another BENCH_DATA) reuses them.
DATA=${BENCH_DATA:-$OUT}
mkdir -p "$DATA"
t0=$(now_ns)
# Links that a run into another BENCH_DATA left here are that run's input,
# whatever the stamp here says: removed and made anew, not written through.
if [ "$(cat "$DATA/cases.n" 2>/dev/null)" != "$N" ] || [ -L "$DATA/cases.jsonl" ] || [ -L "$DATA/cases.tsv" ]; then
	rm -f "$DATA/cases.jsonl" "$DATA/cases.tsv"
	python3 bench/gen-cases.py cases "$N" "$DATA/cases.jsonl" "$DATA/cases.tsv"
	echo "$N" >"$DATA/cases.n"
	made=made
else
	made="reused from $DATA; made before"
fi
[ "$DATA" = "$OUT" ] || { ln -sf "$DATA/cases.jsonl" "$OUT/cases.jsonl"; ln -sf "$DATA/cases.tsv" "$OUT/cases.tsv"; }
t1=$(now_ns)
sayf "1. input: %d cases as JSON lines (%d MB) and TSV (%d MB), %s in %.1f s" "$N" \
	$(($(wc -c <"$OUT/cases.jsonl") / 1048576)) $(($(wc -c <"$OUT/cases.tsv") / 1048576)) \
	"$made" "$(calc "($t1 - $t0) / 1e9")"
say "   load average (uptime): $(uptime | sed 's/.*load average: //') — other helpers share this machine"
say ""

# --- 2. pcase-new --batch, and the storage floor, in rounds -------------------
# This machine's speed moves by a quarter within the hour: the JSON batch,
# the TSV batch and the floor run one after the other, round after round,
# so that a slow minute falls on all three alike; each figure is the median
# of its rounds, and a ratio is the median of each round's own ratio.
ROUNDS=${BENCH_ROUNDS:-3}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
	END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
largest() { printf '%s\n' "$@" | sort -n | tail -n 1; }
batch() { # batch NAME INPUT [--tsv]: sets RATE_<NAME> (empty: failed) and RSS_<NAME>
	name=$1 in=$2; shift 2
	rm -f "$OUT/$name.db" "$OUT/$name.db-wal" "$OUT/$name.db-shm"
	if PARTAKE_DB=$OUT/$name.db run_timed "$name" "$in" "$OUT/$name.codes" \
	    bin/pcase-new --batch "$@" -q; then
		got=$(wc -l <"$OUT/$name.codes")
		[ "$got" -eq "$N" ] || say "   warning: $got codes printed for $N rows"
		# The codes are printed at the commit; the full-text index is
		# caught up after them (issue 16): the last write to the codes
		# is when the batch was done for its caller.
		codes_secs=$(calc "($(stat -c %.9Y "$OUT/$name.codes" | tr -d .) - $t0) / 1e9")
		rate=$(calc "$N / $codes_secs")
		eval "RATE_$name=\$rate RSS_$name=\$RSS_KB"
		sayf "   %-5s %8.2f s to the codes  %9.0f rows/s  then indexed, %.2f s in all  peak RSS %6.1f MB  db %d MB" \
			"$name" "$codes_secs" "$rate" "$SECS" "$(calc "$RSS_KB / 1024")" \
			$(($(wc -c <"$OUT/$name.db") / 1048576))
	else
		eval "RATE_$name= RSS_$name="
		say "   $name: pcase-new failed after $SECS s: $(tail -n 3 "$OUT/$name.err")"
	fi
}
# What the schema alone costs: the very rows the JSON batch stored (its case
# rows, attachments, events with their hashes and digests, outbox rows)
# copied by SQL, table by table in id order, into a fresh partake database
# (pdb init: the same page size, every index and trigger), with the cache
# and synchronous setting a batch uses (lib/intake.c). No parsing,
# checking, code drawing or hashing: pcase-new cannot beat this; the gap
# between the two is pcase-new's own work.
FLOOR_SQL="PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-32768;
PRAGMA foreign_keys=ON; ATTACH '$OUT/json.db' AS src; BEGIN;
INSERT INTO cases SELECT * FROM src.cases ORDER BY id;
INSERT INTO attachment SELECT * FROM src.attachment ORDER BY id;
INSERT INTO event SELECT * FROM src.event ORDER BY id;
INSERT INTO outbox SELECT * FROM src.outbox ORDER BY id;
COMMIT;"
floor() { # floor: the JSON run's rows by SQL; sets RATE_floor (empty: failed or skipped)
	RATE_floor=
	rm -f "$OUT/floor.db" "$OUT/floor.db-wal" "$OUT/floor.db-shm"
	if [ -n "$RATE_json" ] && [ -x bin/pdb ] &&
	    PARTAKE_DB=$OUT/floor.db bin/pdb init >/dev/null 2>"$OUT/floor.err" &&
	    printf '%s\n' "$FLOOR_SQL" >"$OUT/floor.sql" &&
	    run_timed floor "$OUT/floor.sql" /dev/null sqlite3 "$OUT/floor.db"; then
		RATE_floor=$(calc "$N / $SECS")
		sayf "   floor %8.2f s, the JSON batch's rows by SQL  %9.0f rows/s" "$SECS" "$RATE_floor"
		[ -n "$FLOOR_ROWS" ] || FLOOR_ROWS="$(sqlite3 "$OUT/floor.db" "SELECT count(*) FROM event") events, $(sqlite3 \
			"$OUT/floor.db" "SELECT count(*) FROM outbox") outbox rows"
	else
		say "   floor: skipped or failed: $(tail -n 3 "$OUT/floor.err" 2>/dev/null)"
	fi
	rm -f "$OUT/floor.db" "$OUT/floor.db-wal" "$OUT/floor.db-shm"
}
say "2. bin/pcase-new --batch -q (a fresh database each) and the storage floor, in $ROUNDS rounds"
RATES_json= RATES_tsv= RATES_floor= RSSES_json= RSSES_tsv= BY_FLOOR_json= BY_FLOOR_tsv= FLOOR_ROWS=
failed=
round=1
while [ "$round" -le "$ROUNDS" ]; do
	say "   round $round ($(uptime | sed 's/.*load average: /load /'))"
	batch json "$OUT/cases.jsonl"
	floor
	batch tsv "$OUT/cases.tsv" --tsv
	for f in json tsv; do
		eval "rate=\$RATE_$f kb=\$RSS_$f"
		if [ -z "$rate" ]; then failed="$failed $f"; continue; fi
		eval "RATES_$f=\"\$RATES_$f $rate\" RSSES_$f=\"\$RSSES_$f $kb\""
		[ -z "$RATE_floor" ] || eval "BY_FLOOR_$f=\"\$BY_FLOOR_$f $(calc "$rate / $RATE_floor")\""
	done
	[ -z "$RATE_floor" ] || RATES_floor="$RATES_floor $RATE_floor"
	round=$((round + 1))
done
# A format that failed in any round has no figure: a failure is not a median.
for f in json tsv; do
	case " $failed " in
	*" $f "*) eval "RATE_$f= RSS_$f=" ;;
	*) eval "RATE_$f=\$(median \$RATES_$f) RSS_$f=\$(largest \$RSSES_$f)" ;;
	esac
done
# The later steps read the last JSON round's database: make sure it is there.
[ -s "$OUT/json.db" ] || RATE_json=
say ""

# --- 3. sqlite3 .import ---------------------------------------------------------
cat >"$OUT/import.sql" <<EOF
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
BEGIN;
.mode tabs
.import $OUT/cases.tsv cases
COMMIT;
EOF
say "3. sqlite3 .import of the same TSV into one plain table (WAL, synchronous=NORMAL, one transaction)"
RATE_import=
if run_timed import "$OUT/import.sql" /dev/null sqlite3 "$OUT/import.db"; then
	got=$(sqlite3 "$OUT/import.db" "SELECT count(*) FROM cases")
	[ "$got" -eq "$N" ] || say "   warning: $got rows imported for $N"
	RATE_import=$(calc "$N / $SECS")
	sayf "   %-6s %8.2f s  %9.0f rows/s  peak RSS %6.1f MB  db %d MB" import "$SECS" \
		"$RATE_import" "$(calc "$RSS_KB / 1024")" $(($(wc -c <"$OUT/import.db") / 1048576))
else
	say "   sqlite3 .import failed: $(tail -n 3 "$OUT/import.err")"
fi
say ""

# --- 4. intake ratio --------------------------------------------------------------
say "4. intake: pcase-new rows/s ÷ .import rows/s (issue 2's target ≥ 1.5; issue 16's is the floor, below)"
for f in json tsv; do
	eval "rate=\$RATE_$f"
	if [ -n "$rate" ] && [ -n "$RATE_import" ]; then
		r=$(calc "$rate / $RATE_import")
		sayf "   %-5s %5.2f×  %s" "$f" "$r" "$(verdict "$r" '>=' 1.5)"
	else
		sayf "   %-5s   n/a  MISS (a run failed)" "$f"
	fi
done
say ""

# --- 5. look-up ---------------------------------------------------------------------
say "5. look-up by code on the JSON run's database, $REPS calls each (distinct codes spread over the batch)"
DB=$OUT/json.db
if [ -n "$RATE_json" ]; then
	step=$((N / REPS)); [ "$step" -ge 1 ] || step=1
	awk -v s="$step" 'NR % s == 1 || s == 1' "$OUT/json.codes" | head -n "$REPS" >"$OUT/lookup.codes"
	reps=$(wc -l <"$OUT/lookup.codes")
	first=$(head -n 1 "$OUT/lookup.codes")
	PARTAKE_DB=$DB bin/pcase-status "$first" --format tsv >"$OUT/status.sample" 2>&1 || true
	grep -q "$first" "$OUT/status.sample" ||
		say "   warning: pcase-status $first did not show it: $(head -n 2 "$OUT/status.sample")"
	sqlite3 "$DB" "SELECT * FROM cases WHERE code=$first" >"$OUT/select.sample" 2>&1 || true
	[ -s "$OUT/select.sample" ] || say "   warning: the SELECT found no row for $first"
	fails=0

	# In rounds of 20 codes, each side in turn, so that a burst of other
	# work on the machine falls on both sides alike.
	split -l 20 "$OUT/lookup.codes" "$OUT/lookup.round."
	sync
	status_ns=0 select_ns=0
	for round in "$OUT"/lookup.round.*; do
		t0=$(now_ns)
		while read -r c; do
			PARTAKE_DB=$DB bin/pcase-status "$c" --format tsv </dev/null >/dev/null ||
				fails=$((fails + 1))
		done <"$round"
		t1=$(now_ns)
		while read -r c; do
			sqlite3 "$DB" "SELECT * FROM cases WHERE code=$c" </dev/null >/dev/null ||
				fails=$((fails + 1))
		done <"$round"
		t2=$(now_ns)
		status_ns=$((status_ns + t1 - t0)) select_ns=$((select_ns + t2 - t1))
	done
	rm -f "$OUT"/lookup.round.*
	[ "$fails" -eq 0 ] || say "   warning: $fails of the calls failed"
	status_ms=$(calc "$status_ns / 1e6 / $reps")
	select_ms=$(calc "$select_ns / 1e6 / $reps")
	r=$(calc "$status_ms / $select_ms")
	sayf "   pcase-status CODE --format tsv  %6.2f ms a call" "$status_ms"
	sayf "   sqlite3 DB \"SELECT * ... code=\"  %6.2f ms a call" "$select_ms"
	sayf "   ratio %.2f×  (target ≤ 1.2)  %s" "$r" "$(verdict "$r" '<=' 1.2)"
else
	say "   skipped: the JSON batch failed"
fi
say ""

# --- 6. memory ----------------------------------------------------------------------
say "6. peak RSS of the batch (target ≤ 64 MB)"
for f in json tsv; do
	eval "kb=\$RSS_$f"
	if [ -n "$kb" ]; then
		mb=$(calc "$kb / 1024")
		sayf "   %-5s %6.1f MB  %s" "$f" "$mb" "$(verdict "$mb" '<=' 64)"
	else
		sayf "   %-5s    n/a  MISS (the run failed)" "$f"
	fi
done
say ""

# --- extra: the storage floor ------------------------------------------------------
say "extra: storage floor — the JSON batch's own rows, INSERT … SELECT into a fresh partake database: cases, attachments, events, outbox (intake target ≥ 0.9× it)"
if [ -n "$RATES_floor" ]; then
	rate=$(median $RATES_floor)
	sayf "   the batch's rows by SQL, median of %d  %9.0f rows/s  = %.2f× .import  (%s)" \
		"$(echo $RATES_floor | wc -w)" "$rate" "$(calc "$rate / ${RATE_import:-$rate}")" "$FLOOR_ROWS"
	for f in json tsv; do
		eval "r=\$RATE_$f by=\$BY_FLOOR_$f"
		if [ -n "$r" ] && [ -n "$by" ]; then
			med=$(median $by)
			sayf "   pcase-new %-5s runs at %.2f× the floor, the median of its rounds' (%s)  (target ≥ 0.9)  %s" \
				"$f" "$med" "$(printf '%.2f× ' $by | sed 's/ $//')" "$(verdict "$med" '>=' 0.9)"
		else
			sayf "   pcase-new %-5s   n/a  MISS (a round failed)" "$f"
		fi
	done
else
	say "   skipped or failed: $(tail -n 3 "$OUT/floor.err" 2>/dev/null)"
fi
say ""

# --- extra: the deferred full-text index --------------------------------------------
# The batch brings the full-text index up to date after its codes are out;
# a search still catches up what is left, so the first one after a batch
# shows whether the batch left any (issue 16's target: ≤ 2 s).
if [ -n "$RATE_json" ]; then
	say "extra: full-text search on the JSON run's database (issue 16: the first ≤ 2 s after the batch, which indexed after its codes)"
	if PARTAKE_DB=$DB run_timed search1 /dev/null "$OUT/search1.out" \
	    bin/pcase-list --query شهرداری --limit 1; then
		sayf "   first pcase-list --query after the batch of %d %7.2f s  peak RSS %.1f MB  %s" \
			"$N" "$SECS" "$(calc "$RSS_KB / 1024")" "$(verdict "$SECS" '<=' 2)"
		PARTAKE_DB=$DB run_timed search2 /dev/null "$OUT/search2.out" \
		    bin/pcase-list --query شهرداری --limit 1 || true
		sayf "   the next one                                 %7.3f s" "$SECS"
	else
		say "   pcase-list --query failed: $(tail -n 3 "$OUT/search1.err")"
	fi
	say ""
fi

# === issue 16: listings, memory, the check, writers during a batch ====================
[ -z "$RATE_json" ] || . bench/issue16.sh
# === calendar benchmark hook (issue 3: pcal) ========================================
# Converts BENCH_DATES dates on standard input, then adds 10 working days to
# each. Target (issue 3): under one second each.
say "7. calendar: pcal over $NDATES dates on standard input (target < 1 s each)"
if [ -x bin/pcal ] && bin/pcal --help >/dev/null 2>&1; then
	python3 bench/gen-cases.py dates "$NDATES" "$OUT/dates.txt"
	if run_timed pcal "$OUT/dates.txt" "$OUT/pcal.out" bin/pcal; then
		got=$(wc -l <"$OUT/pcal.out")
		[ "$got" -eq "$NDATES" ] || say "   warning: $got lines out for $NDATES dates"
		sayf "   pcal < dates        %6.2f s  peak RSS %.1f MB  %s" "$SECS" \
			"$(calc "$RSS_KB / 1024")" "$(verdict "$SECS" '<' 1)"
	else
		say "   pcal < dates failed: $(tail -n 3 "$OUT/pcal.err")"
	fi
	# Which words add N working days to each date of standard input?
	add=${BENCH_PCAL_ADD:-}
	if [ -z "$add" ]; then
		for try in "add - 10" "add 10"; do
			# shellcheck disable=SC2086
			if out=$(printf '1403-01-01\n2024-03-20\n' | bin/pcal $try 2>/dev/null) &&
			    [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ]; then
				add=$try
				break
			fi
		done
	fi
	if [ -n "$add" ]; then
		# shellcheck disable=SC2086
		if run_timed pcal-add "$OUT/dates.txt" "$OUT/pcal-add.out" bin/pcal $add; then
			got=$(wc -l <"$OUT/pcal-add.out")
			[ "$got" -eq "$NDATES" ] || say "   warning: $got lines out for $NDATES dates"
			sayf "   pcal %-14s %6.2f s  peak RSS %.1f MB  %s" "$add" "$SECS" \
				"$(calc "$RSS_KB / 1024")" "$(verdict "$SECS" '<' 1)"
		else
			say "   pcal $add < dates failed: $(tail -n 3 "$OUT/pcal-add.err")"
		fi
	else
		say "   pcal add: no form that reads dates from standard input yet (set BENCH_PCAL_ADD)"
	fi
else
	say "   pcal: not built yet"
fi
# === end of the calendar hook ========================================================
# === the notifier (issue 9) ============================================================
# pnotify over BENCH_NOTIFY items (half SMS, half mail) to a real SMTP server
# (aiosmtpd) and the test gateway (tests/gateway.py), both on loopback: one
# connection a channel for the whole run. No target; items/s is the figure.
NOTIFY_N=${BENCH_NOTIFY:-10000}
say ""
say "8. pnotify: $NOTIFY_N items (half SMS to the test gateway, half mail to aiosmtpd), on loopback"
if [ -x bin/pnotify ] && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
	ndb=$OUT/notify.db nconf=$OUT/notify.conf
	rm -rf "$ndb" "$ndb-wal" "$ndb-shm" "$OUT/mail" "$OUT/sms.jsonl"
	python3 -c 'import json, sys
n = int(sys.argv[1])
for i in range(n):
    c = {"kind": "request", "subject": "درخواست شماره %d" % i}
    if i % 2: c["phone"] = "0912%06d7" % i	# no ending the gateway refuses
    else: c["email"] = "citizen%d@example.ir" % i
    print(json.dumps(c, ensure_ascii=False))' "$NOTIFY_N" >"$OUT/notify.jsonl"
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$OUT/mail" 2>/dev/null &
	smtp=$!
	python3 tests/gateway.py 0 "$OUT/sms.jsonl" 600 >"$OUT/gateway.out" 2>/dev/null &
	gw=$!
	i=0
	while [ $i -lt 50 ] && ! grep -q '^listening' "$OUT/gateway.out"; do sleep 0.1; i=$((i + 1)); done
	sleep 1	# aiosmtpd's start
	printf 'bench-key\n' >"$OUT/sms.key"
	{ cat "$OUT/partake.conf"
	  printf 'smtp_url = smtp://127.0.0.1:%s\nmail_from = bench@agency.example.ir\n' "$port"
	  printf 'sms_url = http://127.0.0.1:%s\nsms_key_file = %s\n' \
		"$(sed -n 's/^listening //p' "$OUT/gateway.out")" "$OUT/sms.key"; } >"$nconf"
	PARTAKE_DB=$ndb PARTAKE_CONFIG=$nconf bin/pcase-new --batch -q <"$OUT/notify.jsonl" >/dev/null
	if PARTAKE_DB=$ndb PARTAKE_CONFIG=$nconf run_timed notify /dev/null "$OUT/notify.out" bin/pnotify -q; then
		sent=$(wc -l <"$OUT/notify.out")
		sayf "   pnotify  %7.2f s  %7.0f items/s  peak RSS %.1f MB  (%d sent)" "$SECS" \
		    "$(calc "$sent / $SECS")" "$(calc "$RSS_KB / 1024")" "$sent"
	else
		say "   pnotify failed: $(tail -n 3 "$OUT/notify.err")"
	fi
	kill $smtp $gw 2>/dev/null
else
	say "   pnotify: not built, or no python3-aiosmtpd"
fi
# === end of the notifier hook ==========================================================
sh bench/survey.sh | tee -a "$REPORT" || say "survey benchmark failed"
sh bench/portal.sh | tee -a "$REPORT" || say "portal benchmark failed"
# The reports over as many cases as the rest (issue 16 item 7: the monthly
# report at 5M too), unless BENCH_REPORT_N says otherwise.
BENCH_REPORT_N=${BENCH_REPORT_N:-$N} sh bench/report.sh | tee -a "$REPORT" || say "report benchmark failed"
say ""
say "report: $REPORT"
