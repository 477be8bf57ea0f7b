/* dsp filters against SciPy 1.10 reference vectors (tests/fixtures/dsp/
 * gen_fixtures.py): Butterworth SOS/ba design, sosfilt, sosfilt_zi,
 * sosfiltfilt, filtfilt, iirnotch, medians, baseline; streaming equals
 * one-shot over arbitrary block splits; bad input gives errors. */
#include "eo_test.h"

#include "dsp_fixture.h"
#include "ecgopt/dsp.h"
#include "ecgopt/rng.h"

static fx_file F;
static const double FS = 360.0;

typedef struct {
    const char *btype;
    eo_filter_type t;
    int order;
    double f1, f2;
} fcase;

static fcase cases[64];
static int ncases;

static void add_cases(void)
{
    int orders[] = {1, 2, 3, 4, 5, 6, 8};
    for (int i = 0; i < 7; i++) {
        cases[ncases++] = (fcase){"low", EO_FILTER_LOWPASS, orders[i], 40, 0};
        cases[ncases++] = (fcase){"high", EO_FILTER_HIGHPASS, orders[i], 0.5, 0};
        cases[ncases++] = (fcase){"bandpass", EO_FILTER_BANDPASS, orders[i], 0.5, 40};
        cases[ncases++] = (fcase){"bandstop", EO_FILTER_BANDSTOP, orders[i], 45, 55};
    }
    cases[ncases++] = (fcase){"bandpass", EO_FILTER_BANDPASS, 4, 5, 15};
    cases[ncases++] = (fcase){"low", EO_FILTER_LOWPASS, 10, 100, 0};
    cases[ncases++] = (fcase){"high", EO_FILTER_HIGHPASS, 7, 1, 0};
}

static void key(const fcase *c, const char *prefix, char *out, size_t n)
{
    snprintf(out, n, "%s_%s_%d_%g_%g", prefix, c->btype, c->order, c->f1, c->f2);
}

TEST(butter_sos_matches_scipy)
{
    eo_error err;
    for (int i = 0; i < ncases; i++) {
        const fcase *c = &cases[i];
        char k[128];
        key(c, "sos", k, sizeof k);
        const fx_rec *r = fx_get(&F, k);
        CHECK(r != NULL);
        if (!r) continue;
        double sos[6 * 64];
        int ns = -1;
        CHECK_OK(eo_butter_sos(c->order, c->t, c->f1, c->f2, FS, sos, &ns, &err), &err);
        CHECK_EQ_INT(ns * 6, r->n);
        CHECK_EQ_INT(ns, eo_butter_nsections(c->order, c->t));
        if ((size_t)ns * 6 != r->n) continue;
        for (int s = 0; s < ns; s++) {
            double eb = fx_relerr(sos + 6 * s, r->v + 6 * s, 3);
            double ea = fx_relerr(sos + 6 * s + 3, r->v + 6 * s + 3, 3);
            CHECK_MSG(eb < 1e-9 && ea < 1e-9, "%s section %d: b err %g a err %g", k, s, eb, ea);
        }
    }
}

TEST(sosfilt_and_sosfiltfilt_match_scipy)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x");
    CHECK(x != NULL);
    if (!x) return;
    double *y = malloc(x->n * sizeof *y);
    for (int i = 0; i < ncases; i++) {
        const fcase *c = &cases[i];
        char k[128];
        double sos[6 * 64];
        int ns;
        CHECK_OK(eo_butter_sos(c->order, c->t, c->f1, c->f2, FS, sos, &ns, &err), &err);
        key(c, "sosfiltfilt", k, sizeof k);
        const fx_rec *r = fx_get(&F, k);
        CHECK(r && r->n == x->n);
        if (r && r->n == x->n) {
            CHECK_OK(eo_sosfiltfilt(sos, ns, x->v, x->n, y, &err), &err);
            double e = fx_relerr(y, r->v, x->n);
            CHECK_MSG(e < 1e-9, "%s: rel err %g", k, e);
        }
        key(c, "zi", k, sizeof k);
        r = fx_get(&F, k);
        if (r) {
            double zi[2 * 64];
            CHECK_OK(eo_sosfilt_zi(sos, ns, zi, &err), &err);
            double e = fx_relerr(zi, r->v, r->n);
            CHECK_MSG(e < 1e-9, "%s: rel err %g", k, e);
        }
        if (c->order > 4) continue;
        key(c, "sosfilt", k, sizeof k);
        r = fx_get(&F, k);
        if (r) {
            CHECK_OK(eo_sosfilt(sos, ns, x->v, x->n, y, NULL, &err), &err);
            double e = fx_relerr(y, r->v, x->n);
            CHECK_MSG(e < 1e-9, "%s: rel err %g", k, e);
        }
        double b[2 * EO_BUTTER_MAX_ORDER + 1], a[2 * EO_BUTTER_MAX_ORDER + 1];
        int nc;
        CHECK_OK(eo_butter_ba(c->order, c->t, c->f1, c->f2, FS, b, a, &nc, &err), &err);
        key(c, "b", k, sizeof k);
        const fx_rec *rb = fx_get(&F, k);
        key(c, "a", k, sizeof k);
        const fx_rec *ra = fx_get(&F, k);
        if (rb && ra) {
            CHECK_EQ_INT(nc, rb->n);
            double eb = fx_relerr(b, rb->v, rb->n), ea = fx_relerr(a, ra->v, ra->n);
            CHECK_MSG(eb < 1e-9 && ea < 1e-9, "%s: b err %g, a err %g", k, eb, ea);
        }
        key(c, "filtfilt", k, sizeof k);
        r = fx_get(&F, k);
        key(c, "sosfiltfilt", k, sizeof k);
        const fx_rec *rsos = fx_get(&F, k);
        if (r && rb && ra && rsos) {
            CHECK_OK(eo_filtfilt_ba(rb->v, (int)rb->n, ra->v, (int)ra->n, x->v, x->n, y, &err), &err);
            double e = fx_relerr(y, r->v, x->n);
            /* The b/a form of a high-order filter with poles near z = 1 is
             * ill-conditioned: SciPy's own filtfilt(b, a) differs from its
             * sosfiltfilt by up to 2e-7 here.  Demand 1e-9, or SciPy's own
             * b/a-vs-SOS discrepancy where that is larger. */
            double own = fx_relerr(r->v, rsos->v, x->n);
            double tol = own > 1e-9 ? own : 1e-9;
            CHECK_MSG(e < tol, "%s: rel err %g (tol %g)", k, e, tol);
            if (c->order <= 2) CHECK_MSG(e < 1e-9, "%s: rel err %g", k, e);
        }
    }
    free(y);
}

TEST(notch_matches_scipy)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x");
    double w0s[2] = {50, 60}, qs[2] = {30, 25};
    for (int i = 0; i < 2 && x; i++) {
        char k[64];
        double b[3], a[3];
        CHECK_OK(eo_iirnotch(w0s[i], qs[i], FS, b, a, &err), &err);
        snprintf(k, sizeof k, "notch_b_%g_%g", w0s[i], qs[i]);
        const fx_rec *rb = fx_get(&F, k);
        snprintf(k, sizeof k, "notch_a_%g_%g", w0s[i], qs[i]);
        const fx_rec *ra = fx_get(&F, k);
        snprintf(k, sizeof k, "notch_y_%g_%g", w0s[i], qs[i]);
        const fx_rec *ry = fx_get(&F, k);
        CHECK(rb && ra && ry);
        if (!rb || !ra || !ry) continue;
        CHECK(fx_relerr(b, rb->v, 3) < 1e-12);
        CHECK(fx_relerr(a, ra->v, 3) < 1e-12);
        double *y = malloc(x->n * sizeof *y);
        CHECK_OK(eo_notch(x->v, x->n, FS, w0s[i], qs[i], y, &err), &err);
        CHECK(fx_relerr(y, ry->v, x->n) < 1e-9);
        free(y);
    }
}

TEST(short_signal_and_padding)
{
    eo_error err;
    const fx_rec *xs = fx_get(&F, "short_x"), *rs = fx_get(&F, "short_sosfiltfilt");
    CHECK(xs && rs);
    if (!xs || !rs) return;
    double sos[12], y[16];
    int ns;
    CHECK_OK(eo_butter_sos(2, EO_FILTER_BANDPASS, 0.5, 40, FS, sos, &ns, &err), &err);
    CHECK_EQ_INT(eo_sosfiltfilt_padlen(sos, ns), 15);
    CHECK_OK(eo_sosfiltfilt(sos, ns, xs->v, 16, y, &err), &err);
    CHECK(fx_relerr(y, rs->v, 16) < 1e-9);
    /* 15 samples: not longer than the padding -> usage error with a message */
    CHECK_EQ_INT(eo_sosfiltfilt(sos, ns, xs->v, 15, y, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "padding") != NULL);
    double b[5], a[5];
    int nc;
    CHECK_OK(eo_butter_ba(2, EO_FILTER_BANDPASS, 0.5, 40, FS, b, a, &nc, &err), &err);
    CHECK_EQ_INT(eo_filtfilt_ba(b, nc, a, nc, xs->v, 15, y, &err), EO_STATUS_USAGE);
}

TEST(in_place_filtering)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x"), *r = fx_get(&F, "sosfiltfilt_bandpass_4_0.5_40");
    CHECK(x && r);
    if (!x || !r) return;
    double *y = malloc(x->n * sizeof *y);
    memcpy(y, x->v, x->n * sizeof *y);
    CHECK_OK(eo_bandpass(y, x->n, FS, 0.5, 40, 4, y, &err), &err);
    CHECK(fx_relerr(y, r->v, x->n) < 1e-9);
    free(y);
}

TEST(median_and_baseline_match_scipy)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x");
    if (!x) {
        CHECK(0);
        return;
    }
    double *y = malloc(x->n * sizeof *y), *bl = malloc(x->n * sizeof *bl);
    size_t ws[4] = {1, 5, 73, 217};
    for (int i = 0; i < 4; i++) {
        char k[32];
        snprintf(k, sizeof k, "medfilt_%zu", ws[i]);
        const fx_rec *r = fx_get(&F, k);
        CHECK(r != NULL);
        if (!r) continue;
        CHECK_OK(eo_median_filter(x->v, x->n, ws[i], y, &err), &err);
        CHECK_MSG(fx_relerr(y, r->v, x->n) == 0, "%s differs", k);
    }
    const fx_rec *rb = fx_get(&F, "baseline_360");
    CHECK(rb != NULL);
    if (rb) {
        CHECK_OK(eo_baseline_remove(x->v, x->n, FS, NULL, y, bl, &err), &err);
        CHECK(fx_relerr(bl, rb->v, x->n) == 0);
        int ok = 1;
        for (size_t i = 0; i < x->n; i++) ok &= fabs(y[i] - (x->v[i] - rb->v[i])) < 1e-15;
        CHECK(ok);
    }
    CHECK_EQ_INT(eo_median_filter(x->v, x->n, 4, y, &err), EO_STATUS_USAGE);
    free(y);
    free(bl);
}

/* split [0,n) into random blocks (including empty ones) */
static size_t next_block(eo_rng *rng, size_t left)
{
    size_t b = (size_t)eo_rng_below(rng, 97);
    return b > left ? left : b;
}

TEST(iir_stream_equals_one_shot)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x");
    if (!x) {
        CHECK(0);
        return;
    }
    double sos[6 * 8];
    int ns;
    CHECK_OK(eo_butter_sos(4, EO_FILTER_BANDPASS, 0.5, 40, FS, sos, &ns, &err), &err);
    double *ref = malloc(x->n * sizeof *ref), *y = malloc(x->n * sizeof *y);
    CHECK_OK(eo_sosfilt(sos, ns, x->v, x->n, ref, NULL, &err), &err);
    const fx_rec *rs = fx_get(&F, "sosfilt_bandpass_4_0.5_40");
    CHECK(rs && fx_relerr(ref, rs->v, x->n) < 1e-9);
    eo_iir_stream *s = NULL;
    CHECK_OK(eo_iir_stream_create(sos, ns, &s, &err), &err);
    eo_rng rng;
    eo_rng_seed(&rng, 42);
    for (int trial = 0; trial < 5 && s; trial++) {
        eo_iir_stream_reset(s);
        size_t pos = 0;
        while (pos < x->n) {
            size_t b = next_block(&rng, x->n - pos);
            CHECK_OK(eo_iir_stream_process(s, x->v + pos, b, y + pos, &err), &err);
            pos += b;
        }
        int same = 1;
        for (size_t i = 0; i < x->n; i++) same &= y[i] == ref[i];
        CHECK_MSG(same, "trial %d: stream differs from one-shot", trial);
    }
    double bad[3] = {1, NAN, 2};
    CHECK_EQ_INT(eo_iir_stream_process(s, bad, 3, y, &err), EO_STATUS_NUMERIC);
    eo_iir_stream_destroy(s);
    eo_iir_stream_destroy(NULL);
    free(ref);
    free(y);
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

TEST(median_stream_equals_causal_and_brute_force)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x");
    if (!x) {
        CHECK(0);
        return;
    }
    size_t w = 37;
    double *ref = malloc(x->n * sizeof *ref), *y = malloc(x->n * sizeof *y);
    CHECK_OK(eo_median_causal(x->v, x->n, w, ref, &err), &err);
    /* brute force: median of the last min(i+1, w) samples */
    int ok = 1;
    double tmp[64];
    for (size_t i = 0; i < x->n; i++) {
        size_t m = i + 1 < w ? i + 1 : w;
        memcpy(tmp, x->v + i + 1 - m, m * sizeof *tmp);
        qsort(tmp, m, sizeof *tmp, cmpd);
        double med = (m & 1) ? tmp[m / 2] : 0.5 * (tmp[m / 2 - 1] + tmp[m / 2]);
        ok &= med == ref[i];
    }
    CHECK(ok);
    eo_median_stream *s = NULL;
    CHECK_OK(eo_median_stream_create(w, &s, &err), &err);
    eo_rng rng;
    eo_rng_seed(&rng, 7);
    for (int trial = 0; trial < 4 && s; trial++) {
        eo_median_stream_reset(s);
        size_t pos = 0;
        while (pos < x->n) {
            size_t b = next_block(&rng, x->n - pos);
            CHECK_OK(eo_median_stream_process(s, x->v + pos, b, y + pos, &err), &err);
            pos += b;
        }
        int same = 1;
        for (size_t i = 0; i < x->n; i++) same &= y[i] == ref[i];
        CHECK_MSG(same, "trial %d: median stream differs", trial);
    }
    eo_median_stream_destroy(s);
    eo_median_stream_destroy(NULL);
    CHECK_EQ_INT(eo_median_stream_create(0, &s, &err), EO_STATUS_OUT_OF_RANGE);
    free(ref);
    free(y);
}

TEST(baseline_stream_equals_one_shot)
{
    eo_error err;
    const fx_rec *x = fx_get(&F, "x");
    if (!x) {
        CHECK(0);
        return;
    }
    eo_baseline_stream *s = NULL;
    CHECK_OK(eo_baseline_stream_create(FS, NULL, &s, &err), &err);
    if (!s) return;
    CHECK_EQ_INT(eo_baseline_stream_delay(s), 36 + 108);
    double *ref = malloc(x->n * sizeof *ref), *y = malloc((x->n + 200) * sizeof *y);
    eo_rng rng;
    eo_rng_seed(&rng, 99);
    size_t lens[5] = {800, 1, 5, 100, 300};
    for (int t = 0; t < 5; t++) {
        size_t n = lens[t];
        CHECK_OK(eo_baseline_remove(x->v, n, FS, NULL, ref, NULL, &err), &err);
        size_t pos = 0, got = 0, k;
        while (pos < n) {
            size_t b = next_block(&rng, n - pos);
            CHECK_OK(eo_baseline_stream_process(s, x->v + pos, b, y + got, &k, &err), &err);
            CHECK(k <= b);
            got += k;
            pos += b;
        }
        CHECK_OK(eo_baseline_stream_flush(s, y + got, &k, &err), &err);
        CHECK(k <= eo_baseline_stream_delay(s));
        got += k;
        CHECK_EQ_INT(got, n);
        int same = got == n;
        for (size_t i = 0; same && i < n; i++) same &= y[i] == ref[i];
        CHECK_MSG(same, "n=%zu: streamed baseline removal differs from one-shot", n);
    }
    double bad[2] = {0, NAN};
    size_t k;
    CHECK_EQ_INT(eo_baseline_stream_process(s, bad, 2, y, &k, &err), EO_STATUS_NUMERIC);
    eo_baseline_stream_destroy(s);
    eo_baseline_stream_destroy(NULL);
    CHECK_EQ_INT(eo_baseline_stream_create(0, NULL, &s, &err), EO_STATUS_OUT_OF_RANGE);
    free(ref);
    free(y);
}

TEST(bad_input_is_rejected)
{
    eo_error err;
    double sos[6 * 64], b[65], a[65];
    int ns, nc;
    CHECK_EQ_INT(eo_butter_sos(0, EO_FILTER_LOWPASS, 40, 0, FS, sos, &ns, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "order") != NULL);
    CHECK_EQ_INT(eo_butter_sos(33, EO_FILTER_LOWPASS, 40, 0, FS, sos, &ns, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_butter_sos(4, EO_FILTER_LOWPASS, 180, 0, FS, sos, &ns, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "Nyquist") != NULL);
    CHECK_EQ_INT(eo_butter_sos(4, EO_FILTER_LOWPASS, 200, 0, FS, sos, &ns, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_butter_sos(4, EO_FILTER_HIGHPASS, 0, 0, FS, sos, &ns, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_butter_sos(4, EO_FILTER_BANDPASS, 40, 0.5, FS, sos, &ns, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_butter_sos(4, EO_FILTER_BANDPASS, 0.5, 190, FS, sos, &ns, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_butter_sos(4, EO_FILTER_LOWPASS, NAN, 0, FS, sos, &ns, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_butter_sos(4, EO_FILTER_LOWPASS, 40, 0, -1, sos, &ns, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_butter_ba(0, EO_FILTER_LOWPASS, 40, 0, FS, b, a, &nc, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_iirnotch(180, 30, FS, b, a, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_iirnotch(50, 0, FS, b, a, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_OK(eo_butter_sos(2, EO_FILTER_LOWPASS, 40, 0, FS, sos, &ns, &err), &err);
    double x[100], y[100];
    for (int i = 0; i < 100; i++) x[i] = sin(i * 0.1);
    x[50] = NAN;
    CHECK_EQ_INT(eo_sosfiltfilt(sos, ns, x, 100, y, &err), EO_STATUS_NUMERIC);
    CHECK(strstr(err.msg, "sample 50") != NULL);
    CHECK_EQ_INT(eo_sosfilt(sos, ns, x, 100, y, NULL, &err), EO_STATUS_NUMERIC);
    x[50] = INFINITY;
    CHECK_EQ_INT(eo_median_filter(x, 100, 5, y, &err), EO_STATUS_NUMERIC);
    CHECK_EQ_INT(eo_baseline_remove(x, 100, FS, NULL, y, NULL, &err), EO_STATUS_NUMERIC);
    CHECK_EQ_INT(eo_bandpass(x, 100, FS, 0.5, 40, 2, y, &err), EO_STATUS_NUMERIC);
    x[50] = 0;
    CHECK_EQ_INT(eo_bandpass(x, 100, 50.0, 0.5, 40, 2, y, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_baseline_remove(x, 100, 0, NULL, y, NULL, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_sosfiltfilt(NULL, 0, x, 100, y, &err), EO_STATUS_USAGE);
    b[0] = 1;
    a[0] = 0;
    CHECK_EQ_INT(eo_filtfilt_ba(b, 1, a, 1, x, 100, y, &err), EO_STATUS_USAGE);
    /* filter with a pole at z = 1 has no steady state for the padding */
    double bi[2] = {1, 0}, ai[2] = {1, -1};
    CHECK_EQ_INT(eo_filtfilt_ba(bi, 2, ai, 2, x, 100, y, &err), EO_STATUS_NUMERIC);
}

TEST(lfilter_known_answer)
{
    /* y[n] = x[n] + 0.5 y[n-1] for an impulse: 0.5^n */
    eo_error err;
    double b[1] = {2}, a[2] = {2, -1}, x[8] = {1}, y[8];
    CHECK_OK(eo_lfilter(b, 1, a, 2, x, 8, y, &err), &err);
    for (int i = 0; i < 8; i++) CHECK_CLOSE(y[i], pow(0.5, i), 1e-15, 0);
    /* DC gain of a low-pass Butterworth is 1, at Nyquist 0 */
    double sos[6 * 4];
    int ns;
    CHECK_OK(eo_butter_sos(6, EO_FILTER_LOWPASS, 30, 0, FS, sos, &ns, &err), &err);
    double g0 = 1, gn = 1;
    for (int s = 0; s < ns; s++) {
        const double *c = sos + 6 * s;
        g0 *= (c[0] + c[1] + c[2]) / (c[3] + c[4] + c[5]);
        gn *= (c[0] - c[1] + c[2]) / (c[3] - c[4] + c[5]);
    }
    CHECK_CLOSE(g0, 1.0, 1e-12, 0);
    CHECK_CLOSE(gn, 0.0, 0, 1e-12);
    /* the highest orders design without overflow: band-pass of order 32 has
     * 32 sections, gain 0 at DC and Nyquist, ~1 at the geometric centre */
    double big[6 * EO_BUTTER_MAX_ORDER];
    CHECK_OK(eo_butter_sos(32, EO_FILTER_BANDPASS, 10, 40, FS, big, &ns, &err), &err);
    CHECK_EQ_INT(ns, 32);
    double complex_re = 1, complex_im = 0, d0 = 1;
    /* digital centre: the geometric mean of the pre-warped edges */
    double wd = 2 * atan(sqrt(tan(M_PI * 10 / FS) * tan(M_PI * 40 / FS)));
    for (int s = 0; s < ns; s++) {
        const double *c = big + 6 * s;
        d0 *= (c[0] + c[1] + c[2]) / (c[3] + c[4] + c[5]);
        /* H(e^{i wd}) = (b0 + b1 z^-1 + b2 z^-2)/(1 + a1 z^-1 + a2 z^-2) */
        double cr = cos(wd), ci = -sin(wd), c2r = cos(2 * wd), c2i = -sin(2 * wd);
        double nr = c[0] + c[1] * cr + c[2] * c2r, ni = c[1] * ci + c[2] * c2i;
        double dr = c[3] + c[4] * cr + c[5] * c2r, di = c[4] * ci + c[5] * c2i;
        double hr = (nr * dr + ni * di) / (dr * dr + di * di);
        double hi = (ni * dr - nr * di) / (dr * dr + di * di);
        double tr = complex_re * hr - complex_im * hi;
        complex_im = complex_re * hi + complex_im * hr;
        complex_re = tr;
    }
    CHECK_CLOSE(d0, 0.0, 0, 1e-12);
    CHECK_CLOSE(hypot(complex_re, complex_im), 1.0, 1e-9, 0);
    int bad = 0;
    for (int i = 0; i < 6 * ns; i++) bad |= !isfinite(big[i]);
    CHECK(!bad);
}

int main(void)
{
    if (fx_load("filters.bin", &F)) {
        fprintf(stderr, "cannot load filters.bin\n");
        return 1;
    }
    add_cases();
    RUN(butter_sos_matches_scipy);
    RUN(sosfilt_and_sosfiltfilt_match_scipy);
    RUN(notch_matches_scipy);
    RUN(short_signal_and_padding);
    RUN(in_place_filtering);
    RUN(median_and_baseline_match_scipy);
    RUN(iir_stream_equals_one_shot);
    RUN(median_stream_equals_causal_and_brute_force);
    RUN(baseline_stream_equals_one_shot);
    RUN(bad_input_is_rejected);
    RUN(lfilter_known_answer);
    fx_free(&F);
    TEST_END();
}
