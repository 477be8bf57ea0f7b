/* ecgopt — tuning studies: an objective (a search space plus a function that
 * trains/validates a model or decomposes a signal), an optimiser from opt.h
 * and a budget, with every trial kept in an SQLite database.
 *
 * Mechanics (docs/study.md)
 *   - Every finished trial (parameters, fitness, fidelity, status, wall
 *     seconds, seed, ecgopt version) is written in its own transaction; the
 *     optimiser state (eo_optimizer_save) is checkpointed after each
 *     ask/tell round.  A study killed at any point resumes from the database:
 *     the restored optimiser asks the same batch again and every trial of it
 *     already in the database is taken from there, so no finished trial is
 *     lost, none runs twice and the result equals an uninterrupted run.
 *   - Trials are evaluated in worker processes (fork + pipe), so a trial that
 *     crashes (abort, segfault) or hangs past its timeout is recorded as
 *     failed and the study goes on.  The trajectory never depends on the
 *     number of workers (results are placed by batch position).
 *   - Cache: a configuration (its decoded values) is evaluated once per
 *     database; every later trial with the same values reuses the fitness.
 *     Each configuration's seed is derived from its values and the study's
 *     data seed, so a cached result is exactly what re-evaluation would give.
 *   - One database may hold several runs (one per optimiser name and seed)
 *     of the same objective; they share the cache.
 *
 * Thread safety: an eo_study is used from one thread. */
#ifndef ECGOPT_STUDY_H
#define ECGOPT_STUDY_H

#include "ecgopt/export.h"

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/opt.h"
#include "ecgopt/status.h"
#include "ecgopt/util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Objectives
 * ------------------------------------------------------------------------ */

/* Outcome of one evaluation, filled by the objective function. */
typedef struct eo_trial_result {
    double fitness;      /* to minimise; NaN/inf = failed */
    double fidelity;     /* fraction of the full evaluation used (1 = full) */
    double aux[4];       /* objective-specific figures (e.g. epochs, latent, CR) */
    char info[256];      /* one line, objective-specific (NUL-terminated) */
} eo_trial_result;

/* Evaluate one configuration.  values: the decoded values (eo_space_decode),
 * seed: the configuration's seed, fidelity in (0,1]: fraction of the full
 * budget (epochs/data) to spend.  Fill *res; return EO_STATUS_OK, or an
 * error (then the trial is recorded as failed with err's message).  Runs in
 * a worker process: it may crash or hang without harming the study. */
typedef eo_status (*eo_study_objective_fn)(void *user, const double *values, size_t dim,
                                     uint64_t seed, double fidelity, eo_trial_result *res,
                                     eo_error *err);

typedef struct eo_objective eo_objective;

typedef struct eo_objective_options {
    const char *data_dir;   /* where MIT-BIH records are looked up (NULL: default dirs) */
    double data_fraction;   /* presets: scale of the training subset (default 1) */
    int threads;            /* threads one evaluation may use (default 1) */
} eo_objective_options;
EO_API void eo_objective_defaults(eo_objective_options *o);

/* An objective from a function: `space` is copied; fn/user are not owned. */
EO_API eo_status eo_objective_create(const char *name, const eo_space *space, eo_study_objective_fn fn,
                              void *user, eo_objective **out, eo_error *err);
/* Presets (docs/study.md): "compress-cae" (with its Krishna n.d. arms
 * "compress-cae-attention", "compress-cae-baseline",
 * "compress-cae-baseline-attention"; "compress-cae-rd": the codec's
 * rate-distortion autoencoder, fitness = bits/sample at PRDN 10 %),
 * "classify-rescnn-bo",
 * "classify-cnnlstm-gwo", "classify-cnn-olcpa", "denoise-vmd-iaoa", and
 * "toy" (a cheap discrete quadratic for tests and demos).  Data is loaded
 * lazily by eo_objective_prepare.  Unknown name -> EO_STATUS_NOT_FOUND
 * listing the names. */
EO_API eo_status eo_objective_preset(const char *name, const eo_objective_options *o,
                              eo_objective **out, eo_error *err);
/* NULL-terminated list of preset names. */
EO_API const char *const *eo_objective_preset_names(void);
/* A user space + objective from a text file (format in docs/study.md):
 *   real NAME LO HI [log] | int NAME LO HI [log] | cat NAME A B C ...
 *   command SHELL COMMAND with {NAME} placeholders (and {seed})
 *   optimizer NAME | pop N | iters N | timeout SECONDS
 * The command's last stdout line is the fitness. */
EO_API eo_status eo_objective_from_file(const char *path, eo_objective **out, eo_error *err);
EO_API void eo_objective_destroy(eo_objective *obj);            /* NULL: no-op */

EO_API const char *eo_objective_name(const eo_objective *obj);
EO_API const eo_space *eo_objective_space(const eo_objective *obj);
/* The paper's defaults for this objective (optimizer name, population,
 * iterations, per-trial timeout in seconds; 0 = none). */
EO_API const char *eo_objective_default_optimizer(const eo_objective *obj);
EO_API size_t eo_objective_default_pop(const eo_objective *obj);
EO_API long long eo_objective_default_iters(const eo_objective *obj);
EO_API double eo_objective_default_timeout(const eo_objective *obj);
/* Load data the evaluations need (once, in the parent, before workers are
 * forked so they share it).  Idempotent. */
EO_API eo_status eo_objective_prepare(eo_objective *obj, eo_error *err);
/* Evaluate in this process (no isolation). */
EO_API eo_status eo_objective_eval(eo_objective *obj, const double *values, uint64_t seed,
                            double fidelity, eo_trial_result *res, eo_error *err);
/* Final step for the winner: retrain `values` on the full training split,
 * save the model to model_path (may be NULL: not saved) and evaluate it once
 * on the test split; test[] gets up to 4 figures named in names[] (e.g.
 * "test_prdn", "test_cr", "test_accuracy") and *n_out their count (0 if the
 * objective has no final step). */
EO_API eo_status eo_objective_finalize(eo_objective *obj, const double *values, uint64_t seed,
                                       const char *model_path, double test[4],
                                       const char *names[4], int *n_out, eo_error *err);

/* ------------------------------------------------------------------------
 * Worker pool (pool.c): evaluate items in forked processes
 * ------------------------------------------------------------------------ */

typedef enum eo_trial_status {
    EO_TRIAL_OK = 0,
    EO_TRIAL_FAILED = 1,   /* the objective returned an error or NaN */
    EO_TRIAL_CRASHED = 2,  /* the worker died (signal, exit without result) */
    EO_TRIAL_TIMEOUT = 3   /* killed after the per-trial timeout */
} eo_trial_status;
EO_API const char *eo_trial_status_name(eo_trial_status s);   /* "ok", "failed", ... */

typedef struct eo_pool_item {
    const double *values;  /* dim values */
    uint64_t seed;
    double fidelity;
    /* outputs */
    eo_trial_status status;
    eo_trial_result result;
    double wall_s;
    char error[256];
} eo_pool_item;

/* Called in the parent as each item finishes (any order). */
typedef void (*eo_pool_done_fn)(void *user, size_t i, eo_pool_item *item);

/* Evaluate items[0..n) with up to `workers` processes at once (workers <= 0:
 * in this process, no isolation).  timeout_s > 0 kills a trial after that
 * many seconds.  Fails only on a system error (fork, pipe). */
EO_API eo_status eo_pool_run(eo_objective *obj, eo_pool_item *items, size_t n, int workers,
                      double timeout_s, eo_pool_done_fn done, void *user, eo_error *err);

/* ------------------------------------------------------------------------
 * Studies
 * ------------------------------------------------------------------------ */

typedef struct eo_study eo_study;

/* One trial as stored. */
typedef struct eo_study_trial {
    long long run;          /* run id */
    long long iteration;    /* ask/tell round */
    long long position;     /* index in the batch */
    long long number;       /* 0-based order of completion within the run */
    double fitness;         /* NaN unless status OK */
    double fidelity;
    eo_trial_status status;
    int cached;             /* 1: taken from the cache, not evaluated */
    double wall_s;
    uint64_t seed;
    double values[32];      /* first min(dim, 32) decoded values */
    double aux[4];
    char info[256];
    char params[512];       /* eo_study_info_load only: {"name": value, ...} with
                               category names (empty elsewhere) */
} eo_study_trial;

/* Called after each trial is stored (also cached ones); done/total are
 * trials of this run; best is the run's best fitness so far. */
typedef void (*eo_study_trial_fn)(void *user, const eo_study_trial *t, long long done,
                                  long long total, double best);

typedef struct eo_study_options {
    const char *optimizer;   /* NULL: the objective's default */
    const char *opt_params;  /* "key=value,..." for the optimiser (NULL) */
    size_t pop_size;         /* 0: the objective's default */
    long long max_iters;     /* 0: the objective's default (if max_evals unset) */
    long long max_evals;     /* 0: unset */
    double max_seconds;      /* wall budget of this call; 0: unset (breaks determinism) */
    uint64_t seed;           /* optimiser seed (default 1) */
    int workers;             /* worker processes (default 1; 0 = in-process) */
    double timeout_s;        /* per trial; < 0: the objective's default; 0: none */
    int use_cache;           /* default 1 */
    int use_mpi;             /* evaluate over MPI ranks (eo_study_mpi_*) */
    eo_study_trial_fn on_trial; void *user;
    /* Successive halving (multi-fidelity) inside each batch: with sh_rungs
     * R > 1 every candidate is first evaluated at fidelity eta^-(R-1), the
     * best ceil(m/eta) of a rung go on to the next (fidelity x eta), the
     * last rung is fidelity 1.  Every evaluation is a stored trial with its
     * fidelity (rung r < R-1 at positions (r+1)*n + i, the full rung at
     * positions i); the cache is keyed by configuration and fidelity; only
     * fidelity-1 trials count for the best.  A candidate dropped at a low
     * rung is told the optimiser its low-fidelity fitness, clamped to be no
     * better than the worst full-fidelity survivor.  sh_rungs 0/1: off
     * (default 1), sh_eta in [1.5, 100] (default 3).  The objective decides
     * what fidelity scales (presets: epochs). */
    int sh_rungs;
    double sh_eta;
} eo_study_options;
EO_API void eo_study_defaults(eo_study_options *o);
/* Fidelity of rung r (0 = lowest) of `rungs` with reduction factor eta, and
 * how many of m candidates a rung promotes: ceil(m/eta), at least 1. */
EO_API double eo_study_sh_fidelity(int rungs, double eta, int r);
EO_API size_t eo_study_sh_keep(size_t m, double eta);

/* Open (create) the study database at `path` for objective `obj`.  A new
 * file is created; an existing one must hold a study of the same objective
 * name and space (else EO_STATUS_BAD_FORMAT, file untouched).  `resume`
 * must be set to continue a run (optimizer, seed) the file already has;
 * without it that is an error (nothing is overwritten).  data_seed is fixed
 * at creation (the configurations' seeds derive from it). */
EO_API eo_status eo_study_open(const char *path, eo_objective *obj, const eo_study_options *o,
                        int resume, eo_study **out, eo_error *err);
EO_API void eo_study_close(eo_study *s);                        /* NULL: no-op */

/* Run (or continue) this options' run until its budget is reached. */
EO_API eo_status eo_study_run(eo_study *s, eo_error *err);
/* Best OK trial of the current run (EO_STATUS_NOT_FOUND if none). */
EO_API eo_status eo_study_best(eo_study *s, eo_study_trial *best, eo_error *err);
EO_API long long eo_study_run_id(const eo_study *s);
/* Trials of this run already stored (e.g. before a resume). */
EO_API long long eo_study_trials_done(const eo_study *s);
/* Record figures of the winner's final evaluation (test split) in the db. */
EO_API eo_status eo_study_set_result(eo_study *s, const char *key, double value, eo_error *err);

/* ---- reading a study file (study show) ---- */
typedef struct eo_study_run_info {
    long long id;
    char optimizer[32];
    uint64_t seed;
    long long pop, iterations, trials, failed, cached;
    int finished;
    double seconds;         /* wall seconds spent */
    double best;            /* NaN if none */
    long long best_trial;   /* index in the trials array, -1 if none */
    /* test figures of the winner, from eo_study_set_result */
    int n_results;
    char result_key[8][32];
    double result_value[8];
} eo_study_run_info;

typedef struct eo_study_info {
    char objective[64];
    char version[32];
    size_t dim;
    char names[32][64];
    int n_runs;
    eo_study_run_info *runs;
    size_t n_trials;
    eo_study_trial *trials;   /* ordered by run, then completion order */
} eo_study_info;

/* Read the whole study at path (read-only).  A file that is not an ecgopt
 * study -> EO_STATUS_BAD_FORMAT. */
EO_API eo_status eo_study_info_load(const char *path, eo_study_info **out, eo_error *err);
EO_API void eo_study_info_destroy(eo_study_info *info);            /* NULL: no-op */
/* The successful (OK) trials of the study, best (lowest fitness) first,
 * ties by run then completion order, into out (room for info->n_trials);
 * returns how many. */
EO_API size_t eo_study_info_ranked(const eo_study_info *info, const eo_study_trial **out);
/* The optimiser of run id `run` ("?" when the study has no such run). */
EO_API const char *eo_study_info_run_optimizer(const eo_study_info *info, long long run);
/* Best fitness after each iteration of run id `run` (+inf before the
 * first success), at most cap iterations into curve; returns how many. */
EO_API long long eo_study_info_convergence(const eo_study_info *info, long long run, double *curve,
                                           long long cap);
/* The HTML report of the study at study_path written to html_path
 * (atomically): one convergence curve per run (best-so-far fitness against
 * the run's trials in completion order), the runs, the ten best trials,
 * parameter importance, and the test-split figures of each winner when
 * the study has them. */
EO_API eo_status eo_study_report_write(const char *study_path, const char *html_path, eo_error *err);

/* ---- MPI (mpi.c; only when built with ECGOPT_MPI) ---- */
/* 1 if this build has MPI. */
EO_API int eo_study_mpi_available(void);
/* Initialise MPI; rank and size receive this process's rank and the count. */
EO_API eo_status eo_study_mpi_init(int *argc, char ***argv, int *rank, int *size, eo_error *err);
/* On ranks > 0: serve evaluations of obj for rank 0 until it says stop. */
EO_API eo_status eo_study_mpi_serve(eo_objective *obj, eo_error *err);
/* On rank 0: evaluate items over ranks 1..size-1 (rank 0 too when size==1). */
EO_API eo_status eo_study_mpi_eval(eo_objective *obj, eo_pool_item *items, size_t n,
                            eo_pool_done_fn done, void *user, eo_error *err);
/* On rank 0: tell the servers to stop.  Then every rank: finalize. */
EO_API void eo_study_mpi_stop(void);
EO_API void eo_study_mpi_finalize(void);

#ifdef __cplusplus
}
#endif
#endif
