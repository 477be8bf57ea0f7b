/* eo_classify_positions (include/ecgopt/ml.h): the classes
 * of eo_classify_record_lead at the same beats, probabilities that sum to 1
 * and give those classes, -1 for the beats it cannot classify, bad input
 * refused.  A small gbm trained on records 208 and 119 (align 50 ms, so the
 * mapping through moved beats is exercised), record 233 classified. */
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"
#include "ecgopt/ml.h"
#include "eo_test.h"

TEST(same_as_classify_record)
{
    char dir[4200], base[4300], path[4400];
    snprintf(dir, sizeof dir, "%s/mitdb", eo_test_data_dir());
    snprintf(base, sizeof base, "%s/233", dir);
    snprintf(path, sizeof path, "%s.hea", base);
    FILE *f = fopen(path, "r");
    if (!f)
        SKIP("MIT-BIH not found");
    fclose(f);
    eo_error err;
    const char *recs[2] = {"208", "119"};
    eo_beats_options how;
    eo_beats_defaults(&how);
    how.align_s = 0.05;
    eo_beats *b = NULL;
    CHECK_OK(eo_beats_load(dir, recs, 2, &how, NULL, NULL, &b, &err), &err);
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    o.gbm_rounds = 20;
    o.threads = 1;
    eo_classifier *c = NULL;
    if (b)
        CHECK_OK(eo_classifier_train(&o, &how, b, NULL, NULL, NULL, &c, &err), &err);
    eo_beats_destroy(b);
    if (!c)
        return;
    char lead[64];
    CHECK_EQ_INT(eo_classifier_lead_name(c, 0, lead, sizeof lead), 1);
    CHECK(strcmp(lead, "MLII") == 0);
    CHECK_EQ_INT(eo_classifier_lead_name(c, 1, lead, sizeof lead), 0);
    CHECK_EQ_INT(eo_classifier_lead_name(c, 2, lead, sizeof lead), 0);

    /* the reference beats of 233, with one position repeated */
    eo_annotation_set *ref = NULL, *cls = NULL;
    snprintf(path, sizeof path, "%s.atr", base);
    CHECK_OK(eo_annot_read(path, &ref, &err), &err);
    CHECK_OK(eo_classify_record(c, base, NULL, &cls, &err), &err);
    if (!ref || !cls) {
        eo_annot_set_destroy(ref);
        eo_annot_set_destroy(cls);
        eo_classifier_destroy(c);
        return;
    }
    size_t n = 0;
    long *pos = malloc((ref->n + 1) * sizeof *pos);
    for (size_t i = 0; i < ref->n; i++)
        if (eo_annot_is_beat(ref->items[i].code)) {
            pos[n++] = ref->items[i].sample;
            if (n == 100)
                pos[n++] = ref->items[i].sample; /* repeated position */
        }
    int k = eo_label_set_n_classes(eo_classifier_labels(c));
    int *cl = malloc(n * sizeof *cl);
    float *pr = malloc(n * (size_t)k * sizeof *pr);
    CHECK_OK(eo_classify_positions(c, base, pos, n, NULL, cl, pr, &err), &err);
    CHECK_EQ_INT(cls->n + 1, n); /* the CLI's output skips the repeated position */
    size_t q = 0, unclassified = 0, mismatch = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 100) {
            CHECK_EQ_INT(cl[i], -1); /* the repeat */
            continue;
        }
        const eo_annotation *a = &cls->items[q++];
        CHECK_EQ_INT(a->sample, pos[i]);
        if (cl[i] < 0) {
            unclassified++;
            CHECK_EQ_INT(a->code, 13); /* Q, unclassifiable */
            CHECK(isnan(pr[i * (size_t)k]));
            continue;
        }
        mismatch += a->code != eo_label_class_code(eo_classifier_labels(c), cl[i]);
        double sum = 0;
        int arg = 0;
        for (int j = 0; j < k; j++) {
            sum += pr[i * (size_t)k + (size_t)j];
            if (pr[i * (size_t)k + (size_t)j] > pr[i * (size_t)k + (size_t)arg])
                arg = j;
        }
        CHECK_CLOSE(sum, 1.0, 0, 1e-4);
        if (arg != cl[i]) /* class scales are 1 by default: argmax */
            mismatch++;
    }
    CHECK_EQ_INT(mismatch, 0);
    CHECK(unclassified >= 1 && unclassified <= 3); /* the beats at the record's ends */

    /* bad input */
    long bad[3] = {500, 400, 900};
    CHECK_EQ_INT(eo_classify_positions(c, base, bad, 3, NULL, cl, NULL, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "time order") != NULL);
    bad[1] = -5;
    CHECK_EQ_INT(eo_classify_positions(c, base, bad, 3, NULL, cl, NULL, &err), EO_STATUS_USAGE);
    long ok[3] = {500, 900, 1300};
    snprintf(path, sizeof path, "%s/none", dir);
    CHECK(eo_classify_positions(c, path, ok, 3, NULL, cl, pr, &err) != EO_STATUS_OK);
    CHECK_EQ_INT(eo_classify_positions(c, base, ok, 3, "V9", cl, pr, &err), EO_STATUS_NOT_FOUND);
    free(pos);
    free(cl);
    free(pr);
    eo_annot_set_destroy(ref);
    eo_annot_set_destroy(cls);
    eo_classifier_destroy(c);
}

int main(void)
{
    RUN(same_as_classify_record);
    TEST_END();
}
