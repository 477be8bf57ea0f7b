/* ecgopt — whole operations on plain arrays, for callers through a foreign
 * function interface (the Python package python/ecgopt over ctypes).
 *
 * The functions here take and return flat arrays and strings only: no option
 * structs whose layout a caller in another language would have to copy, so
 * the binding does not break when a struct of the C API grows a field.
 * Memory they hand out is released with eo_free(), the C library's free()
 * seen from the same shared object (a ctypes caller cannot rely on finding
 * the very free() the library was linked against). */
#ifndef ECGOPT_ARRAYS_H
#define ECGOPT_ARRAYS_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/export.h"
#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* free() of memory the library malloc'd for the caller (eo_qrs_detect's
 * beats, eo_resample's output, eo_codec_compress_samples' bytes, ...).
 * NULL is a no-op. */
EO_API void eo_free(void *p);

/* Denoise x[n] (sampled at fs_hz) into y[n] with the method named `method`
 * ("bandpass", "wavelet", "median", "vmd", "iaoa-vmd"), every other option
 * at the defaults of eo_denoise_defaults() (docs/denoise.md); `seed` seeds
 * the IAOA search of iaoa-vmd.  x and y may not overlap.  A NaN or infinite
 * sample is refused (EO_STATUS_NUMERIC, naming its index). */
EO_API eo_status eo_denoise_signal(const double *x, size_t n, double fs_hz, const char *method,
                                   uint64_t seed, double *y, eo_error *err);

/* Compress n_signals x n_samples digital samples (adu, channel-major:
 * adu[s * n_samples + i]) into an in-memory .ecgz file (*buf, *len; free
 * with eo_free).  gain[s] (adu per mV; NULL: 200) and baseline[s] (NULL: 0)
 * go into the file's signal table; adc_bits (0..24; 0: the codec's 12) is
 * the bits per sample the compression ratio counts.  mode is "lossless",
 * "bounded" (level = the largest error in adu, an integer 0..1000) or
 * "wavelet" (level = the target PRDN in percent, 0 < level < 100).  The
 * autoencoder mode needs a model and is not offered here. */
EO_API eo_status eo_codec_compress_samples(const int32_t *adu, int n_signals, long n_samples,
                                           double fs_hz, const double *gain, const int *baseline,
                                           int adc_bits, const char *mode, double level,
                                           unsigned char **buf, size_t *len, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
