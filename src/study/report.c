/* The HTML report of a study file (ecgopt tune --report, study show
 * --report): one convergence curve per run, the runs, the best trials,
 * parameter importance and the winners' test-split figures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/report.h"
#include "ecgopt/study.h"

/* The HTML study report: one convergence curve per run (best-so-far fitness
 * against the run's trials in completion order, cached trials included since
 * the optimiser asked for them), the runs, the best trials, parameter
 * importance (eo_report_add_study) and the test-split figures of each
 * winner when the study has them. */
eo_status eo_study_report_write(const char *study_path, const char *html_path, eo_error *err)
{
    eo_study_info *in = NULL;
    eo_status st = eo_study_info_load(study_path, &in, err);
    if (st != EO_STATUS_OK)
        return st;
    size_t nt = in->n_trials, dim = in->dim < 32 ? in->dim : 32;
    char title[512];
    snprintf(title, sizeof title, "ecgopt study %s", study_path);
    eo_report *rep = eo_report_create(title);
    double *xs = malloc((nt + 1) * sizeof *xs), *ys = malloc((nt + 1) * sizeof *ys);
    double *vals = malloc((nt * (dim ? dim : 1) + 1) * sizeof *vals);
    double *fit = malloc((nt + 1) * sizeof *fit);
    const eo_study_trial **ok = malloc((nt + 1) * sizeof *ok);
    char(*cells)[160] = NULL;
    const char **cp = NULL;
    size_t max_rows = (size_t)in->n_runs * 8 + 32, max_cols = 10;
    cells = malloc(max_rows * max_cols * sizeof *cells);
    cp = malloc(max_rows * max_cols * sizeof *cp);
    if (!rep || !xs || !ys || !vals || !fit || !ok || !cells || !cp) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory building the report", html_path);
        goto done;
    }
    {
        char para[1024];
        snprintf(para, sizeof para,
                 "Objective %s, %zu dimensions, %zu trials in %d runs (study written by ecgopt %s).",
                 in->objective, in->dim, nt, in->n_runs, in->version);
        eo_report_paragraph(rep, para);
    }
    /* convergence: each run's trials are contiguous, in completion order */
    {
        eo_report_curve cv[32];
        int ncv = 0, positive = 1;
        double lo = INFINITY, hi = -INFINITY;
        for (int r = 0; r < in->n_runs && ncv < 32; r++) {
            size_t first = nt, n = 0;
            double best = NAN;
            for (size_t k = 0; k < nt; k++) {
                const eo_study_trial *t = &in->trials[k];
                if (t->run != in->runs[r].id)
                    continue;
                if (first == nt)
                    first = k;
                if (t->status == EO_TRIAL_OK && isfinite(t->fitness) && !(t->fitness >= best)) {
                    best = t->fitness;
                    if (best <= 0)
                        positive = 0;
                    if (best < lo) lo = best;
                    if (best > hi) hi = best;
                }
                xs[first + n] = (double)(n + 1);
                ys[first + n] = best; /* NaN before the first success: a gap */
                n++;
            }
            if (n == 0)
                continue;
            cv[ncv].label = in->runs[r].optimizer;
            cv[ncv].x = xs + first;
            cv[ncv].y = ys + first;
            cv[ncv].n = n;
            ncv++;
        }
        if (ncv > 0 && lo <= hi) {
            int log_y = positive && hi > 100 * lo;
            st = eo_report_add_convergence(rep, "Convergence of each optimiser", "best fitness", cv, ncv,
                                           log_y, err);
            if (st != EO_STATUS_OK)
                goto done;
        } else {
            eo_report_heading(rep, 2, "Convergence of each optimiser");
            eo_report_paragraph(rep, "No successful trial yet: nothing to plot.");
        }
    }
    /* runs */
    {
        const char *hdr[9] = {"optimiser", "seed", "trials", "failed", "cached", "iterations",
                              "wall s", "best", "finished"};
        int nr = in->n_runs < 64 ? in->n_runs : 64;
        for (int r = 0; r < nr; r++) {
            const eo_study_run_info *ri = &in->runs[r];
            char(*row)[160] = cells + (size_t)r * 9;
            snprintf(row[0], 160, "%s", ri->optimizer);
            snprintf(row[1], 160, "%llu", (unsigned long long)ri->seed);
            snprintf(row[2], 160, "%lld", ri->trials);
            snprintf(row[3], 160, "%lld", ri->failed);
            snprintf(row[4], 160, "%lld", ri->cached);
            snprintf(row[5], 160, "%lld", ri->iterations);
            snprintf(row[6], 160, "%.1f", ri->seconds);
            snprintf(row[7], 160, "%.6g", ri->best);
            snprintf(row[8], 160, "%s", ri->finished ? "yes" : "no");
            for (int k = 0; k < 9; k++)
                cp[(size_t)r * 9 + k] = row[k];
        }
        eo_report_heading(rep, 2, "Runs");
        eo_report_table(rep, "One run per optimiser", 9, hdr, nr, cp);
    }
    /* best trials */
    {
        size_t n_ok = eo_study_info_ranked(in, ok);
        size_t top = n_ok < 10 ? n_ok : 10;
        const char *hdr[5] = {"optimiser", "trial", "fitness", "parameters", "info"};
        for (size_t k = 0; k < top; k++) {
            const eo_study_trial *t = ok[k];
            char(*row)[160] = cells + k * 5;
            snprintf(row[0], 160, "%s", eo_study_info_run_optimizer(in, t->run));
            snprintf(row[1], 160, "%lld", t->number);
            snprintf(row[2], 160, "%.6g", t->fitness);
            if (t->params[0]) {
                snprintf(row[3], 160, "%s", t->params);
            } else {
                size_t len = 0;
                row[3][0] = '\0';
                for (size_t i = 0; i < dim && len < 150; i++) {
                    int w = snprintf(row[3] + len, 160 - len, "%s%s=%.6g", i ? " " : "", in->names[i],
                                     t->values[i]);
                    if (w < 0)
                        break;
                    len += (size_t)w;
                }
            }
            snprintf(row[4], 160, "%s", t->info);
            for (int c = 0; c < 5; c++)
                cp[k * 5 + c] = row[c];
        }
        eo_report_heading(rep, 2, "Best trials");
        if (top > 0)
            eo_report_table(rep, "The best finished trials of the study, all runs", 5, hdr, (int)top, cp);
        else
            eo_report_paragraph(rep, "No successful trial.");
    }
    /* parameter importance and fitness per trial */
    if (nt > 0 && dim > 0) {
        const char *names[32];
        for (size_t i = 0; i < dim; i++)
            names[i] = in->names[i];
        for (size_t k = 0; k < nt; k++) {
            const eo_study_trial *t = &in->trials[k];
            for (size_t i = 0; i < dim; i++)
                vals[k * dim + i] = t->values[i];
            fit[k] = t->status == EO_TRIAL_OK ? t->fitness : NAN;
        }
        st = eo_report_add_study(rep, "Trials and parameter importance", names, (int)dim, vals, fit, nt,
                                 err);
        if (st != EO_STATUS_OK)
            goto done;
    }
    /* test-split figures of the winners (eo_objective_finalize) */
    {
        size_t n = 0;
        const char *hdr[3] = {"optimiser", "figure", "value"};
        for (int r = 0; r < in->n_runs; r++)
            for (int k = 0; k < in->runs[r].n_results && n + 1 < max_rows; k++, n++) {
                char(*row)[160] = cells + n * 3;
                snprintf(row[0], 160, "%s", in->runs[r].optimizer);
                snprintf(row[1], 160, "%s", in->runs[r].result_key[k]);
                snprintf(row[2], 160, "%.6g", in->runs[r].result_value[k]);
                for (int c = 0; c < 3; c++)
                    cp[n * 3 + c] = row[c];
            }
        if (n > 0) {
            eo_report_heading(rep, 2, "Test split");
            eo_report_table(rep, "Each run's winner retrained and evaluated once on the test split", 3,
                            hdr, (int)n, cp);
        }
    }
    st = eo_report_write(rep, html_path, err);
done:
    free(xs);
    free(ys);
    free(vals);
    free(fit);
    free(ok);
    free(cells);
    free(cp);
    eo_report_destroy(rep);
    eo_study_info_destroy(in);
    return st;
}

