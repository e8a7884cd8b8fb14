/* stats.c — mean, deviation, median and the Wilson interval from counts. */
#include <math.h>

#include "stats.h"

struct scale_stats
stats_of_counts(const long long *count, int npoints)
{
	struct scale_stats s = {.mean = NAN, .sd = NAN, .median = NAN};
	double sum = 0;

	for (int i = 0; i < npoints; i++) {
		s.n += count[i];
		sum += (double)count[i] * (i + 1);
	}
	if (s.n == 0)
		return s;
	s.mean = sum / (double)s.n;
	if (s.n > 1) {
		/* Around the mean, not by sums of squares: no cancellation. */
		double squares = 0;
		for (int i = 0; i < npoints; i++)
			squares += (double)count[i] * ((i + 1) - s.mean) * ((i + 1) - s.mean);
		s.sd = sqrt(squares / (double)(s.n - 1));
	}
	/* The values at the middle places (from 0): n/2 and, when n is even, the one before. */
	long long hi = s.n / 2, lo = s.n % 2 ? hi : hi - 1, seen = 0;
	int at_lo = 0, at_hi = 0;
	for (int i = 0; i < npoints; i++) {
		if (seen <= lo && lo < seen + count[i])
			at_lo = i + 1;
		if (seen <= hi && hi < seen + count[i])
			at_hi = i + 1;
		seen += count[i];
	}
	s.median = (at_lo + at_hi) / 2.0;
	return s;
}

void
stats_wilson(long long k, long long n, double z, double *low, double *high)
{
	if (n <= 0) {
		*low = *high = NAN;
		return;
	}
	double p = (double)k / (double)n, nn = (double)n, z2 = z * z;
	double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
	double half = z / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));

	*low = fmax(0, centre - half);
	*high = fmin(1, centre + half);
}

bool
stats_apart(double low1, double high1, double low2, double high2)
{
	if (isnan(low1) || isnan(high1) || isnan(low2) || isnan(high2))
		return false;
	return high1 < low2 || high2 < low1;
}
