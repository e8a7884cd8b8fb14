/*
 * calview.h — what pcal shows: dates converted, working days added and
 * counted (with the days not worked, and why), a year's holidays and a
 * month, each as rows through the printer, and the month as a grid for
 * people. Above workcal and fmt; the command parses its options, calls a
 * view and words the warnings; a view that fails says why, never exits.
 */
#ifndef PARTAKE_CALVIEW_H
#define PARTAKE_CALVIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "fmt.h"
#include "workcal.h"

struct calview {
	/* A printer for a view's columns: the format asked for, else the
	 * view's own for where output goes (a command's cli_printer). */
	struct printer *(*printer)(enum fmt_kind on_terminal, enum fmt_kind elsewhere,
	    const struct column *cols, int ncols);
	FILE *grid;		/* month: the grid for people, written here; NULL: rows */
	/* The working-day calendar, asked for when first needed (converting needs none). */
	struct workcal *(*workcal)(void);
	const char *holidays_dir;	/* named when a year has no file */
	enum cal_system input;	/* dates read as; CAL_AUTO: by the year or a g:/j: prefix */
	enum cal_system output;	/* dates shown in; CAL_AUTO: the other calendar when
				 * converting, else the date's own */
	bool explain;		/* add and between: every day not worked, and why */
	bool persian_digits;	/* the month grid's digits (rows take the printer's) */

	/* What a call below leaves: */
	char *why;		/* when it failed: what (to free) */
	int missing_year;	/* add, between and month: a Solar Hijri year they
				 * crossed without a holiday file, to warn of; 0: none */
};

/*
 * Every call below returns EXIT_OK, or another exit status with v->why
 * saying what failed: a date, count, year or month that cannot be read
 * ("'1404-12-30': no such day"), a count of working days that finds none
 * (workcal_add), or the output.
 */

/* Dates one by one, a row each, in one printer: converted to the other
 * calendar, or with count not NULL, count working days added to each. */
struct calview_rows;
struct calview_rows *calview_rows_open(struct calview *v, const char *count);	/* NULL: failed */
/* One date's row; NULL, or why the date was not read or has no day N working
 * days on (text that lasts until the next row). */
const char *calview_row(struct calview_rows *r, const char *date);
int calview_rows_close(struct calview_rows *r);

/* The verbs, each on its operands as typed, arg[i] NULL when not given. */
/* add DATE N: the day N working days after DATE (N below zero goes back). */
int calview_add(struct calview *v, const char *const arg[]);
/* between DATE DATE: the working days after the first up to and including the second. */
int calview_between(struct calview *v, const char *const arg[]);
/* holidays [YEAR]: a Solar Hijri year's (default this one); EXIT_PARTIAL when it has no file. */
int calview_holidays(struct calview *v, const char *const arg[]);
/* month [YYYY-MM]: a month in either calendar (default this Solar Hijri one). */
int calview_month(struct calview *v, const char *const arg[]);

#endif
