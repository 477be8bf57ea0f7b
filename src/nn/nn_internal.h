/* ecgopt nn — internal structures shared by the layer files.  Not public. */
#ifndef ECGOPT_NN_INTERNAL_H
#define ECGOPT_NN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/nn.h"

/* Geometry of a 1-D convolution (also used, adjoint, by the transposed
 * convolution): input cin x lin, output cout x lout, left padding pad
 * (right padding is implied by lout). */
typedef struct eo_conv_geom {
    int cin, lin, cout, lout, k, stride, pad, dil;
    int gemm;              /* the pass's GEMM routing (eo_nn.gemm_pass) */
} eo_conv_geom;

/* Row-major SGEMM C = alpha op(A) op(B) + beta C, op = transpose when
 * ta/tb != 0; kind is an eo_nn_gemm_kind or EO_SGEMM_AUTO_MT (gemm.c says
 * which runs when). */
/* AUTO for a pass whose whole-batch GEMMs may use OpenBLAS's threads (the
 * network has threads > 1 and the batch is not cut into chunks) */
#define EO_SGEMM_AUTO_MT 3
void eo_sgemm(int kind, int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
              const float *B, int ldb, float beta, float *C, int ldc);

typedef struct eo_layer {
    eo_nn_layer_options o;
    int in_c, in_l, out_c, out_l;
    int pad_left;          /* conv/res: resolved left padding */
    int hidden;            /* se: reduced channels */
    int has_proj;          /* res: 1x1 projection on the skip path */
    size_t p_off, p_n;     /* trainable slice in nn->params */
    size_t b_off, b_n;     /* buffer slice (BatchNorm running stats) */
    /* arena slices, valid after reserve */
    float *out, *gout;     /* activation after this layer and its gradient */
    float *aux;            /* what backward needs (im2col, masks, caches) */
    size_t aux_n;
    int train;             /* mode of the last forward */
} eo_layer;

struct eo_nn {
    int in_c, in_l;
    eo_layer *layers;
    int n_layers, cap_layers;
    float *params, *grads;
    size_t n_params;
    float *bufs;
    size_t n_bufs;
    char *spec;            /* canonical spec */
    size_t param_limit;    /* > 0: eo_nn_add refuses to exceed it (file loading) */
    /* arena */
    int cap_batch;
    float *arena;
    size_t arena_bytes;
    float *scratch;        /* thread 0's scratch; thread t at scratch + t*scratch_n */
    size_t scratch_n;
    int gemm;              /* eo_nn_gemm_kind chosen by eo_nn_set_gemm */
    int gemm_pass;         /* the current pass's routing: gemm, or EO_SGEMM_AUTO_MT */
    struct eo_nn_pool *pool; /* threads-1 sleeping workers (model.c), NULL if none */
    int want_threads;      /* eo_nn_set_threads (>= 1; default 1) */
    int threads;           /* batch chunks run in parallel (arena sized for it) */
    float *tgrads;         /* (threads-1) x n_params gradient buffers of threads 1.. */
    float *gin;            /* input gradient (when wanted) */
    int want_gin;
    const float *x_in;     /* input of the last forward (caller-owned) */
    int n_cur;
    /* metadata */
    float *norm_mean, *norm_std;
    int norm_n;
    char **labels;
    int n_labels;
    char *meta;
};

/* ---- per-layer hooks (implemented in the layer files) ---- */
/* Shape inference and parameter counts; fills out_c/out_l/p_n/b_n and the
 * derived fields.  Returns EO_STATUS_OK or an error naming the layer. */
eo_status eo_layer_setup(eo_layer *L, eo_error *err);
/* Floats of aux storage for a batch of n; floats of shared scratch. */
size_t eo_layer_aux_size(const eo_layer *L, int n);
size_t eo_layer_scratch_size(const eo_layer *L, int n);
double eo_layer_flops(const eo_layer *L);
void eo_layer_init(eo_layer *L, float *p, float *b, eo_nn_init_kind kind, eo_rng *rng);
void eo_layer_spec(const eo_layer *L, char *buf, size_t n);
void eo_layer_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train, eo_rng *rng);
/* gx may be NULL (gradient of the input not wanted). */
void eo_layer_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n);

/* ---- convolution core (conv1d.c) ---- */
void eo_im2col(const eo_conv_geom *g, int n, const float *x, float *col);
/* x (n x cin x lin) = col2im(col): x is overwritten. */
void eo_col2im(const eo_conv_geom *g, int n, const float *col, float *x);
/* y = conv(x): col receives im2col(x) (kept for backward); scratch holds
 * cout*n*lout floats. */
void eo_conv_fwd(const eo_conv_geom *g, int n, const float *x, const float *w, const float *b,
                 float *col, float *y, float *scratch);
/* Inference only: y = maxpool2(relu(conv(x) + b)) (pool2) or relu(conv(x) + b),
 * the values of the separate layers up to float rounding; col holds
 * cin*k*n*lout floats (overwritten), scratch scratch_n floats (at least
 * cout*n*lout). */
void eo_conv_relu_pool_fwd(const eo_conv_geom *g, int n, const float *x, const float *w,
                           const float *b, float *col, size_t scratch_n, int pool2, float *y,
                           float *scratch);
/* Training: y = maxpool2(relu(conv(x) + b)) with col = im2col(x) kept for
 * the convolution's backward and am (n x cout x lout/2) = the arg-max
 * position of each output, -1 where the ReLU zeroed it; scratch holds
 * cout*n*lout floats. */
void eo_conv_relu_pool_train_fwd(const eo_conv_geom *g, int n, const float *x, const float *w,
                                 const float *b, float *col, float *y, float *am, float *scratch);
/* The whole backward of that fused triple: from the pooled gradient gy and
 * the arg-max am to dw, db (accumulated) and dx (written; NULL: not wanted);
 * scratch holds (cout + cin*k)*n*lout floats. */
void eo_conv_relu_pool_train_bwd(const eo_conv_geom *g, int n, const float *col, const float *w,
                                 const float *gy, const float *am, float *dw, float *db, float *dx,
                                 float *scratch);
void eo_conv1d_backward_fused_train(eo_nn *nn, eo_layer *L, const float *gy, const float *am,
                                    float *gx, int n);
void eo_conv1d_forward_fused_train(eo_nn *nn, eo_layer *L, const float *x, int n, float *y,
                                   float *am);
/* The Conv1d layer's fused inference forward (conv1d.c) into y, the output
 * of the ReLU (pool2 = 0) or of the max-pooling after it (pool2 = 1). */
void eo_conv1d_forward_fused(eo_nn *nn, eo_layer *L, const float *x, int n, int pool2, float *y);
/* dw, db accumulate (+=); dx (may be NULL) is overwritten.  scratch holds
 * cout*n*lout + cin*k*n*lout floats. */
void eo_conv_bwd(const eo_conv_geom *g, int n, const float *col, const float *w, const float *dy,
                 float *dw, float *db, float *dx, float *scratch);

/* Per-layer forward/backward/setup in the layer files. */
#define EO_LAYER_DECL(name)                                                                  \
    eo_status eo_##name##_setup(eo_layer *L, eo_error *err);                                 \
    void eo_##name##_forward(eo_nn *nn, eo_layer *L, const float *x, int n, int train,       \
                             eo_rng *rng);                                                   \
    void eo_##name##_backward(eo_nn *nn, eo_layer *L, const float *x, float *gx, int n);
EO_LAYER_DECL(conv1d)
EO_LAYER_DECL(convt1d)
EO_LAYER_DECL(dense)
EO_LAYER_DECL(lstm)
EO_LAYER_DECL(se)
EO_LAYER_DECL(res)
EO_LAYER_DECL(bn)
EO_LAYER_DECL(pool)
EO_LAYER_DECL(shape)
EO_LAYER_DECL(act)
EO_LAYER_DECL(dropout)
#undef EO_LAYER_DECL
size_t eo_lstm_aux_size(const eo_layer *L, int n);
size_t eo_lstm_scratch_size(const eo_layer *L, int n);
size_t eo_res_aux_size(const eo_layer *L, int n);
size_t eo_res_scratch_size(const eo_layer *L, int n);

/* Parameter pointers of a layer. */
static inline float *eo_lp(eo_nn *nn, const eo_layer *L) { return nn->params + L->p_off; }
static inline float *eo_lg(eo_nn *nn, const eo_layer *L) { return nn->grads + L->p_off; }
static inline float *eo_lb(eo_nn *nn, const eo_layer *L) { return nn->bufs + L->b_off; }

/* Transpose helpers: (n x c x l) <-> (c x n*l) block layout used by GEMMs. */
void eo_ncl_to_cnl(const float *x, int n, int c, int l, float *y);
void eo_cnl_to_ncl(const float *x, int n, int c, int l, float *y);

/* tanh through one expf: tanh x = 1 - 2 / (exp(2x) + 1), with the odd
 * Taylor series below |x| < 0.004 where that form cancels.  Absolute error
 * < 2e-7; glibc's tanhf (via expm1f) was 19% of an LSTM training profile. */
static inline float eo_tanhf(float x)
{
    const float ax = x < 0 ? -x : x;
    if (ax < 0.004f)
        return x - x * x * x * (1.0f / 3.0f);
    if (ax > 9.0f)
        return x < 0 ? -1.0f : 1.0f;
    const float e = __builtin_expf(2.0f * ax);
    const float t = 1.0f - 2.0f / (e + 1.0f);
    return x < 0 ? -t : t;
}

/* Ask for vectorisation of a loop (GCC, -fopenmp).  Not for clang: it
 * turns a loop it cannot vectorise under the fuzz/sanitizer flags into a
 * -Wpass-failed error. */
#if defined(__clang__) || !defined(_OPENMP)
#define EO_SIMD
#define EO_SIMD_SUM(v)
#else
#define EO_SIMD _Pragma("omp simd")
#define EO_PRAGMA(x) _Pragma(#x)
/* a vectorised sum into v (lanes summed at the end: another rounding
 * order than the serial loop, the same on every run) */
#define EO_SIMD_SUM(v) EO_PRAGMA(omp simd reduction(+ : v))
#endif

/* exp(x) without branches or calls, so that loops over it vectorise (glibc
 * expf is a call per element: 12% of a CNN-LSTM inference profile).
 * Cephes expf: x = k ln2 + r, |r| <= ln2/2 (ln2 split in two for an exact
 * product), exp(r) by its degree-7 polynomial, 2^k through the exponent
 * bits.  Relative error < 2e-7 on [-87, 88]; inputs are clamped there
 * (exp(-87) ~ 1.6e-38 and exp(88) ~ 1.7e38 keep 1 + e finite). */
static inline float eo_expf_v(float x)
{
    x = x < -87.0f ? -87.0f : x > 88.0f ? 88.0f : x;
    float k = x * 1.44269504088896341f + 12582912.0f; /* round to nearest via 1.5 * 2^23 */
    k -= 12582912.0f;
    const float r = (x - k * 0.693359375f) - k * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    const float y = p * r * r + r + 1.0f;
    const int32_t bits = ((int32_t)k + 127) << 23;
    float scale;
    __builtin_memcpy(&scale, &bits, sizeof scale);
    return y * scale;
}

/* logistic sigmoid and tanh on eo_expf_v; tanh x = sign(x)(1 - 2/(e^{2|x|} + 1))
 * has absolute error < 3e-7 (relative error grows only below |x| ~ 1e-3,
 * where tanh's own value is that small). */
static inline float eo_sigmf_v(float x) { return 1.0f / (1.0f + eo_expf_v(-x)); }
static inline float eo_tanhf_v(float x)
{
    const float ax = x < 0 ? -x : x;
    const float t = 1.0f - 2.0f / (eo_expf_v(2.0f * ax) + 1.0f);
    return x < 0 ? -t : t;
}

/* Runs fn(ctx, t, T) for t = 0..T-1 on the network's thread pool (T = its
 * thread count, 1 without a pool); returns when all are done.  For
 * element-wise work split into T slices (gradient reduction, optimiser). */
void eo_nn_parallel(eo_nn *nn, void (*fn)(void *ctx, int t, int T), void *ctx);
/* eo_nn_optim_step on nn's parameters and gradients, the element loop
 * split across nn's threads (element-wise: same result as one thread). */
void eo_nn_optim_step_nn(eo_nn_optim *opt, eo_nn *nn, double lr_scale);

/* Uniform fill U(-a, a). */
void eo_fill_uniform(float *p, size_t n, double a, eo_rng *rng);

#endif
