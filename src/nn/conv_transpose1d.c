/* ecgopt nn — 1-D transposed convolution (PyTorch ConvTranspose1d).
 *
 * lout = (lin - 1) stride - 2 pad + dil (k - 1) + 1 + out_pad.
 * It is the adjoint of a Conv1d from (cout, lout) to (cin, lin) with the
 * same kernel geometry, so forward = col2im(W^T x) and backward uses im2col:
 * the same two routines as conv1d.c with the roles of input and output
 * swapped (Dumoulin & Visin 2016, "A guide to convolution arithmetic"). */
#include <cblas.h>
#include <string.h>

#include "nn/nn_internal.h"

/* geometry of the adjoint convolution */
static eo_conv_geom adj_geom(const eo_layer *L)
{
    eo_conv_geom g = {L->out_c, L->out_l, L->in_c, L->in_l, L->o.kernel, L->o.stride, L->o.pad,
                      L->o.dilation, 0};
    return g;
}

eo_status eo_convt1d_setup(eo_layer *L, eo_error *err)
{
    const eo_nn_layer_options *o = &L->o;
    if (o->units < 1 || o->kernel < 1 || o->stride < 1 || o->dilation < 1 || o->pad < 0 ||
        o->out_pad < 0 || (o->out_pad >= o->stride && o->out_pad >= o->dilation))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "convt(%d,%d): filters, kernel, stride, dilation must be >= 1, pad >= 0, "
                            "0 <= outpad < stride",
                            o->units, o->kernel);
    long lo = (long)(L->in_l - 1) * o->stride - 2L * o->pad + (long)o->dilation * (o->kernel - 1) +
              1 + o->out_pad;
    if (lo < 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "convt(%d,%d): padding %d leaves no output for input length %d",
                            o->units, o->kernel, o->pad, L->in_l);
    L->out_l = (int)lo;
    L->out_c = o->units;
    L->p_n = (size_t)L->in_c * o->units * o->kernel + o->units;
    return EO_STATUS_OK;
}

void eo_convt1d_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)train;
    (void)rng;
    eo_conv_geom g = adj_geom(L);
    g.gemm = nn->gemm_pass;
    const float *w = eo_lp(nn, L);
    const float *b = w + (size_t)L->in_c * L->out_c * L->o.kernel;
    const int m = n * L->in_l, ck = L->out_c * L->o.kernel;
    float *xt = L->aux;          /* cin x m, kept for dW */
    float *col = nn->scratch;    /* ck x m */
    eo_ncl_to_cnl(x, n, L->in_c, L->in_l, xt);
    eo_sgemm(nn->gemm_pass, 1, 0, ck, m, L->in_c, 1.0f, w, ck, xt, m, 0.0f,
                col, m);
    eo_col2im(&g, n, col, L->out);
    for (int i = 0; i < n; i++)
        for (int c = 0; c < L->out_c; c++) {
            float *r = L->out + ((size_t)i * L->out_c + c) * L->out_l;
            for (int t = 0; t < L->out_l; t++)
                r[t] += b[c];
        }
}

void eo_convt1d_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    (void)x;
    eo_conv_geom g = adj_geom(L);
    g.gemm = nn->gemm_pass;
    const float *w = eo_lp(nn, L);
    float *gw = eo_lg(nn, L);
    float *gb = gw + (size_t)L->in_c * L->out_c * L->o.kernel;
    const int m = n * L->in_l, ck = L->out_c * L->o.kernel;
    float *dcol = nn->scratch;                 /* ck x m */
    float *dxt = nn->scratch + (size_t)ck * m; /* cin x m */
    for (int i = 0; i < n; i++)
        for (int c = 0; c < L->out_c; c++) {
            const float *r = L->gout + ((size_t)i * L->out_c + c) * L->out_l;
            double s = 0.0;
            for (int t = 0; t < L->out_l; t++)
                s += r[t];
            gb[c] += (float)s;
        }
    eo_im2col(&g, n, L->gout, dcol);
    eo_sgemm(nn->gemm_pass, 0, 1, L->in_c, ck, m, 1.0f, L->aux, m, dcol, m,
                1.0f, gw, ck);
    if (gx) {
        eo_sgemm(nn->gemm_pass, 0, 0, L->in_c, m, ck, 1.0f, w, ck, dcol,
                    m, 0.0f, dxt, m);
        eo_cnl_to_ncl(dxt, n, L->in_c, L->in_l, gx);
    }
}
