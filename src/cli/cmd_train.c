/* ecgopt train — train a beat classifier (the compression task is added by
 * the codec module).  Everything but argument parsing and printing is in the
 * library: beats.h (datasets, splits), ml.h (models, EC57 scoring). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/beats.h"
#include "ecgopt/ec57.h"
#include "ecgopt/json.h"
#include "ecgopt/ml.h"
#include "ecgopt/report.h"
#include "ecgopt/wfdb.h"

/* Signal 0 of a noise record (e.g. NSTDB's em, ma, bw) in mV, as floats. */
/* The first signal of a noise record, as floats (the augmenter's type). */
static eo_status load_noise(const char *base, float **out, size_t *n, eo_error *err)
{
    double *d = NULL;
    long got = 0;
    eo_status st = eo_wfdb_load_physical(base, 0, 0, -1, 1, &d, &got, err);
    *out = st ? NULL : malloc((size_t)got * sizeof **out);
    if (!st && !*out)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: %ld noise samples", base, got);
    for (long i = 0; !st && i < got; i++)
        (*out)[i] = (float)d[i];
    *n = st ? 0 : (size_t)got;
    free(d);
    return st;
}

static void help(void)
{
    printf(
        "usage: ecgopt train --task classify --model NAME -o MODEL [options]\n\n"
        "Train an arrhythmia beat classifier on MIT-BIH (found with --data).\n"
        "  --model NAME        gbm (XGBoost on RR + morphology features; default), mlp, cnn,\n"
        "                      lstm, cnnlstm, rescnn, cnn9 (docs/classification.md)\n"
        "  --spec SPEC         network spec replacing the model's built-in one (nn.h grammar)\n"
        "  --labels SET        aami (N S V F Q; default), nlrav (N L R A V), nsvq (N S V Q)\n"
        "  --split S           ds1ds2 (de Chazal inter-patient; default): train DS1, validation\n"
        "                      carved from DS1 by record, test DS2;\n"
        "                      intra: random stratified 70/15/15 of the 44 records' beats\n"
        "                      (INTRA-PATIENT: optimistic, reported as such);\n"
        "                      kfold: patient-wise folds (--folds K --fold I)\n"
        "  --val-records N     DS1 records held out for validation (4, chosen by --seed)\n"
        "  --val-set R1,R2,..  these DS1 records instead (e.g. 118,119: then NSTDB's\n"
        "                      118e*/119e* noise-stress records are unseen patients)\n"
        "  --folds K --fold I  k-fold split: test fold I of K (5, 0)\n"
        "  --epochs N --batch N --lr X --l2 X      network training (10, 64, 1e-3, 1e-4)\n"
        "  --class-weight P    class weights (n/(k n_c))^P, 0 off (1)\n"
        "  --oversample F      repeat minority classes up to F x the largest (0 off)\n"
        "  --augment           oversampled copies get noise, scaling and time stretch\n"
        "  --augment-noise REC also add real noise from record REC (e.g. an NSTDB record\n"
        "                      path such as DATA/nstdb/ma; signal 0) to the copies; implies --augment\n"
        "  --augment-snr DB    beat-to-noise power ratio of that noise (12)\n"
        "  --augment-copies K  also K augmented copies of every training beat, all classes\n"
        "                      (noise robustness; with --augment-noise they carry that noise)\n"
        "  --focal G           focal loss with gamma G (networks; 0 off)\n"
        "  --rounds N --depth N --eta X            boosting (150, 4, 0.1)\n"
        "  --waveform          gbm: add the down-sampled beat to the features (intra-patient)\n"
        "  --adaptive, --no-adaptive  gbm: with / without the patient-adaptive features\n"
        "                      (ml.h gbm_adaptive; default: the library's)\n"
        "  --rhythm, --no-rhythm  gbm: with / without the long-horizon rhythm features (gbm_rhythm)\n"
        "  --class-scale a,b,..  decision argmax_j p_j * scale_j, one per class of the label\n"
        "                      set (prior calibration, docs/classification.md; default 1)\n"
        "  --train DB[:SUBSET][,DB[:SUBSET]...]  training databases instead of DS1: DB is\n"
        "                      mitdb, svdb or a folder of WFDB records; SUBSET all (default),\n"
        "                      ds1, ds2 (mitdb) or records joined by '+' (mitdb:ds1,svdb;\n"
        "                      svdb:800+801).  Paced MIT-BIH records are left out; every\n"
        "                      record is used at 360 Hz (resampled), validation records are\n"
        "                      carved from these; --test scores DS2 (refused if included)\n"
        "  --lead NAME|INDEX   lead (MLII; with --train: the fallback order MLII, II, ECG1,\n"
        "                      then signal 0); --lead2 NAME|INDEX adds a second lead\n"
        "  --window N          fixed N-sample window centred on R (256, 360); default\n"
        "                      0.25 s before and 0.45 s after R\n"
        "  --norm none|beat|record  amplitude normalisation (gbm: none, networks: beat)\n"
        "  --align-ms MS       move each beat to the largest |x| within +-MS of its mark (0 off)\n"
        "  --baseline          median-filter baseline removal (200 + 600 ms) before the band-pass\n"
        "  --test              score the trained model on the test part (EC57 way for\n"
        "                      ds1ds2/kfold); --detector also with ecgopt's QRS detector\n"
        "  --report FILE.html  also write an HTML report: the split named with its beats\n"
        "                      per class, loss and accuracy of the final model on each\n"
        "                      part, training curves (loss and accuracy per epoch or\n"
        "                      boosting round, training and validation; also in --json\n"
        "                      as \"history\"), and for the validation part (and the\n"
        "                      test part with --test) the comparison matrix as a heat\n"
        "                      map, per-class Se/+P bars and the EC57 table (EC57 for\n"
        "                      record-wise parts)\n"
        "  common: --data DIR --seed N --threads N --json --quiet --progress\n\n"
        "example: ecgopt train --task classify --model gbm --split ds1ds2 --test -o gbm.model\n"
        "         ecgopt train --model gbm --rounds 40 -o gbm.model --test --report train.html\n"
        "         ecgopt classify --model gbm.model 100 -o 100.cls\n"
        "exit codes: 0 ok, 1 usage, 2 bad input, 3 internal\n");
}

static void print_ec57(eo_json *j, const char *key, const char *title, const eo_ec57_result *g)
{
    eo_ec57_stats s;
    eo_ec57_class_metrics m;
    eo_ec57_stats_of(g, &s);
    eo_ec57_class_metrics_of(g, &m);
    if (j) {
        eo_json_key(j, key);
        eo_json_obj_begin(j);
        eo_json_kv_num(j, "veb_se", s.veb_se);
        eo_json_kv_num(j, "veb_ppv", s.veb_ppv);
        eo_json_kv_num(j, "veb_fpr", s.veb_fpr);
        eo_json_kv_num(j, "sveb_se", s.sveb_se);
        eo_json_kv_num(j, "sveb_ppv", s.sveb_ppv);
        eo_json_kv_num(j, "qrs_se", s.qrs_se);
        eo_json_kv_num(j, "qrs_ppv", s.qrs_ppv);
        eo_json_kv_num(j, "accuracy", 100 * m.accuracy);
        eo_json_kv_int(j, "matched", m.total);
        eo_json_obj_end(j);
    } else {
        printf("%s: VEB Se %.2f%% +P %.2f%% FPR %.2f%%  SVEB Se %.2f%% +P %.2f%%  accuracy %.2f%% "
               "(%ld matched beats; QRS Se %.2f%% +P %.2f%%)\n",
               title, s.veb_se, s.veb_ppv, s.veb_fpr, s.sveb_se, s.sveb_ppv, 100 * m.accuracy,
               m.total, s.qrs_se, s.qrs_ppv);
    }
}

/* `--task compress` belongs to the codec (cmd_train_compress.c), `--task denoise` to the
 * denoise module (cmd_train_denoise.c): hand them the
 * arguments without the --task option. */
static int task_is(const char *task, int *argc, char **argv)
{
    char eq[64];
    snprintf(eq, sizeof eq, "--task=%s", task);
    for (int i = 1; i < *argc; i++) {
        int two = !strcmp(argv[i], "--task") && i + 1 < *argc && !strcmp(argv[i + 1], task);
        int one = !strcmp(argv[i], eq);
        if (two || one) {
            int k = two ? 2 : 1;
            for (int j = i; j + k <= *argc; j++)
                argv[j] = argv[j + k];
            *argc -= k;
            return 1;
        }
    }
    return 0;
}

/* ---- training history (eo_classifier_options.on_epoch) --------------- */

typedef struct train_history {
    eo_classifier_epoch *e;
    size_t n, cap;
    int oom; /* a point could not be stored: the history is dropped */
} train_history;

static void history_add(void *user, const eo_classifier_epoch *e)
{
    train_history *h = user;
    if (h->oom)
        return;
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 64;
        eo_classifier_epoch *ne = realloc(h->e, cap * sizeof *ne);
        if (!ne) {
            h->oom = 1;
            return;
        }
        h->e = ne;
        h->cap = cap;
    }
    h->e[h->n++] = *e;
}

/* The history as the report's columns: epochs, losses, accuracies in %. */
static eo_status history_columns(const train_history *h, double **cols, eo_error *err)
{
    double *d = malloc(5 * (h->n ? h->n : 1) * sizeof *d);
    if (!d)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "train: history of %zu points", h->n);
    for (size_t i = 0; i < h->n; i++) {
        const eo_classifier_epoch *e = &h->e[i];
        d[i] = e->epoch;
        d[h->n + i] = e->train_loss;
        d[2 * h->n + i] = e->val_loss;
        d[3 * h->n + i] = 100.0 * e->train_acc;
        d[4 * h->n + i] = 100.0 * e->val_acc;
    }
    *cols = d;
    return EO_STATUS_OK;
}

static void history_json(eo_json *j, const train_history *h, const eo_classifier *m, int is_nn)
{
    double *d = NULL;
    eo_error e;
    if (h->oom || history_columns(h, &d, &e))
        return;
    static const char *const keys[5] = {"epoch", "train_loss", "val_loss", "train_accuracy",
                                        "val_accuracy"};
    eo_json_key(j, "history");
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "unit", is_nn ? "epoch" : "boosting round");
    eo_json_kv_str(j, "loss", is_nn ? "training loss function (class-weighted), nats/beat"
                                    : "unweighted mean cross-entropy, nats/beat");
    eo_json_kv_str(j, "accuracy", "%, argmax (no class scale)");
    if (is_nn) {
        int best = 0;
        eo_classifier_epochs_run(m, &best);
        eo_json_kv_int(j, "kept_epoch", best);
    }
    for (int q = 0; q < 5; q++) {
        eo_json_key(j, keys[q]);
        eo_json_arr_begin(j);
        for (size_t i = 0; i < h->n; i++) {
            if (q == 0)
                eo_json_int(j, h->e[i].epoch);
            else
                eo_json_num(j, d[(size_t)q * h->n + i]);
        }
        eo_json_arr_end(j);
    }
    eo_json_obj_end(j);
    free(d);
}

/* ---- --report -------------------------------------------------------- */

typedef struct train_report {
    const char *path;
    int mode;                 /* 0 ds1ds2, 1 intra, 2 kfold */
    const char *split;
    eo_report *r;
    int val_scored;           /* validation: EC57 over its records (1) or k x k (2) */
    eo_ec57_result val_g;
    long val_cm[EO_LABELS_MAX_CLASSES * EO_LABELS_MAX_CLASSES];
} train_report;

/* Mean cross-entropy (nats) and accuracy (%) of the model on a part. */
static eo_status part_fit(const eo_classifier *m, const eo_beats *b, double *loss, double *acc,
                          long *cm, eo_error *err)
{
    *loss = *acc = NAN;
    if (!b || b->n == 0)
        return EO_STATUS_OK;
    int k = eo_label_set_n_classes(b->labels);
    int *pred = malloc(b->n * sizeof *pred);
    float *prob = malloc(b->n * (size_t)k * sizeof *prob);
    if (!pred || !prob) {
        free(pred);
        free(prob);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "train report: %zu beats", b->n);
    }
    eo_status st = eo_classifier_predict(m, b, pred, prob, err);
    if (!st)
        eo_fit_stats(b->y, pred, prob, b->n, k, loss, acc, cm);
    free(pred);
    free(prob);
    return st;
}

static eo_status add_ec57(eo_report *r, const char *title, const eo_ec57_result *g, eo_error *err)
{
    const char *cls[EO_EC57_NCLASS];
    long mm[EO_EC57_NCLASS * EO_EC57_NCLASS];
    for (int a = 0; a < EO_EC57_NCLASS; a++) {
        cls[a] = eo_ec57_class_name(a);
        for (int b = 0; b < EO_EC57_NCLASS; b++)
            mm[a * EO_EC57_NCLASS + b] = g->m[a][b];
    }
    eo_ec57_stats s;
    eo_ec57_stats_of(g, &s);
    eo_report_ec57_row rows[3] = {{"QRS", s.qtp, s.qfn, s.qfp, s.qrs_se, s.qrs_ppv, NAN},
                                  {"VEB", s.vtp, s.vfn, s.vfp, s.veb_se, s.veb_ppv, s.veb_fpr},
                                  {"SVEB", s.stp, s.sfn, s.sfp, s.sveb_se, s.sveb_ppv, NAN}};
    return eo_report_add_classification(r, title, cls, EO_EC57_NCLASS, mm, 5, rows, 3, err);
}

/* Whether record r has beats in part `which` (records are never split). */
static int record_in_part(const eo_beats *all, const int *part, int which, int r)
{
    for (size_t i = 0; i < all->n; i++)
        if (all->record[i] == r && part[i] == which)
            return 1;
    return 0;
}

static void names_of(const eo_beats *all, const int *part, int which, const char *const *recs, char *out,
                     size_t n)
{
    size_t k = 0;
    out[0] = 0;
    for (int r = 0; r < all->n_records; r++)
        if (record_in_part(all, part, which, r) && k + 40 < n)
            k += (size_t)snprintf(out + k, n - k, "%s%s", k ? " " : "", recs[r]);
}

/* JSON array of the records with beats in part `which` (whole records). */
static void json_records_of(eo_json *jp, const char *key, const eo_beats *all, const int *part, int which,
                            const char *const *recs)
{
    eo_json_key(jp, key);
    eo_json_arr_begin(jp);
    for (int r = 0; r < all->n_records; r++)
        if (record_in_part(all, part, which, r))
            eo_json_str(jp, recs[r]);
    eo_json_arr_end(jp);
}

/* The first part of the report: the split, beats per class and part, the
 * final model's loss/accuracy per part, the validation scores. */
static eo_status report_begin(train_report *tr, const eo_classifier_options *co, const eo_beats_options *bo,
                              const char *data_dir, const eo_beats *all, const int *part, eo_beats *const *pb,
                              const char *const *recs, const eo_classifier *m, const train_history *h,
                              eo_error *err)
{
    char title[256], txt[2048], vrec[1024];
    snprintf(title, sizeof title, "ecgopt train: model %s, %s labels, split %s", co->model,
             eo_label_set_name(bo->labels), tr->mode == 1 ? "intra-patient" : tr->split);
    tr->r = eo_report_create(title);
    if (!tr->r)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", tr->path);
    eo_report *r = tr->r;
    int k = eo_label_set_n_classes(bo->labels);
    eo_report_heading(r, 2, "Split");
    if (tr->mode == 0) {
        names_of(all, part, EO_PART_VAL, recs, vrec, sizeof vrec);
        snprintf(txt, sizeof txt, "ds1ds2 (de Chazal et al. 2004, inter-patient): training = DS1 records less the "
                 "validation records; validation = DS1 records %s (whole records, reference beat positions); "
                 "test = the 22 DS2 records (scored only with --test).", vrec[0] ? vrec : "(none)");
    } else if (tr->mode == 1) {
        snprintf(txt, sizeof txt, "intra (INTRA-PATIENT, optimistic): a random stratified 70/15/15 split of the "
                 "beats of all 44 records; the same patients are in every part.");
    } else {
        names_of(all, part, EO_PART_TEST, recs, vrec, sizeof vrec);
        snprintf(txt, sizeof txt, "kfold (patient-wise): the test fold is records %s; no validation part.", vrec);
    }
    eo_report_paragraph(r, txt);
    /* beats per class and part */
    const char *hdr[EO_LABELS_MAX_CLASSES + 2];
    char cells[3][EO_LABELS_MAX_CLASSES + 2][32];
    const char *cp[3 * (EO_LABELS_MAX_CLASSES + 2)];
    const char *pname[3] = {"training", "validation", "test"};
    hdr[0] = "part";
    for (int q = 0; q < k; q++)
        hdr[1 + q] = eo_label_class_name(bo->labels, q);
    hdr[1 + k] = "total";
    int rows = 0;
    for (int p = 0; p < 3; p++) {
        if (!pb[p] || pb[p]->n == 0)
            continue;
        snprintf(cells[rows][0], 32, "%s", pname[p]);
        for (int q = 0; q < k; q++)
            snprintf(cells[rows][1 + q], 32, "%zu", eo_beats_count(pb[p], q));
        snprintf(cells[rows][1 + k], 32, "%zu", pb[p]->n);
        for (int q = 0; q < k + 2; q++)
            cp[rows * (k + 2) + q] = cells[rows][q];
        rows++;
    }
    eo_report_table(r, "Beats per class", k + 2, hdr, rows, cp);
    eo_report_heading(r, 2, "Final model on each part");
    double loss[3], acc[3];
    eo_status st = EO_STATUS_OK;
    for (int p = 0; p < 3 && !st; p++)
        st = part_fit(m, pb[p], &loss[p], &acc[p], p == 1 ? tr->val_cm : NULL, err);
    if (st)
        return st;
    char fc[3][3][32];
    const char *fcp[9];
    int fr = 0;
    for (int p = 0; p < 3; p++) {
        if (!pb[p] || pb[p]->n == 0)
            continue;
        snprintf(fc[fr][0], 32, "%s", pname[p]);
        snprintf(fc[fr][1], 32, "%.4f", loss[p]);
        snprintf(fc[fr][2], 32, "%.2f", acc[p]);
        for (int q = 0; q < 3; q++)
            fcp[fr * 3 + q] = fc[fr][q];
        fr++;
    }
    const char *fh[3] = {"part", "cross-entropy (nats/beat)", "accuracy (%)"};
    eo_report_table(r, NULL, 3, fh, fr, fcp);
    /* training curves from the history (eo_classifier_options.on_epoch):
     * what the curves are first, then the curves */
    int is_nn = strcmp(co->model, "gbm") != 0, best = 0;
    eo_classifier_epochs_run(m, &best);
    size_t n = h->oom ? 0 : h->n;
    int scaled = 0; /* a --class-scale decision: the table's accuracy is not argmax */
    for (int q = 0; q < k; q++)
        scaled |= co->class_scale[q] > 0 && co->class_scale[q] != 1.0;
    if (n == 0)
        snprintf(txt, sizeof txt, "Training took %.1f s. No training curves: %s.", eo_classifier_train_seconds(m),
                 h->oom ? "out of memory for the history" : "the training reported no epoch");
    else if (is_nn)
        snprintf(txt, sizeof txt, "Training took %.1f s, %zu of %d epochs%s. Curves below: loss = the training loss "
                 "function (class-weighted cross-entropy, or the focal loss; nats per beat), on the training part the "
                 "mean over each epoch's mini-batches in training mode (dropout on, weights still moving), on the "
                 "validation part the model after the epoch; accuracy = validation only (argmax; network training "
                 "measures none on its training part).%s", eo_classifier_train_seconds(m), n, co->epochs,
                 n < (size_t)co->epochs ? " (early stopping)" : "",
                 best > 0 ? " The weights kept are those of the epoch with the lowest validation loss" : "");
    else
        snprintf(txt, sizeof txt, "Training took %.1f s, %zu boosting rounds. Curves below: XGBoost's own evaluation "
                 "after each round (mlogloss, merror) on the beats boosted on%s%s, unweighted: mean cross-entropy "
                 "(nats per beat) and accuracy = 1 - merror (argmax, no class scale)%s.",
                 eo_classifier_train_seconds(m), n,
                 co->oversample > 0 || co->augment_copies > 0 ? " (the training part with its copies)" : "",
                 pb[1] && pb[1]->n ? " and on the validation part" : "",
                 co->oversample > 0 || co->augment_copies > 0 ? "; the validation loss curve ends at the validation row of the table above"
                 : scaled ? "; the loss curves end at the rows of the table above, whose accuracy uses the class scales"
                          : ", so each curve ends at its part's row of the table above");
    if (is_nn && n && best > 0) {
        size_t l = strlen(txt);
        snprintf(txt + l, sizeof txt - l, " (epoch %d).", best);
    }
    eo_report_paragraph(r, txt);
    if (n) {
        double *d = NULL;
        st = history_columns(h, &d, err);
        if (st)
            return st;
        st = eo_report_add_training_x(r, "Training curves", is_nn ? "epoch" : "boosting round",
                                      "accuracy (%)", d, n, d + n, d + 2 * n, d + 3 * n, d + 4 * n, err);
        free(d);
        if (st)
            return st;
    }
    /* validation */
    if (tr->mode != 2 && pb[1] && pb[1]->n) {
        if (tr->mode == 0) {
            const char *vr[44];
            int nv = 0;
            for (int rr = 0; rr < all->n_records && nv < 44; rr++)
                if (record_in_part(all, part, EO_PART_VAL, rr))
                    vr[nv++] = recs[rr];
            st = eo_classifier_evaluate(m, data_dir, vr, nv, 0, NULL, NULL, &tr->val_g, NULL, err);
            if (st)
                return st;
            tr->val_scored = 1;
            snprintf(txt, sizeof txt, "Validation split: DS1 records %s, reference beat positions, by AAMI class "
                     "(EC57, 150 ms window)", vrec);
            st = add_ec57(r, txt, &tr->val_g, err);
        } else {
            const char *cls[EO_LABELS_MAX_CLASSES];
            for (int q = 0; q < k; q++)
                cls[q] = eo_label_class_name(bo->labels, q);
            tr->val_scored = 2;
            st = eo_report_add_classification(r, "Validation split (INTRA-PATIENT, random 15% of the beats)", cls,
                                              k, tr->val_cm, k, NULL, 0, err);
        }
    }
    return st;
}

/* what the command line asks for */
typedef struct train_args {
    eo_cli c;
    eo_classifier_options co;
    eo_beats_options bo;
    const char *task, *split, *norm, *noise_rec, *val_set, *train_spec;
    long val_records, folds, fold;
    int test, detector, lead_given, split_given;
    train_report tr;
} train_args;

/* The model and training options; 1 when argv[*pi] was one of them. */
static int parse_model_opt(train_args *a, int argc, char **argv, int *pi, int *prc)
{
    int i = *pi, rc = 0, r, matched = 1;
    long l = 0;
    const char *v = NULL;

    if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--task", &a->task)) != 0) {
        rc = r < 0;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--model", &v)) != 0) {
        rc = r < 0;
        if (!rc)
            snprintf(a->co.model, sizeof a->co.model, "%s", v);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--spec", &a->co.spec)) != 0) {
        rc = r < 0;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--labels", &v)) != 0) {
        eo_error e;
        rc = r < 0 || (eo_label_set_parse(v, &a->bo.labels, &e) ? eo_cli_usage(&a->c, "%s", e.msg) : 0);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--split", &a->split)) != 0 &&
               (a->split_given = 1)) {
        rc = r < 0;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--val-records", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_long(&a->c, "--val-records", v, 0, 1000, &a->val_records);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--val-set", &a->val_set)) != 0) {
        rc = r < 0;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--folds", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_long(&a->c, "--folds", v, 2, 100, &a->folds);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--fold", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_long(&a->c, "--fold", v, 0, 99, &a->fold);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--epochs", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_long(&a->c, "--epochs", v, 1, 100000, &l);
        a->co.epochs = (int)l;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--batch", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_long(&a->c, "--batch", v, 1, 65536, &l);
        a->co.batch = (int)l;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--lr", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_double(&a->c, "--lr", v, 1e-12, 10, &a->co.lr);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--l2", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_double(&a->c, "--l2", v, 0, 10, &a->co.l2);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--class-weight", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_double(&a->c, "--class-weight", v, 0, 4, &a->co.class_weight_power);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--oversample", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_double(&a->c, "--oversample", v, 0, 1, &a->co.oversample);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--focal", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_double(&a->c, "--focal", v, 0, 10, &a->co.focal_gamma);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--rounds", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_long(&a->c, "--rounds", v, 1, 100000, &l);
        a->co.gbm_rounds = (int)l;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--depth", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_long(&a->c, "--depth", v, 1, 32, &l);
        a->co.gbm_depth = (int)l;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--eta", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_double(&a->c, "--eta", v, 1e-6, 1, &a->co.gbm_eta);
    } else {
        matched = 0;
    }
    *pi = i;
    *prc = rc;
    return matched;
}

/* The beat, augmentation and evaluation options; anything else is a usage error. */
static int parse_data_opt(train_args *a, int argc, char **argv, int *pi)
{
    int i = *pi, rc = 0, r;
    long l = 0;
    const char *v = NULL;
    if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--lead", &v)) != 0) {
        rc = r < 0;
        if (!rc)
            snprintf(a->bo.leads[0], sizeof a->bo.leads[0], "%s", v);
        a->lead_given = 1;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--train", &a->train_spec)) != 0) {
        rc = r < 0;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--lead2", &v)) != 0) {
        rc = r < 0;
        if (!rc)
            snprintf(a->bo.leads[1], sizeof a->bo.leads[1], "%s", v);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--window", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_long(&a->c, "--window", v, 16, 4096, &l);
        if (!rc && (l < 16 || l > 4096))
            rc = eo_cli_usage(&a->c, "--window %ld: use 16..4096 samples", l);
        a->bo.window_samples = (int)l;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--norm", &a->norm)) != 0) {
        rc = r < 0;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--align-ms", &v)) != 0) {
        double ms = 0;
        rc = r < 0 || eo_cli_parse_double(&a->c, "--align-ms", v, 0, 200, &ms);
        if (!rc && (ms < 0 || ms > 200))
            rc = eo_cli_usage(&a->c, "--align-ms %g: use 0..200", ms);
        a->bo.align_s = ms / 1000.0;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--augment-copies", &v)) != 0) {
        long kc = 0;
        rc = r < 0 || eo_cli_parse_long(&a->c, "--augment-copies", v, 0, 64, &kc);
        if (!rc && (kc < 0 || kc > 64))
            rc = eo_cli_usage(&a->c, "--augment-copies %ld: use 0..64", kc);
        a->co.augment_copies = (int)kc;
    } else if (!strcmp(argv[i], "--augment")) {
        a->co.augment = 1;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--augment-noise", &a->noise_rec)) != 0) {
        rc = r < 0;
        a->co.augment = 1;
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--augment-snr", &v)) != 0) {
        rc = r < 0 || eo_cli_parse_double(&a->c, "--augment-snr", v, -20, 60, &a->co.augment_snr_db);
        if (!rc && !(a->co.augment_snr_db >= -20 && a->co.augment_snr_db <= 60))
            rc = eo_cli_usage(&a->c, "--augment-snr %g: use -20..60 dB", a->co.augment_snr_db);
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--report", &a->tr.path)) != 0) {
        rc = r < 0;
    } else if (!strcmp(argv[i], "--adaptive") || !strcmp(argv[i], "--no-adaptive")) {
        a->co.gbm_adaptive = !strcmp(argv[i], "--adaptive");
    } else if (!strcmp(argv[i], "--rhythm") || !strcmp(argv[i], "--no-rhythm")) {
        a->co.gbm_rhythm = !strcmp(argv[i], "--rhythm");
    } else if ((r = eo_cli_take_value(&a->c, argc, argv, &i, "--class-scale", &v)) != 0) {
        /* comma-separated positive numbers, at most one per class */
        int nsc = 0;
        const char *p = v;
        rc = r < 0;
        while (!rc && p && *p) {
            char *e;
            double x = strtod(p, &e);
            if (e == p || !(x > 0) || !isfinite(x) || nsc >= EO_LABELS_MAX_CLASSES || (*e && *e != ','))
                rc = eo_cli_usage(&a->c, "--class-scale expects up to %d positive numbers a,b,..., got '%s'",
                                  EO_LABELS_MAX_CLASSES, v);
            else
                a->co.class_scale[nsc++] = x;
            p = *e == ',' ? e + 1 : NULL;
        }
    } else if (!strcmp(argv[i], "--waveform")) {
        a->co.gbm_waveform = 1;
    } else if (!strcmp(argv[i], "--baseline")) {
        a->bo.baseline_median = 1;
    } else if (!strcmp(argv[i], "--test")) {
        a->test = 1;
    } else if (!strcmp(argv[i], "--detector")) {
        a->detector = a->test = 1;
    } else {
        rc = eo_cli_usage(&a->c, "unknown argument %s", argv[i]);
    }
    *pi = i;
    return rc;
}

static int parse_args(train_args *a, int argc, char **argv)
{
    eo_classifier_defaults(&a->co);
    eo_beats_defaults(&a->bo);
    a->task = "classify";
    a->split = "ds1ds2";
    a->val_records = 4;
    a->folds = 5;
    int rc = 0;
    for (int i = 1; i < argc && !rc; i++)
        if (!parse_model_opt(a, argc, argv, &i, &rc))
            rc = parse_data_opt(a, argc, argv, &i);
    return rc;
}

/* The checks that need every option; *pmode: 0 ds1ds2, 1 intra, 2 kfold. */
static int check_args(train_args *a, int *pmode)
{
    eo_error err;
    if (!strcmp(a->task, "compress")) {
        eo_error_set(&err, EO_STATUS_UNSUPPORTED,
                     "train: --task compress is not available yet (the codec module adds it)");
        return eo_cli_fail(&a->c, &err);
    }
    if (strcmp(a->task, "classify"))
        return eo_cli_usage(&a->c, "--task must be classify or compress, got '%s'", a->task);
    if (!eo_classifier_model_known(a->co.model))
        return eo_cli_usage(&a->c, "--model '%s' is unknown (gbm mlp cnn lstm cnnlstm rescnn cnn9)",
                            a->co.model);
    if (!a->c.out)
        return eo_cli_usage(&a->c, "missing -o MODEL (where the trained model is written)");
    int is_nn = strcmp(a->co.model, "gbm") != 0;
    if (!a->norm)
        a->bo.norm = is_nn ? EO_NORM_BEAT : EO_NORM_NONE;
    else if (!strcmp(a->norm, "none"))
        a->bo.norm = EO_NORM_NONE;
    else if (!strcmp(a->norm, "beat"))
        a->bo.norm = EO_NORM_BEAT;
    else if (!strcmp(a->norm, "record"))
        a->bo.norm = EO_NORM_RECORD;
    else
        return eo_cli_usage(&a->c, "--norm must be none, beat or record, got '%s'", a->norm);
    int mode = !strcmp(a->split, "ds1ds2") ? 0 : !strcmp(a->split, "intra") ? 1 : !strcmp(a->split, "kfold") ? 2 : -1;
    if (mode < 0)
        return eo_cli_usage(&a->c, "--split must be ds1ds2, intra or kfold, got '%s'", a->split);
    if (a->train_spec && mode != 0)
        return eo_cli_usage(&a->c, "--train goes with --split ds1ds2 (validation records carved from "
                                "the training records, test DS2), not --split %s", a->split);
    (void)a->split_given;
    if (a->val_set && mode != 0)
        return eo_cli_usage(&a->c, "--val-set applies to --split ds1ds2 (validation from DS1)");
    if (a->val_set && (!a->val_set[0] || strlen(a->val_set) >= 512))
        return eo_cli_usage(&a->c, "--val-set needs 1..511 characters of comma-separated records");
    if (mode == 2 && (a->folds < 2 || a->fold < 0 || a->fold >= a->folds))
        return eo_cli_usage(&a->c, "--folds %ld --fold %ld: need K >= 2 and 0 <= I < K", a->folds, a->fold);
    *pmode = mode;
    return 0;
}

/* the validation figures the report draws, for --json */
static void json_validation(eo_json *jp, const train_report *tr, eo_label_set labels)
{
    if (tr->val_scored) {
        int n = tr->val_scored == 1 ? EO_EC57_NCLASS : eo_label_set_n_classes(labels);
        eo_json_key(jp, "validation");
        eo_json_obj_begin(jp);
        eo_json_kv_str(jp, "rows_ref_cols_test", tr->val_scored == 1 ? "N S V F Q O X" : "label set classes");
        eo_json_key(jp, "matrix");
        eo_json_arr_begin(jp);
        for (int row = 0; row < n; row++) {
            eo_json_arr_begin(jp);
            for (int col = 0; col < n; col++)
                eo_json_int(jp, tr->val_scored == 1 ? tr->val_g.m[row][col] : tr->val_cm[row * n + col]);
            eo_json_arr_end(jp);
        }
        eo_json_arr_end(jp);
        eo_json_obj_end(jp);
    }
}

/* --test: the intra-patient test part, or DS2 / the test fold scored by EC57. */
static eo_status run_test(train_args *a, int mode, eo_classifier *model, eo_beats **part_b,
                          const char *const *test_recs, int n_test_recs, eo_json *jp, int **ppred, eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    int *pred = NULL;
    if (a->test && mode == 1) {
        int k = eo_label_set_n_classes(a->bo.labels);
        pred = *ppred = malloc((part_b[2]->n + 1) * sizeof *pred);
        if (!pred) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "train: predictions");
            return st;
        }
        st = eo_classifier_predict(model, part_b[2], pred, NULL, err);
        if (st)
            return st;
        long cm[EO_LABELS_MAX_CLASSES * EO_LABELS_MAX_CLASSES], ok = 0;
        eo_confusion(part_b[2]->y, pred, part_b[2]->n, k, cm);
        for (int q = 0; q < k; q++)
            ok += cm[q * k + q];
        double acc = part_b[2]->n ? 100.0 * ok / part_b[2]->n : NAN;
        if (a->tr.r) {
            const char *cls[EO_LABELS_MAX_CLASSES];
            for (int q = 0; q < k; q++)
                cls[q] = eo_label_class_name(a->bo.labels, q);
            st = eo_report_add_classification(a->tr.r, "Test split (INTRA-PATIENT, random 15% of the beats)", cls, k,
                                              cm, k, NULL, 0, err);
            if (st)
                return st;
        }
        if (jp) {
            eo_json_key(jp, "intra_patient_test");
            eo_json_obj_begin(jp);
            eo_json_kv_int(jp, "beats", (long long)part_b[2]->n);
            eo_json_kv_num(jp, "accuracy", acc);
            eo_json_obj_end(jp);
        } else {
            printf("INTRA-PATIENT test (%zu beats, random 15%% of all 44 records): accuracy %.2f%%\n",
                   part_b[2]->n, acc);
        }
    } else if (a->test) {
        eo_ec57_result g;
        st = eo_classifier_evaluate(model, a->c.data_dir, test_recs, n_test_recs, 0,
                                    a->c.progress ? eo_cli_progress : NULL, &a->c, &g, NULL, err);
        eo_cli_progress_end(&a->c);
        if (st)
            return st;
        print_ec57(jp, "test_reference_beats",
                   mode == 0 ? "DS2 (reference beats)" : "test fold (reference beats)", &g);
        if (a->tr.r) {
            st = add_ec57(a->tr.r, mode == 0 ? "Test split: DS2 (22 records), reference beat positions"
                                          : "Test split: the test fold, reference beat positions", &g, err);
            if (st)
                return st;
        }
        if (a->detector) {
            st = eo_classifier_evaluate(model, a->c.data_dir, test_recs, n_test_recs, 1,
                                        a->c.progress ? eo_cli_progress : NULL, &a->c, &g, NULL, err);
            eo_cli_progress_end(&a->c);
            if (st)
                return st;
            print_ec57(jp, "test_detector",
                       mode == 0 ? "DS2 (ecgopt detector)" : "test fold (ecgopt detector)", &g);
            if (a->tr.r) {
                st = add_ec57(a->tr.r, mode == 0 ? "Test split: DS2 (22 records), beats from ecgopt's QRS detector"
                                              : "Test split: the test fold, beats from ecgopt's QRS detector",
                              &g, err);
                if (st)
                    return st;
            }
        }
    }
    return st;
}

/* Each beat to a part (mode as check_args), the parts as beat sets; the test records listed. */
static eo_status split_parts(const train_args *a, int mode, const eo_beats *all, const char *const *recs, int *part,
                             size_t *idx, eo_rng *rng, const char **test_recs, int *n_test_recs, eo_beats **part_b,
                             eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    if (mode == 0) {
        if (a->val_set) {
            char buf[512];
            const char *names[44];
            int nn = 0;
            snprintf(buf, sizeof buf, "%s", a->val_set);
            char *save = NULL;
            for (char *t = strtok_r(buf, ",", &save); t && nn <= 44; t = strtok_r(NULL, ",", &save))
                if (nn < 44)
                    names[nn++] = t;
                else
                    nn++;
            if (nn == 0 || nn > 44)
                st = eo_error_set(err, EO_STATUS_USAGE, "--val-set '%s': %s", a->val_set,
                                  nn ? "more than 44 records" : "no record named");
            else
                st = eo_split_records_named(all, names, nn, part, err);
        } else {
            st = eo_split_records_val(all, (int)a->val_records, rng, part, err);
        }
        for (int r = 0; r < 22; r++)
            test_recs[(*n_test_recs)++] = eo_split_ds2[r];
    } else if (mode == 1) {
        st = eo_split_stratified(all->y, all->n, 0.70, 0.15, rng, part, err);
    } else {
        st = eo_split_kfold(all, (int)a->folds, rng, part, err);
        if (!st) {
            for (int r = 0; r < all->n_records; r++) {
                int f = -1;
                for (size_t i = 0; i < all->n && f < 0; i++)
                    if (all->record[i] == r)
                        f = part[i];
                if (f == a->fold)
                    test_recs[(*n_test_recs)++] = recs[r];
            }
            for (size_t i = 0; i < all->n; i++)
                part[i] = part[i] == a->fold ? EO_PART_TEST : EO_PART_TRAIN;
        }
    }
    if (st)
        return st;
    for (int p = 0; p < 3; p++) {
        size_t m = 0;
        for (size_t i = 0; i < all->n; i++)
            if (part[i] == p)
                idx[m++] = i;
        st = eo_beats_subset(all, idx, m, &part_b[p], err);
        if (st)
            return st;
    }
    return st;
}

/* The first lines of the --json object, or the one-line summary. */
static void print_head(const train_args *a, int mode, const eo_beats *all, const int *part, eo_beats **part_b,
                       const char *const *recs, eo_classifier *model, const train_history *hist, int is_nn,
                       eo_json *jp)
{
    if (jp) {
        eo_json_obj_begin(jp);
        eo_json_kv_str(jp, "model", a->co.model);
        eo_json_kv_str(jp, "labels", eo_label_set_name(a->bo.labels));
        eo_json_kv_str(jp, "split", mode == 1 ? "intra-patient" : a->split);
        eo_json_kv_int(jp, "train_beats", (long long)part_b[0]->n);
        eo_json_kv_int(jp, "val_beats", (long long)part_b[1]->n);
        if (mode == 0)
            json_records_of(jp, "val_records", all, part, EO_PART_VAL, recs);
        else if (mode == 2)
            json_records_of(jp, "test_records", all, part, EO_PART_TEST, recs);
        eo_json_kv_num(jp, "train_seconds", eo_classifier_train_seconds(model));
        eo_json_kv_str(jp, "output", a->c.out);
        history_json(jp, hist, model, is_nn);
    } else if (!a->c.quiet) {
        printf("model %s (%s labels, split %s) trained on %zu beats in %.1f s -> %s\n", a->co.model,
               eo_label_set_name(a->bo.labels), mode == 1 ? "intra-patient" : a->split, part_b[0]->n,
               eo_classifier_train_seconds(model), a->c.out);
    }
}

/* --train: records of one or more databases, all at a common rate (360
 * Hz, MIT-BIH's: other records are resampled) on their own lead by the
 * fallback order unless --lead names one. The names and pointers go to the caller. */
static int train_records(train_args *a, char (**pnames)[EO_CLI_REC_LEN], const char ***pptr,
                         const char *const **precs, int *pn_recs, eo_error *err)
{
    char (*train_names)[EO_CLI_REC_LEN] = NULL;
    const char **train_ptr = NULL;
    int train_has_ds2 = 0;
    int nt = 0;
    train_names = malloc(1024 * sizeof *train_names);
    train_ptr = malloc(1024 * sizeof *train_ptr);
    if (!train_names || !train_ptr) {
        free(train_names);
        free(train_ptr);
        eo_error_set(err, EO_STATUS_NO_MEMORY, "--train: out of memory");
        return eo_cli_fail(&a->c, err);
    }
    if (eo_cli_train_records(&a->c, a->train_spec, train_names, 1024, &nt, &train_has_ds2, err)) {
        free(train_names);
        free(train_ptr);
        return eo_cli_fail(&a->c, err);
    }
    if (a->test && train_has_ds2) {
        free(train_names);
        free(train_ptr);
        return eo_cli_usage(&a->c, "--test scores MIT-BIH DS2, but --train %s includes DS2 "
                                "records", a->train_spec);
    }
    for (int k = 0; k < nt; k++)
        train_ptr[k] = train_names[k];
    *precs = train_ptr;
    *pn_recs = nt;
    a->bo.fs_hz = 360.0;
    if (!a->lead_given)
        a->bo.leads[0][0] = 0;
    eo_cli_info(&a->c, "--train %s: %d records, resampled to %g Hz where needed, lead %s\n",
                a->train_spec, nt, a->bo.fs_hz, a->lead_given ? a->bo.leads[0] : "by the fallback order "
                "(MLII, II, ECG1, then signal 0)");
    *pnames = train_names;
    *pptr = train_ptr;
    return 0;
}

int eo_cmd_train(int argc, char **argv)
{
    if (task_is("compress", &argc, argv))
        return eo_cmd_train_compress(argc, argv);
    if (task_is("denoise", &argc, argv)) /* cmd_train_denoise.c */
        return eo_cmd_train_denoise(argc, argv);
    train_args a;
    memset(&a, 0, sizeof a);
    if (eo_cli_common(&a.c, "train", &argc, argv))
        return a.c.rc;
    if (a.c.help) {
        help();
        return 0;
    }
    int rc = parse_args(&a, argc, argv);
    if (rc)
        return rc;
    int mode = 0;
    rc = check_args(&a, &mode);
    if (rc)
        return rc;
    eo_error err;
    int is_nn = strcmp(a.co.model, "gbm") != 0;
    a.co.seed = a.c.seed;
    a.co.threads = a.c.threads;
    /* the history feeds the report's curves and the JSON */
    train_history hist = {NULL, 0, 0, 0};
    if (a.tr.path || a.c.json) {
        a.co.on_epoch = history_add;
        a.co.on_epoch_user = &hist;
    }

    /* the model and the report must be writable before minutes of training */
    if (eo_cli_output(&a.c, a.c.out, &err) || (a.tr.path && eo_cli_output(&a.c, a.tr.path, &err)))
        return eo_cli_fail(&a.c, &err);
    eo_rng rng;
    eo_rng_seed(&rng, a.c.seed);
    const char *const *recs = eo_split_ds1;
    int n_recs = 22;
    if (mode != 0)
        n_recs = eo_split_mitdb_records(&recs);
    /* --train: records of one or more databases, all at a common rate (360
     * Hz, MIT-BIH's: other records are resampled) on their own lead by the
     * fallback order unless --lead names one */
    char (*train_names)[EO_CLI_REC_LEN] = NULL;
    const char **train_ptr = NULL;
    if (a.train_spec) {
        rc = train_records(&a, &train_names, &train_ptr, &recs, &n_recs, &err);
        if (rc)
            return rc;
    }
    eo_beats *all = NULL, *part_b[3] = {NULL, NULL, NULL};
    eo_classifier *model = NULL;
    int *part = NULL, *pred = NULL;
    size_t *idx = NULL;
    const char *test_recs[44];
    int n_test_recs = 0;
    float *noise = NULL;
    size_t noise_len = 0;
    eo_status st = EO_STATUS_OK;
    if (a.noise_rec) {
        if (a.co.oversample <= 0 && a.co.augment_copies <= 0) {
            free(train_names);
            free(train_ptr);
            return eo_cli_usage(&a.c, "--augment-noise needs --oversample F or --augment-copies K (the noise goes on the copies)");
        }
        st = load_noise(a.noise_rec, &noise, &noise_len, &err);
        if (st)
            goto fail;
        a.co.augment_noise = noise;
        a.co.augment_noise_len = noise_len;
    }
    st = eo_beats_load(a.c.data_dir, recs, n_recs, &a.bo,
                                 a.c.progress ? eo_cli_progress : NULL, &a.c, &all, &err);
    eo_cli_progress_end(&a.c);
    if (st)
        goto fail;
    part = malloc(all->n * sizeof *part);
    idx = malloc(all->n * sizeof *idx);
    if (!part || !idx) {
        st = eo_error_set(&err, EO_STATUS_NO_MEMORY, "train: %zu beats", all->n);
        goto fail;
    }
    st = split_parts(&a, mode, all, recs, part, idx, &rng, test_recs, &n_test_recs, part_b, &err);
    if (st)
        goto fail;
    if (part_b[0]->n == 0) {
        st = eo_error_set(&err, EO_STATUS_USAGE, "train: the training split is empty");
        goto fail;
    }
    /* a class without training beats cannot be predicted: say so */
    for (int k = 0; k < eo_label_set_n_classes(a.bo.labels); k++)
        if (eo_beats_count(part_b[0], k) == 0)
            eo_cli_info(&a.c, "warning: the training records have no beat of class %s; the model "
                            "will never predict it\n",
                        eo_label_class_name(a.bo.labels, k));
    eo_cli_info(&a.c, "split %s%s: %zu training, %zu validation, %zu test beats\n", a.split,
                mode == 1 ? " (INTRA-PATIENT)" : "", part_b[0]->n, part_b[1]->n,
                mode == 0 ? 0 : part_b[2]->n);
    st = eo_classifier_train(&a.co, &a.bo, part_b[0], part_b[1]->n ? part_b[1] : NULL,
                             a.c.progress ? eo_cli_progress : NULL, &a.c, &model, &err);
    eo_cli_progress_end(&a.c);
    if (st)
        goto fail;
    st = eo_classifier_save(model, a.c.out, &err);
    if (st)
        goto fail;
    if (a.tr.path) {
        a.tr.mode = mode;
        a.tr.split = a.split;
        st = report_begin(&a.tr, &a.co, &a.bo, a.c.data_dir, all, part, part_b, recs, model, &hist, &err);
        if (st)
            goto fail;
    }
    eo_json j, *jp = NULL;
    if (a.c.json) {
        eo_json_init(&j, stdout);
        jp = &j;
    }
    print_head(&a, mode, all, part, part_b, recs, model, &hist, is_nn, jp);
    st = run_test(&a, mode, model, part_b, test_recs, n_test_recs, jp, &pred, &err);
    if (st)
        goto fail;
    if (a.tr.r) {
        st = eo_report_write(a.tr.r, a.tr.path, &err);
        if (st)
            goto fail;
        if (!jp)
            eo_cli_info(&a.c, "wrote %s\n", a.tr.path);
    }
    if (jp) {
        if (a.tr.r) {
            eo_json_kv_str(jp, "report", a.tr.path);
            /* the validation figures the report draws */
            json_validation(jp, &a.tr, a.bo.labels);
        }
        eo_json_obj_end(jp);
        printf("\n");
    }
fail:
    eo_report_destroy(a.tr.r);
    free(hist.e);
    free(pred);
    free(part);
    free(idx);
    free(noise);
    for (int p = 0; p < 3; p++)
        eo_beats_destroy(part_b[p]);
    eo_beats_destroy(all);
    eo_classifier_destroy(model);
    free(train_names);
    free(train_ptr);
    return st ? eo_cli_fail(&a.c, &err) : 0;
}
