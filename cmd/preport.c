/* preport — reports from the record; for now `impact`: what public input changed in drafts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "draft.h"
#include "report.h"
#include "util.h"

static const char *report, *draft, *since, *until, *html;

enum { OPT_DRAFT = 0x200, OPT_SINCE, OPT_UNTIL, OPT_HTML };

static const struct argp_option options[] = {
	{NULL, 0, NULL, 0, "impact:", 1},
	{"draft", OPT_DRAFT, "CODE", 0, "The draft (default: every draft opened in the period)", 1},
	{"since", OPT_SINCE, "DATE", 0, "Drafts whose window opened on or after DATE", 1},
	{"until", OPT_UNTIL, "DATE", 0, "… and before DATE", 1},
	{"html", OPT_HTML, "FILE", 0, "Write the report as a page to FILE instead (written aside, "
	    "renamed)", 1},
	{0},
};

/* The reports there are: a new one is a row here and a function below. */
static int impact(struct context *ctx);
static const struct {
	const char *name;
	int (*run)(struct context *ctx);
} reports[] = {
	{"impact", impact},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_DRAFT: draft = arg; break;
	case OPT_SINCE: since = arg; break;
	case OPT_UNTIL: until = arg; break;
	case OPT_HTML: html = arg; break;
	case ARGP_KEY_ARG:
		if (report)
			argp_error(state, "one report at a time");
		report = arg;
		break;
	case ARGP_KEY_END:
		if (report == NULL)
			argp_error(state, "which report? impact");
		for (size_t i = 0; i < ARRAY_SIZE(reports); i++)
			if (!strcmp(report, reports[i].name))
				return 0;
		argp_error(state, "unknown report %s (impact)", text_quote(report));
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "impact [--draft CODE | --since DATE [--until DATE]] [--html FILE]",
	"Reports from the record. impact: for a draft (or every draft whose window opened in "
	"the period), the comments received on each article, in the window and late, by "
	"disposition (accepted, partial, rejected, noted, undisposed) with each reason, and the "
	"change of each article from the version put out for comment to the final one (the "
	"latest, until it is final) as a word-level diff: [-words taken out-] {+words put "
	"in+}.\v"
	"Articles are followed by their identity, so an article renumbered by an insertion is "
	"compared with itself; change is same, edited, new or removed. Every format of -f; the "
	"default on a terminal is one record per article. --html writes the same as a page "
	"(taken out struck through, put in marked), through the page frame of share/partake.",
	children, NULL, NULL,
};

static time_t
date_option(struct context *ctx, const char *opt, const char *text)
{
	struct cal_when w;
	const char *why;

	(void)ctx;
	if (text == NULL)
		return 0;
	if (cal_parse(text, CAL_AUTO, &w, &why) != 0)
		cli_die(EXIT_USAGE, "%s: %s: %s", opt, text_quote(text), why);
	return cal_when_time(&w);
}

static int
impact(struct context *ctx)
{
	char **codes;
	char *why;
	int status = EXIT_OK, ncols;

	if (draft) {
		codes = xcalloc(2, sizeof *codes);
		codes[0] = xstrdup(draft);
	} else {
		codes = report_drafts_in(ctx, date_option(ctx, "--since", since),
		    date_option(ctx, "--until", until));
	}
	if (codes[0] == NULL)
		status = EXIT_PARTIAL;
	if (html) {
		if (report_impact_html(ctx, codes, html, &why) != 0)
			cli_die(EXIT_FATAL, "--html: %s", why);
	} else {
		const struct column *cols = report_impact_columns(&ncols);
		struct printer *p = cli_printer(cli_format(FMT_RECORD, FMT_TSV), cols, ncols);
		for (size_t i = 0; codes[i]; i++) {
			int rc = report_impact(ctx, codes[i], p);
			if (rc != 0) {
				cli_complain("%s", cli_error());
				status = rc;
			}
		}
		if (printer_close(p) != 0)
			cli_die(EXIT_FATAL, "write error");
	}
	draft_codes_free(codes);
	return status;
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (draft && (since || until))
		cli_die(EXIT_USAGE, "--draft or a period, not both");
	struct context *ctx = cli_open(STORE_READ);
	for (size_t i = 0; i < ARRAY_SIZE(reports); i++)
		if (!strcmp(report, reports[i].name))
			return cli_finish(reports[i].run(ctx));
	return cli_finish(EXIT_USAGE);
}
