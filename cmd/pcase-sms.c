/* pcase-sms — SMS from citizens, from the gateway, become cases or follow-ups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sms.h"
#include "smsin.h"

/* The callback's fields are a short form; more is not the gateway. */
#define FORM_MAX (64 * 1024)

static bool from_stdin;

enum { OPT_POLL = 0x200, OPT_STDIN };

static const struct argp_option options[] = {
	{"poll", OPT_POLL, NULL, 0, "Ask the gateway for the SMS received and not read yet "
	    "(the default)", 1},
	{"stdin", OPT_STDIN, NULL, 0, "Read one SMS as the gateway's callback fields (from, to, "
	    "message, messageid: a form) from standard input", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_POLL: from_stdin = false; break;
	case OPT_STDIN: from_stdin = true; break;
	case ARGP_KEY_ARG: argp_error(state, "unexpected argument %s", text_quote(arg)); break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, NULL,
	"Take the SMS citizens sent to the agency's line: each becomes a case of channel sms "
	"(the sender's mobile as its contact), or a follow-up on the case whose tracking code "
	"it carries; the word لغو or 11 asks for no more SMS. The gateway's answer is kept in "
	"the database before any case is made of it.\v"
	"The codes of the cases made or followed up are printed. Exit status: 0 all taken, 1 "
	"some messages refused, 2 a fatal error, 75 the gateway was down or the database busy "
	"(what was kept is taken at the next run).",
	children, NULL, NULL,
};

static const char *const said[] = {"", "taken in before", "follow-up", "opted out", "refused"};

static void
report(enum smsin_what what, tcode code, const char *why, void *arg)
{
	char grouped[24];

	(void)arg;
	if (what == SMSIN_REFUSED) {
		cli_complain("%s", why);
		return;
	}
	if (code)
		cli_print_code(code);
	if (what != SMSIN_CASE && code)
		cli_warn("case %s: %s", code_format_grouped(code, grouped, sizeof grouped), said[what]);
}

/* The gateway's answer, kept before anything else is done with it. */
static int
poll_gateway(struct context *ctx)
{
	char *why_key, why[256], *answer;
	char *key = config_secret("PARTAKE_SMS_KEY", ctx->cfg->sms_key_file, &why_key);

	if (why_key)
		cli_die(EXIT_FATAL, "sms_key_file: %s", why_key);
	if (!key)
		cli_die(EXIT_FATAL, "no gateway key: set sms_key_file (config) or PARTAKE_SMS_KEY");
	struct sms_settings s = {ctx->cfg->sms_url, key, ctx->cfg->sms_sender};
	struct sms_session *m = sms_open(&s);
	enum delivery d = m ? sms_receive(m, &answer, why, sizeof why) : DELIVERY_DOWN;
	sms_close(m);
	memset(key, 0, strlen(key));
	free(key);
	if (d != DELIVERED)
		return cli_complain("%s", m ? why : "the SMS gateway could not be set up"), EXIT_TEMPFAIL;
	int rc = smsin_keep(ctx, answer);
	free(answer);
	return rc;
}

int
main(int argc, char **argv)
{
	struct smsin_run run;
	int rc, kept;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_CREATE);
	if (from_stdin) {
		char *form = cli_read_text("stdin", "-", FORM_MAX);
		kept = smsin_keep_form(ctx, form);
		free(form);
	} else {
		kept = poll_gateway(ctx);
	}
	if (kept != 0 && kept != EXIT_TEMPFAIL)
		cli_complain("%s", cli_error());
	/* What earlier runs kept and did not take is taken now, whatever this poll gave. */
	rc = smsin_take(ctx, &run, report, NULL);
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	if (kept != 0)
		return cli_finish(kept);
	return cli_finish(run.counts[SMSIN_REFUSED] ? EXIT_PARTIAL : EXIT_OK);
}
