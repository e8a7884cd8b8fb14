# tests/portal-lib.sh — what the portal's tests share: the database and
# config where a web server's user can write them, lighttpd on 127.0.0.1
# running bin/partake.cgi through mod_cgi as an unprivileged process, a
# CGI run by hand, and TAP from Python (tests/portal_client.py).
. "$(dirname "$0")/lib.sh"

srv=$tmp/srv
mkdir -p "$srv"
export PARTAKE_DB=$srv/partake.db PARTAKE_CONFIG=$srv/partake.conf
# As root, the server and every command that opens the database run as
# nobody, from a copy of the kit that nobody can read (the clone may be
# under /root), so that no file of the database is made root's.
if [ "$(id -u)" = 0 ]; then
	mkdir -p "$tmp/kit/bin" "$tmp/kit/share"
	cp "$top"/bin/* "$tmp/kit/bin/"
	cp -r "$top/share/partake" "$tmp/kit/share/"
	chmod -R a+rX "$tmp/kit"
	chmod 755 "$tmp"
	chown -R 65534:65534 "$srv"
	kit=$tmp/kit
	www() { setpriv --reuid=65534 --regid=65534 --clear-groups env PATH="$kit/bin:$PATH" "$@"; }
else
	kit=$top
	www() { "$@"; }
fi
cgi=$kit/bin/partake.cgi
# Under tests/sanitized.sh: the CGI's reports go where the others' go, and
# the server's user may write them there.
sanitizer_env=
if [ -n "${ASAN_OPTIONS-}" ]; then
	case $ASAN_OPTIONS in
	*log_path=*) report=${ASAN_OPTIONS##*log_path=}; chmod 1777 "$(dirname "${report%%:*}")" ;;
	esac
	sanitizer_env="\"ASAN_OPTIONS\" => \"$ASAN_OPTIONS\", \"UBSAN_OPTIONS\" => \"${UBSAN_OPTIONS-}\", \"LSAN_OPTIONS\" => \"${LSAN_OPTIONS-}\","
fi
portal_config="holidays_dir = $kit/share/partake/holidays
templates_dir = $kit/share/partake/templates
db = $PARTAKE_DB"
www sh -c 'printf "%s\n" "$1" > "$2"' sh "$portal_config" "$PARTAKE_CONFIG"

# set_config LINES: the portal's config, with these lines after the base.
set_config() {
	www sh -c 'printf "%s\n%s\n" "$1" "$2" > "$3"' sh "$portal_config" "$1" "$PARTAKE_CONFIG"
}

# sql QUERY: a value of the database, read as the server's user.
sql() {
	www sqlite3 -cmd '.timeout 5000' "$PARTAKE_DB" "$1"
}

# start_lighttpd: lighttpd on a free port of 127.0.0.1 with mod_cgi, its
# config, logs and pid in $tmp; sets $port. Waits at most 10 s to listen.
start_lighttpd() {
	port=$(free_port)
	mkdir -p "$tmp/www" "$tmp/upload"
	chmod 755 "$tmp/www"
	[ "$(id -u)" = 0 ] && chown 65534:65534 "$tmp/upload"
	: >"$tmp/lighttpd-access.log"
	: >"$tmp/lighttpd-error.log"
	[ "$(id -u)" = 0 ] && chown 65534:65534 "$tmp/lighttpd-access.log" "$tmp/lighttpd-error.log"
	cat >"$tmp/lighttpd.conf" <<CONF
server.modules = ("mod_alias", "mod_cgi", "mod_setenv", "mod_accesslog")
server.document-root = "$tmp/www"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$tmp/lighttpd-error.log"
accesslog.filename = "$tmp/lighttpd-access.log"
server.max-request-size = 16384
server.upload-dirs = ("$tmp/upload")
alias.url = ("/partake.cgi" => "$cgi")
\$HTTP["url"] =~ "^/partake\.cgi" { cgi.assign = ("" => "") }
setenv.add-environment = ($sanitizer_env "PARTAKE_CONFIG" => "$PARTAKE_CONFIG",
	"PARTAKE_NOW" => "${PARTAKE_NOW-}", "PARTAKE_USER" => "portal")
CONF
	# Not through www, a function: $! must be lighttpd's own pid (setpriv
	# execs it), for the trap to stop it.
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			lighttpd -D -f "$tmp/lighttpd.conf" 2>>"$tmp/lighttpd-stderr" &
	else
		lighttpd -D -f "$tmp/lighttpd.conf" 2>>"$tmp/lighttpd-stderr" &
	fi
	lighttpd_pid=$!
	trap 'kill "$lighttpd_pid" 2>/dev/null; wait "$lighttpd_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
	for _ in $(seq 100); do
		listens "$port" && return 0
		sleep 0.1
	done
	return 1
}

# run_cgi METHOD PATH [BODY]: the CGI as a server runs it, with REMOTE_ADDR
# $addr (default 192.0.2.1) and HTTP_COOKIE $cookie; its answer in $out.
run_cgi() {
	local body=${3-} length
	length=$(printf %s "$body" | wc -c)
	out=$(printf %s "$body" | www env -i PATH="$PATH" PARTAKE_CONFIG="$PARTAKE_CONFIG" \
		ASAN_OPTIONS="${ASAN_OPTIONS-}" UBSAN_OPTIONS="${UBSAN_OPTIONS-}" LSAN_OPTIONS="${LSAN_OPTIONS-}" \
		PARTAKE_NOW="${PARTAKE_NOW-}" PARTAKE_USER=portal GATEWAY_INTERFACE=CGI/1.1 \
		REQUEST_METHOD="$1" SCRIPT_NAME=/partake.cgi PATH_INFO="$2" QUERY_STRING="${query-}" \
		REMOTE_ADDR="${addr:-192.0.2.1}" HTTP_COOKIE="${cookie-}" \
		CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH=$length "$cgi" 2>"$tmp/cgi.err")
	rc=$?
}

# pyt ARGS < SCRIPT: Python that speaks TAP through portal_client.py, its
# numbers going on from ours.
pyt() {
	echo "$tap_n 0" >"$tmp/.tap"
	TAP_N=$tap_n TAP_STATE=$tmp/.tap PYTHONPATH=$top/tests /usr/bin/python3 - "$@"
	local status=$? failed
	read -r tap_n failed <"$tmp/.tap"
	tap_failed=$((tap_failed + failed))
	# Python that stopped half way (an exception) is a failure of its own.
	[ "$status" = 0 ]
	ok $? "the Python part ran to its end"
}
