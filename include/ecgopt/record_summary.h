/* ecgopt — a record's summary (what `ecgopt info` prints): header,
 * signals, the frames read through (checksums verified), annotation counts
 * by code and AAMI class, rhythm episodes; as JSON or text.
 *
 * OWNER: io module. */
#ifndef ECGOPT_RECORD_SUMMARY_H
#define ECGOPT_RECORD_SUMMARY_H

#include "ecgopt/export.h"

#include "ecgopt/json.h"
#include "ecgopt/strbuf.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eo_record_summary {
    const eo_wfdb_header *header; /* of the record */
    long total;                   /* frames read through the whole record */
    int verified;                 /* checksums and initial values checked */
    const char *annotator;        /* as given (not copied) */
    eo_annotation_set *annotations; /* NULL: no such annotation file (or "none") */
    eo_annot_counts counts;       /* by code and AAMI class (zero without annotations) */
    eo_rhythm_episode *episodes;  /* rhythm episodes of the '+' annotations over `total` */
    size_t n_episodes;
    eo_wfdb_stream *stream;       /* owns header */
} eo_record_summary;

/* Read every frame of the record at `base` (this verifies checksums and
 * initial values unless ro->verify is 0, without holding the record in
 * memory; progress "reading"), then the annotator's file when it exists.
 * Free with eo_record_summary_destroy. */
EO_API eo_status eo_record_summarize(const char *base, const eo_wfdb_read_options *ro,
                                     const char *annotator, eo_progress_fn progress, void *user,
                                     eo_record_summary **out, eo_error *err);
EO_API void eo_record_summary_destroy(eo_record_summary *s); /* NULL: no-op */
/* The summary as one JSON object: record, path, fs_hz, n_samples,
 * duration_s, n_signals, base_time, base_date, verified, [report], signals,
 * comments, [annotations {annotator, total, beats, by_code, by_aami,
 * rhythm_episodes}]. */
EO_API void eo_record_summary_json(eo_json *j, const eo_record_summary *s, const char *path,
                                   const char *report);
/* The summary as text lines (what `ecgopt info` prints). */
EO_API void eo_record_summary_text(eo_strbuf *b, const eo_record_summary *s, const char *path);
/* "m:ss.sss" or "h:mm:ss.sss" of a time in seconds. */
EO_API void eo_format_time(char *b, size_t n, double sec);

#ifdef __cplusplus
}
#endif
#endif
