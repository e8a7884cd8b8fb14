/*
 * unit.h — the agency's units: each answers its own cases at its own
 * address, and escalation goes to its parent.
 */
#ifndef PARTAKE_UNIT_H
#define PARTAKE_UNIT_H

#include "store.h"
#include "fmt.h"

/* What is given to add or update a unit; NULL: not given (kept on update). */
struct unit_input {
	const char *name, *email, *phone, *parent;
};

/* A unit or service code: 1–32 of a–z, 0–9, '.', '_', '-'; NULL when good. */
const char *check_catalog_code(const char *code);

/* The unit's row id, or 0 when there is no unit with this code. */
long long unit_find(struct store *s, const char *code);
/* The codes of every unit (with an address, when with_address), by code: a
 * NULL-ended array of new strings (unit_codes_free). */
char **unit_codes(struct store *s, bool with_address);
void unit_codes_free(char **codes);

/* The code of the unit whose address is email (letters' case aside: a
 * mail's recipient as the mail server gives it), a new string; NULL: none. */
char *unit_code_by_email(struct store *s, const char *email);

/* Each returns 0 or an exit status, with store_error() saying why. */
int unit_add(struct store *s, const char *code, const struct unit_input *in);
int unit_update(struct store *s, const char *code, const struct unit_input *in);
int unit_remove(struct store *s, const char *code);
const struct column *unit_columns(int *ncols);
int unit_list(struct store *s, struct printer *p, long *count);
/* EXIT_PARTIAL when there is no such unit. */
int unit_show(struct store *s, const char *code, struct printer *p);

#endif
