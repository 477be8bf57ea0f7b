/* What `ecgopt detect` reports about a detection: summary, EC57 QRS score,
 * the report section per record (strips, QRS table, RR figures), JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/alloc.h"
#include "ecgopt/detect_report.h"
#include "ecgopt/record_report.h"
#include "ecgopt/ec57.h"
#include "ecgopt/hrv.h"

void eo_detect_report_defaults(eo_detect_report_options *o)
{
    o->ref = "atr";
    o->from_s = 0;
    o->seconds = 60;
}

/* The beats of the reference (with their labels and sinus flags) and of
 * the detection, as the report's pairing and RR figures take them. */
typedef struct beats {
    eo_report_beat *rb, *tb;
    long *rs, *ts;
    unsigned char *rnorm; /* reference beat of sinus origin (SDNN over NN intervals) */
    size_t nr, nt;
} beats;

static void beats_free(beats *b)
{
    free(b->rb);
    free(b->tb);
    free(b->rs);
    free(b->ts);
    free(b->rnorm);
}

static eo_status beats_collect(const eo_annotation_set *ref, const eo_annotation_set *det, beats *b,
                               const char *record, eo_error *err)
{
    size_t nref = (ref ? ref->n : 0) + 1;
    memset(b, 0, sizeof *b);
    b->rb = eo_calloc(nref, sizeof *b->rb);
    b->tb = eo_calloc(det->n + 1, sizeof *b->tb);
    b->rs = eo_calloc(nref, sizeof *b->rs);
    b->ts = eo_calloc(det->n + 1, sizeof *b->ts);
    b->rnorm = eo_calloc(nref, 1);
    if (!b->rb || !b->tb || !b->rs || !b->ts || !b->rnorm)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", record);
    for (size_t i = 0; ref && i < ref->n; i++)
        if (eo_annot_is_beat(ref->items[i].code)) {
            const char *sym = eo_annot_code_symbol(ref->items[i].code);
            b->rs[b->nr] = ref->items[i].sample;
            b->rnorm[b->nr] = (unsigned char)eo_hrv_is_normal_symbol(sym);
            b->rb[b->nr].sample = ref->items[i].sample;
            b->rb[b->nr++].label = sym;
        }
    for (size_t i = 0; i < det->n; i++)
        if (eo_annot_is_beat(det->items[i].code)) {
            b->ts[b->nt] = det->items[i].sample;
            b->tb[b->nt].sample = det->items[i].sample;
            b->tb[b->nt++].label = "+";
        }
    return EO_STATUS_OK;
}

static void pct(char *b, size_t n, double v)
{
    if (isfinite(v))
        snprintf(b, n, "%.2f", v);
    else
        snprintf(b, n, "-");
}

/* EC57 QRS Se/+P against the reference into *sc, with its paragraph and
 * table; or a line saying there is none. */
static eo_status score_section(eo_report *r, const char *refname, const char *record, int signal, const char *desc,
                               const eo_annotation_set *ref, const eo_annotation_set *det, const eo_wfdb_record *rec,
                               const beats *b, long s0, long s1, const eo_report_pair_counts *pc, eo_detect_score *sc,
                               eo_error *err)
{
    char txt[1024];
    double fs = rec->fs_hz;
    if (!ref) {
        snprintf(txt, sizeof txt, "Signal %d (%s); %zu beats detected; no reference annotator '%s' to score "
                 "against.", signal, desc, b->nt, refname);
        eo_report_paragraph(r, txt);
        return EO_STATUS_OK;
    }
    eo_ec57_options eo;
    eo_ec57_defaults(&eo, fs);
    eo.end_sample = rec->n_samples;
    eo_ec57_result res;
    eo_status st = eo_ec57_compare(ref, det, &eo, &res, err);
    if (st)
        return st;
    eo_ec57_stats sx;
    eo_ec57_stats_of(&res, &sx);
    *sc = (eo_detect_score){1, (long)b->nr, sx.qtp, sx.qfn, sx.qfp, sx.qrs_se, sx.qrs_ppv};
    snprintf(txt, sizeof txt, "Signal %d (%s); %zu reference beats (%s), %zu detected. Strips %.1f-%.1f s: "
             "%zu matched, %zu missed (ref/-), %zu extra (-/+), highlighted.", signal, desc, b->nr, refname, b->nt,
             (double)s0 / fs, (double)s1 / fs, pc->matched, pc->missed, pc->extra);
    eo_report_paragraph(r, txt);
    char c[8][32], rn[512], title[160];
    snprintf(rn, sizeof rn, "%s", record);
    snprintf(c[1], 32, "%zu", b->nr);
    snprintf(c[2], 32, "%zu", b->nt);
    snprintf(c[3], 32, "%ld", sx.qtp);
    snprintf(c[4], 32, "%ld", sx.qfn);
    snprintf(c[5], 32, "%ld", sx.qfp);
    pct(c[6], 32, sx.qrs_se);
    pct(c[7], 32, sx.qrs_ppv);
    const char *cp[8] = {rn, c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
    const char *hdr[8] = {"record", "reference", "detected", "TP", "FN", "FP", "QRS Se (%)", "QRS +P (%)"};
    snprintf(title, sizeof title, "QRS detection, ANSI/AAMI EC57 (%.0f ms match window, whole record)",
             1000 * eo.match_window_s);
    eo_report_table(r, title, 8, hdr, 1, cp);
    return EO_STATUS_OK;
}

/* 10-s strips of [s0, s1) with the beat marks, then the RR figures: the
 * reference first, so the detections are drawn on top of it and their
 * errors stand out as spikes. */
static eo_status strips_and_rr(eo_report *r, const char *record, const eo_wfdb_record *rec, int signal, long s0,
                               long s1, const beats *b, int has_ref, const eo_strip_mark *marks, size_t n_marks,
                               eo_error *err)
{
    double fs = rec->fs_hz;
    char txt[600];
    eo_status st = eo_record_report_strips(r, rec, signal, s0, s1, record, marks, n_marks, err);
    eo_report_rr_series series[2] = {{"reference", b->rs, b->rnorm, b->nr}, {"detected", b->ts, NULL, b->nt}};
    snprintf(txt, sizeof txt, "RR intervals, record %s", record);
    if (!st)
        st = has_ref ? eo_report_add_rr(r, txt, fs, series, 2, err) : eo_report_add_rr(r, txt, fs, series + 1, 1, err);
    return st;
}

/* The reference annotations when the annotator's file exists. */
static eo_status read_ref(const char *base, const char *ref, eo_annotation_set **out, eo_error *err)
{
    char path[4200];
    *out = NULL;
    snprintf(path, sizeof path, "%s.%s", base, ref);
    if (strcmp(ref, "none") == 0 || access(path, F_OK) != 0)
        return EO_STATUS_OK;
    return eo_annot_read(path, out, err);
}

eo_status eo_detect_report_record(eo_report *r, const eo_detect_report_options *o, const char *record,
                                  const char *base, int signal, const eo_wfdb_read_options *ro,
                                  const eo_annotation_set *det, eo_detect_score *score, eo_error *err)
{
    eo_wfdb_read_options dflt;
    eo_wfdb_read_defaults(&dflt);
    eo_wfdb_record *rec = NULL;
    eo_annotation_set *ref = NULL;
    eo_strip_mark *marks = NULL;
    size_t n_marks = 0;
    eo_report_pair_counts pc = {0, 0, 0, 0};
    eo_detect_score sc = {0, 0, 0, 0, 0, NAN, NAN};
    beats b;
    memset(&b, 0, sizeof b);
    long s0 = 0, s1 = 0;
    eo_status st = eo_wfdb_record_load(base, ro ? ro : &dflt, &rec, err);
    if (!st && (signal < 0 || signal >= rec->n_signals))
        st = eo_error_set(err, EO_STATUS_USAGE, "%s: no signal %d", record, signal);
    if (!st)
        st = read_ref(base, o->ref, &ref, err);
    if (!st)
        st = eo_report_span(record, o->from_s, o->seconds, rec->fs_hz, rec->n_samples, &s0, &s1, err);
    if (!st)
        st = beats_collect(ref, det, &b, record, err);
    eo_ec57_options eo;
    eo_ec57_defaults(&eo, rec ? rec->fs_hz : 360);
    long window = (long)llround(eo.match_window_s * eo.fs_hz);
    if (!st)
        st = eo_report_pair_beats(ref ? b.rb : NULL, b.nr, b.tb, b.nt, window, s0, s1, &marks, &n_marks, &pc, err);
    /* a matched beat prints its reference label alone, not highlighted;
     * missed ("V/-") and extra ("-/+") beats stay highlighted */
    for (size_t i = 0; !st && ref && i < n_marks; i++)
        if (strcmp(marks[i].ref_label, "-") && strcmp(marks[i].test_label, "-"))
            marks[i].test_label = NULL;
    if (!st) {
        char txt[600];
        snprintf(txt, sizeof txt, "Record %s", record);
        eo_report_heading(r, 2, txt);
        st = score_section(r, o->ref, record, signal, rec->header->signals[signal].description, ref, det, rec, &b,
                           s0, s1, &pc, &sc, err);
    }
    if (!st)
        st = strips_and_rr(r, record, rec, signal, s0, s1, &b, ref != NULL, marks, n_marks, err);
    if (score)
        *score = sc;
    beats_free(&b);
    free(marks);
    eo_annot_set_destroy(ref);
    eo_wfdb_record_destroy(rec);
    return st;
}

void eo_detect_summarize(const char *base, const char *record, int signal, const eo_annotation_set *det,
                         double secs, const char *out, eo_detect_summary *s)
{
    char hp[4200];
    eo_wfdb_header *h = NULL;
    eo_error err;
    snprintf(hp, sizeof hp, "%s.hea", base);
    if (eo_wfdb_header_read(hp, &h, &err))
        h = NULL;
    memset(s, 0, sizeof *s);
    s->record = record;
    s->signal = signal;
    snprintf(s->desc, sizeof s->desc, "%s", h && signal >= 0 && signal < h->n_signals ? h->signals[signal].description : "");
    s->fs = h ? h->fs_hz : 0.0;
    double dur = h && h->n_samples > 0 && s->fs > 0 ? (double)h->n_samples / s->fs : 0.0;
    s->beats = (long)det->n;
    s->bpm = dur > 0 ? 60.0 * (double)det->n / dur : 0.0;
    snprintf(s->out, sizeof s->out, "%s", out);
    s->secs = secs;
    eo_wfdb_header_destroy(h);
}

void eo_detect_summary_json(eo_json *j, const eo_detect_summary *s, const char *ref)
{
    eo_json_kv_str(j, "record", s->record);
    eo_json_kv_int(j, "signal", s->signal);
    eo_json_kv_str(j, "signal_description", s->desc);
    eo_json_kv_num(j, "fs_hz", s->fs);
    eo_json_kv_int(j, "beats", s->beats);
    eo_json_kv_num(j, "mean_rate_bpm", s->bpm);
    eo_json_kv_str(j, "output", s->out);
    eo_json_kv_num(j, "seconds", s->secs);
    if (s->score.scored) {
        eo_json_kv_str(j, "reference", ref);
        eo_json_kv_int(j, "ref_beats", s->score.ref_beats);
        eo_json_kv_int(j, "qrs_tp", s->score.tp);
        eo_json_kv_int(j, "qrs_fn", s->score.fn);
        eo_json_kv_int(j, "qrs_fp", s->score.fp);
        eo_json_kv_num(j, "qrs_se", s->score.se);
        eo_json_kv_num(j, "qrs_ppv", s->score.ppv);
    }
}
