/* ecgopt — statistics for comparing optimisers (the CEC protocol's tables):
 * mean/std, Friedman mean ranks and test, Wilcoxon signed-rank test.
 * All functions are pure (no state); inputs are not modified. */
#ifndef ECGOPT_STATS_H
#define ECGOPT_STATS_H

#include "ecgopt/export.h"

#include <stddef.h>

#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Mean and sample standard deviation (divisor n-1; 0 when n == 1).
 * n == 0 or a NaN in x -> EO_STATUS_USAGE / EO_STATUS_NUMERIC. */
EO_API eo_status eo_stats_mean_std(const double *x, size_t n, double *mean, double *std, eo_error *err);

/* Ranks 1..n of x (smallest first), ties get the mean of their ranks
 * (scipy.stats.rankdata 'average').  ranks has n entries. */
EO_API eo_status eo_stats_rank(const double *x, size_t n, double *ranks, eo_error *err);

/* Friedman test over a table data[p * k + a] of p problems (rows) x k
 * algorithms (columns), smaller is better.  mean_rank[k] receives each
 * algorithm's average rank over the problems (1 = best).  chi2 and p (may
 * be NULL) receive the tie-corrected Friedman statistic and its chi-square
 * (k-1 degrees of freedom) p-value, as scipy.stats.friedmanchisquare.
 * Needs p >= 1 and k >= 2 (p >= 2 and k >= 3 for the test; otherwise chi2 =
 * p-value = NaN). */
EO_API eo_status eo_stats_friedman(const double *data, size_t p, size_t k, double *mean_rank,
                            double *chi2, double *pvalue, eo_error *err);

/* Two-sided Wilcoxon signed-rank test of the paired samples x, y (n pairs).
 * Zero differences are dropped (Wilcoxon's method).  With m <= 50 remaining
 * pairs and no tied |differences| the p-value is exact (distribution of the
 * positive rank sum by counting); otherwise the normal approximation with
 * the tie correction of the variance, no continuity correction (as
 * scipy.stats.wilcoxon(mode="approx")).  *stat = min(R+, R-).  All pairs
 * equal -> p = 1, stat = 0.  *exact (may be NULL) tells which was used. */
EO_API eo_status eo_stats_wilcoxon(const double *x, const double *y, size_t n, double *stat,
                            double *pvalue, int *exact, eo_error *err);

/* Chi-square survival function P(X > x) with dof degrees of freedom. */
EO_API double eo_stats_chi2_sf(double x, double dof);

#ifdef __cplusplus
}
#endif
#endif
