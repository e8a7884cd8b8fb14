/*
 * text.c — UTF-8 checks, the Persian search normalization, digits in
 * every script.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

/* Decodes one code point; returns its length, or 0 when malformed. */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len;
	uint32_t c, min;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static void
utf8_encode(struct buf *b, uint32_t c)
{
	char s[4];
	size_t n;

	if (c < 0x80) {
		s[0] = (char)c, n = 1;
	} else if (c < 0x800) {
		s[0] = (char)(0xc0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3f)), n = 2;
	} else if (c < 0x10000) {
		s[0] = (char)(0xe0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f)), n = 3;
	} else {
		s[0] = (char)(0xf0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[3] = (char)(0x80 | (c & 0x3f)), n = 4;
	}
	buf_add(b, s, n);
}

/*
 * Walks UTF-8 once, checking it and counting its characters: a NUL, a stray
 * or missing continuation byte, an overlong form, a surrogate or a value past
 * U+10FFFF makes it invalid (-1).
 */
static long
utf8_scan(const unsigned char *p, size_t n)
{
	size_t i = 0;
	long chars = 0;

	while (i < n) {
		/* Runs of ASCII (blanks, digits, Latin words) go eight bytes at a time. */
		while (n - i >= 8) {
			uint64_t v;
			memcpy(&v, p + i, 8);
			if ((v | ((v - 0x0101010101010101ull) & ~v)) & 0x8080808080808080ull)
				break;	/* a byte with its high bit set, or a NUL */
			i += 8;
			chars += 8;
		}
		if (i == n)
			break;
		unsigned c = p[i];
		chars++;
		if (c < 0x80) {
			if (c == 0)
				return -1;
			i++;
			continue;
		}
		size_t len;
		unsigned lo = 0x80, hi = 0xbf;	/* the range of the second byte */
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
		else
			return -1;
		if (n - i < len || p[i + 1] < lo || p[i + 1] > hi)
			return -1;
		for (size_t k = 2; k < len; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return -1;
		i += len;
	}
	return chars;
}

bool
utf8_valid(const char *s, size_t n)
{
	return utf8_scan((const unsigned char *)s, n) >= 0;
}

long
utf8_check_length(const char *s)
{
	return utf8_scan((const unsigned char *)s, strlen(s));
}

static int
codepoint_width(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c < 0xa0))
		return 0;
	if ((c >= 0x300 && c <= 0x36f) || (c >= 0x610 && c <= 0x61a) ||
	    (c >= 0x64b && c <= 0x65f) || c == 0x670 ||
	    (c >= 0x6d6 && c <= 0x6ed) || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0xfe00 && c <= 0xfe0f))
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) ||
	    (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

size_t
utf8_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), w = 0;
	uint32_t c;

	while (n > 0) {
		size_t len = utf8_decode(p, n, &c);
		if (len == 0)
			len = 1, c = '?';
		w += (size_t)codepoint_width(c);
		p += len, n -= len;
	}
	return w;
}

/* The search form of one code point; 0 drops it. */
static uint32_t
normal_codepoint(uint32_t c)
{
	if (c < 0x80)
		return (uint32_t)tolower((int)c);
	if (c >= 0x6f0 && c <= 0x6f9)
		return '0' + (c - 0x6f0);
	if (c >= 0x660 && c <= 0x669)
		return '0' + (c - 0x660);
	if ((c >= 0x64b && c <= 0x65f) || c == 0x670 || c == 0x640 ||
	    c == 0x200d || (c >= 0x610 && c <= 0x61a))
		return 0;
	switch (c) {
	case 0x64a: case 0x649: return 0x6cc;	/* Arabic yeh, alef maksura */
	case 0x643: return 0x6a9;		/* Arabic kaf */
	case 0x629: case 0x6c0: return 0x647;	/* teh marbuta, heh with yeh */
	case 0x623: case 0x625: return 0x627;	/* alef with hamza */
	case 0x624: return 0x648;		/* waw with hamza */
	case 0x200c: case 0xa0: case 0x202f: return ' ';
	}
	return c;
}

static char *
map_codepoints(const char *s, uint32_t (*map)(uint32_t))
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	struct buf out = {0};
	uint32_t c;

	buf_grow(&out, n);
	while (n > 0) {
		size_t len = utf8_decode(p, n, &c);
		if (len == 0)
			len = 1, c = 0xfffd;
		uint32_t m = map(c);
		if (m != 0)
			utf8_encode(&out, m);
		p += len, n -= len;
	}
	return out.data;
}

char *text_normalize(const char *s) { return map_codepoints(s, normal_codepoint); }

static uint32_t
ascii_digit(uint32_t c)
{
	if (c >= 0x6f0 && c <= 0x6f9)
		return '0' + (c - 0x6f0);
	if (c >= 0x660 && c <= 0x669)
		return '0' + (c - 0x660);
	return c;
}

static uint32_t
persian_digit(uint32_t c)
{
	return c >= '0' && c <= '9' ? 0x6f0 + (c - '0') : c;
}

char *text_ascii_digits(const char *s) { return map_codepoints(s, ascii_digit); }
char *text_persian_digits(const char *s) { return map_codepoints(s, persian_digit); }

/* C0, DEL, C1, and the marks that reorder or hide text on a terminal. */
static bool
unsafe_on_terminal(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x200e || c == 0x200f ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

char *
text_excerpt(const char *s, char buf[TEXT_EXCERPT_SIZE])
{
	enum { SHOWN = 4 };
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), at = 0, chars = 0;
	char *out = buf;

	*out++ = '\'';
	while (at < n) {
		uint32_t c;
		size_t len = utf8_decode(p + at, n - at, &c);
		if (chars < SHOWN) {
			if (len == 0 || unsafe_on_terminal(c))
				*out++ = '?';
			else
				out = mempcpy(out, p + at, len);
		}
		at += len ? len : 1;
		chars++;
	}
	if (chars > SHOWN)
		snprintf(out, TEXT_EXCERPT_SIZE - (size_t)(out - buf), "…' (%zu characters)", chars);
	else
		strcpy(out, "'");
	return buf;
}

bool
text_has_control(const char *s, bool multiline)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
			return true;
		if (c == 0x7f)
			return true;
	}
	return false;
}

const char *
text_check(const char *v, size_t max, bool multiline)
{
	static char why[48];

	if (v == NULL)
		return NULL;
	long chars = utf8_check_length(v);
	if (chars < 0)
		return "not valid UTF-8";
	if ((size_t)chars > max) {
		snprintf(why, sizeof why, "longer than %zu characters", max);
		return why;
	}
	if (text_has_control(v, multiline))
		return "contains control characters";
	return NULL;
}

int
text_parse_long(const char *s, long lo, long hi, long *out)
{
	char *ascii = text_ascii_digits(s), *end;
	const char *p = ascii;
	long n;
	int rc = -1;

	/* strtol would take leading blanks and a "0x": a number here is digits only. */
	if (*p == '-' || *p == '+')
		p++;
	if (*p >= '0' && *p <= '9') {
		errno = 0;
		n = strtol(ascii, &end, 10);
		if (errno == 0 && *end == '\0' && n >= lo && n <= hi) {
			*out = n;
			rc = 0;
		}
	}
	free(ascii);
	return rc;
}
