/*
 * dbcheck.h — the whole-database check of pdb check: the engine's own
 * integrity and foreign keys, the full-text index, the attachment store,
 * and the audit chain with its sealed heads; and the seal, which signs the chain's head once
 * the chain checks out. It stands above the store, the chain, the seals
 * and the index, which know nothing of each other.
 */
#ifndef PARTAKE_DBCHECK_H
#define PARTAKE_DBCHECK_H

#include <stdbool.h>

#include "context.h"
#include "store.h"

/* What the audit chain is checked against (the config's users, seal_heads
 * and seal_public_key, or pdb's options). */
struct dbcheck_options {
	const char *users;	/* who may write; NULL: anyone */
	const char *heads;	/* a heads file whose seals to prove; NULL: none */
	const char *public_key;	/* that checks them, in hex */
	bool full;		/* the full-text index's own check too (a write), and every
				 * attachment's content hashed again */
	const struct config *cfg;	/* where the attachment store is */
};

/* Reports each problem found; returns how many, or -1 when the store
 * failed or the heads could not be read (store_error() says why,
 * store_error_status() how). The check only reads, and never stops a
 * writer; opt->full adds the index's own check, which holds the write lock
 * while it runs. */
int dbcheck_run(struct store *s, const struct dbcheck_options *opt, problem_fn report, void *arg);
/*
 * Seals the chain's head with the secret key in key_file: first the chain
 * is checked (the users, and the seals of opt->heads so far, by the key's
 * own public key); when it has a problem, nothing is sealed and the
 * problems are returned. Else *line is the signed head (a new string),
 * appended to opt->heads when given. -1 when the store or a file failed.
 */
int dbcheck_seal(struct store *s, const struct dbcheck_options *opt, const char *key_file,
    problem_fn report, void *arg, char **line);

/* The holiday files of this year and the next, which deadlines will reach:
 * a missing one is reported; this year's is a problem (counted), next
 * year's a reminder (left out when quiet). */
int dbcheck_holidays(const struct context *ctx, bool quiet, problem_fn report, void *arg);

#endif
