/* ecgopt — denoising by method name, for callers without the option struct.
 *
 * eo_denoise() takes an eo_denoise_options whose layout (nested wavelet,
 * baseline and VMD options) a caller in another language would have to copy
 * and keep in step; this entry point takes plain arrays and a name, so a
 * binding (python/ecgopt over ctypes) does not break when the struct grows. */
#ifndef ECGOPT_DENOISE_SIGNAL_H
#define ECGOPT_DENOISE_SIGNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/export.h"
#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Denoise x[n] (sampled at fs_hz) into y[n] with the method named `method`
 * ("bandpass", "wavelet", "median", "vmd", "iaoa-vmd"), every other option
 * at the defaults of eo_denoise_defaults() (docs/denoise.md); `seed` seeds
 * the IAOA search of iaoa-vmd.  x and y may not overlap.  A NaN or infinite
 * sample is refused (EO_STATUS_NUMERIC, naming its index). */
EO_API eo_status eo_denoise_signal(const double *x, size_t n, double fs_hz, const char *method,
                                   uint64_t seed, double *y, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
