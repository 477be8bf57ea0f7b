/* ecgopt — synthetic ECG (ECGSYN).
 *
 * McSharry, Clifford, Tarassenko & Smith, "A dynamical model for generating
 * synthetic electrocardiogram signals", IEEE TBME 50(3) 289-294, 2003.
 * A point (x, y, z) circles the unit limit cycle once per RR interval
 * (eq. 3: dx = a x - w y, dy = a y + w x, a = 1 - sqrt(x^2+y^2), w = 2 pi / RR);
 * z is pushed by five Gaussian events P, Q, R, S, T at angles theta_i with
 * amplitudes a_i and widths b_i (eq. 3, third line) and pulled toward a
 * respiratory baseline z0(t) = A sin(2 pi f2 t).  The RR tachogram has the
 * bimodal LF/HF power spectrum of eq. (2) with random phases.  Widths and
 * angles are scaled by sqrt(hr/60) as in the authors' ecgsyn.c.  Integration
 * is fourth-order Runge-Kutta with a fixed step at an internal rate that is
 * an integer multiple of fs, then decimated; z is scaled to [min_mv, max_mv].
 *
 * Ground truth: the R event of each beat is the moment the phase crosses
 * theta_R; the annotation is the z maximum (minimum for an ectopic beat with
 * a negative R amplitude) within +-60 ms of that moment.
 *
 * Ectopic beats (an extension, not in the paper): each beat is, with
 * probability ectopic_prob, a premature ventricular-like beat that arrives
 * after ectopic_prematurity * RR, followed by a compensatory pause so the
 * two intervals sum to 2 RR; its morphology drops the P wave, widens Q/R/S
 * by 2.5x and inverts T.  Annotated 'V' (code 5), normal beats 'N' (1).
 *
 * Noise: zero-mean Gaussian, noise_mv standard deviation, added after
 * scaling.  All randomness from the caller's eo_rng. */
#ifndef ECGOPT_SYNTH_H
#define ECGOPT_SYNTH_H

#include "ecgopt/export.h"

#include <stddef.h>

#include "ecgopt/rng.h"
#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Index of each wave in theta_deg / a / b. */
enum { EO_SYNTH_P = 0, EO_SYNTH_Q, EO_SYNTH_R, EO_SYNTH_S, EO_SYNTH_T, EO_SYNTH_WAVES };

typedef struct eo_synth_options {
    double fs_hz;        /* output sampling rate, 50..10000 (default 360) */
    double seconds;      /* duration, > 0, <= 86400 (default 10) */
    double hr_mean_bpm;  /* mean heart rate, 20..250 (default 60) */
    double hr_std_bpm;   /* heart-rate standard deviation, >= 0 (default 1) */
    double lf_hz, hf_hz;         /* Mayer-wave and RSA peaks (0.1, 0.25) */
    double lf_std_hz, hf_std_hz; /* their widths (0.01, 0.01) */
    double lf_hf_ratio;  /* LF/HF power ratio, > 0 (default 0.5) */
    double theta_deg[EO_SYNTH_WAVES]; /* angles at 60 bpm (-70 -15 0 15 100) */
    double a[EO_SYNTH_WAVES];         /* amplitudes (1.2 -5 30 -7.5 0.75) */
    double b[EO_SYNTH_WAVES];         /* widths, rad, > 0 (0.25 0.1 0.1 0.1 0.4) */
    double resp_hz;      /* respiration frequency of the baseline (0.25) */
    double resp_amp;     /* its amplitude in model units (0.005) */
    double min_mv, max_mv; /* output range of the noise-free signal (-0.4, 1.2) */
    double noise_mv;     /* Gaussian noise standard deviation, mV (default 0) */
    double ectopic_prob; /* probability a beat is ectopic, 0..0.5 (default 0) */
    double ectopic_prematurity; /* its RR fraction, 0.4..0.95 (default 0.65) */
    int oversample;      /* internal rate = oversample * fs; 0 = smallest giving >= 500 Hz */
} eo_synth_options;

EO_API void eo_synth_defaults(eo_synth_options *o);

/* A synthetic record.  Owned by the caller; free with eo_synth_destroy. */
typedef struct eo_synth {
    double fs_hz;
    size_t n;         /* samples */
    double *ecg_mv;   /* n samples */
    size_t n_beats;
    long *r_peak;     /* sample index of each R peak, increasing */
    int *beat_code;   /* WFDB anntyp: 1 (N) or 5 (V) */
} eo_synth;

/* Generate.  Errors name the option that is out of range. */
EO_API eo_status eo_synth_generate(const eo_synth_options *o, eo_rng *rng, eo_synth **out, eo_error *err);
EO_API void eo_synth_destroy(eo_synth *s); /* NULL: no-op */

/* Write s as the WFDB record dir/name (.hea, .dat, one signal in mV) with
 * its true R peaks in dir/name.atr.  format 16: 1000 adu/mV, baseline 0;
 * format 212: 200 adu/mV, baseline 1024, 11-bit ADC, as MIT-BIH stores its
 * records.  Samples are rounded to the nearest adu and clipped to the
 * format's range.  description names the signal ("ECGSYN" when NULL).
 * Another format -> EO_STATUS_USAGE. */
EO_API eo_status eo_synth_write(const eo_synth *s, const char *dir, const char *name, int format,
                                const char *description, eo_error *err);

/* The RR tachogram process alone (eq. 2): n samples (n >= 4, even) at
 * sf_hz, mean 60/hr_mean_bpm s and standard deviation 60 hr_std/hr_mean^2 s,
 * with the options' LF/HF spectrum and random phases. */
EO_API eo_status eo_synth_rr_process(const eo_synth_options *o, eo_rng *rng, double sf_hz, size_t n,
                              double *rr_s, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
