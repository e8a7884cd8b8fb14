/*
 * sms.c — one SMS at a time through the gateway's REST API (Kavenegar's:
 * POST {base}/v1/{key}/sms/send.json, a form in, JSON out), on one libcurl
 * handle per session so that a run of the notifier keeps one connection.
 * What the gateway answers becomes a delivery outcome the outbox acts on.
 * The key sits in the URL: nothing this file says may carry it.
 */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

#include "json.h"
#include "sms.h"
#include "util.h"

#ifndef PARTAKE_VERSION
#define PARTAKE_VERSION "0"
#endif

/* A send answer is a few hundred bytes; more is not the gateway talking. */
#define REPLY_MAX (64 * 1024)
/* What stands for the key wherever a message might have shown it. */
#define KEY_MASK "****"

struct sms_session {
	CURL *curl;
	struct curl_slist *headers;
	char *key, *key_escaped;	/* kept only to mask them out of messages */
	char *sender;			/* NULL: the gateway's default line */
	char *base;			/* the base URL, for the other methods than send */
	struct buf body, reply;
	size_t reply_max;
	bool reply_too_long;
};

/* The messages received since the last poll: at most the gateway's page of them. */
#define RECEIVE_MAX (4 * 1024 * 1024)

/* libcurl's global state is set up once per process, whoever asks first. */
static once_flag curl_once = ONCE_FLAG_INIT;
static CURLcode curl_init_result = CURLE_FAILED_INIT;

static void
curl_init(void)
{
	curl_init_result = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/*
 * The base URL's length without trailing slashes and without a final
 * "/v1": the config and Kavenegar's own examples give it either way, and
 * the path we add starts with /v1 itself.
 */
static size_t
base_length(const char *base)
{
	size_t len = strlen(base);

	while (len > 0 && base[len - 1] == '/')
		len--;
	if (len >= 3 && strncmp(base + len - 3, "/v1", 3) == 0)
		len -= 3;
	while (len > 0 && base[len - 1] == '/')
		len--;
	return len;
}

/* The URL of a send with `key` (already escaped, or the mask) in its path. */
static char *
send_url(const char *base, const char *key)
{
	if (base == NULL || *base == '\0')
		base = "https://api.kavenegar.com";
	return xasprintf("%.*s/v1/%s/sms/send.json", (int)base_length(base), base, key);
}

char *
sms_masked_url(const struct sms_settings *s)
{
	return send_url(s ? s->base_url : NULL, KEY_MASK);
}

/* Collects the answer, refusing more than REPLY_MAX bytes of it. */
static size_t
take_reply(char *data, size_t size, size_t count, void *arg)
{
	struct sms_session *m = arg;
	size_t n = size * count;

	if (m->reply.len + n > (m->reply_max ? m->reply_max : REPLY_MAX)) {
		m->reply_too_long = true;
		return 0;
	}
	buf_add(&m->reply, data, n);
	return n;
}

/* The options every send shares, set once; false when libcurl refuses one. */
static bool
set_options(struct sms_session *m, const char *url)
{
	CURL *c = m->curl;

	m->headers = curl_slist_append(NULL, "Accept: application/json");
	return m->headers != NULL &&
	    curl_easy_setopt(c, CURLOPT_URL, url) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_POST, 1L) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_HTTPHEADER, m->headers) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_USERAGENT, "partake/" PARTAKE_VERSION) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L) == CURLE_OK &&
	    /* cron runs us single-threaded, but a signal for DNS timeouts is not ours to take */
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, take_reply) == CURLE_OK &&
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, m) == CURLE_OK;
}

struct sms_session *
sms_open(const struct sms_settings *s)
{
	if (s == NULL || s->key == NULL || *s->key == '\0')
		return NULL;
	call_once(&curl_once, curl_init);
	if (curl_init_result != CURLE_OK)
		return NULL;

	struct sms_session *m = xcalloc(1, sizeof *m);
	m->curl = curl_easy_init();
	/* Escaped as a path segment: a '/' or '?' in a key must not cut the path. */
	char *escaped = m->curl ? curl_easy_escape(m->curl, s->key, 0) : NULL;
	if (escaped == NULL) {
		sms_close(m);
		return NULL;
	}
	m->key = xstrdup(s->key);
	m->key_escaped = xstrdup(escaped);
	curl_free(escaped);
	m->sender = s->sender && *s->sender ? xstrdup(s->sender) : NULL;
	m->base = xstrdup(s->base_url && *s->base_url ? s->base_url : "https://api.kavenegar.com");

	char *url = send_url(s->base_url, m->key_escaped);
	bool set = set_options(m, url);
	free(url);	/* libcurl keeps its own copy */
	if (!set) {
		sms_close(m);
		return NULL;
	}
	return m;
}

void
sms_close(struct sms_session *m)
{
	if (m == NULL)
		return;
	if (m->curl)
		curl_easy_cleanup(m->curl);
	curl_slist_free_all(m->headers);
	free(m->key);
	free(m->key_escaped);
	free(m->sender);
	free(m->base);
	buf_free(&m->body);
	buf_free(&m->reply);
	free(m);
}

/* Adds "&name=value" to the form, the value percent-encoded. */
static bool
add_field(struct sms_session *m, const char *name, const char *value)
{
	char *v = curl_easy_escape(m->curl, value, 0);

	if (v == NULL)
		return false;
	if (m->body.len > 0)
		buf_addc(&m->body, '&');
	buf_addf(&m->body, "%s=%s", name, v);
	curl_free(v);
	return true;
}

static bool
make_form(struct sms_session *m, const char *receptor, const char *message, long long localid)
{
	char id[24];

	m->body.len = 0;
	return add_field(m, "receptor", receptor) && add_field(m, "message", message) &&
	    (m->sender == NULL || add_field(m, "sender", m->sender)) &&
	    add_field(m, "localid", decimal(localid, 0, id));
}

/* Replaces every `what` in b by the mask, in one pass (a key may hold a '*'). */
static void
mask(struct buf *b, const char *what)
{
	size_t wlen = strlen(what);
	struct buf t = {0};
	const char *p, *at;

	if (wlen == 0 || b->data == NULL || strstr(b->data, what) == NULL)
		return;
	for (p = b->data; (at = strstr(p, what)) != NULL; p = at + wlen) {
		buf_add(&t, p, (size_t)(at - p));
		buf_adds(&t, KEY_MASK);
	}
	buf_adds(&t, p);
	buf_free(b);
	*b = t;
}

/*
 * Writes the message into why: control bytes (a gateway's text may hold
 * newlines) made blanks, the key masked, cut at n on a character boundary.
 */
static void __attribute__((format(printf, 4, 5)))
say(const struct sms_session *m, char *why, size_t n, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;

	if (why == NULL || n == 0)
		return;
	va_start(ap, fmt);
	char *text = NULL;
	text = xvasprintf(fmt, ap);
	va_end(ap);
	buf_adds(&b, text);
	free(text);
	for (size_t i = 0; i < b.len; i++)
		if ((unsigned char)b.data[i] < 0x20 || b.data[i] == 0x7f)
			b.data[i] = ' ';
	if (m) {
		mask(&b, m->key);
		mask(&b, m->key_escaped);
	}
	size_t len = b.len < n - 1 ? b.len : n - 1;
	while (len > 0 && len < b.len && ((unsigned char)b.data[len] & 0xc0) == 0x80)
		len--;
	memcpy(why, b.data, len);
	why[len] = '\0';
	buf_free(&b);
}

/* Kavenegar's return.status (or the HTTP status standing in for it) as an outcome. */
static enum delivery
outcome_of(long status)
{
	if (status == 200)
		return DELIVERED;
	if (status == 418)	/* no credit left: every other item would fail too */
		return DELIVERY_DOWN;
	if (status == 409 || status == 451 || (status >= 500 && status <= 599))
		return DELIVERY_RETRY;
	if (status >= 400 && status <= 499)
		return DELIVERY_FAILED;	/* this item is wrong (a bad receptor): never again */
	return DELIVERY_RETRY;	/* a status we do not know: not a reason to lose the item */
}

/* What the answer (HTTP status http, the body in m->reply) means. */
static enum delivery
read_answer(struct sms_session *m, long http, char *why, size_t n)
{
	struct json_fault fault;
	json_t *root = json_parse(m->reply.data ? m->reply.data : "", m->reply.len, &fault);

	if (root == NULL) {
		say(m, why, n, "gateway: HTTP %ld: the answer is not JSON", http);
		return DELIVERY_RETRY;
	}
	json_t *ret = json_object_get(root, "return");
	json_t *status = json_object_get(ret, "status");
	bool nul;	/* a \u0000 only cuts the text short: it is a message, not data */
	const char *text = json_text(json_object_get(ret, "message"), &nul);
	long code = json_is_integer(status) ? (long)json_integer_value(status) : http;
	enum delivery d;

	if (!json_is_integer(status) && http == 200) {
		/* A 200 that does not say it took the message may not have: ask again. */
		say(m, why, n, "gateway: HTTP 200 without a status in the answer");
		d = DELIVERY_RETRY;
	} else {
		if (json_is_integer(status))
			say(m, why, n, "gateway: %ld%s%s", code, text && *text ? " " : "", text ? text : "");
		else
			say(m, why, n, "gateway: HTTP %ld", http);
		d = outcome_of(code);
	}
	json_decref(root);
	return d;
}

enum delivery
sms_send(struct sms_session *m, const char *receptor, const char *message,
    long long localid, char *why, size_t n)
{
	if (m == NULL) {
		say(m, why, n, "gateway: no session");
		return DELIVERY_DOWN;
	}
	if (receptor == NULL || *receptor == '\0' || message == NULL) {
		say(m, why, n, "gateway: no %s", message ? "receptor" : "message");
		return DELIVERY_FAILED;
	}
	m->reply.len = 0;
	m->reply_max = REPLY_MAX;
	m->reply_too_long = false;
	if (!make_form(m, receptor, message, localid) ||
	    curl_easy_setopt(m->curl, CURLOPT_POSTFIELDS, m->body.data) != CURLE_OK ||
	    curl_easy_setopt(m->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)m->body.len) != CURLE_OK) {
		say(m, why, n, "gateway: cannot make the request");
		return DELIVERY_DOWN;
	}

	CURLcode rc = curl_easy_perform(m->curl);
	if (rc == CURLE_WRITE_ERROR && m->reply_too_long) {
		say(m, why, n, "gateway: an answer longer than %d bytes", REPLY_MAX);
		return DELIVERY_RETRY;
	}
	if (rc != CURLE_OK) {
		/* libcurl's own text, not its error buffer: the buffer may name the URL */
		say(m, why, n, "gateway: no answer: %s", curl_easy_strerror(rc));
		return DELIVERY_DOWN;
	}
	long http = 0;
	curl_easy_getinfo(m->curl, CURLINFO_RESPONSE_CODE, &http);
	return read_answer(m, http, why, n);
}

enum delivery
sms_receive(struct sms_session *m, char **answer, char *why, size_t n)
{
	*answer = NULL;
	if (m == NULL) {
		say(m, why, n, "gateway: no session");
		return DELIVERY_DOWN;
	}
	char *url = xasprintf("%.*s/v1/%s/sms/receive.json", (int)base_length(m->base), m->base,
	    m->key_escaped);
	char *back = send_url(m->base, m->key_escaped);
	m->reply.len = 0;
	m->reply_max = RECEIVE_MAX;
	m->reply_too_long = false;
	m->body.len = 0;
	/* isread=0: the messages not read yet, which the gateway marks read as it answers */
	bool made = (m->sender == NULL || add_field(m, "linenumber", m->sender)) &&
	    add_field(m, "isread", "0") &&
	    curl_easy_setopt(m->curl, CURLOPT_URL, url) == CURLE_OK &&
	    curl_easy_setopt(m->curl, CURLOPT_POSTFIELDS, m->body.data) == CURLE_OK &&
	    curl_easy_setopt(m->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)m->body.len) == CURLE_OK;
	CURLcode rc = made ? curl_easy_perform(m->curl) : CURLE_FAILED_INIT;
	long http = 0;
	curl_easy_getinfo(m->curl, CURLINFO_RESPONSE_CODE, &http);
	curl_easy_setopt(m->curl, CURLOPT_URL, back);	/* the session sends again after */
	free(url);
	free(back);
	if (!made) {
		say(m, why, n, "gateway: cannot make the request");
		return DELIVERY_DOWN;
	}
	if (rc == CURLE_WRITE_ERROR && m->reply_too_long) {
		say(m, why, n, "gateway: an answer longer than %d bytes", RECEIVE_MAX);
		return DELIVERY_RETRY;
	}
	if (rc != CURLE_OK) {
		say(m, why, n, "gateway: no answer: %s", curl_easy_strerror(rc));
		return DELIVERY_DOWN;
	}
	enum delivery d = read_answer(m, http, why, n);
	if (d == DELIVERED)
		*answer = xstrndup(m->reply.data ? m->reply.data : "", m->reply.len);
	return d;
}
