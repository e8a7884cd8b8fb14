#!/bin/sh
# bench/survey.sh — psurvey-record of BENCH_SURVEY_N responses (default
# 1000000) from standard input as TSV, then psurvey-summary by service and
# month: wall time and peak RSS (GNU time -v) of each. Target: the summary
# under one second. Writes to bench/out/survey*.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
N=${BENCH_SURVEY_N:-1000000}
mkdir -p "$OUT"
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
export PARTAKE_DB=$OUT/survey.db PARTAKE_CONFIG=$OUT/survey.conf PARTAKE_NOW=2026-11-22T08:00:00Z
rm -f "$PARTAKE_DB" "$PARTAKE_DB-wal" "$PARTAKE_DB-shm"
printf 'holidays_dir = %s/share/partake/holidays\ntemplates_dir = %s/share/partake/templates\n' \
	"$ROOT" "$ROOT" >"$PARTAKE_CONFIG"
bin/punit add desk --name "پیشخوان" >/dev/null 2>&1
for s in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	bin/pservice add "s$s" --name "خدمت $s" --unit desk >/dev/null
done
python3 - "$N" "$OUT/survey.tsv" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(1)
channels = ["desk", "portal", "sms", "phone"]
with open(path, "w") as f:
    f.write("service\tchannel\tat\tinformation\ttimeliness\tresponsiveness\toverall\tcomment\n")
    for i in range(n):
        y, m = (1404, 9 + i % 4) if i % 24 < 4 else (1405, 1 + i % 8)
        f.write("s%d\t%s\t%d-%02d-%02d\t%d\t%d\t%d\t%d\t%s\n" % (random.randint(1, 20), channels[i % 4], y, m,
            1 + i % 28, random.randint(1, 5), random.randint(1, 5), random.randint(2, 5),
            random.randint(3, 5), "" if i % 50 else "خوب"))
PY
timed() { # timed FILE CMD...: stdin from $IN, stdout to FILE.out; prints seconds and peak RSS
	name=$1; shift
	/usr/bin/time -v -o "$OUT/$name.time" "$@" <"$IN" >"$OUT/$name.out" 2>"$OUT/$name.err"
	secs=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$OUT/$name.time")
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$OUT/$name.time")
	printf '%-40s %10s  peak RSS %6d MB\n' "$*" "$secs" $((rss / 1024))
}
echo "survey benchmark: $N responses, $(nproc) cores"
IN=$OUT/survey.tsv timed survey-record bin/psurvey-record --batch --tsv -q
echo "   stored: $(cat "$OUT/survey-record.out") responses, db $(($(wc -c <"$PARTAKE_DB") / 1048576)) MB"
IN=/dev/null timed survey-summary bin/psurvey-summary --by service,month -f tsv
echo "   rows: $(($(wc -l <"$OUT/survey-summary.out") - 1)) (target: under 1 s)"
IN=/dev/null timed survey-summary-all bin/psurvey-summary -f tsv
