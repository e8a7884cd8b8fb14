/* notice.c — the citizen's notices: templates filled in, queued in the outbox. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "code.h"
#include "lines.h"
#include "exitcode.h"
#include "notice.h"
#include "outbox.h"
#include "text.h"
#include "util.h"

/* The fields a template may name; a notice to a unit also has the case's subject and kind. */
static const char *const variables[] = {
	"code", "state", "due", "unit", "note", "outcome", "site_url", "subject", "kind", "link",
};
enum { VARIABLES = 10 };
_Static_assert(ARRAY_SIZE(variables) == VARIABLES, "a value for every field");

struct template {
	bool loaded;
	char *subject;	/* the mail's subject; NULL: a default */
	char *body;
};

/* The index of the field named at v ("{due}…", the line ending at end), or
 * -1; *len is the length of "{…}", 0 when no '}' closes it on the line. */
static int
field_at(const char *v, const char *end, size_t *len)
{
	const char *close = memchr(v + 1, '}', (size_t)(end - v - 1));
	size_t n = close ? (size_t)(close - v - 1) : 0;

	*len = close ? n + 2 : 0;
	for (size_t i = 0; close && i < ARRAY_SIZE(variables); i++)
		if (strlen(variables[i]) == n && strncmp(v + 1, variables[i], n) == 0)
			return (int)i;
	return -1;
}

/* A template's line (the subject's too) may name only the fields there
 * are, each closed on its line: fill() reads the checked text alone. */
static int
check_fields(struct store *s, const struct lines *l, const char *line)
{
	const char *end = line + strlen(line);
	size_t len;

	for (const char *v = strchr(line, '{'); v; v = strchr(v + 1, '{')) {
		if (field_at(v, end, &len) >= 0)
			continue;
		if (len == 0) {
			size_t at = 1;	/* in characters, as an editor counts them */
			for (const char *c = line; c < v; c++)
				at += ((unsigned char)*c & 0xC0) != 0x80;
			return store_failf(s, "%s:%zu: the '{' at character %zu has no '}' on its line",
			    lines_name(l), lines_number(l), at);
		}
		return store_failf(s, "%s:%zu: unknown field '%.*s'", lines_name(l),
		    lines_number(l), (int)len, v);
	}
	return 0;
}

/* Reads TEMPLATES/NAME.txt: an optional "subject: …" line, then the text. */
static int
load_template(struct store *s, const char *dir, const char *name, struct template *t)
{
	char *path = xasprintf("%s/%s.txt", dir, name), *why;
	struct lines_options opt = {.utf8 = true};
	struct lines *l = lines_open_path(path, &opt, &why);
	struct buf body = {0};
	int rc = 0;

	free(path);
	if (l == NULL) {
		rc = store_failf(s, "%s (the notice's template)", why);
		free(why);
		return rc;
	}
	for (char *line; rc == 0 && (line = lines_next(l, NULL)) != NULL;) {
		if (lines_number(l) == 1 && strncasecmp(line, "subject:", 8) == 0) {
			if ((rc = check_fields(s, l, line)) == 0)
				t->subject = xstrdup(strip(line + 8));
			continue;
		}
		if ((rc = check_fields(s, l, line)) == 0) {
			buf_adds(&body, line);
			buf_addc(&body, '\n');
		}
	}
	if (rc == 0 && lines_error(l))
		rc = store_failf(s, "%s (the notice's template)", lines_error(l));
	/* An SMS with nothing in it tells the citizen nothing: not one is queued. */
	if (rc == 0 && (body.data == NULL || *strip(body.data) == '\0'))
		rc = store_failf(s, "%s: no text (the notice's template)", lines_name(l));
	lines_close(l);
	if (rc == 0) {
		t->body = xstrdup(strip(body.data));
		t->loaded = true;
	} else {
		free(t->subject);
		t->subject = NULL;
	}
	buf_free(&body);
	return rc;
}

/* True when a line names a field that has no value here. */
static bool
names_empty_field(const char *line, size_t n, const char *const values[])
{
	size_t len;

	for (const char *v = memchr(line, '{', n); v; v = memchr(v + 1, '{', n - (size_t)(v + 1 - line))) {
		int i = field_at(v, line + n, &len);
		if (i >= 0 && (values[i] == NULL || *values[i] == '\0'))
			return true;
	}
	return false;
}

/*
 * The text with its fields filled in. A line that names a field with no
 * value is left out whole, so that a feedback case (no deadline) is not
 * told "مهلت پاسخ: " with nothing after it, nor a notice without site_url
 * "پیگیری: ".
 */
static char *
fill(const char *text, const char *const values[])
{
	struct buf out = {0};
	size_t len;

	for (const char *line = text; *line;) {
		size_t n = strcspn(line, "\n");
		const char *next = line[n] ? line + n + 1 : line + n;
		if (names_empty_field(line, n, values)) {
			line = next;
			continue;
		}
		if (out.len)
			buf_addc(&out, '\n');
		for (const char *p = line, *end = line + n; p < end;) {
			const char *v = memchr(p, '{', (size_t)(end - p));
			if (v == NULL) {
				buf_add(&out, p, (size_t)(end - p));
				break;
			}
			buf_add(&out, p, (size_t)(v - p));
			int i = field_at(v, end, &len);
			if (i >= 0) {
				buf_adds(&out, values[i]);
				p = v + len;
			} else {
				/* Not a field (a checked template has none such): the brace as written. */
				buf_addc(&out, '{');
				p = v + 1;
			}
		}
		line = next;
	}
	return out.data ? out.data : xstrdup("");
}

/* The mail's subject: the template's filled in, else (none, or left out as
 * a line is) the fallback, which is freed when not used. */
static char *
fill_subject(const struct template *t, const char *const values[], char *fallback)
{
	char *subject = t->subject ? fill(t->subject, values) : NULL;

	if (subject == NULL || *subject == '\0') {
		free(subject);
		return fallback;
	}
	free(fallback);
	return subject;
}

/* One item for the outbox, keyed so that queuing it twice is harmless. */
struct item {
	long long case_id, unit_id;	/* 0: none */
	const char *channel, *recipient, *subject, *body, *key;
	const char *in_reply_to;
	const char *html;	/* the mail's HTML part, or NULL */
};

/* The item as the audit chain's next event covers it (audit_outbox_queued). */
static void
queued(struct context *ctx, const struct item *it, long long id)
{
	char ids[4][24], *key = NULL;

	if (it->in_reply_to)
		key = xasprintf("%s in-reply-to %s", it->key ? it->key : "", it->in_reply_to);
	const char *v[] = {
		decimal(id, 1, ids[0]), it->case_id ? decimal(it->case_id, 1, ids[1]) : NULL,
		it->unit_id ? decimal(it->unit_id, 1, ids[2]) : NULL, it->channel, it->recipient,
		it->subject, it->body, it->html, key ? key : it->key,
		decimal((long long)ctx->now, 1, ids[3]),
	};
	audit_outbox_queued(ctx->store, id, v, (int)ARRAY_SIZE(v));
	free(key);
}

static int
put(struct context *ctx, const struct item *it)
{
	struct stmt *st = store_sql(ctx->store,
	    "INSERT INTO outbox (case_id, unit_id, channel, recipient, subject, body, key, created,"
	    " next_try, in_reply_to, html) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT (key) DO NOTHING");

	stmt_bind_id(st, it->case_id);
	stmt_bind_id(st, it->unit_id);
	stmt_bind_text(st, it->channel);
	stmt_bind_text(st, it->recipient);
	stmt_bind_text(st, it->subject);
	stmt_bind_text(st, it->body);
	stmt_bind_text(st, it->key);
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_text(st, it->in_reply_to);
	stmt_bind_text(st, it->html);
	int rc = stmt_put(st);
	if (rc == 0 && stmt_changes(st) == 1)
		queued(ctx, it, store_last_id(ctx->store));
	return rc;
}

/* What a notice says of its case (from the store, or from a case just
 * made), made into m: m->body NULL when none is to be queued. */
static int
make(struct context *ctx, const struct notice_facts *f, enum notice_event event,
    const char *note, struct notice_made *m)
{
	static struct template templates[NOTICE_EVENT_COUNT];
	struct template *t = &templates[event];
	int rc;

	memset(m, 0, sizeof *m);
	if (!(ctx->cfg->notify & (1u << event)) || f->anonymous || (!f->phone && !f->email))
		return 0;	/* not asked for, or nobody to tell */
	/* Who asked for no more messages still gets the answer to their own case. */
	if (event != NOTICE_ANSWERED && outbox_opted_out(ctx, f->phone ? f->phone : f->email))
		return 0;
	if (!t->loaded && (rc = load_template(ctx->store, ctx->cfg->templates_dir,
	    vocab_name(&notice_vocab, event), t)) != 0)
		return rc;
	/* A citizen reads Persian, in the calendar and digits the config gives citizens. */
	struct cal_style style = ctx->cfg->citizen;
	char grouped[24], code[64], due[48] = "";
	cal_format_digits(code_format_grouped(f->code, grouped, sizeof grouped), style, code,
	    sizeof code);
	if (f->due)
		cal_format_time(f->due, style, due, sizeof due);
	const char *values[VARIABLES] = {code, vocab_persian_of(&state_vocab, f->state), due, f->unit,
	    note, vocab_persian_of(&outcome_vocab, f->outcome), ctx->cfg->site_url, NULL, NULL};
	bool sms = f->phone != NULL;
	m->body = fill(t->body, values);
	m->subject = fill_subject(t, values, xasprintf("%s %s", code,
	    vocab_persian(&notice_vocab, event)));
	m->channel = sms ? "sms" : "email";
	m->recipient = xstrdup(sms ? f->phone : f->email);
	if (sms) {
		free(m->subject);
		m->subject = NULL;
	}
	return 0;
}

static int
put_made(struct context *ctx, const struct notice_made *m, long long case_id, long long event_id)
{
	char key[64];

	if (m->body == NULL)
		return 0;
	/* Zero-padded, so keys grow in order and the unique index is appended to. */
	memcpy(key, "notice:", 7);
	decimal(event_id, 12, key + 7);
	struct item it = {
		.case_id = case_id, .channel = m->channel, .recipient = m->recipient,
		.subject = m->subject, .body = m->body, .key = key,
	};
	return put(ctx, &it);
}

static int
queue(struct context *ctx, const struct notice_facts *f, long long event_id,
    enum notice_event event, const char *note)
{
	struct notice_made m;
	int rc = make(ctx, f, event, note, &m);

	if (rc == 0)
		rc = put_made(ctx, &m, f->case_id, event_id);
	notice_made_free(&m);
	return rc;
}

int
notice_make(struct context *ctx, const struct notice_facts *f, enum notice_event event,
    const char *note, struct notice_made *m)
{
	return make(ctx, f, event, note, m);
}

int
notice_queue_made(struct context *ctx, const struct notice_made *m, long long case_id,
    long long event_id)
{
	return put_made(ctx, m, case_id, event_id);
}

void
notice_made_free(struct notice_made *m)
{
	free(m->body);
	free(m->subject);
	free(m->recipient);
	m->body = m->subject = m->recipient = NULL;
}

int
notice_queue_facts(struct context *ctx, const struct notice_facts *f, long long event_id,
    enum notice_event event, const char *note)
{
	return queue(ctx, f, event_id, event, note);
}

int
notice_queue(struct context *ctx, long long case_id, long long event_id,
    enum notice_event event, const char *note)
{
	int rc;

	if (!(ctx->cfg->notify & (1u << event)))
		return 0;
	struct stmt *st = store_sql(ctx->store,
	    "SELECT c.code, c.state, c.due, u.name, c.outcome, c.phone, c.email, c.anonymous"
	    " FROM cases c LEFT JOIN unit u ON u.id = c.unit_id WHERE c.id = ?");
	stmt_bind_int(st, case_id);
	if (!stmt_row(st))
		return stmt_status(st);
	struct notice_facts f = {
		.case_id = case_id, .code = stmt_int(st, 0),
		.state = stmt_text(st, 1), .due = (time_t)stmt_int(st, 2),
		.unit = stmt_text(st, 3), .outcome = stmt_text(st, 4),
		.phone = stmt_text(st, 5), .email = stmt_text(st, 6),
		.anonymous = stmt_int(st, 7) != 0,
	};
	/* The row's texts live until the statement is reset: queue first. */
	rc = queue(ctx, &f, event_id, event, note);
	stmt_reset(st);
	return rc;
}

/* The unit's mail about a case, from templates_dir/NAME.txt: the case, its
 * deadline and its code. */
static int
queue_unit(struct context *ctx, struct stmt *st, long long case_id, long long event_id,
    const char *name, struct template *t)
{
	/* The unit's staff read what admins read: `calendar` and `digits`. */
	struct cal_style style = ctx->cfg->shown;
	char grouped[24], code[64], due[48] = "", key[64];
	int rc;

	if (!t->loaded && (rc = load_template(ctx->store, ctx->cfg->templates_dir, name, t)) != 0)
		return rc;
	cal_format_digits(code_format_grouped(stmt_int(st, 0), grouped, sizeof grouped), style,
	    code, sizeof code);
	if (!stmt_null(st, 2))
		cal_format_time((time_t)stmt_int(st, 2), style, due, sizeof due);
	const char *values[VARIABLES] = {code, vocab_persian_of(&state_vocab, stmt_text(st, 4)), due,
	    stmt_text(st, 6), NULL, NULL, ctx->cfg->site_url, stmt_text(st, 1),
	    vocab_persian_of(&kind_vocab, stmt_text(st, 3))};
	char *body = fill(t->body, values);
	char *subject = fill_subject(t, values, xstrdup(code));
	memcpy(key, "unit-notice:", 12);
	decimal(event_id, 12, key + 12);
	struct item it = {
		.case_id = case_id, .unit_id = stmt_int(st, 5), .channel = "email",
		.recipient = stmt_text(st, 7), .subject = subject, .body = body, .key = key,
	};
	rc = put(ctx, &it);
	free(body);
	free(subject);
	return rc;
}

static int
queue_unit_mail(struct context *ctx, long long case_id, long long event_id, const char *name,
    struct template *t)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT c.code, c.subject, c.due, c.kind, c.state, u.id, u.name, u.email"
	    " FROM cases c JOIN unit u ON u.id = c.unit_id WHERE c.id = ? AND u.email IS NOT NULL");
	int rc;

	stmt_bind_int(st, case_id);
	if (!stmt_row(st))
		return stmt_status(st);
	rc = queue_unit(ctx, st, case_id, event_id, name, t);
	stmt_reset(st);
	return rc;
}

int
notice_queue_unit(struct context *ctx, long long case_id, long long event_id)
{
	static struct template t;

	if (!(ctx->cfg->notify & (1u << NOTICE_ROUTED)))
		return 0;
	return queue_unit_mail(ctx, case_id, event_id, "unit-routed", &t);
}

int
notice_queue_unit_follow_up(struct context *ctx, long long case_id, long long event_id)
{
	static struct template t;

	return queue_unit_mail(ctx, case_id, event_id, "unit-follow-up", &t);
}

int
notice_queue_reply(struct context *ctx, const struct notice_reply *r)
{
	static struct template t;
	struct cal_style style = ctx->cfg->citizen;
	char grouped[24], code[64], due[48] = "", key[64];
	int rc;

	if (!t.loaded && (rc = load_template(ctx->store, ctx->cfg->templates_dir, "mail-received",
	    &t)) != 0)
		return rc;
	code_format_grouped(r->code, grouped, sizeof grouped);
	cal_format_digits(grouped, style, code, sizeof code);
	if (r->due)
		cal_format_time(r->due, style, due, sizeof due);
	const char *values[VARIABLES] = {code, NULL, due, r->unit, NULL, NULL, ctx->cfg->site_url,
	    r->subject, NULL};
	char *body = fill(t.body, values);
	char *filled = fill_subject(&t, values, xstrdup(code));
	/* The tag the answer is found by, as RT writes it: Latin digits, always. */
	char *subject = xasprintf("[#%s] %s", grouped, filled);
	memcpy(key, "mail-reply:", 11);
	decimal(r->event_id, 12, key + 11);
	struct item it = {
		.case_id = r->case_id, .channel = "email", .recipient = r->to, .subject = subject,
		.body = body, .key = key, .in_reply_to = r->in_reply_to,
	};
	rc = put(ctx, &it);
	free(body);
	free(filled);
	free(subject);
	return rc;
}

int
notice_queue_invitation(struct context *ctx, long long case_id, tcode code,
    long long invitation_id, const char *phone, const char *email, const char *token)
{
	static struct template t;
	char grouped[24], shown[64], key[64];
	int rc;

	if (!t.loaded && (rc = load_template(ctx->store, ctx->cfg->templates_dir, "survey", &t)) != 0)
		return rc;
	cal_format_digits(code_format_grouped(code, grouped, sizeof grouped), ctx->cfg->citizen,
	    shown, sizeof shown);
	char *link = ctx->cfg->survey_url ? xasprintf("%s%s", ctx->cfg->survey_url, token) : NULL;
	const char *values[VARIABLES] = {shown, NULL, NULL, NULL, NULL, NULL, ctx->cfg->site_url,
	    NULL, NULL, link};
	char *body = fill(t.body, values);
	char *subject = fill_subject(&t, values, xasprintf("نظرسنجی درباره درخواست %s", shown));
	memcpy(key, "survey:", 7);
	decimal(invitation_id, 12, key + 7);
	struct item it = {
		.case_id = case_id, .channel = phone ? "sms" : "email",
		.recipient = phone ? phone : email, .subject = phone ? NULL : subject,
		.body = body, .key = key,
	};
	rc = put(ctx, &it);
	free(link);
	free(body);
	free(subject);
	return rc;
}

int
notice_queue_unit_mail(struct context *ctx, long long unit_id, long long event_id,
    const char *template, const char *code, const char *subject, time_t due, const char *note)
{
	static struct template t;
	static char *loaded;
	struct cal_style style = ctx->cfg->shown;
	char digits[64], when[48] = "", key[64];
	int rc;

	struct stmt *st = store_sql(ctx->store,
	    "SELECT name, email FROM unit WHERE id = ? AND email IS NOT NULL");
	stmt_bind_int(st, unit_id);
	if (!stmt_row(st))
		return stmt_status(st);
	char *unit = xstrdup(stmt_text(st, 0)), *email = xstrdup(stmt_text(st, 1));
	stmt_reset(st);
	if (loaded == NULL || strcmp(loaded, template) != 0) {
		free(t.subject);
		free(t.body);
		memset(&t, 0, sizeof t);
		free(loaded);
		loaded = NULL;
		if ((rc = load_template(ctx->store, ctx->cfg->templates_dir, template, &t)) != 0)
			goto out;
		loaded = xstrdup(template);
	}
	cal_format_digits(code, style, digits, sizeof digits);
	if (due)
		cal_format_time(due, style, when, sizeof when);
	const char *values[VARIABLES] = {digits, NULL, when, unit, note, NULL, ctx->cfg->site_url, subject,
	    NULL};
	char *body = fill(t.body, values);
	char *mail_subject = fill_subject(&t, values, xstrdup(digits));
	snprintf(key, sizeof key, "%s:", template);
	decimal(event_id, 12, key + strlen(key));
	struct item it = {
		.unit_id = unit_id, .channel = "email", .recipient = email, .subject = mail_subject,
		.body = body, .key = key,
	};
	rc = put(ctx, &it);
	free(body);
	free(mail_subject);
out:
	free(unit);
	free(email);
	return rc;
}

int
notice_queue_report(struct context *ctx, long long unit_id, const char *to, const char *key,
    const char *subject, const char *text, const char *html, bool *queued)
{
	char *address = to ? xstrdup(to) : NULL;
	int rc;

	*queued = false;
	if (address == NULL) {
		struct stmt *st = store_sql(ctx->store,
		    "SELECT email FROM unit WHERE id = ? AND email IS NOT NULL");
		stmt_bind_int(st, unit_id);
		if (!stmt_row(st))
			return stmt_status(st);
		address = xstrdup(stmt_text(st, 0));
		stmt_reset(st);
	}
	struct item it = {
		.unit_id = unit_id, .channel = "email", .recipient = address, .subject = subject,
		.body = text, .key = key, .html = html,
	};
	struct stmt *seen = store_sql(ctx->store, "SELECT 1 FROM outbox WHERE key = ?");
	stmt_bind_text(seen, key);
	bool known = stmt_row(seen);
	if (known)
		stmt_reset(seen);
	if ((rc = stmt_status(seen)) == 0 && !known && (rc = put(ctx, &it)) == 0)
		*queued = true;
	free(address);
	return rc;
}
