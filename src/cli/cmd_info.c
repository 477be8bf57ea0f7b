/* ecgopt info — header summary, duration, signals (checksums verified),
 * annotation counts by code and by AAMI class, rhythm episodes. */
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

static void fmt_time(char *b, size_t n, double sec)
{
    long ms = (long)llround(sec * 1000.0);
    long h = ms / 3600000, m = (ms / 60000) % 60;
    double s = (double)(ms % 60000) / 1000.0;
    if (h > 0)
        snprintf(b, n, "%ld:%02ld:%06.3f", h, m, s);
    else
        snprintf(b, n, "%ld:%06.3f", m, s);
}

/* --report: strips of every signal over [from, from + seconds) at two
 * scales (report.h eo_report_ecg_zoom), beat labels from the annotations,
 * counts by code and AAMI class, rhythm episodes. */
typedef struct info_report {
    const char *path, *record, *annotator;
    double from_s, seconds;
    const eo_annotation_set *a;
    const eo_annot_counts *k;
    const eo_rhythm_episode *ep;
    size_t nep;
    long total;
} info_report;

/* The report's annotation part: counts by code and AAMI class, episodes. */
static eo_status add_annotations(eo_report *r, const info_report *ir, double fs, long n_samples, eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    char txt[512];
    eo_report_heading(r, 2, "Annotations");
    snprintf(txt, sizeof txt, "%zu annotations in %s.%s over the whole record.", ir->a->n, ir->record,
             ir->annotator);
    eo_report_paragraph(r, txt);
    const char *names[64];
    long cnt[64];
    int n = 0;
    for (int q = 0; q < 64; q++)
        if (ir->k->by_code[q]) {
            const char *sym = eo_annot_code_symbol(q);
            names[n] = *sym ? sym : "?";
            cnt[n++] = ir->k->by_code[q];
        }
    if (n)
        st = eo_report_add_counts(r, "By annotation code", "annotations-by-code", names, cnt, n, err);
    const char *aami[5] = {"N", "S", "V", "F", "Q"};
    if (!st)
        st = eo_report_add_counts(r, "Beats by AAMI class", "beats-by-aami", aami, ir->k->by_aami, 5, err);
    eo_report_episode *ep = calloc(ir->nep + 1, sizeof *ep);
    if (!st && !ep)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", ir->path);
    for (size_t q = 0; !st && q < ir->nep; q++) {
        ep[q].label = ir->ep[q].label;
        ep[q].start = ir->ep[q].start;
        ep[q].end = ir->ep[q].end;
    }
    if (!st)
        st = eo_report_add_episodes(r, "Rhythm episodes", fs, ir->total > 0 ? ir->total : n_samples, ep,
                                    ir->nep, err);
    free(ep);
    return st;
}

static eo_status write_report(const eo_cli *c, const info_report *ir, const char *base, eo_error *err)
{
    eo_wfdb_record *rec = NULL;
    eo_status st = eo_cli_record_load(c, base, &rec, err);
    if (st)
        return st;
    double fs = rec->fs_hz;
    long s0, s1;
    if ((st = eo_report_span(base, ir->from_s, ir->seconds, fs, rec->n_samples, &s0, &s1, err))) {
        eo_wfdb_record_destroy(rec);
        return st;
    }
    char title[512], id[160], rid[96], txt[512];
    snprintf(title, sizeof title, "ecgopt info: record %s", ir->record);
    eo_report *r = eo_report_create(title);
    /* traces are indexed from sample 0 of the record: NaN before the span */
    double *mv = malloc((size_t)s1 * sizeof *mv);
    eo_strip_mark *marks = NULL;
    size_t n_marks = 0;
    if (!r || !mv) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", ir->path);
        goto done;
    }
    snprintf(txt, sizeof txt, "%d signal(s) at %g Hz, %.1f s; shown: %.1f-%.1f s. Beat labels are the %s "
             "annotation symbols.", rec->n_signals, fs, (double)rec->n_samples / fs, (double)s0 / fs,
             (double)s1 / fs, ir->a ? ir->annotator : "(no annotations)");
    eo_report_paragraph(r, txt);
    if (ir->a && (st = eo_cli_annot_marks(ir->a, s0, s1, &marks, &n_marks, err)))
        goto done;
    eo_report_make_id(ir->record, rid, sizeof rid);
    for (int q = 0; q < rec->n_signals && !st; q++) {
        for (long i = 0; i < s0; i++)
            mv[i] = NAN;
        st = eo_wfdb_record_physical(rec, q, s0, s1 - s0, mv + s0, err);
        if (st)
            break;
        const char *desc = rec->header->signals[q].description;
        snprintf(txt, sizeof txt, "Signal %d: %s", q, desc[0] ? desc : "(no description)");
        eo_report_heading(r, 2, txt);
        eo_strip_trace tr = {desc[0] ? desc : "signal", mv, (size_t)s1};
        /* ids from the signal name ("203-MLII"); by index when it is
         * empty or an earlier signal has the same name */
        char sid[64];
        eo_report_make_id(desc, sid, sizeof sid);
        int dup = !desc[0];
        for (int p = 0; p < q && !dup; p++)
            dup = !strcmp(rec->header->signals[p].description, desc);
        if (dup)
            snprintf(id, sizeof id, "%s-s%d", rid, q);
        else
            snprintf(id, sizeof id, "%s-%s", rid, sid);
        st = eo_report_ecg_span(r, id, fs, s0, s1, &tr, 1, marks, n_marks, err);
    }
    if (!st && ir->a)
        st = add_annotations(r, ir, rec->fs_hz, rec->n_samples, err);
    if (!st)
        st = eo_report_write(r, ir->path, err);
done:
    free(mv);
    free(marks);
    eo_report_destroy(r);
    eo_wfdb_record_destroy(rec);
    return st;
}

static const eo_cli_spec SPEC = {
    "info RECORD [--annotator NAME] [--report FILE.html [--report-from S] [--report-seconds S]]",
    "Header summary of a WFDB record: sampling rate, length, signals (file, format,\n"
    "gain, baseline, units; header checksums and initial values verified unless\n"
    "--no-verify), annotation counts by code and by AAMI class, and the rhythm\n"
    "episodes given by '+' annotations.  RECORD is a path (data/mitdb/100) or a\n"
    "name looked up in --data, $ECGOPT_DATA, ./data, ../shared/data.  The report\n"
    "draws each signal at 5 mm/s (overview) and 25 mm/s (10-s strips) with the beat\n"
    "labels, the annotation counts and the rhythm episodes on a time line.\n",
    NULL, "ecgopt info mitdb/203\necgopt info mitdb/203 --report 203.html --report-from 120\n", NULL};

/* Read every frame through the stream: this verifies checksums and initial
 * values without holding the record in memory.  *total: frames read. */
static eo_status read_all(eo_cli *c, eo_wfdb_stream *s, long *total, eo_error *err)
{
    const eo_wfdb_header *h = eo_wfdb_stream_header(s);
    long block = 65536, k = 0;
    int32_t *buf = malloc((size_t)block * (size_t)(h->n_signals > 0 ? h->n_signals : 1) * sizeof *buf);
    if (!buf)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "info: out of memory");
    eo_status st;
    *total = 0;
    do {
        st = eo_wfdb_stream_read(s, buf, block, &k, err);
        if (st)
            break;
        *total += k;
        eo_cli_progress(c, (double)*total, (double)(h->n_samples > 0 ? h->n_samples : *total), "reading");
    } while (k > 0);
    eo_cli_progress_end(c);
    free(buf);
    return st;
}

static void print_json(const eo_cli *c, const eo_wfdb_header *h, const char *base, const info_report *ir)
{
    eo_json j;
    eo_json_init(&j, stdout);
    eo_json_obj_begin(&j);
    eo_json_kv_str(&j, "record", h->record_name);
    eo_json_kv_str(&j, "path", base);
    eo_json_kv_num(&j, "fs_hz", h->fs_hz);
    eo_json_kv_int(&j, "n_samples", ir->total);
    eo_json_kv_num(&j, "duration_s", h->fs_hz > 0 ? (double)ir->total / h->fs_hz : 0);
    eo_json_kv_int(&j, "n_signals", h->n_signals);
    eo_json_kv_str(&j, "base_time", h->base_time);
    eo_json_kv_str(&j, "base_date", h->base_date);
    eo_json_kv_bool(&j, "verified", c->verify);
    if (ir->path)
        eo_json_kv_str(&j, "report", ir->path);
    eo_json_key(&j, "signals");
    eo_json_arr_begin(&j);
    for (int i = 0; i < h->n_signals; i++) {
        const eo_wfdb_signal_info *si = &h->signals[i];
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "description", si->description);
        eo_json_kv_str(&j, "file", si->file_name);
        eo_json_kv_int(&j, "format", si->format);
        eo_json_kv_num(&j, "gain", si->gain);
        eo_json_kv_bool(&j, "gain_given", si->gain_given);
        eo_json_kv_int(&j, "baseline", si->baseline);
        eo_json_kv_str(&j, "units", si->units);
        eo_json_kv_int(&j, "adc_resolution", si->adc_resolution);
        eo_json_kv_int(&j, "adc_zero", si->adc_zero);
        eo_json_kv_int(&j, "initial_value", si->initial_value);
        eo_json_kv_int(&j, "checksum", si->checksum);
        eo_json_obj_end(&j);
    }
    eo_json_arr_end(&j);
    eo_json_key(&j, "comments");
    eo_json_arr_begin(&j);
    for (int i = 0; i < h->n_comments; i++)
        eo_json_str(&j, h->comments[i]);
    eo_json_arr_end(&j);
    if (ir->a) {
        eo_json_key(&j, "annotations");
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "annotator", ir->annotator);
        eo_json_kv_int(&j, "total", (long long)ir->a->n);
        eo_json_kv_int(&j, "beats", ir->k->beats);
        eo_json_key(&j, "by_code");
        eo_json_obj_begin(&j);
        for (int q = 0; q < 64; q++)
            if (ir->k->by_code[q]) {
                char key[16];
                const char *sym = eo_annot_code_symbol(q);
                if (!*sym)
                    snprintf(key, sizeof key, "[%d]", q);
                eo_json_kv_int(&j, *sym ? sym : key, ir->k->by_code[q]);
            }
        eo_json_obj_end(&j);
        eo_json_key(&j, "by_aami");
        eo_json_obj_begin(&j);
        for (int q = 0; q < 5; q++)
            eo_json_kv_int(&j, eo_aami_class_name((eo_aami_class)q), ir->k->by_aami[q]);
        eo_json_obj_end(&j);
        eo_json_key(&j, "rhythm_episodes");
        eo_json_arr_begin(&j);
        for (size_t q = 0; q < ir->nep; q++) {
            eo_json_obj_begin(&j);
            eo_json_kv_str(&j, "rhythm", ir->ep[q].label);
            eo_json_kv_int(&j, "start", ir->ep[q].start);
            eo_json_kv_int(&j, "end", ir->ep[q].end);
            eo_json_obj_end(&j);
        }
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
    }
    eo_json_obj_end(&j);
    printf("\n");
}

static void print_annotations(const eo_wfdb_header *h, const info_report *ir)
{
    char tb[64], tb2[64];
    if (!ir->a) {
        printf("annotations: no %s file\n", ir->annotator);
        return;
    }
    const eo_annot_counts *k = ir->k;
    printf("annotations (%s): %zu, of them %ld beats\n  by code:", ir->annotator, ir->a->n, k->beats);
    for (int q = 0; q < 64; q++)
        if (k->by_code[q]) {
            const char *sym = eo_annot_code_symbol(q);
            if (*sym)
                printf(" %s %ld,", sym, k->by_code[q]);
            else
                printf(" [%d] %ld,", q, k->by_code[q]);
        }
    printf("\n  by AAMI class: N %ld, S %ld, V %ld, F %ld, Q %ld\n", k->by_aami[0], k->by_aami[1],
           k->by_aami[2], k->by_aami[3], k->by_aami[4]);
    printf("  rhythm episodes: %zu\n", ir->nep);
    for (size_t q = 0; q < ir->nep; q++) {
        fmt_time(tb, sizeof tb, (double)ir->ep[q].start / h->fs_hz);
        fmt_time(tb2, sizeof tb2, (double)ir->ep[q].end / h->fs_hz);
        printf("    %-6s %s - %s\n", ir->ep[q].label, tb, tb2);
    }
}

static void print_text(const eo_cli *c, const eo_wfdb_header *h, const char *base, const info_report *ir)
{
    char tb[64];
    int ns = h->n_signals;
    fmt_time(tb, sizeof tb, h->fs_hz > 0 ? (double)ir->total / h->fs_hz : 0);
    printf("record %s (%s)\n", h->record_name, base);
    printf("  %d signal%s, %g Hz, %ld samples per signal, duration %s", ns, ns == 1 ? "" : "s",
           h->fs_hz, ir->total, tb);
    if (h->base_time[0])
        printf(", starts %s%s%s", h->base_time, h->base_date[0] ? " " : "", h->base_date);
    printf("\n  checksums and initial values: %s\n", c->verify ? "verified" : "not checked (--no-verify)");
    for (int i = 0; i < ns; i++) {
        const eo_wfdb_signal_info *si = &h->signals[i];
        printf("  signal %d %-8s file %s format %d, gain %g adu/%s%s, baseline %d, %d-bit ADC, "
               "zero %d\n",
               i, si->description[0] ? si->description : "(none)", si->file_name, si->format,
               si->gain, si->units, si->gain_given ? "" : " (default: uncalibrated)",
               si->baseline, si->adc_resolution, si->adc_zero);
    }
    for (int i = 0; i < h->n_comments; i++)
        printf("  #%s\n", h->comments[i]);
    print_annotations(h, ir);
    if (ir->path)
        eo_cli_info(c, "wrote %s\n", ir->path);
}

/* The annotator's file when it exists (and is not 'none'): counts and
 * rhythm episodes over the `total` frames. */
static eo_status read_annotations(const char *base, info_report *ir, eo_annotation_set **a,
                                  eo_annot_counts *k, eo_rhythm_episode **ep, eo_error *err)
{
    eo_annot_count(NULL, k);
    eo_status st = eo_cli_annot_read(base, ir->annotator, 1, a, err);
    if (!st && *a) {
        eo_annot_count(*a, k);
        st = eo_annot_rhythm_episodes(*a, ir->total, ep, &ir->nep, err);
    }
    ir->a = *a;
    ir->ep = *ep;
    return st;
}

int eo_cmd_info(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "info", &argc, argv))
        return c.rc;
    const char *rec = NULL;
    info_report ir = {NULL, NULL, "atr", 0, 60, NULL, NULL, NULL, 0, 0};
    const eo_cli_opt opts[] = {
        {"--annotator", EO_OPT_STR, &ir.annotator, 0, 0, "NAME", "annotation file extension (default atr; 'none' to skip)", NULL},
        EO_OPT_REPORT(&ir.path),
        EO_OPT_REPORT_SPAN(&ir.from_s, &ir.seconds),
        EO_OPT_TABLE_END};
    int rc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, &rec, 1, NULL, "RECORD");
    if (rc >= 0)
        return rc;
    if (!rec)
        return eo_cli_usage(&c, "missing RECORD");
    ir.record = rec;
    eo_error err;
    eo_error_clear(&err);
    char base[4096];
    eo_wfdb_stream *s = NULL;
    eo_annotation_set *a = NULL;
    eo_annot_counts k;
    eo_rhythm_episode *ep = NULL;
    ir.k = &k;
    eo_status st = ir.path ? eo_cli_output(&c, ir.path, &err) : EO_STATUS_OK;
    if (!st)
        st = eo_cli_stream_open(&c, rec, base, sizeof base, &s, &err);
    if (!st)
        st = read_all(&c, s, &ir.total, &err);
    if (!st)
        st = read_annotations(base, &ir, &a, &k, &ep, &err);
    if (!st && ir.path)
        st = write_report(&c, &ir, base, &err);
    if (!st && c.json)
        print_json(&c, eo_wfdb_stream_header(s), base, &ir);
    else if (!st)
        print_text(&c, eo_wfdb_stream_header(s), base, &ir);
    free(ep);
    eo_annot_set_destroy(a);
    eo_wfdb_stream_close(s);
    return st ? eo_cli_fail(&c, &err) : 0;
}
