/*
 * report.h — the reports made from the record: for now the impact of
 * public input on drafts (what the comments on each article were, how
 * each was disposed of and why, and how the text changed from the version
 * put out for comment to the final one, word by word). Rows go through the
 * one printer (fmt.h); the HTML form through the page writer (page.h).
 */
#ifndef PARTAKE_REPORT_H
#define PARTAKE_REPORT_H

#include <stdio.h>
#include <time.h>

#include "context.h"
#include "fmt.h"
#include "page.h"

/* The drafts whose window opened in [since, until) (0: no bound), oldest
 * first, not pending: a NULL-ended array of new strings (draft_codes_free). */
char **report_drafts_in(struct context *ctx, time_t since, time_t until);

struct report_period;
/* The drafts a report is of: the one named, else those opened in the
 * period (report_period_bounds; none: every draft). NULL with *why (a new
 * string) when a month or date is not one. */
char **report_drafts_asked(struct context *ctx, const char *draft,
    const struct report_period *period, char **why);

/* One row per article of the version out for comment, then the articles
 * new in the final version, and one for comments on the whole draft. */
const struct column *report_impact_columns(int *ncols);
/* 0, or EXIT_PARTIAL when there is no such draft, or one never out for comment. */
int report_impact(struct context *ctx, const char *code, struct printer *p);
/* report_impact for each of codes, each failure (the store's error) told
 * to complain: 0, EXIT_PARTIAL for no code, or the last failure's status. */
int report_impact_each(struct context *ctx, char *const *codes, struct printer *p,
    problem_fn complain, void *arg);
/* The same for several drafts as one page (standing alone, as
 * report_page_open makes it): a new buffer in *html. 0, or
 * EXIT_FATAL with *why (a new string). */
int report_impact_page(struct context *ctx, char *const *codes, char **html, size_t *n, char **why);

/* A draft's impact in figures: its comments (in the window and late), how
 * many were disposed of, accepted and partly accepted, and its articles
 * changed (edited, new or removed) from the version out for comment to the
 * final one (the latest until it is final). */
struct report_draft_figures {
	long comments, disposed, accepted, partial, changed;
};
/* *title a new string. 0, or EXIT_PARTIAL (no such draft, never out for
 * comment) with the store's error. */
int report_draft_figures(struct context *ctx, const char *code, char **title,
    struct report_draft_figures *out);
/* The draft's part of a page under parent: its articles, their comments and
 * dispositions and the diff. 0, or as report_draft_figures. */
int report_impact_section(struct context *ctx, xmlNodePtr parent, const char *code);

/* A period as typed: a Solar Hijri month ("1405-08"), else [since, until)
 * (dates; either may be NULL: unbounded). */
struct report_period {
	const char *month, *since, *until;
};

/* A report's page: the share folder's frame, its stylesheet inside (the
 * page stands alone, to be mailed or handed on), the title as its heading.
 * 0, or -1 with *why (a new string). */
int report_page_open(struct page *p, const char *title, char **why);

/* The bounds of a period ([since, until); 0: unbounded). 0, or EXIT_USAGE
 * with *why (a new string) for a month or date that is not one. */
int report_period_bounds(struct context *ctx, const struct report_period *period, time_t *since,
    time_t *until, char **why);
/* "از … تا …" in the citizen's calendar and digits (days, the last one in,
 * when the bounds are local midnights; else times, the end not in), or
 * "همه زمان‌ها"; a new string. */
char *report_span_text(struct context *ctx, time_t since, time_t until);

/* The public's feedback on the agency's news (kind feedback), counted by
 * news item (what each is about; NULL: not named) and topic (its service,
 * else the unit it was routed to), received in the period. */
const struct column *report_feedback_columns(int *ncols);
/* Rows to p (NULL: none); the page to path (aside, renamed) or to
 * page_out (each NULL: not). 0, or an exit status with *why (a new
 * string; EXIT_USAGE for a date that is not one). */
int report_feedback_run(struct context *ctx, const struct report_period *period, const char *path,
    FILE *page_out, struct printer *p, char **why);

#endif
