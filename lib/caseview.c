/*
 * caseview.c — reading cases: listings by filter, one case with its
 * history, in the columns each view may show.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseview.h"
#include "exitcode.h"
#include "search.h"
#include "text.h"
#include "util.h"

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


#define CASE_SELECT \
	"SELECT c.code, c.kind, c.channel, c.state, s.code, u.code, c.received, c.due," \
	" c.answered, c.closed, c.outcome, c.name, c.phone, c.email, c.national_id," \
	" c.anonymous, c.subject, c.body, s.name, u.name, c.id, c.action, c.answer" \
	" FROM cases c LEFT JOIN service s ON s.id = c.service_id" \
	" LEFT JOIN unit u ON u.id = c.unit_id"
enum {
	COL_CODE, COL_KIND, COL_CHANNEL, COL_STATE, COL_SERVICE, COL_UNIT,
	COL_RECEIVED, COL_DUE, COL_ANSWERED, COL_CLOSED, COL_OUTCOME, COL_NAME,
	COL_PHONE, COL_EMAIL, COL_NATIONAL_ID, COL_ANONYMOUS, COL_SUBJECT,
	COL_BODY, COL_SERVICE_NAME, COL_UNIT_NAME, COL_ID, COL_ACTION, COL_ANSWER
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
	{"action", COL_TEXT}, {"answer", COL_TEXT},
	{"name", COL_TEXT}, {"phone", COL_TEXT}, {"email", COL_TEXT},
	{"national_id", COL_TEXT}, {"anonymous", COL_INT}, {"subject", COL_TEXT},
	{"body", COL_TEXT},
};
/* What a citizen may read with the tracking code: the answer given, and
 * nobody's personal data (not even the citizen's own words). */
static const struct column public_columns[] = {
	{"code", COL_TEXT}, {"kind", COL_TEXT}, {"state", COL_TEXT},
	{"service", COL_TEXT}, {"unit", COL_TEXT}, {"received", COL_TEXT},
	{"due", COL_TEXT}, {"days_left", COL_INT}, {"answered", COL_TEXT},
	{"closed", COL_TEXT}, {"outcome", COL_TEXT}, {"action", COL_TEXT},
	{"answer", COL_TEXT},
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
put_code(struct context *ctx, struct printer *p, tcode code)
{
	char buf[24];

	printer_text(p, ctx->for_people ? code_format_grouped(code, buf, sizeof buf)
					: code_format(code, buf, sizeof buf));
}

static void
put_time(struct context *ctx, struct printer *p, struct stmt *st, int col)
{
	char buf[48];

	if (stmt_null(st, col))
		printer_text(p, NULL);
	else
		printer_text(p, cal_format_time((time_t)stmt_int(st, col),
		    cal_latin(ctx->cfg->shown.cal), buf, sizeof buf));
}

/* Working days from today to the due day; negative when overdue. */
static bool
days_left(struct context *ctx, struct stmt *st, long *left)
{
	if (stmt_null(st, COL_DUE) ||
	    !state_clock_runs(vocab_parse(&state_vocab, stmt_text(st, COL_STATE))))
		return false;
	time_t due = (time_t)stmt_int(st, COL_DUE);
	long today = cal_local_day(ctx->now, NULL), due_day = cal_local_day(due, NULL);
	*left = workcal_between(ctx->wc, today, due_day);
	if (due < ctx->now && *left >= 0)
		*left = -1 - (*left > 0 ? *left : 0);
	return true;
}

static void
put_days_left(struct context *ctx, struct printer *p, struct stmt *st)
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
put_row(struct context *ctx, struct printer *p, struct stmt *st, enum case_view_detail d)
{
	put_code(ctx, p, stmt_int(st, COL_CODE));
	printer_text(p, stmt_text(st, COL_KIND));
	if (d == VIEW_LONG)
		printer_text(p, stmt_text(st, COL_CHANNEL));
	printer_text(p, stmt_text(st, COL_STATE));
	if (d == VIEW_PUBLIC) {
		printer_text(p, stmt_text(st, COL_SERVICE_NAME));
		printer_text(p, stmt_text(st, COL_UNIT_NAME));
	} else {
		if (d == VIEW_LONG)
			printer_text(p, stmt_text(st, COL_SERVICE));
		printer_text(p, stmt_text(st, COL_UNIT));
	}
	put_time(ctx, p, st, COL_RECEIVED);
	put_time(ctx, p, st, COL_DUE);
	if (d == VIEW_SHORT) {
		printer_text(p, stmt_text(st, COL_SUBJECT));
		return;
	}
	put_days_left(ctx, p, st);
	put_time(ctx, p, st, COL_ANSWERED);
	put_time(ctx, p, st, COL_CLOSED);
	printer_text(p, stmt_text(st, COL_OUTCOME));
	printer_text(p, stmt_text(st, COL_ACTION));
	printer_text(p, stmt_text(st, COL_ANSWER));
	if (d == VIEW_LONG) {
		for (int c = COL_NAME; c <= COL_NATIONAL_ID; c++)
			printer_text(p, stmt_text(st, c));
		if (ctx->for_people)
			printer_text(p, stmt_int(st, COL_ANONYMOUS) ? "yes" : NULL);
		else
			printer_int(p, stmt_int(st, COL_ANONYMOUS));
		printer_text(p, stmt_text(st, COL_SUBJECT));
		printer_text(p, stmt_text(st, COL_BODY));
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
bind_text(struct query *q, const char *sql, const char *v)
{
	buf_adds(&q->sql, sql);
	q->text[q->n] = v;
	q->is_text[q->n++] = true;
}

static void
where_text(struct query *q, const char *cond, const char *v)
{
	buf_addf(&q->sql, " AND %s", cond);
	bind_text(q, " ?", v);
}

static void
bind_num(struct query *q, const char *sql, long long v)
{
	buf_adds(&q->sql, sql);
	q->num[q->n] = v;
	q->is_text[q->n++] = false;
}

static void
where_num(struct query *q, const char *cond, long long v)
{
	buf_addf(&q->sql, " AND %s", cond);
	bind_num(q, " ?", v);
}

static void
build_filter(struct context *ctx, const struct case_filter *f, struct query *q,
    char **match)
{
	buf_adds(&q->sql, CASE_SELECT " WHERE 1 = 1");
	if (f->kind >= 0)
		where_text(q, "c.kind =", vocab_name(&kind_vocab, f->kind));
	if (f->state >= 0)
		where_text(q, "c.state =", vocab_name(&state_vocab, f->state));
	if (f->channel >= 0)
		where_text(q, "c.channel =", vocab_name(&channel_vocab, f->channel));
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
		buf_addf(&q->sql, " AND c.state IN %s AND c.due IS NOT NULL",
		    vocab_sql_in(&state_vocab, STATES_CLOCK_RUNS));
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
	if (f->unnotified > 0) {
		where_num(q, "NOT EXISTS (SELECT 1 FROM overdue_notice o WHERE o.case_id = c.id"
		    " AND o.level =", f->unnotified);
		buf_adds(&q->sql, ")");
	}
	if (f->query && (*match = search_expression(f->query)) != NULL) {
		bind_text(q, " AND " SEARCH_CASE_ID_MATCHES, *match);
	} else if (f->query) {
		buf_adds(&q->sql, " AND 1 = 0");	/* a query of blanks matches nothing */
	}
	buf_addf(&q->sql, " ORDER BY %s%s, c.id%s", sort_column(f->sort),
	    f->sort && *f->sort == '-' ? " DESC" : "", f->sort && *f->sort == '-' ? " DESC" : "");
	if (f->limit > 0)
		bind_num(q, " LIMIT ?", f->limit);
}

int
case_list(struct context *ctx, const struct case_filter *f, enum case_view_detail detail,
    struct printer *p, long *count)
{
	struct query q = {0};
	char *match = NULL;
	int rc;

	*count = 0;
	if (f->query && (rc = search_catch_up(ctx->store)) != 0)
		return rc;
	build_filter(ctx, f, &q, &match);
	struct stmt *st = store_sql_once(ctx->store, q.sql.data);
	for (int i = 0; i < q.n; i++)
		if (q.is_text[i])
			stmt_bind_text(st, q.text[i]);
		else
			stmt_bind_int(st, q.num[i]);
	while (stmt_row(st)) {
		put_row(ctx, p, st, detail);
		printer_row(p);
		(*count)++;
	}
	rc = stmt_status(st);
	stmt_free(st);
	buf_free(&q.sql);
	free(match);
	return rc;
}

int
case_show(struct context *ctx, tcode code, enum case_view_detail detail, struct printer *p,
    bool with_events)
{
	struct stmt *st = store_sql(ctx->store, CASE_SELECT " WHERE c.code = ?");

	stmt_bind_int(st, code);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : EXIT_PARTIAL;
	put_row(ctx, p, st, detail);
	stmt_reset(st);
	int rc = with_events ? case_history(ctx, code, detail, p, true) : 0;
	printer_row(p);
	return rc;
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
	" JOIN cases c ON e.subject_kind = 'case' AND c.id = e.subject_id WHERE c.code = ?" \
	" ORDER BY e.id"

/* An event's before or after: a due time (as the event keeps it) in the view's calendar. */
static void
put_stored(struct context *ctx, struct printer *p, const char *v)
{
	char buf[48];

	printer_text(p, v ? cal_format_stored(v, cal_latin(ctx->cfg->shown.cal), buf, sizeof buf)
			  : NULL);
}

int
case_history(struct context *ctx, tcode code, enum case_view_detail detail, struct printer *p,
    bool nested)
{
	struct stmt *st = store_sql(ctx->store, EVENT_SELECT);
	int ncols;
	const struct column *cols = event_columns(detail, &ncols);

	stmt_bind_int(st, code);
	if (nested)
		printer_list_begin(p, cols, ncols);
	while (stmt_row(st)) {
		put_time(ctx, p, st, 0);
		if (detail == VIEW_PUBLIC) {
			printer_text(p, stmt_text(st, 2));
			printer_text(p, stmt_text(st, 4));
		} else {
			printer_text(p, stmt_text(st, 1));
			printer_text(p, stmt_text(st, 2));
			put_stored(ctx, p, stmt_text(st, 3));
			put_stored(ctx, p, stmt_text(st, 4));
			printer_text(p, stmt_text(st, 5));
		}
		printer_row(p);
	}
	if (nested)
		printer_list_end(p);
	return stmt_status(st);
}

const struct column *
case_columns_with_history(enum case_view_detail detail, int *ncols)
{
	static struct column cols[2][ARRAY_SIZE(long_columns) + 1];
	bool public = detail == VIEW_PUBLIC;
	const struct column *base = case_columns(detail, ncols);

	memcpy(cols[public], base, (size_t)*ncols * sizeof *base);
	cols[public][(*ncols)++] = (struct column){"events", COL_LIST};
	return cols[public];
}

int
case_print(struct context *ctx, tcode code, enum case_view_detail detail, FILE *out)
{
	struct fmt_options opt = {.persian_digits = ctx->cfg->shown.persian_digits};
	int ncols, rc;
	const struct column *cols = case_columns(detail, &ncols);
	struct printer *p = printer_open(out, FMT_RECORD, cols, ncols, &opt);

	rc = case_show(ctx, code, detail, p, false);
	printer_close(p);
	if (rc != 0)
		return rc;
	cols = event_columns(detail, &ncols);
	fputs("\nhistory\n", out);
	p = printer_open(out, FMT_TABLE, cols, ncols, &opt);
	rc = case_history(ctx, code, detail, p, false);
	return printer_close(p) != 0 && rc == 0 ? EXIT_FATAL : rc;
}
