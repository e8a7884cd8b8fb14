/*
 * workflow.c — a case after intake: the table of moves, routing, answers,
 * extensions and escalation. The deadline is stored at intake and moved
 * only here, by an event that says why (a pause, an extension, a reopening).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "notice.h"
#include "route.h"
#include "text.h"
#include "draft.h"
#include "unit.h"
#include "util.h"
#include "workflow.h"

/*
 * The one table of the moves a case may make. Anything else is refused
 * and changes nothing. Answered and closed cases are reopened by a move
 * back to in-progress; rejected is final.
 */
static const unsigned char moves[][2] = {
	{STATE_NEW, STATE_ROUTED}, {STATE_NEW, STATE_REJECTED},
	{STATE_ROUTED, STATE_ROUTED}, {STATE_ROUTED, STATE_IN_PROGRESS},
	{STATE_ROUTED, STATE_WAITING}, {STATE_ROUTED, STATE_COMMITTEE},
	{STATE_ROUTED, STATE_ANSWERED}, {STATE_ROUTED, STATE_REJECTED},
	{STATE_IN_PROGRESS, STATE_ROUTED}, {STATE_IN_PROGRESS, STATE_WAITING},
	{STATE_IN_PROGRESS, STATE_COMMITTEE}, {STATE_IN_PROGRESS, STATE_ANSWERED},
	{STATE_IN_PROGRESS, STATE_REJECTED},
	{STATE_WAITING, STATE_ROUTED}, {STATE_WAITING, STATE_IN_PROGRESS},
	{STATE_WAITING, STATE_REJECTED},
	{STATE_COMMITTEE, STATE_IN_PROGRESS}, {STATE_COMMITTEE, STATE_ANSWERED},
	{STATE_ANSWERED, STATE_CLOSED}, {STATE_ANSWERED, STATE_IN_PROGRESS},
	{STATE_CLOSED, STATE_IN_PROGRESS},
};

static bool
case_move_allowed(int from, int to)
{
	for (size_t i = 0; i < ARRAY_SIZE(moves); i++)
		if (moves[i][0] == from && moves[i][1] == to)
			return true;
	return false;
}

static void
allowed_from(int from, char *out, size_t n)
{
	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(moves); i++)
		if (moves[i][0] == from && moves[i][1] != from)
			snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? ", " : "",
			    vocab_name(&state_vocab, moves[i][1]));
	if (out[0] == '\0')
		snprintf(out, n, "none: it is final");
}

int
workflow_refuse(struct context *ctx, const struct case_row *c, const char *step,
    const char *fmt, ...)
{
	char code[24], *why;
	va_list ap;

	va_start(ap, fmt);
	why = xvasprintf(fmt, ap);
	va_end(ap);
	store_fail_step(ctx->store, step, "%s: %s",
	    code_format_grouped(c->code, code, sizeof code), why);
	free(why);
	return EXIT_PARTIAL;
}

/*
 * A due time as its event keeps it: an event is the record, not a view, so
 * it is written one way whatever `calendar` says (Solar Hijri, local time,
 * Latin digits); the history shows it again in each reader's calendar
 * (cal_format_stored), as it does the rows that older releases wrote in
 * the calendar configured then.
 */
static char *
format_due(time_t t)
{
	char buf[48];

	return t ? xstrdup(cal_format_time(t, cal_latin(CAL_JALALI), buf, sizeof buf)) : NULL;
}

/* The calendar has no working day for the deadline to fall on: the
 * config's closures are at fault, not the case, so the command stops. */
static int
no_due_day(struct context *ctx, const struct case_row *c)
{
	char code[24];

	return store_failf(ctx->store, "%s: no deadline: %s",
	    code_format_grouped(c->code, code, sizeof code), workcal_error(ctx->wc));
}

/* Moves the stored due time, always through an event that says why. */
static int
set_due(struct context *ctx, struct case_row *c, time_t due, const char *what, const char *note)
{
	char *before = format_due(c->due), *after = format_due(due);
	struct stmt *st = store_sql(ctx->store, "UPDATE cases SET due = ? WHERE id = ?");
	int rc;

	stmt_bind_int(st, (long long)due);
	stmt_bind_int(st, c->id);
	if ((rc = stmt_run(st)) == 0)
		rc = case_event(ctx, c, what, before, after, note, NULL);
	c->due = due;
	free(before);
	free(after);
	return rc;
}

/* The working days the case waited: its deadline moves on by as many.
 * (A correction's `after` is a field's text, which may be "waiting" too.) */
static int
resume_clock(struct context *ctx, struct case_row *c)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT at FROM event WHERE subject_kind = 'case' AND subject_id = ?"
	    " AND after = 'waiting' AND what <> '" CASE_EDIT_EVENT "' ORDER BY id DESC LIMIT 1");
	time_t since = ctx->now;

	stmt_bind_int(st, c->id);
	if (stmt_row(st)) {
		since = (time_t)stmt_int(st, 0);
		stmt_reset(st);
	} else if (stmt_status(st) != 0) {
		return stmt_status(st);
	}
	if (c->due == 0)
		return 0;
	long paused = workcal_between(ctx->wc, cal_local_day(since, NULL), cal_local_day(ctx->now, NULL));
	if (paused <= 0)
		return 0;
	long due_day;
	if (!workcal_add(ctx->wc, cal_local_day(c->due, NULL), paused, &due_day))
		return no_due_day(ctx, c);
	char note[64];
	snprintf(note, sizeof note, "clock stopped %ld working day%s while waiting", paused,
	    paused == 1 ? "" : "s");
	return set_due(ctx, c, cal_local_instant(due_day, ctx->cfg->office_close), "due", note);
}

/* A fresh deadline for a reopened case, counted from now. */
static int
restart_clock(struct context *ctx, struct case_row *c)
{
	int days = case_deadline_days(ctx, c->kind, c->service_id);
	time_t due;

	if (days <= 0)
		return 0;
	if (!workcal_due(ctx->wc, ctx->now, days, &due, &ctx->missing_year))
		return no_due_day(ctx, c);
	return set_due(ctx, c, due, "due", "reopened: a new deadline");
}

/* Writes the new state, the time it closed, and forgets a withdrawn answer. */
static int
write_state(struct context *ctx, const struct case_row *c, int to, bool reopening)
{
	struct stmt *st = store_sql(ctx->store,
	    "UPDATE cases SET state = ?,"
	    " closed = CASE WHEN ? = 1 THEN ? WHEN ? = 1 THEN NULL ELSE closed END,"
	    " answered = CASE WHEN ? = 1 THEN NULL ELSE answered END,"
	    " outcome = CASE WHEN ? = 1 THEN NULL ELSE outcome END,"
	    " action = CASE WHEN ? = 1 THEN NULL ELSE action END"
	    " WHERE id = ? AND state = ?");
	int rc;

	stmt_bind_text(st, vocab_name(&state_vocab, to));
	stmt_bind_int(st, to == STATE_CLOSED);
	stmt_bind_int(st, (long long)ctx->now);
	for (int i = 0; i < 4; i++)
		stmt_bind_int(st, reopening);
	stmt_bind_int(st, c->id);
	stmt_bind_text(st, vocab_name(&state_vocab, c->state));
	if ((rc = stmt_run(st)) != 0)
		return rc;
	if (stmt_changes(st) != 1)
		return workflow_refuse(ctx, c, NULL, "it moved while we looked; try again");
	return 0;
}

/*
 * The one place a case changes state: checks the table, keeps the clock
 * (paused while waiting, restarted on reopening), writes the event and
 * queues the notice. `what` names the event (state, route, answer, …);
 * `citizen_note` is what the citizen may read (never an internal note).
 */
int
workflow_move(struct context *ctx, struct case_row *c, int to, const char *what,
    const char *note, const char *citizen_note)
{
	char allowed[160];
	int from = c->state, rc;
	long long event_id;

	if (!case_move_allowed(from, to)) {
		allowed_from(from, allowed, sizeof allowed);
		return workflow_refuse(ctx, c, NULL, "cannot move from %s to %s (from %s: %s)",
		    vocab_name(&state_vocab, from), vocab_name(&state_vocab, to),
		    vocab_name(&state_vocab, from), allowed);
	}
	if (to == STATE_COMMITTEE && c->kind != KIND_SUGGESTION)
		return workflow_refuse(ctx, c, NULL, "only suggestions go before the committee, not a %s",
		    vocab_name(&kind_vocab, c->kind));
	if (to == STATE_ROUTED && c->unit_id == 0)
		return workflow_refuse(ctx, c, "route", "give it to a unit");
	bool reopening = to == STATE_IN_PROGRESS && (from == STATE_ANSWERED || from == STATE_CLOSED);
	if ((rc = write_state(ctx, c, to, reopening)) != 0)
		return rc;
	if (from == STATE_WAITING && (rc = resume_clock(ctx, c)) != 0)
		return rc;
	if ((rc = case_event(ctx, c, reopening ? "reopen" : what, vocab_name(&state_vocab, from),
	    vocab_name(&state_vocab, to), note, &event_id)) != 0)
		return rc;
	if (reopening && (rc = restart_clock(ctx, c)) != 0)
		return rc;
	c->state = to;
	if (to == STATE_ROUTED && (rc = notice_queue_unit(ctx, c->id, event_id)) != 0)
		return rc;
	enum notice_event n = state_move_notice(from, to);
	return n == NOTICE_EVENT_COUNT ? 0 : notice_queue(ctx, c->id, event_id, n, citizen_note);
}

int
workflow_transaction(struct context *ctx, tcode code, case_action_fn fn, void *arg)
{
	struct case_row c;
	int rc;

	if ((rc = store_begin(ctx->store)) != 0)
		return rc;
	if ((rc = case_load(ctx, code, &c)) == 0)
		rc = fn(ctx, &c, arg);
	/* A dry run does it all, every check included, and keeps none of it. */
	if (rc != 0 || ctx->dry_run) {
		store_rollback(ctx->store);
		return rc;
	}
	return store_commit(ctx->store);
}

struct set_args {
	int to;
	const char *note;
};

static bool
missing(const char *v)
{
	return v == NULL || *v == '\0';
}

static int
do_set(struct context *ctx, struct case_row *c, void *arg)
{
	struct set_args *a = arg;

	if (a->to == STATE_REJECTED && missing(a->note))
		return workflow_refuse(ctx, c, "note", "a rejection needs its reason");
	if (a->to == STATE_WAITING && missing(a->note))
		return workflow_refuse(ctx, c, "note", "waiting needs the question for the citizen");
	if (a->to == STATE_ANSWERED)
		return workflow_refuse(ctx, c, "answer", "answer it");
	if (a->to == STATE_ROUTED && c->state != STATE_WAITING)
		return workflow_refuse(ctx, c, "route", "route it");
	if (a->to == STATE_COMMITTEE)
		return workflow_refuse(ctx, c, "committee", "put it before the committee");
	/* The question asked while waiting, and why a case was rejected, go to the citizen. */
	return workflow_move(ctx, c, a->to, "state", a->note,
	    a->to == STATE_WAITING || a->to == STATE_REJECTED ? a->note : NULL);
}

int
case_set_state(struct context *ctx, tcode code, int to, const char *note)
{
	struct set_args a = {to, note};
	int rc = case_check_note(ctx->store, "note", note);

	return rc ? rc : workflow_transaction(ctx, code, do_set, &a);
}

/* Gives the case to a unit: its state becomes routed. */
static int
give_to(struct context *ctx, struct case_row *c, long long unit, const char *unit_code,
    const char *note)
{
	if (c->unit_id == unit && c->state == STATE_ROUTED)
		return workflow_refuse(ctx, c, NULL, "it is with %s already", unit_code);
	struct stmt *st = store_sql(ctx->store, "UPDATE cases SET unit_id = ? WHERE id = ?");
	stmt_bind_int(st, unit);
	stmt_bind_int(st, c->id);
	int rc = stmt_run(st);
	if (rc != 0)
		return rc;
	c->unit_id = unit;
	char *why = xasprintf("%s%s%s", unit_code, note ? ": " : "", note ? note : "");
	rc = workflow_move(ctx, c, STATE_ROUTED, "route", why, NULL);
	free(why);
	return rc;
}

static int
do_route_to(struct context *ctx, struct case_row *c, void *arg)
{
	const char *unit = arg;
	long long id = unit_find(ctx->store, unit);

	if (id == 0)
		return workflow_refuse(ctx, c, NULL, "no unit %s", text_quote(unit));
	return give_to(ctx, c, id, unit, "by hand");
}

int
case_route_to(struct context *ctx, tcode code, const char *unit)
{
	return workflow_transaction(ctx, code, do_route_to, (void *)unit);
}

struct auto_args {
	const struct route_rules *rules;
	char **unit;
	long *line;
};

static int
do_route_auto(struct context *ctx, struct case_row *c, void *arg)
{
	struct auto_args *a = arg;
	struct stmt *st = store_sql(ctx->store,
	    "SELECT c.kind, c.channel, s.code, c.subject, c.body FROM cases c"
	    " LEFT JOIN service s ON s.id = c.service_id WHERE c.id = ?");
	long line = 0;

	stmt_bind_int(st, c->id);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : store_failf(ctx->store, "the case vanished");
	const char *unit = route_match(a->rules, stmt_text(st, 0), stmt_text(st, 1),
	    stmt_text(st, 2), stmt_text(st, 3), stmt_text(st, 4), &line);
	*a->line = unit ? line : 0;
	*a->unit = unit ? xstrdup(unit) : NULL;
	stmt_reset(st);
	if (*a->unit == NULL)
		return workflow_refuse(ctx, c, NULL, "no routing rule matches; left unrouted");
	char note[48];
	snprintf(note, sizeof note, "rule at line %ld", line);
	return give_to(ctx, c, unit_find(ctx->store, *a->unit), *a->unit, note);
}

int
case_route_auto(struct context *ctx, tcode code, const struct route_rules *rules, char **unit,
    long *rule_line)
{
	struct auto_args a = {rules, unit, rule_line};
	*unit = NULL;
	*rule_line = 0;
	return workflow_transaction(ctx, code, do_route_auto, &a);
}

static int
record_notified(struct context *ctx, struct case_row *c, int level)
{
	struct stmt *st = store_sql(ctx->store,
	    "INSERT INTO overdue_notice (case_id, level, at) VALUES (?, ?, ?)"
	    " ON CONFLICT DO NOTHING");
	char lv[16];
	int rc;

	stmt_bind_int(st, c->id);
	stmt_bind_int(st, level);
	stmt_bind_int(st, (long long)ctx->now);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	if (stmt_changes(st) == 0)
		return 0;	/* recorded before: once per level */
	snprintf(lv, sizeof lv, "%d", level);
	return case_event(ctx, c, "overdue-notice", NULL, lv, NULL, NULL);
}

static int
do_escalate(struct context *ctx, struct case_row *c, void *arg)
{
	int level = *(int *)arg, rc;

	if (c->unit_id == 0)
		return workflow_refuse(ctx, c, NULL, "it has no unit to escalate from");
	struct stmt *st = store_sql(ctx->store,
	    "SELECT p.id, p.code FROM unit u JOIN unit p ON p.id = u.parent_id WHERE u.id = ?");
	stmt_bind_int(st, c->unit_id);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st)
		    : workflow_refuse(ctx, c, NULL, "its unit has no parent to escalate to");
	long long parent = stmt_int(st, 0);
	char *code = xstrdup(stmt_text(st, 1));
	stmt_reset(st);
	rc = give_to(ctx, c, parent, code, "escalated");
	free(code);
	if (rc == 0 && level > 0)
		rc = record_notified(ctx, c, level);
	return rc;
}

int
case_escalate(struct context *ctx, tcode code, int level)
{
	return workflow_transaction(ctx, code, do_escalate, &level);
}

static int
do_mark(struct context *ctx, struct case_row *c, void *arg)
{
	return record_notified(ctx, c, *(int *)arg);
}

int
case_mark_notified(struct context *ctx, tcode code, int level)
{
	return workflow_transaction(ctx, code, do_mark, &level);
}

int
workflow_answer(struct context *ctx, struct case_row *c, const char *text, int outcome,
    unsigned actions, const char *what)
{
	char *list = vocab_set_names(&action_vocab, actions, ",");
	const char *outcome_name = vocab_name(&outcome_vocab, outcome);
	struct stmt *st = store_sql(ctx->store,
	    "UPDATE cases SET answer = coalesce(?, answer), outcome = ?, action = ?, answered = ?"
	    " WHERE id = ?");
	int rc;

	stmt_bind_text(st, text);
	stmt_bind_text(st, outcome_name);
	stmt_bind_text(st, list);
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, c->id);
	if ((rc = stmt_run(st)) == 0) {
		char *note = xasprintf("%s%s%s", outcome_name, list ? "; " : "", list ? list : "");
		rc = workflow_move(ctx, c, STATE_ANSWERED, what, note, NULL);
		free(note);
	}
	free(list);
	return rc;
}

struct answer_args {
	const char *text;
	int outcome;
	unsigned actions;
	int version, article;	/* what a comment's disposition changed; 0: none */
};

/* A comment on a draft is answered with its disposition: accepted,
 * partly, rejected or noted, and may name what it changed. */
static int
check_disposition(struct context *ctx, struct case_row *c, const struct answer_args *a)
{
	bool on_draft = draft_is_comment(ctx, c->id, NULL);

	if (!on_draft && a->version)
		return workflow_refuse(ctx, c, NULL, "it is not a comment on a draft: it changed no "
		    "version");
	if (on_draft && a->outcome == OUTCOME_INFO)
		return workflow_refuse(ctx, c, NULL, "a comment on a draft is accepted, partial, "
		    "rejected or noted, not info");
	if (a->version && a->outcome != OUTCOME_ACCEPTED && a->outcome != OUTCOME_PARTIAL)
		return workflow_refuse(ctx, c, NULL, "a comment %s changed no version",
		    vocab_name(&outcome_vocab, a->outcome));
	return a->version ? draft_record_change(ctx, c->id, a->version, a->article) : 0;
}

static int
do_answer(struct context *ctx, struct case_row *c, void *arg)
{
	struct answer_args *a = arg;
	int rc;

	if (c->state == STATE_COMMITTEE)
		return workflow_refuse(ctx, c, "decide", "it is before the committee: decide it");
	if ((rc = check_disposition(ctx, c, a)) != 0)
		return rc;
	return workflow_answer(ctx, c, a->text, a->outcome, a->actions, "answer");
}

int
case_check_answer(const char *text, struct field_error *err)
{
	if (case_given(text) == NULL)
		return field_fail(err, "answer", "the answer is empty");
	return case_check_text(err, "answer", text, BODY_MAX, TEXT_LINES);
}

int
case_answer(struct context *ctx, tcode code, const char *text, int outcome, unsigned actions)
{
	return case_answer_draft(ctx, code, text, outcome, actions, 0, 0);
}

int
case_answer_draft(struct context *ctx, tcode code, const char *text, int outcome,
    unsigned actions, int version, int article)
{
	struct answer_args a = {text, outcome, actions, version, article};
	struct field_error err;

	if (case_check_answer(text, &err) != 0)
		return store_fail_field(ctx->store, err.field, "%s", err.why);
	return workflow_transaction(ctx, code, do_answer, &a);
}

struct extend_args {
	int days;
	const char *reason;
	bool force;
};

static int
do_extend(struct context *ctx, struct case_row *c, void *arg)
{
	struct extend_args *a = arg;
	struct stmt *st;
	long long before = 0;

	if (c->due == 0)
		return workflow_refuse(ctx, c, NULL, "it has no deadline to extend");
	if (state_is_settled(c->state))
		return workflow_refuse(ctx, c, NULL, "it is %s: nothing to extend",
		    vocab_name(&state_vocab, c->state));
	st = store_sql(ctx->store, "SELECT count(*) FROM event"
	    " WHERE subject_kind = 'case' AND subject_id = ? AND what = 'extend'");
	stmt_bind_int(st, c->id);
	if (stmt_row(st)) {
		before = stmt_int(st, 0);
		stmt_reset(st);
	}
	if (before > 0 && !a->force)
		return workflow_refuse(ctx, c, "force", "its deadline was extended once already");
	long day;
	if (!workcal_add(ctx->wc, cal_local_day(c->due, NULL), a->days, &day))
		return no_due_day(ctx, c);
	char *note = xasprintf("%d working day%s: %s", a->days, a->days == 1 ? "" : "s", a->reason);
	int rc = set_due(ctx, c, cal_local_instant(day, ctx->cfg->office_close), "extend", note);
	free(note);
	return rc;
}

int
case_extend(struct context *ctx, tcode code, int days, const char *reason, bool force)
{
	struct extend_args a = {days, reason, force};

	int rc;

	if (missing(reason))
		return store_fail_field(ctx->store, "reason", "an extension needs its reason");
	if ((rc = case_check_note(ctx->store, "reason", reason)) != 0)
		return rc;
	return workflow_transaction(ctx, code, do_extend, &a);
}

/* --- a citizen's messages about a case ------------------------------------ */

struct follow_up_args {
	const char *note, *text;
	enum follow_up *did;
};

static bool
follow_up_known(struct context *ctx, const struct case_row *c, const char *note)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT 1 FROM event WHERE subject_kind = 'case' AND subject_id = ?"
	    " AND what = 'correspondence' AND note = ?");
	bool known;

	stmt_bind_int(st, c->id);
	stmt_bind_text(st, note);
	if ((known = stmt_row(st)))
		stmt_reset(st);
	return known;
}

/* The text, cut after BODY_MAX characters (never inside one); a new string. */
static char *
cut_text(const char *text)
{
	size_t chars = 0, i = 0;

	for (; text[i]; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80 && ++chars > BODY_MAX)
			break;
	return xstrndup(text, i);
}

static int
do_follow_up(struct context *ctx, struct case_row *c, void *arg)
{
	struct follow_up_args *a = arg;
	int rc;

	if (follow_up_known(ctx, c, a->note)) {
		*a->did = FOLLOW_UP_KNOWN;
		return 0;
	}
	char *text = cut_text(a->text);
	rc = case_event(ctx, c, "correspondence", NULL, text, a->note, NULL);
	free(text);
	if (rc != 0)
		return rc;
	*a->did = FOLLOW_UP_ADDED;
	if (!state_is_settled(c->state))
		return 0;
	if (ctx->cfg->followup_settled == FOLLOWUP_SETTLED_REOPEN &&
	    case_move_allowed(c->state, STATE_IN_PROGRESS)) {
		*a->did = FOLLOW_UP_REOPENED;
		return workflow_move(ctx, c, STATE_IN_PROGRESS, "state",
		    "reopened by the citizen's message", NULL);
	}
	*a->did = FOLLOW_UP_HELD;
	long long event;
	rc = case_event(ctx, c, "follow-up-held", vocab_name(&state_vocab, c->state), NULL,
	    "the citizen wrote on a settled case: for an admin to read", &event);
	return rc != 0 ? rc : notice_queue_unit_follow_up(ctx, c->id, event);
}

int
case_follow_up(struct context *ctx, tcode code, const char *channel, const char *source_id,
    const char *text, enum follow_up *did)
{
	const char *why = text_check(text, (size_t)-1, TEXT_RECEIVED);
	int rc;

	if (why)
		return store_fail_field(ctx->store, "body", "%s", why);
	char *note = source_id ? xasprintf("%s %s", channel, source_id) : xstrdup(channel);
	struct follow_up_args a = {note, text, did};
	rc = store_durable(ctx->store);
	if (rc == 0)
		rc = workflow_transaction(ctx, code, do_follow_up, &a);
	free(note);
	return rc;
}
