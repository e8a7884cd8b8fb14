/*
 * tests/fuzz/holidays.c — an official holiday file (ir-1405.tsv, read by
 * holidays_read from its folder); with one that reads, the working-day
 * calendar over it: the year's holidays in order, a month's grid, days
 * off, and working days added and counted back. A refusal must name the
 * file.
 */
#include "caltime.h"
#include "fuzz.h"
#include "holiday.h"
#include "jalali.h"
#include "workcal.h"

static void
walk_year(const char *dir)
{
	struct workcal_options opt = {.holidays_dir = dir};
	char *why = NULL;
	struct workcal *wc = workcal_open(&opt, &why);
	long first, last;
	size_t n, noff;

	FUZZ_ASSERT(wc != NULL);
	FUZZ_ASSERT(cal_jalali_to_jdn(1405, 1, 1, &first) == 0 && cal_jalali_to_jdn(1405, 12, 29, &last) == 0);
	const struct holiday *h = workcal_holidays(wc, 1405, &n);
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(h[i].jdn >= first && h[i].jdn <= last);
		FUZZ_ASSERT(i == 0 || h[i - 1].jdn <= h[i].jdn);
		FUZZ_ASSERT(workcal_day(wc, h[i].jdn, NULL) != DAY_WORKING);
	}
	struct day_off *off = workcal_days_off(wc, first, last, &noff);
	free(off);
	struct month_grid g;
	workcal_month(wc, CAL_JALALI, 1405, 1, &g);
	/* Holidays alone never fill 366 days: there is always a count. */
	long later = 0, back = 0;
	FUZZ_ASSERT(workcal_add(wc, first, 30, &later));
	FUZZ_ASSERT(later > first && workcal_between(wc, first, later) == 30);
	FUZZ_ASSERT(workcal_add(wc, later, -30, &back) && back < later);
	workcal_close(wc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_file("holidays/ir-1405.tsv", data, size), *why = NULL;
	char *dir = xasprintf("%s/holidays", fuzz_dir());
	struct holidays *hs = holidays_read(dir, &why);

	if (hs == NULL) {
		FUZZ_ASSERT(why != NULL && strncmp(why, path, strlen(path)) == 0);
		free(why);
	} else {
		holidays_free(hs);
		walk_year(dir);
	}
	free(dir);
	free(path);
	return 0;
}
