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
	f->due_within = -1;
}

bool
case_filter_add_codes(const char **list, int *n, char *codes)
{
	char *save = NULL;

	for (char *c = strtok_r(codes, ", \t", &save); c; c = strtok_r(NULL, ", \t", &save)) {
		if (*n == FILTER_MAX_CODES)
			return false;
		list[(*n)++] = c;
	}
	return true;
}

static const char *const sort_keys[][2] = {
	{"received", "c.received"}, {"due", "c.due"}, {"code", "c.code"},
	{"kind", "c.kind"}, {"state", "c.state"},
	{"unit", "(SELECT code FROM unit WHERE id = c.unit_id)"},
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


#define CASE_FIELDS \
	"SELECT c.code, c.kind, c.channel, c.state, s.code, u.code, c.received, c.due," \
	" c.answered, c.closed, c.outcome, c.name, c.phone, c.email, c.national_id," \
	" c.anonymous, c.subject, c.body, s.name, u.name, c.id, c.action, c.answer," \
	" EXISTS (SELECT 1 FROM attachment a WHERE a.case_id = c.id)"
#define CASE_CATALOG \
	" LEFT JOIN service s ON s.id = c.service_id LEFT JOIN unit u ON u.id = c.unit_id"
#define CASE_SELECT CASE_FIELDS " FROM cases c" CASE_CATALOG
enum {
	COL_CODE, COL_KIND, COL_CHANNEL, COL_STATE, COL_SERVICE, COL_UNIT,
	COL_RECEIVED, COL_DUE, COL_ANSWERED, COL_CLOSED, COL_OUTCOME, COL_NAME,
	COL_PHONE, COL_EMAIL, COL_NATIONAL_ID, COL_ANONYMOUS, COL_SUBJECT,
	COL_BODY, COL_SERVICE_NAME, COL_UNIT_NAME, COL_ID, COL_ACTION, COL_ANSWER,
	COL_HAS_ATTACHMENTS	/* asked by the engine in the row's query, not a query a row */
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
	{"body", COL_TEXT}, {"attachments", COL_LIST},
};
/* What a citizen may read with the tracking code: the answer given (or why
 * the case was rejected), and nobody's personal data (not even the
 * citizen's own words). For programs the keys are English and stay so; for
 * people (the record) the labels are Persian, in the same order. */
static const struct column public_columns[] = {
	{"code", COL_TEXT}, {"kind", COL_TEXT}, {"state", COL_TEXT},
	{"service", COL_TEXT}, {"unit", COL_TEXT}, {"received", COL_TEXT},
	{"due", COL_TEXT}, {"days_left", COL_INT}, {"answered", COL_TEXT},
	{"closed", COL_TEXT}, {"outcome", COL_TEXT}, {"action", COL_TEXT},
	{"answer", COL_TEXT}, {"reason", COL_TEXT},
};
static const struct column public_labels[] = {
	{"کد پیگیری", COL_TEXT}, {"نوع", COL_TEXT}, {"وضعیت", COL_TEXT},
	{"خدمت", COL_TEXT}, {"واحد رسیدگی", COL_TEXT}, {"تاریخ ثبت", COL_TEXT},
	{"مهلت پاسخ", COL_TEXT}, {"زمان باقی‌مانده", COL_INT}, {"تاریخ پاسخ", COL_TEXT},
	{"تاریخ بسته شدن", COL_TEXT}, {"نتیجه", COL_TEXT}, {"اقدام", COL_TEXT},
	{"پاسخ", COL_TEXT}, {"دلیل رد", COL_TEXT},
};
_Static_assert(ARRAY_SIZE(public_labels) == ARRAY_SIZE(public_columns), "a label for every key");

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

/*
 * The times the last row of a listing showed. In the order received a row
 * has the minute received of the row before it 93% of the time, and its
 * due time 81% (50k cases); formatting a time, or counting the working
 * days to one, was a tenth of the reading thread's work. NULL: no memo.
 */
struct time_memo {
	bool set;
	time_t t;
	char text[48];
};
struct row_memo {
	struct time_memo received, due;
	bool has_left;
	time_t left_due;	/* the due time days_left counted to */
	long left;
};

static void
put_time(struct context *ctx, struct printer *p, struct stmt *st, int col, struct time_memo *m)
{
	char buf[48];

	if (stmt_null(st, col)) {
		printer_text(p, NULL);
		return;
	}
	time_t t = (time_t)stmt_int(st, col);
	if (m && m->set && m->t == t) {
		printer_text(p, m->text);
		return;
	}
	const char *text = cal_format_time(t, cal_latin(ctx->cfg->shown.cal), buf, sizeof buf);
	size_t len = strlen(text);
	if (m && (m->set = len < sizeof m->text)) {
		m->t = t;
		memcpy(m->text, text, len + 1);
	}
	printer_text(p, text);
}

/* Working days from today to the due day; negative when overdue. */
static bool
days_left(struct context *ctx, struct stmt *st, long *left, struct row_memo *m)
{
	if (stmt_null(st, COL_DUE) ||
	    !state_clock_runs(vocab_parse(&state_vocab, stmt_text(st, COL_STATE))))
		return false;
	time_t due = (time_t)stmt_int(st, COL_DUE);
	if (m && m->has_left && m->left_due == due) {
		*left = m->left;
		return true;
	}
	long today = cal_local_day(ctx->now, NULL), due_day = cal_local_day(due, NULL);
	*left = workcal_between(ctx->wc, today, due_day);
	if (due < ctx->now && *left >= 0)
		*left = -1 - (*left > 0 ? *left : 0);
	if (m) {
		m->has_left = true;
		m->left_due = due;
		m->left = *left;
	}
	return true;
}

/* in_persian: as the citizen reads it in the public view. */
static void
put_days_left(struct context *ctx, struct printer *p, struct stmt *st, bool in_persian,
    struct row_memo *m)
{
	long left;

	if (!days_left(ctx, st, &left, m))
		printer_text(p, NULL);
	else if (!ctx->for_people)
		printer_int(p, left);
	else {
		char *s = in_persian ? (left >= 0 ? xasprintf("%ld روز کاری مانده", left)
					  : xasprintf("%ld روز کاری از مهلت گذشته", -left))
		    : left >= 0 ? xasprintf("%ld working day%s left", left, left == 1 ? "" : "s")
				: xasprintf("overdue by %ld working day%s", -left, left == -1 ? "" : "s");
		printer_text(p, s);
		free(s);
	}
}

/*
 * The files a case came with, as the attachment table holds them, in the
 * order they were given: each one's own name (a link: its URL), its type
 * (a file's media type as its content showed it, else link or not-copied),
 * its size in bytes and the SHA-256 of its content, by which its copy is
 * found in the attachment store; a note for one that was not copied.
 * Personal: never in the public view.
 */
static const struct column attachment_columns[] = {
	{"name", COL_TEXT}, {"type", COL_TEXT}, {"size", COL_INT}, {"sha256", COL_TEXT},
	{"note", COL_TEXT},
};

static void
put_attachments(struct context *ctx, struct printer *p, long long case_id, bool any)
{
	printer_list_begin(p, attachment_columns, (int)ARRAY_SIZE(attachment_columns));
	if (!any) {	/* most cases: no query of their own */
		printer_list_end(p);
		return;
	}
	struct stmt *st = store_sql(ctx->store,
	    "SELECT name, coalesce(type, kind), size, sha256, note FROM attachment"
	    " WHERE case_id = ? ORDER BY id");

	stmt_bind_int(st, case_id);
	while (stmt_row(st)) {
		printer_text(p, stmt_text(st, 0));
		printer_text(p, stmt_text(st, 1));
		if (stmt_null(st, 2))
			printer_text(p, NULL);
		else
			printer_int(p, stmt_int(st, 2));
		printer_text(p, stmt_text(st, 3));
		printer_text(p, stmt_text(st, 4));
		printer_row(p);
	}
	printer_list_end(p);
}

static void
put_row(struct context *ctx, struct printer *p, struct stmt *st, enum case_view_detail d,
    struct row_memo *m)
{
	put_code(ctx, p, stmt_int(st, COL_CODE));
	printer_text(p, stmt_text(st, COL_KIND));
	if (d == VIEW_LONG)
		printer_text(p, stmt_text(st, COL_CHANNEL));
	printer_text(p, stmt_text(st, COL_STATE));
	if (d == VIEW_LONG)
		printer_text(p, stmt_text(st, COL_SERVICE));
	printer_text(p, stmt_text(st, COL_UNIT));
	put_time(ctx, p, st, COL_RECEIVED, m ? &m->received : NULL);
	put_time(ctx, p, st, COL_DUE, m ? &m->due : NULL);
	if (d == VIEW_SHORT) {
		printer_text(p, stmt_text(st, COL_SUBJECT));
		return;
	}
	put_days_left(ctx, p, st, false, m);
	put_time(ctx, p, st, COL_ANSWERED, NULL);
	put_time(ctx, p, st, COL_CLOSED, NULL);
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
		put_attachments(ctx, p, stmt_int(st, COL_ID), stmt_int(st, COL_HAS_ATTACHMENTS) != 0);
	}
}

/* --- the public view ------------------------------------------------------------ */

/*
 * What the citizen reads. For people (ctx->for_people: the record) the
 * words are the Persian names of lib/vocab.c, and case_print gives the
 * printer the citizen's digits; for programs they are the stable English
 * names. Times are in the citizen's calendar in every format (cells in
 * Latin digits: the printer gives people theirs), so that no output meant
 * for a citizen, or for the portal that shows them, has another calendar.
 */
static struct cal_style
public_cells(const struct context *ctx)
{
	return cal_latin(ctx->cfg->citizen.cal);
}

/* A word of a vocabulary, as stored: its Persian name for people. */
static void
put_public_word(struct context *ctx, struct printer *p, const struct vocab *v, const char *name)
{
	printer_text(p, ctx->for_people ? vocab_persian_of(v, name) : name);
}

/* The actions an answer led to ("process,support" as stored). */
static void
put_public_actions(struct context *ctx, struct printer *p, const char *stored)
{
	unsigned set = 0;

	if (stored == NULL || !ctx->for_people) {
		printer_text(p, stored);
		return;
	}
	char *copy = xstrdup(stored);
	vocab_parse_set(&action_vocab, copy, &set);
	free(copy);
	char *names = vocab_set_persian(&action_vocab, set, "، ");
	printer_text(p, names);
	free(names);
}

/* Why a rejected case was rejected: the note of its move to rejected, which
 * the citizen was sent; a new string, or NULL. 0 or the store's status. */
static int
public_reason(struct context *ctx, struct stmt *st, char **reason)
{
	*reason = NULL;
	if (vocab_parse(&state_vocab, stmt_text(st, COL_STATE)) != STATE_REJECTED)
		return 0;
	struct stmt *r = store_sql(ctx->store, "SELECT note FROM event WHERE subject_kind = 'case'"
	    " AND subject_id = ? AND after = ? ORDER BY id DESC LIMIT 1");
	stmt_bind_int(r, stmt_int(st, COL_ID));
	stmt_bind_text(r, vocab_name(&state_vocab, STATE_REJECTED));
	if (!stmt_row(r))
		return stmt_status(r);
	if (stmt_text(r, 0))
		*reason = xstrdup(stmt_text(r, 0));
	stmt_reset(r);
	return 0;
}

/*
 * The public facts of the case in st's row. The answer, its outcome and
 * its actions stand while the case is answered or closed: reopening clears
 * the time it was answered, and the answer it withdrew is not shown as if
 * it held. 0 or the store's status; case_public_done frees.
 */
static int
public_facts(struct context *ctx, struct stmt *st, struct case_public *c)
{
	bool answered = !stmt_null(st, COL_ANSWERED);

	*c = (struct case_public){
		.code = stmt_int(st, COL_CODE),
		.kind = stmt_text(st, COL_KIND), .state = stmt_text(st, COL_STATE),
		.service_code = stmt_text(st, COL_SERVICE),
		.service_name = stmt_text(st, COL_SERVICE_NAME),
		.unit_code = stmt_text(st, COL_UNIT), .unit_name = stmt_text(st, COL_UNIT_NAME),
		.received = (time_t)stmt_int(st, COL_RECEIVED),
		.has_due = !stmt_null(st, COL_DUE), .due = (time_t)stmt_int(st, COL_DUE),
		.has_answered = answered, .answered = (time_t)stmt_int(st, COL_ANSWERED),
		.has_closed = !stmt_null(st, COL_CLOSED), .closed = (time_t)stmt_int(st, COL_CLOSED),
		.outcome = answered ? stmt_text(st, COL_OUTCOME) : NULL,
		.action = answered ? stmt_text(st, COL_ACTION) : NULL,
		.answer = answered ? stmt_text(st, COL_ANSWER) : NULL,
		.updated = (time_t)stmt_int(st, COL_RECEIVED),
	};
	return public_reason(ctx, st, &c->reason);
}

static void case_public_done(struct case_public *c) { free(c->reason); }

static void
put_public_time(struct context *ctx, struct printer *p, bool has, time_t t)
{
	char buf[48];

	printer_text(p, has ? cal_format_time(t, public_cells(ctx), buf, sizeof buf) : NULL);
}

/* A case as the citizen sees it. */
static int
put_public_row(struct context *ctx, struct printer *p, struct stmt *st)
{
	struct case_public c;
	int rc = public_facts(ctx, st, &c);

	put_code(ctx, p, c.code);
	put_public_word(ctx, p, &kind_vocab, c.kind);
	put_public_word(ctx, p, &state_vocab, c.state);
	printer_text(p, c.service_name);
	printer_text(p, c.unit_name);
	put_public_time(ctx, p, true, c.received);
	put_public_time(ctx, p, c.has_due, c.due);
	put_days_left(ctx, p, st, true, NULL);
	put_public_time(ctx, p, c.has_answered, c.answered);
	put_public_time(ctx, p, c.has_closed, c.closed);
	put_public_word(ctx, p, &outcome_vocab, c.outcome);
	put_public_actions(ctx, p, c.action);
	printer_text(p, c.answer);
	printer_text(p, c.reason);
	case_public_done(&c);
	return rc;
}

/* A case's row in the columns of the view (m: a listing's memo, or NULL). 0 or the store's status. */
static int
put_view_row(struct context *ctx, struct printer *p, struct stmt *st, enum case_view_detail d,
    struct row_memo *m)
{
	if (d == VIEW_PUBLIC)
		return put_public_row(ctx, p, st);
	put_row(ctx, p, st, d, m);
	return 0;
}

/* Appends " AND <cond>" and remembers the values to bind, in order. */
struct query {
	struct buf sql;
	struct bound {
		const char *text;	/* NULL: the number */
		long long num;
	} *values;
	int n, cap;
};

static void
bind_value(struct query *q, const char *text, long long num)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 16;
		q->values = xrealloc(q->values, (size_t)q->cap * sizeof *q->values);
	}
	q->values[q->n++] = (struct bound){text, num};
}

static void
bind_text(struct query *q, const char *sql, const char *v)
{
	buf_adds(&q->sql, sql);
	bind_value(q, v, 0);
}

static void
bind_num(struct query *q, const char *sql, long long v)
{
	buf_adds(&q->sql, sql);
	bind_value(q, NULL, v);
}

static void
where_num(struct query *q, const char *cond, long long v)
{
	buf_addf(&q->sql, " AND %s", cond);
	bind_num(q, " ?", v);
}

/* " AND column IN (?, ?, …)" for the names of a set of a vocabulary. */
static void
where_in_set(struct query *q, const char *column, const struct vocab *v, unsigned set)
{
	const char *sep = " (?";

	if (set == 0)
		return;
	buf_addf(&q->sql, " AND %s IN", column);
	for (int i = 0; i < v->n; i++)
		if (set >> i & 1) {
			bind_text(q, sep, vocab_name(v, i));
			sep = ", ?";
		}
	buf_adds(&q->sql, ")");
}

static void
where_in_codes(struct query *q, const char *column, const char *const *codes, int n)
{
	if (n == 0)
		return;
	buf_addf(&q->sql, " AND %s IN", column);
	for (int i = 0; i < n; i++)
		bind_text(q, i ? ", ?" : " (?", codes[i]);
	buf_adds(&q->sql, ")");
}

/* A case's service or unit among those of the codes: by its id, so that
 * the index of cases by it serves (one code: in the order received). */
static void
where_in_catalog(struct query *q, const char *column, const char *table,
    const char *const *codes, int n)
{
	if (n == 1) {
		buf_addf(&q->sql, " AND %s = (SELECT id FROM %s WHERE code =", column, table);
		bind_text(q, " ?)", codes[0]);
		return;
	}
	char *in = xasprintf("%s IN (SELECT id FROM %s WHERE code", column, table);
	where_in_codes(q, in, codes, n);
	free(in);
	if (n)
		buf_adds(&q->sql, ")");
}

/* The full-text condition; on a read-only file, whose index cannot catch up,
 * the cases past the index are matched word by word by a scan. */
static void
where_matches(struct context *ctx, const struct case_filter *f, struct query *q,
    char **match, char ***words)
{
	if ((*match = search_expression(f->query)) == NULL) {
		buf_adds(&q->sql, " AND 1 = 0");	/* a query of blanks matches nothing */
		return;
	}
	/* A common word: past this many matches, walking the listing's order
	 * finds the first ones sooner than sorting every match. */
	enum { COMMON_WORD = 1000 };
	const char *matches = f->limit > 0 &&
	    search_matches_at_least(ctx->store, *match, COMMON_WORD) > 0
	    ? SEARCH_CASE_ID_MATCHES_IN_ORDER : SEARCH_CASE_ID_MATCHES;

	if (!store_read_only(ctx->store)) {
		buf_adds(&q->sql, " AND ");
		bind_text(q, matches, *match);
		return;
	}
	buf_adds(&q->sql, " AND (");
	bind_text(q, matches, *match);
	buf_adds(&q->sql, " OR (" SEARCH_CASE_NOT_INDEXED);
	*words = search_words(f->query);
	for (char **w = *words; *w; w++)
		bind_text(q, " AND " SEARCH_CASE_HAS_WORD, *w);
	buf_adds(&q->sql, "))");
}

/*
 * The query of a filter; due_within_end is the last day --due-within takes
 * in. The cases are picked, ordered and limited by their ids alone, on the
 * indexes of cases (schema 7: each filter's index gives its cases in the
 * order received, so a --limit stops early), and only the rows picked are
 * read whole: a sort the indexes cannot spare carries an id and its key,
 * not 23 columns and the body. A listing of codes reads the code alone.
 * The picked ids are the outer loop (CROSS JOIN), read in their order as
 * they come; the LIMIT (-1: none) keeps SQLite from flattening the pick
 * into the join, which would sort the whole rows again.
 */
static void
build_filter(struct context *ctx, const struct case_filter *f, long due_within_end,
    bool codes_only, struct query *q, char **match, char ***words)
{
	buf_adds(&q->sql, codes_only ? "SELECT c.code FROM cases c WHERE 1 = 1"
	    : CASE_FIELDS " FROM (SELECT c.id AS id FROM cases c WHERE 1 = 1");
	where_in_set(q, "c.kind", &kind_vocab, f->kinds);
	where_in_set(q, "c.state", &state_vocab, f->states);
	if (f->open)
		buf_addf(&q->sql, " AND c.state NOT IN %s", vocab_sql_in(&state_vocab, STATES_SETTLED));
	where_in_set(q, "c.channel", &channel_vocab, f->channels);
	where_in_catalog(q, "c.service_id", "service", f->services, f->nservices);
	where_in_catalog(q, "c.unit_id", "unit", f->units, f->nunits);
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
		where_num(q, "c.due >=", ctx->now);
		where_num(q, "c.due <", cal_local_instant(due_within_end + 1, 0));
	}
	if (f->due_before)
		where_num(q, "c.due <", f->due_before);
	if (f->unnotified > 0) {
		where_num(q, "NOT EXISTS (SELECT 1 FROM overdue_notice o WHERE o.case_id = c.id"
		    " AND o.level =", f->unnotified);
		buf_adds(&q->sql, ")");
	}
	if (f->query)
		where_matches(ctx, f, q, match, words);
	buf_addf(&q->sql, " ORDER BY %s%s, c.id%s", sort_column(f->sort),
	    f->sort && *f->sort == '-' ? " DESC" : "", f->sort && *f->sort == '-' ? " DESC" : "");
	if (f->limit > 0)
		bind_num(q, " LIMIT ?", f->limit);
	else if (!codes_only)
		buf_adds(&q->sql, " LIMIT -1");
	if (!codes_only)
		buf_adds(&q->sql, ") pick CROSS JOIN cases c ON c.id = pick.id" CASE_CATALOG);
}

/* A unit or service named by a filter must exist: a typo is not "none".
 * (Asked here, not through unit.h and service.h, so that a command that
 * only reads links nothing of the writers, the audit chain's hash above all.) */
static int
check_catalog_codes(struct store *s, const char *sql, const char *what,
    const char *const *codes, int n)
{
	for (int i = 0; i < n; i++) {
		struct stmt *st = store_sql(s, sql);
		stmt_bind_text(st, codes[i]);
		bool found = stmt_row(st);
		stmt_reset(st);
		if (stmt_status(st))
			return stmt_status(st);
		if (!found)
			return store_fail_field(s, what, "no such %s %s", what, text_quote(codes[i]));
	}
	return 0;
}

static int
check_filter_codes(struct context *ctx, const struct case_filter *f)
{
	int rc = check_catalog_codes(ctx->store, "SELECT 1 FROM unit WHERE code = ?", "unit",
	    f->units, f->nunits);

	return rc ? rc : check_catalog_codes(ctx->store, "SELECT 1 FROM service WHERE code = ?",
	    "service", f->services, f->nservices);
}

/* What is done with each case a filter selects; 0 or an exit status. */
typedef int case_row_fn(struct context *ctx, struct stmt *st, void *arg);

static int
each_case(struct context *ctx, const struct case_filter *f, bool codes_only, case_row_fn *fn,
    void *arg, long *count)
{
	struct query q = {0};
	char *match = NULL, **words = NULL;
	int rc;

	*count = 0;
	if ((rc = check_filter_codes(ctx, f)) != 0)
		return rc;
	if (f->query && !store_read_only(ctx->store) && (rc = search_catch_up(ctx->store)) != 0)
		return rc;
	long due_within_end = 0;
	if (f->due_within >= 0 &&
	    !workcal_add(ctx->wc, cal_local_day(ctx->now, NULL), f->due_within, &due_within_end))
		return store_fail_field(ctx->store, "due_within", "%s", workcal_error(ctx->wc));
	build_filter(ctx, f, due_within_end, codes_only, &q, &match, &words);
	struct stmt *st = store_sql_once(ctx->store, q.sql.data);
	for (int i = 0; i < q.n; i++)
		if (q.values[i].text)
			stmt_bind_text(st, q.values[i].text);
		else
			stmt_bind_int(st, q.values[i].num);
	rc = 0;
	while (rc == 0 && stmt_row(st)) {
		rc = fn(ctx, st, arg);
		(*count)++;
	}
	if (rc == 0)
		rc = stmt_status(st);
	stmt_free(st);
	buf_free(&q.sql);
	free(q.values);
	free(match);
	for (char **w = words; w && *w; w++)
		free(*w);
	free(words);
	return rc;
}

struct listing {
	struct printer *p;
	enum case_view_detail detail;
	bool codes_only;	/* the query selected the code alone */
	struct row_memo memo;
};

static int
list_row(struct context *ctx, struct stmt *st, void *arg)
{
	struct listing *l = arg;
	int rc = 0;

	if (l->codes_only)
		put_code(ctx, l->p, stmt_int(st, 0));
	else
		rc = put_view_row(ctx, l->p, st, l->detail, &l->memo);
	printer_row(l->p);
	return rc;
}

int
case_list(struct context *ctx, const struct case_filter *f, enum case_view_detail detail,
    struct printer *p, long *count)
{
	bool codes_only = printer_first_column_only(p);

	return each_case(ctx, f, codes_only, list_row,
	    &(struct listing){.p = p, .detail = detail, .codes_only = codes_only}, count);
}

int
case_show(struct context *ctx, tcode code, enum case_view_detail detail, struct printer *p,
    bool with_events)
{
	struct stmt *st = store_sql(ctx->store, CASE_SELECT " WHERE c.code = ?");

	stmt_bind_int(st, code);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : EXIT_PARTIAL;
	int rc = put_view_row(ctx, p, st, detail, NULL);
	stmt_reset(st);
	if (rc == 0 && with_events)
		rc = case_history(ctx, code, detail, p, true);
	printer_row(p);
	return rc;
}

static const struct column history_columns[] = {
	{"at", COL_TEXT}, {"who", COL_TEXT}, {"what", COL_TEXT},
	{"before", COL_TEXT}, {"after", COL_TEXT}, {"note", COL_TEXT},
};

/* The public history is when, what and the state after, with the note the
 * citizen was sent (the question, the reason): no names, no internal notes. */
static const struct column public_history_columns[] = {
	{"at", COL_TEXT}, {"what", COL_TEXT}, {"state", COL_TEXT}, {"note", COL_TEXT},
};
static const struct column public_history_labels[] = {
	{"زمان", COL_TEXT}, {"رویداد", COL_TEXT}, {"وضعیت", COL_TEXT}, {"توضیح", COL_TEXT},
};
_Static_assert(ARRAY_SIZE(public_history_labels) == ARRAY_SIZE(public_history_columns),
    "a label for every key");

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

/*
 * The moment of the public history an event is, or -1. The public history
 * is what the citizen is told of (notice_vocab: whether or not notices are
 * sent): the case received, and the moves of state_move_notice. Every
 * other event (opinions, deadlines, overdue notices, sends) is internal.
 */
static int
public_moment(const char *what, const char *before, const char *after)
{
	if (strcmp(what, "received") == 0)
		return NOTICE_RECEIVED;
	/* A correction's values are personal data, and never a move. */
	if (strcmp(what, CASE_EDIT_EVENT) == 0)
		return -1;
	int from = before ? vocab_parse(&state_vocab, before) : -1;
	int to = after ? vocab_parse(&state_vocab, after) : -1;
	enum notice_event n = from < 0 || to < 0 ? NOTICE_EVENT_COUNT : state_move_notice(from, to);

	return n == NOTICE_EVENT_COUNT ? -1 : (int)n;
}

static void
put_public_event(struct context *ctx, struct printer *p, struct stmt *st, int moment)
{
	put_public_time(ctx, p, true, (time_t)stmt_int(st, 0));
	printer_text(p, ctx->for_people ? vocab_persian(&notice_vocab, moment)
					: vocab_name(&notice_vocab, moment));
	put_public_word(ctx, p, &state_vocab, stmt_text(st, 4));
	/* What the citizen was sent with the move; every other note is internal. */
	printer_text(p, moment == NOTICE_WAITING || moment == NOTICE_REJECTED ? stmt_text(st, 5)
									      : NULL);
	printer_row(p);
}

int
case_history(struct context *ctx, tcode code, enum case_view_detail detail, struct printer *p,
    bool nested)
{
	struct stmt *st = store_sql(ctx->store, EVENT_SELECT);
	int ncols, moment;
	const struct column *cols = event_columns(detail, &ncols);

	stmt_bind_int(st, code);
	if (nested)
		printer_list_begin(p, cols, ncols);
	while (stmt_row(st)) {
		if (detail == VIEW_PUBLIC) {
			if ((moment = public_moment(stmt_text(st, 2), stmt_text(st, 3),
			    stmt_text(st, 4))) >= 0)
				put_public_event(ctx, p, st, moment);
			continue;
		}
		put_time(ctx, p, st, 0, NULL);
		printer_text(p, stmt_text(st, 1));
		printer_text(p, stmt_text(st, 2));
		put_stored(ctx, p, stmt_text(st, 3));
		put_stored(ctx, p, stmt_text(st, 4));
		printer_text(p, stmt_text(st, 5));
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
	bool public = detail == VIEW_PUBLIC;
	/* The citizen reads Persian labels, in the citizen's digits. */
	struct fmt_options opt = {.persian_digits = public ? ctx->cfg->citizen.persian_digits
							   : ctx->cfg->shown.persian_digits};
	int ncols, rc;
	const struct column *cols = public ? public_labels : case_columns(detail, &ncols);
	if (public)
		ncols = (int)ARRAY_SIZE(public_labels);
	struct printer *p = printer_open(out, FMT_RECORD, cols, ncols, &opt);

	rc = case_show(ctx, code, detail, p, false);
	printer_close(p);
	if (rc != 0)
		return rc;
	cols = public ? public_history_labels : event_columns(detail, &ncols);
	if (public)
		ncols = (int)ARRAY_SIZE(public_history_labels);
	fputs(public ? "\nتاریخچه\n" : "\nhistory\n", out);
	p = printer_open(out, FMT_TABLE, cols, ncols, &opt);
	rc = case_history(ctx, code, detail, p, false);
	return printer_close(p) != 0 && rc == 0 ? EXIT_FATAL : rc;
}

/* --- the public facts, for other public documents -------------------------------- */

/* The time of the last moment of the case's public history (public_moment). */
static int
public_updated(struct context *ctx, long long case_id, time_t *updated)
{
	struct stmt *st = store_sql(ctx->store, "SELECT at, what, before, after FROM event"
	    " WHERE subject_kind = 'case' AND subject_id = ? ORDER BY id");

	stmt_bind_int(st, case_id);
	while (stmt_row(st))
		if (public_moment(stmt_text(st, 1), stmt_text(st, 2), stmt_text(st, 3)) >= 0)
			*updated = (time_t)stmt_int(st, 0);
	return stmt_status(st);
}

struct public_call {
	case_public_fn *fn;
	void *arg;
};

static int
public_row(struct context *ctx, struct stmt *st, void *arg)
{
	struct public_call *call = arg;
	struct case_public c;
	int rc = public_facts(ctx, st, &c);

	if (rc == 0)
		rc = public_updated(ctx, stmt_int(st, COL_ID), &c.updated);
	if (rc == 0)
		rc = call->fn(ctx, &c, call->arg);
	case_public_done(&c);
	return rc;
}

int
case_public_list(struct context *ctx, const struct case_filter *f, case_public_fn *fn,
    void *arg, long *count)
{
	return each_case(ctx, f, false, public_row, &(struct public_call){fn, arg}, count);
}

int
case_public_one(struct context *ctx, tcode code, case_public_fn *fn, void *arg)
{
	struct stmt *st = store_sql(ctx->store, CASE_SELECT " WHERE c.code = ?");

	stmt_bind_int(st, code);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : EXIT_PARTIAL;
	int rc = public_row(ctx, st, &(struct public_call){fn, arg});
	stmt_reset(st);
	return rc;
}
