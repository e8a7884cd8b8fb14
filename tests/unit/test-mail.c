/*
 * test-mail.c — lib/mail.c: its RFC 2047 words and its message on their
 * own, and, against the SMTP server that tests/5100-mail.t starts
 * (PARTAKE_TEST_SMTP_URL), what one session sends, refuses and reports.
 * The mode is the first argument: unit, words TEXT, send, refuse, down.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"
#include "tap.h"

#define SUBJECT_FA "پاسخ به شکایت شما"
#define NAME_FA "روابط عمومی سازمان"
#define LONG_FA "پاسخ شکایت شما درباره‌ی تأخیر در صدور پروانه‌ی ساختمان در منطقه‌ی دوازده ثبت شد و به واحد پیگیری فرستاده شد"

static struct mail_settings settings = {
	.from = "noreply@agency.example", .from_name = NAME_FA,
};

static struct mail_message
message(const char *to, const char *subject, const char *id)
{
	return (struct mail_message){
		.to = to, .to_name = "Citizen One", .subject = subject,
		.text = "سلام\nپاسخ شما آماده است.\n", .message_id = id,
		.date = 1795334400,	/* 2026-11-22 08:00:00 UTC */
	};
}

/* The longest line of s, CRLF ends. */
static size_t
longest_line(const char *s)
{
	size_t most = 0;

	while (*s) {
		size_t n = strcspn(s, "\r\n");

		if (n > most)
			most = n;
		s += n;
		s += strspn(s, "\r\n");
	}
	return most;
}

static void
unit(void)
{
	char *w = mail_encode_words("Your answer is ready", 9), *f;
	struct mail_message msg = message("a@example.org", SUBJECT_FA, "<1@agency.example>");
	char why[256];
	struct mail_session *m;

	is_str(w, "Your answer is ready", "plain ASCII stays as it is");
	free(w);
	w = mail_encode_words("=?UTF-8?B?eA==?=", 9);
	ok(strncmp(w, "=?UTF-8?B?", 10) == 0 && strcmp(w, "=?UTF-8?B?eA==?=") != 0,
		"ASCII that looks like a word is encoded, not passed for one");
	free(w);
	w = mail_encode_words(LONG_FA, 9);
	ok(strstr(w, "\r\n =?UTF-8?B?") != NULL, "a long Persian subject is split into words");
	ok(strcspn(w, "\r") + 9 <= 76, "its first line, after \"Subject: \", is at most 76");
	ok(longest_line(w) <= 76, "and so is every other");
	free(w);

	msg.html = "<p>سلام</p>";
	msg.list_unsubscribe = "https://agency.example/unsubscribe?u=1";
	f = mail_format(&settings, &msg);
	ok(strstr(f, "Subject: =?UTF-8?B?") != NULL, "the formatted subject is in words");
	ok(strstr(f, "To: \"Citizen One\" <a@example.org>\r\n") != NULL, "an ASCII name is quoted");
	ok(strstr(f, "Date: Sun, 22 Nov 2026 08:00:00 +0000\r\n") != NULL, "the date is RFC 5322, UTC");
	ok(strstr(f, "Auto-Submitted: auto-generated\r\n") != NULL, "it says it is automatic");
	ok(strstr(f, "List-Unsubscribe: <https://agency.example/unsubscribe?u=1>\r\n") != NULL,
		"the unsubscribe link is in angle brackets");
	ok(strstr(f, "Content-Type: text/html; charset=UTF-8") != NULL, "the HTML is an alternative");
	ok(strstr(f, "Content-Transfer-Encoding: base64") != NULL, "Persian text goes as base64");
	free(f);

	m = mail_open(&(struct mail_settings){.url = "smtp://127.0.0.1:9", .from = "a@b.example"});
	ok(m != NULL, "a session opens without connecting");
	msg.subject = "hello\r\nBcc: everyone@example.org";
	is_int(mail_send(m, &msg, why, sizeof(why)), DELIVERY_FAILED, "a subject with CR LF is refused");
	ok(strstr(why, "line break") != NULL, "and why says so: %s", why);
	msg.subject = "hello";
	msg.to = "a@example.org\nRCPT TO:<b@example.org>";
	is_int(mail_send(m, &msg, why, sizeof(why)), DELIVERY_FAILED, "so is an address with LF");
	msg.to = "a@example.org";
	msg.to_name = "x\rBcc: b@example.org";
	is_int(mail_send(m, &msg, why, sizeof(why)), DELIVERY_FAILED, "and a name with CR");
	msg.to_name = NULL;
	msg.message_id = "<1@x>\r\nX-Evil: 1";
	is_int(mail_send(m, &msg, why, sizeof(why)), DELIVERY_FAILED, "and a message id with CR LF");
	mail_close(m);
}

/* A session on url with s, counted as a test. */
static struct mail_session *
open_on(struct mail_settings *s, const char *url)
{
	struct mail_session *m;

	s->url = url;
	ok((m = mail_open(s)) != NULL, "a session opens on %s", url);
	return m;
}

/* Three messages through one session, and a refused one that sends nothing. */
static void
send_three(const char *url)
{
	struct mail_settings s = settings;
	struct mail_message a = message("one@citizen.example", SUBJECT_FA, "<case-1@agency.example>");
	struct mail_message b = message("two@citizen.example", "Your tracking code", "<case-2@agency.example>");
	struct mail_message c = message("three@citizen.example", LONG_FA, "<digest-3@agency.example>");
	struct mail_message bad = message("four@citizen.example", "x\r\nBcc: all@example.org", "<bad@agency.example>");
	struct mail_session *m;
	char why[256] = "";

	a.to_name = "شهروند گرامی";
	a.html = "<p dir=\"rtl\">سلام، پاسخ شما آماده است.</p>";
	b.text = "Your code is 1405-000123.\n.\nA line with a dot alone above.\n";
	c.list_unsubscribe = "mailto:unsubscribe@agency.example";
	if (!(m = open_on(&s, url)))
		return;
	is_int(mail_send(m, &a, why, sizeof(why)), DELIVERED, "the Persian message is sent %s", why);
	is_int(mail_send(m, &bad, why, sizeof(why)), DELIVERY_FAILED, "the one with CR LF in its subject is refused");
	is_int(mail_send(m, &b, why, sizeof(why)), DELIVERED, "the ASCII one is sent %s", why);
	is_int(mail_send(m, &c, why, sizeof(why)), DELIVERED, "the digest is sent %s", why);
	mail_close(m);
}

/* The server refuses two recipients, for good and for now; the session goes on. */
static void
refusals(const char *url)
{
	struct mail_settings s = settings;
	struct mail_message msg = message("nobody@citizen.example", "x", "<r1@agency.example>");
	struct mail_session *m = open_on(&s, url);
	char why[256] = "", want[300];

	if (!m)
		return;
	is_int(mail_send(m, &msg, why, sizeof(why)), DELIVERY_FAILED, "550 to the recipient: failed for good");
	snprintf(want, sizeof(want), "%s: 550 no such user", url);
	ok(strcmp(why, want) == 0, "why names the server and its reply: %s", why);
	msg.to = "later@citizen.example";
	msg.message_id = "<r2@agency.example>";
	is_int(mail_send(m, &msg, why, sizeof(why)), DELIVERY_RETRY, "451: try again later");
	ok(strstr(why, "451") != NULL, "why has the code: %s", why);
	msg.to = "after@citizen.example";
	msg.message_id = "<r3@agency.example>";
	is_int(mail_send(m, &msg, why, sizeof(why)), DELIVERED, "and the next message still goes %s", why);
	mail_close(m);
}

/* No server: the run must stop, and say why without the password. */
static void
down(const char *url)
{
	struct mail_settings s = {.from = "noreply@agency.example", .user = "partake", .password = "s3cret-pass"};
	struct mail_message msg = message("one@citizen.example", "x", "<d1@agency.example>");
	struct mail_session *m = open_on(&s, url);
	char why[256] = "", *with_login = NULL;
	const char *rest = strstr(url, "://");

	if (!m)
		return;
	is_int(mail_send(m, &msg, why, sizeof(why)), DELIVERY_DOWN, "the server is not there: down");
	ok(strncmp(why, url, strlen(url)) == 0, "why names the server: %s", why);
	mail_close(m);
	if (rest && asprintf(&with_login, "%.*spartake:s3cret-pass@%s", (int)(rest + 3 - url), url, rest + 3) > 0) {
		s.url = with_login;
		m = mail_open(&s);
		is_int(m ? (int)mail_send(m, &msg, why, sizeof(why)) : -1, DELIVERY_DOWN, "down with a login in the URL too");
		ok(strstr(why, "s3cret") == NULL && strstr(why, "127.0.0.1") != NULL, "and why hides the password: %s", why);
		mail_close(m);
		free(with_login);
	}
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "unit", *url = getenv("PARTAKE_TEST_SMTP_URL");

	if (strcmp(mode, "words") == 0 && argc > 2) {
		char *w = mail_encode_words(argv[2], 9);

		printf("%s\n", w);
		free(w);
		return 0;
	}
	if (strcmp(mode, "unit") == 0)
		unit();
	else if (!url)
		ok(0, "PARTAKE_TEST_SMTP_URL is set");
	else if (strcmp(mode, "send") == 0)
		send_three(url);
	else if (strcmp(mode, "refuse") == 0)
		refusals(url);
	else if (strcmp(mode, "down") == 0)
		down(url);
	else
		ok(0, "known mode %s", mode);
	return tap_done();
}
