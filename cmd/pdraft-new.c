/* pdraft-new — register a draft regulation for public comment, or add a version to one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "draft.h"
#include "util.h"

static struct draft_input input = {.origin = ORIGIN_INTERNAL};
static const char *text_file, *revise;

enum { OPT_TITLE = 0x200, OPT_UNIT, OPT_ORIGIN, OPT_WINDOW, OPT_PUBLISH_AT, OPT_TEXT,
	OPT_REVISE };

static const struct argp_option options[] = {
	{NULL, 0, NULL, 0, "A new draft:", 1},
	{"title", OPT_TITLE, "TEXT", 0, "Its title", 1},
	{"unit", OPT_UNIT, "CODE", 0, "The unit responsible for it (it gets the comments)", 1},
	{"origin", OPT_ORIGIN, "ORIGIN", 0, "internal (window.internal days, 14) or higher, from "
	    "a higher authority (window.higher, 30)", 1},
	{"window", OPT_WINDOW, "DAYS", 0, "The comment window in days, instead of the origin's", 1},
	{"publish-at", OPT_PUBLISH_AT, "DATE", 0, "Open it for comment at the first pdraft-publish "
	    "from DATE (default: the next one)", 1},
	{"text", OPT_TEXT, "FILE", 0, "The text, UTF-8, articles as 'ماده ۱' lines or '## ' "
	    "headings ('-': standard input)", 1},
	{NULL, 0, NULL, 0, "A new version:", 2},
	{"revise", OPT_REVISE, "CODE", 0, "Add the --text as a new version of the draft CODE", 2},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_TITLE: input.title = arg; break;
	case OPT_UNIT: input.unit = arg; break;
	case OPT_ORIGIN: input.origin = cli_vocab(state, "--origin", arg, &origin_vocab); break;
	case OPT_WINDOW:
		input.window = cli_number(state, "--window", arg, -99999, 99999);
		input.window_given = true;
		break;
	case OPT_PUBLISH_AT: input.publish_at = arg; break;
	case OPT_TEXT: text_file = arg; break;
	case OPT_REVISE: revise = arg; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument %s", text_quote(arg));
		break;
	case ARGP_KEY_END:
		if (revise && (input.title || input.unit || input.window_given || input.publish_at))
			argp_error(state, "--revise takes only --text: the draft keeps its title, unit "
			    "and window");
		if (revise && text_file == NULL)
			argp_error(state, "--revise needs the new version's --text");
		if (!revise && (input.title == NULL || input.unit == NULL))
			argp_error(state, "a new draft needs --title and --unit");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt,
	"--title TEXT --unit CODE [--origin ORIGIN] [--window DAYS] [--text FILE]\n"
	"--revise CODE --text FILE",
	"Register a draft regulation for public comment and print its code (D-1405-0007), or "
	"add a version to one with --revise.\v"
	"The text is split into articles at lines that begin 'ماده N' (with '-', ':' or nothing "
	"after the number; 'ماده واحده' is article 1) or '## '; 'تبصره' lines are notes of the "
	"article above them. A text with no articles is refused. The window opens at "
	"pdraft-publish and closes at 23:59:59 (the configured time zone) of the DAYSth day "
	"after. A version once out for comment is never changed; a revision is matched to the "
	"version before article by article, and the mapping recorded.",
	children, NULL, NULL,
};

int
main(int argc, char **argv)
{
	char code[DRAFT_CODE_SIZE];
	int rc, version;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(revise ? STORE_WRITE : STORE_CREATE);
	char *text = text_file ? cli_read_text("text", text_file, 4 * (size_t)DRAFT_TEXT_MAX) : NULL;

	input.text = text;
	if (revise) {
		if ((rc = draft_revise(ctx, revise, text, &version)) != 0)
			cli_die(rc, "%s", cli_error());
		snprintf(code, sizeof code, "%s", revise);
		if (!cli.quiet)
			cli_complain("%s: version %d added", code, version);
	} else if ((rc = draft_new(ctx, &input, code)) != 0) {
		cli_die(rc, "%s", cli_error());
	}
	free(text);
	printf("%s\n", code);
	return cli_finish(EXIT_OK);
}
