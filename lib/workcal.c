/*
 * workcal.c — the working-day calendar: which days are worked under the
 * weekend rule, the holiday files and the closures, and counting them.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "holiday.h"
#include "workcal.h"
#include "util.h"

/* --- weekend rules --------------------------------------------------------- */

struct weekend_period {
	long from;	/* LONG_MIN: from the start of time */
	unsigned mask;	/* bit wd set: weekday wd (0 = Saturday) is off */
};

struct weekend_rule {
	size_t n;
	struct weekend_period p[];
};

#define FRIDAY_MASK (1u << 6)
#define ALL_DAYS_MASK 0x7fu

/* The days of one period: "thu,fri" (also with the Persian comma), or "none". */
static const char *
parse_days(char *s, unsigned *mask)
{
	*mask = 0;
	if (strcmp(s, "none") == 0)
		return NULL;
	for (;;) {
		char *comma = strchr(s, ','), *fa_comma = strstr(s, "\xD8\x8C");
		char *end = comma;
		size_t skip = 1;

		if (fa_comma && (!end || fa_comma < end)) {
			end = fa_comma;
			skip = 2;
		}
		if (end)
			*end = '\0';
		int wd = cal_weekday_parse(strip(s));

		if (wd < 0)
			return *strip(s) ? "unknown weekday (sat, sun, mon, tue, wed, thu, fri)"
			                 : "empty weekday in the list";
		*mask |= 1u << wd;
		if (!end)
			return NULL;
		s = end + skip;
	}
}

struct weekend_rule *
cal_weekend_parse(const char *spec, const char **why)
{
	char *copy = xstrdup(spec ? spec : ""), *s = copy;
	struct weekend_rule *rule = xcalloc(1, sizeof *rule);
	const char *err = NULL;

	for (size_t i = 0; err == NULL; i++) {
		char *semi = strchr(s, ';');
		struct weekend_period per = {.from = LONG_MIN};

		if (semi)
			*semi = '\0';
		char *piece = strip(s);

		if (*piece == '\0') {
			err = i == 0 && !semi ? "empty weekend rule" : "empty period in the weekend rule";
			break;
		}
		if (cal_looks_like_date(piece)) {
			char *blank = piece + strcspn(piece, " \t");
			struct cal_when w;

			if (*blank == '\0') {
				err = "no weekdays after the date";
				break;
			}
			*blank = '\0';
			if (cal_parse(piece, CAL_AUTO, &w, &err) != 0)
				break;
			if (w.sec >= 0) {
				err = "a weekend change takes a date, not a time";
				break;
			}
			if (i > 0 && w.jdn <= rule->p[i - 1].from) {
				err = "weekend dates must increase";
				break;
			}
			per.from = w.jdn;
			piece = strip(blank + 1);
		} else if (i > 0) {
			err = "only the first weekend period may be without a date";
			break;
		}
		if ((err = parse_days(piece, &per.mask)) != NULL)
			break;
		/* A week with no working day would leave no day for a deadline to fall on. */
		if (per.mask == ALL_DAYS_MASK) {
			err = "every day of the week is a weekend day: no working day is left";
			break;
		}
		rule = xrealloc(rule, sizeof *rule + (i + 1) * sizeof rule->p[0]);
		rule->p[i] = per;
		rule->n = i + 1;
		if (!semi)
			break;
		s = semi + 1;
	}
	free(copy);
	if (err) {
		free(rule);
		if (why)
			*why = err;
		return NULL;
	}
	return rule;
}

void
cal_weekend_free(struct weekend_rule *rule)
{
	free(rule);
}

/* Days before a rule's first dated period keep the law's default, Friday. */
static unsigned
weekend_mask(const struct weekend_rule *rule, long jdn)
{
	if (rule == NULL)
		return FRIDAY_MASK;
	for (size_t i = rule->n; i-- > 0;)
		if (rule->p[i].from <= jdn)
			return rule->p[i].mask;
	return FRIDAY_MASK;
}

static struct weekend_rule *
weekend_copy(const struct weekend_rule *rule)
{
	if (rule == NULL)
		return NULL;
	size_t size = sizeof *rule + rule->n * sizeof rule->p[0];
	struct weekend_rule *c = xmalloc(size);

	memcpy(c, rule, size);
	return c;
}
/* --- the working-day calendar ---------------------------------------------- */

/*
 * One Solar Hijri year, built the first time a day in it is asked about:
 * why each day is off, and a running count of working days, so that adding
 * or counting working days is a walk over bytes rather than a lookup per day.
 */
struct wyear {
	long y, start;
	int nd;
	uint8_t reason[366];
	uint16_t cum[367];	/* cum[i]: working days among the first i */
	int first_working, last_working;	/* day indexes; -1 when none is worked */
	const char **title;	/* per day, or NULL when the year has none */
};

/* Years outside this span are answered day by day, unbuilt, to bound memory. */
#define CACHE_FIRST 1L
#define CACHE_LAST 9999L
/* About 3000 years of working days: beyond any deadline, and bounds the work. */
#define ADD_MAX 1000000L
/*
 * A count of working days gives up after this many days in a row without
 * one (closures end to end): it would otherwise walk to the end of time.
 * Two days in one Solar Hijri year are at most 365 apart, so a run this
 * long always crosses from one year into another, where the count looks.
 */
#define DAYS_OFF_MAX 366
_Static_assert(DAYS_OFF_MAX >= 365, "a run within one year is not looked for");

struct workcal {
	struct weekend_rule *weekend;
	int office_open, office_close;
	struct holidays *holidays;
	struct closures *closures;
	struct wyear **years;	/* sorted by y */
	size_t nyears;
	struct wyear *last;
	char **pool;		/* joined titles of days with two holidays */
	size_t npool;
	char error[160];	/* why the last count failed */
};


struct workcal *
workcal_open(const struct workcal_options *opt, char **why)
{
	static const struct workcal_options none;
	struct workcal *wc = xcalloc(1, sizeof *wc);
	char *err = NULL;

	if (opt == NULL)
		opt = &none;
	if (why)
		*why = NULL;
	wc->weekend = weekend_copy(opt->weekend);
	wc->office_open = opt->office_open;
	wc->office_close = opt->office_close;
	/* A zeroed options struct means the documented default hours. */
	if (wc->office_open == 0 && wc->office_close == 0) {
		wc->office_open = 7 * 3600 + 30 * 60;
		wc->office_close = 14 * 3600 + 30 * 60;
	}
	if (wc->office_open < 0 || wc->office_close > 86400 || wc->office_open >= wc->office_close)
		err = xstrdup("office hours: must close after they open, within the day");
	if (err == NULL && opt->holidays_dir != NULL)
		wc->holidays = holidays_read(opt->holidays_dir, &err);
	if (err == NULL && opt->closures != NULL)
		wc->closures = closures_read(opt->closures,
		    opt->closure_max_days > 0 ? opt->closure_max_days : CLOSURE_MAX_DAYS, &err);
	if (err) {
		workcal_close(wc);
		if (why)
			*why = err;
		else
			free(err);
		return NULL;
	}
	return wc;
}

void
workcal_close(struct workcal *wc)
{
	if (wc == NULL)
		return;
	holidays_free(wc->holidays);
	closures_free(wc->closures);
	for (size_t i = 0; i < wc->nyears; i++) {
		free(wc->years[i]->title);
		free(wc->years[i]);
	}
	free(wc->years);
	for (size_t i = 0; i < wc->npool; i++)
		free(wc->pool[i]);
	free(wc->pool);
	cal_weekend_free(wc->weekend);
	free(wc);
}

bool
workcal_has_year(struct workcal *wc, int jalali_year)
{
	size_t n;

	return holidays_of_year(wc->holidays, jalali_year, &n) != NULL;
}

const struct holiday *
workcal_holidays(struct workcal *wc, int jalali_year, size_t *n)
{
	return holidays_of_year(wc->holidays, jalali_year, n);
}

static void
mark(struct wyear *Y, long i, enum day_reason why, const char *title)
{
	if (Y->title == NULL)
		Y->title = xcalloc((size_t)Y->nd, sizeof *Y->title);
	Y->reason[i] = (uint8_t)why;
	Y->title[i] = title;
}

static void
mark_closures(struct workcal *wc, struct wyear *Y)
{
	size_t nc;
	const struct closure *c = closures_list(wc->closures, &nc);
	long last = Y->start + Y->nd - 1;

	for (size_t k = 0; k < nc; k++)
		for (long j = c[k].from > Y->start ? c[k].from : Y->start; j <= c[k].to && j <= last; j++)
			if (Y->reason[j - Y->start] != DAY_CLOSURE)
				mark(Y, j - Y->start, DAY_CLOSURE, c[k].reason);
}

/* A holiday outranks a closure or a weekend for the name shown. */
static void
mark_holidays(struct workcal *wc, struct wyear *Y)
{
	size_t nh;
	const struct holiday *h = holidays_of_year(wc->holidays, (int)Y->y, &nh);

	for (size_t k = 0; k < nh; k++) {
		long i = h[k].jdn - Y->start;

		if (i < 0 || i >= Y->nd)
			continue;
		if (Y->reason[i] != DAY_HOLIDAY) {
			mark(Y, i, DAY_HOLIDAY, h[k].title_fa);
			continue;
		}
		char *joined = xasprintf("%s؛ %s", Y->title[i], h[k].title_fa);

		wc->pool = xrealloc(wc->pool, (wc->npool + 1) * sizeof *wc->pool);
		wc->pool[wc->npool++] = joined;
		Y->title[i] = joined;
	}
}

static struct wyear *
build_year(struct workcal *wc, long y)
{
	struct wyear *Y = xcalloc(1, sizeof *Y);

	Y->y = y;
	Y->start = cal_jalali_year_start(y);
	Y->nd = (int)(cal_jalali_year_start(y + 1) - Y->start);
	for (int i = 0; i < Y->nd; i++)
		if (weekend_mask(wc->weekend, Y->start + i) & (1u << cal_weekday(Y->start + i)))
			Y->reason[i] = DAY_WEEKEND;
	mark_closures(wc, Y);
	mark_holidays(wc, Y);
	Y->cum[0] = 0;
	Y->first_working = Y->last_working = -1;
	for (int i = 0; i < Y->nd; i++) {
		Y->cum[i + 1] = Y->cum[i] + (Y->reason[i] == DAY_WORKING);
		if (Y->reason[i] == DAY_WORKING) {
			if (Y->first_working < 0)
				Y->first_working = i;
			Y->last_working = i;
		}
	}
	return Y;
}

/* The built year holding jdn, or NULL for a day too far out to build. */
static struct wyear *
year_for(struct workcal *wc, long jdn)
{
	struct wyear *Y = wc->last;

	if (Y && jdn >= Y->start && jdn < Y->start + Y->nd)
		return Y;
	long y = cal_jalali_year_of(jdn);

	if (y < CACHE_FIRST || y > CACHE_LAST)
		return NULL;
	size_t lo = 0, hi = wc->nyears;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (wc->years[mid]->y == y)
			return wc->last = wc->years[mid];
		if (wc->years[mid]->y < y)
			lo = mid + 1;
		else
			hi = mid;
	}
	Y = build_year(wc, y);
	wc->years = xrealloc(wc->years, (wc->nyears + 1) * sizeof *wc->years);
	memmove(wc->years + lo + 1, wc->years + lo, (wc->nyears - lo) * sizeof *wc->years);
	wc->years[lo] = Y;
	wc->nyears++;
	return wc->last = Y;
}

/* For days outside the built span: closures and weekends only. */
static enum day_reason
far_day(struct workcal *wc, long jdn, const char **title)
{
	const struct closure *c = closures_on(wc->closures, jdn);

	if (c) {
		*title = c->reason;
		return DAY_CLOSURE;
	}
	if (weekend_mask(wc->weekend, jdn) & (1u << cal_weekday(jdn))) {
		*title = cal_weekday_name(cal_weekday(jdn));
		return DAY_WEEKEND;
	}
	*title = NULL;
	return DAY_WORKING;
}

enum day_reason
workcal_day(struct workcal *wc, long jdn, const char **title)
{
	struct wyear *Y = year_for(wc, jdn);
	const char *t = NULL;
	enum day_reason r;

	if (Y == NULL) {
		r = far_day(wc, jdn, &t);
	} else {
		long i = jdn - Y->start;

		r = (enum day_reason)Y->reason[i];
		if (r == DAY_WEEKEND)
			t = cal_weekday_name(cal_weekday(jdn));
		else if (r != DAY_WORKING && Y->title)
			t = Y->title[i];
	}
	if (title)
		*title = t;
	return r;
}

bool
workcal_is_working(struct workcal *wc, long jdn)
{
	return workcal_day(wc, jdn, NULL) == DAY_WORKING;
}

/* Fails the count: no working day in the DAYS_OFF_MAX days from `from` on (dir 1) or back (-1). */
static bool
no_working_day(struct workcal *wc, long from, int dir)
{
	char j[32], g[32];

	snprintf(wc->error, sizeof wc->error,
	    "no working day in the %d days %s %s (%s): the weekend, holidays and closures leave none",
	    DAYS_OFF_MAX, dir > 0 ? "after" : "before",
	    cal_format_day(from, cal_latin(CAL_JALALI), j, sizeof j),
	    cal_format_day(from, cal_latin(CAL_GREGORIAN), g, sizeof g));
	return false;
}

/*
 * Walks a year at a time where the year is built, by its running count,
 * and a day at a time beyond. `last` is the last working day passed (or
 * where the count began): the days between it and where the walk is are
 * all off, and may not be more than DAYS_OFF_MAX.
 */
bool
workcal_add(struct workcal *wc, long jdn, long n, long *day)
{
	int dir = n < 0 ? -1 : 1;
	long left = n < 0 ? -n : n, p = jdn, last = jdn;

	if (left > ADD_MAX)
		left = ADD_MAX;
	while (left > 0) {
		struct wyear *Y = year_for(wc, p + dir);

		if (Y == NULL) {
			p += dir;
			if (workcal_is_working(wc, p)) {
				left--;
				last = p;
			} else if ((p - last) * dir > DAYS_OFF_MAX) {
				return no_working_day(wc, last, dir);
			}
			continue;
		}
		long i = p + dir - Y->start;
		long avail = dir > 0 ? Y->cum[Y->nd] - Y->cum[i] : Y->cum[i + 1];
		long year_end = dir > 0 ? Y->start + Y->nd - 1 : Y->start;

		if (avail == 0) {
			p = year_end;
			if ((p - last) * dir > DAYS_OFF_MAX)
				return no_working_day(wc, last, dir);
			continue;
		}
		while (Y->reason[i] != DAY_WORKING)
			i += dir;	/* avail > 0: there is one */
		if ((Y->start + i - last) * dir - 1 > DAYS_OFF_MAX)
			return no_working_day(wc, last, dir);
		if (avail < left) {
			left -= avail;
			last = Y->start + (dir > 0 ? Y->last_working : Y->first_working);
			p = year_end;
			continue;
		}
		for (;; i += dir)
			if (Y->reason[i] == DAY_WORKING && --left == 0) {
				*day = Y->start + i;
				return true;
			}
	}
	*day = p;
	return true;
}

const char *
workcal_error(const struct workcal *wc)
{
	return wc->error[0] ? wc->error : "no error";
}

/* Working days in [a, b). */
static long
count_working(struct workcal *wc, long a, long b)
{
	long total = 0;

	while (a < b) {
		struct wyear *Y = year_for(wc, a);

		if (Y == NULL) {
			total += workcal_is_working(wc, a);
			a++;
			continue;
		}
		long end = Y->start + Y->nd < b ? Y->start + Y->nd : b;

		total += Y->cum[end - Y->start] - Y->cum[a - Y->start];
		a = end;
	}
	return total;
}

long
workcal_between(struct workcal *wc, long from, long to)
{
	if (to >= from)
		return count_working(wc, from + 1, to + 1);
	return -count_working(wc, to + 1, from + 1);
}

bool
workcal_due(struct workcal *wc, time_t received, int n, time_t *due, int *missing_year)
{
	int sec;
	long day = cal_local_day(received, &sec);
	long start = day, due_day;

	if (n < 0)
		n = 0;
	if ((!workcal_is_working(wc, day) || sec >= wc->office_close) &&
	    !workcal_add(wc, day, 1, &start))
		return false;
	if (!workcal_add(wc, start, n, &due_day))
		return false;
	if (missing_year)
		*missing_year = workcal_missing_year(wc, day, due_day);
	*due = cal_local_instant(due_day, wc->office_close);
	return true;
}

int
workcal_missing_year(struct workcal *wc, long from, long to)
{
	long y0 = cal_jalali_year_of(from < to ? from : to), y1 = cal_jalali_year_of(from < to ? to : from);

	for (long y = y0; y <= y1 && y - y0 < 100; y++)
		if (!workcal_has_year(wc, (int)y))
			return (int)y;
	return 0;
}

int
workcal_years_without_file(struct workcal *wc, long today, int years[2])
{
	int y = cal_jdn_to_jalali(today).y, n = 0;

	for (int k = y; k <= y + 1; k++)
		if (!workcal_has_year(wc, k))
			years[n++] = k;
	return n;
}

const char *
workcal_reason_name(enum day_reason r)
{
	static const char *const name[] = {
		[DAY_WORKING] = "working", [DAY_WEEKEND] = "weekend",
		[DAY_HOLIDAY] = "holiday", [DAY_CLOSURE] = "closure",
	};

	return (unsigned)r < ARRAY_SIZE(name) ? name[r] : "";
}

struct day_off *
workcal_days_off(struct workcal *wc, long a, long b, size_t *n)
{
	long step = a <= b ? 1 : -1;
	struct day_off *off = xcalloc((size_t)((b - a) * step + 1), sizeof *off);

	*n = 0;
	for (long d = a; d != b + step; d += step) {
		struct day_off o = {.jdn = d};

		if ((o.why = workcal_day(wc, d, &o.title)) != DAY_WORKING)
			off[(*n)++] = o;
	}
	return off;
}

int
workcal_month(struct workcal *wc, enum cal_system cal, int y, int m, struct month_grid *g)
{
	*g = (struct month_grid){.cal = cal, .y = y, .m = m, .ndays = cal_month_days(cal, y, m)};
	if (g->ndays == 0 || cal_to_jdn(cal, y, m, 1, &g->first) != 0)
		return -1;
	int lead = cal_weekday(g->first);

	g->nweeks = (lead + g->ndays + 6) / 7;
	for (int d = 1; d <= g->ndays; d++) {
		struct month_cell *c = &g->cell[(lead + d - 1) / 7][(lead + d - 1) % 7];

		c->day = d;
		c->jdn = g->first + d - 1;
		c->why = workcal_day(wc, c->jdn, &c->title);
		c->marked = c->why == DAY_HOLIDAY || c->why == DAY_CLOSURE;
	}
	return 0;
}
