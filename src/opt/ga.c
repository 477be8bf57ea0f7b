/* Genetic algorithm: generational, real/integer coding, elitism.
 *
 * - Coding: continuous genes are reals in [0,1] (the normalised space);
 *   integer and categorical genes are kept at the centre of their value's cell
 *   (eo_space_snap) after every variation, so the GA works on the discrete
 *   values themselves, not on reals that happen to round.
 * - Selection: binary tournament (size `tournament`, default 2).
 * - Crossover (probability `pc`, default 0.9): simulated binary crossover for
 *   continuous genes — K. Deb, R. B. Agrawal, "Simulated binary crossover for
 *   continuous search space", Complex Systems 9 (1995), bounded form of
 *   K. Deb, "Multi-objective optimization using evolutionary algorithms"
 *   (2001) Sec. 4.2.1, distribution index eta_c (`eta_c`, default 15), each
 *   gene crossed with probability 0.5; uniform crossover (swap with
 *   probability 0.5) for integer and categorical genes.
 * - Mutation (per gene probability `pm`, default 1/D): bounded polynomial
 *   mutation — K. Deb, M. Goyal, "A combined genetic adaptive search
 *   (GeneAS)", Computer Science and Informatics 26 (1996); Deb (2001)
 *   Sec. 4.2.2 with delta_1, delta_2 (eta_m, `eta_m`, default 20) for
 *   continuous and integer genes (then snapped); a categorical gene is reset
 *   to a uniformly drawn other category.
 * - Elitism: the `elites` (default 2) best of the current population survive
 *   unchanged; the other N - elites places are taken by offspring, so after
 *   the first generation each batch has N - elites candidates.
 * Population default 50. */
#include "ecgopt/opt.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct ga_state {
    size_t n, d, elites, tour;
    double pc, eta_c, pm, eta_m;
    int started;
    double *x, *f;      /* population n x d, fitness */
    double *tmp, *tf;   /* merge buffer */
    size_t *order;
} ga_state;

static const char *const ga_keys[] = {"pc", "eta_c", "pm", "eta_m", "elites", "tournament", NULL};

static void ga_free(void *s)
{
    ga_state *g = s;
    if (g) {
        free(g->x);
        free(g->f);
        free(g->tmp);
        free(g->tf);
        free(g->order);
    }
    free(g);
}

static eo_status ga_init(eo_optimizer *opt, void **state, eo_error *err)
{
    ga_state *g = calloc(1, sizeof *g);
    if (!g)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer ga: out of memory");
    g->n = eo_opt_pop(opt);
    g->d = eo_optimizer_dim(opt);
    double el = eo_opt_param(opt, "elites", 2), to = eo_opt_param(opt, "tournament", 2);
    g->pc = eo_opt_param(opt, "pc", 0.9);
    g->eta_c = eo_opt_param(opt, "eta_c", 15);
    g->pm = eo_opt_param(opt, "pm", 1.0 / (double)g->d);
    g->eta_m = eo_opt_param(opt, "eta_m", 20);
    if (!(el >= 0 && el == floor(el) && el < (double)g->n) || !(to >= 1 && to == floor(to)) ||
        !(g->pc >= 0 && g->pc <= 1) || !(g->pm >= 0 && g->pm <= 1) || !(g->eta_c >= 0) ||
        !(g->eta_m >= 0) || g->n < 2) {
        free(g);
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimizer ga: need population >= 2, 0 <= elites < population, "
                            "tournament >= 1, pc and pm in [0,1], eta >= 0");
    }
    g->elites = (size_t)el;
    g->tour = (size_t)to;
    g->x = malloc(g->n * g->d * sizeof(double));
    g->f = malloc(g->n * sizeof(double));
    g->tmp = malloc(g->n * g->d * sizeof(double));
    g->tf = malloc(g->n * sizeof(double));
    g->order = malloc(g->n * sizeof(size_t));
    if (!g->x || !g->f || !g->tmp || !g->tf || !g->order) {
        ga_free(g);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer ga: out of memory");
    }
    *state = g;
    return EO_STATUS_OK;
}

static size_t tournament(ga_state *g, eo_rng *rng)
{
    size_t best = (size_t)eo_rng_below(rng, g->n);
    for (size_t k = 1; k < g->tour; k++) {
        size_t c = (size_t)eo_rng_below(rng, g->n);
        if (g->f[c] < g->f[best])
            best = c;
    }
    return best;
}

/* Bounded SBX on one gene pair in [0,1] (Deb 2001, Sec. 4.2.1). */
static void sbx(double *a, double *b, double eta, eo_rng *rng)
{
    double y1 = *a < *b ? *a : *b, y2 = *a < *b ? *b : *a;
    if (y2 - y1 < 1e-14)
        return;
    double u = eo_rng_uniform(rng);
    double beta = 1.0 + 2.0 * y1 / (y2 - y1);
    double alpha = 2.0 - pow(beta, -(eta + 1.0));
    double bq = u <= 1.0 / alpha ? pow(u * alpha, 1.0 / (eta + 1.0))
                                 : pow(1.0 / (2.0 - u * alpha), 1.0 / (eta + 1.0));
    double c1 = 0.5 * ((y1 + y2) - bq * (y2 - y1));
    beta = 1.0 + 2.0 * (1.0 - y2) / (y2 - y1);
    alpha = 2.0 - pow(beta, -(eta + 1.0));
    bq = u <= 1.0 / alpha ? pow(u * alpha, 1.0 / (eta + 1.0))
                          : pow(1.0 / (2.0 - u * alpha), 1.0 / (eta + 1.0));
    double c2 = 0.5 * ((y1 + y2) + bq * (y2 - y1));
    c1 = c1 < 0 ? 0 : (c1 > 1 ? 1 : c1);
    c2 = c2 < 0 ? 0 : (c2 > 1 ? 1 : c2);
    if (eo_rng_uniform(rng) < 0.5) {
        double t = c1;
        c1 = c2;
        c2 = t;
    }
    *a = c1;
    *b = c2;
}

/* Bounded polynomial mutation of y in [0,1] (Deb 2001, Sec. 4.2.2). */
static double polymut(double y, double eta, eo_rng *rng)
{
    double d1 = y, d2 = 1.0 - y, u = eo_rng_uniform(rng), mp = 1.0 / (eta + 1.0), dq;
    if (u < 0.5) {
        double v = 2.0 * u + (1.0 - 2.0 * u) * pow(1.0 - d1, eta + 1.0);
        dq = pow(v, mp) - 1.0;
    } else {
        double v = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * pow(1.0 - d2, eta + 1.0);
        dq = 1.0 - pow(v, mp);
    }
    y += dq;
    return y < 0 ? 0 : (y > 1 ? 1 : y);
}

static eo_status ga_ask(eo_optimizer *opt, void *state, size_t *n, eo_error *err)
{
    ga_state *g = state;
    size_t d = g->d;
    const eo_space *sp = eo_optimizer_space(opt);
    eo_rng *rng = eo_opt_rng(opt);
    size_t m = g->started ? g->n - g->elites : g->n;
    double *y = eo_opt_batch(opt, m, err);
    if (!y)
        return err ? err->status : EO_STATUS_NO_MEMORY;
    if (!g->started) {
        for (size_t i = 0; i < m * d; i++)
            y[i] = eo_rng_uniform(rng);
    } else {
        for (size_t k = 0; k < m; k += 2) {
            const double *p1 = g->x + tournament(g, rng) * d;
            const double *p2 = g->x + tournament(g, rng) * d;
            double *c1 = y + k * d;
            /* odd batch: the second child goes to scratch (tmp is free here) */
            double *c2 = k + 1 < m ? y + (k + 1) * d : g->tmp;
            memcpy(c1, p1, d * sizeof(double));
            memcpy(c2, p2, d * sizeof(double));
            if (eo_rng_uniform(rng) < g->pc) {
                for (size_t j = 0; j < d; j++) {
                    if (eo_space_kind(sp, j) == EO_PARAM_CONTINUOUS) {
                        if (eo_rng_uniform(rng) < 0.5)
                            sbx(&c1[j], &c2[j], g->eta_c, rng);
                    } else if (eo_rng_uniform(rng) < 0.5) {
                        double t = c1[j];
                        c1[j] = c2[j];
                        c2[j] = t;
                    }
                }
            }
            double *cs[2] = {c1, c2};
            for (int c = 0; c < 2; c++) {
                for (size_t j = 0; j < d; j++) {
                    if (eo_rng_uniform(rng) >= g->pm)
                        continue;
                    if (eo_space_kind(sp, j) == EO_PARAM_CATEGORICAL) {
                        size_t lv = eo_space_levels(sp, j);
                        if (lv > 1) {
                            size_t cur = (size_t)floor(cs[c][j] * (double)lv);
                            if (cur >= lv)
                                cur = lv - 1;
                            size_t nw = (size_t)eo_rng_below(rng, lv - 1);
                            if (nw >= cur)
                                nw++;
                            cs[c][j] = ((double)nw + 0.5) / (double)lv;
                        }
                    } else {
                        cs[c][j] = polymut(cs[c][j], g->eta_m, rng);
                    }
                }
                eo_space_snap(sp, cs[c]);
            }
        }
    }
    if (!g->started)
        for (size_t i = 0; i < m; i++)
            eo_space_snap(sp, y + i * d);
    *n = m;
    return EO_STATUS_OK;
}

static int cmp_idx_f(const double *f, size_t a, size_t b)
{
    return f[a] < f[b] || (f[a] == f[b] && a < b);
}

static eo_status ga_tell(eo_optimizer *opt, void *state, const double *x, const double *f,
                         const eo_eval_status *st, size_t n, eo_error *err)
{
    (void)opt, (void)st, (void)err;
    ga_state *g = state;
    size_t d = g->d;
    if (!g->started) {
        memcpy(g->x, x, n * d * sizeof(double));
        memcpy(g->f, f, n * sizeof(double));
        g->started = 1;
        return EO_STATUS_OK;
    }
    /* elites: the `elites` best of the parents (stable selection sort) */
    for (size_t i = 0; i < g->n; i++)
        g->order[i] = i;
    for (size_t e = 0; e < g->elites; e++) {
        size_t bi = e;
        for (size_t i = e + 1; i < g->n; i++)
            if (cmp_idx_f(g->f, g->order[i], g->order[bi]))
                bi = i;
        size_t t = g->order[e];
        g->order[e] = g->order[bi];
        g->order[bi] = t;
    }
    for (size_t e = 0; e < g->elites; e++) {
        memcpy(g->tmp + e * d, g->x + g->order[e] * d, d * sizeof(double));
        g->tf[e] = g->f[g->order[e]];
    }
    memcpy(g->tmp + g->elites * d, x, n * d * sizeof(double));
    memcpy(g->tf + g->elites, f, n * sizeof(double));
    double *t = g->x;
    g->x = g->tmp;
    g->tmp = t;
    t = g->f;
    g->f = g->tf;
    g->tf = t;
    return EO_STATUS_OK;
}

static void ga_save(const eo_optimizer *opt, const void *state, eo_wbuf *w)
{
    (void)opt;
    const ga_state *g = state;
    eo_wbuf_u64(w, (uint64_t)g->started);
    eo_wbuf_f64s(w, g->x, g->n * g->d);
    eo_wbuf_f64s(w, g->f, g->n);
}

static eo_status ga_load(eo_optimizer *opt, void *state, eo_rbuf *r, eo_error *err)
{
    (void)opt, (void)err;
    ga_state *g = state;
    g->started = (int)eo_rbuf_u64(r);
    eo_rbuf_f64s(r, g->x, g->n * g->d);
    eo_rbuf_f64s(r, g->f, g->n);
    return EO_STATUS_OK;
}

const eo_optimizer_vtable eo_opt_ga_vtable = {
    "ga", "genetic algorithm: tournament, SBX + uniform crossover, polynomial mutation, elitism",
    ga_keys, 50, ga_init, ga_free, ga_ask, ga_tell, ga_save, ga_load};
