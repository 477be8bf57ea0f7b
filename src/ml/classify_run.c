/* A whole record classified (`ecgopt classify`): beat positions from the
 * reference annotations or the QRS detector, the model's labels, the
 * predicted class counts, and the result as JSON or text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/classify_run.h"
#include "ecgopt/detect.h"
#include "ecgopt/wfdb_span.h"

eo_status eo_classify_record_beats(const eo_classifier *m, const char *base, int lead,
                                   int use_detector, const eo_wfdb_read_options *ro,
                                   eo_annotation_set **out, eo_error *err)
{
    char idx[16];
    eo_annotation_set *det = NULL;
    snprintf(idx, sizeof idx, "#%d", lead);
    *out = NULL;
    eo_status st = use_detector ? eo_detect_record(base, idx + 1, NULL, ro, NULL, NULL, &det, NULL, err)
                                : EO_STATUS_OK;
    if (!st)
        st = eo_classify_record_lead(m, base, det, idx, out, err);
    eo_annot_set_destroy(det);
    return st;
}

void eo_classify_record_defaults(eo_classify_record_options *o)
{
    memset(o, 0, sizeof *o);
    o->to_s = -1;
}

/* The span of o in samples of the record at base (its header). */
static eo_status record_span(const char *base, const eo_classify_record_options *o, long *s0, long *s1,
                             eo_error *err)
{
    char hea[4200];
    eo_wfdb_header *h = NULL;
    snprintf(hea, sizeof hea, "%s.hea", base);
    eo_status st = eo_wfdb_header_read(hea, &h, err);
    if (!st && h->n_samples <= 0)
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: no sample count in the header, so --from/--to cannot be checked",
                          hea);
    if (!st)
        st = eo_wfdb_span_samples(h->fs_hz, h->n_samples, o->from_s, o->to_s, base, s0, s1, err);
    eo_wfdb_header_destroy(h);
    return st;
}

eo_status eo_classify_record_run(const eo_classifier *m, const char *base, const eo_classify_record_options *o,
                                 const eo_wfdb_read_options *ro, eo_annotation_set **out, long *s0, long *s1,
                                 eo_error *err)
{
    long a = 0, b = 0;
    int whole = o->from_s == 0 && o->to_s < 0;
    *out = NULL;
    eo_status st = whole ? EO_STATUS_OK : record_span(base, o, &a, &b, err);
    if (!st)
        st = eo_classify_record_beats(m, base, o->lead, o->use_detector, ro, out, err);
    if (!st && !whole) { /* keep the beats inside the span, in place */
        eo_annotation_set *p = *out;
        size_t k = 0;
        for (size_t i = 0; i < p->n; i++)
            if (p->items[i].sample >= a && p->items[i].sample < b)
                p->items[k++] = p->items[i];
            else
                free(p->items[i].aux);
        p->n = k;
    }
    if (s0)
        *s0 = a;
    if (s1)
        *s1 = b;
    return st;
}

void eo_classify_result_count(const eo_classifier *m, eo_classify_result *r)
{
    eo_label_set ls = eo_classifier_labels(m);
    int k = eo_label_set_n_classes(ls);
    memset(r->counts, 0, sizeof r->counts);
    r->unclassified = 0;
    for (size_t i = 0; r->predicted && i < r->predicted->n; i++) {
        int cls = eo_label_of_code(ls, r->predicted->items[i].code);
        if (cls >= 0 && cls < k)
            r->counts[cls]++;
        else
            r->unclassified++;
    }
}

/* the figures the report draws, so a script can check them */
static void json_reference(eo_json *j, const eo_classify_result *r)
{
    eo_ec57_stats g;
    eo_ec57_stats_of(&r->m, &g);
    eo_json_key(j, "reference");
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "annotator", r->ref);
    eo_json_kv_str(j, "rows_ref_cols_test", "N S V F Q O X");
    eo_json_key(j, "matrix");
    eo_json_arr_begin(j);
    for (int a = 0; a < EO_EC57_NCLASS; a++) {
        eo_json_arr_begin(j);
        for (int b = 0; b < EO_EC57_NCLASS; b++)
            eo_json_int(j, r->m.m[a][b]);
        eo_json_arr_end(j);
    }
    eo_json_arr_end(j);
    eo_json_kv_num(j, "qrs_se", g.qrs_se);
    eo_json_kv_num(j, "qrs_ppv", g.qrs_ppv);
    eo_json_kv_num(j, "veb_se", g.veb_se);
    eo_json_kv_num(j, "veb_ppv", g.veb_ppv);
    eo_json_kv_num(j, "veb_fpr", g.veb_fpr);
    eo_json_kv_num(j, "sveb_se", g.sveb_se);
    eo_json_kv_num(j, "sveb_ppv", g.sveb_ppv);
    eo_json_kv_int(j, "shown_disagreements", (long long)r->pc.disagree);
    eo_json_kv_int(j, "shown_missed", (long long)r->pc.missed);
    eo_json_kv_int(j, "shown_extra", (long long)r->pc.extra);
    eo_json_obj_end(j);
}

void eo_classify_result_json(eo_json *j, const eo_classifier *m, const eo_classify_result *r)
{
    eo_label_set ls = eo_classifier_labels(m);
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "record", r->record);
    eo_json_kv_str(j, "model", eo_classifier_model(m));
    eo_json_kv_str(j, "labels", eo_label_set_name(ls));
    eo_json_kv_str(j, "beats", r->beats);
    if (r->span_end > 0) {
        eo_json_kv_int(j, "from_sample", r->span_start);
        eo_json_kv_int(j, "to_sample", r->span_end);
    }
    eo_json_kv_int(j, "n_beats", (long long)(r->predicted ? r->predicted->n : 0));
    eo_json_key(j, "counts");
    eo_json_obj_begin(j);
    for (int q = 0; q < eo_label_set_n_classes(ls); q++)
        eo_json_kv_int(j, eo_label_class_name(ls, q), r->counts[q]);
    eo_json_obj_end(j);
    eo_json_kv_int(j, "unclassified_edge_beats", r->unclassified);
    eo_json_kv_num(j, "seconds", r->seconds);
    eo_json_kv_str(j, "output", r->output);
    if (r->report)
        eo_json_kv_str(j, "report", r->report);
    if (r->scored)
        json_reference(j, r);
    eo_json_obj_end(j);
}

void eo_classify_result_text(eo_strbuf *b, const eo_classifier *m, const eo_classify_result *r)
{
    eo_label_set ls = eo_classifier_labels(m);
    eo_strbuf_printf(b, "%s: %zu beats (%s", r->record, r->predicted ? r->predicted->n : 0, r->beats);
    if (r->span_end > 0)
        eo_strbuf_printf(b, ", samples %ld..%ld", r->span_start, r->span_end);
    eo_strbuf_printf(b, ") ->");
    for (int q = 0; q < eo_label_set_n_classes(ls); q++)
        eo_strbuf_printf(b, " %s %ld", eo_label_class_name(ls, q), r->counts[q]);
    eo_strbuf_printf(b, "; written to %s (%.2f s)\n", r->output, r->seconds);
    if (r->scored) {
        eo_ec57_stats g;
        eo_ec57_stats_of(&r->m, &g);
        eo_strbuf_printf(b, "vs %s (EC57): VEB Se %.2f%% +P %.2f%%, SVEB Se %.2f%% +P %.2f%%\n", r->ref,
                         g.veb_se, g.veb_ppv, g.sveb_se, g.sveb_ppv);
    }
}
