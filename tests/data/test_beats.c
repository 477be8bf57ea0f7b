/* Beat datasets: RR features (known answers), label sets, splits, class
 * imbalance helpers, augmentation, and extraction from MIT-BIH. */
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"
#include "eo_test.h"

TEST(rr_known_answers)
{
    /* 360 Hz; beats at 0, 1, 2, 2.5, 4 s: beat 3 is premature, beat 4 follows a pause */
    long s[5] = {0, 360, 720, 900, 1440};
    float f[5 * EO_RR_N_FEATURES];
    eo_error err;
    CHECK_OK(eo_rr_features(s, 5, 360.0, 2, f, &err), &err);
    const float *b0 = f, *b3 = f + 3 * EO_RR_N_FEATURES, *b4 = f + 4 * EO_RR_N_FEATURES;
    CHECK_CLOSE(b0[EO_RR_PRE], 1.0, 0, 1e-6);   /* first beat: its post-RR */
    CHECK_CLOSE(b3[EO_RR_PRE], 0.5, 0, 1e-6);
    CHECK_CLOSE(b3[EO_RR_POST], 1.5, 0, 1e-6);
    CHECK_CLOSE(b3[EO_RR_LOCAL], 2.5 / 3, 1e-6, 0);   /* (1 + 1 + 0.5) / 3 */
    CHECK_CLOSE(b3[EO_RR_RECORD], 1.0, 0, 1e-6);      /* 4 s / 4 intervals */
    CHECK_CLOSE(b3[EO_RR_PRE_LOCAL], 0.6, 1e-6, 0);
    CHECK_CLOSE(b3[EO_RR_POST_PRE], 3.0, 1e-6, 0);
    CHECK_CLOSE(b3[EO_RR_POST_LOCAL], 1.8, 1e-6, 0);
    CHECK_CLOSE(b4[EO_RR_LOCAL], 1.0, 1e-6, 0);       /* (1 + 0.5 + 1.5) / 3 */
    CHECK_CLOSE(b4[EO_RR_POST], 1.5, 0, 1e-6);        /* last beat: its pre-RR */
    CHECK_CLOSE(b4[EO_RR_LOCAL_RECORD], 1.0, 1e-6, 0);
}

TEST(rr_bad_input)
{
    long s[3] = {0, 100, 100};
    float f[3 * EO_RR_N_FEATURES];
    eo_error err;
    CHECK_EQ_INT(eo_rr_features(s, 3, 360, 10, f, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "not after") != NULL);
    CHECK_EQ_INT(eo_rr_features(s, 1, 360, 10, f, &err), EO_STATUS_BAD_FORMAT);
    CHECK_EQ_INT(eo_rr_features(s, 2, 0, 10, f, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_rr_features(s, 2, 360, 0, f, &err), EO_STATUS_OUT_OF_RANGE);
}

TEST(label_sets)
{
    /* codes: N 1, L 2, R 3, a 4, V 5, F 6, J 7, A 8, S 9, E 10, j 11, / 12, Q 13, e 34, f 38 */
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_AAMI, 1), 0);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_AAMI, 2), 0);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_AAMI, 34), 0);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_AAMI, 4), 1);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_AAMI, 7), 1);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_AAMI, 10), 2);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_AAMI, 6), 3);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_AAMI, 12), 4);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_AAMI, 38), 4);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_AAMI, 28), -1); /* rhythm change, not a beat */
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_NLRAV, 2), 1);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_NLRAV, 3), 2);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_NLRAV, 8), 3);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_NLRAV, 5), 4);
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_NLRAV, 4), -1); /* aberrated APC not in N L R A V */
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_NSVQ, 6), -1);  /* F dropped */
    CHECK_EQ_INT(eo_label_of_code(EO_LABELS_NSVQ, 13), 3);
    CHECK_EQ_INT(eo_label_set_n_classes(EO_LABELS_NSVQ), 4);
    CHECK(!strcmp(eo_label_class_name(EO_LABELS_NLRAV, 3), "A"));
    /* the code written for a predicted class maps back to the same class */
    for (int s = 0; s < 3; s++)
        for (int c = 0; c < eo_label_set_n_classes((eo_label_set)s); c++)
            CHECK_EQ_INT(eo_label_of_code((eo_label_set)s, eo_label_class_code((eo_label_set)s, c)), c);
    eo_label_set ls;
    eo_error err;
    CHECK_OK(eo_label_set_parse("nsvq", &ls, &err), &err);
    CHECK_EQ_INT(ls, EO_LABELS_NSVQ);
    CHECK_EQ_INT(eo_label_set_parse("abc", &ls, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "abc") != NULL);
}

TEST(stratified_split_proportions)
{
    size_t n = 1120;
    int *y = malloc(n * sizeof *y), *part = malloc(n * sizeof *part);
    for (size_t i = 0; i < n; i++)
        y[i] = i < 1000 ? 0 : (i < 1100 ? 1 : 2);
    eo_rng rng;
    eo_rng_seed(&rng, 7);
    eo_error err;
    CHECK_OK(eo_split_stratified(y, n, 0.70, 0.15, &rng, part, &err), &err);
    int cnt[3][3] = {{0}};
    for (size_t i = 0; i < n; i++)
        cnt[y[i]][part[i]]++;
    CHECK_EQ_INT(cnt[0][EO_PART_TRAIN], 700);
    CHECK_EQ_INT(cnt[0][EO_PART_VAL], 150);
    CHECK_EQ_INT(cnt[0][EO_PART_TEST], 150);
    CHECK_EQ_INT(cnt[1][EO_PART_TRAIN], 70);
    CHECK_EQ_INT(cnt[1][EO_PART_VAL], 15);
    CHECK_EQ_INT(cnt[2][EO_PART_TRAIN], 14);
    CHECK_EQ_INT(cnt[2][EO_PART_VAL], 3);
    CHECK_EQ_INT(cnt[2][EO_PART_TEST], 3);
    /* a different seed picks different beats */
    int *p2 = malloc(n * sizeof *p2);
    eo_rng_seed(&rng, 8);
    CHECK_OK(eo_split_stratified(y, n, 0.70, 0.15, &rng, p2, &err), &err);
    CHECK(memcmp(part, p2, n * sizeof *p2) != 0);
    CHECK_EQ_INT(eo_split_stratified(y, n, 0.9, 0.2, &rng, p2, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_split_stratified(y, 0, 0.7, 0.15, &rng, p2, &err), EO_STATUS_USAGE);
    free(y);
    free(part);
    free(p2);
}

TEST(record_splits)
{
    /* 10 records of 5 beats each */
    eo_beats b = {0};
    int rec[50];
    b.n = 50;
    b.n_records = 10;
    b.record = rec;
    for (int i = 0; i < 50; i++)
        rec[i] = i / 5;
    int part[50], fold[50];
    eo_rng rng;
    eo_rng_seed(&rng, 3);
    eo_error err;
    CHECK_OK(eo_split_records_val(&b, 3, &rng, part, &err), &err);
    int nval = 0;
    for (int i = 0; i < 50; i++) {
        nval += part[i] == EO_PART_VAL;
        CHECK_EQ_INT(part[i], part[(i / 5) * 5]); /* whole records */
    }
    CHECK_EQ_INT(nval, 15);
    CHECK_OK(eo_split_kfold(&b, 5, &rng, fold, &err), &err);
    int per[5] = {0};
    for (int i = 0; i < 50; i++) {
        per[fold[i]]++;
        CHECK_EQ_INT(fold[i], fold[(i / 5) * 5]);
    }
    for (int f = 0; f < 5; f++)
        CHECK_EQ_INT(per[f], 10); /* two records per fold */
    CHECK_EQ_INT(eo_split_kfold(&b, 11, &rng, fold, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_split_records_val(&b, 10, &rng, part, &err), EO_STATUS_OUT_OF_RANGE);
    /* named validation records: exactly those records, whole */
    char names[10][32];
    for (int r = 0; r < 10; r++)
        snprintf(names[r], sizeof names[r], "%d", 100 + r);
    b.record_names = names;
    static const char *const pick[] = {"103", "107", "103"};
    CHECK_OK(eo_split_records_named(&b, pick, 3, part, &err), &err);
    for (int i = 0; i < 50; i++)
        CHECK_EQ_INT(part[i], (i / 5 == 3 || i / 5 == 7) ? EO_PART_VAL : EO_PART_TRAIN);
    static const char *const bad[] = {"103", "118"};
    CHECK_EQ_INT(eo_split_records_named(&b, bad, 2, part, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "'118'") != NULL);
    const char *every[10];
    for (int r = 0; r < 10; r++)
        every[r] = names[r];
    CHECK_EQ_INT(eo_split_records_named(&b, every, 10, part, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "none left") != NULL);
    /* de Chazal lists: 22 + 22 records, no overlap, no paced record */
    const char *const *all;
    CHECK_EQ_INT(eo_split_mitdb_records(&all), 44);
    for (int i = 0; i < 22; i++)
        for (int j = 0; j < 22; j++)
            CHECK(strcmp(eo_split_ds1[i], eo_split_ds2[j]) != 0);
    for (int i = 0; i < 44; i++)
        CHECK(strcmp(all[i], "102") && strcmp(all[i], "104") && strcmp(all[i], "107") &&
              strcmp(all[i], "217"));
}

TEST(class_weights_and_oversampling)
{
    int y[100];
    size_t idx[100];
    for (int i = 0; i < 100; i++) {
        y[i] = i < 80 ? 0 : (i < 95 ? 1 : 2);
        idx[i] = (size_t)i;
    }
    double w[4];
    eo_error err;
    CHECK_OK(eo_class_weights(y, 100, 4, 1.0, w, &err), &err);
    CHECK_CLOSE(w[0], 100.0 / (3 * 80), 1e-12, 0); /* sklearn "balanced", 3 classes present */
    CHECK_CLOSE(w[1], 100.0 / (3 * 15), 1e-12, 0);
    CHECK_CLOSE(w[2], 100.0 / (3 * 5), 1e-12, 0);
    CHECK_CLOSE(w[3], 0.0, 0, 0);
    CHECK_OK(eo_class_weights(y, 100, 4, 0.5, w, &err), &err);
    CHECK_CLOSE(w[2], sqrt(100.0 / 15), 1e-12, 0);
    eo_rng rng;
    eo_rng_seed(&rng, 1);
    size_t *o = NULL, no = 0;
    CHECK_OK(eo_oversample(y, idx, 100, 3, 0.5, &rng, &o, &no, &err), &err);
    int cnt[3] = {0};
    for (size_t i = 0; i < no; i++)
        cnt[y[o[i]]]++;
    CHECK_EQ_INT(cnt[0], 80);
    CHECK_EQ_INT(cnt[1], 40);
    CHECK_EQ_INT(cnt[2], 40);
    free(o);
}

TEST(augmentation)
{
    float x[64], x0[64];
    for (int i = 0; i < 64; i++)
        x0[i] = x[i] = (float)sin(i * 0.3);
    eo_augment_options o;
    eo_augment_defaults(&o);
    eo_rng rng;
    eo_rng_seed(&rng, 5);
    eo_error err;
    o.scale_lo = o.scale_hi = 2.0;
    CHECK_OK(eo_augment_beat(x, 64, 32, &o, &rng, &err), &err);
    for (int i = 0; i < 64; i++)
        CHECK_CLOSE(x[i], 2 * x0[i], 1e-6, 1e-7);
    /* stretch keeps the sample at R, widens the rest */
    memcpy(x, x0, sizeof x);
    eo_augment_defaults(&o);
    o.stretch_lo = o.stretch_hi = 2.0;
    CHECK_OK(eo_augment_beat(x, 64, 32, &o, &rng, &err), &err);
    CHECK_CLOSE(x[32], x0[32], 0, 1e-7);
    CHECK_CLOSE(x[34], x0[33], 0, 1e-6); /* output 34 shows input 33 */
    CHECK_CLOSE(x[33], 0.5 * (x0[32] + x0[33]), 0, 1e-6);
    /* NSTDB-style noise at 6 dB SNR */
    float noise[1000];
    for (int i = 0; i < 1000; i++)
        noise[i] = (float)eo_rng_normal(&rng);
    memcpy(x, x0, sizeof x);
    eo_augment_defaults(&o);
    o.noise = noise;
    o.noise_len = 1000;
    o.noise_snr_db = 6.0;
    CHECK_OK(eo_augment_beat(x, 64, 32, &o, &rng, &err), &err);
    double ps = 0, pn = 0;
    for (int i = 0; i < 64; i++) {
        ps += (double)x0[i] * x0[i];
        pn += (double)(x[i] - x0[i]) * (x[i] - x0[i]);
    }
    /* noise was centred over the window, so the added power is exact */
    CHECK_CLOSE(10 * log10(ps / pn), 6.0, 0, 0.01);
    o.noise_len = 10;
    CHECK_EQ_INT(eo_augment_beat(x, 64, 32, &o, &rng, &err), EO_STATUS_OUT_OF_RANGE);
    eo_augment_defaults(&o);
    o.scale_lo = -1;
    CHECK_EQ_INT(eo_augment_beat(x, 64, 32, &o, &rng, &err), EO_STATUS_OUT_OF_RANGE);
}

static int have_mitdb(char *base, size_t n, const char *rec)
{
    snprintf(base, n, "%s/mitdb/%s", eo_test_data_dir(), rec);
    char hea[4200];
    snprintf(hea, sizeof hea, "%s.hea", base);
    FILE *f = fopen(hea, "r");
    if (!f)
        return 0;
    fclose(f);
    return 1;
}

TEST(ds1_aami_counts)
{
    char base[4096];
    if (!have_mitdb(base, sizeof base, "101"))
        SKIP("no MIT-BIH data");
    eo_beats_options o;
    eo_beats_defaults(&o);
    eo_beats *b = NULL;
    eo_error err;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/mitdb", eo_test_data_dir());
    CHECK_OK(eo_beats_load(dir, eo_split_ds1, 22, &o, NULL, NULL, &b, &err), &err);
    if (!b)
        return;
    /* de Chazal 2004 table I gives DS1 N 45866 S 944 V 3788 F 415 Q 8; with the
     * 0.25 s / 0.45 s window, beats too close to the record ends drop out.
     * The same numbers come from /work/shared/peers (wfdb_np + the same window). */
    CHECK_EQ_INT(b->n_records, 22);
    CHECK_EQ_INT(b->len, 252);
    CHECK_EQ_INT(b->before, 90);
    CHECK_EQ_INT(eo_beats_count(b, 0), 45848);
    CHECK_EQ_INT(eo_beats_count(b, 1), 944);
    CHECK_EQ_INT(eo_beats_count(b, 2), 3788);
    CHECK_EQ_INT(eo_beats_count(b, 3), 414);
    CHECK_EQ_INT(eo_beats_count(b, 4), 8);
    /* the R sample sits at `before` in every window: band-passed QRS peak near it */
    double at_r = 0, far = 0;
    for (size_t i = 0; i < 200; i++) {
        at_r += fabs(b->x[i * 252 + 90]);
        far += fabs(b->x[i * 252 + 10]);
    }
    CHECK(at_r > 3 * far);
    eo_beats_destroy(b);
}

TEST(fixed_window_and_norms)
{
    char base[4096];
    if (!have_mitdb(base, sizeof base, "100"))
        SKIP("no MIT-BIH data");
    eo_beats_options o;
    eo_beats_defaults(&o);
    o.window_samples = 256;
    o.norm = EO_NORM_BEAT;
    o.labels = EO_LABELS_NLRAV;
    eo_beats *b = eo_beats_new();
    eo_error err;
    CHECK_OK(eo_beats_add_record(b, base, NULL, &o, &err), &err);
    CHECK_EQ_INT(b->len, 256);
    CHECK_EQ_INT(b->before, 128);
    /* record 100: 2239 N and 33 A in the atr, 1 V; beats at the ends dropped */
    CHECK(eo_beats_count(b, 0) >= 2235 && eo_beats_count(b, 0) <= 2239);
    CHECK_EQ_INT(eo_beats_count(b, 3), 33);
    CHECK_EQ_INT(eo_beats_count(b, 4), 1);
    double mu = 0, var = 0;
    for (int k = 0; k < 256; k++)
        mu += b->x[k];
    mu /= 256;
    for (int k = 0; k < 256; k++)
        var += (b->x[k] - mu) * (b->x[k] - mu);
    CHECK_CLOSE(mu, 0.0, 0, 1e-5);
    CHECK_CLOSE(var / 256, 1.0, 1e-4, 0);
    /* a second record with another window is refused */
    o.window_samples = 360;
    char base2[4096];
    have_mitdb(base2, sizeof base2, "101");
    CHECK_EQ_INT(eo_beats_add_record(b, base2, NULL, &o, &err), EO_STATUS_BAD_FORMAT);
    eo_beats_destroy(b);
}

TEST(detector_positions_and_bad_input)
{
    char base[4096];
    if (!have_mitdb(base, sizeof base, "119"))
        SKIP("no MIT-BIH data");
    eo_error err;
    eo_beats_options o;
    eo_beats_defaults(&o);
    /* beats from a "detector" 20 ms late: labels come from the nearest reference beat */
    char atr[4200];
    snprintf(atr, sizeof atr, "%s.atr", base);
    eo_annotation_set *ref = NULL;
    CHECK_OK(eo_annot_read(atr, &ref, &err), &err);
    if (!ref)
        return;
    eo_annotation_set *det = eo_annot_set_new();
    size_t nv = 0;
    for (size_t i = 0; i < ref->n; i++)
        if (eo_annot_is_beat(ref->items[i].code)) {
            eo_annotation a = {0};
            a.sample = ref->items[i].sample + 7;
            a.code = 1;
            nv += ref->items[i].code == 5;
            eo_annot_set_push(det, &a, &err);
        }
    eo_beats *a = eo_beats_new(), *c = eo_beats_new();
    CHECK_OK(eo_beats_add_record(a, base, NULL, &o, &err), &err);
    CHECK_OK(eo_beats_add_record(c, base, det, &o, &err), &err);
    CHECK_EQ_INT(c->n, a->n);
    CHECK_EQ_INT(eo_beats_count(c, 2), eo_beats_count(a, 2));
    CHECK(nv > 400 && eo_beats_count(a, 2) + 2 >= nv); /* 119 has 444 PVCs */
    eo_beats_destroy(a);
    eo_beats_destroy(c);
    /* a lead the record does not have */
    snprintf(o.leads[0], sizeof o.leads[0], "V9");
    eo_beats *d = eo_beats_new();
    CHECK_EQ_INT(eo_beats_add_record(d, base, NULL, &o, &err), EO_STATUS_NOT_FOUND);
    CHECK(strstr(err.msg, "V9") && strstr(err.msg, "MLII"));
    /* an empty beat list */
    eo_beats_defaults(&o);
    eo_annotation_set *none = eo_annot_set_new();
    CHECK_EQ_INT(eo_beats_add_record(d, base, none, &o, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "119") != NULL);
    /* a record that does not exist */
    char missing[4200];
    snprintf(missing, sizeof missing, "%s/mitdb/999", eo_test_data_dir());
    CHECK(eo_beats_add_record(d, missing, NULL, &o, &err) != EO_STATUS_OK);
    CHECK_EQ_INT(d->n, 0);
    eo_annot_set_destroy(none);
    eo_annot_set_destroy(det);
    eo_annot_set_destroy(ref);
    eo_beats_destroy(d);
}

int main(void)
{
    RUN(rr_known_answers);
    RUN(rr_bad_input);
    RUN(label_sets);
    RUN(stratified_split_proportions);
    RUN(record_splits);
    RUN(class_weights_and_oversampling);
    RUN(augmentation);
    RUN(ds1_aami_counts);
    RUN(fixed_window_and_norms);
    RUN(detector_positions_and_bad_input);
    TEST_END();
}
