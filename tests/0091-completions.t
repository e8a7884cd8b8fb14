#!/bin/bash
# 0091-completions.t — the bash and zsh completions: real cases through each
# shell's completion, every command registered in both, and the options and
# vocabularies they offer the same as the commands' own.
. "$(dirname "$0")/lib.sh"

bash_file=$top/completions/bash/partake
zsh_file=$top/completions/zsh/_partake
# skip REASON: a test that cannot run here.
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # skip $1"
}

# Every command, the portal's CGI too: a web server runs it, but an admin
# types `partake.cgi --check` as the server's user.
commands=
for f in "$top"/cmd/*.c; do
	commands="$commands $(basename "$f" .c)"
done

# comp LINE [AFTER]: what bash offers with the cursor at the end of LINE
# (the candidates, space-separated), in a bash of its own without
# bash-completion; AFTER, beginning with a blank, is the rest of the line,
# after the cursor. The line is split as readline splits it: at blanks and
# after the word-breaks '=' and ':'.
comp() {
	env -u BASH_ENV bash --norc --noprofile -c '
		source "$1" || exit 1
		split() {
			for w in $1; do
				while [[ $w == *[=:]* ]]; do
					pre=${w%%[=:]*}
					[[ -n $pre ]] && COMP_WORDS+=("$pre")
					COMP_WORDS+=("${w:${#pre}:1}")
					w=${w:${#pre}+1}
				done
				[[ -n $w ]] && COMP_WORDS+=("$w")
			done
		}
		COMP_LINE=$2$3 COMP_POINT=${#2} COMP_WORDS=()
		split "$2"
		[[ $2 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		split "$3"
		_partake
		echo "${COMPREPLY[*]}"
	' bash "$bash_file" "$1" "${2-}"
}

# c_array FILE NAME: the strings of a C array of names, space-separated,
# whether it spans lines or not.
c_array() {
	awk -v n=" $2[" 'index($0, n) && /= \{/ { on = 1 } on { print } on && /};/ { on = 0 }' "$1" |
		grep -o '"[^"]*"' | tr -d '"' | tr '\n' ' ' | sed 's/ $//'
}
# vocab NAME: the names of a vocabulary of lib/vocab.c, space-separated
# (VOCAB(NAME_vocab, "label", "name", …)), its label left out.
vocab() {
	awk -v v="VOCAB($1_vocab," 'index($0, v) == 1 { on = 1 } on { print } on && /\);/ { on = 0 }' \
		"$top/lib/vocab.c" | grep -o '"[^"]*"' | tail -n +2 |
		tr -d '"' | tr '\n' ' ' | sed 's/ $//'
}
kinds=$(vocab kind)
channels=$(vocab channel)
states=$(vocab state)
formats=$(vocab format)
sort_keys=$(cat "$top"/lib/*.c | sed -n '/ sort_keys\[.*= {/,/};/p' | grep -o '{"[^"]*"' | tr -d '{"' |
	tr '\n' ' ' | sed 's/ $//')
like "$kinds $states $formats $sort_keys" "complaint" "the vocabularies are read from lib/"
like "$sort_keys" "received" "the sort keys are read from lib/"
outcomes=$(vocab outcome)
actions=$(vocab action)
opinions=$(vocab opinion)
is "$outcomes|$actions|$opinions" \
	"accepted partial rejected noted info|system process information support regulation|approve reject abstain" \
	"the outcomes, actions and opinions are read from lib/vocab.c"
# pcase-status --set parses every state but moves a case only to these,
# the ones its --help names.
set_states="in-progress waiting closed rejected"
for s in $set_states; do
	like " $states " " $s " "pcase-status --set $s is a state of lib/vocab.c"
done
like "$("$top/bin/pcase-status" --help | tr -s ' \n' ' ')" "Move to in-progress, waiting, closed or rejected" \
	"pcase-status --help names the states --set moves to"

# A real database to complete unit and service codes from, and the files
# the commands look for it in. $PARTAKE_DB is never made: a completion
# that finds no database must offer nothing and create none.
units_db=$tmp/units.db
run pdb --db "$units_db" init
is "$rc" 0 "a database to complete from: pdb init"
punit --db "$units_db" -q add tax --name Tax >/dev/null &&
	punit --db "$units_db" -q add tax.north --name North --parent tax >/dev/null &&
	punit --db "$units_db" -q add roads --name Roads >/dev/null &&
	pservice --db "$units_db" -q add permit --name Permit --unit roads >/dev/null
ok $? "units and a service: punit add, pservice add"
units="roads tax tax.north"
is "$(punit --db "$units_db" -q -f codes list | tr '\n' ' ')" "$units " "punit list -f codes lists them"
printf '%s\n' "$base_config" "  db =  $units_db  " >"$tmp/units.conf"
printf '%s\n' "$base_config" "db = $tmp/absent-conf.db" >"$tmp/absent.conf"
mkdir -p "$XDG_CONFIG_HOME/partake"

# Stand-ins for punit and pservice that record how they were run.
mkdir -p "$tmp/stub"
for c in punit pservice; do
	cat >"$tmp/stub/$c" <<EOF
#!/bin/sh
echo "\$*" >>"$tmp/stub/ran"
[ -z "\$STUB_SLEEP" ] || exec sleep "\$STUB_SLEEP"
echo stub-$c
EOF
	chmod +x "$tmp/stub/$c"
done

# codes_from_db COMP SHELL: unit and service codes through COMP (comp or
# zcomp): from the database of the line's --db, PARTAKE_DB, the config's db
# line or the default place; never from, or into, a database not there.
codes_from_db() {
	local c=$1 s=$2 t0
	is "$($c "pcase-route --db $units_db --to ")" "$units" "$s: pcase-route --to: the units of --db"
	is "$($c "pcase-route --db=$units_db --to t")" "tax tax.north" "$s: pcase-route --to t, after --db="
	is "$($c "pcase-route --db $units_db --to=tax.")" "tax.north" "$s: pcase-route --to=tax."
	is "$($c "punit --db $units_db show ")" "$units" "$s: punit show: units"
	is "$($c "punit --db $units_db remove tax ")" "$units" "$s: punit remove: units, more than one"
	is "$($c "punit --db $units_db update ")" "$units" "$s: punit update: a unit"
	is "$($c "punit --db $units_db add ")" "" "$s: punit add: a new code, nothing offered"
	is "$($c "punit --db $units_db add x --parent ")" "$units" "$s: punit --parent: units"
	is "$($c "punit show --db $units_db ")" "$units" "$s: punit show, --db after the action"
	is "$($c "punit -q show --db $units_db ta")" "tax tax.north" "$s: punit show, options around the action"
	is "$($c "punit --db ~/units.db show ")" "$units" "$s: --db ~/FILE"
	is "$($c "pservice --db $units_db --unit r")" "roads" "$s: pservice --unit: units"
	is "$($c "pservice --db $units_db show ")" "permit" "$s: pservice show: services"
	is "$($c "pservice --db $units_db faq ")" "permit" "$s: pservice faq: a service"
	is "$($c "pservice --db $units_db add ")" "" "$s: pservice add: a new code, nothing offered"
	is "$($c "pcase-new --db $units_db --service ")" "permit" "$s: pcase-new --service: services"
	is "$($c "pcase-new --db $units_db --unit ")" "$units" "$s: pcase-new --unit: units"
	is "$($c "pcase-list --db $units_db --unit t")" "tax tax.north" "$s: pcase-list --unit: units"
	is "$($c "pcase-list --db $units_db --service=")" "permit" "$s: pcase-list --service=: services"
	is "$(PARTAKE_DB=$units_db $c "punit show ")" "$units" "$s: the database of PARTAKE_DB"
	is "$(PARTAKE_DB= $c "punit --config $tmp/units.conf show ")" "$units" \
		"$s: the db line of the line's --config"
	is "$(PARTAKE_DB= PARTAKE_CONFIG=$tmp/units.conf $c "punit show ")" "$units" \
		"$s: the db line of PARTAKE_CONFIG"
	cp "$tmp/units.conf" "$XDG_CONFIG_HOME/partake/partake.conf"
	is "$(PARTAKE_DB= PARTAKE_CONFIG= $c "punit show ")" "$units" \
		"$s: the db line of \$XDG_CONFIG_HOME/partake/partake.conf"
	printf '%s\n' "$base_config" >"$XDG_CONFIG_HOME/partake/partake.conf"

	# No database: nothing offered and none created (the real punit and
	# pservice would create it), the lister not even run.
	is "$($c "pcase-route --db $tmp/absent-line.db --to ")" "" \
		"$s: --to with --db FILE not there: nothing"
	[ ! -e "$tmp/absent-line.db" ]
	ok $? "$s: ... and no database created"
	is "$(PARTAKE_DB=$tmp/absent.db $c "punit show ")" "" \
		"$s: punit show with PARTAKE_DB not there: nothing"
	[ ! -e "$tmp/absent.db" ]
	ok $? "$s: ... and no database created"
	is "$(PARTAKE_DB= $c "pservice --config $tmp/absent.conf show ")" "" \
		"$s: the config's db not there: nothing"
	[ ! -e "$tmp/absent-conf.db" ]
	ok $? "$s: ... and no database created"
	is "$(PARTAKE_DB= PARTAKE_CONFIG= $c "pcase-new --unit ")" "" \
		"$s: no database in the default place: nothing"
	[ ! -e "$XDG_DATA_HOME/partake" ]
	ok $? "$s: ... and no database (nor directory) created"
	mkdir -p "$XDG_DATA_HOME/partake"
	is "$(PARTAKE_DB= PARTAKE_CONFIG= $c "pservice --unit ")" "" \
		"$s: no database in the default place, its directory there: nothing"
	[ ! -e "$XDG_DATA_HOME/partake/partake.db" ]
	ok $? "$s: ... and no database created"
	is "$(PARTAKE_DB=$units_db $c "punit --db $tmp/absent.db show ")" "" \
		"$s: the line's --db before PARTAKE_DB"
	[ ! -e "$tmp/absent.db" ]
	ok $? "$s: ... and no database created"
	[ ! -e "$PARTAKE_DB" ]
	ok $? "$s: \$PARTAKE_DB was never created"
	rm -f "$tmp/stub/ran"
	is "$(PATH=$tmp/stub:$PATH $c "pcase-route --to ")$(PATH=$tmp/stub:$PATH $c "pservice show ")" "" \
		"$s: no database, with stand-ins for the listers: nothing"
	[ ! -e "$tmp/stub/ran" ]
	ok $? "$s: ... and neither run"

	# The default place, once a database is there.
	pdb --db "$units_db" -q backup "$XDG_DATA_HOME/partake/partake.db" >/dev/null
	is "$(PARTAKE_DB= PARTAKE_CONFIG= $c "punit remove ")" "$units" \
		"$s: the database of the default place, \$XDG_DATA_HOME/partake/partake.db"
	rm -rf "$XDG_DATA_HOME/partake"

	# How the lister is run: quiet, codes only, and for 2 seconds at most.
	is "$(PATH=$tmp/stub:$PATH $c "pcase-route --db $units_db --to ")" "stub-punit" \
		"$s: the punit of PATH lists the units"
	is "$(cat "$tmp/stub/ran")" "list --db $units_db -q -f codes" "$s: ... as punit list --db DB -q -f codes"
	rm -f "$tmp/stub/ran"
	is "$(PATH=$tmp/stub:$PATH $c "pservice --config $tmp/units.conf --db $units_db show ")" \
		"stub-pservice" "$s: the pservice of PATH lists the services"
	is "$(cat "$tmp/stub/ran")" "list --db $units_db --config $tmp/units.conf -q -f codes" \
		"$s: ... with the line's --config"
	rm -f "$tmp/stub/ran"
	is "$($c "$tmp/stub/punit --db $units_db show ")" "stub-punit" \
		"$s: DIR/punit: the punit of DIR lists the units"
	rm -f "$tmp/stub/ran"
	t0=$SECONDS
	is "$(PATH=$tmp/stub:$PATH STUB_SLEEP=30 $c "punit --db $units_db show ")" "" \
		"$s: a lister that hangs: nothing"
	ok $((SECONDS - t0 > 10)) "$s: ... after 2 seconds, not 30"
	rm -f "$tmp/stub/ran"
}

# --- bash ----------------------------------------------------------------

run env -u BASH_ENV bash --norc --noprofile -n "$bash_file"
is "$rc $err" "0 " "bash: the file parses"

registered=$(env -u BASH_ENV bash --norc --noprofile -c '. "$1"; complete -p' bash "$bash_file")$'\n'
for c in $commands; do
	like "$registered" "complete -F _partake $c"$'\n' "bash: $c is registered"
done

is "$(comp 'pcase-new --ki')" "--kind" "bash: pcase-new --ki → --kind"
is "$(comp 'pcase-new --kind ')" "$kinds" "bash: pcase-new --kind: the kinds of lib/vocab.c"
like "$(comp 'pcase-new --kind ')" "violation" "bash: pcase-new --kind: violation among them"
is "$(comp 'pcase-new --kind=co')" "complaint comment" "bash: --kind=co (one word)"
is "$(comp 'pcase-new --kind=')" "$kinds" "bash: --kind= (one word, nothing yet)"
is "$(comp 'pcase-new -k v')" "violation" "bash: -k v"
is "$(comp 'pcase-new -c ')" "$channels" "bash: -c: the channels of lib/vocab.c"
is "$(comp 'pcase-list --channel 1')" "111" "bash: --channel 1"
is "$(comp 'pcase-list --state ')" "$states" "bash: pcase-list --state: the states of lib/vocab.c"
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
is "$(comp 'pdb ')" "init migrate check index backup seal" "bash: pdb actions"
is "$(comp 'pdb -q b')" "backup" "bash: pdb action after an option"
is "$(comp 'pdb --db x.db ')" "init migrate check index backup seal" "bash: pdb action after --db FILE"
is "$(comp 'pdb check ')" "" "bash: nothing after pdb check"
is "$(comp 'partake.cgi --')" "--check --help --usage --version" \
	"bash: partake.cgi offers --check and argp's own, none of the common options it does not take"
is "$(comp 'pdb init --')" "--heads --public-key --key --new-key --full --time-limit --against --db --config --format --null --quiet --help --usage --version" \
	"bash: options after the action"
is "$(comp 'pdb seal --new')" "--new-key" "bash: pdb seal --new-key"
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

is "$(comp 'punit ')" "add list show update remove" "bash: punit actions"
is "$(comp 'punit -q sh')" "show" "bash: punit action after an option"
is "$(comp 'pservice ')" "add list show update faq publish" "bash: pservice actions"
is "$(comp 'punit list ')" "" "bash: nothing after punit list"
is "$(comp 'pcase-answer --outcome ')" "$outcomes" "bash: pcase-answer --outcome: the outcomes of lib/vocab.c"
is "$(comp 'pcase-answer --outcome=p')" "partial" "bash: pcase-answer --outcome=p"
is "$(comp 'pcase-answer --action ')" "$actions" "bash: pcase-answer --action: the actions of lib/vocab.c"
is "$(comp 'pcase-answer --action s')" "system support" "bash: pcase-answer --action s"
is "$(comp 'pcase-answer --action system,p')" "system,process" "bash: --action, a comma list"
is "$(comp 'pcase-answer --action=system,')" \
	"system,process system,information system,support system,regulation" \
	"bash: --action=ITEM,: each action once"
is "$(comp 'pcase-review --action process,system,')" \
	"process,system,information process,system,support process,system,regulation" \
	"bash: pcase-review --action, a comma list"
is "$(comp 'pcase-review --opinion ')" "$opinions" "bash: pcase-review --opinion: the opinions of lib/vocab.c"
is "$(comp 'pcase-review --opinion a')" "approve abstain" "bash: pcase-review --opinion a"
is "$(comp 'pcase-review --decide ')" "accepted rejected" "bash: pcase-review --decide"
is "$(comp 'pcase-status --set ')" "$set_states" "bash: pcase-status --set: the states it moves to"
is "$(comp 'pcase-status --set=w')" "waiting" "bash: pcase-status --set=w"
is "$(comp 'pcase-status --no')" "--note --notified" "bash: pcase-status --no"
is "$(comp 'pcase-list --unn')" "--unnotified" "bash: pcase-list --unnotified"
is "$(comp 'pcase-new --no')" "--no-notice" "bash: pcase-new --no-notice"
is "$(comp 'pcase-route --esc')" "--escalate" "bash: pcase-route --escalate"
is "$(comp 'pcase-answer -t ')" "" "bash: pcase-answer -t is --text: nothing offered"
is "$(comp "pcase-answer --file $f/cases.c")" "$f/cases.conf" "bash: pcase-answer --file: files"
is "$(comp "pdb backup -q $f/cases.c")" "$f/cases.conf" "bash: pdb backup FILE after an option"
for l in 'pcase-route ' 'pcase-answer ' 'pcase-review ' 'pcase-route --to ' 'pcase-route --level ' \
	'pcase-status --note ' 'pcase-status --extend ' 'pcase-status --reason ' 'pcase-status --notified ' \
	'pcase-list --unnotified ' 'pcase-review --member ' 'pcase-review --note ' 'punit --name ' \
	'punit --email ' 'punit --phone ' 'punit --parent ' 'punit show ' 'pservice --unit ' \
	'pservice --deadline ' 'pservice --steps ' 'pservice --question ' 'pservice show '; do
	is "$(comp "$l")" "" "bash: $l: nothing offered (tracking codes, text, numbers; no database)"
done
is "$(comp "punit --db $units_db update tax ")" "" "bash: punit update takes one unit"
is "$(comp "punit show " " --db $units_db")" "$units" "bash: punit show, --db after the cursor"
is "$(comp "punit show " " -- --db $units_db")" "" "bash: no --db after --"
is "$(comp "punit --d $units_db show ")" "$units" "bash: --db cut short, as getopt takes it"
codes_from_db comp bash

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
if [ "$(zcomp 'pdb ')" = "init migrate check index backup seal" ]; then
	ok 0 "zsh: pdb actions (zpty)"
	is "$(zcomp 'pcase-new --ki')" "--kind" "zsh: pcase-new --ki → --kind"
	is "$(zcomp 'pcase-new --kind ')" "$kinds" "zsh: pcase-new --kind: the kinds of lib/vocab.c"
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
	is "$(zcomp "pdb backup -q $f/cases.c")" "cases.conf" "zsh: pdb backup FILE after an option"
	is "$(zcomp 'punit ')" "add list show update remove" "zsh: punit actions"
	is "$(zcomp 'pservice ')" "add list show update faq publish" "zsh: pservice actions"
	is "$(zcomp 'pcase-answer --outcome ')" "$outcomes" "zsh: pcase-answer --outcome: the outcomes"
	is "$(zcomp 'pcase-answer --action ')" "$actions" "zsh: pcase-answer --action: the actions"
	is "$(zcomp 'pcase-answer --action=system,p')" "process" "zsh: --action, a comma list"
	is "$(zcomp 'pcase-review --action process,system,')" "information support regulation" \
		"zsh: --action ITEM,ITEM,: each action once"
	is "$(zcomp 'pcase-review --opinion ')" "$opinions" "zsh: pcase-review --opinion: the opinions"
	is "$(zcomp 'pcase-review --decide ')" "accepted rejected" "zsh: pcase-review --decide"
	is "$(zcomp 'pcase-status --set ')" "$set_states" "zsh: pcase-status --set: the states it moves to"
	is "$(zcomp 'pcase-list --unn')" "--unnotified" "zsh: pcase-list --unnotified"
	is "$(zcomp 'pcase-route --to ')" "" "zsh: pcase-route --to, no database: nothing offered"
	is "$(zcomp 'punit show ')" "" "zsh: punit show, no database: nothing offered"
	codes_from_db zcomp zsh
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
