#!/bin/bash
# Concurrency (issue 15): the cron pipelines over many codes beside writers
# move every case once and never give up busy at once; then writers, a
# reader, pdb check and pdb backup (some of them killed) run together for a
# bounded time, and nothing is lost, nothing is partial, no writer is told
# busy (75) before it waited its timeout, the chain holds, and every backup
# is a sound database. Every loop is bounded in count and in time.
. "$(dirname "$0")/lib.sh"

BUSY_MS=5000	# the busy timeout of lib/store.c: 75 is right only after it
# How long the second part runs together; `make soak` makes it longer.
PHASE_S=${PARTAKE_SOAK_SECONDS:-10}

# timed LOG CMD...: runs CMD (output to $log/LOG.out, errors to .err), and
# adds "status milliseconds" to $log/LOG.
log=$tmp/log
mkdir "$log"
timed() {
	local name=$1 t0 st
	shift
	t0=$(date +%s%N)
	"$@" >>"$log/$name.out" 2>>"$log/$name.err"
	st=$?
	echo "$st $((($(date +%s%N) - t0) / 1000000))" >>"$log/$name"
	return $st
}
# early_busy LOG...: the runs of the logs that ended 75 before the timeout.
early_busy() { cat "$@" | awk -v t="$BUSY_MS" '$1 == 75 && $2 < t' | wc -l; }
# statuses LOG...: each exit status of the logs with how often, as "0x12".
statuses() { cat "$@" | awk '{ print $1 }' | sort -n | uniq -c | awk '{ printf "%s%sx%s", s, $2, $1; s = " " }'; }
# in_list FILE: the codes of FILE as an SQL list.
in_list() { paste -sd, "$1"; }

printf '*\t*\t*\t*\tgeneral\n' >"$tmp/routes"
printf '%s\nroutes = %s\n' "$base_config" "$tmp/routes" >"$PARTAKE_CONFIG"
punit add hq --name 'ریاست' >/dev/null
punit add general --name 'دبیرخانه' --parent hq >/dev/null
# Three sets of a thousand, one a channel, so that each pipeline's pcase-list
# selects its own set whatever the others have moved meanwhile. Bodies of
# some 6 KB make a file of about 20 MB: a copy takes many steps of the
# engine's backup, between which other writers commit.
body=$(printf 'متن شکایت درباره خدمات شهری و پیگیری آن %.0s' $(seq 80))
for channel in portal sms email; do
	for i in $(seq 1000); do
		printf '{"kind":"complaint","channel":"%s","subject":"شکایت %d","body":"%d %s","phone":"09121234567"}\n' \
			"$channel" "$i" "$i" "$body"
	done
done >"$tmp/batch.jsonl"
pcase-new -q --batch <"$tmp/batch.jsonl" >"$tmp/codes"
is "$(wc -l <"$tmp/codes")" 3000 "3000 complaints to work on"
sed -n '1,1000p' "$tmp/codes" | sort >"$tmp/to-route"
sed -n '1001,2000p' "$tmp/codes" | sort >"$tmp/to-start"
sed -n '2001,3000p' "$tmp/codes" | sort >"$tmp/to-answer"
sed -n '1001,3000p' "$tmp/codes" | pcase-route -q --to general >/dev/null
sed -n '2001,3000p' "$tmp/codes" | pcase-status -q --set in-progress >/dev/null
is "$(sql "SELECT group_concat(n, ' ') FROM (SELECT state || ' ' || count(*) AS n FROM cases
	GROUP BY state ORDER BY state)")" "in-progress 1000 new 1000 routed 1000" \
	"a thousand new, a thousand routed, a thousand in progress"

# --- 1. the pipelines over many codes, beside writers --------------------------------

# pipeline NAME CHANNEL STATE PARITY CMD...: pcase-list of the set's cases in
# STATE, the codes of one parity (two pipelines a set, neither touching the
# other's cases), into CMD.
pipeline() {
	local name=$1 channel=$2 state=$3 parity=$4
	shift 4
	timed "$name" sh -c 'pcase-list --kind complaint --channel "$1" --state "$2" |
		awk -v p="$3" "\$1 % 2 == p" | (shift 3; "$@")' sh "$channel" "$state" "$parity" "$@"
}
pipeline route1 portal new 1 pcase-route --auto &
pipeline route2 portal new 0 pcase-route --auto &
pipeline start1 sms routed 1 pcase-status --set in-progress --note 'taken up' &
pipeline start2 sms routed 0 pcase-status --set in-progress --note 'taken up' &
pipeline answer1 email in-progress 1 pcase-answer --outcome info -t 'پاسخ داده شد' &
pipeline answer2 email in-progress 0 pcase-answer --outcome info -t 'پاسخ داده شد' &
for w in 1 2; do
	(for i in $(seq 25); do
		timed "writer$w" pcase-new -k question -s "پرسش $w $i" --anonymous
	done) &
done
for i in $(seq 500); do printf '{"kind":"question","subject":"پرسش دسته‌ای %d","anonymous":true}\n' "$i"; done >"$tmp/questions.jsonl"
timed batch pcase-new --batch <"$tmp/questions.jsonl" &
wait

is "$(statuses "$log"/route? "$log"/start? "$log"/answer?)" "0x6" "the six pipelines: exit 0, every one"
is "$(early_busy "$log"/route? "$log"/start? "$log"/answer?)" 0 "none gave up busy before its timeout"
is "$(cat "$log"/route?.out | sort)" "$(cat "$tmp/to-route")" "the codes routed are the thousand new ones"
is "$(cat "$log"/start?.out | sort)" "$(cat "$tmp/to-start")" "the codes taken up are the thousand routed ones"
is "$(cat "$log"/answer?.out | sort)" "$(cat "$tmp/to-answer")" "the codes answered are the thousand in progress"
# moved_once FILE WHAT STATE: the cases of FILE in STATE with exactly one WHAT event into it.
moved_once() {
	sql "SELECT count(*) FROM cases c WHERE c.code IN ($(in_list "$1")) AND c.state = '$3'
		AND (SELECT count(*) FROM event e WHERE e.subject_kind = 'case' AND e.subject_id = c.id
			AND e.what = '$2' AND e.after = '$3') = 1"
}
is "$(moved_once "$tmp/to-route" route routed)" 1000 "each of the new cases was routed, once"
is "$(moved_once "$tmp/to-start" state in-progress)" 1000 "each of the routed ones was taken up, once"
is "$(moved_once "$tmp/to-answer" answer answered)" 1000 "each of those in progress was answered, once"
is "$(statuses "$log"/writer? "$log/batch")" "0x51" "the writers beside them: exit 0, all 51 runs"
is "$(sql "SELECT count(*) FROM cases WHERE kind = 'question'")" 550 "and their 550 questions are stored"

# --- 2. writers, a reader, check and backup together --------------------------------

mkdir "$tmp/bk" "$tmp/killed"
end=$((SECONDS + PHASE_S))
for w in 1 2 3; do
	(i=0
	while [ $i -lt $((30 * PHASE_S)) ] && [ $SECONDS -lt $end ]; do
		timed "w$w" pcase-new -k complaint -c phone -s "نوشته $w $i" --phone 09121234567
		i=$((i + 1))
	done) &
done
# The writer of the issue: one commit every 0.2 s.
(i=0
while [ $i -lt $((5 * PHASE_S)) ] && [ $SECONDS -lt $end ]; do
	timed w4 pcase-new -k complaint -c phone -s "نوشته هر ۰٫۲ ثانیه $i" --phone 09121234567
	sleep 0.2
	i=$((i + 1))
done) &
# A writer over many codes: 400 of the cases taken up set waiting and back, in turn.
(i=0
while [ $i -lt $((PHASE_S)) ] && [ $SECONDS -lt $end ]; do
	if [ $((i % 2)) = 0 ]; then set -- --set waiting --note 'مدارک را بفرستید'; else set -- --set in-progress; fi
	timed many sh -c 'sed -n "1,400p" "$1" | (shift; pcase-status "$@")' sh "$tmp/to-start" "$@"
	i=$((i + 1))
done) &
(i=0
while [ $i -lt $((30 * PHASE_S)) ] && [ $SECONDS -lt $end ]; do
	timed reader pcase-list --kind complaint --channel portal --state routed
	timed reader pcase-status "$(head -1 "$tmp/codes")"
	i=$((i + 1))
done) &
(i=0
while [ $i -lt $((5 * PHASE_S)) ] && [ $SECONDS -lt $end ]; do
	timed check timeout 60 pdb -q check
	i=$((i + 1))
done) &
# Each backup is checked as it is made ("number status cases"), then removed.
(i=0
while [ $i -lt $((2 * PHASE_S)) ] && [ $SECONDS -lt $end ]; do
	f=$tmp/bk/$i.db
	if timed backup timeout 60 pdb -q backup "$f"; then
		pdb -q --db "$f" check >>"$log/bk-check.err" 2>&1
		echo "$i $? $(sqlite3 "$f" 'SELECT count(*) FROM cases')" >>"$log/bk-check"
		rm -f "$f" "$f-wal" "$f-shm"
	fi
	i=$((i + 1))
done) &
# Backups killed at moments spread over their run.
(i=0
while [ $i -lt 8 ] && [ $SECONDS -lt $end ]; do
	echo "$i" >>"$tmp/killed.log"
	pdb -q backup --time-limit 60 "$tmp/killed/$i.db" 2>/dev/null &
	job=$!
	sleep "$(awk -v i=$i 'BEGIN { print i * 0.045 }')"
	kill -9 "$job" 2>/dev/null
	wait "$job" 2>/dev/null
	i=$((i + 1))
done) &
wait

diag() { echo "# $*"; }
diag "writers $(statuses "$log"/w?); many codes $(statuses "$log/many"); reader $(statuses "$log/reader");" \
	"check $(statuses "$log/check"); backup $(statuses "$log/backup")"
is "$(early_busy "$log"/w? "$log/many")" 0 "no writer was told busy (75) before it waited its timeout"
is "$(cat "$log"/w? | awk '$1 != 0 && $1 != 75' | wc -l)" 0 \
	"every single-case writer: exit 0 (or 75, once it waited its timeout)"
is "$(statuses "$log/many" | sed 's/0x[0-9]*//')" "" "the writer over many codes: exit 0, every run"
is "$(awk 'END { print NR }' "$log/many")" "$(($(awk 'END { print NR }' "$log/many.out") / 400))" \
	"and every run printed its 400 codes"
is "$(statuses "$log/reader" | sed 's/0x[0-9]*//')" "" "the reader: exit 0, every run"
is "$(statuses "$log/check" | sed 's/0x[0-9]*//')" "" "pdb check beside them: exit 0, every run"
is "$(statuses "$log/backup" | sed 's/0x[0-9]*//')" "" "pdb backup beside them: exit 0, every run"
# A copy that started again at each commit between its steps (before issue
# 15) was done once in the whole run, after the writers had stopped.
ok "$([ "$(wc -l <"$log/backup")" -ge 2 ]; echo $?)" \
	"the backups were done while the writers wrote: $(wc -l <"$log/backup") of them"

# Nothing lost: every code a writer printed is stored, once.
cat "$log"/w?.out >"$tmp/written"
is "$(sql "SELECT count(*) FROM cases WHERE code IN ($(in_list "$tmp/written"))")" "$(wc -l <"$tmp/written")" \
	"every code a writer printed is stored ($(wc -l <"$tmp/written"))"
is "$(sql "SELECT count(*) FROM cases")" "$((3550 + $(wc -l <"$tmp/written")))" "and no case besides"
is "$(sql "SELECT count(*) FROM cases WHERE kind = 'complaint' AND channel = 'phone'")" "$(wc -l <"$tmp/written")" \
	"no writer's case was stored twice"

# Nothing partial: every backup was whole and sound, and so is every one a kill left.
ls -a "$tmp/bk" | grep -v '^\.\.\?$' >"$tmp/stray"
is "$(cat "$tmp/stray")" "" "nothing is left beside the backups (each removed once checked)"
is "$(awk '$2 != 0 { print $1 }' "$log/bk-check")" "" "each backup passed pdb --db BACKUP check"
is "$(awk 'NR > 1 && $3 < n { print $1 } { n = $3 }' "$log/bk-check")" "" \
	"and none had fewer cases than the one before it"
bad=
left=0 whole=$(ls "$tmp/killed" | wc -l)
for i in $(cat "$tmp/killed.log"); do
	f=$tmp/killed/$i.db
	if [ -e "$f" ]; then
		pdb -q --db "$f" check >/dev/null 2>&1 || bad="$bad killed/$i.db"
	else
		[ -e "$tmp/killed/.$i.db.partial" ] && left=$((left + 1))
		pdb -q backup "$f" || bad="$bad killed/$i.db:again"
	fi
done
diag "$(wc -l <"$tmp/killed.log") backups killed in their first 0.3 s: $whole done before," \
	"$left partial files left"
is "$bad" "" "a killed backup left its whole copy or none, and the next run to its name is done"

run pdb check --full
is "$rc" 0 "at the end, pdb check --full: exit 0"
like "$out" ": ok (schema" "the file, the index and the chain are sound"

done_testing
