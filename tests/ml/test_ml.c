/* ml: XGBoost on a separable toy set, the features, every model through the
 * classifier interface, model-file round trips and refusals. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/ml.h"
#include "ecgopt/alloc.h"
#include "eo_test.h"
#include "ml/ml_internal.h"

TEST(gbm_separable_toy)
{
    /* four quadrants of the plane: class = (x0 > 0) + 2 (x1 > 0) */
    enum { N = 400 };
    float X[N * 2], Xt[N * 2], prob[N * 4];
    int y[N], yt[N];
    eo_rng rng;
    eo_rng_seed(&rng, 11);
    for (int i = 0; i < N; i++) {
        for (int k = 0; k < 2; k++) {
            X[2 * i + k] = (float)eo_rng_range(&rng, -1, 1);
            Xt[2 * i + k] = (float)eo_rng_range(&rng, -1, 1);
        }
        y[i] = (X[2 * i] > 0) + 2 * (X[2 * i + 1] > 0);
        yt[i] = (Xt[2 * i] > 0) + 2 * (Xt[2 * i + 1] > 0);
    }
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    o.gbm_rounds = 30;
    o.threads = 1;
    eo_gbm *g = NULL;
    eo_error err;
    CHECK_OK(eo_gbm_train(X, y, NULL, N, 2, 4, NULL, NULL, 0, &o, NULL, NULL, &g, &err), &err);
    CHECK_OK(eo_gbm_predict(g, Xt, N, 2, prob, &err), &err);
    int ok = 0;
    for (int i = 0; i < N; i++) {
        int b = 0;
        for (int k = 1; k < 4; k++)
            if (prob[4 * i + k] > prob[4 * i + b])
                b = k;
        ok += b == yt[i];
        CHECK_CLOSE(prob[4 * i] + prob[4 * i + 1] + prob[4 * i + 2] + prob[4 * i + 3], 1.0, 0, 1e-5);
    }
    CHECK_MSG(ok >= N - 8, "toy accuracy %d/%d", ok, N);
    /* raw payload round trip gives the same probabilities */
    unsigned char *buf = NULL;
    size_t nb = 0;
    eo_gbm *g2 = NULL;
    float prob2[N * 4];
    CHECK_OK(eo_gbm_save_mem(g, &buf, &nb, &err), &err);
    CHECK_OK(eo_gbm_load_mem(buf, nb, 4, &g2, &err), &err);
    CHECK_OK(eo_gbm_predict(g2, Xt, N, 2, prob2, &err), &err);
    CHECK(memcmp(prob, prob2, sizeof prob) == 0);
    buf[nb / 2] ^= 0x5a;
    eo_gbm *g3 = NULL;
    eo_gbm_load_mem(buf, 16, 4, &g3, &err); /* truncated: must fail or at least not crash */
    eo_gbm_destroy(g3);
    /* a label outside [0, k) */
    y[3] = 7;
    eo_gbm *g4 = NULL;
    CHECK_EQ_INT(eo_gbm_train(X, y, NULL, N, 2, 4, NULL, NULL, 0, &o, NULL, NULL, &g4, &err), EO_STATUS_OUT_OF_RANGE);
    free(buf);
    eo_gbm_destroy(g);
    eo_gbm_destroy(g2);
}

/* Synthetic beats: 3 records x 60 beats, 100-sample windows at 360 Hz with R
 * at 40.  N: narrow positive spike on time; V: wide negative wave, premature
 * (pre-RR 0.6 of normal) with a compensatory pause. */
static eo_beats *synth_beats(int amp_seed, eo_label_set ls)
{
    const int R = 3, M = 60, L = 100;
    eo_beats *b = eo_beats_new();
    b->n = b->cap = (size_t)R * M;
    b->n_leads = 1;
    b->len = L;
    b->before = 40;
    b->fs_hz = 360;
    b->labels = ls;
    b->x = calloc(b->n * L, sizeof *b->x);
    b->y = calloc(b->n, sizeof *b->y);
    b->record = calloc(b->n, sizeof *b->record);
    b->sample = calloc(b->n, sizeof *b->sample);
    b->code = calloc(b->n, sizeof *b->code);
    b->rr = calloc(b->n * EO_RR_N_FEATURES, sizeof *b->rr);
    b->record_names = calloc(R, sizeof *b->record_names);
    b->n_records = R;
    eo_rng rng;
    eo_rng_seed(&rng, (uint64_t)amp_seed);
    int vcls = ls == EO_LABELS_NLRAV ? 4 : 2;
    for (int r = 0; r < R; r++) {
        snprintf(b->record_names[r], 32, "s%d", r);
        long t = 500, pos[60];
        int isv[60];
        for (int i = 0; i < M; i++) {
            isv[i] = (i % 5) == 3;
            t += isv[i] ? 180 : ((i % 5) == 4 ? 420 : 300);
            pos[i] = t;
        }
        float rr[60 * EO_RR_N_FEATURES];
        eo_error err;
        eo_rr_features(pos, M, 360, 10, rr, &err);
        double amp = 0.8 + 0.2 * r;
        for (int i = 0; i < M; i++) {
            size_t j = (size_t)r * M + (size_t)i;
            float *x = b->x + j * L;
            for (int k = 0; k < L; k++) {
                double d = k - 40;
                x[k] = (float)(isv[i] ? -amp * 1.2 * exp(-d * d / (2 * 64.0))
                                      : amp * exp(-d * d / (2 * 4.0)) + 0.1 * amp * exp(-(d + 25) * (d + 25) / 20.0));
                x[k] += (float)(0.02 * eo_rng_normal(&rng));
            }
            b->y[j] = isv[i] ? vcls : 0;
            b->record[j] = r;
            b->sample[j] = pos[i];
            b->code[j] = isv[i] ? 5 : 1;
            memcpy(b->rr + j * EO_RR_N_FEATURES, rr + i * EO_RR_N_FEATURES, sizeof(float) * EO_RR_N_FEATURES);
        }
    }
    return b;
}

TEST(features_known_answers)
{
    eo_beats *b = synth_beats(1, EO_LABELS_AAMI);
    float *X = NULL;
    int nf = 0;
    eo_error err;
    CHECK_OK(eo_ml_features(b, 0, &X, &nf, &err), &err);
    CHECK_EQ_INT(nf, eo_ml_n_features(b, 0));
    CHECK_EQ_INT(eo_ml_n_features(b, 1), 18 + 15); /* samples 0, 7, ..., 98 */
    CHECK_EQ_INT(nf, 18);
    if (X) {
        /* first five are the RR ratios pre/local, post/local, pre/record, post/pre, local/record */
        for (size_t i = 0; i < b->n; i += 7) {
            CHECK_CLOSE(X[i * nf + 0], b->rr[i * EO_RR_N_FEATURES + EO_RR_PRE_LOCAL], 0, 0);
            CHECK_CLOSE(X[i * nf + 3], b->rr[i * EO_RR_N_FEATURES + EO_RR_POST_PRE], 0, 0);
        }
        /* a normal beat correlates with its record's median beat, a V beat does not */
        CHECK(X[0 * nf + 5] > 0.95);
        CHECK(X[3 * nf + 5] < 0.2);
        /* QRS peak in units of the template peak: ~1 for N */
        CHECK_CLOSE(X[0 * nf + 7], 1.0, 0.1, 0);
    }
    free(X);
    eo_beats_destroy(b);
}

/* One synthetic record of 30 beats, 200-sample windows at 360 Hz, R at 100:
 * QRS a narrow Gaussian (sd 3 samples), P wave 150 ms before R (sd 6), T
 * wave 250 ms after.  All RR 1 s except beat 10: 0.7 s after beat 9 (a
 * premature beat without P wave), 1.3 s to beat 11 (compensatory pause). */
static eo_beats *adaptive_record(void)
{
    const int M = 30, L = 200;
    eo_beats *b = eo_beats_new();
    b->n = b->cap = (size_t)M;
    b->n_leads = 1;
    b->len = L;
    b->before = 100;
    b->fs_hz = 360;
    b->labels = EO_LABELS_AAMI;
    b->x = calloc(b->n * L, sizeof *b->x);
    b->y = calloc(b->n, sizeof *b->y);
    b->record = calloc(b->n, sizeof *b->record);
    b->sample = calloc(b->n, sizeof *b->sample);
    b->code = calloc(b->n, sizeof *b->code);
    b->rr = calloc(b->n * EO_RR_N_FEATURES, sizeof *b->rr);
    b->record_names = calloc(1, sizeof *b->record_names);
    b->n_records = 1;
    snprintf(b->record_names[0], 32, "a0");
    long pos[30], t = 1000;
    for (int i = 0; i < M; i++) {
        t += i == 10 ? 252 : i == 11 ? 468 : 360;
        pos[i] = t;
    }
    eo_error err;
    eo_rr_features(pos, M, 360, 10, b->rr, &err);
    for (int i = 0; i < M; i++) {
        float *x = b->x + (size_t)i * L;
        for (int k = 0; k < L; k++) {
            double q = k - 100, p = k - 46, tw = k - 190;
            x[k] = (float)(exp(-q * q / 18.0) + 0.3 * exp(-tw * tw / 128.0));
            if (i != 10)
                x[k] += (float)(0.15 * exp(-p * p / 72.0));
        }
        b->y[i] = i == 10;
        b->sample[i] = pos[i];
        b->code[i] = i == 10 ? 8 : 1;
    }
    return b;
}

TEST(adaptive_features_known_answers)
{
    eo_beats *b = adaptive_record();
    float *X = NULL;
    int nf = 0;
    eo_error err;
    CHECK_EQ_INT(eo_ml_n_features(b, EO_ML_FEAT_ADAPTIVE), 18 + 12); /* 7 RR + 5 for the lead */
    /* waveform every 7 samples: ceil(200 / 7) = 29 */
    CHECK_EQ_INT(eo_ml_n_features(b, EO_ML_FEAT_ADAPTIVE | EO_ML_FEAT_WAVEFORM), 18 + 12 + 29);
    CHECK_OK(eo_ml_features(b, EO_ML_FEAT_ADAPTIVE, &X, &nf, &err), &err);
    CHECK_EQ_INT(nf, 30);
    if (X) {
        const float *n = X + 20 * nf + 18, *s = X + 10 * nf + 18, *a = X + 11 * nf + 18;
        /* running median of the 17 pre-RRs around beat 10 is 1 s; the
         * record's median RR is 1 s */
        CHECK_CLOSE(s[0], 0.7, 0, 1e-5); /* pre / running median */
        CHECK_CLOSE(s[1], 1.3, 0, 1e-5); /* post / running median */
        CHECK_CLOSE(s[2], 0.7, 0, 1e-5); /* pre / previous pre */
        CHECK_CLOSE(s[3], 0.7, 0, 1e-5); /* pre / record median */
        CHECK_CLOSE(a[2], 1.3 / 0.7, 0, 1e-5);
        /* prematurity over the record's median |pre/median - 1|, which is 0
         * here and floored at 0.01 */
        CHECK_CLOSE(s[4], -30.0, 0, 1e-3);
        CHECK_CLOSE(a[4], 30.0, 0, 1e-3);
        for (int j = 0; j < 4; j++)
            CHECK_CLOSE(n[j], 1.0, 0, 1e-6);
        CHECK_CLOSE(n[4], 0.0, 0, 1e-6);
        /* local irregularity: median |pre/median - 1| over beats 2..18 is 0
         * (only beats 10 and 11 depart), floored at 0.01 in the ratio */
        CHECK_CLOSE(s[5], 0.0, 0, 1e-6);
        CHECK_CLOSE(s[6], -30.0, 0, 1e-3);
        CHECK_CLOSE(n[5], 0.0, 0, 1e-6);
        CHECK_CLOSE(n[6], 0.0, 0, 1e-6);
        CHECK_CLOSE(n[7], 0.0, 0, 1e-6);
        CHECK_CLOSE(n[9], 1.0, 0, 1e-5);
        CHECK_CLOSE(n[10], 1.0, 0, 1e-5);
        CHECK_CLOSE(n[11], 1.0, 0, 1e-5);
        /* beat 10 has no P wave: its P window is flat */
        CHECK(s[7] > 1.0);
        CHECK_CLOSE(s[9], 0.0, 0, 1e-4);
        CHECK_CLOSE(s[10], 0.0, 0, 1e-2);
        CHECK(s[11] < 0.5);
        /* the first 18 columns are those of the base feature set */
        float *X0 = NULL;
        int nf0 = 0;
        CHECK_OK(eo_ml_features(b, 0, &X0, &nf0, &err), &err);
        if (X0)
            for (size_t i = 0; i < b->n; i++)
                CHECK(memcmp(X + i * nf, X0 + i * nf0, 18 * sizeof *X) == 0);
        free(X0);
    }
    free(X);
    eo_beats_destroy(b);
}

/* EO_ML_FEAT_RHYTHM appends eo_ml_rhythm_features after the adaptive block:
 * beat 10 of adaptive_record (pre 0.7 s, post 1.3 s, every other RR 1 s;
 * the +-150-beat span covers the 30 beats: median and p80 are 1 s) */
TEST(rhythm_feature_columns)
{
    eo_beats *b = adaptive_record();
    float *X = NULL;
    int nf = 0;
    eo_error err;
    CHECK_EQ_INT(eo_ml_n_features(b, EO_ML_FEAT_RHYTHM), 18 + 6);
    CHECK_EQ_INT(eo_ml_n_features(b, EO_ML_FEAT_ADAPTIVE | EO_ML_FEAT_RHYTHM), 18 + 12 + 6);
    CHECK_OK(eo_ml_features(b, EO_ML_FEAT_ADAPTIVE | EO_ML_FEAT_RHYTHM, &X, &nf, &err), &err);
    CHECK_EQ_INT(nf, 36);
    if (X) {
        const float *s = X + 10 * nf + 30, *n = X + 20 * nf + 30;
        CHECK_CLOSE(s[0], 0.7, 0, 1e-5);
        CHECK_CLOSE(s[1], 1.3, 0, 1e-5);
        CHECK_CLOSE(s[2], 0.7, 0, 1e-5);
        CHECK_CLOSE(s[3], 1.3, 0, 1e-5);
        CHECK_CLOSE(s[4], 1.0, 0, 1e-6);
        CHECK_CLOSE(s[5], 0.0, 0, 0); /* the shortest pre-RR of the record */
        CHECK_CLOSE(n[0], 1.0, 0, 1e-6);
        CHECK_CLOSE(n[5], 1.0 / 29.0, 0, 1e-6); /* only beat 10 is shorter */
        /* the adaptive block is unchanged by the rhythm block */
        float *X1 = NULL;
        int nf1 = 0;
        CHECK_OK(eo_ml_features(b, EO_ML_FEAT_ADAPTIVE, &X1, &nf1, &err), &err);
        if (X1)
            for (size_t i = 0; i < b->n; i++)
                CHECK(memcmp(X + i * nf, X1 + i * nf1, 30 * sizeof *X) == 0);
        free(X1);
    }
    free(X);
    eo_beats_destroy(b);
}

/* degenerate shapes: a window that starts 5 samples before R (no P window),
 * a record of one beat, zero RR: finite features, no crash */
TEST(adaptive_features_degenerate)
{
    eo_beats *b = adaptive_record();
    b->before = 5;
    b->record[29] = 1; /* beat 29 alone in a second record */
    b->n_records = 2;
    char (*names)[32] = realloc(b->record_names, 2 * sizeof *b->record_names);
    CHECK(names != NULL);
    if (names) {
        b->record_names = names;
        snprintf(b->record_names[1], 32, "a1");
    }
    for (int j = 0; j < EO_RR_N_FEATURES; j++)
        b->rr[3 * EO_RR_N_FEATURES + j] = 0.0f;
    float *X = NULL;
    int nf = 0;
    eo_error err;
    CHECK_OK(eo_ml_features(b, EO_ML_FEAT_ADAPTIVE, &X, &nf, &err), &err);
    if (X) {
        size_t bad = 0;
        for (size_t i = 0; i < b->n * (size_t)nf; i++)
            bad += !isfinite(X[i]);
        CHECK_EQ_INT(bad, 0);
        /* no P window: the P features are neutral (1) */
        CHECK_CLOSE(X[20 * nf + 18 + 9], 1.0, 0, 0);
        /* the lone beat is its own record's median beat and rhythm */
        CHECK_CLOSE(X[29 * nf + 18 + 0], 1.0, 0, 1e-6);
        CHECK_CLOSE(X[29 * nf + 18 + 7], 0.0, 0, 1e-6);
    }
    free(X);
    eo_beats_destroy(b);
}

/* class_scale moves the decision and travels in the model file */
TEST(class_scale_decision)
{
    eo_beats *tr = synth_beats(1, EO_LABELS_AAMI), *te = synth_beats(2, EO_LABELS_AAMI);
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    o.gbm_rounds = 10;
    o.gbm_adaptive = 1;
    o.threads = 1;
    eo_beats_options how;
    eo_beats_defaults(&how);
    eo_classifier *c = NULL, *cs = NULL, *c2 = NULL;
    eo_error err;
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err), &err);
    o.class_scale[2] = 1e-6; /* V practically never wins */
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &cs, &err), &err);
    int *p = malloc(te->n * sizeof *p), *q = malloc(te->n * sizeof *q);
    float *pp = malloc(te->n * 5 * sizeof *pp), *pq = malloc(te->n * 5 * sizeof *pq);
    if (c && cs) {
        CHECK_OK(eo_classifier_predict(c, te, p, pp, &err), &err);
        CHECK_OK(eo_classifier_predict(cs, te, q, pq, &err), &err);
        size_t nv = 0, nvs = 0;
        for (size_t i = 0; i < te->n; i++) {
            nv += p[i] == 2;
            nvs += q[i] == 2;
        }
        CHECK_MSG(nv == eo_beats_count(te, 2), "V predicted %zu of %zu", nv, eo_beats_count(te, 2));
        CHECK_EQ_INT(nvs, 0);
        /* the probabilities are the unscaled ones: same trees, same seed */
        CHECK(memcmp(pp, pq, te->n * 5 * sizeof *pp) == 0);
        const char *path = "test_ml_scale.model";
        CHECK_OK(eo_classifier_save(cs, path, &err), &err);
        CHECK_OK(eo_classifier_load(path, &c2, &err), &err);
        if (c2) {
            CHECK_OK(eo_classifier_predict(c2, te, p, NULL, &err), &err);
            CHECK(memcmp(p, q, te->n * sizeof *p) == 0);
        }
        /* a non-positive scale in the header is refused */
        unsigned char *d = NULL;
        size_t n = 0;
        CHECK_OK(eo_read_file(path, &d, &n, &err), &err);
        char *line = d ? strstr((char *)d, "class_scale 1 ") : NULL;
        CHECK(line != NULL);
        if (line) {
            line[11] = '-'; /* "class_scale-1 ..." */
            CHECK_OK(eo_write_file_atomic(path, d, n, &err), &err);
            eo_classifier *c3 = NULL;
            CHECK_EQ_INT(eo_classifier_load(path, &c3, &err), EO_STATUS_BAD_FORMAT);
            CHECK(strstr(err.msg, "class_scale") != NULL);
            CHECK(c3 == NULL);
            eo_classifier_destroy(c3);
        }
        free(d);
        remove(path);
    }
    free(p);
    free(q);
    free(pp);
    free(pq);
    eo_classifier_destroy(c);
    eo_classifier_destroy(cs);
    eo_classifier_destroy(c2);
    eo_beats_destroy(tr);
    eo_beats_destroy(te);
}

static double accuracy(const eo_classifier *c, const eo_beats *b)
{
    int *p = malloc(b->n * sizeof *p);
    eo_error err;
    if (eo_classifier_predict(c, b, p, NULL, &err)) {
        fprintf(stderr, "predict: %s\n", err.msg);
        free(p);
        return -1;
    }
    size_t ok = 0;
    for (size_t i = 0; i < b->n; i++)
        ok += p[i] == b->y[i];
    free(p);
    return (double)ok / (double)b->n;
}

static void roundtrip(const char *model, int epochs)
{
    eo_beats *tr = synth_beats(1, EO_LABELS_AAMI), *te = synth_beats(2, EO_LABELS_AAMI);
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    snprintf(o.model, sizeof o.model, "%s", model);
    o.gbm_rounds = 20;
    o.epochs = epochs;
    o.batch = 16;
    o.lr = 3e-3;
    o.threads = 1;
    eo_beats_options how;
    eo_beats_defaults(&how);
    eo_classifier *c = NULL, *c2 = NULL;
    eo_error err;
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err), &err);
    if (!c) {
        eo_beats_destroy(tr);
        eo_beats_destroy(te);
        return;
    }
    double acc = accuracy(c, te);
    CHECK_MSG(acc >= 0.95, "%s accuracy %.3f on the synthetic set", model, acc);
    /* no validation data: every epoch runs (gbm: 0), no best epoch */
    int best_ep = -1;
    CHECK_EQ_INT(eo_classifier_epochs_run(c, &best_ep), epochs);
    CHECK_EQ_INT(best_ep, 0);
    char path[256];
    snprintf(path, sizeof path, "test_ml_%s.model", model);
    CHECK_OK(eo_classifier_save(c, path, &err), &err);
    CHECK_OK(eo_classifier_load(path, &c2, &err), &err);
    if (c2) {
        float *p1 = malloc(te->n * 5 * sizeof *p1), *p2 = malloc(te->n * 5 * sizeof *p2);
        int *q1 = malloc(te->n * sizeof *q1), *q2 = malloc(te->n * sizeof *q2);
        CHECK_OK(eo_classifier_predict(c, te, q1, p1, &err), &err);
        CHECK_OK(eo_classifier_predict(c2, te, q2, p2, &err), &err);
        CHECK(memcmp(p1, p2, te->n * 5 * sizeof *p1) == 0);
        CHECK(!strcmp(eo_classifier_model(c2), model));
        CHECK_EQ_INT(eo_classifier_labels(c2), EO_LABELS_AAMI);
        CHECK_CLOSE(eo_classifier_fs(c2), 360.0, 0, 0);
        eo_beats_options h2;
        eo_classifier_beats_options(c2, &h2);
        CHECK(!strcmp(h2.leads[0], "MLII"));
        CHECK_CLOSE(h2.band_hi_hz, 40.0, 0, 0);
        free(p1);
        free(p2);
        free(q1);
        free(q2);
    }
    /* every allocation of loading the file failing in turn: NO_MEMORY, no
     * leak (include/ecgopt/alloc.h; skipped in builds without the hook) */
    eo_alloc_hook h = {0, 0, 0};
    if (eo_alloc_hook_install(&h)) {
        eo_classifier *c3 = NULL;
        eo_status st = eo_classifier_load(path, &c3, &err);
        eo_alloc_hook_install(NULL);
        CHECK_OK(st, &err);
        eo_classifier_destroy(c3);
        CHECK_MSG(h.count >= 3, "%s load: %ld allocations", model, h.count);
        for (long k = 1; k <= h.count; k++) {
            eo_alloc_hook f = {k, 0, 0};
            c3 = NULL;
            eo_alloc_hook_install(&f);
            st = eo_classifier_load(path, &c3, &err);
            eo_alloc_hook_install(NULL);
            CHECK_MSG(f.failed == 1 && st == EO_STATUS_NO_MEMORY && !c3,
                      "%s load, allocation %ld of %ld failing: status %d (%s)", model, k, h.count,
                      (int)st, err.msg);
            eo_classifier_destroy(c3);
        }
    }
    /* a dataset with another label set or sampling rate is refused */
    eo_beats *other = synth_beats(3, EO_LABELS_NLRAV);
    int *q = malloc(other->n * sizeof *q);
    CHECK_EQ_INT(eo_classifier_predict(c, other, q, NULL, &err), EO_STATUS_UNSUPPORTED);
    CHECK(strstr(err.msg, "label set aami") != NULL);
    other->labels = EO_LABELS_AAMI;
    other->fs_hz = 250;
    CHECK_EQ_INT(eo_classifier_predict(c, other, q, NULL, &err), EO_STATUS_UNSUPPORTED);
    CHECK(strstr(err.msg, "360 Hz") && strstr(err.msg, "250 Hz"));
    free(q);
    eo_beats_destroy(other);
    remove(path);
    eo_classifier_destroy(c);
    eo_classifier_destroy(c2);
    eo_beats_destroy(tr);
    eo_beats_destroy(te);
}

TEST(gbm_model_round_trip) { roundtrip("gbm", 0); }

TEST(oversampled_augmented_training)
{
    /* V is 1 beat in 5; oversampling to the N count with augmented copies
     * still separates the classes, and the copies differ from the originals */
    eo_beats *tr = synth_beats(1, EO_LABELS_AAMI), *te = synth_beats(2, EO_LABELS_AAMI);
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    o.gbm_rounds = 20;
    o.threads = 1;
    o.oversample = 1.0;
    o.augment = 1;
    eo_beats_options how;
    eo_beats_defaults(&how);
    eo_classifier *c = NULL;
    eo_error err;
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err), &err);
    if (c)
        CHECK(accuracy(c, te) >= 0.95);
    eo_classifier_destroy(c);
    c = NULL;
    /* with real-noise augmentation (a stand-in for an NSTDB record): still
     * separable at 12 dB; a noise record shorter than a beat is refused */
    float noise[4000];
    eo_rng nr;
    eo_rng_seed(&nr, 7);
    for (int i = 0; i < 4000; i++)
        noise[i] = (float)(0.3 * sin(0.05 * i) + 0.1 * eo_rng_normal(&nr));
    o.augment_noise = noise;
    o.augment_noise_len = 4000;
    o.augment_snr_db = 12;
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err), &err);
    if (c)
        CHECK(accuracy(c, te) >= 0.95);
    eo_classifier_destroy(c);
    c = NULL;
    o.augment_noise_len = 10;
    CHECK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err) != EO_STATUS_OK);
    CHECK(c == NULL);
    /* augmented copies of every beat, no oversampling: the copies carry the
     * noise (a too-short record is caught only if they are augmented), the
     * classes stay separable, and the model differs from one without copies */
    o.oversample = 0;
    o.augment = 0;
    o.augment_copies = 2;
    CHECK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err) != EO_STATUS_OK);
    CHECK(c == NULL);
    o.augment_noise_len = 4000;
    o.augment_snr_db = 6;
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err), &err);
    o.augment_copies = 0;
    eo_classifier *plain = NULL;
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &plain, &err), &err);
    if (c && plain) {
        CHECK(accuracy(c, te) >= 0.95);
        float *p1 = malloc(te->n * 5 * sizeof *p1), *p2 = malloc(te->n * 5 * sizeof *p2);
        int *y1 = malloc(te->n * sizeof *y1);
        double diff = 0;
        if (p1 && p2 && y1 && !eo_classifier_predict(c, te, y1, p1, &err) &&
            !eo_classifier_predict(plain, te, y1, p2, &err))
            for (size_t i = 0; i < te->n * 5; i++)
                diff += fabs((double)p1[i] - (double)p2[i]);
        CHECK_MSG(diff > 1e-3, "copies changed no probability (sum |dp| = %g)", diff);
        free(p1);
        free(p2);
        free(y1);
    }
    eo_classifier_destroy(c);
    eo_classifier_destroy(plain);
    c = NULL;
    o.augment_copies = 65; /* out of range */
    CHECK_EQ_INT(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(c == NULL);
    o.augment_copies = 0;
    o.augment = 1;
    o.augment_noise = NULL;
    o.augment_noise_len = 0;
    o.oversample = 2.0; /* out of range */
    CHECK_EQ_INT(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err), EO_STATUS_OUT_OF_RANGE);
    eo_beats_destroy(tr);
    eo_beats_destroy(te);
}
TEST(mlp_model_round_trip) { roundtrip("mlp", 30); }
TEST(cnn9_model_round_trip) { roundtrip("cnn9", 15); }

TEST(every_network_builds_and_trains)
{
    /* one epoch each: the built-in specs fit the default 252-sample window */
    const char *models[] = {"cnn", "lstm", "cnnlstm", "rescnn"};
    eo_beats *tr = synth_beats(1, EO_LABELS_AAMI);
    /* stretch the synthetic windows to 252 samples: pad with zeros */
    eo_beats *b = eo_beats_new();
    *b = *tr;
    b->len = 252;
    b->before = 90;
    b->x = calloc(tr->n * 252, sizeof *b->x);
    for (size_t i = 0; i < tr->n; i++)
        memcpy(b->x + i * 252 + 50, tr->x + i * 100, 100 * sizeof(float));
    free(tr->x);
    tr->x = NULL;
    /* ownership of the other arrays moved to b */
    tr->y = NULL; tr->record = NULL; tr->sample = NULL; tr->code = NULL; tr->rr = NULL;
    tr->record_names = NULL;
    eo_beats_destroy(tr);
    eo_beats_options how;
    eo_beats_defaults(&how);
    for (int m = 0; m < 4; m++) {
        eo_classifier_options o;
        eo_classifier_defaults(&o);
        snprintf(o.model, sizeof o.model, "%s", models[m]);
        o.epochs = 1;
        o.batch = 32;
        o.threads = 1;
        eo_classifier *c = NULL;
        eo_error err;
        CHECK_OK(eo_classifier_train(&o, &how, b, NULL, NULL, NULL, &c, &err), &err);
        if (c)
            CHECK(accuracy(c, b) >= 0.0);
        eo_classifier_destroy(c);
    }
    /* a spec whose output does not match the label set */
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    snprintf(o.model, sizeof o.model, "cnn");
    o.spec = "flatten dense(3)";
    eo_classifier *c = NULL;
    eo_error err;
    CHECK_EQ_INT(eo_classifier_train(&o, &how, b, NULL, NULL, NULL, &c, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "3 outputs") != NULL);
    snprintf(o.model, sizeof o.model, "svm");
    CHECK_EQ_INT(eo_classifier_train(&o, &how, b, NULL, NULL, NULL, &c, &err), EO_STATUS_USAGE);
    eo_beats_destroy(b);
}

TEST(model_file_damage)
{
    eo_beats *tr = synth_beats(1, EO_LABELS_AAMI);
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    o.gbm_rounds = 5;
    o.threads = 1;
    eo_beats_options how;
    eo_beats_defaults(&how);
    eo_classifier *c = NULL, *c2 = NULL;
    eo_error err;
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err), &err);
    const char *path = "test_ml_damage.model";
    CHECK_OK(eo_classifier_save(c, path, &err), &err);
    unsigned char *d = NULL;
    size_t n = 0;
    CHECK_OK(eo_read_file(path, &d, &n, &err), &err);
    if (d && n > 100) {
        d[n - 10] ^= 0x40; /* payload bit flip */
        CHECK_OK(eo_write_file_atomic(path, d, n, &err), &err);
        CHECK_EQ_INT(eo_classifier_load(path, &c2, &err), EO_STATUS_BAD_CHECKSUM);
        CHECK_OK(eo_write_file_atomic(path, d, n - 10, &err), &err); /* truncated */
        CHECK_EQ_INT(eo_classifier_load(path, &c2, &err), EO_STATUS_BAD_FORMAT);
        d[0] = 'X';
        CHECK_OK(eo_write_file_atomic(path, d, n, &err), &err);
        CHECK_EQ_INT(eo_classifier_load(path, &c2, &err), EO_STATUS_BAD_FORMAT);
        CHECK(strstr(err.msg, path) != NULL);
    }
    CHECK(eo_classifier_load("no_such_file.model", &c2, &err) != EO_STATUS_OK);
    CHECK(c2 == NULL);
    free(d);
    remove(path);
    eo_classifier_destroy(c);
    eo_beats_destroy(tr);
}

TEST(classify_mitdb_record)
{
    char dir[4096], base[4200];
    snprintf(dir, sizeof dir, "%s/mitdb", eo_test_data_dir());
    snprintf(base, sizeof base, "%s/119.hea", dir);
    FILE *f = fopen(base, "r");
    if (!f)
        SKIP("no MIT-BIH data");
    fclose(f);
    const char *recs[2] = {"119", "208"};
    eo_beats_options how;
    eo_beats_defaults(&how);
    eo_beats *b = NULL;
    eo_error err;
    CHECK_OK(eo_beats_load(dir, recs, 2, &how, NULL, NULL, &b, &err), &err);
    if (!b)
        return;
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    o.gbm_rounds = 30;
    o.threads = 1;
    eo_classifier *c = NULL;
    CHECK_OK(eo_classifier_train(&o, &how, b, NULL, NULL, NULL, &c, &err), &err);
    eo_annotation_set *out = NULL;
    snprintf(base, sizeof base, "%s/119", dir);
    CHECK_OK(eo_classify_record(c, base, NULL, &out, &err), &err);
    if (out) {
        /* one label per reference beat; V recognised (trained on this record) */
        CHECK_EQ_INT(out->n, 1987);
        eo_ec57_result g;
        eo_ec57_stats s;
        eo_annotation_set *ref = NULL;
        char atr[4300];
        snprintf(atr, sizeof atr, "%s.atr", base);
        CHECK_OK(eo_annot_read(atr, &ref, &err), &err);
        eo_ec57_options eo;
        eo_ec57_defaults(&eo, 360);
        CHECK_OK(eo_ec57_compare(ref, out, &eo, &g, &err), &err);
        eo_ec57_stats_of(&g, &s);
        CHECK_MSG(s.veb_se > 95 && s.veb_ppv > 95, "119 VEB Se %.1f +P %.1f", s.veb_se, s.veb_ppv);
        eo_annot_set_destroy(ref);
    }
    eo_annot_set_destroy(out);
    /* record 102 has no MLII (V5 and V2): clear refusal */
    snprintf(base, sizeof base, "%s/102", dir);
    out = NULL;
    CHECK_EQ_INT(eo_classify_record(c, base, NULL, &out, &err), EO_STATUS_NOT_FOUND);
    CHECK(strstr(err.msg, "MLII") && strstr(err.msg, "V5"));
    CHECK(out == NULL);
    eo_classifier_destroy(c);
    eo_beats_destroy(b);
}

/* ---- training history (eo_classifier_options.on_epoch) ------------------ */

typedef struct {
    int n;
    eo_classifier_epoch e[64];
} history;

static void record_epoch(void *user, const eo_classifier_epoch *e)
{
    history *h = user;
    if (h->n < 64)
        h->e[h->n] = *e;
    h->n++;
}

TEST(gbm_eval_output_parsing)
{
    /* XGBoosterEvalOneIter's format: "[iter]\tname-metric:value..." */
    const char *s = "[4]\ttrain-mlogloss:0.52318\ttrain-merror:0.0125\tval-mlogloss:0.9\tval-merror:0.25";
    CHECK_CLOSE(eo_gbm_eval_value(s, "train", "mlogloss"), 0.52318, 0, 0);
    CHECK_CLOSE(eo_gbm_eval_value(s, "train", "merror"), 0.0125, 0, 0);
    CHECK_CLOSE(eo_gbm_eval_value(s, "val", "mlogloss"), 0.9, 0, 0);
    CHECK_CLOSE(eo_gbm_eval_value(s, "val", "merror"), 0.25, 0, 0);
    CHECK(isnan(eo_gbm_eval_value(s, "val", "auc")));
    CHECK(isnan(eo_gbm_eval_value(s, "test", "mlogloss")));
    /* "val-" inside "eval-" is not the field; a later real one is found */
    CHECK(isnan(eo_gbm_eval_value("[0]\teval-merror:0.5", "val", "merror")));
    CHECK_CLOSE(eo_gbm_eval_value("[0]\teval-merror:0.5\tval-merror:0.125", "val", "merror"), 0.125, 0, 0);
    /* the first field right after the iteration, scientific notation, junk */
    CHECK_CLOSE(eo_gbm_eval_value("[0]train-mlogloss:1.5e-3", "train", "mlogloss"), 1.5e-3, 0, 0);
    CHECK(isnan(eo_gbm_eval_value("[0]\ttrain-mlogloss:abc", "train", "mlogloss")));
    CHECK(isnan(eo_gbm_eval_value("[0]\ttrain-mlogloss:", "train", "mlogloss")));
    CHECK(isnan(eo_gbm_eval_value("", "train", "mlogloss")));
    CHECK(isnan(eo_gbm_eval_value(NULL, "train", "mlogloss")));
}

/* The model file without its train_seconds line (wall time differs). */
static char *model_text(const char *path, size_t *n)
{
    unsigned char *d = NULL;
    eo_error err;
    *n = 0;
    if (eo_read_file(path, &d, n, &err))
        return NULL;
    char *s = (char *)d, *t = strstr(s, "train_seconds ");
    if (t) {
        char *e = strchr(t, '\n');
        if (e) {
            memmove(t, e + 1, *n - (size_t)(e + 1 - s));
            *n -= (size_t)(e + 1 - t);
        }
    }
    return s;
}

/* Unweighted mean cross-entropy and argmax accuracy of c on b (the figures
 * the gbm history claims to report). */
static void plain_fit(const eo_classifier *c, const eo_beats *b, double *loss, double *acc)
{
    int k = eo_label_set_n_classes(b->labels);
    int *pred = malloc(b->n * sizeof *pred);
    float *p = malloc(b->n * (size_t)k * sizeof *p);
    eo_error err;
    *loss = *acc = NAN;
    if (pred && p && !eo_classifier_predict(c, b, pred, p, &err)) {
        double l = 0;
        long ok = 0, m = 0;
        for (size_t i = 0; i < b->n; i++) {
            if (b->y[i] < 0 || b->y[i] >= k)
                continue;
            const float *q = p + i * (size_t)k;
            int best = 0;
            for (int j = 1; j < k; j++)
                if (q[j] > q[best])
                    best = j;
            l -= log(q[b->y[i]] > 1e-15f ? q[b->y[i]] : 1e-15f);
            ok += best == b->y[i];
            m++;
        }
        *loss = l / (double)m;
        *acc = (double)ok / (double)m;
    }
    free(pred);
    free(p);
}

TEST(gbm_history_hook)
{
    char dir[4096], probe[4200];
    snprintf(dir, sizeof dir, "%s/mitdb", eo_test_data_dir());
    snprintf(probe, sizeof probe, "%s/106.hea", dir);
    FILE *f = fopen(probe, "r");
    if (!f)
        SKIP("no MIT-BIH data");
    fclose(f);
    /* a small real DS1 subset: two records to boost on (N and V beats), one
     * held out (S beats among them) */
    const char *trn[2] = {"106", "119"}, *vrn[1] = {"223"};
    eo_beats_options how;
    eo_beats_defaults(&how);
    eo_beats *tr = NULL, *va = NULL;
    eo_error err;
    CHECK_OK(eo_beats_load(dir, trn, 2, &how, NULL, NULL, &tr, &err), &err);
    CHECK_OK(eo_beats_load(dir, vrn, 1, &how, NULL, NULL, &va, &err), &err);
    if (!tr || !va) {
        eo_beats_destroy(tr);
        eo_beats_destroy(va);
        return;
    }
    enum { ROUNDS = 12 };
    eo_classifier_options o;
    eo_classifier_defaults(&o); /* class weights on: the history must not be weighted */
    o.gbm_rounds = ROUNDS;
    o.threads = 1;
    eo_classifier *c0 = NULL, *c1 = NULL, *c2 = NULL;
    CHECK_OK(eo_classifier_train(&o, &how, tr, va, NULL, NULL, &c0, &err), &err);
    history h;
    memset(&h, 0, sizeof h);
    o.on_epoch = record_epoch;
    o.on_epoch_user = &h;
    CHECK_OK(eo_classifier_train(&o, &how, tr, va, NULL, NULL, &c1, &err), &err);
    if (!c0 || !c1)
        goto out;
    /* once per round, in order, finite values in range */
    CHECK_EQ_INT(h.n, ROUNDS);
    for (int i = 0; i < h.n && i < ROUNDS; i++) {
        const eo_classifier_epoch *e = &h.e[i];
        CHECK_EQ_INT(e->epoch, i + 1);
        CHECK_EQ_INT(e->total, ROUNDS);
        CHECK_MSG(isfinite(e->train_loss) && e->train_loss > 0 && e->train_loss < log(5.0),
                  "round %d train loss %g", i + 1, e->train_loss);
        CHECK_MSG(isfinite(e->val_loss) && e->val_loss > 0, "round %d val loss %g", i + 1, e->val_loss);
        CHECK_MSG(e->train_acc >= 0 && e->train_acc <= 1 && e->val_acc >= 0 && e->val_acc <= 1,
                  "round %d accuracy %g / %g", i + 1, e->train_acc, e->val_acc);
        /* boosting lowers the training loss every round (eta 0.1, depth 4) */
        if (i > 0)
            CHECK_MSG(e->train_loss < h.e[i - 1].train_loss, "round %d train loss %g after %g", i + 1,
                      e->train_loss, h.e[i - 1].train_loss);
    }
    CHECK_MSG(h.e[ROUNDS - 1].train_loss < 0.6 * h.e[0].train_loss, "train loss %g -> %g",
              h.e[0].train_loss, h.e[ROUNDS - 1].train_loss);
    /* the last point is the final model's plain cross-entropy and accuracy
     * (XGBoost prints the figures to full double precision; its probabilities are
     * floats) */
    double l = 0, a = 0;
    plain_fit(c1, tr, &l, &a);
    CHECK_CLOSE(h.e[ROUNDS - 1].train_loss, l, 1e-5, 1e-7);
    CHECK_CLOSE(h.e[ROUNDS - 1].train_acc, a, 0, 1e-5);
    plain_fit(c1, va, &l, &a);
    CHECK_CLOSE(h.e[ROUNDS - 1].val_loss, l, 1e-5, 1e-7);
    CHECK_CLOSE(h.e[ROUNDS - 1].val_acc, a, 0, 1e-5);
    /* the same model with and without the hook: probabilities and file */
    {
        size_t n = va->n * 5;
        float *p0 = malloc(n * sizeof *p0), *p1 = malloc(n * sizeof *p1);
        int *q0 = malloc(va->n * sizeof *q0), *q1 = malloc(va->n * sizeof *q1);
        CHECK_OK(eo_classifier_predict(c0, va, q0, p0, &err), &err);
        CHECK_OK(eo_classifier_predict(c1, va, q1, p1, &err), &err);
        CHECK(memcmp(p0, p1, n * sizeof *p0) == 0);
        CHECK(memcmp(q0, q1, va->n * sizeof *q0) == 0);
        free(p0);
        free(p1);
        free(q0);
        free(q1);
        size_t n0 = 0, n1 = 0;
        CHECK_OK(eo_classifier_save(c0, "test_ml_hist0.model", &err), &err);
        CHECK_OK(eo_classifier_save(c1, "test_ml_hist1.model", &err), &err);
        char *t0 = model_text("test_ml_hist0.model", &n0), *t1 = model_text("test_ml_hist1.model", &n1);
        CHECK(t0 && t1 && n0 > 1000 && n0 == n1 && memcmp(t0, t1, n0) == 0);
        free(t0);
        free(t1);
        remove("test_ml_hist0.model");
        remove("test_ml_hist1.model");
    }
    /* without validation data: val figures NaN, training ones still there */
    memset(&h, 0, sizeof h);
    o.gbm_rounds = 3;
    o.class_weight_power = 0; /* unweighted boosting: evaluated on its own matrix */
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c2, &err), &err);
    CHECK_EQ_INT(h.n, 3);
    for (int i = 0; i < h.n && i < 3; i++) {
        CHECK(isnan(h.e[i].val_loss) && isnan(h.e[i].val_acc));
        CHECK(isfinite(h.e[i].train_loss) && isfinite(h.e[i].train_acc));
    }
    if (c2 && h.n == 3) {
        plain_fit(c2, tr, &l, &a);
        CHECK_CLOSE(h.e[2].train_loss, l, 1e-5, 1e-7);
    }
out:
    eo_classifier_destroy(c0);
    eo_classifier_destroy(c1);
    eo_classifier_destroy(c2);
    eo_beats_destroy(tr);
    eo_beats_destroy(va);
}

TEST(network_history_hook)
{
    /* mlp on the synthetic beats: one call per epoch run, nn's figures */
    eo_beats *tr = synth_beats(1, EO_LABELS_AAMI), *va = synth_beats(2, EO_LABELS_AAMI);
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    snprintf(o.model, sizeof o.model, "mlp");
    o.epochs = 6;
    o.batch = 16;
    o.lr = 3e-3;
    o.threads = 1;
    history h;
    memset(&h, 0, sizeof h);
    o.on_epoch = record_epoch;
    o.on_epoch_user = &h;
    eo_beats_options how;
    eo_beats_defaults(&how);
    eo_classifier *c = NULL;
    eo_error err;
    CHECK_OK(eo_classifier_train(&o, &how, tr, va, NULL, NULL, &c, &err), &err);
    int best = 0, run = eo_classifier_epochs_run(c, &best);
    CHECK(run >= 1 && run <= 6);
    CHECK_EQ_INT(h.n, run);
    for (int i = 0; i < h.n && i < 64; i++) {
        CHECK_EQ_INT(h.e[i].epoch, i + 1);
        CHECK_EQ_INT(h.e[i].total, 6);
        CHECK(isfinite(h.e[i].train_loss) && h.e[i].train_loss > 0);
        CHECK(isfinite(h.e[i].val_loss) && h.e[i].val_loss > 0);
        CHECK(h.e[i].val_acc >= 0 && h.e[i].val_acc <= 1);
        CHECK(isnan(h.e[i].train_acc)); /* eo_nn_train measures none */
    }
    /* the kept epoch is the one with the lowest validation loss */
    if (best >= 1 && best <= h.n)
        for (int i = 0; i < h.n; i++)
            CHECK(h.e[best - 1].val_loss <= h.e[i].val_loss);
    /* the synthetic classes separate: the loss falls */
    if (h.n >= 2)
        CHECK(h.e[h.n - 1].train_loss < h.e[0].train_loss);
    eo_classifier_destroy(c);
    c = NULL;
    /* without validation: every epoch, val NaN */
    memset(&h, 0, sizeof h);
    o.epochs = 2;
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err), &err);
    CHECK_EQ_INT(h.n, 2);
    for (int i = 0; i < h.n && i < 2; i++)
        CHECK(isnan(h.e[i].val_loss) && isnan(h.e[i].val_acc) && isfinite(h.e[i].train_loss));
    eo_classifier_destroy(c);
    eo_beats_destroy(tr);
    eo_beats_destroy(va);
}

/* eo_fit_stats: cross-entropy and accuracy by hand */
TEST(fit_stats_known_answers)
{
    const int y[4] = {0, 1, 1, -1}; /* the last beat has no label: not counted */
    const int pred[4] = {0, 0, 1, 1};
    const float prob[8] = {0.8f, 0.2f, 0.6f, 0.4f, 0.0f, 1.0f, 0.5f, 0.5f};
    double loss, acc;
    long cm[4];
    eo_fit_stats(y, pred, prob, 4, 2, &loss, &acc, cm);
    /* (-ln 0.8 - ln 0.4 - ln 1) / 3 */
    CHECK_CLOSE(loss, (-log((double)0.8f) - log((double)0.4f)) / 3.0, 1e-12, 0);
    CHECK_CLOSE(acc, 200.0 / 3.0, 1e-12, 0);
    CHECK(cm[0] == 1 && cm[1] == 0 && cm[2] == 1 && cm[3] == 1);
    /* a probability of 0 for the true class is floored at 1e-12 */
    const int y1[1] = {0}, p1[1] = {1};
    const float pr1[2] = {0.0f, 1.0f};
    eo_fit_stats(y1, p1, pr1, 1, 2, &loss, &acc, NULL);
    CHECK_CLOSE(loss, -log(1e-12), 1e-12, 0);
    CHECK(acc == 0.0);
    eo_fit_stats(y1, p1, pr1, 0, 2, &loss, &acc, NULL);
    CHECK(isnan(loss) && isnan(acc));
}

int main(void)
{
    RUN(fit_stats_known_answers);
    RUN(gbm_separable_toy);
    RUN(features_known_answers);
    RUN(adaptive_features_known_answers);
    RUN(adaptive_features_degenerate);
    RUN(rhythm_feature_columns);
    RUN(class_scale_decision);
    RUN(gbm_model_round_trip);
    RUN(oversampled_augmented_training);
    RUN(mlp_model_round_trip);
    RUN(cnn9_model_round_trip);
    RUN(every_network_builds_and_trains);
    RUN(model_file_damage);
    RUN(classify_mitdb_record);
    RUN(gbm_eval_output_parsing);
    RUN(gbm_history_hook);
    RUN(network_history_hook);
    TEST_END();
}
