/* pdraft-list — the drafts: state, window and comment counts per article. */
#include <stdio.h>

#include "cli.h"
#include "draft.h"

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument %s", text_quote(arg));
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
/* No options of its own: NULL, not an empty list, which glibc's help leaks. */
static const struct argp argp = {
	NULL, parse_opt, "",
	"List the drafts, newest first: code, state (pending, open, closed, final), title, "
	"unit, origin, window in days, versions, when the window opened and closes, comments in "
	"the window and late, and per article of the version out for comment.\v"
	"Times are shown in the configured calendar and zone. Comments are counted per article "
	"by its identity, so a comment made on an article before a revision renumbered it still "
	"counts for it. Off a terminal the default is bare codes; -f tsv or -f json give all.",
	children, NULL, NULL,
};

int
main(int argc, char **argv)
{
	int ncols;
	long count;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_READ);
	const struct column *cols = draft_columns(&ncols);
	struct printer *p = cli_printer(cli_format(FMT_TABLE, FMT_CODES), cols, ncols);
	int rc = draft_list(ctx, p, &count);
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
	if (rc != 0)
		cli_die(rc, "%s", cli_error());
	return cli_finish(count ? EXIT_OK : EXIT_PARTIAL);
}
