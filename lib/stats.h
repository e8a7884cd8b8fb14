/*
 * stats.h — the statistics of a survey's summary, from the counts of each
 * answer (never the rows themselves): so a million responses cost what a
 * hundred do. Pure arithmetic; the definitions are the textbooks' (and
 * Python's statistics module's, which the tests check against).
 */
#ifndef PARTAKE_STATS_H
#define PARTAKE_STATS_H

#include <stdbool.h>

/* The most points a scale has (1 to STATS_POINTS_MAX). */
#define STATS_POINTS_MAX 10
/* z for a two-sided 95% interval. */
#define STATS_Z95 1.959963984540054

/* What the counts of the points 1..npoints say; NAN where it is not defined. */
struct scale_stats {
	long long n;		/* responses counted */
	double mean;
	double sd;		/* the sample standard deviation (n - 1); NAN for n < 2 */
	double median;		/* the middle one, or the mean of the two middle ones */
};
/* count[i] is how many answered i + 1. */
struct scale_stats stats_of_counts(const long long *count, int npoints);

/* The Wilson score interval of k successes in n at z: *low and *high, NAN when n is 0. */
void stats_wilson(long long k, long long n, double z, double *low, double *high);
/* Two intervals share no point: a change between them is not chance alone (roughly). */
bool stats_apart(double low1, double high1, double low2, double high2);

#endif
