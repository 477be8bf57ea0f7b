/* ecgopt — a span of a WFDB record as CSV or JSON (what `ecgopt export`
 * writes); the annotation file beside a record.
 *
 * OWNER: io module.  Samples are streamed, so a long record never sits in
 * memory. */
#ifndef ECGOPT_WFDB_EXPORT_H
#define ECGOPT_WFDB_EXPORT_H

#include "ecgopt/export.h"

#include <stdio.h>

#include "ecgopt/json.h"
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
 * when `optional` NULL in *a for the annotator "none" (or NULL) or a
 * missing file. */
EO_API eo_status eo_annot_read_beside(const char *base, const char *annotator, int optional,
                                      eo_annotation_set **a, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
