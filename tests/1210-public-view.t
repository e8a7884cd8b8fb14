#!/bin/bash
# pcase-status --public: what the citizen reads with the tracking code.
# Persian labels and words, the citizen's calendar and digits, the moments
# the citizen is told of and no internal step (no committee votes, no
# overdue notices, no deadline moves, no internal notes), the reason of a
# rejection, no withdrawn answer after a reopening; for programs the same
# facts under stable English keys and names.
. "$(dirname "$0")/lib.sh"

# fa TEXT: TEXT with its digits in Persian.
fa() {
	local s=$1
	s=${s//0/۰} s=${s//1/۱} s=${s//2/۲} s=${s//3/۳} s=${s//4/۴}
	s=${s//5/۵} s=${s//6/۶} s=${s//7/۷} s=${s//8/۸} s=${s//9/۹}
	printf '%s' "$s"
}
grouped() { printf '%s' "$1" | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/'; }
# public_json CODE EXPR: a Python expression of the case's public JSON object o.
public_json() {
	pcase-status --public --format json "$1" | python3 -c "import json, sys
o = json.loads(sys.stdin.read())
print($2)"
}

punit add services --name 'واحد خدمات شهری' >/dev/null
punit add committee --name 'کمیته پیشنهادها' >/dev/null

# --- a complaint walked to a rejection, with internal steps on the way ---------------

r=$(pcase-new -k complaint -s 'SECRET-SUBJECT' --phone 09121234567 --name 'NAME-OF-CITIZEN')
pcase-route --to services "$r" >/dev/null
pcase-status --set in-progress --note 'INTERNAL-NOTE' "$r" >/dev/null
pcase-status --set waiting --note 'لطفا نشانی دقیق را بفرستید' "$r" >/dev/null
PARTAKE_NOW=2026-11-24T08:00:00Z pcase-status --set in-progress "$r" >/dev/null
PARTAKE_NOW=2026-11-24T08:00:00Z pcase-status --extend 2 --reason 'INTERNAL-EXTENSION' "$r" >/dev/null
PARTAKE_NOW=2026-11-24T08:00:00Z pcase-status --notified 1 "$r" >/dev/null
PARTAKE_NOW=2026-11-25T08:00:00Z pcase-status --set rejected --note 'شکایت تکراری است' "$r" >/dev/null
is "$(sql "SELECT group_concat(what, ' ') FROM event WHERE subject = '$r'")" \
	"received route state state due state extend overdue-notice state" "the walk left its events"

run pcase-status --public "$r"
is "$rc" 0 "--public: exit 0"
for label in 'کد پیگیری' 'نوع' 'وضعیت' 'واحد رسیدگی' 'تاریخ ثبت' 'مهلت پاسخ' 'دلیل رد' 'تاریخچه'; do
	like "$out" "$label" "--public: the Persian label '$label'"
done
like "$out" "$(fa "$(grouped "$r")")" "the code, in Persian digits"
like "$out" "شکایت" "the kind by its Persian name"
like "$out" "رد شده" "the state by its Persian name"
like "$out" "واحد خدمات شهری" "the unit by its name"
like "$out" "$(fa '1405-09-01 11:30')" "the received time, Solar Hijri, Persian digits"
like "$out" "دلیل رد         شکایت تکراری است" "the reason of the rejection, as the SMS carried it"
like "$out" "رد شد          رد شده               شکایت تکراری است" \
	"the rejection in the history, with its reason"
like "$out" "درخواست توضیح  در انتظار توضیح شما  لطفا نشانی دقیق را بفرستید" \
	"the question the citizen was asked"
for english in complaint rejected received route state due extend overdue-notice waiting \
	'working day' history; do
	unlike "$out" "$english" "no English '$english'"
done
for internal in INTERNAL-NOTE INTERNAL-EXTENSION 'by hand' services SECRET-SUBJECT NAME-OF-CITIZEN \
	09121234567 tester; do
	unlike "$out" "$internal" "no internal step or personal data: '$internal'"
done
is "$(printf '%s\n' "$out" | sed -n '/^تاریخچه$/,$p' | sed 1,2d | awk '{print $3, $4}')" \
	"ثبت شد
ارجاع شد
درخواست توضیح
رد شد" "the history: received, routed, asked, rejected; no overdue notice, no deadline move, no in-progress step"

# For programs: the same facts, stable English keys and names, Latin digits.
is "$(public_json "$r" 'o["kind"], o["state"], o["reason"], o["received"]')" \
	"complaint rejected شکایت تکراری است 1405-09-01 11:30" "--public -f json: English names, the reason, Latin digits"
is "$(public_json "$r" '" ".join(e["what"] for e in o["events"])')" "received routed waiting rejected" \
	"--public -f json: the events are the moments the citizen is told of"
is "$(public_json "$r" '[e["note"] for e in o["events"]]')" \
	"[None, None, 'لطفا نشانی دقیق را بفرستید', 'شکایت تکراری است']" \
	"… with the note the citizen was sent, and no other"
run pcase-status --public --format tsv "$r"
like "$(printf '%s\n' "$out" | head -n 1)" "$(printf 'answer\treason')" "--public -f tsv: the reason's column"
like "$out" "	complaint	rejected	" "… English names"

# --- a suggestion through the committee ----------------------------------------------

s=$(pcase-new -k suggestion -s 'نوبت‌دهی' --phone 09131234567 --unit committee)
pcase-review "$s" --open --note 'INTERNAL-AGENDA' >/dev/null
pcase-review "$s" --member 'MEMBER-ONE' --opinion approve --note 'VOTE-NOTE' >/dev/null
pcase-review "$s" --member 'MEMBER-TWO' --opinion reject >/dev/null
pcase-review "$s" --decide accepted --action process,support --note 'نوبت‌دهی اینترنتی راه می‌افتد' >/dev/null
run pcase-status --public "$s"
like "$out" "پذیرفته شد" "the committee's decision: outcome accepted, in Persian"
like "$out" "اصلاح فرایند، پشتیبانی" "the actions by their Persian names"
like "$out" "نوبت‌دهی اینترنتی راه می‌افتد" "the decision's text is the answer"
for internal in MEMBER-ONE MEMBER-TWO VOTE-NOTE INTERNAL-AGENDA approve opinion 'در بررسی کمیته'; do
	unlike "$out" "$internal" "no committee vote or step: '$internal'"
done
is "$(public_json "$s" '" ".join(e["what"] for e in o["events"]), o["outcome"], o["action"]')" \
	"received routed answered accepted process,support" "--public -f json: no opinion events"

# --- answered, closed, reopened: no withdrawn answer -----------------------------------

o=$(pcase-new -k request -s 'پروانه' --email citizen@example.ir --unit services)
pcase-answer "$o" --outcome accepted --action process --text 'OLD-ANSWER' >/dev/null
pcase-status --set closed "$o" >/dev/null
run pcase-status --public "$o"
like "$out" "OLD-ANSWER" "the answer, while it stands"
like "$out" "بسته شده" "closed"
PARTAKE_NOW=2026-11-23T08:00:00Z pcase-status --set in-progress --note 'INTERNAL-REOPEN' "$o" >/dev/null
run pcase-status --public "$o"
unlike "$out" "OLD-ANSWER" "after a reopening the withdrawn answer is not shown"
unlike "$out" "پذیرفته شد" "nor its outcome"
unlike "$out" "اصلاح فرایند" "nor its action"
unlike "$out" "INTERNAL-REOPEN" "nor the reopening's internal note"
like "$out" "در دست رسیدگی" "the state is the current one"
like "$out" "بازگشایی شد" "and the history says it was reopened"
is "$(public_json "$o" 'o["state"], o["answer"], o["outcome"], o["action"], o["answered"], o["closed"]')" \
	"in-progress None None None None None" "--public -f json: no withdrawn answer either"
is "$(public_json "$o" '" ".join(e["what"] for e in o["events"])')" \
	"received routed answered closed reopened" "… and the history of it"
run pcase-status "$o"
like "$out" "OLD-ANSWER" "the private view still has the text of the last answer"

# --- the citizen's calendar and digits --------------------------------------------------

printf '%s\ncalendar = gregorian\n' "$base_config" > "$PARTAKE_CONFIG"
run pcase-status "$r"
like "$out" "received     2026-11-22 11:30" "calendar = gregorian: the admin's view is Gregorian"
run pcase-status --public "$r"
like "$out" "$(fa '1405-09-01 11:30')" "… the citizen's stays Solar Hijri, in Persian digits"
unlike "$out" "2026" "… with no Gregorian date"
is "$(public_json "$r" 'o["received"], o["events"][0]["at"]')" "1405-09-01 11:30 1405-09-01 11:30" \
	"… in json too: what the portal shows a citizen"
printf '%s\ncitizen_calendar = gregorian\ncitizen_digits = latin\n' "$base_config" > "$PARTAKE_CONFIG"
run pcase-status --public "$r"
like "$out" "2026-11-22 11:30" "citizen_calendar = gregorian, citizen_digits = latin: the citizen's view follows them"
like "$out" "$(grouped "$r")" "… the code in Latin digits"
like "$out" "رد شده" "… still in Persian"
for bad in 'citizen_calendar = hijri' 'citizen_digits = arabic'; do
	printf '%s\n%s\n' "$base_config" "$bad" > "$PARTAKE_CONFIG"
	run pcase-status --public "$r"
	is "$rc" 2 "$bad: refused"
	like "$err" "partake.conf:3: ${bad%% *}: expected" "… naming the file, line and key"
done
printf '%s\n' "$base_config" > "$PARTAKE_CONFIG"

# Showing changes nothing.
before=$(db_state)
pcase-status --public "$r" "$s" "$o" >/dev/null
is "$(db_state)" "$before" "the public view changes nothing"

done_testing
