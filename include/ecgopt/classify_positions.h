/* ecgopt — classifying beats given as plain arrays, with probabilities, for
 * callers without the dataset structs (python/ecgopt over ctypes): no
 * eo_beats or eo_beats_options to lay out in another language, so the
 * binding does not break when those structs grow a field. */
#ifndef ECGOPT_CLASSIFY_POSITIONS_H
#define ECGOPT_CLASSIFY_POSITIONS_H

#include <stddef.h>

#include "ecgopt/export.h"
#include "ecgopt/ml.h"
#include "ecgopt/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Classify the beats at positions[n] (samples on the record's own grid, in
 * time order) of the record at `base` exactly as eo_classify_record_lead()
 * does (the model's extraction options, the record resampled to the model's
 * rate if needed; `lead` NULL or "" = the model's lead).  Per position i:
 * cls[i] is the predicted class index (argmax of prob x the model's class
 * scales) and prob[i*k .. i*k+k-1] the class probabilities, k =
 * eo_label_set_n_classes(eo_classifier_labels(c)); a beat that cannot be
 * classified (its window crosses the record edge) or repeats the previous
 * position gets cls[i] = -1 and NaN probabilities (prob may be NULL).
 * Positions out of time order are refused (EO_STATUS_USAGE). */
EO_API eo_status eo_classify_positions(const eo_classifier *c, const char *base,
                                       const long *positions, size_t n, const char *lead,
                                       int *cls, float *prob, eo_error *err);

/* Lead i (0 or 1) the model reads, as stored in the model ("MLII", an
 * index "k"/"#k", or "" for none / the default order of lead.h), copied
 * into buf (size bytes, truncated); returns 1 if the model has lead i with
 * a non-empty name, else 0. */
EO_API int eo_classifier_lead_name(const eo_classifier *c, int i, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
