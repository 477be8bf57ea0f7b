/* ecgopt — signal fidelity metrics, one definition for denoising and
 * compression (see docs/metrics.md).  x is the reference (original/clean),
 * y the test signal (reconstruction/denoised), both length n > 0.
 *
 *   RMSE  = sqrt(mean((x - y)^2))
 *   PRD   = 100 * sqrt(sum (x - y)^2 / sum (x - offset)^2)   offset = ADC zero
 *   PRDN  = 100 * sqrt(sum (x - y)^2 / sum (x - mean x)^2)
 *   SNR   = 10 log10(sum (x - mean x)^2 / sum (x - y)^2)      [dB]
 *   MAXE  = max |x - y|
 *   QS    = CR / PRDN
 * A perfect reconstruction gives PRD = PRDN = 0 and SNR = +inf. */
#ifndef ECGOPT_METRICS_H
#define ECGOPT_METRICS_H

#include "ecgopt/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eo_fidelity {
    double rmse;
    double prd;     /* percent, relative to offset */
    double prdn;    /* percent, mean removed */
    double snr_db;
    double max_abs_error;
    size_t n;
    /* running sums, so blocks and records can be pooled exactly */
    double sum_err2, sum_ref2_offset, sum_ref, sum_ref2;
} eo_fidelity;

/* Start empty sums. */
EO_API void eo_fidelity_init(eo_fidelity *f);
/* Add n samples (reference x, test y) with the PRD offset (ADC zero). */
EO_API void eo_fidelity_add(eo_fidelity *f, const double *x, const double *y, size_t n, double offset);
/* Merge another accumulator (pooled metrics over records). */
EO_API void eo_fidelity_merge(eo_fidelity *f, const eo_fidelity *other);
/* Compute rmse/prd/prdn/snr from the sums (idempotent). */
EO_API void eo_fidelity_finish(eo_fidelity *f);
/* One-shot helper. */
EO_API eo_fidelity eo_fidelity_of(const double *x, const double *y, size_t n, double offset);

/* SNR of noisy y against clean x, and the improvement of a denoised signal:
 * SNR(x, denoised) - SNR(x, noisy), in dB. */
EO_API double eo_snr_db(const double *x, const double *y, size_t n);
EO_API double eo_snr_improvement_db(const double *clean, const double *noisy, const double *denoised,
                             size_t n);

/* Compression ratio counting every bit: bits_per_sample (11 for MIT-BIH) x
 * n_samples / total bits of the file. */
EO_API double eo_compression_ratio(double bits_per_sample, size_t n_samples, size_t file_bytes);

#ifdef __cplusplus
}
#endif
#endif
