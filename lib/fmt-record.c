/*
 * fmt-record.c — one "field  value" line per field and a blank line
 * between records, for reading one case at a time. A value's further
 * lines (and a list's further sub-records) stay under the value column,
 * which is as far in as the widest label (Persian ones too) is wide.
 * Controls and bidi controls in a value are escaped (text_for_terminal),
 * so that no stored text can rewrite a line shown above or beside it.
 */
#include <stdlib.h>

#include "fmt-backend.h"
#include "text.h"

static bool
row(struct printer *p, struct cell *cells)
{
	size_t w = 0;

	for (int i = 0; i < p->ncols; i++)
		if (utf8_width(p->cols[i].name) > w)
			w = utf8_width(p->cols[i].name);
	if (p->started)
		putc('\n', p->out);
	p->started = true;
	for (int i = 0; i < p->ncols; i++) {
		if (cells[i].text == NULL || *cells[i].text == '\0')
			continue;
		char *v = fmt_shown(p, cells[i].text, false);
		fprintf(p->out, "%s%*s  ", p->cols[i].name,
		    (int)(w - utf8_width(p->cols[i].name)), "");
		for (char *s = v; *s; s++) {
			putc(*s, p->out);
			if (*s == '\n')
				fprintf(p->out, "%*s  ", (int)w, "");
		}
		putc('\n', p->out);
		free(v);
	}
	return false;
}

const struct fmt_backend fmt_record = {.list_separator = "\n", .row = row};
