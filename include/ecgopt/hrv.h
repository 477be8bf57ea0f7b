/* ecgopt — heart-rate variability from beat lists: normal-to-normal (NN)
 * intervals and SDNN (Task Force of the ESC and NASPE, "Heart rate
 * variability: standards of measurement...", Circulation 93(5), 1996).
 * Pure functions on plain arrays. */
#ifndef ECGOPT_HRV_H
#define ECGOPT_HRV_H

#include <stddef.h>

#include "ecgopt/export.h"
#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when a beat annotation symbol is a beat of sinus origin ("N", "L",
 * "R": normal and bundle-branch-block beats), 0 otherwise (ectopic,
 * escape, paced, unclassified beats). */
EO_API int eo_hrv_is_normal_symbol(const char *symbol);

/* The NN intervals (ms) of beats at samples[0..n) (time order) at fs_hz:
 * interval i-1..i counts when both beat i-1 and beat i are normal
 * (normal[i] != 0), so the coupling interval before an ectopic beat and the
 * pause after it are both left out.  normal == NULL: every beat is normal
 * (all RR intervals).  A non-positive interval (duplicate or out-of-order
 * beat) is skipped.  nn_ms (room for n - 1; may be NULL) receives them,
 * *n_nn their number. */
EO_API eo_status eo_hrv_nn_intervals(const long *samples, const unsigned char *normal, size_t n,
                                     double fs_hz, double *nn_ms, size_t *n_nn, eo_error *err);

/* SDNN: sample standard deviation (divisor m - 1) of the m NN intervals
 * (ms), mean_nn their mean; NaN when m < 2 (mean NaN when m == 0).  Either
 * output may be NULL; *n_nn (may be NULL) receives m. */
EO_API eo_status eo_hrv_sdnn(const long *samples, const unsigned char *normal, size_t n, double fs_hz,
                             double *sdnn_ms, double *mean_nn_ms, size_t *n_nn, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
