/*
 * store.c — the SQLite store: the connection, its statement cache and
 * transactions, the online backup, and the engine's own checks. Nothing
 * else in partake calls SQLite for the domain (see store.h).
 */
#include <errno.h>
#include <error.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcode.h"
#include "store.h"
#include "text.h"
#include "util.h"

struct stmt {
	struct store *store;
	sqlite3_stmt *st;
	const char *sql;	/* the key of a cached statement */
	int next;		/* the next `?` to bind */
	int status;		/* of the last step: 0, or an exit status */
	long long changes;
	bool ended;		/* reset by store_begin before its last row was read */
	struct stmt *once_next, *once_prev;	/* the store's list of store_sql_once() */
};

struct store {
	sqlite3 *db;
	char *path;
	char *error;
	bool duplicate;		/* the last failure was a unique constraint */
	bool busy;		/* the last failure was a busy or locked database */
	const char *field, *step;	/* of the last failure: static strings */
	struct stmt **stmts;
	size_t nstmts;
	struct stmt *once;	/* statements of SQL built at run time, until stmt_free() */
	bool in_tx;
	unsigned long serial;
	bool read_only;		/* opened so: the file or its folder cannot be written */
	int wait_ms;		/* intake's wait for another writer (store_durable) */
	struct timespec wait_from;
	bool told;		/* the long wait was told of */
	void (*on_long_wait)(const char *what);
};

/* The search form of a text, for SQL: pnorm(subject). */
static void
sql_pnorm(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *s = (const char *)sqlite3_value_text(argv[0]);

	if (s == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	sqlite3_result_text(ctx, text_normalize(s), -1, free);
}

static int
vfail(struct store *s, const char *field, const char *step, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	free(s->error);
	s->error = msg ? msg : xstrdup("out of memory");
	s->duplicate = false;
	s->busy = false;
	s->field = field;
	s->step = step;
	return EXIT_FATAL;
}

int
store_failf(struct store *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(s, NULL, NULL, fmt, ap);
	va_end(ap);
	return EXIT_FATAL;
}

int
store_fail_field(struct store *s, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(s, field, NULL, fmt, ap);
	va_end(ap);
	return EXIT_FATAL;
}

int
store_fail_step(struct store *s, const char *step, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(s, NULL, step, fmt, ap);
	va_end(ap);
	return EXIT_FATAL;
}

const char *store_error_field(const struct store *s) { return s->field; }
const char *store_error_step(const struct store *s) { return s->step; }

/* Maps a SQLite result to an exit status, keeping the message. */
static int
fail(struct store *s, int rc)
{
	int primary = rc & 0xff;

	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
		store_failf(s, "the database is busy; try again");
		s->busy = true;
		return EXIT_TEMPFAIL;
	}
	store_failf(s, "%s", s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
	s->duplicate = rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
	return EXIT_FATAL;
}

const char *store_error(const struct store *s) { return s->error ? s->error : "no error"; }
const char *store_path(const struct store *s) { return s->path; }
bool store_is_duplicate(const struct store *s) { return s->duplicate; }
int store_error_status(const struct store *s) { return s->busy ? EXIT_TEMPFAIL : EXIT_FATAL; }
bool store_in_transaction(const struct store *s) { return s->in_tx; }
unsigned long store_transaction_serial(const struct store *s) { return s->serial; }

static struct stmt *
prepare(struct store *s, const char *sql)
{
	struct stmt *st = xcalloc(1, sizeof *st);

	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL) != SQLITE_OK) {
		/* Our own SQL failing to prepare is a bug or a damaged schema. */
		error(EXIT_FATAL, 0, "internal error: %s: %s", sqlite3_errmsg(s->db), sql);
	}
	st->store = s;
	st->next = 1;
	return st;
}

struct stmt *
store_sql(struct store *s, const char *sql)
{
	for (size_t i = 0; i < s->nstmts; i++)
		if (s->stmts[i]->sql == sql) {
			struct stmt *st = s->stmts[i];
			sqlite3_reset(st->st);
			sqlite3_clear_bindings(st->st);
			st->next = 1;
			st->status = 0;
			st->ended = false;
			return st;
		}
	struct stmt *st = prepare(s, sql);
	st->sql = sql;
	s->stmts = xrealloc(s->stmts, (s->nstmts + 1) * sizeof *s->stmts);
	s->stmts[s->nstmts++] = st;
	return st;
}

struct stmt *
store_sql_once(struct store *s, const char *sql)
{
	struct stmt *st = prepare(s, sql);

	st->once_next = s->once;
	if (s->once)
		s->once->once_prev = st;
	s->once = st;
	return st;
}

void
stmt_free(struct stmt *st)
{
	if (st == NULL)
		return;
	if (st->sql == NULL) {
		if (st->once_prev)
			st->once_prev->once_next = st->once_next;
		else
			st->store->once = st->once_next;
		if (st->once_next)
			st->once_next->once_prev = st->once_prev;
	}
	sqlite3_finalize(st->st);
	free(st);
}

/*
 * A statement stepped and left before its end keeps the read snapshot it
 * began with. BEGIN IMMEDIATE would then upgrade that old snapshot, and when
 * another process has committed since, SQLite answers SQLITE_BUSY_SNAPSHOT
 * at once, which no busy handler waits out: a command given many codes gave
 * up with 75 in a fraction of its timeout (issue 15). With no read open,
 * BEGIN IMMEDIATE takes a fresh snapshot and the write lock together, and
 * SQLite turns a snapshot lost in between into a plain busy that the busy
 * handler retries for the whole timeout (btreeBeginTrans). So a write
 * transaction begins with every read ended: each statement still busy is
 * reset. One that a caller was still reading row by row would silently
 * start again from its first row; stepping it on is a bug that stops the
 * process (see stmt_row).
 */
static void
end_reads(struct store *s)
{
	for (size_t i = 0; i < s->nstmts; i++)
		if (sqlite3_stmt_busy(s->stmts[i]->st)) {
			sqlite3_reset(s->stmts[i]->st);
			s->stmts[i]->ended = true;
		}
	for (struct stmt *st = s->once; st; st = st->once_next)
		if (sqlite3_stmt_busy(st->st)) {
			sqlite3_reset(st->st);
			st->ended = true;
		}
}

void
stmt_bind_text(struct stmt *st, const char *v)
{
	if (v)
		sqlite3_bind_text(st->st, st->next++, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st->st, st->next++);
}

void stmt_bind_int(struct stmt *st, long long v) { sqlite3_bind_int64(st->st, st->next++, v); }
void stmt_bind_null(struct stmt *st) { sqlite3_bind_null(st->st, st->next++); }

void
stmt_bind_id(struct stmt *st, long long v)
{
	if (v)
		stmt_bind_int(st, v);
	else
		stmt_bind_null(st);
}

void
stmt_bind_blob(struct stmt *st, const void *v, size_t n)
{
	sqlite3_bind_blob(st->st, st->next++, v, (int)n, SQLITE_STATIC);
}

bool
stmt_row(struct stmt *st)
{
	if (st->ended)
		error(EXIT_FATAL, 0, "internal error: a statement read on across the start of a "
		    "transaction: %s", sqlite3_sql(st->st));
	int rc = sqlite3_step(st->st);

	if (rc == SQLITE_ROW) {
		st->status = 0;
		return true;
	}
	st->status = rc == SQLITE_DONE ? 0 : fail(st->store, sqlite3_extended_errcode(st->store->db));
	st->changes = rc == SQLITE_DONE ? sqlite3_changes64(st->store->db) : 0;
	sqlite3_reset(st->st);
	return false;
}

int stmt_status(const struct stmt *st) { return st->status; }
long long store_last_id(const struct store *s) { return sqlite3_last_insert_rowid(s->db); }
long long stmt_changes(const struct stmt *st) { return st->changes; }
void stmt_reset(struct stmt *st) { sqlite3_reset(st->st); }

int
stmt_run(struct stmt *st)
{
	while (stmt_row(st))
		;
	return st->status;
}

int stmt_columns(struct stmt *st) { return sqlite3_column_count(st->st); }
const char *stmt_column_name(struct stmt *st, int col) { return sqlite3_column_name(st->st, col); }
const char *stmt_text(struct stmt *st, int col) { return (const char *)sqlite3_column_text(st->st, col); }
long long stmt_int(struct stmt *st, int col) { return sqlite3_column_int64(st->st, col); }
bool stmt_null(struct stmt *st, int col) { return sqlite3_column_type(st->st, col) == SQLITE_NULL; }
bool stmt_is_int(struct stmt *st, int col) { return sqlite3_column_type(st->st, col) == SQLITE_INTEGER; }

const void *
stmt_blob(struct stmt *st, int col, size_t *n)
{
	const void *v = sqlite3_column_blob(st->st, col);

	*n = (size_t)sqlite3_column_bytes(st->st, col);
	return v;
}

int
store_exec(struct store *s, const char *sql)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : fail(s, sqlite3_extended_errcode(s->db));
}

int
store_atomic(struct store *s, int (*fn)(struct store *s, void *arg), void *arg)
{
	int rc;

	if (s->in_tx)
		return fn(s, arg);
	if ((rc = store_begin(s)) != 0)
		return rc;
	if ((rc = fn(s, arg)) != 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int
store_begin(struct store *s)
{
	end_reads(s);
	int rc = store_exec(s, "BEGIN IMMEDIATE");

	s->serial++;
	if (rc == 0)
		s->in_tx = true;
	return rc;
}

int
store_commit(struct store *s)
{
	int rc = store_exec(s, "COMMIT");

	if (rc == 0) {
		s->in_tx = false;
		s->serial++;
	} else {
		store_rollback(s);
	}
	return rc;
}

void
store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
	s->serial++;
}

/* A new database is for its owner's eyes only: it holds citizens' data. */
static int
create_private(const char *path, bool *created)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	*created = fd >= 0;
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	close(fd);
	return 0;
}

/* How long a command waits for another's write before it gives up (75). */
enum { BUSY_TIMEOUT_MS = 5000 };

/* SQLite reads a WAL file from a folder it cannot write only when told the
 * file is immutable (no -shm to share): a URI with `immutable=1`. */
static char *
immutable_uri(const char *path)
{
	struct buf uri = {0};

	buf_adds(&uri, "file:");
	for (const char *p = path; *p; p++)
		if (*p == '?' || *p == '#' || *p == '%')
			buf_addf(&uri, "%%%02X", (unsigned char)*p);
		else
			buf_addc(&uri, *p);
	buf_adds(&uri, "?immutable=1");
	return uri.data;
}

/* Can a read go through? A WAL file whose -shm cannot be made cannot. */
static bool
readable(sqlite3 *db)
{
	return sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) == SQLITE_OK;
}

static int
open_connection(struct store *s, enum store_access access)
{
	/* One thread per connection: SQLite's own locking of it is waste. */
	int flags = SQLITE_OPEN_NOMUTEX;
	int rc;

	/* Nor do we read SQLite's count of its memory, which takes a lock at
	 * every allocation (80 a case in a batch). Before the first open. */
	static bool configured;
	if (!configured) {
		sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
		configured = true;
	}

	s->read_only = access == STORE_READ && faccessat(AT_FDCWD, s->path, W_OK, AT_EACCESS) != 0;
	flags |= s->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	rc = sqlite3_open_v2(s->path, &s->db, flags, NULL);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK && s->read_only && !readable(s->db)) {
		char *uri = immutable_uri(s->path);
		sqlite3_close(s->db);
		rc = sqlite3_open_v2(uri, &s->db, flags | SQLITE_OPEN_URI, NULL);
		sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
		free(uri);
	}
	return rc;
}

int
store_open(const char *path, enum store_access access, struct store **out, bool *created,
    char **why)
{
	struct store *s = xcalloc(1, sizeof *s);
	int rc, status = EXIT_FATAL;

	s->path = xstrdup(path);
	*why = NULL;
	*created = false;
	if (access != STORE_CREATE && faccessat(AT_FDCWD, path, F_OK, AT_EACCESS) != 0) {
		*why = errno == ENOENT
		    ? xasprintf("%s: no such database (pdb init or pcase-new creates one)", path)
		    : xasprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	if (access == STORE_CREATE && create_private(path, created) != 0) {
		*why = xasprintf("%s: cannot create the database: %s", path, strerror(errno));
		goto fail;
	}
	rc = open_connection(s, access);
	if (rc == SQLITE_OK && !readable(s->db))
		rc = sqlite3_errcode(s->db);
	if (rc == SQLITE_BUSY) {
		*why = xasprintf("%s: the database stayed busy; try again", path);
		status = EXIT_TEMPFAIL;
		goto fail;
	}
	if (rc != SQLITE_OK) {
		*why = xasprintf("%s: cannot open the database: %s", path,
		    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_create_function(s->db, "pnorm", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_pnorm, NULL, NULL);
	if (store_exec(s, "PRAGMA foreign_keys = ON") != 0) {
		*why = xasprintf("%s: %s", path, s->error);
		goto fail;
	}
	*out = s;
	return 0;
fail:
	if (*created)
		unlink(path);
	store_close(s);
	*out = NULL;
	return status;
}

bool
store_read_only(const struct store *s)
{
	return s->read_only;
}

/*
 * In WAL mode, synchronous = NORMAL syncs the log at each checkpoint, not
 * at each commit: a commit survives the process being killed, but a power
 * loss or a crash of the system may take the transactions committed since
 * the last checkpoint (the file stays sound). Most commands can take that:
 * most of what they did is done again by the next run of a pipeline, and
 * a sync per transaction made 5,000 moves in one process 2.2 times slower
 * (partake(7), DURABILITY). Intake cannot: the code it prints is given to
 * a citizen.
 */
int
store_query_only(struct store *s)
{
	if (sqlite3_exec(s->db, "PRAGMA query_only = ON", NULL, NULL, NULL) != SQLITE_OK)
		return store_failf(s, "%s: %s", s->path, sqlite3_errmsg(s->db));
	s->read_only = true;
	return 0;
}

int
store_tune(struct store *s)
{
	/* 16 KiB pages for a new file (before WAL, and ignored by one that
	 * has pages): a fourth of the page reads and B-tree levels of 4 KiB;
	 * a batch ran 1.14-1.29x faster (PERF.md). */
	return store_exec(s, "PRAGMA page_size = 16384;"
			     "PRAGMA journal_mode = WAL;"
			     "PRAGMA synchronous = NORMAL;"
			     "PRAGMA cache_size = -16384;");
}

/*
 * Intake waits for another writer far longer than the 5 seconds of the
 * other commands: a batch holds the write lock for its whole run (one
 * transaction, all or nothing: about 40 s a million cases), and the desk
 * clerk's single case must wait it out, not fail with 75 (issue 16). Ten
 * minutes covers a batch of ten million; past that the case is refused
 * with 75 as before. After the usual 5 seconds the wait is told of once
 * (on a terminal, by the command: store_on_long_wait).
 */
enum { INTAKE_WAIT_MS = 600000 };

static int
wait_for_writer(void *arg, int count)
{
	struct store *s = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0) {
		s->wait_from = now;
		s->told = false;
	}
	long ms = (now.tv_sec - s->wait_from.tv_sec) * 1000 +
	    (now.tv_nsec - s->wait_from.tv_nsec) / 1000000;
	if (ms >= s->wait_ms)
		return 0;
	if (ms >= BUSY_TIMEOUT_MS && !s->told && s->on_long_wait) {
		s->told = true;
		s->on_long_wait("another write holds the database (a batch?): waiting for it");
	}
	/* 1 ms, doubling to 50 ms: a short write is not waited out in big steps. */
	sqlite3_sleep(count < 6 ? 1 << count : 50);
	return 1;
}

void
store_on_long_wait(struct store *s, void (*note)(const char *what))
{
	s->on_long_wait = note;
}

/* FULL syncs the log at every commit: in WAL mode, one fsync a transaction. */
int
store_durable(struct store *s)
{
	s->wait_ms = INTAKE_WAIT_MS;
	sqlite3_busy_handler(s->db, wait_for_writer, s);
	return store_exec(s, "PRAGMA synchronous = FULL");
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nstmts; i++)
		stmt_free(s->stmts[i]);
	free(s->stmts);
	while (s->once)
		stmt_free(s->once);
	if (s->db)
		sqlite3_close(s->db);
	free(s->path);
	free(s->error);
	free(s);
}

/* Runs a PRAGMA check whose rows are problems unless the one row says "ok".
 * A failure (a busy file among them) is the store's error: -1. */
static int
check_pragma(struct store *s, const char *sql, const char *label, problem_fn report, void *arg)
{
	sqlite3_stmt *st;
	int problems = 0, rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		fail(s, sqlite3_extended_errcode(s->db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *first = (const char *)sqlite3_column_text(st, 0);
		if (first && strcmp(first, "ok") == 0)
			continue;
		char *msg = xasprintf("%s: %s%s%s", label, first ? first : "",
		    sqlite3_column_count(st) > 2 ? " row " : "",
		    sqlite3_column_count(st) > 2 ? (const char *)sqlite3_column_text(st, 1) : "");
		report(arg, msg);
		free(msg);
		problems++;
	}
	if (rc != SQLITE_DONE)
		fail(s, sqlite3_extended_errcode(s->db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? problems : -1;
}

static int
check_file(struct store *s, const char *pragma, problem_fn report, void *arg)
{
	int n, m;

	if ((n = check_pragma(s, pragma, "integrity", report, arg)) < 0 ||
	    (m = check_pragma(s, "PRAGMA foreign_key_check", "foreign key", report, arg)) < 0)
		return -1;
	return n + m;
}

int
store_check(struct store *s, problem_fn report, void *arg)
{
	return check_file(s, "PRAGMA integrity_check", report, arg);
}

/* quick_check reads every page and checks each B-tree as integrity_check
 * does, but not that every index holds exactly its table's rows: a fifth
 * of the time at a million cases (schema 7 has seven indexes on cases). */
int
store_quick_check(struct store *s, problem_fn report, void *arg)
{
	return check_file(s, "PRAGMA quick_check", report, arg);
}

int
store_read_begin(struct store *s)
{
	int rc = store_exec(s, "BEGIN DEFERRED; SELECT count(*) FROM sqlite_master");

	if (rc != 0)
		store_rollback(s);
	return rc;
}

void
store_read_end(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

/* The connection's count of the commits it has seen by others (-1: the
 * file could not be read). In a transaction: as of its snapshot. */
static long long
data_version(struct store *s)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA data_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * This SQLite has no snapshot API (SQLITE_ENABLE_SNAPSHOT), so the
 * snapshots are proven the same by PRAGMA data_version, which changes on
 * a connection when another has committed since its read before: each
 * other reader reads its version, s begins, then each begins and reads it
 * again. Unchanged, nothing was committed from before s began to after
 * each began: they all see what s sees.
 */
enum { SAME_SNAPSHOT_TRIES = 20 };

/* 0 with all in one snapshot, 1 when a commit came between (none in a
 * transaction then), else the status of s's failure to begin. */
static int
begin_on_same_snapshot(struct store *s, size_t n, struct store **out)
{
	long long before[n];
	int rc;

	for (size_t i = 0; i < n; i++)
		before[i] = data_version(out[i]);
	if ((rc = store_read_begin(s)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (before[i] < 0 || store_read_begin(out[i]) != 0 || data_version(out[i]) != before[i]) {
			for (size_t j = 0; j <= i; j++)
				store_read_end(out[j]);
			store_read_end(s);
			return 1;
		}
	return 0;
}

int
store_read_begin_with(struct store *s, size_t n, struct store **out)
{
	bool created;
	char *why;
	int rc = 1;

	for (size_t i = 0; i < n; i++)
		out[i] = NULL;
	for (size_t i = 0; i < n; i++)
		if (store_open(s->path, STORE_READ, &out[i], &created, &why) != 0) {
			free(why);
			goto alone;
		}
	for (int try = 0; rc == 1 && try < SAME_SNAPSHOT_TRIES; try++)
		rc = begin_on_same_snapshot(s, n, out);
	if (rc == 0)
		return 0;
alone:
	for (size_t i = 0; i < n; i++) {
		store_close(out[i]);
		out[i] = NULL;
	}
	return rc == 1 ? store_read_begin(s) : rc;
}

/* A failure to try again later: EXIT_TEMPFAIL, with the message. */
static int __attribute__((format(printf, 2, 3)))
busy_failf(struct store *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(s, NULL, NULL, fmt, ap);
	va_end(ap);
	s->busy = true;
	return EXIT_TEMPFAIL;
}

/* Bytes copied between two looks at the clock: 16 MiB, in pages of the
 * file's size (4 KiB before schema 7's new files, 16 KiB since). */
enum { BACKUP_STEP_BYTES = 16 << 20 };

static int
backup_step_pages(sqlite3 *db)
{
	sqlite3_stmt *st;
	int size = 4096;

	if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0)
			size = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return BACKUP_STEP_BYTES / size;
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * The copy is written beside its destination (so that the rename stays on
 * one file system) under one name, not a fresh one each run: what a killed
 * run left there is taken over by the next, not piled up.
 */
static char *
partial_path(const char *dest)
{
	const char *slash = strrchr(dest, '/');

	return slash ? xasprintf("%.*s/.%s.partial", (int)(slash - dest), dest, slash + 1)
		     : xasprintf(".%s.partial", dest);
}

/* The files SQLite may keep beside a database, of a run that was killed. */
static void
remove_beside(const char *path)
{
	static const char *const sidecars[] = {"-journal", "-wal", "-shm"};

	for (size_t i = 0; i < sizeof sidecars / sizeof sidecars[0]; i++) {
		char *p = xasprintf("%s%s", path, sidecars[i]);
		unlink(p);
		free(p);
	}
}

/*
 * Takes the partial file, locked, emptied and private, into *fd. The lock
 * tells a second backup to the same file that one is running (75); a file
 * left by a killed run is not locked, and is taken over. The lock is on the
 * open file, so it is checked to be still the one of that name: a run that
 * finished in between has renamed its file into place.
 */
static int
claim_partial(struct store *s, const char *partial, const char *dest, int *fd)
{
	struct stat held, named;

	for (int tries = 0; tries < 3; tries++) {
		*fd = open(partial, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (*fd < 0)
			return store_failf(s, "%s: cannot write the copy there: %s", dest, strerror(errno));
		if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
			int e = errno;
			close(*fd);
			*fd = -1;
			return e == EWOULDBLOCK
			    ? busy_failf(s, "%s: another backup to it is running; try again later", dest)
			    : store_failf(s, "%s: %s", partial, strerror(e));
		}
		if (fstat(*fd, &held) == 0 && lstat(partial, &named) == 0 &&
		    held.st_dev == named.st_dev && held.st_ino == named.st_ino)
			break;
		close(*fd);
		*fd = -1;
	}
	if (*fd < 0)
		return busy_failf(s, "%s: another backup to it is running; try again later", dest);
	if (!S_ISREG(held.st_mode) || held.st_uid != geteuid()) {
		close(*fd);
		*fd = -1;
		return store_failf(s, "%s: in the way of the copy, and not a file of ours", partial);
	}
	if (ftruncate(*fd, 0) != 0 || fchmod(*fd, 0600) != 0) {
		int e = errno;
		close(*fd);
		*fd = -1;
		return store_failf(s, "%s: %s", partial, strerror(e));
	}
	remove_beside(partial);
	return 0;
}

/*
 * Copies every page of the database as it is at one moment. The read
 * transaction held across the steps keeps the copy on one snapshot: in WAL
 * mode a reader does not stop writers, and their commits, which made the
 * engine restart a copy taken in steps of fresh snapshots (issue 15: never
 * done under one commit every 0.2 s), are not seen by it. The steps are there
 * to look at the clock.
 */
static int
copy_snapshot(struct store *s, sqlite3 *out, const char *dest, int limit,
    const struct timespec *t0)
{
	int wait_ms = limit * 1000 < BUSY_TIMEOUT_MS ? limit * 1000 : BUSY_TIMEOUT_MS;
	int rc;

	sqlite3_busy_timeout(s->db, wait_ms);
	rc = sqlite3_exec(s->db, "BEGIN; SELECT count(*) FROM sqlite_master", NULL, NULL, NULL);
	sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
	if (rc != SQLITE_OK) {
		int status = fail(s, sqlite3_extended_errcode(s->db));
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return status == EXIT_TEMPFAIL
		    ? busy_failf(s, "%s: the database stayed busy; nothing was written; try again", dest)
		    : store_failf(s, "%s: %s", dest, store_error(s));
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", s->db, "main");
	if (b == NULL) {
		store_failf(s, "%s: %s", dest, sqlite3_errmsg(out));
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return EXIT_FATAL;
	}
	int step = backup_step_pages(s->db);
	while ((rc = sqlite3_backup_step(b, step)) == SQLITE_OK &&
	    seconds_since(t0) < limit)
		;
	sqlite3_backup_finish(b);
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_OK)
		return busy_failf(s, "%s: not done within %d s; nothing was written; try again "
		    "when the machine is less busy", dest, limit);
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
		return busy_failf(s, "%s: the database stayed busy; nothing was written; try again", dest);
	return store_failf(s, "%s: %s", dest, sqlite3_errstr(rc));
}

/* Gives the finished copy its name, which must still be free: never
 * replaces a file that appeared meanwhile. */
static int
rename_free(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* A file system without it (NFS): a link never replaces either. */
	if (link(from, to) != 0)
		return -1;
	unlink(from);
	return 0;
}

/* The rename is kept only once the folder is on the disk too. */
static void
sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xasprintf("%.*s", slash == path ? 1 : (int)(slash - path), path)
			  : xstrdup(".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Into the claimed partial file, then under dest's name. */
static int
backup_into(struct store *s, const char *partial, const char *dest, int fd, int limit,
    const struct timespec *t0)
{
	sqlite3 *out;
	int rc;

	if ((rc = sqlite3_open_v2(partial, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	    NULL)) != SQLITE_OK) {
		store_failf(s, "%s: %s", partial, sqlite3_errstr(rc));
		sqlite3_close(out);
		return EXIT_FATAL;
	}
	/* Until it is renamed the file is scratch: a journal would only be one
	 * more thing for a killed run to leave. SQLite still syncs the file. */
	sqlite3_exec(out, "PRAGMA journal_mode = OFF", NULL, NULL, NULL);
	int status = copy_snapshot(s, out, dest, limit, t0);
	if (sqlite3_close(out) != SQLITE_OK && status == 0)
		status = store_failf(s, "%s: cannot close the copy", partial);
	if (status == 0 && fsync(fd) != 0)
		status = store_failf(s, "%s: %s", partial, strerror(errno));
	if (status == 0 && rename_free(partial, dest) != 0)
		status = errno == EEXIST ? store_failf(s, "%s: already exists; not overwriting it", dest)
		    : store_failf(s, "%s: %s", dest, strerror(errno));
	if (status == 0)
		sync_folder(dest);
	return status;
}

int
store_backup(struct store *s, const char *dest, int limit)
{
	struct timespec t0;
	int fd, status;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (access(dest, F_OK) == 0)
		return store_failf(s, "%s: already exists; not overwriting it", dest);
	char *partial = partial_path(dest);
	if ((status = claim_partial(s, partial, dest, &fd)) == 0) {
		status = backup_into(s, partial, dest, fd, limit, &t0);
		if (status != 0) {
			unlink(partial);
			remove_beside(partial);
		}
		close(fd);	/* the lock goes last: the name is free or the copy has it */
	}
	free(partial);
	return status;
}

static int
make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0700);
		*p = '/';
		if (rc != 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

char *
store_default_path(const char *config_db, bool make_folder)
{
	const char *env = getenv("PARTAKE_DB");
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *path;

	if (env && *env)
		return xstrdup(env);
	if (config_db)
		return xstrdup(config_db);
	if (xdg && *xdg)
		path = xasprintf("%s/partake/partake.db", xdg);
	else
		path = xasprintf("%s/.local/share/partake/partake.db", home ? home : ".");
	if (make_folder)
		make_dirs(path);
	return path;
}

char **
stmt_texts(struct stmt *st)
{
	char **texts = xcalloc(1, sizeof *texts);
	size_t n = 0;

	while (stmt_row(st)) {
		texts = xrealloc(texts, (n + 2) * sizeof *texts);
		texts[n++] = xstrdup(stmt_text(st, 0));
		texts[n] = NULL;
	}
	return texts;
}
