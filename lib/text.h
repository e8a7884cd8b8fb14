/*
 * text.h — what the agency's text must be before it is stored, and the
 * one Persian normalization that search and matching apply to both sides.
 */
#ifndef PARTAKE_TEXT_H
#define PARTAKE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 with no NUL and no overlong form. */
bool utf8_valid(const char *s, size_t n);
/* Characters in s when it is valid UTF-8 with no NUL, else -1: one pass. */
long utf8_check_length(const char *s);
/* Columns the string takes on a terminal (marks and ZWNJ take none). */
size_t utf8_width(const char *s);

/*
 * What a text field must be before it is stored: valid UTF-8 of at most max
 * characters, no control characters (but line ends and tabs when
 * multiline). NULL (also for NULL) when good, else why: a static text,
 * good until the next call.
 */
const char *text_check(const char *v, size_t max, bool multiline);
/* A control character (but line ends and tabs when multiline) in s. */
bool text_has_control(const char *s, bool multiline);

/*
 * The search form of a text: Arabic yeh and kaf become Persian, Persian and
 * Arabic-Indic digits become ASCII, tatweel and harakat go, ZWNJ becomes a
 * space (so "می‌روم" matches "می روم"), ASCII is folded to lower case.
 * Returns a new string.
 */
char *text_normalize(const char *s);
/*
 * What a message may quote of input it refuses: the first few characters,
 * quoted, then "…" and the length. Enough to find the line, never a whole
 * phone number or name; a control, a bidi override or a malformed byte is
 * shown as '?', so the input cannot drive the terminal. Returns buf.
 */
enum { TEXT_EXCERPT_SIZE = 64 };
char *text_excerpt(const char *s, char buf[TEXT_EXCERPT_SIZE]);
/* Persian and Arabic-Indic digits to ASCII, the rest unchanged; a new string. */
char *text_ascii_digits(const char *s);
/*
 * A whole number from lo to hi as typed: Latin, Persian or Arabic-Indic
 * digits, a leading '-' or '+'. 0 with *out set, or -1 (not a number, or
 * out of range).
 */
int text_parse_long(const char *s, long lo, long hi, long *out);
/* ASCII digits to Persian ones, for tables and pages; a new string. */
char *text_persian_digits(const char *s);

#endif
