/* A CEC 2017 protocol's results as CSV files (errors.csv, summary.csv,
 * curves.csv), the format eo_cec_bench_load_errors reads back and
 * scripts/cec2017-protocol.sh collects. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ecgopt/cec2017.h"
#include "ecgopt/util.h"

eo_status eo_cec_bench_write_csv(const eo_cec_bench_result *r, const double *mean, const double *std,
                                 const double *pval, const char *dir, eo_error *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot create directory: %s", dir,
                            strerror(errno));
    char path[4200];
    eo_atomic_file af;
    size_t A = r->n_alg, F = r->n_fun, R = (size_t)r->runs, C = r->curve_points;
    eo_status st;
    snprintf(path, sizeof path, "%s/errors.csv", dir);
    if ((st = eo_atomic_open(&af, path, err)))
        return st;
    fprintf(af.fp, "function,dim,algorithm,run,error\n");
    for (size_t f = 0; f < F; f++)
        for (size_t a = 0; a < A; a++)
            for (size_t k = 0; k < R; k++)
                fprintf(af.fp, "%d,%d,%s,%zu,%.17g\n", r->functions[f], r->dim, r->algorithms[a],
                        k + 1 + (size_t)r->first_run, r->error[(f * A + a) * R + k]);
    if ((st = eo_atomic_commit(&af, err)))
        return st;
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    if ((st = eo_atomic_open(&af, path, err)))
        return st;
    fprintf(af.fp, "function,dim,algorithm,mean_error,std_error,wilcoxon_p\n");
    for (size_t f = 0; f < F; f++)
        for (size_t a = 0; a < A; a++)
            fprintf(af.fp, "%d,%d,%s,%.17g,%.17g,%.6g\n", r->functions[f], r->dim,
                    r->algorithms[a], mean[f * A + a], std[f * A + a], pval[f * A + a]);
    if ((st = eo_atomic_commit(&af, err)))
        return st;
    if (C == 0) /* results reloaded from errors.csv carry no curves */
        return EO_STATUS_OK;
    snprintf(path, sizeof path, "%s/curves.csv", dir);
    if ((st = eo_atomic_open(&af, path, err)))
        return st;
    fprintf(af.fp, "function,dim,algorithm,evals,mean_best_error\n");
    for (size_t f = 0; f < F; f++)
        for (size_t a = 0; a < A; a++)
            for (size_t c = 0; c < C; c++) {
                double s = 0;
                for (size_t k = 0; k < R; k++)
                    s += r->curve[((f * A + a) * R + k) * C + c];
                fprintf(af.fp, "%d,%d,%s,%lld,%.10g\n", r->functions[f], r->dim,
                        r->algorithms[a], r->curve_evals[c], s / (double)R);
            }
    return eo_atomic_commit(&af, err);
}

