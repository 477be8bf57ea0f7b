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

/* what one run works with: the options, the record read and what is
 * computed from it before anything is written */
typedef struct {
    const char *record, *ann_list;
    double fs_out;
    char outdir[4096], outname[256], out_base[4400];
    char names[MAX_ANN][32];
    int n_names, named;
    char base[4096];
    eo_wfdb_record *rec;
    double fs_in;
    int ns;
    long n, up, down;
    size_t n_out;
    int32_t **adu;
    eo_wfdb_signal_info *like;
    eo_annotation_set *ann[MAX_ANN];
    const char *ann_name[MAX_ANN];
    int n_ann;
} resample_run;

/* 0, or the exit code of a usage error already reported */
static int parse_args(eo_cli *c, int argc, char **argv, resample_run *r)
{
    r->fs_out = -1;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int t;
        if ((t = eo_cli_take_value(c, argc, argv, &i, "--fs", &v)) != 0) {
            if (t < 0 || eo_cli_parse_double(c, "--fs", v, 100, 10000, &r->fs_out))
                return 1;
            continue;
        }
        if ((t = eo_cli_take_value(c, argc, argv, &i, "--annotators", &v)) != 0) {
            if (t < 0)
                return 1;
            r->ann_list = v;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return eo_cli_usage(c, "unknown option '%s'", argv[i]);
        if (r->record)
            return eo_cli_usage(c, "more than one RECORD ('%s' and '%s')", r->record, argv[i]);
        r->record = argv[i];
    }
    if (!r->record)
        return eo_cli_usage(c, "needs a RECORD");
    if (r->fs_out < 0)
        return eo_cli_usage(c, "needs --fs HZ");
    if (!(r->fs_out >= EO_CLI_FS_MIN && r->fs_out <= EO_CLI_FS_MAX))
        return eo_cli_usage(c, "--fs %g Hz is outside %g..%g Hz", r->fs_out, EO_CLI_FS_MIN,
                            EO_CLI_FS_MAX);
    if (!c->out)
        return eo_cli_usage(c, "needs -o OUTRECORD");
    if (eo_cli_split_record(c->out, r->outdir, sizeof r->outdir, r->outname, sizeof r->outname))
        return eo_cli_usage(c, "-o %s is not a record path", c->out);

    /* annotators: named, or the usual ones that exist */
    r->named = r->ann_list != NULL;
    const char *dflt = "atr,qrs,ecg,ann";
    const char *p = r->ann_list ? r->ann_list : dflt;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= sizeof r->names[0] || r->n_names == MAX_ANN)
            return eo_cli_usage(c, "--annotators %s: names of 1..31 characters, at most %d",
                                r->ann_list, MAX_ANN);
        memcpy(r->names[r->n_names], p, len);
        r->names[r->n_names++][len] = 0;
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* the signals, in ADU (resampling is linear, so gain and baseline are
 * kept exactly, uncalibrated signals (gain 0) included) */
static eo_status resample_signals(resample_run *r, eo_error *err)
{
    const eo_wfdb_record *rec = r->rec;
    const long n = r->n;
    eo_status st = EO_STATUS_OK;
    r->adu = calloc((size_t)r->ns, sizeof *r->adu);
    double *x = malloc(((size_t)n + 1) * sizeof *x);
    r->like = calloc((size_t)r->ns, sizeof *r->like);
    if (!r->adu || !x || !r->like)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory (%ld samples)", r->record, n);
    for (int s = 0; !st && s < r->ns; s++) {
        r->like[s] = rec->header->signals[s];
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
        st = eo_resample(x, (size_t)n, r->fs_in, r->fs_out, &y, &ny, err);
        if (st) {
            eo_error_prefix(err, "%s: signal %d", r->record, s);
            break;
        }
        r->adu[s] = malloc((ny ? ny : 1) * sizeof **r->adu);
        if (!r->adu[s]) {
            free(y);
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", r->record);
            break;
        }
        for (size_t i = 0; i < ny; i++) {
            double a = floor(y[i] + 0.5);
            r->adu[s][i] = (int32_t)(a > 32767 ? 32767 : a < -32767 ? -32767 : a);
        }
        free(y);
    }
    free(x);
    return st;
}

/* the annotations, moved */
static eo_status move_annotations(resample_run *r, eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    for (int k = 0; !st && k < r->n_names; k++) {
        char path[4200];
        snprintf(path, sizeof path, "%s.%s", r->base, r->names[k]);
        if (access(path, F_OK) != 0) {
            if (r->named)
                st = eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: no annotation file", path);
            continue;
        }
        eo_annotation_set *a = NULL;
        st = eo_annot_read(path, &a, err);
        if (st)
            break;
        r->ann[r->n_ann] = a;
        r->ann_name[r->n_ann++] = r->names[k];
        long *pos = malloc((a->n + 1) * sizeof *pos);
        if (!pos) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
            break;
        }
        for (size_t i = 0; i < a->n; i++)
            pos[i] = a->items[i].sample;
        st = eo_resample_positions(pos, a->n, r->fs_in, r->fs_out, (long)r->n_out, pos, err);
        if (st)
            eo_error_prefix(err, "%s", path);
        for (size_t i = 0; !st && i < a->n; i++)
            a->items[i].sample = pos[i];
        free(pos);
    }
    return st;
}

/* write: the record, then each annotation file; any failure removes
 * what was written */
static eo_status write_outputs(resample_run *r, eo_status st, eo_error *err)
{
    if (!st)
        st = eo_wfdb_record_write(r->outdir, r->outname, 16, r->fs_out, r->ns, (long)r->n_out,
                                  r->adu, r->like, err);
    int written = 0;
    snprintf(r->out_base, sizeof r->out_base, "%s/%s", r->outdir, r->outname);
    for (int k = 0; !st && k < r->n_ann; k++) {
        char path[4500];
        snprintf(path, sizeof path, "%s.%s", r->out_base, r->ann_name[k]);
        st = eo_annot_write(path, r->ann[k], err);
        if (!st)
            written++;
    }
    if (st && (written > 0 || r->n_ann > 0)) {
        char path[4500];
        snprintf(path, sizeof path, "%s.hea", r->out_base);
        remove(path);
        snprintf(path, sizeof path, "%s.dat", r->out_base);
        remove(path);
        for (int k = 0; k < written; k++) {
            snprintf(path, sizeof path, "%s.%s", r->out_base, r->ann_name[k]);
            remove(path);
        }
    }
    return st;
}

static void print_json(const resample_run *r)
{
    eo_json j;
    eo_json_init(&j, stdout);
    eo_json_obj_begin(&j);
    eo_json_kv_str(&j, "record", r->record);
    eo_json_kv_str(&j, "output", r->out_base);
    eo_json_kv_num(&j, "fs_in_hz", r->fs_in);
    eo_json_kv_num(&j, "fs_out_hz", r->fs_out);
    eo_json_kv_int(&j, "up", r->up);
    eo_json_kv_int(&j, "down", r->down);
    eo_json_kv_int(&j, "samples_in", r->n);
    eo_json_kv_int(&j, "samples_out", (long long)r->n_out);
    eo_json_key(&j, "annotations");
    eo_json_arr_begin(&j);
    for (int k = 0; k < r->n_ann; k++) {
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "annotator", r->ann_name[k]);
        eo_json_kv_int(&j, "count", (long long)r->ann[k]->n);
        eo_json_obj_end(&j);
    }
    eo_json_arr_end(&j);
    eo_json_obj_end(&j);
    fputc('\n', stdout);
}

static void print_text(const resample_run *r)
{
    printf("%s: %ld samples at %g Hz -> %zu at %g Hz (x %ld/%ld), %d signal(s) -> %s\n", r->record,
           r->n, r->fs_in, r->n_out, r->fs_out, r->up, r->down, r->ns, r->out_base);
    for (int k = 0; k < r->n_ann; k++)
        printf("  %s: %zu annotations moved to the new grid\n", r->ann_name[k], r->ann[k]->n);
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
    resample_run *r = calloc(1, sizeof *r);
    if (!r) {
        fprintf(stderr, "ecgopt resample: out of memory\n");
        return 1;
    }
    int rc = parse_args(&c, argc, argv, r);
    if (rc) {
        free(r);
        return rc;
    }

    eo_error err;
    eo_status st = eo_data_find_record(c.data_dir, r->record, "hea", r->base, sizeof r->base, &err);
    if (!st) {
        eo_wfdb_read_options ro;
        eo_wfdb_read_defaults(&ro);
        ro.verify = c.verify;
        st = eo_wfdb_record_load(r->base, &ro, &r->rec, &err);
    }
    if (st) {
        free(r);
        return eo_cli_fail(&c, &err);
    }
    r->fs_in = r->rec->fs_hz;
    r->ns = r->rec->n_signals;
    r->n = r->rec->n_samples;
    r->up = 1;
    r->down = 1;
    st = eo_resample_factors(r->fs_in, r->fs_out, &r->up, &r->down, &err);
    if (!st)
        st = eo_resample_length((size_t)r->n, r->fs_in, r->fs_out, &r->n_out, &err);
    if (st) {
        eo_error_prefix(&err, "%s", r->record);
        eo_wfdb_record_destroy(r->rec);
        free(r);
        return eo_cli_fail(&c, &err);
    }

    st = resample_signals(r, &err);
    if (!st)
        st = move_annotations(r, &err);
    st = write_outputs(r, st, &err);
    if (st)
        rc = eo_cli_fail(&c, &err);
    else if (c.json)
        print_json(r);
    else
        print_text(r);
    free_all(r->adu, r->ns, r->ann, r->n_ann);
    free(r->like);
    eo_wfdb_record_destroy(r->rec);
    free(r);
    return rc;
}
