/* ecgopt study show — the best trials and the convergence of each run of a
 * study file (read-only). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/json.h"
#include "ecgopt/report.h"
#include "ecgopt/study.h"
#include "ecgopt/util.h"

/* Also called by cmd_tune.c (tune --report); declared there. */
eo_status eo_cli_study_report(const char *study_path, const char *html_path, eo_error *err);

static void usage(void)
{
    printf("usage: ecgopt study show STUDY.db [STUDY2.db ...] [--top N] [--report FILE.html]\n"
           "                         [--json] [--quiet]\n"
           "\n"
           "Prints each run (optimiser, trials, failed, cached, wall time, best fitness and\n"
           "parameters, the winner's test figures), the --top (10) trials of the study, and\n"
           "the convergence of each run (best fitness after each iteration).  For compress-cae\n"
           "studies also the paper's Table I (best validation MSE, epochs, latent size).\n"
           "--report FILE.html  also write an HTML report: convergence of each optimiser (best-so-far\n"
           "                    vs evaluations), the runs and best trials, parameter importance, and\n"
           "                    the winners' test-split figures when the study has them (one file)\n"
           "Several files (e.g. the three compress-cae arms, one study file each): each is\n"
           "shown, then one comparison table of every run (evaluations = trials not served by\n"
           "the cache) and, when all are compress-cae arms, Table I across them; --json gives\n"
           "{\"studies\":[...]} with one object per file.\n"
           "\n"
           "common options: --json (result as JSON on stdout)  --quiet (errors only on stderr)\n"
           "  --progress (draw progress even when stderr is not a terminal)  --data DIR\n"
           "example:\n"
           "  ecgopt study show cae.db --top 5\n"
           "  ecgopt study show cae.db --report cae.html\n"
           "  ecgopt study show cae-attention.db cae-baseline.db cae-baseline-att.db\n");
}

static void print_params(const eo_study_info *in, const eo_study_trial *t)
{
    if (t->params[0]) {
        printf(" %s", t->params);
        return;
    }
    for (size_t i = 0; i < in->dim; i++)
        printf(" %s=%.6g", in->names[i], t->values[i]);
}

static int cmp_fit(const void *a, const void *b)
{
    const eo_study_trial *x = *(const eo_study_trial *const *)a, *y = *(const eo_study_trial *const *)b;
    if (x->fitness < y->fitness) return -1;
    if (x->fitness > y->fitness) return 1;
    if (x->run != y->run) return x->run < y->run ? -1 : 1;
    return x->number < y->number ? -1 : x->number > y->number;
}

/* best-so-far after each iteration of run r; returns the iteration count */
static long long convergence(const eo_study_info *in, long long run, double *curve, long long cap)
{
    long long n = 0;
    for (size_t k = 0; k < in->n_trials; k++)
        if (in->trials[k].run == run && in->trials[k].iteration + 1 > n)
            n = in->trials[k].iteration + 1;
    if (n > cap)
        n = cap;
    for (long long i = 0; i < n; i++)
        curve[i] = INFINITY;
    for (size_t k = 0; k < in->n_trials; k++) {
        const eo_study_trial *t = &in->trials[k];
        if (t->run != run || t->status != EO_TRIAL_OK || t->iteration >= n)
            continue;
        if (t->fitness < curve[t->iteration])
            curve[t->iteration] = t->fitness;
    }
    for (long long i = 1; i < n; i++)
        if (curve[i - 1] < curve[i])
            curve[i] = curve[i - 1];
    return n;
}

static const char *run_name(const eo_study_info *in, long long run)
{
    for (int r = 0; r < in->n_runs; r++)
        if (in->runs[r].id == run)
            return in->runs[r].optimizer;
    return "?";
}

/* The HTML study report: one convergence curve per run (best-so-far fitness
 * against the run's trials in completion order, cached trials included since
 * the optimiser asked for them), the runs, the best trials, parameter
 * importance (eo_report_add_study) and the test-split figures of each
 * winner when the study has them. */
eo_status eo_cli_study_report(const char *study_path, const char *html_path, eo_error *err)
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
        size_t n_ok = 0;
        for (size_t k = 0; k < nt; k++)
            if (in->trials[k].status == EO_TRIAL_OK)
                ok[n_ok++] = &in->trials[k];
        qsort(ok, n_ok, sizeof *ok, cmp_fit);
        size_t top = n_ok < 10 ? n_ok : 10;
        const char *hdr[5] = {"optimiser", "trial", "fitness", "parameters", "info"};
        for (size_t k = 0; k < top; k++) {
            const eo_study_trial *t = ok[k];
            char(*row)[160] = cells + k * 5;
            snprintf(row[0], 160, "%s", run_name(in, t->run));
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
    eo_study_info_free(in);
    return st;
}

/* The compress-cae presets (the search and its two baseline arms) get the
 * paper's Table I. */
static int is_cae_objective(const char *objective)
{
    return strncmp(objective, "compress-cae", 12) == 0;
}

static void cae_figures(const eo_study_run_info *ri, double *prdn, double *cr)
{
    *prdn = *cr = NAN;
    for (int k = 0; k < ri->n_results; k++) {
        if (!strcmp(ri->result_key[k], "test_prdn")) *prdn = ri->result_value[k];
        if (!strcmp(ri->result_key[k], "test_cr")) *cr = ri->result_value[k];
    }
}

static void show_json(eo_json *j, const char *path, const eo_study_info *in,
                      const eo_study_trial *const *ok, size_t n_ok, long top, double *curve)
{
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "study", path);
    eo_json_kv_str(j, "objective", in->objective);
    eo_json_kv_str(j, "version", in->version);
    eo_json_key(j, "runs");
    eo_json_arr_begin(j);
    for (int r = 0; r < in->n_runs; r++) {
        const eo_study_run_info *ri = &in->runs[r];
        eo_json_obj_begin(j);
        eo_json_kv_str(j, "optimizer", ri->optimizer);
        eo_json_kv_int(j, "seed", (long long)ri->seed);
        eo_json_kv_int(j, "trials", ri->trials);
        eo_json_kv_int(j, "failed", ri->failed);
        eo_json_kv_int(j, "cached", ri->cached);
        eo_json_kv_int(j, "iterations", ri->iterations);
        eo_json_kv_bool(j, "finished", ri->finished);
        eo_json_kv_num(j, "seconds", ri->seconds);
        eo_json_kv_num(j, "best", ri->best);
        if (ri->best_trial >= 0) {
            const eo_study_trial *t = &in->trials[ri->best_trial];
            eo_json_key(j, "params");
            eo_json_obj_begin(j);
            for (size_t i = 0; i < in->dim; i++)
                eo_json_kv_num(j, in->names[i], t->values[i]);
            eo_json_obj_end(j);
            eo_json_kv_str(j, "info", t->info);
        }
        for (int k = 0; k < ri->n_results; k++)
            eo_json_kv_num(j, ri->result_key[k], ri->result_value[k]);
        long long n = convergence(in, ri->id, curve, 100000);
        eo_json_key(j, "convergence");
        eo_json_arr_begin(j);
        for (long long i = 0; i < n; i++)
            eo_json_num(j, curve[i]);
        eo_json_arr_end(j);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
    eo_json_key(j, "top");
    eo_json_arr_begin(j);
    for (size_t k = 0; k < n_ok && (long)k < top; k++) {
        const eo_study_trial *t = ok[k];
        eo_json_obj_begin(j);
        eo_json_kv_int(j, "run", t->run);
        eo_json_kv_int(j, "number", t->number);
        eo_json_kv_num(j, "fitness", t->fitness);
        eo_json_kv_str(j, "info", t->info);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
    eo_json_obj_end(j);
}

static void show_text(const char *path, const eo_study_info *in, const eo_study_trial *const *ok,
                      size_t n_ok, long top, double *curve)
{
    printf("study %s: objective %s, %zu dimensions, %zu trials, %d runs (ecgopt %s)\n", path,
           in->objective, in->dim, in->n_trials, in->n_runs, in->version);
    printf("\n%-10s %6s %7s %6s %6s %7s %9s %12s  %s\n", "optimizer", "seed", "trials", "failed",
           "cached", "iters", "wall_s", "best", "winner");
    for (int r = 0; r < in->n_runs; r++) {
        const eo_study_run_info *ri = &in->runs[r];
        printf("%-10s %6llu %7lld %6lld %6lld %7lld %9.1f %12.6g ", ri->optimizer,
               (unsigned long long)ri->seed, ri->trials, ri->failed, ri->cached, ri->iterations,
               ri->seconds, ri->best);
        if (ri->best_trial >= 0)
            print_params(in, &in->trials[ri->best_trial]);
        for (int k = 0; k < ri->n_results; k++)
            printf(" %s=%.6g", ri->result_key[k], ri->result_value[k]);
        printf("%s\n", ri->finished ? "" : " (unfinished)");
    }
    if (is_cae_objective(in->objective)) {
        printf("\nTable I (Krishna n.d.): best validation MSE, epochs, latent size; test PRDN and CR of each winner\n");
        printf("%-10s %12s %7s %7s %10s %8s\n", "method", "best_mse", "epochs", "latent",
               "test_prdn", "test_cr");
        for (int r = 0; r < in->n_runs; r++) {
            const eo_study_run_info *ri = &in->runs[r];
            if (ri->best_trial < 0)
                continue;
            const eo_study_trial *t = &in->trials[ri->best_trial];
            double prdn, cr;
            cae_figures(ri, &prdn, &cr);
            printf("%-10s %12.6g %7.0f %7.0f %10.3f %8.3f\n", ri->optimizer, t->fitness, t->aux[0],
                   t->aux[1], prdn, cr);
        }
    }
    printf("\ntop %ld trials\n%-10s %7s %12s  %s\n", top, "optimizer", "trial", "fitness",
           "parameters");
    for (size_t k = 0; k < n_ok && (long)k < top; k++) {
        const eo_study_trial *t = ok[k];
        printf("%-10s %7lld %12.6g ", run_name(in, t->run), t->number, t->fitness);
        print_params(in, t);
        printf("  %s\n", t->info);
    }
    printf("\nconvergence (best fitness after each iteration)\n");
    for (int r = 0; r < in->n_runs; r++) {
        long long n = convergence(in, in->runs[r].id, curve, 100000);
        printf("%-10s", in->runs[r].optimizer);
        for (long long i = 0; i < n; i++)
            printf(" %.4g", curve[i]);
        printf("\n");
    }
}

/* Several study files (e.g. the arms of Krishna n.d., one preset each): one
 * row per run of every file, evaluations = trials that were not cache hits;
 * when every file is a compress-cae arm, also Table I across the arms. */
static void show_comparison(const char *const *paths, eo_study_info *const *ins, int n)
{
    printf("\ncomparison of %d study files\n%-24s %-32s %-10s %6s %7s %7s %9s %12s\n", n, "file",
           "objective", "optimizer", "seed", "trials", "evals", "wall_s", "best");
    int all_cae = 1;
    for (int f = 0; f < n; f++) {
        all_cae &= is_cae_objective(ins[f]->objective);
        for (int r = 0; r < ins[f]->n_runs; r++) {
            const eo_study_run_info *ri = &ins[f]->runs[r];
            printf("%-24s %-32s %-10s %6llu %7lld %7lld %9.1f %12.6g%s\n", paths[f],
                   ins[f]->objective, ri->optimizer, (unsigned long long)ri->seed, ri->trials,
                   ri->trials - ri->cached, ri->seconds, ri->best,
                   ri->finished ? "" : " (unfinished)");
        }
    }
    if (!all_cae)
        return;
    printf("\nTable I (Krishna n.d.) across the arms: best validation MSE, epochs, latent size; test "
           "PRDN and CR of each winner\n%-32s %-10s %12s %7s %7s %10s %8s\n", "arm", "method",
           "best_mse", "epochs", "latent", "test_prdn", "test_cr");
    for (int f = 0; f < n; f++)
        for (int r = 0; r < ins[f]->n_runs; r++) {
            const eo_study_run_info *ri = &ins[f]->runs[r];
            if (ri->best_trial < 0)
                continue;
            const eo_study_trial *t = &ins[f]->trials[ri->best_trial];
            double prdn, cr;
            cae_figures(ri, &prdn, &cr);
            printf("%-32s %-10s %12.6g %7.0f %7.0f %10.3f %8.3f\n", ins[f]->objective, ri->optimizer,
                   t->fitness, t->aux[0], t->aux[1], prdn, cr);
        }
}

#define STUDY_MAX_FILES 64

int eo_cmd_study(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "study", &argc, argv))
        return c.rc;
    if (c.help) {
        usage();
        return 0;
    }
    const char *paths[STUDY_MAX_FILES];
    int n_paths = 0;
    const char *report = NULL;
    long top = 10;
    int show = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int r;
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--top", &v)) != 0) {
            if (r < 0 || eo_cli_parse_long(&c, "--top", v, 1, 1000000, &top))
                return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--report", &report)) != 0) {
            if (r < 0)
                return 1;
        } else if (!show && !strcmp(argv[i], "show")) {
            show = 1;
        } else if (show && argv[i][0] != '-') {
            if (n_paths == STUDY_MAX_FILES)
                return eo_cli_usage(&c, "at most %d study files", STUDY_MAX_FILES);
            paths[n_paths++] = argv[i];
        } else {
            return eo_cli_usage(&c, "unexpected argument '%s'", argv[i]);
        }
    }
    if (!show || n_paths == 0)
        return eo_cli_usage(&c, "expected: study show STUDY.db [STUDY2.db ...]");
    if (top < 0)
        return eo_cli_usage(&c, "--top must be >= 0");
    if (report && n_paths > 1)
        return eo_cli_usage(&c, "--report takes one study file (got %d)", n_paths);
    eo_error err;
    if (report && eo_cli_output(&c, report, &err))
        return eo_cli_fail(&c, &err);
    eo_study_info *ins[STUDY_MAX_FILES] = {0};
    for (int f = 0; f < n_paths; f++)
        if (eo_study_info_load(paths[f], &ins[f], &err) != EO_STATUS_OK) {
            for (int g = 0; g < f; g++)
                eo_study_info_free(ins[g]);
            return eo_cli_fail(&c, &err);
        }
    size_t max_trials = 0;
    for (int f = 0; f < n_paths; f++)
        if (ins[f]->n_trials > max_trials)
            max_trials = ins[f]->n_trials;
    const eo_study_trial **ok = malloc((max_trials + 1) * sizeof *ok);
    double *curve = malloc(100000 * sizeof *curve);
    if (!ok || !curve) {
        free(ok);
        free(curve);
        for (int f = 0; f < n_paths; f++)
            eo_study_info_free(ins[f]);
        eo_error_set(&err, EO_STATUS_NO_MEMORY, "study: out of memory");
        return eo_cli_fail(&c, &err);
    }
    eo_json j;
    if (c.json) {
        eo_json_init(&j, stdout);
        if (n_paths > 1) {
            eo_json_obj_begin(&j);
            eo_json_key(&j, "studies");
            eo_json_arr_begin(&j);
        }
    }
    for (int f = 0; f < n_paths; f++) {
        const eo_study_info *in = ins[f];
        size_t n_ok = 0;
        for (size_t k = 0; k < in->n_trials; k++)
            if (in->trials[k].status == EO_TRIAL_OK)
                ok[n_ok++] = &in->trials[k];
        qsort(ok, n_ok, sizeof *ok, cmp_fit);
        if (c.json) {
            show_json(&j, paths[f], in, ok, n_ok, top, curve);
        } else {
            if (f > 0)
                printf("\n");
            show_text(paths[f], in, ok, n_ok, top, curve);
        }
    }
    if (c.json && n_paths > 1) {
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
    }
    if (!c.json && n_paths > 1)
        show_comparison(paths, ins, n_paths);
    free(ok);
    free(curve);
    for (int f = 0; f < n_paths; f++)
        eo_study_info_free(ins[f]);
    if (report) {
        fflush(stdout);
        if (eo_cli_study_report(paths[0], report, &err) != EO_STATUS_OK)
            return eo_cli_fail(&c, &err);
        eo_cli_info(&c, "study: wrote %s\n", report);
    }
    return 0;
}
