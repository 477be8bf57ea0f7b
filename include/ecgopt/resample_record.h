/* ecgopt — a WFDB record at another sampling rate with its annotation
 * files moved to the new grid (the work behind `ecgopt resample`):
 * signals through eo_resample (ecgopt/resample.h) in adu, so gains and
 * baselines stay exact; each annotation to the output sample nearest in
 * time (eo_resample_positions).  Everything is computed before anything is
 * written, and a failed write removes what was written. */
#ifndef ECGOPT_RESAMPLE_RECORD_H
#define ECGOPT_RESAMPLE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/export.h"
#include "ecgopt/json.h"
#include "ecgopt/status.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EO_RESAMPLED_MAX_ANN 16

typedef struct eo_resampled {
    double fs_in, fs_out;
    long up, down;          /* the rate change fs_out/fs_in = up/down */
    long n_in;              /* samples per signal in (of the span) and out */
    size_t n_out;
    int n_signals;
    long start;             /* the span's first input sample (0: from the start) */
    int32_t **adu;          /* n_signals x n_out, clipped to +-32767 */
    eo_wfdb_signal_info *signals;
    int n_ann;              /* annotation files moved */
    char ann_name[EO_RESAMPLED_MAX_ANN][32];
    eo_annotation_set *ann[EO_RESAMPLED_MAX_ANN];
} eo_resampled;

/* Find `record` (eo_data_find_record(data_dir, ...)), read it with ro
 * (NULL: defaults) and resample it to fs_out Hz with the annotation files
 * named in the comma-separated `annotators` (each must exist), or with NULL
 * those of atr, qrs, ecg, ann that exist.  A malformed list is
 * EO_STATUS_USAGE, checked before anything is read.  Free *out with
 * eo_resampled_free (also after a failure). */
EO_API eo_status eo_resample_record(const char *data_dir, const char *record, const eo_wfdb_read_options *ro,
                                    double fs_out, const char *annotators, eo_resampled *out, eo_error *err);
/* How eo_resample_record_run resamples. */
typedef struct eo_resample_record_options {
    double fs_out;          /* the new rate, Hz */
    const char *annotators; /* comma-separated; NULL: those of atr, qrs, ecg, ann that exist */
    double from_s;          /* span start, seconds from the record's start (default 0) */
    double to_s;            /* span end, seconds; < 0 (default): the end of the record */
} eo_resample_record_options;
/* fs_out 0 (must be set), every annotator, the whole record. */
EO_API void eo_resample_record_defaults(eo_resample_record_options *o);

/* As eo_resample_record, of the span [from_s, to_s) of o only: the output
 * is that span as a record of its own at fs_out (its sample 0 is the
 * span's first sample, so its samples equal the whole record's resampled
 * ones away from the span's ends by the filter's half length, when the
 * span starts on the common grid of both rates), with the annotations
 * inside the span moved to its grid.  An empty span is EO_STATUS_USAGE
 * (eo_wfdb_span_samples), checked before the signals are resampled. */
EO_API eo_status eo_resample_record_run(const char *data_dir, const char *record, const eo_wfdb_read_options *ro,
                                        const eo_resample_record_options *o, eo_resampled *out, eo_error *err);
/* Write dir/name.hea, .dat (format 16) and name.<annotator> for each file;
 * on failure nothing of it remains. */
EO_API eo_status eo_resampled_write(const eo_resampled *r, const char *dir, const char *name, eo_error *err);
/* record, output, fs_in_hz, fs_out_hz, up, down, samples_in, samples_out, from_sample,
 * annotations [{annotator, count}] as members of an open object. */
EO_API void eo_resampled_json(eo_json *j, const eo_resampled *r, const char *record, const char *output);
EO_API void eo_resampled_free(eo_resampled *r);

#ifdef __cplusplus
}
#endif
#endif
