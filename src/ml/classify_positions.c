/* eo_classify_positions, eo_classifier_lead_name (include/ecgopt/ml.h;
 * include/ecgopt/arrays.h gathers the FFI entry points): beat
 * classification over plain arrays, the same extraction and beat mapping as
 * eo_classify_record_lead. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"
#include "ecgopt/ml.h"

#include "ml_internal.h"

int eo_classifier_lead_name(const eo_classifier *c, int i, char *buf, size_t size)
{
    if (buf && size)
        buf[0] = '\0';
    if (!c || i < 0 || i > 1)
        return 0;
    eo_beats_options how;
    eo_classifier_beats_options(c, &how);
    if (buf && size)
        snprintf(buf, size, "%s", how.leads[i]);
    return how.leads[i][0] != '\0';
}

eo_status eo_classify_positions(const eo_classifier *c, const char *base, const long *positions,
                                size_t n, const char *lead, int *cls, float *prob,
                                eo_error *err)
{
    if (!c || !base || (!positions && n) || (!cls && n))
        return eo_error_set(err, EO_STATUS_USAGE, "classify: NULL argument");
    int k = eo_label_set_n_classes(eo_classifier_labels(c));
    for (size_t i = 0; i < n; i++) {
        if (positions[i] < 0 || (i > 0 && positions[i] < positions[i - 1]))
            return eo_error_set(err, EO_STATUS_USAGE,
                                "%s: beat %zu at sample %ld is negative or out of time order",
                                base, i, positions[i]);
        cls[i] = -1;
        if (prob)
            for (int j = 0; j < k; j++)
                prob[i * (size_t)k + (size_t)j] = NAN;
    }
    eo_status st = EO_STATUS_OK;
    eo_annotation_set *pos = eo_annot_set_new();
    eo_beats *b = eo_beats_new();
    int *pred = NULL;
    float *pr = NULL;
    if (!pos || !b) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: beats", base);
        goto done;
    }
    for (size_t i = 0; i < n && !st; i++) {
        eo_annotation a = {0};
        a.sample = positions[i];
        a.code = 1; /* N: a beat; the extraction labels it from the reference, if any */
        st = eo_annot_set_push(pos, &a, err);
    }
    if (st)
        goto done;
    eo_beats_options how;
    eo_classifier_beats_options(c, &how);
    how.keep_unlabelled = 1;
    how.fs_hz = eo_classifier_fs(c); /* another rate: resampled to the model's */
    if (lead && *lead)
        snprintf(how.leads[0], sizeof how.leads[0], "%s", lead);
    st = eo_beats_add_record(b, base, pos, &how, err);
    if (st)
        goto done;
    pred = malloc((b->n + 1) * sizeof *pred);
    pr = malloc((b->n + 1) * (size_t)k * sizeof *pr);
    if (!pred || !pr) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: %zu beats", base, b->n);
        goto done;
    }
    st = eo_classifier_predict(c, b, pred, pr, err);
    if (st) {
        eo_error_prefix(err, "%s", base);
        goto done;
    }
    /* each position -> the nearest extracted beat within the alignment
     * window, skipping repeated positions (eo_classify_record_lead's rule) */
    size_t j = 0;
    long last = -1;
    long w = (long)(how.align_s * b->src_fs_hz + 0.5);
    for (size_t i = 0; i < n; i++) {
        long t = positions[i];
        if (t <= last)
            continue;
        last = t;
        size_t best = eo_beats_nearest(b, t, w, &j);
        if (best == b->n)
            continue;
        cls[i] = pred[best];
        if (prob)
            memcpy(prob + i * (size_t)k, pr + best * (size_t)k, (size_t)k * sizeof *pr);
    }
done:
    free(pred);
    free(pr);
    eo_beats_destroy(b);
    eo_annot_set_destroy(pos);
    return st;
}
