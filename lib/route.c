/* route.c — the routing rules file and its matching. */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "route.h"
#include "store.h"
#include "text.h"
#include "unit.h"
#include "util.h"

struct rule {
	long line;
	unsigned kinds, channels;	/* bit sets; all bits: any */
	char *service;			/* NULL: any */
	regex_t pattern;
	bool has_pattern;
	char *unit;
};

struct route_rules {
	struct rule *rules;
	size_t n;
};

/* "complaint,request" or "*" as a bit set; -1 names a bad word in *bad. */
static int
parse_set(char *field, int (*parse)(const char *), unsigned *set, char **bad)
{
	char *save = NULL;

	if (strcmp(field, "*") == 0) {
		*set = ~0u;
		return 0;
	}
	*set = 0;
	for (char *w = strtok_r(field, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int v = parse(strip(w));
		if (v < 0) {
			*bad = w;
			return -1;
		}
		*set |= 1u << v;
	}
	return 0;
}

static char *
parse_rule(struct store *s, char *line, struct rule *r)
{
	char *field[5], *save = line, *bad = NULL;
	int n = 0;

	for (char *f; n < 6 && (f = strsep(&save, "\t")) != NULL;)
		if (*f != '\0') {
			if (*strip(f) == '\0')
				return xstrdup("a field of blanks: write '*' for any");
			if (n == 5)
				return xstrdup("more than five fields (kind, channel, service, pattern, unit)");
			field[n++] = strip(f);
		}
	if (n != 5)
		return xstrdup("expected five tab-separated fields: kind, channel, service, pattern, unit");
	if (parse_set(field[0], kind_parse, &r->kinds, &bad) != 0)
		return xasprintf("unknown kind '%s'", bad);
	if (parse_set(field[1], channel_parse, &r->channels, &bad) != 0)
		return xasprintf("unknown channel '%s'", bad);
	r->service = strcmp(field[2], "*") ? xstrdup(field[2]) : NULL;
	if (strcmp(field[3], "*") != 0) {
		char *norm = text_normalize(field[3]);
		int rc = regcomp(&r->pattern, norm, REG_EXTENDED | REG_ICASE | REG_NOSUB);
		free(norm);
		if (rc != 0) {
			char msg[128];
			regerror(rc, &r->pattern, msg, sizeof msg);
			return xasprintf("pattern '%s': %s", field[3], msg);
		}
		r->has_pattern = true;
	}
	r->unit = xstrdup(field[4]);
	if (unit_find(s, r->unit) == 0)
		return xasprintf("no unit '%s' (see punit)", r->unit);
	return NULL;
}

struct route_rules *
route_load(struct store *s, const char *path, char **why)
{
	struct route_rules *rules = xcalloc(1, sizeof *rules);
	FILE *f = fopen(path, "r");
	char *line = NULL, *bad = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;

	*why = NULL;
	if (f == NULL) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		free(rules);
		return NULL;
	}
	while (bad == NULL && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (!utf8_valid(line, (size_t)len)) {
			bad = xstrdup("not valid UTF-8");
			break;
		}
		if (lineno == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
			memmove(line, line + 3, strlen(line + 3) + 1);	/* a byte order mark */
		char *s2 = line + strspn(line, " \t");
		s2[strcspn(s2, "\r\n")] = '\0';
		if (*s2 == '\0' || *s2 == '#')
			continue;
		rules->rules = xrealloc(rules->rules, (rules->n + 1) * sizeof *rules->rules);
		struct rule *r = &rules->rules[rules->n];
		memset(r, 0, sizeof *r);
		r->line = lineno;
		if ((bad = parse_rule(s, s2, r)) == NULL)
			rules->n++;
		else if (r->has_pattern)
			regfree(&r->pattern);
		if (bad)
			free(r->unit), free(r->service);
	}
	free(line);
	fclose(f);
	if (bad) {
		*why = xasprintf("%s:%ld: %s", path, lineno, bad);
		free(bad);
		route_free(rules);
		return NULL;
	}
	return rules;
}

void
route_free(struct route_rules *rules)
{
	if (rules == NULL)
		return;
	for (size_t i = 0; i < rules->n; i++) {
		if (rules->rules[i].has_pattern)
			regfree(&rules->rules[i].pattern);
		free(rules->rules[i].service);
		free(rules->rules[i].unit);
	}
	free(rules->rules);
	free(rules);
}

const char *
route_match(const struct route_rules *rules, const char *kind, const char *channel,
    const char *service, const char *subject, const char *body, long *line)
{
	int k = kind_parse(kind), c = channel_parse(channel);
	char *text = xasprintf("%s\n%s", subject ? subject : "", body ? body : "");
	char *norm = text_normalize(text);
	const char *unit = NULL;

	free(text);
	for (size_t i = 0; i < rules->n && unit == NULL; i++) {
		const struct rule *r = &rules->rules[i];
		if (k < 0 || !(r->kinds & (1u << k)) || c < 0 || !(r->channels & (1u << c)))
			continue;
		if (r->service && (service == NULL || strcmp(r->service, service) != 0))
			continue;
		if (r->has_pattern && regexec(&r->pattern, norm, 0, NULL, 0) != 0)
			continue;
		unit = r->unit;
		*line = r->line;
	}
	free(norm);
	return unit;
}
