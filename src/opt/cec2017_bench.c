/* The CEC 2017 benchmarking protocol (Awad et al. 2016, section 3: runs per
 * function, MaxFES = 10000 D, errors below 1e-8 taken as 0) over the
 * optimiser registry, spread over worker threads.  Each task is one (function,
 * algorithm, run); its seed depends only on (seed, function, run), so results
 * do not depend on the number of workers or on the order tasks finish. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/cec2017.h"
#include "ecgopt/opt.h"
#include "ecgopt/stats.h"

void eo_cec_bench_options_defaults(eo_cec_bench_options *o)
{
    memset(o, 0, sizeof *o);
    o->dim = 10;
    o->runs = 51;
    o->seed = 1;
    o->curve_points = 51;
}

void eo_cec_bench_result_destroy(eo_cec_bench_result *r)
{
    if (!r)
        return;
    if (r->algorithms)
        for (size_t a = 0; a < r->n_alg; a++)
            free(r->algorithms[a]);
    free(r->algorithms);
    free(r->functions);
    free(r->error);
    free(r->curve);
    free(r->curve_evals);
    free(r);
}

static uint64_t mix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

typedef struct shared {
    const eo_cec_bench_options *o;
    eo_cec_bench_result *r;
    char dir[4096];
    size_t n_tasks;
    size_t next, done;
    int stop;
    eo_status st;
    eo_error err;
    pthread_mutex_t mu;
} shared;

typedef struct run_ctx {
    eo_cec2017 *p;
    double fstar;
    long long evals;
    double best;
    const long long *marks;
    size_t n_marks, next_mark;
    double *curve;
} run_ctx;

static double objective(void *user, const double *v, size_t dim)
{
    (void)dim;
    run_ctx *c = user;
    double f = eo_cec2017_eval(c->p, v);
    double e = f - c->fstar;
    if (e < c->best)
        c->best = e;
    c->evals++;
    while (c->next_mark < c->n_marks && c->evals >= c->marks[c->next_mark])
        c->curve[c->next_mark++] = c->best < 1e-8 ? 0.0 : c->best;
    return f;
}

static eo_status one_run(shared *s, size_t task, eo_error *err)
{
    const eo_cec_bench_options *o = s->o;
    eo_cec_bench_result *r = s->r;
    size_t runs = (size_t)r->runs;
    size_t fi = task / (r->n_alg * runs), rest = task % (r->n_alg * runs);
    size_t ai = rest / runs, ri = rest % runs;
    int func = r->functions[fi];
    eo_cec2017 *p = NULL;
    eo_space *sp = NULL;
    eo_optimizer *opt = NULL;
    eo_status st = eo_cec2017_create(&p, func, r->dim, s->dir, err);
    if (!st)
        st = eo_space_create(&sp, err);
    if (!st)
        st = eo_space_add_box(sp, (size_t)r->dim, EO_CEC2017_LOWER, EO_CEC2017_UPPER, err);
    if (!st) {
        eo_opt_options oo;
        eo_opt_options_defaults(&oo);
        uint64_t run_no = (uint64_t)ri + (uint64_t)r->first_run;
        oo.seed = mix64(o->seed ^ mix64(((uint64_t)func << 32) | run_no));
        oo.budget.max_evals = r->max_evals;
        oo.history = EO_HISTORY_NONE;
        st = eo_optimizer_create(r->algorithms[ai], sp, &oo, &opt, err);
    }
    if (!st) {
        size_t idx = (fi * r->n_alg + ai) * runs + ri;
        run_ctx c = {p, eo_cec2017_optimum(p), 0, INFINITY, r->curve_evals, r->curve_points, 0,
                     r->curve + idx * r->curve_points};
        st = eo_optimizer_run(opt, objective, &c, NULL, err);
        if (!st) {
            double e = c.best < 1e-8 ? 0.0 : c.best;
            while (c.next_mark < c.n_marks)
                c.curve[c.next_mark++] = e;
            r->error[idx] = e;
            pthread_mutex_lock(&s->mu);
            r->total_evals += c.evals;
            pthread_mutex_unlock(&s->mu);
        }
    }
    if (st)
        eo_error_prefix(err, "F%d D=%d %s run %zu", func, r->dim, r->algorithms[ai], ri + 1);
    eo_optimizer_destroy(opt);
    eo_space_destroy(sp);
    eo_cec2017_destroy(p);
    return st;
}

static void *worker(void *arg)
{
    shared *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->mu);
        if (s->stop || s->next >= s->n_tasks) {
            pthread_mutex_unlock(&s->mu);
            return NULL;
        }
        size_t t = s->next++;
        pthread_mutex_unlock(&s->mu);
        eo_error e;
        eo_error_clear(&e);
        eo_status st = one_run(s, t, &e);
        pthread_mutex_lock(&s->mu);
        s->done++;
        if (st && !s->st) {
            s->st = st;
            s->err = e;
            s->stop = 1;
        }
        if (!s->stop && s->o->progress &&
            s->o->progress(s->o->progress_user, (double)s->done, (double)s->n_tasks,
                           "cec2017 runs")) {
            s->stop = 1;
            if (!s->st) {
                s->st = EO_STATUS_INTERNAL;
                eo_error_set(&s->err, EO_STATUS_INTERNAL, "cec2017 protocol: interrupted");
            }
        }
        pthread_mutex_unlock(&s->mu);
    }
}

eo_status eo_cec_bench_run(const eo_cec_bench_options *o, eo_cec_bench_result **out,
                           eo_error *err)
{
    if (!o || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "cec2017 protocol: NULL argument");
    *out = NULL;
    if (o->runs < 1 || o->n_functions == 0 || o->n_algorithms == 0 || !o->functions ||
        !o->algorithms)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "cec2017 protocol: needs >= 1 run, function and algorithm");
    if (o->first_run < 0)
        return eo_error_set(err, EO_STATUS_USAGE, "cec2017 protocol: first_run %d < 0",
                            o->first_run);
    if (o->max_evals < 0)
        return eo_error_set(err, EO_STATUS_USAGE, "cec2017 protocol: max_evals %lld < 0",
                            o->max_evals);
    for (size_t a = 0; a < o->n_algorithms; a++)
        if (!o->algorithms[a] || !eo_optimizer_summary(o->algorithms[a]))
            return eo_error_set(err, EO_STATUS_NOT_FOUND,
                                "cec2017 protocol: unknown algorithm '%s'",
                                o->algorithms[a] ? o->algorithms[a] : "(null)");
    shared *s = calloc(1, sizeof *s);
    eo_cec_bench_result *r = calloc(1, sizeof *r);
    if (!s || !r) {
        free(s);
        free(r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "cec2017 protocol: out of memory");
    }
    eo_status st = eo_cec2017_find_dir(o->data_dir, s->dir, sizeof s->dir, err);
    /* check every function's data once, before any run */
    for (size_t f = 0; !st && f < o->n_functions; f++) {
        eo_cec2017 *p = NULL;
        st = eo_cec2017_create(&p, o->functions[f], o->dim, s->dir, err);
        eo_cec2017_destroy(p);
    }
    if (st) {
        free(s);
        free(r);
        return st;
    }
    r->n_alg = o->n_algorithms;
    r->n_fun = o->n_functions;
    r->runs = o->runs;
    r->first_run = o->first_run;
    r->dim = o->dim;
    r->max_evals = o->max_evals > 0 ? o->max_evals : 10000LL * o->dim;
    r->curve_points = o->curve_points ? o->curve_points : 51;
    size_t nres = r->n_fun * r->n_alg * (size_t)r->runs;
    r->functions = malloc(sizeof(int) * r->n_fun);
    r->algorithms = calloc(r->n_alg, sizeof(char *));
    r->error = malloc(sizeof(double) * nres);
    r->curve = malloc(sizeof(double) * nres * r->curve_points);
    r->curve_evals = malloc(sizeof(long long) * r->curve_points);
    int ok = r->functions && r->algorithms && r->error && r->curve && r->curve_evals;
    for (size_t a = 0; ok && a < r->n_alg; a++)
        ok = (r->algorithms[a] = strdup(o->algorithms[a])) != NULL;
    if (!ok) {
        eo_cec_bench_result_destroy(r);
        free(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "cec2017 protocol: out of memory");
    }
    memcpy(r->functions, o->functions, sizeof(int) * r->n_fun);
    /* curve checkpoints: evenly spaced, the last at max_evals */
    for (size_t c = 0; c < r->curve_points; c++) {
        long long e = (long long)llround((double)r->max_evals * (double)(c + 1) /
                                         (double)r->curve_points);
        r->curve_evals[c] = e < 1 ? 1 : e;
    }
    s->o = o;
    s->r = r;
    s->n_tasks = nres;
    pthread_mutex_init(&s->mu, NULL);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int nw = o->workers > 0 ? o->workers : (ncpu > 0 ? (int)ncpu : 1);
    if ((size_t)nw > nres)
        nw = (int)nres;
    pthread_t *th = malloc(sizeof(pthread_t) * (size_t)nw);
    double t0 = eo_time_now();
    int started = 0;
    if (th)
        for (; started < nw; started++)
            if (pthread_create(&th[started], NULL, worker, s) != 0)
                break;
    if (started == 0)
        worker(s); /* no threads: run everything here */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    r->seconds = eo_time_now() - t0;
    pthread_mutex_destroy(&s->mu);
    st = s->st;
    if (st) {
        if (err)
            *err = s->err;
        eo_cec_bench_result_destroy(r);
    } else {
        *out = r;
    }
    free(s);
    return st;
}

eo_status eo_cec_bench_summary(const eo_cec_bench_result *r, size_t ref, double *mean,
                               double *std, double *friedman, double *pvalue, int *sign,
                               double *overall_p, eo_error *err)
{
    if (!r || ref >= r->n_alg)
        return eo_error_set(err, EO_STATUS_USAGE, "cec2017 summary: bad reference algorithm");
    size_t A = r->n_alg, F = r->n_fun, R = (size_t)r->runs;
    eo_status st = EO_STATUS_OK;
    for (size_t f = 0; f < F && !st; f++)
        for (size_t a = 0; a < A && !st; a++) {
            const double *e = r->error + (f * A + a) * R;
            st = eo_stats_mean_std(e, R, &mean[f * A + a], &std[f * A + a], err);
        }
    for (size_t f = 0; f < F && !st; f++)
        for (size_t a = 0; a < A && !st; a++) {
            const double *e = r->error + (f * A + a) * R, *er = r->error + (f * A + ref) * R;
            double p = 1.0;
            if (a != ref)
                st = eo_stats_wilcoxon(e, er, R, NULL, &p, NULL, err);
            if (pvalue)
                pvalue[f * A + a] = p;
            if (sign) {
                double ma = mean[f * A + a], mr = mean[f * A + ref];
                sign[f * A + a] = (a == ref || !(p < 0.05)) ? 0 : (mr < ma ? 1 : -1);
            }
        }
    if (!st && friedman) {
        if (A >= 2)
            st = eo_stats_friedman(mean, F, A, friedman, NULL, NULL, err);
        else
            friedman[0] = 1.0;
    }
    if (!st && overall_p) {
        double *x = malloc(sizeof(double) * F), *y = malloc(sizeof(double) * F);
        if (!x || !y) {
            free(x);
            free(y);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "cec2017 summary: out of memory");
        }
        for (size_t a = 0; a < A && !st; a++) {
            for (size_t f = 0; f < F; f++) {
                x[f] = mean[f * A + a];
                y[f] = mean[f * A + ref];
            }
            overall_p[a] = 1.0;
            if (a != ref)
                st = eo_stats_wilcoxon(x, y, F, NULL, &overall_p[a], NULL, err);
        }
        free(x);
        free(y);
    }
    return st;
}

/* ---- reloading errors.csv files ---- */
typedef struct err_row {
    int func, run;
    size_t alg;
    double e;
} err_row;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

eo_status eo_cec_bench_load_errors(const char *const *paths, size_t n_paths,
                                   eo_cec_bench_result **out, eo_error *err)
{
    if (!paths || !out || n_paths == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "cec2017 summary: no errors.csv given");
    *out = NULL;
    err_row *rows = NULL;
    size_t nr = 0, cap = 0;
    char *algs[32];
    size_t na = 0;
    int dim = -1;
    eo_status st = EO_STATUS_OK;
    for (size_t k = 0; k < n_paths && !st; k++) {
        FILE *fp = fopen(paths[k], "r");
        if (!fp) {
            st = eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: cannot open", paths[k]);
            break;
        }
        char line[512];
        long ln = 0;
        while (!st && fgets(line, sizeof line, fp)) {
            ln++;
            if (ln == 1) {
                if (strncmp(line, "function,dim,algorithm,run,error", 32) != 0)
                    st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                      "%s: not an errors.csv (header '%.40s')", paths[k], line);
                continue;
            }
            int f, d, run;
            char name[64];
            double e;
            if (sscanf(line, "%d,%d,%63[^,],%d,%lf", &f, &d, name, &run, &e) != 5 || f < 1 ||
                f > 30 || run < 1 || !(e >= 0)) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: line %ld: malformed",
                                  paths[k], ln);
                break;
            }
            if (dim < 0)
                dim = d;
            if (d != dim) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s: line %ld: D=%d differs from D=%d", paths[k], ln, d, dim);
                break;
            }
            size_t a;
            for (a = 0; a < na && strcmp(algs[a], name) != 0; a++)
                ;
            if (a == na) {
                if (na == 32 || !(algs[na] = strdup(name))) {
                    st = eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                      "%s: too many algorithms (32) or out of memory", paths[k]);
                    break;
                }
                na++;
            }
            if (nr == cap) {
                size_t nc = cap ? 2 * cap : 1024;
                err_row *nrw = realloc(rows, nc * sizeof *nrw);
                if (!nrw) {
                    st = eo_error_set(err, EO_STATUS_NO_MEMORY, "cec2017 summary: out of memory");
                    break;
                }
                rows = nrw;
                cap = nc;
            }
            rows[nr++] = (err_row){f, run, a, e};
        }
        fclose(fp);
    }
    eo_cec_bench_result *r = NULL;
    int funcs[31], nf = 0, runs = 0;
    if (!st && nr == 0)
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "cec2017 summary: no results in the files");
    if (!st) {
        int seen[31] = {0};
        for (size_t i = 0; i < nr; i++) {
            if (!seen[rows[i].func])
                funcs[nf++] = rows[i].func;
            seen[rows[i].func] = 1;
            if (rows[i].run > runs)
                runs = rows[i].run;
        }
        qsort(funcs, (size_t)nf, sizeof(int), cmp_int);
        if ((size_t)nf * na * (size_t)runs != nr)
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                              "cec2017 summary: %zu results, expected %d functions x %zu "
                              "algorithms x %d runs (incomplete or duplicated rows)",
                              nr, nf, na, runs);
    }
    if (!st) {
        r = calloc(1, sizeof *r);
        if (r) {
            r->n_alg = na;
            r->n_fun = (size_t)nf;
            r->runs = runs;
            r->dim = dim;
            r->functions = malloc(sizeof(int) * (size_t)nf);
            r->algorithms = calloc(na, sizeof(char *));
            r->error = malloc(sizeof(double) * nr);
        }
        if (!r || !r->functions || !r->algorithms || !r->error)
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "cec2017 summary: out of memory");
    }
    if (!st) {
        memcpy(r->functions, funcs, sizeof(int) * (size_t)nf);
        for (size_t a = 0; a < na; a++) {
            r->algorithms[a] = algs[a];
            algs[a] = NULL;
        }
        for (size_t i = 0; i < nr; i++)
            r->error[i] = NAN;
        for (size_t i = 0; i < nr && !st; i++) {
            int fi = 0;
            while (r->functions[fi] != rows[i].func)
                fi++;
            size_t idx = ((size_t)fi * na + rows[i].alg) * (size_t)runs + (size_t)(rows[i].run - 1);
            if (!isnan(r->error[idx]))
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "cec2017 summary: F%d %s run %d appears twice", rows[i].func,
                                  r->algorithms[rows[i].alg], rows[i].run);
            r->error[idx] = rows[i].e;
        }
    }
    for (size_t a = 0; a < na; a++)
        free(algs[a]);
    free(rows);
    if (st) {
        eo_cec_bench_result_destroy(r);
        return st;
    }
    *out = r;
    return EO_STATUS_OK;
}
