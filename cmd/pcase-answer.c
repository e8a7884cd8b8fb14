/* pcase-answer — record the answer to the citizen and queue the notice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "workflow.h"
#include "util.h"

static const char *text, *text_file;
static int outcome = -1;
static unsigned actions;
static long changed_version, changed_article;
static char **codes;
static int ncodes;

enum { OPT_TEXT = 't', OPT_FILE = 0x200, OPT_OUTCOME, OPT_ACTION, OPT_CHANGED_VERSION,
	OPT_CHANGED_ARTICLE };

static const struct argp_option options[] = {
	{"text", OPT_TEXT, "TEXT", 0, "The answer ('-': standard input)", 1},
	{"file", OPT_FILE, "FILE", 0, "Read the answer from FILE ('-': standard input)", 1},
	{"outcome", OPT_OUTCOME, "OUTCOME", 0, "accepted, partial, rejected, noted or info", 1},
	{"action", OPT_ACTION, "ACTION", 0, "What was done: system, process, information, support "
	    "or regulation (repeatable, or a comma list)", 1},
	{"changed-version", OPT_CHANGED_VERSION, "N", 0, "A comment on a draft, accepted or partial: "
	    "the version of the draft it changed", 2},
	{"changed-article", OPT_CHANGED_ARTICLE, "N", 0, "With --changed-version: the article of that "
	    "version it changed", 2},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{

	switch (key) {
	case OPT_TEXT: text = arg; break;
	case OPT_FILE: text_file = arg; break;
	case OPT_OUTCOME:
		outcome = cli_vocab(state, "--outcome", arg, &outcome_vocab);
		break;
	case OPT_ACTION:
		cli_vocab_set(state, "--action", arg, &action_vocab, &actions);
		break;
	case OPT_CHANGED_VERSION:
		changed_version = cli_number(state, "--changed-version", arg, 1, 99999);
		break;
	case OPT_CHANGED_ARTICLE:
		changed_article = cli_number(state, "--changed-article", arg, 1, 99999);
		break;
	case ARGP_KEY_ARGS:
		codes = state->argv + state->next;
		ncodes = state->argc - state->next;
		break;
	case ARGP_KEY_END:
		if ((text != NULL) + (text_file != NULL) != 1)
			argp_error(state, "give the answer with --text or --file");
		if (changed_article && !changed_version)
			argp_error(state, "--changed-article goes with --changed-version");
		if (outcome < 0)
			argp_error(state, "--outcome is needed (%s)", vocab_list(&outcome_vocab, ", "));
		bool text_on_stdin = (text && !strcmp(text, "-")) || (text_file && !strcmp(text_file, "-"));
		if (ncodes == 0 && text_on_stdin)
			argp_error(state, "the answer is on standard input: give the codes as arguments");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_ACTING_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "[CODE...] --outcome OUTCOME (--text TEXT | --file FILE)",
	"Record the answer to a case: its text, its outcome and the actions taken. The case "
	"moves to answered and the citizen is sent a notice (SMS if a phone is known, else "
	"email) with the tracking code, never the answer's text.\v"
	"The same answer may go to several cases (duplicates of one matter). Codes come from "
	"the arguments, or one a line from standard input. The codes answered are printed. A "
	"comment on a draft is answered with its disposition (accepted, partial, rejected or "
	"noted; the answer is its reason), and may name the version and article it changed.",
	children, NULL, NULL,
};

static char *
read_answer(void)
{
	size_t max = 4 * (size_t)BODY_MAX;

	if (text_file)
		return cli_read_text("answer", text_file, max);
	return strcmp(text, "-") == 0 ? cli_read_text("answer", "-", max) : xstrdup(text);
}

static char *answer;

static int
answer_one(tcode code, void *arg)
{
	struct context *ctx = arg;
	return cli_acted_code(case_answer_draft(ctx, code, answer, outcome, actions,
	    (int)changed_version, (int)changed_article), code);
}

int
main(int argc, char **argv)
{
	struct field_error err;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_WRITE);
	answer = read_answer();
	/* Checked once: the same answer goes to every case. */
	if (case_check_answer(answer, &err) != 0)
		cli_die(EXIT_FATAL, "%s: %s", text_file ? "--file" : "--text", err.why);
	cli_acting("answered");
	int status = cli_each_code(ncodes, codes, answer_one, ctx);
	free(answer);
	return cli_finish(status);
}
