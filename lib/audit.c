/* audit.c — the hash-chained event log of every record. */
#include <nettle/sha2.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "clock.h"
#include "exitcode.h"
#include "json.h"
#include "util.h"

/* Each field goes in with its length, so no two event contents hash alike. */
static void
hash_field(struct sha256_ctx *h, const char *v)
{
	uint8_t len[8];
	uint64_t n = v ? strlen(v) : UINT64_MAX;

	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(n >> (8 * i));
	sha256_update(h, sizeof len, len);
	if (v)
		sha256_update(h, strlen(v), (const uint8_t *)v);
}

/* What one event says, as hashed. */
struct sealed {
	long long id;
	int form;
	const char *kind, *subject;
	long long at;
	const char *who, *what, *before, *after, *note;
};

/*
 * Form 2 (schema 2, cases only) hashed the id and the case's code; form 3
 * hashes the subject's kind and code instead of the id, which the store
 * gives only once the row is in: the link to the event before keeps the
 * order, and the ids are checked for gaps apart.
 */
static void
event_hash(const unsigned char prev[32], const struct sealed *e, unsigned char out[32])
{
	struct sha256_ctx h;
	char num[2][24];

	decimal(e->id, 1, num[0]);
	decimal(e->at, 1, num[1]);
	sha256_init(&h);
	sha256_update(&h, 32, prev);
	if (e->form == 2) {
		hash_field(&h, num[0]);
	} else {
		hash_field(&h, e->kind);
	}
	hash_field(&h, e->subject);
	hash_field(&h, num[1]);
	hash_field(&h, e->who);
	hash_field(&h, e->what);
	hash_field(&h, e->before);
	hash_field(&h, e->after);
	hash_field(&h, e->note);
	sha256_digest(&h, SHA256_DIGEST_SIZE, out);
}

/* The last event's id and hash, read once per transaction. */
static struct {
	const struct store *store;
	unsigned long serial;
	long long id;
	unsigned char hash[32];
} tip;

static int
read_tip(struct store *s)
{
	if (tip.store == s && tip.serial == store_transaction_serial(s))
		return 0;
	struct stmt *st = store_sql(s, "SELECT id, hash FROM event ORDER BY id DESC LIMIT 1");
	size_t n;

	tip.id = 0;
	memset(tip.hash, 0, sizeof tip.hash);
	if (stmt_row(st)) {
		const void *h = stmt_blob(st, 1, &n);
		tip.id = stmt_int(st, 0);
		if (n == 32)
			memcpy(tip.hash, h, 32);
		stmt_reset(st);
	} else if (stmt_status(st) != 0) {
		return stmt_status(st);
	}
	tip.store = s;
	tip.serial = store_transaction_serial(s);
	return 0;
}

const char *
audit_who(void)
{
	static char *who;

	if (who == NULL) {
		const char *env = getenv("PARTAKE_USER");
		struct passwd *pw;
		if (env && *env)
			who = xstrdup(env);
		else if ((pw = getpwuid(geteuid())) != NULL)
			who = xstrdup(pw->pw_name);
		else
			who = xasprintf("uid %u", (unsigned)geteuid());
	}
	return who;
}

int
audit_append(struct store *s, const struct event_input *ev, long long *id)
{
	const char *who = ev->who ? ev->who : audit_who();
	struct sealed e = {
		.form = 3, .kind = ev->kind, .subject = ev->subject, .at = (long long)ev->at,
		.who = who, .what = ev->what, .before = ev->before, .after = ev->after,
		.note = ev->note,
	};
	unsigned char hash[32];
	int rc;

	if (!store_in_transaction(s))
		return store_failf(s, "internal error: an event outside a transaction");
	if ((rc = read_tip(s)) != 0)
		return rc;
	event_hash(tip.hash, &e, hash);
	struct stmt *st = store_sql(s,
	    "INSERT INTO event (subject_kind, subject_id, subject, at, who, what, before, after,"
	    " note, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	stmt_bind_text(st, ev->kind);
	stmt_bind_int(st, ev->subject_id);
	stmt_bind_text(st, ev->subject);
	stmt_bind_int(st, e.at);
	stmt_bind_text(st, who);
	stmt_bind_text(st, ev->what);
	stmt_bind_text(st, ev->before);
	stmt_bind_text(st, ev->after);
	stmt_bind_text(st, ev->note);
	stmt_bind_blob(st, hash, 32);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	tip.id = store_last_id(s);
	memcpy(tip.hash, hash, 32);
	if (id)
		*id = tip.id;
	return 0;
}

int
audit_record(struct store *s, int kind, long long id, const char *code, const char *what,
    const char *before, const char *after, const char *note)
{
	struct event_input ev = {
		.kind = vocab_name(&record_vocab, kind), .subject_id = id, .subject = code,
		.at = clock_now(), .what = what, .before = before, .after = after, .note = note,
	};
	return audit_append(s, &ev, NULL);
}

char *
audit_snapshot(struct store *s, const char *sql, long long id)
{
	struct stmt *st = store_sql(s, sql);
	char *text = NULL;

	stmt_bind_int(st, id);
	if (!stmt_row(st))
		return NULL;
	json_t *row = json_object();
	for (int i = 0; i < stmt_columns(st); i++) {
		json_t *v = stmt_null(st, i) ? json_null()
		    : stmt_is_int(st, i) ? json_integer(stmt_int(st, i))
		    : json_new_text(stmt_text(st, i));
		json_object_set_new(row, stmt_column_name(st, i), v);
	}
	stmt_reset(st);
	text = json_dump_text(row);
	json_decref(row);
	return text;
}

int
audit_record_change(struct store *s, int kind, long long id, const char *code,
    const char *what, char *before, const char *snapshot_sql)
{
	char *after = audit_snapshot(s, snapshot_sql, id);
	int rc = 0;

	if (before == NULL || after == NULL || strcmp(before, after) != 0)
		rc = audit_record(s, kind, id, code, what, before, after, NULL);
	free(after);
	free(before);
	return rc;
}

static int
report_event(problem_fn report, void *arg, long long id, const char *kind, const char *subject,
    const char *why)
{
	char *msg = xasprintf("audit chain: event %lld (%s %s): %s", id, kind ? kind : "?",
	    subject && *subject ? subject : "missing", why);
	report(arg, msg);
	free(msg);
	return 1;
}

int
audit_verify(struct store *s, problem_fn report, void *arg)
{
	struct stmt *st = store_sql(s,
	    "SELECT id, hash_form, subject_kind, subject, at, who, what, before, after, note, hash"
	    " FROM event ORDER BY id");
	unsigned char prev[32] = {0}, want[32];
	long long expect_id = 1;

	while (stmt_row(st)) {
		struct sealed e = {
			.id = stmt_int(st, 0), .form = (int)stmt_int(st, 1),
			.kind = stmt_text(st, 2), .subject = stmt_text(st, 3), .at = stmt_int(st, 4),
			.who = stmt_text(st, 5), .what = stmt_text(st, 6), .before = stmt_text(st, 7),
			.after = stmt_text(st, 8), .note = stmt_text(st, 9),
		};
		size_t n;
		const void *hash = stmt_blob(st, 10, &n);
		event_hash(prev, &e, want);
		const char *why = NULL;
		if (e.id != expect_id)
			why = "an event before it is missing";
		else if (e.form != 2 && e.form != 3)
			why = "its hash form is unknown";
		else if (n != 32 || memcmp(hash, want, 32) != 0)
			why = "its content or the chain before it was changed";
		if (why) {
			report_event(report, arg, e.id, e.kind, e.subject, why);
			stmt_reset(st);
			return 1;
		}
		memcpy(prev, hash, 32);
		expect_id = e.id + 1;
	}
	return stmt_status(st) ? -1 : 0;
}
