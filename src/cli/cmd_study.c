/* ecgopt study show — the best trials and the convergence of each run of a
 * study file (read-only). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/json.h"
#include "ecgopt/study.h"

static void usage(void)
{
    printf("usage: ecgopt study show STUDY.db [--top N] [--json]\n"
           "\n"
           "Prints each run (optimiser, trials, failed, cached, wall time, best fitness and\n"
           "parameters, the winner's test figures), the --top (10) trials of the study, and\n"
           "the convergence of each run (best fitness after each iteration).  For compress-cae\n"
           "studies also the paper's Table I (best validation MSE, epochs, latent size).\n"
           "\n"
           "example:\n"
           "  ecgopt study show cae.db --top 5\n");
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

int eo_cmd_study(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "study", &argc, argv))
        return 1;
    if (c.help) {
        usage();
        return 0;
    }
    const char *path = NULL;
    long top = 10;
    int show = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int r;
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--top", &v)) != 0) {
            if (r < 0 || eo_cli_parse_long(&c, "--top", v, &top))
                return 1;
        } else if (!show && !strcmp(argv[i], "show")) {
            show = 1;
        } else if (show && !path && argv[i][0] != '-') {
            path = argv[i];
        } else {
            return eo_cli_usage(&c, "unexpected argument '%s'", argv[i]);
        }
    }
    if (!show || !path)
        return eo_cli_usage(&c, "expected: study show STUDY.db");
    if (top < 0)
        return eo_cli_usage(&c, "--top must be >= 0");
    eo_error err;
    eo_study_info *in = NULL;
    if (eo_study_info_load(path, &in, &err) != EO_STATUS_OK)
        return eo_cli_fail(&c, &err);
    const eo_study_trial **ok = malloc((in->n_trials + 1) * sizeof *ok);
    double *curve = malloc(100000 * sizeof *curve);
    if (!ok || !curve) {
        free(ok);
        free(curve);
        eo_study_info_free(in);
        eo_error_set(&err, EO_STATUS_NO_MEMORY, "study: out of memory");
        return eo_cli_fail(&c, &err);
    }
    size_t n_ok = 0;
    for (size_t k = 0; k < in->n_trials; k++)
        if (in->trials[k].status == EO_TRIAL_OK)
            ok[n_ok++] = &in->trials[k];
    qsort(ok, n_ok, sizeof *ok, cmp_fit);
    int is_cae = !strcmp(in->objective, "compress-cae");
    if (c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "study", path);
        eo_json_kv_str(&j, "objective", in->objective);
        eo_json_kv_str(&j, "version", in->version);
        eo_json_key(&j, "runs");
        eo_json_arr_begin(&j);
        for (int r = 0; r < in->n_runs; r++) {
            const eo_study_run_info *ri = &in->runs[r];
            eo_json_obj_begin(&j);
            eo_json_kv_str(&j, "optimizer", ri->optimizer);
            eo_json_kv_int(&j, "seed", (long long)ri->seed);
            eo_json_kv_int(&j, "trials", ri->trials);
            eo_json_kv_int(&j, "failed", ri->failed);
            eo_json_kv_int(&j, "cached", ri->cached);
            eo_json_kv_int(&j, "iterations", ri->iterations);
            eo_json_kv_bool(&j, "finished", ri->finished);
            eo_json_kv_num(&j, "seconds", ri->seconds);
            eo_json_kv_num(&j, "best", ri->best);
            if (ri->best_trial >= 0) {
                const eo_study_trial *t = &in->trials[ri->best_trial];
                eo_json_key(&j, "params");
                eo_json_obj_begin(&j);
                for (size_t i = 0; i < in->dim; i++)
                    eo_json_kv_num(&j, in->names[i], t->values[i]);
                eo_json_obj_end(&j);
                eo_json_kv_str(&j, "info", t->info);
            }
            for (int k = 0; k < ri->n_results; k++)
                eo_json_kv_num(&j, ri->result_key[k], ri->result_value[k]);
            long long n = convergence(in, ri->id, curve, 100000);
            eo_json_key(&j, "convergence");
            eo_json_arr_begin(&j);
            for (long long i = 0; i < n; i++)
                eo_json_num(&j, curve[i]);
            eo_json_arr_end(&j);
            eo_json_obj_end(&j);
        }
        eo_json_arr_end(&j);
        eo_json_key(&j, "top");
        eo_json_arr_begin(&j);
        for (size_t k = 0; k < n_ok && (long)k < top; k++) {
            const eo_study_trial *t = ok[k];
            eo_json_obj_begin(&j);
            eo_json_kv_int(&j, "run", t->run);
            eo_json_kv_int(&j, "number", t->number);
            eo_json_kv_num(&j, "fitness", t->fitness);
            eo_json_kv_str(&j, "info", t->info);
            eo_json_obj_end(&j);
        }
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
    } else {
        printf("study %s: objective %s, %zu dimensions, %zu trials, %d runs (ecgopt %s)\n", path,
               in->objective, in->dim, in->n_trials, in->n_runs, in->version);
        printf("\n%-10s %6s %7s %6s %6s %7s %9s %12s  %s\n", "optimizer", "seed", "trials",
               "failed", "cached", "iters", "wall_s", "best", "winner");
        for (int r = 0; r < in->n_runs; r++) {
            const eo_study_run_info *ri = &in->runs[r];
            printf("%-10s %6llu %7lld %6lld %6lld %7lld %9.1f %12.6g ", ri->optimizer,
                   (unsigned long long)ri->seed, ri->trials, ri->failed, ri->cached,
                   ri->iterations, ri->seconds, ri->best);
            if (ri->best_trial >= 0)
                print_params(in, &in->trials[ri->best_trial]);
            for (int k = 0; k < ri->n_results; k++)
                printf(" %s=%.6g", ri->result_key[k], ri->result_value[k]);
            printf("%s\n", ri->finished ? "" : " (unfinished)");
        }
        if (is_cae) {
            printf("\nTable I (paper 000): best validation MSE, epochs, latent size; test PRDN and CR of each winner\n");
            printf("%-10s %12s %7s %7s %10s %8s\n", "method", "best_mse", "epochs", "latent",
                   "test_prdn", "test_cr");
            for (int r = 0; r < in->n_runs; r++) {
                const eo_study_run_info *ri = &in->runs[r];
                if (ri->best_trial < 0)
                    continue;
                const eo_study_trial *t = &in->trials[ri->best_trial];
                double prdn = NAN, cr = NAN;
                for (int k = 0; k < ri->n_results; k++) {
                    if (!strcmp(ri->result_key[k], "test_prdn")) prdn = ri->result_value[k];
                    if (!strcmp(ri->result_key[k], "test_cr")) cr = ri->result_value[k];
                }
                printf("%-10s %12.6g %7.0f %7.0f %10.3f %8.3f\n", ri->optimizer, t->fitness,
                       t->aux[0], t->aux[1], prdn, cr);
            }
        }
        printf("\ntop %ld trials\n%-10s %7s %12s  %s\n", top, "optimizer", "trial", "fitness",
               "parameters");
        for (size_t k = 0; k < n_ok && (long)k < top; k++) {
            const eo_study_trial *t = ok[k];
            const char *on = "?";
            for (int r = 0; r < in->n_runs; r++)
                if (in->runs[r].id == t->run)
                    on = in->runs[r].optimizer;
            printf("%-10s %7lld %12.6g ", on, t->number, t->fitness);
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
    free(ok);
    free(curve);
    eo_study_info_free(in);
    return 0;
}
