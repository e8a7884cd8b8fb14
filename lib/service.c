/* service.c — the service catalog. */
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "service.h"
#include "store.h"
#include "text.h"
#include "unit.h"
#include "util.h"

#define FIELD_MAX 4000

long long
service_find(struct store *s, const char *code, long long *unit_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, unit_id FROM service WHERE code = ?1");
	long long id = 0;

	bind_text(st, 1, code);
	if (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		*unit_id = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return id;
}

int
service_deadline(struct store *s, long long service_id)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT deadline_days FROM service WHERE id = ?1");
	int days = -1;

	sqlite3_bind_int64(st, 1, service_id);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		days = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return days;
}

static const char *
check_field(const char *v, size_t max)
{
	if (v == NULL)
		return NULL;
	if (!utf8_valid(v, strlen(v)))
		return "not valid UTF-8";
	if (utf8_length(v) > max)
		return "too long";
	return NULL;
}

static int
check_input(struct store *s, const struct service_input *in, bool adding, long long *unit,
    int *deadline)
{
	const struct { const char *name, *value; size_t max; } fields[] = {
		{"--name", in->name, 200}, {"--steps", in->steps, FIELD_MAX},
		{"--documents", in->documents, FIELD_MAX}, {"--fees", in->fees, FIELD_MAX},
		{"--duration", in->duration, 200}, {"--legal-basis", in->legal_basis, FIELD_MAX},
		{"--how-to-complain", in->how_to_complain, FIELD_MAX},
	};
	const char *why;

	if (adding && (in->name == NULL || *in->name == '\0'))
		return store_failf(s, "--name: a service needs a name");
	if (in->name && *in->name == '\0')
		return store_failf(s, "--name: a service's name cannot be empty");
	if (in->unit && *in->unit == '\0')
		return store_failf(s, "--unit: a service always has the unit that answers for it");
	if (adding && (in->unit == NULL || *in->unit == '\0'))
		return store_failf(s, "--unit: a service needs the unit that answers for it");
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if ((why = check_field(fields[i].value, fields[i].max)) != NULL)
			return store_failf(s, "%s: %s", fields[i].name, why);
	*unit = 0;
	if (in->unit) {
		if ((*unit = unit_find(s, in->unit)) == 0)
			return store_failf(s, "--unit: no unit '%s' (see punit)", in->unit);
	}
	*deadline = -1;
	if (in->deadline && *in->deadline) {
		char *end;
		long n = strtol(in->deadline, &end, 10);
		if (end == in->deadline || *end || n < 0 || n > 365)
			return store_failf(s, "--deadline: '%s' is not a number of working days (0-365)",
			    in->deadline);
		*deadline = (int)n;
	}
	return 0;
}

static void
bind_fields(sqlite3_stmt *st, const struct service_input *in)
{
	bind_text(st, 5, in->steps);
	bind_text(st, 6, in->documents);
	bind_text(st, 7, in->fees);
	bind_text(st, 8, in->duration);
	bind_text(st, 9, in->legal_basis);
	bind_text(st, 10, in->how_to_complain);
}

int
service_add(struct store *s, const char *code, const struct service_input *in)
{
	const char *why = check_catalog_code(code);
	long long unit;
	int deadline, rc;

	if (why)
		return store_failf(s, "%s: %s", code, why);
	if ((rc = check_input(s, in, true, &unit, &deadline)) != 0)
		return rc;
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO service (code, name, unit_id, deadline_days, steps, documents, fees,"
	    " duration, legal_basis, how_to_complain)"
	    " VALUES (?1, ?2, ?3, ?4, nullif(?5, ''), nullif(?6, ''), nullif(?7, ''),"
	    " nullif(?8, ''), nullif(?9, ''), nullif(?10, ''))");
	bind_text(st, 1, code);
	bind_text(st, 2, in->name);
	sqlite3_bind_int64(st, 3, unit);
	if (deadline >= 0)
		sqlite3_bind_int(st, 4, deadline);
	bind_fields(st, in);
	rc = sqlite3_step(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return store_failf(s, "%s: there is a service with this code already", code);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc);
}

int
service_update(struct store *s, const char *code, const struct service_input *in)
{
	long long unit;
	int deadline, rc;

	if ((rc = check_input(s, in, false, &unit, &deadline)) != 0)
		return rc;
	/* Absent keeps a field; empty clears it (but a name and a unit stay). */
	sqlite3_stmt *st = store_stmt(s,
	    "UPDATE service SET name = coalesce(nullif(?2, ''), name),"
	    " unit_id = coalesce(nullif(?3, 0), unit_id),"
	    " deadline_days = CASE WHEN ?11 THEN ?4 ELSE deadline_days END,"
	    " steps = CASE WHEN ?5 IS NULL THEN steps ELSE nullif(?5, '') END,"
	    " documents = CASE WHEN ?6 IS NULL THEN documents ELSE nullif(?6, '') END,"
	    " fees = CASE WHEN ?7 IS NULL THEN fees ELSE nullif(?7, '') END,"
	    " duration = CASE WHEN ?8 IS NULL THEN duration ELSE nullif(?8, '') END,"
	    " legal_basis = CASE WHEN ?9 IS NULL THEN legal_basis ELSE nullif(?9, '') END,"
	    " how_to_complain = CASE WHEN ?10 IS NULL THEN how_to_complain ELSE nullif(?10, '') END"
	    " WHERE code = ?1");
	bind_text(st, 1, code);
	bind_text(st, 2, in->name);
	sqlite3_bind_int64(st, 3, unit);
	if (deadline >= 0)
		sqlite3_bind_int(st, 4, deadline);
	bind_fields(st, in);
	sqlite3_bind_int(st, 11, in->deadline != NULL);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return store_fail(s, rc);
	if (sqlite3_changes(store_handle(s)) == 0)
		return store_failf(s, "%s: no such service", code) ? EXIT_PARTIAL : 0;
	return 0;
}

int
service_add_faq(struct store *s, const char *code, const char *question, const char *answer)
{
	const char *why;

	if (question == NULL || *question == '\0' || answer == NULL || *answer == '\0')
		return store_failf(s, "an FAQ entry needs --question and --answer");
	if ((why = check_field(question, 1000)) || (why = check_field(answer, FIELD_MAX)))
		return store_failf(s, "FAQ entry: %s", why);
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO service_faq (service_id, question, answer)"
	    " SELECT id, ?2, ?3 FROM service WHERE code = ?1");
	bind_text(st, 1, code);
	bind_text(st, 2, question);
	bind_text(st, 3, answer);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, rc);
	if (sqlite3_changes(store_handle(s)) == 0)
		return store_failf(s, "%s: no such service", code) ? EXIT_PARTIAL : 0;
	return 0;
}

static const struct column columns[] = {
	{"code", COL_TEXT}, {"name", COL_TEXT}, {"unit", COL_TEXT}, {"deadline", COL_INT},
	{"steps", COL_TEXT}, {"documents", COL_TEXT}, {"fees", COL_TEXT},
	{"duration", COL_TEXT}, {"legal_basis", COL_TEXT}, {"how_to_complain", COL_TEXT},
	{"faq", COL_JSON},
};

#define BRIEF_COLUMNS 4

const struct column *
service_columns(bool brief, int *ncols)
{
	*ncols = brief ? BRIEF_COLUMNS : (int)ARRAY_SIZE(columns);
	return columns;
}

#define SERVICE_SELECT \
	"SELECT s.code, s.name, u.code, s.deadline_days, s.steps, s.documents, s.fees," \
	" s.duration, s.legal_basis, s.how_to_complain," \
	" (SELECT json_group_array(json_object('question', f.question, 'answer', f.answer))" \
	"  FROM service_faq f WHERE f.service_id = s.id)" \
	" FROM service s LEFT JOIN unit u ON u.id = s.unit_id"

static void
put_service(sqlite3_stmt *st, struct printer *p, bool brief)
{
	for (int i = 0; i < 3; i++)
		printer_text(p, column_text(st, i));
	if (sqlite3_column_type(st, 3) == SQLITE_NULL)
		printer_text(p, NULL);
	else
		printer_int(p, sqlite3_column_int(st, 3));
	if (brief) {
		printer_row(p);
		return;
	}
	for (int i = 4; i < 10; i++)
		printer_text(p, column_text(st, i));
	printer_json(p, column_text(st, 10));
	printer_row(p);
}

int
service_list(struct store *s, struct printer *p, bool brief, long *count)
{
	sqlite3_stmt *st = store_stmt(s, SERVICE_SELECT " ORDER BY s.code");
	int rc;

	*count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		put_service(st, p, brief);
		(*count)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc);
}

int
service_show(struct store *s, const char *code, struct printer *p)
{
	sqlite3_stmt *st = store_stmt(s, SERVICE_SELECT " WHERE s.code = ?1");
	int rc;

	bind_text(st, 1, code);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		put_service(st, p, false);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return store_failf(s, "%s: no such service", code) ? EXIT_PARTIAL : 0;
	return rc == SQLITE_ROW ? 0 : store_fail(s, rc);
}
