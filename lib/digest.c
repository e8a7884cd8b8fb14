/* digest.c — a unit's daily digest (see digest.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "code.h"
#include "config.h"
#include "digest.h"
#include "exitcode.h"
#include "monthly.h"
#include "notice.h"
#include "page.h"
#include "publish.h"
#include "schema.h"
#include "unit.h"
#include "util.h"

enum part { PART_NEW, PART_DUE, PART_OVERDUE, PART_COUNT };
static const char *const part_names[PART_COUNT] = {"new", "due", "overdue"};
static const char *const part_persian[PART_COUNT] = {
	"تازه از آخرین خلاصه", "سررسید تا دو روز کاری", "گذشته از مهلت",
};

struct row {
	enum part part;
	tcode code;
	char *kind, *state, *subject;
	time_t received, due;
	long days;	/* working days left (due) or overdue (overdue); -1: none */
};

struct digest {
	long long unit_id;
	char *code, *name;
	long long upto, prev_upto;	/* the chain's last event now; the last digest's */
	bool had_digest;
	time_t prev_at;
	struct row *rows;
	size_t n;
};

#define DIGEST_ROW "SELECT unit_id, at, upto FROM unit_digest WHERE unit_id = ?"

static const struct column digest_cols[] = {
	{"unit", COL_TEXT}, {"part", COL_TEXT}, {"code", COL_TEXT}, {"kind", COL_TEXT},
	{"state", COL_TEXT}, {"received", COL_TEXT}, {"due", COL_TEXT}, {"days", COL_INT},
	{"subject", COL_TEXT},
};

const struct column *
digest_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(digest_cols);
	return digest_cols;
}

static void
add(struct digest *d, enum part part, struct stmt *st, long days)
{
	d->rows = xrealloc(d->rows, (d->n + 1) * sizeof *d->rows);
	struct row *r = &d->rows[d->n++];
	r->part = part;
	r->code = (tcode)stmt_int(st, 0);
	r->kind = xstrdup(stmt_text(st, 1));
	r->state = xstrdup(stmt_text(st, 2));
	r->subject = xstrdup(stmt_text(st, 3));
	r->received = (time_t)stmt_int(st, 4);
	r->due = stmt_null(st, 5) ? 0 : (time_t)stmt_int(st, 5);
	r->days = days;
}

static void
digest_free(struct digest *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->rows[i].kind);
		free(d->rows[i].state);
		free(d->rows[i].subject);
	}
	free(d->rows);
	free(d->code);
	free(d->name);
}

#define CASE_FIELDS "c.code, c.kind, c.state, c.subject, c.received, c.due"

/* Routed to the unit since its last digest (and with it still); before a
 * first digest, what waits in it as routed. */
static int
load_new(struct context *ctx, struct digest *d)
{
	struct stmt *st;

	if (d->had_digest) {
		st = store_sql(ctx->store, "SELECT " CASE_FIELDS " FROM cases c WHERE c.unit_id = ?"
		    " AND c.id IN (SELECT e.subject_id FROM event e WHERE e.id > ? AND e.id <= ?"
		    " AND e.what = 'route' AND e.subject_kind = 'case') ORDER BY c.received, c.code");
		stmt_bind_int(st, d->unit_id);
		stmt_bind_int(st, d->prev_upto);
		stmt_bind_int(st, d->upto);
	} else {
		st = store_sql(ctx->store, "SELECT " CASE_FIELDS " FROM cases c WHERE c.unit_id = ?"
		    " AND " CASES_OPEN " AND c.state = 'routed' ORDER BY c.received, c.code");
		stmt_bind_int(st, d->unit_id);
	}
	while (stmt_row(st))
		add(d, PART_NEW, st, -1);
	return stmt_status(st);
}

static const char *
clock_runs_sql(const char *cond)
{
	return xasprintf("SELECT " CASE_FIELDS " FROM cases c WHERE c.unit_id = ? AND " CASES_OPEN
	    " AND c.state IN %s AND %s ORDER BY c.due, c.code", vocab_sql_in(&state_vocab,
	    STATES_CLOCK_RUNS), cond);
}

/* Due from now to the end of the DIGEST_DUE_DAYS-th working day after today; overdue. */
static int
load_due(struct context *ctx, struct digest *d)
{
	static const char *due_sql, *overdue_sql;
	long today = cal_local_day(ctx->now, NULL), last;

	if (due_sql == NULL) {
		due_sql = clock_runs_sql("c.due >= ? AND c.due < ?");
		overdue_sql = clock_runs_sql("c.due < ?");
	}
	if (!workcal_add(ctx->wc, today, DIGEST_DUE_DAYS, &last))
		last = today + DIGEST_DUE_DAYS;
	struct stmt *st = store_sql(ctx->store, due_sql);
	stmt_bind_int(st, d->unit_id);
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, (long long)cal_local_instant(last + 1, 0));
	while (stmt_row(st)) {
		long left = workcal_between(ctx->wc, today, cal_local_day((time_t)stmt_int(st, 5), NULL));
		add(d, PART_DUE, st, left < 0 ? 0 : left);
	}
	if (stmt_status(st))
		return stmt_status(st);
	st = store_sql(ctx->store, overdue_sql);
	stmt_bind_int(st, d->unit_id);
	stmt_bind_int(st, (long long)ctx->now);
	while (stmt_row(st))
		add(d, PART_OVERDUE, st, overdue_days(ctx, (time_t)stmt_int(st, 5), ctx->now));
	return stmt_status(st);
}

static int
load(struct context *ctx, const char *unit, struct digest *d)
{
	struct stmt *st = store_sql(ctx->store, "SELECT u.id, u.code, u.name, g.at, g.upto,"
	    " (SELECT max(id) FROM event) FROM unit u LEFT JOIN unit_digest g ON g.unit_id = u.id"
	    " WHERE u.code = ?");
	int rc;

	memset(d, 0, sizeof *d);
	stmt_bind_text(st, unit);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st)
		    : (store_failf(ctx->store, "no unit %s", unit), EXIT_PARTIAL);
	d->unit_id = stmt_int(st, 0);
	d->code = xstrdup(stmt_text(st, 1));
	d->name = xstrdup(stmt_text(st, 2));
	d->had_digest = !stmt_null(st, 3);
	d->prev_at = d->had_digest ? (time_t)stmt_int(st, 3) : 0;
	d->prev_upto = d->had_digest ? stmt_int(st, 4) : 0;
	d->upto = stmt_null(st, 5) ? 0 : stmt_int(st, 5);
	stmt_reset(st);
	if ((rc = load_new(ctx, d)) == 0)
		rc = load_due(ctx, d);
	return rc;
}

static void
print_rows(struct context *ctx, const struct digest *d, struct printer *p)
{
	struct cal_style s = cal_latin(ctx->cfg->shown.cal);

	for (size_t i = 0; i < d->n; i++) {
		const struct row *r = &d->rows[i];
		char code[24], received[48], due[48];
		printer_text(p, d->code);
		printer_text(p, part_names[r->part]);
		printer_text(p, code_format(r->code, code, sizeof code));
		printer_text(p, r->kind);
		printer_text(p, r->state);
		printer_text(p, cal_format_time(r->received, s, received, sizeof received));
		printer_text(p, r->due ? cal_format_time(r->due, s, due, sizeof due) : NULL);
		if (r->days < 0)
			printer_text(p, NULL);
		else
			printer_int(p, r->days);
		printer_text(p, r->subject);
		printer_row(p);
	}
}

/* --- the mail ------------------------------------------------------------- */

static char *
mail_text(struct context *ctx, const struct digest *d)
{
	struct cal_style s = ctx->cfg->shown;
	struct buf b = {0};

	buf_addf(&b, "%s\n", d->name);
	for (int part = 0; part < PART_COUNT; part++) {
		buf_addf(&b, "\n%s:\n", part_persian[part]);
		for (size_t i = 0; i < d->n; i++) {
			const struct row *r = &d->rows[i];
			char code[24], digits[48], due[48] = "-";
			if ((int)r->part != part)
				continue;
			cal_format_digits(code_format_grouped(r->code, code, sizeof code), s, digits,
			    sizeof digits);
			if (r->due)
				cal_format_time(r->due, s, due, sizeof due);
			buf_addf(&b, "  %s  %s  %s  %s\n", digits, vocab_persian_of(&kind_vocab, r->kind),
			    due, r->subject);
		}
	}
	return b.data;
}

static int
mail_html(struct context *ctx, const struct digest *d, char **html, size_t *n, char **why)
{
	struct cal_style s = ctx->cfg->shown;
	char *frame = xasprintf("%s/%s", config_share_dir(NULL), PUBLISH_FRAME);
	char *css = xasprintf("%s/partake.css", config_share_dir(NULL));
	char *title = xasprintf("خلاصه روزانه %s", d->name), when[64];
	struct page p;
	int rc = page_open(&p, frame, title, why);

	free(frame);
	if (rc == 0) {
		page_inline_style(&p, css);
		page_add(p.content, "h1", title);
		page_add_class(p.content, "p", "period", cal_format_time(ctx->now, s, when, sizeof when));
		for (int part = 0; part < PART_COUNT; part++) {
			page_add(p.content, "h2", part_persian[part]);
			xmlNodePtr table = page_add_class(p.content, "table", "figures", NULL);
			xmlNodePtr tr = page_add(table, "tr", NULL);
			const char *heads[] = {"کد رهگیری", "نوع", "وضعیت", "مهلت", "موضوع"};
			for (size_t k = 0; k < ARRAY_SIZE(heads); k++)
				page_add(tr, "th", heads[k]);
			for (size_t i = 0; i < d->n; i++) {
				const struct row *r = &d->rows[i];
				char code[24], digits[48], due[48] = "—";
				if ((int)r->part != part)
					continue;
				tr = page_add(table, "tr", NULL);
				cal_format_digits(code_format_grouped(r->code, code, sizeof code), s, digits,
				    sizeof digits);
				page_attr(page_add(tr, "td", digits), "dir", "ltr");
				page_add(tr, "td", vocab_persian_of(&kind_vocab, r->kind));
				page_add(tr, "td", vocab_persian_of(&state_vocab, r->state));
				if (r->due)
					cal_format_time(r->due, s, due, sizeof due);
				page_add(tr, "td", due);
				page_add(tr, "td", r->subject);
			}
		}
		page_render(&p, html, n);
		page_close(&p);
	}
	free(css);
	free(title);
	return rc == 0 ? 0 : EXIT_FATAL;
}

/* The mail queued and the digest recorded, in the caller's transaction. */
static int
deliver(struct context *ctx, const struct digest *d, const char *to, struct digest_result *r)
{
	long today = cal_local_day(ctx->now, NULL);
	char key[64], day[32], *html = NULL, *why = NULL;
	size_t n;
	int rc;

	snprintf(key, sizeof key, "digest:%lld:%ld", d->unit_id, today);
	if ((rc = mail_html(ctx, d, &html, &n, &why)) != 0) {
		rc = store_failf(ctx->store, "%s", why ? why : "the page frame");
		free(why);
		return rc;
	}
	char *text = mail_text(ctx, d);
	char *subject = xasprintf("خلاصه روزانه %s — %s", d->name,
	    cal_format_day(today, ctx->cfg->shown, day, sizeof day));
	rc = notice_queue_report(ctx, d->unit_id, to, key, subject, text, html, &r->queued);
	free(text);
	free(subject);
	free(html);
	if (rc != 0 || !r->queued) {
		r->no_address = rc == 0 && !r->queued;
		return rc;
	}
	char *before = audit_snapshot(ctx->store, DIGEST_ROW, d->unit_id);
	struct stmt *st = store_sql(ctx->store,
	    "INSERT INTO unit_digest (unit_id, at, upto) VALUES (?, ?, ?)"
	    " ON CONFLICT (unit_id) DO UPDATE SET at = excluded.at, upto = excluded.upto");
	stmt_bind_int(st, d->unit_id);
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, d->upto);
	if ((rc = stmt_run(st)) != 0) {
		free(before);
		return rc;
	}
	return audit_record_change(ctx->store, RECORD_DIGEST, d->unit_id, d->code, "digest", before,
	    DIGEST_ROW);
}

int
digest_unit(struct context *ctx, const char *unit, bool to_deliver, const char *to,
    struct printer *p, struct digest_result *r)
{
	struct digest d;
	int rc;

	memset(r, 0, sizeof *r);
	if ((rc = to_deliver ? store_begin(ctx->store) : store_read_begin(ctx->store)) != 0)
		return rc;
	if ((rc = load(ctx, unit, &d)) == 0) {
		for (size_t i = 0; i < d.n; i++) {
			long *count[] = {&r->fresh, &r->due, &r->overdue};
			(*count[d.rows[i].part])++;
		}
		print_rows(ctx, &d, p);
		r->already = d.had_digest &&
		    cal_local_day(d.prev_at, NULL) == cal_local_day(ctx->now, NULL);
		if (to_deliver && !r->already && d.n > 0)
			rc = deliver(ctx, &d, to, r);
	}
	if (!to_deliver)
		store_read_end(ctx->store);
	else if (rc == 0 && r->queued)
		rc = store_commit(ctx->store);
	else
		store_rollback(ctx->store);
	digest_free(&d);
	return rc;
}

char **
digest_units_asked(struct context *ctx, bool each, const char *unit, bool with_address)
{
	char **units = each ? unit_codes(ctx->store, with_address) : xcalloc(2, sizeof *units);

	if (!each)
		units[0] = unit ? xstrdup(unit) : NULL;
	return units;
}

const char *
digest_said(const struct digest_result *r)
{
	static char said[160];

	snprintf(said, sizeof said, "%s (%ld new, %ld due, %ld overdue)", r->queued ? "queued"
	    : r->already ? "had its digest today: nothing sent" : r->no_address
	    ? "no address: nothing sent" : "nothing to tell", r->fresh, r->due, r->overdue);
	return said;
}

int
digest_run(struct context *ctx, char *const *units, bool deliver, const char *to,
    struct printer *p, FILE *log, problem_fn complain, void *arg)
{
	struct digest_result r;
	int status = 0, rc;

	for (size_t i = 0; units[i]; i++)
		if ((rc = digest_unit(ctx, units[i], deliver, to, p, &r)) != 0) {
			complain(arg, store_error(ctx->store));
			status = rc;
		} else if (deliver && log) {
			fprintf(log, "preport: %s: %s\n", units[i], digest_said(&r));
		}
	return status;
}
