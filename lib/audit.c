/* audit.c — the hash-chained event log of the cases. */
#include <nettle/sha2.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "exitcode.h"
#include "store.h"
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

static void
event_hash(const unsigned char prev[32], long long id, const char *code, long long at,
    const char *who, const char *what, const char *before, const char *after,
    const char *note, unsigned char out[32])
{
	struct sha256_ctx h;
	char num[2][24];

	decimal(id, 1, num[0]);
	decimal(at, 1, num[1]);
	sha256_init(&h);
	sha256_update(&h, 32, prev);
	hash_field(&h, num[0]);
	hash_field(&h, code);
	hash_field(&h, num[1]);
	hash_field(&h, who);
	hash_field(&h, what);
	hash_field(&h, before);
	hash_field(&h, after);
	hash_field(&h, note);
	sha256_digest(&h, SHA256_DIGEST_SIZE, out);
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
audit_append(struct store *s, const struct event_input *ev)
{
	struct chain_tip *tip;
	unsigned char hash[32];
	char code[24];
	const char *who = ev->who ? ev->who : audit_who();
	int rc;

	if ((rc = store_chain_tip(s, &tip)) != 0)
		return rc;
	long long id = tip->id + 1;
	code_format(ev->case_code, code, sizeof code);
	event_hash(tip->hash, id, code, (long long)ev->at, who, ev->what, ev->before,
	    ev->after, ev->note, hash);

	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO event (id, case_id, at, who, what, before, after, note, hash)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, ev->case_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)ev->at);
	bind_text(st, 4, who);
	bind_text(st, 5, ev->what);
	bind_text(st, 6, ev->before);
	bind_text(st, 7, ev->after);
	bind_text(st, 8, ev->note);
	sqlite3_bind_blob(st, 9, hash, 32, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_fail(s, rc);
	tip->id = id;
	memcpy(tip->hash, hash, 32);
	return 0;
}

int
audit_verify(struct store *s, problem_fn report, void *arg)
{
	sqlite3_stmt *st = store_stmt(s,
	    "SELECT e.id, c.code, e.at, e.who, e.what, e.before, e.after, e.note, e.hash"
	    " FROM event e LEFT JOIN cases c ON c.id = e.case_id ORDER BY e.id");
	unsigned char prev[32] = {0}, want[32];
	long long expect_id = 1;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		char code[24] = "";
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			code_format(sqlite3_column_int64(st, 1), code, sizeof code);
		event_hash(prev, id, code, sqlite3_column_int64(st, 2), column_text(st, 3),
		    column_text(st, 4), column_text(st, 5), column_text(st, 6),
		    column_text(st, 7), want);
		const char *why = NULL;
		if (id != expect_id)
			why = "an event before it is missing";
		else if (sqlite3_column_bytes(st, 8) != 32 ||
		    memcmp(sqlite3_column_blob(st, 8), want, 32) != 0)
			why = "its content or the chain before it was changed";
		if (why) {
			char *msg = xasprintf("audit chain: event %lld (case %s): %s", id,
			    *code ? code : "missing", why);
			report(arg, msg);
			free(msg);
			sqlite3_reset(st);
			return 1;
		}
		memcpy(prev, sqlite3_column_blob(st, 8), 32);
		expect_id = id + 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}
