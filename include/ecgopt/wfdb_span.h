/* ecgopt — a span of a record (--from S --to S of the single-record
 * commands): seconds into samples with one rule and one message for every
 * command, and a view of a record's span that shares its samples. */
#ifndef ECGOPT_WFDB_SPAN_H
#define ECGOPT_WFDB_SPAN_H

#include "ecgopt/export.h"
#include "ecgopt/status.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Samples [*s0, *s1) of seconds [from_s, to_s) of a record of n samples at
 * fs_hz (each end rounded to the nearest sample; to_s < 0: the end; a to_s
 * past the end is the end).  A span with no samples (from_s < 0, from_s >=
 * to_s, from_s at or past the end) is EO_STATUS_USAGE, the message the
 * other span commands give: "--from 5 --to 1 selects no samples of 100
 * (1805.6 s)"; `name` names the record. */
EO_API eo_status eo_wfdb_span_samples(double fs_hz, long n, double from_s, double to_s, const char *name,
                                      long *s0, long *s1, eo_error *err);

/* A record that is samples [s0, s1) of rec (0 <= s0 < s1 <= rec->n_samples):
 * it shares rec's samples and signal descriptions (rec must outlive it and
 * stay unchanged); its header is rec's with n_samples = s1 - s0, the base
 * time and date dropped when s0 > 0 (the span no longer starts then) and,
 * when note is not NULL, the comment line `note` added after rec's.  Free
 * with eo_wfdb_record_view_free. */
EO_API eo_status eo_wfdb_record_view(const eo_wfdb_record *rec, long s0, long s1, const char *note,
                                     eo_wfdb_record **out, eo_error *err);
EO_API void eo_wfdb_record_view_free(eo_wfdb_record *v); /* NULL: no-op */

#ifdef __cplusplus
}
#endif
#endif
