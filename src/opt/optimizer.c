/* The common ask/tell engine every optimiser runs in: batches, counters,
 * budgets, history (chunked arrays, so recording an evaluation is a memcpy),
 * best point, state save/restore and the plain run loop.
 *
 * Determinism: the only randomness is opt->rng, used only inside the
 * algorithm's ask/tell; run() evaluates a batch (possibly in parallel) and
 * tells fitness by candidate index, so the trajectory does not depend on the
 * number of threads or the order of evaluation. */
#include "ecgopt/opt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/util.h"

#define EO_OPT_MAGIC "EOOPTST"
#define EO_OPT_VERSION 1u
#define CHUNK_BITS 12
#define CHUNK (1u << CHUNK_BITS)
#define MAX_PARAMS 32

typedef struct hist_chunk {
    double *x;        /* CHUNK * dim (EO_HISTORY_FULL only) */
    double *f;        /* CHUNK */
    long long *iter;  /* CHUNK */
    unsigned char *st;
} hist_chunk;

struct eo_optimizer {
    const eo_optimizer_vtable *vt;
    void *state;
    eo_space *space;
    size_t dim;
    eo_opt_options opts;
    char *params;               /* owned copy of opts.params */
    size_t n_params;
    char param_key[MAX_PARAMS][32];
    double param_val[MAX_PARAMS];
    eo_rng rng;
    double *batch;
    size_t batch_n, batch_cap;
    int pending;
    long long evals, failures, iters;
    double seconds;
    double best_f;
    double *best_x;
    int has_best;
    hist_chunk *chunks;
    size_t n_chunks, cap_chunks, hist_n;
    int threads;
};

/* ---- registry (src/opt/registry.c) ---- */
const eo_optimizer_vtable *eo_opt_registry_find(const char *name);
const eo_optimizer_vtable *const *eo_opt_registry_all(void);

void eo_opt_options_defaults(eo_opt_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->seed = 1;
    opts->history = EO_HISTORY_FULL;
}

/* ---- buffers ---- */
void eo_wbuf_bytes(eo_wbuf *w, const void *p, size_t n)
{
    if (w->failed)
        return;
    if (w->len + n > w->cap) {
        size_t nc = w->cap ? w->cap : 256;
        while (nc < w->len + n)
            nc *= 2;
        unsigned char *nd = realloc(w->data, nc);
        if (!nd) {
            w->failed = 1;
            return;
        }
        w->data = nd;
        w->cap = nc;
    }
    if (n)
        memcpy(w->data + w->len, p, n);
    w->len += n;
}
void eo_wbuf_u64(eo_wbuf *w, uint64_t v) { eo_wbuf_bytes(w, &v, 8); }
void eo_wbuf_f64(eo_wbuf *w, double v) { eo_wbuf_bytes(w, &v, 8); }
void eo_wbuf_f64s(eo_wbuf *w, const double *v, size_t n) { eo_wbuf_bytes(w, v, 8 * n); }
void eo_rbuf_bytes(eo_rbuf *r, void *p, size_t n)
{
    if (r->failed || n > r->len - r->pos) {
        r->failed = 1;
        memset(p, 0, n);
        return;
    }
    memcpy(p, r->data + r->pos, n);
    r->pos += n;
}
uint64_t eo_rbuf_u64(eo_rbuf *r)
{
    uint64_t v;
    eo_rbuf_bytes(r, &v, 8);
    return v;
}
double eo_rbuf_f64(eo_rbuf *r)
{
    double v;
    eo_rbuf_bytes(r, &v, 8);
    return v;
}
void eo_rbuf_f64s(eo_rbuf *r, double *v, size_t n)
{
    if (n > (SIZE_MAX / 8)) {
        r->failed = 1;
        return;
    }
    eo_rbuf_bytes(r, v, 8 * n);
}

/* ---- params "k=v,k=v" ---- */
static eo_status parse_params(eo_optimizer *opt, eo_error *err)
{
    opt->n_params = 0;
    const char *s = opt->params;
    if (!s)
        return EO_STATUS_OK;
    while (*s) {
        while (*s == ',' || *s == ' ')
            s++;
        if (!*s)
            break;
        const char *eq = strchr(s, '=');
        const char *end = strchr(s, ',');
        if (!end)
            end = s + strlen(s);
        if (!eq || eq > end || eq == s || (size_t)(eq - s) >= 32)
            return eo_error_set(err, EO_STATUS_USAGE,
                                "optimizer %s: params: expected key=value near '%.20s'",
                                opt->vt->name, s);
        if (opt->n_params == MAX_PARAMS)
            return eo_error_set(err, EO_STATUS_USAGE, "optimizer %s: too many params",
                                opt->vt->name);
        char key[32];
        memcpy(key, s, (size_t)(eq - s));
        key[eq - s] = 0;
        int known = 0;
        for (const char *const *k = opt->vt->param_keys; k && *k; k++)
            if (strcmp(*k, key) == 0)
                known = 1;
        if (!known)
            return eo_error_set(err, EO_STATUS_USAGE,
                                "optimizer %s: unknown parameter '%s'", opt->vt->name, key);
        char num[64];
        size_t nl = (size_t)(end - eq - 1);
        if (nl == 0 || nl >= sizeof num)
            return eo_error_set(err, EO_STATUS_USAGE,
                                "optimizer %s: parameter '%s' has no valid value",
                                opt->vt->name, key);
        memcpy(num, eq + 1, nl);
        num[nl] = 0;
        char *ep;
        double v = strtod(num, &ep);
        if (*ep || !isfinite(v))
            return eo_error_set(err, EO_STATUS_USAGE,
                                "optimizer %s: parameter '%s': '%s' is not a finite number",
                                opt->vt->name, key, num);
        strcpy(opt->param_key[opt->n_params], key);
        opt->param_val[opt->n_params++] = v;
        s = end;
    }
    return EO_STATUS_OK;
}

static eo_status check_budget(const eo_budget *b, const char *who, eo_error *err)
{
    if (b->max_evals < 0 || b->max_iters < 0 || !(b->max_seconds >= 0) ||
        (b->has_target && !(b->target == b->target)))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "%s: budget has a negative or NaN limit", who);
    return EO_STATUS_OK;
}

static void hist_free(eo_optimizer *opt)
{
    for (size_t c = 0; c < opt->n_chunks; c++) {
        free(opt->chunks[c].x);
        free(opt->chunks[c].f);
        free(opt->chunks[c].iter);
        free(opt->chunks[c].st);
    }
    free(opt->chunks);
    opt->chunks = NULL;
    opt->n_chunks = opt->cap_chunks = opt->hist_n = 0;
}

void eo_optimizer_destroy(eo_optimizer *opt)
{
    if (!opt)
        return;
    if (opt->state && opt->vt->free)
        opt->vt->free(opt->state);
    hist_free(opt);
    eo_space_destroy(opt->space);
    free(opt->params);
    free(opt->batch);
    free(opt->best_x);
    free(opt);
}

eo_status eo_optimizer_create(const char *name, const eo_space *space,
                              const eo_opt_options *opts, eo_optimizer **out,
                              eo_error *err)
{
    if (!out)
        return eo_error_set(err, EO_STATUS_USAGE, "eo_optimizer_create: out is NULL");
    *out = NULL;
    if (!name)
        return eo_error_set(err, EO_STATUS_USAGE, "optimizer: name is NULL");
    const eo_optimizer_vtable *vt = eo_opt_registry_find(name);
    if (!vt) {
        char list[256] = "";
        for (const eo_optimizer_vtable *const *v = eo_opt_registry_all(); *v; v++) {
            strncat(list, (*v)->name, sizeof list - strlen(list) - 1);
            if (v[1])
                strncat(list, ", ", sizeof list - strlen(list) - 1);
        }
        return eo_error_set(err, EO_STATUS_NOT_FOUND,
                            "optimizer: unknown name '%s' (known: %s)", name, list);
    }
    if (!space || eo_space_dim(space) == 0)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimizer %s: search space is empty (no dimensions)", name);
    eo_opt_options o;
    if (opts)
        o = *opts;
    else
        eo_opt_options_defaults(&o);
    eo_status st = check_budget(&o.budget, name, err);
    if (st)
        return st;
    if (o.history > EO_HISTORY_NONE)
        return eo_error_set(err, EO_STATUS_USAGE, "optimizer %s: bad history level", name);
    if (o.pop_size > 1000000)
        return eo_error_set(err, EO_STATUS_USAGE, "optimizer %s: pop_size %zu too large",
                            name, o.pop_size);

    eo_optimizer *opt = calloc(1, sizeof *opt);
    if (!opt)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory", name);
    opt->vt = vt;
    opt->threads = 1;
    opt->best_f = INFINITY;
    st = eo_space_clone(space, &opt->space, err);
    if (st)
        goto fail;
    opt->dim = eo_space_dim(space);
    opt->best_x = calloc(opt->dim, sizeof(double));
    if (o.params && *o.params) {
        opt->params = strdup(o.params);
        if (!opt->params) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory", name);
            goto fail;
        }
    }
    if (!opt->best_x) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory", name);
        goto fail;
    }
    o.params = opt->params;
    opt->opts = o;
    st = parse_params(opt, err);
    if (st)
        goto fail;
    eo_rng_seed(&opt->rng, o.seed);
    st = vt->init(opt, &opt->state, err);
    if (st)
        goto fail;
    *out = opt;
    return EO_STATUS_OK;
fail:
    eo_optimizer_destroy(opt);
    return st;
}

const char *eo_optimizer_name(const eo_optimizer *opt) { return opt->vt->name; }
const eo_space *eo_optimizer_space(const eo_optimizer *opt) { return opt->space; }
size_t eo_optimizer_dim(const eo_optimizer *opt) { return opt->dim; }
long long eo_optimizer_evals(const eo_optimizer *opt) { return opt->evals; }
long long eo_optimizer_failures(const eo_optimizer *opt) { return opt->failures; }
long long eo_optimizer_iterations(const eo_optimizer *opt) { return opt->iters; }
double eo_optimizer_seconds(const eo_optimizer *opt) { return opt->seconds; }
void eo_optimizer_set_threads(eo_optimizer *opt, int threads)
{
    opt->threads = threads < 1 ? 1 : threads;
}

/* ---- implementer interface ---- */
double *eo_opt_batch(eo_optimizer *opt, size_t n, eo_error *err)
{
    if (n == 0 || n > SIZE_MAX / 8 / opt->dim) {
        eo_error_set(err, EO_STATUS_INTERNAL, "optimizer %s: bad batch size %zu",
                     opt->vt->name, n);
        return NULL;
    }
    if (n * opt->dim > opt->batch_cap) {
        double *nb = realloc(opt->batch, n * opt->dim * sizeof(double));
        if (!nb) {
            eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory",
                         opt->vt->name);
            return NULL;
        }
        opt->batch = nb;
        opt->batch_cap = n * opt->dim;
    }
    opt->batch_n = n;
    return opt->batch;
}
eo_rng *eo_opt_rng(eo_optimizer *opt) { return &opt->rng; }
size_t eo_opt_pop(const eo_optimizer *opt)
{
    return opt->opts.pop_size ? opt->opts.pop_size : opt->vt->default_pop;
}
const eo_opt_options *eo_opt_options_get(const eo_optimizer *opt) { return &opt->opts; }
double eo_opt_param(const eo_optimizer *opt, const char *key, double dflt)
{
    for (size_t i = 0; i < opt->n_params; i++)
        if (strcmp(opt->param_key[i], key) == 0)
            return opt->param_val[i];
    return dflt;
}
double eo_opt_progress(const eo_optimizer *opt)
{
    double p;
    if (opt->opts.budget.max_evals > 0)
        p = (double)opt->evals / (double)opt->opts.budget.max_evals;
    else if (opt->opts.budget.max_iters > 0)
        p = (double)opt->iters / (double)opt->opts.budget.max_iters;
    else
        p = (double)opt->iters / 1000.0;
    return p < 0 ? 0 : (p > 1 ? 1 : p);
}
long long eo_opt_horizon_evals(const eo_optimizer *opt)
{
    if (opt->opts.budget.max_evals > 0)
        return opt->opts.budget.max_evals;
    if (opt->opts.budget.max_iters > 0)
        return opt->opts.budget.max_iters * (long long)eo_opt_pop(opt);
    return 1000LL * (long long)eo_opt_pop(opt);
}

/* ---- ask / tell ---- */
eo_status eo_optimizer_ask(eo_optimizer *opt, size_t *n, const double **x, eo_error *err)
{
    if (!opt || !n || !x)
        return eo_error_set(err, EO_STATUS_USAGE, "eo_optimizer_ask: NULL argument");
    if (!opt->pending) {
        size_t m = 0;
        eo_status st = opt->vt->ask(opt, opt->state, &m, err);
        if (st)
            return st;
        if (m == 0 || m != opt->batch_n)
            return eo_error_set(err, EO_STATUS_INTERNAL,
                                "optimizer %s: ask produced an inconsistent batch",
                                opt->vt->name);
        for (size_t i = 0; i < m * opt->dim; i++) {
            double u = opt->batch[i];
            opt->batch[i] = !(u > 0) ? 0 : (u > 1 ? 1 : u);
        }
        opt->pending = 1;
    }
    *n = opt->batch_n;
    *x = opt->batch;
    return EO_STATUS_OK;
}

static eo_status hist_push(eo_optimizer *opt, const double *x, double f, eo_eval_status st,
                           eo_error *err)
{
    if (opt->opts.history == EO_HISTORY_NONE)
        return EO_STATUS_OK;
    size_t c = opt->hist_n >> CHUNK_BITS, o = opt->hist_n & (CHUNK - 1);
    if (c == opt->n_chunks) {
        if (c == opt->cap_chunks) {
            size_t nc = opt->cap_chunks ? 2 * opt->cap_chunks : 16;
            hist_chunk *nch = realloc(opt->chunks, nc * sizeof *nch);
            if (!nch)
                return eo_error_set(err, EO_STATUS_NO_MEMORY,
                                    "optimizer %s: history: out of memory", opt->vt->name);
            opt->chunks = nch;
            opt->cap_chunks = nc;
        }
        hist_chunk *h = &opt->chunks[c];
        memset(h, 0, sizeof *h);
        h->f = malloc(CHUNK * sizeof(double));
        h->iter = malloc(CHUNK * sizeof(long long));
        h->st = malloc(CHUNK);
        if (opt->opts.history == EO_HISTORY_FULL)
            h->x = malloc((size_t)CHUNK * opt->dim * sizeof(double));
        if (!h->f || !h->iter || !h->st || (opt->opts.history == EO_HISTORY_FULL && !h->x)) {
            free(h->f);
            free(h->iter);
            free(h->st);
            free(h->x);
            return eo_error_set(err, EO_STATUS_NO_MEMORY,
                                "optimizer %s: history: out of memory", opt->vt->name);
        }
        opt->n_chunks++;
    }
    hist_chunk *h = &opt->chunks[c];
    h->f[o] = f;
    h->iter[o] = opt->iters;
    h->st[o] = (unsigned char)st;
    if (h->x)
        memcpy(h->x + o * opt->dim, x, opt->dim * sizeof(double));
    opt->hist_n++;
    return EO_STATUS_OK;
}

eo_status eo_optimizer_tell(eo_optimizer *opt, size_t n, const double *fitness,
                            const eo_eval_status *status, eo_error *err)
{
    if (!opt || !fitness)
        return eo_error_set(err, EO_STATUS_USAGE, "eo_optimizer_tell: NULL argument");
    if (!opt->pending)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimizer %s: tell without a pending batch (call ask first)",
                            opt->vt->name);
    if (n != opt->batch_n)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimizer %s: told %zu fitness values for a batch of %zu",
                            opt->vt->name, n, opt->batch_n);
    for (size_t i = 0; i < n; i++) {
        eo_eval_status s = status ? status[i] : EO_EVAL_OK;
        if (s != EO_EVAL_OK && s != EO_EVAL_FAILED && s != EO_EVAL_SKIPPED)
            return eo_error_set(err, EO_STATUS_USAGE,
                                "optimizer %s: candidate %zu has invalid status %d",
                                opt->vt->name, i, (int)s);
        if (s == EO_EVAL_OK && !isfinite(fitness[i]))
            return eo_error_set(err, EO_STATUS_NUMERIC,
                                "optimizer %s: candidate %zu has non-finite fitness %g; "
                                "tell it as EO_EVAL_FAILED",
                                opt->vt->name, i, fitness[i]);
    }
    /* algorithm view: failures are the worst possible value */
    double fstack[256];
    eo_eval_status sstack[256];
    double *f = fstack;
    eo_eval_status *sv = sstack;
    if (n > 256) {
        f = malloc(n * sizeof(double));
        sv = malloc(n * sizeof(eo_eval_status));
        if (!f || !sv) {
            free(f);
            free(sv);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory",
                                opt->vt->name);
        }
    }
    eo_status st = EO_STATUS_OK;
    for (size_t i = 0; i < n && !st; i++) {
        eo_eval_status s = status ? status[i] : EO_EVAL_OK;
        const double *xi = opt->batch + i * opt->dim;
        sv[i] = s;
        f[i] = s == EO_EVAL_OK ? fitness[i] : INFINITY;
        if (s == EO_EVAL_SKIPPED)
            continue;
        opt->evals++;
        if (s == EO_EVAL_FAILED)
            opt->failures++;
        st = hist_push(opt, xi, s == EO_EVAL_OK ? fitness[i] : NAN, s, err);
        if (s == EO_EVAL_OK && fitness[i] < opt->best_f) {
            opt->best_f = fitness[i];
            memcpy(opt->best_x, xi, opt->dim * sizeof(double));
            opt->has_best = 1;
        }
    }
    if (!st)
        st = opt->vt->tell(opt, opt->state, opt->batch, f, sv, n, err);
    opt->pending = 0;
    opt->iters++;
    if (f != fstack) {
        free(f);
        free(sv);
    }
    return st;
}

/* ---- budgets and the run loop ---- */
static int reached(const eo_optimizer *opt, const eo_budget *b, double extra_seconds)
{
    if (b->max_evals > 0 && opt->evals >= b->max_evals)
        return 1;
    if (b->max_iters > 0 && opt->iters >= b->max_iters)
        return 1;
    if (b->max_seconds > 0 && opt->seconds + extra_seconds >= b->max_seconds)
        return 1;
    if (b->has_target && opt->has_best && opt->best_f <= b->target)
        return 1;
    return 0;
}

int eo_optimizer_done(const eo_optimizer *opt, const eo_budget *budget)
{
    return reached(opt, budget ? budget : &opt->opts.budget, 0);
}

eo_status eo_optimizer_run(eo_optimizer *opt, eo_objective_fn fn, void *user,
                           const eo_budget *budget, eo_error *err)
{
    if (!opt || !fn)
        return eo_error_set(err, EO_STATUS_USAGE, "eo_optimizer_run: NULL argument");
    const eo_budget *b = budget ? budget : &opt->opts.budget;
    eo_status st = check_budget(b, opt->vt->name, err);
    if (st)
        return st;
    if (b->max_evals <= 0 && b->max_iters <= 0 && !(b->max_seconds > 0) && !b->has_target)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimizer %s: budget has no limit (set max_evals, max_iters, "
                            "max_seconds or target)",
                            opt->vt->name);
    size_t dim = opt->dim;
    double *vals = NULL, *fit = NULL;
    eo_eval_status *sts = NULL;
    size_t cap = 0;
    double t0 = eo_time_now();
    while (!reached(opt, b, eo_time_now() - t0)) {
        size_t n;
        const double *x;
        st = eo_optimizer_ask(opt, &n, &x, err);
        if (st)
            break;
        if (n > cap) {
            free(vals);
            free(fit);
            free(sts);
            vals = malloc(n * dim * sizeof(double));
            fit = malloc(n * sizeof(double));
            sts = malloc(n * sizeof(eo_eval_status));
            cap = n;
            if (!vals || !fit || !sts) {
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory",
                                  opt->vt->name);
                break;
            }
        }
        size_t m = n;
        if (b->max_evals > 0 && (long long)m > b->max_evals - opt->evals)
            m = (size_t)(b->max_evals - opt->evals);
        for (size_t i = 0; i < m; i++)
            eo_space_decode(opt->space, x + i * dim, vals + i * dim);
        if (opt->threads > 1 && m > 1) {
            long long mm = (long long)m;
#pragma omp parallel for num_threads(opt->threads) schedule(dynamic, 1)
            for (long long i = 0; i < mm; i++)
                fit[i] = fn(user, vals + (size_t)i * dim, dim);
        } else {
            for (size_t i = 0; i < m; i++)
                fit[i] = fn(user, vals + i * dim, dim);
        }
        for (size_t i = 0; i < n; i++) {
            if (i >= m) {
                sts[i] = EO_EVAL_SKIPPED;
                fit[i] = NAN;
            } else {
                sts[i] = isfinite(fit[i]) ? EO_EVAL_OK : EO_EVAL_FAILED;
            }
        }
        st = eo_optimizer_tell(opt, n, fit, sts, err);
        if (st)
            break;
    }
    opt->seconds += eo_time_now() - t0;
    free(vals);
    free(fit);
    free(sts);
    return st;
}

/* ---- results ---- */
eo_status eo_optimizer_best(const eo_optimizer *opt, double *fitness, double *x,
                            double *values, eo_error *err)
{
    if (fitness)
        *fitness = opt->best_f;
    if (!opt->has_best)
        return eo_error_set(err, EO_STATUS_NOT_FOUND,
                            "optimizer %s: no successful evaluation yet", opt->vt->name);
    if (x)
        memcpy(x, opt->best_x, opt->dim * sizeof(double));
    if (values)
        eo_space_decode(opt->space, opt->best_x, values);
    return EO_STATUS_OK;
}

size_t eo_optimizer_history_size(const eo_optimizer *opt) { return opt->hist_n; }

eo_status eo_optimizer_history_get(const eo_optimizer *opt, size_t i, eo_trial *out,
                                   eo_error *err)
{
    if (i >= opt->hist_n)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "optimizer %s: history index %zu out of range (size %zu)",
                            opt->vt->name, i, opt->hist_n);
    const hist_chunk *h = &opt->chunks[i >> CHUNK_BITS];
    size_t o = i & (CHUNK - 1);
    out->index = (long long)i;
    out->iteration = h->iter[o];
    out->fitness = h->f[o];
    out->status = (eo_eval_status)h->st[o];
    out->x = h->x ? h->x + o * opt->dim : NULL;
    return EO_STATUS_OK;
}

size_t eo_optimizer_best_curve(const eo_optimizer *opt, double *curve, size_t n)
{
    size_t m = n < opt->hist_n ? n : opt->hist_n;
    double best = INFINITY;
    for (size_t i = 0; i < m; i++) {
        const hist_chunk *h = &opt->chunks[i >> CHUNK_BITS];
        size_t o = i & (CHUNK - 1);
        if (h->st[o] == EO_EVAL_OK && h->f[o] < best)
            best = h->f[o];
        curve[i] = best;
    }
    return m;
}

/* ---- save / restore ---- */
static void put_str(eo_wbuf *w, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    eo_wbuf_u64(w, n);
    eo_wbuf_bytes(w, s, n);
}

eo_status eo_optimizer_save(const eo_optimizer *opt, unsigned char **data, size_t *n,
                            eo_error *err)
{
    if (!opt || !data || !n)
        return eo_error_set(err, EO_STATUS_USAGE, "eo_optimizer_save: NULL argument");
    eo_wbuf w = {0};
    eo_wbuf_bytes(&w, EO_OPT_MAGIC, 8);
    eo_wbuf_u64(&w, EO_OPT_VERSION);
    put_str(&w, opt->vt->name);
    eo_wbuf_u64(&w, eo_space_fingerprint(opt->space));
    eo_wbuf_u64(&w, opt->dim);
    /* options */
    eo_wbuf_u64(&w, opt->opts.seed);
    eo_wbuf_u64(&w, opt->opts.pop_size);
    eo_wbuf_u64(&w, (uint64_t)opt->opts.budget.max_evals);
    eo_wbuf_u64(&w, (uint64_t)opt->opts.budget.max_iters);
    eo_wbuf_f64(&w, opt->opts.budget.max_seconds);
    eo_wbuf_f64(&w, opt->opts.budget.target);
    eo_wbuf_u64(&w, (uint64_t)opt->opts.budget.has_target);
    eo_wbuf_u64(&w, (uint64_t)opt->opts.history);
    put_str(&w, opt->params);
    /* counters, rng, best */
    eo_wbuf_u64(&w, (uint64_t)opt->evals);
    eo_wbuf_u64(&w, (uint64_t)opt->failures);
    eo_wbuf_u64(&w, (uint64_t)opt->iters);
    eo_wbuf_f64(&w, opt->seconds);
    for (int i = 0; i < 4; i++)
        eo_wbuf_u64(&w, opt->rng.s[i]);
    eo_wbuf_f64(&w, opt->rng.spare_normal);
    eo_wbuf_u64(&w, (uint64_t)opt->rng.has_spare);
    eo_wbuf_u64(&w, (uint64_t)opt->has_best);
    eo_wbuf_f64(&w, opt->best_f);
    eo_wbuf_f64s(&w, opt->best_x, opt->dim);
    /* pending batch */
    eo_wbuf_u64(&w, (uint64_t)opt->pending);
    eo_wbuf_u64(&w, opt->pending ? opt->batch_n : 0);
    if (opt->pending)
        eo_wbuf_f64s(&w, opt->batch, opt->batch_n * opt->dim);
    /* history */
    eo_wbuf_u64(&w, opt->hist_n);
    for (size_t i = 0; i < opt->hist_n; i++) {
        const hist_chunk *h = &opt->chunks[i >> CHUNK_BITS];
        size_t o = i & (CHUNK - 1);
        eo_wbuf_u64(&w, (uint64_t)h->iter[o]);
        eo_wbuf_f64(&w, h->f[o]);
        eo_wbuf_bytes(&w, &h->st[o], 1);
        if (h->x)
            eo_wbuf_f64s(&w, h->x + o * opt->dim, opt->dim);
    }
    /* algorithm */
    eo_wbuf alg = {0};
    if (opt->vt->save)
        opt->vt->save(opt, opt->state, &alg);
    eo_wbuf_u64(&w, alg.len);
    eo_wbuf_bytes(&w, alg.data, alg.len);
    int alg_failed = alg.failed;
    free(alg.data);
    uint32_t crc = eo_crc32(0, w.data, w.len);
    eo_wbuf_bytes(&w, &crc, 4);
    if (w.failed || alg_failed) {
        free(w.data);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: save: out of memory",
                            opt->vt->name);
    }
    *data = w.data;
    *n = w.len;
    return EO_STATUS_OK;
}

static char *get_str(eo_rbuf *r)
{
    uint64_t n = eo_rbuf_u64(r);
    if (r->failed || n > r->len - r->pos || n > 1u << 20) {
        r->failed = 1;
        return NULL;
    }
    char *s = malloc(n + 1);
    if (!s) {
        r->failed = 1;
        return NULL;
    }
    eo_rbuf_bytes(r, s, n);
    s[n] = 0;
    return s;
}

eo_status eo_optimizer_restore(eo_optimizer *opt, const unsigned char *data, size_t n,
                               eo_error *err)
{
    if (!opt || !data)
        return eo_error_set(err, EO_STATUS_USAGE, "eo_optimizer_restore: NULL argument");
    const char *who = opt->vt->name;
    if (n < 12 || memcmp(data, EO_OPT_MAGIC, 8) != 0)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "optimizer %s: restore: not an optimizer state (bad magic)", who);
    uint32_t crc;
    memcpy(&crc, data + n - 4, 4);
    if (eo_crc32(0, data, n - 4) != crc)
        return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                            "optimizer %s: restore: state is corrupt (CRC mismatch)", who);
    eo_rbuf r = {data, n - 4, 8, 0};
    uint64_t ver = eo_rbuf_u64(&r);
    if (ver != EO_OPT_VERSION)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "optimizer %s: restore: state version %llu not supported (this is %u)",
                            who, (unsigned long long)ver, EO_OPT_VERSION);
    char *name = get_str(&r);
    if (!name || strcmp(name, who) != 0) {
        eo_status st = eo_error_set(err, EO_STATUS_USAGE,
                                    "optimizer %s: restore: state belongs to optimizer '%s'",
                                    who, name ? name : "?");
        free(name);
        return st;
    }
    free(name);
    uint64_t fp = eo_rbuf_u64(&r), dim = eo_rbuf_u64(&r);
    if (fp != eo_space_fingerprint(opt->space) || dim != opt->dim)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "optimizer %s: restore: state was saved for a different search space",
                            who);
    eo_opt_options o;
    eo_opt_options_defaults(&o);
    o.seed = eo_rbuf_u64(&r);
    o.pop_size = eo_rbuf_u64(&r);
    o.budget.max_evals = (long long)eo_rbuf_u64(&r);
    o.budget.max_iters = (long long)eo_rbuf_u64(&r);
    o.budget.max_seconds = eo_rbuf_f64(&r);
    o.budget.target = eo_rbuf_f64(&r);
    o.budget.has_target = (int)eo_rbuf_u64(&r);
    o.history = (eo_history_level)eo_rbuf_u64(&r);
    char *params = get_str(&r);
    if (r.failed) {
        free(params);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "optimizer %s: restore: truncated state",
                            who);
    }
    o.params = params;
    eo_optimizer *t = NULL;
    eo_status st = eo_optimizer_create(who, opt->space, &o, &t, err);
    free(params);
    if (st) {
        eo_error_prefix(err, "restore");
        return st;
    }
    t->evals = (long long)eo_rbuf_u64(&r);
    t->failures = (long long)eo_rbuf_u64(&r);
    t->iters = (long long)eo_rbuf_u64(&r);
    t->seconds = eo_rbuf_f64(&r);
    for (int i = 0; i < 4; i++)
        t->rng.s[i] = eo_rbuf_u64(&r);
    t->rng.spare_normal = eo_rbuf_f64(&r);
    t->rng.has_spare = (int)eo_rbuf_u64(&r);
    t->has_best = (int)eo_rbuf_u64(&r);
    t->best_f = eo_rbuf_f64(&r);
    eo_rbuf_f64s(&r, t->best_x, t->dim);
    t->pending = (int)eo_rbuf_u64(&r);
    uint64_t bn = eo_rbuf_u64(&r);
    if (t->pending) {
        if (r.failed || bn == 0 || bn > (r.len - r.pos) / 8 / t->dim) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "optimizer %s: restore: bad batch",
                              who);
            goto fail;
        }
        if (!eo_opt_batch(t, (size_t)bn, err)) {
            st = EO_STATUS_NO_MEMORY;
            goto fail;
        }
        eo_rbuf_f64s(&r, t->batch, (size_t)bn * t->dim);
    }
    uint64_t hn = eo_rbuf_u64(&r);
    if (r.failed || hn > (r.len - r.pos) / 17) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "optimizer %s: restore: bad history",
                          who);
        goto fail;
    }
    {
        double *xb = malloc(t->dim * sizeof(double));
        if (!xb) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "optimizer %s: out of memory", who);
            goto fail;
        }
        for (uint64_t i = 0; i < hn && !r.failed; i++) {
            long long it = (long long)eo_rbuf_u64(&r);
            double f = eo_rbuf_f64(&r);
            unsigned char s;
            eo_rbuf_bytes(&r, &s, 1);
            if (o.history == EO_HISTORY_FULL)
                eo_rbuf_f64s(&r, xb, t->dim);
            long long save_it = t->iters;
            t->iters = it;
            st = hist_push(t, xb, f, (eo_eval_status)s, err);
            t->iters = save_it;
            if (st)
                break;
        }
        free(xb);
        if (st)
            goto fail;
    }
    uint64_t alen = eo_rbuf_u64(&r);
    if (r.failed || alen != r.len - r.pos) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                          "optimizer %s: restore: truncated or oversized state", who);
        goto fail;
    }
    if (t->vt->load) {
        eo_rbuf ar = {r.data + r.pos, (size_t)alen, 0, 0};
        st = t->vt->load(t, t->state, &ar, err);
        if (st)
            goto fail;
        if (ar.failed || ar.pos != ar.len) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                              "optimizer %s: restore: bad algorithm state", who);
            goto fail;
        }
    }
    /* swap t into opt */
    {
        eo_optimizer tmp = *opt;
        *opt = *t;
        *t = tmp;
        int th = t->threads;
        opt->threads = th;
    }
    eo_optimizer_destroy(t);
    return EO_STATUS_OK;
fail:
    eo_optimizer_destroy(t);
    return st;
}
