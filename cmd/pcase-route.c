/* pcase-route — give cases to the unit that must answer them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "workflow.h"
#include "route.h"
#include "util.h"

static const char *to_unit;
static bool by_rules, escalate, dry_run;
static struct printer *plan;	/* --dry-run: what each case would get */
static int level;
static struct route_rules *rules;
static char **codes;
static int ncodes;

enum { OPT_TO = 0x200, OPT_AUTO, OPT_ESCALATE, OPT_LEVEL, OPT_DRY_RUN };

static const struct argp_option options[] = {
	{"to", OPT_TO, "UNIT", 0, "Route to this unit, by hand", 1},
	{"auto", OPT_AUTO, NULL, 0, "Route by the rules in the config's routes file", 1},
	{"escalate", OPT_ESCALATE, NULL, 0, "Move each case up to the parent of its unit", 1},
	{"level", OPT_LEVEL, "N", 0, "With --escalate: record overdue notice level N, so "
	    "that pcase-list --unnotified N passes the case over next time", 1},
	{"dry-run", OPT_DRY_RUN, NULL, 0, "Change nothing: print each case with the unit it "
	    "would go to (with --to or --auto; with --auto the rule's line too) or why not, "
	    "to try a rules file", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_TO: to_unit = arg; break;
	case OPT_AUTO: by_rules = true; break;
	case OPT_ESCALATE: escalate = true; break;
	case OPT_DRY_RUN: dry_run = true; break;
	case OPT_LEVEL:
		level = (int)cli_number(state, "--level", arg, 1, 99);
		break;
	case ARGP_KEY_ARGS:
		codes = state->argv + state->next;
		ncodes = state->argc - state->next;
		break;
	case ARGP_KEY_END:
		if ((to_unit != NULL) + by_rules + escalate != 1)
			argp_error(state, "say how: --to UNIT, --auto or --escalate");
		if (level && !escalate)
			argp_error(state, "--level goes with --escalate");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_ACTING_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "[CODE...]",
	"Route cases to the unit that must answer them: by hand, by the routing rules, or up "
	"to the parent unit.\v"
	"Codes come from the arguments, or one a line from standard input; the codes routed "
	"are printed, so that `pcase-list --state new | pcase-route --auto` and a nightly "
	"`pcase-list --overdue --unnotified 1 | pcase-route --escalate --level 1` work. A case "
	"no rule matches, or whose unit has no parent, is reported and left as it was (exit "
	"status 1).",
	children, NULL, NULL,
};

/* One row of the plan: the case, the unit, the rule, or why not. */
static int
plan_row(struct context *ctx, int rc, tcode code, const char *unit, long line)
{
	static const struct column cols[] = {
		{"code", COL_TEXT}, {"unit", COL_TEXT}, {"rule", COL_INT}, {"refused", COL_TEXT},
	};
	if (rc == EXIT_TEMPFAIL || rc == EXIT_FATAL)
		return cli_acted_code(rc, code);
	if (plan == NULL) {
		ctx->for_people = cli_format(FMT_TABLE, FMT_TSV) == FMT_TABLE;
		plan = cli_printer(cli_format(FMT_TABLE, FMT_TSV), cols, 4);
	}
	cli_put_code_cell(plan, code);
	printer_text(plan, unit);
	if (line)
		printer_int(plan, line);
	else
		printer_text(plan, NULL);
	printer_text(plan, rc ? cli_error_of(code) : NULL);
	printer_row(plan);
	return rc;
}

static int
route_one(tcode code, void *arg)
{
	struct context *ctx = arg;
	char *unit = NULL;
	long line = 0;
	int rc;

	if (escalate)
		rc = case_escalate(ctx, code, level);
	else if (by_rules)
		rc = case_route_auto(ctx, code, rules, &unit, &line);
	else
		rc = case_route_to(ctx, code, to_unit);
	rc = dry_run ? plan_row(ctx, rc, code, unit ? unit : to_unit, line) : cli_acted_code(rc, code);
	free(unit);
	return rc;
}

int
main(int argc, char **argv)
{
	char *why;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_WRITE);
	if (by_rules) {
		if (ctx->cfg->routes == NULL)
			cli_die(EXIT_FATAL, "--auto: no routes file in the config (routes = FILE)");
		if ((rules = route_load(ctx->store, ctx->cfg->routes, &why)) == NULL)
			cli_die(EXIT_FATAL, "%s", why);
		int rc = dry_run ? 0 : route_record(ctx->store, rules);
		if (rc != 0)
			cli_die(rc, "%s", cli_error());
	}
	ctx->dry_run = dry_run;
	if (!dry_run)
		cli_acting(escalate ? "escalated" : "routed");
	int status = cli_each_code(ncodes, codes, route_one, ctx);
	route_free(rules);
	if (plan && printer_close(plan) != 0)
		cli_die(EXIT_FATAL, "write error");
	return cli_finish(status);
}
