/* Factorised entropy model of the autoencoder's latents (docs/codec.md,
 * "Rate-distortion training").
 *
 * Per latent channel a mixture of K logistic densities (learned weight
 * logits a_k, locations m_k, log-scales l_k); the probability of the
 * quantisation bin of width d centred on v is
 *   P(v) = sum_k w_k [sigma((v + d/2 - m_k)/s_k) - sigma((v - d/2 - m_k)/s_k)],
 * w = softmax(a), s_k = exp(l_k) (Balle et al. 2017, 2018: the rate of a
 * latent is -log2 of the density integrated over its bin; during training v
 * is the latent plus uniform noise, at coding time the quantised value).
 * The same parameters give the integer frequency tables of the range coder,
 * so the rate estimate and the file agree (tests/codec/test_codec_ae_rd.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ae_internal.h"
#include "ecgopt/alloc.h"

#define P_FLOOR 1e-9

static double sigm(double u)
{
    return u >= 0 ? 1.0 / (1.0 + exp(-u)) : exp(u) / (1.0 + exp(u));
}

/* sigma(hi) - sigma(lo) for hi > lo, accurate in both tails. */
static double sig_diff(double hi, double lo)
{
    if (lo > 0)
        return sigm(-lo) - sigm(-hi);
    return sigm(hi) - sigm(lo);
}

double eo_ae_density_bits(const float *par, int k, double v, double d, double *dv, double *dpar)
{
    const float *a = par, *m = par + k, *l = par + 2 * k;
    double amax = a[0];
    for (int j = 1; j < k; j++)
        amax = a[j] > amax ? a[j] : amax;
    double w[EO_AE_MAX_MIX], pj[EO_AE_MAX_MIX], ws = 0;
    for (int j = 0; j < k; j++)
        ws += (w[j] = exp(a[j] - amax));
    double p = 0;
    for (int j = 0; j < k; j++) {
        w[j] /= ws;
        double s = exp(l[j]);
        pj[j] = sig_diff((v + d / 2 - m[j]) / s, (v - d / 2 - m[j]) / s);
        p += w[j] * pj[j];
    }
    int floored = p < P_FLOOR;
    if (floored)
        p = P_FLOOR;
    if (dv || dpar) {
        /* d bits / d theta = -(dP/d theta) / (P ln 2); zero below the floor */
        double g = floored ? 0 : -1.0 / (p * M_LN2);
        double gv = 0;
        for (int j = 0; j < k; j++) {
            double s = exp(l[j]);
            double uh = (v + d / 2 - m[j]) / s, ul = (v - d / 2 - m[j]) / s;
            double sh = sigm(uh), sl = sigm(ul);
            double dh = sh * (1 - sh), dl = sl * (1 - sl);
            double dpdv = w[j] * (dh - dl) / s;
            gv += dpdv;
            if (dpar) {
                dpar[j] += g * w[j] * (pj[j] - p);           /* softmax */
                dpar[k + j] += g * -dpdv;                     /* location */
                dpar[2 * k + j] += g * w[j] * (-dh * uh + dl * ul); /* log-scale */
            }
        }
        if (dv)
            *dv = g * gv;
    }
    return -log2(p);
}

double eo_ae_density_bits_shift(const float *par, int k, double v, double d, double shift,
                                double *dv, double *dpar, double *dshift)
{
    float p2[3 * EO_AE_MAX_MIX];
    double g[3 * EO_AE_MAX_MIX] = {0};
    memcpy(p2, par, sizeof(float) * 3 * (size_t)k);
    for (int j = 0; j < k; j++)
        p2[2 * k + j] += (float)shift;
    double bits = eo_ae_density_bits(p2, k, v, d, dv, (dpar || dshift) ? g : NULL);
    if (dpar)
        for (int j = 0; j < 3 * k; j++)
            dpar[j] += g[j];
    if (dshift) { /* every log-scale moves with the shift */
        *dshift = 0;
        for (int j = 0; j < k; j++)
            *dshift += g[2 * k + j];
    }
    return bits;
}

void eo_ae_ctx_features(const double *a, int lz, int c, int t, double *e1, double *e2)
{
    const double *ac = a + (size_t)c * lz;
    *e1 = (t >= 1 ? ac[t - 1] : 0) + (t >= 2 ? 0.5 * ac[t - 2] : 0);
    double s = 0;
    for (int j = 0; j < c; j++)
        s += a[(size_t)j * lz + t];
    *e2 = c > 0 ? s / c : 0;
}

double eo_ae_ctx_shift(const float *w, double e1, double e2)
{
    return (double)w[0] * log1p(e1) + (double)w[1] * log1p(e2);
}

int eo_ae_ctx_level(double shift)
{
    double u = shift * EO_AE_CTX_STEPS;
    const double top = EO_AE_CTX_STEPS * EO_AE_CTX_MAX;
    u = !(u > -top) ? -top : u > top ? top : u; /* NaN -> the lowest level */
    return (int)lround(u) + EO_AE_CTX_STEPS * EO_AE_CTX_MAX;
}

double eo_ae_ctx_level_shift(int level)
{
    return (double)(level - EO_AE_CTX_STEPS * EO_AE_CTX_MAX) / EO_AE_CTX_STEPS;
}

void eo_ae_density_init(float *par, int k, double spread)
{
    for (int j = 0; j < k; j++) {
        par[j] = 0;
        par[k + j] = (float)(k > 1 ? spread * (2.0 * j / (k - 1) - 1.0) : 0.0);
        par[2 * k + j] = (float)log(spread > 0 ? spread : 1.0);
    }
}

void eo_ae_table_free(eo_ae_table *t)
{
    if (t) {
        free(t->cum);
        t->cum = NULL;
    }
}

int eo_ae_table_build_shift(const float *par, int k, double d, double shift, eo_ae_table *t)
{
    float p2[3 * EO_AE_MAX_MIX];
    memcpy(p2, par, sizeof(float) * 3 * (size_t)k);
    for (int j = 0; j < k; j++)
        p2[2 * k + j] += (float)shift;
    return eo_ae_table_build(p2, k, d, t);
}

/* Symbols qmin..qmax (index q - qmin) and the escape (index n - 1). */
int eo_ae_table_build(const float *par, int k, double d, eo_ae_table *t)
{
    memset(t, 0, sizeof *t);
    const float *m = par + k, *l = par + 2 * k;
    double lo = INFINITY, hi = -INFINITY;
    for (int j = 0; j < k; j++) {
        double s = exp(l[j]);
        /* logistic tail beyond 24 scales: < 4e-11 of the mass */
        lo = fmin(lo, m[j] - 24 * s);
        hi = fmax(hi, m[j] + 24 * s);
    }
    double c = (lo + hi) / 2;
    double qlo = floor(lo / d), qhi = ceil(hi / d);
    if (qhi - qlo > EO_AE_MAX_SYMBOLS - 2) { /* keep the central symbols */
        qlo = floor(c / d) - (EO_AE_MAX_SYMBOLS - 2) / 2;
        qhi = qlo + EO_AE_MAX_SYMBOLS - 2;
    }
    if (!(qlo > -1e6) || !(qhi < 1e6))
        return -1;
    t->qmin = (int32_t)qlo;
    t->qmax = (int32_t)qhi;
    int n = t->qmax - t->qmin + 2;
    t->n = n;
    t->cum = eo_malloc(sizeof(uint32_t) * (size_t)(n + 1));
    double *p = eo_malloc(sizeof(double) * (size_t)n);
    if (!t->cum || !p) {
        free(p);
        eo_ae_table_free(t);
        return -2;
    }
    double inside = 0;
    for (int i = 0; i < n - 1; i++) {
        p[i] = exp2(-eo_ae_density_bits(par, k, (double)(t->qmin + i) * d, d, NULL, NULL));
        inside += p[i];
    }
    p[n - 1] = fmax(1.0 - inside, 0.0);
    const uint32_t total = 1u << EO_RC_FREQ_BITS;
    uint32_t spare = total - (uint32_t)n, sum = 0;
    int best = 0;
    for (int i = 0; i < n; i++) {
        double f = floor(p[i] * spare);
        t->cum[i + 1] = 1 + (uint32_t)(f < spare ? f : spare);
        sum += t->cum[i + 1];
        if (p[i] > p[best])
            best = i;
    }
    free(p);
    if (sum > total) /* cannot happen: sum of floors <= spare */
        return -1;
    t->cum[best + 1] += total - sum; /* the rounding remainder to the mode */
    t->cum[0] = 0;
    for (int i = 0; i < n; i++)
        t->cum[i + 1] += t->cum[i];
    return 0;
}

void eo_ae_table_encode(const eo_ae_table *t, eo_rc_enc *e, int32_t q)
{
    int i = q >= t->qmin && q <= t->qmax ? q - t->qmin : t->n - 1;
    eo_rc_enc_freq(e, t->cum[i], t->cum[i + 1] - t->cum[i]);
    if (i == t->n - 1)
        eo_rc_enc_raw(e, (uint32_t)q, 32);
}

int32_t eo_ae_table_decode(const eo_ae_table *t, eo_rc_dec *d)
{
    uint32_t v = eo_rc_dec_freq_get(d);
    int lo = 0, hi = t->n - 1; /* largest i with cum[i] <= v */
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (t->cum[mid] <= v)
            lo = mid;
        else
            hi = mid - 1;
    }
    eo_rc_dec_freq_take(d, t->cum[lo], t->cum[lo + 1] - t->cum[lo]);
    if (lo == t->n - 1) {
        int32_t q = (int32_t)eo_rc_dec_raw(d, 32);
        return q > 1000000 ? 1000000 : q < -1000000 ? -1000000 : q;
    }
    return t->qmin + lo;
}

double eo_ae_table_bits(const eo_ae_table *t, int32_t q)
{
    int i = q >= t->qmin && q <= t->qmax ? q - t->qmin : t->n - 1;
    double b = EO_RC_FREQ_BITS - log2((double)(t->cum[i + 1] - t->cum[i]));
    return i == t->n - 1 ? b + 32 : b;
}
