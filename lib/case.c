/*
 * case.c — checking, storing and reading cases. Every field is checked
 * here, once, whichever way it came in (options, JSON lines, TSV), so the
 * same input gets the same answer from every command.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "notice.h"
#include "route.h"
#include "service.h"
#include "unit.h"
#include "case.h"
#include "exitcode.h"
#include "search.h"
#include "store.h"
#include "text.h"
#include "util.h"

/* Kinds whose answer must reach the citizen: they need a phone or email. */
static bool
needs_contact(int kind)
{
	return kind == KIND_COMPLAINT || kind == KIND_REQUEST || kind == KIND_QUESTION;
}

int
field_fail(struct field_error *err, const char *field, const char *fmt, ...)
{
	va_list ap;

	err->field = field;
	va_start(ap, fmt);
	vsnprintf(err->why, sizeof err->why, fmt, ap);
	va_end(ap);
	return -1;
}

static bool
has_control(const char *s, bool allow_lines)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 && !(allow_lines && (c == '\n' || c == '\t' || c == '\r')))
			return true;
		if (c == 0x7f)
			return true;
	}
	return false;
}

/* A free-text field: valid UTF-8, within its length, no stray controls. */
static int
check_text(struct field_error *err, const char *field, const char *v, size_t max,
    bool multiline)
{
	if (v == NULL)
		return 0;
	long chars = utf8_check_length(v);
	if (chars < 0)
		return field_fail(err, field, "not valid UTF-8");
	if ((size_t)chars > max)
		return field_fail(err, field, "longer than %zu characters", max);
	if (has_control(v, multiline))
		return field_fail(err, field, "contains control characters");
	return 0;
}

static const char *
blank_to_null(const char *v)
{
	if (v == NULL)
		return NULL;
	for (const char *p = v; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return v;
	return NULL;
}

static int
check_contact(const struct case_input *in, struct case_record *rec, struct field_error *err)
{
	const char *why;

	rec->name = blank_to_null(in->name);
	rec->email = blank_to_null(in->email);
	if (check_text(err, "name", rec->name, NAME_MAX_CHARS, false))
		return -1;
	if (blank_to_null(in->phone) && (why = check_mobile(in->phone, rec->phone)))
		return field_fail(err, "phone", "%s", why);
	if (rec->email && (why = check_email(rec->email)))
		return field_fail(err, "email", "%s", why);
	if (blank_to_null(in->national_id) && (why = check_national_id(in->national_id, rec->national_id)))
		return field_fail(err, "national_id", "%s", why);
	bool any = rec->name || rec->phone[0] || rec->email || rec->national_id[0];
	if (in->anonymous && any)
		return field_fail(err, "anonymous", "an anonymous case carries no name, phone, email or national id");
	if (!in->anonymous && needs_contact(rec->kind) && !rec->phone[0] && !rec->email)
		return field_fail(err, "phone", "a %s needs a phone or an email to answer to (or mark it anonymous)",
		    kind_name(rec->kind));
	rec->anonymous = in->anonymous;
	return 0;
}

/* The working days a case has: its service's, else its kind's; 0: none. */
static int
deadline_days(struct case_context *ctx, int kind, long long service_id)
{
	int days = service_id ? service_deadline(ctx->store, service_id) : -1;

	return days >= 0 ? days : ctx->cfg->deadline[kind];
}

static int
check_where(struct case_context *ctx, const struct case_input *in, struct case_record *rec,
    struct field_error *err)
{
	const char *service = blank_to_null(in->service), *unit = blank_to_null(in->unit);
	if (service && (rec->service_id = service_find(ctx->store, service, &rec->unit_id)) == 0)
		return field_fail(err, "service", "no service '%s' (see pservice)", service);
	if (unit && (rec->unit_id = unit_find(ctx->store, unit)) == 0)
		return field_fail(err, "unit", "no unit '%s' (see punit)", unit);
	return 0;
}

static int
check_received(struct case_context *ctx, const char *text, struct case_record *rec,
    struct field_error *err)
{
	struct cal_when when;
	const char *why;

	if (blank_to_null(text) == NULL) {
		rec->received = ctx->now;
		return 0;
	}
	if (cal_parse(text, CAL_AUTO, &when, &why) != 0)
		return field_fail(err, "received", "'%s': %s", text, why);
	rec->received = cal_when_time(&when);
	rec->backfilled = true;
	if (rec->received > ctx->now)
		return field_fail(err, "received", "'%s' is in the future", text);
	return 0;
}

static int
check_attachments(const struct case_input *in, struct case_record *rec, struct field_error *err)
{
	for (size_t i = 0; i < in->nattach; i++) {
		const char *path = in->attach[i];
		bool url = strncmp(path, "https://", 8) == 0 || strncmp(path, "http://", 7) == 0;
		if (*path == '\0' || strlen(path) > PATH_MAX_BYTES || has_control(path, false) ||
		    !utf8_valid(path, strlen(path)))
			return field_fail(err, "attach", "not a usable path");
		if (!url && access(path, R_OK) != 0)
			return field_fail(err, "attach", "%s: no such readable file", path);
	}
	rec->attach = in->attach;
	rec->nattach = in->nattach;
	return 0;
}

int
case_check(struct case_context *ctx, const struct case_input *in, struct case_record *rec,
    struct field_error *err)
{
	memset(rec, 0, sizeof *rec);
	if (blank_to_null(in->kind) == NULL)
		return field_fail(err, "kind", "missing (one of %s)", kind_names());
	if ((rec->kind = kind_parse(in->kind)) < 0)
		return field_fail(err, "kind", "unknown kind '%s' (one of %s)", in->kind, kind_names());
	rec->channel = CHANNEL_OTHER;
	if (blank_to_null(in->channel) && (rec->channel = channel_parse(in->channel)) < 0)
		return field_fail(err, "channel", "unknown channel '%s' (one of %s)", in->channel,
		    channel_names());
	rec->subject = blank_to_null(in->subject);
	rec->body = blank_to_null(in->body);
	if (rec->subject == NULL)
		return field_fail(err, "subject", "missing");
	if (check_text(err, "subject", rec->subject, SUBJECT_MAX, false) ||
	    check_text(err, "body", rec->body, BODY_MAX, true) ||
	    check_contact(in, rec, err) ||
	    check_where(ctx, in, rec, err) ||
	    check_received(ctx, in->received, rec, err) ||
	    check_attachments(in, rec, err))
		return -1;
	int deadline = deadline_days(ctx, rec->kind, rec->service_id);
	if (deadline > 0) {
		int missing = 0;
		rec->due = workcal_due(ctx->wc, rec->received, deadline, &missing);
		if (missing)
			ctx->missing_year = missing;
	}
	return 0;
}

static int
insert_row(struct case_context *ctx, const struct case_record *rec, tcode code,
    const char *state, long long *id)
{
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "INSERT INTO cases (code, kind, channel, service_id, unit_id, state, subject, body,"
	    " name, phone, email, national_id, anonymous, received, due)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");

	sqlite3_bind_int64(st, 1, code);
	bind_text(st, 2, kind_name(rec->kind));
	bind_text(st, 3, channel_name(rec->channel));
	if (rec->service_id)
		sqlite3_bind_int64(st, 4, rec->service_id);
	if (rec->unit_id)
		sqlite3_bind_int64(st, 5, rec->unit_id);
	bind_text(st, 6, state);
	bind_text(st, 7, rec->subject);
	bind_text(st, 8, rec->body);
	bind_text(st, 9, rec->name);
	bind_text(st, 10, rec->phone[0] ? rec->phone : NULL);
	bind_text(st, 11, rec->email);
	bind_text(st, 12, rec->national_id[0] ? rec->national_id : NULL);
	sqlite3_bind_int(st, 13, rec->anonymous);
	sqlite3_bind_int64(st, 14, (sqlite3_int64)rec->received);
	if (rec->due)
		sqlite3_bind_int64(st, 15, (sqlite3_int64)rec->due);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		*id = sqlite3_last_insert_rowid(store_handle(ctx->store));
		return 0;
	}
	return rc;
}

int
case_insert(struct case_context *ctx, const struct case_record *rec, tcode *code)
{
	const char *state = rec->unit_id ? state_name(STATE_ROUTED) : state_name(STATE_NEW);
	long long id = 0;
	int rc = SQLITE_CONSTRAINT;

	/* Random codes collide now and then (the birthday bound): draw again. */
	for (int tries = 0; tries < 100 && rc != 0; tries++) {
		*code = code_generate();
		rc = insert_row(ctx, rec, *code, state, &id);
		if (rc != 0 && rc != SQLITE_CONSTRAINT)
			return store_fail(ctx->store, rc);
	}
	if (rc != 0)
		return store_failf(ctx->store, "could not draw a free tracking code");
	struct event_input ev = {
		.case_id = id, .case_code = *code, .at = ctx->now, .what = "received",
		.after = state_name(STATE_NEW), .note = channel_name(rec->channel),
	};
	if ((rc = audit_append(ctx->store, &ev)) != 0)
		return rc;
	/* A back-filled case was received long ago: no confirmation now. */
	if (!ctx->no_notice && !rec->backfilled) {
		struct chain_tip *tip;
		struct notice_facts facts = {
			.case_id = id, .code = *code, .state = state_name(STATE_NEW),
			.phone = rec->phone[0] ? rec->phone : NULL, .email = rec->email,
			.due = rec->due, .anonymous = rec->anonymous,
		};
		if ((rc = store_chain_tip(ctx->store, &tip)) != 0 ||
		    (rc = notice_queue_facts(ctx, &facts, tip->id, NOTICE_RECEIVED, NULL)) != 0)
			return rc;
	}
	if (rec->unit_id) {
		sqlite3_stmt *st = store_stmt(ctx->store, "SELECT code FROM unit WHERE id = ?1");
		sqlite3_bind_int64(st, 1, rec->unit_id);
		char *unit = sqlite3_step(st) == SQLITE_ROW ? xstrdup(column_text(st, 0)) : NULL;
		sqlite3_reset(st);
		ev.what = "route";
		ev.before = state_name(STATE_NEW);
		ev.after = state;
		ev.note = unit;
		rc = audit_append(ctx->store, &ev);
		free(unit);
		if (rc != 0)
			return rc;
	}
	for (size_t i = 0; i < rec->nattach; i++) {
		sqlite3_stmt *st = store_stmt(ctx->store,
		    "INSERT INTO attachment (case_id, path) VALUES (?1, ?2)");
		/* A relative path means nothing tomorrow: keep where the file really is. */
		const char *path = rec->attach[i];
		bool url = strncmp(path, "https://", 8) == 0 || strncmp(path, "http://", 7) == 0;
		char *real = url ? NULL : realpath(path, NULL);
		sqlite3_bind_int64(st, 1, id);
		bind_text(st, 2, real ? real : path);
		rc = sqlite3_step(st);
		free(real);
		if (rc != SQLITE_DONE)
			return store_fail(ctx->store, rc);
	}
	return 0;
}


/* --- the workflow ----------------------------------------------------------------- */

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

bool
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
			    state_name(moves[i][1]));
	if (out[0] == '\0')
		snprintf(out, n, "none: it is final");
}

static const char *const outcomes[OUTCOME_COUNT] = {"accepted", "partial", "rejected", "noted", "info"};
static const char *const actions[ACTION_COUNT] = {"system", "process", "information", "support", "regulation"};
static const char *const opinions[OPINION_COUNT] = {"approve", "reject", "abstain"};

static int
word_index(const char *const *words, int n, const char *w)
{
	for (int i = 0; i < n; i++)
		if (strcmp(words[i], w) == 0)
			return i;
	return -1;
}

int outcome_parse(const char *w) { return word_index(outcomes, OUTCOME_COUNT, w); }
int action_parse(const char *w) { return word_index(actions, ACTION_COUNT, w); }
int opinion_parse(const char *w) { return word_index(opinions, OPINION_COUNT, w); }
const char *outcome_names(void) { return "accepted, partial, rejected, noted, info"; }
const char *action_names(void) { return "system, process, information, support, regulation"; }

const char *
action_list_parse(char *list, unsigned *set)
{
	char *save = NULL;

	for (char *w = strtok_r(list, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int a = action_parse(strip(w));
		if (a < 0)
			return w;
		*set |= 1u << a;
	}
	return NULL;
}

static char *
action_list(unsigned set)
{
	struct buf b = {0};

	for (int i = 0; i < ACTION_COUNT; i++)
		if (set & (1u << i)) {
			if (b.len)
				buf_addc(&b, ',');
			buf_adds(&b, actions[i]);
		}
	return b.data;
}

/* A case as the workflow needs it. */
struct case_row {
	long long id;
	tcode code;
	int state, kind;
	long long unit_id, service_id;
	time_t due;	/* 0: none */
};

static int
load_case(struct case_context *ctx, tcode code, struct case_row *c)
{
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "SELECT id, state, kind, unit_id, service_id, due FROM cases WHERE code = ?1");
	char buf[24];
	int rc;

	sqlite3_bind_int64(st, 1, code);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return store_fail(ctx->store, rc);
		store_failf(ctx->store, "%s: no such case", code_format_grouped(code, buf, sizeof buf));
		return EXIT_PARTIAL;
	}
	c->id = sqlite3_column_int64(st, 0);
	c->code = code;
	c->state = state_parse(column_text(st, 1));
	c->kind = kind_parse(column_text(st, 2));
	c->unit_id = sqlite3_column_int64(st, 3);
	c->service_id = sqlite3_column_int64(st, 4);
	c->due = (time_t)sqlite3_column_int64(st, 5);
	sqlite3_reset(st);
	return 0;
}

static int
refuse(struct case_context *ctx, const struct case_row *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
refuse(struct case_context *ctx, const struct case_row *c, const char *fmt, ...)
{
	char code[24], *why;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&why, fmt, ap) < 0)
		why = NULL;
	va_end(ap);
	store_failf(ctx->store, "%s: %s", code_format_grouped(c->code, code, sizeof code),
	    why ? why : "refused");
	free(why);
	return EXIT_PARTIAL;
}

static int
event(struct case_context *ctx, const struct case_row *c, const char *what, const char *before,
    const char *after, const char *note)
{
	struct event_input ev = {
		.case_id = c->id, .case_code = c->code, .at = ctx->now, .what = what,
		.before = before, .after = after, .note = note,
	};
	return audit_append(ctx->store, &ev);
}

static char *
format_due(struct case_context *ctx, time_t t)
{
	char buf[32];

	return t ? xstrdup(cal_format_time(t, ctx->cfg->calendar, buf, sizeof buf)) : NULL;
}

/* Moves the stored due time, always through an event that says why. */
static int
set_due(struct case_context *ctx, struct case_row *c, time_t due, const char *what, const char *note)
{
	char *before = format_due(ctx, c->due), *after = format_due(ctx, due);
	sqlite3_stmt *st = store_stmt(ctx->store, "UPDATE cases SET due = ?2 WHERE id = ?1");
	int rc;

	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)due);
	rc = sqlite3_step(st) == SQLITE_DONE ? event(ctx, c, what, before, after, note)
					    : store_fail(ctx->store, sqlite3_errcode(store_handle(ctx->store)));
	c->due = due;
	free(before);
	free(after);
	return rc;
}

/* The working days the case waited: its deadline moves on by as many. */
static int
resume_clock(struct case_context *ctx, struct case_row *c)
{
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "SELECT at FROM event WHERE case_id = ?1 AND after = 'waiting' ORDER BY id DESC LIMIT 1");
	time_t since = ctx->now;

	sqlite3_bind_int64(st, 1, c->id);
	if (sqlite3_step(st) == SQLITE_ROW)
		since = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (c->due == 0)
		return 0;
	long paused = workcal_between(ctx->wc, cal_local_day(since, NULL), cal_local_day(ctx->now, NULL));
	if (paused <= 0)
		return 0;
	long due_day = workcal_add(ctx->wc, cal_local_day(c->due, NULL), paused);
	char note[64];
	snprintf(note, sizeof note, "clock stopped %ld working day%s while waiting", paused,
	    paused == 1 ? "" : "s");
	return set_due(ctx, c, cal_local_instant(due_day, ctx->cfg->office_close), "due", note);
}

/* A fresh deadline for a reopened case, counted from now. */
static int
restart_clock(struct case_context *ctx, struct case_row *c)
{
	int days = deadline_days(ctx, c->kind, c->service_id);

	if (days <= 0)
		return 0;
	return set_due(ctx, c, workcal_due(ctx->wc, ctx->now, days, &ctx->missing_year), "due",
	    "reopened: a new deadline");
}

static enum notice_event
notice_for(int from, int to)
{
	if (to == STATE_ROUTED)
		return NOTICE_ROUTED;
	if (to == STATE_WAITING)
		return NOTICE_WAITING;
	if (to == STATE_ANSWERED)
		return NOTICE_ANSWERED;
	if (to == STATE_CLOSED)
		return NOTICE_CLOSED;
	if (to == STATE_REJECTED)
		return NOTICE_REJECTED;
	if (to == STATE_IN_PROGRESS && (from == STATE_ANSWERED || from == STATE_CLOSED))
		return NOTICE_REOPENED;
	return NOTICE_EVENT_COUNT;
}

/*
 * The one place a case changes state: checks the table, keeps the clock
 * (paused while waiting, restarted on reopening), writes the event and
 * queues the notice. `what` names the event (state, route, answer, …).
 */
static int
move(struct case_context *ctx, struct case_row *c, int to, const char *what, const char *note,
    const char *citizen_note)
{
	char allowed[160];
	int from = c->state, rc;

	if (!case_move_allowed(from, to)) {
		allowed_from(from, allowed, sizeof allowed);
		return refuse(ctx, c, "cannot move from %s to %s (from %s: %s)", state_name(from),
		    state_name(to), state_name(from), allowed);
	}
	if (to == STATE_COMMITTEE && c->kind != KIND_SUGGESTION)
		return refuse(ctx, c, "only suggestions go before the committee, not a %s",
		    kind_name(c->kind));
	if (to == STATE_ROUTED && c->unit_id == 0)
		return refuse(ctx, c, "route it to a unit with pcase-route");
	bool reopening = to == STATE_IN_PROGRESS && (from == STATE_ANSWERED || from == STATE_CLOSED);
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "UPDATE cases SET state = ?3,"
	    " closed = CASE WHEN ?3 = 'closed' THEN ?4 WHEN ?5 THEN NULL ELSE closed END,"
	    " answered = CASE WHEN ?5 THEN NULL ELSE answered END,"
	    " outcome = CASE WHEN ?5 THEN NULL ELSE outcome END,"
	    " action = CASE WHEN ?5 THEN NULL ELSE action END"
	    " WHERE id = ?1 AND state = ?2");
	sqlite3_bind_int64(st, 1, c->id);
	bind_text(st, 2, state_name(from));
	bind_text(st, 3, state_name(to));
	sqlite3_bind_int64(st, 4, (sqlite3_int64)ctx->now);
	sqlite3_bind_int(st, 5, reopening);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_fail(ctx->store, rc);
	if (sqlite3_changes(store_handle(ctx->store)) != 1)
		return refuse(ctx, c, "it moved while we looked; try again");
	if (from == STATE_WAITING && (rc = resume_clock(ctx, c)) != 0)
		return rc;
	if ((rc = event(ctx, c, reopening ? "reopen" : what, state_name(from), state_name(to), note)) != 0)
		return rc;
	long long event_id = 0;
	struct chain_tip *tip;
	if ((rc = store_chain_tip(ctx->store, &tip)) != 0)
		return rc;
	event_id = tip->id;
	if (reopening && (rc = restart_clock(ctx, c)) != 0)
		return rc;
	c->state = to;
	enum notice_event n = notice_for(from, to);
	return n == NOTICE_EVENT_COUNT ? 0 : notice_queue(ctx, c->id, event_id, n, citizen_note);
}

/* Runs one action on one case in its own transaction: all of it or none. */
typedef int (*case_action_fn)(struct case_context *ctx, struct case_row *c, void *arg);

static int
in_transaction(struct case_context *ctx, tcode code, case_action_fn fn, void *arg)
{
	struct case_row c;
	int rc;

	if ((rc = store_begin(ctx->store)) != 0)
		return rc;
	if ((rc = load_case(ctx, code, &c)) == 0)
		rc = fn(ctx, &c, arg);
	if (rc != 0) {
		store_rollback(ctx->store);
		return rc;
	}
	return store_commit(ctx->store);
}

struct set_args {
	int to;
	const char *note;
};

static int
do_set(struct case_context *ctx, struct case_row *c, void *arg)
{
	struct set_args *a = arg;

	if (a->to == STATE_REJECTED && (a->note == NULL || *a->note == '\0'))
		return refuse(ctx, c, "a rejection needs its reason (--note)");
	if (a->to == STATE_WAITING && (a->note == NULL || *a->note == '\0'))
		return refuse(ctx, c, "waiting needs the question for the citizen (--note)");
	if (a->to == STATE_ANSWERED)
		return refuse(ctx, c, "answer it with pcase-answer");
	if (a->to == STATE_ROUTED && c->state != STATE_WAITING)
		return refuse(ctx, c, "route it with pcase-route");
	if (a->to == STATE_COMMITTEE)
		return refuse(ctx, c, "put it before the committee with pcase-review --open");
	/* The question asked while waiting, and why a case was rejected, go to the citizen. */
	return move(ctx, c, a->to, "state", a->note,
	    a->to == STATE_WAITING || a->to == STATE_REJECTED ? a->note : NULL);
}

int
case_set_state(struct case_context *ctx, tcode code, int to, const char *note)
{
	struct set_args a = {to, note};
	return in_transaction(ctx, code, do_set, &a);
}

/* Gives the case to a unit: its state becomes routed. */
static int
give_to(struct case_context *ctx, struct case_row *c, long long unit, const char *unit_code,
    const char *note)
{
	if (c->unit_id == unit && c->state == STATE_ROUTED)
		return refuse(ctx, c, "it is with %s already", unit_code);
	sqlite3_stmt *st = store_stmt(ctx->store, "UPDATE cases SET unit_id = ?2 WHERE id = ?1");
	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_int64(st, 2, unit);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		return store_fail(ctx->store, rc);
	c->unit_id = unit;
	char *why = xasprintf("%s%s%s", unit_code, note ? ": " : "", note ? note : "");
	rc = move(ctx, c, STATE_ROUTED, "route", why, NULL);
	free(why);
	return rc;
}

static int
do_route_to(struct case_context *ctx, struct case_row *c, void *arg)
{
	const char *unit = arg;
	long long id = unit_find(ctx->store, unit);

	if (id == 0)
		return refuse(ctx, c, "no unit '%s' (see punit)", unit);
	return give_to(ctx, c, id, unit, "by hand");
}

int
case_route_to(struct case_context *ctx, tcode code, const char *unit)
{
	return in_transaction(ctx, code, do_route_to, (void *)unit);
}

struct auto_args {
	const struct route_rules *rules;
	char **unit;
};

static int
do_route_auto(struct case_context *ctx, struct case_row *c, void *arg)
{
	struct auto_args *a = arg;
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "SELECT c.kind, c.channel, s.code, c.subject, c.body FROM cases c"
	    " LEFT JOIN service s ON s.id = c.service_id WHERE c.id = ?1");
	long line = 0;
	int rc;

	sqlite3_bind_int64(st, 1, c->id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return store_fail(ctx->store, rc);
	const char *unit = route_match(a->rules, column_text(st, 0), column_text(st, 1),
	    column_text(st, 2), column_text(st, 3), column_text(st, 4), &line);
	sqlite3_reset(st);
	if (unit == NULL)
		return refuse(ctx, c, "no routing rule matches; left unrouted");
	*a->unit = xstrdup(unit);
	char note[48];
	snprintf(note, sizeof note, "rule at line %ld", line);
	return give_to(ctx, c, unit_find(ctx->store, unit), unit, note);
}

int
case_route_auto(struct case_context *ctx, tcode code, const struct route_rules *rules, char **unit)
{
	struct auto_args a = {rules, unit};
	*unit = NULL;
	return in_transaction(ctx, code, do_route_auto, &a);
}

static int
record_notified(struct case_context *ctx, struct case_row *c, int level)
{
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "INSERT INTO overdue_notice (case_id, level, at) VALUES (?1, ?2, ?3)"
	    " ON CONFLICT DO NOTHING");
	char lv[16];
	int rc;

	sqlite3_bind_int64(st, 1, c->id);
	sqlite3_bind_int(st, 2, level);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)ctx->now);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_fail(ctx->store, rc);
	if (sqlite3_changes(store_handle(ctx->store)) == 0)
		return 0;	/* recorded before: once per level */
	snprintf(lv, sizeof lv, "%d", level);
	return event(ctx, c, "overdue-notice", NULL, lv, NULL);
}

static int
do_escalate(struct case_context *ctx, struct case_row *c, void *arg)
{
	int level = *(int *)arg, rc;

	if (c->unit_id == 0)
		return refuse(ctx, c, "it has no unit to escalate from");
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "SELECT p.id, p.code FROM unit u JOIN unit p ON p.id = u.parent_id WHERE u.id = ?1");
	sqlite3_bind_int64(st, 1, c->unit_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return refuse(ctx, c, "its unit has no parent to escalate to");
	}
	long long parent = sqlite3_column_int64(st, 0);
	char *code = xstrdup(column_text(st, 1));
	sqlite3_reset(st);
	rc = give_to(ctx, c, parent, code, "escalated");
	free(code);
	if (rc == 0 && level > 0)
		rc = record_notified(ctx, c, level);
	return rc;
}

int
case_escalate(struct case_context *ctx, tcode code, int level)
{
	return in_transaction(ctx, code, do_escalate, &level);
}

static int
do_mark(struct case_context *ctx, struct case_row *c, void *arg)
{
	return record_notified(ctx, c, *(int *)arg);
}

int
case_mark_notified(struct case_context *ctx, tcode code, int level)
{
	return in_transaction(ctx, code, do_mark, &level);
}

struct answer_args {
	const char *text;
	int outcome;
	unsigned actions;
};

static int
write_answer(struct case_context *ctx, struct case_row *c, const struct answer_args *a,
    const char *what)
{
	char *list = action_list(a->actions);
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "UPDATE cases SET answer = coalesce(?2, answer), outcome = ?3, action = ?4, answered = ?5"
	    " WHERE id = ?1");
	int rc;

	sqlite3_bind_int64(st, 1, c->id);
	bind_text(st, 2, a->text);
	bind_text(st, 3, outcomes[a->outcome]);
	bind_text(st, 4, list);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)ctx->now);
	rc = sqlite3_step(st);
	char *note = xasprintf("%s%s%s", outcomes[a->outcome], list ? "; " : "", list ? list : "");
	rc = rc == SQLITE_DONE ? move(ctx, c, STATE_ANSWERED, what, note, NULL)
			       : store_fail(ctx->store, rc);
	free(note);
	free(list);
	return rc;
}

static int
do_answer(struct case_context *ctx, struct case_row *c, void *arg)
{
	struct answer_args *a = arg;

	if (c->state == STATE_COMMITTEE)
		return refuse(ctx, c, "it is before the committee: decide it with pcase-review --decide");
	return write_answer(ctx, c, a, "answer");
}

int
case_answer(struct case_context *ctx, tcode code, const char *text, int outcome, unsigned acts)
{
	struct answer_args a = {text, outcome, acts};

	struct field_error err;

	if (blank_to_null(text) == NULL) {
		store_failf(ctx->store, "the answer is empty");
		return EXIT_FATAL;
	}
	if (check_text(&err, "answer", text, BODY_MAX, true) != 0) {
		store_failf(ctx->store, "%s: %s", err.field, err.why);
		return EXIT_FATAL;
	}
	return in_transaction(ctx, code, do_answer, &a);
}

struct extend_args {
	int days;
	const char *reason;
	bool force;
};

static int
do_extend(struct case_context *ctx, struct case_row *c, void *arg)
{
	struct extend_args *a = arg;
	sqlite3_stmt *st;
	int before;

	if (c->due == 0)
		return refuse(ctx, c, "it has no deadline to extend");
	if (state_is_settled(c->state))
		return refuse(ctx, c, "it is %s: nothing to extend", state_name(c->state));
	st = store_stmt(ctx->store, "SELECT count(*) FROM event WHERE case_id = ?1 AND what = 'extend'");
	sqlite3_bind_int64(st, 1, c->id);
	before = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (before > 0 && !a->force)
		return refuse(ctx, c, "its deadline was extended once already (--force to extend again)");
	long day = workcal_add(ctx->wc, cal_local_day(c->due, NULL), a->days);
	char *note = xasprintf("%d working day%s: %s", a->days, a->days == 1 ? "" : "s", a->reason);
	int rc = set_due(ctx, c, cal_local_instant(day, ctx->cfg->office_close), "extend", note);
	free(note);
	return rc;
}

int
case_extend(struct case_context *ctx, tcode code, int days, const char *reason, bool force)
{
	struct extend_args a = {days, reason, force};

	if (reason == NULL || *reason == '\0' || !utf8_valid(reason, strlen(reason))) {
		store_failf(ctx->store, "an extension needs its reason (--reason)");
		return EXIT_FATAL;
	}
	return in_transaction(ctx, code, do_extend, &a);
}

/* --- committee review -------------------------------------------------------------- */

static int
do_review_open(struct case_context *ctx, struct case_row *c, void *arg)
{
	if (c->kind != KIND_SUGGESTION)
		return refuse(ctx, c, "only suggestions go before the committee, not a %s",
		    kind_name(c->kind));
	return move(ctx, c, STATE_COMMITTEE, "review", arg, NULL);
}

int
review_open(struct case_context *ctx, tcode code, const char *note)
{
	return in_transaction(ctx, code, do_review_open, (void *)note);
}

struct opinion_args {
	const char *member, *note;
	int opinion;
};

static int
do_opinion(struct case_context *ctx, struct case_row *c, void *arg)
{
	struct opinion_args *a = arg;
	sqlite3_stmt *st;
	char *before = NULL;
	int rc;

	if (c->state != STATE_COMMITTEE)
		return refuse(ctx, c, "it is not before the committee (it is %s)", state_name(c->state));
	st = store_stmt(ctx->store, "SELECT opinion FROM review_opinion WHERE case_id = ?1 AND member = ?2");
	sqlite3_bind_int64(st, 1, c->id);
	bind_text(st, 2, a->member);
	if (sqlite3_step(st) == SQLITE_ROW)
		before = xstrdup(column_text(st, 0));
	sqlite3_reset(st);
	/* One opinion a member: a later one replaces it; the history keeps both. */
	st = store_stmt(ctx->store,
	    "INSERT INTO review_opinion (case_id, member, opinion, note, at) VALUES (?1, ?2, ?3, ?4, ?5)"
	    " ON CONFLICT (case_id, member) DO UPDATE SET opinion = ?3, note = ?4, at = ?5");
	sqlite3_bind_int64(st, 1, c->id);
	bind_text(st, 2, a->member);
	bind_text(st, 3, opinions[a->opinion]);
	bind_text(st, 4, a->note);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)ctx->now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		char *note = xasprintf("%s%s%s", a->member, a->note ? ": " : "", a->note ? a->note : "");
		rc = event(ctx, c, "opinion", before, opinions[a->opinion], note);
		free(note);
	} else {
		rc = store_fail(ctx->store, rc);
	}
	free(before);
	return rc;
}

int
review_opinion(struct case_context *ctx, tcode code, const char *member, int opinion, const char *note)
{
	struct opinion_args a = {member, note, opinion};

	if (member == NULL || *member == '\0' || !utf8_valid(member, strlen(member)) ||
	    utf8_length(member) > NAME_MAX_CHARS) {
		store_failf(ctx->store, "--member: a name of at most %d characters", NAME_MAX_CHARS);
		return EXIT_FATAL;
	}
	return in_transaction(ctx, code, do_opinion, &a);
}

int
review_summary(struct case_context *ctx, tcode code, struct printer *p, int tally[OPINION_COUNT])
{
	struct case_row c;
	char at[32];
	int rc;

	memset(tally, 0, OPINION_COUNT * sizeof *tally);
	if ((rc = load_case(ctx, code, &c)) != 0)
		return rc;
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "SELECT member, opinion, note, at FROM review_opinion WHERE case_id = ?1 ORDER BY at, member");
	sqlite3_bind_int64(st, 1, c.id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int o = opinion_parse(column_text(st, 1));
		if (o >= 0)
			tally[o]++;
		printer_text(p, column_text(st, 0));
		printer_text(p, column_text(st, 1));
		printer_text(p, column_text(st, 2));
		printer_text(p, cal_format_time((time_t)sqlite3_column_int64(st, 3), ctx->cfg->calendar,
		    at, sizeof at));
		printer_row(p);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(ctx->store, rc);
}

struct decide_args {
	bool accepted;
	unsigned actions;
	const char *note;
};

static int
do_decide(struct case_context *ctx, struct case_row *c, void *arg)
{
	struct decide_args *d = arg;
	struct answer_args a = {d->note, d->accepted ? OUTCOME_ACCEPTED : OUTCOME_REJECTED, d->actions};

	if (c->state != STATE_COMMITTEE)
		return refuse(ctx, c, "it is not before the committee (it is %s)", state_name(c->state));
	if (d->accepted && d->actions == 0)
		return refuse(ctx, c, "an accepted suggestion needs the action it leads to (--action)");
	return write_answer(ctx, c, &a, "decision");
}

int
review_decide(struct case_context *ctx, tcode code, bool accepted, unsigned actions, const char *note)
{
	struct decide_args d = {accepted, actions, note};
	return in_transaction(ctx, code, do_decide, &d);
}
