/* audit.c — the hash-chained event log of every record, and its check. */
#include <endian.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "caltime.h"
#include "clock.h"
#include "code.h"
#include "exitcode.h"
#include "json.h"
#include "text.h"
#include "util.h"

#define DIGEST SHA256_DIGEST_SIZE

/* SHA-256 fed through a buffer of its own: a digest takes dozens of short
 * fields, and one update of a few hundred bytes costs far less than many
 * of eight. The bytes hashed are the same. */
struct hasher {
	struct sha256_ctx ctx;
	size_t n;
	uint8_t buf[2048];
};

static void
hasher_init(struct hasher *h)
{
	sha256_init(&h->ctx);
	h->n = 0;
}

static inline void
hasher_put(struct hasher *h, const void *v, size_t n)
{
	if (h->n + n > sizeof h->buf) {
		sha256_update(&h->ctx, h->n, h->buf);
		h->n = 0;
		if (n > sizeof h->buf) {
			sha256_update(&h->ctx, n, v);
			return;
		}
	}
	memcpy(h->buf + h->n, v, n);
	h->n += n;
}

static void
hasher_digest(struct hasher *h, unsigned char out[DIGEST])
{
	sha256_update(&h->ctx, h->n, h->buf);
	h->n = 0;
	sha256_digest(&h->ctx, DIGEST, out);
}

/* Each field goes in with its length, so no two event contents hash alike;
 * an absent one (NULL) has a length no field can have. */
static void
hash_bytes(struct hasher *h, const void *v, size_t n)
{
	uint64_t len = htole64(v ? (uint64_t)n : UINT64_MAX);	/* little-endian, as always */

	hasher_put(h, &len, sizeof len);
	if (v)
		hasher_put(h, v, n);
}

static void
hash_field(struct hasher *h, const char *v)
{
	hash_bytes(h, v, v ? strlen(v) : 0);
}

static void
hash_number(struct hasher *h, long long v)
{
	char num[24];

	hash_field(h, decimal(v, 1, num));
}

/* The columns of the current row from the one numbered `from` on, as text;
 * the last one left out when optional_last and it is NULL. */
static void
hash_columns(struct hasher *h, struct stmt *st, int from, bool optional_last)
{
	int n = stmt_columns(st);

	if (optional_last && n > from && stmt_text(st, n - 1) == NULL)
		n--;
	for (int i = from; i < n; i++)
		hash_field(h, stmt_text(st, i));
}

/* Every column of the current row, as text (the last as hash_columns says). */
static void
hash_row(struct hasher *h, struct stmt *st, bool optional_last)
{
	hash_columns(h, st, 0, optional_last);
}

/* What one event says, as hashed. */
struct sealed {
	long long id, subject_id;
	int form;
	const char *kind, *subject;
	long long at;
	const char *who, *what, *before, *after, *note;
	const unsigned char *record;	/* form 4: the record's digest; NULL: no row */
	long long outbox_upto;		/* form 4: the last outbox item it covers */
	const unsigned char *outbox;	/* form 4: their digest; NULL: none new */
};

/*
 * Form 2 (schema 2, cases only) hashed the id and the case's code; form 3
 * hashes the subject's kind and code instead of the id, which the store
 * gives only once the row is in: the link to the event before keeps the
 * order, and the ids are checked for gaps apart. Form 4 (schema 5) adds
 * the subject's row, the digest of the record as the change left it, and
 * the outbox items queued since the event before (their last id and digest).
 * Form 5 (schema 6) hashes like form 4, and its form first; its record
 * digest covers more of a case (see sources[]).
 */
static void
event_hash(const unsigned char prev[DIGEST], const struct sealed *e, unsigned char out[DIGEST])
{
	struct hasher h;

	hasher_init(&h);
	hasher_put(&h, prev, DIGEST);
	/* From form 5 on the form is hashed too: an event set back to an older
	 * form, whose record digest covers less, no longer verifies. */
	if (e->form >= 5)
		hash_number(&h, e->form);
	if (e->form == 2)
		hash_number(&h, e->id);
	else
		hash_field(&h, e->kind);
	if (e->form >= 4)
		hash_number(&h, e->subject_id);
	hash_field(&h, e->subject);
	hash_number(&h, e->at);
	hash_field(&h, e->who);
	hash_field(&h, e->what);
	hash_field(&h, e->before);
	hash_field(&h, e->after);
	hash_field(&h, e->note);
	if (e->form >= 4) {
		hash_bytes(&h, e->record, DIGEST);
		hash_number(&h, e->outbox_upto);
		hash_bytes(&h, e->outbox, DIGEST);
	}
	hasher_digest(&h, out);
}

#define FORM_NEWEST 5

/*
 * What the digest of each kind of record covers: its row, by the columns
 * named (never `*`: a column added by a later schema would change every
 * digest; it comes with a new hash form), then the rows that belong to it
 * and are written before its event (a member's opinion, an overdue
 * notice's level, an FAQ entry, an attachment). Not covered: the routing
 * rules, a file whose events keep its text.
 *
 * By the form of the event that took the digest: form 4 (schema 5), and
 * form 5 (schema 6), which adds to a case the source id its channel gave
 * it with the digest of what was taken in under it, and its attachments
 * (what each is, its name, type, size and the digest of its content). A
 * form-4 digest holds for a case with neither, for both came after it: the
 * move to schema 6 gave an event of form 5 to every case with attachments,
 * and a source id is given only at intake. What a case is about (schema
 * 13, given at intake too) is in form 5, hashed only where there is one:
 * every older case hashes as it did, and a form-4 digest holds for a case
 * without it alone.
 */
struct digest_sql {
	const char *row;	/* one `?`: the id, or the subject when by_subject */
	const char *parts[3];	/* one `?`: the id */
	/* The row's last column is a later one, hashed only when it is not
	 * NULL: a record without it hashes as it did before the column came
	 * (a field fewer, so neither can pass for the other). */
	bool optional_last;
};

struct record_source {
	int kind;
	struct digest_sql form4, form5;	/* form5.row NULL: as form 4 */
	bool by_subject;	/* a contact is its address: subject_id 0 */
	bool code_subject;	/* `all` gives a tracking code, named by its 12 digits */
	const char *all;	/* every record: its id and subject */
	/* Every record in id order: its id, its subject (NULL: not checked, as
	 * `all` leaves it out), then the columns of its newest form's row, so
	 * that the check digests the row it walks (NULL: by subject, asked one
	 * by one). */
	const char *walk;
	const char *gone;	/* subjects of events whose record is not there: id, subject, last event */
	/* For a check of every record: for each part (parts[i] of either
	 * form), the ids that have rows there, ascending (NULL: ask the part of
	 * each record). The check walks them beside `all`, and a record with
	 * no rows in a part is hashed as empty without asking: most cases have
	 * no opinion, no overdue notice and no attachment. */
	const char *part_ids[3];
};

#define CASE_COLUMNS "code, kind, channel, service_id, unit_id, state, subject, body, name," \
	" phone, email, national_id, anonymous, received, due, answered, closed, outcome, action," \
	" answer"
#define CASE_OPINIONS "SELECT member, opinion, note, at FROM review_opinion WHERE case_id = ?" \
	" ORDER BY member"
#define CASE_NOTICES "SELECT level, at FROM overdue_notice WHERE case_id = ? ORDER BY level"
#define UNIT_COLUMNS "code, name, email, phone, parent_id"
#define SERVICE_COLUMNS "code, name, unit_id, deadline_days, steps, documents, fees, duration," \
	" legal_basis, how_to_complain"
#define SURVEY_COLUMNS "code, created"
#define INVITATION_COLUMNS "survey_id, version_id, case_id, token_hash, channel, created, state"
#define RESPONSE_COLUMNS "survey_id, version_id, case_id, invitation_id, service_id, unit_id," \
	" channel, at, month, constructive"
#define DRAFT_COLUMNS "code, title, unit_id, origin, state, window_days, publish_at, created," \
	" opened, closes, closed, comment_version, final_version, final_note, changed"

static const struct record_source sources[] = {
	{
		RECORD_CASE,
		{"SELECT " CASE_COLUMNS " FROM cases WHERE id = ? AND source_id IS NULL"
		 " AND about IS NULL AND NOT EXISTS (SELECT 1 FROM attachment a WHERE a.case_id = cases.id)",
		 {CASE_OPINIONS, CASE_NOTICES, NULL}, false},
		{"SELECT " CASE_COLUMNS ", source_id, source_digest, about FROM cases WHERE id = ?",
		 {CASE_OPINIONS, CASE_NOTICES,
		  "SELECT kind, name, type, size, sha256, note FROM attachment WHERE case_id = ?"
		  " ORDER BY id"}, true},
		false, true,
		"SELECT id, code FROM cases ORDER BY id",
		"SELECT id, code, " CASE_COLUMNS ", source_id, source_digest, about FROM cases ORDER BY id",
		"SELECT e.subject_id, e.subject, max(e.id) FROM event e WHERE e.subject_kind = 'case'"
		" AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.id = e.subject_id)"
		" GROUP BY e.subject_id, e.subject ORDER BY 3",
		{"SELECT DISTINCT case_id FROM review_opinion ORDER BY 1",
		 "SELECT DISTINCT case_id FROM overdue_notice ORDER BY 1",
		 "SELECT DISTINCT case_id FROM attachment ORDER BY 1"},
	},
	{
		RECORD_UNIT,
		{"SELECT " UNIT_COLUMNS " FROM unit WHERE id = ?", {NULL}, false},
		{NULL, {NULL}, false}, false, false,
		"SELECT id, code FROM unit ORDER BY id",
		"SELECT id, code, " UNIT_COLUMNS " FROM unit ORDER BY id",
		"SELECT e.subject_id, e.subject, max(e.id) FROM event e WHERE e.subject_kind = 'unit'"
		" AND NOT EXISTS (SELECT 1 FROM unit u WHERE u.id = e.subject_id)"
		" GROUP BY e.subject_id, e.subject ORDER BY 3",
		{NULL},
	},
	{
		RECORD_SERVICE,
		{"SELECT " SERVICE_COLUMNS " FROM service WHERE id = ?",
		 {"SELECT id, question, answer FROM service_faq WHERE service_id = ? ORDER BY id"}, false},
		{NULL, {NULL}, false}, false, false,
		"SELECT id, code FROM service ORDER BY id",
		"SELECT id, code, " SERVICE_COLUMNS " FROM service ORDER BY id",
		"SELECT e.subject_id, e.subject, max(e.id) FROM event e WHERE e.subject_kind = 'service'"
		" AND NOT EXISTS (SELECT 1 FROM service v WHERE v.id = e.subject_id)"
		" GROUP BY e.subject_id, e.subject ORDER BY 3",
		{NULL},
	},
	{
		RECORD_SURVEY,
		{"SELECT " SURVEY_COLUMNS " FROM survey WHERE id = ?",
		 {"SELECT version, title, created FROM survey_version WHERE survey_id = ? ORDER BY version",
		  "SELECT v.version, q.position, q.name, q.kind, q.required, q.text, q.options"
		  " FROM survey_question q JOIN survey_version v ON v.id = q.version_id"
		  " WHERE v.survey_id = ? ORDER BY v.version, q.position", NULL}, false},
		{NULL, {NULL}, false}, false, false,
		"SELECT id, code FROM survey ORDER BY id",
		"SELECT id, code, " SURVEY_COLUMNS " FROM survey ORDER BY id",
		"SELECT e.subject_id, e.subject, max(e.id) FROM event e WHERE e.subject_kind = 'survey'"
		" AND NOT EXISTS (SELECT 1 FROM survey v WHERE v.id = e.subject_id)"
		" GROUP BY e.subject_id, e.subject ORDER BY 3",
		{NULL},
	},
	{
		RECORD_INVITATION,
		{"SELECT " INVITATION_COLUMNS " FROM survey_invitation WHERE id = ?", {NULL}, false},
		{NULL, {NULL}, false}, false, true,
		"SELECT i.id, c.code FROM survey_invitation i JOIN cases c ON c.id = i.case_id ORDER BY i.id",
		"SELECT i.id, c.code, i.survey_id, i.version_id, i.case_id, i.token_hash, i.channel,"
		" i.created, i.state FROM survey_invitation i LEFT JOIN cases c ON c.id = i.case_id"
		" ORDER BY i.id",
		"SELECT e.subject_id, e.subject, max(e.id) FROM event e WHERE e.subject_kind = 'invitation'"
		" AND NOT EXISTS (SELECT 1 FROM survey_invitation i WHERE i.id = e.subject_id)"
		" GROUP BY e.subject_id, e.subject ORDER BY 3",
		{NULL},
	},
	{
		RECORD_RESPONSE,
		{"SELECT " RESPONSE_COLUMNS " FROM survey_response WHERE id = ?",
		 {"SELECT question_id, value, text FROM survey_answer WHERE response_id = ?"
		  " ORDER BY question_id, value", NULL}, false},
		{NULL, {NULL}, false}, false, false,
		"SELECT id, id FROM survey_response ORDER BY id",
		"SELECT id, id, " RESPONSE_COLUMNS " FROM survey_response ORDER BY id",
		"SELECT e.subject_id, e.subject, max(e.id) FROM event e WHERE e.subject_kind = 'response'"
		" AND NOT EXISTS (SELECT 1 FROM survey_response r WHERE r.id = e.subject_id)"
		" GROUP BY e.subject_id, e.subject ORDER BY 3",
		{NULL},
	},
	{
		RECORD_CONTACT,
		{"SELECT address, at, note FROM opt_out WHERE address = ?", {NULL}, false},
		{NULL, {NULL}, false}, true, false,
		"SELECT 0, address FROM opt_out ORDER BY address",
		NULL,
		"SELECT 0, e.subject, max(e.id) FROM event e WHERE e.subject_kind = 'contact'"
		" AND NOT EXISTS (SELECT 1 FROM opt_out o WHERE o.address = e.subject)"
		" GROUP BY e.subject ORDER BY 3",
		{NULL},
	},
	{
		RECORD_DRAFT,
		{"SELECT " DRAFT_COLUMNS " FROM draft WHERE id = ?",
		 {"SELECT id, number, text, created FROM draft_version WHERE draft_id = ? ORDER BY id",
		  "SELECT a.id, a.version_id, a.position, a.number, a.heading, a.body, a.ident,"
		  " a.prev_id, a.matched FROM draft_article a JOIN draft_version v ON v.id = a.version_id"
		  " WHERE v.draft_id = ? ORDER BY a.id",
		  "SELECT case_id, article_id, late, changed_version, changed_article_id"
		  " FROM draft_comment WHERE draft_id = ? ORDER BY case_id"}, false},
		{NULL, {NULL}, false}, false, false,
		"SELECT id, code FROM draft ORDER BY id",
		"SELECT id, code, " DRAFT_COLUMNS " FROM draft ORDER BY id",
		"SELECT e.subject_id, e.subject, max(e.id) FROM event e WHERE e.subject_kind = 'draft'"
		" AND NOT EXISTS (SELECT 1 FROM draft d WHERE d.id = e.subject_id)"
		" GROUP BY e.subject_id, e.subject ORDER BY 3",
		{NULL},
	},
	{
		/* A unit's last digest (digest.c): its row is the unit's. */
		RECORD_DIGEST,
		{"SELECT unit_id, at, upto FROM unit_digest WHERE unit_id = ?", {NULL}, false},
		{NULL, {NULL}, false}, false, false,
		"SELECT d.unit_id, u.code FROM unit_digest d JOIN unit u ON u.id = d.unit_id"
		" ORDER BY d.unit_id",
		"SELECT d.unit_id, u.code, d.unit_id, d.at, d.upto FROM unit_digest d"
		" JOIN unit u ON u.id = d.unit_id ORDER BY d.unit_id",
		"SELECT e.subject_id, e.subject, max(e.id) FROM event e WHERE e.subject_kind = 'digest'"
		" AND NOT EXISTS (SELECT 1 FROM unit_digest d WHERE d.unit_id = e.subject_id)"
		" GROUP BY e.subject_id, e.subject ORDER BY 3",
		{NULL},
	},
};

/* What a digest of this form covers. */
static const struct digest_sql *
digest_of(const struct record_source *src, int form)
{
	return form >= 5 && src->form5.row ? &src->form5 : &src->form4;
}

static const struct record_source *
source_of(const char *kind)
{
	int k = kind ? vocab_parse(&record_vocab, kind) : -1;

	for (size_t i = 0; i < ARRAY_SIZE(sources); i++)
		if (sources[i].kind == k)
			return &sources[i];
	return NULL;
}

/* A part with no rows: a count of 0 and the digest of nothing (SHA-256 of
 * no bytes), as hash_number and hash_bytes would put them. A constant, so
 * that the walks of the check may run on threads of their own. */
static void
hash_empty_part(struct hasher *h)
{
	static const unsigned char empty[] = {
		1, 0, 0, 0, 0, 0, 0, 0, '0',
		DIGEST, 0, 0, 0, 0, 0, 0, 0,
		0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f,
		0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b,
		0x78, 0x52, 0xb8, 0x55,
	};

	hasher_put(h, empty, sizeof empty);
}

/* The rows of one part, as their count and a digest of their own. */
static int
hash_part(struct store *s, const char *sql, long long id, struct hasher *h)
{
	struct stmt *st = store_sql(s, sql);
	struct hasher rows;
	unsigned char digest[DIGEST];
	long long n = 0;

	hasher_init(&rows);
	stmt_bind_int(st, id);
	while (stmt_row(st)) {
		hash_row(&rows, st, false);
		n++;
	}
	if (stmt_status(st) != 0)
		return stmt_status(st);
	hasher_digest(&rows, digest);
	hash_number(h, n);
	hash_bytes(h, digest, DIGEST);
	return 0;
}

/* The digest's end, after its kind and row: its parts (bit i of empty:
 * parts[i] known to have no row for record id). */
static int
digest_parts(struct store *s, const struct digest_sql *sql, long long id, unsigned empty,
    struct hasher *h, unsigned char out[DIGEST])
{
	int rc;

	for (size_t i = 0; i < ARRAY_SIZE(sql->parts) && sql->parts[i]; i++)
		if (empty >> i & 1)
			hash_empty_part(h);
		else if ((rc = hash_part(s, sql->parts[i], id, h)) != 0)
			return rc;
	hasher_digest(h, out);
	return 0;
}

/*
 * The one digest of a record as it is now: its kind, its row and its
 * parts. *present is false when it has no row (removed, or a kind the
 * store does not keep).
 */
static int
record_digest_known(struct store *s, const char *kind, long long id, const char *subject,
    int form, unsigned empty, unsigned char out[DIGEST], bool *present);

static int
record_digest(struct store *s, const char *kind, long long id, const char *subject, int form,
    unsigned char out[DIGEST], bool *present)
{
	return record_digest_known(s, kind, id, subject, form, 0, out, present);
}

/* The same, with the parts (bit i: parts[i]) known to have no row for it. */
static int
record_digest_known(struct store *s, const char *kind, long long id, const char *subject,
    int form, unsigned empty, unsigned char out[DIGEST], bool *present)
{
	const struct record_source *src = source_of(kind);
	struct hasher h;
	int rc;

	*present = false;
	memset(out, 0, DIGEST);
	if (src == NULL)
		return 0;
	const struct digest_sql *sql = digest_of(src, form);
	struct stmt *st = store_sql(s, sql->row);
	if (src->by_subject)
		stmt_bind_text(st, subject);
	else
		stmt_bind_int(st, id);
	if (!stmt_row(st))
		return stmt_status(st);
	hasher_init(&h);
	hash_field(&h, kind);
	hash_row(&h, st, sql->optional_last);
	stmt_reset(st);
	if ((rc = digest_parts(s, sql, id, empty, &h, out)) != 0)
		return rc;
	*present = true;
	return 0;
}

/* What an outbox item says when queued, which nothing changes after:
 * whom, by which channel, what, for which case or unit, under which key,
 * in reply to which mail. The reply's Message-ID (schema 7) rides on the
 * key only when there is one, so that the items of older chains hash as
 * they always did. */
#define OUTBOX_ITEM "SELECT id, case_id, unit_id, channel, recipient, subject, body, html," \
	" CASE WHEN in_reply_to IS NULL THEN key" \
	" ELSE COALESCE(key, '') || ' in-reply-to ' || in_reply_to END," \
	" created FROM outbox"

/* The items queued after item `after`: the last one's id and their digest
 * (*any false when there is none). */
static int
outbox_since(struct store *s, long long after, long long *upto, unsigned char out[DIGEST],
    bool *any)
{
	struct stmt *st = store_sql(s, OUTBOX_ITEM " WHERE id > ? ORDER BY id");
	struct hasher h;

	hasher_init(&h);
	*upto = after;
	*any = false;
	stmt_bind_int(st, after);
	while (stmt_row(st)) {
		hash_row(&h, st, false);
		*upto = stmt_int(st, 0);
		*any = true;
	}
	if (stmt_status(st) != 0)
		return stmt_status(st);
	if (*any)
		hasher_digest(&h, out);
	return 0;
}

/*
 * The outbox items queued since the event at the tip, hashed as they were
 * put (audit_outbox_queued: OUTBOX_ITEM's columns), so that the next event
 * of the same transaction takes their digest without reading them back.
 * It holds from the first event of a transaction on, which reads back what
 * came before it; only this connection writes in a transaction.
 */
static struct {
	const struct store *store;
	unsigned long serial;
	long long after, upto;	/* the items after `after` up to `upto` */
	bool any;
	struct hasher h;
} queued;

static bool
queued_covers(const struct store *s, long long after)
{
	return queued.store == s && queued.serial == store_transaction_serial(s) &&
	    queued.after == after;
}

static void
queued_restart(struct store *s, long long after)
{
	queued.store = s;
	queued.serial = store_transaction_serial(s);
	queued.after = queued.upto = after;
	queued.any = false;
	hasher_init(&queued.h);
}

void
audit_outbox_queued(struct store *s, long long id, const char *const *item, int n)
{
	if (!queued_covers(s, queued.after) || id != queued.upto + 1) {
		queued.store = NULL;	/* read back at the next event */
		return;
	}
	for (int i = 0; i < n; i++)
		hash_field(&queued.h, item[i]);
	queued.upto = id;
	queued.any = true;
}

/* outbox_since's answer from the items hashed as queued. The first of a
 * run is read back too and must match, so that a caller whose item drifted
 * from OUTBOX_ITEM fails at once, not at the next check. */
static int
outbox_queued(struct store *s, long long *upto, unsigned char out[DIGEST], bool *any)
{
	static bool proven;
	unsigned char again[DIGEST];
	long long upto_again;
	bool any_again;
	int rc;

	*upto = queued.upto;
	if ((*any = queued.any))
		hasher_digest(&queued.h, out);
	queued.store = NULL;	/* its hasher is spent: the event's success starts it again */
	if (proven || !*any)
		return 0;
	if ((rc = outbox_since(s, queued.after, &upto_again, again, &any_again)) != 0)
		return rc;
	if (!any_again || upto_again != *upto || memcmp(out, again, DIGEST) != 0)
		return store_failf(s, "internal error: the outbox items hashed as queued are not the "
		    "ones stored");
	proven = true;
	return 0;
}

/* The last event's id, hash and outbox mark, read once per transaction. */
static struct {
	const struct store *store;
	unsigned long serial;
	long long id, outbox_upto;
	unsigned char hash[DIGEST];
} tip;

static int
read_tip(struct store *s)
{
	if (tip.store == s && tip.serial == store_transaction_serial(s))
		return 0;
	struct stmt *st = store_sql(s,
	    "SELECT id, hash, outbox_upto FROM event ORDER BY id DESC LIMIT 1");
	size_t n;

	tip.id = tip.outbox_upto = 0;
	memset(tip.hash, 0, sizeof tip.hash);
	if (stmt_row(st)) {
		const void *h = stmt_blob(st, 1, &n);
		tip.id = stmt_int(st, 0);
		tip.outbox_upto = stmt_int(st, 2);	/* none before schema 5: 0 */
		if (n == DIGEST)
			memcpy(tip.hash, h, DIGEST);
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

static void
bind_digest(struct stmt *st, const unsigned char *digest)
{
	if (digest)
		stmt_bind_blob(st, digest, DIGEST);
	else
		stmt_bind_null(st);
}

/* The digest of a record from its row, its parts empty: the bytes hashed
 * are those record_digest reads back. -1 for a kind with no such row. */
static int
digest_of_row(const char *kind, const char *const *row, int nrow, unsigned char out[DIGEST])
{
	const struct record_source *src = source_of(kind);
	const struct digest_sql *sql;
	struct hasher h;

	if (src == NULL || src->by_subject)
		return -1;
	sql = digest_of(src, FORM_NEWEST);
	hasher_init(&h);
	hash_field(&h, kind);
	for (int i = 0; i < nrow; i++)
		hash_field(&h, row[i]);
	for (size_t i = 0; i < ARRAY_SIZE(sql->parts) && sql->parts[i]; i++)
		hash_empty_part(&h);
	hasher_digest(&h, out);
	return 0;
}

int
audit_row_digest(const char *kind, const char *const *row, int nrow, unsigned char out[32])
{
	_Static_assert(DIGEST == 32, "a digest of 32 bytes");
	return digest_of_row(kind, row, nrow, out);
}

/*
 * The digest of the record from the row the caller gives (or its digest
 * already taken), its parts empty. The first one of each run is read back
 * too and must match, so that a caller whose row drifted from the
 * digest's SQL fails at once, not at the next check.
 */
static int
row_digest(struct store *s, const struct event_input *ev, unsigned char out[DIGEST],
    bool *present)
{
	static bool proven;
	unsigned char again[DIGEST];
	int rc;

	*present = false;
	if (ev->row_digest)
		memcpy(out, ev->row_digest, DIGEST);
	else if (digest_of_row(ev->kind, ev->row, ev->nrow, out) != 0)
		return store_failf(s, "internal error: a %s row given for its digest", ev->kind);
	*present = true;
	if (proven)
		return 0;
	if ((rc = record_digest(s, ev->kind, ev->subject_id, ev->subject, FORM_NEWEST, again,
	    present)) != 0)
		return rc;
	if (!*present || memcmp(out, again, DIGEST) != 0)
		return store_failf(s, "internal error: the %s row given for its digest is not the "
		    "one stored", ev->kind);
	proven = true;
	return 0;
}

int
audit_append(struct store *s, const struct event_input *ev, long long *id)
{
	const char *who = ev->who ? ev->who : audit_who();
	unsigned char record[DIGEST], outbox[DIGEST], hash[DIGEST];
	bool present, any;
	long long upto;
	int rc;

	if (!store_in_transaction(s))
		return store_failf(s, "internal error: an event outside a transaction");
	if ((rc = read_tip(s)) != 0 ||
	    (rc = ev->row || ev->row_digest ? row_digest(s, ev, record, &present)
	    : record_digest(s, ev->kind, ev->subject_id, ev->subject, FORM_NEWEST, record,
	    &present)) != 0 ||
	    (rc = queued_covers(s, tip.outbox_upto) ? outbox_queued(s, &upto, outbox, &any)
	    : outbox_since(s, tip.outbox_upto, &upto, outbox, &any)) != 0)
		return rc;
	struct sealed e = {
		.form = FORM_NEWEST, .kind = ev->kind, .subject_id = ev->subject_id,
		.subject = ev->subject, .at = (long long)ev->at, .who = who, .what = ev->what,
		.before = ev->before, .after = ev->after, .note = ev->note,
		.record = present ? record : NULL, .outbox_upto = upto, .outbox = any ? outbox : NULL,
	};
	event_hash(tip.hash, &e, hash);
	struct stmt *st = store_sql(s,
	    "INSERT INTO event (subject_kind, subject_id, subject, at, who, what, before, after,"
	    " note, hash, hash_form, record_digest, outbox_upto, outbox_digest)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	stmt_bind_text(st, ev->kind);
	stmt_bind_int(st, ev->subject_id);
	stmt_bind_text(st, ev->subject);
	stmt_bind_int(st, e.at);
	stmt_bind_text(st, who);
	stmt_bind_text(st, ev->what);
	stmt_bind_text(st, ev->before);
	stmt_bind_text(st, ev->after);
	stmt_bind_text(st, ev->note);
	stmt_bind_blob(st, hash, DIGEST);
	stmt_bind_int(st, FORM_NEWEST);
	bind_digest(st, e.record);
	stmt_bind_int(st, upto);
	bind_digest(st, e.outbox);
	if ((rc = stmt_put(st)) != 0)
		return rc;
	tip.id = store_last_id(s);
	tip.outbox_upto = upto;
	memcpy(tip.hash, hash, DIGEST);
	queued_restart(s, upto);
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

/* The subject of the current row of a source's `all`. */
static const char *
row_subject(const struct record_source *src, struct stmt *st, char code[CODE_LEN + 1])
{
	return src->code_subject ? code_format(stmt_int(st, 1), code, CODE_LEN + 1)
				 : stmt_text(st, 1);
}

int
audit_baseline(struct store *s)
{
	time_t now = clock_now();
	char code[CODE_LEN + 1];
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(sources) && rc == 0; i++) {
		const struct record_source *src = &sources[i];
		struct stmt *st = store_sql(s, src->all);
		while (rc == 0 && stmt_row(st)) {
			struct event_input ev = {
				.kind = vocab_name(&record_vocab, src->kind), .subject_id = stmt_int(st, 0),
				.subject = row_subject(src, st, code), .at = now, .what = "baseline",
				.note = "the record as the move to schema 5 found it",
			};
			rc = audit_append(s, &ev, NULL);
		}
		if (rc != 0)
			stmt_reset(st);
		else
			rc = stmt_status(st);
	}
	return rc;
}

/* ---- the check ---------------------------------------------------------- */

/* The kinds of finding; past a few of one kind only their number is told,
 * so that a wiped table is one screen, not a million lines. */
enum finding { FOUND_CHAIN, FOUND_OUTBOX, FOUND_TIME, FOUND_WHO, FOUND_SEAL, FOUND_RECORD,
	FOUND_COUNT };
#define FINDINGS_SHOWN 20
static const char *const findings_more[FOUND_COUNT] = {
	"events that do not match the chain", "events whose outbox items were changed or removed",
	"events earlier than the one before them", "events by writers not among the users",
	"seals the chain does not prove", "records that do not match their history",
};

struct walk {
	struct store *s;
	const struct audit_rules *rules;
	problem_fn report;
	void *arg;
	int problems;
	long found[FOUND_COUNT];
	char *users_text;
	const char **users;
	size_t nusers;
	unsigned char prev[DIGEST];	/* the stored hash of the event before */
	long long expect_id, count, prev_at, upto, first_broken;
	int newest_form;
	struct stmt *items;	/* the outbox by id, in step with the events */
	bool item_ready;
	const struct audit_head **heads;	/* by event */
	size_t next_head;
	/* Of the events of each kind of record: the largest subject id (-1:
	 * none), which bounds the walk of their last events. */
	long long max_subject[RECORD_COUNT];
	const char *kind_text;	/* the kind of the event before, as read */
	int kind;
	/* A walk on a thread of its own holds what it finds, to be told after
	 * what the walk beside it found. */
	bool holding;
	char **held;
	size_t nheld;
	int rc;
	bool walked;	/* the cases walk on its thread was made */
};

static void found(struct walk *w, enum finding f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
found(struct walk *w, enum finding f, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	w->problems++;
	if (w->found[f]++ >= FINDINGS_SHOWN)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (w->holding) {
		w->held = xrealloc(w->held, (w->nheld + 1) * sizeof *w->held);
		w->held[w->nheld++] = msg;
		return;
	}
	w->report(w->arg, msg);
	free(msg);
}

static void
found_more(struct walk *w)
{
	for (int f = 0; f < FOUND_COUNT; f++)
		if (w->found[f] > FINDINGS_SHOWN) {
			char *msg = xasprintf("audit chain: and %ld more %s", w->found[f] - FINDINGS_SHOWN,
			    findings_more[f]);
			w->report(w->arg, msg);
			free(msg);
		}
}

static const char *
shown(const char *v)
{
	return v && *v ? v : "missing";
}

/* The users of the config, split at commas and blanks. */
static void
read_users(struct walk *w, const char *list)
{
	if (list == NULL)
		return;
	w->users_text = xstrdup(list);
	for (char *save = NULL, *u = strtok_r(w->users_text, ", \t", &save); u;
	     u = strtok_r(NULL, ", \t", &save)) {
		w->users = xrealloc(w->users, (w->nusers + 1) * sizeof *w->users);
		w->users[w->nusers++] = u;
	}
}

/* A writer's name as it is, unless it is long or could drive the terminal. */
static const char *
quote_who(const char *who, char buf[TEXT_EXCERPT_SIZE])
{
	if (who && strlen(who) < TEXT_EXCERPT_SIZE - 2 && !text_has_control(who, false)) {
		snprintf(buf, TEXT_EXCERPT_SIZE, "'%s'", who);
		return buf;
	}
	return text_excerpt(shown(who), buf);
}

static bool
known_user(const struct walk *w, const char *who)
{
	for (size_t i = 0; i < w->nusers; i++)
		if (who && strcmp(w->users[i], who) == 0)
			return true;
	return false;
}

/* The first thing wrong with the event's place in the chain, or NULL. */
static const char *
chain_fault(struct walk *w, const struct sealed *e, const void *hash, size_t n)
{
	unsigned char want[DIGEST];

	if (e->id != w->expect_id)
		return "an event before it is missing";
	if (e->form < 2 || e->form > FORM_NEWEST)
		return "its hash form is unknown";
	if (e->form < w->newest_form)
		return "it is of an older hash form than an event before it: rewritten without its digests";
	event_hash(w->prev, e, want);
	if (n != DIGEST || memcmp(hash, want, DIGEST) != 0)
		return "its content or the chain before it was changed";
	return NULL;
}

/* The outbox items a form-4 event covers, as they are now, against its digest. */
static int
check_outbox(struct walk *w, const struct sealed *e)
{
	struct hasher h;
	unsigned char got[DIGEST];
	bool any = false;
	long long from = w->upto;

	hasher_init(&h);
	while (w->item_ready && stmt_int(w->items, 0) <= e->outbox_upto) {
		if (stmt_int(w->items, 0) > from) {
			hash_row(&h, w->items, false);
			any = true;
		}
		w->item_ready = stmt_row(w->items);
	}
	if (!w->item_ready && stmt_status(w->items) != 0)
		return -1;
	if (any)
		hasher_digest(&h, got);
	if (e->outbox_upto < from)
		found(w, FOUND_OUTBOX, "audit chain: event %lld (%s %s): its outbox mark (%lld) goes "
		    "back from %lld", e->id, shown(e->kind), shown(e->subject), e->outbox_upto, from);
	else if (any != (e->outbox != NULL) || (any && memcmp(got, e->outbox, DIGEST) != 0))
		found(w, FOUND_OUTBOX, "audit chain: event %lld (%s %s): the outbox items it covers "
		    "(%lld to %lld) were changed or removed", e->id, shown(e->kind), shown(e->subject),
		    from + 1, e->outbox_upto);
	if (e->outbox_upto > w->upto)
		w->upto = e->outbox_upto;
	return 0;
}

static void
check_time(struct walk *w, const struct sealed *e)
{
	char at[32], before[32];

	if (w->count > 1 && e->at < w->prev_at - AUDIT_CLOCK_SLACK)
		found(w, FOUND_TIME, "audit chain: event %lld (%s %s): dated %s, more than an hour "
		    "before the event before it (%s): a clock was set back", e->id, shown(e->kind),
		    shown(e->subject), cal_format_rfc3339((time_t)e->at, at, sizeof at),
		    cal_format_rfc3339((time_t)w->prev_at, before, sizeof before));
}

static void
head_found(struct walk *w, const struct audit_head *hd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
head_found(struct walk *w, const struct audit_head *hd, const char *fmt, ...)
{
	char at[32], *why;
	va_list ap;

	va_start(ap, fmt);
	why = xvasprintf(fmt, ap);
	va_end(ap);
	found(w, FOUND_SEAL, "audit seal: %s (event %lld, sealed %s): %s", shown(hd->where),
	    hd->last, cal_format_rfc3339(hd->at, at, sizeof at), why);
	free(why);
}

/* Each sealed head of this event: the chain up to it must be the one sealed. */
static void
check_heads(struct walk *w, const struct sealed *e, const void *hash, size_t n)
{
	while (w->next_head < w->rules->nheads && w->heads[w->next_head]->last <= e->id) {
		const struct audit_head *hd = w->heads[w->next_head++];
		if (hd->last < e->id)
			head_found(w, hd, "there is no such event: the events were renumbered");
		else if (hd->count != w->count)
			head_found(w, hd, "it sealed %lld events up to it, and the chain has %lld: "
			    "events were removed or added before it", hd->count, w->count);
		else if (n != DIGEST || memcmp(hash, hd->hash, DIGEST) != 0)
			head_found(w, hd, "the event is not the one sealed: the chain up to it was "
			    "changed and hashed again");
		else if (w->first_broken)
			head_found(w, hd, "the chain up to it does not verify (event %lld)",
			    w->first_broken);
	}
}

/* The event's subject id against the largest of its kind. */
static void
note_subject(struct walk *w, const struct sealed *e)
{
	if (e->kind == NULL)
		return;
	if (w->kind_text == NULL || strcmp(w->kind_text, e->kind) != 0) {
		free((char *)w->kind_text);
		w->kind_text = xstrdup(e->kind);
		w->kind = vocab_parse(&record_vocab, e->kind);
	}
	if (w->kind >= 0 && w->kind < RECORD_COUNT && e->subject_id > w->max_subject[w->kind])
		w->max_subject[w->kind] = e->subject_id;
}

static int
check_event(struct walk *w, struct stmt *st)
{
	size_t n, nr, no;
	const void *hash = stmt_blob(st, 11, &n);
	const void *record = stmt_blob(st, 12, &nr);
	const void *outbox = stmt_blob(st, 14, &no);
	struct sealed e = {
		.id = stmt_int(st, 0), .form = (int)stmt_int(st, 1),
		.kind = stmt_text(st, 2), .subject_id = stmt_int(st, 3), .subject = stmt_text(st, 4),
		.at = stmt_int(st, 5), .who = stmt_text(st, 6), .what = stmt_text(st, 7),
		.before = stmt_text(st, 8), .after = stmt_text(st, 9), .note = stmt_text(st, 10),
		.record = nr == DIGEST ? record : NULL, .outbox_upto = stmt_int(st, 13),
		.outbox = no == DIGEST ? outbox : NULL,
	};
	const char *fault = chain_fault(w, &e, hash, n);
	char quoted[TEXT_EXCERPT_SIZE];

	w->count++;
	if (fault) {
		found(w, FOUND_CHAIN, "audit chain: event %lld (%s %s): %s", e.id, shown(e.kind),
		    shown(e.subject), fault);
		if (w->first_broken == 0)
			w->first_broken = e.id;
	}
	if (e.form > w->newest_form && e.form <= FORM_NEWEST)
		w->newest_form = e.form;
	/* The rules of schema 5 bind the events written under it; the older
	 * ones are proven by their hashes alone (and by the seals). */
	if (e.form >= 4 && check_outbox(w, &e) != 0)
		return -1;
	if (e.form >= 4)
		check_time(w, &e);
	w->prev_at = e.at;
	if (e.form >= 4 && w->nusers && !known_user(w, e.who))
		found(w, FOUND_WHO, "audit chain: event %lld (%s %s): written by %s, who is not "
		    "among the users", e.id, shown(e.kind), shown(e.subject), quote_who(e.who, quoted));
	check_heads(w, &e, hash, n);
	note_subject(w, &e);
	memset(w->prev, 0, DIGEST);
	if (n == DIGEST)
		memcpy(w->prev, hash, DIGEST);
	w->expect_id = e.id + 1;
	return 0;
}

static int
by_event(const void *a, const void *b)
{
	const struct audit_head *x = *(const struct audit_head *const *)a;
	const struct audit_head *y = *(const struct audit_head *const *)b;

	return x->last < y->last ? -1 : x->last > y->last;
}

static int
walk_chain(struct walk *w)
{
	struct stmt *st = store_sql(w->s,
	    "SELECT id, hash_form, subject_kind, subject_id, subject, at, who, what, before, after,"
	    " note, hash, record_digest, outbox_upto, outbox_digest FROM event ORDER BY id");
	int rc = 0;

	w->items = store_sql(w->s, OUTBOX_ITEM " ORDER BY id");
	w->item_ready = stmt_row(w->items);
	if (!w->item_ready && stmt_status(w->items) != 0)
		return -1;
	while (rc == 0 && stmt_row(st))
		rc = check_event(w, st);
	if (rc != 0)
		stmt_reset(st);
	else if (stmt_status(st) != 0)
		rc = -1;
	if (w->item_ready)
		stmt_reset(w->items);
	if (rc == 0 && w->rules->walked) {
		*w->rules->walked = (struct audit_head){.count = w->count, .last = w->expect_id - 1};
		memcpy(w->rules->walked->hash, w->prev, DIGEST);
	}
	for (; rc == 0 && w->next_head < w->rules->nheads; w->next_head++)
		head_found(w, w->heads[w->next_head], "the chain ends at event %lld: the events up to "
		    "the sealed one were removed", w->expect_id - 1);
	return rc;
}

/* The last event of a record: its id (0: none), form, what and digest. */
struct last_event {
	long long id;
	int form;
	char what[32];
	bool has_digest;
	unsigned char digest[DIGEST];
};

/* The last event as the current row of st gives it, from column `from`:
 * its id, form, digest and what. */
static void
fill_last(struct stmt *st, int from, struct last_event *last)
{
	size_t n;
	const void *d = stmt_blob(st, from + 2, &n);

	memset(last, 0, sizeof *last);
	last->id = stmt_int(st, from);
	last->form = (int)stmt_int(st, from + 1);
	const char *what = shown(stmt_text(st, from + 3));
	size_t len = strlen(what);
	if (len >= sizeof last->what)
		len = sizeof last->what - 1;
	memcpy(last->what, what, len);
	last->what[len] = '\0';
	if ((last->has_digest = n == DIGEST))
		memcpy(last->digest, d, DIGEST);
}

static int
read_last(struct stmt *st, struct last_event *last)
{
	memset(last, 0, sizeof *last);
	if (!stmt_row(st))
		return stmt_status(st) ? -1 : 0;
	fill_last(st, 0, last);
	stmt_reset(st);
	return 0;
}

static int
last_event_of(struct walk *w, const struct record_source *src, const char *kind, long long id,
    const char *subject, struct last_event *last)
{
	struct stmt *st;

	if (src->by_subject) {
		st = store_sql(w->s, "SELECT id, hash_form, record_digest, what FROM event"
		    " WHERE subject_id = 0 AND subject_kind = ? AND subject = ? ORDER BY id DESC LIMIT 1");
		stmt_bind_text(st, kind);
		stmt_bind_text(st, subject);
	} else {
		st = store_sql(w->s, "SELECT id, hash_form, record_digest, what FROM event"
		    " WHERE subject_id = ? AND subject_kind = ? ORDER BY id DESC LIMIT 1");
		stmt_bind_int(st, id);
		stmt_bind_text(st, kind);
	}
	return read_last(st, last);
}

/* The ids that have rows in one part, walked up beside the records. */
struct part_ids {
	struct stmt *st;	/* NULL: not known, ask */
	long long at;		/* the last id read */
	bool done;
};

/* Parts (bit i) in which record id has no row, as far as the walk knows. */
static unsigned
parts_without(struct part_ids *parts, size_t n, long long id)
{
	unsigned empty = 0;

	for (size_t i = 0; i < n; i++) {
		struct part_ids *p = &parts[i];
		if (p->st == NULL)
			continue;
		while (!p->done && p->at < id)
			if (stmt_row(p->st))
				p->at = stmt_int(p->st, 0);
			else
				p->done = true;
		if (p->done || p->at != id)
			empty |= 1u << i;
	}
	return empty;
}

/* A record that no event of form 4 or later vouches for: reported (true),
 * else false and its digest is to be checked. */
static bool
unvouched(struct walk *w, const char *kind, const char *subject, const struct last_event *last)
{
	if (last->id == 0) {
		found(w, FOUND_RECORD, "audit chain: %s %s: no event records it: added outside "
		    "partake, or its history removed", kind, shown(subject));
		return true;
	}
	if (last->form < 4) {
		found(w, FOUND_RECORD, "audit chain: %s %s: its last event (event %lld) is older "
		    "than schema 5 and has no digest to check it by", kind, shown(subject), last->id);
		return true;
	}
	return false;
}

/* A record's digest now (present: it has a row by its last event's form's
 * SQL) against the one its last event recorded. */
static void
judge_record(struct walk *w, const char *kind, const char *subject,
    const struct last_event *last, const unsigned char now[DIGEST], bool present)
{
	if (!last->has_digest)
		found(w, FOUND_RECORD, "audit chain: %s %s: its last event (event %lld, %s) left no "
		    "such record, and it is there: put back outside partake", kind, shown(subject),
		    last->id, last->what);
	/* Not present by the form's own SQL: it has what that form did not know of. */
	else if (!present || memcmp(now, last->digest, DIGEST) != 0)
		found(w, FOUND_RECORD, "audit chain: %s %s: changed outside partake: it is not as its "
		    "last event (event %lld, %s) left it", kind, shown(subject), last->id, last->what);
}

/* One record against the digest its last event recorded, each asked apart. */
static int
check_record(struct walk *w, const struct record_source *src, long long id, const char *subject,
    unsigned empty)
{
	const char *kind = vocab_name(&record_vocab, src->kind);
	struct last_event last;
	unsigned char now[DIGEST];
	bool present;

	if (last_event_of(w, src, kind, id, subject, &last) != 0)
		return -1;
	if (unvouched(w, kind, subject, &last))
		return 0;
	if (record_digest_known(w->s, kind, id, subject, last.form, empty, now, &present) != 0)
		return -1;
	judge_record(w, kind, subject, &last, now, present);
	return 0;
}

/* Records whose last event left them there, and which are not. */
static int
check_gone(struct walk *w, const struct record_source *src)
{
	const char *kind = vocab_name(&record_vocab, src->kind);
	struct stmt *st = store_sql(w->s, src->gone);
	struct stmt *ev = NULL;
	struct last_event last;

	while (stmt_row(st)) {
		ev = store_sql(w->s, "SELECT id, hash_form, record_digest, what FROM event WHERE id = ?");
		stmt_bind_int(ev, stmt_int(st, 2));
		if (read_last(ev, &last) != 0) {
			stmt_reset(st);
			return -1;
		}
		if (last.form >= 4 && last.has_digest)
			found(w, FOUND_RECORD, "audit chain: %s %s: removed outside partake: its last "
			    "event (event %lld, %s) left it there", kind, shown(stmt_text(st, 1)), last.id,
			    last.what);
	}
	return stmt_status(st) ? -1 : 0;
}

/* The events of each record of a kind, by record id and in their order:
 * a walk of the subject index beside the records' own, of which the last
 * of each record's run is its last event. */
#define KIND_EVENTS "SELECT subject_id, id, hash_form, record_digest, what, subject" \
	" FROM event WHERE subject_kind = ? AND subject_id <= ? ORDER BY subject_id, id"

/* The walk of KIND_EVENTS: ready when its statement is on a row. */
struct kind_events {
	struct stmt *st;
	bool ready;
	char subject[64];	/* the last event's, for a message */
};

/* The run of events of the record the walk is on: its id, its last event in *last. */
static long long
take_run(struct kind_events *ke, struct last_event *last)
{
	long long id = stmt_int(ke->st, 0);

	do {
		const char *subject = shown(stmt_text(ke->st, 5));
		size_t len = strlen(subject);
		fill_last(ke->st, 1, last);
		if (len >= sizeof ke->subject)
			len = sizeof ke->subject - 1;
		memcpy(ke->subject, subject, len);
		ke->subject[len] = '\0';
		ke->ready = stmt_row(ke->st);
	} while (ke->ready && stmt_int(ke->st, 0) == id);
	return id;
}

/* The record of the run the walk is on has no row: it is gone, and
 * reported when its last event left it there (as check_gone tells). */
static void
walk_gone(struct walk *w, const struct record_source *src, struct kind_events *ke)
{
	struct last_event last;

	take_run(ke, &last);
	if (last.form >= 4 && last.has_digest)
		found(w, FOUND_RECORD, "audit chain: %s %s: removed outside partake: its last "
		    "event (event %lld, %s) left it there", vocab_name(&record_vocab, src->kind),
		    ke->subject, last.id, last.what);
}

/*
 * One record of a walk: its last event from the walk of its kind's
 * events (ke), its digest from the row in hand. An
 * event of form 4 of a kind whose digest changed with form 5 asks the row
 * of its form apart: only records no event touched since schema 6 have
 * one. The first record of each walk is digested both ways too, so that a
 * walk whose columns drifted from its form's SQL fails, not every record.
 */
static int
walk_record(struct walk *w, const struct record_source *src, struct stmt *row,
    struct kind_events *ke, unsigned empty, bool first)
{
	const char *kind = vocab_name(&record_vocab, src->kind);
	long long id = stmt_int(row, 0);
	char code[CODE_LEN + 1];
	const char *subject = row_subject(src, row, code);
	unsigned char now[DIGEST], again[DIGEST];
	struct last_event last = {0};
	struct hasher h;
	bool present = true, also;

	while (ke->ready && stmt_int(ke->st, 0) < id)
		walk_gone(w, src, ke);
	if (ke->ready && stmt_int(ke->st, 0) == id)
		take_run(ke, &last);
	if (ke->st && !ke->ready && stmt_status(ke->st) != 0)
		return -1;
	if (stmt_null(row, 1))
		return 0;
	if (unvouched(w, kind, subject, &last))
		return 0;
	if (last.form < 5 && src->form5.row) {
		if (record_digest_known(w->s, kind, id, subject, last.form, empty, now, &present) != 0)
			return -1;
	} else {
		hasher_init(&h);
		hash_field(&h, kind);
		hash_columns(&h, row, 2, digest_of(src, last.form)->optional_last);
		if (digest_parts(w->s, digest_of(src, last.form), id, empty, &h, now) != 0)
			return -1;
		if (first) {
			if (record_digest_known(w->s, kind, id, subject, last.form, empty, again, &also) != 0)
				return -1;
			if (!also || memcmp(now, again, DIGEST) != 0) {
				store_failf(w->s, "internal error: the check's walk of the %s records "
				    "does not digest them as their events do", kind);
				return -1;
			}
		}
	}
	judge_record(w, kind, subject, &last, now, present);
	return 0;
}

static int
check_records(struct walk *w, const struct record_source *src)
{
	struct stmt *st = store_sql(w->s, src->walk ? src->walk : src->all);
	struct part_ids parts[ARRAY_SIZE(src->part_ids)] = {{0}};
	struct kind_events ke = {0};
	char code[CODE_LEN + 1];
	bool first = true;
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
		if (src->part_ids[i] && !src->by_subject)
			parts[i].st = store_sql(w->s, src->part_ids[i]);
	if (src->walk && w->max_subject[src->kind] >= 0) {
		ke.st = store_sql(w->s, KIND_EVENTS);
		stmt_bind_text(ke.st, vocab_name(&record_vocab, src->kind));
		stmt_bind_int(ke.st, w->max_subject[src->kind]);
		ke.ready = stmt_row(ke.st);
	}
	while (rc == 0 && stmt_row(st)) {
		long long id = stmt_int(st, 0);
		unsigned empty = parts_without(parts, ARRAY_SIZE(parts), id);
		if (src->walk)
			rc = walk_record(w, src, st, &ke, empty, first);
		else
			rc = check_record(w, src, id, row_subject(src, st, code), empty);
		first = false;
	}
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++)
		if (parts[i].st) {
			rc = rc ? rc : stmt_status(parts[i].st) ? -1 : 0;
			stmt_reset(parts[i].st);
		}
	if (rc != 0 || stmt_status(st) != 0) {
		stmt_reset(st);
		if (ke.ready)
			stmt_reset(ke.st);
		return -1;
	}
	/* The runs past the last record: their records are gone too. */
	while (ke.ready)
		walk_gone(w, src, &ke);
	if (ke.st && stmt_status(ke.st) != 0)
		return -1;
	return src->walk ? 0 : check_gone(w, src);
}

/*
 * The cases walk on a thread of their own. The bound of their events is
 * the largest subject id of any event, which the chain walk has not yet
 * found: it takes in every event of a case, as the cases' own largest
 * does. A subject id below 0 (a forged event) is the one case in which
 * the two bounds take in different events: then the cases are left to the
 * walk after the chain's (walked false).
 */
static void *
walk_cases(void *arg)
{
	struct walk *w = arg;
	/* Apart: SQLite reads a lone min() or max() off the index's end. */
	struct stmt *lowest = store_sql(w->s, "SELECT min(subject_id) FROM event");
	struct stmt *highest = store_sql(w->s, "SELECT max(subject_id) FROM event");

	w->rc = -1;
	if (!stmt_row(lowest))
		return NULL;
	bool below_0 = !stmt_null(lowest, 0) && stmt_int(lowest, 0) < 0;
	stmt_reset(lowest);
	if (!stmt_row(highest))
		return NULL;
	w->max_subject[sources[0].kind] = stmt_null(highest, 0) ? -1 : stmt_int(highest, 0);
	stmt_reset(highest);
	w->rc = 0;
	if (below_0)
		return NULL;
	w->walked = true;
	w->rc = check_records(w, &sources[0]);
	return NULL;
}

/* The cases walk done: what it found told (when the chain's walk did not
 * fail), and counted as the walk's own. */
static int
join_cases(struct walk *w, struct walk *cases, pthread_t thread, bool tell)
{
	pthread_join(thread, NULL);
	for (size_t i = 0; i < cases->nheld; i++) {
		if (tell)
			w->report(w->arg, cases->held[i]);
		free(cases->held[i]);
	}
	free(cases->held);
	w->problems += cases->problems;
	for (int f = 0; f < FOUND_COUNT; f++)
		w->found[f] += cases->found[f];
	if (cases->rc != 0)
		store_failf(w->s, "%s", store_error(cases->s));
	return cases->rc;
}

int
audit_verify(struct store *s, const struct audit_rules *rules, problem_fn report, void *arg)
{
	static const struct audit_rules none;
	struct walk w = {
		.s = s, .rules = rules ? rules : &none, .report = report, .arg = arg,
		.expect_id = 1, .newest_form = 2,
	};
	struct walk cases = {.s = w.rules->cases, .rules = w.rules, .holding = true};
	pthread_t thread;
	size_t from = 0;
	int rc;

	for (int k = 0; k < RECORD_COUNT; k++)
		w.max_subject[k] = cases.max_subject[k] = -1;
	if (cases.s && pthread_create(&thread, NULL, walk_cases, &cases) == 0)
		from = 1;
	read_users(&w, w.rules->users);
	w.heads = xcalloc(w.rules->nheads + 1, sizeof *w.heads);
	for (size_t i = 0; i < w.rules->nheads; i++)
		w.heads[i] = &w.rules->heads[i];
	qsort(w.heads, w.rules->nheads, sizeof *w.heads, by_event);
	rc = walk_chain(&w);
	if (from && join_cases(&w, &cases, thread, rc == 0) != 0)
		rc = -1;
	if (from && !cases.walked)
		from = 0;
	for (size_t i = from; rc == 0 && i < ARRAY_SIZE(sources); i++)
		rc = check_records(&w, &sources[i]);
	if (rc == 0)
		found_more(&w);
	free(w.heads);
	free((char *)w.kind_text);
	free(w.users);
	free(w.users_text);
	return rc == 0 ? w.problems : -1;
}
