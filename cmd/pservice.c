/* pservice — the service catalog: add, list, show, update, and FAQ entries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "open311.h"
#include "store.h"
#include "service.h"
#include "publish.h"
#include "util.h"

static struct service_input input;
static const char *verb, *question, *answer;
static char **codes;
static int ncodes;

enum { OPT_NAME = 0x200, OPT_UNIT, OPT_DEADLINE, OPT_STEPS, OPT_DOCUMENTS, OPT_FEES,
	OPT_DURATION, OPT_LEGAL_BASIS, OPT_HOW_TO_COMPLAIN, OPT_QUESTION, OPT_ANSWER };

static const struct argp_option options[] = {
	{"name", OPT_NAME, "NAME", 0, "The service's name", 1},
	{"unit", OPT_UNIT, "CODE", 0, "The unit that answers for it", 1},
	{"deadline", OPT_DEADLINE, "DAYS", 0, "Working days its cases have (overrides the "
	    "kind's; '' clears)", 1},
	{"steps", OPT_STEPS, "TEXT", 0, "The steps, as the citizen goes through them", 1},
	{"documents", OPT_DOCUMENTS, "TEXT", 0, "The documents required", 1},
	{"fees", OPT_FEES, "TEXT", 0, "What it costs", 1},
	{"duration", OPT_DURATION, "TEXT", 0, "How long it takes", 1},
	{"legal-basis", OPT_LEGAL_BASIS, "TEXT", 0, "The law or rule behind it", 1},
	{"how-to-complain", OPT_HOW_TO_COMPLAIN, "TEXT", 0, "How to complain about it", 1},
	{"question", OPT_QUESTION, "TEXT", 0, "With faq: the question", 2},
	{"answer", OPT_ANSWER, "TEXT", 0, "With faq: its answer", 2},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_NAME: input.name = arg; break;
	case OPT_UNIT: input.unit = arg; break;
	case OPT_DEADLINE: input.deadline = arg; break;
	case OPT_STEPS: input.steps = arg; break;
	case OPT_DOCUMENTS: input.documents = arg; break;
	case OPT_FEES: input.fees = arg; break;
	case OPT_DURATION: input.duration = arg; break;
	case OPT_LEGAL_BASIS: input.legal_basis = arg; break;
	case OPT_HOW_TO_COMPLAIN: input.how_to_complain = arg; break;
	case OPT_QUESTION: question = arg; break;
	case OPT_ANSWER: answer = arg; break;
	case ARGP_KEY_ARGS:
		verb = state->argv[state->next];
		codes = state->argv + state->next + 1;
		ncodes = state->argc - state->next - 1;
		break;
	case ARGP_KEY_END:
		if ((question || answer) && (verb == NULL || strcmp(verb, "faq")))
			argp_error(state, "--question and --answer go with faq");
		cli_check_catalog(state, verb, "add list show update faq publish", "faq", ncodes,
		    memcmp(&input, &(struct service_input){0}, sizeof input) != 0, "service");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt,
	"add CODE --name NAME --unit CODE [FIELD...]\nlist\nshow [CODE...]\n"
	"update CODE [FIELD...]\nfaq CODE --question TEXT --answer TEXT\npublish",
	"The service catalog: each service's steps, documents, fees, duration, legal basis, "
	"how to complain, FAQ, the unit that answers for it, and the working days its cases "
	"have.\v"
	"A case registered with --service goes to the service's unit at once and takes the "
	"service's deadline. On update an absent field is kept and an empty one ('') cleared. "
	"show prints one record per service with its FAQ (with -f json, an array of objects). "
	"publish writes the catalog into web_dir as pages (services/index.html and one a service).",
	children, NULL, NULL,
};

static struct printer *shown;

static int
show_one(const char *code, const char *where, void *arg)
{
	(void)where;
	struct context *ctx = arg;
	int rc = service_show(ctx->store, code, shown);

	if (rc != 0)
		cli_complain("%s", cli_error());
	return rc;
}

/* The catalog as Open311's list of services. */
static int
list_open311(struct context *ctx, enum fmt_kind kind)
{
	struct open311_doc *doc = open311_new(kind, OPEN311_SERVICES, stdout);
	long count;
	int rc = service_each(ctx->store, open311_put_service, doc, &count);

	if (rc != 0)
		cli_die(rc, "%s", cli_error());	/* the document is left to the exit */
	if (open311_write(doc) != 0)
		cli_die(EXIT_FATAL, "write error");
	return count ? EXIT_OK : EXIT_PARTIAL;
}

int
main(int argc, char **argv)
{
	int ncols, status;
	long count;

	cli_start();
	cli.has_open311 = true;
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	struct context *ctx = cli_open(!strcmp(verb, "add") ? STORE_CREATE
	    : !strcmp(verb, "list") || !strcmp(verb, "show") ? STORE_READ : STORE_WRITE);

	if (!strcmp(verb, "add"))
		status = cli_acted_name(service_add(ctx->store, codes[0], &input), codes[0]);
	else if (!strcmp(verb, "update"))
		status = cli_acted_name(service_update(ctx->store, codes[0], &input), codes[0]);
	else if (!strcmp(verb, "publish")) {
		size_t pages;
		char *why;
		if ((status = publish_run(ctx, NULL, NULL, PUBLISH_SERVICES, true, &pages, &why)) != 0)
			cli_die(status, "%s", why ? why : cli_error());
		if (!cli.quiet)
			cli_complain("%zu file%s written in %s", pages, pages == 1 ? "" : "s", ctx->cfg->web_dir);
	} else if (!strcmp(verb, "faq"))
		status = cli_acted_name(service_add_faq(ctx->store, codes[0], question, answer), codes[0]);
	else {
		bool list = !strcmp(verb, "list");
		enum fmt_kind kind = cli_format(list ? FMT_TABLE : FMT_RECORD, list ? FMT_CODES : FMT_RECORD);
		if (list && fmt_is_document(kind))	/* the standard's shape: fmt.h */
			return cli_finish(list_open311(ctx, kind));
		/* A table leaves out the long texts; show and the data formats give them all. */
		bool brief = list && kind == FMT_TABLE;
		const struct column *cols = service_columns(brief, &ncols);
		struct printer *p = cli_printer(kind, cols, ncols);
		if (list) {
			if ((status = service_list(ctx->store, p, brief, &count)) != 0)
				cli_die(status, "%s", cli_error());
			status = count ? EXIT_OK : EXIT_PARTIAL;
		} else {
			shown = p;
			status = cli_each_name(ncodes, codes, show_one, ctx);
		}
		if (printer_close(p) != 0)
			cli_die(EXIT_FATAL, "write error");
	}
	return cli_finish(status);
}
