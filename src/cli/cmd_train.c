/* ecgopt train — train a beat classifier: options into eo_train_options,
 * eo_train_run (train.h) does the work, the result printed.  `--task
 * compress` belongs to the codec (cmd_train_compress.c), `--task denoise` to
 * the denoise module (cmd_train_denoise.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/train.h"

/* Hand argv without `--task TASK` to that task's command: 1 when it was given. */
static int task_is(const char *task, int *argc, char **argv)
{
    char eq[64];
    snprintf(eq, sizeof eq, "--task=%s", task);
    for (int i = 1; i < *argc; i++) {
        int two = !strcmp(argv[i], "--task") && i + 1 < *argc && !strcmp(argv[i + 1], task);
        if (two || !strcmp(argv[i], eq)) {
            int k = two ? 2 : 1;
            for (int j = i; j + k <= *argc; j++)
                argv[j] = argv[j + k];
            *argc -= k;
            return 1;
        }
    }
    return 0;
}

/* what the option table fills besides eo_train_options */
typedef struct train_args {
    const char *task, *model, *labels, *split, *norm, *lead, *lead2, *scale, *report;
    double align_ms;
    int adaptive, no_adaptive;
    int cv; /* --cv K: record-grouped K-fold CV inside the training records (0: none) */
} train_args;

static const eo_cli_spec SPEC = {
    "train --task classify --model NAME -o MODEL [options]\n"
    "       ecgopt train --task compress|denoise ... (ecgopt train --task denoise --help)",
    "Train an arrhythmia beat classifier on MIT-BIH (found with --data).  Splits: ds1ds2 (de Chazal\n"
    "inter-patient; default): train DS1, validation carved from DS1 by record, test DS2; intra: random\n"
    "stratified 70/15/15 of the 44 records' beats (INTRA-PATIENT: optimistic, reported as such); kfold:\n"
    "patient-wise folds.  --report adds the split with its beats per class, loss and accuracy of the final\n"
    "model on each part, training curves (also in --json as \"history\"), and the validation (and with --test\n"
    "the test) comparison matrix, per-class Se/+P and the EC57 table (docs/classification.md).\n"
    "--cv K (record-grouped K-fold CV inside the training records: DS1 or --train, whole records per\n"
    "fold, so no patient in two folds) prints each fold's and the pooled EC57 gross figures (VEB and SVEB\n"
    "Se/+P, accuracy; reference beat positions; --json: \"cv\"); it trains no final model unless -o is\n"
    "given too, then the model is trained and written as without --cv.\n",
    NULL,
    "ecgopt train --task classify --model gbm --split ds1ds2 --test -o gbm.model\n"
    "ecgopt train --model gbm --rounds 40 -o gbm.model --test --report train.html\n"
    "ecgopt train --task classify --cv 3 --train mitdb:ds1 --json\n"
    "ecgopt classify --model gbm.model 100 -o 100.cls\n",
    "0 ok, 1 usage, 2 bad input, 3 internal"};

/* --class-scale a,b,..: positive numbers, at most one per class */
static int parse_scale(const eo_cli *c, const char *v, double *scale)
{
    int n = 0;
    for (const char *p = v; p && *p;) {
        char *e;
        double x = strtod(p, &e);
        if (e == p || !(x > 0) || !isfinite(x) || n >= EO_LABELS_MAX_CLASSES || (*e && *e != ','))
            return eo_cli_usage(c, "--class-scale expects up to %d positive numbers a,b,..., got '%s'",
                                EO_LABELS_MAX_CLASSES, v);
        scale[n++] = x;
        p = *e == ',' ? e + 1 : NULL;
    }
    return 0;
}

/* The options that need more than the table: names, the norm, the leads. */
static int finish_args(const eo_cli *c, train_args *a, eo_train_options *o)
{
    eo_error err;
    if (strcmp(a->task, "classify"))
        return eo_cli_usage(c, "--task must be classify, compress or denoise, got '%s'", a->task);
    snprintf(o->classifier.model, sizeof o->classifier.model, "%s", a->model);
    if ((a->labels && eo_label_set_parse(a->labels, &o->beats.labels, &err)) ||
        eo_train_split_parse(a->split, &o->split, &err))
        return eo_cli_usage(c, "%s", err.msg);
    if (a->scale && parse_scale(c, a->scale, o->classifier.class_scale))
        return 1;
    static const char *const norms[3] = {"none", "beat", "record"};
    int nn = strcmp(a->model, "gbm") != 0, k = 0;
    while (a->norm && k < 3 && strcmp(a->norm, norms[k]))
        k++;
    if (k == 3)
        return eo_cli_usage(c, "--norm must be none, beat or record, got '%s'", a->norm);
    o->beats.norm = (eo_beat_norm)(a->norm ? k : nn ? EO_NORM_BEAT : EO_NORM_NONE);
    if (a->lead || o->train) /* --train without --lead: each record's own lead by the fallback order */
        snprintf(o->beats.leads[0], sizeof o->beats.leads[0], "%s", a->lead ? a->lead : "");
    if (a->lead2)
        snprintf(o->beats.leads[1], sizeof o->beats.leads[1], "%s", a->lead2);
    o->beats.align_s = a->align_ms / 1000.0;
    o->test |= o->detector;
    if (a->adaptive || a->no_adaptive)
        o->classifier.gbm_adaptive = a->adaptive;
    if (eo_train_check(o, &err))
        return eo_cli_usage(c, "%s", err.msg);
    if (a->cv && !c->out && (o->test || a->report))
        return eo_cli_usage(c, "--cv without -o trains no final model: --test and --report need -o MODEL");
    return c->out || a->cv ? 0 : eo_cli_usage(c, "missing -o MODEL (where the trained model is written)");
}

static int parse_args(eo_cli *c, train_args *a, eo_train_options *o, int argc, char **argv)
{
    eo_classifier_options *co = &o->classifier;
    eo_beats_options *bo = &o->beats;
    const eo_cli_opt opts[] = {
        {"--task", EO_OPT_STR, &a->task, 0, 0, "TASK", "classify (default), compress or denoise", NULL},
        {"--model", EO_OPT_STR, &a->model, 0, 0, "NAME", "gbm (XGBoost, RR + morphology features; default), mlp, cnn, lstm, cnnlstm, rescnn, cnn9", NULL},
        {"--spec", EO_OPT_STR, &co->spec, 0, 0, "SPEC", "network spec replacing the model's built-in one (nn.h grammar)", NULL},
        {"--labels", EO_OPT_STR, &a->labels, 0, 0, "SET", "aami (N S V F Q; default), nlrav (N L R A V), nsvq (N S V Q)", NULL},
        {"--split", EO_OPT_STR, &a->split, 0, 0, "S", "ds1ds2 (default), intra or kfold (see above)", NULL},
        {"--val-records", EO_OPT_INT, &o->val_records, 0, 1000, "N", "DS1 records held out for validation (4, chosen by --seed)", NULL},
        {"--val-set", EO_OPT_STR, &o->val_set, 0, 0, "R1,R2,..", "these DS1 records instead (118,119: NSTDB's 118e*/119e* are then unseen patients)", NULL},
        {"--folds", EO_OPT_INT, &o->folds, 2, 100, "K", "k-fold split: K folds (5)", NULL},
        {"--fold", EO_OPT_INT, &o->fold, 0, 99, "I", "k-fold split: the test fold (0)", NULL},
        {"--epochs", EO_OPT_INT, &co->epochs, 1, 100000, "N", "network training epochs (10)", NULL},
        {"--batch", EO_OPT_INT, &co->batch, 1, 65536, "N", "network mini-batch (64)", NULL},
        {"--lr", EO_OPT_DOUBLE, &co->lr, 1e-12, 10, "X", "network learning rate (1e-3)", NULL},
        {"--l2", EO_OPT_DOUBLE, &co->l2, 0, 10, "X", "network L2 weight decay (1e-4)", NULL},
        {"--class-weight", EO_OPT_DOUBLE, &co->class_weight_power, 0, 4, "P", "class weights (n/(k n_c))^P, 0 off (1)", NULL},
        {"--oversample", EO_OPT_DOUBLE, &co->oversample, 0, 1, "F", "repeat minority classes up to F x the largest (0 off)", NULL},
        {"--augment", EO_OPT_FLAG, &co->augment, 0, 0, NULL, "oversampled copies get noise, scaling and time stretch", NULL},
        {"--augment-noise", EO_OPT_STR, &o->augment_noise, 0, 0, "REC", "also add noise from record REC (signal 0; DATA/nstdb/ma) to the copies; implies --augment", NULL},
        {"--augment-snr", EO_OPT_DOUBLE, &co->augment_snr_db, -20, 60, "DB", "beat-to-noise power ratio of that noise (12)", NULL},
        {"--augment-copies", EO_OPT_INT, &co->augment_copies, 0, 64, "K", "also K augmented copies of every training beat, all classes (noise robustness)", NULL},
        {"--focal", EO_OPT_DOUBLE, &co->focal_gamma, 0, 10, "G", "focal loss with gamma G (networks; 0 off)", NULL},
        {"--rounds", EO_OPT_INT, &co->gbm_rounds, 1, 100000, "N", "boosting rounds (150)", NULL},
        {"--depth", EO_OPT_INT, &co->gbm_depth, 1, 32, "N", "boosting tree depth (4)", NULL},
        {"--eta", EO_OPT_DOUBLE, &co->gbm_eta, 1e-6, 1, "X", "boosting learning rate (0.1)", NULL},
        {"--waveform", EO_OPT_FLAG, &co->gbm_waveform, 0, 0, NULL, "gbm: add the down-sampled beat to the features (intra-patient)", NULL},
        {"--adaptive", EO_OPT_FLAG, &a->adaptive, 0, 0, NULL, "gbm: with the patient-adaptive features (ml.h gbm_adaptive)", NULL},
        {"--no-adaptive", EO_OPT_FLAG, &a->no_adaptive, 0, 0, NULL, "gbm: without them (default: the library's)", NULL},
        {"--rhythm", EO_OPT_FLAG, &co->gbm_rhythm, 0, 0, NULL, "gbm: with the long-horizon rhythm features (ml.h gbm_rhythm)", NULL},
        {"--class-scale", EO_OPT_STR, &a->scale, 0, 0, "a,b,..", "decision argmax_j p_j * scale_j, one per class (prior calibration; default 1)", NULL},
        {"--train", EO_OPT_STR, &o->train, 0, 0, "DB[:SUB],..", "training databases instead of DS1: DB mitdb, svdb or a folder of WFDB\n"
         "records; SUB all, ds1, ds2 or records joined by '+' (mitdb:ds1,svdb:800+801); all at 360 Hz", NULL},
        {"--lead", EO_OPT_STR, &a->lead, 0, 0, "NAME|INDEX", "lead (MLII; with --train: the fallback order MLII, II, ECG1, signal 0)", NULL},
        {"--lead2", EO_OPT_STR, &a->lead2, 0, 0, "NAME|INDEX", "a second lead", NULL},
        {"--window", EO_OPT_INT, &bo->window_samples, 16, 4096, "N", "fixed N-sample window centred on R (default 0.25 s before, 0.45 s after R)", NULL},
        {"--norm", EO_OPT_STR, &a->norm, 0, 0, "MODE", "none, beat or record: amplitude normalisation (gbm: none, networks: beat)", NULL},
        {"--align-ms", EO_OPT_DOUBLE, &a->align_ms, 0, 200, "MS", "move each beat to the largest |x| within +-MS of its mark (0 off)", NULL},
        {"--baseline", EO_OPT_FLAG, &bo->baseline_median, 0, 0, NULL, "median-filter baseline removal (200 + 600 ms) before the band-pass", NULL},
        {"--cv", EO_OPT_INT, &a->cv, 2, 100, "K", "record-grouped K-fold CV inside the training records: per-fold and\n"
         "pooled EC57 figures; no final model unless -o (aami labels, split ds1ds2)", NULL},
        {"--test", EO_OPT_FLAG, &o->test, 0, 0, NULL, "score the trained model on the test part (EC57 way for ds1ds2/kfold)", NULL},
        {"--detector", EO_OPT_FLAG, &o->detector, 0, 0, NULL, "--test also with ecgopt's QRS detector", NULL},
        EO_OPT_REPORT(&a->report),
        EO_OPT_TABLE_END};
    int rc = eo_cli_help_or_parse(c, &SPEC, opts, argc, argv, NULL, 0, NULL, "argument");
    return rc >= 0 ? rc : finish_args(c, a, o) ? 1 : -1;
}

/* progress bars and notes on stderr, one line per stage */
typedef struct train_ui {
    eo_cli *c;
    char what[64];
} train_ui;

static int ui_progress(void *user, double done, double total, const char *what)
{
    train_ui *u = user;
    if (what && strncmp(u->what, what, sizeof u->what - 1)) {
        eo_cli_progress_end(u->c);
        snprintf(u->what, sizeof u->what, "%s", what);
    }
    return eo_cli_progress(u->c, done, total, what);
}

static void ui_note(void *user, const char *msg)
{
    train_ui *u = user;
    eo_cli_progress_end(u->c);
    eo_cli_info(u->c, "%s\n", msg);
}

static void print_ec57(const char *title, const eo_ec57_result *g)
{
    eo_ec57_stats s;
    eo_ec57_class_metrics m;
    eo_ec57_stats_of(g, &s);
    eo_ec57_class_metrics_of(g, &m);
    printf("%s: VEB Se %.2f%% +P %.2f%% FPR %.2f%%  SVEB Se %.2f%% +P %.2f%%  accuracy %.2f%% (%ld matched beats; "
           "QRS Se %.2f%% +P %.2f%%)\n", title, s.veb_se, s.veb_ppv, s.veb_fpr, s.sveb_se, s.sveb_ppv,
           100 * m.accuracy, m.total, s.qrs_se, s.qrs_ppv);
}

static void print_result(const eo_cli *c, const char *report, const eo_train_options *o, const eo_train_result *r,
                         const eo_train_cv_result *cv)
{
    const char *split = r->split == EO_TRAIN_INTRA ? "intra-patient" : eo_train_split_name(r->split);
    const int ds2 = r->split == EO_TRAIN_DS1DS2;
    if (c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_train_result_json(&j, o, r);
        if (cv)
            eo_train_cv_json(&j, o, cv);
        eo_json_kv_str(&j, "output", c->out);
        if (report)
            eo_json_kv_str(&j, "report", report);
        eo_json_obj_end(&j);
        printf("\n");
        return;
    }
    if (!c->quiet)
        printf("model %s (%s labels, split %s) trained on %zu beats in %.1f s -> %s\n", o->classifier.model,
               eo_label_set_name(r->labels), split, r->parts[0]->n, eo_classifier_train_seconds(r->model), c->out);
    if (r->test_scored == 1)
        printf("INTRA-PATIENT test (%zu beats, random 15%% of all 44 records): accuracy %.2f%%\n", r->parts[2]->n,
               r->test_accuracy);
    if (r->test_scored == 2)
        print_ec57(ds2 ? "DS2 (reference beats)" : "test fold (reference beats)", &r->test_ec57);
    if (r->test_scored == 2 && r->test_detector)
        print_ec57(ds2 ? "DS2 (ecgopt detector)" : "test fold (ecgopt detector)", &r->test_ec57_detector);
    if (report)
        eo_cli_info(c, "wrote %s\n", report);
}

/* the CV's figures: alone as JSON (no final model) or as text */
static void print_cv(const eo_cli *c, const eo_train_options *o, const eo_train_cv_result *cv)
{
    if (c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_train_cv_json(&j, o, cv);
        eo_json_obj_end(&j);
        printf("\n");
        return;
    }
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_train_cv_text(&b, o, cv);
    eo_cli_print(&b);
}

int eo_cmd_train(int argc, char **argv)
{
    if (task_is("compress", &argc, argv))
        return eo_cmd_train_compress(argc, argv);
    if (task_is("denoise", &argc, argv))
        return eo_cmd_train_denoise(argc, argv);
    eo_cli c;
    if (eo_cli_common(&c, "train", &argc, argv))
        return c.rc;
    train_args a = {.task = "classify", .model = "gbm", .split = "ds1ds2"};
    eo_train_options o;
    eo_train_defaults(&o);
    int rc = parse_args(&c, &a, &o, argc, argv);
    if (rc >= 0)
        return rc;
    train_ui ui = {&c, ""};
    o.data_dir = c.data_dir;
    o.classifier.seed = c.seed;
    o.classifier.threads = c.threads;
    o.history = a.report || c.json;
    o.evaluate_parts = a.report != NULL;
    o.progress = ui_progress;
    o.progress_user = o.note_user = &ui;
    o.note = ui_note;
    eo_error err;
    eo_train_result r;
    memset(&r, 0, sizeof r);
    eo_train_cv_result cv;
    memset(&cv, 0, sizeof cv);
    eo_report *rep = NULL;
    /* the model and the report must be writable before minutes of training */
    eo_status st = c.out ? eo_cli_output(&c, c.out, &err) : EO_STATUS_OK;
    if (!st && a.report)
        st = eo_cli_output(&c, a.report, &err);
    if (!st && a.cv) {
        st = eo_train_cv(&o, a.cv, &cv, &err);
        eo_cli_progress_end(&c);
        if (!st && (!c.json || !c.out))
            print_cv(&c, &o, &cv);
    }
    if (!st && a.cv && !c.out) { /* the CV alone: no final model */
        eo_train_cv_result_free(&cv);
        return 0;
    }
    if (!st)
        st = eo_train_run(&o, &r, &err);
    eo_cli_progress_end(&c);
    if (!st)
        st = eo_classifier_save(r.model, c.out, &err);
    if (!st && a.report)
        st = eo_train_report(&o, &r, &rep, &err);
    if (!st && rep)
        st = eo_report_write(rep, a.report, &err);
    if (!st)
        print_result(&c, a.report, &o, &r, a.cv ? &cv : NULL);
    eo_report_destroy(rep);
    eo_train_result_free(&r);
    eo_train_cv_result_free(&cv);
    return st ? eo_cli_fail(&c, &err) : 0;
}
