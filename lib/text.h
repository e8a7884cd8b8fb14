/*
 * text.h — what the agency's text must be before it is stored, how a
 * terminal and a message are shown it, and the one Persian normalization
 * that search and matching apply to both sides.
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
 * What a text must be before it is stored: valid UTF-8 of at most max
 * characters, and by its kind
 *   TEXT_LINE      one line (a name, a subject, a note, a reason): no C0
 *                  control, no DEL, no C1 control, no bidi embedding,
 *                  override or isolate (U+202A-U+202E, U+2066-U+2069);
 *   TEXT_LINES     lines the agency writes (an answer, a service's steps):
 *                  tabs and line ends (LF, CRLF) too, but no lone CR;
 *   TEXT_RECEIVED  lines a citizen sent (a case's body): a lone CR and
 *                  bidi controls too, since phones and word processors put
 *                  them in and a complaint is not refused for what the
 *                  citizen cannot see; they are kept as sent and escaped
 *                  wherever they are shown (text_for_terminal).
 * The marks Persian text needs (ZWNJ, ZWJ, LRM, RLM, ALM) are text in all
 * three. NULL (also for NULL) when good, else why ("contains a control
 * character (U+001B at character 3)"): a static text, good until the next
 * call.
 */
enum text_kind { TEXT_LINE, TEXT_LINES, TEXT_RECEIVED };
const char *text_check(const char *v, size_t max, enum text_kind kind);
/* A character text_check refuses in a text of that kind (one line, or lines the agency writes). */
bool text_has_control(const char *s, bool multiline);
/*
 * s as a terminal may show it, a new string: a control character as \r or
 * \xNN (C1 too: U+009B is \x9b), a bidi control as <U+202E>, a malformed
 * byte as \xNN, so that no stored text can move the cursor, start an escape
 * sequence or reorder the line it is shown on. one_line (a table cell): tabs
 * and line ends (LF, CRLF) become spaces; else (a record) they stay, a CRLF
 * as LF.
 */
char *text_for_terminal(const char *s, bool one_line);
/*
 * The columns s takes (utf8_width's), and in the same pass *as_is: true
 * when text_for_terminal(s, one_line) would give s back unchanged (valid
 * UTF-8, no control or bidi control, a line end only when !one_line).
 */
size_t text_shown_width(const char *s, bool one_line, bool *as_is);

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
 * phone number or name; a control, a bidi control or a malformed byte is
 * shown as '?', so the input cannot drive the terminal. For a line of piped
 * input, which may be a citizen's row. Returns buf.
 */
enum { TEXT_EXCERPT_SIZE = 64 };
char *text_excerpt(const char *s, char buf[TEXT_EXCERPT_SIZE]);
/*
 * What a message may quote of a word it refuses (an option's value, an
 * operand, a field of a configuration or rules file): in quotes, escaped as
 * text_for_terminal escapes a line (a tab as \t, a line end as \n), cut
 * after TEXT_QUOTE_CHARS characters with "…' (N characters)". The text is
 * in one of a few buffers of the calling thread: good for a message that
 * quotes up to TEXT_QUOTE_RING words, until the next such message.
 */
enum { TEXT_QUOTE_CHARS = 32, TEXT_QUOTE_RING = 4 };
const char *text_quote(const char *s);
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
