/* pcase-edit — correct the fields of cases as intake took them. */
#include <stdlib.h>
#include <string.h>

#include "caseedit.h"
#include "cli.h"
#include "util.h"

static struct case_edit edit;
static const char *body_file;
static char **codes;
static int ncodes;

enum { OPT_SERVICE = 0x200, OPT_BODY_FILE, OPT_NAME, OPT_PHONE, OPT_EMAIL, OPT_NATIONAL_ID,
	OPT_ANONYMOUS, OPT_REASON, OPT_FORCE };

static const struct argp_option options[] = {
	{NULL, 0, NULL, 0, "The fields to correct (an empty value clears one):", 1},
	{"kind", 'k', "KIND", 0, "complaint, suggestion, violation, request, question, "
	    "feedback or comment", 1},
	{"channel", 'c', "CHANNEL", 0, "portal, email, sms, phone, desk, 111, samad or other", 1},
	{"service", OPT_SERVICE, "CODE", 0, "The service it is about (its unit stays)", 1},
	{"subject", 's', "TEXT", 0, "A one-line subject", 1},
	{"body", 'b', "TEXT", 0, "The citizen's text", 1},
	{"body-file", OPT_BODY_FILE, "FILE", 0, "Read the text from FILE ('-': standard input, "
	    "when the codes are operands)", 1},
	{"name", OPT_NAME, "NAME", 0, "The citizen's name", 1},
	{"phone", OPT_PHONE, "MOBILE", 0, "Iranian mobile number (09…, +989…)", 1},
	{"email", OPT_EMAIL, "ADDRESS", 0, "Email address", 1},
	{"national-id", OPT_NATIONAL_ID, "ID", 0, "National id (checked with its check digit)", 1},
	{"anonymous", OPT_ANONYMOUS, "yes|no", 0, "Whether the citizen gave no contact", 1},
	{NULL, 0, NULL, 0, "Why:", 2},
	{"reason", OPT_REASON, "TEXT", 0, "Why, kept in the history with each change", 2},
	{"force", OPT_FORCE, NULL, 0, "Correct answered, closed or rejected cases too "
	    "(needs --reason)", 2},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	struct case_input *set = &edit.set;

	switch (key) {
	case 'k': set->kind = arg; break;
	case 'c': set->channel = arg; break;
	case OPT_SERVICE: set->service = arg; break;
	case 's': set->subject = arg; break;
	case 'b': set->body = arg; break;
	case OPT_BODY_FILE: body_file = arg; break;
	case OPT_NAME: set->name = arg; break;
	case OPT_PHONE: set->phone = arg; break;
	case OPT_EMAIL: set->email = arg; break;
	case OPT_NATIONAL_ID: set->national_id = arg; break;
	case OPT_ANONYMOUS:
		if (strcmp(arg, "yes") != 0 && strcmp(arg, "no") != 0)
			argp_error(state, "--anonymous: %s is not yes or no", text_quote(arg));
		edit.anonymous = strcmp(arg, "yes") == 0;
		break;
	case OPT_REASON: edit.reason = arg; break;
	case OPT_FORCE: edit.force = true; break;
	case ARGP_KEY_INIT: case_edit_init(&edit); break;
	case ARGP_KEY_ARGS:
		codes = state->argv + state->next;
		ncodes = state->argc - state->next;
		break;
	case ARGP_KEY_END:
		if (body_file == NULL && case_edit_is_empty(&edit))
			argp_error(state, "nothing to change: give a field to correct (--phone, --kind, …)");
		if (body_file && set->body)
			argp_error(state, "give --body or --body-file, not both");
		if (body_file && strcmp(body_file, "-") == 0 && ncodes == 0)
			argp_error(state, "--body-file -: standard input holds the codes; give them "
			    "as operands");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_ACTING_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "[CODE...]",
	"Correct what cases were given at intake: a mistyped phone, the wrong kind, a "
	"subject with personal data in it.\v"
	"Codes come from the arguments, or one a line from standard input; the codes changed "
	"are printed. Each value is checked as pcase-new checks it, and the case as corrected "
	"must pass intake's checks. Each field changed is an event of the case's history with "
	"its old and new value. Answered, closed and rejected cases are corrected only with "
	"--force and --reason. A case that has the values given already is reported (exit "
	"status 1). The deadline is not counted again.",
	children, NULL, NULL,
};

static int
edit_one(tcode code, void *arg)
{
	return cli_acted_code(case_edit(arg, code, &edit), code);
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_WRITE);
	/* A character takes at most four bytes: more cannot pass the check. */
	if (body_file)
		edit.set.body = cli_read_text("body", body_file, 4 * (size_t)BODY_MAX);
	int rc = case_edit_check(ctx, &edit);
	if (rc != 0)
		cli_die(rc, "%s (nothing changed)", cli_error());
	cli_acting("changed");
	return cli_finish(cli_each_code(ncodes, codes, edit_one, ctx));
}
