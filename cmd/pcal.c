/* pcal — the calendar: convert dates, count working days, list holidays. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "text.h"
#include "util.h"

static enum cal_system input_cal = CAL_AUTO, output_cal = CAL_AUTO;
static bool explain;
static const char *verb;	/* NULL: convert */
static char **operands;
static int noperands;

enum { OPT_TO = 0x200, OPT_GREGORIAN, OPT_JALALI, OPT_EXPLAIN };

static const struct argp_option options[] = {
	{"to", OPT_TO, "CALENDAR", 0, "Show dates in jalali or gregorian (default: the "
	    "other calendar when converting, else the date's own)", 1},
	{"gregorian", OPT_GREGORIAN, NULL, 0, "Read dates as Gregorian", 1},
	{"jalali", OPT_JALALI, NULL, 0, "Read dates as Solar Hijri", 1},
	{"explain", OPT_EXPLAIN, NULL, 0, "With add and between: every day not worked, and why", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_TO:
		if (strcmp(arg, "jalali") == 0)
			output_cal = CAL_JALALI;
		else if (strcmp(arg, "gregorian") == 0)
			output_cal = CAL_GREGORIAN;
		else
			argp_error(state, "--to: '%s' is not jalali or gregorian", arg);
		break;
	case OPT_GREGORIAN: input_cal = CAL_GREGORIAN; break;
	case OPT_JALALI: input_cal = CAL_JALALI; break;
	case OPT_EXPLAIN: explain = true; break;
	case ARGP_KEY_ARGS:
		operands = state->argv + state->next;
		noperands = state->argc - state->next;
		if (strcmp(operands[0], "add") == 0 || strcmp(operands[0], "between") == 0 ||
		    strcmp(operands[0], "holidays") == 0 || strcmp(operands[0], "month") == 0) {
			verb = *operands++;
			noperands--;
		}
		break;
	case ARGP_KEY_END: {
		int want_min = 0, want_max = 1 << 30;
		if (verb && strcmp(verb, "add") == 0)
			want_min = want_max = 2;
		else if (verb && strcmp(verb, "between") == 0)
			want_min = want_max = 2;
		else if (verb)
			want_max = 1;
		if (noperands < want_min || noperands > want_max)
			argp_error(state, "%s: wrong number of arguments", verb ? verb : "pcal");
		if (explain && !(verb && (strcmp(verb, "add") == 0 || strcmp(verb, "between") == 0)))
			argp_error(state, "--explain goes with add or between");
		break;
	}
	default:
		return ARGP_ERR_UNKNOWN;
	}
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
	"--gregorian or a g: prefix says otherwise.",
	children, NULL, NULL,
};

static struct cal_when
parse_or_die(const char *text)
{
	struct cal_when when;
	const char *why;

	if (cal_parse(text, input_cal, &when, &why) != 0)
		cli_die(EXIT_FATAL, "'%s': %s", text, why);
	return when;
}

/* The local day a parsed date names (a time with a zone is moved into ours). */
static long
local_day(const struct cal_when *w, int *sec)
{
	if (w->has_zone)
		return cal_local_day(cal_when_time(w), sec);
	*sec = w->sec;
	return w->jdn;
}

static enum cal_system
other(enum cal_system cal)
{
	return cal == CAL_GREGORIAN ? CAL_JALALI : CAL_GREGORIAN;
}

static void
warn_missing(long from, long to)
{
	int year = workcal_missing_year(cli_workcal(), from, to);

	if (year)
		cli_warn("no holiday file for %d: its days count weekends only", year);
}

/* --- convert ------------------------------------------------------------------ */

static const struct column convert_columns[] = {
	{"date", COL_TEXT}, {"jalali", COL_TEXT}, {"gregorian", COL_TEXT},
	{"weekday", COL_TEXT}, {"written", COL_TEXT},
};

static int
convert_one(const char *text, const char *where, void *arg)
{
	struct printer *p = arg;
	struct cal_when w;
	const char *why;
	char out[48], j[16], g[16];
	int sec;

	if (cal_parse(text, input_cal, &w, &why) != 0) {
		fflush(stdout);
		fprintf(stderr, "pcal: %s'%s': %s\n", where, text, why);
		return EXIT_PARTIAL;
	}
	long day = local_day(&w, &sec);
	enum cal_system to = output_cal != CAL_AUTO ? output_cal : other(w.cal);
	cal_format_day(day, to, out, sizeof out);
	if (sec >= 0)
		snprintf(out + strlen(out), sizeof out - strlen(out), " %02d:%02d", sec / 3600,
		    sec / 60 % 60);
	printer_text(p, out);
	printer_text(p, cal_format_day(day, CAL_JALALI, j, sizeof j));
	printer_text(p, cal_format_day(day, CAL_GREGORIAN, g, sizeof g));
	printer_text(p, cal_weekday_abbr(cal_weekday(day)));
	char written[96];
	printer_text(p, cal_format_long(day, CAL_JALALI, cli_config()->persian_digits, written,
	    sizeof written));
	printer_row(p);
	return EXIT_OK;
}

static int
convert(void)
{
	struct printer *p = cli_printer(cli_format(FMT_TABLE, FMT_CODES), convert_columns,
	    (int)ARRAY_SIZE(convert_columns));
	int status = cli_each_name(noperands, operands, convert_one, p);

	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
	return status;
}

/* --- add and between ------------------------------------------------------------ */

static const char *
reason(long jdn, const char **title)
{
	switch (workcal_day(cli_workcal(), jdn, title)) {
	case DAY_WEEKEND: return "weekend";
	case DAY_HOLIDAY: return "holiday";
	case DAY_CLOSURE: return "closure";
	case DAY_WORKING: break;
	}
	return NULL;
}

static const struct column explain_columns[] = {
	{"date", COL_TEXT}, {"weekday", COL_TEXT}, {"why", COL_TEXT}, {"title", COL_TEXT},
};

/* Every day from a to b (either order) that is not a working day. */
static void
explain_days(long a, long b, enum cal_system cal)
{
	struct printer *p = cli_printer(cli_format(FMT_TABLE, FMT_TSV), explain_columns, 4);
	long step = a <= b ? 1 : -1;
	char buf[16];

	for (long d = a; d != b + step; d += step) {
		const char *title = NULL, *why = reason(d, &title);
		if (why == NULL)
			continue;
		printer_text(p, cal_format_day(d, cal, buf, sizeof buf));
		printer_text(p, cal_weekday_abbr(cal_weekday(d)));
		printer_text(p, why);
		printer_text(p, title);
		printer_row(p);
	}
	printer_close(p);
}

static long
parse_n(const char *text)
{
	char *ascii = text_ascii_digits(text), *end;
	long n = strtol(ascii, &end, 10);
	bool bad = end == ascii || *end || n < -100000 || n > 100000;

	free(ascii);
	if (bad)
		cli_die(EXIT_FATAL, "'%s': not a whole number of working days", text);
	return n;
}

static void
add_one(const char *text, long n, FILE *out)
{
	struct cal_when w = parse_or_die(text);
	int sec;
	long from = local_day(&w, &sec), to = workcal_add(cli_workcal(), from, n);
	char buf[16];

	fprintf(out, "%s\n", cal_format_day(to, output_cal != CAL_AUTO ? output_cal : w.cal,
	    buf, sizeof buf));
	if (explain && n != 0) {
		fflush(out);
		explain_days(n > 0 ? from + 1 : from - 1, to, output_cal != CAL_AUTO ? output_cal : w.cal);
	}
	warn_missing(from, to);
}

/* One of many dates read for add: the same n added to each, a result a line. */
static int
add_many(const char *text, const char *where, void *arg)
{
	long n = *(long *)arg;
	struct cal_when w;
	const char *why;
	char buf[16];
	int sec;

	if (cal_parse(text, input_cal, &w, &why) != 0) {
		fflush(stdout);
		fprintf(stderr, "pcal: %s'%s': %s\n", where, text, why);
		return EXIT_PARTIAL;
	}
	long from = local_day(&w, &sec);
	puts(cal_format_day(workcal_add(cli_workcal(), from, n),
	    output_cal != CAL_AUTO ? output_cal : w.cal, buf, sizeof buf));
	return EXIT_OK;
}

static int
add(void)
{
	long n = parse_n(operands[1]);

	if (strcmp(operands[0], "-") == 0)
		return cli_each_name(0, NULL, add_many, &n);
	add_one(operands[0], n, stdout);
	return EXIT_OK;
}

static int
between(void)
{
	struct cal_when a = parse_or_die(operands[0]), b = parse_or_die(operands[1]);
	int sec;
	long from = local_day(&a, &sec), to = local_day(&b, &sec);

	printf("%ld\n", workcal_between(cli_workcal(), from, to));
	if (explain) {
		fflush(stdout);
		explain_days(from < to ? from + 1 : to + 1, from < to ? to : from,
		    output_cal != CAL_AUTO ? output_cal : a.cal);
	}
	warn_missing(from, to);
	return EXIT_OK;
}

/* --- holidays and month ----------------------------------------------------------- */

static int
this_jalali_year(void)
{
	return cal_jdn_to_jalali(cal_local_day(clock_now(), NULL)).y;
}

static int
parse_year(const char *text)
{
	char *ascii = text_ascii_digits(text), *end;
	long y = strtol(ascii, &end, 10);
	bool bad = end == ascii || *end || y < 1 || y > 9999;

	free(ascii);
	if (bad)
		cli_die(EXIT_FATAL, "'%s': not a year", text);
	return (int)y;
}

static const struct column holiday_columns[] = {
	{"jalali", COL_TEXT}, {"gregorian", COL_TEXT}, {"weekday", COL_TEXT},
	{"kind", COL_TEXT}, {"status", COL_TEXT}, {"title", COL_TEXT}, {"title_en", COL_TEXT},
};

static int
holidays(void)
{
	int year = noperands ? parse_year(operands[0]) : this_jalali_year();
	size_t n;
	const struct holiday *h = workcal_holidays(cli_workcal(), year, &n);
	char j[16], g[16];

	if (h == NULL)
		cli_die(EXIT_PARTIAL, "no holiday file for %d (in %s)", year, cli_config()->holidays_dir);
	struct printer *p = cli_printer(cli_format(FMT_TABLE, FMT_TSV), holiday_columns, 7);
	for (size_t i = 0; i < n; i++) {
		printer_text(p, cal_format_day(h[i].jdn, CAL_JALALI, j, sizeof j));
		printer_text(p, cal_format_day(h[i].jdn, CAL_GREGORIAN, g, sizeof g));
		printer_text(p, cal_weekday_abbr(cal_weekday(h[i].jdn)));
		printer_text(p, h[i].kind);
		printer_text(p, h[i].status);
		printer_text(p, h[i].title_fa);
		printer_text(p, h[i].title_en);
		printer_row(p);
	}
	return printer_close(p) == 0 ? EXIT_OK : EXIT_FATAL;
}

static int
month(void)
{
	struct ymd today = cal_jdn_to_jalali(cal_local_day(clock_now(), NULL));
	enum cal_system cal = CAL_JALALI;
	int y = today.y, m = today.m, first_wd;
	long first;

	if (noperands) {
		struct cal_when w;
		const char *why;
		/* The day is added with the separator the month was written with. */
		char *text = xasprintf("%s%s01", operands[0], strchr(operands[0], '/') ? "/" : "-");
		if (cal_parse(text, input_cal, &w, &why) != 0)
			cli_die(EXIT_FATAL, "'%s': not a month (YYYY-MM): %s", operands[0], why);
		free(text);
		cal = w.cal;
		struct ymd d = cal == CAL_JALALI ? cal_jdn_to_jalali(w.jdn) : cal_jdn_to_gregorian(w.jdn);
		y = d.y, m = d.m;
	}
	int days = cal == CAL_JALALI ? cal_jalali_month_days(y, m) : cal_gregorian_month_days(y, m);
	if (cal == CAL_JALALI)
		cal_jalali_to_jdn(y, m, 1, &first);
	else
		cal_gregorian_to_jdn(y, m, 1, &first);
	static const char *const gregorian_months[] = {"January", "February", "March", "April",
	    "May", "June", "July", "August", "September", "October", "November", "December"};
	printf("%s %d\n", cal == CAL_JALALI ? cal_jalali_month_name_latin(m) : gregorian_months[m - 1], y);
	printf(" Sa  Su  Mo  Tu  We  Th  Fr\n");
	first_wd = cal_weekday(first);
	printf("%*s", 4 * first_wd, "");
	for (int d = 1; d <= days; d++) {
		const char *title;
		bool off = workcal_day(cli_workcal(), first + d - 1, &title) >= DAY_HOLIDAY;
		printf("%3d%c", d, off ? '*' : ' ');
		if ((first_wd + d) % 7 == 0 || d == days)
			putchar('\n');
	}
	for (int d = 1; d <= days; d++) {
		const char *title;
		enum day_reason why = workcal_day(cli_workcal(), first + d - 1, &title);
		if (why >= DAY_HOLIDAY)
			printf("%3d* %s\n", d, title ? title : "");
	}
	warn_missing(first, first + days - 1);
	return EXIT_OK;
}

/*
 * "pcal add DATE -10": a negative count is an operand, not an option. It
 * is the last operand, so it moves behind a "--" at the end, and options
 * after it still count. ("-0" stays the -0 option.)
 */
static char **
negative_counts_as_operands(int *argc, char **argv)
{
	char **out = xcalloc((size_t)*argc + 2, sizeof *out);
	const char *count = NULL;
	int n = 0;
	bool done = false;

	for (int i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			done = true;
		if (!done && !count && i > 0 && argv[i][0] == '-' && argv[i][1] >= '1' &&
		    argv[i][1] <= '9' && argv[i][strspn(argv[i] + 1, "0123456789") + 1] == '\0') {
			count = argv[i];
			continue;
		}
		out[n++] = argv[i];
	}
	if (count) {
		if (!done)
			out[n++] = "--";
		out[n++] = (char *)count;
	}
	*argc = n;
	return out;
}

int
main(int argc, char **argv)
{
	int status;

	cli_start();
	char **args = negative_counts_as_operands(&argc, argv);
	argv = args;
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	cli_config();	/* the time zone */
	if (verb == NULL)
		status = convert();
	else if (strcmp(verb, "add") == 0)
		status = add();
	else if (strcmp(verb, "between") == 0)
		status = between();
	else if (strcmp(verb, "holidays") == 0)
		status = holidays();
	else
		status = month();
	status = cli_finish(status);
	free(args);
	return status;
}
