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

static int
fail(struct field_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(struct field_error *err, const char *field, const char *fmt, ...)
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
	if (!utf8_valid(v, strlen(v)))
		return fail(err, field, "not valid UTF-8");
	if (utf8_length(v) > max)
		return fail(err, field, "longer than %zu characters", max);
	if (has_control(v, multiline))
		return fail(err, field, "contains control characters");
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
		return fail(err, "phone", "%s", why);
	if (rec->email && (why = check_email(rec->email)))
		return fail(err, "email", "%s", why);
	if (blank_to_null(in->national_id) && (why = check_national_id(in->national_id, rec->national_id)))
		return fail(err, "national_id", "%s", why);
	bool any = rec->name || rec->phone[0] || rec->email || rec->national_id[0];
	if (in->anonymous && any)
		return fail(err, "anonymous", "an anonymous case carries no name, phone, email or national id");
	if (!in->anonymous && needs_contact(rec->kind) && !rec->phone[0] && !rec->email)
		return fail(err, "phone", "a %s needs a phone or an email to answer to (or mark it anonymous)",
		    kind_name(rec->kind));
	rec->anonymous = in->anonymous;
	return 0;
}

static int
lookup_id(struct case_context *ctx, const char *sql, const char *code, long long *id,
    long long *unit_id, int *deadline)
{
	sqlite3_stmt *st = store_stmt(ctx->store, sql);
	int rc;

	bind_text(st, 1, code);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW)
		return rc == SQLITE_DONE ? -1 : -2;
	*id = sqlite3_column_int64(st, 0);
	if (unit_id)
		*unit_id = sqlite3_column_int64(st, 1);
	if (deadline && sqlite3_column_type(st, 2) != SQLITE_NULL)
		*deadline = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	return 0;
}

static int
check_where(struct case_context *ctx, const struct case_input *in, struct case_record *rec,
    int *deadline, struct field_error *err)
{
	const char *service = blank_to_null(in->service), *unit = blank_to_null(in->unit);
	long long service_unit = 0;

	if (service) {
		int rc = lookup_id(ctx, "SELECT id, unit_id, deadline_days FROM service WHERE code = ?1",
		    service, &rec->service_id, &service_unit, deadline);
		if (rc == -2)
			return fail(err, "service", "%s", store_error(ctx->store));
		if (rc < 0)
			return fail(err, "service", "no service '%s' (see pservice)", service);
		rec->unit_id = service_unit;
	}
	if (unit) {
		int rc = lookup_id(ctx, "SELECT id FROM unit WHERE code = ?1", unit, &rec->unit_id,
		    NULL, NULL);
		if (rc == -2)
			return fail(err, "unit", "%s", store_error(ctx->store));
		if (rc < 0)
			return fail(err, "unit", "no unit '%s' (see punit)", unit);
	}
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
		return fail(err, "received", "'%s': %s", text, why);
	rec->received = cal_when_time(&when);
	if (rec->received > ctx->now)
		return fail(err, "received", "'%s' is in the future", text);
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
			return fail(err, "attach", "not a usable path");
		if (!url && access(path, R_OK) != 0)
			return fail(err, "attach", "%s: no such readable file", path);
	}
	rec->attach = in->attach;
	rec->nattach = in->nattach;
	return 0;
}

int
case_check(struct case_context *ctx, const struct case_input *in, struct case_record *rec,
    struct field_error *err)
{
	int deadline = -1;

	memset(rec, 0, sizeof *rec);
	if (blank_to_null(in->kind) == NULL)
		return fail(err, "kind", "missing (one of %s)", kind_names());
	if ((rec->kind = kind_parse(in->kind)) < 0)
		return fail(err, "kind", "unknown kind '%s' (one of %s)", in->kind, kind_names());
	rec->channel = CHANNEL_OTHER;
	if (blank_to_null(in->channel) && (rec->channel = channel_parse(in->channel)) < 0)
		return fail(err, "channel", "unknown channel '%s' (one of %s)", in->channel,
		    channel_names());
	rec->subject = blank_to_null(in->subject);
	rec->body = blank_to_null(in->body);
	if (rec->subject == NULL)
		return fail(err, "subject", "missing");
	if (check_text(err, "subject", rec->subject, SUBJECT_MAX, false) ||
	    check_text(err, "body", rec->body, BODY_MAX, true) ||
	    check_contact(in, rec, err) ||
	    check_where(ctx, in, rec, &deadline, err) ||
	    check_received(ctx, in->received, rec, err) ||
	    check_attachments(in, rec, err))
		return -1;
	if (deadline < 0)
		deadline = ctx->cfg->deadline[rec->kind];
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
		sqlite3_bind_int64(st, 1, id);
		bind_text(st, 2, rec->attach[i]);
		if ((rc = sqlite3_step(st)) != SQLITE_DONE)
			return store_fail(ctx->store, rc);
	}
	return 0;
}

/* --- reading ------------------------------------------------------------------ */

void
case_filter_init(struct case_filter *f)
{
	memset(f, 0, sizeof *f);
	f->kind = f->state = f->channel = -1;
	f->due_within = -1;
}

static const char *const sort_keys[][2] = {
	{"received", "c.received"}, {"due", "c.due"}, {"code", "c.code"},
	{"kind", "c.kind"}, {"state", "c.state"}, {"unit", "u.code"},
};

static const char *
sort_column(const char *sort)
{
	const char *key = sort && *sort == '-' ? sort + 1 : sort;

	if (key == NULL)
		return "c.received";
	for (size_t i = 0; i < ARRAY_SIZE(sort_keys); i++)
		if (strcmp(key, sort_keys[i][0]) == 0)
			return sort_keys[i][1];
	return NULL;
}

const char *
case_sort_check(const char *sort)
{
	return sort_column(sort) ? NULL : "expected received, due, code, kind, state or unit ('-' first: descending)";
}

/* The states in which a case still waits for its answer. */
#define OPEN_STATES "('new', 'routed', 'in-progress', 'committee')"

#define CASE_SELECT \
	"SELECT c.code, c.kind, c.channel, c.state, s.code, u.code, c.received, c.due," \
	" c.answered, c.closed, c.outcome, c.name, c.phone, c.email, c.national_id," \
	" c.anonymous, c.subject, c.body, s.name, u.name, c.id" \
	" FROM cases c LEFT JOIN service s ON s.id = c.service_id" \
	" LEFT JOIN unit u ON u.id = c.unit_id"
enum {
	COL_CODE, COL_KIND, COL_CHANNEL, COL_STATE, COL_SERVICE, COL_UNIT,
	COL_RECEIVED, COL_DUE, COL_ANSWERED, COL_CLOSED, COL_OUTCOME, COL_NAME,
	COL_PHONE, COL_EMAIL, COL_NATIONAL_ID, COL_ANONYMOUS, COL_SUBJECT,
	COL_BODY, COL_SERVICE_NAME, COL_UNIT_NAME, COL_ID
};

static const struct column short_columns[] = {
	{"code", COL_TEXT}, {"kind", COL_TEXT}, {"state", COL_TEXT},
	{"unit", COL_TEXT}, {"received", COL_TEXT}, {"due", COL_TEXT},
	{"subject", COL_TEXT},
};
static const struct column long_columns[] = {
	{"code", COL_TEXT}, {"kind", COL_TEXT}, {"channel", COL_TEXT},
	{"state", COL_TEXT}, {"service", COL_TEXT}, {"unit", COL_TEXT},
	{"received", COL_TEXT}, {"due", COL_TEXT}, {"days_left", COL_INT},
	{"answered", COL_TEXT}, {"closed", COL_TEXT}, {"outcome", COL_TEXT},
	{"name", COL_TEXT}, {"phone", COL_TEXT}, {"email", COL_TEXT},
	{"national_id", COL_TEXT}, {"anonymous", COL_INT}, {"subject", COL_TEXT},
	{"body", COL_TEXT},
};
/* What a citizen may read with the tracking code: nobody's personal data. */
static const struct column public_columns[] = {
	{"code", COL_TEXT}, {"kind", COL_TEXT}, {"state", COL_TEXT},
	{"service", COL_TEXT}, {"unit", COL_TEXT}, {"received", COL_TEXT},
	{"due", COL_TEXT}, {"days_left", COL_INT}, {"answered", COL_TEXT},
	{"closed", COL_TEXT}, {"outcome", COL_TEXT},
};

const struct column *
case_columns(enum case_view_detail detail, int *ncols)
{
	switch (detail) {
	case VIEW_SHORT:
		*ncols = (int)ARRAY_SIZE(short_columns);
		return short_columns;
	case VIEW_LONG:
		*ncols = (int)ARRAY_SIZE(long_columns);
		return long_columns;
	case VIEW_PUBLIC:
		break;
	}
	*ncols = (int)ARRAY_SIZE(public_columns);
	return public_columns;
}

static void
put_code(struct case_context *ctx, struct printer *p, tcode code)
{
	char buf[24];

	printer_text(p, ctx->for_people ? code_format_grouped(code, buf, sizeof buf)
					: code_format(code, buf, sizeof buf));
}

static void
put_time(struct case_context *ctx, struct printer *p, sqlite3_stmt *st, int col)
{
	char buf[32];

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		printer_text(p, NULL);
	else
		printer_text(p, cal_format_time((time_t)sqlite3_column_int64(st, col),
		    ctx->cfg->calendar, buf, sizeof buf));
}

static bool
is_open_state(const char *state)
{
	return state && (strcmp(state, "new") == 0 || strcmp(state, "routed") == 0 ||
	    strcmp(state, "in-progress") == 0 || strcmp(state, "committee") == 0);
}

/* Working days from today to the due day; negative when overdue. */
static bool
days_left(struct case_context *ctx, sqlite3_stmt *st, long *left)
{
	if (sqlite3_column_type(st, COL_DUE) == SQLITE_NULL ||
	    !is_open_state(column_text(st, COL_STATE)))
		return false;
	time_t due = (time_t)sqlite3_column_int64(st, COL_DUE);
	long today = cal_local_day(ctx->now, NULL), due_day = cal_local_day(due, NULL);
	*left = workcal_between(ctx->wc, today, due_day);
	if (due < ctx->now && *left >= 0)
		*left = -1 - (*left > 0 ? *left : 0);
	return true;
}

static void
put_days_left(struct case_context *ctx, struct printer *p, sqlite3_stmt *st)
{
	long left;

	if (!days_left(ctx, st, &left))
		printer_text(p, NULL);
	else if (!ctx->for_people)
		printer_int(p, left);
	else {
		char *s = left >= 0 ? xasprintf("%ld working day%s left", left, left == 1 ? "" : "s")
				    : xasprintf("overdue by %ld working day%s", -left, left == -1 ? "" : "s");
		printer_text(p, s);
		free(s);
	}
}

static void
put_row(struct case_context *ctx, struct printer *p, sqlite3_stmt *st, enum case_view_detail d)
{
	put_code(ctx, p, sqlite3_column_int64(st, COL_CODE));
	printer_text(p, column_text(st, COL_KIND));
	if (d == VIEW_LONG)
		printer_text(p, column_text(st, COL_CHANNEL));
	printer_text(p, column_text(st, COL_STATE));
	if (d == VIEW_PUBLIC) {
		printer_text(p, column_text(st, COL_SERVICE_NAME));
		printer_text(p, column_text(st, COL_UNIT_NAME));
	} else {
		if (d == VIEW_LONG)
			printer_text(p, column_text(st, COL_SERVICE));
		printer_text(p, column_text(st, COL_UNIT));
	}
	put_time(ctx, p, st, COL_RECEIVED);
	put_time(ctx, p, st, COL_DUE);
	if (d == VIEW_SHORT) {
		printer_text(p, column_text(st, COL_SUBJECT));
		return;
	}
	put_days_left(ctx, p, st);
	put_time(ctx, p, st, COL_ANSWERED);
	put_time(ctx, p, st, COL_CLOSED);
	printer_text(p, column_text(st, COL_OUTCOME));
	if (d == VIEW_LONG) {
		for (int c = COL_NAME; c <= COL_NATIONAL_ID; c++)
			printer_text(p, column_text(st, c));
		if (ctx->for_people)
			printer_text(p, sqlite3_column_int(st, COL_ANONYMOUS) ? "yes" : NULL);
		else
			printer_int(p, sqlite3_column_int(st, COL_ANONYMOUS));
		printer_text(p, column_text(st, COL_SUBJECT));
		printer_text(p, column_text(st, COL_BODY));
	}
}

/* Appends " AND <cond>" and remembers the values to bind, in order. */
struct query {
	struct buf sql;
	const char *text[16];
	long long num[16];
	bool is_text[16];
	int n;
};

static void
where_text(struct query *q, const char *cond, const char *v)
{
	buf_addf(&q->sql, " AND %s ?%d", cond, q->n + 1);
	q->text[q->n] = v;
	q->is_text[q->n++] = true;
}

static void
where_num(struct query *q, const char *cond, long long v)
{
	buf_addf(&q->sql, " AND %s ?%d", cond, q->n + 1);
	q->num[q->n] = v;
	q->is_text[q->n++] = false;
}

static void
build_filter(struct case_context *ctx, const struct case_filter *f, struct query *q,
    char **match)
{
	buf_adds(&q->sql, CASE_SELECT " WHERE 1");
	if (f->kind >= 0)
		where_text(q, "c.kind =", kind_name(f->kind));
	if (f->state >= 0)
		where_text(q, "c.state =", state_name(f->state));
	if (f->channel >= 0)
		where_text(q, "c.channel =", channel_name(f->channel));
	if (f->service)
		where_text(q, "s.code =", f->service);
	if (f->unit)
		where_text(q, "u.code =", f->unit);
	if (f->unrouted)
		buf_adds(&q->sql, " AND c.unit_id IS NULL");
	if (f->since)
		where_num(q, "c.received >=", f->since);
	if (f->until)
		where_num(q, "c.received <", f->until);
	if (f->overdue || f->due_within >= 0 || f->due_before)
		buf_adds(&q->sql, " AND c.state IN " OPEN_STATES " AND c.due IS NOT NULL");
	if (f->overdue)
		where_num(q, "c.due <", ctx->now);
	if (f->due_within >= 0) {
		long today = cal_local_day(ctx->now, NULL);
		long last = workcal_add(ctx->wc, today, f->due_within);
		where_num(q, "c.due >=", ctx->now);
		where_num(q, "c.due <", cal_local_instant(last + 1, 0));
	}
	if (f->due_before)
		where_num(q, "c.due <", f->due_before);
	if (f->query && (*match = search_expression(f->query)) != NULL) {
		where_text(q, "c.id IN (SELECT rowid FROM case_text WHERE case_text MATCH", *match);
		buf_adds(&q->sql, ")");
	} else if (f->query) {
		buf_adds(&q->sql, " AND 0");	/* a query of blanks matches nothing */
	}
	buf_addf(&q->sql, " ORDER BY %s%s, c.id%s", sort_column(f->sort),
	    f->sort && *f->sort == '-' ? " DESC" : "", f->sort && *f->sort == '-' ? " DESC" : "");
	if (f->limit > 0)
		buf_addf(&q->sql, " LIMIT %ld", f->limit);
}

int
case_list(struct case_context *ctx, const struct case_filter *f, enum case_view_detail detail,
    struct printer *p, long *count)
{
	struct query q = {0};
	char *match = NULL;
	sqlite3_stmt *st;
	int rc;

	*count = 0;
	if (f->query && (rc = search_catch_up(ctx->store)) != 0)
		return rc;
	build_filter(ctx, f, &q, &match);
	rc = sqlite3_prepare_v2(store_handle(ctx->store), q.sql.data, -1, &st, NULL);
	if (rc != SQLITE_OK) {
		rc = store_fail(ctx->store, rc);
		goto out;
	}
	for (int i = 0; i < q.n; i++)
		if (q.is_text[i])
			bind_text(st, i + 1, q.text[i]);
		else
			sqlite3_bind_int64(st, i + 1, q.num[i]);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		put_row(ctx, p, st, detail);
		printer_row(p);
		(*count)++;
	}
	rc = rc == SQLITE_DONE ? 0 : store_fail(ctx->store, rc);
	sqlite3_finalize(st);
out:
	buf_free(&q.sql);
	free(match);
	return rc;
}

int
case_show(struct case_context *ctx, tcode code, enum case_view_detail detail, struct printer *p,
    bool with_events)
{
	sqlite3_stmt *st = store_stmt(ctx->store, CASE_SELECT " WHERE c.code = ?1");
	int rc;

	sqlite3_bind_int64(st, 1, code);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		put_row(ctx, p, st, detail);
		sqlite3_reset(st);
		if (with_events) {
			char *events = case_history_json(ctx, code, detail);
			printer_json(p, events);
			free(events);
		}
		printer_row(p);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return EXIT_PARTIAL;
	return rc == SQLITE_ROW ? 0 : store_fail(ctx->store, rc);
}

static const struct column history_columns[] = {
	{"at", COL_TEXT}, {"who", COL_TEXT}, {"what", COL_TEXT},
	{"before", COL_TEXT}, {"after", COL_TEXT}, {"note", COL_TEXT},
};

/* The public history is when and what state: no names, no notes. */
static const struct column public_history_columns[] = {
	{"at", COL_TEXT}, {"what", COL_TEXT}, {"state", COL_TEXT},
};

const struct column *
event_columns(enum case_view_detail detail, int *ncols)
{
	if (detail == VIEW_PUBLIC) {
		*ncols = (int)ARRAY_SIZE(public_history_columns);
		return public_history_columns;
	}
	*ncols = (int)ARRAY_SIZE(history_columns);
	return history_columns;
}

#define EVENT_SELECT \
	"SELECT e.at, e.who, e.what, e.before, e.after, e.note FROM event e" \
	" JOIN cases c ON c.id = e.case_id WHERE c.code = ?1 ORDER BY e.id"

int
case_history(struct case_context *ctx, tcode code, enum case_view_detail detail, struct printer *p)
{
	sqlite3_stmt *st = store_stmt(ctx->store, EVENT_SELECT);
	int rc;

	sqlite3_bind_int64(st, 1, code);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		put_time(ctx, p, st, 0);
		if (detail == VIEW_PUBLIC) {
			printer_text(p, column_text(st, 2));
			printer_text(p, column_text(st, 4));
		} else {
			for (int c = 1; c <= 5; c++)
				printer_text(p, column_text(st, c));
		}
		printer_row(p);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(ctx->store, rc);
}

char *
case_history_json(struct case_context *ctx, tcode code, enum case_view_detail detail)
{
	sqlite3_stmt *st = store_stmt(ctx->store, EVENT_SELECT);
	sqlite3_stmt *add = store_stmt(ctx->store,
	    "SELECT json_insert(?1, '$[#]', json_object('at', ?2, 'who', ?3, 'what', ?4,"
	    " 'before', ?5, 'after', ?6, 'note', ?7))");
	sqlite3_stmt *add_public = store_stmt(ctx->store,
	    "SELECT json_insert(?1, '$[#]', json_object('at', ?2, 'what', ?4, 'state', ?6))");
	char *array = xstrdup("[]"), buf[32];

	sqlite3_bind_int64(st, 1, code);
	while (sqlite3_step(st) == SQLITE_ROW) {
		sqlite3_stmt *a = detail == VIEW_PUBLIC ? add_public : add;
		sqlite3_reset(a);
		bind_text(a, 1, array);
		bind_text(a, 2, cal_format_time((time_t)sqlite3_column_int64(st, 0),
		    ctx->cfg->calendar, buf, sizeof buf));
		for (int c = 1; c <= 5; c++)
			if (detail != VIEW_PUBLIC || c == 2 || c == 4)
				bind_text(a, c + 2, column_text(st, c));
		if (sqlite3_step(a) == SQLITE_ROW) {
			char *next = xstrdup(column_text(a, 0));
			free(array);
			array = next;
		}
		sqlite3_reset(a);
	}
	sqlite3_reset(st);
	return array;
}
