#!/bin/bash
# make demo: the day's work runs whole, says everything in its place (the
# commands' warnings and summaries among their output, not as stray
# stderr), and needs no sqlite3 shell; nor do the manual pages' examples.
. "$(dirname "$0")/lib.sh"

TMPDIR=$tmp timeout 300 sh "$top/tests/demo.sh" > "$tmp/demo.out" 2> "$tmp/demo.err"
is "$?" 0 "the demo runs to its end: exit 0"
is "$(cat "$tmp/demo.err")" "" "nothing on its standard error: what the commands say is part of it"
out=$(cat "$tmp/demo.out")
like "$out" "pcase-route: routed 9, failed 1 (no routing rule matches; left unrouted: 1; -v shows each)" \
	"the routing's summary is shown where routing is"
like "$out" "no routing rule matches; left unrouted" "the dry run shows the case no rule matches, and why"
like "$out" "pnotify --list --state sent" "the outbox is read with pnotify --list"
like "$out" ": ok (schema" "and the database checks out at the end"
ls "$tmp" | grep -c '^partake-demo' > "$tmp/left"
is "$(cat "$tmp/left")" 0 "the throw-away folder is gone"

# sqlite3 as a command of the demo, or in an example a reader would copy.
grep -n '^[^#]*\bsqlite3 ' "$top/tests/demo.sh" > "$tmp/demo.sqlite3"
is "$(cat "$tmp/demo.sqlite3")" "" "the demo runs no sqlite3 shell"
for page in "$top"/man/man[157]/*.[157]; do
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$page" | grep -n 'sqlite3' > "$tmp/ex"
	is "$(cat "$tmp/ex")" "" "$(basename "$page"): no example needs the sqlite3 shell"
done

done_testing
