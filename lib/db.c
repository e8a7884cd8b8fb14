/*
 * db.c — opening, creating and migrating the SQLite store, its checks and
 * backups, and the statement cache the other modules prepare through.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "exitcode.h"
#include "search.h"
#include "store.h"
#include "text.h"
#include "util.h"

struct cached_stmt {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	char *error;
	struct cached_stmt *stmts;
	size_t nstmts;
	bool in_tx;
	bool tip_known;
	struct chain_tip tip;
	int opened_at;		/* the schema the file had when opened */
};

/*
 * Each entry moves the schema from version i to i + 1. Never edit one that
 * has shipped: add the next. Cases keep their citizen's text as received;
 * the full-text index is contentless and fed from it (search.c).
 */
static const char *const migrations[SCHEMA_VERSION] = {
	/* 0 -> 1 */
	"CREATE TABLE unit ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  email TEXT, phone TEXT,"
	"  parent_id INTEGER REFERENCES unit(id));"
	"CREATE TABLE service ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  unit_id INTEGER REFERENCES unit(id),"
	"  deadline_days INTEGER CHECK (deadline_days BETWEEN 0 AND 365),"
	"  steps TEXT, documents TEXT, fees TEXT, duration TEXT,"
	"  legal_basis TEXT, how_to_complain TEXT);"
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  code INTEGER NOT NULL UNIQUE,"
	"  kind TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  service_id INTEGER REFERENCES service(id),"
	"  unit_id INTEGER REFERENCES unit(id),"
	"  state TEXT NOT NULL DEFAULT 'new',"
	"  subject TEXT NOT NULL,"
	"  body TEXT,"
	"  name TEXT, phone TEXT, email TEXT, national_id TEXT,"
	"  anonymous INTEGER NOT NULL DEFAULT 0,"
	"  draft_id INTEGER,"
	"  received INTEGER NOT NULL,"
	"  due INTEGER,"
	"  answered INTEGER, closed INTEGER,"
	"  outcome TEXT, action TEXT);"
	"CREATE TABLE attachment ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  path TEXT NOT NULL);"
	"CREATE INDEX attachment_case ON attachment(case_id);"
	"CREATE TABLE event ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  at INTEGER NOT NULL,"
	"  who TEXT NOT NULL,"
	"  what TEXT NOT NULL,"
	"  before TEXT, after TEXT, note TEXT,"
	"  hash BLOB NOT NULL);"
	"CREATE INDEX event_case ON event(case_id);"
	"CREATE TRIGGER event_no_update BEFORE UPDATE ON event"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER event_no_delete BEFORE DELETE ON event"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE VIRTUAL TABLE case_text USING fts5("
	"  subject, body, content='', tokenize='unicode61 remove_diacritics 2');"
	"CREATE TABLE case_text_state (indexed_upto INTEGER NOT NULL);"
	"INSERT INTO case_text_state VALUES (0);",
	/* 1 -> 2: the workflow after intake */
	"ALTER TABLE cases ADD COLUMN answer TEXT;"
	"CREATE INDEX cases_unit ON cases(unit_id);"
	"CREATE INDEX cases_state_due ON cases(state, due);"
	"CREATE TABLE service_faq ("
	"  id INTEGER PRIMARY KEY,"
	"  service_id INTEGER NOT NULL REFERENCES service(id),"
	"  question TEXT NOT NULL,"
	"  answer TEXT NOT NULL);"
	"CREATE TABLE review_opinion ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  member TEXT NOT NULL,"
	"  opinion TEXT NOT NULL CHECK (opinion IN ('approve', 'reject', 'abstain')),"
	"  note TEXT,"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (case_id, member));"
	"CREATE TABLE overdue_notice ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  level INTEGER NOT NULL CHECK (level > 0),"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (case_id, level));"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER REFERENCES cases(id),"
	"  channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),"
	"  recipient TEXT NOT NULL,"
	"  subject TEXT,"
	"  body TEXT NOT NULL,"
	"  key TEXT NOT NULL UNIQUE,"
	"  created INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_try INTEGER NOT NULL,"
	"  sent INTEGER,"
	"  last_error TEXT);"
	"CREATE INDEX outbox_pending ON outbox(next_try) WHERE sent IS NULL;",
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

static void
set_error(struct store *s, const char *msg)
{
	free(s->error);
	s->error = xstrdup(msg);
}

int
store_failf(struct store *s, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	free(s->error);
	s->error = msg ? msg : xstrdup("out of memory");
	return EXIT_FATAL;
}

int
store_fail(struct store *s, int rc)
{
	int primary = rc & 0xff;

	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
		set_error(s, "the database is busy; try again");
		return EXIT_TEMPFAIL;
	}
	return store_failf(s, "%s", s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
}

const char *store_error(const struct store *s) { return s->error ? s->error : "no error"; }
const char *store_path(const struct store *s) { return s->path; }
sqlite3 *store_handle(struct store *s) { return s->db; }
bool store_in_transaction(struct store *s) { return s->in_tx; }

sqlite3_stmt *
store_stmt(struct store *s, const char *sql)
{
	for (size_t i = 0; i < s->nstmts; i++)
		if (s->stmts[i].sql == sql) {
			sqlite3_reset(s->stmts[i].stmt);
			sqlite3_clear_bindings(s->stmts[i].stmt);
			return s->stmts[i].stmt;
		}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		/* Our own SQL failing to prepare is a bug or a damaged schema. */
		fprintf(stderr, "partake: internal error: %s: %s\n", sqlite3_errmsg(s->db), sql);
		exit(EXIT_FATAL);
	}
	s->stmts = xrealloc(s->stmts, (s->nstmts + 1) * sizeof *s->stmts);
	s->stmts[s->nstmts++] = (struct cached_stmt){sql, st};
	return st;
}

void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

const char *
column_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int
exec(struct store *s, const char *sql)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : store_fail(s, rc);
}

int
store_begin(struct store *s)
{
	int rc = exec(s, "BEGIN IMMEDIATE");

	if (rc == 0) {
		s->in_tx = true;
		s->tip_known = false;
	}
	return rc;
}

int
store_commit(struct store *s)
{
	int rc = exec(s, "COMMIT");

	if (rc == 0)
		s->in_tx = false;
	else
		store_rollback(s);
	return rc;
}

void
store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = false;
	s->tip_known = false;
}

int
store_chain_tip(struct store *s, struct chain_tip **tip)
{
	if (!s->tip_known) {
		sqlite3_stmt *st = store_stmt(s,
		    "SELECT id, hash FROM event ORDER BY id DESC LIMIT 1");
		int rc = sqlite3_step(st);
		memset(&s->tip, 0, sizeof s->tip);
		if (rc == SQLITE_ROW) {
			s->tip.id = sqlite3_column_int64(st, 0);
			if (sqlite3_column_bytes(st, 1) == 32)
				memcpy(s->tip.hash, sqlite3_column_blob(st, 1), 32);
		} else if (rc != SQLITE_DONE) {
			return store_fail(s, rc);
		}
		s->tip_known = true;
	}
	*tip = &s->tip;
	return 0;
}

int store_opened_at(const struct store *s) { return s->opened_at; }

int
store_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

int
store_migrate(struct store *s, int *from)
{
	int have = store_version(s), rc;

	*from = have;
	if (have == SCHEMA_VERSION)
		return 0;
	/* Two commands opening a new file at once: the second finds it migrated. */
	if ((rc = store_begin(s)) != 0)
		return rc;
	*from = have = store_version(s);
	if (have < 0) {
		rc = store_fail(s, sqlite3_errcode(s->db));
		store_rollback(s);
		return rc;
	}
	if (have > SCHEMA_VERSION) {
		store_rollback(s);
		return store_failf(s, "%s: the database is of schema %d, newer than this partake's %d; "
		    "upgrade partake", s->path, have, SCHEMA_VERSION);
	}
	if (have == SCHEMA_VERSION) {
		store_rollback(s);
		return 0;
	}
	for (int v = have; v < SCHEMA_VERSION; v++) {
		if ((rc = exec(s, migrations[v])) != 0) {
			store_rollback(s);
			return rc;
		}
	}
	char pragma[48];
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", SCHEMA_VERSION);
	if ((rc = exec(s, pragma)) != 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

/* A new database is for its owner's eyes only: it holds citizens' data. */
static int
create_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	close(fd);
	return 0;
}

struct store *
store_open(const char *path, char **why)
{
	struct store *s = xcalloc(1, sizeof *s);
	int rc, from;

	s->path = xstrdup(path);
	*why = NULL;
	if (create_private(path) != 0) {
		*why = xasprintf("%s: cannot create the database: %s", path, strerror(errno));
		goto fail;
	}
	/* One thread per command: SQLite's own locking of the connection is waste. */
	rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		*why = xasprintf("%s: cannot open the database: %s", path,
		    s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_create_function(s->db, "pnorm", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, sql_pnorm, NULL, NULL);
	/* A newer file is refused before anything, WAL mode included, touches it. */
	if (store_version(s) > SCHEMA_VERSION) {
		*why = xasprintf("%s: the database is of schema %d, newer than this partake's %d; "
		    "upgrade partake", path, store_version(s), SCHEMA_VERSION);
		goto fail;
	}
	if ((rc = exec(s, "PRAGMA foreign_keys = ON;"
			  "PRAGMA journal_mode = WAL;"
			  "PRAGMA synchronous = NORMAL;"
			  "PRAGMA cache_size = -16384;")) != 0 ||
	    (rc = store_migrate(s, &from)) != 0) {
		s->opened_at = from;
		*why = xasprintf("%s%s%s", strstr(s->error, path) ? "" : path,
		    strstr(s->error, path) ? "" : ": ", s->error);
		goto fail;
	}
	s->opened_at = from;
	return s;
fail:
	store_close(s);
	return NULL;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nstmts; i++)
		sqlite3_finalize(s->stmts[i].stmt);
	free(s->stmts);
	if (s->db)
		sqlite3_close(s->db);
	free(s->path);
	free(s->error);
	free(s);
}

/* Runs a PRAGMA check whose rows are problems unless the one row says "ok". */
static int
check_pragma(struct store *s, const char *sql, const char *label, problem_fn report, void *arg)
{
	sqlite3_stmt *st;
	int problems = 0, rc;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *first = column_text(st, 0);
		if (first && strcmp(first, "ok") == 0)
			continue;
		char *msg = xasprintf("%s: %s%s%s", label, first ? first : "",
		    sqlite3_column_count(st) > 2 ? " row " : "",
		    sqlite3_column_count(st) > 2 ? (const char *)sqlite3_column_text(st, 1) : "");
		report(arg, msg);
		free(msg);
		problems++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? problems : -1;
}

int
store_check(struct store *s, problem_fn report, void *arg)
{
	int total = 0, n;

	if ((n = check_pragma(s, "PRAGMA integrity_check", "integrity", report, arg)) < 0)
		return -1;
	total += n;
	if ((n = check_pragma(s, "PRAGMA foreign_key_check", "foreign key", report, arg)) < 0)
		return -1;
	total += n;
	if ((n = search_check(s, report, arg)) < 0)
		return -1;
	total += n;
	if ((n = audit_verify(s, report, arg)) < 0)
		return -1;
	return total + n;
}

int
store_backup(struct store *s, const char *dest)
{
	sqlite3 *out;
	int rc;

	if (access(dest, F_OK) == 0)
		return store_failf(s, "%s: already exists; not overwriting it", dest);
	if (create_private(dest) != 0)
		return store_failf(s, "%s: %s", dest, strerror(errno));
	if ((rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE, NULL)) != SQLITE_OK) {
		store_failf(s, "%s: %s", dest, sqlite3_errstr(rc));
		sqlite3_close(out);
		unlink(dest);
		return EXIT_FATAL;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", s->db, "main");
	if (b == NULL) {
		store_failf(s, "%s: %s", dest, sqlite3_errmsg(out));
		sqlite3_close(out);
		unlink(dest);
		return EXIT_FATAL;
	}
	/* Small steps let writers in between; a busy source is retried a while. */
	int busy = 0;
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			busy++;
			sqlite3_sleep(20);
		}
	} while ((rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && busy < 250);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		bool tempfail = busy >= 250;
		store_failf(s, "%s: %s", dest, tempfail ? "the database stayed busy; try again"
							 : sqlite3_errstr(rc));
		sqlite3_close(out);
		unlink(dest);
		return tempfail ? EXIT_TEMPFAIL : EXIT_FATAL;
	}
	sqlite3_close(out);
	return 0;
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
store_default_path(const char *config_db)
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
	make_dirs(path);
	return path;
}
