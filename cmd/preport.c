/* preport — reports from the record: monthly, overdue, impact, digest, feedback. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "digest.h"
#include "impact.h"
#include "monthly.h"
#include "report.h"
#include "unit.h"
#include "util.h"

static const char *report, *draft, *unit;
static struct report_period period;
static bool each_unit, drafts;
static int examples = 3;
static struct monthly_out out;

enum { OPT_DRAFT = 0x200, OPT_SINCE, OPT_UNTIL, OPT_HTML, OPT_MONTH, OPT_UNIT, OPT_EACH, OPT_MAIL, OPT_TO, OPT_PUBLISH, OPT_DRAFTS, OPT_EXAMPLES };
static const struct argp_option options[] = {
	{"month", OPT_MONTH, "YYYY-MM", 0, "monthly, impact, feedback: the Solar Hijri month (monthly's default: the last)", 1},
	{"unit", OPT_UNIT, "UNIT", 0, "monthly, overdue, digest: of this unit alone", 1},
	{"each-unit", OPT_EACH, NULL, 0, "digest, monthly: every unit, each its own", 1},
	{"mail", OPT_MAIL, NULL, 0, "Queue it as a mail (to --to, or to each unit's address)", 1},
	{"to", OPT_TO, "ADDR", 0, "With --mail: to this address", 1},
	{"publish", OPT_PUBLISH, NULL, 0, "monthly, impact: write the page into web_dir/reports", 1},
	{"html", OPT_HTML, "FILE", 0, "monthly, impact, feedback: write the page to FILE (aside, renamed)", 1},
	{"draft", OPT_DRAFT, "CODE", 0, "impact: the articles of this draft alone", 1},
	{"drafts", OPT_DRAFTS, NULL, 0, "impact: the articles of each draft opened in the period", 1},
	{"examples", OPT_EXAMPLES, "N", 0, "impact: the newest N cases of each action and survey (3; 0: all)", 1},
	{"since", OPT_SINCE, "DATE", 0, "impact, feedback: from DATE", 1}, {"until", OPT_UNTIL, "DATE", 0, "… to before", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	char word[24];
	switch (key) {
	case OPT_DRAFT: draft = arg; break;
	case OPT_DRAFTS: drafts = true; break;
	case OPT_EXAMPLES: examples = (int)cli_number(state, "--examples", arg, 0, 10000); break;
	case OPT_SINCE: period.since = arg; break;
	case OPT_UNTIL: period.until = arg; break;
	case OPT_HTML: out.path = arg; break;
	case OPT_MONTH: period.month = arg; break;
	case OPT_UNIT: unit = arg; break;
	case OPT_EACH: each_unit = true; break;
	case OPT_MAIL: out.mail = true; break;
	case OPT_TO: out.to = arg; break;
	case OPT_PUBLISH: out.publish = true; break;
	case ARGP_KEY_ARG:
		report = report ? (argp_error(state, "one report at a time"), report) : arg;
		break;
	case ARGP_KEY_END:
		snprintf(word, sizeof word, " %s ", report ? report : "?");
		if (!strstr(" monthly overdue impact digest feedback ", word))
			argp_error(state, "%s report%s%s (monthly, overdue, impact, digest, feedback)", report ? "unknown"
			    : "which", report ? " " : "?", report ? text_quote(report) : "");
		if ((unit && each_unit) || (out.to && !out.mail) || (draft && (period.since || period.until || period.month)))
			argp_error(state, "--unit or --each-unit; --to with --mail; --draft or a period");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "monthly [--month YYYY-MM] [--unit U | --each-unit] [--html FILE | --publish | "
	"--mail [--to ADDR]]\noverdue [--unit UNIT]\nimpact [--draft CODE | [--drafts] [--month YYYY-MM | --since DATE "
	"[--until DATE]]] [--examples N] [--html FILE | --publish]\ndigest (--unit UNIT | --each-unit) [--mail [--to ADDR]]\nfeedback "
	"[--month YYYY-MM | --since DATE [--until DATE]] [--html FILE]",
	"Reports from the record (each figure is defined in preport(1)): the monthly performance per "
	"unit, the overdue cases now, the impact of public input, a unit's daily digest, the public's "
	"feedback on the news.\v-f html (monthly, feedback) writes the report as one page.",
	children, NULL, NULL,
};

/* Ends the run on a failure (not 0 nor EXIT_PARTIAL), a bad period named by its option. */
static void
check_run(int rc, const char *report, const char *why)
{
	if (rc != 0 && rc != EXIT_PARTIAL)
		cli_die(rc, "%s: %s%s", report, rc != EXIT_USAGE ? "" : period.month ? "--month: "
		    : "--since or --until: ", why);
}

static int
monthly(struct context *ctx)
{
	bool rows = !out.mail && !out.path && !out.publish && cli.format != FMT_HTML;
	struct printer *p = rows ? cli_printer_cols(monthly_columns, FMT_RECORD) : NULL;
	char *why;

	out.page = !rows && !out.mail && !out.path && !out.publish;
	int rc = monthly_run(ctx, period.month, each_unit, unit, &out, p, cli.quiet ? NULL : stderr, &why);
	if (rc != 0)
		cli_die(rc, "monthly: %s", why);
	return p ? cli_printer_done(p, EXIT_OK) : EXIT_OK;
}

static int
overdue(struct context *ctx)
{
	struct printer *p = cli_printer_cols(overdue_columns, FMT_TABLE);
	long n;
	int rc = overdue_list(ctx, unit, p, &n);

	if (rc != 0)
		cli_die(rc, "overdue: %s", cli_error());
	return cli_printer_done(p, n ? EXIT_OK : EXIT_PARTIAL);
}

static int
digest(struct context *ctx)
{
	char **units = digest_units_asked(ctx, each_unit, unit, out.mail && out.to == NULL);
	struct printer *p = cli_printer_cols(digest_columns, FMT_TABLE);

	if (!unit && !each_unit)
		cli_die(EXIT_USAGE, "digest: --unit UNIT or --each-unit");
	int status = digest_run(ctx, units, out.mail, out.to, p, cli.quiet ? NULL : stderr,
	    cli_complain_of, "digest");
	unit_codes_free(units);
	return cli_printer_done(p, status);
}

static int
impact(struct context *ctx)
{
	bool page = cli.format == FMT_HTML && !out.path && !out.publish;
	struct printer *p = out.path || out.publish || page ? NULL
	    : cli_printer_cols(draft || drafts ? report_impact_columns : impact_columns, FMT_RECORD);
	char *why;
	int rc = impact_run(ctx, &(struct impact_ask){&period, examples, draft, drafts, cli_complain_of,
	    "impact"}, &(struct impact_out){p, out.path, out.publish, page ? stdout : NULL, stdout}, &why);
	check_run(rc, "impact", why);
	return p ? cli_printer_done(p, rc) : rc;
}

static int
feedback(struct context *ctx)
{
	bool page = cli.format == FMT_HTML && !out.path;
	struct printer *p = out.path || page ? NULL : cli_printer_cols(report_feedback_columns, FMT_TABLE);
	char *why;
	int rc = report_feedback_run(ctx, &period, out.path, page ? stdout : NULL, p, &why);
	check_run(rc, "feedback", why);
	return p ? cli_printer_done(p, EXIT_OK) : EXIT_OK;
}

/* The reports there are: a new one is a row here and a function above. */
static const struct { const char *name; int (*run)(struct context *ctx); } reports[] = {
	{"monthly", monthly}, {"overdue", overdue}, {"impact", impact}, {"digest", digest},
	{"feedback", feedback}};

int
main(int argc, char **argv)
{
	cli_start();
	cli.has_html = true;
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(out.mail ? STORE_WRITE : STORE_READ);
	for (size_t i = 0; i < ARRAY_SIZE(reports); i++)
		if (!strcmp(report, reports[i].name))
			return cli_finish(reports[i].run(ctx));
	return cli_finish(EXIT_USAGE);
}
