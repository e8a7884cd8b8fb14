/* smsin.c — SMS in: the gateway's answers kept, then each message taken in. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "case.h"
#include "contact.h"
#include "exitcode.h"
#include "json.h"
#include "outbox.h"
#include "smsin.h"
#include "text.h"
#include "util.h"
#include "workflow.h"

/* A message of one of these words alone asks for no more SMS. */
static const char *const opt_out_words[] = {"لغو", "11"};
/* A new case's subject: the message's first words, this many characters at most. */
#define SMS_SUBJECT_CHARS 60

static int
keep(struct store *s, void *arg)
{
	const char *answer = arg;
	struct stmt *st = store_sql(s, "INSERT INTO sms_inbox (polled, answer) VALUES (?, ?)");

	stmt_bind_int(st, (long long)time(NULL));
	stmt_bind_text(st, answer);
	return stmt_run(st);
}

int
smsin_keep(struct context *ctx, const char *answer)
{
	int rc = store_durable(ctx->store);

	return rc ? rc : store_atomic(ctx->store, keep, (void *)answer);
}

static int
hex(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* A form's value, percent-decoded ('+' a blank); a new string. */
static char *
form_decode(const char *v, size_t n)
{
	struct buf b = {0};

	buf_adds(&b, "");
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '+')
			buf_addc(&b, ' ');
		else if (v[i] == '%' && i + 2 < n && hex((unsigned char)v[i + 1]) >= 0 &&
		    hex((unsigned char)v[i + 2]) >= 0) {
			buf_addc(&b, (char)(hex((unsigned char)v[i + 1]) * 16 + hex((unsigned char)v[i + 2])));
			i += 2;
		} else
			buf_addc(&b, v[i]);
	}
	return b.data;
}

int
smsin_keep_form(struct context *ctx, const char *form)
{
	static const char *const fields[][2] = {
		{"from", "sender"}, {"to", "receptor"}, {"message", "message"}, {"messageid", "messageid"},
	};
	json_t *entry = json_object();
	int rc = 0;

	for (const char *p = form; *p;) {
		size_t n = strcspn(p, "&\n\r"), eq = strcspn(p, "=");
		if (eq < n)
			for (size_t f = 0; f < ARRAY_SIZE(fields); f++)
				if (strlen(fields[f][0]) == eq && strncmp(p, fields[f][0], eq) == 0) {
					char *v = form_decode(p + eq + 1, n - eq - 1);
					json_object_set_new(entry, fields[f][1], json_new_text(v));
					free(v);
				}
		p += n;
		while (*p == '&' || *p == '\n' || *p == '\r')
			p++;
	}
	for (size_t f = 0; f < ARRAY_SIZE(fields) && rc == 0; f++)
		if (f != 1 && !json_object_get(entry, fields[f][1]))
			rc = store_fail_field(ctx->store, fields[f][0], "missing");
	json_t *answer = json_pack("{s:{s:i,s:s},s:[o]}", "return", "status", 200, "message",
	    "callback", "entries", entry);
	char *text = answer ? json_dump_text(answer) : NULL;
	if (rc == 0)
		rc = text ? smsin_keep(ctx, text) : store_failf(ctx->store, "no memory");
	free(text);
	json_decref(answer);
	return rc;
}

/* A tracking code in the text (digits in any script, with blanks or dashes between groups). */
static bool
code_in_text(const char *text, tcode *code)
{
	char *ascii = text_ascii_digits(text);
	bool found = false;

	for (char *p = ascii; *p && !found; p++) {
		if (!isdigit((unsigned char)*p) || (p > ascii && isdigit((unsigned char)p[-1])))
			continue;
		char digits[CODE_LEN + 1];
		size_t n = 0;
		const char *q = p, *why;
		for (; *q && n < CODE_LEN; q++) {
			if (isdigit((unsigned char)*q))
				digits[n++] = *q;
			else if (!((*q == '-' || *q == ' ') && isdigit((unsigned char)q[1])))
				break;
		}
		digits[n] = '\0';
		found = n == CODE_LEN && !isdigit((unsigned char)*q) && code_parse(digits, code, &why) == 0;
	}
	free(ascii);
	return found;
}

static bool
is_opt_out(const char *text)
{
	char *copy = text_ascii_digits(text), *word = strip(copy);
	bool yes = false;

	for (size_t i = 0; i < ARRAY_SIZE(opt_out_words); i++)
		yes |= strcmp(word, opt_out_words[i]) == 0;
	free(copy);
	return yes;
}

/* The first line of the text, at most SMS_SUBJECT_CHARS characters; a new string. */
static char *
subject_of(const char *text)
{
	char *s = xstrndup(text, strcspn(text, "\r\n"));
	size_t chars = 0;

	for (char *p = s; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > SMS_SUBJECT_CHARS) {
			*p = '\0';
			break;
		}
	return s;
}

struct message {
	const char *sender, *text;
	char id[64];
	char phone[16];
};

static enum smsin_what
take_message(struct context *ctx, const struct message *m, tcode *code, char *why, size_t n,
    int *rc)
{
	struct field_error err;
	enum follow_up did;
	bool known;

	*rc = 0;
	if (is_opt_out(m->text)) {
		*rc = outbox_opt_out(ctx, m->phone, "SMS");
		return SMSIN_OPT_OUT;
	}
	if (code_in_text(m->text, code)) {
		*rc = case_follow_up(ctx, *code, "sms", m->id[0] ? m->id : NULL, m->text, &did);
		if (*rc == 0)
			return did == FOLLOW_UP_KNOWN ? SMSIN_KNOWN : SMSIN_FOLLOW_UP;
		if (*rc != EXIT_PARTIAL)
			return SMSIN_REFUSED;
		*rc = 0;	/* a code of no case: the message is a new one */
	}
	char *subject = subject_of(m->text);
	struct case_input in = {
		.kind = "complaint", .channel = "sms", .subject = subject, .body = m->text,
		.phone = m->phone, .source_id = m->id[0] ? m->id : NULL,
	};
	*rc = case_register(ctx, &in, code, &known, &err);
	free(subject);
	if (*rc == EXIT_FATAL && err.field) {
		snprintf(why, n, "%s: %s", err.field, err.why);
		*rc = 0;
		return SMSIN_REFUSED;
	}
	return known ? SMSIN_KNOWN : SMSIN_CASE;
}

/* Each message of one kept answer. */
static int
take_answer(struct context *ctx, const char *answer, struct smsin_run *run, smsin_report_fn report,
    void *arg)
{
	struct json_fault fault;
	json_t *root = json_parse(answer, strlen(answer), &fault);
	json_t *entries = root ? json_object_get(root, "entries") : NULL;
	int rc = 0;

	for (size_t i = 0; rc == 0 && json_is_array(entries) && i < json_array_size(entries); i++) {
		json_t *e = json_array_get(entries, i), *id = json_object_get(e, "messageid");
		bool nul;
		struct message m = {
			.sender = json_text(json_object_get(e, "sender"), &nul),
			.text = json_text(json_object_get(e, "message"), &nul),
		};
		char why[300] = "";
		tcode code = 0;
		enum smsin_what what;
		if (json_is_integer(id))
			snprintf(m.id, sizeof m.id, "%lld", (long long)json_integer_value(id));
		else if (json_text(id, &nul))
			snprintf(m.id, sizeof m.id, "%s", json_text(id, &nul));
		const char *bad = m.sender ? check_mobile(m.sender, m.phone) : "no sender";
		if (bad || !m.text || !*m.text) {
			snprintf(why, sizeof why, "message %s: %s", m.id[0] ? m.id : "?",
			    bad ? bad : "no text");
			what = SMSIN_REFUSED;
		} else {
			what = take_message(ctx, &m, &code, why, sizeof why, &rc);
		}
		if (rc != 0)
			break;
		run->counts[what]++;
		if (report)
			report(what, code, why, arg);
	}
	json_decref(root);
	return rc;
}

static int
done(struct store *s, void *arg)
{
	struct stmt *st = store_sql(s, "UPDATE sms_inbox SET done = ? WHERE id = ?");

	stmt_bind_int(st, (long long)time(NULL));
	stmt_bind_int(st, *(long long *)arg);
	return stmt_run(st);
}

static int
mark_done(struct context *ctx, long long id)
{
	return store_atomic(ctx->store, done, &id);
}

int
smsin_take(struct context *ctx, struct smsin_run *run, smsin_report_fn report, void *arg)
{
	int rc = 0;

	memset(run, 0, sizeof *run);
	/* Bounded: each turn marks one answer done or stops. */
	for (int turn = 0; turn < 100000 && rc == 0; turn++) {
		struct stmt *st = store_sql(ctx->store,
		    "SELECT id, answer FROM sms_inbox WHERE done IS NULL ORDER BY id LIMIT 1");
		if (!stmt_row(st))
			return stmt_status(st);
		long long id = stmt_int(st, 0);
		char *answer = xstrdup(stmt_text(st, 1));
		stmt_reset(st);
		rc = take_answer(ctx, answer, run, report, arg);
		free(answer);
		if (rc == 0)
			rc = mark_done(ctx, id);
	}
	return rc;
}
