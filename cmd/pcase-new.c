/* pcase-new — register cases and print their tracking codes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "store.h"
#include "case.h"
#include "intake.h"
#include "util.h"

static struct case_input input;
static const char *body_file;
static bool batch, tsv, one_case_option;

enum { OPT_BODY_FILE = 0x200, OPT_NATIONAL_ID, OPT_RECEIVED, OPT_ATTACH, OPT_ANONYMOUS,
	OPT_BATCH, OPT_TSV, OPT_SERVICE, OPT_UNIT, OPT_NAME, OPT_PHONE, OPT_EMAIL, OPT_NO_NOTICE };
static bool no_notice;

static const struct argp_option options[] = {
	{NULL, 0, NULL, 0, "One case:", 1},
	{"kind", 'k', "KIND", 0, "complaint, suggestion, violation, request, question, "
	    "feedback or comment", 1},
	{"channel", 'c', "CHANNEL", 0, "portal, email, sms, phone, desk, 111, samad or other "
	    "(default other)", 1},
	{"service", OPT_SERVICE, "CODE", 0, "The service it is about (routes to its unit)", 1},
	{"unit", OPT_UNIT, "CODE", 0, "The unit that must answer", 1},
	{"subject", 's', "TEXT", 0, "A one-line subject", 1},
	{"body", 'b', "TEXT", 0, "The citizen's text ('-': standard input)", 1},
	{"body-file", OPT_BODY_FILE, "FILE", 0, "Read the text from FILE ('-': standard input)", 1},
	{"name", OPT_NAME, "NAME", 0, "The citizen's name", 1},
	{"phone", OPT_PHONE, "MOBILE", 0, "Iranian mobile number (09…, +989…)", 1},
	{"email", OPT_EMAIL, "ADDRESS", 0, "Email address", 1},
	{"national-id", OPT_NATIONAL_ID, "ID", 0, "National id (checked with its check digit)", 1},
	{"anonymous", OPT_ANONYMOUS, NULL, 0, "The citizen gives no contact", 1},
	{"received", OPT_RECEIVED, "DATE", 0, "When it came in, for back-filled cases "
	    "(default now)", 1},
	{"attach", OPT_ATTACH, "PATH", 0, "Record a file by reference (repeatable)", 1},
	{NULL, 0, NULL, 0, "Many cases:", 2},
	{"batch", OPT_BATCH, NULL, 0, "Read cases from standard input, one JSON object a line",
	    2},
	{"tsv", OPT_TSV, NULL, 0, "With --batch: TSV with a header line instead", 2},
	{"no-notice", OPT_NO_NOTICE, NULL, 0, "Queue no confirmation to the citizen (for "
	    "back-filled imports)", 2},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	one_case_option = one_case_option || (key != OPT_BATCH && key != OPT_TSV &&
	    key != OPT_NO_NOTICE &&
	    key != ARGP_KEY_INIT && key < ARGP_KEY_END);
	switch (key) {
	case 'k': input.kind = arg; break;
	case 'c': input.channel = arg; break;
	case OPT_SERVICE: input.service = arg; break;
	case OPT_UNIT: input.unit = arg; break;
	case 's': input.subject = arg; break;
	case 'b': input.body = arg; break;
	case OPT_BODY_FILE: body_file = arg; break;
	case OPT_NAME: input.name = arg; break;
	case OPT_PHONE: input.phone = arg; break;
	case OPT_EMAIL: input.email = arg; break;
	case OPT_NATIONAL_ID: input.national_id = arg; break;
	case OPT_ANONYMOUS: input.anonymous = true; break;
	case OPT_RECEIVED: input.received = arg; break;
	case OPT_ATTACH:
		if (input.nattach == ATTACH_MAX)
			argp_error(state, "--attach: at most %d files", ATTACH_MAX);
		input.attach[input.nattach++] = arg;
		break;
	case OPT_BATCH: batch = true; break;
	case OPT_TSV: tsv = true; break;
	case OPT_NO_NOTICE: no_notice = true; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument %s", text_quote(arg));
		break;
	case ARGP_KEY_END:
		if (batch && one_case_option)
			argp_error(state, "--batch reads every field from standard input; "
			    "leave out the options of one case");
		if (tsv && !batch)
			argp_error(state, "--tsv goes with --batch");
		if (body_file && input.body)
			argp_error(state, "give --body or --body-file, not both");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, NULL,
	"Register a case (or, with --batch, many) and print its tracking code.\v"
	"A complaint, request or question needs a phone or an email unless --anonymous. "
	"With --batch, each line of standard input is one case, a JSON object whose keys "
	"are the long option names with '_' for '-' (kind, channel, service, unit, subject, "
	"body, name, phone, email, national_id, received, anonymous, attach); the whole "
	"batch is stored in one transaction, or nothing is. The codes are printed one a line, "
	"in input order.",
	children, NULL, NULL,
};

/* The body as given, or read from --body-file or from "-" (standard input). */
static const char *
read_body(void)
{
	/* A character takes at most four bytes: more than that cannot pass the check. */
	size_t max = 4 * (size_t)BODY_MAX;

	if (body_file)
		return cli_read_text("body", body_file, max);
	if (input.body && strcmp(input.body, "-") == 0)
		return cli_read_text("body", "-", max);
	return input.body;
}

static int
new_batch(struct context *ctx)
{
	struct intake_result res;
	int rc = intake_batch(ctx, stdin, tsv ? INTAKE_TSV : INTAKE_JSON, cli_progress, NULL, &res);

	cli_progress_end();
	if (rc != 0 && res.bad_line)
		cli_die(rc, "line %zu: %s: %s (nothing stored)", res.bad_line, res.err.field,
		    res.err.why);
	if (rc != 0)
		cli_die(rc, "%s: %s (nothing stored)", res.err.field, res.err.why);
	struct printer *p = cli_codes_printer();
	for (size_t i = 0; i < res.ncodes; i++)
		cli_put_code(p, res.codes[i]);
	intake_result_free(&res);
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error: the cases are stored, but their codes were not printed");
	return EXIT_OK;
}

static int
new_one(struct context *ctx)
{
	struct field_error err = {0};
	tcode code;
	int rc;

	input.body = read_body();
	if ((rc = case_register(ctx, &input, &code, &err)) == EXIT_FATAL && err.field)
		cli_die(rc, "%s: %s", err.field, err.why);
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	struct printer *p = cli_codes_printer();
	cli_put_code(p, code);
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error: the case is stored, but its code was not printed");
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_CREATE);
	ctx->no_notice = no_notice;
	return cli_finish(batch ? new_batch(ctx) : new_one(ctx));
}
