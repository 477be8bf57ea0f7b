/* A whole record classified (`ecgopt classify`): beat positions from the
 * reference annotations or the QRS detector, the model's labels, the
 * predicted class counts, and the result as JSON or text. */
#include <stdio.h>
#include <string.h>

#include "ecgopt/classify_run.h"
#include "ecgopt/detect.h"

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
    eo_strbuf_printf(b, "%s: %zu beats (%s) ->", r->record, r->predicted ? r->predicted->n : 0, r->beats);
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
