/* Long-horizon, label-free rhythm features (EO_ML_FEAT_RHYTHM).
 *
 * The short running median of adaptive.c (17 beats) is the patient's usual
 * rhythm only where normal beats are the majority around the beat.  In a
 * run of supraventricular tachycardia or in frequent bigeminy (MIT-BIH 232,
 * many SVDB records) the premature beats ARE the local majority, and every
 * beat normalised by it looks "on time".  Two references that survive that:
 *
 *  - the running MEDIAN pre-RR over a long span (+-150 beats, about five
 *    minutes at 60/min: the "average RR" of de Chazal et al. 2004 made local
 *    and robust, as the 5-minute normalisation of Lin & Yang 2014), and
 *  - the running 80th PERCENTILE pre-RR over the same span: premature beats
 *    shorten the RR, so the upper part of the RR distribution is the sinus
 *    rhythm as long as fewer than ~80 % of the beats are premature.
 *
 * Features (per beat, all dimensionless): pre-RR and post-RR over the long
 * median; pre-RR and post-RR over the long 80th percentile; long median over
 * long 80th percentile (near 1 in a steady rhythm, low with frequent
 * premature beats or atrial fibrillation); and the beat's rank among the
 * pre-RRs of its span (fraction of the span's beats with a shorter pre-RR:
 * scale-free, 0 for the most premature beat). */
#include <math.h>
#include <stdlib.h>

#include "ml_internal.h"

eo_status eo_ml_rhythm_features(const float *pre, const float *post, size_t n, int half_span,
                                float *out, eo_error *err)
{
    if (!pre || !post || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "rhythm features: NULL argument");
    if (half_span < 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "rhythm features: half span %d (need >= 1)",
                            half_span);
    if (n == 0)
        return EO_STATUS_OK;
    size_t cap = 2 * (size_t)half_span + 1;
    float *win = malloc(cap * sizeof *win);
    if (!win)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "rhythm features: %zu beats", cap);
    for (size_t i = 0; i < n; i++) {
        size_t lo = i >= (size_t)half_span ? i - (size_t)half_span : 0;
        size_t hi = i + (size_t)half_span + 1 < n ? i + (size_t)half_span + 1 : n;
        size_t q = 0, shorter = 0;
        for (size_t j = lo; j < hi; j++) {
            win[q++] = pre[j];
            shorter += pre[j] < pre[i];
        }
        double med = eo_ml_select_kth(win, q, q / 2);
        double p80 = eo_ml_select_kth(win, q, (size_t)floor(0.8 * (double)(q - 1) + 0.5));
        float *o = out + i * EO_ML_N_RHYTHM;
        o[0] = (float)(pre[i] / (med + 1e-9));
        o[1] = (float)(post[i] / (med + 1e-9));
        o[2] = (float)(pre[i] / (p80 + 1e-9));
        o[3] = (float)(post[i] / (p80 + 1e-9));
        o[4] = (float)(med / (p80 + 1e-9));
        o[5] = q > 1 ? (float)((double)shorter / (double)(q - 1)) : 0.5f;
    }
    free(win);
    return EO_STATUS_OK;
}
