/* eo_denoise_signal (include/ecgopt/denoise.h; include/ecgopt/arrays.h
 * gathers the FFI entry points): eo_denoise() by method name with default
 * options, for callers that cannot lay out eo_denoise_options. */
#include <math.h>

#include "ecgopt/denoise.h"

eo_status eo_denoise_signal(const double *x, size_t n, double fs_hz, const char *method,
                            uint64_t seed, double *y, eo_error *err)
{
    if (!x || !y || !method)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise: NULL argument");
    if (n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise: empty signal");
    if (!(fs_hz > 0) || !isfinite(fs_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "denoise: sampling rate %g Hz", fs_hz);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return eo_error_set(err, EO_STATUS_NUMERIC, "denoise: sample %zu is %g", i, x[i]);
    eo_denoise_options o;
    eo_denoise_defaults(&o);
    eo_status st = eo_denoise_method_parse(method, &o.method, err);
    if (st)
        return st;
    o.seed = seed;
    eo_denoise_report rep;
    return eo_denoise(x, n, fs_hz, &o, y, &rep, err);
}
