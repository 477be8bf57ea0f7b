/* ecgopt resample — a WFDB record at another sampling rate (eo_resample,
 * polyphase FIR with a Kaiser anti-aliasing filter), with its annotation
 * files moved to the new sample grid (eo_resample_positions: the output
 * sample nearest in time).  Everything is computed before anything is
 * written, and a failed annotation write removes the record written, so a
 * failure leaves nothing behind. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ecgopt/json.h"
#include "ecgopt/resample.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"



#define MAX_ANN 16

static void usage(void)
{
    printf("usage: ecgopt resample RECORD --fs HZ -o OUTRECORD [--annotators A,B,...] [--json]\n"
           "\n"
           "Writes RECORD at HZ samples per second (100..10000) as the WFDB record\n"
           "OUTRECORD (format 16, the same gains, baselines, units and signal names),\n"
           "with every annotation file moved to the new grid: each annotation goes to\n"
           "the output sample nearest in time.  The rate change is the fraction HZ/fs\n"
           "(360 -> 128 Hz: 16/45), computed as scipy.signal.resample_poly does\n"
           "(Kaiser-windowed sinc, beta 5, about 54 dB anti-aliasing; ends extended\n"
           "with the first/last sample).  Invalid samples hold the last valid value.\n"
           "\n"
           "--fs HZ            the new sampling rate\n"
           "--annotators LIST  annotation files to move (default: atr, qrs, ecg, ann,\n"
           "                   those that exist); a named one that is missing is an error\n"
           "\n"
           "common options: --json (result as JSON on stdout)  --quiet  --data DIR\n"
           "example: ecgopt resample svdb/800 --fs 360 -o /tmp/800_360\n");
}

static void free_all(int32_t **adu, int ns, eo_annotation_set **ann, int na)
{
    if (adu)
        for (int s = 0; s < ns; s++)
            free(adu[s]);
    free(adu);
    for (int k = 0; k < na; k++)
        eo_annot_set_destroy(ann[k]);
}

int eo_cmd_resample(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "resample", &argc, argv))
        return 1;
    if (c.help) {
        usage();
        return 0;
    }
    const char *record = NULL, *ann_list = NULL;
    double fs_out = -1;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int r;
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--fs", &v)) != 0) {
            if (r < 0 || eo_cli_parse_double(&c, "--fs", v, 100, 10000, &fs_out))
                return 1;
            continue;
        }
        if ((r = eo_cli_take_value(&c, argc, argv, &i, "--annotators", &v)) != 0) {
            if (r < 0)
                return 1;
            ann_list = v;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return eo_cli_usage(&c, "unknown option '%s'", argv[i]);
        if (record)
            return eo_cli_usage(&c, "more than one RECORD ('%s' and '%s')", record, argv[i]);
        record = argv[i];
    }
    if (!record)
        return eo_cli_usage(&c, "needs a RECORD");
    if (fs_out < 0)
        return eo_cli_usage(&c, "needs --fs HZ");
    if (!(fs_out >= EO_CLI_FS_MIN && fs_out <= EO_CLI_FS_MAX))
        return eo_cli_usage(&c, "--fs %g Hz is outside %g..%g Hz", fs_out, EO_CLI_FS_MIN, EO_CLI_FS_MAX);
    if (!c.out)
        return eo_cli_usage(&c, "needs -o OUTRECORD");
    char outdir[4096], outname[256];
    if (eo_cli_split_record(c.out, outdir, sizeof outdir, outname, sizeof outname))
        return eo_cli_usage(&c, "-o %s is not a record path", c.out);

    /* annotators: named, or the usual ones that exist */
    char names[MAX_ANN][32];
    int n_names = 0, named = ann_list != NULL;
    const char *dflt = "atr,qrs,ecg,ann";
    const char *p = ann_list ? ann_list : dflt;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof names[0] || n_names == MAX_ANN)
            return eo_cli_usage(&c, "--annotators %s: names of 1..31 characters, at most %d",
                                ann_list, MAX_ANN);
        memcpy(names[n_names], p, len);
        names[n_names++][len] = 0;
        p += len;
        if (*p == ',')
            p++;
    }

    eo_error err;
    char base[4096];
    eo_status st = eo_data_find_record(c.data_dir, record, "hea", base, sizeof base, &err);
    if (st)
        return eo_cli_fail(&c, &err);
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c.verify;
    eo_wfdb_record *rec = NULL;
    st = eo_wfdb_record_load(base, &ro, &rec, &err);
    if (st)
        return eo_cli_fail(&c, &err);
    const double fs_in = rec->fs_hz;
    const int ns = rec->n_signals;
    const long n = rec->n_samples;
    long up = 1, down = 1;
    size_t n_out = 0;
    st = eo_resample_factors(fs_in, fs_out, &up, &down, &err);
    if (!st)
        st = eo_resample_length((size_t)n, fs_in, fs_out, &n_out, &err);
    if (st) {
        eo_error_prefix(&err, "%s", record);
        eo_wfdb_record_destroy(rec);
        return eo_cli_fail(&c, &err);
    }

    /* the signals, in ADU (resampling is linear, so gain and baseline are
     * kept exactly, uncalibrated signals (gain 0) included) */
    int32_t **adu = calloc((size_t)ns, sizeof *adu);
    double *x = malloc(((size_t)n + 1) * sizeof *x);
    eo_wfdb_signal_info *like = calloc((size_t)ns, sizeof *like);
    eo_annotation_set *ann[MAX_ANN] = {0};
    const char *ann_name[MAX_ANN];
    int n_ann = 0;
    if (!adu || !x || !like)
        st = eo_error_set(&err, EO_STATUS_NO_MEMORY, "%s: out of memory (%ld samples)", record, n);
    for (int s = 0; !st && s < ns; s++) {
        like[s] = rec->header->signals[s];
        long first = 0;
        while (first < n && rec->adu[s][first] == EO_WFDB_INVALID)
            first++;
        double hold = first < n ? (double)rec->adu[s][first] : 0.0;
        for (long i = 0; i < n; i++) {
            int32_t v = rec->adu[s][i];
            if (v != EO_WFDB_INVALID)
                hold = (double)v;
            x[i] = hold;
        }
        double *y = NULL;
        size_t ny = 0;
        st = eo_resample(x, (size_t)n, fs_in, fs_out, &y, &ny, &err);
        if (st) {
            eo_error_prefix(&err, "%s: signal %d", record, s);
            break;
        }
        adu[s] = malloc((ny ? ny : 1) * sizeof **adu);
        if (!adu[s]) {
            free(y);
            st = eo_error_set(&err, EO_STATUS_NO_MEMORY, "%s: out of memory", record);
            break;
        }
        for (size_t i = 0; i < ny; i++) {
            double a = floor(y[i] + 0.5);
            adu[s][i] = (int32_t)(a > 32767 ? 32767 : a < -32767 ? -32767 : a);
        }
        free(y);
    }
    free(x);

    /* the annotations, moved */
    for (int k = 0; !st && k < n_names; k++) {
        char path[4200];
        snprintf(path, sizeof path, "%s.%s", base, names[k]);
        if (access(path, F_OK) != 0) {
            if (named)
                st = eo_error_set(&err, EO_STATUS_NOT_FOUND, "%s: no annotation file", path);
            continue;
        }
        eo_annotation_set *a = NULL;
        st = eo_annot_read(path, &a, &err);
        if (st)
            break;
        ann[n_ann] = a;
        ann_name[n_ann++] = names[k];
        long *pos = malloc((a->n + 1) * sizeof *pos);
        if (!pos) {
            st = eo_error_set(&err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
            break;
        }
        for (size_t i = 0; i < a->n; i++)
            pos[i] = a->items[i].sample;
        st = eo_resample_positions(pos, a->n, fs_in, fs_out, (long)n_out, pos, &err);
        if (st)
            eo_error_prefix(&err, "%s", path);
        for (size_t i = 0; !st && i < a->n; i++)
            a->items[i].sample = pos[i];
        free(pos);
    }

    /* write: the record, then each annotation file; any failure removes
     * what was written */
    if (!st)
        st = eo_wfdb_record_write(outdir, outname, 16, fs_out, ns, (long)n_out, adu, like, &err);
    int written = 0;
    char out_base[4400];
    snprintf(out_base, sizeof out_base, "%s/%s", outdir, outname);
    for (int k = 0; !st && k < n_ann; k++) {
        char path[4500];
        snprintf(path, sizeof path, "%s.%s", out_base, ann_name[k]);
        st = eo_annot_write(path, ann[k], &err);
        if (!st)
            written++;
    }
    if (st && (written > 0 || n_ann > 0)) {
        char path[4500];
        snprintf(path, sizeof path, "%s.hea", out_base);
        remove(path);
        snprintf(path, sizeof path, "%s.dat", out_base);
        remove(path);
        for (int k = 0; k < written; k++) {
            snprintf(path, sizeof path, "%s.%s", out_base, ann_name[k]);
            remove(path);
        }
    }
    int rc = 0;
    if (st) {
        rc = eo_cli_fail(&c, &err);
    } else if (c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "record", record);
        eo_json_kv_str(&j, "output", out_base);
        eo_json_kv_num(&j, "fs_in_hz", fs_in);
        eo_json_kv_num(&j, "fs_out_hz", fs_out);
        eo_json_kv_int(&j, "up", up);
        eo_json_kv_int(&j, "down", down);
        eo_json_kv_int(&j, "samples_in", n);
        eo_json_kv_int(&j, "samples_out", (long long)n_out);
        eo_json_key(&j, "annotations");
        eo_json_arr_begin(&j);
        for (int k = 0; k < n_ann; k++) {
            eo_json_obj_begin(&j);
            eo_json_kv_str(&j, "annotator", ann_name[k]);
            eo_json_kv_int(&j, "count", (long long)ann[k]->n);
            eo_json_obj_end(&j);
        }
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
        fputc('\n', stdout);
    } else {
        printf("%s: %ld samples at %g Hz -> %zu at %g Hz (x %ld/%ld), %d signal(s) -> %s\n", record,
               n, fs_in, n_out, fs_out, up, down, ns, out_base);
        for (int k = 0; k < n_ann; k++)
            printf("  %s: %zu annotations moved to the new grid\n", ann_name[k], ann[k]->n);
    }
    free_all(adu, ns, ann, n_ann);
    free(like);
    eo_wfdb_record_destroy(rec);
    return rc;
}
