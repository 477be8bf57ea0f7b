/* toy: a discrete quadratic (11 x 11 x 3 points) for tests; its minimum is
 * a = 1, b = -2, c = "x". */
#include <stdio.h>

#include "study/objective_internal.h"

static const char *const C[] = {"x", "y", "z"};
static const eo_param_def SPACE[] = {
    EO_PARAM_INT_DEF("a", -5, 5, 0),
    EO_PARAM_INT_DEF("b", -5, 5, 0),
    EO_PARAM_CAT_DEF("c", C),
};

static eo_status toy_eval(eo_objective *o, const double *v, uint64_t seed, double fidelity,
                          eo_trial_result *res, eo_error *err)
{
    (void)o, (void)seed, (void)err;
    double a = v[0], b = v[1], c = v[2];
    /* + 2 (1 - fidelity): a cheaper, pessimistic low-fidelity reading
     * (0 at fidelity 1), so successive-halving tests can tell rungs apart */
    res->fitness = (a - 1) * (a - 1) + (b + 2) * (b + 2) + 0.5 * c + 2.0 * (1.0 - fidelity);
    snprintf(res->info, sizeof res->info, "toy");
    return EO_STATUS_OK;
}

const eo_objective_kind eo_objective_toy = {
    .name = "toy",
    .summary = "a discrete quadratic for tests",
    .space = SPACE,
    .dim = sizeof SPACE / sizeof *SPACE,
    .optimizer = "ga",
    .pop = 8,
    .iters = 5,
    .timeout_s = 0,
    .eval = toy_eval,
};
