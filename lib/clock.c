/*
 * clock.c — the one source of "now", so that tests and back-filled
 * imports are exact: PARTAKE_NOW, when set, is the time for the whole run.
 */
#include <error.h>
#include <stdlib.h>

#include "caltime.h"
#include "clock.h"

time_t
clock_now(void)
{
	const char *fixed = getenv("PARTAKE_NOW");
	struct cal_when when;
	const char *why;

	if (fixed == NULL || *fixed == '\0')
		return time(NULL);
	if (cal_parse(fixed, CAL_AUTO, &when, &why) != 0)
		error(2, 0, "PARTAKE_NOW: %s: %s", fixed, why);
	return cal_when_time(&when);
}
