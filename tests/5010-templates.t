#!/bin/bash
# 5010-templates.t — the notices' templates are checked as they are loaded:
# a field left open ('{' without '}', in the subject as in the text), an
# unknown field, no text, or a file that cannot be read stops the command
# with the file (and line) named, and nothing is stored or queued.
. "$(dirname "$0")/lib.sh"

tpl=$tmp/templates
mkdir "$tpl"
cp "$top/share/partake/templates/"*.txt "$tpl/"
printf 'holidays_dir = %s\ntemplates_dir = %s\n' "$top/share/partake/holidays" "$tpl" >"$PARTAKE_CONFIG"
pcase-new -k feedback -s 'first' --anonymous >/dev/null 2>&1	# the database, with no notice
outbox() { sql "SELECT count(*) FROM outbox"; }

# template TEXT: received.txt is TEXT (printf's escapes); then a case with an email is registered.
template() {
	rm -rf "$tpl/received.txt"
	printf '%b' "$1" >"$tpl/received.txt"
	before=$(db_state)
	run pcase-new -k complaint -s 'قالب' --email citizen@example.ir
}

# The subject left open: before, fill() read past the end of the subject (ASan: heap over-read).
template 'subject: کد پیگیری {code\nمتن {code}\n'
is "$rc" 2 "a subject with '{' and no '}': exit 2"
is "$err" "pcase-new: $tpl/received.txt:1: the '{' at character 20 has no '}' on its line" \
	"naming the file, the line and where on it"
is "$(db_state)/$(outbox)" "$before/0" "nothing stored, nothing queued"
template 'subject: {\nمتن\n'
like "$rc/$err" "2/pcase-new: $tpl/received.txt:1: the '{' at character 10 has no '}'" "a subject of a lone '{'"
template 'Subject:{code}{\nمتن\n'
like "$rc/$err" "2/pcase-new: $tpl/received.txt:1: the '{' at character 15 has no '}'" \
	"a '{' left open after a good field"
template 'subject: {code\n}\n'
like "$rc/$err" "2/pcase-new: $tpl/received.txt:1: the '{' at character 10 has no '}'" \
	"a '}' on the next line does not close it"
is "$(db_state)/$(outbox)" "$before/0" "none of them stored or queued anything"

# The text, line by line, as the subject.
template 'subject: {code}\nکد {code}\nمهلت {due\n'
like "$rc/$err" "2/pcase-new: $tpl/received.txt:3: the '{' at character 6 has no '}'" "a field left open in the text"
template 'subject: {code}\nکد {ccode}\n'
is "$rc/$err" "2/pcase-new: $tpl/received.txt:2: unknown field '{ccode}'" "an unknown field"
template 'subject: {code}\n\n  \n'
is "$rc/$err" "2/pcase-new: $tpl/received.txt: no text (the notice's template)" \
	"a template with no text: before, an empty notice was queued"
template ''
like "$rc/$err" "2/pcase-new: $tpl/received.txt: no text" "an empty file"
is "$(db_state)/$(outbox)" "$before/0" "nothing stored or queued"

# A template that cannot be read.
rm "$tpl/received.txt"
mkdir "$tpl/received.txt"
before=$(db_state)
run pcase-new -k complaint -s 'قالب' --phone 09121234567
is "$rc" 2 "received.txt a directory: exit 2"
is "$err" "pcase-new: $tpl/received.txt: cannot read: Is a directory (the notice's template)" "naming the file and why"
is "$(db_state)/$(outbox)" "$before/0" "nothing stored, nothing queued"
rmdir "$tpl/received.txt"
run pcase-new -k complaint -s 'قالب' --phone 09121234567
like "$rc/$err" "2/pcase-new: $tpl/received.txt: No such file or directory" "no such file: exit 2, named"
# A sanitizer build cannot run under a memory limit: there the case is skipped.
if can_limit_memory; then
	ln -s /dev/zero "$tpl/received.txt"
	run sh -c 'ulimit -v 400000 && exec timeout 20 pcase-new -k complaint -s x --phone 09121234567'
	is "$rc" 2 "received.txt is /dev/zero, read under a memory limit: exit 2"
	like "$err" "$tpl/received.txt:1: longer than 65536 bytes" "naming the file and why"
	is "$(db_state)/$(sql "SELECT count(*) FROM outbox WHERE body = ''")" "$before/0" \
		"no case stored, and no empty SMS queued"
	rm "$tpl/received.txt"
else
	ok 0 "# SKIP cannot run under a memory limit here"
	ok 0 "# SKIP (the same)"
	ok 0 "# SKIP (the same)"
fi

# Mended, it fills in.
template 'subject: کد {code}\nپیگیری {code}\n'
is "$rc" 0 "the mended template: exit 0"
code=$(printf '%s' "$out" | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/')
for d in 0:۰ 1:۱ 2:۲ 3:۳ 4:۴ 5:۵ 6:۶ 7:۷ 8:۸ 9:۹; do code=${code//${d%%:*}/${d#*:}}; done
is "$(sql "SELECT subject FROM outbox")" "کد $code" "the mail's subject, filled in (Persian digits)"

done_testing
