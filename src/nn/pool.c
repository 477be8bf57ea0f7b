/* ecgopt nn — max and average pooling over time (PyTorch MaxPool1d /
 * AvgPool1d without padding, floor mode): lout = (lin - k) / stride + 1. */
#include <float.h>
#include <string.h>

#include "nn/nn_internal.h"

eo_status eo_pool_setup(eo_layer *L, eo_error *err)
{
    const char *nm = L->o.type == EO_NN_MAXPOOL ? "maxpool" : "avgpool";
    if (L->o.kernel < 1 || L->o.stride < 0)
        return eo_error_set(err, EO_STATUS_USAGE, "%s(%d): window must be >= 1", nm, L->o.kernel);
    if (L->o.stride == 0)
        L->o.stride = L->o.kernel;
    if (L->in_l < L->o.kernel)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "%s(%d): input length %d is shorter than the window %d", nm,
                            L->o.kernel, L->in_l, L->o.kernel);
    L->out_c = L->in_c;
    L->out_l = (L->in_l - L->o.kernel) / L->o.stride + 1;
    return EO_STATUS_OK;
}

void eo_pool_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)nn;
    (void)train;
    (void)rng;
    const int k = L->o.kernel, s = L->o.stride, lo = L->out_l, li = L->in_l;
    const size_t rows = (size_t)n * L->in_c;
    if (L->o.type == EO_NN_MAXPOOL && k == 2 && s == 2) {
        /* the common window-2 case, branch-free so it vectorises */
        for (size_t r = 0; r < rows; r++) {
            const float *xr = x + r * li;
            float *yr = L->out + r * lo, *ar = L->aux + r * lo;
            for (int t = 0; t < lo; t++) {
                const float a = xr[2 * t], b = xr[2 * t + 1];
                const int second = b > a;
                yr[t] = second ? b : a;
                ar[t] = (float)(2 * t + second);
            }
        }
    } else if (L->o.type == EO_NN_MAXPOOL) {
        /* aux holds the arg-max position (as float, exact below 2^24) */
        for (size_t r = 0; r < rows; r++) {
            const float *xr = x + r * li;
            float *yr = L->out + r * lo, *ar = L->aux + r * lo;
            for (int t = 0; t < lo; t++) {
                int best = t * s;
                float m = xr[best];
                for (int j = 1; j < k; j++)
                    if (xr[t * s + j] > m || m != m) {
                        m = xr[t * s + j];
                        best = t * s + j;
                    }
                yr[t] = m;
                ar[t] = (float)best;
            }
        }
    } else {
        const float inv = 1.0f / k;
        for (size_t r = 0; r < rows; r++) {
            const float *xr = x + r * li;
            float *yr = L->out + r * lo;
            for (int t = 0; t < lo; t++) {
                float a = 0.0f;
                for (int j = 0; j < k; j++)
                    a += xr[t * s + j];
                yr[t] = a * inv;
            }
        }
    }
}

void eo_pool_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    (void)nn;
    (void)x;
    if (!gx)
        return;
    const int k = L->o.kernel, s = L->o.stride, lo = L->out_l, li = L->in_l;
    const size_t rows = (size_t)n * L->in_c;
    memset(gx, 0, sizeof(float) * rows * li);
    for (size_t r = 0; r < rows; r++) {
        const float *gy = L->gout + r * lo;
        float *g = gx + r * li;
        if (L->o.type == EO_NN_MAXPOOL) {
            const float *ar = L->aux + r * lo;
            for (int t = 0; t < lo; t++)
                g[(int)ar[t]] += gy[t];
        } else {
            for (int t = 0; t < lo; t++)
                for (int j = 0; j < k; j++)
                    g[t * s + j] += gy[t] / k;
        }
    }
}
