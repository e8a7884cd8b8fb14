/*
 * caltime.h — days and times as people type and read them: parsing dates
 * in either calendar and any of the three digit sets, the time zone that
 * days are counted in, and the forms dates and times are shown in
 * (including RFC 3339 for feeds).
 */
#ifndef PARTAKE_CALTIME_H
#define PARTAKE_CALTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "jalali.h"

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
/* The local day a parsed value names (a time with a zone is moved into
 * ours), and its seconds into the day (-1 when no time was given). */
long cal_when_local_day(const struct cal_when *w, int *sec_of_day);
/* A month as typed, YYYY-MM or YYYY/MM, read like a date; 0, or -1 with *why. */
int cal_parse_month(const char *text, enum cal_system force, enum cal_system *cal,
    int *y, int *m, const char **why);
/* True when text starts as a date does: a digit, or a g: or j: prefix. */
bool cal_looks_like_date(const char *text);

/* --- the time zone -------------------------------------------------------- */

/* Sets the zone used for showing times and counting days (tz database name). */
int cal_set_zone(const char *zone);
/* The local day and the seconds into it of an instant. */
long cal_local_day(time_t t, int *sec_of_day);
/* The instant of a local day and time (seconds into the day). */
time_t cal_local_instant(long jdn, int sec_of_day);

/* --- showing -------------------------------------------------------------- */

/*
 * How a reader is shown dates and numbers: the calendar and the digits.
 * These functions are partake's one formatter of dates, times and counts;
 * every output and every notice writes them here, in a style of the
 * config (config.h): `shown` for what admins read, `citizen` for what
 * citizens read. A printer's cells take cal_latin(the calendar): the
 * printer itself gives people the digits of its options and programs
 * Latin ones (fmt.h), so a cell is never written in Persian digits.
 */
struct cal_style {
	enum cal_system cal;	/* CAL_AUTO: Solar Hijri */
	bool persian_digits;
};
/* The calendar with Latin digits: for a printer's cells, files and messages. */
struct cal_style cal_latin(enum cal_system cal);

/* "1403-01-01" or "2024-03-20" (or "۱۴۰۳-۰۱-۰۱"); buf needs 32 bytes. */
char *cal_format_day(long jdn, struct cal_style s, char *buf, size_t n);
/* A day, and " HH:MM" after it unless sec_of_day is -1; buf needs 48 bytes. */
char *cal_format_when(long jdn, int sec_of_day, struct cal_style s, char *buf, size_t n);
/* "1403-01-01 10:30" in the configured zone; buf needs 48 bytes. */
char *cal_format_time(time_t t, struct cal_style s, char *buf, size_t n);
/* "۱ فروردین ۱۴۰۳" long form, Persian month name (English for Gregorian). */
char *cal_format_long(long jdn, struct cal_style s, char *buf, size_t n);
/* A whole number; buf needs 48 bytes. */
char *cal_format_number(long long v, struct cal_style s, char *buf, size_t n);
/* A text's Latin digits in the style's digits (a tracking code, "10 days"). */
char *cal_format_digits(const char *text, struct cal_style s, char *buf, size_t n);
/*
 * A time as an event stores it ("1405-09-12 14:30", local, in either
 * calendar: the year tells which) shown in the style; a text that is not
 * a time is copied as it is.
 */
char *cal_format_stored(const char *text, struct cal_style s, char *buf, size_t n);
/* "2026-12-01T21:16:36Z": RFC 3339 in UTC, for Atom feeds; buf needs 21 bytes. */
char *cal_format_rfc3339(time_t t, char *buf, size_t n);
/* "2026-12-02T00:46:36+03:30": RFC 3339 in the configured zone with its
 * offset, for standards that show local time (Open311); buf needs 26 bytes. */
char *cal_format_rfc3339_local(time_t t, char *buf, size_t n);
/* "Tue, 01 Dec 2026 21:16:36 +0000": RFC 5322 in UTC, in English whatever
 * the locale, for a mail's Date; buf needs 32 bytes. */
char *cal_format_rfc5322(time_t t, char *buf, size_t n);

#endif
