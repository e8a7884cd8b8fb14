/*
 * monthly.h — the monthly performance report to the head of the agency,
 * per unit and in total, for a Solar Hijri month (its bounds the instants
 * of local midnight in the configured zone, Asia/Tehran): what came in, what
 * was answered and how fast in working days (workcal.h), what is open and
 * overdue now, what was reopened, rejected, escalated, put before the
 * committee and decided, how satisfied the surveys say the citizens were,
 * and the drafts opened and closed. Each figure is defined once, in
 * preport(1). The report carries the head of the audit chain at the
 * month's end, so that whoever holds it can prove later that no event up
 * to it was changed (pdb check --against). And the overdue cases now.
 */
#ifndef PARTAKE_MONTHLY_H
#define PARTAKE_MONTHLY_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "audit.h"
#include "context.h"
#include "fmt.h"

struct report_month {
	int y, m;		/* Solar Hijri */
	time_t start, end;	/* [start, end): local midnights */
};
/* "1405-08" (either digits); NULL: the month before the one `now` is in.
 * 0, or -1 with *why. */
int report_month_parse(const char *text, time_t now, struct report_month *out, const char **why);
/* The month `delta` months on (back when negative). */
struct report_month report_month_shift(const struct report_month *m, int delta);
/* "1405-08", Latin digits; buf needs 16 bytes. */
char *report_month_text(const struct report_month *m, char *buf, size_t n);

/* One unit's figures (id 0: cases with no unit; -1: the total). */
struct unit_figures {
	long long id;
	char *code, *name;
	long received, by_kind[KIND_COUNT], by_channel[CHANNEL_COUNT];
	long answered, with_deadline, on_time;
	long *days;	/* working days to answer, one per answered case */
	size_t ndays, cap_days;
	long open, overdue, reopened, rejected, escalated;
	long to_committee, accepted, declined, before_committee;
	long responses, satisfied, rated;
	long drafts_opened, drafts_closed, draft_comments;
};

struct monthly {
	struct report_month month;
	time_t now;
	struct unit_figures *rows;	/* units by code, then "no unit" (if any), then total */
	size_t n;
	struct audit_head head;	/* count 0: no event before the month's end */
};

/* The figures of every unit (unit NULL) or of one; EXIT_PARTIAL when there
 * is no such unit. 0, or a store status. */
int monthly_load(struct context *ctx, const struct report_month *m, const char *unit,
    struct monthly *out);
void monthly_free(struct monthly *mo);
/* The head as written in reports: "events=N last=ID hash=HEX at=TIME" (as a
 * seal writes it, unsigned: pdb check --against reads it); a new string. */
char *monthly_head_text(const struct audit_head *h);

const struct column *monthly_columns(int *ncols);
void monthly_print(const struct monthly *mo, struct printer *p);
/* The report as one page (RTL, Persian, the configured calendar and digits),
 * with its charts: the trend of the 12 months to this one and the share on
 * time per unit. A new buffer in *html. 0, or EXIT_FATAL with *why. */
int monthly_html(struct context *ctx, const struct monthly *mo, const char *unit, char **html,
    size_t *n, char **why);

/* The page written to path (aside, then renamed), or (path NULL) into
 * web_dir as reports/monthly-YYYY-MM[-UNIT].html; *written is where. */
int monthly_write(struct context *ctx, const struct monthly *mo, const char *unit,
    const char *path, char **written, char **why);
/* The report (of one unit, or all) queued as a mail with the page as its
 * HTML part, to `to` or (NULL) the unit's address; *queued: it was not
 * queued before. 0 or an exit status. */
int monthly_mail(struct context *ctx, const struct monthly *mo, const char *unit, const char *to,
    bool *queued);

/* What to do with a report loaded: mail it, write it to a file or into
 * web_dir, or write the page to out (page); none of these: nothing. */
struct monthly_out {
	bool mail, publish, page;
	const char *to, *path;
};
/* *queued: a mail was queued now; *written: the file written (a new
 * string, or NULL). 0, or an exit status with *why. */
int monthly_emit(struct context *ctx, const struct monthly *mo, const char *unit,
    const struct monthly_out *o, FILE *out, bool *queued, char **written, char **why);

/* The report of the month (as report_month_parse reads it) for each unit
 * (each: every unit with an address, or every unit when o->to is given),
 * else of the unit (NULL: one of all units): loaded, emitted as o says, its
 * rows to p (when not NULL); each file written is printed (standard output),
 * each mail queued told on log (NULL: not told). 0, or an exit status with *why (a new string; EXIT_USAGE
 * for a month that is not one) at the first that failed. */
int monthly_run(struct context *ctx, const char *month, bool each, const char *unit,
    const struct monthly_out *o, struct printer *p, FILE *log, char **why);

/* The overdue cases now: not settled, not waiting, past their due time. */
const struct column *overdue_columns(int *ncols);
/* Ordered by unit and due time; *count set. 0 or a store status. */
int overdue_list(struct context *ctx, const char *unit, struct printer *p, long *count);
/* Working days a case due at `due` is overdue `now` (0 when due today). */
long overdue_days(struct context *ctx, time_t due, time_t now);

#endif
