/* ecgopt — whole operations on plain arrays, for callers through a foreign
 * function interface (the Python package python/ecgopt over ctypes).
 *
 * These functions take and return flat arrays and strings only: no option
 * structs whose layout a caller in another language would have to copy, so
 * the binding does not break when a struct of the C API grows a field.
 * Memory they hand out is released with eo_free(), the C library's free()
 * seen from the same shared object.  Each is declared in its module's header
 * (eo_free in status.h, eo_denoise_signal in denoise.h,
 * eo_codec_compress_samples in codec.h, eo_classify_positions and
 * eo_classifier_lead_name in ml.h); this header gathers them. */
#ifndef ECGOPT_ARRAYS_H
#define ECGOPT_ARRAYS_H

#include "ecgopt/codec.h"
#include "ecgopt/denoise.h"
#include "ecgopt/ml.h"
#include "ecgopt/status.h"

#endif
