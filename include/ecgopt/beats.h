/* ecgopt — beat datasets for arrhythmia classification.
 *
 * A beat dataset is N beats, each a window of `len` samples around its R
 * peak on `n_leads` leads (float, mV after the pre-processing chain), with a
 * class label, the record it came from, its R position and its RR features.
 * Beats come from reference annotations (`.atr`) or from any other beat list
 * (e.g. ecgopt's QRS detector output).
 *
 * Label sets (AAMI EC57 / ANSI/AAMI EC57:1998 beat classes, de Chazal 2004):
 *   aami  N S V F Q   (N: N L R e j; S: A a J S; V: V E; F: F; Q: / f Q)
 *   nlrav N L R A V   (the five beat types of the BO paper, Fki et al. 2023)
 *   nsvq  N S V Q     (the four classes of the OLCPA paper, He et al. 2023; F is dropped)
 *
 * OWNER: data module (issue 6). */
#ifndef ECGOPT_BEATS_H
#define ECGOPT_BEATS_H

#include "ecgopt/export.h"

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/rng.h"
#include "ecgopt/status.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- label sets -------------------------------------------------------- */

typedef enum eo_label_set {
    EO_LABELS_AAMI = 0,  /* N S V F Q */
    EO_LABELS_NLRAV = 1, /* N L R A V */
    EO_LABELS_NSVQ = 2   /* N S V Q */
} eo_label_set;

#define EO_LABELS_MAX_CLASSES 5

/* "aami", "nlrav", "nsvq" -> set; EO_STATUS_USAGE on anything else. */
EO_API eo_status eo_label_set_parse(const char *name, eo_label_set *out, eo_error *err);
EO_API const char *eo_label_set_name(eo_label_set s);
EO_API int eo_label_set_n_classes(eo_label_set s);
/* Class index of a WFDB beat code in the set, or -1 if the beat is not in it
 * (not a beat, or a type the set leaves out). */
EO_API int eo_label_of_code(eo_label_set s, int code);
/* One-letter class name ("N", "S", ...); "?" when cls is out of range. */
EO_API const char *eo_label_class_name(eo_label_set s, int cls);
/* WFDB annotation code written for a predicted class (N->1 'N', S->8 'A',
 * V->5 'V', F->6 'F', Q->13 'Q', L->2, R->3, A->8), so that EC57 tools map
 * it back to the same class. */
EO_API int eo_label_class_code(eo_label_set s, int cls);

/* ---- RR features ------------------------------------------------------- */

/* Per-beat RR features (seconds and ratios), following de Chazal, O'Dwyer &
 * Reilly 2004 (IEEE TBME 51(7), section II-C: pre-RR, post-RR, average RR,
 * local average RR) plus the normalised ratios that carry SVEB detection
 * across patients (premature beats: pre/local < 1, post/pre > 1). */
enum {
    EO_RR_PRE = 0,      /* s, R[i] - R[i-1] (first beat: its post-RR) */
    EO_RR_POST,         /* s, R[i+1] - R[i] (last beat: its pre-RR) */
    EO_RR_LOCAL,        /* s, mean pre-RR of the beats in [i - local_beats, i] */
    EO_RR_RECORD,       /* s, mean RR of the whole record (beat list) */
    EO_RR_PRE_LOCAL,    /* pre / local */
    EO_RR_POST_LOCAL,   /* post / local */
    EO_RR_PRE_RECORD,   /* pre / record */
    EO_RR_POST_PRE,     /* post / pre */
    EO_RR_LOCAL_RECORD, /* local / record */
    EO_RR_N_FEATURES
};

/* RR features of n beats at samples[] (strictly increasing, n >= 2) sampled
 * at fs_hz.  out is n * EO_RR_N_FEATURES floats, row-major.  local_beats >= 1
 * (de Chazal: 10 beats; we use the same). */
EO_API eo_status eo_rr_features(const long *samples, size_t n, double fs_hz, int local_beats, float *out,
                         eo_error *err);

/* ---- extraction options -------------------------------------------------- */

typedef enum eo_beat_norm {
    EO_NORM_NONE = 0,   /* mV as filtered */
    EO_NORM_BEAT = 1,   /* z-score per beat (mean 0, sd 1 over the window) */
    EO_NORM_RECORD = 2  /* divide by the record's median R amplitude (beats stay comparable within a record) */
} eo_beat_norm;

typedef struct eo_beats_options {
    double before_s;       /* window start before R, s (default 0.25) */
    double after_s;        /* window end after R, s (default 0.45) */
    int window_samples;    /* > 0: fixed window of this many samples, R at window/2
                              (papers: 256 or 360); overrides before_s/after_s */
    char leads[2][32];     /* signal descriptions, or an index "k"/"#k" for signal k whatever
                              its name (eo_lead_find); leads[0] default "MLII", "" = the
                              fallback order of lead.h; leads[1] "" (one lead) */
    double band_lo_hz;     /* Butterworth band-pass (zero phase); <= 0 disables (default 0.5) */
    double band_hi_hz;     /* default 40 */
    int band_order;        /* default 2 (as scipy butter(2, ..) + filtfilt) */
    int baseline_median;   /* 1: subtract a 200 ms + 600 ms median-filter baseline
                              (de Chazal 2004 II-B) before the band-pass; default 0 */
    eo_beat_norm norm;     /* default EO_NORM_NONE (features are record-normalised in ml) */
    eo_label_set labels;   /* default EO_LABELS_AAMI */
    int local_beats;       /* RR local average span (default 10) */
    int keep_unlabelled;   /* 1: keep beats whose code is not in the label set with y = -1
                              (detector output); default 0 drops them */
    double align_s;        /* > 0: move each beat to the largest |x| of the filtered first lead
                              within +-align_s (same fiducial for reference and detector
                              beats); 0 (default) keeps the positions */
    double match_window_s; /* detector beats: reference beat within this distance gives the
                              label (default 0.15 s, EC57's match window) */
    double fs_hz;          /* > 0: work at this rate: each record is resampled (eo_resample)
                              and its beat positions moved to the new grid; the dataset's
                              sample[] stays on the record's own grid.  0 (default): the
                              record's own rate (records of one dataset must then agree) */
} eo_beats_options;

EO_API void eo_beats_defaults(eo_beats_options *o);

/* ---- the dataset ------------------------------------------------------- */

typedef struct eo_beats {
    size_t n;              /* beats */
    size_t cap;
    int n_leads;
    int len;               /* samples per lead per beat */
    int before;            /* samples before R within the window */
    double fs_hz;          /* working rate of the windows and features */
    double src_fs_hz;      /* own rate of the last record added (the grid of sample[]) */
    eo_label_set labels;
    float *x;              /* n * n_leads * len, beat-major */
    int *y;                /* class index, -1 unknown */
    int *record;           /* index into record_names */
    long *sample;          /* R position in its record, samples of the record's own grid */
    int *code;             /* WFDB code of the reference beat (0 if none) */
    float *rr;             /* n * EO_RR_N_FEATURES */
    char (*record_names)[32];
    int n_records;
} eo_beats;

/* Empty dataset; free with eo_beats_destroy (NULL is a no-op). */
EO_API eo_beats *eo_beats_new(void);
EO_API void eo_beats_destroy(eo_beats *b);
/* Beats of class cls (cls < 0: total). */
EO_API size_t eo_beats_count(const eo_beats *b, int cls);

/* Extract the beats of one record (base path without extension) and append
 * them to `out` (first call fixes len/n_leads/fs; later records must agree).
 * `positions`: the beat list to use (detector output); NULL reads
 * `<base>.atr`.  Labels come from the .atr: directly when positions is NULL,
 * else from the nearest reference beat within match_window_s.  Beats whose
 * window crosses the record edge are dropped.  Errors: missing lead ("100:
 * no signal 'V9' (has MLII, V5)"), no beats, unreadable files. */
EO_API eo_status eo_beats_add_record(eo_beats *out, const char *base, const eo_annotation_set *positions,
                              const eo_beats_options *opt, eo_error *err);

/* Load a list of records by name (looked up with eo_data_find_record in
 * data_dir), beats from the reference annotations. */
EO_API eo_status eo_beats_load(const char *data_dir, const char *const *records, int n_records,
                        const eo_beats_options *opt, eo_progress_fn progress, void *user,
                        eo_beats **out, eo_error *err);

/* Copy of the beats whose indices are idx[0..n). */
EO_API eo_status eo_beats_subset(const eo_beats *b, const size_t *idx, size_t n, eo_beats **out,
                          eo_error *err);

/* ---- splits (split.c) -------------------------------------------------- */

/* de Chazal 2004 inter-patient split of MIT-BIH (paced 102 104 107 217
 * excluded): 22 records each. */
EO_API extern const char *const eo_split_ds1[22];
EO_API extern const char *const eo_split_ds2[22];
/* The 44 non-paced records: DS1 then DS2. */
EO_API int eo_split_mitdb_records(const char *const **out);

typedef enum eo_split_part { EO_PART_TRAIN = 0, EO_PART_VAL = 1, EO_PART_TEST = 2 } eo_split_part;

/* Intra-patient random split stratified by class: in each class, a fraction
 * train_frac to TRAIN, val_frac to VAL, the rest to TEST (papers: 0.70 /
 * 0.15 / 0.15).  part[] gets n entries.  Beats of one patient land on both
 * sides, so results are "intra-patient" and must be labelled so. */
EO_API eo_status eo_split_stratified(const int *y, size_t n, double train_frac, double val_frac,
                              eo_rng *rng, int *part, eo_error *err);
/* Patient-wise split: records are shuffled and `n_val` whole records are
 * VAL, the rest TRAIN (validation carved from DS1 by record). */
EO_API eo_status eo_split_records_val(const eo_beats *b, int n_val, eo_rng *rng, int *part, eo_error *err);
/* The same with the validation records named (e.g. {"118", "119"}, the
 * records NSTDB's noise-stress set is built from).  A name that is not one
 * of b's records, or every record named, is an error; duplicates count once. */
EO_API eo_status eo_split_records_named(const eo_beats *b, const char *const *names, int n_names,
                                 int *part, eo_error *err);
/* Patient-wise k-fold: fold[i] in [0, k) for each beat; records are dealt to
 * folds round-robin after a shuffle.  k in [2, n_records]. */
EO_API eo_status eo_split_kfold(const eo_beats *b, int k, eo_rng *rng, int *fold, eo_error *err);

/* ---- class imbalance (split.c) ----------------------------------------- */

/* w[c] = (n / (k * n_c))^power for the classes present (0 for absent);
 * power 1 is sklearn's "balanced", 0.5 a softer version. */
EO_API eo_status eo_class_weights(const int *y, size_t n, int n_classes, double power, double *w,
                           eo_error *err);
/* Random oversampling: indices of idx[] with every class repeated up to
 * `target_frac` of the largest class count (draws with replacement).
 * *out is malloc'd, *n_out set. */
EO_API eo_status eo_oversample(const int *y, const size_t *idx, size_t n, int n_classes,
                        double target_frac, eo_rng *rng, size_t **out, size_t *n_out,
                        eo_error *err);

/* ---- augmentation (augment.c) ------------------------------------------ */

typedef struct eo_augment_options {
    double noise_sd;        /* Gaussian noise, mV sd (0 off) */
    double scale_lo, scale_hi; /* amplitude scaling factor drawn in [lo, hi] (1,1 off) */
    double stretch_lo, stretch_hi; /* time stretch about R in [lo, hi] (1,1 off) */
    const float *noise;     /* NSTDB noise record (mV), NULL off */
    size_t noise_len;
    double noise_snr_db;    /* beat power / noise power after scaling */
} eo_augment_options;

EO_API void eo_augment_defaults(eo_augment_options *o);
/* Augment one beat window in place (len samples, R at `before`). */
/* Gain g such that 10 log10(P(signal) / P(g noise)) = snr_db, with
 * mean-removed powers over n samples (the definition of the MIT-BIH Noise
 * Stress Test Database, Moody et al. 1984); 0 when the noise is flat. */
EO_API double eo_noise_gain_at_snr(const double *signal, const double *noise, size_t n, double snr_db);

EO_API eo_status eo_augment_beat(float *x, int len, int before, const eo_augment_options *o, eo_rng *rng,
                          eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
