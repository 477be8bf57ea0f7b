/* Random search (Bergstra & Bengio 2012): candidates uniform in [0,1]^D,
 * i.e. uniform over each dimension's normalised scale (log-uniform for log
 * dims, uniform over the values of discrete dims).  Batches of pop_size
 * (default 10) so workers can evaluate them in parallel. */
#include "ecgopt/opt.h"

static eo_status rs_init(eo_optimizer *opt, void **state, eo_error *err)
{
    (void)opt;
    (void)err;
    *state = NULL;
    return EO_STATUS_OK;
}

static eo_status rs_ask(eo_optimizer *opt, void *state, size_t *n, eo_error *err)
{
    (void)state;
    size_t m = eo_opt_pop(opt), d = eo_optimizer_dim(opt);
    double *x = eo_opt_batch(opt, m, err);
    if (!x)
        return err ? err->status : EO_STATUS_NO_MEMORY;
    eo_rng *rng = eo_opt_rng(opt);
    for (size_t i = 0; i < m * d; i++)
        x[i] = eo_rng_uniform(rng);
    *n = m;
    return EO_STATUS_OK;
}

static eo_status rs_tell(eo_optimizer *opt, void *state, const double *x, const double *f,
                         const eo_eval_status *st, size_t n, eo_error *err)
{
    (void)opt, (void)state, (void)x, (void)f, (void)st, (void)n, (void)err;
    return EO_STATUS_OK;
}

const eo_optimizer_vtable eo_opt_random_vtable = {
    "random", "random search: uniform samples of the normalised space", NULL, 10,
    rs_init, NULL, rs_ask, rs_tell, NULL, NULL};
