/*
 * caseview.h — reading cases: listings by filter, one case with its
 * history, in the columns each view may show. The public view is what the
 * citizen reads: no personal data, no internal step or note; the moments
 * the citizen is told of; for people in Persian, in the citizen's calendar
 * and digits, for programs under stable English keys and names
 * (pcase-status(1), "THE PUBLIC VIEW").
 */
#ifndef PARTAKE_CASEVIEW_H
#define PARTAKE_CASEVIEW_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "case.h"
#include "fmt.h"

/* Each filter narrows; the values of one filter widen (any of them). */
enum { FILTER_MAX_CODES = 32 };
struct case_filter {
	unsigned kinds, states, channels;	/* sets of the vocabularies' indexes; 0: any */
	bool open;				/* not settled */
	const char *services[FILTER_MAX_CODES];	/* codes; none: any */
	const char *units[FILTER_MAX_CODES];
	int nservices, nunits;
	bool unrouted;
	int unnotified;				/* overdue notice level not yet recorded; 0: not asked */
	time_t since, until;			/* received in [since, until); 0: open */
	const char *query;			/* full-text, NULL: none */
	bool overdue;
	long due_within;			/* working days; -1: not asked */
	time_t due_before;			/* 0: not asked */
	const char *sort;			/* received, due, code, kind, state; '-' first: descending */
	long limit;				/* 0: all */
};
void case_filter_init(struct case_filter *f);
/* Checks the sort key; NULL when good, else why. */
const char *case_sort_check(const char *sort);

enum case_view_detail { VIEW_SHORT, VIEW_LONG, VIEW_PUBLIC };

/* The columns a listing or a status prints, for printer_open(). */
const struct column *case_columns(enum case_view_detail detail, int *ncols);

/* Adds the codes of a comma list to a filter's list of n; false when it would
 * hold more than FILTER_MAX_CODES. */
bool case_filter_add_codes(const char **list, int *n, char *codes);
/* Prints every matching case as one row through p; *count set. A unit or
 * service the filter names that does not exist is an error (the field
 * named), not an empty listing. On a database opened read-only the cases
 * not yet in the full-text index are searched by a scan (search.h). */
int case_list(struct context *ctx, const struct case_filter *f,
    enum case_view_detail detail, struct printer *p, long *count);
/* The same with the history as a last column, a list of events. */
const struct column *case_columns_with_history(enum case_view_detail detail, int *ncols);
/* Prints one case as one row (with its history as a last, nested column
 * when with_events); EXIT_PARTIAL when the code is not found. */
int case_show(struct context *ctx, tcode code, enum case_view_detail detail,
    struct printer *p, bool with_events);
/* For people: the case as "field  value" lines, then its history as a
 * table, written to out (the public view under Persian labels, in the
 * citizen's digits); EXIT_PARTIAL when the code is not found. */
int case_print(struct context *ctx, tcode code, enum case_view_detail detail, FILE *out);
/* The columns of a case's history, and its events as rows. */
const struct column *event_columns(enum case_view_detail detail, int *ncols);
/* nested: as the value of the current column (printer_list_begin). */
int case_history(struct context *ctx, tcode code, enum case_view_detail detail,
    struct printer *p, bool nested);


/*
 * A case as anyone may know it: the facts of the public view (the same
 * rule fills both), for the writers of other public documents (open311.h,
 * the portal). No contact, no subject or body (the citizen's own words
 * carry whatever the citizen wrote), no attachment, no internal note.
 * Texts are good until the callback returns.
 */
struct case_public {
	tcode code;
	const char *kind, *state;		/* the vocabularies' names */
	const char *service_code, *service_name;	/* NULL: none */
	const char *unit_code, *unit_name;	/* NULL: not routed */
	time_t received, due, answered, closed;
	bool has_due, has_answered, has_closed;
	/* While the answer stands (answered or closed, not reopened); else NULL. */
	const char *outcome, *action, *answer;
	char *reason;		/* a rejected case's: the note the citizen was sent */
	time_t updated;		/* the last moment the citizen was told of */
};
/* Called for each case; 0 goes on, an exit status stops and is returned. */
typedef int case_public_fn(struct context *ctx, const struct case_public *c, void *arg);
/* Each case the filter selects (as case_list), in its order; *count set. */
int case_public_list(struct context *ctx, const struct case_filter *f, case_public_fn *fn,
    void *arg, long *count);
/* One case; EXIT_PARTIAL when the code is not found. */
int case_public_one(struct context *ctx, tcode code, case_public_fn *fn, void *arg);

#endif
