/* libFuzzer: eo_resample and eo_resample_positions on arbitrary samples and
 * rate pairs.  Bytes 0-1 pick the two rates (from a table, or a raw rate
 * 100..355 Hz from bytes 2-3), the rest are int16 samples (0x8000 -> NaN).  Invariants: no
 * crash; on success exactly ceil(n up/down) finite outputs bounded by the
 * filter's gain (sum |h| < 2 of max|x|); positions monotone and in range. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "ecgopt/resample.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    static const double rates[] = {128, 250, 257, 360, 500, 1000, 360.5, 0};
    double fi = rates[data[0] & 7], fo = rates[data[1] & 7];
    /* a raw rate 100..355 Hz: factors stay small enough for a fast run */
    if (fi == 0)
        fi = 100.0 + data[2];
    if (fo == 0)
        fo = 100.0 + data[3];
    size_t n = (size - 4) / 2;
    if (n > 4000)
        n = 4000;
    double *x = malloc((n ? n : 1) * sizeof *x);
    long *p = malloc((n ? n : 1) * sizeof *p);
    if (!x || !p) {
        free(x);
        free(p);
        return 0;
    }
    double mx = 0;
    for (size_t i = 0; i < n; i++) {
        int16_t v = (int16_t)(data[4 + 2 * i] | data[5 + 2 * i] << 8);
        x[i] = v == INT16_MIN ? NAN : v;
        if (isfinite(x[i]) && fabs(x[i]) > mx)
            mx = fabs(x[i]);
        p[i] = (long)i * 3;
    }
    double *y = NULL;
    size_t ny = 0;
    if (eo_resample(x, n, fi, fo, &y, &ny, NULL) == EO_STATUS_OK) {
        size_t want = 0;
        if (eo_resample_length(n, fi, fo, &want, NULL) != EO_STATUS_OK || want != ny)
            abort();
        for (size_t i = 0; i < ny; i++)
            if (!isfinite(y[i]) || fabs(y[i]) > 2.0 * mx + 1e-9)
                abort();
    }
    free(y);
    if (eo_resample_positions(p, n, fi, fo, (long)ny, p, NULL) == EO_STATUS_OK)
        for (size_t i = 1; i < n; i++)
            if (p[i] < p[i - 1] || p[i] < 0 || (ny > 0 && p[i] >= (long)ny))
                abort();
    free(x);
    free(p);
    return 0;
}
