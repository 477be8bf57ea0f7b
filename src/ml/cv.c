/* Patient-wise cross-validation and decision-scale selection: model
 * selection inside the training databases only (issue 15; the test sets
 * DS2 and SVDB are never read).
 *
 * Folds group whole records (eo_split_kfold: no patient on both sides of a
 * fold, the inter-patient rule of de Chazal et al. 2004), every model is
 * trained by eo_classifier_train with the options under test, and the
 * held-out beats' class probabilities are kept ("out of fold"), so that the
 * decision scales (eo_classifier_options.class_scale) can be chosen on them
 * afterwards without training again. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/ec57.h"
#include "ml_internal.h"

eo_status eo_classifier_cv(const eo_classifier_options *o, const eo_beats_options *how,
                           const eo_beats *b, int k, eo_rng *rng, int *fold, float *prob,
                           eo_error *err)
{
    if (!o || !how || !b || !rng || !fold || !prob)
        return eo_error_set(err, EO_STATUS_USAGE, "cross-validation: NULL argument");
    eo_status st = eo_split_kfold(b, k, rng, fold, err);
    if (st)
        return st;
    int nc = eo_label_set_n_classes(b->labels);
    size_t *idx = malloc(b->n * sizeof *idx), *ho = malloc(b->n * sizeof *ho);
    int *pred = malloc(b->n * sizeof *pred);
    float *pr = malloc(b->n * (size_t)nc * sizeof *pr);
    if (!idx || !ho || !pred || !pr) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "cross-validation: %zu beats", b->n);
        goto done;
    }
    for (int f = 0; f < k && !st; f++) {
        size_t n = 0, m = 0;
        for (size_t i = 0; i < b->n; i++)
            if (fold[i] == f)
                ho[m++] = i;
            else
                idx[n++] = i;
        eo_beats *tr = NULL, *te = NULL;
        eo_classifier *c = NULL;
        st = eo_beats_subset(b, idx, n, &tr, err);
        if (!st)
            st = eo_beats_subset(b, ho, m, &te, err);
        if (!st)
            st = eo_classifier_train(o, how, tr, NULL, NULL, NULL, &c, err);
        if (!st)
            st = eo_classifier_predict(c, te, pred, pr, err);
        if (st)
            eo_error_prefix(err, "cross-validation fold %d of %d", f + 1, k);
        else
            for (size_t t = 0; t < m; t++)
                memcpy(prob + ho[t] * (size_t)nc, pr + t * (size_t)nc, (size_t)nc * sizeof *pr);
        eo_classifier_destroy(c);
        eo_beats_destroy(tr);
        eo_beats_destroy(te);
    }
done:
    free(idx);
    free(ho);
    free(pred);
    free(pr);
    return st;
}

/* the five margins (VEB Se, VEB +P, SVEB Se, SVEB +P, accuracy minus their
 * bars), sorted ascending; a figure without a denominator counts -1e9 */
static void sorted_margins(const eo_ec57_result *g, const double *bars, double *v)
{
    eo_ec57_stats s;
    eo_ec57_class_metrics m;
    eo_ec57_stats_of(g, &s);
    eo_ec57_class_metrics_of(g, &m);
    double f[5] = {s.veb_se, s.veb_ppv, s.sveb_se, s.sveb_ppv, 100 * m.accuracy};
    for (int i = 0; i < 5; i++)
        v[i] = isfinite(f[i]) ? f[i] - bars[i] : -1e9;
    for (int i = 1; i < 5; i++)
        for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
            double t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
}

void eo_class_scale_matrix(const float *prob, const int *y, size_t n, const double *scale,
                           eo_ec57_result *g)
{
    memset(g, 0, sizeof *g);
    for (size_t i = 0; i < n; i++) {
        const float *q = prob + i * 5;
        int best = 0;
        for (int j = 1; j < 5; j++)
            if (q[j] * scale[j] > q[best] * scale[best])
                best = j;
        if (y[i] >= 0 && y[i] < 5)
            g->m[y[i]][best]++;
    }
}

eo_status eo_class_scale_select(const float *prob, const int *y, size_t n, const double bars[5],
                                int steps, double scale[5], double margins[5], eo_error *err)
{
    const int grid[3] = {steps, steps, steps};
    return eo_class_scale_select_grid(prob, y, n, bars, grid, scale, margins, err);
}

eo_status eo_class_scale_select_grid(const float *prob, const int *y, size_t n, const double bars[5],
                                     const int steps[3], double scale[5], double margins[5], eo_error *err)
{
    if (!prob || !y || !bars || !scale || !steps)
        return eo_error_set(err, EO_STATUS_USAGE, "scale selection: NULL argument");
    for (int k = 0; k < 3; k++)
        if (n == 0 || steps[k] < 0 || steps[k] > 64)
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "scale selection: %zu beats, %d steps (need beats, 0..64 steps)", n,
                                steps[k]);
    double sc[5] = {1, 1, 1, 1, 1}, best_v[5], v[5];
    eo_ec57_result g;
    for (int q = 0; q < 5; q++) {
        best_v[q] = -1e300;
        scale[q] = 1;
    }
    /* grid 2^(i/4), i = -steps[k]..steps[k], for S, V and F (N and Q stay 1) */
    for (int is = -steps[0]; is <= steps[0]; is++)
        for (int iv = -steps[1]; iv <= steps[1]; iv++)
            for (int jf = -steps[2]; jf <= steps[2]; jf++) {
                sc[1] = pow(2, is / 4.0);
                sc[2] = pow(2, iv / 4.0);
                sc[3] = pow(2, jf / 4.0);
                eo_class_scale_matrix(prob, y, n, sc, &g);
                sorted_margins(&g, bars, v);
                /* leximin: the worst margin first, then the next worst ... */
                int better = 0;
                for (int q = 0; q < 5; q++) {
                    if (v[q] > best_v[q] + 1e-9) {
                        better = 1;
                        break;
                    }
                    if (v[q] < best_v[q] - 1e-9)
                        break;
                }
                if (better) {
                    memcpy(best_v, v, sizeof v);
                    memcpy(scale, sc, sizeof sc);
                }
            }
    if (margins)
        memcpy(margins, best_v, sizeof best_v);
    return EO_STATUS_OK;
}
