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

static const struct fmt_delimited tsv = {'\t', "\n", put_value};

const struct fmt_backend fmt_tsv = {.list_separator = "; ", .row = fmt_delimited_row,
    .end = fmt_delimited_end, .arg = &tsv};
