/* ml module internals shared by classifier.c and gbm.c (not installed). */
#ifndef ECGOPT_ML_INTERNAL_H
#define ECGOPT_ML_INTERNAL_H

#include <stddef.h>

#include "ecgopt/ml.h"

typedef struct eo_gbm eo_gbm;

struct eo_train_options;
/* The records a training run loads (train_run.c): DS1, all 44 non-paced
 * MIT-BIH records for intra/kfold, or o->train; *names owned (free each and
 * the array). */
eo_status eo_train_records_of(const struct eo_train_options *o, char ***names, int *n, eo_error *err);

/* Multi-class softprob boosting on X (n x nf, row-major), labels y in
 * [0, k), per-row weights w (may be NULL).  Validation rows Xv (nv x nf,
 * labels yv; may be NULL / 0; rows with a label outside [0, k) are skipped)
 * only feed o->on_epoch, which (when set) gets XGBoost's unweighted
 * mlogloss / merror on the training and validation rows after each round. */
eo_status eo_gbm_train(const float *X, const int *y, const float *w, size_t n, int nf, int k,
                       const float *Xv, const int *yv, size_t nv,
                       const eo_classifier_options *o, eo_progress_fn progress, void *user,
                       eo_gbm **out, eo_error *err);
/* The value of "<name>-<metric>:" in XGBoosterEvalOneIter's output
 * ("[3]\ttrain-mlogloss:0.51\ttrain-merror:0.1..."), NaN when absent or
 * not a number. */
/* Pearson correlation of a[la .. la+n) with t[lt .. lt+n) (features.c;
 * used by the morphology and the patient-adaptive features). */
double eo_ml_shifted_corr(const float *a, const float *t, int la, int lt, int n);
double eo_gbm_eval_value(const char *s, const char *name, const char *metric);
/* prob: n x k class probabilities. */
eo_status eo_gbm_predict(const eo_gbm *g, const float *X, size_t n, int nf, float *prob,
                         eo_error *err);
eo_status eo_gbm_save_mem(const eo_gbm *g, unsigned char **data, size_t *n, eo_error *err);
eo_status eo_gbm_load_mem(const unsigned char *data, size_t n, int k, eo_gbm **out,
                          eo_error *err);
void eo_gbm_destroy(eo_gbm *g);

/* features.c: median of v[0..n) by selection (reorders v), n >= 1. */
/* k-th smallest of v[0..n) (reorders v); the median is k = n/2 */
float eo_ml_select_kth(float *v, size_t n, size_t kth);
float eo_ml_select_median(float *v, size_t n);

/* adaptive.c: the patient-adaptive features of one record's beats
 * members[0..m) (time order) into out[i * nf + col_out ..]: for lead 0 the
 * EO_ML_N_ADAPTIVE_RR RR features, then for each lead its
 * EO_ML_N_ADAPTIVE_LEAD morphology features at col_out + RR + lead * LEAD.
 * cen holds each beat's window on this lead minus its median (n x len), tmpl
 * the record's median beat on it; columns col_corr / col_dist of out already
 * hold each beat's correlation with / L1 distance from tmpl.  scratch:
 * m + 17 floats. */
void eo_ml_adaptive_block(const eo_beats *b, int lead, const size_t *members, size_t m,
                          const float *cen, const float *tmpl, float *out, int nf, int col_corr,
                          int col_dist, int col_out, float *scratch);

/* The extracted beat nearest to sample t within +-w samples (b->n when
 * none).  Positions must be asked in increasing order: *j is the scan start
 * kept between calls (0 before the first).  Shared by eo_classify_record_lead
 * and eo_classify_positions so both map positions to beats the same way. */
size_t eo_beats_nearest(const eo_beats *b, long t, long w, size_t *j);

#endif
