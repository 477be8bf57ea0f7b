/* NN intervals and SDNN (Task Force of the ESC/NASPE 1996): only intervals
 * between two beats of sinus origin, so an ectopic beat's short coupling
 * interval and long compensatory pause do not inflate the variability. */
#include <math.h>
#include <string.h>

#include "ecgopt/hrv.h"

int eo_hrv_is_normal_symbol(const char *symbol)
{
    return symbol && (!strcmp(symbol, "N") || !strcmp(symbol, "L") || !strcmp(symbol, "R"));
}

eo_status eo_hrv_nn_intervals(const long *samples, const unsigned char *normal, size_t n, double fs_hz,
                              double *nn_ms, size_t *n_nn, eo_error *err)
{
    if ((n && !samples) || !n_nn || !(fs_hz > 0))
        return eo_error_set(err, EO_STATUS_USAGE, "NN intervals: needs a beat list and fs > 0");
    size_t m = 0;
    for (size_t i = 1; i < n; i++) {
        if (normal && (!normal[i - 1] || !normal[i]))
            continue;
        double rr = (double)(samples[i] - samples[i - 1]) / fs_hz * 1000.0;
        if (!(rr > 0))
            continue;
        if (nn_ms)
            nn_ms[m] = rr;
        m++;
    }
    *n_nn = m;
    return EO_STATUS_OK;
}

eo_status eo_hrv_sdnn(const long *samples, const unsigned char *normal, size_t n, double fs_hz,
                      double *sdnn_ms, double *mean_nn_ms, size_t *n_nn, eo_error *err)
{
    if ((n && !samples) || !(fs_hz > 0))
        return eo_error_set(err, EO_STATUS_USAGE, "SDNN: needs a beat list and fs > 0");
    /* two passes over the intervals (mean, then squared deviations): no
     * buffer and no cancellation in sum2 - sum^2/m */
    double sum = 0;
    size_t m = 0;
    for (size_t i = 1; i < n; i++) {
        if (normal && (!normal[i - 1] || !normal[i]))
            continue;
        double rr = (double)(samples[i] - samples[i - 1]) / fs_hz * 1000.0;
        if (rr > 0) {
            sum += rr;
            m++;
        }
    }
    double mean = m ? sum / (double)m : NAN, ss = 0;
    for (size_t i = 1; i < n && m > 1; i++) {
        if (normal && (!normal[i - 1] || !normal[i]))
            continue;
        double rr = (double)(samples[i] - samples[i - 1]) / fs_hz * 1000.0;
        if (rr > 0)
            ss += (rr - mean) * (rr - mean);
    }
    if (sdnn_ms)
        *sdnn_ms = m > 1 ? sqrt(ss / (double)(m - 1)) : NAN;
    if (mean_nn_ms)
        *mean_nn_ms = mean;
    if (n_nn)
        *n_nn = m;
    return EO_STATUS_OK;
}
