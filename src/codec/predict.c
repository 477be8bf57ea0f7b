/* Lossless adaptive predictor for ECG samples (integer arithmetic only, so
 * encoder and decoder agree bit for bit on every platform and build).
 *
 * Cascade, in the manner of Monkey's Audio / OptimFROG (and of the adaptive
 * prediction of Bannajak 2023, which reports CR 3.52 on MIT-BIH):
 *   stage 0  first difference d[n] = x[n] - x[n-1] (fixed predictor x[n-1]);
 *   stage 1  NLMS of order N1 on past d, plus inter-lead taps (signal s-1's
 *            d at the same frame and the one before: leads see the same
 *            heart, so the lead coded first predicts the next one);
 *   stage 2  NLMS of order N2 on the stage-1 residual (catches what the long
 *            filter adapts to too slowly).
 * NLMS (Haykin, Adaptive Filter Theory, eq. 6.45):
 *   w <- w + mu e h / (eps + h'h),
 * in fixed point: weights Q16, inputs saturated to 16 bits, int64 sums.
 * The coding contexts (eo_predictor_mix_context, for mixcoder.c) are the
 * activity contexts of CALIC / JPEG-LS at several time scales, the other
 * lead's residual, the predicted change and the phase in the heartbeat. */
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "codec_internal.h"

#define N1 32 /* maximum orders */
#define N2 32
#define NX 2 /* inter-lead taps */
#define WS 16
#define GS 16
#ifndef EO_PRED_N1
#define EO_PRED_N1 16 /* stage orders used */
#define EO_PRED_N2 8
#define MU1 6 /* mu = 2^-MU */
#define MU2 5
#endif
/* orders and steps chosen on MIT-BIH 100 203 232 119 105 108 114 201 215 222 */
#define HBUF 1024 /* history buffer: newest at h[pos], window h[pos..pos+N) */
#define WMAX (1 << 24)

typedef struct nlms {
    int order;
    int mu_shift;
    int32_t w[N1 + NX];
    int32_t hist[HBUF + N1];
    int pos;
    int64_t norm; /* sum of squares of the window */
} nlms;

/* stage 3: sign-sign LMS (the NN filters of Monkey's Audio), order 16 on
 * the stage-2 residual: w <- w + 2^-12 sgn(e) sgn(h), weights Q16.  It
 * minimises |e| rather than e^2, which suits the heavy-tailed residual
 * (QRS complexes dominate a squared-error fit): +0.1 % CR. */
#define SS_ORDER 16
#define SS_STEP 16
typedef struct sslms {
    int32_t w[SS_ORDER];
    int32_t h[SS_ORDER];
} sslms;

typedef struct sigstate {
    sslms s3;
    int32_t p3;
    nlms s1, s2;
    int32_t xprev;
    int32_t dcur, dprev; /* this signal's d at the current and previous frame */
    int32_t p1, p2;      /* stage predictions of the current frame */
    int32_t x1, x2;      /* cross inputs used by the current prediction */
    int64_t pred;
    uint32_t ra[4]; /* last |residual|s, newest first */
    int32_t rs[2];   /* last two signed residuals, newest first */
    uint32_t since;  /* frames since the last large residual (a beat) */
    uint32_t ef, es; /* running means of |residual| x 16, rates 1/4 and 1/32 */
} sigstate;

struct eo_predictor {
    int n;
    sigstate *s;
    int n1, n2, mu1, mu2; /* orders (<= N1, N2) and step shifts */
};

static inline int32_t sat16(int64_t v)
{
    return v > 32767 ? 32767 : v < -32767 ? -32767 : (int32_t)v;
}

static void nlms_reset(nlms *f, int order, int mu_shift)
{
    memset(f, 0, sizeof *f);
    f->order = order;
    f->mu_shift = mu_shift;
    f->pos = HBUF;
}

static inline int64_t nlms_dot(const nlms *f, const int32_t *x, int nx)
{
    const int32_t *h = f->hist + f->pos;
    int64_t acc = 0;
    for (int i = 0; i < f->order; i++)
        acc += (int64_t)f->w[i] * h[i];
    for (int i = 0; i < nx; i++)
        acc += (int64_t)f->w[f->order + i] * x[i];
    return acc;
}

static inline int32_t nlms_predict(const nlms *f, const int32_t *x, int nx)
{
    int64_t acc = nlms_dot(f, x, nx);
    return sat16((acc + (1 << (WS - 1))) >> WS);
}

/* Adapt with error e, then push the new input value v into the history. */
static inline void nlms_update(nlms *f, const int32_t *x, int nx, int32_t e, int32_t v)
{
    int32_t *h = f->hist + f->pos;
    int64_t norm = f->norm;
    for (int i = 0; i < nx; i++)
        norm += (int64_t)x[i] * x[i];
    if (e != 0) {
        int64_t g = ((int64_t)e * ((int64_t)1 << (WS + GS - f->mu_shift))) / (norm + 64);
        for (int i = 0; i < f->order; i++) {
            int64_t w = f->w[i] + ((g * h[i]) >> GS);
            f->w[i] = (int32_t)(w > WMAX ? WMAX : w < -WMAX ? -WMAX : w);
        }
        for (int i = 0; i < nx; i++) {
            int64_t w = f->w[f->order + i] + ((g * x[i]) >> GS);
            f->w[f->order + i] = (int32_t)(w > WMAX ? WMAX : w < -WMAX ? -WMAX : w);
        }
    }
    /* slide: drop the oldest, add v */
    int32_t old = h[f->order - 1];
    f->norm -= (int64_t)old * old;
    f->norm += (int64_t)v * v;
    if (f->pos == 0) {
        memmove(f->hist + HBUF, f->hist, sizeof(int32_t) * (size_t)f->order);
        f->pos = HBUF;
    }
    f->pos--;
    f->hist[f->pos] = v;
}

eo_predictor *eo_predictor_create(int n_signals)
{
    if (n_signals < 1)
        return NULL;
    eo_predictor *p = eo_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->n = n_signals;
    p->n1 = EO_PRED_N1;
    p->n2 = EO_PRED_N2;
    p->mu1 = MU1;
    p->mu2 = MU2;
    p->s = eo_calloc((size_t)n_signals, sizeof *p->s);
    if (!p->s) {
        free(p);
        return NULL;
    }
    eo_predictor_reset(p);
    return p;
}

void eo_predictor_reset(eo_predictor *p)
{
    for (int s = 0; s < p->n; s++) {
        sigstate *st = &p->s[s];
        memset(st, 0, sizeof *st);
        nlms_reset(&st->s1, p->n1, p->mu1);
        nlms_reset(&st->s2, p->n2, p->mu2);
    }
}

void eo_predictor_destroy(eo_predictor *p)
{
    if (!p)
        return;
    free(p->s);
    free(p);
}

int32_t eo_predictor_predict(eo_predictor *p, int s)
{
    sigstate *st = &p->s[s];
    int nx = 0;
    int32_t xin[NX];
    if (s > 0) {
        xin[0] = p->s[s - 1].dcur;
        xin[1] = p->s[s - 1].dprev;
        nx = NX;
    }
    st->x1 = nx ? xin[0] : 0;
    st->x2 = nx ? xin[1] : 0;
    st->p1 = nlms_predict(&st->s1, xin, nx);
    st->p2 = nlms_predict(&st->s2, NULL, 0);
    int64_t acc = 0;
    for (int i = 0; i < SS_ORDER; i++)
        acc += (int64_t)st->s3.w[i] * st->s3.h[i];
    st->p3 = sat16((acc + (1 << 15)) >> 16);
    st->pred = eo_clamp_adu((int64_t)st->xprev + st->p1 + st->p2 + st->p3);
    return (int32_t)st->pred;
}

void eo_predictor_update(eo_predictor *p, int s, int32_t x)
{
    sigstate *st = &p->s[s];
    int32_t xin[NX] = {st->x1, st->x2};
    int nx = s > 0 ? NX : 0;
    int32_t d = sat16((int64_t)x - st->xprev);
    int32_t r1 = sat16((int64_t)d - st->p1);
    int32_t r2 = sat16((int64_t)r1 - st->p2);
    nlms_update(&st->s1, xin, nx, r1, d);
    nlms_update(&st->s2, NULL, 0, r2, r1);
    {
        int32_t r3 = sat16((int64_t)r2 - st->p3);
        int sg = (r3 > 0) - (r3 < 0);
        if (sg)
            for (int i = 0; i < SS_ORDER; i++) {
                int hs = (st->s3.h[i] > 0) - (st->s3.h[i] < 0);
                int32_t w = st->s3.w[i] + sg * hs * SS_STEP;
                st->s3.w[i] = w > WMAX ? WMAX : w < -WMAX ? -WMAX : w;
            }
        memmove(st->s3.h + 1, st->s3.h, sizeof(int32_t) * (SS_ORDER - 1));
        st->s3.h[0] = r2;
    }
    int64_t res = (int64_t)x - st->pred;
    uint32_t a = (uint32_t)(res < 0 ? (res < -65535 ? 65535 : -res) : (res > 65535 ? 65535 : res));
    st->ra[3] = st->ra[2];
    st->ra[2] = st->ra[1];
    st->ra[1] = st->ra[0];
    st->ra[0] = a;
    /* a residual above 4 x its slow mean + 4 marks a beat (QRS) */
    st->since = (a << 4) > 4 * st->es + 64 ? 0 : st->since < 100000 ? st->since + 1 : st->since;
    st->rs[1] = st->rs[0];
    st->rs[0] = (int32_t)(res < -65535 ? -65535 : res > 65535 ? 65535 : res);
    st->ef += (uint32_t)(((int64_t)(a << 4) - (int64_t)st->ef) >> 2);
    st->es += (uint32_t)(((int64_t)(a << 4) - (int64_t)st->es) >> 5);
    st->xprev = x;
    st->dprev = st->dcur;
    st->dcur = d;
}

int eo_predictor_sign_hint(const eo_predictor *p, int s)
{
    int32_t c = p->s[s].p1 + p->s[s].p2;
    return c > 0 ? 1 : c < 0 ? 2 : 0;
}

/* half-octave quantiser: 0, 1, 2, 3, 4-5, 6-7, 8-11, 12-15, ... */
static inline int hq(uint32_t v, int cap)
{
    int q;
    if (v < 2) {
        q = (int)v;
    } else {
        int b = eo_bitlen(v);
        q = 2 * (b - 1) + (int)((v >> (b - 2)) & 1);
    }
    return q > cap ? cap : q;
}

const int eo_pred_mix_nctx[EO_PRED_MIX_K] = {24 * 20, 16 * 25, 25 * 9, 20 * 12};

/* signed residual -> 2 cap + 1 levels (sign x half-octave) */
static inline int sq(int32_t r, int cap)
{
    int q = hq((uint32_t)(r < 0 ? -r : r), cap);
    return r < 0 ? cap - q : cap + q;
}

/* Contexts for the mixing coder (mixcoder.c), all from values already
 * coded:
 *   0  half-octaves of two running means of |r| (rates 1/4 and 1/32): the
 *      local noise level at two time scales (the activity contexts of
 *      CALIC / JPEG-LS);
 *   1  the slow running mean x the predicted change x[n] - x[n-1] of the
 *      NLMS/LMS stages (sign x half-octave): a large predicted change
 *      (a QRS slope) makes a large residual likely;
 *   2  the last two signed residuals (sign x half-octave: a predictor
 *      overshoot is followed by a residual of the other sign);
 *   3  half-octave of the frames since the last large residual (the phase
 *      in the heartbeat: QRS, then T wave at a fixed delay) x the slow mean.
 * Mixer weights are chosen by the octave of the predicted change, the APM
 * context is the half-octave of the fast running mean.  Two more models
 * (sum of the last four |r| x the other lead's |r| or the slope; last |r|
 * x the other lead's |r|) added 0.45 % CR for 60 % more CPU: dropped. */
void eo_predictor_mix_context(const eo_predictor *p, int s, eo_mix_ctx *x)
{
    const sigstate *st = &p->s[s];
    int32_t pd = st->p1 + st->p2 + st->p3; /* predicted change x[n] - x[n-1] */
    x->ctx[0] = hq(st->ef >> 2, 23) * 20 + hq(st->es >> 2, 19);
    x->ctx[1] = hq(st->es >> 2, 15) * 25 + sq(pd, 12);
    x->ctx[2] = sq(st->rs[0], 12) * 9 + sq(st->rs[1], 4);
    x->ctx[3] = hq(st->since, 19) * 12 + hq(st->es >> 2, 11);
    int b = eo_bitlen((uint32_t)(pd < 0 ? -pd : pd));
    x->msel = b > 5 ? 5 : b;
    x->actx = hq(st->ef >> 2, 11);
}
/* Context of the plain coder (EO_CODEC_CODER_PLAIN), 0..EO_PRED_NCTX-1. */
int eo_predictor_context(const eo_predictor *p, int s)
{
    const sigstate *st = &p->s[s];
    /* own activity: bit length of 1 + the sum of the last four |residual|
     * (octaves; finer steps cost more learning after each block reset than
     * they gain, measured on MIT-BIH) */
    uint32_t v = 1 + st->ra[0] + st->ra[1] + st->ra[2] + st->ra[3];
    int own = eo_bitlen(v) - 1;
    if (own > EO_PRED_NCTX / 4 - 1)
        own = EO_PRED_NCTX / 4 - 1;
    /* second feature: the previous lead's residual at this frame (noise and
     * artefacts hit both leads at once), or for the first lead the local
     * slope |d[n-1]| + |d[n-2]| (QRS complexes) */
    uint32_t w;
    int aux;
    if (s > 0) {
        w = p->s[s - 1].ra[0];
        aux = eo_bitlen(w); /* 0, 1, 2-3, 4+ */
    } else {
        w = (uint32_t)(st->dcur < 0 ? -st->dcur : st->dcur) +
            (uint32_t)(st->dprev < 0 ? -st->dprev : st->dprev);
        aux = eo_bitlen(w) / 2;
    }
    if (aux > 3)
        aux = 3;
    return own * 4 + aux;
}
