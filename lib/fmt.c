/*
 * fmt.c — the printer's public face: the cells of each row are gathered
 * here, lists nested, and every whole row handed to the backend of the
 * chosen format (lib/fmt-*.c, one file each).
 */
#include <error.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fmt-backend.h"
#include "text.h"
#include "util.h"
#include "vocab.h"

/* The backend of each format, by enum fmt_kind; FMT_AUTO becomes a table.
 * The names --format takes are vocab's (format_vocab), in the same order. */
static const struct fmt_backend *const backends[] = {
	[FMT_AUTO] = &fmt_table, [FMT_TABLE] = &fmt_table, [FMT_TSV] = &fmt_tsv,
	[FMT_JSON] = &fmt_json, [FMT_CSV] = &fmt_csv, [FMT_CODES] = &fmt_codes,
	[FMT_RECORD] = &fmt_record, [FMT_XLSX] = &fmt_xlsx,
	[FMT_OPEN311_XML] = NULL, [FMT_OPEN311_JSON] = NULL,	/* documents: open311.h */
	[FMT_SVG] = &fmt_svg,
	[FMT_HTML] = NULL,	/* a document: preport's page */
};
_Static_assert(ARRAY_SIZE(backends) == FORMAT_COUNT + 1, "a backend for every format");

bool fmt_is_document(enum fmt_kind kind) { return backends[kind] == NULL; }

int
fmt_parse(const char *name)
{
	int i = vocab_parse(&format_vocab, name);

	return i < 0 ? -1 : FMT_TABLE + i;
}

const char *fmt_names(void) { return vocab_list(&format_vocab, ", "); }

bool fmt_can_draw(void) { return &fmt_svg != NULL; }

enum { NO_TEXT = (size_t)-1 };

static void
frame_init(struct fmt_frame *f, const struct column *cols, int ncols)
{
	*f = (struct fmt_frame){.cols = cols, .ncols = ncols};
	f->row = xcalloc((size_t)ncols, sizeof *f->row + sizeof *f->at);
	f->at = (size_t *)(f->row + ncols);
}

/* What a frame holds that no row took: its lists, its arrays and texts. */
static void
frame_free(struct fmt_frame *f)
{
	fmt_cells_free(f->row, f->filled);
	buf_free(&f->texts);
}

struct printer *
printer_open(FILE *out, enum fmt_kind kind, const struct column *cols, int ncols,
    const struct fmt_options *opt)
{
	if (fmt_is_document(kind))
		error(2, 0, "internal error: format %s is a document, not a printer's",
		    vocab_name(&format_vocab, kind - FMT_TABLE));
	struct printer *p = xcalloc(1, sizeof *p);

	p->out = out;
	p->be = backends[kind];
	if (p->be == NULL)
		error(2, 0, "internal error: a chart printed by a program without fmt-svg.c");
	p->cols = cols;
	p->ncols = ncols;
	if (opt)
		p->opt = *opt;
	frame_init(&p->base, cols, ncols);
	p->top = &p->base;
	return p;
}

/* The next cell of the row: its text (NULL: none) copied into the row's texts. */
static struct cell *
put_cell(struct printer *p, enum col_type type, const char *text, struct fmt_list *list)
{
	struct fmt_frame *f = p->top;

	if (f->filled >= f->ncols)
		error(2, 0, "internal error: more values than columns");
	f->at[f->filled] = NO_TEXT;
	if (text) {
		f->at[f->filled] = f->texts.len;
		buf_add(&f->texts, text, strlen(text) + 1);
	}
	f->row[f->filled] = (struct cell){.type = type, .list = list};
	return &f->row[f->filled++];
}

void printer_text(struct printer *p, const char *v) { put_cell(p, COL_TEXT, v, NULL); }
void
printer_int(struct printer *p, long long v)
{
	char num[24];

	put_cell(p, COL_INT, decimal(v, 1, num), NULL)->num = v;
}

void
printer_real(struct printer *p, double v, int decimals)
{
	char num[512];	/* the largest double, in full, and 17 places */

	decimals = decimals < 0 ? 0 : decimals > 17 ? 17 : decimals;
	if (isfinite(v))
		snprintf(num, sizeof num, "%.*f", decimals, v);
	put_cell(p, COL_REAL, isfinite(v) ? num : NULL, NULL);
}

void
printer_list_begin(struct printer *p, const struct column *cols, int ncols)
{
	struct fmt_frame *f = p->spare;

	if (p->top->filled >= p->top->ncols)
		error(2, 0, "internal error: a list after the last column");
	if (f && f->cols == cols && f->ncols == ncols) {
		p->spare = NULL;
	} else {
		f = xmalloc(sizeof *f);
		frame_init(f, cols, ncols);
	}
	f->list = xcalloc(1, sizeof *f->list);
	f->list->cols = cols;
	f->list->ncols = ncols;
	f->up = p->top;
	p->top = f;
}

void
printer_list_end(struct printer *p)
{
	struct fmt_frame *f = p->top;

	if (f->list == NULL || f->filled > 0)
		error(2, 0, "internal error: printer_list_end without a list or inside a sub-record");
	p->top = f->up;
	put_cell(p, COL_LIST, NULL, f->list);
	f->list = NULL;
	if (p->spare == NULL) {
		p->spare = f;	/* empty: printer_row emptied it */
		return;
	}
	frame_free(f);
	free(f);
}

static void
list_free(struct fmt_list *l)
{
	for (size_t r = 0; r < l->nrows; r++)
		fmt_cells_free(l->rows[r], l->ncols);
	free(l->rows);
	free(l);
}

/* Frees what n cells hold (texts of their own, lists), not the cells. */
static void
cells_release(struct cell *cells, int n)
{
	for (int i = 0; cells && i < n; i++) {
		if (!cells[i].text_in_row)
			free(cells[i].text);
		if (cells[i].list)
			list_free(cells[i].list);
	}
}

void
fmt_cells_free(struct cell *cells, int n)
{
	cells_release(cells, n);
	free(cells);
}

void
fmt_cell_set_text(struct cell *c, char *text)
{
	if (!c->text_in_row)
		free(c->text);
	c->text = text;
	c->text_in_row = false;
}

/* A list as one text: fields joined by a space, sub-records by sep, a list within in brackets. */
static void
flatten(struct buf *b, const struct fmt_list *l, const char *sep)
{
	for (size_t r = 0; r < l->nrows; r++) {
		bool field = false;
		if (r)
			buf_adds(b, sep);
		for (int i = 0; i < l->ncols; i++) {
			const struct cell *c = &l->rows[r][i];
			if (c->text == NULL && (c->list == NULL || c->list->nrows == 0))
				continue;
			if (field)
				buf_addc(b, ' ');
			field = true;
			if (c->list) {
				buf_addc(b, '[');
				flatten(b, c->list, sep);
				buf_addc(b, ']');
			} else {
				buf_adds(b, c->text);
			}
		}
	}
}

/* For a backend that shows lists as text: each list cell becomes its text. */
static void
flatten_lists(struct cell *cells, int n, const char *sep)
{
	for (int i = 0; i < n; i++) {
		struct buf b = {0};
		if (cells[i].list == NULL)
			continue;
		flatten(&b, cells[i].list, sep);
		list_free(cells[i].list);
		cells[i].list = NULL;
		fmt_cell_set_text(&cells[i], b.data ? b.data : xstrdup(""));
	}
}

/* Points the cells of a row of f at their texts, laid out as in f->texts. */
static void
point_texts(struct cell *row, const struct fmt_frame *f, char *texts)
{
	for (int i = 0; i < f->ncols; i++)
		if (f->at[i] != NO_TEXT) {
			row[i].text = texts + f->at[i];
			row[i].text_in_row = true;
		}
}

/* The whole row of f as one block, its texts after its cells; f is empty again. */
static struct cell *
row_made(struct fmt_frame *f)
{
	size_t cells = (size_t)f->ncols * sizeof *f->row;
	struct cell *row = xmalloc(cells + f->texts.len);
	char *texts = (char *)row + cells;

	memcpy(row, f->row, cells);
	if (f->texts.len)
		memcpy(texts, f->texts.data, f->texts.len);
	point_texts(row, f, texts);
	f->texts.len = 0;
	f->filled = 0;
	return row;
}

/*
 * A row for a backend that keeps none, given in f's own cells and buffer
 * and emptied after: a long listing in TSV made, copied and freed a block
 * of about a kilobyte a row (with malloc_consolidate, 4% of its time).
 */
static void
row_in_place(struct printer *p, struct fmt_frame *f)
{
	point_texts(f->row, f, f->texts.data);
	if (p->be->list_separator)
		flatten_lists(f->row, f->ncols, p->be->list_separator);
	p->be->row(p, f->row);
	cells_release(f->row, f->ncols);
	f->texts.len = 0;
	f->filled = 0;
}

void
printer_row(struct printer *p)
{
	struct fmt_frame *f = p->top;

	while (f->filled < f->ncols)
		put_cell(p, COL_TEXT, NULL, NULL);
	if (f->list == NULL && p->be->keeps_none && p->be->keeps_none(p)) {
		row_in_place(p, f);
		return;
	}
	struct cell *row = row_made(f);
	if (f->list) {
		struct fmt_list *l = f->list;
		if (l->nrows == l->cap) {
			l->cap = l->cap ? 2 * l->cap : 8;
			l->rows = xrealloc(l->rows, l->cap * sizeof *l->rows);
		}
		l->rows[l->nrows++] = row;
	} else {
		if (p->be->list_separator)
			flatten_lists(row, f->ncols, p->be->list_separator);
		if (!p->be->row(p, row))
			fmt_cells_free(row, f->ncols);
	}
}

int
printer_close(struct printer *p)
{
	int rc;

	if (p == NULL)
		return 0;
	if (p->be->end)
		p->be->end(p);
	while (p->top != &p->base) {	/* a list left open: drop what it held */
		struct fmt_frame *f = p->top;
		p->top = f->up;
		frame_free(f);
		list_free(f->list);
		free(f);
	}
	frame_free(&p->base);
	if (p->spare) {
		frame_free(p->spare);
		free(p->spare);
	}
	rc = !p->failed && fflush(p->out) == 0 && !ferror(p->out) ? 0 : -1;
	free(p);
	return rc;
}

bool
fmt_never_keeps(const struct printer *p)
{
	(void)p;
	return true;
}

bool printer_first_column_only(const struct printer *p) { return p->be == &fmt_codes; }

char *
fmt_shown(const struct printer *p, const char *v, bool one_line)
{
	char *digits = p->opt.persian_digits ? text_persian_digits(v) : NULL;
	char *shown = text_for_terminal(digits ? digits : v, one_line);

	free(digits);
	return shown;
}

size_t
fmt_shown_cell(const struct printer *p, struct cell *c)
{
	bool as_is;

	if (c->text == NULL)
		return 0;
	if (!p->opt.persian_digits) {
		size_t width = text_shown_width(c->text, true, &as_is);
		if (as_is)
			return width;
	}
	fmt_cell_set_text(c, fmt_shown(p, c->text, true));
	return utf8_width(c->text);
}

/* The header, once: an empty result still says what its columns are. */
void
fmt_delimited_end(struct printer *p)
{
	const struct fmt_delimited *d = p->be->arg;

	if (p->started)
		return;
	p->started = true;
	for (int i = 0; i < p->ncols; i++) {
		if (i)
			putc(d->sep, p->out);
		fputs(p->cols[i].name, p->out);
	}
	fputs(d->eol, p->out);
}

bool
fmt_delimited_row(struct printer *p, struct cell *cells)
{
	const struct fmt_delimited *d = p->be->arg;

	fmt_delimited_end(p);
	for (int i = 0; i < p->ncols; i++) {
		if (i)
			putc(d->sep, p->out);
		if (cells[i].text)
			d->put(p->out, cells[i].text);
	}
	fputs(d->eol, p->out);
	return false;
}
