/* Arithmetic Optimization Algorithm and its improved variant.
 *
 * "aoa": L. Abualigah, A. Diabat, S. Mirjalili, M. Abd Elaziz, A. H. Gandomi,
 *   "The Arithmetic Optimization Algorithm", Computer Methods in Applied
 *   Mechanics and Engineering 376 (2021) 113609.
 *     MOA(t) = Min + t (Max - Min) / T            (Eq. 2; Min 0.2, Max 1.0)
 *     MOP(t) = 1 - t^(1/alpha) / T^(1/alpha)       (Eq. 4; alpha 5)
 *   per individual i and dimension j, with r1, r2, r3 ~ U(0,1):
 *     r1 > MOA (exploration, Eq. 3):
 *       r2 < 0.5: x_ij = best_j / (MOP + eps) * ((UB_j - LB_j) mu + LB_j)   (division)
 *       else    : x_ij = best_j * MOP * ((UB_j - LB_j) mu + LB_j)           (multiplication)
 *     r1 <= MOA (exploitation, Eq. 5):
 *       r3 < 0.5: x_ij = best_j - MOP * ((UB_j - LB_j) mu + LB_j)           (subtraction)
 *       else    : x_ij = best_j + MOP * ((UB_j - LB_j) mu + LB_j)           (addition)
 *   mu = 0.499, eps = 2.2e-16, positions clipped to the bounds.
 *   Branch convention (param `branch`):
 *     0 (default): the paper's Algorithm 1 and flow chart, "r1 > MOA ->
 *       exploration (division/multiplication)", so the probability of
 *       exploring, 1 - MOA, falls from 0.8 to 0 as MOA rises; this is also
 *       the reading the IAOA paper's description needs (a low MOA early
 *       favours multiplication/division, and a slowly rising nonlinear MOA
 *       prolongs exploration).
 *     1: the authors' published MATLAB code (and the paper's Fig. 1 and the
 *       IAOA paper's sentence "R1 < MOA -> global exploration"): r1 < MOA ->
 *       division (r2 > 0.5) / multiplication, else subtraction (r3 > 0.5) /
 *       addition; multiplication/division then dominate late in the run.
 *   As in the authors' code, a new position replaces the old one only if it
 *   is better (greedy selection), and `best` is the best position found so
 *   far.  Unlike that code, `best` is updated once per batch, not after each
 *   individual, so a batch can be evaluated in parallel.
 *   t/T is the budget progress (eo_opt_progress).
 *   Frame: the operators are neither translation nor scale invariant
 *   ((UB-LB) mu + LB is a fixed offset), so they run in the frame
 *   z = scale (2u - 1), LB = -scale, UB = scale, with `scale` default 100:
 *   on a box [-100,100]^D (CEC 2017) this is exactly the published algorithm.
 *
 * "iaoa": the improved AOA of the IAOA-VMD denoising paper
 *   (Xing et al. 2025, Sec. 2.4; its equations were lost in extraction,
 *   so the forms below are ours, written to the text's description):
 *   1. Tent chaotic-map initialisation: per dimension a chaotic sequence
 *        z_{k+1} = z_k / beta            if z_k < beta
 *                  (1 - z_k) / (1 - beta) otherwise,   beta = 0.7 (`tent_beta`)
 *      seeded from the rng, z_k is the k-th individual's coordinate.  (The
 *      textbook beta = 0.5 collapses to 0 in binary floating point after ~50
 *      steps; a non-dyadic beta keeps the sequence chaotic.)
 *   2. Dynamic population mutation toward a random member: after the AOA
 *      update, with probability `mut_prob` (0.5) each new position moves
 *      toward a random other member r of the current population,
 *        x_i <- x_i + F(t) * rand * (x_r - x_i),  F(t) = `mut_scale` (1.0) * (1 - t/T),
 *      so the mutation amplitude shrinks as the search progresses.
 *   3. Nonlinear MOA rising slowly early and steeply late to the same end
 *      value: MOA(t) = Min + (Max - Min) (t/T)^k, k = `moa_power` (2).
 * Population default 30.  Params: mu, alpha, moa_min, moa_max, scale, branch (and
 * for iaoa: tent_beta, mut_prob, mut_scale, moa_power). */
#include "ecgopt/opt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct aoa_state {
    size_t n, d;
    int improved, started;
    double mu, alpha, moa_min, moa_max, scale;
    double tent_beta, mut_prob, mut_scale, moa_power;
    int code_branch;   /* branch=1: the authors' MATLAB convention */
    double *x, *f;    /* population (normalised), fitness */
    double *best;     /* best so far (normalised) */
    double bf;
} aoa_state;

static const char *const aoa_keys[] = {"mu",    "alpha",  "moa_min", "moa_max",
                                       "scale", "branch", NULL};
static const char *const iaoa_keys[] = {"mu",        "alpha",    "moa_min",   "moa_max",
                                        "scale",     "branch",    "tent_beta", "mut_prob",
                                        "mut_scale", "moa_power", NULL};

static void aoa_free(void *s)
{
    aoa_state *a = s;
    if (a) {
        free(a->x);
        free(a->f);
        free(a->best);
    }
    free(a);
}

static eo_status init_common(eo_optimizer *opt, void **state, int improved, eo_error *err)
{
    const char *nm = improved ? "iaoa" : "aoa";
    aoa_state *a = calloc(1, sizeof *a);
    if (!a)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory", nm);
    a->n = eo_opt_pop(opt);
    a->d = eo_optimizer_dim(opt);
    a->improved = improved;
    a->mu = eo_opt_param(opt, "mu", 0.499);
    a->alpha = eo_opt_param(opt, "alpha", 5);
    a->moa_min = eo_opt_param(opt, "moa_min", 0.2);
    a->moa_max = eo_opt_param(opt, "moa_max", 1.0);
    a->scale = eo_opt_param(opt, "scale", 100);
    a->tent_beta = eo_opt_param(opt, "tent_beta", 0.7);
    a->mut_prob = eo_opt_param(opt, "mut_prob", 0.5);
    a->mut_scale = eo_opt_param(opt, "mut_scale", 1.0);
    a->moa_power = eo_opt_param(opt, "moa_power", 2);
    double br = eo_opt_param(opt, "branch", 0);
    a->code_branch = br == 1;
    a->bf = INFINITY;
    if (!(br == 0 || br == 1) || !(a->alpha > 0) || !(a->scale > 0) || !(a->tent_beta > 0 && a->tent_beta < 1) ||
        !(a->mut_prob >= 0 && a->mut_prob <= 1) || !(a->moa_power > 0) ||
        !(a->moa_min <= a->moa_max) || a->n < 2) {
        free(a);
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimizer %s: need branch 0 or 1, alpha > 0, scale > 0, 0 < tent_beta < 1, "
                            "mut_prob in [0,1], moa_power > 0, moa_min <= moa_max, pop >= 2",
                            nm);
    }
    a->x = malloc(a->n * a->d * sizeof(double));
    a->f = malloc(a->n * sizeof(double));
    a->best = malloc(a->d * sizeof(double));
    if (!a->x || !a->f || !a->best) {
        aoa_free(a);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory", nm);
    }
    for (size_t j = 0; j < a->d; j++)
        a->best[j] = 0.5;
    *state = a;
    return EO_STATUS_OK;
}

static eo_status aoa_init(eo_optimizer *opt, void **state, eo_error *err)
{
    return init_common(opt, state, 0, err);
}
static eo_status iaoa_init(eo_optimizer *opt, void **state, eo_error *err)
{
    return init_common(opt, state, 1, err);
}

static eo_status aoa_ask(eo_optimizer *opt, void *state, size_t *n, eo_error *err)
{
    aoa_state *a = state;
    size_t d = a->d;
    eo_rng *rng = eo_opt_rng(opt);
    double *y = eo_opt_batch(opt, a->n, err);
    if (!y)
        return err ? err->status : EO_STATUS_NO_MEMORY;
    if (!a->started) {
        if (!a->improved) {
            for (size_t i = 0; i < a->n * d; i++)
                y[i] = eo_rng_uniform(rng);
        } else {
            double b = a->tent_beta;
            for (size_t j = 0; j < d; j++) {
                double z = eo_rng_range(rng, 0.01, 0.99);
                for (size_t i = 0; i < a->n; i++) {
                    y[i * d + j] = z;
                    z = z < b ? z / b : (1.0 - z) / (1.0 - b);
                    /* a fixed point or 0/1 would end the sequence: restart */
                    if (!(z > 1e-9 && z < 1 - 1e-9))
                        z = eo_rng_range(rng, 0.01, 0.99);
                }
            }
        }
        *n = a->n;
        return EO_STATUS_OK;
    }
    double p = eo_opt_progress(opt);
    double moa = a->improved ? a->moa_min + (a->moa_max - a->moa_min) * pow(p, a->moa_power)
                             : a->moa_min + (a->moa_max - a->moa_min) * p;
    double mop = 1.0 - pow(p, 1.0 / a->alpha);
    const double eps = 2.220446049250313e-16;
    double s = a->scale;
    double off = (2.0 * s) * a->mu - s; /* (UB - LB) mu + LB in the frame */
    for (size_t i = 0; i < a->n; i++) {
        double *yi = y + i * d;
        for (size_t j = 0; j < d; j++) {
            double bj = s * (2.0 * a->best[j] - 1.0), z;
            double r1 = eo_rng_uniform(rng);
            if (a->code_branch ? r1 < moa : r1 > moa) {
                double r2 = eo_rng_uniform(rng);
                if (a->code_branch ? r2 > 0.5 : r2 < 0.5)
                    z = bj / (mop + eps) * off;
                else
                    z = bj * mop * off;
            } else {
                double r3 = eo_rng_uniform(rng);
                if (a->code_branch ? r3 > 0.5 : r3 < 0.5)
                    z = bj - mop * off;
                else
                    z = bj + mop * off;
            }
            double u = 0.5 * (z / s + 1.0);
            yi[j] = u < 0 ? 0 : (u > 1 ? 1 : u);
        }
        if (a->improved && eo_rng_uniform(rng) < a->mut_prob) {
            size_t r = (size_t)eo_rng_below(rng, a->n - 1);
            if (r >= i)
                r++;
            const double *xr = a->x + r * d;
            double F = a->mut_scale * (1.0 - p);
            for (size_t j = 0; j < d; j++) {
                double u = yi[j] + F * eo_rng_uniform(rng) * (xr[j] - yi[j]);
                yi[j] = u < 0 ? 0 : (u > 1 ? 1 : u);
            }
        }
    }
    *n = a->n;
    return EO_STATUS_OK;
}

static eo_status aoa_tell(eo_optimizer *opt, void *state, const double *x, const double *f,
                          const eo_eval_status *st, size_t n, eo_error *err)
{
    (void)opt, (void)st, (void)err;
    aoa_state *a = state;
    size_t d = a->d;
    for (size_t i = 0; i < n; i++) {
        if (!a->started || f[i] < a->f[i]) {
            memcpy(a->x + i * d, x + i * d, d * sizeof(double));
            a->f[i] = f[i];
        }
        if (f[i] < a->bf) {
            a->bf = f[i];
            memcpy(a->best, x + i * d, d * sizeof(double));
        }
    }
    a->started = 1;
    return EO_STATUS_OK;
}

static void aoa_save(const eo_optimizer *opt, const void *state, eo_wbuf *w)
{
    (void)opt;
    const aoa_state *a = state;
    eo_wbuf_u64(w, (uint64_t)a->started);
    eo_wbuf_f64s(w, a->x, a->n * a->d);
    eo_wbuf_f64s(w, a->f, a->n);
    eo_wbuf_f64s(w, a->best, a->d);
    eo_wbuf_f64(w, a->bf);
}

static eo_status aoa_load(eo_optimizer *opt, void *state, eo_rbuf *r, eo_error *err)
{
    (void)opt, (void)err;
    aoa_state *a = state;
    a->started = (int)eo_rbuf_u64(r);
    eo_rbuf_f64s(r, a->x, a->n * a->d);
    eo_rbuf_f64s(r, a->f, a->n);
    eo_rbuf_f64s(r, a->best, a->d);
    a->bf = eo_rbuf_f64(r);
    return EO_STATUS_OK;
}

const eo_optimizer_vtable eo_opt_aoa_vtable = {
    "aoa", "Arithmetic Optimization Algorithm (Abualigah et al. 2021)", aoa_keys, 30,
    aoa_init, aoa_free, aoa_ask, aoa_tell, aoa_save, aoa_load};
const eo_optimizer_vtable eo_opt_iaoa_vtable = {
    "iaoa", "improved AOA: Tent init, mutation toward a random member, nonlinear MOA",
    iaoa_keys, 30, iaoa_init, aoa_free, aoa_ask, aoa_tell, aoa_save, aoa_load};
