/* classify-cnnlstm-gwo (Albarrak et al. 2025): a CNN front end and an LSTM; filters,
 * kernels, dropout, pooling and LSTM hidden size tuned by the Grey Wolf
 * Optimizer; AAMI classes. */
#include <stdio.h>

#include "study/objective_internal.h"

static const char *const POOLS[] = {"max", "avg"};
static const eo_param_def SPACE[] = {
    EO_PARAM_INT_DEF("filters1", 8, 64, 1),    EO_PARAM_INT_DEF("filters2", 8, 64, 1),
    EO_PARAM_INT_DEF("kernel1", 3, 11, 0),     EO_PARAM_INT_DEF("kernel2", 3, 11, 0),
    EO_PARAM_REAL_DEF("dropout1", 0.0, 0.5, 0), EO_PARAM_REAL_DEF("dropout2", 0.0, 0.5, 0),
    EO_PARAM_CAT_DEF("pool", POOLS),           EO_PARAM_INT_DEF("hidden", 16, 128, 1),
};

static void options(const eo_objective *o, const double *v, int nc, eo_classifier_options *co,
                    char *spec, size_t n)
{
    (void)co; /* the classifier's default epochs, learning rate and L2 */
#define V(name) eo_objective_value(o, v, name)
    const char *pool = (int)V("pool") == 0 ? "maxpool" : "avgpool";
    snprintf(spec, n,
             "conv(%d,%d) relu %s(2) dropout(%.4f) conv(%d,%d) relu %s(2) dropout(%.4f) "
             "lstm(%d) dense(%d)",
             (int)V("filters1"), (int)V("kernel1"), pool, V("dropout1"), (int)V("filters2"),
             (int)V("kernel2"), pool, V("dropout2"), (int)V("hidden"), nc);
#undef V
}

static const eo_cls_config CONFIG = {EO_LABELS_AAMI, options};

const eo_objective_kind eo_objective_classify_cnnlstm_gwo = {
    .name = "classify-cnnlstm-gwo",
    .summary = "CNN-LSTM tuned by the Grey Wolf Optimizer (Albarrak et al. 2025)",
    .space = SPACE,
    .dim = sizeof SPACE / sizeof *SPACE,
    .optimizer = "gwo",
    .pop = 10,
    .iters = 10,
    .timeout_s = 1800,
    .config = &CONFIG,
    .prepare = eo_cls_prepare,
    .eval = eo_cls_eval,
    .finalize = eo_cls_finalize,
    .free_state = eo_cls_destroy,
};
