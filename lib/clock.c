/*
 * clock.c — the one source of "now", so that tests and back-filled
 * imports are exact: PARTAKE_NOW, when set, is the time for the whole run.
 */
#include <error.h>
#include <stdlib.h>

#include "caltime.h"
#include "clock.h"

/* The instant PARTAKE_NOW names; 0 when it is unset, -1 when it is no time. */
static int
fixed_now(time_t *t, const char **why)
{
	const char *fixed = getenv("PARTAKE_NOW");
	struct cal_when when;

	if (fixed == NULL || *fixed == '\0')
		return 0;
	if (cal_parse(fixed, CAL_AUTO, &when, why) != 0)
		return -1;
	*t = cal_when_time(&when);
	return 1;
}

int
clock_check(const char **why)
{
	time_t t;

	return fixed_now(&t, why) < 0 ? -1 : 0;
}

time_t
clock_now(void)
{
	const char *why;
	time_t t;

	switch (fixed_now(&t, &why)) {
	case 0:
		return time(NULL);
	case 1:
		return t;
	}
	error(2, 0, "internal error: PARTAKE_NOW used before clock_check: %s", why);
	return 0;
}
