/* Report sections of the optimisation side: convergence curves, the CEC
 * 2017 rank table and a tuning study's trials with parameter importance. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/report.h"

static void reset(eo_strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
}

eo_status eo_report_add_convergence(eo_report *r, const char *title, const char *ylabel,
                                    const eo_report_curve *curves, int n_curves, int log_y,
                                    eo_error *err)
{
    if (!r || !curves || n_curves <= 0 || n_curves > 32)
        return eo_error_set(err, EO_STATUS_USAGE, "convergence report: needs 1..32 curves");
    eo_series s[32];
    double *xs[32] = {0};
    eo_status st = EO_STATUS_OK;
    for (int i = 0; i < n_curves; i++) {
        if (curves[i].n && !curves[i].y)
            return eo_error_set(err, EO_STATUS_USAGE, "convergence report: curve '%s' has no values",
                                curves[i].label ? curves[i].label : "");
        s[i].label = curves[i].label;
        s[i].y = curves[i].y;
        s[i].n = curves[i].n;
        s[i].style = EO_SERIES_LINE;
        s[i].x = curves[i].x;
        if (!s[i].x && curves[i].n) {
            /* evaluations count from 1 */
            xs[i] = malloc(sizeof(double) * curves[i].n);
            if (!xs[i]) {
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "convergence report: out of memory");
                goto done;
            }
            for (size_t j = 0; j < curves[i].n; j++)
                xs[i][j] = (double)(j + 1);
            s[i].x = xs[i];
        }
    }
    eo_report_heading(r, 2, title ? title : "Convergence");
    eo_plot_options o;
    eo_plot_defaults(&o);
    o.title = "Best-so-far fitness vs evaluations";
    o.xlabel = "evaluations";
    o.ylabel = ylabel ? ylabel : "best fitness";
    o.log_y = log_y;
    o.width_px = 700;
    o.height_px = 380;
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    st = eo_svg_line_plot(&svg, &o, s, n_curves, err);
    if (!st)
        eo_report_figure(r, eo_strbuf_str(&svg), NULL, "line-plot", "convergence");
    eo_strbuf_destroy(&svg);
    if (st)
        goto done;
    {
        const char *hdr[3] = {"optimiser", "evaluations", "best"};
        char cells[32][3][48];
        const char *cp[32 * 3];
        for (int i = 0; i < n_curves; i++) {
            double best = INFINITY;
            for (size_t j = 0; j < curves[i].n; j++)
                if (isfinite(curves[i].y[j]) && curves[i].y[j] < best)
                    best = curves[i].y[j];
            snprintf(cells[i][0], 48, "%s", curves[i].label ? curves[i].label : "");
            /* evaluations: the last x when given (curves sampled at
             * evaluation counts), else the number of points */
            if (curves[i].x && curves[i].n)
                snprintf(cells[i][1], 48, "%.0f", curves[i].x[curves[i].n - 1]);
            else
                snprintf(cells[i][1], 48, "%zu", curves[i].n);
            if (isfinite(best))
                snprintf(cells[i][2], 48, "%.6g", best);
            else
                snprintf(cells[i][2], 48, "-");
            for (int c = 0; c < 3; c++)
                cp[i * 3 + c] = cells[i][c];
        }
        eo_report_table(r, "Final best of each optimiser", 3, hdr, n_curves, cp);
    }
done:
    for (int i = 0; i < n_curves; i++)
        free(xs[i]);
    return st;
}

/* Ranks of v[0..n) (1 = smallest), ties share their mean rank; NaN last. */
static void rank_of(const double *v, int n, double *rank)
{
    for (int i = 0; i < n; i++) {
        double vi = isfinite(v[i]) ? v[i] : INFINITY;
        int less = 0, equal = 0;
        for (int j = 0; j < n; j++) {
            double vj = isfinite(v[j]) ? v[j] : INFINITY;
            if (vj < vi)
                less++;
            else if (vj == vi)
                equal++;
        }
        rank[i] = less + (equal + 1) / 2.0;
    }
}

eo_status eo_report_add_cec_ranks(eo_report *r, const char *const *algorithms, int n_alg,
                                  const char *const *functions, int n_fun, const double *err_mean,
                                  eo_error *err)
{
    if (!r || !algorithms || !functions || !err_mean || n_alg <= 0 || n_alg > 32 || n_fun <= 0)
        return eo_error_set(err, EO_STATUS_USAGE, "CEC rank report: needs 1..32 algorithms and functions");
    int nc = 1 + 2 * n_alg;
    double *rank = malloc(sizeof *rank * (size_t)n_fun * (size_t)n_alg);
    double *mean_rank = calloc((size_t)n_alg, sizeof *mean_rank);
    char(*cells)[32] = calloc((size_t)(n_fun + 1) * (size_t)nc, sizeof *cells);
    const char **cp = calloc((size_t)(n_fun + 1) * (size_t)nc, sizeof *cp);
    const char **hdr = calloc((size_t)nc, sizeof *hdr);
    char(*hcells)[48] = calloc((size_t)nc, sizeof *hcells);
    eo_status st = EO_STATUS_OK;
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    if (!rank || !mean_rank || !cells || !cp || !hdr || !hcells) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "CEC rank report: out of memory");
        goto done;
    }
    for (int f = 0; f < n_fun; f++) {
        rank_of(err_mean + (size_t)f * n_alg, n_alg, rank + (size_t)f * n_alg);
        for (int a = 0; a < n_alg; a++)
            mean_rank[a] += rank[(size_t)f * n_alg + a] / n_fun;
    }
    hdr[0] = "function";
    for (int a = 0; a < n_alg; a++) {
        snprintf(hcells[1 + 2 * a], 48, "%s error", algorithms[a]);
        snprintf(hcells[2 + 2 * a], 48, "rank");
        hdr[1 + 2 * a] = hcells[1 + 2 * a];
        hdr[2 + 2 * a] = hcells[2 + 2 * a];
    }
    for (int f = 0; f <= n_fun; f++) {
        snprintf(cells[(size_t)f * nc], 32, "%s", f < n_fun ? functions[f] : "mean rank");
        for (int a = 0; a < n_alg; a++) {
            if (f < n_fun) {
                snprintf(cells[(size_t)f * nc + 1 + 2 * a], 32, "%.3e", err_mean[(size_t)f * n_alg + a]);
                snprintf(cells[(size_t)f * nc + 2 + 2 * a], 32, "%.1f", rank[(size_t)f * n_alg + a]);
            } else
                snprintf(cells[(size_t)f * nc + 2 + 2 * a], 32, "%.2f", mean_rank[a]);
        }
    }
    for (int i = 0; i < (n_fun + 1) * nc; i++)
        cp[i] = cells[i];
    eo_report_heading(r, 2, "CEC 2017 ranks");
    eo_report_table(r, "Mean final error and rank per function (1 = best; ties share the mean rank)", nc, hdr,
                    n_fun + 1, cp);
    eo_series g = {NULL, NULL, mean_rank, (size_t)n_alg, EO_SERIES_LINE}; /* one series: no legend */
    eo_plot_options o;
    eo_plot_defaults(&o);
    o.title = "Mean rank over functions (lower is better)";
    o.ylabel = "mean rank";
    o.ymin = 0;
    o.ymax = n_alg;
    st = eo_svg_bar_chart(&svg, &o, algorithms, n_alg, &g, 1, err);
    if (!st)
        eo_report_figure(r, eo_strbuf_str(&svg), NULL, "bar-chart", "cec-mean-rank");
done:
    eo_strbuf_destroy(&svg);
    free(rank);
    free(mean_rank);
    free(cells);
    free(cp);
    free(hdr);
    free(hcells);
    return st;
}

/* Spearman rank correlation of a and b over n points (Pearson on ranks,
 * ties at their mean rank).  0 when either is constant. */
static double spearman(const double *a, const double *b, int n, double *ra, double *rb)
{
    rank_of(a, n, ra);
    rank_of(b, n, rb);
    double ma = 0, mb = 0;
    for (int i = 0; i < n; i++) {
        ma += ra[i] / n;
        mb += rb[i] / n;
    }
    double sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < n; i++) {
        sab += (ra[i] - ma) * (rb[i] - mb);
        saa += (ra[i] - ma) * (ra[i] - ma);
        sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0;
}

eo_status eo_report_add_study(eo_report *r, const char *title, const char *const *params,
                              int n_params, const double *values, const double *fitness,
                              size_t n_trials, eo_error *err)
{
    if (!r || !params || n_params <= 0 || n_params > 64 || !values || !fitness || n_trials == 0 ||
        n_trials > 1000000)
        return eo_error_set(err, EO_STATUS_USAGE, "study report: needs 1..64 parameters and trials");
    size_t nt = n_trials;
    double *col = malloc(sizeof(double) * nt), *fit = malloc(sizeof(double) * nt);
    double *ra = malloc(sizeof(double) * nt), *rb = malloc(sizeof(double) * nt);
    double *idx = malloc(sizeof(double) * nt), *best = malloc(sizeof(double) * nt);
    double imp[64];
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    eo_status st = EO_STATUS_OK;
    if (!col || !fit || !ra || !rb || !idx || !best) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "study report: out of memory");
        goto done;
    }
    double b = INFINITY;
    for (size_t t = 0; t < nt; t++) {
        idx[t] = (double)(t + 1);
        if (isfinite(fitness[t]) && fitness[t] < b)
            b = fitness[t];
        best[t] = isfinite(b) ? b : NAN;
    }
    eo_report_heading(r, 2, title ? title : "Tuning study");
    {
        eo_series s[2] = {{"trial fitness", idx, fitness, nt, EO_SERIES_MARKERS},
                          {"best so far", idx, best, nt, EO_SERIES_LINE}};
        eo_plot_options o;
        eo_plot_defaults(&o);
        o.title = "Trials";
        o.xlabel = "trial";
        o.ylabel = "fitness (lower is better)";
        o.width_px = 640;
        st = eo_svg_line_plot(&svg, &o, s, 2, err);
        if (st)
            goto done;
        eo_report_figure(r, eo_strbuf_str(&svg), NULL, "line-plot", "study-trials");
    }
    for (int p = 0; p < n_params; p++) {
        int m = 0;
        for (size_t t = 0; t < nt; t++)
            if (isfinite(fitness[t]) && isfinite(values[t * (size_t)n_params + (size_t)p])) {
                col[m] = values[t * (size_t)n_params + (size_t)p];
                fit[m] = fitness[t];
                m++;
            }
        imp[p] = m >= 3 ? fabs(spearman(col, fit, m, ra, rb)) : NAN;
    }
    {
        eo_series g = {"|Spearman rho| with fitness", NULL, imp, (size_t)n_params, EO_SERIES_LINE};
        eo_plot_options o;
        eo_plot_defaults(&o);
        o.title = "Parameter importance";
        o.ylabel = "|rho|";
        o.ymin = 0;
        o.ymax = 1;
        o.width_px = 120 + 90.0 * n_params;
        o.height_px = 300;
        reset(&svg);
        st = eo_svg_bar_chart(&svg, &o, params, n_params, &g, 1, err);
        if (st)
            goto done;
        eo_report_figure(r, eo_strbuf_str(&svg),
                         "Importance = |Spearman rank correlation| between the parameter and the fitness over "
                         "the finished trials (monotone effects only).",
                         "bar-chart", "study-importance");
    }
done:
    eo_strbuf_destroy(&svg);
    free(col);
    free(fit);
    free(ra);
    free(rb);
    free(idx);
    free(best);
    return st;
}
