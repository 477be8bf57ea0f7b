/* ecgopt — classifying a whole record (`ecgopt classify`): the beats from
 * the reference annotations or the QRS detector, labelled by a trained
 * model; the predicted class counts; the HTML report (strips with
 * reference/predicted labels, the EC57 matrix and Se/+P, the class counts);
 * the result as JSON or text.
 *
 * OWNER: ml module. */
#ifndef ECGOPT_CLASSIFY_RUN_H
#define ECGOPT_CLASSIFY_RUN_H

#include "ecgopt/export.h"

#include "ecgopt/ec57.h"
#include "ecgopt/json.h"
#include "ecgopt/ml.h"
#include "ecgopt/report.h"
#include "ecgopt/strbuf.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The beats of signal `lead` of the record at `base` labelled by `m`: at
 * the reference annotations' beats (base.atr), or with `use_detector` at
 * the beats ecgopt's QRS detector finds on that signal.  *out: the
 * predicted annotations at the record's own sample positions. */
EO_API eo_status eo_classify_record_beats(const eo_classifier *m, const char *base, int lead,
                                          int use_detector, const eo_wfdb_read_options *ro,
                                          eo_annotation_set **out, eo_error *err);

/* How eo_classify_record_run labels a record. */
typedef struct eo_classify_record_options {
    int lead;         /* the signal's index */
    int use_detector; /* beats from ecgopt's QRS detector instead of base.atr */
    double from_s;    /* span start, seconds from the record's start (default 0) */
    double to_s;      /* span end, seconds; < 0 (default): the end of the record */
} eo_classify_record_options;
EO_API void eo_classify_record_defaults(eo_classify_record_options *o);

/* As eo_classify_record_beats, keeping only the beats inside the span
 * [from_s, to_s) of o: the whole record is read and classified, so every
 * beat keeps its full context (RR intervals, neighbours) and the beats
 * written are exactly those of a whole-record run in that span, with the
 * same samples (the record's own, absolute) and labels.  The span is
 * checked (eo_wfdb_span_samples, EO_STATUS_USAGE) against base.hea before
 * any work; *s0, *s1 (may be NULL) get its samples. */
EO_API eo_status eo_classify_record_run(const eo_classifier *m, const char *base,
                                        const eo_classify_record_options *o, const eo_wfdb_read_options *ro,
                                        eo_annotation_set **out, long *s0, long *s1, eo_error *err);

/* What a classify run found, for the report, the JSON and the text. */
typedef struct eo_classify_result {
    const char *record;      /* as the user named it */
    const char *beats;       /* "atr" or "detector" */
    const char *output;      /* the annotation file written */
    const char *report;      /* the HTML report, or NULL */
    const char *ref;         /* the reference annotator scored against */
    const eo_annotation_set *predicted;
    long counts[EO_LABELS_MAX_CLASSES]; /* predicted beats per class of the model's label set */
    long unclassified;       /* beats without a class (at the record's edges) */
    double seconds;          /* wall time */
    int scored;              /* the report found the reference: m and pc hold its comparison */
    eo_ec57_result m;        /* whole record vs ref, EC57 */
    eo_report_pair_counts pc; /* the beats the report draws */
    long span_start, span_end; /* the samples classified; span_end 0: the whole record */
} eo_classify_result;

/* counts and unclassified of r from r->predicted (labels of m). */
EO_API void eo_classify_result_count(const eo_classifier *m, eo_classify_result *r);

/* The report of r at r->report: signal `lead` of the record at `base`
 * over [from_s, from_s + seconds) on 10-s strips with the predicted class
 * at each beat and, when base.<r->ref> exists (ref "none": skip), reference/
 * predicted labels with the disagreements highlighted, the EC57 matrix and
 * table over the whole record, or over r->span_start..span_end when a span
 * was given (then r->scored, r->m, r->pc are filled), and
 * the predicted class counts. */
EO_API eo_status eo_classify_report_write(const eo_classifier *m, const char *base, int lead,
                                          const eo_wfdb_read_options *ro, double from_s,
                                          double seconds, eo_classify_result *r, eo_error *err);

/* r as one JSON object (record, model, labels, beats, [from_sample,
 * to_sample when a span was given], n_beats, counts,
 * unclassified_edge_beats, seconds, output, [report], [reference {annotator,
 * matrix, Se/+P, shown disagreements}]). */
EO_API void eo_classify_result_json(eo_json *j, const eo_classifier *m, const eo_classify_result *r);
/* r as text: the counts line, and the EC57 figures when scored. */
EO_API void eo_classify_result_text(eo_strbuf *b, const eo_classifier *m, const eo_classify_result *r);

#ifdef __cplusplus
}
#endif
#endif
