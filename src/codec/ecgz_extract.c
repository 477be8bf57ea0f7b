/* A span of an .ecgz file decoded into a WFDB record (`ecgopt
 * decompress`): format 212 when every sample fits it and the original was
 * 212, else 16; the rest of the original header kept. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/codec_run.h"
#include "ecgopt/util.h"

static void free_adu(int32_t **adu, int ns)
{
    for (int s = 0; adu && s < ns; s++)
        free(adu[s]);
    free(adu);
}

/* The record with the rest of the original header: comment lines, counter
 * frequency, and the base time when the span starts at 0. */
static eo_status write_record(const eo_ecgz_info *info, const char *source, const char *dir, const char *name,
                              int32_t **adu, const eo_ecgz_extract *res, eo_error *err)
{
    int ns = res->n_signals;
    eo_wfdb_signal_info *like = eo_malloc(sizeof *like * (size_t)ns);
    if (!like)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", source);
    memcpy(like, info->signals, sizeof *like * (size_t)ns);
    for (int s = 0; s < ns; s++)
        like[s].format = res->format;
    eo_wfdb_header meta;
    memset(&meta, 0, sizeof meta);
    if (res->start == 0) {
        snprintf(meta.base_time, sizeof meta.base_time, "%s", info->base_time);
        snprintf(meta.base_date, sizeof meta.base_date, "%s", info->base_date);
        meta.counter_freq = info->counter_freq;
        meta.base_counter = info->base_counter;
    }
    eo_status st;
    if (eo_ecgz_header_comments(info, &meta))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", source);
    else
        st = eo_wfdb_record_write_ex(dir, name, res->format, info->fs_hz, ns, res->count, adu, like, &meta, err);
    for (int q = 0; q < meta.n_comments; q++)
        free(meta.comments[q]);
    free(meta.comments);
    free(like);
    return st;
}

eo_status eo_ecgz_extract_record(eo_ecgz *z, const char *source, double from_s, double to_s, const char *dir,
                                 const char *name, eo_ecgz_extract *res, eo_error *err)
{
    const eo_ecgz_info *info = eo_ecgz_get_info(z);
    memset(res, 0, sizeof *res);
    res->n_signals = info->n_signals;
    res->start = (long)floor(from_s * info->fs_hz + 0.5);
    long end = to_s < 0 ? info->n_samples : (long)floor(to_s * info->fs_hz + 0.5);
    if (end > info->n_samples)
        end = info->n_samples;
    res->count = end - res->start;
    if (res->count <= 0 || from_s < 0)
        return eo_error_set(err, EO_STATUS_USAGE, "--from %g --to %g selects no samples of %s (%.1f s)", from_s,
                            to_s, source, (double)info->n_samples / info->fs_hz);
    int32_t **adu = eo_calloc((size_t)res->n_signals, sizeof *adu);
    eo_status st = adu ? EO_STATUS_OK : EO_STATUS_NO_MEMORY;
    for (int s = 0; !st && s < res->n_signals; s++)
        if (!(adu[s] = eo_malloc(sizeof(int32_t) * (size_t)res->count)))
            st = EO_STATUS_NO_MEMORY;
    if (st) {
        free_adu(adu, res->n_signals);
        return eo_error_set(err, st, "%s: out of memory", source);
    }
    double t0 = eo_time_now();
    st = eo_ecgz_read(z, res->start, res->count, adu, err);
    res->decode_s = eo_time_now() - t0;
    if (!st)
        st = eo_wfdb_fit_format(adu, res->n_signals, res->count, info->signals, source, res->start, &res->format,
                                err);
    if (!st)
        st = write_record(info, source, dir, name, adu, res, err);
    free_adu(adu, res->n_signals);
    return st;
}

void eo_ecgz_extract_json(eo_json *j, const eo_ecgz *z, const eo_ecgz_extract *res, const char *input,
                          const char *output)
{
    const eo_ecgz_info *info = eo_ecgz_get_info(z);
    eo_json_kv_str(j, "input", input);
    eo_json_kv_str(j, "output", output);
    eo_json_kv_str(j, "mode", eo_codec_mode_name(info->mode));
    if (info->mode == EO_CODEC_AE)
        eo_json_kv_str(j, "model", info->model_embedded ? "embedded" : "file");
    eo_json_kv_int(j, "signals", res->n_signals);
    eo_json_kv_int(j, "start_sample", res->start);
    eo_json_kv_int(j, "samples", res->count);
    eo_json_kv_num(j, "fs_hz", info->fs_hz);
    eo_json_kv_int(j, "format", res->format);
    eo_json_kv_num(j, "decode_s", res->decode_s);
}
