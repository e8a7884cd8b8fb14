/* punit — the agency's units: add, list, show, update, remove. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store.h"
#include "unit.h"
#include "util.h"

static struct unit_input input;
static const char *verb;
static char **codes;
static int ncodes;

enum { OPT_NAME = 0x200, OPT_EMAIL, OPT_PHONE, OPT_PARENT };

static const struct argp_option options[] = {
	{"name", OPT_NAME, "NAME", 0, "The unit's name", 1},
	{"email", OPT_EMAIL, "ADDRESS", 0, "The one address the unit answers at ('' clears)", 1},
	{"phone", OPT_PHONE, "NUMBER", 0, "Its office phone ('' clears)", 1},
	{"parent", OPT_PARENT, "CODE", 0, "The unit above it, where cases escalate ('' clears)", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_NAME: input.name = arg; break;
	case OPT_EMAIL: input.email = arg; break;
	case OPT_PHONE: input.phone = arg; break;
	case OPT_PARENT: input.parent = arg; break;
	case ARGP_KEY_ARGS:
		verb = state->argv[state->next];
		codes = state->argv + state->next + 1;
		ncodes = state->argc - state->next - 1;
		break;
	case ARGP_KEY_END:
		cli_check_catalog(state, verb, "add list show update remove", "", ncodes,
		    input.name || input.email || input.phone || input.parent, "unit");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt,
	"add CODE --name NAME [--email ADDRESS] [--phone NUMBER] [--parent CODE]\n"
	"list\nshow [CODE...]\nupdate CODE [--name …] [--email …] [--phone …] [--parent …]\n"
	"remove [CODE...]",
	"The agency's units: who answers which cases, at which address, and where cases "
	"escalate.\v"
	"A code is 1 to 32 of a-z, 0-9, '.', '_' and '-'. add, update and remove print the "
	"codes they changed. A unit with cases, child units or services is not removed. A "
	"parent that would make a loop is refused. show and remove read codes from standard "
	"input, one a line, when none are given.",
	children, NULL, NULL,
};

static struct printer *shown;

static int
show_one(const char *code, const char *where, void *arg)
{
	(void)where;
	struct context *ctx = arg;
	int rc = unit_show(ctx->store, code, shown);

	if (rc != 0)
		cli_complain("%s", cli_error());
	return rc;
}

static int
remove_one(const char *code, const char *where, void *arg)
{
	(void)where;
	struct context *ctx = arg;
	return cli_acted_name(unit_remove(ctx->store, code), code);
}

int
main(int argc, char **argv)
{
	int ncols, status;
	long count;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(!strcmp(verb, "add") ? STORE_CREATE
	    : !strcmp(verb, "list") || !strcmp(verb, "show") ? STORE_READ : STORE_WRITE);
	const struct column *cols = unit_columns(&ncols);

	if (!strcmp(verb, "add"))
		status = cli_acted_name(unit_add(ctx->store, codes[0], &input), codes[0]);
	else if (!strcmp(verb, "update"))
		status = cli_acted_name(unit_update(ctx->store, codes[0], &input), codes[0]);
	else if (!strcmp(verb, "remove"))
		status = cli_each_name(ncodes, codes, remove_one, ctx);
	else {
		bool list = !strcmp(verb, "list");
		struct printer *p = cli_printer(cli_format(list ? FMT_TABLE : FMT_RECORD,
		    list ? FMT_CODES : FMT_RECORD), cols, ncols);
		if (list) {
			if ((status = unit_list(ctx->store, p, &count)) != 0)
				cli_die(status, "%s", cli_error());
			status = count ? EXIT_OK : EXIT_PARTIAL;
		} else {
			shown = p;
			status = cli_each_name(ncodes, codes, show_one, ctx);
		}
		if (printer_close(p) != 0)
			cli_die(EXIT_FATAL, "write error");
	}
	return cli_finish(status);
}
