/*
 * test-jalali-icu.c — the jalali module against an independent source:
 * ICU's Persian calendar. For every year of the Calendar Center's table
 * (1206–1498 AP) the Gregorian day of 1 Farvardin and the length of the
 * year must be ICU's, except in the years named below. The only test
 * program that links ICU (-licui18n -licuuc), a test-only dependency.
 */
#include <stdio.h>
#include <string.h>
#include <unicode/ucal.h>

#include "jalali.h"
#include "tap.h"

/*
 * ICU computes the year with the 33-year arithmetic rule; the Calendar
 * Center publishes its list from the astronomical vernal equinox at
 * Tehran. Where the two disagree the published list is the law, and the
 * year belongs here. With ICU 72 there is none: over 1206–1498 the list
 * and the rule agree. A year listed here that stops differing, or one
 * not listed that starts, fails the test: the list is exact. (0 ends it.)
 */
static const int known_differences[] = {0};

static bool
known(int y)
{
	for (size_t i = 0; i < sizeof known_differences / sizeof known_differences[0]; i++)
		if (known_differences[i] == y)
			return true;
	return false;
}

/* The JDN of 1 Farvardin of year y by ICU, or -1. */
static long
icu_year_start(UCalendar *cal, int y)
{
	UErrorCode err = U_ZERO_ERROR;

	ucal_clear(cal);
	ucal_setDate(cal, y, 0, 1, &err);
	UDate ms = ucal_getMillis(cal, &err);
	if (U_FAILURE(err))
		return -1;
	return cal_utc_day((long long)(ms / 1000), NULL);
}

int
main(void)
{
	UErrorCode err = U_ZERO_ERROR;
	static const UChar utc[] = {'U', 'T', 'C', 0};
	UCalendar *cal = ucal_open(utc, -1, "en@calendar=persian", UCAL_TRADITIONAL, &err);
	char unexpected[512] = "", gone[512] = "", differ[1024] = "";

	if (!ok(cal != NULL && U_SUCCESS(err), "ICU opens the Persian calendar (%s)", u_errorName(err)))
		return tap_done();
	const char *type = ucal_getType(cal, &err);
	if (!ok(type && strcmp(type, "persian") == 0, "… and it is Persian (%s)", type ? type : "?"))
		return tap_done();
	for (int y = 1206; y <= 1498; y++) {
		long ours = cal_jalali_year_start(y), icu = icu_year_start(cal, y);
		long len = cal_jalali_year_start(y + 1) - ours, icu_len = icu_year_start(cal, y + 1) - icu;
		bool same = ours == icu && len == icu_len;
		char *to = same ? (known(y) ? gone : NULL) : (known(y) ? NULL : unexpected);

		if (!same)
			snprintf(differ + strlen(differ), sizeof differ - strlen(differ), " %d", y);
		if (to)
			snprintf(to + strlen(to), 500 - strlen(to), " %d", y);
	}
	printf("# years where ICU differs:%s\n", *differ ? differ : " none");
	ok(!*unexpected, "1206–1498: 1 Farvardin and the year's length are ICU's%s%s",
	    *unexpected ? ", except in" : "", unexpected);
	ok(!*gone, "every known difference still differs%s%s", *gone ? ": not" : "", gone);

	/* The ends of the published table, and just outside it. */
	ok(!cal_jalali_provisional(1206) && !cal_jalali_provisional(1498),
	    "1206 and 1498 are the table's, not provisional");
	ok(cal_jalali_provisional(1205) && cal_jalali_provisional(1499),
	    "1205 and 1499 are outside it: provisional");
	ok(cal_jalali_leap(1498) && cal_jalali_year_start(1499) - cal_jalali_year_start(1498) == 366,
	    "1498, the table's last year, is a leap year of 366 days");
	for (int y = 1205; y <= 1499; y += 294) {
		long ours = cal_jalali_year_start(y), icu = icu_year_start(cal, y);
		ok(ours == icu, "%d (provisional): 1 Farvardin is ICU's, the 33-year rule joined to the table", y);
	}
	ucal_close(cal);
	return tap_done();
}
