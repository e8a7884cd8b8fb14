/*
 * workcal.h — the working-day calendar that deadlines are counted in:
 * the weekend rule, the official holidays and local closures, office
 * hours; adding and counting working days; the due instant of a case; and
 * a month as a wall calendar shows it.
 */
#ifndef PARTAKE_WORKCAL_H
#define PARTAKE_WORKCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "holiday.h"
#include "jalali.h"

/*
 * The weekend rule: a list of periods, each with the day it takes effect
 * from, as written in the config: "fri", "thu,fri", or with changes
 * "fri; 1404-03-01 thu,fri" (a period without a date holds from the start).
 */
struct weekend_rule;
struct weekend_rule *cal_weekend_parse(const char *spec, const char **why);
void cal_weekend_free(struct weekend_rule *rule);

struct workcal_options {
	const char *holidays_dir;	/* one ir-YYYY.tsv per Solar Hijri year */
	const char *closures;		/* local closures file, or NULL */
	int closure_max_days;		/* the longest closure; 0: CLOSURE_MAX_DAYS */
	const struct weekend_rule *weekend;	/* NULL: Friday */
	int office_open, office_close;	/* seconds after local midnight */
};
struct workcal;
/* NULL with *why (and the file and line in it) when a file is malformed. */
struct workcal *workcal_open(const struct workcal_options *opt, char **why);
void workcal_close(struct workcal *wc);

enum day_reason { DAY_WORKING, DAY_WEEKEND, DAY_HOLIDAY, DAY_CLOSURE };
/* "working", "weekend", "holiday" or "closure". */
const char *workcal_reason_name(enum day_reason r);
/* Why a day is (not) a working day; *title names the holiday or closure. */
enum day_reason workcal_day(struct workcal *wc, long jdn, const char **title);
bool workcal_is_working(struct workcal *wc, long jdn);
/*
 * The day n working days after jdn (jdn itself not counted) into *day; n < 0
 * goes back. False when the count meets more than 366 days in a row that
 * are not worked (closures end to end, say): workcal_error() says from when.
 */
bool workcal_add(struct workcal *wc, long jdn, long n, long *day);
/* Why the last workcal_add or workcal_due failed. */
const char *workcal_error(const struct workcal *wc);
/* Working days in (from, to]; negative when to is before from. */
long workcal_between(struct workcal *wc, long from, long to);

/* A day that is not worked, and why. */
struct day_off {
	long jdn;
	enum day_reason why;
	const char *title;	/* the holiday, closure or weekday; owned by the calendar */
};
/* The days from a to b, both included, in that order (b may come first),
 * that are not working days; *n set; a new array to free. */
struct day_off *workcal_days_off(struct workcal *wc, long a, long b, size_t *n);

/* The first Solar Hijri year from the day `from` to the day `to` without a
 * holiday file, or 0 when every one has its file. */
int workcal_missing_year(struct workcal *wc, long from, long to);
/* True when the Solar Hijri year has a holiday file. */
bool workcal_has_year(struct workcal *wc, int jalali_year);
/* Of this Solar Hijri year and the next (which deadlines will reach), those
 * without a holiday file, into years[]; returns how many (0–2). */
int workcal_years_without_file(struct workcal *wc, long today, int years[2]);
/*
 * The due instant of a case received at `received` with n working days to
 * answer, into *due: a case received on a non-working day or after office
 * hours counts from the next working day; due is the close of office hours
 * on the n-th working day after that. *missing_year is set to a Solar Hijri
 * year without holiday data that the count crossed (0 when none). False,
 * as workcal_add, when there is no such working day.
 */
bool workcal_due(struct workcal *wc, time_t received, int n, time_t *due, int *missing_year);

/* The holidays of a Solar Hijri year, in order; *n set; NULL if no file. */
const struct holiday *workcal_holidays(struct workcal *wc, int jalali_year, size_t *n);

/* A month as a wall calendar shows it: weeks from Saturday to Friday. */
struct month_grid {
	enum cal_system cal;
	int y, m, ndays;
	long first;		/* the JDN of day 1 */
	int nweeks;
	struct month_cell {
		int day;	/* 1…31; 0 for a cell before or after the month */
		long jdn;
		enum day_reason why;
		const char *title;
		bool marked;	/* a holiday or closure: what the grid stars */
	} cell[6][7];		/* [week][weekday], weekday 0 = Saturday */
};
/* Month m of year y in the calendar cal (CAL_AUTO: jalali); -1 when there is no such month. */
int workcal_month(struct workcal *wc, enum cal_system cal, int y, int m, struct month_grid *g);

#endif
