/* Rate-distortion autoencoder (docs/codec.md, "Rate-distortion training"):
 * the entropy model's rate term against finite differences, its frequency
 * tables against the estimate on coded data, a tiny rate-distortion model
 * trained here (DS1 record 101) through a real file at a target PRDN, and
 * the bad inputs (another model format version, a step outside the
 * trained range, another sampling rate). */
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eo_test.h"

#include "../../src/codec/ae_internal.h"
#include "ecgopt/codec.h"
#include "ecgopt/nn.h"
#include "ecgopt/rng.h"
#include "ecgopt/util.h"

static eo_wfdb_record *g_train, *g_test;
static eo_codec_ae *g_ae;

static eo_wfdb_record *load(const char *name, long max_samples)
{
    char base[4200];
    snprintf(base, sizeof base, "%s/mitdb/%s", eo_test_data_dir(), name);
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    eo_error err;
    if (eo_wfdb_record_load(base, &ro, &r, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    if (max_samples > 0 && r->n_samples > max_samples)
        r->n_samples = r->header->n_samples = max_samples;
    return r;
}

/* d bits / d v and d bits / d par of a 3-component density against central
 * differences (double arithmetic, float parameters perturbed by 1e-3). */
TEST(rate_gradient_finite_difference)
{
    float par[9] = {0.3f, -0.2f, 0.1f, -1.1f, 0.2f, 1.7f, -0.4f, 0.1f, 0.5f};
    static const double vs[] = {-2.3, -0.4, 0.0, 0.7, 3.1, 9.0};
    static const double ds[] = {0.5, 1.0, 2.0};
    for (size_t a = 0; a < sizeof vs / sizeof vs[0]; a++)
        for (size_t b = 0; b < 3; b++) {
            double v = vs[a], d = ds[b], dv, g[9] = {0};
            double f0 = eo_ae_density_bits(par, 3, v, d, &dv, g);
            CHECK(isfinite(f0) && f0 >= 0);
            double h = 1e-4;
            double fd = (eo_ae_density_bits(par, 3, v + h, d, NULL, NULL) -
                         eo_ae_density_bits(par, 3, v - h, d, NULL, NULL)) / (2 * h);
            CHECK_CLOSE(dv, fd, 1e-4, 1e-6);
            for (int i = 0; i < 9; i++) {
                float save = par[i];
                float hp = 1e-3f;
                par[i] = save + hp;
                double fp = eo_ae_density_bits(par, 3, v, d, NULL, NULL);
                par[i] = save - hp;
                double fm = eo_ae_density_bits(par, 3, v, d, NULL, NULL);
                par[i] = save;
                double hh = ((double)(save + hp) - (double)(save - hp));
                CHECK_CLOSE(g[i], (fp - fm) / hh, 2e-3, 2e-5);
            }
        }
    /* the bins of step d tile the line: probabilities sum to 1 */
    double sum = 0;
    for (int q = -400; q <= 400; q++)
        sum += exp2(-eo_ae_density_bits(par, 3, q * 0.25, 0.25, NULL, NULL));
    CHECK_CLOSE(sum, 1.0, 0, 1e-6);
}

/* The context model: d bits / d shift against central differences; the
 * shifted density is the density with every log-scale moved; the
 * features and levels by hand (docs/codec.md, "Context model"). */
TEST(context_model_known_answers)
{
    float par[9] = {0.3f, -0.2f, 0.1f, -1.1f, 0.2f, 1.7f, -0.4f, 0.1f, 0.5f};
    static const double vs[] = {-2.3, 0.0, 0.7, 3.1};
    static const double shifts[] = {-1.5, 0.0, 0.8};
    for (size_t a = 0; a < 4; a++)
        for (size_t b = 0; b < 3; b++) {
            double v = vs[a], sh = shifts[b], dv, dsh, g[9] = {0};
            double f0 = eo_ae_density_bits_shift(par, 3, v, 1.0, sh, &dv, g, &dsh);
            float moved[9];
            memcpy(moved, par, sizeof moved);
            for (int j = 6; j < 9; j++)
                moved[j] += (float)sh;
            CHECK_CLOSE(f0, eo_ae_density_bits(moved, 3, v, 1.0, NULL, NULL), 1e-12, 1e-12);
            double h = 1e-4;
            double fd = (eo_ae_density_bits_shift(par, 3, v, 1.0, sh + h, NULL, NULL, NULL) -
                         eo_ae_density_bits_shift(par, 3, v, 1.0, sh - h, NULL, NULL, NULL)) /
                        (2 * h);
            CHECK_CLOSE(dsh, fd, 2e-3, 1e-5);
            CHECK_CLOSE(dsh, g[6] + g[7] + g[8], 1e-12, 1e-12);
        }
    /* a wider density (shift > 0) makes a large value cheaper, zero dearer */
    CHECK(eo_ae_density_bits_shift(par, 3, 6.0, 1.0, 1.0, NULL, NULL, NULL) <
          eo_ae_density_bits_shift(par, 3, 6.0, 1.0, 0.0, NULL, NULL, NULL));
    CHECK(eo_ae_density_bits_shift(par, 3, 0.0, 1.0, 1.0, NULL, NULL, NULL) >
          eo_ae_density_bits_shift(par, 3, 0.0, 1.0, 0.0, NULL, NULL, NULL));
    /* features: 3 channels x 4 positions of magnitudes */
    double mag[12] = {1, 2, 0, 4, /* c0 */ 3, 0, 5, 1, /* c1 */ 0, 0, 0, 0};
    double e1, e2;
    eo_ae_ctx_features(mag, 4, 1, 3, &e1, &e2); /* c1 t3: |q(1,2)| + |q(1,1)|/2; |q(0,3)| */
    CHECK_CLOSE(e1, 5.0, 0, 0);
    CHECK_CLOSE(e2, 4.0, 0, 0);
    eo_ae_ctx_features(mag, 4, 2, 1, &e1, &e2); /* c2 t1: |q(2,0)|; mean(|q(0,1)|, |q(1,1)|) */
    CHECK_CLOSE(e1, 0.0, 0, 0);
    CHECK_CLOSE(e2, 1.0, 0, 0);
    eo_ae_ctx_features(mag, 4, 0, 0, &e1, &e2); /* nothing coded before */
    CHECK(e1 == 0 && e2 == 0);
    const float w[2] = {0.5f, -0.25f};
    CHECK_CLOSE(eo_ae_ctx_shift(w, 3.0, 1.0), 0.5 * log(4.0) - 0.25 * log(2.0), 1e-7, 0);
    /* levels: 1/8 steps, +-6 at most, the middle level is no shift */
    CHECK_EQ_INT(eo_ae_ctx_level(0.0), EO_AE_CTX_LEVELS / 2);
    CHECK_CLOSE(eo_ae_ctx_level_shift(eo_ae_ctx_level(0.26)), 0.25, 0, 0);
    CHECK_CLOSE(eo_ae_ctx_level_shift(eo_ae_ctx_level(-0.3)), -0.25, 0, 0);
    CHECK_EQ_INT(eo_ae_ctx_level(50.0), EO_AE_CTX_LEVELS - 1);
    CHECK_EQ_INT(eo_ae_ctx_level(-50.0), 0);
    CHECK_EQ_INT(eo_ae_ctx_level(NAN), 0);
    CHECK_CLOSE(eo_ae_ctx_level_shift(EO_AE_CTX_LEVELS - 1), 6.0, 0, 0);
}

/* Values drawn from the density itself, coded with its frequency tables:
 * the range coder's output within 0.5 % + 8 bytes of the model's estimate,
 * the table estimate within 0.3 % of the model's, and decoded exactly
 * (escapes included). */
TEST(tables_match_estimate)
{
    float par[9] = {0.0f, 0.5f, -1.0f, -0.5f, 0.0f, 2.0f, 0.0f, -0.7f, 0.3f};
    const int n = 20000;
    int32_t *q = malloc(sizeof(int32_t) * (size_t)n);
    CHECK(q != NULL);
    if (!q)
        return;
    eo_rng rng;
    eo_rng_seed(&rng, 7);
    for (int step_i = 0; step_i < 3; step_i++) {
        double d = step_i == 0 ? 0.3 : step_i == 1 ? 1.0 : 2.5;
        double est = 0, tab = 0;
        for (int i = 0; i < n; i++) {
            /* sample the mixture: component by weight, logistic by inversion */
            double w[3], s = 0;
            for (int j = 0; j < 3; j++)
                s += (w[j] = exp(par[j]));
            double u = eo_rng_uniform(&rng) * s;
            int j = u < w[0] ? 0 : u < w[0] + w[1] ? 1 : 2;
            double p = eo_rng_uniform(&rng) * 0.999998 + 0.000001;
            double x = par[3 + j] + exp(par[6 + j]) * log(p / (1 - p));
            q[i] = (i % 5000 == 17) ? 5000 + i : (int32_t)nearbyint(x / d); /* a few escapes */
        }
        eo_ae_table t;
        CHECK_EQ_INT(eo_ae_table_build(par, 3, d, &t), 0);
        eo_bytes out = {0};
        eo_rc_enc e;
        eo_rc_enc_init(&e, &out);
        for (int i = 0; i < n; i++) {
            eo_ae_table_encode(&t, &e, q[i]);
            est += eo_ae_density_bits(par, 3, q[i] * d, d, NULL, NULL);
            tab += eo_ae_table_bits(&t, q[i]);
        }
        eo_rc_enc_finish(&e);
        CHECK(!out.oom);
        /* escapes cost 32 raw bits beyond the model's (floored) estimate */
        CHECK_CLOSE(tab, est, 3e-3, 4 * 40.0);
        CHECK_CLOSE(8.0 * (double)out.n, tab, 5e-3, 64);
        eo_rc_dec dd;
        eo_rc_dec_init(&dd, out.p, out.n);
        int bad = 0;
        for (int i = 0; i < n; i++)
            bad += eo_ae_table_decode(&t, &dd) != q[i];
        CHECK_EQ_INT(bad, 0);
        printf("  step %g: model %.0f bits, tables %.0f bits, coded %zu bytes\n", d, est, tab,
               out.n);
        free(out.p);
        eo_ae_table_free(&t);
    }
    free(q);
}

static eo_codec_ae *tiny_rd_opts(const eo_wfdb_record *tr, int attention, int context,
                                 int decoder)
{
    eo_codec_ae_options ao;
    eo_codec_ae_defaults(&ao);
    ao.attention = attention;
    ao.context = context;
    ao.decoder = decoder;
    ao.step_max = 2.0; /* the trained step range 0.5..2 (bad_inputs: 5 is outside) */
    ao.segment = 256; /* pools 4,4,1: 16 latent positions */
    ao.latent_channels = 4;
    ao.filters = 8;
    ao.max_segments = 1200;
    ao.epochs = 6;
    ao.batch_size = 32;
    ao.lr = 3e-3;
    ao.lambda = 1e-3;
    const eo_wfdb_record *recs[1] = {tr};
    eo_codec_ae *ae = NULL;
    eo_error err;
    CHECK_OK(eo_codec_ae_train(recs, 1, &ao, &ae, &err), &err);
    return ae;
}

static eo_codec_ae *tiny_rd_arm(const eo_wfdb_record *tr, int attention)
{
    return tiny_rd_opts(tr, attention, 0, 1); /* the convolution stack */
}

static eo_codec_ae *tiny_rd(const eo_wfdb_record *tr) { return tiny_rd_arm(tr, 1); }

/* count the model's layers of a type */
static int layers_of(const char *path, int type)
{
    eo_nn *nn = NULL;
    eo_error err;
    if (eo_nn_load(path, &nn, &err))
        return -1;
    int k = 0;
    for (int i = 0; i < eo_nn_layer_count(nn); i++) {
        eo_nn_layer_info li;
        eo_nn_layer_get(nn, i, &li);
        k += (int)li.type == type;
    }
    eo_nn_destroy(nn);
    return k;
}

/* g_test coded by model m at step 1 in 10-s blocks, every byte through an
 * in-memory file, decoded with m: the decoded PRDN is the one
 * eo_codec_measure reports (into *f, *cs); 0 when it could run */
static int code_at_step_1(eo_codec_ae *m, const char *name, eo_codec_stats *cs, eo_fidelity *f)
{
    eo_error err;
    eo_codec_options o;
    eo_codec_defaults(&o);
    o.mode = EO_CODEC_AE;
    o.ae_model = m;
    o.ae_step = 1.0;
    o.block_seconds = 10;
    unsigned char *buf = NULL;
    size_t len = 0;
    CHECK_OK(eo_codec_measure(g_test, &o, cs, f, &err), &err);
    CHECK_OK(eo_codec_encode(g_test, &o, &buf, &len, NULL, &err), &err);
    CHECK(len == cs->file_bytes);
    eo_ecgz *z = NULL;
    eo_wfdb_record *d = NULL;
    CHECK_OK(eo_ecgz_open_mem(buf, len, name, &z, &err), &err);
    if (z) {
        CHECK_OK(eo_ecgz_set_ae_model(z, m, &err), &err);
        CHECK_OK(eo_ecgz_to_record(z, &d, &err), &err);
    }
    int rc = d ? 0 : -1;
    if (d) {
        eo_fidelity g;
        CHECK_OK(eo_codec_fidelity(g_test, d->adu, 0, g_test->n_samples, &g, &err), &err);
        CHECK_CLOSE(g.prdn, f->prdn, 1e-9, 1e-9);
        CHECK(g.prdn > 0 && g.prdn < 100);
    }
    eo_wfdb_record_destroy(d);
    eo_ecgz_close(z);
    free(buf);
    return rc;
}

/* each of bad[0..n) as metadata `key` of nn, saved to path: refused on
 * load as a bad format, naming the file and the key */
static void refuses_bad_meta(eo_nn *nn, const char *key, const char *const *bad, int n,
                             const char *path)
{
    eo_error err;
    const char *base = strrchr(path, '/');
    for (int i = 0; nn && i < n; i++) {
        CHECK_OK(eo_nn_set_meta(nn, key, bad[i], &err), &err);
        CHECK_OK(eo_nn_save(nn, path, &err), &err);
        eo_codec_ae *x = NULL;
        CHECK(eo_codec_ae_load(path, &x, &err) == EO_STATUS_BAD_FORMAT);
        CHECK(x == NULL && strstr(err.msg, base ? base + 1 : path) && strstr(err.msg, key));
    }
}

/* Table I's no-attention arm: the encoder without its se layer codes and
 * decodes like the attention model (same latent size, the split from the
 * file's ae_encoder_layers); the attention model keeps its se layer and no
 * such key (its files are as before); the paper's model cannot drop it;
 * a bad ae_encoder_layers is refused naming the file. */
TEST(no_attention_arm)
{
    if (!g_ae)
        return;
    eo_codec_ae *na = tiny_rd_arm(g_train, 0);
    if (!na)
        return;
    eo_error err;
    char dir[] = "/tmp/eo_ae_rdn_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char ap[256], np[256], bp[256];
    snprintf(ap, sizeof ap, "%s/att.eom", dir);
    snprintf(np, sizeof np, "%s/noatt.eom", dir);
    snprintf(bp, sizeof bp, "%s/bad.eom", dir);
    CHECK_OK(eo_codec_ae_save(g_ae, ap, &err), &err);
    CHECK_OK(eo_codec_ae_save(na, np, &err), &err);
    CHECK_EQ_INT(layers_of(ap, EO_NN_SE), 1);
    CHECK_EQ_INT(layers_of(np, EO_NN_SE), 0);
    CHECK_EQ_INT(eo_codec_ae_latent(na), eo_codec_ae_latent(g_ae));
    eo_nn *nn = NULL;
    char v[32];
    CHECK_OK(eo_nn_load(ap, &nn, &err), &err);
    CHECK(nn && eo_nn_meta(nn, "ae_encoder_layers", v, sizeof v) != 0);
    eo_nn_destroy(nn);
    nn = NULL;
    CHECK_OK(eo_nn_load(np, &nn, &err), &err);
    CHECK(nn && eo_nn_meta(nn, "ae_encoder_layers", v, sizeof v) == 0 && strcmp(v, "8") == 0);
    /* through the codec, with the model read back from its file */
    eo_codec_ae *m = NULL;
    CHECK_OK(eo_codec_ae_load(np, &m, &err), &err);
    eo_codec_stats cs;
    eo_fidelity f;
    if (m && code_at_step_1(m, "noatt.ecgz", &cs, &f) == 0)
        printf("  no attention: step 1, PRDN %.2f %%, CR %.2f\n", f.prdn, cs.cr);
    eo_codec_ae_destroy(m);
    /* a split past the network, or not a number */
    static const char *const bad[] = {"0", "99", "six"};
    refuses_bad_meta(nn, "ae_encoder_layers", bad, 3, bp);
    eo_nn_destroy(nn);
    /* the paper's model always has its attention */
    eo_codec_ae_options ao;
    eo_codec_ae_defaults(&ao);
    ao.lambda = 0;
    ao.attention = 0;
    const eo_wfdb_record *recs[1] = {g_train};
    eo_codec_ae *x = NULL;
    CHECK(eo_codec_ae_train(recs, 1, &ao, &x, &err) == EO_STATUS_USAGE && x == NULL);
    CHECK(strstr(err.msg, "attention") != NULL);
    eo_codec_ae_destroy(na);
    unlink(ap);
    unlink(np);
    unlink(bp);
    rmdir(dir);
}

/* Through a real file: compress at a target PRDN, write, read back with
 * the model file, decode; the PRDN meets the target (or the model's best),
 * the header's step is in range, the model's estimate agrees with the
 * file's bytes, and a larger step gives a smaller file. */
TEST(round_trip_target_prdn)
{
    if (!g_ae)
        return;
    double smin, smax;
    CHECK_EQ_INT(eo_codec_ae_is_rd(g_ae, &smin, &smax), 1);
    CHECK_CLOSE(smin, 0.5, 0, 1e-12);
    CHECK_CLOSE(smax, 2.0, 0, 1e-12);
    char dir[] = "/tmp/eo_ae_rd_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char mpath[256], fpath[256];
    snprintf(mpath, sizeof mpath, "%s/m.eom", dir);
    snprintf(fpath, sizeof fpath, "%s/x.ecgz", dir);
    eo_error err;
    CHECK_OK(eo_codec_ae_save(g_ae, mpath, &err), &err);
    eo_codec_ae *m = NULL;
    CHECK_OK(eo_codec_ae_load(mpath, &m, &err), &err);
    if (!m)
        return;
    eo_codec_options o;
    eo_codec_defaults(&o);
    o.mode = EO_CODEC_AE;
    o.ae_model = m;
    o.block_seconds = 10;
    /* the best this model reaches: its smallest step */
    o.ae_step = smin;
    eo_codec_stats cs;
    eo_fidelity f;
    CHECK_OK(eo_codec_measure(g_test, &o, &cs, &f, &err), &err);
    double best = f.prdn, target = best * 1.05;
    o.ae_step = 0;
    o.target_prdn = target;
    unsigned char *buf = NULL;
    size_t len = 0;
    CHECK_OK(eo_codec_encode(g_test, &o, &buf, &len, &cs, &err), &err);
    CHECK(cs.wavelet_step >= smin && cs.wavelet_step <= smax);
    if (buf)
        CHECK_OK(eo_write_file_atomic(fpath, buf, len, &err), &err);
    free(buf);
    eo_ecgz *z = NULL;
    eo_wfdb_record *d = NULL;
    CHECK_OK(eo_ecgz_open(fpath, &z, &err), &err);
    if (z) {
        CHECK_OK(eo_ecgz_set_ae_model(z, m, &err), &err);
        CHECK_OK(eo_ecgz_to_record(z, &d, &err), &err);
    }
    if (d) {
        eo_fidelity g;
        CHECK_OK(eo_codec_fidelity(g_test, d->adu, 0, g_test->n_samples, &g, &err), &err);
        CHECK(g.prdn <= target + 1e-9);
        CHECK(g.prdn >= best - 1e-9 || g.prdn > 0);
        printf("  best PRDN %.2f %%, target %.2f %%: step %.4f, PRDN %.2f %%, CR %.2f\n", best,
               target, cs.wavelet_step, g.prdn, cs.cr);
    }
    /* estimate vs file: latents only in the estimate; the file adds the
     * header, index, block heads, CRCs and the segment means */
    double mb, tb;
    CHECK_OK(eo_codec_ae_estimate(m, g_test, (long)llround(10 * g_test->fs_hz), cs.wavelet_step,
                                  &mb, &tb, &err), &err);
    CHECK_CLOSE(tb, mb, 5e-3, 16);
    double file_bits = 8.0 * (double)cs.file_bytes;
    long nseg = (g_test->n_samples + 255) / 256;
    /* overhead: <= 400 header/index bytes + 8 bytes per 10-s block + 12
     * bits per segment mean */
    CHECK(file_bits >= mb && file_bits <= mb * 1.01 + 8 * 400 + 64.0 * 4 + 12.0 * nseg);
    printf("  latent bits: model %.0f, tables %.0f; file %.0f bits\n", mb, tb, file_bits);
    size_t n1 = 0, n2 = 0;
    unsigned char *b1 = NULL, *b2 = NULL;
    o.ae_step = smin;
    CHECK_OK(eo_codec_encode(g_test, &o, &b1, &n1, NULL, &err), &err);
    o.ae_step = smax;
    CHECK_OK(eo_codec_encode(g_test, &o, &b2, &n2, NULL, &err), &err);
    CHECK(n2 < n1);
    free(b1);
    free(b2);
    eo_ecgz_close(z);
    eo_wfdb_record_destroy(d);
    eo_codec_ae_destroy(m);
    unlink(fpath);
    unlink(mpath);
    rmdir(dir);
}

/* A model with the context model (ae_rd 2), on the lapped architecture
 * (decoder 2): written with its weights,
 * read back, coded and decoded exactly as measured; the model's estimate
 * (the coder's own quantised shifts) agrees with its tables and with the
 * file; a version-2 file without its weights, or with a bad one, is
 * refused naming the file. */
TEST(context_model_round_trip)
{
    if (!g_train)
        return;
    /* on the lapped transform (decoder 2): one strided convolution of 2 x 16
     * taps, hop 16, then se(2); one transposed convolution back */
    eo_codec_ae *cm = tiny_rd_opts(g_train, 1, 1, 2);
    if (!cm)
        return;
    eo_error err;
    char dir[] = "/tmp/eo_ae_rdc_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char mp[256], bp[256];
    snprintf(mp, sizeof mp, "%s/ctx.eom", dir);
    snprintf(bp, sizeof bp, "%s/bad.eom", dir);
    CHECK_OK(eo_codec_ae_save(cm, mp, &err), &err);
    eo_nn *nn = NULL;
    char v[1024];
    CHECK_OK(eo_nn_load(mp, &nn, &err), &err);
    CHECK(nn && eo_nn_meta(nn, "ae_rd", v, sizeof v) == 0 && strcmp(v, "2") == 0);
    CHECK(nn && eo_nn_layer_count(nn) == 3);
    CHECK_EQ_INT(eo_codec_ae_latent(cm), 4 * 16);
    CHECK(nn && eo_nn_meta(nn, "ae_context", v, sizeof v) == 0);
    /* the weights moved from their start (0): the rate term trained them */
    double wsum = 0;
    for (char *q = v, *e; *q; q = *e ? e + 1 : e) {
        wsum += fabs(strtod(q, &e));
        if (e == q)
            break;
    }
    CHECK(wsum > 1e-3);
    eo_codec_ae *m = NULL;
    CHECK_OK(eo_codec_ae_load(mp, &m, &err), &err);
    if (m) {
        eo_codec_stats cs;
        eo_fidelity f;
        code_at_step_1(m, "ctx.ecgz", &cs, &f);
        const size_t len = cs.file_bytes;
        double mb, tb;
        CHECK_OK(eo_codec_ae_estimate(m, g_test, (long)llround(10 * g_test->fs_hz), 1.0, &mb, &tb,
                                      &err), &err);
        CHECK_CLOSE(tb, mb, 5e-3, 16);
        double file_bits = 8.0 * (double)len;
        long nseg = (g_test->n_samples + 255) / 256;
        CHECK(file_bits >= mb && file_bits <= mb * 1.01 + 8 * 400 + 64.0 * 4 + 12.0 * nseg);
        printf("  context model: PRDN %.2f %%, CR %.2f, latent bits model %.0f tables %.0f file %.0f\n",
               f.prdn, cs.cr, mb, tb, file_bits);
        /* the block decoder on bytes that are not a coded block (the
         * container's CRCs would stop them first): whatever it returns, it
         * stays inside its tables (ASan in CI), and 0 or -1 */
        const long nb = 2000;
        int32_t *yv = malloc(sizeof(int32_t) * (size_t)nb);
        int32_t *ys[1] = {yv};
        unsigned char junk[700];
        eo_rng jr;
        eo_rng_seed(&jr, 99);
        int ok = 0, bad = 0;
        for (int trial = 0; yv && trial < 40; trial++) {
            size_t jl = 1 + (size_t)eo_rng_below(&jr, sizeof junk);
            for (size_t i = 0; i < jl; i++)
                junk[i] = (unsigned char)eo_rng_below(&jr, 256);
            int rc = eo_ae_decode_block(m, junk, jl, 1, nb, g_test->header->signals, 1.0, ys, &err);
            ok += rc == 0;
            bad += rc == -1;
        }
        CHECK_EQ_INT(ok + bad, 40);
        free(yv);
        eo_codec_ae_destroy(m);
    }
    static const char *const bad[] = {"0.1,0.2", "0.1,x", "1e9,0,0,0,0,0,0,0"};
    refuses_bad_meta(nn, "ae_context", bad, 3, bp);
    eo_nn_destroy(nn);
    eo_codec_ae_destroy(cm);
    unlink(mp);
    unlink(bp);
    rmdir(dir);
}

/* Bad input: a model of another rate-distortion format version, a step
 * outside the trained range, a record at another sampling rate: clear
 * errors, nothing written. */
TEST(bad_inputs)
{
    if (!g_ae)
        return;
    eo_error err;
    char dir[] = "/tmp/eo_ae_rdb_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char mpath[256], bpath[256];
    snprintf(mpath, sizeof mpath, "%s/m.eom", dir);
    snprintf(bpath, sizeof bpath, "%s/future.eom", dir);
    CHECK_OK(eo_codec_ae_save(g_ae, mpath, &err), &err);
    eo_nn *nn = NULL;
    CHECK_OK(eo_nn_load(mpath, &nn, &err), &err);
    if (nn) {
        CHECK_OK(eo_nn_set_meta(nn, "ae_rd", "3", &err), &err);
        CHECK_OK(eo_nn_save(nn, bpath, &err), &err);
        eo_nn_destroy(nn);
        eo_codec_ae *x = NULL;
        CHECK(eo_codec_ae_load(bpath, &x, &err) == EO_STATUS_UNSUPPORTED);
        CHECK(x == NULL && strstr(err.msg, "future.eom") && strstr(err.msg, "version '3'"));
    }
    eo_codec_options o;
    eo_codec_defaults(&o);
    o.mode = EO_CODEC_AE;
    o.ae_model = g_ae;
    unsigned char *buf = NULL;
    size_t len = 0;
    static const double bad_steps[2] = {0.2, 5.0};
    for (int i = 0; i < 2; i++) {
        o.ae_step = bad_steps[i];
        CHECK(eo_codec_encode(g_test, &o, &buf, &len, NULL, &err) == EO_STATUS_OUT_OF_RANGE);
        CHECK(buf == NULL && len == 0 && strstr(err.msg, "outside the model's trained range"));
    }
    /* the same samples claimed at 250 Hz */
    o.ae_step = 1.0;
    double fs = g_test->fs_hz;
    g_test->fs_hz = 250;
    CHECK(eo_codec_encode(g_test, &o, &buf, &len, NULL, &err) == EO_STATUS_USAGE);
    CHECK(buf == NULL && strstr(err.msg, "250 Hz") && strstr(err.msg, "360 Hz"));
    g_test->fs_hz = fs;
    /* target PRDN out of (0, 100) */
    o.ae_step = 0;
    o.target_prdn = 0;
    CHECK(eo_codec_encode(g_test, &o, &buf, &len, NULL, &err) == EO_STATUS_USAGE);
    CHECK(buf == NULL);
    /* bad rate-distortion training options */
    eo_codec_ae_options ao;
    eo_codec_ae_defaults(&ao);
    ao.step_min = 0;
    eo_codec_ae *x = NULL;
    const eo_wfdb_record *recs[1] = {g_train};
    CHECK(eo_codec_ae_train(recs, 1, &ao, &x, &err) == EO_STATUS_USAGE && x == NULL);
    unlink(mpath);
    unlink(bpath);
    rmdir(dir);
}

int main(void)
{
    RUN(rate_gradient_finite_difference);
    RUN(tables_match_estimate);
    RUN(context_model_known_answers);
    g_train = load("101", 360 * 120); /* DS1 */
    g_test = load("100", 360 * 30);   /* DS2 */
    CHECK(g_train && g_test);
    if (g_train)
        g_ae = tiny_rd(g_train);
    RUN(round_trip_target_prdn);
    RUN(no_attention_arm);
    RUN(context_model_round_trip);
    RUN(bad_inputs);
    eo_codec_ae_destroy(g_ae);
    eo_wfdb_record_destroy(g_train);
    eo_wfdb_record_destroy(g_test);
    TEST_END();
}
