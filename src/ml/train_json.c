/* A training run's result as JSON fields (train.h eo_train_result_json). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/train.h"

static void records_json(eo_json *j, const char *key, const eo_train_result *r, int which)
{
    eo_json_key(j, key);
    eo_json_arr_begin(j);
    for (int k = 0; k < r->all->n_records && k < r->n_records; k++)
        if (eo_train_record_in_part(r, k, which))
            eo_json_str(j, r->records[k]);
    eo_json_arr_end(j);
}

/* the curves: epoch, losses, accuracies (%) as parallel arrays */
static void history_json(eo_json *j, const eo_train_result *r, int is_nn)
{
    double *d = NULL;
    eo_error e;
    if (r->history_lost || eo_train_history_columns(r, &d, &e))
        return;
    static const char *const keys[5] = {"epoch", "train_loss", "val_loss", "train_accuracy", "val_accuracy"};
    size_t n = r->n_history;
    eo_json_key(j, "history");
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "unit", is_nn ? "epoch" : "boosting round");
    eo_json_kv_str(j, "loss", is_nn ? "training loss function (class-weighted), nats/beat"
                                    : "unweighted mean cross-entropy, nats/beat");
    eo_json_kv_str(j, "accuracy", "%, argmax (no class scale)");
    if (is_nn) {
        int best = 0;
        eo_classifier_epochs_run(r->model, &best);
        eo_json_kv_int(j, "kept_epoch", best);
    }
    for (int q = 0; q < 5; q++) {
        eo_json_key(j, keys[q]);
        eo_json_arr_begin(j);
        for (size_t i = 0; i < n; i++) {
            if (q == 0)
                eo_json_int(j, r->history[i].epoch);
            else
                eo_json_num(j, d[(size_t)q * n + i]);
        }
        eo_json_arr_end(j);
    }
    eo_json_obj_end(j);
    free(d);
}

/* the validation matrix the report draws: EC57 7 x 7 or the label set's k x k */
static void validation_json(eo_json *j, const eo_train_result *r)
{
    int n = r->val_scored == 1 ? EO_EC57_NCLASS : eo_label_set_n_classes(r->labels);
    eo_json_key(j, "validation");
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "rows_ref_cols_test", r->val_scored == 1 ? "N S V F Q O X" : "label set classes");
    eo_json_key(j, "matrix");
    eo_json_arr_begin(j);
    for (int row = 0; row < n; row++) {
        eo_json_arr_begin(j);
        for (int col = 0; col < n; col++)
            eo_json_int(j, r->val_scored == 1 ? r->val_ec57.m[row][col] : r->val_cm[row * n + col]);
        eo_json_arr_end(j);
    }
    eo_json_arr_end(j);
    eo_json_obj_end(j);
}

void eo_train_result_json(eo_json *j, const eo_train_options *o, const eo_train_result *r)
{
    int is_nn = strcmp(o->classifier.model, "gbm") != 0;
    eo_json_kv_str(j, "model", o->classifier.model);
    eo_json_kv_str(j, "labels", eo_label_set_name(r->labels));
    eo_json_kv_str(j, "split", r->split == EO_TRAIN_INTRA ? "intra-patient" : eo_train_split_name(r->split));
    eo_json_kv_int(j, "train_beats", r->parts[0] ? (long long)r->parts[0]->n : 0);
    eo_json_kv_int(j, "val_beats", r->parts[1] ? (long long)r->parts[1]->n : 0);
    if (r->all && r->split == EO_TRAIN_DS1DS2)
        records_json(j, "val_records", r, EO_PART_VAL);
    else if (r->all && r->split == EO_TRAIN_KFOLD)
        records_json(j, "test_records", r, EO_PART_TEST);
    eo_json_kv_num(j, "train_seconds", r->model ? eo_classifier_train_seconds(r->model) : NAN);
    if (o->history && r->model)
        history_json(j, r, is_nn);
    if (r->test_scored == 1) {
        eo_json_key(j, "intra_patient_test");
        eo_json_obj_begin(j);
        eo_json_kv_int(j, "beats", (long long)r->parts[2]->n);
        eo_json_kv_num(j, "accuracy", r->test_accuracy);
        eo_json_obj_end(j);
    } else if (r->test_scored == 2) {
        eo_json_key(j, "test_reference_beats");
        eo_ec57_result_json(j, &r->test_ec57);
        if (r->test_detector) {
            eo_json_key(j, "test_detector");
            eo_ec57_result_json(j, &r->test_ec57_detector);
        }
    }
    if (r->val_scored)
        validation_json(j, r);
}
