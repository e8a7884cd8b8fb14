/* cgi.c — a CGI/1.1 request and the head of its response (see cgi.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cgi.h"
#include "util.h"

static const char *
env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v ? v : fallback;
}

/* A whole number of decimal digits alone, no sign, no blank: -1 if not. */
static long long
parse_length(const char *v)
{
	long long n = 0;

	if (*v == '\0')
		return -1;
	for (; *v; v++) {
		if (*v < '0' || *v > '9' || n > (1LL << 50))
			return -1;
		n = n * 10 + (*v - '0');
	}
	return n;
}

int
cgi_request_env(struct cgi_request *r, const struct cgi_limits *lim)
{
	const char *method = env_or("REQUEST_METHOD", ""), *length = getenv("CONTENT_LENGTH");
	const char *https = getenv("HTTPS");

	memset(r, 0, sizeof *r);
	r->method = strcmp(method, "GET") == 0 ? CGI_GET : strcmp(method, "HEAD") == 0 ? CGI_HEAD
	    : strcmp(method, "POST") == 0 ? CGI_POST : CGI_OTHER;
	r->script = env_or("SCRIPT_NAME", "");
	r->path = env_or("PATH_INFO", "");
	if (*r->path == '\0')
		r->path = "/";
	r->query = env_or("QUERY_STRING", "");
	r->content_type = getenv("CONTENT_TYPE");
	r->remote_addr = env_or("REMOTE_ADDR", "");
	r->cookie = getenv("HTTP_COOKIE");
	r->https = https && strcasecmp(https, "on") == 0;
	r->content_length = -1;
	if (*method == '\0')
		return 501;
	/* An empty CONTENT_LENGTH is no length (RFC 3875, 4.1.2). */
	if (length && *length && (r->content_length = parse_length(length)) < 0)
		return 400;
	if (strlen(r->query) > lim->query_max)
		return 414;
	return 0;
}

/* "application/x-www-form-urlencoded", with parameters (charset) or not. */
static bool
is_form_type(const char *type)
{
	static const char want[] = "application/x-www-form-urlencoded";
	size_t n = sizeof want - 1;

	if (type == NULL || strncasecmp(type, want, n) != 0)
		return false;
	return type[n] == '\0' || type[n] == ';' || type[n] == ' ';
}

int
cgi_read_body(const struct cgi_request *r, const struct cgi_limits *lim, FILE *in,
    char **body, size_t *n)
{
	*body = NULL;
	*n = 0;
	if (r->content_length < 0)
		return 411;
	if ((unsigned long long)r->content_length > lim->body_max)
		return 413;
	if (r->content_length > 0 && !is_form_type(r->content_type))
		return 415;
	size_t want = (size_t)r->content_length, got = 0;
	char *data = xmalloc(want + 1);
	while (got < want) {
		size_t k = fread(data + got, 1, want - got, in);
		if (k == 0 && !(ferror(in) && errno == EINTR))
			break;
		got += k;
	}
	if (got < want) {
		free(data);
		return 400;
	}
	data[got] = '\0';
	*body = data;
	*n = got;
	return 0;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..n) ('+' a blank, %XX a byte) into a new string; NULL on a
 * bad escape or a NUL. */
static char *
decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%') {
			if (i + 2 >= n || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0) {
				free(out);
				return NULL;
			}
			c = (char)(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
			i += 2;
		}
		if (c == '\0') {
			free(out);
			return NULL;
		}
		*o++ = c;
	}
	*o = '\0';
	return out;
}

/* The fewest bytes a value of this encoded length decodes to. */
static size_t
decoded_at_least(const char *s, size_t n)
{
	size_t escapes = 0;

	for (size_t i = 0; i < n; i++)
		escapes += s[i] == '%';
	return n > 2 * escapes ? n - 2 * escapes : 0;
}

int
cgi_form_parse(const char *text, size_t n, const struct cgi_limits *lim, struct cgi_form *f,
    const char **why)
{
	const char *end = text + n, *p = text;

	memset(f, 0, sizeof *f);
	/* Count before anything is decoded. */
	size_t fields = n > 0;
	for (const char *q = text; q < end; q++)
		fields += *q == '&';
	if (fields > lim->fields_max) {
		*why = "too many fields";
		return 400;
	}
	f->fields = xcalloc(fields ? fields : 1, sizeof *f->fields);
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		const char *name_end = eq ? eq : stop, *value = eq ? eq + 1 : stop;
		if (stop == p) {	/* "a=1&&b=2": an empty pair is nothing */
			p = stop + 1;
			continue;
		}
		if (decoded_at_least(p, (size_t)(name_end - p)) > 64 ||
		    decoded_at_least(value, (size_t)(stop - value)) > lim->field_max) {
			*why = "a field is too long";
			cgi_form_free(f);
			return 400;
		}
		char *name = decode(p, (size_t)(name_end - p));
		char *val = name ? decode(value, (size_t)(stop - value)) : NULL;
		if (val == NULL || strlen(val) > lim->field_max) {
			free(name);
			free(val);
			*why = val ? "a field is too long" : "a bad %-escape or a NUL";
			cgi_form_free(f);
			return 400;
		}
		f->fields[f->n++] = (struct cgi_field){name, val};
		p = stop + 1;
	}
	return 0;
}

const char *
cgi_form_get(const struct cgi_form *f, const char *name)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return f->fields[i].value;
	return NULL;
}

size_t
cgi_form_all(const struct cgi_form *f, const char *name, const char **out, size_t max)
{
	size_t k = 0;

	for (size_t i = 0; i < f->n && k < max; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			out[k++] = f->fields[i].value;
	return k;
}

void
cgi_form_free(struct cgi_form *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->fields[i].name);
		free(f->fields[i].value);
	}
	free(f->fields);
	memset(f, 0, sizeof *f);
}

const char *
cgi_cookie(const char *header, const char *name, char *buf, size_t n)
{
	size_t len = strlen(name);

	for (const char *p = header; p && *p;) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *semi = strchr(p, ';');
		size_t pair = semi ? (size_t)(semi - p) : strlen(p);
		if (pair > len && strncmp(p, name, len) == 0 && p[len] == '=') {
			size_t vlen = pair - len - 1;
			while (vlen > 0 && p[len + 1 + vlen - 1] == ' ')
				vlen--;
			if (vlen + 1 > n)
				return NULL;
			memcpy(buf, p + len + 1, vlen);
			buf[vlen] = '\0';
			return buf;
		}
		p += pair;
	}
	return NULL;
}

const char *
cgi_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/* Every answer: no script, style only from here, no framing, no referrer
 * (a survey's token is in its address), nothing kept by a cache (a page
 * holds a form's token, a case's answer). */
static const char *const always[] = {
	"Content-Security-Policy: default-src 'none'; style-src 'self'; img-src 'self'; "
	    "form-action 'self'; base-uri 'self'; frame-ancestors 'none'",
	"X-Content-Type-Options: nosniff",
	"Referrer-Policy: no-referrer",
	"X-Frame-Options: DENY",
	"Cache-Control: no-store",
	NULL,
};

void
cgi_head(FILE *out, int status, const char *type, size_t length, const char *const *extra)
{
	fprintf(out, "Status: %d %s\r\n", status, cgi_status_text(status));
	fprintf(out, "Content-Type: %s\r\n", type);
	fprintf(out, "Content-Length: %zu\r\n", length);
	for (const char *const *h = always; *h; h++)
		fprintf(out, "%s\r\n", *h);
	for (const char *const *h = extra; h && *h; h++)
		fprintf(out, "%s\r\n", *h);
	fputs("\r\n", out);
}
