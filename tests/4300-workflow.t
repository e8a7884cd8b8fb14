#!/bin/bash
# The walk: a complaint from intake to closed, reopened and closed again,
# checking every event row in order after each step; moves the table does not
# allow; the citizen's notices in the outbox; a suggestion through the
# committee; and the audit chain catching an edited event.
. "$(dirname "$0")/lib.sh"

tehran() { date -d "$1 +0330" +%s; }	# an instant written in Tehran's time
grouped() { printf '%s' "$1" | sed 's/\(....\)\(....\)\(....\)/\1-\2-\3/'; }
# fa TEXT: TEXT with its digits in Persian, as notices give them to citizens (citizen_digits).
fa() {
	local s=$1
	s=${s//0/۰} s=${s//1/۱} s=${s//2/۲} s=${s//3/۳} s=${s//4/۴}
	s=${s//5/۵} s=${s//6/۶} s=${s//7/۷} s=${s//8/۸} s=${s//9/۹}
	printf '%s' "$s"
}

# events CODE: the case's events as "what|before|after|note", in order.
events() {
	sql "SELECT e.what || '|' || coalesce(e.before, '') || '|' || coalesce(e.after, '') || '|' ||
		coalesce(e.note, '') FROM event e JOIN cases c ON e.subject_kind = 'case' AND c.id = e.subject_id
		WHERE c.code = $1 ORDER BY e.id"
}
# field CODE COLUMN: one column of a case.
field() { sql "SELECT coalesce($2, '') FROM cases WHERE code = $1"; }
# outbox CODE: the case's queued notices as "channel|recipient", in order.
# (the citizen's notices only: mail to the unit is tested apart)
outbox() { sql "SELECT o.channel || '|' || o.recipient FROM outbox o JOIN cases c ON c.id = o.case_id
	WHERE c.code = $1 AND o.unit_id IS NULL ORDER BY o.id"; }
# last_notice CODE: the body of the case's latest notice.
last_notice() { sql "SELECT o.body FROM outbox o JOIN cases c ON c.id = o.case_id AND o.unit_id IS NULL
	WHERE c.code = $1 ORDER BY o.id DESC LIMIT 1"; }

walk=
step() { walk=$walk${walk:+$'\n'}$1; }

punit add services --name 'واحد خدمات شهری' --email services@agency.ir >/dev/null
punit add committee --name 'کمیته رسیدگی به پیشنهادها' >/dev/null

# --- 1. intake: Sunday 1405-09-01 11:30 Tehran -----------------------------------------

c=$(pcase-new -k complaint -c portal -s 'تاخیر در جمع‌آوری زباله' -b 'سه روز است زباله‌ها جمع نشده' \
	--name 'مریم احمدی' --phone 09121234567)
g=$(fa "$(grouped "$c")")	# the code as the citizen's notices give it
step "received||new|portal"
is "$(events "$c")" "$walk" "intake: one event, received → new"
is "$(sql "SELECT who FROM event WHERE subject_kind = 'case'")" "tester" "recorded as PARTAKE_USER"
is "$(field "$c" due)" "$(tehran '2026-12-03 14:30')" "due 1405-09-12 14:30, ten working days on"
is "$(outbox "$c")" "sms|09121234567" "the confirmation SMS is queued"
like "$(last_notice "$c")" "$g" "with the tracking code"

# --- 2. routed --------------------------------------------------------------------------

run pcase-route --to services "$c"
is "$out" "$c" "pcase-route --to services"
step "route|new|routed|services: by hand"
is "$(events "$c")" "$walk" "events: received, route new → routed"
is "$(outbox "$c" | wc -l)" 2 "a 'routed' notice"
like "$(last_notice "$c")" "واحد خدمات شهری" "naming the unit"

# --- 3. in progress ---------------------------------------------------------------------

run pcase-status --set in-progress --note 'بررسی آغاز شد' "$c"
is "$rc" 0 "--set in-progress: exit 0"
is "$out" "$c" "prints the code"
step "state|routed|in-progress|بررسی آغاز شد"
is "$(events "$c")" "$walk" "a state event routed → in-progress, with its note"
is "$(outbox "$c" | wc -l)" 2 "no notice for in-progress"

# --- 4. waiting for the citizen -----------------------------------------------------------

before=$(db_state)
run pcase-status --set waiting "$c"
is "$rc" 1 "--set waiting without --note: exit 1"
like "$err" "waiting needs the question for the citizen (--note)" "the question is needed"
is "$(db_state)" "$before" "nothing changed"
question='لطفا شماره اشتراک پسماند را بفرستید'
run pcase-status --set waiting --note "$question" "$c"
is "$rc" 0 "--set waiting --note: exit 0"
step "state|in-progress|waiting|$question"
is "$(events "$c")" "$walk" "a state event in-progress → waiting, with the question"
is "$(field "$c" state)" "waiting" "the case is waiting"
is "$(outbox "$c" | tail -1)" "sms|09121234567" "an SMS to the citizen"
like "$(last_notice "$c")" "$question" "carrying the question"
like "$(last_notice "$c")" "$g" "and the tracking code"

# --- 5. two working days later, back to in-progress: the clock stopped --------------------

export PARTAKE_NOW=2026-11-24T08:00:00Z	# Tuesday 1405-09-03 11:30
run pcase-status --set in-progress "$c"
is "$rc" 0 "back to in-progress two working days later"
step "due|1405-09-12 14:30|1405-09-15 14:30|clock stopped 2 working days while waiting"
step "state|waiting|in-progress|"
is "$(events "$c")" "$walk" "a 'due' event moves the due time by the 2 working days waited, then the state event"
is "$(field "$c" due)" "$(tehran '2026-12-06 14:30')" \
	"the new due instant: 1405-09-15 14:30 (Thursday 09-12 + 2 working days, Friday skipped)"
is "$(sql "SELECT at FROM event ORDER BY id DESC LIMIT 1")" "$(date -d 2026-11-24T08:00:00Z +%s)" \
	"the events carry the new time"

# --- 6. an extension, once ----------------------------------------------------------------

reason='نیاز به استعلام از پیمانکار'
run pcase-status --extend 3 --reason "$reason" "$c"
is "$rc" 0 "--extend 3 --reason: exit 0"
step "extend|1405-09-15 14:30|1405-09-18 14:30|3 working days: $reason"
is "$(events "$c")" "$walk" "an 'extend' event with the old and new due and the reason"
is "$(field "$c" due)" "$(tehran '2026-12-09 14:30')" "due 1405-09-18 14:30"
before=$(db_state)
run pcase-status --extend 2 --reason 'again' "$c"
is "$rc" 1 "a second extension without --force: exit 1"
like "$err" "extended once already (--force to extend again)" "saying --force is needed"
is "$(db_state)" "$before" "nothing changed"
is "$(field "$c" due)" "$(tehran '2026-12-09 14:30')" "the due time stayed"
run pcase-status --extend 2 "$c"
is "$rc" 64 "--extend without --reason: exit 64"
run pcase-status --extend 0 --reason x "$c"
is "$rc" 64 "--extend 0: exit 64"
run pcase-status --extend 1 --reason 'پیمانکار پاسخ نداد' --force "$c"
is "$rc" 0 "with --force the second extension is allowed"
step "extend|1405-09-18 14:30|1405-09-19 14:30|1 working day: پیمانکار پاسخ نداد"
is "$(events "$c")" "$walk" "a second 'extend' event"
is "$(field "$c" due)" "$(tehran '2026-12-10 14:30')" "due 1405-09-19 14:30"

# --- 7. the answer --------------------------------------------------------------------------

export PARTAKE_NOW=2026-11-25T08:00:00Z
answer='INTERNAL: contractor fined. زباله‌ها امروز جمع شد و پیمانکار جریمه شد.'
run pcase-answer "$c" --outcome partial --action process --text "$answer"
is "$rc" 0 "pcase-answer: exit 0"
is "$out" "$c" "prints the code"
step "answer|in-progress|answered|partial; process"
is "$(events "$c")" "$walk" "an 'answer' event in-progress → answered, with outcome and action"
is "$(field "$c" state)|$(field "$c" outcome)|$(field "$c" action)|$(field "$c" answered)" \
	"answered|partial|process|$(date -d 2026-11-25T08:00:00Z +%s)" "state, outcome, action and time stored"
is "$(field "$c" answer)" "$answer" "the answer text is stored"
is "$(outbox "$c" | wc -l)" 4 "an 'answered' notice is queued"
like "$(last_notice "$c")" "$g" "it carries the tracking code"
unlike "$(last_notice "$c")" "INTERNAL" "and not the answer's text"
unlike "$(sql "SELECT group_concat(coalesce(subject, '') || body) FROM outbox")" "پیمانکار جریمه" \
	"no notice carries the answer's text"

before=$(db_state)
run pcase-status --set waiting --note 'one more question' "$c"
is "$rc" 1 "answered → waiting is refused: exit 1"
like "$err" "cannot move from answered to waiting (from answered: closed, in-progress)" \
	"with the moves allowed from answered"
is "$(db_state)" "$before" "nothing changed"
is "$(field "$c" state)" "answered" "the case is still answered"

# --- 8. closed ------------------------------------------------------------------------------

export PARTAKE_NOW=2026-11-25T09:00:00Z
run pcase-status --set closed "$c"
is "$rc" 0 "--set closed: exit 0"
step "state|answered|closed|"
is "$(events "$c")" "$walk" "a state event answered → closed"
is "$(field "$c" closed)" "$(date -d 2026-11-25T09:00:00Z +%s)" "the closing time is stored"
is "$(outbox "$c" | wc -l)" 5 "a 'closed' notice"

# --- 9. reopened ----------------------------------------------------------------------------

export PARTAKE_NOW=2026-11-26T09:00:00Z	# Thursday 1405-09-05 12:30
run pcase-status --set in-progress --note 'شهروند اعتراض کرد' "$c"
is "$rc" 0 "--set in-progress on a closed case reopens it"
step "reopen|closed|in-progress|شهروند اعتراض کرد"
step "due|1405-09-19 14:30|1405-09-17 14:30|reopened: a new deadline"
is "$(events "$c")" "$walk" "a 'reopen' event closed → in-progress, and a fresh deadline from now"
is "$(field "$c" state)|$(field "$c" closed)|$(field "$c" answered)|$(field "$c" outcome)" "in-progress|||" \
	"reopening clears closed, answered and outcome"
is "$(field "$c" due)" "$(tehran '2026-12-08 14:30')" "due 1405-09-17 14:30: ten working days from the reopening"
is "$(outbox "$c" | wc -l)" 6 "a 'reopened' notice"
like "$(last_notice "$c")" "دوباره" "from the reopened template"
like "$(last_notice "$c")" "$(fa '1405-09-17 14:30')" "with the new due time"

# --- 10. answered again, closed again --------------------------------------------------------

export PARTAKE_NOW=2026-11-29T06:00:00Z
run pcase-answer "$c" --outcome accepted --action process,information --text 'محله شما به برنامه روزانه اضافه شد.'
is "$rc" 0 "answered again"
step "answer|in-progress|answered|accepted; process,information"
is "$(events "$c")" "$walk" "a second 'answer' event, with two actions"
is "$(field "$c" answer)" "محله شما به برنامه روزانه اضافه شد." "the new answer replaces the old"
export PARTAKE_NOW=2026-11-29T07:00:00Z
run pcase-status --set closed "$c"
step "state|answered|closed|"
is "$(events "$c")" "$walk" "closed again: the whole history, in order"
is "$(field "$c" state)" "closed" "the case is closed"
is "$(outbox "$c" | wc -l)" 8 "eight notices: received, routed, waiting, answered, closed, reopened, answered, closed"
is "$(sql "SELECT count(DISTINCT key) FROM outbox")" "$(sql "SELECT count(*) FROM outbox")" \
	"each notice has its own key"
# The rest of the day's work, after the walk: the chain's time never goes back.
export PARTAKE_NOW=2026-11-29T08:00:00Z	# Sunday 1405-09-08 11:30

# --- moves the table does not allow ----------------------------------------------------------

n=$(pcase-new -k complaint -s 'new one' --phone 09121234567)
before=$(db_state)
run pcase-status --set closed "$n"
is "$rc" 1 "new → closed: exit 1"
like "$err" "cannot move from new to closed (from new: routed, rejected)" "the allowed moves are listed"
run pcase-status --set in-progress "$n"
is "$rc" 1 "new → in-progress: exit 1"
run pcase-answer "$n" "$c" --outcome info --text '   '
is "$rc" 2 "an empty answer: exit 2"
is "$err" "pcase-answer: --text: the answer is empty" "said once, naming --text, for all the cases"
run pcase-answer "$n" --outcome info --text 'x'
is "$rc" 1 "new → answered: exit 1"
like "$err" "cannot move from new to answered" "pcase-answer goes through the same table"
run pcase-status --set answered "$n"
is "$rc" 1 "--set answered: exit 1"
like "$err" "answer it with pcase-answer" "points to pcase-answer"
run pcase-status --set routed "$n"
is "$rc" 1 "--set routed: exit 1"
like "$err" "route it with pcase-route" "points to pcase-route"
run pcase-status --set committee "$n"
is "$rc" 1 "--set committee: exit 1"
like "$err" "pcase-review --open" "points to pcase-review"
run pcase-status --set rejected "$n"
is "$rc" 1 "--set rejected without --note: exit 1"
like "$err" "a rejection needs its reason (--note)" "the reason is needed"
run pcase-status --set nonsense "$n"
is "$rc" 64 "an unknown state: exit 64"
is "$(db_state)" "$before" "none of them changed anything"
is "$(events "$n")" "received||new|other" "the case has only its intake event"

run pcase-status --set rejected --note 'تکراری: همان شکایت قبلی' "$n"
is "$rc" 0 "--set rejected --note: exit 0"
is "$(events "$n" | tail -1)" "state|new|rejected|تکراری: همان شکایت قبلی" "the rejection and its reason are an event"
before=$(db_state)
for to in in-progress closed; do
	run pcase-status --set "$to" "$n"
	is "$rc" 1 "rejected → $to: exit 1"
	like "$err" "cannot move from rejected to $to (from rejected: none: it is final)" \
		"a rejected case can go nowhere: it is final"
done
run pcase-status --set waiting --note q "$n"
is "$rc" 1 "rejected → waiting: exit 1"
run pcase-route --to services "$n"
is "$rc" 1 "rejected → routed by pcase-route: exit 1"
like "$err" "it is final" "the same answer"
run pcase-answer "$n" --outcome info --text x
is "$rc" 1 "rejected → answered: exit 1"
run pcase-status --extend 2 --reason x "$n"
is "$rc" 1 "a rejected case is not extended"
is "$(db_state)" "$before" "nothing changed"
is "$(field "$n" state)" "rejected" "it is still rejected"

# Waiting can go back to routed or in-progress, but not straight to answered.
w=$(pcase-new -k request -s 'w' --phone 09121234567 --unit services)
pcase-status --set waiting --note 'کدام شعبه؟' "$w" >/dev/null
run pcase-answer "$w" --outcome info --text x
is "$rc" 1 "waiting → answered: exit 1"
like "$err" "(from waiting: routed, in-progress, rejected)" "the moves from waiting"
run pcase-route --to committee "$w"
is "$rc" 0 "waiting → routed by pcase-route"
is "$(events "$w" | tail -1)" "route|waiting|routed|committee: by hand" "a route event from waiting"

# One action at a time, whether the code comes as an operand or on standard input.
one=$(pcase-new -k complaint -s 'one action' --phone 09121234567 --unit services)
before=$(db_state)
run sh -c "echo $one | pcase-status --set in-progress --extend 2 --reason r"
is "$rc" 64 "--set with --extend (code on standard input): exit 64"
run pcase-status --set in-progress --extend 2 --reason r "$one"
is "$rc" 64 "--set with --extend (code as an operand): exit 64"
run pcase-status --note 'a note without --set' "$one"
is "$rc" 64 "--note without --set (code as an operand): exit 64"
is "$(db_state)" "$before" "the refused command lines changed nothing"
is "$(field "$one" state)" "routed" "the case is still routed"

# --- notices: who gets them, and which moves send them ---------------------------------------

anon=$(pcase-new -k violation -s 'سد معبر' --anonymous)
pcase-route --to services "$anon" >/dev/null
pcase-status --set waiting --note 'کجا؟' "$anon" >/dev/null
pcase-status --set in-progress "$anon" >/dev/null
pcase-answer "$anon" --outcome accepted --action support --text 'رفع شد' >/dev/null
pcase-status --set closed "$anon" >/dev/null
is "$(field "$anon" state)" "closed" "an anonymous case walked to closed"
is "$(outbox "$anon" | wc -l)" 0 "an anonymous case gets no outbox rows"

mail=$(pcase-new -k question -s 'ساعات کاری' --email citizen@example.ir)
pcase-route --to services "$mail" >/dev/null
pcase-answer "$mail" --outcome info --text '۸ تا ۱۴' >/dev/null
is "$(outbox "$mail" | sort -u)" "email|citizen@example.ir" "a case with only an email gets email rows"
is "$(outbox "$mail" | wc -l)" 3 "received, routed, answered"
is "$(sql "SELECT o.subject FROM outbox o JOIN cases c ON c.id = o.case_id WHERE c.code = $mail AND o.unit_id IS NULL ORDER BY o.id DESC LIMIT 1")" \
	"پاسخ درخواست $(fa "$(grouped "$mail")")" "with a subject from the template"
is "$(sql "SELECT count(*) FROM outbox WHERE channel = 'sms' AND subject IS NOT NULL")" 0 "an SMS has no subject"

printf '%s\nnotify = answered\n' "$base_config" >"$PARTAKE_CONFIG"
only=$(pcase-new -k complaint -s 'notify answered' --phone 09351234567)
pcase-route --to services "$only" >/dev/null
pcase-status --set waiting --note 'q' "$only" >/dev/null
pcase-status --set in-progress "$only" >/dev/null
is "$(outbox "$only" | wc -l)" 0 "notify = answered: no notice at intake, routing or waiting"
pcase-answer "$only" --outcome noted --text 'ثبت شد' >/dev/null
pcase-status --set closed "$only" >/dev/null
is "$(outbox "$only")" "sms|09351234567" "only the answer's notice"

printf '%s\nnotify = none\n' "$base_config" >"$PARTAKE_CONFIG"
quiet=$(pcase-new -k complaint -s 'notify none' --phone 09351234567)
pcase-route --to services "$quiet" >/dev/null
pcase-answer "$quiet" --outcome noted --text 'ثبت شد' >/dev/null
is "$(outbox "$quiet" | wc -l)" 0 "notify = none: no notices at all"
printf '%s\nnotify = sometimes\n' "$base_config" >"$PARTAKE_CONFIG"
run pcase-status "$quiet"
is "$rc" 2 "an unknown word in notify stops the command"
like "$err" "partake.conf:3: notify:" "naming the file, line and key"
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"

# --- a suggestion through the committee ------------------------------------------------------

s=$(pcase-new -k suggestion -c portal -s 'نوبت‌دهی اینترنتی' -b 'برای پروانه نوبت اینترنتی بدهید' \
	--phone 09131234567 --unit committee)
step_s="received||new|portal"$'\n'"route|new|routed|committee"
is "$(events "$s")" "$step_s" "a suggestion routed to the committee's unit at intake"

run pcase-review "$c" --open
is "$rc" 1 "--open on a complaint: exit 1"
like "$err" "only suggestions go before the committee, not a complaint" "only suggestions"
before=$(db_state)
run pcase-review "$s" --member 'علی رضایی' --opinion approve
is "$rc" 1 "a member voting on a case not in committee: exit 1"
like "$err" "it is not before the committee (it is routed)" "saying where it is"
is "$(sql "SELECT count(*) FROM review_opinion")" 0 "no opinion stored"
is "$(db_state)" "$before" "nothing changed"

run pcase-review "$s" --open --note 'در دستور جلسه آذر'
is "$rc" 0 "--open: exit 0"
is "$out" "$s" "prints the code"
step_s="$step_s"$'\n'"review|routed|committee|در دستور جلسه آذر"
is "$(events "$s")" "$step_s" "a 'review' event routed → committee"

pcase-review "$s" --member 'علی رضایی' --opinion approve --note 'هزینه کم' >/dev/null
pcase-review "$s" --member 'رضا کریمی' --opinion reject --note 'زیرساخت آماده نیست' >/dev/null
run pcase-review "$s" --member 'سارا محمدی' --opinion abstain
is "$rc" 0 "three members give their opinions"
step_s="$step_s"$'\n'"opinion||approve|علی رضایی: هزینه کم"
step_s="$step_s"$'\n'"opinion||reject|رضا کریمی: زیرساخت آماده نیست"
step_s="$step_s"$'\n'"opinion||abstain|سارا محمدی"
is "$(events "$s")" "$step_s" "each opinion is an event naming the member"
run pcase-review "$s" --member 'سارا محمدی' --opinion approve --note 'با توضیحات قانع شدم'
is "$rc" 0 "a member changes her opinion"
step_s="$step_s"$'\n'"opinion|abstain|approve|سارا محمدی: با توضیحات قانع شدم"
is "$(events "$s")" "$step_s" "both of her opinions are in the history, the change from abstain to approve"
is "$(sql "SELECT count(*) FROM review_opinion")" 3 "one review_opinion row a member"
is "$(sql "SELECT opinion || '|' || note FROM review_opinion WHERE member = 'سارا محمدی'")" \
	"approve|با توضیحات قانع شدم" "her row was replaced by the later opinion"
run pcase-review "$s" --member 'x' --opinion maybe
is "$rc" 64 "an unknown opinion: exit 64"

run pcase-review "$s" --summary -f table
is "$rc" 0 "--summary: exit 0"
like "$out" "approve 2, reject 1, abstain 0" "the tally"
like "$out" "زیرساخت آماده نیست" "and the notes"
printf '%s\ndigits = persian\n' "$base_config" >"$PARTAKE_CONFIG"
run pcase-review "$s" --summary -f table
like "$out" "approve ۲, reject ۱, abstain ۰" "digits = persian: the tally in Persian digits"
like "$out" "$(fa 1405-09-08)" "… as the table's times"
run pcase-review "$s" --summary -f tsv
like "$out" "	1405-09-08 " "… but tsv keeps Latin digits"
printf '%s\n' "$base_config" >"$PARTAKE_CONFIG"
run pcase-review "$s" --summary -f tsv
is "$(echo "$out" | tail -n +2 | cut -f1,2 | sort)" \
	"$(printf 'رضا کریمی\treject\nسارا محمدی\tapprove\nعلی رضایی\tapprove' | sort)" \
	"--summary -f tsv: a row a member with the opinion that counts"

before=$(db_state)
run pcase-review "$s" --decide accepted
is "$rc" 1 "--decide accepted without --action: exit 1"
like "$err" "needs the action it leads to (--action)" "saying the action is needed"
is "$(db_state)" "$before" "nothing changed"
is "$(field "$s" state)" "committee" "it is still before the committee"
run pcase-answer "$s" --outcome accepted --text x
is "$rc" 1 "pcase-answer on a suggestion before the committee: exit 1"
like "$err" "pcase-review --decide" "pointing to --decide"
run pcase-review "$s" --action regulation
is "$rc" 64 "--action without --decide: exit 64"

run pcase-review "$s" --decide accepted --action regulation --note 'آیین‌نامه نوبت‌دهی اصلاح می‌شود'
is "$rc" 0 "--decide accepted --action regulation: exit 0"
step_s="$step_s"$'\n'"decision|committee|answered|accepted; regulation"
is "$(events "$s")" "$step_s" "a 'decision' event committee → answered: the whole review in order"
is "$(field "$s" state)|$(field "$s" outcome)|$(field "$s" action)" "answered|accepted|regulation" \
	"the suggestion is answered, outcome accepted, action regulation"
is "$(field "$s" answer)" "آیین‌نامه نوبت‌دهی اصلاح می‌شود" "the decision's text is the answer"
like "$(last_notice "$s")" "$(fa "$(grouped "$s")")" "the citizen's notice is queued with the code"
run pcase-review "$s" --member 'علی رضایی' --opinion reject
is "$rc" 1 "after the decision no member can vote"

s2=$(pcase-new -k suggestion -s 'پارکینگ عمومی' --anonymous --unit committee)
pcase-status --set in-progress "$s2" >/dev/null
pcase-review "$s2" --open >/dev/null
run pcase-review "$s2" --decide rejected --note 'بودجه نیست'
is "$rc" 0 "--decide rejected needs no action"
is "$(events "$s2" | tail -1)" "decision|committee|answered|rejected" "a rejected decision from in-progress via committee"
is "$(field "$s2" outcome)" "rejected" "outcome rejected"

# --- the audit chain ----------------------------------------------------------------------

run pdb check
is "$rc" 0 "pdb check passes after the whole walk"
# The walk's third event (the units added first have their events before it).
e3=$(sql "SELECT id FROM event WHERE subject_kind = 'case' ORDER BY id LIMIT 1 OFFSET 2")
run sqlite3 "$PARTAKE_DB" "UPDATE event SET note = 'x' WHERE id = $e3"
is "$((rc != 0))" 1 "the schema refuses UPDATE on an event"
like "$err" "append-only" "events are append-only"
run sqlite3 "$PARTAKE_DB" "DELETE FROM event WHERE id = $e3"
is "$((rc != 0))" 1 "and DELETE"
run pdb check
is "$rc" 0 "the chain still holds"

original=$(sql "SELECT note FROM event WHERE id = $e3")
is "$original" "بررسی آغاز شد" "event $e3 is the walk's in-progress note"
sql "DROP TRIGGER event_no_update; UPDATE event SET note = 'x' WHERE id = $e3"
is "$(sql "SELECT note FROM event WHERE id = $e3")" "x" "with the trigger dropped, event $e3 is edited"
run pdb check
is "$rc" 1 "pdb check exits 1"
like "$out" "event $e3 " "naming event $e3"
like "$out" "$c" "and its case"
unlike "$out" "event $((e3 + 1)) " "only the first event that does not match"

done_testing
