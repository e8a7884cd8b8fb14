/*
 * holiday.h — the days the office is closed by law or by local decision:
 * the official holiday files (one ir-YYYY.tsv per Solar Hijri year, in
 * share/partake/holidays) and the agency's own closures file. Both are
 * read and checked whole, and a bad line is named "FILE:LINE: why".
 */
#ifndef PARTAKE_HOLIDAY_H
#define PARTAKE_HOLIDAY_H

#include <stdbool.h>
#include <stddef.h>

/* One holiday as listed. */
struct holiday {
	long jdn;
	char kind[8];		/* solar, lunar */
	char status[12];	/* official, predicted, disputed */
	const char *title_fa, *title_en;
};

/* The holiday files of one folder. */
struct holidays;
/* Reads every ir-YYYY.tsv in dir; NULL with *why (to free) when one is malformed. */
struct holidays *holidays_read(const char *dir, char **why);
/* The holidays of a Solar Hijri year, in order; *n set; NULL if no file (or hs NULL). */
const struct holiday *holidays_of_year(const struct holidays *hs, int jalali_year, size_t *n);
void holidays_free(struct holidays *hs);

/* A local closure: the days from `from` to `to`, both included. */
struct closure {
	long from, to;
	char *scope, *reason;
};

/* The closures file: DATE[..DATE] <TAB> SCOPE <TAB> REASON lines. */
struct closures;
/* The longest closure, in days, unless the config's closure_max_days says otherwise. */
#define CLOSURE_MAX_DAYS 60
/*
 * NULL with *why (to free) when the file cannot be read or a line is
 * malformed: a date that does not exist, a range that ends before it
 * starts, has its ends in two calendars (a typo of one digit in the year
 * reads "1405-02-01..9405-02-01" as reaching into Gregorian 9405) or is
 * longer than max_days.
 */
struct closures *closures_read(const char *path, int max_days, char **why);
/* The closures in the order of the file; *n set (0 when cs is NULL). */
const struct closure *closures_list(const struct closures *cs, size_t *n);
/* The first closure that takes in the day, or NULL. */
const struct closure *closures_on(const struct closures *cs, long jdn);
void closures_free(struct closures *cs);

#endif
