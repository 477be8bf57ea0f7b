/* Demo stage 3: denoising.  NSTDB noise (or synthetic stand-ins) scaled to
 * several input SNRs (eo_noise_gain_at_snr) on a clean 10-s segment,
 * denoised by four methods; then the display window denoised by VMD with
 * the tuned (K, alpha) and the modes of its first 10 s. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "demo_internal.h"
#include "ecgopt/beats.h"
#include "ecgopt/dsp.h"
#include "ecgopt/metrics.h"
#include "ecgopt/rng.h"
#include "ecgopt/vmd.h"

static const char *const METHODS[EO_DEMO_N_METHODS] = {"bandpass", "wavelet", "median", "vmd (tuned K, alpha)"};
static const eo_denoise_method METHOD_IDS[EO_DEMO_N_METHODS] = {EO_DENOISE_BANDPASS, EO_DENOISE_WAVELET,
                                                               EO_DENOISE_MEDIAN, EO_DENOISE_VMD};

/* Noise `which` (0 baseline wander, 1 muscle artefact): NSTDB bw / ma from
 * 100 s on, else synthetic stand-ins (slow sinusoids, white noise). */
static eo_status load_noise(eo_demo *d, int which, double *out, size_t n, eo_error *err)
{
    char base[4096];
    eo_error e2;
    if (!d->r.synthetic &&
        eo_data_find_record(d->o.data_dir, which == 0 ? "nstdb/bw" : "nstdb/ma", "hea", base, sizeof base,
                            &e2) == EO_STATUS_OK) {
        double *x = NULL;
        long got = 0;
        eo_status st = eo_wfdb_load_physical(base, 0, 36000, (long)n, d->o.verify, &x, &got, err);
        if (!st && got < (long)n)
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: shorter than %zu samples after 100 s", base, n);
        if (!st)
            memcpy(out, x, n * sizeof *out);
        free(x);
        d->r.noises[which] = which == 0 ? "baseline wander (NSTDB bw)" : "muscle artefact (NSTDB ma)";
        return st;
    }
    eo_rng rng;
    eo_rng_seed(&rng, d->o.seed + 7 + (uint64_t)which);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / d->fs;
        out[i] = which == 0 ? 0.5 * sin(2 * M_PI * 0.15 * t) + 0.2 * sin(2 * M_PI * 0.33 * t + 1)
                            : eo_rng_normal(&rng);
    }
    d->r.noises[which] = which == 0 ? "baseline wander (synthetic)" : "white noise (synthetic)";
    return EO_STATUS_OK;
}

static void remove_mean(double *x, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i] / (double)n;
    for (size_t i = 0; i < n; i++)
        x[i] -= m;
}

static void vmd_options(const eo_demo *d, eo_denoise_method m, int max_iter, eo_denoise_options *o)
{
    eo_denoise_defaults(o);
    o->method = m;
    o->vmd.K = d->r.K;
    o->vmd.alpha = d->r.alpha;
    o->vmd.max_iter = max_iter;
    o->vmd.tol = 1e-6;
    o->lowest_correct = 1;
}

/* Every method at every input SNR of one noise. */
static eo_status denoise_noise(eo_demo *d, int nz, const double *clean, const double *noise, double *noisy,
                               double *y, size_t n, int *step, eo_error *err)
{
    int steps = EO_DEMO_N_NOISES * d->r.n_snr * EO_DEMO_N_METHODS;
    eo_status st = EO_STATUS_OK;
    for (int k = 0; k < d->r.n_snr && !st; k++) {
        double g = eo_noise_gain_at_snr(clean, noise, n, d->r.snr_in[k]);
        for (size_t i = 0; i < n; i++)
            noisy[i] = clean[i] + g * noise[i];
        for (int mth = 0; mth < EO_DEMO_N_METHODS && !st; mth++) {
            eo_denoise_options o;
            vmd_options(d, METHOD_IDS[mth], 200, &o);
            st = eo_denoise(noisy, n, d->fs, &o, y, NULL, err);
            if (!st) {
                remove_mean(y, n); /* outputs compared without their DC level */
                d->r.snr_out[nz][mth][k] = eo_snr_db(clean, y, n);
            }
            eo_demo_progress(d, ++*step, steps, NULL);
        }
    }
    return st;
}

eo_status eo_demo_denoise(eo_demo *d, eo_error *err)
{
    size_t n = (size_t)(10 * d->fs);
    double *noise = malloc(sizeof(double) * n), *noisy = malloc(sizeof(double) * n);
    double *y = malloc(sizeof(double) * n), *clean = malloc(sizeof(double) * n);
    eo_status st = !noise || !noisy || !y || !clean ? eo_demo_no_memory(err) : EO_STATUS_OK;
    for (int m = 0; m < EO_DEMO_N_METHODS; m++)
        d->r.methods[m] = METHODS[m];
    /* The reference is the record's own 10 s with its baseline removed (de
     * Chazal 200 + 600 ms medians, dsp.h) and its mean subtracted: the
     * recording's drift and DC offset are not signal a denoiser should
     * keep, and would otherwise count as error for every method. */
    eo_baseline_options bo;
    eo_baseline_defaults(&bo);
    if (!st)
        st = eo_baseline_remove(d->x, n, d->fs, &bo, clean, NULL, err);
    if (!st)
        remove_mean(clean, n);
    static const double full[] = {-6, 0, 6, 12, 18}, quick[] = {0, 6, 12};
    d->r.n_snr = d->o.quick ? 3 : 5;
    memcpy(d->r.snr_in, d->o.quick ? quick : full, sizeof(double) * (size_t)d->r.n_snr);
    int step = 0;
    for (int nz = 0; nz < EO_DEMO_N_NOISES && !st; nz++) {
        st = load_noise(d, nz, noise, n, err);
        if (!st && eo_noise_gain_at_snr(clean, noise, n, 0) == 0)
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "demo: noise record %d is flat", nz);
        if (!st)
            st = denoise_noise(d, nz, clean, noise, noisy, y, n, &step, err);
    }
    free(noise);
    free(noisy);
    free(y);
    free(clean);
    return st;
}

static const char *fate_name(eo_mode_action a)
{
    return a == EO_MODE_DROPPED     ? "dropped"
           : a == EO_MODE_BASELINE  ? "removed (baseline)"
           : a == EO_MODE_CORRECTED ? "baseline-corrected"
                                    : "kept";
}

/* Sort the modes by centre frequency (eo_denoise reports them sorted). */
static void sort_modes(eo_demo *d)
{
    for (int a = 0; a < d->modes_K; a++)
        for (int b = a + 1; b < d->modes_K; b++)
            if (d->center[b] < d->center[a]) {
                double t = d->center[a];
                d->center[a] = d->center[b];
                d->center[b] = t;
                for (size_t i = 0; i < d->modes_n; i++) {
                    double u = d->modes[(size_t)a * d->modes_n + i];
                    d->modes[(size_t)a * d->modes_n + i] = d->modes[(size_t)b * d->modes_n + i];
                    d->modes[(size_t)b * d->modes_n + i] = u;
                }
            }
}

eo_status eo_demo_vmd_window(eo_demo *d, eo_error *err)
{
    /* the display window denoised with the tuned (K, alpha) */
    eo_denoise_options o;
    vmd_options(d, EO_DENOISE_VMD, 300, &o);
    eo_denoise_report rep;
    eo_status st = eo_denoise(d->x, (size_t)d->wn, d->fs, &o, d->den, &rep, err);
    if (st)
        return st;
    eo_demo_progress(d, 0.6, 1, NULL);
    /* the modes of a 10-s piece, for the figure */
    d->modes_n = (size_t)(10 * d->fs);
    d->modes_K = d->r.K;
    d->modes = malloc(sizeof(double) * d->modes_n * (size_t)d->r.K);
    if (!d->modes)
        return eo_demo_no_memory(err);
    eo_vmd_options vo = o.vmd;
    st = eo_vmd_decompose(d->x, d->modes_n, d->fs, &vo, d->modes, d->center, NULL, err);
    if (st)
        return st;
    sort_modes(d);
    /* the fate each mode gets under the denoiser's rules (denoise.h step 3) */
    for (int k = 0; k < d->modes_K; k++)
        d->fate[k] = d->center[k] > o.drop_above_hz ? fate_name(EO_MODE_DROPPED)
                     : k == 0                       ? fate_name(EO_MODE_CORRECTED)
                                                    : fate_name(EO_MODE_KEPT);
    return EO_STATUS_OK;
}
