/*
 * fmt.h — the one printer every command writes its output through, with a
 * backend per format, so a new command gets every format for free.
 */
#ifndef PARTAKE_FMT_H
#define PARTAKE_FMT_H

#include <stdbool.h>
#include <stdio.h>

enum fmt_kind {
	FMT_AUTO,	/* not chosen: the command decides (table on a terminal) */
	FMT_TABLE,	/* aligned columns for people, by display width */
	FMT_TSV,	/* a header line, tab-separated, \t \n \\ escaped */
	FMT_JSON,	/* one object per line */
	FMT_CSV,	/* RFC 4180 with a header line, for programs */
	FMT_CODES,	/* the first column alone: what the next command reads */
	FMT_RECORD,	/* one "field  value" line per field, a blank line between */
	FMT_XLSX,	/* a workbook for spreadsheets: every cell typed, text as text */
	/*
	 * Documents of a standard, not rows: Open311 GeoReport v2 requests or
	 * services, in XML or JSON (open311.h). Their shape is the standard's
	 * (a root, entries, fixed fields, a status mapped from ours), not the
	 * caller's columns, so no printer backend writes them: the printer
	 * stays the one writer of every listing, and these are written by
	 * open311.c alone, for the two listings that have an Open311 form
	 * (pcase-list, pservice list). Keeping them out of the printer also
	 * keeps libxml2 out of every command but those two.
	 */
	FMT_OPEN311_XML,
	FMT_OPEN311_JSON,
	FMT_SVG,	/* a bar chart (fmt-svg.c, through libxml2): only a command that
			 * links it (fmt_can_draw) and names its bar (fmt_options.chart) */
	FMT_HTML,	/* a page of its own (page.h), RTL with charts: a document, like
			 * Open311's, written by the command that has one (preport) */
};

/* FMT_* for a name, or -1; the names for help and errors. */
int fmt_parse(const char *name);
const char *fmt_names(void);
/* A format that is a document of its own (FMT_OPEN311_*), which printer_open refuses. */
bool fmt_is_document(enum fmt_kind kind);

/*
 * COL_LIST: the value is a list of records with their own columns. JSON
 * writes an array of objects; the other formats write it as text, the
 * fields of a sub-record joined by a space (empty ones left out) and the
 * sub-records by "; " (table, tsv, csv, codes) or each on its own line
 * under the field (record); a list within a list is put in brackets.
 */
enum col_type { COL_TEXT, COL_INT, COL_REAL, COL_LIST };

struct column {
	const char *name;
	enum col_type type;
};

struct fmt_options {
	bool null_separated;	/* codes end with NUL, not newline (-0) */
	bool persian_digits;	/* in table and record output */
	/* FMT_SVG: the columns of each bar's label (NULL: the first), its
	 * length (a share from 0 to 1) and, when given, its interval; a title. */
	const char *chart_label, *chart_value, *chart_low, *chart_high, *chart_title;
	/* FMT_SVG as columns instead: up to two columns of counts ("a,b"), each
	 * row a group of columns read right to left (a trend over months), with
	 * a legend of the series' names (chart_legend, "name a,name b"). */
	const char *chart_series, *chart_legend;
};

/* This program has the chart backend (only those that link libxml2 do). */
bool fmt_can_draw(void);

struct printer;
struct printer *printer_open(FILE *out, enum fmt_kind kind, const struct column *cols,
    int ncols, const struct fmt_options *opt);
/* One call per column, in order, then printer_row(). */
void printer_text(struct printer *p, const char *value);	/* NULL: no value */
void printer_int(struct printer *p, long long value);
/* A number with `decimals` (0-17) places; not finite: no value. JSON gets
 * the number, the other formats the decimal text (right-aligned in a table). */
void printer_real(struct printer *p, double value, int decimals);
/*
 * The value of the current column is a list: after printer_list_begin, the
 * calls above and printer_row() fill its sub-records, one a row, in the
 * given columns; printer_list_end() closes it, and the next call fills the
 * next column of the outer row.
 */
void printer_list_begin(struct printer *p, const struct column *cols, int ncols);
void printer_list_end(struct printer *p);
void printer_row(struct printer *p);
/* Prints what is buffered and frees; 0, or -1 when the output failed. */
int printer_close(struct printer *p);
/* True when the printer shows the first column alone (codes): a caller may
 * leave the other columns unfilled, and skip reading them. */
bool printer_first_column_only(const struct printer *p);

#endif
