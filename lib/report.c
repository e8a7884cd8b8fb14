/* report.c — the impact of public input on drafts (see report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "code.h"
#include "config.h"
#include "draft.h"
#include "exitcode.h"
#include "monthly.h"
#include "page.h"
#include "publish.h"
#include "report.h"
#include "util.h"
#include "wdiff.h"

char **
report_drafts_in(struct context *ctx, time_t since, time_t until)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT code FROM draft WHERE state <> 'pending' AND (? = 0 OR opened >= ?)"
	    " AND (? = 0 OR opened < ?) ORDER BY opened, id");
	char **codes = xcalloc(1, sizeof *codes);
	size_t n = 0;

	stmt_bind_int(st, (long long)since);
	stmt_bind_int(st, (long long)since);
	stmt_bind_int(st, (long long)until);
	stmt_bind_int(st, (long long)until);
	while (stmt_row(st)) {
		codes = xrealloc(codes, (n + 2) * sizeof *codes);
		codes[n++] = xstrdup(stmt_text(st, 0));
		codes[n] = NULL;
	}
	return codes;
}

static int
date_of(const char *text, time_t *t, const char **why)
{
	struct cal_when w;

	*t = 0;
	if (text == NULL)
		return 0;
	if (cal_parse(text, CAL_AUTO, &w, why) != 0)
		return -1;
	*t = cal_when_time(&w);
	return 0;
}

char **
report_drafts_asked(struct context *ctx, const char *draft, const struct report_period *period,
    char **why)
{
	time_t since, until;

	*why = NULL;
	if (draft) {
		char **codes = xcalloc(2, sizeof *codes);
		codes[0] = xstrdup(draft);
		return codes;
	}
	if (report_period_bounds(ctx, period, &since, &until, why) != 0)
		return NULL;
	return report_drafts_in(ctx, since, until);
}

/* --- the rows ------------------------------------------------------------- */

struct disposition {
	char code[CODE_LEN + 1];
	char *outcome, *reason;
	bool late;
	int changed_version, changed_article;
};

struct impact_row {
	int number, final_number;	/* 0: not in that version */
	const char *heading, *final_heading;
	const char *change;	/* same, edited, new, removed, or "" for the whole draft */
	long comments, late, by[4], undisposed;
	struct disposition *d;
	size_t nd;
	struct wdiff diff;
};

struct impact {
	struct draft_facts f;
	int final_version;
	struct draft_article_row *old, *new;
	size_t nold, nnew;
	struct impact_row *rows;
	size_t n;
};

static char *
article_text(const struct draft_article_row *a)
{
	return xasprintf("%s\n%s", a->heading, a->body ? a->body : "");
}

/* The comments on an article (its identity; 0: on the whole draft). */
static void
comments(struct context *ctx, long long draft_id, int ident, struct impact_row *r)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT c.code, c.outcome, c.answer, dc.late, dc.changed_version, ca.number"
	    " FROM draft_comment dc JOIN cases c ON c.id = dc.case_id"
	    " LEFT JOIN draft_article a ON a.id = dc.article_id"
	    " LEFT JOIN draft_article ca ON ca.id = dc.changed_article_id"
	    " WHERE dc.draft_id = ? AND ((? = 0 AND dc.article_id IS NULL) OR a.ident = ?)"
	    " ORDER BY c.id");

	stmt_bind_int(st, draft_id);
	stmt_bind_int(st, ident);
	stmt_bind_int(st, ident);
	while (stmt_row(st)) {
		r->d = xrealloc(r->d, (r->nd + 1) * sizeof *r->d);
		struct disposition *d = &r->d[r->nd++];
		code_format(stmt_int(st, 0), d->code, sizeof d->code);
		d->outcome = stmt_null(st, 1) ? NULL : xstrdup(stmt_text(st, 1));
		d->reason = stmt_null(st, 2) ? NULL : xstrdup(stmt_text(st, 2));
		d->late = stmt_int(st, 3) != 0;
		d->changed_version = (int)stmt_int(st, 4);
		d->changed_article = (int)stmt_int(st, 5);
		if (d->late)
			r->late++;
		else
			r->comments++;
		int o = d->outcome ? vocab_parse(&outcome_vocab, d->outcome) : -1;
		if (o >= 0 && o < 4)
			r->by[o]++;
		else
			r->undisposed++;
	}
}

static int
impact_load(struct context *ctx, const char *code, struct impact *im)
{
	int rc;

	memset(im, 0, sizeof *im);
	if ((rc = draft_load(ctx, code, &im->f)) != 0)
		return rc;
	if (im->f.comment_version == 0) {
		store_failf(ctx->store, "%s: it was never out for comment", im->f.code);
		draft_facts_free(&im->f);
		return EXIT_PARTIAL;
	}
	im->final_version = im->f.final_version ? im->f.final_version : im->f.versions;
	im->old = draft_articles(ctx, im->f.id, im->f.comment_version, &im->nold);
	im->new = draft_articles(ctx, im->f.id, im->final_version, &im->nnew);
	im->rows = xcalloc(im->nold + im->nnew + 1, sizeof *im->rows);
	struct impact_row *all = &im->rows[im->n];
	all->change = "";
	comments(ctx, im->f.id, 0, all);
	if (all->nd)
		im->n++;
	else
		memset(all, 0, sizeof *all);
	for (size_t i = 0; i < im->nold; i++) {
		struct impact_row *r = &im->rows[im->n++];
		const struct draft_article_row *o = &im->old[i], *to = NULL;
		for (size_t k = 0; k < im->nnew && !to; k++)
			if (im->new[k].ident == o->ident)
				to = &im->new[k];
		r->number = o->number;
		r->heading = o->heading;
		char *a = article_text(o), *b = to ? article_text(to) : NULL;
		wdiff_words(a, b, &r->diff);
		free(a);
		free(b);
		r->final_number = to ? to->number : 0;
		r->final_heading = to ? to->heading : NULL;
		r->change = to == NULL ? "removed" : wdiff_none(&r->diff) ? "same" : "edited";
		comments(ctx, im->f.id, o->ident, r);
	}
	for (size_t k = 0; k < im->nnew; k++) {
		bool known = false;
		for (size_t i = 0; i < im->nold && !known; i++)
			known = im->old[i].ident == im->new[k].ident;
		if (known)
			continue;
		struct impact_row *r = &im->rows[im->n++];
		char *b = article_text(&im->new[k]);
		wdiff_words(NULL, b, &r->diff);
		free(b);
		r->final_number = im->new[k].number;
		r->final_heading = im->new[k].heading;
		r->change = "new";
	}
	return 0;
}

static void
impact_free(struct impact *im)
{
	for (size_t i = 0; i < im->n; i++) {
		for (size_t k = 0; k < im->rows[i].nd; k++) {
			free(im->rows[i].d[k].outcome);
			free(im->rows[i].d[k].reason);
		}
		free(im->rows[i].d);
		wdiff_free(&im->rows[i].diff);
	}
	free(im->rows);
	draft_articles_free(im->old, im->nold);
	draft_articles_free(im->new, im->nnew);
	draft_facts_free(&im->f);
}

int
report_draft_figures(struct context *ctx, const char *code, char **title,
    struct report_draft_figures *out)
{
	struct impact im;
	int rc = impact_load(ctx, code, &im);

	memset(out, 0, sizeof *out);
	*title = NULL;
	if (rc != 0)
		return rc;
	*title = xstrdup(im.f.title);
	for (size_t i = 0; i < im.n; i++) {
		const struct impact_row *r = &im.rows[i];
		out->comments += r->comments + r->late;
		out->disposed += (long)r->nd - r->undisposed;
		out->accepted += r->by[OUTCOME_ACCEPTED];
		out->partial += r->by[OUTCOME_PARTIAL];
		out->changed += r->change[0] && strcmp(r->change, "same") != 0;
	}
	impact_free(&im);
	return 0;
}

/* --- through the printer --------------------------------------------------- */

static const struct column impact_columns[] = {
	{"draft", COL_TEXT}, {"version", COL_INT}, {"final_version", COL_INT},
	{"article", COL_INT}, {"heading", COL_TEXT}, {"final_article", COL_INT},
	{"change", COL_TEXT}, {"comments", COL_INT}, {"late", COL_INT},
	{"accepted", COL_INT}, {"partial", COL_INT}, {"rejected", COL_INT}, {"noted", COL_INT},
	{"undisposed", COL_INT}, {"dispositions", COL_LIST}, {"diff", COL_TEXT},
};
static const struct column disposition_columns[] = {
	{"code", COL_TEXT}, {"outcome", COL_TEXT}, {"late", COL_TEXT}, {"changed", COL_TEXT},
	{"reason", COL_TEXT},
};

const struct column *
report_impact_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(impact_columns);
	return impact_columns;
}

static void
put_number(struct printer *p, int v)
{
	if (v)
		printer_int(p, v);
	else
		printer_text(p, NULL);
}

int
report_impact(struct context *ctx, const char *code, struct printer *p)
{
	struct impact im;
	int rc = impact_load(ctx, code, &im);

	if (rc != 0)
		return rc;
	for (size_t i = 0; i < im.n; i++) {
		const struct impact_row *r = &im.rows[i];
		printer_text(p, im.f.code);
		printer_int(p, im.f.comment_version);
		printer_int(p, im.final_version);
		put_number(p, r->number);
		printer_text(p, r->heading ? r->heading : r->final_heading ? r->final_heading
		    : "(the whole draft)");
		put_number(p, r->final_number);
		printer_text(p, r->change);
		printer_int(p, r->comments);
		printer_int(p, r->late);
		for (int o = 0; o < 4; o++)
			printer_int(p, r->by[o]);
		printer_int(p, r->undisposed);
		printer_list_begin(p, disposition_columns, (int)ARRAY_SIZE(disposition_columns));
		for (size_t k = 0; k < r->nd; k++) {
			char changed[48] = "";
			if (r->d[k].changed_version && r->d[k].changed_article)
				snprintf(changed, sizeof changed, "v%d/%d", r->d[k].changed_version,
				    r->d[k].changed_article);
			else if (r->d[k].changed_version)
				snprintf(changed, sizeof changed, "v%d", r->d[k].changed_version);
			printer_text(p, r->d[k].code);
			printer_text(p, r->d[k].outcome ? r->d[k].outcome : "undisposed");
			printer_text(p, r->d[k].late ? "late" : NULL);
			printer_text(p, changed[0] ? changed : NULL);
			printer_text(p, r->d[k].reason);
			printer_row(p);
		}
		printer_list_end(p);
		char *diff = wdiff_text(&r->diff);
		printer_text(p, r->change[0] && strcmp(r->change, "same") ? diff : NULL);
		free(diff);
		printer_row(p);
	}
	impact_free(&im);
	return 0;
}

int
report_impact_each(struct context *ctx, char *const *codes, struct printer *p,
    problem_fn complain, void *arg)
{
	int status = codes[0] ? 0 : EXIT_PARTIAL, rc;

	for (size_t i = 0; codes[i]; i++)
		if ((rc = report_impact(ctx, codes[i], p)) != 0) {
			complain(arg, store_error(ctx->store));
			status = rc;
		}
	return status;
}

/* --- as a page -------------------------------------------------------------- */

static void
diff_html(xmlNodePtr parent, const struct wdiff *d)
{
	static const char *const tags[] = {"span", "del", "ins"};
	xmlNodePtr p = page_add_class(parent, "p", "diff", NULL);

	for (size_t i = 0; i < d->n; i++) {
		if (i)
			page_text(p, " ");
		page_add(p, tags[d->pieces[i].op], d->pieces[i].text);
	}
}

static void
impact_html(struct context *ctx, xmlNodePtr parent, const struct impact *im)
{
	struct cal_style s = ctx->cfg->citizen;
	char buf[256], a[48], b[48];

	page_add(parent, "h2", im->f.title);
	snprintf(buf, sizeof buf, "%s — نسخه نظرخواهی %s، نسخه نهایی %s", im->f.code,
	    cal_format_number(im->f.comment_version, s, a, sizeof a),
	    cal_format_number(im->final_version, s, b, sizeof b));
	page_add(parent, "p", buf);
	for (size_t i = 0; i < im->n; i++) {
		const struct impact_row *r = &im->rows[i];
		xmlNodePtr div = page_add_class(parent, "div", "article", NULL);
		page_add(div, "h3", r->heading ? r->heading : r->final_heading ? r->final_heading
		    : "درباره کل پیش‌نویس");
		snprintf(buf, sizeof buf, "نظرها: %s، دیررس: %s", cal_format_number(r->comments, s, a,
		    sizeof a), cal_format_number(r->late, s, b, sizeof b));
		page_add_class(div, "p", "count", buf);
		if (r->nd) {
			xmlNodePtr ul = page_add(div, "ul", NULL);
			for (size_t k = 0; k < r->nd; k++) {
				char code[24], digits[48];
				tcode c;
				const char *why;
				code_parse(r->d[k].code, &c, &why);
				cal_format_digits(code_format_grouped(c, code, sizeof code), s, digits,
				    sizeof digits);
				/* Digits and dashes in a right-to-left line: kept left to right. */
				xmlNodePtr li = page_add(ul, "li", NULL);
				page_attr(page_add(li, "span", digits), "dir", "ltr");
				snprintf(buf, sizeof buf, "%s: %s", r->d[k].late ? " (دیررس)" : "",
				    r->d[k].outcome ? vocab_persian_of(&outcome_vocab, r->d[k].outcome)
				    : "هنوز بی‌پاسخ");
				page_text(li, buf);
				if (r->d[k].reason) {
					page_text(li, " — ");
					page_text(li, r->d[k].reason);
				}
			}
		}
		if (r->change[0])
			diff_html(div, &r->diff);
	}
}

int
report_impact_section(struct context *ctx, xmlNodePtr parent, const char *code)
{
	struct impact im;
	int rc = impact_load(ctx, code, &im);

	if (rc != 0)
		return rc;
	impact_html(ctx, parent, &im);
	impact_free(&im);
	return 0;
}

int
report_impact_page(struct context *ctx, char *const *codes, char **html, size_t *n, char **why)
{
	struct page p;

	if (report_page_open(&p, "اثر نظرهای مردم بر پیش‌نویس‌ها", why) != 0)
		return EXIT_FATAL;
	for (size_t i = 0; codes[i]; i++)
		report_impact_section(ctx, p.content, codes[i]);
	page_render(&p, html, n);
	page_close(&p);
	return 0;
}

int
report_period_bounds(struct context *ctx, const struct report_period *period, time_t *since,
    time_t *until, char **why)
{
	const char *bad = NULL;
	struct report_month m;

	*why = NULL;
	if (period->month) {
		if (report_month_parse(period->month, ctx->now, &m, &bad) != 0) {
			*why = xstrdup(bad);
			return EXIT_USAGE;
		}
		*since = m.start;
		*until = m.end;
	} else if (date_of(period->since, since, &bad) != 0 || date_of(period->until, until, &bad) != 0) {
		*why = xstrdup(bad);
		return EXIT_USAGE;
	}
	return 0;
}

/* A bound as people say it: a day when it is a local midnight (the day
 * before, for an end: "to" is the last day in), else the time. */
static char *
bound_text(time_t t, bool end, struct cal_style s, char *buf, size_t n)
{
	int sec;
	long day = cal_local_day(t, &sec);
	char text[64];

	if (sec != 0) {
		snprintf(buf, n, "%s%s", end ? "تا پیش از " : "از ", cal_format_time(t, s, text, sizeof text));
		return buf;
	}
	snprintf(buf, n, "%s%s", end ? "تا " : "از ", cal_format_long(end ? day - 1 : day, s, text,
	    sizeof text));
	return buf;
}

char *
report_span_text(struct context *ctx, time_t since, time_t until)
{
	struct cal_style s = ctx->cfg->citizen;
	char a[96] = "", b[96] = "";

	if (!since && !until)
		return xstrdup("همه زمان‌ها");
	return xasprintf("%s%s%s", since ? bound_text(since, false, s, a, sizeof a) : "",
	    since && until ? " " : "", until ? bound_text(until, true, s, b, sizeof b) : "");
}

int
report_page_open(struct page *p, const char *title, char **why)
{
	char *frame = xasprintf("%s/%s", config_share_dir(NULL), PUBLISH_FRAME);
	int rc = page_open(p, frame, title, why);

	free(frame);
	if (rc != 0)
		return -1;
	char *css = xasprintf("%s/partake.css", config_share_dir(NULL));
	page_inline_style(p, css);
	free(css);
	page_add(p->content, "h1", title);
	return 0;
}

/* --- the public's feedback on the news ------------------------------------ */

/* The topic of a feedback: its service when it names one, else the unit it
 * was routed to; grouped by news item (what it is about) and topic, the
 * items with the most feedback first. */
static const char feedback_sql[] =
    "SELECT about, topic_kind, topic, topic_name, count(*),"
    " sum(CASE WHEN answered IS NOT NULL THEN 1 ELSE 0 END), min(received), max(received),"
    " sum(count(*)) OVER (PARTITION BY about)"
    " FROM (SELECT c.about,"
    "  CASE WHEN s.id IS NOT NULL THEN 'service' WHEN u.id IS NOT NULL THEN 'unit' END AS topic_kind,"
    "  COALESCE(s.code, u.code) AS topic, COALESCE(s.name, u.name) AS topic_name,"
    "  c.received, c.answered"
    "  FROM cases c LEFT JOIN service s ON s.id = c.service_id LEFT JOIN unit u ON u.id = c.unit_id"
    "  WHERE c.kind = 'feedback' AND (? = 0 OR c.received >= ?) AND (? = 0 OR c.received < ?)) f"
    " GROUP BY about, topic_kind, topic, topic_name"
    " ORDER BY 9 DESC, about IS NULL, about, 5 DESC, topic IS NULL, topic";

struct feedback_row {
	char *about, *topic_kind, *topic, *topic_name;
	long count, answered, item_total;
	time_t first, last;
};

struct feedback {
	time_t since, until;	/* 0: no bound */
	struct feedback_row *rows;
	size_t n;
	long total;
};

static char *
copy_text(struct stmt *st, int i)
{
	return stmt_null(st, i) ? NULL : xstrdup(stmt_text(st, i));
}

static void
feedback_free(struct feedback *fb)
{
	for (size_t i = 0; i < fb->n; i++) {
		free(fb->rows[i].about);
		free(fb->rows[i].topic_kind);
		free(fb->rows[i].topic);
		free(fb->rows[i].topic_name);
	}
	free(fb->rows);
}

static int
feedback_load(struct context *ctx, struct feedback *fb)
{
	struct stmt *st = store_sql(ctx->store, feedback_sql);

	fb->rows = NULL;
	fb->n = 0;
	fb->total = 0;
	for (int i = 0; i < 2; i++) {
		stmt_bind_int(st, (long long)(i ? fb->until : fb->since));
		stmt_bind_int(st, (long long)(i ? fb->until : fb->since));
	}
	while (stmt_row(st)) {
		fb->rows = xrealloc(fb->rows, (fb->n + 1) * sizeof *fb->rows);
		struct feedback_row *r = &fb->rows[fb->n++];
		r->about = copy_text(st, 0);
		r->topic_kind = copy_text(st, 1);
		r->topic = copy_text(st, 2);
		r->topic_name = copy_text(st, 3);
		r->count = (long)stmt_int(st, 4);
		r->answered = (long)stmt_int(st, 5);
		r->first = (time_t)stmt_int(st, 6);
		r->last = (time_t)stmt_int(st, 7);
		r->item_total = (long)stmt_int(st, 8);
		fb->total += r->count;
	}
	return stmt_status(st);
}

static const struct column feedback_columns[] = {
	{"about", COL_TEXT}, {"item_total", COL_INT}, {"topic_kind", COL_TEXT}, {"topic", COL_TEXT},
	{"topic_name", COL_TEXT}, {"feedback", COL_INT}, {"answered", COL_INT}, {"first", COL_TEXT},
	{"last", COL_TEXT},
};

const struct column *
report_feedback_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(feedback_columns);
	return feedback_columns;
}

static void
feedback_print(struct context *ctx, const struct feedback *fb, struct printer *p)
{
	for (size_t i = 0; i < fb->n; i++) {
		const struct feedback_row *r = &fb->rows[i];
		char a[64], b[64];
		printer_text(p, r->about);
		printer_int(p, r->item_total);
		printer_text(p, r->topic_kind);
		printer_text(p, r->topic);
		printer_text(p, r->topic_name);
		printer_int(p, r->count);
		printer_int(p, r->answered);
		printer_text(p, cal_format_time(r->first, ctx->cfg->shown, a, sizeof a));
		printer_text(p, cal_format_time(r->last, ctx->cfg->shown, b, sizeof b));
		printer_row(p);
	}
}

static void
cell(xmlNodePtr tr, const char *tag, const char *text)
{
	page_add(tr, tag, text ? text : "");
}

/* The page: one table, the item's cell spanning its topics. */
static int
feedback_html(struct context *ctx, const struct feedback *fb, char **html, size_t *n, char **why)
{
	struct cal_style s = ctx->cfg->citizen;
	static const char *const heads[] = {"خبر یا اطلاعیه", "همه بازخوردهای آن", "موضوع",
		"بازخورد", "پاسخ‌داده", "نخستین", "واپسین"};
	char a[64], total[48], made[64];
	struct page p;

	if (report_page_open(&p, "بازخورد مردم بر خبرها و اطلاعیه‌ها", why) != 0)
		return EXIT_FATAL;
	char *when = report_span_text(ctx, fb->since, fb->until);
	char *span = xasprintf("%s؛ همه: %s؛ تهیه‌شده در %s", when,
	    cal_format_number(fb->total, s, total, sizeof total),
	    cal_format_time(ctx->now, s, made, sizeof made));
	free(when);
	page_add_class(p.content, "p", "period", span);
	free(span);
	xmlNodePtr table = page_add_class(p.content, "table", "feedback", NULL);
	xmlNodePtr tr = page_add(table, "tr", NULL);
	for (size_t i = 0; i < ARRAY_SIZE(heads); i++)
		page_add(tr, "th", heads[i]);
	for (size_t i = 0; i < fb->n; i++) {
		const struct feedback_row *r = &fb->rows[i];
		tr = page_add(table, "tr", NULL);
		cell(tr, "td", r->about ? r->about : "(نام برده نشده)");
		cell(tr, "td", cal_format_number(r->item_total, s, a, sizeof a));
		char *topic = r->topic ? xasprintf("%s%s", r->topic_name ? r->topic_name : r->topic,
		    strcmp(r->topic_kind, "unit") ? "" : " (واحد)") : NULL;
		cell(tr, "td", topic ? topic : "—");
		free(topic);
		cell(tr, "td", cal_format_number(r->count, s, a, sizeof a));
		cell(tr, "td", cal_format_number(r->answered, s, a, sizeof a));
		cell(tr, "td", cal_format_time(r->first, s, a, sizeof a));
		cell(tr, "td", cal_format_time(r->last, s, a, sizeof a));
	}
	page_render(&p, html, n);
	page_close(&p);
	return 0;
}

int
report_feedback_run(struct context *ctx, const struct report_period *period, const char *path,
    FILE *page_out, struct printer *p, char **why)
{
	struct feedback fb = {0};
	int rc;

	*why = NULL;
	if ((rc = report_period_bounds(ctx, period, &fb.since, &fb.until, why)) != 0)
		return rc;
	if ((rc = feedback_load(ctx, &fb)) != 0) {
		*why = xstrdup(store_error(ctx->store));
		feedback_free(&fb);
		return rc;
	}
	if (p)
		feedback_print(ctx, &fb, p);
	if (path || page_out) {
		char *html;
		size_t n;
		if ((rc = feedback_html(ctx, &fb, &html, &n, why)) == 0) {
			if (path)
				rc = page_write_path(path, html, n, why) == 0 ? 0 : EXIT_FATAL;
			else if (fwrite(html, 1, n, page_out) != n) {
				*why = xstrdup("write error");
				rc = EXIT_FATAL;
			}
			free(html);
		}
	}
	feedback_free(&fb);
	return rc;
}
