/* ecgopt io — writing single-segment WFDB records in format 16 or 212 with
 * header checksums and initial values, as header(5) and signal(5) define
 * them, so that WFDB tools and wfdb-python read them unchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/util.h"
#include "io/wfdb_internal.h"

#define WCHUNK 8190 /* frames per write; multiple of 2 keeps 212 pairs whole */

eo_status eo_wfdb_record_write(const char *dir, const char *name, int format, double fs_hz,
                               int n_signals, long n_samples, int32_t *const *adu,
                               const eo_wfdb_signal_info *like, eo_error *err)
{
    return eo_wfdb_record_write_ex(dir, name, format, fs_hz, n_signals, n_samples, adu, like, NULL,
                                   err);
}

/* The parts of a source header that describe the recording, not its layout:
 * base time and date, counter frequency, comment lines (age, sex,
 * medication in MIT-BIH). */
static eo_status copy_meta(eo_wfdb_header *h, const eo_wfdb_header *meta, eo_error *err)
{
    snprintf(h->base_time, sizeof h->base_time, "%s", meta->base_time);
    snprintf(h->base_date, sizeof h->base_date, "%s", meta->base_date);
    h->counter_freq = meta->counter_freq;
    h->base_counter = meta->base_counter;
    if (meta->n_comments > 0) {
        h->comments = eo_calloc((size_t)meta->n_comments, sizeof *h->comments);
        if (!h->comments)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s.hea: out of memory", h->record_name);
        for (int i = 0; i < meta->n_comments; i++) {
            h->comments[i] = eo_strdup(meta->comments[i] ? meta->comments[i] : "");
            if (!h->comments[i])
                return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s.hea: out of memory",
                                    h->record_name);
            h->n_comments = i + 1;
        }
    }
    return EO_STATUS_OK;
}

eo_status eo_wfdb_record_write_ex(const char *dir, const char *name, int format, double fs_hz,
                                  int n_signals, long n_samples, int32_t *const *adu,
                                  const eo_wfdb_signal_info *like, const eo_wfdb_header *meta,
                                  eo_error *err)
{
    if (format != 16 && format != 212)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "record %s: can write formats 16 and 212, not %d", name, format);
    if (!(fs_hz > 0) || n_signals < 1 || n_signals > 4096 || n_samples < 0 || !adu || !name ||
        !*name || strlen(name) >= 60 || strchr(name, '/'))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "record %s: bad arguments (fs %g, %d signals, %ld samples)",
                            name ? name : "(null)", fs_hz, n_signals, n_samples);
    char hea_path[4200], dat_path[4200], dat_name[256];
    snprintf(dat_name, sizeof dat_name, "%s.dat", name);
    char hea_name[256];
    snprintf(hea_name, sizeof hea_name, "%s.hea", name);
    if (eo_path_join(hea_path, sizeof hea_path, dir, hea_name) ||
        eo_path_join(dat_path, sizeof dat_path, dir, dat_name))
        return eo_error_set(err, EO_STATUS_USAGE, "%s: output path too long", dir);

    eo_wfdb_header *h = eo_wfdb_header_alloc(n_signals);
    if (!h)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", hea_path);
    snprintf(h->record_name, sizeof h->record_name, "%s", name);
    h->fs_hz = fs_hz;
    h->n_samples = n_samples;
    if (meta) {
        eo_status mst = copy_meta(h, meta, err);
        if (mst) {
            eo_wfdb_header_destroy(h);
            return mst;
        }
    }
    int32_t lo = format == 212 ? -2048 : -32768, hi = format == 212 ? 2047 : 32767;
    for (int s = 0; s < n_signals; s++) {
        eo_wfdb_signal_info *si = &h->signals[s];
        if (like) {
            *si = like[s];
        } else {
            si->gain = EO_WFDB_DEFAULT_GAIN;
            si->gain_given = 1;
            si->baseline = 0;
            si->adc_zero = 0;
            strcpy(si->units, "mV");
        }
        snprintf(si->file_name, sizeof si->file_name, "%s", dat_name);
        si->format = format;
        si->samples_per_frame = 1;
        si->skew = 0;
        si->byte_offset = 0;
        si->block_size = 0;
        /* keep the source's ADC resolution (MIT-BIH: 11 bits in format 212)
         * when it fits the format; otherwise the format's width */
        int max_bits = format == 212 ? 12 : 16;
        if (!like || si->adc_resolution <= 0 || si->adc_resolution > max_bits)
            si->adc_resolution = max_bits;
        if (si->adc_zero < lo || si->adc_zero > hi)
            si->adc_zero = 0;
        /* the checksum and initial value are of the values as stored: a value
         * outside the format's range is clamped, EO_WFDB_INVALID becomes the
         * format's invalid code */
        int64_t sum = 0;
        for (long i = 0; i < n_samples; i++) {
            int32_t v = adu[s][i];
            if (v == EO_WFDB_INVALID)
                v = lo;
            v = v < lo ? lo : v > hi ? hi : v;
            sum += v;
            if (i == 0)
                si->initial_value = v;
        }
        if (n_samples == 0)
            si->initial_value = si->adc_zero;
        si->initial_value_given = 1;
        si->checksum = (int)(int16_t)(uint16_t)((uint64_t)sum & 0xffff);
        si->checksum_given = 1;
    }
    char *text = NULL;
    eo_status st = eo_wfdb_header_format(h, &text, err);
    eo_wfdb_header_destroy(h);
    if (st)
        return st;

    eo_atomic_file af;
    st = eo_atomic_open(&af, dat_path, err);
    if (st) {
        free(text);
        return st;
    }
    size_t nsamp = (size_t)WCHUNK * (size_t)n_signals;
    int32_t *tmp = eo_malloc(nsamp * sizeof *tmp);
    unsigned char *buf = eo_malloc((size_t)eo_wfdb_format_bytes(format, (int64_t)nsamp) + 8);
    if (!tmp || !buf) {
        free(tmp);
        free(buf);
        free(text);
        eo_atomic_abort(&af);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", dat_path);
    }
    for (long f0 = 0; f0 < n_samples; f0 += WCHUNK) {
        long nf = n_samples - f0 < WCHUNK ? n_samples - f0 : WCHUNK;
        for (long i = 0; i < nf; i++)
            for (int s = 0; s < n_signals; s++) {
                int32_t v = adu[s][f0 + i];
                tmp[(size_t)i * n_signals + s] = v == EO_WFDB_INVALID ? lo : v;
            }
        int64_t nb = eo_wfdb_encode(format, tmp, (int64_t)nf * n_signals, buf);
        if (fwrite(buf, 1, (size_t)nb, af.fp) != (size_t)nb) {
            free(tmp);
            free(buf);
            free(text);
            eo_atomic_abort(&af);
            return eo_error_set(err, EO_STATUS_IO, "%s: write failed", dat_path);
        }
    }
    free(tmp);
    free(buf);
    st = eo_atomic_commit(&af, err);
    if (st == EO_STATUS_OK)
        st = eo_write_file_atomic(hea_path, text, strlen(text), err);
    free(text);
    return st;
}

eo_status eo_wfdb_fit_format(int32_t *const *adu, int n_signals, long n_samples,
                             const eo_wfdb_signal_info *like, const char *what,
                             long first_sample, int *format, eo_error *err)
{
    int f = 212;
    for (int s = 0; s < n_signals && f == 212; s++) {
        if (like && like[s].format != 212)
            f = 16;
        for (long i = 0; i < n_samples && f == 212; i++)
            if (adu[s][i] < -2048 || adu[s][i] > 2047)
                f = 16;
    }
    for (int s = 0; s < n_signals && f == 16; s++)
        for (long i = 0; i < n_samples; i++)
            if (adu[s][i] < -32768 || adu[s][i] > 32767)
                return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                    "%s: signal %d: sample %ld does not fit a 16-bit record", what, s,
                                    first_sample + i);
    *format = f;
    return EO_STATUS_OK;
}
