/* ecgopt tune — run a tuning study (objective x optimiser) into an SQLite
 * study file, resumable, over worker processes or MPI ranks.  The study
 * machinery lives in the library (ecgopt/study.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ecgopt/json.h"
#include "ecgopt/opt.h"
#include "ecgopt/study.h"

/* cmd_study.c: the HTML study report shared with `study show --report`. */
eo_status eo_cli_study_report(const char *study_path, const char *html_path, eo_error *err);

static void usage(void)
{
    printf("usage: ecgopt tune (--preset NAME | --space FILE) --study STUDY.db [--optimizer NAME[,NAME..]]\n"
           "                   [--resume] [--workers N] [--mpi] [--pop N] [--iters N]\n"
           "                   [--budget-evals N] [--budget-seconds S] [--timeout S] [--no-cache]\n"
           "                   [--params K=V,..] [--data-fraction F] [--model PREFIX] [--no-final]\n"
           "                   [--report FILE.html] [--seed N] [--data DIR] [--json] [--quiet] [--progress]\n"
           "\n"
           "Presets: compress-cae (GA/PSO/GWO, pop 20 x 30 iters), classify-cnn-olcpa (OLCPA 5 x 20),\n"
           "  classify-rescnn-bo (BO), classify-cnnlstm-gwo (GWO), denoise-vmd-iaoa (IAOA), toy.\n"
           "--space FILE    a user space and objective (docs/study.md): lines 'real|int NAME LO HI [log]',\n"
           "                'cat NAME A B ..', 'command SHELL CMD {NAME} {seed}' (last stdout line = fitness)\n"
           "--optimizer     one or more of ga pso gwo cpa olcpa aoa iaoa bo random grid ...; each is a\n"
           "                run of the same study file, all sharing its cache of evaluated configurations\n"
           "--resume        continue runs the study file already has (after a kill, or a larger budget)\n"
           "--workers N     trials evaluated in N forked processes at once (default 1); same result for any N\n"
           "--mpi           under mpirun: rank 0 drives the study, the other ranks evaluate\n"
           "--timeout S     a trial running longer is killed and recorded as failed\n"
           "--sh-rungs R    successive halving: each batch is evaluated at fidelity eta^-(R-1) (fewer\n"
           "                epochs), the best 1/eta of each rung promoted; only fidelity-1 trials count\n"
           "                for the best (default 1 = off); a resume must pass the same values\n"
           "--sh-eta ETA    successive-halving reduction factor, 1.5..100 (default 3)\n"
           "--model PREFIX  winner of each run retrained and saved as PREFIX-<optimizer>.model, then\n"
           "                evaluated once on the test split (recorded in the study; --no-final skips)\n"
           "--report FILE   at the end, an HTML report of the whole study (as `study show --report`):\n"
           "                convergence of each optimiser, best trials, parameter importance, test split\n"
           "--json          one JSON object per line: each trial, then each run's summary\n"
           "\n"
           "examples:\n"
           "  ecgopt tune --preset compress-cae --optimizer ga,pso,gwo --study cae.db --workers 2\n"
           "  ecgopt tune --preset compress-cae --optimizer ga,pso,gwo --study cae.db --resume\n"
           "  ecgopt tune --preset toy --optimizer ga,pso --study toy.db --report toy.html\n"
           "  ecgopt study show cae.db\n");
}

typedef struct tune_ctx {
    eo_cli *c;
    const char *optimizer;
    const eo_space *space;
    double t0, t_draw;
    long long done0;
    int drawn;
} tune_ctx;

static void json_values(eo_json *j, const eo_space *sp, const double *v)
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

static void on_trial(void *user, const eo_study_trial *t, long long done, long long total,
                     double best)
{
    tune_ctx *x = user;
    if (x->c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "event", "trial");
        eo_json_kv_str(&j, "optimizer", x->optimizer);
        eo_json_kv_int(&j, "number", t->number);
        eo_json_kv_int(&j, "iteration", t->iteration);
        eo_json_kv_int(&j, "position", t->position);
        eo_json_key(&j, "params");
        json_values(&j, x->space, t->values);
        eo_json_kv_num(&j, "fitness", t->fitness);
        eo_json_kv_str(&j, "status", eo_trial_status_name(t->status));
        eo_json_kv_bool(&j, "cached", t->cached);
        eo_json_kv_num(&j, "wall_s", t->wall_s);
        eo_json_kv_str(&j, "info", t->info);
        eo_json_kv_num(&j, "best", best);
        eo_json_obj_end(&j);
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

int eo_cmd_tune(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "tune", &argc, argv))
        return c.rc;
    if (c.help) {
        usage();
        return 0;
    }
    const char *preset = NULL, *space_file = NULL, *study_path = NULL, *optimizers = NULL,
               *params = NULL, *model = NULL, *report = NULL;
    int resume = 0, use_mpi = 0, no_cache = 0, no_final = 0;
    long workers = 1, pop = 0, iters = 0, evals = 0;
    double seconds = 0, timeout = -1, fraction = 1, sh_eta = 3;
    long sh_rungs = 1;
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        int r;
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--preset", &preset)) != 0) {
            if (r < 0) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--space", &space_file)) != 0) {
            if (r < 0) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--study", &study_path)) != 0) {
            if (r < 0) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--optimizer", &optimizers)) != 0) {
            if (r < 0) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--params", &params)) != 0) {
            if (r < 0) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--report", &report)) != 0) {
            if (r < 0) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--model", &model)) != 0) {
            if (r < 0) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--workers", &v)) != 0) {
            if (r < 0 || eo_cli_parse_long(&c, "--workers", v, 1, 256, &workers)) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--pop", &v)) != 0) {
            if (r < 0 || eo_cli_parse_long(&c, "--pop", v, 1, 100000, &pop)) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--iters", &v)) != 0) {
            if (r < 0 || eo_cli_parse_long(&c, "--iters", v, 1, 10000000, &iters)) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--budget-evals", &v)) != 0) {
            if (r < 0 || eo_cli_parse_long(&c, "--budget-evals", v, 1, 1000000000L, &evals)) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--budget-seconds", &v)) != 0) {
            if (r < 0 || eo_cli_parse_double(&c, "--budget-seconds", v, 0.001, 1e7, &seconds)) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--timeout", &v)) != 0) {
            if (r < 0 || eo_cli_parse_double(&c, "--timeout", v, 0.001, 1e7, &timeout)) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--sh-rungs", &v)) != 0) {
            if (r < 0 || eo_cli_parse_long(&c, "--sh-rungs", v, 1, 20, &sh_rungs)) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--sh-eta", &v)) != 0) {
            if (r < 0 || eo_cli_parse_double(&c, "--sh-eta", v, 1.5, 100, &sh_eta)) return 1;
        } else if ((r = eo_cli_take_value(&c, argc, argv, &i, "--data-fraction", &v)) != 0) {
            if (r < 0 || eo_cli_parse_double(&c, "--data-fraction", v, 1e-6, 1, &fraction)) return 1;
        } else if (!strcmp(argv[i], "--resume")) {
            resume = 1;
        } else if (!strcmp(argv[i], "--mpi")) {
            use_mpi = 1;
        } else if (!strcmp(argv[i], "--no-cache")) {
            no_cache = 1;
        } else if (!strcmp(argv[i], "--no-final")) {
            no_final = 1;
        } else {
            return eo_cli_usage(&c, "unexpected argument '%s'", argv[i]);
        }
    }
    if (!preset == !space_file)
        return eo_cli_usage(&c, "give exactly one of --preset NAME or --space FILE");
    if (!study_path)
        return eo_cli_usage(&c, "--study STUDY.db is required");
    if (workers < 0 || workers > 256 || pop < 0 || iters < 0 || evals < 0 || seconds < 0)
        return eo_cli_usage(&c, "--workers/--pop/--iters/--budget-* must be >= 0 (workers <= 256)");
    if (!(fraction > 0 && fraction <= 1))
        return eo_cli_usage(&c, "--data-fraction must be in (0, 1]");
    {
        /* outputs checked before the work: the report, and a new study file's
         * folder (a study is kept on failure: --resume continues it) */
        eo_error e;
        struct stat sb;
        if ((report && eo_cli_output(&c, report, &e)) ||
            (stat(study_path, &sb) != 0 && eo_output_check(study_path, &e)))
            return eo_cli_fail(&c, &e);
    }

    /* an unknown name is a usage error (exit 1), like an unknown --method */
    if ((preset && eo_cli_check_names(&c, "--preset", preset, eo_objective_preset_names(), NULL)) ||
        (optimizers && eo_cli_check_names(&c, "--optimizer", optimizers, eo_optimizer_names(), "paper")))
        return 1;
    eo_error err;
    eo_error_clear(&err);
    int rank = 0, size = 1;
    if (use_mpi && eo_study_mpi_init(&argc, &argv, &rank, &size, &err) != EO_STATUS_OK)
        return eo_cli_fail(&c, &err);

    eo_objective *obj = NULL;
    eo_objective_options oo;
    eo_objective_defaults(&oo);
    oo.data_dir = c.data_dir;
    oo.data_fraction = fraction;
    oo.threads = c.threads > 0 ? c.threads : 1;
    eo_status st = preset ? eo_objective_preset(preset, &oo, &obj, &err)
                          : eo_objective_from_file(space_file, &obj, &err);
    if (st != EO_STATUS_OK) {
        if (use_mpi)
            eo_study_mpi_finalize();
        return eo_cli_fail(&c, &err);
    }
    if (use_mpi && rank > 0) {
        st = eo_study_mpi_serve(obj, &err);
        eo_objective_destroy(obj);
        eo_study_mpi_finalize();
        return st == EO_STATUS_OK ? 0 : eo_cli_fail(&c, &err);
    }

    char list[512];
    snprintf(list, sizeof list, "%s", optimizers ? optimizers : eo_objective_default_optimizer(obj));
    if (!strcmp(list, "paper") && !strcmp(eo_objective_name(obj), "compress-cae"))
        snprintf(list, sizeof list, "ga,pso,gwo");
    int rc = 0;
    char *save = NULL;
    for (char *name = strtok_r(list, ",", &save); name && rc == 0; name = strtok_r(NULL, ",", &save)) {
        eo_study_options so;
        eo_study_defaults(&so);
        so.optimizer = name;
        so.opt_params = params;
        so.pop_size = (size_t)pop;
        so.max_iters = iters;
        so.max_evals = evals;
        so.max_seconds = seconds;
        so.seed = c.seed;
        so.workers = (int)workers;
        so.timeout_s = timeout;
        so.use_cache = !no_cache;
        so.use_mpi = use_mpi;
        so.sh_rungs = (int)sh_rungs;
        so.sh_eta = sh_eta;
        tune_ctx x = {&c, name, eo_objective_space(obj), eo_time_now(), 0, -1, 0};
        so.on_trial = on_trial;
        so.user = &x;
        eo_study *s = NULL;
        st = eo_study_open(study_path, obj, &so, resume, &s, &err);
        if (st == EO_STATUS_OK) {
            x.done0 = eo_study_trials_done(s);
            st = eo_study_run(s, &err);
        }
        if (x.drawn)
            fputc('\n', stderr);
        if (st != EO_STATUS_OK) {
            rc = eo_cli_fail(&c, &err);
            eo_study_close(s);
            break;
        }
        eo_study_trial best;
        st = eo_study_best(s, &best, &err);
        double test[4] = {NAN, NAN, NAN, NAN};
        const char *names[4] = {NULL, NULL, NULL, NULL};
        int nt = 0;
        if (st == EO_STATUS_OK && !no_final) {
            char mpath[4096];
            if (model)
                snprintf(mpath, sizeof mpath, "%s-%s.model", model, name);
            if (eo_objective_finalize(obj, best.values, best.seed, model ? mpath : NULL, test,
                                      names, &nt, &err) != EO_STATUS_OK) {
                rc = eo_cli_fail(&c, &err);
                eo_study_close(s);
                break;
            }
            for (int k = 0; k < nt; k++)
                eo_study_set_result(s, names[k], test[k], NULL);
        }
        if (c.json) {
            eo_json j;
            eo_json_init(&j, stdout);
            eo_json_obj_begin(&j);
            eo_json_kv_str(&j, "event", "run");
            eo_json_kv_str(&j, "study", study_path);
            eo_json_kv_str(&j, "objective", eo_objective_name(obj));
            eo_json_kv_str(&j, "optimizer", name);
            if (st == EO_STATUS_OK) {
                eo_json_kv_num(&j, "best", best.fitness);
                eo_json_key(&j, "params");
                json_values(&j, eo_objective_space(obj), best.values);
                eo_json_kv_str(&j, "info", best.info);
            } else {
                eo_json_kv_str(&j, "error", err.msg);
            }
            for (int k = 0; k < nt; k++)
                eo_json_kv_num(&j, names[k], test[k]);
            eo_json_obj_end(&j);
        } else if (st == EO_STATUS_OK) {
            printf("%s: best %.6g (%s) at", name, best.fitness, best.info);
            const eo_space *sp = eo_objective_space(obj);
            for (size_t i = 0; i < eo_space_dim(sp); i++) {
                if (eo_space_kind(sp, i) == EO_PARAM_CATEGORICAL)
                    printf(" %s=%s", eo_space_name(sp, i), eo_space_choice(sp, i, (size_t)best.values[i]));
                else
                    printf(" %s=%.6g", eo_space_name(sp, i), best.values[i]);
            }
            for (int k = 0; k < nt; k++)
                printf(" %s=%.6g", names[k], test[k]);
            printf("\n");
        } else {
            printf("%s: no successful trial (%s)\n", name, err.msg);
        }
        fflush(stdout);
        eo_study_close(s);
    }
    if (use_mpi) {
        eo_study_mpi_stop();
        eo_study_mpi_finalize();
    }
    eo_objective_destroy(obj);
    if (rc == 0 && report) {
        if (eo_cli_study_report(study_path, report, &err) != EO_STATUS_OK)
            return eo_cli_fail(&c, &err);
        eo_cli_info(&c, "tune: wrote %s\n", report);
    }
    return rc;
}
