/* ecgopt — optimiser library: search spaces, one ask/tell interface, and the
 * nature-inspired optimisers (GA, PSO, GWO, CPA/OLCPA, AOA/IAOA), GP Bayesian
 * optimisation, random and grid search.
 *
 * Model
 *   - An eo_space holds named dimensions (continuous linear/log, integer,
 *     categorical).  Every optimiser works in the normalised box [0,1]^D; the
 *     space decodes a normalised vector u to values (rounding, log scaling and
 *     category lookup are the space's job, never an optimiser's).
 *   - An eo_optimizer is created by name through a registry of vtables
 *     ("ga", "pso", "pso-constriction", "gwo", "cpa", "olcpa", "aoa", "iaoa",
 *     "bo", "random", "grid").  ask() hands out a batch of candidates (the
 *     batch size may vary from call to call), tell() takes their fitness
 *     (minimisation).  A failed evaluation (NaN, crash, timeout) is told with
 *     EO_EVAL_FAILED: the optimiser treats it as +infinity (BO leaves it out of
 *     the model) and carries on.
 *   - All randomness comes from the optimiser's own eo_rng seeded from
 *     options.seed and is drawn only inside ask/tell, so the same seed gives
 *     the same trajectory however many workers evaluate a batch, in any order.
 *   - Every evaluation is counted (also those an algorithm spends internally,
 *     e.g. OLCPA's orthogonal trials: they go through ask/tell like any other)
 *     and recorded in the history.
 *   - The whole state (rng, population, counters, pending batch, history) can
 *     be saved to a versioned byte buffer and restored: a restored optimiser
 *     continues exactly as the uninterrupted one would.
 *
 * Thread safety: an optimiser is not shared between threads; evaluations of a
 * batch may run in any threads (they never touch the optimiser). */
#ifndef ECGOPT_OPT_H
#define ECGOPT_OPT_H

#include "ecgopt/export.h"

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/rng.h"
#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Search space
 * ------------------------------------------------------------------------ */

typedef enum eo_param_kind {
    EO_PARAM_CONTINUOUS = 0, /* real in [lo, hi], linear or log scale */
    EO_PARAM_INTEGER,        /* integer in [lo, hi] (inclusive) */
    EO_PARAM_CATEGORICAL     /* one of n named choices */
} eo_param_kind;

typedef struct eo_space eo_space;

EO_API eo_status eo_space_create(eo_space **out, eo_error *err);
EO_API void eo_space_destroy(eo_space *space);                 /* NULL: no-op */
EO_API eo_status eo_space_clone(const eo_space *src, eo_space **out, eo_error *err);

/* Add a continuous dimension.  lo < hi, both finite; log_scale needs lo > 0
 * (then u maps to lo * (hi/lo)^u).  Names are unique, 1..63 chars. */
EO_API eo_status eo_space_add_real(eo_space *space, const char *name, double lo, double hi,
                            int log_scale, eo_error *err);
/* Add an integer dimension [lo, hi], lo <= hi.  Normalised u in [0,1] is cut
 * into hi-lo+1 equal cells (cell k -> lo+k); with log_scale (lo >= 1) the
 * cells are equal in log space instead. */
EO_API eo_status eo_space_add_int(eo_space *space, const char *name, long long lo, long long hi,
                           int log_scale, eo_error *err);
/* Add a categorical dimension with n >= 1 choices (strings are copied).  The
 * decoded value is the choice index 0..n-1 (as a double). */
EO_API eo_status eo_space_add_categorical(eo_space *space, const char *name,
                                   const char *const *choices, size_t n, eo_error *err);
/* Convenience for benchmark functions: add dims "x0".."x{dim-1}", each
 * continuous linear [lo, hi]. */
EO_API eo_status eo_space_add_box(eo_space *space, size_t dim, double lo, double hi, eo_error *err);

EO_API size_t eo_space_dim(const eo_space *space);
EO_API const char *eo_space_name(const eo_space *space, size_t i);
EO_API eo_param_kind eo_space_kind(const eo_space *space, size_t i);
EO_API int eo_space_is_log(const eo_space *space, size_t i);
/* Bounds of dim i as values (for categorical: 0 and n-1). */
EO_API void eo_space_bounds(const eo_space *space, size_t i, double *lo, double *hi);
/* Number of distinct values of dim i: 0 for continuous, hi-lo+1 for
 * integer, n for categorical. */
EO_API size_t eo_space_levels(const eo_space *space, size_t i);
/* Name of choice k of categorical dim i (NULL if not categorical/out of range). */
EO_API const char *eo_space_choice(const eo_space *space, size_t i, size_t k);
/* Index of dimension `name`, or -1. */
EO_API long eo_space_find(const eo_space *space, const char *name);

/* Decode normalised u[dim] (each clamped to [0,1]; NaN -> 0) to values[dim]:
 * reals, integers (exact, as double) and category indices. */
EO_API void eo_space_decode(const eo_space *space, const double *u, double *values);
/* Encode values[dim] to normalised u[dim] (integers/categories go to the
 * centre of their cell).  Fails on a value outside the dim's range or a
 * non-integer for an integer/categorical dim. */
EO_API eo_status eo_space_encode(const eo_space *space, const double *values, double *u,
                          eo_error *err);
/* Move each discrete coordinate of u to the centre of its cell (continuous
 * coordinates are only clamped to [0,1]).  decode(snap(u)) == decode(u). */
EO_API void eo_space_snap(const eo_space *space, double *u);
/* 64-bit fingerprint of the space definition (names, kinds, bounds, choices);
 * used to check that a saved optimiser state belongs to this space. */
EO_API uint64_t eo_space_fingerprint(const eo_space *space);

/* ------------------------------------------------------------------------
 * Budgets, options
 * ------------------------------------------------------------------------ */

/* Stop when any set limit is reached.  0 (or has_target = 0) means unset.
 * At least one limit must be set for eo_optimizer_run. */
typedef struct eo_budget {
    long long max_evals;   /* evaluations told (OK or FAILED) */
    long long max_iters;   /* completed ask/tell rounds */
    double max_seconds;    /* wall seconds spent in eo_optimizer_run (summed over resumes) */
    double target;         /* stop once best fitness <= target ... */
    int has_target;        /* ... if has_target is non-zero */
} eo_budget;

typedef enum eo_history_level {
    EO_HISTORY_FULL = 0,   /* every evaluation: x, fitness, status */
    EO_HISTORY_FITNESS,    /* fitness and status only (no x); best x kept */
    EO_HISTORY_NONE        /* only the best point and counters */
} eo_history_level;

typedef struct eo_opt_options {
    uint64_t seed;
    /* Population / batch size; 0 = the algorithm's default. */
    size_t pop_size;
    /* The horizon the schedules follow (GWO's a 2->0, PSO's w 0.9->0.4,
     * AOA's MOA/MOP): progress = evals/max_evals if max_evals is set, else
     * iters/max_iters, else iters/1000.  (Never wall time, which would break
     * determinism.)  Also the default budget of eo_optimizer_run. */
    eo_budget budget;
    eo_history_level history;
    /* Algorithm-specific parameters as "key=value,key=value" (NULL/"" = all
     * defaults); the keys each algorithm accepts are listed by
     * eo_optimizer_param_keys() and in docs/optimizers.md.  An unknown key is
     * a usage error at create time.  The string is copied. */
    const char *params;
} eo_opt_options;

/* seed 1, pop_size 0, budget unset, EO_HISTORY_FULL, params NULL. */
EO_API void eo_opt_options_defaults(eo_opt_options *opts);

/* ------------------------------------------------------------------------
 * Optimiser
 * ------------------------------------------------------------------------ */

typedef enum eo_eval_status {
    EO_EVAL_OK = 0,      /* fitness is a finite number */
    EO_EVAL_FAILED = 1,  /* NaN, crash, timeout...: counted, recorded, +inf */
    EO_EVAL_SKIPPED = 2  /* not evaluated (budget ran out mid-batch): not
                            counted, not recorded; treated as +inf */
} eo_eval_status;

typedef struct eo_optimizer eo_optimizer;

/* Create optimiser `name` over `space` (copied).  opts may be NULL
 * (defaults).  Unknown name -> EO_STATUS_NOT_FOUND listing the names. */
EO_API eo_status eo_optimizer_create(const char *name, const eo_space *space,
                              const eo_opt_options *opts, eo_optimizer **out,
                              eo_error *err);
EO_API void eo_optimizer_destroy(eo_optimizer *opt);          /* NULL: no-op */

EO_API const char *eo_optimizer_name(const eo_optimizer *opt);
EO_API const eo_space *eo_optimizer_space(const eo_optimizer *opt);
EO_API size_t eo_optimizer_dim(const eo_optimizer *opt);

/* Ask for the next batch.  *n receives its size (>= 1; may differ between
 * calls) and *x a row-major n x dim array of normalised candidates owned by
 * the optimiser, valid until the next tell/destroy.  Asking again before
 * telling returns the same pending batch. */
EO_API eo_status eo_optimizer_ask(eo_optimizer *opt, size_t *n, const double **x, eo_error *err);
/* Tell the fitness of the pending batch: fitness[n] and status[n] (status
 * may be NULL: all EO_EVAL_OK).  n must equal the batch size.  A NaN/inf
 * fitness told as EO_EVAL_OK is an error (EO_STATUS_NUMERIC, nothing
 * changes): tell it as EO_EVAL_FAILED. */
EO_API eo_status eo_optimizer_tell(eo_optimizer *opt, size_t n, const double *fitness,
                            const eo_eval_status *status, eo_error *err);

/* Objective for eo_optimizer_run: values are the decoded values (see
 * eo_space_decode) of one candidate.  Return the fitness to minimise; NaN
 * (or +-inf) marks a failed evaluation.  Called from one thread at a time
 * unless eo_optimizer_set_threads() > 1, then from several (OpenMP). */
typedef double (*eo_objective_fn)(void *user, const double *values, size_t dim);

/* Evaluate batches until `budget` (NULL: options.budget) is reached.  The
 * last batch is cut to the evaluations left (the rest told as SKIPPED).
 * Returns EO_STATUS_USAGE if no limit is set. */
EO_API eo_status eo_optimizer_run(eo_optimizer *opt, eo_objective_fn fn, void *user,
                           const eo_budget *budget, eo_error *err);
/* Threads eo_optimizer_run uses to evaluate a batch (default 1).  The
 * trajectory does not depend on it. */
EO_API void eo_optimizer_set_threads(eo_optimizer *opt, int threads);
/* 1 if `budget` (NULL: options.budget) is reached, else 0. */
EO_API int eo_optimizer_done(const eo_optimizer *opt, const eo_budget *budget);

/* Counters. */
EO_API long long eo_optimizer_evals(const eo_optimizer *opt);      /* OK + FAILED told */
EO_API long long eo_optimizer_failures(const eo_optimizer *opt);
EO_API long long eo_optimizer_iterations(const eo_optimizer *opt);
EO_API double eo_optimizer_seconds(const eo_optimizer *opt);       /* in run(), summed */

/* Best point so far: fitness (+inf when none succeeded) and, if x/values
 * are not NULL, its normalised vector and decoded values.  Returns
 * EO_STATUS_NOT_FOUND when no evaluation has succeeded yet. */
EO_API eo_status eo_optimizer_best(const eo_optimizer *opt, double *fitness, double *x,
                            double *values, eo_error *err);

/* ---- history ---- */
typedef struct eo_trial {
    long long index;        /* 0-based evaluation number */
    long long iteration;    /* ask/tell round it belonged to */
    double fitness;         /* NaN when failed */
    eo_eval_status status;
    const double *x;        /* normalised point (dim values, owned by the
                               optimiser, valid until destroy or restore);
                               NULL unless EO_HISTORY_FULL */
} eo_trial;

/* Number of recorded evaluations (0 with EO_HISTORY_NONE). */
EO_API size_t eo_optimizer_history_size(const eo_optimizer *opt);
/* Trial i (0 <= i < size); returns EO_STATUS_OUT_OF_RANGE otherwise. */
EO_API eo_status eo_optimizer_history_get(const eo_optimizer *opt, size_t i, eo_trial *out,
                                   eo_error *err);
/* Best-so-far curve: curve[i] = min fitness over evaluations 0..i (+inf
 * before the first success); writes min(n, history size) values, returns
 * that count. */
EO_API size_t eo_optimizer_best_curve(const eo_optimizer *opt, double *curve, size_t n);

/* ---- state ---- */
/* Save the complete state to a malloc'd buffer (*data, *n; caller frees).
 * Format: "EOOPTST" magic, version, name, space fingerprint, options,
 * counters, rng, pending batch, history, algorithm state; CRC-32 at end. */
EO_API eo_status eo_optimizer_save(const eo_optimizer *opt, unsigned char **data, size_t *n,
                            eo_error *err);
/* Restore a saved state into `opt`, which must have been created with the
 * same algorithm name over an identical space; the saved options (seed,
 * budget, params) replace opt's.  Bad magic/version/CRC/space -> error and
 * opt unchanged. */
EO_API eo_status eo_optimizer_restore(eo_optimizer *opt, const unsigned char *data, size_t n,
                               eo_error *err);

/* ---- registry ---- */
/* Names of all registered optimisers, NULL-terminated, in a fixed order. */
EO_API const char *const *eo_optimizer_names(void);
/* One-line description of an optimiser (NULL if unknown). */
EO_API const char *eo_optimizer_summary(const char *name);
/* NULL-terminated list of the params keys `name` accepts (NULL if unknown). */
EO_API const char *const *eo_optimizer_param_keys(const char *name);

/* ------------------------------------------------------------------------
 * Gaussian process regression (used by "bo"; usable alone)
 *
 * Kernel: Matern-5/2 with ARD length scales on the normalised space,
 *   k(a,b) = s2 (1 + sqrt5 r + 5 r^2 / 3) exp(-sqrt5 r) + noise * [a == b],
 *   r^2 = sum_j d_j^2 / l_j^2,
 * where for continuous and integer dims d_j is the difference of the
 * points after eo_space_snap (so integers are compared by value: every real
 * in a cell gives the same kernel row, Garrido-Merchan & Hernandez-Lobato,
 * Neurocomputing 380 (2020)), and for a categorical dim d_j = 1 when the
 * categories differ, 0 otherwise (one-hot distance with one length scale).
 * Targets are standardised (mean 0, std 1) before fitting.  Hyperparameters
 * theta = (log l_1..l_D, log s2, log noise), D + 2 values, in standardised
 * units, box-bounded: l in [1e-6, 1e3], s2 in [1e-3, 1e3], noise in
 * [1e-10, 1].  Cholesky factorisation and solves through LAPACKE
 * dpotrf/dpotrs/dpotri (Rasmussen & Williams 2006, Alg. 2.1 and Eq. 5.9).
 * ------------------------------------------------------------------------ */
typedef struct eo_gp eo_gp;

/* The space (copied) decides how each dim enters the kernel. */
EO_API eo_status eo_gp_create(const eo_space *space, eo_gp **out, eo_error *err);
EO_API void eo_gp_destroy(eo_gp *gp);                          /* NULL: no-op */
/* Number of hyperparameters (dim + 2). */
EO_API size_t eo_gp_n_hyper(const eo_gp *gp);
EO_API void eo_gp_get_hyper(const eo_gp *gp, double *theta);
/* Set theta (clamped to the bounds); takes effect at the next fit. */
EO_API void eo_gp_set_hyper(eo_gp *gp, const double *theta);
/* Fit to n points x (n x dim, normalised) with targets y (finite).  If
 * `restarts` >= 0 the hyperparameters are chosen by maximising the log
 * marginal likelihood with L-BFGS (analytic gradient, projected onto the
 * bounds) from the current theta, a data-based guess and `restarts` random
 * starts drawn from rng; restarts < 0 keeps theta fixed.  Needs n >= 1. */
EO_API eo_status eo_gp_fit(eo_gp *gp, const double *x, const double *y, size_t n, int restarts,
                    eo_rng *rng, eo_error *err);
/* Log marginal likelihood of the standardised targets at theta (NULL: the
 * current theta) for the fitted data, and its gradient wrt theta (grad may
 * be NULL).  Returns -inf if the kernel matrix is not positive definite. */
EO_API double eo_gp_log_ml(eo_gp *gp, const double *theta, double *grad);
/* Posterior mean and variance at x (dim values) in the units of y (var of
 * the latent function, noise excluded; var may be NULL).  Needs a
 * successful fit (else NaN).  Uses a scratch buffer inside gp: do not call
 * on one gp from several threads at once. */
EO_API void eo_gp_predict(const eo_gp *gp, const double *x, double *mean, double *var);

/* ------------------------------------------------------------------------
 * Implementer interface (for src/opt/<algorithm>.c; not needed by users)
 *
 * An algorithm is a const eo_optimizer_vtable listed in src/opt/registry.c.
 * The framework owns batches, counters, history, rng and the save format;
 * the algorithm owns its population state.  Its ask() writes candidates into
 * eo_opt_batch(opt, n) (normalised, inside [0,1]: the framework clamps) and
 * returns; its tell() gets the same x and fitness with failed/skipped
 * entries already mapped to +INFINITY.
 * ------------------------------------------------------------------------ */

/* Append-only write buffer / bounds-checked read buffer for save/load. */
typedef struct eo_wbuf {
    unsigned char *data;
    size_t len, cap;
    int failed;            /* set when an allocation failed */
} eo_wbuf;
typedef struct eo_rbuf {
    const unsigned char *data;
    size_t len, pos;
    int failed;            /* set when a read ran past the end */
} eo_rbuf;

EO_API void eo_wbuf_bytes(eo_wbuf *w, const void *p, size_t n);
EO_API void eo_wbuf_u64(eo_wbuf *w, uint64_t v);
EO_API void eo_wbuf_f64(eo_wbuf *w, double v);
EO_API void eo_wbuf_f64s(eo_wbuf *w, const double *v, size_t n);
EO_API void eo_rbuf_bytes(eo_rbuf *r, void *p, size_t n);
EO_API uint64_t eo_rbuf_u64(eo_rbuf *r);
EO_API double eo_rbuf_f64(eo_rbuf *r);
EO_API void eo_rbuf_f64s(eo_rbuf *r, double *v, size_t n);

typedef struct eo_optimizer_vtable {
    const char *name;
    const char *summary;
    const char *const *param_keys;   /* NULL-terminated; may be NULL (none) */
    size_t default_pop;              /* used when options.pop_size == 0 */
    /* Allocate the algorithm state (*state) after options are validated. */
    eo_status (*init)(eo_optimizer *opt, void **state, eo_error *err);
    void (*free)(void *state);
    /* Produce the next batch via eo_opt_batch(); *n = its size. */
    eo_status (*ask)(eo_optimizer *opt, void *state, size_t *n, eo_error *err);
    /* Consume fitness of the batch asked last: x is n x dim. */
    eo_status (*tell)(eo_optimizer *opt, void *state, const double *x, const double *f,
                      const eo_eval_status *st, size_t n, eo_error *err);
    /* Serialise / restore the algorithm state (rng and batch are saved by
     * the framework).  load gets a freshly init'ed state. */
    void (*save)(const eo_optimizer *opt, const void *state, eo_wbuf *w);
    eo_status (*load)(eo_optimizer *opt, void *state, eo_rbuf *r, eo_error *err);
} eo_optimizer_vtable;

/* Storage for a batch of n candidates (n x dim doubles), valid until the
 * next call; NULL on allocation failure (error filled). */
EO_API double *eo_opt_batch(eo_optimizer *opt, size_t n, eo_error *err);
EO_API eo_rng *eo_opt_rng(eo_optimizer *opt);
EO_API size_t eo_opt_pop(const eo_optimizer *opt);   /* options.pop_size or default */
EO_API const eo_opt_options *eo_opt_options_get(const eo_optimizer *opt);
/* Value of params key (already validated), or dflt when not given. */
EO_API double eo_opt_param(const eo_optimizer *opt, const char *key, double dflt);
/* Schedule progress in [0,1] (see eo_opt_options.budget). */
EO_API double eo_opt_progress(const eo_optimizer *opt);
/* Evaluation horizon: max_evals, else max_iters*pop, else 1000*pop. */
EO_API long long eo_opt_horizon_evals(const eo_optimizer *opt);

/* The algorithms (registry.c lists them). CPA/OLCPA live in cpa.c. */
EO_API extern const eo_optimizer_vtable eo_opt_ga_vtable, eo_opt_pso_vtable,
    eo_opt_pso_constriction_vtable, eo_opt_gwo_vtable, eo_opt_cpa_vtable,
    eo_opt_olcpa_vtable, eo_opt_aoa_vtable, eo_opt_iaoa_vtable, eo_opt_bo_vtable,
    eo_opt_random_vtable, eo_opt_grid_vtable;

#ifdef __cplusplus
}
#endif
#endif
