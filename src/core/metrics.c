#include "ecgopt/metrics.h"

#include <math.h>
#include <string.h>

void eo_fidelity_init(eo_fidelity *f)
{
    memset(f, 0, sizeof *f);
}

void eo_fidelity_add(eo_fidelity *f, const double *x, const double *y, size_t n, double offset)
{
    for (size_t i = 0; i < n; i++) {
        double e = x[i] - y[i];
        double xo = x[i] - offset;
        f->sum_err2 += e * e;
        f->sum_ref2_offset += xo * xo;
        f->sum_ref += x[i];
        f->sum_ref2 += x[i] * x[i];
        if (fabs(e) > f->max_abs_error)
            f->max_abs_error = fabs(e);
    }
    f->n += n;
}

void eo_fidelity_merge(eo_fidelity *f, const eo_fidelity *o)
{
    f->sum_err2 += o->sum_err2;
    f->sum_ref2_offset += o->sum_ref2_offset;
    f->sum_ref += o->sum_ref;
    f->sum_ref2 += o->sum_ref2;
    if (o->max_abs_error > f->max_abs_error)
        f->max_abs_error = o->max_abs_error;
    f->n += o->n;
}

void eo_fidelity_finish(eo_fidelity *f)
{
    if (f->n == 0) {
        f->rmse = f->prd = f->prdn = f->snr_db = NAN;
        return;
    }
    double n = (double)f->n;
    /* centred sum of squares; guarded against tiny negative rounding */
    double var_sum = f->sum_ref2 - f->sum_ref * f->sum_ref / n;
    if (var_sum < 0)
        var_sum = 0;
    f->rmse = sqrt(f->sum_err2 / n);
    f->prd = f->sum_ref2_offset > 0 ? 100.0 * sqrt(f->sum_err2 / f->sum_ref2_offset) : NAN;
    f->prdn = var_sum > 0 ? 100.0 * sqrt(f->sum_err2 / var_sum) : NAN;
    f->snr_db = f->sum_err2 > 0 ? 10.0 * log10(var_sum / f->sum_err2) : INFINITY;
}

eo_fidelity eo_fidelity_of(const double *x, const double *y, size_t n, double offset)
{
    eo_fidelity f;
    eo_fidelity_init(&f);
    eo_fidelity_add(&f, x, y, n, offset);
    eo_fidelity_finish(&f);
    return f;
}

double eo_snr_db(const double *x, const double *y, size_t n)
{
    /* two-pass centred sum for accuracy on long records */
    double mean = 0, var = 0, err = 0;
    for (size_t i = 0; i < n; i++)
        mean += x[i];
    mean /= (double)(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        double d = x[i] - mean, e = x[i] - y[i];
        var += d * d;
        err += e * e;
    }
    return err > 0 ? 10.0 * log10(var / err) : INFINITY;
}

double eo_snr_improvement_db(const double *clean, const double *noisy, const double *denoised,
                             size_t n)
{
    return eo_snr_db(clean, denoised, n) - eo_snr_db(clean, noisy, n);
}

double eo_compression_ratio(double bits_per_sample, size_t n_samples, size_t file_bytes)
{
    if (file_bytes == 0)
        return NAN;
    return bits_per_sample * (double)n_samples / (8.0 * (double)file_bytes);
}
