/* ml: long-horizon rhythm features (known answers on hand-made beat lists),
 * patient-wise cross-validation (folds group whole records; out-of-fold
 * probabilities equal a model trained on the other folds) and the
 * decision-scale selection on hand-made probabilities. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/ec57.h"
#include "ecgopt/ml.h"
#include "eo_test.h"

/* Six pre-RRs of 0.5 s (a run of premature beats, the local majority), then
 * four of 1 s (sinus); post-RR = the next beat's pre-RR (last: 1 s). */
TEST(rhythm_features_known_answers)
{
    const float pre[10] = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1};
    const float post[10] = {0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 1, 1, 1, 1, 1};
    float o[10 * EO_ML_N_RHYTHM];
    eo_error err;
    /* span covers the record: median = 0.5 (rank 5 of the sorted ten), 80th
     * percentile = rank round(0.8 * 9) = 7 -> 1 s */
    CHECK_OK(eo_ml_rhythm_features(pre, post, 10, 100, o, &err), &err);
    const float *a = o, *e = o + 5 * EO_ML_N_RHYTHM, *s = o + 6 * EO_ML_N_RHYTHM;
    CHECK_CLOSE(a[0], 1.0, 0, 1e-6); /* against the median the run looks on time */
    CHECK_CLOSE(a[1], 1.0, 0, 1e-6);
    CHECK_CLOSE(a[2], 0.5, 0, 1e-6); /* against the 80th percentile it is premature */
    CHECK_CLOSE(a[3], 0.5, 0, 1e-6);
    CHECK_CLOSE(a[4], 0.5, 0, 1e-6); /* median / p80 */
    CHECK_CLOSE(a[5], 0.0, 0, 0);    /* no beat has a shorter pre-RR */
    CHECK_CLOSE(e[1], 2.0, 0, 1e-6); /* beat 5: post 1 s over the median 0.5 */
    CHECK_CLOSE(e[3], 1.0, 0, 1e-6);
    CHECK_CLOSE(s[0], 2.0, 0, 1e-6);
    CHECK_CLOSE(s[2], 1.0, 0, 1e-6);
    CHECK_CLOSE(s[5], 6.0 / 9.0, 0, 1e-6); /* six of the nine others are shorter */
    /* half span 2: beat 6 sees pre-RRs {0.5 0.5 1 1 1} (beats 4..8):
     * median 1, p80 = rank round(3.2) = 3 -> 1, two of four shorter */
    CHECK_OK(eo_ml_rhythm_features(pre, post, 10, 2, o, &err), &err);
    CHECK_CLOSE(s[0], 1.0, 0, 1e-6);
    CHECK_CLOSE(s[2], 1.0, 0, 1e-6);
    CHECK_CLOSE(s[5], 0.5, 0, 1e-6);
    /* beat 0 sees {0.5 0.5 0.5} (clipped at the record start) */
    CHECK_CLOSE(a[2], 1.0, 0, 1e-6);
    CHECK_CLOSE(a[4], 1.0, 0, 1e-6);
    /* one beat: its own reference; rank neutral */
    CHECK_OK(eo_ml_rhythm_features(pre + 6, post + 6, 1, 3, o, &err), &err);
    CHECK_CLOSE(o[0], 1.0, 0, 1e-6);
    CHECK_CLOSE(o[5], 0.5, 0, 0);
    CHECK_EQ_INT(eo_ml_rhythm_features(pre, post, 10, 0, o, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_ml_rhythm_features(NULL, post, 10, 3, o, &err), EO_STATUS_USAGE);
}

/* R records x M beats, 1 lead, 100 samples at 360 Hz with R at 40: every
 * fifth beat a wide negative premature V beat (pre-RR 0.6 of normal). */
static eo_beats *cv_beats(int R)
{
    const int M = 40, L = 100;
    eo_beats *b = eo_beats_new();
    b->n = b->cap = (size_t)R * M;
    b->n_leads = 1;
    b->len = L;
    b->before = 40;
    b->fs_hz = 360;
    b->labels = EO_LABELS_AAMI;
    b->x = calloc(b->n * L, sizeof *b->x);
    b->y = calloc(b->n, sizeof *b->y);
    b->record = calloc(b->n, sizeof *b->record);
    b->sample = calloc(b->n, sizeof *b->sample);
    b->code = calloc(b->n, sizeof *b->code);
    b->rr = calloc(b->n * EO_RR_N_FEATURES, sizeof *b->rr);
    b->record_names = calloc((size_t)R, sizeof *b->record_names);
    b->n_records = R;
    eo_rng rng;
    eo_rng_seed(&rng, 5);
    for (int r = 0; r < R; r++) {
        snprintf(b->record_names[r], 32, "c%d", r);
        long t = 500, pos[40];
        for (int i = 0; i < M; i++) {
            t += (i % 5) == 3 ? 180 : ((i % 5) == 4 ? 420 : 300);
            pos[i] = t;
        }
        float rr[40 * EO_RR_N_FEATURES];
        eo_error err;
        eo_rr_features(pos, M, 360, 10, rr, &err);
        for (int i = 0; i < M; i++) {
            size_t j = (size_t)r * M + (size_t)i;
            int v = (i % 5) == 3;
            float *x = b->x + j * L;
            for (int k = 0; k < L; k++) {
                double d = k - 40;
                x[k] = (float)(v ? -1.2 * exp(-d * d / 128.0) : exp(-d * d / 8.0));
                x[k] += (float)(0.05 * eo_rng_normal(&rng));
            }
            b->y[j] = v ? 2 : 0;
            b->record[j] = r;
            b->sample[j] = pos[i];
            b->code[j] = v ? 5 : 1;
            memcpy(b->rr + j * EO_RR_N_FEATURES, rr + i * EO_RR_N_FEATURES,
                   sizeof(float) * EO_RR_N_FEATURES);
        }
    }
    return b;
}

TEST(cv_folds_group_records)
{
    eo_beats *b = cv_beats(6);
    eo_classifier_options o;
    eo_classifier_defaults(&o);
    o.gbm_rounds = 8;
    o.threads = 1;
    o.gbm_rhythm = 1;
    eo_beats_options how;
    eo_beats_defaults(&how);
    eo_rng rng;
    eo_rng_seed(&rng, 3);
    int *fold = malloc(b->n * sizeof *fold);
    float *prob = malloc(b->n * 5 * sizeof *prob);
    eo_error err;
    CHECK_OK(eo_classifier_cv(&o, &how, b, 3, &rng, fold, prob, &err), &err);
    /* every record's beats in one fold; two records per fold */
    int rf[6], per[3] = {0, 0, 0};
    for (int r = 0; r < 6; r++)
        rf[r] = -1;
    size_t mixed = 0;
    for (size_t i = 0; i < b->n; i++) {
        int r = b->record[i];
        if (rf[r] < 0) {
            rf[r] = fold[i];
            CHECK(fold[i] >= 0 && fold[i] < 3);
            if (fold[i] >= 0 && fold[i] < 3)
                per[fold[i]]++;
        }
        mixed += rf[r] != fold[i];
    }
    CHECK_EQ_INT(mixed, 0);
    for (int f = 0; f < 3; f++)
        CHECK_EQ_INT(per[f], 2);
    /* fold 0's probabilities are those of a model trained on folds 1 and 2 */
    size_t *idx = malloc(b->n * sizeof *idx), *ho = malloc(b->n * sizeof *ho), n = 0, m = 0;
    for (size_t i = 0; i < b->n; i++)
        if (fold[i] == 0)
            ho[m++] = i;
        else
            idx[n++] = i;
    eo_beats *tr = NULL, *te = NULL;
    eo_classifier *c = NULL;
    CHECK_OK(eo_beats_subset(b, idx, n, &tr, &err), &err);
    CHECK_OK(eo_beats_subset(b, ho, m, &te, &err), &err);
    CHECK_OK(eo_classifier_train(&o, &how, tr, NULL, NULL, NULL, &c, &err), &err);
    int *pred = malloc(m * sizeof *pred);
    float *p2 = malloc(m * 5 * sizeof *p2);
    CHECK_OK(eo_classifier_predict(c, te, pred, p2, &err), &err);
    size_t differ = 0, right = 0;
    for (size_t t = 0; t < m; t++) {
        for (int j = 0; j < 5; j++)
            differ += p2[t * 5 + j] != prob[ho[t] * 5 + j];
        right += pred[t] == b->y[ho[t]];
    }
    CHECK_EQ_INT(differ, 0);
    CHECK_EQ_INT(right, m); /* the V beats are easy: all held-out beats right */
    /* k outside 2..records */
    CHECK_EQ_INT(eo_classifier_cv(&o, &how, b, 7, &rng, fold, prob, &err), EO_STATUS_OUT_OF_RANGE);
    eo_classifier_destroy(c);
    eo_beats_destroy(tr);
    eo_beats_destroy(te);
    eo_beats_destroy(b);
    free(pred);
    free(p2);
    free(idx);
    free(ho);
    free(fold);
    free(prob);
}

/* 100 N beats (p N 0.9, S 0.1), 10 S beats (N 0.6, S 0.4), 10 V beats (N
 * 0.7, V 0.3): every beat right needs S scale > 1.5 and < 9 and V scale >
 * 7/3; the first such grid points are 2^(3/4) and 2^(5/4); F has no
 * probability anywhere and stays at the first grid point, 2^(-steps/4). */
TEST(class_scale_select_known_answer)
{
    enum { N = 120 };
    float prob[N * 5];
    int y[N];
    memset(prob, 0, sizeof prob);
    for (int i = 0; i < N; i++) {
        float *q = prob + i * 5;
        if (i < 100) {
            y[i] = 0;
            q[0] = 0.9f;
            q[1] = 0.1f;
        } else if (i < 110) {
            y[i] = 1;
            q[0] = 0.6f;
            q[1] = 0.4f;
        } else {
            y[i] = 2;
            q[0] = 0.7f;
            q[2] = 0.3f;
        }
    }
    const double bars[5] = {90, 90, 75, 65, 95};
    double sc[5], mg[5];
    eo_error err;
    CHECK_OK(eo_class_scale_select(prob, y, N, bars, 8, sc, mg, &err), &err);
    CHECK_CLOSE(sc[0], 1.0, 0, 0);
    CHECK_CLOSE(sc[1], pow(2, 0.75), 0, 1e-12);
    CHECK_CLOSE(sc[2], pow(2, 1.25), 0, 1e-12);
    CHECK_CLOSE(sc[3], 0.25, 0, 1e-12);
    CHECK_CLOSE(sc[4], 1.0, 0, 0);
    CHECK_CLOSE(mg[0], 5.0, 0, 1e-9); /* accuracy 100 - 95, the smallest margin */
    CHECK_CLOSE(mg[4], 35.0, 0, 1e-9); /* SVEB +P 100 - 65 */
    eo_ec57_result g;
    eo_class_scale_matrix(prob, y, N, sc, &g);
    CHECK_EQ_INT(g.m[0][0], 100);
    CHECK_EQ_INT(g.m[1][1], 10);
    CHECK_EQ_INT(g.m[2][2], 10);
    double one[5] = {1, 1, 1, 1, 1};
    eo_class_scale_matrix(prob, y, N, one, &g); /* plain argmax: S and V all called N */
    CHECK_EQ_INT(g.m[1][0], 10);
    CHECK_EQ_INT(g.m[2][0], 10);
    CHECK_EQ_INT(eo_class_scale_select(prob, y, 0, bars, 8, sc, NULL, &err), EO_STATUS_OUT_OF_RANGE);
}

int main(void)
{
    RUN(rhythm_features_known_answers);
    RUN(cv_folds_group_records);
    RUN(class_scale_select_known_answer);
    TEST_END();
}
