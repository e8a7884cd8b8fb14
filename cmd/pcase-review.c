/* pcase-review — committee review of suggestions: open, opinions, summary, decision. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "review.h"
#include "util.h"

static bool open_review, summary;
static const char *member, *note, *decision;
static int opinion = -1;
static unsigned actions;
static char **codes;
static int ncodes;

enum { OPT_OPEN = 0x200, OPT_MEMBER, OPT_OPINION, OPT_NOTE, OPT_SUMMARY, OPT_DECIDE, OPT_ACTION };

static const struct argp_option options[] = {
	{"open", OPT_OPEN, NULL, 0, "Put the suggestion before the committee", 1},
	{"member", OPT_MEMBER, "NAME", 0, "With --opinion: the member who gives it", 1},
	{"opinion", OPT_OPINION, "OPINION", 0, "approve, reject or abstain (a later one of the "
	    "same member replaces it)", 1},
	{"note", OPT_NOTE, "TEXT", 0, "The member's reasons, or the decision's text", 1},
	{"summary", OPT_SUMMARY, NULL, 0, "Print the opinions, their notes and the tally", 1},
	{"decide", OPT_DECIDE, "DECISION", 0, "accepted or rejected: close the review", 1},
	{"action", OPT_ACTION, "ACTION", 0, "With --decide accepted: system, process, information, "
	    "support or regulation (repeatable, or a comma list)", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{

	switch (key) {
	case OPT_OPEN: open_review = true; break;
	case OPT_MEMBER: member = arg; break;
	case OPT_OPINION:
		opinion = cli_vocab(state, "--opinion", arg, &opinion_vocab);
		break;
	case OPT_NOTE: note = arg; break;
	case OPT_SUMMARY: summary = true; break;
	case OPT_DECIDE:
		if (strcmp(arg, "accepted") && strcmp(arg, "rejected"))
			argp_error(state, "--decide: %s is not accepted or rejected", text_quote(arg));
		decision = arg;
		break;
	case OPT_ACTION:
		cli_vocab_set(state, "--action", arg, &action_vocab, &actions);
		break;
	case ARGP_KEY_ARGS:
		codes = state->argv + state->next;
		ncodes = state->argc - state->next;
		break;
	case ARGP_KEY_END:
		if (open_review + summary + (decision != NULL) + (opinion >= 0 || member != NULL) != 1)
			argp_error(state, "say what: --open, --member NAME --opinion OPINION, --summary "
			    "or --decide DECISION");
		if ((opinion >= 0) != (member != NULL))
			argp_error(state, "--member and --opinion go together");
		if (actions && decision == NULL)
			argp_error(state, "--action goes with --decide");
		if (ncodes != 1)
			argp_error(state, "give one suggestion's tracking code");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "CODE (--open | --member NAME --opinion OPINION | --summary | --decide DECISION)",
	"The suggestions committee: put a suggestion before it, record each member's opinion, "
	"print the tally, and decide.\v"
	"Each step is an event in the case's history. A member has one opinion; a later one "
	"replaces it, and the history keeps both. --decide moves the suggestion to answered "
	"with the decision as its outcome, and queues the citizen's notice; an accepted "
	"suggestion needs the action it leads to.",
	children, NULL, NULL,
};

static int
print_summary(struct context *ctx, tcode code)
{
	int tally[OPINION_COUNT], rc;
	enum fmt_kind kind = cli_format(FMT_TABLE, FMT_TSV);
	int ncols;
	const struct column *cols = review_columns(&ncols);
	struct printer *p = cli_printer(kind, cols, ncols);

	rc = review_summary(ctx, code, p, tally);
	printer_close(p);
	if (rc == 0 && (kind == FMT_TABLE || kind == FMT_RECORD)) {
		char *text = review_tally_text(tally, cli_config()->shown);
		printf("\n%s\n", text);
		free(text);
	}
	return rc;
}

int
main(int argc, char **argv)
{
	tcode code;
	const char *why;
	int rc;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (code_parse(codes[0], &code, &why) != 0)
		cli_die(EXIT_FATAL, "%s: %s", text_quote(codes[0]), why);
	struct context *ctx = cli_open(summary ? STORE_READ : STORE_WRITE);
	if (summary)
		rc = print_summary(ctx, code);
	else if (open_review)
		rc = review_open(ctx, code, note);
	else if (decision)
		rc = review_decide(ctx, code, strcmp(decision, "accepted") == 0, actions, note);
	else
		rc = review_opinion(ctx, code, member, opinion, note);
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	if (!summary)
		cli_print_code(code);
	return cli_finish(EXIT_OK);
}
