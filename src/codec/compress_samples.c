/* eo_codec_compress_samples (include/ecgopt/codec.h; include/ecgopt/arrays.h
 * gathers the FFI entry points): an .ecgz file in memory from plain sample
 * arrays.  Builds the eo_wfdb_record the encoder takes around the caller's
 * arrays (borrowed, never copied). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/codec.h"

eo_status eo_codec_compress_samples(const int32_t *adu, int n_signals, long n_samples,
                                    double fs_hz, const double *gain, const int *baseline,
                                    int adc_bits, const char *mode, double level,
                                    unsigned char **buf, size_t *len, eo_error *err)
{
    if (!adu || !mode || !buf || !len)
        return eo_error_set(err, EO_STATUS_USAGE, "compress: NULL argument");
    *buf = NULL;
    *len = 0;
    if (n_signals < 1 || n_signals > 64)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "compress: %d signals (1..64)", n_signals);
    if (n_samples < 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "compress: %ld samples", n_samples);
    if (!(fs_hz > 0) || !isfinite(fs_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "compress: sampling rate %g Hz", fs_hz);
    if (adc_bits < 0 || adc_bits > 24)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "compress: ADC resolution %d bits (0..24)",
                            adc_bits);
    eo_codec_options o;
    eo_codec_defaults(&o);
    eo_status st = eo_codec_mode_parse(mode, &o.mode, err);
    if (st)
        return st;
    if (o.mode == EO_CODEC_AE)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "compress: mode ae needs a model (use ecgopt compress --model)");
    if (o.mode == EO_CODEC_BOUNDED) {
        if (!(level >= 0 && level <= 1000) || level != floor(level))
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "compress: bounded error %g adu (an integer 0..1000)", level);
        o.max_error_adu = (int)level;
    } else if (o.mode == EO_CODEC_WAVELET) {
        if (!(level > 0 && level < 100))
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "compress: wavelet target PRDN %g %% (0 < t < 100)", level);
        o.target_prdn = level;
    }
    for (int s = 0; s < n_signals; s++)
        if (gain && (!(gain[s] > 0) || !isfinite(gain[s])))
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "compress: signal %d gain %g", s,
                                gain[s]);

    eo_wfdb_header h;
    memset(&h, 0, sizeof h);
    snprintf(h.record_name, sizeof h.record_name, "samples");
    h.n_signals = n_signals;
    h.fs_hz = fs_hz;
    h.n_samples = n_samples;
    eo_wfdb_signal_info *si = eo_calloc((size_t)n_signals, sizeof *si);
    int32_t **ch = eo_calloc((size_t)n_signals, sizeof *ch);
    if (!si || !ch) {
        free(si);
        free(ch);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "compress: %d signals", n_signals);
    }
    for (int s = 0; s < n_signals; s++) {
        snprintf(si[s].file_name, sizeof si[s].file_name, "samples.dat");
        si[s].format = 16;
        si[s].samples_per_frame = 1;
        si[s].gain = gain ? gain[s] : EO_WFDB_DEFAULT_GAIN;
        si[s].gain_given = 1;
        si[s].baseline = baseline ? baseline[s] : 0;
        si[s].baseline_given = 1;
        snprintf(si[s].units, sizeof si[s].units, "mV");
        si[s].adc_resolution = adc_bits;
        si[s].initial_value = adu[(size_t)s * (size_t)n_samples];
        /* the encoder never writes through the channel pointers */
        ch[s] = (int32_t *)(uintptr_t)(adu + (size_t)s * (size_t)n_samples);
    }
    h.signals = si;
    eo_wfdb_record rec;
    memset(&rec, 0, sizeof rec);
    rec.header = &h;
    rec.n_signals = n_signals;
    rec.n_samples = n_samples;
    rec.fs_hz = fs_hz;
    rec.adu = ch;
    st = eo_codec_encode(&rec, &o, buf, len, NULL, err);
    free(si);
    free(ch);
    return st;
}
