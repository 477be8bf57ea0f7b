/* QRS detection on a WFDB record, streamed block by block (see detect.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/detect.h"
#include "ecgopt/lead.h"

#define BLOCK 8192

eo_status eo_detect_find_signal(const eo_wfdb_header *h, const char *signal, const char *record,
                                int *index, eo_error *err)
{
    return eo_lead_find(h, signal, record, index, NULL, err);
}

static eo_status drain(eo_qrs *q, eo_annotation_set *a, int chan, eo_error *err)
{
    long buf[256];
    size_t k;
    while ((k = eo_qrs_take(q, buf, 256)) > 0)
        for (size_t i = 0; i < k; i++) {
            eo_annotation an = {.sample = buf[i], .code = 1, .chan = chan};
            eo_status st = eo_annot_set_push(a, &an, err);
            if (st)
                return st;
        }
    return EO_STATUS_OK;
}

eo_status eo_detect_record(const char *base, const char *signal, const eo_qrs_options *opt,
                           const eo_wfdb_read_options *ropt, eo_progress_fn progress,
                           void *progress_user, eo_annotation_set **out, int *signal_used,
                           eo_error *err)
{
    *out = NULL;
    eo_wfdb_stream *s = NULL;
    eo_qrs *q = NULL;
    eo_annotation_set *a = NULL;
    int32_t *frames = NULL;
    double *x = NULL;
    eo_status st = eo_wfdb_stream_open(base, ropt, &s, err);
    if (st)
        return st;
    const eo_wfdb_header *h = eo_wfdb_stream_header(s);
    int sig = 0;
    st = eo_detect_find_signal(h, signal, base, &sig, err);
    if (st)
        goto done;
    eo_qrs_options o;
    if (opt)
        o = *opt;
    else
        eo_qrs_defaults(&o, h->fs_hz);
    o.fs_hz = h->fs_hz;
    st = eo_qrs_create(&o, &q, err);
    if (st) {
        eo_error_prefix(err, "%s", base);
        goto done;
    }
    a = eo_annot_set_new();
    frames = malloc((size_t)BLOCK * (size_t)h->n_signals * sizeof(int32_t));
    x = malloc(BLOCK * sizeof(double));
    if (!a || !frames || !x) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", base);
        goto done;
    }
    const eo_wfdb_signal_info *si = &h->signals[sig];
    long done_n = 0;
    for (;;) {
        long nr = 0;
        st = eo_wfdb_stream_read(s, frames, BLOCK, &nr, err);
        if (st)
            goto done;
        if (nr == 0)
            break;
        for (long i = 0; i < nr; i++)
            x[i] = eo_wfdb_adu_to_mv(si, frames[(size_t)i * (size_t)h->n_signals + (size_t)sig]);
        st = eo_qrs_process(q, x, (size_t)nr, err);
        if (!st)
            st = drain(q, a, sig, err);
        if (st)
            goto done;
        done_n += nr;
        if (progress && progress(progress_user, (double)done_n,
                                 h->n_samples > 0 ? (double)h->n_samples : 0.0, "detect")) {
            st = eo_error_set(err, EO_STATUS_USAGE, "%s: detection cancelled", base);
            goto done;
        }
    }
    st = eo_qrs_finish(q, err);
    if (!st)
        st = drain(q, a, sig, err);
done:
    free(frames);
    free(x);
    eo_qrs_destroy(q);
    eo_wfdb_stream_close(s);
    if (st) {
        eo_annot_set_destroy(a);
        return st;
    }
    if (signal_used)
        *signal_used = sig;
    *out = a;
    return EO_STATUS_OK;
}
