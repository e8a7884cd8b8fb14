/*
 * mail.h — mail to citizens and units over SMTP, through libcurl: one
 * connection kept for many messages, MIME built by libcurl's MIME API.
 */
#ifndef PARTAKE_MAIL_H
#define PARTAKE_MAIL_H

#include <stddef.h>
#include <time.h>

#include "delivery.h"

struct mail_settings {
	const char *url;	/* smtp://host:port or smtps://host:port */
	const char *user, *password;	/* NULL: no login */
	const char *from;	/* the sender's address */
	const char *from_name;	/* its display name (UTF-8), or NULL */
	const char *helo_domain;	/* NULL: the domain of from */
};

struct mail_message {
	const char *to;		/* one address */
	const char *to_name;	/* UTF-8 display name, or NULL */
	const char *subject;	/* UTF-8 */
	const char *text;	/* the plain-text part, UTF-8 */
	const char *html;	/* an HTML alternative, or NULL */
	const char *message_id;	/* "<…@…>" made by the caller, unique per item (a retry keeps it) */
	time_t date;
	const char *list_unsubscribe;	/* a URL or mailto: for digests, or NULL */
	/* The Message-ID ("<…>") of the citizen's mail this answers, or NULL:
	 * then In-Reply-To and References name it, and it is auto-replied
	 * (RFC 3834), not auto-generated. */
	const char *in_reply_to;
};

/* The header every mail partake sends carries, with the sender's address,
 * so that pcase-mail knows its own mail when it comes back (RT's
 * RT-Loop-Prevention). */
#define MAIL_LOOP_HEADER "X-Partake-Loop"

struct mail_session;

/* A session that sends through s (which must outlive it); NULL if libcurl cannot start. */
struct mail_session *mail_open(const struct mail_settings *s);
/* why (n bytes) says what went wrong, never with the password. */
enum delivery mail_send(struct mail_session *m, const struct mail_message *msg, char *why, size_t n);
void mail_close(struct mail_session *m);
/* The headers and body as they would be sent (for --dry-run and tests); a new string. */
char *mail_format(const struct mail_settings *s, const struct mail_message *msg);

/*
 * A header value as RFC 2047 words (=?UTF-8?B?…?=, each at most 75
 * characters, folded with CRLF and a space, never splitting a UTF-8
 * character) when it is not plain ASCII; else a copy. column is where the
 * value starts on its line ("Subject: " is 9), so that no line passes 76.
 * A new string. mail_format uses it; the tests check it on its own.
 */
char *mail_encode_words(const char *value, size_t column);

#endif
