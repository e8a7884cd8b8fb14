/* route.c — the routing rules file and its matching. */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vocab.h"
#include "route.h"
#include "audit.h"
#include "lines.h"
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
	char *path;		/* as the audit chain names it: absolute */
	struct buf text;	/* the file as read, line ends as LF */
};

/* "complaint,request" or "*" as a bit set; -1 names a bad word in *bad. */
static int
parse_set(char *field, const struct vocab *v, unsigned *set, const char **bad)
{
	if (strcmp(field, "*") == 0) {
		*set = ~0u;
		return 0;
	}
	*set = 0;
	return (*bad = vocab_parse_set(v, field, set)) ? -1 : 0;
}

/*
 * glibc's regcomp copies what a repetition applies to (a+ is aa*, x{2,5}
 * five x), and copies the copies when repetitions nest: "a+++…" or
 * "((a+)+)+…" grows as 2^n, and 25 of them held pcase-route for minutes
 * with gigabytes. So the pattern's size once copied out is counted first,
 * here, the way regcomp copies: the sum over its atoms of the product of
 * the repetitions around each. Brackets and escapes are one atom; what is
 * not a repetition's bound is left for regcomp to refuse.
 */
#define PATTERN_SIZE_MAX 10000L
#define GROUP_DEPTH_MAX 64

/* How many copies the repetition at *p makes (its length into *len), or 0
 * when there is none there. */
static long
repeat_copies(const char *p, size_t *len)
{
	long lo = 0, hi = 0, copies;
	int n = 0;

	*len = 1;
	if (*p == '*' || *p == '?')
		return 1;
	if (*p == '+')
		return 2;
	if (*p != '{')
		return 0;
	if (sscanf(p, "{%5ld,%5ld}%n", &lo, &hi, &n) == 2 && n > 0)
		copies = hi > lo ? hi : lo;
	else if ((n = 0, sscanf(p, "{%5ld,}%n", &lo, &n)) == 1 && n > 0)
		copies = lo + 1;
	else if ((n = 0, sscanf(p, "{%5ld}%n", &lo, &n)) == 1 && n > 0)
		copies = lo;
	else
		return 0;	/* not a bound: an atom, or regcomp's error */
	*len = (size_t)n;
	return copies > 1 ? copies : 1;
}

static long
capped(long a)
{
	return a > PATTERN_SIZE_MAX ? PATTERN_SIZE_MAX + 1 : a;
}

/* The ']' that closes the bracket expression at p, or the pattern's last
 * byte when none does. A ']' first is a member, and so is "[:alpha:]". */
static const char *
bracket_end(const char *p)
{
	const char *q = p + 1;

	q += *q == '^';
	q += *q == ']';
	while (*q && *q != ']') {
		const char *close = NULL;
		if (*q == '[' && (q[1] == ':' || q[1] == '.' || q[1] == '='))
			close = strstr(q + 2, q[1] == ':' ? ":]" : q[1] == '.' ? ".]" : "=]");
		q = close ? close + 2 : q + 1;
	}
	return *q ? q : q - 1;
}

/* True when regcomp would copy the pattern out to more than PATTERN_SIZE_MAX atoms. */
static bool
pattern_too_big(const char *p)
{
	/* Per open group, its atoms so far; last, the atom or group just read. */
	long sum[GROUP_DEPTH_MAX + 1] = {0}, last = 0;
	int depth = 0;
	size_t len;

	for (; *p; p++) {
		long copies = repeat_copies(p, &len);
		if (copies > 0 && last > 0) {
			sum[depth] = capped(sum[depth] + last * (copies - 1));
			last = capped(last * copies);
			p += len - 1;
			continue;
		}
		if (*p == '(') {
			if (++depth > GROUP_DEPTH_MAX)
				return true;
			sum[depth] = last = 0;
			continue;
		}
		if (*p == ')' && depth > 0) {
			last = sum[depth] > 0 ? sum[depth] : 1;
			depth--;
			sum[depth] = capped(sum[depth] + last);
			continue;
		}
		if (*p == '|') {
			last = 0;
			continue;
		}
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[')
			p = bracket_end(p);
		last = 1;
		sum[depth] = capped(sum[depth] + 1);
	}
	for (; depth > 0; depth--)
		sum[depth - 1] = capped(sum[depth - 1] + sum[depth]);
	return sum[0] > PATTERN_SIZE_MAX;
}

static char *
parse_rule(struct store *s, char *line, struct rule *r)
{
	char *field[5], *save = line;
	const char *bad = NULL;
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
	if (parse_set(field[0], &kind_vocab, &r->kinds, &bad) != 0)
		return xasprintf("unknown kind '%s'", bad);
	if (parse_set(field[1], &channel_vocab, &r->channels, &bad) != 0)
		return xasprintf("unknown channel '%s'", bad);
	r->service = strcmp(field[2], "*") ? xstrdup(field[2]) : NULL;
	if (strcmp(field[3], "*") != 0) {
		char *norm = text_normalize(field[3]);
		if (pattern_too_big(norm)) {
			free(norm);
			return xasprintf("pattern '%s': too big once its repetitions are spelled out "
			    "(nested or wide ones, as a++ or (x{100}){100})", field[3]);
		}
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
		return xasprintf("no unit '%s'", r->unit);
	return NULL;
}

struct route_rules *
route_load(struct store *s, const char *path, char **why)
{
	struct lines_options opt = {.utf8 = true};
	struct lines *l = lines_open_path(path, &opt, why);
	char *bad = NULL;

	*why = l ? NULL : *why;
	if (l == NULL)
		return NULL;
	struct route_rules *rules = xcalloc(1, sizeof *rules);
	for (char *line; bad == NULL && (line = lines_next(l, NULL)) != NULL;) {
		buf_adds(&rules->text, line);
		buf_addc(&rules->text, '\n');
		line += strspn(line, " \t");
		if (*line == '\0' || *line == '#')
			continue;
		rules->rules = xrealloc(rules->rules, (rules->n + 1) * sizeof *rules->rules);
		struct rule *r = &rules->rules[rules->n];
		memset(r, 0, sizeof *r);
		r->line = (long)lines_number(l);
		if ((bad = parse_rule(s, line, r)) == NULL)
			rules->n++;
		else if (r->has_pattern)
			regfree(&r->pattern);
		if (bad)
			free(r->unit), free(r->service);
	}
	if (bad)
		*why = xasprintf("%s:%zu: %s", path, lines_number(l), bad);
	else if (lines_error(l))
		*why = xstrdup(lines_error(l));
	free(bad);
	lines_close(l);
	if (*why) {
		route_free(rules);
		return NULL;
	}
	rules->path = realpath(path, NULL);
	if (rules->path == NULL)
		rules->path = xstrdup(path);
	return rules;
}

/* The text of the version last recorded for the file; a new string, or NULL. */
static char *
last_recorded(struct store *s, const char *path)
{
	struct stmt *st = store_sql(s, "SELECT after FROM event"
	    " WHERE subject_id = 0 AND subject_kind = ? AND subject = ? ORDER BY id DESC LIMIT 1");
	char *text = NULL;

	stmt_bind_text(st, vocab_name(&record_vocab, RECORD_ROUTES));
	stmt_bind_text(st, path);
	if (stmt_row(st)) {
		text = stmt_null(st, 0) ? NULL : xstrdup(stmt_text(st, 0));
		stmt_reset(st);
	}
	return text;
}

static int
record(struct store *s, void *arg)
{
	const struct route_rules *r = arg;
	const char *now = r->text.data ? r->text.data : "";
	char *before = last_recorded(s, r->path), note[48];
	int rc = 0;

	snprintf(note, sizeof note, "%zu rule%s", r->n, r->n == 1 ? "" : "s");
	if (before == NULL || strcmp(before, now) != 0)
		rc = audit_record(s, RECORD_ROUTES, 0, r->path, before ? "change" : "first use",
		    before, now, note);
	free(before);
	return rc;
}

int
route_record(struct store *s, const struct route_rules *rules)
{
	return store_atomic(s, record, (void *)rules);
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
	free(rules->path);
	buf_free(&rules->text);
	free(rules);
}

const char *
route_match(const struct route_rules *rules, const char *kind, const char *channel,
    const char *service, const char *subject, const char *body, long *line)
{
	int k = vocab_parse(&kind_vocab, kind), c = vocab_parse(&channel_vocab, channel);
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
