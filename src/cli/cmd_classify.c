/* ecgopt classify — label the beats of a record with a trained model and
 * write them as a WFDB annotation file (ml.h: eo_classify_record). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ecgopt/detect.h"
#include "ecgopt/ec57.h"
#include "ecgopt/json.h"
#include "ecgopt/ml.h"
#include "ecgopt/report.h"

/* the EC57 match window (ec57.h: match_window_s, 150 ms) in samples */
static long ec57_window(double fs)
{
    eo_ec57_options o;
    eo_ec57_defaults(&o, fs);
    return (long)llround(o.match_window_s * fs);
}

typedef struct cls_report {
    const char *path, *ref;
    double from_s, seconds;
    int scored;            /* a reference was found: m holds the EC57 matrix */
    eo_ec57_result m;
    eo_report_pair_counts pc;
} cls_report;

static const char *class_label(eo_label_set ls, int code)
{
    int k = eo_label_of_code(ls, code);
    return k >= 0 ? eo_label_class_name(ls, k) : eo_annot_code_symbol(code);
}

/* --report: strips of the model's lead with reference/predicted labels,
 * the EC57 matrix, Se/+P bars and table, the predicted class counts. */
static eo_status write_report(cls_report *cr, const char *record, const char *base, const eo_classifier *m,
                              const char *beats, int verify, int sig, const eo_annotation_set *out,
                              eo_error *err)
{
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = verify;
    eo_wfdb_record *rec = NULL;
    eo_annotation_set *ref = NULL;
    eo_report *r = NULL;
    eo_report_beat *rb = NULL, *tb = NULL;
    eo_strip_mark *marks = NULL;
    double *mv = NULL;
    size_t n_marks = 0, nr = 0, nt = 0;
    char txt[1024], rid[96], apath[4200];
    eo_status st = eo_wfdb_record_load(base, &ro, &rec, err);
    if (st)
        return st;
    double fs = rec->fs_hz;
    eo_label_set ls = eo_classifier_labels(m);
    int k = eo_label_set_n_classes(ls);
    eo_beats_options how;
    eo_classifier_beats_options(m, &how);
    if (sig < 0 || sig >= rec->n_signals) {
        st = eo_error_set(err, EO_STATUS_INTERNAL, "%s: lead %d of %d", record, sig, rec->n_signals);
        goto done;
    }
    snprintf(apath, sizeof apath, "%s.%s", base, cr->ref);
    if (strcmp(cr->ref, "none") && access(apath, F_OK) == 0 && (st = eo_annot_read(apath, &ref, err)))
        goto done;
    long s0, s1;
    if ((st = eo_report_span(record, cr->from_s, cr->seconds, fs, rec->n_samples, &s0, &s1, err)))
        goto done;
    char title[512];
    snprintf(title, sizeof title, "ecgopt classify: record %s, model %s (%s labels)", record, eo_classifier_model(m),
             eo_label_set_name(ls));
    r = eo_report_create(title);
    mv = malloc((size_t)s1 * sizeof *mv);
    rb = calloc((ref ? ref->n : 0) + 1, sizeof *rb);
    tb = calloc(out->n + 1, sizeof *tb);
    if (!r || !mv || !rb || !tb) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", cr->path);
        goto done;
    }
    for (long i = 0; i < s0; i++)
        mv[i] = NAN;
    st = eo_wfdb_record_physical(rec, sig, s0, s1 - s0, mv + s0, err);
    if (st)
        goto done;
    long counts[EO_LABELS_MAX_CLASSES] = {0};
    for (size_t i = 0; ref && i < ref->n; i++)
        if (eo_annot_is_beat(ref->items[i].code)) {
            rb[nr].sample = ref->items[i].sample;
            rb[nr++].label = class_label(ls, ref->items[i].code);
        }
    for (size_t i = 0; i < out->n; i++) {
        int q = eo_label_of_code(ls, out->items[i].code);
        if (q >= 0 && q < k)
            counts[q]++;
        tb[nt].sample = out->items[i].sample;
        tb[nt++].label = class_label(ls, out->items[i].code);
    }
    st = eo_report_pair_beats(ref ? rb : NULL, nr, tb, nt, ec57_window(fs), s0, s1, &marks, &n_marks,
                              &cr->pc, err);
    if (st)
        goto done;
    if (ref) {
        eo_ec57_options eo;
        eo_ec57_defaults(&eo, fs);
        eo.end_sample = rec->n_samples;
        st = eo_ec57_compare(ref, out, &eo, &cr->m, err);
        if (st)
            goto done;
        cr->scored = 1;
        snprintf(txt, sizeof txt, "%zu beats classified (positions: %s) on signal %d (%s); reference %s: %zu beats. "
                 "Strips %.1f-%.1f s: labels reference/predicted (%s classes), %zu disagreements highlighted, "
                 "%zu reference beats without a prediction (ref/-), %zu predictions without a reference beat (-/x).",
                 out->n, beats, sig, rec->header->signals[sig].description, cr->ref, nr, (double)s0 / fs, (double)s1 / fs,
                 eo_label_set_name(ls), cr->pc.disagree, cr->pc.missed, cr->pc.extra);
    } else {
        snprintf(txt, sizeof txt, "%zu beats classified (positions: %s) on signal %d (%s); no reference annotator "
                 "'%s'. Strips %.1f-%.1f s: the predicted class at each beat.", out->n, beats, sig, rec->header->signals[sig].description,
                 cr->ref, (double)s0 / fs, (double)s1 / fs);
    }
    eo_report_paragraph(r, txt);
    const char *desc = rec->header->signals[sig].description;
    eo_strip_trace tr = {desc[0] ? desc : "signal", mv, (size_t)s1};
    eo_strip_options so;
    eo_strip_defaults(&so, fs);
    so.band_mv = 0;
    so.t0_s = (double)s0 / fs;
    so.seconds = 10;
    eo_report_make_id(record, rid, sizeof rid);
    st = eo_report_ecg_zoom(r, rid, &so, (double)(s1 - s0) / fs, (int)ceil((double)(s1 - s0) / fs / 10 - 1e-9), &tr,
                            1, marks, n_marks, err);
    if (!st && ref) {
        const char *cls[EO_EC57_NCLASS];
        long mm[EO_EC57_NCLASS * EO_EC57_NCLASS];
        for (int a = 0; a < EO_EC57_NCLASS; a++) {
            cls[a] = eo_ec57_class_name(a);
            for (int b = 0; b < EO_EC57_NCLASS; b++)
                mm[a * EO_EC57_NCLASS + b] = cr->m.m[a][b];
        }
        eo_ec57_stats g;
        eo_ec57_stats_of(&cr->m, &g);
        eo_report_ec57_row rows[3] = {{"QRS", g.qtp, g.qfn, g.qfp, g.qrs_se, g.qrs_ppv, NAN},
                                      {"VEB", g.vtp, g.vfn, g.vfp, g.veb_se, g.veb_ppv, g.veb_fpr},
                                      {"SVEB", g.stp, g.sfn, g.sfp, g.sveb_se, g.sveb_ppv, NAN}};
        snprintf(txt, sizeof txt, "Whole record vs %s, by AAMI class (EC57, 150 ms window)", cr->ref);
        st = eo_report_add_classification(r, txt, cls, EO_EC57_NCLASS, mm, 5, rows, 3, err);
    }
    if (!st) {
        const char *names[EO_LABELS_MAX_CLASSES];
        for (int q = 0; q < k; q++)
            names[q] = eo_label_class_name(ls, q);
        eo_report_heading(r, 2, "Predicted classes");
        st = eo_report_add_counts(r, NULL, "predicted-classes", names, counts, k, err);
    }
    if (!st)
        st = eo_report_write(r, cr->path, err);
done:
    free(mv);
    free(rb);
    free(tb);
    free(marks);
    eo_report_destroy(r);
    eo_annot_set_destroy(ref);
    eo_wfdb_record_destroy(rec);
    return st;
}

static void classify_help(eo_cli *c, const eo_cli_opt *opts)
{
    eo_cli_spec spec = {
        "classify --model MODEL RECORD [--beats atr|detector] [--lead NAME|INDEX]\n"
        "                       [-o ANNFILE] [--report FILE.html [--ref NAME] [--report-from S]\n"
        "                       [--report-seconds S]]",
        "Classify every beat of RECORD with a model from `ecgopt train` and write a WFDB\n"
        "annotation file with the predicted labels at the beats (AAMI classes as N A V F Q;\n"
        "nlrav as N L R A V): -o ANNFILE, default RECORD.cls next to the record.  The\n"
        "record is prepared exactly as the model's training data (lead, window,\n"
        "band-pass; all stored in the model file).  A record at another sampling rate\n"
        "(100..10000 Hz) than the model's is resampled to it; the annotations are written\n"
        "at the record's own sample positions.  The report draws the model's lead on 10-s\n"
        "strips with the predicted class at each beat and, when the reference annotator\n"
        "exists, reference/predicted with the disagreements highlighted, the EC57\n"
        "comparison matrix (heat map), per-class Se/+P bars and the EC57 table.\n",
        opts,
        "ecgopt classify --model gbm.model 100 --beats detector -o /tmp/100.cls\n"
        "ecgopt classify --model gbm.model 208 -o /tmp/208.cls --report 208.html\n"
        "ecgopt evaluate --ref atr --test cls --test-dir /tmp 100\n",
        "0 ok, 1 usage, 2 bad input (missing lead, rate out of range), 3 internal"};
    eo_cli_help(c, &spec);
}

int eo_cmd_classify(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "classify", &argc, argv))
        return c.rc;
    const char *model_path = NULL, *beats = "atr", *record = NULL, *lead = NULL;
    cls_report cr;
    memset(&cr, 0, sizeof cr);
    cr.ref = "atr";
    cr.seconds = 60;
    const eo_cli_opt opts[] = {
        {"--model", EO_OPT_STR, &model_path, 0, 0, "MODEL", "model file (ecgopt train)", NULL},
        {"--beats", EO_OPT_STR, &beats, 0, 0, "atr|detector",
         "beat positions from the reference annotations (atr, default) or from\n"
         "ecgopt's QRS detector", NULL},
        {"--lead", EO_OPT_STR, &lead, 0, 0, "NAME|INDEX",
         "the lead to classify (default: the model's lead if the record has it, else\n"
         "MLII, II, ECG1, then signal 0; said on stderr); another lead than the model's is\n"
         "warned about", NULL},
        EO_OPT_REPORT(&cr.path),
        {"--ref", EO_OPT_STR, &cr.ref, 0, 0, "NAME", "reference annotator for the report (default atr; none: skip)", NULL},
        EO_OPT_REPORT_SPAN(&cr.from_s, &cr.seconds),
        EO_OPT_TABLE_END};
    if (c.help) {
        classify_help(&c, opts);
        return 0;
    }
    if (eo_cli_parse(&c, opts, argc, argv, &record, 1, NULL, "RECORD"))
        return 1;
    if (!model_path)
        return eo_cli_usage(&c, "missing --model MODEL");
    if (!record)
        return eo_cli_usage(&c, "missing RECORD");
    int use_det = !strcmp(beats, "detector");
    if (!use_det && strcmp(beats, "atr"))
        return eo_cli_usage(&c, "--beats must be atr or detector, got '%s'", beats);
    eo_error err;
    eo_classifier *m = NULL;
    eo_annotation_set *det = NULL, *out = NULL;
    char base[4096], path[4200];
    /* every output checked before the work; a failure removes what was made */
    eo_status st = eo_classifier_load(model_path, &m, &err);
    if (!st)
        st = eo_data_find_record(c.data_dir, record, "hea", base, sizeof base, &err);
    if (!st) {
        if (c.out)
            snprintf(path, sizeof path, "%s", c.out);
        else
            snprintf(path, sizeof path, "%s.cls", base);
        st = eo_cli_output_annot(&c, path, base, &err);
    }
    if (!st && cr.path)
        st = eo_cli_output_file(&c, cr.path, base, &err);
    double t0 = eo_time_now();
    int lead_k = 0;
    char lead_desc[64] = "", lead_idx[16] = "";
    if (!st) {
        eo_beats_options how;
        eo_classifier_beats_options(m, &how);
        st = eo_cli_pick_lead(&c, record, base, lead, how.leads[0], &lead_k, lead_desc,
                              sizeof lead_desc, &err);
        snprintf(lead_idx, sizeof lead_idx, "#%d", lead_k);
    }
    if (!st && use_det) {
        eo_beats_options how;
        eo_classifier_beats_options(m, &how);
        if (how.align_s <= 0)
            /* measured: a cnn trained at the reference marks drops from 96.9 %
             * to 60.7 % on detector beats (docs/classification.md) */
            eo_cli_info(&c, "warning: %s was trained without --align-ms; detector beats sit at the "
                            "detector's fiducial, not the reference marks, so expect a lower accuracy\n",
                        model_path);
        eo_wfdb_read_options ro;
        eo_wfdb_read_defaults(&ro);
        ro.verify = c.verify;
        st = eo_detect_record(base, lead_idx + 1, NULL, &ro, NULL, NULL, &det, NULL, &err);
    }
    if (!st)
        st = eo_classify_record_lead(m, base, det, lead_idx, &out, &err);
    if (!st)
        st = eo_annot_write(path, out, &err);
    if (!st && cr.path)
        st = write_report(&cr, record, base, m, beats, c.verify, lead_k, out, &err);
    if (st) {
        eo_annot_set_destroy(det);
        eo_annot_set_destroy(out);
        eo_classifier_destroy(m);
        return eo_cli_fail(&c, &err);
    }
    long counts[EO_LABELS_MAX_CLASSES] = {0}, unclassified = 0;
    eo_label_set ls = eo_classifier_labels(m);
    int k = eo_label_set_n_classes(ls);
    for (size_t i = 0; i < out->n; i++) {
        int cls = eo_label_of_code(ls, out->items[i].code);
        if (cls >= 0 && cls < k)
            counts[cls]++;
        else
            unclassified++;
    }
    double secs = eo_time_now() - t0;
    if (c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "record", record);
        eo_json_kv_str(&j, "model", eo_classifier_model(m));
        eo_json_kv_str(&j, "labels", eo_label_set_name(ls));
        eo_json_kv_str(&j, "beats", beats);
        eo_json_kv_int(&j, "n_beats", (long long)out->n);
        eo_json_key(&j, "counts");
        eo_json_obj_begin(&j);
        for (int q = 0; q < k; q++)
            eo_json_kv_int(&j, eo_label_class_name(ls, q), counts[q]);
        eo_json_obj_end(&j);
        eo_json_kv_int(&j, "unclassified_edge_beats", unclassified);
        eo_json_kv_num(&j, "seconds", secs);
        eo_json_kv_str(&j, "output", path);
        if (cr.path)
            eo_json_kv_str(&j, "report", cr.path);
        if (cr.scored) {
            /* the figures the report draws, so a script can check them */
            eo_ec57_stats g;
            eo_ec57_stats_of(&cr.m, &g);
            eo_json_key(&j, "reference");
            eo_json_obj_begin(&j);
            eo_json_kv_str(&j, "annotator", cr.ref);
            eo_json_kv_str(&j, "rows_ref_cols_test", "N S V F Q O X");
            eo_json_key(&j, "matrix");
            eo_json_arr_begin(&j);
            for (int a = 0; a < EO_EC57_NCLASS; a++) {
                eo_json_arr_begin(&j);
                for (int b = 0; b < EO_EC57_NCLASS; b++)
                    eo_json_int(&j, cr.m.m[a][b]);
                eo_json_arr_end(&j);
            }
            eo_json_arr_end(&j);
            eo_json_kv_num(&j, "qrs_se", g.qrs_se);
            eo_json_kv_num(&j, "qrs_ppv", g.qrs_ppv);
            eo_json_kv_num(&j, "veb_se", g.veb_se);
            eo_json_kv_num(&j, "veb_ppv", g.veb_ppv);
            eo_json_kv_num(&j, "veb_fpr", g.veb_fpr);
            eo_json_kv_num(&j, "sveb_se", g.sveb_se);
            eo_json_kv_num(&j, "sveb_ppv", g.sveb_ppv);
            eo_json_kv_int(&j, "shown_disagreements", (long long)cr.pc.disagree);
            eo_json_kv_int(&j, "shown_missed", (long long)cr.pc.missed);
            eo_json_kv_int(&j, "shown_extra", (long long)cr.pc.extra);
            eo_json_obj_end(&j);
        }
        eo_json_obj_end(&j);
        printf("\n");
    } else if (!c.quiet) {
        printf("%s: %zu beats (%s) ->", record, out->n, beats);
        for (int q = 0; q < k; q++)
            printf(" %s %ld", eo_label_class_name(ls, q), counts[q]);
        printf("; written to %s (%.2f s)\n", path, secs);
        if (cr.scored) {
            eo_ec57_stats g;
            eo_ec57_stats_of(&cr.m, &g);
            printf("vs %s (EC57): VEB Se %.2f%% +P %.2f%%, SVEB Se %.2f%% +P %.2f%%\n", cr.ref, g.veb_se,
                   g.veb_ppv, g.sveb_se, g.sveb_ppv);
        }
        if (cr.path)
            eo_cli_info(&c, "wrote %s\n", cr.path);
    }
    eo_annot_set_destroy(det);
    eo_annot_set_destroy(out);
    eo_classifier_destroy(m);
    return 0;
}
