/*
 * impact.h — the analytic report of what public input led to in a period,
 * as the strategies for participation ask an agency to publish: the
 * suggestions and comments on drafts accepted or partly accepted, counted
 * by the action each led to (a change of a system, a process, of the
 * information given, support, a regulation) with the newest of each as
 * examples and what was done (the answer the citizen was sent); the
 * surveys' constructive feedback, how much of it went before the committee
 * as suggestions (psurvey-summary --comments, matched by its source id) and
 * what came of it; and the drafts out for comment, with how their comments
 * changed them (report.h has each draft's articles in full).
 */
#ifndef PARTAKE_IMPACT_H
#define PARTAKE_IMPACT_H

#include <stdio.h>

#include "context.h"
#include "fmt.h"
#include "report.h"

/* What to make of the record: its period, and how many examples of each
 * action and survey (0: every one). Or, with a draft or drafts (every draft
 * opened in the period), each draft's articles as report_impact prints
 * them (report_impact_columns), each draft that fails told to complain. */
struct impact_ask {
	const struct report_period *period;
	int examples;
	const char *draft;
	bool drafts;
	problem_fn complain;
	void *arg;
};

/* One column set for rows of five parts: action, example, survey,
 * survey-example, draft (preport(1) defines each figure). */
const struct column *impact_columns(int *ncols);

/* Where the report goes: rows to p (NULL: none), the page to path (aside,
 * renamed), into web_dir (publish) and to page_out (each NULL or false:
 * not). A published page is reports/impact-YYYY-MM.html for a month,
 * reports/impact.html for the whole record; where a page was written is
 * told as a line to told (NULL: not). 0; EXIT_PARTIAL when a draft asked for
 * is not there or none is (the rest printed); or an exit status with *why
 * (a new string; EXIT_USAGE for a period that is not one, or a page to
 * publish of any other period or of drafts' articles). */
struct impact_out {
	struct printer *p;
	const char *path;
	bool publish;
	FILE *page_out, *told;
};
int impact_run(struct context *ctx, const struct impact_ask *ask, const struct impact_out *out,
    char **why);

#endif
