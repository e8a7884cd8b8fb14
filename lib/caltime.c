/*
 * caltime.c — dates and times as typed and as shown, and the time zone
 * that turns an instant into a local day and back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "text.h"
#include "util.h"

/* --- parsing --------------------------------------------------------------- */

/* One digit in Latin, Persian (U+06F0–9) or Arabic-Indic (U+0660–9); -1 if none. */
static int
digit_at(const char *s, int *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] >= '0' && u[0] <= '9') {
		*len = 1;
		return u[0] - '0';
	}
	if ((u[0] == 0xDB && u[1] >= 0xB0 && u[1] <= 0xB9) ||
	    (u[0] == 0xD9 && u[1] >= 0xA0 && u[1] <= 0xA9)) {
		*len = 2;
		return u[1] - (u[0] == 0xDB ? 0xB0 : 0xA0);
	}
	return -1;
}

/* Between lo and hi digits; -1 when fewer than lo, or more than hi follow. */
static int
read_num(const char **p, int lo, int hi)
{
	int v = 0, n = 0, len, dg;

	while ((dg = digit_at(*p, &len)) >= 0) {
		if (++n > hi)
			return -1;
		v = v * 10 + dg;
		*p += len;
	}
	return n < lo ? -1 : v;
}

/* Exactly n digits, whatever follows (an offset may be written +0330). */
static int
read_fixed(const char **p, int n)
{
	int v = 0, len, dg;

	for (int i = 0; i < n; i++) {
		if ((dg = digit_at(*p, &len)) < 0)
			return -1;
		v = v * 10 + dg;
		*p += len;
	}
	return v;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *
skip_blanks(const char *p)
{
	while (is_blank(*p))
		p++;
	return p;
}

int
cal_parse(const char *text, enum cal_system force, struct cal_when *out,
    const char **why)
{
	const char *p = skip_blanks(text ? text : "");
	enum cal_system cal = force;
	int y, m, d, len;
	char sep;
	long jdn;
	const char *ignored;

	if (why == NULL)
		why = &ignored;

	if (*p == '\0') {
		*why = "empty date";
		return -1;
	}
	/* The prefix is part of the value, so it wins over the caller's default. */
	if ((p[0] == 'g' || p[0] == 'G') && p[1] == ':') {
		cal = CAL_GREGORIAN;
		p += 2;
	} else if ((p[0] == 'j' || p[0] == 'J') && p[1] == ':') {
		cal = CAL_JALALI;
		p += 2;
	}
	if ((y = read_num(&p, 4, 4)) < 0 || (*p != '-' && *p != '/')) {
		*why = "not a date (YYYY-MM-DD)";
		return -1;
	}
	sep = *p++;
	if ((m = read_num(&p, 1, 2)) < 0 || *p++ != sep || (d = read_num(&p, 1, 2)) < 0) {
		*why = "not a date (YYYY-MM-DD)";
		return -1;
	}
	if (cal == CAL_AUTO)
		cal = y < 1700 ? CAL_JALALI : CAL_GREGORIAN;
	if (y < 1 || (cal == CAL_JALALI ? cal_jalali_to_jdn(y, m, d, &jdn)
	                                : cal_gregorian_to_jdn(y, m, d, &jdn)) != 0) {
		*why = "no such day";
		return -1;
	}

	struct cal_when w = {.jdn = jdn, .sec = -1, .cal = cal};
	const char *q = p;

	if (*q == 'T' || *q == 't')
		q++;
	else
		q = skip_blanks(q);
	if (digit_at(q, &len) >= 0) {
		int hh, mm, ss = 0;

		p = q;
		if ((hh = read_num(&p, 1, 2)) < 0 || *p++ != ':' || (mm = read_num(&p, 2, 2)) < 0) {
			*why = "not a time (HH:MM)";
			return -1;
		}
		if (*p == ':') {
			p++;
			if ((ss = read_num(&p, 2, 2)) < 0) {
				*why = "not a time (HH:MM:SS)";
				return -1;
			}
		}
		if (hh > 23 || mm > 59 || ss > 59) {
			*why = "no such time";
			return -1;
		}
		w.sec = hh * 3600 + mm * 60 + ss;
		q = skip_blanks(p);
		if (*q == 'Z' || *q == 'z') {
			w.has_zone = true;
			p = q + 1;
		} else if (*q == '+' || *q == '-') {
			int sign = *q == '-' ? -1 : 1, oh, om = 0;

			p = q + 1;
			if ((oh = read_fixed(&p, 2)) < 0) {
				*why = "bad zone offset (±HH:MM)";
				return -1;
			}
			if (*p == ':')
				p++;
			if (digit_at(p, &len) >= 0 && (om = read_fixed(&p, 2)) < 0) {
				*why = "bad zone offset (±HH:MM)";
				return -1;
			}
			if (oh > 23 || om > 59) {
				*why = "bad zone offset (±HH:MM)";
				return -1;
			}
			w.has_zone = true;
			w.offset = sign * (oh * 3600 + om * 60);
		}
	}
	if (*skip_blanks(p) != '\0') {
		*why = "unexpected text after the date";
		return -1;
	}
	if (w.has_zone)
		w.jdn = cal_utc_day((w.jdn - CAL_UNIX_EPOCH_JDN) * 86400LL + w.sec - w.offset, &w.sec);
	*out = w;
	return 0;
}

int
cal_parse_month(const char *text, enum cal_system force, enum cal_system *cal, int *y, int *m,
    const char **why)
{
	/* The day is added with the separator the month was written with. */
	char *day = xasprintf("%s%s01", text, strchr(text, '/') ? "/" : "-");
	struct cal_when w;
	int rc = cal_parse(day, force, &w, why);

	free(day);
	if (rc != 0)
		return -1;
	if (w.sec >= 0) {
		*why = "a month takes no time";
		return -1;
	}
	struct ymd v = cal_from_jdn(w.cal, w.jdn);

	*cal = w.cal;
	*y = v.y;
	*m = v.m;
	return 0;
}

bool
cal_looks_like_date(const char *text)
{
	int len;

	return digit_at(text, &len) >= 0 ||
	    ((text[0] == 'g' || text[0] == 'j' || text[0] == 'G' || text[0] == 'J') && text[1] == ':');
}

long
cal_when_local_day(const struct cal_when *w, int *sec_of_day)
{
	if (w->has_zone)
		return cal_local_day(cal_when_time(w), sec_of_day);
	if (sec_of_day)
		*sec_of_day = w->sec;
	return w->jdn;
}

time_t
cal_when_time(const struct cal_when *w)
{
	int sec = w->sec < 0 ? 0 : w->sec;

	if (w->has_zone)
		return (time_t)((w->jdn - CAL_UNIX_EPOCH_JDN) * 86400 + sec);
	return cal_local_instant(w->jdn, sec);
}

/* --- the time zone --------------------------------------------------------- */

/* The last answers of cal_local_day and cal_local_instant: a batch asks the
 * same question for every row, and a listing in the order received asks
 * about instants of the same day, row after row. A row asks of several
 * days (received, due, now), so cal_local_day keeps a few: one day alone
 * was forgotten at each column and asked of localtime again. Forgotten
 * when the zone changes; each thread's own (a batch checks on one,
 * notices on another). */
enum { LOCAL_MEMO_DAYS = 8 };
static _Thread_local struct local_memo {
	bool valid;
	time_t t;
	long jdn;
	int sec;
	/* The local day of jdn runs [day_start, day_end) at one UTC offset
	 * (day_end 0: not known so), so any instant in it has the same day and
	 * its second of the day by subtraction. */
	time_t day_start, day_end;
} local_memo[LOCAL_MEMO_DAYS];
static _Thread_local unsigned local_memo_next;	/* the entry a new day replaces */
static _Thread_local struct instant_memo {
	bool valid;
	long jdn;
	int sec;
	time_t t;
} instant_memo;
static time_t local_instant(long jdn, int sec_of_day);

int
cal_set_zone(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char magic[4];
	bool ok = false;

	if (zone == NULL || *zone == '\0' || *zone == '/' || strstr(zone, "..") != NULL)
		return -1;
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	/* A file of the tz database starts with this magic; zone.tab and such do not. */
	char *path = xasprintf("%s/%s", dir, zone);
	FILE *f = fopen(path, "rb");

	free(path);
	if (f != NULL) {
		ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
		fclose(f);
	}
	if (!ok)
		return -1;
	if (setenv("TZ", zone, 1) != 0)
		return -1;
	tzset();
	memset(local_memo, 0, sizeof local_memo);
	local_memo_next = 0;
	instant_memo.valid = false;
	return 0;
}

static long
gmtoff_at(time_t t)
{
	struct tm tm;

	return localtime_r(&t, &tm) ? tm.tm_gmtoff : 0;
}


long
cal_local_day(time_t t, int *sec_of_day)
{
	struct tm tm;
	long jdn;
	int sec;

	for (int i = 0; i < LOCAL_MEMO_DAYS; i++) {
		const struct local_memo *m = &local_memo[i];
		if (!m->valid)
			break;
		if (m->t == t || (t >= m->day_start && t < m->day_end)) {
			if (sec_of_day)
				*sec_of_day = m->t == t ? m->sec : (int)(t - m->day_start);
			return m->jdn;
		}
	}
	time_t day_start = 0, day_end = 0;
	if (localtime_r(&t, &tm) != NULL) {
		long off = tm.tm_gmtoff;
		cal_gregorian_to_jdn(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, &jdn);
		sec = tm.tm_hour * 3600 + tm.tm_min * 60 + (tm.tm_sec > 59 ? 59 : tm.tm_sec);
		/* The day's span is kept when the offset is the same at both its
		 * ends (no clock change in it) and the second was not a leap one. */
		time_t first = t - sec, last = first + 86399;
		struct tm a, b;
		if (tm.tm_sec <= 59 && localtime_r(&first, &a) && localtime_r(&last, &b) &&
		    a.tm_gmtoff == off && b.tm_gmtoff == off && a.tm_hour == 0 && a.tm_min == 0 &&
		    a.tm_sec == 0 && b.tm_mday == tm.tm_mday) {
			day_start = first;
			day_end = first + 86400;
		}
	} else { /* beyond what struct tm holds: UTC is the best we can say */
		jdn = cal_utc_day((long long)t, &sec);
	}
	local_memo[local_memo_next++ % LOCAL_MEMO_DAYS] =
	    (struct local_memo){true, t, jdn, sec, day_start, day_end};
	if (sec_of_day)
		*sec_of_day = sec;
	return jdn;
}

/*
 * The local clock can skip an hour (Tehran's old DST began at midnight, so
 * some days had no 00:00) or show one twice. A skipped time maps to the
 * instant the clock jumped, which makes "local midnight" the first instant
 * of the day; a repeated time maps to its first occurrence.
 */

time_t
cal_local_instant(long jdn, int sec_of_day)
{
	if (instant_memo.valid && instant_memo.jdn == jdn && instant_memo.sec == sec_of_day)
		return instant_memo.t;
	time_t t = local_instant(jdn, sec_of_day);
	instant_memo = (struct instant_memo){true, jdn, sec_of_day, t};
	return t;
}

static time_t
local_instant(long jdn, int sec_of_day)
{
	long local = (jdn - CAL_UNIX_EPOCH_JDN) * 86400 + sec_of_day;
	long offs[3] = {gmtoff_at((time_t)(local - 86400)), gmtoff_at((time_t)local),
	    gmtoff_at((time_t)(local + 86400))};
	long best = 0, lo, hi;
	bool found = false;

	for (int i = 0; i < 3; i++) {
		long t = local - offs[i];

		if (gmtoff_at((time_t)t) == offs[i] && (!found || t < best)) {
			best = t;
			found = true;
		}
	}
	if (found)
		return (time_t)best;
	/* In a gap: the clock jumped forward, from a smaller to a larger offset. */
	lo = local - (offs[0] > offs[2] ? offs[0] : offs[2]);
	hi = local - (offs[0] < offs[2] ? offs[0] : offs[2]);
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;

		if (mid + gmtoff_at((time_t)mid) > local)
			hi = mid;
		else
			lo = mid + 1;
	}
	return (time_t)lo;
}

/* --- showing --------------------------------------------------------------- */

/* Copies s into buf, cutting at a character boundary when it does not fit. */
static char *
put(char *buf, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (n == 0)
		return buf;
	if (len >= n) {
		len = n - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	return buf;
}

/* "YYYY-MM-DD" at p; returns its end. Dates are written by the million
 * (listings, pcal over a file), where snprintf's generality shows. */
static char *
put_date(char *p, struct ymd v)
{
	char num[24];

	p = stpcpy(p, decimal(v.y, 4, num));
	*p++ = '-';
	p = stpcpy(p, decimal(v.m, 2, num));
	*p++ = '-';
	return stpcpy(p, decimal(v.d, 2, num));
}

struct cal_style
cal_latin(enum cal_system cal)
{
	return (struct cal_style){.cal = cal, .persian_digits = false};
}

/* The Latin text in buf, in the style's digits. Persian digits are for
 * people, never by the million, so their copy is no cost that shows. */
static char *
styled(char *buf, size_t n, const char *latin, struct cal_style s)
{
	if (!s.persian_digits)
		return put(buf, n, latin);
	char *fa = text_persian_digits(latin);
	put(buf, n, fa);
	free(fa);
	return buf;
}

char *
cal_format_day(long jdn, struct cal_style s, char *buf, size_t n)
{
	char tmp[64];

	put_date(tmp, cal_from_jdn(s.cal, jdn));
	return styled(buf, n, tmp, s);
}

/* The date of a day in a calendar, as put_date writes it: a listing writes
 * the same few days (received, due) row after row, so the last ones are kept. */
static char *
put_day(char *p, enum cal_system cal, long jdn)
{
	enum { DAYS = 4 };
	static _Thread_local struct {
		bool valid;
		enum cal_system cal;
		long jdn;
		char text[24];
		size_t len;
	} days[DAYS];
	static _Thread_local unsigned next;

	for (int i = 0; i < DAYS && days[i].valid; i++)
		if (days[i].jdn == jdn && days[i].cal == cal)
			return (char *)memcpy(p, days[i].text, days[i].len + 1) + days[i].len;
	char *end = put_date(p, cal_from_jdn(cal, jdn));
	size_t len = (size_t)(end - p);
	if (len < sizeof days[0].text) {	/* with its NUL */
		unsigned i = next++ % DAYS;
		days[i].valid = true, days[i].cal = cal, days[i].jdn = jdn, days[i].len = len;
		memcpy(days[i].text, p, len + 1);
	}
	return end;
}

char *
cal_format_when(long jdn, int sec_of_day, struct cal_style s, char *buf, size_t n)
{
	char tmp[96], num[24];
	char *p = put_day(tmp, s.cal, jdn);

	if (sec_of_day >= 0) {
		*p++ = ' ';
		p = stpcpy(p, decimal(sec_of_day / 3600, 2, num));
		*p++ = ':';
		stpcpy(p, decimal(sec_of_day / 60 % 60, 2, num));
	}
	return styled(buf, n, tmp, s);
}

char *
cal_format_time(time_t t, struct cal_style s, char *buf, size_t n)
{
	int sec;
	long jdn = cal_local_day(t, &sec);

	return cal_format_when(jdn, sec, s, buf, n);
}

char *
cal_format_long(long jdn, struct cal_style s, char *buf, size_t n)
{
	struct ymd v = cal_from_jdn(s.cal, jdn);
	char *text = xasprintf("%d %s %d", v.d, s.cal == CAL_GREGORIAN ? cal_gregorian_month_name(v.m)
	                                                               : cal_jalali_month_name(v.m), v.y);

	styled(buf, n, text, s);
	free(text);
	return buf;
}

char *
cal_format_number(long long v, struct cal_style s, char *buf, size_t n)
{
	char num[24];

	return styled(buf, n, decimal(v, 1, num), s);
}

char *
cal_format_digits(const char *text, struct cal_style s, char *buf, size_t n)
{
	return styled(buf, n, text, s);
}

char *
cal_format_stored(const char *text, struct cal_style s, char *buf, size_t n)
{
	struct cal_when w;
	int sec;

	if (cal_parse(text, CAL_AUTO, &w, NULL) != 0)
		return put(buf, n, text);
	long day = cal_when_local_day(&w, &sec);
	return cal_format_when(day, sec, s, buf, n);
}

char *
cal_format_rfc3339(time_t t, char *buf, size_t n)
{
	int sec;
	struct ymd v = cal_jdn_to_gregorian(cal_utc_day((long long)t, &sec));
	char tmp[48];

	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02dZ", v.y, v.m, v.d, sec / 3600,
	    sec / 60 % 60, sec % 60);
	return put(buf, n, tmp);
}

char *
cal_format_rfc3339_local(time_t t, char *buf, size_t n)
{
	int sec;
	long jdn = cal_local_day(t, &sec);
	/* Beyond what struct tm holds both are UTC's: the offset 0 says so. */
	long off = gmtoff_at(t);
	struct ymd v = cal_jdn_to_gregorian(jdn);
	long a = off < 0 ? -off : off;
	char tmp[48];

	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld", v.y, v.m, v.d,
	    sec / 3600, sec / 60 % 60, sec % 60, off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	return put(buf, n, tmp);
}

char *
cal_format_rfc5322(time_t t, char *buf, size_t n)
{
	/* By cal_weekday: the Iranian week starts on Saturday. */
	static const char days[][4] = {"Sat", "Sun", "Mon", "Tue", "Wed", "Thu", "Fri"};
	static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
		"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int sec;
	long day = cal_utc_day((long long)t, &sec);
	struct ymd v = cal_jdn_to_gregorian(day);
	char tmp[64];

	snprintf(tmp, sizeof tmp, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[cal_weekday(day)],
	    v.d, months[v.m - 1], v.y, sec / 3600, sec / 60 % 60, sec % 60);
	return put(buf, n, tmp);
}
