/* A study as JSON or text (`ecgopt study show`, `ecgopt tune`): the runs,
 * the best trials, Table I of the compress-cae presets (Krishna n.d.), the
 * convergence of each run, several study files compared. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/study_show.h"

#define CURVE_MAX 100000

/* The ranked OK trials and a convergence buffer. */
static eo_status ranked(const eo_study_info *in, const eo_study_trial ***ok, size_t *n_ok, double **curve,
                        eo_error *err)
{
    *ok = malloc((in->n_trials + 1) * sizeof **ok);
    *curve = malloc(CURVE_MAX * sizeof **curve);
    if (!*ok || !*curve) {
        free(*ok);
        free(*curve);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "study: out of memory");
    }
    *n_ok = eo_study_info_ranked(in, *ok);
    return EO_STATUS_OK;
}

static void print_params(eo_strbuf *b, const eo_study_info *in, const eo_study_trial *t)
{
    if (t->params[0]) {
        eo_strbuf_printf(b, " %s", t->params);
        return;
    }
    for (size_t i = 0; i < in->dim; i++)
        eo_strbuf_printf(b, " %s=%.6g", in->names[i], t->values[i]);
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

static void json_run(eo_json *j, const eo_study_info *in, const eo_study_run_info *ri, double *curve)
{
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
    long long n = eo_study_info_convergence(in, ri->id, curve, CURVE_MAX);
    eo_json_key(j, "convergence");
    eo_json_arr_begin(j);
    for (long long i = 0; i < n; i++)
        eo_json_num(j, curve[i]);
    eo_json_arr_end(j);
    eo_json_obj_end(j);
}

eo_status eo_study_info_json(eo_json *j, const char *path, const eo_study_info *in, long top,
                             eo_error *err)
{
    const eo_study_trial **ok;
    size_t n_ok = 0;
    double *curve;
    eo_status st = ranked(in, &ok, &n_ok, &curve, err);
    if (st)
        return st;
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "study", path);
    eo_json_kv_str(j, "objective", in->objective);
    eo_json_kv_str(j, "version", in->version);
    eo_json_key(j, "runs");
    eo_json_arr_begin(j);
    for (int r = 0; r < in->n_runs; r++)
        json_run(j, in, &in->runs[r], curve);
    eo_json_arr_end(j);
    eo_json_key(j, "top");
    eo_json_arr_begin(j);
    for (size_t k = 0; k < n_ok && (long)k < top; k++) {
        eo_json_obj_begin(j);
        eo_json_kv_int(j, "run", ok[k]->run);
        eo_json_kv_int(j, "number", ok[k]->number);
        eo_json_kv_num(j, "fitness", ok[k]->fitness);
        eo_json_kv_str(j, "info", ok[k]->info);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
    eo_json_obj_end(j);
    free(ok);
    free(curve);
    return EO_STATUS_OK;
}

static void text_runs(eo_strbuf *b, const eo_study_info *in)
{
    eo_strbuf_printf(b, "\n%-10s %6s %7s %6s %6s %7s %9s %12s  %s\n", "optimizer", "seed", "trials",
                     "failed", "cached", "iters", "wall_s", "best", "winner");
    for (int r = 0; r < in->n_runs; r++) {
        const eo_study_run_info *ri = &in->runs[r];
        eo_strbuf_printf(b, "%-10s %6llu %7lld %6lld %6lld %7lld %9.1f %12.6g ", ri->optimizer,
                         (unsigned long long)ri->seed, ri->trials, ri->failed, ri->cached,
                         ri->iterations, ri->seconds, ri->best);
        if (ri->best_trial >= 0)
            print_params(b, in, &in->trials[ri->best_trial]);
        for (int k = 0; k < ri->n_results; k++)
            eo_strbuf_printf(b, " %s=%.6g", ri->result_key[k], ri->result_value[k]);
        eo_strbuf_printf(b, "%s\n", ri->finished ? "" : " (unfinished)");
    }
}

/* Table I rows of the runs of `in` (prefixed by the arm when `arm`). */
static void table1_rows(eo_strbuf *b, const eo_study_info *in, int arm)
{
    for (int r = 0; r < in->n_runs; r++) {
        const eo_study_run_info *ri = &in->runs[r];
        if (ri->best_trial < 0)
            continue;
        const eo_study_trial *t = &in->trials[ri->best_trial];
        double prdn, cr;
        cae_figures(ri, &prdn, &cr);
        if (arm)
            eo_strbuf_printf(b, "%-32s ", in->objective);
        eo_strbuf_printf(b, "%-10s %12.6g %7.0f %7.0f %10.3f %8.3f\n", ri->optimizer, t->fitness,
                         t->aux[0], t->aux[1], prdn, cr);
    }
}

eo_status eo_study_info_text(eo_strbuf *b, const char *path, const eo_study_info *in, long top,
                             eo_error *err)
{
    const eo_study_trial **ok;
    size_t n_ok = 0;
    double *curve;
    eo_status st = ranked(in, &ok, &n_ok, &curve, err);
    if (st)
        return st;
    eo_strbuf_printf(b, "study %s: objective %s, %zu dimensions, %zu trials, %d runs (ecgopt %s)\n", path,
                     in->objective, in->dim, in->n_trials, in->n_runs, in->version);
    text_runs(b, in);
    if (is_cae_objective(in->objective)) {
        eo_strbuf_printf(b, "\nTable I (Krishna n.d.): best validation MSE, epochs, latent size; test "
                            "PRDN and CR of each winner\n%-10s %12s %7s %7s %10s %8s\n",
                         "method", "best_mse", "epochs", "latent", "test_prdn", "test_cr");
        table1_rows(b, in, 0);
    }
    eo_strbuf_printf(b, "\ntop %ld trials\n%-10s %7s %12s  %s\n", top, "optimizer", "trial", "fitness",
                     "parameters");
    for (size_t k = 0; k < n_ok && (long)k < top; k++) {
        const eo_study_trial *t = ok[k];
        eo_strbuf_printf(b, "%-10s %7lld %12.6g ", eo_study_info_run_optimizer(in, t->run), t->number,
                         t->fitness);
        print_params(b, in, t);
        eo_strbuf_printf(b, "  %s\n", t->info);
    }
    eo_strbuf_printf(b, "\nconvergence (best fitness after each iteration)\n");
    for (int r = 0; r < in->n_runs; r++) {
        long long n = eo_study_info_convergence(in, in->runs[r].id, curve, CURVE_MAX);
        eo_strbuf_printf(b, "%-10s", in->runs[r].optimizer);
        for (long long i = 0; i < n; i++)
            eo_strbuf_printf(b, " %.4g", curve[i]);
        eo_strbuf_printf(b, "\n");
    }
    free(ok);
    free(curve);
    return EO_STATUS_OK;
}

void eo_study_comparison_text(eo_strbuf *b, const char *const *paths, eo_study_info *const *ins, int n)
{
    eo_strbuf_printf(b, "\ncomparison of %d study files\n%-24s %-32s %-10s %6s %7s %7s %9s %12s\n", n,
                     "file", "objective", "optimizer", "seed", "trials", "evals", "wall_s", "best");
    int all_cae = 1;
    for (int f = 0; f < n; f++) {
        all_cae &= is_cae_objective(ins[f]->objective);
        for (int r = 0; r < ins[f]->n_runs; r++) {
            const eo_study_run_info *ri = &ins[f]->runs[r];
            eo_strbuf_printf(b, "%-24s %-32s %-10s %6llu %7lld %7lld %9.1f %12.6g%s\n", paths[f],
                             ins[f]->objective, ri->optimizer, (unsigned long long)ri->seed, ri->trials,
                             ri->trials - ri->cached, ri->seconds, ri->best,
                             ri->finished ? "" : " (unfinished)");
        }
    }
    if (!all_cae)
        return;
    eo_strbuf_printf(b, "\nTable I (Krishna n.d.) across the arms: best validation MSE, epochs, latent "
                        "size; test PRDN and CR of each winner\n%-32s %-10s %12s %7s %7s %10s %8s\n",
                     "arm", "method", "best_mse", "epochs", "latent", "test_prdn", "test_cr");
    for (int f = 0; f < n; f++)
        table1_rows(b, ins[f], 1);
}

void eo_space_values_json(eo_json *j, const eo_space *sp, const double *v)
{
    eo_json_obj_begin(j);
    for (size_t i = 0; i < eo_space_dim(sp) && i < 32; i++) {
        if (eo_space_kind(sp, i) == EO_PARAM_CATEGORICAL)
            eo_json_kv_str(j, eo_space_name(sp, i), eo_space_choice(sp, i, (size_t)v[i]));
        else
            eo_json_kv_num(j, eo_space_name(sp, i), v[i]);
    }
    eo_json_obj_end(j);
}

void eo_study_trial_json(eo_json *j, const char *optimizer, const eo_space *sp, const eo_study_trial *t,
                         double best)
{
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "event", "trial");
    eo_json_kv_str(j, "optimizer", optimizer);
    eo_json_kv_int(j, "number", t->number);
    eo_json_kv_int(j, "iteration", t->iteration);
    eo_json_kv_int(j, "position", t->position);
    eo_json_key(j, "params");
    eo_space_values_json(j, sp, t->values);
    eo_json_kv_num(j, "fitness", t->fitness);
    eo_json_kv_str(j, "status", eo_trial_status_name(t->status));
    eo_json_kv_bool(j, "cached", t->cached);
    eo_json_kv_num(j, "wall_s", t->wall_s);
    eo_json_kv_str(j, "info", t->info);
    eo_json_kv_num(j, "best", best);
    eo_json_obj_end(j);
}

void eo_study_run_summary_json(eo_json *j, const eo_space *sp, const eo_study_run_summary *s)
{
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "event", "run");
    eo_json_kv_str(j, "study", s->study);
    eo_json_kv_str(j, "objective", s->objective);
    eo_json_kv_str(j, "optimizer", s->optimizer);
    if (s->best) {
        eo_json_kv_num(j, "best", s->best->fitness);
        eo_json_key(j, "params");
        eo_space_values_json(j, sp, s->best->values);
        eo_json_kv_str(j, "info", s->best->info);
    } else {
        eo_json_kv_str(j, "error", s->error ? s->error : "");
    }
    for (int k = 0; k < s->n_test; k++)
        eo_json_kv_num(j, s->test_names[k], s->test[k]);
    eo_json_obj_end(j);
}

void eo_study_run_summary_text(eo_strbuf *b, const eo_space *sp, const eo_study_run_summary *s)
{
    if (!s->best) {
        eo_strbuf_printf(b, "%s: no successful trial (%s)\n", s->optimizer, s->error ? s->error : "");
        return;
    }
    eo_strbuf_printf(b, "%s: best %.6g (%s) at", s->optimizer, s->best->fitness, s->best->info);
    for (size_t i = 0; i < eo_space_dim(sp); i++) {
        if (eo_space_kind(sp, i) == EO_PARAM_CATEGORICAL)
            eo_strbuf_printf(b, " %s=%s", eo_space_name(sp, i), eo_space_choice(sp, i, (size_t)s->best->values[i]));
        else
            eo_strbuf_printf(b, " %s=%.6g", eo_space_name(sp, i), s->best->values[i]);
    }
    for (int k = 0; k < s->n_test; k++)
        eo_strbuf_printf(b, " %s=%.6g", s->test_names[k], s->test[k]);
    eo_strbuf_printf(b, "\n");
}
