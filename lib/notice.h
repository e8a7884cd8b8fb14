/*
 * notice.h — the short notices a citizen gets as the case moves (SMS if a
 * phone is known, else email; none for an anonymous case), queued in the
 * outbox for pnotify to send. The texts are templates an agency edits:
 * templates_dir/EVENT.txt, with {code}, {state}, {due}, {unit}, {note},
 * {outcome} and {site_url} filled in: states and outcomes by their Persian
 * names, the code and the due time in the citizen's calendar and digits
 * (citizen_calendar, citizen_digits). A line that names a field with no
 * value (no deadline, no site_url) is left out. A notice never carries
 * internal notes.
 */
#ifndef PARTAKE_NOTICE_H
#define PARTAKE_NOTICE_H

#include <stdbool.h>
#include <time.h>

#include "code.h"
#include "context.h"
#include "vocab.h"

/*
 * Queues the notice of `event` for the case, keyed by the event that
 * caused it so that queuing twice is harmless. `note` is what the citizen
 * should read (the question asked when waiting), never an internal note.
 * 0 (also when nothing is owed) or an exit status.
 */
int notice_queue(struct context *ctx, long long case_id, long long event_id,
    enum notice_event event, const char *note);

/* The mail to the unit a case was just routed or escalated to, when the
 * unit has an address and notify has routed: the case, its deadline and its
 * code, from templates_dir/unit-routed.txt. 0 or an exit status. */
int notice_queue_unit(struct context *ctx, long long case_id, long long event_id);
/* The mail to a case's unit (when it has an address) that the citizen wrote
 * again on the settled case, for someone to read and decide:
 * templates_dir/unit-follow-up.txt. 0 or an exit status. */
int notice_queue_unit_follow_up(struct context *ctx, long long case_id, long long event_id);

/* A mail to a unit about a record other than a case (a draft whose window
 * closed), from templates_dir/TEMPLATE.txt with {code}, {subject} (its
 * title), {due} (a time), {unit}, {note} (the summary) and {site_url};
 * keyed by the event that caused it. Nothing when the unit has no address. */
int notice_queue_unit_mail(struct context *ctx, long long unit_id, long long event_id,
    const char *template, const char *code, const char *subject, time_t due, const char *note);

/*
 * A report (preport: a unit's digest, the monthly report) as a mail with a
 * text body and an HTML part, to `to`, or (to NULL) to the unit's address:
 * nothing when it has none. Keyed by key, so queuing it twice is harmless;
 * *queued says whether this call queued it. 0 or an exit status.
 */
int notice_queue_report(struct context *ctx, long long unit_id, const char *to, const char *key,
    const char *subject, const char *text, const char *html, bool *queued);

/* The same, for a case whose facts the caller has at hand (intake). */
struct notice_facts {
	long long case_id;
	tcode code;
	const char *state, *unit, *outcome, *phone, *email;
	time_t due;
	bool anonymous;
};
int notice_queue_facts(struct context *ctx, const struct notice_facts *f,
    long long event_id, enum notice_event event, const char *note);
/*
 * The same in two steps, for a batch: the notice made from the facts (on
 * the thread that checks, whose store only reads: the opt-outs and the
 * template), then queued under the event it follows (on the thread that
 * writes). m->body is NULL when there is nothing to queue. The template
 * is loaded by the first notice_make, before any other thread queues one
 * of its kind.
 */
struct notice_made {
	char *body, *subject, *recipient;
	const char *channel;
};
int notice_make(struct context *ctx, const struct notice_facts *f, enum notice_event event,
    const char *note, struct notice_made *m);
int notice_queue_made(struct context *ctx, const struct notice_made *m, long long case_id,
    long long event_id);
void notice_made_free(struct notice_made *m);

/*
 * The automatic reply to a citizen's mail that became a case (pcase-mail):
 * templates_dir/mail-received.txt with {code}, {due}, {unit}, {subject}
 * (the mail's own) and {site_url}; its subject begins with the code as
 * "[#1234-5678-9012]", in Latin digits whatever the template says, so that
 * the citizen's answer finds the case again. It answers in_reply_to (the
 * mail's Message-ID), keyed by the event of the case's intake.
 */
struct notice_reply {
	long long case_id, event_id;
	tcode code;
	const char *to, *subject, *unit, *in_reply_to;
	time_t due;
};
int notice_queue_reply(struct context *ctx, const struct notice_reply *r);

/*
 * The invitation to a survey (survey.h): an SMS to the phone, else a mail,
 * from templates_dir/survey.txt, with {code} and {link} (survey_url and
 * the token; without survey_url the line naming it is left out, and the
 * tracking code is what the citizen answers with). Keyed by the
 * invitation. 0 or an exit status.
 */
int notice_queue_invitation(struct context *ctx, long long case_id, tcode code,
    long long invitation_id, const char *phone, const char *email, const char *token);

#endif
