/* ecgopt — classical signal processing: IIR filters (Butterworth, notch),
 * zero-phase filtering, moving medians, wavelets, FFT, Hilbert envelope,
 * Welch PSD, envelope entropy.  See docs/dsp.md.
 *
 * All samples are double precision.  Unless stated otherwise an output array
 * may alias the input array (in-place use), arrays are owned by the caller,
 * and every function that can fail returns an eo_status and fills err (which
 * may be NULL).  Non-finite input samples (NaN/Inf) are rejected with
 * EO_STATUS_NUMERIC.  No function keeps global state; objects are not
 * thread-safe (one object per thread). */
#ifndef ECGOPT_DSP_H
#define ECGOPT_DSP_H

#include "ecgopt/export.h"

#include <stddef.h>

#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================
 * IIR filters.  Second-order sections (SOS) are stored as a flat array of
 * n_sections * 6 doubles, each row [b0 b1 b2 a0 a1 a2] with a0 == 1, exactly
 * the layout of scipy.signal.butter(..., output='sos').
 * ==================================================================== */

typedef enum eo_filter_type {
    EO_FILTER_LOWPASS = 0,
    EO_FILTER_HIGHPASS,
    EO_FILTER_BANDPASS,
    EO_FILTER_BANDSTOP
} eo_filter_type;

#define EO_BUTTER_MAX_ORDER 32

/* Number of second-order sections of a Butterworth filter of this order and
 * type: ceil(order/2) for low/high-pass, order for band-pass/stop. */
EO_API int eo_butter_nsections(int order, eo_filter_type type);

/* Digital Butterworth design (bilinear transform with pre-warping, as
 * scipy.signal.butter(order, Wn, btype, fs=fs_hz, output='sos')).
 * order 1..EO_BUTTER_MAX_ORDER.  Low/high-pass use f1_hz only; band-pass/stop
 * use f1_hz < f2_hz.  Every cut-off must satisfy 0 < f < fs_hz/2.
 * sos must hold 6*eo_butter_nsections(order, type) doubles; the number of
 * sections written goes to *n_sections. */
EO_API eo_status eo_butter_sos(int order, eo_filter_type type, double f1_hz, double f2_hz,
                        double fs_hz, double *sos, int *n_sections, eo_error *err);

/* The same design as transfer-function polynomials (scipy.signal.butter
 * default output='ba').  b and a must hold 2*order+1 doubles; the polynomial
 * length (order+1 for low/high-pass, 2*order+1 for band-pass/stop) goes to
 * *n_coef.  Numerically poor above order ~8 band-pass: prefer SOS. */
EO_API eo_status eo_butter_ba(int order, eo_filter_type type, double f1_hz, double f2_hz,
                       double fs_hz, double *b, double *a, int *n_coef, eo_error *err);

/* Second-order IIR notch at w0_hz with quality factor q (bandwidth w0/q),
 * as scipy.signal.iirnotch(w0_hz, q, fs=fs_hz).  b[3], a[3]. */
EO_API eo_status eo_iirnotch(double w0_hz, double q, double fs_hz, double b[3], double a[3],
                      eo_error *err);

/* Convert a b/a pair (a[0] != 0, nb, na <= 3) into one SOS row. */
EO_API eo_status eo_ba_to_sos1(const double *b, int nb, const double *a, int na, double sos[6],
                        eo_error *err);

/* Causal filtering through the sections (scipy.signal.sosfilt).  zi: NULL
 * for zero initial state, else n_sections*2 doubles (transposed direct form
 * II state per section, scipy's zi layout) that are used and updated. */
EO_API eo_status eo_sosfilt(const double *sos, int n_sections, const double *x, size_t n, double *y,
                     double *zi, eo_error *err);

/* Steady-state initial conditions for a unit step (scipy.signal.sosfilt_zi).
 * zi: n_sections*2 doubles. */
EO_API eo_status eo_sosfilt_zi(const double *sos, int n_sections, double *zi, eo_error *err);

/* Default pad length of eo_sosfiltfilt (scipy): 3*(2*n_sections + 1 -
 * min(#b2==0, #a2==0)). */
EO_API size_t eo_sosfiltfilt_padlen(const double *sos, int n_sections);

/* Zero-phase forward-backward filtering, identical to
 * scipy.signal.sosfiltfilt(sos, x) (padtype 'odd', default padlen, sosfilt_zi
 * initial conditions).  n must exceed the pad length (EO_STATUS_USAGE). */
EO_API eo_status eo_sosfiltfilt(const double *sos, int n_sections, const double *x, size_t n,
                         double *y, eo_error *err);

/* Zero-phase filtering with a b/a polynomial pair, identical to
 * scipy.signal.filtfilt(b, a, x) defaults (padtype 'odd',
 * padlen = 3*max(nb, na), lfilter_zi initial conditions).  nb, na <= 65.
 * n must exceed the pad length. */
EO_API eo_status eo_filtfilt_ba(const double *b, int nb, const double *a, int na, const double *x,
                         size_t n, double *y, eo_error *err);

/* Causal direct-form filtering with b/a (scipy.signal.lfilter, zero state). */
EO_API eo_status eo_lfilter(const double *b, int nb, const double *a, int na, const double *x,
                     size_t n, double *y, eo_error *err);

/* Convenience: zero-phase Butterworth band-pass of the given order
 * (eo_butter_sos + eo_sosfiltfilt), e.g. order 4, 0.5..40 Hz. */
EO_API eo_status eo_bandpass(const double *x, size_t n, double fs_hz, double lo_hz, double hi_hz,
                      int order, double *y, eo_error *err);

/* Convenience: zero-phase notch (eo_iirnotch + eo_filtfilt_ba). */
EO_API eo_status eo_notch(const double *x, size_t n, double fs_hz, double w0_hz, double q, double *y,
                   eo_error *err);

/* ---- streaming causal IIR: the same output as eo_sosfilt over the whole
 * signal, however the samples are split into blocks. */
typedef struct eo_iir_stream eo_iir_stream;

/* Copies sos; the stream starts from zero state. */
EO_API eo_status eo_iir_stream_create(const double *sos, int n_sections, eo_iir_stream **out,
                               eo_error *err);
EO_API void eo_iir_stream_destroy(eo_iir_stream *s);
/* Filter one block (y may alias x).  Non-finite input -> EO_STATUS_NUMERIC,
 * state untouched. */
EO_API eo_status eo_iir_stream_process(eo_iir_stream *s, const double *x, size_t n, double *y,
                                eo_error *err);
/* Back to zero state. */
EO_API void eo_iir_stream_reset(eo_iir_stream *s);

/* ======================================================================
 * Moving medians and baseline removal.
 * ==================================================================== */

/* Centred moving median of odd window w (samples), edges handled by
 * repeating the end samples (scipy.ndimage.median_filter(x, w,
 * mode='nearest')).  y must not alias x.  O(n w) (sorted window, memmove). */
EO_API eo_status eo_median_filter(const double *x, size_t n, size_t w, double *y, eo_error *err);

typedef struct eo_baseline_options {
    double window1_ms; /* first median window, default 200 ms (removes QRS) */
    double window2_ms; /* second median window, default 600 ms (removes T) */
} eo_baseline_options;

EO_API void eo_baseline_defaults(eo_baseline_options *o);

/* Baseline removal after de Chazal et al. (2004): the baseline is the 200 ms
 * median of the signal followed by the 600 ms median of that; y = x -
 * baseline.  Window lengths are round(ms*fs/1000) forced odd (>= 1).
 * baseline (may be NULL) receives the estimated baseline.  y may alias x. */
EO_API eo_status eo_baseline_remove(const double *x, size_t n, double fs_hz,
                             const eo_baseline_options *opts, double *y, double *baseline,
                             eo_error *err);

/* ---- streaming baseline removal: the same output as eo_baseline_remove,
 * bit for bit, delivered with a delay of eo_baseline_stream_delay() samples
 * ((w1-1)/2 + (w2-1)/2: 144 samples = 400 ms at 360 Hz).  Each process call
 * writes the outputs that became ready (at most n + delay; *n_out says how
 * many, in input order); flush emits the last ones (padding with the last
 * sample, as the one-shot 'nearest' edge) and resets the stream. */
typedef struct eo_baseline_stream eo_baseline_stream;

EO_API eo_status eo_baseline_stream_create(double fs_hz, const eo_baseline_options *opts,
                                    eo_baseline_stream **out, eo_error *err);
EO_API void eo_baseline_stream_destroy(eo_baseline_stream *s);
EO_API size_t eo_baseline_stream_delay(const eo_baseline_stream *s);
/* y must hold n samples (outputs never outnumber inputs in one call). */
EO_API eo_status eo_baseline_stream_process(eo_baseline_stream *s, const double *x, size_t n, double *y,
                                     size_t *n_out, eo_error *err);
/* y must hold eo_baseline_stream_delay() samples. */
EO_API eo_status eo_baseline_stream_flush(eo_baseline_stream *s, double *y, size_t *n_out, eo_error *err);

/* ---- streaming causal moving median: output i is the median of the last
 * min(i+1, w) input samples (for even counts the mean of the two middle
 * values).  Equals eo_median_causal over any block split. */
typedef struct eo_median_stream eo_median_stream;

EO_API eo_status eo_median_stream_create(size_t w, eo_median_stream **out, eo_error *err);
EO_API void eo_median_stream_destroy(eo_median_stream *s);
EO_API eo_status eo_median_stream_process(eo_median_stream *s, const double *x, size_t n, double *y,
                                   eo_error *err);
EO_API void eo_median_stream_reset(eo_median_stream *s);
/* One-shot version of the causal median (y must not alias x). */
EO_API eo_status eo_median_causal(const double *x, size_t n, size_t w, double *y, eo_error *err);

/* ======================================================================
 * Wavelets (PyWavelets conventions: pywt.wavedec/waverec/swt/iswt).
 * ==================================================================== */

typedef enum eo_wavelet_mode {
    EO_WMODE_SYMMETRIC = 0, /* half-sample symmetric extension (pywt default) */
    EO_WMODE_PERIODIZATION, /* periodic, ceil(n/2) coefficients per level */
    EO_WMODE_ZERO           /* zero padding */
} eo_wavelet_mode;

/* Filter bank of a wavelet, pywt's Wavelet.filter_bank (dec_lo, dec_hi,
 * rec_lo, rec_hi), all of length len.  Static constant data: never freed. */
typedef struct eo_wavelet {
    const char *name; /* "db4", "sym8", "coif3", "bior4.4", ... */
    int len;
    const double *dec_lo, *dec_hi, *rec_lo, *rec_hi;
} eo_wavelet;

/* Look up a wavelet by pywt name: haar, db1-20, sym2-20, coif1-5,
 * bior1.1 ... bior6.8 (bior4.4 = CDF 9/7).  Unknown -> EO_STATUS_NOT_FOUND. */
EO_API eo_status eo_wavelet_get(const char *name, const eo_wavelet **w, eo_error *err);
/* Parse "symmetric" | "periodization" | "zero". */
EO_API eo_status eo_wavelet_mode_parse(const char *s, eo_wavelet_mode *mode, eo_error *err);

/* pywt.dwt_coeff_len and pywt.dwt_max_level. */
EO_API size_t eo_dwt_coeff_len(size_t n, int filt_len, eo_wavelet_mode mode);
EO_API int eo_dwt_max_level(size_t n, int filt_len);

/* Multilevel coefficients in pywt order: band[0] = cA_level, band[1] =
 * cD_level, ..., band[level] = cD_1 (finest).  len[i] is band i's length. */
typedef struct eo_wavecoefs {
    int level;
    size_t n_signal;  /* length of the decomposed signal */
    size_t *len;      /* level+1 entries */
    double **band;    /* level+1 pointers into one allocation */
} eo_wavecoefs;

EO_API void eo_wavecoefs_destroy(eo_wavecoefs *c);

/* Single level (pywt.dwt / pywt.idwt).  ca, cd hold eo_dwt_coeff_len(...)
 * doubles.  eo_idwt: cd may be NULL (treated as zeros); output length is
 * 2*nc - len + 2 (2*nc for periodization), y must hold that. */
EO_API eo_status eo_dwt(const double *x, size_t n, const eo_wavelet *w, eo_wavelet_mode mode,
                 double *ca, double *cd, eo_error *err);
EO_API eo_status eo_idwt(const double *ca, const double *cd, size_t nc, const eo_wavelet *w,
                  eo_wavelet_mode mode, double *y, eo_error *err);

/* pywt.wavedec(x, w, mode, level).  level 1..eo_dwt_max_level (level too deep
 * -> EO_STATUS_OUT_OF_RANGE); level <= 0 means the maximum.  *out is owned
 * by the caller (eo_wavecoefs_destroy). */
EO_API eo_status eo_wavedec(const double *x, size_t n, const eo_wavelet *w, eo_wavelet_mode mode,
                     int level, eo_wavecoefs **out, eo_error *err);

/* pywt.waverec(c, w, mode): *y is malloc'd (caller frees), its length (which
 * can exceed c->n_signal by one for odd lengths, as in pywt) in *ny. */
EO_API eo_status eo_waverec(const eo_wavecoefs *c, const eo_wavelet *w, eo_wavelet_mode mode,
                     double **y, size_t *ny, eo_error *err);

/* Stationary wavelet transform (pywt.swt(x, w, level), norm=False,
 * trim_approx=False; always periodic).  n must be a multiple of 2^level.
 * ca and cd are level*n doubles: row i (ca + i*n) is pywt's i-th pair, i.e.
 * row 0 is the deepest level, row level-1 the first. */
EO_API eo_status eo_swt(const double *x, size_t n, const eo_wavelet *w, int level, double *ca,
                 double *cd, eo_error *err);
/* pywt.iswt: inverse of eo_swt from the same layout (only row 0 of ca is
 * used, as in pywt).  y: n doubles. */
EO_API eo_status eo_iswt(const double *ca, const double *cd, size_t n, int level,
                  const eo_wavelet *w, double *y, eo_error *err);

/* ---- thresholding */
typedef enum eo_threshold_mode {
    EO_THRESH_SOFT = 0, /* sign(x) max(|x|-t, 0)          (pywt 'soft') */
    EO_THRESH_HARD,     /* x if |x| >= t else 0           (pywt 'hard') */
    EO_THRESH_GARROTE   /* x (1 - t^2/x^2) if |x| > t else 0 (pywt 'garrote') */
} eo_threshold_mode;

typedef enum eo_threshold_rule {
    EO_THRULE_UNIVERSAL = 0, /* sigma sqrt(2 ln N), VisuShrink (Donoho & Johnstone 1994) */
    EO_THRULE_SURE,          /* SureShrink risk minimiser (Donoho & Johnstone 1995) */
    EO_THRULE_MINIMAX        /* sigma (0.3936 + 0.1829 log2 N), N > 32, else 0 */
} eo_threshold_rule;

/* Apply a threshold t >= 0 in place. */
EO_API void eo_threshold(double *x, size_t n, double t, eo_threshold_mode mode);

/* Robust noise level: median(|d|)/0.6745. */
EO_API double eo_mad_sigma(const double *d, size_t n);

/* Threshold value for coefficients d (n of them) with noise sigma; n_ref is
 * the N in the rule's formula (the signal length for universal/minimax as in
 * MATLAB wden; SURE uses the coefficients themselves). */
EO_API double eo_threshold_value(eo_threshold_rule rule, const double *d, size_t n, size_t n_ref,
                          double sigma);

typedef struct eo_wavelet_denoise_options {
    const char *wavelet;            /* default "db4" */
    eo_wavelet_mode mode;           /* default symmetric */
    int level;                      /* default 6 (clamped to the max level) */
    eo_threshold_rule rule;         /* default universal */
    eo_threshold_mode thresh_mode;  /* default soft */
    int sigma_per_level;            /* 0 (default): sigma of cD_1 for all; 1: MAD of each band */
} eo_wavelet_denoise_options;

EO_API void eo_wavelet_denoise_defaults(eo_wavelet_denoise_options *o);

/* Wavelet denoising: wavedec, threshold every detail band (approximation
 * kept), waverec, trim to n.  With the defaults this is the peer's
 * pywt_bench.py denoise.  y may alias x. */
EO_API eo_status eo_wavelet_denoise(const double *x, size_t n, const eo_wavelet_denoise_options *opts,
                             double *y, eo_error *err);

/* ======================================================================
 * FFT (FFTW3) and spectra.  FFTW's planner (plan creation/destruction) is
 * not thread-safe; ecgopt serialises it with one process-wide mutex, taken
 * by eo_fft_create/destroy and by every function below that plans a
 * temporary transform (fft == NULL).  Other code in the process that calls
 * fftw_plan_* / fftw_destroy_plan directly must wrap those calls in
 * eo_fftw_plan_lock()/eo_fftw_plan_unlock() too.  Executing distinct eo_fft
 * objects from different threads is safe; one object is not.
 * ==================================================================== */

EO_API void eo_fftw_plan_lock(void);
EO_API void eo_fftw_plan_unlock(void);

typedef struct eo_fft eo_fft;

/* Plans (FFTW_ESTIMATE) for length n: complex forward/backward and real
 * forward.  Complex data is interleaved (re, im) pairs. */
EO_API eo_status eo_fft_create(size_t n, eo_fft **out, eo_error *err);
EO_API void eo_fft_destroy(eo_fft *f);
EO_API size_t eo_fft_len(const eo_fft *f);
/* Complex DFT, unnormalised: sign -1 forward (numpy.fft.fft), +1 backward
 * (n * numpy.fft.ifft).  in, out: 2n doubles each (may alias). */
EO_API eo_status eo_fft_c2c(eo_fft *f, const double *in, double *out, int sign, eo_error *err);
/* Real forward DFT (numpy.fft.rfft): out holds 2*(n/2+1) doubles. */
EO_API eo_status eo_fft_r2c(eo_fft *f, const double *x, double *out, eo_error *err);

/* Analytic signal x + i H[x] (scipy.signal.hilbert): z = 2n doubles
 * interleaved.  fft may be NULL (a temporary plan is made) or an eo_fft of
 * length n to reuse. */
EO_API eo_status eo_hilbert(const double *x, size_t n, eo_fft *fft, double *z, eo_error *err);
/* |analytic signal| (Hilbert envelope), env: n doubles (may alias x). */
EO_API eo_status eo_envelope(const double *x, size_t n, eo_fft *fft, double *env, eo_error *err);

typedef struct eo_welch_options {
    size_t nperseg;   /* default 256; reduced to n if the signal is shorter (as scipy) */
    size_t noverlap;  /* default nperseg/2 (use EO_WELCH_DEFAULT) */
    size_t nfft;      /* default nperseg (use EO_WELCH_DEFAULT) */
    int detrend;      /* 1 (default): subtract each segment's mean; 0: none */
    int density;      /* 1 (default): V^2/Hz; 0: spectrum V^2 */
} eo_welch_options;

#define EO_WELCH_DEFAULT ((size_t)-1)

EO_API void eo_welch_defaults(eo_welch_options *o);
/* Number of frequencies eo_welch writes for a signal of n samples. */
EO_API size_t eo_welch_nfreq(size_t n, const eo_welch_options *o);
/* One-sided Welch PSD with a periodic Hann window, mean of segments, as
 * scipy.signal.welch(x, fs) defaults.  freq_hz (may be NULL) and psd hold
 * eo_welch_nfreq doubles. */
EO_API eo_status eo_welch(const double *x, size_t n, double fs_hz, const eo_welch_options *o,
                   double *freq_hz, double *psd, eo_error *err);

/* Envelope entropy of one mode: a = Hilbert envelope, p = a/sum(a),
 * E = -sum p ln p (nats).  A zero signal -> EO_STATUS_NUMERIC. */
EO_API eo_status eo_envelope_entropy(const double *x, size_t n, eo_fft *fft, double *entropy,
                              eo_error *err);
/* Mean envelope entropy over k modes stored row-wise (modes + i*n). */
EO_API eo_status eo_mean_envelope_entropy(const double *modes, int k, size_t n, eo_fft *fft,
                                   double *mee, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
