/*
 * notice.h — the short notices a citizen gets as the case moves (SMS if a
 * phone is known, else email; none for an anonymous case), queued in the
 * outbox for pnotify to send. The texts are templates an agency edits:
 * templates_dir/EVENT.txt, with {code}, {state}, {due}, {unit}, {note},
 * {outcome} and {site_url} filled in. A notice never carries internal notes.
 */
#ifndef PARTAKE_NOTICE_H
#define PARTAKE_NOTICE_H

#include "case.h"

enum notice_event {
	NOTICE_RECEIVED, NOTICE_ROUTED, NOTICE_WAITING, NOTICE_ANSWERED,
	NOTICE_CLOSED, NOTICE_REOPENED, NOTICE_REJECTED, NOTICE_EVENT_COUNT
};
#define NOTICE_ALL ((1u << NOTICE_EVENT_COUNT) - 1)

int notice_event_parse(const char *name);
const char *notice_event_name(int event);

/*
 * Queues the notice of `event` for the case, keyed by the event that
 * caused it so that queuing twice is harmless. `note` is what the citizen
 * should read (the question asked when waiting), never an internal note.
 * 0 (also when nothing is owed) or an exit status.
 */
int notice_queue(struct case_context *ctx, long long case_id, long long event_id,
    enum notice_event event, const char *note);

/* The same, for a case whose facts the caller has at hand (intake). */
struct notice_facts {
	long long case_id;
	tcode code;
	const char *state, *unit, *outcome, *phone, *email;
	time_t due;
	bool anonymous;
};
int notice_queue_facts(struct case_context *ctx, const struct notice_facts *f,
    long long event_id, enum notice_event event, const char *note);

#endif
