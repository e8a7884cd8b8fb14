/*
 * schema.h — the tables of the store and their versions. The file carries
 * its version (PRAGMA user_version); opening moves an older file forward
 * without losing a row, and refuses a newer one before touching it.
 */
#ifndef PARTAKE_SCHEMA_H
#define PARTAKE_SCHEMA_H

#include "config.h"
#include "store.h"

#define SCHEMA_VERSION 16

/* The cases not settled (vocab.h's STATES_SETTLED left out), which have an
 * index of their own (cases_open): a query names this text to use it, its
 * column unqualified. Comparisons, not an IN list: an INSERT evaluates an
 * IN list of more than two values through a temporary table it builds at
 * each execution (schema 15). */
#define CASES_OPEN "(state = 'new' OR state = 'routed' OR state = 'in-progress'" \
	" OR state = 'waiting' OR state = 'committee')"

/* An answer that takes a case up, in whole or in part (its column unqualified). */
#define OUTCOME_TAKEN_UP "(outcome = 'accepted' OR outcome = 'partial')"
/* The suggestions and comments taken up: what the impact report counts
 * (impact.c), which have an index of their own (cases_taken_up): a query
 * names this very text to use it, its columns unqualified. Comparisons,
 * not IN lists, as CASES_OPEN. */
#define CASES_TAKEN_UP "((kind = 'suggestion' OR kind = 'comment') AND " OUTCOME_TAKEN_UP ")"

/* The events a monthly report counts (monthly.c), which have an index of
 * their own (event_notable): a query names this very text to use it. */
#define EVENT_NOTABLE "(what = 'reopen' OR what = 'review' OR what = 'decision'" \
	" OR (what = 'state' AND after = 'rejected') OR (what = 'route' AND note LIKE '%: escalated'))"

/* Opens the store into *s as access allows (store.h), refuses a newer
 * schema, migrates one it can write (cfg says where its attachment store
 * is); *from is the version the file had (0: it was new). 0, or an exit
 * status (EXIT_TEMPFAIL when the file stayed busy) with *why. */
int schema_open(const char *path, enum store_access access, const struct config *cfg,
    struct store **s, int *from, char **why);
/* The schema version of the file; -1 when it cannot be read. */
int schema_version(struct store *s);
/* Moves an older file forward in one transaction; *from is the version it had. */
int schema_migrate(struct store *s, const struct config *cfg, int *from);

#endif
