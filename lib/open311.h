/*
 * open311.h — cases and the service catalog as Open311 GeoReport v2
 * documents (XML, and JSON), so that tools that speak the standard can read
 * them: the requests of GET /requests and GET /requests/{id}, and the
 * services of GET /services. A request carries only the public facts of a
 * case (caseview.h: struct case_public), never a contact or the citizen's
 * own words. XML is built with libxml2's tree (every text escaped by the
 * library), JSON with jansson (json.h).
 *
 * A document is filled one entry at a time, streamed to a FILE* or
 * gathered as text (the portal answers with it):
 *
 *	struct open311_doc *d = open311_new(FMT_OPEN311_JSON, OPEN311_REQUESTS, NULL);
 *	rc = case_public_one(ctx, code, open311_put_request, d);	// or _list
 *	char *body = open311_text(d, &len);		// or open311_write(d) to a FILE*
 */
#ifndef PARTAKE_OPEN311_H
#define PARTAKE_OPEN311_H

#include <stddef.h>
#include <stdio.h>

#include "caseview.h"
#include "fmt.h"
#include "service.h"

enum open311_list { OPEN311_REQUESTS, OPEN311_SERVICES };

/* The fields of a request and of a service, in the standard's order. */
extern const char *const open311_request_fields[];
extern const char *const open311_service_fields[];

struct open311_doc;
/*
 * An empty list of requests or services (<service_requests>, <services>,
 * []), in FMT_OPEN311_XML or FMT_OPEN311_JSON: written to out entry by
 * entry as it is filled, in the memory of one entry whatever its length;
 * out NULL: kept for open311_text. UTF-8, the XML with its declaration.
 */
struct open311_doc *open311_new(enum fmt_kind format, enum open311_list what, FILE *out);
/* A case as one request (a case_public_fn); 0. */
int open311_put_request(struct context *ctx, const struct case_public *c, void *doc);
/* A service of the catalog as one service (a service_entry_fn); 0. */
int open311_put_service(const struct service_entry *e, void *doc);
/* Ends the document, ended by a newline, on out; 0, or -1 when a write to
 * it failed. Frees doc. */
int open311_write(struct open311_doc *doc);
/* Ends the document made with out NULL: its whole text, a new string of
 * *len bytes; NULL when it could not be made. Frees doc. */
char *open311_text(struct open311_doc *doc, size_t *len);
/* Frees a document, not ended. */
void open311_free(struct open311_doc *doc);

#endif
