/* Gaussian-process Bayesian optimisation (J. Snoek, H. Larochelle,
 * R. P. Adams, "Practical Bayesian optimization of machine learning
 * algorithms", NeurIPS 2012; the classification paper
 * Fki et al. 2023 tunes its CNN this way).
 *
 * - Initial design: `init` points (default max(5, 2 D)) by Latin hypercube
 *   sampling of [0,1]^D (discrete dims snapped), told as one batch.
 * - Model: eo_gp (Matern-5/2 ARD, mixed-variable kernel, see opt.h) on the
 *   evaluations so far; hyperparameters re-fitted every step by maximising the
 *   log marginal likelihood (L-BFGS from the previous optimum, a data-based
 *   guess and `restarts` (default 2) random starts).
 * - Trust region (TuRBO-1: D. Eriksson et al., "Scalable global optimization
 *   via local Bayesian optimization", NeurIPS 2019): a box of side L
 *   (normalised units, start 0.8, max 1.6) centred on the incumbent; the
 *   model is fitted to the evaluations inside the box of side 2L (at least
 *   the 2D+2 nearest, at most `max_points`, default max(40, 8 D), nearest to
 *   the incumbent) and the acquisition is maximised inside the box.  After 3
 *   consecutive improving batches L doubles, after max(4, D) consecutive
 *   batches without improvement (by 1e-3 |f*|) it halves; below 1e-10 it
 *   restarts at 0.8.  A local model keeps the targets' dynamic range small
 *   enough for the GP to resolve differences near the optimum (a global model
 *   stalls at ~1e-5 relative accuracy because of the noise floor) and bounds
 *   the cost per step.  Discrete dims are not limited by the box.
 *   Failed evaluations enter the model with the worst successful value, so
 *   the search moves away from them.
 * - Acquisition (minimisation): expected improvement
 *     EI(x) = (f* - mu - xi) Phi(z) + sigma phi(z),  z = (f* - mu - xi)/sigma
 *   (Jones, Schonlau & Welch 1998; f* the best value in the model's data,
 *   xi = `xi`, default 0), or with `ucb=1` the lower confidence bound
 *   mu - kappa sigma (Srinivas et al. 2010; kappa = `kappa`, default 2),
 *   maximised by multi-start local search: 512 uniform candidates plus 16
 *   Gaussian perturbations of the incumbent at each scale 10^-1..10^-8; the
 *   best `starts` (default 8) and the incumbent start a coordinate pattern
 *   search (step L/4 halved to 1e-7 L on continuous dims, one level on integer
 *   dims, every other category on categorical dims).
 * - Batches: pop_size q > 1 (default 1) picks q points per ask with the
 *   kriging believer heuristic (Ginsbourger et al. 2010): each chosen point is
 *   added to the model with its predicted mean before choosing the next.
 * - A proposal identical (after snapping) to an evaluated point is replaced by
 *   a random unevaluated one (fully discrete spaces would otherwise repeat). */
#include "ecgopt/opt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct bo_state {
    size_t d, init, max_points, starts;
    int restarts, ucb;
    double kappa, xi;
    size_t n, cap;
    double *x, *f;          /* evaluations: n x d, fitness (+inf failed) */
    double *theta;          /* last hyperparameters */
    int have_theta;
    eo_gp *gp;
    /* scratch */
    double *tx, *ty;        /* model data (max_points + q) */
    double *dist;
    size_t *idx;
    double *cand, *cval;
    double fbest;           /* best y in the model data */
    double L;               /* trust-region side */
    int succ, fail;
    double *blo, *bhi;      /* trust-region box */
} bo_state;

static const char *const bo_keys[] = {"init", "max_points", "restarts", "starts",
                                      "ucb",  "kappa",      "xi",       NULL};

static void bo_free(void *s)
{
    bo_state *b = s;
    if (!b)
        return;
    free(b->x);
    free(b->f);
    free(b->theta);
    eo_gp_destroy(b->gp);
    free(b->tx);
    free(b->ty);
    free(b->dist);
    free(b->idx);
    free(b->cand);
    free(b->cval);
    free(b->blo);
    free(b->bhi);
    free(b);
}

static eo_status bo_init(eo_optimizer *opt, void **state, eo_error *err)
{
    bo_state *b = calloc(1, sizeof *b);
    if (!b)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer bo: out of memory");
    b->d = eo_optimizer_dim(opt);
    double d = (double)b->d;
    double in = eo_opt_param(opt, "init", d * 2 > 5 ? d * 2 : 5);
    double mp = eo_opt_param(opt, "max_points", d * 8 > 40 ? d * 8 : 40);
    double rs = eo_opt_param(opt, "restarts", 2), st = eo_opt_param(opt, "starts", 4);
    b->ucb = eo_opt_param(opt, "ucb", 0) != 0;
    b->kappa = eo_opt_param(opt, "kappa", 2.0);
    b->xi = eo_opt_param(opt, "xi", 0.0);
    if (!(in >= 1 && in <= 10000 && in == floor(in)) ||
        !(mp >= 2 && mp <= 5000 && mp == floor(mp)) || !(rs >= -1 && rs <= 100) ||
        !(st >= 0 && st <= 1000) || !(b->kappa >= 0) || !(b->xi >= 0)) {
        free(b);
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimizer bo: need init in 1..10000, max_points in 2..5000, "
                            "restarts in -1..100, starts in 0..1000, kappa >= 0, xi >= 0");
    }
    b->init = (size_t)in;
    b->max_points = (size_t)mp;
    b->restarts = (int)rs;
    b->starts = (size_t)st;
    size_t q = eo_opt_pop(opt);
    size_t m = b->max_points + q;
    b->theta = malloc((b->d + 2) * sizeof(double));
    b->tx = malloc(m * b->d * sizeof(double));
    b->ty = malloc(m * sizeof(double));
    b->cand = malloc(1024 * b->d * sizeof(double));
    b->cval = malloc(1024 * sizeof(double));
    b->blo = malloc(b->d * sizeof(double));
    b->bhi = malloc(b->d * sizeof(double));
    b->L = 0.8;
    eo_status s2 = EO_STATUS_NO_MEMORY;
    if (!b->theta || !b->blo || !b->bhi || !b->tx || !b->ty || !b->cand || !b->cval ||
        (s2 = eo_gp_create(eo_optimizer_space(opt), &b->gp, err)) != EO_STATUS_OK) {
        bo_free(b);
        if (s2 == EO_STATUS_NO_MEMORY)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer bo: out of memory");
        return s2;
    }
    *state = b;
    return EO_STATUS_OK;
}

static eo_status grow(bo_state *b, size_t n, eo_error *err)
{
    if (n <= b->cap)
        return EO_STATUS_OK;
    size_t nc = b->cap ? b->cap : 64;
    while (nc < n)
        nc *= 2;
    double *nx = realloc(b->x, nc * b->d * sizeof(double));
    if (nx)
        b->x = nx;
    double *nf = realloc(b->f, nc * sizeof(double));
    if (nf)
        b->f = nf;
    double *nd = realloc(b->dist, nc * sizeof(double));
    if (nd)
        b->dist = nd;
    size_t *ni = realloc(b->idx, nc * sizeof(size_t));
    if (ni)
        b->idx = ni;
    if (!nx || !nf || !nd || !ni)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer bo: out of memory");
    b->cap = nc;
    return EO_STATUS_OK;
}

/* acquisition to MAXIMISE */
static double acq(const bo_state *b, const double *u)
{
    double mu, var;
    eo_gp_predict(b->gp, u, &mu, &var);
    double sd = sqrt(var);
    if (b->ucb)
        return -(mu - b->kappa * sd);
    double imp = b->fbest - mu - b->xi;
    if (!(sd > 1e-300))
        return imp > 0 ? imp : 0;
    double z = imp / sd;
    double cdf = 0.5 * erfc(-z / M_SQRT2);
    double pdf = exp(-0.5 * z * z) / sqrt(2 * M_PI);
    return imp * cdf + sd * pdf;
}

/* coordinate pattern search on the acquisition from u (in place) */
static double pattern(const bo_state *b, const eo_space *sp, double *u)
{
    size_t d = b->d;
    double fu = acq(b, u), s = 0.25 * b->L, smin = 1e-7 * b->L;
    double t[d];
    for (int sweep = 0; sweep < 300 && s > smin; sweep++) {
        int moved = 0;
        for (size_t j = 0; j < d; j++) {
            eo_param_kind k = eo_space_kind(sp, j);
            size_t lv = eo_space_levels(sp, j);
            if (k == EO_PARAM_CATEGORICAL) {
                if (sweep > 0 && s < 0.25 * b->L)
                    continue; /* categories tried until the first contraction */
                for (size_t c = 0; c < lv; c++) {
                    memcpy(t, u, d * sizeof(double));
                    t[j] = ((double)c + 0.5) / (double)lv;
                    double ft = acq(b, t);
                    if (ft > fu) {
                        fu = ft;
                        memcpy(u, t, d * sizeof(double));
                        moved = 1;
                    }
                }
                continue;
            }
            double step = s;
            if (k == EO_PARAM_INTEGER && step < 1.0 / (double)lv)
                step = 1.0 / (double)lv;
            for (int sg = -1; sg <= 1; sg += 2) {
                memcpy(t, u, d * sizeof(double));
                t[j] += sg * step;
                if (k == EO_PARAM_CONTINUOUS) {
                    if (t[j] < b->blo[j])
                        t[j] = b->blo[j];
                    if (t[j] > b->bhi[j])
                        t[j] = b->bhi[j];
                }
                eo_space_snap(sp, t);
                if (t[j] == u[j])
                    continue;
                double ft = acq(b, t);
                if (ft > fu) {
                    fu = ft;
                    memcpy(u, t, d * sizeof(double));
                    moved = 1;
                    break;
                }
            }
        }
        if (!moved)
            s *= 0.5;
    }
    return fu;
}

static void lhs(eo_rng *rng, double *x, size_t n, size_t d, size_t *perm)
{
    for (size_t j = 0; j < d; j++) {
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        eo_rng_shuffle_size(rng, perm, n);
        for (size_t i = 0; i < n; i++)
            x[i * d + j] = ((double)perm[i] + eo_rng_uniform(rng)) / (double)n;
    }
}

static int seen(const bo_state *b, const double *u, size_t extra_n, const double *extra)
{
    size_t d = b->d;
    for (size_t i = 0; i < b->n; i++)
        if (memcmp(b->x + i * d, u, d * sizeof(double)) == 0)
            return 1;
    for (size_t i = 0; i < extra_n; i++)
        if (memcmp(extra + i * d, u, d * sizeof(double)) == 0)
            return 1;
    return 0;
}

static eo_status bo_ask(eo_optimizer *opt, void *state, size_t *n, eo_error *err)
{
    bo_state *b = state;
    size_t d = b->d;
    const eo_space *sp = eo_optimizer_space(opt);
    eo_rng *rng = eo_opt_rng(opt);
    if (b->n == 0) {
        size_t m = b->init;
        double *y = eo_opt_batch(opt, m, err);
        if (!y)
            return err ? err->status : EO_STATUS_NO_MEMORY;
        size_t *perm = malloc(m * sizeof(size_t));
        if (!perm)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer bo: out of memory");
        lhs(rng, y, m, d, perm);
        free(perm);
        for (size_t i = 0; i < m; i++)
            eo_space_snap(sp, y + i * d);
        *n = m;
        return EO_STATUS_OK;
    }
    size_t q = eo_opt_pop(opt);
    double *out = eo_opt_batch(opt, q, err);
    if (!out)
        return err ? err->status : EO_STATUS_NO_MEMORY;
    /* model data: successes, failures at the worst success value */
    double worst = -INFINITY;
    size_t inc = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (isfinite(b->f[i]) && b->f[i] > worst)
            worst = b->f[i];
        if (b->f[i] < b->f[inc])
            inc = i;
    }
    if (!isfinite(worst))
        worst = 0; /* everything failed: flat model, pure exploration */
    const double *xinc = b->x + inc * d;
    for (size_t i = 0; i < b->n; i++) {
        double s = 0;
        for (size_t j = 0; j < d; j++) {
            double t = b->x[i * d + j] - xinc[j];
            s += t * t;
        }
        b->dist[i] = s;
        b->idx[i] = i;
    }
    /* trust-region box around the incumbent */
    for (size_t j = 0; j < d; j++) {
        int cont = eo_space_kind(sp, j) == EO_PARAM_CONTINUOUS;
        b->blo[j] = cont ? xinc[j] - 0.5 * b->L : 0;
        b->bhi[j] = cont ? xinc[j] + 0.5 * b->L : 1;
        if (b->blo[j] < 0)
            b->blo[j] = 0;
        if (b->bhi[j] > 1)
            b->bhi[j] = 1;
    }
    /* model data: inside the box of side 2L, at least 2D+2 nearest, at most
     * max_points nearest (ties by index) */
    size_t inside = 0;
    for (size_t i = 0; i < b->n; i++) {
        int in = 1;
        for (size_t j = 0; j < d && in; j++)
            if (eo_space_kind(sp, j) == EO_PARAM_CONTINUOUS &&
                fabs(b->x[i * d + j] - xinc[j]) > b->L)
                in = 0;
        inside += (size_t)in;
    }
    size_t m = inside;
    if (m < 2 * d + 2)
        m = 2 * d + 2;
    if (m > b->max_points)
        m = b->max_points;
    if (m > b->n)
        m = b->n;
    for (size_t k = 0; k < m && m < b->n; k++) {
        size_t bi = k;
        for (size_t i = k + 1; i < b->n; i++) {
            size_t a = b->idx[i], c = b->idx[bi];
            if (b->dist[a] < b->dist[c] || (b->dist[a] == b->dist[c] && a < c))
                bi = i;
        }
        size_t t = b->idx[k];
        b->idx[k] = b->idx[bi];
        b->idx[bi] = t;
    }
    b->fbest = INFINITY;
    for (size_t k = 0; k < m; k++) {
        size_t i = b->idx[k];
        memcpy(b->tx + k * d, b->x + i * d, d * sizeof(double));
        b->ty[k] = isfinite(b->f[i]) ? b->f[i] : worst;
        if (b->ty[k] < b->fbest)
            b->fbest = b->ty[k];
    }
    if (b->have_theta)
        eo_gp_set_hyper(b->gp, b->theta);
    eo_status st = eo_gp_fit(b->gp, b->tx, b->ty, m, b->restarts, rng, err);
    if (st) {
        eo_error_prefix(err, "optimizer bo");
        return st;
    }
    eo_gp_get_hyper(b->gp, b->theta);
    b->have_theta = 1;
    for (size_t qi = 0; qi < q; qi++) {
        /* candidates: uniform + perturbations of the incumbent */
        size_t nc = 0;
        for (; nc < 512; nc++) {
            for (size_t j = 0; j < d; j++)
                b->cand[nc * d + j] = eo_rng_range(rng, b->blo[j], b->bhi[j]);
            eo_space_snap(sp, b->cand + nc * d);
        }
        for (int sc = 1; sc <= 8; sc++)
            for (int r = 0; r < 16; r++, nc++) {
                double s = b->L * pow(10.0, -sc);
                for (size_t j = 0; j < d; j++)
                    b->cand[nc * d + j] = xinc[j] + s * eo_rng_normal(rng);
                eo_space_snap(sp, b->cand + nc * d);
            }
        for (size_t c = 0; c < nc; c++)
            b->cval[c] = acq(b, b->cand + c * d);
        double bestv = -INFINITY, ub[d], u[d];
        memcpy(ub, xinc, d * sizeof(double));
        eo_space_snap(sp, ub);
        bestv = pattern(b, sp, ub);
        for (size_t s = 0; s < b->starts; s++) {
            size_t bi = SIZE_MAX;
            for (size_t c = 0; c < nc; c++)
                if (b->cval[c] > -INFINITY && (bi == SIZE_MAX || b->cval[c] > b->cval[bi]))
                    bi = c;
            if (bi == SIZE_MAX)
                break;
            b->cval[bi] = -INFINITY;
            memcpy(u, b->cand + bi * d, d * sizeof(double));
            double v = pattern(b, sp, u);
            if (v > bestv) {
                bestv = v;
                memcpy(ub, u, d * sizeof(double));
            }
        }
        if (seen(b, ub, qi, out)) {
            /* repeated point: a random unseen one instead (bounded tries) */
            for (int tr = 0; tr < 1000; tr++) {
                for (size_t j = 0; j < d; j++)
                    ub[j] = eo_rng_uniform(rng);
                eo_space_snap(sp, ub);
                if (!seen(b, ub, qi, out))
                    break;
            }
        }
        memcpy(out + qi * d, ub, d * sizeof(double));
        if (qi + 1 < q) {
            /* kriging believer: pretend f(ub) = mean, refit with fixed theta */
            double mu, var;
            eo_gp_predict(b->gp, ub, &mu, &var);
            memcpy(b->tx + m * d, ub, d * sizeof(double));
            b->ty[m] = mu;
            m++;
            st = eo_gp_fit(b->gp, b->tx, b->ty, m, -1, rng, err);
            if (st)
                return st;
        }
    }
    *n = q;
    return EO_STATUS_OK;
}

static eo_status bo_tell(eo_optimizer *opt, void *state, const double *x, const double *f,
                         const eo_eval_status *st, size_t n, eo_error *err)
{
    (void)opt;
    bo_state *b = state;
    eo_status s = grow(b, b->n + n, err);
    if (s)
        return s;
    double before = INFINITY, after = INFINITY;
    for (size_t i = 0; i < b->n; i++)
        before = b->f[i] < before ? b->f[i] : before;
    for (size_t i = 0; i < n; i++)
        after = f[i] < after ? f[i] : after;
    if (b->n > 0) { /* not the initial design */
        if (after < before - 1e-3 * fabs(before)) {
            b->succ++;
            b->fail = 0;
        } else {
            b->fail++;
            b->succ = 0;
        }
        size_t ftol = b->d > 4 ? b->d : 4;
        if (b->succ >= 3) {
            b->L = b->L * 2 > 1.6 ? 1.6 : b->L * 2;
            b->succ = 0;
        } else if ((size_t)b->fail >= ftol) {
            b->L *= 0.5;
            b->fail = 0;
            if (b->L < 1e-10)
                b->L = 0.8;
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (st[i] == EO_EVAL_SKIPPED)
            continue;
        memcpy(b->x + b->n * b->d, x + i * b->d, b->d * sizeof(double));
        b->f[b->n++] = f[i];
    }
    return EO_STATUS_OK;
}

static void bo_save(const eo_optimizer *opt, const void *state, eo_wbuf *w)
{
    (void)opt;
    const bo_state *b = state;
    eo_wbuf_u64(w, b->n);
    eo_wbuf_f64s(w, b->x, b->n * b->d);
    eo_wbuf_f64s(w, b->f, b->n);
    eo_wbuf_u64(w, (uint64_t)b->have_theta);
    eo_wbuf_f64s(w, b->theta, b->d + 2);
    eo_wbuf_f64(w, b->L);
    eo_wbuf_u64(w, (uint64_t)b->succ);
    eo_wbuf_u64(w, (uint64_t)b->fail);
}

static eo_status bo_load(eo_optimizer *opt, void *state, eo_rbuf *r, eo_error *err)
{
    (void)opt;
    bo_state *b = state;
    uint64_t n = eo_rbuf_u64(r);
    if (r->failed || n > (r->len - r->pos) / 8)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "optimizer bo: restore: bad data count");
    eo_status s = grow(b, (size_t)n, err);
    if (s)
        return s;
    b->n = (size_t)n;
    eo_rbuf_f64s(r, b->x, b->n * b->d);
    eo_rbuf_f64s(r, b->f, b->n);
    b->have_theta = (int)eo_rbuf_u64(r);
    eo_rbuf_f64s(r, b->theta, b->d + 2);
    b->L = eo_rbuf_f64(r);
    b->succ = (int)eo_rbuf_u64(r);
    b->fail = (int)eo_rbuf_u64(r);
    if (!(b->L > 0 && b->L <= 1.6))
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "optimizer bo: restore: bad trust region");
    return EO_STATUS_OK;
}

const eo_optimizer_vtable eo_opt_bo_vtable = {
    "bo", "GP Bayesian optimisation: Matern-5/2 ARD, ML-II hyperparameters, EI or UCB",
    bo_keys, 1, bo_init, bo_free, bo_ask, bo_tell, bo_save, bo_load};
