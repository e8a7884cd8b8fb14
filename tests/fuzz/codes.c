/*
 * tests/fuzz/codes.c — tracking codes as people type them (code_parse: any
 * digits, blanks and dashes between groups) and as a pipeline hands them
 * over on standard input (the first field of a TSV or CSV line, quoted or
 * not, after a byte-order mark: cli.c's first_field). A code that parses
 * must read back the same in both printed forms, and the check digit
 * must catch every change of one digit.
 *
 * cli.c is included whole: first_field is its own (static).
 */
#include "../../lib/cli.c"
#include "fuzz.h"

static void
check_code(const char *text)
{
	char plain[CODE_LEN + 1], grouped[24];
	const char *why = NULL;
	tcode code, again;

	if (code_parse(text, &code, &why) != 0) {
		FUZZ_ASSERT(why != NULL);
		return;
	}
	FUZZ_ASSERT(code >= 100000000000LL && code <= 999999999999LL);
	code_format(code, plain, sizeof plain);
	FUZZ_ASSERT(code_parse(plain, &again, &why) == 0 && again == code);
	code_format_grouped(code, grouped, sizeof grouped);
	FUZZ_ASSERT(code_parse(grouped, &again, &why) == 0 && again == code);
	for (int i = 0; i < CODE_LEN; i++) {
		char changed[CODE_LEN + 1];
		memcpy(changed, plain, sizeof changed);
		changed[i] = (char)('0' + (changed[i] - '0' + 1 + i % 9) % 10);
		FUZZ_ASSERT(code_parse(changed, &again, &why) != 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct lines_options opt = {.max = 1 << 16};
	char *text = fuzz_string(data, size);
	FILE *f;
	struct lines *l;

	check_code(text);
	FUZZ_ASSERT((f = fmemopen(text, size, "r")) != NULL);
	l = lines_open(f, "standard input", &opt);
	for (char *line; (line = lines_next(l, NULL)) != NULL;) {
		char *exact = xstrdup(line);
		check_code(first_field(exact, lines_number(l) == 1));
		free(exact);
	}
	lines_close(l);
	fclose(f);
	free(text);
	return 0;
}
