/* classify-rescnn-bo (Fki et al. 2023): a residual 1-D CNN; dropout, number of
 * residual blocks, learning rate and Adam decay (as L2 weight decay) tuned
 * by Gaussian-process Bayesian optimisation; N/L/R/A/V labels. */
#include <stdio.h>

#include "ecgopt/strbuf.h"
#include "study/objective_internal.h"

static const eo_param_def SPACE[] = {
    EO_PARAM_REAL_DEF("dropout", 0.0, 0.5, 0),
    EO_PARAM_INT_DEF("layers", 1, 4, 0),
    EO_PARAM_REAL_DEF("lr", 1e-4, 1e-2, 1),
    EO_PARAM_REAL_DEF("decay", 1e-6, 1e-2, 1),
};

/* conv stem, `layers` residual blocks, dropout, dense */
static void options(const eo_objective *o, const double *v, int nc, eo_classifier_options *co,
                    char *spec, size_t n)
{
    double p = eo_objective_value(o, v, "dropout");
    int layers = (int)eo_objective_value(o, v, "layers");
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_strbuf_append(&b, "conv(32,7) relu maxpool(2)");
    for (int i = 0; i < layers; i++)
        eo_strbuf_printf(&b, " res(32,5) maxpool(2)");
    eo_strbuf_printf(&b, " dropout(%.4f) flatten dense(64) relu dropout(%.4f) dense(%d)", p, p, nc);
    snprintf(spec, n, "%s", eo_strbuf_str(&b));
    eo_strbuf_destroy(&b);
    co->lr = eo_objective_value(o, v, "lr");
    co->l2 = eo_objective_value(o, v, "decay");
}

static const eo_cls_config CONFIG = {EO_LABELS_NLRAV, options};

const eo_objective_kind eo_objective_classify_rescnn_bo = {
    .name = "classify-rescnn-bo",
    .summary = "residual CNN tuned by GP Bayesian optimisation (Fki et al. 2023)",
    .space = SPACE,
    .dim = sizeof SPACE / sizeof *SPACE,
    .optimizer = "bo",
    .pop = 1,
    .iters = 30,
    .timeout_s = 1800,
    .config = &CONFIG,
    .prepare = eo_cls_prepare,
    .eval = eo_cls_eval,
    .finalize = eo_cls_finalize,
    .free_state = eo_cls_destroy,
};
