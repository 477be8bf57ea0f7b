/* ecgopt tune — run a tuning study (objective x optimiser) into an SQLite
 * study file, resumable, over worker processes or MPI ranks.  The study
 * machinery lives in the library (ecgopt/study.h). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ecgopt/study_show.h"

typedef struct tune_ctx {
    eo_cli *c;
    const char *optimizer;
    const eo_space *space;
    double t0, t_draw;
    long long done0;
    int drawn;
} tune_ctx;

static void on_trial(void *user, const eo_study_trial *t, long long done, long long total,
                     double best)
{
    tune_ctx *x = user;
    if (x->c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_study_trial_json(&j, x->optimizer, x->space, t, best);
        fflush(stdout);
    }
    if (x->c->progress) {
        /* live line: trial count, best fitness, elapsed, ETA, redrawn in
         * place; only on a terminal or with --progress (issue 9's habit: a
         * log file gets the per-run summaries on stdout, not a line per
         * trial) */
        double now = eo_time_now(), el = now - x->t0;
        long long run_done = done - x->done0;
        long long left = total > done ? total - done : 0;
        double eta = run_done > 0 ? el / (double)run_done * (double)left : 0;
        if (now - x->t_draw < 0.1 && left > 0)
            return;
        x->t_draw = now;
        fprintf(stderr, "\rtune %s: trial %lld/%lld  best %.6g  %d:%02d elapsed  ETA %d:%02d ",
                x->optimizer, done, total, best, (int)el / 60, (int)el % 60, (int)eta / 60,
                (int)eta % 60);
        fflush(stderr);
        x->drawn = 1;
    }
}

typedef struct tune_args {
    const char *preset, *space_file, *study_path, *optimizers, *params, *model, *report;
    int resume, use_mpi, no_cache, no_final;
    long workers, pop, iters, evals, sh_rungs;
    double seconds, timeout, fraction, sh_eta;
} tune_args;

static const eo_cli_spec SPEC = {
    "tune (--preset NAME | --space FILE) --study STUDY.db [--optimizer NAME[,NAME..]]\n"
    "                   [--resume] [--workers N] [--mpi] [--pop N] [--iters N] ...",
    "Run a tuning study (objective x optimiser) into an SQLite study file, resumable,\n"
    "over worker processes or MPI ranks.  With --json: one JSON object per line, each\n"
    "trial, then each run's summary.\n",
    NULL,
    "ecgopt tune --preset compress-cae --optimizer ga,pso,gwo --study cae.db --workers 2\n"
    "ecgopt tune --preset compress-cae --optimizer ga,pso,gwo --study cae.db --resume\n"
    "ecgopt tune --preset toy --optimizer ga,pso --study toy.db --report toy.html\n"
    "ecgopt study show cae.db\n",
    NULL};

/* The option table and help; returns -1 to go on, else the exit code. */
static int tune_parse(eo_cli *c, int *argc, char **argv, tune_args *a)
{
    if (eo_cli_common(c, "tune", argc, argv))
        return c->rc;
    *a = (tune_args){.workers = 1, .timeout = -1, .fraction = 1, .sh_eta = 3, .sh_rungs = 1};
    const eo_cli_opt opts[] = {
        {"--preset", EO_OPT_STR, &a->preset, 0, 0, "NAME",
         "compress-cae (GA/PSO/GWO, pop 20 x 30 iters), compress-cae-rd (codec rate at PRDN 10 %;\n"
         "compress-cae-rd-noattention: its arm without attention),\n"
         "classify-cnn-olcpa (OLCPA 5 x 20), classify-rescnn-bo (BO), classify-cnnlstm-gwo (GWO),\n"
         "denoise-vmd-iaoa (IAOA), toy", NULL},
        {"--space", EO_OPT_STR, &a->space_file, 0, 0, "FILE",
         "a user space and objective (docs/study.md): lines 'real|int NAME LO HI [log]',\n"
         "'cat NAME A B ..', 'command SHELL CMD {NAME} {seed}' (last stdout line = fitness)", NULL},
        {"--study", EO_OPT_STR, &a->study_path, 0, 0, "STUDY.db", "the study file (required), created or resumed", NULL},
        {"--optimizer", EO_OPT_STR, &a->optimizers, 0, 0, "NAME[,NAME..]",
         "one or more of ga pso gwo cpa olcpa aoa iaoa bo random grid ...; each is a run of\n"
         "the same study file, all sharing its cache of evaluated configurations", NULL},
        {"--resume", EO_OPT_FLAG, &a->resume, 0, 0, NULL,
         "continue runs the study file already has (after a kill, or a larger budget)", NULL},
        {"--workers", EO_OPT_LONG, &a->workers, 1, 256, "N",
         "trials evaluated in N forked processes at once (default 1); same result for any N", NULL},
        {"--mpi", EO_OPT_FLAG, &a->use_mpi, 0, 0, NULL, "under mpirun: rank 0 drives the study, the other ranks evaluate", NULL},
        {"--pop", EO_OPT_LONG, &a->pop, 1, 100000, "N", "population size (default: the preset's)", NULL},
        {"--iters", EO_OPT_LONG, &a->iters, 1, 10000000, "N", "iterations (default: the preset's)", NULL},
        {"--budget-evals", EO_OPT_LONG, &a->evals, 1, 1e9, "N", "stop after N evaluations", NULL},
        {"--budget-seconds", EO_OPT_DOUBLE, &a->seconds, 0.001, 1e7, "S", "stop after S seconds", NULL},
        {"--timeout", EO_OPT_DOUBLE, &a->timeout, 0.001, 1e7, "S", "a trial running longer is killed and recorded as failed", NULL},
        {"--no-cache", EO_OPT_FLAG, &a->no_cache, 0, 0, NULL, "evaluate a configuration again even when the study has it", NULL},
        {"--sh-rungs", EO_OPT_LONG, &a->sh_rungs, 1, 20, "R",
         "successive halving: each batch is evaluated at fidelity eta^-(R-1) (fewer epochs), the best\n"
         "1/eta of each rung promoted; only fidelity-1 trials count (default 1 = off; a resume must match)", NULL},
        {"--sh-eta", EO_OPT_DOUBLE, &a->sh_eta, 1.5, 100, "ETA", "successive-halving reduction factor (default 3)", NULL},
        {"--params", EO_OPT_STR, &a->params, 0, 0, "K=V,..", "the optimiser's own parameters", NULL},
        {"--data-fraction", EO_OPT_DOUBLE, &a->fraction, 1e-6, 1, "F", "use this fraction of the training data (default 1)", NULL},
        {"--model", EO_OPT_STR, &a->model, 0, 0, "PREFIX",
         "winner of each run retrained and saved as PREFIX-<optimizer>.model, then evaluated\n"
         "once on the test split (recorded in the study)", NULL},
        {"--no-final", EO_OPT_FLAG, &a->no_final, 0, 0, NULL, "skip the retraining and test-split evaluation of the winner", NULL},
        {"--report", EO_OPT_STR, &a->report, 0, 0, "FILE.html",
         "at the end, an HTML report of the whole study (as `study show --report`):\n"
         "convergence of each optimiser, best trials, parameter importance, test split", NULL},
        EO_OPT_TABLE_END};
    int rc = eo_cli_help_or_parse(c, &SPEC, opts, *argc, argv, NULL, 0, NULL, "argument");
    if (rc >= 0)
        return rc;
    if (!a->preset == !a->space_file)
        return eo_cli_usage(c, "give exactly one of --preset NAME or --space FILE");
    if (!a->study_path)
        return eo_cli_usage(c, "--study STUDY.db is required");
    /* outputs checked before the work: the report, and a new study file's
     * folder (a study is kept on failure: --resume continues it) */
    eo_error e;
    struct stat sb;
    if ((a->report && eo_cli_output(c, a->report, &e)) ||
        (stat(a->study_path, &sb) != 0 && eo_output_check(a->study_path, &e)))
        return eo_cli_fail(c, &e);
    /* an unknown name is a usage error (exit 1), like an unknown --method */
    if ((a->preset && eo_cli_check_names(c, "--preset", a->preset, eo_objective_preset_names(), NULL)) ||
        (a->optimizers &&
         eo_cli_check_names(c, "--optimizer", a->optimizers, eo_optimizer_names(), "paper")))
        return 1;
    return -1;
}

/* One optimiser's run of the study: run, best trial, the winner's
 * test-split figures, the summary line.  Returns 0 or the exit code. */
static int tune_run(eo_cli *c, const tune_args *a, eo_objective *obj, const char *name)
{
    eo_error err;
    eo_error_clear(&err);
    eo_study_options so;
    eo_study_defaults(&so);
    so.optimizer = name;
    so.opt_params = a->params;
    so.pop_size = (size_t)a->pop;
    so.max_iters = a->iters;
    so.max_evals = a->evals;
    so.max_seconds = a->seconds;
    so.seed = c->seed;
    so.workers = (int)a->workers;
    so.timeout_s = a->timeout;
    so.use_cache = !a->no_cache;
    so.use_mpi = a->use_mpi;
    so.sh_rungs = (int)a->sh_rungs;
    so.sh_eta = a->sh_eta;
    tune_ctx x = {c, name, eo_objective_space(obj), eo_time_now(), 0, -1, 0};
    so.on_trial = on_trial;
    so.user = &x;
    eo_study *s = NULL;
    eo_status st = eo_study_open(a->study_path, obj, &so, a->resume, &s, &err);
    if (st == EO_STATUS_OK) {
        x.done0 = eo_study_trials_done(s);
        st = eo_study_run(s, &err);
    }
    if (x.drawn)
        fputc('\n', stderr);
    if (st != EO_STATUS_OK) {
        eo_study_close(s);
        return eo_cli_fail(c, &err);
    }
    eo_study_trial best;
    eo_study_run_summary sum = {a->study_path, eo_objective_name(obj), name, NULL, NULL, 0, {NULL}, {0}};
    char mpath[4096];
    if (a->model)
        snprintf(mpath, sizeof mpath, "%s-%s.model", a->model, name);
    st = eo_study_run_outcome(s, obj, !a->no_final, a->model ? mpath : NULL, &best, &sum, &err);
    if (st && sum.best) {
        eo_study_close(s);
        return eo_cli_fail(c, &err);
    }
    const eo_space *sp = eo_objective_space(obj);
    if (c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_study_run_summary_json(&j, sp, &sum);
    } else {
        eo_strbuf b;
        eo_strbuf_init(&b);
        eo_study_run_summary_text(&b, sp, &sum);
        eo_cli_print(&b);
    }
    fflush(stdout);
    eo_study_close(s);
    return 0;
}

int eo_cmd_tune(int argc, char **argv)
{
    eo_cli c;
    tune_args a;
    int rc = tune_parse(&c, &argc, argv, &a);
    if (rc >= 0)
        return rc;
    eo_error err;
    eo_error_clear(&err);
    int rank = 0, size = 1;
    if (a.use_mpi && eo_study_mpi_init(&argc, &argv, &rank, &size, &err) != EO_STATUS_OK)
        return eo_cli_fail(&c, &err);

    eo_objective *obj = NULL;
    eo_objective_options oo;
    eo_objective_defaults(&oo);
    oo.data_dir = c.data_dir;
    oo.data_fraction = a.fraction;
    oo.threads = c.threads > 0 ? c.threads : 1;
    eo_status st = a.preset ? eo_objective_preset(a.preset, &oo, &obj, &err)
                            : eo_objective_from_file(a.space_file, &obj, &err);
    if (st != EO_STATUS_OK) {
        if (a.use_mpi)
            eo_study_mpi_finalize();
        return eo_cli_fail(&c, &err);
    }
    if (a.use_mpi && rank > 0) {
        st = eo_study_mpi_serve(obj, &err);
        eo_objective_destroy(obj);
        eo_study_mpi_finalize();
        return st == EO_STATUS_OK ? 0 : eo_cli_fail(&c, &err);
    }

    char list[512];
    snprintf(list, sizeof list, "%s", a.optimizers ? a.optimizers : eo_objective_default_optimizer(obj));
    if (!strcmp(list, "paper") && !strcmp(eo_objective_name(obj), "compress-cae"))
        snprintf(list, sizeof list, "ga,pso,gwo");
    rc = 0;
    char *save = NULL;
    for (char *name = strtok_r(list, ",", &save); name && rc == 0; name = strtok_r(NULL, ",", &save))
        rc = tune_run(&c, &a, obj, name);
    if (a.use_mpi) {
        eo_study_mpi_stop();
        eo_study_mpi_finalize();
    }
    eo_objective_destroy(obj);
    if (rc == 0 && a.report) {
        if (eo_study_report_write(a.study_path, a.report, &err) != EO_STATUS_OK)
            return eo_cli_fail(&c, &err);
        eo_cli_info(&c, "tune: wrote %s\n", a.report);
    }
    return rc;
}
