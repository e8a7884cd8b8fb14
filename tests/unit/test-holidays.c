/*
 * test-holidays.c — checks the shipped holiday files as data, so that a
 * new year's file with a slip in it fails `make check` instead of moving a
 * deadline: both dates name the same day, rows are in order and belong to
 * the year of the file, and the year has every holiday the law fixes.
 *
 * Directory: argv[1], else PARTAKE_HOLIDAYS_DIR, else share/partake/holidays.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caltime.h"
#include "workcal.h"
#include "tap.h"

/* The solar holidays of the law, as jalali month and day. */
static const int fixed[][2] = {
	{1, 1}, {1, 2}, {1, 3}, {1, 4}, {1, 12}, {1, 13}, {3, 14}, {3, 15}, {11, 22}, {12, 29},
};

struct row {
	int y, m, d;
	char kind[16], status[16];
	char *fa, *en;
};

/* YYYY-MM-DD in Latin digits, nothing else. */
static bool
read_date(const char *s, int *y, int *m, int *d)
{
	int n = 0;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%n", y, m, d, &n) == 3 && n == 10 &&
	    s[4] == '-' && s[7] == '-';
}

static void
check_file(const char *dir, const char *name, int year)
{
	char *path = malloc(strlen(dir) + strlen(name) + 2);
	char *line = NULL, bad[256] = "";
	size_t cap = 0, nrows = 0, alloc = 0;
	struct row *rows = NULL;
	long lineno = 0;
	FILE *f;

	sprintf(path, "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!ok(f != NULL, "%s: readable", name)) {
		free(path);
		return;
	}
	char first[256] = "";
	while (getline(&line, &cap, f) >= 0) {
		char *field[7];
		int nf = 0;
		struct row r;
		long jj, jg;
		int gy, gm, gd;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1)
			snprintf(first, sizeof first, "%s", line);
		if (line[0] == '#' || line[0] == '\0')
			continue;
		for (char *p = line; nf < 7; nf++) {
			field[nf] = p;
			if ((p = strchr(p, '\t')) == NULL) {
				nf++;
				break;
			}
			*p++ = '\0';
		}
		/* Only the first fault is shown, but every good row is kept for the checks below. */
		if (nf != 6) {
			if (!*bad)
				snprintf(bad, sizeof bad, "line %ld: %d fields, not 6", lineno, nf);
			continue;
		}
		if (!read_date(field[0], &r.y, &r.m, &r.d) || cal_jalali_to_jdn(r.y, r.m, r.d, &jj) != 0 ||
		    !read_date(field[1], &gy, &gm, &gd) || cal_gregorian_to_jdn(gy, gm, gd, &jg) != 0) {
			if (!*bad)
				snprintf(bad, sizeof bad, "line %ld: a date that does not exist", lineno);
			continue;
		}
		if (jj != jg && !*bad) {
			char want[16];

			snprintf(bad, sizeof bad, "line %ld: %s is %s, not %s", lineno, field[0],
			    cal_format_day(jj, cal_latin(CAL_GREGORIAN), want, sizeof want), field[1]);
		}
		snprintf(r.kind, sizeof r.kind, "%s", field[2]);
		snprintf(r.status, sizeof r.status, "%s", field[3]);
		r.fa = strdup(field[4]);
		r.en = strdup(field[5]);
		if (nrows == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			rows = realloc(rows, alloc * sizeof *rows);
		}
		rows[nrows++] = r;
	}
	free(line);
	fclose(f);

	ok(strncmp(first, "# format=ir-holidays/1 year=", 28) == 0 && atoi(first + 28) == year,
	    "%s: header names the format and the year", name);
	ok(!*bad, "%s: %zu rows, every jalali date is its gregorian date%s%s", name, nrows,
	    *bad ? ": " : "", bad);

	*bad = '\0';
	for (size_t i = 0; i < nrows && !*bad; i++)
		if (rows[i].y != year)
			snprintf(bad, sizeof bad, "row %zu is in %d", i + 1, rows[i].y);
	ok(!*bad, "%s: every row is in %d%s%s", name, year, *bad ? ": " : "", bad);

	*bad = '\0';
	for (size_t i = 1; i < nrows && !*bad; i++) {
		const struct row *a = &rows[i - 1], *b = &rows[i];
		int c = a->m != b->m ? a->m - b->m : a->d - b->d;

		if (c > 0)
			snprintf(bad, sizeof bad, "%d-%02d-%02d after %d-%02d-%02d", b->y, b->m, b->d,
			    a->y, a->m, a->d);
	}
	ok(!*bad, "%s: rows sorted by date%s%s", name, *bad ? ": " : "", bad);

	*bad = '\0';
	for (size_t i = 0; i < nrows && !*bad; i++)
		for (size_t j = i + 1; j < nrows && !*bad; j++)
			if (rows[i].m == rows[j].m && rows[i].d == rows[j].d &&
			    (strcmp(rows[i].fa, rows[j].fa) == 0 || strcmp(rows[i].en, rows[j].en) == 0))
				snprintf(bad, sizeof bad, "%d-%02d-%02d %s twice", rows[i].y, rows[i].m,
				    rows[i].d, rows[i].en);
	ok(!*bad, "%s: no duplicate (date, title)%s%s", name, *bad ? ": " : "", bad);

	*bad = '\0';
	for (size_t i = 0; i < nrows && !*bad; i++) {
		const struct row *r = &rows[i];

		if (strcmp(r->kind, "solar") != 0 && strcmp(r->kind, "lunar") != 0)
			snprintf(bad, sizeof bad, "kind '%s'", r->kind);
		else if (strcmp(r->status, "official") != 0 && strcmp(r->status, "predicted") != 0 &&
		    strcmp(r->status, "disputed") != 0)
			snprintf(bad, sizeof bad, "status '%s'", r->status);
		else if (!*r->fa || !*r->en)
			snprintf(bad, sizeof bad, "%d-%02d-%02d: empty title", r->y, r->m, r->d);
	}
	ok(!*bad, "%s: kind, status and titles valid%s%s", name, *bad ? ": " : "", bad);

	*bad = '\0';
	for (size_t k = 0; k < sizeof fixed / sizeof fixed[0] && !*bad; k++) {
		bool found = false;

		for (size_t i = 0; i < nrows && !found; i++)
			found = rows[i].m == fixed[k][0] && rows[i].d == fixed[k][1] &&
			    strcmp(rows[i].kind, "solar") == 0;
		if (!found)
			snprintf(bad, sizeof bad, "no solar holiday on %d-%02d-%02d", year, fixed[k][0],
			    fixed[k][1]);
	}
	ok(!*bad, "%s: has every fixed solar holiday of the law%s%s", name, *bad ? ": " : "", bad);

	size_t lunar = 0;
	for (size_t i = 0; i < nrows; i++)
		lunar += strcmp(rows[i].kind, "lunar") == 0;
	ok(lunar >= 12, "%s: %zu lunar rows (at least 12)", name, lunar);

	for (size_t i = 0; i < nrows; i++) {
		free(rows[i].fa);
		free(rows[i].en);
	}
	free(rows);
	free(path);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : getenv("PARTAKE_HOLIDAYS_DIR");
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (dir == NULL || *dir == '\0')
		dir = "share/partake/holidays";
	if (!ok((d = opendir(dir)) != NULL, "holiday directory %s", dir))
		return tap_done();
	while ((e = readdir(d)) != NULL) {
		int y = 0, len = 0;

		if (sscanf(e->d_name, "ir-%4d.tsv%n", &y, &len) == 1 && len == (int)strlen(e->d_name) &&
		    strlen(e->d_name) == 11) {
			names = realloc(names, (n + 1) * sizeof *names);
			names[n++] = strdup(e->d_name);
		}
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	ok(n >= 1, "%zu holiday files", n);
	for (size_t i = 0; i < n; i++) {
		check_file(dir, names[i], atoi(names[i] + 3));
		free(names[i]);
	}
	free(names);

	/* The library reads the same files without complaint. */
	struct workcal_options opt = {.holidays_dir = dir};
	char *why = NULL;
	struct workcal *wc = workcal_open(&opt, &why);

	ok(wc != NULL, "workcal_open reads them%s%s", why ? ": " : "", why ? why : "");
	free(why);
	workcal_close(wc);
	return tap_done();
}
