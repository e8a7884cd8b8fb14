/* preport — reports from the record: monthly, overdue, impact, feedback, digest. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "digest.h"
#include "draft.h"
#include "monthly.h"
#include "report.h"
#include "util.h"

static const char *report, *draft, *since, *until, *html, *month, *unit, *to;
static bool each_unit, mail, publish;

enum { OPT_DRAFT = 0x200, OPT_SINCE, OPT_UNTIL, OPT_HTML, OPT_MONTH, OPT_UNIT, OPT_EACH, OPT_MAIL,
	OPT_TO, OPT_PUBLISH };

static const struct argp_option options[] = {
	{"month", OPT_MONTH, "YYYY-MM", 0, "monthly, impact: the Solar Hijri month (default: the last "
	    "one)", 1},
	{"unit", OPT_UNIT, "UNIT", 0, "monthly, overdue, digest: of this unit alone", 1},
	{"each-unit", OPT_EACH, NULL, 0, "digest, monthly --mail: every unit, each its own", 1},
	{"mail", OPT_MAIL, NULL, 0, "Queue it as a mail (to --to, or each unit's address); digest: "
	    "and record it as the unit's last", 1},
	{"to", OPT_TO, "ADDR", 0, "With --mail: to this address", 1},
	{"publish", OPT_PUBLISH, NULL, 0, "monthly: write the page into web_dir/reports", 1},
	{"html", OPT_HTML, "FILE", 0, "monthly, impact: write the page to FILE (aside, renamed)", 1},
	{"draft", OPT_DRAFT, "CODE", 0, "impact: the draft alone", 1},
	{"since", OPT_SINCE, "DATE", 0, "impact, feedback: from DATE", 1},
	{"until", OPT_UNTIL, "DATE", 0, "… to before DATE", 1},
	{0},
};

static int monthly(struct context *ctx), overdue(struct context *ctx), impact(struct context *ctx),
    digest(struct context *ctx);
/* The reports there are: a new one is a row here and a function below. */
static const struct {
	const char *name;
	int (*run)(struct context *ctx);
} reports[] = {
	{"monthly", monthly}, {"overdue", overdue}, {"impact", impact}, {"digest", digest},
};
#define REPORT_NAMES "monthly, overdue, impact, digest"

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_DRAFT: draft = arg; break;
	case OPT_SINCE: since = arg; break;
	case OPT_UNTIL: until = arg; break;
	case OPT_HTML: html = arg; break;
	case OPT_MONTH: month = arg; break;
	case OPT_UNIT: unit = arg; break;
	case OPT_EACH: each_unit = true; break;
	case OPT_MAIL: mail = true; break;
	case OPT_TO: to = arg; break;
	case OPT_PUBLISH: publish = true; break;
	case ARGP_KEY_ARG:
		if (report)
			argp_error(state, "one report at a time");
		report = arg;
		break;
	case ARGP_KEY_END:
		if (report == NULL)
			argp_error(state, "which report? " REPORT_NAMES);
		if (unit && each_unit)
			argp_error(state, "--unit or --each-unit, not both");
		if (to && !mail)
			argp_error(state, "--to goes with --mail");
		for (size_t i = 0; i < ARRAY_SIZE(reports); i++)
			if (!strcmp(report, reports[i].name))
				return 0;
		argp_error(state, "unknown report %s (" REPORT_NAMES ")", text_quote(report));
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "monthly [--month YYYY-MM] [--unit UNIT] [--html FILE | --publish | --mail]\n"
	"overdue [--unit UNIT]\nimpact [--draft CODE | --month YYYY-MM | --since DATE [--until DATE]]\n"
	"feedback [--since DATE [--until DATE]]\ndigest (--unit UNIT | --each-unit) [--mail [--to ADDR]]",
	"Reports from the record, each figure defined in preport(1). monthly: per unit and in total, "
	"what came in, was answered (on time, in how many working days), is open and overdue, was "
	"reopened, rejected, escalated, put before the committee and decided; satisfaction from the "
	"surveys; drafts; and the head of the audit chain at the month's end. overdue: every overdue "
	"case now. impact: what public input changed. feedback: comments on the agency's news by item. "
	"digest: for a unit, what is new since its last digest, due within 2 working days, overdue.\v"
	"-f html (monthly) writes the report as one page with its charts.",
	children, NULL, NULL,
};

static struct printer *
open_printer(const struct column *(*columns)(int *), enum fmt_kind on_terminal)
{
	int ncols;
	const struct column *cols = columns(&ncols);

	return cli_printer(cli_format(on_terminal, FMT_TSV), cols, ncols);
}

static void
close_printer(struct printer *p)
{
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
}

static int
monthly(struct context *ctx)
{
	struct report_month m;
	struct monthly mo;
	const char *why;
	char *msg = NULL, *written = NULL;
	int rc;

	if (report_month_parse(month, ctx->now, &m, &why) != 0)
		cli_die(EXIT_USAGE, "--month: %s: %s", text_quote(month), why);
	char **units = each_unit ? digest_units(ctx, to == NULL) : NULL;
	for (size_t i = 0; units == NULL ? i == 0 : units[i] != NULL; i++) {
		const char *u = units ? units[i] : unit;
		if ((rc = monthly_load(ctx, &m, u, &mo)) != 0)
			cli_die(rc, "monthly: %s", cli_error());
		bool queued = false;
		if (mail && (rc = monthly_mail(ctx, &mo, u, to, &queued)) != 0)
			cli_die(rc, "monthly --mail: %s", cli_error());
		if (mail && !cli.quiet)
			cli_warn("%s: %s", u ? u : to ? to : "monthly", queued ? "queued" : "queued before");
		if ((html || publish) && monthly_write(ctx, &mo, u, html, &written, &msg) != 0)
			cli_die(EXIT_FATAL, "%s: %s", html ? "--html" : "--publish", msg);
		if (written && !cli.quiet)
			printf("%s\n", written);
		free(written);
		written = NULL;
		if (!mail && !html && !publish && cli.format == FMT_HTML) {
			char *page;
			size_t n;
			if (monthly_html(ctx, &mo, u, &page, &n, &msg) != 0)
				cli_die(EXIT_FATAL, "%s", msg);
			fwrite(page, 1, n, stdout);
			free(page);
		} else if (!mail && !html && !publish) {
			struct printer *p = open_printer(monthly_columns, FMT_RECORD);
			monthly_print(&mo, p);
			close_printer(p);
		}
		monthly_free(&mo);
	}
	digest_units_free(units);
	return EXIT_OK;
}

static int
overdue(struct context *ctx)
{
	struct printer *p = open_printer(overdue_columns, FMT_TABLE);
	long n;
	int rc = overdue_list(ctx, unit, p, &n);

	if (rc != 0)
		cli_die(rc, "overdue: %s", cli_error());
	close_printer(p);
	return n ? EXIT_OK : EXIT_PARTIAL;
}

static int
digest(struct context *ctx)
{
	if (!unit && !each_unit)
		cli_die(EXIT_USAGE, "digest: --unit UNIT or --each-unit");
	char **units = each_unit ? digest_units(ctx, mail && to == NULL) : NULL;
	struct printer *p = open_printer(digest_columns, FMT_TABLE);
	int status = EXIT_OK, rc;

	for (size_t i = 0; units == NULL ? i == 0 : units[i] != NULL; i++) {
		const char *u = units ? units[i] : unit;
		struct digest_result r;
		if ((rc = digest_unit(ctx, u, mail, to, p, &r)) != 0) {
			cli_complain("digest: %s", cli_error());
			status = rc;
		} else if (mail && !cli.quiet) {
			cli_warn("%s: %s (%ld new, %ld due, %ld overdue)", u, r.queued ? "queued"
			    : r.already ? "had its digest today: nothing sent" : r.no_address
			    ? "no address: nothing sent" : "nothing to tell", r.fresh, r.due, r.overdue);
		}
	}
	close_printer(p);
	digest_units_free(units);
	return status;
}

static time_t
date_option(const char *opt, const char *text)
{
	struct cal_when w;
	const char *why;

	if (text && cal_parse(text, CAL_AUTO, &w, &why) != 0)
		cli_die(EXIT_USAGE, "%s: %s: %s", opt, text_quote(text), why);
	return text ? cal_when_time(&w) : 0;
}

static int
impact(struct context *ctx)
{
	char **codes, *why;
	int status = EXIT_OK;
	struct report_month m;
	const char *bad;

	if (month && report_month_parse(month, ctx->now, &m, &bad) != 0)
		cli_die(EXIT_USAGE, "--month: %s: %s", text_quote(month), bad);
	time_t from = month ? m.start : date_option("--since", since);
	time_t before = month ? m.end : date_option("--until", until);
	if (draft) {
		codes = xcalloc(2, sizeof *codes);
		codes[0] = xstrdup(draft);
	} else {
		codes = report_drafts_in(ctx, from, before);
	}
	if (html && report_impact_html(ctx, codes, html, &why) != 0)
		cli_die(EXIT_FATAL, "--html: %s", why);
	struct printer *p = html ? NULL : open_printer(report_impact_columns, FMT_RECORD);
	for (size_t i = 0; p && codes[i]; i++) {
		int rc = report_impact(ctx, codes[i], p);
		if (rc != 0) {
			cli_complain("%s", cli_error());
			status = rc;
		}
	}
	if (p)
		close_printer(p);
	status = codes[0] == NULL ? EXIT_PARTIAL : status;
	draft_codes_free(codes);
	return status;
}

int
main(int argc, char **argv)
{
	cli_start();
	cli.has_html = true;
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (draft && (since || until || month))
		cli_die(EXIT_USAGE, "--draft or a period, not both");
	bool writes = mail || (!strcmp(report, "digest") && mail);
	struct context *ctx = cli_open(writes ? STORE_WRITE : STORE_READ);
	for (size_t i = 0; i < ARRAY_SIZE(reports); i++)
		if (!strcmp(report, reports[i].name))
			return cli_finish(reports[i].run(ctx));
	return cli_finish(EXIT_USAGE);
}
