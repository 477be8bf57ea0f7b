/* The HTML report of a training run (train.h eo_train_report): the split,
 * beats per class and part, the final model on each part, training curves,
 * validation and test matrices with their EC57 tables (ANSI/AAMI EC57). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/train.h"

static const char *const PART_NAME[3] = {"training", "validation", "test"};

/* the records of part `which`, space-separated */
static void names_of(const eo_train_result *r, int which, char *out, size_t n)
{
    size_t k = 0;
    out[0] = 0;
    for (int i = 0; i < r->all->n_records && i < r->n_records; i++)
        if (eo_train_record_in_part(r, i, which) && k + 40 < n)
            k += (size_t)snprintf(out + k, n - k, "%s%s", k ? " " : "", r->records[i]);
}

static eo_status add_ec57(eo_report *rep, const char *title, const eo_ec57_result *g, eo_error *err)
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
    return eo_report_add_classification(rep, title, cls, EO_EC57_NCLASS, mm, 5, rows, 3, err);
}

static eo_status add_matrix(eo_report *rep, const char *title, eo_label_set labels, const long *cm, eo_error *err)
{
    const char *cls[EO_LABELS_MAX_CLASSES];
    int k = eo_label_set_n_classes(labels);
    for (int q = 0; q < k; q++)
        cls[q] = eo_label_class_name(labels, q);
    return eo_report_add_classification(rep, title, cls, k, cm, k, NULL, 0, err);
}

/* the split in words, then beats per class and part */
static void report_split(eo_report *rep, const eo_train_result *r)
{
    char txt[2048], recs[1024];
    eo_report_heading(rep, 2, "Split");
    if (r->split == EO_TRAIN_DS1DS2) {
        names_of(r, EO_PART_VAL, recs, sizeof recs);
        snprintf(txt, sizeof txt, "ds1ds2 (de Chazal et al. 2004, inter-patient): training = DS1 records less the "
                 "validation records; validation = DS1 records %s (whole records, reference beat positions); "
                 "test = the 22 DS2 records (scored only with --test).", recs[0] ? recs : "(none)");
    } else if (r->split == EO_TRAIN_INTRA) {
        snprintf(txt, sizeof txt, "intra (INTRA-PATIENT, optimistic): a random stratified 70/15/15 split of the "
                 "beats of all 44 records; the same patients are in every part.");
    } else {
        names_of(r, EO_PART_TEST, recs, sizeof recs);
        snprintf(txt, sizeof txt, "kfold (patient-wise): the test fold is records %s; no validation part.", recs);
    }
    eo_report_paragraph(rep, txt);
    int k = eo_label_set_n_classes(r->labels), rows = 0;
    const char *hdr[EO_LABELS_MAX_CLASSES + 2];
    char cells[3][EO_LABELS_MAX_CLASSES + 2][32];
    const char *cp[3 * (EO_LABELS_MAX_CLASSES + 2)];
    hdr[0] = "part";
    for (int q = 0; q < k; q++)
        hdr[1 + q] = eo_label_class_name(r->labels, q);
    hdr[1 + k] = "total";
    for (int p = 0; p < 3; p++) {
        if (!r->parts[p] || r->parts[p]->n == 0)
            continue;
        snprintf(cells[rows][0], 32, "%s", PART_NAME[p]);
        for (int q = 0; q < k; q++)
            snprintf(cells[rows][1 + q], 32, "%zu", eo_beats_count(r->parts[p], q));
        snprintf(cells[rows][1 + k], 32, "%zu", r->parts[p]->n);
        for (int q = 0; q < k + 2; q++)
            cp[rows * (k + 2) + q] = cells[rows][q];
        rows++;
    }
    eo_report_table(rep, "Beats per class", k + 2, hdr, rows, cp);
}

/* loss and accuracy of the final model on each part */
static void report_fit(eo_report *rep, const eo_train_result *r)
{
    char fc[3][3][32];
    const char *fcp[9];
    int fr = 0;
    eo_report_heading(rep, 2, "Final model on each part");
    for (int p = 0; p < 3; p++) {
        if (!r->parts[p] || r->parts[p]->n == 0)
            continue;
        snprintf(fc[fr][0], 32, "%s", PART_NAME[p]);
        snprintf(fc[fr][1], 32, "%.4f", r->loss[p]);
        snprintf(fc[fr][2], 32, "%.2f", r->accuracy[p]);
        for (int q = 0; q < 3; q++)
            fcp[fr * 3 + q] = fc[fr][q];
        fr++;
    }
    static const char *const fh[3] = {"part", "cross-entropy (nats/beat)", "accuracy (%)"};
    eo_report_table(rep, NULL, 3, fh, fr, fcp);
}

/* what the curves are (they differ between networks and boosting) */
static void curves_text(const eo_classifier_options *co, const eo_train_result *r, char *txt, size_t len)
{
    int best = 0, scaled = 0, k = eo_label_set_n_classes(r->labels);
    eo_classifier_epochs_run(r->model, &best);
    size_t n = r->history_lost ? 0 : r->n_history;
    double secs = eo_classifier_train_seconds(r->model);
    int copies = co->oversample > 0 || co->augment_copies > 0;
    for (int q = 0; q < k; q++) /* a --class-scale decision: the table's accuracy is not argmax */
        scaled |= co->class_scale[q] > 0 && co->class_scale[q] != 1.0;
    if (n == 0)
        snprintf(txt, len, "Training took %.1f s. No training curves: %s.", secs,
                 r->history_lost ? "out of memory for the history" : "the training reported no epoch");
    else if (strcmp(co->model, "gbm") != 0)
        snprintf(txt, len, "Training took %.1f s, %zu of %d epochs%s. Curves below: loss = the training loss "
                 "function (class-weighted cross-entropy, or the focal loss; nats per beat), on the training part the "
                 "mean over each epoch's mini-batches in training mode (dropout on, weights still moving), on the "
                 "validation part the model after the epoch; accuracy = validation only (argmax; network training "
                 "measures none on its training part).%s%.0d%s", secs, n, co->epochs,
                 n < (size_t)co->epochs ? " (early stopping)" : "",
                 best > 0 ? " The weights kept are those of the epoch with the lowest validation loss (epoch " : "",
                 best, best > 0 ? ")." : "");
    else
        snprintf(txt, len, "Training took %.1f s, %zu boosting rounds. Curves below: XGBoost's own evaluation "
                 "after each round (mlogloss, merror) on the beats boosted on%s%s, unweighted: mean cross-entropy "
                 "(nats per beat) and accuracy = 1 - merror (argmax, no class scale)%s.", secs, n,
                 copies ? " (the training part with its copies)" : "",
                 r->parts[1] && r->parts[1]->n ? " and on the validation part" : "",
                 copies ? "; the validation loss curve ends at the validation row of the table above"
                 : scaled ? "; the loss curves end at the rows of the table above, whose accuracy uses the class scales"
                          : ", so each curve ends at its part's row of the table above");
}

static eo_status report_curves(eo_report *rep, const eo_train_options *o, const eo_train_result *r, eo_error *err)
{
    char txt[2048];
    curves_text(&o->classifier, r, txt, sizeof txt);
    eo_report_paragraph(rep, txt);
    size_t n = r->history_lost ? 0 : r->n_history;
    if (!n)
        return EO_STATUS_OK;
    double *d = NULL;
    eo_status st = eo_train_history_columns(r, &d, err);
    if (!st)
        st = eo_report_add_training_x(rep, "Training curves", strcmp(o->classifier.model, "gbm") ? "epoch"
                                      : "boosting round", "accuracy (%)", d, n, d + n, d + 2 * n, d + 3 * n,
                                      d + 4 * n, err);
    free(d);
    return st;
}

/* the validation part (when scored) and the test part (with --test) */
static eo_status report_scores(eo_report *rep, const eo_train_result *r, eo_error *err)
{
    char txt[1400], recs[1024];
    eo_status st = EO_STATUS_OK;
    if (r->val_scored == 1) {
        names_of(r, EO_PART_VAL, recs, sizeof recs);
        snprintf(txt, sizeof txt, "Validation split: DS1 records %s, reference beat positions, by AAMI class "
                 "(EC57, 150 ms window)", recs);
        st = add_ec57(rep, txt, &r->val_ec57, err);
    } else if (r->val_scored == 2) {
        st = add_matrix(rep, "Validation split (INTRA-PATIENT, random 15% of the beats)", r->labels, r->val_cm, err);
    }
    int ds2 = r->split == EO_TRAIN_DS1DS2;
    if (!st && r->test_scored == 1)
        st = add_matrix(rep, "Test split (INTRA-PATIENT, random 15% of the beats)", r->labels, r->test_cm, err);
    if (!st && r->test_scored == 2)
        st = add_ec57(rep, ds2 ? "Test split: DS2 (22 records), reference beat positions"
                               : "Test split: the test fold, reference beat positions", &r->test_ec57, err);
    if (!st && r->test_scored == 2 && r->test_detector)
        st = add_ec57(rep, ds2 ? "Test split: DS2 (22 records), beats from ecgopt's QRS detector"
                               : "Test split: the test fold, beats from ecgopt's QRS detector",
                      &r->test_ec57_detector, err);
    return st;
}

eo_status eo_train_report(const eo_train_options *o, const eo_train_result *r, eo_report **out, eo_error *err)
{
    char title[256];
    *out = NULL;
    if (!r->model || !r->all || !r->parts_evaluated)
        return eo_error_set(err, EO_STATUS_USAGE, "train report: a run with evaluate_parts is needed");
    snprintf(title, sizeof title, "ecgopt train: model %s, %s labels, split %s", o->classifier.model,
             eo_label_set_name(r->labels), r->split == EO_TRAIN_INTRA ? "intra-patient" : eo_train_split_name(r->split));
    eo_report *rep = eo_report_create(title);
    if (!rep)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "train report: out of memory");
    report_split(rep, r);
    report_fit(rep, r);
    eo_status st = report_curves(rep, o, r, err);
    if (!st)
        st = report_scores(rep, r, err);
    if (st) {
        eo_report_destroy(rep);
        return st;
    }
    *out = rep;
    return EO_STATUS_OK;
}
