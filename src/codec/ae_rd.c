/* Rate-distortion training of the codec's autoencoder (docs/codec.md,
 * "Rate-distortion training").
 *
 * Balle, Laparra & Simoncelli 2017 ("End-to-end optimized image
 * compression"): minimise D + lambda R with
 *   D = mean squared error of the decoded segment (mV^2 per sample; the
 *       segment is the raw samples minus the segment mean, over the gain,
 *       so D is proportional to the squared error PRDN counts),
 *   R = -log2 P(z + u) per sample, u ~ U(-d/2, d/2) the additive-noise
 *       proxy of the quantiser of step d, P the factorised entropy model of
 *       ae_density.c (its parameters learned jointly).
 * The step d is drawn log-uniformly in [step_min, step_max] per batch, so
 * one model serves a continuous range of rates (the encoder picks d, the
 * header stores it).  The architecture keeps the paper's 1-D convolutions
 * and squeeze-excitation block (Krishna n.d.) but drops the ReLU on the
 * bottleneck (a rectified latent wastes half the quantiser's range) and
 * average-pools the last stage (max-pooling a signed latent biases it). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ae_internal.h"
#include "ecgopt/alloc.h"

static void rd_specs(char *enc, char *dec, size_t n, int f, int cz, const int p[3], int arch,
                     int attention)
{
    snprintf(enc, n, "conv(%d,9) relu maxpool(%d) conv(%d,9) relu maxpool(%d) conv(%d,9) avgpool(%d)%s",
             f, p[0], 2 * f, p[1], cz, p[2], attention ? " se(2)" : "");
    const int S = p[0] * p[1] * p[2];
    if (arch == 2) {
        /* a learned lapped transform: cz analysis filters of 2S samples,
         * hop S; the decoder overlap-adds cz synthesis filters */
        snprintf(enc, n, "conv(%d,%d,stride=%d,pad=%d)%s", cz, 2 * S, S, S / 2,
                 attention ? " se(2)" : "");
        snprintf(dec, n, "convt(1,%d,stride=%d,pad=%d)", 2 * S, S, S / 2);
        return;
    }
    if (arch == 1)
        snprintf(dec, n,
                 "convt(%d,%d,stride=%d) relu conv(%d,5) relu convt(%d,%d,stride=%d) relu "
                 "conv(%d,9) relu convt(%d,%d,stride=%d) relu conv(%d,9) relu conv(1,9)",
                 2 * f, p[2], p[2], 2 * f, f, p[1], p[1], f, f, p[0], p[0], f);
    else
        snprintf(dec, n,
                 "convt(%d,%d,stride=%d) relu convt(%d,%d,stride=%d) relu convt(%d,%d,stride=%d) "
                 "relu conv(1,9)",
                 2 * f, p[2], p[2], f, p[1], p[1], f, p[0], p[0]);
}

typedef struct rd_state {
    eo_nn *enc, *dec, *full;
    eo_nn_optim *oe, *od, *oh;
    float *x, *xb, *zt, *dx, *dz, *dens, *gdens;
    double *gd, *amag;
    int *perm;
} rd_state;

static void rd_free(rd_state *s)
{
    eo_nn_destroy(s->enc);
    eo_nn_destroy(s->dec);
    eo_nn_destroy(s->full);
    eo_nn_optim_destroy(s->oe);
    eo_nn_optim_destroy(s->od);
    eo_nn_optim_destroy(s->oh);
    free(s->x);
    free(s->xb);
    free(s->zt);
    free(s->dx);
    free(s->dz);
    free(s->dens);
    free(s->gdens);
    free(s->gd);
    free(s->amag);
    free(s->perm);
}

/* The trained halves as one network (the model file's form) with the
 * rate-distortion metadata. */
static eo_status rd_assemble(rd_state *s, const char *es, const char *ds, int L, int cz,
                             int k, const eo_codec_ae_options *o, double fs_hz, eo_error *err)
{
    char spec[1024];
    snprintf(spec, sizeof spec, "%s %s", es, ds);
    eo_status st = eo_nn_from_spec(spec, 1, L, &s->full, err);
    if (st)
        return st;
    int ne = eo_nn_layer_count(s->enc), nl = eo_nn_layer_count(s->full);
    float *fp = eo_nn_params(s->full, NULL);
    for (int i = 0; i < nl; i++) {
        eo_nn *src = i < ne ? s->enc : s->dec;
        size_t o1, n1, o2, n2;
        eo_nn_layer_params(s->full, i, &o1, &n1);
        eo_nn_layer_params(src, i < ne ? i : i - ne, &o2, &n2);
        if (n1 != n2)
            return eo_error_set(err, EO_STATUS_INTERNAL, "codec ae: layer %d assembly mismatch", i);
        if (n1)
            memcpy(fp + o1, eo_nn_params(src, NULL) + o2, n1 * sizeof(float));
    }
    size_t np = (size_t)cz * 3 * (size_t)k;
    char *buf = eo_malloc(np * 20 + 16);
    if (!buf)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "codec ae: out of memory");
    size_t at = (size_t)snprintf(buf, 16, "%d;", k);
    for (size_t i = 0; i < np; i++)
        at += (size_t)snprintf(buf + at, 20, "%s%.9g", i ? "," : "", s->dens[i]);
    char v[64], ones[AE_MAX_LAT_CH * 2 + 1];
    for (int c = 0; c < cz; c++) { /* "1,1,...": the step is in latent units */
        ones[2 * c] = '1';
        ones[2 * c + 1] = ',';
    }
    ones[2 * cz - 1] = 0;
    st = eo_nn_set_meta(s->full, "ae_latent_std", ones, err);
    if (!st) {
        snprintf(v, sizeof v, "%d", o->context ? EO_AE_RD_VERSION_CTX : EO_AE_RD_VERSION);
        st = eo_nn_set_meta(s->full, "ae_rd", v, err);
    }
    if (!st && o->context) {
        char cb[AE_MAX_LAT_CH * 2 * 20 + 16];
        size_t at2 = 0;
        for (int i = 0; i < 2 * cz; i++)
            at2 += (size_t)snprintf(cb + at2, sizeof cb - at2, "%s%.9g", i ? "," : "",
                                    s->dens[(size_t)cz * 3 * k + (size_t)i]);
        st = eo_nn_set_meta(s->full, "ae_context", cb, err);
    }
    if (!st)
        st = eo_nn_set_meta(s->full, "ae_density", buf, err);
    free(buf);
    if (!st) {
        snprintf(v, sizeof v, "%.9g,%.9g", o->step_min, o->step_max);
        st = eo_nn_set_meta(s->full, "ae_step_range", v, err);
    }
    if (!st) {
        snprintf(v, sizeof v, "%.9g", o->lambda);
        st = eo_nn_set_meta(s->full, "ae_lambda", v, err);
    }
    if (!st) {
        snprintf(v, sizeof v, "%d", o->max_segments);
        st = eo_nn_set_meta(s->full, "ae_train_segments", v, err);
    }
    if (!st) {
        snprintf(v, sizeof v, "%d", o->epochs);
        st = eo_nn_set_meta(s->full, "ae_epochs", v, err);
    }
    if (!st) {
        snprintf(v, sizeof v, "%.9g", fs_hz);
        st = eo_nn_set_meta(s->full, "ae_fs_hz", v, err);
    }
    if (!st && !o->attention) { /* where coding splits the network: no se layer marks it (the
                                   models with attention are written as before, byte for byte) */
        snprintf(v, sizeof v, "%d", eo_nn_layer_count(s->enc));
        st = eo_nn_set_meta(s->full, "ae_encoder_layers", v, err);
    }
    if (!st)
        st = eo_nn_set_meta(s->full, "ae_preprocess",
                            "segment mean removed (coded), divided by signal gain", err);
    return st;
}

eo_status eo_ae_train_rd(const eo_wfdb_record *const *recs, int n_recs,
                         const eo_codec_ae_options *o, const int p[3], eo_codec_ae **out,
                         eo_error *err)
{
    *out = NULL;
    if (!(o->lambda > 0 && o->lambda < 1e6) || !(o->step_min > 0) ||
        !(o->step_max >= o->step_min) || !(o->step_max <= 1e3) || o->mixture < 1 ||
        o->mixture > EO_AE_MAX_MIX || o->decoder < 0 || o->decoder > 2 || o->attention < 0 ||
        o->attention > 1 || o->context < 0 || o->context > 1)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "codec ae: rate-distortion options: lambda %g (> 0), step range "
                            "%g..%g (0 < min <= max <= 1000), mixture %d (1..%d), decoder %d (0, 1, 2), "
                            "attention %d (0, 1), context %d (0, 1)",
                            o->lambda, o->step_min, o->step_max, o->mixture, EO_AE_MAX_MIX,
                            o->decoder, o->attention, o->context);
    int L = o->segment, ns = o->max_segments, B = o->batch_size < ns ? o->batch_size : ns;
    int k = o->mixture, cz = o->latent_channels;
    double fs = 0; /* one sampling rate: the model is only valid at it */
    for (int r = 0; r < n_recs; r++) {
        if (!recs[r])
            continue;
        if (fs == 0)
            fs = recs[r]->fs_hz;
        else if (fabs(recs[r]->fs_hz - fs) > 1e-6 * fs)
            return eo_error_set(err, EO_STATUS_USAGE,
                                "codec ae: training records at %g and %g Hz (resample them to one "
                                "rate first)", fs, recs[r]->fs_hz);
    }
    char es[512], ds[512];
    rd_specs(es, ds, sizeof es, o->filters, cz, p, o->decoder, o->attention);
    rd_state s;
    memset(&s, 0, sizeof s);
    eo_rng rng;
    eo_rng_seed(&rng, o->seed);
    eo_status st = eo_nn_from_spec(es, 1, L, &s.enc, err);
    int lz = 0, zc = 0;
    if (!st) {
        eo_nn_output_shape(s.enc, &zc, &lz);
        st = eo_nn_from_spec(ds, zc, lz, &s.dec, err);
    }
    /* the densities' parameters, then (context model) 2 weights per channel */
    const size_t nd0 = (size_t)cz * 3 * (size_t)k;
    size_t nz = (size_t)B * (size_t)cz * (size_t)lz, nd = nd0 + (o->context ? 2 * (size_t)cz : 0);
    if (!st) {
        s.x = eo_malloc(sizeof(float) * (size_t)ns * (size_t)L);
        s.xb = eo_malloc(sizeof(float) * (size_t)B * (size_t)L);
        s.dx = eo_malloc(sizeof(float) * (size_t)B * (size_t)L);
        s.zt = eo_malloc(sizeof(float) * (nz ? nz : 1));
        s.dz = eo_malloc(sizeof(float) * (nz ? nz : 1));
        s.dens = eo_malloc(sizeof(float) * nd);
        s.gdens = eo_malloc(sizeof(float) * nd);
        s.gd = eo_malloc(sizeof(double) * nd);
        s.perm = eo_malloc(sizeof(int) * (size_t)ns);
        s.amag = eo_malloc(sizeof(double) * (size_t)cz * (size_t)(lz > 0 ? lz : 1));
        if (!s.x || !s.xb || !s.dx || !s.zt || !s.dz || !s.dens || !s.gdens || !s.gd || !s.perm ||
            !s.amag)
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "codec ae: out of memory");
    }
    if (!st)
        st = eo_ae_draw_segments(recs, n_recs, L, ns, &rng, s.x, err);
    eo_nn_optim_options oo;
    eo_nn_optim_defaults(&oo, EO_NN_OPTIM_ADAM);
    oo.lr = o->lr;
    size_t npe = 0, npd = 0;
    if (!st) {
        eo_nn_init(s.enc, EO_NN_INIT_TORCH, &rng);
        eo_nn_init(s.dec, EO_NN_INIT_TORCH, &rng);
        eo_nn_set_threads(s.enc, o->threads > 0 ? o->threads : 1);
        eo_nn_set_threads(s.dec, o->threads > 0 ? o->threads : 1);
        eo_nn_want_input_grad(s.dec, 1);
        eo_nn_params(s.enc, &npe);
        eo_nn_params(s.dec, &npd);
        st = eo_nn_optim_create(&oo, npe, &s.oe, err);
        if (!st)
            st = eo_nn_optim_create(&oo, npd, &s.od, err);
        if (!st)
            st = eo_nn_optim_create(&oo, nd, &s.oh, err);
        for (int c = 0; c < cz; c++)
            eo_ae_density_init(s.dens + (size_t)c * 3 * k, k, 1.0);
        for (size_t i = nd0; i < nd; i++) /* no context at first: the factorised model */
            s.dens[i] = 0;
        for (int i = 0; i < ns; i++)
            s.perm[i] = i;
    }
    long per_epoch = ns / B, total = per_epoch * o->epochs, step_i = 0;
    double lmin = log(o->step_min), lmax = log(o->step_max);
    double norm = 1.0 / ((double)B * (double)L);
    for (int ep = 0; ep < o->epochs && !st; ep++) {
        for (int i = ns - 1; i > 0; i--) { /* Fisher-Yates */
            int j = (int)eo_rng_below(&rng, (uint64_t)(i + 1)), t = s.perm[i];
            s.perm[i] = s.perm[j];
            s.perm[j] = t;
        }
        for (long b = 0; b < per_epoch && !st; b++, step_i++) {
            for (int i = 0; i < B; i++)
                memcpy(s.xb + (size_t)i * L, s.x + (size_t)s.perm[b * B + i] * L,
                       sizeof(float) * (size_t)L);
            double d = exp(lmin + (lmax - lmin) * eo_rng_uniform(&rng));
            const float *z, *xh;
            st = eo_nn_forward(s.enc, s.xb, B, 1, &rng, &z, err);
            if (st)
                break;
            for (size_t i = 0; i < nz; i++)
                s.zt[i] = z[i] + (float)(d * (eo_rng_uniform(&rng) - 0.5));
            st = eo_nn_forward(s.dec, s.zt, B, 1, &rng, &xh, err);
            if (st)
                break;
            double dist = 0, bits = 0;
            for (size_t i = 0; i < (size_t)B * L; i++) {
                double e = (double)xh[i] - s.xb[i];
                dist += e * e;
                s.dx[i] = (float)(2 * e * norm);
            }
            st = eo_nn_backward(s.dec, s.dx, err);
            if (st)
                break;
            const float *gz = eo_nn_input_grad(s.dec);
            memset(s.gd, 0, sizeof(double) * nd);
            for (int i = 0; i < B; i++) {
                /* the context model sees |latent| / step of this segment, as
                 * the coder sees |q| (no gradient through the context) */
                if (o->context)
                    for (size_t j = 0; j < (size_t)cz * lz; j++)
                        s.amag[j] = fabs((double)s.zt[(size_t)i * cz * lz + j]) / d;
                for (int c = 0; c < cz; c++) {
                    const float *par = s.dens + (size_t)c * 3 * k;
                    double *gp = s.gd + (size_t)c * 3 * k;
                    for (int t = 0; t < lz; t++) {
                        size_t at = ((size_t)i * cz + c) * lz + t;
                        double dv;
                        if (o->context) {
                            double e1, e2, dsh;
                            eo_ae_ctx_features(s.amag, lz, c, t, &e1, &e2);
                            const float *w = s.dens + nd0 + 2 * (size_t)c;
                            double sh = eo_ae_ctx_shift(w, e1, e2);
                            bits += eo_ae_density_bits_shift(par, k, s.zt[at], d, sh, &dv, gp, &dsh);
                            s.gd[nd0 + 2 * (size_t)c] += dsh * log1p(e1);
                            s.gd[nd0 + 2 * (size_t)c + 1] += dsh * log1p(e2);
                        } else {
                            bits += eo_ae_density_bits(par, k, s.zt[at], d, &dv, gp);
                        }
                        s.dz[at] = gz[at] + (float)(o->lambda * norm * dv);
                    }
                }
            }
            double loss = dist * norm + o->lambda * bits * norm;
            if (!isfinite(loss)) {
                st = eo_error_set(err, EO_STATUS_NUMERIC,
                                  "codec ae: rate-distortion loss is not finite (epoch %d)",
                                  ep + 1);
                break;
            }
            for (size_t i = 0; i < nd; i++)
                s.gdens[i] = (float)(o->lambda * norm * s.gd[i]);
            st = eo_nn_backward(s.enc, s.dz, err);
            if (st)
                break;
            float *ge = eo_nn_grads(s.enc, NULL), *gdd = eo_nn_grads(s.dec, NULL);
            eo_nn_clip_grad_norm(ge, npe, 5.0);
            eo_nn_clip_grad_norm(gdd, npd, 5.0);
            double sc = 0.02 + 0.98 * 0.5 * (1 + cos(M_PI * (double)step_i / (double)total));
            eo_nn_optim_step(s.oe, eo_nn_params(s.enc, NULL), ge, npe, sc);
            eo_nn_optim_step(s.od, eo_nn_params(s.dec, NULL), gdd, npd, sc);
            eo_nn_optim_step(s.oh, s.dens, s.gdens, nd, sc);
            for (int c = 0; c < cz; c++) /* keep the scales in a sane range */
                for (int j = 0; j < k; j++) {
                    float *l = s.dens + (size_t)c * 3 * k + 2 * k + j;
                    *l = *l < -7 ? -7 : *l > 7 ? 7 : *l;
                }
            for (size_t i = nd0; i < nd; i++) /* and the context weights */
                s.dens[i] = s.dens[i] < -4 ? -4 : s.dens[i] > 4 ? 4 : s.dens[i];
            if (o->progress &&
                o->progress(o->progress_user, (double)(step_i + 1), (double)total, "train"))
                st = eo_error_set(err, EO_STATUS_USAGE, "codec ae: training cancelled");
        }
    }
    if (!st)
        st = rd_assemble(&s, es, ds, L, cz, k, o, fs, err);
    unsigned char *mem = NULL;
    size_t n = 0;
    if (!st)
        st = eo_nn_save_mem(s.full, &mem, &n, err);
    rd_free(&s);
    if (!st)
        st = eo_codec_ae_load_mem(mem, n, "codec ae", out, err);
    free(mem);
    return st;
}
