/* outbox.c — the queue of what partake sends: claims, retries, the list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "code.h"
#include "contact.h"
#include "exitcode.h"
#include "outbox.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

static const char *
outbox_claimant(void)
{
	static char who[64];

	if (who[0] == '\0')
		snprintf(who, sizeof who, "%s:%ld:%lld", audit_who(), (long)getpid(),
		    (long long)code_generate());
	return who;
}

static char *
column_copy(struct stmt *st, int col)
{
	return stmt_null(st, col) ? NULL : xstrdup(stmt_text(st, col));
}

/* The next item due, oldest first: its id, or 0. */
/* The first term is the due index's own (outbox_due): SQLite uses a partial
 * index only for a query that names its condition as it is written. */
#define DUE "outbox.state IN ('queued', 'sending') AND ((outbox.state = 'queued' AND outbox.next_try <= ?)" \
	" OR (outbox.state = 'sending' AND outbox.claimed_until < ?))" \
	" AND ((outbox.channel = 'email' AND ? = 1) OR (outbox.channel = 'sms' AND ? = 1))"

static void
bind_due(struct context *ctx, struct stmt *st, unsigned channels)
{
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, (channels & OUTBOX_BY_EMAIL) != 0);
	stmt_bind_int(st, (channels & OUTBOX_BY_SMS) != 0);
}

static long long
next_due(struct context *ctx, unsigned channels)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT id FROM outbox WHERE " DUE " ORDER BY next_try, id LIMIT 1");
	long long id = 0;

	bind_due(ctx, st, channels);
	if (stmt_row(st)) {
		id = stmt_int(st, 0);
		stmt_reset(st);
	}
	return id;
}

static int
load(struct context *ctx, long long id, struct outbox_item *item)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT channel, recipient, subject, body, html, case_id, unit_id, created, attempts,"
	    " in_reply_to FROM outbox WHERE id = ?");

	stmt_bind_int(st, id);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : EXIT_PARTIAL;
	*item = (struct outbox_item){
		.id = id, .channel = column_copy(st, 0), .recipient = column_copy(st, 1),
		.subject = column_copy(st, 2), .body = column_copy(st, 3), .html = column_copy(st, 4),
		.case_id = stmt_int(st, 5), .unit_id = stmt_int(st, 6), .created = stmt_int(st, 7),
		.attempts = (int)stmt_int(st, 8), .in_reply_to = column_copy(st, 9),
	};
	stmt_reset(st);
	return 0;
}

/*
 * The claim is one conditional update that must change exactly one row:
 * of two senders that chose the same item, one wins and the other looks
 * for the next.
 */
static int
take(struct context *ctx, long long id, unsigned channels, bool *won)
{
	struct stmt *st = store_sql(ctx->store,
	    "UPDATE outbox SET state = 'sending', claimed_by = ?, claimed_until = ?,"
	    " attempts = attempts + 1 WHERE id = ? AND " DUE);
	int rc;

	stmt_bind_text(st, outbox_claimant());
	stmt_bind_int(st, (long long)ctx->now + OUTBOX_CLAIM_SECONDS);
	stmt_bind_int(st, id);
	bind_due(ctx, st, channels);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	*won = stmt_changes(st) == 1;
	return 0;
}

static int
claim_next(struct context *ctx, unsigned channels, struct outbox_item *item)
{
	/* Bounded: another sender can take at most every item we look at. */
	for (int tries = 0; tries < 1000; tries++) {
		long long id = next_due(ctx, channels);
		bool won = false;
		int rc;
		if (id == 0)
			return EXIT_PARTIAL;
		if ((rc = take(ctx, id, channels, &won)) != 0)
			return rc;
		if (won)
			return load(ctx, id, item);
	}
	return EXIT_PARTIAL;
}

int
outbox_claim(struct context *ctx, unsigned channels, struct outbox_item *item)
{
	int rc;

	memset(item, 0, sizeof *item);
	/* A claim is its own short transaction: the send happens outside it. */
	if ((rc = store_begin(ctx->store)) != 0)
		return rc;
	if ((rc = claim_next(ctx, channels, item)) != 0) {
		store_rollback(ctx->store);
		return rc;
	}
	return store_commit(ctx->store);
}

void
outbox_item_free(struct outbox_item *item)
{
	free(item->channel);
	free(item->recipient);
	free(item->subject);
	free(item->body);
	free(item->html);
	free(item->in_reply_to);
	memset(item, 0, sizeof *item);
}

static long
outbox_retry_delay(int tries)
{
	static const long delays[] = {5 * 60, 30 * 60, 2 * 3600};

	if (tries < 1)
		return 0;
	return tries <= (int)ARRAY_SIZE(delays) ? delays[tries - 1] : 6 * 3600;
}

/* The event of a send in the chain of the case or unit the item belongs to. */
static int
record(struct context *ctx, const struct outbox_item *item, const char *what, const char *why)
{
	struct stmt *st;
	int kind = item->case_id ? RECORD_CASE : RECORD_UNIT;
	long long id = item->case_id ? item->case_id : item->unit_id;
	char subject[40] = "", note[48];

	if (id == 0)
		return 0;	/* an item of no record: its row is its history */
	st = store_sql(ctx->store, item->case_id ? "SELECT code FROM cases WHERE id = ?"
						 : "SELECT code FROM unit WHERE id = ?");
	stmt_bind_int(st, id);
	if (stmt_row(st)) {
		if (item->case_id)
			code_format(stmt_int(st, 0), subject, sizeof subject);
		else
			snprintf(subject, sizeof subject, "%s", stmt_text(st, 0));
		stmt_reset(st);
	}
	snprintf(note, sizeof note, "outbox item %lld", item->id);
	return audit_record(ctx->store, kind, id, subject, what, NULL, item->channel,
	    why ? why : note);
}

struct settle {
	struct context *ctx;
	const struct outbox_item *item;
	enum delivery d;
	const char *why;
};

static int
settle(struct store *s, void *arg)
{
	const struct settle *a = arg;
	const struct outbox_item *item = a->item;
	bool last = item->attempts >= OUTBOX_MAX_ATTEMPTS;
	int to = a->d == DELIVERED ? OUTBOX_SENT
	    : a->d == DELIVERY_FAILED || (a->d == DELIVERY_RETRY && last) ? OUTBOX_FAILED
	    : OUTBOX_QUEUED;
	/* The server being down is no fault of the item: its try is given back. */
	int attempts = a->d == DELIVERY_DOWN ? item->attempts - 1 : item->attempts;
	long long next = (long long)a->ctx->now +
	    (to == OUTBOX_QUEUED && a->d != DELIVERY_DOWN ? outbox_retry_delay(attempts) : 0);
	struct stmt *st = store_sql(s,
	    "UPDATE outbox SET state = ?, attempts = ?, next_try = ?, sent = ?, last_error = ?,"
	    " claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?");
	int rc;

	stmt_bind_text(st, vocab_name(&outbox_vocab, to));
	stmt_bind_int(st, attempts);
	stmt_bind_int(st, next);
	stmt_bind_id(st, to == OUTBOX_SENT ? (long long)a->ctx->now : 0);
	stmt_bind_text(st, to == OUTBOX_SENT ? NULL : a->why);
	stmt_bind_int(st, item->id);
	stmt_bind_text(st, outbox_claimant());
	if ((rc = stmt_run(st)) != 0)
		return rc;
	if (stmt_changes(st) != 1)
		return store_failf(s, "outbox item %lld: our claim ran out before it was settled",
		    item->id);
	if (to == OUTBOX_SENT)
		return record(a->ctx, item, "notice-sent", NULL);
	if (to == OUTBOX_FAILED)
		return record(a->ctx, item, "notice-failed", a->why);
	return 0;
}

int
outbox_settle(struct context *ctx, const struct outbox_item *item, enum delivery d,
    const char *why)
{
	struct settle a = {ctx, item, d, why};
	return store_atomic(ctx->store, settle, &a);
}

static const struct column columns[] = {
	{"item", COL_INT}, {"state", COL_TEXT}, {"channel", COL_TEXT}, {"recipient", COL_TEXT},
	{"case", COL_TEXT}, {"unit", COL_TEXT}, {"attempts", COL_INT}, {"created", COL_TEXT},
	{"next_try", COL_TEXT}, {"sent", COL_TEXT}, {"last_error", COL_TEXT}, {"subject", COL_TEXT},
};

const struct column *
outbox_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(columns);
	return columns;
}

static void
put_time(struct context *ctx, struct printer *p, struct stmt *st, int col)
{
	char buf[32];

	printer_text(p, stmt_null(st, col) ? NULL
	    : cal_format_time((time_t)stmt_int(st, col), cal_latin(ctx->cfg->shown.cal), buf, sizeof buf));
}

#define LIST_SELECT \
	"SELECT outbox.id, outbox.state, outbox.channel, outbox.recipient, c.code, u.code," \
	" outbox.attempts, outbox.created, outbox.next_try, outbox.sent, outbox.last_error," \
	" outbox.subject FROM outbox LEFT JOIN cases c ON c.id = outbox.case_id" \
	" LEFT JOIN unit u ON u.id = outbox.unit_id"

int
outbox_list(struct context *ctx, int state, bool due, unsigned channels, struct printer *p,
    long *count)
{
	struct stmt *st = store_sql(ctx->store, due
	    ? LIST_SELECT " WHERE " DUE " ORDER BY outbox.next_try, outbox.id"
	    : LIST_SELECT " WHERE ? = 1 OR outbox.state = ? ORDER BY outbox.id");
	char code[24];

	*count = 0;
	if (due) {
		bind_due(ctx, st, channels);
	} else {
		stmt_bind_int(st, state < 0);
		stmt_bind_text(st, state < 0 ? NULL : vocab_name(&outbox_vocab, state));
	}
	while (stmt_row(st)) {
		printer_int(p, stmt_int(st, 0));
		for (int c = 1; c <= 3; c++)
			printer_text(p, stmt_text(st, c));
		printer_text(p, stmt_null(st, 4) ? NULL : code_format(stmt_int(st, 4), code, sizeof code));
		printer_text(p, stmt_text(st, 5));
		printer_int(p, stmt_int(st, 6));
		for (int c = 7; c <= 9; c++)
			put_time(ctx, p, st, c);
		printer_text(p, stmt_text(st, 10));
		printer_text(p, stmt_text(st, 11));
		printer_row(p);
		(*count)++;
	}
	return stmt_status(st);
}

/* Puts a failed or cancelled item back in the queue, or cancels a queued or failed one. */
static int
move_item(struct context *ctx, long long id, bool cancel, const char *reason)
{
	struct stmt *st = store_sql(ctx->store, cancel
	    ? "UPDATE outbox SET state = 'cancelled', last_error = ?, claimed_by = NULL"
	      " WHERE id = ? AND state IN ('queued', 'failed')"
	    : "UPDATE outbox SET state = 'queued', next_try = ?, attempts = 0, claimed_by = NULL"
	      " WHERE id = ? AND state IN ('failed', 'cancelled')");
	int rc;

	if (cancel)
		stmt_bind_text(st, reason);
	else
		stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, id);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	if (stmt_changes(st) == 0)
		return store_failf(ctx->store, "%lld: no such outbox item %s", id,
		    cancel ? "queued or failed" : "failed or cancelled") ? EXIT_PARTIAL : 0;
	return 0;
}

int outbox_retry(struct context *ctx, long long id) { return move_item(ctx, id, false, NULL); }

int
outbox_cancel(struct context *ctx, long long id, const char *reason)
{
	if (reason == NULL || *reason == '\0')
		return store_fail_field(ctx->store, "reason", "a cancelled item needs its reason");
	const char *why = text_check(reason, OUTBOX_REASON_MAX, TEXT_LINE);
	if (why)
		return store_fail_field(ctx->store, "reason", "%s", why);
	return move_item(ctx, id, true, reason);
}

/* The form an address is kept in: a mobile as 09…, an email as given. */
static const char *
address_form(const char *address, char mobile[16])
{
	if (check_mobile(address, mobile) == NULL)
		return mobile;
	return check_email(address) == NULL ? address : NULL;
}

struct opt_out {
	struct context *ctx;
	const char *address, *note;
};

static int
opt_out(struct store *s, void *arg)
{
	const struct opt_out *a = arg;
	struct stmt *st = store_sql(s,
	    "INSERT INTO opt_out (address, at, note) VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
	int rc;

	stmt_bind_text(st, a->address);
	stmt_bind_int(st, (long long)a->ctx->now);
	stmt_bind_text(st, a->note);
	if ((rc = stmt_run(st)) != 0 || stmt_changes(st) == 0)
		return rc;	/* asked before: once is enough */

	return audit_record(s, RECORD_CONTACT, 0, a->address, "opt-out", NULL, "no messages",
	    a->note);
}

int
outbox_opt_out(struct context *ctx, const char *address, const char *note)
{
	char mobile[16];
	const char *form = address_form(address, mobile);
	struct opt_out a = {ctx, form, note};

	if (form == NULL)	/* one bad line of many: the others still count */
		return store_failf(ctx->store, "%s: not a mobile number or an email address", address)
		    ? EXIT_PARTIAL : 0;
	return store_atomic(ctx->store, opt_out, &a);
}

bool
outbox_opted_out(struct context *ctx, const char *address)
{
	static int any = -1;	/* most agencies have none: intake then asks nothing */
	struct stmt *st;
	bool found;

	if (any < 0) {
		st = store_sql(ctx->store, "SELECT EXISTS (SELECT 1 FROM opt_out)");
		any = stmt_row(st) && stmt_int(st, 0);
		stmt_reset(st);
	}
	if (!any || address == NULL)
		return false;
	st = store_sql(ctx->store, "SELECT 1 FROM opt_out WHERE address = ?");
	stmt_bind_text(st, address);
	found = stmt_row(st);
	if (found)
		stmt_reset(st);
	return found;
}


long
outbox_replies_since(struct context *ctx, const char *address, time_t since)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT count(*) FROM outbox WHERE in_reply_to IS NOT NULL AND recipient = ?"
	    " AND created >= ?");
	long n = -1;

	stmt_bind_text(st, address);
	stmt_bind_int(st, (long long)since);
	if (stmt_row(st)) {
		n = (long)stmt_int(st, 0);
		stmt_reset(st);
	}
	return n;
}
