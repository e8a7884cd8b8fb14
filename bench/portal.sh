#!/bin/sh
# bench/portal.sh — partake.cgi behind lighttpd (mod_cgi) on 127.0.0.1:
# requests per second and latency (p50, p99) of a tracking look-up (POST
# /track, one form token reused: each request a look-up counted in the
# database and a case's public view) with ab, and of a complaint submit
# (POST /complaint, a token of its own each, so that each is a new case
# stored durably) by threads of Python. Bounded: BENCH_PORTAL_N
# requests of each (default 2000), BENCH_PORTAL_C at a time (default 4),
# and 60 s (the submits) or 120 s (ab) at most. Writes bench/out/portal*; reports only.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/bench/out/portal
N=${BENCH_PORTAL_N:-2000}
C=${BENCH_PORTAL_C:-4}
for t in lighttpd ab; do
	command -v $t >/dev/null || { echo "bench: $t is missing (apt-get install lighttpd apache2-utils)" >&2; exit 1; }
done
rm -rf "$OUT"
mkdir -p "$OUT/www" "$OUT/upload"
export PARTAKE_DB=$OUT/partake.db PARTAKE_CONFIG=$OUT/partake.conf
printf 'holidays_dir = %s/share/partake/holidays\ntemplates_dir = %s/share/partake/templates\ndb = %s\n' \
	"$ROOT" "$ROOT" "$PARTAKE_DB" >"$PARTAKE_CONFIG"
printf 'portal_submits_per_hour = 100000\nportal_lookups_per_hour = 100000\n' >>"$PARTAKE_CONFIG"
bin/punit -q add roads --name "معاونت راه" >/dev/null
bin/pservice -q add permit --name "پروانه ساخت" --unit roads >/dev/null
# A database that is not empty: 20000 cases, one of them the one looked up.
python3 -c '
import json
for i in range(20000):
    print(json.dumps({"kind": "complaint", "channel": "portal", "subject": "شکایت %d" % i,
                      "phone": "0912%07d" % i, "service": "permit"}))' |
	bin/pcase-new -q --batch >"$OUT/codes"
code=$(tail -n 1 "$OUT/codes")

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$OUT/lighttpd.conf" <<CONF
server.modules = ("mod_alias", "mod_cgi", "mod_setenv")
server.document-root = "$OUT/www"
server.bind = "127.0.0.1"
server.port = $port
server.errorlog = "$OUT/lighttpd-error.log"
server.upload-dirs = ("$OUT/upload")
server.max-worker = 0
alias.url = ("/partake.cgi" => "$ROOT/bin/partake.cgi")
\$HTTP["url"] =~ "^/partake\.cgi" { cgi.assign = ("" => "") }
setenv.add-environment = ("PARTAKE_CONFIG" => "$PARTAKE_CONFIG", "PARTAKE_USER" => "bench")
CONF
lighttpd -D -f "$OUT/lighttpd.conf" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
i=0
until python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$port" 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "bench: lighttpd did not start" >&2; exit 1; }
	sleep 0.1
done
url=http://127.0.0.1:$port/partake.cgi

# Form tokens for a browser's cookie: one for the look-ups, N for the submits.
python3 - "$port" "$N" "$OUT" "$C" <<'PY'
import http.client, re, sys, urllib.parse
port, n, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
cookie = None
def token(path):
    global cookie
    c = http.client.HTTPConnection("127.0.0.1", port)
    c.request("GET", "/partake.cgi" + path, headers={"Cookie": cookie} if cookie else {})
    r = c.getresponse()
    body = r.read().decode()
    if cookie is None:
        cookie = r.getheader("Set-Cookie").split(";")[0]
    return re.search(r'name="_token" value="([^"]+)"', body).group(1)
t = token("/track")
open(out + "/cookie", "w").write(cookie)
open(out + "/track.body", "w").write(urllib.parse.urlencode({"_token": t, "code": open(out + "/codes").read().split()[-1]}))
with open(out + "/submits.bodies", "w") as f:
    for i in range(n):
        f.write(urllib.parse.urlencode({"_token": token("/complaint"), "service": "permit",
            "subject": "شکایت از بار %d" % i, "body": "چاله در خیابان", "phone": "09121234567"}) + "\n")
PY

echo "partake.cgi behind lighttpd $(lighttpd -v | sed -n '1s/ - .*//p'), 127.0.0.1, $(nproc) cores, a database of 20000 cases"
timeout 120 ab -q -n "$N" -c "$C" -s 30 -p "$OUT/track.body" -T application/x-www-form-urlencoded \
	-C "$(cat "$OUT/cookie")" "$url/track" >"$OUT/track.ab" 2>&1 || true
rps=$(sed -n 's/^Requests per second: *\([0-9.]*\).*/\1/p' "$OUT/track.ab")
p50=$(sed -n 's/^ *50% *\([0-9]*\).*/\1/p' "$OUT/track.ab")
p99=$(sed -n 's/^ *99% *\([0-9]*\).*/\1/p' "$OUT/track.ab")
done=$(sed -n 's/^Complete requests: *\([0-9]*\).*/\1/p' "$OUT/track.ab")
non2xx=$(sed -n 's/^Non-2xx responses: *\([0-9]*\).*/\1/p' "$OUT/track.ab")
printf 'tracking look-up (ab, %s requests, %s at a time): %s requests/s, p50 %s ms, p99 %s ms, non-2xx %s\n' \
	"$done" "$C" "$rps" "$p50" "$p99" "${non2xx:-0}"

# The submits: each body is a form of its own (its own token), which ab and
# wrk cannot vary, so C threads of Python send them, each its share, one
# keep-alive connection each, within 60 s; wall time and each latency kept.
before=$(sqlite3 "$PARTAKE_DB" "SELECT count(*) FROM cases")
timeout 90 python3 - "$port" "$C" "$OUT" "$(cat "$OUT/cookie")" <<'PY' >"$OUT/submit.txt"
import http.client, sys, threading, time
port, c, out, cookie = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
bodies = open(out + "/submits.bodies").read().split()
lat, codes, lock = [], {}, threading.Lock()
deadline = time.time() + 60
def worker(k):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for b in bodies[k::c]:
        if time.time() > deadline:
            break
        t0 = time.perf_counter()
        conn.request("POST", "/partake.cgi/complaint", body=b, headers={
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        r = conn.getresponse()
        r.read()
        with lock:
            lat.append(time.perf_counter() - t0)
            codes[r.status] = codes.get(r.status, 0) + 1
t0 = time.time()
ts = [threading.Thread(target=worker, args=(k,)) for k in range(c)]
[t.start() for t in ts]
[t.join() for t in ts]
wall = time.time() - t0
lat.sort()
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000
print("%d %.2f %.0f %.0f %s" % (len(lat), len(lat) / wall, q(.50), q(.99),
      ",".join("%s:%d" % kv for kv in sorted(codes.items()))))
PY
after=$(sqlite3 "$PARTAKE_DB" "SELECT count(*) FROM cases")
read -r reqs rps p50 p99 statuses <"$OUT/submit.txt"
printf 'complaint submit (%s requests, %s at a time): %s requests/s, p50 %s ms, p99 %s ms (statuses %s); %s cases stored\n' \
	"$reqs" "$C" "$rps" "$p50" "$p99" "$statuses" "$((after - before))"
