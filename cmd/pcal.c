/* pcal — the calendar: convert dates, count working days, list holidays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "text.h"
#include "util.h"

static enum cal_system input_cal = CAL_AUTO, output_cal = CAL_AUTO;
static bool explain;
static int (*verb)(void);
static char **operands, *negative;	/* "pcal add DATE -10": the count, read as options */
static int noperands;

enum { OPT_TO = 0x200, OPT_GREGORIAN, OPT_JALALI, OPT_EXPLAIN };
/* getopt reads "-10" as the option '1' with the value "0": such options are the count. */
#define COUNT(d) {NULL, d, "N", OPTION_HIDDEN | OPTION_ARG_OPTIONAL, NULL, 0}

static const struct argp_option options[] = {
	{"to", OPT_TO, "CALENDAR", 0, "Show dates in jalali or gregorian (default: the "
	    "other calendar when converting, else the date's own)", 1},
	{"gregorian", OPT_GREGORIAN, NULL, 0, "Read dates as Gregorian", 1},
	{"jalali", OPT_JALALI, NULL, 0, "Read dates as Solar Hijri", 1},
	{"explain", OPT_EXPLAIN, NULL, 0, "With add and between: every day not worked, and why", 1},
	COUNT('1'), COUNT('2'), COUNT('3'), COUNT('4'), COUNT('5'), COUNT('6'), COUNT('7'),
	COUNT('8'), COUNT('9'), {0},
};

static int add(void), between(void), holidays(void), month(void);
static const struct {
	const char *name;
	int (*run)(void);
	int operands;	/* at most; add and between take exactly these */
} verbs[] = {{"add", add, 2}, {"between", between, 2}, {"holidays", holidays, 1}, {"month", month, 1}};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	int cal, max = 1 << 30;

	if (key == OPT_TO && (cal = cal_system_parse(arg)) >= 0)
		output_cal = (enum cal_system)cal;
	else if (key == OPT_TO)
		argp_error(state, "--to: '%s' is not jalali or gregorian", arg);
	else if (key >= '1' && key <= '9' && !negative)
		negative = xasprintf("-%c%s", key, arg ? arg : "");
	else if (key == OPT_GREGORIAN || key == OPT_JALALI)
		input_cal = key == OPT_JALALI ? CAL_JALALI : CAL_GREGORIAN;
	else if (key == OPT_EXPLAIN)
		explain = true;
	else if (key == ARGP_KEY_ARGS) {
		operands = state->argv + state->next;
		noperands = state->argc - state->next;
		for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
			if (strcmp(operands[0], verbs[i].name) == 0)
				verb = verbs[i].run, max = verbs[i].operands;
		if (verb)
			operands++, noperands--;
		if (noperands + (negative != NULL) > max ||
		    ((verb == add || verb == between) && noperands + (negative != NULL) < max))
			argp_error(state, "%s: wrong number of arguments", verb ? operands[-1] : "pcal");
	} else if (key == ARGP_KEY_END && explain && verb != add && verb != between)
		argp_error(state, "--explain goes with add or between");
	else if (key == ARGP_KEY_END && negative && verb != add)
		argp_error(state, "%s: not an option", negative);
	else
		return ARGP_ERR_UNKNOWN;
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt,
	"[DATE...]\nadd DATE N\nbetween DATE DATE\nholidays [YEAR]\nmonth [YEAR-MM]",
	"The calendar: Solar Hijri and Gregorian dates, working days and holidays.\v"
	"With dates (or, with none, dates read one a line from standard input) each is printed "
	"in the other calendar. add prints the day N working days after DATE (DATE itself not "
	"counted; N below zero goes back; DATE '-' reads dates from standard input). between "
	"counts the working days after the first date up to and including the second. holidays "
	"lists a Solar Hijri year's holidays (default this year); month prints a month as a "
	"grid, holidays and closures marked with '*'. A date is YYYY-MM-DD or YYYY/MM/DD in "
	"Latin, Persian or Arabic-Indic digits; a year below 1700 is Solar Hijri unless "
	"--gregorian or a g: prefix says otherwise. With -f every form prints rows.",
	children, NULL, NULL,
};

/* A date read: its local day, the time (-1: none), the calendar to show it in; or why not. */
static const char *
read_day(const char *text, long *day, int *sec, enum cal_system *cal, bool other)
{
	struct cal_when w;
	const char *why;

	if (cal_parse(text, input_cal, &w, &why) != 0)
		return why;
	*day = cal_when_local_day(&w, sec);
	*cal = output_cal != CAL_AUTO ? output_cal : !other ? w.cal
	    : w.cal == CAL_GREGORIAN ? CAL_JALALI : CAL_GREGORIAN;
	return NULL;
}

static long
day_or_die(const char *text, enum cal_system *cal)
{
	const char *why;
	long day = 0;
	int sec;

	if ((why = read_day(text, &day, &sec, cal, false)) != NULL)
		cli_die(EXIT_FATAL, "'%s': %s", text, why);
	return day;
}

static void
print_day(struct printer *p, long day, int sec, enum cal_system cal)
{
	char buf[32];

	printer_text(p, cal_format_when(day, sec, cal, buf, sizeof buf));
}

/* The columns every row about a day ends with. */
#define DAY_COLUMNS {"jalali", COL_TEXT}, {"gregorian", COL_TEXT}, {"weekday", COL_TEXT}
static void
print_both(struct printer *p, long day)
{
	print_day(p, day, -1, CAL_JALALI);
	print_day(p, day, -1, CAL_GREGORIAN);
	printer_text(p, cal_weekday_abbr(cal_weekday(day)));
}

static void
close_printer(struct printer *p)
{
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
}

static void
warn_missing(long from, long to)
{
	int year = workcal_missing_year(cli_workcal(), from, to);

	if (year)
		cli_warn("no holiday file for %d: its days count weekends only", year);
}

static long count;	/* add's N */

/* add's row: the day N working days after `from`, which it returns. */
static long
add_row(struct printer *p, long from, enum cal_system cal)
{
	long to = workcal_add(cli_workcal(), from, count);

	print_day(p, to, -1, cal);
	print_day(p, from, -1, cal);
	printer_int(p, count);
	print_both(p, to);
	printer_row(p);
	return to;
}

/* One date of many (where: "line N: " or ""): converted, or N working days added. */
static int
each_day(const char *text, const char *where, void *p)
{
	enum cal_system cal = CAL_JALALI;
	long day = 0;
	int sec = -1;
	const char *why = read_day(text, &day, &sec, &cal, verb == NULL);
	char written[96];

	if (why) {
		fflush(stdout);
		fprintf(stderr, "pcal: %s'%s': %s\n", where, text, why);
		return EXIT_PARTIAL;
	}
	if (verb == add) {
		add_row(p, day, cal);
		return EXIT_OK;
	}
	print_day(p, day, sec, cal);
	print_both(p, day);
	printer_text(p, cal_format_long(day, CAL_JALALI, cli_config()->persian_digits, written,
	    sizeof written));
	printer_row(p);
	return EXIT_OK;
}

static const struct column convert_columns[] = {{"date", COL_TEXT}, DAY_COLUMNS, {"written", COL_TEXT}};
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

/* Every day from a to b (either order) that is not a working day. */
static void
explain_days(long a, long b, enum cal_system cal)
{
	struct printer *p = cli_printer(cli_format(FMT_TABLE, FMT_TSV), explain_columns, 4);
	size_t n;
	struct day_off *off = workcal_days_off(cli_workcal(), a, b, &n);

	for (size_t i = 0; i < n; i++) {
		print_day(p, off[i].jdn, -1, cal);
		printer_text(p, cal_weekday_abbr(cal_weekday(off[i].jdn)));
		printer_text(p, workcal_reason_name(off[i].why));
		printer_text(p, off[i].title);
		printer_row(p);
	}
	free(off);
	close_printer(p);
}

static int
convert(void)
{
	struct printer *p = cli_printer(cli_format(FMT_TABLE, FMT_CODES), convert_columns, 5);
	int status = cli_each_name(noperands, operands, each_day, p);

	close_printer(p);
	return status;
}

static int
add(void)
{
	struct printer *p = cli_printer(cli_format(FMT_CODES, FMT_CODES), add_columns, 6);
	const char *n = negative ? negative : operands[1];
	enum cal_system cal = CAL_JALALI;

	if (text_parse_long(n, -100000, 100000, &count) != 0)
		cli_die(EXIT_FATAL, "'%s': not a whole number of working days", n);
	if (strcmp(operands[0], "-") == 0) {
		int status = cli_each_name(0, NULL, each_day, p);
		close_printer(p);
		return status;
	}
	long from = day_or_die(operands[0], &cal), to = add_row(p, from, cal);
	close_printer(p);
	if (explain && count != 0)
		explain_days(count > 0 ? from + 1 : from - 1, to, cal);
	warn_missing(from, to);
	return EXIT_OK;
}

static int
between(void)
{
	struct printer *p = cli_printer(cli_format(FMT_CODES, FMT_CODES), between_columns, 3);
	enum cal_system cal = CAL_JALALI, cal_to = CAL_JALALI;
	long from = day_or_die(operands[0], &cal), to = day_or_die(operands[1], &cal_to);

	printer_int(p, workcal_between(cli_workcal(), from, to));
	print_day(p, from, -1, cal);
	print_day(p, to, -1, cal_to);
	printer_row(p);
	close_printer(p);
	if (explain)
		explain_days(from < to ? from + 1 : to + 1, from < to ? to : from, cal);
	warn_missing(from, to);
	return EXIT_OK;
}

static int
holidays(void)
{
	long year = cal_jdn_to_jalali(cal_local_day(clock_now(), NULL)).y;
	size_t n;

	if (noperands && text_parse_long(operands[0], 1, 9999, &year) != 0)
		cli_die(EXIT_FATAL, "'%s': not a year", operands[0]);
	const struct holiday *h = workcal_holidays(cli_workcal(), (int)year, &n);
	if (h == NULL)
		cli_die(EXIT_PARTIAL, "no holiday file for %ld (in %s)", year, cli_config()->holidays_dir);
	struct printer *p = cli_printer(cli_format(FMT_TABLE, FMT_TSV), holiday_columns, 7);
	for (size_t i = 0; i < n; i++) {
		print_both(p, h[i].jdn);
		printer_text(p, h[i].kind);
		printer_text(p, h[i].status);
		printer_text(p, h[i].title_fa);
		printer_text(p, h[i].title_en);
		printer_row(p);
	}
	close_printer(p);
	return EXIT_OK;
}

/* The month as a grid, like cal(1), through the printer a line a row. */
static void
print_grid(const struct month_grid *g)
{
	static const struct column line_column[] = {{"line", COL_TEXT}};
	static const struct fmt_options lines = {0};	/* -0 is for codes, not a picture */
	struct printer *p = printer_open(stdout, FMT_CODES, line_column, 1, &lines);
	struct buf b = {0};

	buf_addf(&b, "%s %d", cal_month_name_latin(g->cal, g->m), g->y);
	printer_text(p, b.data);
	printer_row(p);
	printer_text(p, " Sa  Su  Mo  Tu  We  Th  Fr");
	printer_row(p);
	for (int w = 0; w < g->nweeks; w++) {
		b.len = 0;
		for (int d = 0; d < 7; d++) {
			const struct month_cell *c = &g->cell[w][d];
			if (c->day)
				buf_addf(&b, "%3d%c", c->day, c->marked ? '*' : ' ');
			else if (w == 0)
				buf_adds(&b, "    ");
		}
		printer_text(p, b.data);
		printer_row(p);
	}
	for (int d = 0; d < 7 * g->nweeks; d++) {
		const struct month_cell *c = &g->cell[d / 7][d % 7];
		b.len = 0;
		buf_addf(&b, "%3d* %s", c->day, c->title ? c->title : "");
		if (c->marked)
			printer_text(p, b.data), printer_row(p);
	}
	buf_free(&b);
	close_printer(p);
}

static void
print_month_rows(const struct month_grid *g)
{
	struct printer *p = cli_printer(cli.format, month_columns, 7);

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
	close_printer(p);
}

static int
month(void)
{
	struct ymd today = cal_jdn_to_jalali(cal_local_day(clock_now(), NULL));
	enum cal_system cal = CAL_JALALI;
	int y = today.y, m = today.m;
	struct month_grid g;
	const char *why;

	if (noperands && cal_parse_month(operands[0], input_cal, &cal, &y, &m, &why) != 0)
		cli_die(EXIT_FATAL, "'%s': not a month (YYYY-MM): %s", operands[0], why);
	workcal_month(cli_workcal(), cal, y, m, &g);
	if (cli.format == FMT_AUTO)
		print_grid(&g);
	else
		print_month_rows(&g);
	warn_missing(g.first, g.first + g.ndays - 1);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	cli_config();	/* the time zone */
	int status = verb ? verb() : convert();
	free(negative);
	return cli_finish(status);
}
