/* ecgopt — a span of a WFDB record as CSV or JSON (what `ecgopt export`
 * writes), and a record's summary (what `ecgopt info` prints): header,
 * signals, annotation counts by code and AAMI class, rhythm episodes.
 *
 * OWNER: io module.  Samples are streamed, so a long record never sits in
 * memory. */
#ifndef ECGOPT_WFDB_EXPORT_H
#define ECGOPT_WFDB_EXPORT_H

#include "ecgopt/export.h"

#include <stdio.h>

#include "ecgopt/json.h"
#include "ecgopt/strbuf.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- export: samples and annotations of [s0, s1) ---------------------- */
typedef struct eo_export_options {
    int json;        /* 0: CSV, 1: one JSON object */
    int physical;    /* physical units ((adu - baseline) / gain) instead of adu */
    int annotations; /* CSV: the annotations instead of the samples; JSON: as well */
    eo_progress_fn progress; /* may be NULL; called with "exporting" */
    void *user;
} eo_export_options;
EO_API void eo_export_defaults(eo_export_options *o);

/* Write samples [s0, s1) of the record at `base` (read with `ro`, NULL for
 * the defaults) and, when o->annotations, those of `a` within the span, to
 * fp.  CSV: "sample,time_s,<signal>,..." (invalid samples empty), or with
 * annotations "sample,time_s,symbol,code,subtype,chan,num,aux".  JSON:
 * {record, fs_hz, from_sample, n_samples, physical, signals, samples (one
 * array per signal, invalid samples null)[, annotations]}.  s1 is clipped
 * to the record's length. */
EO_API eo_status eo_wfdb_export(FILE *fp, const char *base, const eo_wfdb_read_options *ro, long s0,
                                long s1, const eo_annotation_set *a, const eo_export_options *o,
                                eo_error *err);

/* The annotations `base.annotator`: required (an error when missing), or
 * when `optional` NULL in *a for the annotator "none" or a missing file. */
EO_API eo_status eo_annot_read_beside(const char *base, const char *annotator, int optional,
                                      eo_annotation_set **a, eo_error *err);

/* ---- a record's summary ------------------------------------------------ */
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
