/*
 * survey.c — surveys and their versions, invitations and responses. The
 * rules live here once: what a question is, when a change makes a new
 * version, who may be invited, which answers a response may carry.
 */
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "audit.h"
#include "caltime.h"
#include "exitcode.h"
#include "json.h"
#include "lines.h"
#include "notice.h"
#include "outbox.h"
#include "service.h"
#include "survey.h"
#include "text.h"
#include "unit.h"
#include "util.h"

/* ---- questions ------------------------------------------------------------ */

static int
check_word(const char *v, const char *field, struct field_error *err)
{
	if (v == NULL || *v == '\0')
		return field_fail(err, field, "missing");
	if (strlen(v) > SURVEY_CODE_MAX)
		return field_fail(err, field, "longer than %d characters", SURVEY_CODE_MAX);
	for (const char *c = v; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return field_fail(err, field, "%s: only a-z, 0-9, '-' and '_'", text_quote(v));
	return 0;
}

static int
check_line(const char *v, const char *field, struct field_error *err)
{
	const char *why;

	if (v == NULL || *v == '\0')
		return field_fail(err, field, "missing");
	if ((why = text_check(v, SURVEY_TEXT_MAX, TEXT_LINE)) != NULL)
		return field_fail(err, field, "%s", why);
	return 0;
}

/* The labels of a choice, '|' between them, into q. */
static int
parse_options(const char *list, struct survey_question *q, struct field_error *err)
{
	char *copy = xstrdup(list ? list : ""), *save = NULL;
	int rc = 0;

	for (char *o = strtok_r(copy, "|", &save); o && rc == 0; o = strtok_r(NULL, "|", &save)) {
		o = strip(o);
		if (q->noptions == SURVEY_OPTIONS_MAX)
			rc = field_fail(err, "options", "more than %d", SURVEY_OPTIONS_MAX);
		else if ((rc = check_line(o, "options", err)) == 0)
			q->options[q->noptions++] = xstrdup(o);
	}
	free(copy);
	if (rc == 0 && q->noptions < 2)
		rc = field_fail(err, "options", "a choice needs two options or more, '|' between them");
	return rc;
}

static void
question_free(struct survey_question *q)
{
	free(q->name);
	free(q->text);
	for (int i = 0; i < q->noptions; i++)
		free(q->options[i]);
	memset(q, 0, sizeof *q);
}

void
survey_questions_free(struct survey_question *qs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		question_free(&qs[i]);
	free(qs);
}

/* kind ("multi=a|b"), required, text: the fields of a question after its name. */
static int
question_fill(struct survey_question *q, const char *name, char *kind, bool required,
    const char *text, const char *options, struct field_error *err)
{
	char *eq = strchr(kind, '=');

	if (eq)
		*eq = '\0';
	q->kind = vocab_parse(&question_vocab, kind);
	q->required = required;
	if (check_word(name, "name", err) != 0)
		return -1;
	q->name = xstrdup(name);
	if (q->kind < 0)
		return field_fail(err, "kind", "%s is not one of %s", text_quote(kind),
		    vocab_list(&question_vocab, ", "));
	if (check_line(text, "text", err) != 0)
		return -1;
	q->text = xstrdup(text);
	if (q->kind == QUESTION_CHOICE || q->kind == QUESTION_MULTI)
		return parse_options(eq ? eq + 1 : options, q, err);
	if (eq || (options && *options))
		return field_fail(err, "options", "only a choice or multi question has options");
	return 0;
}

int
survey_question_parse(const char *spec, struct survey_question *q, struct field_error *err)
{
	char *copy = xstrdup(spec), *colon1 = strchr(copy, ':'), *colon2;
	int rc;

	memset(q, 0, sizeof *q);
	if (colon1 == NULL || (colon2 = strchr(colon1 + 1, ':')) == NULL) {
		free(copy);
		return field_fail(err, "question", "%s: expected NAME:KIND:TEXT", text_quote(spec));
	}
	*colon1 = *colon2 = '\0';
	char *kind = colon1 + 1;
	size_t k = strlen(kind);
	bool optional = k && kind[k - 1] == '?';
	if (optional)
		kind[k - 1] = '\0';
	rc = question_fill(q, copy, kind, !optional, colon2 + 1, NULL, err);
	free(copy);
	if (rc != 0)
		question_free(q);
	return rc;
}

static int
parse_yes(const char *v, bool *out)
{
	if (strcmp(v, "yes") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
		*out = true;
	else if (strcmp(v, "no") == 0 || strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
		*out = false;
	else
		return -1;
	return 0;
}

/* A TSV line of a questions file, by the columns of the header. */
enum { QF_NAME, QF_KIND, QF_REQUIRED, QF_TEXT, QF_OPTIONS, QF_COUNT };
static const char *const qf_names[QF_COUNT] = {"name", "kind", "required", "text", "options"};

static int
questions_line(char *line, const int *col, int ncols, struct survey_question *q,
    struct field_error *err)
{
	char *v[QF_COUNT] = {0}, *save = NULL;
	int i = 0;
	bool required = true;

	for (char *f = strsep(&line, "\t"); f; f = strsep(&line, "\t"), i++) {
		if (i >= ncols)
			return field_fail(err, "tsv", "more fields than the header's %d", ncols);
		if (col[i] >= 0)
			v[col[i]] = strip(f);
	}
	(void)save;
	if (v[QF_REQUIRED] && *v[QF_REQUIRED] && parse_yes(v[QF_REQUIRED], &required) != 0)
		return field_fail(err, "required", "expected yes or no");
	return question_fill(q, v[QF_NAME], v[QF_KIND] ? v[QF_KIND] : (char *)"", required,
	    v[QF_TEXT], v[QF_OPTIONS], err);
}

int
survey_questions_read(const char *path, struct survey_question **qs, size_t *n,
    struct field_error *err)
{
	struct lines_options opt = {.utf8 = true};
	char *why;
	struct lines *l = lines_open_path(path, &opt, &why);
	int col[QF_COUNT + 8], ncols = 0, rc = 0;
	char *line;

	*qs = NULL;
	*n = 0;
	if (l == NULL) {
		rc = field_fail(err, "questions", "%s", why);
		free(why);
		return rc;
	}
	while (rc == 0 && (line = lines_next(l, NULL)) != NULL) {
		if (*strip(line) == '\0' || *strip(line) == '#')
			continue;
		if (ncols == 0) {
			for (char *f = strsep(&line, "\t"); f && ncols < QF_COUNT + 8; f = strsep(&line, "\t")) {
				col[ncols] = -1;
				for (int k = 0; k < QF_COUNT; k++)
					if (strcmp(strip(f), qf_names[k]) == 0)
						col[ncols] = k;
				if (col[ncols++] < 0)
					rc = field_fail(err, "header", "line %zu: unknown column %s (columns: name, "
					    "kind, required, text, options)", lines_number(l), text_quote(f));
			}
			continue;
		}
		if (*n == SURVEY_QUESTIONS_MAX) {
			rc = field_fail(err, "questions", "more than %d", SURVEY_QUESTIONS_MAX);
			break;
		}
		*qs = xrealloc(*qs, (*n + 1) * sizeof **qs);
		memset(&(*qs)[*n], 0, sizeof **qs);
		if ((rc = questions_line(line, col, ncols, &(*qs)[*n], err)) != 0) {
			char *where = xasprintf("%s:%zu: %s: %s", lines_name(l), lines_number(l),
			    err->field, err->why);
			question_free(&(*qs)[*n]);
			field_fail(err, "questions", "%.200s", where);
			free(where);
		} else {
			(*n)++;
		}
	}
	if (rc == 0 && lines_error(l))
		rc = field_fail(err, "questions", "%s", lines_error(l));
	if (rc == 0 && *n == 0)
		rc = field_fail(err, "questions", "%s: no question", path);
	lines_close(l);
	if (rc != 0) {
		survey_questions_free(*qs, *n);
		*qs = NULL;
		*n = 0;
	}
	return rc;
}

/* ---- surveys and versions ----------------------------------------------- */

#define SURVEY_SNAPSHOT "SELECT v.version, v.title, count(q.id) AS questions FROM survey_version v" \
	" LEFT JOIN survey_question q ON q.version_id = v.id WHERE v.id = ? GROUP BY v.id, v.version, v.title"

static char *
options_text(const struct survey_question *q)
{
	struct buf b = {0};

	for (int i = 0; i < q->noptions; i++) {
		if (i)
			buf_addc(&b, '|');
		buf_adds(&b, q->options[i]);
	}
	return b.data;
}

/* The questions of a version are these, in this order. */
static bool
same_questions(struct store *s, long long version_id, const struct survey_question *qs, size_t n)
{
	struct stmt *st = store_sql(s, "SELECT name, kind, required, text, coalesce(options, '')"
	    " FROM survey_question WHERE version_id = ? ORDER BY position");
	size_t i = 0;
	bool same = true;

	stmt_bind_int(st, version_id);
	while (stmt_row(st)) {
		char *opts = options_text(&qs[i < n ? i : 0]);
		if (i >= n || strcmp(stmt_text(st, 0), qs[i].name) != 0 ||
		    vocab_parse(&question_vocab, stmt_text(st, 1)) != qs[i].kind ||
		    (stmt_int(st, 2) != 0) != qs[i].required || strcmp(stmt_text(st, 3), qs[i].text) != 0 ||
		    strcmp(stmt_text(st, 4), opts ? opts : "") != 0)
			same = false;
		free(opts);
		i++;
	}
	return same && i == n;
}

static int
put_questions(struct store *s, long long version_id, const struct survey_question *qs, size_t n)
{
	struct stmt *st;
	int rc = 0;

	st = store_sql(s, "DELETE FROM survey_question WHERE version_id = ?");
	stmt_bind_int(st, version_id);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *opts = options_text(&qs[i]);
		st = store_sql(s, "INSERT INTO survey_question (version_id, position, name, kind, required,"
		    " text, options) VALUES (?, ?, ?, ?, ?, ?, ?)");
		stmt_bind_int(st, version_id);
		stmt_bind_int(st, (long long)i + 1);
		stmt_bind_text(st, qs[i].name);
		stmt_bind_text(st, vocab_name(&question_vocab, qs[i].kind));
		stmt_bind_int(st, qs[i].required);
		stmt_bind_text(st, qs[i].text);
		stmt_bind_text(st, opts);
		rc = stmt_run(st);
		free(opts);
	}
	return rc;
}

struct define {
	struct context *ctx;
	const char *code, *title;
	const struct survey_question *qs;
	size_t n;
	int *version;
	bool *changed;
};

static int
define(struct store *s, void *arg)
{
	struct define *d = arg;
	long long survey_id = 0, version_id = 0;
	int version = 0, rc;
	bool answered = false;
	struct stmt *st = store_sql(s, "SELECT s.id, v.id, v.version, EXISTS (SELECT 1 FROM"
	    " survey_response r WHERE r.version_id = v.id) FROM survey s LEFT JOIN survey_version v"
	    " ON v.survey_id = s.id WHERE s.code = ? ORDER BY v.version DESC LIMIT 1");

	stmt_bind_text(st, d->code);
	if (stmt_row(st)) {
		survey_id = stmt_int(st, 0);
		version_id = stmt_int(st, 1);
		version = (int)stmt_int(st, 2);
		answered = stmt_int(st, 3) != 0;
		stmt_reset(st);
	} else if ((rc = stmt_status(st)) != 0) {
		return rc;
	}
	*d->changed = false;
	*d->version = version;
	if (version_id && same_questions(s, version_id, d->qs, d->n))
		return 0;
	if (survey_id == 0) {
		st = store_sql(s, "INSERT INTO survey (code, created) VALUES (?, ?)");
		stmt_bind_text(st, d->code);
		stmt_bind_int(st, (long long)d->ctx->now);
		if ((rc = stmt_run(st)) != 0)
			return rc;
		survey_id = store_last_id(s);
	}
	char *before = version_id && !answered ? audit_snapshot(s, SURVEY_SNAPSHOT, version_id) : NULL;
	if (version_id == 0 || answered) {
		st = store_sql(s, "INSERT INTO survey_version (survey_id, version, title, created)"
		    " VALUES (?, ?, ?, ?)");
		stmt_bind_int(st, survey_id);
		stmt_bind_int(st, version + 1);
		stmt_bind_text(st, d->title);
		stmt_bind_int(st, (long long)d->ctx->now);
		if ((rc = stmt_run(st)) != 0) {
			free(before);
			return rc;
		}
		version_id = store_last_id(s);
		*d->version = version + 1;
	} else {
		st = store_sql(s, "UPDATE survey_version SET title = ? WHERE id = ?");
		stmt_bind_text(st, d->title);
		stmt_bind_int(st, version_id);
		if ((rc = stmt_run(st)) != 0) {
			free(before);
			return rc;
		}
	}
	if ((rc = put_questions(s, version_id, d->qs, d->n)) != 0) {
		free(before);
		return rc;
	}
	*d->changed = true;
	char *after = audit_snapshot(s, SURVEY_SNAPSHOT, version_id);
	rc = audit_record(s, RECORD_SURVEY, survey_id, d->code, before ? "questions" : "version",
	    before, after, NULL);
	free(before);
	free(after);
	return rc;
}

int
survey_define(struct context *ctx, const char *code, const char *title,
    const struct survey_question *qs, size_t n, int *version, bool *changed,
    struct field_error *err)
{
	struct define d = {ctx, code, title, qs, n, version, changed};

	if (check_word(code, "survey", err) != 0 || check_line(title, "title", err) != 0)
		return EXIT_FATAL;
	if (n == 0)
		return field_fail(err, "question", "a survey needs a question"), EXIT_FATAL;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(qs[i].name, qs[j].name) == 0)
				return field_fail(err, "question", "%s named twice", text_quote(qs[i].name)),
				    EXIT_FATAL;
	return store_atomic(ctx->store, define, &d);
}

/* The default survey: what the agencies' strategies ask after a service. */
static int
define_default(struct context *ctx)
{
	static const struct { const char *name; int kind; bool required; const char *text; } q[] = {
		{"information", QUESTION_SCALE, true, "اطلاعاتی که به شما داده شد چقدر کافی و روشن بود؟"},
		{"timeliness", QUESTION_SCALE, true, "از زمانی که کار شما طول کشید چقدر راضی هستید؟"},
		{"responsiveness", QUESTION_SCALE, true, "کارکنان چقدر پاسخ‌گو و در دسترس بودند؟"},
		{"overall", QUESTION_SCALE, true, "روی هم رفته از این خدمت چقدر راضی هستید؟"},
		{"comment", QUESTION_TEXT, false, "پیشنهاد یا نظری برای بهتر شدن این خدمت دارید؟"},
	};
	struct survey_question qs[ARRAY_SIZE(q)];
	struct field_error err;
	bool changed;
	int version;

	memset(qs, 0, sizeof qs);
	for (size_t i = 0; i < ARRAY_SIZE(q); i++) {
		qs[i].name = (char *)q[i].name;
		qs[i].kind = q[i].kind;
		qs[i].required = q[i].required;
		qs[i].text = (char *)q[i].text;
	}
	return survey_define(ctx, SURVEY_DEFAULT, "نظرسنجی رضایت از خدمت", qs, ARRAY_SIZE(q),
	    &version, &changed, &err);
}

static int
find_current(struct context *ctx, const char *code, long long *survey_id, long long *version_id,
    int *version)
{
	struct stmt *st = store_sql(ctx->store, "SELECT s.id, v.id, v.version FROM survey s JOIN"
	    " survey_version v ON v.survey_id = s.id WHERE s.code = ? ORDER BY v.version DESC LIMIT 1");

	stmt_bind_text(st, code);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : EXIT_PARTIAL;
	*survey_id = stmt_int(st, 0);
	*version_id = stmt_int(st, 1);
	*version = (int)stmt_int(st, 2);
	stmt_reset(st);
	return 0;
}

int
survey_current(struct context *ctx, const char *code, long long *survey_id,
    long long *version_id, int *version)
{
	int rc = find_current(ctx, code, survey_id, version_id, version);

	if (rc == EXIT_PARTIAL && strcmp(code, SURVEY_DEFAULT) == 0 &&
	    !store_read_only(ctx->store) && (rc = define_default(ctx)) == 0)
		rc = find_current(ctx, code, survey_id, version_id, version);
	if (rc == EXIT_PARTIAL)
		store_fail_field(ctx->store, "survey", "%s: no such survey", text_quote(code));
	return rc;
}

int
survey_month_of(time_t t)
{
	struct ymd d = cal_jdn_to_jalali(cal_local_day(t, NULL));

	return d.y * 100 + d.m;
}

/* ---- invitations ------------------------------------------------------------ */

/* A token a citizen types or taps: 16 letters and digits without look-alikes. */
static void
new_token(char out[17])
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";	/* 31 */
	unsigned char bytes[16];

	for (size_t got = 0; got < sizeof bytes;) {
		ssize_t r = getrandom(bytes + got, sizeof bytes - got, 0);
		if (r > 0)
			got += (size_t)r;
	}
	for (int i = 0; i < 16; i++)
		out[i] = alphabet[bytes[i] % 31];	/* 256 = 8·31 + 8: a bias of 1 in 32, harmless here */
	out[16] = '\0';
}

/* What is stored of a token: its SHA-256 in hex, so a copy of the database answers nothing. */
static void
token_hash(const char *token, char out[2 * SHA256_DIGEST_SIZE + 1])
{
	struct sha256_ctx h;
	unsigned char d[SHA256_DIGEST_SIZE];

	sha256_init(&h);
	sha256_update(&h, strlen(token), (const uint8_t *)token);
	sha256_digest(&h, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

struct invite {
	struct context *ctx;
	const char *code;
	tcode c;
	char token[17];
	const char *skipped;
};

static int
invite(struct store *s, void *arg)
{
	struct invite *a = arg;
	long long survey_id, version_id;
	int version, rc;
	struct case_row row;

	if ((rc = survey_current(a->ctx, a->code, &survey_id, &version_id, &version)) != 0 ||
	    (rc = case_load(a->ctx, a->c, &row)) != 0)
		return rc;
	struct stmt *st = store_sql(s, "SELECT c.anonymous, c.phone, c.email,"
	    " EXISTS (SELECT 1 FROM survey_invitation i WHERE i.case_id = c.id AND i.survey_id = ?),"
	    " EXISTS (SELECT 1 FROM survey_invitation i WHERE i.case_id = c.id AND i.state = 'open'),"
	    " EXISTS (SELECT 1 FROM survey_response r WHERE r.case_id = c.id AND r.survey_id = ?)"
	    " FROM cases c WHERE c.id = ?");
	stmt_bind_int(st, survey_id);
	stmt_bind_int(st, survey_id);
	stmt_bind_int(st, row.id);
	if (!stmt_row(st))
		return stmt_status(st);
	bool anonymous = stmt_int(st, 0) != 0, invited = stmt_int(st, 3), open = stmt_int(st, 4),
	     answered = stmt_int(st, 5);
	char *phone = stmt_null(st, 1) ? NULL : xstrdup(stmt_text(st, 1));
	char *email = stmt_null(st, 2) ? NULL : xstrdup(stmt_text(st, 2));
	stmt_reset(st);
	const char *address = phone ? phone : email;
	if (anonymous)
		a->skipped = "anonymous: no invitation";
	else if (address == NULL)
		a->skipped = "no phone or email to invite";
	else if (invited || answered)
		a->skipped = "invited to this survey before";
	else if (open)
		a->skipped = "an invitation to another survey is still open";
	else if (outbox_opted_out(a->ctx, address))
		a->skipped = "the citizen asked for no more messages";
	if (a->skipped) {
		free(phone);
		free(email);
		return 0;
	}
	{
		char hash[2 * SHA256_DIGEST_SIZE + 1];
		new_token(a->token);
		token_hash(a->token, hash);
		st = store_sql(s, "INSERT INTO survey_invitation (survey_id, version_id, case_id,"
		    " token_hash, channel, created, state) VALUES (?, ?, ?, ?, ?, ?, 'open')");
		stmt_bind_int(st, survey_id);
		stmt_bind_int(st, version_id);
		stmt_bind_int(st, row.id);
		stmt_bind_text(st, hash);
		stmt_bind_text(st, phone ? "sms" : "email");
		stmt_bind_int(st, (long long)a->ctx->now);
		rc = stmt_run(st);
	}
	long long id = store_last_id(s);
	if (rc == 0)
		rc = notice_queue_invitation(a->ctx, row.id, a->c, id, phone, email, a->token);
	if (rc == 0)
		rc = audit_record(s, RECORD_INVITATION, id, row.subject, "invited", NULL, "open", a->code);
	free(phone);
	free(email);
	return rc;
}

int
survey_invite(struct context *ctx, const char *code, tcode c, char **token, const char **skipped)
{
	struct invite a = {.ctx = ctx, .code = code, .c = c};
	int rc = store_atomic(ctx->store, invite, &a);

	*skipped = rc == 0 ? a.skipped : NULL;
	if (token)
		*token = rc == 0 && !a.skipped ? xstrdup(a.token) : NULL;
	return rc;
}

/* ---- responses ---------------------------------------------------------------- */

/* A version's questions as a response is checked against them. */
struct version {
	long long id, survey_id;
	char code[SURVEY_CODE_MAX + 1];
	int version;
	struct survey_question *qs;
	long long *qid;
	size_t n;
};

/* The counts a batch adds to survey_tally, summed in memory by their key
 * (as many as there are groups, not rows) and written before the commit. */
struct tally_entry {
	long long question_id, service_id, unit_id;
	int channel, month, value;
	long long n;
	bool used;
};

#define VERSIONS_KEPT 8
struct recorder {
	struct context *ctx;
	struct version versions[VERSIONS_KEPT];
	int nversions;
	struct tally_entry *tally;
	size_t tally_cap, tally_used;
};

static void
recorder_free(struct recorder *r)
{
	for (int i = 0; i < r->nversions; i++) {
		survey_questions_free(r->versions[i].qs, r->versions[i].n);
		free(r->versions[i].qid);
	}
	free(r->tally);
	memset(r, 0, sizeof *r);
}

static int
load_version(struct recorder *r, long long version_id, struct version **out)
{
	for (int i = 0; i < r->nversions; i++)
		if (r->versions[i].id == version_id) {
			*out = &r->versions[i];
			return 0;
		}
	if (r->nversions == VERSIONS_KEPT) {
		survey_questions_free(r->versions[0].qs, r->versions[0].n);
		free(r->versions[0].qid);
		memmove(r->versions, r->versions + 1, (VERSIONS_KEPT - 1) * sizeof *r->versions);
		r->nversions--;
	}
	struct version *v = &r->versions[r->nversions];
	struct stmt *st = store_sql(r->ctx->store, "SELECT q.id, q.name, q.kind, q.required, q.text,"
	    " q.options, v.survey_id, v.version, s.code FROM survey_question q JOIN survey_version v"
	    " ON v.id = q.version_id JOIN survey s ON s.id = v.survey_id WHERE q.version_id = ?"
	    " ORDER BY q.position");
	struct field_error ignored;

	memset(v, 0, sizeof *v);
	v->id = version_id;
	stmt_bind_int(st, version_id);
	while (stmt_row(st)) {
		v->qs = xrealloc(v->qs, (v->n + 1) * sizeof *v->qs);
		v->qid = xrealloc(v->qid, (v->n + 1) * sizeof *v->qid);
		struct survey_question *q = &v->qs[v->n];
		memset(q, 0, sizeof *q);
		v->qid[v->n++] = stmt_int(st, 0);
		q->name = xstrdup(stmt_text(st, 1));
		q->kind = vocab_parse(&question_vocab, stmt_text(st, 2));
		q->required = stmt_int(st, 3) != 0;
		q->text = xstrdup(stmt_text(st, 4));
		if (!stmt_null(st, 5))
			parse_options(stmt_text(st, 5), q, &ignored);
		v->survey_id = stmt_int(st, 6);
		v->version = (int)stmt_int(st, 7);
		snprintf(v->code, sizeof v->code, "%s", stmt_text(st, 8));
	}
	if (stmt_status(st) != 0) {
		survey_questions_free(v->qs, v->n);
		free(v->qid);
		return stmt_status(st);
	}
	r->nversions++;
	*out = v;
	return 0;
}

static size_t
tally_slot(const struct recorder *r, const struct tally_entry *k)
{
	unsigned long long h = (unsigned long long)k->question_id * 1000003u;

	h ^= (unsigned long long)k->service_id * 0x9e3779b97f4a7c15ull;
	h ^= (unsigned long long)k->unit_id * 0xc2b2ae3d27d4eb4full;
	h ^= ((unsigned long long)k->month << 20) ^ ((unsigned long long)k->channel << 8) ^
	    (unsigned long long)(k->value + 1);
	h ^= h >> 29;
	return (size_t)(h & (r->tally_cap - 1));
}

static bool
same_key(const struct tally_entry *a, const struct tally_entry *b)
{
	return a->question_id == b->question_id && a->service_id == b->service_id &&
	    a->unit_id == b->unit_id && a->channel == b->channel && a->month == b->month &&
	    a->value == b->value;
}

static void tally_add(struct recorder *r, const struct tally_entry *k);

static void
tally_grow(struct recorder *r)
{
	struct tally_entry *old = r->tally;
	size_t cap = r->tally_cap;

	r->tally_cap = cap ? 2 * cap : 1024;
	r->tally = xcalloc(r->tally_cap, sizeof *r->tally);
	r->tally_used = 0;
	for (size_t i = 0; i < cap; i++)
		if (old[i].used)
			tally_add(r, &old[i]);
	free(old);
}

static void
tally_add(struct recorder *r, const struct tally_entry *k)
{
	if (2 * (r->tally_used + 1) > r->tally_cap)
		tally_grow(r);
	for (size_t i = tally_slot(r, k);; i = (i + 1) & (r->tally_cap - 1)) {
		struct tally_entry *e = &r->tally[i];
		if (!e->used) {
			*e = *k;
			e->used = true;
			r->tally_used++;
			return;
		}
		if (same_key(e, k)) {
			e->n += k->n;
			return;
		}
	}
}

static int
tally_flush(struct recorder *r)
{
	int rc = 0;

	for (size_t i = 0; i < r->tally_cap && rc == 0; i++) {
		const struct tally_entry *e = &r->tally[i];
		if (!e->used)
			continue;
		struct stmt *st = store_sql(r->ctx->store, "INSERT INTO survey_tally (question_id,"
		    " service_id, unit_id, channel, month, value, n) VALUES (?, ?, ?, ?, ?, ?, ?)"
		    " ON CONFLICT (question_id, service_id, unit_id, channel, month, value)"
		    " DO UPDATE SET n = survey_tally.n + excluded.n");
		stmt_bind_int(st, e->question_id);
		stmt_bind_int(st, e->service_id);
		stmt_bind_int(st, e->unit_id);
		stmt_bind_text(st, vocab_name(&channel_vocab, e->channel));
		stmt_bind_int(st, e->month);
		stmt_bind_int(st, e->value);
		stmt_bind_int(st, e->n);
		rc = stmt_run(st);
	}
	memset(r->tally, 0, r->tally_cap * sizeof *r->tally);
	r->tally_used = 0;
	return rc;
}

/* What a response is tied to, once its fields are checked. */
struct tie {
	long long survey_id, version_id, case_id, invitation_id, service_id, unit_id;
	int channel, month;
	time_t at;
	bool constructive;
	char subject[CODE_LEN + 1];	/* the case, for the invitation's event */
};

static int
tie_token(struct recorder *r, const char *token, struct tie *t, struct field_error *err)
{
	char hash[2 * SHA256_DIGEST_SIZE + 1];
	struct stmt *st = store_sql(r->ctx->store, "SELECT i.id, i.survey_id, i.version_id, i.case_id,"
	    " i.state, i.channel, c.service_id, c.unit_id, c.code FROM survey_invitation i"
	    " JOIN cases c ON c.id = i.case_id WHERE i.token_hash = ?");

	token_hash(token, hash);
	stmt_bind_text(st, hash);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : field_fail(err, "token", "no such invitation");
	bool answered = strcmp(stmt_text(st, 4), "open") != 0;
	t->invitation_id = stmt_int(st, 0);
	t->survey_id = stmt_int(st, 1);
	t->version_id = stmt_int(st, 2);
	t->case_id = stmt_int(st, 3);
	t->channel = vocab_parse(&channel_vocab, stmt_text(st, 5));
	t->service_id = stmt_int(st, 6);
	t->unit_id = stmt_int(st, 7);
	code_format(stmt_int(st, 8), t->subject, sizeof t->subject);
	stmt_reset(st);
	return answered ? field_fail(err, "token", "this invitation was answered before") : 0;
}

int
survey_invitation(struct context *ctx, const char *token, char **title, struct survey_question **qs,
    size_t *n, bool *answered)
{
	char hash[2 * SHA256_DIGEST_SIZE + 1];
	struct stmt *st = store_sql(ctx->store, "SELECT i.version_id, i.state, v.title"
	    " FROM survey_invitation i JOIN survey_version v ON v.id = i.version_id"
	    " WHERE i.token_hash = ?");
	struct recorder r = {.ctx = ctx};
	struct version *v;
	int rc;

	*title = NULL;
	*qs = NULL;
	*n = 0;
	token_hash(token, hash);
	stmt_bind_text(st, hash);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : EXIT_PARTIAL;
	long long version_id = stmt_int(st, 0);
	*answered = strcmp(stmt_text(st, 1), "open") != 0;
	*title = xstrdup(stmt_text(st, 2));
	stmt_reset(st);
	if ((rc = load_version(&r, version_id, &v)) != 0) {
		free(*title);
		*title = NULL;
		return rc;
	}
	*qs = v->qs;	/* taken from the recorder, which frees the rest */
	*n = v->n;
	v->qs = NULL;
	v->n = 0;
	recorder_free(&r);
	return 0;
}

static int
tie_case(struct recorder *r, const char *code_text, struct tie *t, struct field_error *err)
{
	const char *why;
	struct case_row row;
	tcode c;
	int rc;

	if (code_parse(code_text, &c, &why) != 0)
		return field_fail(err, "case", "%s: %s", text_quote(code_text), why);
	if ((rc = case_load(r->ctx, c, &row)) == EXIT_PARTIAL)
		return field_fail(err, "case", "%s: no such case", text_quote(code_text));
	if (rc != 0)
		return rc;
	t->case_id = row.id;
	t->service_id = row.service_id;
	t->unit_id = row.unit_id;
	memcpy(t->subject, row.subject, sizeof t->subject);
	struct stmt *st = store_sql(r->ctx->store, "SELECT id, version_id, channel FROM"
	    " survey_invitation WHERE case_id = ? AND survey_id = ? AND state = 'open'");
	stmt_bind_int(st, t->case_id);
	stmt_bind_int(st, t->survey_id);
	if (stmt_row(st)) {
		t->invitation_id = stmt_int(st, 0);
		t->version_id = stmt_int(st, 1);
		t->channel = vocab_parse(&channel_vocab, stmt_text(st, 2));
		stmt_reset(st);
	}
	return stmt_status(st);
}

/* The survey and version asked for, before a case's invitation may say otherwise. */
static int
tie_survey(struct recorder *r, const struct survey_response_input *in, struct tie *t,
    struct field_error *err)
{
	const char *code = in->survey && *in->survey ? in->survey : SURVEY_DEFAULT;
	int version, rc = survey_current(r->ctx, code, &t->survey_id, &t->version_id, &version);
	long n;

	if (rc == EXIT_PARTIAL)
		return field_fail(err, "survey", "%s: no such survey", text_quote(code));
	if (rc != 0 || in->version == NULL || *in->version == '\0')
		return rc;
	if (text_parse_long(in->version, 1, version, &n) != 0)
		return field_fail(err, "version", "%s: survey %s has versions 1 to %d",
		    text_quote(in->version), code, version);
	struct stmt *st = store_sql(r->ctx->store,
	    "SELECT id FROM survey_version WHERE survey_id = ? AND version = ?");
	stmt_bind_int(st, t->survey_id);
	stmt_bind_int(st, n);
	if (stmt_row(st)) {
		t->version_id = stmt_int(st, 0);
		stmt_reset(st);
	}
	return stmt_status(st);
}

static bool
given(const char *v)
{
	return v && *v;
}

static int
tie_place(struct recorder *r, const struct survey_response_input *in, struct tie *t,
    struct field_error *err)
{
	struct store *s = r->ctx->store;
	long long unit_of_service = 0;

	if (t->case_id && (given(in->service) || given(in->unit)))
		return field_fail(err, given(in->service) ? "service" : "unit",
		    "a response of a case is counted under the case's service and unit");
	if (t->case_id)
		return 0;
	if (!given(in->service) && !given(in->unit))
		return field_fail(err, "case", "a response needs a case or token, or a service or unit "
		    "(a desk's poll box)");
	if (given(in->service) && (t->service_id = service_find(s, in->service, &unit_of_service)) == 0)
		return field_fail(err, "service", "%s: no such service", text_quote(in->service));
	t->unit_id = unit_of_service;
	if (given(in->unit) && (t->unit_id = unit_find(s, in->unit)) == 0)
		return field_fail(err, "unit", "%s: no such unit", text_quote(in->unit));
	return 0;
}

static int
tie_rest(struct recorder *r, const struct survey_response_input *in, struct tie *t,
    struct field_error *err)
{
	struct cal_when when;
	const char *why;

	if (given(in->channel) && (t->channel = vocab_parse(&channel_vocab, in->channel)) < 0)
		return field_fail(err, "channel", "%s is not one of %s", text_quote(in->channel),
		    vocab_list(&channel_vocab, ", "));
	if (!given(in->channel) && !t->invitation_id)
		t->channel = t->case_id ? CHANNEL_OTHER : CHANNEL_DESK;
	t->at = r->ctx->now;
	if (given(in->at)) {
		if (cal_parse(in->at, CAL_AUTO, &when, &why) != 0)
			return field_fail(err, "at", "%s: %s", text_quote(in->at), why);
		if ((t->at = cal_when_time(&when)) > r->ctx->now)
			return field_fail(err, "at", "%s is in the future", text_quote(in->at));
	}
	t->month = survey_month_of(t->at);
	if (given(in->constructive) && parse_yes(in->constructive, &t->constructive) != 0)
		return field_fail(err, "constructive", "expected yes or no");
	return 0;
}

static int
tie_response(struct recorder *r, const struct survey_response_input *in, struct tie *t,
    struct field_error *err)
{
	int rc;

	memset(t, 0, sizeof *t);
	if (given(in->token) && given(in->case_code))
		return field_fail(err, "token", "give a case or a token, not both");
	if (given(in->token) && (given(in->survey) || given(in->version)))
		return field_fail(err, given(in->survey) ? "survey" : "version",
		    "a token names its survey and version");
	if (given(in->token))
		rc = tie_token(r, in->token, t, err);
	else if ((rc = tie_survey(r, in, t, err)) == 0 && given(in->case_code))
		rc = tie_case(r, in->case_code, t, err);
	if (rc == 0)
		rc = tie_place(r, in, t, err);
	if (rc == 0)
		rc = tie_rest(r, in, t, err);
	if (rc != 0 || !t->case_id)
		return rc;
	struct stmt *st = store_sql(r->ctx->store,
	    "SELECT 1 FROM survey_response WHERE survey_id = ? AND case_id = ?");
	stmt_bind_int(st, t->survey_id);
	stmt_bind_int(st, t->case_id);
	if (stmt_row(st)) {
		stmt_reset(st);
		return field_fail(err, given(in->token) ? "token" : "case",
		    "this case answered the survey before: one response a case");
	}
	return stmt_status(st);
}

/* One answer's values: a scale point, yes (1) or no (2), options from 1; *text for free text. */
struct values {
	int v[SURVEY_OPTIONS_MAX];
	int n;
	const char *text;
};

/* A question's name as an error's field, which outlives the version it came from. */
static const char *
field_name(const char *name)
{
	static char ring[4][SURVEY_CODE_MAX + 1];
	static int next;
	char *slot = ring[next++ % 4];

	snprintf(slot, SURVEY_CODE_MAX + 1, "%s", name);
	return slot;
}

static int
option_of(const struct survey_question *q, const char *v)
{
	long n;

	if (text_parse_long(v, 1, q->noptions, &n) == 0)
		return (int)n;
	for (int i = 0; i < q->noptions; i++)
		if (strcmp(q->options[i], v) == 0)
			return i + 1;
	return -1;
}

static int
parse_answer(const struct survey_question *q, const char *v, struct values *out,
    struct field_error *err)
{
	const char *why;
	bool yes;
	long n;

	memset(out, 0, sizeof *out);
	switch (q->kind) {
	case QUESTION_SCALE:
		if (text_parse_long(v, 1, SURVEY_SCALE_POINTS, &n) != 0)
			return field_fail(err, field_name(q->name), "%s is out of range: expected 1 to %d", text_quote(v),
			    SURVEY_SCALE_POINTS);
		out->v[out->n++] = (int)n;
		return 0;
	case QUESTION_YESNO:
		if (strcmp(v, "بله") == 0 || strcmp(v, "خیر") == 0)
			yes = strcmp(v, "بله") == 0;
		else if (parse_yes(v, &yes) != 0)
			return field_fail(err, field_name(q->name), "%s: expected yes or no", text_quote(v));
		out->v[out->n++] = yes ? 1 : 2;
		return 0;
	case QUESTION_CHOICE:
	case QUESTION_MULTI: {
		char *copy = xstrdup(v), *save = NULL;
		int rc = 0;
		for (char *o = strtok_r(copy, "|", &save); o && rc == 0; o = strtok_r(NULL, "|", &save)) {
			int k = option_of(q, strip(o));
			bool twice = false;
			for (int i = 0; i < out->n; i++)
				twice |= out->v[i] == k;
			if (k < 0)
				rc = field_fail(err, field_name(q->name), "%s is not an option (1 to %d, or its label)",
				    text_quote(strip(o)), q->noptions);
			else if (twice)
				rc = field_fail(err, field_name(q->name), "option %d chosen twice", k);
			else if (q->kind == QUESTION_CHOICE && out->n == 1)
				rc = field_fail(err, field_name(q->name), "one choice only");
			else
				out->v[out->n++] = k;
		}
		free(copy);
		return rc;
	}
	default:
		if ((why = text_check(v, SURVEY_ANSWER_MAX, TEXT_LINES)) != NULL)
			return field_fail(err, field_name(q->name), "%s", why);
		out->text = v;
		return 0;
	}
}

static int
find_question(const struct version *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->qs[i].name, name) == 0)
			return (int)i;
	return -1;
}

static char *
question_names(const struct version *v)
{
	struct buf b = {0};

	for (size_t i = 0; i < v->n; i++) {
		if (i)
			buf_adds(&b, ", ");
		buf_adds(&b, v->qs[i].name);
	}
	return b.data;
}

/* The answers of in against the version: each question once, known, its value good, the required ones there. */
static int
check_answers(const struct version *v, const struct survey_response_input *in,
    struct values *vals, struct field_error *err)
{
	int answered = 0;

	memset(vals, 0, v->n * sizeof *vals);
	for (size_t i = 0; i < v->n; i++)
		vals[i].n = -1;	/* not given */
	for (int a = 0; a < in->nanswers; a++) {
		int i = find_question(v, in->answers[a].question);
		if (i < 0) {
			char *names = question_names(v);
			field_fail(err, field_name(in->answers[a].question), "unknown question of survey %s version %d "
			    "(questions: %s)", v->code, v->version, names);
			free(names);
			return -1;
		}
		if (vals[i].n != -1)
			return field_fail(err, field_name(v->qs[i].name), "answered twice");
		if (!given(in->answers[a].value)) {
			vals[i].n = 0;
			continue;
		}
		if (parse_answer(&v->qs[i], in->answers[a].value, &vals[i], err) != 0)
			return -1;
		answered++;
	}
	for (size_t i = 0; i < v->n; i++) {
		if (vals[i].n == -1)
			vals[i].n = 0;
		if (v->qs[i].required && vals[i].n == 0 && vals[i].text == NULL)
			return field_fail(err, field_name(v->qs[i].name), "required, and not answered");
	}
	return answered ? 0 : field_fail(err, "answers", "a response with no answer");
}

static int
put_answer(struct store *s, long long response_id, long long qid, int value, const char *text)
{
	struct stmt *st = store_sql(s, "INSERT INTO survey_answer (response_id, question_id, value,"
	    " text) VALUES (?, ?, ?, ?)");

	stmt_bind_int(st, response_id);
	stmt_bind_int(st, qid);
	stmt_bind_int(st, value);
	stmt_bind_text(st, text);
	return stmt_run(st);
}

static int
store_response(struct recorder *r, const struct version *v, const struct tie *t,
    const struct values *vals, long long *id)
{
	struct store *s = r->ctx->store;
	struct stmt *st = store_sql(s, "INSERT INTO survey_response (survey_id, version_id, case_id,"
	    " invitation_id, service_id, unit_id, channel, at, month, constructive)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	char subject[24];
	int rc;

	stmt_bind_int(st, t->survey_id);
	stmt_bind_int(st, t->version_id);
	stmt_bind_id(st, t->case_id);
	stmt_bind_id(st, t->invitation_id);
	stmt_bind_id(st, t->service_id);
	stmt_bind_id(st, t->unit_id);
	stmt_bind_text(st, vocab_name(&channel_vocab, t->channel));
	stmt_bind_int(st, (long long)t->at);
	stmt_bind_int(st, t->month);
	stmt_bind_int(st, t->constructive);
	if ((rc = stmt_run(st)) != 0)
		return store_is_duplicate(s) ? store_failf(s, "the case answered the survey before") : rc;
	*id = store_last_id(s);
	for (size_t i = 0; i < v->n && rc == 0; i++) {
		struct tally_entry k = {.question_id = v->qid[i], .service_id = t->service_id,
		    .unit_id = t->unit_id, .channel = t->channel, .month = t->month, .n = 1};
		if (vals[i].text) {
			rc = put_answer(s, *id, v->qid[i], 0, vals[i].text);
			continue;
		}
		if (vals[i].n == 0)
			continue;
		tally_add(r, &k);	/* value 0: it was answered */
		for (int j = 0; j < vals[i].n && rc == 0; j++) {
			k.value = vals[i].v[j];
			tally_add(r, &k);
			rc = put_answer(s, *id, v->qid[i], vals[i].v[j], NULL);
		}
	}
	if (rc == 0 && t->invitation_id) {
		st = store_sql(s, "UPDATE survey_invitation SET state = 'answered' WHERE id = ?");
		stmt_bind_int(st, t->invitation_id);
		if ((rc = stmt_run(st)) == 0)
			rc = audit_record(s, RECORD_INVITATION, t->invitation_id, t->subject, "answered",
			    "open", "answered", NULL);
	}
	if (rc == 0)
		rc = audit_record(s, RECORD_RESPONSE, *id, decimal(*id, 1, subject), "add", NULL, NULL,
		    v->code);
	return rc;
}

static int
record_one(struct recorder *r, const struct survey_response_input *in, long long *id,
    struct field_error *err)
{
	struct values vals[SURVEY_QUESTIONS_MAX];
	struct version *v = NULL;
	struct tie t;
	int rc;

	err->field = NULL;
	if ((rc = tie_response(r, in, &t, err)) != 0 || (rc = load_version(r, t.version_id, &v)) != 0)
		return rc ? rc : -1;
	if (check_answers(v, in, vals, err) != 0)
		return -1;
	return store_response(r, v, &t, vals, id);
}

struct one {
	struct recorder *r;
	const struct survey_response_input *in;
	long long *id;
	struct field_error *err;
};

static int
record_atomic(struct store *s, void *arg)
{
	struct one *o = arg;
	int rc = record_one(o->r, o->in, o->id, o->err);

	(void)s;
	if (rc == 0)
		rc = tally_flush(o->r);
	return rc < 0 ? EXIT_FATAL : rc;
}

int
survey_record(struct context *ctx, const struct survey_response_input *in,
    long long *response_id, struct field_error *err)
{
	struct recorder r = {.ctx = ctx};
	struct one o = {&r, in, response_id, err};
	int rc = store_atomic(ctx->store, record_atomic, &o);

	recorder_free(&r);
	return rc;
}

/* ---- many responses -------------------------------------------------------------- */

/* The fields of a response line that are not answers (JSON keys, TSV columns). */
enum { RF_SURVEY, RF_VERSION, RF_CASE, RF_TOKEN, RF_SERVICE, RF_UNIT, RF_CHANNEL, RF_AT,
	RF_CONSTRUCTIVE, RF_COUNT };
static const char *const rf_names[RF_COUNT] = {"survey", "version", "case", "token", "service",
	"unit", "channel", "at", "constructive"};

static const char **
response_field(struct survey_response_input *in, int f)
{
	const char **slots[RF_COUNT] = {&in->survey, &in->version, &in->case_code, &in->token,
		&in->service, &in->unit, &in->channel, &in->at, &in->constructive};
	return slots[f];
}

static int
rf_index(const char *name)
{
	for (int i = 0; i < RF_COUNT; i++)
		if (strcmp(rf_names[i], name) == 0)
			return i;
	return -1;
}

/* A value by its name: a field of the response, else the answer to that question. */
static int
put_value(struct survey_response_input *in, const char *name, const char *value,
    struct field_error *err)
{
	int f = rf_index(name);

	if (f >= 0) {
		*response_field(in, f) = value;
		return 0;
	}
	if (in->nanswers == SURVEY_QUESTIONS_MAX)
		return field_fail(err, name, "more than %d answers", SURVEY_QUESTIONS_MAX);
	in->answers[in->nanswers++] = (struct survey_answer_input){name, value};
	return 0;
}

/* The texts a JSON line's values became, freed after its line. */
struct arena {
	char **s;
	size_t n, cap;
};

static const char *
keep(struct arena *a, char *s)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		a->s = xrealloc(a->s, a->cap * sizeof *a->s);
	}
	return a->s[a->n++] = s;
}

static void
arena_clear(struct arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->s[i]);
	a->n = 0;
}

/* A JSON value as the text an option gives: numbers, true/false, an array of choices. */
static const char *
json_value_text(const json_t *v, struct arena *a, const char *name, struct field_error *err)
{
	bool nul = false;
	const char *t;

	if (json_is_null(v))
		return NULL;
	if (json_is_integer(v))
		return keep(a, xasprintf("%lld", (long long)json_integer_value(v)));
	if (json_is_boolean(v))
		return json_is_true(v) ? "yes" : "no";
	if (json_is_array(v)) {
		struct buf b = {0};
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item) {
			const char *one = json_is_integer(item) || json_is_string(item)
			    ? json_value_text(item, a, name, err) : NULL;
			if (one == NULL || strchr(one, '|')) {
				buf_free(&b);
				field_fail(err, name, "expected an array of option numbers or labels");
				return (const char *)-1;
			}
			if (b.len)
				buf_addc(&b, '|');
			buf_adds(&b, one);
		}
		return keep(a, b.data ? b.data : xstrdup(""));
	}
	if ((t = json_text(v, &nul)) == NULL || nul) {
		field_fail(err, name, nul ? "contains a NUL character (\\u0000)"
		    : "expected a string, a number or true/false, not %s", json_type_name(v));
		return (const char *)-1;
	}
	return t;
}

static int
json_response(const json_t *obj, struct survey_response_input *in, struct arena *a,
    struct field_error *err)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v) {
		const char *text = json_value_text(v, a, key, err);
		if (text == (const char *)-1 || put_value(in, key, text, err) != 0)
			return -1;
	}
	return 0;
}

static void
tsv_unescape(char *s)
{
	char *w = s;

	for (char *r = s; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r == 'r' ? '\r' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

struct tsv_header {
	char **names;
	int n;
};

static int
tsv_response(char *line, const struct tsv_header *h, struct survey_response_input *in,
    struct field_error *err)
{
	int i = 0;

	for (char *f = strsep(&line, "\t"); f; f = strsep(&line, "\t"), i++) {
		if (i >= h->n)
			return field_fail(err, "tsv", "more fields than the header's %d", h->n);
		tsv_unescape(f);
		if (put_value(in, h->names[i], f, err) != 0)
			return -1;
	}
	return i == h->n ? 0 : field_fail(err, "tsv", "%d fields where the header has %d", i, h->n);
}

static int
tsv_read_header(char *line, struct tsv_header *h, struct field_error *err)
{
	for (char *f = strsep(&line, "\t"); f; f = strsep(&line, "\t")) {
		for (int i = 0; i < h->n; i++)
			if (strcmp(h->names[i], f) == 0)
				return field_fail(err, "tsv", "column %s named twice", text_quote(f));
		if (*f == '\0')
			return field_fail(err, "tsv", "a column with no name in the header");
		h->names = xrealloc(h->names, (size_t)(h->n + 1) * sizeof *h->names);
		h->names[h->n++] = xstrdup(f);
	}
	return 0;
}

struct batch {
	struct context *ctx;
	FILE *in;
	enum survey_batch_format fmt;
	void (*progress)(size_t, void *);
	void *arg;
	struct survey_batch_result *res;
	struct recorder r;
};

static int
batch_line(struct batch *b, struct lines *l, char *line, size_t len, struct tsv_header *h,
    struct arena *a)
{
	struct survey_response_input in;
	struct json_fault fault;
	long long id;
	int rc;

	memset(&in, 0, sizeof in);
	if (b->fmt == SURVEY_TSV && h->n == 0)
		return tsv_read_header(line, h, &b->res->err);
	if (b->fmt == SURVEY_TSV) {
		rc = tsv_response(line, h, &in, &b->res->err);
	} else {
		json_t *obj = json_parse_object(line, len, &fault);
		if (obj == NULL)
			return field_fail(&b->res->err, fault.key[0] ? "json" : "json", "column %d: %s",
			    fault.column, fault.why);
		rc = json_response(obj, &in, a, &b->res->err);
		if (rc == 0)
			rc = record_one(&b->r, &in, &id, &b->res->err);
		json_decref(obj);
		arena_clear(a);
		b->res->stored += rc == 0;
		return rc;
	}
	(void)l;
	if (rc == 0 && (rc = record_one(&b->r, &in, &id, &b->res->err)) == 0)
		b->res->stored++;
	return rc;
}

static int
batch_all(struct store *s, void *arg)
{
	static const struct lines_options opt = {.max = 1 << 20, .utf8 = true};
	struct batch *b = arg;
	struct lines *l = lines_open(b->in, "stdin", &opt);
	struct tsv_header h = {0};
	struct arena a = {0};
	size_t len;
	char *line;
	int rc = 0;

	(void)s;
	while (rc == 0 && (line = lines_next(l, &len)) != NULL) {
		b->res->lines = lines_number(l);
		if (len == 0 || (b->fmt == SURVEY_JSON && *strip(line) == '\0'))
			continue;
		if ((rc = batch_line(b, l, line, len, &h, &a)) != 0)
			b->res->bad_line = lines_number(l);
		if (b->progress && b->res->lines % 4096 == 0)
			b->progress(b->res->lines, b->arg);
	}
	if (rc == 0 && lines_error(l)) {
		b->res->bad_line = lines_number(l);
		rc = field_fail(&b->res->err, "line", "%s", lines_why(l));
	}
	if (rc == 0 && b->fmt == SURVEY_TSV && h.n == 0)
		rc = field_fail(&b->res->err, "tsv", "no header line");
	if (rc == 0)
		rc = tally_flush(&b->r);
	for (int i = 0; i < h.n; i++)
		free(h.names[i]);
	free(h.names);
	arena_clear(&a);
	free(a.s);
	lines_close(l);
	return rc < 0 ? EXIT_FATAL : rc;
}

int
survey_record_batch(struct context *ctx, FILE *in, enum survey_batch_format fmt,
    void (*progress)(size_t lines, void *arg), void *arg, struct survey_batch_result *res)
{
	struct batch b = {.ctx = ctx, .in = in, .fmt = fmt, .progress = progress, .arg = arg,
	    .res = res, .r = {.ctx = ctx}};
	int rc;

	memset(res, 0, sizeof *res);
	rc = store_atomic(ctx->store, batch_all, &b);
	recorder_free(&b.r);
	if (rc != 0)
		res->stored = 0;
	return rc;
}

static const struct column question_cols[] = {
	{"survey", COL_TEXT}, {"version", COL_INT}, {"position", COL_INT}, {"name", COL_TEXT},
	{"kind", COL_TEXT}, {"required", COL_TEXT}, {"text", COL_TEXT}, {"options", COL_TEXT},
	{"responses", COL_INT},
};

const struct column *
survey_question_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(question_cols);
	return question_cols;
}

int
survey_show(struct context *ctx, const char *code, int version, struct printer *p)
{
	struct stmt *st = store_sql(ctx->store, "SELECT v.version, q.position, q.name, q.kind,"
	    " q.required, q.text, q.options, (SELECT count(*) FROM survey_response r"
	    " WHERE r.version_id = v.id) FROM survey s JOIN survey_version v ON v.survey_id = s.id"
	    " JOIN survey_question q ON q.version_id = v.id WHERE s.code = ? AND v.version ="
	    " CASE WHEN ? = 0 THEN (SELECT max(version) FROM survey_version w WHERE w.survey_id = s.id)"
	    " ELSE ? END ORDER BY q.position");
	bool any = false;

	stmt_bind_text(st, code);
	stmt_bind_int(st, version);
	stmt_bind_int(st, version);
	while (stmt_row(st)) {
		any = true;
		printer_text(p, code);
		printer_int(p, stmt_int(st, 0));
		printer_int(p, stmt_int(st, 1));
		printer_text(p, stmt_text(st, 2));
		printer_text(p, stmt_text(st, 3));
		printer_text(p, stmt_int(st, 4) ? "yes" : "no");
		printer_text(p, stmt_text(st, 5));
		printer_text(p, stmt_text(st, 6));
		printer_int(p, stmt_int(st, 7));
		printer_row(p);
	}
	if (stmt_status(st) != 0)
		return stmt_status(st);
	if (!any)
		store_fail_field(ctx->store, "survey", "%s: no such survey or version", text_quote(code));
	return any ? 0 : EXIT_PARTIAL;
}
