/* ecgopt nn — low-rank channel attention of the compression paper
 * (Krishna n.d., sec. H):  Attention(X) = sigma(W2 ReLU(W1 GAP(X))),
 * Y = X * Attention(X) broadcast over time — the squeeze-and-excitation
 * block of Hu et al. 2018 (eq. 2-4) with a rank-C/r bottleneck.
 * Shapes: s = GAP(X) (n x C); z = W1 s + b1 (n x h), h = max(1, C/r);
 * a = sigma(W2 relu(z) + b2) (n x C). */
#include <cblas.h>
#include <math.h>
#include <string.h>

#include "nn/nn_internal.h"

eo_status eo_se_setup(eo_layer *L, eo_error *err)
{
    if (L->o.reduction < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "se(%d): reduction ratio must be >= 1", L->o.reduction);
    L->hidden = L->in_c / L->o.reduction;
    if (L->hidden < 1)
        L->hidden = 1;
    L->out_c = L->in_c;
    L->out_l = L->in_l;
    L->p_n = 2 * (size_t)L->hidden * L->in_c + L->hidden + L->in_c;
    return EO_STATUS_OK;
}

/* aux: s (n*C), z (n*h), r = relu(z) (n*h), a (n*C) */
void eo_se_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)train;
    (void)rng;
    const int C = L->in_c, T = L->in_l, h = L->hidden;
    const float *w1 = eo_lp(nn, L), *b1 = w1 + (size_t)h * C, *w2 = b1 + h, *b2 = w2 + (size_t)C * h;
    float *s = L->aux, *z = s + (size_t)n * C, *r = z + (size_t)n * h, *a = r + (size_t)n * h;
    for (size_t i = 0; i < (size_t)n * C; i++) {
        double acc = 0.0;
        for (int t = 0; t < T; t++)
            acc += x[i * T + t];
        s[i] = (float)(acc / T);
    }
    for (int i = 0; i < n; i++)
        memcpy(z + (size_t)i * h, b1, sizeof(float) * h);
    eo_sgemm(nn->gemm_pass, 0, 1, n, h, C, 1.0f, s, C, w1, C, 1.0f, z, h);
    for (size_t i = 0; i < (size_t)n * h; i++)
        r[i] = z[i] > 0.0f ? z[i] : 0.0f;
    for (int i = 0; i < n; i++)
        memcpy(a + (size_t)i * C, b2, sizeof(float) * C);
    eo_sgemm(nn->gemm_pass, 0, 1, n, C, h, 1.0f, r, h, w2, h, 1.0f, a, C);
    for (size_t i = 0; i < (size_t)n * C; i++) {
        a[i] = 1.0f / (1.0f + expf(-a[i]));
        for (int t = 0; t < T; t++)
            L->out[i * T + t] = x[i * T + t] * a[i];
    }
}

void eo_se_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    const int C = L->in_c, T = L->in_l, h = L->hidden;
    const float *w1 = eo_lp(nn, L), *b1 = w1 + (size_t)h * C, *w2 = b1 + h;
    float *gw1 = eo_lg(nn, L), *gb1 = gw1 + (size_t)h * C, *gw2 = gb1 + h, *gb2 = gw2 + (size_t)C * h;
    const float *s = L->aux, *z = s + (size_t)n * C, *r = z + (size_t)n * h, *a = r + (size_t)n * h;
    float *da = nn->scratch;                 /* n*C: dL/d(pre-sigmoid), later dL/ds */
    float *dzs = nn->scratch + (size_t)n * C; /* n*h: dL/dz */
    const float *dy = L->gout;
    for (size_t i = 0; i < (size_t)n * C; i++) {
        double acc = 0.0;
        for (int t = 0; t < T; t++)
            acc += (double)dy[i * T + t] * x[i * T + t];
        da[i] = (float)(acc * a[i] * (1.0f - a[i]));
    }
    /* dW2 = da^T r, db2 = sum da, dr = da W2 */
    eo_sgemm(nn->gemm_pass, 1, 0, C, h, n, 1.0f, da, C, r, h, 1.0f, gw2, h);
    for (int i = 0; i < n; i++)
        for (int c = 0; c < C; c++)
            gb2[c] += da[(size_t)i * C + c];
    eo_sgemm(nn->gemm_pass, 0, 0, n, h, C, 1.0f, da, C, w2, h, 0.0f, dzs, h);
    for (size_t i = 0; i < (size_t)n * h; i++)
        if (!(z[i] > 0.0f))
            dzs[i] = 0.0f;
    eo_sgemm(nn->gemm_pass, 1, 0, h, C, n, 1.0f, dzs, h, s, C, 1.0f, gw1, C);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < h; j++)
            gb1[j] += dzs[(size_t)i * h + j];
    if (!gx)
        return;
    /* ds = dz W1 (n x C), reusing da */
    eo_sgemm(nn->gemm_pass, 0, 0, n, C, h, 1.0f, dzs, h, w1, C, 0.0f, da, C);
    for (size_t i = 0; i < (size_t)n * C; i++) {
        const float add = da[i] / T;
        for (int t = 0; t < T; t++)
            gx[i * T + t] = dy[i * T + t] * a[i] + add;
    }
}
