/*
 * dbcheck.h — the whole-database check of pdb check: the engine's own
 * integrity and foreign keys, the full-text index, and the audit chain.
 * It stands above the store, the chain and the index, which know nothing
 * of each other.
 */
#ifndef PARTAKE_DBCHECK_H
#define PARTAKE_DBCHECK_H

#include <stdbool.h>

#include "store.h"

/* Reports each problem found; returns how many, or -1 when the store
 * failed (store_error() says why, store_error_status() how). The check only
 * reads, and never stops a writer; full adds the index's own check, which
 * holds the write lock while it runs. */
int dbcheck_run(struct store *s, bool full, problem_fn report, void *arg);

#endif
