/* Envelope entropy (Tang et al. 2017 and the IAOA-VMD paper in
 * Xing et al. 2025): a = |hilbert(x)|, p = a / sum(a),
 * E = -sum p ln p; the mean envelope entropy of K modes is their average. */
#include <stdlib.h>

#include "dsp/dsp_internal.h"

eo_status eo_envelope_entropy(const double *x, size_t n, eo_fft *fft, double *entropy,
                              eo_error *err)
{
    if (!entropy) return eo_error_set(err, EO_STATUS_USAGE, "envelope_entropy: NULL output");
    if (n < 1) return eo_error_set(err, EO_STATUS_USAGE, "envelope_entropy: empty signal");
    double *a = malloc(n * sizeof *a);
    if (!a) return eo_error_set(err, EO_STATUS_NO_MEMORY, "envelope_entropy: out of memory");
    eo_status st = eo_envelope(x, n, fft, a, err);
    if (!st) {
        double s = 0;
        for (size_t i = 0; i < n; i++) s += a[i];
        if (!(s > 0) || !isfinite(s)) {
            st = eo_error_set(err, EO_STATUS_NUMERIC,
                              "envelope_entropy: envelope sums to %g (zero signal?)", s);
        } else {
            double e = 0;
            for (size_t i = 0; i < n; i++) {
                double p = a[i] / s;
                if (p > 0) e -= p * log(p);
            }
            *entropy = e;
        }
    }
    free(a);
    return st;
}

eo_status eo_mean_envelope_entropy(const double *modes, int k, size_t n, eo_fft *fft,
                                   double *mee, eo_error *err)
{
    if (!modes || !mee || k < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "mean_envelope_entropy: need k >= 1 modes");
    double sum = 0;
    for (int i = 0; i < k; i++) {
        double e;
        eo_status st = eo_envelope_entropy(modes + (size_t)i * n, n, fft, &e, err);
        if (st) {
            eo_error_prefix(err, "mode %d", i);
            return st;
        }
        sum += e;
    }
    *mee = sum / k;
    return EO_STATUS_OK;
}
