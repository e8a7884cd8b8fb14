/*
 * surveysum.h — what the responses to a survey say: by version and
 * question, grouped by service, unit, channel and Solar Hijri month, the
 * count, mean, standard deviation, median and distribution of a 1-5
 * scale, the satisfied share (4 or 5) with its 95% Wilson interval, each
 * option of a choice on its own, and the change from the month before,
 * flagged when the two intervals do not overlap. Read from survey_tally
 * (counts by group), never row by row. And the constructive comments, as
 * the suggestions pcase-new takes in.
 */
#ifndef PARTAKE_SURVEYSUM_H
#define PARTAKE_SURVEYSUM_H

#include <stdbool.h>

#include "context.h"
#include "fmt.h"

enum summary_by { BY_SERVICE, BY_UNIT, BY_CHANNEL, BY_MONTH, BY_COUNT };

struct summary_query {
	const char *survey;	/* its code */
	int version;		/* 0: every version, each apart */
	int by[BY_COUNT];	/* enum summary_by, in the order given */
	int nby;
	int since, until;	/* Solar Hijri YYYYMM, 0: no bound */
	bool bar;		/* a column of the share as a bar of Unicode blocks (a table) */
	bool label;		/* a column of the question's text and option (a chart's label) */
};

/* The words of --by ("service,month") into q; NULL, or the word not known. */
const char *summary_by_parse(char *list, struct summary_query *q);
extern const char *const summary_by_names;
/* The columns of the summary's rows for this query (good until the next call). */
const struct column *summary_columns(const struct summary_query *q, int *ncols);
/* What the chart of the summary shows (fmt_options' chart_*). */
void summary_chart(const struct summary_query *q, struct fmt_options *opt);
/* What the share means, for the end of a table and the man page. */
extern const char *const summary_definition;
/* The rows; *rows counted. EXIT_PARTIAL when the survey is not there. */
int survey_summary(struct context *ctx, const struct summary_query *q, struct printer *p,
    long *rows);

/* The comments of responses marked constructive, each a suggestion as
 * pcase-new --batch reads it (the columns are its fields). */
const struct column *comment_columns(int *ncols);
int survey_comments(struct context *ctx, const char *survey, struct printer *p, long *rows);

#endif
