/*
 * test-calendar.c — the calendar modules against facts checked by hand:
 * the days of the published span in order and back (the leap years
 * themselves are checked against ICU in test-jalali-icu.c), known day pairs, parsing as users type it, weekend rules, and deadlines
 * counted over the shipped holiday files.
 *
 * Holiday files: argv[1], else PARTAKE_HOLIDAYS_DIR, else
 * share/partake/holidays (run from the top of the tree).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caltime.h"
#include "holiday.h"
#include "workcal.h"
#include "tap.h"

static long
J(int y, int m, int d)
{
	long jdn = -1;

	if (cal_jalali_to_jdn(y, m, d, &jdn) != 0)
		printf("# %04d-%02d-%02d: no such jalali day\n", y, m, d);
	return jdn;
}

static long
G(int y, int m, int d)
{
	long jdn = -1;

	if (cal_gregorian_to_jdn(y, m, d, &jdn) != 0)
		printf("# %04d-%02d-%02d: no such gregorian day\n", y, m, d);
	return jdn;
}

/* The instant a string with an explicit offset names. */
static time_t
T(const char *s)
{
	struct cal_when w;
	const char *why;

	if (cal_parse(s, CAL_AUTO, &w, &why) != 0) {
		printf("# %s: %s\n", s, why);
		return -1;
	}
	return cal_when_time(&w);
}

static void
test_conversion(void)
{
	long jdn = J(1206, 1, 1), first = jdn, prev = jdn - 1;
	char bad[128] = "";
	int y;

	is_int(jdn, 2388438, "1206-01-01 is JDN 2388438");
	/* Every day of the published span, in order. */
	for (y = 1206; y <= 1498 && !*bad; y++) {
		long start = jdn;

		for (int m = 1; m <= 12 && !*bad; m++) {
			for (int d = 1; d <= cal_jalali_month_days(y, m); d++) {
				long j;
				struct ymd back;

				if (cal_jalali_to_jdn(y, m, d, &j) != 0) {
					snprintf(bad, sizeof bad, "%d-%02d-%02d refused", y, m, d);
					break;
				}
				back = cal_jdn_to_jalali(j);
				if (back.y != y || back.m != m || back.d != d) {
					snprintf(bad, sizeof bad, "%d-%02d-%02d came back as %d-%02d-%02d",
					    y, m, d, back.y, back.m, back.d);
					break;
				}
				if (j != prev + 1) {
					snprintf(bad, sizeof bad, "%d-%02d-%02d is JDN %ld after %ld",
					    y, m, d, j, prev);
					break;
				}
				prev = j;
			}
		}
		jdn = prev + 1;
		if (!*bad && jdn - start != (cal_jalali_leap(y) ? 366 : 365))
			snprintf(bad, sizeof bad, "year %d has %ld days", y, jdn - start);
		if (!*bad && cal_jalali_provisional(y))
			snprintf(bad, sizeof bad, "year %d called provisional", y);
		if (!*bad && cal_jalali_month_days(y, 12) != (cal_jalali_leap(y) ? 30 : 29))
			snprintf(bad, sizeof bad, "Esfand %d has %d days", y, cal_jalali_month_days(y, 12));
	}
	ok(!*bad, "1206-01-01 … 1498-12-end: round trip, consecutive, lengths as cal_jalali_leap%s%s",
	    *bad ? ": " : "", bad);
	is_int(prev - first + 1, 293L * 365 + 71, "the span has 293 years and 71 leap days");
	is_int(cal_jdn_to_jalali(prev + 1).y, 1499, "the day after 1498-12-30 is in 1499");
	ok(cal_jdn_to_jalali(prev + 1).m == 1 && cal_jdn_to_jalali(prev + 1).d == 1,
	    "… and is 1499-01-01");
	is_int(J(1205, 12, cal_jalali_month_days(1205, 12)), first - 1,
	    "the last day of 1205 joins 1206-01-01");

	*bad = '\0';
	for (long j = first; j <= prev && !*bad; j++) {
		struct ymd g = cal_jdn_to_gregorian(j);
		long back;

		if (cal_gregorian_to_jdn(g.y, g.m, g.d, &back) != 0 || back != j)
			snprintf(bad, sizeof bad, "JDN %ld → %d-%02d-%02d → %ld", j, g.y, g.m, g.d, back);
	}
	ok(!*bad, "gregorian round trip over the same span%s%s", *bad ? ": " : "", bad);

	*bad = '\0';
	for (y = 1499; y <= 1700 && !*bad; y++)
		if (cal_jalali_leap(y) != (((25 * y + 11) % 33) < 8) || !cal_jalali_provisional(y))
			snprintf(bad, sizeof bad, "year %d", y);
	for (y = 1000; y < 1206 && !*bad; y++)
		if (cal_jalali_leap(y) != (((25 * y + 11) % 33) < 8) || !cal_jalali_provisional(y))
			snprintf(bad, sizeof bad, "year %d", y);
	ok(!*bad, "outside the table: the 33-year rule, provisional%s%s", *bad ? ": " : "", bad);

	*bad = '\0';
	for (long j = J(1000, 1, 1), p = j - 1; j < J(1700, 1, 1) && !*bad; j += 1) {
		struct ymd v = cal_jdn_to_jalali(j);
		long back;

		if (cal_jalali_to_jdn(v.y, v.m, v.d, &back) != 0 || back != j || back != p + 1)
			snprintf(bad, sizeof bad, "JDN %ld", j);
		p = j;
	}
	ok(!*bad, "jalali 1000–1699 round trip%s%s", *bad ? ": " : "", bad);

	is_int(J(1403, 1, 1), G(2024, 3, 20), "1403-01-01 = 2024-03-20");
	is_int(J(1403, 12, 30), G(2025, 3, 20), "1403-12-30 = 2025-03-20");
	is_int(J(1404, 1, 1), G(2025, 3, 21), "1404-01-01 = 2025-03-21");
	is_int(J(1399, 12, 30), G(2021, 3, 20), "1399-12-30 = 2021-03-20");
	is_int(J(1354, 1, 1), G(1975, 3, 21), "1354-01-01 = 1975-03-21");
	is_int(J(1405, 12, 29), G(2027, 3, 20), "1405-12-29 = 2027-03-20");
	is_int(G(2000, 1, 1), 2451545, "2000-01-01 is JDN 2451545");
	is_int(G(1970, 1, 1), 2440588, "1970-01-01 is JDN 2440588");

	long j;
	ok(cal_jalali_to_jdn(1404, 12, 30, &j) == -1, "1404-12-30 refused");
	ok(cal_gregorian_to_jdn(2025, 2, 29, &j) == -1, "2025-02-29 refused");
	ok(cal_gregorian_to_jdn(2024, 2, 29, &j) == 0, "2024-02-29 exists");
	ok(cal_gregorian_to_jdn(1900, 2, 29, &j) == -1, "1900-02-29 refused");
	ok(cal_jalali_to_jdn(1403, 7, 31, &j) == -1, "1403-07-31 refused");
	ok(cal_jalali_to_jdn(1403, 13, 1, &j) == -1, "month 13 refused");
	ok(cal_jalali_to_jdn(1403, 1, 0, &j) == -1, "day 0 refused");
	ok(cal_jalali_to_jdn(1403, 6, 31, &j) == 0, "1403-06-31 exists");

	is_int(cal_weekday(G(2024, 3, 20)), 4, "2024-03-20 is a Wednesday");
	is_int(cal_weekday(J(1404, 1, 1)), 6, "1404-01-01 is a Friday");
	is_int(cal_weekday(G(1970, 1, 3)), 0, "1970-01-03 is a Saturday");
	is_str(cal_weekday_abbr(6), "fri", "abbreviation of Friday");
	is_str(cal_weekday_name(0), "شنبه", "Persian name of Saturday");
	is_str(cal_jalali_month_name(1), "فروردین", "Persian name of month 1");
	is_str(cal_jalali_month_name(12), "اسفند", "Persian name of month 12");
	is_str(cal_jalali_month_name_latin(6), "Shahrivar", "Latin name of month 6");
}

/* The text as a TAP line may show it: control bytes and broken UTF-8 escaped. */
static const char *
show(const char *text)
{
	static char out[4][256];
	static int which;
	char *o = out[which++ % 4], *end = o + 250;
	const unsigned char *p = (const unsigned char *)text;

	while (*p && o < end) {
		int n = *p < 0x80 ? 0 : *p >= 0xC2 && *p <= 0xDF ? 1 : *p >= 0xE0 && *p <= 0xEF ? 2 : -1;
		bool whole = n >= 0;

		for (int i = 1; whole && i <= n; i++)
			whole = (p[i] & 0xC0) == 0x80;
		if (!whole || *p < 0x20) {
			o += sprintf(o, "\\x%02x", *p++);
			continue;
		}
		for (int i = 0; i <= n; i++)
			*o++ = (char)*p++;
	}
	*o = '\0';
	return out[(which - 1) % 4];
}

static void
parse_is(const char *text, enum cal_system force, long jdn, int sec, const char *what)
{
	struct cal_when w;
	const char *why = NULL;
	int r = cal_parse(text, force, &w, &why);

	if (!ok(r == 0 && w.jdn == jdn && w.sec == sec && !w.has_zone, "%s: '%s'", what, show(text)))
		printf("#   r=%d why=%s jdn=%ld (want %ld) sec=%d (want %d)\n", r, why ? why : "-",
		    r == 0 ? w.jdn : 0, jdn, r == 0 ? w.sec : 0, sec);
}

static void
zone_is(const char *text, long jdn, int sec, int offset)
{
	struct cal_when w;
	const char *why = NULL;
	int r = cal_parse(text, CAL_AUTO, &w, &why);

	if (!ok(r == 0 && w.has_zone && w.jdn == jdn && w.sec == sec && w.offset == offset,
	        "absolute time: '%s'", show(text)))
		printf("#   r=%d why=%s jdn=%ld sec=%d offset=%d\n", r, why ? why : "-",
		    r == 0 ? w.jdn : 0, r == 0 ? w.sec : 0, r == 0 ? w.offset : 0);
}

static void
refused(const char *text, const char *want_why)
{
	struct cal_when w;
	const char *why = NULL;
	int r = cal_parse(text, CAL_AUTO, &w, &why);

	if (want_why)
		ok(r == -1 && why && strcmp(why, want_why) == 0, "refused as '%s': '%s' (%s)",
		    want_why, show(text), why ? why : "accepted");
	else
		ok(r == -1 && why && *why, "refused: '%s' (%s)", show(text), why ? why : "accepted");
}

static void
test_parse(void)
{
	long n = J(1403, 1, 1);

	parse_is("1403-01-01", CAL_AUTO, n, -1, "latin digits");
	parse_is("۱۴۰۳/۰۱/۰۱", CAL_AUTO, n, -1, "Persian digits, slashes");
	parse_is("١٤٠٣-٠١-٠١", CAL_AUTO, n, -1, "Arabic-Indic digits");
	parse_is("1۴0٣-1-1", CAL_AUTO, n, -1, "mixed digits, one-digit month and day");
	parse_is("2024/03/20", CAL_AUTO, n, -1, "gregorian by its year");
	parse_is("  1403-01-01\t\n", CAL_AUTO, n, -1, "blanks around");
	parse_is("g:1403-01-01", CAL_AUTO, G(1403, 1, 1), -1, "g: prefix");
	parse_is("j:1800-01-01", CAL_AUTO, J(1800, 1, 1), -1, "j: prefix");
	parse_is("1403-01-01", CAL_GREGORIAN, G(1403, 1, 1), -1, "forced gregorian");
	parse_is("2024-03-20", CAL_JALALI, J(2024, 3, 20), -1, "forced jalali");
	parse_is("j:1403-01-01", CAL_GREGORIAN, n, -1, "the prefix wins over force");
	parse_is("1403-01-01 10:30", CAL_AUTO, n, 37800, "local time");
	parse_is("1403-01-01T10:30:15", CAL_AUTO, n, 37815, "T and seconds");
	parse_is("۱۴۰۳-۰۱-۰۱ ۰۹:۰۵", CAL_AUTO, n, 32700, "Persian digits in the time");
	parse_is("2024-03-20 23:59:59 ", CAL_AUTO, n, 86399, "last second, trailing blank");

	zone_is("2024-03-20T10:30Z", n, 37800, 0);
	zone_is("2024-03-20 02:00+03:30", n - 1, 81000, 12600);
	zone_is("2024-03-20T23:00-0100", n + 1, 0, -3600);
	zone_is("1403-01-01 14:00 +0330", n, 37800, 12600);
	is_int(T("2024-03-20T10:30Z"), 1710930600, "instant of 2024-03-20T10:30Z");
	is_int(T("1403-01-01 14:00+03:30"), 1710930600, "the same instant, jalali with offset");

	refused("", NULL);
	refused("hello", NULL);
	refused("1403-01-01x", "unexpected text after the date");
	refused("1403-01-01 10:30 foo", "unexpected text after the date");
	refused("1403-01-01Z", NULL);
	refused("14030-01-01", NULL);
	refused("403-01-01", NULL);
	refused("1403-01/01", NULL);
	refused("1403-001-01", NULL);
	refused("1403-13-01", "no such day");
	refused("1403-00-10", "no such day");
	refused("1403-01-00", "no such day");
	refused("1403-07-31", "no such day");
	refused("1404-12-30", "no such day");
	refused("۱۴۰۴/۱۲/۳۰", "no such day");
	refused("2025-02-29", "no such day");
	refused("0000-01-01", "no such day");
	refused("1403-01-01 24:00", "no such time");
	refused("1403-01-01 10:60", "no such time");
	refused("1403-01-01 10", NULL);
	refused("1403-01-01 10:3", NULL);
	refused("1403-01-01 10:30+3", NULL);
	refused("1403-01-01 10:30+03:3", NULL);
	refused("1403-01-01T", NULL);
	refused("x:1403-01-01", NULL);
	refused("1403-01-01\xdb", NULL);
}

static void
test_zone_and_format(void)
{
	char buf[64];
	int sec = -1;
	long n = J(1403, 1, 1);

	ok(cal_set_zone("Nowhere/Nope") == -1, "unknown zone refused");
	ok(cal_set_zone("../../etc/passwd") == -1, "path outside the database refused");
	ok(cal_set_zone("zone.tab") == -1, "a file that is not a zone refused");
	ok(cal_set_zone("UTC") == 0, "UTC accepted");
	is_int(cal_local_day(1710930600, &sec), n, "UTC: local day");
	is_int(sec, 37800, "UTC: seconds into the day");
	ok(cal_set_zone("Asia/Tehran") == 0, "Asia/Tehran accepted");
	is_int(cal_local_day(1710930600, &sec), n, "Tehran: local day");
	is_int(sec, 50400, "Tehran: 14:00, +03:30");
	is_int(cal_local_day(T("2024-03-20T21:00Z"), &sec), n + 1, "21:00Z is the next day in Tehran");
	is_int(cal_local_instant(G(2024, 7, 1), 12 * 3600), 1719822600,
	    "2024-07-01 12:00 Tehran is 08:30Z (no DST since 2022)");
	is_int(cal_local_instant(G(2010, 7, 1), 12 * 3600), 1277969400,
	    "2010-07-01 12:00 Tehran is 07:30Z (DST, +04:30)");
	is_int(cal_local_instant(G(1978, 3, 25), 0), 259617600,
	    "1978-03-25 had no 00:00 in Tehran: midnight is the jump at 20:00Z");
	is_int(cal_local_day(259617600, &sec), G(1978, 3, 25), "… which is on 1978-03-25");
	is_int(sec, 3600, "… at 01:00");
	is_int(cal_local_instant(G(1977, 10, 20), 23 * 3600 + 45 * 60),
	    T("1977-10-20T23:45+04:30"), "a repeated time maps to its first occurrence");
	struct cal_when w;
	const char *why;
	ok(cal_parse("1403-01-01 14:00", CAL_AUTO, &w, &why) == 0 && cal_when_time(&w) == 1710930600,
	    "a local time names the instant through the zone");
	ok(cal_parse("1403-01-01", CAL_AUTO, &w, &why) == 0 &&
	    cal_when_time(&w) == T("2024-03-19T20:30Z"), "a date alone is local midnight");

	struct cal_style jalali = cal_latin(CAL_JALALI), gregorian = cal_latin(CAL_GREGORIAN);
	struct cal_style fa = {CAL_JALALI, true}, fa_gregorian = {CAL_GREGORIAN, true};
	is_str(cal_format_day(n, jalali, buf, sizeof buf), "1403-01-01", "format jalali day");
	is_str(cal_format_day(n, gregorian, buf, sizeof buf), "2024-03-20", "format gregorian day");
	is_str(cal_format_time(1710930600, jalali, buf, sizeof buf), "1403-01-01 14:00",
	    "format time, jalali, Tehran");
	is_str(cal_format_time(1710930600, gregorian, buf, sizeof buf), "2024-03-20 14:00",
	    "format time, gregorian");
	is_str(cal_format_long(n, fa, buf, sizeof buf), "۱ فروردین ۱۴۰۳",
	    "long form, Persian digits");
	is_str(cal_format_long(J(1403, 12, 30), jalali, buf, sizeof buf),
	    "30 اسفند 1403", "long form, Latin digits");
	is_str(cal_format_long(n, gregorian, buf, sizeof buf), "20 March 2024",
	    "long form, gregorian");
	is_str(cal_format_long(n, fa, buf, 6), "۱ ف", "a short buffer cuts between characters");
	is_str(cal_format_rfc3339(1796159796, buf, sizeof buf), "2026-12-01T21:16:36Z",
	    "RFC 3339 is in UTC, whatever the zone");
	is_str(cal_format_rfc3339(0, buf, sizeof buf), "1970-01-01T00:00:00Z", "RFC 3339 of the epoch");
	is_str(cal_format_rfc3339(-1, buf, sizeof buf), "1969-12-31T23:59:59Z", "… and of a second before it");
	is_str(cal_format_rfc5322(1796159796, buf, sizeof buf), "Tue, 01 Dec 2026 21:16:36 +0000",
	    "RFC 5322, for a mail's Date: in UTC, in English");
	is_str(cal_format_rfc5322(-1, buf, sizeof buf), "Wed, 31 Dec 1969 23:59:59 +0000",
	    "… a second before the epoch");
	is_str(cal_format_when(n, 37815, jalali, buf, sizeof buf), "1403-01-01 10:30",
	    "a day and a time, seconds dropped");
	is_str(cal_format_when(n, -1, gregorian, buf, sizeof buf), "2024-03-20", "a day without a time");

	/* The one formatter in a style with Persian digits: what citizens read. */
	is_str(cal_format_time(1710930600, fa, buf, sizeof buf), "۱۴۰۳-۰۱-۰۱ ۱۴:۰۰",
	    "a time in Persian digits");
	is_str(cal_format_day(n, fa_gregorian, buf, sizeof buf), "۲۰۲۴-۰۳-۲۰",
	    "a Gregorian day in Persian digits");
	is_str(cal_format_time(1710930600, fa, buf, 12), "۱۴۰۳-۰", "a short buffer keeps whole digits");
	is_str(cal_format_number(-1405, fa, buf, sizeof buf), "-۱۴۰۵", "a number in Persian digits");
	is_str(cal_format_number(0, jalali, buf, sizeof buf), "0", "… and in Latin ones");
	is_str(cal_format_digits("7756-8270-1289", fa, buf, sizeof buf), "۷۷۵۶-۸۲۷۰-۱۲۸۹",
	    "a code's digits in Persian");
	/* Due times as events keep them, in either calendar, shown in the reader's. */
	is_str(cal_format_stored("1405-09-12 14:30", gregorian, buf, sizeof buf), "2026-12-03 14:30",
	    "a stored Solar Hijri time shown in Gregorian");
	is_str(cal_format_stored("2026-12-03 14:30", jalali, buf, sizeof buf), "1405-09-12 14:30",
	    "a stored Gregorian time (an older release's) shown in Solar Hijri");
	is_str(cal_format_stored("1405-09-12 14:30", fa, buf, sizeof buf), "۱۴۰۵-۰۹-۱۲ ۱۴:۳۰",
	    "… or in Persian digits");
	is_str(cal_format_stored("in-progress", gregorian, buf, sizeof buf), "in-progress",
	    "a text that is no time is shown as it is");
	is_str(cal_format_stored("1", gregorian, buf, sizeof buf), "1", "… a level too");
	enum cal_system mc = CAL_AUTO;
	int my = 0, mm = 0;
	ok(cal_parse_month("۱۴۰۵/۰۷", CAL_AUTO, &mc, &my, &mm, &why) == 0 && mc == CAL_JALALI &&
	    my == 1405 && mm == 7, "a month as typed: 1405/07 in Persian digits");
	ok(cal_parse_month("2026-03", CAL_AUTO, &mc, &my, &mm, &why) == 0 && mc == CAL_GREGORIAN &&
	    my == 2026 && mm == 3, "a Gregorian month");
	why = NULL;
	int mr = cal_parse_month("1405-13", CAL_AUTO, &mc, &my, &mm, &why);
	ok(mr == -1 && why, "month 13 refused (%s)", why ? why : "accepted");
}

static void
test_weekend(void)
{
	const char *why = NULL;
	struct weekend_rule *r;

	struct {
		const char *spec, *why;
	} bad[] = {
		{"", NULL}, {"xyz", NULL}, {"fri;", NULL}, {"fri;;thu", NULL},
		{"fri; 1404-03-01", NULL}, {"fri; thu", NULL},
		{"1404-03-01 fri; 1403-01-01 thu", "weekend dates must increase"},
		{"fri; 1404-12-30 thu", "no such day"}, {"fri,,thu", NULL},
		{"fri; 1404-03-01 10:00 thu", NULL},
		{"sat,sun,mon,tue,wed,thu,fri",
		    "every day of the week is a weekend day: no working day is left"},
		{"fri; 1405-01-01 fri,sat,sun,mon,tue,wed,thu",
		    "every day of the week is a weekend day: no working day is left"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		r = cal_weekend_parse(bad[i].spec, &why);
		ok(r == NULL && why && (!bad[i].why || strcmp(why, bad[i].why) == 0),
		    "bad weekend rule refused: '%s' (%s)", bad[i].spec, why ? why : "accepted");
		cal_weekend_free(r);
	}
	is_int(cal_weekday_parse("پنج‌شنبه"), 5, "a weekday in Persian, with ZWNJ");
	is_int(cal_weekday_parse("\u064a\u06a9\u0634\u0646\u0628\u0647"), 1, "… with an Arabic yeh");
	is_int(cal_weekday_parse("Friday"), 6, "… in English");
	is_int(cal_weekday_parse("caturday"), -1, "… not one");
	const char *good[] = {"fri", "thu,fri", " Thu , FRI ", "fri; 1404-03-01 thu,fri",
	    "پنجشنبه،جمعه", "پنج‌شنبه, جمعه", "none", "friday", "fri; g:2025-05-22 thu,fri"};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		r = cal_weekend_parse(good[i], &why);
		ok(r != NULL, "weekend rule accepted: '%s'", good[i]);
		cal_weekend_free(r);
	}
}

/* workcal_add's day, or LONG_MIN when it found none. */
static long
add_days(struct workcal *wc, long jdn, long n)
{
	long day;

	return workcal_add(wc, jdn, n, &day) ? day : LONG_MIN;
}

/* workcal_due's instant, or -1 when it found none. */
static time_t
due_at(struct workcal *wc, time_t received, int n, int *missing)
{
	time_t due;

	return workcal_due(wc, received, n, &due, missing) ? due : (time_t)-1;
}

static struct workcal *
open_wc(const char *dir, const char *closures, const char *weekend)
{
	struct weekend_rule *rule = NULL;
	const char *why1;
	char *why = NULL;

	if (weekend && (rule = cal_weekend_parse(weekend, &why1)) == NULL) {
		printf("# weekend '%s': %s\n", weekend, why1);
		return NULL;
	}
	struct workcal_options opt = {.holidays_dir = dir, .closures = closures, .weekend = rule,
	    .office_open = 7 * 3600 + 30 * 60, .office_close = 14 * 3600 + 30 * 60};
	struct workcal *wc = workcal_open(&opt, &why);

	cal_weekend_free(rule); /* the calendar keeps its own copy */
	if (wc == NULL)
		printf("# workcal_open: %s\n", why ? why : "?");
	free(why);
	return wc;
}

static char *
write_temp(const char *dir, const char *name, const char *text)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	FILE *f;

	sprintf(path, "%s/%s", dir, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void
test_workcal(const char *dir)
{
	struct workcal *wc = open_wc(dir, NULL, NULL);
	const char *title = NULL;
	long d;

	if (!ok(wc != NULL, "workcal opens the shipped holidays in %s", dir))
		return;
	ok(workcal_has_year(wc, 1403) && workcal_has_year(wc, 1404) && workcal_has_year(wc, 1405),
	    "1403, 1404 and 1405 have holiday files");
	ok(!workcal_has_year(wc, 1402) && !workcal_has_year(wc, 1406), "1402 and 1406 do not");

	is_int(workcal_day(wc, J(1403, 1, 1), &title), DAY_HOLIDAY, "1403-01-01 is a holiday");
	is_str(title, "جشن نوروز / آغاز سال نو", "… named");
	is_int(workcal_day(wc, J(1403, 1, 3), &title), DAY_HOLIDAY, "a holiday on a Friday is a holiday");
	is_int(workcal_day(wc, J(1403, 1, 10), &title), DAY_WEEKEND, "1403-01-10 is a Friday");
	is_str(title, "جمعه", "… named by its weekday");
	is_int(workcal_day(wc, J(1403, 1, 5), &title), DAY_WORKING, "1403-01-05 is a working day");
	ok(title == NULL, "… without a title");
	workcal_day(wc, J(1403, 1, 13), &title);
	ok(title && strstr(title, "سیزده") && strstr(title, "حضرت علی"),
	    "two holidays on one day: both named (%s)", title ? title : "-");
	is_int(workcal_day(wc, J(1403, 12, 30), NULL), DAY_HOLIDAY,
	    "30 Esfand 1403 (disputed) counts as a holiday");
	is_int(workcal_day(wc, J(1405, 12, 19), NULL), DAY_HOLIDAY,
	    "a predicted lunar holiday counts as a holiday");

	d = add_days(wc, J(1403, 1, 1), 10);
	is_int(d, J(1403, 1, 18), "10 working days after 1403-01-01 skip Nowruz: 1403-01-18");
	is_int(workcal_between(wc, J(1403, 1, 1), J(1403, 1, 18)), 10, "between counts them back");
	is_int(workcal_between(wc, J(1403, 1, 18), J(1403, 1, 1)), -10, "… negative backwards");
	is_int(workcal_between(wc, J(1403, 1, 5), J(1403, 1, 5)), 0, "between a day and itself");
	is_int(add_days(wc, J(1403, 1, 18), -9), J(1403, 1, 5), "9 working days back");
	is_int(add_days(wc, J(1403, 1, 5), 0), J(1403, 1, 5), "adding 0 stays");
	is_int(add_days(wc, J(1403, 12, 26), 3), J(1404, 1, 5),
	    "across the year end: 12-27, 12-28, then past Nowruz to 1404-01-05");
	is_int(workcal_between(wc, J(1403, 1, 1), J(1404, 1, 1)),
	    366 - 52 - 27 + 2 /* holidays on Fridays */,
	    "working days in 1403 = days − Fridays − holidays not on Fridays");

	/* Every d in a range: add then between is the identity; a slow walk agrees. */
	char bad[96] = "";
	for (long j = J(1403, 1, 1) - 20; j < J(1405, 12, 29) && !*bad; j++) {
		long to = add_days(wc, j, 7), walk = j, k = 0;

		while (k < 7)
			k += workcal_is_working(wc, ++walk);
		if (to != walk || workcal_between(wc, j, to) != 7 || add_days(wc, to, -7) > j)
			snprintf(bad, sizeof bad, "from JDN %ld: add %ld, walk %ld", j, to, walk);
	}
	ok(!*bad, "add/between agree with a day-by-day walk, 1402-12 … 1405-12%s%s",
	    *bad ? ": " : "", bad);

	/* A year without a file: weekends only. */
	is_int(workcal_day(wc, J(1402, 12, 29), NULL), DAY_WORKING,
	    "1402-12-29 (no file for 1402) is a working day");
	is_int(workcal_day(wc, J(1406, 1, 1), NULL), cal_weekday(J(1406, 1, 1)) == 6 ? DAY_WEEKEND : DAY_WORKING,
	    "1406-01-01 (no file) is a weekday like any other");
	long fridays = 0;
	for (long j = J(1406, 1, 1); j <= J(1406, 12, 29); j++)
		fridays += cal_weekday(j) == 6;
	is_int(workcal_between(wc, J(1405, 12, 29), J(1406, 12, 29)), 365 - fridays,
	    "working days of 1406 are its days less its Fridays");

	int years[2] = {0, 0};
	is_int(workcal_years_without_file(wc, J(1404, 6, 1), years), 0,
	    "in 1404, this year and the next have their files");
	is_int(workcal_years_without_file(wc, J(1405, 12, 29), years), 1, "on the last day of 1405: one lacks it");
	is_int(years[0], 1406, "… 1406");
	is_int(workcal_years_without_file(wc, J(1402, 1, 1), years), 1, "in 1402: 1402 lacks it");
	is_int(years[0], 1402, "… this year, not the next");
	is_int(workcal_years_without_file(wc, J(1410, 1, 1), years), 2, "in 1410: both lack it");
	ok(years[0] == 1410 && years[1] == 1411, "… 1410 and 1411, in order");

	struct month_grid g;
	ok(workcal_month(wc, CAL_JALALI, 1405, 1, &g) == 0 && g.ndays == 31 && g.first == J(1405, 1, 1),
	    "the grid of Farvardin 1405");
	ok(g.cell[0][0].day == 1 && g.cell[0][0].marked && g.cell[0][0].why == DAY_HOLIDAY,
	    "1405-01-01 is a Saturday, first cell, marked");
	ok(g.cell[0][6].day == 7 && g.cell[0][6].why == DAY_WEEKEND && !g.cell[0][6].marked,
	    "a Friday is a weekend, unmarked");
	ok(g.nweeks == 5 && g.cell[4][2].day == 31 && g.cell[4][3].day == 0, "five weeks, ending on day 31");
	ok(workcal_month(wc, CAL_GREGORIAN, 2026, 3, &g) == 0 && g.cell[0][0].day == 0 &&
	    g.cell[0][1].day == 1 && g.nweeks == 5, "March 2026 starts on a Sunday");
	ok(workcal_month(wc, CAL_JALALI, 1405, 13, &g) == -1, "no month 13");
	is_str(workcal_reason_name(DAY_CLOSURE), "closure", "the name of a reason");

	size_t noff = 0;
	struct day_off *off = workcal_days_off(wc, J(1404, 12, 28), J(1405, 1, 5), &noff);
	ok(noff == 5 && off[0].jdn == J(1404, 12, 29) && off[4].jdn == J(1405, 1, 4),
	    "days off from 1404-12-28 to 1405-01-05: 29 Esfand and Nowruz (%zu)", noff);
	free(off);
	off = workcal_days_off(wc, J(1405, 1, 5), J(1404, 12, 28), &noff);
	ok(noff == 5 && off[0].jdn == J(1405, 1, 4), "… and backwards, in that order");
	free(off);

	size_t n = 0;
	const struct holiday *h = workcal_holidays(wc, 1403, &n);
	ok(h && n == 28, "1403 lists 28 holidays (%zu)", n);
	ok(h && h[0].jdn == J(1403, 1, 1) && strcmp(h[0].kind, "solar") == 0 &&
	    strcmp(h[n - 1].status, "disputed") == 0, "… in order, with kind and status");
	ok(workcal_holidays(wc, 1402, &n) == NULL && n == 0, "no list for 1402");

	/* Deadlines: Tehran, office 07:30–14:30, Friday weekend. */
	int missing = -1;
	time_t due;

	due = due_at(wc, T("1403-01-15 10:00+03:30"), 10, &missing);
	is_int(due, T("1403-01-29 14:30+03:30"), "received in office hours: due 1403-01-29 14:30");
	is_int(missing, 0, "… no missing year");
	is_int(due_at(wc, T("1403-01-15 06:00+03:30"), 10, NULL), T("1403-01-29 14:30+03:30"),
	    "received before opening: counts from the same day");
	is_int(due_at(wc, T("1403-01-15 15:00+03:30"), 10, NULL), T("1403-01-30 14:30+03:30"),
	    "received after closing: counts from the next working day");
	is_int(due_at(wc, T("1403-01-15 14:30+03:30"), 10, NULL), T("1403-01-30 14:30+03:30"),
	    "received at closing time: counts from the next working day");
	is_int(due_at(wc, T("1403-01-17 10:00+03:30"), 10, NULL), T("1403-02-01 14:30+03:30"),
	    "received on a Friday: counts from Saturday");
	is_int(due_at(wc, T("1403-01-02 10:00+03:30"), 1, NULL), T("1403-01-06 14:30+03:30"),
	    "received during Nowruz: the next working day is 01-05, due 01-06");
	due_at(wc, T("1405-12-25 10:00+03:30"), 10, &missing);
	is_int(missing, 1406, "a deadline into 1406 reports the missing year");
	due_at(wc, T("1402-12-27 10:00+03:30"), 3, &missing);
	is_int(missing, 1402, "a case received in 1402 reports 1402");
	workcal_close(wc);

	/* The weekend rule, with a change. */
	wc = open_wc(dir, NULL, "fri; 1404-03-01 thu,fri");
	if (ok(wc != NULL, "workcal with a dated weekend change")) {
		is_int(workcal_day(wc, J(1404, 2, 25), NULL), DAY_WORKING, "Thursday 1404-02-25 still works");
		is_int(workcal_day(wc, J(1404, 3, 1), NULL), DAY_WEEKEND, "Thursday 1404-03-01 is off");
		is_int(workcal_day(wc, J(1404, 3, 2), NULL), DAY_WEEKEND, "Friday 1404-03-02 is off");
		is_int(add_days(wc, J(1404, 2, 27), 5), J(1404, 3, 3),
		    "5 working days from Saturday 1404-02-27 skip Thursday 03-01: 1404-03-03");
		workcal_close(wc);
	}
	wc = open_wc(dir, NULL, "thu,fri");
	if (ok(wc != NULL, "workcal with thu,fri")) {
		is_int(add_days(wc, J(1403, 1, 1), 10), J(1403, 1, 20),
		    "10 working days after 1403-01-01 with Thursdays off: 1403-01-20");
		workcal_close(wc);
	}
	wc = open_wc(NULL, NULL, NULL);
	if (ok(wc != NULL, "workcal without holiday files")) {
		ok(!workcal_has_year(wc, 1403), "… has no year");
		is_int(add_days(wc, J(1403, 1, 1), 10), J(1403, 1, 13), "… counts Fridays only");
		workcal_close(wc);
	}
}

/* Reads the closures text with the longest closure max_days (0: the default); NULL and *why (to free) when refused. */
static struct workcal *
closures_wc(const char *tmp, const char *text, int max_days, char **why)
{
	char *p = write_temp(tmp, "closures", text);
	struct weekend_rule *none = cal_weekend_parse("none", NULL);
	struct workcal_options opt = {.closures = p, .closure_max_days = max_days, .weekend = none};
	struct workcal *wc;

	*why = NULL;
	wc = workcal_open(&opt, why);
	cal_weekend_free(none);
	unlink(p);
	free(p);
	return wc;
}

/* Closures end to end: the count of working days gives up rather than walk on forever. */
static void
test_closure_limits(const char *tmp)
{
	struct { char text[1024]; size_t n; } b = {.n = 0};
	char *why;
	struct workcal *wc;
	long d;

	/* Seven closures of 60 days from 1405-01-01: 420 days with no working day. */
	for (long from = J(1405, 1, 1), k = 0; k < 7; k++, from += 60) {
		struct ymd a = cal_jdn_to_jalali(from), z = cal_jdn_to_jalali(from + 59);
		b.n += (size_t)snprintf(b.text + b.n, sizeof b.text - b.n,
		    "%04d-%02d-%02d..%04d-%02d-%02d\tall\tclosed %ld\n", a.y, a.m, a.d, z.y, z.m, z.d, k);
	}
	wc = closures_wc(tmp, b.text, 0, &why);
	if (ok(wc != NULL, "seven closures of 60 days end to end are read (%s)", why ? why : "")) {
		ok(!workcal_add(wc, J(1404, 12, 29), 1, &d), "no working day after them within the bound: add fails");
		ok(strstr(workcal_error(wc), "no working day in the 366 days after 1404-12-29 (2026-03-20)") != NULL,
		    "… saying from when (%s)", workcal_error(wc));
		ok(!workcal_add(wc, J(1405, 1, 1) + 420, -1, &d), "… and backwards");
		ok(strstr(workcal_error(wc), "366 days before") != NULL, "… saying so (%s)", workcal_error(wc));
		time_t due;
		ok(!workcal_due(wc, T("1405-01-10 10:00+03:30"), 10, &due, NULL),
		    "a deadline received inside them fails");
		is_int(add_days(wc, J(1405, 1, 1) + 420, 1), J(1405, 1, 1) + 421,
		    "after the last of them, days count again");
		workcal_close(wc);
	}
	free(why);

	/* 366 days off in a row is the most a count crosses; 367 is too many. */
	for (int off = 366; off <= 367; off++) {
		struct ymd a = cal_jdn_to_jalali(J(1405, 1, 1)), z = cal_jdn_to_jalali(J(1405, 1, 1) + off - 1);
		snprintf(b.text, sizeof b.text, "%04d-%02d-%02d..%04d-%02d-%02d\tall\tlong\n",
		    a.y, a.m, a.d, z.y, z.m, z.d);
		wc = closures_wc(tmp, b.text, 365, &why);
		ok(wc == NULL && why && strstr(why, "longer than closure_max_days (365)"),
		    "one closure of %d days is longer than closure_max_days = 365 (%s)", off, why ? why : "");
		free(why);
		/* the same run as two closures */
		struct ymd m = cal_jdn_to_jalali(J(1405, 1, 1) + 200), m1 = cal_jdn_to_jalali(J(1405, 1, 1) + 199);
		snprintf(b.text, sizeof b.text, "%04d-%02d-%02d..%04d-%02d-%02d\tall\tone\n"
		    "%04d-%02d-%02d..%04d-%02d-%02d\tall\ttwo\n", a.y, a.m, a.d, m1.y, m1.m, m1.d,
		    m.y, m.m, m.d, z.y, z.m, z.d);
		wc = closures_wc(tmp, b.text, 365, &why);
		if (!ok(wc != NULL, "%d days off as two closures (%s)", off, why ? why : ""))
			continue;
		d = 0;
		if (off == 366)
			is_int(add_days(wc, J(1405, 1, 1) - 1, 1), J(1405, 1, 1) + off,
			    "366 days off: the next working day is found");
		else {
			bool found = workcal_add(wc, J(1405, 1, 1) - 1, 1, &d);
			ok(!found, "367 days off: none is (%s)", workcal_error(wc));
		}
		workcal_close(wc);
		free(why);
	}

	struct {
		const char *text, *want;
	} bad[] = {
		{"1405-02-01..9405-02-01\tall\ttypo\n",
		    ":1: the range starts in the Solar Hijri calendar and ends in the Gregorian: write both dates in one"},
		{"g:2026-05-01..j:1405-02-20\tall\tx\n", ":1: the range starts in the Gregorian calendar"},
		{"1405-02-01..1405-04-01\tall\tx\n", ":1: the range is 63 days, longer than closure_max_days (60)"},
		{"1405-02-10..1405-02-01\tall\tx\n", ":1: the range ends before it starts"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		wc = closures_wc(tmp, bad[i].text, 0, &why);
		ok(wc == NULL && why && strstr(why, "/closures:1: ") && strstr(why, bad[i].want),
		    "closure refused: %s", why ? why : "accepted");
		workcal_close(wc);
		free(why);
	}
	wc = closures_wc(tmp, "1405-02-01..1405-03-29\tall\tsixty\n", 0, &why);
	ok(wc != NULL, "a closure of 60 days is the longest by default (%s)", why ? why : "");
	workcal_close(wc);
	free(why);
	wc = closures_wc(tmp, "1405-02-01..1405-04-01\tall\tx\n", 90, &why);
	ok(wc != NULL, "… and closure_max_days = 90 lets 63 pass (%s)", why ? why : "");
	workcal_close(wc);
	free(why);
}

static void
test_files(const char *dir)
{
	char tmpl[] = "/tmp/test-calendar.XXXXXX";
	char *tmp = mkdtemp(tmpl);
	char *why = NULL;
	struct workcal *wc;

	if (!ok(tmp != NULL, "temporary directory"))
		return;
	char *cl = write_temp(tmp, "closures",
	    "# local closures\n\n1403-02-10..1403-02-11\tall\tAir pollution\n"
	    "g:2024-05-05\ttehran\tHeat\twith a tab\n"
	    "  # an indented comment\n۱۴۰۳/۰۲/۲۰\tall\tMourning\n");
	wc = open_wc(dir, cl, NULL);
	if (ok(wc != NULL, "closures file read")) {
		const char *title = NULL;

		is_int(workcal_day(wc, J(1403, 2, 10), &title), DAY_CLOSURE, "1403-02-10 is closed");
		is_str(title, "Air pollution", "… with its reason");
		is_int(workcal_day(wc, J(1403, 2, 11), NULL), DAY_CLOSURE, "the range is inclusive");
		is_int(workcal_day(wc, J(1403, 2, 12), NULL), DAY_WORKING, "… and ends");
		is_int(workcal_day(wc, J(1403, 2, 16), &title), DAY_CLOSURE,
		    "a gregorian closure (2024-05-05 = 1403-02-16)");
		is_str(title, "Heat\twith a tab", "… its reason is the rest of the line");
		is_int(workcal_day(wc, J(1403, 2, 20), NULL), DAY_CLOSURE, "a closure in Persian digits");
		is_int(workcal_between(wc, J(1403, 2, 1), J(1403, 2, 31)), 30 - 4 - 1 - 4,
		    "Ordibehesht 1403: 31 days, 4 Fridays, 1 holiday, 4 closed days");
		workcal_close(wc);
	}
	free(cl);

	struct {
		const char *text, *want;
	} badcl[] = {
		{"1403-02-11..1403-02-10\tall\tx\n", ":1: the range ends before it starts"},
		{"# c\n1404-12-30\tall\tx\n", ":2: date: no such day"},
		{"1403-02-10\tall\n", ":1: expected"},
		{"1403-02-10\t\tx\n", ":1: empty scope"},
		{"1403-02-10 10:00\tall\tx\n", ":1: date: a closure"},
	};
	for (size_t i = 0; i < sizeof badcl / sizeof badcl[0]; i++) {
		struct workcal_options opt = {.closures = NULL};
		char *p = write_temp(tmp, "bad-closures", badcl[i].text);

		opt.closures = p;
		why = NULL;
		wc = workcal_open(&opt, &why);
		ok(wc == NULL && why && strstr(why, p) == why && strstr(why, badcl[i].want),
		    "bad closures line refused: %s", why ? why : "accepted");
		workcal_close(wc);
		free(why);
		unlink(p);
		free(p);
	}

	/* A malformed holiday file stops the calendar with FILE:LINE. */
	struct {
		const char *text, *want;
	} badh[] = {
		{"# h\n# h\n1403-01-01\t2024-03-21\tsolar\tofficial\tx\ty\n", ":3: 1403-01-01 is 2024-03-20, not 2024-03-21"},
		{"1404-12-30\t2026-03-21\tsolar\tofficial\tx\ty\n", ":1: jalali date '1404-12-30': no such day"},
		{"1403-01-01\t2024-03-20\tsolar\tofficial\tx\n", ":1: expected 6 tab-separated fields, found 5"},
		{"1403-01-01\t2024-03-20\tlunar\tmaybe\tx\ty\n", ":1: status 'maybe'"},
		{"1403-01-01\t2024-03-20\tfixed\tofficial\tx\ty\n", ":1: kind 'fixed'"},
		{"1402-12-29\t2024-03-19\tsolar\tofficial\tx\ty\n", ":1: a day of 1402 in the file of 1404"},
		{"1403-1-01\t2024-03-20\tsolar\tofficial\tx\ty\n", ":1: jalali date '1403-1-01': expected YYYY-MM-DD"},
		{"1403-01-01\t2024-03-20\tsolar\tofficial\t\xff\ty\n", ":1: not valid UTF-8"},
	};
	char *hdir = malloc(strlen(tmp) + 3);
	sprintf(hdir, "%s/h", tmp);
	mkdir(hdir, 0700);
	for (size_t i = 0; i < sizeof badh / sizeof badh[0]; i++) {
		char *p = write_temp(hdir, i == 5 ? "ir-1404.tsv" : "ir-1403.tsv", badh[i].text);

		why = NULL;
		struct workcal_options opt = {.holidays_dir = hdir};
		wc = workcal_open(&opt, &why);
		ok(wc == NULL && why && strstr(why, p) == why && strstr(why, badh[i].want),
		    "bad holiday row refused: %s", why ? why : "accepted");
		workcal_close(wc);
		free(why);
		unlink(p);
		free(p);
	}
	struct workcal_options opt = {.holidays_dir = "/nonexistent/holidays"};
	why = NULL;
	wc = workcal_open(&opt, &why);
	ok(wc == NULL && why && strstr(why, "/nonexistent/holidays"), "a missing holidays_dir is an error");
	free(why);
	opt = (struct workcal_options){.office_open = 50000, .office_close = 40000};
	why = NULL;
	wc = workcal_open(&opt, &why);
	ok(wc == NULL && why, "office hours closing before opening refused");
	free(why);
	rmdir(hdir);
	free(hdir);
	test_closure_limits(tmp);
	rmdir(tmp);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("PARTAKE_HOLIDAYS_DIR");

	if (dir == NULL || *dir == '\0')
		dir = "share/partake/holidays";
	test_conversion();
	test_parse();
	test_zone_and_format();
	test_weekend();
	test_workcal(dir);
	test_files(dir);
	return tap_done();
}
