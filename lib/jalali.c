/*
 * jalali.c — Solar Hijri and Gregorian days as Julian day numbers.
 *
 * The Solar Hijri year lengths for 1206–1498 AP are data, not a formula:
 * they are the leap years the Iranian Calendar Center publishes, so that a
 * date we print is the date on the wall calendar. Outside that span no
 * published table exists, and the 33-year arithmetic rule is used instead,
 * joined to the ends of the table; those years are reported as provisional.
 */
#include <stdlib.h>
#include <string.h>

#include "jalali.h"
#include "text.h"
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

long
cal_jalali_year_start(long y)
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

bool
cal_jalali_leap(int y)
{
	return cal_jalali_year_start(y + 1) - cal_jalali_year_start(y) == 366;
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
	*jdn = cal_jalali_year_start(y) + (m <= 7 ? (m - 1) * 31 : 186 + (m - 7) * 30) + d - 1;
	return 0;
}

/* The year a day falls in: an estimate from the mean year, then at most a step or two. */
long
cal_jalali_year_of(long jdn)
{
	long off = jdn - TABLE_FIRST_JDN;
	long cycles = floordiv(off, 12053); /* days in 33 years */
	long y = TABLE_FIRST + cycles * 33 + floormod(off, 12053) * 33 / 12053;

	while (cal_jalali_year_start(y) > jdn)
		y--;
	while (cal_jalali_year_start(y + 1) <= jdn)
		y++;
	return y;
}

struct ymd
cal_jdn_to_jalali(long jdn)
{
	long y = cal_jalali_year_of(jdn);
	int doy = (int)(jdn - cal_jalali_year_start(y));
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
const char *cal_gregorian_month_name(int m) { return m >= 1 && m <= 12 ? month_en[m - 1] : ""; }

const char *
cal_month_name_latin(enum cal_system cal, int m)
{
	return cal == CAL_GREGORIAN ? cal_gregorian_month_name(m) : cal_jalali_month_name_latin(m);
}

int
cal_weekday_parse(const char *name)
{
	/* The search form turns ZWNJ into a space, and Arabic letters into Persian. */
	static const char *const fa_plain[] = {
		"شنبه", "یکشنبه", "دوشنبه", "سهشنبه", "چهارشنبه", "پنجشنبه", "جمعه",
	};
	char *s = text_normalize(name), *o = s;
	int wd = -1;

	for (const char *p = s; *p; p++)
		if (*p != ' ' && *p != '\t')
			*o++ = *p;
	*o = '\0';
	for (int i = 0; i < 7; i++)
		if (strcmp(s, weekday_abbr[i]) == 0 || strcmp(s, weekday_en[i]) == 0 ||
		    strcmp(s, fa_plain[i]) == 0)
			wd = i;
	free(s);
	return wd;
}

/* --- either calendar -------------------------------------------------------- */

int
cal_system_parse(const char *name)
{
	if (strcmp(name, "jalali") == 0)
		return CAL_JALALI;
	if (strcmp(name, "gregorian") == 0)
		return CAL_GREGORIAN;
	return -1;
}

int
cal_to_jdn(enum cal_system cal, int y, int m, int d, long *jdn)
{
	return cal == CAL_GREGORIAN ? cal_gregorian_to_jdn(y, m, d, jdn)
	                            : cal_jalali_to_jdn(y, m, d, jdn);
}

struct ymd
cal_from_jdn(enum cal_system cal, long jdn)
{
	return cal == CAL_GREGORIAN ? cal_jdn_to_gregorian(jdn) : cal_jdn_to_jalali(jdn);
}

int
cal_month_days(enum cal_system cal, int y, int m)
{
	return cal == CAL_GREGORIAN ? cal_gregorian_month_days(y, m) : cal_jalali_month_days(y, m);
}

long
cal_utc_day(long long t, int *sec_of_day)
{
	long long day = t / 86400 - (t % 86400 < 0);

	if (sec_of_day)
		*sec_of_day = (int)(t - day * 86400);
	return CAL_UNIX_EPOCH_JDN + (long)day;
}
