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
#include <stdint.h>
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
	char **reads;		/* the tables it reads, as SQLite prepared it */
	size_t nreads;
	struct held *held;	/* its held form (store_begin_held), once asked for */
	bool not_held;		/* its SQL cannot be held */
	bool held_applied;	/* its row recorded for holding was bound to run now */
};

struct held;
struct held_table;
struct held_seen;

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
	/* A held transaction (store_begin_held): */
	bool holding, module_made;
	struct held *queued, **queued_tail;	/* with rows held, in the order of their first */
	size_t held_rows, held_bytes;
	struct held *flushing;	/* whose rows the virtual table gives */
	struct held_table **tables;
	size_t ntables;
	struct held_seen *seen;
	size_t seen_cap, nseen;
	char **written;		/* tables other statements changed */
	size_t nwritten;
	bool changed_other;	/* rows updated or deleted */
	long long last_id;	/* of the row held last */
	bool last_held;
	struct stmt *preparing;	/* whose reads note_read notes */
};

static bool recording(const struct stmt *st);
static void held_row_begin(struct stmt *st);
static struct held_value *held_add(struct stmt *st, int type, const void *bytes, size_t len);
static void held_add_int(struct stmt *st, long long v);
static void held_row_apply(struct stmt *st);
static int held_flush(struct store *s);
static bool reads_held(const struct stmt *st);
static int held_before_step(struct stmt *st);
static struct held *held_make(struct store *s, struct stmt *st);
static void held_free(struct held *h);
static int held_check_written(struct store *s);
static void held_end(struct store *s);
static void held_tables_free(struct store *s);

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

/* Notes the tables a statement reads as SQLite prepares it: a read of
 * one with rows held stores them first. */
static int
note_read(void *arg, int action, const char *table, const char *column, const char *db,
    const char *trigger)
{
	struct stmt *st = ((struct store *)arg)->preparing;

	(void)column, (void)db, (void)trigger;
	if (st == NULL || action != SQLITE_READ || table == NULL)
		return SQLITE_OK;
	for (size_t i = 0; i < st->nreads; i++)
		if (strcmp(st->reads[i], table) == 0)
			return SQLITE_OK;
	st->reads = xrealloc(st->reads, (st->nreads + 1) * sizeof *st->reads);
	st->reads[st->nreads++] = xstrdup(table);
	return SQLITE_OK;
}

static struct stmt *
prepare(struct store *s, const char *sql)
{
	struct stmt *st = xcalloc(1, sizeof *st);

	s->preparing = st;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL);
	s->preparing = NULL;
	if (rc != SQLITE_OK) {
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
			st->next = 1;
			st->status = 0;
			st->ended = false;
			st->held_applied = false;
			if (s->holding && !st->held && !st->not_held &&
			    strncmp(sql, "INSERT INTO ", 12) == 0 && !(st->held = held_make(s, st)))
				st->not_held = true;
			if (s->holding && st->held) {
				held_row_begin(st);
				return st;
			}
			sqlite3_reset(st->st);
			sqlite3_clear_bindings(st->st);
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
	for (size_t i = 0; i < st->nreads; i++)
		free(st->reads[i]);
	free(st->reads);
	held_free(st->held);
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
	if (recording(st))
		held_add(st, v ? SQLITE_TEXT : SQLITE_NULL, v, v ? strlen(v) : 0);
	else if (v)
		sqlite3_bind_text(st->st, st->next++, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st->st, st->next++);
}

void
stmt_bind_int(struct stmt *st, long long v)
{
	if (recording(st))
		held_add_int(st, v);
	else
		sqlite3_bind_int64(st->st, st->next++, v);
}

void
stmt_bind_null(struct stmt *st)
{
	if (recording(st))
		held_add(st, SQLITE_NULL, NULL, 0);
	else
		sqlite3_bind_null(st->st, st->next++);
}

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
	if (recording(st))
		held_add(st, SQLITE_BLOB, v, n);
	else
		sqlite3_bind_blob(st->st, st->next++, v, (int)n, SQLITE_STATIC);
}

bool
stmt_row(struct stmt *st)
{
	if (st->ended)
		error(EXIT_FATAL, 0, "internal error: a statement read on across the start of a "
		    "transaction: %s", sqlite3_sql(st->st));
	if (st->store->holding && (st->status = held_before_step(st)) != 0)
		return false;
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
long long
store_last_id(const struct store *s)
{
	return s->last_held ? s->last_id : sqlite3_last_insert_rowid(s->db);
}
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
	int rc;

	if (s->held_rows && (rc = held_flush(s)) != 0)
		return rc;
	rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
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
	int rc = 0;

	if (s->holding && ((rc = held_flush(s)) != 0 || (rc = held_check_written(s)) != 0)) {
		store_rollback(s);
		return rc;
	}
	rc = store_exec(s, "COMMIT");
	if (rc == 0)
		held_end(s);

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
	held_end(s);
}

/*
 * Rows held for a batch (store_begin_held). SQLite's cost of a one-row
 * INSERT is mostly its own start and end: every cursor of the table and
 * of its twelve indexes opened, each index searched from its root, and
 * closed again. The same rows given to one INSERT ... SELECT cost a third
 * less (bench/README), so a batch's rows are held here and stored a few
 * hundred at a time, read by that INSERT from the virtual table below.
 * A multi-row INSERT in a transaction keeps a statement journal of every
 * page it changes that was there before it, which spills to a file past
 * 64 KiB (+11 s of writes for 1M cases): a held transaction keeps it in
 * memory (temp_store, 2-3 MB a statement). The held INSERT is OR FAIL,
 * and the foreign keys, which SQLite would check at a multi-row
 * statement's end, are checked here instead: when a row is held, and at
 * the commit for what other statements wrote meanwhile.
 */
enum { HELD_COLUMNS = 48, HELD_ROWS = 384, HELD_BYTES = 2 << 20 };

struct held_value {
	int type;		/* SQLITE_INTEGER, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL */
	int len;
	union {
		long long i;
		size_t at;	/* of its bytes in the held statement's `bytes` */
	} v;
};

/* A table that rows are held for: the ids given to them. */
struct held_table {
	char *name;
	unsigned long serial;	/* of the transaction these hold for */
	long long next;		/* the id of the next row; 0: not known */
	long long first, end;	/* the ids given in one run [first, end) */
};

/* A bound value that names a row of another table (a foreign key). */
struct held_ref {
	int value;		/* which of the bound values */
	struct held_table *parent;	/* its table's rows held, or NULL */
	char *column, *parent_name;
	sqlite3_stmt *exists;	/* SELECT 1 FROM parent WHERE key = ? */
};

struct held {
	sqlite3_stmt *insert;	/* INSERT OR FAIL ... SELECT ... FROM temp.partake_held */
	struct held_table *table;
	int nvalues;		/* bound a row; the row's id before them */
	struct held_ref *refs;
	size_t nrefs;
	unsigned long serial;	/* binds recorded in this transaction */
	struct held_value *vals;	/* rows of 1 + nvalues */
	size_t nvals, cap, row_at;	/* the row being bound begins at row_at */
	char *bytes;
	size_t nbytes, bytes_cap, row_bytes_at;
	size_t nrows;
	struct held *queued_next;
	bool queued;
};

/* A value known to name a row that is there, in this transaction. */
struct held_seen {
	const struct held_ref *ref;
	long long value;
};

static void
held_free(struct held *h)
{
	if (h == NULL)
		return;
	sqlite3_finalize(h->insert);
	for (size_t i = 0; i < h->nrefs; i++) {
		sqlite3_finalize(h->refs[i].exists);
		free(h->refs[i].column);
		free(h->refs[i].parent_name);
	}
	free(h->refs);
	free(h->vals);
	free(h->bytes);
	free(h);
}

/* The virtual table temp.partake_held: the rows of the held statement
 * being stored, its columns c0, c1, ... as bound. */
struct held_cursor {
	sqlite3_vtab_cursor base;
	size_t row;
};

struct held_vtab {
	sqlite3_vtab base;
	struct store *store;
};

static int
held_connect(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
    char **err)
{
	(void)argc, (void)argv, (void)err;
	struct buf sql = {0};

	buf_adds(&sql, "CREATE TABLE x(");
	for (int i = 0; i < HELD_COLUMNS + 1; i++)
		buf_addf(&sql, "%sc%d", i ? ", " : "", i);
	buf_adds(&sql, ")");
	int rc = sqlite3_declare_vtab(db, sql.data);
	free(sql.data);
	if (rc != SQLITE_OK)
		return rc;
	struct held_vtab *v = sqlite3_malloc(sizeof *v);
	if (v == NULL)
		return SQLITE_NOMEM;
	memset(v, 0, sizeof *v);
	v->store = aux;
	*out = &v->base;
	return SQLITE_OK;
}

static int
held_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
	(void)vt;
	info->estimatedCost = 1;
	return SQLITE_OK;
}

static int held_disconnect(sqlite3_vtab *vt) { sqlite3_free(vt); return SQLITE_OK; }

static int
held_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
	(void)vt;
	struct held_cursor *c = sqlite3_malloc(sizeof *c);

	if (c == NULL)
		return SQLITE_NOMEM;
	memset(c, 0, sizeof *c);
	*out = &c->base;
	return SQLITE_OK;
}

static int held_close(sqlite3_vtab_cursor *c) { sqlite3_free(c); return SQLITE_OK; }

static int
held_filter(sqlite3_vtab_cursor *c, int index, const char *name, int argc, sqlite3_value **argv)
{
	(void)index, (void)name, (void)argc, (void)argv;
	((struct held_cursor *)c)->row = 0;
	return SQLITE_OK;
}

static int held_next(sqlite3_vtab_cursor *c) { ((struct held_cursor *)c)->row++; return SQLITE_OK; }

static struct held *flushing_of(const sqlite3_vtab_cursor *c);

static int
held_eof(sqlite3_vtab_cursor *c)
{
	const struct held *h = flushing_of(c);
	return h == NULL || ((struct held_cursor *)c)->row >= h->nrows;
}

static int
held_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int col)
{
	const struct held *h = flushing_of(c);
	const struct held_value *v;

	if (col > h->nvalues) {
		sqlite3_result_null(ctx);
		return SQLITE_OK;
	}
	v = &h->vals[((struct held_cursor *)c)->row * (size_t)(h->nvalues + 1) + (size_t)col];
	switch (v->type) {
	case SQLITE_INTEGER:
		sqlite3_result_int64(ctx, v->v.i);
		break;
	case SQLITE_TEXT:
		sqlite3_result_text(ctx, h->bytes + v->v.at, v->len, SQLITE_STATIC);
		break;
	case SQLITE_BLOB:
		sqlite3_result_blob(ctx, h->bytes + v->v.at, v->len, SQLITE_STATIC);
		break;
	default:
		sqlite3_result_null(ctx);
	}
	return SQLITE_OK;
}

static int
held_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *rowid)
{
	*rowid = (sqlite3_int64)((struct held_cursor *)c)->row;
	return SQLITE_OK;
}

static sqlite3_module held_module = {
	.xCreate = held_connect, .xConnect = held_connect, .xBestIndex = held_best_index,
	.xDisconnect = held_disconnect, .xDestroy = held_disconnect, .xOpen = held_open,
	.xClose = held_close, .xFilter = held_filter, .xNext = held_next, .xEof = held_eof,
	.xColumn = held_column, .xRowid = held_rowid,
};

static struct held *flushing_of(const sqlite3_vtab_cursor *c)
{
	return ((const struct held_vtab *)c->pVtab)->store->flushing;
}

static struct held_table *
table_of(struct store *s, const char *name)
{
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i]->name, name) == 0)
			return s->tables[i];
	struct held_table *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	s->tables = xrealloc(s->tables, (s->ntables + 1) * sizeof *s->tables);
	s->tables[s->ntables++] = t;
	return t;
}

/* A name in SQL, quoted. */
static void
buf_add_name(struct buf *b, const char *name)
{
	buf_addc(b, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}

/* A statement of ours that only reads the schema: it must prepare. */
static sqlite3_stmt *
schema_sql(struct store *s, const char *sql, const char *name)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		error(EXIT_FATAL, 0, "internal error: %s: %s", sqlite3_errmsg(s->db), sql);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	return st;
}

static bool
schema_has(struct store *s, const char *sql, const char *name)
{
	sqlite3_stmt *st = schema_sql(s, sql, name);
	bool has = sqlite3_step(st) == SQLITE_ROW;

	sqlite3_finalize(st);
	return has;
}

/*
 * The SQL of a row held: `INSERT INTO t (a, b) VALUES (?, ?)`, a `?` for
 * each column, then nothing or `ON CONFLICT ... DO NOTHING`. Its columns
 * into cols (names from the SQL), their count, or -1 for any other SQL.
 */
static int
held_shape(const char *sql, char *table, size_t table_size, char cols[][64], const char **tail)
{
	const char *p = sql;
	int n = 0;

	if (strncmp(p, "INSERT INTO ", 12) != 0)
		return -1;
	p += 12;
	size_t len = strcspn(p, " (");
	if (len == 0 || len >= table_size)
		return -1;
	memcpy(table, p, len);
	table[len] = '\0';
	p += len;
	p += strspn(p, " ");
	if (*p++ != '(')
		return -1;
	while (n < HELD_COLUMNS) {
		p += strspn(p, " ");
		len = strcspn(p, " ,)");
		if (len == 0 || len >= 64)
			return -1;
		memcpy(cols[n], p, len);
		cols[n++][len] = '\0';
		p += len;
		p += strspn(p, " ");
		if (*p == ')')
			break;
		if (*p++ != ',')
			return -1;
	}
	if (*p++ != ')' || strncmp(p, " VALUES (", 9) != 0)
		return -1;
	p += 9;
	for (int i = 0; i < n; i++) {
		if (*p++ != '?')
			return -1;
		if (i + 1 < n && strncmp(p, ", ", 2) == 0)
			p += 2;
	}
	if (*p++ != ')')
		return -1;
	size_t rest = strlen(p);
	if (rest > 0 && (strncmp(p, " ON CONFLICT ", 13) != 0 || rest < 11 ||
	    strcmp(p + rest - 11, " DO NOTHING") != 0))
		return -1;
	*tail = p;
	return n;
}

/* The table's INTEGER PRIMARY KEY, its rowid: false for none. */
static bool
rowid_key(struct store *s, const char *table, char *key, size_t size)
{
	sqlite3_stmt *pk = schema_sql(s, "SELECT name FROM pragma_table_info(?1) WHERE pk = 1 AND "
	    "upper(type) = 'INTEGER' AND (SELECT count(*) FROM pragma_table_info(?1) WHERE pk > 0) = 1",
	    table);
	bool has = sqlite3_step(pk) == SQLITE_ROW;

	if (has)
		snprintf(key, size, "%s", (const char *)sqlite3_column_text(pk, 0));
	sqlite3_finalize(pk);
	return has;
}

/* Its foreign keys, each a reference to check as a row is held; false
 * for one of several columns, or one to an unnamed key. */
static bool
held_refs(struct store *s, struct held *h, const char *table, char cols[][64])
{
	sqlite3_stmt *fk = schema_sql(s,
	    "SELECT \"from\", \"table\", \"to\", seq FROM pragma_foreign_key_list(?)", table);
	bool ok = true;

	while (ok && sqlite3_step(fk) == SQLITE_ROW) {
		const char *from = (const char *)sqlite3_column_text(fk, 0);
		const char *parent = (const char *)sqlite3_column_text(fk, 1);
		const char *to = (const char *)sqlite3_column_text(fk, 2);
		int col = -1;
		if (sqlite3_column_int(fk, 3) != 0 || to == NULL) {
			ok = false;
			break;
		}
		for (int i = 0; i < h->nvalues; i++)
			if (strcmp(cols[i], from) == 0)
				col = i;
		if (col < 0)	/* not given: NULL, which names nothing */
			continue;
		struct buf sql = {0};
		buf_adds(&sql, "SELECT 1 FROM ");
		buf_add_name(&sql, parent);
		buf_adds(&sql, " WHERE ");
		buf_add_name(&sql, to);
		buf_adds(&sql, " = ?");
		h->refs = xrealloc(h->refs, (h->nrefs + 1) * sizeof *h->refs);
		struct held_ref *r = &h->refs[h->nrefs++];
		r->value = col;
		r->parent = NULL;
		r->column = xstrdup(from);
		r->parent_name = xstrdup(parent);
		if (sqlite3_prepare_v3(s->db, sql.data, -1, SQLITE_PREPARE_PERSISTENT, &r->exists,
		    NULL) != SQLITE_OK)
			error(EXIT_FATAL, 0, "internal error: %s: %s", sqlite3_errmsg(s->db), sql.data);
		free(sql.data);
		/* A reference to a table whose rows may be held: by their ids. */
		char key[64];
		if (rowid_key(s, parent, key, sizeof key) && strcmp(key, to) == 0)
			r->parent = table_of(s, parent);
	}
	sqlite3_finalize(fk);
	return ok;
}

/* The held form of st's SQL, or NULL when it cannot be held. */
static struct held *
held_make(struct store *s, struct stmt *st)
{
	char table[64], key[64], cols[HELD_COLUMNS][64];
	const char *tail;
	int n = held_shape(sqlite3_sql(st->st), table, sizeof table, cols, &tail);

	/* The rows are given their ids here: the table's rowid, not one they bind. */
	if (n < 0 || !rowid_key(s, table, key, sizeof key))
		return NULL;
	for (int i = 0; i < n; i++)
		if (strcmp(cols[i], key) == 0)
			return NULL;
	/* Nothing may run as a row is inserted: it would see the rows in another order. */
	if (schema_has(s, "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
	    "AND upper(sql) LIKE '% INSERT ON %'", table))
		return NULL;
	struct held *h = xcalloc(1, sizeof *h);
	h->nvalues = n;
	h->table = table_of(s, table);
	if (!held_refs(s, h, table, cols)) {
		held_free(h);
		return NULL;
	}
	struct buf sql = {0};
	buf_adds(&sql, "INSERT OR FAIL INTO ");
	buf_add_name(&sql, table);
	buf_adds(&sql, " (");
	buf_add_name(&sql, key);
	for (int i = 0; i < n; i++) {
		buf_adds(&sql, ", ");
		buf_add_name(&sql, cols[i]);
	}
	buf_adds(&sql, ") SELECT c0");
	for (int i = 1; i <= n; i++)
		buf_addf(&sql, ", c%d", i);
	buf_addf(&sql, " FROM temp.partake_held WHERE true%s", tail);
	if (sqlite3_prepare_v3(s->db, sql.data, -1, SQLITE_PREPARE_PERSISTENT, &h->insert, NULL) !=
	    SQLITE_OK)
		error(EXIT_FATAL, 0, "internal error: %s: %s", sqlite3_errmsg(s->db), sql.data);
	free(sql.data);
	return h;
}

/* st's binds go to its held rows (store_sql begins a row). */
static bool
recording(const struct stmt *st)
{
	return st->held && !st->held_applied && st->held->serial == st->store->serial &&
	    st->store->holding;
}

/* A row begins in store_sql; held_end left nothing of another transaction. */
static void
held_row_begin(struct stmt *st)
{
	struct held *h = st->held;

	h->serial = st->store->serial;

	h->nvals = h->row_at;	/* a row begun and not put is dropped */
	h->nbytes = h->row_bytes_at;
	if (h->nvals == h->cap) {
		h->cap = h->cap ? 2 * h->cap : (size_t)(h->nvalues + 1) * 64;
		h->vals = xrealloc(h->vals, h->cap * sizeof *h->vals);
	}
	h->vals[h->nvals++] = (struct held_value){.type = SQLITE_NULL};	/* its id, when put */
}

static struct held_value *
held_add(struct stmt *st, int type, const void *bytes, size_t len)
{
	struct held *h = st->held;

	if ((int)(h->nvals - h->row_at) > h->nvalues)
		error(EXIT_FATAL, 0, "internal error: more values bound than `?`: %s",
		    sqlite3_sql(st->st));
	if (h->nvals == h->cap) {
		h->cap *= 2;
		h->vals = xrealloc(h->vals, h->cap * sizeof *h->vals);
	}
	struct held_value *v = &h->vals[h->nvals++];
	v->type = type;
	v->len = (int)len;
	if (bytes) {
		if (h->nbytes + len > h->bytes_cap) {
			h->bytes_cap = 2 * (h->nbytes + len) + 4096;
			h->bytes = xrealloc(h->bytes, h->bytes_cap);
		}
		memcpy(h->bytes + h->nbytes, bytes, len);
		v->v.at = h->nbytes;
		h->nbytes += len;
	}
	return v;
}

static void held_add_int(struct stmt *st, long long v) { held_add(st, SQLITE_INTEGER, NULL, 0)->v.i = v; }

/* A row recorded for holding is run instead: its values bound to SQLite. */
static void
held_row_apply(struct stmt *st)
{
	struct held *h = st->held;

	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
	for (size_t i = h->row_at + 1; i < h->nvals; i++) {
		const struct held_value *v = &h->vals[i];
		int n = (int)(i - h->row_at);
		if (v->type == SQLITE_INTEGER)
			sqlite3_bind_int64(st->st, n, v->v.i);
		else if (v->type == SQLITE_TEXT)
			sqlite3_bind_text(st->st, n, h->bytes + v->v.at, v->len, SQLITE_TRANSIENT);
		else if (v->type == SQLITE_BLOB)
			sqlite3_bind_blob(st->st, n, h->bytes + v->v.at, v->len, SQLITE_TRANSIENT);
	}
	h->nvals = h->row_at;
	h->nbytes = h->row_bytes_at;
	st->held_applied = true;
}

/*
 * Stores every row held, a statement at a time in the order each was
 * first held: 0 or the status of the first that failed, every row held
 * dropped either way. A row of a statement still being bound stays.
 */
static int
held_flush(struct store *s)
{
	int rc = 0;

	for (struct held *h = s->queued, *next; h; h = next) {
		next = h->queued_next;
		if (rc == 0) {
			s->flushing = h;
			int step = sqlite3_step(h->insert);
			long long stored = sqlite3_changes64(s->db);
			if (step != SQLITE_DONE)
				rc = fail(s, sqlite3_extended_errcode(s->db));
			else if (stored != (long long)h->nrows)
				rc = store_failf(s, "internal error: %lld of the %zu rows held for %s "
				    "were stored", stored, h->nrows, h->table->name);
			sqlite3_reset(h->insert);
			s->flushing = NULL;
		}
		/* The row being bound, if any, to the front. */
		size_t rest = h->nvals - h->row_at, rest_bytes = h->nbytes - h->row_bytes_at;
		memmove(h->vals, h->vals + h->row_at, rest * sizeof *h->vals);
		memmove(h->bytes, h->bytes + h->row_bytes_at, rest_bytes);
		for (size_t i = 0; i < rest; i++)
			if (h->vals[i].type == SQLITE_TEXT || h->vals[i].type == SQLITE_BLOB)
				h->vals[i].v.at -= h->row_bytes_at;
		h->nvals = rest;
		h->nbytes = rest_bytes;
		h->row_at = h->row_bytes_at = 0;
		h->nrows = 0;
		h->queued = false;
		h->queued_next = NULL;
	}
	s->queued = NULL;
	s->queued_tail = &s->queued;
	s->held_rows = s->held_bytes = 0;
	return rc;
}

static bool
has_rows_held(const struct store *s, const struct held_table *t)
{
	for (const struct held *h = s->queued; h; h = h->queued_next)
		if (h->table == t)
			return true;
	return false;
}

/* Does st read a table that has rows held? */
static bool
reads_held(const struct stmt *st)
{
	for (const struct held *h = st->store->queued; h; h = h->queued_next)
		for (size_t i = 0; i < st->nreads; i++)
			if (strcmp(st->reads[i], h->table->name) == 0)
				return true;
	return false;
}

/* Before a statement of a held transaction steps: a row recorded for
 * holding is bound to run now, and the rows held are stored first when
 * it writes or reads a table they are for. 0 or a status. */
static int
held_before_step(struct stmt *st)
{
	struct store *s = st->store;
	bool writes = !sqlite3_stmt_readonly(st->st);

	if (recording(st))
		held_row_apply(st);
	if (writes)
		s->last_held = false;
	return s->held_rows && (writes || reads_held(st)) ? held_flush(s) : 0;
}

/* The values known to name a row (held_seen), by open addressing. */
static size_t
seen_slot(const struct store *s, const struct held_ref *ref, long long value)
{
	unsigned long long k = (unsigned long long)value * 0x9E3779B97F4A7C15ull ^
	    (unsigned long long)(uintptr_t)ref;
	size_t i = (size_t)(k >> 20) & (s->seen_cap - 1);

	while (s->seen[i].ref && (s->seen[i].ref != ref || s->seen[i].value != value))
		i = (i + 1) & (s->seen_cap - 1);
	return i;
}

static void
seen_add(struct store *s, const struct held_ref *ref, long long value)
{
	if (2 * (s->nseen + 1) > s->seen_cap) {
		struct held_seen *old = s->seen;
		size_t old_cap = s->seen_cap;
		s->seen_cap = old_cap ? 2 * old_cap : 256;
		s->seen = xcalloc(s->seen_cap, sizeof *s->seen);
		for (size_t i = 0; i < old_cap; i++)
			if (old[i].ref)
				s->seen[seen_slot(s, old[i].ref, old[i].value)] = old[i];
		free(old);
	}
	size_t i = seen_slot(s, ref, value);
	if (s->seen[i].ref == NULL) {
		s->seen[i] = (struct held_seen){ref, value};
		s->nseen++;
	}
}

static bool
seen(const struct store *s, const struct held_ref *ref, long long value)
{
	return s->seen_cap && s->seen[seen_slot(s, ref, value)].ref != NULL;
}

/* The references of the row being held, checked as SQLite checks a
 * foreign key: to an id given to a row held, or to a row there. */
static int
held_check_refs(struct stmt *st)
{
	struct store *s = st->store;
	struct held *h = st->held;

	for (size_t i = 0; i < h->nrefs; i++) {
		const struct held_ref *r = &h->refs[i];
		const struct held_value *v = &h->vals[h->row_at + 1 + (size_t)r->value];
		if (v->type == SQLITE_NULL)
			continue;
		if (v->type == SQLITE_INTEGER) {
			if (r->parent && r->parent->serial == s->serial && v->v.i >= r->parent->first &&
			    v->v.i < r->parent->end)
				continue;
			if (seen(s, r, v->v.i))
				continue;
			if (r->parent && has_rows_held(s, r->parent)) {
				int rc = held_flush(s);
				if (rc != 0)
					return rc;
			}
			sqlite3_bind_int64(r->exists, 1, v->v.i);
		} else {
			sqlite3_bind_text(r->exists, 1, h->bytes + v->v.at, v->len, SQLITE_STATIC);
		}
		int step = sqlite3_step(r->exists);
		sqlite3_reset(r->exists);
		if (step == SQLITE_ROW) {
			if (v->type == SQLITE_INTEGER)
				seen_add(s, r, v->v.i);
			continue;
		}
		if (step != SQLITE_DONE)
			return fail(s, step);
		if (v->type == SQLITE_INTEGER)
			return store_failf(s, "FOREIGN KEY constraint failed: %s.%s %lld is no row of %s",
			    h->table->name, r->column, v->v.i, r->parent_name);
		return store_failf(s, "FOREIGN KEY constraint failed: %s.%s is no row of %s",
		    h->table->name, r->column, r->parent_name);
	}
	return 0;
}

/* The id of the next row held for t: read once a transaction. */
static int
held_next_id(struct store *s, struct held_table *t)
{
	if (t->serial == s->serial && t->next != 0)
		return 0;
	int rc = s->held_rows ? held_flush(s) : 0;
	if (rc != 0)
		return rc;
	struct buf sql = {0};
	sqlite3_stmt *st;
	buf_adds(&sql, "SELECT coalesce(max(rowid), 0) FROM ");
	buf_add_name(&sql, t->name);
	if (sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL) != SQLITE_OK)
		error(EXIT_FATAL, 0, "internal error: %s: %s", sqlite3_errmsg(s->db), sql.data);
	free(sql.data);
	int step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		t->next = t->first = t->end = sqlite3_column_int64(st, 0) + 1;
	else
		rc = fail(s, sqlite3_extended_errcode(s->db));
	sqlite3_finalize(st);
	t->serial = s->serial;
	return rc;
}

int
stmt_put(struct stmt *st)
{
	struct store *s = st->store;
	struct held *h = st->held;
	int rc;

	if (!recording(st))
		return stmt_run(st);
	if ((int)(h->nvals - h->row_at) != h->nvalues + 1)
		error(EXIT_FATAL, 0, "internal error: %d values bound for %d `?`: %s",
		    (int)(h->nvals - h->row_at) - 1, h->nvalues, sqlite3_sql(st->st));
	if ((rc = held_check_refs(st)) != 0 || (rc = held_next_id(s, h->table)) != 0) {
		held_row_begin(st);
		return st->status = rc;
	}
	h->vals[h->row_at] = (struct held_value){.type = SQLITE_INTEGER, .v.i = h->table->next};
	s->last_id = h->table->next++;
	s->last_held = true;
	h->table->end = h->table->next;
	s->held_bytes += h->nbytes - h->row_bytes_at;
	h->row_at = h->nvals;
	h->row_bytes_at = h->nbytes;
	h->nrows++;
	if (!h->queued) {
		h->queued = true;
		*s->queued_tail = h;
		s->queued_tail = &h->queued_next;
	}
	st->changes = 1;
	st->status = 0;
	if (++s->held_rows >= HELD_ROWS || s->held_bytes >= HELD_BYTES)
		st->status = held_flush(s);
	return st->status;
}

/* What other statements change in a held transaction: their tables'
 * foreign keys are checked at the commit (held_check_written). */
static void
note_change(void *arg, int op, const char *db, const char *table, sqlite3_int64 rowid)
{
	struct store *s = arg;

	(void)rowid;
	if (s->flushing || strcmp(db, "main") != 0)
		return;
	if (op != SQLITE_INSERT)
		s->changed_other = true;
	for (size_t i = 0; i < s->ntables; i++)
		if (strcmp(s->tables[i]->name, table) == 0)
			s->tables[i]->next = 0;	/* read again */
	for (size_t i = 0; i < s->nwritten; i++)
		if (strcmp(s->written[i], table) == 0)
			return;
	s->written = xrealloc(s->written, (s->nwritten + 1) * sizeof *s->written);
	s->written[s->nwritten++] = xstrdup(table);
}

/* SQLite's own check of the foreign keys of what the held transaction
 * changed other than by held rows: of every table when rows were
 * updated or deleted, else of each table rows were inserted into. */
static int
held_check_written(struct store *s)
{
	for (size_t i = 0; i < (s->changed_other ? 1 : s->nwritten); i++) {
		struct buf sql = {0};
		sqlite3_stmt *st;
		buf_adds(&sql, "PRAGMA foreign_key_check");
		if (!s->changed_other) {
			buf_addc(&sql, '(');
			buf_add_name(&sql, s->written[i]);
			buf_addc(&sql, ')');
		}
		if (sqlite3_prepare_v2(s->db, sql.data, -1, &st, NULL) != SQLITE_OK)
			error(EXIT_FATAL, 0, "internal error: %s: %s", sqlite3_errmsg(s->db), sql.data);
		free(sql.data);
		int step = sqlite3_step(st);
		int rc = step == SQLITE_ROW
		    ? store_failf(s, "FOREIGN KEY constraint failed: a row of %s names no row of %s",
		    (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 2))
		    : step == SQLITE_DONE ? 0 : fail(s, sqlite3_extended_errcode(s->db));
		sqlite3_finalize(st);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The end of a held transaction, stored or not. */
static void
held_end(struct store *s)
{
	if (!s->holding)
		return;
	/* What the rows took goes back: an index catch-up may follow. */
	for (size_t i = 0; i < s->nstmts; i++) {
		struct held *h = s->stmts[i]->held;
		if (h == NULL)
			continue;
		free(h->vals);
		free(h->bytes);
		h->vals = NULL;
		h->bytes = NULL;
		h->cap = h->bytes_cap = 0;
		h->nrows = h->nvals = h->nbytes = h->row_at = h->row_bytes_at = 0;
		h->queued = false;
		h->queued_next = NULL;
	}
	s->queued = NULL;
	s->queued_tail = &s->queued;
	s->held_rows = s->held_bytes = 0;
	for (size_t i = 0; i < s->nwritten; i++)
		free(s->written[i]);
	s->nwritten = 0;
	s->changed_other = false;
	free(s->seen);
	s->seen = NULL;
	s->seen_cap = s->nseen = 0;
	s->last_held = false;
	s->holding = false;
	sqlite3_update_hook(s->db, NULL, NULL);
	/* Another transaction's statement journal spills to a file again. */
	sqlite3_exec(s->db, "PRAGMA temp_store = DEFAULT; PRAGMA foreign_keys = ON", NULL, NULL, NULL);
}

int
store_begin_held(struct store *s)
{
	int rc;

	if (s->in_tx)
		return store_failf(s, "internal error: a held transaction inside another");
	if (!s->module_made) {
		if (sqlite3_create_module(s->db, "partake_held", &held_module, s) != SQLITE_OK)
			return fail(s, sqlite3_extended_errcode(s->db));
		s->module_made = true;
	}
	/* A held statement's journal in memory, not a file; and the foreign
	 * keys checked as rows are held. Both only outside a transaction, and
	 * the first drops what is temporary: the virtual table comes after. */
	if ((rc = store_exec(s, "PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF; "
	    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.partake_held USING partake_held")) != 0 ||
	    (rc = store_begin(s)) != 0) {
		sqlite3_exec(s->db, "PRAGMA temp_store = DEFAULT; PRAGMA foreign_keys = ON", NULL, NULL,
		    NULL);
		return rc;
	}
	s->holding = true;
	s->queued_tail = &s->queued;
	sqlite3_update_hook(s->db, note_change, s);
	return 0;
}

bool store_holding(const struct store *s) { return s->holding; }

static void
held_tables_free(struct store *s)
{
	for (size_t i = 0; i < s->ntables; i++) {
		free(s->tables[i]->name);
		free(s->tables[i]);
	}
	free(s->tables);
	free(s->written);
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
	/* Set once: setting an authorizer expires every statement prepared before. */
	sqlite3_set_authorizer(s->db, note_read, s);
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

/*
 * A batch of a million cases writes about 950 MB of log; the checkpoint
 * SQLite runs at its commit copied that into the file (reading it back,
 * writing and syncing it) before the commit returned: about 5 s in which
 * the codes were stored for good and not yet printed.
 */
int
store_defer_checkpoint(struct store *s)
{
	if (sqlite3_wal_autocheckpoint(s->db, 0) != SQLITE_OK)
		return store_failf(s, "%s: %s", s->path, sqlite3_errmsg(s->db));
	return 0;
}

enum { AUTOCHECKPOINT_PAGES = 1000 };	/* SQLite's default */

int
store_checkpoint(struct store *s)
{
	/* PASSIVE: no wait for readers, and writers go on meanwhile. */
	int rc = sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

	sqlite3_wal_autocheckpoint(s->db, AUTOCHECKPOINT_PAGES);
	if (rc != SQLITE_OK && rc != SQLITE_BUSY)
		return store_failf(s, "%s: checkpoint: %s", s->path, sqlite3_errmsg(s->db));
	return 0;
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
	held_end(s);
	for (size_t i = 0; i < s->nstmts; i++)
		stmt_free(s->stmts[i]);
	free(s->stmts);
	while (s->once)
		stmt_free(s->once);
	held_tables_free(s);
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
