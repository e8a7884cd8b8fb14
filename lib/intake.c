/*
 * intake.c — batch intake. JSON lines are taken apart by SQLite's own JSON
 * functions; TSV uses the escapes our TSV output writes (\t \n \r \\).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "intake.h"
#include "text.h"
#include "util.h"

enum field {
	F_KIND, F_CHANNEL, F_SERVICE, F_UNIT, F_SUBJECT, F_BODY, F_NAME, F_PHONE,
	F_EMAIL, F_NATIONAL_ID, F_RECEIVED, F_ANONYMOUS, F_ATTACH, F_COUNT
};

static const char *const field_names[F_COUNT] = {
	"kind", "channel", "service", "unit", "subject", "body", "name", "phone",
	"email", "national_id", "received", "anonymous", "attach",
};

const char *
intake_field_names(void)
{
	return "kind channel service unit subject body name phone email national_id "
	       "received anonymous attach";
}

static int
field_index(const char *name)
{
	for (int i = 0; i < F_COUNT; i++)
		if (strcmp(name, field_names[i]) == 0)
			return i;
	return -1;
}

/* The strings of one line; freed before the next. */
struct line_strings {
	char *s[F_COUNT + ATTACH_MAX];
	int n;
};

static const char *
keep(struct line_strings *ls, const char *v)
{
	return ls->s[ls->n++] = xstrdup(v);
}

static void
drop_all(struct line_strings *ls)
{
	for (int i = 0; i < ls->n; i++)
		free(ls->s[i]);
	ls->n = 0;
}

static int
parse_flag(const char *v, bool *out)
{
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0)
		*out = true;
	else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "no") == 0 || !*v)
		*out = false;
	else
		return -1;
	return 0;
}

static const char **
text_slot(struct case_input *in, int f)
{
	switch (f) {
	case F_KIND: return &in->kind;
	case F_CHANNEL: return &in->channel;
	case F_SERVICE: return &in->service;
	case F_UNIT: return &in->unit;
	case F_SUBJECT: return &in->subject;
	case F_BODY: return &in->body;
	case F_NAME: return &in->name;
	case F_PHONE: return &in->phone;
	case F_EMAIL: return &in->email;
	case F_NATIONAL_ID: return &in->national_id;
	case F_RECEIVED: return &in->received;
	}
	return NULL;
}

static int
json_attachments(struct store *s, const char *line, struct case_input *in,
    struct line_strings *ls, struct field_error *err)
{
	struct stmt *st = store_sql(s, "SELECT type, value FROM json_each(?, '$.attach')");

	stmt_bind_text(st, line);
	while (stmt_row(st)) {
		if (strcmp(stmt_text(st, 0), "text") != 0)
			return stmt_reset(st), field_fail(err, "attach", "expected a string or an array of strings");
		if (in->nattach == ATTACH_MAX)
			return stmt_reset(st), field_fail(err, "attach", "more than %d attachments", ATTACH_MAX);
		in->attach[in->nattach++] = keep(ls, stmt_text(st, 1));
	}
	return stmt_status(st) == 0 ? 0 : field_fail(err, "attach", "%s", store_error(s));
}

static int
json_field(struct store *s, const char *line, int f, const char *type, const char *value,
    struct case_input *in, struct line_strings *ls, struct field_error *err)
{
	const char *name = field_names[f];

	if (strcmp(type, "null") == 0)
		return 0;
	if (f == F_ANONYMOUS) {
		if (strcmp(type, "true") == 0 || strcmp(type, "false") == 0)
			in->anonymous = strcmp(type, "true") == 0;
		else if (parse_flag(value, &in->anonymous) != 0)
			return field_fail(err, name, "expected true or false");
		return 0;
	}
	if (f == F_ATTACH) {
		if (strcmp(type, "text") == 0) {
			in->attach[in->nattach++] = keep(ls, value);
			return 0;
		}
		if (strcmp(type, "array") == 0)
			return json_attachments(s, line, in, ls, err);
		return field_fail(err, name, "expected a string or an array of strings");
	}
	if (strcmp(type, "text") != 0)
		return field_fail(err, name, "expected a string, not %s", type);
	*text_slot(in, f) = keep(ls, value);
	return 0;
}

/* Does this JSON text hold a \u0000 escape (not an escaped backslash before "u0000")? */
static bool
has_escaped_nul(const char *json)
{
	for (const char *p = json; p && *p; p++) {
		if (*p != '\\')
			continue;
		if (p[1] == 'u' && strncmp(p + 2, "0000", 4) == 0)
			return true;
		if (p[1])
			p++;	/* past the escaped character */
	}
	return false;
}

static int
json_line(struct store *s, const char *line, struct case_input *in, struct line_strings *ls,
    struct field_error *err)
{
	bool seen[F_COUNT] = {false};
	/* Only a line with a \u0000 escape needs each value's raw JSON looked at. */
	bool maybe_nul = strstr(line, "\\u0000") != NULL;
	/* One pass of SQLite's parser: the members of the top-level object. */
	struct stmt *st = store_sql(s, "SELECT key, type, value, CASE WHEN ? THEN ? -> fullkey END,"
	    " json_type(?) FROM json_each(?)");
	stmt_bind_int(st, maybe_nul);
	stmt_bind_text(st, line);
	stmt_bind_text(st, line);
	stmt_bind_text(st, line);
	while (stmt_row(st)) {
#define column_text stmt_text
		if (strcmp(column_text(st, 4), "object") != 0)
			return field_fail(err, "json", "expected a JSON object, not %s", column_text(st, 4));
		const char *key = column_text(st, 0);
		int f = field_index(key);
		if (f < 0)
			return field_fail(err, "json", "unknown field '%s' (fields: %s)", key, intake_field_names());
		if (seen[f])
			return field_fail(err, field_names[f], "given twice");
		seen[f] = true;
		const char *value = column_text(st, 2);
		/* JSON's \u0000 would cut the text short where C (and SQLite) read it. */
		if (maybe_nul && has_escaped_nul(column_text(st, 3)))
			return field_fail(err, field_names[f], "contains a NUL character (\\u0000)");
		if (json_field(s, line, f, column_text(st, 1), value ? value : "", in, ls, err))
			return -1;
	}
#undef column_text
	if (stmt_status(st) != 0)
		return field_fail(err, "json", "malformed JSON");
	/* An empty object or array yields no member: tell an array from {}. */
	if (!seen[F_KIND] && line[strspn(line, " \t")] != '{')
		return field_fail(err, "json", "expected a JSON object");
	return 0;
}

/* Undoes the TSV escapes in place. */
static void
tsv_unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*out++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

struct tsv_header {
	int field[F_COUNT];
	int n;
};

static int
tsv_read_header(char *line, struct tsv_header *h, struct field_error *err)
{
	bool seen[F_COUNT] = {false};
	char *save = line;

	h->n = 0;
	for (char *name; (name = strsep(&save, "\t")) != NULL;) {
		name = strip(name);
		int f = field_index(name);
		if (f < 0)
			return field_fail(err, "header", "unknown column '%s' (columns: %s)", name,
			    intake_field_names());
		if (seen[f])
			return field_fail(err, field_names[f], "column given twice");
		if (h->n == F_COUNT)
			return field_fail(err, "header", "too many columns");
		seen[f] = true;
		h->field[h->n++] = f;
	}
	return 0;
}

static int
tsv_line(char *line, const struct tsv_header *h, struct case_input *in, struct field_error *err)
{
	char *save = line, *v;
	int i = 0;

	while ((v = strsep(&save, "\t")) != NULL) {
		if (i == h->n)
			return field_fail(err, "tsv", "more fields than the header's %d", h->n);
		int f = h->field[i++];
		tsv_unescape(v);
		if (*v == '\0')
			continue;
		if (f == F_ANONYMOUS) {
			if (parse_flag(v, &in->anonymous) != 0)
				return field_fail(err, "anonymous", "expected true or false");
		} else if (f == F_ATTACH) {
			in->attach[in->nattach++] = v;
		} else {
			*text_slot(in, f) = v;
		}
	}
	if (i != h->n)
		return field_fail(err, "tsv", "%d fields where the header has %d", i, h->n);
	return 0;
}

static int
store_line(struct context *ctx, const struct case_input *in, struct intake_result *res,
    size_t *cap)
{
	struct case_record rec;
	tcode code;
	int rc;

	if (case_check(ctx, in, &rec, &res->err) != 0)
		return EXIT_FATAL;
	if ((rc = case_insert(ctx, &rec, &code)) != 0) {
		res->err.field = "database";
		snprintf(res->err.why, sizeof res->err.why, "%s", store_error(ctx->store));
		return rc;
	}
	if (res->ncodes == *cap) {
		*cap = *cap ? 2 * *cap : 1024;
		res->codes = xrealloc(res->codes, *cap * sizeof *res->codes);
	}
	res->codes[res->ncodes++] = code;
	return 0;
}

static int
read_lines(struct context *ctx, FILE *in, enum intake_format fmt, progress_fn progress,
    void *arg, struct intake_result *res)
{
	struct line_strings ls = {0};
	struct tsv_header header = {0};
	char *line = NULL;
	size_t linecap = 0, codecap = 0;
	ssize_t len;
	int rc = 0;

	while (rc == 0 && (len = getline(&line, &linecap, in)) >= 0) {
		res->lines++;
		res->bad_line = res->lines;
		if (progress && res->lines % 10000 == 0)
			progress(res->lines, arg);
		if (len > INTAKE_LINE_MAX)
			rc = field_fail(&res->err, "text", "longer than %d bytes", INTAKE_LINE_MAX);
		else if (strlen(line) != (size_t)len)
			rc = field_fail(&res->err, "text", "contains a NUL byte");
		/* UTF-8 is checked field by field, so the message can name the field. */
		if (rc != 0)
			break;
		/* Spreadsheets start their exports with a byte order mark. */
		if (res->lines == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0) {
			memmove(line, line + 3, (size_t)len - 2);
			len -= 3;
		}
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len > 0 && line[len - 1] == '\r')
			line[--len] = '\0';
		if (fmt == INTAKE_TSV && res->lines == 1) {
			rc = tsv_read_header(line, &header, &res->err);
			continue;
		}
		if (line[strspn(line, " \t")] == '\0')
			continue;	/* a blank line: no case, no code */
		struct case_input input = {0};
		rc = fmt == INTAKE_JSON ? json_line(ctx->store, line, &input, &ls, &res->err)
					: tsv_line(line, &header, &input, &res->err);
		if (rc == 0)
			rc = store_line(ctx, &input, res, &codecap);
		drop_all(&ls);
	}
	free(line);
	if (rc == 0 && fmt == INTAKE_TSV && res->lines == 0) {
		res->bad_line = 1;
		rc = field_fail(&res->err, "tsv", "no header line");
	}
	if (rc == 0)
		res->bad_line = 0;
	else if (rc < 0)
		rc = EXIT_FATAL;
	return rc;
}

int
intake_batch(struct context *ctx, FILE *in, enum intake_format fmt, progress_fn progress,
    void *arg, struct intake_result *res)
{
	int rc;

	memset(res, 0, sizeof *res);
	if ((rc = store_begin(ctx->store)) != 0) {
		res->err.field = "database";
		snprintf(res->err.why, sizeof res->err.why, "%s", store_error(ctx->store));
		return rc;
	}
	rc = read_lines(ctx, in, fmt, progress, arg, res);
	if (rc == 0 && ferror(in)) {
		res->bad_line = res->lines + 1;
		rc = field_fail(&res->err, "input", "read error") ? EXIT_FATAL : 0;
	}
	if (rc != 0) {
		store_rollback(ctx->store);
		res->ncodes = 0;
		return rc;
	}
	if ((rc = store_commit(ctx->store)) != 0) {
		res->err.field = "database";
		snprintf(res->err.why, sizeof res->err.why, "%s", store_error(ctx->store));
		res->ncodes = 0;
	}
	return rc;
}

void
intake_result_free(struct intake_result *res)
{
	free(res->codes);
	res->codes = NULL;
}
