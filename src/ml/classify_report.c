/* The HTML report of a classified record (`ecgopt classify --report`):
 * the model's lead on 10-s strips with reference/predicted labels, the
 * EC57 matrix with Se/+P over the whole record, the predicted class counts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/classify_run.h"
#include "ecgopt/record_report.h"

/* the EC57 match window (ec57.h: match_window_s, 150 ms) in samples */
static long ec57_window(double fs)
{
    eo_ec57_options o;
    eo_ec57_defaults(&o, fs);
    return (long)llround(o.match_window_s * fs);
}

static const char *class_label(eo_label_set ls, int code)
{
    int k = eo_label_of_code(ls, code);
    return k >= 0 ? eo_label_class_name(ls, k) : eo_annot_code_symbol(code);
}

/* Beat marks of the span [s0, s1): reference/predicted labels paired within
 * the EC57 window (predicted only without a reference); r->pc filled. */
static eo_status span_marks(eo_label_set ls, const eo_annotation_set *ref, const eo_annotation_set *out,
                            double fs, long s0, long s1, eo_strip_mark **marks, size_t *n_marks,
                            eo_classify_result *r, size_t *n_ref_beats, eo_error *err)
{
    eo_report_beat *rb = calloc((ref ? ref->n : 0) + 1, sizeof *rb);
    eo_report_beat *tb = calloc(out->n + 1, sizeof *tb);
    size_t nr = 0, nt = 0;
    eo_status st = EO_STATUS_OK;
    if (!rb || !tb)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", r->report);
    for (size_t i = 0; !st && ref && i < ref->n; i++)
        if (eo_annot_is_beat(ref->items[i].code)) {
            rb[nr].sample = ref->items[i].sample;
            rb[nr++].label = class_label(ls, ref->items[i].code);
        }
    for (size_t i = 0; !st && i < out->n; i++) {
        tb[nt].sample = out->items[i].sample;
        tb[nt++].label = class_label(ls, out->items[i].code);
    }
    if (!st)
        st = eo_report_pair_beats(ref ? rb : NULL, nr, tb, nt, ec57_window(fs), s0, s1, marks, n_marks,
                                  &r->pc, err);
    *n_ref_beats = nr;
    free(rb);
    free(tb);
    return st;
}

/* The EC57 matrix, the Se/+P table and the predicted class counts. */
static eo_status add_tables(eo_report *rep, eo_label_set ls, eo_classify_result *r, eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    char txt[512];
    if (r->scored) {
        const char *cls[EO_EC57_NCLASS];
        long mm[EO_EC57_NCLASS * EO_EC57_NCLASS];
        for (int a = 0; a < EO_EC57_NCLASS; a++) {
            cls[a] = eo_ec57_class_name(a);
            for (int b = 0; b < EO_EC57_NCLASS; b++)
                mm[a * EO_EC57_NCLASS + b] = r->m.m[a][b];
        }
        eo_ec57_stats g;
        eo_ec57_stats_of(&r->m, &g);
        eo_report_ec57_row rows[3] = {{"QRS", g.qtp, g.qfn, g.qfp, g.qrs_se, g.qrs_ppv, NAN},
                                      {"VEB", g.vtp, g.vfn, g.vfp, g.veb_se, g.veb_ppv, g.veb_fpr},
                                      {"SVEB", g.stp, g.sfn, g.sfp, g.sveb_se, g.sveb_ppv, NAN}};
        if (r->span_end > 0)
            snprintf(txt, sizeof txt, "Samples %ld..%ld vs %s, by AAMI class (EC57, 150 ms window)", r->span_start,
                     r->span_end, r->ref);
        else
            snprintf(txt, sizeof txt, "Whole record vs %s, by AAMI class (EC57, 150 ms window)", r->ref);
        st = eo_report_add_classification(rep, txt, cls, EO_EC57_NCLASS, mm, 5, rows, 3, err);
    }
    if (!st) {
        const char *names[EO_LABELS_MAX_CLASSES];
        int k = eo_label_set_n_classes(ls);
        for (int q = 0; q < k; q++)
            names[q] = eo_label_class_name(ls, q);
        eo_report_heading(rep, 2, "Predicted classes");
        st = eo_report_add_counts(rep, NULL, "predicted-classes", names, r->counts, k, err);
    }
    return st;
}

/* The paragraph above the strips. */
static void describe(eo_report *rep, const eo_wfdb_record *rec, int sig, long s0, long s1, size_t nr,
                     eo_label_set ls, const eo_classify_result *r)
{
    char txt[1024];
    double fs = rec->fs_hz;
    const char *desc = rec->header->signals[sig].description;
    if (r->scored)
        snprintf(txt, sizeof txt, "%zu beats classified (positions: %s) on signal %d (%s); reference %s: %zu beats. "
                 "Strips %.1f-%.1f s: labels reference/predicted (%s classes), %zu disagreements highlighted, "
                 "%zu reference beats without a prediction (ref/-), %zu predictions without a reference beat (-/x).",
                 r->predicted->n, r->beats, sig, desc, r->ref, nr, (double)s0 / fs, (double)s1 / fs,
                 eo_label_set_name(ls), r->pc.disagree, r->pc.missed, r->pc.extra);
    else
        snprintf(txt, sizeof txt, "%zu beats classified (positions: %s) on signal %d (%s); no reference annotator "
                 "'%s'. Strips %.1f-%.1f s: the predicted class at each beat.", r->predicted->n, r->beats, sig,
                 desc, r->ref, (double)s0 / fs, (double)s1 / fs);
    eo_report_paragraph(rep, txt);
}

eo_status eo_classify_report_write(const eo_classifier *m, const char *base, int sig,
                                   const eo_wfdb_read_options *ro, double from_s, double seconds,
                                   eo_classify_result *r, eo_error *err)
{
    eo_wfdb_record *rec = NULL;
    eo_annotation_set *ref = NULL;
    eo_report *rep = NULL;
    eo_strip_mark *marks = NULL;
    size_t n_marks = 0, nr = 0;
    char title[512], apath[4200];
    if (!m || !r || !r->predicted || !r->report || !r->ref || !r->record)
        return eo_error_set(err, EO_STATUS_USAGE, "classify report: NULL model, result or path");
    eo_label_set ls = eo_classifier_labels(m);
    eo_status st = eo_wfdb_record_load(base, ro, &rec, err);
    if (st)
        return st;
    double fs = rec->fs_hz;
    long s0 = 0, s1 = 0;
    r->scored = 0;
    if (sig < 0 || sig >= rec->n_signals)
        st = eo_error_set(err, EO_STATUS_INTERNAL, "%s: lead %d of %d", r->record, sig, rec->n_signals);
    snprintf(apath, sizeof apath, "%s.%s", base, r->ref);
    if (!st && strcmp(r->ref, "none") && access(apath, F_OK) == 0)
        st = eo_annot_read(apath, &ref, err);
    if (!st)
        st = eo_report_span(r->record, from_s, seconds, fs, rec->n_samples, &s0, &s1, err);
    snprintf(title, sizeof title, "ecgopt classify: record %s, model %s (%s labels)", r->record,
             eo_classifier_model(m), eo_label_set_name(ls));
    if (!st && !(rep = eo_report_create(title)))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", r->report);
    if (!st)
        st = span_marks(ls, ref, r->predicted, fs, s0, s1, &marks, &n_marks, r, &nr, err);
    if (!st && ref) {
        eo_ec57_options eo;
        eo_ec57_defaults(&eo, fs);
        eo.end_sample = rec->n_samples;
        if (r->span_end > 0) { /* a span: score the reference beats inside it only */
            eo.learning_period_s = (double)r->span_start / fs;
            eo.end_sample = r->span_end;
        }
        st = eo_ec57_compare(ref, r->predicted, &eo, &r->m, err);
        r->scored = !st;
    }
    if (!st) {
        describe(rep, rec, sig, s0, s1, nr, ls, r);
        st = eo_record_report_strips(rep, rec, sig, s0, s1, r->record, marks, n_marks, err);
    }
    if (!st)
        st = add_tables(rep, ls, r, err);
    if (!st)
        st = eo_report_write(rep, r->report, err);
    free(marks);
    eo_report_destroy(rep);
    eo_annot_set_destroy(ref);
    eo_wfdb_record_destroy(rec);
    return st;
}
