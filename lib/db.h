/*
 * db.h — the store: one SQLite database in WAL mode. Commands see only
 * these functions and the ones of the domain modules; SQL stays in lib/,
 * so that another backend can stand behind the same functions later.
 *
 * Functions that can fail return 0, or an exit status (EXIT_FATAL, or
 * EXIT_TEMPFAIL when the database stayed busy) with store_error() saying why.
 */
#ifndef PARTAKE_DB_H
#define PARTAKE_DB_H

#include <stdbool.h>

struct store;

#define SCHEMA_VERSION 2

/* Opens (creating with its schema, readable by its owner only) and migrates. */
struct store *store_open(const char *path, char **why);
void store_close(struct store *s);
const char *store_path(const struct store *s);
const char *store_error(const struct store *s);

/* One write transaction at a time, taken at BEGIN so it cannot deadlock. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* The schema version of the file, and the one this build writes. */
int store_version(struct store *s);
/* The schema the file had when opened, before opening migrated it (0: new). */
int store_opened_at(const struct store *s);
/* Moves an older file forward; *from is the version it had. */
int store_migrate(struct store *s, int *from);

/* One problem found by store_check, for the caller to print. */
typedef void (*problem_fn)(void *arg, const char *what);
/* SQLite's integrity and foreign keys, the full-text index, the audit
 * chain; returns how many problems were reported (or -1 on error). */
int store_check(struct store *s, problem_fn report, void *arg);
/* A consistent copy through SQLite's online backup, safe while others write. */
int store_backup(struct store *s, const char *dest);

/* Where the database is when no --db is given: PARTAKE_DB, the config's
 * db, else $XDG_DATA_HOME/partake/partake.db (its folder made if missing). */
char *store_default_path(const char *config_db);

#endif
