/*
 * tests/fuzz/config.c — the configuration file (config_load), written to a
 * file as a command reads it; then what every command does next with a
 * good one: the working-day calendar under its weekend and office hours,
 * and a deadline counted over it. A refusal must name the file (and the
 * line, in the file's own message).
 */
#include "caltime.h"
#include "config.h"
#include "fuzz.h"
#include "workcal.h"

/* The deadline of a case received now, under the config's rules. */
static void
count_deadline(const struct config *cfg)
{
	struct workcal_options opt = {
		.holidays_dir = FUZZ_SHARE_DIR "/holidays",
		.weekend = cfg->weekend, .office_open = cfg->office_open,
		.office_close = cfg->office_close,
	};
	char *why = NULL;
	struct workcal *wc = workcal_open(&opt, &why);
	int missing = 0;

	FUZZ_ASSERT(wc != NULL);
	/* A config that leaves no working day in the week is refused: a read
	 * one always has a deadline. */
	time_t due = 0;
	FUZZ_ASSERT(workcal_due(wc, FUZZ_NOW, cfg->deadline[KIND_COMPLAINT], &due, &missing));
	FUZZ_ASSERT(cfg->deadline[KIND_COMPLAINT] == 0 || due > FUZZ_NOW);
	long today = cal_local_day(FUZZ_NOW, NULL), later = 0;
	FUZZ_ASSERT(workcal_add(wc, today, 10, &later) && later > today);
	workcal_close(wc);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_file("partake.conf", data, size), *why = NULL;
	struct config *cfg;

	/* A timezone line changes the zone at once; every input starts from ours. */
	cal_set_zone("Asia/Tehran");
	if ((cfg = config_load(path, &why)) != NULL) {
		FUZZ_ASSERT(why == NULL);
		count_deadline(cfg);
		config_free(cfg);
	} else {
		FUZZ_ASSERT(why != NULL && strncmp(why, path, strlen(path)) == 0);
		free(why);
	}
	free(path);
	return 0;
}
