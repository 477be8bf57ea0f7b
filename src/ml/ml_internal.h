/* ml module internals shared by classifier.c and gbm.c (not installed). */
#ifndef ECGOPT_ML_INTERNAL_H
#define ECGOPT_ML_INTERNAL_H

#include <stddef.h>

#include "ecgopt/ml.h"

typedef struct eo_gbm eo_gbm;

/* Multi-class softprob boosting on X (n x nf, row-major), labels y in
 * [0, k), per-row weights w (may be NULL).  Validation rows (may be NULL /
 * 0) are only reported in the progress line. */
eo_status eo_gbm_train(const float *X, const int *y, const float *w, size_t n, int nf, int k,
                       const eo_classifier_options *o, eo_progress_fn progress, void *user,
                       eo_gbm **out, eo_error *err);
/* prob: n x k class probabilities. */
eo_status eo_gbm_predict(const eo_gbm *g, const float *X, size_t n, int nf, float *prob,
                         eo_error *err);
eo_status eo_gbm_save_mem(const eo_gbm *g, unsigned char **data, size_t *n, eo_error *err);
eo_status eo_gbm_load_mem(const unsigned char *data, size_t n, int k, eo_gbm **out,
                          eo_error *err);
void eo_gbm_destroy(eo_gbm *g);

#endif
