/* pcal — the calendar: convert dates, count working days, list holidays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calview.h"
#include "cli.h"
#include "util.h"

/* The printer of a view's columns: the format asked for, else the view's own. */
static struct printer *
view_printer(enum fmt_kind on_terminal, enum fmt_kind elsewhere, const struct column *cols,
    int ncols)
{
	return cli_printer(cli_format(on_terminal, elsewhere), cols, ncols);
}

static struct calview view = {.printer = view_printer, .workcal = cli_workcal};
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

enum verb { CONVERT, ADD, BETWEEN, HOLIDAYS, MONTH };
static const struct {
	const char *name;
	int (*run)(struct calview *v, const char *const arg[]);
	int operands;	/* at most; add and between take exactly these */
} verbs[] = {[ADD] = {"add", calview_add, 2}, [BETWEEN] = {"between", calview_between, 2},
	[HOLIDAYS] = {"holidays", calview_holidays, 1}, [MONTH] = {"month", calview_month, 1}};
static enum verb verb;	/* CONVERT when none is named */

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	int cal, max = 1 << 30;

	if (key == OPT_TO && (cal = cal_system_parse(arg)) >= 0)
		view.output = (enum cal_system)cal;
	else if (key == OPT_TO)
		argp_error(state, "--to: %s is not jalali or gregorian", text_quote(arg));
	else if (key >= '1' && key <= '9' && !negative)
		negative = xasprintf("-%c%s", key, arg ? arg : "");
	else if (key == OPT_GREGORIAN || key == OPT_JALALI)
		view.input = key == OPT_JALALI ? CAL_JALALI : CAL_GREGORIAN;
	else if (key == OPT_EXPLAIN)
		view.explain = true;
	else if (key == ARGP_KEY_ARGS) {
		operands = state->argv + state->next;
		noperands = state->argc - state->next;
		for (size_t i = ADD; i < ARRAY_SIZE(verbs); i++)
			if (strcmp(operands[0], verbs[i].name) == 0)
				verb = (enum verb)i, max = verbs[i].operands;
		if (verb != CONVERT)
			operands++, noperands--;
		if (noperands + (negative != NULL) > max ||
		    ((verb == ADD || verb == BETWEEN) && noperands + (negative != NULL) < max))
			argp_error(state, "%s: wrong number of arguments",
			    verb != CONVERT ? operands[-1] : "pcal");
	} else if (key == ARGP_KEY_END && view.explain && verb != ADD && verb != BETWEEN)
		argp_error(state, "--explain goes with add or between");
	else if (key == ARGP_KEY_END && negative && verb != ADD)
		argp_error(state, "%s: not an option", text_quote(negative));
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

/* Ends the run when a view failed; else warns of a year it crossed without holidays. */
static int
done(int status)
{
	if (status != EXIT_OK)
		cli_die(status, "%s", view.why);
	if (view.missing_year)
		cli_warn("no holiday file for %d: its days count weekends only", view.missing_year);
	return EXIT_OK;
}

/* One date of many (where: "line N: " or ""): converted, or N working days added. */
static int
each_day(const char *text, const char *where, void *rows)
{
	const char *why = calview_row(rows, text);

	if (why)	/* stdout flushed first */
		cli_complain("%s%s: %s", where, cli_quote_input(text, where), why);
	return why ? EXIT_PARTIAL : EXIT_OK;
}

/* Dates from the operands or standard input; count NULL: converted, else added to. */
static int
dates(int n, char **items, const char *count)
{
	struct calview_rows *rows = calview_rows_open(&view, count);

	if (rows == NULL)
		done(EXIT_FATAL);
	int status = cli_each_name(n, items, each_day, rows);
	done(calview_rows_close(rows));
	return status;
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	const struct config *cfg = cli_config();	/* the time zone */
	view.holidays_dir = cfg->holidays_dir;
	view.persian_digits = cfg->shown.persian_digits;
	view.grid = cli.format == FMT_AUTO ? stdout : NULL;	/* month: the grid for people */
	const char *arg[] = {noperands ? operands[0] : NULL,
	    negative ? negative : noperands > 1 ? operands[1] : NULL};
	int status = verb == CONVERT ? dates(noperands, operands, NULL)
	    : verb == ADD && strcmp(arg[0], "-") == 0 ? dates(0, NULL, arg[1])
	    : done(verbs[verb].run(&view, arg));
	free(negative);
	return cli_finish(status);
}
