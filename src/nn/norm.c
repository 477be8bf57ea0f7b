/* ecgopt nn — BatchNorm1d (Ioffe & Szegedy 2015, Algorithm 1 and 2),
 * statistics per channel over batch and time, as PyTorch: training uses the
 * biased batch variance and updates running_mean/var with `momentum` (the
 * running variance with the unbiased estimate); eval uses the running ones.
 * Backward (training): dx = inv_std / M (M dxh - sum dxh - xh sum(dxh xh)),
 * dxh = dy gamma, M = N L. */
#include <math.h>
#include <string.h>

#include "nn/nn_internal.h"

eo_status eo_bn_setup(eo_layer *L, eo_error *err)
{
    if (!(L->o.eps > 0.0f) || !(L->o.momentum >= 0.0f && L->o.momentum <= 1.0f))
        return eo_error_set(err, EO_STATUS_USAGE, "batchnorm: eps must be > 0 and momentum in [0, 1]");
    L->out_c = L->in_c;
    L->out_l = L->in_l;
    L->p_n = 2 * (size_t)L->in_c;
    L->b_n = 2 * (size_t)L->in_c;
    return EO_STATUS_OK;
}

/* aux: xhat (n*C*L), then inv_std (C), then mean (C) */
void eo_bn_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)rng;
    const int C = L->in_c, T = L->in_l;
    const float *gamma = eo_lp(nn, L), *beta = gamma + C;
    float *rm = eo_lb(nn, L), *rv = rm + C;
    const size_t cs = (size_t)n * C * T;
    float *xh = L->aux, *istd = L->aux + cs;
    const double M = (double)n * T;
    for (int c = 0; c < C; c++) {
        double mean, var;
        if (train) {
            double s = 0.0, s2 = 0.0;
            for (int i = 0; i < n; i++) {
                const float *r = x + ((size_t)i * C + c) * T;
                for (int t = 0; t < T; t++)
                    s += r[t];
            }
            mean = s / M;
            for (int i = 0; i < n; i++) {
                const float *r = x + ((size_t)i * C + c) * T;
                for (int t = 0; t < T; t++) {
                    double d = r[t] - mean;
                    s2 += d * d;
                }
            }
            var = s2 / M;
            const double mom = L->o.momentum;
            rm[c] = (float)((1.0 - mom) * rm[c] + mom * mean);
            rv[c] = (float)((1.0 - mom) * rv[c] + mom * (M > 1 ? s2 / (M - 1) : var));
        } else {
            mean = rm[c];
            var = rv[c];
        }
        const float is = (float)(1.0 / sqrt(var + L->o.eps)), fm = (float)mean;
        istd[c] = is;
        for (int i = 0; i < n; i++) {
            const size_t o = ((size_t)i * C + c) * T;
            for (int t = 0; t < T; t++) {
                const float h = (x[o + t] - fm) * is;
                xh[o + t] = h;
                L->out[o + t] = gamma[c] * h + beta[c];
            }
        }
    }
}

void eo_bn_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    (void)x;
    const int C = L->in_c, T = L->in_l;
    const float *gamma = eo_lp(nn, L);
    float *gg = eo_lg(nn, L), *gbeta = gg + C;
    const size_t cs = (size_t)n * C * T;
    const float *xh = L->aux, *istd = L->aux + cs, *dy = L->gout;
    const double M = (double)n * T;
    for (int c = 0; c < C; c++) {
        double sdy = 0.0, sdyx = 0.0;
        for (int i = 0; i < n; i++) {
            const size_t o = ((size_t)i * C + c) * T;
            for (int t = 0; t < T; t++) {
                sdy += dy[o + t];
                sdyx += (double)dy[o + t] * xh[o + t];
            }
        }
        gg[c] += (float)sdyx;
        gbeta[c] += (float)sdy;
        if (!gx)
            continue;
        const float g = gamma[c], is = istd[c];
        if (L->train) {
            const float a = (float)(sdy / M), b = (float)(sdyx / M);
            for (int i = 0; i < n; i++) {
                const size_t o = ((size_t)i * C + c) * T;
                for (int t = 0; t < T; t++)
                    gx[o + t] = g * is * (dy[o + t] - a - xh[o + t] * b);
            }
        } else {
            for (int i = 0; i < n; i++) {
                const size_t o = ((size_t)i * C + c) * T;
                for (int t = 0; t < T; t++)
                    gx[o + t] = g * is * dy[o + t];
            }
        }
    }
}
