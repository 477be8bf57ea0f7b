/* ecgopt — streaming QRS detector (Pan-Tompkins family).
 *
 * Pan & Tompkins (1985) front end: band-pass, five-point derivative,
 * squaring, moving-window integration; Hamilton & Tompkins (1986) decision
 * rules: peak detection on the integrated signal with 200 ms blanking,
 * detection threshold between the median noise-peak and QRS-peak levels,
 * search-back for missed beats, T-wave rejection by slope, baseline-shift
 * rejection.  See docs/qrs.md for the exact variants and the measured
 * MIT-BIH figures.
 *
 * One code path serves a whole record and a live stream: feed blocks of any
 * size to eo_qrs_process(), take the decided beats with eo_qrs_take(), and
 * call eo_qrs_finish() at the end of the data.  Beat times are absolute
 * sample indices (0 = first sample fed) at the R peak (the largest deviation
 * of the band-passed signal inside the QRS).  Decisions lag the input by at
 * most about 1.5 RR intervals plus 0.5 s (search-back).
 *
 * OWNER: dsp module (QRS detection). */
#ifndef ECGOPT_QRS_H
#define ECGOPT_QRS_H

#include "ecgopt/export.h"

#include <stddef.h>

#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eo_qrs_options {
    double fs_hz;            /* sampling rate, 50..10000 Hz (required) */
    double band_low_hz;      /* band-pass lower cut-off, default 5 Hz */
    double band_high_hz;     /* band-pass upper cut-off, default 15 Hz; < fs/2 */
    double integration_ms;   /* moving-window integrator width, default 120 ms */
    double refractory_ms;    /* no two beats closer than this, default 200 ms */
    double twave_ms;         /* T-wave check for beats closer than this, 360 ms */
    double twave_slope_ratio;/* a peak within twave_ms whose max slope is below
                                ratio * previous QRS slope is a T wave; 0.3 */
    double twave_wide_ms;    /* ... and a peak within twave_ms whose derivative is active
                                (>= 1/4 of its maximum) over at least this long -- a wave
                                wider than a QRS, such as the large T wave after a
                                ventricular beat -- is a T wave when its slope is below
                                twave_wide_ratio * the previous QRS's; default 140 ms,
                                0 disables */
    double twave_wide_ratio; /* default 0.6 */
    double threshold;        /* TH: det = noise + TH*(qrs - noise), 0.45 */
    double searchback_rr;    /* search back after this many mean RR, 1.5 */
    double learn_s;          /* initial learning window (replayed), 2 s */
    int baseline_check;      /* 1 (default): reject peaks without both slopes */
    int squaring;            /* 1: square the derivative (PT); 0 (default): |derivative| (HT) */
} eo_qrs_options;

/* Defaults for sampling rate fs_hz. */
EO_API void eo_qrs_defaults(eo_qrs_options *o, double fs_hz);

typedef struct eo_qrs eo_qrs;

/* Create a detector; checks every option (cut-offs below Nyquist, ranges). */
EO_API eo_status eo_qrs_create(const eo_qrs_options *o, eo_qrs **out, eo_error *err);
/* destroy(NULL) is a no-op. */
EO_API void eo_qrs_destroy(eo_qrs *q);

/* Feed n samples in physical units (mV; any scale works, thresholds adapt).
 * A NaN/Inf sample (invalid in WFDB) is replaced by the last finite one.
 * Fails only on allocation failure. */
EO_API eo_status eo_qrs_process(eo_qrs *q, const double *x, size_t n, eo_error *err);
/* End of data: decide the beats still pending. Further process() calls fail. */
EO_API eo_status eo_qrs_finish(eo_qrs *q, eo_error *err);
/* Move up to max decided beat times (ascending, absolute samples) into out;
 * returns how many were moved. */
EO_API size_t eo_qrs_take(eo_qrs *q, long *out, size_t max);
/* Number of decided beats waiting in eo_qrs_take(). */
EO_API size_t eo_qrs_pending(const eo_qrs *q);

/* Whole signal in one call: *beats is malloc'd (free()), *n_beats its length
 * (may be 0, *beats then NULL). */
EO_API eo_status eo_qrs_detect(const double *x, size_t n, const eo_qrs_options *o, long **beats,
                        size_t *n_beats, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
