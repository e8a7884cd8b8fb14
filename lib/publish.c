/* publish.c — the public pages of drafts and services, and the drafts' feed (see publish.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "config.h"
#include "draft.h"
#include "exitcode.h"
#include "feed.h"
#include "page.h"
#include "publish.h"
#include "util.h"

/* The words of the pages, Persian for citizens. */
#define T_DRAFTS "پیش‌نویس‌های مقررات برای نظرخواهی"
#define T_FEED "خوراک Atom پیش‌نویس‌ها"
#define T_CODE "کد پیش‌نویس"
#define T_UNIT "واحد مسئول"
#define T_STATE "وضعیت"
#define T_WINDOW "مهلت نظرخواهی"
#define T_COMMENTS "نظرها"
#define T_LATE "دیررس"
#define T_TEXT "متن پیش‌نویس"
#define T_HOW "نظر خود را چگونه بفرستید"
#define T_ANSWER "پاسخ نظر خود را چگونه بخوانید"
#define T_EXTENDED "این مهلت تمدید شده است"
#define T_ALL "درباره کل پیش‌نویس"
#define T_SERVICES "شناسنامه خدمات"

struct out {
	struct context *ctx;
	struct page_set *set;
	const char *web, *share;
	char *why;
};

static char *
share_path(struct out *o, const char *name)
{
	return xasprintf("%s/%s", o->share, name);
}

/* The number in the citizens' digits; a static buffer per call site is the caller's. */
static const char *
number(struct out *o, long long v, char buf[48])
{
	return cal_format_number(v, o->ctx->cfg->citizen, buf, 48);
}

/* "۱۵ آذر ۱۴۰۵" for citizens, or with ", ساعت ۲۳:۵۹:۵۹" (with_time), in the agency's zone. */
static char *
long_time_as(struct out *o, time_t t, bool seconds, char *buf, size_t n)
{
	int sec;
	long day = cal_local_day(t, &sec);
	char d[64], hm[16], digits[40];

	cal_format_long(day, o->ctx->cfg->citizen, d, sizeof d);
	if (seconds)
		snprintf(hm, sizeof hm, "%02d:%02d:%02d", sec / 3600, sec / 60 % 60, sec % 60);
	else
		snprintf(hm, sizeof hm, "%02d:%02d", sec / 3600, sec / 60 % 60);
	cal_format_digits(hm, o->ctx->cfg->citizen, digits, sizeof digits);
	snprintf(buf, n, "%s، ساعت %s", d, digits);
	return buf;
}

static char *
long_time(struct out *o, time_t t, char *buf, size_t n)
{
	return long_time_as(o, t, false, buf, n);
}

/* The end of a window: its day, the last second and the zone it is in. */
static char *
window_end_text(struct out *o, time_t t, char *buf, size_t n)
{
	char when[120];
	const char *zone = o->ctx->cfg->timezone;

	long_time_as(o, t, true, when, sizeof when);
	if (zone == NULL || strcmp(zone, "Asia/Tehran") == 0)
		snprintf(buf, n, "%s به وقت تهران", when);
	else
		snprintf(buf, n, "%s (%s)", when, zone);
	return buf;
}

static int
stage(struct out *o, const char *name, char *data, size_t n)
{
	int rc = page_set_add(o->set, o->web, name, data, n, &o->why);
	free(data);
	return rc;
}

static int
stage_page(struct out *o, struct page *p, const char *name)
{
	char *data;
	size_t n;

	page_render(p, &data, &n);
	page_close(p);
	return stage(o, name, data, n);
}

static int
open_page(struct out *o, struct page *p, const char *title)
{
	char *frame = share_path(o, PUBLISH_FRAME);
	int rc = page_open(p, frame, title, &o->why);
	free(frame);
	return rc;
}

/* The stylesheet, copied as the agency wrote it. */
static int
stage_style(struct out *o)
{
	char *path = share_path(o, PUBLISH_STYLE);
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[4096];
	size_t got;

	if (f == NULL) {
		o->why = xasprintf("%s: cannot read the stylesheet", path);
		free(path);
		return -1;
	}
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, got);
	fclose(f);
	free(path);
	return stage(o, PUBLISH_STYLE, b.data ? b.data : xstrdup(""), b.len);
}

/* --- drafts --------------------------------------------------------------- */

static void
field_line(xmlNodePtr parent, const char *label, const char *value)
{
	xmlNodePtr p = page_add(parent, "p", NULL);
	page_add_class(p, "span", "label", label);
	page_text(p, ": ");
	page_text(p, value);
}

/* The window as citizens read it: its end, and that it was extended, with why. */
static void
window_lines(struct out *o, xmlNodePtr parent, const struct draft_facts *f)
{
	char from[160], to[256], line[600];

	if (f->state == DRAFT_PENDING)
		return;
	long_time(o, f->opened, from, sizeof from);
	window_end_text(o, f->closes, to, sizeof to);
	snprintf(line, sizeof line, "از %s تا %s", from, to);
	field_line(parent, T_WINDOW, line);
	struct stmt *st = store_sql(o->ctx->store,
	    "SELECT note FROM event WHERE subject_kind = 'draft' AND subject_id = ? AND what = 'extend'"
	    " ORDER BY id");
	stmt_bind_int(st, f->id);
	xmlNodePtr list = NULL;
	while (stmt_row(st)) {
		if (list == NULL) {
			page_add_class(parent, "p", "extended", T_EXTENDED);
			list = page_add(parent, "ul", NULL);
		}
		page_add(list, "li", stmt_text(st, 0));
	}
}

static void
counts_line(struct out *o, xmlNodePtr parent, long in_window, long late)
{
	char a[48], b[48], line[160];

	if (late)
		snprintf(line, sizeof line, "%s: %s (%s: %s)", T_COMMENTS, number(o, in_window, a), T_LATE,
		    number(o, late, b));
	else
		snprintf(line, sizeof line, "%s: %s", T_COMMENTS, number(o, in_window, a));
	page_add_class(parent, "p", "count", line);
}

/* An article's lines, each a paragraph; its notes (تبصره) marked. */
static void
article_body(xmlNodePtr parent, const char *body)
{
	for (const char *line = body ? body : ""; *line;) {
		size_t n = strcspn(line, "\n");
		char *l = xstrndup(line, n);
		if (*strip(l))
			page_add_class(parent, "p", strncmp(l, "تبصره", strlen("تبصره")) == 0 ? "note" : "text",
			    l);
		free(l);
		line += n + (line[n] == '\n');
	}
}

static void
how_to_comment(struct out *o, xmlNodePtr parent, const struct draft_facts *f)
{
	char to[256], line[900];

	if (f->state == DRAFT_OPEN) {
		page_add(parent, "h2", T_HOW);
		snprintf(line, sizeof line, "تا %s نظر خود را از راه درگاه، نامه الکترونیکی یا "
		    "پیامک بفرستید و کد پیش‌نویس %s و شماره ماده‌ای را که درباره آن است بنویسید. "
		    "نظری که پس از این مهلت برسد نگه داشته می‌شود، اما دیررس شمرده می‌شود.",
		    window_end_text(o, f->closes, to, sizeof to), f->code);
		page_add(parent, "p", line);
	} else if (f->state == DRAFT_CLOSED) {
		snprintf(line, sizeof line, "مهلت نظرخواهی در %s به پایان رسید. نظرها بررسی می‌شوند و "
		    "نتیجه هر نظر ثبت می‌شود.", window_end_text(o, f->closes, to, sizeof to));
		page_add_class(parent, "p", "closed", line);
	} else if (f->state == DRAFT_FINAL) {
		char v[48];
		snprintf(line, sizeof line, "نسخه %s این پیش‌نویس تصویب و نهایی شد.",
		    number(o, f->final_version, v));
		page_add_class(parent, "p", "final", line);
	}
	page_add(parent, "h2", T_ANSWER);
	page_add(parent, "p", "با ثبت هر نظر یک کد پیگیری دوازده‌رقمی به شما داده می‌شود. پاسخ و "
	    "نتیجه بررسی نظرتان (پذیرفته شد، بخشی از آن پذیرفته شد، پذیرفته نشد، ملاحظه شد) و "
	    "دلیل آن را با همین کد در بخش پیگیری درگاه می‌خوانید.");
}

static int
draft_page(struct out *o, const struct draft_facts *f)
{
	struct page p;
	char name[64], v[48];

	if (open_page(o, &p, f->title) != 0)
		return -1;
	page_add(p.content, "h1", f->title);
	xmlNodePtr facts = page_add_class(p.content, "div", "facts", NULL);
	field_line(facts, T_CODE, f->code);
	field_line(facts, T_UNIT, f->unit);
	field_line(facts, T_STATE, vocab_persian(&draft_state_vocab, f->state));
	window_lines(o, facts, f);
	long general, general_late;
	draft_general_comments(o->ctx, f->id, &general, &general_late);
	size_t n;
	int version = f->state == DRAFT_FINAL ? f->final_version : f->comment_version;
	struct draft_article_row *a = draft_articles(o->ctx, f->id, version, &n);
	long total = general, late = general_late;
	for (size_t i = 0; i < n; i++) {
		total += a[i].comments;
		late += a[i].late;
	}
	counts_line(o, facts, total, late);
	how_to_comment(o, p.content, f);
	char heading[160];
	snprintf(heading, sizeof heading, "%s (نسخه %s)", T_TEXT, number(o, version, v));
	page_add(p.content, "h2", heading);
	char *text = draft_version_text(o->ctx, f->id, version);
	struct draft_text parsed;
	char why[256];
	if (text && draft_parse(text, &parsed, why, sizeof why) == 0) {
		if (*parsed.preamble)
			article_body(page_add_class(p.content, "div", "preamble", NULL), parsed.preamble);
		draft_text_free(&parsed);
	}
	free(text);
	if (general || general_late) {
		xmlNodePtr all = page_add_class(p.content, "div", "article", NULL);
		page_add(all, "h3", T_ALL);
		counts_line(o, all, general, general_late);
	}
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr div = page_add_class(p.content, "div", "article", NULL);
		snprintf(name, sizeof name, "article-%d", a[i].number);
		page_attr(div, "id", name);
		page_add(div, "h3", a[i].heading);
		article_body(div, a[i].body);
		if (f->state != DRAFT_PENDING)
			counts_line(o, div, a[i].comments, a[i].late);
	}
	draft_articles_free(a, n);
	snprintf(name, sizeof name, "drafts/%s.html", f->code);
	return stage_page(o, &p, name);
}

static int
draft_index(struct out *o, char **codes)
{
	struct page p;
	char closes[160], count[48];

	if (open_page(o, &p, T_DRAFTS) != 0)
		return -1;
	page_add(p.content, "h1", T_DRAFTS);
	xmlNodePtr feed = page_add_class(p.content, "p", "feed", NULL);
	page_link(feed, "feed.atom", T_FEED);
	if (codes[0] == NULL)
		page_add(p.content, "p", "اکنون پیش‌نویسی برای نظرخواهی نیست.");
	else {
		xmlNodePtr table = page_add(p.content, "table", NULL);
		xmlNodePtr head = page_add(table, "tr", NULL);
		const char *cols[] = {T_CODE, "عنوان", T_STATE, T_WINDOW, T_COMMENTS};
		for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
			page_add(head, "th", cols[i]);
		for (size_t i = 0; codes[i]; i++) {
			struct draft_facts f;
			if (draft_load(o->ctx, codes[i], &f) != 0)
				continue;
			char href[64];
			snprintf(href, sizeof href, "%s.html", f.code);
			xmlNodePtr tr = page_add(table, "tr", NULL);
			page_add(tr, "td", f.code);
			page_link(page_add(tr, "td", NULL), href, f.title);
			page_add(tr, "td", vocab_persian(&draft_state_vocab, f.state));
			page_add(tr, "td", long_time(o, f.closes, closes, sizeof closes));
			struct stmt *st = store_sql(o->ctx->store,
			    "SELECT count(*) FROM draft_comment WHERE draft_id = ? AND late = 0");
			stmt_bind_int(st, f.id);
			long n = 0;
			if (stmt_row(st)) {
				n = (long)stmt_int(st, 0);
				stmt_reset(st);
			}
			page_add(tr, "td", number(o, n, count));
			draft_facts_free(&f);
		}
	}
	return stage_page(o, &p, "drafts/index.html");
}

static char *
draft_url(struct out *o, const char *name)
{
	const char *site = o->ctx->cfg->site_url;
	size_t n = site ? strlen(site) : 0;

	if (site == NULL)
		return xstrdup(name);
	return xasprintf("%.*s/drafts/%s", (int)(n && site[n - 1] == '/' ? n - 1 : n), site, name);
}

static int
draft_feed(struct out *o, char **codes)
{
	char updated[32], published[32], closes[160];
	time_t newest = 0;

	for (size_t i = 0; codes[i]; i++) {
		struct draft_facts f;
		if (draft_load(o->ctx, codes[i], &f) == 0) {
			if (f.changed > newest)
				newest = f.changed;
			draft_facts_free(&f);
		}
	}
	char *self = draft_url(o, "feed.atom"), *index = draft_url(o, "index.html");
	char *feed_id = o->ctx->cfg->site_url ? xstrdup(index) : xstrdup("tag:partake,2026:drafts");
	struct feed *feed = feed_new(feed_id, T_DRAFTS, self, index,
	    cal_format_rfc3339(newest, updated, sizeof updated));
	for (size_t i = 0; codes[i]; i++) {
		struct draft_facts f;
		if (draft_load(o->ctx, codes[i], &f) != 0)
			continue;
		char page[64];
		snprintf(page, sizeof page, "%s.html", f.code);
		char *link = draft_url(o, page);
		char *id = o->ctx->cfg->site_url ? xstrdup(link) : xasprintf("tag:partake,2026:%s", f.code);
		char *summary = xasprintf("%s، %s: %s — %s: %s", f.code, T_STATE,
		    vocab_persian(&draft_state_vocab, f.state), T_WINDOW,
		    long_time(o, f.closes, closes, sizeof closes));
		struct feed_entry e = {
			.id = id, .title = f.title, .link = link,
			.updated = cal_format_rfc3339(f.changed, updated, sizeof updated),
			.published = cal_format_rfc3339(f.opened, published, sizeof published),
			.author = f.unit, .summary = summary,
		};
		feed_add(feed, &e);
		free(summary);
		free(id);
		free(link);
		draft_facts_free(&f);
	}
	char *data;
	size_t n;
	feed_render(feed, &data, &n);
	free(self);
	free(index);
	free(feed_id);
	return stage(o, "drafts/feed.atom", data, n);
}

static int
stage_drafts(struct out *o)
{
	char **codes = draft_codes(o->ctx, true);
	int rc = 0;

	for (size_t i = 0; codes[i] && rc == 0; i++) {
		struct draft_facts f;
		if ((rc = draft_load(o->ctx, codes[i], &f)) != 0) {
			o->why = xstrdup(store_error(o->ctx->store));
			break;
		}
		rc = draft_page(o, &f);
		draft_facts_free(&f);
	}
	if (rc == 0)
		rc = draft_index(o, codes);
	if (rc == 0)
		rc = draft_feed(o, codes);
	draft_codes_free(codes);
	return rc;
}

/* --- services ------------------------------------------------------------- */

static void
text_section(xmlNodePtr parent, const char *label, const char *text)
{
	if (text == NULL || *text == '\0')
		return;
	page_add(parent, "h2", label);
	article_body(parent, text);
}

static int
service_page(struct out *o, struct stmt *st)
{
	struct page p;
	char name[96], days[48], line[96];
	const char *const labels[] = {"مراحل", "مدارک لازم", "هزینه", "مدت انجام", "مبنای قانونی",
	    "شکایت از این خدمت"};

	if (open_page(o, &p, stmt_text(st, 1)) != 0)
		return -1;
	page_add(p.content, "h1", stmt_text(st, 1));
	xmlNodePtr facts = page_add_class(p.content, "div", "facts", NULL);
	field_line(facts, T_UNIT, stmt_text(st, 2) ? stmt_text(st, 2) : "");
	if (!stmt_null(st, 3)) {
		snprintf(line, sizeof line, "%s روز کاری", number(o, stmt_int(st, 3), days));
		field_line(facts, "مهلت پاسخ به درخواست‌ها", line);
	}
	for (int i = 0; i < 6; i++)
		text_section(p.content, labels[i], stmt_text(st, 4 + i));
	struct stmt *faq = store_sql(o->ctx->store,
	    "SELECT question, answer FROM service_faq WHERE service_id = ? ORDER BY id");
	stmt_bind_int(faq, stmt_int(st, 10));
	xmlNodePtr dl = NULL;
	while (stmt_row(faq)) {
		if (dl == NULL) {
			page_add(p.content, "h2", "پرسش‌های رایج");
			dl = page_add(p.content, "dl", NULL);
		}
		page_add(dl, "dt", stmt_text(faq, 0));
		page_add(dl, "dd", stmt_text(faq, 1));
	}
	snprintf(name, sizeof name, "services/%s.html", stmt_text(st, 0));
	return stage_page(o, &p, name);
}

static int
stage_services(struct out *o)
{
	struct stmt *st = store_sql(o->ctx->store,
	    "SELECT s.code, s.name, u.name, s.deadline_days, s.steps, s.documents, s.fees,"
	    " s.duration, s.legal_basis, s.how_to_complain, s.id"
	    " FROM service s LEFT JOIN unit u ON u.id = s.unit_id ORDER BY s.code");
	struct page index;
	int rc = 0;

	if (open_page(o, &index, T_SERVICES) != 0)
		return -1;
	page_add(index.content, "h1", T_SERVICES);
	xmlNodePtr list = page_add(index.content, "ul", NULL);
	while (stmt_row(st)) {
		char href[96];
		snprintf(href, sizeof href, "%s.html", stmt_text(st, 0));
		page_link(page_add(list, "li", NULL), href, stmt_text(st, 1));
		if (rc == 0)
			rc = service_page(o, st);
	}
	if (rc == 0)
		rc = stage_page(o, &index, "services/index.html");
	else
		page_close(&index);
	return rc;
}

/* --- the run -------------------------------------------------------------- */

int
publish_run(struct context *ctx, publish_job job, void *arg, unsigned what, bool need_web,
    size_t *pages, char **why)
{
	const char *web = ctx->cfg->web_dir;
	struct out o = {.ctx = ctx, .web = web, .share = config_share_dir(NULL)};
	int rc;

	*pages = 0;
	*why = NULL;
	if (web == NULL && need_web) {
		*why = xstrdup("web_dir is not set in the configuration: nowhere to publish");
		return EXIT_FATAL;
	}
	if ((rc = store_begin(ctx->store)) != 0)
		return rc;
	if (job && (rc = job(ctx, arg)) != 0) {
		store_rollback(ctx->store);
		return rc;
	}
	if (web) {
		o.set = page_set_new();
		int bad = stage_style(&o);
		if (!bad && (what & PUBLISH_DRAFTS))
			bad = stage_drafts(&o);
		if (!bad && (what & PUBLISH_SERVICES))
			bad = stage_services(&o);
		if (bad) {
			page_set_abort(o.set);
			store_rollback(ctx->store);
			*why = xasprintf("%s: nothing published, nothing changed", o.why);
			free(o.why);
			return EXIT_FATAL;
		}
		*pages = page_set_count(o.set);
	}
	if ((rc = store_commit(ctx->store)) != 0) {
		if (o.set)
			page_set_abort(o.set);
		return rc;
	}
	if (o.set && page_set_commit(o.set, &o.why) != 0) {
		*why = o.why;
		return EXIT_FATAL;
	}
	return 0;
}
