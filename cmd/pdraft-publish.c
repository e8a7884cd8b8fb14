/* pdraft-publish — open the drafts whose time has come; write their pages and the Atom feed. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "draft.h"
#include "publish.h"
#include "util.h"

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
	"Open for comment every pending draft whose --publish-at has come, and write the public "
	"pages into web_dir: drafts/index.html, a page per draft (its text by article, the window "
	"in Solar Hijri dates, how to comment and read the answer, comment counts), "
	"drafts/feed.atom (Atom, RFC 4287) and partake.css. Prints the codes opened.\v"
	"For cron. Every file is written aside and renamed into place once the database has "
	"committed; a file already as it would be is not written again, so a second run changes "
	"nothing. A web_dir that cannot be written: nothing is published and no draft opened. A "
	"draft with no text is not opened (exit 1), the others are.",
	children, NULL, NULL,
};

struct opened {
	char **codes;
	size_t n;
	int status;
};

static void
one(const char *code, int rc, void *arg)
{
	struct opened *o = arg;

	if (rc != 0) {
		cli_complain("%s", cli_error());
		o->status = EXIT_PARTIAL;
		return;
	}
	o->codes = xrealloc(o->codes, (o->n + 1) * sizeof *o->codes);
	o->codes[o->n++] = xstrdup(code);
}

static int
open_due(struct context *ctx, void *arg)
{
	return draft_open_due(ctx, one, arg);
}

int
main(int argc, char **argv)
{
	struct opened o = {0};
	size_t pages;
	char *why;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(STORE_WRITE);
	int rc = publish_run(ctx, open_due, &o, PUBLISH_DRAFTS, true, &pages, &why);
	if (rc != 0)
		cli_die(rc, "%s", why ? why : cli_error());
	for (size_t i = 0; i < o.n; i++) {
		printf("%s\n", o.codes[i]);
		free(o.codes[i]);
	}
	free(o.codes);
	if (!cli.quiet && pages)
		cli_complain("%zu file%s written in %s", pages, pages == 1 ? "" : "s",
		    ctx->cfg->web_dir);
	return cli_finish(o.status);
}
