/* Grid search: the Cartesian product of per-dimension levels, visited in
 * mixed-radix order (last dimension fastest).  Continuous dims get
 * `points` evenly spaced levels including both ends (default 5; on a log
 * dim they are evenly spaced in log); integer dims all their values when there
 * are at most `points`, else `points` evenly spaced values; categorical dims
 * all their values.  After the last grid point the walk starts again (a
 * budget should stop it first).  Batches of pop_size (default 10). */
#include "ecgopt/opt.h"

#include <math.h>
#include <stdlib.h>

typedef struct grid_state {
    size_t *levels;     /* per dim */
    uint64_t next;      /* linear index of the next grid point */
    uint64_t total;
} grid_state;

static const char *const grid_keys[] = {"points", NULL};

static void grid_free(void *s)
{
    grid_state *g = s;
    if (g)
        free(g->levels);
    free(g);
}

static eo_status grid_init(eo_optimizer *opt, void **state, eo_error *err)
{
    const eo_space *sp = eo_optimizer_space(opt);
    size_t d = eo_optimizer_dim(opt);
    double pts = eo_opt_param(opt, "points", 5);
    if (!(pts >= 1 && pts <= 1e6 && pts == floor(pts)))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimizer grid: points must be an integer in 1..1e6 (got %g)", pts);
    grid_state *g = calloc(1, sizeof *g);
    if (!g || !(g->levels = calloc(d, sizeof(size_t)))) {
        free(g);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer grid: out of memory");
    }
    g->total = 1;
    for (size_t i = 0; i < d; i++) {
        size_t lv = eo_space_levels(sp, i);
        if (eo_space_kind(sp, i) == EO_PARAM_CONTINUOUS)
            lv = (size_t)pts;
        else if (eo_space_kind(sp, i) == EO_PARAM_INTEGER && lv > (size_t)pts)
            lv = (size_t)pts;
        g->levels[i] = lv;
        g->total = g->total > UINT64_MAX / lv ? UINT64_MAX : g->total * lv;
    }
    *state = g;
    return EO_STATUS_OK;
}

/* normalised coordinate of level k of n on dim i */
static double level_u(const eo_space *sp, size_t i, size_t k, size_t n)
{
    if (eo_space_kind(sp, i) == EO_PARAM_CONTINUOUS)
        return n == 1 ? 0.5 : (double)k / (double)(n - 1);
    size_t all = eo_space_levels(sp, i);
    /* pick evenly spaced values (exact cell centres) out of `all` */
    size_t v = n == 1 ? all / 2 : (size_t)llround((double)k * (double)(all - 1) / (double)(n - 1));
    double lo, hi;
    eo_space_bounds(sp, i, &lo, &hi);
    double val = lo + (double)v;
    double u = 0.5;
    /* encode a single coordinate through a 1-value trick: cell centre */
    if (!eo_space_is_log(sp, i))
        u = ((double)v + 0.5) / (double)all;
    else {
        double a = log(lo - 0.5 > 0 ? lo - 0.5 : 0.5), b = log(hi + 0.5);
        double l0 = v == 0 ? a : log(val - 0.5), l1 = log(val + 0.5);
        u = (0.5 * (l0 + l1) - a) / (b - a);
    }
    return u;
}

static eo_status grid_ask(eo_optimizer *opt, void *state, size_t *n, eo_error *err)
{
    grid_state *g = state;
    const eo_space *sp = eo_optimizer_space(opt);
    size_t m = eo_opt_pop(opt), d = eo_optimizer_dim(opt);
    double *x = eo_opt_batch(opt, m, err);
    if (!x)
        return err ? err->status : EO_STATUS_NO_MEMORY;
    for (size_t j = 0; j < m; j++) {
        uint64_t idx = g->next % g->total;
        g->next++;
        for (size_t i = d; i-- > 0;) {
            size_t k = (size_t)(idx % g->levels[i]);
            idx /= g->levels[i];
            x[j * d + i] = level_u(sp, i, k, g->levels[i]);
        }
    }
    *n = m;
    return EO_STATUS_OK;
}

static eo_status grid_tell(eo_optimizer *opt, void *state, const double *x, const double *f,
                           const eo_eval_status *st, size_t n, eo_error *err)
{
    (void)opt, (void)state, (void)x, (void)f, (void)st, (void)n, (void)err;
    return EO_STATUS_OK;
}

static void grid_save(const eo_optimizer *opt, const void *state, eo_wbuf *w)
{
    (void)opt;
    eo_wbuf_u64(w, ((const grid_state *)state)->next);
}

static eo_status grid_load(eo_optimizer *opt, void *state, eo_rbuf *r, eo_error *err)
{
    (void)opt, (void)err;
    ((grid_state *)state)->next = eo_rbuf_u64(r);
    return EO_STATUS_OK;
}

const eo_optimizer_vtable eo_opt_grid_vtable = {
    "grid", "grid search over per-dimension levels (params: points)", grid_keys, 10,
    grid_init, grid_free, grid_ask, grid_tell, grid_save, grid_load};
