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
#include "ecgopt/nn.h"
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
    EO_DENOISE_IAOA_VMD,     /* IAOA-chosen K, alpha + mode processing */
    EO_DENOISE_LEARNED       /* the learned denoiser (eo_denoise_model, below) */
} eo_denoise_method;

typedef struct eo_denoise_model eo_denoise_model;

/* "bandpass" "wavelet" "median" "vmd" "iaoa-vmd" "learned" */
EO_API const char *eo_denoise_method_name(eo_denoise_method m);
EO_API eo_status eo_denoise_method_parse(const char *s, eo_denoise_method *m, eo_error *err);

typedef struct eo_denoise_options {
    eo_denoise_method method;      /* default learned (the built-in model) */
    /* bandpass */
    double bp_lo_hz, bp_hi_hz;     /* 0.5, 40 */
    int bp_order;                  /* 4 (per direction, zero-phase) */
    /* wavelet (method wavelet, and the per-mode denoising of vmd methods) */
    eo_wavelet_denoise_options wavelet; /* db4, symmetric, level 6, universal, soft */
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
    eo_baseline_options median;       /* 200 ms, 600 ms */
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
    /* learned: the model to run (not owned; NULL: the model file model_path,
     * or if that is NULL too the model built into the library,
     * eo_denoise_model_default) */
    eo_denoise_model *model;
    const char *model_path;
    int threads;                   /* learned: threads of a model loaded by the call
                                    * (model_path / built-in), 1; 0 = all cores */
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
 * ("bandpass", "wavelet", "median", "vmd", "iaoa-vmd", "learned"), every other option
 * at the defaults of eo_denoise_defaults() (docs/denoise.md); `seed` seeds
 * the IAOA search of iaoa-vmd.  x and y may not overlap.  A NaN or infinite
 * sample is refused (EO_STATUS_NUMERIC, naming its index). */
EO_API eo_status eo_denoise_signal(const double *x, size_t n, double fs_hz, const char *method,
                                   uint64_t seed, double *y, eo_error *err);

/* ---- the learned denoiser (src/denoise/learned.c, docs/denoise.md) -------
 * A dilated fully convolutional network that estimates the noise left after
 * a pre-step p (the zero-phase 0.5 Hz high-pass, or the 200+600 ms median
 * baseline: the model's metadata denoise_pre); y = p - net(p).  Any length, streamed in
 * overlapping windows without seams; any rate (resampled to the model's). */

/* Load a model file written by eo_denoise_train + eo_nn_save (metadata
 * denoise_fs and denoise_margin required). */
EO_API eo_status eo_denoise_model_load(const char *path, eo_denoise_model **out, eo_error *err);
EO_API eo_status eo_denoise_model_load_mem(const unsigned char *data, size_t n, const char *name,
                                           eo_denoise_model **out, eo_error *err);
/* The same from a network in memory (copied; `name` labels errors). */
EO_API eo_status eo_denoise_model_from_nn(const eo_nn *nn, const char *name,
                                          eo_denoise_model **out, eo_error *err);
/* A denoising ensemble (docs/model-file.md, "Denoising ensemble"): one file
 * of 1..EO_DENOISE_ENSEMBLE_MAX whole model files that share the rate and
 * the pre-step; the ensemble's noise estimate is the mean of the members'.
 * eo_denoise_model_load / _load_mem read either kind.  Write one from model
 * files (each must load alone; written to a temporary file renamed into
 * place, after the whole ensemble has loaded back from memory). */
#define EO_DENOISE_ENSEMBLE_VERSION 1
#define EO_DENOISE_ENSEMBLE_MAX 8
EO_API eo_status eo_denoise_ensemble_write(const char *const *members, int count, const char *path,
                                           eo_error *err);
/* The member model files inside an ensemble file's bytes (pointers into
 * data, at most EO_DENOISE_ENSEMBLE_MAX); a single model file is its own
 * one member.  Checks the container (version, CRC-32, lengths), not the
 * members. */
EO_API eo_status eo_denoise_ensemble_members(const unsigned char *data, size_t n, const char *name,
                                             const unsigned char **member, size_t *len, int *count,
                                             eo_error *err);
/* Members of a model: 1 for a single network. */
EO_API int eo_denoise_model_members(const eo_denoise_model *m);
/* The pretrained model committed as models/denoise-dcnn.eom and built into
 * the library. */
EO_API eo_status eo_denoise_model_default(eo_denoise_model **out, eo_error *err);
EO_API void eo_denoise_model_destroy(eo_denoise_model *m);
EO_API double eo_denoise_model_fs(const eo_denoise_model *m);
/* Threads the network computes on (eo_nn_set_threads: default 1, 0 = all
 * cores); results are deterministic for a given count. */
EO_API void eo_denoise_model_set_threads(eo_denoise_model *m, int threads);
/* Receptive-field half width in samples at the model's rate. */
EO_API int eo_denoise_model_margin(const eo_denoise_model *m);

/* Denoise x[0..n) at fs_hz into y (n samples; may alias x).  pre: the
 * median-baseline windows for a median pre-step (NULL: 200, 600 ms).  Inputs shorter than the
 * receptive field are zero-padded like a record's ends; non-finite samples
 * are refused by eo_denoise (which names the range). */
EO_API eo_status eo_denoise_model_apply(eo_denoise_model *m, const double *x, size_t n, double fs_hz,
                                        const eo_baseline_options *pre, double *y, eo_error *err);

/* The step before the network (model metadata denoise_pre): the 200+600 ms
 * median baseline removed ("median"), or the zero-phase order-2 0.5 Hz
 * Butterworth high-pass ("highpass", eo_denoise_highpass_ref). */
enum { EO_DENOISE_PRE_MEDIAN = 0, EO_DENOISE_PRE_HIGHPASS = 1 };
EO_API eo_status eo_denoise_pre(int kind, const double *x, size_t n, double fs_hz,
                                const eo_baseline_options *median, double *y, eo_error *err);


typedef struct eo_denoise_train_options {
    const char *data_dir;        /* NULL: the default data directories */
    const char *spec;            /* network (nn.h grammar), 1 x window -> 1 x window */
    int margin;                  /* its receptive-field half width (256 for the default) */
    int window;                  /* training window, 1024 samples at 360 Hz */
    int n_train, n_val;          /* windows, 12000 and 1000 */
    int epochs;                  /* 8 (cosine schedule) */
    int batch;                   /* 32 */
    double lr;                   /* Adam, 2e-3 */
    int threads;                 /* 2 */
    uint64_t seed;               /* 1: data, initialisation, shuffling */
    double snr_min_db, snr_max_db; /* per noise component, -6 .. 18 dB */
    int pre;                     /* EO_DENOISE_PRE_HIGHPASS (default) or _MEDIAN */
    /* fraction of the noisy windows that get DeepFilter's amplitudes instead
     * of the mix: one noise (bw or ma) whose peak is U(peak_min, peak_max) x
     * the clean ECG's peak (Romero et al. 2021); 0 = the mix only */
    double peak_frac;
    double peak_min, peak_max;   /* 0.2, 2 */
    /* share of those windows whose one noise is the em-like one (bw read
     * 3-10x faster) instead of bw or ma: stage 2 then keeps what electrode
     * motion needs (0: bw or ma only, the recipe before) */
    double peak_em;
    /* stage 2 (ft_epochs > 0): after the training above, ft_epochs more on
     * ft_windows fresh windows with peak_frac = ft_peak_frac, Adam at ft_lr
     * (cosine), validated on windows of that mix */
    int ft_epochs;               /* 6 (0: stage 1 only, the recipe before issue 16) */
    int ft_windows;              /* 6000 */
    double ft_lr;                /* 1e-3 */
    double ft_peak_frac;         /* 0.5 */
    /* noise augmentation: each bw / ma read at a log-uniform speed in
     * [1/noise_stretch, noise_stretch] (<= 1: off, the recipe before) */
    double noise_stretch;
    /* share of each noise record (its end) kept for the validation windows
     * only (0: training and validation draw from the whole record) */
    double noise_holdout;
    /* > 0: the network's second input channel is the beat template with
     * this many beats each side (eo_denoise_beat_template); 0: one input */
    int template_side;
    /* which beats make it: EO_TEMPLATE_ALL (default, the committed model)
     * or EO_TEMPLATE_SIMILAR (docs/denoise.md: better on validation, not on
     * the test; not the default) */
    int template_select;
    /* nonzero: a third input channel, the template's spread (the median
     * absolute deviation of its beats) */
    int template_spread;
    /* start from this network's weights (same spec) instead of training
     * stage 1 (its windows are still drawn, so stage 2 is what the whole
     * recipe gives); NULL: stage 1 runs */
    const eo_nn *init;
    eo_progress_fn progress;
    void *progress_user;
    eo_nn_epoch_fn on_epoch;
    void *epoch_user;
} eo_denoise_train_options;

typedef struct eo_denoise_train_report {
    int epochs_run, best_epoch;
    double best_val_loss;    /* MSE (mV^2) of the network's output on the validation windows */
    double val_loss_median;  /* the same for the median method alone (no network) */
    double final_train_loss;
    size_t params;
    double seconds;
} eo_denoise_train_report;

/* The beat template (beat_template.c), the learned denoiser's second input:
 * t[i] = the median of p at the same offset from the R peak over a set of
 * beats around the beat j owning sample i (it owns 62 % of the RR interval
 * after its R peak); t[i] = p[i] where fewer than 3 beats contribute and
 * more than 1.5 s after / 0.8 s before the owning beat's R (a pause or a
 * flat line gets no waves of other beats).  The set: select
 * EO_TEMPLATE_ALL, beats j-side .. j+side; EO_TEMPLATE_SIMILAR, those of
 * them whose QRS is like j's (the slope around R within twice the distance
 * of j's third most similar neighbour, at least 3), so an ectopic beat
 * gets a template of its own kind.  _at takes the beat positions
 * (ascending samples), the other finds them with the QRS detector
 * (eo_qrs_detect at fs_hz) and aligns them.  side 1..16.  spread (NULL: not
 * wanted): the median absolute deviation of those beats from t, the
 * template's own uncertainty (0 where t = p). */
typedef enum eo_template_select {
    EO_TEMPLATE_ALL = 0,
    EO_TEMPLATE_SIMILAR = 1
} eo_template_select;
EO_API eo_status eo_denoise_beat_template_at(const double *p, size_t n, double fs_hz,
                                             const long *beats, size_t nb, int side, int select,
                                             double *t, double *spread, eo_error *err);
EO_API eo_status eo_denoise_beat_template(const double *p, size_t n, double fs_hz, int side,
                                          int select, double *t, double *spread, eo_error *err);
/* "all" / "similar" and back (-1: unknown name) */
EO_API const char *eo_template_select_name(int select);
EO_API int eo_template_select_parse(const char *s);

EO_API void eo_denoise_train_defaults(eo_denoise_train_options *o);
EO_API const char *eo_denoise_default_spec(void);
/* Train on MIT-BIH DS1 (minus 118, 119) + NSTDB bw/ma channel 0; *out gets
 * the network with its metadata (save it with eo_nn_save). */
EO_API eo_status eo_denoise_train(const eo_denoise_train_options *o, eo_nn **out,
                                  eo_denoise_train_report *rep, eo_error *err);
/* The report as one JSON object (denoise_train_json.c): model (the path
 * given, may be NULL), params, epochs_run, best_epoch, val_mse,
 * val_mse_median_only, seconds. */
EO_API void eo_denoise_train_report_json(eo_json *j, const eo_denoise_train_report *rep, const char *model);

/* Helpers shared with the benchmark: one lead of a record (the one named
 * `lead`, else signal `fallback`) in mV; the reference high-pass of the
 * benchmark (zero-phase Butterworth order 2, 0.5 Hz). */
EO_API eo_status eo_denoise_load_lead(const char *data_dir, const char *name, const char *lead,
                                      int fallback, double **x, size_t *n, double *fs,
                                      eo_error *err);
EO_API eo_status eo_denoise_highpass_ref(const double *x, size_t n, double fs, double *y,
                                         eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
