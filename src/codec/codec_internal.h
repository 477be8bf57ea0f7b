/* codec internals: range coder, adaptive models, predictor, block coders. */
#ifndef EO_CODEC_INTERNAL_H
#define EO_CODEC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/codec.h"

/* ---- growable byte buffer */
typedef struct eo_bytes {
    unsigned char *p;
    size_t n, cap;
    int oom; /* an allocation failed; contents are incomplete */
} eo_bytes;
void eo_bytes_put(eo_bytes *b, const void *src, size_t n);
void eo_bytes_u8(eo_bytes *b, unsigned v);
void eo_bytes_u16(eo_bytes *b, unsigned v);
void eo_bytes_u32(eo_bytes *b, uint32_t v);
void eo_bytes_u64(eo_bytes *b, uint64_t v);
void eo_bytes_f64(eo_bytes *b, double v);
void eo_bytes_str(eo_bytes *b, const char *s); /* u16 length + bytes */

/* ---- adaptive binary model: probability of a 0 bit (16 bits) and the
 * number of bits seen (capped), which sets the adaptation rate. */
typedef struct eo_bit_model {
    uint16_t p;
    uint8_t n;
} eo_bit_model;
void eo_bit_models_init(eo_bit_model *m, size_t n);

/* ---- LZMA-style range coder (carry-propagating, 32-bit range). */
typedef struct eo_rc_enc {
    uint64_t low;
    uint32_t range;
    uint8_t cache;
    uint64_t cache_size;
    eo_bytes *out;
} eo_rc_enc;
void eo_rc_enc_init(eo_rc_enc *e, eo_bytes *out);
void eo_rc_enc_bit(eo_rc_enc *e, eo_bit_model *m, int bit);
void eo_rc_enc_raw(eo_rc_enc *e, uint32_t v, int nbits); /* equiprobable bits */
/* A bit with a given 12-bit probability of 0 (1..4095), no model update. */
void eo_rc_enc_bit_p(eo_rc_enc *e, uint32_t p0, int bit);
void eo_rc_enc_finish(eo_rc_enc *e);
/* Static multi-symbol coding: frequencies sum to 2^EO_RC_FREQ_BITS, each
 * >= 1.  Decoding: v = eo_rc_dec_freq_get, find the symbol with
 * cum <= v < cum + freq, then eo_rc_dec_freq_take(cum, freq). */
#define EO_RC_FREQ_BITS 16
void eo_rc_enc_freq(eo_rc_enc *e, uint32_t cum, uint32_t freq);

typedef struct eo_rc_dec {
    uint32_t range, code;
    const unsigned char *p;
    size_t n, pos;
    size_t overrun; /* bytes read past the end (returned as 0) */
    uint32_t freq_r; /* range / 2^EO_RC_FREQ_BITS of the symbol being decoded */
} eo_rc_dec;
void eo_rc_dec_init(eo_rc_dec *d, const unsigned char *p, size_t n);
int eo_rc_dec_bit(eo_rc_dec *d, eo_bit_model *m);
uint32_t eo_rc_dec_raw(eo_rc_dec *d, int nbits);
int eo_rc_dec_bit_p(eo_rc_dec *d, uint32_t p0);
uint32_t eo_rc_dec_freq_get(eo_rc_dec *d);
void eo_rc_dec_freq_take(eo_rc_dec *d, uint32_t cum, uint32_t freq);

/* ---- signed-integer coder: zero flag, sign, bit length in unary, then the
 * bits below the leading one (top two context-modelled).  nctx contexts,
 * chosen by the caller (e.g. from recent residual magnitudes). */
#define EO_IC_MAXBITS 31
typedef struct eo_int_coder {
    int nctx;
    eo_bit_model *zero;  /* [nctx] */
    eo_bit_model *sign;  /* [nctx][3][3] by previous sign and sign_hint */
    eo_bit_model *unary; /* [nctx][EO_IC_MAXBITS] */
    eo_bit_model *top;   /* [nctx][EO_IC_MAXBITS+1][4] */
    eo_bit_model *low;   /* [EO_IC_MAXBITS+1][EO_IC_MAXBITS] */
    int last_sign;       /* 0 none, 1 +, 2 - */
    int sign_hint;       /* set by the caller before each value: 0..2 */
} eo_int_coder;
int eo_int_coder_init(eo_int_coder *c, int nctx); /* 0 ok, -1 no memory */
void eo_int_coder_reset(eo_int_coder *c);
void eo_int_coder_destroy(eo_int_coder *c);
/* |v| < 2^31 - 1. */
void eo_int_encode(eo_int_coder *c, eo_rc_enc *e, int ctx, int32_t v);
int32_t eo_int_decode(eo_int_coder *c, eo_rc_dec *d, int ctx);

/* ---- context-mixing residual coder (mixcoder.c): the same binarisation,
 * each decision's probability mixed from k context models (PAQ-style
 * logistic mixing + APM).  The caller gives, per value, one context per
 * model (0..nctx[i]-1), the mixer weight set and the APM context. */
#define EO_MIX_MAXK 6
#define EO_MIX_K EO_PRED_MIX_K /* models per decision (fixed at build time: the loops unroll) */
typedef struct eo_mix_ctx {
    int ctx[EO_MIX_MAXK];
    int msel, actx;
} eo_mix_ctx;
typedef struct eo_mix_counter {
    uint16_t p; /* probability of a 1, Q16 */
    uint16_t n; /* observations (sets the adaptation rate) */
} eo_mix_counter;
typedef struct eo_mix_coder {
    int k, nctx[EO_MIX_MAXK], n_msel, n_apm;
    eo_mix_counter *cnt[EO_MIX_MAXK]; /* [nctx][nodes] */
    int32_t *w;               /* [n_msel][nodes][k + 1] mixer weights, Q16 */
    uint16_t *apm;            /* [n_apm][nodes][33] */
    eo_bit_model *low;        /* low bits, direct */
    int16_t *stretch;         /* [4096] */
    uint16_t recip[256];
    int last_sign, sign_hint;
} eo_mix_coder;
int eo_mix_coder_init(eo_mix_coder *c, int k, const int *nctx, int n_msel, int n_apm);
void eo_mix_coder_reset(eo_mix_coder *c);
void eo_mix_coder_destroy(eo_mix_coder *c);
void eo_mix_encode(eo_mix_coder *c, eo_rc_enc *e, const eo_mix_ctx *x, int32_t v);
int32_t eo_mix_decode(eo_mix_coder *c, eo_rc_dec *d, const eo_mix_ctx *x);

/* bit length: 0 for 0, 1 for 1, 2 for 2..3, ... */
static inline int eo_bitlen(uint32_t v)
{
    return v ? 32 - __builtin_clz(v) : 0;
}

/* ---- predictive (lossless / near-lossless) block coder: predict.c,
 * lossless.c, bounded.c */
typedef struct eo_predictor eo_predictor;
eo_predictor *eo_predictor_create(int n_signals);
void eo_predictor_reset(eo_predictor *p);
void eo_predictor_destroy(eo_predictor *p);
/* Prediction of signal s at the current frame (signals are coded in order
 * 0..n-1 within a frame; s > 0 may use signal s-1 of the same frame). */
int32_t eo_predictor_predict(eo_predictor *p, int s);
/* Feed the (reconstructed) value of signal s; must follow predict(p, s). */
void eo_predictor_update(eo_predictor *p, int s, int32_t x);
/* Direction of the predicted change (0 none, 1 up, 2 down): residual signs
 * correlate with it (the predictor lags on slopes), so it conditions the
 * sign model, in the spirit of JPEG-LS bias cancellation. */
int eo_predictor_sign_hint(const eo_predictor *p, int s);
/* Activity context of signal s for the plain residual coder, 0..EO_PRED_NCTX-1. */
#define EO_PRED_NCTX 96
int eo_predictor_context(const eo_predictor *p, int s);
/* Contexts of signal s for the mixing coder (sizes in EO_PRED_MIX_*). */
#define EO_PRED_MIX_K 4
extern const int eo_pred_mix_nctx[EO_PRED_MIX_K];
#define EO_PRED_MIX_MSEL 6
#define EO_PRED_MIX_APM 12
void eo_predictor_mix_context(const eo_predictor *p, int s, eo_mix_ctx *x);

/* Quantise residual r with step 2e+1 (rounding to nearest), and back. */
static inline int32_t eo_nl_quantise(int32_t r, int e)
{
    int32_t s = 2 * e + 1;
    return r >= 0 ? (r + e) / s : -((-r + e) / s);
}
static inline int32_t eo_clamp_adu(int64_t v)
{
    return v > EO_CODEC_MAX_ABS_ADU ? EO_CODEC_MAX_ABS_ADU
           : v < -EO_CODEC_MAX_ABS_ADU ? -EO_CODEC_MAX_ABS_ADU
                                       : (int32_t)v;
}

/* Encode frames [0, n) of x[s] (n_signals signals) with bound e into out.
 * Decode the inverse; returns 0 ok, -1 if the stream is corrupt (overrun). */
int eo_pc_encode_block(int32_t *const *x, int n_signals, long n, int e, int mix,
                       eo_bytes *out);
int eo_pc_decode_block(const unsigned char *p, size_t len, int n_signals, long n, int e,
                       int mix, int32_t *const *y);
/* The reconstruction the decoder will produce (for bounded-mode stats). */

/* ---- wavelet block coder: wavelet_coder.c */
int eo_wc_encode_block(int32_t *const *x, int n_signals, long n, double step, int level,
                       eo_bytes *out, eo_error *err);
int eo_wc_decode_block(const unsigned char *p, size_t len, int n_signals, long n, double step,
                       int level, int32_t *const *y, eo_error *err);
/* Smallest-rate step meeting target PRDN on the whole record (bisection). */
eo_status eo_wc_find_step(const eo_wfdb_record *rec, long block_frames, int level,
                          double target_prdn, double *step, eo_error *err);

/* ---- autoencoder block coder: ae.c.  Returns 0, -1 (corrupt / model
 * failure, err may be set), -2 (no memory). */
int eo_ae_encode_block(const eo_codec_ae *ae, int32_t *const *x, int n_signals, long n,
                       const eo_wfdb_signal_info *sig, double step, eo_bytes *out,
                       eo_error *err);
int eo_ae_decode_block(const eo_codec_ae *ae, const unsigned char *p, size_t len,
                       int n_signals, long n, const eo_wfdb_signal_info *sig, double step,
                       int32_t *const *y, eo_error *err);
/* Largest latent step (within the model's range) whose pooled PRDN over
 * the record is <= target (bisection on log step, 12 steps); the smallest
 * step of the range when none meets it. */
eo_status eo_ae_find_step(const eo_codec_ae *ae, const eo_wfdb_record *rec, long block_frames,
                          double target, double *step, eo_error *err);
/* Uniform latent quantiser: q = round(z / scale) (clamped to +-1e6). */
int32_t eo_ae_quantise(float z, double scale);
double eo_ae_dequantise(int32_t q, double scale);
void eo_sha256(const void *data, size_t n, uint8_t out[32]);
/* The serialised model (the bytes its SHA-256 names), owned by ae. */
const unsigned char *eo_ae_model_blob(const eo_codec_ae *ae, size_t *n);

#endif
