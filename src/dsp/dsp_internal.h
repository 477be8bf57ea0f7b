/* Private helpers shared by the dsp sources. */
#ifndef EO_DSP_INTERNAL_H
#define EO_DSP_INTERNAL_H
#include <math.h>
#include <stddef.h>

#include "ecgopt/dsp.h"

/* Index of the first non-finite sample, or n if all are finite. */
static inline size_t eo_dsp_first_nonfinite(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return i;
    return n;
}

/* Returns EO_STATUS_NUMERIC naming `who` and the sample if x has NaN/Inf. */
static inline eo_status eo_dsp_check_finite(const char *who, const double *x, size_t n,
                                            eo_error *err)
{
    size_t i = eo_dsp_first_nonfinite(x, n);
    if (i < n)
        return eo_error_set(err, EO_STATUS_NUMERIC, "%s: sample %zu is not finite (%g)", who, i,
                            x[i]);
    return EO_STATUS_OK;
}
#endif
