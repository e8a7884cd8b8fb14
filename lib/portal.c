/*
 * portal.c — partake.cgi's routes (see portal.h and partake.cgi(8)). One
 * process per request: the config, the calendar and the database are
 * opened for what the route needs (a GET reads and can write nothing; a
 * POST writes), the request is answered, and the process ends.
 *
 * A submit, in order: the form's token (guard.h) before anything; the
 * fields through the library's checks (case_check, survey_record), each
 * error named by its field's label, in Persian, on the form again with
 * what was typed; then, in one transaction, the address's hit counted
 * (or refused: 429) and the record stored. The form's token is the
 * case's source id, so a form sent twice (a reload) stores one case.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caltime.h"
#include "caseview.h"
#include "cgi.h"
#include "clock.h"
#include "code.h"
#include "draft.h"
#include "exitcode.h"
#include "guard.h"
#include "open311.h"
#include "page.h"
#include "portal.h"
#include "portalpage.h"
#include "schema.h"
#include "service.h"
#include "survey.h"
#include "text.h"
#include "util.h"
#include "workcal.h"

#define COOKIE_NAME "partake_form"

struct portal {
	struct cgi_request req;
	struct cgi_limits lim;
	struct cgi_form form;	/* a POST's body */
	FILE *in, *out;
	struct config *cfg;
	struct context ctx;
	struct guard guard;
	char cookie[GUARD_COOKIE_LEN + 1];
	bool new_cookie;	/* the answer sets the cookie */
	char *dir;		/* the frame's and the stylesheet's folder */
};

/* --- answers -------------------------------------------------------------- */

/* What went wrong inside, for the server's log: our words and the store's,
 * never a field's value. */
static void
log_failure(const char *what, const char *why)
{
	fprintf(stderr, "partake.cgi: %s: %s\n", what, why ? why : "?");
}

static void
respond(struct portal *P, int status, const char *type, const char *data, size_t n,
    const char *extra)
{
	char *cookie = NULL;
	const char *headers[3] = {NULL};
	int k = 0;

	if (P->new_cookie) {
		/* HttpOnly and SameSite=Strict: no script reads it, no other
		 * site's form sends it. */
		cookie = xasprintf("Set-Cookie: " COOKIE_NAME "=%s; Path=%s; HttpOnly; SameSite=Strict%s",
		    P->cookie, *P->req.script ? P->req.script : "/", P->req.https ? "; Secure" : "");
		headers[k++] = cookie;
	}
	if (extra)
		headers[k++] = extra;
	cgi_head(P->out, status, type, n, headers);
	if (P->req.method != CGI_HEAD && n)
		fwrite(data, 1, n, P->out);
	free(cookie);
}

static void
respond_text(struct portal *P, int status, const char *text)
{
	respond(P, status, "text/plain; charset=utf-8", text, strlen(text), NULL);
}

/* The page, rendered, as the answer; closes it. */
static int
send_page(struct portal *P, struct portal_page *pg, int status, const char *extra)
{
	char *data;
	size_t n;

	page_render(&pg->page, &data, &n);
	respond(P, status, "text/html; charset=utf-8", data, n, extra);
	free(data);
	portal_page_close(pg);
	return 0;
}

/* A page of a title and a paragraph: the answer to what is not a form. */
static int
send_message(struct portal *P, int status, const char *title, const char *text, const char *extra)
{
	struct portal_page pg;
	char *why;

	if (portal_page_open(&pg, P->dir, P->req.script, title, &why) != 0) {
		log_failure("page frame", why);
		free(why);
		respond_text(P, 500, "partake.cgi: the portal's page frame is missing\n");
		return EXIT_FATAL;
	}
	page_add(pg.content, "p", text);
	page_link(page_add(pg.content, "p", NULL), "./", "بازگشت به صفحه نخست");
	return send_page(P, &pg, status, extra);
}

static int
store_unavailable(struct portal *P, int rc)
{
	log_failure("database", store_error(P->ctx.store));
	return send_message(P, 503, "سامانه در دسترس نیست",
	    rc == EXIT_TEMPFAIL ? "سامانه اکنون سرگرم است. چند دقیقه دیگر دوباره بکوشید."
			       : "سامانه اکنون پاسخ نمی‌دهد. لطفاً بعداً دوباره بکوشید.",
	    "Retry-After: 60");
}

static int
not_found(struct portal *P)
{
	return send_message(P, 404, "صفحه پیدا نشد", "نشانی‌ای که خواستید در این درگاه نیست.", NULL);
}

/* --- what a request needs ------------------------------------------------- */

/* The browser's form cookie, or a new one that this answer sets. */
static void
take_cookie(struct portal *P)
{
	char buf[GUARD_COOKIE_LEN + 8];
	const char *v = cgi_cookie(P->req.cookie, COOKIE_NAME, buf, sizeof buf);

	if (guard_cookie_ok(v)) {
		memcpy(P->cookie, v, GUARD_COOKIE_LEN + 1);
		return;
	}
	guard_new_cookie(P->cookie);
	P->new_cookie = true;
}

static char *
secret_path(const struct config *cfg, const char *db)
{
	if (cfg->portal_secret_file)
		return xstrdup(cfg->portal_secret_file);
	const char *slash = strrchr(db, '/');
	return slash ? xasprintf("%.*s/portal.key", (int)(slash - db), db) : xstrdup("portal.key");
}

/* Config, calendar, store (read-only unless access says more) and secret.
 * 0, or an exit status with *why. */
static int
open_all(struct portal *P, enum store_access access, char **why)
{
	int from, rc;

	if ((P->cfg = config_load(NULL, why)) == NULL)
		return EXIT_FATAL;
	P->dir = xstrdup(P->cfg->portal_dir ? P->cfg->portal_dir : config_share_dir(NULL));
	if (cal_set_zone(P->cfg->timezone) != 0) {
		*why = xasprintf("timezone: %s is not in the tz database", P->cfg->timezone);
		return EXIT_FATAL;
	}
	struct workcal_options opt = {
		.holidays_dir = P->cfg->holidays_dir, .closures = P->cfg->closures,
		.closure_max_days = P->cfg->closure_max_days, .weekend = P->cfg->weekend,
		.office_open = P->cfg->office_open, .office_close = P->cfg->office_close,
	};
	if ((P->ctx.wc = workcal_open(&opt, why)) == NULL)
		return EXIT_FATAL;
	P->ctx.cfg = P->cfg;
	P->ctx.now = clock_now();
	P->ctx.for_people = true;
	char *path = store_default_path(P->cfg->db, false);
	rc = schema_open(path, access, P->cfg, &P->ctx.store, &from, why);
	if (rc == 0 && access == STORE_READ && (rc = store_query_only(P->ctx.store)) != 0)
		*why = xstrdup(store_error(P->ctx.store));
	if (rc == 0) {
		char *key = secret_path(P->cfg, path);
		if (guard_load(&P->guard, key, why) != 0)
			rc = EXIT_FATAL;
		free(key);
	}
	free(path);
	return rc;
}

static void
close_all(struct portal *P)
{
	if (P->ctx.store)
		store_close(P->ctx.store);
	if (P->ctx.wc)
		workcal_close(P->ctx.wc);
	config_free(P->cfg);
	cgi_form_free(&P->form);
	free(P->dir);
}

static void
token_for(struct portal *P, const char *form, char out[GUARD_TOKEN_SIZE])
{
	guard_token(&P->guard, P->cookie, form, P->ctx.now, out);
}

/* The form's token of this request: a browser that came without the
 * cookie has none that can be good. */
static enum guard_verdict
check_token(struct portal *P, const char *form)
{
	if (P->new_cookie)
		return GUARD_NO_COOKIE;
	return guard_check(&P->guard, P->cookie, form, cgi_form_get(&P->form, "_token"), P->ctx.now);
}

/* Why a form's token was refused, for the citizen. */
static const char *
token_refusal(enum guard_verdict v)
{
	switch (v) {
	case GUARD_NO_COOKIE:
		return "مرورگر شما کوکی این درگاه را نگه نداشت؛ بی آن فرم پذیرفته نمی‌شود. کوکی را "
		    "برای این درگاه روا کنید و فرم را دوباره بفرستید.";
	case GUARD_EXPIRED:
		return "این فرم بیش از یک روز پیش باز شده بود. آنچه نوشته بودید نگه داشته شد؛ "
		    "دوباره بفرستید.";
	default:
		return "این فرم از صفحه‌ای از همین درگاه فرستاده نشده بود و چیزی ثبت نشد. آنچه "
		    "نوشته بودید نگه داشته شد؛ اگر خودتان فرستاده‌اید، دوباره بفرستید.";
	}
}

/* In a transaction of the caller: the address's hit of `what`; *refused
 * when its limit for the hour is reached. */
static int
count_hit(struct portal *P, const char *what, bool *refused)
{
	char key[GUARD_KEY_SIZE];
	int limit = strcmp(what, "submit") == 0 ? P->cfg->portal_submits_per_hour
						: P->cfg->portal_lookups_per_hour;

	guard_address_key(&P->guard, P->req.remote_addr, key);
	return guard_hit(P->ctx.store, key, what, P->ctx.now, limit, refused);
}

static int
too_many(struct portal *P, bool lookup)
{
	return send_message(P, 429, "درخواست‌ها بیش از اندازه",
	    lookup ? "از این نشانی در یک ساعت گذشته بیش از اندازه پیگیری شده است. لطفاً ساعتی "
		     "دیگر دوباره بکوشید."
		   : "از این نشانی در یک ساعت گذشته بیش از اندازه فرم فرستاده شده است و این یکی "
		     "ثبت نشد. لطفاً ساعتی دیگر دوباره بفرستید، یا با تلفن ۱۱۱ تماس بگیرید.",
	    "Retry-After: 3600");
}

/* --- the home page -------------------------------------------------------- */

static int
put_service_item(const struct service_entry *e, void *arg)
{
	xmlNodePtr ul = arg, li = page_add(ul, "li", NULL);
	char *href = xasprintf("complaint?service=%s", e->code);

	page_add(li, "strong", e->name);
	if (e->unit_name) {
		page_text(li, " — ");
		page_text(li, e->unit_name);
	}
	if (e->steps && *e->steps)
		page_add_class(li, "p", "steps", e->steps);
	xmlNodePtr p = page_add(li, "p", NULL);
	page_link(p, href, "شکایت درباره این خدمت");
	free(href);
	href = xasprintf("suggestion?service=%s", e->code);
	page_text(p, " · ");
	page_link(p, href, "پیشنهاد درباره این خدمت");
	free(href);
	return 0;
}

static void
put_open_drafts(struct portal *P, xmlNodePtr parent)
{
	char **codes = draft_codes(&P->ctx, true);
	xmlNodePtr ul = NULL;

	for (char **c = codes; c && *c; c++) {
		struct draft_facts f;
		if (draft_load(&P->ctx, *c, &f) != 0)
			continue;
		if (f.state == DRAFT_OPEN) {
			char day[48], *href = xasprintf("comment/%s", f.code);
			if (ul == NULL)
				ul = page_add(parent, "ul", NULL);
			xmlNodePtr li = page_add(ul, "li", NULL);
			page_link(li, href, f.title);
			cal_format_time(f.closes, P->cfg->citizen, day, sizeof day);
			page_text(li, " — مهلت نظر تا ");
			page_text(li, day);
			free(href);
		}
		draft_facts_free(&f);
	}
	if (ul == NULL)
		page_add(parent, "p", "اکنون پیش‌نویسی برای نظرخواهی باز نیست.");
	draft_codes_free(codes);
}

static int
home(struct portal *P, const char *rest)
{
	struct portal_page pg;
	char *why, token[GUARD_TOKEN_SIZE];
	long count = 0;

	(void)rest;
	if (portal_page_open(&pg, P->dir, P->req.script, "درگاه مشارکت مردمی", &why) != 0) {
		log_failure("page frame", why);
		free(why);
		respond_text(P, 500, "partake.cgi: the portal's page frame is missing\n");
		return EXIT_FATAL;
	}
	page_add(pg.content, "p", "در این درگاه می‌توانید شکایت، پیشنهاد، گزارش تخلف، پرسش یا "
	    "بازخورد خود را ثبت کنید و با کد پیگیری‌ای که می‌گیرید، پاسخ را بخوانید.");
	page_add(pg.content, "h2", "ثبت کنید");
	portal_put_kind_links(pg.content);
	page_add(pg.content, "h2", "پیگیری");
	token_for(P, "track", token);
	portal_put_track_form(pg.content, token, NULL, NULL);
	page_add(pg.content, "h2", "پیش‌نویس‌هایی که نظر شما را می‌خواهند");
	put_open_drafts(P, pg.content);
	page_add(pg.content, "h2", "شناسنامه خدمات");
	xmlNodePtr ul = page_add_class(pg.content, "ul", "services", NULL);
	int rc = service_each(P->ctx.store, put_service_item, ul, &count);
	if (rc != 0) {
		portal_page_close(&pg);
		return store_unavailable(P, rc);
	}
	if (count == 0)
		page_add(pg.content, "p", "هنوز خدمتی در شناسنامه نیست.");
	if (P->cfg->site_url) {
		char *href = xasprintf("%s/services/index.html", P->cfg->site_url);
		page_link(page_add(pg.content, "p", NULL), href, "صفحه‌های شناسنامه خدمات");
		free(href);
	}
	return send_page(P, &pg, 200, NULL);
}

/* --- forms of cases ------------------------------------------------------- */

/* The services, for a form's list. */
static int
add_service_choice(const struct service_entry *e, void *arg)
{
	portal_choices_add(arg, e->code, e->name);
	return 0;
}

/* The form of a kind of case, with what was typed and what was wrong. */
static int
case_form(struct portal *P, const struct portal_kind *k, const struct cgi_form *typed,
    const struct field_error *err, const char *notice, int status)
{
	struct portal_page pg;
	struct portal_choices services = {0};
	char *why, token[GUARD_TOKEN_SIZE];
	long count;

	if (portal_page_open(&pg, P->dir, P->req.script, k->title, &why) != 0) {
		log_failure("page frame", why);
		free(why);
		respond_text(P, 500, "partake.cgi: the portal's page frame is missing\n");
		return EXIT_FATAL;
	}
	int rc = service_each(P->ctx.store, add_service_choice, &services, &count);
	if (rc != 0) {
		portal_choices_free(&services);
		portal_page_close(&pg);
		return store_unavailable(P, rc);
	}
	token_for(P, k->form, token);
	portal_put_case_form(&pg, k, &services, typed, err, notice, token);
	portal_choices_free(&services);
	return send_page(P, &pg, status, NULL);
}

static const struct portal_kind *
kind_of(const char *rest)
{
	return portal_kind_find(rest);
}

static int
get_case_form(struct portal *P, const char *rest)
{
	const struct portal_kind *k = kind_of(rest);
	struct cgi_form query;
	const char *why;

	/* A link may name the service (?service=CODE): a query of that alone. */
	if (cgi_form_parse(P->req.query, strlen(P->req.query), &P->lim, &query, &why) != 0)
		return send_message(P, 400, "نشانی نادرست", "این نشانی درست نیست.", NULL);
	int rc = case_form(P, k, &query, NULL, NULL, 200);
	cgi_form_free(&query);
	return rc;
}

/* The receipt: the code, and what the citizen may expect. */
struct receipt {
	struct portal *P;
	struct portal_page *pg;
};

static int
put_receipt(struct context *ctx, const struct case_public *c, void *arg)
{
	struct receipt *r = arg;

	(void)ctx;
	portal_put_receipt(r->pg, c, &r->P->cfg->citizen);
	return 0;
}

static int
receipt(struct portal *P, tcode code, bool again)
{
	struct portal_page pg;
	char *why;

	if (portal_page_open(&pg, P->dir, P->req.script, "ثبت شد", &why) != 0) {
		log_failure("page frame", why);
		free(why);
		respond_text(P, 500, "partake.cgi: the portal's page frame is missing\n");
		return EXIT_FATAL;
	}
	if (again)
		page_add_class(pg.content, "p", "notice", "این فرم پیش‌تر فرستاده و ثبت شده بود؛ "
		    "همان ثبت را می‌بینید و چیزی دوباره ثبت نشد.");
	struct receipt r = {P, &pg};
	int rc = case_public_one(&P->ctx, code, put_receipt, &r);
	if (rc != 0) {
		portal_page_close(&pg);
		return store_unavailable(P, rc);
	}
	return send_page(P, &pg, 200, NULL);
}

/* The fields of a form as a case's input; the draft's for a comment. */
static void
case_input_of(const struct cgi_form *f, int kind, const char *draft, const char *source,
    struct case_input *in)
{
	memset(in, 0, sizeof *in);
	in->kind = vocab_name(&kind_vocab, kind);
	in->channel = vocab_name(&channel_vocab, CHANNEL_PORTAL);
	in->service = case_given(cgi_form_get(f, "service"));
	in->subject = cgi_form_get(f, "subject");
	in->body = cgi_form_get(f, "body");
	in->name = case_given(cgi_form_get(f, "name"));
	in->phone = case_given(cgi_form_get(f, "phone"));
	in->email = case_given(cgi_form_get(f, "email"));
	in->national_id = case_given(cgi_form_get(f, "national_id"));
	in->anonymous = cgi_form_get(f, "anonymous") != NULL;
	in->source_id = source;
	if (draft) {
		in->draft = draft;
		in->article = case_given(cgi_form_get(f, "article"));
	}
	if (kind == KIND_FEEDBACK)
		in->about = case_given(cgi_form_get(f, "about"));
}

/*
 * Checks and stores a case of the form; then the receipt, or the form again.
 * redo(P, err, notice, status) shows the form again with what was typed.
 */
typedef int redo_fn(struct portal *P, const void *what, const struct field_error *err,
    const char *notice, int status);

static int
submit_case(struct portal *P, const char *form_name, int kind, const char *draft, redo_fn *redo,
    const void *what)
{
	const char *token = cgi_form_get(&P->form, "_token");
	enum guard_verdict v = check_token(P, form_name);
	struct field_error err = {0};
	struct case_record rec;
	struct case_input in;
	bool known = false, refused = false;
	tcode code;
	int rc;

	if (v != GUARD_OK)
		return redo(P, what, NULL, token_refusal(v), 403);
	case_input_of(&P->form, kind, draft, token, &in);
	/* The form of feedback asks which news item: the report groups by it. */
	if (kind == KIND_FEEDBACK && in.about == NULL) {
		field_fail(&err, "about", "missing");
		return redo(P, what, &err, NULL, 422);
	}
	if (case_check(&P->ctx, &in, &rec, &err) != 0)
		return redo(P, what, &err, NULL, 422);
	if ((rc = store_durable(P->ctx.store)) != 0 || (rc = store_begin(P->ctx.store)) != 0)
		return store_unavailable(P, rc);
	if ((rc = count_hit(P, "submit", &refused)) != 0 || refused) {
		store_rollback(P->ctx.store);
		return rc ? store_unavailable(P, rc) : too_many(P, false);
	}
	if ((rc = case_insert(&P->ctx, &rec, &code, &known)) != 0) {
		const char *field = store_error_field(P->ctx.store);
		store_rollback(P->ctx.store);
		/* The same form sent again with other words: a new page, a new token. */
		if (field && strcmp(field, "source_id") == 0)
			return redo(P, what, NULL, "این فرم پیش‌تر با نوشته‌ای دیگر فرستاده شده بود. "
			    "آنچه اکنون نوشته‌اید نگه داشته شد؛ اگر ثبت تازه‌ای است، دوباره بفرستید.", 409);
		return store_unavailable(P, rc);
	}
	/* Sent before (a reload): that case, and no hit counted for it. */
	if (known)
		store_rollback(P->ctx.store);
	else if ((rc = store_commit(P->ctx.store)) != 0)
		return store_unavailable(P, rc);
	return receipt(P, code, known);
}

static int
redo_case(struct portal *P, const void *what, const struct field_error *err, const char *notice,
    int status)
{
	return case_form(P, what, &P->form, err, notice, status);
}

static int
post_case_form(struct portal *P, const char *rest)
{
	const struct portal_kind *k = kind_of(rest);

	return submit_case(P, k->form, k->kind, NULL, redo_case, k);
}

/* --- comments on a draft -------------------------------------------------- */

static int
comment_form(struct portal *P, const char *code, const struct field_error *err,
    const char *notice, int status)
{
	struct portal_page pg;
	struct draft_facts f;
	char *why, token[GUARD_TOKEN_SIZE];
	int rc;

	if (strlen(code) >= DRAFT_CODE_SIZE || (rc = draft_load(&P->ctx, code, &f)) == EXIT_PARTIAL ||
	    (rc == 0 && f.state == DRAFT_PENDING)) {
		if (strlen(code) < DRAFT_CODE_SIZE && rc == 0)
			draft_facts_free(&f);
		return send_message(P, 404, "پیش‌نویس پیدا نشد",
		    "پیش‌نویسی با این نشانی برای نظرخواهی منتشر نشده است.", NULL);
	}
	if (rc != 0)
		return store_unavailable(P, rc);
	if (portal_page_open(&pg, P->dir, P->req.script, f.title, &why) != 0) {
		log_failure("page frame", why);
		free(why);
		draft_facts_free(&f);
		respond_text(P, 500, "partake.cgi: the portal's page frame is missing\n");
		return EXIT_FATAL;
	}
	size_t n = 0;
	struct draft_article_row *a = draft_articles(&P->ctx, f.id, 0, &n);
	token_for(P, "comment", token);
	portal_put_comment_form(&pg, &f, a, n, &P->form, err, notice, token, &P->cfg->citizen);
	draft_articles_free(a, n);
	draft_facts_free(&f);
	return send_page(P, &pg, status, NULL);
}

static int
get_comment(struct portal *P, const char *rest)
{
	return comment_form(P, rest, NULL, NULL, 200);
}

static int
redo_comment(struct portal *P, const void *what, const struct field_error *err,
    const char *notice, int status)
{
	return comment_form(P, what, err, notice, status);
}

static int
post_comment(struct portal *P, const char *rest)
{
	return submit_case(P, "comment", KIND_COMMENT, rest, redo_comment, rest);
}

/* --- surveys -------------------------------------------------------------- */

/* A token as an invitation gives it: a few letters and digits. */
static bool
token_shape(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n > 64)
		return false;
	for (; *t; t++)
		if (!((*t >= '0' && *t <= '9') || (*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z')))
			return false;
	return true;
}

static int
survey_form(struct portal *P, const char *invitation, const struct field_error *err,
    const char *notice, int status)
{
	struct survey_question *qs = NULL;
	struct portal_page pg;
	char *title = NULL, *why, token[GUARD_TOKEN_SIZE];
	bool answered = false;
	size_t n = 0;
	int rc;

	if (!token_shape(invitation) ||
	    (rc = survey_invitation(&P->ctx, invitation, &title, &qs, &n, &answered)) == EXIT_PARTIAL)
		return send_message(P, 404, "نظرسنجی پیدا نشد", "این نشانی دعوت به نظرسنجی‌ای نیست. "
		    "نشانی را همان‌گونه که در پیامک یا رایانامه آمده است باز کنید.", NULL);
	if (rc != 0)
		return store_unavailable(P, rc);
	if (answered && status == 200) {
		free(title);
		survey_questions_free(qs, n);
		return send_message(P, 200, "نظرسنجی", "این نظرسنجی پیش‌تر پاسخ داده شده است. از "
		    "اینکه نظرتان را گفتید سپاسگزاریم.", NULL);
	}
	if (portal_page_open(&pg, P->dir, P->req.script, title, &why) != 0) {
		log_failure("page frame", why);
		free(why);
		free(title);
		survey_questions_free(qs, n);
		respond_text(P, 500, "partake.cgi: the portal's page frame is missing\n");
		return EXIT_FATAL;
	}
	token_for(P, "survey", token);
	portal_put_survey_form(&pg, qs, n, &P->form, err, notice, token);
	free(title);
	survey_questions_free(qs, n);
	return send_page(P, &pg, status, NULL);
}

static int
get_survey(struct portal *P, const char *rest)
{
	return survey_form(P, rest, NULL, NULL, 200);
}

/* A response's answers from the form: "q.NAME" fields, a list's joined by '|'. */
static int
survey_answers(struct portal *P, const char *invitation, struct survey_response_input *in,
    char **joined)
{
	struct survey_question *qs = NULL;
	char *title = NULL;
	bool answered;
	size_t n = 0;
	int rc = survey_invitation(&P->ctx, invitation, &title, &qs, &n, &answered);

	free(title);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < n && in->nanswers < SURVEY_QUESTIONS_MAX; i++) {
		char *field = xasprintf("q.%s", qs[i].name);
		const char *values[SURVEY_OPTIONS_MAX];
		size_t k = cgi_form_all(&P->form, field, values, SURVEY_OPTIONS_MAX);
		free(field);
		if (k == 0 || (k == 1 && case_given(values[0]) == NULL))
			continue;
		struct buf b = {0};
		buf_adds(&b, "");
		for (size_t j = 0; j < k; j++) {
			if (j)
				buf_addc(&b, '|');
			buf_adds(&b, values[j]);
		}
		joined[in->nanswers] = b.data;
		in->answers[in->nanswers].question = xstrdup(qs[i].name);
		in->answers[in->nanswers++].value = b.data;
	}
	survey_questions_free(qs, n);
	return 0;
}

static int
post_survey(struct portal *P, const char *rest)
{
	enum guard_verdict v = check_token(P, "survey");
	struct survey_response_input in = {0};
	char *joined[SURVEY_QUESTIONS_MAX] = {0};
	struct field_error err = {0};
	long long id;
	bool refused = false;
	int rc;

	if (!token_shape(rest))
		return not_found(P);
	if (v != GUARD_OK)
		return survey_form(P, rest, NULL, token_refusal(v), 403);
	if ((rc = survey_answers(P, rest, &in, joined)) == EXIT_PARTIAL)
		return survey_form(P, rest, NULL, NULL, 404);
	if (rc == 0) {
		in.token = rest;
		if ((rc = store_durable(P->ctx.store)) == 0 && (rc = store_begin(P->ctx.store)) == 0 &&
		    (rc = count_hit(P, "submit", &refused)) == 0 && !refused) {
			rc = survey_record(&P->ctx, &in, &id, &err);
			if (rc == 0)
				rc = store_commit(P->ctx.store);
			else
				store_rollback(P->ctx.store);
		} else if (store_in_transaction(P->ctx.store))
			store_rollback(P->ctx.store);
	}
	for (int i = 0; i < in.nanswers; i++) {
		free((char *)in.answers[i].question);
		free(joined[i]);
	}
	if (refused)
		return too_many(P, false);
	if (rc == EXIT_FATAL && err.field)
		return survey_form(P, rest, &err, NULL, 422);
	if (rc != 0)
		return store_unavailable(P, rc);
	return send_message(P, 200, "سپاسگزاریم", "پاسخ شما به نظرسنجی ثبت شد. نظر شما در بهتر "
	    "شدن خدمات به کار می‌آید.", NULL);
}

/* --- tracking ------------------------------------------------------------- */

static int
track_form(struct portal *P, const char *typed, const char *error, int status)
{
	struct portal_page pg;
	char *why, token[GUARD_TOKEN_SIZE];

	if (portal_page_open(&pg, P->dir, P->req.script, "پیگیری با کد", &why) != 0) {
		log_failure("page frame", why);
		free(why);
		respond_text(P, 500, "partake.cgi: the portal's page frame is missing\n");
		return EXIT_FATAL;
	}
	token_for(P, "track", token);
	page_add(pg.content, "p", "کد پیگیری‌ای را که هنگام ثبت گرفتید بنویسید، با خط تیره یا "
	    "بی آن، با رقم‌های فارسی یا لاتین.");
	portal_put_track_form(pg.content, token, typed, error);
	return send_page(P, &pg, status, NULL);
}

static int
get_track(struct portal *P, const char *rest)
{
	(void)rest;
	return track_form(P, NULL, NULL, 200);
}

struct shown {
	struct portal *P;
	struct portal_page *pg;
};

static int
put_case(struct context *ctx, const struct case_public *c, void *arg)
{
	struct shown *s = arg;

	(void)ctx;
	portal_put_case(s->pg, c, &s->P->cfg->citizen);
	return 0;
}

static int
post_track(struct portal *P, const char *rest)
{
	const char *typed = cgi_form_get(&P->form, "code");
	enum guard_verdict v = check_token(P, "track");
	const char *bad;
	bool refused = false;
	tcode code;
	int rc;

	(void)rest;
	if (v != GUARD_OK)
		return track_form(P, typed, token_refusal(v), 403);
	/* A typo is refused here, by the check digit: no look-up is made of it. */
	if (typed == NULL || code_parse(typed, &code, &bad) != 0)
		return track_form(P, typed, "این کد پیگیری درست نیست: یک رقم آن اشتباه نوشته شده یا "
		    "جابه‌جا شده است. کد را دوباره از پیامک یا رسید بخوانید.", 422);
	if ((rc = store_begin(P->ctx.store)) != 0)
		return store_unavailable(P, rc);
	if ((rc = count_hit(P, "lookup", &refused)) != 0 || refused) {
		store_rollback(P->ctx.store);
		return rc ? store_unavailable(P, rc) : too_many(P, true);
	}
	if ((rc = store_commit(P->ctx.store)) != 0)
		return store_unavailable(P, rc);

	struct portal_page pg;
	char *why;
	if (portal_page_open(&pg, P->dir, P->req.script, "پیگیری با کد", &why) != 0) {
		log_failure("page frame", why);
		free(why);
		respond_text(P, 500, "partake.cgi: the portal's page frame is missing\n");
		return EXIT_FATAL;
	}
	struct shown s = {P, &pg};
	rc = case_public_one(&P->ctx, code, put_case, &s);
	if (rc == EXIT_PARTIAL) {
		portal_page_close(&pg);
		return track_form(P, typed, "پرونده‌ای با این کد پیگیری نیست.", 404);
	}
	if (rc != 0) {
		portal_page_close(&pg);
		return store_unavailable(P, rc);
	}
	return send_page(P, &pg, 200, NULL);
}

/* --- Open311 GeoReport v2 ------------------------------------------------- */

static int
open311_error(struct portal *P, int status, bool json, const char *what)
{
	char *body = json ? xasprintf("[{\"code\":%d,\"description\":\"%s\"}]\n", status, what)
	    : xasprintf("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<errors><error><code>%d</code>"
	    "<description>%s</description></error></errors>\n", status, what);

	respond(P, status, json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8",
	    body, strlen(body), NULL);
	free(body);
	return 0;
}

static int
open311_send(struct portal *P, struct open311_doc *d, bool json, int rc)
{
	size_t n;

	if (rc != 0) {
		open311_free(d);
		log_failure("open311", store_error(P->ctx.store));
		return open311_error(P, 503, json, "the database is not available");
	}
	char *body = open311_text(d, &n);
	if (body == NULL)
		return open311_error(P, 500, json, "the document could not be made");
	respond(P, 200, json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8",
	    body, n, NULL);
	free(body);
	return 0;
}

/* "services.json" → "services", json. NULL when the format is neither. */
static char *
open311_name(const char *rest, bool *json)
{
	size_t n = strlen(rest);

	*json = n > 5 && strcmp(rest + n - 5, ".json") == 0;
	if (*json)
		return xstrndup(rest, n - 5);
	if (n > 4 && strcmp(rest + n - 4, ".xml") == 0)
		return xstrndup(rest, n - 4);
	return NULL;
}

/* The filters of GET /requests the standard names, that partake can honour. */
static int
requests_filter(struct portal *P, const struct cgi_form *q, struct case_filter *f,
    char *service_code)
{
	const char *status = cgi_form_get(q, "status"), *service = cgi_form_get(q, "service_code");
	const char *start = cgi_form_get(q, "start_date"), *end = cgi_form_get(q, "end_date");
	struct cal_when when;
	const char *why;

	case_filter_init(f);
	f->sort = "-received";
	f->limit = 1000;	/* the standard's own bound */
	if (status && strcmp(status, "open") == 0)
		f->open = true;
	else if (status && strcmp(status, "closed") == 0)
		f->states = STATES_SETTLED;
	else if (status)
		return -1;
	if (service) {
		if (strlen(service) > 64)
			return -1;
		strcpy(service_code, service);
		f->services[f->nservices++] = service_code;
	}
	if (start && (cal_parse(start, CAL_AUTO, &when, &why) != 0 || (f->since = cal_when_time(&when)) == 0))
		return -1;
	if (end && (cal_parse(end, CAL_AUTO, &when, &why) != 0 || (f->until = cal_when_time(&when)) == 0))
		return -1;
	/* Ninety days back unless asked otherwise, as the standard has it. */
	if (!start && !end)
		f->since = P->ctx.now - 90 * 86400;
	(void)P;
	return 0;
}

static int
get_open311(struct portal *P, const char *rest)
{
	bool json;
	char *name = open311_name(rest, &json);
	enum fmt_kind format;
	int rc;

	if (name == NULL)
		return open311_error(P, 404, true, "no such endpoint (services.json, requests.json, "
		    "requests/ID.json, and .xml)");
	format = json ? FMT_OPEN311_JSON : FMT_OPEN311_XML;
	if (strcmp(name, "services") == 0) {
		struct open311_doc *d = open311_new(format, OPEN311_SERVICES, NULL);
		long count;
		rc = service_each(P->ctx.store, open311_put_service, d, &count);
		free(name);
		return open311_send(P, d, json, rc);
	}
	if (strcmp(name, "requests") == 0) {
		struct cgi_form q;
		struct case_filter f;
		char service[65];
		const char *why;
		long count;
		free(name);
		if (cgi_form_parse(P->req.query, strlen(P->req.query), &P->lim, &q, &why) != 0)
			return open311_error(P, 400, json, "a bad query");
		if (requests_filter(P, &q, &f, service) != 0) {
			cgi_form_free(&q);
			return open311_error(P, 400, json, "a bad status, service_code, start_date or end_date");
		}
		struct open311_doc *d = open311_new(format, OPEN311_REQUESTS, NULL);
		rc = case_public_list(&P->ctx, &f, open311_put_request, d, &count);
		cgi_form_free(&q);
		if (rc == EXIT_FATAL && store_error_field(P->ctx.store)) {
			open311_free(d);
			return open311_error(P, 400, json, "no such service_code");
		}
		return open311_send(P, d, json, rc);
	}
	if (strncmp(name, "requests/", 9) == 0) {
		const char *why;
		tcode code;
		if (strlen(name + 9) > 40 || code_parse(name + 9, &code, &why) != 0) {
			free(name);
			return open311_error(P, 404, json, "not a service_request_id");
		}
		free(name);
		struct open311_doc *d = open311_new(format, OPEN311_REQUESTS, NULL);
		rc = case_public_one(&P->ctx, code, open311_put_request, d);
		if (rc == EXIT_PARTIAL) {
			open311_free(d);
			return open311_error(P, 404, json, "no such service_request_id");
		}
		return open311_send(P, d, json, rc);
	}
	free(name);
	return open311_error(P, 404, json, "no such endpoint");
}

/* --- the stylesheet ------------------------------------------------------- */

/* partake.css and portal.css of the portal's folder, one after the other. */
static int
get_style(struct portal *P, const char *rest)
{
	static const char *const files[] = {"partake.css", "portal.css"};
	struct buf b = {0};

	(void)rest;
	buf_adds(&b, "");
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *path = xasprintf("%s/%s", P->dir, files[i]), chunk[4096];
		FILE *f = fopen(path, "r");
		size_t n;
		free(path);
		if (f == NULL)
			continue;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < (1 << 20))
			buf_add(&b, chunk, n);
		fclose(f);
		buf_addc(&b, '\n');
	}
	P->new_cookie = false;
	respond(P, 200, "text/css; charset=utf-8", b.data, b.len, NULL);
	buf_free(&b);
	return 0;
}

/* --- routing -------------------------------------------------------------- */

typedef int handler(struct portal *P, const char *rest);

static const struct route {
	const char *path;	/* "/track"; ending in '/': the rest is the handler's */
	handler *get, *post;
	bool cookie;		/* the page has a form: the browser needs its cookie */
} routes[] = {
	{"/", home, NULL, true},
	{"/complaint", get_case_form, post_case_form, true},
	{"/suggestion", get_case_form, post_case_form, true},
	{"/violation", get_case_form, post_case_form, true},
	{"/question", get_case_form, post_case_form, true},
	{"/feedback", get_case_form, post_case_form, true},
	{"/track", get_track, post_track, true},
	{"/comment/", get_comment, post_comment, true},
	{"/survey/", get_survey, post_survey, true},
	{"/open311/v2/", get_open311, NULL, false},
	{"/style.css", get_style, NULL, false},
};

static const struct route *
find_route(const char *path, const char **rest)
{
	for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
		const char *p = routes[i].path;
		size_t n = strlen(p);
		if (n > 1 && p[n - 1] == '/' ? strncmp(path, p, n) == 0 && path[n] != '\0'
					     : strcmp(path, p) == 0) {
			*rest = n > 1 && p[n - 1] == '/' ? path + n : path + 1;
			return &routes[i];
		}
	}
	return NULL;
}

static void
limits_of(struct portal *P)
{
	P->lim = (struct cgi_limits){
		.body_max = P->cfg ? (size_t)P->cfg->portal_body_max : (size_t)PORTAL_BODY_MAX_DEFAULT,
		.query_max = 2048,
		.fields_max = 256,
		.field_max = 4 * (size_t)BODY_MAX,
	};
}

/* The body of a POST, read within the limits: 0, or the refusal given. */
static int
read_form(struct portal *P)
{
	char *body;
	size_t n;
	const char *why;
	int status = cgi_read_body(&P->req, &P->lim, P->in, &body, &n);

	if (status == 0) {
		status = cgi_form_parse(body, n, &P->lim, &P->form, &why);
		free(body);
	}
	if (status == 0)
		return 0;
	send_message(P, status, "فرم پذیرفته نشد", status == 413
	    ? "آنچه فرستادید بزرگ‌تر از اندازه‌ای است که این درگاه می‌پذیرد. نوشته را کوتاه‌تر کنید."
	    : "آنچه فرستادید فرم درستی از این درگاه نبود و چیزی ثبت نشد.", NULL);
	return -1;
}

static int
serve(struct portal *P)
{
	const char *rest = NULL;
	char *why = NULL;
	int rc;

	/* Limits before the config: a body is never read before they are known. */
	limits_of(P);
	int status = cgi_request_env(&P->req, &P->lim);
	if (status != 0) {
		respond_text(P, status, status == 414 ? "partake.cgi: the address is too long\n"
		    : "partake.cgi: not a CGI/1.1 request\n");
		return 0;
	}
	const struct route *r = find_route(P->req.path, &rest);
	bool post = P->req.method == CGI_POST;
	if (r == NULL || (P->req.method != CGI_GET && P->req.method != CGI_HEAD && !post) ||
	    (post && r->post == NULL)) {
		bool unknown = r == NULL;
		const char *allow = r && r->post ? "Allow: GET, HEAD, POST" : "Allow: GET, HEAD";
		if ((rc = open_all(P, STORE_READ, &why)) != 0) {
			log_failure("setup", why);
			free(why);
			respond_text(P, 503, "partake.cgi: the portal is not set up\n");
			return EXIT_FATAL;
		}
		if (unknown)
			return not_found(P);
		return send_message(P, 405, "روش پذیرفته نیست", "این نشانی را باید با فرم خودش "
		    "فرستاد.", allow);
	}
	if ((rc = open_all(P, post ? STORE_WRITE : STORE_READ, &why)) != 0) {
		log_failure("setup", why);
		free(why);
		respond_text(P, 503, "partake.cgi: the portal is not set up; see partake.cgi(8)\n");
		return EXIT_FATAL;
	}
	limits_of(P);
	if (r->cookie)
		take_cookie(P);
	if (post && read_form(P) != 0)
		return 0;
	return post ? r->post(P, rest) : r->get(P, rest);
}

int
portal_serve(FILE *in, FILE *out)
{
	struct portal P = {.in = in, .out = out};
	int rc = serve(&P);

	fflush(out);
	close_all(&P);
	return rc;
}

int
portal_check(FILE *out, FILE *err)
{
	struct portal P = {0};
	struct stat st;
	char *why = NULL;

	if (open_all(&P, STORE_WRITE, &why) != 0) {
		fprintf(err, "partake.cgi: %s\n", why ? why : "cannot open");
		free(why);
		close_all(&P);
		return EXIT_FATAL;
	}
	char *frame = xasprintf("%s/portal.html", P.dir);
	int rc = stat(frame, &st) == 0 ? 0 : EXIT_FATAL;
	if (rc != 0)
		fprintf(err, "partake.cgi: %s: %s\n", frame, strerror(errno));
	else
		fprintf(out, "config: %s\ndatabase: %s (writable)\nframe: %s\n",
		    P.cfg->path ? P.cfg->path : "(none: defaults)", store_path(P.ctx.store), frame);
	free(frame);
	close_all(&P);
	return rc;
}
