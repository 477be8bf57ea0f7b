/* Analytic signal by the frequency-domain method of scipy.signal.hilbert
 * (Marple 1999, IEEE TSP 47(9):2600): X = FFT(x); multiply by h with
 * h[0] = 1, h[k] = 2 for 0 < k < n/2, h[n/2] = 1 (n even), h = 0 above;
 * z = IFFT.  The envelope is |z|. */
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp_internal.h"

eo_status eo_hilbert(const double *x, size_t n, eo_fft *fft, double *z, eo_error *err)
{
    if (!x || !z) return eo_error_set(err, EO_STATUS_USAGE, "hilbert: NULL signal");
    if (n < 1) return eo_error_set(err, EO_STATUS_USAGE, "hilbert: empty signal");
    if (fft && eo_fft_len(fft) != n)
        return eo_error_set(err, EO_STATUS_USAGE, "hilbert: FFT object of length %zu for %zu samples",
                            eo_fft_len(fft), n);
    eo_status st = eo_dsp_check_finite("hilbert", x, n, err);
    if (st) return st;
    eo_fft *own = NULL;
    if (!fft) {
        st = eo_fft_create(n, &own, err);
        if (st) return st;
        fft = own;
    }
    /* z may alias x only in the sense of env; build the complex input in z
     * from the back so that z == x (first n doubles) would still work */
    for (size_t i = n; i-- > 0;) {
        double v = x[i];
        z[2 * i] = v;
        z[2 * i + 1] = 0.0;
    }
    st = eo_fft_c2c(fft, z, z, -1, err);
    if (!st) {
        size_t half = n / 2;
        for (size_t k = 1; k < n; k++) {
            double h;
            if ((n & 1) == 0) h = k < half ? 2.0 : (k == half ? 1.0 : 0.0);
            else h = k < (n + 1) / 2 ? 2.0 : 0.0;
            z[2 * k] *= h;
            z[2 * k + 1] *= h;
        }
        st = eo_fft_c2c(fft, z, z, +1, err);
        double inv = 1.0 / (double)n;
        for (size_t i = 0; i < 2 * n; i++) z[i] *= inv;
    }
    eo_fft_destroy(own);
    return st;
}

eo_status eo_envelope(const double *x, size_t n, eo_fft *fft, double *env, eo_error *err)
{
    if (!env) return eo_error_set(err, EO_STATUS_USAGE, "envelope: NULL output");
    if (n < 1) return eo_error_set(err, EO_STATUS_USAGE, "envelope: empty signal");
    double *z = malloc(2 * n * sizeof *z);
    if (!z) return eo_error_set(err, EO_STATUS_NO_MEMORY, "envelope: out of memory for %zu samples", n);
    eo_status st = eo_hilbert(x, n, fft, z, err);
    if (!st)
        for (size_t i = 0; i < n; i++) env[i] = hypot(z[2 * i], z[2 * i + 1]);
    free(z);
    return st;
}
