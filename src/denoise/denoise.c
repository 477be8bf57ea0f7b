/* ECG denoising methods behind eo_denoise(); IAOA-VMD after
 * Xing et al. 2025 (see denoise.h and docs/denoise.md). */
#include "ecgopt/denoise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/opt.h"

static const char *const method_names[] = {"bandpass", "wavelet", "median",
                                           "vmd",      "iaoa-vmd", "learned"};

const char *eo_denoise_method_name(eo_denoise_method m)
{
    if ((int)m < 0 || (int)m > (int)EO_DENOISE_LEARNED)
        return "?";
    return method_names[m];
}

eo_status eo_denoise_method_parse(const char *s, eo_denoise_method *m, eo_error *err)
{
    for (int i = 0; s && i <= (int)EO_DENOISE_LEARNED; i++)
        if (strcmp(s, method_names[i]) == 0) {
            *m = (eo_denoise_method)i;
            return EO_STATUS_OK;
        }
    return eo_error_set(err, EO_STATUS_USAGE,
                        "denoise: unknown method '%s' (bandpass, wavelet, median, vmd, iaoa-vmd, learned)",
                        s ? s : "(null)");
}

void eo_denoise_defaults(eo_denoise_options *o)
{
    memset(o, 0, sizeof *o);
    /* the benchmark's winner that keeps the morphology (docs/denoise.md) */
    o->method = EO_DENOISE_LEARNED;
    o->bp_lo_hz = 0.5;
    o->bp_hi_hz = 40.0;
    o->bp_order = 4;
    eo_wavelet_denoise_defaults(&o->wavelet);
    o->mode_wavelet_level = 4;
    eo_baseline_defaults(&o->median);
    eo_vmd_defaults(&o->vmd);
    o->vmd.K = 6;
    o->vmd.alpha = 2000.0;
    o->vmd.init = EO_VMD_INIT_UNIFORM;
    o->drop_above_hz = 50.0;
    o->denoise_modes = 1;
    o->remove_lowest = 1;
    o->lowest_max_hz = 0.5;
    o->wavelet_baseline_hz = 0.5;
    o->wavelet_min_hz = 10.0;
    o->k_min = 2;
    o->k_max = 12;
    o->alpha_min = 100.0;
    o->alpha_max = 10000.0;
    o->optimizer = "iaoa";
    o->population = 8;
    o->iterations = 6;
    o->search_seconds = 10.0;
    o->search_max_iter = 200;
    o->search_tol = 1e-6;
    o->seed = 1;
    o->threads = 1;
}

static eo_status check_signal(const double *x, size_t n, double fs_hz, eo_error *err)
{
    if (!x)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise: signal is NULL");
    if (!(fs_hz > 0.0) || !isfinite(fs_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "denoise: sampling rate %g Hz must be > 0", fs_hz);
    if (n < 16)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "denoise: signal of %zu samples is too short (need >= 16)", n);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) {
            size_t j = i;
            while (j + 1 < n && !isfinite(x[j + 1]))
                j++;
            return eo_error_set(err, EO_STATUS_NUMERIC,
                                "denoise: samples %zu-%zu are not finite (first is %s); fill or cut "
                                "the gap first",
                                i, j, isnan(x[i]) ? "NaN" : "infinite");
        }
    return EO_STATUS_OK;
}

typedef struct search_ctx {
    eo_vmd *v;
    const double *x;
    double fs;
    const eo_denoise_options *o;
    long long evals;
    long long budget;
} search_ctx;

static double mee_fn(void *user, const double *values, size_t dim)
{
    (void)dim;
    search_ctx *c = user;
    int K = (int)llround(values[0]);
    double alpha = values[1], mee = NAN;
    c->evals++;
    if (eo_vmd_mee_objective(c->v, c->x, c->fs, K, alpha, &mee, NULL) != EO_STATUS_OK)
        mee = NAN; /* told as a failed evaluation */
    if (c->o->progress)
        c->o->progress(c->o->progress_user, (double)c->evals, (double)c->budget, "IAOA-VMD search");
    return mee;
}

eo_status eo_denoise_search_vmd(const double *x, size_t n, double fs_hz,
                                const eo_denoise_options *o, int *K, double *alpha,
                                double *mee, long long *evals, eo_error *err)
{
    eo_status st = check_signal(x, n, fs_hz, err);
    if (st)
        return st;
    if (!o || !K || !alpha)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise: search: NULL argument");
    if (o->k_min < 1 || o->k_max < o->k_min || o->k_max > EO_DENOISE_MAX_MODES)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "denoise: K range %d..%d is not within 1..%d",
                            o->k_min, o->k_max, EO_DENOISE_MAX_MODES);
    if ((size_t)o->k_max * 2 >= n)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "denoise: K up to %d modes is more than a %zu-sample search window supports",
                            o->k_max, n);
    if (!(o->alpha_min > 0) || !(o->alpha_max >= o->alpha_min) || !isfinite(o->alpha_max))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "denoise: alpha range %g..%g must be > 0",
                            o->alpha_min, o->alpha_max);
    if (o->population < 1 || o->iterations < 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "denoise: population %zu and iterations %d must be >= 1", o->population,
                            o->iterations);
    eo_space *sp = NULL;
    eo_optimizer *opt = NULL;
    eo_vmd *v = NULL;
    st = eo_space_create(&sp, err);
    if (!st)
        st = eo_space_add_int(sp, "K", o->k_min, o->k_max, 0, err);
    if (!st) {
        if (o->alpha_max > o->alpha_min)
            st = eo_space_add_real(sp, "alpha", o->alpha_min, o->alpha_max, 1, err);
        else
            st = eo_space_add_real(sp, "alpha", o->alpha_min, o->alpha_min * (1 + 1e-12), 1, err);
    }
    eo_vmd_options vo = o->vmd;
    vo.K = o->k_min;
    if (o->search_max_iter > 0)
        vo.max_iter = o->search_max_iter;
    if (o->search_tol > 0)
        vo.tol = o->search_tol;
    if (!st)
        st = eo_vmd_create(&v, n, &vo, err);
    eo_opt_options oo;
    eo_opt_options_defaults(&oo);
    oo.seed = o->seed;
    oo.pop_size = o->population;
    oo.budget.max_evals = (long long)o->population * o->iterations;
    oo.history = EO_HISTORY_NONE;
    if (!st)
        st = eo_optimizer_create(o->optimizer ? o->optimizer : "iaoa", sp, &oo, &opt, err);
    search_ctx c = {v, x, fs_hz, o, 0, oo.budget.max_evals};
    if (!st)
        st = eo_optimizer_run(opt, mee_fn, &c, NULL, err);
    double best = INFINITY, vals[2] = {0, 0};
    if (!st) {
        st = eo_optimizer_best(opt, &best, NULL, vals, err);
        if (st)
            eo_error_prefix(err, "denoise: no VMD evaluation succeeded");
    }
    if (!st) {
        *K = (int)llround(vals[0]);
        *alpha = vals[1];
        if (mee)
            *mee = best;
    }
    if (evals)
        *evals = c.evals;
    eo_optimizer_destroy(opt);
    eo_space_destroy(sp);
    eo_vmd_destroy(v);
    return st;
}

typedef struct mode_ix {
    double hz;
    int k;
} mode_ix;

static int cmp_mode(const void *a, const void *b)
{
    double x = ((const mode_ix *)a)->hz, y = ((const mode_ix *)b)->hz;
    return (x > y) - (x < y);
}

eo_status eo_denoise_vmd_modes(const double *x, size_t n, double fs_hz, int K, double alpha,
                               const eo_denoise_options *o, double *y, eo_denoise_report *rep,
                               eo_error *err)
{
    eo_status st = check_signal(x, n, fs_hz, err);
    if (st)
        return st;
    if (!o || !y)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise: NULL options or output");
    if (K > EO_DENOISE_MAX_MODES)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "denoise: K = %d is above %d", K,
                            EO_DENOISE_MAX_MODES);
    if (!(o->drop_above_hz > 0))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "denoise: drop_above_hz = %g must be > 0",
                            o->drop_above_hz);
    eo_vmd_options vo = o->vmd;
    vo.K = K;
    vo.alpha = alpha;
    eo_vmd *v = NULL;
    st = eo_vmd_create(&v, n, &vo, err);
    if (st)
        return st;
    st = eo_vmd_run(v, x, fs_hz, err);
    double *acc = NULL, *tmp = NULL;
    if (st)
        goto done;
    acc = calloc(n, sizeof *acc);
    tmp = malloc(n * sizeof *tmp);
    if (!acc || !tmp) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "denoise: out of memory for %zu samples", n);
        goto done;
    }
    mode_ix ord[EO_DENOISE_MAX_MODES];
    for (int k = 0; k < K; k++) {
        ord[k].hz = eo_vmd_center_hz(v, k);
        ord[k].k = k;
    }
    qsort(ord, (size_t)K, sizeof *ord, cmp_mode);
    eo_wavelet_denoise_options wo = o->wavelet;
    if (o->mode_wavelet_level > 0)
        wo.level = o->mode_wavelet_level;
    if (rep) {
        rep->K = K;
        rep->alpha = alpha;
        rep->vmd_iterations = eo_vmd_iterations(v);
    }
    for (int j = 0; j < K; j++) {
        eo_mode_action act = EO_MODE_KEPT;
        if (j == 0 && o->remove_lowest && K > 1 && ord[j].hz <= o->drop_above_hz)
            /* only a mode centred below lowest_max_hz is pure wander; above
             * it the mode carries T waves and ST, so only its baseline goes */
            act = (o->lowest_correct || !(ord[j].hz < o->lowest_max_hz)) ? EO_MODE_CORRECTED
                                                                         : EO_MODE_BASELINE;
        else if (ord[j].hz > o->drop_above_hz)
            act = EO_MODE_DROPPED;
        if (rep) {
            rep->center_hz[j] = ord[j].hz;
            rep->action[j] = act;
        }
        if (act == EO_MODE_CORRECTED) {
            st = eo_baseline_remove(eo_vmd_mode(v, ord[j].k), n, fs_hz, &o->median, tmp, NULL, err);
            if (st) {
                eo_error_prefix(err, "denoise: baseline mode (%.2f Hz)", ord[j].hz);
                goto done;
            }
            for (size_t i = 0; i < n; i++)
                acc[i] += tmp[i];
            continue;
        }
        if (act != EO_MODE_KEPT)
            continue;
        const double *m = eo_vmd_mode(v, ord[j].k);
        if (o->denoise_modes) {
            st = eo_wavelet_denoise(m, n, &wo, tmp, err);
            if (st) {
                eo_error_prefix(err, "denoise: mode %d (%.2f Hz)", j, ord[j].hz);
                goto done;
            }
            m = tmp;
        }
        for (size_t i = 0; i < n; i++)
            acc[i] += m[i];
    }
    memcpy(y, acc, n * sizeof *y);
done:
    free(acc);
    free(tmp);
    eo_vmd_destroy(v);
    return st;
}

/* Method wavelet (see wavelet_baseline_hz in denoise.h): zero the
 * approximation below the baseline cut-off, threshold the bands above
 * wavelet_min_hz with their own noise level, keep the bands in between. */
static eo_status wavelet_method(const double *x, size_t n, double fs_hz, const eo_denoise_options *o,
                                double *y, eo_error *err)
{
    const eo_wavelet *w = NULL;
    eo_status st = eo_wavelet_get(o->wavelet.wavelet ? o->wavelet.wavelet : "db4", &w, err);
    if (st)
        return st;
    int maxl = eo_dwt_max_level(n, w->len);
    int level = o->wavelet.level > 0 ? o->wavelet.level : 1;
    int zero_approx = 0;
    if (o->wavelet_baseline_hz > 0) {
        level = 1;
        while (fs_hz / pow(2.0, level + 1) > o->wavelet_baseline_hz)
            level++;
        zero_approx = 1;
    }
    double *src = NULL;
    if (zero_approx && level > maxl) {
        /* too short for an approximation band below the cut-off: the
         * 200+600 ms median baseline goes instead, then the shrinkage */
        zero_approx = 0;
        src = malloc(n * sizeof *src);
        if (!src)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "denoise: out of memory for %zu samples", n);
        st = eo_baseline_remove(x, n, fs_hz, &o->median, src, NULL, err);
        if (st) {
            free(src);
            return st;
        }
        x = src;
    }
    if (level > maxl)
        level = maxl;
    eo_wavecoefs *c = NULL;
    if (level < 1)
        st = eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                          "denoise: wavelet: %zu samples are too short for %s", n, w->name);
    else
        st = eo_wavedec(x, n, w, o->wavelet.mode, level, &c, err);
    free(src);
    if (st)
        return st;
    if (zero_approx)
        memset(c->band[0], 0, c->len[0] * sizeof(double));
    for (int l = 1; l <= level && o->wavelet_min_hz > 0; l++) {
        /* band[level + 1 - l] holds cD_l: fs/2^(l+1) .. fs/2^l */
        if (fs_hz / pow(2.0, l + 1) < o->wavelet_min_hz)
            continue;
        double *d = c->band[level + 1 - l];
        size_t nd = c->len[level + 1 - l];
        double sigma = eo_mad_sigma(d, nd);
        double t = eo_threshold_value(o->wavelet.rule, d, nd, n, sigma);
        eo_threshold(d, nd, t, o->wavelet.thresh_mode);
    }
    double *r = NULL;
    size_t nr = 0;
    st = eo_waverec(c, w, o->wavelet.mode, &r, &nr, err);
    eo_wavecoefs_destroy(c);
    if (st)
        return st;
    memcpy(y, r, n * sizeof *y);
    free(r);
    return EO_STATUS_OK;
}

eo_status eo_denoise(const double *x, size_t n, double fs_hz, const eo_denoise_options *o,
                     double *y, eo_denoise_report *rep, eo_error *err)
{
    eo_denoise_options def;
    if (!o) {
        eo_denoise_defaults(&def);
        o = &def;
    }
    eo_status st = check_signal(x, n, fs_hz, err);
    if (st)
        return st;
    if (!y)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise: output is NULL");
    double t0 = eo_time_now();
    if (rep)
        memset(rep, 0, sizeof *rep);
    switch (o->method) {
    case EO_DENOISE_BANDPASS:
        st = eo_bandpass(x, n, fs_hz, o->bp_lo_hz, o->bp_hi_hz, o->bp_order, y, err);
        break;
    case EO_DENOISE_WAVELET:
        if (o->wavelet_baseline_hz > 0 || o->wavelet_min_hz > 0)
            st = wavelet_method(x, n, fs_hz, o, y, err);
        else
            st = eo_wavelet_denoise(x, n, &o->wavelet, y, err);
        break;
    case EO_DENOISE_MEDIAN:
        st = eo_baseline_remove(x, n, fs_hz, &o->median, y, NULL, err);
        break;
    case EO_DENOISE_VMD:
        st = eo_vmd_check(&o->vmd, n, err);
        if (!st)
            st = eo_denoise_vmd_modes(x, n, fs_hz, o->vmd.K, o->vmd.alpha, o, y, rep, err);
        if (!st && rep)
            rep->vmd_evals = 1;
        break;
    case EO_DENOISE_IAOA_VMD: {
        size_t w = n;
        if (o->search_seconds > 0) {
            double ws = floor(o->search_seconds * fs_hz);
            if (ws < (double)n)
                w = (size_t)ws;
        }
        size_t off = (n - w) / 2;
        int K = 0;
        double alpha = 0, mee = 0;
        long long evals = 0;
        st = eo_denoise_search_vmd(x + off, w, fs_hz, o, &K, &alpha, &mee, &evals, err);
        if (!st)
            st = eo_denoise_vmd_modes(x, n, fs_hz, K, alpha, o, y, rep, err);
        if (rep) {
            rep->mee = mee;
            rep->vmd_evals = evals + (st ? 0 : 1);
        }
        break;
    }
    case EO_DENOISE_LEARNED: {
        eo_denoise_model *m = o->model, *own = NULL;
        if (!m) {
            st = o->model_path ? eo_denoise_model_load(o->model_path, &own, err)
                               : eo_denoise_model_default(&own, err);
            m = own;
            if (!st)
                eo_denoise_model_set_threads(m, o->threads);
        }
        if (!st)
            st = eo_denoise_model_apply(m, x, n, fs_hz, &o->median, y, err);
        eo_denoise_model_destroy(own);
        break;
    }
    default:
        st = eo_error_set(err, EO_STATUS_USAGE, "denoise: method %d is unknown", (int)o->method);
    }
    if (rep)
        rep->seconds = eo_time_now() - t0;
    return st;
}
