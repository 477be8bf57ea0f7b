/* Any sampling rate: MIT-BIH record 119 resampled to 128, 250, 257, 500 and
 * 1000 Hz (eo_resample, annotations moved with eo_resample_positions) is
 * detected at its own rate and classified by a model trained at 360 Hz
 * (the record resampled to the model's rate inside eo_classify_record).
 * Beats must agree with the 360 Hz result, and the labels come out at the
 * resampled record's own positions. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/beats.h"
#include "ecgopt/detect.h"
#include "ecgopt/ec57.h"
#include "ecgopt/ml.h"
#include "ecgopt/resample.h"
#include "eo_test.h"

static char TMP[64];

/* record `base` at fs into TMP/r<fs> (ADU resampled: gains kept) */
static eo_status write_resampled(const char *base, double fs, char *out, size_t n_out,
                                 eo_error *err)
{
    eo_wfdb_record *r = NULL;
    eo_status st = eo_wfdb_record_load(base, NULL, &r, err);
    if (st)
        return st;
    char name[32];
    snprintf(name, sizeof name, "r%g", fs);
    snprintf(out, n_out, "%s/%s", TMP, name);
    int32_t *adu[2] = {NULL, NULL};
    double *x = malloc((size_t)r->n_samples * sizeof *x);
    size_t ny = 0;
    for (int s = 0; !st && s < 2; s++) {
        for (long i = 0; i < r->n_samples; i++)
            x[i] = r->adu[s][i];
        double *y = NULL;
        st = eo_resample(x, (size_t)r->n_samples, r->fs_hz, fs, &y, &ny, err);
        if (st)
            break;
        adu[s] = malloc(ny * sizeof **adu);
        for (size_t i = 0; i < ny; i++)
            adu[s][i] = (int32_t)lround(y[i]);
        free(y);
    }
    eo_wfdb_signal_info like[2] = {r->header->signals[0], r->header->signals[1]};
    if (!st)
        st = eo_wfdb_record_write(TMP, name, 16, fs, 2, (long)ny, adu, like, err);
    eo_annotation_set *a = NULL;
    char p[4300];
    snprintf(p, sizeof p, "%s.atr", base);
    if (!st)
        st = eo_annot_read(p, &a, err);
    for (size_t i = 0; !st && i < a->n; i++)
        st = eo_resample_positions(&a->items[i].sample, 1, r->fs_hz, fs, (long)ny,
                                   &a->items[i].sample, err);
    snprintf(p, sizeof p, "%s.atr", out);
    if (!st)
        st = eo_annot_write(p, a, err);
    eo_annot_set_destroy(a);
    free(adu[0]);
    free(adu[1]);
    free(x);
    eo_wfdb_record_destroy(r);
    return st;
}

/* share of a's positions (on grid fa) within 150 ms of one of b's (grid fb) */
static double matched(const eo_annotation_set *a, double fa, const eo_annotation_set *b, double fb)
{
    size_t j = 0, hit = 0;
    for (size_t i = 0; i < a->n; i++) {
        double t = a->items[i].sample / fa;
        while (j < b->n && b->items[j].sample / fb < t - 0.15)
            j++;
        if (j < b->n && fabs(b->items[j].sample / fb - t) <= 0.15)
            hit++;
    }
    return a->n ? (double)hit / (double)a->n : 0;
}

TEST(detect_and_classify_at_any_rate)
{
    char base[4200];
    snprintf(base, sizeof base, "%s/mitdb/119", eo_test_data_dir());
    char hea[4300];
    snprintf(hea, sizeof hea, "%s.hea", base);
    if (access(hea, F_OK) != 0)
        SKIP("MIT-BIH not found");
    eo_error err;
    /* reference: detection and classification at the native 360 Hz */
    eo_annotation_set *d360 = NULL, *c360 = NULL;
    CHECK_OK(eo_detect_record(base, NULL, NULL, NULL, NULL, NULL, &d360, NULL, &err), &err);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/mitdb", eo_test_data_dir());
    const char *recs[2] = {"208", "119"};
    eo_beats_options how;
    eo_beats_defaults(&how);
    how.align_s = 0.05;
    eo_beats *b = NULL;
    CHECK_OK(eo_beats_load(dir, recs, 2, &how, NULL, NULL, &b, &err), &err);
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    o.gbm_rounds = 30;
    o.threads = 1;
    eo_classifier *c = NULL;
    if (b)
        CHECK_OK(eo_classifier_train(&o, &how, b, NULL, NULL, NULL, &c, &err), &err);
    if (!c || !d360) {
        eo_beats_destroy(b);
        eo_annot_set_destroy(d360);
        return;
    }
    CHECK_OK(eo_classify_record(c, base, NULL, &c360, &err), &err);
    const double rates[] = {128, 250, 257, 500, 1000};
    for (int k = 0; k < 5 && c360; k++) {
        double fs = rates[k];
        char rb[4200];
        CHECK_OK(write_resampled(base, fs, rb, sizeof rb, &err), &err);
        /* the detector at the record's own rate finds the same beats */
        eo_annotation_set *d = NULL, *cl = NULL, *ref = NULL;
        CHECK_OK(eo_detect_record(rb, NULL, NULL, NULL, NULL, NULL, &d, NULL, &err), &err);
        if (d) {
            double se = matched(d360, 360, d, fs), ppv = matched(d, fs, d360, 360);
            printf("     %g Hz: detector beats %.4f / %.4f of / in the 360 Hz ones\n", fs, se, ppv);
            CHECK_MSG(se >= 0.998 && ppv >= 0.998, "%g Hz: %.4f / %.4f of the 360 Hz beats", fs,
                      se, ppv);
        }
        /* classification: labels at the record's own positions, the same
         * labels as at 360 Hz for nearly every beat */
        CHECK_OK(eo_classify_record(c, rb, NULL, &cl, &err), &err);
        char p[4300];
        snprintf(p, sizeof p, "%s.atr", rb);
        CHECK_OK(eo_annot_read(p, &ref, &err), &err);
        if (cl && ref) {
            size_t nb = 0, same_pos = 1;
            for (size_t i = 0; i < ref->n; i++)
                if (eo_annot_is_beat(ref->items[i].code)) {
                    if (nb < cl->n && cl->items[nb].sample != ref->items[i].sample)
                        same_pos = 0;
                    nb++;
                }
            CHECK_EQ_INT(cl->n, nb);
            CHECK_MSG(same_pos, "%g Hz: labels not at the record's beat positions", fs);
            size_t agree = 0, n = cl->n < c360->n ? cl->n : c360->n;
            for (size_t i = 0; i < n; i++)
                agree += cl->items[i].code == c360->items[i].code;
            printf("     %g Hz: %zu of %zu labels as at 360 Hz\n", fs, agree, n);
            CHECK_MSG(cl->n == c360->n && agree >= 0.98 * (double)n,
                      "%g Hz: %zu of %zu labels as at 360 Hz", fs, agree, n);
        }
        eo_annot_set_destroy(d);
        eo_annot_set_destroy(cl);
        eo_annot_set_destroy(ref);
    }
    eo_annot_set_destroy(c360);
    eo_annot_set_destroy(d360);
    eo_classifier_destroy(c);
    eo_beats_destroy(b);
}

int main(void)
{
    snprintf(TMP, sizeof TMP, "/tmp/eo_any_rate_XXXXXX");
    if (!mkdtemp(TMP))
        return 1;
    RUN(detect_and_classify_at_any_rate);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", TMP);
    TEST_END();
}
