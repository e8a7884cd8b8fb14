/*
 * fmt-backend.h — what fmt.c shares with its backends (lib/fmt-*.c), and
 * with no caller: the cells of a row, the table of functions a backend
 * fills in, and the helpers more than one backend needs. A new format is
 * one fmt-NAME.c defining `const struct fmt_backend fmt_NAME`, one line in
 * fmt.c's table of names and its FMT_ value in fmt.h.
 */
#ifndef PARTAKE_FMT_BACKEND_H
#define PARTAKE_FMT_BACKEND_H

#include "fmt.h"
#include "util.h"

struct fmt_list;

/* One value of a row, as the caller gave it. */
struct cell {
	enum col_type type;
	char *text;		/* NULL: no value; numbers in decimal */
	bool text_in_row;	/* text lies in the row's own block, freed with it */
	long long num;		/* COL_INT: the number itself */
	struct fmt_list *list;	/* COL_LIST: the sub-records */
	size_t width;		/* the table's: text's display width, measured once */
};

/* The value of a COL_LIST column: records with their own columns. */
struct fmt_list {
	const struct column *cols;
	int ncols;
	struct cell **rows;
	size_t nrows, cap;
};

struct fmt_backend {
	/*
	 * A list reaches row() as text, its sub-records joined by this and
	 * their fields by a space; NULL: the backend takes lists as they are.
	 */
	const char *list_separator;
	/* One whole row of p->ncols cells; true when the backend keeps them. */
	bool (*row)(struct printer *p, struct cell *cells);
	/* True when row() will not keep the next row (will return false): it is
	 * then given the printer's own cells, good until it returns, not a
	 * copy of them. NULL: every row is copied for it. */
	bool (*keeps_none)(const struct printer *p);
	/* From printer_close, before the output is flushed; may be NULL. */
	void (*end)(struct printer *p);
	const void *arg;	/* the backend's own constants */
};

/*
 * A row being filled: the printer's own, or a sub-record of a list. Its
 * texts are gathered in one buffer (at: each cell's place in it, NO_TEXT
 * for none) and the row made one block, cells and texts, when it is whole:
 * a long listing paid a malloc and a free for every text of every row.
 */
struct fmt_frame {
	const struct column *cols;
	int ncols;
	struct cell *row;
	size_t *at;		/* in the same allocation as row */
	struct buf texts;
	int filled;
	struct fmt_list *list;	/* where a finished sub-record goes; NULL at the top */
	struct fmt_frame *up;
};

struct printer {
	FILE *out;
	const struct fmt_backend *be;
	const struct column *cols;
	int ncols;
	struct fmt_options opt;
	struct fmt_frame base;
	struct fmt_frame *top;	/* the row calls fill */
	struct fmt_frame *spare;	/* the last list's, for the next list of its columns:
					 * a listing has a list in every row */
	bool started;		/* a header or a first record is out */
	bool failed;		/* the backend could not write: printer_close fails */
	void *state;		/* the backend's own */
};

extern const struct fmt_backend fmt_table, fmt_tsv, fmt_csv, fmt_json, fmt_codes, fmt_record,
    fmt_xlsx;
/* The chart (fmt-svg.c) needs libxml2, which only a command that draws
 * links: the reference is weak, NULL in the others (fmt_can_draw). */
extern const struct fmt_backend fmt_svg __attribute__((weak));

/* Frees n cells and what they hold, and the array. */
void fmt_cells_free(struct cell *cells, int n);
/* A cell's text replaced by text (a new string the cell now owns). */
void fmt_cell_set_text(struct cell *c, char *text);
/* A value for people (table, record): Persian digits if configured, and
 * escaped for a terminal (text_for_terminal: one_line in a table cell); a
 * new string. */
char *fmt_shown(const struct printer *p, const char *v, bool one_line);
/* A table cell made what people see (fmt_shown, one line), copied only
 * when that differs from its text; returns its width. NULL stays NULL. */
size_t fmt_shown_cell(const struct printer *p, struct cell *c);
/* keeps_none for a backend that never keeps a row. */
bool fmt_never_keeps(const struct printer *p);
/* TSV and CSV: fields joined by sep, each written by put, lines ended by eol. */
struct fmt_delimited {
	char sep;
	const char *eol;
	void (*put)(FILE *out, const char *value);
};
/* Their row() and end(), with a struct fmt_delimited as the backend's arg. */
bool fmt_delimited_row(struct printer *p, struct cell *cells);
void fmt_delimited_end(struct printer *p);

#endif
