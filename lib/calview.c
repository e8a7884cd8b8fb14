/*
 * calview.c — what pcal shows: the columns and rows of convert, add,
 * between, holidays and month, and the month grid's text.
 */
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "calview.h"
#include "clock.h"
#include "exitcode.h"
#include "text.h"
#include "util.h"

/* The columns every row about a day ends with. */
#define DAY_COLUMNS {"jalali", COL_TEXT}, {"gregorian", COL_TEXT}, {"weekday", COL_TEXT}
static const struct column convert_columns[] = {{"date", COL_TEXT}, DAY_COLUMNS,
	{"written", COL_TEXT}};
static const struct column add_columns[] = {{"date", COL_TEXT}, {"from", COL_TEXT},
	{"days", COL_INT}, DAY_COLUMNS};
static const struct column between_columns[] = {{"days", COL_INT}, {"from", COL_TEXT},
	{"to", COL_TEXT}};
static const struct column explain_columns[] = {{"date", COL_TEXT}, {"weekday", COL_TEXT},
	{"why", COL_TEXT}, {"title", COL_TEXT}};
static const struct column holiday_columns[] = {DAY_COLUMNS, {"kind", COL_TEXT},
	{"status", COL_TEXT}, {"title", COL_TEXT}, {"title_en", COL_TEXT}};
static const struct column month_columns[] = {{"date", COL_TEXT}, DAY_COLUMNS,
	{"week", COL_INT}, {"why", COL_TEXT}, {"title", COL_TEXT}};
#define PRINTER(v, on_terminal, elsewhere, cols) \
	(v)->printer(on_terminal, elsewhere, cols, (int)ARRAY_SIZE(cols))

/* Closes p: EXIT_OK, or EXIT_FATAL when the output failed. */
static int
close_printer(struct calview *v, struct printer *p)
{
	if (printer_close(p) == 0)
		return EXIT_OK;
	v->why = xstrdup("write error");
	return EXIT_FATAL;
}

/* A date read: its local day, the time (-1: none), the calendar to show it in
 * (other: the other one, as converting does); or why not. */
static const char *
read_day(const struct calview *v, const char *text, long *day, int *sec,
    enum cal_system *cal, bool other)
{
	struct cal_when w;
	const char *why;

	if (cal_parse(text, v->input, &w, &why) != 0)
		return why;
	*day = cal_when_local_day(&w, sec);
	*cal = v->output != CAL_AUTO ? v->output : !other ? w.cal
	    : w.cal == CAL_GREGORIAN ? CAL_JALALI : CAL_GREGORIAN;
	return NULL;
}

/* An operand's date; 0, or -1 with v->why naming it. */
static int
read_operand(struct calview *v, const char *text, long *day, enum cal_system *cal)
{
	int sec;
	const char *bad = read_day(v, text, day, &sec, cal, false);

	if (bad)
		v->why = xasprintf("%s: %s", text_quote(text), bad);
	return bad ? -1 : 0;
}

/* add's N; 0, or -1 with v->why. */
static int
read_count(struct calview *v, const char *text, long *count)
{
	if (text_parse_long(text, -100000, 100000, count) == 0)
		return 0;
	v->why = xasprintf("%s: not a whole number of working days", text_quote(text));
	return -1;
}

static void
print_day(struct printer *p, long day, int sec, enum cal_system cal)
{
	char buf[48];

	printer_text(p, cal_format_when(day, sec, cal_latin(cal), buf, sizeof buf));
}

static void
print_both(struct printer *p, long day)
{
	print_day(p, day, -1, CAL_JALALI);
	print_day(p, day, -1, CAL_GREGORIAN);
	printer_text(p, cal_weekday_abbr(cal_weekday(day)));
}

/* add's row: `to`, count working days after `from`. */
static void
add_row(struct printer *p, long from, long count, long to, enum cal_system cal)
{
	print_day(p, to, -1, cal);
	print_day(p, from, -1, cal);
	printer_int(p, count);
	print_both(p, to);
	printer_row(p);
}

/* --- dates one by one --------------------------------------------------------- */

struct calview_rows {
	struct calview *v;
	struct printer *p;
	bool add;
	long count;
};

struct calview_rows *
calview_rows_open(struct calview *v, const char *count)
{
	struct calview_rows r = {.v = v, .add = count != NULL};

	if (count && read_count(v, count, &r.count) != 0)
		return NULL;
	r.p = count ? PRINTER(v, FMT_CODES, FMT_CODES, add_columns)
	    : PRINTER(v, FMT_TABLE, FMT_CODES, convert_columns);
	struct calview_rows *rows = xmalloc(sizeof *rows);
	*rows = r;
	return rows;
}

const char *
calview_row(struct calview_rows *r, const char *date)
{
	enum cal_system cal = CAL_JALALI;
	long day = 0;
	int sec = -1;
	const char *why = read_day(r->v, date, &day, &sec, &cal, !r->add);
	char written[128];

	if (why)
		return why;
	if (r->add) {
		struct workcal *wc = r->v->workcal();
		long to;

		if (!workcal_add(wc, day, r->count, &to))
			return workcal_error(wc);
		add_row(r->p, day, r->count, to, cal);
		return NULL;
	}
	print_day(r->p, day, sec, cal);
	print_both(r->p, day);
	printer_text(r->p, cal_format_long(day, cal_latin(CAL_JALALI), written, sizeof written));
	printer_row(r->p);
	return NULL;
}

int
calview_rows_close(struct calview_rows *r)
{
	int status = close_printer(r->v, r->p);

	free(r);
	return status;
}

/* --- add and between ---------------------------------------------------------- */

/* Every day from a to b (either order) that is not a working day. */
static int
explain_days(struct calview *v, long a, long b, enum cal_system cal)
{
	struct printer *p = PRINTER(v, FMT_TABLE, FMT_TSV, explain_columns);
	size_t n;
	struct day_off *off = workcal_days_off(v->workcal(), a, b, &n);

	for (size_t i = 0; i < n; i++) {
		print_day(p, off[i].jdn, -1, cal);
		printer_text(p, cal_weekday_abbr(cal_weekday(off[i].jdn)));
		printer_text(p, workcal_reason_name(off[i].why));
		printer_text(p, off[i].title);
		printer_row(p);
	}
	free(off);
	return close_printer(v, p);
}

int
calview_add(struct calview *v, const char *const arg[])
{
	const char *date = arg[0], *count = arg[1];
	enum cal_system cal = CAL_JALALI;
	long n, from = 0;

	if (read_count(v, count, &n) != 0 || read_operand(v, date, &from, &cal) != 0)
		return EXIT_FATAL;
	struct workcal *wc = v->workcal();
	long to;
	if (!workcal_add(wc, from, n, &to)) {
		v->why = xstrdup(workcal_error(wc));
		return EXIT_FATAL;
	}
	struct printer *p = PRINTER(v, FMT_CODES, FMT_CODES, add_columns);
	add_row(p, from, n, to, cal);
	int status = close_printer(v, p);
	if (status == EXIT_OK && v->explain && n != 0)
		status = explain_days(v, n > 0 ? from + 1 : from - 1, to, cal);
	v->missing_year = workcal_missing_year(v->workcal(), from, to);
	return status;
}

int
calview_between(struct calview *v, const char *const arg[])
{
	enum cal_system cal = CAL_JALALI, cal_to = CAL_JALALI;
	long from = 0, to = 0;

	if (read_operand(v, arg[0], &from, &cal) != 0 ||
	    read_operand(v, arg[1], &to, &cal_to) != 0)
		return EXIT_FATAL;
	struct printer *p = PRINTER(v, FMT_CODES, FMT_CODES, between_columns);
	printer_int(p, workcal_between(v->workcal(), from, to));
	print_day(p, from, -1, cal);
	print_day(p, to, -1, cal_to);
	printer_row(p);
	int status = close_printer(v, p);
	if (status == EXIT_OK && v->explain)
		status = explain_days(v, from < to ? from + 1 : to + 1, from < to ? to : from, cal);
	v->missing_year = workcal_missing_year(v->workcal(), from, to);
	return status;
}

/* --- holidays and month ------------------------------------------------------- */

static struct ymd
today(void)
{
	return cal_jdn_to_jalali(cal_local_day(clock_now(), NULL));
}

int
calview_holidays(struct calview *v, const char *const arg[])
{
	const char *year_text = arg[0];
	long year = today().y;
	size_t n;

	if (year_text && text_parse_long(year_text, 1, 9999, &year) != 0) {
		v->why = xasprintf("%s: not a year", text_quote(year_text));
		return EXIT_FATAL;
	}
	const struct holiday *h = workcal_holidays(v->workcal(), (int)year, &n);
	if (h == NULL) {
		v->why = xasprintf("no holiday file for %ld (in %s)", year, v->holidays_dir);
		return EXIT_PARTIAL;
	}
	struct printer *p = PRINTER(v, FMT_TABLE, FMT_TSV, holiday_columns);
	for (size_t i = 0; i < n; i++) {
		print_both(p, h[i].jdn);
		printer_text(p, h[i].kind);
		printer_text(p, h[i].status);
		printer_text(p, h[i].title_fa);
		printer_text(p, h[i].title_en);
		printer_row(p);
	}
	return close_printer(v, p);
}

/* A number of the grid right-aligned in width columns, in the grid's digits. */
static void
put_number(struct buf *b, const struct calview *v, long n, int width)
{
	struct cal_style style = {.persian_digits = v->persian_digits};
	char latin[24], shown[48];
	int digits = (int)strlen(decimal(n, 1, latin));	/* a digit is a column, Latin or Persian */

	buf_addf(b, "%*s%s", width > digits ? width - digits : 0, "",
	    cal_format_number(n, style, shown, sizeof shown));
}

/* The month as a grid, like cal(1), through the printer a line a row. */
static int
print_grid(struct calview *v, const struct month_grid *g)
{
	static const struct column line_column[] = {{"line", COL_TEXT}};
	static const struct fmt_options lines = {0};	/* -0 is for codes, not a picture */
	struct printer *p = printer_open(v->grid, FMT_CODES, line_column, 1, &lines);
	struct buf b = {0};

	buf_addf(&b, "%s ", cal_month_name_latin(g->cal, g->m));
	put_number(&b, v, g->y, 0);
	printer_text(p, b.data);
	printer_row(p);
	printer_text(p, " Sa  Su  Mo  Tu  We  Th  Fr");
	printer_row(p);
	for (int w = 0; w < g->nweeks; w++) {
		b.len = 0;
		for (int d = 0; d < 7; d++) {
			const struct month_cell *c = &g->cell[w][d];
			if (c->day) {
				put_number(&b, v, c->day, 3);
				buf_addc(&b, c->marked ? '*' : ' ');
			} else if (w == 0) {
				buf_adds(&b, "    ");
			}
		}
		printer_text(p, b.data);
		printer_row(p);
	}
	for (int d = 0; d < 7 * g->nweeks; d++) {
		const struct month_cell *c = &g->cell[d / 7][d % 7];
		if (!c->marked)
			continue;
		b.len = 0;
		put_number(&b, v, c->day, 3);
		buf_addf(&b, "* %s", c->title ? c->title : "");
		printer_text(p, b.data);
		printer_row(p);
	}
	buf_free(&b);
	return close_printer(v, p);
}

/* The month a row a day, for the next command. */
static int
print_month_rows(struct calview *v, const struct month_grid *g)
{
	struct printer *p = PRINTER(v, FMT_TABLE, FMT_TSV, month_columns);

	for (int d = 0; d < 7 * g->nweeks; d++) {
		const struct month_cell *c = &g->cell[d / 7][d % 7];
		if (c->day == 0)
			continue;
		print_day(p, c->jdn, -1, g->cal);
		print_both(p, c->jdn);
		printer_int(p, d / 7 + 1);
		printer_text(p, workcal_reason_name(c->why));
		printer_text(p, c->title);
		printer_row(p);
	}
	return close_printer(v, p);
}

int
calview_month(struct calview *v, const char *const arg[])
{
	const char *month = arg[0];
	struct ymd now = today();
	enum cal_system cal = CAL_JALALI;
	int y = now.y, m = now.m;
	struct month_grid g;
	const char *bad;

	if (month && cal_parse_month(month, v->input, &cal, &y, &m, &bad) != 0) {
		v->why = xasprintf("%s: not a month (YYYY-MM): %s", text_quote(month), bad);
		return EXIT_FATAL;
	}
	workcal_month(v->workcal(), cal, y, m, &g);
	int status = v->grid ? print_grid(v, &g) : print_month_rows(v, &g);
	v->missing_year = workcal_missing_year(v->workcal(), g.first, g.first + g.ndays - 1);
	return status;
}
