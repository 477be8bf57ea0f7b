/* Patient-adaptive, label-free beat features (EO_ML_FEAT_ADAPTIVE).
 *
 * Every figure is measured against statistics of the beat's OWN record,
 * computed from its signal and beat positions only (never its labels), so a
 * classifier trained on DS1 patients judges a DS2 patient by how a beat
 * departs from that patient's usual rhythm and morphology:
 *
 *  - RR prematurity against a robust local rhythm: the pre- and post-RR over
 *    the median pre-RR of the 2W+1 beats centred on the beat (a running
 *    median follows sinus arrhythmia, which is what makes an N beat look
 *    premature against a causal mean; an ectopic beat barely moves a median),
 *    the pre-RR over the previous beat's pre-RR, the pre-RR over the
 *    record's median RR (normalised RR as Mondejar-Guerra et al. 2019, Lin &
 *    Yang 2014), and the prematurity in units of the record's own RR
 *    variability: (pre/median - 1) / MAD_record, so that a 10% shortening
 *    counts for much in a steady patient and little in an irregular one;
 *    the same over the LOCAL irregularity (median |pre/median - 1| of the 17
 *    beats around it, also a feature): in atrial fibrillation every
 *    conducted beat looks "premature" against the median, but not against
 *    its neighbours' irregularity (the N->S errors of records 201 and 203 in
 *    DS1 cross-validation).
 *  - Morphology distance in units of the record's typical distance: the L1
 *    distance and 1 - correlation to the record's median beat, each divided by
 *    its median over the record (Llamedo & Martinez 2011 adapt the
 *    classifier to the patient; this adapts the features instead).
 *  - P wave relative to the record's median beat (de Chazal et al. 2004 use
 *    P-wave presence and duration): energy and peak of the P window (-230 to
 *    -70 ms, mean removed) over the template's, and the best correlation
 *    with the template's P wave over +-40 ms shifts (PR varies; a premature
 *    atrial beat has an abnormal or buried P wave).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ml_internal.h"

#define RR_HALF_SPAN 8 /* running median over 17 beats */

static double seg_energy(const float *a, int lo, int hi, double *peak)
{
    double m = 0, e = 0, pk = 0;
    for (int k = lo; k < hi; k++)
        m += a[k];
    m /= (hi - lo);
    for (int k = lo; k < hi; k++) {
        double d = a[k] - m;
        e += d * d;
        if (fabs(d) > pk)
            pk = fabs(d);
    }
    *peak = pk;
    return e;
}

void eo_ml_adaptive_block(const eo_beats *b, int lead, const size_t *members, size_t m,
                          const float *cen, const float *tmpl, float *out, int nf, int col_corr,
                          int col_dist, int col_out, float *scratch)
{
    if (m == 0)
        return;
    int len = b->len;
    float *win = scratch; /* at least m + 2W+1 floats */
    if (lead == 0) {
        /* pre-RR of each member (members are in time order within a record) */
        /* record median pre-RR */
        for (size_t c = 0; c < m; c++)
            win[c] = b->rr[members[c] * EO_RR_N_FEATURES + EO_RR_PRE];
        double rec_med = eo_ml_select_median(win, m);
        /* running medians first (kept in the output column), then the record's
         * spread of prematurity */
        for (size_t c = 0; c < m; c++) {
            size_t lo = c >= RR_HALF_SPAN ? c - RR_HALF_SPAN : 0;
            size_t hi = c + RR_HALF_SPAN + 1 < m ? c + RR_HALF_SPAN + 1 : m;
            size_t q = 0;
            for (size_t j = lo; j < hi; j++)
                win[q++] = b->rr[members[j] * EO_RR_N_FEATURES + EO_RR_PRE];
            double med = eo_ml_select_median(win, q);
            const float *rr = b->rr + members[c] * EO_RR_N_FEATURES;
            float *o = out + members[c] * (size_t)nf + col_out;
            double pre = rr[EO_RR_PRE], post = rr[EO_RR_POST];
            double prev = c > 0 ? b->rr[members[c - 1] * EO_RR_N_FEATURES + EO_RR_PRE] : pre;
            o[0] = (float)(pre / (med + 1e-9));
            o[1] = (float)(post / (med + 1e-9));
            o[2] = (float)(pre / (prev + 1e-9));
            o[3] = (float)(pre / (rec_med + 1e-9));
        }
        for (size_t c = 0; c < m; c++)
            win[c] = (float)fabs(out[members[c] * (size_t)nf + col_out] - 1.0f);
        double mad = eo_ml_select_median(win, m);
        if (mad < 0.01)
            mad = 0.01;
        for (size_t c = 0; c < m; c++) {
            float *o = out + members[c] * (size_t)nf + col_out;
            o[4] = (float)((o[0] - 1.0) / mad);
        }
        /* local irregularity: the median |pre/running median - 1| of the 17
         * beats around the beat (high in atrial fibrillation, where normally
         * conducted beats look premature), and the prematurity in its units */
        for (size_t c = 0; c < m; c++) {
            size_t lo = c >= RR_HALF_SPAN ? c - RR_HALF_SPAN : 0;
            size_t hi = c + RR_HALF_SPAN + 1 < m ? c + RR_HALF_SPAN + 1 : m;
            size_t q = 0;
            for (size_t j = lo; j < hi; j++)
                win[m + q++] = (float)fabs(out[members[j] * (size_t)nf + col_out] - 1.0f);
            double lmad = eo_ml_select_median(win + m, q);
            float *o = out + members[c] * (size_t)nf + col_out;
            o[5] = (float)lmad;
            o[6] = (float)((o[0] - 1.0) / (lmad > 0.01 ? lmad : 0.01));
        }
    }
    col_out += EO_ML_N_ADAPTIVE_RR + EO_ML_N_ADAPTIVE_LEAD * lead;
    /* morphology distance in units of the record's median distance */
    for (size_t c = 0; c < m; c++)
        win[c] = out[members[c] * (size_t)nf + col_dist];
    double dmed = eo_ml_select_median(win, m);
    for (size_t c = 0; c < m; c++)
        win[c] = 1.0f - out[members[c] * (size_t)nf + col_corr];
    double cmed = eo_ml_select_median(win, m);
    /* P window: -230 .. -70 ms (clipped to the beat window) */
    int p0 = b->before - (int)lround(0.23 * b->fs_hz), p1 = b->before - (int)lround(0.07 * b->fs_hz);
    if (p0 < 0)
        p0 = 0;
    int sh = (int)lround(0.04 * b->fs_hz);
    double tpk = 0, te = p1 - p0 >= 4 ? seg_energy(tmpl, p0, p1, &tpk) : 0;
    for (size_t c = 0; c < m; c++) {
        size_t i = members[c];
        float *o = out + i * (size_t)nf + col_out;
        const float *a = cen + i * (size_t)len;
        o[0] = (float)(out[i * (size_t)nf + col_dist] / (dmed + 1e-6));
        o[1] = (float)((1.0 - out[i * (size_t)nf + col_corr]) / (cmed + 1e-4));
        if (p1 - p0 >= 4) {
            double pk = 0, e = seg_energy(a, p0, p1, &pk);
            o[2] = (float)(e / (te + 1e-12));
            o[3] = (float)(pk / (tpk + 1e-6));
            double best = -1;
            for (int d = -sh; d <= sh; d++) {
                if (p0 + d < 0 || p1 + d > len)
                    continue;
                double cc = eo_ml_shifted_corr(a, tmpl, p0 + d, p0, p1 - p0);
                if (cc > best)
                    best = cc;
            }
            o[4] = (float)best;
        } else {
            o[2] = o[3] = 1.0f;
            o[4] = 1.0f;
        }
    }
}
