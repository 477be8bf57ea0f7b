/* ecgopt — HTML reports of a record (`ecgopt export --report`, `ecgopt info
 * --report`): the signals as ECG strips with the annotations' beat labels,
 * the annotation counts and the rhythm episodes.
 *
 * OWNER: data module (it reads records through io and draws through report). */
#ifndef ECGOPT_RECORD_REPORT_H
#define ECGOPT_RECORD_REPORT_H

#include "ecgopt/export.h"

#include "ecgopt/report.h"
#include "ecgopt/wfdb.h"
#include "ecgopt/record_summary.h"
#include "ecgopt/wfdb_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Strip marks for the beat annotations of `a` in samples [s0, s1), each
 * labelled with its symbol (N, V, ...); *marks malloc'd (free()). */
EO_API eo_status eo_annot_strip_marks(const eo_annotation_set *a, long s0, long s1,
                                      eo_strip_mark **marks, size_t *n_marks, eo_error *err);

/* Signal `sig` of `rec` over samples [s0, s1) as 10-s strips with `marks`
 * (the zoomable ECG strip of report.h); `record` names it in the ids and
 * messages.  Used by the detect and classify reports. */
EO_API eo_status eo_record_report_strips(eo_report *rep, const eo_wfdb_record *rec, int sig, long s0, long s1,
                                         const char *record, const eo_strip_mark *marks, size_t n_marks,
                                         eo_error *err);

/* The exported span [s0, s1) of the record at `base` (at most `seconds` of
 * it drawn, at most 16 signals), every signal a trace, with the beat labels
 * of `a` or, when `a` is NULL, of base.annotator when that file exists.
 * `record` names the record in the title. */
EO_API eo_status eo_record_report_export(const char *path, const char *record, const char *base,
                                         const eo_wfdb_read_options *ro, long s0, long s1,
                                         double seconds, const char *annotator,
                                         const eo_annotation_set *a, eo_error *err);

/* Each signal of the record summarised in `s` over [from_s, from_s +
 * seconds) at two scales with the beat labels, then (with annotations) the
 * counts by code and AAMI class and the rhythm episodes on a time line. */
EO_API eo_status eo_record_report_info(const char *path, const char *record, const char *base,
                                       const eo_wfdb_read_options *ro, const eo_record_summary *s,
                                       double from_s, double seconds, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
