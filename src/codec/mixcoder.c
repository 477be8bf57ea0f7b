/* Context-mixing coder for the signed prediction residuals of the lossless
 * and bounded modes (docs/codec.md, "Entropy coder").
 *
 * The residual is binarised as in the plain integer coder (entropy.c): zero
 * flag, sign, bit length of |v| in unary, the two bits after the leading
 * one, then the remaining low bits.  Every decision but the low bits gets
 * its probability from several context models at once, combined by logistic
 * mixing and refined by an adaptive probability map, the scheme of PAQ
 * (Mahoney, "Adaptive weighing of context models for lossless data
 * compression", FIT tech. report CS-2005-16, 2005; lpaq1):
 *
 *   st_k = stretch(p_k) = ln(p_k / (1 - p_k))            (each model k)
 *   p_mix = squash(sum_k w_k st_k),  squash(x) = 1/(1 + e^-x)
 *   w_k <- w_k + lr (y - p_mix) st_k                     (online gradient
 *                                                          step on coding cost)
 *   p_apm = interpolated table indexed by (small context, stretch(p_mix)),
 *           updated towards y (SSE / secondary estimation)
 *   p = (p_mix + p_apm) / 2
 *
 * Each model k is a table of adaptive-rate counters indexed by (context
 * k, decision node), the caller choosing the context values (recent
 * residual magnitudes at several time scales, the other lead).  Why mixing:
 * one context built from all features at once has too many cells to learn
 * within a 60 s block; mixing lets coarse and fine views share the work.
 *
 * Integer arithmetic only (squash by the 33-point table of lpaq1, stretch
 * its inverse), so encoder and decoder agree bit for bit everywhere. */
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "codec_internal.h"

#define NB (EO_IC_MAXBITS + 1)
#define N_UNARY 15
/* decision nodes, the frequent ones first so that a value's counters share
 * few cache lines */
#ifdef OLDORDER
#define NODE_ZERO 0
#define NODE_SIGN 1
#define NODE_UNARY 10
#define NODE_TOP (NODE_UNARY + N_UNARY)
#define N_NODES (NODE_TOP + 15 * 3)
#else
#define NODE_ZERO 0
#define NODE_UNARY 1                  /* 15 */
#define NODE_SIGN (NODE_UNARY + N_UNARY) /* 9: last sign x hint */
#define NODE_TOP (NODE_SIGN + 9)      /* TOP_NB - 1 lengths x 3 tree nodes */
#ifndef TOP_NB
#define TOP_NB 16
#endif
#define N_NODES (NODE_TOP + (TOP_NB - 1) * 3)
#endif

/* Tuned on MIT-BIH 100 101 103 105 108 119 203 207 210 222 232 (lossless,
 * 60 s blocks): the learning rate matters most (2.5x too high cost 3.5 %). */
#define CNT_LIMIT 127 /* slowest counter rate 1/(LIMIT + 1.5) */
#define MIX_SHIFT 16  /* weights Q16 */
#define MIX_LR 6      /* dw = st * err * LR >> 14 (Q16), i.e. lr ~ 0.006 */
#define APM_RATE 6    /* APM cells move 1/2^RATE of the way */
#define APM_W 2       /* final p = ((4 - APM_W) p_mix + APM_W p_apm) / 4 */

/* squash: 1/(1+exp(-x/256)) in 12 bits, x clamped to +-2047 (lpaq1) */
static int squash(int x)
{
    static const int t[33] = {1,    2,    3,    6,    10,   16,   27,   45,   73,
                              120,  194,  310,  488,  747,  1101, 1546, 2047, 2549,
                              2994, 3348, 3607, 3785, 3901, 3975, 4022, 4050, 4068,
                              4079, 4085, 4089, 4092, 4093, 4094};
    if (x > 2047)
        return 4095;
    if (x < -2047)
        return 1;
    int w = x & 127;
    int i = (x >> 7) + 16;
    return (t[i] * (128 - w) + t[i + 1] * w + 64) >> 7;
}

int eo_mix_coder_init(eo_mix_coder *c, int k, const int *nctx, int n_msel, int n_apm)
{
    memset(c, 0, sizeof *c);
    if (k != EO_MIX_K || n_msel < 1 || n_apm < 1)
        return -1;
    c->k = k;
    c->n_msel = n_msel;
    c->n_apm = n_apm;
    for (int i = 0; i < k; i++) {
        c->nctx[i] = nctx[i] < 1 ? 1 : nctx[i];
        c->cnt[i] = eo_malloc(sizeof(eo_mix_counter) * (size_t)c->nctx[i] * N_NODES);
        if (!c->cnt[i]) {
            eo_mix_coder_destroy(c);
            return -1;
        }
    }
    c->w = eo_malloc(sizeof(int32_t) * (size_t)n_msel * N_NODES * (size_t)(k + 1));
    c->apm = eo_malloc(sizeof(uint16_t) * (size_t)n_apm * N_NODES * 33);
    c->low = eo_malloc(sizeof(eo_bit_model) * NB * EO_IC_MAXBITS);
    c->stretch = eo_malloc(sizeof(int16_t) * 4096);
    if (!c->w || !c->apm || !c->low || !c->stretch) {
        eo_mix_coder_destroy(c);
        return -1;
    }
    /* stretch = inverse of squash */
    int pi = 0;
    for (int x = -2047; x <= 2047; x++) {
        int v = squash(x);
        for (int j = pi; j <= v; j++)
            c->stretch[j] = (int16_t)x;
        pi = v + 1;
    }
    for (int j = pi; j < 4096; j++)
        c->stretch[j] = 2047;
    for (int i = 0; i < 256; i++)
        c->recip[i] = (uint16_t)(131072 / (2 * i + 3) > 65535 ? 65535 : 131072 / (2 * i + 3));
    eo_mix_coder_reset(c);
    return 0;
}

void eo_mix_coder_reset(eo_mix_coder *c)
{
    for (int i = 0; i < c->k; i++) {
        size_t m = (size_t)c->nctx[i] * N_NODES;
        for (size_t j = 0; j < m; j++) {
            c->cnt[i][j].p = 32768;
            c->cnt[i][j].n = 0;
        }
    }
    size_t nw = (size_t)c->n_msel * N_NODES;
    int w0 = (int)((5u << MIX_SHIFT) / (4u * (unsigned)c->k)); /* weights sum to 1.25 */
    for (size_t j = 0; j < nw; j++) {
        int32_t *w = c->w + j * (size_t)(c->k + 1);
        for (int i = 0; i < c->k; i++)
            w[i] = w0;
        w[c->k] = 0;
    }
    size_t na = (size_t)c->n_apm * N_NODES;
    for (size_t j = 0; j < na; j++)
        for (int b = 0; b < 33; b++) {
            int v = squash((b - 16) * 128) * 16;
            c->apm[j * 33 + (size_t)b] = (uint16_t)(v > 65535 ? 65535 : v);
        }
    eo_bit_models_init(c->low, NB * EO_IC_MAXBITS);
    c->last_sign = 0;
    c->sign_hint = 0;
}

void eo_mix_coder_destroy(eo_mix_coder *c)
{
    if (!c)
        return;
    for (int i = 0; i < EO_MIX_MAXK; i++)
        free(c->cnt[i]);
    free(c->w);
    free(c->apm);
    free(c->low);
    free(c->stretch);
    memset(c, 0, sizeof *c);
}

/* One mixed decision: prediction state kept between predict and update. */
typedef struct mx_step {
    int st[EO_MIX_MAXK + 1];
    eo_mix_counter *cp[EO_MIX_MAXK];
    int32_t *w;
    uint16_t *a;
    int pm, j, wt;
} mx_step;

static inline uint32_t mx_predict(const eo_mix_coder *c, const eo_mix_ctx *x, int node,
                                  mx_step *t)
{
    const int k = EO_MIX_K;
    int64_t dot = 0;
    t->w = c->w + ((size_t)x->msel * N_NODES + (size_t)node) * (size_t)(k + 1);
    for (int i = 0; i < k; i++) {
        t->cp[i] = c->cnt[i] + (size_t)x->ctx[i] * N_NODES + (size_t)node;
        t->st[i] = c->stretch[t->cp[i]->p >> 4];
        dot += (int64_t)t->w[i] * t->st[i];
    }
    t->st[k] = 256;
    dot += (int64_t)t->w[k] * 256;
    int64_t s = dot >> MIX_SHIFT;
    int sx = s > 2047 ? 2047 : s < -2047 ? -2047 : (int)s;
    t->pm = squash(sx);
    int u = c->stretch[t->pm] + 2048; /* 1..4095 */
    t->j = u >> 7;
    t->wt = u & 127;
    t->a = c->apm + ((size_t)x->actx * N_NODES + (size_t)node) * 33;
    int pa = (int)(((uint32_t)t->a[t->j] * (uint32_t)(128 - t->wt) +
                    (uint32_t)t->a[t->j + 1] * (uint32_t)t->wt) >> 11); /* 12 bits */
    int p1 = (t->pm * (4 - APM_W) + APM_W * pa + 2) >> 2;
    p1 = p1 < 1 ? 1 : p1 > 4095 ? 4095 : p1;
    return (uint32_t)(4096 - p1); /* probability of a 0 */
}

static inline void mx_update(eo_mix_coder *c, mx_step *t, int bit)
{
    const int k = EO_MIX_K;
    int err = ((bit << 12) - t->pm) * MIX_LR;
    for (int i = 0; i <= k; i++) {
        int32_t w = t->w[i] + ((t->st[i] * err) >> 14);
        t->w[i] = w > (1 << 22) ? (1 << 22) : w < -(1 << 22) ? -(1 << 22) : w;
    }
    int target = bit ? 65535 : 0;
    for (int i = 0; i < k; i++) {
        eo_mix_counter *q = t->cp[i];
        int p = q->p;
        p += (int)(((int64_t)(target - p) * c->recip[q->n]) >> 16);
        q->p = (uint16_t)(p < 0 ? 0 : p > 65535 ? 65535 : p);
        if (q->n < CNT_LIMIT)
            q->n++;
    }
    int a0 = t->a[t->j], a1 = t->a[t->j + 1];
    a0 += ((target - a0) * (128 - t->wt)) >> (7 + APM_RATE);
    a1 += ((target - a1) * t->wt) >> (7 + APM_RATE);
    t->a[t->j] = (uint16_t)a0;
    t->a[t->j + 1] = (uint16_t)a1;
}

static inline void enc_bit(eo_mix_coder *c, eo_rc_enc *e, const eo_mix_ctx *x, int node, int bit)
{
    mx_step t;
    uint32_t p0 = mx_predict(c, x, node, &t);
    eo_rc_enc_bit_p(e, p0, bit);
    mx_update(c, &t, bit);
}

static inline int dec_bit(eo_mix_coder *c, eo_rc_dec *d, const eo_mix_ctx *x, int node)
{
    mx_step t;
    uint32_t p0 = mx_predict(c, x, node, &t);
    int bit = eo_rc_dec_bit_p(d, p0);
    mx_update(c, &t, bit);
    return bit;
}

static void clamp_ctx(const eo_mix_coder *c, const eo_mix_ctx *in, eo_mix_ctx *x)
{
    *x = *in;
    for (int i = 0; i < c->k; i++)
        x->ctx[i] = x->ctx[i] < 0 ? 0 : x->ctx[i] >= c->nctx[i] ? c->nctx[i] - 1 : x->ctx[i];
    x->msel = x->msel < 0 ? 0 : x->msel >= c->n_msel ? c->n_msel - 1 : x->msel;
    x->actx = x->actx < 0 ? 0 : x->actx >= c->n_apm ? c->n_apm - 1 : x->actx;
}

static inline int top_node(int nb, int tn)
{
    return NODE_TOP + ((nb > TOP_NB ? TOP_NB : nb) - 2) * 3 + (tn - 1);
}

void eo_mix_encode(eo_mix_coder *c, eo_rc_enc *e, const eo_mix_ctx *cx, int32_t v)
{
    eo_mix_ctx x;
    clamp_ctx(c, cx, &x);
    enc_bit(c, e, &x, NODE_ZERO, v != 0);
    if (v == 0)
        return;
    int neg = v < 0;
    int hint = c->sign_hint >= 0 && c->sign_hint < 3 ? c->sign_hint : 0;
    enc_bit(c, e, &x, NODE_SIGN + c->last_sign * 3 + hint, neg);
    c->last_sign = neg ? 2 : 1;
    uint32_t m = neg ? (uint32_t)(-(int64_t)v) : (uint32_t)v;
    int nb = eo_bitlen(m);
    for (int i = 1; i < EO_IC_MAXBITS; i++) {
        int more = nb > i;
        enc_bit(c, e, &x, NODE_UNARY + (i < N_UNARY ? i : N_UNARY) - 1, more);
        if (!more)
            break;
    }
    int tn = 1;
    for (int i = nb - 2; i >= 0; i--) {
        int bit = (int)((m >> i) & 1);
        if (nb - 2 - i < 2) {
            enc_bit(c, e, &x, top_node(nb, tn), bit);
            tn = tn * 2 + bit;
        } else {
            eo_rc_enc_bit(e, &c->low[(size_t)nb * EO_IC_MAXBITS + (size_t)i], bit);
        }
    }
}

int32_t eo_mix_decode(eo_mix_coder *c, eo_rc_dec *d, const eo_mix_ctx *cx)
{
    eo_mix_ctx x;
    clamp_ctx(c, cx, &x);
    if (!dec_bit(c, d, &x, NODE_ZERO))
        return 0;
    int hint = c->sign_hint >= 0 && c->sign_hint < 3 ? c->sign_hint : 0;
    int neg = dec_bit(c, d, &x, NODE_SIGN + c->last_sign * 3 + hint);
    c->last_sign = neg ? 2 : 1;
    int nb = 1;
    for (int i = 1; i < EO_IC_MAXBITS; i++) {
        if (!dec_bit(c, d, &x, NODE_UNARY + (i < N_UNARY ? i : N_UNARY) - 1))
            break;
        nb++;
    }
    uint32_t m = 1;
    int tn = 1;
    for (int i = nb - 2; i >= 0; i--) {
        int bit;
        if (nb - 2 - i < 2) {
            bit = dec_bit(c, d, &x, top_node(nb, tn));
            tn = tn * 2 + bit;
        } else {
            bit = eo_rc_dec_bit(d, &c->low[(size_t)nb * EO_IC_MAXBITS + (size_t)i]);
        }
        m = (m << 1) | (uint32_t)bit;
    }
    return neg ? -(int32_t)m : (int32_t)m;
}
