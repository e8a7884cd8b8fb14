/* review.c — the suggestions committee: opinions, tally, decision. */
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "review.h"
#include "text.h"
#include "util.h"
#include "workflow.h"

static int
do_open(struct context *ctx, struct case_row *c, void *arg)
{
	if (c->kind != KIND_SUGGESTION)
		return workflow_refuse(ctx, c, NULL, "only suggestions go before the committee, not a %s",
		    vocab_name(&kind_vocab, c->kind));
	return workflow_move(ctx, c, STATE_COMMITTEE, "review", arg, NULL);
}

int
review_open(struct context *ctx, tcode code, const char *note)
{
	int rc = case_check_note(ctx->store, "note", note);

	return rc ? rc : workflow_transaction(ctx, code, do_open, (void *)note);
}

static int
not_before_committee(struct context *ctx, const struct case_row *c)
{
	return workflow_refuse(ctx, c, NULL, "it is not before the committee (it is %s)",
	    vocab_name(&state_vocab, c->state));
}

struct opinion_args {
	const char *member, *note;
	int opinion;
};

/* The member's opinion so far, or NULL; a new string. */
static char *
opinion_before(struct context *ctx, const struct case_row *c, const char *member)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT opinion FROM review_opinion WHERE case_id = ? AND member = ?");
	char *before = NULL;

	stmt_bind_int(st, c->id);
	stmt_bind_text(st, member);
	if (stmt_row(st)) {
		before = xstrdup(stmt_text(st, 0));
		stmt_reset(st);
	}
	return before;
}

static int
do_opinion(struct context *ctx, struct case_row *c, void *arg)
{
	struct opinion_args *a = arg;
	const char *opinion = vocab_name(&opinion_vocab, a->opinion);

	if (c->state != STATE_COMMITTEE)
		return not_before_committee(ctx, c);
	char *before = opinion_before(ctx, c, a->member);
	/* One opinion a member: a later one replaces it; the history keeps both. */
	struct stmt *st = store_sql(ctx->store,
	    "INSERT INTO review_opinion (case_id, member, opinion, note, at) VALUES (?, ?, ?, ?, ?)"
	    " ON CONFLICT (case_id, member) DO UPDATE SET opinion = excluded.opinion,"
	    " note = excluded.note, at = excluded.at");
	stmt_bind_int(st, c->id);
	stmt_bind_text(st, a->member);
	stmt_bind_text(st, opinion);
	stmt_bind_text(st, a->note);
	stmt_bind_int(st, (long long)ctx->now);
	int rc = stmt_run(st);
	if (rc == 0) {
		char *note = xasprintf("%s%s%s", a->member, a->note ? ": " : "", a->note ? a->note : "");
		rc = case_event(ctx, c, "opinion", before, opinion, note, NULL);
		free(note);
	}
	free(before);
	return rc;
}

int
review_opinion(struct context *ctx, tcode code, const char *member, int opinion, const char *note)
{
	struct opinion_args a = {member, note, opinion};
	const char *why = member == NULL || *member == '\0' ? "an opinion needs the member's name"
	    : text_check(member, NAME_MAX_CHARS, TEXT_LINE);

	if (why)
		return store_fail_field(ctx->store, "member", "%s", why);
	int rc = case_check_note(ctx->store, "note", note);
	return rc ? rc : workflow_transaction(ctx, code, do_opinion, &a);
}

static const struct column columns[] = {
	{"member", COL_TEXT}, {"opinion", COL_TEXT}, {"note", COL_TEXT}, {"at", COL_TEXT},
};

const struct column *
review_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(columns);
	return columns;
}

int
review_summary(struct context *ctx, tcode code, struct printer *p, int tally[OPINION_COUNT])
{
	struct case_row c;
	char at[48];
	int rc;

	memset(tally, 0, OPINION_COUNT * sizeof *tally);
	if ((rc = case_load(ctx, code, &c)) != 0)
		return rc;
	struct stmt *st = store_sql(ctx->store,
	    "SELECT member, opinion, note, at FROM review_opinion WHERE case_id = ?"
	    " ORDER BY at, member");
	stmt_bind_int(st, c.id);
	while (stmt_row(st)) {
		int o = vocab_parse(&opinion_vocab, stmt_text(st, 1));
		if (o >= 0)
			tally[o]++;
		printer_text(p, stmt_text(st, 0));
		printer_text(p, stmt_text(st, 1));
		printer_text(p, stmt_text(st, 2));
		printer_text(p, cal_format_time((time_t)stmt_int(st, 3), cal_latin(ctx->cfg->shown.cal),
		    at, sizeof at));
		printer_row(p);
	}
	return stmt_status(st);
}

char *
review_tally_text(const int tally[OPINION_COUNT], struct cal_style style)
{
	struct buf b = {0};
	char n[48];

	for (int o = 0; o < OPINION_COUNT; o++)
		buf_addf(&b, "%s%s %s", o ? ", " : "", vocab_name(&opinion_vocab, o),
		    cal_format_number(tally[o], style, n, sizeof n));
	return b.data;
}

struct decide_args {
	bool accepted;
	unsigned actions;
	const char *note;
};

static int
do_decide(struct context *ctx, struct case_row *c, void *arg)
{
	struct decide_args *d = arg;

	if (c->state != STATE_COMMITTEE)
		return not_before_committee(ctx, c);
	if (d->accepted && d->actions == 0)
		return workflow_refuse(ctx, c, "action",
		    "an accepted suggestion needs the action it leads to");
	return workflow_answer(ctx, c, d->note, d->accepted ? OUTCOME_ACCEPTED : OUTCOME_REJECTED,
	    d->actions, "decision");
}

int
review_decide(struct context *ctx, tcode code, bool accepted, unsigned actions, const char *note)
{
	struct decide_args d = {accepted, actions, note};
	struct field_error err;

	/* The decision's text is the answer the citizen reads. */
	if (case_check_text(&err, "note", note, BODY_MAX, TEXT_LINES) != 0)
		return store_fail_field(ctx->store, err.field, "%s", err.why);
	return workflow_transaction(ctx, code, do_decide, &d);
}
