/* Autoencoder codec mode (docs/codec.md, "ae").
 *
 * Model after Krishna n.d. (Sec. "proposed model"): encoder of three
 * conv(k=9)+ReLU+max-pool stages, a low-rank squeeze-excitation block on
 * the bottleneck (X * sigma(W2 ReLU(W1 GAP(X))), Sec. H), a symmetric
 * decoder of transposed convolutions (kernel = stride = the pool factor) and
 * a final linear conv(1,9); MSE loss.  The network is trained as one eo_nn
 * and split after the SE layer into an encoder and a decoder for coding.
 *
 * Pre-processing: x' = (adu - m) / g with m the segment's rounded mean
 * (coded in the stream, delta from the previous segment) and g the signal's
 * gain (adu/mV, in the container header), so the model sees millivolts.
 * Latents are quantised q = round(z / (step * s_c)), s_c the channel's
 * standard deviation over the training latents (stored in the model), and
 * coded with the adaptive binary range coder, channel as context. */
#include <openssl/evp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ae_internal.h"
#include "ecgopt/nn.h"
#include "ecgopt/rng.h"

void eo_codec_ae_defaults(eo_codec_ae_options *o)
{
    memset(o, 0, sizeof *o);
    o->segment = 720;
    o->latent_channels = 4;
    o->filters = 16;
    o->max_segments = 6000;
    o->epochs = 8;
    o->batch_size = 64;
    o->lr = 2e-3;
    o->seed = 1;
    o->threads = 1;
    o->lambda = 0; /* set below by the rate-distortion defaults */
    eo_codec_ae_rd_defaults(o);
}

/* The configuration `ecgopt train --task compress` trains with no other
 * option: rate-distortion training (docs/codec.md, "Rate-distortion
 * training"; the measured best of the configurations tried). */
void eo_codec_ae_rd_defaults(eo_codec_ae_options *o)
{
    o->segment = 720;
    memset(o->pools, 0, sizeof o->pools); /* by segment: 3,4,2 at 720 */
    /* the learned lapped transform, critically sampled (24 filters of 48
     * taps at hop 24): on held-out DS1 patients it reaches PRDN 5 % and
     * codes 10 % at 0.416x the wavelet's CR where the convolution stack
     * (decoder 1, C 8, model E) stops at 12.5 % and 0.307x (docs/codec.md) */
    o->latent_channels = 24;
    o->filters = 16;
    /* 60 000 segments x 15 epochs, lambda 4e-3: on the held-out DS1
     * patients ratio 0.676 / 0.836 at PRDN 5 / 10 % against 0.347 / 0.416
     * at 30 000 x 15, lambda 5e-4 (docs/codec.md, the sweep) */
    o->max_segments = 60000;
    o->epochs = 15;
    o->batch_size = 32;
    o->lr = 2e-3;
    o->lambda = 4e-3;
    o->step_min = 0.5;
    o->step_max = 4.0;
    o->mixture = 3;
    o->decoder = 2;
    o->attention = 1;
}

/* ---- SHA-256 of the model file: the model identity (OpenSSL's libcrypto,
 * which io already links for fetch verification). */
void eo_sha256(const void *data, size_t n, uint8_t out[32])
{
    unsigned int len = 32;
    if (EVP_Digest(data, n, out, &len, EVP_sha256(), NULL) != 1)
        memset(out, 0, 32); /* cannot happen for SHA-256; a zero hash never matches a model */
}

void eo_codec_hash_hex(const uint8_t *hash, int n, char *buf)
{
    for (int i = 0; i < n; i++)
        snprintf(buf + 2 * i, 3, "%02x", hash[i]);
    buf[2 * n] = 0;
}

/* ---- architecture */
static int pools_for(int segment, int p[3], int rd)
{
    if (rd) { /* a finer latent grid (docs/codec.md: 30 positions per 720) */
        switch (segment) {
        case 720: p[0] = 3; p[1] = 4; p[2] = 2; return 0;
        case 512: p[0] = 4; p[1] = 4; p[2] = 2; return 0;
        case 256: p[0] = 4; p[1] = 4; p[2] = 1; return 0;
        }
        return -1;
    }
    switch (segment) {
    case 720: p[0] = 4; p[1] = 5; p[2] = 6; return 0;
    case 512: p[0] = 4; p[1] = 4; p[2] = 4; return 0;
    case 256: p[0] = 4; p[1] = 4; p[2] = 2; return 0;
    }
    return -1;
}

static void ae_spec(char *buf, size_t n, int f, int cz, const int p[3])
{
    snprintf(buf, n,
             "conv(%d,9) relu maxpool(%d) conv(%d,9) relu maxpool(%d) conv(%d,9) relu maxpool(%d) "
             "se(2) "
             "convt(%d,%d,stride=%d) relu convt(%d,%d,stride=%d) relu convt(%d,%d,stride=%d) relu "
             "conv(1,9)",
             f, p[0], 2 * f, p[1], cz, p[2], 2 * f, p[2], p[2], f, p[1], p[1], f, p[0], p[0]);
}

void eo_codec_ae_destroy(eo_codec_ae *ae)
{
    if (!ae)
        return;
    eo_nn_destroy(ae->full);
    eo_nn_destroy(ae->enc);
    eo_nn_destroy(ae->dec);
    free(ae->blob);
    free(ae);
}

/* Build the encoder (layers up to the first se) and decoder from ae->full. */
static eo_status ae_split(eo_codec_ae *ae, const char *name, eo_error *err)
{
    int nl = eo_nn_layer_count(ae->full);
    int c, l;
    eo_nn_input_shape(ae->full, &c, &l);
    eo_nn_layer_info li;
    /* the encoder's layer count (metadata ae_encoder_layers, written since
     * the no-attention arm), else it ends with the first se layer (the
     * paper's model: layer 10; the rate-distortion model: layer 9, no ReLU
     * on the bottleneck) */
    int ne = 0;
    char buf[32];
    if (eo_nn_meta(ae->full, "ae_encoder_layers", buf, sizeof buf) == 0) {
        char *end = NULL;
        long v = strtol(buf, &end, 10);
        if (end == buf || *end || v < 1 || v >= nl)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: metadata ae_encoder_layers = '%s' is not 1..%d", name, buf, nl - 1);
        ne = (int)v;
    }
    for (int i = 0; i < nl && !ne; i++) {
        eo_nn_layer_get(ae->full, i, &li);
        if (li.type == EO_NN_SE)
            ne = i + 1;
    }
    if (nl <= ne || c != 1 || ne == 0)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: not an autoencoder model (no se layer before the decoder)", name);
    eo_nn_layer_get(ae->full, ne - 1, &li);
    if (li.out_c > AE_MAX_LAT_CH)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %d latent channels (at most %d)",
                            name, li.out_c, AE_MAX_LAT_CH);
    ae->enc_layers = ne;
    ae->segment = l;
    ae->lat_c = li.out_c;
    ae->lat_l = li.out_l;
    eo_status st = eo_nn_create(1, l, &ae->enc, err);
    if (!st)
        st = eo_nn_create(ae->lat_c, ae->lat_l, &ae->dec, err);
    float *fp = eo_nn_params(ae->full, NULL);
    for (int i = 0; i < nl && !st; i++) {
        eo_nn *dst = i < ne ? ae->enc : ae->dec;
        int j = i < ne ? i : i - ne;
        eo_nn_layer_get(ae->full, i, &li);
        st = eo_nn_add_spec(dst, li.spec, err);
        if (st)
            break;
        size_t o1, n1, o2, n2;
        eo_nn_layer_params(ae->full, i, &o1, &n1);
        eo_nn_layer_params(dst, j, &o2, &n2);
        if (n1 != n2)
            return eo_error_set(err, EO_STATUS_INTERNAL, "%s: layer %d split mismatch", name, i);
        if (n1)
            memcpy(eo_nn_params(dst, NULL) + o2, fp + o1, n1 * sizeof(float));
    }
    int oc, ol;
    if (!st) { /* the halves compute on the whole network's threads */
        eo_nn_set_threads(ae->enc, eo_nn_threads(ae->full));
        eo_nn_set_threads(ae->dec, eo_nn_threads(ae->full));
        eo_nn_output_shape(ae->full, &oc, &ol);
        if (oc != 1 || ol != l)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: autoencoder output %dx%d, input 1x%d", name, oc, ol, l);
    }
    return st;
}

int eo_ae_mlii_signal(const eo_wfdb_record *r)
{
    for (int s = 0; s < r->n_signals; s++)
        if (r->header && strcmp(r->header->signals[s].description, "MLII") == 0)
            return s;
    return 0;
}

double eo_ae_sig_gain(const eo_wfdb_signal_info *si)
{
    return si && si->gain > 0 && isfinite(si->gain) ? si->gain : 200.0;
}

/* One segment: mean removed, scaled to mV, padded with the last value. */
long eo_ae_seg_prep(const int32_t *x, long n, long i0, int L, double g, float *out)
{
    long k = n - i0 < L ? n - i0 : L;
    double m = 0;
    for (long i = 0; i < k; i++)
        m += x[i0 + i];
    long mean = k > 0 ? lround(m / (double)k) : 0;
    for (long i = 0; i < L; i++) {
        int32_t v = i < k ? x[i0 + i] : (k > 0 ? x[i0 + k - 1] : 0);
        out[i] = (float)(((double)v - (double)mean) / g);
    }
    return mean;
}

eo_status eo_ae_draw_segments(const eo_wfdb_record *const *recs, int n_recs, int L, int ns,
                              eo_rng *rng, float *x, eo_error *err)
{
    long total = 0;
    for (int r = 0; r < n_recs; r++)
        if (recs[r] && recs[r]->n_samples >= L && recs[r]->n_signals > 0)
            total += recs[r]->n_samples - L + 1;
    if (total < 1)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "codec ae: no record with a full %d-sample segment", L);
    for (int i = 0; i < ns; i++) {
        /* a uniform draw over every segment start of every record */
        long k = (long)eo_rng_below(rng, (uint64_t)total);
        int r = 0;
        for (;; r++) {
            if (!recs[r] || recs[r]->n_samples < L || recs[r]->n_signals < 1)
                continue;
            long c = recs[r]->n_samples - L + 1;
            if (k < c)
                break;
            k -= c;
        }
        int s = eo_ae_mlii_signal(recs[r]);
        (void)eo_ae_seg_prep(recs[r]->adu[s], recs[r]->n_samples, k, L,
                             eo_ae_sig_gain(&recs[r]->header->signals[s]), x + (size_t)i * L);
    }
    return EO_STATUS_OK;
}

eo_status eo_codec_ae_train(const eo_wfdb_record *const *recs, int n_recs,
                            const eo_codec_ae_options *o, eo_codec_ae **out, eo_error *err)
{
    *out = NULL;
    int p[3];
    if (!o || pools_for(o->segment, p, o->lambda > 0))
        return eo_error_set(err, EO_STATUS_USAGE, "codec ae: segment %d (720, 512 or 256)",
                            o ? o->segment : 0);
    if (o->pools[0] || o->pools[1] || o->pools[2]) {
        int prod = 1;
        for (int k = 0; k < 3; k++) {
            if (o->pools[k] < 1 || o->pools[k] > 16)
                return eo_error_set(err, EO_STATUS_USAGE,
                                    "codec ae: pool size %d of stage %d (1..16)", o->pools[k],
                                    k + 1);
            prod *= o->pools[k];
            p[k] = o->pools[k];
        }
        if (o->segment % prod != 0)
            return eo_error_set(err, EO_STATUS_USAGE,
                                "codec ae: pools %d,%d,%d: their product %d does not divide the "
                                "segment length %d",
                                p[0], p[1], p[2], prod, o->segment);
    }
    if (o->latent_channels < 1 || o->latent_channels > AE_MAX_LAT_CH || o->filters < 1 ||
        o->filters > 256 || o->max_segments < 1 || o->epochs < 1 || o->batch_size < 1 ||
        !(o->lr > 0))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "codec ae: bad options (latent channels 1..%d, filters 1..256, "
                            "segments, epochs, batch >= 1, lr > 0)", AE_MAX_LAT_CH);
    if (o->lambda > 0)
        return eo_ae_train_rd(recs, n_recs, o, p, out, err);
    if (o->attention != 1)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "codec ae: the paper's model (lambda 0) always has its attention block; "
                            "attention 0 needs rate-distortion training (lambda > 0)");
    if (o->context)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "codec ae: the paper's model (lambda 0) has no entropy model; a context "
                            "model needs rate-distortion training (lambda > 0)");
    int L = o->segment;
    int ns = o->max_segments;
    float *x = eo_malloc(sizeof(float) * (size_t)ns * (size_t)L);
    eo_codec_ae *ae = eo_calloc(1, sizeof *ae);
    if (!x || !ae) {
        free(x);
        free(ae);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "codec ae: out of memory");
    }
    eo_rng rng;
    eo_rng_seed(&rng, o->seed);
    eo_status st0 = eo_ae_draw_segments(recs, n_recs, L, ns, &rng, x, err);
    if (st0) {
        free(x);
        free(ae);
        return st0;
    }
    char spec[512];
    ae_spec(spec, sizeof spec, o->filters, o->latent_channels, p);
    eo_status st = eo_nn_from_spec(spec, 1, L, &ae->full, err);
    if (!st) {
        eo_nn_init(ae->full, EO_NN_INIT_TORCH, &rng);
        eo_nn_set_threads(ae->full, o->threads > 0 ? o->threads : 1);
        eo_nn_train_options to;
        eo_nn_train_defaults(&to);
        to.epochs = o->epochs;
        to.batch_size = o->batch_size;
        eo_nn_loss_defaults(&to.loss, EO_NN_LOSS_MSE);
        eo_nn_optim_defaults(&to.optim, EO_NN_OPTIM_ADAM);
        to.optim.lr = o->lr;
        eo_nn_sched_defaults(&to.sched, EO_NN_SCHED_COSINE);
        to.clip_norm = 5.0;
        to.seed = o->seed;
        to.progress = o->progress;
        to.progress_user = o->progress_user;
        eo_nn_data d = {x, NULL, NULL, ns};
        st = eo_nn_train(ae->full, &d, NULL, &to, NULL, err);
    }
    if (!st)
        st = ae_split(ae, "codec ae", err);
    if (!st) {
        /* per-channel latent scale over the training segments */
        int cz = ae->lat_c, lz = ae->lat_l;
        float *z = eo_malloc(sizeof(float) * (size_t)ns * (size_t)(cz * lz));
        if (!z) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "codec ae: out of memory");
        } else {
            st = eo_nn_predict(ae->enc, x, ns, 256, z, err);
            char buf[64 * 24] = "", one[24];
            for (int c = 0; c < cz && !st; c++) {
                double s1 = 0, s2 = 0;
                long cnt = 0;
                for (int i = 0; i < ns; i++)
                    for (int t = 0; t < lz; t++) {
                        double v = z[((size_t)i * cz + c) * lz + t];
                        s1 += v;
                        s2 += v * v;
                        cnt++;
                    }
                double var = s2 / cnt - (s1 / cnt) * (s1 / cnt);
                double sd = var > 1e-8 ? sqrt(var) : 1e-4;
                snprintf(one, sizeof one, "%s%.9g", c ? "," : "", sd);
                strcat(buf, one);
            }
            free(z);
            char v[32];
            if (!st)
                st = eo_nn_set_meta(ae->full, "ae_latent_std", buf, err);
            snprintf(v, sizeof v, "%d", ns);
            if (!st)
                st = eo_nn_set_meta(ae->full, "ae_train_segments", v, err);
            snprintf(v, sizeof v, "%d", o->epochs);
            if (!st)
                st = eo_nn_set_meta(ae->full, "ae_epochs", v, err);
            if (!st)
                st = eo_nn_set_meta(ae->full, "ae_preprocess",
                                    "segment mean removed (coded), divided by signal gain", err);
        }
    }
    free(x);
    if (st) {
        eo_codec_ae_destroy(ae);
        return st;
    }
    eo_nn_destroy(ae->enc);
    eo_nn_destroy(ae->dec);
    ae->enc = ae->dec = NULL;
    /* re-split so the coding nets carry the final parameters, and read the
     * latent scale back through the same path a loaded model takes */
    unsigned char *d;
    size_t n;
    st = eo_nn_save_mem(ae->full, &d, &n, err);
    eo_codec_ae_destroy(ae);
    if (st)
        return st;
    st = eo_codec_ae_load_mem(d, n, "codec ae", out, err);
    free(d);
    return st;
}

/* The rate-distortion part of a model: format version, entropy model,
 * trained step range (metadata written by ae_rd.c). */
static eo_status ae_load_rd(eo_codec_ae *ae, const char *name, eo_error *err)
{
    char v[32];
    ae->fs_hz = 360; /* models before ae_fs_hz were all trained on MIT-BIH */
    if (eo_nn_meta(ae->full, "ae_fs_hz", v, sizeof v) == 0) {
        char *e0;
        double f = strtod(v, &e0);
        if (e0 == v || !(f > 0 && f <= 1e6))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: bad ae_fs_hz '%s'", name, v);
        ae->fs_hz = f;
    }
    if (eo_nn_meta(ae->full, "ae_rd", v, sizeof v) != 0)
        return EO_STATUS_OK; /* the paper's MSE-only model */
    char *e;
    long ver = strtol(v, &e, 10);
    if (e == v || *e || (ver != EO_AE_RD_VERSION && ver != EO_AE_RD_VERSION_CTX))
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "%s: rate-distortion model format version '%s' (this build reads %d and %d)",
                            name, v, EO_AE_RD_VERSION, EO_AE_RD_VERSION_CTX);
    ae->rd = 1;
    ae->ctx = ver == EO_AE_RD_VERSION_CTX;
    if (ae->ctx) {
        /* the context model's weights: w0,w1 per channel */
        char cb[AE_MAX_LAT_CH * 2 * 20 + 16];
        if (eo_nn_meta(ae->full, "ae_context", cb, sizeof cb) != 0)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: rate-distortion model version 2 without ae_context", name);
        char *q = cb;
        for (int i = 0; i < 2 * ae->lat_c; i++) {
            double w = strtod(q, &e);
            if (e == q || !(fabs(w) <= 100) || (i < 2 * ae->lat_c - 1 ? *e != ',' : *e != 0))
                return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                    "%s: ae_context entry %d is bad (need %d numbers)", name, i,
                                    2 * ae->lat_c);
            ae->ctxw[i] = (float)w;
            q = e + 1;
        }
    }
    size_t cap = (size_t)ae->lat_c * 3 * EO_AE_MAX_MIX * 20 + 64;
    char *buf = eo_malloc(cap);
    if (!buf)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    eo_status st = EO_STATUS_OK;
    if (eo_nn_meta(ae->full, "ae_density", buf, cap) != 0) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: rate-distortion model without ae_density",
                          name);
    } else {
        char *q = buf;
        long k = strtol(q, &e, 10);
        if (e == q || *e != ';' || k < 1 || k > EO_AE_MAX_MIX)
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: ae_density: bad mixture size", name);
        ae->mix = (int)k;
        q = e + 1;
        int np = ae->lat_c * 3 * ae->mix;
        for (int i = 0; i < np && !st; i++) {
            double d = strtod(q, &e);
            if (e == q || !isfinite(d) || fabs(d) > 1e4 || (*e != ',' && i < np - 1))
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: ae_density entry %d is bad",
                                  name, i);
            ae->dens[i] = (float)d;
            q = e + 1;
        }
    }
    if (!st) {
        double a = 0, b = 0;
        if (eo_nn_meta(ae->full, "ae_step_range", v, sizeof v) != 0 ||
            sscanf(v, "%lf,%lf", &a, &b) != 2 || !(a > 0 && b >= a && b < 1e6))
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: bad or missing ae_step_range", name);
        ae->step_min = a;
        ae->step_max = b;
    }
    free(buf);
    return st;
}

eo_status eo_codec_ae_load_mem(const unsigned char *d, size_t n, const char *name,
                               eo_codec_ae **out, eo_error *err)
{
    *out = NULL;
    eo_codec_ae *ae = eo_calloc(1, sizeof *ae);
    if (!ae)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    eo_status st = eo_nn_load_mem(d, n, name, &ae->full, err);
    if (!st)
        st = ae_split(ae, name, err);
    if (!st) {
        char buf[64 * 24];
        if (eo_nn_meta(ae->full, "ae_latent_std", buf, sizeof buf) != 0) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                              "%s: no ae_latent_std (not a codec autoencoder)", name);
        } else {
            char *q = buf;
            for (int c = 0; c < ae->lat_c && !st; c++) {
                char *e;
                double v = strtod(q, &e);
                if (e == q || !(v > 0 && v < 1e9))
                    st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                      "%s: ae_latent_std entry %d is bad", name, c);
                ae->lat_std[c] = (float)v;
                q = *e == ',' ? e + 1 : e;
            }
        }
    }
    if (!st)
        st = ae_load_rd(ae, name, err);
    if (st) {
        eo_codec_ae_destroy(ae);
        return st;
    }
    ae->blob = eo_malloc(n ? n : 1);
    if (!ae->blob) {
        eo_codec_ae_destroy(ae);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    }
    memcpy(ae->blob, d, n);
    eo_sha256(d, n, ae->hash);
    ae->model_bytes = n;
    *out = ae;
    return EO_STATUS_OK;
}

eo_status eo_codec_ae_load(const char *path, eo_codec_ae **out, eo_error *err)
{
    unsigned char *d;
    size_t n;
    *out = NULL;
    eo_status st = eo_read_file(path, &d, &n, err);
    if (st)
        return st;
    st = eo_codec_ae_load_mem(d, n, path, out, err);
    free(d);
    return st;
}

eo_status eo_codec_ae_save(const eo_codec_ae *ae, const char *path, eo_error *err)
{
    /* the bytes the hash names (save_mem of a loaded model gives the same
     * bytes, but the identity must not depend on that) */
    return eo_write_file_atomic(path, ae->blob, ae->model_bytes, err);
}

void eo_codec_ae_hash(const eo_codec_ae *ae, uint8_t hash[32])
{
    memcpy(hash, ae->hash, 32);
}
int eo_codec_ae_segment(const eo_codec_ae *ae) { return ae->segment; }
int eo_codec_ae_latent(const eo_codec_ae *ae) { return ae->lat_c * ae->lat_l; }
size_t eo_codec_ae_model_bytes(const eo_codec_ae *ae) { return ae->model_bytes; }
const unsigned char *eo_ae_model_blob(const eo_codec_ae *ae, size_t *n)
{
    *n = ae->model_bytes;
    return ae->blob;
}

/* ---- quantiser */
int32_t eo_ae_quantise(float z, double scale)
{
    double q = nearbyint((double)z / scale);
    return q > 1e6 ? 1000000 : q < -1e6 ? -1000000 : (int32_t)q;
}

double eo_ae_dequantise(int32_t q, double scale)
{
    return (double)q * scale;
}

/* ---- block coder: per signal, segment means (delta, adaptive, one
 * context) then latents: the paper's model with the adaptive integer coder
 * (channel as context), a rate-distortion model with the static frequency
 * tables of its entropy model at this step. */
typedef struct ae_tables {
    /* channel c, level l: t[c * nlev + l], built when first asked for */
    eo_ae_table *t;
    unsigned char *built;
    int nch, nlev;
    const eo_codec_ae *ae;
    double step;
} ae_tables;

static void tables_free(ae_tables *tb)
{
    for (int i = 0; tb->t && i < tb->nch * tb->nlev; i++)
        if (tb->built[i])
            eo_ae_table_free(&tb->t[i]);
    free(tb->t);
    free(tb->built);
    tb->t = NULL;
    tb->built = NULL;
    tb->nch = 0;
}

static int ae_table_get(ae_tables *tb, int c, int level, const eo_ae_table **out)
{
    size_t i = (size_t)c * (size_t)tb->nlev + (size_t)level;
    if (!tb->built[i]) {
        const eo_codec_ae *ae = tb->ae;
        const float *par = ae->dens + (size_t)c * 3 * ae->mix;
        int rc = ae->ctx ? eo_ae_table_build_shift(par, ae->mix, tb->step, eo_ae_ctx_level_shift(level),
                                                   &tb->t[i])
                         : eo_ae_table_build(par, ae->mix, tb->step, &tb->t[i]);
        if (rc)
            return rc;
        tb->built[i] = 1;
    }
    *out = &tb->t[i];
    return 0;
}

/* 0 ok, -1 the model is unusable at this step, -2 no memory; the paper's
 * model has no tables.  A context model has a table per shift level, the
 * others one per channel (level 0 = no shift). */
static int tables_build(const eo_codec_ae *ae, double step, ae_tables *tb)
{
    memset(tb, 0, sizeof *tb);
    if (!ae->rd)
        return 0;
    tb->ae = ae;
    tb->step = step;
    tb->nlev = ae->ctx ? EO_AE_CTX_LEVELS : 1;
    size_t n = (size_t)ae->lat_c * (size_t)tb->nlev;
    tb->t = eo_calloc(n, sizeof *tb->t);
    tb->built = eo_calloc(n, 1);
    if (!tb->t || !tb->built) {
        tables_free(tb);
        return -2;
    }
    tb->nch = ae->lat_c;
    /* a model that cannot give its unshifted tables is refused up front */
    for (int c = 0; c < ae->lat_c; c++) {
        const eo_ae_table *t;
        int rc = ae_table_get(tb, c, ae->ctx ? eo_ae_ctx_level(0) : 0, &t);
        if (rc) {
            tables_free(tb);
            return rc;
        }
    }
    return 0;
}

/* The table level of latent (c, t) of a segment whose magnitudes so far
 * are a (|q|, coding order), 0 without a context model. */
static int ae_level(const eo_codec_ae *ae, const double *a, int c, int t)
{
    if (!ae->ctx)
        return 0;
    double e1, e2;
    eo_ae_ctx_features(a, ae->lat_l, c, t, &e1, &e2);
    return eo_ae_ctx_level(eo_ae_ctx_shift(ae->ctxw + 2 * c, e1, e2));
}

int eo_ae_encode_block(const eo_codec_ae *ae_c, int32_t *const *x, int n_signals, long n,
                       const eo_wfdb_signal_info *sig, double step, eo_bytes *out,
                       eo_error *err)
{
    eo_codec_ae *ae = (eo_codec_ae *)ae_c; /* the nets' arenas change; the model does not */
    int L = ae->segment, cz = ae->lat_c, lz = ae->lat_l;
    long nseg = (n + L - 1) / L;
    float *xs = eo_malloc(sizeof(float) * (size_t)(nseg ? nseg : 1) * L);
    float *z = eo_malloc(sizeof(float) * (size_t)(nseg ? nseg : 1) * cz * lz);
    long *mean = eo_malloc(sizeof(long) * (size_t)(nseg ? nseg : 1));
    double *amag = eo_calloc((size_t)cz * (size_t)lz, sizeof *amag);
    eo_int_coder ic;
    ae_tables tb;
    int trc = -2, ic_ok = xs && z && mean && amag && eo_int_coder_init(&ic, cz + 1) == 0;
    if (ic_ok)
        trc = tables_build(ae, step, &tb);
    if (!ic_ok || trc) {
        if (ic_ok)
            eo_int_coder_destroy(&ic);
        free(xs);
        free(z);
        free(mean);
        free(amag);
        if (trc == -1)
            eo_error_set(err, EO_STATUS_BAD_FORMAT, "ae: entropy model unusable at step %g", step);
        return trc == -1 ? -1 : -2;
    }
    eo_rc_enc e;
    eo_rc_enc_init(&e, out);
    int rc = 0;
    for (int s = 0; s < n_signals && !rc; s++) {
        double g = eo_ae_sig_gain(&sig[s]);
        for (long k = 0; k < nseg; k++)
            mean[k] = eo_ae_seg_prep(x[s], n, k * L, L, g, xs + (size_t)k * L);
        if (nseg && eo_nn_predict(ae->enc, xs, (int)nseg, 256, z, err)) {
            rc = -1;
            break;
        }
        eo_int_coder_reset(&ic);
        long prev = 0;
        for (long k = 0; k < nseg; k++) {
            ic.sign_hint = 0;
            eo_int_encode(&ic, &e, cz, (int32_t)(mean[k] - prev));
            prev = mean[k];
            for (int c = 0; c < cz && !rc; c++) {
                double sc = step * ae->lat_std[c];
                for (int t = 0; t < lz && !rc; t++) {
                    int32_t q = eo_ae_quantise(z[((size_t)k * cz + c) * lz + t], sc);
                    if (ae->rd) {
                        const eo_ae_table *tq;
                        rc = ae_table_get(&tb, c, ae_level(ae, amag, c, t), &tq);
                        if (!rc)
                            eo_ae_table_encode(tq, &e, q);
                        amag[(size_t)c * lz + t] = fabs((double)q);
                    } else {
                        ic.sign_hint = 0;
                        eo_int_encode(&ic, &e, c, q);
                    }
                }
            }
        }
    }
    if (rc == -1 && ae->rd)
        eo_error_set(err, EO_STATUS_BAD_FORMAT, "ae: entropy model unusable at step %g", step);
    free(amag);
    eo_rc_enc_finish(&e);
    eo_int_coder_destroy(&ic);
    tables_free(&tb);
    free(xs);
    free(z);
    free(mean);
    if (!rc && out->oom)
        rc = -2;
    return rc;
}

int eo_ae_decode_block(const eo_codec_ae *ae_c, const unsigned char *p, size_t len,
                       int n_signals, long n, const eo_wfdb_signal_info *sig, double step,
                       int32_t *const *y, eo_error *err)
{
    eo_codec_ae *ae = (eo_codec_ae *)ae_c;
    int L = ae->segment, cz = ae->lat_c, lz = ae->lat_l;
    long nseg = (n + L - 1) / L;
    float *xs = eo_malloc(sizeof(float) * (size_t)(nseg ? nseg : 1) * L);
    float *z = eo_malloc(sizeof(float) * (size_t)(nseg ? nseg : 1) * cz * lz);
    long *mean = eo_malloc(sizeof(long) * (size_t)(nseg ? nseg : 1));
    double *amag = eo_calloc((size_t)cz * (size_t)lz, sizeof *amag);
    eo_int_coder ic;
    ae_tables tb;
    int trc = -2, ic_ok = xs && z && mean && amag && eo_int_coder_init(&ic, cz + 1) == 0;
    if (ic_ok)
        trc = tables_build(ae, step, &tb);
    if (!ic_ok || trc) {
        if (ic_ok)
            eo_int_coder_destroy(&ic);
        free(xs);
        free(z);
        free(mean);
        free(amag);
        if (trc == -1)
            eo_error_set(err, EO_STATUS_BAD_FORMAT, "ae: entropy model unusable at step %g", step);
        return trc == -1 ? -1 : -2;
    }
    eo_rc_dec d;
    eo_rc_dec_init(&d, p, len);
    int rc = 0;
    for (int s = 0; s < n_signals && !rc; s++) {
        double g = eo_ae_sig_gain(&sig[s]);
        eo_int_coder_reset(&ic);
        long prev = 0;
        for (long k = 0; k < nseg && !rc; k++) {
            ic.sign_hint = 0;
            long dm = eo_int_decode(&ic, &d, cz);
            prev += dm;
            if (prev > EO_CODEC_MAX_ABS_ADU || prev < -EO_CODEC_MAX_ABS_ADU)
                rc = -1;
            mean[k] = prev;
            for (int c = 0; c < cz && !rc; c++) {
                double sc = step * ae->lat_std[c];
                for (int t = 0; t < lz && !rc; t++) {
                    int32_t q = 0;
                    if (ae->rd) {
                        const eo_ae_table *tq;
                        rc = ae_table_get(&tb, c, ae_level(ae, amag, c, t), &tq);
                        if (!rc)
                            q = eo_ae_table_decode(tq, &d);
                        amag[(size_t)c * lz + t] = fabs((double)q);
                    } else {
                        ic.sign_hint = 0;
                        q = eo_int_decode(&ic, &d, c);
                    }
                    z[((size_t)k * cz + c) * lz + t] = (float)eo_ae_dequantise(q, sc);
                }
            }
            if (d.overrun > 8)
                rc = -1;
        }
        if (!rc && nseg && eo_nn_predict(ae->dec, z, (int)nseg, 256, xs, err))
            rc = -1;
        for (long i = 0; i < n && !rc; i++) {
            long k = i / L;
            double v = (double)xs[(size_t)k * L + (i - k * L)] * g + (double)mean[k];
            if (!isfinite(v))
                v = (double)mean[k];
            v = v > 1e9 ? 1e9 : v < -1e9 ? -1e9 : v; /* llround needs a representable value */
            y[s][i] = eo_clamp_adu(llround(v));
        }
    }
    if (!rc && d.overrun > 8)
        rc = -1;
    eo_int_coder_destroy(&ic);
    tables_free(&tb);
    free(xs);
    free(z);
    free(mean);
    free(amag);
    return rc;
}

double eo_codec_ae_fs(const eo_codec_ae *ae) { return ae->fs_hz; }

int eo_codec_ae_is_rd(const eo_codec_ae *ae, double *step_min, double *step_max)
{
    if (step_min)
        *step_min = ae->rd ? ae->step_min : 0;
    if (step_max)
        *step_max = ae->rd ? ae->step_max : 0;
    return ae->rd;
}

/* ---- whole-record analysis: every block's segments through the encoder
 * once (the latents do not depend on the step), for the rate estimate and
 * the target-PRDN search. */
typedef struct ae_record {
    long nseg;      /* segments over all blocks and signals */
    float *xs, *z;  /* nseg x L inputs, nseg x cz x lz latents */
    long *mean;
    int *sig;       /* signal of each segment */
    long *start;    /* first sample of each segment, n of its block end */
    long *end;
} ae_record;

static void ae_record_free(ae_record *r)
{
    free(r->xs);
    free(r->z);
    free(r->mean);
    free(r->sig);
    free(r->start);
    free(r->end);
}

static eo_status ae_record_make(eo_codec_ae *ae, const eo_wfdb_record *rec, long bf,
                                ae_record *r, eo_error *err)
{
    memset(r, 0, sizeof *r);
    int L = ae->segment, nzs = ae->lat_c * ae->lat_l;
    long nb = (rec->n_samples + bf - 1) / bf, ns = 0;
    for (long b = 0; b < nb; b++) {
        long nf = rec->n_samples - b * bf < bf ? rec->n_samples - b * bf : bf;
        ns += (nf + L - 1) / L;
    }
    ns *= rec->n_signals;
    size_t m = (size_t)(ns ? ns : 1);
    r->xs = eo_malloc(sizeof(float) * m * (size_t)L);
    r->z = eo_malloc(sizeof(float) * m * (size_t)nzs);
    r->mean = eo_malloc(sizeof(long) * m);
    r->sig = eo_malloc(sizeof(int) * m);
    r->start = eo_malloc(sizeof(long) * m);
    r->end = eo_malloc(sizeof(long) * m);
    if (!r->xs || !r->z || !r->mean || !r->sig || !r->start || !r->end) {
        ae_record_free(r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "codec ae: out of memory");
    }
    long k = 0;
    for (long b = 0; b < nb; b++) {
        long i0 = b * bf, nf = rec->n_samples - i0 < bf ? rec->n_samples - i0 : bf;
        for (int s = 0; s < rec->n_signals; s++) {
            double g = eo_ae_sig_gain(&rec->header->signals[s]);
            for (long j = 0; j * L < nf; j++, k++) {
                r->mean[k] = eo_ae_seg_prep(rec->adu[s] + i0, nf, j * L, L, g,
                                            r->xs + (size_t)k * L);
                r->sig[k] = s;
                r->start[k] = i0 + j * L;
                r->end[k] = i0 + nf;
            }
        }
    }
    r->nseg = ns;
    if (ns)
        return eo_nn_predict(ae->enc, r->xs, (int)ns, 256, r->z, err);
    return EO_STATUS_OK;
}

eo_status eo_codec_ae_estimate(const eo_codec_ae *ae_c, const eo_wfdb_record *rec,
                               long block_frames, double step, double *model_bits,
                               double *table_bits, eo_error *err)
{
    eo_codec_ae *ae = (eo_codec_ae *)ae_c;
    *model_bits = *table_bits = 0;
    if (!ae->rd)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "codec ae: the paper's model has no entropy model to estimate with");
    if (!rec || !rec->header || block_frames < 1 || !(step > 0))
        return eo_error_set(err, EO_STATUS_USAGE, "codec ae: estimate: bad arguments");
    ae_tables tb;
    int trc = tables_build(ae, step, &tb);
    if (trc)
        return eo_error_set(err, trc == -2 ? EO_STATUS_NO_MEMORY : EO_STATUS_BAD_FORMAT,
                            "codec ae: entropy model unusable at step %g", step);
    ae_record r;
    eo_status st = ae_record_make(ae, rec, block_frames, &r, err);
    const int made = st == EO_STATUS_OK;
    int cz = ae->lat_c, lz = ae->lat_l;
    double *amag = st ? NULL : eo_calloc((size_t)cz * (size_t)lz, sizeof *amag);
    if (!st && !amag)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "codec ae: estimate: out of memory");
    if (!st) {
        /* the coder's own context levels: the estimate and the file agree */
        for (long k = 0; k < r.nseg && !st; k++)
            for (int c = 0; c < cz && !st; c++) {
                const float *par = ae->dens + (size_t)c * 3 * ae->mix;
                for (int t = 0; t < lz && !st; t++) {
                    int32_t q = eo_ae_quantise(r.z[((size_t)k * cz + c) * lz + t], step);
                    int lev = ae_level(ae, amag, c, t);
                    const eo_ae_table *tq;
                    if (ae_table_get(&tb, c, lev, &tq)) {
                        st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                          "codec ae: entropy model unusable at step %g", step);
                        break;
                    }
                    double sh = ae->ctx ? eo_ae_ctx_level_shift(lev) : 0;
                    *model_bits += eo_ae_density_bits_shift(par, ae->mix, q * step, step, sh, NULL,
                                                            NULL, NULL);
                    *table_bits += eo_ae_table_bits(tq, q);
                    amag[(size_t)c * lz + t] = fabs((double)q);
                }
            }
    }
    free(amag);
    if (made)
        ae_record_free(&r);
    tables_free(&tb);
    return st;
}

/* Pooled PRDN (percent) of the record decoded at `step`, exactly as the
 * decoder reconstructs it. */
static eo_status ae_prdn_at(eo_codec_ae *ae, const eo_wfdb_record *rec, const ae_record *r,
                            double step, float *zq, float *xh, double den, double *prdn,
                            eo_error *err)
{
    int L = ae->segment, cz = ae->lat_c, lz = ae->lat_l;
    for (long k = 0; k < r->nseg; k++)
        for (int c = 0; c < cz; c++) {
            double sc = step * ae->lat_std[c];
            for (int t = 0; t < lz; t++) {
                size_t at = ((size_t)k * cz + c) * lz + t;
                zq[at] = (float)eo_ae_dequantise(eo_ae_quantise(r->z[at], sc), sc);
            }
        }
    eo_status st = eo_nn_predict(ae->dec, zq, (int)r->nseg, 256, xh, err);
    if (st)
        return st;
    double num = 0;
    for (long k = 0; k < r->nseg; k++) {
        int s = r->sig[k];
        double g = eo_ae_sig_gain(&rec->header->signals[s]);
        for (long i = r->start[k]; i < r->end[k] && i < r->start[k] + L; i++) {
            double v = (double)xh[(size_t)k * L + (i - r->start[k])] * g + (double)r->mean[k];
            if (!isfinite(v))
                v = (double)r->mean[k];
            v = v > 1e9 ? 1e9 : v < -1e9 ? -1e9 : v;
            double e = (double)rec->adu[s][i] - (double)eo_clamp_adu(llround(v));
            num += e * e;
        }
    }
    *prdn = den > 0 ? 100 * sqrt(num / den) : (num > 0 ? INFINITY : 0);
    return EO_STATUS_OK;
}

eo_status eo_ae_find_step(const eo_codec_ae *ae_c, const eo_wfdb_record *rec, long bf,
                          double target, double *step, eo_error *err)
{
    eo_codec_ae *ae = (eo_codec_ae *)ae_c;
    /* the paper's model has no trained range: its steps are in channel
     * std units, 0.01..4 covers what docs/codec.md measured */
    double lo = log(ae->rd ? ae->step_min : 0.01), hi = log(ae->rd ? ae->step_max : 4.0);
    ae_record r;
    eo_status st = ae_record_make(ae, rec, bf, &r, err);
    if (st)
        return st;
    size_t m = (size_t)(r.nseg ? r.nseg : 1);
    float *zq = eo_malloc(sizeof(float) * m * (size_t)(ae->lat_c * ae->lat_l));
    float *xh = eo_malloc(sizeof(float) * m * (size_t)ae->segment);
    if (!zq || !xh) {
        free(zq);
        free(xh);
        ae_record_free(&r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "codec ae: out of memory");
    }
    double den = 0;
    for (int s = 0; s < rec->n_signals; s++) {
        double mu = 0;
        for (long i = 0; i < rec->n_samples; i++)
            mu += rec->adu[s][i];
        mu /= rec->n_samples > 0 ? (double)rec->n_samples : 1.0;
        for (long i = 0; i < rec->n_samples; i++)
            den += (rec->adu[s][i] - mu) * (rec->adu[s][i] - mu);
    }
    double p;
    *step = exp(lo);
    st = ae_prdn_at(ae, rec, &r, exp(hi), zq, xh, den, &p, err);
    if (!st && p <= target) {
        *step = exp(hi);
    } else {
        /* invariant: PRDN(exp(lo)) is the best reachable; find the largest
         * step still meeting the target */
        for (int it = 0; it < 12 && !st; it++) {
            double mid = (lo + hi) / 2;
            st = ae_prdn_at(ae, rec, &r, exp(mid), zq, xh, den, &p, err);
            if (st)
                break;
            if (p <= target)
                lo = mid;
            else
                hi = mid;
        }
        *step = exp(lo);
    }
    free(zq);
    free(xh);
    ae_record_free(&r);
    return st;
}
