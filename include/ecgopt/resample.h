/* ecgopt — sampling-rate conversion: polyphase FIR resampling by a rational
 * factor up/down (the design of scipy.signal.resample_poly), and the mapping
 * of annotation sample positions onto the new grid.  See docs/dsp.md.
 *
 * The factor is the reduced fraction fs_out/fs_in (rates given as doubles:
 * 360 -> 128 Hz is 16/45, 360 -> 257 Hz is 257/360).  The anti-aliasing
 * filter is a Kaiser-windowed sinc (beta 5, about 54 dB stop-band
 * attenuation) of 2*10*max(up,down)+1 taps with its cut-off at the lower of
 * the two Nyquist frequencies, exactly scipy's firwin(2L+1, 1/max(up,down),
 * window=('kaiser', 5.0)).  The signal is extended at both ends with its first
 * and last sample (scipy's padtype='edge'), so a baseline offset leaves no
 * transient at the record edges.  No global state; thread-safe. */
#ifndef ECGOPT_RESAMPLE_H
#define ECGOPT_RESAMPLE_H

#include <stddef.h>

#include "ecgopt/export.h"
#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest up or down factor accepted (the filter has 20*max+1 taps). */
#define EO_RESAMPLE_MAX_FACTOR 100000

/* The reduced rational factor fs_out/fs_in = up/down.  The rates must be
 * finite and > 0, and their ratio representable within a relative 1e-9 by a
 * fraction with terms <= EO_RESAMPLE_MAX_FACTOR (EO_STATUS_UNSUPPORTED
 * otherwise). */
EO_API eo_status eo_resample_factors(double fs_in_hz, double fs_out_hz, long *up, long *down,
                                     eo_error *err);

/* Output length for n input samples: ceil(n*up/down) (scipy's). */
EO_API eo_status eo_resample_length(size_t n, double fs_in_hz, double fs_out_hz, size_t *n_out,
                                    eo_error *err);

/* Resample x[0..n) from fs_in_hz to fs_out_hz.  *y_out is allocated with
 * malloc (caller frees with free()), *n_out = ceil(n*up/down); output sample
 * m lies at time m/fs_out_hz, the same origin as input sample 0.  Equal
 * rates give a copy.  n == 0 gives *y_out == NULL, *n_out == 0.  Non-finite
 * samples: EO_STATUS_NUMERIC. */
EO_API eo_status eo_resample(const double *x, size_t n, double fs_in_hz, double fs_out_hz,
                             double **y_out, size_t *n_out, eo_error *err);

/* Map sample positions (e.g. annotation times) from the fs_in grid to the
 * fs_out grid: out[i] = round(pos[i] * up / down) computed exactly in
 * integers (halves round up), i.e. the output sample nearest in time.
 * Negative positions are refused; out may alias pos.  n_out_limit > 0 clamps
 * the results to [0, n_out_limit-1] (the last sample of the resampled
 * record); 0 leaves them unclamped. */
EO_API eo_status eo_resample_positions(const long *pos, size_t n, double fs_in_hz,
                                       double fs_out_hz, long n_out_limit, long *out,
                                       eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
