/* ecgopt export — samples (adu or physical units) and annotations of a WFDB
 * record as CSV or JSON, streamed so a long record never sits in memory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_record.h"
#include "ecgopt/json.h"
#include "ecgopt/report.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

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

/* --report: the exported span (at most `seconds` of it) as ECG strips, every
 * signal a trace, beat labels of the annotator when its file exists. */
static eo_status write_report(const eo_cli *c, const char *path, const char *record, const char *base, long s0,
                              long s1, double seconds, const char *annotator, const eo_annotation_set *given,
                              int *shown_marks, eo_error *err)
{
    eo_wfdb_record *rec = NULL;
    eo_annotation_set *own = NULL;
    eo_status st = eo_cli_record_load(c, base, &rec, err);
    if (st)
        return st;
    double fs = rec->fs_hz;
    long e = s1;
    if (e > s0 + (long)llround(seconds * fs))
        e = s0 + (long)llround(seconds * fs);
    if (e > rec->n_samples)
        e = rec->n_samples;
    const eo_annotation_set *a = given;
    if (!a) {
        st = eo_cli_annot_read(base, annotator, 1, &own, err);
        a = own;
    }
    int ns = rec->n_signals > 16 ? 16 : rec->n_signals;
    char title[512], txt[512], rid[96];
    snprintf(title, sizeof title, "ecgopt export: record %s", record);
    eo_report *r = eo_report_create(title);
    double *mv = calloc((size_t)ns * (size_t)(e > 0 ? e : 1), sizeof *mv);
    eo_strip_trace tr[16];
    eo_strip_mark *marks = NULL;
    size_t n_marks = 0;
    if (!st && (!r || !mv))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    if (!st && e <= s0)
        st = eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: the exported span is empty, nothing to draw", path);
    for (int q = 0; !st && q < ns; q++) {
        double *x = mv + (size_t)q * (size_t)e;
        for (long i = 0; i < s0; i++)
            x[i] = NAN;
        st = eo_wfdb_record_physical(rec, q, s0, e - s0, x + s0, err);
        tr[q].label = rec->header->signals[q].description[0] ? rec->header->signals[q].description : "signal";
        tr[q].mv = x;
        tr[q].n = (size_t)e;
    }
    if (!st && a)
        st = eo_cli_annot_marks(a, s0, e, &marks, &n_marks, err);
    if (!st) {
        snprintf(txt, sizeof txt, "Exported span %.2f-%.2f s (samples %ld-%ld) of %.1f s; drawn: %.2f-%.2f s, "
                 "%d signal(s) at %g Hz; beat labels: %s.", (double)s0 / fs, (double)s1 / fs, s0, s1,
                 (double)rec->n_samples / fs, (double)s0 / fs, (double)e / fs, ns, fs,
                 a ? annotator : "none (no annotation file)");
        eo_report_paragraph(r, txt);
        eo_report_make_id(record, rid, sizeof rid);
        st = eo_report_ecg_span(r, rid, fs, s0, e, tr, ns, marks, n_marks, err);
    }
    if (!st)
        st = eo_report_write(r, path, err);
    if (shown_marks)
        *shown_marks = (int)n_marks;
    free(mv);
    free(marks);
    eo_report_destroy(r);
    eo_annot_set_destroy(own);
    eo_wfdb_record_destroy(rec);
    return st;
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

/* The samples of [s0, s1) (and the annotations a, may be NULL) as CSV or
 * JSON on fp.  *sp is the open stream; JSON reopens it once per signal. */
static eo_status write_samples(eo_cli *c, FILE *fp, eo_wfdb_stream **sp, const char *base,
                               const eo_wfdb_read_options *ro, long s0, long s1, int csv,
                               int physical, const eo_annotation_set *a, eo_error *err)
{
    eo_wfdb_stream *s = *sp;
    const eo_wfdb_header *h = eo_wfdb_stream_header(s);
    const int ns = h->n_signals, with_ann = a != NULL;
    const long n = h->n_samples;
    long block = 65536;
    int32_t *buf = malloc((size_t)block * (size_t)(ns > 0 ? ns : 1) * sizeof *buf);
    eo_status st = EO_STATUS_OK;
    if (!buf)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "export: out of memory");
    /* For JSON, samples are arrays per signal: write signal by signal, one
     * pass over the stream each (the stream is cheap to reopen). */
    eo_json j;
    if (!csv)
        json_begin(&j, fp, h, s0, s1, physical);
    if (csv && !with_ann) {
        fprintf(fp, "sample,time_s");
        for (int q = 0; q < ns; q++) {
            fputc(',', fp);
            csv_field(fp, h->signals[q].description[0] ? h->signals[q].description : "signal",
                      (int)sizeof h->signals[q].description);
        }
        fputc('\n', fp);
    }
    int passes = csv ? (with_ann ? 0 : 1) : ns;
    for (int pass = 0; pass < passes; pass++) {
        if (pass > 0) {
            eo_wfdb_stream_close(s);
            s = NULL;
            if ((st = eo_wfdb_stream_open(base, ro, &s, err)))
                goto out;
            h = eo_wfdb_stream_header(s);
        }
        if (!csv)
            eo_json_arr_begin(&j);
        long t = 0, k;
        for (;;) {
            if ((st = eo_wfdb_stream_read(s, buf, block, &k, err)))
                goto out;
            if (k == 0)
                break;
            for (long i = 0; i < k; i++) {
                long tt = t + i;
                if (tt < s0 || tt >= s1)
                    continue;
                if (csv) {
                    fprintf(fp, "%ld,%.6f", tt, (double)tt / h->fs_hz);
                    for (int q = 0; q < ns; q++) {
                        int32_t x = buf[i * ns + q];
                        if (x == EO_WFDB_INVALID)
                            fputc(',', fp);
                        else if (physical)
                            fprintf(fp, ",%.9g", eo_wfdb_adu_to_mv(&h->signals[q], x));
                        else
                            fprintf(fp, ",%d", x);
                    }
                    fputc('\n', fp);
                } else {
                    int32_t x = buf[i * ns + pass];
                    if (x == EO_WFDB_INVALID)
                        eo_json_null(&j);
                    else if (physical)
                        eo_json_num(&j, eo_wfdb_adu_to_mv(&h->signals[pass], x));
                    else
                        eo_json_int(&j, x);
                }
            }
            t += k;
            eo_cli_progress(c, (double)(t + (double)pass * n), (double)n * passes, "exporting");
        }
        if (!csv)
            eo_json_arr_end(&j);
    }
    eo_cli_progress_end(c);
    if (csv && with_ann)
        csv_annotations(fp, a, s0, s1, h->fs_hz);
    if (!csv) {
        eo_json_arr_end(&j);
        if (a)
            json_annotations(&j, a, s0, s1);
        eo_json_obj_end(&j);
        fputc('\n', fp);
    }
out:
    free(buf);
    *sp = s;
    return st;
}

static const eo_cli_spec SPEC = {
    "export RECORD [--from S] [--to S] [--physical] (--csv | --json) [--annotations]\n"
    "                     [--annotator NAME] [-o FILE] [--report FILE.html]",
    "Samples of every signal, in ADC units (default) or physical units, between --from\n"
    "and --to, streamed so a long record never sits in memory.  --json gives one\n"
    "object: record, fs_hz, signals, from_sample, samples (one array per signal) and,\n"
    "with --annotations, annotations.  -o FILE is written atomically (stdout without\n"
    "it).  The report draws every signal at 5 mm/s and in 10-s strips at 25 mm/s,\n"
    "10 mm/mV, with the annotator's beat labels when its file exists.\n",
    NULL,
    "ecgopt export mitdb/100 --from 60 --to 70 --physical --csv -o 100.csv\n"
    "ecgopt export mitdb/208 --from 0 --to 30 --csv -o 208.csv --report 208.html\n",
    NULL};

int eo_cmd_export(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "export", &argc, argv))
        return c.rc;
    const char *rec = NULL, *annotator = "atr", *report_path = NULL;
    double from = 0, to = -1, rep_seconds = 60;
    int physical = 0, csv = 0, with_ann = 0;
    const eo_cli_opt opts[] = {
        EO_OPT_SPAN(&from, &to),
        {"--physical", EO_OPT_FLAG, &physical, 0, 0, NULL,
         "physical units: (adu - baseline) / gain; invalid samples empty in CSV, null in JSON", NULL},
        {"--csv", EO_OPT_FLAG, &csv, 0, 0, NULL,
         "CSV: sample,time_s,<signal>,...; with --annotations the annotations instead:\n"
         "sample,time_s,symbol,code,subtype,chan,num,aux", NULL},
        {"--annotations", EO_OPT_FLAG, &with_ann, 0, 0, NULL, "the annotations (with --json: as well)", NULL},
        {"--annotator", EO_OPT_STR, &annotator, 0, 0, "NAME", "annotation file extension (default atr)", NULL},
        EO_OPT_REPORT(&report_path),
        {"--report-seconds", EO_OPT_DOUBLE, &rep_seconds, 1, 600, "S",
         "draw at most S seconds of the span in the report (default 60)", NULL},
        EO_OPT_TABLE_END};
    int prc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, &rec, 1, NULL, "RECORD");
    if (prc >= 0)
        return prc;
    if (!rec)
        return eo_cli_usage(&c, "missing RECORD");
    if (csv == c.json)
        return eo_cli_usage(&c, "give exactly one of --csv and --json");
    if (to >= 0 && to < from)
        return eo_cli_usage(&c, "--to %g is before --from %g", to, from);
    eo_error err;
    eo_error_clear(&err);
    /* every output checked before any work; a failure removes what was made */
    if ((report_path && eo_cli_output(&c, report_path, &err)) ||
        (c.out && strcmp(c.out, "-") != 0 && eo_cli_output(&c, c.out, &err)))
        return eo_cli_fail(&c, &err);
    char base[4096];
    eo_wfdb_stream *s = NULL;
    if (eo_cli_stream_open(&c, rec, base, sizeof base, &s, &err))
        return eo_cli_fail(&c, &err);
    eo_wfdb_read_options ro; /* write_samples reopens the stream per signal */
    eo_wfdb_read_defaults(&ro);
    ro.verify = c.verify;
    const eo_wfdb_header *h = eo_wfdb_stream_header(s);
    long n = h->n_samples;
    long s0 = (long)llround(from * h->fs_hz);
    long s1 = to >= 0 ? (long)llround(to * h->fs_hz) : n;
    if (s1 > n)
        s1 = n;
    if (s0 > n) {
        eo_error_set(&err, EO_STATUS_OUT_OF_RANGE, "%s: --from %g s is past the end (%g s)", base,
                     from, (double)n / h->fs_hz);
        eo_wfdb_stream_close(s);
        return eo_cli_fail(&c, &err);
    }
    eo_annotation_set *a = NULL;
    if (with_ann) {
        if (eo_cli_annot_read(base, annotator, 0, &a, &err)) {
            eo_wfdb_stream_close(s);
            return eo_cli_fail(&c, &err);
        }
    }
    /* the report first: a bad --report path fails before any output */
    if (report_path &&
        write_report(&c, report_path, rec, base, s0, s1, rep_seconds, annotator, a, NULL, &err)) {
        eo_annot_set_destroy(a);
        eo_wfdb_stream_close(s);
        return eo_cli_fail(&c, &err);
    }
    eo_atomic_file af;
    FILE *fp = stdout;
    if (c.out && strcmp(c.out, "-") != 0) {
        if (eo_atomic_open(&af, c.out, &err)) {
            eo_annot_set_destroy(a);
            eo_wfdb_stream_close(s);
            return eo_cli_fail(&c, &err);
        }
        fp = af.fp;
    }
    int rc = 0;
    if (write_samples(&c, fp, &s, base, &ro, s0, s1, csv, physical, a, &err))
        rc = eo_cli_fail(&c, &err);
    if (fp != stdout) {
        if (rc == 0) {
            if (eo_atomic_commit(&af, &err))
                rc = eo_cli_fail(&c, &err);
        } else {
            eo_atomic_abort(&af);
        }
    } else if (fflush(stdout) != 0 && rc == 0) {
        eo_error_set(&err, EO_STATUS_IO, "stdout: write failed");
        rc = eo_cli_fail(&c, &err);
    }
    eo_annot_set_destroy(a);
    eo_wfdb_stream_close(s);
    return rc;
}
