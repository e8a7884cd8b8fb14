/*
 * fmt-xlsx.c — a workbook (Office Open XML, .xlsx) for people who open the
 * output in a spreadsheet, written by Debian's libxlsxwriter. Unlike CSV,
 * each cell carries its type, so nothing is guessed on opening: a text
 * column stays text (a phone keeps its leading 0, a tracking code is not
 * a number, a Solar Hijri date is not taken for a Gregorian one, a subject
 * that begins with '=' is not a formula), and COL_INT and COL_REAL are
 * numbers. The header row is bold, frozen and filtered, the columns as
 * wide as their text (up to a limit).
 *
 * libxlsxwriter 1.1 writes only to a named file, so the workbook is built
 * in a temporary file ($TMPDIR, else /tmp) and copied to the output at the
 * end; rows go out as they come (its constant-memory mode), so a long
 * listing costs no memory.
 *
 * The library is opened when a workbook is first asked for, not linked:
 * with the zip and crypto libraries it draws in, loading it cost every
 * command about 0.9 ms a start (pcase-status took 1.7 times a bare
 * sqlite3 look-up), and only -f xlsx uses it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "fmt-backend.h"
#include "text.h"
#include "util.h"

enum {
	CELL_MAX_CHARS = 32767,	/* Excel's limit on the characters of a cell */
	WIDTH_MAX = 60,		/* a column of long text is not wider than this */
	DECIMALS_MAX = 17,	/* printer_real's */
};

#ifndef XLSXWRITER_SONAME
#define XLSXWRITER_SONAME "libxlsxwriter.so.4"
#endif

#define LXW_FUNCTIONS(X) \
	X(workbook_new_opt) \
	X(workbook_add_worksheet) \
	X(workbook_add_format) \
	X(workbook_close) \
	X(format_set_bold) \
	X(format_set_num_format) \
	X(worksheet_write_string) \
	X(worksheet_write_number) \
	X(worksheet_freeze_panes) \
	X(worksheet_set_column) \
	X(worksheet_autofilter)

#define LXW_POINTER(name) __typeof__(name) *name;
static struct { LXW_FUNCTIONS(LXW_POINTER) } lxw;

/* True once every function of the library is at hand. */
static bool
lxw_load(void)
{
	static void *handle;

	if (handle)
		return true;
	void *h = dlopen(XLSXWRITER_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL)
		return false;
#define LXW_RESOLVE(name) if ((*(void **)&lxw.name = dlsym(h, #name)) == NULL) goto missing;
	LXW_FUNCTIONS(LXW_RESOLVE)
#undef LXW_RESOLVE
	handle = h;
	return true;
missing:
	dlclose(h);
	return false;
}

struct workbook {
	char *path;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *header;
	lxw_format *decimals[DECIMALS_MAX + 1];	/* "0.00"…, made when first needed */
	size_t *width;		/* of each column, in screen cells */
	lxw_row_t next_row;
	int why;		/* the errno of the first failure, for the command's message */
};

static void
failed(struct printer *p, struct workbook *w, int why)
{
	if (!p->failed)
		w->why = why;
	p->failed = true;
}

/* The workbook in a new temporary file, its header row written. */
static struct workbook *
open_workbook(struct printer *p)
{
	const char *dir = getenv("TMPDIR");
	struct workbook *w = xcalloc(1, sizeof *w);
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	w->width = xcalloc((size_t)p->ncols, sizeof *w->width);
	if (!lxw_load()) {
		failed(p, w, ELIBACC);	/* "Can not access a needed shared library" */
		return w;
	}
	w->path = xasprintf("%s/partake-xlsx.XXXXXX", dir);
	if ((fd = mkstemp(w->path)) < 0) {
		failed(p, w, errno);
		free(w->path);
		w->path = NULL;
		return w;
	}
	close(fd);
	lxw_workbook_options opt = {.constant_memory = 1, .tmpdir = (char *)dir};
	if ((w->wb = lxw.workbook_new_opt(w->path, &opt)) == NULL ||
	    (w->ws = lxw.workbook_add_worksheet(w->wb, NULL)) == NULL) {
		failed(p, w, EIO);
		return w;
	}
	w->header = lxw.workbook_add_format(w->wb);
	lxw.format_set_bold(w->header);
	for (int i = 0; i < p->ncols; i++) {
		w->width[i] = utf8_width(p->cols[i].name);
		lxw.worksheet_write_string(w->ws, 0, (lxw_col_t)i, p->cols[i].name, w->header);
	}
	lxw.worksheet_freeze_panes(w->ws, 1, 0);
	w->next_row = 1;
	return w;
}

/* The number format that shows as many places as the printer gave. */
static lxw_format *
decimals_format(struct workbook *w, const char *number)
{
	const char *dot = strchr(number, '.');
	size_t places = dot ? strlen(dot + 1) : 0;

	if (places == 0 || places > DECIMALS_MAX)
		return NULL;
	if (w->decimals[places] == NULL) {
		char pattern[DECIMALS_MAX + 3] = "0.";
		memset(pattern + 2, '0', places);
		pattern[2 + places] = '\0';
		w->decimals[places] = lxw.workbook_add_format(w->wb);
		lxw.format_set_num_format(w->decimals[places], pattern);
	}
	return w->decimals[places];
}

/* A text Excel can hold: past its limit, cut after a character and ended with "…". */
static const char *
cell_text(const char *s, char **cut)
{
	const char *last = NULL;	/* where the last character that fits begins */
	size_t chars = 0;

	*cut = NULL;
	for (const char *c = s; *c; c++) {
		if (((unsigned char)*c & 0xC0) == 0x80)
			continue;	/* within a character */
		if (++chars == CELL_MAX_CHARS)
			last = c;
		else if (chars > CELL_MAX_CHARS)
			return *cut = xasprintf("%.*s…", (int)(last - s), s);
	}
	return s;
}

static lxw_error
write_cell(struct workbook *w, int col, const struct cell *c)
{
	lxw_col_t x = (lxw_col_t)col;
	char *cut;
	lxw_error e;

	if (c->text == NULL)
		return LXW_NO_ERROR;
	switch (c->type) {
	case COL_INT:
		return lxw.worksheet_write_number(w->ws, w->next_row, x, strtod(c->text, NULL), NULL);
	case COL_REAL:
		return lxw.worksheet_write_number(w->ws, w->next_row, x, strtod(c->text, NULL),
		    decimals_format(w, c->text));
	default:
		e = lxw.worksheet_write_string(w->ws, w->next_row, x, cell_text(c->text, &cut), NULL);
		free(cut);
		return e;
	}
}

static bool
row(struct printer *p, struct cell *cells)
{
	struct workbook *w = p->state;

	if (w == NULL)
		w = p->state = open_workbook(p);
	if (p->failed)
		return false;
	if (w->next_row >= LXW_ROW_MAX) {	/* the most rows a worksheet holds */
		failed(p, w, EFBIG);
		return false;
	}
	for (int i = 0; i < p->ncols; i++) {
		if (write_cell(w, i, &cells[i]) != LXW_NO_ERROR) {
			failed(p, w, EIO);
			return false;
		}
		size_t width = cells[i].text ? utf8_width(cells[i].text) : 0;
		if (width > w->width[i])
			w->width[i] = width;
	}
	w->next_row++;
	return false;
}

/*
 * The finished workbook, from its temporary file to the output. The name
 * goes first, so that a reader that goes away (SIGPIPE) leaves no file.
 */
static void
copy_out(struct printer *p, struct workbook *w)
{
	FILE *in = fopen(w->path, "rb");
	char chunk[BUFSIZ];
	size_t n;

	if (in == NULL) {
		failed(p, w, errno);
		return;
	}
	unlink(w->path);
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
		if (fwrite(chunk, 1, n, p->out) != n) {
			failed(p, w, errno);
			break;
		}
	if (ferror(in))
		failed(p, w, EIO);
	fclose(in);
}

static void
end(struct printer *p)
{
	struct workbook *w = p->state ? p->state : open_workbook(p);

	if (w->wb) {
		for (int i = 0; w->ws && i < p->ncols; i++)
			lxw.worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i,
			    (double)(w->width[i] < WIDTH_MAX ? w->width[i] : WIDTH_MAX) + 2, NULL);
		if (w->ws)
			lxw.worksheet_autofilter(w->ws, 0, 0, w->next_row - 1, (lxw_col_t)(p->ncols - 1));
		if (lxw.workbook_close(w->wb) != LXW_NO_ERROR)
			failed(p, w, EIO);
		else if (!p->failed)
			copy_out(p, w);
	}
	if (w->path)
		unlink(w->path);
	if (p->failed)
		errno = w->why;	/* what failed, for the command's message */
	free(w->path);
	free(w->width);
	free(w);
	p->state = NULL;
}

const struct fmt_backend fmt_xlsx = {.list_separator = "; ", .row = row, .end = end};
