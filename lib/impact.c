/* impact.c — what public input led to in a period (see impact.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "code.h"
#include "draft.h"
#include "exitcode.h"
#include "impact.h"
#include "monthly.h"
#include "page.h"
#include "schema.h"
#include "util.h"
#include "vocab.h"

/* A case input led to something, and what was done (the answer sent). */
struct example {
	char code[CODE_LEN + 1];
	char *kind, *unit, *outcome, *actions, *text, *done;
};

struct examples {
	struct example *of;
	size_t n;
};

struct action_figures {
	long suggestions, comments, accepted, partial;
	struct examples ex;
};

struct survey_figures {
	char *code, *title;
	long comments, cases, decided, accepted, partial;
	struct examples ex;
};

struct draft_figures {
	char *code, *title;
	struct report_draft_figures f;
};

struct impact {
	time_t since, until;
	int examples;
	long cases;	/* accepted or partly: each once, whatever its actions */
	struct action_figures by_action[ACTION_COUNT + 1];	/* the last: none named */
	struct survey_figures *surveys;
	size_t nsurveys;
	struct draft_figures *drafts;
	size_t ndrafts;
};

static const char *const none_named = "none";

static char *
copy_text(struct stmt *st, int i)
{
	return stmt_null(st, i) ? NULL : xstrdup(stmt_text(st, i));
}

/* [since, until) as two bounds, an open end the largest time: the index on the time is used. */
static void
bind_period(struct stmt *st, time_t since, time_t until)
{
	stmt_bind_int(st, (long long)since);
	stmt_bind_int(st, until ? (long long)until : LLONG_MAX);
}

/* Columns 0-6 of the row: code, kind, unit, outcome, action, text, answer. */
static void
example_add(struct examples *ex, struct stmt *st)
{
	ex->of = xrealloc(ex->of, (ex->n + 1) * sizeof *ex->of);
	struct example *e = &ex->of[ex->n++];
	code_format(stmt_int(st, 0), e->code, sizeof e->code);
	e->kind = copy_text(st, 1);
	e->unit = copy_text(st, 2);
	e->outcome = copy_text(st, 3);
	e->actions = copy_text(st, 4);
	e->text = copy_text(st, 5);
	e->done = copy_text(st, 6);
}

static void
examples_free(struct examples *ex)
{
	for (size_t i = 0; i < ex->n; i++) {
		struct example *e = &ex->of[i];
		free(e->kind);
		free(e->unit);
		free(e->outcome);
		free(e->actions);
		free(e->text);
		free(e->done);
	}
	free(ex->of);
}

static bool
room_for(const struct impact *im, const struct examples *ex)
{
	return im->examples == 0 || ex->n < (size_t)im->examples;
}

/* The suggestions and comments accepted or partly accepted when answered
 * in the period, newest first: counted under each action they name. */
static int
actions_load(struct context *ctx, struct impact *im)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT c.code, c.kind, u.code, c.outcome, c.action,"
	    /* A suggestion made of a survey comment is titled by its survey: what was said is its body. */
	    " CASE WHEN c.source_id LIKE 'survey-%' THEN c.body ELSE c.subject END, c.answer"
	    " FROM cases c LEFT JOIN unit u ON u.id = c.unit_id"
	    " WHERE " CASES_TAKEN_UP " AND c.answered >= ? AND c.answered < ?"
	    " ORDER BY c.answered DESC, c.id DESC");

	bind_period(st, im->since, im->until);
	while (stmt_row(st)) {
		bool suggestion = strcmp(stmt_text(st, 1), "suggestion") == 0;
		bool accepted = strcmp(stmt_text(st, 3), "accepted") == 0;
		unsigned set = 0;
		char *list = copy_text(st, 4);
		if (list && vocab_parse_set(&action_vocab, list, &set) != NULL)
			set = 0;	/* a word no longer known: counted as none named */
		free(list);
		if (set == 0)
			set = 1u << ACTION_COUNT;
		im->cases++;
		for (int a = 0; a <= ACTION_COUNT; a++) {
			if (!(set & (1u << a)))
				continue;
			struct action_figures *f = &im->by_action[a];
			*(suggestion ? &f->suggestions : &f->comments) += 1;
			*(accepted ? &f->accepted : &f->partial) += 1;
			if (room_for(im, &f->ex))
				example_add(&f->ex, st);
		}
	}
	return stmt_status(st);
}

/* The source id psurvey-summary --comments gives the suggestion a
 * constructive comment is made into (survey_comments in surveysum.c). */
#define SURVEY_CASE \
	" cases c ON c.channel = r.channel AND c.source_id = 'survey-' || s.code || '-' ||" \
	" CAST(r.id AS TEXT) || '-' || q.name"
#define CONSTRUCTIVE \
	" FROM survey_response r JOIN survey s ON s.id = r.survey_id" \
	" JOIN survey_answer a ON a.response_id = r.id" \
	" JOIN survey_question q ON q.id = a.question_id"
#define CONSTRUCTIVE_IN_PERIOD \
	" WHERE r.constructive = 1 AND q.kind = 'text' AND a.text IS NOT NULL" \
	" AND r.at >= ? AND r.at < ?"

/* Each survey's constructive comments made in the period, and what became
 * of the suggestions made of them. */
static int
surveys_load(struct context *ctx, struct impact *im)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT s.code, (SELECT v.title FROM survey_version v WHERE v.survey_id = s.id"
	    "  ORDER BY v.version DESC LIMIT 1), count(*), count(c.id),"
	    " sum(CASE WHEN c.outcome IS NOT NULL THEN 1 ELSE 0 END),"
	    " sum(CASE WHEN c.outcome = 'accepted' THEN 1 ELSE 0 END),"
	    " sum(CASE WHEN c.outcome = 'partial' THEN 1 ELSE 0 END)"
	    CONSTRUCTIVE " LEFT JOIN" SURVEY_CASE CONSTRUCTIVE_IN_PERIOD
	    " GROUP BY s.id, s.code ORDER BY s.code");

	bind_period(st, im->since, im->until);
	while (stmt_row(st)) {
		im->surveys = xrealloc(im->surveys, (im->nsurveys + 1) * sizeof *im->surveys);
		struct survey_figures *f = &im->surveys[im->nsurveys++];
		memset(f, 0, sizeof *f);
		f->code = xstrdup(stmt_text(st, 0));
		f->title = copy_text(st, 1);
		long *v[] = {&f->comments, &f->cases, &f->decided, &f->accepted, &f->partial};
		for (size_t i = 0; i < ARRAY_SIZE(v); i++)
			*v[i] = (long)stmt_int(st, (int)i + 2);
	}
	int rc = stmt_status(st);
	if (rc != 0)
		return rc;
	st = store_sql(ctx->store,
	    "SELECT c.code, c.kind, u.code, c.outcome, c.action, c.body, c.answer, s.code"
	    CONSTRUCTIVE " JOIN" SURVEY_CASE " LEFT JOIN unit u ON u.id = c.unit_id"
	    CONSTRUCTIVE_IN_PERIOD " AND " OUTCOME_TAKEN_UP
	    " ORDER BY s.code, c.answered DESC, c.id DESC");
	bind_period(st, im->since, im->until);
	while (stmt_row(st))
		for (size_t i = 0; i < im->nsurveys; i++)
			if (strcmp(im->surveys[i].code, stmt_text(st, 7)) == 0 &&
			    room_for(im, &im->surveys[i].ex))
				example_add(&im->surveys[i].ex, st);
	return stmt_status(st);
}

/* The drafts whose window opened in the period. */
static int
drafts_load(struct context *ctx, struct impact *im)
{
	char **codes = report_drafts_in(ctx, im->since, im->until);
	size_t n = 0;
	int rc = 0;

	while (codes[n])
		n++;
	im->drafts = xcalloc(n ? n : 1, sizeof *im->drafts);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct draft_figures *d = &im->drafts[im->ndrafts];
		if ((rc = report_draft_figures(ctx, codes[i], &d->title, &d->f)) == EXIT_PARTIAL)
			rc = 0;	/* opened, then never out for comment: nothing to show */
		else if (rc == 0)
			d->code = xstrdup(codes[i]), im->ndrafts++;
	}
	draft_codes_free(codes);
	return rc;
}

static void
impact_free(struct impact *im)
{
	for (int a = 0; a <= ACTION_COUNT; a++)
		examples_free(&im->by_action[a].ex);
	for (size_t i = 0; i < im->nsurveys; i++) {
		free(im->surveys[i].code);
		free(im->surveys[i].title);
		examples_free(&im->surveys[i].ex);
	}
	free(im->surveys);
	for (size_t i = 0; i < im->ndrafts; i++) {
		free(im->drafts[i].code);
		free(im->drafts[i].title);
	}
	free(im->drafts);
}

static int
impact_load(struct context *ctx, struct impact *im)
{
	int rc = actions_load(ctx, im);

	if (rc == 0)
		rc = surveys_load(ctx, im);
	if (rc == 0)
		rc = drafts_load(ctx, im);
	return rc;
}

static const char *
action_name(int a)
{
	return a == ACTION_COUNT ? none_named : vocab_name(&action_vocab, a);
}

static const char *
action_persian(int a)
{
	return a == ACTION_COUNT ? "بی‌نام‌بردن از اقدامی" : vocab_persian(&action_vocab, a);
}

/* --- through the printer --------------------------------------------------- */

static const struct column columns[] = {
	{"part", COL_TEXT}, {"code", COL_TEXT}, {"title", COL_TEXT}, {"kind", COL_TEXT},
	{"unit", COL_TEXT}, {"action", COL_TEXT}, {"outcome", COL_TEXT},
	{"suggestions", COL_INT}, {"comments", COL_INT}, {"cases", COL_INT}, {"decided", COL_INT},
	{"accepted", COL_INT}, {"partial", COL_INT}, {"changed", COL_INT}, {"done", COL_TEXT},
};
enum { FIRST_COUNT = 7, COUNTS = 7 };

const struct column *
impact_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(columns);
	return columns;
}

/* The counts of a row, -1 where a part has none. */
static void
put_counts(struct printer *p, const long v[COUNTS])
{
	for (int i = 0; i < COUNTS; i++)
		if (v[i] < 0)
			printer_text(p, NULL);
		else
			printer_int(p, v[i]);
}

static void
put_head(struct printer *p, const char *part, const char *code, const char *title,
    const char *kind, const char *unit, const char *action, const char *outcome)
{
	const char *v[] = {part, code, title, kind, unit, action, outcome};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		printer_text(p, v[i]);
}

static void
put_examples(struct printer *p, const char *part, const char *under, const struct examples *ex)
{
	static const long none[COUNTS] = {-1, -1, -1, -1, -1, -1, -1};
	for (size_t i = 0; i < ex->n; i++) {
		const struct example *e = &ex->of[i];
		put_head(p, part, e->code, e->text, e->kind, e->unit, under ? under : e->actions,
		    e->outcome);
		put_counts(p, none);
		printer_text(p, e->done);
		printer_row(p);
	}
}

static void
impact_print(const struct impact *im, struct printer *p)
{
	for (int a = 0; a <= ACTION_COUNT; a++) {
		const struct action_figures *f = &im->by_action[a];
		if (a == ACTION_COUNT && f->accepted + f->partial == 0)
			continue;
		put_head(p, "action", NULL, action_persian(a), NULL, NULL, action_name(a), NULL);
		put_counts(p, (long[]){f->suggestions, f->comments, f->suggestions + f->comments, -1,
		    f->accepted, f->partial, -1});
		printer_text(p, NULL);
		printer_row(p);
		put_examples(p, "example", action_name(a), &f->ex);
	}
	for (size_t i = 0; i < im->nsurveys; i++) {
		const struct survey_figures *f = &im->surveys[i];
		put_head(p, "survey", f->code, f->title, NULL, NULL, NULL, NULL);
		put_counts(p, (long[]){-1, f->comments, f->cases, f->decided, f->accepted, f->partial, -1});
		printer_text(p, NULL);
		printer_row(p);
		put_examples(p, "survey-example", NULL, &f->ex);
	}
	for (size_t i = 0; i < im->ndrafts; i++) {
		const struct draft_figures *d = &im->drafts[i];
		put_head(p, "draft", d->code, d->title, NULL, NULL, NULL, NULL);
		put_counts(p, (long[]){-1, d->f.comments, -1, d->f.disposed, d->f.accepted,
		    d->f.partial, d->f.changed});
		printer_text(p, NULL);
		printer_row(p);
	}
}

/* --- as a page --------------------------------------------------------------- */

static void
cell(xmlNodePtr tr, const char *tag, const char *text)
{
	page_add(tr, tag, text ? text : "");
}

static void
count_cell(xmlNodePtr tr, long v, struct cal_style s)
{
	char n[48];
	cell(tr, "td", cal_format_number(v, s, n, sizeof n));
}

static xmlNodePtr
table_of(xmlNodePtr parent, const char *cls, const char *const *heads, size_t n)
{
	xmlNodePtr table = page_add_class(parent, "table", cls, NULL);
	xmlNodePtr tr = page_add(table, "tr", NULL);
	for (size_t i = 0; i < n; i++)
		page_add(tr, "th", heads[i]);
	return table;
}

/* Each example: its code (kept left to right in the right-to-left line),
 * what was said, and what was done. */
static void
examples_html(xmlNodePtr parent, const struct examples *ex, struct cal_style s)
{
	if (ex->n == 0)
		return;
	xmlNodePtr ul = page_add_class(parent, "ul", "examples", NULL);
	for (size_t i = 0; i < ex->n; i++) {
		const struct example *e = &ex->of[i];
		char grouped[24], digits[48];
		tcode c;
		const char *why;
		xmlNodePtr li = page_add(ul, "li", NULL);
		if (code_parse(e->code, &c, &why) == 0) {
			cal_format_digits(code_format_grouped(c, grouped, sizeof grouped), s, digits,
			    sizeof digits);
			page_attr(page_add(li, "span", digits), "dir", "ltr");
			page_text(li, " ");
		}
		page_text(li, vocab_persian_of(&outcome_vocab, e->outcome));
		if (e->text) {
			page_text(li, ": ");
			page_text(li, e->text);
		}
		if (e->done) {
			xmlNodePtr done = page_add_class(li, "p", "done", NULL);
			page_add_class(done, "span", "label", "آنچه شد: ");
			page_text(done, e->done);
		}
	}
}

static const struct column chart_cols[] = {
	{"action", COL_TEXT}, {"accepted", COL_INT}, {"partial", COL_INT},
};

static void
chart_rows(struct printer *p, const void *arg)
{
	const struct impact *im = arg;
	for (int a = 0; a < ACTION_COUNT; a++) {
		printer_text(p, action_persian(a));
		printer_int(p, im->by_action[a].accepted);
		printer_int(p, im->by_action[a].partial);
		printer_row(p);
	}
}

static void
actions_html(xmlNodePtr parent, const struct impact *im, struct cal_style s)
{
	static const char *const heads[] = {"اقدام", "پیشنهاد", "نظر بر پیش‌نویس", "پذیرفته",
		"بخشی پذیرفته"};
	char n[48];

	page_add(parent, "h2", "پیشنهادها و نظرهای پذیرفته، به اقدامی که به آن انجامید");
	char *all = xasprintf("همه پیشنهادها و نظرهای پذیرفته یا بخشی پذیرفته: %s (یکی ممکن است "
	    "به چند اقدام انجامیده باشد).", cal_format_number(im->cases, s, n, sizeof n));
	page_add(parent, "p", all);
	free(all);
	xmlNodePtr table = table_of(parent, "impact", heads, ARRAY_SIZE(heads));
	for (int a = 0; a <= ACTION_COUNT; a++) {
		const struct action_figures *f = &im->by_action[a];
		if (a == ACTION_COUNT && f->accepted + f->partial == 0)
			continue;
		xmlNodePtr tr = page_add(table, "tr", NULL);
		cell(tr, "td", action_persian(a));
		long v[] = {f->suggestions, f->comments, f->accepted, f->partial};
		for (size_t i = 0; i < ARRAY_SIZE(v); i++)
			count_cell(tr, v[i], s);
	}
	if (im->cases)
		page_add_chart(parent, chart_cols, (int)ARRAY_SIZE(chart_cols),
		    &(struct fmt_options){.persian_digits = s.persian_digits, .chart_label = "action",
		    .chart_series = "accepted,partial", .chart_legend = "پذیرفته,بخشی پذیرفته",
		    .chart_title = "پذیرفته‌ها به اقدام"}, chart_rows, im);
	for (int a = 0; a <= ACTION_COUNT; a++) {
		if (im->by_action[a].ex.n == 0)
			continue;
		page_add(parent, "h3", action_persian(a));
		examples_html(parent, &im->by_action[a].ex, s);
	}
}

static void
surveys_html(xmlNodePtr parent, const struct impact *im, struct cal_style s)
{
	static const char *const heads[] = {"نظرسنجی", "نظر سازنده", "پیشنهاد به کمیته",
		"تصمیم‌گرفته", "پذیرفته", "بخشی پذیرفته"};

	page_add(parent, "h2", "نظرسنجی‌ها: بازخورد سازنده و آنچه شد");
	if (im->nsurveys == 0) {
		page_add(parent, "p", "در این دوره نظر سازنده‌ای ثبت نشد.");
		return;
	}
	xmlNodePtr table = table_of(parent, "impact", heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < im->nsurveys; i++) {
		const struct survey_figures *f = &im->surveys[i];
		xmlNodePtr tr = page_add(table, "tr", NULL);
		cell(tr, "td", f->title ? f->title : f->code);
		long v[] = {f->comments, f->cases, f->decided, f->accepted, f->partial};
		for (size_t k = 0; k < ARRAY_SIZE(v); k++)
			count_cell(tr, v[k], s);
	}
	for (size_t i = 0; i < im->nsurveys; i++) {
		if (im->surveys[i].ex.n == 0)
			continue;
		page_add(parent, "h3", im->surveys[i].title ? im->surveys[i].title : im->surveys[i].code);
		examples_html(parent, &im->surveys[i].ex, s);
	}
}

static void
drafts_html(struct context *ctx, xmlNodePtr parent, const struct impact *im, struct cal_style s)
{
	static const char *const heads[] = {"پیش‌نویس", "نظر", "رسیدگی‌شده", "پذیرفته",
		"بخشی پذیرفته", "ماده‌های تغییرکرده"};

	page_add(parent, "h2", "پیش‌نویس‌ها و آنچه نظرها در آن‌ها تغییر داد");
	if (im->ndrafts == 0) {
		page_add(parent, "p", "در این دوره پیش‌نویسی به نظرخواهی گذاشته نشد.");
		return;
	}
	xmlNodePtr table = table_of(parent, "impact", heads, ARRAY_SIZE(heads));
	for (size_t i = 0; i < im->ndrafts; i++) {
		const struct draft_figures *d = &im->drafts[i];
		xmlNodePtr tr = page_add(table, "tr", NULL);
		cell(tr, "td", d->title);
		long v[] = {d->f.comments, d->f.disposed, d->f.accepted, d->f.partial, d->f.changed};
		for (size_t k = 0; k < ARRAY_SIZE(v); k++)
			count_cell(tr, v[k], s);
	}
	for (size_t i = 0; i < im->ndrafts; i++)
		report_impact_section(ctx, parent, im->drafts[i].code);
}

static int
impact_html(struct context *ctx, const struct impact *im, char **html, size_t *n, char **why)
{
	static const char title[] = "اثر مشارکت مردم: پیشنهادها، نظرسنجی‌ها و پیش‌نویس‌ها";
	struct cal_style s = ctx->cfg->citizen;
	char made[64];
	struct page p;

	if (report_page_open(&p, title, why) != 0)
		return EXIT_FATAL;
	char *when = report_span_text(ctx, im->since, im->until);
	char *span = xasprintf("%s؛ تهیه‌شده در %s", when, cal_format_time(ctx->now, s, made,
	    sizeof made));
	page_add_class(p.content, "p", "period", span);
	free(when);
	free(span);
	actions_html(p.content, im, s);
	surveys_html(p.content, im, s);
	drafts_html(ctx, p.content, im, s);
	page_render(&p, html, n);
	page_close(&p);
	return 0;
}

/* Where a published page goes: by its month, or the whole record's. */
static int
published_name(struct context *ctx, const struct report_period *period, char **name, char **why)
{
	struct report_month m;
	const char *bad;
	char month[16];

	*name = NULL;
	if (period->since || period->until) {
		*why = xstrdup("a page is published for a month or for the whole record");
		return EXIT_USAGE;
	}
	if (ctx->cfg->web_dir == NULL) {
		*why = xstrdup("no web_dir in the configuration to publish into");
		return EXIT_FATAL;
	}
	if (period->month == NULL) {
		*name = xstrdup("reports/impact.html");
		return 0;
	}
	if (report_month_parse(period->month, ctx->now, &m, &bad) != 0) {
		*why = xstrdup(bad);
		return EXIT_USAGE;
	}
	*name = xasprintf("reports/impact-%s.html", report_month_text(&m, month, sizeof month));
	return 0;
}

/* The page to a file, into web_dir (name NULL: not) and to out->page_out. */
static int
put_page(struct context *ctx, const struct impact_out *out, const char *name, const char *html,
    size_t n, char **why)
{
	if (out->path && page_write_path(out->path, html, n, why) != 0)
		return EXIT_FATAL;
	if (name && page_write(ctx->cfg->web_dir, name, html, n, why) != 0)
		return EXIT_FATAL;
	if (out->page_out && fwrite(html, 1, n, out->page_out) != n) {
		*why = xstrdup("write error");
		return EXIT_FATAL;
	}
	if (out->told && (out->path || name))
		fprintf(out->told, "%s%s%s\n", name ? ctx->cfg->web_dir : out->path, name ? "/" : "",
		    name ? name : "");
	return 0;
}

static int
impact_emit(struct context *ctx, const struct impact *im, const struct impact_ask *ask,
    const struct impact_out *out, char **why)
{
	char *html, *name = NULL;
	size_t n;
	int rc = 0;

	if (out->publish && (rc = published_name(ctx, ask->period, &name, why)) != 0)
		return rc;
	if ((out->path || name || out->page_out) && (rc = impact_html(ctx, im, &html, &n, why)) == 0) {
		rc = put_page(ctx, out, name, html, n, why);
		free(html);
	}
	free(name);
	return rc;
}

/* The articles of a draft, or of each draft opened in the period. */
static int
articles_run(struct context *ctx, const struct impact_ask *ask, const struct impact_out *out,
    char **why)
{
	char **codes = report_drafts_asked(ctx, ask->draft, ask->period, why), *html;
	size_t n;
	int rc;

	if (codes == NULL)
		return EXIT_USAGE;
	if (out->publish) {
		*why = xstrdup("the whole report is published, not the articles of drafts");
		rc = EXIT_USAGE;
	} else if (out->p) {
		rc = report_impact_each(ctx, codes, out->p, ask->complain, ask->arg);
	} else if ((rc = report_impact_page(ctx, codes, &html, &n, why)) == 0) {
		rc = put_page(ctx, out, NULL, html, n, why);
		free(html);
		if (rc == 0 && codes[0] == NULL)
			rc = EXIT_PARTIAL;
	}
	draft_codes_free(codes);
	return rc;
}

int
impact_run(struct context *ctx, const struct impact_ask *ask, const struct impact_out *out,
    char **why)
{
	struct impact im = {.examples = ask->examples};
	int rc;

	*why = NULL;
	if (ask->draft || ask->drafts)
		return articles_run(ctx, ask, out, why);
	if ((rc = report_period_bounds(ctx, ask->period, &im.since, &im.until, why)) != 0)
		return rc;
	if ((rc = impact_load(ctx, &im)) != 0)
		*why = xstrdup(store_error(ctx->store));
	else if ((rc = impact_emit(ctx, &im, ask, out, why)) == 0 && out->p)
		impact_print(&im, out->p);
	impact_free(&im);
	return rc;
}
