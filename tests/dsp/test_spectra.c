/* dsp spectra against NumPy/SciPy 1.10 (tests/fixtures/dsp/gen_fixtures.py):
 * FFT, analytic signal (scipy.signal.hilbert) for even, odd and tiny
 * lengths, Welch PSD (defaults, custom, nperseg > n), envelope entropy and
 * its mean over modes; known answers and bad input. */
#include "eo_test.h"

#include <pthread.h>

#include "dsp_fixture.h"
#include "ecgopt/dsp.h"

static fx_file F;

TEST(fft_matches_numpy)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x"), *r = fx_get(&F, "fft_1000");
    CHECK(x && r);
    if (!x || !r) return;
    eo_fft *f = NULL;
    CHECK_OK(eo_fft_create(1000, &f, &err), &err);
    if (!f) return;
    double *in = malloc(4000 * sizeof *in), *out = malloc(4000 * sizeof *out);
    for (int i = 0; i < 1000; i++) {
        in[2 * i] = x->v[i];
        in[2 * i + 1] = x->v[1000 + i];
    }
    CHECK_OK(eo_fft_c2c(f, in, out, -1, &err), &err);
    CHECK(fx_relerr(out, r->v, 2000) < 1e-12);
    /* backward of forward is n * identity */
    CHECK_OK(eo_fft_c2c(f, out, out, +1, &err), &err);
    for (int i = 0; i < 2000; i++) out[i] /= 1000;
    CHECK(fx_relerr(out, in, 2000) < 1e-13);
    /* r2c equals the first half of the complex transform of a real signal */
    CHECK_OK(eo_fft_r2c(f, x->v, out, &err), &err);
    for (int i = 0; i < 1000; i++) in[2 * i] = x->v[i], in[2 * i + 1] = 0;
    CHECK_OK(eo_fft_c2c(f, in, in, -1, &err), &err);
    CHECK(fx_relerr(out, in, 2 * 501) < 1e-13);
    CHECK_EQ_INT(eo_fft_c2c(f, in, out, 0, &err), EO_STATUS_USAGE);
    CHECK_EQ_INT(eo_fft_len(f), 1000);
    eo_fft_destroy(f);
    eo_fft_destroy(NULL);
    CHECK_EQ_INT(eo_fft_create(0, &f, &err), EO_STATUS_OUT_OF_RANGE);
    free(in);
    free(out);
}

TEST(hilbert_matches_scipy)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x");
    size_t ns[3] = {1000, 1001, 7};
    for (int t = 0; t < 3 && x; t++) {
        char k[32];
        snprintf(k, sizeof k, "hilbert_%zu", ns[t]);
        const fx_rec *r = fx_get(&F, k);
        CHECK(r && r->n == 2 * ns[t]);
        if (!r || r->n != 2 * ns[t]) continue;
        double *z = malloc(2 * ns[t] * sizeof *z), *env = malloc(ns[t] * sizeof *env);
        CHECK_OK(eo_hilbert(x->v, ns[t], NULL, z, &err), &err);
        double e = fx_relerr(z, r->v, 2 * ns[t]);
        CHECK_MSG(e < 1e-12, "n=%zu rel err %g", ns[t], e);
        /* with a reused plan, and the envelope */
        eo_fft *f = NULL;
        CHECK_OK(eo_fft_create(ns[t], &f, &err), &err);
        CHECK_OK(eo_envelope(x->v, ns[t], f, env, &err), &err);
        int ok = 1;
        for (size_t i = 0; i < ns[t]; i++)
            ok &= fabs(env[i] - hypot(r->v[2 * i], r->v[2 * i + 1])) < 1e-12;
        CHECK(ok);
        CHECK_EQ_INT(eo_hilbert(x->v, ns[t] + 1, f, z, &err), EO_STATUS_USAGE);
        eo_fft_destroy(f);
        free(z);
        free(env);
    }
    /* known answer: the envelope of cos is 1 (whole periods) */
    double c[64], env[64];
    for (int i = 0; i < 64; i++) c[i] = cos(2 * M_PI * 4 * i / 64.0);
    CHECK_OK(eo_envelope(c, 64, NULL, env, &err), &err);
    for (int i = 0; i < 64; i++) CHECK_CLOSE(env[i], 1.0, 0, 1e-13);
}

TEST(welch_matches_scipy)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x"), *rf = fx_get(&F, "welch_f"), *rp = fx_get(&F, "welch_p");
    CHECK(x && rf && rp);
    if (!x || !rf || !rp) return;
    eo_welch_options o;
    eo_welch_defaults(&o);
    size_t nf = eo_welch_nfreq(x->n, &o);
    CHECK_EQ_INT(nf, 129);
    CHECK_EQ_INT(rp->n, 129);
    double f[600], p[600];
    CHECK_OK(eo_welch(x->v, x->n, 360.0, &o, f, p, &err), &err);
    CHECK(fx_relerr(f, rf->v, nf) < 1e-14);
    CHECK_MSG(fx_relerr(p, rp->v, nf) < 1e-10, "rel err %g", fx_relerr(p, rp->v, nf));
    const fx_rec *r2 = fx_get(&F, "welch2_p");
    o.nperseg = 500;
    o.noverlap = 100;
    o.nfft = 1024;
    o.density = 0;
    o.detrend = 0;
    CHECK_EQ_INT(eo_welch_nfreq(4999, &o), 513);
    if (r2) {
        CHECK_OK(eo_welch(x->v, 4999, 360.0, &o, NULL, p, &err), &err);
        CHECK_MSG(fx_relerr(p, r2->v, 513) < 1e-10, "rel err %g", fx_relerr(p, r2->v, 513));
    }
    const fx_rec *r3 = fx_get(&F, "welch3_p");
    eo_welch_defaults(&o);
    CHECK_EQ_INT(eo_welch_nfreq(100, &o), 51);
    if (r3) {
        CHECK_OK(eo_welch(x->v, 100, 360.0, &o, NULL, p, &err), &err);
        CHECK(fx_relerr(p, r3->v, 51) < 1e-10);
    }
    /* Parseval: a unit sine's density integrates to its power 0.5 */
    double s[3600];
    for (int i = 0; i < 3600; i++) s[i] = sin(2 * M_PI * 45.0 * i / 360.0);
    CHECK_OK(eo_welch(s, 3600, 360.0, &o, f, p, &err), &err);
    double pw = 0;
    for (int i = 0; i < 129; i++) pw += p[i] * (360.0 / 256);
    CHECK_CLOSE(pw, 0.5, 1e-3, 0);
    o.noverlap = 256;
    CHECK_EQ_INT(eo_welch(s, 3600, 360.0, &o, f, p, &err), EO_STATUS_USAGE);
}

TEST(envelope_entropy)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x");
    size_t ns[2] = {1000, 1001};
    for (int t = 0; t < 2 && x; t++) {
        char k[32];
        snprintf(k, sizeof k, "envent_%zu", ns[t]);
        const fx_rec *r = fx_get(&F, k);
        CHECK(r != NULL);
        double e = 0;
        CHECK_OK(eo_envelope_entropy(x->v, ns[t], NULL, &e, &err), &err);
        if (r) CHECK_CLOSE(e, r->v[0], 1e-12, 0);
    }
    /* a constant envelope over n samples has the maximum entropy ln n */
    double c[2 * 64], e;
    for (int i = 0; i < 64; i++) c[i] = cos(2 * M_PI * 4 * i / 64.0);
    for (int i = 0; i < 64; i++) c[64 + i] = 3 * sin(2 * M_PI * 8 * i / 64.0);
    CHECK_OK(eo_envelope_entropy(c, 64, NULL, &e, &err), &err);
    CHECK_CLOSE(e, log(64.0), 1e-12, 0);
    double mee;
    CHECK_OK(eo_mean_envelope_entropy(c, 2, 64, NULL, &mee, &err), &err);
    CHECK_CLOSE(mee, log(64.0), 1e-12, 0);
    /* a single spike is far less uniform */
    double spike[64] = {0};
    spike[10] = 1;
    CHECK_OK(eo_envelope_entropy(spike, 64, NULL, &e, &err), &err);
    CHECK(e < log(64.0) - 0.1);
    double z[64] = {0};
    CHECK_EQ_INT(eo_envelope_entropy(z, 64, NULL, &e, &err), EO_STATUS_NUMERIC);
    memcpy(c + 64, z, sizeof z);
    CHECK_EQ_INT(eo_mean_envelope_entropy(c, 2, 64, NULL, &mee, &err), EO_STATUS_NUMERIC);
    CHECK(strstr(err.msg, "mode 1") != NULL);
}

typedef struct {
    const double *x;
    size_t n;
    double e;
    int fails;
} thr_arg;

static void *entropy_worker(void *p)
{
    thr_arg *a = p;
    for (int r = 0; r < 40; r++) {
        double e;
        /* fft == NULL: plans and destroys a temporary transform each time */
        if (eo_envelope_entropy(a->x, a->n + (size_t)(r % 3), NULL, &e, NULL)) a->fails++;
        if (r % 3 == 0 && e != a->e) a->fails++;
    }
    return NULL;
}

TEST(fft_planning_from_threads)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x");
    if (!x) {
        CHECK(0);
        return;
    }
    double e0;
    CHECK_OK(eo_envelope_entropy(x->v, 1000, NULL, &e0, &err), &err);
    pthread_t th[4];
    thr_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (thr_arg){x->v, 1000, e0, 0};
        CHECK(pthread_create(&th[i], NULL, entropy_worker, &args[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK_EQ_INT(args[i].fails, 0);
    }
}

TEST(spectra_bad_input)
{
    eo_error err;
    double x[16], z[32], p[16];
    for (int i = 0; i < 16; i++) x[i] = i;
    x[4] = NAN;
    CHECK_EQ_INT(eo_hilbert(x, 16, NULL, z, &err), EO_STATUS_NUMERIC);
    CHECK_EQ_INT(eo_welch(x, 16, 360, NULL, NULL, p, &err), EO_STATUS_NUMERIC);
    x[4] = INFINITY;
    CHECK_EQ_INT(eo_envelope(x, 16, NULL, z, &err), EO_STATUS_NUMERIC);
    x[4] = 0;
    CHECK_EQ_INT(eo_hilbert(x, 0, NULL, z, &err), EO_STATUS_USAGE);
    CHECK_EQ_INT(eo_welch(x, 16, 0, NULL, NULL, p, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_welch(x, 0, 360, NULL, NULL, p, &err), EO_STATUS_USAGE);
}

int main(void)
{
    if (fx_load("spectra.bin", &F)) {
        fprintf(stderr, "cannot load spectra.bin\n");
        return 1;
    }
    RUN(fft_matches_numpy);
    RUN(hilbert_matches_scipy);
    RUN(welch_matches_scipy);
    RUN(envelope_entropy);
    RUN(fft_planning_from_threads);
    RUN(spectra_bad_input);
    fx_free(&F);
    TEST_END();
}
