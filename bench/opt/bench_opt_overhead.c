/* Optimiser framework benchmark.
 *
 * 1. Overhead: the framework's own cost per evaluation (ask + tell +
 *    decode + history/bookkeeping) for GWO and PSO at D=30 with a trivial
 *    objective (returns x0), 300,000 evaluations, with full history and with
 *    none.  Bar: < 1 us per evaluation.
 * 2. Wall time of GWO and PSO with 300,000 evaluations on D=30 shifted
 *    sphere and CEC 2017 F1 (when the data folder is found), the same runs
 *    numpy_gwo_pso.py times for the peer.
 * Times are process CPU seconds (CLOCK_PROCESS_CPUTIME_ID; single-threaded
 * runs, so equal to wall time on an idle machine): the build machine is
 * shared, and CPU time is what a loaded machine does not inflate.  Best of 3.
 * Prints "RESULT <name>: <key>=<value> ..." lines; overhead.sh pairs them
 * with the peer's.  usage: bench_opt_overhead [CEC_DATA_DIR] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ecgopt/cec2017.h"
#include "ecgopt/opt.h"
#include "ecgopt/util.h"

#define D 30
#define EVALS 300000

static double trivial(void *u, const double *v, size_t d)
{
    (void)u, (void)d;
    return v[0];
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double shift[D];
static double sphere(void *u, const double *v, size_t d)
{
    (void)u;
    double s = 0;
    for (size_t i = 0; i < d; i++) {
        double t = v[i] - shift[i];
        s += t * t;
    }
    return s;
}

static double f1(void *u, const double *v, size_t d)
{
    (void)d;
    eo_cec2017 *p = u;
    return eo_cec2017_eval(p, v) - eo_cec2017_optimum(p);
}

/* seconds for one run; best error in *best */
static double run(const char *alg, eo_objective_fn fn, void *user, eo_history_level h,
                  double *best)
{
    eo_error err;
    eo_space *s = NULL;
    eo_optimizer *opt = NULL;
    eo_opt_options o;
    eo_opt_options_defaults(&o);
    o.seed = 1;
    o.budget.max_evals = EVALS;
    o.history = h;
    if (eo_space_create(&s, &err) || eo_space_add_box(s, D, -100, 100, &err) ||
        eo_optimizer_create(alg, s, &o, &opt, &err)) {
        fprintf(stderr, "bench_opt_overhead: %s\n", err.msg);
        exit(3);
    }
    double t0 = cpu_now();
    if (eo_optimizer_run(opt, fn, user, NULL, &err)) {
        fprintf(stderr, "bench_opt_overhead: %s\n", err.msg);
        exit(3);
    }
    double t = cpu_now() - t0;
    if (eo_optimizer_evals(opt) != EVALS) {
        fprintf(stderr, "bench_opt_overhead: %s did %lld evaluations\n", alg,
                eo_optimizer_evals(opt));
        exit(3);
    }
    eo_optimizer_best(opt, best, NULL, NULL, &err);
    eo_optimizer_destroy(opt);
    eo_space_destroy(s);
    return t;
}

static double best_of(int reps, const char *alg, eo_objective_fn fn, void *user,
                      eo_history_level h, double *best)
{
    double tmin = INFINITY;
    for (int r = 0; r < reps; r++) {
        double t = run(alg, fn, user, h, best);
        tmin = t < tmin ? t : tmin;
    }
    return tmin;
}

int main(int argc, char **argv)
{
    const char *algs[2] = {"gwo", "pso"};
    for (int i = 0; i < D; i++)
        shift[i] = 60.0 * sin(1.0 + i);
    for (int a = 0; a < 2; a++) {
        double b;
        double tf = best_of(3, algs[a], trivial, NULL, EO_HISTORY_FULL, &b);
        double tn = best_of(3, algs[a], trivial, NULL, EO_HISTORY_NONE, &b);
        printf("RESULT overhead_%s: us_per_eval=%.4f history=full\n", algs[a], tf / EVALS * 1e6);
        printf("RESULT overhead_%s_nohist: us_per_eval=%.4f history=none\n", algs[a],
               tn / EVALS * 1e6);
    }
    for (int a = 0; a < 2; a++) {
        double b;
        double t = best_of(3, algs[a], sphere, NULL, EO_HISTORY_NONE, &b);
        printf("RESULT %s_sphere30: seconds=%.4f best=%.4g\n", algs[a], t, b);
    }
    char dir[4096];
    eo_error err;
    if (eo_cec2017_find_dir(argc > 1 ? argv[1] : NULL, dir, sizeof dir, &err) == EO_STATUS_OK) {
        eo_cec2017 *p = NULL;
        if (eo_cec2017_create(&p, 1, D, dir, &err) == EO_STATUS_OK) {
            for (int a = 0; a < 2; a++) {
                double b;
                double t = best_of(3, algs[a], f1, p, EO_HISTORY_NONE, &b);
                printf("RESULT %s_cecf1_30: seconds=%.4f best=%.4g\n", algs[a], t, b);
            }
            eo_cec2017_destroy(p);
        } else {
            fprintf(stderr, "bench_opt_overhead: %s (F1 skipped)\n", err.msg);
        }
    } else {
        fprintf(stderr, "bench_opt_overhead: %s (F1 skipped)\n", err.msg);
    }
    return 0;
}
