/* Welch (1967) averaged periodogram with scipy.signal.welch's defaults:
 * periodic Hann window w[k] = 0.5 - 0.5 cos(2 pi k / nperseg), segments of
 * nperseg with noverlap = nperseg/2, each segment's mean removed, one-sided
 * |FFT|^2 scaled by 1/(fs sum w^2) (density) or 1/(sum w)^2 (spectrum),
 * doubled except at DC (and Nyquist for even nfft), mean over segments. */
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp_internal.h"

void eo_welch_defaults(eo_welch_options *o)
{
    o->nperseg = 256;
    o->noverlap = EO_WELCH_DEFAULT;
    o->nfft = EO_WELCH_DEFAULT;
    o->detrend = 1;
    o->density = 1;
}

typedef struct {
    size_t nperseg, noverlap, nfft;
} welch_dims;

static int dims(size_t n, const eo_welch_options *o, welch_dims *d)
{
    size_t nps = o->nperseg == 0 || o->nperseg == EO_WELCH_DEFAULT ? 256 : o->nperseg;
    if (nps > n) nps = n;
    d->nperseg = nps;
    d->noverlap = o->noverlap == EO_WELCH_DEFAULT ? nps / 2 : o->noverlap;
    d->nfft = o->nfft == EO_WELCH_DEFAULT ? nps : o->nfft;
    if (d->noverlap >= nps || d->nfft < nps || nps < 1) return -1;
    return 0;
}

size_t eo_welch_nfreq(size_t n, const eo_welch_options *o)
{
    eo_welch_options def;
    if (!o) {
        eo_welch_defaults(&def);
        o = &def;
    }
    welch_dims d;
    if (n == 0 || dims(n, o, &d)) return 0;
    return d.nfft / 2 + 1;
}

eo_status eo_welch(const double *x, size_t n, double fs_hz, const eo_welch_options *opts,
                   double *freq_hz, double *psd, eo_error *err)
{
    eo_welch_options o;
    if (opts) o = *opts;
    else eo_welch_defaults(&o);
    if (!x || !psd) return eo_error_set(err, EO_STATUS_USAGE, "welch: NULL argument");
    if (n < 1) return eo_error_set(err, EO_STATUS_USAGE, "welch: empty signal");
    if (!(fs_hz > 0) || !isfinite(fs_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "welch: sampling rate %g Hz not > 0", fs_hz);
    welch_dims d;
    if (dims(n, &o, &d))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "welch: need noverlap < nperseg <= nfft (got %zu, %zu, %zu)",
                            o.noverlap, o.nperseg, o.nfft);
    if (d.nfft > ((size_t)1 << 28))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "welch: nfft %zu too large", d.nfft);
    eo_status st = eo_dsp_check_finite("welch", x, n, err);
    if (st) return st;
    size_t nf = d.nfft / 2 + 1, step = d.nperseg - d.noverlap;
    size_t nseg = (n - d.noverlap) / step;
    double *win = malloc(d.nperseg * sizeof *win);
    double *seg = calloc(d.nfft, sizeof *seg);
    double *spec = malloc(2 * nf * sizeof *spec);
    eo_fft *fft = NULL;
    if (!win || !seg || !spec) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "welch: out of memory");
        goto done;
    }
    st = eo_fft_create(d.nfft, &fft, err);
    if (st) goto done;
    double s1 = 0, s2 = 0;
    for (size_t k = 0; k < d.nperseg; k++) {
        win[k] = d.nperseg == 1 ? 1.0 : 0.5 - 0.5 * cos(2.0 * M_PI * (double)k / (double)d.nperseg);
        s1 += win[k];
        s2 += win[k] * win[k];
    }
    double scale = o.density ? 1.0 / (fs_hz * s2) : 1.0 / (s1 * s1);
    memset(psd, 0, nf * sizeof *psd);
    for (size_t s = 0; s < nseg; s++) {
        const double *xs = x + s * step;
        double mean = 0;
        if (o.detrend) {
            for (size_t k = 0; k < d.nperseg; k++) mean += xs[k];
            mean /= (double)d.nperseg;
        }
        for (size_t k = 0; k < d.nperseg; k++) seg[k] = (xs[k] - mean) * win[k];
        st = eo_fft_r2c(fft, seg, spec, err);
        if (st) goto done;
        for (size_t f = 0; f < nf; f++) {
            double p = (spec[2 * f] * spec[2 * f] + spec[2 * f + 1] * spec[2 * f + 1]) * scale;
            int edge = f == 0 || ((d.nfft & 1) == 0 && f == nf - 1);
            psd[f] += edge ? p : 2.0 * p;
        }
    }
    for (size_t f = 0; f < nf; f++) psd[f] /= (double)nseg;
    if (freq_hz)
        for (size_t f = 0; f < nf; f++) freq_hz[f] = (double)f * fs_hz / (double)d.nfft;
done:
    eo_fft_destroy(fft);
    free(win);
    free(seg);
    free(spec);
    return st;
}
