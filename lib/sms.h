/*
 * sms.h — SMS to citizens through the gateway's HTTP API (Kavenegar's, which
 * Ghasedak and others serve too), with libcurl: one connection kept.
 */
#ifndef PARTAKE_SMS_H
#define PARTAKE_SMS_H

#include <stddef.h>

#include "delivery.h"

struct sms_settings {
	const char *base_url;	/* "https://api.kavenegar.com" (config sms_url) */
	const char *key;	/* the API key: secret, it goes in the URL path */
	const char *sender;	/* the sender line number, or NULL */
};

struct sms_session;

/*
 * A session for many sends over one kept connection; NULL when the settings
 * lack a URL or a key, or libcurl cannot start. The settings are copied.
 */
struct sms_session *sms_open(const struct sms_settings *s);
/*
 * Sends one message. localid: the outbox item, so the gateway drops a
 * retried duplicate. why (n bytes) says what the gateway answered, as
 * "gateway: 411 receptor invalid"; it never holds the key.
 */
enum delivery sms_send(struct sms_session *m, const char *receptor, const char *message,
    long long localid, char *why, size_t n);
void sms_close(struct sms_session *m);
/*
 * Asks the gateway for the messages received on the sender line and not
 * read yet (POST {base}/v1/{key}/sms/receive.json, linenumber, isread=0).
 * The gateway marks them read as it answers: the caller must keep *answer
 * (the JSON as it came, a new string) before anything else. DELIVERED
 * with *answer; else why says what the gateway answered.
 */
enum delivery sms_receive(struct sms_session *m, char **answer, char *why, size_t n);
/*
 * The URL a send goes to with the key masked: four asterisks stand for it
 * between "/v1/" and "/sms/send.json". For messages and --dry-run; a new
 * string. (The mask cannot be written here: its stars would end the comment.)
 */
char *sms_masked_url(const struct sms_settings *s);

#endif
