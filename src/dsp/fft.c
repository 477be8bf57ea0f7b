/* FFT object over FFTW3 (Frigo & Johnson 2005).  Plans are made once per
 * object with FFTW_ESTIMATE (no timing runs, deterministic) on internal
 * aligned buffers; data is copied in and out so callers' arrays need no
 * particular alignment.  FFTW's planner is not thread-safe (FFTW manual
 * 5.4 "Thread safety"): plan creation and destruction are serialised by the
 * one process-wide mutex below -- the only global in the dsp module, and it
 * guards FFTW's own global state, not ours.  Executing different objects
 * concurrently is safe (fftw_execute is re-entrant). */
#include <fftw3.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp_internal.h"

static pthread_mutex_t eo_fftw_planner_mutex = PTHREAD_MUTEX_INITIALIZER;

void eo_fftw_plan_lock(void)
{
    pthread_mutex_lock(&eo_fftw_planner_mutex);
}

void eo_fftw_plan_unlock(void)
{
    pthread_mutex_unlock(&eo_fftw_planner_mutex);
}

struct eo_fft {
    size_t n;
    fftw_complex *buf, *out;
    double *rbuf;
    fftw_plan fwd, bwd, r2c;
};

eo_status eo_fft_create(size_t n, eo_fft **out, eo_error *err)
{
    if (!out) return eo_error_set(err, EO_STATUS_USAGE, "fft: NULL output");
    *out = NULL;
    if (n < 1 || n > ((size_t)1 << 30))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "fft: length %zu outside 1..2^30", n);
    eo_fft *f = calloc(1, sizeof *f);
    if (!f) return eo_error_set(err, EO_STATUS_NO_MEMORY, "fft: out of memory");
    f->n = n;
    f->buf = fftw_malloc(n * sizeof(fftw_complex));
    f->out = fftw_malloc(n * sizeof(fftw_complex));
    f->rbuf = fftw_malloc(n * sizeof(double));
    if (!f->buf || !f->out || !f->rbuf) {
        eo_fft_destroy(f);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "fft: out of memory for length %zu", n);
    }
    eo_fftw_plan_lock();
    f->fwd = fftw_plan_dft_1d((int)n, f->buf, f->out, FFTW_FORWARD, FFTW_ESTIMATE);
    f->bwd = fftw_plan_dft_1d((int)n, f->buf, f->out, FFTW_BACKWARD, FFTW_ESTIMATE);
    f->r2c = fftw_plan_dft_r2c_1d((int)n, f->rbuf, f->out, FFTW_ESTIMATE);
    eo_fftw_plan_unlock();
    if (!f->fwd || !f->bwd || !f->r2c) {
        eo_fft_destroy(f);
        return eo_error_set(err, EO_STATUS_INTERNAL, "fft: FFTW could not plan length %zu", n);
    }
    *out = f;
    return EO_STATUS_OK;
}

void eo_fft_destroy(eo_fft *f)
{
    if (!f) return;
    eo_fftw_plan_lock();
    if (f->fwd) fftw_destroy_plan(f->fwd);
    if (f->bwd) fftw_destroy_plan(f->bwd);
    if (f->r2c) fftw_destroy_plan(f->r2c);
    eo_fftw_plan_unlock();
    fftw_free(f->buf);
    fftw_free(f->out);
    fftw_free(f->rbuf);
    free(f);
}

size_t eo_fft_len(const eo_fft *f)
{
    return f ? f->n : 0;
}

eo_status eo_fft_c2c(eo_fft *f, const double *in, double *out, int sign, eo_error *err)
{
    if (!f || !in || !out) return eo_error_set(err, EO_STATUS_USAGE, "fft: NULL argument");
    if (sign != -1 && sign != 1)
        return eo_error_set(err, EO_STATUS_USAGE, "fft: sign %d must be -1 or +1", sign);
    memcpy(f->buf, in, f->n * sizeof(fftw_complex));
    fftw_execute(sign < 0 ? f->fwd : f->bwd);
    memcpy(out, f->out, f->n * sizeof(fftw_complex));
    return EO_STATUS_OK;
}

eo_status eo_fft_r2c(eo_fft *f, const double *x, double *out, eo_error *err)
{
    if (!f || !x || !out) return eo_error_set(err, EO_STATUS_USAGE, "fft: NULL argument");
    memcpy(f->rbuf, x, f->n * sizeof(double));
    fftw_execute(f->r2c);
    memcpy(out, f->out, (f->n / 2 + 1) * sizeof(fftw_complex));
    return EO_STATUS_OK;
}
