/* VMD: vmdpy reference vectors (tests/fixtures/dsp/vmd_make.py), known
 * answers on tones, odd lengths, envelope entropy, and bad input. */
#include "eo_test.h"

#include <stdlib.h>

#include "ecgopt/dsp.h"
#include "ecgopt/rng.h"
#include "ecgopt/vmd.h"

typedef struct vcase {
    int n, K, dc, init, updates;
    double alpha, tau, tol, fs;
    double *x, *omega, *modes;
} vcase;

static int load_case(const char *name, vcase *c)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/dsp/%s", EO_TEST_FIXTURES, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    memset(c, 0, sizeof *c);
    int ok = fscanf(f, "%d %d %lf %lf %d %d %lf %lf %d", &c->n, &c->K, &c->alpha, &c->tau, &c->dc,
                    &c->init, &c->tol, &c->fs, &c->updates) == 9;
    if (ok) {
        c->x = malloc((size_t)c->n * sizeof(double));
        c->omega = malloc((size_t)c->K * sizeof(double));
        c->modes = malloc((size_t)c->K * (size_t)c->n * sizeof(double));
        ok = c->x && c->omega && c->modes;
        for (int i = 0; ok && i < c->n; i++)
            ok = fscanf(f, "%lf", &c->x[i]) == 1;
        for (int i = 0; ok && i < c->K; i++)
            ok = fscanf(f, "%lf", &c->omega[i]) == 1;
        for (int i = 0; ok && i < c->K * c->n; i++)
            ok = fscanf(f, "%lf", &c->modes[i]) == 1;
    }
    fclose(f);
    return ok ? 0 : -1;
}

static void free_case(vcase *c)
{
    free(c->x);
    free(c->omega);
    free(c->modes);
}

static void check_case(const char *name)
{
    vcase c;
    CHECK_MSG(load_case(name, &c) == 0, "cannot read fixture %s", name);
    if (!c.x)
        return;
    eo_vmd_options o;
    eo_vmd_defaults(&o);
    o.K = c.K;
    o.alpha = c.alpha;
    o.tau = c.tau;
    o.dc = c.dc;
    o.init = (eo_vmd_init)c.init;
    /* vmdpy returns the iterate after (updates - 1) updates */
    o.tol = 0.0;
    o.max_iter = c.updates - 1;
    eo_vmd *v = NULL;
    eo_error err;
    CHECK_EQ_INT(eo_vmd_create(&v, (size_t)c.n, &o, &err), EO_STATUS_OK);
    CHECK_EQ_INT(eo_vmd_run(v, c.x, c.fs, &err), EO_STATUS_OK);
    CHECK_EQ_INT(eo_vmd_iterations(v), c.updates - 1);
    double maxd = 0.0;
    for (int k = 0; k < c.K; k++) {
        CHECK_CLOSE(eo_vmd_omega(v, k), c.omega[k], 1e-6, 1e-9);
        CHECK_CLOSE(eo_vmd_center_hz(v, k), c.omega[k] * c.fs, 1e-6, 1e-7);
        const double *m = eo_vmd_mode(v, k);
        for (int i = 0; i < c.n; i++) {
            double d = fabs(m[i] - c.modes[(size_t)k * c.n + i]);
            if (d > maxd)
                maxd = d;
        }
    }
    CHECK_MSG(maxd <= 1e-6, "%s: max |mode - vmdpy| = %g", name, maxd);
    /* same stopping rule: with vmdpy's tol and Niter, the same update count */
    o.tol = c.tol;
    o.max_iter = 499;
    eo_vmd_destroy(v);
    v = NULL;
    CHECK_EQ_INT(eo_vmd_create(&v, (size_t)c.n, &o, &err), EO_STATUS_OK);
    CHECK_EQ_INT(eo_vmd_run(v, c.x, c.fs, &err), EO_STATUS_OK);
    CHECK_EQ_INT(eo_vmd_iterations(v), c.updates);
    CHECK_EQ_INT(eo_vmd_converged(v), c.updates < 499);
    eo_vmd_destroy(v);
    free_case(&c);
}

TEST(matches_vmdpy_case0) { check_case("vmd_case0.txt"); }
TEST(matches_vmdpy_case1_dc_tau) { check_case("vmd_case1.txt"); }
TEST(matches_vmdpy_case2) { check_case("vmd_case2.txt"); }

static void two_tones(double *x, size_t n, double fs, double f1, double f2)
{
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / fs;
        x[i] = sin(2 * M_PI * f1 * t) + 0.6 * sin(2 * M_PI * f2 * t);
    }
}

static void check_tones(size_t n)
{
    const double fs = 250.0;
    double *x = malloc(n * sizeof *x), *modes = malloc(2 * n * sizeof *modes);
    two_tones(x, n, fs, 5.0, 40.0);
    eo_vmd_options o;
    eo_vmd_defaults(&o);
    o.K = 2;
    o.alpha = 2000;
    o.init = EO_VMD_INIT_UNIFORM;
    double hz[2];
    int it = 0;
    eo_error err;
    CHECK_EQ_INT(eo_vmd_decompose(x, n, fs, &o, modes, hz, &it, &err), EO_STATUS_OK);
    CHECK_CLOSE(hz[0], 5.0, 0.02, 0.0);
    CHECK_CLOSE(hz[1], 40.0, 0.02, 0.0);
    CHECK(it >= 1 && it <= 500);
    /* each mode is its tone: compare away from the edges */
    double e1 = 0, e2 = 0, ref = 0;
    for (size_t i = n / 8; i < n - n / 8; i++) {
        double t = (double)i / fs;
        double a = sin(2 * M_PI * 5.0 * t), b = 0.6 * sin(2 * M_PI * 40.0 * t);
        e1 += (modes[i] - a) * (modes[i] - a);
        e2 += (modes[n + i] - b) * (modes[n + i] - b);
        ref += a * a;
    }
    CHECK_MSG(e1 / ref < 1e-3, "mode 0 relative error %g (n=%zu)", e1 / ref, n);
    CHECK_MSG(e2 / ref < 1e-3, "mode 1 relative error %g (n=%zu)", e2 / ref, n);
    free(x);
    free(modes);
}

TEST(two_tones_even) { check_tones(1000); }
/* odd length: every sample kept (vmdpy would drop the last one) */
TEST(two_tones_odd) { check_tones(1001); }

TEST(dc_mode_held_at_zero)
{
    const size_t n = 500;
    double x[500], modes[2 * 500], hz[2];
    for (size_t i = 0; i < n; i++)
        x[i] = 1.5 + sin(2 * M_PI * 30.0 * (double)i / 250.0);
    eo_vmd_options o;
    eo_vmd_defaults(&o);
    o.K = 2;
    o.dc = 1;
    o.init = EO_VMD_INIT_UNIFORM;
    eo_error err;
    CHECK_EQ_INT(eo_vmd_decompose(x, n, 250.0, &o, modes, hz, NULL, &err), EO_STATUS_OK);
    CHECK_EQ_INT(hz[0] == 0.0, 1);
    CHECK_CLOSE(hz[1], 30.0, 0.02, 0.0);
    double mean = 0;
    for (size_t i = 0; i < n; i++)
        mean += modes[i];
    CHECK_CLOSE(mean / n, 1.5, 0.01, 0.0);
}

TEST(random_init_reproducible)
{
    const size_t n = 400;
    double x[400], m1[3 * 400], m2[3 * 400], h1[3], h2[3];
    two_tones(x, n, 250.0, 8.0, 60.0);
    eo_vmd_options o;
    eo_vmd_defaults(&o);
    o.init = EO_VMD_INIT_RANDOM;
    eo_rng r;
    o.rng = &r;
    eo_error err;
    eo_rng_seed(&r, 7);
    CHECK_EQ_INT(eo_vmd_decompose(x, n, 250.0, &o, m1, h1, NULL, &err), EO_STATUS_OK);
    eo_rng_seed(&r, 7);
    CHECK_EQ_INT(eo_vmd_decompose(x, n, 250.0, &o, m2, h2, NULL, &err), EO_STATUS_OK);
    CHECK(memcmp(m1, m2, sizeof m1) == 0);
    CHECK(memcmp(h1, h2, sizeof h1) == 0);
    o.rng = NULL;
    CHECK_EQ_INT(eo_vmd_decompose(x, n, 250.0, &o, m1, h1, NULL, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "rng") != NULL);
}

TEST(envelope_entropy_known_answers)
{
    /* a whole number of cycles of a cosine has a flat Hilbert envelope:
     * p = 1/n, entropy = ln n */
    const size_t n = 256;
    double x[256], e = 0;
    for (size_t i = 0; i < n; i++)
        x[i] = 2.0 * cos(2 * M_PI * 8.0 * (double)i / (double)n);
    eo_vmd *v = NULL;
    eo_error err;
    CHECK_EQ_INT(eo_vmd_create(&v, n, NULL, &err), EO_STATUS_OK);
    CHECK_EQ_INT(eo_vmd_envelope_entropy(v, x, &e, &err), EO_STATUS_OK);
    CHECK_CLOSE(e, log((double)n), 1e-12, 0.0);
    /* a single impulse: envelope concentrated, entropy far below ln n */
    memset(x, 0, sizeof x);
    x[100] = 1.0;
    CHECK_EQ_INT(eo_vmd_envelope_entropy(v, x, &e, &err), EO_STATUS_OK);
    CHECK(e < 0.8 * log((double)n));
    /* mean over modes of the last run; objective equals it */
    for (size_t i = 0; i < n; i++)
        x[i] = sin(2 * M_PI * 4.0 * (double)i / 256.0) + 0.5 * sin(2 * M_PI * 50.0 * (double)i / 256.0);
    double mee = 0, obj = 0;
    CHECK_EQ_INT(eo_vmd_mee_objective(v, x, 256.0, 2, 1000.0, &obj, &err), EO_STATUS_OK);
    double e0 = 0, e1 = 0;
    CHECK_EQ_INT(eo_vmd_envelope_entropy(v, eo_vmd_mode(v, 0), &e0, &err), EO_STATUS_OK);
    CHECK_EQ_INT(eo_vmd_envelope_entropy(v, eo_vmd_mode(v, 1), &e1, &err), EO_STATUS_OK);
    CHECK_EQ_INT(eo_vmd_mean_envelope_entropy(v, &mee, &err), EO_STATUS_OK);
    CHECK_CLOSE(mee, (e0 + e1) / 2, 1e-12, 0.0);
    CHECK_CLOSE(obj, mee, 1e-12, 0.0);
    CHECK(mee > 0.0 && mee <= log((double)n) + 1e-9);
    /* the dsp module's envelope entropy (eo_envelope_entropy) agrees */
    double mee_dsp = 0;
    double *mm = malloc(2 * n * sizeof *mm);
    memcpy(mm, eo_vmd_mode(v, 0), n * sizeof *mm);
    memcpy(mm + n, eo_vmd_mode(v, 1), n * sizeof *mm);
    CHECK_OK(eo_mean_envelope_entropy(mm, 2, n, NULL, &mee_dsp, &err), &err);
    CHECK_CLOSE(mee, mee_dsp, 1e-10, 0.0);
    free(mm);
    /* an all-zero mode scores ln n, never less than a real one */
    memset(x, 0, sizeof x);
    CHECK_EQ_INT(eo_vmd_envelope_entropy(v, x, &e, &err), EO_STATUS_OK);
    CHECK_CLOSE(e, log((double)n), 1e-12, 0.0);
    for (size_t i = 0; i < n; i++)
        x[i] = sin(2 * M_PI * 4.0 * (double)i / 256.0) + 0.5 * sin(2 * M_PI * 50.0 * (double)i / 256.0);
    /* K can grow beyond the creation K (3 by default) */
    CHECK_EQ_INT(eo_vmd_mee_objective(v, x, 256.0, 6, 300.0, &obj, &err), EO_STATUS_OK);
    CHECK_EQ_INT(eo_vmd_modes(v), 6);
    eo_vmd_destroy(v);
    eo_vmd_destroy(NULL);
}

TEST(bad_input)
{
    double x[64], modes[64 * 40];
    for (int i = 0; i < 64; i++)
        x[i] = sin(i * 0.3);
    eo_vmd_options o;
    eo_vmd_defaults(&o);
    eo_error err;
    o.alpha = 0.0;
    CHECK_EQ_INT(eo_vmd_decompose(x, 64, 250, &o, modes, NULL, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "alpha") != NULL);
    o.alpha = -5;
    CHECK_EQ_INT(eo_vmd_decompose(x, 64, 250, &o, modes, NULL, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    o.alpha = NAN;
    CHECK_EQ_INT(eo_vmd_decompose(x, 64, 250, &o, modes, NULL, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    eo_vmd_defaults(&o);
    o.K = 32;
    CHECK_EQ_INT(eo_vmd_decompose(x, 64, 250, &o, modes, NULL, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "supports") != NULL);
    o.K = 0;
    CHECK_EQ_INT(eo_vmd_decompose(x, 64, 250, &o, modes, NULL, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    eo_vmd_defaults(&o);
    CHECK_EQ_INT(eo_vmd_decompose(x, 5, 250, &o, modes, NULL, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "too short") != NULL);
    CHECK_EQ_INT(eo_vmd_decompose(x, 64, 0.0, &o, modes, NULL, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    o.tau = -1;
    CHECK_EQ_INT(eo_vmd_decompose(x, 64, 250, &o, modes, NULL, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    eo_vmd_defaults(&o);
    o.max_iter = 0;
    CHECK_EQ_INT(eo_vmd_decompose(x, 64, 250, &o, modes, NULL, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    eo_vmd_defaults(&o);
    x[10] = NAN;
    CHECK_EQ_INT(eo_vmd_decompose(x, 64, 250, &o, modes, NULL, NULL, &err), EO_STATUS_NUMERIC);
    CHECK(strstr(err.msg, "sample 10 is NaN") != NULL);
    x[10] = INFINITY;
    CHECK_EQ_INT(eo_vmd_decompose(x, 64, 250, &o, modes, NULL, NULL, &err), EO_STATUS_NUMERIC);
    CHECK(strstr(err.msg, "infinite") != NULL);
    x[10] = 0;
    eo_vmd *v = NULL;
    CHECK_EQ_INT(eo_vmd_create(&v, 64, &o, &err), EO_STATUS_OK);
    CHECK_EQ_INT(eo_vmd_set_params(v, 40, 100.0, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_vmd_set_params(v, 2, -1.0, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(eo_vmd_mode(v, 0) == NULL); /* nothing run yet */
    double mee;
    CHECK_EQ_INT(eo_vmd_mean_envelope_entropy(v, &mee, &err), EO_STATUS_USAGE);
    /* zero signal: no NaN centre frequencies, modes all zero */
    memset(x, 0, sizeof x);
    CHECK_EQ_INT(eo_vmd_run(v, x, 250.0, &err), EO_STATUS_OK);
    CHECK(isfinite(eo_vmd_center_hz(v, 1)));
    CHECK_EQ_INT(eo_vmd_mode(v, 2)[5] == 0.0, 1);
    eo_vmd_destroy(v);
}

int main(void)
{
    RUN(matches_vmdpy_case0);
    RUN(matches_vmdpy_case1_dc_tau);
    RUN(matches_vmdpy_case2);
    RUN(two_tones_even);
    RUN(two_tones_odd);
    RUN(dc_mode_held_at_zero);
    RUN(random_init_reproducible);
    RUN(envelope_entropy_known_answers);
    RUN(bad_input);
    TEST_END();
}
