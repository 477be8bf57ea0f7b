/* ecgopt — beat classifiers: one interface over every model.
 *
 * Models (selected by name):
 *   gbm      gradient-boosted trees through XGBoost's C API on RR + morphology
 *            features (eo_ml_features)
 *   mlp      one hidden layer of 10 ReLU units, Adam, L2 (the GWO paper's baseline)
 *   cnn      1-D CNN (the reference CNN of the peers: conv 32/7, 64/5, 64/3 + pools, dense 128)
 *   lstm     LSTM over the beat window
 *   cnnlstm  CNN front end + LSTM, Kaiming initialisation
 *   rescnn   residual 1-D CNN with dropout (Fki et al. 2023, the BO paper)
 *   cnn9     nine-layer CNN: three conv-pool pairs, two dense (He et al. 2023, OLCPA)
 * The neural models are built and trained by the nn module (nn.h); a model
 * whose engine is not available returns EO_STATUS_UNSUPPORTED.
 *
 * A trained classifier remembers how its beats were made (label set,
 * sampling rate, window, leads, band-pass): eo_classifier_beats_options()
 * gives the extraction options to use on new records and
 * eo_classifier_check() refuses a dataset made differently.
 *
 * OWNER: ml module (issue 6). */
#ifndef ECGOPT_ML_H
#define ECGOPT_ML_H

#include "ecgopt/export.h"

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/beats.h"
#include "ecgopt/ec57.h"
#include "ecgopt/status.h"
#include "ecgopt/util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- features (features.c) --------------------------------------------- */

/* Feature-set flags (the `waveform` argument below; 0 and 1 keep their
 * original meaning). */
#define EO_ML_FEAT_WAVEFORM 1 /* append the down-sampled first lead */
#define EO_ML_FEAT_ADAPTIVE 2 /* append the patient-adaptive features: */
#define EO_ML_N_ADAPTIVE_RR 7   /*   seven RR features */
#define EO_ML_N_ADAPTIVE_LEAD 5 /*   and five morphology features per lead */
#define EO_ML_FEAT_RHYTHM 4   /* append the long-horizon rhythm features (eo_ml_rhythm_features) */
#define EO_ML_N_RHYTHM 6
#define EO_ML_RHYTHM_HALF_SPAN 150 /* beats each side: about five minutes at 60/min */

/* Number of features per beat of eo_ml_features for a dataset of this shape. */
EO_API int eo_ml_n_features(const eo_beats *b, int waveform);
/* Hand-made features of every beat, row-major n x eo_ml_n_features(b) into a
 * malloc'd *X: five dimensionless RR ratios (pre/local, post/local,
 * pre/record, post/pre, local/record), then thirteen morphology summaries of the
 * first lead relative to the beat's own record's median beat (correlation
 * with it, distance from it, QRS max/min/curve length and peak in units of
 * its peak, correlation over the P, QRS and T segments, QRS width in s and
 * relative to the template's, QRS energy ratio, best QRS correlation over
 * +-20 ms shifts), so that they carry across patients. */
/* waveform is a set of EO_ML_FEAT_* flags.  EO_ML_FEAT_ADAPTIVE appends,
 * after the per-lead blocks, label-free features measured against the
 * beat's own record (src/ml/adaptive.c; docs/classification.md): pre-RR and
 * post-RR over the running median pre-RR of the 17 beats centred on the beat,
 * pre-RR over the previous beat's, pre-RR over the record's median RR,
 * prematurity (pre/running median - 1) over its median absolute value in the
 * record, that median over the 17 beats around the beat (local
 * irregularity) and the prematurity over it; then for each lead: L1 distance and 1 - correlation to the
 * record's median beat, each over its record median; P-window (-230..-70 ms)
 * energy and peak over the median beat's, and the best P-window correlation
 * with it over +-40 ms shifts.
 * EO_ML_FEAT_WAVEFORM then appends the first lead's window (mV, beat median
 * removed) every 20 ms: absolute morphology, which helps when the test
 * patients are the training patients (intra-patient) and hurts across
 * patients. */
EO_API eo_status eo_ml_features(const eo_beats *b, int waveform, float **X, int *n_features,
                         eo_error *err);

/* Long-horizon rhythm features of one record's n beats in time order from
 * their pre-RR and post-RR intervals (any unit), EO_ML_N_RHYTHM per beat into
 * out (n x 6, row-major), over the beats i-half_span .. i+half_span (clipped
 * to the record): pre/median, post/median, pre/p80, post/p80, median/p80 and
 * the fraction of the span's other beats with a shorter pre-RR, where median
 * and p80 are the span's median and 80th percentile (the element of rank
 * round(0.8 (q-1)) of the q sorted pre-RRs) of pre-RR.  Label-free: the 80th
 * percentile is the sinus rhythm even where premature beats are the local
 * majority (src/ml/rhythm.c).  EO_ML_FEAT_RHYTHM appends these (with
 * half_span EO_ML_RHYTHM_HALF_SPAN, pre/post-RR in s) after the adaptive
 * features. */
EO_API eo_status eo_ml_rhythm_features(const float *pre, const float *post, size_t n,
                                       int half_span, float *out, eo_error *err);

/* ---- classifier -------------------------------------------------------- */

typedef struct eo_classifier eo_classifier;

/* One point of the training history, given to eo_classifier_options.on_epoch
 * after every network epoch / boosting round.  A value that was not measured
 * is NaN (val_* without validation data; train_acc for networks).
 *   networks: the figures eo_nn_train reports (nn.h eo_nn_epoch_stats):
 *     train_loss = the epoch's mean training loss over its mini-batches in
 *     training mode (dropout on, the weights changing along the epoch),
 *     val_loss / val_acc = the model after the epoch on the validation beats
 *     (inference mode); both losses are the training loss function (class
 *     weighted, focal with focal_gamma: sum_i w_i l_i / sum_i w_i);
 *     val_acc = plain argmax accuracy.
 *   gbm: XGBoost's own evaluation after the round (XGBoosterEvalOneIter,
 *     metrics mlogloss and merror) on the rows boosted on (after
 *     oversampling) and on the validation beats, both UNWEIGHTED: loss =
 *     mean cross-entropy over beats, acc = 1 - merror (argmax, no
 *     class_scale).  The boosted model is the same with or without the hook. */
typedef struct eo_classifier_epoch {
    int epoch;              /* 1-based epoch (networks) or boosting round (gbm) */
    int total;              /* epochs / rounds asked for (early stopping may end sooner) */
    double train_loss;      /* nats per beat */
    double val_loss;        /* nats per beat, NaN without validation */
    double train_acc;       /* fraction 0..1, NaN when not measured */
    double val_acc;         /* fraction 0..1, NaN without validation */
} eo_classifier_epoch;
typedef void (*eo_classifier_epoch_fn)(void *user, const eo_classifier_epoch *e);

typedef struct eo_classifier_options {
    char model[16];           /* "gbm" (default), "mlp", "cnn", "lstm", "cnnlstm", "rescnn", "cnn9" */
    const char *spec;         /* NN spec overriding the model's built-in one (NULL) */
    int epochs;               /* NN epochs (default 10) */
    int batch;                /* NN batch (default 64) */
    double lr;                /* Adam learning rate (default 1e-3) */
    double l2;                /* L2 weight decay (default 1e-4) */
    double class_weight_power;/* weights (n/(k n_c))^p; 0 off (default 1 for gbm) */
    double oversample;        /* 0 off, else raise minority classes to this fraction of the largest */
    int augment;              /* 1: the oversampled copies get Gaussian noise (0.02 mV), amplitude
                                 scaling (0.9-1.1) and time stretch (0.95-1.05) (beats.h) */
    const float *augment_noise; /* with augment: NSTDB-style noise (mV, the record's rate) also added
                                 to each copy from a random offset (borrowed, NULL off) */
    size_t augment_noise_len;
    double augment_snr_db;    /* beat power / added noise power, dB (default 12) */
    int augment_copies;       /* > 0: also K augmented copies of every training beat, all
                                 classes (noise robustness; augmented as above); default 0 */
    double focal_gamma;       /* > 0: focal loss (NN models) */
    int gbm_rounds;           /* boosting rounds (default 150) */
    int gbm_depth;            /* max tree depth (default 4) */
    double gbm_eta;           /* learning rate (default 0.1) */
    double gbm_subsample;     /* row subsample (default 0.8) */
    int gbm_waveform;         /* 1: add the down-sampled beat to the features (intra-patient) */
    int gbm_adaptive;         /* 1: add the patient-adaptive features (EO_ML_FEAT_ADAPTIVE); default 0 */
    int gbm_rhythm;           /* 1: add the long-horizon rhythm features (EO_ML_FEAT_RHYTHM); default 0 */
    double class_scale[EO_LABELS_MAX_CLASSES]; /* decision: argmax_j prob_j * class_scale[j]
                                 (prior calibration, chosen by DS1 CV; default 1 each;
                                 values <= 0 are taken as 1) */
    int threads;              /* gbm: XGBoost threads (<= 0: one); networks: eo_nn_set_threads (<= 0: one) */
    uint64_t seed;            /* default 1 */
    eo_classifier_epoch_fn on_epoch; /* optional per-epoch / per-round hook (NULL) */
    void *on_epoch_user;      /* passed to on_epoch (borrowed) */
} eo_classifier_options;

EO_API void eo_classifier_defaults(eo_classifier_options *o);
/* 1 if name is one of the seven models. */
EO_API int eo_classifier_model_known(const char *name);

/* Train on `train` (labels must be >= 0); `val` (may be NULL) is used for
 * early stopping / model selection only (networks) and, with o->on_epoch,
 * for the validation figures of the history (gbm: beats with a label < 0
 * are left out of them).  `how` is the extraction options the
 * datasets were made with (stored in the model).  progress may be NULL. */
EO_API eo_status eo_classifier_train(const eo_classifier_options *o, const eo_beats_options *how,
                              const eo_beats *train, const eo_beats *val, eo_progress_fn progress,
                              void *user, eo_classifier **out, eo_error *err);
EO_API void eo_classifier_destroy(eo_classifier *c);

/* pred[i] = argmax_j prob_j * class_scale[j] of beat i (the scales the
 * model was trained with, stored in its file); prob (may be NULL) gets the
 * unscaled class probabilities, n x n_classes. */
EO_API eo_status eo_classifier_predict(const eo_classifier *c, const eo_beats *b, int *pred, float *prob,
                                eo_error *err);

/* The dataset must have the model's label set, sampling rate, window and
 * leads; the message says which differs ("model is for 360 Hz, record is 250 Hz"). */
EO_API eo_status eo_classifier_check(const eo_classifier *c, const eo_beats *b, eo_error *err);

EO_API const char *eo_classifier_model(const eo_classifier *c);
EO_API eo_label_set eo_classifier_labels(const eo_classifier *c);
EO_API double eo_classifier_fs(const eo_classifier *c);
/* The extraction options the model was trained with. */
EO_API void eo_classifier_beats_options(const eo_classifier *c, eo_beats_options *o);
/* Training seconds as measured by eo_classifier_train (0 for a loaded model). */
EO_API double eo_classifier_train_seconds(const eo_classifier *c);
/* Networks: epochs eo_classifier_train ran (early stopping may end it before
 * `epochs`) and, with validation data, the 1-based epoch whose weights were
 * kept (*best_epoch, may be NULL).  0 for gbm and for a loaded model. */
EO_API int eo_classifier_epochs_run(const eo_classifier *c, int *best_epoch);

/* Model file: a text header (model, label set, fs, window, leads,
 * band-pass, payload size, CRC-32) then the payload (XGBoost's own
 * serialisation for gbm, the nn model file for neural models).  Atomic write. */
EO_API eo_status eo_classifier_save(const eo_classifier *c, const char *path, eo_error *err);
EO_API eo_status eo_classifier_load(const char *path, eo_classifier **out, eo_error *err);
/* The same from memory; `name` labels error messages. */
EO_API eo_status eo_classifier_load_mem(const unsigned char *data, size_t n, const char *name,
                                 eo_classifier **out, eo_error *err);

/* Classify every beat of the record at `base` (path without extension):
 * `positions` is the beat list (detector output); NULL takes the beats of
 * `<base>.atr`.  The record is prepared with the model's own extraction
 * options.  *out gets one beat annotation per position, in time order, with
 * code eo_label_class_code(predicted class); a beat whose window crosses the
 * record edge cannot be classified and is written as Q (unclassifiable).
 * A record at another sampling rate than the model's is resampled to it
 * (eo_resample); positions in and out are on the record's own grid.
 * Errors: the record lacks the model's lead, no beats. */
EO_API eo_status eo_classify_record(const eo_classifier *c, const char *base,
                             const eo_annotation_set *positions, eo_annotation_set **out,
                             eo_error *err);
/* The same on another lead than the model's (`lead`: a name or index as
 * eo_lead_find takes it; NULL or "" = the model's lead). */
EO_API eo_status eo_classify_record_lead(const eo_classifier *c, const char *base,
                                  const eo_annotation_set *positions, const char *lead,
                                  eo_annotation_set **out, eo_error *err);

/* ---- FFI entry points (include/ecgopt/arrays.h gathers them): plain
 * arrays only, no eo_beats or eo_beats_options to lay out from another
 * language (python/ecgopt over ctypes) ---- */

/* Classify the beats at positions[n] (samples on the record's own grid, in
 * time order) of the record at `base` exactly as eo_classify_record_lead()
 * does (the model's extraction options, the record resampled to the model's
 * rate if needed; `lead` NULL or "" = the model's lead).  Per position i:
 * cls[i] is the predicted class index (argmax of prob x the model's class
 * scales) and prob[i*k .. i*k+k-1] the class probabilities, k =
 * eo_label_set_n_classes(eo_classifier_labels(c)); a beat that cannot be
 * classified (its window crosses the record edge) or repeats the previous
 * position gets cls[i] = -1 and NaN probabilities (prob may be NULL).
 * Positions out of time order are refused (EO_STATUS_USAGE). */
EO_API eo_status eo_classify_positions(const eo_classifier *c, const char *base,
                                       const long *positions, size_t n, const char *lead,
                                       int *cls, float *prob, eo_error *err);

/* Lead i (0 or 1) the model reads, as stored in the model ("MLII", an
 * index "k"/"#k", or "" for none / the default order of lead.h), copied
 * into buf (size bytes, truncated); returns 1 if the model has lead i with
 * a non-empty name, else 0. */
EO_API int eo_classifier_lead_name(const eo_classifier *c, int i, char *buf, size_t size);

/* Classify each record (looked up in data_dir) and score it against its
 * reference annotations the EC57 way (ec57.h: 150 ms match window, no
 * learning period): with use_detector the beats come from ecgopt's QRS
 * detector (detect.h) on the model's first lead, else from the .atr beat
 * positions.  gross (required) gets the summed matrix; per_record (may be
 * NULL) n_records matrices. */
EO_API eo_status eo_classifier_evaluate(const eo_classifier *c, const char *data_dir,
                                 const char *const *records, int n_records, int use_detector,
                                 eo_progress_fn progress, void *user, eo_ec57_result *gross,
                                 eo_ec57_result *per_record, eo_error *err);

/* ---- model selection by patient-wise cross-validation (cv.c) ----------- */

/* K-fold cross-validation with whole records per fold: fold[i] (b->n
 * entries) gets beat i's fold from eo_split_kfold(b, k, rng) (every beat of a
 * record in one fold); for each fold a model is trained with `o` on the
 * other folds' beats (labels must be >= 0) and prob[i * n_classes ..] gets
 * the class probabilities of held-out beat i (unscaled, as
 * eo_classifier_predict).  Selection on these "out-of-fold" figures never
 * reads a test set. */
EO_API eo_status eo_classifier_cv(const eo_classifier_options *o, const eo_beats_options *how,
                                  const eo_beats *b, int k, eo_rng *rng, int *fold, float *prob,
                                  eo_error *err);
/* The EC57 matrix (reference rows, test columns; AAMI N S V F Q = 0..4) of
 * argmax_j prob_j scale_j over n beats of 5 classes (y < 0 skipped). */
EO_API void eo_class_scale_matrix(const float *prob, const int *y, size_t n, const double *scale,
                                  eo_ec57_result *g);
/* Decision scales for AAMI probabilities (n x 5) chosen on labelled beats
 * (out-of-fold ones): over the grid 2^(i/4), i = -steps..steps, for S, V
 * and F (N and Q stay 1), the scales whose margins over `bars` (VEB Se, VEB
 * +P, SVEB Se, SVEB +P, accuracy in %) are best in leximin order (the worst
 * margin, then the next worst, ...; the first such grid point in S, V, F
 * order).  margins (may be NULL) gets the chosen point's five margins sorted
 * ascending. */
EO_API eo_status eo_class_scale_select(const float *prob, const int *y, size_t n,
                                       const double bars[5], int steps, double scale[5],
                                       double margins[5], eo_error *err);
/* The same with its own number of steps for S, V and F (steps[0..2]). */
EO_API eo_status eo_class_scale_select_grid(const float *prob, const int *y, size_t n,
                                            const double bars[5], const int steps[3], double scale[5],
                                            double margins[5], eo_error *err);

/* ---- evaluation helpers ------------------------------------------------ */

/* Confusion matrix cm[true * k + pred] over beats with y >= 0 and pred >= 0. */
EO_API void eo_confusion(const int *y, const int *pred, size_t n, int k, long *cm);

/* Fit of predictions to labels over the beats with 0 <= y < k: mean
 * cross-entropy -log p(true class) in nats per beat (p floored at 1e-12)
 * from prob[i * k + class], and accuracy in % of pred == y (NaN both when
 * no beat counts); cm (may be NULL) as eo_confusion. */
EO_API void eo_fit_stats(const int *y, const int *pred, const float *prob, size_t n, int k,
                  double *loss, double *accuracy, long *cm);

#ifdef __cplusplus
}
#endif
#endif
