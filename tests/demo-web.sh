#!/bin/sh
# make demo-web: the demo's database (tests/demo.sh) behind lighttpd on
# 127.0.0.1, the portal (partake.cgi) at the address printed, until
# interrupted. As root, lighttpd and the CGI run as nobody. Nothing
# outside a temporary folder is touched. PARTAKE_DEMO_PORT picks the port.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
command -v lighttpd >/dev/null || { echo "demo-web: lighttpd is missing (make deps)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/partake-demo-web.XXXXXX")
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
trap 'exit 0' INT TERM
kit=$top
if [ "$(id -u)" = 0 ]; then
	# nobody may not reach the clone (under /root): a copy it can read.
	mkdir -p "$dir/kit/bin" "$dir/kit/share"
	cp "$top"/bin/* "$dir/kit/bin/"
	cp -r "$top/share/partake" "$dir/kit/share/"
	kit=$dir/kit
fi
mkdir -p "$dir/db" "$dir/www" "$dir/upload"
echo "demo-web: making the demo's database (its run: $dir/demo.log)"
PARTAKE_DEMO_DIR=$dir/db sh "$top/tests/demo.sh" >"$dir/demo.log" 2>&1 ||
	{ tail -n 20 "$dir/demo.log"; exit 1; }
port=${PARTAKE_DEMO_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
url=http://127.0.0.1:$port/partake.cgi
conf=$dir/db/partake.conf
sed -i "s|$top/share/partake|$kit/share/partake|g" "$conf"
printf 'db = %s\nsurvey_url = %s/survey/\n' "$dir/db/partake.db" "$url" >>"$conf"
cat >"$dir/lighttpd.conf" <<CONF
server.modules = ("mod_alias", "mod_cgi", "mod_setenv")
server.document-root = "$dir/www"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$dir/lighttpd-error.log"
server.upload-dirs = ("$dir/upload")
alias.url = ("/partake.cgi" => "$kit/bin/partake.cgi")
\$HTTP["url"] =~ "^/partake\.cgi" { cgi.assign = ("" => "") }
setenv.add-environment = ("PARTAKE_CONFIG" => "$conf", "PARTAKE_USER" => "portal")
CONF
if [ "$(id -u)" = 0 ]; then
	chmod -R a+rX "$dir"
	chown -R 65534:65534 "$dir/db" "$dir/upload"
	: >"$dir/lighttpd-error.log"
	chown 65534:65534 "$dir/lighttpd-error.log"
	setpriv --reuid=65534 --regid=65534 --clear-groups lighttpd -D -f "$dir/lighttpd.conf" &
else
	lighttpd -D -f "$dir/lighttpd.conf" &
fi
pid=$!
i=0
until python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$port" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { echo "demo-web: lighttpd did not start; see $dir/lighttpd-error.log" >&2; exit 1; }
	sleep 0.1
done
code=$(grep -o '[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}' "$dir/demo.log" | head -n 1)
echo "demo-web: the citizens' portal is at $url/"
[ -z "$code" ] || echo "demo-web: track a demo case there with its code, $code"
echo "demo-web: Open311 at $url/open311/v2/requests.json; stop with Ctrl-C"
wait "$pid"
