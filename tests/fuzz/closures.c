/*
 * tests/fuzz/closures.c — the agency's closures file (closures_read); with
 * one that reads, each closure as listed and looked up by its days, and a
 * deadline counted over them as intake counts it. A refusal must name the
 * file.
 */
#include "caltime.h"
#include "fuzz.h"
#include "holiday.h"
#include "workcal.h"

static void
count_over(const char *path)
{
	struct workcal_options opt = {.holidays_dir = FUZZ_SHARE_DIR "/holidays", .closures = path};
	char *why = NULL;
	struct workcal *wc = workcal_open(&opt, &why);
	int missing = 0;

	FUZZ_ASSERT(wc != NULL);
	long today = cal_local_day(FUZZ_NOW, NULL), later;
	time_t due;
	/* Closures may leave no working day within the bound: then both say so. */
	if (workcal_add(wc, today, 10, &later)) {
		FUZZ_ASSERT(later > today && workcal_between(wc, today, later) == 10);
		FUZZ_ASSERT(workcal_due(wc, FUZZ_NOW, 10, &due, &missing) && due > FUZZ_NOW);
	}
	workcal_close(wc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_file("closures", data, size), *why = NULL;
	struct closures *cs = closures_read(path, CLOSURE_MAX_DAYS, &why);
	size_t n;

	if (cs == NULL) {
		FUZZ_ASSERT(why != NULL && strncmp(why, path, strlen(path)) == 0);
		free(why);
		free(path);
		return 0;
	}
	const struct closure *c = closures_list(cs, &n);
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT(c[i].from <= c[i].to && c[i].scope[0] && c[i].reason[0]);
		const struct closure *on = closures_on(cs, c[i].from);
		FUZZ_ASSERT(on != NULL && on->from <= c[i].from && c[i].from <= on->to);
	}
	closures_free(cs);
	count_over(path);
	free(path);
	return 0;
}
