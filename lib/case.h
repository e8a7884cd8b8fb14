/*
 * case.h — cases: what a citizen brought (a complaint, a suggestion, a
 * violation report, …), checked field by field before anything is stored,
 * whichever way it came in (options, JSON lines, TSV), so the same input
 * gets the same answer from every command; and the one row the workflow
 * acts on.
 */
#ifndef PARTAKE_CASE_H
#define PARTAKE_CASE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "attach.h"
#include "code.h"
#include "context.h"
#include "draft.h"
#include "notice.h"
#include "text.h"
#include "vocab.h"

/* Limits, in characters; checked at intake. */
#define SUBJECT_MAX 200
#define BODY_MAX 20000
#define NAME_MAX_CHARS 100
#define NOTE_MAX 1000	/* a note or reason given with a step (--note, --reason) */
#define ATTACH_MAX 20
#define SOURCE_ID_MAX 250	/* a Message-ID is seldom longer */
#define ABOUT_MAX 500	/* what it is about: a news item's URL or title */

/* A case as given (options, a JSON line, a TSV row): text, unchecked. */
struct case_input {
	const char *kind, *channel, *service, *unit, *subject, *body;
	const char *name, *phone, *email, *national_id, *received;
	bool anonymous;
	const char *attach[ATTACH_MAX];	/* paths and URLs */
	size_t nattach;
	const char *source_id;	/* the channel's own id of what it brought, or NULL */
	/* A comment on a draft: its code, the article (a number as typed;
	 * NULL: the whole draft), and whether it is kept though late. */
	const char *draft, *article;
	bool late;
	const char *about;	/* what it is about (a news item: its URL or title), or NULL */
};

/* A case that passed every check, ready to store. */
struct case_record {
	int kind, channel;
	long long service_id, unit_id;	/* 0: none */
	const char *subject, *body, *name, *email;
	char phone[16], national_id[16];
	bool anonymous;
	time_t received, due;		/* due 0: no deadline */
	bool backfilled;		/* received was given, not now */
	struct attach_item attach[ATTACH_MAX];	/* files already in the attachment store */
	size_t nattach;
	/* With a source id: the digest of what was taken in under it, which a
	 * second intake of the same id must match to be the same case. */
	const char *source_id;
	char source_digest[ATTACH_DIGEST_HEX + 1];
	bool on_draft;			/* a comment on a draft, as draft says */
	struct draft_target draft;
	const char *about;		/* NULL: not given */
	/* Drawn ahead by case_draw (0: none), the digest of the row it makes
	 * (for the first events, when they take it from the row) and the
	 * citizen's notice with that code. */
	tcode drawn;
	bool row_digested, notice_made;
	/* drawn is no stored case's (case_draw, before the batch), and no
	 * case's of this transaction: for a held transaction (store_begin_held),
	 * where a row put does not fail at once on a code taken, case_insert
	 * looks up every other code it tries. */
	bool drawn_unstored, code_free;
	unsigned char row_digest[32];
	struct notice_made notice;
};

/* Which field was bad and why, for "line N: FIELD: WHY". */
struct field_error {
	const char *field;
	char why[256];
};

/* Fills err (the field and why) and returns -1, for the checks of input. */
int field_fail(struct field_error *err, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A free-text field: text_check's rule for its kind; NULL passes. */
int case_check_text(struct field_error *err, const char *field, const char *v, size_t max,
    enum text_kind kind);
/* A note or reason given with a step, which the history keeps and a notice
 * may copy to the citizen: one line of text (text_check's TEXT_LINE) of at
 * most NOTE_MAX characters; NULL passes. 0, or the store's error naming
 * the field ("note", "reason"). */
int case_check_note(struct store *s, const char *field, const char *v);
/* NULL for NULL or a text of blanks alone, else v. */
const char *case_given(const char *v);

/* The fields a citizen gives (kind, channel, subject, body, contact,
 * service, unit), checked as intake checks them, each and across them:
 * 0 with rec filled but for received, due and attachments, else -1. */
/* Where a case's input keeps the text of field f (enum intake_field of
 * vocab.h); NULL for a field that is not text (anonymous). */
const char **case_input_text(struct case_input *in, int f);
int case_check_fields(struct context *ctx, const struct case_input *in,
    struct case_record *rec, struct field_error *err);
/* Each field of in that is not NULL on its own, as case_check_fields
 * checks it, and nothing across them (a correction of a few fields). */
int case_check_each(struct context *ctx, const struct case_input *in, struct field_error *err);
/* 0 when the input is a good case (rec filled), else -1 with err. Its
 * files are copied into the attachment store then: a copy of a case that
 * is not stored in the end stays there unused, harmless, and is the copy
 * of the next case that brings the same file. */
int case_check(struct context *ctx, const struct case_input *in,
    struct case_record *rec, struct field_error *err);
/*
 * Stores a checked case inside the caller's transaction, with its
 * attachments and first events; *code is its new tracking code. A case
 * whose channel and source id were taken in before is not stored again:
 * when it is the same (the digest of what was taken in matches), *code is
 * that case's and *known true; when it is not, EXIT_FATAL with the store's
 * error on the field "source_id". 0 or an exit status.
 */
int case_insert(struct context *ctx, const struct case_record *rec, tcode *code, bool *known);
/*
 * Draws a checked case's code, takes the digest of the row it will be and
 * makes its notice, on a thread other than the writer's (ctx's store only
 * read), ahead of case_insert, which tries that code first (and draws
 * again, doing the rest itself, if another case has it); a code a stored
 * case has is drawn again here (drawn_unstored). 0, or an exit
 * status with the store's error (the notice's template). The notice is
 * the caller's to free (notice_made_free).
 */
int case_draw(struct context *ctx, struct case_record *rec);

/* Checks and stores one case in a transaction of its own, committed to
 * the disk before this returns: 0 with *code (and *known, as
 * case_insert); EXIT_FATAL with err for bad input; else the store's status. */
int case_register(struct context *ctx, const struct case_input *in, tcode *code, bool *known,
    struct field_error *err);

/* A case as the workflow acts on it. */
struct case_row {
	long long id;
	tcode code;
	char subject[CODE_LEN + 1];	/* the code as the audit chain names it */
	int state, kind;
	long long unit_id, service_id;
	time_t due;	/* 0: none */
};
/* EXIT_PARTIAL when there is no such case (store_error() says so). */
int case_load(struct context *ctx, tcode code, struct case_row *c);
/* The working days a case has: its service's, else its kind's; 0: none. */
int case_deadline_days(struct context *ctx, int kind, long long service_id);
/* The `what` of the events of a correction (caseedit.c): a field's old text
 * before, its new one after. They are the case's own (a phone, a name, the
 * citizen's words): the public history leaves them out. */
#define CASE_EDIT_EVENT "edit"
/* Appends an event about the case to the audit chain; *id when not NULL. */
int case_event(struct context *ctx, const struct case_row *c, const char *what,
    const char *before, const char *after, const char *note, long long *id);

#endif
