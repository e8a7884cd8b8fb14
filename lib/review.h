/*
 * review.h — the suggestions committee: a suggestion goes before it, each
 * member gives one opinion (a later one replaces it; the history keeps
 * both), and its decision answers the citizen.
 */
#ifndef PARTAKE_REVIEW_H
#define PARTAKE_REVIEW_H

#include <stdbool.h>

#include "case.h"
#include "fmt.h"

/* Each returns 0 or an exit status, as the functions of workflow.h. */
int review_open(struct context *ctx, tcode code, const char *note);
int review_opinion(struct context *ctx, tcode code, const char *member, int opinion,
    const char *note);
/* The columns of review_summary's rows. */
const struct column *review_columns(int *ncols);
/* The members' opinions as rows (member, opinion, note, at) and the tally. */
int review_summary(struct context *ctx, tcode code, struct printer *p, int tally[OPINION_COUNT]);
/* The tally for people, "approve 2, reject 1, abstain 0", in the style's digits; a new string. */
char *review_tally_text(const int tally[OPINION_COUNT], struct cal_style style);
int review_decide(struct context *ctx, tcode code, bool accepted, unsigned actions,
    const char *note);

#endif
