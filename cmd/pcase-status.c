/* pcase-status — show cases and their history. */
#include <stdlib.h>
#include <string.h>

#include "caseview.h"
#include "cli.h"
#include "workflow.h"
#include "util.h"

static bool public_view, force;
static int set_to = -1, notified_level;
static long extend_days;
static const char *note, *reason;
static char **codes;
static int ncodes;
static enum fmt_kind kind;
static struct printer *rows;	/* tsv, csv, xlsx, json, codes: one row a case */

enum { OPT_PUBLIC = 0x200, OPT_SET, OPT_NOTE, OPT_EXTEND, OPT_REASON, OPT_FORCE, OPT_NOTIFIED };

static const struct argp_option options[] = {
	{"public", OPT_PUBLIC, NULL, 0, "Only what the citizen may see: no personal data, "
	    "no internal notes", 1},
	{NULL, 0, NULL, 0, "Acting on the cases (the codes acted on are printed):", 2},
	{"set", OPT_SET, "STATE", 0, "Move to in-progress, waiting, closed or rejected "
	    "(in-progress from answered or closed reopens)", 2},
	{"note", OPT_NOTE, "TEXT", 0, "With --set: why; for waiting, the question the citizen "
	    "is sent; for rejected, the reason", 2},
	{"extend", OPT_EXTEND, "N", 0, "Move the deadline N working days on (once per case)", 2},
	{"reason", OPT_REASON, "TEXT", 0, "With --extend: why (kept in the history)", 2},
	{"force", OPT_FORCE, NULL, 0, "With --extend: extend a case extended before", 2},
	{"notified", OPT_NOTIFIED, "LEVEL", 0, "Record that the overdue notice of LEVEL went "
	    "out (see pcase-list --unnotified)", 2},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_PUBLIC: public_view = true; break;
	case OPT_SET:
		set_to = cli_vocab(state, "--set", arg, &state_vocab);
		break;
	case OPT_NOTE: note = arg; break;
	case OPT_EXTEND:
		extend_days = cli_number(state, "--extend", arg, 1, 365);
		break;
	case OPT_REASON: reason = arg; break;
	case OPT_FORCE: force = true; break;
	case OPT_NOTIFIED:
		notified_level = (int)cli_number(state, "--notified", arg, 1, 99);
		break;
	case ARGP_KEY_ARGS:
		codes = state->argv + state->next;
		ncodes = state->argc - state->next;
		break;
	case ARGP_KEY_END:
		if ((set_to >= 0) + (extend_days > 0) + (notified_level > 0) > 1)
			argp_error(state, "one action at a time: --set, --extend or --notified");
		if (note && set_to < 0)
			argp_error(state, "--note goes with --set");
		if ((reason || force) && extend_days == 0)
			argp_error(state, "--reason and --force go with --extend");
		if (extend_days && reason == NULL)
			argp_error(state, "--extend needs its --reason");
		if (public_view && (set_to >= 0 || extend_days || notified_level))
			argp_error(state, "--public is for showing, not acting");
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_ACTING_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "[CODE...]",
	"Show each case, its state, its deadline and its history.\v"
	"Codes come from the arguments, or from standard input one a line. A code not found "
	"is reported and the others still shown (exit status 1). With --format json each case "
	"is one object with its history in \"events\"; tsv, csv and xlsx print one row a case.",
	children, NULL, NULL,
};

/* --set, --extend, --notified: act, then print the code. */
static int
act(tcode code, void *arg)
{
	struct context *ctx = arg;
	int rc;

	if (set_to >= 0)
		rc = case_set_state(ctx, code, set_to, note);
	else if (extend_days)
		rc = case_extend(ctx, code, (int)extend_days, reason, force);
	else
		rc = case_mark_notified(ctx, code, notified_level);
	return cli_acted_code(rc, code);
}

static enum case_view_detail
detail(void)
{
	return public_view ? VIEW_PUBLIC : VIEW_LONG;
}

/* For people: a blank line between two cases. */
static int
show_for_people(struct context *ctx, tcode code)
{
	static bool first = true;

	if (!first)
		putchar('\n');
	int rc = case_print(ctx, code, detail(), stdout);
	first = first && rc != 0;
	return rc;
}

static int
show(tcode code, void *arg)
{
	struct context *ctx = arg;
	char buf[24];
	int rc = rows ? case_show(ctx, code, detail(), rows, kind == FMT_JSON)
		      : show_for_people(ctx, code);

	if (rc == EXIT_PARTIAL)
		cli_complain("%s: no such case", code_format_grouped(code, buf, sizeof buf));
	else if (rc != 0)
		cli_die(rc, "%s", cli_error());
	return rc;
}

static struct printer *
row_printer(void)
{
	int ncols;
	const struct column *cols = kind == FMT_JSON ? case_columns_with_history(detail(), &ncols)
						     : case_columns(detail(), &ncols);
	return cli_printer(kind, cols, ncols);
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	bool changes = set_to >= 0 || extend_days || notified_level;
	struct context *ctx = cli_open(changes ? STORE_WRITE : STORE_READ);
	if (changes) {
		cli_acting(set_to >= 0 ? "moved" : extend_days ? "extended" : "marked");
		return cli_finish(cli_each_code(ncodes, codes, act, ctx));
	}
	kind = cli_format(FMT_RECORD, FMT_RECORD);
	ctx->for_people = kind == FMT_RECORD || kind == FMT_TABLE;
	if (!ctx->for_people)
		rows = row_printer();
	int status = cli_each_code(ncodes, codes, show, ctx);
	if (rows && printer_close(rows) != 0)
		cli_die(EXIT_FATAL, "write error");
	return cli_finish(status);
}
