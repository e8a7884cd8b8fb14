/*
 * tests/fuzz/intake-tsv.c — a batch as TSV with a header (pcase-new --batch
 * --tsv), as intake reads it: the line reader, the header, each row's
 * fields with their escapes into a case_input (tsv_line), every check of
 * the case, and the insert, in a transaction rolled back at the end. A
 * refused header or row must say which field and why.
 *
 * intake.c is included whole: the header and the row are parsed by its
 * own static functions, and those are what is tested.
 */
#include "../../lib/intake.c"
#include "fuzz.h"

/* Rows of one input that reach the checks. */
enum { ROWS_MAX = 32 };

static void
check_refusal(const struct field_error *err)
{
	FUZZ_ASSERT(err->field != NULL && err->field[0] != '\0');
	FUZZ_ASSERT(memchr(err->why, '\0', sizeof err->why) != NULL && err->why[0] != '\0');
}

static void
take_row(struct context *ctx, const struct tsv_header *h, const char *line, size_t len)
{
	struct case_input in = {0};
	struct case_record rec;
	struct field_error err = {0};
	char *exact = xstrndup(line, len);	/* its own block: a read past it is seen */
	tcode code;
	bool known = false;

	if (tsv_line(exact, h, &in, &err) != 0 || case_check(ctx, &in, &rec, &err) != 0)
		check_refusal(&err);
	else
		FUZZ_ASSERT(case_insert(ctx, &rec, &code, &known) == 0 && code > 0);
	free(exact);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct lines_options opt = {.max = INTAKE_LINE_MAX};
	struct context *ctx = fuzz_context();
	char *copy = fuzz_string(data, size);
	FILE *f = fmemopen(copy, size, "r");
	struct tsv_header header = {0};
	struct field_error err = {0};
	struct lines *l;
	size_t len;
	char *line;
	int rows = 0;

	FUZZ_ASSERT(f != NULL);
	l = lines_open(f, "stdin", &opt);
	FUZZ_ASSERT(store_begin(ctx->store) == 0);
	if ((line = lines_next(l, &len)) != NULL) {
		char *exact = xstrndup(line, len);
		bool good = tsv_read_header(exact, &header, &err) == 0;
		free(exact);
		if (!good)
			check_refusal(&err);
		else
			FUZZ_ASSERT(header.n >= 1 && header.n <= FIELD_COUNT);
		while (good && rows < ROWS_MAX && (line = lines_next(l, &len)) != NULL) {
			if (line[strspn(line, " \t")] == '\0')
				continue;	/* a blank line: no case, as intake skips it */
			take_row(ctx, &header, line, len);
			rows++;
		}
	}
	if (lines_error(l))
		FUZZ_ASSERT(strncmp(lines_error(l), "stdin:", 6) == 0);
	store_rollback(ctx->store);
	lines_close(l);
	fclose(f);
	free(copy);
	return 0;
}
