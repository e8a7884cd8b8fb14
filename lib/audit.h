/*
 * audit.h — the history of every case: append-only events, each sealed
 * with a SHA-256 over its content and the hash of the event before it, so
 * that an edit anywhere in the history breaks the chain from there on.
 */
#ifndef PARTAKE_AUDIT_H
#define PARTAKE_AUDIT_H

#include <time.h>

#include "code.h"
#include "db.h"

struct event_input {
	long long case_id;
	tcode case_code;
	time_t at;
	const char *who;	/* NULL: audit_who() */
	const char *what;	/* received, state, route, answer, … */
	const char *before, *after, *note;
};

/* Appends inside the caller's transaction. */
int audit_append(struct store *s, const struct event_input *ev);
/* Walks the chain; reports the first event that does not match. */
int audit_verify(struct store *s, problem_fn report, void *arg);
/* Who is acting: PARTAKE_USER, else the login name. */
const char *audit_who(void);

#endif
