/* monthly.c — the monthly performance report and the overdue cases (see monthly.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "code.h"
#include "config.h"
#include "exitcode.h"
#include "monthly.h"
#include "notice.h"
#include "page.h"
#include "publish.h"
#include "schema.h"
#include "unit.h"
#include "util.h"

/* --- the month ------------------------------------------------------------ */

static struct report_month
month_of(int y, int m)
{
	struct report_month r = {.y = y, .m = m};
	long first, next;
	int ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;

	cal_jalali_to_jdn(y, m, 1, &first);
	cal_jalali_to_jdn(ny, nm, 1, &next);
	r.start = cal_local_instant(first, 0);
	r.end = cal_local_instant(next, 0);
	return r;
}

struct report_month
report_month_shift(const struct report_month *m, int delta)
{
	int i = m->y * 12 + (m->m - 1) + delta;

	return month_of(i / 12, i % 12 + 1);
}

int
report_month_parse(const char *text, time_t now, struct report_month *out, const char **why)
{
	enum cal_system cal;
	int y, m;

	if (text == NULL) {
		struct ymd d = cal_jdn_to_jalali(cal_local_day(now, NULL));
		struct report_month this = month_of(d.y, d.m);
		*out = report_month_shift(&this, -1);
		return 0;
	}
	if (cal_parse_month(text, CAL_JALALI, &cal, &y, &m, why) != 0)
		return -1;
	if (cal != CAL_JALALI) {
		*why = "a month of the Solar Hijri calendar, as 1405-08";
		return -1;
	}
	*out = month_of(y, m);
	return 0;
}

char *
report_month_text(const struct report_month *m, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d", m->y, m->m);
	return buf;
}

/* --- the figures ------------------------------------------------------------ */

struct load {
	struct context *ctx;
	struct monthly *mo;
	long long *index;	/* unit id -> row + 1 (0: not shown) */
	long long max_id;
};

static struct unit_figures *
row_of(struct load *l, long long unit_id)
{
	if (unit_id < 0 || unit_id > l->max_id || l->index[unit_id] == 0)
		return NULL;
	return &l->mo->rows[l->index[unit_id] - 1];
}

static struct unit_figures *
add_row(struct monthly *mo, long long id, const char *code, const char *name)
{
	mo->rows = xrealloc(mo->rows, (mo->n + 1) * sizeof *mo->rows);
	struct unit_figures *r = &mo->rows[mo->n++];
	memset(r, 0, sizeof *r);
	r->id = id;
	r->code = xstrdup(code);
	r->name = xstrdup(name);
	return r;
}

static int
load_units(struct load *l, const char *unit)
{
	struct stmt *st = store_sql(l->ctx->store,
	    "SELECT id, code, name FROM unit WHERE (? IS NULL OR code = ?) ORDER BY code");

	stmt_bind_text(st, unit);
	stmt_bind_text(st, unit);
	while (stmt_row(st)) {
		long long id = stmt_int(st, 0);
		add_row(l->mo, id, stmt_text(st, 1), stmt_text(st, 2));
		if (id > l->max_id)
			l->max_id = id;
	}
	if (stmt_status(st))
		return stmt_status(st);
	if (unit && l->mo->n == 0)
		return store_failf(l->ctx->store, "no unit %s", unit), EXIT_PARTIAL;
	if (unit == NULL)
		add_row(l->mo, 0, "-", "بدون واحد");
	l->index = xcalloc((size_t)l->max_id + 1, sizeof *l->index);
	for (size_t i = 0; i < l->mo->n; i++)
		l->index[l->mo->rows[i].id] = (long long)i + 1;
	return 0;
}

static int
load_received(struct load *l)
{
	struct stmt *st = store_sql(l->ctx->store,
	    "SELECT coalesce(unit_id, 0), kind, channel, count(*) FROM cases"
	    " WHERE received >= ? AND received < ? GROUP BY coalesce(unit_id, 0), kind, channel");

	stmt_bind_int(st, (long long)l->mo->month.start);
	stmt_bind_int(st, (long long)l->mo->month.end);
	while (stmt_row(st)) {
		struct unit_figures *r = row_of(l, stmt_int(st, 0));
		if (r == NULL)
			continue;
		long n = (long)stmt_int(st, 3);
		int k = vocab_parse(&kind_vocab, stmt_text(st, 1));
		int c = vocab_parse(&channel_vocab, stmt_text(st, 2));
		r->received += n;
		if (k >= 0)
			r->by_kind[k] += n;
		if (c >= 0)
			r->by_channel[c] += n;
	}
	return stmt_status(st);
}

struct answer_days {
	struct unit_figures *r;
	long from, to;	/* local days received and answered */
};

/*
 * Working days to answer: the days of the month's answers are gathered
 * first, then counted from one running count of working days over the span
 * they cover, so that a month of answers asks the calendar once a day, not
 * once a case.
 */
static void
count_days(struct context *ctx, struct answer_days *a, size_t n)
{
	long lo = 0, hi = 0;

	for (size_t i = 0; i < n; i++) {
		if (i == 0 || a[i].from < lo)
			lo = a[i].from;
		if (i == 0 || a[i].to > hi)
			hi = a[i].to;
	}
	long *upto = xcalloc((size_t)(hi - lo + 1), sizeof *upto);	/* working days in (lo, d] */
	for (long d = lo + 1; d <= hi; d++)
		upto[d - lo] = upto[d - lo - 1] + workcal_is_working(ctx->wc, d);
	for (size_t i = 0; i < n; i++) {
		struct unit_figures *r = a[i].r;
		long v = a[i].to >= a[i].from ? upto[a[i].to - lo] - upto[a[i].from - lo] : 0;
		if (r->ndays == r->cap_days) {
			r->cap_days = r->cap_days ? 2 * r->cap_days : 64;
			r->days = xrealloc(r->days, r->cap_days * sizeof *r->days);
		}
		r->days[r->ndays++] = v;
	}
	free(upto);
}

static int
load_answered(struct load *l)
{
	struct stmt *st = store_sql(l->ctx->store,
	    "SELECT coalesce(unit_id, 0), received, answered, due FROM cases"
	    " WHERE answered >= ? AND answered < ?");
	struct answer_days *a = NULL;
	size_t n = 0, cap = 0;

	stmt_bind_int(st, (long long)l->mo->month.start);
	stmt_bind_int(st, (long long)l->mo->month.end);
	while (stmt_row(st)) {
		struct unit_figures *r = row_of(l, stmt_int(st, 0));
		if (r == NULL)
			continue;
		time_t received = (time_t)stmt_int(st, 1), answered = (time_t)stmt_int(st, 2);
		r->answered++;
		if (!stmt_null(st, 3)) {
			r->with_deadline++;
			if (answered <= (time_t)stmt_int(st, 3))
				r->on_time++;
		}
		if (n == cap)
			a = xrealloc(a, (cap = cap ? 2 * cap : 1024) * sizeof *a);
		a[n++] = (struct answer_days){r, cal_local_day(received, NULL), cal_local_day(answered, NULL)};
	}
	if (stmt_status(st) == 0 && n)
		count_days(l->ctx, a, n);
	free(a);
	return stmt_status(st);
}

/* Open now; overdue now (the clock running and past due); before the committee now. */
static int
load_open(struct load *l)
{
	struct stmt *st = store_sql(l->ctx->store,
	    "SELECT coalesce(unit_id, 0), state, due FROM cases WHERE " CASES_OPEN);

	while (stmt_row(st)) {
		struct unit_figures *r = row_of(l, stmt_int(st, 0));
		if (r == NULL)
			continue;
		int state = vocab_parse(&state_vocab, stmt_text(st, 1));
		r->open++;
		if (state >= 0 && (STATES_CLOCK_RUNS & (1u << state)) && !stmt_null(st, 2) &&
		    (time_t)stmt_int(st, 2) < l->mo->now)
			r->overdue++;
		if (state == STATE_COMMITTEE)
			r->before_committee++;
	}
	return stmt_status(st);
}

/* The month's events of note (EVENT_NOTABLE), by the unit the case is with now. */
static int
load_events(struct load *l)
{
	struct stmt *st = store_sql(l->ctx->store,
	    "SELECT coalesce(c.unit_id, 0), e.what, e.after, e.note FROM event e"
	    " JOIN cases c ON c.id = e.subject_id"
	    " WHERE " EVENT_NOTABLE " AND e.at >= ? AND e.at < ? AND e.subject_kind = 'case'");

	stmt_bind_int(st, (long long)l->mo->month.start);
	stmt_bind_int(st, (long long)l->mo->month.end);
	while (stmt_row(st)) {
		struct unit_figures *r = row_of(l, stmt_int(st, 0));
		const char *what = stmt_text(st, 1), *note = stmt_null(st, 3) ? "" : stmt_text(st, 3);
		if (r == NULL)
			continue;
		if (!strcmp(what, "reopen"))
			r->reopened++;
		else if (!strcmp(what, "state"))
			r->rejected++;
		else if (!strcmp(what, "route"))
			r->escalated++;
		else if (!strcmp(what, "review"))
			r->to_committee++;
		else if (!strncmp(note, "accepted", 8))
			r->accepted++;
		else
			r->declined++;
	}
	return stmt_status(st);
}

static int
survey_month(const struct report_month *m)
{
	return m->y * 100 + m->m;
}

/* Satisfaction: of the answers to 1-5 questions of every survey in the month, 4 or 5. */
static int
load_surveys(struct load *l)
{
	struct stmt *st = store_sql(l->ctx->store,
	    "SELECT t.unit_id, t.value, sum(t.n) FROM survey_tally t"
	    " JOIN survey_question q ON q.id = t.question_id"
	    " WHERE q.kind = 'scale' AND t.month = ? AND t.value IN (0, 4, 5)"
	    " GROUP BY t.unit_id, t.value");

	stmt_bind_int(st, survey_month(&l->mo->month));
	while (stmt_row(st)) {
		struct unit_figures *r = row_of(l, stmt_int(st, 0));
		if (r == NULL)
			continue;
		if (stmt_int(st, 1) == 0)
			r->rated += (long)stmt_int(st, 2);
		else
			r->satisfied += (long)stmt_int(st, 2);
	}
	if (stmt_status(st))
		return stmt_status(st);
	st = store_sql(l->ctx->store,
	    "SELECT coalesce(unit_id, 0), count(*) FROM survey_response WHERE month = ?"
	    " GROUP BY coalesce(unit_id, 0)");
	stmt_bind_int(st, survey_month(&l->mo->month));
	while (stmt_row(st)) {
		struct unit_figures *r = row_of(l, stmt_int(st, 0));
		if (r)
			r->responses += (long)stmt_int(st, 1);
	}
	return stmt_status(st);
}

static int
load_drafts(struct load *l)
{
	struct stmt *st = store_sql(l->ctx->store,
	    "SELECT d.unit_id, d.opened >= ? AND d.opened < ?,"
	    " coalesce(d.closed >= ? AND d.closed < ?, false),"
	    " (SELECT count(*) FROM draft_comment dc WHERE dc.draft_id = d.id)"
	    " FROM draft d WHERE (d.opened >= ? AND d.opened < ?) OR (d.closed >= ? AND d.closed < ?)");

	for (int i = 0; i < 4; i++) {
		stmt_bind_int(st, (long long)l->mo->month.start);
		stmt_bind_int(st, (long long)l->mo->month.end);
	}
	while (stmt_row(st)) {
		struct unit_figures *r = row_of(l, stmt_int(st, 0));
		if (r == NULL)
			continue;
		r->drafts_opened += stmt_int(st, 1) != 0;
		if (stmt_int(st, 2)) {
			r->drafts_closed++;
			r->draft_comments += (long)stmt_int(st, 3);
		}
	}
	return stmt_status(st);
}

static long long
event_at(struct store *s, long long from_id, long long *id)
{
	struct stmt *st = store_sql(s, "SELECT id, at FROM event WHERE id >= ? ORDER BY id LIMIT 1");
	long long at = -1;

	stmt_bind_int(st, from_id);
	if (stmt_row(st)) {
		*id = stmt_int(st, 0);
		at = stmt_int(st, 1);
		stmt_reset(st);
	}
	return at;
}

/*
 * The head of the chain at the month's end: the last event before the
 * first one dated at or after it. Events are appended in the order of
 * their times (within AUDIT_CLOCK_SLACK), so a search by id finds it in a
 * few lookups, with no index of times.
 */
static int
load_head(struct load *l)
{
	struct store *s = l->ctx->store;
	/* max() alone: SQLite reads the last row, where min() beside it would read all. */
	struct stmt *st = store_sql(s, "SELECT max(id) FROM event");
	long long lo = 0, hi = 0, first = 0;
	time_t end = l->mo->month.end < l->mo->now ? l->mo->month.end : l->mo->now + 1;

	memset(&l->mo->head, 0, sizeof l->mo->head);
	if (stmt_row(st)) {
		hi = stmt_null(st, 0) ? 0 : stmt_int(st, 0);
		stmt_reset(st);
	}
	if (stmt_status(st))
		return stmt_status(st);
	if (hi == 0 || event_at(s, 0, &first) >= end)
		return 0;
	lo = first;
	/* at(lo) < end; find the last id whose event is dated before end. */
	while (lo < hi) {
		long long mid = lo + (hi - lo + 1) / 2, found = mid;
		long long at = event_at(s, mid, &found);
		if (at >= 0 && at < end)
			lo = found;
		else
			hi = mid - 1;
	}
	/* Events are numbered from the first on without a gap (the chain's check
	 * reports a missing one): counting them would read every one. */
	st = store_sql(s, "SELECT id, hash FROM event WHERE id <= ? ORDER BY id DESC LIMIT 1");
	stmt_bind_int(st, lo);
	if (stmt_row(st)) {
		size_t n;
		const void *hash = stmt_blob(st, 1, &n);
		l->mo->head.last = stmt_int(st, 0);
		l->mo->head.count = l->mo->head.last - first + 1;
		if (n == sizeof l->mo->head.hash)
			memcpy(l->mo->head.hash, hash, n);
		l->mo->head.at = end;
		stmt_reset(st);
	}
	return stmt_status(st);
}

static void
add_into(struct unit_figures *t, const struct unit_figures *r)
{
	t->received += r->received;
	for (int k = 0; k < KIND_COUNT; k++)
		t->by_kind[k] += r->by_kind[k];
	for (int c = 0; c < CHANNEL_COUNT; c++)
		t->by_channel[c] += r->by_channel[c];
	long *const sums[][2] = {
		{&t->answered, (long *)&r->answered}, {&t->with_deadline, (long *)&r->with_deadline},
		{&t->on_time, (long *)&r->on_time}, {&t->open, (long *)&r->open},
		{&t->overdue, (long *)&r->overdue}, {&t->reopened, (long *)&r->reopened},
		{&t->rejected, (long *)&r->rejected}, {&t->escalated, (long *)&r->escalated},
		{&t->to_committee, (long *)&r->to_committee}, {&t->accepted, (long *)&r->accepted},
		{&t->declined, (long *)&r->declined}, {&t->before_committee, (long *)&r->before_committee},
		{&t->responses, (long *)&r->responses}, {&t->satisfied, (long *)&r->satisfied},
		{&t->rated, (long *)&r->rated}, {&t->drafts_opened, (long *)&r->drafts_opened},
		{&t->drafts_closed, (long *)&r->drafts_closed},
		{&t->draft_comments, (long *)&r->draft_comments},
	};
	for (size_t i = 0; i < ARRAY_SIZE(sums); i++)
		*sums[i][0] += *sums[i][1];
	if (r->ndays == 0)
		return;
	t->days = xrealloc(t->days, (t->ndays + r->ndays) * sizeof *t->days);
	memcpy(t->days + t->ndays, r->days, r->ndays * sizeof *r->days);
	t->ndays += r->ndays;
	t->cap_days = t->ndays;
}

static bool
has_figures(const struct unit_figures *r)
{
	return r->received || r->answered || r->open || r->reopened || r->rejected || r->escalated ||
	    r->to_committee || r->accepted || r->declined || r->responses;
}

static int
compare_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

int
monthly_load(struct context *ctx, const struct report_month *m, const char *unit,
    struct monthly *out)
{
	struct load l = {.ctx = ctx, .mo = out};
	int (*const steps[])(struct load *) = {
		load_received, load_answered, load_open, load_events, load_surveys, load_drafts,
		load_head,
	};
	int rc;

	memset(out, 0, sizeof *out);
	out->month = *m;
	out->now = ctx->now;
	if ((rc = store_read_begin(ctx->store)) != 0)
		return rc;
	if ((rc = load_units(&l, unit)) != 0)
		goto out;
	for (size_t i = 0; rc == 0 && i < ARRAY_SIZE(steps); i++)
		rc = steps[i](&l);
	if (rc != 0)
		goto out;
	/* The row of cases with no unit only when there are some. */
	if (unit == NULL && !has_figures(&out->rows[out->n - 1])) {
		struct unit_figures *r = &out->rows[--out->n];
		free(r->code);
		free(r->name);
		free(r->days);
	}
	if (unit == NULL) {
		size_t n = out->n;
		struct unit_figures *t = add_row(out, -1, "total", "همه واحدها");
		for (size_t i = 0; i < n; i++)
			add_into(t, &out->rows[i]);
	}
	for (size_t i = 0; i < out->n; i++)
		if (out->rows[i].ndays)
			qsort(out->rows[i].days, out->rows[i].ndays, sizeof(long), compare_long);
out:
	store_read_end(ctx->store);
	free(l.index);
	if (rc != 0)
		monthly_free(out);
	return rc;
}

void
monthly_free(struct monthly *mo)
{
	for (size_t i = 0; i < mo->n; i++) {
		free(mo->rows[i].code);
		free(mo->rows[i].name);
		free(mo->rows[i].days);
	}
	free(mo->rows);
	mo->rows = NULL;
	mo->n = 0;
}

char *
monthly_head_text(const struct audit_head *h)
{
	char hex[65], at[32];

	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h->hash[i]);
	return xasprintf("events=%lld last=%lld hash=%s at=%s", h->count, h->last, hex,
	    cal_format_rfc3339(h->at, at, sizeof at));
}

/* The value at rank ceil(q n) of the sorted days (nearest rank); -1: none. */
static long
rank(const struct unit_figures *r, double q)
{
	if (r->ndays == 0)
		return -1;
	size_t k = (size_t)ceil(q * (double)r->ndays);
	return r->days[k ? k - 1 : 0];
}

/* --- through the printer ------------------------------------------------------ */

static const struct column monthly_cols[] = {
	{"month", COL_TEXT}, {"unit", COL_TEXT}, {"name", COL_TEXT}, {"received", COL_INT},
	{"by_kind", COL_LIST}, {"by_channel", COL_LIST}, {"answered", COL_INT},
	{"on_time", COL_INT}, {"on_time_share", COL_REAL}, {"days_median", COL_INT},
	{"days_p90", COL_INT}, {"open", COL_INT}, {"overdue", COL_INT}, {"reopened", COL_INT},
	{"rejected", COL_INT}, {"escalated", COL_INT}, {"to_committee", COL_INT},
	{"accepted", COL_INT}, {"declined", COL_INT}, {"before_committee", COL_INT},
	{"responses", COL_INT}, {"satisfied_share", COL_REAL}, {"drafts_opened", COL_INT},
	{"drafts_closed", COL_INT}, {"draft_comments", COL_INT}, {"chain_head", COL_TEXT},
};
static const struct column count_cols[] = {{"name", COL_TEXT}, {"count", COL_INT}};

const struct column *
monthly_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(monthly_cols);
	return monthly_cols;
}

static void
put_counts(struct printer *p, const struct vocab *v, const long *counts, int n)
{
	printer_list_begin(p, count_cols, 2);
	for (int i = 0; i < n; i++)
		if (counts[i]) {
			printer_text(p, vocab_name(v, i));
			printer_int(p, counts[i]);
			printer_row(p);
		}
	printer_list_end(p);
}

static void
put_share(struct printer *p, long part, long whole)
{
	printer_real(p, whole ? (double)part / (double)whole : NAN, 3);
}

static void
put_maybe(struct printer *p, long v)
{
	if (v < 0)
		printer_text(p, NULL);
	else
		printer_int(p, v);
}

void
monthly_print(const struct monthly *mo, struct printer *p)
{
	char month[16];

	report_month_text(&mo->month, month, sizeof month);
	for (size_t i = 0; i < mo->n; i++) {
		const struct unit_figures *r = &mo->rows[i];
		printer_text(p, month);
		printer_text(p, r->code);
		printer_text(p, r->name);
		printer_int(p, r->received);
		put_counts(p, &kind_vocab, r->by_kind, KIND_COUNT);
		put_counts(p, &channel_vocab, r->by_channel, CHANNEL_COUNT);
		printer_int(p, r->answered);
		printer_int(p, r->on_time);
		put_share(p, r->on_time, r->with_deadline);
		put_maybe(p, rank(r, 0.5));
		put_maybe(p, rank(r, 0.9));
		long v[] = {r->open, r->overdue, r->reopened, r->rejected, r->escalated,
			r->to_committee, r->accepted, r->declined, r->before_committee, r->responses};
		for (size_t k = 0; k < ARRAY_SIZE(v); k++)
			printer_int(p, v[k]);
		put_share(p, r->satisfied, r->rated);
		printer_int(p, r->drafts_opened);
		printer_int(p, r->drafts_closed);
		printer_int(p, r->draft_comments);
		char *head = i + 1 == mo->n && mo->head.count ? monthly_head_text(&mo->head) : NULL;
		printer_text(p, head);
		free(head);
		printer_row(p);
	}
}

/* --- as a page --------------------------------------------------------------- */

static const struct column share_cols[] = {{"unit", COL_TEXT}, {"share", COL_REAL}};

static void
share_rows(struct printer *p, const void *arg)
{
	const struct monthly *mo = arg;

	for (size_t i = 0; i < mo->n; i++)
		if (mo->rows[i].id > 0) {
			printer_text(p, mo->rows[i].name);
			put_share(p, mo->rows[i].on_time, mo->rows[i].with_deadline);
			printer_row(p);
		}
}

struct trend {
	struct context *ctx;
	struct report_month months[12];
	long received[12], on_time[12];
	const char *unit;
};

static const struct column trend_cols[] = {
	{"month", COL_TEXT}, {"received", COL_INT}, {"on_time", COL_INT},
};

static void
trend_rows(struct printer *p, const void *arg)
{
	const struct trend *t = arg;

	for (int i = 0; i < 12; i++) {
		char latin[16], shown[48];
		report_month_text(&t->months[i], latin, sizeof latin);
		printer_text(p, cal_format_digits(latin, t->ctx->cfg->shown, shown, sizeof shown));
		printer_int(p, t->received[i]);
		printer_int(p, t->on_time[i]);
		printer_row(p);
	}
}

/* Received, and answered on time, in each of the 12 months to this one: counts alone,
 * each read from an index without visiting a case. */
static int
load_trend(struct context *ctx, const struct monthly *mo, const char *unit, struct trend *t)
{
	static const char *const sql[2] = {
		"SELECT count(*) FROM cases WHERE received >= ? AND received < ?"
		" AND (? IS NULL OR unit_id = (SELECT id FROM unit WHERE code = ?))",
		"SELECT count(*) FROM cases WHERE answered >= ? AND answered < ? AND answered <= due"
		" AND (? IS NULL OR unit_id = (SELECT id FROM unit WHERE code = ?))",
	};

	t->ctx = ctx;
	t->unit = unit;
	for (int i = 0; i < 12; i++) {
		t->months[i] = report_month_shift(&mo->month, i - 11);
		long *into[] = {t->received, t->on_time};
		for (int k = 0; k < 2; k++) {
			struct stmt *st = store_sql(ctx->store, sql[k]);	/* bound afresh */
			stmt_bind_int(st, (long long)t->months[i].start);
			stmt_bind_int(st, (long long)t->months[i].end);
			stmt_bind_text(st, unit);
			stmt_bind_text(st, unit);
			into[k][i] = 0;
			if (stmt_row(st)) {
				into[k][i] = (long)stmt_int(st, 0);
				stmt_reset(st);
			}
			if (stmt_status(st))
				return stmt_status(st);
		}
	}
	return 0;
}

static const char *const html_heads[] = {
	"واحد", "دریافتی", "پاسخ‌داده", "به‌موقع", "سهم به‌موقع", "روز کاری (میانه)",
	"روز کاری (صدک ۹۰)", "باز", "دیرکرد", "بازگشایی", "رد", "ارجاع به بالا", "به کمیسیون",
	"پذیرفته", "نپذیرفته", "در کمیسیون", "پاسخ نظرسنجی", "رضایت", "پیش‌نویس باز شده",
	"پیش‌نویس بسته شده", "نظر بر پیش‌نویس‌های بسته",
};

static void
cell_number(xmlNodePtr tr, long v, struct cal_style s)
{
	char buf[48];

	page_add(tr, "td", v < 0 ? "—" : cal_format_number(v, s, buf, sizeof buf));
}

static void
cell_share(xmlNodePtr tr, long part, long whole, struct cal_style s)
{
	char latin[24], buf[64];

	if (whole == 0) {
		page_add(tr, "td", "—");
		return;
	}
	snprintf(latin, sizeof latin, "%.0f٪", 100.0 * (double)part / (double)whole);
	page_add(tr, "td", cal_format_digits(latin, s, buf, sizeof buf));
}

/* The figures of a row in the order of html_heads (after the unit): a count,
 * or a share (whole[i] >= 0), or none (-1). */
static void
row_figures(const struct unit_figures *r, long v[20], long whole[20])
{
	long all[20] = {r->received, r->answered, r->on_time, r->on_time, rank(r, 0.5), rank(r, 0.9),
		r->open, r->overdue, r->reopened, r->rejected, r->escalated, r->to_committee,
		r->accepted, r->declined, r->before_committee, r->responses, r->satisfied,
		r->drafts_opened, r->drafts_closed, r->draft_comments};

	memcpy(v, all, sizeof all);
	for (int i = 0; i < 20; i++)
		whole[i] = i == 3 ? r->with_deadline : i == 16 ? r->rated : -1;
}

/* One table of the figures from..to (indexes of row_figures), a row a unit. */
static void
figures_table(xmlNodePtr parent, const struct monthly *mo, int from, int to, struct cal_style s)
{
	xmlNodePtr div = page_add_class(parent, "div", "wide", NULL);
	xmlNodePtr table = page_add_class(div, "table", "figures", NULL);
	xmlNodePtr tr = page_add(table, "tr", NULL);

	page_add(tr, "th", html_heads[0]);
	for (int i = from; i <= to; i++)
		page_add(tr, "th", html_heads[i + 1]);
	for (size_t k = 0; k < mo->n; k++) {
		const struct unit_figures *r = &mo->rows[k];
		long v[20], whole[20];
		row_figures(r, v, whole);
		tr = page_add(table, "tr", NULL);
		if (r->id < 0)
			page_attr(tr, "class", "total");
		page_add(tr, "th", r->name);
		for (int i = from; i <= to; i++)
			if (whole[i] >= 0)
				cell_share(tr, v[i], whole[i], s);
			else
				cell_number(tr, v[i], s);
	}
}

static void
kinds_table(xmlNodePtr parent, const struct unit_figures *t, struct cal_style s)
{
	xmlNodePtr table = page_add_class(parent, "table", "figures", NULL);
	xmlNodePtr tr = page_add(table, "tr", NULL);

	page_add(tr, "th", "نوع");
	page_add(tr, "th", "شمار");
	for (int k = 0; k < KIND_COUNT; k++) {
		tr = page_add(table, "tr", NULL);
		page_add(tr, "th", vocab_persian(&kind_vocab, k));
		cell_number(tr, t->by_kind[k], s);
	}
	tr = page_add(table, "tr", NULL);
	page_add(tr, "th", "مسیر");
	page_add(tr, "th", "شمار");
	for (int c = 0; c < CHANNEL_COUNT; c++) {
		tr = page_add(table, "tr", NULL);
		page_add(tr, "th", vocab_persian(&channel_vocab, c));
		cell_number(tr, t->by_channel[c], s);
	}
}

static void
head_html(xmlNodePtr parent, const struct monthly *mo, struct cal_style s)
{
	char when[64], *text = monthly_head_text(&mo->head);

	page_add(parent, "h2", "گواه ثبت رویدادها");
	if (mo->head.count == 0) {
		page_add(parent, "p", "تا پایان این ماه رویدادی ثبت نشده است.");
		free(text);
		return;
	}
	cal_format_time(mo->head.at, s, when, sizeof when);
	char *say = xasprintf("سر زنجیره رویدادها در %s. هر کس این گزارش را دارد می‌تواند بعدها با "
	    "«pdb check --against» نشان دهد که هیچ رویدادی تا این‌جا دگرگون نشده است:", when);
	page_add(parent, "p", say);
	free(say);
	xmlNodePtr code = page_add_class(parent, "p", "chain-head", text);
	page_attr(code, "dir", "ltr");
	free(text);
}

int
monthly_html(struct context *ctx, const struct monthly *mo, const char *unit, char **html,
    size_t *n, char **why)
{
	struct cal_style s = ctx->cfg->shown;
	struct page p;
	char *frame = xasprintf("%s/%s", config_share_dir(NULL), PUBLISH_FRAME), buf[96], made[64];
	const struct unit_figures *total = &mo->rows[mo->n - 1];
	struct trend t;
	int rc;

	snprintf(buf, sizeof buf, "گزارش عملکرد ماه %s %s", cal_jalali_month_name(mo->month.m),
	    cal_format_number(mo->month.y, (struct cal_style){CAL_JALALI, s.persian_digits},
	    made, sizeof made));
	rc = page_open(&p, frame, buf, why);
	free(frame);
	if (rc != 0)
		return EXIT_FATAL;
	if ((rc = load_trend(ctx, mo, unit, &t)) != 0) {
		page_close(&p);
		*why = xstrdup(store_error(ctx->store));
		return rc;
	}
	char *css = xasprintf("%s/partake.css", config_share_dir(NULL));
	page_inline_style(&p, css);
	free(css);
	page_add(p.content, "h1", buf);
	long first = cal_local_day(mo->month.start, NULL), last = cal_local_day(mo->month.end, NULL) - 1;
	char a[64], b[64];
	char *span = xasprintf("از %s تا %s؛ تهیه‌شده در %s", cal_format_long(first, s, a, sizeof a),
	    cal_format_long(last, s, b, sizeof b), cal_format_time(ctx->now, s, made, sizeof made));
	page_add_class(p.content, "p", "period", span);
	free(span);
	page_add(p.content, "h2", "پاسخ‌گویی");
	figures_table(p.content, mo, 0, 7, s);
	page_add(p.content, "h2", "بازگشایی، رد، ارجاع و کمیسیون");
	figures_table(p.content, mo, 8, 14, s);
	page_add(p.content, "h2", "نظرسنجی و پیش‌نویس‌ها");
	figures_table(p.content, mo, 15, 19, s);
	page_add(p.content, "h2", "روند دوازده ماه: دریافتی و پاسخ به‌موقع");
	page_add_chart(p.content, trend_cols, 3, &(struct fmt_options){.persian_digits = s.persian_digits,
	    .chart_label = "month",
	    .chart_series = "received,on_time", .chart_legend = "دریافتی,پاسخ به‌موقع",
	    .chart_title = "دریافتی و پاسخ به‌موقع در هر ماه"}, trend_rows, &t);
	if (unit == NULL) {
		page_add(p.content, "h2", "سهم پاسخ به‌موقع هر واحد");
		page_add_chart(p.content, share_cols, 2, &(struct fmt_options){.chart_label = "unit",
		    .chart_value = "share", .chart_title = "سهم پاسخ‌های به‌موقع در این ماه"},
		    share_rows, mo);
	}
	page_add(p.content, "h2", "دریافتی به نوع و مسیر");
	kinds_table(p.content, total, s);
	head_html(p.content, mo, s);
	page_render(&p, html, n);
	page_close(&p);
	return 0;
}

int
monthly_write(struct context *ctx, const struct monthly *mo, const char *unit, const char *path,
    char **written, char **why)
{
	char month[16], *html, *dir, *name;
	size_t n;
	int rc;

	*written = NULL;
	if (path == NULL && ctx->cfg->web_dir == NULL) {
		*why = xstrdup("no web_dir in the configuration to publish into");
		return EXIT_FATAL;
	}
	if ((rc = monthly_html(ctx, mo, unit, &html, &n, why)) != 0)
		return rc;
	report_month_text(&mo->month, month, sizeof month);
	if (path) {
		rc = page_write_path(path, html, n, why) == 0 ? 0 : EXIT_FATAL;
		*written = rc == 0 ? xstrdup(path) : NULL;
		free(html);
		return rc;
	}
	dir = xstrdup(ctx->cfg->web_dir);
	name = xasprintf("reports/monthly-%s%s%s.html", month, unit ? "-" : "", unit ? unit : "");
	if (page_write(dir, name, html, n, why) != 0)
		rc = EXIT_FATAL;
	else
		*written = xasprintf("%s/%s", dir, name);
	free(html);
	free(dir);
	free(name);
	return rc;
}

/* The figures of the report's last row as lines of text, for the mail's text part. */
static char *
monthly_text(struct context *ctx, const struct monthly *mo)
{
	struct cal_style s = ctx->cfg->shown;
	const struct unit_figures *r = &mo->rows[mo->n - 1];
	struct buf b = {0};
	char v[10][48], *head = monthly_head_text(&mo->head);

	buf_addf(&b, "%s — %s %s\n\n", r->name, cal_jalali_month_name(mo->month.m),
	    cal_format_number(mo->month.y, s, v[0], sizeof v[0]));
	long figures[] = {r->received, r->answered, r->on_time, r->open, r->overdue, r->reopened,
		r->rejected, r->escalated};
	for (size_t i = 0; i < ARRAY_SIZE(figures); i++)
		buf_addf(&b, "%s: %s\n", html_heads[i < 3 ? i + 1 : i + 4],
		    cal_format_number(figures[i], s, v[1], sizeof v[1]));
	buf_addf(&b, "\n%s\n", mo->head.count ? head : "");
	free(head);
	return b.data;
}

int
monthly_mail(struct context *ctx, const struct monthly *mo, const char *unit, const char *to,
    bool *queued)
{
	char month[16], key[200], *html, *why = NULL;
	size_t n;
	int rc;
	long long unit_id = mo->rows[mo->n - 1].id;

	if ((rc = monthly_html(ctx, mo, unit, &html, &n, &why)) != 0) {
		rc = store_failf(ctx->store, "%s", why ? why : "the page");
		free(why);
		return rc;
	}
	report_month_text(&mo->month, month, sizeof month);
	snprintf(key, sizeof key, "monthly:%s:%s:%.120s", month, unit ? unit : "all", to ? to : "");
	char *text = monthly_text(ctx, mo);
	char *subject = xasprintf("گزارش عملکرد ماهانه %s — %s", mo->rows[mo->n - 1].name, month);
	if ((rc = store_begin(ctx->store)) == 0) {
		rc = notice_queue_report(ctx, unit_id > 0 ? unit_id : 0, to, key, subject, text, html,
		    queued);
		rc = rc == 0 ? store_commit(ctx->store) : (store_rollback(ctx->store), rc);
	}
	free(text);
	free(subject);
	free(html);
	return rc;
}

int
monthly_emit(struct context *ctx, const struct monthly *mo, const char *unit,
    const struct monthly_out *o, FILE *out, bool *queued, char **written, char **why)
{
	int rc = 0;

	*queued = false;
	*written = NULL;
	*why = NULL;
	if (o->mail && (rc = monthly_mail(ctx, mo, unit, o->to, queued)) != 0) {
		*why = xstrdup(store_error(ctx->store));
		return rc;
	}
	if ((o->path || o->publish) && (rc = monthly_write(ctx, mo, unit, o->path, written, why)) != 0)
		return rc;
	if (o->page) {
		char *page;
		size_t n;
		if ((rc = monthly_html(ctx, mo, unit, &page, &n, why)) != 0)
			return rc;
		if (fwrite(page, 1, n, out) != n)
			rc = EXIT_FATAL, *why = xstrdup("write error");
		free(page);
	}
	return rc;
}

int
monthly_run(struct context *ctx, const char *month, bool each, const char *unit,
    const struct monthly_out *o, struct printer *p, FILE *log, char **why)
{
	struct report_month m0, *m = &m0;
	struct monthly mo;
	const char *bad;
	char *written, *one[] = {(char *)unit, NULL};
	char **list = each ? unit_codes(ctx->store, o->to == NULL) : NULL, **units = each ? list : unit ? one : NULL;
	bool queued;
	int rc = 0;

	*why = NULL;
	if (report_month_parse(month, ctx->now, m, &bad) != 0) {
		*why = xasprintf("month %s: %s", month, bad);
		unit_codes_free(list);
		return EXIT_USAGE;
	}
	for (size_t i = 0; rc == 0 && (units ? units[i] != NULL : i == 0); i++) {
		const char *unit = units ? units[i] : NULL;
		if ((rc = monthly_load(ctx, m, unit, &mo)) != 0) {
			*why = xstrdup(store_error(ctx->store));
			break;
		}
		if ((rc = monthly_emit(ctx, &mo, unit, o, stdout, &queued, &written, why)) == 0) {
			if (o->mail && log)
				fprintf(log, "preport: %s: %s\n", unit ? unit : o->to ? o->to : "all",
				    queued ? "queued" : "queued before: nothing sent");
			if (written)
				printf("%s\n", written);	/* what it changed, for the next command */
			free(written);
			if (p)
				monthly_print(&mo, p);
		}
		monthly_free(&mo);
	}
	unit_codes_free(list);
	return rc;
}

/* --- the overdue cases ------------------------------------------------------- */

static const struct column overdue_cols[] = {
	{"unit", COL_TEXT}, {"code", COL_TEXT}, {"kind", COL_TEXT}, {"state", COL_TEXT},
	{"received", COL_TEXT}, {"due", COL_TEXT}, {"days_overdue", COL_INT}, {"level", COL_INT},
	{"subject", COL_TEXT},
};

const struct column *
overdue_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(overdue_cols);
	return overdue_cols;
}

long
overdue_days(struct context *ctx, time_t due, time_t now)
{
	long n = workcal_between(ctx->wc, cal_local_day(due, NULL), cal_local_day(now, NULL));

	return n < 0 ? 0 : n;
}

static const char *
overdue_sql(void)
{
	static char *sql;

	if (sql == NULL)
		sql = xasprintf("SELECT coalesce(u.code, '-'), c.code, c.kind, c.state, c.received, c.due,"
		    " (SELECT max(level) FROM overdue_notice o WHERE o.case_id = c.id), c.subject"
		    " FROM cases c LEFT JOIN unit u ON u.id = c.unit_id"
		    " WHERE " CASES_OPEN " AND c.state IN %s AND c.due < ? AND (? IS NULL OR u.code = ?)"
		    " ORDER BY coalesce(u.code, '-'), c.due, c.code",
		    vocab_sql_in(&state_vocab, STATES_CLOCK_RUNS));
	return sql;
}

int
overdue_list(struct context *ctx, const char *unit, struct printer *p, long *count)
{
	struct stmt *st = store_sql(ctx->store, overdue_sql());
	struct cal_style s = cal_latin(ctx->cfg->shown.cal);

	*count = 0;
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_text(st, unit);
	stmt_bind_text(st, unit);
	while (stmt_row(st)) {
		char code[24], received[48], due[48];
		printer_text(p, stmt_text(st, 0));
		code_format((tcode)stmt_int(st, 1), code, sizeof code);
		printer_text(p, code);
		printer_text(p, stmt_text(st, 2));
		printer_text(p, stmt_text(st, 3));
		printer_text(p, cal_format_time((time_t)stmt_int(st, 4), s, received, sizeof received));
		printer_text(p, cal_format_time((time_t)stmt_int(st, 5), s, due, sizeof due));
		printer_int(p, overdue_days(ctx, (time_t)stmt_int(st, 5), ctx->now));
		printer_int(p, stmt_null(st, 6) ? 0 : stmt_int(st, 6));
		printer_text(p, stmt_text(st, 7));
		printer_row(p);
		(*count)++;
	}
	return stmt_status(st);
}
