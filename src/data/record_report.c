/* HTML reports of a record: the span `ecgopt export` wrote, and the
 * overview of `ecgopt info` (strips, annotation counts, rhythm episodes). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/record_report.h"

eo_status eo_annot_strip_marks(const eo_annotation_set *a, long s0, long s1, eo_strip_mark **marks,
                               size_t *n_marks, eo_error *err)
{
    eo_report_beat *beats = calloc(a->n + 1, sizeof *beats);
    size_t n_beats = 0;
    if (!beats)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "annotations: out of memory");
    for (size_t i = 0; i < a->n; i++)
        if (eo_annot_is_beat(a->items[i].code)) {
            beats[n_beats].sample = a->items[i].sample;
            beats[n_beats++].label = eo_annot_code_symbol(a->items[i].code);
        }
    eo_status st = eo_report_pair_beats(NULL, 0, beats, n_beats, 0, s0, s1, marks, n_marks, NULL, err);
    free(beats);
    return st;
}

/* The signals of rec over [s0, e) as traces indexed from sample 0 (NaN
 * before the span) in mv (ns * e values). */
static eo_status span_traces(const eo_wfdb_record *rec, int ns, long s0, long e, double *mv,
                             eo_strip_trace *tr, eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    for (int q = 0; !st && q < ns; q++) {
        double *x = mv + (size_t)q * (size_t)e;
        for (long i = 0; i < s0; i++)
            x[i] = NAN;
        st = eo_wfdb_record_physical(rec, q, s0, e - s0, x + s0, err);
        tr[q].label = rec->header->signals[q].description[0] ? rec->header->signals[q].description : "signal";
        tr[q].mv = x;
        tr[q].n = (size_t)e;
    }
    return st;
}

eo_status eo_record_report_strips(eo_report *rep, const eo_wfdb_record *rec, int sig, long s0, long s1,
                                  const char *record, const eo_strip_mark *marks, size_t n_marks, eo_error *err)
{
    double fs = rec->fs_hz;
    char rid[96];
    if (sig < 0 || sig >= rec->header->n_signals || s0 < 0 || s1 <= s0)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: no signal %d or empty span [%ld, %ld)", record,
                            sig, s0, s1);
    double *mv = eo_malloc((size_t)s1 * sizeof *mv);
    if (!mv)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", record);
    for (long i = 0; i < s0; i++)
        mv[i] = NAN;
    eo_status st = eo_wfdb_record_physical(rec, sig, s0, s1 - s0, mv + s0, err);
    const char *desc = rec->header->signals[sig].description;
    eo_strip_trace tr = {desc[0] ? desc : "signal", mv, (size_t)s1};
    eo_strip_options so;
    eo_strip_defaults(&so, fs);
    so.band_mv = 0;
    so.t0_s = (double)s0 / fs;
    so.seconds = 10;
    eo_report_make_id(record, rid, sizeof rid);
    if (!st)
        st = eo_report_ecg_zoom(rep, rid, &so, (double)(s1 - s0) / fs,
                                (int)ceil((double)(s1 - s0) / fs / 10 - 1e-9), &tr, 1, marks, n_marks, err);
    free(mv);
    return st;
}

eo_status eo_record_report_export(const char *path, const char *record, const char *base,
                                  const eo_wfdb_read_options *ro, long s0, long s1, double seconds,
                                  const char *annotator, const eo_annotation_set *given, eo_error *err)
{
    eo_wfdb_record *rec = NULL;
    eo_annotation_set *own = NULL;
    if (!path || !record || !base)
        return eo_error_set(err, EO_STATUS_USAGE, "export report: NULL path or record");
    eo_status st = eo_wfdb_record_load(base, ro, &rec, err);
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
        st = eo_annot_read_beside(base, annotator, 1, &own, err);
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
    if (!st)
        st = span_traces(rec, ns, s0, e, mv, tr, err);
    if (!st && a)
        st = eo_annot_strip_marks(a, s0, e, &marks, &n_marks, err);
    if (!st) {
        snprintf(txt, sizeof txt, "Exported span %.2f-%.2f s (samples %ld-%ld) of %.1f s; drawn: %.2f-%.2f s, "
                 "%d signal(s) at %g Hz; beat labels: %s.", (double)s0 / fs, (double)s1 / fs, s0, s1,
                 (double)rec->n_samples / fs, (double)s0 / fs, (double)e / fs, ns, fs,
                 a ? (annotator ? annotator : "given") : "none (no annotation file)");
        eo_report_paragraph(r, txt);
        eo_report_make_id(record, rid, sizeof rid);
        st = eo_report_ecg_span(r, rid, fs, s0, e, tr, ns, marks, n_marks, err);
    }
    if (!st)
        st = eo_report_write(r, path, err);
    free(mv);
    free(marks);
    eo_report_destroy(r);
    eo_annot_set_destroy(own);
    eo_wfdb_record_destroy(rec);
    return st;
}

/* The report's annotation part: counts by code and AAMI class, episodes. */
static eo_status add_annotations(eo_report *r, const char *path, const char *record,
                                 const eo_record_summary *s, double fs, long n_samples, eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    char txt[512];
    eo_report_heading(r, 2, "Annotations");
    snprintf(txt, sizeof txt, "%zu annotations in %s.%s over the whole record.", s->annotations->n,
             record, s->annotator);
    eo_report_paragraph(r, txt);
    const char *names[64];
    long cnt[64];
    int n = 0;
    for (int q = 0; q < 64; q++)
        if (s->counts.by_code[q]) {
            const char *sym = eo_annot_code_symbol(q);
            names[n] = *sym ? sym : "?";
            cnt[n++] = s->counts.by_code[q];
        }
    if (n)
        st = eo_report_add_counts(r, "By annotation code", "annotations-by-code", names, cnt, n, err);
    const char *aami[5] = {"N", "S", "V", "F", "Q"};
    if (!st)
        st = eo_report_add_counts(r, "Beats by AAMI class", "beats-by-aami", aami, s->counts.by_aami, 5, err);
    eo_report_episode *ep = calloc(s->n_episodes + 1, sizeof *ep);
    if (!st && !ep)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    for (size_t q = 0; !st && q < s->n_episodes; q++) {
        ep[q].label = s->episodes[q].label;
        ep[q].start = s->episodes[q].start;
        ep[q].end = s->episodes[q].end;
    }
    if (!st)
        st = eo_report_add_episodes(r, "Rhythm episodes", fs, s->total > 0 ? s->total : n_samples, ep,
                                    s->n_episodes, err);
    free(ep);
    return st;
}

/* Signal q over [s0, s1) at two scales; element ids from the signal name
 * ("203-MLII"), by index when it is empty or an earlier signal has it. */
static eo_status info_signal(eo_report *r, const eo_wfdb_record *rec, int q, const char *rid, long s0,
                             long s1, double *mv, const eo_strip_mark *marks, size_t n_marks,
                             eo_error *err)
{
    char txt[512], id[160], sid[64];
    for (long i = 0; i < s0; i++)
        mv[i] = NAN;
    eo_status st = eo_wfdb_record_physical(rec, q, s0, s1 - s0, mv + s0, err);
    if (st)
        return st;
    const char *desc = rec->header->signals[q].description;
    snprintf(txt, sizeof txt, "Signal %d: %s", q, desc[0] ? desc : "(no description)");
    eo_report_heading(r, 2, txt);
    eo_strip_trace tr = {desc[0] ? desc : "signal", mv, (size_t)s1};
    eo_report_make_id(desc, sid, sizeof sid);
    int dup = !desc[0];
    for (int p = 0; p < q && !dup; p++)
        dup = !strcmp(rec->header->signals[p].description, desc);
    if (dup)
        snprintf(id, sizeof id, "%s-s%d", rid, q);
    else
        snprintf(id, sizeof id, "%s-%s", rid, sid);
    return eo_report_ecg_span(r, id, rec->fs_hz, s0, s1, &tr, 1, marks, n_marks, err);
}

eo_status eo_record_report_info(const char *path, const char *record, const char *base,
                                const eo_wfdb_read_options *ro, const eo_record_summary *s,
                                double from_s, double seconds, eo_error *err)
{
    eo_wfdb_record *rec = NULL;
    if (!path || !record || !base || !s)
        return eo_error_set(err, EO_STATUS_USAGE, "info report: NULL path, record or summary");
    eo_status st = eo_wfdb_record_load(base, ro, &rec, err);
    if (st)
        return st;
    double fs = rec->fs_hz;
    long s0, s1;
    if ((st = eo_report_span(base, from_s, seconds, fs, rec->n_samples, &s0, &s1, err))) {
        eo_wfdb_record_destroy(rec);
        return st;
    }
    char title[512], rid[96], txt[512];
    snprintf(title, sizeof title, "ecgopt info: record %s", record);
    eo_report *r = eo_report_create(title);
    /* traces are indexed from sample 0 of the record: NaN before the span */
    double *mv = malloc((size_t)s1 * sizeof *mv);
    eo_strip_mark *marks = NULL;
    size_t n_marks = 0;
    if (!r || !mv)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    if (!st) {
        snprintf(txt, sizeof txt, "%d signal(s) at %g Hz, %.1f s; shown: %.1f-%.1f s. Beat labels are the %s "
                 "annotation symbols.", rec->n_signals, fs, (double)rec->n_samples / fs, (double)s0 / fs,
                 (double)s1 / fs, s->annotations ? s->annotator : "(no annotations)");
        eo_report_paragraph(r, txt);
    }
    if (!st && s->annotations)
        st = eo_annot_strip_marks(s->annotations, s0, s1, &marks, &n_marks, err);
    eo_report_make_id(record, rid, sizeof rid);
    for (int q = 0; !st && q < rec->n_signals; q++)
        st = info_signal(r, rec, q, rid, s0, s1, mv, marks, n_marks, err);
    if (!st && s->annotations)
        st = add_annotations(r, path, record, s, rec->fs_hz, rec->n_samples, err);
    if (!st)
        st = eo_report_write(r, path, err);
    free(mv);
    free(marks);
    eo_report_destroy(r);
    eo_wfdb_record_destroy(rec);
    return st;
}
