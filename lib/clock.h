/* clock.h — the one source of "now"; PARTAKE_NOW (ISO 8601) overrides it. */
#ifndef PARTAKE_CLOCK_H
#define PARTAKE_CLOCK_H

#include <time.h>

/* 0 when PARTAKE_NOW is unset or a time; else -1 with *why (a static text). */
int clock_check(const char **why);
/* Now: PARTAKE_NOW when set (checked first with clock_check), else the system's. */
time_t clock_now(void);

#endif
