/* A span of a record: samples of --from/--to, and a view sharing samples. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/wfdb_span.h"

eo_status eo_wfdb_span_samples(double fs_hz, long n, double from_s, double to_s, const char *name, long *s0,
                               long *s1, eo_error *err)
{
    *s0 = *s1 = 0;
    double len_s = fs_hz > 0 ? (double)n / fs_hz : 0;
    if (!(fs_hz > 0) || !isfinite(from_s) || isnan(to_s) || from_s < 0 || (to_s >= 0 && from_s >= to_s) ||
        from_s * fs_hz + 0.5 >= (double)n) {
        if (to_s < 0)
            return eo_error_set(err, EO_STATUS_USAGE, "--from %g selects no samples of %s (%.1f s)", from_s, name,
                                len_s);
        return eo_error_set(err, EO_STATUS_USAGE, "--from %g --to %g selects no samples of %s (%.1f s)", from_s,
                            to_s, name, len_s);
    }
    long a = (long)floor(from_s * fs_hz + 0.5);
    long b = n;
    if (to_s >= 0 && to_s * fs_hz + 0.5 < (double)n)
        b = (long)floor(to_s * fs_hz + 0.5);
    if (a >= b) /* both ends rounded to the same sample */
        return eo_error_set(err, EO_STATUS_USAGE, "--from %g --to %g selects no samples of %s (%.1f s)", from_s,
                            to_s, name, len_s);
    *s0 = a;
    *s1 = b;
    return EO_STATUS_OK;
}

/* One allocation holds the record, its header and the note; the sample
 * pointer and comment arrays are separate. */
typedef struct view {
    eo_wfdb_record rec;
    eo_wfdb_header h;
    char *note;
} view;

void eo_wfdb_record_view_free(eo_wfdb_record *v)
{
    if (!v)
        return;
    view *w = (view *)v; /* rec is the first member */
    free(w->rec.adu);
    free(w->h.comments);
    free(w->note);
    free(w);
}

eo_status eo_wfdb_record_view(const eo_wfdb_record *rec, long s0, long s1, const char *note,
                              eo_wfdb_record **out, eo_error *err)
{
    *out = NULL;
    const char *name = rec && rec->header ? rec->header->record_name : "record";
    if (!rec || !rec->header || s0 < 0 || s1 <= s0 || s1 > rec->n_samples)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: span [%ld, %ld) is not inside the record", name, s0, s1);
    view *w = eo_calloc(1, sizeof *w);
    if (!w)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    w->h = *rec->header;
    w->rec = *rec;
    w->rec.header = &w->h;
    w->rec.n_samples = s1 - s0;
    w->rec.adu = NULL;
    w->h.comments = NULL;
    w->h.n_comments = 0;
    w->h.n_samples = s1 - s0;
    w->h.n_segments = 0; /* the view is one segment: rec's samples are merged */
    w->h.segments = NULL;
    if (s0 > 0)
        w->h.base_time[0] = w->h.base_date[0] = '\0';
    int nc = rec->header->n_comments;
    w->rec.adu = eo_calloc((size_t)rec->n_signals + 1, sizeof *w->rec.adu);
    w->h.comments = eo_calloc((size_t)nc + 2, sizeof *w->h.comments);
    w->note = note ? eo_malloc(strlen(note) + 1) : NULL;
    if (!w->rec.adu || !w->h.comments || (note && !w->note)) {
        eo_wfdb_record_view_free(&w->rec);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    }
    for (int s = 0; s < rec->n_signals; s++)
        w->rec.adu[s] = rec->adu[s] + s0;
    for (int i = 0; i < nc; i++)
        w->h.comments[i] = rec->header->comments[i];
    w->h.n_comments = nc;
    if (note) {
        memcpy(w->note, note, strlen(note) + 1);
        w->h.comments[w->h.n_comments++] = w->note;
    }
    *out = &w->rec;
    return EO_STATUS_OK;
}
