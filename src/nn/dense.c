/* ecgopt nn — fully connected layer (PyTorch Linear on the flattened input).
 * y = x W^T + b, W: units x F with F = C*L of the input (row-major, as torch).
 * Backward: dW = dY^T X, db = sum_n dY, dX = dY W. */
#include <cblas.h>
#include <string.h>

#include "nn/nn_internal.h"

eo_status eo_dense_setup(eo_layer *L, eo_error *err)
{
    if (L->o.units < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "dense(%d): units must be >= 1", L->o.units);
    L->out_c = L->o.units;
    L->out_l = 1;
    L->p_n = (size_t)L->o.units * L->in_c * L->in_l + L->o.units;
    return EO_STATUS_OK;
}

void eo_dense_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)train;
    (void)rng;
    const int f = L->in_c * L->in_l, u = L->out_c;
    const float *w = eo_lp(nn, L), *b = w + (size_t)u * f;
    for (int i = 0; i < n; i++)
        memcpy(L->out + (size_t)i * u, b, sizeof(float) * u);
    eo_sgemm(nn->gemm_pass, 0, 1, n, u, f, 1.0f, x, f, w, f, 1.0f, L->out,
                u);
}

void eo_dense_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    const int f = L->in_c * L->in_l, u = L->out_c;
    const float *w = eo_lp(nn, L);
    float *gw = eo_lg(nn, L), *gb = gw + (size_t)u * f;
    eo_sgemm(nn->gemm_pass, 1, 0, u, f, n, 1.0f, L->gout, u, x, f, 1.0f, gw,
                f);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < u; j++)
            gb[j] += L->gout[(size_t)i * u + j];
    if (gx)
        eo_sgemm(nn->gemm_pass, 0, 0, n, f, u, 1.0f, L->gout, u, w, f,
                    0.0f, gx, f);
}
