/* A record at another sampling rate, annotations moved to the new grid
 * (`ecgopt resample`; scipy.signal.resample_poly's recipe in eo_resample). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/alloc.h"
#include "ecgopt/resample.h"
#include "ecgopt/resample_record.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb_span.h"

void eo_resampled_free(eo_resampled *r)
{
    for (int s = 0; r->adu && s < r->n_signals; s++)
        free(r->adu[s]);
    free(r->adu);
    free(r->signals);
    for (int k = 0; k < r->n_ann; k++)
        eo_annot_set_destroy(r->ann[k]);
    memset(r, 0, sizeof *r);
}

/* The annotator names of list (NULL: the usual ones) into r->ann_name;
 * USAGE when malformed. */
static eo_status parse_names(const char *list, char names[][32], int *n, eo_error *err)
{
    const char *p = list ? list : "atr,qrs,ecg,ann";
    *n = 0;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len == 0 || len >= 32 || *n == EO_RESAMPLED_MAX_ANN)
            return eo_error_set(err, EO_STATUS_USAGE, "--annotators %s: names of 1..31 characters, at most %d",
                                list, EO_RESAMPLED_MAX_ANN);
        memcpy(names[*n], p, len);
        names[(*n)++][len] = 0;
        p += len + (p[len] == ',');
    }
    return EO_STATUS_OK;
}

/* Signal s: invalid samples hold the last valid value, then resampled. */
static eo_status one_signal(const eo_wfdb_record *rec, int s, const char *record, double *x, eo_resampled *r,
                            eo_error *err)
{
    const long n = r->n_in;
    long first = 0;
    while (first < n && rec->adu[s][first] == EO_WFDB_INVALID)
        first++;
    double hold = first < n ? (double)rec->adu[s][first] : 0.0;
    for (long i = 0; i < n; i++) {
        if (rec->adu[s][i] != EO_WFDB_INVALID)
            hold = (double)rec->adu[s][i];
        x[i] = hold;
    }
    double *y = NULL;
    size_t ny = 0;
    eo_status st = eo_resample(x, (size_t)n, r->fs_in, r->fs_out, &y, &ny, err);
    if (st) {
        eo_error_prefix(err, "%s: signal %d", record, s);
        return st;
    }
    if (!(r->adu[s] = eo_malloc((ny ? ny : 1) * sizeof **r->adu)))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", record);
    for (size_t i = 0; !st && i < ny; i++) {
        double a = floor(y[i] + 0.5);
        r->adu[s][i] = (int32_t)(a > 32767 ? 32767 : a < -32767 ? -32767 : a);
    }
    free(y);
    return st;
}

/* Annotation file `path` read, those inside the span [r->start, r->start +
 * r->n_in) kept, and moved into slot r->n_ann. */
static eo_status move_annotations(const char *path, const char *name, eo_resampled *r, eo_error *err)
{
    eo_annotation_set *a = NULL;
    eo_status st = eo_annot_read(path, &a, err);
    if (st)
        return st;
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (a->items[i].sample >= r->start && a->items[i].sample < r->start + r->n_in) {
            a->items[k] = a->items[i];
            a->items[k++].sample -= r->start;
        } else {
            free(a->items[i].aux);
        }
    }
    a->n = k;
    r->ann[r->n_ann] = a;
    snprintf(r->ann_name[r->n_ann++], 32, "%s", name);
    long *pos = eo_malloc((a->n + 1) * sizeof *pos);
    if (!pos)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    for (size_t i = 0; i < a->n; i++)
        pos[i] = a->items[i].sample;
    st = eo_resample_positions(pos, a->n, r->fs_in, r->fs_out, (long)r->n_out, pos, err);
    if (st)
        eo_error_prefix(err, "%s", path);
    for (size_t i = 0; !st && i < a->n; i++)
        a->items[i].sample = pos[i];
    free(pos);
    return st;
}

static eo_status resample_all(const eo_wfdb_record *rec, const char *record, const char *base, char names[][32],
                              int n_names, int named, eo_resampled *r, eo_error *err)
{
    r->fs_in = rec->fs_hz;
    r->n_signals = rec->n_signals;
    r->n_in = rec->n_samples;
    r->up = r->down = 1;
    eo_status st = eo_resample_factors(r->fs_in, r->fs_out, &r->up, &r->down, err);
    if (!st)
        st = eo_resample_length((size_t)r->n_in, r->fs_in, r->fs_out, &r->n_out, err);
    if (st) {
        eo_error_prefix(err, "%s", record);
        return st;
    }
    r->adu = eo_calloc((size_t)r->n_signals, sizeof *r->adu);
    r->signals = eo_calloc((size_t)r->n_signals, sizeof *r->signals);
    double *x = eo_malloc(((size_t)r->n_in + 1) * sizeof *x);
    if (!r->adu || !x || !r->signals)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory (%ld samples)", record, r->n_in);
    for (int s = 0; !st && s < r->n_signals; s++) {
        r->signals[s] = rec->header->signals[s];
        st = one_signal(rec, s, record, x, r, err);
    }
    free(x);
    for (int k = 0; !st && k < n_names; k++) {
        char path[4200];
        snprintf(path, sizeof path, "%s.%s", base, names[k]);
        if (access(path, F_OK) == 0)
            st = move_annotations(path, names[k], r, err);
        else if (named)
            st = eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: no annotation file", path);
    }
    return st;
}

void eo_resample_record_defaults(eo_resample_record_options *o)
{
    memset(o, 0, sizeof *o);
    o->to_s = -1;
}

eo_status eo_resample_record_run(const char *data_dir, const char *record, const eo_wfdb_read_options *ro,
                                 const eo_resample_record_options *o, eo_resampled *r, eo_error *err)
{
    memset(r, 0, sizeof *r);
    r->fs_out = o->fs_out;
    char names[EO_RESAMPLED_MAX_ANN][32], base[4096];
    int n_names = 0;
    eo_status st = parse_names(o->annotators, names, &n_names, err);
    if (!st)
        st = eo_data_find_record(data_dir, record, "hea", base, sizeof base, err);
    eo_wfdb_read_options dflt;
    eo_wfdb_read_defaults(&dflt);
    eo_wfdb_record *rec = NULL, *span = NULL;
    long s0 = 0, s1 = 0;
    if (!st)
        st = eo_wfdb_record_load(base, ro ? ro : &dflt, &rec, err);
    if (!st)
        st = eo_wfdb_span_samples(rec->fs_hz, rec->n_samples, o->from_s, o->to_s, record, &s0, &s1, err);
    if (!st && (s0 > 0 || s1 < rec->n_samples))
        st = eo_wfdb_record_view(rec, s0, s1, NULL, &span, err);
    r->start = s0;
    if (!st)
        st = resample_all(span ? span : rec, record, base, names, n_names, o->annotators != NULL, r, err);
    eo_wfdb_record_view_free(span);
    eo_wfdb_record_destroy(rec);
    return st;
}

eo_status eo_resample_record(const char *data_dir, const char *record, const eo_wfdb_read_options *ro,
                             double fs_out, const char *annotators, eo_resampled *r, eo_error *err)
{
    eo_resample_record_options o;
    eo_resample_record_defaults(&o);
    o.fs_out = fs_out;
    o.annotators = annotators;
    return eo_resample_record_run(data_dir, record, ro, &o, r, err);
}

eo_status eo_resampled_write(const eo_resampled *r, const char *dir, const char *name, eo_error *err)
{
    char base[4400], path[4500];
    snprintf(base, sizeof base, "%s/%s", dir, name);
    eo_status st = eo_wfdb_record_write(dir, name, 16, r->fs_out, r->n_signals, (long)r->n_out, r->adu,
                                        r->signals, err);
    int written = 0;
    for (int k = 0; !st && k < r->n_ann; k++) {
        snprintf(path, sizeof path, "%s.%s", base, r->ann_name[k]);
        if (!(st = eo_annot_write(path, r->ann[k], err)))
            written++;
    }
    if (st && r->n_ann > 0) { /* the record was written: remove it again */
        const char *ext[2] = {"hea", "dat"};
        for (int k = 0; k < 2; k++) {
            snprintf(path, sizeof path, "%s.%s", base, ext[k]);
            remove(path);
        }
        for (int k = 0; k < written; k++) {
            snprintf(path, sizeof path, "%s.%s", base, r->ann_name[k]);
            remove(path);
        }
    }
    return st;
}

void eo_resampled_json(eo_json *j, const eo_resampled *r, const char *record, const char *output)
{
    eo_json_kv_str(j, "record", record);
    eo_json_kv_str(j, "output", output);
    eo_json_kv_num(j, "fs_in_hz", r->fs_in);
    eo_json_kv_num(j, "fs_out_hz", r->fs_out);
    eo_json_kv_int(j, "up", r->up);
    eo_json_kv_int(j, "down", r->down);
    eo_json_kv_int(j, "samples_in", r->n_in);
    eo_json_kv_int(j, "samples_out", (long long)r->n_out);
    eo_json_kv_int(j, "from_sample", r->start);
    eo_json_key(j, "annotations");
    eo_json_arr_begin(j);
    for (int k = 0; k < r->n_ann; k++) {
        eo_json_obj_begin(j);
        eo_json_kv_str(j, "annotator", r->ann_name[k]);
        eo_json_kv_int(j, "count", (long long)r->ann[k]->n);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
}
