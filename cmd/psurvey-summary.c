/* psurvey-summary — what a survey's responses say, by group and month; or its constructive comments. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "surveysum.h"

static struct summary_query query = {.survey = "service"};
static bool comments;

enum { OPT_SURVEY = 0x200, OPT_VERSION, OPT_BY, OPT_SINCE, OPT_UNTIL, OPT_COMMENTS };

static const struct argp_option options[] = {
	{"survey", OPT_SURVEY, "CODE", 0, "The survey (default service)", 0},
	{"survey-version", OPT_VERSION, "N", 0, "Only this version (default: each, apart)", 0},
	{"by", OPT_BY, "LIST", 0, "Group by service, unit, channel, month (Solar Hijri), "
	    "comma-separated", 0},
	{"since", OPT_SINCE, "YYYY-MM", 0, "From this month on", 0},
	{"until", OPT_UNTIL, "YYYY-MM", 0, "Up to this month", 0},
	{"comments", OPT_COMMENTS, NULL, 0, "Print the comments marked constructive instead, as "
	    "suggestions for pcase-new --batch", 0},
	{0},
};

static int
month_arg(struct argp_state *state, const char *opt, const char *arg)
{
	enum cal_system cal;
	const char *why;
	int y, m;

	if (cal_parse_month(arg, CAL_JALALI, &cal, &y, &m, &why) != 0 || cal != CAL_JALALI)
		argp_error(state, "%s %s: a Solar Hijri month, YYYY-MM%s%s", opt, text_quote(arg),
		    why ? ": " : "", why ? why : "");
	return y * 100 + m;
}

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	const char *bad;

	switch (key) {
	case OPT_SURVEY: query.survey = arg; break;
	case OPT_VERSION: query.version = (int)cli_number(state, "--survey-version", arg, 1, 1000000); break;
	case OPT_BY:
		if ((bad = summary_by_parse(arg, &query)) != NULL)
			argp_error(state, "--by: %s is not one of %s", text_quote(bad), summary_by_names);
		break;
	case OPT_SINCE: query.since = month_arg(state, "--since", arg); break;
	case OPT_UNTIL: query.until = month_arg(state, "--until", arg); break;
	case OPT_COMMENTS: comments = true; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument %s", text_quote(arg));
		break;
	case ARGP_KEY_END:
		if (comments && (query.nby || query.since || query.until || query.version))
			argp_error(state, "--comments takes only --survey");
		if (query.since && query.until && query.since > query.until)
			argp_error(state, "--since is after --until");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, NULL,
	"Summarize the responses to a survey: a row for each version, question (each option of "
	"a choice on its own) and group.\v"
	"count, mean, sd (sample standard deviation), median and n1-n5 (the distribution) of a "
	"1-5 question; share: the satisfied share, who answered 4 or 5 of 1-5 (of a yes/no "
	"question who said yes, of an option who chose it), with low-high its 95% Wilson "
	"interval; judged: \"too few\" under survey_min_count responses (default 5). With month "
	"among --by: previous (the share of the month before), change, and flag up or down "
	"when the two intervals do not overlap. --format svg draws the shares as a chart, "
	"its labels in Persian, right to left. --comments prints, for pcase-new --batch, each "
	"comment marked constructive as a suggestion: psurvey-summary --comments -f json | "
	"pcase-new --batch.",
	children, NULL, NULL,
};

static int
print_comments(struct context *ctx)
{
	int ncols;
	const struct column *cols = comment_columns(&ncols);
	struct printer *p = cli_printer(cli_format(FMT_TABLE, FMT_JSON), cols, ncols);
	long rows;
	int rc = survey_comments(ctx, query.survey, p, &rows);

	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	return rows ? EXIT_OK : EXIT_PARTIAL;
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_READ);
	if (comments)
		return cli_finish(print_comments(ctx));
	enum fmt_kind kind = cli_format(FMT_TABLE, FMT_TSV);
	struct fmt_options opt = {.persian_digits = cli_config()->shown.persian_digits};
	int ncols;
	long rows;

	query.bar = kind == FMT_TABLE;
	query.label = kind == FMT_SVG;
	if (kind == FMT_SVG)
		summary_chart(&query, &opt);
	const struct column *cols = summary_columns(&query, &ncols);
	struct printer *p = printer_open(stdout, kind, cols, ncols, &opt);
	int rc = survey_summary(ctx, &query, p, &rows);
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
	if (rc == EXIT_PARTIAL)
		cli_die(rc, "%s", cli_error());
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	if (kind == FMT_TABLE)
		printf("\n%s\n", summary_definition);
	return cli_finish(rows ? EXIT_OK : EXIT_PARTIAL);
}
