/*
 * fmt-table.c — aligned columns for people, by display width: every row
 * is kept until the end, when the widths are known. Numbers are aligned
 * right; a value's tabs and line breaks become spaces, so a row stays one
 * line.
 */
#include <stdlib.h>

#include "fmt-backend.h"
#include "text.h"
#include "util.h"

struct rows {
	struct cell **row;
	size_t n, cap;
};

static bool
row(struct printer *p, struct cell *cells)
{
	struct rows *t = p->state;

	if (t == NULL)
		t = p->state = xcalloc(1, sizeof *t);
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->row = xrealloc(t->row, t->cap * sizeof *t->row);
	}
	t->row[t->n++] = cells;
	return true;
}

/* One line of a table cell, as shown. */
static char *
one_line(struct printer *p, const char *v)
{
	char *s = fmt_shown(p, v ? v : "");

	for (char *c = s; *c; c++)
		if (*c == '\n' || *c == '\t' || *c == '\r')
			*c = ' ';
	return s;
}

static void
put_line(struct printer *p, const struct cell *cells, const size_t *width)
{
	for (int i = 0; i < p->ncols; i++) {
		const char *s = cells ? cells[i].text : p->cols[i].name;
		bool number = cells && (cells[i].type == COL_INT || cells[i].type == COL_REAL);
		size_t pad = width[i] - utf8_width(s);
		if (i)
			fputs("  ", p->out);
		if (number)
			fprintf(p->out, "%*s", (int)pad, "");
		fputs(s, p->out);
		if (!number && i < p->ncols - 1)
			fprintf(p->out, "%*s", (int)pad, "");
	}
	putc('\n', p->out);
}

static void
end(struct printer *p)
{
	struct rows *t = p->state;
	size_t *width;

	if (t == NULL)
		return;
	width = xcalloc((size_t)p->ncols, sizeof *width);
	for (int i = 0; i < p->ncols; i++)
		width[i] = utf8_width(p->cols[i].name);
	for (size_t r = 0; r < t->n; r++)
		for (int i = 0; i < p->ncols; i++) {
			char *s = one_line(p, t->row[r][i].text);
			size_t w = utf8_width(s);
			free(t->row[r][i].text);
			t->row[r][i].text = s;
			if (w > width[i])
				width[i] = w;
		}
	put_line(p, NULL, width);
	for (size_t r = 0; r < t->n; r++) {
		put_line(p, t->row[r], width);
		fmt_cells_free(t->row[r], p->ncols);
	}
	free(width);
	free(t->row);
	free(t);
	p->state = NULL;
}

const struct fmt_backend fmt_table = {.list_separator = "; ", .row = row, .end = end};
