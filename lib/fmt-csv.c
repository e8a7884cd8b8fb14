/* fmt-csv.c — RFC 4180 CSV with a header line and CRLF line ends, for spreadsheets. */
#include <string.h>

#include "fmt-backend.h"

static void
put_value(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	putc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', out);
		putc(*s, out);
	}
	putc('"', out);
}

static bool
row(struct printer *p, struct cell *cells)
{
	fmt_delimited_row(p, cells, ',', "\r\n", put_value);
	return false;
}

/* An empty result still says what its columns are. */
static void end(struct printer *p) { fmt_delimited_header(p, ',', "\r\n"); }

const struct fmt_backend fmt_csv = {.list_separator = "; ", .row = row, .end = end};
