/* pcase-mail — a mail piped in by the mail server becomes a case or a follow-up. */
#include <stdio.h>

#include "cli.h"
#include "mailin.h"
#include "unit.h"

static struct mailin_options opts;

enum { OPT_UNIT = 0x200, OPT_KIND, OPT_RECIPIENT };

static const struct argp_option options[] = {
	{"unit", OPT_UNIT, "CODE", 0, "The unit that must answer (else the unit whose address "
	    "the mail was sent to)", 1},
	{"kind", OPT_KIND, "KIND", 0, "The kind of a new case (default complaint)", 1},
	{"recipient", OPT_RECIPIENT, "ADDRESS", 0, "The envelope recipient, as the mail server "
	    "gives it (Postfix: ${original_recipient})", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	const char *why;

	switch (key) {
	case OPT_UNIT:
		if ((why = check_catalog_code(arg)) != NULL)
			argp_error(state, "--unit: %s", why);
		opts.unit = arg;
		break;
	case OPT_KIND:
		cli_vocab(state, "--kind", arg, &kind_vocab);
		opts.kind = arg;
		break;
	case OPT_RECIPIENT: opts.recipient = arg; break;
	case ARGP_KEY_ARG: argp_error(state, "unexpected argument %s", text_quote(arg)); break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, NULL,
	"Take one mail (RFC 5322) from standard input, as a mail server's pipe delivers it: "
	"a new mail becomes a case of channel email and the sender gets its tracking code "
	"back (queued; pnotify sends it); a reply that carries a case's code ([#1234-5678-9012] "
	"in the subject, or address+CODE) becomes a follow-up on that case.\v"
	"Mail that cannot become a case is kept whole in the holding folder (mail_hold_dir) "
	"with the reason. Exit status, for the mail server: 0 taken (or held without a "
	"bounce), 64 held and bounced (too large, malformed, no text, no sender), 75 try again "
	"later (nothing was kept), 2 the config or database is broken.",
	children, NULL, NULL,
};

/* What became of the mail, on standard error (the code goes to standard output). */
static void
say(const struct mailin_result *r)
{
	char code[24];

	code_format_grouped(r->code, code, sizeof code);
	if (r->outcome == MAILIN_HELD)
		cli_complain("held%s%s: %s", r->held ? " in " : "", r->held ? r->held : "", r->why);
	else if (r->held)
		cli_warn("%s; the mail is kept in %s", r->why, r->held);
	if (r->outcome == MAILIN_KNOWN)
		cli_warn("case %s: this mail was taken in before", code);
	if (r->outcome == MAILIN_FOLLOW_UP && r->follow_up == FOLLOW_UP_HELD)
		cli_warn("case %s is settled: the reply waits for an admin (followup_settled)", code);
	if (r->outcome == MAILIN_FOLLOW_UP && r->follow_up == FOLLOW_UP_REOPENED)
		cli_warn("case %s is reopened by the reply", code);
	if (r->outcome == MAILIN_CASE && !r->replied && r->no_reply[0])
		cli_warn("case %s: no automatic reply: %s", code, r->no_reply);
}

int
main(int argc, char **argv)
{
	struct mailin_result r;

	cli_start();
	cli.setup_failure = EXIT_TEMPFAIL;
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_CREATE);
	int rc = mailin_take(ctx, stdin, &opts, &r);
	if (rc != 0 && r.outcome != MAILIN_HELD)
		cli_complain("not taken, try again later: %s", r.why);
	else
		say(&r);
	if (r.code != 0 && r.outcome != MAILIN_HELD)
		cli_print_code(r.code);
	mailin_result_free(&r);
	return cli_finish(rc);
}
