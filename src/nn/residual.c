/* ecgopt nn — residual block (He et al. 2016, eq. 1-2, "basic" block
 * without normalisation, as the R-1D-CNN of Fki et al. 2023 uses one skip):
 *   y = relu(conv2(relu(conv1(x))) + skip(x))
 * conv1: filters x kernel, stride s, "same" padding; conv2: filters x kernel,
 * stride 1, "same"; skip = identity when shapes agree, else a 1x1 convolution
 * with stride s (the projection shortcut, eq. 2). */
#include <string.h>

#include "nn/nn_internal.h"

static void geoms(const eo_layer *L, eo_conv_geom *g1, eo_conv_geom *g2, eo_conv_geom *gp)
{
    const int k = L->o.kernel, lo = L->out_l, co = L->out_c;
    *g1 = (eo_conv_geom){L->in_c, L->in_l, co, lo, k, L->o.stride, L->pad_left, 1, 0};
    *g2 = (eo_conv_geom){co, lo, co, lo, k, 1, (k - 1) / 2, 1, 0};
    *gp = (eo_conv_geom){L->in_c, L->in_l, co, lo, 1, L->o.stride, 0, 1, 0};
}

eo_status eo_res_setup(eo_layer *L, eo_error *err)
{
    const eo_nn_layer_options *o = &L->o;
    if (o->units < 1 || o->kernel < 1 || o->stride < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "res(%d,%d): filters, kernel, stride must be >= 1",
                            o->units, o->kernel);
    L->out_c = o->units;
    L->out_l = (L->in_l + o->stride - 1) / o->stride;
    long total = (long)(L->out_l - 1) * o->stride + o->kernel - L->in_l;
    L->pad_left = total > 0 ? (int)(total / 2) : 0;
    L->has_proj = (L->in_c != o->units || o->stride != 1);
    const size_t k = (size_t)o->kernel, ci = L->in_c, co = o->units;
    L->p_n = co * ci * k + co + co * co * k + co + (L->has_proj ? co * ci + co : 0);
    return EO_STATUS_OK;
}

/* aux: col1 (ci*k*m), h1 (co*m), r1 (co*m), col2 (co*k*m), colp (ci*m), m = n*lo */
size_t eo_res_aux_size(const eo_layer *L, int n)
{
    const size_t m = (size_t)n * L->out_l, k = L->o.kernel, ci = L->in_c, co = L->out_c;
    return ci * k * m + 2 * co * m + co * k * m + (L->has_proj ? ci * m : 0);
}

size_t eo_res_scratch_size(const eo_layer *L, int n)
{
    const size_t m = (size_t)n * L->out_l, k = L->o.kernel, ci = L->in_c, co = L->out_c;
    size_t ck = ci * k > co * k ? ci * k : co * k;
    return 2 * co * m + (size_t)n * ci * L->in_l + co * m + ck * m;
}

void eo_res_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)train;
    (void)rng;
    eo_conv_geom g1, g2, gp;
    geoms(L, &g1, &g2, &gp);
    g1.gemm = g2.gemm = gp.gemm = nn->gemm_pass;
    const size_t m = (size_t)n * L->out_l, k = L->o.kernel, ci = L->in_c, co = L->out_c;
    float *col1 = L->aux, *h1 = col1 + ci * k * m, *r1 = h1 + co * m, *col2 = r1 + co * m,
          *colp = col2 + co * k * m;
    const float *w1 = eo_lp(nn, L), *b1 = w1 + co * ci * k, *w2 = b1 + co, *b2 = w2 + co * co * k,
                *wp = b2 + co, *bp = wp + co * ci;
    float *tp = nn->scratch, *cs = nn->scratch + 2 * co * m + (size_t)n * ci * L->in_l;
    eo_conv_fwd(&g1, n, x, w1, b1, col1, h1, cs);
    for (size_t i = 0; i < co * m; i++)
        r1[i] = h1[i] > 0.0f ? h1[i] : 0.0f;
    eo_conv_fwd(&g2, n, r1, w2, b2, col2, L->out, cs);
    const float *skip = x;
    if (L->has_proj) {
        eo_conv_fwd(&gp, n, x, wp, bp, colp, tp, cs);
        skip = tp;
    }
    for (size_t i = 0; i < co * m; i++) {
        float v = L->out[i] + skip[i];
        L->out[i] = v > 0.0f ? v : 0.0f;
    }
}

void eo_res_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    (void)x;
    eo_conv_geom g1, g2, gp;
    geoms(L, &g1, &g2, &gp);
    g1.gemm = g2.gemm = gp.gemm = nn->gemm_pass;
    const size_t m = (size_t)n * L->out_l, k = L->o.kernel, ci = L->in_c, co = L->out_c;
    const float *col1 = L->aux, *h1 = col1 + ci * k * m, *r1 = h1 + co * m, *col2 = r1 + co * m,
                *colp = col2 + co * k * m;
    (void)r1;
    const float *w1 = eo_lp(nn, L), *w2 = w1 + co * ci * k + co, *wp = w2 + co * co * k + co;
    float *gw1 = eo_lg(nn, L), *gb1 = gw1 + co * ci * k, *gw2 = gb1 + co, *gb2 = gw2 + co * co * k,
          *gwp = gb2 + co, *gbp = gwp + co * ci;
    float *gs = nn->scratch, *dr1 = gs + co * m, *tx = dr1 + co * m,
          *cs = tx + (size_t)n * ci * L->in_l;
    for (size_t i = 0; i < co * m; i++)
        gs[i] = L->out[i] > 0.0f ? L->gout[i] : 0.0f;
    eo_conv_bwd(&g2, n, col2, w2, gs, gw2, gb2, dr1, cs);
    for (size_t i = 0; i < co * m; i++)
        if (!(h1[i] > 0.0f))
            dr1[i] = 0.0f;
    eo_conv_bwd(&g1, n, col1, w1, dr1, gw1, gb1, gx, cs);
    if (L->has_proj) {
        eo_conv_bwd(&gp, n, colp, wp, gs, gwp, gbp, gx ? tx : NULL, cs);
        if (gx)
            for (size_t i = 0; i < (size_t)n * ci * L->in_l; i++)
                gx[i] += tx[i];
    } else if (gx) {
        for (size_t i = 0; i < co * m; i++)
            gx[i] += gs[i];
    }
}
