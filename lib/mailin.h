/*
 * mailin.h — a citizen's mail, as the mail server pipes it in, becomes a
 * case (or a follow-up on one), read with GMime: the MIME structure, RFC
 * 2047 words, charsets, base64 and quoted-printable are the library's, not
 * ours. What cannot become a case is kept whole in the holding folder with
 * the reason, never dropped. Loops and floods are stopped as RFC 3834 and
 * RT's mailgate stop them.
 */
#ifndef PARTAKE_MAILIN_H
#define PARTAKE_MAILIN_H

#include <stdbool.h>
#include <stdio.h>

#include "code.h"
#include "context.h"
#include "workflow.h"

struct mailin_options {
	const char *unit;	/* the unit given (--unit); NULL: by the recipient */
	const char *kind;	/* the kind of a new case; NULL: complaint */
	const char *recipient;	/* the envelope recipient, as the mail server gives it, or NULL */
};

enum mailin_outcome {
	MAILIN_CASE,		/* a new case */
	MAILIN_KNOWN,		/* the same mail again: its case, nothing new */
	MAILIN_FOLLOW_UP,	/* a reply on a case (follow_up says what it did) */
	MAILIN_HELD,		/* kept in the holding folder only */
};

struct mailin_result {
	enum mailin_outcome outcome;
	enum follow_up follow_up;
	tcode code;
	bool replied;		/* an automatic reply is queued */
	char *held;		/* the copy in the holding folder (also of a case taken in part), or NULL */
	char why[512];		/* why it was held, or what of it was not taken */
	char no_reply[160];	/* why no automatic reply was queued, or "" */
};

/*
 * Reads one RFC 5322 message from in to its end and takes it in. Returns
 * the status for the mail server: 0 taken (a case, a follow-up, or held
 * without a bounce: a delivery report, an automatic mail, our own mail
 * come back); 64 (EX_DATAERR) held, and the sender should hear that it was
 * not taken (too large, malformed, no text, no sender); 75 (EX_TEMPFAIL)
 * nothing kept, the server should try again (a busy database, a holding
 * folder that cannot be written). Free r with mailin_result_free.
 */
int mailin_take(struct context *ctx, FILE *in, const struct mailin_options *o,
    struct mailin_result *r);
void mailin_result_free(struct mailin_result *r);

/* The holding folder of the database at db_path: the config's
 * mail_hold_dir, else db_path with ".held" after it. A new string. */
char *mailin_hold_dir(const struct config *cfg, const char *db_path);

#endif
