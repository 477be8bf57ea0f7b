/* Streaming causal IIR filter: the sosfilt recursion with its state kept in
 * an object, so any split of the signal into blocks gives exactly the same
 * output as one eo_sosfilt call (liquid-dsp style execute_block). */
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp_internal.h"

struct eo_iir_stream {
    int ns;
    double *sos; /* ns*6 */
    double *z;   /* ns*2 */
};

eo_status eo_iir_stream_create(const double *sos, int n_sections, eo_iir_stream **out,
                               eo_error *err)
{
    if (!out) return eo_error_set(err, EO_STATUS_USAGE, "iir_stream: NULL output");
    *out = NULL;
    /* validate through a zero-length eo_sosfilt call */
    double dummy = 0;
    eo_status st = eo_sosfilt(sos, n_sections, &dummy, 0, &dummy, NULL, err);
    if (st) return st;
    eo_iir_stream *s = calloc(1, sizeof *s);
    if (!s) return eo_error_set(err, EO_STATUS_NO_MEMORY, "iir_stream: out of memory");
    s->ns = n_sections;
    s->sos = malloc((size_t)n_sections * 6 * sizeof *s->sos);
    s->z = calloc((size_t)n_sections * 2, sizeof *s->z);
    if (!s->sos || !s->z) {
        eo_iir_stream_destroy(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "iir_stream: out of memory");
    }
    memcpy(s->sos, sos, (size_t)n_sections * 6 * sizeof *sos);
    *out = s;
    return EO_STATUS_OK;
}

void eo_iir_stream_destroy(eo_iir_stream *s)
{
    if (!s) return;
    free(s->sos);
    free(s->z);
    free(s);
}

eo_status eo_iir_stream_process(eo_iir_stream *s, const double *x, size_t n, double *y,
                                eo_error *err)
{
    if (!s) return eo_error_set(err, EO_STATUS_USAGE, "iir_stream: NULL stream");
    return eo_sosfilt(s->sos, s->ns, x, n, y, s->z, err);
}

void eo_iir_stream_reset(eo_iir_stream *s)
{
    if (s) memset(s->z, 0, (size_t)s->ns * 2 * sizeof *s->z);
}
