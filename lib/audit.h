/*
 * audit.h — the one history of every record (cases, units, services, and
 * what comes: drafts, surveys, sends): append-only events, each sealed
 * with a SHA-256 over its content and the hash of the event before it, so
 * that an edit anywhere breaks the chain from there on. Since schema 5 an
 * event also carries the digest of its record as the change left it, and
 * covers the outbox items queued since the event before it, so that a
 * record or an item changed outside partake no longer matches the chain.
 * What no hash can show — a chain rewritten and hashed again from some
 * event on, or cut short — a signed head of the chain shows (seal.h).
 */
#ifndef PARTAKE_AUDIT_H
#define PARTAKE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "store.h"
#include "vocab.h"

struct event_input {
	const char *kind;	/* the kind of record: case, unit, service, … */
	long long subject_id;	/* its row */
	const char *subject;	/* its code: a tracking code, a unit's code, … */
	time_t at;
	const char *who;	/* NULL: audit_who() */
	const char *what;	/* received, state, route, add, update, … */
	const char *before, *after, *note;
	/* The record's row as the change just wrote it, when none of its parts
	 * (opinions, notices, attachments, …) has a row yet: its columns as
	 * text (NULL: SQL NULL), in the order of its digest's SQL, so that the
	 * digest is taken from them and not read back (a case at intake).
	 * NULL: read from the store. */
	const char *const *row;
	int nrow;
	/* Or the digest of such a row, taken before (audit_row_digest). */
	const unsigned char *row_digest;
};

/* An outbox item just put, as OUTBOX_ITEM (audit.c) reads it: id, case_id,
 * unit_id, channel, recipient, subject, body, html, key (with its
 * in-reply-to), created, as text (NULL: SQL NULL). The next event of the
 * transaction takes its digest from these instead of reading it back. */
void audit_outbox_queued(struct store *s, long long id, const char *const *item, int n);

/* The digest audit_append takes of a record's row given as in event_input
 * (kind, row, nrow), taken anywhere, on any thread: it reads no store. 0,
 * or -1 for a kind whose digest is not of one row. */
int audit_row_digest(const char *kind, const char *const *row, int nrow, unsigned char out[32]);

/* Appends inside the caller's transaction, after every change to the
 * record it is about (its digest is taken then); *id (when not NULL) is
 * the new event's id. 0 or an exit status. */
int audit_append(struct store *s, const struct event_input *ev, long long *id);
/*
 * An event about a record other than a case (a unit, a service, …), at the
 * run's now: before and after are the record as JSON objects (NULL: it did
 * not exist), from audit_snapshot().
 */
int audit_record(struct store *s, int kind, long long id, const char *code, const char *what,
    const char *before, const char *after, const char *note);
/* The first row of sql (one `?`, bound to id) as a JSON object named by
 * its columns; NULL when there is no row. A new string. */
char *audit_snapshot(struct store *s, const char *sql, long long id);
/* The event of a change to a record: `before` (a snapshot, or NULL for a
 * record just made; freed here) against the record now, by the same
 * snapshot SQL; no event when nothing changed. */
int audit_record_change(struct store *s, int kind, long long id, const char *code,
    const char *what, char *before, const char *snapshot_sql);
/* A `baseline` event for every record there is, each with its digest:
 * what the migration to schema 5 starts from (it proves nothing of the
 * records before it). In the caller's transaction. */
int audit_baseline(struct store *s);

/* A head of the chain: the events up to and including `last`, and the
 * hash of that one; `at` is when it was taken (a seal's time). */
struct audit_head {
	long long count, last;
	unsigned char hash[32];
	time_t at;
	const char *where;	/* for messages: the heads file and line */
};

/* An event may be this much earlier than the one before it (seconds): one
 * run dates all its events at its start while others write in between,
 * and clocks are stepped. */
#define AUDIT_CLOCK_SLACK 3600

/* What audit_verify checks beyond the chain's hashes. */
struct audit_rules {
	const char *users;	/* who may write, "a, b c"; NULL: anyone */
	const struct audit_head *heads;	/* sealed heads, each proven */
	size_t nheads;
	struct audit_head *walked;	/* when not NULL: the head of the chain as walked */
	/* When not NULL: a second connection in a read transaction on the
	 * snapshot of the first (store_read_begin_with), on which the cases,
	 * most of the records, are walked on a thread of their own beside the
	 * chain. The same problems are told, in the same order. */
	struct store *cases;
};
/*
 * Walks the chain and reports each event that does not match its content
 * and the event before it, the outbox items it covers, an id missing, time
 * going back (more than AUDIT_CLOCK_SLACK), a writer not among the users;
 * each sealed head the chain does not reach or no longer hashes to; then
 * each record with no event, whose fields are not those its last event
 * recorded, or that is gone though its last event left it there. Returns
 * the problems reported, or -1 when the store failed.
 */
int audit_verify(struct store *s, const struct audit_rules *rules, problem_fn report, void *arg);
/* Who is acting: PARTAKE_USER, else the login name. */
const char *audit_who(void);

#endif
