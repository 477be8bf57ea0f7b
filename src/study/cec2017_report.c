/* The HTML report of a CEC 2017 protocol: ranks (eo_report_add_cec_ranks)
 * and the mean convergence curves of the first 8 functions. */
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/cec2017_report.h"
#include "ecgopt/report.h"

static eo_status add_curves(eo_report *rep, const eo_cec_bench_result *r, double *x, double *y, eo_error *err)
{
    size_t A = r->n_alg, C = r->curve_points;
    eo_status st = EO_STATUS_OK;
    for (size_t c = 0; c < C; c++)
        x[c] = (double)r->curve_evals[c];
    for (size_t f = 0; !st && C > 0 && f < r->n_fun && f < 8; f++) {
        eo_report_curve cv[32];
        for (size_t a = 0; a < A; a++) {
            eo_cec_bench_mean_curve(r, f, a, y + a * C);
            cv[a] = (eo_report_curve){r->algorithms[a], x, y + a * C, C};
        }
        char h[64];
        snprintf(h, sizeof h, "F%d: mean best error over %d runs", r->functions[f], r->runs);
        st = eo_report_add_convergence(rep, h, "mean best error (log)", cv, (int)A, 1, err);
    }
    return st;
}

eo_status eo_cec_bench_report_write(const eo_cec_bench_table *t, const char *path, eo_error *err)
{
    const eo_cec_bench_result *r = t->r;
    size_t A = r->n_alg, F = r->n_fun, C = r->curve_points;
    if (A > 32)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: at most 32 algorithms in a report", path);
    char title[160];
    snprintf(title, sizeof title, "ecgopt bench cec2017: D = %d, %d runs", r->dim, r->runs);
    eo_report *rep = eo_report_create(title);
    char(*fn)[16] = calloc(F, sizeof *fn);
    const char **fp = calloc(F, sizeof *fp);
    double *x = calloc(C ? C : 1, sizeof *x), *y = calloc((C ? C : 1) * A, sizeof *y);
    eo_status st = EO_STATUS_OK;
    if (!rep || !fn || !fp || !x || !y)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    for (size_t f = 0; !st && f < F; f++) {
        snprintf(fn[f], sizeof fn[f], "F%d", r->functions[f]);
        fp[f] = fn[f];
    }
    if (!st)
        st = eo_report_add_cec_ranks(rep, (const char *const *)r->algorithms, (int)A, fp, (int)F, t->mean, err);
    if (!st)
        st = add_curves(rep, r, x, y, err);
    if (!st)
        st = eo_report_write(rep, path, err);
    eo_report_destroy(rep);
    free(fn);
    free(fp);
    free(x);
    free(y);
    return st;
}
