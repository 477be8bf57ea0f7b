/* ecgopt — one training run of a beat classifier, as `ecgopt train --task
 * classify` does it: the records chosen (MIT-BIH DS1/all 48, or --train
 * DB[:SUBSET],...), the beats extracted, split into training / validation /
 * test parts (de Chazal et al. 2004 DS1/DS2, intra-patient 70/15/15 or
 * patient-wise k-fold), the model trained with its history, the test part
 * scored the EC57 way, and the result as JSON and as an HTML report.
 *
 * OWNER: ml module (issue 17: the training run moved out of the CLI). */
#ifndef ECGOPT_TRAIN_H
#define ECGOPT_TRAIN_H

#include "ecgopt/export.h"

#include <stddef.h>

#include "ecgopt/beats.h"
#include "ecgopt/ec57.h"
#include "ecgopt/json.h"
#include "ecgopt/ml.h"
#include "ecgopt/report.h"
#include "ecgopt/status.h"
#include "ecgopt/strbuf.h"
#include "ecgopt/util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum eo_train_split {
    EO_TRAIN_DS1DS2 = 0, /* train DS1 less validation records, test DS2 (inter-patient) */
    EO_TRAIN_INTRA = 1,  /* random stratified 70/15/15 of the 44 records' beats (INTRA-PATIENT) */
    EO_TRAIN_KFOLD = 2   /* patient-wise folds: test fold `fold` of `folds` */
} eo_train_split;

/* "ds1ds2", "intra", "kfold" and back; an unknown name is EO_STATUS_USAGE. */
EO_API const char *eo_train_split_name(eo_train_split s);
EO_API eo_status eo_train_split_parse(const char *name, eo_train_split *out, eo_error *err);

/* A one-line note for the user (no newline): records left out, a class
 * without training beats, the split's sizes. */
typedef void (*eo_train_note_fn)(void *user, const char *msg);

/* ---- training records: DB[:SUBSET][,DB[:SUBSET]...] (train_records.c) ----
 * DB is mitdb, svdb or a folder of WFDB records (its RECORDS file, else
 * every *.hea), looked up in data_dir and the default data folders
 * (eo_data_dirs); SUBSET all (default), ds1, ds2 (MIT-BIH only) or records
 * joined by '+'.  MIT-BIH's paced records (102 104 107 217) are left out
 * (a note each).  names[0..*n_out) get "folder/record"; *has_mitdb_ds2 is
 * set when a MIT-BIH DS2 record is among them.  Errors: unknown database
 * (EO_STATUS_NOT_FOUND), ds1/ds2 of another database or a record named
 * twice (EO_STATUS_USAGE), more than max records (EO_STATUS_OUT_OF_RANGE). */
#define EO_TRAIN_REC_LEN 4200
EO_API eo_status eo_train_records(const char *data_dir, const char *spec, char (*names)[EO_TRAIN_REC_LEN],
                                  int max, int *n_out, int *has_mitdb_ds2, eo_train_note_fn note, void *user,
                                  eo_error *err);

typedef struct eo_train_options {
    eo_classifier_options classifier; /* the model and its training (seed, threads as given) */
    eo_beats_options beats;           /* the beats; with `train` an empty leads[0] = lead.h's fallback order */
    const char *data_dir;             /* --data (NULL: the default folders) */
    eo_train_split split;             /* default EO_TRAIN_DS1DS2 */
    int val_records;                  /* ds1ds2: DS1 records drawn for validation (4) */
    const char *val_set;              /* ds1ds2: these records instead, "118,119" (NULL) */
    int folds, fold;                  /* kfold: 5, 0 */
    const char *train;                /* ds1ds2: training databases instead of DS1 (NULL), as
                                         eo_train_records; all at 360 Hz (resampled) */
    const char *augment_noise;        /* record whose signal 0 (mV) goes on the augmented copies (NULL) */
    int test;                         /* score the test part (intra: accuracy; else EC57 over its records) */
    int detector;                     /* with test: also on beats of ecgopt's QRS detector */
    int evaluate_parts;               /* final model's loss/accuracy per part and the validation
                                         scores (what the report shows); 0 */
    int history;                      /* keep the per-epoch / per-round history (1) */
    eo_progress_fn progress;          /* may be NULL */
    void *progress_user;
    eo_train_note_fn note;            /* may be NULL */
    void *note_user;
} eo_train_options;

EO_API void eo_train_defaults(eo_train_options *o);
/* The checks that need no data (eo_train_run makes them first): an unknown
 * model, --train or --val-set outside ds1ds2, the fold out of range,
 * augment_noise without copies to put it on.  EO_STATUS_USAGE. */
EO_API eo_status eo_train_check(const eo_train_options *o, eo_error *err);

#define EO_TRAIN_CM (EO_LABELS_MAX_CLASSES * EO_LABELS_MAX_CLASSES)

typedef struct eo_train_result {
    eo_classifier *model;             /* owned */
    eo_train_split split;
    eo_label_set labels;
    eo_beats *all;                    /* every beat loaded (owned) */
    int *part;                        /* all->n entries, EO_PART_* */
    eo_beats *parts[3];               /* training, validation, test beats (owned) */
    char **records;                   /* the records loaded, all->record indexes them */
    int n_records;
    char **test_records;              /* ds1ds2: DS2; kfold: the test fold's records */
    int n_test_records;
    eo_classifier_epoch *history;     /* n_history points (history asked for) */
    size_t n_history;
    int history_lost;                 /* out of memory while recording: no history */
    int parts_evaluated;              /* evaluate_parts: loss / accuracy below are set */
    double loss[3], accuracy[3];      /* mean cross-entropy (nats/beat), accuracy (%); NaN empty part */
    int val_scored;                   /* 0; 1: val_ec57 (ds1ds2, its records); 2: val_cm (intra) */
    eo_ec57_result val_ec57;
    long val_cm[EO_TRAIN_CM];         /* k x k, rows reference, columns predicted */
    int test_scored;                  /* 0; 1: test_cm / test_accuracy (intra); 2: test_ec57 */
    long test_cm[EO_TRAIN_CM];
    double test_accuracy;             /* % */
    eo_ec57_result test_ec57;         /* reference beat positions */
    int test_detector;                /* 1: test_ec57_detector is set */
    eo_ec57_result test_ec57_detector;
} eo_train_result;

/* Load, split, train, score (o->test, o->evaluate_parts).  *r is filled
 * (free with eo_train_result_free, also after a failure).  Errors: the
 * options (EO_STATUS_USAGE: an empty training part, --train with DS2 and
 * test, val_set outside ds1ds2 ...), the records, the training. */
EO_API eo_status eo_train_run(const eo_train_options *o, eo_train_result *r, eo_error *err);
EO_API void eo_train_result_free(eo_train_result *r);

/* The result's fields into an open JSON object: model, labels, split,
 * train_beats, val_beats, val_records (ds1ds2) / test_records (kfold),
 * train_seconds, history, then intra_patient_test or test_reference_beats
 * and test_detector (eo_ec57_result_json), then validation (matrix). */
EO_API void eo_train_result_json(eo_json *j, const eo_train_options *o, const eo_train_result *r);

/* The history as five columns of n_history values: epoch, training loss,
 * validation loss, training accuracy (%), validation accuracy (%), in one
 * malloc'd block (*cols; free it). */
EO_API eo_status eo_train_history_columns(const eo_train_result *r, double **cols, eo_error *err);

/* Whether record `rec` (index into all->record_names) has beats in `which`
 * (records are never split between parts in ds1ds2 and kfold). */
EO_API int eo_train_record_in_part(const eo_train_result *r, int rec, int which);

/* ---- cross-validation inside the training records (train_cv.c) --------
 * `ecgopt train --task classify --cv K`: the protocol "record-grouped
 * K-fold CV inside the training records".  The training records of o (DS1,
 * or o->train) are dealt to K folds whole (eo_split_kfold with
 * o->classifier.seed: no record, so no patient, in two folds); for each fold
 * a model is trained with o->classifier on the other folds' beats (no
 * validation part) and labels the fold's beats (eo_classifier_cv), decided
 * with o->classifier.class_scale.  Per fold and pooled: the EC57 gross
 * figures at the reference beat positions (VEB/SVEB Se and +P, accuracy).
 * DS2 and the other test sets are never read unless o->train names them.
 * AAMI labels only (the EC57 classes). */
#define EO_TRAIN_CV_PROTOCOL "record-grouped K-fold CV inside the training records"

typedef struct eo_train_cv_result {
    int k;                   /* folds */
    char **records;          /* the training records (owned) */
    int n_records;
    int *record_fold;        /* n_records entries: the fold holding each record out; -1: no beats */
    size_t *fold_beats;      /* k entries: beats held out in each fold */
    eo_ec57_result *fold;    /* k entries: each fold's held-out beats, reference rows x predicted columns */
    eo_ec57_result pooled;   /* the folds' matrices summed */
    size_t beats;            /* beats used (labelled) */
    double seconds;
} eo_train_cv_result;

/* Run the CV (k in 2..number of records; USAGE for other labels than aami
 * or a split other than ds1ds2; o->test, o->history, o->evaluate_parts are
 * for the final model and ignored).  *r is filled (free with
 * eo_train_cv_result_free, also after a failure). */
EO_API eo_status eo_train_cv(const eo_train_options *o, int k, eo_train_cv_result *r, eo_error *err);
EO_API void eo_train_cv_result_free(eo_train_cv_result *r);
/* "cv": {protocol, k, model, seed, beats, seconds, folds: [{fold, records,
 * beats, matrix (5x5 N S V F Q), vtp vfn vfp stp sfn sfp, matched, correct,
 * veb_se veb_ppv sveb_se sveb_ppv accuracy}], pooled: {the same without
 * fold and records}} as one member of an open object. */
EO_API void eo_train_cv_json(eo_json *j, const eo_train_options *o, const eo_train_cv_result *r);
/* The same as text: the protocol line, one line per fold (its records and
 * figures), the pooled line. */
EO_API void eo_train_cv_text(eo_strbuf *b, const eo_train_options *o, const eo_train_cv_result *r);

/* The HTML report of a run (train_report.c): the split with its beats per
 * class and part, loss and accuracy of the final model on each part (needs
 * evaluate_parts), training curves, the validation and test comparison
 * matrices with their EC57 tables.  *out: eo_report_destroy it. */
EO_API eo_status eo_train_report(const eo_train_options *o, const eo_train_result *r, eo_report **out,
                                 eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
