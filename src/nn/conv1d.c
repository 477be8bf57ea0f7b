/* ecgopt nn — 1-D convolution (cross-correlation, as PyTorch Conv1d).
 *
 * y[n,o,t] = b[o] + sum_{c,k} w[o,c,k] x[n,c, t*stride + k*dil - pad]
 *
 * Computed as one SGEMM over the whole batch: im2col lays the input out as
 * a (cin*k) x (n*lout) matrix, W (cout x cin*k) times it gives cout x
 * (n*lout), and a block copy returns it to n x cout x lout.  Backward:
 * dW = dY' col^T, dcol = W^T dY', dx = col2im(dcol) (the adjoint of im2col). */
#include <cblas.h>
#include <stdio.h>
#include <string.h>

#include "nn/nn_internal.h"

void eo_ncl_to_cnl(const float *x, int n, int c, int l, float *y)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < c; j++)
            memcpy(y + ((size_t)j * n + i) * l, x + ((size_t)i * c + j) * l, sizeof(float) * l);
}

void eo_cnl_to_ncl(const float *x, int n, int c, int l, float *y)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < c; j++)
            memcpy(y + ((size_t)i * c + j) * l, x + ((size_t)j * n + i) * l, sizeof(float) * l);
}

void eo_im2col(const eo_conv_geom *g, int n, const float *x, float *col)
{
    const size_t row = (size_t)n * g->lout;
    for (int c = 0; c < g->cin; c++) {
        for (int k = 0; k < g->k; k++) {
            float *dst = col + ((size_t)c * g->k + k) * row;
            const int off = k * g->dil - g->pad;
            /* valid output positions: 0 <= t*stride + off < lin */
            int t0 = 0, t1 = g->lout; /* [t0, t1) */
            if (off < 0)
                t0 = (-off + g->stride - 1) / g->stride;
            if (g->lin - off <= 0)
                t1 = 0;
            else if ((g->lin - 1 - off) / g->stride + 1 < t1)
                t1 = (g->lin - 1 - off) / g->stride + 1;
            if (t0 > t1)
                t0 = t1;
            for (int i = 0; i < n; i++) {
                const float *src = x + ((size_t)i * g->cin + c) * g->lin;
                float *d = dst + (size_t)i * g->lout;
                for (int t = 0; t < t0; t++)
                    d[t] = 0.0f;
                if (g->stride == 1) {
                    if (t1 > t0)
                        memcpy(d + t0, src + t0 + off, sizeof(float) * (t1 - t0));
                } else {
                    for (int t = t0; t < t1; t++)
                        d[t] = src[t * g->stride + off];
                }
                for (int t = t1; t < g->lout; t++)
                    d[t] = 0.0f;
            }
        }
    }
}

void eo_col2im(const eo_conv_geom *g, int n, const float *col, float *x)
{
    memset(x, 0, sizeof(float) * (size_t)n * g->cin * g->lin);
    const size_t row = (size_t)n * g->lout;
    for (int c = 0; c < g->cin; c++) {
        for (int k = 0; k < g->k; k++) {
            const float *s = col + ((size_t)c * g->k + k) * row;
            const int off = k * g->dil - g->pad;
            int t0 = 0, t1 = g->lout;
            if (off < 0)
                t0 = (-off + g->stride - 1) / g->stride;
            if (g->lin - off <= 0)
                t1 = 0;
            else if ((g->lin - 1 - off) / g->stride + 1 < t1)
                t1 = (g->lin - 1 - off) / g->stride + 1;
            for (int i = 0; i < n; i++) {
                float *dst = x + ((size_t)i * g->cin + c) * g->lin;
                const float *si = s + (size_t)i * g->lout;
                for (int t = t0; t < t1; t++)
                    dst[t * g->stride + off] += si[t];
            }
        }
    }
}

/* Per-sample GEMMs read their columns of col in place (ldb = n*lout) and
 * write straight into the n x cout x lout output (ldc = lout), saving the
 * cout x n*lout staging buffer and its transpose copy (a memory-bound pass
 * that was ~10% of a CNN epoch once the GEMMs ran on oneDNN).  Short
 * outputs keep one batch-wide GEMM, where per-call overhead would win. */
static int per_sample(const eo_conv_geom *g, int n) { return n == 1 || g->lout >= 32; }

void eo_conv_fwd(const eo_conv_geom *g, int n, const float *x, const float *w, const float *b,
                 float *col, float *y, float *scratch)
{
    const int ck = g->cin * g->k;
    const int m = n * g->lout;
    eo_im2col(g, n, x, col);
    if (per_sample(g, n)) {
        const size_t per = (size_t)g->cout * g->lout;
        for (int i = 0; i < n; i++) {
            float *yi = y + i * per;
            for (int o = 0; o < g->cout; o++) {
                const float bo = b ? b[o] : 0.0f;
                for (int t = 0; t < g->lout; t++)
                    yi[(size_t)o * g->lout + t] = bo;
            }
            eo_sgemm(g->gemm, 0, 0, g->cout, g->lout, ck, 1.0f, w, ck, col + (size_t)i * g->lout, m,
                     1.0f, yi, g->lout);
        }
        return;
    }
    /* scratch (cout x m) = W (cout x ck) * col (ck x m), bias pre-filled */
    for (int o = 0; o < g->cout; o++) {
        float *r = scratch + (size_t)o * m;
        const float bo = b ? b[o] : 0.0f;
        for (int j = 0; j < m; j++)
            r[j] = bo;
    }
    eo_sgemm(g->gemm, 0, 0, g->cout, m, ck, 1.0f, w, ck, col, m, 1.0f, scratch, m);
    eo_cnl_to_ncl(scratch, n, g->cout, g->lout, y);
}

/* d[j] = src[j - pad] for j in [0, Lp), zero outside the input: one
 * input row zero-padded as the convolution sees it */
static void copy_padded(const eo_conv_geom *g, const float *src, float *d, size_t Lp)
{
    /* copy src[s] to d[s + pad] for s in [s0, s1) with 0 <= s + pad < Lp */
    const int s0 = g->pad < 0 ? -g->pad : 0;
    long s1 = (long)Lp - g->pad;
    if (s1 > g->lin)
        s1 = g->lin;
    const int a = s1 > s0 ? (int)(s0 + g->pad) : (int)Lp, e = s1 > s0 ? (int)(s1 + g->pad) : (int)Lp;
    for (int j = 0; j < a; j++)
        d[j] = 0.0f;
    if (e > a)
        memcpy(d + a, src + s0, sizeof(float) * (size_t)(e - a));
    for (size_t j = (size_t)e; j < Lp; j++)
        d[j] = 0.0f;
}

/* Single-input-channel, stride-1 convolutions (the first layer of every
 * beat network) are computed directly: as a GEMM their inner dimension is
 * K = k (7 for the reference CNN), where oneDNN reached 9 GFLOP/s forward
 * and 18 for the weight gradient, against 65-95 on the other layers; the
 * direct loops are vectorised along t.  col then holds each
 * sample zero-padded (n x direct_len floats) instead of im2col's k copies. */
static size_t direct_len(const eo_conv_geom *g) { return (size_t)g->lout + (size_t)g->dil * (g->k - 1); }
static int direct1(const eo_conv_geom *g)
{
    return g->cin == 1 && g->stride == 1 && direct_len(g) <= (size_t)g->k * g->lout;
}

/* r[t] = sum_q w[q] xp[t + q*dil], t < lout */
static void direct1_row(const float *xp, const float *w, int k, int dil, int lout, float *r)
{
    EO_SIMD
    for (int t = 0; t < lout; t++)
        r[t] = w[0] * xp[t];
    for (int q = 1; q < k; q++) {
        const float wq = w[q];
        const float *xq = xp + (size_t)q * dil;
        EO_SIMD
        for (int t = 0; t < lout; t++)
            r[t] += wq * xq[t];
    }
}

/* scratch (cout x n*lout) = conv(x) without bias, col = the padded samples */
static void direct1_fwd(const eo_conv_geom *g, int n, const float *x, const float *w, float *col,
                        float *scratch)
{
    const size_t Lp = direct_len(g), m = (size_t)n * g->lout;
    for (int i = 0; i < n; i++) {
        float *xp = col + (size_t)i * Lp;
        copy_padded(g, x + (size_t)i * g->lin, xp, Lp);
        for (int o = 0; o < g->cout; o++)
            direct1_row(xp, w + (size_t)o * g->k, g->k, g->dil, g->lout,
                        scratch + (size_t)o * m + (size_t)i * g->lout);
    }
}

/* dw[o][q] += sum_i,t dy[o][i*lout + t] xp_i[t + q*dil]; dx (when wanted)
 * scatters W^T dY through a padded row buffer tmp (direct_len floats) */
static void direct1_bwd(const eo_conv_geom *g, int n, const float *col, const float *w,
                        const float *dyt, float *dw, float *dx, float *tmp)
{
    const size_t Lp = direct_len(g), m = (size_t)n * g->lout;
    const int lout = g->lout;
    for (int o = 0; o < g->cout; o++)
        for (int q = 0; q < g->k; q++) {
            float s = 0.0f;
            for (int i = 0; i < n; i++) {
                const float *r = dyt + (size_t)o * m + (size_t)i * lout;
                const float *xq = col + (size_t)i * Lp + (size_t)q * g->dil;
                float si = 0.0f;
                EO_SIMD_SUM(si)
                for (int t = 0; t < lout; t++)
                    si += r[t] * xq[t];
                s += si;
            }
            dw[(size_t)o * g->k + q] += s;
        }
    if (!dx)
        return;
    for (int i = 0; i < n; i++) {
        for (size_t j = 0; j < Lp; j++)
            tmp[j] = 0.0f;
        for (int o = 0; o < g->cout; o++) {
            const float *r = dyt + (size_t)o * m + (size_t)i * lout;
            for (int q = 0; q < g->k; q++) {
                const float wq = w[(size_t)o * g->k + q];
                float *d = tmp + (size_t)q * g->dil;
                EO_SIMD
                for (int t = 0; t < lout; t++)
                    d[t] += wq * r[t];
            }
        }
        /* dx[s] = tmp[s + pad] where that position exists */
        for (int s2 = 0; s2 < g->lin; s2++) {
            const long j = (long)s2 + g->pad;
            dx[(size_t)i * g->lin + s2] = j >= 0 && j < (long)Lp ? tmp[j] : 0.0f;
        }
    }
}

/* Inference only (no backward follows): conv + bias + ReLU, optionally
 * followed by max-pooling of window 2 and stride 2 (floor mode), in one
 * pass over each sample's GEMM output while it is still in L1/L2, instead
 * of three passes over the batch (bias fill, ReLU, pooling; 15% of a
 * CNN-LSTM inference profile together).  The values are those of the
 * separate layers: relu(v + b) per element, then the pooling's
 * "second > first ? second : first". */
static void relu_pool_row(const float *r, float bo, int lout, int pool2, float *y)
{
    if (pool2) {
        EO_SIMD
        for (int t = 0; t < lout / 2; t++) {
            float a = r[2 * t] + bo, c = r[2 * t + 1] + bo;
            a = a > 0.0f ? a : 0.0f;
            c = c > 0.0f ? c : 0.0f;
            y[t] = c > a ? c : a;
        }
    } else {
        EO_SIMD
        for (int t = 0; t < lout; t++) {
            const float a = r[t] + bo;
            y[t] = a > 0.0f ? a : 0.0f;
        }
    }
}

/* Training variant of relu_pool_row (pool2 only): also records for
 * backward where each output's gradient goes, am[t] = the arg-max position
 * (2t or 2t+1, the pooling's choice) when the maximum is > 0, else -1 (the
 * ReLU passes no gradient there), so backward needs neither the conv
 * output nor the ReLU output. */
static void relu_pool_row_am(const float *r, float bo, int lout, float *y, float *am)
{
    EO_SIMD
    for (int t = 0; t < lout / 2; t++) {
        float a = r[2 * t] + bo, c = r[2 * t + 1] + bo;
        a = a > 0.0f ? a : 0.0f;
        c = c > 0.0f ? c : 0.0f;
        const float p0 = (float)(2 * t); /* selects on floats only, so it vectorises */
        const float v = c > a ? c : a, pos = c > a ? p0 + 1.0f : p0;
        y[t] = v;
        am[t] = v > 0.0f ? pos : -1.0f;
    }
}

void eo_conv_relu_pool_train_fwd(const eo_conv_geom *g, int n, const float *x, const float *w,
                                 const float *b, float *col, float *y, float *am, float *scratch)
{
    const int ck = g->cin * g->k, lo = g->lout / 2;
    const size_t per_y = (size_t)g->cout * lo, m = (size_t)n * g->lout;
    /* col is kept for the convolution's backward; one batch-wide GEMM into
     * scratch (cout x n*lout), read back per sample by the fused pass */
    if (direct1(g)) {
        direct1_fwd(g, n, x, w, col, scratch);
    } else {
        eo_im2col(g, n, x, col);
        eo_sgemm(g->gemm, 0, 0, g->cout, (int)m, ck, 1.0f, w, ck, col, (int)m, 0.0f, scratch, (int)m);
    }
    for (int i = 0; i < n; i++)
        for (int o = 0; o < g->cout; o++)
            relu_pool_row_am(scratch + (size_t)o * m + (size_t)i * g->lout, b ? b[o] : 0.0f,
                             g->lout, y + i * per_y + (size_t)o * lo, am + i * per_y + (size_t)o * lo);
}

/* Backward of the fused conv + bias + ReLU + max-pool 2 (training).  The
 * pooled gradient gy (n x cout x lout/2) is expanded through the arg-max
 * mask straight into the batch-wide layout dY (cout x n*lout, in scratch)
 * that the forward GEMM wrote, with the bias gradient summed on the way;
 * then dW += dY col^T and dcol = W^T dY are one GEMM each with n*lout as
 * the long side, instead of two small GEMMs per sample on an n x cout x
 * lout gradient (K = lout = 128 for the reference CNN's second conv:
 * 63-65 GFLOP/s against 84-95 for the batch-wide shapes, per-shape timing
 * of one epoch).  The conv output gradient
 * in the layer's own layout is never written. */
void eo_conv_relu_pool_train_bwd(const eo_conv_geom *g, int n, const float *col, const float *w,
                                 const float *gy, const float *am, float *dw, float *db, float *dx,
                                 float *scratch)
{
    const int ck = g->cin * g->k, lin = g->lout, lo = lin / 2;
    const size_t m = (size_t)n * lin, per = (size_t)g->cout * lo;
    float *dyt = scratch;           /* cout x m */
    float *dcol = scratch + (size_t)g->cout * m; /* ck x m */
    for (int o = 0; o < g->cout; o++) {
        float s = 0.0f;
        for (int i = 0; i < n; i++) {
            const float *gr = gy + i * per + (size_t)o * lo, *ar = am + i * per + (size_t)o * lo;
            float *d = dyt + (size_t)o * m + (size_t)i * lin;
            EO_SIMD
            for (int t = 0; t < lo; t++) {
                const float v0 = ar[t] == (float)(2 * t) ? gr[t] : 0.0f;
                const float v1 = ar[t] == (float)(2 * t + 1) ? gr[t] : 0.0f;
                d[2 * t] = v0;
                d[2 * t + 1] = v1;
            }
            if (lin & 1)
                d[lin - 1] = 0.0f;
            /* the mask sends each pooled gradient to at most one position */
            float si = 0.0f;
            EO_SIMD_SUM(si)
            for (int t = 0; t < lo; t++)
                si += ar[t] >= 0.0f ? gr[t] : 0.0f;
            s += si;
        }
        if (db)
            db[o] += s;
    }
    if (direct1(g)) {
        direct1_bwd(g, n, col, w, dyt, dw, dx, dcol);
        return;
    }
    eo_sgemm(g->gemm, 0, 1, g->cout, ck, (int)m, 1.0f, dyt, (int)m, col, (int)m, 1.0f, dw, ck);
    if (dx) {
        eo_sgemm(g->gemm, 1, 0, ck, (int)m, g->cout, 1.0f, w, ck, dyt, (int)m, 0.0f, dcol, (int)m);
        eo_col2im(g, n, dcol, dx);
    }
}

/* Fewer samples than this take the im2col path: the per-call repacking of
 * W into the W_q costs more than im2col for one sample (single-beat
 * latency 89 vs 109 us CPU for the reference CNN) -- unless the samples
 * are long (EO_SHIFT_MIN_COLS output columns in all: the denoiser's
 * 4096-sample windows, cache-blocked one at a time), where the repacking
 * is nothing beside k copies of the input. */
#define EO_SHIFT_MIN_N 4
#define EO_SHIFT_MIN_COLS 1024
void eo_conv_relu_pool_fwd(const eo_conv_geom *g, int n, const float *x, const float *w,
                           const float *b, float *col, size_t scratch_n, int pool2, float *y,
                           float *scratch)
{
    const int ck = g->cin * g->k, lo = pool2 ? g->lout / 2 : g->lout;
    const size_t per_y = (size_t)g->cout * lo;
    /* Stride-1 convolutions with enough input channels skip im2col (k
     * copies of the input; with its memcpy calls 29% of a CNN inference
     * profile, 28% of the dilated denoiser's).  The sub-batch is copied
     * once, zero-padded, into P (cin x (n*Lp + D)), D = dil (k - 1), Lp =
     * lout + D columns per sample; tap q is then one GEMM
     * Z += W_q P[:, q dil : q dil + n*Lp]  (W_q = w[:, :, q], cout x cin,
     * repacked), i.e. the convolution as a sum of k shifted matrix
     * products.  Columns t >= lout of each sample are junk and are not
     * read.  Needs col and scratch to hold P and Z + the W_q. */
    const size_t D = (size_t)g->dil * (size_t)(g->k - 1);
    const size_t Lp = (size_t)g->lout + D, nLp = (size_t)n * Lp;
    const size_t R = nLp + D;
    const size_t wq_n = (size_t)g->cout * ck;
    const int shifted = g->stride == 1 && g->dil >= 1 && g->k > 1 && g->cin >= 8 &&
                        (n >= EO_SHIFT_MIN_N || (size_t)n * g->lout >= EO_SHIFT_MIN_COLS) &&
                        (size_t)g->cin * R <= (size_t)ck * n * g->lout &&
                        wq_n + (size_t)g->cout * nLp <= scratch_n;
    if (shifted) {
        float *wq = scratch, *z = scratch + wq_n;
        for (int q = 0; q < g->k; q++)
            for (int o = 0; o < g->cout; o++)
                for (int c = 0; c < g->cin; c++)
                    wq[((size_t)q * g->cout + o) * g->cin + c] = w[((size_t)o * g->cin + c) * g->k + q];
        /* P[c][i*Lp + j] = x[i][c][j - pad] (0 outside [0, lin)) */
        for (int c = 0; c < g->cin; c++) {
            float *pc = col + (size_t)c * R;
            for (int i = 0; i < n; i++)
                copy_padded(g, x + ((size_t)i * g->cin + c) * g->lin, pc + (size_t)i * Lp, Lp);
            for (size_t j = nLp; j < R; j++)
                pc[j] = 0.0f;
        }
        for (int q = 0; q < g->k; q++)
            eo_sgemm(g->gemm, 0, 0, g->cout, (int)nLp, g->cin, 1.0f, wq + (size_t)q * g->cout * g->cin,
                     g->cin, col + (size_t)q * (size_t)g->dil, (int)R, q ? 1.0f : 0.0f, z, (int)nLp);
        for (int i = 0; i < n; i++)
            for (int o = 0; o < g->cout; o++)
                relu_pool_row(z + (size_t)o * nLp + (size_t)i * Lp, b ? b[o] : 0.0f, g->lout, pool2,
                              y + i * per_y + (size_t)o * lo);
        return;
    }
    /* otherwise one GEMM over the (sub-)batch, scratch (cout x n*lout) =
     * W col; the fused pass reads it back per sample, so the layout change
     * costs no extra pass (unlike training's eo_conv_fwd, whose per-sample
     * GEMMs avoid a transpose copy) */
    const size_t m = (size_t)n * g->lout;
    if (direct1(g)) {
        direct1_fwd(g, n, x, w, col, scratch);
    } else {
        eo_im2col(g, n, x, col);
        eo_sgemm(g->gemm, 0, 0, g->cout, (int)m, ck, 1.0f, w, ck, col, (int)m, 0.0f, scratch, (int)m);
    }
    for (int i = 0; i < n; i++)
        for (int o = 0; o < g->cout; o++)
            relu_pool_row(scratch + (size_t)o * m + (size_t)i * g->lout, b ? b[o] : 0.0f, g->lout,
                          pool2, y + i * per_y + (size_t)o * lo);
}

void eo_conv_bwd(const eo_conv_geom *g, int n, const float *col, const float *w, const float *dy,
                 float *dw, float *db, float *dx, float *scratch)
{
    const int ck = g->cin * g->k;
    const int m = n * g->lout;
    float *dyt = scratch;                       /* cout x m */
    float *dcol = scratch + (size_t)g->cout * m; /* ck x m */
    if (per_sample(g, n)) {
        /* dY stays n x cout x lout: per-sample GEMMs with ldb/ldc = n*lout
         * on the col side (see eo_conv_fwd) */
        const size_t per = (size_t)g->cout * g->lout;
        if (db)
            for (int o = 0; o < g->cout; o++) {
                double s = 0.0;
                for (int i = 0; i < n; i++) {
                    const float *r = dy + i * per + (size_t)o * g->lout;
                    for (int t = 0; t < g->lout; t++)
                        s += r[t];
                }
                db[o] += (float)s;
            }
        for (int i = 0; i < n; i++) {
            eo_sgemm(g->gemm, 0, 1, g->cout, ck, g->lout, 1.0f, dy + i * per, g->lout,
                     col + (size_t)i * g->lout, m, 1.0f, dw, ck);
            if (dx)
                eo_sgemm(g->gemm, 1, 0, ck, g->lout, g->cout, 1.0f, w, ck, dy + i * per, g->lout,
                         0.0f, dcol + (size_t)i * g->lout, m);
        }
        if (dx)
            eo_col2im(g, n, dcol, dx);
        return;
    }
    eo_ncl_to_cnl(dy, n, g->cout, g->lout, dyt);
    if (db) {
        for (int o = 0; o < g->cout; o++) {
            const float *r = dyt + (size_t)o * m;
            double s = 0.0;
            for (int j = 0; j < m; j++)
                s += r[j];
            db[o] += (float)s;
        }
    }
    eo_sgemm(g->gemm, 0, 1, g->cout, ck, m, 1.0f, dyt, m, col, m, 1.0f, dw, ck);
    if (dx) {
        eo_sgemm(g->gemm, 1, 0, ck, m, g->cout, 1.0f, w, ck, dyt, m, 0.0f, dcol, m);
        eo_col2im(g, n, dcol, dx);
    }
}

/* ---- the Conv1d layer ---- */
static eo_conv_geom conv_geom(const eo_layer *L)
{
    eo_conv_geom g = {L->in_c, L->in_l, L->out_c, L->out_l, L->o.kernel, L->o.stride,
                      L->pad_left, L->o.dilation, 0};
    return g;
}

eo_status eo_conv1d_setup(eo_layer *L, eo_error *err)
{
    const eo_nn_layer_options *o = &L->o;
    if (o->units < 1 || o->kernel < 1 || o->stride < 1 || o->dilation < 1 ||
        (o->pad < 0 && o->pad != EO_NN_PAD_SAME))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "conv(%d,%d): filters, kernel, stride, dilation must be >= 1, pad >= 0 or same",
                            o->units, o->kernel);
    const long span = (long)o->dilation * (o->kernel - 1) + 1;
    if (o->pad == EO_NN_PAD_SAME) {
        /* "same": lout = ceil(lin / stride), padding split left-heavy-right
         * as TensorFlow does (PyTorch's padding='same' for stride 1). */
        L->out_l = (L->in_l + o->stride - 1) / o->stride;
        long total = (long)(L->out_l - 1) * o->stride + span - L->in_l;
        if (total < 0)
            total = 0;
        L->pad_left = (int)(total / 2);
    } else {
        long lo = (L->in_l + 2L * o->pad - span);
        if (lo < 0)
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "conv(%d,%d): kernel span %ld exceeds padded input length %ld",
                                o->units, o->kernel, span, L->in_l + 2L * o->pad);
        L->out_l = (int)(lo / o->stride + 1);
        L->pad_left = o->pad;
    }
    L->out_c = o->units;
    L->p_n = (size_t)o->units * L->in_c * o->kernel + o->units;
    return EO_STATUS_OK;
}

void eo_conv1d_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng)
{
    (void)train;
    (void)rng;
    eo_conv_geom g = conv_geom(L);
    g.gemm = nn->gemm_pass;
    const float *w = eo_lp(nn, L);
    eo_conv_fwd(&g, n, x, w, w + (size_t)L->out_c * L->in_c * L->o.kernel, L->aux, L->out,
                nn->scratch);
}

void eo_conv1d_forward_fused(eo_nn *nn, eo_layer *L, const float *x, int n, int pool2, float *y)
{
    eo_conv_geom g = conv_geom(L);
    g.gemm = nn->gemm_pass;
    const float *w = eo_lp(nn, L);
    eo_conv_relu_pool_fwd(&g, n, x, w, w + (size_t)L->out_c * L->in_c * L->o.kernel, L->aux,
                          nn->scratch_n, pool2, y, nn->scratch);
}

void eo_conv1d_forward_fused_train(eo_nn *nn, eo_layer *L, const float *x, int n, float *y,
                                   float *am)
{
    eo_conv_geom g = conv_geom(L);
    g.gemm = nn->gemm_pass;
    const float *w = eo_lp(nn, L);
    eo_conv_relu_pool_train_fwd(&g, n, x, w, w + (size_t)L->out_c * L->in_c * L->o.kernel, L->aux,
                                y, am, nn->scratch);
}

void eo_conv1d_backward_fused_train(eo_nn *nn, eo_layer *L, const float *gy, const float *am,
                                    float *gx, int n)
{
    eo_conv_geom g = conv_geom(L);
    g.gemm = nn->gemm_pass;
    const float *w = eo_lp(nn, L);
    float *gw = eo_lg(nn, L);
    const size_t nw = (size_t)L->out_c * L->in_c * L->o.kernel;
    eo_conv_relu_pool_train_bwd(&g, n, L->aux, w, gy, am, gw, gw + nw, gx, nn->scratch);
}

void eo_conv1d_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n)
{
    (void)x;
    eo_conv_geom g = conv_geom(L);
    g.gemm = nn->gemm_pass;
    const float *w = eo_lp(nn, L);
    float *gw = eo_lg(nn, L);
    const size_t nw = (size_t)L->out_c * L->in_c * L->o.kernel;
    eo_conv_bwd(&g, n, L->aux, w, L->gout, gw, gw + nw, gx, nn->scratch);
}
