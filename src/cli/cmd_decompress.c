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

static const eo_cli_spec SPEC = {
    "decompress IN.ecgz -o OUTRECORD [--from S] [--to S] [--model M.eom]",
    "Writes OUTRECORD.hea and OUTRECORD.dat (WFDB) with the original header's comment\n"
    "lines.  --from/--to decode only the blocks that overlap that span.  Every\n"
    "block's CRC32 is checked; a damaged file gives an error naming the block.\n"
    "Autoencoder (ae) files need --model, the model they were made with (checked by\n"
    "its SHA-256), unless the file embeds it (compress --embed-model).  A name beside\n"
    "which annotation files exist is refused without --force.\n",
    NULL, "ecgopt decompress 100.ecgz -o /tmp/100d --from 60 --to 120\n", NULL};

/* The decoded span: samples [start, start + count) of every signal. */
typedef struct span {
    long start, count;
    int ns, format;
    int32_t **adu;
    double t_dec;
} span;

static void span_free(span *sp)
{
    if (sp->adu)
        for (int s = 0; s < sp->ns; s++)
            free(sp->adu[s]);
    free(sp->adu);
}

static eo_status decode_span(eo_ecgz *z, const char *in, span *sp, eo_error *err)
{
    const eo_ecgz_info *info = eo_ecgz_get_info(z);
    sp->ns = info->n_signals;
    sp->adu = calloc((size_t)sp->ns, sizeof *sp->adu);
    int ok = sp->adu != NULL;
    for (int s = 0; ok && s < sp->ns; s++)
        ok = (sp->adu[s] = malloc(sizeof(int32_t) * (size_t)sp->count)) != NULL;
    if (!ok)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", in);
    double t0 = eo_time_now();
    eo_status st = eo_ecgz_read(z, sp->start, sp->count, sp->adu, err);
    sp->t_dec = eo_time_now() - t0;
    if (!st)
        st = eo_wfdb_fit_format(sp->adu, sp->ns, sp->count, info->signals, in, sp->start, &sp->format, err);
    return st;
}

/* The record with the rest of the original header: comment lines, counter
 * frequency, and the base time when the span starts at 0. */
static eo_status write_record(const eo_ecgz_info *info, const char *in, const char *outdir,
                              const char *outname, const span *sp, eo_error *err)
{
    eo_wfdb_signal_info *like = malloc(sizeof *like * (size_t)sp->ns);
    if (!like)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", in);
    memcpy(like, info->signals, sizeof *like * (size_t)sp->ns);
    for (int s = 0; s < sp->ns; s++)
        like[s].format = sp->format;
    eo_wfdb_header meta;
    memset(&meta, 0, sizeof meta);
    if (sp->start == 0) {
        snprintf(meta.base_time, sizeof meta.base_time, "%s", info->base_time);
        snprintf(meta.base_date, sizeof meta.base_date, "%s", info->base_date);
        meta.counter_freq = info->counter_freq;
        meta.base_counter = info->base_counter;
    }
    eo_status st;
    if (eo_ecgz_header_comments(info, &meta))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", in);
    else
        st = eo_wfdb_record_write_ex(outdir, outname, sp->format, info->fs_hz, sp->ns, sp->count, sp->adu,
                                     like, &meta, err);
    for (int q = 0; q < meta.n_comments; q++)
        free(meta.comments[q]);
    free(meta.comments);
    free(like);
    return st;
}

static void print_result(const eo_cli *c, const char *in, const eo_ecgz_info *info, const span *sp)
{
    if (c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "input", in);
        eo_json_kv_str(&j, "output", c->out);
        eo_json_kv_str(&j, "mode", eo_codec_mode_name(info->mode));
        if (info->mode == EO_CODEC_AE)
            eo_json_kv_str(&j, "model", info->model_embedded ? "embedded" : "file");
        eo_json_kv_int(&j, "signals", sp->ns);
        eo_json_kv_int(&j, "start_sample", sp->start);
        eo_json_kv_int(&j, "samples", sp->count);
        eo_json_kv_num(&j, "fs_hz", info->fs_hz);
        eo_json_kv_int(&j, "format", sp->format);
        eo_json_kv_num(&j, "decode_s", sp->t_dec);
        eo_json_obj_end(&j);
    } else if (!c->quiet) {
        printf("%s -> %s: %s, %d signals x %ld samples (from sample %ld), format %d, %.2f s\n",
               in, c->out, eo_codec_mode_name(info->mode), sp->ns, sp->count, sp->start, sp->format,
               sp->t_dec);
    }
}

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
    int prc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, &in, 1, NULL, "input");
    if (prc >= 0)
        return prc;
    if (!in)
        return eo_cli_usage(&c, "needs an input .ecgz file");
    if (!c.out)
        return eo_cli_usage(&c, "needs -o OUTRECORD");
    char outdir[4096], outname[256];
    eo_error err;
    eo_ecgz *z = NULL;
    eo_codec_ae *ae = NULL;
    /* never over another record's annotations or files, checked before the work */
    eo_status st = eo_cli_output_record(&c, c.out, NULL, outdir, sizeof outdir, outname, sizeof outname, &err);
    if (!st)
        st = eo_ecgz_open(in, &z, &err);
    if (!st && model) {
        st = eo_codec_ae_load(model, &ae, &err);
        if (!st)
            st = eo_ecgz_set_ae_model(z, ae, &err);
    }
    int rc = st ? eo_cli_fail(&c, &err) : 0;
    span sp;
    memset(&sp, 0, sizeof sp);
    const eo_ecgz_info *info = z ? eo_ecgz_get_info(z) : NULL;
    if (!rc) {
        sp.start = (long)floor(from_s * info->fs_hz + 0.5);
        long end = to_s < 0 ? info->n_samples : (long)floor(to_s * info->fs_hz + 0.5);
        if (end > info->n_samples)
            end = info->n_samples;
        sp.count = end - sp.start;
        if (sp.count <= 0)
            rc = eo_cli_usage(&c, "--from %g --to %g selects no samples of %s (%.1f s)", from_s, to_s, in,
                              (double)info->n_samples / info->fs_hz);
    }
    if (!rc) {
        st = decode_span(z, in, &sp, &err);
        if (!st)
            st = write_record(info, in, outdir, outname, &sp, &err);
        if (!st)
            print_result(&c, in, info, &sp);
        else
            rc = eo_cli_fail(&c, &err);
    }
    span_free(&sp);
    eo_ecgz_close(z);
    eo_codec_ae_destroy(ae);
    return rc;
}
