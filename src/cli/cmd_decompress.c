/* ecgopt decompress — .ecgz file back to a WFDB record (format 16 unless
 * every sample fits format 212 and the original was 212). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/codec.h"
#include "ecgopt/json.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

int eo_cmd_decompress(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "decompress", &argc, argv))
        return c.rc;
    const char *in = NULL;
    const char *model = NULL;
    double from_s = 0, to_s = -1;
    const eo_cli_opt opts[] = {
        EO_OPT_SPAN(&from_s, &to_s),
        {"--model", EO_OPT_STR, &model, 0, 0, "M.eom", "the autoencoder an ae file was made with (unless embedded)", NULL},
        EO_OPT_TABLE_END};
    if (c.help) {
        eo_cli_spec spec = {
            "decompress IN.ecgz -o OUTRECORD [--from S] [--to S] [--model M.eom]",
            "Writes OUTRECORD.hea and OUTRECORD.dat (WFDB) with the original header's comment\n"
            "lines.  --from/--to decode only the blocks that overlap that span.  Every\n"
            "block's CRC32 is checked; a damaged file gives an error naming the block.\n"
            "Autoencoder (ae) files need --model, the model they were made with (checked by\n"
            "its SHA-256), unless the file embeds it (compress --embed-model).  A name beside\n"
            "which annotation files exist is refused without --force.\n",
            opts, "ecgopt decompress 100.ecgz -o /tmp/100d --from 60 --to 120\n", NULL};
        eo_cli_help(&c, &spec);
        return 0;
    }
    if (eo_cli_parse(&c, opts, argc, argv, &in, 1, NULL, "input"))
        return 1;
    if (!in)
        return eo_cli_usage(&c, "needs an input .ecgz file");
    if (!c.out)
        return eo_cli_usage(&c, "needs -o OUTRECORD");
    char outdir[4096], outname[256];
    eo_error err;
    /* never over another record's annotations or files, checked before the work */
    if (eo_cli_output_record(&c, c.out, NULL, outdir, sizeof outdir, outname, sizeof outname, &err))
        return eo_cli_fail(&c, &err);
    eo_ecgz *z = NULL;
    eo_status st = eo_ecgz_open(in, &z, &err);
    if (st)
        return eo_cli_fail(&c, &err);
    const eo_ecgz_info *info = eo_ecgz_get_info(z);
    eo_codec_ae *ae = NULL;
    if (model) {
        st = eo_codec_ae_load(model, &ae, &err);
        if (!st)
            st = eo_ecgz_set_ae_model(z, ae, &err);
        if (st) {
            eo_ecgz_close(z);
            eo_codec_ae_destroy(ae);
            return eo_cli_fail(&c, &err);
        }
    }
    long start = (long)floor(from_s * info->fs_hz + 0.5);
    long end = to_s < 0 ? info->n_samples : (long)floor(to_s * info->fs_hz + 0.5);
    if (end > info->n_samples)
        end = info->n_samples;
    if (from_s < 0 || start >= end) {
        double len_s = (double)info->n_samples / info->fs_hz;
        eo_ecgz_close(z);
        eo_codec_ae_destroy(ae);
        return eo_cli_usage(&c, "--from %g --to %g selects no samples of %s (%.1f s)", from_s,
                            to_s, in, len_s);
    }
    long count = end - start;
    int ns = info->n_signals;
    int32_t **adu = calloc((size_t)ns, sizeof *adu);
    int ok = adu != NULL;
    for (int s = 0; ok && s < ns; s++)
        ok = (adu[s] = malloc(sizeof(int32_t) * (size_t)count)) != NULL;
    double t0 = eo_time_now();
    if (!ok)
        st = eo_error_set(&err, EO_STATUS_NO_MEMORY, "%s: out of memory", in);
    else
        st = eo_ecgz_read(z, start, count, adu, &err);
    double t_dec = eo_time_now() - t0;
    int format = 212;
    if (!st) {
        for (int s = 0; s < ns && format == 212; s++) {
            if (info->signals[s].format != 212)
                format = 16;
            for (long i = 0; i < count; i++)
                if (adu[s][i] < -2048 || adu[s][i] > 2047) {
                    format = 16;
                    break;
                }
        }
        for (int s = 0; s < ns && format == 16; s++)
            for (long i = 0; i < count; i++)
                if (adu[s][i] < -32768 || adu[s][i] > 32767) {
                    st = eo_error_set(&err, EO_STATUS_OUT_OF_RANGE,
                                      "%s: signal %d: sample %ld does not fit a 16-bit record", in,
                                      s, start + i);
                    break;
                }
    }
    if (!st) {
        eo_wfdb_signal_info *like = malloc(sizeof *like * (size_t)ns);
        if (!like) {
            st = eo_error_set(&err, EO_STATUS_NO_MEMORY, "%s: out of memory", in);
        } else {
            memcpy(like, info->signals, sizeof *like * (size_t)ns);
            for (int s = 0; s < ns; s++)
                like[s].format = format;
            /* the rest of the original header: comment lines, counter
             * frequency, and the base time when the span starts at 0 */
            eo_wfdb_header meta;
            memset(&meta, 0, sizeof meta);
            if (start == 0) {
                snprintf(meta.base_time, sizeof meta.base_time, "%s", info->base_time);
                snprintf(meta.base_date, sizeof meta.base_date, "%s", info->base_date);
                meta.counter_freq = info->counter_freq;
                meta.base_counter = info->base_counter;
            }
            if (eo_ecgz_header_comments(info, &meta))
                st = eo_error_set(&err, EO_STATUS_NO_MEMORY, "%s: out of memory", in);
            else
                st = eo_wfdb_record_write_ex(outdir, outname, format, info->fs_hz, ns, count, adu,
                                             like, &meta, &err);
            for (int q = 0; q < meta.n_comments; q++)
                free(meta.comments[q]);
            free(meta.comments);
            free(like);
        }
    }
    if (!st) {
        if (c.json) {
            eo_json j;
            eo_json_init(&j, stdout);
            eo_json_obj_begin(&j);
            eo_json_kv_str(&j, "input", in);
            eo_json_kv_str(&j, "output", c.out);
            eo_json_kv_str(&j, "mode", eo_codec_mode_name(info->mode));
            if (info->mode == EO_CODEC_AE)
                eo_json_kv_str(&j, "model", info->model_embedded ? "embedded" : "file");
            eo_json_kv_int(&j, "signals", ns);
            eo_json_kv_int(&j, "start_sample", start);
            eo_json_kv_int(&j, "samples", count);
            eo_json_kv_num(&j, "fs_hz", info->fs_hz);
            eo_json_kv_int(&j, "format", format);
            eo_json_kv_num(&j, "decode_s", t_dec);
            eo_json_obj_end(&j);
        } else if (!c.quiet) {
            printf("%s -> %s: %s, %d signals x %ld samples (from sample %ld), format %d, %.2f s\n",
                   in, c.out, eo_codec_mode_name(info->mode), ns, count, start, format, t_dec);
        }
    }
    if (adu)
        for (int s = 0; s < ns; s++)
            free(adu[s]);
    free(adu);
    eo_ecgz_close(z);
    eo_codec_ae_destroy(ae);
    return st ? eo_cli_fail(&c, &err) : 0;
}
