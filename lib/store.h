/*
 * store.h — the only door to the database. The domain modules prepare SQL
 * text, bind values in the order of its `?` marks, step and read columns;
 * only store.c knows which engine runs it (SQLite today).
 *
 * The SQL the domain writes is the dialect SQLite and PostgreSQL share:
 * `?` parameters bound in order, `ON CONFLICT … DO` (and `excluded.`),
 * `coalesce`/`nullif`/`CASE`, `WITH RECURSIVE`, integers for times. A
 * second backend (PostgreSQL through libpq) must provide, behind these
 * same functions:
 *   - statements cached by their SQL text, `?` rewritten to `$1, $2, …`;
 *   - one write transaction at a time from store_begin(): the audit chain
 *     reads its tip and appends after it, so writers must be serialized
 *     (SQLite's BEGIN IMMEDIATE; in PostgreSQL a lock taken at begin);
 *   - store_is_duplicate() for a unique or primary key violation (23505);
 *   - store_last_id(), the id of the row just inserted (lastval());
 *   - EXIT_TEMPFAIL for a busy or locked database, so cron tries again.
 * The migrations (schema.c) and the full-text index (search.c) are the
 * engine's own and would be written again for a second backend.
 *
 * Functions that can fail return 0 or an exit status (EXIT_FATAL, or
 * EXIT_TEMPFAIL when the database stayed busy), with store_error() saying why.
 */
#ifndef PARTAKE_STORE_H
#define PARTAKE_STORE_H

#include <stdbool.h>
#include <stddef.h>

struct store;
struct stmt;

/*
 * How a command uses the database. A reader never creates one, and reads a
 * file it cannot write (a backup on a read-only mount, another user's file);
 * a writer needs an existing one; only a command that adds records creates
 * it (readable by its owner only), *created saying so.
 */
enum store_access { STORE_READ, STORE_WRITE, STORE_CREATE };
/* Opens into *out; no schema yet. 0, or an exit status with *why. */
int store_open(const char *path, enum store_access access, struct store **out, bool *created,
    char **why);
/* Opened for reading only: nothing can be written, the index not caught up. */
bool store_read_only(const struct store *s);
/* From now on the connection writes nothing, though the file could be
 * written (SQLite's query_only): for a reader that must not change a row
 * whatever it is asked, the portal's answers to GET. 0 or a status. */
int store_query_only(struct store *s);
/* WAL, synchronous=NORMAL and the page cache: for a file of our schema. A
 * commit then survives the process, not a power loss (store.c says why). */
int store_tune(struct store *s);
/* Every commit from now on is on the disk before it returns (SQLite's
 * synchronous = FULL): for what a citizen is told of at once, the codes
 * of intake. */
/* It also waits up to ten minutes for another writer (a batch), not 5 s. */
int store_durable(struct store *s);
/* The next commits leave their pages in the write-ahead log, which is
 * copied into the file later, by store_checkpoint(): a big commit is
 * durable when its log is synced, and the copy need not keep its caller. */
int store_defer_checkpoint(struct store *s);
/* Copies the log into the file as far as readers allow, and from now on
 * at each commit again (SQLite's own threshold). */
int store_checkpoint(struct store *s);
/* What to call, once, when a wait for another writer passes 5 seconds. */
void store_on_long_wait(struct store *s, void (*note)(const char *what));
void store_close(struct store *s);
const char *store_path(const struct store *s);
const char *store_error(const struct store *s);
/* Records a message of our own as the store's error; returns EXIT_FATAL. */
int store_failf(struct store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The last failure was a unique or primary key constraint. */
bool store_is_duplicate(const struct store *s);
/* The exit status of the last failure: EXIT_TEMPFAIL when the database was
 * busy (a check or a copy that returned -1 says no more), else EXIT_FATAL. */
int store_error_status(const struct store *s);
/*
 * The same, naming the field of the record that was wrong ("name",
 * "legal_basis", "note"), or the next step that would do what was asked
 * ("answer", "route", "committee", "decide", "force"): lib/ speaks of the
 * domain, and each front end words the field or step for its users (the
 * commands as their options, the portal as its form's labels).
 */
int store_fail_field(struct store *s, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int store_fail_step(struct store *s, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The field or step of the last failure, or NULL. */
const char *store_error_field(const struct store *s);
const char *store_error_step(const struct store *s);

/* One write transaction at a time, taken at BEGIN so it cannot deadlock.
 * Every read still open ends first: a statement stepped and not reset is
 * reset here, so the transaction starts from a fresh snapshot and waits out
 * a busy database for the whole timeout (75 only then). A statement that was
 * still being read must not be stepped on: that is a bug, and stops. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);
bool store_in_transaction(const struct store *s);
/* A number that changes with every transaction begun: what was read in
 * one transaction is known to hold while this stays the same. */
unsigned long store_transaction_serial(const struct store *s);

/*
 * A write transaction for a batch, in which rows put with stmt_put() may be
 * held and stored a few hundred at a time, by one statement each (a third
 * less of SQLite's work for intake). What a command sees is the same as
 * in any transaction: a statement that reads a table with rows held, any
 * other write and the commit store them first, and a foreign key a held
 * row breaks fails as it is put. Only one of its kind: the connection
 * then writes nothing but through this transaction. 0 or a status.
 */
int store_begin_held(struct store *s);
/* In a transaction store_begin_held() began. */
bool store_holding(const struct store *s);

/* Runs fn(s, arg) in a transaction of its own, or in the caller's when one
 * is open: all of it or none. fn's status is returned. */
int store_atomic(struct store *s, int (*fn)(struct store *s, void *arg), void *arg);

/* Runs SQL of several statements with no values (migrations). */
int store_exec(struct store *s, const char *sql);

/*
 * The statement for this SQL text, ready to bind from the first `?`. A
 * string literal is prepared once and kept (keyed by its address);
 * store_sql_once() is for SQL built at run time, freed by stmt_free().
 * SQL of ours that does not prepare is a bug: it ends the process.
 */
struct stmt *store_sql(struct store *s, const char *sql);
struct stmt *store_sql_once(struct store *s, const char *sql);
void stmt_free(struct stmt *st);

/* Binding, in the order of the `?` marks. Text is not copied: it must
 * live until the statement is stepped. NULL text binds NULL. */
void stmt_bind_text(struct stmt *st, const char *v);
void stmt_bind_int(struct stmt *st, long long v);
/* v, or NULL when v is 0 (an absent id or time). */
void stmt_bind_id(struct stmt *st, long long v);
void stmt_bind_blob(struct stmt *st, const void *v, size_t n);
void stmt_bind_null(struct stmt *st);

/* The next row: true while there is one. False at the end or on an error:
 * then stmt_status() tells which. The statement is reset at the end. */
bool stmt_row(struct stmt *st);
/* 0 after the last row, else the exit status of the failure. */
int stmt_status(const struct stmt *st);
/* Steps a statement that returns no rows to its end: 0 or a status. */
int stmt_run(struct stmt *st);
/*
 * The same for an INSERT of one row whose only answer wanted is its id
 * (store_last_id; stmt_changes 1), of the shape `INSERT INTO t (a, b)
 * VALUES (?, ?)`, maybe with `ON CONFLICT ... DO NOTHING` that must not
 * happen: in a held transaction the row may be held, and a unique key it
 * breaks then fails a later call, and the transaction. Otherwise stmt_run.
 */
int stmt_put(struct stmt *st);
/* Done with the rows before the end. */
void stmt_reset(struct stmt *st);
/* The id the store gave the row the last INSERT made (SQLite's rowid; a
 * PostgreSQL backend asks lastval()). On the hot paths of intake this is
 * much cheaper than RETURNING, which SQLite runs through a temporary table. */
long long store_last_id(const struct store *s);
/* Rows changed by the last stmt_run(). */
long long stmt_changes(const struct stmt *st);

/* How many columns the rows have, and the name of one (its SQL alias). */
int stmt_columns(struct stmt *st);
const char *stmt_column_name(struct stmt *st, int col);
/* The columns of the current row, from 0. Text is NULL for NULL and
 * lives until the next step or reset. */
const char *stmt_text(struct stmt *st, int col);
/* The first column of every row of st, its parameters bound: a NULL-ended
 * array of new strings (strings_free); the rows up to an error (stmt_status). */
char **stmt_texts(struct stmt *st);
long long stmt_int(struct stmt *st, int col);
bool stmt_null(struct stmt *st, int col);
/* The value is a whole number (not text that looks like one). */
bool stmt_is_int(struct stmt *st, int col);
const void *stmt_blob(struct stmt *st, int col, size_t *n);

/* The default place of the database when no --db is given: PARTAKE_DB, the
 * config's db, else $XDG_DATA_HOME/partake/partake.db (its folder made when
 * make_folder: for a command that creates the database). */
char *store_default_path(const char *config_db, bool make_folder);
/*
 * A consistent copy to dest, which must not exist: the database at one
 * moment, copied from one read snapshot, so writers neither stop it nor are
 * stopped. It is written beside dest and renamed into place when whole and
 * on the disk: dest is the whole copy or nothing. EXIT_TEMPFAIL when it was
 * not done within limit seconds (waiting for a busy file included), or
 * another backup to dest is running.
 */
int store_backup(struct store *s, const char *dest, int limit);

/* One problem found by a check, for the caller to print. */
typedef void (*problem_fn)(void *arg, const char *what);
/* The engine's own integrity and foreign-key checks, which only read; how
 * many problems were reported, or -1 on error (store_error_status()). */
int store_check(struct store *s, problem_fn report, void *arg);
/* The same with SQLite's quick check (every page read, each B-tree checked;
 * not that the indexes match their tables row for row). */
int store_quick_check(struct store *s, problem_fn report, void *arg);
/* A read transaction: every read until store_read_end sees the database as
 * it was at the first, and no writer waits for it (WAL). 0 or a status. */
int store_read_begin(struct store *s);
void store_read_end(struct store *s);
/*
 * The same read transaction on s, and n more connections to its file each
 * in a read transaction on the very same snapshot, for one check to read
 * one moment on several threads (each connection used by one thread at a
 * time; store_read_end and store_close each). A writer is never waited
 * for: when one commits between the starts, they are made again, and when
 * writers commit all the while, out[] is all NULL and s alone reads.
 * 0 or a status (s then in no transaction).
 */
int store_read_begin_with(struct store *s, size_t n, struct store **out);

#endif
