/* dbcheck.c — every check of the database, in the order a repair needs them. */
#include "audit.h"
#include "dbcheck.h"
#include "search.h"

int
dbcheck_run(struct store *s, bool full, problem_fn report, void *arg)
{
	/* A damaged file first: the index and the chain are read through it.
	 * The index's own check is a write: only in the full check. */
	int (*const checks[])(struct store *, problem_fn, void *) = {
		store_check, full ? search_check_index : NULL, search_check, audit_verify,
	};
	int total = 0;

	for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		int n = checks[i] ? checks[i](s, report, arg) : 0;
		if (n < 0)
			return -1;
		total += n;
	}
	return total;
}
