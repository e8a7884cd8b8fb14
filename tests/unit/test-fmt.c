/*
 * test-fmt.c — every backend of the printer, byte for byte: text, numbers,
 * no value, a list; the xlsx workbook cell by cell, as tests/sheet-cells.py
 * reads it.
 */
#include <stdlib.h>
#include <unistd.h>

#include "fmt.h"
#include "json.h"
#include "tap.h"
#include "util.h"

static const struct column sub_cols[] = {{"at", COL_TEXT}, {"what", COL_TEXT}, {"n", COL_INT}};
static const struct column cols[] = {
	{"code", COL_TEXT}, {"n", COL_INT}, {"score", COL_REAL}, {"note", COL_TEXT},
	{"history", COL_LIST},
};

/* Two rows through a printer of this kind; the output, to free, and its length. */
static char *
print_sized(enum fmt_kind kind, bool persian, size_t *size)
{
	struct fmt_options opt = {.persian_digits = persian};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct printer *p = printer_open(f, kind, cols, 5, &opt);

	printer_text(p, "a \"q\"\tb,c\nd بـ۱");
	printer_int(p, 42);
	printer_real(p, 3.14159, 2);
	printer_text(p, NULL);
	printer_list_begin(p, sub_cols, 3);
	printer_text(p, "1405-09-01");
	printer_text(p, "received");
	printer_int(p, 7);
	printer_row(p);
	printer_text(p, "x");
	printer_text(p, NULL);
	printer_row(p);
	printer_list_end(p);
	printer_row(p);

	printer_text(p, "99");
	printer_int(p, -5);
	printer_real(p, 0.5, 1);
	printer_text(p, "plain");
	printer_list_begin(p, sub_cols, 3);
	printer_list_end(p);
	printer_row(p);
	ok(printer_close(p) == 0, "format %d: printer_close succeeds", kind);
	fclose(f);
	*size = len;
	return out;
}

static char *
print(enum fmt_kind kind, bool persian)
{
	size_t len;

	return print_sized(kind, persian, &len);
}

static void
check(enum fmt_kind kind, bool persian, const char *want, const char *name)
{
	char *got = print(kind, persian);

	is_str(got, want, "%s", name);
	free(got);
}

static void
test_json_parses_back(void)
{
	char *out = print(FMT_JSON, false);
	char *nl = strchr(out, '\n');
	struct json_fault fault;
	json_t *o = json_parse_object(out, (size_t)(nl - out), &fault);
	bool nul;

	ok(o != NULL, "json: the first line parses back");
	is_str(json_text(json_object_get(o, "code"), &nul), "a \"q\"\tb,c\nd بـ۱", "json: the text comes back");
	ok(json_integer_value(json_object_get(o, "n")) == 42, "json: the integer comes back");
	ok(json_real_value(json_object_get(o, "score")) == 3.14, "json: the real comes back rounded");
	ok(json_is_null(json_object_get(o, "note")), "json: no value is null");
	json_t *h = json_object_get(o, "history");
	ok(json_array_size(h) == 2, "json: the list is an array of two");
	is_str(json_text(json_object_get(json_array_get(h, 0), "what"), &nul), "received",
	    "json: a sub-record's field");
	json_decref(o);
	free(out);
}

static void
test_misuse_is_harmless(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct printer *p = printer_open(f, FMT_TSV, cols, 2, NULL);

	printer_real(p, 0.0 / 0.0, 2);	/* not finite: no value */
	printer_list_begin(p, sub_cols, 3);
	printer_text(p, "left open");
	ok(printer_close(p) == 0, "a list left open is dropped at close");
	fclose(f);
	is_str(out, "code\tn\n", "tsv: only the header, nothing of the unfinished row");
	free(out);
}

/* The cells of a workbook, one "REF\tTYPE\tVALUE" line each, from tests/sheet-cells.py; to free. */
static char *
sheet_cells(const char *data, size_t len)
{
	const char *dir = getenv("TMPDIR");
	char *path = xasprintf("%s/test-fmt.XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	struct buf got = {0};
	char line[65536 * 4];

	if (fd < 0 || write(fd, data, len) != (ssize_t)len || close(fd) != 0) {
		free(path);
		return NULL;
	}
	char *cmd = xasprintf("python3 tests/sheet-cells.py %s", path);
	FILE *in = popen(cmd, "r");
	while (in && fgets(line, sizeof line, in))
		buf_adds(&got, line);
	if (in == NULL || pclose(in) != 0)
		buf_adds(&got, "(sheet-cells.py failed)");
	unlink(path);
	free(path);
	free(cmd);
	return got.data ? got.data : xstrdup("");
}

static void
test_xlsx(void)
{
	size_t len;
	char *out = print_sized(FMT_XLSX, false, &len);

	ok(len > 4 && memcmp(out, "PK\3\4", 4) == 0, "xlsx: a zip archive");
	char *cells = sheet_cells(out, len);
	is_str(cells,
	    "A1\ttext\tcode\nB1\ttext\tn\nC1\ttext\tscore\nD1\ttext\tnote\nE1\ttext\thistory\n"
	    "A2\ttext\ta \"q\"\\tb,c\\nd بـ۱\nB2\tnumber\t42\nC2\tnumber\t3.14\n"
	    "E2\ttext\t1405-09-01 received 7; x\n"
	    "A3\ttext\t99\nB3\tnumber\t-5\nC3\tnumber\t0.5\nD3\ttext\tplain\n",
	    "xlsx: a header row, text as text (\"99\" too), numbers as numbers, no value empty");
	free(cells);
	free(out);

	/* Past Excel's 32767 characters a cell, a text is cut and marked. */
	static const struct column one[] = {{"body", COL_TEXT}};
	struct buf body = {0}, want = {0};
	for (int i = 0; i < 40000; i++)
		buf_adds(&body, "ب");
	buf_adds(&want, "A1\ttext\tbody\nA2\ttext\t");
	buf_add(&want, body.data, 32766 * strlen("ب"));
	buf_adds(&want, "…\nA3\ttext\t");
	buf_add(&want, body.data, 32767 * strlen("ب"));
	buf_adds(&want, "\n");
	out = NULL;
	FILE *f = open_memstream(&out, &len);
	struct printer *p = printer_open(f, FMT_XLSX, one, 1, NULL);
	printer_text(p, body.data);
	printer_row(p);
	body.data[32767 * strlen("ب")] = '\0';	/* exactly the limit: kept whole */
	printer_text(p, body.data);
	printer_row(p);
	ok(printer_close(p) == 0, "xlsx: a long text is written");
	fclose(f);
	cells = sheet_cells(out, len);
	ok(cells && strcmp(cells, want.data) == 0,
	    "xlsx: 40000 characters cut to 32766 and '…', 32767 kept whole");
	free(cells);
	free(out);
	buf_free(&body);
	buf_free(&want);
}

/* Rows through a printer of two text columns; the output so far, after each is flushed. */
static void
test_table_streams(void)
{
	static const struct column two[] = {{"code", COL_TEXT}, {"subject", COL_TEXT}};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct printer *p = printer_open(f, FMT_TABLE, two, 2, NULL);

	for (int r = 0; r < 999; r++) {
		printer_text(p, "ab");
		printer_text(p, "s");
		printer_row(p);
	}
	fflush(f);
	is_int(len, 0, "table: the first rows are kept, to measure the columns");
	printer_text(p, "ab");
	printer_text(p, "s");
	printer_row(p);
	fflush(f);
	is_int(len, strlen("code  subject\n") + 1000 * strlen("ab    s\n"),
	    "table: the first page of 1000 rows is printed once it is full");
	size_t page = len;
	printer_text(p, "abcdefgh");
	printer_text(p, "wide");
	printer_row(p);
	printer_text(p, "ab");
	printer_text(p, "s");
	printer_row(p);
	printer_text(p, "\x1b");
	printer_text(p, NULL);
	printer_row(p);
	printer_text(p, "شکایت");
	printer_text(p, "a\tb");
	printer_row(p);
	fflush(f);
	is_str(out + page, "abcdefgh  wide\nab        s\n\\x1b      \nشکایت     a b\n",
	    "table: later rows go out as they come (escaped, no value as none, measured by"
	    " columns); a wider value widens its column from its row on");
	ok(printer_close(p) == 0, "table: closes");
	fclose(f);
	free(out);
}

/* A stored text that would drive the terminal: table and record show it escaped. */
static void
test_hostile_values(void)
{
	static const struct column two[] = {{"code", COL_TEXT}, {"body", COL_TEXT}};
	const char *body = "first\rcode 0000-0000-0000 \xc2\x9b" "2J\x1b]0;x\x07 \xe2\x80\xae" "dcba";
	static const enum fmt_kind kinds[] = {FMT_TABLE, FMT_RECORD};

	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
		enum fmt_kind kind = kinds[k];
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		struct printer *p = printer_open(f, kind, two, 2, NULL);
		printer_text(p, "1234");
		printer_text(p, body);
		printer_row(p);
		printer_close(p);
		fclose(f);
		is_str(out, kind == FMT_TABLE
		    ? "code  body\n1234  first\\rcode 0000-0000-0000 \\x9b2J\\x1b]0;x\\x07 <U+202E>dcba\n"
		    : "code  1234\nbody  first\\rcode 0000-0000-0000 \\x9b2J\\x1b]0;x\\x07 <U+202E>dcba\n",
		    "%s: CR, C1, ESC, BEL and an override are escaped", kind == FMT_TABLE ? "table" : "record");
		free(out);
	}
}

/*
 * A text that is not UTF-8 is mended (U+FFFD for the bad byte) and its row
 * kept, among the first rows and among those the encoders take; the rows
 * after it, and a value that changes kind (no value, a number, a text),
 * come out as they were given.
 */
static void
test_json_mends_bad_text(void)
{
	static const struct column two[] = {{"t", COL_TEXT}, {"n", COL_INT}};
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	struct printer *p = printer_open(f, FMT_JSON, two, 2, NULL);
	struct buf want = {0};

	for (int i = 0; i < 1200; i++) {
		char t[32];
		bool bad = i == 3 || i == 900;	/* the first rows; past them, the encoders' */
		snprintf(t, sizeof t, bad ? "bad \xff %d" : "ok %d", i);
		printer_text(p, i % 7 == 5 ? NULL : t);
		if (i % 5 == 1)
			printer_text(p, "n/a");
		else if (i % 5 == 2)
			printer_text(p, NULL);
		else
			printer_int(p, i);
		printer_row(p);
		buf_adds(&want, "{\"t\":");
		if (i % 7 == 5)
			buf_adds(&want, "null");
		else
			buf_addf(&want, bad ? "\"bad \xef\xbf\xbd %d\"" : "\"ok %d\"", i);
		if (i % 5 == 1)
			buf_adds(&want, ",\"n\":\"n/a\"}\n");
		else if (i % 5 == 2)
			buf_adds(&want, ",\"n\":null}\n");
		else
			buf_addf(&want, ",\"n\":%d}\n", i);
	}
	ok(printer_close(p) == 0, "json: a listing with bad text closes");
	fclose(f);
	is_str(out, want.data, "json: bad text mended, its row kept, in the first rows and the encoders'");
	free(out);
	buf_free(&want);
}

int
main(void)
{
	check(FMT_TSV, false,
	    "code\tn\tscore\tnote\thistory\n"
	    "a \"q\"\\tb,c\\nd بـ۱\t42\t3.14\t\t1405-09-01 received 7; x\n"
	    "99\t-5\t0.5\tplain\t\n",
	    "tsv: escapes tab and newline, a list joined with '; '");
	check(FMT_CSV, false,
	    "code,n,score,note,history\r\n"
	    "\"a \"\"q\"\"\tb,c\nd بـ۱\",42,3.14,,1405-09-01 received 7; x\r\n"
	    "99,-5,0.5,plain,\r\n",
	    "csv: quotes what needs it, doubles quotes");
	check(FMT_JSON, false,
	    "{\"code\":\"a \\\"q\\\"\\tb,c\\nd بـ۱\",\"n\":42,\"score\":3.14,\"note\":null,"
	    "\"history\":[{\"at\":\"1405-09-01\",\"what\":\"received\",\"n\":7},"
	    "{\"at\":\"x\",\"what\":null,\"n\":null}]}\n"
	    "{\"code\":\"99\",\"n\":-5,\"score\":0.5,\"note\":\"plain\",\"history\":[]}\n",
	    "json: escapes, numbers, null, non-ASCII as itself, an array of objects");
	check(FMT_CODES, false, "a \"q\"\tb,c\nd بـ۱\n99\n", "codes: the first column");
	check(FMT_TABLE, false,
	    "code             n   score  note   history\n"
	    "a \"q\" b,c d بـ۱  42   3.14         1405-09-01 received 7; x\n"
	    "99               -5    0.5  plain  \n",
	    "table: one line a row, numbers to the right");
	check(FMT_TABLE, true,
	    "code             n   score  note   history\n"
	    "a \"q\" b,c d بـ۱  ۴۲   ۳.۱۴         ۱۴۰۵-۰۹-۰۱ received ۷; x\n"
	    "۹۹               -۵    ۰.۵  plain  \n",
	    "table: Persian digits when asked");
	check(FMT_RECORD, false,
	    "code     a \"q\"\tb,c\n"
	    "         d بـ۱\n"
	    "n        42\n"
	    "score    3.14\n"
	    "history  1405-09-01 received 7\n"
	    "         x\n"
	    "\n"
	    "code     99\n"
	    "n        -5\n"
	    "score    0.5\n"
	    "note     plain\n",
	    "record: a sub-record a line under the field, no value left out");
	check(FMT_RECORD, true,
	    "code     a \"q\"\tb,c\n"
	    "         d بـ۱\n"
	    "n        ۴۲\n"
	    "score    ۳.۱۴\n"
	    "history  ۱۴۰۵-۰۹-۰۱ received ۷\n"
	    "         x\n"
	    "\n"
	    "code     ۹۹\n"
	    "n        -۵\n"
	    "score    ۰.۵\n"
	    "note     plain\n",
	    "record: Persian digits when asked");
	test_json_parses_back();
	test_json_mends_bad_text();
	test_misuse_is_harmless();
	test_table_streams();
	test_hostile_values();
	test_xlsx();
	return tap_done();
}
