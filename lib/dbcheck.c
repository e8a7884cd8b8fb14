/* dbcheck.c — every check of the database, in the order a repair needs them. */
#include <errno.h>
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
audit_check(struct store *s, const struct dbcheck_options *opt, const struct seal_key *key,
    struct audit_head *walked, problem_fn report, void *arg)
{
	bool heads_may_be_missing = walked != NULL;	/* sealing: there may be no seal yet */
	struct audit_rules rules = {.users = opt->users, .walked = walked};
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

/*
 * The default check reads one snapshot in a read transaction, so that it
 * never holds a writer and checks the chain and the records as one moment
 * left them: the file's pages (quick_check), the foreign keys, the index's
 * claims, the attachments, the chain and its seals. --full adds SQLite's
 * integrity_check (every index against its table) and the full-text
 * index's own check, which is a write and so is made first, apart.
 */
int
dbcheck_run(struct store *s, const struct dbcheck_options *opt, problem_fn report, void *arg)
{
	int (*const checks[])(struct store *, problem_fn, void *) = {
		opt->full ? store_check : store_quick_check, search_check,
	};
	struct seal_key key;
	char *why = NULL;
	int total = 0, n;

	if (opt->heads && seal_parse_public(opt->public_key, &key, &why) != 0)
		return failed(s, why);
	if (opt->full && (total = search_check_index(s, report, arg)) < 0)
		return -1;
	if (store_read_begin(s) != 0)
		return -1;
	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		if ((n = checks[i](s, report, arg)) < 0)
			goto fail;
		total += n;
	}
	char *dir = attach_dir(opt->cfg, store_path(s));
	n = attach_check(s, dir, opt->full, report, arg);
	free(dir);
	if (n < 0)
		goto fail;
	total += n;
	if ((n = audit_check(s, opt, &key, NULL, report, arg)) < 0)
		goto fail;
	store_read_end(s);
	return total + n;
fail:
	store_read_end(s);
	return -1;
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
	if ((n = audit_check(s, opt, &key, &head, report, arg)) != 0 || head.count == 0) {
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
