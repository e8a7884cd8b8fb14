#!/bin/bash
# 1120-open311.t — cases and the catalog as Open311 GeoReport v2 documents
# (pcase-list -f open311-xml|open311-json, pservice list -f …): the
# standard's fields in its order, well-formed XML (python3's xml.etree and
# xmllint) and JSON, hostile text escaped, no personal data, anonymous or
# not, every state mapped to open or closed, times with their zone, the
# filters of pcase-list, and the formats refused where there is no Open311 form.
. "$(dirname "$0")/lib.sh"

# The fields of GET /requests and GET /services, as the GeoReport v2 spec
# lists them (less address_id and zipcode, which partake does not write).
request_fields="service_request_id status status_notes service_name service_code description
agency_responsible service_notice requested_datetime updated_datetime expected_datetime
address lat long media_url"
service_fields="service_code service_name description metadata type keywords group"
export request_fields service_fields

# entries FORMAT FILE ROOT ENTRY: the entries of a document as JSON lines of
# [field, value] pairs in document order, whichever the format; the root and
# entry names and the field list checked on the way (exit 1 when wrong).
entries() {
	python3 - "$@" <<'PY'
import json, os, sys
import xml.etree.ElementTree as ET
fmt, path, root_name, entry_name = sys.argv[1:5]
want = (os.environ["request_fields"] if root_name == "service_requests"
        else os.environ["service_fields"]).split()
raw = open(path, "rb").read()
if fmt == "xml":
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), "declaration"
    root = ET.fromstring(raw)
    assert root.tag == root_name, root.tag
    rows = []
    for e in root:
        assert e.tag == entry_name, e.tag
        assert len(e.attrib) == 0 and all(len(f) == 0 for f in e), "flat"
        rows.append([[f.tag, f.text] for f in e])
else:
    doc = json.loads(raw.decode("utf-8"))
    assert isinstance(doc, list), "an array"
    rows = [[[k, v] for k, v in o.items()] for o in doc]
for r in rows:
    got = [k for k, _ in r]
    if got != want:
        sys.exit("fields %s, expected %s" % (got, want))
    print(json.dumps(r, ensure_ascii=False))
PY
}
# field FILE CODE NAME: one field of the request of CODE (grouped) among entries FILE;
# None when it is empty (XML) or null (JSON).
field() {
	python3 -c 'import json, sys
for line in open(sys.argv[1]):
    r = dict(json.loads(line))
    if r.get("service_request_id") == sys.argv[2] or r.get("service_code") == sys.argv[2]:
        print(r[sys.argv[3]]); break
else:
    print("NO-SUCH-ENTRY")' "$@"
}
grouped() { printf '%s' "$1" | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/'; }

# --- a unit, a service and a case in every state -----------------------------------

hostile_unit='آب & <فاضلاب> "شهری"'
punit add services --name "$hostile_unit" >/dev/null
punit add committee --name 'کمیته پیشنهادها' >/dev/null
pservice add leak --name 'نشت <لوله> & شیر' --unit services --steps 'گام ۱: تماس
گام ۲: بازدید' >/dev/null
pservice add permit --name 'پروانه' --unit committee --deadline 15 >/dev/null

phone=09127654321 email=PERSONAL@example.ir nid=0499370899 name='NAME-OF-CITIZEN'
personal=(--phone "$phone" --email "$email" --national-id "$nid" --name "$name")
new_case() { pcase-new "${personal[@]}" "$@"; }

c_new=$(new_case -k complaint -s 'SUBJECT-SECRET <b>&amp;</b>' -b 'BODY-SECRET')
c_routed=$(new_case -k complaint -s 'SUBJECT-SECRET' --service leak)
c_progress=$(new_case -k request -s 'SUBJECT-SECRET' --unit services)
pcase-status --set in-progress --note 'INTERNAL-NOTE' "$c_progress" >/dev/null
c_waiting=$(new_case -k question -s 'SUBJECT-SECRET' --unit services)
pcase-status --set waiting --note 'WAITING-QUESTION' "$c_waiting" >/dev/null
c_committee=$(new_case -k suggestion -s 'SUBJECT-SECRET' --unit committee)
pcase-review "$c_committee" --open --note 'INTERNAL-AGENDA' >/dev/null
hostile_answer='پاسخ <script>alert("x")</script> & ]]> '\''q'\'' ‏راست‌چین
خط دوم'
c_answered=$(new_case -k complaint -s 'SUBJECT-SECRET' --service leak)
PARTAKE_NOW=2026-11-24T06:00:00Z pcase-answer "$c_answered" --outcome accepted \
	--action process,support --text "$hostile_answer" >/dev/null
c_closed=$(new_case -k request -s 'SUBJECT-SECRET' --service permit)
PARTAKE_NOW=2026-11-24T06:00:00Z pcase-answer "$c_closed" --outcome info --text 'CLOSED-ANSWER' >/dev/null
PARTAKE_NOW=2026-11-25T06:00:00Z pcase-status --set closed --note 'INTERNAL-CLOSE' "$c_closed" >/dev/null
c_rejected=$(new_case -k complaint -s 'SUBJECT-SECRET' --unit services)
PARTAKE_NOW=2026-11-23T10:00:00Z pcase-status --set rejected --note 'شکایت <تکراری> است' "$c_rejected" >/dev/null
c_reopened=$(new_case -k request -s 'SUBJECT-SECRET' --unit services)
pcase-answer "$c_reopened" --outcome accepted --text 'WITHDRAWN-ANSWER' >/dev/null
PARTAKE_NOW=2026-11-26T06:00:00Z pcase-status --set in-progress --note 'INTERNAL-REOPEN' "$c_reopened" >/dev/null
c_anonymous=$(pcase-new -k violation -s 'ANON-SUBJECT' -b 'ANON-BODY تخلف' --anonymous --unit services)
# A control character and a bidi override that slipped past the checks at
# input (written into the file by hand): they must not break the document.
c_smuggled=$(new_case -k complaint -s 'SUBJECT-SECRET' --unit services)
pcase-answer "$c_smuggled" --outcome noted --text 'placeholder' >/dev/null
sql "UPDATE cases SET answer = 'ctl' || char(1) || char(27) || '[31m' || char(8238) || 'evil'
	WHERE code = $c_smuggled" >/dev/null
all="$c_new $c_routed $c_progress $c_waiting $c_committee $c_answered $c_closed $c_rejected $c_reopened $c_anonymous $c_smuggled"
is "$(sql 'SELECT group_concat(state, " ") FROM (SELECT state FROM cases ORDER BY id)')" \
	"new routed in-progress waiting committee answered closed rejected in-progress routed answered" \
	"the cases are in every state"

# --- the documents ------------------------------------------------------------------

run pcase-list -f open311-xml
is "$rc" 0 "-f open311-xml: exit 0"
printf '%s\n' "$out" > "$tmp/requests.xml"
run pcase-list -f open311-json
is "$rc" 0 "-f open311-json: exit 0"
printf '%s\n' "$out" > "$tmp/requests.json"
is "$(wc -l < "$tmp/requests.json")" 1 "the JSON is one line"

xmllint --noout "$tmp/requests.xml" 2>"$tmp/lint"
ok $? "xmllint: the requests' XML is well-formed"
is "$(cat "$tmp/lint")" "" "… without a word"
entries xml "$tmp/requests.xml" service_requests request > "$tmp/xml.rows"
ok $? "xml.etree: <service_requests> of <request>s, each with the spec's fields in its order"
entries json "$tmp/requests.json" service_requests request > "$tmp/json.rows"
ok $? "json: an array of objects, each with the spec's fields in its order"
is "$(wc -l < "$tmp/xml.rows")/$(wc -l < "$tmp/json.rows")" "11/11" "a request for every case in both"
is "$(field "$tmp/json.rows" "$(grouped "$c_new")" service_request_id)" "$(grouped "$c_new")" \
	"service_request_id is the tracking code as citizens read it"

# XML and JSON say the same, empty XML elements being JSON's nulls (the
# JSON's metadata aside, a bool: there is none in a request).
python3 - "$tmp/xml.rows" "$tmp/json.rows" <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
sys.exit(0 if a == b else "differ:\n%s\n%s" % (a, b))
PY
ok $? "the XML and the JSON hold the same requests"

# --- status: only open or closed -----------------------------------------------------

for pair in new:open routed:open progress:open waiting:open committee:open answered:closed \
	closed:closed rejected:closed reopened:open anonymous:open; do
	var=c_${pair%%:*}
	is "$(field "$tmp/json.rows" "$(grouped "${!var}")" status)" "${pair#*:}" \
		"status: a case ${pair%%:*} is ${pair#*:}"
done
is "$(python3 -c 'import json, sys
print(sorted({dict(json.loads(l))["status"] for l in open(sys.argv[1])}))' "$tmp/xml.rows")" \
	"['closed', 'open']" "no status but open and closed"

# --- the fields ------------------------------------------------------------------------

is "$(field "$tmp/json.rows" "$(grouped "$c_answered")" status_notes)" "$hostile_answer" \
	"status_notes: the answer, hostile text and all, read back as it was written (XML and JSON)"
is "$(field "$tmp/xml.rows" "$(grouped "$c_answered")" status_notes)" "$hostile_answer" \
	"… from the XML too"
like "$(cat "$tmp/requests.xml")" '&lt;script&gt;alert("x")&lt;/script&gt; &amp; ]]&gt;' \
	"… escaped by libxml2 in the XML"
unlike "$(cat "$tmp/requests.xml")" '<script>' "… no raw markup"
like "$(cat "$tmp/requests.json")" '<script>alert(\"x\")</script>' "… a JSON string in the JSON"
is "$(field "$tmp/json.rows" "$(grouped "$c_rejected")" status_notes)" "شکایت <تکراری> است" \
	"status_notes of a rejected case: the reason the citizen was sent"
is "$(field "$tmp/json.rows" "$(grouped "$c_closed")" status_notes)" "CLOSED-ANSWER" \
	"… of a closed case: its answer"
is "$(field "$tmp/json.rows" "$(grouped "$c_reopened")" status_notes)" "None" \
	"… of a reopened case: nothing (the withdrawn answer is not shown)"
is "$(field "$tmp/json.rows" "$(grouped "$c_waiting")" status_notes)" "None" \
	"… of a waiting case: nothing"
is "$(field "$tmp/json.rows" "$(grouped "$c_smuggled")" status_notes)" 'ctl\x01\x1b[31m<U+202E>evil' \
	"a control character and a bidi override in stored text come out as visible escapes"
python3 -c 'import sys
t = open(sys.argv[1], encoding="utf-8").read()
sys.exit(1 if any(ord(c) < 32 and c not in "\n\t" or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069" for c in t) else 0)' \
	"$tmp/requests.xml"
ok $? "… no control or bidi override character in the XML"
like "$(field "$tmp/json.rows" "$(grouped "$c_answered")" status_notes)" "‏راست‌چین" \
	"the marks Persian needs (RLM, ZWNJ) stay as they are"
is "$(field "$tmp/json.rows" "$(grouped "$c_answered")" service_name)/$(field "$tmp/json.rows" "$(grouped "$c_answered")" service_code)" \
	"نشت <لوله> & شیر/leak" "service_name and service_code"
is "$(field "$tmp/xml.rows" "$(grouped "$c_answered")" agency_responsible)" "$hostile_unit" \
	"agency_responsible: the unit's name, as it is"
is "$(field "$tmp/json.rows" "$(grouped "$c_new")" agency_responsible)/$(field "$tmp/json.rows" "$(grouped "$c_new")" service_code)" \
	"None/None" "… none for an unrouted case, and no service"
is "$(field "$tmp/json.rows" "$(grouped "$c_answered")" service_notice)" "پذیرفته شد: اصلاح فرایند، پشتیبانی" \
	"service_notice: the outcome and the actions, in Persian"
is "$(field "$tmp/json.rows" "$(grouped "$c_reopened")" service_notice)" "None" \
	"… none once the answer is withdrawn"
for f in description address lat long media_url; do
	is "$(python3 -c 'import json, sys
print(sorted({str(dict(json.loads(l))[sys.argv[2]]) for l in open(sys.argv[1])}))' "$tmp/json.rows" "$f")" \
		"['None']" "$f: empty in every request"
done

# --- times: ISO 8601 with the zone -----------------------------------------------------

is "$(field "$tmp/json.rows" "$(grouped "$c_new")" requested_datetime)" "2026-11-22T11:30:00+03:30" \
	"requested_datetime: when it came in, in Tehran's time with its offset"
is "$(field "$tmp/json.rows" "$(grouped "$c_routed")" expected_datetime)" "2026-12-03T14:30:00+03:30" \
	"expected_datetime: the due time"
is "$(field "$tmp/json.rows" "$(grouped "$c_closed")" expected_datetime)" "2026-12-09T14:30:00+03:30" \
	"… the service's 15 working days"
is "$(field "$tmp/json.rows" "$(grouped "$c_closed")" updated_datetime)" "2026-11-25T09:30:00+03:30" \
	"updated_datetime of a closed case: when it was closed"
is "$(field "$tmp/json.rows" "$(grouped "$c_rejected")" updated_datetime)" "2026-11-23T13:30:00+03:30" \
	"… of a rejected one: when it was rejected"
is "$(field "$tmp/json.rows" "$(grouped "$c_reopened")" updated_datetime)" "2026-11-26T09:30:00+03:30" \
	"… of a reopened one: when it was reopened"
is "$(field "$tmp/json.rows" "$(grouped "$c_progress")" updated_datetime)" "2026-11-22T11:30:00+03:30" \
	"… an internal step (in progress) is not a public moment"
python3 - "$tmp/json.rows" <<'PY'
import datetime, json, re, sys
pat = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")
for line in open(sys.argv[1]):
    r = dict(json.loads(line))
    for k in ("requested_datetime", "updated_datetime", "expected_datetime"):
        v = r[k]
        if v is None and k == "expected_datetime":
            continue
        assert pat.match(v), (k, v)
        assert datetime.datetime.fromisoformat(v).utcoffset() is not None, v
    assert r["updated_datetime"] >= r["requested_datetime"]
PY
ok $? "every time is ISO 8601 with its zone, and parses so"
printf '%s\ntimezone = UTC\n' "$base_config" > "$PARTAKE_CONFIG"
like "$(pcase-list -f open311-json --limit 1)" '"requested_datetime":"2026-11-22T08:00:00+00:00"' \
	"timezone = UTC: the same instant with offset +00:00"
printf '%s\n' "$base_config" > "$PARTAKE_CONFIG"

# --- no personal data, ever ------------------------------------------------------------

for secret in "$phone" "${phone#0}" "$email" "$nid" "$name" SUBJECT-SECRET BODY-SECRET ANON-SUBJECT ANON-BODY \
	INTERNAL-NOTE WAITING-QUESTION INTERNAL-AGENDA INTERNAL-CLOSE INTERNAL-REOPEN WITHDRAWN-ANSWER tester; do
	unlike "$(cat "$tmp/requests.xml" "$tmp/requests.json")" "$secret" "no personal data or internal note: '$secret'"
done
is "$(field "$tmp/json.rows" "$(grouped "$c_anonymous")" agency_responsible)" "$hostile_unit" \
	"an anonymous case is listed like any other"

# --- the filters of pcase-list --------------------------------------------------------

run pcase-list -f open311-json --state rejected
is "$(printf '%s\n' "$out" | python3 -c 'import json, sys
print(" ".join(o["service_request_id"] for o in json.load(sys.stdin)))')" "$(grouped "$c_rejected")" \
	"--state rejected: the rejected case alone"
run pcase-list -f open311-xml --service leak --sort code
is "$(printf '%s\n' "$out" | python3 -c 'import sys, xml.etree.ElementTree as ET
print(" ".join(sorted(r.findtext("service_request_id") for r in ET.fromstring(sys.stdin.buffer.read()))))')" \
	"$(printf '%s\n' "$(grouped "$c_routed")" "$(grouped "$c_answered")" | sort | tr '\n' ' ' | sed 's/ $//')" \
	"--service leak: its two cases"
run pcase-list -f open311-json --open --unit committee
is "$rc/$out" "0/$(pcase-list -f open311-json "--state=committee")" "--open --unit: the committee's open case"
run pcase-list -f open311-json -k feedback
is "$rc/$out" "1/[]" "nothing matched: an empty array, exit 1"
run pcase-list -f open311-xml -k feedback
is "$rc" 1 "… exit 1 in XML"
printf '%s\n' "$out" | xmllint --noout - 2>/dev/null
ok $? "… an empty <service_requests/>, well-formed"
is "$(printf '%s\n' "$out" | python3 -c 'import sys, xml.etree.ElementTree as ET
r = ET.fromstring(sys.stdin.buffer.read()); print(r.tag, len(r))')" "service_requests 0" "… with no request"
run pcase-list -f open311-json --state rejected
run sh -c 'pcase-list -f open311-xml > /dev/full'
is "$rc" 2 "a document that cannot be written: exit 2"
like "$err" "write error" "… saying so"
run pcase-list -f open311-json --unit nosuch
is "$rc" 2 "a filter naming no unit is an error, as in every format"
like "$err" "no such unit" "… saying so"
run pcase-list -l -f open311-json --limit 1
is "$(printf '%s\n' "$out" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)[0]))')" 15 \
	"-l does not widen the document"

# --- the services ----------------------------------------------------------------------

run pservice list -f open311-xml
is "$rc" 0 "pservice list -f open311-xml: exit 0"
printf '%s\n' "$out" > "$tmp/services.xml"
xmllint --noout "$tmp/services.xml"
ok $? "xmllint: the services' XML is well-formed"
entries xml "$tmp/services.xml" services service > "$tmp/sxml.rows"
ok $? "xml.etree: <services> of <service>s with the spec's fields in its order"
run pservice list -f open311-json
printf '%s\n' "$out" > "$tmp/services.json"
entries json "$tmp/services.json" services service > "$tmp/sjson.rows"
ok $? "json: the same fields in the same order"
is "$(field "$tmp/sxml.rows" leak service_name)" "نشت <لوله> & شیر" "service_name, hostile text and all"
is "$(field "$tmp/sxml.rows" leak description)" "گام ۱: تماس
گام ۲: بازدید" "description: the steps, lines kept"
is "$(field "$tmp/sxml.rows" leak group)" "$hostile_unit" "group: the unit's name"
is "$(field "$tmp/sxml.rows" leak metadata)/$(field "$tmp/sjson.rows" leak metadata)" "false/False" \
	"metadata: false (a boolean in JSON)"
is "$(field "$tmp/sxml.rows" leak type)/$(field "$tmp/sjson.rows" permit type)" "realtime/realtime" \
	"type: realtime"
is "$(field "$tmp/sjson.rows" leak keywords)/$(field "$tmp/sjson.rows" permit description)" "None/None" \
	"keywords: none; a service without steps has no description"
is "$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/services.json")" 2 \
	"every service of the catalog"

# --- refused where there is no Open311 form --------------------------------------------

for cmd in "punit list" "pservice show leak" "pcase-status $c_new" "pcase-route --to services $c_new"; do
	run $cmd -f open311-json
	is "$rc" 64 "$cmd -f open311-json: a usage error"
	like "$err" "--format open311-json: this output has no Open311 form" "… saying so"
done
is "$(sql "SELECT state FROM cases WHERE code = $c_new")" new "… and nothing was done"
run pcase-list -f open311-yaml
is "$rc" 64 "an unknown format is still refused"
like "$err" "open311-xml, open311-json" "… and the formats listed end with the two"

done_testing
