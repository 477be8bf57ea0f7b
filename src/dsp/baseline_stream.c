/* Streaming version of eo_baseline_remove (de Chazal et al. 2004 200 ms +
 * 600 ms medians).  Each centred median stage keeps a ring buffer and a
 * sorted copy of its window; the left edge is primed with h copies of the
 * first sample and the right edge flushed with h copies of the last, which is
 * exactly scipy.ndimage.median_filter's mode='nearest', so the output equals
 * the one-shot function bit for bit, delayed by h1 + h2 samples. */
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp_internal.h"

typedef struct stage {
    size_t w, h, cnt, head, seen;
    double last;
    double *ring, *sorted;
} stage;

static size_t lb(const double *a, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t m = lo + (hi - lo) / 2;
        if (a[m] < v) lo = m + 1;
        else hi = m;
    }
    return lo;
}

static void stage_add(stage *s, double v)
{
    size_t p = lb(s->sorted, s->cnt, v);
    memmove(s->sorted + p + 1, s->sorted + p, (s->cnt - p) * sizeof(double));
    s->sorted[p] = v;
    s->ring[(s->head + s->cnt) % s->w] = v;
    s->cnt++;
}

/* push one sample; returns 1 and sets *out when a centred median is ready */
static int stage_push(stage *s, double v, double *out)
{
    if (s->seen++ == 0)
        for (size_t i = 0; i < s->h; i++) stage_add(s, v);
    s->last = v;
    stage_add(s, v);
    if (s->cnt < s->w) return 0;
    *out = s->sorted[s->h];
    double old = s->ring[s->head];
    size_t p = lb(s->sorted, s->cnt, old);
    memmove(s->sorted + p, s->sorted + p + 1, (s->cnt - p - 1) * sizeof(double));
    s->cnt--;
    s->head = (s->head + 1) % s->w;
    return 1;
}

static void stage_reset(stage *s)
{
    s->cnt = s->head = s->seen = 0;
}

struct eo_baseline_stream {
    stage st[2];
    double *fifo; /* raw inputs waiting for their baseline */
    size_t fcap, fhead, fcnt;
};

static size_t odd_win(double ms, double fs)
{
    double v = floor(ms * fs / 1000.0 + 0.5);
    size_t w = v < 1 ? 1 : (size_t)v;
    return (w & 1) ? w : w + 1;
}

void eo_baseline_stream_destroy(eo_baseline_stream *s)
{
    if (!s) return;
    for (int i = 0; i < 2; i++) {
        free(s->st[i].ring);
        free(s->st[i].sorted);
    }
    free(s->fifo);
    free(s);
}

eo_status eo_baseline_stream_create(double fs_hz, const eo_baseline_options *opts,
                                    eo_baseline_stream **out, eo_error *err)
{
    if (!out) return eo_error_set(err, EO_STATUS_USAGE, "baseline_stream: NULL output");
    *out = NULL;
    eo_baseline_options o;
    if (opts) o = *opts;
    else eo_baseline_defaults(&o);
    if (!(fs_hz > 0) || !isfinite(fs_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "baseline_stream: sampling rate %g Hz not > 0",
                            fs_hz);
    if (!(o.window1_ms > 0) || !(o.window2_ms > 0) || o.window1_ms * fs_hz > 1e9 ||
        o.window2_ms * fs_hz > 1e9)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "baseline_stream: windows %g ms, %g ms must be > 0 and finite",
                            o.window1_ms, o.window2_ms);
    eo_baseline_stream *s = calloc(1, sizeof *s);
    if (!s) return eo_error_set(err, EO_STATUS_NO_MEMORY, "baseline_stream: out of memory");
    double ms[2] = {o.window1_ms, o.window2_ms};
    int ok = 1;
    for (int i = 0; i < 2; i++) {
        stage *g = &s->st[i];
        g->w = odd_win(ms[i], fs_hz);
        g->h = g->w / 2;
        g->ring = malloc(g->w * sizeof(double));
        g->sorted = malloc(g->w * sizeof(double));
        ok &= g->ring && g->sorted;
    }
    s->fcap = s->st[0].h + s->st[1].h + 1;
    s->fifo = malloc(s->fcap * sizeof(double));
    if (!ok || !s->fifo) {
        eo_baseline_stream_destroy(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "baseline_stream: out of memory");
    }
    *out = s;
    return EO_STATUS_OK;
}

size_t eo_baseline_stream_delay(const eo_baseline_stream *s)
{
    return s ? s->st[0].h + s->st[1].h : 0;
}

static void emit(eo_baseline_stream *s, double base, double *y, size_t *k)
{
    double xv = s->fifo[s->fhead];
    s->fhead = (s->fhead + 1) % s->fcap;
    s->fcnt--;
    y[(*k)++] = xv - base;
}

eo_status eo_baseline_stream_process(eo_baseline_stream *s, const double *x, size_t n, double *y,
                                     size_t *n_out, eo_error *err)
{
    if (!s || !n_out) return eo_error_set(err, EO_STATUS_USAGE, "baseline_stream: NULL argument");
    *n_out = 0;
    if (n == 0) return EO_STATUS_OK;
    if (!x || !y) return eo_error_set(err, EO_STATUS_USAGE, "baseline_stream: NULL signal");
    eo_status st = eo_dsp_check_finite("baseline_stream", x, n, err);
    if (st) return st;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i], m1, m2;
        s->fifo[(s->fhead + s->fcnt) % s->fcap] = v;
        s->fcnt++;
        if (stage_push(&s->st[0], v, &m1) && stage_push(&s->st[1], m1, &m2)) emit(s, m2, y, &k);
    }
    *n_out = k;
    return EO_STATUS_OK;
}

eo_status eo_baseline_stream_flush(eo_baseline_stream *s, double *y, size_t *n_out, eo_error *err)
{
    if (!s || !n_out) return eo_error_set(err, EO_STATUS_USAGE, "baseline_stream: NULL argument");
    *n_out = 0;
    size_t k = 0;
    if (s->st[0].seen > 0) {
        if (!y) return eo_error_set(err, EO_STATUS_USAGE, "baseline_stream: NULL output");
        double m1, m2;
        double last0 = s->st[0].last;
        for (size_t i = 0; i < s->st[0].h; i++)
            if (stage_push(&s->st[0], last0, &m1) && stage_push(&s->st[1], m1, &m2))
                emit(s, m2, y, &k);
        double last1 = s->st[1].last;
        for (size_t i = 0; i < s->st[1].h && s->st[1].seen > 0; i++)
            if (stage_push(&s->st[1], last1, &m2)) emit(s, m2, y, &k);
    }
    stage_reset(&s->st[0]);
    stage_reset(&s->st[1]);
    s->fhead = s->fcnt = 0;
    *n_out = k;
    return EO_STATUS_OK;
}
