/* Moving medians and baseline removal.
 *
 * The window is kept as a sorted array: each step removes the outgoing
 * sample and inserts the incoming one by binary search and memmove, O(w) per
 * sample with a tiny constant (w = 217 for 600 ms at 360 Hz).  Baseline
 * removal follows de Chazal, O'Dwyer & Reilly (2004), IEEE TBME 51(7):
 * 200 ms then 600 ms median filters give the baseline, which is subtracted. */
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp_internal.h"

/* position of the first element >= v in sorted a[0..n) */
static size_t lower_bound(const double *a, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static void sorted_insert(double *a, size_t *n, double v)
{
    size_t p = lower_bound(a, *n, v);
    memmove(a + p + 1, a + p, (*n - p) * sizeof *a);
    a[p] = v;
    (*n)++;
}

static void sorted_remove(double *a, size_t *n, double v)
{
    size_t p = lower_bound(a, *n, v); /* v is present: a[p] == v */
    memmove(a + p, a + p + 1, (*n - p - 1) * sizeof *a);
    (*n)--;
}

static double sorted_median(const double *a, size_t n)
{
    return (n & 1) ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
}

eo_status eo_median_filter(const double *x, size_t n, size_t w, double *y, eo_error *err)
{
    if (w < 1 || (w & 1) == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "median_filter: window %zu must be odd and >= 1", w);
    if (n == 0) return EO_STATUS_OK;
    if (!x || !y) return eo_error_set(err, EO_STATUS_USAGE, "median_filter: NULL signal");
    if (x == y)
        return eo_error_set(err, EO_STATUS_USAGE, "median_filter: output must not alias input");
    eo_status st = eo_dsp_check_finite("median_filter", x, n, err);
    if (st) return st;
    double *win = malloc(w * sizeof *win);
    if (!win) return eo_error_set(err, EO_STATUS_NO_MEMORY, "median_filter: out of memory");
    size_t h = w / 2, cnt = 0;
    /* 'nearest' boundary: x[i] for i<0 is x[0], for i>=n is x[n-1] */
#define XN(i) x[(i) < 0 ? 0 : ((i) >= (long long)n ? (long long)n - 1 : (i))]
    for (long long j = -(long long)h; j <= (long long)h; j++) sorted_insert(win, &cnt, XN(j));
    y[0] = win[h];
    for (size_t i = 1; i < n; i++) {
        long long out = (long long)i - (long long)h - 1, in = (long long)i + (long long)h;
        sorted_remove(win, &cnt, XN(out));
        sorted_insert(win, &cnt, XN(in));
        y[i] = win[h];
    }
#undef XN
    free(win);
    return EO_STATUS_OK;
}

void eo_baseline_defaults(eo_baseline_options *o)
{
    o->window1_ms = 200.0;
    o->window2_ms = 600.0;
}

static size_t odd_window(double ms, double fs)
{
    double v = floor(ms * fs / 1000.0 + 0.5);
    size_t w = v < 1 ? 1 : (size_t)v;
    return (w & 1) ? w : w + 1;
}

eo_status eo_baseline_remove(const double *x, size_t n, double fs_hz,
                             const eo_baseline_options *opts, double *y, double *baseline,
                             eo_error *err)
{
    eo_baseline_options o;
    if (opts) o = *opts;
    else eo_baseline_defaults(&o);
    if (!(fs_hz > 0) || !isfinite(fs_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "baseline: sampling rate %g Hz not > 0", fs_hz);
    if (!(o.window1_ms > 0) || !(o.window2_ms > 0) || !isfinite(o.window1_ms) ||
        !isfinite(o.window2_ms) || o.window1_ms * fs_hz > 1e9 || o.window2_ms * fs_hz > 1e9)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "baseline: windows %g ms, %g ms must be > 0",
                            o.window1_ms, o.window2_ms);
    if (n == 0) return EO_STATUS_OK;
    if (!x || !y) return eo_error_set(err, EO_STATUS_USAGE, "baseline: NULL signal");
    double *t1 = malloc(n * sizeof *t1), *t2 = malloc(n * sizeof *t2);
    eo_status st = EO_STATUS_NO_MEMORY;
    if (!t1 || !t2) {
        eo_error_set(err, st, "baseline: out of memory for %zu samples", n);
        goto done;
    }
    st = eo_median_filter(x, n, odd_window(o.window1_ms, fs_hz), t1, err);
    if (st) goto done;
    st = eo_median_filter(t1, n, odd_window(o.window2_ms, fs_hz), t2, err);
    if (st) goto done;
    for (size_t i = 0; i < n; i++) y[i] = x[i] - t2[i];
    if (baseline) memcpy(baseline, t2, n * sizeof *t2);
done:
    free(t1);
    free(t2);
    return st;
}

/* ---- streaming causal median */
struct eo_median_stream {
    size_t w, cnt, head;
    double *ring;   /* last min(seen, w) samples, oldest at head when full */
    double *sorted; /* the same samples, sorted */
};

eo_status eo_median_stream_create(size_t w, eo_median_stream **out, eo_error *err)
{
    if (!out) return eo_error_set(err, EO_STATUS_USAGE, "median_stream: NULL output");
    *out = NULL;
    if (w < 1 || w > ((size_t)1 << 28))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "median_stream: window %zu outside 1..2^28", w);
    eo_median_stream *s = calloc(1, sizeof *s);
    if (!s) return eo_error_set(err, EO_STATUS_NO_MEMORY, "median_stream: out of memory");
    s->w = w;
    s->ring = malloc(w * sizeof *s->ring);
    s->sorted = malloc(w * sizeof *s->sorted);
    if (!s->ring || !s->sorted) {
        eo_median_stream_destroy(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "median_stream: out of memory");
    }
    *out = s;
    return EO_STATUS_OK;
}

void eo_median_stream_destroy(eo_median_stream *s)
{
    if (!s) return;
    free(s->ring);
    free(s->sorted);
    free(s);
}

void eo_median_stream_reset(eo_median_stream *s)
{
    if (s) s->cnt = s->head = 0;
}

eo_status eo_median_stream_process(eo_median_stream *s, const double *x, size_t n, double *y,
                                   eo_error *err)
{
    if (!s) return eo_error_set(err, EO_STATUS_USAGE, "median_stream: NULL stream");
    if (n == 0) return EO_STATUS_OK;
    if (!x || !y) return eo_error_set(err, EO_STATUS_USAGE, "median_stream: NULL signal");
    eo_status st = eo_dsp_check_finite("median_stream", x, n, err);
    if (st) return st;
    for (size_t i = 0; i < n; i++) {
        double v = x[i];
        if (s->cnt == s->w) {
            sorted_remove(s->sorted, &s->cnt, s->ring[s->head]);
            s->ring[s->head] = v;
            s->head = (s->head + 1) % s->w;
        } else {
            s->ring[s->cnt] = v; /* head stays 0 until full */
        }
        sorted_insert(s->sorted, &s->cnt, v);
        y[i] = sorted_median(s->sorted, s->cnt);
    }
    return EO_STATUS_OK;
}

eo_status eo_median_causal(const double *x, size_t n, size_t w, double *y, eo_error *err)
{
    if (x == y && n)
        return eo_error_set(err, EO_STATUS_USAGE, "median_causal: output must not alias input");
    eo_median_stream *s;
    eo_status st = eo_median_stream_create(w, &s, err);
    if (st) return st;
    st = eo_median_stream_process(s, x, n, y, err);
    eo_median_stream_destroy(s);
    return st;
}
