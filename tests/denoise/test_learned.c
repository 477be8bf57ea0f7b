/* The learned denoiser's plumbing on small random networks: streamed windows
 * equal one pass over the whole signal (no seams), resampling, inputs shorter
 * than the receptive field, flat lines, NaN stretches, bad model files, and
 * the built-in model on a noisy record stretch. */
#include "eo_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "ecgopt/denoise.h"
#include "ecgopt/resample.h"
#include "ecgopt/nn.h"
#include "ecgopt/rng.h"
#include "ecgopt/util.h"

#define SPEC "conv(4,9) relu conv(4,9,dilation=2) relu conv(1,9)"
#define MARGIN 16 /* 4 (1 + 2 + 1) */

static eo_nn *random_net_seeded(int length, const char *margin, uint64_t seed)
{
    eo_nn *nn = NULL;
    eo_error err;
    if (eo_nn_from_spec(SPEC, 1, length, &nn, &err))
        return NULL;
    eo_rng r;
    eo_rng_seed(&r, seed);
    eo_nn_init(nn, EO_NN_INIT_TORCH, &r);
    if (eo_nn_set_meta(nn, "denoise_fs", "360", &err) ||
        (margin && eo_nn_set_meta(nn, "denoise_margin", margin, &err))) {
        eo_nn_destroy(nn);
        return NULL;
    }
    return nn;
}

static eo_nn *random_net(int length, const char *margin) { return random_net_seeded(length, margin, 7); }

static void signal_(double *x, size_t n, double fs, uint64_t seed)
{
    eo_rng r;
    eo_rng_seed(&r, seed);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / fs;
        x[i] = sin(2 * M_PI * 1.2 * t) + 0.3 * sin(2 * M_PI * 0.2 * t) + 0.05 * eo_rng_normal(&r);
    }
}

/* The network applied to the whole signal in one pass: what the streamed
 * windows must reproduce everywhere but within the receptive-field margin of
 * the ends (there the one pass pads every layer with zeros, the stream pads
 * only the input). */
static void one_pass(eo_nn *proto, const double *x, size_t n, double *y)
{
    eo_nn *big = NULL;
    eo_error err;
    CHECK_OK(eo_nn_from_spec(SPEC, 1, (int)n, &big, &err), &err);
    size_t na = 0, nb = 0;
    float *src = eo_nn_params(proto, &na), *dst = eo_nn_params(big, &nb);
    CHECK(na == nb);
    memcpy(dst, src, na * sizeof *dst);
    eo_baseline_options bo;
    eo_baseline_defaults(&bo);
    double *p = malloc(n * sizeof *p);
    float *in = malloc(n * sizeof *in);
    CHECK_OK(eo_baseline_remove(x, n, 360.0, &bo, p, NULL, &err), &err);
    for (size_t i = 0; i < n; i++)
        in[i] = (float)p[i];
    const float *out = NULL;
    CHECK_OK(eo_nn_infer(big, in, 1, &out, &err), &err);
    for (size_t i = 0; i < n; i++)
        y[i] = p[i] - out[i];
    free(p);
    free(in);
    eo_nn_destroy(big);
}

TEST(streamed_windows_have_no_seams)
{
    enum { N = 10000 }; /* three 4096-sample windows */
    static double x[N], y[N], ref[N];
    signal_(x, N, 360.0, 1);
    eo_nn *nn = random_net(256, "16");
    CHECK(nn != NULL);
    eo_denoise_model *m = NULL;
    eo_error err;
    CHECK_OK(eo_denoise_model_from_nn(nn, "test", &m, &err), &err);
    CHECK_EQ_INT(eo_denoise_model_margin(m), MARGIN);
    CHECK_CLOSE(eo_denoise_model_fs(m), 360.0, 0, 0);
    CHECK_OK(eo_denoise_model_apply(m, x, N, 360.0, NULL, y, &err), &err);
    one_pass(nn, x, N, ref);
    double worst = 0;
    for (size_t i = MARGIN; i < N - MARGIN; i++)
        worst = fmax(worst, fabs(y[i] - ref[i]));
    CHECK_MSG(worst < 1e-5, "streamed vs one pass: max difference %.3g", worst);
    /* the check can fail: a model claiming a too-small receptive field shows
     * its window edges */
    eo_denoise_model_destroy(m);
    eo_nn_destroy(nn);
    nn = random_net(256, "4");
    CHECK_OK(eo_denoise_model_from_nn(nn, "test", &m, &err), &err);
    CHECK_OK(eo_denoise_model_apply(m, x, N, 360.0, NULL, y, &err), &err);
    worst = 0;
    for (size_t i = MARGIN; i < N - MARGIN; i++)
        worst = fmax(worst, fabs(y[i] - ref[i]));
    CHECK_MSG(worst > 1e-4, "a wrong margin went unnoticed (%.3g)", worst);
    eo_denoise_model_destroy(m);
    eo_nn_destroy(nn);
}

TEST(other_rates_are_resampled)
{
    /* resampling round trip of a band-limited signal */
    enum { N = 2500 };
    static double x[N];
    for (size_t i = 0; i < N; i++)
        x[i] = sin(2 * M_PI * 5.0 * i / 250.0) + 0.5 * cos(2 * M_PI * 17.0 * i / 250.0);
    double *u = NULL, *v = NULL;
    size_t nu = 0, nv = 0;
    eo_error err;
    CHECK_OK(eo_resample(x, N, 250.0, 360.0, &u, &nu, &err), &err);
    CHECK_EQ_INT(nu, 3600);
    /* a known value: 360 Hz sample 720 is t = 2 s */
    CHECK_CLOSE(u[720], sin(2 * M_PI * 10.0) + 0.5 * cos(2 * M_PI * 34.0), 1e-3, 0);
    CHECK_OK(eo_resample(u, nu, 360.0, 250.0, &v, &nv, &err), &err);
    CHECK_EQ_INT(nv, N);
    double worst = 0;
    for (size_t i = 100; i < N - 100; i++)
        worst = fmax(worst, fabs(v[i] - x[i]));
    /* eo_resample is scipy's resample_poly design (Kaiser beta 5): about 1e-3
     * passband ripple per pass, so a round trip stays within 3e-3 */
    CHECK_MSG(worst < 3e-3, "round trip error %.3g", worst);
    free(u);
    free(v);
    /* a 250 Hz record through a 360 Hz model: as long as the input, and the
     * same as resampling by hand around the 360 Hz call */
    eo_nn *nn = random_net(256, "16");
    eo_denoise_model *m = NULL;
    CHECK_OK(eo_denoise_model_from_nn(nn, "test", &m, &err), &err);
    static double y[N];
    CHECK_OK(eo_denoise_model_apply(m, x, N, 250.0, NULL, y, &err), &err);
    CHECK_OK(eo_resample(x, N, 250.0, 360.0, &u, &nu, &err), &err);
    double *w = malloc(nu * sizeof *w);
    CHECK_OK(eo_denoise_model_apply(m, u, nu, 360.0, NULL, w, &err), &err);
    CHECK_OK(eo_resample(w, nu, 360.0, 250.0, &v, &nv, &err), &err);
    for (size_t i = 0; i < N; i++)
        CHECK_CLOSE(y[i], v[i], 1e-9, 0);
    free(u);
    free(v);
    free(w);
    eo_denoise_model_destroy(m);
    eo_nn_destroy(nn);
}

TEST(short_flat_and_nan_inputs)
{
    eo_nn *nn = random_net(256, "16");
    eo_denoise_model *m = NULL;
    eo_error err;
    CHECK_OK(eo_denoise_model_from_nn(nn, "test", &m, &err), &err);
    eo_denoise_options o;
    eo_denoise_defaults(&o);
    o.method = EO_DENOISE_LEARNED;
    o.model = m;
    /* shorter than the receptive field (33 samples): one window, the input
     * zero-padded as at any record's ends; no error, finite output */
    double x[20], y[20];
    signal_(x, 20, 360.0, 3);
    CHECK_OK(eo_denoise(x, 20, 360.0, &o, y, NULL, &err), &err);
    for (int i = 0; i < 20; i++)
        CHECK(isfinite(y[i]));
    /* a flat line stays flat (the median baseline takes it all; the network
     * then sees zeros everywhere, padding included) */
    enum { N = 5000 };
    static double f[N], g[N];
    for (size_t i = 0; i < N; i++)
        f[i] = 0.7;
    CHECK_OK(eo_denoise(f, N, 360.0, &o, g, NULL, &err), &err);
    double lo = g[0], hi = g[0];
    for (size_t i = 0; i < N; i++) {
        lo = fmin(lo, g[i]);
        hi = fmax(hi, g[i]);
    }
    CHECK_MSG(hi - lo < 1e-6, "flat input gave a %.3g range", hi - lo);
    /* a NaN stretch is refused with its sample range */
    for (size_t i = 100; i < 200; i++)
        f[i] = NAN;
    CHECK_EQ_INT(eo_denoise(f, N, 360.0, &o, g, NULL, &err), EO_STATUS_NUMERIC);
    CHECK_MSG(strstr(err.msg, "samples 100-199") != NULL, "message: %s", err.msg);
    eo_denoise_model_destroy(m);
    eo_nn_destroy(nn);
}

/* The high-pass pre-step: the network sees the zero-phase 0.5 Hz
 * high-passed signal (a flat line becomes zeros and stays flat). */
TEST(highpass_pre_step)
{
    enum { N = 6000 };
    static double x[N], y[N], p[N], ref[N];
    signal_(x, N, 360.0, 9);
    eo_nn *nn = random_net(256, "16");
    eo_error err;
    CHECK_OK(eo_nn_set_meta(nn, "denoise_pre", "highpass", &err), &err);
    eo_denoise_model *m = NULL;
    CHECK_OK(eo_denoise_model_from_nn(nn, "hp", &m, &err), &err);
    CHECK_OK(eo_denoise_model_apply(m, x, N, 360.0, NULL, y, &err), &err);
    /* by hand: high-pass, then the network in one pass */
    CHECK_OK(eo_denoise_highpass_ref(x, N, 360.0, p, &err), &err);
    eo_nn *big = NULL;
    CHECK_OK(eo_nn_from_spec(SPEC, 1, N, &big, &err), &err);
    size_t na = 0, nb = 0;
    float *src = eo_nn_params(nn, &na), *dst = eo_nn_params(big, &nb);
    memcpy(dst, src, na * sizeof *dst);
    static float in[N];
    for (size_t i = 0; i < N; i++)
        in[i] = (float)p[i];
    const float *out = NULL;
    CHECK_OK(eo_nn_infer(big, in, 1, &out, &err), &err);
    for (size_t i = MARGIN; i < N - MARGIN; i++)
        ref[i] = p[i] - out[i];
    double worst = 0;
    for (size_t i = MARGIN; i < N - MARGIN; i++)
        worst = fmax(worst, fabs(y[i] - ref[i]));
    CHECK_MSG(worst < 1e-5, "high-pass pre-step: max difference %.3g", worst);
    for (size_t i = 0; i < N; i++)
        x[i] = -1.5;
    CHECK_OK(eo_denoise_model_apply(m, x, N, 360.0, NULL, y, &err), &err);
    double lo = y[0], hi = y[0];
    for (size_t i = 0; i < N; i++) {
        lo = fmin(lo, y[i]);
        hi = fmax(hi, y[i]);
    }
    CHECK_MSG(hi - lo < 1e-6, "flat input through the high-pass model: range %.3g", hi - lo);
    eo_nn_destroy(big);
    eo_denoise_model_destroy(m);
    eo_nn_destroy(nn);
}

TEST(bad_models)
{
    eo_error err;
    eo_denoise_model *m = NULL;
    /* no denoise metadata */
    eo_nn *nn = random_net(256, NULL);
    CHECK_EQ_INT(eo_denoise_model_from_nn(nn, "plain.eom", &m, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "plain.eom") && strstr(err.msg, "denoise_margin"));
    eo_nn_destroy(nn);
    /* a classifier is not a denoiser */
    CHECK_OK(eo_nn_from_spec("conv(4,5) relu gap dense(3)", 1, 64, &nn, &err), &err);
    CHECK_OK(eo_nn_set_meta(nn, "denoise_fs", "360", &err), &err);
    CHECK_OK(eo_nn_set_meta(nn, "denoise_margin", "2", &err), &err);
    CHECK_EQ_INT(eo_denoise_model_from_nn(nn, "cls.eom", &m, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "1 x L") != NULL);
    eo_nn_destroy(nn);
    /* an unknown pre-step */
    nn = random_net(256, "16");
    CHECK_OK(eo_nn_set_meta(nn, "denoise_pre", "kalman", &err), &err);
    CHECK_EQ_INT(eo_denoise_model_from_nn(nn, "pre.eom", &m, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "kalman") != NULL);
    eo_nn_destroy(nn);
    CHECK(eo_denoise_model_load("/nonexistent/m.eom", &m, &err) != EO_STATUS_OK);
    CHECK(strstr(err.msg, "/nonexistent/m.eom") != NULL);
}

/* The built-in model (models/denoise-dcnn.eom) on MIT-BIH 100 (DS2, never
 * trained on) plus NSTDB ma channel 1 at 0 dB: it must beat the median
 * method it starts from by a clear margin. */
TEST(builtin_model_denoises)
{
    eo_denoise_model *m = NULL;
    eo_error err;
    if (eo_denoise_model_default(&m, &err) == EO_STATUS_NOT_FOUND) {
        printf("     skipped: %s\n", err.msg);
        return;
    }
    CHECK_OK(EO_STATUS_OK, &err);
    CHECK_CLOSE(eo_denoise_model_fs(m), 360.0, 0, 0);
    double *c = NULL, *nz = NULL, fs = 0;
    size_t nc = 0, nn = 0;
    if (eo_denoise_load_lead(EO_TEST_DATA_DIR, "mitdb/100", "MLII", 0, &c, &nc, &fs, &err) ||
        eo_denoise_load_lead(EO_TEST_DATA_DIR, "nstdb/ma", NULL, 1, &nz, &nn, &fs, &err)) {
        printf("     skipped: %s\n", err.msg);
        eo_denoise_model_destroy(m);
        return;
    }
    enum { N = 3600 * 2 };
    static double x[N], ch[N], y[N], ym[N];
    const size_t off = 60 * 360;
    CHECK_OK(eo_denoise_highpass_ref(c + off, N, 360.0, ch, &err), &err);
    double pc = 0, pn = 0;
    for (size_t i = 0; i < N; i++) {
        pc += ch[i] * ch[i];
        pn += nz[off + i] * nz[off + i];
    }
    double a = sqrt(pc / pn);
    for (size_t i = 0; i < N; i++)
        x[i] = c[off + i] + a * nz[off + i];
    CHECK_OK(eo_denoise_model_apply(m, x, N, 360.0, NULL, y, &err), &err);
    eo_denoise_options o;
    eo_denoise_defaults(&o);
    o.method = EO_DENOISE_MEDIAN;
    CHECK_OK(eo_denoise(x, N, 360.0, &o, ym, NULL, &err), &err);
    double el = 0, em = 0;
    for (size_t i = 360; i < N - 360; i++) {
        el += (y[i] - ch[i]) * (y[i] - ch[i]);
        em += (ym[i] - ch[i]) * (ym[i] - ch[i]);
    }
    double gain = 10 * log10(em / el);
    printf("     built-in model vs median on 100 + ma 0 dB: %.2f dB better\n", gain);
    CHECK_MSG(gain > 3.0, "learned only %.2f dB better than median", gain);
    free(c);
    free(nz);
    eo_denoise_model_destroy(m);
}

/* A 12-s flat stretch (leads off) inside a real record stays flat: the
 * template gives no waves of other beats to a stretch without beats
 * (max deviation 2.6 uV when written; 19.6 uV before the template's reach
 * was limited). */
TEST(builtin_model_keeps_a_flat_stretch_flat)
{
    eo_denoise_model *m = NULL;
    eo_error err;
    if (eo_denoise_model_default(&m, &err) == EO_STATUS_NOT_FOUND) {
        printf("     skipped: %s\n", err.msg);
        return;
    }
    double *c = NULL, fs = 0;
    size_t nc = 0;
    if (eo_denoise_load_lead(EO_TEST_DATA_DIR, "mitdb/100", "MLII", 0, &c, &nc, &fs, &err)) {
        printf("     skipped: %s\n", err.msg);
        eo_denoise_model_destroy(m);
        return;
    }
    enum { N = 60 * 360 };
    static double x[N], y[N];
    for (size_t i = 0; i < N; i++)
        x[i] = (i >= 20 * 360 && i < 32 * 360) ? c[20 * 360] : c[i];
    CHECK_OK(eo_denoise_model_apply(m, x, N, 360.0, NULL, y, &err), &err);
    double mean = 0, dev = 0;
    const size_t a = (size_t)(21.5 * 360), b = (size_t)(30.5 * 360);
    for (size_t i = a; i < b; i++)
        mean += y[i];
    mean /= (double)(b - a);
    for (size_t i = a; i < b; i++)
        dev = fmax(dev, fabs(y[i] - mean));
    printf("     flat stretch: max deviation %.1f uV\n", 1000 * dev);
    CHECK_MSG(dev < 0.008, "the flat stretch got %.1f uV of structure", 1000 * dev);
    free(c);
    eo_denoise_model_destroy(m);
}

/* The defaults with the small test network on a few 128-sample windows */
static void tiny_training(eo_denoise_train_options *o)
{
    eo_denoise_train_defaults(o);
    o->data_dir = EO_TEST_DATA_DIR;
    o->spec = SPEC;
    o->margin = MARGIN;
    o->window = 128;
    o->n_train = 8;
    o->n_val = 4;
    o->threads = 1;
}

/* Training options are checked before any data is read; stage 2 starts from
 * the given network (init) and runs on the data when it is there. */
TEST(train_stage2_from_init)
{
    eo_error err;
    eo_denoise_train_options o;
    eo_nn *out = NULL;
    eo_denoise_train_defaults(&o);
    CHECK(o.peak_frac == 0 && o.peak_min == 0.2 && o.peak_max == 2.0 && o.ft_epochs == 6 &&
          o.ft_windows == 24000 && o.ft_lr == 1e-3 && o.ft_peak_frac == 0.5 && o.n_train == 48000 &&
          o.template_side == 16 && o.noise_holdout == 0.2 && o.noise_stretch == 0 &&
          o.template_select == EO_TEMPLATE_ALL);
    o.data_dir = "/nonexistent";
    o.peak_frac = 1.5;
    CHECK_EQ_INT(eo_denoise_train(&o, &out, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    o.peak_frac = 0.5;
    o.ft_epochs = 2;
    o.ft_lr = 0;
    CHECK_EQ_INT(eo_denoise_train(&o, &out, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    o.ft_lr = 1e-3;
    o.ft_peak_frac = -0.1;
    CHECK_EQ_INT(eo_denoise_train(&o, &out, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(out == NULL);
    o.ft_peak_frac = 0.5;
    o.noise_stretch = 5; /* more than 4x faster or slower */
    CHECK_EQ_INT(eo_denoise_train(&o, &out, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    o.noise_stretch = 1.5;
    o.noise_holdout = 0.6; /* over half of the noise kept from training */
    CHECK_EQ_INT(eo_denoise_train(&o, &out, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    o.noise_holdout = 0.2;
    o.template_side = 17;
    CHECK_EQ_INT(eo_denoise_train(&o, &out, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    o.template_side = 16;
    o.peak_em = 1.2;
    CHECK_EQ_INT(eo_denoise_train(&o, &out, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    o.peak_em = 0;
    o.template_select = 2;
    CHECK_EQ_INT(eo_denoise_train(&o, &out, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(out == NULL);
    /* stage 2 alone from a random network at a learning rate too small to
     * move it: the weights are the init's (not a fresh He draw) */
    eo_nn *init = random_net(128, "16");
    tiny_training(&o);
    o.init = init;
    o.ft_epochs = 1;
    o.ft_windows = 8;
    o.ft_lr = 1e-12;
    o.ft_peak_frac = 1;
    o.noise_stretch = 1.5;
    o.noise_holdout = 0.25;
    o.template_side = 0; /* the one-input network of random_net */
    eo_denoise_train_report rep;
    eo_status st = eo_denoise_train(&o, &out, &rep, &err);
    if (st == EO_STATUS_NOT_FOUND) {
        printf("     skipped: %s\n", err.msg);
        eo_nn_destroy(init);
        return;
    }
    CHECK_OK(st, &err);
    if (out) {
        size_t na = 0, nb = 0;
        const float *a = eo_nn_params(init, &na), *b = eo_nn_params(out, &nb);
        CHECK_EQ_INT(na, nb);
        double d = 0;
        for (size_t i = 0; i < na && na == nb; i++)
            d = fmax(d, fabs((double)a[i] - b[i]));
        CHECK_MSG(d < 1e-6, "stage 2 moved the init by %g", d);
        CHECK_EQ_INT(rep.epochs_run, 1);
        CHECK(isfinite(rep.best_val_loss) && rep.val_loss_median > 0);
        char meta[512];
        CHECK(eo_nn_meta(out, "denoise_training", meta, sizeof meta) == 0);
        CHECK(strstr(meta, "stage2=8x1") != NULL);
        CHECK(strstr(meta, "stretch=1.5 holdout=0.25") != NULL);
    }
    eo_nn_destroy(out);
    eo_nn_destroy(init);
}

/* A template network (2 inputs: signal and beat template) trains on a few
 * windows, records its template width in the model, loads as a denoising
 * model that computes the template itself, and streams with no seams
 * against one pass over the whole signal with the same template. */
static void template_model_check(int spread)
{
    eo_error err;
    eo_denoise_train_options o;
    tiny_training(&o);
    o.epochs = 1;
    o.ft_epochs = 0;
    o.template_side = 3;
    o.template_select = EO_TEMPLATE_SIMILAR;
    o.template_spread = spread;
    eo_nn *nn = NULL;
    eo_status st = eo_denoise_train(&o, &nn, NULL, &err);
    if (st == EO_STATUS_NOT_FOUND) {
        printf("     skipped: %s\n", err.msg);
        return;
    }
    CHECK_OK(st, &err);
    if (!nn)
        return;
    /* a window whose context the noise records cannot hold ten times over
     * (the em-like noise reads bw at up to 10x speed) is refused, not read
     * past the record's end */
    eo_denoise_train_options big = o;
    big.window = 65536;
    eo_nn *none = NULL;
    CHECK_EQ_INT(eo_denoise_train(&big, &none, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "too long for the noise records") != NULL && none == NULL);
    int c = 0, l = 0;
    eo_nn_input_shape(nn, &c, &l);
    CHECK_EQ_INT(c, spread ? 3 : 2);
    char meta[64];
    CHECK(eo_nn_meta(nn, "denoise_template", meta, sizeof meta) == 0 && strcmp(meta, "3") == 0);
    /* the selection is written down, so the model applies it */
    CHECK(eo_nn_meta(nn, "denoise_template_select", meta, sizeof meta) == 0 &&
          strcmp(meta, "similar") == 0);
    CHECK(spread ? eo_nn_meta(nn, "denoise_template_spread", meta, sizeof meta) == 0 && strcmp(meta, "1") == 0
                 : eo_nn_meta(nn, "denoise_template_spread", meta, sizeof meta) != 0);
    eo_denoise_model *m = NULL;
    CHECK_OK(eo_denoise_model_from_nn(nn, "tiny", &m, &err), &err);
    /* a synthetic beat train (1.2 Hz) with noise, 10,000 samples */
    enum { N = 10000 };
    static double x[N], y[N], p[N], t[N], sp[N], ref[N];
    eo_rng r;
    eo_rng_seed(&r, 5);
    for (int i = 0; i < N; i++) {
        double ph = fmod((double)i / 300.0, 1.0);
        x[i] = exp(-0.5 * (ph - 0.3) * (ph - 0.3) / 1e-4) + 0.1 * (eo_rng_uniform(&r) - 0.5);
    }
    CHECK_OK(eo_denoise_model_apply(m, x, N, 360.0, NULL, y, &err), &err);
    /* the same by hand: pre-step, template, one pass of the network over
     * the whole signal (input length N) */
    CHECK_OK(eo_denoise_pre(EO_DENOISE_PRE_HIGHPASS, x, N, 360.0, NULL, p, &err), &err);
    CHECK_OK(eo_denoise_beat_template(p, N, 360.0, 3, EO_TEMPLATE_SIMILAR, t, sp, &err), &err);
    eo_nn *whole = NULL;
    CHECK_OK(eo_nn_from_spec(eo_nn_spec(nn), spread ? 3 : 2, N, &whole, &err), &err);
    if (whole) {
        size_t na = 0, nb = 0;
        const float *src = eo_nn_params(nn, &na);
        float *dst = eo_nn_params(whole, &nb);
        CHECK_EQ_INT(na, nb);
        memcpy(dst, src, na * sizeof *dst);
        static float in[3 * N];
        for (int i = 0; i < N; i++) {
            in[i] = (float)p[i];
            in[N + i] = (float)t[i];
            in[2 * N + i] = (float)sp[i];
        }
        const float *out = NULL;
        CHECK_OK(eo_nn_infer(whole, in, 1, &out, &err), &err);
        double worst = 0;
        for (int i = 0; out && i < N; i++) {
            ref[i] = p[i] - out[i];
            if (i >= MARGIN && i < N - MARGIN)
                worst = fmax(worst, fabs(ref[i] - y[i]));
        }
        CHECK_MSG(worst < 1e-4, "streamed template model differs from one pass by %g", worst);
        eo_nn_destroy(whole);
    }
    eo_denoise_model_destroy(m);
    eo_nn_destroy(nn);
}

TEST(template_model_trains_and_applies) { template_model_check(0); }

/* the same with the third input, the template's spread */
TEST(spread_model_trains_and_applies) { template_model_check(1); }

/* Two small denoising models saved in a fresh folder (the second at
 * fs_b Hz) and the path an ensemble of them goes to */
typedef struct {
    char dir[32], a[128], b[128], e[128];
    eo_nn *na, *nb;
} ens_files;

static void ens_files_make(ens_files *f, const char *fs_b)
{
    eo_error err;
    snprintf(f->dir, sizeof f->dir, "/tmp/eo_dn_ens_XXXXXX");
    CHECK(mkdtemp(f->dir) != NULL);
    snprintf(f->a, sizeof f->a, "%s/a.eom", f->dir);
    snprintf(f->b, sizeof f->b, "%s/b.eom", f->dir);
    snprintf(f->e, sizeof f->e, "%s/e.eom", f->dir);
    f->na = random_net_seeded(256, "16", 7);
    f->nb = random_net_seeded(256, "16", 8);
    CHECK(f->na && f->nb);
    CHECK_OK(eo_nn_save(f->na, f->a, &err), &err);
    CHECK_OK(eo_nn_set_meta(f->nb, "denoise_fs", fs_b, &err), &err);
    CHECK_OK(eo_nn_save(f->nb, f->b, &err), &err);
}

static void ens_files_remove(ens_files *f)
{
    eo_nn_destroy(f->na);
    eo_nn_destroy(f->nb);
    remove(f->a);
    remove(f->b);
    remove(f->e);
    remove(f->dir);
}

/* An ensemble file of two networks: its output is the mean of theirs (y =
 * p - (r1 + r2) / 2), at the model's rate and at another; it survives the
 * round trip through the file. */
TEST(ensemble_is_the_mean_of_its_members)
{
    ens_files f;
    ens_files_make(&f, "360");
    const char *a = f.a, *b = f.b, *e = f.e;
    eo_error err;
    const char *members[2] = {a, b};
    CHECK_OK(eo_denoise_ensemble_write(members, 2, e, &err), &err);
    eo_denoise_model *ma = NULL, *mb = NULL, *me = NULL;
    CHECK_OK(eo_denoise_model_load(a, &ma, &err), &err);
    CHECK_OK(eo_denoise_model_load(b, &mb, &err), &err);
    CHECK_OK(eo_denoise_model_load(e, &me, &err), &err);
    CHECK_EQ_INT(eo_denoise_model_members(ma), 1);
    CHECK_EQ_INT(eo_denoise_model_members(me), 2);
    CHECK_EQ_INT(eo_denoise_model_margin(me), 16);
    const double rates[2] = {360.0, 250.0};
    for (int k = 0; k < 2; k++) {
        enum { N = 5000 };
        static double x[N], ya[N], yb[N], ye[N];
        signal_(x, N, rates[k], 11);
        CHECK_OK(eo_denoise_model_apply(ma, x, N, rates[k], NULL, ya, &err), &err);
        CHECK_OK(eo_denoise_model_apply(mb, x, N, rates[k], NULL, yb, &err), &err);
        CHECK_OK(eo_denoise_model_apply(me, x, N, rates[k], NULL, ye, &err), &err);
        double dmax = 0, dab = 0;
        for (size_t i = 0; i < N; i++) {
            dmax = fmax(dmax, fabs(ye[i] - 0.5 * (ya[i] + yb[i])));
            dab = fmax(dab, fabs(ya[i] - yb[i]));
        }
        printf("     %g Hz: |ensemble - mean| %.2g, |a - b| %.2g\n", rates[k], dmax, dab);
        CHECK(dab > 1e-3);   /* the members differ, so the mean means something */
        CHECK(dmax < 1e-9);
    }
    /* the writer refuses a member that is itself an ensemble */
    const char *nested[2] = {a, e};
    CHECK_EQ_INT(eo_denoise_ensemble_write(nested, 2, b, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, e) != NULL);
    eo_denoise_model_destroy(ma);
    eo_denoise_model_destroy(mb);
    eo_denoise_model_destroy(me);
    ens_files_remove(&f);
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* the CRC-32 at the end of an edited ensemble made right again */
static void fix_crc(unsigned char *d, size_t n) { put32(d + n - 4, eo_crc32(0, d, n - 4)); }

/* Truncated, corrupted, a future version, no members, trailing bytes, a
 * member at another rate: each refused naming the file, nothing loaded. */
TEST(bad_ensembles)
{
    ens_files f;
    ens_files_make(&f, "250");
    const char *a = f.a, *b = f.b, *e = f.e;
    eo_error err;
    const char *members[2] = {a, b};
    /* another rate: the writer checks the whole ensemble and writes nothing */
    CHECK_EQ_INT(eo_denoise_ensemble_write(members, 2, e, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "250 Hz") && strstr(err.msg, "member 2"));
    FILE *fp = fopen(e, "rb");
    CHECK(fp == NULL);
    if (fp)
        fclose(fp);
    members[1] = a;
    CHECK_OK(eo_denoise_ensemble_write(members, 2, e, &err), &err);
    unsigned char *d = NULL;
    size_t n = 0;
    CHECK_OK(eo_read_file(e, &d, &n, &err), &err);
    unsigned char *w = malloc(n + 8);
    CHECK(w != NULL);
    eo_denoise_model *m = NULL;
    /* truncated: the checksum */
    CHECK_EQ_INT(eo_denoise_model_load_mem(d, n - 100, "t.eom", &m, &err), EO_STATUS_BAD_CHECKSUM);
    CHECK(strstr(err.msg, "t.eom") && strstr(err.msg, "checksum"));
    CHECK_EQ_INT(eo_denoise_model_load_mem(d, 12, "t.eom", &m, &err), EO_STATUS_BAD_FORMAT);
    /* a future version */
    memcpy(w, d, n);
    put32(w + 8, 2);
    fix_crc(w, n);
    CHECK_EQ_INT(eo_denoise_model_load_mem(w, n, "v.eom", &m, &err), EO_STATUS_UNSUPPORTED);
    CHECK(strstr(err.msg, "version 2") != NULL);
    /* no members, or more members than the file holds */
    memcpy(w, d, n);
    put32(w + 12, 0);
    fix_crc(w, n);
    CHECK_EQ_INT(eo_denoise_model_load_mem(w, n, "z.eom", &m, &err), EO_STATUS_BAD_FORMAT);
    put32(w + 12, 3);
    fix_crc(w, n);
    CHECK_EQ_INT(eo_denoise_model_load_mem(w, n, "z.eom", &m, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "member 3") != NULL);
    /* a member length past the end */
    memcpy(w, d, n);
    put32(w + 16, (uint32_t)n);
    fix_crc(w, n);
    CHECK_EQ_INT(eo_denoise_model_load_mem(w, n, "l.eom", &m, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "member 1") != NULL);
    /* bytes after the last member */
    memcpy(w, d, n - 4);
    memset(w + n - 4, 0, 8);
    fix_crc(w, n + 4);
    CHECK_EQ_INT(eo_denoise_model_load_mem(w, n + 4, "x.eom", &m, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "after the last member") != NULL);
    CHECK(m == NULL);
    /* and the file itself still loads */
    CHECK_OK(eo_denoise_model_load_mem(d, n, "ok.eom", &m, &err), &err);
    eo_denoise_model_destroy(m);
    free(w);
    free(d);
    ens_files_remove(&f);
}

int main(void)
{
    RUN(streamed_windows_have_no_seams);
    RUN(other_rates_are_resampled);
    RUN(short_flat_and_nan_inputs);
    RUN(highpass_pre_step);
    RUN(bad_models);
    RUN(ensemble_is_the_mean_of_its_members);
    RUN(bad_ensembles);
    RUN(builtin_model_denoises);
    RUN(builtin_model_keeps_a_flat_stretch_flat);
    RUN(train_stage2_from_init);
    RUN(template_model_trains_and_applies);
    RUN(spread_model_trains_and_applies);
    TEST_END();
}
