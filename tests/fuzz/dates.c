/*
 * tests/fuzz/dates.c — dates and times as people type them (cal_parse, in
 * either calendar and any digits, and forced to each), months
 * (cal_parse_month), times as events store them (cal_format_stored), and
 * weekend rules (cal_weekend_parse, which reads dates). A date that parses
 * must come back the same day when shown in its calendar, in Latin or
 * Persian digits, and read again.
 */
#include "caltime.h"
#include "fuzz.h"
#include "workcal.h"

static void
round_trip(const struct cal_when *w)
{
	struct cal_style styles[] = {
		{.cal = w->cal, .persian_digits = false}, {.cal = w->cal, .persian_digits = true},
	};
	char buf[64], longer[128];
	struct cal_when again;
	const char *why;

	for (size_t i = 0; i < ARRAY_SIZE(styles); i++) {
		cal_format_day(w->jdn, styles[i], buf, sizeof buf);
		FUZZ_ASSERT(cal_parse(buf, w->cal, &again, &why) == 0 && again.jdn == w->jdn);
		cal_format_when(w->jdn, w->sec, styles[i], buf, sizeof buf);
		cal_format_long(w->jdn, styles[i], longer, sizeof longer);
	}
	time_t t = cal_when_time(w);
	int sec;
	long day = cal_when_local_day(w, &sec);
	FUZZ_ASSERT(w->sec < 0 ? sec < 0 : (sec >= 0 && sec < 86400));
	FUZZ_ASSERT(day > 0);
	cal_format_time(t, styles[0], buf, sizeof buf);
	cal_format_rfc3339(t, buf, sizeof buf);
	cal_format_rfc5322(t, buf, sizeof buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cal_system forced[] = {CAL_AUTO, CAL_JALALI, CAL_GREGORIAN};
	char *text = fuzz_string(data, size), *stored = xmalloc(size * 3 + 64);
	struct cal_when w;
	const char *why = NULL;
	enum cal_system cal;
	int y, m;

	for (size_t i = 0; i < ARRAY_SIZE(forced); i++) {
		if (cal_parse(text, forced[i], &w, &why) == 0)
			round_trip(&w);
		else
			FUZZ_ASSERT(why != NULL && why[0] != '\0');
		if (cal_parse_month(text, forced[i], &cal, &y, &m, &why) == 0)
			FUZZ_ASSERT(m >= 1 && m <= 12);
	}
	cal_looks_like_date(text);
	cal_format_stored(text, (struct cal_style){.cal = CAL_GREGORIAN, .persian_digits = true},
	    stored, size * 3 + 64);
	struct weekend_rule *rule = cal_weekend_parse(text, &why);
	FUZZ_ASSERT(rule != NULL || (why != NULL && why[0] != '\0'));
	cal_weekend_free(rule);
	free(stored);
	free(text);
	return 0;
}
