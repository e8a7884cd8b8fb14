/* unit.c — the agency's units and their tree of parents. */
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "store.h"
#include "text.h"
#include "unit.h"
#include "util.h"

const char *
check_catalog_code(const char *code)
{
	size_t n = strlen(code);

	if (n == 0 || n > 32)
		return "a code has 1 to 32 characters";
	if (strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
		return "a code is made of a-z, 0-9, '.', '_' and '-'";
	return NULL;
}

/* An office number: digits, maybe a leading +, 4 to 15 of them. */
static const char *
check_office_phone(const char *in, char out[24])
{
	char *ascii = text_ascii_digits(in);
	size_t n = 0;
	const char *why = NULL;

	for (const char *p = ascii; *p && !why; p++) {
		if (strchr(" -()", *p))
			continue;
		if ((*p == '+' && n == 0) || (*p >= '0' && *p <= '9'))
			out[n++] = *p;
		else
			why = "a phone number has only digits";
		if (n > 16)
			why = "too many digits for a phone number";
	}
	out[n] = '\0';
	free(ascii);
	if (!why && (n < 4))
		why = "too few digits for a phone number";
	return why;
}

long long
unit_find(struct store *s, const char *code)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM unit WHERE code = ?1");
	long long id = 0;

	bind_text(st, 1, code);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* Would making `parent` the parent of `id` close a loop? */
static bool
makes_cycle(struct store *s, long long id, long long parent)
{
	sqlite3_stmt *st = store_stmt(s,
	    "WITH RECURSIVE up(id) AS (SELECT ?1 UNION SELECT u.parent_id FROM unit u"
	    " JOIN up ON u.id = up.id WHERE u.parent_id IS NOT NULL)"
	    " SELECT count(*) FROM up WHERE id = ?2");
	bool cycle;

	sqlite3_bind_int64(st, 1, parent);
	sqlite3_bind_int64(st, 2, id);
	cycle = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
	sqlite3_reset(st);
	return cycle;
}

static int
check_input(struct store *s, const struct unit_input *in, bool adding, char phone[24],
    long long *parent)
{
	const char *why;

	if (adding && (in->name == NULL || *in->name == '\0'))
		return store_failf(s, "--name: a unit needs a name");
	if (in->name && *in->name == '\0')
		return store_failf(s, "--name: a unit's name cannot be empty");
	if (in->name && (!utf8_valid(in->name, strlen(in->name)) || utf8_length(in->name) > 200))
		return store_failf(s, "--name: not valid UTF-8 of at most 200 characters");
	if (in->email && *in->email && (why = check_email(in->email)))
		return store_failf(s, "--email: %s", why);
	phone[0] = '\0';
	if (in->phone && *in->phone && (why = check_office_phone(in->phone, phone)))
		return store_failf(s, "--phone: %s", why);
	*parent = 0;
	if (in->parent && *in->parent && (*parent = unit_find(s, in->parent)) == 0)
		return store_failf(s, "--parent: no unit '%s'", in->parent);
	return 0;
}

static const char *
given(const char *v)
{
	return v && *v ? v : NULL;
}

int
unit_add(struct store *s, const char *code, const struct unit_input *in)
{
	const char *why = check_catalog_code(code);
	char phone[24];
	long long parent;
	int rc;

	if (why)
		return store_failf(s, "%s: %s", code, why);
	if ((rc = check_input(s, in, true, phone, &parent)) != 0)
		return rc;
	sqlite3_stmt *st = store_stmt(s,
	    "INSERT INTO unit (code, name, email, phone, parent_id) VALUES (?1, ?2, ?3, ?4, ?5)");
	bind_text(st, 1, code);
	bind_text(st, 2, in->name);
	bind_text(st, 3, given(in->email));
	bind_text(st, 4, phone[0] ? phone : NULL);
	if (parent)
		sqlite3_bind_int64(st, 5, parent);
	rc = sqlite3_step(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return store_failf(s, "%s: there is a unit with this code already", code);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc);
}

int
unit_update(struct store *s, const char *code, const struct unit_input *in)
{
	long long id = unit_find(s, code), parent;
	char phone[24];
	int rc;

	if (id == 0)
		return store_failf(s, "%s: no such unit", code) ? EXIT_PARTIAL : 0;
	if ((rc = check_input(s, in, false, phone, &parent)) != 0)
		return rc;
	if (parent && (parent == id || makes_cycle(s, id, parent)))
		return store_failf(s, "--parent: %s is under %s already: that would make a loop",
		    in->parent, code);
	/* An empty value clears a field; an absent one keeps it. */
	sqlite3_stmt *st = store_stmt(s,
	    "UPDATE unit SET name = coalesce(?2, name),"
	    " email = CASE WHEN ?3 IS NULL THEN email ELSE nullif(?3, '') END,"
	    " phone = CASE WHEN ?4 IS NULL THEN phone ELSE nullif(?4, '') END,"
	    " parent_id = CASE WHEN ?5 IS NULL THEN parent_id ELSE nullif(?5, 0) END"
	    " WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, given(in->name));
	bind_text(st, 3, in->email);
	bind_text(st, 4, in->phone ? phone : NULL);
	if (in->parent)
		sqlite3_bind_int64(st, 5, parent);
	rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc);
}

static long long
count_where(struct store *s, const char *sql, long long id)
{
	sqlite3_stmt *st = store_stmt(s, sql);
	long long n = 0;

	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

int
unit_remove(struct store *s, const char *code)
{
	long long id = unit_find(s, code), n;

	if (id == 0)
		return store_failf(s, "%s: no such unit", code) ? EXIT_PARTIAL : 0;
	if ((n = count_where(s, "SELECT count(*) FROM cases WHERE unit_id = ?1", id)) > 0)
		return store_failf(s, "%s: %lld case%s name%s it (the history keeps them); route the "
		    "open ones elsewhere and keep the unit, or rename it", code, n, n == 1 ? "" : "s",
		    n == 1 ? "s" : "");
	if ((n = count_where(s, "SELECT count(*) FROM unit WHERE parent_id = ?1", id)) > 0)
		return store_failf(s, "%s: %lld unit%s it as %s parent", code, n,
		    n == 1 ? " has" : "s have", n == 1 ? "its" : "their");
	if ((n = count_where(s, "SELECT count(*) FROM service WHERE unit_id = ?1", id)) > 0)
		return store_failf(s, "%s: %lld service%s its responsibility", code, n,
		    n == 1 ? " is" : "s are");
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM unit WHERE id = ?1");
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc);
}

static const struct column columns[] = {
	{"code", COL_TEXT}, {"name", COL_TEXT}, {"email", COL_TEXT}, {"phone", COL_TEXT},
	{"parent", COL_TEXT}, {"open_cases", COL_INT},
};

const struct column *
unit_columns(int *ncols)
{
	*ncols = (int)ARRAY_SIZE(columns);
	return columns;
}

#define UNIT_SELECT \
	"SELECT u.code, u.name, u.email, u.phone, p.code," \
	" (SELECT count(*) FROM cases c WHERE c.unit_id = u.id" \
	"  AND c.state NOT IN " SQL_SETTLED_STATES ")" \
	" FROM unit u LEFT JOIN unit p ON p.id = u.parent_id"

static void
put_unit(sqlite3_stmt *st, struct printer *p)
{
	for (int i = 0; i < 5; i++)
		printer_text(p, column_text(st, i));
	printer_int(p, sqlite3_column_int64(st, 5));
	printer_row(p);
}

int
unit_list(struct store *s, struct printer *p, long *count)
{
	sqlite3_stmt *st = store_stmt(s, UNIT_SELECT " ORDER BY u.code");
	int rc;

	*count = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		put_unit(st, p);
		(*count)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, rc);
}

int
unit_show(struct store *s, const char *code, struct printer *p)
{
	sqlite3_stmt *st = store_stmt(s, UNIT_SELECT " WHERE u.code = ?1");
	int rc;

	bind_text(st, 1, code);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		put_unit(st, p);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return store_failf(s, "%s: no such unit", code) ? EXIT_PARTIAL : 0;
	return rc == SQLITE_ROW ? 0 : store_fail(s, rc);
}
