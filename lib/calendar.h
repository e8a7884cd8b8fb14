/*
 * calendar.h — the one module that owns time: Solar Hijri (jalali) and
 * Gregorian dates, the time zone, and the working-day calendar (weekends,
 * official holidays, local closures, office hours) that deadlines count in.
 *
 * A day is a Julian day number (JDN), so arithmetic on days is arithmetic
 * on longs and the two calendars are two views of the same number.
 */
#ifndef PARTAKE_CALENDAR_H
#define PARTAKE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

enum cal_system { CAL_AUTO, CAL_JALALI, CAL_GREGORIAN };

struct ymd {
	int y, m, d;
};

/* --- conversion ---------------------------------------------------------- */

/* 0 and *jdn set when the date exists; -1 when it does not (never rolled over). */
int cal_gregorian_to_jdn(int y, int m, int d, long *jdn);
int cal_jalali_to_jdn(int y, int m, int d, long *jdn);
struct ymd cal_jdn_to_gregorian(long jdn);
struct ymd cal_jdn_to_jalali(long jdn);
bool cal_jalali_leap(int y);
/* Years outside 1206–1498 AP, the Calendar Center's published table, are computed. */
bool cal_jalali_provisional(int y);
int cal_jalali_month_days(int y, int m);
int cal_gregorian_month_days(int y, int m);
/* 0 = Saturday … 6 = Friday: the Iranian week. */
int cal_weekday(long jdn);
const char *cal_jalali_month_name(int m);	/* Persian, 1..12 */
const char *cal_jalali_month_name_latin(int m); /* "Farvardin" */
const char *cal_weekday_name(int wd);		/* Persian */
const char *cal_weekday_abbr(int wd);		/* "sat" … "fri" */

/* --- parsing -------------------------------------------------------------- */

/*
 * A date as typed: YYYY-MM-DD or YYYY/MM/DD in Persian, Arabic-Indic or
 * Latin digits, "g:" or "j:" in front (or force) to choose the calendar,
 * else a year below 1700 is Solar Hijri. An optional time follows after a
 * blank or 'T': HH:MM or HH:MM:SS. With 'Z' or ±HH:MM after the time the
 * instant is absolute; otherwise it is local to the configured zone.
 */
struct cal_when {
	long jdn;	/* the local day (or the UTC day when has_zone) */
	int sec;	/* seconds into that day; -1 when no time was given */
	bool has_zone;	/* an explicit Z or offset was given */
	int offset;	/* seconds east of UTC when has_zone */
	enum cal_system cal;	/* the calendar the date was written in */
};
/* 0 on success; -1 with *why set to a static message ("no such day", …). */
int cal_parse(const char *text, enum cal_system force, struct cal_when *out,
    const char **why);
/* The instant a parsed value names: a date alone is local midnight. */
time_t cal_when_time(const struct cal_when *w);

/* --- the time zone -------------------------------------------------------- */

/* Sets the zone used for showing times and counting days (tz database name). */
int cal_set_zone(const char *zone);
/* The local day and the seconds into it of an instant. */
long cal_local_day(time_t t, int *sec_of_day);
/* The instant of a local day and time (seconds into the day). */
time_t cal_local_instant(long jdn, int sec_of_day);

/* --- showing -------------------------------------------------------------- */

/* "1403-01-01" or "2024-03-20"; buf needs 16 bytes. */
char *cal_format_day(long jdn, enum cal_system cal, char *buf, size_t n);
/* "1403-01-01 10:30" in the configured zone; buf needs 24 bytes. */
char *cal_format_time(time_t t, enum cal_system cal, char *buf, size_t n);
/* "۱ فروردین ۱۴۰۳" long form, Persian month name; Latin or Persian digits. */
char *cal_format_long(long jdn, enum cal_system cal, bool persian_digits,
    char *buf, size_t n);

/* --- the working-day calendar --------------------------------------------- */

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
	const struct weekend_rule *weekend;	/* NULL: Friday */
	int office_open, office_close;	/* seconds after local midnight */
};
struct workcal;
/* NULL with *why (and the file and line in it) when a file is malformed. */
struct workcal *workcal_open(const struct workcal_options *opt, char **why);
void workcal_close(struct workcal *wc);

enum day_reason { DAY_WORKING, DAY_WEEKEND, DAY_HOLIDAY, DAY_CLOSURE };
/* Why a day is (not) a working day; *title names the holiday or closure. */
enum day_reason workcal_day(struct workcal *wc, long jdn, const char **title);
bool workcal_is_working(struct workcal *wc, long jdn);
/* The day n working days after jdn (jdn itself not counted); n < 0 goes back. */
long workcal_add(struct workcal *wc, long jdn, long n);
/* Working days in (from, to]; negative when to is before from. */
long workcal_between(struct workcal *wc, long from, long to);
/* The first Solar Hijri year from the day `from` to the day `to` without a
 * holiday file, or 0 when every one has its file. */
int workcal_missing_year(struct workcal *wc, long from, long to);
/* True when the Solar Hijri year has a holiday file. */
bool workcal_has_year(struct workcal *wc, int jalali_year);
/*
 * The due instant of a case received at `received` with n working days to
 * answer: a case received on a non-working day or after office hours
 * counts from the next working day; due is the close of office hours on
 * the n-th working day after that. *missing_year is set to a Solar Hijri
 * year without holiday data that the count crossed (0 when none).
 */
time_t workcal_due(struct workcal *wc, time_t received, int n, int *missing_year);

/* One holiday as listed: for pcal holidays. */
struct holiday {
	long jdn;
	char kind[8];		/* solar, lunar */
	char status[12];	/* official, predicted, disputed */
	const char *title_fa, *title_en;
};
/* The holidays of a Solar Hijri year, in order; *n set; NULL if no file. */
const struct holiday *workcal_holidays(struct workcal *wc, int jalali_year, size_t *n);

#endif
