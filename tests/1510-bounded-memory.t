#!/bin/bash
# Memory that does not grow with the input, tested without timing: each
# command runs under a limit on its address space (ulimit -v) over an input
# far larger than the limit, and must do its work or refuse cleanly. A line
# is refused once it passes its limit, never read whole into memory (the old
# reader took a 100 MB line whole: under a limit it lost the line, and the
# rest, silently); a table is printed a page at a time, not kept whole (the
# old one needed 130 MB of address space for 200,000 cases, 300 MB with -l).
. "$(dirname "$0")/lib.sh"

# A sanitizer's shadow memory takes terabytes of address space: under one,
# the commands run with no limit and only what they print is checked.
sanitized=
if [ -n "${ASAN_OPTIONS-}${UBSAN_OPTIONS-}" ] || ldd "$top/bin/pcase-list" 2>/dev/null | grep -q 'libasan\|libubsan'; then
	sanitized=" (sanitizer build: no memory limit)"
fi
# limited KB CMD...: CMD with at most KB kilobytes of address space.
limited() {
	local kb=$1
	shift
	if [ -n "$sanitized" ]; then
		"$@"
	else
		(ulimit -v "$kb" && exec "$@")
	fi
}
# big N: N bytes of one line, no line end.
big() { head -c "$1" /dev/zero | tr '\0' 7; }
MB100=100000000

c=$(pcase-new -k violation -s 'یک مورد')

# --- lines are bounded at read ----------------------------------------------------------
run limited 40000 pcase-status -f codes < <(big $MB100; printf '\n%s\n' "$c")
is "$rc/$out" "1/$c" "a code line of 100 MB in 40 MB: refused, the code after it acted on$sanitized"
is "$err" "pcase-status: line 1: longer than 1048576 bytes" "the message says so and echoes nothing"

before=$(db_state)
run limited 60000 pcase-new --batch < <(echo '{"kind":"violation","subject":"first"}'
	printf '{"kind":"violation","subject":"'; big $MB100; printf '"}\n')
is "$rc/$out/$(db_state)" "2//$before" \
	"a batch line of 100 MB in 60 MB: the batch refused, nothing of it stored$sanitized"
like "$err" "line 2: text: longer than 1048576 bytes (nothing stored)" "naming the line"

# Read by punit: pcase-list links libxml2 (Open311), and with it ICU's 31 MB
# of data mapped, which would leave the limit no room to tell.
{ printf 'db = '; big 10000000; echo; } >"$tmp/big.conf"
PARTAKE_CONFIG=$tmp/big.conf run limited 40000 punit list
is "$rc" 2 "a config line of 10 MB in 40 MB: the config refused$sanitized"
is "$err" "punit: $tmp/big.conf:1: longer than 65536 bytes" "naming the file and the line"

{ printf '*\t*\t*\t'; big 10000000; printf '\tnowhere\n'; } >"$tmp/big.routes"
printf '%s\nroutes = %s\n' "$base_config" "$tmp/big.routes" >"$PARTAKE_CONFIG"
run limited 40000 pcase-route --auto "$c"
is "$rc" 2 "a routes line of 10 MB in 40 MB: the rules refused$sanitized"
is "$err" "pcase-route: $tmp/big.routes:1: longer than 65536 bytes" "naming the file and the line"
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"

# --- a table of 200,000 cases in a tenth of what it took ------------------------------
# The batch itself in bounded memory too: SQLite's cache, the queue between
# its threads and one line at a time (one malloc arena: a thread's own
# arena reserves 64 MB of address space it never uses).
n=200000
awk -v n=$n 'BEGIN { print "kind\tsubject\tbody\tphone"
	for (i = 1; i < n; i++)
		printf "complaint\tthe water of street %d\tno water since yesterday in house %d\t09121234567\n", i, i }' \
	>"$tmp/big.tsv"
MALLOC_ARENA_MAX=1 run limited 100000 pcase-new --batch --tsv -q <"$tmp/big.tsv"
is "$rc/$(printf '%s\n' "$out" | wc -l)" "0/$((n - 1))" "a batch of $((n - 1)) cases in 100 MB, every code printed$sanitized"
is "$(sql "SELECT count(*) FROM cases")" $n "$n cases to list"
run limited 90000 pcase-list -f table
is "$rc" 0 "pcase-list -f table of $n cases in 90 MB$sanitized"
is "$(printf '%s\n' "$out" | wc -l)" $((n + 1)) "a header and every case"
first=$(printf '%s\n' "$out" | head -n 1) last=$(printf '%s\n' "$out" | tail -n 1)
is "$(awk -v h="$first" -v l="$last" 'BEGIN { print index(h, "subject") == index(l, "the water") }')" 1 \
	"the last row lines up under the header, measured on the first page"
run limited 90000 pcase-list -f table -l
is "$rc/$(printf '%s\n' "$out" | wc -l)" "0/$((n + 1))" "pcase-list -f table -l of $n cases in 90 MB$sanitized"

# --- a batch keeps its codes on the disk, not in memory ---------------------------------
# They wait in an unlinked file in $TMPDIR until the commit (the old batch
# held them all: 82 MB for 5,000,000 cases); without a place for them the
# batch stores nothing.
printf '{"kind":"violation","subject":"one"}\n{"kind":"violation","subject":"two"}\n' >"$tmp/two.jsonl"
before=$(db_state)
TMPDIR=$tmp/nowhere run pcase-new --batch <"$tmp/two.jsonl"
is "$rc/$out/$(db_state)" "75//$before" "no temporary folder for the codes: nothing stored, nothing printed"
like "$err" "codes: cannot make a temporary file for them: No such file or directory (nothing stored)" \
	"and it says why"
mkdir "$tmp/spill"
TMPDIR=$tmp/spill run pcase-new --batch <"$tmp/two.jsonl"
is "$rc/$(printf '%s\n' "$out" | wc -l)" "0/2" "with one: both codes printed"
first=$(printf '%s\n' "$out" | head -n 1) second=$(printf '%s\n' "$out" | tail -n 1)
is "$(sql "SELECT subject FROM cases WHERE code = $first")/$(sql "SELECT subject FROM cases WHERE code = $second")" \
	"one/two" "in input order"
is "$(ls -A "$tmp/spill" | wc -l)" 0 "and nothing left in the folder"

done_testing
