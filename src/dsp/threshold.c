/* Wavelet thresholding and threshold selection.
 * - soft/hard/garrote: pywt.threshold (Donoho 1995 soft shrinkage; Gao 1998
 *   non-negative garrote).
 * - universal: t = sigma sqrt(2 ln N) (Donoho & Johnstone 1994, VisuShrink).
 * - SURE: the t minimising Stein's unbiased risk estimate for soft
 *   thresholding of d/sigma (Donoho & Johnstone 1995, JASA 90:1200, eq. 11),
 *   computed as MATLAB thselect 'rigrsure':
 *   risk_k = (N - 2k + sum_{i<=k} s_i + (N-k) s_k)/N with s sorted |d/sigma|^2.
 * - minimax: t = sigma (0.3936 + 0.1829 log2 N) for N > 32, else 0
 *   (Donoho & Johnstone 1994 table; MATLAB thselect 'minimaxi').
 * - sigma: median(|d|)/0.6745 (Donoho & Johnstone 1994). */
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp_internal.h"

void eo_threshold(double *x, size_t n, double t, eo_threshold_mode mode)
{
    if (!x) return;
    for (size_t i = 0; i < n; i++) {
        double v = x[i], a = fabs(v);
        switch (mode) {
        case EO_THRESH_SOFT: {
            double f = a > 0 ? 1.0 - t / a : 0.0; /* pywt: data * max(1 - t/|data|, 0) */
            x[i] = f > 0 ? v * f : 0.0;
            break;
        }
        case EO_THRESH_HARD:
            x[i] = a < t ? 0.0 : v;
            break;
        case EO_THRESH_GARROTE: {
            double f = a > 0 ? 1.0 - (t * t) / (a * a) : 0.0;
            x[i] = f > 0 ? v * f : 0.0;
            break;
        }
        }
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* k-th smallest of t[0..n) (Hoare's selection, expected O(n)); reorders t
 * so that t[0..k) <= t[k]. */
static double select_kth(double *t, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pv = t[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (t[i] < pv) i++;
            while (t[j] > pv) j--;
            if (i <= j) {
                double x = t[i];
                t[i] = t[j];
                t[j] = x;
                i++;
                if (j == 0) break;
                j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else break;
    }
    return t[k];
}

/* median of |d| (numpy.median semantics: mean of the middle pair) / 0.6745 */
double eo_mad_sigma(const double *d, size_t n)
{
    if (!d || n == 0) return 0.0;
    double *t = malloc(n * sizeof *t);
    if (!t) return NAN;
    for (size_t i = 0; i < n; i++) t[i] = fabs(d[i]);
    double m = select_kth(t, n, n / 2);
    if ((n & 1) == 0) {
        double lo = t[0]; /* the largest of t[0..n/2) is the lower middle */
        for (size_t i = 1; i < n / 2; i++)
            if (t[i] > lo) lo = t[i];
        m = 0.5 * (lo + m);
    }
    free(t);
    return m / 0.6745;
}

static double sure_threshold(const double *d, size_t n, double sigma)
{
    if (n == 0 || !(sigma > 0)) return 0.0;
    double *s = malloc(n * sizeof *s);
    if (!s) return NAN;
    for (size_t i = 0; i < n; i++) {
        double v = d[i] / sigma;
        s[i] = v * v;
    }
    qsort(s, n, sizeof *s, cmp_double);
    double cum = 0, best = INFINITY;
    size_t bi = 0;
    for (size_t k = 1; k <= n; k++) {
        cum += s[k - 1];
        double risk = ((double)n - 2.0 * (double)k + cum + (double)(n - k) * s[k - 1]) / (double)n;
        if (risk < best) {
            best = risk;
            bi = k - 1;
        }
    }
    double t = sqrt(s[bi]) * sigma;
    free(s);
    return t;
}

double eo_threshold_value(eo_threshold_rule rule, const double *d, size_t n, size_t n_ref,
                          double sigma)
{
    if (!(sigma >= 0) || !isfinite(sigma)) return NAN;
    switch (rule) {
    case EO_THRULE_UNIVERSAL:
        return n_ref > 1 ? sigma * sqrt(2.0 * log((double)n_ref)) : 0.0;
    case EO_THRULE_SURE:
        return sure_threshold(d, n, sigma);
    case EO_THRULE_MINIMAX:
        return n_ref > 32 ? sigma * (0.3936 + 0.1829 * (log((double)n_ref) / log(2.0))) : 0.0;
    }
    return NAN;
}

void eo_wavelet_denoise_defaults(eo_wavelet_denoise_options *o)
{
    o->wavelet = "db4";
    o->mode = EO_WMODE_SYMMETRIC;
    o->level = 6;
    o->rule = EO_THRULE_UNIVERSAL;
    o->thresh_mode = EO_THRESH_SOFT;
    o->sigma_per_level = 0;
}

eo_status eo_wavelet_denoise(const double *x, size_t n, const eo_wavelet_denoise_options *opts,
                             double *y, eo_error *err)
{
    eo_wavelet_denoise_options o;
    if (opts) o = *opts;
    else eo_wavelet_denoise_defaults(&o);
    if (!x || !y) return eo_error_set(err, EO_STATUS_USAGE, "wavelet_denoise: NULL signal");
    if (o.rule < EO_THRULE_UNIVERSAL || o.rule > EO_THRULE_MINIMAX ||
        o.thresh_mode < EO_THRESH_SOFT || o.thresh_mode > EO_THRESH_GARROTE)
        return eo_error_set(err, EO_STATUS_USAGE, "wavelet_denoise: unknown threshold rule/mode");
    const eo_wavelet *w;
    eo_status st = eo_wavelet_get(o.wavelet, &w, err);
    if (st) return st;
    int maxl = eo_dwt_max_level(n, w->len);
    if (maxl < 1)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "wavelet_denoise: %zu samples too short for %s (needs >= %d)", n,
                            w->name, 2 * (w->len - 1));
    int level = o.level <= 0 || o.level > maxl ? maxl : o.level;
    eo_wavecoefs *c;
    st = eo_wavedec(x, n, w, o.mode, level, &c, err);
    if (st) return st;
    double sigma1 = eo_mad_sigma(c->band[level], c->len[level]);
    for (int i = 1; i <= level; i++) {
        double sg = o.sigma_per_level ? eo_mad_sigma(c->band[i], c->len[i]) : sigma1;
        double t = eo_threshold_value(o.rule, c->band[i], c->len[i], n, sg);
        if (!isfinite(t)) {
            eo_wavecoefs_destroy(c);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "wavelet_denoise: threshold failed");
        }
        eo_threshold(c->band[i], c->len[i], t, o.thresh_mode);
    }
    double *r;
    size_t nr;
    st = eo_waverec(c, w, o.mode, &r, &nr, err);
    eo_wavecoefs_destroy(c);
    if (st) return st;
    memcpy(y, r, (nr < n ? nr : n) * sizeof *y);
    free(r);
    return EO_STATUS_OK;
}
