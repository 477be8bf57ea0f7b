/* ecgopt — QRS detection on WFDB records (glue between io and the streaming
 * detector of qrs.h).  The record is read block by block through
 * eo_wfdb_stream, so a 24-hour Holter record never sits in memory whole and
 * a record and a live stream go through the same eo_qrs_process() path.
 *
 * OWNER: eval module (QRS detection). */
#ifndef ECGOPT_DETECT_H
#define ECGOPT_DETECT_H

#include "ecgopt/export.h"

#include "ecgopt/qrs.h"
#include "ecgopt/status.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Index of the signal named `signal` in h: a description ("MLII", "V5") or a
 * decimal index ("0", "#0").  NULL or "" picks by the fallback order of
 * lead.h (MLII, II, ECG1, then signal 0).  A record without it is
 * EO_STATUS_NOT_FOUND with a message listing the signals it has
 * (eo_lead_find). */
EO_API eo_status eo_detect_find_signal(const eo_wfdb_header *h, const char *signal, const char *record,
                                int *index, eo_error *err);

/* Detect the QRS complexes of one signal of the record at `base` (path
 * without extension).  opt may be NULL (eo_qrs_defaults at the record's fs);
 * its fs_hz is always replaced by the record's.  The result is a new set of
 * beat annotations (code N, chan = signal index), in time order; *signal_used
 * (may be NULL) receives the signal index.  progress may be NULL. */
EO_API eo_status eo_detect_record(const char *base, const char *signal, const eo_qrs_options *opt,
                           const eo_wfdb_read_options *ropt, eo_progress_fn progress,
                           void *progress_user, eo_annotation_set **out, int *signal_used,
                           eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
