/* Streaming QRS detector: Pan-Tompkins front end, Hamilton-Tompkins decision
 * rules.
 *
 * Front end (Pan & Tompkins, IEEE TBME 32(3), 1985):
 *   band-pass   2nd-order Butterworth high-pass at band_low_hz cascaded with a
 *               2nd-order Butterworth low-pass at band_high_hz (bilinear
 *               transform with pre-warping), designed for any fs instead of
 *               PT's integer filters that exist only for 200 Hz (eqs. 1-4);
 *   derivative  PT's five-point derivative (eq. 5)
 *               y = (2x[n] + x[n-h] - x[n-3h] - 2x[n-4h]) * fs / (8h),
 *               with h = round(fs/200) so its frequency response is PT's;
 *   squaring    PT eq. 6 (or |.| as Hamilton & Tompkins; option);
 *   integration moving window of integration_ms (PT eq. 7; HT use 80 ms).
 * Decision rules (Hamilton & Tompkins, IEEE TBME 33(12), 1986, rules 1-6):
 *   peaks of the integrated signal are maxima followed by a fall to half or
 *   95 ms; a peak is ignored if a larger one follows within 200 ms (blanking);
 *   detection threshold  DT = NPL + TH * (QPL - NPL), NPL/QPL the medians of
 *   the last 8 noise / QRS peak levels; a peak above DT more than the
 *   refractory period after the previous QRS is a QRS unless
 *     - it lies within twave_ms of the previous QRS and its maximum slope is
 *       less than twave_slope_ratio of the previous QRS's (PT's T-wave rule),
 *       or less than twave_wide_ratio of it while the wave is at least
 *       twave_wide_ms wide (ecgopt's addition: the large, broad T wave after
 *       a wide ventricular beat has more than 0.3 of that beat's low slope,
 *       but no QRS is that wide with so little slope),
 *     - or its derivative lacks one of the two slopes of a QRS (HT's
 *       baseline-shift check);
 *   if no QRS is found for searchback_rr x median RR, the largest peak above
 *   DT/2 seen since then (and at least twave_ms after the previous QRS) is a
 *   QRS (search-back).
 * Learning: the first learn_s seconds set QPL to their largest peak; their
 * peaks are then replayed through the rules, so early beats are not lost. */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/qrs.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define NBUF 8

typedef struct peak {
    long t;        /* sample of the integrated-signal maximum */
    double v;      /* its value */
    long fid;      /* fiducial (R peak), input samples */
    double slope;  /* max |derivative| over the QRS */
    double width;  /* samples between the first and last |derivative| >= slope/4 */
    int bls_ok;    /* has both slopes of a QRS */
} peak;

typedef struct biquad {
    double b0, b1, b2, a1, a2, z1, z2;
} biquad;

struct eo_qrs {
    eo_qrs_options o;
    double fs;
    int square;
    biquad hp, lp;
    double gd;          /* band-pass group delay at the band centre, samples */
    int h;              /* derivative step */
    long w;             /* integration window, samples */
    long ms95, blank, refr, twave, win_bls, ms150;
    long wide;          /* twave_wide_ms in samples, 0 off */
    /* history rings (power of two) of bp, derivative and integrand */
    double *bp, *der, *sq;
    long ring, mask;
    double sum;         /* running integral */
    long n;             /* samples seen */
    double last_x;
    double x0;          /* first finite sample, subtracted (no start-up step) */
    int have_x0;
    int finished;
    /* peak detector on the integrated signal */
    double cur_max;
    long cur_t;
    int held_valid;
    peak held;
    long held_until;
    /* learning */
    long learn_n;
    int learning;
    peak *lp_buf;
    size_t lp_n, lp_cap;
    /* decision state */
    double qrs_lv[NBUF], noise_lv[NBUF], rr[NBUF];
    int qi, ni, ri;
    long last_qrs_t;
    long last_decay_t;  /* last QRS or threshold decay */
    long silence;       /* samples without a QRS before the levels decay */
    double last_slope;
    int n_qrs;
    int sb_valid;
    peak sb;
    /* output queue */
    long *out;
    size_t out_head, out_n, out_cap;
    long last_out;
};

void eo_qrs_defaults(eo_qrs_options *o, double fs_hz)
{
    memset(o, 0, sizeof *o);
    o->fs_hz = fs_hz;
    o->band_low_hz = 5.0;
    o->band_high_hz = 15.0;
    o->integration_ms = 120.0;
    o->refractory_ms = 200.0;
    o->twave_ms = 360.0;
    o->twave_slope_ratio = 0.3;
    o->twave_wide_ms = 140.0;
    o->twave_wide_ratio = 0.6;

    o->threshold = 0.45;
    o->searchback_rr = 1.5;
    o->learn_s = 2.0;
    o->baseline_check = 1;
    o->squaring = 0;
}

/* Bilinear-transform 2nd-order Butterworth section, pre-warped cut-off. */
static void design(biquad *b, double fc, double fs, int high)
{
    double k = tan(M_PI * fc / fs);
    double q = sqrt(2.0);
    double norm = 1.0 / (1.0 + q * k + k * k);
    if (high) {
        b->b0 = norm;
        b->b1 = -2.0 * norm;
        b->b2 = norm;
    } else {
        b->b0 = k * k * norm;
        b->b1 = 2.0 * k * k * norm;
        b->b2 = k * k * norm;
    }
    b->a1 = 2.0 * (k * k - 1.0) * norm;
    b->a2 = (1.0 - q * k + k * k) * norm;
    b->z1 = b->z2 = 0.0;
}

static double complex bq_response(const biquad *b, double w)
{
    double complex z1 = cexp(-I * w), z2 = cexp(-2.0 * I * w);
    return (b->b0 + b->b1 * z1 + b->b2 * z2) / (1.0 + b->a1 * z1 + b->a2 * z2);
}

static inline double bq_step(biquad *b, double x)
{
    double y = b->b0 * x + b->z1;
    b->z1 = b->b1 * x - b->a1 * y + b->z2;
    b->z2 = b->b2 * x - b->a2 * y;
    return y;
}

eo_status eo_qrs_create(const eo_qrs_options *o, eo_qrs **out, eo_error *err)
{
    *out = NULL;
    if (!o)
        return eo_error_set(err, EO_STATUS_USAGE, "qrs: options are NULL");
    double fs = o->fs_hz;
    if (!(fs >= 50.0 && fs <= 10000.0))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "qrs: sampling rate %g Hz outside 50..10000 Hz", fs);
    if (!(o->band_low_hz > 0.0 && o->band_high_hz > o->band_low_hz &&
          o->band_high_hz < 0.45 * fs))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "qrs: band-pass %g..%g Hz invalid at fs %g Hz (need 0 < low < high < "
                            "0.45 fs)",
                            o->band_low_hz, o->band_high_hz, fs);
    if (!(o->integration_ms >= 10.0 && o->integration_ms <= 500.0))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "qrs: integration window %g ms outside 10..500 ms", o->integration_ms);
    if (!(o->refractory_ms >= 50.0 && o->refractory_ms <= 1000.0) ||
        !(o->twave_ms >= o->refractory_ms && o->twave_ms <= 2000.0))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "qrs: refractory %g ms / T-wave window %g ms invalid (50 <= refractory "
                            "<= T-wave <= 2000)",
                            o->refractory_ms, o->twave_ms);
    if (!(o->twave_wide_ms >= 0.0 && o->twave_wide_ms <= 1000.0) ||
        !(o->twave_wide_ratio >= 0.0 && o->twave_wide_ratio <= 1.0))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "qrs: wide T-wave rule %g ms (0..1000) / ratio %g (0..1) out of range",
                            o->twave_wide_ms, o->twave_wide_ratio);
    if (!(o->twave_slope_ratio >= 0.0 && o->twave_slope_ratio <= 1.0) ||
        !(o->threshold > 0.0 && o->threshold < 1.0) ||
        !(o->searchback_rr >= 1.0 && o->searchback_rr <= 5.0) ||
        !(o->learn_s >= 0.5 && o->learn_s <= 60.0))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "qrs: slope ratio %g (0..1), threshold %g (0..1), search-back %g RR "
                            "(1..5) or learning %g s (0.5..60) out of range",
                            o->twave_slope_ratio, o->threshold, o->searchback_rr, o->learn_s);
    eo_qrs *q = calloc(1, sizeof *q);
    if (!q)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "qrs: out of memory");
    q->o = *o;
    q->fs = fs;
    q->square = o->squaring != 0;
    design(&q->hp, o->band_low_hz, fs, 1);
    design(&q->lp, o->band_high_hz, fs, 0);
    /* group delay -d(phase)/dw at the geometric band centre */
    double wc = 2.0 * M_PI * sqrt(o->band_low_hz * o->band_high_hz) / fs, dw = 1e-4;
    double complex h1 = bq_response(&q->hp, wc - dw) * bq_response(&q->lp, wc - dw);
    double complex h2 = bq_response(&q->hp, wc + dw) * bq_response(&q->lp, wc + dw);
    double dphi = carg(h2 / h1);
    q->gd = -dphi / (2.0 * dw);
    q->h = (int)lround(fs / 200.0);
    if (q->h < 1)
        q->h = 1;
    q->w = lround(o->integration_ms * fs / 1000.0);
    if (q->w < 1)
        q->w = 1;
    q->ms95 = lround(0.095 * fs);
    q->blank = lround(0.2 * fs);
    q->refr = lround(o->refractory_ms * fs / 1000.0);
    q->twave = lround(o->twave_ms * fs / 1000.0);
    q->wide = o->twave_wide_ms > 0 ? lround(o->twave_wide_ms * fs / 1000.0) : 0;
    q->ms150 = lround(0.15 * fs);
    q->silence = lround(3.0 * fs);
    q->win_bls = q->w + lround(0.1 * fs);
    long need = q->w + q->ms95 + q->win_bls + 4L * q->h + lround(0.1 * fs) + (long)q->gd + 16;
    q->ring = 1;
    while (q->ring < need)
        q->ring <<= 1;
    q->mask = q->ring - 1;
    q->bp = calloc((size_t)q->ring, sizeof(double));
    q->der = calloc((size_t)q->ring, sizeof(double));
    q->sq = calloc((size_t)q->ring, sizeof(double));
    if (!q->bp || !q->der || !q->sq) {
        eo_qrs_destroy(q);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "qrs: out of memory");
    }
    q->learn_n = lround(o->learn_s * fs);
    q->learning = 1;
    for (int i = 0; i < NBUF; i++)
        q->rr[i] = fs; /* 60 bpm until measured */
    q->last_qrs_t = 0;
    q->last_out = -1;
    *out = q;
    return EO_STATUS_OK;
}

void eo_qrs_destroy(eo_qrs *q)
{
    if (!q)
        return;
    free(q->bp);
    free(q->der);
    free(q->sq);
    free(q->lp_buf);
    free(q->out);
    free(q);
}

static double median8(const double *v)
{
    double s[NBUF];
    memcpy(s, v, sizeof s);
    for (int i = 1; i < NBUF; i++) {
        double x = s[i];
        int j = i - 1;
        while (j >= 0 && s[j] > x) {
            s[j + 1] = s[j];
            j--;
        }
        s[j + 1] = x;
    }
    return 0.5 * (s[NBUF / 2 - 1] + s[NBUF / 2]);
}

static eo_status emit(eo_qrs *q, long fid, eo_error *err)
{
    if (fid <= q->last_out)
        fid = q->last_out + 1;
    if (q->out_head > 0 && q->out_head == q->out_n) {
        q->out_head = q->out_n = 0;
    }
    if (q->out_n == q->out_cap) {
        if (q->out_head > 0) {
            memmove(q->out, q->out + q->out_head, (q->out_n - q->out_head) * sizeof(long));
            q->out_n -= q->out_head;
            q->out_head = 0;
        }
        if (q->out_n == q->out_cap) {
            size_t cap = q->out_cap ? 2 * q->out_cap : 64;
            long *p = realloc(q->out, cap * sizeof(long));
            if (!p)
                return eo_error_set(err, EO_STATUS_NO_MEMORY, "qrs: out of memory");
            q->out = p;
            q->out_cap = cap;
        }
    }
    q->out[q->out_n++] = fid;
    q->last_out = fid;
    return EO_STATUS_OK;
}

static double det_threshold(const eo_qrs *q)
{
    double qp = median8(q->qrs_lv), np = median8(q->noise_lv);
    return np + q->o.threshold * (qp - np);
}

static eo_status accept_qrs(eo_qrs *q, const peak *p, eo_error *err)
{
    if (q->n_qrs > 0) {
        long rr = p->t - q->last_qrs_t;
        q->rr[q->ri] = (double)rr;
        q->ri = (q->ri + 1) % NBUF;
    }
    q->qrs_lv[q->qi] = p->v;
    q->qi = (q->qi + 1) % NBUF;
    q->last_qrs_t = p->t;
    q->last_decay_t = p->t;
    q->last_slope = p->slope;
    q->n_qrs++;
    q->sb_valid = 0;
    return emit(q, p->fid, err);
}

static void add_noise(eo_qrs *q, const peak *p)
{
    q->noise_lv[q->ni] = p->v;
    q->ni = (q->ni + 1) % NBUF;
}

/* Search-back (HT rule 5): no QRS for searchback_rr x RR -> best candidate. */
static eo_status check_searchback(eo_qrs *q, long now, eo_error *err)
{
    if (!q->sb_valid)
        return EO_STATUS_OK;
    double rr = median8(q->rr);
    if ((double)(now - q->last_qrs_t) > q->o.searchback_rr * rr + (double)q->blank) {
        peak c = q->sb;
        q->sb_valid = 0;
        if (c.v > 0.5 * det_threshold(q) && c.t - q->last_qrs_t >= q->twave)
            return accept_qrs(q, &c, err);
    }
    return EO_STATUS_OK;
}

static eo_status decide(eo_qrs *q, const peak *p, eo_error *err)
{
    eo_status st = check_searchback(q, p->t, err);
    if (st)
        return st;
    double dt = det_threshold(q);
    long since = p->t - q->last_qrs_t;
    int first = q->n_qrs == 0;
    if (p->v > dt && (first || since >= q->refr)) {
        int is_t = !first && since < q->twave &&
                   (p->slope < q->o.twave_slope_ratio * q->last_slope ||
                    (q->wide > 0 && p->width >= (double)q->wide &&
                     p->slope < q->o.twave_wide_ratio * q->last_slope));
        int bls_bad = q->o.baseline_check && !p->bls_ok;
        if (!is_t && !bls_bad)
            return accept_qrs(q, p, err);
    }
    add_noise(q, p);
    if ((first || since >= q->twave) && (!q->sb_valid || p->v > q->sb.v)) {
        q->sb = *p;
        q->sb_valid = 1;
    }
    return EO_STATUS_OK;
}

/* A peak of the integrated signal at time t, emitted at time q->n-1: measure
 * its fiducial point, slope and baseline-shift flag from the rings. */
static void measure(eo_qrs *q, peak *p)
{
    long now = q->n - 1;
    long lo = p->t - q->w - 2L * q->h - lround(0.05 * q->fs);
    long hi = p->t;
    if (lo < 0)
        lo = 0;
    if (lo < now - q->ring + 1)
        lo = now - q->ring + 1;
    double best = -1.0, smax = 0.0, dmax = -HUGE_VAL, dmin = HUGE_VAL;
    long bt = hi, tmax = hi, tmin = hi;
    for (long k = lo; k <= hi; k++) {
        double a = fabs(q->bp[k & q->mask]);
        if (a > best) {
            best = a;
            bt = k;
        }
        double d = q->der[k & q->mask];
        if (fabs(d) > smax)
            smax = fabs(d);
        if (d > dmax) {
            dmax = d;
            tmax = k;
        }
        if (d < dmin) {
            dmin = d;
            tmin = k;
        }
    }
    long k0 = -1, k1 = -1;
    for (long k = lo; k <= hi; k++)
        if (fabs(q->der[k & q->mask]) >= 0.25 * smax) {
            if (k0 < 0)
                k0 = k;
            k1 = k;
        }
    p->width = k0 >= 0 ? (double)(k1 - k0) : 0.0;
    long fid = bt - lround(q->gd);
    p->fid = fid < 0 ? 0 : fid;
    p->slope = smax;
    double amax = dmax, amin = -dmin;
    p->bls_ok = amax > amin / 8.0 && amin > amax / 8.0 && labs(tmax - tmin) < q->ms150;
}

static eo_status end_learning(eo_qrs *q, eo_error *err)
{
    q->learning = 0;
    double mx = 0.0;
    for (size_t i = 0; i < q->lp_n; i++)
        if (q->lp_buf[i].v > mx)
            mx = q->lp_buf[i].v;
    for (int i = 0; i < NBUF; i++) {
        q->qrs_lv[i] = mx;
        q->noise_lv[i] = 0.0;
    }
    for (size_t i = 0; i < q->lp_n; i++) {
        eo_status st = decide(q, &q->lp_buf[i], err);
        if (st)
            return st;
    }
    q->lp_n = 0;
    return EO_STATUS_OK;
}

/* A blanked peak is final: learn it or decide on it. */
static eo_status new_peak(eo_qrs *q, const peak *p, eo_error *err)
{
    if (q->learning) {
        if (q->lp_n == q->lp_cap) {
            size_t cap = q->lp_cap ? 2 * q->lp_cap : 32;
            peak *b = realloc(q->lp_buf, cap * sizeof(peak));
            if (!b)
                return eo_error_set(err, EO_STATUS_NO_MEMORY, "qrs: out of memory");
            q->lp_buf = b;
            q->lp_cap = cap;
        }
        q->lp_buf[q->lp_n++] = *p;
        return EO_STATUS_OK;
    }
    return decide(q, p, err);
}

eo_status eo_qrs_process(eo_qrs *q, const double *x, size_t n, eo_error *err)
{
    if (!q)
        return eo_error_set(err, EO_STATUS_USAGE, "qrs: detector is NULL");
    if (q->finished)
        return eo_error_set(err, EO_STATUS_USAGE, "qrs: process() after finish()");
    if (n > 0 && !x)
        return eo_error_set(err, EO_STATUS_USAGE, "qrs: samples are NULL");
    const long h = q->h, m = q->mask;
    const double dscale = q->fs / (8.0 * (double)h);
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        if (!isfinite(v))
            v = q->have_x0 ? q->last_x : 0.0;
        else if (!q->have_x0) {
            /* the filters start at rest: removing the first value avoids
             * the step response of a signal that does not start at 0 */
            q->x0 = v;
            q->have_x0 = 1;
        }
        q->last_x = v;
        v -= q->x0;
        long t = q->n;
        double b = bq_step(&q->lp, bq_step(&q->hp, v));
        q->bp[t & m] = b;
        double d = 0.0;
        if (t >= 4 * h)
            d = (2.0 * b + q->bp[(t - h) & m] - q->bp[(t - 3 * h) & m] -
                 2.0 * q->bp[(t - 4 * h) & m]) *
                dscale;
        q->der[t & m] = d;
        double s = q->square ? d * d : fabs(d);
        q->sq[t & m] = s;
        q->sum += s;
        if (t >= q->w)
            q->sum -= q->sq[(t - q->w) & m];
        if (q->sum < 0.0)
            q->sum = 0.0;
        double y = q->sum / (double)q->w;
        q->n++;
        /* HT peak detector: a maximum followed by a fall to half or 95 ms */
        int have = 0;
        peak p;
        if (y > q->cur_max) {
            q->cur_max = y;
            q->cur_t = t;
        } else if (q->cur_max > 0.0 && (y < 0.5 * q->cur_max || t - q->cur_t > q->ms95)) {
            p.t = q->cur_t;
            p.v = q->cur_max;
            measure(q, &p);
            have = 1;
            q->cur_max = 0.0;
        }
        /* 200 ms blanking: a peak stands only if no larger one follows */
        eo_status st = EO_STATUS_OK;
        if (have) {
            if (!q->held_valid || p.v > q->held.v) {
                q->held = p;
                q->held_valid = 1;
                q->held_until = t + q->blank;
            }
        } else if (q->held_valid && t >= q->held_until) {
            q->held_valid = 0;
            st = new_peak(q, &q->held, err);
        }
        if (!st && q->learning && t + 1 >= q->learn_n && !q->held_valid)
            st = end_learning(q, err);
        if (!st && !q->learning) {
            st = check_searchback(q, t, err);
            /* Recovery (not in PT/HT): after 3 s without a QRS -- e.g. when
             * a large artefact inflated the levels so that even search-back's
             * DT/2 is out of reach -- halve the QRS and noise levels, and
             * again every 3 s, until beats are found. */
            if (t - q->last_decay_t > q->silence) {
                for (int k = 0; k < NBUF; k++) {
                    q->qrs_lv[k] *= 0.5;
                    q->noise_lv[k] *= 0.5;
                }
                q->last_decay_t = t;
            }
        }
        if (st)
            return st;
    }
    return EO_STATUS_OK;
}

eo_status eo_qrs_finish(eo_qrs *q, eo_error *err)
{
    if (!q)
        return eo_error_set(err, EO_STATUS_USAGE, "qrs: detector is NULL");
    if (q->finished)
        return EO_STATUS_OK;
    q->finished = 1;
    eo_status st = EO_STATUS_OK;
    if (q->cur_max > 0.0) {
        peak p = {.t = q->cur_t, .v = q->cur_max};
        measure(q, &p);
        q->cur_max = 0.0;
        if (!q->held_valid || p.v > q->held.v) {
            q->held = p;
            q->held_valid = 1;
        }
    }
    if (q->held_valid) {
        q->held_valid = 0;
        st = new_peak(q, &q->held, err);
    }
    if (!st && q->learning)
        st = end_learning(q, err);
    /* a pending search-back candidate counts as if the gap ran out */
    if (!st && q->sb_valid)
        st = check_searchback(q, q->n + (long)(q->o.searchback_rr * median8(q->rr)) + q->blank + 1,
                              err);
    return st;
}

size_t eo_qrs_take(eo_qrs *q, long *out, size_t max)
{
    if (!q || !out)
        return 0;
    size_t k = q->out_n - q->out_head;
    if (k > max)
        k = max;
    if (k == 0)
        return 0; /* q->out may still be NULL */
    memcpy(out, q->out + q->out_head, k * sizeof(long));
    q->out_head += k;
    return k;
}

size_t eo_qrs_pending(const eo_qrs *q)
{
    return q ? q->out_n - q->out_head : 0;
}

eo_status eo_qrs_detect(const double *x, size_t n, const eo_qrs_options *o, long **beats,
                        size_t *n_beats, eo_error *err)
{
    *beats = NULL;
    *n_beats = 0;
    eo_qrs *q;
    eo_status st = eo_qrs_create(o, &q, err);
    if (st)
        return st;
    st = eo_qrs_process(q, x, n, err);
    if (!st)
        st = eo_qrs_finish(q, err);
    if (st) {
        eo_qrs_destroy(q);
        return st;
    }
    size_t k = eo_qrs_pending(q);
    if (k > 0) {
        long *b = malloc(k * sizeof(long));
        if (!b) {
            eo_qrs_destroy(q);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "qrs: out of memory (%zu beats)", k);
        }
        eo_qrs_take(q, b, k);
        *beats = b;
        *n_beats = k;
    }
    eo_qrs_destroy(q);
    return EO_STATUS_OK;
}
