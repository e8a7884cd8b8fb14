/*
 * caseedit.h — corrections of what a case was given at intake (a mistyped
 * phone, the wrong kind, a subject with personal data in it): checked as
 * intake checks them, each field changed one event of the audit chain with
 * its old and new value, a settled case only by force and with a reason.
 */
#ifndef PARTAKE_CASEEDIT_H
#define PARTAKE_CASEEDIT_H

#include <stdbool.h>

#include "case.h"

/* The reason, in characters, on one line. */
#define EDIT_REASON_MAX 1000

struct case_edit {
	/*
	 * The fields to change, as intake takes them: NULL keeps a field, ""
	 * clears one that may be empty (an empty channel is other, as at
	 * intake). kind, channel, service, subject, body, name, phone, email
	 * and national_id are corrected; unit (routing), received (the
	 * deadline's start) and attachments are not.
	 */
	struct case_input set;
	int anonymous;		/* 1 or 0 to change it; -1 keeps it */
	const char *reason;	/* why, kept with each change; NULL: none */
	bool force;		/* correct a settled case (needs the reason) */
};

/* Nothing to change yet: every field kept. */
void case_edit_init(struct case_edit *e);
/* No field is given: there is nothing to change. */
bool case_edit_is_empty(const struct case_edit *e);
/* 0 when there is something to change and each value given is good on its
 * own; else EXIT_FATAL with store_error() naming the field. */
int case_edit_check(struct context *ctx, const struct case_edit *e);
/*
 * Corrects one case in a transaction of its own: 0 when a field changed;
 * EXIT_PARTIAL when there is no such case, it is settled and not forced,
 * it is before the committee and would stop being a suggestion, or it has
 * the values given already; EXIT_FATAL when the case as corrected would
 * not pass intake (store_error() names the field); else the store's status.
 * The deadline stays as it is (see pcase-edit(1)).
 */
int case_edit(struct context *ctx, tcode code, const struct case_edit *e);

#endif
