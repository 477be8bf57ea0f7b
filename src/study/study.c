/* Study driver: ask a batch, take what the database already has (resume)
 * or the cache has, evaluate the rest in worker processes, store each trial
 * as it finishes, tell, checkpoint the optimiser state.  See study.h. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/version.h"
#include "study/study_internal.h"

struct eo_study {
    sqlite3 *db;
    char path[4096];
    eo_objective *obj;
    eo_study_options o;
    char optimizer[32];
    eo_optimizer *opt;
    eo_budget budget;
    long long run_id;
    uint64_t data_seed;
    double seconds_before;
    long long done;
    long long total;
    double best;
};

void eo_study_defaults(eo_study_options *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->workers = 1;
    o->timeout_s = -1;
    o->use_cache = 1;
    o->sh_rungs = 1;
    o->sh_eta = 3;
}

static long long sh_trials_per_batch(size_t n, int rungs, double eta);

static void space_describe(const eo_space *sp, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < eo_space_dim(sp) && used + 1 < n; i++) {
        double lo, hi;
        eo_space_bounds(sp, i, &lo, &hi);
        const char *kind = eo_space_kind(sp, i) == EO_PARAM_CONTINUOUS ? "real"
                           : eo_space_kind(sp, i) == EO_PARAM_INTEGER  ? "int"
                                                                       : "cat";
        int k = snprintf(buf + used, n - used, "%s%s %s [%g, %g]%s", i ? "; " : "", kind,
                         eo_space_name(sp, i), lo, hi, eo_space_is_log(sp, i) ? " log" : "");
        if (k < 0)
            break;
        used += (size_t)k;
    }
}

eo_status eo_study_open(const char *path, eo_objective *obj, const eo_study_options *o,
                        int resume, eo_study **out, eo_error *err)
{
    *out = NULL;
    if (!path || !*path || !obj)
        return eo_error_set(err, EO_STATUS_USAGE, "study: no database path or objective");
    eo_study_options opts;
    if (o)
        opts = *o;
    else
        eo_study_defaults(&opts);
    const eo_space *space = eo_objective_space(obj);
    if (eo_space_dim(space) == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "study: objective %s has an empty space",
                            eo_objective_name(obj));
    if (eo_space_dim(space) > 32)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED, "study: objective %s has %zu dimensions (at most 32)",
                            eo_objective_name(obj), eo_space_dim(space));
    if (opts.workers < 0 || opts.workers > 256)
        return eo_error_set(err, EO_STATUS_USAGE, "study: workers %d out of range 0..256",
                            opts.workers);
    if (opts.sh_rungs < 0 || opts.sh_rungs > 8)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "study: successive-halving rungs %d out of range 1..8", opts.sh_rungs);
    if (opts.sh_rungs > 1 && !(opts.sh_eta >= 1.5 && opts.sh_eta <= 100))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "study: successive-halving eta %g out of range [1.5, 100]", opts.sh_eta);
    eo_study *s = calloc(1, sizeof *s);
    if (!s)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "study: out of memory");
    snprintf(s->path, sizeof s->path, "%s", path);
    s->obj = obj;
    s->o = opts;
    s->best = INFINITY;
    snprintf(s->optimizer, sizeof s->optimizer, "%s",
             opts.optimizer && *opts.optimizer ? opts.optimizer
                                               : eo_objective_default_optimizer(obj));
    if (opts.pop_size == 0)
        s->o.pop_size = eo_objective_default_pop(obj);
    /* the default iterations are also the schedule horizon of a run limited
     * only by wall seconds */
    if (opts.max_iters == 0 && opts.max_evals == 0)
        s->o.max_iters = eo_objective_default_iters(obj);
    if (s->o.timeout_s < 0)
        s->o.timeout_s = eo_objective_default_timeout(obj);
    memset(&s->budget, 0, sizeof s->budget);
    s->budget.max_iters = s->o.max_iters;
    s->budget.max_evals = s->o.max_evals;
    if (s->budget.max_iters == 0 && s->budget.max_evals == 0) {
        eo_study_close(s);
        return eo_error_set(err, EO_STATUS_USAGE,
                            "study: set an evaluation or iteration budget (a wall-clock budget alone "
                            "has no schedule horizon)");
    }

    /* create the optimiser first: an unknown name must not create a file */
    eo_opt_options oo;
    eo_opt_options_defaults(&oo);
    oo.seed = s->o.seed;
    oo.pop_size = s->o.pop_size;
    oo.budget = s->budget;
    oo.history = EO_HISTORY_FITNESS;
    oo.params = s->o.opt_params;
    eo_status st = eo_optimizer_create(s->optimizer, space, &oo, &s->opt, err);
    if (st != EO_STATUS_OK) {
        eo_study_close(s);
        return st;
    }

    int created = 0;
    st = eo_store_open(path, 0, &s->db, &created, err);
    if (st != EO_STATUS_OK) {
        eo_study_close(s);
        return st;
    }
    char fp[32], desc[4096], buf[4096];
    snprintf(fp, sizeof fp, "%016" PRIx64, eo_space_fingerprint(space));
    space_describe(space, desc, sizeof desc);
    if (created) {
        char ds[32];
        snprintf(ds, sizeof ds, "%" PRIu64, s->o.seed);
        st = eo_store_meta_set(s->db, path, "objective", eo_objective_name(obj), err);
        if (st == EO_STATUS_OK)
            st = eo_store_meta_set(s->db, path, "space_fingerprint", fp, err);
        if (st == EO_STATUS_OK)
            st = eo_store_meta_set(s->db, path, "space", desc, err);
        if (st == EO_STATUS_OK)
            st = eo_store_meta_set(s->db, path, "data_seed", ds, err);
        for (size_t i = 0; st == EO_STATUS_OK && i < eo_space_dim(space); i++) {
            char key[32];
            snprintf(key, sizeof key, "dim%zu", i);
            st = eo_store_meta_set(s->db, path, key, eo_space_name(space, i), err);
        }
        snprintf(buf, sizeof buf, "%zu", eo_space_dim(space));
        if (st == EO_STATUS_OK)
            st = eo_store_meta_set(s->db, path, "dim", buf, err);
        s->data_seed = s->o.seed;
    } else {
        int found = 0;
        st = eo_store_meta_get(s->db, path, "objective", buf, sizeof buf, &found, err);
        if (st == EO_STATUS_OK && (!found || strcmp(buf, eo_objective_name(obj)) != 0))
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                              "%s: holds a study of objective '%s', not '%s' (use another --study file)",
                              path, found ? buf : "?", eo_objective_name(obj));
        if (st == EO_STATUS_OK)
            st = eo_store_meta_get(s->db, path, "space_fingerprint", buf, sizeof buf, &found, err);
        if (st == EO_STATUS_OK && (!found || strcmp(buf, fp) != 0)) {
            char theirs[1024] = "?";
            int f2 = 0;
            eo_store_meta_get(s->db, path, "space", theirs, sizeof theirs, &f2, NULL);
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                              "%s: study is for another search space (%s), not this one (%s)",
                              path, theirs, desc);
        }
        if (st == EO_STATUS_OK)
            st = eo_store_meta_get(s->db, path, "data_seed", buf, sizeof buf, &found, err);
        if (st == EO_STATUS_OK)
            s->data_seed = found ? strtoull(buf, NULL, 10) : 1;
    }
    if (st != EO_STATUS_OK) {
        eo_study_close(s);
        return st;
    }

    unsigned char *state = NULL;
    size_t state_n = 0;
    st = eo_store_run_find(s->db, path, s->optimizer, s->o.seed, &s->run_id, &state, &state_n,
                           &s->seconds_before, err);
    if (st == EO_STATUS_OK && s->run_id >= 0 && !resume)
        st = eo_error_set(err, EO_STATUS_USAGE,
                          "%s: already has a run of %s with seed %" PRIu64
                          "; pass --resume to continue it (nothing was changed)",
                          path, s->optimizer, s->o.seed);
    /* The successive-halving settings fix where each rung's trials sit in
     * a batch, so a run resumes only with the settings it started with. */
    char shkey[160], shval[64];
    snprintf(shkey, sizeof shkey, "sh:%s:%" PRIu64, s->optimizer, s->o.seed);
    if (s->o.sh_rungs > 1)
        snprintf(shval, sizeof shval, "rungs %d, eta %g", s->o.sh_rungs, s->o.sh_eta);
    else
        snprintf(shval, sizeof shval, "none");
    if (st == EO_STATUS_OK && s->run_id >= 0) {
        int shfound = 0;
        st = eo_store_meta_get(s->db, path, shkey, buf, sizeof buf, &shfound, err);
        if (st == EO_STATUS_OK && shfound && strcmp(buf, shval) != 0)
            st = eo_error_set(err, EO_STATUS_USAGE,
                              "%s: run %s seed %" PRIu64 " was started with successive halving "
                              "'%s', not '%s'; resume it with the same --sh-rungs/--sh-eta "
                              "(nothing was changed)",
                              path, s->optimizer, s->o.seed, buf, shval);
    }
    if (st == EO_STATUS_OK && state) {
        st = eo_optimizer_restore(s->opt, state, state_n, err);
        if (st != EO_STATUS_OK)
            eo_error_prefix(err, "%s: checkpoint of run %s", path, s->optimizer);
    }
    free(state);
    if (st == EO_STATUS_OK && s->run_id < 0) {
        st = eo_store_run_insert(s->db, path, s->optimizer, s->o.seed, (long long)s->o.pop_size,
                                 s->o.opt_params, &s->run_id, err);
        if (st == EO_STATUS_OK)
            st = eo_store_meta_set(s->db, path, shkey, shval, err);
    }
    if (st != EO_STATUS_OK) {
        eo_study_close(s);
        return st;
    }
    /* restore keeps the saved budget; the caller's budget may extend it */
    s->done = eo_store_trial_count(s->db, s->run_id);
    eo_study_trial b;
    int found = 0;
    if (eo_store_best(s->db, path, s->run_id, &b, &found, NULL) == EO_STATUS_OK && found)
        s->best = b.fitness;
    long long pop = (long long)eo_opt_pop(s->opt);
    s->total = s->budget.max_evals ? s->budget.max_evals : s->budget.max_iters * pop;
    if (s->o.sh_rungs > 1 && pop > 0)
        s->total = (s->total + pop - 1) / pop * sh_trials_per_batch((size_t)pop, s->o.sh_rungs, s->o.sh_eta);
    *out = s;
    return EO_STATUS_OK;
}

void eo_study_close(eo_study *s)
{
    if (!s)
        return;
    eo_optimizer_destroy(s->opt);
    eo_store_close(s->db);
    free(s);
}

long long eo_study_trials_done(const eo_study *s)
{
    return s ? s->done : 0;
}

long long eo_study_run_id(const eo_study *s)
{
    return s ? s->run_id : -1;
}

/* context of one rung of a batch for the pool callback */
typedef struct batch_ctx {
    eo_study *s;
    long long iteration;
    long long pos_base; /* stored position = pos_base + batch index */
    size_t dim;
    size_t *pos;        /* item -> batch index */
    char (*keys)[1024]; /* cache keys (with the fidelity) by batch index */
    double *fitness;
    eo_eval_status *est;
    eo_status st;
    eo_error err;
} batch_ctx;

static int full_fidelity(double f)
{
    return !(f < 1.0 - 1e-9);
}

static eo_status store_trial(eo_study *s, eo_study_trial *t, const char *error_msg,
                             const char *key, eo_error *err)
{
    t->number = s->done;
    eo_status st = eo_store_trial_put(s->db, s->path, t, eo_objective_space(s->obj),
                                      eo_space_dim(eo_objective_space(s->obj)), error_msg,
                                      s->o.use_cache ? key : NULL, err);
    if (st != EO_STATUS_OK)
        return st;
    s->done++;
    /* only full-fidelity results compete for the best (a low rung is a
     * cheaper, different measurement) */
    if (t->status == EO_TRIAL_OK && full_fidelity(t->fidelity) && t->fitness < s->best)
        s->best = t->fitness;
    if (s->o.on_trial)
        s->o.on_trial(s->o.user, t, s->done, s->total, s->best);
    return EO_STATUS_OK;
}

static void on_done(void *user, size_t i, eo_pool_item *it)
{
    batch_ctx *c = user;
    if (c->st != EO_STATUS_OK)
        return;
    size_t p = c->pos[i];
    eo_study_trial t;
    memset(&t, 0, sizeof t);
    t.run = c->s->run_id;
    t.iteration = c->iteration;
    t.position = c->pos_base + (long long)p;
    memcpy(t.values, it->values, c->dim * sizeof(double));
    t.status = it->status;
    t.fitness = it->status == EO_TRIAL_OK ? it->result.fitness : NAN;
    /* the scheduled fidelity is what the trial (and its cache key) stands for */
    t.fidelity = it->fidelity;
    t.wall_s = it->wall_s;
    t.seed = it->seed;
    memcpy(t.aux, it->result.aux, sizeof t.aux);
    snprintf(t.info, sizeof t.info, "%s", it->status == EO_TRIAL_OK ? it->result.info : it->error);
    c->st = store_trial(c->s, &t, it->error, c->keys[p], &c->err);
    c->fitness[p] = t.fitness;
    c->est[p] = t.status == EO_TRIAL_OK ? EO_EVAL_OK : EO_EVAL_FAILED;
}

/* Evaluate the batch members idx[0..m) (indices into the batch of n, decoded
 * values in vals) at `fidelity`, storing each as trial (iteration,
 * pos_base + index).  Each member is taken, in this order, from the
 * database (a resumed batch), from an earlier member with the same
 * configuration, from the cache (key: configuration and fidelity), or
 * evaluated.  fit[i] / est[i] receive the results by batch index. */
static eo_status eval_set(eo_study *s, long long iteration, const double *vals,
                          char (*base_keys)[1024], size_t n, const size_t *idx, size_t m,
                          long long pos_base, double fidelity, double *fit, eo_eval_status *est,
                          eo_error *err)
{
    const eo_space *space = eo_objective_space(s->obj);
    size_t dim = eo_space_dim(space);
    batch_ctx c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.iteration = iteration;
    c.pos_base = pos_base;
    c.dim = dim;
    c.fitness = fit;
    c.est = est;
    c.keys = malloc(n * sizeof *c.keys);
    c.pos = malloc((m ? m : 1) * sizeof(size_t));
    long *dup = malloc(n * sizeof(long));
    eo_pool_item *items = calloc(m ? m : 1, sizeof *items);
    eo_status st = EO_STATUS_OK;
    if (!c.keys || !c.pos || !dup || !items) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "study: out of memory");
        goto end;
    }
    for (size_t i = 0; i < n; i++) {
        dup[i] = -1;
        /* full fidelity keeps the plain key, so older study files' caches
         * stay valid; a lower rung is a different measurement */
        if (full_fidelity(fidelity))
            snprintf(c.keys[i], sizeof c.keys[i], "%s", base_keys[i]);
        else
            snprintf(c.keys[i], sizeof c.keys[i], "%s@%.17g", base_keys[i], fidelity);
    }
    size_t n_eval = 0;
    for (size_t k = 0; k < m; k++) {
        size_t i = idx[k];
        fit[i] = NAN;
        est[i] = EO_EVAL_FAILED;
        /* 1. already in the database (resumed batch) */
        eo_study_trial t;
        int found = 0;
        st = eo_store_trial_get(s->db, s->path, s->run_id, iteration, pos_base + (long long)i, &t,
                                &found, err);
        if (st != EO_STATUS_OK)
            goto end;
        if (found) {
            fit[i] = t.fitness;
            est[i] = t.status == EO_TRIAL_OK ? EO_EVAL_OK : EO_EVAL_FAILED;
            continue;
        }
        if (s->o.use_cache) {
            /* 2. the same configuration earlier in this set */
            for (size_t kj = 0; kj < k; kj++)
                if (strcmp(c.keys[i], c.keys[idx[kj]]) == 0) {
                    dup[i] = (long)idx[kj];
                    break;
                }
            if (dup[i] >= 0)
                continue;
            /* 3. the cache */
            memset(&t, 0, sizeof t);
            st = eo_cache_get(s->db, s->path, c.keys[i], &t, &found, err);
            if (st != EO_STATUS_OK)
                goto end;
            if (found) {
                t.run = s->run_id;
                t.iteration = iteration;
                t.position = pos_base + (long long)i;
                t.cached = 1;
                t.fidelity = fidelity;
                t.seed = eo_cache_seed(base_keys[i], s->data_seed);
                memcpy(t.values, vals + i * dim, dim * sizeof(double));
                st = store_trial(s, &t, NULL, c.keys[i], err);
                if (st != EO_STATUS_OK)
                    goto end;
                fit[i] = t.fitness;
                est[i] = EO_EVAL_OK;
                continue;
            }
        }
        items[n_eval].values = vals + i * dim;
        items[n_eval].seed = eo_cache_seed(base_keys[i], s->data_seed);
        items[n_eval].fidelity = fidelity;
        c.pos[n_eval] = i;
        n_eval++;
    }
    if (n_eval > 0) {
        if (s->o.use_mpi)
            st = eo_study_mpi_eval(s->obj, items, n_eval, on_done, &c, err);
        else
            st = eo_pool_run(s->obj, items, n_eval, s->o.workers, s->o.timeout_s, on_done, &c,
                             err);
        if (st == EO_STATUS_OK && c.st != EO_STATUS_OK) {
            st = c.st;
            if (err)
                *err = c.err;
        }
        if (st != EO_STATUS_OK)
            goto end;
    }
    /* duplicates within the set take their twin's result */
    for (size_t k = 0; k < m; k++) {
        size_t i = idx[k];
        if (dup[i] < 0)
            continue;
        size_t j = (size_t)dup[i];
        eo_study_trial t;
        int found = 0;
        st = eo_store_trial_get(s->db, s->path, s->run_id, iteration, pos_base + (long long)j, &t,
                                &found, err);
        if (st != EO_STATUS_OK)
            goto end;
        if (!found) {
            st = eo_error_set(err, EO_STATUS_INTERNAL, "%s: trial %lld/%lld missing", s->path,
                              iteration, pos_base + (long long)j);
            goto end;
        }
        t.position = pos_base + (long long)i;
        t.cached = 1;
        st = store_trial(s, &t, NULL, c.keys[i], err);
        if (st != EO_STATUS_OK)
            goto end;
        fit[i] = t.fitness;
        est[i] = t.status == EO_TRIAL_OK ? EO_EVAL_OK : EO_EVAL_FAILED;
    }
end:
    free(c.keys);
    free(c.pos);
    free(dup);
    free(items);
    return st;
}

/* Successive halving (Jamieson & Talwalkar 2016, "Non-stochastic best arm
 * identification and hyperparameter optimization", alg. 1; the rung sizes
 * of Li et al. 2018, Hyperband, with one bracket): rung r of R gets fidelity
 * eta^(r-R+1); after each rung the best ceil(m/eta) go on. */
double eo_study_sh_fidelity(int rungs, double eta, int r)
{
    if (rungs <= 1)
        return 1.0;
    return pow(eta, (double)(r - (rungs - 1)));
}

size_t eo_study_sh_keep(size_t m, double eta)
{
    if (m == 0)
        return 0;
    size_t k = (size_t)ceil((double)m / eta - 1e-9);
    return k < 1 ? 1 : k;
}


/* order idx[0..m) by fitness (failed last), ties by batch index: a stable,
 * seed-independent choice so a resumed batch promotes the same members */
static void sort_by_fitness(size_t *idx, size_t m, const double *fit, const eo_eval_status *est)
{
    for (size_t a = 1; a < m; a++) {
        size_t v = idx[a], b = a;
        while (b > 0) {
            size_t u = idx[b - 1];
            int uo = est[u] == EO_EVAL_OK, vo = est[v] == EO_EVAL_OK;
            int before = vo && (!uo || fit[v] < fit[u] || (fit[v] == fit[u] && v < u));
            if (!uo && !vo)
                before = v < u;
            if (!before)
                break;
            idx[b] = u;
            b--;
        }
        idx[b] = v;
    }
}

static long long sh_trials_per_batch(size_t n, int rungs, double eta)
{
    long long t = 0;
    size_t m = n;
    for (int r = 0; r < (rungs > 1 ? rungs : 1); r++) {
        t += (long long)m;
        m = eo_study_sh_keep(m, eta);
    }
    return t;
}

eo_status eo_study_run(eo_study *s, eo_error *err)
{
    if (!s)
        return eo_error_set(err, EO_STATUS_USAGE, "study: NULL");
    eo_status st = eo_objective_prepare(s->obj, err);
    if (st != EO_STATUS_OK)
        return st;
    const eo_space *space = eo_objective_space(s->obj);
    size_t dim = eo_space_dim(space);
    int rungs = s->o.sh_rungs > 1 ? s->o.sh_rungs : 1;
    double eta = s->o.sh_eta;
    double t_start = eo_time_now();
    while (!eo_optimizer_done(s->opt, &s->budget)) {
        if (s->o.max_seconds > 0 && eo_time_now() - t_start >= s->o.max_seconds)
            break;
        size_t n = 0;
        const double *x = NULL;
        st = eo_optimizer_ask(s->opt, &n, &x, err);
        if (st != EO_STATUS_OK)
            return st;
        long long iteration = eo_optimizer_iterations(s->opt);
        size_t cut = n;
        if (s->budget.max_evals > 0) {
            long long left = s->budget.max_evals - eo_optimizer_evals(s->opt);
            if (left < (long long)cut)
                cut = left > 0 ? (size_t)left : 0;
        }
        double *values = malloc((n ? n : 1) * dim * sizeof(double));
        char(*keys)[1024] = malloc((n ? n : 1) * sizeof *keys);
        double *fitness = malloc((n ? n : 1) * sizeof(double));
        double *rf = malloc((n ? n : 1) * sizeof(double));
        eo_eval_status *est = malloc((n ? n : 1) * sizeof(eo_eval_status));
        eo_eval_status *rest = malloc((n ? n : 1) * sizeof(eo_eval_status));
        size_t *idx = malloc((n ? n : 1) * sizeof(size_t));
        if (!values || !keys || !fitness || !rf || !est || !rest || !idx) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "study: out of memory");
            goto batch_end;
        }
        for (size_t i = 0; i < n; i++) {
            fitness[i] = NAN;
            est[i] = i < cut ? EO_EVAL_FAILED : EO_EVAL_SKIPPED;
            eo_space_decode(space, x + i * dim, values + i * dim);
            eo_cache_key(values + i * dim, dim, keys[i], sizeof keys[i]);
            idx[i] = i;
        }
        size_t m = cut;
        for (int r = 0; r < rungs && m > 0; r++) {
            int last = r == rungs - 1;
            double fid = eo_study_sh_fidelity(rungs, eta, r);
            /* the full-fidelity rung keeps the plain positions 0..n-1 (as
             * without halving); lower rung r uses (r+1)n .. (r+2)n-1 */
            long long base = last ? 0 : (long long)(r + 1) * (long long)n;
            st = eval_set(s, iteration, values, keys, n, idx, m, base, fid, rf, rest, err);
            if (st != EO_STATUS_OK)
                goto batch_end;
            for (size_t k = 0; k < m; k++) {
                fitness[idx[k]] = rf[idx[k]];
                est[idx[k]] = rest[idx[k]];
            }
            if (!last) {
                sort_by_fitness(idx, m, rf, rest);
                m = eo_study_sh_keep(m, eta);
            }
        }
        if (rungs > 1 && m > 0) {
            /* a member dropped at a low rung is told its low-fidelity
             * fitness, but never better than the worst survivor's
             * full-fidelity fitness: the optimiser then ranks the batch as
             * successive halving did */
            double worst = -INFINITY;
            int *full = calloc(n ? n : 1, sizeof(int));
            if (!full) {
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "study: out of memory");
                goto batch_end;
            }
            for (size_t k = 0; k < m; k++) {
                full[idx[k]] = 1;
                if (est[idx[k]] == EO_EVAL_OK && fitness[idx[k]] > worst)
                    worst = fitness[idx[k]];
            }
            for (size_t i = 0; i < cut; i++)
                if (!full[i] && est[i] == EO_EVAL_OK && fitness[i] < worst)
                    fitness[i] = worst;
            free(full);
        }
        for (size_t i = 0; i < n; i++)
            if (est[i] != EO_EVAL_OK)
                fitness[i] = NAN;
        st = eo_optimizer_tell(s->opt, n, fitness, est, err);
        if (st == EO_STATUS_OK) {
            unsigned char *data = NULL;
            size_t dn = 0;
            st = eo_optimizer_save(s->opt, &data, &dn, err);
            if (st == EO_STATUS_OK)
                st = eo_store_run_checkpoint(s->db, s->path, s->run_id, data, dn,
                                             eo_optimizer_iterations(s->opt),
                                             s->seconds_before + eo_time_now() - t_start,
                                             eo_optimizer_done(s->opt, &s->budget), err);
            free(data);
        }
    batch_end:
        free(values);
        free(keys);
        free(fitness);
        free(rf);
        free(est);
        free(rest);
        free(idx);
        if (st != EO_STATUS_OK)
            return st;
    }
    return EO_STATUS_OK;
}

eo_status eo_study_best(eo_study *s, eo_study_trial *best, eo_error *err)
{
    int found = 0;
    eo_status st = eo_store_best(s->db, s->path, s->run_id, best, &found, err);
    if (st != EO_STATUS_OK)
        return st;
    if (!found)
        return eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: no successful trial in run %lld",
                            s->path, s->run_id);
    return EO_STATUS_OK;
}

eo_status eo_study_set_result(eo_study *s, const char *key, double value, eo_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO results(run, key, value) VALUES(?,?,?)",
                           -1, &q, NULL) != SQLITE_OK)
        return eo_error_set(err, EO_STATUS_IO, "%s: sqlite: %s", s->path, sqlite3_errmsg(s->db));
    sqlite3_bind_int64(q, 1, s->run_id);
    sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_double(q, 3, value);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return eo_error_set(err, EO_STATUS_IO, "%s: sqlite: %s", s->path, sqlite3_errmsg(s->db));
    return EO_STATUS_OK;
}

/* ---- reading ---- */

void eo_study_info_destroy(eo_study_info *info)
{
    if (!info)
        return;
    free(info->runs);
    free(info->trials);
    free(info);
}

eo_status eo_study_info_load(const char *path, eo_study_info **out, eo_error *err)
{
    *out = NULL;
    sqlite3 *db = NULL;
    eo_status st = eo_store_open(path, 1, &db, NULL, err);
    if (st != EO_STATUS_OK)
        return st;
    eo_study_info *info = calloc(1, sizeof *info);
    if (!info) {
        eo_store_close(db);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "study: out of memory");
    }
    char buf[256];
    int found = 0;
    st = eo_store_meta_get(db, path, "objective", info->objective, sizeof info->objective, &found,
                           err);
    if (st == EO_STATUS_OK)
        st = eo_store_meta_get(db, path, "version", info->version, sizeof info->version, &found,
                               err);
    if (st == EO_STATUS_OK)
        st = eo_store_meta_get(db, path, "dim", buf, sizeof buf, &found, err);
    if (st == EO_STATUS_OK) {
        long d = found ? atol(buf) : 0;
        info->dim = d > 0 && d <= 32 ? (size_t)d : 0;
    }
    for (size_t i = 0; st == EO_STATUS_OK && i < info->dim; i++) {
        char key[32];
        snprintf(key, sizeof key, "dim%zu", i);
        st = eo_store_meta_get(db, path, key, info->names[i], sizeof info->names[i], &found, err);
    }
    sqlite3_stmt *q = NULL;
    if (st == EO_STATUS_OK) {
        if (sqlite3_prepare_v2(db,
                               "SELECT id, optimizer, seed, pop, iterations, seconds, finished,"
                               " (SELECT COUNT(*) FROM trials t WHERE t.run=r.id),"
                               " (SELECT COUNT(*) FROM trials t WHERE t.run=r.id AND t.status<>0),"
                               " (SELECT COUNT(*) FROM trials t WHERE t.run=r.id AND t.cached<>0)"
                               " FROM runs r ORDER BY id",
                               -1, &q, NULL) != SQLITE_OK)
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %s", path, sqlite3_errmsg(db));
    }
    while (st == EO_STATUS_OK && sqlite3_step(q) == SQLITE_ROW) {
        eo_study_run_info *r = realloc(info->runs, (size_t)(info->n_runs + 1) * sizeof *r);
        if (!r) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "study: out of memory");
            break;
        }
        info->runs = r;
        r = &info->runs[info->n_runs++];
        memset(r, 0, sizeof *r);
        r->id = sqlite3_column_int64(q, 0);
        const unsigned char *name = sqlite3_column_text(q, 1);
        snprintf(r->optimizer, sizeof r->optimizer, "%s", name ? (const char *)name : "?");
        r->seed = (uint64_t)sqlite3_column_int64(q, 2);
        r->pop = sqlite3_column_int64(q, 3);
        r->iterations = sqlite3_column_int64(q, 4);
        r->seconds = sqlite3_column_double(q, 5);
        r->finished = sqlite3_column_int(q, 6);
        r->trials = sqlite3_column_int64(q, 7);
        r->failed = sqlite3_column_int64(q, 8);
        r->cached = sqlite3_column_int64(q, 9);
        r->best = NAN;
        r->best_trial = -1;
    }
    sqlite3_finalize(q);
    q = NULL;
    if (st == EO_STATUS_OK &&
        sqlite3_prepare_v2(db,
                           "SELECT run, iteration, position, number, x, fitness, fidelity, status,"
                           " cached, wall_s, seed, aux, info, params FROM trials ORDER BY run, number",
                           -1, &q, NULL) != SQLITE_OK)
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %s", path, sqlite3_errmsg(db));
    size_t cap = 0;
    while (st == EO_STATUS_OK && sqlite3_step(q) == SQLITE_ROW) {
        if (info->n_trials == cap) {
            size_t nc = cap ? cap * 2 : 256;
            eo_study_trial *t = realloc(info->trials, nc * sizeof *t);
            if (!t) {
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "study: out of memory");
                break;
            }
            info->trials = t;
            cap = nc;
        }
        eo_study_trial *t = &info->trials[info->n_trials];
        memset(t, 0, sizeof *t);
        t->run = sqlite3_column_int64(q, 0);
        t->iteration = sqlite3_column_int64(q, 1);
        t->position = sqlite3_column_int64(q, 2);
        t->number = sqlite3_column_int64(q, 3);
        int nb = sqlite3_column_bytes(q, 4);
        const void *b = sqlite3_column_blob(q, 4);
        if (b && nb > 0)
            memcpy(t->values, b, (size_t)nb <= sizeof t->values ? (size_t)nb : sizeof t->values);
        t->fitness = sqlite3_column_type(q, 5) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 5);
        t->fidelity = sqlite3_column_double(q, 6);
        t->status = (eo_trial_status)sqlite3_column_int(q, 7);
        t->cached = sqlite3_column_int(q, 8);
        t->wall_s = sqlite3_column_double(q, 9);
        t->seed = (uint64_t)sqlite3_column_int64(q, 10);
        nb = sqlite3_column_bytes(q, 11);
        b = sqlite3_column_blob(q, 11);
        if (b && nb == (int)sizeof t->aux)
            memcpy(t->aux, b, sizeof t->aux);
        const unsigned char *s = sqlite3_column_text(q, 12);
        snprintf(t->info, sizeof t->info, "%s", s ? (const char *)s : "");
        s = sqlite3_column_text(q, 13);
        snprintf(t->params, sizeof t->params, "%s", s ? (const char *)s : "");
        for (int k = 0; k < info->n_runs; k++) {
            eo_study_run_info *r = &info->runs[k];
            if (r->id == t->run && t->status == EO_TRIAL_OK && !(t->fidelity < 1.0 - 1e-9) &&
                (r->best_trial < 0 || t->fitness < r->best)) {
                r->best = t->fitness;
                r->best_trial = (long long)info->n_trials;
            }
        }
        info->n_trials++;
    }
    sqlite3_finalize(q);
    q = NULL;
    if (st == EO_STATUS_OK &&
        sqlite3_prepare_v2(db, "SELECT run, key, value FROM results ORDER BY run, key", -1, &q,
                           NULL) == SQLITE_OK) {
        while (sqlite3_step(q) == SQLITE_ROW) {
            long long run = sqlite3_column_int64(q, 0);
            for (int k = 0; k < info->n_runs; k++) {
                eo_study_run_info *r = &info->runs[k];
                if (r->id != run || r->n_results >= 8)
                    continue;
                const unsigned char *key = sqlite3_column_text(q, 1);
                snprintf(r->result_key[r->n_results], sizeof r->result_key[0], "%s",
                         key ? (const char *)key : "?");
                r->result_value[r->n_results++] = sqlite3_column_double(q, 2);
            }
        }
        sqlite3_finalize(q);
    }
    eo_store_close(db);
    if (st != EO_STATUS_OK) {
        eo_study_info_destroy(info);
        return st;
    }
    *out = info;
    return EO_STATUS_OK;
}
