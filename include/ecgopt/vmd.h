/* ecgopt — Variational Mode Decomposition (VMD).
 *
 * Dragomiretskiy & Zosso, "Variational Mode Decomposition", IEEE TSP 62(3)
 * 531-544, 2014, Algorithm 2 (ADMM): every mode's half spectrum is a Wiener
 * filter of the residual around its centre frequency (eq. 26), the centre
 * frequency is the power-weighted mean of that half spectrum (eq. 27), and the
 * Lagrange multiplier takes a dual-ascent step of size tau (eq. 28).  The
 * signal is mirror-extended by half its length on each side before the FFT,
 * as in the authors' MATLAB code and `vmdpy`, whose outputs this matches to
 * 1e-6 on even lengths (see docs/denoise.md for the reference quirks kept).
 *
 * Odd lengths: vmdpy drops the last sample.  ecgopt keeps every sample: the
 * left mirror takes floor(n/2) samples, the right one the remaining
 * ceil(n/2), so the extended length 2n is always even and the output has
 * exactly n samples.  For even n this is the vmdpy extension.
 *
 * Memory is O(n*K) (only the current iterate is kept); the FFTs use FFTW3.
 * A handle holds FFTW plans and work buffers, so repeated decompositions of
 * same-length signals (an optimiser's evaluations) reuse them.  Plan
 * creation and destruction take dsp.h's FFTW planner lock, so handles may be
 * created in any thread; one handle must not be run from two threads at once
 * (distinct handles may). */
#ifndef ECGOPT_VMD_H
#define ECGOPT_VMD_H

#include "ecgopt/export.h"

#include <stddef.h>

#include "ecgopt/rng.h"
#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum eo_vmd_init {
    EO_VMD_INIT_ZERO = 0,    /* all centre frequencies start at 0 */
    EO_VMD_INIT_UNIFORM = 1, /* omega_k = 0.5 k / K (cycles per sample) */
    EO_VMD_INIT_RANDOM = 2   /* log-uniform in [1/n, 0.5], sorted; needs rng */
} eo_vmd_init;

typedef struct eo_vmd_options {
    int K;            /* number of modes, 1..64 (default 3); also < n/2 */
    double alpha;     /* bandwidth constraint (data-fidelity balance), > 0 (default 2000) */
    double tau;       /* dual-ascent step, >= 0; 0 = noise slack (default 0) */
    int dc;           /* 1: the first mode is held at 0 Hz (default 0) */
    eo_vmd_init init; /* initial centre frequencies (default ZERO) */
    double tol;       /* stop when sum_k ||u_k^{n+1}-u_k^n||^2 / (2n) + eps <= tol (default 1e-7) */
    int max_iter;     /* maximum ADMM updates, >= 1 (default 500).  vmdpy's
                       * fixed Niter = 500 performs at most 499: pass 499 to
                       * reproduce it exactly when it does not converge. */
    eo_rng *rng;      /* required for EO_VMD_INIT_RANDOM, else unused; not owned */
} eo_vmd_options;

EO_API void eo_vmd_defaults(eo_vmd_options *o);

/* Check options for a signal of n samples; one-line message on failure
 * (alpha <= 0, K < 1, K >= n/2 "more modes than the signal supports", ...). */
EO_API eo_status eo_vmd_check(const eo_vmd_options *o, size_t n, eo_error *err);

typedef struct eo_vmd eo_vmd;

/* A decomposer for signals of exactly n samples (n >= 8).  Options are
 * copied (the rng pointer is kept, not owned). */
EO_API eo_status eo_vmd_create(eo_vmd **out, size_t n, const eo_vmd_options *opt, eo_error *err);
EO_API void eo_vmd_destroy(eo_vmd *v); /* NULL is a no-op */

/* Change alpha / K without re-planning (same n).  K above the K the handle
 * was created with is allowed: buffers grow. */
EO_API eo_status eo_vmd_set_params(eo_vmd *v, int K, double alpha, eo_error *err);

/* Decompose x[0..n) sampled at fs_hz (> 0; used only to report centre
 * frequencies in Hz).  NaN/Inf samples are an error.  Results stay in the
 * handle until the next run. */
EO_API eo_status eo_vmd_run(eo_vmd *v, const double *x, double fs_hz, eo_error *err);

EO_API size_t eo_vmd_length(const eo_vmd *v);
EO_API int eo_vmd_modes(const eo_vmd *v);          /* K of the last run */
EO_API const double *eo_vmd_mode(const eo_vmd *v, int k); /* n samples; valid until next run/destroy */
EO_API double eo_vmd_omega(const eo_vmd *v, int k);     /* centre frequency, cycles/sample, 0..0.5 */
EO_API double eo_vmd_center_hz(const eo_vmd *v, int k); /* omega * fs_hz */
EO_API int eo_vmd_iterations(const eo_vmd *v);    /* ADMM updates performed in the last run */
EO_API int eo_vmd_converged(const eo_vmd *v);     /* 1 if the last run met tol */

/* One-shot: modes (K*n, row k = mode k) and centre_hz (K, may be NULL) into
 * caller buffers; iterations may be NULL. */
EO_API eo_status eo_vmd_decompose(const double *x, size_t n, double fs_hz, const eo_vmd_options *opt,
                           double *modes, double *center_hz, int *iterations, eo_error *err);

/* Envelope entropy of one signal (the paper's fitness, eq. for MEE in
 * Xing et al. 2025: a = |x + j H{x}|, p = a / sum a, E = -sum p ln p),
 * with the analytic signal computed as scipy.signal.hilbert does.  Uses the
 * handle's FFT plans (length n).  An all-zero x scores ln n (a flat
 * envelope), so empty modes never lower the mean. */
EO_API eo_status eo_vmd_envelope_entropy(eo_vmd *v, const double *x, double *entropy, eo_error *err);

/* Mean envelope entropy of the K modes of the last run: the objective the
 * IAOA-VMD denoiser (and the tuning preset denoise-vmd-iaoa) minimises. */
EO_API eo_status eo_vmd_mean_envelope_entropy(eo_vmd *v, double *mee, eo_error *err);

/* Objective for optimisers: decompose x with (K, alpha) and return the mean
 * envelope entropy.  The handle must have been created for length n. */
EO_API eo_status eo_vmd_mee_objective(eo_vmd *v, const double *x, double fs_hz, int K, double alpha,
                               double *mee, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
