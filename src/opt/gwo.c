/* Grey Wolf Optimizer — S. Mirjalili, S. M. Mirjalili, A. Lewis, "Grey Wolf
 * Optimizer", Advances in Engineering Software 69 (2014) 46-61.
 *
 * Each wolf moves toward the three leaders alpha, beta, delta (the three best
 * positions found so far):
 *   A = 2 a r1 - a, C = 2 r2                                 (Eq. 3.3, 3.4)
 *   D_l = |C_l X_l - X|,  X_l' = X_l - A_l D_l  for l in {alpha,beta,delta}
 *   X(t+1) = (X_alpha' + X_beta' + X_delta') / 3             (Eq. 3.5-3.7)
 * with a decreasing linearly 2 -> 0 over the budget horizon (Sec. 3.3):
 * a = 2 (1 - progress).  Positions are clamped to the box, as in the
 * authors' code.
 * Frame: the update is not translation invariant (the C X_l term pulls
 * toward the origin), so it runs in the centred frame z = 2u - 1 in [-1,1]^D:
 * for a box symmetric about 0 (CEC's [-100,100]^D) this is exactly the
 * paper's algorithm on the original coordinates (GWO is scale equivariant).
 * In the raw [0,1] frame the pull would be toward a corner and the pack
 * would not contract geometrically.  The leaders are updated after every evaluation; unlike the
 * authors' MATLAB code (where a new alpha does not demote the old alpha to
 * beta) we keep alpha <= beta <= delta as the three best distinct ranks.
 * Default pack size 30. */
#include "ecgopt/opt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct gwo_state {
    size_t n, d;
    int started;
    double *x;          /* n x d current pack */
    double *lead;       /* 3 x d: alpha, beta, delta */
    double *zl;         /* scratch: leaders in the centred frame */
    double lf[3];       /* their scores */
} gwo_state;

static void gwo_free(void *s)
{
    gwo_state *g = s;
    if (g) {
        free(g->x);
        free(g->lead);
        free(g->zl);
    }
    free(g);
}

static eo_status gwo_init(eo_optimizer *opt, void **state, eo_error *err)
{
    gwo_state *g = calloc(1, sizeof *g);
    if (!g)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer gwo: out of memory");
    g->n = eo_opt_pop(opt);
    g->d = eo_optimizer_dim(opt);
    if (g->n < 3) {
        free(g);
        return eo_error_set(err, EO_STATUS_USAGE, "optimizer gwo: pack size must be >= 3");
    }
    g->x = malloc(g->n * g->d * sizeof(double));
    g->lead = malloc(3 * g->d * sizeof(double));
    g->zl = malloc(3 * g->d * sizeof(double));
    if (!g->x || !g->lead || !g->zl) {
        gwo_free(g);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer gwo: out of memory");
    }
    for (size_t i = 0; i < 3 * g->d; i++)
        g->lead[i] = 0.5;
    g->lf[0] = g->lf[1] = g->lf[2] = INFINITY;
    *state = g;
    return EO_STATUS_OK;
}

static eo_status gwo_ask(eo_optimizer *opt, void *state, size_t *n, eo_error *err)
{
    gwo_state *g = state;
    size_t d = g->d;
    double *x = eo_opt_batch(opt, g->n, err);
    if (!x)
        return err ? err->status : EO_STATUS_NO_MEMORY;
    eo_rng *rng = eo_opt_rng(opt);
    if (!g->started) {
        for (size_t i = 0; i < g->n * d; i++)
            x[i] = eo_rng_uniform(rng);
    } else {
        double a = 2.0 * (1.0 - eo_opt_progress(opt));
        /* leaders in the centred frame z = 2u - 1 */
        double *za_ = g->zl, *zb_ = g->zl + d, *zd_ = g->zl + 2 * d;
        for (size_t j = 0; j < 3 * d; j++)
            g->zl[j] = 2 * g->lead[j] - 1;
        for (size_t i = 0; i < g->n; i++) {
            const double *xi = g->x + i * d;
            double *yi = x + i * d;
            for (size_t j = 0; j < d; j++) {
                double za = za_[j], zb = zb_[j], zd = zd_[j];
                double zi = 2 * xi[j] - 1;
                double A1 = 2 * a * eo_rng_uniform_inline(rng) - a, C1 = 2 * eo_rng_uniform_inline(rng);
                double X1 = za - A1 * fabs(C1 * za - zi);
                double A2 = 2 * a * eo_rng_uniform_inline(rng) - a, C2 = 2 * eo_rng_uniform_inline(rng);
                double X2 = zb - A2 * fabs(C2 * zb - zi);
                double A3 = 2 * a * eo_rng_uniform_inline(rng) - a, C3 = 2 * eo_rng_uniform_inline(rng);
                double X3 = zd - A3 * fabs(C3 * zd - zi);
                double v = 0.5 * ((X1 + X2 + X3) / 3.0 + 1.0);
                yi[j] = v < 0 ? 0 : (v > 1 ? 1 : v);
            }
        }
    }
    *n = g->n;
    return EO_STATUS_OK;
}

static eo_status gwo_tell(eo_optimizer *opt, void *state, const double *x, const double *f,
                          const eo_eval_status *st, size_t n, eo_error *err)
{
    (void)opt, (void)st, (void)err;
    gwo_state *g = state;
    size_t d = g->d;
    for (size_t i = 0; i < n; i++) {
        const double *xi = x + i * d;
        double fi = f[i];
        if (fi < g->lf[0]) {
            memmove(g->lead + d, g->lead, 2 * d * sizeof(double));
            g->lf[2] = g->lf[1];
            g->lf[1] = g->lf[0];
            g->lf[0] = fi;
            memcpy(g->lead, xi, d * sizeof(double));
        } else if (fi < g->lf[1]) {
            memcpy(g->lead + 2 * d, g->lead + d, d * sizeof(double));
            g->lf[2] = g->lf[1];
            g->lf[1] = fi;
            memcpy(g->lead + d, xi, d * sizeof(double));
        } else if (fi < g->lf[2]) {
            g->lf[2] = fi;
            memcpy(g->lead + 2 * d, xi, d * sizeof(double));
        }
    }
    memcpy(g->x, x, n * d * sizeof(double));
    g->started = 1;
    return EO_STATUS_OK;
}

static void gwo_save(const eo_optimizer *opt, const void *state, eo_wbuf *w)
{
    (void)opt;
    const gwo_state *g = state;
    eo_wbuf_u64(w, (uint64_t)g->started);
    eo_wbuf_f64s(w, g->x, g->n * g->d);
    eo_wbuf_f64s(w, g->lead, 3 * g->d);
    eo_wbuf_f64s(w, g->lf, 3);
}

static eo_status gwo_load(eo_optimizer *opt, void *state, eo_rbuf *r, eo_error *err)
{
    (void)opt, (void)err;
    gwo_state *g = state;
    g->started = (int)eo_rbuf_u64(r);
    eo_rbuf_f64s(r, g->x, g->n * g->d);
    eo_rbuf_f64s(r, g->lead, 3 * g->d);
    eo_rbuf_f64s(r, g->lf, 3);
    return EO_STATUS_OK;
}

const eo_optimizer_vtable eo_opt_gwo_vtable = {
    "gwo", "Grey Wolf Optimizer (Mirjalili et al. 2014), a: 2 -> 0", NULL, 30,
    gwo_init, gwo_free, gwo_ask, gwo_tell, gwo_save, gwo_load};
