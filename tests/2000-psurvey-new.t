#!/bin/bash
# psurvey-new: surveys and their versions; a survey with responses keeps its
# questions, and a change makes the next version.
. "$(dirname "$0")/lib.sh"

run psurvey-new service
is "$rc $out" "0 service version 1" "the default survey is made on first use"
run psurvey-new --show service -f tsv
is "$(echo "$out" | cut -f4,5,6 | tr '\t\n' '  ')" \
	"name kind required information scale yes timeliness scale yes responsiveness scale yes overall scale yes comment text no " \
	"with information, timeliness, responsiveness, overall on 1-5 and an optional comment"
is "$(sql "SELECT count(*) FROM event WHERE subject_kind = 'survey'")" 1 "its making is an event of the chain"

run psurvey-new desk --title "صندوق نظر" -Q 'wait:scale:زمان انتظار' -Q 'clean:yesno:تمیزی' \
	-Q 'how:choice=حضوری|تلفنی|اینترنتی:از چه راهی' -Q 'what:multi=a|b|c:کدام' -Q 'note:text?:نظر'
is "$rc $out" "0 desk version 1" "a survey from options"
run psurvey-new desk -Q 'wait:scale:زمان انتظار' -Q 'clean:yesno:تمیزی' \
	-Q 'how:choice=حضوری|تلفنی|اینترنتی:از چه راهی' -Q 'what:multi=a|b|c:کدام' -Q 'note:text?:نظر' --title "صندوق نظر"
is "$rc $out" "0 desk version 1" "the same questions change nothing"
like "$err" "nothing changed" "and it says so"
run psurvey-new desk -Q 'wait:scale:زمان انتظار' -Q 'clean:yesno:تمیزی'
is "$rc $out" "0 desk version 1" "with no response yet, a change stays in version 1"
is "$(sql "SELECT count(*) FROM survey_question q JOIN survey_version v ON v.id = q.version_id JOIN survey s ON s.id = v.survey_id WHERE s.code = 'desk'")" 2 "with its new questions"

punit add front --name "پیشخوان" >/dev/null
psurvey-record --survey desk --unit front -a wait=4 -a clean=yes >/dev/null
run psurvey-new desk -Q 'wait:scale:زمان انتظار' -Q 'staff:scale:برخورد کارکنان'
is "$rc $out" "0 desk version 2" "once answered, a change makes version 2"
is "$(sql "SELECT group_concat(name, ',') FROM (SELECT q.name FROM survey_question q JOIN survey_version v ON v.id = q.version_id WHERE v.version = 1 AND v.survey_id = (SELECT id FROM survey WHERE code = 'desk') ORDER BY q.position)")" "wait,clean" \
	"and version 1 keeps the questions it was answered with"

printf 'name\tkind\trequired\ttext\toptions\nspeed\tscale\tyes\tسرعت\t\nways\tmulti\tno\tراه‌ها\tsms|web|desk\n' >"$tmp/q.tsv"
run psurvey-new filed --questions "$tmp/q.tsv"
is "$rc $out" "0 filed version 1" "questions from a TSV file"
is "$(sql "SELECT name || ':' || kind || ':' || required || ':' || coalesce(options, '') FROM survey_question WHERE version_id = (SELECT max(id) FROM survey_version) ORDER BY position" | tr '\n' ' ')" \
	"speed:scale:1: ways:multi:0:sms|web|desk " "with their kinds, required or not, and options"

# Bad input: nothing stored.
before=$(sql "SELECT count(*) FROM survey_question")
run psurvey-new bad -Q 'x:stars:text'
is "$rc" 64 "an unknown kind is a usage error"
like "$err" "stars" "naming the kind"
run psurvey-new bad -Q 'x:choice=one:text'
like "$rc $err" "64 " "a choice of one option is refused"
run psurvey-new bad -Q 'nocolon'
like "$err" "NAME:KIND:TEXT" "a question without its parts"
run psurvey-new Bad -Q 'x:scale:t'
is "$rc" 2 "a code with capitals is refused"
printf 'name\tkind\nx\tscale\n' >"$tmp/bad.tsv"
run psurvey-new bad --questions "$tmp/bad.tsv"
like "$err" "bad.tsv:2" "a file's bad line is named"
printf 'name\tcolour\n' >"$tmp/bad2.tsv"
run psurvey-new bad --questions "$tmp/bad2.tsv"
like "$err" "unknown column" "an unknown column is refused"
run psurvey-new bad -Q 'x:scale:t' -Q 'x:yesno:u'
like "$rc $err" "2 " "a name given twice is refused"
is "$(sql "SELECT count(*) FROM survey_question")" "$before" "no bad survey stored a question"
run psurvey-new
is "$rc" 64 "a survey needs its code"
run psurvey-new other
is "$rc" 64 "and a survey other than the default its questions"
run pdb check
is "$rc" 0 "pdb check verifies the surveys' events"

done_testing
