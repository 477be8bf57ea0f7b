/* Polyphase FIR resampling by a rational factor (the design of
 * scipy.signal.resample_poly with padtype='edge'), and annotation positions
 * moved to the new grid.
 *
 * Output sample m sits at time m*down on the up-sampled grid, input sample n
 * at n*up; y[m] = sum_n x[n] h[L + m*down - n*up] with h the Kaiser-windowed
 * sinc of 2L+1 taps (L = 10 max(up, down)) scaled to a DC gain of up.  Only
 * the taps that meet a non-zero up-sampled sample are visited: for output m
 * they are h[r], h[r+up], h[r+2up], ... with r = (m*down + L) mod up, so the
 * filter is stored once, regrouped by phase r ("polyphase"), and each output
 * costs about (2L+1)/up multiply-adds. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/resample.h"

/* Modified Bessel function I0 by its power series; for the Kaiser window's
 * argument (<= beta = 5) the terms fall below 1e-17 of the sum after ~25
 * terms, so the result is correct to double precision. */
static double bessel_i0(double x)
{
    double sum = 1.0, term = 1.0, q = 0.25 * x * x;
    for (int k = 1; k < 200; k++) {
        term *= q / ((double)k * (double)k);
        sum += term;
        if (term < 1e-17 * sum)
            break;
    }
    return sum;
}

static long gcd_long(long a, long b)
{
    while (b != 0) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

eo_status eo_resample_factors(double fs_in_hz, double fs_out_hz, long *up, long *down,
                              eo_error *err)
{
    if (!up || !down)
        return eo_error_set(err, EO_STATUS_USAGE, "resample: NULL factor pointer");
    if (!isfinite(fs_in_hz) || !isfinite(fs_out_hz) || fs_in_hz <= 0.0 || fs_out_hz <= 0.0)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "resample: sampling rates must be finite and > 0 (got %g -> %g Hz)",
                            fs_in_hz, fs_out_hz);
    double r = fs_out_hz / fs_in_hz;
    /* Continued fraction of r; the first convergent within 1e-9 relative. */
    long p0 = 0, q0 = 1, p1 = 1, q1 = 0;
    double v = r;
    for (int it = 0; it < 64; it++) {
        double a = floor(v);
        if (a > (double)EO_RESAMPLE_MAX_FACTOR)
            break;
        long ai = (long)a;
        long p2 = ai * p1 + p0, q2 = ai * q1 + q0;
        if (p2 > EO_RESAMPLE_MAX_FACTOR || q2 > EO_RESAMPLE_MAX_FACTOR)
            break;
        p0 = p1;
        q0 = q1;
        p1 = p2;
        q1 = q2;
        if (q1 > 0 && p1 > 0 && fabs((double)p1 / (double)q1 - r) <= 1e-9 * r) {
            long g = gcd_long(p1, q1);
            *up = p1 / g;
            *down = q1 / g;
            return EO_STATUS_OK;
        }
        double frac = v - a;
        if (frac < 1e-15)
            break;
        v = 1.0 / frac;
    }
    return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                        "resample: %g -> %g Hz is not a ratio of integers <= %d", fs_in_hz,
                        fs_out_hz, EO_RESAMPLE_MAX_FACTOR);
}

eo_status eo_resample_length(size_t n, double fs_in_hz, double fs_out_hz, size_t *n_out,
                             eo_error *err)
{
    long up, down;
    eo_status st = eo_resample_factors(fs_in_hz, fs_out_hz, &up, &down, err);
    if (st != EO_STATUS_OK)
        return st;
    if (!n_out)
        return eo_error_set(err, EO_STATUS_USAGE, "resample: NULL length pointer");
    if (n > (size_t)(INT64_MAX / 4) / (size_t)up)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "resample: %zu samples is too long", n);
    uint64_t num = (uint64_t)n * (uint64_t)up;
    *n_out = (size_t)(num / (uint64_t)down + (num % (uint64_t)down != 0));
    return EO_STATUS_OK;
}

eo_status eo_resample(const double *x, size_t n, double fs_in_hz, double fs_out_hz,
                      double **y_out, size_t *n_out, eo_error *err)
{
    if (!y_out || !n_out || (!x && n > 0))
        return eo_error_set(err, EO_STATUS_USAGE, "resample: NULL argument");
    *y_out = NULL;
    *n_out = 0;
    long up, down;
    size_t ny;
    eo_status st = eo_resample_length(n, fs_in_hz, fs_out_hz, &ny, err);
    if (st != EO_STATUS_OK)
        return st;
    eo_resample_factors(fs_in_hz, fs_out_hz, &up, &down, NULL);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return eo_error_set(err, EO_STATUS_NUMERIC,
                                "resample: sample %zu is not finite (%g)", i, x[i]);
    if (n == 0)
        return EO_STATUS_OK;
    double *y = malloc(ny * sizeof *y);
    if (!y)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "resample: out of memory (%zu samples)",
                            ny);
    if (up == 1 && down == 1) {
        memcpy(y, x, n * sizeof *y);
        *y_out = y;
        *n_out = n;
        return EO_STATUS_OK;
    }

    /* Filter design: firwin(2L+1, 1/max, window=('kaiser', 5.0)) * up. */
    const double beta = 5.0;
    long maxr = up > down ? up : down;
    long L = 10 * maxr, nt = 2 * L + 1;
    double *h = malloc((size_t)nt * sizeof *h);
    double *bank = malloc((size_t)nt * sizeof *bank);
    long *start = malloc((size_t)(up + 1) * sizeof *start);
    if (!h || !bank || !start) {
        free(h);
        free(bank);
        free(start);
        free(y);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "resample: out of memory (%ld taps)", nt);
    }
    double fc = 1.0 / (double)maxr, i0b = bessel_i0(beta), sum = 0.0;
    for (long k = 0; k < nt; k++) {
        double m = (double)(k - L);
        double arg = fc * m;
        double sinc = arg == 0.0 ? 1.0 : sin(M_PI * arg) / (M_PI * arg);
        double t = 2.0 * (double)k / (double)(nt - 1) - 1.0;
        double w = bessel_i0(beta * sqrt(fmax(0.0, 1.0 - t * t))) / i0b;
        h[k] = fc * sinc * w;
        sum += h[k];
    }
    for (long k = 0; k < nt; k++)
        h[k] *= (double)up / sum;
    /* Phase r holds h[r], h[r+up], ... reversed, so that output m is a
     * forward dot product with x[n0-K+1 .. n0]. */
    long pos = 0;
    for (long r = 0; r < up; r++) {
        long K = (2 * L - r) / up + 1;
        start[r] = pos;
        for (long j = 0; j < K; j++)
            bank[pos + K - 1 - j] = h[r + j * up];
        pos += K;
    }
    start[up] = pos;

    long nn = (long)n;
    for (size_t m = 0; m < ny; m++) {
        long long tt = (long long)m * down + L;
        long n0 = (long)(tt / up), r = (long)(tt % up);
        long K = start[r + 1] - start[r];
        const double *b = bank + start[r];
        long first = n0 - K + 1;
        double acc = 0.0;
        if (first >= 0 && n0 < nn) {
            const double *xs = x + first;
            for (long j = 0; j < K; j++)
                acc += b[j] * xs[j];
        } else {
            for (long j = 0; j < K; j++) {
                long i = first + j;
                double v = i < 0 ? x[0] : (i >= nn ? x[nn - 1] : x[i]);
                acc += b[j] * v;
            }
        }
        y[m] = acc;
    }
    free(h);
    free(bank);
    free(start);
    *y_out = y;
    *n_out = ny;
    return EO_STATUS_OK;
}

eo_status eo_resample_positions(const long *pos, size_t n, double fs_in_hz, double fs_out_hz,
                                long n_out_limit, long *out, eo_error *err)
{
    if ((!pos || !out) && n > 0)
        return eo_error_set(err, EO_STATUS_USAGE, "resample positions: NULL argument");
    long up, down;
    eo_status st = eo_resample_factors(fs_in_hz, fs_out_hz, &up, &down, err);
    if (st != EO_STATUS_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        long p = pos[i];
        if (p < 0)
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "resample positions: position %zu is negative (%ld)", i, p);
        if (p > (long)(INT64_MAX / 4 / up))
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "resample positions: position %zu is too large (%ld)", i, p);
        /* round(p*up/down), halves up: floor((2 p up + down) / (2 down)). */
        long long q = ((long long)2 * p * up + down) / ((long long)2 * down);
        if (n_out_limit > 0 && q > n_out_limit - 1)
            q = n_out_limit - 1;
        out[i] = (long)q;
    }
    return EO_STATUS_OK;
}
