/*
 * fmt-csv.c — RFC 4180 CSV with a header line and CRLF line ends, for
 * programs: UTF-8 with no byte order mark, every value as it is. Not for a
 * spreadsheet, which guesses each value's type (a phone's leading 0 lost,
 * a Solar Hijri date read as Gregorian): that is fmt-xlsx.c's job.
 */
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

static const struct fmt_delimited csv = {',', "\r\n", put_value};

const struct fmt_backend fmt_csv = {.list_separator = "; ", .row = fmt_delimited_row,
    .end = fmt_delimited_end, .arg = &csv, .keeps_none = fmt_never_keeps};
