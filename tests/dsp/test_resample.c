/* eo_resample against scipy.signal.resample_poly (fixtures from
 * tests/fixtures/dsp/gen_resample.py), the filter's pass/stop band, DC,
 * annotation positions, bad input. */
#include <math.h>
#include <stdlib.h>

#include "dsp/dsp_fixture.h"
#include "ecgopt/resample.h"
#include "eo_test.h"

/* Tolerance against SciPy: the filter is the same design (firwin, Kaiser
 * beta 5, 2*10*max(up,down)+1 taps, DC gain up), so the two differ only by
 * rounding: each output is a sum of K <= 2*10*max/up+1 products (K <= 901
 * here) of taps with sum|h| ~ 1.3 and samples <= max|x|, which bounds the
 * difference by about K * 2^-53 * 1.3 max|x| ~ 1.3e-13 max|x|; plus the I0
 * series vs NumPy's Chebyshev I0 (1e-16 relative).  Measured: 3.8e-15.
 * 1e-12 of max|y| leaves a wide margin yet catches any design difference:
 * beta 5.01 instead of 5 already moves the output by 8e-6 of max|y|. */
#define SCIPY_TOL 1e-12

TEST(scipy_reference)
{
    fx_file f;
    CHECK(fx_load("resample.bin", &f) == 0);
    int cases = 0;
    double worst = 0;
    for (int i = 0;; i++) {
        char ni[32], no[32];
        snprintf(ni, sizeof ni, "in_%d", i);
        snprintf(no, sizeof no, "out_%d", i);
        int have = 0;
        for (size_t k = 0; k < f.n; k++)
            have += strcmp(f.r[k].name, ni) == 0;
        if (!have)
            break;
        const fx_rec *in = fx_get(&f, ni), *out = fx_get(&f, no);
        if (!in || !out)
            break;
        double fi = in->v[0], fo = in->v[1];
        const double *x = in->v + 4;
        size_t n = in->n - 4;
        long up = 0, down = 0;
        eo_error err;
        CHECK(eo_resample_factors(fi, fo, &up, &down, &err) == EO_STATUS_OK);
        CHECK_MSG(up == (long)in->v[2] && down == (long)in->v[3], "%g->%g: %ld/%ld", fi, fo, up,
                  down);
        double *y = NULL;
        size_t ny = 0;
        CHECK(eo_resample(x, n, fi, fo, &y, &ny, &err) == EO_STATUS_OK);
        CHECK_MSG(ny == out->n, "%g->%g n=%zu: %zu samples, scipy %zu", fi, fo, n, ny, out->n);
        if (y && ny == out->n) {
            /* relative to max|y|, which is within 1 % of max|x| here */
            double d = fx_relerr(y, out->v, ny);
            CHECK_MSG(d <= SCIPY_TOL, "%g->%g Hz: max diff %.3g of max|y|", fi, fo, d);
            worst = fmax(worst, d);
        }
        free(y);
        cases++;
    }
    CHECK(cases >= 14);
    printf("     %d cases, largest difference to scipy %.2g of max|y|\n", cases, worst);
    fx_free(&f);
}

/* RMS of y[a..b) */
static double rms(const double *y, size_t a, size_t b)
{
    double s = 0;
    for (size_t i = a; i < b; i++)
        s += y[i] * y[i];
    return sqrt(s / (double)(b - a));
}

/* Pass band and stop band from the design: Kaiser beta 5 gives a ripple
 * delta ~ 10^(-54/20) = 0.002 (about 54 dB, Kaiser 1974's A = beta/0.1102 +
 * 8.7) in both bands; the transition band is centred on the lower Nyquist
 * and (A-8)/(2.285*2pi*(N-1)) of the up-sampled rate wide: 20 Hz for 360 ->
 * 128 Hz.  So a 10 Hz tone keeps its amplitude within 0.3 %, and a 100 Hz
 * tone (aliasing to 28 Hz at 128 Hz) is attenuated by >= 50 dB. */
TEST(pass_and_stop_band)
{
    size_t n = 3600;
    double *x = malloc(n * sizeof *x), *y = NULL;
    size_t ny = 0;
    for (size_t i = 0; i < n; i++)
        x[i] = sin(2 * M_PI * 10.0 * (double)i / 360.0);
    CHECK(eo_resample(x, n, 360, 128, &y, &ny, NULL) == EO_STATUS_OK);
    CHECK(ny == 1280);
    double worst = 0;
    for (size_t m = 100; m + 100 < ny; m++)
        worst = fmax(worst, fabs(y[m] - sin(2 * M_PI * 10.0 * (double)m / 128.0)));
    CHECK_MSG(worst < 3e-3, "10 Hz tone: max error %.3g", worst);
    free(y);
    for (size_t i = 0; i < n; i++)
        x[i] = sin(2 * M_PI * 100.0 * (double)i / 360.0);
    CHECK(eo_resample(x, n, 360, 128, &y, &ny, NULL) == EO_STATUS_OK);
    double a = rms(y, 100, ny - 100) / (1 / sqrt(2.0));
    CHECK_MSG(20 * log10(a) < -50, "100 Hz tone: %.1f dB", 20 * log10(a));
    free(y);
    /* Up-sampling: images of a 40 Hz tone at 128 Hz are removed (the
     * output is the 40 Hz tone at 360 Hz). */
    for (size_t i = 0; i < 1280; i++)
        x[i] = sin(2 * M_PI * 40.0 * (double)i / 128.0);
    CHECK(eo_resample(x, 1280, 128, 360, &y, &ny, NULL) == EO_STATUS_OK);
    CHECK(ny == 3600);
    worst = 0;
    for (size_t m = 300; m + 300 < ny; m++)
        worst = fmax(worst, fabs(y[m] - sin(2 * M_PI * 40.0 * (double)m / 360.0)));
    CHECK_MSG(worst < 3e-3, "40 Hz tone up-sampled: max error %.3g", worst);
    free(y);
    free(x);
}

/* A constant stays constant (edge padding: no transient at the ends); each
 * phase's DC gain is 1 within the stop-band ripple. */
TEST(dc_and_edges)
{
    double x[500];
    for (int i = 0; i < 500; i++)
        x[i] = -0.75;
    const double rates[][2] = {{360, 128}, {128, 360}, {360, 257}, {250, 1000}};
    for (int c = 0; c < 4; c++) {
        double *y = NULL;
        size_t ny = 0;
        CHECK(eo_resample(x, 500, rates[c][0], rates[c][1], &y, &ny, NULL) == EO_STATUS_OK);
        double worst = 0;
        for (size_t m = 0; m < ny; m++)
            worst = fmax(worst, fabs(y[m] + 0.75));
        CHECK_MSG(worst < 0.75 * 2e-3, "%g->%g: DC error %.3g", rates[c][0], rates[c][1], worst);
        free(y);
    }
    /* equal rates: an exact copy */
    double *y = NULL;
    size_t ny = 0;
    x[3] = 1.5;
    CHECK(eo_resample(x, 500, 360, 360, &y, &ny, NULL) == EO_STATUS_OK);
    CHECK(ny == 500 && y && y[3] == 1.5 && y[4] == -0.75);
    free(y);
}

TEST(factors_and_length)
{
    long up, down;
    CHECK(eo_resample_factors(360, 128, &up, &down, NULL) == EO_STATUS_OK && up == 16 &&
          down == 45);
    CHECK(eo_resample_factors(360, 257, &up, &down, NULL) == EO_STATUS_OK && up == 257 &&
          down == 360);
    CHECK(eo_resample_factors(128, 360, &up, &down, NULL) == EO_STATUS_OK && up == 45 &&
          down == 16);
    CHECK(eo_resample_factors(360, 360.5, &up, &down, NULL) == EO_STATUS_OK && up == 721 &&
          down == 720);
    CHECK(eo_resample_factors(1000, 1000, &up, &down, NULL) == EO_STATUS_OK && up == 1 &&
          down == 1);
    size_t n;
    CHECK(eo_resample_length(650000, 360, 128, &n, NULL) == EO_STATUS_OK && n == 231112);
    CHECK(eo_resample_length(230400, 128, 360, &n, NULL) == EO_STATUS_OK && n == 648000);
    CHECK(eo_resample_length(1, 360, 128, &n, NULL) == EO_STATUS_OK && n == 1);
}

/* Annotation positions: the output sample nearest in time, exact in
 * integers, round trips through a rational grid. */
TEST(positions)
{
    long p[] = {0, 1, 2, 45, 90, 649999, 23};
    long q[7];
    CHECK(eo_resample_positions(p, 7, 360, 128, 0, q, NULL) == EO_STATUS_OK);
    /* 1*16/45 = 0.356 -> 0; 2*16/45 = 0.711 -> 1; 23*16/45 = 8.18 -> 8 */
    CHECK(q[0] == 0 && q[1] == 0 && q[2] == 1 && q[3] == 16 && q[4] == 32 && q[6] == 8);
    CHECK(q[5] == 231111); /* 649999*16/45 = 231110.76 */
    long h[] = {1, 3};
    CHECK(eo_resample_positions(h, 2, 360, 180, 0, h, NULL) == EO_STATUS_OK);
    CHECK(h[0] == 1 && h[1] == 2); /* halves round up, in place */
    long c[] = {649999};
    CHECK(eo_resample_positions(c, 1, 360, 128, 231000, c, NULL) == EO_STATUS_OK &&
          c[0] == 230999);
    /* 128 -> 360 -> 128 returns every position; each mapped position is the
     * nearest in time */
    long a[1000], b[1000], r[1000];
    for (int i = 0; i < 1000; i++)
        a[i] = i * 7 + (i % 3);
    CHECK(eo_resample_positions(a, 1000, 128, 360, 0, b, NULL) == EO_STATUS_OK);
    CHECK(eo_resample_positions(b, 1000, 360, 128, 0, r, NULL) == EO_STATUS_OK);
    int same = 1, nearest = 1;
    for (int i = 0; i < 1000; i++) {
        same &= r[i] == a[i];
        double t = (double)a[i] / 128.0 * 360.0;
        nearest &= fabs((double)b[i] - t) <= 0.5;
    }
    CHECK(same && nearest);
    long neg[] = {-1};
    eo_error err;
    CHECK(eo_resample_positions(neg, 1, 360, 128, 0, neg, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "negative") != NULL);
}

TEST(bad_input)
{
    double x[4] = {0, 1, NAN, 2};
    double *y = (double *)1;
    size_t ny = 7;
    eo_error err;
    CHECK(eo_resample(x, 4, 360, 128, &y, &ny, &err) == EO_STATUS_NUMERIC);
    CHECK(y == NULL && ny == 0 && strstr(err.msg, "sample 2") != NULL);
    CHECK(eo_resample(x, 2, 0, 128, &y, &ny, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(eo_resample(x, 2, 360, -5, &y, &ny, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(eo_resample(x, 2, 360, NAN, &y, &ny, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(eo_resample(x, 2, 1, 1e6 + 0.5, &y, &ny, &err) == EO_STATUS_UNSUPPORTED);
    CHECK(strstr(err.msg, "ratio") != NULL);
    CHECK(eo_resample(NULL, 2, 360, 128, &y, &ny, &err) == EO_STATUS_USAGE);
    CHECK(eo_resample(x, 0, 360, 128, &y, &ny, &err) == EO_STATUS_OK && y == NULL && ny == 0);
}

int main(void)
{
    RUN(scipy_reference);
    RUN(pass_and_stop_band);
    RUN(dc_and_edges);
    RUN(factors_and_length);
    RUN(positions);
    RUN(bad_input);
    TEST_END();
}
