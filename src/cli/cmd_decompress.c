/* ecgopt decompress — .ecgz file back to a WFDB record (the work is
 * eo_ecgz_extract_record, ecgopt/codec_run.h). */
#include "cli_args.h"
#include "ecgopt/codec_run.h"

static const eo_cli_spec SPEC = {
    "decompress IN.ecgz -o OUTRECORD [--from S] [--to S] [--model M.eom]",
    "Writes OUTRECORD.hea and OUTRECORD.dat (WFDB) with the original header's comment\n"
    "lines.  --from/--to decode only the blocks that overlap that span.  Every\n"
    "block's CRC32 is checked; a damaged file gives an error naming the block.\n"
    "Autoencoder (ae) files need --model, the model they were made with (checked by\n"
    "its SHA-256), unless the file embeds it (compress --embed-model).  A name beside\n"
    "which annotation files exist is refused without --force.\n",
    NULL, "ecgopt decompress 100.ecgz -o /tmp/100d --from 60 --to 120\n", NULL};

int eo_cmd_decompress(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "decompress", &argc, argv))
        return c.rc;
    const char *in = NULL, *model = NULL;
    double from_s = 0, to_s = -1;
    const eo_cli_opt opts[] = {
        EO_OPT_SPAN(&from_s, &to_s),
        {"--model", EO_OPT_STR, &model, 0, 0, "M.eom", "the autoencoder an ae file was made with (unless embedded)", NULL},
        EO_OPT_TABLE_END};
    int prc = eo_cli_args(&c, &SPEC, opts, argc, argv, &in, "input", "needs an input .ecgz file", "needs -o OUTRECORD");
    if (prc >= 0)
        return prc;
    char outdir[4096], outname[256];
    eo_error err;
    eo_ecgz *z = NULL;
    eo_codec_ae *ae = NULL;
    eo_ecgz_extract res;
    /* never over another record's annotations or files, checked before the work */
    eo_status st = eo_cli_output_record(&c, c.out, NULL, outdir, sizeof outdir, outname, sizeof outname, &err);
    if (!st)
        st = eo_ecgz_open(in, &z, &err);
    if (!st && model)
        st = eo_codec_ae_load(model, &ae, &err);
    if (!st && ae)
        st = eo_ecgz_set_ae_model(z, ae, &err);
    if (!st)
        st = eo_ecgz_extract_record(z, in, from_s, to_s, outdir, outname, &res, &err);
    int rc = st == EO_STATUS_USAGE ? eo_cli_usage(&c, "%s", err.msg) : st ? eo_cli_fail(&c, &err) : 0;
    if (!st && c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_ecgz_extract_json(&j, z, &res, in, c.out);
        eo_json_obj_end(&j);
    } else if (!st && !c.quiet) {
        printf("%s -> %s: %s, %d signals x %ld samples (from sample %ld), format %d, %.2f s\n", in, c.out,
               eo_codec_mode_name(eo_ecgz_get_info(z)->mode), res.n_signals, res.count, res.start, res.format,
               res.decode_s);
    }
    eo_ecgz_close(z);
    eo_codec_ae_destroy(ae);
    return rc;
}
