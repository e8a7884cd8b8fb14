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

# closures_end_to_end FILE: closures of 60 days each, end to end from
# 2026-11-23 (1405-09-02): 420 days with no working day.
closures_end_to_end() {
	local k
	: > "$1"
	for k in 0 1 2 3 4 5 6; do
		printf '%s..%s\tall\tclosed %s\n' "$(date -d "2026-11-23 +$((k * 60)) days" +%F)" \
			"$(date -d "2026-11-23 +$((k * 60 + 59)) days" +%F)" "$k" >> "$1"
	done
}

# as_nobody CMD ARGS...: runs our command CMD as the user nobody (root
# only), with no config. The clone may lie where nobody cannot go (/root):
# the commands and share/partake are copied into $tmp, which is opened to
# all, and find each other there.
as_nobody() {
	local cmd=$1
	shift
	if [ ! -d "$tmp/kit" ]; then
		mkdir -p "$tmp/kit/bin" "$tmp/kit/share"
		cp "$top"/bin/* "$tmp/kit/bin/"
		cp -r "$top/share/partake" "$tmp/kit/share/"
		chmod -R a+rX "$tmp/kit"
	fi
	chmod 755 "$tmp"
	PARTAKE_CONFIG=/dev/null setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$tmp/kit/bin/$cmd" "$@"
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

# free_port: a port on loopback nobody listens on, from the kernel.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# listens PORT: true when something accepts connections on 127.0.0.1:PORT.
listens() {
	python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2).close()' \
		"$1" 2>/dev/null
}

# start_smtp PORT MAILDIR: a real SMTP server (aiosmtpd) on 127.0.0.1:PORT,
# keeping what it gets in MAILDIR; it refuses nobody@… (550) and later@…
# (451); its debug log (a "Peer:" line a connection) goes to $tmp/smtp.log.
# Sets $smtp_pid; waits at most 5 s for it to listen.
start_smtp() {
	cat >"$tmp/smtptest.py" <<'PY'
from aiosmtpd.handlers import Mailbox
class Handler(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 no such user"
        if address.startswith("later@"):
            return "451 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"
PY
	PYTHONPATH=$tmp /usr/bin/python3 -m aiosmtpd -n -d -l "127.0.0.1:$1" -c smtptest.Handler "$2" \
		2>>"$tmp/smtp.log" &
	smtp_pid=$!
	_i=0
	while [ $_i -lt 50 ] && ! listens "$1"; do sleep 0.1; _i=$((_i + 1)); done
	listens "$1"
}

# start_gateway LOG: tests/gateway.py, the SMS gateway's stand-in, on a free
# loopback port; sets $gateway_port and $gateway_pid (it stops by itself
# after 300 s). Waits at most 5 s for it to say it listens.
start_gateway() {
	python3 "$top/tests/gateway.py" 0 "$1" 300 >"$tmp/gateway.out" 2>"$tmp/gateway.err" &
	gateway_pid=$!
	gateway_port=
	_i=0
	while [ $_i -lt 50 ] && [ -z "$gateway_port" ]; do
		gateway_port=$(sed -n 's/^listening \([0-9][0-9]*\)$/\1/p' "$tmp/gateway.out")
		[ -n "$gateway_port" ] || sleep 0.1
		_i=$((_i + 1))
	done
	[ -n "$gateway_port" ]
}

# can_limit_memory: true when a command runs under `ulimit -v`. A sanitizer
# build reserves terabytes of address space, and cannot; it is known by the
# options tests/sanitized.sh sets, and not probed, since the probe's failure
# would be a sanitizer report of its own.
can_limit_memory() {
	[ -z "${ASAN_OPTIONS-}${UBSAN_OPTIONS-}" ] &&
		(ulimit -v 400000 && pcal 1405-09-01 >/dev/null 2>&1; exit $?) 2>/dev/null
}
