/* The beat template: a second input for the learned denoiser (learned.c).
 *
 * Noise is not synchronous with the heart and the ECG nearly is, so the
 * median of the signal over neighbouring beats at the same offset from
 * their R peak keeps the ECG and drops most of the noise in the band where
 * the two overlap (1.5-15 Hz: P, T, ST), which no filter can separate
 * (ensemble averaging, the oldest ECG noise remedy).  The network gets the
 * template next to the signal and learns where to trust which: the template
 * is wrong for an ectopic beat, the signal is noisy everywhere.
 *
 * t[i]: the beat j owning sample i (R_j <= i < R_j + split x RR, else the
 * next beat: T belongs to its own beat, P to the next), d = i - R_j, and
 * t[i] = median of p[R_k + d] over the beats k of j's set whose R_k + d lies
 * in the signal; fewer than 3 such beats (or fewer than 3 beats in all):
 * t[i] = p[i].  j's set: all of j-K .. j+K, or (EO_TEMPLATE_SIMILAR) those
 * whose QRS is like j's (beat_sets). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/denoise.h"
#include "ecgopt/qrs.h"

#define TEMPLATE_MAX_SIDE 16
#define TEMPLATE_SPLIT 0.62 /* share of the RR interval owned by the earlier beat */
#define TEMPLATE_FADE 0.05  /* s each side of a split */
/* how far from its R peak a beat's template reaches: every sample of a
 * rhythm with RR <= 2 s is inside; in a
 * longer gap (a pause, a flat line with the leads off, missed beats) the
 * rest is t = p, so the template never carries other beats' waves into a
 * stretch that has none */
#define TEMPLATE_REACH_AFTER 1.5  /* s */
#define TEMPLATE_REACH_BEFORE 0.8 /* s */

static double median_small(double *v, int n)
{
    double hi = eo_select_kth(v, (size_t)n, (size_t)(n / 2));
    if (n % 2)
        return hi;
    double lo = v[0]; /* the largest of the lower half */
    for (int i = 1; i < n / 2; i++)
        lo = v[i] > lo ? v[i] : lo;
    return 0.5 * (lo + hi);
}

/* the median of p at offset d from the beats set[0..m) (p[i] itself when
 * fewer than 3 land inside the signal), and into *sp (if not NULL) their
 * median absolute deviation from it (0 in that case) */
static double template_value(const double *p, size_t n, const long *beats, const size_t *set, int m,
                             long d, size_t i, double *sp)
{
    double v[2 * TEMPLATE_MAX_SIDE + 1];
    int c = 0;
    for (int q = 0; q < m; q++) {
        long s = beats[set[q]] + d;
        if (s >= 0 && s < (long)n)
            v[c++] = p[s];
    }
    if (sp)
        *sp = 0;
    if (c < 3)
        return p[i];
    double med = median_small(v, c);
    if (sp) {
        for (int q = 0; q < c; q++)
            v[q] = fabs(v[q] - med);
        *sp = median_small(v, c);
    }
    return med;
}

/* For each beat j, its set among j-side .. j+side: all of them, or
 * (similar) those whose QRS is like j's.  Likeness: the sum of squared
 * differences of the slope p[i+lag] - p[i-lag] over +-SIMILAR_HALF around
 * R.  A beat is in if its distance is at most SIMILAR_KAPPA x that of j's
 * SIMILAR_REF-th nearest neighbour: in a steady rhythm every neighbour is
 * about as near as the third (noise sets the distances) and all are in; a
 * PVC among normal beats has its few PVC neighbours near and the normal
 * beats far, so its template is a PVC (measured on DS1 with NSTDB bw,
 * template alone, mean beat SSD: 208 19.8 -> 3.2, 106 12.2 -> 3.0, 230
 * 2.7 -> 1.2, 122 0.35 -> 0.31; 10 x 20-s segments each).
 * set: nb x (2 side + 1), ordered by distance (j first); cnt: nb. */
#define SIMILAR_HALF 0.1  /* s */
/* the slope over +-1/40 s (9 samples at 360 Hz): smooth enough that muscle
 * noise does not decide which beats look alike (template alone on DS1 with
 * NSTDB ma, mean beat SSD: lag 3 samples 2.99, lag 9 2.79, all beats 3.04) */
#define SIMILAR_LAG_HZ 40.0
#define SIMILAR_KAPPA 2.0
#define SIMILAR_REF 3
static void beat_sets(const double *p, size_t n, double fs, const long *beats, size_t nb, int side,
                      int similar, size_t *set, int *cnt)
{
    const long H = lround(SIMILAR_HALF * fs), lag = fs >= 80 ? lround(fs / SIMILAR_LAG_HZ) : 1;
    const size_t W = 2 * (size_t)side + 1;
    for (size_t j = 0; j < nb; j++) {
        size_t *sj = set + j * W;
        size_t k0 = j >= (size_t)side ? j - (size_t)side : 0, k1 = j + (size_t)side;
        if (k1 >= nb)
            k1 = nb - 1;
        int c = 0;
        if (!similar) {
            for (size_t k = k0; k <= k1; k++)
                sj[c++] = k;
            cnt[j] = c;
            continue;
        }
        double dist[2 * TEMPLATE_MAX_SIDE + 1];
        for (size_t k = k0; k <= k1; k++) {
            double dd = 0;
            for (long d = -H; d <= H; d++) {
                long a = beats[j] + d, b = beats[k] + d;
                double ga = (a - lag >= 0 && a + lag < (long)n) ? p[a + lag] - p[a - lag] : 0;
                double gb = (b - lag >= 0 && b + lag < (long)n) ? p[b + lag] - p[b - lag] : 0;
                dd += (ga - gb) * (ga - gb);
            }
            /* insertion by (distance, distance in beats): j itself first */
            long gap = labs((long)k - (long)j);
            int q = c++;
            while (q > 0 && (dist[q - 1] > dd ||
                             (dist[q - 1] == dd && labs((long)sj[q - 1] - (long)j) > gap))) {
                dist[q] = dist[q - 1];
                sj[q] = sj[q - 1];
                q--;
            }
            dist[q] = dd;
            sj[q] = k;
        }
        double lim = SIMILAR_KAPPA * dist[c > SIMILAR_REF ? SIMILAR_REF : c - 1];
        int q = 0;
        while (q < c && dist[q] <= lim)
            q++;
        cnt[j] = q >= 3 ? q : (c < 3 ? c : 3);
    }
}

eo_status eo_denoise_beat_template_at(const double *p, size_t n, double fs_hz, const long *beats,
                                      size_t nb, int side, int select, double *t, double *spread,
                                      eo_error *err)
{
    if (!p || !t || (nb && !beats))
        return eo_error_set(err, EO_STATUS_USAGE, "beat template: NULL argument");
    if (side < 1 || side > TEMPLATE_MAX_SIDE)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "beat template: %d beats each side (1..%d)",
                            side, TEMPLATE_MAX_SIDE);
    if (!(fs_hz > 0))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "beat template: sampling rate %g Hz", fs_hz);
    if (select != EO_TEMPLATE_ALL && select != EO_TEMPLATE_SIMILAR)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "beat template: selection %d (0 all, 1 similar)",
                            select);
    memcpy(t, p, n * sizeof *t);
    if (spread)
        memset(spread, 0, n * sizeof *spread);
    if (nb < 3)
        return EO_STATUS_OK;
    const size_t W = 2 * (size_t)side + 1;
    size_t *set = malloc(nb * W * sizeof *set);
    int *cnt = malloc(nb * sizeof *cnt);
    if (!set || !cnt) {
        free(set);
        free(cnt);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "beat template: out of memory for %zu beats", nb);
    }
    beat_sets(p, n, fs_hz, beats, nb, side, select == EO_TEMPLATE_SIMILAR, set, cnt);
    const double fade = TEMPLATE_FADE * fs_hz;
    const long after = lround(TEMPLATE_REACH_AFTER * fs_hz), before = lround(TEMPLATE_REACH_BEFORE * fs_hz);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        /* owner: the last beat whose share reaches past i */
        while (j + 1 < nb &&
               (double)i >= (double)beats[j] + TEMPLATE_SPLIT * (double)(beats[j + 1] - beats[j]))
            j++;
        /* < 0 before the first beat: its P wave */
        double sv = 0, *svp = spread ? &sv : NULL;
        double v = template_value(p, n, beats, set + j * W, cnt[j], (long)i - beats[j], i, svp);
        /* cross-fade over TEMPLATE_FADE samples each side of a split, so the
         * template has no step there (a step is noise at every frequency) */
        for (int e = -1; e <= 1; e += 2) {
            size_t a = e < 0 ? j - 1 : j, b = a + 1; /* the split between beats a and b */
            if ((e < 0 && j == 0) || b >= nb)
                continue;
            double sp = (double)beats[a] + TEMPLATE_SPLIT * (double)(beats[b] - beats[a]);
            double u = ((double)i - sp) / fade; /* -1 .. 1 across the fade */
            if (u <= -1 || u >= 1)
                continue;
            size_t other = e < 0 ? a : b;
            double w = 0.5 * (1 - fabs(u)); /* the other beat's weight: 1/2 at the split */
            double so = 0;
            double vo = template_value(p, n, beats, set + other * W, cnt[other], (long)i - beats[other], i,
                                       svp ? &so : NULL);
            v = (1 - w) * v + w * vo;
            sv = (1 - w) * sv + w * so;
        }
        long d = (long)i - beats[j];
        int out = d > after || d < -before;
        t[i] = out ? p[i] : v;
        if (spread)
            spread[i] = out ? 0 : sv;
    }
    free(set);
    free(cnt);
    return EO_STATUS_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Align the detected beats on each other: the detector's fiducial point
 * jitters by a few samples on a noisy signal, and a template built on
 * jittered beats smears the QRS (measured: most of its error on noisy
 * windows was at 5-15 Hz, none of it on the clean ones).  Each beat moves
 * by the shift within +-ALIGN_SHIFT that best correlates the slope of p
 * around it with the median slope of all beats (the slope, not p, so that
 * the wander left in p does not pull the alignment). */
#define ALIGN_HALF 0.06  /* s each side of R in the correlation */
#define ALIGN_SHIFT 0.03 /* s, the largest move */
#define ALIGN_LAG 3      /* samples: the slope p[i+3] - p[i-3], smoother than a first difference */
static eo_status align_beats(const double *p, size_t n, double fs, long *beats, size_t nb,
                             eo_error *err)
{
    const long H = (long)(ALIGN_HALF * fs + 0.5), S = (long)(ALIGN_SHIFT * fs + 0.5);
    if (nb < 3 || H < 2)
        return EO_STATUS_OK;
    double *ref = malloc((size_t)(2 * H + 1) * sizeof *ref), *col = malloc(nb * sizeof *col);
    long *moved = malloc(nb * sizeof *moved);
    if (!ref || !col || !moved) {
        free(ref);
        free(col);
        free(moved);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "beat template: out of memory for %zu beats", nb);
    }
    for (long d = -H; d <= H; d++) {
        size_t m = 0;
        for (size_t k = 0; k < nb; k++) {
            long s = beats[k] + d;
            if (s >= ALIGN_LAG && s + ALIGN_LAG < (long)n)
                col[m++] = p[s + ALIGN_LAG] - p[s - ALIGN_LAG];
        }
        qsort(col, m, sizeof *col, cmp_double);
        ref[d + H] = m ? (m % 2 ? col[m / 2] : 0.5 * (col[m / 2 - 1] + col[m / 2])) : 0;
    }
    for (size_t k = 0; k < nb; k++) {
        long best = 0;
        double bv = -INFINITY;
        for (long sh = -S; sh <= S; sh++) {
            long c0 = beats[k] + sh;
            if (c0 - H < ALIGN_LAG || c0 + H + ALIGN_LAG >= (long)n)
                continue;
            double v = 0;
            for (long d = -H; d <= H; d++)
                v += (p[c0 + d + ALIGN_LAG] - p[c0 + d - ALIGN_LAG]) * ref[d + H];
            if (v > bv) {
                bv = v;
                best = sh;
            }
        }
        moved[k] = beats[k] + best;
    }
    /* keep the order (two beats closer than 2 S could cross) */
    for (size_t k = 0; k < nb; k++)
        beats[k] = (k && moved[k] <= beats[k - 1]) ? beats[k - 1] + 1 : moved[k];
    free(ref);
    free(col);
    free(moved);
    return EO_STATUS_OK;
}

eo_status eo_denoise_beat_template(const double *p, size_t n, double fs_hz, int side, int select,
                                   double *t, double *spread, eo_error *err)
{
    if (!p || !t)
        return eo_error_set(err, EO_STATUS_USAGE, "beat template: NULL argument");
    eo_qrs_options qo;
    eo_qrs_defaults(&qo, fs_hz);
    long *beats = NULL;
    size_t nb = 0;
    eo_status st = eo_qrs_detect(p, n, &qo, &beats, &nb, err);
    if (!st)
        st = align_beats(p, n, fs_hz, beats, nb, err);
    if (!st)
        st = eo_denoise_beat_template_at(p, n, fs_hz, beats, nb, side, select, t, spread, err);
    free(beats);
    return st;
}

const char *eo_template_select_name(int select)
{
    return select == EO_TEMPLATE_SIMILAR ? "similar" : select == EO_TEMPLATE_ALL ? "all" : "?";
}

int eo_template_select_parse(const char *s)
{
    return !s ? -1 : !strcmp(s, "all") ? EO_TEMPLATE_ALL : !strcmp(s, "similar") ? EO_TEMPLATE_SIMILAR : -1;
}
