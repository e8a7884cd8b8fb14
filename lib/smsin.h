/*
 * smsin.h — SMS from citizens, as the gateway gives them (the answer of
 * Kavenegar's sms/receive.json, or the fields of its callback): each
 * answer kept whole in the store first, committed, and only then taken in,
 * message by message, so that a crash after the poll (which marks the
 * messages read at the gateway) loses nothing and the next run takes up
 * what was kept. A message becomes a case (channel sms, the sender's
 * mobile as its contact), a follow-up on the case whose code it carries
 * (case_follow_up, as a reply by mail), or, when it is the word لغو or 11,
 * its sender's opt-out.
 */
#ifndef PARTAKE_SMSIN_H
#define PARTAKE_SMSIN_H

#include "code.h"
#include "context.h"

/* Keeps an answer of the gateway as it came, committed: 0 or an exit status. */
int smsin_keep(struct context *ctx, const char *answer);
/* Keeps the callback's fields (a form: from, to, message, messageid) as an
 * answer of one message. EXIT_FATAL when a field is missing (the store's error says which). */
int smsin_keep_form(struct context *ctx, const char *form);

enum smsin_what { SMSIN_CASE, SMSIN_KNOWN, SMSIN_FOLLOW_UP, SMSIN_OPT_OUT, SMSIN_REFUSED };
struct smsin_run {
	long counts[SMSIN_REFUSED + 1];
};
/* Called for each message taken: what it became, its case (0: none), why it was refused. */
typedef void (*smsin_report_fn)(enum smsin_what what, tcode code, const char *why, void *arg);
/*
 * Takes in every answer kept and not done yet, oldest first; each is done
 * once its every message was taken in (or refused: a sender that is no
 * mobile, an empty text, which the kept answer still shows). 0, or the
 * store's status (a busy database: the rest waits for the next run).
 */
int smsin_take(struct context *ctx, struct smsin_run *run, smsin_report_fn report, void *arg);

#endif
