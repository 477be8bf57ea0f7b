/* Wavelet baseline coder: CDF 9/7 (bior4.4, periodic extension) DWT of
 * each block and signal after removing its rounded mean, one uniform
 * mid-tread quantiser step for every band (the transform is close to
 * orthogonal, so a common step is near MSE-optimal), and the adaptive
 * context-modelled integer coder of entropy.c with contexts from the band
 * and the magnitudes of the two previous coefficients in the band.
 * Rate control: bisection on log(step) for the largest step whose pooled
 * PRDN over the record is at most the target (the classic target-PRD
 * control of wavelet ECG coders, e.g. SPIHT-based ones). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "codec_internal.h"
#include "ecgopt/dsp.h"

#define WC_NEIGH 8 /* octaves of |q[i-1]| + |q[i-2]| */
#define WC_PARENT 3 /* |parent| = 0, 1, >= 2 */
#define WC_CTX_PER_BAND (WC_NEIGH * WC_PARENT)
#define WC_BANDS 9

/* Context: band, octave of the two previous magnitudes in the band, and
 * the magnitude of the parent (same position in the next coarser band):
 * wavelet coefficients of a QRS cluster across scales (as EZW/SPIHT use). */
static int wc_ctx(int band, int32_t q1, int32_t q2, int32_t parent)
{
    uint32_t a = (uint32_t)(q1 < 0 ? -(int64_t)q1 : q1) + (uint32_t)(q2 < 0 ? -(int64_t)q2 : q2);
    int b = eo_bitlen(a);
    if (b > WC_NEIGH - 1)
        b = WC_NEIGH - 1;
    uint32_t pa = (uint32_t)(parent < 0 ? -(int64_t)parent : parent);
    int pc = pa > 2 ? 2 : (int)pa;
    return 1 + band * WC_CTX_PER_BAND + pc * WC_NEIGH + b;
}

static int wc_level(long n, int level, const eo_wavelet *w)
{
    int lmax = n >= 2 ? eo_dwt_max_level((size_t)n, w->len) : 0;
    return level < lmax ? level : lmax;
}

static int32_t mean_adu(const int32_t *x, long n)
{
    if (n <= 0)
        return 0;
    int64_t s = 0;
    for (long i = 0; i < n; i++)
        s += x[i];
    return (int32_t)llround((double)s / (double)n);
}

#ifndef WC_THETA
#define WC_THETA 0.0 /* dead-zone widening of the zero bin, in steps (a dead zone of 0.15-0.3 with matching reconstruction offsets did not improve rate-distortion on MIT-BIH) */
#define WC_DELTA 0.0 /* reconstruction pulled towards zero, in steps */
#endif

/* Quantiser index: sign(c) floor(|c|/step + 1/2 - theta). */
static inline int32_t qround(double c, double step)
{
    double a = floor(fabs(c) / step + 0.5 - WC_THETA);
    if (a < 0)
        a = 0;
    if (a > 1e9)
        a = 1e9;
    return c < 0 ? -(int32_t)a : (int32_t)a;
}

static inline double dequant(int32_t q, double step)
{
    if (q == 0)
        return 0.0;
    double a = (fabs((double)q) - WC_DELTA) * step;
    return q < 0 ? -a : a;
}

/* Reconstruct into y (n samples, adu) from coefficients quantised with step
 * (quantised in place if quant != 0). c may be NULL for level 0 (then x0
 * holds the centred samples). */
static eo_status wc_synth(eo_wavecoefs *c, const eo_wavelet *w, double step, int32_t m, long n,
                          int32_t *y, eo_error *err)
{
    double *r;
    size_t nr;
    eo_status st = eo_waverec(c, w, EO_WMODE_PERIODIZATION, &r, &nr, err);
    if (st)
        return st;
    (void)step;
    for (long i = 0; i < n; i++) {
        double v = (i < (long)nr ? r[i] : 0.0) + m;
        y[i] = eo_clamp_adu(llround(v > 1e9 ? 1e9 : v < -1e9 ? -1e9 : v));
    }
    free(r);
    return EO_STATUS_OK;
}

int eo_wc_encode_block(int32_t *const *x, int n_signals, long n, double step, int level,
                       eo_bytes *out, eo_error *err)
{
    const eo_wavelet *w;
    if (eo_wavelet_get("bior4.4", &w, err))
        return -1;
    eo_int_coder ic;
    if (eo_int_coder_init(&ic, 1 + WC_BANDS * WC_CTX_PER_BAND)) {
        eo_error_set(err, EO_STATUS_NO_MEMORY, "wavelet coder: out of memory");
        return -1;
    }
    double *xd = eo_malloc(sizeof(double) * (size_t)(n ? n : 1));
    int32_t *qp = eo_malloc(sizeof(int32_t) * (size_t)(n + 2));
    int32_t *qc = eo_malloc(sizeof(int32_t) * (size_t)(n + 2));
    if (!xd || !qp || !qc) {
        free(xd);
        free(qp);
        free(qc);
        eo_int_coder_destroy(&ic);
        eo_error_set(err, EO_STATUS_NO_MEMORY, "wavelet coder: out of memory");
        return -1;
    }
    eo_rc_enc rc;
    eo_rc_enc_init(&rc, out);
    int lv = wc_level(n, level, w);
    int ret = 0;
    for (int s = 0; s < n_signals && !ret; s++) {
        int32_t m = mean_adu(x[s], n);
        eo_int_encode(&ic, &rc, 0, m);
        for (long i = 0; i < n; i++)
            xd[i] = (double)x[s][i] - m;
        if (lv < 1) {
            int32_t q1 = 0, q2 = 0;
            for (long i = 0; i < n; i++) {
                int32_t q = qround(xd[i], step);
                eo_int_encode(&ic, &rc, wc_ctx(0, q1, q2, 0), q);
                q2 = q1;
                q1 = q;
            }
            continue;
        }
        eo_wavecoefs *c;
        if (eo_wavedec(xd, (size_t)n, w, EO_WMODE_PERIODIZATION, lv, &c, err)) {
            ret = -1;
            break;
        }
        for (int b = 0; b <= c->level; b++) {
            int32_t q1 = 0, q2 = 0;
            int band = b < WC_BANDS ? b : WC_BANDS - 1;
            for (size_t i = 0; i < c->len[b]; i++) {
                int32_t q = qround(c->band[b][i], step);
                int32_t par = b >= 2 && i / 2 < c->len[b - 1] ? qp[i / 2] : 0;
                eo_int_encode(&ic, &rc, wc_ctx(band, q1, q2, par), q);
                qc[i] = q;
                q2 = q1;
                q1 = q;
            }
            memcpy(qp, qc, sizeof(int32_t) * c->len[b]);
        }
        eo_wavecoefs_destroy(c);
    }
    eo_rc_enc_finish(&rc);
    free(xd);
    free(qp);
    free(qc);
    eo_int_coder_destroy(&ic);
    if (!ret && out->oom) {
        eo_error_set(err, EO_STATUS_NO_MEMORY, "wavelet coder: out of memory");
        ret = -1;
    }
    return ret;
}

int eo_wc_decode_block(const unsigned char *p, size_t len, int n_signals, long n, double step,
                       int level, int32_t *const *y, eo_error *err)
{
    const eo_wavelet *w;
    if (eo_wavelet_get("bior4.4", &w, err))
        return -2;
    eo_int_coder ic;
    if (eo_int_coder_init(&ic, 1 + WC_BANDS * WC_CTX_PER_BAND))
        return -2;
    double *zero = eo_calloc((size_t)(n ? n : 1), sizeof(double));
    int32_t *qp = eo_malloc(sizeof(int32_t) * (size_t)(n + 2));
    int32_t *qc = eo_malloc(sizeof(int32_t) * (size_t)(n + 2));
    if (!zero || !qp || !qc) {
        free(zero);
        free(qp);
        free(qc);
        eo_int_coder_destroy(&ic);
        return -2;
    }
    eo_rc_dec rc;
    eo_rc_dec_init(&rc, p, len);
    int lv = wc_level(n, level, w);
    int ret = 0;
    for (int s = 0; s < n_signals && !ret; s++) {
        int32_t m = eo_int_decode(&ic, &rc, 0);
        if (m > EO_CODEC_MAX_ABS_ADU || m < -EO_CODEC_MAX_ABS_ADU) {
            ret = -1;
            break;
        }
        if (lv < 1) {
            int32_t q1 = 0, q2 = 0;
            for (long i = 0; i < n; i++) {
                int32_t q = eo_int_decode(&ic, &rc, wc_ctx(0, q1, q2, 0));
                y[s][i] = eo_clamp_adu(llround(dequant(q, step)) + m);
                q2 = q1;
                q1 = q;
            }
            continue;
        }
        eo_wavecoefs *c;
        if (eo_wavedec(zero, (size_t)n, w, EO_WMODE_PERIODIZATION, lv, &c, err)) {
            ret = -2;
            break;
        }
        for (int b = 0; b <= c->level && rc.overrun <= 8; b++) {
            int32_t q1 = 0, q2 = 0;
            int band = b < WC_BANDS ? b : WC_BANDS - 1;
            for (size_t i = 0; i < c->len[b]; i++) {
                int32_t par = b >= 2 && i / 2 < c->len[b - 1] ? qp[i / 2] : 0;
                int32_t q = eo_int_decode(&ic, &rc, wc_ctx(band, q1, q2, par));
                c->band[b][i] = dequant(q, step);
                qc[i] = q;
                q2 = q1;
                q1 = q;
            }
            memcpy(qp, qc, sizeof(int32_t) * c->len[b]);
        }
        if (wc_synth(c, w, step, m, n, y[s], err))
            ret = -2;
        eo_wavecoefs_destroy(c);
        if (rc.overrun > 8)
            ret = -1;
    }
    free(zero);
    free(qp);
    free(qc);
    eo_int_coder_destroy(&ic);
    if (!ret && rc.overrun > 4)
        ret = -1;
    return ret;
}

/* ---- rate control ---- */

typedef struct wc_unit {
    eo_wavecoefs *c; /* NULL for level 0 */
    int32_t m;
    long i0, n;
    int s;
} wc_unit;

/* Pooled PRDN (percent) of the reconstruction with this step. */
static eo_status wc_prdn(const eo_wfdb_record *rec, wc_unit *u, long nu, const eo_wavelet *w,
                         double step, const double *den, int32_t *y, eo_wavecoefs *tmp[],
                         double *prdn, eo_error *err)
{
    double num = 0;
    (void)tmp;
    for (long k = 0; k < nu; k++) {
        const int32_t *x = rec->adu[u[k].s] + u[k].i0;
        if (!u[k].c) {
            for (long i = 0; i < u[k].n; i++) {
                int32_t q = qround((double)x[i] - u[k].m, step);
                double d = (double)x[i] - (double)eo_clamp_adu(llround(dequant(q, step)) + u[k].m);
                num += d * d;
            }
            continue;
        }
        eo_wavecoefs *c = u[k].c;
        /* quantise a copy: band storage is one allocation starting at band[0] */
        size_t tot = 0;
        for (int b = 0; b <= c->level; b++)
            tot += c->len[b];
        double *save = eo_malloc(sizeof(double) * tot);
        if (!save)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "wavelet rate control: out of memory");
        size_t o = 0;
        for (int b = 0; b <= c->level; b++) {
            memcpy(save + o, c->band[b], sizeof(double) * c->len[b]);
            for (size_t i = 0; i < c->len[b]; i++)
                c->band[b][i] = dequant(qround(c->band[b][i], step), step);
            o += c->len[b];
        }
        eo_status st = wc_synth(c, w, step, u[k].m, u[k].n, y, err);
        o = 0;
        for (int b = 0; b <= c->level; b++) {
            memcpy(c->band[b], save + o, sizeof(double) * c->len[b]);
            o += c->len[b];
        }
        free(save);
        if (st)
            return st;
        for (long i = 0; i < u[k].n; i++) {
            double d = (double)x[i] - (double)y[i];
            num += d * d;
        }
    }
    *prdn = *den > 0 ? 100.0 * sqrt(num / *den) : (num > 0 ? INFINITY : 0.0);
    return EO_STATUS_OK;
}

eo_status eo_wc_find_step(const eo_wfdb_record *rec, long block_frames, int level,
                          double target_prdn, double *step, eo_error *err)
{
    const eo_wavelet *w;
    eo_status st = eo_wavelet_get("bior4.4", &w, err);
    if (st)
        return st;
    long nb = (rec->n_samples + block_frames - 1) / block_frames;
    long nu = nb * rec->n_signals;
    wc_unit *u = eo_calloc((size_t)(nu ? nu : 1), sizeof *u);
    double *xd = eo_malloc(sizeof(double) * (size_t)block_frames);
    int32_t *y = eo_malloc(sizeof(int32_t) * (size_t)block_frames);
    if (!u || !xd || !y) {
        free(u);
        free(xd);
        free(y);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "wavelet rate control: out of memory");
    }
    double den = 0;
    for (int s = 0; s < rec->n_signals; s++) {
        double mean = 0;
        for (long i = 0; i < rec->n_samples; i++)
            mean += rec->adu[s][i];
        mean /= rec->n_samples > 0 ? (double)rec->n_samples : 1.0;
        for (long i = 0; i < rec->n_samples; i++)
            den += (rec->adu[s][i] - mean) * (rec->adu[s][i] - mean);
    }
    for (long b = 0; b < nb && !st; b++)
        for (int s = 0; s < rec->n_signals && !st; s++) {
            wc_unit *k = &u[b * rec->n_signals + s];
            k->s = s;
            k->i0 = b * block_frames;
            k->n = rec->n_samples - k->i0 < block_frames ? rec->n_samples - k->i0 : block_frames;
            k->m = mean_adu(rec->adu[s] + k->i0, k->n);
            int lv = wc_level(k->n, level, w);
            if (lv >= 1) {
                for (long i = 0; i < k->n; i++)
                    xd[i] = (double)rec->adu[s][k->i0 + i] - k->m;
                st = eo_wavedec(xd, (size_t)k->n, w, EO_WMODE_PERIODIZATION, lv, &k->c, err);
            }
        }
    /* bisection on log2(step): PRDN grows with the step */
    double lo = -4, hi = 14, p = 0;
    if (!st)
        st = wc_prdn(rec, u, nu, w, pow(2, lo), &den, y, NULL, &p, err);
    if (!st && p > target_prdn) {
        *step = pow(2, lo);
    } else {
        for (int it = 0; it < 20 && !st; it++) {
            double mid = 0.5 * (lo + hi);
            st = wc_prdn(rec, u, nu, w, pow(2, mid), &den, y, NULL, &p, err);
            if (st)
                break;
            if (p <= target_prdn)
                lo = mid;
            else
                hi = mid;
        }
        *step = pow(2, lo);
    }
    for (long k = 0; k < nu; k++)
        eo_wavecoefs_destroy(u[k].c);
    free(u);
    free(xd);
    free(y);
    return st;
}
