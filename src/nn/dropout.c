/* ecgopt nn — inverted dropout (Srivastava et al. 2014): in training each
 * value is kept with probability 1-p and scaled by 1/(1-p), so inference is
 * the identity.  The mask is drawn from the caller's eo_rng. */
#include <string.h>

#include "nn/nn_internal.h"

eo_status eo_dropout_setup(eo_layer *L, eo_error *err)
{
    if (!(L->o.rate >= 0.0f && L->o.rate < 1.0f))
        return eo_error_set(err, EO_STATUS_USAGE, "dropout(%g): rate must be in [0, 1)",
                            (double)L->o.rate);
    L->out_c = L->in_c;
    L->out_l = L->in_l;
    return EO_STATUS_OK;
}

void eo_dropout_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)nn;
    const size_t m = (size_t)n * L->in_c * L->in_l;
    if (!train || L->o.rate == 0.0f || !rng) {
        memcpy(L->out, x, sizeof(float) * m);
        return;
    }
    const double p = L->o.rate;
    const float scale = (float)(1.0 / (1.0 - p));
    for (size_t i = 0; i < m; i++) {
        float k = eo_rng_uniform(rng) >= p ? scale : 0.0f;
        L->aux[i] = k;
        L->out[i] = x[i] * k;
    }
}

void eo_dropout_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    (void)nn;
    (void)x;
    if (!gx)
        return;
    const size_t m = (size_t)n * L->in_c * L->in_l;
    if (!L->train || L->o.rate == 0.0f) {
        memcpy(gx, L->gout, sizeof(float) * m);
        return;
    }
    for (size_t i = 0; i < m; i++)
        gx[i] = L->gout[i] * L->aux[i];
}
