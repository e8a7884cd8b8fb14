/* fmt-tsv.c — TSV with a header line; \t \n \r \\ escaped, as intake reads them back. */
#include "fmt-backend.h"

static void
put_value(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '\t': fputs("\\t", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\\': fputs("\\\\", out); break;
		default: putc(*s, out);
		}
}

static bool
row(struct printer *p, struct cell *cells)
{
	fmt_delimited_row(p, cells, '\t', "\n", put_value);
	return false;
}

/* An empty result still says what its columns are. */
static void end(struct printer *p) { fmt_delimited_header(p, '\t', "\n"); }

const struct fmt_backend fmt_tsv = {.list_separator = "; ", .row = row, .end = end};
