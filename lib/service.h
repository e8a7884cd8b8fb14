/*
 * service.h — the service catalog the agencies publish: what each service
 * needs, costs and takes, who answers for it, how to complain about it,
 * and how many working days its cases have.
 */
#ifndef PARTAKE_SERVICE_H
#define PARTAKE_SERVICE_H

#include <stdbool.h>

#include "store.h"
#include "fmt.h"

/* NULL: not given (kept on update); "" clears a field that may be empty. */
struct service_input {
	const char *name, *unit, *deadline;
	const char *steps, *documents, *fees, *duration, *legal_basis, *how_to_complain;
};

/* The service's row id and its unit's, or 0 when there is no such service. */
long long service_find(struct store *s, const char *code, long long *unit_id);
/* The working days the service's cases have, or -1 when it sets none. */
int service_deadline(struct store *s, long long service_id);

/* Each returns 0 or an exit status, with store_error() saying why. */
int service_add(struct store *s, const char *code, const struct service_input *in);
int service_update(struct store *s, const char *code, const struct service_input *in);
int service_add_faq(struct store *s, const char *code, const char *question, const char *answer);
/* brief: code, name, unit and deadline only, for a table on a terminal. */
const struct column *service_columns(bool brief, int *ncols);
int service_list(struct store *s, struct printer *p, bool brief, long *count);
/* The service as one row with its FAQ as a last column; EXIT_PARTIAL if none. */
int service_show(struct store *s, const char *code, struct printer *p);

/* A service as the catalog publishes it, for documents of a shape of their
 * own (open311.h). Texts are good until the callback returns. */
struct service_entry {
	const char *code, *name, *unit_code, *unit_name;	/* the unit's: NULL, none */
	const char *steps;
	int deadline_days;	/* -1: the kind's */
};
/* Called for each service; 0 goes on, an exit status stops and is returned. */
typedef int service_entry_fn(const struct service_entry *e, void *arg);
/* Every service, by code; *count set. */
int service_each(struct store *s, service_entry_fn *fn, void *arg, long *count);

#endif
