#!/bin/sh
# tests/sanitized.sh TEST — runs one test file against the sanitized build
# (`make check-sanitize` gives it to prove as --exec). Every command the
# test starts stops at its first AddressSanitizer or UndefinedBehaviorSanitizer
# report (halt_on_error, abort_on_error) and writes the report to a file of
# its own rather than to the stderr the test reads: a test that expects a
# command to fail cannot mistake a report for the failure it wanted. Any
# report fails the test file, and is shown, whatever the test said.
#
# Leaks are reported too: a one-shot command that frees nothing at exit is
# not a leak to LeakSanitizer (what a global or a live frame still points
# to is reachable), so what it reports is memory that nothing can free —
# the kind that grows with the input in a batch or a long run of pnotify.
log=$(mktemp -d "${TMPDIR:-/tmp}/partake-sanitizer.XXXXXX") || exit 1
common=halt_on_error=1:abort_on_error=1:print_stacktrace=1
export ASAN_OPTIONS="$common:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1:log_path=$log/report"
export UBSAN_OPTIONS="$common:log_path=$log/report"
export LSAN_OPTIONS="print_suppressions=0"

"$1"
rc=$?
reports=0
for f in "$log"/*; do
	[ -f "$f" ] || continue
	reports=$((reports + 1))
	echo "sanitizer: $1: report ${f##*/}:" >&2
	sed "/^Shadow bytes around/q" "$f" | head -n 80 >&2
done
rm -rf "$log"
if [ "$reports" -gt 0 ]; then
	echo "sanitizer: $1: $reports report(s): failed" >&2
	exit 1
fi
exit "$rc"
