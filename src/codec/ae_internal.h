/* Autoencoder codec internals shared by ae.c (model, block coder),
 * ae_density.c (entropy model) and ae_rd.c (rate-distortion training). */
#ifndef EO_AE_INTERNAL_H
#define EO_AE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "codec_internal.h"
#include "ecgopt/nn.h"

#define AE_MAX_LAT_CH 64
#define EO_AE_MAX_MIX 4       /* logistic components per latent channel */
#define EO_AE_MAX_SYMBOLS 4096 /* symbols of one frequency table, escape included */
/* Version of the rate-distortion model format (metadata ae_rd): 1, the
 * factorised entropy model; 2, with the context model (ae_context).  A
 * model with another value is refused. */
#define EO_AE_RD_VERSION 1
#define EO_AE_RD_VERSION_CTX 2
/* Context model (docs/codec.md, "Context model"): the log-scales of
 * latent (c, t)'s density move by shift = w0 log(1 + e1) + w1 log(1 + e2),
 * e1 = |q(c, t-1)| + |q(c, t-2)| / 2 (this channel's last two positions),
 * e2 = mean of |q(j, t)| over the channels j < c coded before it at this
 * position (coding order: channel by channel, position by position).  The
 * coder quantises the shift to 1/EO_AE_CTX_STEPS and clamps it to
 * +-EO_AE_CTX_MAX, so the encoder and decoder pick the same table. */
#define EO_AE_CTX_STEPS 8
#define EO_AE_CTX_MAX 6
#define EO_AE_CTX_LEVELS (2 * EO_AE_CTX_STEPS * EO_AE_CTX_MAX + 1)

struct eo_codec_ae {
    eo_nn *full, *enc, *dec;
    int segment, lat_c, lat_l;
    int enc_layers;              /* layers of the encoder (up to and with the se layer) */
    float lat_std[AE_MAX_LAT_CH];
    /* rate-distortion model (ae_rd = 1): entropy model per channel and the
     * latent step range it was trained for */
    int rd, mix;
    float dens[AE_MAX_LAT_CH * 3 * EO_AE_MAX_MIX];
    int ctx;                          /* 1: context model (ae_rd 2) */
    float ctxw[AE_MAX_LAT_CH * 2];    /* per channel: w0, w1 */
    double step_min, step_max;
    double fs_hz;        /* sampling rate of the training records (ae_fs_hz; 360 if absent) */
    uint8_t hash[32];
    size_t model_bytes;
    unsigned char *blob; /* the serialised model (model_bytes), for --embed-model */
};

/* Bits of the bin [v - d/2, v + d/2] under one channel's density
 * (par: k weight logits, k locations, k log-scales).  dv (may be NULL)
 * receives d bits / d v; dpar (may be NULL, 3k values) is ADDED
 * d bits / d par. */
double eo_ae_density_bits(const float *par, int k, double v, double d, double *dv, double *dpar);
/* The same with every log-scale moved by `shift`; dshift (may be NULL)
 * receives d bits / d shift. */
double eo_ae_density_bits_shift(const float *par, int k, double v, double d, double shift,
                                double *dv, double *dpar, double *dshift);
/* Context features of latent (c, t) of one segment from the magnitudes
 * a[c * lz + t] (|q| at coding time, |latent| / step in training) */
void eo_ae_ctx_features(const double *a, int lz, int c, int t, double *e1, double *e2);
double eo_ae_ctx_shift(const float *w, double e1, double e2);
/* The coder's level of a shift (0 .. EO_AE_CTX_LEVELS - 1) and its shift. */
int eo_ae_ctx_level(double shift);
double eo_ae_ctx_level_shift(int level);
/* Spread the k components over [-spread, spread], scale spread. */
void eo_ae_density_init(float *par, int k, double spread);

/* Integer frequency table of one channel for step d. */
typedef struct eo_ae_table {
    int32_t qmin, qmax;
    int n;          /* symbols: qmax - qmin + 1 values and the escape */
    uint32_t *cum;  /* n + 1 cumulative frequencies, cum[n] = 2^EO_RC_FREQ_BITS */
} eo_ae_table;
/* 0 ok, -1 bad parameters, -2 no memory. */
int eo_ae_table_build(const float *par, int k, double d, eo_ae_table *t);
/* The table of the density with its log-scales moved by shift. */
int eo_ae_table_build_shift(const float *par, int k, double d, double shift, eo_ae_table *t);
void eo_ae_table_free(eo_ae_table *t);
void eo_ae_table_encode(const eo_ae_table *t, eo_rc_enc *e, int32_t q);
int32_t eo_ae_table_decode(const eo_ae_table *t, eo_rc_dec *d);
/* Bits the table spends on q (escape included). */
double eo_ae_table_bits(const eo_ae_table *t, int32_t q);

/* ae.c helpers used by the trainer */
int eo_ae_mlii_signal(const eo_wfdb_record *r);
double eo_ae_sig_gain(const eo_wfdb_signal_info *si);
long eo_ae_seg_prep(const int32_t *x, long n, long i0, int L, double g, float *out);
/* Draw ns training segments (MLII, uniform over start positions) into x. */
eo_status eo_ae_draw_segments(const eo_wfdb_record *const *recs, int n_recs, int L, int ns,
                              eo_rng *rng, float *x, eo_error *err);

/* ae_rd.c: rate-distortion training (o->lambda > 0). */
eo_status eo_ae_train_rd(const eo_wfdb_record *const *recs, int n_recs,
                         const eo_codec_ae_options *o, const int pools[3], eo_codec_ae **out,
                         eo_error *err);

#endif
