/*
 * tests/fuzz/templates.c — a notice's template (TEMPLATES/EVENT.txt: an
 * optional "subject:" line, then the text, naming {code}, {due} and the
 * other fields), read as a notice reads it (load_template) and filled in
 * (fill, fill_subject) with every field given, with some missing or
 * empty (their lines left out), and with values that look like fields
 * themselves. A refusal must name the file.
 *
 * notice.c is included whole: the reader and the filling are its own
 * (static), and they are what is tested.
 */
#include "../../lib/notice.c"
#include "fuzz.h"

/* In the order of variables[] in notice.c. */
static const char *const full[] = {
	"۱۲۳۴-۵۶۷۸-۹۰۱۲", "ارجاع‌شده", "۱۴۰۵-۰۹-۱۵ ۱۴:۳۰", "راه و ساختمان", "لطفاً مدرک را بفرستید",
	"پذیرفته", "https://example.org/track", "تأخیر در پروانه", "شکایت",
};
static const char *const sparse[] = {
	"123456789012", "new", NULL, "", NULL, NULL, NULL, "subject", "",
};
static const char *const tricky[] = {
	"{code}", "{", "}", "{{due}}", "%s%n", "\n", "{site_url", "", "{kind}",
};

static void
fill_each(const struct template *t)
{
	const char *const *sets[] = {full, sparse, tricky};

	for (size_t i = 0; i < ARRAY_SIZE(sets); i++) {
		char *body = fill(t->body, sets[i]);
		char *subject = fill_subject(t, sets[i], xstrdup("fallback"));
		FUZZ_ASSERT(body != NULL && subject != NULL && subject[0] != '\0');
		free(body);
		free(subject);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct context *ctx = fuzz_context();
	char *path = fuzz_file("templates/fuzz.txt", data, size);
	char *dir = xasprintf("%s/templates", fuzz_dir());
	struct template t = {0};

	if (load_template(ctx->store, dir, "fuzz", &t) == 0) {
		FUZZ_ASSERT(t.loaded && t.body != NULL);
		fill_each(&t);
	} else {
		FUZZ_ASSERT(strncmp(store_error(ctx->store), path, strlen(path)) == 0);
	}
	free(t.subject);
	free(t.body);
	free(dir);
	free(path);
	return 0;
}
