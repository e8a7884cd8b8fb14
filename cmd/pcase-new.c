/* pcase-new — register cases and print their tracking codes. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "case.h"
#include "intake.h"
#include "util.h"

static struct case_input input;
static const char *body_file;
static bool batch, tsv, one_case_option, no_notice;

enum { OPT_BODY_FILE = 0x200, OPT_NATIONAL_ID, OPT_RECEIVED, OPT_ATTACH, OPT_ANONYMOUS, OPT_BATCH,
	OPT_TSV, OPT_SERVICE, OPT_UNIT, OPT_NAME, OPT_PHONE, OPT_EMAIL, OPT_NO_NOTICE, OPT_SOURCE_ID };

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
	{"attach", OPT_ATTACH, "PATH", 0, "Copy a file into the attachment store, or keep a "
	    "link (repeatable)", 1},
	{"source-id", OPT_SOURCE_ID, "ID", 0, "The channel's own id of it (a 111 number, a "
	    "Message-ID): taken in once", 1},
	{NULL, 0, NULL, 0, "Many cases:", 2},
	{"batch", OPT_BATCH, NULL, 0, "Read cases from standard input, one JSON object a line", 2},
	{"tsv", OPT_TSV, NULL, 0, "With --batch: TSV with a header line instead", 2},
	{"no-notice", OPT_NO_NOTICE, NULL, 0, "Queue no confirmation to the citizen (for "
	    "back-filled imports)", 2},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	one_case_option |= key != OPT_BATCH && key != OPT_TSV && key != OPT_NO_NOTICE &&
	    key != ARGP_KEY_INIT && key < ARGP_KEY_END;
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
	case OPT_SOURCE_ID: input.source_id = arg; break;
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
		if (batch && (one_case_option || cli_case_options))
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

static const struct argp_child children[] = CLI_CASE_CHILDREN;
static const struct argp argp = {
	options, parse_opt, NULL,
	"Register a case (or, with --batch, many) and print its tracking code.\v"
	"A complaint, request or question needs a phone or an email unless --anonymous. With "
	"--batch, each line of standard input is one case, a JSON object whose keys are the long "
	"option names with '_' for '-' (kind, channel, service, unit, subject, body, name, phone, "
	"email, national_id, received, anonymous, attach, source_id, draft, article, late); the "
	"whole batch is stored in one transaction, or nothing is. The codes are printed one a line, "
	"in input order. A line with a source id taken in before is not stored again: its code is "
	"printed.",
	children, NULL, NULL,
};

/* The body as given, or read from --body-file or from "-" (standard input). */
static const char *
read_body(void)
{
	size_t max = 4 * (size_t)BODY_MAX;	/* a character is at most four bytes */

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
	if (res.nknown && !cli.quiet)
		cli_complain("%zu of the %zu cases were taken in before, by their source ids: their "
		    "codes are printed, and nothing of them stored again", res.nknown, res.ncodes);
	cli_put_codes_from(intake_next_code, &res, "the cases are stored");
	intake_result_free(&res);
	intake_index(ctx);	/* once the codes are out */
	return EXIT_OK;
}

static int
new_one(struct context *ctx)
{
	struct field_error err = {0};
	bool known = false;
	tcode code;
	int rc;

	input.body = read_body();
	if ((rc = case_register(ctx, &input, &code, &known, &err)) == EXIT_FATAL && err.field)
		cli_die(rc, "%s: %s", err.field, err.why);
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	if (known && !cli.quiet)
		cli_complain("source id %s was taken in before: its case's code is printed, and "
		    "nothing stored again", text_quote(input.source_id));
	cli_put_codes(&code, 1, "the case is stored");
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	cli_start();
	cli_case_input = &input;
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_CREATE);
	ctx->no_notice = no_notice;
	return cli_finish(batch ? new_batch(ctx) : new_one(ctx));
}
