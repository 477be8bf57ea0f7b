/* classify-cnn-olcpa (He et al. 2023): the nine-layer CNN, kernels [1,15] and
 * kernel size [1,128] per conv layer, first dense width [0,5000], epochs
 * [1,40], lr [1e-4,1e-2], L2 [1e-3,1e-2]; fitness 1 - accuracy; OLCPA,
 * population 5 x 20 iterations; N/S/V/Q labels. */
#include <stdio.h>

#include "study/objective_internal.h"

static const eo_param_def SPACE[] = {
    EO_PARAM_INT_DEF("k1", 1, 15, 0),     EO_PARAM_INT_DEF("s1", 1, 128, 0),
    EO_PARAM_INT_DEF("k2", 1, 15, 0),     EO_PARAM_INT_DEF("s2", 1, 128, 0),
    EO_PARAM_INT_DEF("k3", 1, 15, 0),     EO_PARAM_INT_DEF("s3", 1, 128, 0),
    EO_PARAM_INT_DEF("dense", 0, 5000, 0), EO_PARAM_INT_DEF("epochs", 1, 40, 0),
    EO_PARAM_REAL_DEF("lr", 1e-4, 1e-2, 1), EO_PARAM_REAL_DEF("l2", 1e-3, 1e-2, 1),
};

/* three conv-pool pairs, an optional dense layer, the output layer */
static void options(const eo_objective *o, const double *v, int nc, eo_classifier_options *co,
                    char *spec, size_t n)
{
#define V(name) eo_objective_value(o, v, name)
    int d = (int)V("dense");
    char dense[64] = "";
    if (d > 0)
        snprintf(dense, sizeof dense, "dense(%d) relu ", d);
    snprintf(spec, n,
             "conv(%d,%d) relu maxpool(2) conv(%d,%d) relu maxpool(2) conv(%d,%d) relu "
             "maxpool(2) flatten %sdense(%d)",
             (int)V("k1"), (int)V("s1"), (int)V("k2"), (int)V("s2"), (int)V("k3"), (int)V("s3"),
             dense, nc);
    co->epochs = (int)V("epochs");
    co->lr = V("lr");
    co->l2 = V("l2");
#undef V
}

static const eo_cls_config CONFIG = {EO_LABELS_NSVQ, options};

const eo_objective_kind eo_objective_classify_cnn_olcpa = {
    .name = "classify-cnn-olcpa",
    .summary = "nine-layer CNN tuned by OLCPA, 1 - validation accuracy (He et al. 2023)",
    .space = SPACE,
    .dim = sizeof SPACE / sizeof *SPACE,
    .optimizer = "olcpa",
    .pop = 5,
    .iters = 20,
    .timeout_s = 1800,
    .config = &CONFIG,
    .prepare = eo_cls_prepare,
    .eval = eo_cls_eval,
    .finalize = eo_cls_finalize,
    .free_state = eo_cls_destroy,
};
