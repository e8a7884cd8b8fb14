/*
 * contact.c — the ways to reach a citizen or a unit, checked as people
 * type them: Iranian mobile numbers, national ids (with their check
 * digit), email addresses and office phones.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"
#include "text.h"
#include "util.h"

/* The digits of a number as people type it: blanks, dashes, brackets dropped. */
static const char *
digits_only(const char *in, char *out, size_t cap, bool allow_plus)
{
	char *ascii = text_ascii_digits(in);
	size_t n = 0;
	const char *why = NULL;

	for (const char *p = ascii; *p && why == NULL; p++) {
		if (*p == ' ' || *p == '-' || *p == '(' || *p == ')' || *p == '.')
			continue;
		if (*p == '+' && allow_plus && n == 0) {
			out[n++] = '+';
			continue;
		}
		if (!isdigit((unsigned char)*p))
			why = "only digits are allowed";
		else if (n + 1 >= cap)
			why = "too many digits";
		else
			out[n++] = *p;
	}
	out[n] = '\0';
	free(ascii);
	return why;
}

const char *
check_mobile(const char *in, char out[16])
{
	char d[32];
	const char *why = digits_only(in, d, sizeof d, true);
	const char *rest;

	if (why)
		return why;
	if (strncmp(d, "+98", 3) == 0)
		rest = d + 3;
	else if (strncmp(d, "0098", 4) == 0)
		rest = d + 4;
	else if (strncmp(d, "98", 2) == 0 && strlen(d) == 12)
		rest = d + 2;
	else if (d[0] == '0')
		rest = d + 1;
	else
		rest = d;
	if (strlen(rest) != 10 || rest[0] != '9' || strchr(rest, '+'))
		return "not an Iranian mobile number (09xxxxxxxxx)";
	out[0] = '0';
	memcpy(out + 1, rest, 11);
	return NULL;
}

const char *
check_national_id(const char *in, char out[16])
{
	char d[32];
	const char *why = digits_only(in, d, sizeof d, false);
	size_t n = strlen(d);

	if (why)
		return why;
	if (n < 8 || n > 10)
		return "a national id has 10 digits";
	memset(out, '0', 10 - n);	/* written without its leading zeros */
	memcpy(out + 10 - n, d, n + 1);
	if (strspn(out, (char[]){out[0], '\0'}) == 10)
		return "not a valid national id";
	int sum = 0;
	for (int i = 0; i < 9; i++)
		sum += (out[i] - '0') * (10 - i);
	int r = sum % 11, check = out[9] - '0';
	if (!(r < 2 ? check == r : check == 11 - r))
		return "not a valid national id (check digit)";
	return NULL;
}

const char *
check_email(const char *in)
{
	size_t n = strlen(in);
	const char *at = strchr(in, '@');

	if (n > 254)
		return "too long";
	if (at == NULL || at == in || strchr(at + 1, '@') || at - in > 64)
		return "not an email address";
	for (const char *p = in; p < at; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("()<>,;:\\\"[]", *p))
			return "not an email address";
	const char *label = at + 1;
	int labels = 0;
	for (const char *p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			if (p == label || *label == '-' || p[-1] == '-')
				return "not an email address";
			labels++;
			if (*p == '\0')
				break;
			label = p + 1;
		} else if (!isalnum((unsigned char)*p) && *p != '-') {
			return "not an email address";
		}
	}
	return labels >= 2 ? NULL : "not an email address";
}

/* An office number: digits, maybe a leading +, 4 to 15 of them. */
const char *
check_office_phone(const char *in, char out[24])
{
	char *ascii = text_ascii_digits(in);
	size_t n = 0;
	const char *why = NULL;

	for (const char *p = ascii; *p && !why; p++) {
		if (strchr(" -()", *p))
			continue;
		if ((*p == '+' && n == 0) || (*p >= '0' && *p <= '9'))
			out[n++] = *p;
		else
			why = "a phone number has only digits";
		if (n > 16)
			why = "too many digits for a phone number";
	}
	out[n] = '\0';
	free(ascii);
	if (!why && (n < 4))
		why = "too few digits for a phone number";
	return why;
}
