/*
 * surveysum.c — the summary of a survey's responses from their counts by
 * group (survey_tally), and its constructive comments.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "stats.h"
#include "survey.h"
#include "surveysum.h"
#include "text.h"
#include "util.h"

static const char *const by_words[BY_COUNT] = {"service", "unit", "channel", "month"};
const char *const summary_by_names = "service, unit, channel, month";
/* The SQL of each grouping column of survey_tally: ours, never the user's. */
static const char *const by_sql[BY_COUNT] = {"sv.code", "u.code", "t.channel", "t.month"};

const char *const summary_definition =
    "share: of a 1-5 question, the satisfied share, who answered 4 or 5; of a yes/no question, "
    "who said yes; of an option, who chose it (each option counted on its own). low-high: its "
    "95% Wilson interval. flag: up or down when the interval does not overlap the previous "
    "month's. sd: the sample standard deviation.";

const char *
summary_by_parse(char *list, struct summary_query *q)
{
	char *save = NULL;

	q->nby = 0;
	for (char *w = strtok_r(list, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		int k = -1;
		for (int i = 0; i < BY_COUNT; i++)
			if (strcmp(w, by_words[i]) == 0)
				k = i;
		if (k < 0)
			return w;
		bool twice = false;
		for (int i = 0; i < q->nby; i++)
			twice |= q->by[i] == k;
		if (!twice)
			q->by[q->nby++] = k;
	}
	return NULL;
}

enum { FIXED_HEAD = 4, FIXED_TAIL = 19 };
static const struct column head[FIXED_HEAD] = {
	{"survey", COL_TEXT}, {"version", COL_INT}, {"question", COL_TEXT}, {"option", COL_TEXT},
};
static const struct column tail[FIXED_TAIL] = {
	{"count", COL_INT}, {"mean", COL_REAL}, {"sd", COL_REAL}, {"median", COL_REAL},
	{"n1", COL_INT}, {"n2", COL_INT}, {"n3", COL_INT}, {"n4", COL_INT}, {"n5", COL_INT},
	{"share_of", COL_TEXT}, {"k", COL_INT}, {"share", COL_REAL}, {"low", COL_REAL},
	{"high", COL_REAL}, {"judged", COL_TEXT}, {"previous", COL_REAL}, {"change", COL_REAL},
	{"flag", COL_TEXT}, {"bar", COL_TEXT},
};

const struct column *
summary_columns(const struct summary_query *q, int *ncols)
{
	static struct column cols[FIXED_HEAD + BY_COUNT + FIXED_TAIL + 1];
	int n = 0;

	for (int i = 0; i < FIXED_HEAD; i++)
		cols[n++] = head[i];
	for (int i = 0; i < q->nby; i++)
		cols[n++] = (struct column){by_words[q->by[i]], q->by[i] == BY_MONTH ? COL_TEXT : COL_TEXT};
	for (int i = 0; i < FIXED_TAIL - 1; i++)
		cols[n++] = tail[i];
	if (q->bar)
		cols[n++] = tail[FIXED_TAIL - 1];
	if (q->label)
		cols[n++] = (struct column){"label", COL_TEXT};
	*ncols = n;
	return cols;
}

void
summary_chart(const struct summary_query *q, struct fmt_options *opt)
{
	static char label[64];

	snprintf(label, sizeof label, "label");
	for (int i = 0; i < q->nby; i++) {
		strcat(label, ",");
		strcat(label, by_words[q->by[i]]);
	}
	opt->chart_label = label;
	opt->chart_value = "share";
	opt->chart_low = "low";
	opt->chart_high = "high";
	opt->chart_title = "سهم پاسخ‌دهندگان راضی (۴ یا ۵ از ۱ تا ۵) با بازه اطمینان ۹۵٪ (ویلسون)";
}

/* ---- the counts ---------------------------------------------------------- */

struct question {
	int version, kind;
	long long id;
	char *name, *text;
	char *options[SURVEY_OPTIONS_MAX];
	int noptions;
};

/* The counts of one question in one group: [0] who answered, [v] each value. */
struct entry {
	int q;		/* index into the questions */
	char *key;	/* the group's columns, joined by \x1f; a month as YYYYMM */
	long long count[SURVEY_OPTIONS_MAX + 1];
};

struct summary {
	struct context *ctx;
	const struct summary_query *q;
	struct question *qs;
	size_t nq;
	struct entry *e;
	size_t ne, cap;
	char **keys;	/* each version's groups: "VVVVVV\x1fkey", sorted, unique */
	size_t nkeys;
};

static int
load_questions(struct summary *s, long long survey_id)
{
	struct stmt *st = store_sql(s->ctx->store, "SELECT v.version, q.id, q.name, q.kind, q.text,"
	    " q.options FROM survey_question q JOIN survey_version v ON v.id = q.version_id"
	    " WHERE v.survey_id = ? AND q.kind <> 'text' AND (? = 0 OR v.version = ?)"
	    " ORDER BY v.version, q.position");

	stmt_bind_int(st, survey_id);
	stmt_bind_int(st, s->q->version);
	stmt_bind_int(st, s->q->version);
	while (stmt_row(st)) {
		s->qs = xrealloc(s->qs, (s->nq + 1) * sizeof *s->qs);
		struct question *q = &s->qs[s->nq++];
		memset(q, 0, sizeof *q);
		q->version = (int)stmt_int(st, 0);
		q->id = stmt_int(st, 1);
		q->name = xstrdup(stmt_text(st, 2));
		q->kind = vocab_parse(&question_vocab, stmt_text(st, 3));
		q->text = xstrdup(stmt_text(st, 4));
		char *opts = stmt_null(st, 5) ? NULL : xstrdup(stmt_text(st, 5)), *save = NULL;
		for (char *o = opts ? strtok_r(opts, "|", &save) : NULL; o && q->noptions < SURVEY_OPTIONS_MAX;
		     o = strtok_r(NULL, "|", &save))
			q->options[q->noptions++] = xstrdup(o);
		free(opts);
	}
	return stmt_status(st);
}

static int
question_index(const struct summary *s, long long id)
{
	size_t lo = 0, hi = s->nq;

	/* By id they are in order within a version, but not across: a plain search. */
	for (size_t i = lo; i < hi; i++)
		if (s->qs[i].id == id)
			return (int)i;
	return -1;
}

static char *
group_key(struct stmt *st, int first, int n)
{
	struct buf b = {0};

	for (int i = 0; i < n; i++) {
		if (i)
			buf_addc(&b, '\x1f');
		buf_adds(&b, stmt_null(st, first + i) ? "" : stmt_text(st, first + i));
	}
	return b.data ? b.data : xstrdup("");
}

static int
by_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->q != y->q ? (x->q < y->q ? -1 : 1) : strcmp(x->key, y->key);
}

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
build_sql(const struct summary_query *q)
{
	struct buf cols = {0};

	for (int i = 0; i < q->nby; i++)
		buf_addf(&cols, "%s, ", by_sql[q->by[i]]);
	char *sql = xasprintf("SELECT t.question_id, %st.value, sum(t.n) FROM survey_tally t"
	    " JOIN survey_question q ON q.id = t.question_id"
	    " JOIN survey_version v ON v.id = q.version_id"
	    " LEFT JOIN service sv ON sv.id = t.service_id LEFT JOIN unit u ON u.id = t.unit_id"
	    " WHERE v.survey_id = ? AND (? = 0 OR v.version = ?) AND t.month >= ? AND t.month <= ?"
	    " GROUP BY t.question_id, %st.value ORDER BY t.question_id",
	    cols.data ? cols.data : "", cols.data ? cols.data : "");
	buf_free(&cols);
	return sql;
}

/* Every count of the groups asked for, summed by SQL, into s->e (merged by question and group). */
static int
load_counts(struct summary *s, long long survey_id)
{
	char *sql = build_sql(s->q);
	struct stmt *st = store_sql_once(s->ctx->store, sql);
	int nby = s->q->nby, rc;

	free(sql);
	stmt_bind_int(st, survey_id);
	stmt_bind_int(st, s->q->version);
	stmt_bind_int(st, s->q->version);
	stmt_bind_int(st, s->q->since);
	stmt_bind_int(st, s->q->until ? s->q->until : 999999);
	while (stmt_row(st)) {
		int qi = question_index(s, stmt_int(st, 0));
		long long value = stmt_int(st, 1 + nby);
		if (qi < 0 || value < 0 || value > SURVEY_OPTIONS_MAX)
			continue;
		char *key = group_key(st, 1, nby);
		if (s->ne && s->e[s->ne - 1].q == qi && strcmp(s->e[s->ne - 1].key, key) == 0) {
			free(key);
		} else {
			if (s->ne == s->cap) {
				s->cap = s->cap ? 2 * s->cap : 64;
				s->e = xrealloc(s->e, s->cap * sizeof *s->e);
			}
			s->e[s->ne] = (struct entry){.q = qi, .key = key};
			s->ne++;
		}
		s->e[s->ne - 1].count[value] += stmt_int(st, 2 + nby);
	}
	rc = stmt_status(st);
	stmt_free(st);
	if (rc != 0)
		return rc;
	/* SQL gave them by question and group; the same pair may come twice
	 * apart (a group's values between another's): merge them. */
	if (s->ne == 0)
		return 0;
	qsort(s->e, s->ne, sizeof *s->e, by_entry);
	size_t w = 0;
	for (size_t i = 0; i < s->ne; i++) {
		if (w && by_entry(&s->e[w - 1], &s->e[i]) == 0) {
			for (int v = 0; v <= SURVEY_OPTIONS_MAX; v++)
				s->e[w - 1].count[v] += s->e[i].count[v];
			free(s->e[i].key);
		} else {
			s->e[w++] = s->e[i];
		}
	}
	s->ne = w;
	/* Each version's groups: every question of the version is shown in each, none or not. */
	s->keys = xcalloc(s->ne + 1, sizeof *s->keys);
	for (size_t i = 0; i < s->ne; i++)
		s->keys[s->nkeys++] = xasprintf("%06d\x1f%s", s->qs[s->e[i].q].version, s->e[i].key);
	qsort(s->keys, s->nkeys, sizeof *s->keys, by_text);
	w = 0;
	for (size_t i = 0; i < s->nkeys; i++) {
		if (w && strcmp(s->keys[w - 1], s->keys[i]) == 0)
			free(s->keys[i]);
		else
			s->keys[w++] = s->keys[i];
	}
	s->nkeys = w;
	return 0;
}

static const struct entry *
find_entry(const struct summary *s, int q, const char *key)
{
	struct entry want = {.q = q, .key = (char *)key};

	if (s->ne == 0)
		return NULL;
	return bsearch(&want, s->e, s->ne, sizeof *s->e, by_entry);
}

/* The group's key with its month one month back, or NULL when there is no month. */
static char *
previous_key(const struct summary_query *q, const char *key)
{
	char *copy = xstrdup(key), *save = NULL, *f;
	struct buf b = {0};
	int i = 0;

	for (f = strsep(&copy, "\x1f"), save = f; f; f = strsep(&copy, "\x1f"), i++) {
		if (i)
			buf_addc(&b, '\x1f');
		if (i < q->nby && q->by[i] == BY_MONTH) {
			int m = atoi(f), y = m / 100, mm = m % 100;
			y = mm == 1 ? y - 1 : y;
			mm = mm == 1 ? 12 : mm - 1;
			buf_addf(&b, "%d", y * 100 + mm);
		} else {
			buf_adds(&b, f);
		}
	}
	free(save);
	return b.data ? b.data : xstrdup("");
}

static bool
has_month(const struct summary_query *q)
{
	for (int i = 0; i < q->nby; i++)
		if (q->by[i] == BY_MONTH)
			return true;
	return false;
}

/* ---- the rows ----------------------------------------------------------------- */

/* What one row shows: a share of count, and what it came from. */
struct share {
	long long count, k;
	double share, low, high;
};

static struct share
share_of(long long k, long long count)
{
	struct share r = {.count = count, .k = k, .share = NAN};

	if (count > 0)
		r.share = (double)k / (double)count;
	stats_wilson(k, count, STATS_Z95, &r.low, &r.high);
	return r;
}

/* The share a row shows (option: 1.., or 0 for the question as a whole). */
static struct share
row_share(const struct question *q, const long long *count, int option)
{
	if (q->kind == QUESTION_SCALE)
		return share_of(count[4] + count[5], count[0]);
	if (q->kind == QUESTION_YESNO)
		return share_of(count[1], count[0]);
	return share_of(count[option], count[0]);
}

static void
put_bar(struct printer *p, double share)
{
	static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	struct buf b = {0};

	if (isnan(share)) {
		printer_text(p, NULL);
		return;
	}
	int units = (int)lround(share * 80);	/* ten cells of eight eighths */
	for (int i = 0; i < units / 8; i++)
		buf_adds(&b, "█");
	buf_adds(&b, eighths[units % 8]);
	printer_text(p, b.data ? b.data : "");
	buf_free(&b);
}

static void
put_month_or_text(struct printer *p, const struct summary_query *q, int i, const char *v)
{
	char shown[16];
	int m = atoi(v);

	if (q->by[i] == BY_MONTH && m > 0) {
		snprintf(shown, sizeof shown, "%04d-%02d", m / 100, m % 100);
		printer_text(p, shown);
	} else {
		printer_text(p, *v ? v : NULL);
	}
}

static void
put_row(struct summary *s, struct printer *p, const struct question *q, const char *key,
    const long long *count, const long long *prev, int option)
{
	const struct summary_query *sq = s->q;
	long long zero[SURVEY_OPTIONS_MAX + 1] = {0};
	int min = s->ctx->cfg->survey_min_count;
	struct share now = row_share(q, count, option);
	char *copy = xstrdup(key), *f, *rest = copy;

	printer_text(p, sq->survey);
	printer_int(p, q->version);
	printer_text(p, q->name);
	printer_text(p, option ? q->options[option - 1] : NULL);
	for (int i = 0; i < sq->nby; i++)
		put_month_or_text(p, sq, i, (f = strsep(&rest, "\x1f")) ? f : "");
	free(copy);
	printer_int(p, count[0]);
	if (q->kind == QUESTION_SCALE) {
		struct scale_stats st = stats_of_counts(count + 1, SURVEY_SCALE_POINTS);
		printer_real(p, st.mean, 2);
		printer_real(p, st.sd, 2);
		printer_real(p, st.median, 1);
		for (int v = 1; v <= SURVEY_SCALE_POINTS; v++)
			printer_int(p, count[v]);
	} else {
		for (int i = 0; i < 3 + SURVEY_SCALE_POINTS; i++)
			printer_text(p, NULL);
	}
	printer_text(p, q->kind == QUESTION_SCALE ? "satisfied (4 or 5 of 1-5)"
	    : q->kind == QUESTION_YESNO ? "yes" : "chose it");
	printer_int(p, now.k);
	printer_real(p, now.share, 3);
	printer_real(p, now.low, 3);
	printer_real(p, now.high, 3);
	printer_text(p, now.count == 0 ? "none" : now.count < min ? "too few" : NULL);
	struct share before = row_share(q, prev ? prev : zero, option);
	bool both = prev && now.count >= min && before.count >= min;
	printer_real(p, prev ? before.share : NAN, 3);
	printer_real(p, prev && now.count && before.count ? now.share - before.share : NAN, 3);
	printer_text(p, both && stats_apart(now.low, now.high, before.low, before.high)
	    ? (now.share > before.share ? "up" : "down") : NULL);
	if (sq->bar)
		put_bar(p, now.share);
	if (sq->label) {
		char *label = option ? xasprintf("%s: %s", q->text, q->options[option - 1])
				     : xstrdup(q->text);
		printer_text(p, label);
		free(label);
	}
	printer_row(p);
}

static void
put_question(struct summary *s, struct printer *p, const struct question *q, int qi,
    const char *key, long *rows)
{
	static const long long none[SURVEY_OPTIONS_MAX + 1];
	const struct entry *e = find_entry(s, qi, key), *pe = NULL;
	char *pk = has_month(s->q) ? previous_key(s->q, key) : NULL;

	if (pk)
		pe = find_entry(s, qi, pk);
	/* The month before with no response is a previous period of none. */
	const long long *prev = pk ? (pe ? pe->count : none) : NULL;
	const long long *count = e ? e->count : none;
	if (q->kind == QUESTION_CHOICE || q->kind == QUESTION_MULTI) {
		for (int o = 1; o <= q->noptions; o++, (*rows)++)
			put_row(s, p, q, key, count, prev, o);
	} else {
		put_row(s, p, q, key, count, prev, 0);
		(*rows)++;
	}
	free(pk);
}

static void
summary_free(struct summary *s)
{
	for (size_t i = 0; i < s->nq; i++) {
		free(s->qs[i].name);
		free(s->qs[i].text);
		for (int o = 0; o < s->qs[i].noptions; o++)
			free(s->qs[i].options[o]);
	}
	free(s->qs);
	for (size_t i = 0; i < s->ne; i++)
		free(s->e[i].key);
	free(s->e);
	for (size_t i = 0; i < s->nkeys; i++)
		free(s->keys[i]);
	free(s->keys);
}

int
survey_summary(struct context *ctx, const struct summary_query *q, struct printer *p, long *rows)
{
	struct summary s = {.ctx = ctx, .q = q};
	struct stmt *st = store_sql(ctx->store, "SELECT id FROM survey WHERE code = ?");
	long long survey_id = 0;
	int rc;

	*rows = 0;
	stmt_bind_text(st, q->survey);
	if (stmt_row(st)) {
		survey_id = stmt_int(st, 0);
		stmt_reset(st);
	} else if ((rc = stmt_status(st)) != 0) {
		return rc;
	} else {
		store_fail_field(ctx->store, "survey", "%s: no such survey", text_quote(q->survey));
		return EXIT_PARTIAL;
	}
	if ((rc = load_questions(&s, survey_id)) == 0)
		rc = load_counts(&s, survey_id);
	/* By version, question and group: the keys are sorted by version, then group. */
	for (size_t qi = 0; rc == 0 && qi < s.nq; qi++)
		for (size_t k = 0; k < s.nkeys; k++) {
			if (atoi(s.keys[k]) != s.qs[qi].version)
				continue;
			put_question(&s, p, &s.qs[qi], (int)qi, s.keys[k] + 7, rows);
		}
	summary_free(&s);
	return rc;
}

/* ---- comments ----------------------------------------------------------------- */

static const struct column comment_cols[] = {
	{"kind", COL_TEXT}, {"channel", COL_TEXT}, {"service", COL_TEXT}, {"unit", COL_TEXT},
	{"subject", COL_TEXT}, {"body", COL_TEXT}, {"anonymous", COL_INT}, {"source_id", COL_TEXT},
};

const struct column *
comment_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(comment_cols);
	return comment_cols;
}

int
survey_comments(struct context *ctx, const char *survey, struct printer *p, long *rows)
{
	struct stmt *st = store_sql(ctx->store, "SELECT r.id, r.channel, sv.code, u.code, q.name,"
	    " a.text, s.code FROM survey_response r JOIN survey s ON s.id = r.survey_id"
	    " JOIN survey_answer a ON a.response_id = r.id JOIN survey_question q ON q.id = a.question_id"
	    " LEFT JOIN service sv ON sv.id = r.service_id LEFT JOIN unit u ON u.id = r.unit_id"
	    " WHERE r.constructive = 1 AND s.code = ? AND q.kind = 'text' AND a.text IS NOT NULL"
	    " ORDER BY r.id, q.position");

	*rows = 0;
	stmt_bind_text(st, survey);
	while (stmt_row(st)) {
		/* The citizen's words go to the committee without their name: the case is anonymous. */
		char *subject = xasprintf("پیشنهاد از نظرسنجی %s", stmt_text(st, 6));
		char *source = xasprintf("survey-%s-%lld-%s", stmt_text(st, 6), stmt_int(st, 0),
		    stmt_text(st, 4));
		printer_text(p, "suggestion");
		printer_text(p, stmt_text(st, 1));
		printer_text(p, stmt_text(st, 2));
		printer_text(p, stmt_text(st, 3));
		printer_text(p, subject);
		printer_text(p, stmt_text(st, 5));
		printer_int(p, 1);
		printer_text(p, source);
		printer_row(p);
		free(subject);
		free(source);
		(*rows)++;
	}
	return stmt_status(st);
}
