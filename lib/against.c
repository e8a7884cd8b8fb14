/* against.c — the chain against published heads (see against.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "against.h"
#include "audit.h"
#include "util.h"

enum { REPORT_MAX = 64 << 20, HEADS_MAX = 1000 };

static int
hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* One head at text ("events=…"), into *h; false when it is not one. */
static bool
parse_head(const char *text, struct audit_head *h)
{
	char hash[65], at[32] = "";
	int end = 0;

	memset(h, 0, sizeof *h);
	if (sscanf(text, "events=%lld last=%lld hash=%64[0-9a-f]%n", &h->count, &h->last, hash,
	    &end) != 3 || strlen(hash) != 64 || h->count <= 0 || h->last <= 0)
		return false;
	for (int i = 0; i < 32; i++)
		h->hash[i] = (unsigned char)(hex_digit(hash[2 * i]) << 4 | hex_digit(hash[2 * i + 1]));
	struct tm tm = {0};
	if (sscanf(text + end, " at=%31[0-9TZ:-]", at) == 1) {
		const char *rest = strptime(at, "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (rest && *rest == '\0')
			h->at = timegm(&tm);
	}
	return true;
}

static bool
known(const struct audit_head *heads, size_t n, const struct audit_head *h)
{
	for (size_t i = 0; i < n; i++)
		if (heads[i].count == h->count && heads[i].last == h->last &&
		    memcmp(heads[i].hash, h->hash, sizeof h->hash) == 0)
			return true;
	return false;
}

/* Every distinct head the file holds; -1 when it cannot be read. */
static long
read_heads(const char *path, struct audit_head **heads, char **why)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char chunk[8192];
	size_t got, n = 0;

	*heads = NULL;
	if (f == NULL) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while (b.len < REPORT_MAX && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, got);
	fclose(f);
	for (const char *p = b.data; p && n < HEADS_MAX && (p = strstr(p, "events=")); p++) {
		struct audit_head h;
		if (!parse_head(p, &h) || known(*heads, n, &h))
			continue;
		*heads = xrealloc(*heads, (n + 1) * sizeof **heads);
		h.where = xasprintf("%s: events=%lld", path, h.count);
		(*heads)[n++] = h;
	}
	buf_free(&b);
	return (long)n;
}

struct relay {
	problem_fn report;
	void *arg;
	const struct audit_head *heads;
	size_t n;
	bool *failed;
};

/* Each problem goes on; one about a head marks it as not proven. */
static void
relay(void *arg, const char *what)
{
	struct relay *r = arg;

	for (size_t i = 0; i < r->n; i++) {
		char *prefix = xasprintf("audit seal: %s ", r->heads[i].where);
		if (strncmp(what, prefix, strlen(prefix)) == 0)
			r->failed[i] = true;
		free(prefix);
	}
	r->report(r->arg, what);
}

int
dbcheck_against(struct store *s, const char *users, const char *path, problem_fn report,
    void *arg, int *heads, int *proven)
{
	struct audit_head *hs;
	char *why = NULL;
	long n = read_heads(path, &hs, &why);
	int problems;

	*heads = *proven = 0;
	if (n <= 0) {
		store_failf(s, "%s", why ? why : "");
		if (n == 0)
			store_failf(s, "%s: no head of the audit chain in it (events=N last=ID hash=HEX)",
			    path);
		free(why);
		free(hs);
		return -1;
	}
	bool *failed = xcalloc((size_t)n, sizeof *failed);
	struct relay r = {report, arg, hs, (size_t)n, failed};
	struct audit_rules rules = {.users = users, .heads = hs, .nheads = (size_t)n};
	if (store_read_begin(s) != 0) {
		problems = -1;
	} else {
		problems = audit_verify(s, &rules, relay, &r);
		store_read_end(s);
	}
	*heads = (int)n;
	for (long i = 0; i < n; i++) {
		*proven += !failed[i];
		free((char *)hs[i].where);
	}
	free(failed);
	free(hs);
	return problems;
}

const char *
dbcheck_against_verdict(const char *path, int heads, int proven)
{
	static char *said;

	free(said);
	if (proven == heads)
		said = xasprintf("%s: the chain runs through the %s it published: no event up to %s "
		    "was changed", path, heads == 1 ? "head" : "heads", heads == 1 ? "it" : "them");
	else
		said = xasprintf("%s: %d of the %d heads it published %s not proven: the history up "
		    "to %s was changed since", path, heads - proven, heads,
		    heads - proven == 1 ? "is" : "are", heads - proven == 1 ? "it" : "them");
	return said;
}
