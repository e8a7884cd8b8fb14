#!/bin/sh
# bench/report.sh — preport on a million cases over a year (issue 12): the
# monthly report and the digest of every unit, each with its time, peak
# memory (GNU time -v) and the query plans of the month's reads. The load
# of the machine is said with the figures: it is shared. Only reports.
#
#   BENCH_REPORT_N   cases (default 1000000; make bench passes its BENCH_N)
#   BENCH_DATA       where the database is made and kept for the next run
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_REPORT_N:-1000000}
DATA=${BENCH_DATA:-bench/out}
DB=$DATA/report-$N.db
NOW=2026-11-22T08:00:00Z	# 1405-09-01 11:30 in Tehran
mkdir -p "$DATA"
export PARTAKE_DB=$DB PARTAKE_USER=bench PARTAKE_NOW=$NOW PARTAKE_CONFIG=$DATA/report.conf
printf 'holidays_dir = %s/share/partake/holidays\n' "$(pwd)" >"$PARTAKE_CONFIG"
if [ ! -s "$DB" ]; then
	bin/pdb -q init
	t0=$(date +%s)
	python3 bench/gen-cases.py walked "$N" "$DB" "$(date -u -d "$NOW" +%s)"
	sqlite3 "$DB" "ANALYZE"
	echo "   made $DB in $(( $(date +%s) - t0 )) s"
fi
echo "preport on $(sqlite3 "$DB" 'SELECT count(*) FROM cases') cases, $(sqlite3 "$DB" 'SELECT count(*) FROM event') events ($(uptime | sed 's/.*load average: /load /'))"
timed() {	# timed LABEL CMD...: the best of $RUNS (default 3; s) and the peak RSS of the last
	label=$1; shift
	best=
	for i in $(seq "${RUNS:-3}"); do
		/usr/bin/time -v -o "$DATA/report.time" "$@" >"$DATA/report.out" 2>"$DATA/report.err" || true
		s=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$DATA/report.time" |
			awk -F: '{ print $(NF-1) * 60 + $NF }')
		best=$(printf '%s\n%s\n' "$best" "$s" | sed '/^$/d' | sort -n | head -1)
	done
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DATA/report.time")
	printf '   %-44s %6.2f s  %6.1f MB  %s\n' "$label" "$best" "$(echo "$rss" | awk '{ print $1 / 1024 }')" \
		"$(awk -v s="$best" 'BEGIN { print (s < 1 ? "ok (< 1 s)" : "OVER 1 s") }')"
}
timed "preport monthly --month 1405-08 -f tsv" bin/preport monthly --month 1405-08 -f tsv
timed "preport monthly --month 1405-08 -f html" bin/preport monthly --month 1405-08 -f html
timed "preport overdue -f tsv" bin/preport overdue -f tsv
timed "preport digest --each-unit -f tsv" bin/preport digest --each-unit -f tsv
timed "preport impact --month 1405-08 -f tsv" bin/preport impact --month 1405-08 -f tsv
timed "preport impact --month 1405-08 -f html" bin/preport impact --month 1405-08 -f html
timed "preport impact -f tsv (the whole record)" bin/preport impact -f tsv
sqlite3 "$DB" ".backup $DATA/report-mail.db"
PARTAKE_DB=$DATA/report-mail.db RUNS=1 timed "preport digest --each-unit --mail (40 mails)" bin/preport -q digest --each-unit --mail -f tsv
rm -f "$DATA/report-mail.db" "$DATA/report-mail.db-wal" "$DATA/report-mail.db-shm"
start=$(date -u -d 2026-10-22T20:30:00Z +%s) end=$(date -u -d 2026-11-21T20:30:00Z +%s)
echo "   query plans of the month's reads (EXPLAIN QUERY PLAN):"
plan() { printf '     %-24s %s\n' "$1" "$(sqlite3 "$DB" "EXPLAIN QUERY PLAN $2" | sed -n 's/^[|`-]*//p' | tr '\n' ';')"; }
plan received "SELECT coalesce(unit_id, 0), kind, channel, count(*) FROM cases WHERE received >= $start AND received < $end GROUP BY 1, 2, 3"
plan answered "SELECT coalesce(unit_id, 0), received, answered, due FROM cases WHERE answered >= $start AND answered < $end"
plan open "SELECT coalesce(unit_id, 0), state, due FROM cases WHERE (state = 'new' OR state = 'routed' OR state = 'in-progress' OR state = 'waiting' OR state = 'committee')"
plan events "SELECT coalesce(c.unit_id, 0), e.what FROM event e JOIN cases c ON c.id = e.subject_id WHERE (what = 'reopen' OR what = 'review' OR what = 'decision' OR (what = 'state' AND after = 'rejected') OR (what = 'route' AND note LIKE '%: escalated')) AND e.at >= $start AND e.at < $end AND e.subject_kind = 'case'"
plan impact "SELECT c.code, c.kind, c.outcome, c.action FROM cases c WHERE ((kind = 'suggestion' OR kind = 'comment') AND (outcome = 'accepted' OR outcome = 'partial')) AND c.answered >= $start AND c.answered < $end ORDER BY c.answered DESC, c.id DESC"
plan trend "SELECT count(*) FROM cases WHERE answered >= $start AND answered < $end AND answered <= due AND (NULL IS NULL OR unit_id = 1)"
