/* ecgopt — the IEEE CEC 2017 bound-constrained single-objective benchmark
 * suite (Awad, Ali, Liang, Qu, Suganthan 2016, "Problem definitions and
 * evaluation criteria for the CEC 2017 special session and competition on
 * single objective real-parameter numerical optimization").
 *
 * Functions F1 and F3..F30 (F2 is excluded, as in the official suite), search
 * box [-100, 100]^D, optimum value f* = 100 * F.  The values reproduce the
 * competition's official C code (cec17_test_func.cpp) bit for bit up to
 * summation order, including its quirks (documented in docs/cec2017.md): F6
 * uses the shifted but unrotated point, F8's "step" never acts, F9 (Levy) is
 * not 900 at the shift vector, hybrid components that read the scratch
 * vector read its first entries.
 *
 * The shift vectors, rotation matrices and permutations are read once from a
 * data directory into an eo_cec2017 object; there is no global state, so any
 * number of problems can live side by side.  An object has scratch buffers:
 * one object must not be evaluated from two threads at once (create one per
 * thread; they are cheap). */
#ifndef ECGOPT_CEC2017_H
#define ECGOPT_CEC2017_H

#include "ecgopt/export.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ecgopt/json.h"
#include "ecgopt/status.h"
#include "ecgopt/strbuf.h"
#include "ecgopt/util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eo_cec2017 eo_cec2017;

#define EO_CEC2017_LOWER (-100.0)
#define EO_CEC2017_UPPER 100.0
#define EO_CEC2017_N_FUNCTIONS 29 /* F1, F3..F30 */

/* 1 if `function` is one of 1, 3..30 and `dim` one of 2, 10, 20, 30, 50, 100
 * for which the official suite defines it (F11-F20 and F29/F30 have no D=2
 * data); 0 otherwise. Data files may still be missing for a valid pair. */
EO_API int eo_cec2017_valid(int function, int dim);

/* Find the CEC 2017 data folder: `dir` itself if it holds shift_data_1.txt,
 * else `<d>/cec2017` for each data folder d of eo_data_dirs(dir) (--data,
 * $ECGOPT_DATA, ./data, ../shared/data).  Writes the folder to out. */
EO_API eo_status eo_cec2017_find_dir(const char *dir, char *out, size_t out_size, eo_error *err);

/* Load function `function` (1, 3..30) in dimension `dim` from `data_dir`
 * (NULL: found with eo_cec2017_find_dir(NULL)).  A missing or short data file
 * is an error naming the file.  *out is owned by the caller. */
EO_API eo_status eo_cec2017_create(eo_cec2017 **out, int function, int dim, const char *data_dir,
                            eo_error *err);
EO_API void eo_cec2017_destroy(eo_cec2017 *p);   /* NULL is a no-op */

/* f(x) for x[0..dim-1]; not thread-safe on one object.  Points outside the
 * box are evaluated anyway (the official code does not clip). */
EO_API double eo_cec2017_eval(eo_cec2017 *p, const double *x);

EO_API int eo_cec2017_function(const eo_cec2017 *p);
EO_API int eo_cec2017_dim(const eo_cec2017 *p);
/* The optimum value f* = 100 * function (the error of x is f(x) - f*). */
EO_API double eo_cec2017_optimum(const eo_cec2017 *p);
/* Short name of a function ("Bent Cigar", "Hybrid 1", "Composition 10"). */
EO_API const char *eo_cec2017_name(int function);


/* ------------------------------------------------------------------------
 * The CEC 2017 protocol: algorithms x functions x runs, each run an
 * optimiser from the registry (ecgopt/opt.h) with max_evals evaluations on
 * [-100,100]^D.  Errors f - f* below 1e-8 count as 0 (CEC 2017 rule).
 * ------------------------------------------------------------------------ */
typedef struct eo_cec_bench_options {
    const char *data_dir;          /* NULL: eo_cec2017_find_dir(NULL) */
    int dim;                       /* 10, 30, 50, 100 (2, 20 where data exists) */
    int runs;                      /* runs per (algorithm, function), >= 1 */
    int first_run;                 /* index of the first run (0-based; default 0): a protocol
                                      can be run in batches of runs with distinct seeds */
    long long max_evals;           /* 0: 10000 * dim */
    const int *functions;          /* n_functions ids (1, 3..30) */
    size_t n_functions;
    const char *const *algorithms; /* n_algorithms registry names */
    size_t n_algorithms;
    uint64_t seed;                 /* run r of function F uses seed(seed, F, r) for every algorithm */
    int workers;                   /* threads; 0 = online CPUs */
    size_t curve_points;           /* convergence samples per run (0: 51) */
    eo_progress_fn progress;       /* called from worker threads, serialised */
    void *progress_user;
} eo_cec_bench_options;

EO_API void eo_cec_bench_options_defaults(eo_cec_bench_options *o);

typedef struct eo_cec_bench_result {
    size_t n_alg, n_fun;
    int runs, dim;
    long long max_evals;
    size_t curve_points;
    int *functions;              /* n_fun */
    char **algorithms;           /* n_alg names */
    int first_run;               /* run r of this result is run first_run + r of the protocol */
    double *error;               /* [f][a][r] final error (f - f*, < 1e-8 -> 0) */
    double *curve;               /* [f][a][r][c] best error after curve_evals[c] evals */
    long long *curve_evals;      /* curve_points */
    double seconds;              /* wall time of the protocol */
    long long total_evals;
} eo_cec_bench_result;

/* Run the protocol.  *out is owned by the caller (eo_cec_bench_result_destroy).
 * Unknown algorithm / function / missing data: error before any run. A
 * progress callback returning non-zero stops early (EO_STATUS_INTERNAL
 * "interrupted"). */
EO_API eo_status eo_cec_bench_run(const eo_cec_bench_options *opt, eo_cec_bench_result **out,
                           eo_error *err);
EO_API void eo_cec_bench_result_destroy(eo_cec_bench_result *r); /* NULL: no-op */

/* Tables of a result against reference algorithm `ref` (index):
 * mean[f][a], std[f][a] of the errors over runs; friedman[a] the mean rank
 * over functions (rank of the mean errors per function, 1 = best);
 * pvalue[f][a] the Wilcoxon signed-rank p-value of a vs ref over the runs
 * (1 for a == ref); sign[f][a] = +1 if ref is significantly better (p <
 * 0.05, lower mean), -1 if worse, 0 otherwise; overall_p[a] the Wilcoxon
 * p-value of a vs ref over the per-function mean errors. All arrays are
 * allocated by the caller with the sizes shown. */
EO_API eo_status eo_cec_bench_summary(const eo_cec_bench_result *r, size_t ref, double *mean,
                               double *std, double *friedman, double *pvalue, int *sign,
                               double *overall_p, eo_error *err);


/* Rebuild a result (errors only, no curves) from errors.csv files written
 * by `ecgopt bench cec2017 --csv` (columns function,dim,algorithm,run,error),
 * e.g. one file per function from scripts/cec2017-protocol.sh.  All files
 * must have the same D; every (function, algorithm) must have the same
 * number of runs. */
EO_API eo_status eo_cec_bench_load_errors(const char *const *paths, size_t n_paths,
                                   eo_cec_bench_result **out, eo_error *err);
/* Write r into folder dir (created when missing, one level): errors.csv
 * (function,dim,algorithm,run,error; what eo_cec_bench_load_errors reads),
 * summary.csv (mean, std and Wilcoxon p of eo_cec_bench_summary) and, when
 * r has curves, curves.csv (the mean best error over the runs at each
 * sampled evaluation count).  Each file is replaced atomically. */
EO_API eo_status eo_cec_bench_write_csv(const eo_cec_bench_result *r, const double *mean,
                                        const double *std, const double *pvalue, const char *dir,
                                        eo_error *err);

/* A function list such as "1,3-30" (ranges inclusive, F2 skipped) into
 * f[0..*n), f with room for EO_CEC2017_N_FUNCTIONS.  EO_STATUS_USAGE with
 * "cannot parse '...'", "range A-B outside 1..30" or "empty list". */
EO_API eo_status eo_cec2017_parse_functions(const char *s, int *f, size_t *n, eo_error *err);

/* A point from a line of text: `dim` numbers separated by blanks or commas.
 * *found = dim, or 0 for a blank line or one starting with '#'.
 * EO_STATUS_BAD_FORMAT "not a number at column C" (from 1, after leading blanks) or "expected D
 * numbers (D), found N". */
EO_API eo_status eo_cec2017_parse_point(const char *line, int dim, double *x, int *found, eo_error *err);

/* f(x) of every point of `in` (one a line, as eo_cec2017_parse_point reads
 * them) in order, each given to on_value; *n_points counts them.  A bad line
 * stops it (after the values before it): EO_STATUS_BAD_FORMAT "NAME: line
 * N: ...", name naming the stream in messages ("stdin"). */
typedef void (*eo_cec2017_value_fn)(void *user, double value);
EO_API eo_status eo_cec2017_eval_stream(eo_cec2017 *p, FILE *in, const char *name, eo_cec2017_value_fn on_value,
                                        void *user, size_t *n_points, eo_error *err);
/* The same as {"function": F, "dim": D, "optimum": f*, "values": [f(x), ...]}
 * (left open after a bad line, whose error follows the values before it). */
EO_API eo_status eo_cec2017_eval_stream_json(eo_cec2017 *p, FILE *in, const char *name, eo_json *j,
                                             size_t *n_points, eo_error *err);
/* The functions, one a line ("F1   f*=100   Bent Cigar"), or as a JSON
 * array of {function, name, optimum}. */
EO_API void eo_cec2017_list_text(eo_strbuf *b);
EO_API void eo_cec2017_list_json(eo_json *j);

/* A result reloaded from `path`: one errors.csv file, a folder holding
 * F<N>/errors.csv (scripts/cec2017-protocol.sh) or errors.csv, or a glob
 * pattern of errors.csv files (eo_cec_bench_load_errors). */
EO_API eo_status eo_cec_bench_load_path(const char *path, eo_cec_bench_result **out, eo_error *err);

/* The summary tables of a result against reference algorithm `ref`
 * (eo_cec_bench_summary), what `ecgopt bench cec2017` prints. */
typedef struct eo_cec_bench_table {
    const eo_cec_bench_result *r; /* not owned */
    size_t ref;
    double *mean, *std, *pvalue; /* [f][a] */
    int *sign;                   /* [f][a]: +1 ref significantly better, -1 worse, 0 */
    double *friedman, *overall_p; /* [a] */
    int tests_ok; /* runs >= 6: only then can the signed-rank test over the runs reach p < 0.05 */
    double min_p; /* the smallest two-sided p it can reach, 2 / 2^runs */
} eo_cec_bench_table;

EO_API eo_status eo_cec_bench_table_create(const eo_cec_bench_result *r, size_t ref,
                                           eo_cec_bench_table **out, eo_error *err);
EO_API void eo_cec_bench_table_destroy(eo_cec_bench_table *t); /* NULL: no-op */
/* Functions where ref is significantly better (+), no different (=), worse (-) than algorithm a. */
EO_API void eo_cec_bench_table_signs(const eo_cec_bench_table *t, size_t a, int *plus, int *eq,
                                     int *minus);
/* out[c] = the mean over the runs of the best error of algorithm a on
 * function index f after curve_evals[c] evaluations (curve_points values). */
EO_API void eo_cec_bench_mean_curve(const eo_cec_bench_result *r, size_t f, size_t a, double *out);
/* A Markdown table: mean (std) error per function, '+'/'-' marks when
 * tests_ok, Friedman ranks, +/=/- counts, Wilcoxon p over the functions. */
EO_API void eo_cec_bench_table_markdown(const eo_cec_bench_table *t, uint64_t seed, eo_strbuf *out);
/* The same as one JSON object, with each mean convergence curve. */
EO_API void eo_cec_bench_table_json(eo_json *j, const eo_cec_bench_table *t, uint64_t seed);

#ifdef __cplusplus
}
#endif
#endif
