/*
 * audit.h — the one history of every record (cases, units, services, and
 * what comes: drafts, surveys, sends): append-only events, each sealed
 * with a SHA-256 over its content and the hash of the event before it, so
 * that an edit anywhere breaks the chain from there on.
 */
#ifndef PARTAKE_AUDIT_H
#define PARTAKE_AUDIT_H

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
};

/* Appends inside the caller's transaction; *id (when not NULL) is the new
 * event's id. 0 or an exit status. */
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
/* Walks the chain; reports the first event that does not match. Returns
 * the problems reported, or -1 when the store failed. */
int audit_verify(struct store *s, problem_fn report, void *arg);
/* Who is acting: PARTAKE_USER, else the login name. */
const char *audit_who(void);

#endif
