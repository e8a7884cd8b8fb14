/*
 * outbox.h — what partake sends (notices to citizens, mail to units),
 * queued in the store with a key that makes queuing twice harmless, and
 * sent by pnotify: each item claimed by one sender before it goes, so two
 * senders never send it twice, and the claim runs out if the sender dies,
 * so a crash never loses it. A failed item is tried again later, at
 * growing delays, up to a limit; each send or failure is an event of the
 * audit chain of the case or unit it belongs to.
 */
#ifndef PARTAKE_OUTBOX_H
#define PARTAKE_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "context.h"
#include "delivery.h"
#include "fmt.h"

/* How long a claim holds: longer than any one send may take. */
#define OUTBOX_CLAIM_SECONDS 600
/* Tries before an item fails for good. */
#define OUTBOX_MAX_ATTEMPTS 10

struct outbox_item {
	long long id;
	char *channel;		/* sms, email */
	char *recipient, *subject, *body, *html;
	char *in_reply_to;	/* mail: the Message-ID it answers, or NULL */
	long long case_id, unit_id;	/* 0: none */
	long long created;
	int attempts;		/* with this one */
};

/* The channels an item goes by, as a bit set for the senders a run has. */
#define OUTBOX_BY_EMAIL 1u
#define OUTBOX_BY_SMS 2u

/*
 * Claims the next item that is due (queued and its time come, or claimed
 * by a sender whose claim ran out): 0 with *item filled (free it with
 * outbox_item_free), EXIT_PARTIAL when none is due, else a store status.
 */
int outbox_claim(struct context *ctx, unsigned channels, struct outbox_item *item);
void outbox_item_free(struct outbox_item *item);
/*
 * Records what the sender said of a claimed item: sent; again later (the
 * delay grows with each try, until OUTBOX_MAX_ATTEMPTS); failed for good;
 * or, when the server was down, back in the queue as it was. why is kept
 * as its last error. 0 or a store status.
 */
int outbox_settle(struct context *ctx, const struct outbox_item *item, enum delivery d,
    const char *why);
/* The outbox as rows (state -1: every state; due: only what a run would
 * send now, by the channels given); *count set. */
const struct column *outbox_columns(int *ncols);
int outbox_list(struct context *ctx, int state, bool due, unsigned channels, struct printer *p,
    long *count);

/* A failed or cancelled item back in the queue, to go now. EXIT_PARTIAL: no such item, or not failed. */
int outbox_retry(struct context *ctx, long long id);
/* A queued or failed item dropped, with the reason: one line of text
 * (text_check's TEXT_LINE) of at most OUTBOX_REASON_MAX characters. */
#define OUTBOX_REASON_MAX 1000
int outbox_cancel(struct context *ctx, long long id, const char *reason);

/* The automatic replies queued to the address since `since` (a sender's
 * daily cap, mail_replies_per_day); -1 when the store failed. */
long outbox_replies_since(struct context *ctx, const char *address, time_t since);

/* The address (a mobile or an email) asked for no more messages; an event of the chain. */
int outbox_opt_out(struct context *ctx, const char *address, const char *note);
/* True when the address asked for no more messages. */
bool outbox_opted_out(struct context *ctx, const char *address);

#endif
