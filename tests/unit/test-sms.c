/*
 * test-sms.c — the SMS module against tests/gateway.py (started by
 * tests/5200-sms.t, which passes its address in PARTAKE_TEST_SMS_URL and
 * one where nothing listens in PARTAKE_TEST_SMS_DEAD_URL): each answer of
 * the gateway as an outcome, the key in no message. The wrapper then reads
 * the gateway's log for what arrived.
 */
#include <stdlib.h>

#include "sms.h"
#include "tap.h"

/* URL-unsafe on purpose: a '/', a blank, a '+', a '%', a '?', a '*', and UTF-8. */
#define KEY "k3y/with space+é%?*"
#define KEY_ESCAPED "k3y%2Fwith%20space%2B%C3%A9%25%3F%2A"
#define PERSIAN "شهروند گرامی، پاسخ شکایت شما ثبت شد؛ کد پیگیری: ۱۴۰۵-۰۰۱۲ & 100% = ok?"

static const char *const outcome_names[] = {"delivered", "retry", "failed", "down"};

/* The message names no form of the key. */
static void
no_key(const char *why, const char *what)
{
	ok(strstr(why, KEY) == NULL && strstr(why, KEY_ESCAPED) == NULL &&
	    strstr(why, "k3y") == NULL, "%s: the key is not in why (%s)", what, why);
}

/* One send, its outcome and a word its message must hold. */
static void
expect(struct sms_session *m, const char *receptor, enum delivery want, const char *word,
    long long localid, const char *what)
{
	char why[256] = "untouched";
	enum delivery d = sms_send(m, receptor, "سلام", localid, why, sizeof why);

	ok(d == want, "%s: %s (got %s)", what, outcome_names[want], outcome_names[d]);
	ok(strstr(why, word) != NULL, "%s: why says '%s' (%s)", what, word, why);
	no_key(why, what);
}

static void
masked(const char *base)
{
	struct sms_settings s = {.base_url = base, .key = KEY};
	char *url = sms_masked_url(&s), *want = NULL;

	if (asprintf(&want, "%s/v1/****/sms/send.json", base) < 0)
		want = NULL;
	is_str(url, want, "the masked URL shows the path with **** for the key");
	no_key(url, "masked URL");
	free(url);
	free(want);

	s.base_url = "https://api.kavenegar.com/v1/";
	url = sms_masked_url(&s);
	is_str(url, "https://api.kavenegar.com/v1/****/sms/send.json",
	    "a base URL that ends in /v1/ (the config's default) gets no second /v1");
	free(url);
}

/* The sends whose arrival the wrapper checks in the gateway's log, in this order. */
static void
sends(const char *base)
{
	struct sms_settings s = {.base_url = base, .key = KEY, .sender = "10008663"};
	struct sms_session *m = sms_open(&s);
	char why[256];

	if (!ok(m != NULL, "a session opens"))
		return;
	is_int(sms_send(m, "09120000001", PERSIAN, 1001, why, sizeof why), DELIVERED,
	    "a Persian message is delivered");
	ok(strncmp(why, "gateway: 200", 12) == 0, "why says the gateway's 200 (%s)", why);
	is_int(sms_send(m, "09120000002", "two", 1002, why, sizeof why), DELIVERED, "a second");
	is_int(sms_send(m, "09120000003", "three", 1003, why, sizeof why), DELIVERED, "a third");

	expect(m, "09120000409", DELIVERY_RETRY, "gateway: 409 ", 2001, "409 busy");
	expect(m, "09120000451", DELIVERY_RETRY, "gateway: 451", 2002, "451 duplicate call");
	expect(m, "09120000418", DELIVERY_DOWN, "gateway: 418 no credit", 2003, "418 no credit");
	expect(m, "09120000411", DELIVERY_FAILED, "gateway: 411 receptor invalid", 2004, "411");
	expect(m, "09120000400", DELIVERY_FAILED, "gateway: 400", 2005, "400 missing parameters");
	expect(m, "09120000401", DELIVERY_FAILED, "****", 2006, "401 echoing the key");
	expect(m, "09120000404", DELIVERY_FAILED, "gateway: HTTP 404", 2007,
	    "HTTP 404 with JSON but no return.status: the HTTP status");
	expect(m, "09120000500", DELIVERY_RETRY, "not JSON", 2008, "HTTP 500, text body");
	expect(m, "09120000502", DELIVERY_RETRY, "HTTP 200: the answer is not JSON", 2009,
	    "HTTP 200, HTML body");
	expect(m, "09120000999", DELIVERY_RETRY, "longer than", 2014, "a 100 KiB answer");
	expect(m, "09120000000", DELIVERY_DOWN, "gateway: no answer", 2010,
	    "the connection closed without an answer");
	is_int(sms_send(m, "09120000004", "after", 1004, why, sizeof why), DELIVERED,
	    "the session goes on after a dropped connection");

	/* A small why is cut on a character boundary, and n = 0 writes nothing. */
	char small[15];
	const char *got = small;
	is_int(sms_send(m, "09120000007", "x", 1005, small, sizeof small), DELIVERED,
	    "delivered, told in 15 bytes");
	is_str(got, "gateway: 200 ", "the Persian word that does not fit is left out whole");
	char none[1] = {'x'};
	sms_send(m, "09120000411", "x", 2012, none, 0);
	ok(none[0] == 'x', "n = 0: why untouched");
	is_int(sms_send(m, NULL, "x", 2013, why, sizeof why), DELIVERY_FAILED, "no receptor: failed");
	sms_close(m);
}

/* No sender; a base URL that ends in /v1/, as the config's default does. */
static void
no_sender(const char *base)
{
	char *slash = NULL, why[256];

	if (asprintf(&slash, "%s/v1/", base) < 0)
		return;
	struct sms_settings s = {.base_url = slash, .key = KEY};
	struct sms_session *m = sms_open(&s);
	is_int(sms_send(m, "09120000005", "no sender", 3001, why, sizeof why), DELIVERED,
	    "a session without a sender line delivers");
	sms_close(m);
	free(slash);
}

static void
down(const char *dead)
{
	struct sms_settings s = {.base_url = dead, .key = KEY, .sender = "1000"};
	struct sms_session *m = sms_open(&s);
	char why[256] = "";

	is_int(sms_send(m, "09120000006", "x", 4001, why, sizeof why), DELIVERY_DOWN,
	    "a gateway that is not running: down");
	ok(strncmp(why, "gateway: no answer: ", 20) == 0, "it says so (%s)", why);
	no_key(why, "not running");
	sms_close(m);
}

int
main(void)
{
	const char *base = getenv("PARTAKE_TEST_SMS_URL");
	const char *dead = getenv("PARTAKE_TEST_SMS_DEAD_URL");

	if (base == NULL || dead == NULL) {
		puts("1..0 # SKIP run by tests/5200-sms.t, which starts the gateway");
		return 0;
	}
	struct sms_settings none = {.base_url = base, .key = ""};
	ok(sms_open(&none) == NULL, "no key: no session");
	sms_close(NULL);
	masked(base);
	sends(base);
	no_sender(base);
	down(dead);
	return tap_done();
}
