/*
 * cgi.h — one CGI/1.1 request (RFC 3875) as a web server hands it over:
 * the method, the path after the program's name, the query, the length
 * and type of the body, the client's address and cookies; a form of
 * application/x-www-form-urlencoded read and decoded within limits that
 * are checked before a byte of it is read or decoded; and the head of
 * the response, with the headers every answer carries. Nothing here
 * knows the portal's pages (portal.h): this is the protocol alone.
 */
#ifndef PARTAKE_CGI_H
#define PARTAKE_CGI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cgi_method { CGI_GET, CGI_HEAD, CGI_POST, CGI_OTHER };

/* What a request may bring; each is checked before the text is read. */
struct cgi_limits {
	size_t body_max;	/* bytes of a body (CONTENT_LENGTH) */
	size_t query_max;	/* bytes of a QUERY_STRING */
	size_t fields_max;	/* fields of a form */
	size_t field_max;	/* bytes of a field's value, decoded */
};

struct cgi_request {
	enum cgi_method method;
	const char *script;	/* SCRIPT_NAME: where the program is ("" at the root) */
	const char *path;	/* PATH_INFO, "/" when none */
	const char *query;	/* QUERY_STRING, "" when none */
	const char *content_type;	/* NULL: none */
	long long content_length;	/* -1: none given */
	const char *remote_addr;	/* "" when the server gave none */
	const char *cookie;	/* HTTP_COOKIE, NULL: none */
	bool https;		/* HTTPS=on: cookies are marked Secure */
};

/* The request of the environment. 0, or the HTTP status to answer with:
 * 400 for a CONTENT_LENGTH that is not a number, 414 for a query longer
 * than the limit, 501 for a request that is not CGI/1.1. */
int cgi_request_env(struct cgi_request *r, const struct cgi_limits *lim);

struct cgi_field {
	char *name, *value;
};
struct cgi_form {
	struct cgi_field *fields;
	size_t n;
};

/*
 * The body of a POST, whole, as *body (NUL-ended, *n bytes). Refused
 * before a byte is read: no length given (411), more than body_max (413),
 * not a urlencoded form (415); a body that ends before its length is 400.
 * 0, or that status.
 */
int cgi_read_body(const struct cgi_request *r, const struct cgi_limits *lim, FILE *in,
    char **body, size_t *n);
/*
 * Decodes urlencoded text (a body or a query) into f: 0, or 400 with *why
 * (English, for the log of a test; the citizen reads the portal's words):
 * more fields than fields_max, a value longer than field_max (judged on its
 * encoded length first, so a long one is never decoded), a bad %-escape,
 * a NUL. Whether a value is good UTF-8 and of the right length in
 * characters is the domain's check, not the protocol's.
 */
int cgi_form_parse(const char *text, size_t n, const struct cgi_limits *lim, struct cgi_form *f,
    const char **why);
/* The first value of a field, or NULL. */
const char *cgi_form_get(const struct cgi_form *f, const char *name);
/* Every value of a field (a list of checkboxes) into out, at most max; how many. */
size_t cgi_form_all(const struct cgi_form *f, const char *name, const char **out, size_t max);
void cgi_form_free(struct cgi_form *f);

/* The value of cookie name in a Cookie header, copied into buf of n bytes;
 * NULL when it is not there or does not fit. */
const char *cgi_cookie(const char *header, const char *name, char *buf, size_t n);

/* "Not Found" for 404 and so on. */
const char *cgi_status_text(int status);
/*
 * The head of a response: Status, Content-Type, Content-Length, the
 * headers every answer carries (Content-Security-Policy, X-Content-Type-
 * Options, Referrer-Policy, X-Frame-Options, Cache-Control), each line of
 * extra ("Name: value", NULL-ended; NULL: none), and the blank line.
 */
void cgi_head(FILE *out, int status, const char *type, size_t length, const char *const *extra);

#endif
