/* notice.c — the citizen's notices: templates filled in, queued in the outbox. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "exitcode.h"
#include "notice.h"
#include "store.h"
#include "text.h"
#include "util.h"

static const char *const event_names[NOTICE_EVENT_COUNT] = {
	"received", "routed", "waiting", "answered", "closed", "reopened", "rejected",
};

int
notice_event_parse(const char *name)
{
	for (int i = 0; i < NOTICE_EVENT_COUNT; i++)
		if (strcmp(name, event_names[i]) == 0)
			return i;
	return -1;
}

const char *notice_event_name(int e) { return e >= 0 && e < NOTICE_EVENT_COUNT ? event_names[e] : "?"; }

static const char *const variables[] = {
	"code", "state", "due", "unit", "note", "outcome", "site_url",
};

struct template {
	bool loaded;
	char *subject;	/* the mail's subject; NULL: a default */
	char *body;
};

/* Reads TEMPLATES/EVENT.txt: an optional "subject: …" line, then the text. */
static int
load_template(struct store *s, const char *dir, int event, struct template *t)
{
	char *path = xasprintf("%s/%s.txt", dir, event_names[event]);
	FILE *f = fopen(path, "r");
	struct buf body = {0};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int rc = 0;

	if (f == NULL) {
		rc = store_failf(s, "%s: %s (the notice's template)", path, strerror(errno));
		free(path);
		return rc;
	}
	while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (!utf8_valid(line, (size_t)len)) {
			rc = store_failf(s, "%s:%ld: not valid UTF-8", path, lineno);
			break;
		}
		if (lineno == 1 && strncasecmp(line, "subject:", 8) == 0) {
			t->subject = xstrdup(strip(line + 8));
			continue;
		}
		for (char *v = strchr(line, '{'); v && rc == 0; v = strchr(v + 1, '{')) {
			size_t n = strcspn(v + 1, "}");
			bool known = false;
			for (size_t i = 0; i < ARRAY_SIZE(variables); i++)
				known |= strlen(variables[i]) == n && strncmp(v + 1, variables[i], n) == 0;
			if (!known || v[n + 1] != '}')
				rc = store_failf(s, "%s:%ld: unknown field '{%.*s}'", path, lineno, (int)n, v + 1);
		}
		buf_add(&body, line, (size_t)len);
	}
	free(line);
	fclose(f);
	free(path);
	if (rc == 0) {
		t->body = xstrdup(body.data ? strip(body.data) : "");
		t->loaded = true;
	}
	buf_free(&body);
	return rc;
}

static char *
fill(const char *text, const char *const values[])
{
	struct buf out = {0};

	for (const char *p = text; *p;) {
		const char *v = strchr(p, '{');
		if (v == NULL) {
			buf_adds(&out, p);
			break;
		}
		buf_add(&out, p, (size_t)(v - p));
		size_t n = strcspn(v + 1, "}");
		for (size_t i = 0; i < ARRAY_SIZE(variables); i++)
			if (strlen(variables[i]) == n && strncmp(v + 1, variables[i], n) == 0)
				buf_adds(&out, values[i] ? values[i] : "");
		p = v + n + 2;
	}
	return out.data ? out.data : xstrdup("");
}

/* What a notice says of its case: from the store, or from a case just made. */
static int
queue(struct case_context *ctx, const struct notice_facts *f, long long event_id,
    enum notice_event event, const char *note)
{
	static struct template templates[NOTICE_EVENT_COUNT];
	struct template *t = &templates[event];
	int rc;

	if (!(ctx->cfg->notify & (1u << event)) || f->anonymous || (!f->phone && !f->email))
		return 0;	/* not asked for, or nobody to tell */
	if (!t->loaded && (rc = load_template(ctx->store, ctx->cfg->templates_dir, event, t)) != 0)
		return rc;
	char code[24], due[32] = "", key[64];
	code_format_grouped(f->code, code, sizeof code);
	if (f->due)
		cal_format_time(f->due, ctx->cfg->calendar, due, sizeof due);
	const char *values[] = {code, f->state, due, f->unit, note, f->outcome, ctx->cfg->site_url};
	char *body = fill(t->body, values);
	char *subject = t->subject ? fill(t->subject, values) : xasprintf("%s %s", code, event_names[event]);
	bool sms = f->phone != NULL;

	/* Zero-padded, so keys grow in order and the unique index is appended to. */
	memcpy(key, "notice:", 7);
	decimal(event_id, 12, key + 7);
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "INSERT INTO outbox (case_id, channel, recipient, subject, body, key, created, next_try)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) ON CONFLICT (key) DO NOTHING");
	sqlite3_bind_int64(st, 1, f->case_id);
	bind_text(st, 2, sms ? "sms" : "email");
	bind_text(st, 3, sms ? f->phone : f->email);
	bind_text(st, 4, sms ? NULL : subject);
	bind_text(st, 5, body);
	bind_text(st, 6, key);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)ctx->now);
	rc = sqlite3_step(st);
	free(body);
	free(subject);
	return rc == SQLITE_DONE ? 0 : store_fail(ctx->store, rc);
}

int
notice_queue_facts(struct case_context *ctx, const struct notice_facts *f, long long event_id,
    enum notice_event event, const char *note)
{
	return queue(ctx, f, event_id, event, note);
}

int
notice_queue(struct case_context *ctx, long long case_id, long long event_id,
    enum notice_event event, const char *note)
{
	int rc;

	if (!(ctx->cfg->notify & (1u << event)))
		return 0;
	sqlite3_stmt *st = store_stmt(ctx->store,
	    "SELECT c.code, c.state, c.due, u.name, c.outcome, c.phone, c.email, c.anonymous"
	    " FROM cases c LEFT JOIN unit u ON u.id = c.unit_id WHERE c.id = ?1");
	sqlite3_bind_int64(st, 1, case_id);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? 0 : store_fail(ctx->store, rc);
	}
	struct notice_facts f = {
		.case_id = case_id, .code = sqlite3_column_int64(st, 0),
		.state = column_text(st, 1), .due = (time_t)sqlite3_column_int64(st, 2),
		.unit = column_text(st, 3), .outcome = column_text(st, 4),
		.phone = column_text(st, 5), .email = column_text(st, 6),
		.anonymous = sqlite3_column_int(st, 7),
	};
	/* The row's texts live until the statement is reset: queue first. */
	rc = queue(ctx, &f, event_id, event, note);
	sqlite3_reset(st);
	return rc;
}
