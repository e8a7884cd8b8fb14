/* clock.h — the one source of "now"; PARTAKE_NOW (ISO 8601) overrides it. */
#ifndef PARTAKE_CLOCK_H
#define PARTAKE_CLOCK_H

#include <time.h>

/* Now; a bad PARTAKE_NOW ends the process with a message (exit 2). */
time_t clock_now(void);

#endif
