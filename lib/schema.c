/*
 * schema.c — the migrations of the SQLite store, one step per version.
 * Their DDL is SQLite's own (FTS5, triggers, user_version): a second
 * backend brings its own schema, not these strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "audit.h"
#include "exitcode.h"
#include "schema.h"
#include "util.h"

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
	/*
	 * 2 -> 3: one audit trail for every record. An event names its subject
	 * (the kind of record, its row and its code) instead of a case. The
	 * events of schema 2 keep their hashes, made by the form that hashed
	 * the case's code (hash_form 2); new ones hash the subject's kind and
	 * code (hash_form 3), so every event still verifies.
	 */
	"CREATE TABLE event_v3 ("
	"  id INTEGER PRIMARY KEY,"
	"  subject_kind TEXT NOT NULL,"
	"  subject_id INTEGER NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  who TEXT NOT NULL,"
	"  what TEXT NOT NULL,"
	"  before TEXT, after TEXT, note TEXT,"
	"  hash BLOB NOT NULL,"
	"  hash_form INTEGER NOT NULL DEFAULT 3);"
	"INSERT INTO event_v3 (id, subject_kind, subject_id, subject, at, who, what,"
	"  before, after, note, hash, hash_form)"
	"  SELECT e.id, 'case', e.case_id, coalesce(printf('%012d', c.code), ''), e.at, e.who,"
	"  e.what, e.before, e.after, e.note, e.hash, 2"
	"  FROM event e LEFT JOIN cases c ON c.id = e.case_id ORDER BY e.id;"
	"DROP TABLE event;"
	"ALTER TABLE event_v3 RENAME TO event;"
	/* By row alone: as small as schema 2's index of case ids, and the kind is
	 * checked on the few rows of one id (a unit's id is also a case's). */
	"CREATE INDEX event_subject ON event(subject_id);"
	"CREATE TRIGGER event_no_update BEFORE UPDATE ON event"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	"CREATE TRIGGER event_no_delete BEFORE DELETE ON event"
	"  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;"
	/* Drafts will bring their own link; an unused column is a promise nobody keeps. */
	"ALTER TABLE cases DROP COLUMN draft_id;",
	/*
	 * 3 -> 4: the outbox is sent. An item is queued, claimed by one sender
	 * until a time (a sender that dies loses its claim, not the item),
	 * then sent, or failed for good, or cancelled. Mail to a unit names
	 * the unit. Addresses that asked for no more messages are kept.
	 */
	/* Equalities, not IN: SQLite builds an IN list of five into a temporary
	 * index at every insert, which tripled the cost of queuing a notice. */
	"ALTER TABLE outbox ADD COLUMN state TEXT NOT NULL DEFAULT 'queued'"
	"  CHECK (state = 'queued' OR state = 'sending' OR state = 'sent' OR state = 'failed'"
	"  OR state = 'cancelled');"
	"ALTER TABLE outbox ADD COLUMN claimed_by TEXT;"
	"ALTER TABLE outbox ADD COLUMN claimed_until INTEGER;"
	"ALTER TABLE outbox ADD COLUMN unit_id INTEGER REFERENCES unit(id);"
	"ALTER TABLE outbox ADD COLUMN html TEXT;"
	"UPDATE outbox SET state = 'sent' WHERE sent IS NOT NULL;"
	"DROP INDEX outbox_pending;"
	"CREATE INDEX outbox_due ON outbox(next_try) WHERE state IN ('queued', 'sending');"
	"CREATE TABLE opt_out ("
	"  address TEXT PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  note TEXT);",
	/*
	 * 4 -> 5: an audit trail that cannot be rewritten unseen. A new event
	 * (hash_form 4) carries the digest of its record as the change left it
	 * (NULL: the record is not, or no longer, there), and covers the
	 * outbox items queued since the event before: the last one's id and
	 * their digest. The old events keep their forms. Then every record
	 * gets a baseline event (audit_baseline, below), which vouches for it
	 * as it was found, and for nothing before.
	 */
	"ALTER TABLE event ADD COLUMN record_digest BLOB;"
	"ALTER TABLE event ADD COLUMN outbox_upto INTEGER;"
	"ALTER TABLE event ADD COLUMN outbox_digest BLOB;",
	/*
	 * 5 -> 6: intake that can be run again, and attachments of our own. A
	 * case may carry the id its channel gave it (the 111 system's number, a
	 * Message-ID), once per channel, with the digest of what was taken in
	 * under it. An attachment is a copy in the attachment store (attach.h),
	 * a link, or a record of a file that could not be copied, never a path
	 * into the rest of the system: the paths of schema 5 are set aside in
	 * attachment_v5 for attach_adopt (below) to copy in, then dropped.
	 * Most cases have no source id: the index keeps only those that do.
	 */
	"ALTER TABLE cases ADD COLUMN source_id TEXT;"
	"ALTER TABLE cases ADD COLUMN source_digest TEXT;"
	"CREATE UNIQUE INDEX cases_source ON cases(channel, source_id) WHERE source_id IS NOT NULL;"
	"DROP INDEX attachment_case;"
	"ALTER TABLE attachment RENAME TO attachment_v5;"
	"CREATE TABLE attachment ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  kind TEXT NOT NULL CHECK (kind = 'file' OR kind = 'link' OR kind = 'not-copied'),"
	"  name TEXT NOT NULL,"
	"  type TEXT,"
	"  size INTEGER,"
	"  sha256 TEXT,"
	"  note TEXT,"
	"  CHECK ((kind = 'file') = (type IS NOT NULL AND size IS NOT NULL AND sha256 IS NOT NULL)));"
	"CREATE INDEX attachment_case ON attachment(case_id);",
	/*
	 * 6 -> 7: mail and SMS in. A mail sent in answer to a citizen's mail
	 * names the Message-ID it answers (In-Reply-To; RFC 3834 has it marked
	 * auto-replied), which is also how the day's automatic replies to one
	 * sender are counted against mail_replies_per_day. The gateway's poll
	 * of received SMS marks them read as it returns them: its answer is
	 * kept whole, before any case is made of it, so that a crash after the
	 * poll loses nothing and the next run takes up what is not done.
	 */
	"ALTER TABLE outbox ADD COLUMN in_reply_to TEXT;"
	"CREATE INDEX outbox_replies ON outbox(recipient, created) WHERE in_reply_to IS NOT NULL;"
	"CREATE TABLE sms_inbox ("
	"  id INTEGER PRIMARY KEY,"
	"  polled INTEGER NOT NULL,"
	"  answer TEXT NOT NULL,"
	"  done INTEGER);",
	/*
	 * 7 -> 8: satisfaction surveys. A survey (its code) has versions; a
	 * version's questions never change once it has a response, so the
	 * results of two versions never share a column. An invitation carries
	 * the SHA-256 of a token given to one case (the token itself is only in
	 * the message): one invitation per case and survey, at most one open
	 * per case. A response answers one version, for a case (once per
	 * survey) or for a service, unit and channel (a desk's poll box); its
	 * month is the Solar Hijri YYYYMM of its local day, which SQL cannot
	 * work out. survey_tally keeps the count of each answer value per
	 * question and group, written with the answers in their transaction,
	 * so that a summary reads a few thousand rows, not every answer
	 * (value 0: the responses that answered the question; 0 for no
	 * service or unit, so the key has no NULL).
	 */
	"CREATE TABLE survey ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE survey_version ("
	"  id INTEGER PRIMARY KEY,"
	"  survey_id INTEGER NOT NULL REFERENCES survey(id),"
	"  version INTEGER NOT NULL CHECK (version > 0),"
	"  title TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (survey_id, version));"
	"CREATE TABLE survey_question ("
	"  id INTEGER PRIMARY KEY,"
	"  version_id INTEGER NOT NULL REFERENCES survey_version(id),"
	"  position INTEGER NOT NULL,"
	"  name TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind = 'scale' OR kind = 'yesno' OR kind = 'choice'"
	"  OR kind = 'multi' OR kind = 'text'),"
	"  required INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  options TEXT,"
	"  UNIQUE (version_id, name));"
	"CREATE TABLE survey_invitation ("
	"  id INTEGER PRIMARY KEY,"
	"  survey_id INTEGER NOT NULL REFERENCES survey(id),"
	"  version_id INTEGER NOT NULL REFERENCES survey_version(id),"
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  channel TEXT NOT NULL CHECK (channel = 'sms' OR channel = 'email'),"
	"  created INTEGER NOT NULL,"
	"  state TEXT NOT NULL CHECK (state = 'open' OR state = 'answered'),"
	"  UNIQUE (survey_id, case_id));"
	"CREATE UNIQUE INDEX survey_invitation_open ON survey_invitation(case_id) WHERE state = 'open';"
	"CREATE TABLE survey_response ("
	"  id INTEGER PRIMARY KEY,"
	"  survey_id INTEGER NOT NULL REFERENCES survey(id),"
	"  version_id INTEGER NOT NULL REFERENCES survey_version(id),"
	"  case_id INTEGER REFERENCES cases(id),"
	"  invitation_id INTEGER REFERENCES survey_invitation(id),"
	"  service_id INTEGER REFERENCES service(id),"
	"  unit_id INTEGER REFERENCES unit(id),"
	"  channel TEXT NOT NULL,"
	"  at INTEGER NOT NULL,"
	"  month INTEGER NOT NULL,"
	"  constructive INTEGER NOT NULL DEFAULT 0);"
	"CREATE UNIQUE INDEX survey_response_case ON survey_response(survey_id, case_id)"
	"  WHERE case_id IS NOT NULL;"
	"CREATE INDEX survey_response_constructive ON survey_response(version_id)"
	"  WHERE constructive = 1;"
	"CREATE TABLE survey_answer ("
	"  response_id INTEGER NOT NULL REFERENCES survey_response(id),"
	"  question_id INTEGER NOT NULL REFERENCES survey_question(id),"
	"  value INTEGER NOT NULL,"
	"  text TEXT,"
	"  PRIMARY KEY (response_id, question_id, value));"
	"CREATE TABLE survey_tally ("
	"  question_id INTEGER NOT NULL REFERENCES survey_question(id),"
	"  service_id INTEGER NOT NULL,"
	"  unit_id INTEGER NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  month INTEGER NOT NULL,"
	"  value INTEGER NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (question_id, service_id, unit_id, channel, month, value));",
	/*
	 * 8 -> 9: draft regulations out for public comment. A draft keeps
	 * every version of its text; a version's articles are parsed once and
	 * kept, each with an identity (ident) that lasts across versions and
	 * the article of the version before it was matched to (prev_id, how:
	 * matched), so a comment on an old article keeps pointing at it when
	 * articles are inserted. The window closes at an instant (closes),
	 * computed once when it opens and moved only by an extension event. A
	 * comment is a case with its draft, article and lateness beside it, and
	 * the version and article its disposition changed.
	 */
	"CREATE TABLE draft ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL,"
	"  unit_id INTEGER NOT NULL REFERENCES unit(id),"
	"  origin TEXT NOT NULL CHECK (origin = 'internal' OR origin = 'higher'),"
	"  state TEXT NOT NULL DEFAULT 'pending' CHECK (state = 'pending' OR state = 'open'"
	"  OR state = 'closed' OR state = 'final'),"
	"  window_days INTEGER NOT NULL CHECK (window_days > 0),"
	"  publish_at INTEGER,"
	"  created INTEGER NOT NULL,"
	"  opened INTEGER, closes INTEGER, closed INTEGER,"
	"  comment_version INTEGER,"
	"  final_version INTEGER,"
	"  final_note TEXT,"
	"  changed INTEGER NOT NULL);"
	"CREATE TABLE draft_version ("
	"  id INTEGER PRIMARY KEY,"
	"  draft_id INTEGER NOT NULL REFERENCES draft(id),"
	"  number INTEGER NOT NULL CHECK (number > 0),"
	"  text TEXT NOT NULL,"
	"  created INTEGER NOT NULL,"
	"  UNIQUE (draft_id, number));"
	"CREATE TABLE draft_article ("
	"  id INTEGER PRIMARY KEY,"
	"  version_id INTEGER NOT NULL REFERENCES draft_version(id),"
	"  position INTEGER NOT NULL,"
	"  number INTEGER NOT NULL,"
	"  heading TEXT NOT NULL,"
	"  body TEXT NOT NULL,"
	"  ident INTEGER NOT NULL,"
	"  prev_id INTEGER REFERENCES draft_article(id),"
	"  matched TEXT NOT NULL CHECK (matched = 'first' OR matched = 'same' OR matched = 'edited'"
	"  OR matched = 'new'),"
	"  UNIQUE (version_id, position),"
	"  UNIQUE (version_id, number));"
	"CREATE TABLE draft_comment ("
	"  case_id INTEGER PRIMARY KEY REFERENCES cases(id),"
	"  draft_id INTEGER NOT NULL REFERENCES draft(id),"
	"  article_id INTEGER REFERENCES draft_article(id),"
	"  late INTEGER NOT NULL DEFAULT 0,"
	"  changed_version INTEGER,"
	"  changed_article_id INTEGER REFERENCES draft_article(id));"
	"CREATE INDEX draft_comment_draft ON draft_comment(draft_id);",
	/*
	 * 9 -> 10: listings at a million cases (issue 16). Every listing is in
	 * the order received unless asked otherwise: each filter a clerk uses
	 * alone (kind, channel, state, service, unit) has an index that gives
	 * its cases already in that order, so a --limit stops after its rows
	 * instead of sorting every match first. Service and unit are NULL for
	 * most cases at intake: their indexes keep only the cases that have
	 * one (cases_unit was an index of a million NULLs, work at every
	 * insert for nothing; `unit_id = ?` still uses it).
	 */
	"CREATE INDEX cases_received ON cases(received);"
	"CREATE INDEX cases_kind ON cases(kind, received);"
	"CREATE INDEX cases_channel ON cases(channel, received);"
	"CREATE INDEX cases_state ON cases(state, received);"
	"CREATE INDEX cases_service ON cases(service_id, received) WHERE service_id IS NOT NULL;"
	"DROP INDEX cases_unit;"
	"CREATE INDEX cases_unit ON cases(unit_id, received) WHERE unit_id IS NOT NULL;",
	/*
	 * 10 -> 11: the portal (partake.cgi(8)): how many submits and
	 * tracking look-ups each address made in the last hour, so that a
	 * burst from one address is refused. The address is kept only as a
	 * keyed hash (guard.h), never as it is: no row names a citizen. Rows
	 * older than the hour are removed as new ones come; they are no
	 * record of the chain (a count, not a change of anything).
	 */
	"CREATE TABLE portal_hit ("
	"  address TEXT NOT NULL,"
	"  what TEXT NOT NULL CHECK (what IN ('submit', 'lookup')),"
	"  at INTEGER NOT NULL"
	");"
	"CREATE INDEX portal_hit_address ON portal_hit(address, what, at);"
	"CREATE INDEX portal_hit_at ON portal_hit(at);",
	/*
	 * 11 -> 12: reports (issue 12). A month's answers are read by when they
	 * were answered, with all a report needs of them in the index (unit,
	 * deadline, received), so a million cases are never visited one by one.
	 * The few events a report counts (reopened, rejected, escalated, before
	 * the committee, decided) have a small index of their own: the other
	 * events, most of them, cost it nothing but the test of EVENT_NOTABLE;
	 * so have the cases not settled, by unit and due time (what is open,
	 * overdue and due soon, for the report and each unit's digest).
	 * Each unit's last digest is kept (when, and up to which event it told),
	 * a record of the chain (kind digest), so that a missed night loses
	 * nothing and a second run tells nothing twice. A month's survey
	 * responses are counted by unit from an index.
	 */
	"CREATE INDEX cases_answered ON cases(answered, unit_id, due, received)"
	"  WHERE answered IS NOT NULL;"
	"CREATE INDEX event_notable ON event(at) WHERE " EVENT_NOTABLE ";"
	"CREATE INDEX cases_open ON cases(unit_id, due, state)"
	"  WHERE state IN ('new', 'routed', 'in-progress', 'waiting', 'committee');"
	"CREATE TABLE unit_digest ("
	"  unit_id INTEGER PRIMARY KEY REFERENCES unit(id),"
	"  at INTEGER NOT NULL,"
	"  upto INTEGER NOT NULL);"
	"CREATE INDEX survey_response_month ON survey_response(month, unit_id);",
	/*
	 * 12 -> 13: what a feedback is about (issue 12, preport feedback). The
	 * public's comments on the agency's news named the news item in the
	 * subject, where no report can find it; a case keeps it now (its URL
	 * or title), given at intake. NULL for every case before, which the
	 * audit chain hashes as it always did (audit.c, sources[]).
	 */
	"ALTER TABLE cases ADD COLUMN about TEXT;",
	/*
	 * 13 -> 14: the codes of every case at 500k a second (issue 16). The
	 * index in the order received carries the id (the listing's tie) and
	 * the tracking code too, so a listing of codes, and the pick of ids
	 * of any listing in that order, read the index alone: the look-up of
	 * each row in the table, in an order that is not the table's, was
	 * most of the time of `pcase-list -f codes` (1.6 s a million cases,
	 * 0.1 s now). Wider by two numbers, it costs intake little.
	 */
	("DROP INDEX cases_received;"
	 "CREATE INDEX cases_received ON cases(received, id, code);"),
	/*
	 * 14 -> 15: intake without a table a row (issue 16). The condition of
	 * cases_open was an IN list of five states, which SQLite evaluates
	 * through a temporary B-tree built anew at each execution of an
	 * INSERT: a third of the SQLite work of storing a case, for each case
	 * of a batch (an INSERT ... SELECT builds it once). The same states as
	 * OR'd comparisons select the same rows and cost a few instructions;
	 * a query names this very text (CASES_OPEN) to use the index.
	 */
	("DROP INDEX cases_open;"
	 "CREATE INDEX cases_open ON cases(unit_id, due, state) WHERE " CASES_OPEN ";"),
	/*
	 * 15 -> 16: the impact report at 5M (issue 16). It walked every answered
	 * case in cases_answered and looked each up in the table, in an order
	 * that is not the table's, to keep the 5% taken up: 0.3 s at 1M, 5.2 s
	 * at 5M (4.5M look-ups, each a read of a page at random). Those few
	 * have an index of their own, in the report's order (the rowid is the
	 * tie). A new case is never in it (no outcome yet).
	 */
	"CREATE INDEX cases_taken_up ON cases(answered) WHERE " CASES_TAKEN_UP ";",
};

/*
 * The moves to schemas 5 and 6 need more than SQL: to 5, a baseline event
 * for every record, made by the audit chain (SHA-256 through Nettle); to
 * 6, the files of schema 5's attachments copied into the attachment store
 * (attach.c, Nettle too). The commands that only read (pcal, pcase-list)
 * link neither: the references are weak, NULL in those, and they leave the
 * moves to a command that writes the chain (the Makefile links the store's
 * move into every one of those).
 */
#pragma weak audit_baseline
#pragma weak attach_adopt
enum { BASELINE_STEP = 4, ADOPT_STEP = 5 };

/* This command can make every move from schema `have` on. */
static bool
can_move(int have)
{
	return have > ADOPT_STEP || (audit_baseline && attach_adopt);
}

static int
refuse_without_chain(struct store *s, int have)
{
	return store_failf(s, "%s: schema %d, and this command, which writes no history, cannot "
	    "bring it to %d: pdb migrate does", store_path(s), have, SCHEMA_VERSION);
}


int
schema_version(struct store *s)
{
	struct stmt *st = store_sql(s, "PRAGMA user_version");
	int v = -1;

	if (stmt_row(st)) {
		v = (int)stmt_int(st, 0);
		stmt_reset(st);
	}
	return v;
}

static int
newer(struct store *s, int have)
{
	return store_failf(s, "%s: the database is of schema %d, newer than this partake's %d; "
	    "upgrade partake", store_path(s), have, SCHEMA_VERSION);
}

/*
 * The SQL of every step first, then what needs code: the events of the
 * chain are made by its newest form, whose digests read the tables as the
 * last step left them. A file older than schema 5 gets its baseline after
 * its attachments moved, which covers them; one of schema 5 gets an event
 * for each case whose attachments moved.
 */
static int
apply(struct store *s, const struct config *cfg, int have)
{
	char pragma[48];
	int rc;

	for (int v = have; v < SCHEMA_VERSION; v++)
		if ((rc = store_exec(s, migrations[v])) != 0)
			return rc;
	if (have <= ADOPT_STEP &&
	    ((rc = attach_adopt(s, cfg, have > BASELINE_STEP)) != 0 ||
	    (rc = store_exec(s, "DROP TABLE attachment_v5")) != 0))
		return rc;
	if (have <= BASELINE_STEP && (rc = audit_baseline(s)) != 0)
		return rc;
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", SCHEMA_VERSION);
	return store_exec(s, pragma);
}

int
schema_migrate(struct store *s, const struct config *cfg, int *from)
{
	int have = schema_version(s), rc;

	*from = have;
	if (have == SCHEMA_VERSION)
		return 0;
	/* Two commands opening a new file at once: the second finds it migrated. */
	if ((rc = store_begin(s)) != 0)
		return rc;
	*from = have = schema_version(s);
	if (have < 0)
		rc = store_failf(s, "%s: cannot read the schema version", store_path(s));
	else if (have > SCHEMA_VERSION)
		rc = newer(s, have);
	else if (!can_move(have))
		rc = refuse_without_chain(s, have);
	else if (have < SCHEMA_VERSION)
		rc = apply(s, cfg, have);
	if (rc != 0 || have == SCHEMA_VERSION) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s);
}

int
schema_open(const char *path, enum store_access access, const struct config *cfg,
    struct store **out, int *from, char **why)
{
	bool created;
	struct store *s;
	int have, rc;

	*out = NULL;
	*from = 0;
	if ((rc = store_open(path, access, &s, &created, why)) != 0)
		return rc;
	/* A newer file is refused before anything, WAL mode included, touches it. */
	if ((have = schema_version(s)) > SCHEMA_VERSION)
		rc = newer(s, have);
	else if (store_read_only(s) && have < SCHEMA_VERSION)
		rc = store_failf(s, "%s: schema %d, and this file cannot be written to bring it to "
		    "%d: its owner runs pdb migrate", path, have, SCHEMA_VERSION);
	else if (store_read_only(s))
		*from = have;
	else if (have >= 0 && !can_move(have))
		rc = refuse_without_chain(s, have);	/* before WAL mode touches it */
	else if ((rc = store_tune(s)) == 0)
		rc = schema_migrate(s, cfg, from);
	if (rc != 0) {
		const char *msg = store_error(s);
		*why = strstr(msg, path) ? xstrdup(msg) : xasprintf("%s: %s", path, msg);
		store_close(s);
		if (created)
			unlink(path);
		return rc;
	}
	*out = s;
	return 0;
}
