/* ecgopt — what `ecgopt detect` reports about a detection: the per-record
 * summary (beats, mean rate), the EC57 QRS score against a reference
 * annotator, the HTML report section (strips with matched, missed and extra
 * beats, the QRS table, the RR tachogram and Poincare plot) and the JSON. */
#ifndef ECGOPT_DETECT_REPORT_H
#define ECGOPT_DETECT_REPORT_H

#include "ecgopt/export.h"
#include "ecgopt/json.h"
#include "ecgopt/report.h"
#include "ecgopt/status.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* EC57 QRS figures of a detection against a reference (the whole record,
 * ecgopt/ec57.h's match window). */
typedef struct eo_detect_score {
    int scored;           /* 0: no reference to score against */
    long ref_beats, tp, fn, fp;
    double se, ppv;       /* percent */
} eo_detect_score;

/* One record's detection. */
typedef struct eo_detect_summary {
    const char *record;   /* as given (borrowed) */
    int signal;
    char desc[128];       /* the signal's description */
    double fs, bpm, secs; /* rate, mean heart rate, seconds the detection took */
    long beats;
    char out[4400];       /* the annotation file written */
    eo_detect_score score;
} eo_detect_summary;

/* Fill s from the record's header (fs, signal description, duration for
 * the mean rate; zeros when the header cannot be read) and the detection. */
EO_API void eo_detect_summarize(const char *base, const char *record, int signal, const eo_annotation_set *det,
                                double secs, const char *out, eo_detect_summary *s);
/* record, signal, signal_description, fs_hz, beats, mean_rate_bpm, output,
 * seconds and, when scored, reference (`ref`), ref_beats, qrs_tp, qrs_fn,
 * qrs_fp, qrs_se, qrs_ppv as members of an open object. */
EO_API void eo_detect_summary_json(eo_json *j, const eo_detect_summary *s, const char *ref);

typedef struct eo_detect_report_options {
    const char *ref;      /* reference annotator (default atr; "none": no scoring) */
    double from_s;        /* span the strips draw: start (default 0) ... */
    double seconds;       /* ... and length (default 60) */
} eo_detect_report_options;
EO_API void eo_detect_report_defaults(eo_detect_report_options *o);

/* Add record's section to r: the detection `det` on signal `signal` of the
 * record at `base` (read with ro, NULL: defaults) against the reference
 * annotator when its file exists; *score (may be NULL) gets the EC57 QRS
 * figures. */
EO_API eo_status eo_detect_report_record(eo_report *r, const eo_detect_report_options *o, const char *record,
                                         const char *base, int signal, const eo_wfdb_read_options *ro,
                                         const eo_annotation_set *det, eo_detect_score *score, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
