/* An EC57 evaluation written out: JSON members and the text tables of
 * `ecgopt evaluate` (bxb's layout: per record, gross, average). */
#include <math.h>
#include <string.h>

#include "ecgopt/ec57_eval.h"

static void json_stats(eo_json *j, const eo_ec57_stats *s)
{
    eo_json_kv_int(j, "qrs_tp", s->qtp);
    eo_json_kv_int(j, "qrs_fn", s->qfn);
    eo_json_kv_int(j, "qrs_fp", s->qfp);
    eo_json_kv_num(j, "qrs_se", s->qrs_se);
    eo_json_kv_num(j, "qrs_ppv", s->qrs_ppv);
    eo_json_kv_int(j, "veb_tp", s->vtp);
    eo_json_kv_int(j, "veb_fn", s->vfn);
    eo_json_kv_int(j, "veb_fp", s->vfp);
    eo_json_kv_num(j, "veb_se", s->veb_se);
    eo_json_kv_num(j, "veb_ppv", s->veb_ppv);
    eo_json_kv_num(j, "veb_fpr", s->veb_fpr);
    eo_json_kv_int(j, "sveb_tp", s->stp);
    eo_json_kv_int(j, "sveb_fn", s->sfn);
    eo_json_kv_int(j, "sveb_fp", s->sfp);
    eo_json_kv_num(j, "sveb_se", s->sveb_se);
    eo_json_kv_num(j, "sveb_ppv", s->sveb_ppv);
}

static void json_matrix(eo_json *j, const eo_ec57_result *r)
{
    eo_json_key(j, "matrix");
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "rows_ref_cols_test", "N S V F Q O X");
    eo_json_key(j, "counts");
    eo_json_arr_begin(j);
    for (int a = 0; a < EO_EC57_NCLASS; a++) {
        eo_json_arr_begin(j);
        for (int b = 0; b < EO_EC57_NCLASS; b++)
            eo_json_int(j, r->m[a][b]);
        eo_json_arr_end(j);
    }
    eo_json_arr_end(j);
    eo_json_obj_end(j);
}

static void json_classes(eo_json *j, const eo_ec57_class_metrics *cm)
{
    eo_json_kv_int(j, "matched_beats", cm->total);
    eo_json_kv_num(j, "accuracy", cm->accuracy);
    eo_json_key(j, "per_class");
    eo_json_obj_begin(j);
    for (int k = 0; k < 5; k++) {
        eo_json_key(j, eo_ec57_class_name(k));
        eo_json_obj_begin(j);
        eo_json_kv_int(j, "support", cm->support[k]);
        eo_json_kv_int(j, "predicted", cm->predicted[k]);
        eo_json_kv_num(j, "se", cm->se[k]);
        eo_json_kv_num(j, "ppv", cm->ppv[k]);
        eo_json_kv_num(j, "spec", cm->spec[k]);
        eo_json_kv_num(j, "f1", cm->f1[k]);
        eo_json_obj_end(j);
    }
    eo_json_obj_end(j);
    const char *names[8] = {"macro_se", "macro_ppv", "macro_spec", "macro_f1",
                            "weighted_se", "weighted_ppv", "weighted_spec", "weighted_f1"};
    const double v[8] = {cm->macro_se, cm->macro_ppv, cm->macro_spec, cm->macro_f1,
                         cm->weighted_se, cm->weighted_ppv, cm->weighted_spec, cm->weighted_f1};
    for (int k = 0; k < 8; k++)
        eo_json_kv_num(j, names[k], v[k]);
}

void eo_ec57_eval_json(eo_json *j, const eo_ec57_eval *e)
{
    eo_json_kv_str(j, "reference", e->o.ref);
    eo_json_kv_str(j, "test", e->o.test);
    eo_json_kv_num(j, "match_window_s", e->o.ec57.match_window_s);
    eo_json_kv_num(j, "learning_period_s", e->o.ec57.learning_period_s);
    eo_json_kv_bool(j, "escape_as_sveb", e->o.ec57.escape_as_sveb);
    eo_json_key(j, "records");
    eo_json_arr_begin(j);
    for (int k = 0; k < e->n; k++) {
        const eo_ec57_eval_record *r = &e->recs[k];
        eo_ec57_stats s;
        eo_ec57_stats_of(&r->r, &s);
        eo_json_obj_begin(j);
        eo_json_kv_str(j, "record", r->name);
        eo_json_kv_int(j, "ref_beats", r->ref_beats);
        eo_json_kv_int(j, "test_beats", r->test_beats);
        eo_json_kv_int(j, "ref_beats_record", r->ref_total);
        eo_json_kv_int(j, "test_beats_record", r->test_total);
        json_stats(j, &s);
        json_matrix(j, &r->r);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
    eo_json_key(j, "gross");
    eo_json_obj_begin(j);
    json_stats(j, &e->g);
    json_matrix(j, &e->gross);
    eo_json_obj_end(j);
    eo_json_key(j, "average");
    eo_json_obj_begin(j);
    json_stats(j, &e->avg);
    eo_json_obj_end(j);
    eo_json_key(j, "classes");
    eo_json_obj_begin(j);
    json_classes(j, &e->cm);
    eo_json_obj_end(j);
}

/* a percentage, or "-" where undefined */
static void pnum(eo_strbuf *b, double v, const char *fmt)
{
    if (isnan(v))
        eo_strbuf_printf(b, "%8s", "-");
    else
        eo_strbuf_printf(b, fmt, v);
}

static void row(eo_strbuf *b, int width, const char *name, long ref, long test, const eo_ec57_stats *s)
{
    eo_strbuf_printf(b, "%-*s", width, name);
    if (ref >= 0)
        eo_strbuf_printf(b, " %6ld %6ld", ref, test);
    else
        eo_strbuf_printf(b, " %6s %6s", "", "");
    eo_strbuf_printf(b, " %6ld %5ld %5ld", s->qtp, s->qfn, s->qfp);
    pnum(b, s->qrs_se, " %7.3f");
    pnum(b, s->qrs_ppv, " %7.3f");
    pnum(b, s->veb_se, " %7.2f");
    pnum(b, s->veb_ppv, " %7.2f");
    pnum(b, s->veb_fpr, " %7.3f");
    pnum(b, s->sveb_se, " %7.2f");
    pnum(b, s->sveb_ppv, " %7.2f");
    eo_strbuf_append(b, "\n");
}

static void class_row(eo_strbuf *b, const char *name, const char *support, double se, double ppv, double spec,
                      double f1)
{
    eo_strbuf_printf(b, "  %-5s %8s", name, support);
    pnum(b, 100.0 * se, " %7.2f");
    pnum(b, 100.0 * ppv, " %7.2f");
    pnum(b, 100.0 * spec, " %7.2f");
    pnum(b, 100.0 * f1, " %7.2f");
    eo_strbuf_append(b, "\n");
}

static void classes_text(eo_strbuf *b, const eo_ec57_class_metrics *cm)
{
    eo_strbuf_printf(b, "\nclasses over %ld matched beats: accuracy ", cm->total);
    pnum(b, 100.0 * cm->accuracy, "%.3f%%\n");
    if (isnan(cm->accuracy))
        eo_strbuf_append(b, "\n");
    eo_strbuf_append(b, "  class  support      Se     +P    Spec      F1\n");
    for (int k = 0; k < 5; k++) {
        char sup[24];
        snprintf(sup, sizeof sup, "%ld", cm->support[k]);
        class_row(b, eo_ec57_class_name(k), sup, cm->se[k], cm->ppv[k], cm->spec[k], cm->f1[k]);
    }
    class_row(b, "macro", "", cm->macro_se, cm->macro_ppv, cm->macro_spec, cm->macro_f1);
    class_row(b, "wtd", "", cm->weighted_se, cm->weighted_ppv, cm->weighted_spec, cm->weighted_f1);
}

void eo_ec57_eval_text(eo_strbuf *b, const eo_ec57_eval *e)
{
    const eo_ec57_options *o = &e->o.ec57;
    eo_strbuf_printf(b, "EC57 beat-by-beat comparison: reference %s, test %s, window %.3f s, learning period %g s%s\n",
                     e->o.ref, e->o.test, o->match_window_s, o->learning_period_s,
                     o->learning_period_s > 0 ? "" : " (none; WFDB bxb and EC57 use 300 s: --learning-period 300)");
    eo_strbuf_append(b, "ref and test count the beats scored (after the learning period): ref = TP + FN, "
                        "test = TP + FP\n\n");
    int w = 8;
    for (int k = 0; k < e->n; k++)
        if ((int)strlen(e->recs[k].name) > w)
            w = (int)strlen(e->recs[k].name);
    eo_strbuf_printf(b, "%-*s %6s %6s %6s %5s %5s %7s %7s %7s %7s %7s %7s %7s\n", w, "record", "ref", "test", "TP",
                     "FN", "FP", "QRS Se", "QRS +P", "VEB Se", "VEB +P", "VEB FPR", "SVEB Se", "SVEB +P");
    for (int k = 0; k < e->n; k++) {
        eo_ec57_stats s;
        eo_ec57_stats_of(&e->recs[k].r, &s);
        row(b, w, e->recs[k].name, e->recs[k].ref_beats, e->recs[k].test_beats, &s);
    }
    eo_strbuf_append(b, "\n");
    row(b, w, "gross", -1, -1, &e->g);
    row(b, w, "average", -1, -1, &e->avg);
    eo_strbuf_printf(b, "\nconfusion matrix (gross; rows reference, columns test):\n      %7s %7s %7s %7s %7s %7s %7s\n",
                     "n", "s", "v", "f", "q", "o", "x");
    for (int a = 0; a < EO_EC57_NCLASS; a++) {
        eo_strbuf_printf(b, "  %s | ", eo_ec57_class_name(a));
        for (int c = 0; c < EO_EC57_NCLASS; c++)
            if (a >= EO_EC57_O && c >= EO_EC57_O)
                eo_strbuf_printf(b, " %7s", "");
            else
                eo_strbuf_printf(b, " %7ld", e->gross.m[a][c]);
        eo_strbuf_append(b, "\n");
    }
    classes_text(b, &e->cm);
}
