/* A span of a WFDB record as CSV or JSON (`ecgopt export`), streamed so a
 * long record never sits in memory; JSON reopens the stream once per
 * signal, since its samples are one array per signal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/wfdb_export.h"

void eo_export_defaults(eo_export_options *o)
{
    memset(o, 0, sizeof *o);
}

eo_status eo_annot_read_beside(const char *base, const char *annotator, int optional,
                               eo_annotation_set **a, eo_error *err)
{
    char apath[4200];
    *a = NULL;
    if (!annotator || !*annotator)
        annotator = "none";
    snprintf(apath, sizeof apath, "%s.%s", base, annotator);
    if (optional && (strcmp(annotator, "none") == 0 || access(apath, F_OK) != 0))
        return EO_STATUS_OK;
    return eo_annot_read(apath, a, err);
}

static void csv_field(FILE *fp, const char *s, int len)
{
    fputc('"', fp);
    for (int i = 0; i < len && s[i]; i++) {
        if (s[i] == '"')
            fputc('"', fp);
        fputc(s[i], fp);
    }
    fputc('"', fp);
}

/* The JSON object up to the opening of "samples" (one array per signal). */
static void json_begin(eo_json *j, FILE *fp, const eo_wfdb_header *h, long s0, long s1, int physical)
{
    eo_json_init(j, fp);
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "record", h->record_name);
    eo_json_kv_num(j, "fs_hz", h->fs_hz);
    eo_json_kv_int(j, "from_sample", s0);
    eo_json_kv_int(j, "n_samples", s1 - s0);
    eo_json_kv_bool(j, "physical", physical);
    eo_json_key(j, "signals");
    eo_json_arr_begin(j);
    for (int q = 0; q < h->n_signals; q++) {
        eo_json_obj_begin(j);
        eo_json_kv_str(j, "description", h->signals[q].description);
        eo_json_kv_str(j, "units", physical ? h->signals[q].units : "adu");
        eo_json_kv_num(j, "gain", h->signals[q].gain);
        eo_json_kv_int(j, "baseline", h->signals[q].baseline);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
    eo_json_key(j, "samples");
    eo_json_arr_begin(j);
}

/* The annotations within [s0, s1): CSV rows, or a JSON "annotations" array. */
static void csv_annotations(FILE *fp, const eo_annotation_set *a, long s0, long s1, double fs)
{
    fprintf(fp, "sample,time_s,symbol,code,subtype,chan,num,aux\n");
    for (size_t i = 0; i < a->n; i++) {
        const eo_annotation *it = &a->items[i];
        if (it->sample < s0 || it->sample >= s1)
            continue;
        fprintf(fp, "%ld,%.6f,", it->sample, (double)it->sample / fs);
        csv_field(fp, eo_annot_code_symbol(it->code), 8);
        fprintf(fp, ",%d,%d,%d,%d,", it->code, it->subtype, it->chan, it->num);
        if (it->aux)
            csv_field(fp, it->aux, it->aux_len);
        fputc('\n', fp);
    }
}

static void json_annotations(eo_json *j, const eo_annotation_set *a, long s0, long s1)
{
    eo_json_key(j, "annotations");
    eo_json_arr_begin(j);
    for (size_t i = 0; i < a->n; i++) {
        const eo_annotation *it = &a->items[i];
        if (it->sample < s0 || it->sample >= s1)
            continue;
        eo_json_obj_begin(j);
        eo_json_kv_int(j, "sample", it->sample);
        eo_json_kv_str(j, "symbol", eo_annot_code_symbol(it->code));
        eo_json_kv_int(j, "code", it->code);
        if (it->subtype)
            eo_json_kv_int(j, "subtype", it->subtype);
        if (it->chan)
            eo_json_kv_int(j, "chan", it->chan);
        if (it->num)
            eo_json_kv_int(j, "num", it->num);
        if (it->aux)
            eo_json_kv_str(j, "aux", it->aux);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
}

static void csv_header(FILE *fp, const eo_wfdb_header *h)
{
    fprintf(fp, "sample,time_s");
    for (int q = 0; q < h->n_signals; q++) {
        fputc(',', fp);
        csv_field(fp, h->signals[q].description[0] ? h->signals[q].description : "signal",
                  (int)sizeof h->signals[q].description);
    }
    fputc('\n', fp);
}

/* Frame i of buf (time tt) as a CSV row, or signal `q` of it as a JSON value. */
static void put_frame(FILE *fp, eo_json *j, const eo_wfdb_header *h, const int32_t *frame, long tt,
                      int q, const eo_export_options *o)
{
    if (!o->json) {
        fprintf(fp, "%ld,%.6f", tt, (double)tt / h->fs_hz);
        for (int k = 0; k < h->n_signals; k++) {
            int32_t x = frame[k];
            if (x == EO_WFDB_INVALID)
                fputc(',', fp);
            else if (o->physical)
                fprintf(fp, ",%.9g", eo_wfdb_adu_to_mv(&h->signals[k], x));
            else
                fprintf(fp, ",%d", x);
        }
        fputc('\n', fp);
        return;
    }
    int32_t x = frame[q];
    if (x == EO_WFDB_INVALID)
        eo_json_null(j);
    else if (o->physical)
        eo_json_num(j, eo_wfdb_adu_to_mv(&h->signals[q], x));
    else
        eo_json_int(j, x);
}

/* One pass over the stream: CSV rows of every signal, or (JSON) the array
 * of signal `pass`. */
static eo_status one_pass(FILE *fp, eo_json *j, eo_wfdb_stream *s, int32_t *buf, long block, long s0,
                          long s1, int pass, int passes, const eo_export_options *o, eo_error *err)
{
    const eo_wfdb_header *h = eo_wfdb_stream_header(s);
    const int ns = h->n_signals;
    const long n = h->n_samples;
    long t = 0, k;
    eo_status st;
    if (o->json)
        eo_json_arr_begin(j);
    for (;;) {
        if ((st = eo_wfdb_stream_read(s, buf, block, &k, err)))
            return st;
        if (k == 0)
            break;
        for (long i = 0; i < k; i++)
            if (t + i >= s0 && t + i < s1)
                put_frame(fp, j, h, buf + i * ns, t + i, pass, o);
        t += k;
        if (o->progress)
            o->progress(o->user, (double)(t + (double)pass * n), (double)n * passes, "exporting");
    }
    if (o->json)
        eo_json_arr_end(j);
    return EO_STATUS_OK;
}

eo_status eo_wfdb_export(FILE *fp, const char *base, const eo_wfdb_read_options *ro, long s0,
                         long s1, const eo_annotation_set *a, const eo_export_options *o,
                         eo_error *err)
{
    eo_wfdb_read_options dro;
    if (!ro) {
        eo_wfdb_read_defaults(&dro);
        ro = &dro;
    }
    if (!fp || !base || !o || (o->annotations && !a))
        return eo_error_set(err, EO_STATUS_USAGE, "export: NULL file, record or annotations");
    eo_wfdb_stream *s = NULL;
    eo_status st = eo_wfdb_stream_open(base, ro, &s, err);
    if (st)
        return st;
    const eo_wfdb_header *h = eo_wfdb_stream_header(s);
    const int ns = h->n_signals;
    const long block = 65536;
    if (s1 > h->n_samples)
        s1 = h->n_samples;
    int32_t *buf = malloc((size_t)block * (size_t)(ns > 0 ? ns : 1) * sizeof *buf);
    if (!buf) {
        eo_wfdb_stream_close(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "export: out of memory");
    }
    eo_json j;
    if (o->json)
        json_begin(&j, fp, h, s0, s1, o->physical);
    else if (!o->annotations)
        csv_header(fp, h);
    const double fs = h->fs_hz;
    int passes = o->json ? ns : (o->annotations ? 0 : 1);
    for (int pass = 0; !st && pass < passes; pass++) {
        if (pass > 0) { /* the stream is cheap to reopen */
            eo_wfdb_stream_close(s);
            s = NULL;
            if ((st = eo_wfdb_stream_open(base, ro, &s, err)))
                break;
        }
        st = one_pass(fp, &j, s, buf, block, s0, s1, pass, passes, o, err);
    }
    if (!st && !o->json && o->annotations)
        csv_annotations(fp, a, s0, s1, fs);
    if (!st && o->json) {
        eo_json_arr_end(&j);
        if (o->annotations)
            json_annotations(&j, a, s0, s1);
        eo_json_obj_end(&j);
        fputc('\n', fp);
    }
    free(buf);
    eo_wfdb_stream_close(s);
    return st;
}
