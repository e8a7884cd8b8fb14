/* unit.c — the agency's units and their tree of parents. */
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "audit.h"
#include "contact.h"
#include "text.h"
#include "unit.h"
#include "util.h"
#include "vocab.h"

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

long long
unit_find(struct store *s, const char *code)
{
	struct stmt *st = store_sql(s, "SELECT id FROM unit WHERE code = ?");
	long long id = 0;

	stmt_bind_text(st, code);
	if (stmt_row(st)) {
		id = stmt_int(st, 0);
		stmt_reset(st);
	}
	return id;
}

char *
unit_code_by_email(struct store *s, const char *email)
{
	struct stmt *st = store_sql(s, "SELECT code FROM unit WHERE lower(email) = lower(?)"
	    " ORDER BY code LIMIT 1");
	char *code = NULL;

	stmt_bind_text(st, email);
	if (stmt_row(st)) {
		code = xstrdup(stmt_text(st, 0));
		stmt_reset(st);
	}
	return code;
}

/* Would making `parent` the parent of `id` close a loop? */
static bool
makes_cycle(struct store *s, long long id, long long parent)
{
	struct stmt *st = store_sql(s,
	    "WITH RECURSIVE up(id) AS (SELECT CAST(? AS INTEGER) UNION SELECT u.parent_id FROM unit u"
	    " JOIN up ON u.id = up.id WHERE u.parent_id IS NOT NULL)"
	    " SELECT count(*) FROM up WHERE id = ?");
	bool cycle = false;

	stmt_bind_int(st, parent);
	stmt_bind_int(st, id);
	if (stmt_row(st)) {
		cycle = stmt_int(st, 0) > 0;
		stmt_reset(st);
	}
	return cycle;
}

static int
check_input(struct store *s, const struct unit_input *in, bool adding, char phone[24],
    long long *parent)
{
	const char *why;

	if (adding && (in->name == NULL || *in->name == '\0'))
		return store_fail_field(s, "name", "a unit needs a name");
	if (in->name && *in->name == '\0')
		return store_fail_field(s, "name", "a unit's name cannot be empty");
	if ((why = text_check(in->name, 200, TEXT_LINE)) != NULL)
		return store_fail_field(s, "name", "%s", why);
	if (in->email && *in->email && (why = check_email(in->email)))
		return store_fail_field(s, "email", "%s", why);
	phone[0] = '\0';
	if (in->phone && *in->phone && (why = check_office_phone(in->phone, phone)))
		return store_fail_field(s, "phone", "%s", why);
	*parent = 0;
	if (in->parent && *in->parent && (*parent = unit_find(s, in->parent)) == 0)
		return store_fail_field(s, "parent", "no unit %s", text_quote(in->parent));
	return 0;
}

static const char *
given(const char *v)
{
	return v && *v ? v : NULL;
}

/* What the history keeps of a unit: its fields as they are now. */
#define SNAPSHOT "SELECT u.code, u.name, u.email, u.phone, p.code AS parent" \
	" FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.id = ?"

static char *snapshot(struct store *s, long long id) { return audit_snapshot(s, SNAPSHOT, id); }

/* The event of a change: the unit before and after it. */
static int
record(struct store *s, long long id, const char *code, const char *what, char *before)
{
	return audit_record_change(s, RECORD_UNIT, id, code, what, before, SNAPSHOT);
}

struct change {
	const char *code;
	const struct unit_input *in;
};

static int
add(struct store *s, void *arg)
{
	const struct change *c = arg;
	char phone[24];
	long long parent;
	int rc;

	if ((rc = check_input(s, c->in, true, phone, &parent)) != 0)
		return rc;
	struct stmt *st = store_sql(s,
	    "INSERT INTO unit (code, name, email, phone, parent_id) VALUES (?, ?, ?, ?, ?)");
	stmt_bind_text(st, c->code);
	stmt_bind_text(st, c->in->name);
	stmt_bind_text(st, given(c->in->email));
	stmt_bind_text(st, phone[0] ? phone : NULL);
	stmt_bind_id(st, parent);
	if ((rc = stmt_run(st)) != 0)
		return store_is_duplicate(s)
		    ? store_failf(s, "%s: there is a unit with this code already", c->code) : rc;
	return record(s, store_last_id(s), c->code, "add", NULL);
}

int
unit_add(struct store *s, const char *code, const struct unit_input *in)
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
	const struct unit_input *in = c->in;
	const char *code = c->code;
	long long id = unit_find(s, code), parent;
	char phone[24];
	int rc;

	if (id == 0)
		return store_failf(s, "%s: no such unit", code) ? EXIT_PARTIAL : 0;
	if ((rc = check_input(s, in, false, phone, &parent)) != 0)
		return rc;
	if (parent && (parent == id || makes_cycle(s, id, parent)))
		return store_fail_field(s, "parent", "%s is under %s already: that would make a loop",
		    in->parent, code);
	/* An absent value keeps a field (1 = keep); an empty one clears it. */
	struct stmt *st = store_sql(s,
	    "UPDATE unit SET name = coalesce(?, name),"
	    " email = CASE WHEN ? = 1 THEN email ELSE nullif(?, '') END,"
	    " phone = CASE WHEN ? = 1 THEN phone ELSE nullif(?, '') END,"
	    " parent_id = CASE WHEN ? = 1 THEN parent_id ELSE nullif(?, 0) END"
	    " WHERE id = ?");
	stmt_bind_text(st, given(in->name));
	stmt_bind_int(st, in->email == NULL);
	stmt_bind_text(st, in->email);
	stmt_bind_int(st, in->phone == NULL);
	stmt_bind_text(st, in->phone ? phone : NULL);
	stmt_bind_int(st, in->parent == NULL);
	stmt_bind_int(st, parent);
	stmt_bind_int(st, id);
	char *before = snapshot(s, id);
	if ((rc = stmt_run(st)) != 0) {
		free(before);
		return rc;
	}
	return record(s, id, code, "update", before);
}

int
unit_update(struct store *s, const char *code, const struct unit_input *in)
{
	struct change c = {code, in};

	return store_atomic(s, update, &c);
}

static long long
count_where(struct store *s, const char *sql, long long id)
{
	struct stmt *st = store_sql(s, sql);
	long long n = 0;

	stmt_bind_int(st, id);
	if (stmt_row(st)) {
		n = stmt_int(st, 0);
		stmt_reset(st);
	}
	return n;
}

static int
remove_unit(struct store *s, void *arg)
{
	const char *code = arg;
	long long id = unit_find(s, code), n;

	if (id == 0)
		return store_failf(s, "%s: no such unit", code) ? EXIT_PARTIAL : 0;
	if ((n = count_where(s, "SELECT count(*) FROM cases WHERE unit_id = ?", id)) > 0)
		return store_failf(s, "%s: %lld case%s name%s it (the history keeps them); route the "
		    "open ones elsewhere and keep the unit, or rename it", code, n, n == 1 ? "" : "s",
		    n == 1 ? "s" : "");
	if ((n = count_where(s, "SELECT count(*) FROM unit WHERE parent_id = ?", id)) > 0)
		return store_failf(s, "%s: %lld unit%s it as %s parent", code, n,
		    n == 1 ? " has" : "s have", n == 1 ? "its" : "their");
	if ((n = count_where(s, "SELECT count(*) FROM service WHERE unit_id = ?", id)) > 0)
		return store_failf(s, "%s: %lld service%s its responsibility", code, n,
		    n == 1 ? " is" : "s are");
	char *before = snapshot(s, id);
	struct stmt *st = store_sql(s, "DELETE FROM unit WHERE id = ?");
	stmt_bind_int(st, id);
	int rc = stmt_run(st);
	if (rc == 0)
		rc = audit_record(s, RECORD_UNIT, id, code, "remove", before, NULL, NULL);
	free(before);
	return rc;
}

int
unit_remove(struct store *s, const char *code)
{
	return store_atomic(s, remove_unit, (void *)code);
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

/* The listing's SQL, made once: its list of settled states comes from vocab. */
static const char *
unit_select(bool one)
{
	static char *sql[2];

	if (sql[one] == NULL)
		sql[one] = xasprintf("SELECT u.code, u.name, u.email, u.phone, p.code,"
		    " (SELECT count(*) FROM cases c WHERE c.unit_id = u.id AND c.state NOT IN %s)"
		    " FROM unit u LEFT JOIN unit p ON p.id = u.parent_id%s",
		    vocab_sql_in(&state_vocab, STATES_SETTLED),
		    one ? " WHERE u.code = ?" : " ORDER BY u.code");
	return sql[one];
}

static void
put_unit(struct stmt *st, struct printer *p)
{
	for (int i = 0; i < 5; i++)
		printer_text(p, stmt_text(st, i));
	printer_int(p, stmt_int(st, 5));
	printer_row(p);
}

int
unit_list(struct store *s, struct printer *p, long *count)
{
	struct stmt *st = store_sql(s, unit_select(false));

	*count = 0;
	while (stmt_row(st)) {
		put_unit(st, p);
		(*count)++;
	}
	return stmt_status(st);
}

int
unit_show(struct store *s, const char *code, struct printer *p)
{
	struct stmt *st = store_sql(s, unit_select(true));

	stmt_bind_text(st, code);
	if (!stmt_row(st))
		return stmt_status(st) ? stmt_status(st)
		    : store_failf(s, "%s: no such unit", code) ? EXIT_PARTIAL : 0;
	put_unit(st, p);
	stmt_reset(st);
	return 0;
}

char **
unit_codes(struct store *s, bool with_address)
{
	struct stmt *st = store_sql(s,
	    "SELECT code FROM unit WHERE (? = 0 OR email IS NOT NULL) ORDER BY code");

	stmt_bind_int(st, with_address);
	return stmt_texts(st);
}

void
unit_codes_free(char **codes)
{
	strings_free(codes);
}
