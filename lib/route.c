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
 * A word of the file as an error quotes it: one that could be a code (a
 * kind, a channel, a unit) whole, since a typo of one is best seen so;
 * anything else, which may be a line of some other file that `routes =`
 * names by mistake (a key, a password file), only as a short excerpt.
 */
static const char *
quote_word(const char *word, char buf[TEXT_EXCERPT_SIZE])
{
	return check_catalog_code(word) == NULL ? text_quote(word) : text_excerpt(word, buf);
}

/*
 * glibc's regcomp copies what a repetition applies to (a+ is aa*, x{2,5}
 * five x), copies the copies when repetitions nest, and then works out,
 * for each copy, every other it can reach without reading a character:
 * "wa" and 26 '+' held pcase-route for minutes and gigabytes, "#*" and 13
 * '+' for 38 s, ((#*)+){1000} for 13 s. So a pattern is measured first,
 * here, as regcomp would spell it out. A repetition may not repeat a
 * repetition (a++, a*?: undefined in POSIX anyway) nor what can match
 * nothing ((a*)+, (a|)*); repetitions nest at most REPEAT_DEPTH_MAX deep;
 * and the atoms once copied out, each counted times the repetitions around
 * it, are at most PATTERN_SIZE_MAX. Brackets and escapes are one atom; what
 * is not a bound is left to regcomp.
 */
#define PATTERN_SIZE_MAX 2000L
#define REPEAT_DEPTH_MAX 3
#define GROUP_DEPTH_MAX 64

/* How many copies the repetition at p makes, the fewest it matches into
 * *min and its length into *len; 0 when there is no repetition at p. */
static long
repeat_copies(const char *p, long *min, size_t *len)
{
	long lo = 0, hi = 0, copies;
	int n = 0;

	*len = 1;
	*min = *p == '+';
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
	*min = lo;
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

/* An open group as the pattern is measured. */
struct group {
	long size;		/* its atoms so far, copies counted */
	int depth;		/* how deep repetitions nest in it */
	bool empty_alt;		/* one of its alternatives so far can match nothing */
	bool empty_prefix;	/* so can the current one, but for its last item */
};

/* The item just read (an atom or a group, with its repetitions). */
struct item {
	long size;		/* 0: none */
	int depth;
	bool empty;		/* it can match nothing */
	bool repeated;		/* its last token is a repetition */
};

/* The item is done: the current alternative has it. */
static void
take_item(struct group *g, struct item *it)
{
	if (it->size > 0)
		g->empty_prefix = g->empty_prefix && it->empty;
	*it = (struct item){0};
}

/* Why regcomp must not be given the pattern, or NULL when it may. */
static const char *
pattern_refusal(const char *p)
{
	struct group group[GROUP_DEPTH_MAX + 1] = {{.empty_prefix = true}};
	struct item it = {0};
	int g = 0;
	long min;
	size_t len;

	for (; *p; p++) {
		long copies = repeat_copies(p, &min, &len);
		if (copies > 0 && it.size > 0) {
			if (it.repeated)
				return "a repetition of a repetition (as a++ or a*?)";
			if (it.empty)
				return "a repetition of what can match nothing (as (a*)+)";
			if (++it.depth > REPEAT_DEPTH_MAX)
				return "repetitions nested too deep (as ((a+)+)+)";
			if (it.depth > group[g].depth)
				group[g].depth = it.depth;
			group[g].size = capped(group[g].size + it.size * (copies - 1));
			it.size = capped(it.size * copies);
			it.empty = min == 0;
			it.repeated = true;
			p += len - 1;
			continue;
		}
		take_item(&group[g], &it);
		if (*p == '(') {
			if (++g > GROUP_DEPTH_MAX)
				return "groups nested too deep";
			group[g] = (struct group){.empty_prefix = true};
		} else if (*p == ')' && g > 0) {
			const struct group *in = &group[g--];
			it = (struct item){.size = in->size > 0 ? in->size : 1, .depth = in->depth,
			    .empty = in->empty_alt || in->empty_prefix};
			group[g].size = capped(group[g].size + it.size);
			if (it.depth > group[g].depth)
				group[g].depth = it.depth;
		} else if (*p == '|') {
			group[g].empty_alt = group[g].empty_alt || group[g].empty_prefix;
			group[g].empty_prefix = true;
		} else {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '[')
				p = bracket_end(p);
			it = (struct item){.size = 1};
			group[g].size = capped(group[g].size + 1);
		}
	}
	for (; g > 0; g--)
		group[g - 1].size = capped(group[g - 1].size + group[g].size);
	return group[0].size > PATTERN_SIZE_MAX ? "too big once its repetitions are spelled out "
	    "(as (x{100}){100})" : NULL;
}

static char *
parse_rule(struct store *s, char *line, struct rule *r)
{
	char quoted[TEXT_EXCERPT_SIZE];
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
		return xasprintf("unknown kind %s", quote_word(bad, quoted));
	if (parse_set(field[1], &channel_vocab, &r->channels, &bad) != 0)
		return xasprintf("unknown channel %s", quote_word(bad, quoted));
	r->service = strcmp(field[2], "*") ? xstrdup(field[2]) : NULL;
	if (strcmp(field[3], "*") != 0) {
		char *norm = text_normalize(field[3]);
		const char *refusal = pattern_refusal(norm);
		if (refusal) {
			free(norm);
			return xasprintf("pattern %s: %s", text_quote(field[3]), refusal);
		}
		int rc = regcomp(&r->pattern, norm, REG_EXTENDED | REG_ICASE | REG_NOSUB);
		free(norm);
		if (rc != 0) {
			char msg[128];
			regerror(rc, &r->pattern, msg, sizeof msg);
			return xasprintf("pattern %s: %s", text_quote(field[3]), msg);
		}
		r->has_pattern = true;
	}
	r->unit = xstrdup(field[4]);
	if (unit_find(s, r->unit) == 0)
		return xasprintf("no unit %s", quote_word(r->unit, quoted));
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
