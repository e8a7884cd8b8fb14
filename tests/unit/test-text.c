/*
 * test-text.c — UTF-8 as checked, counted and measured (utf8_valid,
 * utf8_check_length, utf8_width: the fast paths for ASCII runs and
 * two-byte letters agree with the slow ones), the one rule of what text
 * may hold (text_check, by kind),
 * how a terminal is shown it (text_for_terminal), what a message may quote
 * (text_quote, text_excerpt), and the one line reader's limits: a NUL byte
 * or an over-long line refused, the next line still read.
 */
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "tap.h"
#include "text.h"
#include "util.h"

#define RLO "\xe2\x80\xae"	/* U+202E RIGHT-TO-LEFT OVERRIDE */
#define LRI "\xe2\x81\xa6"	/* U+2066 LEFT-TO-RIGHT ISOLATE */
#define CSI "\xc2\x9b"		/* U+009B, C1's CONTROL SEQUENCE INTRODUCER */
#define ZWNJ "\xe2\x80\x8c"
#define RLM "\xe2\x80\x8f"

static void
is_good(const char *v, enum text_kind kind, const char *name)
{
	const char *why = text_check(v, 1000, kind);

	ok(why == NULL, "text_check: %s", name);
	if (why)
		printf("#   refused: %s\n", why);
}

static void
is_refused(const char *v, enum text_kind kind, const char *want, const char *name)
{
	const char *why = text_check(v, 1000, kind);

	is_str(why, want, "text_check: %s", name);
}

static void
test_check(void)
{
	is_good("می" ZWNJ "روم " RLM "(۱۲۳)", TEXT_LINE, "Persian with ZWNJ and RLM is one line of text");
	is_good(NULL, TEXT_LINE, "no value passes");
	is_refused("a\x1b[2Jb", TEXT_LINE, "contains a control character (U+001B at character 2)",
	    "ESC in a line: the character and where");
	is_refused("ab" CSI "2J", TEXT_LINE, "contains a control character (U+009B at character 3)",
	    "C1's CSI in a line");
	is_refused("a\x7f", TEXT_LINE, "contains a control character (U+007F at character 2)",
	    "DEL in a line");
	is_refused("code " RLO "0000", TEXT_LINE,
	    "contains a bidi control character (U+202E at character 6)", "an override in a line");
	is_refused(LRI "x", TEXT_LINE, "contains a bidi control character (U+2066 at character 1)",
	    "an isolate in a line");
	is_refused("a\tb", TEXT_LINE, "contains a control character (U+0009 at character 2)",
	    "a tab in a line");
	is_refused("a\nb", TEXT_LINE, "contains a control character (U+000A at character 2)",
	    "a line end in a line");
	is_refused("bad \xff", TEXT_LINE, "not valid UTF-8", "invalid UTF-8");
	is_refused("bad \xc0\xaf", TEXT_LINE, "not valid UTF-8", "an overlong form");

	is_good("one\ntwo\tthree\r\nfour", TEXT_LINES, "the agency's lines: tabs, LF, CRLF");
	is_refused("first\rcode 0000-0000-0000", TEXT_LINES,
	    "contains a control character (U+000D at character 6)",
	    "the agency's lines: a lone CR, which rewrites the line shown");
	is_refused("a\n" RLO "b", TEXT_LINES,
	    "contains a bidi control character (U+202E at character 3)", "the agency's lines: an override");
	is_refused("a\n" CSI, TEXT_LINES, "contains a control character (U+009B at character 3)",
	    "the agency's lines: C1");

	is_good("first\rcode\n" RLO "abc" LRI, TEXT_RECEIVED,
	    "a citizen's text keeps a lone CR and bidi controls, escaped where shown");
	is_refused("a\x1b[2J", TEXT_RECEIVED, "contains a control character (U+001B at character 2)",
	    "a citizen's text: no ESC");
	is_refused("a" CSI, TEXT_RECEIVED, "contains a control character (U+009B at character 2)",
	    "a citizen's text: no C1");
	is_refused("a\x01", TEXT_RECEIVED, "contains a control character (U+0001 at character 2)",
	    "a citizen's text: no other C0");

	/* The bytes that can start a refused character also start text. */
	is_good("© ۱۴۰۴ — «خبر»", TEXT_LINE, "U+00A9 and U+2014 share their first bytes with C1 and bidi");
	is_refused("ششش\nشش\t" RLO, TEXT_LINES,
	    "contains a bidi control character (U+202E at character 8)",
	    "the agency's lines: an override past Persian, a line end and a tab, counted in characters");
	is_refused("بی" ZWNJ "توجهی «" RLO, TEXT_LINE,
	    "contains a bidi control character (U+202E at character 11)",
	    "an override past ZWNJ and a guillemet, counted in characters");
	ok(text_has_control("a\xc2" RLO, true) && text_has_control("a\xe2\x80" CSI, true),
	    "a control right after a broken sequence is still found");
	is_refused("شش" ZWNJ "ش\x1b", TEXT_RECEIVED,
	    "contains a control character (U+001B at character 5)", "a citizen's text: ESC past ZWNJ");

	ok(text_check("ششش", 2, TEXT_LINE) != NULL, "the length is in characters");
	ok(text_has_control("a\x1b", false) && text_has_control(RLO, true) &&
	    !text_has_control("a\nb", true), "text_has_control: the same rule");
}

static void
is_shown(const char *v, bool one_line, const char *want, const char *name)
{
	char *got = text_for_terminal(v, one_line);
	bool as_is;
	size_t width = text_shown_width(v, one_line, &as_is);

	is_str(got, want, "text_for_terminal: %s", name);
	ok(as_is == (strcmp(got, v) == 0) && width == utf8_width(v),
	    "text_shown_width: as is only when shown unchanged, utf8_width's columns: %s", name);
	free(got);
}

/* A table's one pass: the width and whether the cell needs its copy escaped. */
static void
is_as_is(const char *v, bool one_line, bool want, size_t want_width, const char *name)
{
	bool as_is;
	size_t width = text_shown_width(v, one_line, &as_is);

	ok(as_is == want && width == want_width, "text_shown_width: %s (%s, %zu columns)", name,
	    as_is ? "as is" : "escaped", width);
}

static void
test_terminal(void)
{
	is_shown("first\rcode 0000-0000-0000", true, "first\\rcode 0000-0000-0000",
	    "a lone CR is shown as \\r, so it cannot return to the start of the line");
	is_shown(CSI "2J" "\x1b[31m", true, "\\x9b2J\\x1b[31m", "C1 and ESC as \\xNN");
	is_shown("a" RLO "b" LRI "c", true, "a<U+202E>b<U+2066>c", "bidi controls by name");
	is_shown("a\x7f\x01", true, "a\\x7f\\x01", "DEL and other C0");
	is_shown("bad \xff\xfe", true, "bad \\xff\\xfe", "a malformed byte as \\xNN");
	is_shown("a\tb\nc\r\nd", true, "a b c d", "a cell: tabs and line ends are spaces");
	is_shown("a\tb\nc\r\nd\re", false, "a\tb\nc\nd\\re", "a record: lines kept, CRLF as LF");
	is_shown("می" ZWNJ "روم " RLM "۱۲", true, "می" ZWNJ "روم " RLM "۱۲",
	    "Persian, ZWNJ and RLM as they are");
	is_as_is("شکایت ۱۲", true, true, 8, "Persian letters and digits");
	is_as_is("a\nb", false, true, 2, "a line end in a record");
	is_as_is("a\nb", true, false, 2, "a line end in a cell");
	is_as_is("\xc2\xa0x", true, true, 2, "NO-BREAK SPACE, two bytes past C1");
	is_as_is("x" CSI, true, false, 1, "C1 CSI, two bytes decoded in place");
	is_as_is("ab" RLO, true, false, 3, "a bidi override, three bytes");
	is_as_is("ش\xd8", true, false, 2, "a letter cut at the end");
	is_as_is("\xc0\x80", true, false, 2, "an overlong NUL: two stray bytes");
	is_as_is("", true, true, 0, "nothing");
}

static void
test_quote(void)
{
	char buf[TEXT_EXCERPT_SIZE];
	char *big = xmalloc(1000001);

	is_str(text_quote("grievance"), "'grievance'", "text_quote: a word whole");
	is_str(text_quote("a\tb\n\x1b" RLO), "'a\\tb\\n\\x1b<U+202E>'", "text_quote: escaped, one line");
	memset(big, 'x', 1000000);
	big[1000000] = '\0';
	is_str(text_quote(big), "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' (1000000 characters)",
	    "text_quote: a long one cut, its length said");
	const char *a = text_quote("one"), *b = text_quote("two");
	ok(strcmp(a, "'one'") == 0 && strcmp(b, "'two'") == 0, "text_quote: two in one message");
	is_str(text_excerpt("\x1b" RLO "abcdef", buf), "'??ab…' (8 characters)",
	    "text_excerpt: four characters, controls as '?'");
	free(big);
}

/* A reader over these bytes, lines of at most max bytes. */
static struct lines *
reader(const char *bytes, size_t n, size_t max, FILE **f)
{
	struct lines_options opt = {.max = max};

	*f = fmemopen((void *)bytes, n, "r");
	return lines_open(*f, "input", &opt);
}

static void
test_lines(void)
{
	struct buf in = {0};
	FILE *f;

	buf_adds(&in, "\xef\xbb\xbf" "one\r\n");
	buf_add(&in, "1234-5678\0garbage\n", 18);
	buf_adds(&in, "three\n");
	for (int i = 0; i < 100000; i++)	/* far past the limit, in one line */
		buf_adds(&in, "0123456789");
	buf_adds(&in, "\nfour\n");
	buf_grow(&in, 1000);
	memset(in.data + in.len, 'y', 1000);	/* exactly the limit: a line */
	in.len += 1000;
	buf_adds(&in, "\nlast, with no line end");

	struct lines *l = reader(in.data, in.len, 1000, &f);
	size_t len;
	char *line;
	line = lines_next(l, &len);
	is_str(line, "one", "lines: the byte order mark and the CR go");
	ok(lines_next(l, &len) == NULL && lines_refused(l), "lines: a NUL byte refuses the line");
	is_str(lines_error(l), "input:2: contains a NUL byte", "lines: the message names the line");
	is_str(lines_why(l), "contains a NUL byte", "lines: and the why alone");
	line = lines_next(l, &len);
	is_str(line, "three", "lines: the line after it is read");
	ok(lines_next(l, &len) == NULL && lines_refused(l), "lines: a line of 1,000,000 bytes is refused");
	is_str(lines_error(l), "input:4: longer than 1000 bytes", "lines: saying the limit");
	line = lines_next(l, &len);
	is_str(line, "four", "lines: the rest of it skipped, the next line read");
	char *y = lines_next(l, &len);
	ok(y && len == 1000, "lines: a line of exactly the limit is read");
	line = lines_next(l, &len);
	is_str(line, "last, with no line end", "lines: the last line needs no end");
	ok(lines_next(l, &len) == NULL && !lines_refused(l) && lines_error(l) == NULL,
	    "lines: then a clean end");
	ok(lines_next(l, &len) == NULL, "lines: and it stays at the end");
	lines_close(l);
	fclose(f);

	/* A reader that stops at the first refused line never reads the rest of it. */
	l = reader(in.data + 32, in.len - 32, 1000, &f);	/* from the long line on */
	ok(lines_next(l, &len) == NULL && lines_refused(l), "lines: the long line first: refused");
	ok(ftell(f) == 1001, "lines: after 1,001 of its 1,000,000 bytes (read %ld)", ftell(f));
	lines_close(l);
	fclose(f);

	char *why;
	l = lines_open_path("tests/unit", NULL, &why);
	ok(l && lines_next(l, &len) == NULL && !lines_refused(l) && lines_error(l) &&
	    strstr(lines_error(l), "tests/unit: cannot read: Is a directory"),
	    "lines: a directory is a read error, not an end, and says why");
	lines_close(l);
	buf_free(&in);
}

static void
test_utf8(void)
{
	const char *persian = "شکایت از شهرداری منطقه ۱۲ درباره‌ی آسفالت خیابان";

	ok(utf8_valid(persian, strlen(persian)), "utf8_valid: Persian text with spaces and ZWNJ");
	is_int(utf8_check_length(persian), 48, "utf8_check_length: counts its characters");
	is_int(utf8_check_length("abcdefghijklmnopq شش rstuvwxyz0123"), 34,
	    "utf8_check_length: ASCII runs around two-byte letters");
	ok(!utf8_valid("abcdefgh\xd8", 9), "utf8_valid: a two-byte letter cut at the end");
	ok(!utf8_valid("\xd8" "a", 2), "utf8_valid: a lead byte without its continuation");
	ok(!utf8_valid("\xc1\xbf", 2), "utf8_valid: an overlong two-byte form");
	ok(!utf8_valid("\xed\xa0\x80", 3), "utf8_valid: a surrogate");
	ok(!utf8_valid("abcdefghij\0klmnop", 17), "utf8_valid: a NUL inside an ASCII run");
	ok(!utf8_valid("ش\0ش", 5), "utf8_valid: a NUL between letters");
	ok(utf8_valid("\xf0\x9f\x98\x80 \xe2\x80\x8c", 8), "utf8_valid: four and three bytes");
	is_int((long long)utf8_width("code  42"), 8, "utf8_width: ASCII, a column a byte");
	is_int((long long)utf8_width("می" ZWNJ "روم"), 5, "utf8_width: ZWNJ takes no column");
	is_int((long long)utf8_width("a\x1b" "b"), 2, "utf8_width: a control takes none");
	is_int((long long)utf8_width("\xe4\xb8\xad"), 2, "utf8_width: a wide character takes two");
	is_int((long long)utf8_width("ab\xd8"), 3, "utf8_width: a cut letter at the end is one '?'");
	is_int((long long)utf8_width("\xff" "a"), 2, "utf8_width: a stray byte is one '?'");
}

/* The maps of code points: the search form, and digits either way. */
static void
is_mapped(char *got, const char *want, const char *name)
{
	is_str(got, want, "%s", name);
	free(got);
}

static void
test_maps(void)
{
	is_mapped(text_normalize("كتاب يك ـمی" ZWNJ "روم ABC ١٢ ۳۴"), "کتاب یک می روم abc 12 34",
	    "text_normalize: Arabic kaf and yeh, tatweel, ZWNJ, case, both scripts' digits");
	is_mapped(text_normalize(""), "", "text_normalize: an empty text stays one");
	is_mapped(text_normalize("a\xff" "b"), "a\xef\xbf\xbd" "b", "text_normalize: a malformed byte is U+FFFD");
	is_mapped(text_ascii_digits("۰۹۱۲ ١٢٣ 45"), "0912 123 45", "text_ascii_digits: both scripts");
	/* Each ASCII digit becomes two bytes: the string outgrows its first room. */
	is_mapped(text_persian_digits("1404-01-02 1404-01-02 1404-01-02 1404-01-02"),
	    "۱۴۰۴-۰۱-۰۲ ۱۴۰۴-۰۱-۰۲ ۱۴۰۴-۰۱-۰۲ ۱۴۰۴-۰۱-۰۲", "text_persian_digits: a longer text");
}

int
main(void)
{
	test_utf8();
	test_check();
	test_maps();
	test_terminal();
	test_quote();
	test_lines();
	return tap_done();
}
