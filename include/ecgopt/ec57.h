/* ecgopt — beat-by-beat comparison of two annotators, ANSI/AAMI EC57.
 *
 * The matching follows EC57 section 3/4 as implemented by WFDB's bxb (Moody):
 * a reference and a test beat match when they are at most match_window_s
 * apart (150 ms) and each is the other's closest candidate; an unmatched test
 * beat is a false positive (paired with pseudo-beat O), an unmatched reference
 * beat a false negative (paired with pseudo-beat o); test beats inside a
 * reference-marked ventricular flutter/fibrillation episode (VFON..VFOFF) are
 * not counted at all; test beats inside a reference-marked shutdown (NOISE
 * with subtype bits 4 and 5 set, until the next NOISE without them) pair with
 * X, reference beats inside a test-marked shutdown with x.  The edges of the
 * test period (learning period, a label-less mark at sample 0 in both
 * annotators, end of record) behave exactly as in bxb; on all 48 MIT-BIH
 * records the counts equal bxb's (docs/ec57.md).  Beat labels map to
 * the AAMI classes N S V F Q with eo_annot_aami_class() (N: N L R e j;
 * S: A a J S; V: V E; F: F; Q: / f Q) and, for beat codes that table leaves
 * out, B -> N, n -> S, r -> V, learning label -> Q (escape_as_sveb: e, j -> S
 * as bxb's SVEB mode).
 *
 * Statistics (EC57 / bxb definitions, 7x7 matrix m[ref][test] with rows and
 * columns N S V F Q O X):
 *   QRS   TP = matched beats, FN = ref beat vs o/x, FP = O/X vs test beat;
 *   VEB   TP = Vv, FN = Vn+Vs+Vf+Vq+Vo+Vx, FP = Nv+Sv+Ov+Xv (Fv and Qv are not
 *         false positives), TN = all pairs of rows N S F Q O X with columns
 *         n s f q;  FPR = FP / (TN + FP);
 *   SVEB  TP = Ss, FN = Sn+Sv+Sf+Sq+So+Sx, FP = Ns+Vs+Fs+Os+Xs (Qs is not).
 * Gross statistics sum the matrices of several records; record-averaged
 * statistics average each record's percentage over the records where it is
 * defined.  Class metrics (accuracy, per-class Se/+P/specificity/F1, macro
 * and support-weighted averages) use the 5x5 block of matched beats.
 *
 * OWNER: eval module (EC57). */
#ifndef ECGOPT_EC57_H
#define ECGOPT_EC57_H

#include "ecgopt/export.h"

#include <stddef.h>

#include "ecgopt/json.h"
#include "ecgopt/status.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Row/column indices of the comparison matrix. */
enum { EO_EC57_N = 0, EO_EC57_S, EO_EC57_V, EO_EC57_F, EO_EC57_Q, EO_EC57_O, EO_EC57_X,
       EO_EC57_NCLASS = 7 };

typedef struct eo_ec57_options {
    double fs_hz;             /* sampling rate of both annotation files (required) */
    double match_window_s;    /* 0.15 */
    double learning_period_s; /* beats before this time are not scored; 0
                                 (EC57 prescribes 300 s for a learning algorithm) */
    long end_sample;          /* last sample of the test period, normally the
                                 record length (bxb: annotations after it are
                                 not scored unless paired with one before);
                                 <= 0: until the end of both files */
    int escape_as_sveb;       /* 1: count escape beats e and j as S, as bxb's
                                 SVEB mode does; 0 (default): as N, the AAMI
                                 class table of eo_annot_aami_class() */
} eo_ec57_options;

EO_API void eo_ec57_defaults(eo_ec57_options *o, double fs_hz);

typedef struct eo_ec57_result {
    long m[EO_EC57_NCLASS][EO_EC57_NCLASS]; /* [reference][test] pair counts */
} eo_ec57_result;

typedef struct eo_ec57_stats {
    long qtp, qfn, qfp, vtp, vfn, vfp, vtn, stp, sfn, sfp;
    /* percentages; NaN where the denominator is 0 */
    double qrs_se, qrs_ppv, veb_se, veb_ppv, veb_fpr, sveb_se, sveb_ppv;
} eo_ec57_stats;

/* Compare test against ref.  Annotations must be in time order (as read from
 * a file); errors name the annotator and the first out-of-order sample.
 * r is overwritten. */
EO_API eo_status eo_ec57_compare(const eo_annotation_set *ref, const eo_annotation_set *test,
                          const eo_ec57_options *o, eo_ec57_result *r, eo_error *err);

/* Number of beat annotations in a set (eo_annot_is_beat). */
EO_API size_t eo_ec57_count_beats(const eo_annotation_set *a);

/* gross += rec (element-wise). */
EO_API void eo_ec57_add(eo_ec57_result *gross, const eo_ec57_result *rec);
/* Statistics of one matrix (one record, or the gross sum). */
EO_API void eo_ec57_stats_of(const eo_ec57_result *r, eo_ec57_stats *s);

/* Record-averaged statistics: mean of each percentage over the records where
 * it is defined (NaN if none); counts are the sums. */
EO_API void eo_ec57_average(const eo_ec57_result *recs, size_t n, eo_ec57_stats *s);

typedef struct eo_ec57_class_metrics {
    long total;       /* matched beats (5x5 block) */
    double accuracy;  /* trace / total */
    long support[5];  /* reference beats of each class N S V F Q */
    long predicted[5];
    double se[5], ppv[5], spec[5], f1[5]; /* NaN where undefined */
    /* over classes with support > 0; an undefined +P/F1 counts as 0 there */
    double macro_se, macro_ppv, macro_spec, macro_f1;
    double weighted_se, weighted_ppv, weighted_spec, weighted_f1;
} eo_ec57_class_metrics;

EO_API void eo_ec57_class_metrics_of(const eo_ec57_result *r, eo_ec57_class_metrics *m);

/* "N" "S" "V" "F" "Q" "O" "X" */
EO_API const char *eo_ec57_class_name(int c);

/* The gross statistics of r as one JSON object (ec57_json.c): veb_se,
 * veb_ppv, veb_fpr, sveb_se, sveb_ppv, qrs_se, qrs_ppv (%), accuracy (% of
 * the matched beats' 5 x 5 block) and matched (beats); NaN as null. */
EO_API void eo_ec57_result_json(eo_json *j, const eo_ec57_result *r);

#ifdef __cplusplus
}
#endif
#endif
