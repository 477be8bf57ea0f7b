/* libFuzzer harness for the dsp module: arbitrary filter parameters, wavelet
 * names/modes/levels and sample values (including NaN/Inf and huge values)
 * must give a status, never a crash or sanitizer report.
 * Input: byte 0 order, byte 1 type, bytes 2-3 cut-offs (percent of fs),
 * byte 4 wavelet index, byte 5 mode, byte 6 level, byte 7 median window,
 * then float64 samples. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/dsp.h"

static const char *wavelets[] = {"haar", "db1", "db4", "db20", "sym2", "sym20", "coif1",
                                 "coif5", "bior1.1", "bior4.4", "bior6.8", "bogus"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 8) return 0;
    int order = data[0] % 40;
    eo_filter_type type = (eo_filter_type)(data[1] % 5);
    double fs = 360.0;
    double f1 = data[2] * fs / 200.0, f2 = data[3] * fs / 200.0;
    const char *wname = wavelets[data[4] % (sizeof wavelets / sizeof *wavelets)];
    eo_wavelet_mode mode = (eo_wavelet_mode)(data[5] % 4);
    int level = (int)(data[6] % 12) - 1;
    size_t mw = data[7] % 64;
    size_t n = (size - 8) / sizeof(double);
    if (n > 4096) n = 4096;
    double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
    double *z = malloc((2 * n + 2) * sizeof *z);
    if (!x || !y || !z) goto done;
    memcpy(x, data + 8, n * sizeof *x);
    eo_error err;
    double sos[6 * EO_BUTTER_MAX_ORDER];
    int ns;
    if (eo_butter_sos(order, type, f1, f2, fs, sos, &ns, &err) == EO_STATUS_OK) {
        eo_sosfiltfilt(sos, ns, x, n, y, &err);
        eo_sosfilt(sos, ns, x, n, y, NULL, &err);
        eo_iir_stream *s;
        if (eo_iir_stream_create(sos, ns, &s, &err) == EO_STATUS_OK) {
            eo_iir_stream_process(s, x, n / 2, y, &err);
            eo_iir_stream_process(s, x + n / 2, n - n / 2, y, &err);
            eo_iir_stream_destroy(s);
        }
    }
    double b[2 * EO_BUTTER_MAX_ORDER + 1], a[2 * EO_BUTTER_MAX_ORDER + 1];
    int nc;
    if (order <= 4 && eo_butter_ba(order, type, f1, f2, fs, b, a, &nc, &err) == EO_STATUS_OK)
        eo_filtfilt_ba(b, nc, a, nc, x, n, y, &err);
    eo_median_filter(x, n, mw, y, &err);
    eo_median_causal(x, n, mw, y, &err);
    eo_baseline_remove(x, n, f1 + 1.0, NULL, y, NULL, &err);
    eo_baseline_stream *bs;
    if (eo_baseline_stream_create(f1 + 1.0, NULL, &bs, &err) == EO_STATUS_OK) {
        size_t k, got = 0;
        double *yy = malloc((n + eo_baseline_stream_delay(bs) + 1) * sizeof *yy);
        if (yy && eo_baseline_stream_process(bs, x, n / 3, yy, &k, &err) == EO_STATUS_OK) {
            got += k;
            if (eo_baseline_stream_process(bs, x + n / 3, n - n / 3, yy + got, &k, &err) == EO_STATUS_OK)
                got += k;
            eo_baseline_stream_flush(bs, yy + got, &k, &err);
        }
        free(yy);
        eo_baseline_stream_destroy(bs);
    }
    const eo_wavelet *w;
    if (eo_wavelet_get(wname, &w, &err) == EO_STATUS_OK) {
        eo_wavecoefs *c;
        if (eo_wavedec(x, n, w, mode, level, &c, &err) == EO_STATUS_OK) {
            double *r;
            size_t nr;
            if (eo_waverec(c, w, mode, &r, &nr, &err) == EO_STATUS_OK) free(r);
            eo_wavecoefs_destroy(c);
        }
        if (level >= 1 && n > 0 && n <= 1024) {
            double *ca = malloc((size_t)level * n * sizeof *ca), *cd = malloc((size_t)level * n * sizeof *cd);
            if (ca && cd && eo_swt(x, n, w, level, ca, cd, &err) == EO_STATUS_OK)
                eo_iswt(ca, cd, n, level, w, y, &err);
            free(ca);
            free(cd);
        }
        eo_wavelet_denoise_options o;
        eo_wavelet_denoise_defaults(&o);
        o.wavelet = wname;
        o.mode = mode;
        o.level = level;
        o.rule = (eo_threshold_rule)(data[1] % 3);
        o.thresh_mode = (eo_threshold_mode)(data[0] % 3);
        o.sigma_per_level = data[2] & 1;
        eo_wavelet_denoise(x, n, &o, y, &err);
    }
    eo_hilbert(x, n, NULL, z, &err);
    double e;
    eo_envelope_entropy(x, n, NULL, &e, &err);
    eo_welch_options wo;
    eo_welch_defaults(&wo);
    wo.nperseg = mw ? mw * 4 : 256;
    size_t nf = eo_welch_nfreq(n, &wo);
    if (nf && nf <= n + 1) eo_welch(x, n, fs, &wo, NULL, y, &err);
done:
    free(x);
    free(y);
    free(z);
    return 0;
}
