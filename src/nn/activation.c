/* ecgopt nn — element-wise activations (ReLU, LeakyReLU, ELU, sigmoid,
 * tanh) and softmax over channels (per sample and time step), each with its
 * analytic derivative written from the saved output where possible. */
#include <math.h>
#include <string.h>

#include "nn/nn_internal.h"

eo_status eo_act_setup(eo_layer *L, eo_error *err)
{
    if ((L->o.type == EO_NN_ELU || L->o.type == EO_NN_LEAKYRELU) && !(L->o.alpha >= 0.0f))
        return eo_error_set(err, EO_STATUS_USAGE, "%s: alpha must be >= 0",
                            eo_nn_layer_type_name(L->o.type));
    L->out_c = L->in_c;
    L->out_l = L->in_l;
    return EO_STATUS_OK;
}

void eo_act_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)nn;
    (void)train;
    (void)rng;
    const size_t m = (size_t)n * L->in_c * L->in_l;
    float *y = L->out;
    const float a = L->o.alpha;
    switch (L->o.type) {
    case EO_NN_RELU:
        for (size_t i = 0; i < m; i++)
            y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        break;
    case EO_NN_LEAKYRELU:
        for (size_t i = 0; i < m; i++)
            y[i] = x[i] > 0.0f ? x[i] : a * x[i];
        break;
    case EO_NN_ELU:
        for (size_t i = 0; i < m; i++)
            y[i] = x[i] > 0.0f ? x[i] : a * expm1f(x[i]);
        break;
    case EO_NN_SIGMOID:
        for (size_t i = 0; i < m; i++)
            y[i] = 1.0f / (1.0f + expf(-x[i]));
        break;
    case EO_NN_TANH:
        for (size_t i = 0; i < m; i++)
            y[i] = tanhf(x[i]);
        break;
    default: { /* softmax over channels */
        const int c = L->in_c, l = L->in_l;
        for (int s = 0; s < n; s++)
            for (int t = 0; t < l; t++) {
                const float *xs = x + (size_t)s * c * l + t;
                float *ys = y + (size_t)s * c * l + t;
                float mx = xs[0];
                for (int j = 1; j < c; j++)
                    if (xs[(size_t)j * l] > mx)
                        mx = xs[(size_t)j * l];
                double z = 0.0;
                for (int j = 0; j < c; j++) {
                    ys[(size_t)j * l] = expf(xs[(size_t)j * l] - mx);
                    z += ys[(size_t)j * l];
                }
                for (int j = 0; j < c; j++)
                    ys[(size_t)j * l] = (float)(ys[(size_t)j * l] / z);
            }
    }
    }
}

void eo_act_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    (void)nn;
    if (!gx)
        return;
    const size_t m = (size_t)n * L->in_c * L->in_l;
    const float *y = L->out, *g = L->gout;
    const float a = L->o.alpha;
    switch (L->o.type) {
    case EO_NN_RELU:
        for (size_t i = 0; i < m; i++)
            gx[i] = x[i] > 0.0f ? g[i] : 0.0f;
        break;
    case EO_NN_LEAKYRELU:
        for (size_t i = 0; i < m; i++)
            gx[i] = x[i] > 0.0f ? g[i] : a * g[i];
        break;
    case EO_NN_ELU:
        for (size_t i = 0; i < m; i++)
            gx[i] = x[i] > 0.0f ? g[i] : g[i] * (y[i] + a);
        break;
    case EO_NN_SIGMOID:
        for (size_t i = 0; i < m; i++)
            gx[i] = g[i] * y[i] * (1.0f - y[i]);
        break;
    case EO_NN_TANH:
        for (size_t i = 0; i < m; i++)
            gx[i] = g[i] * (1.0f - y[i] * y[i]);
        break;
    default: {
        const int c = L->in_c, l = L->in_l;
        for (int s = 0; s < n; s++)
            for (int t = 0; t < l; t++) {
                size_t b = (size_t)s * c * l + t;
                double dot = 0.0;
                for (int j = 0; j < c; j++)
                    dot += (double)g[b + (size_t)j * l] * y[b + (size_t)j * l];
                for (int j = 0; j < c; j++)
                    gx[b + (size_t)j * l] = (float)(y[b + (size_t)j * l] * (g[b + (size_t)j * l] - dot));
            }
    }
    }
}
