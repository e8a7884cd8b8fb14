/* fmt-tsv.c — TSV with a header line; \t \n \r \\ escaped, as intake reads them back. */
#include <stdio.h>
#include <string.h>

#include "fmt-backend.h"

static void
put_value(FILE *out, const char *s)
{
	/* The plain stretches in one write each: a putc a byte was a third of
	 * a listing's time. */
	for (;;) {
		size_t n = strcspn(s, "\t\n\r\\");
		fwrite_unlocked(s, 1, n, out);
		s += n;
		switch (*s) {
		case '\0': return;
		case '\t': fputs_unlocked("\\t", out); break;
		case '\n': fputs_unlocked("\\n", out); break;
		case '\r': fputs_unlocked("\\r", out); break;
		default: fputs_unlocked("\\\\", out); break;
		}
		s++;
	}
}

static const struct fmt_delimited tsv = {'\t', "\n", put_value};

const struct fmt_backend fmt_tsv = {.list_separator = "; ", .row = fmt_delimited_row,
    .end = fmt_delimited_end, .arg = &tsv, .keeps_none = fmt_never_keeps};
