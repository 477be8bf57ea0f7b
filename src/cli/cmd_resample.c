/* ecgopt resample — a WFDB record at another sampling rate with its
 * annotation files moved to the new grid; the work is eo_resample_record
 * (ecgopt/resample_record.h). */
#include "cli_args.h"
#include "ecgopt/resample_record.h"

static const eo_cli_spec SPEC = {
    "resample RECORD --fs HZ -o OUTRECORD [--from S] [--to S] [--annotators A,B,...]",
    "Writes RECORD at HZ samples per second (100..10000) as the WFDB record\n"
    "OUTRECORD (format 16, the same gains, baselines, units and signal names),\n"
    "with every annotation file moved to the new grid: each annotation goes to\n"
    "the output sample nearest in time.  The rate change is the fraction HZ/fs\n"
    "(360 -> 128 Hz: 16/45), computed as scipy.signal.resample_poly does\n"
    "(Kaiser-windowed sinc, beta 5, about 54 dB anti-aliasing; ends extended\n"
    "with the first/last sample).  Invalid samples hold the last valid value.\n"
    "With --from/--to the output is that span as a record of its own (its sample 0\n"
    "is the span's first sample) with the annotations inside it moved to its grid.\n",
    NULL,
    "ecgopt resample svdb/800 --fs 360 -o /tmp/800_360\n"
    "ecgopt resample mitdb/100 --fs 128 --from 60 --to 120 -o /tmp/100_128_1min\n",
    NULL};

int eo_cmd_resample(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "resample", &argc, argv))
        return c.rc;
    const char *record = NULL;
    eo_resample_record_options o;
    eo_resample_record_defaults(&o);
    o.fs_out = -1;
    const eo_cli_opt opts[] = {
        {"--fs", EO_OPT_DOUBLE, &o.fs_out, EO_CLI_FS_MIN, EO_CLI_FS_MAX, "HZ", "the new sampling rate", NULL},
        EO_OPT_SPAN(&o.from_s, &o.to_s),
        {"--annotators", EO_OPT_STR, &o.annotators, 0, 0, "LIST",
         "annotation files to move (default: atr, qrs, ecg, ann, those that exist);\n"
         "a named one that is missing is an error", NULL},
        EO_OPT_TABLE_END};
    int rc = eo_cli_args(&c, &SPEC, opts, argc, argv, &record, "RECORD", "needs a RECORD", NULL);
    if (rc >= 0)
        return rc;
    char dir[4096], name[256], out[4400];
    if (o.fs_out < 0)
        return eo_cli_usage(&c, "needs --fs HZ");
    if (!c.out)
        return eo_cli_usage(&c, "needs -o OUTRECORD");
    if (eo_cli_split_record(c.out, dir, sizeof dir, name, sizeof name))
        return eo_cli_usage(&c, "-o %s is not a record path", c.out);
    snprintf(out, sizeof out, "%s/%s", dir, name);
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c.verify;
    eo_resampled r;
    eo_error err;
    eo_status st = eo_resample_record_run(c.data_dir, record, &ro, &o, &r, &err);
    if (!st)
        st = eo_resampled_write(&r, dir, name, &err);
    rc = st == EO_STATUS_USAGE ? eo_cli_usage(&c, "%s", err.msg) : st ? eo_cli_fail(&c, &err) : 0;
    if (!st && c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_resampled_json(&j, &r, record, out);
        eo_json_obj_end(&j);
        fputc('\n', stdout);
    } else if (!st) {
        if (r.start > 0 || o.to_s >= 0)
            printf("%s: the span from sample %ld\n", record, r.start);
        printf("%s: %ld samples at %g Hz -> %zu at %g Hz (x %ld/%ld), %d signal(s) -> %s\n", record, r.n_in,
               r.fs_in, r.n_out, r.fs_out, r.up, r.down, r.n_signals, out);
        for (int k = 0; k < r.n_ann; k++)
            printf("  %s: %zu annotations moved to the new grid\n", r.ann_name[k], r.ann[k]->n);
    }
    eo_resampled_free(&r);
    return rc;
}
