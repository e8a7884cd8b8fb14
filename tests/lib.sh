# tests/lib.sh — the little TAP harness the command tests share. Each test
# gets a fresh directory with its own database and config, a fixed clock
# and a fixed user, and never touches the user's own data.
top=$(cd "$(dirname "$0")/.." && pwd)
PATH=$top/bin:$PATH
tmp=$(mktemp -d "${TMPDIR:-/tmp}/partake-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp XDG_DATA_HOME=$tmp/data XDG_CONFIG_HOME=$tmp/config
export PARTAKE_DB=$tmp/partake.db PARTAKE_CONFIG=$tmp/partake.conf
export PARTAKE_NOW=2026-11-22T08:00:00Z	# Sunday 1405-09-01, 11:30 in Tehran
export PARTAKE_USER=tester
unset NO_COLOR PARTAKE_SMTP_PASSWORD PARTAKE_SMS_KEY
# The config every test starts from; a test that writes its own starts with $base_config.
base_config="holidays_dir = $top/share/partake/holidays
templates_dir = $top/share/partake/templates"
printf '%s\n' "$base_config" > "$PARTAKE_CONFIG"

tap_n=0 tap_failed=0

# ok STATUS NAME: passes when STATUS is 0.
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# run CMD...: runs it, keeping $out, $err and $rc.
run() {
	"$@" >"$tmp/.out" 2>"$tmp/.err"
	rc=$?
	out=$(cat "$tmp/.out")
	err=$(cat "$tmp/.err")
}

# is GOT WANT NAME
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2" | sed '3,$s/^/#   /'
	fi
}

# like GOT SUBSTRING NAME
like() {
	case "$1" in
	*"$2"*) ok 0 "$3" ;;
	*) ok 1 "$3"; printf '#   got:      %s\n#   expected to contain: %s\n' "$1" "$2" ;;
	esac
}

# unlike GOT SUBSTRING NAME
unlike() {
	case "$1" in
	*"$2"*) ok 1 "$3"; printf '#   got:      %s\n#   expected not to contain: %s\n' "$1" "$2" ;;
	*) ok 0 "$3" ;;
	esac
}

# sql QUERY: what the sqlite3 shell reads from the test database.
sql() {
	sqlite3 "$PARTAKE_DB" "$1"
}

# Counts what the database holds, to show that a refused input changed nothing.
db_state() {
	[ -f "$PARTAKE_DB" ] || { echo "no database"; return; }
	sql "SELECT (SELECT count(*) FROM cases) || ' cases, ' || (SELECT count(*) FROM event) || ' events'"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}
