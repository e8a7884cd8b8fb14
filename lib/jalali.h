/*
 * jalali.h — Solar Hijri (jalali) and Gregorian days as Julian day numbers
 * (JDN), so that arithmetic on days is arithmetic on longs and the two
 * calendars are two views of the same number; and the names of months and
 * weekdays. The lowest of the calendar modules: it includes none of them.
 */
#ifndef PARTAKE_JALALI_H
#define PARTAKE_JALALI_H

#include <stdbool.h>

enum cal_system { CAL_AUTO, CAL_JALALI, CAL_GREGORIAN };

struct ymd {
	int y, m, d;
};

#define CAL_UNIX_EPOCH_JDN 2440588L /* 1970-01-01 */

/* CAL_JALALI or CAL_GREGORIAN for "jalali" or "gregorian"; -1 for another name. */
int cal_system_parse(const char *name);

/* 0 and *jdn set when the date exists; -1 when it does not (never rolled over). */
int cal_gregorian_to_jdn(int y, int m, int d, long *jdn);
int cal_jalali_to_jdn(int y, int m, int d, long *jdn);
struct ymd cal_jdn_to_gregorian(long jdn);
struct ymd cal_jdn_to_jalali(long jdn);
/* The same in the calendar named (CAL_AUTO: jalali). */
int cal_to_jdn(enum cal_system cal, int y, int m, int d, long *jdn);
struct ymd cal_from_jdn(enum cal_system cal, long jdn);

bool cal_jalali_leap(int y);
/* Years outside 1206–1498 AP, the Calendar Center's published table, are computed. */
bool cal_jalali_provisional(int y);
/* The first day (1 Farvardin) of a Solar Hijri year, and the year of a day. */
long cal_jalali_year_start(long y);
long cal_jalali_year_of(long jdn);
int cal_jalali_month_days(int y, int m);
int cal_gregorian_month_days(int y, int m);
int cal_month_days(enum cal_system cal, int y, int m);

/* The UTC day of a Unix time, and the seconds into it when sec_of_day is not NULL. */
long cal_utc_day(long long t, int *sec_of_day);

/* 0 = Saturday … 6 = Friday: the Iranian week. */
int cal_weekday(long jdn);
const char *cal_jalali_month_name(int m);	/* Persian, 1..12 */
const char *cal_jalali_month_name_latin(int m); /* "Farvardin" */
const char *cal_gregorian_month_name(int m);	/* "January" */
/* "Farvardin" or "January", by the calendar (CAL_AUTO: jalali). */
const char *cal_month_name_latin(enum cal_system cal, int m);
const char *cal_weekday_name(int wd);		/* Persian */
const char *cal_weekday_abbr(int wd);		/* "sat" … "fri" */
/*
 * A weekday as typed: English abbreviation or name in any case, or Persian
 * with or without the zero-width non-joiner or a space, Arabic yeh and kaf
 * (what an Arabic keyboard types) read as Persian; -1 when none.
 */
int cal_weekday_parse(const char *name);

#endif
