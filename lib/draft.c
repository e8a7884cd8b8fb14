/*
 * draft.c — draft regulations, their versions and articles, the comment
 * window and the one table of a draft's moves (see draft.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "caltime.h"
#include "draft.h"
#include "exitcode.h"
#include "jalali.h"
#include "notice.h"
#include "text.h"
#include "unit.h"
#include "util.h"
#include "wdiff.h"

/*
 * The one table of what may be done to a draft in each state, and the
 * state it leaves: anything else is refused and changes nothing. A
 * version once out for comment is never edited: a revision adds one, and
 * not while the window is open (the comments name its articles).
 */
static const struct move {
	const char *what;
	int from, to;
} moves[] = {
	{"revise", DRAFT_PENDING, DRAFT_PENDING},
	{"revise", DRAFT_CLOSED, DRAFT_CLOSED},
	{"open", DRAFT_PENDING, DRAFT_OPEN},
	{"close", DRAFT_OPEN, DRAFT_CLOSED},
	{"extend", DRAFT_OPEN, DRAFT_OPEN},
	{"extend", DRAFT_CLOSED, DRAFT_OPEN},
	{"final", DRAFT_CLOSED, DRAFT_FINAL},
	{"comment", DRAFT_OPEN, DRAFT_OPEN},
	{"comment", DRAFT_CLOSED, DRAFT_CLOSED},
	{"disposition", DRAFT_OPEN, DRAFT_OPEN},
	{"disposition", DRAFT_CLOSED, DRAFT_CLOSED},
	{"disposition", DRAFT_FINAL, DRAFT_FINAL},
};

/* The move `what` from state `from`, or NULL. */
static const struct move *
move_of(const char *what, int from)
{
	for (size_t i = 0; i < ARRAY_SIZE(moves); i++)
		if (strcmp(moves[i].what, what) == 0 && moves[i].from == from)
			return &moves[i];
	return NULL;
}

/* The states `what` may be done in, for the refusal. */
static char *
states_for(const char *what)
{
	struct buf b = {0};

	for (size_t i = 0; i < ARRAY_SIZE(moves); i++)
		if (strcmp(moves[i].what, what) == 0) {
			if (b.len)
				buf_adds(&b, " or ");
			buf_adds(&b, vocab_name(&draft_state_vocab, moves[i].from));
		}
	return b.data ? b.data : xstrdup("no state");
}

static int
refuse_move(struct context *ctx, const char *code, const char *what, int state)
{
	char *states = states_for(what);
	int rc = store_failf(ctx->store, "%s: it is %s: a draft can be %s only when %s", code,
	    vocab_name(&draft_state_vocab, state),
	    !strcmp(what, "revise") ? "revised" : !strcmp(what, "open") ? "opened"
	    : !strcmp(what, "close") ? "closed" : !strcmp(what, "extend") ? "extended"
	    : !strcmp(what, "final") ? "made final" : "commented on", states);
	free(states);
	return rc == EXIT_FATAL ? EXIT_PARTIAL : rc;
}

/* --- parsing -------------------------------------------------------------- */

#define WORD_MADDE "\xd9\x85\xd8\xa7\xd8\xaf\xd9\x87"	/* ماده */
#define WORD_VAHEDE "\xd9\x88\xd8\xa7\xd8\xad\xd8\xaf\xd9\x87"	/* واحده */

/* A digit in any of the three scripts at s: its value and length, or -1. */
static int
digit_at(const char *s, int *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] >= '0' && u[0] <= '9') {
		*len = 1;
		return u[0] - '0';
	}
	if (u[0] == 0xDB && u[1] >= 0xB0 && u[1] <= 0xB9) {	/* U+06F0.. Persian */
		*len = 2;
		return u[1] - 0xB0;
	}
	if (u[0] == 0xD9 && u[1] >= 0xA0 && u[1] <= 0xA9) {	/* U+0660.. Arabic-Indic */
		*len = 2;
		return u[1] - 0xA0;
	}
	return -1;
}

static const char *
skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* What may stand between an article's number and its title. */
static const char *
skip_separator(const char *s)
{
	static const char *const seps[] = {"-", ":", ".", ")", "\xd9\x80" /* ـ */,
	    "\xe2\x80\x93" /* – */, "\xe2\x80\x94" /* — */};

	for (size_t i = 0; i < ARRAY_SIZE(seps); i++)
		if (strncmp(s, seps[i], strlen(seps[i])) == 0)
			return skip_blanks(s + strlen(seps[i]));
	return NULL;
}

/*
 * An article's heading: "## title", or "ماده N" with a separator or
 * nothing after the number ("ماده ۵ قانون …" in a sentence is not one),
 * or "ماده واحده" (the single article). *number is 0 for a "## " heading.
 */
static bool
heading(const char *line, int *number, const char **title)
{
	const char *s = skip_blanks(line);
	int len, d;

	if (strncmp(s, "## ", 3) == 0) {
		*number = 0;
		*title = skip_blanks(s + 3);
		return **title != '\0';
	}
	if (strncmp(s, WORD_MADDE, strlen(WORD_MADDE)) != 0)
		return false;
	s = skip_blanks(s + strlen(WORD_MADDE));
	if (strncmp(s, WORD_VAHEDE, strlen(WORD_VAHEDE)) == 0) {
		*number = 1;
		s = skip_blanks(s + strlen(WORD_VAHEDE));
		const char *after = skip_separator(s);
		*title = after ? after : s;
		return true;
	}
	long n = 0;
	int digits = 0;
	while ((d = digit_at(s, &len)) >= 0 && digits < 5) {
		n = 10 * n + d;
		s += len;
		digits++;
	}
	if (digits == 0 || digits == 5 || n == 0)
		return false;
	s = skip_blanks(s);
	const char *after = *s ? skip_separator(s) : s;
	if (after == NULL)
		return false;
	*number = (int)n;
	*title = after;
	return true;
}

static char *
trimmed(struct buf *b)
{
	char *s = b->data ? b->data : "";
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (*s == '\n')
		s++, n--;
	return xstrndup(s, n);
}

static void
add_article(struct draft_text *t, size_t *cap, int number, const char *line, const char *title)
{
	if (t->n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		t->articles = xrealloc(t->articles, *cap * sizeof *t->articles);
	}
	struct draft_article *a = &t->articles[t->n++];
	char *h = xstrdup(skip_blanks(line));
	a->number = number ? number : (int)t->n;
	a->heading = strip(h);
	a->title = xstrdup(title);
	strip(a->title);
	a->body = NULL;
}

int
draft_parse(const char *text, struct draft_text *out, char *why, size_t whysize)
{
	struct buf body = {0};
	size_t cap = 0;

	memset(out, 0, sizeof *out);
	for (const char *line = text ? text : ""; *line;) {
		size_t n = strcspn(line, "\n");
		char *l = xstrndup(line, n);
		if (n && l[n - 1] == '\r')
			l[n - 1] = '\0';
		int number;
		const char *title;
		if (heading(l, &number, &title)) {
			if (out->n == 0)
				out->preamble = trimmed(&body);
			else
				out->articles[out->n - 1].body = trimmed(&body);
			buf_free(&body);
			add_article(out, &cap, number, l, title);
		} else {
			buf_adds(&body, l);
			buf_addc(&body, '\n');
		}
		free(l);
		line += n + (line[n] == '\n');
	}
	if (out->n == 0) {
		buf_free(&body);
		draft_text_free(out);
		snprintf(why, whysize, "the text has no articles: begin each with a line 'ماده ۱ - …' "
		    "(its notes as 'تبصره' lines under it) or a '## ' heading");
		return -1;
	}
	out->articles[out->n - 1].body = trimmed(&body);
	buf_free(&body);
	if (out->n > DRAFT_ARTICLES_MAX) {
		snprintf(why, whysize, "more than %d articles", DRAFT_ARTICLES_MAX);
		draft_text_free(out);
		return -1;
	}
	for (size_t i = 0; i < out->n; i++)
		for (size_t j = 0; j < i; j++)
			if (out->articles[i].number == out->articles[j].number) {
				snprintf(why, whysize, "article %d is there twice (the %zuth and the %zuth)",
				    out->articles[i].number, j + 1, i + 1);
				draft_text_free(out);
				return -1;
			}
	return 0;
}

void
draft_text_free(struct draft_text *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->articles[i].heading);
		free(t->articles[i].title);
		free(t->articles[i].body);
	}
	free(t->articles);
	free(t->preamble);
	memset(t, 0, sizeof *t);
}

/* What two versions' articles are compared by: the title and the body. */
static char *
article_words(const struct draft_article *a)
{
	return xasprintf("%s\n%s", a->title, a->body);
}

/* --- the record and its events --------------------------------------------- */

struct row {
	long long id, unit_id;
	int state, window_days, versions, comment_version;
	time_t closes;
	char code[DRAFT_CODE_SIZE];
};

/* Steps st (one `?`: the code) to the draft's row: 0, EXIT_PARTIAL when
 * there is none (said so), or the store's status. */
static int
find_draft(struct context *ctx, struct stmt *st, const char *code)
{
	stmt_bind_text(st, code);
	if (stmt_row(st))
		return 0;
	if (stmt_status(st) != 0)
		return stmt_status(st);
	store_failf(ctx->store, "%s: no such draft", text_quote(code));
	return EXIT_PARTIAL;
}

static int
load_row(struct context *ctx, const char *code, struct row *r)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT d.id, d.state, d.window_days, d.closes, d.unit_id, d.comment_version,"
	    " (SELECT count(*) FROM draft_version v WHERE v.draft_id = d.id)"
	    " FROM draft d WHERE d.code = ?");
	int rc;

	memset(r, 0, sizeof *r);
	if ((rc = find_draft(ctx, st, code)) != 0)
		return rc;
	r->id = stmt_int(st, 0);
	r->state = vocab_parse(&draft_state_vocab, stmt_text(st, 1));
	r->window_days = (int)stmt_int(st, 2);
	r->closes = (time_t)stmt_int(st, 3);
	r->unit_id = stmt_int(st, 4);
	r->comment_version = (int)stmt_int(st, 5);
	r->versions = (int)stmt_int(st, 6);
	snprintf(r->code, sizeof r->code, "%s", code);
	stmt_reset(st);
	return 0;
}

/* The event of a change to a draft, after its rows changed. */
static int
draft_event(struct context *ctx, const struct row *r, const char *what, const char *before,
    const char *after, const char *note, long long *event_id)
{
	struct stmt *st = store_sql(ctx->store, "UPDATE draft SET changed = ? WHERE id = ?");
	int rc;

	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, r->id);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	struct event_input ev = {
		.kind = vocab_name(&record_vocab, RECORD_DRAFT), .subject_id = r->id,
		.subject = r->code, .at = ctx->now, .what = what, .before = before, .after = after,
		.note = note,
	};
	return audit_append(ctx->store, &ev, event_id);
}

/* "1405-09-15 23:59:59" as admins read it, for events and messages. */
static char *
shown_time(struct context *ctx, time_t t, char *buf, size_t n)
{
	int sec;
	long day = cal_local_day(t, &sec);
	char d[32];

	cal_format_day(day, cal_latin(ctx->cfg->shown.cal), d, sizeof d);
	snprintf(buf, n, "%s %02d:%02d:%02d", d, sec / 3600, sec / 60 % 60, sec % 60);
	return buf;
}

/* --- versions and their articles ------------------------------------------- */

static int
check_text(struct context *ctx, const char *text, struct draft_text *t)
{
	char why[256];
	const char *bad = text_check(text, DRAFT_TEXT_MAX, TEXT_LINES);

	if (bad)
		return store_fail_field(ctx->store, "text", "%s", bad);
	if (draft_parse(text, t, why, sizeof why) != 0)
		return store_fail_field(ctx->store, "text", "%s", why);
	return 0;
}

/* The articles of the version before, as parsed, with their rows and identities. */
struct old_article {
	long long id;
	int ident;
	char *words;
	bool taken;
};

static struct old_article *
old_articles(struct context *ctx, long long draft_id, int version, size_t *n)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT v.text, a.id, a.ident FROM draft_version v JOIN draft_article a"
	    " ON a.version_id = v.id WHERE v.draft_id = ? AND v.number = ? ORDER BY a.position");
	struct old_article *old = NULL;
	struct draft_text t = {0};
	char why[256];
	size_t i = 0;

	*n = 0;
	stmt_bind_int(st, draft_id);
	stmt_bind_int(st, version);
	while (stmt_row(st)) {
		if (i == 0) {
			if (draft_parse(stmt_text(st, 0), &t, why, sizeof why) != 0)
				break;	/* a stored version always parsed */
			old = xcalloc(t.n, sizeof *old);
		}
		if (i < t.n) {
			old[i].id = stmt_int(st, 1);
			old[i].ident = (int)stmt_int(st, 2);
			old[i].words = article_words(&t.articles[i]);
			i++;
		}
	}
	*n = i;
	draft_text_free(&t);
	return old;
}

/*
 * Each article of the new version is matched to one of the version
 * before: the same words first (an article moved or renumbered by an
 * insertion is still itself), then the most alike of the rest if at least
 * half its words are kept; the rest are new, with identities of their own.
 */
#define MATCH_AT_LEAST 0.5

static int
match_article(struct old_article *old, size_t nold, const char *words, const char **how)
{
	int best = -1;
	double best_score = MATCH_AT_LEAST;

	for (size_t i = 0; i < nold; i++)
		if (!old[i].taken && strcmp(old[i].words, words) == 0) {
			old[i].taken = true;
			*how = "same";
			return (int)i;
		}
	for (size_t i = 0; i < nold; i++) {
		if (old[i].taken)
			continue;
		struct wdiff d;
		wdiff_words(old[i].words, words, &d);
		double score = wdiff_similarity(&d);
		wdiff_free(&d);
		if (score >= best_score) {
			best_score = score;
			best = (int)i;
		}
	}
	if (best >= 0) {
		old[best].taken = true;
		*how = "edited";
	} else {
		*how = "new";
	}
	return best;
}

static int
insert_version(struct context *ctx, const struct row *r, const char *text,
    const struct draft_text *t, int number, char **mapping)
{
	struct stmt *st = store_sql(ctx->store,
	    "INSERT INTO draft_version (draft_id, number, text, created) VALUES (?, ?, ?, ?)");
	size_t nold = 0;
	struct old_article *old = NULL;
	struct buf map = {0};
	int rc, next_ident = 1;

	stmt_bind_int(st, r->id);
	stmt_bind_int(st, number);
	stmt_bind_text(st, text);
	stmt_bind_int(st, (long long)ctx->now);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	long long version_id = store_last_id(ctx->store);
	if (number > 1) {
		old = old_articles(ctx, r->id, number - 1, &nold);
		st = store_sql(ctx->store, "SELECT coalesce(max(a.ident), 0) FROM draft_article a"
		    " JOIN draft_version v ON v.id = a.version_id WHERE v.draft_id = ?");
		stmt_bind_int(st, r->id);
		if (stmt_row(st)) {
			next_ident = (int)stmt_int(st, 0) + 1;
			stmt_reset(st);
		}
	}
	for (size_t i = 0; rc == 0 && i < t->n; i++) {
		char *words = article_words(&t->articles[i]);
		const char *how = "first";
		int m = number > 1 ? match_article(old, nold, words, &how) : -1;
		free(words);
		st = store_sql(ctx->store,
		    "INSERT INTO draft_article (version_id, position, number, heading, body, ident,"
		    " prev_id, matched) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
		stmt_bind_int(st, version_id);
		stmt_bind_int(st, (long long)i + 1);
		stmt_bind_int(st, t->articles[i].number);
		stmt_bind_text(st, t->articles[i].heading);
		stmt_bind_text(st, t->articles[i].body);
		stmt_bind_int(st, m >= 0 ? old[m].ident : next_ident++);
		stmt_bind_id(st, m >= 0 ? old[m].id : 0);
		stmt_bind_text(st, how);
		rc = stmt_run(st);
		if (number > 1)
			buf_addf(&map, "%s%d:%s", map.len ? " " : "", t->articles[i].number, how);
	}
	for (size_t i = 0; i < nold; i++)
		free(old[i].words);
	free(old);
	*mapping = map.data;
	return rc;
}

/* --- drafts --------------------------------------------------------------- */

/* D-YYYY-NNNN: the Solar Hijri year it was registered in, and its place in that year. */
static int
next_code(struct context *ctx, char code[DRAFT_CODE_SIZE])
{
	struct ymd y = cal_jdn_to_jalali(cal_local_day(ctx->now, NULL));
	char prefix[16];
	long n = 0;

	snprintf(prefix, sizeof prefix, "D-%04d-", y.y % 10000);
	struct stmt *st = store_sql(ctx->store,
	    "SELECT count(*) FROM draft WHERE substr(code, 1, 7) = ?");
	stmt_bind_text(st, prefix);
	if (stmt_row(st)) {
		n = (long)stmt_int(st, 0);
		stmt_reset(st);
	}
	if (stmt_status(st) != 0)
		return stmt_status(st);
	if (n >= 9999)
		return store_failf(ctx->store, "there are 9999 drafts of %d already", y.y);
	snprintf(code, DRAFT_CODE_SIZE, "%.7s%04d", prefix, (int)(n + 1) % 10000);
	return 0;
}


/* A function of the context in a transaction of its own (store_atomic). */
struct atomic {
	struct context *ctx;
	int (*fn)(struct context *ctx, void *arg);
	void *arg;
};

static int
call(struct store *s, void *arg)
{
	(void)s;
	struct atomic *a = arg;
	return a->fn(a->ctx, a->arg);
}

static int
atomically(struct context *ctx, int (*fn)(struct context *ctx, void *arg), void *arg)
{
	struct atomic a = {ctx, fn, arg};
	return store_atomic(ctx->store, call, &a);
}

/* A reason given with a step: one line, as a case's note (case.h's NOTE_MAX). */
#define DRAFT_NOTE_MAX 1000

static int
check_note(struct context *ctx, const char *field, const char *v)
{
	const char *why = text_check(v, DRAFT_NOTE_MAX, TEXT_LINE);

	return why ? store_fail_field(ctx->store, field, "%s", why) : 0;
}

static bool
blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

static int
check_input(struct context *ctx, const struct draft_input *in, long long *unit_id, long *window,
    time_t *publish_at)
{
	const char *why;
	struct cal_when when;

	if (in->title == NULL || blank(in->title))
		return store_fail_field(ctx->store, "title", "a draft needs a title");
	if ((why = text_check(in->title, DRAFT_TITLE_MAX, TEXT_LINE)) != NULL)
		return store_fail_field(ctx->store, "title", "%s", why);
	if (in->unit == NULL || *in->unit == '\0')
		return store_fail_field(ctx->store, "unit", "a draft needs the unit responsible for it");
	if ((*unit_id = unit_find(ctx->store, in->unit)) == 0)
		return store_fail_field(ctx->store, "unit", "no unit %s", text_quote(in->unit));
	*window = in->window_given ? in->window
	    : in->origin == ORIGIN_HIGHER ? ctx->cfg->window_higher : ctx->cfg->window_internal;
	if (*window <= 0 || *window > DRAFT_WINDOW_MAX)
		return store_fail_field(ctx->store, "window", "%ld days: a comment window is 1 to %d "
		    "days", *window, DRAFT_WINDOW_MAX);
	*publish_at = 0;
	if (in->publish_at) {
		if (cal_parse(in->publish_at, CAL_AUTO, &when, &why) != 0)
			return store_fail_field(ctx->store, "publish_at", "%s: %s",
			    text_quote(in->publish_at), why);
		*publish_at = cal_when_time(&when);
	}
	return 0;
}

struct new_args {
	const struct draft_input *in;
	char *code;
};

static int
add_draft(struct context *ctx, void *arg)
{
	struct new_args *a = arg;
	const struct draft_input *in = a->in;
	struct draft_text t = {0};
	long long unit_id = 0;
	long window = 0;
	time_t publish_at = 0;
	char *mapping = NULL;
	int rc;

	if ((rc = check_input(ctx, in, &unit_id, &window, &publish_at)) != 0)
		return rc;
	if (in->text && (rc = check_text(ctx, in->text, &t)) != 0)
		return rc;
	if ((rc = next_code(ctx, a->code)) != 0)
		goto out;
	struct stmt *st = store_sql(ctx->store,
	    "INSERT INTO draft (code, title, unit_id, origin, window_days, publish_at, created, changed)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	stmt_bind_text(st, a->code);
	stmt_bind_text(st, in->title);
	stmt_bind_int(st, unit_id);
	stmt_bind_text(st, vocab_name(&origin_vocab, in->origin));
	stmt_bind_int(st, window);
	stmt_bind_id(st, (long long)publish_at);
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, (long long)ctx->now);
	if ((rc = stmt_run(st)) != 0)
		goto out;
	struct row r = {.id = store_last_id(ctx->store), .unit_id = unit_id};
	snprintf(r.code, sizeof r.code, "%s", a->code);
	if (in->text && (rc = insert_version(ctx, &r, in->text, &t, 1, &mapping)) != 0)
		goto out;
	char after[64];
	snprintf(after, sizeof after, "%s, %ld days", vocab_name(&origin_vocab, in->origin), window);
	rc = draft_event(ctx, &r, "add", NULL, vocab_name(&draft_state_vocab, DRAFT_PENDING), in->text
	    ? "version 1" : "no text yet", NULL);
out:
	free(mapping);
	draft_text_free(&t);
	return rc;
}

int
draft_new(struct context *ctx, const struct draft_input *in, char code[DRAFT_CODE_SIZE])
{
	struct new_args a = {in, code};
	return atomically(ctx, add_draft, &a);
}

struct revise_args {
	const char *code, *text;
	int *version;
};

static int
revise(struct context *ctx, void *arg)
{
	struct revise_args *a = arg;
	struct draft_text t = {0};
	struct row r;
	char *mapping = NULL, note[64];
	int rc;

	if ((rc = load_row(ctx, a->code, &r)) != 0)
		return rc;
	if (!move_of("revise", r.state))
		return refuse_move(ctx, r.code, "revise", r.state);
	if ((rc = check_text(ctx, a->text, &t)) != 0)
		return rc;
	*a->version = r.versions + 1;
	if ((rc = insert_version(ctx, &r, a->text, &t, *a->version, &mapping)) == 0) {
		snprintf(note, sizeof note, "version %d", *a->version);
		rc = draft_event(ctx, &r, "revise", note, mapping, NULL, NULL);
	}
	free(mapping);
	draft_text_free(&t);
	return rc;
}

int
draft_revise(struct context *ctx, const char *code, const char *text, int *version)
{
	struct revise_args a = {code, text, version};
	return atomically(ctx, revise, &a);
}

/* --- the window ----------------------------------------------------------- */

/* The end of the window: 23:59:59 of the day `days` after the day it opened. */
static time_t
window_end(time_t from, int days)
{
	return cal_local_instant(cal_local_day(from, NULL) + days, 86399);
}

static int
open_one(struct context *ctx, struct row *r)
{
	char closes[48];
	int rc;

	if (r->versions == 0) {
		rc = store_failf(ctx->store, "%s: it has no text to publish: add one as a revision",
		    r->code);
		return EXIT_PARTIAL;
	}
	time_t end = window_end(ctx->now, r->window_days);
	struct stmt *st = store_sql(ctx->store,
	    "UPDATE draft SET state = 'open', opened = ?, closes = ?, comment_version = ? WHERE id = ?");
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, (long long)end);
	stmt_bind_int(st, r->versions);
	stmt_bind_int(st, r->id);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	return draft_event(ctx, r, "open", vocab_name(&draft_state_vocab, DRAFT_PENDING),
	    vocab_name(&draft_state_vocab, DRAFT_OPEN), shown_time(ctx, end, closes, sizeof closes),
	    NULL);
}

/* Every draft the SQL gives (its code, one `?` for now), each through fn. */
static int
each_due(struct context *ctx, const char *sql, int (*act)(struct context *, struct row *),
    draft_fn fn, void *arg)
{
	struct stmt *st = store_sql(ctx->store, sql);
	char **codes = NULL;
	size_t n = 0;
	int rc = 0;

	stmt_bind_int(st, (long long)ctx->now);
	while (stmt_row(st)) {
		codes = xrealloc(codes, (n + 1) * sizeof *codes);
		codes[n++] = xstrdup(stmt_text(st, 0));
	}
	rc = stmt_status(st);
	for (size_t i = 0; i < n; i++) {
		struct row r;
		int one = rc ? rc : load_row(ctx, codes[i], &r);
		if (one == 0)
			one = act(ctx, &r);
		if (one == EXIT_PARTIAL)
			fn(codes[i], one, arg);
		else if (one != 0 && rc == 0)
			rc = one;
		else if (one == 0)
			fn(codes[i], 0, arg);
		free(codes[i]);
	}
	free(codes);
	return rc;
}

int
draft_open_due(struct context *ctx, draft_fn fn, void *arg)
{
	return each_due(ctx, "SELECT code FROM draft WHERE state = 'pending'"
	    " AND (publish_at IS NULL OR publish_at <= ?) ORDER BY id", open_one, fn, arg);
}

/* The unit's summary: the comments on each article, and late ones. */
static char *
summary(struct context *ctx, const struct row *r)
{
	size_t n;
	struct draft_article_row *a = draft_articles(ctx, r->id, r->comment_version, &n);
	struct buf b = {0};
	long general, general_late, total = 0, late = 0;

	draft_general_comments(ctx, r->id, &general, &general_late);
	for (size_t i = 0; i < n; i++) {
		buf_addf(&b, "%s: %ld\n", a[i].heading, a[i].comments);
		total += a[i].comments;
		late += a[i].late;
	}
	buf_addf(&b, "\xd8\xaf\xd8\xb1\xd8\xa8\xd8\xa7\xd8\xb1\xd9\x87 \xda\xa9\xd9\x84 "
	    "\xd9\xbe\xdb\x8c\xd8\xb4\xe2\x80\x8c\xd9\x86\xd9\x88\xdb\x8c\xd8\xb3: %ld\n", general);	/* درباره کل پیش‌نویس */
	buf_addf(&b, "\xd8\xac\xd9\x85\xd8\xb9 \xd8\xaf\xd8\xb1 \xd9\x85\xd9\x87\xd9\x84\xd8\xaa: %ld; "
	    "\xd8\xaf\xdb\x8c\xd8\xb1\xd8\xb1\xd8\xb3: %ld", total + general, late + general_late);	/* جمع در مهلت … دیررس */
	draft_articles_free(a, n);
	return b.data;
}

static int
close_one(struct context *ctx, struct row *r)
{
	long long event_id;
	int rc;

	struct stmt *st = store_sql(ctx->store,
	    "UPDATE draft SET state = 'closed', closed = ? WHERE id = ?");
	stmt_bind_int(st, (long long)ctx->now);
	stmt_bind_int(st, r->id);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	char *counts = summary(ctx, r);
	struct draft_facts f;
	if ((rc = draft_event(ctx, r, "close", vocab_name(&draft_state_vocab, DRAFT_OPEN),
	    vocab_name(&draft_state_vocab, DRAFT_CLOSED), NULL, &event_id)) == 0 &&
	    (rc = draft_load(ctx, r->code, &f)) == 0) {
		rc = notice_queue_unit_mail(ctx, r->unit_id, event_id, "draft-closed", r->code,
		    f.title, r->closes, counts);
		draft_facts_free(&f);
	}
	free(counts);
	return rc;
}

int
draft_close_due(struct context *ctx, draft_fn fn, void *arg)
{
	return each_due(ctx, "SELECT code FROM draft WHERE state = 'open' AND closes < ? ORDER BY id",
	    close_one, fn, arg);
}

int
draft_extend(struct context *ctx, const char *code, int days, const char *reason)
{
	char before[48], after[48];
	struct row r;
	int rc;

	if (reason == NULL || blank(reason))
		return store_fail_field(ctx->store, "reason", "an extension needs its reason");
	if ((rc = check_note(ctx, "reason", reason)) != 0)
		return rc;
	if (days <= 0 || days > DRAFT_WINDOW_MAX)
		return store_fail_field(ctx->store, "extend", "%d days: an extension is 1 to %d days",
		    days, DRAFT_WINDOW_MAX);
	if ((rc = load_row(ctx, code, &r)) != 0)
		return rc;
	if (!move_of("extend", r.state))
		return refuse_move(ctx, r.code, "extend", r.state);
	time_t end = window_end(r.closes, days);
	if (end <= ctx->now) {
		store_failf(ctx->store, "%s: %d days after %s is past already", r.code, days,
		    shown_time(ctx, r.closes, before, sizeof before));
		return EXIT_PARTIAL;
	}
	struct stmt *st = store_sql(ctx->store,
	    "UPDATE draft SET state = 'open', closes = ?, closed = NULL WHERE id = ?");
	stmt_bind_int(st, (long long)end);
	stmt_bind_int(st, r.id);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	return draft_event(ctx, &r, "extend", shown_time(ctx, r.closes, before, sizeof before),
	    shown_time(ctx, end, after, sizeof after), reason, NULL);
}

/* --- final ---------------------------------------------------------------- */

struct final_args {
	const char *code, *force;
	int version;
};

static long
undisposed(struct context *ctx, long long draft_id)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT count(*) FROM draft_comment dc JOIN cases c ON c.id = dc.case_id"
	    " WHERE dc.draft_id = ? AND c.outcome IS NULL");
	long n = 0;

	stmt_bind_int(st, draft_id);
	if (stmt_row(st)) {
		n = (long)stmt_int(st, 0);
		stmt_reset(st);
	}
	return n;
}

static int
final(struct context *ctx, void *arg)
{
	struct final_args *a = arg;
	struct row r;
	char note[64];
	int rc;

	if ((rc = load_row(ctx, a->code, &r)) != 0)
		return rc;
	if (!move_of("final", r.state))
		return refuse_move(ctx, r.code, "final", r.state);
	int version = a->version ? a->version : r.versions;
	if (version < 1 || version > r.versions)
		return store_fail_field(ctx->store, "version", "%s has versions 1 to %d, not %d",
		    r.code, r.versions, version);
	long open = undisposed(ctx, r.id);
	if (open && a->force == NULL) {
		store_fail_step(ctx->store, "force-final", "%s: %ld comment%s ha%s no disposition yet",
		    r.code, open, open == 1 ? "" : "s", open == 1 ? "s" : "ve");
		return EXIT_PARTIAL;
	}
	if (a->force && (rc = check_note(ctx, "force", a->force)) != 0)
		return rc;
	struct stmt *st = store_sql(ctx->store,
	    "UPDATE draft SET state = 'final', final_version = ?, final_note = ? WHERE id = ?");
	stmt_bind_int(st, version);
	stmt_bind_text(st, open ? a->force : NULL);
	stmt_bind_int(st, r.id);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	snprintf(note, sizeof note, "version %d", version);
	char *why = open ? xasprintf("forced with %ld comments without a disposition: %s", open,
	    a->force) : NULL;
	rc = draft_event(ctx, &r, "final", note, vocab_name(&draft_state_vocab, DRAFT_FINAL), why,
	    NULL);
	free(why);
	return rc;
}

int
draft_final(struct context *ctx, const char *code, int version, const char *force_reason)
{
	struct final_args a = {code, force_reason, version};
	return atomically(ctx, final, &a);
}

/* --- comments ------------------------------------------------------------- */

static int
fail(const char **field, const char *name, char *why, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int
fail(const char **field, const char *name, char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	*field = name;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

int
draft_check_comment(struct context *ctx, const char *code, const char *article, bool late,
    struct draft_target *t, const char **field, char *why, size_t whysize)
{
	struct row r;
	char when[48];
	long number = 0;

	memset(t, 0, sizeof *t);
	if (load_row(ctx, code, &r) != 0)
		return fail(field, "draft", why, whysize, "no draft %s", text_quote(code));
	if (r.state == DRAFT_PENDING)
		return fail(field, "draft", why, whysize, "%s is not open for comment yet", r.code);
	if (r.state == DRAFT_FINAL)
		return fail(field, "draft", why, whysize, "%s is final: its comments are closed", r.code);
	bool in_time = r.state == DRAFT_OPEN && ctx->now <= r.closes;
	shown_time(ctx, r.closes, when, sizeof when);
	if (!in_time && !late)
		return fail(field, "draft", why, whysize, "the comment window of %s closed at %s "
		    "(%s): a late comment is kept only as late", r.code, when, ctx->cfg->timezone);
	if (in_time && late)
		return fail(field, "late", why, whysize, "the comment window of %s is open until %s: "
		    "a comment now is in time", r.code, when);
	if (article && text_parse_long(article, 1, 99999, &number) != 0)
		return fail(field, "article", why, whysize, "%s is not an article number",
		    text_quote(article));
	if (article) {
		struct stmt *st = store_sql(ctx->store,
		    "SELECT a.id FROM draft_article a JOIN draft_version v ON v.id = a.version_id"
		    " WHERE v.draft_id = ? AND v.number = ? AND a.number = ?");
		stmt_bind_int(st, r.id);
		stmt_bind_int(st, r.comment_version);
		stmt_bind_int(st, number);
		if (stmt_row(st)) {
			t->article_id = stmt_int(st, 0);
			stmt_reset(st);
		}
		if (t->article_id == 0)
			return fail(field, "article", why, whysize, "%s has no article %ld in the version "
			    "out for comment", r.code, number);
	}
	t->draft_id = r.id;
	t->unit_id = r.unit_id;
	t->late = !in_time;
	snprintf(t->code, sizeof t->code, "%s", r.code);
	return 0;
}

int
draft_add_comment(struct context *ctx, const struct draft_target *t, long long case_id,
    const char *case_code)
{
	struct stmt *st = store_sql(ctx->store,
	    "INSERT INTO draft_comment (case_id, draft_id, article_id, late) VALUES (?, ?, ?, ?)");
	struct row r;
	int rc;

	stmt_bind_int(st, case_id);
	stmt_bind_int(st, t->draft_id);
	stmt_bind_id(st, t->article_id);
	stmt_bind_int(st, t->late);
	if ((rc = stmt_run(st)) != 0 || (rc = load_row(ctx, t->code, &r)) != 0)
		return rc;
	if (!move_of("comment", r.state))
		return refuse_move(ctx, r.code, "comment", r.state);
	return draft_event(ctx, &r, "comment", NULL, case_code, t->late ? "late" : NULL, NULL);
}

bool
draft_is_comment(struct context *ctx, long long case_id, long long *draft_id)
{
	struct stmt *st = store_sql(ctx->store, "SELECT draft_id FROM draft_comment WHERE case_id = ?");
	bool is = false;

	stmt_bind_int(st, case_id);
	if (stmt_row(st)) {
		is = true;
		if (draft_id)
			*draft_id = stmt_int(st, 0);
		stmt_reset(st);
	}
	return is;
}

int
draft_record_change(struct context *ctx, long long case_id, int version, int article)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT d.code, dc.changed_version, dc.changed_article_id FROM draft_comment dc"
	    " JOIN draft d ON d.id = dc.draft_id WHERE dc.case_id = ?");
	char code[DRAFT_CODE_SIZE] = "", before[48];
	long long article_id = 0;
	struct row r;
	int rc;

	stmt_bind_int(st, case_id);
	if (stmt_row(st)) {
		snprintf(code, sizeof code, "%s", stmt_text(st, 0));
		snprintf(before, sizeof before, "%s", stmt_null(st, 1) ? "" : stmt_text(st, 1));
		stmt_reset(st);
	}
	if (code[0] == '\0')
		return store_fail_field(ctx->store, "changed_version", "the case is not a comment on a "
		    "draft");
	if ((rc = load_row(ctx, code, &r)) != 0)
		return rc;
	if (!move_of("disposition", r.state))
		return refuse_move(ctx, r.code, "disposition", r.state);
	if (version < 1 || version > r.versions)
		return store_fail_field(ctx->store, "changed_version", "%s has versions 1 to %d, not %d",
		    r.code, r.versions, version);
	if (article) {
		st = store_sql(ctx->store,
		    "SELECT a.id FROM draft_article a JOIN draft_version v ON v.id = a.version_id"
		    " WHERE v.draft_id = ? AND v.number = ? AND a.number = ?");
		stmt_bind_int(st, r.id);
		stmt_bind_int(st, version);
		stmt_bind_int(st, article);
		if (stmt_row(st)) {
			article_id = stmt_int(st, 0);
			stmt_reset(st);
		}
		if (article_id == 0)
			return store_fail_field(ctx->store, "changed_article", "version %d of %s has no "
			    "article %d", version, r.code, article);
	}
	st = store_sql(ctx->store, "UPDATE draft_comment SET changed_version = ?,"
	    " changed_article_id = ? WHERE case_id = ?");
	stmt_bind_int(st, version);
	stmt_bind_id(st, article_id);
	stmt_bind_int(st, case_id);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	char after[64];
	snprintf(after, sizeof after, "version %d%s%d", version, article ? ", article " : "",
	    article);
	if (!article)
		snprintf(after, sizeof after, "version %d", version);
	return draft_event(ctx, &r, "disposition", before[0] ? before : NULL, after, NULL, NULL);
}

/* --- what is shown -------------------------------------------------------- */

static char *
copy(struct stmt *st, int col)
{
	return stmt_null(st, col) ? NULL : xstrdup(stmt_text(st, col));
}

int
draft_load(struct context *ctx, const char *code, struct draft_facts *f)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT d.id, d.code, d.title, u.name, u.email, d.state, d.origin, d.window_days,"
	    " d.publish_at, d.created, d.opened, d.closes, d.closed, d.changed,"
	    " (SELECT count(*) FROM draft_version v WHERE v.draft_id = d.id),"
	    " d.comment_version, d.final_version, d.final_note"
	    " FROM draft d JOIN unit u ON u.id = d.unit_id WHERE d.code = ?");
	int rc;

	memset(f, 0, sizeof *f);
	if ((rc = find_draft(ctx, st, code)) != 0)
		return rc;
	f->id = stmt_int(st, 0);
	snprintf(f->code, sizeof f->code, "%s", stmt_text(st, 1));
	f->title = copy(st, 2);
	f->unit = copy(st, 3);
	f->unit_email = copy(st, 4);
	f->state = vocab_parse(&draft_state_vocab, stmt_text(st, 5));
	f->origin = vocab_parse(&origin_vocab, stmt_text(st, 6));
	f->window_days = (int)stmt_int(st, 7);
	f->publish_at = (time_t)stmt_int(st, 8);
	f->created = (time_t)stmt_int(st, 9);
	f->opened = (time_t)stmt_int(st, 10);
	f->closes = (time_t)stmt_int(st, 11);
	f->closed = (time_t)stmt_int(st, 12);
	f->changed = (time_t)stmt_int(st, 13);
	f->versions = (int)stmt_int(st, 14);
	f->comment_version = (int)stmt_int(st, 15);
	f->final_version = (int)stmt_int(st, 16);
	f->final_note = copy(st, 17);
	stmt_reset(st);
	return 0;
}

void
draft_facts_free(struct draft_facts *f)
{
	free(f->title);
	free(f->unit);
	free(f->unit_email);
	free(f->final_note);
	memset(f, 0, sizeof *f);
}

char **
draft_codes(struct context *ctx, bool public_only)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT code FROM draft WHERE ? = 0 OR state <> 'pending' ORDER BY id DESC");

	stmt_bind_int(st, public_only);
	return stmt_texts(st);
}

void
draft_codes_free(char **codes)
{
	strings_free(codes);
}

struct draft_article_row *
draft_articles(struct context *ctx, long long draft_id, int version, size_t *n)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT a.id, a.ident, a.number, a.position, a.heading, a.body, a.matched,"
	    " (SELECT count(*) FROM draft_comment dc JOIN draft_article o ON o.id = dc.article_id"
	    "  JOIN draft_version ov ON ov.id = o.version_id"
	    "  WHERE ov.draft_id = v.draft_id AND o.ident = a.ident AND dc.late = 0),"
	    " (SELECT count(*) FROM draft_comment dc JOIN draft_article o ON o.id = dc.article_id"
	    "  JOIN draft_version ov ON ov.id = o.version_id"
	    "  WHERE ov.draft_id = v.draft_id AND o.ident = a.ident AND dc.late = 1)"
	    " FROM draft_article a JOIN draft_version v ON v.id = a.version_id"
	    " WHERE v.draft_id = ? AND v.number = (CASE WHEN ? > 0 THEN ? ELSE"
	    "  (SELECT max(number) FROM draft_version WHERE draft_id = ?) END)"
	    " ORDER BY a.position");
	struct draft_article_row *a = NULL;

	*n = 0;
	stmt_bind_int(st, draft_id);
	stmt_bind_int(st, version);
	stmt_bind_int(st, version);
	stmt_bind_int(st, draft_id);
	while (stmt_row(st)) {
		a = xrealloc(a, (*n + 1) * sizeof *a);
		struct draft_article_row *r = &a[(*n)++];
		r->id = stmt_int(st, 0);
		r->ident = (int)stmt_int(st, 1);
		r->number = (int)stmt_int(st, 2);
		r->position = (int)stmt_int(st, 3);
		r->heading = copy(st, 4);
		r->body = copy(st, 5);
		r->matched = copy(st, 6);
		r->comments = (long)stmt_int(st, 7);
		r->late = (long)stmt_int(st, 8);
	}
	return a;
}

void
draft_articles_free(struct draft_article_row *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].heading);
		free(a[i].body);
		free(a[i].matched);
	}
	free(a);
}

char *
draft_version_text(struct context *ctx, long long draft_id, int version)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT text FROM draft_version WHERE draft_id = ? ORDER BY (number = ?) DESC, number DESC"
	    " LIMIT 1");
	char *text = NULL;

	stmt_bind_int(st, draft_id);
	stmt_bind_int(st, version);
	if (stmt_row(st)) {
		text = xstrdup(stmt_text(st, 0));
		stmt_reset(st);
	}
	return text;
}

void
draft_general_comments(struct context *ctx, long long draft_id, long *in_window, long *late)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT coalesce(sum(1 - late), 0), coalesce(sum(late), 0) FROM draft_comment"
	    " WHERE draft_id = ? AND article_id IS NULL");

	*in_window = *late = 0;
	stmt_bind_int(st, draft_id);
	if (stmt_row(st)) {
		*in_window = (long)stmt_int(st, 0);
		*late = (long)stmt_int(st, 1);
		stmt_reset(st);
	}
}

static const struct column list_columns[] = {
	{"code", COL_TEXT}, {"state", COL_TEXT}, {"title", COL_TEXT}, {"unit", COL_TEXT},
	{"origin", COL_TEXT}, {"window", COL_INT}, {"versions", COL_INT}, {"opened", COL_TEXT},
	{"closes", COL_TEXT}, {"comments", COL_INT}, {"late", COL_INT}, {"articles", COL_LIST},
};
static const struct column article_columns[] = {
	{"article", COL_INT}, {"comments", COL_INT}, {"late", COL_INT},
};

const struct column *
draft_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(list_columns);
	return list_columns;
}

static void
put_time(struct context *ctx, struct printer *p, time_t t)
{
	char buf[48];

	printer_text(p, t ? cal_format_time(t, cal_latin(ctx->cfg->shown.cal), buf, sizeof buf)
	    : NULL);
}

int
draft_list(struct context *ctx, struct printer *p, long *count)
{
	char **codes = draft_codes(ctx, false);
	int rc = 0;

	*count = 0;
	for (size_t i = 0; codes[i] && rc == 0; i++) {
		struct draft_facts f;
		if ((rc = draft_load(ctx, codes[i], &f)) != 0)
			break;
		size_t n;
		struct draft_article_row *a = draft_articles(ctx, f.id, f.comment_version, &n);
		long general, general_late, total, late;
		draft_general_comments(ctx, f.id, &general, &general_late);
		total = general;
		late = general_late;
		for (size_t k = 0; k < n; k++) {
			total += a[k].comments;
			late += a[k].late;
		}
		printer_text(p, f.code);
		printer_text(p, vocab_name(&draft_state_vocab, f.state));
		printer_text(p, f.title);
		printer_text(p, f.unit);
		printer_text(p, vocab_name(&origin_vocab, f.origin));
		printer_int(p, f.window_days);
		printer_int(p, f.versions);
		put_time(ctx, p, f.opened);
		put_time(ctx, p, f.closes);
		printer_int(p, total);
		printer_int(p, late);
		printer_list_begin(p, article_columns, (int)ARRAY_SIZE(article_columns));
		for (size_t k = 0; k < n; k++) {
			printer_int(p, a[k].number);
			printer_int(p, a[k].comments);
			printer_int(p, a[k].late);
			printer_row(p);
		}
		printer_list_end(p);
		printer_row(p);
		(*count)++;
		draft_articles_free(a, n);
		draft_facts_free(&f);
	}
	draft_codes_free(codes);
	return rc;
}
