/* ecgopt demo — the whole pipeline on the data it finds, in a few minutes,
 * ending in one self-contained HTML report (demo-report.html).
 *
 * Stages (each calls the library; this file only wires them together):
 *   1. record: MIT-BIH record (--record, default 233, a DS2 record with
 *      many ventricular beats) from the data lookup; when none is found, two
 *      ECGSYN records (McSharry et al. 2003) with ectopic beats are written
 *      to a temporary folder and used instead (one to train, one to test).
 *   2. tuning study: K and alpha of VMD by mean envelope entropy (Xing et al. 2025)
 *      with IAOA, AOA, GWO, PSO and random search on a 5-s window, same
 *      budget each: convergence curves and the study's trials.
 *   3. denoising: NSTDB baseline wander and muscle artefact (or synthetic
 *      noise) added to a clean 10-s segment at several SNRs, denoised by
 *      band-pass, wavelet, median and VMD with the tuned (K, alpha); the
 *      display window denoised by VMD, its modes shown.
 *   4. classification: gradient boosting (XGBoost) on RR + morphology
 *      features of DS1 beats (a subsample in --quick), the record's beats
 *      from ecgopt's QRS detector, scored against the reference the EC57 way.
 *   5. compression: lossless, bounded-error and CDF 9/7 wavelet modes at
 *      several rates; the wavelet reconstruction is drawn under the original.
 *   6. report: ECG strips (original, denoised, reconstructed, error; beats
 *      with reference/predicted labels) and every figure above. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ecgopt/beats.h"
#include "ecgopt/codec.h"
#include "ecgopt/denoise.h"
#include "ecgopt/detect.h"
#include "ecgopt/ec57.h"
#include "ecgopt/json.h"
#include "ecgopt/metrics.h"
#include "ecgopt/ml.h"
#include "ecgopt/opt.h"
#include "ecgopt/report.h"
#include "ecgopt/rng.h"
#include "ecgopt/synth.h"
#include "ecgopt/util.h"
#include "ecgopt/vmd.h"
#include "ecgopt/wfdb.h"

/* ---- progress: one bar over all stages ---------------------------------- */

typedef struct demo_prog {
    eo_cli *c;
    double base, span; /* percent of the whole demo this stage covers */
    const char *what;
} demo_prog;

static int stage_cb(void *user, double done, double total, const char *what)
{
    demo_prog *p = user;
    (void)what;
    double f = total > 0 ? done / total : 0;
    if (f < 0) f = 0;
    if (f > 1) f = 1;
    return eo_cli_progress(p->c, p->base + p->span * f, 100, p->what);
}

static void stage(demo_prog *p, const char *what, double base, double span)
{
    p->what = what;
    p->base = base;
    p->span = span;
    stage_cb(p, 0, 1, what);
}

/* ---- results gathered for the report and the summary -------------------- */

#define N_OPT 5
#define MAX_SNR 6
#define N_METHODS 4
#define MAX_RD 8

typedef struct demo {
    const char *want;  /* --record */
    const char *path;  /* the report */
    eo_cli *c;
    demo_prog prog;
    int quick;
    int synthetic;
    char tmpdir[256];
    char base[4096];      /* record path without extension */
    char record[64];
    eo_wfdb_record *rec;
    int sig;              /* MLII (or 0) */
    double fs;
    /* display window */
    long w0, wn;
    double *x;            /* wn samples, mV */
    double *den;          /* VMD denoised */
    double *recon;        /* wavelet reconstruction, mV */
    double *errtr;        /* x - recon */
    /* study */
    const char *opt_names[N_OPT];
    double *curve[N_OPT];
    size_t curve_n[N_OPT];
    double best_mee[N_OPT];
    double *trial_values; /* iaoa trials: K, alpha */
    double *trial_fit;
    size_t n_trials;
    int K;
    double alpha;
    /* vmd modes of a window */
    double *modes;
    double center[EO_DENOISE_MAX_MODES];
    const char *fate[EO_DENOISE_MAX_MODES];
    size_t modes_n;
    int modes_K;
    /* denoising */
    const char *noises[2];
    double snr_in[MAX_SNR];
    int n_snr;
    double snr_out[2][N_METHODS][MAX_SNR];
    /* classification */
    eo_annotation_set *ref, *pred;
    eo_ec57_result ec57;
    eo_ec57_stats stats;
    long n_train_beats;
    int n_train_records;
    double train_s;
    /* compression */
    const char *rd_name[3];
    double rd_cr[3][MAX_RD], rd_prdn[3][MAX_RD];
    int rd_n[3];
    char rd_set[3][MAX_RD][48]; /* each point's setting in words */
    int rd_shown;               /* the point whose reconstruction the strips show: curve * MAX_RD + i */
    double comp_seconds;
    double seconds;
} demo;

static const char *method_names[N_METHODS] = {"bandpass", "wavelet", "median", "vmd (tuned K, alpha)"};

/* ---- 1. the record ------------------------------------------------------ */

static eo_status write_synth(const char *dir, const char *name, double seconds, uint64_t seed, double ectopic,
                             eo_error *err)
{
    eo_synth_options so;
    eo_synth_defaults(&so);
    so.seconds = seconds;
    so.fs_hz = 360;
    so.hr_mean_bpm = 72;
    so.hr_std_bpm = 3;
    so.noise_mv = 0.01;
    so.ectopic_prob = ectopic;
    eo_rng rng;
    eo_rng_seed(&rng, seed);
    eo_synth *s = NULL;
    eo_status st = eo_synth_generate(&so, &rng, &s, err);
    if (st)
        return st;
    st = eo_synth_write(s, dir, name, 212, "MLII", err);
    eo_synth_destroy(s);
    return st;
}

static eo_status open_record(demo *d, eo_error *err)
{
    const char *want = d->want;
    eo_error e2;
    eo_status st = eo_data_find_record(d->c->data_dir, want, "hea", d->base, sizeof d->base, &e2);
    char atr[4200];
    snprintf(atr, sizeof atr, "%s.atr", d->base);
    if (st == EO_STATUS_OK && access(atr, R_OK) != 0)
        st = EO_STATUS_NOT_FOUND;
    if (st == EO_STATUS_OK) {
        const char *slash = strrchr(want, '/');
        snprintf(d->record, sizeof d->record, "%s", slash ? slash + 1 : want);
    } else {
        /* no MIT-BIH: synthetic records in a temporary folder */
        d->synthetic = 1;
        snprintf(d->tmpdir, sizeof d->tmpdir, "/tmp/ecgopt-demo-XXXXXX");
        if (!mkdtemp(d->tmpdir))
            return eo_error_set(err, EO_STATUS_IO, "%s: cannot create a temporary folder", d->tmpdir);
        eo_cli_info(d->c, "demo: record %s not found; using synthetic ECGSYN records in %s\n", want, d->tmpdir);
        st = write_synth(d->tmpdir, "synth-train", d->quick ? 300 : 600, d->c->seed + 100, 0.12, err);
        if (!st)
            st = write_synth(d->tmpdir, "synth", 120, d->c->seed, 0.1, err);
        if (st)
            return st;
        snprintf(d->base, sizeof d->base, "%s/synth", d->tmpdir);
        snprintf(d->record, sizeof d->record, "synth");
    }
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = d->c->verify;
    st = eo_wfdb_record_load(d->base, &ro, &d->rec, err);
    if (st)
        return st;
    d->fs = d->rec->fs_hz;
    d->sig = eo_wfdb_find_signal(d->rec->header, "MLII");
    if (d->sig < 0)
        d->sig = 0;
    /* display window: the first 60 s (30 s with --quick) */
    d->w0 = 0;
    d->wn = (long)(d->fs * (d->quick ? 30 : 60));
    if (d->wn > d->rec->n_samples)
        d->wn = d->rec->n_samples;
    if (d->wn < (long)(d->fs * 10))
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: record shorter than 10 s", d->base);
    d->x = malloc(sizeof(double) * (size_t)d->wn);
    d->den = malloc(sizeof(double) * (size_t)d->wn);
    d->recon = malloc(sizeof(double) * (size_t)d->wn);
    d->errtr = malloc(sizeof(double) * (size_t)d->wn);
    if (!d->x || !d->den || !d->recon || !d->errtr)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "demo: out of memory");
    return eo_wfdb_record_physical(d->rec, d->sig, d->w0, d->wn, d->x, err);
}

/* ---- 2. tuning study: VMD (K, alpha) by mean envelope entropy ----------- */

typedef struct mee_ctx {
    eo_vmd *v;
    const double *x;
    double fs;
    demo_prog *prog;
    long done, total;
} mee_ctx;

static double mee_fn(void *user, const double *values, size_t dim)
{
    mee_ctx *m = user;
    (void)dim;
    double mee = NAN;
    eo_error e;
    if (eo_vmd_mee_objective(m->v, m->x, m->fs, (int)values[0], values[1], &mee, &e))
        mee = NAN;
    m->done++;
    stage_cb(m->prog, (double)m->done, (double)m->total, NULL);
    return mee;
}

static eo_status run_study(demo *d, eo_error *err)
{
    /* a 5-s window from the middle of the display window (Xing et al. 2025
     * searches on a short segment, then decomposes the whole signal) */
    size_t n = (size_t)(5 * d->fs);
    const double *xw = d->x + (d->wn - (long)n) / 2;
    eo_vmd_options vo;
    eo_vmd_defaults(&vo);
    vo.K = 12;
    vo.alpha = 2000;
    vo.init = EO_VMD_INIT_UNIFORM;
    vo.tol = 1e-6;
    vo.max_iter = 200;
    eo_vmd *v = NULL;
    eo_space *sp = NULL;
    eo_status st = eo_vmd_create(&v, n, &vo, err);
    if (!st)
        st = eo_space_create(&sp, err);
    if (!st)
        st = eo_space_add_int(sp, "K", 2, 12, 0, err);
    if (!st)
        st = eo_space_add_real(sp, "alpha", 100, 10000, 1, err);
    const char *names[N_OPT] = {"iaoa", "aoa", "gwo", "pso", "random"};
    long evals = d->quick ? 24 : 48;
    mee_ctx m = {v, xw, d->fs, &d->prog, 0, evals * N_OPT};
    double best = INFINITY;
    for (int i = 0; i < N_OPT && !st; i++) {
        eo_opt_options oo;
        eo_opt_options_defaults(&oo);
        oo.seed = d->c->seed;
        oo.pop_size = 6;
        oo.budget.max_evals = evals;
        eo_optimizer *opt = NULL;
        st = eo_optimizer_create(names[i], sp, &oo, &opt, err);
        if (!st)
            st = eo_optimizer_run(opt, mee_fn, &m, NULL, err);
        if (!st) {
            d->opt_names[i] = names[i];
            size_t h = eo_optimizer_history_size(opt);
            d->curve[i] = malloc(sizeof(double) * (h ? h : 1));
            if (!d->curve[i])
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "demo: out of memory");
            else
                d->curve_n[i] = eo_optimizer_best_curve(opt, d->curve[i], h);
            double f, vals[2];
            if (!st && eo_optimizer_best(opt, &f, NULL, vals, err) == EO_STATUS_OK) {
                d->best_mee[i] = f;
                if (f < best) {
                    best = f;
                    d->K = (int)vals[0];
                    d->alpha = vals[1];
                }
            } else
                d->best_mee[i] = NAN;
            if (!st && i == 0) {
                /* the IAOA run is "the study" whose trials are shown */
                d->trial_values = malloc(sizeof(double) * 2 * (h ? h : 1));
                d->trial_fit = malloc(sizeof(double) * (h ? h : 1));
                if (!d->trial_values || !d->trial_fit)
                    st = eo_error_set(err, EO_STATUS_NO_MEMORY, "demo: out of memory");
                for (size_t t = 0; t < h && !st; t++) {
                    eo_trial tr;
                    if (eo_optimizer_history_get(opt, t, &tr, err) || !tr.x)
                        break;
                    eo_space_decode(sp, tr.x, d->trial_values + 2 * t);
                    d->trial_fit[t] = tr.status == EO_EVAL_OK ? tr.fitness : NAN;
                    d->n_trials = t + 1;
                }
            }
        }
        eo_optimizer_destroy(opt);
    }
    if (!st && !isfinite(best))
        st = eo_error_set(err, EO_STATUS_INTERNAL, "demo: no VMD evaluation of the study succeeded");
    eo_space_destroy(sp);
    eo_vmd_destroy(v);
    return st;
}

/* ---- 3. denoising -------------------------------------------------------- */

static eo_status load_noise(demo *d, int which, double *out, size_t n, eo_error *err)
{
    if (!d->synthetic) {
        char base[4096];
        const char *name = which == 0 ? "nstdb/bw" : "nstdb/ma";
        eo_error e2;
        if (eo_data_find_record(d->c->data_dir, name, "hea", base, sizeof base, &e2) == EO_STATUS_OK) {
            /* skip the first 100 s of the noise record */
            double *x = NULL;
            long got = 0;
            eo_status st = eo_wfdb_load_physical(base, 0, 36000, (long)n, d->c->verify, &x, &got, err);
            if (!st)
                memcpy(out, x, n * sizeof *out);
            free(x);
            d->noises[which] = which == 0 ? "baseline wander (NSTDB bw)" : "muscle artefact (NSTDB ma)";
            return st;
        }
    }
    /* synthetic stand-ins: slow sinusoids for baseline wander, white noise
     * for muscle artefact */
    eo_rng rng;
    eo_rng_seed(&rng, d->c->seed + 7 + (uint64_t)which);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / d->fs;
        out[i] = which == 0 ? 0.5 * sin(2 * M_PI * 0.15 * t) + 0.2 * sin(2 * M_PI * 0.33 * t + 1)
                            : eo_rng_normal(&rng);
    }
    d->noises[which] = which == 0 ? "baseline wander (synthetic)" : "white noise (synthetic)";
    return EO_STATUS_OK;
}

static eo_status run_denoising(demo *d, eo_error *err)
{
    size_t n = (size_t)(10 * d->fs);
    double *noise = malloc(sizeof(double) * n), *noisy = malloc(sizeof(double) * n);
    double *y = malloc(sizeof(double) * n), *clean = malloc(sizeof(double) * n);
    eo_status st = EO_STATUS_OK;
    if (!noise || !noisy || !y || !clean) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "demo: out of memory");
        goto done;
    }
    /* The reference is the record's own 10 s with its baseline removed (de
     * Chazal 200 + 600 ms medians, dsp.h) and its mean subtracted: the
     * recording's drift and DC offset are not signal a denoiser should
     * keep, and would otherwise count as error for every method. */
    eo_baseline_options bo;
    eo_baseline_defaults(&bo);
    st = eo_baseline_remove(d->x, n, d->fs, &bo, clean, NULL, err);
    if (st)
        goto done;
    {
        double m = 0;
        for (size_t i = 0; i < n; i++)
            m += clean[i] / (double)n;
        for (size_t i = 0; i < n; i++)
            clean[i] -= m;
    }
    static const double full[] = {-6, 0, 6, 12, 18}, quick[] = {0, 6, 12};
    d->n_snr = d->quick ? 3 : 5;
    memcpy(d->snr_in, d->quick ? quick : full, sizeof(double) * (size_t)d->n_snr);
    int steps = 2 * d->n_snr * N_METHODS, step = 0;
    for (int nz = 0; nz < 2 && !st; nz++) {
        st = load_noise(d, nz, noise, n, err);
        if (st)
            break;
        if (eo_noise_gain_at_snr(clean, noise, n, 0) == 0) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "demo: noise record %d is flat", nz);
            break;
        }
        for (int k = 0; k < d->n_snr && !st; k++) {
            double g = eo_noise_gain_at_snr(clean, noise, n, d->snr_in[k]);
            for (size_t i = 0; i < n; i++)
                noisy[i] = clean[i] + g * noise[i];
            for (int mth = 0; mth < N_METHODS && !st; mth++) {
                eo_denoise_options o;
                eo_denoise_defaults(&o);
                o.method = mth == 0 ? EO_DENOISE_BANDPASS
                           : mth == 1 ? EO_DENOISE_WAVELET
                           : mth == 2 ? EO_DENOISE_MEDIAN
                                      : EO_DENOISE_VMD;
                o.vmd.K = d->K;
                o.vmd.alpha = d->alpha;
                o.vmd.max_iter = 200;
                o.vmd.tol = 1e-6;
                o.lowest_correct = 1;
                st = eo_denoise(noisy, n, d->fs, &o, y, NULL, err);
                if (!st) {
                    /* outputs compared without their DC level */
                    double m = 0;
                    for (size_t i = 0; i < n; i++)
                        m += y[i] / (double)n;
                    for (size_t i = 0; i < n; i++)
                        y[i] -= m;
                    d->snr_out[nz][mth][k] = eo_snr_db(clean, y, n);
                }
                stage_cb(&d->prog, ++step, steps, NULL);
            }
        }
    }
done:
    free(noise);
    free(noisy);
    free(y);
    free(clean);
    return st;
}

static const char *fate_name(eo_mode_action a)
{
    return a == EO_MODE_DROPPED ? "dropped" : a == EO_MODE_BASELINE ? "removed (baseline)"
                                            : a == EO_MODE_CORRECTED ? "baseline-corrected" : "kept";
}

static eo_status run_vmd_window(demo *d, eo_error *err)
{
    /* the display window denoised with the tuned (K, alpha) */
    eo_denoise_options o;
    eo_denoise_defaults(&o);
    o.method = EO_DENOISE_VMD;
    o.vmd.K = d->K;
    o.vmd.alpha = d->alpha;
    o.vmd.max_iter = 300;
    o.vmd.tol = 1e-6;
    o.lowest_correct = 1;
    eo_denoise_report rep;
    eo_status st = eo_denoise(d->x, (size_t)d->wn, d->fs, &o, d->den, &rep, err);
    if (st)
        return st;
    stage_cb(&d->prog, 0.6, 1, NULL);
    /* the modes of a 10-s piece, for the figure */
    d->modes_n = (size_t)(10 * d->fs);
    d->modes_K = d->K;
    d->modes = malloc(sizeof(double) * d->modes_n * (size_t)d->K);
    if (!d->modes)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "demo: out of memory");
    eo_vmd_options vo = o.vmd;
    st = eo_vmd_decompose(d->x, d->modes_n, d->fs, &vo, d->modes, d->center, NULL, err);
    if (st)
        return st;
    /* sort modes by centre frequency (eo_denoise reports them sorted) */
    for (int a = 0; a < d->K; a++)
        for (int b = a + 1; b < d->K; b++)
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
    /* the fate each mode gets under the denoiser's rules (denoise.h step 3) */
    for (int k = 0; k < d->K; k++)
        d->fate[k] = d->center[k] > o.drop_above_hz ? fate_name(EO_MODE_DROPPED)
                     : k == 0                       ? fate_name(EO_MODE_CORRECTED)
                                                    : fate_name(EO_MODE_KEPT);
    return EO_STATUS_OK;
}

/* ---- 4. classification --------------------------------------------------- */

static eo_status run_classification(demo *d, eo_error *err)
{
    const char *const *train_recs;
    int n_train;
    const char *synth_train[1];
    char synth_path[300];
    const char *data_dir = d->c->data_dir;
    /* quick: the 8 DS1 records richest in S and V beats */
    static const char *const ds1_quick[8] = {"101", "106", "118", "119", "201", "207", "208", "223"};
    if (d->synthetic) {
        snprintf(synth_path, sizeof synth_path, "%s/synth-train", d->tmpdir);
        synth_train[0] = synth_path;
        train_recs = synth_train;
        n_train = 1;
    } else if (d->quick) {
        train_recs = ds1_quick;
        n_train = 8;
    } else {
        train_recs = eo_split_ds1;
        n_train = 22;
    }
    double base = d->prog.base, span = d->prog.span;
    eo_beats_options bo;
    eo_beats_defaults(&bo);
    eo_beats *all = NULL, *sub = NULL;
    eo_classifier *model = NULL;
    size_t *idx = NULL;
    d->prog.span = span * 0.4;
    eo_status st = eo_beats_load(data_dir, train_recs, n_train, &bo, stage_cb, &d->prog, &all, err);
    if (st)
        goto done;
    /* subsample N beats: every S/V/F/Q beat, and N beats with probability
     * keep (the class weights of the trainer rebalance the rest) */
    idx = malloc(sizeof *idx * (all->n ? all->n : 1));
    if (!idx) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "demo: out of memory");
        goto done;
    }
    eo_rng rng;
    eo_rng_seed(&rng, d->c->seed);
    double keep = d->quick ? 0.15 : 0.4;
    size_t m = 0;
    for (size_t i = 0; i < all->n; i++)
        if (all->y[i] != 0 || eo_rng_uniform(&rng) < keep)
            idx[m++] = i;
    st = eo_beats_subset(all, idx, m, &sub, err);
    if (st)
        goto done;
    d->n_train_beats = (long)sub->n;
    d->n_train_records = n_train;
    eo_classifier_options co;
    eo_classifier_defaults(&co);
    co.gbm_rounds = d->quick ? 60 : 150;
    co.threads = d->c->threads > 0 ? d->c->threads : 2;
    co.seed = d->c->seed;
    d->prog.base = base + span * 0.4;
    d->prog.span = span * 0.4;
    st = eo_classifier_train(&co, &bo, sub, NULL, stage_cb, &d->prog, &model, err);
    if (st)
        goto done;
    d->train_s = eo_classifier_train_seconds(model);
    d->prog.base = base + span * 0.8;
    d->prog.span = span * 0.2;
    eo_annotation_set *det = NULL;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = d->c->verify;
    char lead[32];
    snprintf(lead, sizeof lead, "%d", d->sig);
    st = eo_detect_record(d->base, lead, NULL, &ro, stage_cb, &d->prog, &det, NULL, err);
    if (!st)
        st = eo_classify_record(model, d->base, det, &d->pred, err);
    eo_annot_set_destroy(det);
    if (st)
        goto done;
    char atr[4200];
    snprintf(atr, sizeof atr, "%s.atr", d->base);
    st = eo_annot_read(atr, &d->ref, err);
    if (st)
        goto done;
    eo_ec57_options eo;
    eo_ec57_defaults(&eo, d->fs);
    eo.end_sample = d->rec->n_samples;
    st = eo_ec57_compare(d->ref, d->pred, &eo, &d->ec57, err);
    if (!st)
        eo_ec57_stats_of(&d->ec57, &d->stats);
done:
    d->prog.base = base;
    d->prog.span = span;
    free(idx);
    eo_beats_destroy(all);
    eo_beats_destroy(sub);
    eo_classifier_destroy(model);
    return st;
}

/* ---- 5. compression ------------------------------------------------------ */

static eo_status encode_point(demo *d, const eo_wfdb_record *crop, const eo_codec_options *o, int curve,
                              int want_recon, eo_error *err)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    eo_codec_stats cs;
    eo_ecgz *z = NULL;
    int32_t *dec[8] = {0};
    eo_status st = eo_codec_encode(crop, o, &buf, &len, &cs, err);
    if (!st)
        st = eo_ecgz_open_mem(buf, len, "demo.ecgz", &z, err);
    for (int s = 0; s < crop->n_signals && !st; s++)
        if (!(dec[s] = malloc(sizeof(int32_t) * (size_t)crop->n_samples)))
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "demo: out of memory");
    if (!st)
        st = eo_ecgz_read(z, 0, crop->n_samples, dec, err);
    eo_fidelity fid;
    if (!st)
        st = eo_codec_fidelity(crop, dec, 0, crop->n_samples, &fid, err);
    if (!st) {
        int k = d->rd_n[curve]++;
        d->rd_cr[curve][k] = cs.cr;
        d->rd_prdn[curve][k] = fid.prdn;
        eo_codec_setting_label(o, d->rd_set[curve][k], sizeof d->rd_set[curve][k]);
        if (want_recon) {
            d->rd_shown = curve * MAX_RD + k;
            const eo_wfdb_signal_info *si = &crop->header->signals[d->sig];
            for (long i = 0; i < d->wn; i++) {
                d->recon[i] = eo_wfdb_adu_to_mv(si, dec[d->sig][d->w0 + i]);
                d->errtr[i] = d->x[i] - d->recon[i];
            }
        }
    }
    for (int s = 0; s < 8; s++)
        free(dec[s]);
    eo_ecgz_close(z);
    free(buf);
    return st;
}

static eo_status run_compression(demo *d, eo_error *err)
{
    /* --quick compresses the first 5 minutes; otherwise the whole record */
    eo_wfdb_record crop = *d->rec;
    if (d->rec->n_signals > 8)
        crop.n_signals = 8;
    if (d->quick && crop.n_samples > (long)(300 * d->fs))
        crop.n_samples = (long)(300 * d->fs);
    if (crop.n_signals != crop.header->n_signals)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED, "%s: demo compresses at most 8 signals", d->base);
    double t0 = eo_time_now();
    d->rd_name[0] = "lossless";
    d->rd_name[1] = "bounded";
    d->rd_name[2] = "wavelet"; /* CDF 9/7 */
    d->rd_shown = -1;
    static const int bounds_full[] = {1, 2, 4, 8, 16}, bounds_quick[] = {2, 8};
    static const double prdn_full[] = {1, 2, 4, 8, 15}, prdn_quick[] = {2, 5, 10};
    int nb = d->quick ? 2 : 5, np = d->quick ? 3 : 5;
    int total = 1 + nb + np, done = 0;
    eo_codec_options o;
    eo_codec_defaults(&o);
    o.mode = EO_CODEC_LOSSLESS;
    eo_status st = encode_point(d, &crop, &o, 0, 0, err);
    stage_cb(&d->prog, ++done, total, NULL);
    for (int i = 0; i < nb && !st; i++) {
        eo_codec_defaults(&o);
        o.mode = EO_CODEC_BOUNDED;
        o.max_error_adu = d->quick ? bounds_quick[i] : bounds_full[i];
        st = encode_point(d, &crop, &o, 1, 0, err);
        stage_cb(&d->prog, ++done, total, NULL);
    }
    for (int i = 0; i < np && !st; i++) {
        eo_codec_defaults(&o);
        o.mode = EO_CODEC_WAVELET;
        o.target_prdn = d->quick ? prdn_quick[i] : prdn_full[i];
        /* the strip shows the 5 % (quick) / 4 % reconstruction */
        st = encode_point(d, &crop, &o, 2, o.target_prdn == (d->quick ? 5.0 : 4.0), err);
        stage_cb(&d->prog, ++done, total, NULL);
    }
    d->comp_seconds = eo_time_now() - t0;
    return st;
}

/* ---- 6. report ----------------------------------------------------------- */

/* AAMI class name of a beat annotation, "" for non-beats */
static const char *aami_name(int code)
{
    eo_aami_class a = eo_annot_aami_class(code);
    return a == EO_AAMI_NONE ? "" : eo_aami_class_name(a);
}

/* The beats of the display window, reference / predicted AAMI class,
 * paired within the EC57 match window (eo_report_pair_beats). */
static eo_status build_marks(const demo *d, eo_strip_mark **out, size_t *n_out, eo_error *err)
{
    eo_report_beat *rb = calloc(d->ref->n + 1, sizeof *rb), *tb = calloc(d->pred->n + 1, sizeof *tb);
    size_t nr = 0, nt = 0;
    eo_status st;
    if (!rb || !tb) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "demo: out of memory");
        goto done;
    }
    for (size_t i = 0; i < d->ref->n; i++)
        if (eo_annot_is_beat(d->ref->items[i].code))
            rb[nr++] = (eo_report_beat){d->ref->items[i].sample, aami_name(d->ref->items[i].code)};
    for (size_t i = 0; i < d->pred->n; i++)
        if (eo_annot_is_beat(d->pred->items[i].code))
            tb[nt++] = (eo_report_beat){d->pred->items[i].sample, aami_name(d->pred->items[i].code)};
    eo_ec57_options eo;
    eo_ec57_defaults(&eo, d->fs); /* the EC57 match window, 150 ms */
    st = eo_report_pair_beats(rb, nr, tb, nt, (long)(eo.match_window_s * d->fs), d->w0, d->w0 + d->wn, out,
                              n_out, NULL, err);
done:
    free(rb);
    free(tb);
    return st;
}

/* The report's sections, in order (report.h figures). */
static void report_summary(const demo *d, eo_report *r)
{
    char txt[1024];
    snprintf(txt, sizeof txt,
             "Record %s (%s), %.0f Hz, %.1f min, lead %s. Beats by ecgopt's QRS detector, classified by a "
             "gradient-boosting model trained on %d %s record(s) (%ld beats, %.1f s); strips show the "
             "first %.0f s. %s",
             d->record, d->base, d->fs, d->rec->n_samples / d->fs / 60,
             d->rec->header->signals[d->sig].description[0] ? d->rec->header->signals[d->sig].description : "0",
             d->n_train_records, d->synthetic ? "synthetic" : "MIT-BIH DS1", d->n_train_beats, d->train_s,
             d->wn / d->fs, d->quick ? "Quick mode: fewer records, evaluations and rates." : "");
    eo_report_paragraph(r, txt);
    {
        const char *hdr[2] = {"figure", "value"};
        char cells[8][2][96];
        const char *cp[16];
        int nr = 0;
        snprintf(cells[nr][0], 96, "QRS detection Se / +P (%%)");
        snprintf(cells[nr++][1], 96, "%.2f / %.2f", d->stats.qrs_se, d->stats.qrs_ppv);
        snprintf(cells[nr][0], 96, "VEB Se / +P (%%)");
        snprintf(cells[nr++][1], 96, "%.2f / %.2f", d->stats.veb_se, d->stats.veb_ppv);
        snprintf(cells[nr][0], 96, "SVEB Se / +P (%%)");
        snprintf(cells[nr++][1], 96, "%.2f / %.2f", d->stats.sveb_se, d->stats.sveb_ppv);
        snprintf(cells[nr][0], 96, "tuned VMD K, alpha");
        snprintf(cells[nr++][1], 96, "%d, %.0f", d->K, d->alpha);
        snprintf(cells[nr][0], 96, "lossless CR");
        snprintf(cells[nr++][1], 96, "%.2f", d->rd_n[0] ? d->rd_cr[0][0] : NAN);
        snprintf(cells[nr][0], 96, "wavelet CR at PRDN %.1f %%", d->rd_n[2] ? d->rd_prdn[2][d->rd_n[2] / 2] : NAN);
        snprintf(cells[nr++][1], 96, "%.2f", d->rd_n[2] ? d->rd_cr[2][d->rd_n[2] / 2] : NAN);
        snprintf(cells[nr][0], 96, "demo wall time (s)");
        snprintf(cells[nr++][1], 96, "%.1f", eo_time_now() - d->seconds);
        for (int i = 0; i < nr; i++) {
            cp[2 * i] = cells[i][0];
            cp[2 * i + 1] = cells[i][1];
        }
        eo_report_table(r, "Summary", 2, hdr, nr, cp);
    }
}

static eo_status report_strips(const demo *d, eo_report *r, const eo_strip_mark *marks, size_t n_marks,
                               eo_error *err)
{
    eo_status st;
    /* strips */
    eo_report_heading(r, 2, "ECG strips");
    eo_report_paragraph(r, "Traces: original; VMD-denoised (tuned K, alpha); wavelet reconstruction from the "
                           ".ecgz file; error = original - reconstruction. Labels above the beats: reference / "
                           "predicted AAMI class (N S V F Q; '-' = no beat on that side); disagreements are "
                           "shaded. Click a window of the overview to jump to its 25 mm/s strip.");
    {
        eo_strip_trace tr[4] = {{"original", d->x, (size_t)d->wn},
                                {"denoised", d->den, (size_t)d->wn},
                                {"reconstructed", d->recon, (size_t)d->wn},
                                {"error", d->errtr, (size_t)d->wn}};
        eo_strip_options so;
        eo_strip_defaults(&so, d->fs);
        so.seconds = 10;
        so.band_mv = 0; /* bands fit each trace: ventricular beats are not clipped */
        /* marks are relative to the window start (w0 = 0 here) */
        st = eo_report_ecg_zoom(r, d->record, &so, d->wn / d->fs, (int)(d->wn / d->fs / 10), tr, 4, marks,
                                n_marks, err);
        if (st)
            return st;
    }
    return EO_STATUS_OK;
}

static eo_status report_classification(const demo *d, eo_report *r, eo_error *err)
{
    eo_status st;
    /* classification */
    {
        const char *cls[7] = {"N", "S", "V", "F", "Q", "O", "X"};
        long cm[49];
        for (int a = 0; a < 7; a++)
            for (int b = 0; b < 7; b++)
                cm[a * 7 + b] = d->ec57.m[a][b];
        eo_report_ec57_row rows[3] = {
            {"QRS", d->stats.qtp, d->stats.qfn, d->stats.qfp, d->stats.qrs_se, d->stats.qrs_ppv, NAN},
            {"VEB", d->stats.vtp, d->stats.vfn, d->stats.vfp, d->stats.veb_se, d->stats.veb_ppv, d->stats.veb_fpr},
            {"SVEB", d->stats.stp, d->stats.sfn, d->stats.sfp, d->stats.sveb_se, d->stats.sveb_ppv, NAN}};
        char t2[160];
        snprintf(t2, sizeof t2, "Beat classification: record %s, whole record, detector beats", d->record);
        st = eo_report_add_classification(r, t2, cls, 7, cm, 5, rows, 3, err);
        if (st)
            return st;
        eo_report_paragraph(r, "Rows: reference class; columns: test class. O: a detection without a reference "
                               "beat (false positive); the O column: a reference beat the detector missed.");
    }
    return EO_STATUS_OK;
}

static eo_status report_denoising(const demo *d, eo_report *r, eo_error *err)
{
    char txt[1024];
    eo_status st;
    /* denoising */
    {
        eo_report_curve cv[2 * N_METHODS];
        int of[2 * N_METHODS];
        for (int nz = 0; nz < 2; nz++)
            for (int mth = 0; mth < N_METHODS; mth++) {
                cv[nz * N_METHODS + mth] =
                    (eo_report_curve){method_names[mth], d->snr_in, d->snr_out[nz][mth], (size_t)d->n_snr};
                of[nz * N_METHODS + mth] = nz;
            }
        st = eo_report_add_denoising(r, d->noises, 2, cv, of, 2 * N_METHODS, err);
        if (st)
            return st;
        snprintf(txt, sizeof txt,
                 "Noise added to the first 10 s of record %s, scaled to each input SNR (mean-removed powers); "
                 "output SNR against that segment with its baseline removed (200 + 600 ms medians) and both "
                 "means subtracted. VMD uses the K = %d, alpha = %.0f the study found; its lowest mode is "
                 "baseline-corrected rather than dropped (denoise.h lowest_correct).",
                 d->record, d->K, d->alpha);
        eo_report_paragraph(r, txt);
        snprintf(txt, sizeof txt, "VMD modes (K = %d, alpha = %.0f), first 10 s of %s", d->modes_K, d->alpha,
                 d->record);
        st = eo_report_add_vmd_modes(r, txt, d->fs, d->x, d->modes_n, d->modes, d->modes_K, d->center, d->fate,
                                     0, d->modes_n, err);
        if (st)
            return st;
    }
    return EO_STATUS_OK;
}

static eo_status report_compression(const demo *d, eo_report *r, eo_error *err)
{
    char txt[1024];
    eo_status st;
    /* compression */
    {
        eo_report_rd_point pt[3 * MAX_RD];
        size_t np = 0;
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < d->rd_n[k]; i++)
                pt[np++] = (eo_report_rd_point){d->rd_name[k], d->rd_set[k][i], d->rd_cr[k][i], d->rd_prdn[k][i],
                                                k * MAX_RD + i == d->rd_shown};
        st = eo_report_add_rate_distortion(r, NULL, "shown in the strips", pt, np, err);
        if (st)
            return st;
        snprintf(txt, sizeof txt, "Both signals of %s, %s; every byte of the .ecgz file counted.", d->record,
                 d->quick ? "first 5 minutes" : "whole record");
        eo_report_paragraph(r, txt);
    }
    return EO_STATUS_OK;
}

static eo_status report_tuning(const demo *d, eo_report *r, eo_error *err)
{
    eo_status st;
    /* optimisation */
    {
        eo_report_curve cv[N_OPT];
        for (int i = 0; i < N_OPT; i++)
            cv[i] = (eo_report_curve){d->opt_names[i], NULL, d->curve[i], d->curve_n[i]};
        st = eo_report_add_convergence(r, "Tuning: VMD (K, alpha) by mean envelope entropy",
                                       "best mean envelope entropy", cv, N_OPT, 0, err);
        if (st)
            return st;
        eo_report_paragraph(r, "Every optimiser gets the same budget and seed on the same 5-s window "
                               "(K in 2..12, alpha in 100..10000 on a log scale; Xing et al. 2025).");
        const char *pn[2] = {"K", "alpha"};
        if (d->n_trials > 0) {
            st = eo_report_add_study(r, "Study: the IAOA run's trials", pn, 2, d->trial_values, d->trial_fit,
                                     d->n_trials, err);
            if (st)
                return st;
        }
    }
    return EO_STATUS_OK;
}

static eo_status build_report(demo *d, eo_error *err)
{
    const char *path = d->path;
    char title[160];
    snprintf(title, sizeof title, "ecgopt demo: record %s%s", d->record, d->synthetic ? " (synthetic ECGSYN)" : "");
    eo_report *r = eo_report_create(title);
    eo_strip_mark *marks = NULL;
    size_t n_marks = 0;
    if (!r)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "demo: out of memory");
    eo_status st = build_marks(d, &marks, &n_marks, err);
    if (!st) {
        report_summary(d, r);
        st = report_strips(d, r, marks, n_marks, err);
    }
    if (!st)
        st = report_classification(d, r, err);
    if (!st)
        st = report_denoising(d, r, err);
    if (!st)
        st = report_compression(d, r, err);
    if (!st)
        st = report_tuning(d, r, err);
    if (!st)
        st = eo_report_write(r, path, err);
    free(marks);
    eo_report_destroy(r);
    return st;
}

static void print_summary(const demo *d, const char *path, double secs)
{
    if (d->c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "report", path);
        eo_json_kv_str(&j, "record", d->record);
        eo_json_kv_bool(&j, "synthetic", d->synthetic);
        eo_json_kv_bool(&j, "quick", d->quick);
        eo_json_kv_num(&j, "seconds", secs);
        eo_json_key(&j, "tuning");
        eo_json_obj_begin(&j);
        eo_json_kv_int(&j, "K", d->K);
        eo_json_kv_num(&j, "alpha", d->alpha);
        eo_json_key(&j, "best_mee");
        eo_json_obj_begin(&j);
        for (int i = 0; i < N_OPT; i++)
            eo_json_kv_num(&j, d->opt_names[i], d->best_mee[i]);
        eo_json_obj_end(&j);
        eo_json_obj_end(&j);
        eo_json_key(&j, "denoising");
        eo_json_arr_begin(&j);
        for (int nz = 0; nz < 2; nz++)
            for (int m = 0; m < N_METHODS; m++)
                for (int k = 0; k < d->n_snr; k++) {
                    eo_json_obj_begin(&j);
                    eo_json_kv_str(&j, "noise", d->noises[nz]);
                    eo_json_kv_str(&j, "method", method_names[m]);
                    eo_json_kv_num(&j, "snr_in_db", d->snr_in[k]);
                    eo_json_kv_num(&j, "snr_out_db", d->snr_out[nz][m][k]);
                    eo_json_obj_end(&j);
                }
        eo_json_arr_end(&j);
        eo_json_key(&j, "classification");
        eo_json_obj_begin(&j);
        eo_json_kv_int(&j, "train_beats", d->n_train_beats);
        eo_json_kv_num(&j, "qrs_se", d->stats.qrs_se);
        eo_json_kv_num(&j, "qrs_ppv", d->stats.qrs_ppv);
        eo_json_kv_num(&j, "veb_se", d->stats.veb_se);
        eo_json_kv_num(&j, "veb_ppv", d->stats.veb_ppv);
        eo_json_kv_num(&j, "sveb_se", d->stats.sveb_se);
        eo_json_kv_num(&j, "sveb_ppv", d->stats.sveb_ppv);
        eo_json_obj_end(&j);
        eo_json_key(&j, "compression");
        eo_json_arr_begin(&j);
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < d->rd_n[k]; i++) {
                eo_json_obj_begin(&j);
                eo_json_kv_str(&j, "mode", d->rd_name[k]);
                eo_json_kv_num(&j, "cr", d->rd_cr[k][i]);
                eo_json_kv_num(&j, "prdn", d->rd_prdn[k][i]);
                eo_json_kv_str(&j, "setting", d->rd_set[k][i]);
                eo_json_obj_end(&j);
            }
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
        fputc('\n', stdout);
        return;
    }
    if (d->c->quiet)
        return;
    printf("record %s%s: %.1f s\n", d->record, d->synthetic ? " (synthetic)" : "", secs);
    printf("  tuning     VMD K=%d alpha=%.0f (best MEE %.4f over %d optimisers)\n", d->K, d->alpha,
           d->best_mee[0], N_OPT);
    printf("  denoising  %s at %+.0f dB: bandpass %.1f, wavelet %.1f, median %.1f, vmd %.1f dB\n", d->noises[1],
           d->snr_in[0], d->snr_out[1][0][0], d->snr_out[1][1][0], d->snr_out[1][2][0], d->snr_out[1][3][0]);
    printf("  classify   QRS Se %.2f%% +P %.2f%%, VEB Se %.2f%% +P %.2f%%, SVEB Se %.2f%% +P %.2f%%\n",
           d->stats.qrs_se, d->stats.qrs_ppv, d->stats.veb_se, d->stats.veb_ppv, d->stats.sveb_se,
           d->stats.sveb_ppv);
    printf("  compress   lossless CR %.2f; wavelet CR %.2f at PRDN %.2f%%\n", d->rd_n[0] ? d->rd_cr[0][0] : NAN,
           d->rd_n[2] ? d->rd_cr[2][d->rd_n[2] / 2] : NAN, d->rd_n[2] ? d->rd_prdn[2][d->rd_n[2] / 2] : NAN);
    printf("report: %s\n", path);
}

static void demo_free(demo *d)
{
    eo_wfdb_record_destroy(d->rec);
    free(d->x);
    free(d->den);
    free(d->recon);
    free(d->errtr);
    for (int i = 0; i < N_OPT; i++)
        free(d->curve[i]);
    free(d->trial_values);
    free(d->trial_fit);
    free(d->modes);
    eo_annot_set_destroy(d->ref);
    eo_annot_set_destroy(d->pred);
    if (d->synthetic && d->tmpdir[0]) {
        static const char *const files[] = {"synth.hea", "synth.dat", "synth.atr", "synth-train.hea",
                                            "synth-train.dat", "synth-train.atr"};
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            char p[512];
            snprintf(p, sizeof p, "%s/%s", d->tmpdir, files[i]);
            unlink(p);
        }
        rmdir(d->tmpdir);
    }
}

int eo_cmd_demo(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "demo", &argc, argv))
        return c.rc;
    const char *record = "233";
    int quick = 0;
    const eo_cli_opt opts[] = {
        {"--record", EO_OPT_STR, &record, 0, 0, "NAME",
         "MIT-BIH record to show (default 233, from DS2: never trained on)", NULL},
        {"--quick", EO_OPT_FLAG, &quick, 0, 0, NULL,
         "fewer training records, evaluations and rates (about 1 minute)", NULL},
        {"  -o FILE              the report (default demo-report.html)", EO_OPT_TEXT, NULL, 0, 0, NULL, NULL, NULL},
        EO_OPT_TABLE_END};
    if (c.help) {
        eo_cli_spec spec = {
            "demo [--data DIR] [-o demo-report.html] [--record NAME] [--quick]\n"
            "                   [--seed N] [--json] [--quiet] [--progress]",
            "Runs the whole pipeline on the data it finds and writes one HTML report:\n"
            "  - tunes VMD (K, alpha) by mean envelope entropy with IAOA, AOA, GWO, PSO and\n"
            "    random search (convergence curves, trials, parameter importance);\n"
            "  - denoises NSTDB noise added to a clean segment (output vs input SNR) and the\n"
            "    record itself (VMD modes with their centre frequencies);\n"
            "  - trains a gradient-boosting beat classifier on DS1 records, detects and\n"
            "    classifies the beats of the record, scores them the EC57 way;\n"
            "  - compresses the record losslessly, with bounded error and with wavelets\n"
            "    (rate-distortion curves);\n"
            "  - draws ECG strips at 25 mm/s, 10 mm/mV: original, denoised, reconstructed\n"
            "    and error, beats labelled reference/predicted, disagreements highlighted.\n"
            "Records are looked up in --data, $ECGOPT_DATA, ./data, ../shared/data; without\n"
            "MIT-BIH the demo runs on synthetic ECGSYN records.  --json prints the summary\n"
            "as JSON on stdout.\n",
            opts, "ecgopt demo --quick -o /tmp/demo-report.html && xdg-open /tmp/demo-report.html\n",
            NULL};
        eo_cli_help(&c, &spec);
        return 0;
    }
    if (eo_cli_parse(&c, opts, argc, argv, NULL, 0, NULL, "argument"))
        return 1;
    const char *path = c.out ? c.out : "demo-report.html";
    {
        /* fail now, not after minutes of work, when the report cannot be written */
        eo_error e;
        if (eo_cli_output(&c, path, &e))
            return eo_cli_fail(&c, &e);
    }
    demo *d = calloc(1, sizeof *d);
    if (!d) {
        eo_error e;
        eo_error_set(&e, EO_STATUS_NO_MEMORY, "demo: out of memory");
        return eo_cli_fail(&c, &e);
    }
    d->c = &c;
    d->want = record;
    d->path = path;
    d->quick = quick;
    d->prog.c = &c;
    d->seconds = eo_time_now();
    eo_error err;
    eo_status st;
    /* the stages and their share of the progress bar (percent) */
    static const struct {
        const char *what;
        double base, span;
        eo_status (*run)(demo *, eo_error *);
    } stages[] = {{"demo: record", 0, 2, open_record},
                  {"demo: tuning VMD", 2, 18, run_study},
                  {"demo: denoising", 20, 12, run_denoising},
                  {"demo: VMD of the record", 32, 8, run_vmd_window},
                  {"demo: classification", 40, 35, run_classification},
                  {"demo: compression", 75, 20, run_compression},
                  {"demo: report", 95, 5, build_report}};
    st = EO_STATUS_OK;
    for (size_t i = 0; i < sizeof stages / sizeof stages[0] && !st; i++) {
        stage(&d->prog, stages[i].what, stages[i].base, stages[i].span);
        st = stages[i].run(d, &err);
    }
    if (!st)
        stage_cb(&d->prog, 1, 1, NULL);
    eo_cli_progress_end(&c);
    int rc = 0;
    if (st)
        rc = eo_cli_fail(&c, &err);
    else
        print_summary(d, path, eo_time_now() - d->seconds);
    demo_free(d);
    free(d);
    return rc;
}
