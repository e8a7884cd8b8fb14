/*
 * caseedit.c — corrections of a case's fields. The case as corrected is
 * checked whole by intake's own checks (case_check_fields), so a correction
 * cannot make a case that intake would have refused; then each field that
 * changed is written and becomes one event, its old value before and its
 * new one after, as the case shows them (codes for the kind, channel and
 * service; the phone and national id in their stored form).
 */
#include <stdlib.h>
#include <string.h>

#include "caseedit.h"
#include "exitcode.h"
#include "search.h"
#include "util.h"
#include "workflow.h"

/* The fields a correction may change, by their names in field_vocab, and
 * the statement that writes each (its value, then the case's id). */
static const struct {
	int field;
	const char *update;
} editable[] = {
	{FIELD_KIND, "UPDATE cases SET kind = ? WHERE id = ?"},
	{FIELD_CHANNEL, "UPDATE cases SET channel = ? WHERE id = ?"},
	{FIELD_SERVICE, "UPDATE cases SET service_id = ? WHERE id = ?"},
	{FIELD_SUBJECT, "UPDATE cases SET subject = ? WHERE id = ?"},
	{FIELD_BODY, "UPDATE cases SET body = ? WHERE id = ?"},
	{FIELD_NAME, "UPDATE cases SET name = ? WHERE id = ?"},
	{FIELD_PHONE, "UPDATE cases SET phone = ? WHERE id = ?"},
	{FIELD_EMAIL, "UPDATE cases SET email = ? WHERE id = ?"},
	{FIELD_NATIONAL_ID, "UPDATE cases SET national_id = ? WHERE id = ?"},
	{FIELD_ANONYMOUS, "UPDATE cases SET anonymous = ? WHERE id = ?"},
};

void
case_edit_init(struct case_edit *e)
{
	memset(e, 0, sizeof *e);
	e->anonymous = -1;
}


static const char *
input_text(const struct case_input *in, int field)
{
	const char **slot = case_input_text((struct case_input *)in, field);

	return slot ? *slot : NULL;
}

static bool
is_given(const struct case_edit *e, int field)
{
	return field == FIELD_ANONYMOUS ? e->anonymous >= 0 : input_text(&e->set, field) != NULL;
}

bool
case_edit_is_empty(const struct case_edit *e)
{
	for (size_t i = 0; i < ARRAY_SIZE(editable); i++)
		if (is_given(e, editable[i].field))
			return false;
	return true;
}

int
case_edit_check(struct context *ctx, const struct case_edit *e)
{
	struct field_error err;

	if (case_edit_is_empty(e))
		return store_failf(ctx->store, "nothing to change: name a field to correct");
	if (case_check_each(ctx, &e->set, &err) != 0 ||
	    case_check_text(&err, "reason", e->reason, EDIT_REASON_MAX, TEXT_LINE) != 0)
		return store_fail_field(ctx->store, err.field, "%s", err.why);
	if (e->force && case_given(e->reason) == NULL)
		return store_fail_field(ctx->store, "reason", "correcting a settled case needs its reason");
	return 0;
}

/* A case's fields as they are, as the history shows them. */
struct fields {
	char *text[FIELD_COUNT];
	long long service_id;
};

static void
fields_free(struct fields *f)
{
	for (int i = 0; i < FIELD_COUNT; i++)
		free(f->text[i]);
}

static char *
copy(const char *v)
{
	return v ? xstrdup(v) : NULL;
}

static int
read_fields(struct context *ctx, const struct case_row *c, struct fields *f)
{
	struct stmt *st = store_sql(ctx->store,
	    "SELECT c.kind, c.channel, s.code, c.subject, c.body, c.name, c.phone, c.email,"
	    " c.national_id, c.anonymous, c.service_id"
	    " FROM cases c LEFT JOIN service s ON s.id = c.service_id WHERE c.id = ?");
	static const int order[] = {FIELD_KIND, FIELD_CHANNEL, FIELD_SERVICE, FIELD_SUBJECT,
		FIELD_BODY, FIELD_NAME, FIELD_PHONE, FIELD_EMAIL, FIELD_NATIONAL_ID};

	memset(f, 0, sizeof *f);
	stmt_bind_int(st, c->id);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st) : store_failf(ctx->store, "the case vanished");
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		f->text[order[i]] = copy(stmt_text(st, (int)i));
	f->text[FIELD_ANONYMOUS] = xstrdup(stmt_int(st, 9) ? "yes" : "no");
	f->service_id = stmt_int(st, 10);
	stmt_reset(st);
	return 0;
}

/* The corrected case's value of a field, as the history shows it. */
static const char *
new_text(const struct case_record *rec, const struct case_input *in, int field)
{
	switch (field) {
	case FIELD_KIND: return vocab_name(&kind_vocab, rec->kind);
	case FIELD_CHANNEL: return vocab_name(&channel_vocab, rec->channel);
	case FIELD_SERVICE: return case_given(in->service);
	case FIELD_SUBJECT: return rec->subject;
	case FIELD_BODY: return rec->body;
	case FIELD_NAME: return rec->name;
	case FIELD_PHONE: return rec->phone[0] ? rec->phone : NULL;
	case FIELD_EMAIL: return rec->email;
	case FIELD_NATIONAL_ID: return rec->national_id[0] ? rec->national_id : NULL;
	case FIELD_ANONYMOUS: return rec->anonymous ? "yes" : "no";
	}
	return NULL;
}

static bool
same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

struct edit_run {
	const struct case_edit *e;
	struct fields was;
	struct case_input in;	/* the case as corrected, as given */
	struct case_record rec;	/* and as checked */
};

static int
write_field(struct context *ctx, const struct case_row *c, struct edit_run *r, size_t i,
    const char *after)
{
	int field = editable[i].field;
	struct stmt *st = store_sql(ctx->store, editable[i].update);
	int rc;

	if (field == FIELD_SERVICE)
		stmt_bind_id(st, r->rec.service_id);
	else if (field == FIELD_ANONYMOUS)
		stmt_bind_int(st, r->rec.anonymous);
	else
		stmt_bind_text(st, after);
	stmt_bind_int(st, c->id);
	if ((rc = stmt_run(st)) != 0)
		return rc;
	/* The note says which field, that a settled case was forced, and why. */
	const char *reason = case_given(r->e->reason);
	bool settled = state_is_settled(c->state);
	char *note = xasprintf("%s%s%s%s%s%s", vocab_name(&field_vocab, field),
	    settled ? " (the case was " : "", settled ? vocab_name(&state_vocab, c->state) : "",
	    settled ? ")" : "", reason ? ": " : "", reason ? reason : "");
	rc = case_event(ctx, c, CASE_EDIT_EVENT, r->was.text[field], after, note, NULL);
	free(note);
	return rc;
}

static int
apply(struct context *ctx, struct case_row *c, struct edit_run *r)
{
	int changed = 0, rc;
	bool words = false;

	for (size_t i = 0; i < ARRAY_SIZE(editable); i++) {
		int field = editable[i].field;
		const char *after = new_text(&r->rec, &r->in, field);
		if (!is_given(r->e, field) || same(r->was.text[field], after))
			continue;
		if ((rc = write_field(ctx, c, r, i, after)) != 0)
			return rc;
		changed++;
		words = words || field == FIELD_SUBJECT || field == FIELD_BODY;
	}
	if (changed == 0)
		return workflow_refuse(ctx, c, NULL, "nothing to change: it has these values already");
	if (words)
		return search_case_changed(ctx->store, c->id, r->was.text[FIELD_SUBJECT],
		    r->was.text[FIELD_BODY]);
	return 0;
}

static int
do_edit(struct context *ctx, struct case_row *c, void *arg)
{
	struct edit_run *r = arg;
	struct field_error err;
	char code[24];
	int rc;

	if (state_is_settled(c->state) && !r->e->force)
		return workflow_refuse(ctx, c, "force-edit", "it is %s, and a settled case is "
		    "corrected only on purpose", vocab_name(&state_vocab, c->state));
	if ((rc = read_fields(ctx, c, &r->was)) != 0)
		return rc;
	/* The case as it would be: each field given, else the one it has. */
	for (size_t i = 0; i < ARRAY_SIZE(editable); i++) {
		int field = editable[i].field;
		const char **slot = case_input_text(&r->in, field);
		if (slot)
			*slot = is_given(r->e, field) ? input_text(&r->e->set, field) : r->was.text[field];
	}
	r->in.anonymous = r->e->anonymous >= 0 ? r->e->anonymous == 1
	    : strcmp(r->was.text[FIELD_ANONYMOUS], "yes") == 0;
	if (case_check_fields(ctx, &r->in, &r->rec, &err) != 0)
		return store_fail_field(ctx->store, err.field, "%s: %s",
		    code_format_grouped(c->code, code, sizeof code), err.why);
	if (c->state == STATE_COMMITTEE && r->rec.kind != KIND_SUGGESTION)
		return workflow_refuse(ctx, c, "decide", "it is before the committee, which reviews "
		    "suggestions only");
	return apply(ctx, c, r);
}

int
case_edit(struct context *ctx, tcode code, const struct case_edit *e)
{
	struct edit_run r = {.e = e};
	int rc = workflow_transaction(ctx, code, do_edit, &r);

	fields_free(&r.was);
	return rc;
}
