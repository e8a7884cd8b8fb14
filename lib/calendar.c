/*
 * calendar.c — Solar Hijri and Gregorian days as Julian day numbers, the
 * time zone, and the working-day calendar that deadlines are counted in.
 *
 * The Solar Hijri year lengths for 1206–1498 AP are data, not a formula:
 * they are the leap years the Iranian Calendar Center publishes, so that a
 * date we print is the date on the wall calendar. Outside that span no
 * published table exists, and the 33-year arithmetic rule is used instead,
 * joined to the ends of the table; those years are reported as provisional.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "util.h"

/* --- arithmetic ------------------------------------------------------------ */

static long
floordiv(long a, long b)
{
	long q = a / b;

	if (a % b != 0 && (a < 0) != (b < 0))
		q--;
	return q;
}

static long
floormod(long a, long b)
{
	return a - floordiv(a, b) * b;
}

#define UNIX_EPOCH_JDN 2440588L /* 1970-01-01 */

/* --- Gregorian ------------------------------------------------------------- */

static bool
greg_leap(long y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int
cal_gregorian_month_days(int y, int m)
{
	static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return len[m - 1] + (m == 2 && greg_leap(y));
}

/*
 * Counting from 1 March of a year that starts a 400-year era puts the leap
 * day last, so a day's place in the era needs no table of month lengths.
 */
static long
greg_jdn(long y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = floordiv(yy, 400);
	long yoe = yy - era * 400;
	long mp = (m + 9) % 12;
	long doy = (153 * mp + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe + 1721120; /* JDN of 0000-03-01 */
}

int
cal_gregorian_to_jdn(int y, int m, int d, long *jdn)
{
	if (m < 1 || m > 12 || d < 1 || d > cal_gregorian_month_days(y, m))
		return -1;
	*jdn = greg_jdn(y, m, d);
	return 0;
}

struct ymd
cal_jdn_to_gregorian(long jdn)
{
	long z = jdn - 1721120;
	long era = floordiv(z, 146097);
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	long y = yoe + era * 400 + (m <= 2);

	return (struct ymd){(int)y, m, d};
}

/* --- Solar Hijri ----------------------------------------------------------- */

#define TABLE_FIRST 1206
#define TABLE_LAST 1498
#define TABLE_FIRST_JDN 2388438L /* 1206-01-01 */

/* The Calendar Center's leap years, KabiseShamsi1206-1498. */
static const short published_leaps[] = {
	1210, 1214, 1218, 1222, 1226, 1230, 1234, 1238, 1243, 1247, 1251, 1255,
	1259, 1263, 1267, 1271, 1276, 1280, 1284, 1288, 1292, 1296, 1300, 1304,
	1309, 1313, 1317, 1321, 1325, 1329, 1333, 1337, 1342, 1346, 1350, 1354,
	1358, 1362, 1366, 1370, 1375, 1379, 1383, 1387, 1391, 1395, 1399, 1403,
	1408, 1412, 1416, 1420, 1424, 1428, 1432, 1436, 1441, 1445, 1449, 1453,
	1457, 1461, 1465, 1469, 1474, 1478, 1482, 1486, 1490, 1494, 1498,
};

/* Start of each year TABLE_FIRST … TABLE_LAST + 1, built once from the list. */
static long year_start[TABLE_LAST - TABLE_FIRST + 2];
static bool table_ready;

static void
build_table(void)
{
	bool leap[TABLE_LAST - TABLE_FIRST + 1] = {false};

	for (size_t i = 0; i < ARRAY_SIZE(published_leaps); i++)
		leap[published_leaps[i] - TABLE_FIRST] = true;
	year_start[0] = TABLE_FIRST_JDN;
	for (int i = 0; i <= TABLE_LAST - TABLE_FIRST; i++)
		year_start[i + 1] = year_start[i] + (leap[i] ? 366 : 365);
	table_ready = true;
}

static bool
rule_leap(long y)
{
	return floormod(25 * y + 11, 33) < 8;
}

/* Leap years of the 33-year rule before year y (from an arbitrary origin). */
static long
rule_leaps_before(long y)
{
	static int prefix[34];
	static bool ready;

	if (!ready) {
		for (int r = 0; r < 33; r++)
			prefix[r + 1] = prefix[r] + rule_leap(r);
		ready = true;
	}
	return 8 * floordiv(y, 33) + prefix[floormod(y, 33)];
}

static long
jalali_start(long y)
{
	if (!table_ready)
		build_table();
	if (y >= TABLE_FIRST && y <= TABLE_LAST + 1)
		return year_start[y - TABLE_FIRST];
	if (y > TABLE_LAST + 1)
		return year_start[TABLE_LAST + 1 - TABLE_FIRST] + 365 * (y - TABLE_LAST - 1) +
		    rule_leaps_before(y) - rule_leaps_before(TABLE_LAST + 1);
	return TABLE_FIRST_JDN - 365 * (TABLE_FIRST - y) -
	    (rule_leaps_before(TABLE_FIRST) - rule_leaps_before(y));
}

static bool
jalali_leap_long(long y)
{
	return jalali_start(y + 1) - jalali_start(y) == 366;
}

bool
cal_jalali_leap(int y)
{
	return jalali_leap_long(y);
}

bool
cal_jalali_provisional(int y)
{
	return y < TABLE_FIRST || y > TABLE_LAST;
}

int
cal_jalali_month_days(int y, int m)
{
	if (m < 1 || m > 12)
		return 0;
	if (m <= 6)
		return 31;
	if (m <= 11)
		return 30;
	return cal_jalali_leap(y) ? 30 : 29;
}

int
cal_jalali_to_jdn(int y, int m, int d, long *jdn)
{
	if (m < 1 || m > 12 || d < 1 || d > cal_jalali_month_days(y, m))
		return -1;
	*jdn = jalali_start(y) + (m <= 7 ? (m - 1) * 31 : 186 + (m - 7) * 30) + d - 1;
	return 0;
}

/* The year a day falls in: an estimate from the mean year, then at most a step or two. */
static long
jalali_year_of(long jdn)
{
	long off = jdn - TABLE_FIRST_JDN;
	long cycles = floordiv(off, 12053); /* days in 33 years */
	long y = TABLE_FIRST + cycles * 33 + floormod(off, 12053) * 33 / 12053;

	while (jalali_start(y) > jdn)
		y--;
	while (jalali_start(y + 1) <= jdn)
		y++;
	return y;
}

struct ymd
cal_jdn_to_jalali(long jdn)
{
	long y = jalali_year_of(jdn);
	int doy = (int)(jdn - jalali_start(y));
	int m = doy < 186 ? doy / 31 + 1 : (doy - 186) / 30 + 7;
	int d = doy < 186 ? doy % 31 + 1 : (doy - 186) % 30 + 1;

	return (struct ymd){(int)y, m, d};
}

int
cal_weekday(long jdn)
{
	return (int)floormod(jdn + 2, 7);
}

static const char *const month_fa[] = {
	"فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
	"مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
};
static const char *const month_latin[] = {
	"Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
	"Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
};
static const char *const month_en[] = {
	"January", "February", "March", "April", "May", "June",
	"July", "August", "September", "October", "November", "December",
};
static const char *const weekday_fa[] = {
	"شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه",
};
static const char *const weekday_abbr[] = {"sat", "sun", "mon", "tue", "wed", "thu", "fri"};
static const char *const weekday_en[] = {
	"saturday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
};

const char *cal_jalali_month_name(int m) { return m >= 1 && m <= 12 ? month_fa[m - 1] : ""; }
const char *cal_jalali_month_name_latin(int m) { return m >= 1 && m <= 12 ? month_latin[m - 1] : ""; }
const char *cal_weekday_name(int wd) { return wd >= 0 && wd <= 6 ? weekday_fa[wd] : ""; }
const char *cal_weekday_abbr(int wd) { return wd >= 0 && wd <= 6 ? weekday_abbr[wd] : ""; }

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
	if (w.has_zone) {
		long s = (long)w.sec - w.offset;

		w.jdn += floordiv(s, 86400);
		w.sec = (int)floormod(s, 86400);
	}
	*out = w;
	return 0;
}

time_t
cal_when_time(const struct cal_when *w)
{
	int sec = w->sec < 0 ? 0 : w->sec;

	if (w->has_zone)
		return (time_t)((w->jdn - UNIX_EPOCH_JDN) * 86400 + sec);
	return cal_local_instant(w->jdn, sec);
}

/* --- the time zone --------------------------------------------------------- */

/* The last answers of cal_local_day and cal_local_instant: a batch asks the
 * same question for every row. Forgotten when the zone changes. */
static struct local_memo {
	bool valid;
	time_t t;
	long jdn;
	int sec;
} local_memo;
static struct instant_memo {
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
	local_memo.valid = false;
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

	/* A batch asks about the same instant (now) for every row: remember it. */
	if (local_memo.valid && local_memo.t == t) {
		if (sec_of_day)
			*sec_of_day = local_memo.sec;
		return local_memo.jdn;
	}
	if (localtime_r(&t, &tm) != NULL) {
		jdn = greg_jdn((long)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
		sec = tm.tm_hour * 3600 + tm.tm_min * 60 + (tm.tm_sec > 59 ? 59 : tm.tm_sec);
	} else { /* beyond what struct tm holds: UTC is the best we can say */
		jdn = UNIX_EPOCH_JDN + floordiv((long)t, 86400);
		sec = (int)floormod((long)t, 86400);
	}
	local_memo = (struct local_memo){true, t, jdn, sec};
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
	long local = (jdn - UNIX_EPOCH_JDN) * 86400 + sec_of_day;
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

char *
cal_format_day(long jdn, enum cal_system cal, char *buf, size_t n)
{
	struct ymd v = cal == CAL_GREGORIAN ? cal_jdn_to_gregorian(jdn) : cal_jdn_to_jalali(jdn);
	char tmp[48];

	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", v.y, v.m, v.d);
	return put(buf, n, tmp);
}

char *
cal_format_time(time_t t, enum cal_system cal, char *buf, size_t n)
{
	int sec;
	long jdn = cal_local_day(t, &sec);
	char day[48], tmp[64];

	cal_format_day(jdn, cal, day, sizeof day);
	snprintf(tmp, sizeof tmp, "%s %02d:%02d", day, sec / 3600, sec / 60 % 60);
	return put(buf, n, tmp);
}

static void
add_number(struct buf *b, long v, bool persian)
{
	char tmp[24];

	snprintf(tmp, sizeof tmp, "%ld", v);
	for (const char *p = tmp; *p; p++) {
		if (persian && *p >= '0' && *p <= '9') {
			buf_addc(b, (char)0xDB);
			buf_addc(b, (char)(0xB0 + (*p - '0')));
		} else {
			buf_addc(b, *p);
		}
	}
}

char *
cal_format_long(long jdn, enum cal_system cal, bool persian_digits, char *buf, size_t n)
{
	bool greg = cal == CAL_GREGORIAN;
	struct ymd v = greg ? cal_jdn_to_gregorian(jdn) : cal_jdn_to_jalali(jdn);
	struct buf b = {0};

	add_number(&b, v.d, persian_digits);
	buf_addc(&b, ' ');
	buf_adds(&b, greg ? month_en[v.m - 1] : month_fa[v.m - 1]);
	buf_addc(&b, ' ');
	add_number(&b, v.y, persian_digits);
	put(buf, n, b.data);
	buf_free(&b);
	return buf;
}

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

/*
 * A day name as typed: English abbreviation or name, or Persian with or
 * without the zero-width non-joiner or a space, and with Arabic yeh and kaf
 * (what an Arabic keyboard types) read as their Persian forms.
 */
static int
weekday_from_name(const char *s)
{
	static const char *const fa_plain[] = {
		"شنبه", "یکشنبه", "دوشنبه", "سهشنبه", "چهارشنبه", "پنجشنبه", "جمعه",
	};
	struct buf b = {0};
	int wd = -1;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x8C) { /* ZWNJ */
			p += 2;
			continue;
		}
		if (p[0] == 0xD9 && p[1] == 0x8A) { /* Arabic yeh */
			buf_add(&b, "\xDB\x8C", 2);
			p++;
			continue;
		}
		if (p[0] == 0xD9 && p[1] == 0x83) { /* Arabic kaf */
			buf_add(&b, "\xDA\xA9", 2);
			p++;
			continue;
		}
		buf_addc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	}
	for (int i = 0; i < 7 && b.data; i++)
		if (strcmp(b.data, weekday_abbr[i]) == 0 || strcmp(b.data, weekday_en[i]) == 0 ||
		    strcmp(b.data, fa_plain[i]) == 0)
			wd = i;
	buf_free(&b);
	return wd;
}

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
		int wd = weekday_from_name(strip(s));

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
		int len;

		if (semi)
			*semi = '\0';
		char *piece = strip(s);

		if (*piece == '\0') {
			err = i == 0 && !semi ? "empty weekend rule" : "empty period in the weekend rule";
			break;
		}
		if (digit_at(piece, &len) >= 0 || ((piece[0] == 'g' || piece[0] == 'j' ||
		    piece[0] == 'G' || piece[0] == 'J') && piece[1] == ':')) {
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

/* One holiday file, read and checked whole when the calendar is opened. */
struct holfile {
	int year;
	struct holiday *h;
	size_t n;
};

struct closure {
	long from, to;	/* inclusive */
	char *scope, *reason;
};

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
	const char **title;	/* per day, or NULL when the year has none */
};

/* Years outside this span are answered day by day, unbuilt, to bound memory. */
#define CACHE_FIRST 1L
#define CACHE_LAST 9999L
/* About 3000 years of working days: beyond any deadline, and bounds the work. */
#define ADD_MAX 1000000L

struct workcal {
	struct weekend_rule *weekend;
	int office_open, office_close;
	struct holfile *files;
	size_t nfiles;
	struct closure *closures;
	size_t nclosures;
	struct wyear **years;	/* sorted by y */
	size_t nyears;
	struct wyear *last;
	char **pool;		/* joined titles of days with two holidays */
	size_t npool;
};

static char *
where(const char *path, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static char *
where(const char *path, long line, const char *fmt, ...)
{
	va_list ap;
	struct buf b = {0};
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (line > 0)
		buf_addf(&b, "%s:%ld: %s", path, line, msg ? msg : "out of memory");
	else
		buf_addf(&b, "%s: %s", path, msg ? msg : "out of memory");
	free(msg);
	return b.data;
}

static bool
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n;
		unsigned c = *p;

		if (c < 0x80)
			n = 0;
		else if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3;
		else
			return false;
		unsigned cp = n == 0 ? c : c & (0x3F >> n);

		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return false;
		p += n + 1;
	}
	return true;
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

static void
free_holidays(struct holiday *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free((char *)h[i].title_fa);
		free((char *)h[i].title_en);
	}
	free(h);
}

/*
 * Every status counts as a day off. "disputed" is 30 Esfand 1403, which the
 * Administrative and Recruitment Organization applied as a holiday for
 * government offices; "predicted" lunar dates are the ones the official
 * calendar prints until a moon sighting moves them. Counting either as a
 * working day would set a deadline on a day the office is likely closed.
 */
static char *
load_holidays(const char *path, int year, struct holfile *out)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *err = NULL;
	size_t cap = 0, n = 0, alloc = 0;
	struct holiday *h = NULL;
	long lineno = 0;

	if (f == NULL)
		return where(path, 0, "%s", strerror(errno));
	while (err == NULL && getline(&line, &cap, f) >= 0) {
		char *field[6];
		struct cal_when wj, wg;
		const char *why;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || *skip_blanks(line) == '\0')
			continue;
		if (!valid_utf8(line)) {
			err = where(path, lineno, "invalid UTF-8");
			break;
		}
		int nf = split_tabs(line, field, 6);

		if (nf != 6) {
			err = where(path, lineno, "expected 6 tab-separated fields, found %d", nf);
			break;
		}
		if (!plain_date(field[0]) || cal_parse(field[0], CAL_JALALI, &wj, &why) != 0) {
			err = where(path, lineno, "jalali date '%s': %s", field[0],
			    plain_date(field[0]) ? why : "expected YYYY-MM-DD");
			break;
		}
		if (!plain_date(field[1]) || cal_parse(field[1], CAL_GREGORIAN, &wg, &why) != 0) {
			err = where(path, lineno, "gregorian date '%s': %s", field[1],
			    plain_date(field[1]) ? why : "expected YYYY-MM-DD");
			break;
		}
		if (wj.jdn != wg.jdn) {
			char want[16];

			err = where(path, lineno, "%s is %s, not %s", field[0],
			    cal_format_day(wj.jdn, CAL_GREGORIAN, want, sizeof want), field[1]);
			break;
		}
		if (atoi(field[0]) != year) {
			err = where(path, lineno, "a day of %.4s in the file of %d", field[0], year);
			break;
		}
		if (strcmp(field[2], "solar") != 0 && strcmp(field[2], "lunar") != 0) {
			err = where(path, lineno, "kind '%s': expected solar or lunar", field[2]);
			break;
		}
		if (strcmp(field[3], "official") != 0 && strcmp(field[3], "predicted") != 0 &&
		    strcmp(field[3], "disputed") != 0) {
			err = where(path, lineno,
			    "status '%s': expected official, predicted or disputed", field[3]);
			break;
		}
		if (*strip(field[4]) == '\0' || *strip(field[5]) == '\0') {
			err = where(path, lineno, "empty title");
			break;
		}
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			h = xrealloc(h, alloc * sizeof *h);
		}
		h[n] = (struct holiday){.jdn = wj.jdn};
		snprintf(h[n].kind, sizeof h[n].kind, "%s", field[2]);
		snprintf(h[n].status, sizeof h[n].status, "%s", field[3]);
		h[n].title_fa = xstrdup(field[4]);
		h[n].title_en = xstrdup(field[5]);
		n++;
	}
	if (err == NULL && ferror(f))
		err = where(path, 0, "%s", strerror(errno));
	free(line);
	fclose(f);
	if (err) {
		free_holidays(h, n);
		return err;
	}
	/* By date, keeping the file's order within a day: insertion sort is stable. */
	for (size_t i = 1; i < n; i++) {
		struct holiday t = h[i];
		size_t j = i;

		for (; j > 0 && h[j - 1].jdn > t.jdn; j--)
			h[j] = h[j - 1];
		h[j] = t;
	}
	out->year = year;
	out->h = h;
	out->n = n;
	return NULL;
}

/* "ir-1403.tsv" → 1403; 0 for any other name. */
static int
holiday_file_year(const char *name)
{
	if (strlen(name) != 11 || strncmp(name, "ir-", 3) != 0 || strcmp(name + 7, ".tsv") != 0)
		return 0;
	for (int i = 3; i < 7; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return atoi(name + 3);
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
 * lines each; the per-day tables are what is built lazily.
 */
static char *
load_holiday_dir(struct workcal *wc, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *err = NULL;
	size_t alloc = 0;

	if (d == NULL)
		return where(dir, 0, "%s", strerror(errno));
	while (err == NULL && (e = readdir(d)) != NULL) {
		int year = holiday_file_year(e->d_name);

		if (year <= 0)
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);

		if (wc->nfiles == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			wc->files = xrealloc(wc->files, alloc * sizeof *wc->files);
		}
		err = load_holidays(path, year, &wc->files[wc->nfiles]);
		if (err == NULL)
			wc->nfiles++;
		free(path);
	}
	closedir(d);
	if (wc->nfiles > 1)
		qsort(wc->files, wc->nfiles, sizeof *wc->files, holfile_order);
	return err;
}

static bool
parse_closure_date(const char *s, long *jdn, const char **why)
{
	struct cal_when w;

	if (cal_parse(s, CAL_AUTO, &w, why) != 0)
		return false;
	if (w.sec >= 0) {
		*why = "a closure is whole days: no time";
		return false;
	}
	*jdn = w.jdn;
	return true;
}

static char *
load_closures(struct workcal *wc, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, *err = NULL;
	size_t cap = 0, alloc = 0;
	long lineno = 0;

	if (f == NULL)
		return where(path, 0, "%s", strerror(errno));
	while (err == NULL && getline(&line, &cap, f) >= 0) {
		char *field[3], *p;
		struct closure c;
		const char *why;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		p = (char *)skip_blanks(line);
		if (*p == '#' || *p == '\0')
			continue;
		if (!valid_utf8(line)) {
			err = where(path, lineno, "invalid UTF-8");
			break;
		}
		/* The reason is the rest of the line, tabs and all. */
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;

		if (t2 == NULL) {
			err = where(path, lineno, "expected DATE[..DATE]<TAB>SCOPE<TAB>REASON");
			break;
		}
		*t1 = *t2 = '\0';
		field[0] = line;
		field[1] = t1 + 1;
		field[2] = t2 + 1;
		char *range = strip(field[0]), *dots = strstr(range, "..");

		if (dots)
			*dots = '\0';
		if (!parse_closure_date(range, &c.from, &why) ||
		    !parse_closure_date(dots ? dots + 2 : range, &c.to, &why)) {
			err = where(path, lineno, "date: %s", why);
			break;
		}
		if (c.to < c.from) {
			err = where(path, lineno, "the range ends before it starts");
			break;
		}
		if (*strip(field[1]) == '\0' || *strip(field[2]) == '\0') {
			err = where(path, lineno, "empty %s", *strip(field[1]) ? "reason" : "scope");
			break;
		}
		if (wc->nclosures == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			wc->closures = xrealloc(wc->closures, alloc * sizeof *wc->closures);
		}
		c.scope = xstrdup(strip(field[1]));
		c.reason = xstrdup(strip(field[2]));
		wc->closures[wc->nclosures++] = c;
	}
	free(line);
	fclose(f);
	return err;
}

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
		err = load_holiday_dir(wc, opt->holidays_dir);
	if (err == NULL && opt->closures != NULL)
		err = load_closures(wc, opt->closures);
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
	for (size_t i = 0; i < wc->nfiles; i++)
		free_holidays(wc->files[i].h, wc->files[i].n);
	free(wc->files);
	for (size_t i = 0; i < wc->nclosures; i++) {
		free(wc->closures[i].scope);
		free(wc->closures[i].reason);
	}
	free(wc->closures);
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

static const struct holfile *
find_file(const struct workcal *wc, long year)
{
	size_t lo = 0, hi = wc->nfiles;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (wc->files[mid].year == year)
			return &wc->files[mid];
		if (wc->files[mid].year < year)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool
workcal_has_year(struct workcal *wc, int jalali_year)
{
	return find_file(wc, jalali_year) != NULL;
}

const struct holiday *
workcal_holidays(struct workcal *wc, int jalali_year, size_t *n)
{
	const struct holfile *f = find_file(wc, jalali_year);

	*n = f ? f->n : 0;
	return f ? f->h : NULL;
}

static const struct closure *
closure_on(const struct workcal *wc, long jdn)
{
	for (size_t i = 0; i < wc->nclosures; i++)
		if (wc->closures[i].from <= jdn && jdn <= wc->closures[i].to)
			return &wc->closures[i];
	return NULL;
}

static struct wyear *
build_year(struct workcal *wc, long y)
{
	struct wyear *Y = xcalloc(1, sizeof *Y);
	const struct holfile *f = find_file(wc, y);

	Y->y = y;
	Y->start = jalali_start(y);
	Y->nd = (int)(jalali_start(y + 1) - Y->start);
	for (int i = 0; i < Y->nd; i++)
		if (weekend_mask(wc->weekend, Y->start + i) & (1u << cal_weekday(Y->start + i)))
			Y->reason[i] = DAY_WEEKEND;
	for (size_t k = 0; k < wc->nclosures; k++) {
		const struct closure *c = &wc->closures[k];
		long from = c->from > Y->start ? c->from : Y->start;
		long to = c->to < Y->start + Y->nd - 1 ? c->to : Y->start + Y->nd - 1;

		for (long j = from; j <= to; j++) {
			if (Y->title == NULL)
				Y->title = xcalloc((size_t)Y->nd, sizeof *Y->title);
			if (Y->reason[j - Y->start] != DAY_CLOSURE) {
				Y->reason[j - Y->start] = DAY_CLOSURE;
				Y->title[j - Y->start] = c->reason;
			}
		}
	}
	/* A holiday outranks a closure or a weekend for the name shown. */
	for (size_t k = 0; f && k < f->n; k++) {
		long i = f->h[k].jdn - Y->start;

		if (i < 0 || i >= Y->nd)
			continue;
		if (Y->title == NULL)
			Y->title = xcalloc((size_t)Y->nd, sizeof *Y->title);
		if (Y->reason[i] == DAY_HOLIDAY) {
			char *joined = xasprintf("%s؛ %s", Y->title[i], f->h[k].title_fa);

			wc->pool = xrealloc(wc->pool, (wc->npool + 1) * sizeof *wc->pool);
			wc->pool[wc->npool++] = joined;
			Y->title[i] = joined;
		} else {
			Y->reason[i] = DAY_HOLIDAY;
			Y->title[i] = f->h[k].title_fa;
		}
	}
	Y->cum[0] = 0;
	for (int i = 0; i < Y->nd; i++)
		Y->cum[i + 1] = Y->cum[i] + (Y->reason[i] == DAY_WORKING);
	return Y;
}

/* The built year holding jdn, or NULL for a day too far out to build. */
static struct wyear *
year_for(struct workcal *wc, long jdn)
{
	struct wyear *Y = wc->last;

	if (Y && jdn >= Y->start && jdn < Y->start + Y->nd)
		return Y;
	long y = jalali_year_of(jdn);

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
	const struct closure *c = closure_on(wc, jdn);

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

long
workcal_add(struct workcal *wc, long jdn, long n)
{
	long left = n < 0 ? -n : n;
	long p = jdn;

	if (left > ADD_MAX)
		left = ADD_MAX;
	while (left > 0) {
		if (n > 0) {
			struct wyear *Y = year_for(wc, p + 1);

			if (Y == NULL) {
				p++;
				left -= workcal_is_working(wc, p);
				continue;
			}
			long i = p + 1 - Y->start;
			long avail = Y->cum[Y->nd] - Y->cum[i];

			if (avail < left) {
				left -= avail;
				p = Y->start + Y->nd - 1;
				continue;
			}
			for (;; i++)
				if (Y->reason[i] == DAY_WORKING && --left == 0)
					return Y->start + i;
		} else {
			struct wyear *Y = year_for(wc, p - 1);

			if (Y == NULL) {
				p--;
				left -= workcal_is_working(wc, p);
				continue;
			}
			long i = p - 1 - Y->start;
			long avail = Y->cum[i + 1];

			if (avail < left) {
				left -= avail;
				p = Y->start;
				continue;
			}
			for (;; i--)
				if (Y->reason[i] == DAY_WORKING && --left == 0)
					return Y->start + i;
		}
	}
	return p;
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

time_t
workcal_due(struct workcal *wc, time_t received, int n, int *missing_year)
{
	int sec;
	long day = cal_local_day(received, &sec);
	long start = day, due;

	if (n < 0)
		n = 0;
	if (!workcal_is_working(wc, day) || sec >= wc->office_close)
		start = workcal_add(wc, day, 1);
	due = workcal_add(wc, start, n);
	if (missing_year)
		*missing_year = workcal_missing_year(wc, day, due);
	return cal_local_instant(due, wc->office_close);
}

int
workcal_missing_year(struct workcal *wc, long from, long to)
{
	long y0 = jalali_year_of(from < to ? from : to), y1 = jalali_year_of(from < to ? to : from);

	for (long y = y0; y <= y1 && y - y0 < 100; y++)
		if (find_file(wc, y) == NULL)
			return (int)y;
	return 0;
}
