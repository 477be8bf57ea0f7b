/* ecgopt — denoising a WFDB record (the work behind `ecgopt denoise`):
 * a span and a lead (or every signal) of the record, each signal denoised
 * with eo_denoise in mV and put back in adu with the record's gains and
 * baselines, written as a format-16 record; its JSON and HTML report. */
#ifndef ECGOPT_DENOISE_RECORD_H
#define ECGOPT_DENOISE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/denoise.h"
#include "ecgopt/export.h"
#include "ecgopt/json.h"
#include "ecgopt/status.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eo_denoise_record_options {
    eo_denoise_options denoise; /* the method and its settings (eo_denoise_defaults) */
    double from_s;              /* span start, seconds (default 0) */
    double to_s;                /* span end, seconds; < 0 (default): the end */
    const char *lead;           /* name or index (eo_lead_find); NULL (default): every signal */
    int keep_first;             /* 1: keep the first signal's original and denoised
                                   samples (mV) for eo_denoise_record_report */
} eo_denoise_record_options;
EO_API void eo_denoise_record_defaults(eo_denoise_record_options *o);

/* What a run made: n samples from `start` of signals s_lo .. s_lo + ns - 1. */
typedef struct eo_denoise_record_result {
    eo_denoise_method method;
    double fs;
    long start, n;
    int s_lo, ns;
    eo_wfdb_signal_info *signals; /* ns: the signals' header lines */
    eo_denoise_report *reports;   /* ns */
    int32_t **adu;                /* ns arrays of n samples, clipped to +-32767 */
    double *orig, *den;           /* keep_first: the first signal, n samples (mV) */
} eo_denoise_record_result;

/* Denoise rec (named `name` in messages).  A span with no samples is
 * EO_STATUS_USAGE ("--from 5 --to 1 selects no samples of mitdb/100
 * (1805.6 s)"); a lead not in the record is EO_STATUS_NOT_FOUND; a failing
 * signal's error is prefixed with "name: signal S (DESC)".  Free *out with
 * eo_denoise_record_free (also after a failure). */
EO_API eo_status eo_denoise_record(const eo_wfdb_record *rec, const char *name,
                                   const eo_denoise_record_options *o, eo_denoise_record_result *out,
                                   eo_error *err);
EO_API void eo_denoise_record_free(eo_denoise_record_result *r);

/* Write the result as the record dir/name (format 16; rec's header lines,
 * comments included, when the span starts at 0). */
EO_API eo_status eo_denoise_record_write(const eo_denoise_record_result *r, const eo_wfdb_record *rec,
                                         const char *dir, const char *name, eo_error *err);

/* record, output, method, fs_hz, from_sample, samples and per signal its
 * index, description, seconds and (vmd methods) K, alpha, MEE (iaoa-vmd),
 * VMD evaluations and iterations, the modes' centre and action, as members
 * of an open object. */
EO_API void eo_denoise_record_json(eo_json *j, const eo_denoise_record_result *r, const char *record,
                                   const char *output);

/* "kept" | "dropped" | "baseline" | "baseline-corrected" */
EO_API const char *eo_denoise_action_name(eo_mode_action a);

/* HTML report (needs keep_first): ECG strips original / denoised / removed
 * of the first minute of the first signal, and the VMD mode table. */
EO_API eo_status eo_denoise_record_report(const eo_denoise_record_result *r, const char *record,
                                          const char *path, eo_error *err);

#ifdef __cplusplus
}
#endif
#endif
