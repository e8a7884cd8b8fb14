/* service.c — the service catalog. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "exitcode.h"
#include "json.h"
#include "service.h"
#include "text.h"
#include "unit.h"
#include "util.h"

#define FIELD_MAX 4000

long long
service_find(struct store *s, const char *code, long long *unit_id)
{
	struct stmt *st = store_sql(s, "SELECT id, unit_id FROM service WHERE code = ?");
	long long id = 0;

	stmt_bind_text(st, code);
	if (stmt_row(st)) {
		id = stmt_int(st, 0);
		*unit_id = stmt_int(st, 1);
		stmt_reset(st);
	}
	return id;
}

int
service_deadline(struct store *s, long long service_id)
{
	struct stmt *st = store_sql(s, "SELECT deadline_days FROM service WHERE id = ?");
	int days = -1;

	stmt_bind_int(st, service_id);
	if (stmt_row(st)) {
		if (!stmt_null(st, 0))
			days = (int)stmt_int(st, 0);
		stmt_reset(st);
	}
	return days;
}

static int
check_input(struct store *s, const struct service_input *in, bool adding, long long *unit,
    int *deadline)
{
	const struct { const char *name, *value; size_t max; enum text_kind kind; } fields[] = {
		{"name", in->name, 200, TEXT_LINE}, {"steps", in->steps, FIELD_MAX, TEXT_LINES},
		{"documents", in->documents, FIELD_MAX, TEXT_LINES},
		{"fees", in->fees, FIELD_MAX, TEXT_LINES}, {"duration", in->duration, 200, TEXT_LINE},
		{"legal_basis", in->legal_basis, FIELD_MAX, TEXT_LINES},
		{"how_to_complain", in->how_to_complain, FIELD_MAX, TEXT_LINES},
	};
	const char *why;

	if (adding && (in->name == NULL || *in->name == '\0'))
		return store_fail_field(s, "name", "a service needs a name");
	if (in->name && *in->name == '\0')
		return store_fail_field(s, "name", "a service's name cannot be empty");
	if (in->unit && *in->unit == '\0')
		return store_fail_field(s, "unit", "a service always has the unit that answers for it");
	if (adding && (in->unit == NULL || *in->unit == '\0'))
		return store_fail_field(s, "unit", "a service needs the unit that answers for it");
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if ((why = text_check(fields[i].value, fields[i].max, fields[i].kind)) != NULL)
			return store_fail_field(s, fields[i].name, "%s", why);
	*unit = 0;
	if (in->unit) {
		if ((*unit = unit_find(s, in->unit)) == 0)
			return store_fail_field(s, "unit", "no unit %s", text_quote(in->unit));
	}
	*deadline = -1;
	if (in->deadline && *in->deadline) {
		long n;
		if (text_parse_long(in->deadline, 0, 365, &n) != 0)
			return store_fail_field(s, "deadline",
			    "%s is not a number of working days (0-365)", text_quote(in->deadline));
		*deadline = (int)n;
	}
	return 0;
}

/* What the history keeps of a service: its fields as they are now. */
#define SNAPSHOT "SELECT s.code, s.name, u.code AS unit, s.deadline_days AS deadline," \
	" s.steps, s.documents, s.fees, s.duration, s.legal_basis, s.how_to_complain" \
	" FROM service s LEFT JOIN unit u ON u.id = s.unit_id WHERE s.id = ?"

static char *snapshot(struct store *s, long long id) { return audit_snapshot(s, SNAPSHOT, id); }

/* The event of a change: the service before and after it (owns before). */
static int
record(struct store *s, long long id, const char *code, const char *what, char *before)
{
	return audit_record_change(s, RECORD_SERVICE, id, code, what, before, SNAPSHOT);
}

struct change {
	const char *code;
	const struct service_input *in;
};

/* The free-text fields in their order in the SQL, each `times` over. */
static void
bind_fields(struct stmt *st, const struct service_input *in, int times)
{
	const char *const fields[] = {
		in->steps, in->documents, in->fees, in->duration, in->legal_basis,
		in->how_to_complain,
	};

	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		for (int t = 0; t < times; t++)
			stmt_bind_text(st, fields[i]);
}

static int
add(struct store *s, void *arg)
{
	const struct change *c = arg;
	const struct service_input *in = c->in;
	const char *code = c->code;
	long long unit;
	int deadline, rc;

	if ((rc = check_input(s, in, true, &unit, &deadline)) != 0)
		return rc;
	struct stmt *st = store_sql(s,
	    "INSERT INTO service (code, name, unit_id, deadline_days, steps, documents, fees,"
	    " duration, legal_basis, how_to_complain)"
	    " VALUES (?, ?, ?, ?, nullif(?, ''), nullif(?, ''), nullif(?, ''),"
	    " nullif(?, ''), nullif(?, ''), nullif(?, ''))");
	stmt_bind_text(st, code);
	stmt_bind_text(st, in->name);
	stmt_bind_int(st, unit);
	if (deadline >= 0)
		stmt_bind_int(st, deadline);
	else
		stmt_bind_null(st);
	bind_fields(st, in, 1);
	if ((rc = stmt_run(st)) != 0)
		return store_is_duplicate(s)
		    ? store_failf(s, "%s: there is a service with this code already", code) : rc;
	return record(s, store_last_id(s), code, "add", NULL);
}

int
service_add(struct store *s, const char *code, const struct service_input *in)
{
	const char *why = check_catalog_code(code);
	struct change c = {code, in};

	if (why)
		return store_failf(s, "%s: %s", code, why);
	return store_atomic(s, add, &c);
}

static int
update(struct store *s, void *arg)
{
	const struct change *c = arg;
	const struct service_input *in = c->in;
	const char *code = c->code;
	long long unit, unit_of_service, id = service_find(s, code, &unit_of_service);
	int deadline, rc;

	if ((rc = check_input(s, in, false, &unit, &deadline)) != 0)
		return rc;
	if (id == 0)
		return store_failf(s, "%s: no such service", code) ? EXIT_PARTIAL : 0;
	/* Absent keeps a field; empty clears it (but a name and a unit stay). */
	struct stmt *st = store_sql(s,
	    "UPDATE service SET name = coalesce(nullif(?, ''), name),"
	    " unit_id = coalesce(nullif(?, 0), unit_id),"
	    " deadline_days = CASE WHEN ? = 1 THEN ? ELSE deadline_days END,"
	    " steps = CASE WHEN ? IS NULL THEN steps ELSE nullif(?, '') END,"
	    " documents = CASE WHEN ? IS NULL THEN documents ELSE nullif(?, '') END,"
	    " fees = CASE WHEN ? IS NULL THEN fees ELSE nullif(?, '') END,"
	    " duration = CASE WHEN ? IS NULL THEN duration ELSE nullif(?, '') END,"
	    " legal_basis = CASE WHEN ? IS NULL THEN legal_basis ELSE nullif(?, '') END,"
	    " how_to_complain = CASE WHEN ? IS NULL THEN how_to_complain ELSE nullif(?, '') END"
	    " WHERE id = ?");
	stmt_bind_text(st, in->name);
	stmt_bind_int(st, unit);
	stmt_bind_int(st, in->deadline != NULL);
	if (deadline >= 0)
		stmt_bind_int(st, deadline);
	else
		stmt_bind_null(st);
	bind_fields(st, in, 2);
	stmt_bind_int(st, id);
	char *before = snapshot(s, id);
	if ((rc = stmt_run(st)) != 0) {
		free(before);
		return rc;
	}
	return record(s, id, code, "update", before);
}

int
service_update(struct store *s, const char *code, const struct service_input *in)
{
	struct change c = {code, in};

	return store_atomic(s, update, &c);
}
struct faq {
	const char *code, *question, *answer;
};

static int
add_faq(struct store *s, void *arg)
{
	const struct faq *f = arg;
	long long unit, id = service_find(s, f->code, &unit);

	if (id == 0)
		return store_failf(s, "%s: no such service", f->code) ? EXIT_PARTIAL : 0;
	struct stmt *st = store_sql(s,
	    "INSERT INTO service_faq (service_id, question, answer) VALUES (?, ?, ?)");
	stmt_bind_int(st, id);
	stmt_bind_text(st, f->question);
	stmt_bind_text(st, f->answer);
	int rc = stmt_run(st);
	if (rc != 0)
		return rc;
	json_t *entry = json_pack("{s:s, s:s}", "question", f->question, "answer", f->answer);
	char *after = json_dump_text(entry);
	json_decref(entry);
	rc = audit_record(s, RECORD_SERVICE, id, f->code, "faq", NULL, after, NULL);
	free(after);
	return rc;
}

int
service_add_faq(struct store *s, const char *code, const char *question, const char *answer)
{
	const char *why;

	if (question == NULL || *question == '\0')
		return store_fail_field(s, "question", "an FAQ entry needs its question");
	if (answer == NULL || *answer == '\0')
		return store_fail_field(s, "answer", "an FAQ entry needs its answer");
	if ((why = text_check(question, 1000, TEXT_LINE)))
		return store_fail_field(s, "question", "%s", why);
	if ((why = text_check(answer, FIELD_MAX, TEXT_LINES)))
		return store_fail_field(s, "answer", "%s", why);
	struct faq f = {code, question, answer};
	return store_atomic(s, add_faq, &f);
}

static const struct column columns[] = {
	{"code", COL_TEXT}, {"name", COL_TEXT}, {"unit", COL_TEXT}, {"deadline", COL_INT},
	{"steps", COL_TEXT}, {"documents", COL_TEXT}, {"fees", COL_TEXT},
	{"duration", COL_TEXT}, {"legal_basis", COL_TEXT}, {"how_to_complain", COL_TEXT},
	{"faq", COL_LIST},
};

static const struct column faq_columns[] = {{"question", COL_TEXT}, {"answer", COL_TEXT}};

#define BRIEF_COLUMNS 4

const struct column *
service_columns(bool brief, int *ncols)
{
	*ncols = brief ? BRIEF_COLUMNS : (int)ARRAY_SIZE(columns);
	return columns;
}

#define SERVICE_SELECT \
	"SELECT s.code, s.name, u.code, s.deadline_days, s.steps, s.documents, s.fees," \
	" s.duration, s.legal_basis, s.how_to_complain, s.id" \
	" FROM service s LEFT JOIN unit u ON u.id = s.unit_id"

static int
put_faq(struct store *s, long long service_id, struct printer *p)
{
	struct stmt *st = store_sql(s,
	    "SELECT question, answer FROM service_faq WHERE service_id = ? ORDER BY id");

	stmt_bind_int(st, service_id);
	printer_list_begin(p, faq_columns, (int)ARRAY_SIZE(faq_columns));
	while (stmt_row(st)) {
		printer_text(p, stmt_text(st, 0));
		printer_text(p, stmt_text(st, 1));
		printer_row(p);
	}
	printer_list_end(p);
	return stmt_status(st);
}

static int
put_service(struct store *s, struct stmt *st, struct printer *p, bool brief)
{
	int rc = 0;

	for (int i = 0; i < 3; i++)
		printer_text(p, stmt_text(st, i));
	if (stmt_null(st, 3))
		printer_text(p, NULL);
	else
		printer_int(p, stmt_int(st, 3));
	if (!brief) {
		for (int i = 4; i < 10; i++)
			printer_text(p, stmt_text(st, i));
		rc = put_faq(s, stmt_int(st, 10), p);
	}
	printer_row(p);
	return rc;
}

int
service_list(struct store *s, struct printer *p, bool brief, long *count)
{
	struct stmt *st = store_sql(s, SERVICE_SELECT " ORDER BY s.code");
	int rc = 0;

	*count = 0;
	while (rc == 0 && stmt_row(st)) {
		rc = put_service(s, st, p, brief);
		(*count)++;
	}
	if (rc != 0)
		stmt_reset(st);
	return rc ? rc : stmt_status(st);
}

int
service_show(struct store *s, const char *code, struct printer *p)
{
	struct stmt *st = store_sql(s, SERVICE_SELECT " WHERE s.code = ?");

	stmt_bind_text(st, code);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st)
		    : store_failf(s, "%s: no such service", code) ? EXIT_PARTIAL : 0;
	int rc = put_service(s, st, p, false);
	stmt_reset(st);
	return rc;
}

int
service_each(struct store *s, service_entry_fn *fn, void *arg, long *count)
{
	struct stmt *st = store_sql(s, "SELECT s.code, s.name, u.code, u.name, s.steps,"
	    " s.deadline_days FROM service s LEFT JOIN unit u ON u.id = s.unit_id ORDER BY s.code");
	int rc = 0;

	*count = 0;
	while (rc == 0 && stmt_row(st)) {
		struct service_entry e = {
			stmt_text(st, 0), stmt_text(st, 1), stmt_text(st, 2), stmt_text(st, 3),
			stmt_text(st, 4), stmt_null(st, 5) ? -1 : (int)stmt_int(st, 5),
		};
		rc = fn(&e, arg);
		(*count)++;
	}
	if (rc != 0)
		stmt_reset(st);
	return rc ? rc : stmt_status(st);
}
