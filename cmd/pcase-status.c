/* pcase-status — show cases and their history. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static bool public_view;
static enum fmt_kind kind;
static struct printer *rows;	/* tsv, csv, json, codes: one row a case */

enum { OPT_PUBLIC = 0x200 };

static const struct argp_option options[] = {
	{"public", OPT_PUBLIC, NULL, 0, "Only what the citizen may see: no personal data, "
	    "no internal notes", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	(void)state;
	switch (key) {
	case OPT_PUBLIC: public_view = true; break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "[CODE...]",
	"Show each case, its state, its deadline and its history.\v"
	"Codes come from the arguments, or from standard input one a line. A code not found "
	"is reported and the others still shown (exit status 1). With --format json each case "
	"is one object with its history in \"events\"; tsv and csv print one row a case.",
	children, NULL, NULL,
};

static enum case_view_detail
detail(void)
{
	return public_view ? VIEW_PUBLIC : VIEW_LONG;
}

/* For people: the case as "field  value" lines, then its history as a table. */
static int
show_for_people(struct case_context *ctx, tcode code)
{
	static bool first = true;
	int ncols, rc;
	const struct column *cols = case_columns(detail(), &ncols);
	struct printer *p = cli_printer(FMT_RECORD, cols, ncols);

	if (!first)
		putchar('\n');
	rc = case_show(ctx, code, detail(), p, false);
	printer_close(p);
	if (rc != 0)
		return rc;
	first = false;
	cols = event_columns(detail(), &ncols);
	printf("\nhistory\n");
	p = cli_printer(FMT_TABLE, cols, ncols);
	rc = case_history(ctx, code, detail(), p);
	printer_close(p);
	return rc;
}

static int
show(tcode code, void *arg)
{
	struct case_context *ctx = arg;
	char buf[24];
	int rc = rows ? case_show(ctx, code, detail(), rows, kind == FMT_JSON)
		      : show_for_people(ctx, code);

	if (rc == EXIT_PARTIAL) {
		fflush(stdout);
		fprintf(stderr, "%s: %s: no such case\n", program_invocation_short_name,
		    code_format_grouped(code, buf, sizeof buf));
	} else if (rc != 0) {
		cli_die(rc, "%s", store_error(ctx->store));
	}
	return rc;
}

static struct printer *
row_printer(void)
{
	static struct column cols[32];
	int ncols;
	const struct column *base = case_columns(detail(), &ncols);

	memcpy(cols, base, (size_t)ncols * sizeof *cols);
	if (kind == FMT_JSON)
		cols[ncols++] = (struct column){"events", COL_JSON};
	return cli_printer(kind, cols, ncols);
}

int
main(int argc, char **argv)
{
	int idx;

	cli_start();
	argp_parse(&argp, argc, argv, 0, &idx, NULL);
	struct case_context *ctx = cli_context();
	kind = cli_format(FMT_RECORD, FMT_RECORD);
	ctx->for_people = kind == FMT_RECORD || kind == FMT_TABLE;
	if (!ctx->for_people)
		rows = row_printer();
	int status = cli_each_code(argc - idx, argv + idx, show, ctx);
	if (rows && printer_close(rows) != 0)
		cli_die(EXIT_FATAL, "write error");
	return cli_finish(status);
}
