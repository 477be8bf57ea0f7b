/* Training data and training of the learned denoiser (learned.c).
 *
 * Clean ECG: MIT-BIH MLII of the DS1 records (de Chazal 2004) except 118 and
 * 119 (NSTDB's electrode-motion records are made from them), two of them held
 * out for validation.  Noise: NSTDB bw and ma, channel 0 only (channel 1 is
 * the test noise of the benchmark), plus an electrode-motion-like component:
 * the bw record read 3-10x faster, which moves its wander into EM's
 * 0.5-5 Hz band (the em record itself is not in the data, and 118e/119e are
 * test records).  Each window gets a random mix at a random SNR and a random
 * gain; the input is the pre-step of the noisy window (high-pass or median
 * baseline, computed on 5 s / 1 s of extra context each side, as the
 * whole-record pipeline sees it), the
 * target is the noise left in it relative to the clean signal after the
 * zero-phase order-2 0.5 Hz high-pass (the clean record's own wander is not
 * ECG either). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"
#include "ecgopt/denoise.h"
#include "ecgopt/nn.h"
#include "ecgopt/rng.h"
#include "ecgopt/wfdb.h"

/* 7 dilated 9-tap layers of 24 channels: receptive field 1 + 8
 * (1+2+4+8+16+32+1) = 513 samples (1.4 s at 360 Hz), margin 256; inputs:
 * the pre-stepped signal and its beat template */
#define DEFAULT_SPEC                                                                               \
    "conv(24,9) relu conv(24,9,dilation=2) relu conv(24,9,dilation=4) relu "                       \
    "conv(24,9,dilation=8) relu conv(24,9,dilation=16) relu conv(24,9,dilation=32) relu conv(1,9)"
#define DEFAULT_MARGIN 256

static const char *const val_records[] = {"122", "230"};

void eo_denoise_train_defaults(eo_denoise_train_options *o)
{
    memset(o, 0, sizeof *o);
    o->spec = DEFAULT_SPEC;
    o->margin = DEFAULT_MARGIN;
    o->window = 1024;
    o->n_train = 48000;
    o->n_val = 1000;
    o->epochs = 8;
    o->batch = 32;
    o->lr = 2e-3;
    o->threads = 2;
    o->seed = 1;
    o->snr_min_db = -6;
    o->snr_max_db = 18;
    o->pre = EO_DENOISE_PRE_HIGHPASS;
    o->peak_frac = 0;
    o->peak_min = 0.2;
    o->peak_max = 2.0;
    o->ft_epochs = 6;
    o->ft_windows = 24000;
    o->ft_lr = 1e-3;
    o->ft_peak_frac = 0.5;
    o->template_side = 16;
    o->template_select = EO_TEMPLATE_ALL;
    o->noise_holdout = 0.2;
}

const char *eo_denoise_default_spec(void) { return DEFAULT_SPEC; }

/* One signal of a record in mV: the one named `lead` if present, else
 * `fallback` (>= 0) */
eo_status eo_denoise_load_lead(const char *data_dir, const char *name, const char *lead, int fallback,
                               double **x, size_t *n, double *fs, eo_error *err)
{
    char base[4096];
    eo_status st = eo_data_find_record(data_dir, name, "hea", base, sizeof base, err);
    if (st)
        return st;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    st = eo_wfdb_record_load(base, &ro, &r, err);
    if (st)
        return st;
    int s = lead ? eo_wfdb_find_signal(r->header, lead) : -1;
    if (s < 0)
        s = fallback;
    if (s < 0 || s >= r->n_signals || r->n_samples < 1) {
        eo_wfdb_record_destroy(r);
        return eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: no signal %s (and no signal %d)", base,
                            lead ? lead : "-", fallback);
    }
    *x = malloc((size_t)r->n_samples * sizeof **x);
    if (!*x) {
        eo_wfdb_record_destroy(r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", base);
    }
    st = eo_wfdb_record_physical(r, s, 0, r->n_samples, *x, err);
    *n = (size_t)r->n_samples;
    *fs = r->fs_hz;
    eo_wfdb_record_destroy(r);
    if (st) {
        free(*x);
        *x = NULL;
    }
    return st;
}

eo_status eo_denoise_highpass_ref(const double *x, size_t n, double fs, double *y, eo_error *err)
{
    double sos[6];
    int ns = 0;
    eo_status st = eo_butter_sos(2, EO_FILTER_HIGHPASS, 0.5, 0, fs, sos, &ns, err);
    if (!st)
        st = eo_sosfiltfilt(sos, ns, x, n, y, err);
    return st;
}

typedef struct sig {
    double *x;
    size_t n;
} sig;

static void sig_free(sig *s, int n)
{
    for (int i = 0; i < n; i++)
        free(s[i].x);
}

static double rms_ac(const double *x, size_t n)
{
    double m = 0, v = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        v += (x[i] - m) * (x[i] - m);
    return sqrt(v / (double)n);
}

/* Copy L samples of noise record src from a random offset into comp, read at
 * speed sp (linear interpolation; sp = 1 is a plain copy).  Stretching
 * (sp < 1) or compressing (sp > 1) the noise in time widens the family of
 * wander and muscle spectra the network sees beyond the one recording of
 * each in NSTDB's channel 0 (issue 16: the test noise is another channel). */
static void read_noise(const sig *src, double sp, size_t L, eo_rng *rng, double *comp)
{
    if (sp == 1.0) {
        size_t o0 = (size_t)eo_rng_below(rng, (uint64_t)(src->n - L));
        memcpy(comp, src->x + o0, L * sizeof *comp);
        return;
    }
    double o0 = (double)eo_rng_below(rng, (uint64_t)(src->n - (size_t)(sp * (double)L) - 2));
    for (size_t i = 0; i < L; i++) {
        double t = o0 + sp * (double)i;
        size_t i0 = (size_t)t;
        double f = t - (double)i0;
        comp[i] = (1 - f) * src->x[i0] + f * src->x[i0 + 1];
    }
}

/* the speed of a bw or ma read: log-uniform in [1/s, s] when
 * o->noise_stretch = s > 1, else 1 (no draw, so the older recipes' random
 * streams are replayed exactly) */
static double noise_speed(const eo_denoise_train_options *o, eo_rng *rng)
{
    if (!(o->noise_stretch > 1))
        return 1.0;
    double l = log(o->noise_stretch);
    return exp(eo_rng_range(rng, -l, l));
}

/* the network's inputs: the signal, its template, the template's spread */
static int input_channels(const eo_denoise_train_options *o)
{
    return o->template_side > 0 ? (o->template_spread ? 3 : 2) : 1;
}

/* Make n windows of length W from the clean (high-passed) records cl and
 * their raw versions raw, noise records bw and ma. */
static eo_status make_windows(const sig *raw, const sig *cl, int nrec, const sig *bw, const sig *ma,
                              const eo_denoise_train_options *o, int n, eo_rng *rng, float *X,
                              float *T, eo_error *err)
{
    /* context each side for the step before the network: 1 s for the median,
     * 5 s for the high-pass (its impulse response lasts seconds) */
    /* (10 s with a template: its beats each side come from the context) */
    const int W = o->window,
              E = o->template_side > 0 ? 3600 : o->pre == EO_DENOISE_PRE_HIGHPASS ? 1800 : 360;
    const size_t L = (size_t)W + 2 * (size_t)E;
    const int C = input_channels(o);
    double *nz = malloc(L * sizeof *nz), *comp = malloc(L * sizeof *comp),
           *p = malloc(L * sizeof *p), *tp = C > 1 ? malloc(L * sizeof *tp) : NULL,
           *sp = C > 2 ? malloc(L * sizeof *sp) : NULL;
    eo_baseline_options bo;
    eo_baseline_defaults(&bo);
    eo_status st = EO_STATUS_OK;
    if (!nz || !comp || !p || (C > 1 && !tp) || (C > 2 && !sp))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "denoise train: out of memory");
    for (int w = 0; w < n && !st; w++) {
        int r = (int)eo_rng_below(rng, (uint64_t)nrec);
        size_t off = (size_t)eo_rng_below(rng, (uint64_t)(raw[r].n - L));
        const double *c = raw[r].x + off, *ch = cl[r].x + off;
        double crms = rms_ac(ch + E, (size_t)W);
        if (crms < 1e-3)
            crms = 1e-3;
        memset(nz, 0, L * sizeof *nz);
        double u = eo_rng_uniform(rng);
        int use_bw = 0, use_ma = 0, use_em = 0;
        /* DeepFilter's amplitudes (Romero et al. 2021, and the beat
         * benchmark): one noise, bw or ma, whose peak over the context is
         * U(peak_min, peak_max) x the clean ECG's peak; drawn only when
         * asked, so peak_frac = 0 replays the older recipe's random stream */
        if (u >= 0.08 && o->peak_frac > 0 && eo_rng_uniform(rng) < o->peak_frac) {
            /* peak_em > 0: that share of them the em-like noise instead
             * (drawn only then, so the older recipes replay exactly) */
            if (o->peak_em > 0 && eo_rng_uniform(rng) < o->peak_em)
                read_noise(bw, eo_rng_range(rng, 3.0, 10.0), L, rng, comp);
            else
                read_noise(eo_rng_uniform(rng) < 0.5 ? bw : ma, noise_speed(o, rng), L, rng, comp);
            double cm = 0, nm = 0, cpk = 0, npk = 0;
            for (size_t i = 0; i < L; i++) {
                cm += ch[i];
                nm += comp[i];
            }
            cm /= (double)L;
            nm /= (double)L;
            for (size_t i = 0; i < L; i++) {
                cpk = fmax(cpk, fabs(ch[i] - cm));
                npk = fmax(npk, fabs(comp[i] - nm));
            }
            double s = eo_rng_range(rng, o->peak_min, o->peak_max) * cpk / (npk > 0 ? npk : 1);
            if (eo_rng_uniform(rng) < 0.5)
                s = -s;
            for (size_t i = 0; i < L; i++)
                nz[i] = s * (comp[i] - nm);
            u = 0; /* no further components */
        }
        if (u >= 0.08) {
            use_bw = eo_rng_uniform(rng) < 0.55;
            use_ma = eo_rng_uniform(rng) < 0.55;
            use_em = eo_rng_uniform(rng) < 0.5;
            if (!use_bw && !use_ma && !use_em)
                use_em = 1;
        }
        for (int k = 0; k < 3; k++) {
            if (!(k == 0 ? use_bw : k == 1 ? use_ma : use_em))
                continue;
            const sig *src = k == 1 ? ma : bw;
            /* electrode-motion-like: bw read at 3-10x speed */
            read_noise(src, k < 2 ? noise_speed(o, rng) : eo_rng_range(rng, 3.0, 10.0), L, rng, comp);
            double nrms = rms_ac(comp + E, (size_t)W);
            if (nrms < 1e-6)
                continue;
            double snr = eo_rng_range(rng, o->snr_min_db, o->snr_max_db);
            double s = crms * pow(10.0, -snr / 20.0) / nrms;
            if (eo_rng_uniform(rng) < 0.5)
                s = -s;
            for (size_t i = 0; i < L; i++)
                nz[i] += s * comp[i];
        }
        double g = exp(eo_rng_range(rng, log(0.5), log(2.0)));
        for (size_t i = 0; i < L; i++)
            nz[i] = g * (c[i] + nz[i]);
        st = eo_denoise_pre(o->pre, nz, L, 360.0, &bo, p, err);
        /* the template from the whole noisy context, as a record gives it */
        if (!st && C > 1)
            st = eo_denoise_beat_template(p, L, 360.0, o->template_side, o->template_select, tp, sp, err);
        for (int i = 0; !st && i < W; i++) {
            X[(size_t)w * (size_t)C * (size_t)W + (size_t)i] = (float)p[E + i];
            if (C > 1)
                X[((size_t)w * (size_t)C + 1) * (size_t)W + (size_t)i] = (float)tp[E + i];
            if (C > 2)
                X[((size_t)w * (size_t)C + 2) * (size_t)W + (size_t)i] = (float)sp[E + i];
            T[(size_t)w * (size_t)W + (size_t)i] = (float)(p[E + i] - g * ch[E + i]);
        }
    }
    free(tp);
    free(sp);
    free(nz);
    free(comp);
    free(p);
    return st;
}

static int is_val(const char *r)
{
    for (size_t i = 0; i < sizeof val_records / sizeof *val_records; i++)
        if (!strcmp(r, val_records[i]))
            return 1;
    return 0;
}

/* Adam with a cosine schedule, batch o->batch, gradient clipping 1, the
 * best validation epoch kept */
static eo_status fit(eo_nn *nn, const float *X, const float *T, int n, const float *XV,
                     const float *TV, int nv, int epochs, double lr, uint64_t seed,
                     const eo_denoise_train_options *o, eo_nn_train_report *tr, eo_error *err)
{
    eo_nn_train_options to;
    eo_nn_train_defaults(&to);
    eo_nn_loss_defaults(&to.loss, EO_NN_LOSS_MSE);
    to.epochs = epochs;
    to.batch_size = o->batch;
    to.optim.lr = lr;
    eo_nn_sched_defaults(&to.sched, EO_NN_SCHED_COSINE);
    to.sched.t_max = epochs;
    to.clip_norm = 1.0;
    to.seed = seed;
    to.progress = o->progress;
    to.progress_user = o->progress_user;
    to.on_epoch = o->on_epoch;
    to.epoch_user = o->epoch_user;
    eo_nn_data dtr = {X, NULL, T, n}, dva = {XV, NULL, TV, nv};
    return eo_nn_train(nn, &dtr, &dva, &to, tr, err);
}

eo_status eo_denoise_train(const eo_denoise_train_options *o, eo_nn **out,
                           eo_denoise_train_report *rep, eo_error *err)
{
    eo_denoise_train_options def;
    if (!o) {
        eo_denoise_train_defaults(&def);
        o = &def;
    }
    if (!out)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise train: NULL output");
    *out = NULL;
    if (o->window < 4 * o->margin || o->window < 64 || o->n_train < 1 || o->n_val < 1 ||
        o->epochs < 1 || o->batch < 1 || !(o->lr > 0) || o->margin < 1 ||
        !(o->snr_max_db >= o->snr_min_db) || !(o->peak_frac >= 0 && o->peak_frac <= 1) ||
        !(o->peak_min >= 0 && o->peak_max >= o->peak_min) || o->ft_epochs < 0 ||
        (o->ft_epochs > 0 && (o->ft_windows < 1 || !(o->ft_lr > 0))) ||
        !(o->ft_peak_frac >= 0 && o->ft_peak_frac <= 1) || !(o->peak_em >= 0 && o->peak_em <= 1) ||
        !(o->noise_stretch >= 0 && o->noise_stretch <= 4) ||
        !(o->noise_holdout >= 0 && o->noise_holdout <= 0.5) || o->template_side < 0 ||
        o->template_side > 16 || (o->template_select != EO_TEMPLATE_ALL &&
                                  o->template_select != EO_TEMPLATE_SIMILAR))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "denoise train: bad options (window %d >= 4 x margin %d and >= 64, "
                            "windows %d/%d, epochs %d, batch %d, lr %g, SNR %g..%g dB)",
                            o->window, o->margin, o->n_train, o->n_val, o->epochs, o->batch, o->lr,
                            o->snr_min_db, o->snr_max_db);
    sig raw[22] = {{0}}, cl[22] = {{0}}, bw = {0}, ma = {0};
    int ntr = 0, nva = 0;
    int order[22];
    eo_status st = EO_STATUS_OK;
    double t0 = eo_time_now();
    /* training records first, then validation */
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 22; i++) {
            const char *r = eo_split_ds1[i];
            if (!strcmp(r, "118") || !strcmp(r, "119") || is_val(r) != pass)
                continue;
            order[ntr + nva] = i;
            if (pass)
                nva++;
            else
                ntr++;
        }
    int nrec = ntr + nva;
    for (int k = 0; k < nrec && !st; k++) {
        char name[32];
        double fs = 0;
        snprintf(name, sizeof name, "mitdb/%s", eo_split_ds1[order[k]]);
        st = eo_denoise_load_lead(o->data_dir, name, "MLII", 0, &raw[k].x, &raw[k].n, &fs, err);
        if (!st && fabs(fs - 360.0) > 1e-9)
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %g Hz, expected 360", name, fs);
        if (!st) {
            cl[k].n = raw[k].n;
            cl[k].x = malloc(raw[k].n * sizeof *cl[k].x);
            st = cl[k].x ? eo_denoise_highpass_ref(raw[k].x, raw[k].n, 360.0, cl[k].x, err)
                         : eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
        }
        if (o->progress)
            o->progress(o->progress_user, k + 1, nrec + 2, "loading records");
    }
    double fs_n = 0;
    if (!st)
        st = eo_denoise_load_lead(o->data_dir, "nstdb/bw", NULL, 0, &bw.x, &bw.n, &fs_n, err);
    if (!st)
        st = eo_denoise_load_lead(o->data_dir, "nstdb/ma", NULL, 0, &ma.x, &ma.n, &fs_n, err);
    size_t W = (size_t)o->window, C = (size_t)input_channels(o);
    float *X = NULL, *T = NULL, *XV = NULL, *TV = NULL;
    eo_nn *nn = NULL;
    if (!st) {
        X = malloc((size_t)o->n_train * C * W * sizeof *X);
        T = malloc((size_t)o->n_train * W * sizeof *T);
        XV = malloc((size_t)o->n_val * C * W * sizeof *XV);
        TV = malloc((size_t)o->n_val * W * sizeof *TV);
        if (!X || !T || !XV || !TV)
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "denoise train: out of memory for %d windows",
                              o->n_train);
    }
    /* noise_holdout h > 0: training windows take their noise from the first
     * 1 - h of each noise record, validation windows from the rest, so the
     * validation loss sees noise the network never saw (model selection
     * for unseen noise without touching channel 1) */
    sig bwt = bw, mat = ma, bwv = bw, mav = ma;
    if (!st && o->noise_holdout > 0) {
        size_t kb = (size_t)((1 - o->noise_holdout) * (double)bw.n),
               km = (size_t)((1 - o->noise_holdout) * (double)ma.n);
        bwt.n = kb;
        mat.n = km;
        bwv = (sig){bw.x + kb, bw.n - kb};
        mav = (sig){ma.x + km, ma.n - km};
    }
    /* the em-like noise reads up to 10 x a window's context (bw at 10x
     * speed): every noise stretch must hold that */
    size_t need = (size_t)(10.0 * (double)(W + 2 * 3600)) + 4;
    if (!st && (bwv.n < need || mav.n < need || bwt.n < need || mat.n < need))
        st = eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                          "denoise train: window %d is too long for the noise records%s", o->window,
                          o->noise_holdout > 0 ? " with the noise holdout" : "");
    eo_rng rng;
    eo_rng_seed(&rng, o->seed);
    if (!st)
        st = make_windows(raw, cl, ntr, &bwt, &mat, o, o->n_train, &rng, X, T, err);
    if (!st)
        st = make_windows(raw + ntr, cl + ntr, nva, &bwv, &mav, o, o->n_val, &rng, XV, TV, err);
    if (!st)
        st = eo_nn_from_spec(o->spec, (int)C, o->window, &nn, err);
    if (!st) {
        int oc = 0, ol = 0;
        eo_nn_output_shape(nn, &oc, &ol);
        if (oc != 1 || ol != o->window)
            st = eo_error_set(err, EO_STATUS_USAGE,
                              "denoise train: spec maps 1 x %d to %d x %d, need 1 x %d", o->window,
                              oc, ol, o->window);
    }
    eo_nn_train_report tr;
    memset(&tr, 0, sizeof tr);
    if (!st && o->init) {
        /* start from a given network (stage 1 skipped; its windows were
         * still drawn above, so stage 2 sees what the full recipe gives) */
        size_t na = 0, nb = 0;
        const float *src = eo_nn_params((eo_nn *)o->init, &na);
        float *dst = eo_nn_params(nn, &nb);
        if (na != nb)
            st = eo_error_set(err, EO_STATUS_USAGE,
                              "denoise train: the initial network has %zu parameters, the spec %zu",
                              na, nb);
        else
            memcpy(dst, src, na * sizeof *dst);
        eo_nn_set_threads(nn, o->threads > 0 ? o->threads : 1);
    } else if (!st) {
        eo_rng irng;
        eo_rng_seed(&irng, o->seed + 1);
        eo_nn_init(nn, EO_NN_INIT_HE, &irng);
        eo_nn_set_threads(nn, o->threads > 0 ? o->threads : 1);
        st = fit(nn, X, T, o->n_train, XV, TV, o->n_val, o->epochs, o->lr, o->seed, o, &tr, err);
    }
    /* stage 2 (ft_epochs > 0): fresh windows with DeepFilter's amplitudes in
     * the share ft_peak_frac, and validation windows of the same mix (the
     * checkpoint kept is the best on those) */
    if (!st && o->ft_epochs > 0) {
        eo_denoise_train_options o2 = *o;
        o2.peak_frac = o->ft_peak_frac;
        if (o->ft_windows > o->n_train) {
            float *X2 = realloc(X, (size_t)o->ft_windows * C * W * sizeof *X);
            if (X2)
                X = X2;
            float *T2 = X2 ? realloc(T, (size_t)o->ft_windows * W * sizeof *T) : NULL;
            if (T2)
                T = T2;
            if (!X2 || !T2)
                st = eo_error_set(err, EO_STATUS_NO_MEMORY,
                                  "denoise train: out of memory for %d windows", o->ft_windows);
        }
        if (!st)
            st = make_windows(raw, cl, ntr, &bwt, &mat, &o2, o->ft_windows, &rng, X, T, err);
        if (!st)
            st = make_windows(raw + ntr, cl + ntr, nva, &bwv, &mav, &o2, o->n_val, &rng, XV, TV, err);
        if (!st)
            st = fit(nn, X, T, o->ft_windows, XV, TV, o->n_val, o->ft_epochs, o->ft_lr, o->seed + 2,
                     o, &tr, err);
    }
    char buf[512];
    if (!st) {
        snprintf(buf, sizeof buf, "%g", 360.0);
        st = eo_nn_set_meta(nn, "denoise_fs", buf, err);
    }
    if (!st) {
        snprintf(buf, sizeof buf, "%d", o->margin);
        st = eo_nn_set_meta(nn, "denoise_margin", buf, err);
    }
    if (!st && o->template_side > 0) {
        snprintf(buf, sizeof buf, "%d", o->template_side);
        st = eo_nn_set_meta(nn, "denoise_template", buf, err);
        /* written only for the newer selection: an `all` model reads and
         * reproduces as before */
        if (!st && o->template_select != EO_TEMPLATE_ALL)
            st = eo_nn_set_meta(nn, "denoise_template_select", eo_template_select_name(o->template_select), err);
        if (!st && o->template_spread)
            st = eo_nn_set_meta(nn, "denoise_template_spread", "1", err);
    }
    if (!st)
        st = eo_nn_set_meta(nn, "denoise_pre",
                            o->pre == EO_DENOISE_PRE_HIGHPASS ? "highpass" : "median", err);
    if (!st) {
        char peak[160] = "", emb[32] = "";
        if (o->peak_em > 0)
            snprintf(emb, sizeof emb, "em=%g ", o->peak_em);
        if (o->peak_frac > 0 || o->ft_epochs > 0)
            snprintf(peak, sizeof peak, "peak=%g:%g..%g stage2=%dx%d lr=%g peak=%g %s", o->peak_frac,
                     o->peak_min, o->peak_max, o->ft_windows, o->ft_epochs, o->ft_lr, o->ft_peak_frac, emb);
        char aug[96] = "";
        if (o->noise_stretch > 1 || o->noise_holdout > 0)
            snprintf(aug, sizeof aug, "stretch=%g holdout=%g ", o->noise_stretch > 1 ? o->noise_stretch : 1,
                     o->noise_holdout);
        snprintf(buf, sizeof buf,
                 "seed=%llu windows=%d/%d window=%d epochs=%d batch=%d lr=%g snr=%g..%g %s%s"
                 "clean=mitdb DS1 MLII minus 118 119 (val 122 230) noise=nstdb bw,ma channel 0",
                 (unsigned long long)o->seed, o->n_train, o->n_val, o->window, o->epochs, o->batch,
                 o->lr, o->snr_min_db, o->snr_max_db, peak, aug);
        st = eo_nn_set_meta(nn, "denoise_training", buf, err);
    }
    if (!st) {
        /* the untrained network is the identity of the median method, so a
         * validation MSE above the untouched input's means training failed */
        double base = 0;
        for (size_t i = 0; i < (size_t)o->n_val * W; i++)
            base += (double)TV[i] * TV[i];
        base /= (double)o->n_val * (double)W;
        if (rep) {
            rep->epochs_run = tr.epochs_run;
            rep->best_epoch = tr.best_epoch;
            rep->best_val_loss = tr.best_val_loss;
            rep->val_loss_median = base;
            rep->final_train_loss = tr.final_train_loss;
            rep->params = eo_nn_param_count(nn);
        }
        *out = nn;
        nn = NULL;
    }
    if (rep)
        rep->seconds = eo_time_now() - t0;
    eo_nn_destroy(nn);
    free(X);
    free(T);
    free(XV);
    free(TV);
    sig_free(raw, nrec);
    sig_free(cl, nrec);
    free(bw.x);
    free(ma.x);
    return st;
}
