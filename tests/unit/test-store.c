/*
 * test-store.c — the store's rules of reading and writing: a write
 * transaction begins with every read ended, so a statement stepped and left
 * by one connection while another commits does not make the next
 * transaction busy at once (issue 15); one still being read across a begin
 * stops the process; a check reads beside a writer, and readers begun
 * together share one snapshot; a backup is whole under
 * its name or not there, bounded in time, and not stopped by leftovers;
 * rows held in a batch's transaction are what a reader, the commit and a
 * rollback would see of rows inserted one by one, foreign keys and unique
 * keys included.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitcode.h"
#include "store.h"
#include "tap.h"
#include "util.h"

static struct store *
open_store(const char *path, enum store_access access)
{
	struct store *s;
	bool created;
	char *why;

	if (store_open(path, access, &s, &created, &why) != 0) {
		printf("Bail out! %s\n", why);
		exit(1);
	}
	store_tune(s);
	return s;
}

/* One committed row from another connection: a new snapshot for everyone. */
static int
commit_elsewhere(struct store *other, int x)
{
	int rc = store_begin(other);

	if (rc == 0) {
		struct stmt *st = store_sql(other, "INSERT INTO t (x) VALUES (?)");
		stmt_bind_int(st, x);
		rc = stmt_run(st);
	}
	return rc ? rc : store_commit(other);
}

static void
noop(void *arg, const char *what)
{
	(void)arg;
	(void)what;
}

static bool
exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* The rows of table t in the database at path, or -1. */
static long long
rows_in(const char *path)
{
	struct store *s = open_store(path, STORE_READ);
	struct stmt *st = store_sql(s, "SELECT count(*) FROM t");
	long long n = stmt_row(st) ? stmt_int(st, 0) : -1;

	stmt_reset(st);
	store_close(s);
	return n;
}

/* The copy is whole under its name or is not there, and what a killed run
 * left beside it is taken over, never in the way. */
static void
test_backup(const char *dir)
{
	char *path = xasprintf("%s/big.db", dir), *dest = xasprintf("%s/copy.db", dir);
	char *partial = xasprintf("%s/.copy.db.partial", dir);
	char *journal = xasprintf("%s-journal", partial);
	struct store *s = open_store(path, STORE_CREATE);

	/* 20 MiB in 4 KiB pages: more than the 16 MiB a backup copies between
	 * two looks at the clock. */
	ok(store_exec(s, "PRAGMA page_size = 4096; CREATE TABLE t (b BLOB);"
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)"
	    " INSERT INTO t SELECT zeroblob(1 << 20) FROM n") == 0, "a database of 20 MiB");

	/* A limit of 0 s is over at the first look at the clock: a copy of
	 * more than one step is never done in it. */
	is_int(store_backup(s, dest, 0), EXIT_TEMPFAIL, "a backup over its time limit: 75");
	is_int(store_error_status(s), EXIT_TEMPFAIL, "the store says it is one to try again");
	ok(strstr(store_error(s), "not done within 0 s; nothing was written") != NULL,
	    "and why: %s", store_error(s));
	ok(!exists(dest) && !exists(partial), "no file is left, under its name or beside it");

	/* What a run killed mid-copy leaves: a partial file and its journal. */
	FILE *f = fopen(partial, "w");
	fputs("half a database", f);
	fclose(f);
	f = fopen(journal, "w");
	fputs("a journal that is hot no more", f);
	fclose(f);
	is_int(store_backup(s, dest, 60), 0, "a backup with a killed run's leftovers beside it: done");
	is_int(rows_in(dest), 20, "the copy is whole");
	ok(!exists(partial) && !exists(journal), "and the leftovers are gone");
	is_int(store_backup(s, dest, 60), EXIT_FATAL, "a second backup to the same name is refused");
	is_int(rows_in(dest), 20, "and the copy is untouched");

	store_close(s);
	unlink(dest);
	unlink(path);
	free(path);
	free(dest);
	free(partial);
	free(journal);
}

/* How many rows of t the connection sees. */
static long long
rows(struct store *s)
{
	struct stmt *st = store_sql(s, "SELECT count(*) FROM t");
	long long n = stmt_row(st) ? stmt_int(st, 0) : -1;

	stmt_reset(st);
	return n;
}

/* Readers begun with a's read transaction see its snapshot, not a write
 * committed after; a writer is not held by them. */
static void
test_readers(struct store *a, struct store *b)
{
	struct store *more[2];
	long long before = rows(a);

	is_int(store_read_begin_with(a, 2, more), 0, "a read begun with two more readers");
	ok(more[0] && more[1], "both are there (nothing was committed meanwhile)");
	is_int(commit_elsewhere(b, 7), 0, "a writer commits beside the three at once");
	ok(rows(a) == before && more[0] && rows(more[0]) == before && more[1] &&
	    rows(more[1]) == before, "all three see the snapshot of before the commit (%lld rows)",
	    before);
	for (int i = 0; i < 2; i++)
		if (more[i]) {
			store_read_end(more[i]);
			store_close(more[i]);
		}
	store_read_end(a);
	ok(rows(a) == before + 1, "ended, the first sees the new row");
}

static long long
count_of(struct store *s, const char *sql)
{
	struct stmt *st = store_sql_once(s, sql);
	long long n = stmt_row(st) ? stmt_int(st, 0) : -1;

	stmt_free(st);
	return n;
}

static int
put_child(struct store *s, long long parent, const char *v)
{
	struct stmt *st = store_sql(s, "INSERT INTO child (parent_id, v) VALUES (?, ?)");

	stmt_bind_id(st, parent);
	stmt_bind_text(st, v);
	return stmt_put(st);
}

/* A held transaction (store_begin_held) keeps every promise of one whose
 * rows go in one by one. */
static void
test_held(const char *dir)
{
	char *path = xasprintf("%s/held.db", dir);
	struct store *s = open_store(path, STORE_CREATE), *other = open_store(path, STORE_WRITE);
	char v[32];
	int rc;

	ok(store_exec(s, "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);"
	    "INSERT INTO parent VALUES (1, 'one'), (2, 'two');"
	    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id),"
	    " v TEXT NOT NULL UNIQUE);"
	    "CREATE TABLE note (id INTEGER PRIMARY KEY, child_id INTEGER REFERENCES child(id));"
	    "INSERT INTO child (id, parent_id, v) VALUES (10, 1, 'ten')") == 0, "held: a schema");

	is_int(store_begin_held(s), 0, "held: a held transaction begins");
	ok(store_holding(s), "held: and says so");
	is_int(put_child(s, 1, "a"), 0, "held: a row is put");
	is_int(store_last_id(s), 11, "held: its id is the next rowid, at once");
	is_int(put_child(s, 0, "b"), 0, "held: a row naming no parent (NULL) is put");
	is_int(store_last_id(s), 12, "held: the next id");
	is_int(count_of(s, "SELECT count(*) FROM child"), 3,
	    "held: a read of the table sees the rows held");
	is_int(count_of(other, "SELECT count(*) FROM child"), 1,
	    "held: another connection does not, before the commit");
	rc = put_child(s, 99, "c");
	ok(rc == EXIT_FATAL && strstr(store_error(s), "FOREIGN KEY") != NULL,
	    "held: a row naming a parent that is not there fails as it is put: %s", store_error(s));
	for (int i = 0; i < 2000; i++) {
		snprintf(v, sizeof v, "row %d", i);
		if ((rc = put_child(s, 1 + i % 2, v)) != 0)
			break;
	}
	is_int(rc, 0, "held: 2000 more rows are put, stored a few hundred at a time");
	is_int(store_last_id(s), 2012, "held: their ids follow on");
	is_int(count_of(s, "SELECT count(*) FROM child WHERE id BETWEEN 13 AND 2012 AND "
	    "v = 'row ' || (id - 13) AND parent_id = 1 + (id - 13) % 2"), 2000,
	    "held: each stored with its id and its values");
	struct stmt *note = store_sql(s, "INSERT INTO note (child_id) VALUES (?)");
	stmt_bind_int(note, 2012);
	is_int(stmt_run(note), 0, "held: another statement writes a row naming a held one");
	is_int(store_commit(s), 0, "held: it commits");
	ok(!store_holding(s), "held: and holds no more");
	is_int(count_of(other, "SELECT count(*) FROM child"), 2003, "held: another sees every row");
	is_int(count_of(s, "PRAGMA foreign_keys"), 1, "held: foreign keys are enforced again after");

	/* A unique key a held row breaks fails a later call, and nothing is stored. */
	is_int(store_begin_held(s), 0, "held: another held transaction");
	is_int(put_child(s, 2, "fresh"), 0, "held: a row is put");
	is_int(put_child(s, 2, "a"), 0, "held: a row breaking the unique key is put too (held)");
	long long n = count_of(s, "SELECT count(*) FROM child");
	ok(n == -1 && strstr(store_error(s), "UNIQUE"), "held: the next read fails on it: %s",
	    store_error(s));
	store_rollback(s);
	is_int(count_of(s, "SELECT count(*) FROM child WHERE v = 'fresh'"), 0,
	    "held: rolled back, nothing of it is stored");

	/* What another statement writes is checked at the commit. */
	is_int(store_begin_held(s), 0, "held: a third held transaction");
	is_int(put_child(s, 1, "third"), 0, "held: a row is put");
	note = store_sql(s, "INSERT INTO note (child_id) VALUES (?)");
	stmt_bind_int(note, 99999);
	is_int(stmt_run(note), 0, "held: another statement writes a row naming no child (not yet "
	    "checked: the foreign keys are checked here)");
	rc = store_commit(s);
	ok(rc == EXIT_FATAL && strstr(store_error(s), "FOREIGN KEY") != NULL,
	    "held: the commit fails on it: %s", store_error(s));
	is_int(count_of(other, "SELECT count(*) FROM child WHERE v = 'third'"), 0,
	    "held: and nothing of it is stored");
	is_int(count_of(s, "PRAGMA foreign_keys"), 1, "held: foreign keys are enforced again");

	/* Outside a held transaction a put is a plain insert. */
	is_int(store_begin(s), 0, "held: a plain transaction");
	is_int(put_child(s, 1, "plain"), 0, "held: a put is run at once");
	is_int(store_last_id(s), 2013, "held: its id");
	rc = put_child(s, 99, "bad");
	ok(rc == EXIT_FATAL, "held: and SQLite's own foreign key check refuses a bad one");
	store_rollback(s);

	store_close(s);
	store_close(other);
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	unlink(path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
	free(path);
}

int
main(void)
{
	char dir[] = "/tmp/partake-store.XXXXXX";
	if (mkdtemp(dir) == NULL)
		return 1;
	char *path = xasprintf("%s/t.db", dir);
	struct store *a = open_store(path, STORE_CREATE), *b = open_store(path, STORE_WRITE);

	ok(store_exec(a, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3)") == 0,
	    "a table of three rows");

	/* The defect: a look-up stepped to its first row and left there. */
	static const char *const first = "SELECT x FROM t ORDER BY x";
	struct stmt *left = store_sql(a, first);
	ok(stmt_row(left) && stmt_int(left, 0) == 1, "a statement is stepped to its first row and left");
	is_int(commit_elsewhere(b, 4), 0, "another connection commits meanwhile");
	is_int(store_begin(a), 0, "the next transaction begins: the left statement's old snapshot "
	    "was ended, not upgraded (SQLITE_BUSY_SNAPSHOT, 75 at once)");
	struct stmt *count = store_sql(a, "SELECT count(*) FROM t");
	ok(stmt_row(count) && stmt_int(count, 0) == 4, "and it sees the other's row");
	stmt_reset(count);
	struct stmt *ins = store_sql(a, "INSERT INTO t (x) VALUES (5)");
	is_int(stmt_run(ins), 0, "it writes");
	is_int(store_commit(a), 0, "and commits");

	/* Stepping the statement the begin ended would start it again from its
	 * first row without a word: that is a bug, and stops the process. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fclose(stderr);
		stmt_row(left);
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == EXIT_FATAL,
	    "stepping on a statement the begin ended stops the process (exit %d)",
	    WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	left = store_sql(a, first);
	ok(stmt_row(left) && stmt_int(left, 0) == 1, "fetched anew, it reads from the start");
	stmt_reset(left);

	/* The same for a statement of SQL built at run time. */
	struct stmt *once = store_sql_once(a, "SELECT x FROM t WHERE x > 0 ORDER BY x");
	ok(stmt_row(once), "a statement of run-time SQL is stepped and left");
	is_int(commit_elsewhere(b, 6), 0, "another connection commits meanwhile");
	is_int(store_begin(a), 0, "the next transaction begins");
	store_rollback(a);
	stmt_free(once);

	/* A check of a file another holds the write lock of only reads: it runs. */
	is_int(store_begin(b), 0, "another connection holds the write lock");
	int problems = store_check(a, noop, NULL);
	is_int(problems, 0, "the engine's check runs beside it: it only reads");
	store_rollback(b);

	test_readers(a, b);
	test_backup(dir);
	test_held(dir);

	store_close(a);
	store_close(b);
	unlink(path);
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	unlink(wal);
	unlink(shm);
	rmdir(dir);
	free(wal);
	free(shm);
	free(path);
	return tap_done();
}
