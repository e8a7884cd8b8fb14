/* pnotify — send what is queued: mail over SMTP, SMS over the gateway. */
#include <stdio.h>

#include "cli.h"
#include "dispatch.h"
#include "text.h"
#include "util.h"

enum action { SEND, LIST, DRY_RUN, RETRY, CANCEL, OPT_OUT };
static enum action action = SEND;
static int list_state = -1;
static long limit;
static const char *reason;
static char **operands;
static int noperands;

enum { OPT_LIST = 0x200, OPT_STATE, OPT_DRY_RUN, OPT_RETRY, OPT_CANCEL, OPT_REASON,
	OPT_OPT_OUT, OPT_LIMIT };

static const struct argp_option options[] = {
	{"limit", OPT_LIMIT, "N", 0, "Send at most N items this run", 1},
	{"dry-run", OPT_DRY_RUN, NULL, 0, "Show what would go out now, and send nothing", 1},
	{"list", OPT_LIST, NULL, 0, "Show the outbox", 1},
	{"state", OPT_STATE, "STATE", 0, "With --list: queued, sending, sent, failed or cancelled", 1},
	{"retry", OPT_RETRY, NULL, 0, "Put the failed or cancelled ITEMs back in the queue", 1},
	{"cancel", OPT_CANCEL, NULL, 0, "Drop the queued or failed ITEMs (with --reason)", 1},
	{"reason", OPT_REASON, "TEXT", 0, "With --cancel: why", 1},
	{"opt-out", OPT_OPT_OUT, NULL, 0, "The ADDRESSes (mobile or email) get no more notices "
	    "but the answers to their own cases", 1},
	{0},
};

static void
set_action(struct argp_state *state, enum action a)
{
	if (action != SEND)
		argp_error(state, "one of --list, --dry-run, --retry, --cancel, --opt-out at a time");
	action = a;
}

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_LIMIT: limit = cli_number(state, "--limit", arg, 1, 100000000); break;
	case OPT_DRY_RUN: set_action(state, DRY_RUN); break;
	case OPT_LIST: set_action(state, LIST); break;
	case OPT_STATE: list_state = cli_vocab(state, "--state", arg, &outbox_vocab); break;
	case OPT_RETRY: set_action(state, RETRY); break;
	case OPT_CANCEL: set_action(state, CANCEL); break;
	case OPT_REASON: reason = arg; break;
	case OPT_OPT_OUT: set_action(state, OPT_OUT); break;
	case ARGP_KEY_ARGS:
		operands = state->argv + state->next;
		noperands = state->argc - state->next;
		break;
	case ARGP_KEY_END:
		if (list_state >= 0 && action != LIST)
			argp_error(state, "--state goes with --list");
		if (reason && action != CANCEL)
			argp_error(state, "--reason goes with --cancel");
		if (action == CANCEL && reason == NULL)
			argp_error(state, "--cancel needs its --reason");
		if (noperands && action != RETRY && action != CANCEL && action != OPT_OUT)
			argp_error(state, "unexpected argument %s", text_quote(operands[0]));
		break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_ACTING_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "\n--retry|--cancel [ITEM...]\n--opt-out [ADDRESS...]",
	"Send the notices and mails that are queued and due: mail over SMTP (smtp_url), "
	"SMS over the gateway (sms_url, the key from sms_key_file or PARTAKE_SMS_KEY).\v"
	"Each item is claimed before it is sent, so two runs never send it twice, and a run "
	"that dies loses no item. A refused item is tried again later, at growing delays. "
	"The items sent are printed. ITEMs and ADDRESSes come from the arguments, or one a "
	"line from standard input. Exit status: 0 all sent, 1 some failed for good, 75 a "
	"server was down (run it again later).",
	children, NULL, NULL,
};

static void
report(const struct outbox_item *item, enum delivery d, const char *why, void *arg)
{
	char id[24];

	(void)arg;
	decimal(item->id, 1, id);
	if (d == DELIVERED)
		cli_acted_name(0, id);
	else if (d == DELIVERY_FAILED || item->attempts >= OUTBOX_MAX_ATTEMPTS)
		cli_complain("item %s (%s): %s: failed for good", id, item->channel, why);
	else if (d == DELIVERY_RETRY)
		cli_warn("item %s (%s): %s; tried again later", id, item->channel, why);
	/* A server that is down is said once, at the end, not for every item. */
}

static int
send_due(struct context *ctx)
{
	struct dispatch_senders senders;
	struct dispatch_run run;
	int rc;

	if ((rc = dispatch_senders_init(ctx, &senders)) != 0)
		cli_die(rc, "%s", store_error(ctx->store));
	senders.limit = limit;
	rc = dispatch_due(ctx, &senders, &run, report, NULL);
	dispatch_senders_free(&senders);
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	if (run.down)
		cli_warn("%s: the rest waits for the next run", run.why);
	if (run.sent + run.again + run.failed > 0)
		cli_warn("%ld sent, %ld to try again, %ld failed", run.sent, run.again, run.failed);
	return run.down ? EXIT_TEMPFAIL : run.failed ? EXIT_PARTIAL : EXIT_OK;
}

static int
show(struct context *ctx, bool due)
{
	int ncols, rc;
	long count;
	const struct column *cols = outbox_columns(&ncols);
	struct printer *p = cli_printer(cli_format(FMT_TABLE, FMT_TSV), cols, ncols);

	rc = outbox_list(ctx, list_state, due, OUTBOX_BY_EMAIL | OUTBOX_BY_SMS, p, &count);
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	return count ? EXIT_OK : EXIT_PARTIAL;
}

static int
each(const char *text, const char *where, void *arg)
{
	struct context *ctx = arg;
	long item;

	if (action == OPT_OUT)
		return cli_acted_name(outbox_opt_out(ctx, text, NULL), text);
	if (text_parse_long(text, 1, 1L << 62, &item) != 0 || text[0] == '0')
		return cli_refuse_item(where, text, "not an outbox item number");
	return cli_acted_name(action == RETRY ? outbox_retry(ctx, item)
					      : outbox_cancel(ctx, item, reason), text);
}

int
main(int argc, char **argv)
{
	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(action == LIST || action == DRY_RUN ? STORE_READ : STORE_WRITE);
	switch (action) {
	case SEND: return cli_finish(send_due(ctx));
	case LIST: return cli_finish(show(ctx, false));
	case DRY_RUN: return cli_finish(show(ctx, true));
	default:
		cli_acting(action == RETRY ? "retried" : action == OPT_OUT ? "opted out" : "cancelled");
		return cli_finish(cli_each_name(noperands, operands, each, ctx));
	}
}
