/* Adaptive binary range coder with context-modelled integer coding.
 *
 * Why hand-written: Debian packages offer general-purpose compressors (zlib,
 * zstd, xz/LZMA, brotli) and static entropy coders, but none offers an
 * adaptive, context-modelled binary arithmetic coder for streams of signed
 * integer residuals whose contexts the caller chooses per symbol.  The coder
 * is the carry-propagating range coder of LZMA (I. Pavlov, LZMA SDK,
 * "rc" encoder/decoder: 32-bit range, normalisation below 2^24, one cached
 * byte for carries), with 12-bit probabilities from an adaptive-rate
 * counter (rate 1/(n+1.5) for the n-th observation, down to a floor), which
 * learns quickly after the per-block reset and then tracks slowly.
 *
 * Integers: a zero flag; a sign conditioned on the previous sign; the bit
 * length of |v| in unary (each position its own adaptive bit, per context,
 * i.e. an adaptive Elias-gamma / Golomb binarisation); the two bits after the
 * leading one modelled per (context, length); the rest per (length,
 * position).  Contexts come from the caller (recent residual magnitudes), as
 * in CALIC/JPEG-LS context modelling. */
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "codec_internal.h"

#ifndef EO_RC_LIMIT
#define EO_RC_LIMIT 120 /* slowest adaptation rate 1/(LIMIT + 1.5) */
#endif

/* ---- byte buffer ---- */

static int bytes_reserve(eo_bytes *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->n + extra <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + extra)
        cap *= 2;
    unsigned char *q = eo_realloc(b->p, cap);
    if (!q) {
        b->oom = 1;
        return -1;
    }
    b->p = q;
    b->cap = cap;
    return 0;
}

void eo_bytes_put(eo_bytes *b, const void *src, size_t n)
{
    if (n == 0 || bytes_reserve(b, n))
        return;
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

void eo_bytes_u8(eo_bytes *b, unsigned v)
{
    if (bytes_reserve(b, 1))
        return;
    b->p[b->n++] = (unsigned char)v;
}

void eo_bytes_u16(eo_bytes *b, unsigned v)
{
    unsigned char t[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    eo_bytes_put(b, t, 2);
}

void eo_bytes_u32(eo_bytes *b, uint32_t v)
{
    unsigned char t[4];
    for (int i = 0; i < 4; i++)
        t[i] = (unsigned char)(v >> (8 * i));
    eo_bytes_put(b, t, 4);
}

void eo_bytes_u64(eo_bytes *b, uint64_t v)
{
    unsigned char t[8];
    for (int i = 0; i < 8; i++)
        t[i] = (unsigned char)(v >> (8 * i));
    eo_bytes_put(b, t, 8);
}

void eo_bytes_f64(eo_bytes *b, double v)
{
    uint64_t u;
    memcpy(&u, &v, 8);
    eo_bytes_u64(b, u);
}

void eo_bytes_str(eo_bytes *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n > 65535)
        n = 65535;
    eo_bytes_u16(b, (unsigned)n);
    eo_bytes_put(b, s, n);
}

/* ---- bit models ---- */

void eo_bit_models_init(eo_bit_model *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        m[i].p = 32768;
        m[i].n = 0;
    }
}

/* 65536 / (n + 1.5): the first observations move the estimate as a running
 * mean would (fast learning after each block reset), later ones at the
 * fixed rate 1/(EO_RC_LIMIT + 1.5) (tracking). */
static const uint16_t RC_RECIP[256] = {
#define R(n) (uint16_t)(65536.0 / ((n) + 1.5) > 65535 ? 65535 : 65536.0 / ((n) + 1.5))
#define R4(n) R(n), R(n + 1), R(n + 2), R(n + 3)
#define R16(n) R4(n), R4(n + 4), R4(n + 8), R4(n + 12)
    R16(0), R16(16), R16(32), R16(48), R16(64), R16(80), R16(96), R16(112),
    R16(128), R16(144), R16(160), R16(176), R16(192), R16(208), R16(224), R16(240)
#undef R16
#undef R4
#undef R
};

static inline uint32_t model_p12(const eo_bit_model *m)
{
    uint32_t p = (uint32_t)m->p >> 4;
    return p < 1 ? 1 : p > 4095 ? 4095 : p;
}

static inline void model_update(eo_bit_model *m, int bit)
{
    int32_t target = bit ? 0 : 65535;
    int32_t p = m->p;
    p += (int32_t)(((int64_t)(target - p) * RC_RECIP[m->n]) >> 16);
    m->p = (uint16_t)(p < 0 ? 0 : p > 65535 ? 65535 : p);
    if (m->n < EO_RC_LIMIT)
        m->n++;
}

/* ---- range encoder ---- */

void eo_rc_enc_init(eo_rc_enc *e, eo_bytes *out)
{
    e->low = 0;
    e->range = 0xFFFFFFFFu;
    e->cache = 0;
    e->cache_size = 1;
    e->out = out;
}

static void rc_shift_low(eo_rc_enc *e)
{
    if ((uint32_t)e->low < 0xFF000000u || (e->low >> 32) != 0) {
        uint8_t carry = (uint8_t)(e->low >> 32);
        uint8_t temp = e->cache;
        do {
            eo_bytes_u8(e->out, (uint8_t)(temp + carry));
            temp = 0xFF;
        } while (--e->cache_size != 0);
        e->cache = (uint8_t)(e->low >> 24);
    }
    e->cache_size++;
    e->low = (e->low & 0x00FFFFFFu) << 8;
}

void eo_rc_enc_bit(eo_rc_enc *e, eo_bit_model *m, int bit)
{
    uint32_t bound = (e->range >> 12) * model_p12(m);
    if (!bit) {
        e->range = bound;
    } else {
        e->low += bound;
        e->range -= bound;
    }
    model_update(m, bit);
    while (e->range < (1u << 24)) {
        e->range <<= 8;
        rc_shift_low(e);
    }
}

void eo_rc_enc_bit_p(eo_rc_enc *e, uint32_t p0, int bit)
{
    uint32_t bound = (e->range >> 12) * p0;
    if (!bit) {
        e->range = bound;
    } else {
        e->low += bound;
        e->range -= bound;
    }
    while (e->range < (1u << 24)) {
        e->range <<= 8;
        rc_shift_low(e);
    }
}

void eo_rc_enc_raw(eo_rc_enc *e, uint32_t v, int nbits)
{
    for (int i = nbits - 1; i >= 0; i--) {
        e->range >>= 1;
        if ((v >> i) & 1)
            e->low += e->range;
        while (e->range < (1u << 24)) {
            e->range <<= 8;
            rc_shift_low(e);
        }
    }
}

/* A symbol of a static frequency table (cum, freq; total 2^EO_RC_FREQ_BITS):
 * the multi-symbol use of the same carry-propagating coder (LZMA's rc). */
void eo_rc_enc_freq(eo_rc_enc *e, uint32_t cum, uint32_t freq)
{
    uint32_t r = e->range >> EO_RC_FREQ_BITS;
    e->low += (uint64_t)r * cum;
    e->range = r * freq;
    while (e->range < (1u << 24)) {
        e->range <<= 8;
        rc_shift_low(e);
    }
}

void eo_rc_enc_finish(eo_rc_enc *e)
{
    for (int i = 0; i < 5; i++)
        rc_shift_low(e);
}

/* ---- range decoder ---- */

static inline uint8_t rc_next(eo_rc_dec *d)
{
    if (d->pos < d->n)
        return d->p[d->pos++];
    d->overrun++;
    return 0;
}

void eo_rc_dec_init(eo_rc_dec *d, const unsigned char *p, size_t n)
{
    d->p = p;
    d->n = n;
    d->pos = 0;
    d->overrun = 0;
    d->range = 0xFFFFFFFFu;
    d->code = 0;
    for (int i = 0; i < 5; i++)
        d->code = (d->code << 8) | rc_next(d);
}

int eo_rc_dec_bit(eo_rc_dec *d, eo_bit_model *m)
{
    uint32_t bound = (d->range >> 12) * model_p12(m);
    int bit;
    if (d->code < bound) {
        d->range = bound;
        bit = 0;
    } else {
        d->code -= bound;
        d->range -= bound;
        bit = 1;
    }
    model_update(m, bit);
    while (d->range < (1u << 24)) {
        d->range <<= 8;
        d->code = (d->code << 8) | rc_next(d);
    }
    return bit;
}

int eo_rc_dec_bit_p(eo_rc_dec *d, uint32_t p0)
{
    uint32_t bound = (d->range >> 12) * p0;
    int bit;
    if (d->code < bound) {
        d->range = bound;
        bit = 0;
    } else {
        d->code -= bound;
        d->range -= bound;
        bit = 1;
    }
    while (d->range < (1u << 24)) {
        d->range <<= 8;
        d->code = (d->code << 8) | rc_next(d);
    }
    return bit;
}

uint32_t eo_rc_dec_freq_get(eo_rc_dec *d)
{
    d->freq_r = d->range >> EO_RC_FREQ_BITS;
    uint32_t v = d->code / d->freq_r;
    return v < (1u << EO_RC_FREQ_BITS) ? v : (1u << EO_RC_FREQ_BITS) - 1;
}

void eo_rc_dec_freq_take(eo_rc_dec *d, uint32_t cum, uint32_t freq)
{
    d->code -= d->freq_r * cum;
    d->range = d->freq_r * freq;
    while (d->range < (1u << 24)) {
        d->range <<= 8;
        d->code = (d->code << 8) | rc_next(d);
    }
}

uint32_t eo_rc_dec_raw(eo_rc_dec *d, int nbits)
{
    uint32_t v = 0;
    for (int i = 0; i < nbits; i++) {
        d->range >>= 1;
        uint32_t b = d->code >= d->range;
        if (b)
            d->code -= d->range;
        v = (v << 1) | b;
        while (d->range < (1u << 24)) {
            d->range <<= 8;
            d->code = (d->code << 8) | rc_next(d);
        }
    }
    return v;
}

/* ---- integer coder ---- */

#define NB (EO_IC_MAXBITS + 1)

int eo_int_coder_init(eo_int_coder *c, int nctx)
{
    memset(c, 0, sizeof *c);
    c->nctx = nctx;
    c->zero = eo_malloc(sizeof(eo_bit_model) * (size_t)nctx);
    c->sign = eo_malloc(sizeof(eo_bit_model) * (size_t)nctx * 9);
    c->unary = eo_malloc(sizeof(eo_bit_model) * (size_t)nctx * EO_IC_MAXBITS);
    c->top = eo_malloc(sizeof(eo_bit_model) * (size_t)nctx * NB * 4);
    c->low = eo_malloc(sizeof(eo_bit_model) * NB * EO_IC_MAXBITS);
    if (!c->zero || !c->sign || !c->unary || !c->top || !c->low) {
        eo_int_coder_destroy(c);
        return -1;
    }
    eo_int_coder_reset(c);
    return 0;
}

void eo_int_coder_reset(eo_int_coder *c)
{
    size_t k = (size_t)c->nctx;
    eo_bit_models_init(c->zero, k);
    eo_bit_models_init(c->sign, k * 9);
    eo_bit_models_init(c->unary, k * EO_IC_MAXBITS);
    eo_bit_models_init(c->top, k * NB * 4);
    eo_bit_models_init(c->low, (size_t)NB * EO_IC_MAXBITS);
    c->last_sign = 0;
    c->sign_hint = 0;
}

void eo_int_coder_destroy(eo_int_coder *c)
{
    if (!c)
        return;
    free(c->zero);
    free(c->sign);
    free(c->unary);
    free(c->top);
    free(c->low);
    memset(c, 0, sizeof *c);
}

void eo_int_encode(eo_int_coder *c, eo_rc_enc *e, int ctx, int32_t v)
{
    if (ctx < 0)
        ctx = 0;
    if (ctx >= c->nctx)
        ctx = c->nctx - 1;
    eo_rc_enc_bit(e, &c->zero[ctx], v != 0);
    if (v == 0)
        return;
    int neg = v < 0;
    int hint = c->sign_hint >= 0 && c->sign_hint < 3 ? c->sign_hint : 0;
    eo_rc_enc_bit(e, &c->sign[ctx * 9 + c->last_sign * 3 + hint], neg);
    c->last_sign = neg ? 2 : 1;
    uint32_t m = neg ? (uint32_t)(-(int64_t)v) : (uint32_t)v;
    int nb = eo_bitlen(m); /* 1..31 */
    eo_bit_model *un = c->unary + (size_t)ctx * EO_IC_MAXBITS;
    for (int i = 1; i < EO_IC_MAXBITS; i++) {
        int more = nb > i;
        eo_rc_enc_bit(e, &un[i], more);
        if (!more)
            break;
    }
    /* bits below the leading one, most significant first */
    eo_bit_model *tp = c->top + ((size_t)ctx * NB + (size_t)nb) * 4;
    int node = 1;
    for (int i = nb - 2; i >= 0; i--) {
        int bit = (int)((m >> i) & 1);
        int fromtop = nb - 2 - i;
        if (fromtop < 2) {
            eo_rc_enc_bit(e, &tp[node], bit);
            node = node * 2 + bit;
        } else {
            eo_rc_enc_bit(e, &c->low[(size_t)nb * EO_IC_MAXBITS + (size_t)i], bit);
        }
    }
}

int32_t eo_int_decode(eo_int_coder *c, eo_rc_dec *d, int ctx)
{
    if (ctx < 0)
        ctx = 0;
    if (ctx >= c->nctx)
        ctx = c->nctx - 1;
    if (!eo_rc_dec_bit(d, &c->zero[ctx]))
        return 0;
    int hint = c->sign_hint >= 0 && c->sign_hint < 3 ? c->sign_hint : 0;
    int neg = eo_rc_dec_bit(d, &c->sign[ctx * 9 + c->last_sign * 3 + hint]);
    c->last_sign = neg ? 2 : 1;
    eo_bit_model *un = c->unary + (size_t)ctx * EO_IC_MAXBITS;
    int nb = 1;
    for (int i = 1; i < EO_IC_MAXBITS; i++) {
        if (!eo_rc_dec_bit(d, &un[i]))
            break;
        nb++;
    }
    eo_bit_model *tp = c->top + ((size_t)ctx * NB + (size_t)nb) * 4;
    uint32_t m = 1;
    int node = 1;
    for (int i = nb - 2; i >= 0; i--) {
        int fromtop = nb - 2 - i, bit;
        if (fromtop < 2) {
            bit = eo_rc_dec_bit(d, &tp[node]);
            node = node * 2 + bit;
        } else {
            bit = eo_rc_dec_bit(d, &c->low[(size_t)nb * EO_IC_MAXBITS + (size_t)i]);
        }
        m = (m << 1) | (uint32_t)bit;
    }
    /* nb <= 31 so m < 2^31 */
    return neg ? -(int32_t)m : (int32_t)m;
}
