/* dispatch.c — each due item to its sender, and what the sender said to the outbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dispatch.h"
#include "exitcode.h"
#include "util.h"

static char *
dispatch_message_id(const struct outbox_item *item, const char *domain)
{
	return xasprintf("<partake.%lld.%lld@%s>", item->id, item->created,
	    domain && *domain ? domain : "localhost");
}

/* The open connection of each channel, made at its first item. */
struct sessions {
	struct mail_session *mail;
	struct sms_session *sms;
};

static enum delivery
deliver(const struct dispatch_senders *senders, struct sessions *open, const struct outbox_item *item,
    char *why, size_t n)
{
	if (strcmp(item->channel, "sms") == 0) {
		if (open->sms == NULL && (open->sms = sms_open(&senders->sms)) == NULL) {
			snprintf(why, n, "the SMS gateway could not be set up");
			return DELIVERY_DOWN;
		}
		return sms_send(open->sms, item->recipient, item->body, item->id, why, n);
	}
	if (open->mail == NULL && (open->mail = mail_open(&senders->mail)) == NULL) {
		snprintf(why, n, "the mail server could not be set up");
		return DELIVERY_DOWN;
	}
	char *message_id = dispatch_message_id(item, senders->mail_domain);
	struct mail_message m = {
		.to = item->recipient, .subject = item->subject ? item->subject : "",
		.text = item->body, .html = item->html, .message_id = message_id,
		.date = time(NULL), .in_reply_to = item->in_reply_to,
	};
	enum delivery d = mail_send(open->mail, &m, why, n);
	free(message_id);
	return d;
}

static void
count(struct dispatch_run *run, const struct outbox_item *item, enum delivery d, const char *why)
{
	switch (d) {
	case DELIVERED:
		run->sent++;
		break;
	case DELIVERY_RETRY:
		if (item->attempts >= OUTBOX_MAX_ATTEMPTS)
			run->failed++;
		else
			run->again++;
		break;
	case DELIVERY_FAILED:
		run->failed++;
		break;
	case DELIVERY_DOWN:
		run->down = true;
		if (run->why[0] == '\0')
			snprintf(run->why, sizeof run->why, "%s", why);
		break;
	}
}

int
dispatch_due(struct context *ctx, const struct dispatch_senders *senders,
    struct dispatch_run *run, dispatch_report_fn report, void *arg)
{
	unsigned channels = (senders->mail.url ? OUTBOX_BY_EMAIL : 0) |
	    (senders->sms.key ? OUTBOX_BY_SMS : 0);
	struct sessions open = {0};
	struct outbox_item item;
	int rc = 0;

	memset(run, 0, sizeof *run);
	for (long n = 0; channels && (senders->limit == 0 || n < senders->limit); n++) {
		if ((rc = outbox_claim(ctx, channels, &item)) != 0)
			break;
		char why[256] = "";
		enum delivery d = deliver(senders, &open, &item, why, sizeof why);
		rc = outbox_settle(ctx, &item, d, why);
		count(run, &item, d, why);
		if (report)
			report(&item, d, why, arg);
		/* A server that is down fails every item alike: its channel waits for the next run. */
		if (d == DELIVERY_DOWN)
			channels &= strcmp(item.channel, "sms") == 0 ? ~OUTBOX_BY_SMS : ~OUTBOX_BY_EMAIL;
		outbox_item_free(&item);
		if (rc != 0)
			break;
	}
	if (open.mail)
		mail_close(open.mail);
	if (open.sms)
		sms_close(open.sms);
	return rc == EXIT_PARTIAL ? 0 : rc;
}

int
dispatch_senders_init(struct context *ctx, struct dispatch_senders *s)
{
	const struct config *cfg = ctx->cfg;
	char *why;

	memset(s, 0, sizeof *s);
	if (cfg->smtp_url) {
		if (cfg->mail_from == NULL)
			return store_failf(ctx->store, "mail_from: mail needs its sender (config)");
		s->secrets[0] = config_secret("PARTAKE_SMTP_PASSWORD", cfg->smtp_password_file, &why);
		if (why) {
			store_failf(ctx->store, "smtp_password_file: %s", why);
			free(why);
			return EXIT_FATAL;
		}
		s->mail = (struct mail_settings){
			.url = cfg->smtp_url, .user = cfg->smtp_user, .password = s->secrets[0],
			.from = cfg->mail_from,
		};
		s->mail_domain = strchr(cfg->mail_from, '@') + 1;
	}
	s->secrets[1] = config_secret("PARTAKE_SMS_KEY", cfg->sms_key_file, &why);
	if (why) {
		store_failf(ctx->store, "sms_key_file: %s", why);
		free(why);
		return EXIT_FATAL;
	}
	if (s->secrets[1])
		s->sms = (struct sms_settings){
			.base_url = cfg->sms_url, .key = s->secrets[1], .sender = cfg->sms_sender,
		};
	if (!s->mail.url && !s->sms.key)
		return store_failf(ctx->store,
		    "nothing to send with: set smtp_url and mail_from, or sms_key_file (config)");
	return 0;
}

void
dispatch_senders_free(struct dispatch_senders *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(s->secrets); i++) {
		if (s->secrets[i])	/* not left in freed memory */
			memset(s->secrets[i], 0, strlen(s->secrets[i]));
		free(s->secrets[i]);
	}
	memset(s, 0, sizeof *s);
}
