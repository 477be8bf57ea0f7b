/* Particle swarm optimisation, two classic variants.
 *
 * "pso": inertia weight — Y. Shi, R. Eberhart, "A modified particle swarm
 *   optimizer", IEEE ICEC 1998; w decreasing linearly 0.9 -> 0.4 over the
 *   budget horizon (Shi & Eberhart 1999):
 *     v <- w v + c1 r1 (p_i - x) + c2 r2 (g - x),  x <- x + v     (c1=c2=2)
 * "pso-constriction": M. Clerc, J. Kennedy, "The particle swarm — explosion,
 *   stability, and convergence in a multidimensional complex space", IEEE TEC
 *   6(1) 2002, type 1'' constriction:
 *     v <- chi (v + c1 r1 (p_i - x) + c2 r2 (g - x)),  chi = 0.7298,
 *     c1 = c2 = 2.05  (chi = 2 / |2 - phi - sqrt(phi^2 - 4 phi)|, phi = 4.1)
 * Both: global-best topology, synchronous update, r1 r2 drawn per dimension,
 * velocity clamped to |v| <= vmax (params vmax, default 0.2 of the normalised
 * range for "pso" and 1.0 for "pso-constriction", as Clerc & Kennedy set
 * Vmax = Xmax), positions clamped to [0,1] with the velocity component
 * zeroed on a wall.  Personal bests are replaced only when strictly better.
 * Swarm size default 40.  Params: c1, c2, w_start, w_end, chi, vmax. */
#include "ecgopt/opt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct pso_state {
    size_t n, d;
    int constriction, started;
    double c1, c2, w0, w1, chi, vmax;
    double *x, *v, *p, *pf, *g;
    double gf;
} pso_state;

static const char *const pso_keys[] = {"c1", "c2", "w_start", "w_end", "chi", "vmax", NULL};

static void pso_free(void *s)
{
    pso_state *p = s;
    if (p) {
        free(p->x);
        free(p->v);
        free(p->p);
        free(p->pf);
        free(p->g);
    }
    free(p);
}

static eo_status pso_init_common(eo_optimizer *opt, void **state, int constriction,
                                 eo_error *err)
{
    const char *nm = constriction ? "pso-constriction" : "pso";
    pso_state *s = calloc(1, sizeof *s);
    if (!s)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory", nm);
    s->n = eo_opt_pop(opt);
    s->d = eo_optimizer_dim(opt);
    s->constriction = constriction;
    s->c1 = eo_opt_param(opt, "c1", constriction ? 2.05 : 2.0);
    s->c2 = eo_opt_param(opt, "c2", constriction ? 2.05 : 2.0);
    s->w0 = eo_opt_param(opt, "w_start", 0.9);
    s->w1 = eo_opt_param(opt, "w_end", 0.4);
    s->chi = eo_opt_param(opt, "chi", 0.7298);
    s->vmax = eo_opt_param(opt, "vmax", constriction ? 1.0 : 0.2);
    s->gf = INFINITY;
    if (!(s->vmax > 0) || s->c1 < 0 || s->c2 < 0 || !(s->chi > 0) || s->n < 1) {
        free(s);
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimizer %s: vmax and chi must be > 0, c1, c2 >= 0", nm);
    }
    size_t nd = s->n * s->d;
    s->x = malloc(nd * sizeof(double));
    s->v = calloc(nd, sizeof(double));
    s->p = malloc(nd * sizeof(double));
    s->pf = malloc(s->n * sizeof(double));
    s->g = malloc(s->d * sizeof(double));
    if (!s->x || !s->v || !s->p || !s->pf || !s->g) {
        pso_free(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory", nm);
    }
    for (size_t i = 0; i < s->n; i++)
        s->pf[i] = INFINITY;
    for (size_t j = 0; j < s->d; j++)
        s->g[j] = 0.5;
    *state = s;
    return EO_STATUS_OK;
}

static eo_status pso_init(eo_optimizer *opt, void **state, eo_error *err)
{
    return pso_init_common(opt, state, 0, err);
}
static eo_status psoc_init(eo_optimizer *opt, void **state, eo_error *err)
{
    return pso_init_common(opt, state, 1, err);
}

static eo_status pso_ask(eo_optimizer *opt, void *state, size_t *n, eo_error *err)
{
    pso_state *s = state;
    size_t d = s->d;
    double *y = eo_opt_batch(opt, s->n, err);
    if (!y)
        return err ? err->status : EO_STATUS_NO_MEMORY;
    eo_rng *rng = eo_opt_rng(opt);
    if (!s->started) {
        for (size_t i = 0; i < s->n * d; i++)
            y[i] = s->x[i] = eo_rng_uniform(rng);
        *n = s->n;
        return EO_STATUS_OK;
    }
    double w = s->w0 + (s->w1 - s->w0) * eo_opt_progress(opt);
    double vm = s->vmax;
    for (size_t i = 0; i < s->n; i++) {
        double *xi = s->x + i * d, *vi = s->v + i * d;
        const double *pi = s->p + i * d;
        for (size_t j = 0; j < d; j++) {
            double r1 = eo_rng_uniform_inline(rng), r2 = eo_rng_uniform_inline(rng);
            double cog = s->c1 * r1 * (pi[j] - xi[j]) + s->c2 * r2 * (s->g[j] - xi[j]);
            double v = s->constriction ? s->chi * (vi[j] + cog) : w * vi[j] + cog;
            v = v > vm ? vm : (v < -vm ? -vm : v);
            double xn = xi[j] + v;
            if (xn < 0) {
                xn = 0;
                v = 0;
            } else if (xn > 1) {
                xn = 1;
                v = 0;
            }
            vi[j] = v;
            xi[j] = xn;
        }
        memcpy(y + i * d, xi, d * sizeof(double));
    }
    *n = s->n;
    return EO_STATUS_OK;
}

static eo_status pso_tell(eo_optimizer *opt, void *state, const double *x, const double *f,
                          const eo_eval_status *st, size_t n, eo_error *err)
{
    (void)opt, (void)st, (void)err, (void)x;
    pso_state *s = state;
    size_t d = s->d;
    for (size_t i = 0; i < n; i++) {
        if (f[i] < s->pf[i]) {
            s->pf[i] = f[i];
            memcpy(s->p + i * d, s->x + i * d, d * sizeof(double));
            if (f[i] < s->gf) {
                s->gf = f[i];
                memcpy(s->g, s->x + i * d, d * sizeof(double));
            }
        }
    }
    s->started = 1;
    return EO_STATUS_OK;
}

static void pso_save(const eo_optimizer *opt, const void *state, eo_wbuf *w)
{
    (void)opt;
    const pso_state *s = state;
    size_t nd = s->n * s->d;
    eo_wbuf_u64(w, (uint64_t)s->started);
    eo_wbuf_f64s(w, s->x, nd);
    eo_wbuf_f64s(w, s->v, nd);
    eo_wbuf_f64s(w, s->p, nd);
    eo_wbuf_f64s(w, s->pf, s->n);
    eo_wbuf_f64s(w, s->g, s->d);
    eo_wbuf_f64(w, s->gf);
}

static eo_status pso_load(eo_optimizer *opt, void *state, eo_rbuf *r, eo_error *err)
{
    (void)opt, (void)err;
    pso_state *s = state;
    size_t nd = s->n * s->d;
    s->started = (int)eo_rbuf_u64(r);
    eo_rbuf_f64s(r, s->x, nd);
    eo_rbuf_f64s(r, s->v, nd);
    eo_rbuf_f64s(r, s->p, nd);
    eo_rbuf_f64s(r, s->pf, s->n);
    eo_rbuf_f64s(r, s->g, s->d);
    s->gf = eo_rbuf_f64(r);
    return EO_STATUS_OK;
}

const eo_optimizer_vtable eo_opt_pso_vtable = {
    "pso", "PSO with inertia weight 0.9 -> 0.4 (Shi & Eberhart 1998)", pso_keys, 40,
    pso_init, pso_free, pso_ask, pso_tell, pso_save, pso_load};
const eo_optimizer_vtable eo_opt_pso_constriction_vtable = {
    "pso-constriction", "PSO with constriction chi 0.7298, c1 = c2 = 2.05 (Clerc & Kennedy 2002)",
    pso_keys, 40, psoc_init, pso_free, pso_ask, pso_tell, pso_save, pso_load};
