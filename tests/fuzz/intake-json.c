/*
 * tests/fuzz/intake-json.c — a batch of JSON lines (pcase-new --batch), as
 * intake reads it: the line reader, jansson, the fields into a case_input
 * (json_fields), every check of the case (case_check), and the insert with
 * its event and notice, in a transaction rolled back at the end. A line that
 * is refused must say which field and why, as pcase-new prints it.
 *
 * intake.c is included whole: the functions that parse one line are its
 * own (static), and a target should test those, not a copy of them.
 */
#include "../../lib/intake.c"
#include "fuzz.h"

/* Lines of one input that reach the checks: enough for a batch's order of
 * lines (a bad one after good ones), few enough to stay fast. */
enum { LINES_MAX = 32 };

/* A refusal names the field and says why, in a message that ends. */
static void
check_refusal(const struct field_error *err)
{
	FUZZ_ASSERT(err->field != NULL && err->field[0] != '\0');
	FUZZ_ASSERT(memchr(err->why, '\0', sizeof err->why) != NULL && err->why[0] != '\0');
}

static void
take_line(struct context *ctx, const char *line, size_t len)
{
	struct case_input in = {0};
	struct case_record rec;
	struct field_error err = {0};
	struct json_fault fault;
	char *exact = xstrndup(line, len);	/* its own block: a read past it is seen */
	json_t *obj = json_parse_object(exact, len, &fault);
	tcode code;
	bool known = false;

	if ((obj ? json_fields(obj, &in, &err) : json_fault_fail(&fault, &err)) != 0)
		check_refusal(&err);
	else if (case_check(ctx, &in, &rec, &err) != 0)
		check_refusal(&err);
	else
		FUZZ_ASSERT(case_insert(ctx, &rec, &code, &known) == 0 && code > 0);
	json_decref(obj);
	free(exact);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct lines_options opt = {.max = INTAKE_LINE_MAX};
	struct context *ctx = fuzz_context();
	char *copy = fuzz_string(data, size);
	FILE *f = fmemopen(copy, size, "r");
	struct lines *l;
	size_t len;
	int taken = 0;

	FUZZ_ASSERT(f != NULL);
	l = lines_open(f, "stdin", &opt);
	FUZZ_ASSERT(store_begin(ctx->store) == 0);
	for (char *line; taken < LINES_MAX && (line = lines_next(l, &len)) != NULL;) {
		if (line[strspn(line, " \t")] == '\0')
			continue;	/* a blank line: no case, as intake skips it */
		take_line(ctx, line, len);
		taken++;
	}
	if (lines_error(l))
		FUZZ_ASSERT(strncmp(lines_error(l), "stdin:", 6) == 0);
	store_rollback(ctx->store);
	lines_close(l);
	fclose(f);
	free(copy);
	return 0;
}
