/* pdraft-final — mark the approved version of a draft. */
#include <stdio.h>

#include "cli.h"
#include "draft.h"

static const char *code, *force;
static long version;

enum { OPT_VERSION = 0x200, OPT_FORCE };

static const struct argp_option options[] = {
	{"approved", OPT_VERSION, "N", 0, "The version approved (default: the latest)", 1},
	{"force", OPT_FORCE, "REASON", 0, "Approve it though comments have no disposition yet, "
	    "for this reason (kept in its history)", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_VERSION: version = cli_number(state, "--approved", arg, 1, 99999); break;
	case OPT_FORCE: force = arg; break;
	case ARGP_KEY_ARG:
		if (code)
			argp_error(state, "one draft at a time");
		code = arg;
		break;
	case ARGP_KEY_END:
		if (code == NULL)
			argp_error(state, "which draft? give its code");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "CODE [--approved N] [--force REASON]",
	"Mark a draft final: the version approved, after its comment window closed. Prints the "
	"draft's code.\v"
	"Refused while a comment on the draft has no disposition (pcase-answer --outcome "
	"accepted, partial, rejected or noted), unless --force gives the reason to go on "
	"without; that reason and the count are kept in the draft's history. A final draft "
	"takes no revision and no comment.",
	children, NULL, NULL,
};

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_WRITE);
	int rc = draft_final(ctx, code, (int)version, force);
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	printf("%s\n", code);
	return cli_finish(EXIT_OK);
}
