/* psurvey-invite — queue survey invitations for the cases read, and print their codes. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "survey.h"

static const char *survey = SURVEY_DEFAULT;
static char **codes;
static int ncodes;

enum { OPT_SURVEY = 0x200 };

static const struct argp_option options[] = {
	{"survey", OPT_SURVEY, "CODE", 0, "The survey to invite to (default service)", 0},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_SURVEY: survey = arg; break;
	case ARGP_KEY_ARGS:
		codes = state->argv + state->next;
		ncodes = state->argc - state->next;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_ACTING_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "[CODE...]",
	"Queue an invitation to a survey for each case, and print the codes invited.\v"
	"Codes come from the arguments, or from standard input one a line (the first field of a "
	"TSV line), as pcase-list prints them: a cron job pipes in the cases closed since its "
	"last run. Each invitation carries a token of its own, tied to the case, so the case "
	"answers once; it goes by SMS when the case has a phone, else by mail, from the "
	"template survey.txt, with a link when survey_url is set (else the tracking code). "
	"A case that is anonymous, has no contact, asked for no more messages, was invited to "
	"this survey before or has an invitation still open is skipped, and not a failure "
	"(-v names each); a code with no case is. pnotify sends what is queued.",
	children, NULL, NULL,
};

static int
invite(tcode code, void *arg)
{
	struct context *ctx = arg;
	const char *skipped;
	char grouped[24];
	int rc = survey_invite(ctx, survey, code, NULL, &skipped);

	if (rc == 0 && skipped) {
		if (cli.verbose)
			cli_complain("%s: skipped: %s", code_format_grouped(code, grouped, sizeof grouped),
			    skipped);
		return 0;
	}
	return cli_acted_code(rc, code);
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_WRITE);
	cli_acting("invited");
	return cli_finish(cli_each_code(ncodes, codes, invite, ctx));
}
