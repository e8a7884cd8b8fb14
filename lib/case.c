/*
 * case.c — checking and storing cases. Every field is checked here, once,
 * whichever way it came in (options, JSON lines, TSV), so the same input
 * gets the same answer from every command.
 */
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "case.h"
#include "contact.h"
#include "exitcode.h"
#include "notice.h"
#include "service.h"
#include "text.h"
#include "unit.h"
#include "util.h"

/* Kinds whose answer must reach the citizen: they need a phone or email. */
static bool
needs_contact(int kind)
{
	return kind == KIND_COMPLAINT || kind == KIND_REQUEST || kind == KIND_QUESTION;
}

int
field_fail(struct field_error *err, const char *field, const char *fmt, ...)
{
	va_list ap;

	err->field = field;
	va_start(ap, fmt);
	vsnprintf(err->why, sizeof err->why, fmt, ap);
	va_end(ap);
	return -1;
}

int
case_check_text(struct field_error *err, const char *field, const char *v, size_t max,
    enum text_kind kind)
{
	const char *why = text_check(v, max, kind);

	return why ? field_fail(err, field, "%s", why) : 0;
}

int
case_check_note(struct store *s, const char *field, const char *v)
{
	const char *why = text_check(v, NOTE_MAX, TEXT_LINE);

	return why ? store_fail_field(s, field, "%s", why) : 0;
}

const char *
case_given(const char *v)
{
	if (v == NULL)
		return NULL;
	for (const char *p = v; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return v;
	return NULL;
}

/* Each contact field on its own: a given one must be good. */
static int
check_contact_values(const struct case_input *in, struct case_record *rec,
    struct field_error *err)
{
	const char *why;

	rec->name = case_given(in->name);
	rec->email = case_given(in->email);
	if (case_check_text(err, "name", rec->name, NAME_MAX_CHARS, TEXT_LINE))
		return -1;
	if (case_given(in->phone) && (why = check_mobile(in->phone, rec->phone)))
		return field_fail(err, "phone", "%s", why);
	if (rec->email && (why = check_email(rec->email)))
		return field_fail(err, "email", "%s", why);
	if (case_given(in->national_id) && (why = check_national_id(in->national_id, rec->national_id)))
		return field_fail(err, "national_id", "%s", why);
	return 0;
}

/* The contact as a whole, against the kind and anonymity. */
static int
check_contact(const struct case_input *in, struct case_record *rec, struct field_error *err)
{
	if (check_contact_values(in, rec, err))
		return -1;
	bool any = rec->name || rec->phone[0] || rec->email || rec->national_id[0];
	if (in->anonymous && any)
		return field_fail(err, "anonymous", "an anonymous case carries no name, phone, email or national id");
	if (!in->anonymous && needs_contact(rec->kind) && !rec->phone[0] && !rec->email)
		return field_fail(err, "phone", "a %s needs a phone or an email to answer to (or mark it anonymous)",
		    vocab_name(&kind_vocab, rec->kind));
	rec->anonymous = in->anonymous;
	return 0;
}

int
case_deadline_days(struct context *ctx, int kind, long long service_id)
{
	int days = service_id ? service_deadline(ctx->store, service_id) : -1;

	return days >= 0 ? days : ctx->cfg->deadline[kind];
}

static int
check_where(struct context *ctx, const struct case_input *in, struct case_record *rec,
    struct field_error *err)
{
	const char *service = case_given(in->service), *unit = case_given(in->unit);
	if (service && (rec->service_id = service_find(ctx->store, service, &rec->unit_id)) == 0)
		return field_fail(err, "service", "no service %s", text_quote(service));
	if (unit && (rec->unit_id = unit_find(ctx->store, unit)) == 0)
		return field_fail(err, "unit", "no unit %s", text_quote(unit));
	return 0;
}

static int
check_received(struct context *ctx, const char *text, struct case_record *rec,
    struct field_error *err)
{
	struct cal_when when;
	const char *why;

	if (case_given(text) == NULL) {
		rec->received = ctx->now;
		return 0;
	}
	if (cal_parse(text, CAL_AUTO, &when, &why) != 0)
		return field_fail(err, "received", "%s: %s", text_quote(text), why);
	rec->received = cal_when_time(&when);
	rec->backfilled = true;
	if (rec->received > ctx->now)
		return field_fail(err, "received", "%s is in the future", text_quote(text));
	return 0;
}

/* Each file copied into the attachment store, each link kept; the message
 * quotes the file's own name, not its folder (the line says which case). */
static int
check_attachments(struct context *ctx, const struct case_input *in, struct case_record *rec,
    struct field_error *err)
{
	char why[200], *dir;

	if (in->nattach == 0)
		return 0;
	dir = attach_dir(ctx->cfg, store_path(ctx->store));
	for (size_t i = 0; i < in->nattach; i++) {
		const char *given = in->attach[i], *slash = strrchr(given, '/');
		if (attach_take(dir, ctx->cfg->attachment_max_bytes, given, &rec->attach[i], why,
		    sizeof why) != 0) {
			free(dir);
			return field_fail(err, "attach", "%s: %s",
			    text_quote(slash && slash[1] ? slash + 1 : given), why);
		}
	}
	free(dir);
	rec->nattach = in->nattach;
	return 0;
}

/* Each field goes in with its length, so no two intakes hash alike; an
 * absent one (NULL) has a length no field can have. */
static void
digest_field(struct sha256_ctx *h, const char *v)
{
	uint8_t len[8];
	uint64_t l = v ? (uint64_t)strlen(v) : UINT64_MAX;

	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(l >> (8 * i));
	sha256_update(h, sizeof len, len);
	if (v)
		sha256_update(h, strlen(v), (const uint8_t *)v);
}

/*
 * What a case was taken in with, as checked (a phone as stored, the
 * service and unit by the codes given, a received time only when one was
 * given, each attachment by its name and content): the same line read
 * again, as JSON or TSV, hashes the same, and a case routed or corrected
 * since is still known by it. Not the source id itself, nor --no-notice.
 */
static void
source_digest(const struct case_input *in, struct case_record *rec)
{
	struct sha256_ctx h;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char number[24];

	sha256_init(&h);
	digest_field(&h, vocab_name(&kind_vocab, rec->kind));
	digest_field(&h, vocab_name(&channel_vocab, rec->channel));
	digest_field(&h, case_given(in->service));
	digest_field(&h, case_given(in->unit));
	digest_field(&h, rec->subject);
	digest_field(&h, rec->body);
	digest_field(&h, rec->name);
	digest_field(&h, rec->phone[0] ? rec->phone : NULL);
	digest_field(&h, rec->email);
	digest_field(&h, rec->national_id[0] ? rec->national_id : NULL);
	digest_field(&h, rec->backfilled ? decimal((long long)rec->received, 1, number) : NULL);
	digest_field(&h, rec->anonymous ? "anonymous" : NULL);
	digest_field(&h, decimal((long long)rec->nattach, 1, number));
	/* Only for a comment on a draft: the digests of the cases before stay as they were. */
	if (rec->on_draft) {
		digest_field(&h, rec->draft.code);
		digest_field(&h, case_given(in->article));
		digest_field(&h, rec->draft.late ? "late" : NULL);
	}
	/* Only when given, so too for the digests of the cases before it came. */
	if (rec->about)
		digest_field(&h, rec->about);
	for (size_t i = 0; i < rec->nattach; i++) {
		digest_field(&h, vocab_name(&attach_vocab, rec->attach[i].kind));
		digest_field(&h, rec->attach[i].name);
		digest_field(&h, rec->attach[i].sha256[0] ? rec->attach[i].sha256 : NULL);
	}
	sha256_digest(&h, sizeof digest, digest);
	for (size_t i = 0; i < sizeof digest; i++)
		snprintf(rec->source_digest + 2 * i, 3, "%02x", digest[i]);
}

static int
check_source_id(const char *v, struct case_record *rec, struct field_error *err)
{
	rec->source_id = case_given(v);
	return case_check_text(err, "source_id", rec->source_id, SOURCE_ID_MAX, TEXT_LINE);
}

static int
check_about(const char *v, struct case_record *rec, struct field_error *err)
{
	rec->about = case_given(v);
	return case_check_text(err, "about", rec->about, ABOUT_MAX, TEXT_LINE);
}

static int
check_kind(const char *v, struct case_record *rec, struct field_error *err)
{
	if (case_given(v) == NULL)
		return field_fail(err, "kind", "missing (one of %s)", vocab_list(&kind_vocab, "|"));
	if ((rec->kind = vocab_parse(&kind_vocab, v)) < 0)
		return field_fail(err, "kind", "unknown kind %s (one of %s)", text_quote(v), vocab_list(&kind_vocab, "|"));
	return 0;
}

/* None given (or blanks): other. */
static int
check_channel(const char *v, struct case_record *rec, struct field_error *err)
{
	rec->channel = CHANNEL_OTHER;
	if (case_given(v) && (rec->channel = vocab_parse(&channel_vocab, v)) < 0)
		return field_fail(err, "channel", "unknown channel %s (one of %s)", text_quote(v),
		    vocab_list(&channel_vocab, "|"));
	return 0;
}

static int
check_subject(const char *v, struct case_record *rec, struct field_error *err)
{
	if ((rec->subject = case_given(v)) == NULL)
		return field_fail(err, "subject", "missing");
	return case_check_text(err, "subject", rec->subject, SUBJECT_MAX, TEXT_LINE);
}

static int
check_body(const char *v, struct case_record *rec, struct field_error *err)
{
	rec->body = case_given(v);
	return case_check_text(err, "body", rec->body, BODY_MAX, TEXT_RECEIVED);
}

/* A comment on a draft: in its window (or kept as late), on an article it
 * has; it goes to the draft's unit unless a unit or service is given. */
static int
check_draft(struct context *ctx, const struct case_input *in, struct case_record *rec,
    struct field_error *err)
{
	const char *draft = case_given(in->draft), *field;

	if (draft == NULL) {
		if (case_given(in->article) || in->late)
			return field_fail(err, in->late ? "late" : "article", "goes with a draft");
		return 0;
	}
	if (rec->kind != KIND_COMMENT)
		return field_fail(err, "draft", "only a comment is on a draft, not a %s",
		    vocab_name(&kind_vocab, rec->kind));
	if (draft_check_comment(ctx, draft, case_given(in->article), in->late, &rec->draft, &field,
	    err->why, sizeof err->why) != 0) {
		err->field = field;
		return -1;
	}
	rec->on_draft = true;
	if (rec->unit_id == 0)
		rec->unit_id = rec->draft.unit_id;
	return 0;
}

int
case_check_fields(struct context *ctx, const struct case_input *in, struct case_record *rec,
    struct field_error *err)
{
	memset(rec, 0, sizeof *rec);
	return check_kind(in->kind, rec, err) || check_channel(in->channel, rec, err) ||
	    check_subject(in->subject, rec, err) || check_body(in->body, rec, err) ||
	    check_contact(in, rec, err) || check_where(ctx, in, rec, err) ||
	    check_draft(ctx, in, rec, err) || check_about(in->about, rec, err) ? -1 : 0;
}

int
case_check_each(struct context *ctx, const struct case_input *in, struct field_error *err)
{
	struct case_record rec = {0};

	return (in->kind && check_kind(in->kind, &rec, err)) ||
	    (in->channel && check_channel(in->channel, &rec, err)) ||
	    (in->subject && check_subject(in->subject, &rec, err)) ||
	    (in->body && check_body(in->body, &rec, err)) ||
	    (in->about && check_about(in->about, &rec, err)) ||
	    check_contact_values(in, &rec, err) || check_where(ctx, in, &rec, err) ? -1 : 0;
}

int
case_check(struct context *ctx, const struct case_input *in, struct case_record *rec,
    struct field_error *err)
{
	if (case_check_fields(ctx, in, rec, err) ||
	    check_received(ctx, in->received, rec, err) ||
	    check_source_id(in->source_id, rec, err))
		return -1;
	int deadline = case_deadline_days(ctx, rec->kind, rec->service_id);
	if (deadline > 0) {
		int missing = 0;
		if (!workcal_due(ctx->wc, rec->received, deadline, &rec->due, &missing))
			return field_fail(err, "due", "%s", workcal_error(ctx->wc));
		if (missing)
			ctx->missing_year = missing;
	}
	/* The files last: nothing is copied for a case refused anyway. */
	if (check_attachments(ctx, in, rec, err))
		return -1;
	if (rec->source_id)
		source_digest(in, rec);
	return 0;
}

static int
insert_row(struct context *ctx, const struct case_record *rec, tcode code, long long *id)
{
	struct stmt *st = store_sql(ctx->store,
	    "INSERT INTO cases (code, kind, channel, service_id, unit_id, state, subject, body,"
	    " name, phone, email, national_id, anonymous, received, due, source_id, source_digest,"
	    " about) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	int rc;

	stmt_bind_int(st, code);
	stmt_bind_text(st, vocab_name(&kind_vocab, rec->kind));
	stmt_bind_text(st, vocab_name(&channel_vocab, rec->channel));
	stmt_bind_id(st, rec->service_id);
	stmt_bind_id(st, rec->unit_id);
	stmt_bind_text(st, vocab_name(&state_vocab, rec->unit_id ? STATE_ROUTED : STATE_NEW));
	stmt_bind_text(st, rec->subject);
	stmt_bind_text(st, rec->body);
	stmt_bind_text(st, rec->name);
	stmt_bind_text(st, rec->phone[0] ? rec->phone : NULL);
	stmt_bind_text(st, rec->email);
	stmt_bind_text(st, rec->national_id[0] ? rec->national_id : NULL);
	stmt_bind_int(st, rec->anonymous);
	stmt_bind_int(st, (long long)rec->received);
	stmt_bind_id(st, (long long)rec->due);
	stmt_bind_text(st, rec->source_id);
	stmt_bind_text(st, rec->source_id ? rec->source_digest : NULL);
	stmt_bind_text(st, rec->about);
	if ((rc = stmt_put(st)) == 0)
		*id = store_last_id(ctx->store);
	return rc;
}

/* Does a case have this code (held rows stored first)? */
static int
code_taken(struct context *ctx, tcode code, bool *taken)
{
	struct stmt *st = store_sql(ctx->store, "SELECT 1 FROM cases WHERE code = ?");

	stmt_bind_int(st, code);
	*taken = stmt_row(st);
	stmt_reset(st);
	return stmt_status(st);
}

/*
 * The case its channel brought under this source id before, if any: 0
 * with *code and *known when it is the same case (what was taken in
 * hashes alike), EXIT_FATAL naming the field when it is another.
 */
static int
taken_before(struct context *ctx, const struct case_record *rec, tcode *code, bool *known)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT code, source_digest FROM cases WHERE channel = ? AND source_id = ?");
	char grouped[24];
	bool same;

	*known = false;
	stmt_bind_text(st, vocab_name(&channel_vocab, rec->channel));
	stmt_bind_text(st, rec->source_id);
	if (!stmt_row(st))
		return stmt_status(st);
	*code = stmt_int(st, 0);
	same = stmt_text(st, 1) && strcmp(stmt_text(st, 1), rec->source_digest) == 0;
	stmt_reset(st);
	if (!same)
		return store_fail_field(ctx->store, "source_id", "%s of channel %s is case %s already, "
		    "taken in with other content: another case needs a source id of its own",
		    text_quote(rec->source_id), vocab_name(&channel_vocab, rec->channel),
		    code_format_grouped(*code, grouped, sizeof grouped));
	*known = true;
	return 0;
}

static int
insert_attachments(struct context *ctx, const struct case_record *rec, long long id)
{
	for (size_t i = 0; i < rec->nattach; i++) {
		int rc = attach_insert(ctx->store, id, &rec->attach[i]);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The row insert_row writes, as text in the order a case's digest takes
 * it (audit.c: its columns, then the source id and its digest), for the
 * first events' digest: audit_append proves it against the store once. */
struct case_row_text {
	char code[24], service[24], unit[24], received[24], due[24];
	const char *v[22];
};

static void
case_row_text(const struct case_record *rec, tcode code, struct case_row_text *t)
{
	const char *v[] = {
		decimal(code, 1, t->code), vocab_name(&kind_vocab, rec->kind),
		vocab_name(&channel_vocab, rec->channel),
		rec->service_id ? decimal(rec->service_id, 1, t->service) : NULL,
		rec->unit_id ? decimal(rec->unit_id, 1, t->unit) : NULL,
		vocab_name(&state_vocab, rec->unit_id ? STATE_ROUTED : STATE_NEW),
		rec->subject, rec->body, rec->name, rec->phone[0] ? rec->phone : NULL, rec->email,
		rec->national_id[0] ? rec->national_id : NULL, rec->anonymous ? "1" : "0",
		decimal((long long)rec->received, 1, t->received),
		rec->due ? decimal((long long)rec->due, 1, t->due) : NULL,
		NULL, NULL, NULL, NULL, NULL,	/* answered, closed, outcome, action, answer */
		rec->source_id, rec->source_id ? rec->source_digest : NULL,
	};
	_Static_assert(sizeof v == sizeof t->v, "a case's row has 22 columns");
	memcpy(t->v, v, sizeof v);
}

/* The row in hand gives the digest when the case has no attachment (no
 * part with a row) and is about nothing (the row in hand is the 22
 * columns without `about`). */
static bool
row_gives_digest(const struct case_record *rec)
{
	return !rec->nattach && !rec->about;
}

/* What the citizen's first notice says of a new case. */
static struct notice_facts
received_facts(const struct case_record *rec, tcode code, long long id)
{
	return (struct notice_facts){
		.case_id = id, .code = code, .state = vocab_name(&state_vocab, STATE_NEW),
		.phone = rec->phone[0] ? rec->phone : NULL, .email = rec->email,
		.due = rec->due, .anonymous = rec->anonymous,
	};
}

/* A back-filled case was received long ago: no confirmation now. */
static bool
gets_notice(const struct context *ctx, const struct case_record *rec)
{
	return !ctx->no_notice && !rec->backfilled;
}

int
case_draw(struct context *ctx, struct case_record *rec)
{
	struct case_row_text row;

	/* A code a stored case has is drawn again here, beside the writer. */
	bool taken = true;
	for (int tries = 0; taken && tries < 100; tries++) {
		int rc = code_taken(ctx, rec->drawn = code_generate(), &taken);
		if (rc != 0)
			return rc;
	}
	rec->drawn_unstored = !taken;
	if (row_gives_digest(rec)) {
		case_row_text(rec, rec->drawn, &row);
		rec->row_digested = audit_row_digest(vocab_name(&record_vocab, RECORD_CASE), row.v,
		    (int)ARRAY_SIZE(row.v), rec->row_digest) == 0;
	}
	if (!gets_notice(ctx, rec))
		return 0;
	struct notice_facts facts = received_facts(rec, rec->drawn, 0);
	int rc = notice_make(ctx, &facts, NOTICE_RECEIVED, NULL, &rec->notice);
	rec->notice_made = rc == 0;
	return rc;
}

/* An event of the case just stored, its digest from the row in hand (or
 * taken ahead, for the code drawn ahead) when that gives it. */
static int
new_case_event(struct context *ctx, const struct case_row *c, const struct case_record *rec,
    const struct case_row_text *row, const char *what, const char *before, const char *after,
    const char *note, long long *id)
{
	bool ahead = rec->row_digested && c->code == rec->drawn;
	struct event_input ev = {
		.kind = vocab_name(&record_vocab, RECORD_CASE), .subject_id = c->id,
		.subject = c->subject, .at = ctx->now, .what = what,
		.before = before, .after = after, .note = note,
		.row = row_gives_digest(rec) && !ahead ? row->v : NULL, .nrow = (int)ARRAY_SIZE(row->v),
		.row_digest = ahead ? rec->row_digest : NULL,
	};
	return audit_append(ctx->store, &ev, id);
}

/* The code of a unit, for the history; a new string, or NULL. */
static char *
unit_code(struct context *ctx, long long unit_id)
{
	struct stmt *st = store_sql(ctx->store, "SELECT code FROM unit WHERE id = ?");
	char *code = NULL;

	stmt_bind_int(st, unit_id);
	if (stmt_row(st)) {
		code = xstrdup(stmt_text(st, 0));
		stmt_reset(st);
	}
	return code;
}

int
case_insert(struct context *ctx, const struct case_record *rec, tcode *code, bool *known)
{
	struct case_row c = {.kind = rec->kind, .state = STATE_NEW};
	bool was_known = false;
	int rc = EXIT_FATAL;

	if (known)
		*known = false;
	if (rec->source_id && ((rc = taken_before(ctx, rec, code, &was_known)) != 0 || was_known)) {
		if (known)
			*known = was_known;
		return rc;
	}
	/* Random codes collide now and then (the birthday bound): draw again. */
	bool holding = store_holding(ctx->store);
	for (int tries = 0; tries < 100; tries++) {
		bool taken = false;
		*code = tries == 0 && rec->drawn ? rec->drawn : code_generate();
		if (holding && !(tries == 0 && rec->drawn && rec->code_free) &&
		    (rc = code_taken(ctx, *code, &taken)) != 0)
			return rc;
		if (taken) {
			rc = EXIT_FATAL;
			continue;
		}
		if ((rc = insert_row(ctx, rec, *code, &c.id)) == 0 || !store_is_duplicate(ctx->store))
			break;
	}
	if (rc != 0)
		return store_is_duplicate(ctx->store) || holding
		    ? store_failf(ctx->store, "could not draw a free tracking code") : rc;
	c.code = *code;
	code_format(*code, c.subject, sizeof c.subject);
	/* The attachments before the first event, whose digest covers them. */
	if ((rc = insert_attachments(ctx, rec, c.id)) != 0)
		return rc;
	long long event_id;
	struct case_row_text row;
	if (!rec->row_digested || *code != rec->drawn)
		case_row_text(rec, *code, &row);
	if ((rc = new_case_event(ctx, &c, rec, &row, "received", NULL,
	    vocab_name(&state_vocab, STATE_NEW), vocab_name(&channel_vocab, rec->channel),
	    &event_id)) != 0)
		return rc;
	if (rec->on_draft && (rc = draft_add_comment(ctx, &rec->draft, c.id, c.subject)) != 0)
		return rc;
	if (rec->notice_made && *code == rec->drawn) {
		if ((rc = notice_queue_made(ctx, &rec->notice, c.id, event_id)) != 0)
			return rc;
	} else if (gets_notice(ctx, rec)) {
		struct notice_facts facts = received_facts(rec, *code, c.id);
		if ((rc = notice_queue_facts(ctx, &facts, event_id, NOTICE_RECEIVED, NULL)) != 0)
			return rc;
	}
	if (rec->unit_id) {
		char *unit = unit_code(ctx, rec->unit_id);
		rc = new_case_event(ctx, &c, rec, &row, "route", vocab_name(&state_vocab, STATE_NEW),
		    vocab_name(&state_vocab, STATE_ROUTED), unit, &event_id);
		free(unit);
		if (rc != 0 || (!rec->backfilled && (rc = notice_queue_unit(ctx, c.id, event_id)) != 0))
			return rc;
	}
	return 0;
}

int
case_register(struct context *ctx, const struct case_input *in, tcode *code, bool *known,
    struct field_error *err)
{
	struct case_record rec;
	int rc;

	if (case_check(ctx, in, &rec, err) != 0)
		return EXIT_FATAL;
	/* The code is printed once this returns, and the citizen is given it. */
	if ((rc = store_durable(ctx->store)) != 0 || (rc = store_begin(ctx->store)) != 0)
		return rc;
	if ((rc = case_insert(ctx, &rec, code, known)) != 0) {
		const char *field = store_error_field(ctx->store);
		if (field && strcmp(field, "source_id") == 0)
			field_fail(err, field, "%s", store_error(ctx->store));
		store_rollback(ctx->store);
		return rc;
	}
	return store_commit(ctx->store);
}

int
case_load(struct context *ctx, tcode code, struct case_row *c)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT id, state, kind, unit_id, service_id, due FROM cases WHERE code = ?");
	char buf[24];

	stmt_bind_int(st, code);
	if (!stmt_row(st)) {
		if (stmt_status(st) != 0)
			return stmt_status(st);
		store_failf(ctx->store, "%s: no such case", code_format_grouped(code, buf, sizeof buf));
		return EXIT_PARTIAL;
	}
	c->id = stmt_int(st, 0);
	c->code = code;
	code_format(code, c->subject, sizeof c->subject);
	c->state = vocab_parse(&state_vocab, stmt_text(st, 1));
	c->kind = vocab_parse(&kind_vocab, stmt_text(st, 2));
	c->unit_id = stmt_int(st, 3);
	c->service_id = stmt_int(st, 4);
	c->due = (time_t)stmt_int(st, 5);
	stmt_reset(st);
	return 0;
}

int
case_event(struct context *ctx, const struct case_row *c, const char *what, const char *before,
    const char *after, const char *note, long long *id)
{
	struct event_input ev = {
		.kind = vocab_name(&record_vocab, RECORD_CASE), .subject_id = c->id,
		.subject = c->subject, .at = ctx->now, .what = what,
		.before = before, .after = after, .note = note,
	};
	return audit_append(ctx->store, &ev, id);
}

const char **
case_input_text(struct case_input *in, int f)
{
	switch (f) {
	case FIELD_KIND: return &in->kind;
	case FIELD_CHANNEL: return &in->channel;
	case FIELD_SERVICE: return &in->service;
	case FIELD_UNIT: return &in->unit;
	case FIELD_SUBJECT: return &in->subject;
	case FIELD_BODY: return &in->body;
	case FIELD_NAME: return &in->name;
	case FIELD_PHONE: return &in->phone;
	case FIELD_EMAIL: return &in->email;
	case FIELD_NATIONAL_ID: return &in->national_id;
	case FIELD_RECEIVED: return &in->received;
	case FIELD_SOURCE_ID: return &in->source_id;
	case FIELD_DRAFT: return &in->draft;
	case FIELD_ARTICLE: return &in->article;
	case FIELD_ABOUT: return &in->about;
	}
	return NULL;
}
