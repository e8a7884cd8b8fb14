/*
 * fmt.c — table, TSV, JSON, CSV, bare codes and records behind one
 * printer. JSON objects are made by SQLite's json_object(), so escaping is
 * SQLite's, not ours.
 */
#include <error.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "text.h"
#include "util.h"

static const char *const fmt_name[] = {
	[FMT_TABLE] = "table", [FMT_TSV] = "tsv", [FMT_JSON] = "json",
	[FMT_CSV] = "csv", [FMT_CODES] = "codes", [FMT_RECORD] = "record",
};

int
fmt_parse(const char *name)
{
	for (int i = FMT_TABLE; i <= FMT_RECORD; i++)
		if (strcmp(name, fmt_name[i]) == 0)
			return i;
	return -1;
}

const char *fmt_names(void) { return "table, tsv, json, csv, codes, record"; }

struct cell {
	char *text;	/* NULL: no value */
	enum col_type type;
};

struct printer {
	FILE *out;
	enum fmt_kind kind;
	const struct column *cols;
	int ncols;
	struct fmt_options opt;
	struct cell *row;	/* the row being filled */
	int filled;
	struct cell **rows;	/* table: every row until close */
	size_t nrows, caprows;
	sqlite3 *json_db;
	sqlite3_stmt *json_stmt;
	bool header_done;
	int failed;
};

static void
start_json(struct printer *p)
{
	struct buf sql = {0};

	if (sqlite3_open_v2(":memory:", &p->json_db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		error(2, 0, "cannot start SQLite for JSON output");
	buf_adds(&sql, "SELECT json_object(");
	for (int i = 0; i < p->ncols; i++)
		buf_addf(&sql, "%s?%d, %s?%d%s", i ? ", " : "", 2 * i + 1,
		    p->cols[i].type == COL_JSON ? "json(" : "", 2 * i + 2,
		    p->cols[i].type == COL_JSON ? ")" : "");
	buf_adds(&sql, ")");
	if (sqlite3_prepare_v2(p->json_db, sql.data, -1, &p->json_stmt, NULL) != SQLITE_OK)
		error(2, 0, "cannot prepare JSON output: %s", sqlite3_errmsg(p->json_db));
	for (int i = 0; i < p->ncols; i++)
		sqlite3_bind_text(p->json_stmt, 2 * i + 1, p->cols[i].name, -1, SQLITE_STATIC);
	buf_free(&sql);
}

struct printer *
printer_open(FILE *out, enum fmt_kind kind, const struct column *cols, int ncols,
    const struct fmt_options *opt)
{
	struct printer *p = xcalloc(1, sizeof *p);

	p->out = out;
	p->kind = kind == FMT_AUTO ? FMT_TABLE : kind;
	p->cols = cols;
	p->ncols = ncols;
	if (opt)
		p->opt = *opt;
	p->row = xcalloc((size_t)ncols, sizeof *p->row);
	if (p->kind == FMT_JSON)
		start_json(p);
	return p;
}

static void
put_cell(struct printer *p, char *text, enum col_type type)
{
	if (p->filled >= p->ncols)
		error(2, 0, "internal error: more values than columns");
	p->row[p->filled].text = text;
	p->row[p->filled].type = type;
	p->filled++;
}

void printer_text(struct printer *p, const char *v) { put_cell(p, v ? xstrdup(v) : NULL, COL_TEXT); }
void printer_json(struct printer *p, const char *v) { put_cell(p, v ? xstrdup(v) : NULL, COL_JSON); }
void printer_int(struct printer *p, long long v) { put_cell(p, xasprintf("%lld", v), COL_INT); }

static void
put_tsv_value(FILE *out, const char *s)
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

static void
put_csv_value(FILE *out, const char *s)
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

static void
put_header(struct printer *p)
{
	if (p->header_done)
		return;
	p->header_done = true;
	for (int i = 0; i < p->ncols; i++) {
		if (i)
			putc(p->kind == FMT_CSV ? ',' : '\t', p->out);
		fputs(p->cols[i].name, p->out);
	}
	fputs(p->kind == FMT_CSV ? "\r\n" : "\n", p->out);
}

static void
put_json_row(struct printer *p)
{
	sqlite3_stmt *st = p->json_stmt;

	for (int i = 0; i < p->ncols; i++) {
		struct cell *c = &p->row[i];
		int at = 2 * i + 2;
		if (c->text == NULL)
			sqlite3_bind_null(st, at);
		else if (c->type == COL_INT)
			sqlite3_bind_int64(st, at, strtoll(c->text, NULL, 10));
		else
			sqlite3_bind_text(st, at, c->text, -1, SQLITE_STATIC);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		fprintf(p->out, "%s\n", (const char *)sqlite3_column_text(st, 0));
	else
		error(0, 0, "JSON output: %s", sqlite3_errmsg(p->json_db));
	sqlite3_reset(st);
}

/* Table and record values are for people: Persian digits if configured. */
static char *
shown(struct printer *p, const char *v)
{
	return p->opt.persian_digits ? text_persian_digits(v) : xstrdup(v);
}

static void
put_record(struct printer *p)
{
	size_t w = 0;

	for (int i = 0; i < p->ncols; i++)
		if (strlen(p->cols[i].name) > w)
			w = strlen(p->cols[i].name);
	if (p->header_done)
		putc('\n', p->out);
	p->header_done = true;
	for (int i = 0; i < p->ncols; i++) {
		if (p->row[i].text == NULL || *p->row[i].text == '\0')
			continue;
		char *v = shown(p, p->row[i].text);
		fprintf(p->out, "%-*s  ", (int)w, p->cols[i].name);
		/* A multi-line value keeps its lines under the value column. */
		for (char *s = v; *s; s++) {
			putc(*s, p->out);
			if (*s == '\n')
				fprintf(p->out, "%*s  ", (int)w, "");
		}
		putc('\n', p->out);
		free(v);
	}
}

void
printer_row(struct printer *p)
{
	while (p->filled < p->ncols)
		put_cell(p, NULL, COL_TEXT);
	switch (p->kind) {
	case FMT_TABLE:
		if (p->nrows == p->caprows) {
			p->caprows = p->caprows ? 2 * p->caprows : 64;
			p->rows = xrealloc(p->rows, p->caprows * sizeof *p->rows);
		}
		p->rows[p->nrows++] = p->row;
		p->row = xcalloc((size_t)p->ncols, sizeof *p->row);
		p->filled = 0;
		return;
	case FMT_TSV:
	case FMT_CSV:
		put_header(p);
		for (int i = 0; i < p->ncols; i++) {
			if (i)
				putc(p->kind == FMT_CSV ? ',' : '\t', p->out);
			if (p->row[i].text)
				(p->kind == FMT_CSV ? put_csv_value : put_tsv_value)(p->out, p->row[i].text);
		}
		fputs(p->kind == FMT_CSV ? "\r\n" : "\n", p->out);
		break;
	case FMT_JSON:
		put_json_row(p);
		break;
	case FMT_CODES:
		if (p->row[0].text) {
			fputs(p->row[0].text, p->out);
			putc(p->opt.null_separated ? '\0' : '\n', p->out);
		}
		break;
	case FMT_RECORD:
		put_record(p);
		break;
	case FMT_AUTO:
		break;
	}
	for (int i = 0; i < p->ncols; i++) {
		free(p->row[i].text);
		p->row[i].text = NULL;
	}
	p->filled = 0;
}

/* One line of a table cell: tabs and newlines would break the columns. */
static char *
table_cell(struct printer *p, const char *v)
{
	char *s = shown(p, v ? v : "");

	for (char *c = s; *c; c++)
		if (*c == '\n' || *c == '\t' || *c == '\r')
			*c = ' ';
	return s;
}

static void
put_table(struct printer *p)
{
	size_t *width = xcalloc((size_t)p->ncols, sizeof *width);

	for (int i = 0; i < p->ncols; i++)
		width[i] = utf8_width(p->cols[i].name);
	for (size_t r = 0; r < p->nrows; r++)
		for (int i = 0; i < p->ncols; i++) {
			char *s = table_cell(p, p->rows[r][i].text);
			size_t w = utf8_width(s);
			free(p->rows[r][i].text);
			p->rows[r][i].text = s;
			if (w > width[i])
				width[i] = w;
		}
	for (long r = -1; r < (long)p->nrows; r++) {
		for (int i = 0; i < p->ncols; i++) {
			const char *s = r < 0 ? p->cols[i].name : p->rows[r][i].text;
			bool number = r >= 0 && p->rows[r][i].type == COL_INT;
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
	free(width);
}

int
printer_close(struct printer *p)
{
	int rc;

	if (p == NULL)
		return 0;
	if (p->kind == FMT_TABLE && p->nrows > 0)
		put_table(p);
	if (p->kind == FMT_TSV || p->kind == FMT_CSV)
		put_header(p);	/* an empty result still says what its columns are */
	for (size_t r = 0; r < p->nrows; r++) {
		for (int i = 0; i < p->ncols; i++)
			free(p->rows[r][i].text);
		free(p->rows[r]);
	}
	free(p->rows);
	for (int i = 0; i < p->filled; i++)
		free(p->row[i].text);
	free(p->row);
	if (p->json_stmt)
		sqlite3_finalize(p->json_stmt);
	if (p->json_db)
		sqlite3_close(p->json_db);
	rc = fflush(p->out) == 0 && !ferror(p->out) ? 0 : -1;
	free(p);
	return rc;
}
