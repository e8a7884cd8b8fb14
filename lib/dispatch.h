/*
 * dispatch.h — what pnotify does: each due item of the outbox to its sender
 * (mail over SMTP, SMS through the gateway), one connection a channel, and
 * what the sender said settled in the outbox. Apart from outbox.c so that
 * the commands that only queue notices do not link libcurl.
 */
#ifndef PARTAKE_DISPATCH_H
#define PARTAKE_DISPATCH_H

#include "mail.h"
#include "outbox.h"
#include "sms.h"

/* What a run of the senders is given, and what it did. */
struct dispatch_senders {
	struct mail_settings mail;	/* url NULL: mail is not sent */
	struct sms_settings sms;	/* key NULL: SMS are not sent */
	const char *mail_domain;	/* for Message-ID */
	char *secrets[2];		/* the password and the key, as read */
	long limit;			/* items at most; 0: every one due */
};
struct dispatch_run {
	long sent, again, failed;	/* items sent; to try again later; failed for good */
	bool down;			/* a server was not there: the rest waits */
	char why[256];			/* what stopped the run, once */
};
/* The senders as the configuration sets them (smtp_url, mail_from, smtp_user,
 * the password; sms_url, the key, sms_sender): 0, or EXIT_FATAL with the
 * store's error naming the key (also when neither channel is set). Free with dispatch_senders_free. */
int dispatch_senders_init(struct context *ctx, struct dispatch_senders *s);
void dispatch_senders_free(struct dispatch_senders *s);
/* Called for each item tried, for the command to say so. */
typedef void (*dispatch_report_fn)(const struct outbox_item *item, enum delivery d,
    const char *why, void *arg);
/*
 * Sends what is due, one claim at a time, each channel over one connection;
 * a server that is down stops its channel (its item goes back unharmed).
 * 0, or a store status.
 */
int dispatch_due(struct context *ctx, const struct dispatch_senders *senders,
    struct dispatch_run *run, dispatch_report_fn report, void *arg);
#endif
