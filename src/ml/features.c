/* Hand-made beat features for the gradient-boosting model.
 *
 * RR features as de Chazal et al. 2004 (IEEE TBME 51(7) II-C) plus ratios
 * (rr_features.c), and morphology measured RELATIVE TO THE BEAT'S OWN
 * RECORD: each record's median beat (the per-sample median over all its
 * beats, dominated by the patient's normal beats, computed without labels so
 * it works on detector output too) is the reference; a beat is described by
 * its down-sampled window scaled by that template's peak, its correlation
 * with the template over the whole window and over the P (before QRS), QRS
 * and T segments, and its distance from it.  Patient-relative morphology
 * is what lets a model trained on DS1 patients judge DS2 patients (the
 * inter-patient problem of de Chazal 2004 and Llamedo & Martinez 2011). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/ml.h"
#include "ml_internal.h"

#define N_MORPH 13
/* Only the dimensionless RR ratios: absolute intervals in seconds describe
 * the training patients' heart rates and do not carry to new patients (on
 * DS1 -> DS2 adding them, or the down-sampled waveform, cut SVEB Se from
 * ~80% to ~30%; docs/classification.md). */
static const int rr_used[] = {EO_RR_PRE_LOCAL, EO_RR_POST_LOCAL, EO_RR_PRE_RECORD, EO_RR_POST_PRE,
                              EO_RR_LOCAL_RECORD};
#define N_RR_USED ((int)(sizeof rr_used / sizeof rr_used[0]))

static int wave_step(const eo_beats *b)
{
    int s = (int)lround(0.02 * b->fs_hz);
    return s < 1 ? 1 : s;
}

static int n_adaptive(const eo_beats *b, int flags)
{
    return ((flags & EO_ML_FEAT_ADAPTIVE) ? EO_ML_N_ADAPTIVE_RR + b->n_leads * EO_ML_N_ADAPTIVE_LEAD
                                          : 0) +
           ((flags & EO_ML_FEAT_RHYTHM) ? EO_ML_N_RHYTHM : 0);
}

int eo_ml_n_features(const eo_beats *b, int waveform)
{
    if (!b || b->len <= 0)
        return 0;
    int step = wave_step(b);
    return N_RR_USED + b->n_leads * N_MORPH + n_adaptive(b, waveform) +
           ((waveform & EO_ML_FEAT_WAVEFORM) ? (b->len + step - 1) / step : 0);
}

float eo_ml_select_kth(float *v, size_t n, size_t kth) { return eo_select_kth_float(v, n, kth); }

float eo_ml_select_median(float *v, size_t n)
{
    return eo_ml_select_kth(v, n, n / 2);
}

static double seg_corr(const float *a, const float *t, int lo, int hi)
{
    double ma = 0, mt = 0;
    int n = hi - lo;
    if (n < 2)
        return 0;
    for (int i = lo; i < hi; i++) {
        ma += a[i];
        mt += t[i];
    }
    ma /= n;
    mt /= n;
    double sab = 0, saa = 0, stt = 0;
    for (int i = lo; i < hi; i++) {
        double x = a[i] - ma, y = t[i] - mt;
        sab += x * y;
        saa += x * x;
        stt += y * y;
    }
    return sab / (sqrt(saa) * sqrt(stt) + 1e-9);
}

static double qrs_width(const float *a, int q0, int q1)
{
    double peak = 0;
    for (int k = q0; k < q1; k++)
        if (fabs(a[k]) > peak)
            peak = fabs(a[k]);
    int w = 0;
    for (int k = q0; k < q1; k++)
        w += fabs(a[k]) >= 0.5 * peak;
    return w;
}

/* correlation of a[la .. la+n) with t[lt .. lt+n) */
double eo_ml_shifted_corr(const float *a, const float *t, int la, int lt, int n)
{
    double ma = 0, mt = 0, sab = 0, saa = 0, stt = 0;
    for (int i = 0; i < n; i++) {
        ma += a[la + i];
        mt += t[lt + i];
    }
    ma /= n;
    mt /= n;
    for (int i = 0; i < n; i++) {
        double x = a[la + i] - ma, y = t[lt + i] - mt;
        sab += x * y;
        saa += x * x;
        stt += y * y;
    }
    return sab / (sqrt(saa) * sqrt(stt) + 1e-9);
}

eo_status eo_ml_features(const eo_beats *b, int waveform, float **X, int *n_features,
                         eo_error *err)
{
    if (!b || !X || !n_features)
        return eo_error_set(err, EO_STATUS_USAGE, "features: NULL argument");
    *X = NULL;
    if (b->n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "features: empty dataset");
    int len = b->len, nf = eo_ml_n_features(b, waveform), step = wave_step(b);
    size_t row = (size_t)b->n_leads * (size_t)len;
    float *out = malloc(b->n * (size_t)nf * sizeof *out);
    float *w = malloc((size_t)len * sizeof *w);
    float *tmpl = malloc((size_t)len * sizeof *tmpl);
    float *col = malloc((2 * b->n + 32) * sizeof *col);
    float *cen = malloc(b->n * (size_t)len * sizeof *cen);
    size_t *members = malloc(b->n * sizeof *members);
    float *rhythm = (waveform & EO_ML_FEAT_RHYTHM) ? malloc(b->n * EO_ML_N_RHYTHM * sizeof *rhythm)
                                                   : NULL;
    eo_status st = EO_STATUS_OK;
    if (!out || !w || !tmpl || !col || !cen || !members ||
        ((waveform & EO_ML_FEAT_RHYTHM) && !rhythm)) {
        free(rhythm);
        free(members);
        free(out);
        free(w);
        free(tmpl);
        free(col);
        free(cen);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "features: %zu beats x %d", b->n, nf);
    }
    int q0 = b->before - (int)lround(0.05 * b->fs_hz);
    int q1 = b->before + (int)lround(0.10 * b->fs_hz);
    if (q0 < 0)
        q0 = 0;
    if (q1 > len)
        q1 = len;
    /* one block of morphology features per lead, each against that lead's
     * record template */
    for (int l = 0; l < b->n_leads; l++) {
    /* each beat minus its own median (removes residual baseline offset) */
    for (size_t i = 0; i < b->n; i++) {
        const float *x = b->x + i * row + (size_t)l * (size_t)len;
        memcpy(w, x, (size_t)len * sizeof *w);
        float med = eo_ml_select_median(w, (size_t)len);
        for (int k = 0; k < len; k++)
            cen[i * (size_t)len + (size_t)k] = x[k] - med;
    }
    for (int r = 0; r < b->n_records; r++) {
        size_t m = 0;
        for (size_t i = 0; i < b->n; i++)
            if (b->record[i] == r)
                members[m++] = i;
        if (m == 0)
            continue;
        for (int k = 0; k < len; k++) {
            for (size_t c = 0; c < m; c++)
                col[c] = cen[members[c] * (size_t)len + (size_t)k];
            tmpl[k] = eo_ml_select_median(col, m);
        }
        double peak = 0;
        for (int k = 0; k < len; k++)
            if (fabs(tmpl[k]) > peak)
                peak = fabs(tmpl[k]);
        double scale = 1.0 / (peak + 1e-6);
        for (size_t c = 0; c < m; c++) {
            size_t i = members[c];
            const float *a = cen + i * (size_t)len;
            float *o = out + i * (size_t)nf;
            int f = 0;
            if (l == 0)
                for (int q = 0; q < N_RR_USED; q++)
                    o[f++] = b->rr[i * EO_RR_N_FEATURES + rr_used[q]];
            f = N_RR_USED + l * N_MORPH;
            double dist = 0, amax = 0, qmax = -1e30, qmin = 1e30, qlen = 0;
            for (int k = 0; k < len; k++) {
                dist += fabs(a[k] - tmpl[k]) * scale;
                if (fabs(a[k]) > amax)
                    amax = fabs(a[k]);
            }
            for (int k = q0; k < q1; k++) {
                double v = a[k] * scale;
                if (v > qmax)
                    qmax = v;
                if (v < qmin)
                    qmin = v;
                if (k > q0)
                    qlen += fabs(a[k] - a[k - 1]) * scale;
            }
            o[f++] = (float)seg_corr(a, tmpl, 0, len);
            o[f++] = (float)dist;
            o[f++] = (float)qmax;
            o[f++] = (float)qmin;
            o[f++] = (float)qlen;
            o[f++] = (float)(amax * scale);
            o[f++] = (float)seg_corr(a, tmpl, 0, q0);
            o[f++] = (float)seg_corr(a, tmpl, q0, q1);
            o[f++] = (float)seg_corr(a, tmpl, q1, len);
            /* QRS width (s) at half the QRS peak, for the beat and relative to
             * the record's median beat: ventricular beats are wide (> 120 ms) */
            double bw = qrs_width(a, q0, q1) / b->fs_hz, tw = qrs_width(tmpl, q0, q1) / b->fs_hz;
            o[f++] = (float)bw;
            o[f++] = (float)(bw / (tw + 1e-3));
            /* QRS energy relative to the template's */
            double ea = 0, et = 0;
            for (int k = q0; k < q1; k++) {
                ea += (double)a[k] * a[k];
                et += (double)tmpl[k] * tmpl[k];
            }
            o[f++] = (float)(ea / (et + 1e-12));
            /* best QRS correlation over +-20 ms shifts: robust to where a
             * detector puts the fiducial point */
            double best = -1;
            int sh = (int)lround(0.02 * b->fs_hz);
            for (int d = -sh; d <= sh; d++) {
                int lo = q0 + d, hi = q1 + d;
                if (lo < 0 || hi > len)
                    continue;
                double cc = eo_ml_shifted_corr(a, tmpl, lo, q0, q1 - q0);
                if (cc > best)
                    best = cc;
            }
            o[f++] = (float)best;
            /* intra-patient option: the beat itself (mV, every 20 ms) */
            f = N_RR_USED + b->n_leads * N_MORPH + n_adaptive(b, waveform);
            if ((waveform & EO_ML_FEAT_WAVEFORM) && l == 0)
                for (int k = 0; k < len; k += step)
                    o[f++] = a[k];
        }
        if (waveform & EO_ML_FEAT_ADAPTIVE)
            eo_ml_adaptive_block(b, l, members, m, cen, tmpl, out, nf, N_RR_USED + l * N_MORPH,
                                 N_RR_USED + l * N_MORPH + 1, N_RR_USED + b->n_leads * N_MORPH,
                                 col);
        if ((waveform & EO_ML_FEAT_RHYTHM) && l == 0) {
            /* long-horizon rhythm (rhythm.c): pre/post-RR of the record's
             * beats in time order, features into the columns after the
             * adaptive block */
            float *pp = col, *po = col + m, *rh = rhythm;
            for (size_t c = 0; c < m; c++) {
                pp[c] = b->rr[members[c] * EO_RR_N_FEATURES + EO_RR_PRE];
                po[c] = b->rr[members[c] * EO_RR_N_FEATURES + EO_RR_POST];
            }
            st = eo_ml_rhythm_features(pp, po, m, EO_ML_RHYTHM_HALF_SPAN, rh, err);
            if (st)
                goto done;
            int c0 = N_RR_USED + b->n_leads * N_MORPH +
                     ((waveform & EO_ML_FEAT_ADAPTIVE)
                          ? EO_ML_N_ADAPTIVE_RR + b->n_leads * EO_ML_N_ADAPTIVE_LEAD
                          : 0);
            for (size_t c = 0; c < m; c++)
                for (int q = 0; q < EO_ML_N_RHYTHM; q++)
                    out[members[c] * (size_t)nf + (size_t)(c0 + q)] = rh[c * EO_ML_N_RHYTHM + q];
        }
    }
    }
    for (size_t i = 0; i < b->n * (size_t)nf; i++)
        if (!isfinite(out[i]))
            out[i] = 0.0f;
done:
    free(rhythm);
    if (st) {
        free(out);
        out = NULL;
        nf = 0;
    }
    free(w);
    free(tmpl);
    free(col);
    free(cen);
    free(members);
    *X = out;
    *n_features = nf;
    return st;
}
