/* pdb — create, migrate, check, index, back up and seal the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "against.h"
#include "cli.h"
#include "dbcheck.h"
#include "schema.h"
#include "search.h"
#include "seal.h"
#include "util.h"

static const char *action, *backup_file, *heads, *public_key, *key_file, *new_key, *against;
static int time_limit, full;	/* time_limit 0: not given */

/* A backup's bound: a nightly copy must not run into the next job. */
enum { OPT_HEADS = 256, OPT_PUBLIC_KEY, OPT_KEY, OPT_NEW_KEY, OPT_FULL, OPT_TIME_LIMIT,
	OPT_AGAINST, BACKUP_TIME_LIMIT = 600 };
static const struct argp_option options[] = {
	{"heads", OPT_HEADS, "FILE", 0, "The seals to prove, or to add the new one to", 0},
	{"public-key", OPT_PUBLIC_KEY, "HEX", 0, "The public key the seals are checked by", 0},
	{"key", OPT_KEY, "FILE", 0, "The secret key to seal with", 0},
	{"new-key", OPT_NEW_KEY, "FILE", 0, "Make a secret key in FILE, print its public key", 0},
	{"full", OPT_FULL, NULL, 0, "With check: the full-text index's own check too, which "
	    "holds the write lock while it runs, and each attachment's content hashed again", 0},
	{"time-limit", OPT_TIME_LIMIT, "SECONDS", 0, "With backup: give up (exit 75) when the "
	    "copy is not done in SECONDS (default 600)", 0},
	{"against", OPT_AGAINST, "REPORT", 0, "With check: the chain against the heads REPORT "
	    "published (preport monthly), instead of the whole check", 0},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_HEADS: heads = arg; break;
	case OPT_PUBLIC_KEY: public_key = arg; break;
	case OPT_KEY: key_file = arg; break;
	case OPT_NEW_KEY: new_key = arg; break;
	case OPT_FULL: full = true; break;
	case OPT_AGAINST: against = arg; break;
	case OPT_TIME_LIMIT: time_limit = (int)cli_number(state, "--time-limit", arg, 1, 86400); break;
	case ARGP_KEY_ARG:
		if (action == NULL) {
			char word[24];
			snprintf(word, sizeof word, " %s ", arg);
			if (!strstr(" init migrate check index backup seal ", word))
				argp_error(state, "unknown action %s (init, migrate, check, index, "
				    "backup, seal)", text_quote(arg));
			action = arg;
		} else if (strcmp(action, "backup") == 0 && backup_file == NULL) {
			backup_file = arg;
		} else {
			argp_error(state, "unexpected argument %s", text_quote(arg));
		}
		break;
	case ARGP_KEY_END:
		if (action == NULL)
			argp_error(state, "which action? init, migrate, check, index, backup or seal");
		if (strcmp(action, "backup") == 0 && backup_file == NULL)
			argp_error(state, "backup needs the FILE to write");
		if ((new_key && strcmp(action, "seal")) || (time_limit && strcmp(action, "backup")))
			argp_error(state, "--new-key goes with seal, --time-limit with backup");
		if ((full || against) && strcmp(action, "check") != 0)
			argp_error(state, "--full and --against go with check");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "init\nmigrate\ncheck\nindex\nbackup FILE\nseal",
	"Look after the database.\v"
	"init creates the database (and its folder, at the default place) and says where it is. migrate "
	"moves a file made by an older partake to this one's schema. check runs SQLite's integrity and "
	"foreign-key checks and the audit chain's (with the seals of --heads), and says which coming "
	"years lack a holiday file; exit status 1 when it found a problem. It only reads (--full adds "
	"the full-text index's own check, a write). check --against REPORT walks the chain through the "
	"heads a monthly report published. index brings the full-text index up to date, in steps that "
	"let writers in. backup copies the database at one moment to FILE, which must not exist, while "
	"others write; FILE is the whole copy or nothing. seal checks the chain, signs its head with the "
	"secret key and prints the seal.",
	children, NULL, NULL,
};

static void
report(void *arg, const char *what)
{
	printer_text(arg, what);
	printer_row(arg);
}

/* check, or seal: the problems found, one a row; then the seal, if it was made. */
static int
check(struct context *ctx, bool sealing)
{
	static const struct column cols[] = {{"problem", COL_TEXT}};
	struct printer *p = cli_printer(cli_format(FMT_CODES, FMT_CODES), cols, 1);
	struct dbcheck_options opt = {ctx->cfg->users, heads ? heads : ctx->cfg->seal_heads,
		public_key ? public_key : ctx->cfg->seal_public_key, full, ctx->cfg};
	char *line = NULL;
	int nheads = 0, proven = 0, problems = sealing ? dbcheck_seal(ctx->store, &opt,
	    key_file ? key_file : ctx->cfg->seal_key_file, report, p, &line)
	    : against ? dbcheck_against(ctx->store, opt.users, against, report, p, &nheads, &proven)
	    : dbcheck_run(ctx->store, &opt, report, p);

	if (full && store_read_only(ctx->store))
		cli_warn("%s cannot be written: the full-text index's own check, a write, "
		    "was left out", store_path(ctx->store));
	if (problems < 0)
		cli_die(store_error_status(ctx->store), "%s: %s", action, store_error(ctx->store));
	if (!sealing && !against)
		problems += dbcheck_holidays(ctx, cli.quiet, report, p);
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
	if (line)
		printf("%s\n", line);
	else if (against && !cli.quiet)	/* said even with problems: which heads hold */
		puts(dbcheck_against_verdict(against, nheads, proven));
	else if (problems == 0 && !cli.quiet && cli.format == FMT_AUTO)
		printf("%s: ok (schema %d)\n", store_path(ctx->store), schema_version(ctx->store));
	free(line);
	return problems ? EXIT_PARTIAL : EXIT_OK;
}

int
main(int argc, char **argv)
{
	int from, rc;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (new_key) {	/* for the sealer, who may have no access to the database */
		char pub[SEAL_HEX_SIZE], *why;
		if (seal_new_key(new_key, pub, &why) != 0)
			cli_die(EXIT_FATAL, "seal: %s", why);
		printf("%s\n", pub);
		return cli_finish(EXIT_OK);
	}
	/* Opening migrates (and init creates); the actions report what it found. */
	bool init = cli.reports_creation = strcmp(action, "init") == 0;
	struct context *ctx = cli_open(init ? STORE_CREATE
				   : strcmp(action, "migrate") == 0 ? STORE_WRITE : STORE_READ);
	if (strcmp(action, "init") == 0 || strcmp(action, "migrate") == 0) {
		if ((rc = schema_migrate(ctx->store, ctx->cfg, &from)) != 0)
			cli_die(rc, "%s", cli_error());
		int was = cli_opened_at(), now = schema_version(ctx->store);
		if (!cli.quiet && (was == now || was == 0))
			printf("%s: %sschema %d\n", store_path(ctx->store), was == now ? "" : "created, ", now);
		else if (!cli.quiet)
			printf("%s: migrated from schema %d to schema %d\n", store_path(ctx->store), was, now);
		return cli_finish(EXIT_OK);
	}
	if (strcmp(action, "index") == 0 && (rc = search_catch_up(ctx->store)) != 0)
		cli_die(rc, "index: %s", store_error(ctx->store));
	bool index = strcmp(action, "index") == 0, seal = strcmp(action, "seal") == 0;
	if (index || seal || strcmp(action, "check") == 0)
		return cli_finish(index ? EXIT_OK : check(ctx, seal));
	if ((rc = store_backup(ctx->store, backup_file,
	    time_limit ? time_limit : BACKUP_TIME_LIMIT)) != 0)
		cli_die(rc, "backup: %s", store_error(ctx->store));
	if (!cli.quiet)
		printf("%s\n", backup_file);
	return cli_finish(EXIT_OK);
}
