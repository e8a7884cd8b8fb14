/* fmt-codes.c — the first column alone, one a line (or NUL-ended): what the next command reads. */
#include "fmt-backend.h"

static bool
row(struct printer *p, struct cell *cells)
{
	if (cells[0].text) {
		fputs(cells[0].text, p->out);
		putc(p->opt.null_separated ? '\0' : '\n', p->out);
	}
	return false;
}

const struct fmt_backend fmt_codes = {.list_separator = "; ", .row = row,
    .keeps_none = fmt_never_keeps};
