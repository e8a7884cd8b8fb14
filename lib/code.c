/* code.c — tracking codes with a Damm check digit. */
#include <errno.h>
#include <error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "code.h"
#include "text.h"
#include "util.h"

/* Damm's quasigroup: catches every single-digit error and adjacent swap. */
static const unsigned char damm[10][10] = {
	{0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
	{4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
	{6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
	{5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
	{9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

static int
damm_digit(const char *digits, size_t n)
{
	int interim = 0;

	for (size_t i = 0; i < n; i++)
		interim = damm[interim][digits[i] - '0'];
	return interim;
}

/* One random decimal digit, unbiased: bytes of 250 and over are thrown away. */
static int
random_digit(void)
{
	/* Each thread's own: a batch draws on two (case_draw, case_insert). */
	static _Thread_local unsigned char pool[512];
	static _Thread_local size_t left;

	for (;;) {
		if (left == 0) {
			size_t got = 0;
			while (got < sizeof pool) {
				ssize_t r = getrandom(pool + got, sizeof pool - got, 0);
				if (r < 0 && errno != EINTR)
					error(2, errno, "reading the kernel's random source");
				if (r > 0)
					got += (size_t)r;
			}
			left = sizeof pool;
		}
		unsigned char b = pool[--left];
		if (b < 250)
			return b % 10;
	}
}

tcode
code_generate(void)
{
	char d[CODE_LEN + 1];
	int first;

	/* A leading zero would be lost by spreadsheets and phone keypads. */
	while ((first = random_digit()) == 0)
		;
	d[0] = (char)('0' + first);
	for (int i = 1; i < CODE_LEN - 1; i++)
		d[i] = (char)('0' + random_digit());
	d[CODE_LEN - 1] = (char)('0' + damm_digit(d, CODE_LEN - 1));
	d[CODE_LEN] = '\0';
	return strtoll(d, NULL, 10);
}

int
code_parse(const char *text, tcode *out, const char **why)
{
	char *ascii = text_ascii_digits(text);
	char d[CODE_LEN + 1];
	size_t n = 0;
	int rc = -1;

	*why = "not a valid tracking code";
	for (const char *p = ascii; *p; p++) {
		if (*p == ' ' || *p == '-' || *p == '\t')
			continue;
		if (*p < '0' || *p > '9' || n == CODE_LEN)
			goto out;
		d[n++] = *p;
	}
	d[n] = '\0';
	if (n != CODE_LEN || d[0] == '0' || damm_digit(d, n) != 0)
		goto out;
	*out = strtoll(d, NULL, 10);
	*why = NULL;
	rc = 0;
out:
	free(ascii);
	return rc;
}

char *
code_format(tcode c, char *buf, size_t n)
{
	char d[24];
	size_t len = strlen(decimal(c, CODE_LEN, d));

	/* Every row of a listing has its code: no snprintf where it fits. */
	if (len < n)
		memcpy(buf, d, len + 1);
	else
		snprintf(buf, n, "%s", d);
	return buf;
}

char *
code_format_grouped(tcode c, char *buf, size_t n)
{
	char d[24], g[16];

	decimal(c, CODE_LEN, d);
	if (strlen(d) != CODE_LEN || n < sizeof "0000-0000-0000") {
		snprintf(buf, n, "%s", d);
		return buf;
	}
	memcpy(g, d, 4);
	g[4] = '-';
	memcpy(g + 5, d + 4, 4);
	g[9] = '-';
	memcpy(g + 10, d + 8, 5);
	memcpy(buf, g, 15);
	return buf;
}
