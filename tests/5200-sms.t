#!/bin/sh
# 5200-sms.t — lib/sms.c against a real HTTP server on loopback
# (tests/gateway.py): the unit program's outcomes, then what the gateway's
# log says arrived: the path with the key escaped, the form fields as sent,
# Persian text intact, one connection kept for the whole session.
. "$(dirname "$0")/lib.sh"

# A port nobody listens on: bound, read and let go.
dead_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

log=$tmp/requests.jsonl
: >"$log"
python3 "$top/tests/gateway.py" 0 "$log" 60 >"$tmp/gateway.out" 2>"$tmp/gateway.err" &
gw=$!
trap 'kill $gw 2>/dev/null; rm -rf "$tmp"' EXIT

# Until it says it listens: 50 looks, 0.1 s apart.
port=
i=0
while [ $i -lt 50 ]; do
	port=$(sed -n 's/^listening \([0-9][0-9]*\)$/\1/p' "$tmp/gateway.out")
	[ -n "$port" ] && break
	sleep 0.1
	i=$((i + 1))
done
if [ -z "$port" ]; then
	echo "1..0 # SKIP the test gateway did not start: $(cat "$tmp/gateway.err")"
	exit 0
fi

# The unit program's own TAP, as one test here: its lines shown as comments.
PARTAKE_TEST_SMS_URL=http://127.0.0.1:$port PARTAKE_TEST_SMS_DEAD_URL=http://127.0.0.1:$dead_port \
	"$top/tests/unit/test-sms" >"$tmp/unit.tap" 2>&1
rc=$?
sed 's/^/# /' "$tmp/unit.tap"
grep -q '^not ok' "$tmp/unit.tap" && rc=1
ok $rc "test-sms: every outcome, every why without the key"

# field N NAME: a field of the Nth request (from 1) of the log, or "-" when absent.
field() {
	python3 - "$log" "$1" "$2" <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
r = json.loads(lines[int(sys.argv[2]) - 1])
name = sys.argv[3]
v = r["form"].get(name[5:], "-") if name.startswith("form.") else r.get(name, "-")
print("-" if v is None else v)
PY
}

escaped='k3y%2Fwith%20space%2B%C3%A9%25%3F%2A'
is "$(field 1 path)" "/v1/$escaped/sms/send.json" "the path holds the key escaped, under /v1/…/sms/send.json"
is "$(field 1 key)" "k3y/with space+é%?*" "and the gateway reads the key back whole"
is "$(field 1 method)" "POST" "a POST"
like "$(field 1 content_type)" "application/x-www-form-urlencoded" "of a urlencoded form"
is "$(field 1 form.receptor)" "09120000001" "receptor as sent"
is "$(field 1 form.message)" "شهروند گرامی، پاسخ شکایت شما ثبت شد؛ کد پیگیری: ۱۴۰۵-۰۰۱۲ & 100% = ok?" \
	"the Persian message, with & % = ?, arrives as sent"
is "$(field 1 form.sender)" "10008663" "sender as set"
is "$(field 1 form.localid)" "1001" "localid as given"
is "$(field 3 form.localid)" "1003" "each send its own localid"

is "$(field 1 peer) $(field 2 peer) $(field 3 peer)" \
	"$(field 1 peer) $(field 1 peer) $(field 1 peer)" "three sends on one connection"
is "$(field 3 n)" "3" "the third request on it"

# The session without a sender: the last but one request (the dead gateway got none).
n=$(wc -l <"$log")
is "$(field "$n" form.receptor)" "09120000005" "the last request is the no-sender session's"
is "$(field "$n" form.sender)" "-" "with no sender field"
is "$(field "$n" path)" "/v1/$escaped/sms/send.json" "a base URL ending in /v1/ makes no second /v1 and no //"

unlike "$(cat "$tmp/unit.tap")" "k3y/" "the unit program printed no raw key"
unlike "$(cat "$tmp/unit.tap")" "$escaped" "nor the escaped one"

done_testing
