/* ecgopt — compressing plain sample arrays, for callers without the record
 * and option structs (python/ecgopt over ctypes): no eo_wfdb_record or
 * eo_codec_options to lay out in another language. */
#ifndef ECGOPT_CODEC_SAMPLES_H
#define ECGOPT_CODEC_SAMPLES_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/export.h"
#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Compress n_signals x n_samples digital samples (adu, channel-major:
 * adu[s * n_samples + i]) into an in-memory .ecgz file (*buf, *len; free
 * with eo_free or free).  gain[s] (adu per mV; NULL: 200) and baseline[s]
 * (NULL: 0) go into the file's signal table; adc_bits (0..24; 0: the
 * codec's 12) is the bits per sample the compression ratio counts.  mode is
 * "lossless", "bounded" (level = the largest error in adu, an integer
 * 0..1000) or "wavelet" (level = the target PRDN in percent, 0 < level <
 * 100).  The autoencoder mode needs a model and is not offered here. */
EO_API eo_status eo_codec_compress_samples(const int32_t *adu, int n_signals, long n_samples,
                                           double fs_hz, const double *gain, const int *baseline,
                                           int adc_bits, const char *mode, double level,
                                           unsigned char **buf, size_t *len, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
