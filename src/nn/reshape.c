/* ecgopt nn — shape layers without parameters: flatten (C*L x 1), global
 * average pooling (C x 1, mean over time) and nearest-neighbour upsampling
 * (L * factor, PyTorch Upsample(mode='nearest')). */
#include <string.h>

#include "nn/nn_internal.h"

eo_status eo_shape_setup(eo_layer *L, eo_error *err)
{
    switch (L->o.type) {
    case EO_NN_FLATTEN:
        L->out_c = L->in_c * L->in_l;
        L->out_l = 1;
        break;
    case EO_NN_GAP:
        L->out_c = L->in_c;
        L->out_l = 1;
        break;
    default: /* upsample */
        if (L->o.factor < 1 || (long)L->in_l * L->o.factor > (1L << 28))
            return eo_error_set(err, EO_STATUS_USAGE, "upsample(%d): factor must be >= 1 and keep the length sane",
                                L->o.factor);
        L->out_c = L->in_c;
        L->out_l = L->in_l * L->o.factor;
        break;
    }
    return EO_STATUS_OK;
}

void eo_shape_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)nn;
    (void)train;
    (void)rng;
    const size_t rows = (size_t)n * L->in_c;
    const int li = L->in_l;
    if (L->o.type == EO_NN_FLATTEN) {
        memcpy(L->out, x, sizeof(float) * rows * li);
    } else if (L->o.type == EO_NN_GAP) {
        for (size_t r = 0; r < rows; r++) {
            double s = 0.0;
            for (int t = 0; t < li; t++)
                s += x[r * li + t];
            L->out[r] = (float)(s / li);
        }
    } else {
        const int f = L->o.factor;
        for (size_t r = 0; r < rows; r++)
            for (int t = 0; t < li; t++)
                for (int j = 0; j < f; j++)
                    L->out[r * li * f + (size_t)t * f + j] = x[r * li + t];
    }
}

void eo_shape_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    (void)nn;
    (void)x;
    if (!gx)
        return;
    const size_t rows = (size_t)n * L->in_c;
    const int li = L->in_l;
    if (L->o.type == EO_NN_FLATTEN) {
        memcpy(gx, L->gout, sizeof(float) * rows * li);
    } else if (L->o.type == EO_NN_GAP) {
        for (size_t r = 0; r < rows; r++)
            for (int t = 0; t < li; t++)
                gx[r * li + t] = L->gout[r] / li;
    } else {
        const int f = L->o.factor;
        for (size_t r = 0; r < rows; r++)
            for (int t = 0; t < li; t++) {
                float s = 0.0f;
                for (int j = 0; j < f; j++)
                    s += L->gout[r * li * f + (size_t)t * f + j];
                gx[r * li + t] = s;
            }
    }
}
