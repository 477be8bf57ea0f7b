/* Statistics for optimiser comparisons (Derrac, Garcia, Molina, Herrera
 * 2011, "A practical tutorial on the use of nonparametric statistical tests
 * as a methodology for comparing evolutionary and swarm intelligence
 * algorithms", Swarm Evol. Comput. 1:3-18): Friedman ranks and test,
 * Wilcoxon signed-rank test.  Conventions follow scipy.stats so results can
 * be checked against it (tests/fixtures/stats). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/stats.h"

eo_status eo_stats_mean_std(const double *x, size_t n, double *mean, double *std, eo_error *err)
{
    if (!x || n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "stats: mean of an empty sample");
    double m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            return eo_error_set(err, EO_STATUS_NUMERIC, "stats: sample value %zu is NaN", i);
        m += x[i];
    }
    m /= (double)n;
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += (x[i] - m) * (x[i] - m);
    if (mean)
        *mean = m;
    if (std)
        *std = n > 1 ? sqrt(s / (double)(n - 1)) : 0.0;
    return EO_STATUS_OK;
}

typedef struct {
    double v;
    size_t i;
} vi;

static int cmp_vi(const void *a, const void *b)
{
    const vi *p = a, *q = b;
    if (p->v < q->v)
        return -1;
    if (p->v > q->v)
        return 1;
    return p->i < q->i ? -1 : (p->i > q->i);
}

/* Average ranks; returns sum over tie groups of (t^3 - t) in *tie_sum. */
static eo_status rank_impl(const double *x, size_t n, double *ranks, double *tie_sum,
                           eo_error *err)
{
    vi *a = malloc(sizeof(vi) * (n ? n : 1));
    if (!a)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "stats: out of memory");
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) {
            free(a);
            return eo_error_set(err, EO_STATUS_NUMERIC, "stats: value %zu is NaN", i);
        }
        a[i].v = x[i];
        a[i].i = i;
    }
    qsort(a, n, sizeof(vi), cmp_vi);
    double ts = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && a[j + 1].v == a[i].v)
            j++;
        double r = 0.5 * (double)(i + j) + 1.0;
        for (size_t t = i; t <= j; t++)
            ranks[a[t].i] = r;
        double t = (double)(j - i + 1);
        ts += t * t * t - t;
        i = j + 1;
    }
    free(a);
    if (tie_sum)
        *tie_sum = ts;
    return EO_STATUS_OK;
}

eo_status eo_stats_rank(const double *x, size_t n, double *ranks, eo_error *err)
{
    if (!x || !ranks || n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "stats: rank of an empty sample");
    return rank_impl(x, n, ranks, NULL, err);
}

/* Regularised upper incomplete gamma Q(a, x) (Numerical Recipes 6.2:
 * series for x < a + 1, Lentz continued fraction otherwise). */
static double gamma_q(double a, double x)
{
    if (x <= 0)
        return 1.0;
    double gln = lgamma(a);
    if (x < a + 1.0) {
        double ap = a, sum = 1.0 / a, del = sum;
        for (int n = 0; n < 1000; n++) {
            ap += 1;
            del *= x / ap;
            sum += del;
            if (fabs(del) < fabs(sum) * 1e-16)
                break;
        }
        return 1.0 - sum * exp(-x + a * log(x) - gln);
    }
    double b = x + 1.0 - a, c = 1.0 / 1e-300, d = 1.0 / b, h = d;
    for (int i = 1; i < 1000; i++) {
        double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (fabs(d) < 1e-300)
            d = 1e-300;
        c = b + an / c;
        if (fabs(c) < 1e-300)
            c = 1e-300;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) < 1e-16)
            break;
    }
    return exp(-x + a * log(x) - gln) * h;
}

double eo_stats_chi2_sf(double x, double dof)
{
    if (!(dof > 0) || isnan(x))
        return NAN;
    return gamma_q(0.5 * dof, 0.5 * x);
}

eo_status eo_stats_friedman(const double *data, size_t p, size_t k, double *mean_rank,
                            double *chi2, double *pvalue, eo_error *err)
{
    if (!data || !mean_rank || p == 0 || k < 2)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "stats: Friedman needs >= 1 problem and >= 2 algorithms (got %zu x %zu)",
                            p, k);
    double *r = malloc(sizeof(double) * k);
    if (!r)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "stats: out of memory");
    for (size_t a = 0; a < k; a++)
        mean_rank[a] = 0;
    double ties = 0;
    for (size_t i = 0; i < p; i++) {
        double ts;
        eo_status st = rank_impl(data + i * k, k, r, &ts, err);
        if (st) {
            free(r);
            eo_error_prefix(err, "Friedman, problem %zu", i + 1);
            return st;
        }
        ties += ts;
        for (size_t a = 0; a < k; a++)
            mean_rank[a] += r[a];
    }
    free(r);
    double ssq = 0;
    for (size_t a = 0; a < k; a++) {
        ssq += mean_rank[a] * mean_rank[a];
        mean_rank[a] /= (double)p;
    }
    double c2 = NAN, pv = NAN;
    if (p >= 2 && k >= 3) {
        double n = (double)p, kk = (double)k;
        c2 = 12.0 / (n * kk * (kk + 1)) * ssq - 3.0 * n * (kk + 1);
        double corr = 1.0 - ties / (n * (kk * kk * kk - kk));
        c2 = corr > 0 ? c2 / corr : NAN;
        pv = isnan(c2) ? NAN : eo_stats_chi2_sf(c2, kk - 1);
    }
    if (chi2)
        *chi2 = c2;
    if (pvalue)
        *pvalue = pv;
    return EO_STATUS_OK;
}

eo_status eo_stats_wilcoxon(const double *x, const double *y, size_t n, double *stat,
                            double *pvalue, int *exact, eo_error *err)
{
    if (!x || !y || !pvalue || n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "stats: Wilcoxon needs >= 1 pair");
    double *d = malloc(sizeof(double) * n), *r = malloc(sizeof(double) * n);
    if (!d || !r) {
        free(d);
        free(r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "stats: out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double di = x[i] - y[i];
        if (isnan(di)) {
            free(d);
            free(r);
            return eo_error_set(err, EO_STATUS_NUMERIC, "stats: Wilcoxon pair %zu is NaN", i);
        }
        if (di != 0)
            d[m++] = di;
    }
    if (m == 0) {
        free(d);
        free(r);
        if (stat)
            *stat = 0;
        *pvalue = 1.0;
        if (exact)
            *exact = 1;
        return EO_STATUS_OK;
    }
    double *ad = malloc(sizeof(double) * m);
    if (!ad) {
        free(d);
        free(r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "stats: out of memory");
    }
    for (size_t i = 0; i < m; i++)
        ad[i] = fabs(d[i]);
    double ties = 0;
    eo_status st = rank_impl(ad, m, r, &ties, err);
    free(ad);
    if (st) {
        free(d);
        free(r);
        return st;
    }
    double rp = 0, rm = 0;
    for (size_t i = 0; i < m; i++) {
        if (d[i] > 0)
            rp += r[i];
        else
            rm += r[i];
    }
    free(d);
    free(r);
    double T = rp < rm ? rp : rm;
    double p;
    int ex = (m <= 50 && ties == 0);
    if (ex) {
        /* number of subsets of {1..m} with each rank sum: c[s] / 2^m */
        size_t smax = m * (m + 1) / 2;
        double *c = calloc(smax + 1, sizeof(double));
        if (!c)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "stats: out of memory");
        c[0] = 1;
        for (size_t k = 1; k <= m; k++)
            for (size_t s = smax; s >= k; s--)
                c[s] += c[s - k];
        double tot = ldexp(1.0, (int)m), lo = 0, hi = 0;
        size_t tp = (size_t)llround(rp);
        for (size_t s = 0; s <= smax; s++) {
            if (s <= tp)
                lo += c[s];
            if (s >= tp)
                hi += c[s];
        }
        free(c);
        if (2 * tp == smax)
            p = 1.0;
        else
            p = 2.0 * (lo < hi ? lo : hi) / tot;
    } else {
        double mm = (double)m;
        double mn = mm * (mm + 1) * 0.25;
        double se = mm * (mm + 1) * (2 * mm + 1);
        se -= 0.5 * ties; /* sum t(t^2 - 1) / 2 */
        se = sqrt(se / 24.0);
        double z = se > 0 ? (T - mn) / se : 0;
        p = erfc(fabs(z) / sqrt(2.0));
    }
    if (p > 1)
        p = 1;
    if (stat)
        *stat = T;
    *pvalue = p;
    if (exact)
        *exact = ex;
    return EO_STATUS_OK;
}
