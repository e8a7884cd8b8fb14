#!/bin/bash
# 0091-completions.t — the bash and zsh completions: real cases through each
# shell's completion, every command registered in both, and the options and
# vocabularies they offer the same as the commands' own.
. "$(dirname "$0")/lib.sh"

bash_file=$top/completions/bash/partake
zsh_file=$top/completions/zsh/_partake
commands=$(cd "$top/cmd" && for f in *.c; do echo "${f%.c}"; done)

# skip REASON: a test that cannot run here.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # skip $1"
}

# comp LINE: what bash offers with the cursor at the end of LINE (the
# candidates, space-separated), in a bash of its own without
# bash-completion. LINE is split as readline splits it: at blanks and after
# the word-breaks '=' and ':'.
comp() {
	env -u BASH_ENV bash --norc --noprofile -c '
		source "$1" || exit 1
		COMP_LINE=$2 COMP_POINT=${#2} COMP_WORDS=()
		for w in $2; do
			while [[ $w == *[=:]* ]]; do
				pre=${w%%[=:]*}
				[[ -n $pre ]] && COMP_WORDS+=("$pre")
				COMP_WORDS+=("${w:${#pre}:1}")
				w=${w:${#pre}+1}
			done
			[[ -n $w ]] && COMP_WORDS+=("$w")
		done
		[[ $2 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_partake
		echo "${COMPREPLY[*]}"
	' bash "$bash_file" "$1"
}

# c_array FILE NAME: the strings of a C array of names, space-separated.
c_array() {
	sed -n "/ $2\[.*= {/,/};/p" "$1" | grep -o '"[^"]*"' | tr -d '"' | tr '\n' ' ' | sed 's/ $//'
}
kinds=$(c_array "$top/lib/kind.c" kinds)
channels=$(c_array "$top/lib/kind.c" channels)
states=$(c_array "$top/lib/kind.c" states)
formats=$(c_array "$top/lib/fmt.c" fmt_name)
sort_keys=$(cat "$top"/lib/*.c | sed -n '/ sort_keys\[.*= {/,/};/p' | grep -o '{"[^"]*"' | tr -d '{"' |
	tr '\n' ' ' | sed 's/ $//')
like "$kinds $states $formats $sort_keys" "complaint" "the vocabularies are read from lib/"
like "$sort_keys" "received" "the sort keys are read from lib/"

# --- bash ----------------------------------------------------------------

run env -u BASH_ENV bash --norc --noprofile -n "$bash_file"
is "$rc $err" "0 " "bash: the file parses"

registered=$(env -u BASH_ENV bash --norc --noprofile -c '. "$1"; complete -p' bash "$bash_file")$'\n'
for c in $commands; do
	like "$registered" "complete -F _partake $c"$'\n' "bash: $c is registered"
done

is "$(comp 'pcase-new --ki')" "--kind" "bash: pcase-new --ki → --kind"
is "$(comp 'pcase-new --kind ')" "$kinds" "bash: pcase-new --kind: the kinds of lib/kind.c"
like "$(comp 'pcase-new --kind ')" "violation" "bash: pcase-new --kind: violation among them"
is "$(comp 'pcase-new --kind=co')" "complaint comment" "bash: --kind=co (one word)"
is "$(comp 'pcase-new --kind=')" "$kinds" "bash: --kind= (one word, nothing yet)"
is "$(comp 'pcase-new -k v')" "violation" "bash: -k v"
is "$(comp 'pcase-new -c ')" "$channels" "bash: -c: the channels of lib/kind.c"
is "$(comp 'pcase-list --channel 1')" "111" "bash: --channel 1"
is "$(comp 'pcase-list --state ')" "$states" "bash: pcase-list --state: the states of lib/kind.c"
like "$(comp 'pcase-list --state ')" "in-progress" "bash: pcase-list --state: in-progress among them"
is "$(comp 'pcase-list -s in')" "in-progress" "bash: pcase-list -s is --state"
is "$(comp 'pcase-new -s ')" "" "bash: pcase-new -s is --subject: nothing offered"
is "$(comp 'pcase-list -f ')" "$formats" "bash: -f: the formats of lib/fmt.c"
like "$(comp 'pcase-list -f ')" "json" "bash: pcase-list -f: json among them"
is "$(comp 'pcase-list -qf c')" "csv codes" "bash: -f at the end of a cluster of flags"
is "$(comp 'pcase-status --format=re')" "record" "bash: --format=re"
is "$(comp 'pcase-list --sort ')" "$sort_keys" "bash: --sort: the keys of lib/caseview.c"
is "$(comp 'pcase-list --sort -')" "-received -due -code -kind -state -unit" \
	"bash: --sort -: descending keys, not options"
is "$(comp 'pcase-list --sort=-d')" "-due" "bash: --sort=-d"
is "$(comp 'pcase-list --sta in')" "in-progress" "bash: a long option cut short, as getopt takes it"
is "$(comp 'pcase-list --due c')" "" "bash: an ambiguous abbreviation takes no value"
is "$(comp 'pcase-list --overdue --l')" "--limit --long" "bash: options after a flag"
is "$(comp 'pcase-list --limit 5 --q')" "--query --quiet" "bash: options after an option's value"
is "$(comp 'pdb ')" "init migrate check backup" "bash: pdb actions"
is "$(comp 'pdb -q b')" "backup" "bash: pdb action after an option"
is "$(comp 'pdb --db x.db ')" "init migrate check backup" "bash: pdb action after --db FILE"
is "$(comp 'pdb check ')" "" "bash: nothing after pdb check"
is "$(comp 'pdb init --')" "--db --config --format --null --quiet --help --usage --version" \
	"bash: options after the action"
is "$(comp 'pcal ')" "add between holidays month" "bash: pcal actions"
is "$(comp 'pcal --to ')" "jalali gregorian" "bash: pcal --to"
is "$(comp 'pcal --ex')" "--explain" "bash: pcal --explain"
is "$(comp 'pcal add 1405-09-01 ')" "" "bash: pcal add DATE: no candidates for N"
is "$(comp 'pcal 1405-09-01 ')" "" "bash: pcal DATE: no actions after a date"
is "$(comp 'pcase-status --pu')" "--public" "bash: pcase-status --public"
is "$(comp 'pcase-status ')" "" "bash: no candidates for tracking codes"
is "$(comp 'pcase-status -- -')" "" "bash: no options after --"
for o in --subject --body --name --phone --email --national-id --received --unit --service; do
	is "$(comp "pcase-new $o ")" "" "bash: pcase-new $o: nothing offered"
done
for o in --query --since --until --due-within --due-before --limit --unit --service; do
	is "$(comp "pcase-list $o ")" "" "bash: pcase-list $o: nothing offered"
done

mkdir -p "$tmp/files/sub"
touch "$tmp/files/cases.db" "$tmp/files/cases.conf" "$tmp/files/10:30.txt" "$tmp/files/a b"
f=$tmp/files
is "$(comp "pcase-new --db $f/cases.d")" "$f/cases.db" "bash: --db: files"
is "$(comp "pcase-new --db=$f/cases.d")" "$f/cases.db" "bash: --db=: files"
is "$(comp "pcal --config $f/cases.c")" "$f/cases.conf" "bash: --config: files"
is "$(comp "pcase-new --body-file $f/s")" "$f/sub" "bash: --body-file: files"
is "$(comp "pcase-new --attach $f/a")" "$f/a b" "bash: --attach: files"
is "$(comp "pdb backup $f/cases.c")" "$f/cases.conf" "bash: pdb backup FILE: files"
is "$(comp "pdb backup $f/10:")" "30.txt" "bash: a file with ':', after the word-break"
is "$(comp "pcal --explain $f/c")" "" "bash: no files where none is asked for"

# Every option a command's --help lists, long and short, is offered.
help_options() {
	"$top/bin/$1" --help | sed -nE 's/^ {2,6}((-.), )?(--[a-z0-9-]+).*/\2 \3/p' |
		tr ' ' '\n' | grep -v -e '^-?$' -e '^$' | sort | tr '\n' ' '
}
comp_options() {
	comp "$1 -" | tr ' ' '\n' | sort | tr '\n' ' '
}
for c in $commands; do
	if [ -x "$top/bin/$c" ]; then
		is "$(comp_options "$c")" "$(help_options "$c")" "bash: $c offers the options of its --help"
	else
		skip "bin/$c is not built"
	fi
done

# As installed: bash-completion loads the file under a command's name, from a
# function, and every command is completed from then on.
bc=/usr/share/bash-completion/bash_completion
if [ -f "$bc" ]; then
	mkdir -p "$XDG_DATA_HOME/bash-completion/completions"
	cp "$bash_file" "$XDG_DATA_HOME/bash-completion/completions/pdb"
	run env -u BASH_ENV bash --norc --noprofile -c '
		. "$1" || exit 1
		if declare -F _comp_load >/dev/null; then _comp_load pdb; else __load_completion pdb; fi
		complete -p pcase-new pcal
		COMP_LINE="pcase-new --kind c" COMP_POINT=18 COMP_WORDS=(pcase-new --kind c) COMP_CWORD=2
		_partake
		echo "${COMPREPLY[*]}"
		COMP_LINE="pdb backup $2/cases.d" COMP_POINT=${#COMP_LINE}
		COMP_WORDS=(pdb backup "$2/cases.d") COMP_CWORD=2
		_partake
		echo "${COMPREPLY[*]}"
	' bash "$bc" "$f"
	is "$out" "complete -F _partake pcase-new
complete -F _partake pcal
complaint comment
$f/cases.db" "bash: loaded by bash-completion under one name, completes every command"
else
	skip "bash-completion is not installed"
fi

# --- zsh -----------------------------------------------------------------

if ! command -v zsh >/dev/null; then
	skip "zsh is not installed (make deps)"
	done_testing
	exit
fi

run zsh -n "$zsh_file"
is "$rc $err" "0 " "zsh: the file parses"
compdef=$(sed -n '1s/^#compdef //p' "$zsh_file")
for c in $commands; do
	like " $compdef " " $c " "zsh: $c is on the #compdef line"
	grep -q "^	$c)" "$zsh_file"
	ok $? "zsh: $c has its branch"
done
is "$(echo $compdef | tr ' ' '\n' | sort | tr '\n' ' ')" \
	"$(env -u BASH_ENV bash --norc --noprofile -c '. "$1"; echo "${!_partake_options[@]}"' bash "$bash_file" |
		tr ' ' '\n' | sort | tr '\n' ' ')" "zsh and bash complete the same commands"

# zcomp LINE: what zsh offers for LINE, space-separated: a zsh -f in a
# pseudo-terminal, compinit with our file first in fpath, and a compadd that
# also prints what it adds. Ends at the end of the completion, or in 20s.
cat >"$tmp/zcomp.zsh" <<'EOF'
zmodload zsh/zpty || exit 3
zpty z zsh -f -i
zpty -w z 'stty -echo'
zpty -w z "fpath=(${(q)1} \$fpath); PS1=; PS2=; unsetopt zle_bracketed_paste 2>/dev/null"
zpty -w z 'autoload -U compinit; compinit -u -D'
zpty -w z 'zstyle ":completion:*" insert-tab false; zstyle ":completion:*" menu no'
zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; local -a h; builtin compadd -A h "$@"; builtin compadd "$@"; local x; for x in $h; do print -r -- "<"HIT">$x"; done; }'
zpty -w z 'comppostfuncs=(__end); __end() { print -r -- "<"END">"; exit }'
zpty -w z 'bindkey "^I" complete-word'
zpty -w z "$2"$'\t'
local line
while zpty -r z line; do
	line=${line//$'\r'/}
	line=${line%$'\n'}
	[[ $line == *'<END>'* ]] && break
	[[ $line == *'<HIT>'* ]] && print -r -- "${line##*<HIT>}"
done
zpty -d z
EOF
zcomp() {
	timeout 20 zsh -f "$tmp/zcomp.zsh" "$top/completions/zsh" "$1" | tr '\n' ' ' | sed 's/ $//'
}
if [ "$(zcomp 'pdb ')" = "init migrate check backup" ]; then
	ok 0 "zsh: pdb actions (zpty)"
	is "$(zcomp 'pcase-new --ki')" "--kind" "zsh: pcase-new --ki → --kind"
	is "$(zcomp 'pcase-new --kind ')" "$kinds" "zsh: pcase-new --kind: the kinds of lib/kind.c"
	is "$(zcomp 'pcase-new --kind=co')" "complaint comment" "zsh: --kind=co"
	is "$(zcomp 'pcase-new -c ')" "$channels" "zsh: -c: the channels"
	is "$(zcomp 'pcase-list --state ')" "$states" "zsh: pcase-list --state: the states"
	is "$(zcomp 'pcase-list -s in')" "in-progress" "zsh: pcase-list -s is --state"
	is "$(zcomp 'pcase-new -s ')" "" "zsh: pcase-new -s is --subject: nothing offered"
	is "$(zcomp 'pcase-list -f ')" "$formats" "zsh: -f: the formats"
	is "$(zcomp 'pcase-list --sort -')" "-received -due -code -kind -state -unit" "zsh: --sort -"
	is "$(zcomp 'pcal ')" "add between holidays month" "zsh: pcal actions"
	is "$(zcomp 'pcal --to ')" "jalali gregorian" "zsh: pcal --to"
	is "$(zcomp "pdb backup $f/cases.c")" "cases.conf" "zsh: pdb backup FILE: files"
	is "$(zcomp "pcase-new --db $f/cases.d")" "cases.db" "zsh: --db: files"
	is "$(zcomp 'pcase-status --pu')" "--public" "zsh: pcase-status --public"
	is "$(zcomp 'pcase-new --unit ')" "" "zsh: --unit: nothing offered"
	for c in $commands; do
		if [ -x "$top/bin/$c" ]; then
			is "$(zcomp "$c -" | tr ' ' '\n' | sort | tr '\n' ' ')" "$(help_options "$c")" \
				"zsh: $c offers the options of its --help"
		else
			skip "bin/$c is not built"
		fi
	done
else
	skip "zsh's zpty did not complete here; syntax and #compdef checked only"
fi

done_testing
