/* Demo stage 2: the tuning study, VMD (K, alpha) by mean envelope entropy
 * (Xing et al. 2025), five optimisers with the same budget and seed. */
#include <math.h>
#include <stdlib.h>

#include "demo_internal.h"
#include "ecgopt/opt.h"
#include "ecgopt/vmd.h"

typedef struct mee_ctx {
    eo_vmd *v;
    const double *x;
    double fs;
    eo_demo *d;
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
    eo_demo_progress(m->d, (double)m->done, (double)m->total, NULL);
    return mee;
}

/* The IAOA run is "the study" whose trials the report shows. */
static eo_status keep_trials(eo_demo *d, const eo_optimizer *opt, const eo_space *sp, size_t h, eo_error *err)
{
    d->trial_values = malloc(sizeof(double) * 2 * (h ? h : 1));
    d->trial_fit = malloc(sizeof(double) * (h ? h : 1));
    if (!d->trial_values || !d->trial_fit)
        return eo_demo_no_memory(err);
    for (size_t t = 0; t < h; t++) {
        eo_trial tr;
        if (eo_optimizer_history_get(opt, t, &tr, err) || !tr.x)
            break;
        eo_space_decode(sp, tr.x, d->trial_values + 2 * t);
        d->trial_fit[t] = tr.status == EO_EVAL_OK ? tr.fitness : NAN;
        d->n_trials = t + 1;
    }
    return EO_STATUS_OK;
}

/* One optimiser's run: its curve and best; the best over all in d->r.K, alpha. */
static eo_status run_one(eo_demo *d, int i, const char *name, eo_space *sp, mee_ctx *m, long evals,
                         double *best, eo_error *err)
{
    eo_opt_options oo;
    eo_opt_options_defaults(&oo);
    oo.seed = d->o.seed;
    oo.pop_size = 6;
    oo.budget.max_evals = evals;
    eo_optimizer *opt = NULL;
    eo_status st = eo_optimizer_create(name, sp, &oo, &opt, err);
    if (!st)
        st = eo_optimizer_run(opt, mee_fn, m, NULL, err);
    if (st) {
        eo_optimizer_destroy(opt);
        return st;
    }
    d->r.opt_names[i] = name;
    size_t h = eo_optimizer_history_size(opt);
    d->curve[i] = malloc(sizeof(double) * (h ? h : 1));
    if (!d->curve[i])
        st = eo_demo_no_memory(err);
    else
        d->curve_n[i] = eo_optimizer_best_curve(opt, d->curve[i], h);
    double f, vals[2];
    if (!st && eo_optimizer_best(opt, &f, NULL, vals, err) == EO_STATUS_OK) {
        d->r.best_mee[i] = f;
        if (f < *best) {
            *best = f;
            d->r.K = (int)vals[0];
            d->r.alpha = vals[1];
        }
    } else
        d->r.best_mee[i] = NAN;
    if (!st && i == 0)
        st = keep_trials(d, opt, sp, h, err);
    eo_optimizer_destroy(opt);
    return st;
}

eo_status eo_demo_tune(eo_demo *d, eo_error *err)
{
    /* a 5-s window from the middle of the display window (Xing et al. 2025
     * search on a short segment, then decompose the whole signal) */
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
    static const char *const names[EO_DEMO_N_OPT] = {"iaoa", "aoa", "gwo", "pso", "random"};
    long evals = d->o.quick ? 24 : 48;
    mee_ctx m = {v, xw, d->fs, d, 0, evals * EO_DEMO_N_OPT};
    double best = INFINITY;
    for (int i = 0; i < EO_DEMO_N_OPT && !st; i++)
        st = run_one(d, i, names[i], sp, &m, evals, &best, err);
    if (!st && !isfinite(best))
        st = eo_error_set(err, EO_STATUS_INTERNAL, "demo: no VMD evaluation of the study succeeded");
    eo_space_destroy(sp);
    eo_vmd_destroy(v);
    return st;
}
