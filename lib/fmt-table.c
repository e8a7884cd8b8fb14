/*
 * fmt-table.c — aligned columns for people, by display width, in memory
 * bounded by a page: the first TABLE_PAGE rows are kept to measure the
 * columns, then printed, and every later row is printed as it comes. A
 * later value wider than its column widens the column from its row on:
 * nothing is cut, and the rows above stay as they were printed (as psql
 * does with FETCH_COUNT). Numbers are aligned right; in a value, tabs and
 * line breaks become spaces and controls and bidi controls are escaped
 * (text_for_terminal), so a row stays one line and no stored text can
 * rewrite what the screen shows.
 */
#include <stdlib.h>

#include "fmt-backend.h"
#include "text.h"
#include "util.h"

enum { TABLE_PAGE = 1000 };

struct table {
	struct cell *page[TABLE_PAGE];	/* the first rows, until the widths are known */
	size_t n;
	bool streaming;			/* the first page is out: each row goes as it comes */
	size_t *width;
};

/* n spaces: a padding written by the block, not formatted by printf. */
static void
pad(FILE *out, size_t n)
{
	static const char spaces[] = "                                                                ";

	for (; n >= sizeof spaces - 1; n -= sizeof spaces - 1)
		fwrite_unlocked(spaces, 1, sizeof spaces - 1, out);
	fwrite_unlocked(spaces, 1, n, out);
}

static void
put_line(struct printer *p, const struct cell *cells, const size_t *width)
{
	for (int i = 0; i < p->ncols; i++) {
		const char *s = !cells ? p->cols[i].name : cells[i].text ? cells[i].text : "";
		bool number = cells && (cells[i].type == COL_INT || cells[i].type == COL_REAL);
		size_t w = cells ? cells[i].width : utf8_width(s), gap = width[i] > w ? width[i] - w : 0;
		if (i)
			fputs_unlocked("  ", p->out);
		if (number)
			pad(p->out, gap);
		fputs_unlocked(s, p->out);
		if (!number && i < p->ncols - 1)
			pad(p->out, gap);
	}
	putc_unlocked('\n', p->out);
}

/* The header and the rows kept so far, which are freed. */
static void
put_page(struct printer *p, struct table *t)
{
	put_line(p, NULL, t->width);
	for (size_t r = 0; r < t->n; r++) {
		put_line(p, t->page[r], t->width);
		fmt_cells_free(t->page[r], p->ncols);
	}
	t->n = 0;
	t->streaming = true;
}

static bool
row(struct printer *p, struct cell *cells)
{
	struct table *t = p->state;

	if (t == NULL) {
		t = p->state = xcalloc(1, sizeof *t);
		t->width = xcalloc((size_t)p->ncols, sizeof *t->width);
		for (int i = 0; i < p->ncols; i++)
			t->width[i] = utf8_width(p->cols[i].name);
	}
	for (int i = 0; i < p->ncols; i++) {
		cells[i].width = fmt_shown_cell(p, &cells[i]);
		if (cells[i].width > t->width[i])
			t->width[i] = cells[i].width;
	}
	if (t->streaming) {
		put_line(p, cells, t->width);
		return false;
	}
	t->page[t->n++] = cells;
	if (t->n == TABLE_PAGE)
		put_page(p, t);
	return true;
}

/* Past the first page, every row is printed as it comes. */
static bool
streaming(const struct printer *p)
{
	const struct table *t = p->state;

	return t && t->streaming;
}

static void
end(struct printer *p)
{
	struct table *t = p->state;

	if (t == NULL)
		return;
	if (!t->streaming)
		put_page(p, t);
	free(t->width);
	free(t);
	p->state = NULL;
}

const struct fmt_backend fmt_table = {.list_separator = "; ", .row = row, .end = end,
    .keeps_none = streaming};
