/* search.c — the catch-up full-text index of cases. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "search.h"
#include "store.h"
#include "text.h"
#include "util.h"

/* Cases indexed in one transaction: others may write between two steps. */
#define CATCH_UP_STEP 20000

/* Indexes the next cases not yet indexed; *more is set when others remain. */
static int
index_new_cases(struct store *s, bool *more)
{
	struct stmt *st = store_sql(s,
	    "INSERT INTO case_text (rowid, subject, body)"
	    " SELECT id, pnorm(subject), pnorm(body) FROM cases"
	    " WHERE id > (SELECT indexed_upto FROM case_text_state) ORDER BY id LIMIT ?");
	int rc;

	stmt_bind_int(st, CATCH_UP_STEP);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	*more = stmt_changes(st) == CATCH_UP_STEP;
	st = store_sql(s,
	    "UPDATE case_text_state SET indexed_upto = (SELECT coalesce(max(rowid), 0) FROM"
	    " (SELECT id AS rowid FROM cases WHERE id > indexed_upto ORDER BY id LIMIT ?))"
	    " WHERE EXISTS (SELECT 1 FROM cases WHERE id > indexed_upto)");
	stmt_bind_int(st, CATCH_UP_STEP);
	return stmt_run(st);
}

int
search_catch_up(struct store *s)
{
	struct stmt *st = store_sql(s,
	    "SELECT (SELECT indexed_upto FROM case_text_state) <"
	    " (SELECT coalesce(max(id), 0) FROM cases)");
	int rc;

	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : store_failf(s, "the index's state is missing");
	bool behind = stmt_int(st, 0) != 0;
	stmt_reset(st);
	if (!behind)
		return 0;
	bool more = true;
	rc = 0;
	if (store_in_transaction(s)) {
		while (more && rc == 0)
			rc = index_new_cases(s, &more);
		return rc;
	}
	/* In steps, so a writer waits for one step, not for a million cases. */
	for (rc = 0; more && rc == 0;) {
		if ((rc = store_begin(s)) != 0)
			return rc;
		if ((rc = index_new_cases(s, &more)) != 0) {
			store_rollback(s);
			return rc;
		}
		rc = store_commit(s);
	}
	return rc;
}

char **
search_words(const char *query)
{
	char *norm = text_normalize(query), *save = NULL;
	char **words = xcalloc(1, sizeof *words);
	size_t n = 0;

	for (char *w = strtok_r(norm, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		words = xrealloc(words, (n + 2) * sizeof *words);
		words[n++] = xstrdup(w);
		words[n] = NULL;
	}
	free(norm);
	return words;
}

long long
search_cases_behind(struct store *s)
{
	struct stmt *st = store_sql(s,
	    "SELECT count(*) FROM cases WHERE id > (SELECT indexed_upto FROM case_text_state)");
	long long n = -1;

	if (stmt_row(st)) {
		n = stmt_int(st, 0);
		stmt_reset(st);
	}
	return n;
}

int
search_case_changed(struct store *s, long long case_id, const char *old_subject,
    const char *old_body)
{
	struct stmt *st = store_sql(s, "SELECT indexed_upto >= ? FROM case_text_state");
	int rc;

	stmt_bind_int(st, case_id);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : store_failf(s, "the index's state is missing");
	bool indexed = stmt_int(st, 0) != 0;
	stmt_reset(st);
	if (!indexed)
		return 0;	/* the next catch-up indexes it as it is now */
	/* The index keeps no text of its own (content=''): it forgets a row
	 * only by being told the very words it was fed, pnorm() of the old text. */
	st = store_sql(s, "INSERT INTO case_text (case_text, rowid, subject, body)"
	    " VALUES ('delete', ?, pnorm(?), pnorm(?))");
	stmt_bind_int(st, case_id);
	stmt_bind_text(st, old_subject);
	stmt_bind_text(st, old_body);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	st = store_sql(s, "INSERT INTO case_text (rowid, subject, body)"
	    " SELECT id, pnorm(subject), pnorm(body) FROM cases WHERE id = ?");
	stmt_bind_int(st, case_id);
	return stmt_run(st);
}

char *
search_expression(const char *query)
{
	char *norm = text_normalize(query), *save = NULL;
	struct buf expr = {0};

	/* Every word is quoted, so the query's text is never FTS syntax. */
	for (char *w = strtok_r(norm, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
		if (expr.len)
			buf_adds(&expr, " AND ");
		buf_addc(&expr, '"');
		for (char *p = w; *p; p++) {
			if (*p == '"')
				buf_addc(&expr, '"');
			buf_addc(&expr, *p);
		}
		buf_addc(&expr, '"');
	}
	free(norm);
	return expr.data;
}

int
search_matches_at_least(struct store *s, const char *expr, long n)
{
	struct stmt *st = store_sql(s, "SELECT count(*) FROM (SELECT rowid FROM case_text"
	    " WHERE case_text MATCH ? LIMIT ?)");
	int many;

	stmt_bind_text(st, expr);
	stmt_bind_int(st, n);
	if (!stmt_row(st))
		return stmt_status(st) ? -1 : 0;
	many = stmt_int(st, 0) >= n;
	stmt_reset(st);
	return many;
}

int
search_check(struct store *s, problem_fn report, void *arg)
{
	struct stmt *st = store_sql(s,
	    "SELECT (SELECT indexed_upto FROM case_text_state) >"
	    " (SELECT coalesce(max(id), 0) FROM cases)");
	int problems = 0;

	if (!stmt_row(st))
		return stmt_status(st) ? -1 : 0;
	if (stmt_int(st, 0)) {
		report(arg, "full-text index: it claims cases that do not exist");
		problems++;
	}
	stmt_reset(st);
	return problems;
}

int
search_check_index(struct store *s, problem_fn report, void *arg)
{
	int rc;

	if (store_read_only(s))
		return 0;
	/* Taken first, so that a busy database waits the timeout and is 75,
	 * never a problem of the index. */
	if (store_begin(s) != 0)
		return -1;
	rc = store_exec(s, "INSERT INTO case_text (case_text) VALUES ('integrity-check')");
	store_rollback(s);
	if (rc == EXIT_TEMPFAIL)
		return -1;
	if (rc != 0) {
		char *msg = xasprintf("full-text index: %s", store_error(s));
		report(arg, msg);
		free(msg);
		return 1;
	}
	return 0;
}
