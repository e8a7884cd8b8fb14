/*
 * text.c — UTF-8 checks, the one rule of control characters (at input and
 * escaped at output), the Persian search normalization, digits in every
 * script.
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

/* Writes c at o, which has room for four bytes; returns the end. */
static char *
utf8_put(char *o, uint32_t c)
{
	if (c < 0x80) {
		*o++ = (char)c;
	} else if (c < 0x800) {
		*o++ = (char)(0xc0 | (c >> 6));
		*o++ = (char)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		*o++ = (char)(0xe0 | (c >> 12));
		*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*o++ = (char)(0x80 | (c & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (c >> 18));
		*o++ = (char)(0x80 | ((c >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*o++ = (char)(0x80 | (c & 0x3f));
	}
	return o;
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
		unsigned c = p[i];
		chars++;
		if (c < 0x80) {
			if (c == 0)
				return -1;
			i++;
			/* Runs of ASCII (blanks, digits, Latin words) go eight bytes at
			 * a time; tried after an ASCII byte only, so Persian letters
			 * (two bytes each) do not pay for the try. */
			while (n - i >= 8) {
				uint64_t v;
				memcpy(&v, p + i, 8);
				if ((v | ((v - 0x0101010101010101ull) & ~v)) & 0x8080808080808080ull)
					break;	/* a byte with its high bit set, or a NUL */
				i += 8;
				chars += 8;
			}
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {	/* two bytes: Persian and Arabic letters */
			if (n - i < 2 || (p[i + 1] & 0xc0) != 0x80)
				return -1;
			i += 2;
			continue;
		}
		size_t len;
		unsigned lo = 0x80, hi = 0xbf;	/* the range of the second byte */
		if (c >= 0xe0 && c <= 0xef)
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

/*
 * Each code point of s mapped (0: dropped), in a new string. Written in
 * place, not a buf_add a character: this is the full-text index's
 * normalization of every text of every case, and the router's.
 */
static char *
map_codepoints(const char *s, uint32_t (*map)(uint32_t))
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), cap = n + 16;
	char *out = xmalloc(cap), *o = out;
	uint32_t c;

	while (n > 0) {
		size_t len = utf8_decode(p, n, &c);
		if (len == 0)
			len = 1, c = 0xfffd;
		uint32_t m = map(c);
		if ((size_t)(o - out) + 4 >= cap) {
			size_t at = (size_t)(o - out);
			out = xrealloc(out, cap *= 2);
			o = out + at;
		}
		if (m != 0)
			o = utf8_put(o, m);
		p += len, n -= len;
	}
	*o = '\0';
	return out;
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

/*
 * The one rule of what text may hold, for the checks at input and the
 * escapes at output. C0, DEL and C1 controls move a terminal's cursor,
 * clear its screen or start an escape sequence (C1's U+009B is CSI); the
 * bidi embeddings, overrides and isolates reorder what follows them on the
 * line. The marks Persian needs (ZWNJ U+200C, ZWJ, LRM U+200E, RLM U+200F,
 * ALM U+061C) only join or place letters: they are text.
 */
static bool
is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0);
}

static bool
is_bidi_control(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* Is c, followed by the byte next, refused in a text of this kind? */
static bool
refused_in(enum text_kind kind, uint32_t c, unsigned char next)
{
	if (c == '\t' || c == '\n')
		return kind == TEXT_LINE;
	if (c == '\r')	/* a CRLF is a line end; a lone CR rewrites the line shown */
		return kind == TEXT_LINE || (kind == TEXT_LINES && next != '\n');
	if (is_control(c))
		return true;
	return is_bidi_control(c) && kind != TEXT_RECEIVED;
}

static bool is_continuation(unsigned char b) { return (b & 0xc0) == 0x80; }

/*
 * One pass for a table's cell: a table measured each cell, checked it and
 * copied it in three passes, 20% of a listing. A malformed byte is a
 * column ('?', as escape shows it); a NUL ends a sequence early as any
 * byte that is not a continuation does.
 */
size_t
text_shown_width(const char *s, bool one_line, bool *as_is)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	bool plain = true;

	while (*p) {
		uint32_t c = *p;
		size_t len;
		if (c < 0x80) {
			if (c >= 0x20 && c != 0x7f)
				w++;
			else if (c != '\n' || one_line)
				plain = false;
			p++;
			continue;
		}
		/* Persian and Arabic letters: two bytes, decoded in place. */
		if (c >= 0xc2 && c <= 0xdf && is_continuation(p[1]))
			c = ((c & 0x1f) << 6) | (p[1] & 0x3f), len = 2;
		else if ((len = utf8_decode(p, 4, &c)) == 0)
			len = 1, c = '?', plain = false;
		plain = plain && !is_control(c) && !is_bidi_control(c);
		w += (size_t)codepoint_width(c);
		p += len;
	}
	*as_is = plain;
	return w;
}

size_t
utf8_width(const char *s)
{
	bool as_is;

	return text_shown_width(s, false, &as_is);
}

/*
 * The first character of s that kind refuses: its position (1 for the
 * first character) and code point; 0 when there is none. A malformed
 * sequence counts as one character and is not a control (UTF-8 is
 * checked apart).
 */
static size_t
first_refused(const char *s, enum text_kind kind, uint32_t *refused)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), at = 0;

	for (size_t chars = 1; at < n; chars++) {
		uint32_t c = p[at];
		size_t len = 1;
		/* Printable ASCII is never refused; past ASCII only C1 (0xc2 …)
		 * and the bidi controls (0xe2 …) are: only those are decoded,
		 * the rest stepped over to the next lead byte (decoding every
		 * character of a Persian text was 7% of a JSON batch's reader). */
		if (c >= 0x20 && c < 0x7f) {
			at++;
			continue;
		}
		if (c == 0xc2 || c == 0xe2) {
			if ((len = utf8_decode(p + at, n - at, &c)) == 0)
				len = 1, c = 0xfffd;
		} else if (c >= 0x80) {
			while (is_continuation(p[at + len]))
				len++;
			at += len;
			continue;
		}
		if (refused_in(kind, c, p[at + len])) {
			*refused = c;
			return chars;
		}
		at += len;
	}
	return 0;
}

bool
text_has_control(const char *s, bool multiline)
{
	uint32_t c;

	return first_refused(s, multiline ? TEXT_LINES : TEXT_LINE, &c) != 0;
}

const char *
text_check(const char *v, size_t max, enum text_kind kind)
{
	static _Thread_local char why[96];
	uint32_t c;
	size_t at;

	if (v == NULL)
		return NULL;
	long chars = utf8_check_length(v);
	if (chars < 0)
		return "not valid UTF-8";
	if ((size_t)chars > max) {
		snprintf(why, sizeof why, "longer than %zu characters", max);
		return why;
	}
	if ((at = first_refused(v, kind, &c)) != 0) {
		snprintf(why, sizeof why, "contains a %scontrol character (U+%04X at character %zu)",
		    is_bidi_control(c) ? "bidi " : "", (unsigned)c, at);
		return why;
	}
	return NULL;
}

/* How a line end and a tab are shown: as a space (a table cell), as they are
 * (a record), or as \n and \t (a quote in a message). */
enum shown_as { SHOWN_CELL, SHOWN_LINES, SHOWN_QUOTE };

/*
 * Appends s to b with every control, bidi control and malformed byte
 * escaped visibly, stopping after max characters; returns the number of
 * characters in all of s (the rest only counted).
 */
static size_t
escape(struct buf *b, const char *s, enum shown_as how, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), at = 0, chars = 0;

	while (at < n) {
		uint32_t c = p[at];
		size_t len = 1;
		if (c >= 0x80 && (len = utf8_decode(p + at, n - at, &c)) == 0)
			len = 1;
		if (chars++ >= max) {
			at += len;
			continue;
		}
		if (len == 1 && c >= 0x80)	/* a byte that is not UTF-8 */
			buf_addf(b, "\\x%02x", p[at]);
		else if (c == '\r' && p[at + 1] == '\n' && how != SHOWN_QUOTE)
			buf_addc(b, how == SHOWN_CELL ? ' ' : '\n'), len = 2;
		else if ((c == '\n' || c == '\t') && how != SHOWN_QUOTE)
			buf_addc(b, how == SHOWN_CELL ? ' ' : (char)c);
		else if (c == '\n' || c == '\t' || c == '\r')
			buf_adds(b, c == '\n' ? "\\n" : c == '\t' ? "\\t" : "\\r");
		else if (is_control(c))
			buf_addf(b, "\\x%02x", (unsigned)c);
		else if (is_bidi_control(c))
			buf_addf(b, "<U+%04X>", (unsigned)c);
		else
			buf_add(b, (const char *)p + at, len);
		at += len;
	}
	return chars;
}

char *
text_for_terminal(const char *s, bool one_line)
{
	struct buf b = {0};
	bool as_is;

	/* Most of what a listing shows needs no escape: one pass to see, one copy. */
	text_shown_width(s, one_line, &as_is);
	if (as_is)
		return xstrdup(s);
	buf_grow(&b, strlen(s) + 16);
	escape(&b, s, one_line ? SHOWN_CELL : SHOWN_LINES, SIZE_MAX);
	return b.data;
}

const char *
text_quote(const char *s)
{
	/* 4 bytes a character at most, 8 for "<U+202E>", and the count after. */
	enum { SIZE = TEXT_QUOTE_CHARS * 8 + 48 };
	static _Thread_local char ring[TEXT_QUOTE_RING][SIZE];
	static _Thread_local unsigned next;
	char *out = ring[next++ % TEXT_QUOTE_RING];
	struct buf b = {0};

	if (s == NULL)
		s = "";
	buf_addc(&b, '\'');
	size_t chars = escape(&b, s, SHOWN_QUOTE, TEXT_QUOTE_CHARS);
	if (chars > TEXT_QUOTE_CHARS)
		buf_addf(&b, "…' (%zu characters)", chars);
	else
		buf_addc(&b, '\'');
	snprintf(out, SIZE, "%s", b.data);
	buf_free(&b);
	return out;
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
			if (len == 0 || is_control(c) || is_bidi_control(c))
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
