/*
 * context.h — what every domain function works in: the store, the
 * configuration, the working-day calendar and the one "now" of the run.
 */
#ifndef PARTAKE_CONTEXT_H
#define PARTAKE_CONTEXT_H

#include <stdbool.h>
#include <time.h>

#include "caltime.h"
#include "workcal.h"
#include "config.h"
#include "store.h"

struct context {
	struct store *store;
	const struct config *cfg;
	struct workcal *wc;
	time_t now;
	int missing_year;	/* a year the deadlines crossed without holiday data */
	bool for_people;	/* codes in groups of four, words rather than numbers */
	bool no_notice;		/* queue no notice to citizens (back-filled imports) */
	bool dry_run;		/* each case's transaction is rolled back: what would be done */
};

#endif
