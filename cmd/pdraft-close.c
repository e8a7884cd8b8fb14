/* pdraft-close — close the comment windows that have run out; tell the units; or extend one. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "draft.h"
#include "publish.h"
#include "util.h"

static const char *extend, *reason;
static long days;

enum { OPT_EXTEND = 0x200, OPT_DAYS, OPT_REASON };

static const struct argp_option options[] = {
	{"extend", OPT_EXTEND, "CODE", 0, "Extend the window of the draft CODE instead", 1},
	{"days", OPT_DAYS, "N", 0, "With --extend: move its last day N days on", 1},
	{"reason", OPT_REASON, "TEXT", 0, "With --extend: why (the pages show it)", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_EXTEND: extend = arg; break;
	case OPT_DAYS: days = cli_number(state, "--days", arg, -99999, 99999); break;
	case OPT_REASON: reason = arg; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument %s", text_quote(arg));
		break;
	case ARGP_KEY_END:
		if (!extend && (days || reason))
			argp_error(state, "--days and --reason go with --extend");
		if (extend && !days)
			argp_error(state, "--extend needs --days");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "\n--extend CODE --days N --reason TEXT",
	"Close every open draft whose window has run out (its end, 23:59:59 of its last day, "
	"has passed), queue to its unit a mail with the count of comments per article, and "
	"write its page in web_dir as closed. Prints the codes closed.\v"
	"For cron. With --extend, the window of one draft is moved on instead, with its "
	"reason, an event of its history; a closed window whose new end is to come opens "
	"again, and the pages show the new date. Without web_dir the pages are left alone; "
	"a web_dir that cannot be written undoes the whole run.",
	children, NULL, NULL,
};

struct closed {
	char **codes;
	size_t n;
};

static void
one(const char *code, int rc, void *arg)
{
	struct closed *c = arg;

	if (rc == 0) {
		c->codes = xrealloc(c->codes, (c->n + 1) * sizeof *c->codes);
		c->codes[c->n++] = xstrdup(code);
	}
}

static int
close_due(struct context *ctx, void *arg)
{
	return draft_close_due(ctx, one, arg);
}

static int
extend_one(struct context *ctx, void *arg)
{
	int rc = draft_extend(ctx, extend, (int)days, reason);

	if (rc == 0)
		one(extend, 0, arg);
	return rc;
}

int
main(int argc, char **argv)
{
	struct closed c = {0};
	size_t pages;
	char *why;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_WRITE);
	int rc = publish_run(ctx, extend ? extend_one : close_due, &c, PUBLISH_DRAFTS, false,
	    &pages, &why);
	if (rc != 0)
		cli_die(rc, "%s", why ? why : cli_error());
	for (size_t i = 0; i < c.n; i++) {
		printf("%s\n", c.codes[i]);
		free(c.codes[i]);
	}
	free(c.codes);
	return cli_finish(EXIT_OK);
}
