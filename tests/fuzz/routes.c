/*
 * tests/fuzz/routes.c — the routing rules file (route_load), against a
 * database that has the units "roads" and "water"; with rules that load,
 * a few cases matched against them (route_match), and the rules recorded
 * in the audit chain as pcase-route --auto records them, in a transaction
 * rolled back. A rule that matches names a unit there is; a refusal must
 * name the file.
 */
#include "fuzz.h"
#include "route.h"
#include "vocab.h"

static const struct {
	const char *kind, *channel, *service, *subject, *body;
} cases[] = {
	{"complaint", "portal", NULL, "تأخیر در صدور پروانه", "از مهر بدون پاسخ"},
	{"violation", "sms", "permit", "سد معبر", NULL},
	{"suggestion", "111", NULL, "", ""},
	{"request", "email", "nothing", "آب ۱۲۳ KAF ك ي", "line\nbreak\ttab"},
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct context *ctx = fuzz_context();
	char *path = fuzz_file("routes", data, size), *why = NULL;
	struct route_rules *rules = route_load(ctx->store, path, &why);

	if (rules == NULL) {
		FUZZ_ASSERT(why != NULL && strncmp(why, path, strlen(path)) == 0);
		free(why);
		free(path);
		return 0;
	}
	FUZZ_ASSERT(why == NULL);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		long line = 0;
		const char *unit = route_match(rules, cases[i].kind, cases[i].channel, cases[i].service,
		    cases[i].subject, cases[i].body, &line);
		FUZZ_ASSERT(unit == NULL || (line > 0 && unit_find(ctx->store, unit) != 0));
	}
	FUZZ_ASSERT(store_begin(ctx->store) == 0);
	FUZZ_ASSERT(route_record(ctx->store, rules) == 0);
	store_rollback(ctx->store);
	route_free(rules);
	free(path);
	return 0;
}
