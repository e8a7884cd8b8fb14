/*
 * digest.h — a unit's daily digest: the cases routed to it since its last
 * digest, those due within DIGEST_DUE_DAYS working days, and those overdue.
 * The last digest of each unit (when, and up to which event of the chain
 * it told) is a record of its own in the chain, written with the mail in
 * one transaction: a night missed is told the next, and a second run on
 * the same day sends nothing.
 */
#ifndef PARTAKE_DIGEST_H
#define PARTAKE_DIGEST_H

#include <stdbool.h>
#include <stdio.h>

#include "context.h"
#include "fmt.h"

#define DIGEST_DUE_DAYS 2

struct digest_result {
	long fresh, due, overdue;	/* the rows of each part */
	bool queued;		/* the mail was queued and the digest recorded */
	bool already;		/* the unit had its digest today: nothing sent */
	bool no_address;	/* nowhere to send it */
};

const struct column *digest_columns(int *ncols);
/*
 * The digest of the unit as rows; with deliver, also queued as a mail
 * (text and HTML) to `to`, or to the unit's address, and recorded as the
 * unit's last digest, unless it had one today or there is nothing to tell.
 * 0, EXIT_PARTIAL when there is no such unit, or a store status.
 */
int digest_unit(struct context *ctx, const char *unit, bool deliver, const char *to,
    struct printer *p, struct digest_result *r);
/* digest_unit for each unit of the list, telling on log (when deliver and
 * log is not NULL) what each did, and each failure to complain, going on
 * with the rest: 0, or the status of the last that failed. */
int digest_run(struct context *ctx, char *const *units, bool deliver, const char *to,
    struct printer *p, FILE *log, problem_fn complain, void *arg);
/* Of every unit (each), else of the one named: a list as unit_codes gives
 * (unit_codes_free). */
char **digest_units_asked(struct context *ctx, bool each, const char *unit, bool with_address);
/* What a digest delivered did, for people: "queued (1 new, 0 due, 2 overdue)"
 * (good until the next call). */
const char *digest_said(const struct digest_result *r);

#endif
