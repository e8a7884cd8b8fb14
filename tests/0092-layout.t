#!/bin/bash
# 0092-layout.t — the shape of lib/ that ../shared/DESIGN.md ("Shape") asks
# for: modules in groups, each using its own group and those above it, no
# include cycle, SQLite behind the store's door, no JSON made or read in
# SQL, messages of lib/ that speak of the domain, thin commands, and each
# command linking only what its part of lib/ uses.
. "$(dirname "$0")/lib.sh"

# The groups, lowest first, as DESIGN.md lists them (with the small modules
# it leaves unnamed: tracking codes, exit codes and delivery outcomes with util, the run's
# context and the attachment store with the store, intake and caseedit with the cases, calview
# with the calendar's users; the portal: the CGI protocol low, its guard of forms with the
# store, its routes and pages on top, beside cli).
python3 - "$top/lib" >"$tmp/layout" <<'PY'
import os, re, sys
lib = sys.argv[1]
groups = [
    "util text lines json vocab contact fmt tmpl page feed wdiff code exitcode delivery stats cgi",
    "jalali caltime holiday workcal clock",
    "config store schema audit seal search context attach guard",
    "unit service route case workflow review caseview calview draft survey surveysum report impact monthly digest publish "
    "notice outbox dispatch mail sms mailin smsin open311 intake caseedit",
    "dbcheck against cli portal portalpage",
]
group = {m: i for i, g in enumerate(groups) for m in g.split()}
def module(f):
    base = os.path.basename(f).rsplit(".", 1)[0]
    return "fmt" if base.startswith("fmt-") else base
uses = {}
for f in sorted(os.listdir(lib)):
    if not f.endswith((".c", ".h")):
        continue
    m = module(f)
    for inc in re.findall(r'^#include "([^"]+)\.h"', open(os.path.join(lib, f)).read(), re.M):
        if module(inc) != m:
            uses.setdefault(m, set()).add(module(inc))
mods = sorted({module(f) for f in os.listdir(lib) if f.endswith((".c", ".h"))})
for m in mods:
    if m not in group:
        print("ungrouped", m)
for m, deps in sorted(uses.items()):
    for d in sorted(deps):
        if d in group and m in group and group[d] > group[m]:
            print("upward", m, "->", d)
# A cycle: a module that reaches itself through what it includes.
def reach(start):
    seen, todo = set(), list(uses.get(start, ()))
    while todo:
        d = todo.pop()
        if d == start:
            return True
        if d not in seen:
            seen.add(d)
            todo.extend(uses.get(d, ()))
    return False
for m in mods:
    if reach(m):
        print("cycle", m)
print("modules", len(mods))
PY
ok $? "the include graph of lib/ is read"
like "$(cat "$tmp/layout")" "modules " "it found the modules"
is "$(grep '^ungrouped' "$tmp/layout")" "" "every module of lib/ belongs to a group of DESIGN.md"
is "$(grep '^upward' "$tmp/layout")" "" "no module includes one of a group below its own"
is "$(grep '^cycle' "$tmp/layout")" "" "no include cycle in lib/"

is "$(cd "$top" && grep -l '<gmime/' lib/*.c lib/*.h cmd/*.c | tr '\n' ' ')" "lib/mailin.c " \
	"only mailin includes GMime"
is "$(cd "$top" && grep -l '<sqlite3.h>' lib/*.c lib/*.h cmd/*.c | tr '\n' ' ')" "lib/store.c " \
	"only the store includes <sqlite3.h> (schema and search need none of it)"
is "$(cd "$top" && grep -l 'sqlite3_' lib/*.c cmd/*.c | tr '\n' ' ')" "lib/store.c " \
	"and only the store calls SQLite"
is "$(cd "$top" && grep -nE '"[^"]*\bjson_(each|object|array|insert|group_array|group_object|extract|set|tree)\(' lib/*.c | head -3)" "" \
	"no SQL of lib/ reads or makes JSON"
is "$(cd "$top" && grep -nE '"[^"]*(\(--|--[a-z][a-z-]+:|with pcase-|see p[a-z]+\))' lib/*.c | grep -v '^lib/cli.c' | head -3)" "" \
	"no message of lib/ names an option or a command (cli.c words them)"
is "$(cd "$top" && grep -nE '\b(exit\(|error\([1-9E])' lib/*.c | grep -v '^lib/cli.c' |
	grep -v 'internal error\|out of memory\|random source' | head -3)" "" \
	"lib/ ends no run but on a broken invariant, out of memory or no randomness (cli.c aside)"

for f in "$top"/cmd/*.c; do
	n=$(wc -l <"$f")
	[ "$n" -le 170 ]
	ok $? "$(basename "$f") is thin: $n lines"
done

# What each command links: as its part of lib/ needs, never more.
needed() { readelf -d "$top/bin/$1" | grep NEEDED | grep -o '\[[^]]*\]' | tr -d '[]' | tr '\n' ' '; }
if command -v readelf >/dev/null; then
	unlike "$(needed pcal)" "nettle" "pcal writes no event: it does not link Nettle"
	unlike "$(needed pcase-list)" "nettle" "nor does pcase-list"
	like "$(needed pcase-new)" "nettle" "pcase-new does, for the chain"
	like "$(needed pnotify)" "curl" "pnotify sends mail and SMS: it links libcurl"
	like "$(needed pcase-sms)" "curl" "pcase-sms polls the SMS gateway: it links libcurl"
	for c in $(cd "$top/cmd" && ls | sed 's/\.c$//' | grep -vx 'pnotify\|pcase-sms'); do
		unlike "$(needed "$c")" "curl" "$c sends nothing: no libcurl"
	done
	like "$(needed pcase-mail)" "gmime" "pcase-mail reads mail: it links GMime"
	for c in $(cd "$top/cmd" && ls | sed 's/\.c$//' | grep -vx pcase-mail); do
		unlike "$(needed "$c")" "gmime" "$c reads no mail: no GMime"
	done
	like "$(needed pcase-list)" "libxml2" "pcase-list writes Open311 XML: it links libxml2"
	like "$(needed pdraft-publish)" "libxml2" "pdraft-publish writes pages: it links libxml2"
	# Those that write or read XML or HTML (pages, the feed, Open311, a chart, a mail's
	# HTML) link libxml2; no other.
	xml_users='pcase-list\|pservice\|pcase-mail\|psurvey-summary\|pdraft-publish\|pdraft-close\|preport\|partake.cgi'
	for c in $(cd "$top/cmd" && ls | sed 's/\.c$//' | grep -vx "$xml_users"); do
		unlike "$(needed "$c")" "libxml2" "$c writes and reads no XML or HTML: no libxml2"
	done
else
	ok 0 "# skip no readelf"
fi

done_testing
