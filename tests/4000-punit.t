#!/bin/bash
# punit: the agency's units. add, list, show, update, remove; codes checked;
# parents that would loop refused; a unit still in use is not removed; the
# output formats and exit statuses.
. "$(dirname "$0")/lib.sh"

# units STATE: what the unit table holds, one "code|name|email|phone|parent" a line.
units() {
	sql "SELECT u.code || '|' || u.name || '|' || coalesce(u.email, '') || '|' ||
		coalesce(u.phone, '') || '|' || coalesce(p.code, '')
		FROM unit u LEFT JOIN unit p ON p.id = u.parent_id ORDER BY u.code"
}

# --- add -----------------------------------------------------------------------------

run punit list
is "$rc" 2 "list on a database that does not exist yet: exit 2"
is "$err" "punit: $PARTAKE_DB: no such database (pdb init or pcase-new creates one)" \
	"and says so"
ok "$([ ! -e "$PARTAKE_DB" ]; echo $?)" "and creates nothing"

pdb -q init
run punit list
is "$rc" 1 "list with no units: exit 1 (nothing matched)"
is "$out" "" "and prints nothing"

run punit add hq --name 'ستاد مرکزی' --email hq@agency.ir --phone '021-8888 1234'
is "$rc" 0 "add: exit 0"
is "$out" "hq" "add prints the code it added"
is "$(units)" "hq|ستاد مرکزی|hq@agency.ir|02188881234|" \
	"stored with its name, email and the phone's digits"

run punit add inspection --name 'بازرسی' --email insp@agency.ir --parent hq
is "$rc" 0 "add with --parent"
run punit add permits --name 'پروانه‌ها' --parent hq --phone 02166660000
is "$out" "permits" "a third unit"
run punit add a.b_c-9 --name 'every allowed character'
is "$rc" 0 "a code of a-z, 0-9, '.', '_' and '-' is accepted"
run punit add "$(printf 'x%.0s' {1..32})" --name 'thirty-two'
is "$rc" 0 "a code of 32 characters is accepted"

before=$(units)
run punit add Hq2 --name 'upper case'
is "$rc" 2 "an upper-case code is refused: exit 2"
like "$err" "a code is made of a-z, 0-9" "saying which characters a code may have"
run punit add 'a b' --name 'a space'
is "$rc" 2 "a code with a space is refused"
run punit add 'واحد' --name 'Persian code'
is "$rc" 2 "a code in Persian letters is refused"
run punit add "$(printf 'x%.0s' {1..33})" --name 'thirty-three'
is "$rc" 2 "a code of 33 characters is refused"
like "$err" "1 to 32 characters" "saying how long a code may be"
run punit add '' --name 'empty'
is "$rc" 2 "an empty code is refused"
run punit add hq --name 'again'
is "$rc" 2 "a duplicate code is refused: exit 2"
like "$err" "hq: there is a unit with this code already" "saying the code is taken"
run punit add legal --name 'حقوقی' --parent nowhere
is "$rc" 2 "--parent naming an unknown unit is refused"
like "$err" "--parent: no unit 'nowhere'" "naming the parent it did not find"
run punit add legal
is "$rc" 2 "add without --name is refused"
like "$err" "--name" "naming the missing option"
run punit add legal --name 'حقوقی' --email 'not-an-address'
is "$rc" 2 "a bad email is refused"
like "$err" "--email" "naming --email"
run punit add legal --name 'حقوقی' --phone 'call us'
is "$rc" 2 "a phone with letters is refused"
like "$err" "--phone" "naming --phone"
run punit add legal --name "$(printf '\xff\xfe')"
is "$rc" 2 "a name that is not UTF-8 is refused"
is "$(units)" "$before" "the refused adds stored nothing"

run punit add legal other --name 'two codes'
is "$rc" 64 "add takes exactly one code: exit 64"
run punit add
is "$rc" 64 "add without a code: exit 64"

# --- list and show -----------------------------------------------------------------

run punit list
is "$rc" 0 "list: exit 0"
is "$out" "$(printf '%s\n' a.b_c-9 hq inspection permits xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx)" \
	"list off a terminal: the codes, sorted"
run punit list -f tsv
is "$(echo "$out" | head -1)" "$(printf 'code\tname\temail\tphone\tparent\topen_cases')" \
	"-f tsv: a header line with every column"
like "$out" "$(printf 'inspection\tبازرسی\tinsp@agency.ir\t\thq\t0')" "and a row per unit"
is "$(echo "$out" | wc -l)" 6 "header and five rows"
run punit list -f json
is "$(printf '%s\n' "$out" | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
hq = [r for r in rows if r["code"] == "hq"][0]
print(len(rows), hq["name"], hq["email"], hq["phone"], hq["parent"], hq["open_cases"])')" \
	"5 ستاد مرکزی hq@agency.ir 02188881234 None 0" \
	"-f json: one object a line, parsed by python3; absent fields are null"
run punit list -f csv
is "$(echo "$out" | head -1 | tr -d '\r')" "code,name,email,phone,parent,open_cases" "-f csv: a header line"
run punit list -f table
like "$out" "ستاد مرکزی" "-f table: the names"

run punit show inspection
is "$rc" 0 "show: exit 0"
like "$out" "بازرسی" "show gives the name"
like "$out" "insp@agency.ir" "the email"
like "$out" "hq" "and the parent"
run punit show -f json permits
is "$(echo "$out" | python3 -c 'import json, sys; r = json.load(sys.stdin); print(r["code"], r["parent"], r["phone"])')" \
	"permits hq 02166660000" "show -f json: the record as JSON"
run punit show -f tsv hq nowhere permits
is "$rc" 1 "show with one unknown code among known ones: exit 1"
like "$err" "nowhere: no such unit" "the unknown one is named"
is "$(echo "$out" | cut -f1 | tail -n +2 | tr '\n' ' ')" "hq permits " "and the others are still shown"
run sh -c 'printf "hq\n\npermits\n" | punit show -f tsv'
is "$(echo "$out" | cut -f1 | tail -n +2 | tr '\n' ' ')" "hq permits " "show reads codes from standard input, one a line"
run punit show --name x hq
is "$rc" 64 "show takes no unit fields: exit 64"
run punit list hq
is "$rc" 64 "list takes no codes: exit 64"

# --- update --------------------------------------------------------------------------

run punit update inspection --phone 02177770000
is "$rc" 0 "update: exit 0"
is "$out" "inspection" "update prints the code"
is "$(units | grep '^inspection')" "inspection|بازرسی|insp@agency.ir|02177770000|hq" \
	"update --phone: the phone changed, every absent field kept"
run punit update inspection --email ''
is "$(units | grep '^inspection')" "inspection|بازرسی||02177770000|hq" "--email '' clears the email"
is "$(sql "SELECT email IS NULL FROM unit WHERE code = 'inspection'")" 1 "to NULL, not an empty string"
run punit update inspection --phone ''
is "$(sql "SELECT phone IS NULL FROM unit WHERE code = 'inspection'")" 1 "--phone '' clears the phone"
run punit update inspection --name 'بازرسی و شکایات' --email insp@agency.ir
is "$(units | grep '^inspection')" "inspection|بازرسی و شکایات|insp@agency.ir||hq" "two fields at once"
run punit update a.b_c-9 --parent permits
is "$(units | grep '^a.b_c-9')" "a.b_c-9|every allowed character|||permits" "--parent sets a parent"
run punit update a.b_c-9 --parent ''
is "$(units | grep '^a.b_c-9')" "a.b_c-9|every allowed character|||" "--parent '' clears it"

before=$(units)
run punit update nowhere --name x
is "$rc" 1 "update of an unknown unit: exit 1"
like "$err" "nowhere: no such unit" "naming it"
run punit update inspection --parent nowhere
is "$rc" 2 "update --parent naming an unknown unit is refused"
run punit update inspection --email 'bad@'
is "$rc" 2 "update with a bad email is refused"
run punit update inspection
is "$rc" 64 "update with nothing to change: exit 64"

# Loops: a unit its own parent; a → b → a; and a longer one.
run punit update hq --parent hq
is "$rc" 2 "a unit may not be its own parent (a → a)"
like "$err" "loop" "the error says it would make a loop"
run punit update hq --parent inspection
is "$rc" 2 "hq → inspection → hq is refused (a → b → a)"
like "$err" "loop" "a loop, it says"
punit add field --name 'میدانی' --parent inspection >/dev/null
is "$(units | grep -c '^field|میدانی|||inspection$')" 1 "field added under inspection"
run punit update hq --parent field
is "$rc" 2 "hq → field → inspection → hq is refused (a longer loop)"
is "$(units | grep -v '^field')" "$before" "the refused updates changed nothing"
is "$(sql "SELECT parent_id IS NULL FROM unit WHERE code = 'hq'")" 1 "hq still has no parent"

# --- remove --------------------------------------------------------------------------

run punit remove hq
is "$rc" 2 "remove refused while units have it as their parent"
like "$err" "hq: 2 units have it as their parent" "saying how many children it has"

pservice add permit-renewal --name 'تمدید پروانه' --unit permits >/dev/null
run punit remove permits
is "$rc" 2 "remove refused while a service is its responsibility"
like "$err" "permits: 1 service is its responsibility" "saying so"

case=$(pcase-new -k complaint -s 'برخورد نامناسب' --phone 09121234567)
pcase-route --to field "$case" >/dev/null
is "$(sql "SELECT u.code FROM cases c JOIN unit u ON u.id = c.unit_id")" "field" "a case routed to field"
run punit list -f tsv
like "$out" "$(printf 'field\tمیدانی\t\t\tinspection\t1')" "list counts the unit's open cases"
run punit remove field
is "$rc" 2 "remove refused while a case is with the unit"
like "$err" "field: 1 case names it" "saying how many cases"
pcase-route --to inspection "$case" >/dev/null
run punit remove field
is "$rc" 0 "once the case is routed elsewhere, the unit can go"
is "$out" "field" "remove prints the code it removed"
is "$(sql "SELECT count(*) FROM unit WHERE code = 'field'")" 0 "the unit is gone"
is "$(sql "SELECT count(*) FROM unit WHERE code IN ('hq', 'permits', 'inspection')")" 3 \
	"the refused removals left their units"

run punit remove nowhere
is "$rc" 1 "remove of an unknown unit: exit 1"
like "$err" "nowhere: no such unit" "naming it"
run sh -c 'printf "a.b_c-9\nnowhere\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n" | punit remove'
is "$rc" 1 "remove from standard input: exit 1 when one was unknown"
is "$out" "$(printf 'a.b_c-9\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')" "the others removed and printed"
run punit remove --email x@y.ir permits
is "$rc" 64 "remove takes no unit fields: exit 64"

# --- the command line ----------------------------------------------------------------

run punit
is "$rc" 64 "no action: exit 64"
like "$err" "which action?" "asking which"
run punit frobnicate
is "$rc" 64 "an unknown action: exit 64"
run punit --help
is "$rc" 0 "--help: exit 0"
like "$out" "add CODE --name NAME" "--help shows the usage of add"
like "$out" "--parent" "and the options"
run punit --version
is "$rc" 0 "--version: exit 0"
like "$out" "punit (partake)" "--version names the command and the package"
run punit list -f yaml
is "$rc" 64 "an unknown format: exit 64"

# The unit acted on, in the format asked for.
run punit add fmt-json --name 'قالب' -f json
is "$rc/$out" '0/{"code":"fmt-json"}' "add -f json: the code as a JSON object"
run punit add fmt-tsv --name 'قالب' -f tsv
is "$out" "$(printf 'code\nfmt-tsv')" "add -f tsv: a header, then the code"

# Every change to a unit is an event of the audit chain, with the unit before and after.
is "$(sql "SELECT what || ' ' || subject || ' ' || json_extract(after, '$.name') FROM event
	WHERE subject_kind = 'unit' ORDER BY id DESC LIMIT 1")" "add fmt-tsv قالب" "add: an event naming the unit"
run punit update fmt-tsv --email 'tsv@agency.ir'
is "$(sql "SELECT what || ' ' || coalesce(json_extract(before, '$.email'), 'none') || ' ' ||
	json_extract(after, '$.email') FROM event WHERE subject_kind = 'unit' ORDER BY id DESC LIMIT 1")" \
	"update none tsv@agency.ir" "update: the unit before and after"
run punit remove fmt-tsv
is "$(sql "SELECT what || ' ' || json_extract(before, '$.code') || ' ' || coalesce(after, 'gone') FROM event
	WHERE subject_kind = 'unit' ORDER BY id DESC LIMIT 1")" "remove fmt-tsv gone" "remove: the unit as it was"
n=$(sql "SELECT count(*) FROM event")
run punit add fmt-json --name 'دوباره'
is "$(sql "SELECT count(*) FROM event")" "$n" "a refused change writes no event"

run pdb check
is "$rc" 0 "pdb check passes at the end"

done_testing
