#!/bin/bash
# 0090-docs.t — every command (cmd/*.c) has what the README's "Adding a
# command" checklist asks: a section 1 page (section 8 for a program a
# server runs, NAME.cgi: the portal) that mandoc finds clean, with an
# EXIT STATUS section and every long option of --help; a --help that says
# Usage; a --version of the form "CMD (partake) VERSION"; a completion; and
# a test of its own. The section 5 and 7 pages are linted too. A command
# added without one of these fails `make check`.
. "$(dirname "$0")/lib.sh"

# mandoc is one of the packages `make deps` installs; without it the pages
# cannot be checked, and that is a failure, not a skip.
if ! command -v mandoc >/dev/null 2>&1; then
	ok 1 "mandoc is installed"
	echo "# mandoc is not installed, so the manual pages cannot be checked:"
	echo "# run 'make deps' (or: apt-get install mandoc)"
	done_testing
	exit 1
fi

# lint PAGE: mandoc's warnings and errors about PAGE, empty when it is clean.
lint() {
	mandoc -Tlint -Wwarning "$1" 2>&1
}

commands=$(cd "$top/cmd" && for f in *.c; do [ -e "$f" ] && echo "${f%.c}"; done)
[ -n "$commands" ]
ok $? "there are commands in cmd/"

# The tests that run commands for their behaviour: not this one, and not the
# completion tests, which name every command without running it.
self=$(basename "$0")
behaviour_tests=()
for t in "$top"/tests/*.t; do
	case "$(basename "$t")" in
	"$self" | *docs* | *complet*) ;;
	*) behaviour_tests+=("$t") ;;
	esac
done

version_re='^[0-9]+\.[0-9]+(\.[0-9]+)?([-+.~][0-9A-Za-z.+~-]*)?$'

# The section of a command's page: 8 for what a web server runs (NAME.cgi),
# 1 for what people and cron run.
section_of() {
	case $1 in
	*.cgi) echo 8 ;;
	*) echo 1 ;;
	esac
}

for c in $commands; do
	s=$(section_of "$c")
	page=$top/man/man$s/$c.$s

	# The page: there, clean, with its EXIT STATUS.
	if [ -f "$page" ]; then
		ok 0 "$c: man/man$s/$c.$s exists"
		out=$(lint "$page")
		is "$out" "" "$c: mandoc -Tlint -Wwarning $c.$s prints nothing"
		grep -q '^\.Sh EXIT STATUS' "$page"
		ok $? "$c: $c.$s has an EXIT STATUS section"
		grep -q "^\.Nm $c\$" "$page"
		ok $? "$c: $c.$s names $c"
		grep -q "^\.Dt $(echo "$c" | tr a-z A-Z) $s\$" "$page"
		ok $? "$c: $c.$s says it is of section $s"
	else
		ok 1 "$c: man/man$s/$c.$s exists"
		ok 1 "$c: mandoc -Tlint -Wwarning $c.$s prints nothing"
		ok 1 "$c: $c.$s has an EXIT STATUS section"
		ok 1 "$c: $c.$s names $c"
		ok 1 "$c: $c.$s says it is of section $s"
	fi

	# The binary: make check builds it before running the tests.
	if [ ! -x "$top/bin/$c" ]; then
		ok 1 "$c: bin/$c is built (run make)"
		continue
	fi

	run "$top/bin/$c" --help </dev/null
	help=$out
	is "$rc" 0 "$c --help exits 0"
	like "$help" "Usage: $c" "$c --help prints its Usage"

	run "$top/bin/$c" --version </dev/null
	first=${out%%$'\n'*}
	is "$rc" 0 "$c --version exits 0"
	like "$first" "$c (partake) " "$c --version says \"$c (partake) \""
	[[ ${first#"$c (partake) "} =~ $version_re ]]
	ok $? "$c --version ends in a version number ('$first')"

	# Every long option that --help lists is in the page, as Fl -name
	# (argp's own --help, --usage and --version aside).
	missing=
	if [ -f "$page" ]; then
		for o in $(printf '%s\n' "$help" |
			sed -nE 's/^ {2,6}(-[^ ,], )?(--[a-z0-9][a-z0-9-]*).*/\2/p' | sort -u); do
			case "$o" in --help | --usage | --version) continue ;; esac
			grep -qE -- "Fl \\\\?-${o#--}([^a-z0-9-]|\$)" "$page" || missing="$missing $o"
		done
	else
		missing=" (no page)"
	fi
	is "$missing" "" "$c: every long option of --help is in $c.$s"

	# A completion for it, in bash and zsh (the portal's CGI too: an admin
	# types `partake.cgi --check` as the server's user).
	grep -rqF -- "$c" "$top/completions/bash" 2>/dev/null
	ok $? "$c: completions/bash has $c"
	grep -rqF -- "$c" "$top/completions/zsh" 2>/dev/null
	ok $? "$c: completions/zsh has $c"

	# A test that runs it: the command as a word of a command line, not
	# only in a comment.
	found=
	for t in "${behaviour_tests[@]}"; do
		if grep -v '^[[:space:]]*#' "$t" |
			grep -qE -- "(^|[[:space:];|&(\`\"'])$c([[:space:];|&)\`\"']|\$)"; then
			found=$t
			break
		fi
	done
	[ -n "$found" ]
	ok $? "$c: a test runs it${found:+ (${found##*/})}"
done

# The configuration file's page and the overview, and any other page.
for page in "$top"/man/man5/partake.conf.5 "$top"/man/man7/partake.7; do
	[ -f "$page" ]
	ok $? "man/${page#"$top"/man/} exists"
done
for page in "$top"/man/man5/*.5 "$top"/man/man7/*.7; do
	[ -f "$page" ] || continue
	out=$(lint "$page")
	is "$out" "" "mandoc -Tlint -Wwarning ${page##*/} prints nothing"
done

# Pages of commands that are gone would be installed by make install.
for page in "$top"/man/man1/*.1 "$top"/man/man8/*.8; do
	[ -f "$page" ] || continue
	name=$(basename "$page")
	name=${name%.[18]}
	# A name linked to the page of its section (partake.cgi.1 to
	# partake.cgi.8, so that `man 1 partake.cgi` finds it): the link is
	# the page itself, linted and checked above under its own name.
	if [ -L "$page" ]; then
		s=$(section_of "$name")
		is "$(readlink "$page")" "../man$s/$name.$s" "man/${page#"$top"/man/} links to the page of its section"
		continue
	fi
	[ -f "$top/cmd/$name.c" ]
	ok $? "man/${page#"$top"/man/} is the page of a command in cmd/"
	[ "man$(section_of "$name")" = "$(basename "$(dirname "$page")")" ]
	ok $? "man/${page#"$top"/man/} is in the section of its command"
done

done_testing
