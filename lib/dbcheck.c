/* dbcheck.c — every check of the database, in the order a repair needs them. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "audit.h"
#include "clock.h"
#include "dbcheck.h"
#include "search.h"
#include "seal.h"
#include "util.h"

/* A file's failure as the store's error, for the caller to tell. */
static int
failed(struct store *s, char *why)
{
	store_failf(s, "%s", why ? why : "failed");
	free(why);
	return -1;
}

/* The chain against the rules, and the seals of the heads file by key. */
static int
audit_check(struct store *s, struct store *cases, const struct dbcheck_options *opt,
    const struct seal_key *key, struct audit_head *walked, problem_fn report, void *arg)
{
	bool heads_may_be_missing = walked != NULL;	/* sealing: there may be no seal yet */
	struct audit_rules rules = {.users = opt->users, .walked = walked, .cases = cases};
	struct audit_head *heads = NULL;
	char *why = NULL;
	int sealed = 0, chain;

	if (opt->heads && !(heads_may_be_missing && access(opt->heads, F_OK) != 0 && errno == ENOENT))
		if ((sealed = seal_read_heads(opt->heads, key, &heads, &rules.nheads, report, arg,
		    &why)) < 0)
			return failed(s, why);
	rules.heads = heads;
	chain = audit_verify(s, &rules, report, arg);
	seal_free_heads(heads, rules.nheads);
	return chain < 0 ? -1 : sealed + chain;
}

/* Problems found on a thread, or while another runs: told after, in order. */
struct findings {
	char **what;
	size_t n;
};

static void
keep(void *arg, const char *what)
{
	struct findings *f = arg;

	f->what = xrealloc(f->what, (f->n + 1) * sizeof *f->what);
	f->what[f->n++] = xstrdup(what);
}

static void
tell(struct findings *f, problem_fn report, void *arg)
{
	for (size_t i = 0; i < f->n; i++) {
		report(arg, f->what[i]);
		free(f->what[i]);
	}
	free(f->what);
	*f = (struct findings){0};
}

/* The engine's check of the file's pages and foreign keys, on a connection
 * of its own (the same snapshot), so on a thread of its own. */
struct file_check {
	struct store *s;
	bool full;
	struct findings found;
	int problems;
};

static void *
check_file(void *arg)
{
	struct file_check *c = arg;

	c->problems = (c->full ? store_check : store_quick_check)(c->s, keep, &c->found);
	return NULL;
}

/* What the default check reads beside the file's check: the index's
 * claims, the attachments, the chain and its seals, the records. */
static int
check_beside_file(struct store *s, struct store *cases, const struct dbcheck_options *opt,
    const struct seal_key *key, problem_fn report, void *arg)
{
	int total, n;

	if ((total = search_check(s, report, arg)) < 0)
		return -1;
	char *dir = attach_dir(opt->cfg, store_path(s));
	n = attach_check(s, dir, opt->full, report, arg);
	free(dir);
	if (n < 0)
		return -1;
	total += n;
	if ((n = audit_check(s, cases, opt, key, NULL, report, arg)) < 0)
		return -1;
	return total + n;
}

/*
 * The default check reads one snapshot in a read transaction, so that it
 * never holds a writer and checks the chain and the records as one moment
 * left them: the file's pages (quick_check) and the foreign keys, on a
 * second connection to the same snapshot and a thread of its own, beside
 * the index's claims, the attachments, the chain and its seals on the
 * first, and the cases against their last events on a third (audit.c).
 * --full makes the first SQLite's integrity_check (every index against its
 * table) and adds the full-text index's own check, which is a write and so
 * is made first, apart. The problems are told in that order, once all are
 * done.
 */
int
dbcheck_run(struct store *s, const struct dbcheck_options *opt, problem_fn report, void *arg)
{
	enum { FILE_READER, CASES_READER, READERS };
	struct seal_key key;
	struct store *beside[READERS];
	struct file_check file = {.full = opt->full};
	struct findings found = {0};
	pthread_t thread;
	char *why = NULL;
	int total = 0, n;

	if (opt->heads && seal_parse_public(opt->public_key, &key, &why) != 0)
		return failed(s, why);
	if (opt->full && (total = search_check_index(s, report, arg)) < 0)
		return -1;
	if (store_read_begin_with(s, READERS, beside) != 0)
		return -1;
	file.s = beside[FILE_READER] ? beside[FILE_READER] : s;
	bool threaded = file.s != s && pthread_create(&thread, NULL, check_file, &file) == 0;
	if (!threaded)
		check_file(&file);
	n = check_beside_file(s, beside[CASES_READER], opt, &key, keep, &found);
	if (threaded)
		pthread_join(thread, NULL);
	tell(&file.found, report, arg);
	tell(&found, report, arg);
	if (file.problems < 0 && file.s != s)
		store_failf(s, "%s", store_error(file.s));
	for (int i = 0; i < READERS; i++)
		if (beside[i]) {
			store_read_end(beside[i]);
			store_close(beside[i]);
		}
	store_read_end(s);
	if (file.problems < 0 || n < 0)
		return -1;
	return total + file.problems + n;
}

int
dbcheck_seal(struct store *s, const struct dbcheck_options *opt, const char *key_file,
    problem_fn report, void *arg, char **line)
{
	struct audit_head head;
	struct seal_key key;
	char *why = NULL;
	int n;

	*line = NULL;
	if (key_file == NULL)
		return failed(s, xstrdup("no secret key to seal with (seal_key_file)"));
	if (seal_load_secret(key_file, &key, &why) != 0)
		return failed(s, why);
	/* A seal vouches for the chain, as it was walked: never for one that
	 * does not check out. */
	if ((n = audit_check(s, NULL, opt, &key, &head, report, arg)) != 0 || head.count == 0) {
		memset(&key, 0, sizeof key);
		return n ? n : failed(s, xstrdup("nothing to seal: the chain has no event yet"));
	}
	head.at = clock_now();
	*line = seal_sign(&key, &head);
	memset(&key, 0, sizeof key);
	if (opt->heads && seal_append(opt->heads, *line, &why) != 0) {
		free(*line);
		*line = NULL;
		return failed(s, why);
	}
	return 0;
}

int
dbcheck_holidays(const struct context *ctx, bool quiet, problem_fn report, void *arg)
{
	long today = cal_local_day(ctx->now, NULL);
	int years[2], n = workcal_years_without_file(ctx->wc, today, years), problems = 0;

	for (int i = 0; i < n; i++) {
		if (years[i] == cal_jdn_to_jalali(today).y)
			problems++;
		else if (quiet)
			continue;
		char *msg = xasprintf("holidays: no file for %d (%s/ir-%d.tsv): deadlines in it "
		    "count weekends only", years[i], ctx->cfg->holidays_dir, years[i]);
		report(arg, msg);
		free(msg);
	}
	return problems;
}
