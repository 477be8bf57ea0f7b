/* ecgopt — choosing the ECG lead (signal) of a record, the same way in every
 * command (`--lead NAME|INDEX`).
 *
 * A lead is named by its signal description ("MLII", "V5", "ECG1") or by its
 * index ("0", or "#0").  With no lead given the first of EO_LEAD_FALLBACK
 * that the record has is used (MLII: MIT-BIH; II: most 12-lead databases;
 * ECG1: SVDB, INCART-style Holter records), else signal 0.  Also the checks
 * a caller warns about: an uncalibrated signal (gain 0 in the header: WFDB
 * then assumes 200 adu/mV, 37 SVDB records) and a signal in other units than
 * the others (mV vs uV). */
#ifndef ECGOPT_LEAD_H
#define ECGOPT_LEAD_H

#include "ecgopt/export.h"
#include "ecgopt/status.h"
#include "ecgopt/wfdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The fallback order, as text for help pages and messages. */
#define EO_LEAD_FALLBACK "MLII, II, ECG1, then signal 0"

typedef enum eo_lead_how {
    EO_LEAD_NAMED = 0,  /* the lead asked for, by name */
    EO_LEAD_INDEX,      /* the lead asked for, by index */
    EO_LEAD_FALLBACK_ORDER /* none asked for: the fallback order picked it */
} eo_lead_how;

/* Index of `lead` (NULL or "": the fallback order) in h.  A lead that does
 * not exist is EO_STATUS_NOT_FOUND with the message "<record>: no lead 'X'
 * (the record has MLII, V5; use --lead NAME|INDEX)".  how may be NULL. */
EO_API eo_status eo_lead_find(const eo_wfdb_header *h, const char *lead, const char *record,
                              int *index, eo_lead_how *how, eo_error *err);

/* Comma-separated signal descriptions of h into buf ("MLII, V5"). */
EO_API void eo_lead_list(const eo_wfdb_header *h, char *buf, size_t size);

/* 1 if signal `index` has no calibration (gain 0 or not given). */
EO_API int eo_lead_uncalibrated(const eo_wfdb_header *h, int index);

/* Physical units of signal `index` relative to millivolts: 1 for mV (or
 * none given: WFDB's default), 1e-3 for uV, 1e3 for V; 0 if unknown. */
EO_API double eo_lead_units_to_mv(const eo_wfdb_header *h, int index);

#ifdef __cplusplus
}
#endif
#endif
