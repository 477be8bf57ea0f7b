/* ecgopt — ECG denoising behind one call: band-pass, wavelet, moving median,
 * VMD and IAOA-VMD.
 *
 * IAOA-VMD follows Xing et al. 2025 (section "IAOA-VMD denoising"):
 *   1. the improved Arithmetic Optimization Algorithm (optimiser "iaoa" of
 *      opt.h: Tent-map initialisation, mutation toward a random member,
 *      nonlinear MOA) searches K (integer, 2..12) and alpha (100..10000, log
 *      scale) minimising the mean envelope entropy of the VMD modes
 *      (eo_vmd_mee_objective), on a centred search window of the signal;
 *   2. the whole signal is decomposed with the best (K, alpha);
 *   3. modes whose centre frequency is above drop_above_hz (50 Hz) are
 *      dropped, the others are wavelet-threshold denoised, the lowest-
 *      frequency mode is taken as baseline drift and removed;
 *   4. the rest is summed.
 * "vmd" is steps 2-4 with a fixed K and alpha.  Every threshold is an option.
 *
 * Units: signals in mV (any unit works: the methods are linear or scale-
 * equivariant), frequencies in Hz. */
#ifndef ECGOPT_DENOISE_H
#define ECGOPT_DENOISE_H

#include "ecgopt/export.h"

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/dsp.h"
#include "ecgopt/status.h"
#include "ecgopt/util.h"
#include "ecgopt/vmd.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum eo_denoise_method {
    EO_DENOISE_BANDPASS = 0, /* zero-phase Butterworth band-pass */
    EO_DENOISE_WAVELET,      /* wavelet thresholding of the whole signal */
    EO_DENOISE_MEDIAN,       /* 200 ms + 600 ms median baseline removal */
    EO_DENOISE_VMD,          /* VMD with fixed K, alpha + mode processing */
    EO_DENOISE_IAOA_VMD      /* IAOA-chosen K, alpha + mode processing */
} eo_denoise_method;

/* "bandpass" "wavelet" "median" "vmd" "iaoa-vmd" */
EO_API const char *eo_denoise_method_name(eo_denoise_method m);
EO_API eo_status eo_denoise_method_parse(const char *s, eo_denoise_method *m, eo_error *err);

typedef struct eo_denoise_options {
    eo_denoise_method method;      /* default iaoa-vmd */
    /* bandpass */
    double bp_lo_hz, bp_hi_hz;     /* 0.5, 40 */
    int bp_order;                  /* 4 (per direction, zero-phase) */
    /* wavelet (method wavelet, and the per-mode denoising of vmd methods) */
    eo_wavelet_denoise_opts wavelet; /* db4, symmetric, level 6, universal, soft */
    int mode_wavelet_level;        /* level for per-mode denoising, default 4 */
    /* method wavelet: the decomposition goes as deep as needed for its
     * approximation band (0 .. fs/2^(L+1)) to lie below wavelet_baseline_hz,
     * and that approximation (the baseline wander) is zeroed; detail bands
     * whose lower edge fs/2^(l+1) is >= wavelet_min_hz are thresholded
     * (option `wavelet`'s rule and mode) with their own MAD noise level, the
     * bands between (P, T, ST content) are kept untouched.  <= 0 turns either
     * part off.  With wavelet_baseline_hz <= 0 and wavelet_min_hz <= 0 the
     * method is eo_wavelet_denoise() with option `wavelet` (PyWavelets'
     * recipe, which keeps the wander and shrinks little: docs/denoise.md). */
    double wavelet_baseline_hz;    /* 0.5 */
    double wavelet_min_hz;         /* 10 */
    /* median */
    eo_baseline_opts median;       /* 200 ms, 600 ms */
    /* vmd / iaoa-vmd */
    eo_vmd_options vmd;            /* K = 6, alpha = 2000, tau 0, init uniform, tol 1e-7, 500 it */
    double drop_above_hz;          /* modes with centre > this are dropped (50) */
    int denoise_modes;             /* 1: wavelet-threshold the kept modes (default 1) */
    int remove_lowest;             /* 1: the lowest-frequency mode is baseline, removed (1) */
    double lowest_max_hz;          /* ...only if its centre is below this (default 0.5 Hz;
                                    * +inf = always, as the paper).  A lowest mode
                                    * centred at or above it carries ECG (T waves, ST)
                                    * and is baseline-corrected instead (below), so no
                                    * mode between lowest_max_hz and drop_above_hz is
                                    * ever discarded */
    int lowest_correct;            /* 0 (default): the baseline mode is removed whole;
                                    * 1: "baseline drift correction" of that mode
                                    * instead: its 200+600 ms median baseline (option
                                    * `median`) is removed and the rest kept, so the
                                    * P/T content the wide lowest mode carries stays */
    /* IAOA search */
    int k_min, k_max;              /* 2, 12 */
    double alpha_min, alpha_max;   /* 100, 10000 (searched on a log scale) */
    const char *optimizer;         /* "iaoa" (any opt.h name works, e.g. "aoa") */
    size_t population;             /* 8 */
    int iterations;                /* 6 -> population*iterations VMD evaluations */
    double search_seconds;         /* centred search window, 10 s (<= 0: whole signal) */
    int search_max_iter;           /* ADMM updates per search evaluation, 200 */
    double search_tol;             /* VMD tolerance during the search, 1e-6 (the final
                                    * decomposition uses vmd.tol / vmd.max_iter) */
    uint64_t seed;                 /* optimiser seed, 1 */
    eo_progress_fn progress;       /* may be NULL; called once per VMD evaluation */
    void *progress_user;
} eo_denoise_options;

EO_API void eo_denoise_defaults(eo_denoise_options *o);

#define EO_DENOISE_MAX_MODES 64

typedef enum eo_mode_action {
    EO_MODE_KEPT = 0,     /* kept (wavelet-denoised when denoise_modes) */
    EO_MODE_DROPPED = 1,  /* centre above drop_above_hz */
    EO_MODE_BASELINE = 2, /* lowest-frequency mode, removed as baseline drift */
    EO_MODE_CORRECTED = 3 /* lowest-frequency mode, its median baseline removed */
} eo_mode_action;

/* What a vmd / iaoa-vmd run chose and did (zeros for the other methods). */
typedef struct eo_denoise_report {
    int K;                  /* modes of the final decomposition */
    double alpha;
    double mee;             /* mean envelope entropy of the final search point */
    long long vmd_evals;    /* VMD decompositions run in total (search + final) */
    int vmd_iterations;     /* ADMM updates of the final decomposition */
    double center_hz[EO_DENOISE_MAX_MODES]; /* sorted ascending */
    eo_mode_action action[EO_DENOISE_MAX_MODES];
    double seconds;         /* wall time of the call */
} eo_denoise_report;

/* Denoise x[0..n) sampled at fs_hz into y (may alias x).  rep may be NULL.
 * Errors: NaN/Inf samples, fs <= 0, cut-offs above Nyquist, signals too
 * short for the method (VMD needs 2K < n), bad options. */
EO_API eo_status eo_denoise(const double *x, size_t n, double fs_hz, const eo_denoise_options *o,
                     double *y, eo_denoise_report *rep, eo_error *err);

/* Step 1 alone: the IAOA (or o->optimizer) search for K and alpha on
 * x[0..n) (the caller picks the window).  evals counts VMD runs. */
EO_API eo_status eo_denoise_search_vmd(const double *x, size_t n, double fs_hz,
                                const eo_denoise_options *o, int *K, double *alpha,
                                double *mee, long long *evals, eo_error *err);

/* Steps 2-4 alone with a given K and alpha. */
EO_API eo_status eo_denoise_vmd_modes(const double *x, size_t n, double fs_hz, int K, double alpha,
                               const eo_denoise_options *o, double *y, eo_denoise_report *rep,
                               eo_error *err);

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
