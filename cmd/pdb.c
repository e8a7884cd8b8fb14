/* pdb — create, migrate, check and back up the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "dbcheck.h"
#include "schema.h"
#include "util.h"

static const char *action, *backup_file;
static bool full;
static int time_limit;	/* 0: not given */

/* A backup's bound: a nightly copy must not run into the next job. */
enum { OPT_FULL = 0x200, OPT_TIME_LIMIT, BACKUP_TIME_LIMIT = 600 };

static const struct argp_option options[] = {
	{"full", OPT_FULL, NULL, 0, "With check: the full-text index's own check too, which "
	    "holds the write lock while it runs", 1},
	{"time-limit", OPT_TIME_LIMIT, "SECONDS", 0, "With backup: give up (exit 75) when the "
	    "copy is not done in SECONDS (default 600)", 1},
	{0},
};

static error_t
parse_opt(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case OPT_FULL: full = true; break;
	case OPT_TIME_LIMIT:
		time_limit = (int)cli_number(state, "--time-limit", arg, 1, 86400);
		break;
	case ARGP_KEY_ARG:
		if (action == NULL) {
			if (strcmp(arg, "init") && strcmp(arg, "migrate") && strcmp(arg, "check") &&
			    strcmp(arg, "backup"))
				argp_error(state, "unknown action '%s' (init, migrate, check, backup)", arg);
			action = arg;
		} else if (strcmp(action, "backup") == 0 && backup_file == NULL) {
			backup_file = arg;
		} else {
			argp_error(state, "unexpected argument '%s'", arg);
		}
		break;
	case ARGP_KEY_END:
		if (action == NULL)
			argp_error(state, "which action? init, migrate, check or backup");
		if (strcmp(action, "backup") == 0 && backup_file == NULL)
			argp_error(state, "backup needs the FILE to write");
		if (full && strcmp(action, "check") != 0)
			argp_error(state, "--full goes with check");
		if (time_limit && strcmp(action, "backup") != 0)
			argp_error(state, "--time-limit goes with backup");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child children[] = CLI_CHILDREN;
static const struct argp argp = {
	options, parse_opt, "init\nmigrate\ncheck\nbackup FILE",
	"Look after the database.\v"
	"init creates the database (and its folder, at the default place) and says where it is. "
	"migrate moves a file made by an older partake to this one's schema (opening does it "
	"too). check runs SQLite's integrity and foreign-key checks and the audit chain's, and "
	"says which coming years lack a holiday file; exit status 1 when it found a problem. It "
	"only reads (--full adds the full-text index's own check, a write). backup copies the "
	"database at one moment to FILE, which must not exist, while others write; FILE is the "
	"whole copy or nothing.",
	children, NULL, NULL,
};

static void
report(void *arg, const char *what)
{
	printer_text(arg, what);
	printer_row(arg);
}

/* The holiday files of this year and the next, which deadlines will reach. */
static int
check_holidays(struct context *ctx, struct printer *p)
{
	long today = cal_local_day(ctx->now, NULL);
	int years[2], n = workcal_years_without_file(ctx->wc, today, years), problems = 0;

	for (int i = 0; i < n; i++) {
		if (years[i] == cal_jdn_to_jalali(today).y)
			problems++;
		else if (cli.quiet)
			continue;
		char *msg = xasprintf("holidays: no file for %d (%s/ir-%d.tsv): deadlines in it "
		    "count weekends only", years[i], ctx->cfg->holidays_dir, years[i]);
		report(p, msg);
		free(msg);
	}
	return problems;
}

static int
check(struct context *ctx)
{
	static const struct column cols[] = {{"problem", COL_TEXT}};
	struct printer *p = cli_printer(cli_format(FMT_CODES, FMT_CODES), cols, 1);
	int problems = dbcheck_run(ctx->store, full, report, p);

	if (full && store_read_only(ctx->store))
		cli_warn("%s cannot be written: the full-text index's own check, a write, "
		    "was left out", store_path(ctx->store));
	if (problems < 0)
		cli_die(store_error_status(ctx->store), "check: %s", store_error(ctx->store));
	problems += check_holidays(ctx, p);	/* next year's reminder is silenced by -q */
	if (printer_close(p) != 0)
		cli_die(EXIT_FATAL, "write error");
	if (problems == 0 && !cli.quiet && cli.format == FMT_AUTO)
		printf("%s: ok (schema %d)\n", store_path(ctx->store), schema_version(ctx->store));
	return problems ? EXIT_PARTIAL : EXIT_OK;
}

int
main(int argc, char **argv)
{
	int from, rc;

	cli_start();
	argp_parse(&argp, argc, argv, 0, NULL, NULL);
	/* Opening migrates (and init creates); the actions report what it found. */
	bool init = strcmp(action, "init") == 0;
	cli.reports_creation = init;
	struct context *ctx = cli_open(init ? STORE_CREATE
				   : strcmp(action, "migrate") == 0 ? STORE_WRITE : STORE_READ);
	if (strcmp(action, "init") == 0 || strcmp(action, "migrate") == 0) {
		if ((rc = schema_migrate(ctx->store, &from)) != 0)
			cli_die(rc, "%s", cli_error());
		int was = cli_opened_at(), now = schema_version(ctx->store);
		if (cli.quiet)
			;
		else if (was == now)
			printf("%s: schema %d\n", store_path(ctx->store), now);
		else if (was == 0)
			printf("%s: created, schema %d\n", store_path(ctx->store), now);
		else
			printf("%s: migrated from schema %d to schema %d\n", store_path(ctx->store), was, now);
		return cli_finish(EXIT_OK);
	}
	if (strcmp(action, "check") == 0)
		return cli_finish(check(ctx));
	if ((rc = store_backup(ctx->store, backup_file,
	    time_limit ? time_limit : BACKUP_TIME_LIMIT)) != 0)
		cli_die(rc, "backup: %s", store_error(ctx->store));
	if (!cli.quiet)
		printf("%s\n", backup_file);
	return cli_finish(EXIT_OK);
}
