/* ecgopt study show — the best trials and the convergence of each run of a
 * study file (read-only). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/json.h"
#include "ecgopt/study.h"
#include "ecgopt/util.h"

static void print_params(const eo_study_info *in, const eo_study_trial *t)
{
    if (t->params[0]) {
        printf(" %s", t->params);
        return;
    }
    for (size_t i = 0; i < in->dim; i++)
        printf(" %s=%.6g", in->names[i], t->values[i]);
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
        long long n = eo_study_info_convergence(in, ri->id, curve, 100000);
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
        printf("%-10s %7lld %12.6g ", eo_study_info_run_optimizer(in, t->run), t->number, t->fitness);
        print_params(in, t);
        printf("  %s\n", t->info);
    }
    printf("\nconvergence (best fitness after each iteration)\n");
    for (int r = 0; r < in->n_runs; r++) {
        long long n = eo_study_info_convergence(in, in->runs[r].id, curve, 100000);
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
    const char *pos[STUDY_MAX_FILES + 1];
    int n_pos = 0;
    const char *report = NULL;
    long top = 10;
    const eo_cli_opt opts[] = {
        {"--top", EO_OPT_LONG, &top, 1, 1000000, "N", "the N best trials of the study (default 10)", NULL},
        {"--report", EO_OPT_STR, &report, 0, 0, "FILE.html",
         "also write an HTML report: convergence of each optimiser (best-so-far vs\n"
         "evaluations), the runs and best trials, parameter importance, and the winners'\n"
         "test-split figures when the study has them (one study file)", NULL},
        EO_OPT_TABLE_END};
    if (c.help) {
        eo_cli_spec spec = {
            "study show STUDY.db [STUDY2.db ...] [--top N] [--report FILE.html]",
            "Prints each run (optimiser, trials, failed, cached, wall time, best fitness and\n"
            "parameters, the winner's test figures), the --top trials of the study, and the\n"
            "convergence of each run (best fitness after each iteration).  For compress-cae\n"
            "studies also the paper's Table I (best validation MSE, epochs, latent size).\n"
            "Several files (e.g. the three compress-cae arms, one study file each): each is\n"
            "shown, then one comparison table of every run (evaluations = trials not served by\n"
            "the cache) and, when all are compress-cae arms, Table I across them; --json gives\n"
            "{\"studies\":[...]} with one object per file.\n",
            opts,
            "ecgopt study show cae.db --top 5\n"
            "ecgopt study show cae.db --report cae.html\n"
            "ecgopt study show cae-attention.db cae-baseline.db cae-baseline-att.db\n",
            NULL};
        eo_cli_help(&c, &spec);
        return 0;
    }
    if (eo_cli_parse(&c, opts, argc, argv, pos, STUDY_MAX_FILES + 1, &n_pos, "study file"))
        return 1;
    if (n_pos < 2 || strcmp(pos[0], "show") != 0)
        return eo_cli_usage(&c, "expected: study show STUDY.db [STUDY2.db ...]");
    const char *const *paths = pos + 1;
    int n_paths = n_pos - 1;
    if (report && n_paths > 1)
        return eo_cli_usage(&c, "--report takes one study file (got %d)", n_paths);
    eo_error err;
    if (report && eo_cli_output(&c, report, &err))
        return eo_cli_fail(&c, &err);
    eo_study_info *ins[STUDY_MAX_FILES] = {0};
    for (int f = 0; f < n_paths; f++)
        if (eo_study_info_load(paths[f], &ins[f], &err) != EO_STATUS_OK) {
            for (int g = 0; g < f; g++)
                eo_study_info_destroy(ins[g]);
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
            eo_study_info_destroy(ins[f]);
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
        size_t n_ok = eo_study_info_ranked(in, ok);
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
        eo_study_info_destroy(ins[f]);
    if (report) {
        fflush(stdout);
        if (eo_study_report_write(paths[0], report, &err) != EO_STATUS_OK)
            return eo_cli_fail(&c, &err);
        eo_cli_info(&c, "study: wrote %s\n", report);
    }
    return 0;
}
