/*
 * mail.c — mail to citizens and units over SMTP through libcurl. One easy
 * handle per session, so that libcurl keeps the connection from one
 * message to the next; the body is libcurl's MIME (a multipart/alternative
 * of text and HTML), the headers ours, with names and subjects in RFC 2047
 * words, because a Persian subject must reach every mail reader whole.
 */
#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caltime.h"
#include "mail.h"
#include "text.h"
#include "util.h"

struct mail_session {
	const struct mail_settings *s;
	CURL *curl;
	char *url;		/* the settings' URL with the HELO domain as its path */
	char shown[256];	/* the URL as messages show it: no login in it */
	char refusal[256];	/* the server's last 4xx or 5xx reply line */
	char error[CURL_ERROR_SIZE];
};

/* libcurl's global state is set up once for the process, on first use. */
static bool curl_ready;

/* ---- RFC 2047 words and base64 ---- */

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
base64_add(struct buf *b, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = p[i] << 16;

		if (i + 1 < n)
			v |= p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_addc(b, b64[v >> 18 & 63]);
		buf_addc(b, b64[v >> 12 & 63]);
		buf_addc(b, i + 1 < n ? b64[v >> 6 & 63] : '=');
		buf_addc(b, i + 2 < n ? b64[v & 63] : '=');
	}
}

/* The bytes of the UTF-8 character at p, never past the string's end. */
static size_t
char_len(const unsigned char *p)
{
	size_t n = 1;

	if (*p >= 0xc0)
		while (n < 4 && (p[n] & 0xc0) == 0x80)
			n++;
	return n;
}

/* Anything but printable ASCII, or what a reader would take for a word already. */
static bool
needs_words(const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return true;
	return strstr(v, "=?") != NULL;
}

#define WORD_MAX 75	/* RFC 2047, 2: an encoded-word is at most 75 characters */
#define WORD_FRAME 12	/* "=?UTF-8?B?" and "?=" */

char *
mail_encode_words(const char *value, size_t column)
{
	const unsigned char *p = (const unsigned char *)value;
	struct buf b = {0};
	/* A line holding words is at most 76 long; the first shares its line with the name. */
	size_t room = column + 20 <= 76 ? 76 - column : WORD_MAX;

	if (!needs_words(value))
		return xstrdup(value);
	buf_adds(&b, "");
	while (*p) {
		size_t max = (((room > WORD_MAX ? WORD_MAX : room) - WORD_FRAME) / 4) * 3, k = 0;

		while (p[k] && k + char_len(p + k) <= max)
			k += char_len(p + k);
		if (b.len)
			buf_adds(&b, "\r\n ");
		buf_adds(&b, "=?UTF-8?B?");
		base64_add(&b, p, k);
		buf_adds(&b, "?=");
		p += k;
		room = WORD_MAX;
	}
	return b.data;
}

/* ---- headers ---- */

static bool
has_line_break(const char *s)
{
	return s && strpbrk(s, "\r\n");
}

static bool
bad_utf8(const char *s)
{
	return s && !utf8_valid(s, strlen(s));
}

/* Why msg cannot be sent as it is, or NULL. */
static const char *
refuse(const struct mail_settings *s, const struct mail_message *msg)
{
	if (!s->from || !*s->from || has_line_break(s->from) || has_line_break(s->from_name))
		return "the sender's address or name is missing or holds a line break";
	if (!msg->to || !*msg->to || strpbrk(msg->to, "<>\r\n"))
		return "the recipient's address is missing or holds a line break";
	if (has_line_break(msg->to_name))
		return "the recipient's name holds a line break";
	if (!msg->subject || has_line_break(msg->subject))
		return "the subject is missing or holds a line break";
	if (!msg->message_id || has_line_break(msg->message_id))
		return "the message id is missing or holds a line break";
	if (has_line_break(msg->list_unsubscribe))
		return "the unsubscribe address holds a line break";
	if (has_line_break(msg->in_reply_to) || (msg->in_reply_to && bad_utf8(msg->in_reply_to)))
		return "the message id it answers holds a line break";
	if (!msg->text)
		return "the message has no text";
	if (bad_utf8(s->from_name) || bad_utf8(msg->to_name) || bad_utf8(msg->subject) ||
	    bad_utf8(msg->text) || bad_utf8(msg->html))
		return "the message is not valid UTF-8";
	return NULL;
}

/* "Name <addr>", the name quoted or in RFC 2047 words; column as for mail_encode_words. */
static char *
address(const char *name, const char *addr, size_t column)
{
	struct buf b = {0};

	if (!name || !*name)
		return xasprintf("<%s>", addr);
	if (needs_words(name)) {
		char *w = mail_encode_words(name, column);

		buf_adds(&b, w);
		free(w);
	} else {
		buf_addc(&b, '"');
		for (const char *p = name; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *p);
		}
		buf_addc(&b, '"');
	}
	buf_addf(&b, " <%s>", addr);
	return b.data;
}

/* Appends line (which it frees) to *l; false when libcurl has no memory. */
static bool
add_line(struct curl_slist **l, char *line)
{
	struct curl_slist *n = curl_slist_append(*l, line);

	free(line);
	if (!n)
		return false;
	*l = n;
	return true;
}

/* The mail's own headers, as libcurl sends them (CURLOPT_HTTPHEADER); NULL without memory. */
static struct curl_slist *
headers_of(const struct mail_settings *s, const struct mail_message *msg)
{
	struct curl_slist *l = NULL;
	char *from = address(s->from_name, s->from, 6), *to = address(msg->to_name, msg->to, 4);
	char *subject = mail_encode_words(msg->subject, 9), date[32];
	bool ok = add_line(&l, xasprintf("Date: %s", cal_format_rfc5322(msg->date, date, sizeof date))) &&
		add_line(&l, xasprintf("From: %s", from)) &&
		add_line(&l, xasprintf("To: %s", to)) &&
		add_line(&l, xasprintf("Subject: %s", subject)) &&
		add_line(&l, xasprintf("Message-ID: %s", msg->message_id)) &&
		add_line(&l, xstrdup("MIME-Version: 1.0")) &&
		/* RFC 3834: no vacation reply or autoresponder answers this */
		add_line(&l, xstrdup(msg->in_reply_to ? "Auto-Submitted: auto-replied"
						      : "Auto-Submitted: auto-generated")) &&
		add_line(&l, xasprintf(MAIL_LOOP_HEADER ": %s", s->from)) &&
		/* curl names the boundary; the type is ours, not its multipart/mixed */
		add_line(&l, xstrdup("Content-Type: multipart/alternative"));

	if (ok && msg->in_reply_to)
		ok = add_line(&l, xasprintf("In-Reply-To: %s", msg->in_reply_to)) &&
			add_line(&l, xasprintf("References: %s", msg->in_reply_to));
	if (ok && msg->list_unsubscribe)	/* RFC 2369 wants the angle brackets */
		ok = add_line(&l, msg->list_unsubscribe[0] == '<' ?
			xasprintf("List-Unsubscribe: %s", msg->list_unsubscribe) :
			xasprintf("List-Unsubscribe: <%s>", msg->list_unsubscribe));
	free(from);
	free(to);
	free(subject);
	if (!ok) {
		curl_slist_free_all(l);
		return NULL;
	}
	return l;
}

/* ---- bodies ---- */

/* The text with CRLF line ends, as SMTP carries it. */
static char *
crlf(const char *s)
{
	struct buf b = {0};

	buf_adds(&b, "");
	for (; *s; s++) {
		if (*s == '\r' && s[1] == '\n')
			continue;
		if (*s == '\r' || *s == '\n')
			buf_adds(&b, "\r\n");
		else
			buf_addc(&b, *s);
	}
	return b.data;
}

/* 7bit where it may (ASCII, lines of at most 998), else base64: smaller than QP for Persian. */
static const char *
encoding_of(const char *body)
{
	size_t line = 0;

	for (const unsigned char *p = (const unsigned char *)body; *p; p++) {
		if (*p >= 0x80)
			return "base64";
		line = *p == '\n' ? 0 : line + 1;
		if (line > 998)
			return "base64";
	}
	return "7bit";
}

static bool
add_part(curl_mime *mime, const char *type, const char *body)
{
	char *data = crlf(body);
	curl_mimepart *part = curl_mime_addpart(mime);
	bool ok = part && curl_mime_data(part, data, CURL_ZERO_TERMINATED) == CURLE_OK &&
		curl_mime_type(part, type) == CURLE_OK &&
		curl_mime_encoder(part, encoding_of(data)) == CURLE_OK;

	free(data);
	return ok;
}

/* The text, and the HTML after it (RFC 2046: the richest alternative last). */
static curl_mime *
mime_of(CURL *curl, const struct mail_message *msg)
{
	curl_mime *mime = curl_mime_init(curl);

	if (mime && add_part(mime, "text/plain; charset=UTF-8", msg->text) &&
	    (!msg->html || add_part(mime, "text/html; charset=UTF-8", msg->html)))
		return mime;
	curl_mime_free(mime);
	return NULL;
}

/* mail_format's copy of what libcurl writes for one part. */
static void
format_part(struct buf *b, const char *type, const char *body)
{
	char *data = crlf(body);
	const char *enc = encoding_of(data);

	buf_addf(b, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: %s\r\n\r\n",
		"partake-boundary", type, enc);
	if (strcmp(enc, "base64") == 0) {
		/* lines of 76, as libcurl's encoder writes them */
		for (size_t i = 0, n = strlen(data); i < n; i += 57) {
			base64_add(b, (const unsigned char *)data + i, n - i < 57 ? n - i : 57);
			buf_adds(b, "\r\n");
		}
	} else {
		buf_adds(b, data);
		if (b->len < 2 || strcmp(b->data + b->len - 2, "\r\n") != 0)
			buf_adds(b, "\r\n");
	}
	free(data);
}

char *
mail_format(const struct mail_settings *s, const struct mail_message *msg)
{
	struct curl_slist *l;
	const char *bad = refuse(s, msg);
	struct buf b = {0};

	if (bad)
		return xasprintf("# not sent: %s\n", bad);
	if (!(l = headers_of(s, msg)))
		return NULL;
	for (struct curl_slist *h = l; h; h = h->next)
		if (strncasecmp(h->data, "Content-Type:", 13) != 0)
			buf_addf(&b, "%s\r\n", h->data);
	curl_slist_free_all(l);
	buf_adds(&b, "Content-Type: multipart/alternative; boundary=partake-boundary\r\n\r\n");
	format_part(&b, "text/plain; charset=UTF-8", msg->text);
	if (msg->html)
		format_part(&b, "text/html; charset=UTF-8", msg->html);
	buf_adds(&b, "--partake-boundary--\r\n");
	return b.data;
}

/* ---- the session ---- */

/* libcurl hands SMTP replies to the header callback: keep the last refusal for why. */
static size_t
on_reply(char *line, size_t size, size_t n, void *arg)
{
	struct mail_session *m = arg;
	size_t len = size * n;

	if (len >= 3 && (line[0] == '4' || line[0] == '5')) {
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			len--;
		if (len >= sizeof(m->refusal))
			len = sizeof(m->refusal) - 1;
		memcpy(m->refusal, line, len);
		m->refusal[len] = '\0';
	}
	return size * n;
}

/* Nothing that libcurl receives goes to standard output. */
static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p, (void)arg;
	return size * n;
}

/* The URL without "user:password@", for messages. */
static void
show_url(const char *url, char *out, size_t n)
{
	const char *host = strstr(url, "://"), *at;

	host = host ? host + 3 : url;
	at = strchr(host, '@');
	if (at && at < host + strcspn(host, "/"))
		snprintf(out, n, "%.*s%s", (int)(host - url), url, at + 1);
	else
		snprintf(out, n, "%s", url);
}

/* The URL with the HELO domain as its path, which is where libcurl takes it from. */
static char *
url_with_helo(const struct mail_settings *s)
{
	const char *host = strstr(s->url, "://"), *helo = s->helo_domain;

	host = host ? host + 3 : s->url;
	if (strchr(host, '/'))
		return xstrdup(s->url);
	if (!helo)
		helo = strrchr(s->from, '@') ? strrchr(s->from, '@') + 1 : "localhost";
	return xasprintf("%s/%s", s->url, helo);
}

static bool
set_up(struct mail_session *m)
{
	const struct mail_settings *s = m->s;
	CURL *c = m->curl;
	char *from = xasprintf("<%s>", s->from);
	bool tls = strncasecmp(s->url, "smtps://", 8) == 0;
	bool ok = curl_easy_setopt(c, CURLOPT_URL, m->url) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps") == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_MAIL_FROM, from) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_USE_SSL, tls ? CURLUSESSL_ALL : CURLUSESSL_TRY) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_VERBOSE, 0L) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, m->error) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_reply) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_HEADERDATA, m) == CURLE_OK &&
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard) == CURLE_OK;

	free(from);
	if (ok && s->user)
		ok = curl_easy_setopt(c, CURLOPT_USERNAME, s->user) == CURLE_OK &&
			curl_easy_setopt(c, CURLOPT_PASSWORD, s->password ? s->password : "") == CURLE_OK;
	return ok;
}

struct mail_session *
mail_open(const struct mail_settings *s)
{
	struct mail_session *m;

	if (!s->url || !s->from)
		return NULL;
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return NULL;
		curl_ready = true;
	}
	m = xcalloc(1, sizeof(*m));
	m->s = s;
	m->url = url_with_helo(s);
	show_url(s->url, m->shown, sizeof(m->shown));
	if (!(m->curl = curl_easy_init()) || !set_up(m)) {
		mail_close(m);
		return NULL;
	}
	return m;
}

void
mail_close(struct mail_session *m)
{
	if (!m)
		return;
	if (m->curl)
		curl_easy_cleanup(m->curl);	/* says QUIT on the kept connection */
	free(m->url);
	free(m);
}

/*
 * What a failure means for the outbox. No reply we can name (no connection,
 * no name, a broken or silent line, TLS) and a refused login stop the run;
 * a 4xx to the message is for later, a 5xx for good.
 */
static enum delivery
verdict(CURLcode rc, long code)
{
	if (rc == CURLE_OK)
		return DELIVERED;
	if (rc == CURLE_LOGIN_DENIED || code == 421 || code == 454 || code == 530 ||
	    code == 534 || code == 535 || code == 538)
		return DELIVERY_DOWN;
	if (code >= 400 && code < 500)
		return DELIVERY_RETRY;
	if (code >= 500 && code < 600)
		return DELIVERY_FAILED;
	return DELIVERY_DOWN;
}

/* why: the URL, then the server's refusal or libcurl's word; never the password. */
static void
explain(const struct mail_session *m, CURLcode rc, long code, char *why, size_t n)
{
	char num[8];
	const char *pw = m->s->password, *p;

	snprintf(num, sizeof(num), "%ld", code);
	if (code >= 400 && strncmp(m->refusal, num, 3) == 0)
		snprintf(why, n, "%s: %s", m->shown, m->refusal);
	else
		snprintf(why, n, "%s: %s", m->shown, m->error[0] ? m->error : curl_easy_strerror(rc));
	/* A server that echoes what it was sent must not show the password either. */
	while (pw && *pw && (p = strstr(why, pw)))
		memset(why + (p - why), '*', strlen(pw));
}

enum delivery
mail_send(struct mail_session *m, const struct mail_message *msg, char *why, size_t n)
{
	const char *bad = refuse(m->s, msg);
	struct curl_slist *hdrs, *rcpt;
	curl_mime *mime;
	enum delivery d;
	CURLcode rc;
	long code = 0;

	if (bad) {
		snprintf(why, n, "%s: %s", msg->to ? msg->to : "(no address)", bad);
		return DELIVERY_FAILED;
	}
	hdrs = headers_of(m->s, msg);
	rcpt = curl_slist_append(NULL, msg->to);
	mime = mime_of(m->curl, msg);
	m->refusal[0] = m->error[0] = '\0';
	if (!hdrs || !rcpt || !mime) {
		snprintf(why, n, "%s: no memory to build the message", m->shown);
		d = DELIVERY_RETRY;
	} else {
		curl_easy_setopt(m->curl, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(m->curl, CURLOPT_MAIL_RCPT, rcpt);
		curl_easy_setopt(m->curl, CURLOPT_MIMEPOST, mime);
		rc = curl_easy_perform(m->curl);
		curl_easy_getinfo(m->curl, CURLINFO_RESPONSE_CODE, &code);
		if ((d = verdict(rc, code)) != DELIVERED)
			explain(m, rc, code, why, n);
		/* the handle outlives this message: it must not point at what is freed */
		curl_easy_setopt(m->curl, CURLOPT_MIMEPOST, NULL);
		curl_easy_setopt(m->curl, CURLOPT_MAIL_RCPT, NULL);
		curl_easy_setopt(m->curl, CURLOPT_HTTPHEADER, NULL);
	}
	curl_mime_free(mime);
	curl_slist_free_all(rcpt);
	curl_slist_free_all(hdrs);
	return d;
}
