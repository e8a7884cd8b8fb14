/*
 * holiday.c — reading the holiday files and the closures file through the
 * one line reader, so a bad line stops the command with FILE:LINE before
 * a deadline is counted over it.
 *
 * Every status counts as a day off. "disputed" is 30 Esfand 1403, which the
 * Administrative and Recruitment Organization applied as a holiday for
 * government offices; "predicted" lunar dates are the ones the official
 * calendar prints until a moon sighting moves them. Counting either as a
 * working day would set a deadline on a day the office is likely closed.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "holiday.h"
#include "lines.h"
#include "text.h"
#include "util.h"

/* One holiday file, read and checked whole. */
struct holfile {
	int year;
	struct holiday *h;
	size_t n;
};

struct holidays {
	struct holfile *files;	/* by year */
	size_t n;
};

struct closures {
	struct closure *c;
	size_t n;
};

static const struct lines_options line_rules = {.utf8 = true};

static char *
at_line(const struct lines *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "FILE:LINE: why", as the line reader words its own refusals. */
static char *
at_line(const struct lines *l, const char *fmt, ...)
{
	va_list ap;
	struct buf b = {0};

	buf_addf(&b, "%s:%zu: ", lines_name(l), lines_number(l));
	va_start(ap, fmt);
	char *msg;
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	buf_adds(&b, msg);
	free(msg);
	return b.data;
}

/* A blank line, or one whose first non-blank is '#'. */
static bool
is_comment(const char *line)
{
	line += strspn(line, " \t");
	return *line == '#' || *line == '\0';
}

/* Splits a line on tabs in place; returns the number of fields found. */
static int
split_tabs(char *line, char **field, int max)
{
	int n = 0;

	for (;;) {
		if (n < max)
			field[n] = line;
		n++;
		char *tab = strchr(line, '\t');

		if (!tab)
			return n;
		*tab = '\0';
		line = tab + 1;
	}
}

/* A date column of a holiday file: exactly YYYY-MM-DD in Latin digits. */
static bool
plain_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";

	for (int i = 0; i < 10; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
			return false;
	return s[10] == '\0';
}

static const char *
date_column(const char *text, enum cal_system cal, long *jdn)
{
	struct cal_when w;
	const char *why;

	if (!plain_date(text))
		return "expected YYYY-MM-DD";
	if (cal_parse(text, cal, &w, &why) != 0)
		return why;
	*jdn = w.jdn;
	return NULL;
}

/* One row of a holiday file, checked; NULL, or the message (to free). */
static char *
holiday_row(const struct lines *l, char *line, int year, struct holiday *h)
{
	char *field[6], want[16];
	const char *why;
	long jg;
	int nf = split_tabs(line, field, 6);

	if (nf != 6)
		return at_line(l, "expected 6 tab-separated fields, found %d", nf);
	if ((why = date_column(field[0], CAL_JALALI, &h->jdn)) != NULL)
		return at_line(l, "jalali date %s: %s", text_quote(field[0]), why);
	if ((why = date_column(field[1], CAL_GREGORIAN, &jg)) != NULL)
		return at_line(l, "gregorian date %s: %s", text_quote(field[1]), why);
	if (h->jdn != jg)
		return at_line(l, "%s is %s, not %s", field[0],
		    cal_format_day(h->jdn, cal_latin(CAL_GREGORIAN), want, sizeof want), field[1]);
	if (cal_jdn_to_jalali(h->jdn).y != year)
		return at_line(l, "a day of %.4s in the file of %d", field[0], year);
	if (strcmp(field[2], "solar") != 0 && strcmp(field[2], "lunar") != 0)
		return at_line(l, "kind %s: expected solar or lunar", text_quote(field[2]));
	if (strcmp(field[3], "official") != 0 && strcmp(field[3], "predicted") != 0 &&
	    strcmp(field[3], "disputed") != 0)
		return at_line(l, "status %s: expected official, predicted or disputed", text_quote(field[3]));
	if (*strip(field[4]) == '\0' || *strip(field[5]) == '\0')
		return at_line(l, "empty title");
	snprintf(h->kind, sizeof h->kind, "%s", field[2]);
	snprintf(h->status, sizeof h->status, "%s", field[3]);
	h->title_fa = xstrdup(field[4]);
	h->title_en = xstrdup(field[5]);
	return NULL;
}

static void
free_holidays(struct holiday *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)h[i].title_fa);
		free((char *)h[i].title_en);
	}
	free(h);
}

/* By date, keeping the file's order within a day: insertion sort is stable. */
static void
sort_by_day(struct holiday *h, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct holiday t = h[i];
		size_t j = i;

		for (; j > 0 && h[j - 1].jdn > t.jdn; j--)
			h[j] = h[j - 1];
		h[j] = t;
	}
}

static char *
read_holiday_file(const char *path, int year, struct holfile *out)
{
	char *err = NULL, *line;
	size_t n = 0, alloc = 0;
	struct holiday *h = NULL;
	struct lines *l = lines_open_path(path, &line_rules, &err);

	if (l == NULL)
		return err;
	while (err == NULL && (line = lines_next(l, NULL)) != NULL) {
		if (is_comment(line))
			continue;
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			h = xrealloc(h, alloc * sizeof *h);
		}
		h[n] = (struct holiday){0};
		if ((err = holiday_row(l, line, year, &h[n])) == NULL)
			n++;
	}
	if (err == NULL && lines_error(l))
		err = xstrdup(lines_error(l));
	lines_close(l);
	if (err) {
		free_holidays(h, n);
		return err;
	}
	sort_by_day(h, n);
	*out = (struct holfile){.year = year, .h = h, .n = n};
	return NULL;
}

/* "ir-1403.tsv" → 1403; 0 for any other name. */
static int
holiday_file_year(const char *name)
{
	char digits[5];
	long y;

	if (strlen(name) != 11 || strncmp(name, "ir-", 3) != 0 || strcmp(name + 7, ".tsv") != 0)
		return 0;
	memcpy(digits, name + 3, 4);
	digits[4] = '\0';
	if (strspn(digits, "0123456789") != 4 || text_parse_long(digits, 1, 9999, &y) != 0)
		return 0;
	return (int)y;
}

static int
holfile_order(const void *a, const void *b)
{
	const struct holfile *x = a, *y = b;

	return (x->year > y->year) - (x->year < y->year);
}

/*
 * The files are read and checked when the calendar opens, not when a year
 * is first needed: a malformed row must stop the command before it writes
 * anything, and a lookup has no way to report it. They are a few dozen
 * lines each.
 */
struct holidays *
holidays_read(const char *dir, char **why)
{
	struct holidays *hs = xcalloc(1, sizeof *hs);
	DIR *d = opendir(dir);
	struct dirent *e;
	char *err = NULL;
	size_t alloc = 0;

	if (d == NULL)
		err = xasprintf("%s: %s", dir, strerror(errno));
	while (err == NULL && (e = readdir(d)) != NULL) {
		int year = holiday_file_year(e->d_name);

		if (year <= 0)
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);

		if (hs->n == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			hs->files = xrealloc(hs->files, alloc * sizeof *hs->files);
		}
		if ((err = read_holiday_file(path, year, &hs->files[hs->n])) == NULL)
			hs->n++;
		free(path);
	}
	if (d)
		closedir(d);
	if (err) {
		holidays_free(hs);
		*why = err;
		return NULL;
	}
	qsort(hs->files, hs->n, sizeof *hs->files, holfile_order);
	return hs;
}

const struct holiday *
holidays_of_year(const struct holidays *hs, int jalali_year, size_t *n)
{
	size_t lo = 0, hi = hs ? hs->n : 0;

	*n = 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct holfile *f = &hs->files[mid];

		if (f->year == jalali_year) {
			*n = f->n;
			return f->h;
		}
		if (f->year < jalali_year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
holidays_free(struct holidays *hs)
{
	if (hs == NULL)
		return;
	for (size_t i = 0; i < hs->n; i++)
		free_holidays(hs->files[i].h, hs->files[i].n);
	free(hs->files);
	free(hs);
}

/* --- closures ----------------------------------------------------------------- */

static const char *
closure_date(const char *s, long *jdn, enum cal_system *cal)
{
	struct cal_when w;
	const char *why;

	if (cal_parse(s, CAL_AUTO, &w, &why) != 0)
		return why;
	if (w.sec >= 0)
		return "a closure is whole days: no time";
	*jdn = w.jdn;
	*cal = w.cal;
	return NULL;
}

static const char *
calendar_name(enum cal_system cal)
{
	return cal == CAL_GREGORIAN ? "Gregorian" : "Solar Hijri";
}

/* One line of the closures file; the reason is the rest of the line, tabs and all. */
static char *
closure_row(const struct lines *l, char *line, int max_days, struct closure *c)
{
	enum cal_system cal_from = CAL_AUTO, cal_to = CAL_AUTO;
	char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
	const char *why;

	if (t2 == NULL)
		return at_line(l, "expected DATE[..DATE]<TAB>SCOPE<TAB>REASON");
	*t1 = *t2 = '\0';
	char *range = strip(line), *dots = strstr(range, ".."), *scope = strip(t1 + 1),
	    *reason = strip(t2 + 1);

	if (dots)
		*dots = '\0';
	if ((why = closure_date(range, &c->from, &cal_from)) != NULL ||
	    (why = closure_date(dots ? dots + 2 : range, &c->to, &cal_to)) != NULL)
		return at_line(l, "date: %s", why);
	if (cal_from != cal_to)
		return at_line(l, "the range starts in the %s calendar and ends in the %s: "
		    "write both dates in one", calendar_name(cal_from), calendar_name(cal_to));
	if (c->to < c->from)
		return at_line(l, "the range ends before it starts");
	if (c->to - c->from + 1 > max_days)
		return at_line(l, "the range is %ld days, longer than closure_max_days (%d)",
		    c->to - c->from + 1, max_days);
	if (*scope == '\0' || *reason == '\0')
		return at_line(l, "empty %s", *scope ? "reason" : "scope");
	c->scope = xstrdup(scope);
	c->reason = xstrdup(reason);
	return NULL;
}

struct closures *
closures_read(const char *path, int max_days, char **why)
{
	struct closures *cs = xcalloc(1, sizeof *cs);
	char *err = NULL, *line;
	size_t alloc = 0;
	struct lines *l = lines_open_path(path, &line_rules, &err);

	while (l && err == NULL && (line = lines_next(l, NULL)) != NULL) {
		if (is_comment(line))
			continue;
		if (cs->n == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			cs->c = xrealloc(cs->c, alloc * sizeof *cs->c);
		}
		if ((err = closure_row(l, line, max_days, &cs->c[cs->n])) == NULL)
			cs->n++;
	}
	if (l && err == NULL && lines_error(l))
		err = xstrdup(lines_error(l));
	lines_close(l);
	if (err) {
		closures_free(cs);
		*why = err;
		return NULL;
	}
	return cs;
}

const struct closure *
closures_list(const struct closures *cs, size_t *n)
{
	*n = cs ? cs->n : 0;
	return cs ? cs->c : NULL;
}

const struct closure *
closures_on(const struct closures *cs, long jdn)
{
	for (size_t i = 0; cs && i < cs->n; i++)
		if (cs->c[i].from <= jdn && jdn <= cs->c[i].to)
			return &cs->c[i];
	return NULL;
}

void
closures_free(struct closures *cs)
{
	if (cs == NULL)
		return;
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->c[i].scope);
		free(cs->c[i].reason);
	}
	free(cs->c);
	free(cs);
}
