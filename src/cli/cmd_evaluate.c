/* ecgopt evaluate — beat-by-beat comparison of two annotators the ANSI/AAMI
 * EC57 way (include/ecgopt/ec57.h): per-record table, gross and
 * record-averaged statistics, the EC57 confusion matrix by AAMI class and
 * per-class metrics. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/ec57.h"
#include "ecgopt/json.h"
#include "ecgopt/report.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

static void pnum(double v, const char *fmt)
{
    if (isnan(v))
        printf("%8s", "-");
    else
        printf(fmt, v);
}

static void row(int width, const char *name, long ref, long test, const eo_ec57_stats *s)
{
    printf("%-*s", width, name);
    if (ref >= 0)
        printf(" %6ld %6ld", ref, test);
    else
        printf(" %6s %6s", "", "");
    printf(" %6ld %5ld %5ld", s->qtp, s->qfn, s->qfp);
    pnum(s->qrs_se, " %7.3f");
    pnum(s->qrs_ppv, " %7.3f");
    pnum(s->veb_se, " %7.2f");
    pnum(s->veb_ppv, " %7.2f");
    pnum(s->veb_fpr, " %7.3f");
    pnum(s->sveb_se, " %7.2f");
    pnum(s->sveb_ppv, " %7.2f");
    printf("\n");
}

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
    eo_json_key(j, "rows_ref_cols_test");
    eo_json_str(j, "N S V F Q O X");
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

typedef struct rec_out {
    const char *name;
    long ref_beats, test_beats; /* scored: after the learning period */
    long ref_total, test_total; /* in the whole record */
    eo_ec57_result r;
} rec_out;

/* Load, check and compare one record. */
static eo_status one(const eo_cli *c, const char *rec, const char *ref_ann, const char *test_ann,
                     const char *test_dir, const eo_ec57_options *base_opt, rec_out *out,
                     eo_error *err)
{
    char base[4096], path[4400];
    eo_status st = eo_data_find_record(c->data_dir, rec, "hea", base, sizeof base, err);
    if (st)
        return st;
    snprintf(path, sizeof path, "%s.hea", base);
    eo_wfdb_header *h = NULL;
    st = eo_wfdb_header_read(path, &h, err);
    if (st)
        return st;
    eo_ec57_options o = *base_opt;
    o.fs_hz = h->fs_hz;
    o.end_sample = h->n_samples > 0 ? h->n_samples : 0; /* bxb: end of the record */
    eo_wfdb_header_destroy(h);
    eo_annotation_set *ref = NULL, *test = NULL;
    snprintf(path, sizeof path, "%s.%s", base, ref_ann);
    st = eo_annot_read(path, &ref, err);
    if (st)
        return st;
    out->ref_beats = (long)eo_ec57_count_beats(ref);
    if (out->ref_beats == 0) {
        eo_annot_set_destroy(ref);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: reference annotations contain no beats (wrong annotator?)", path);
    }
    const char *name = strrchr(base, '/') ? strrchr(base, '/') + 1 : base;
    if (test_dir)
        snprintf(path, sizeof path, "%s/%s.%s", test_dir, name, test_ann);
    else
        snprintf(path, sizeof path, "%s.%s", base, test_ann);
    st = eo_annot_read(path, &test, err);
    if (st) {
        eo_annot_set_destroy(ref);
        return st;
    }
    out->test_beats = (long)eo_ec57_count_beats(test);
    if (out->test_beats == 0)
        eo_cli_info(c, "ecgopt: %s: warning: test annotations contain no beats\n", path);
    st = eo_ec57_compare(ref, test, &o, &out->r, err);
    if (st) {
        eo_error_prefix(err, "%s", rec);
    } else {
        /* the columns count what was scored, as TP + FN and TP + FP do: the
         * beats after the learning period (the whole-record counts stay in
         * ref_total/test_total) */
        eo_ec57_stats s;
        eo_ec57_stats_of(&out->r, &s);
        out->ref_total = out->ref_beats;
        out->test_total = out->test_beats;
        out->ref_beats = s.qtp + s.qfn;
        out->test_beats = s.qtp + s.qfp;
    }
    eo_annot_set_destroy(ref);
    eo_annot_set_destroy(test);
    return st;
}

/* --report: the gross comparison as an HTML report (report.h sections). */
static eo_status write_report(const char *path, const char *ref_ann, const char *test_ann, const rec_out *recs,
                              int nrec, const eo_ec57_result *gross, const eo_ec57_stats *g, eo_error *err)
{
    char title[256];
    snprintf(title, sizeof title, "ecgopt evaluate: %s vs %s, %d record(s)", test_ann, ref_ann, nrec);
    eo_report *r = eo_report_create(title);
    if (!r)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    const char *cls[EO_EC57_NCLASS];
    long m[EO_EC57_NCLASS * EO_EC57_NCLASS];
    for (int a = 0; a < EO_EC57_NCLASS; a++) {
        cls[a] = eo_ec57_class_name(a);
        for (int b = 0; b < EO_EC57_NCLASS; b++)
            m[a * EO_EC57_NCLASS + b] = gross->m[a][b];
    }
    eo_report_ec57_row rows[3] = {{"QRS", g->qtp, g->qfn, g->qfp, g->qrs_se, g->qrs_ppv, NAN},
                                  {"VEB", g->vtp, g->vfn, g->vfp, g->veb_se, g->veb_ppv, g->veb_fpr},
                                  {"SVEB", g->stp, g->sfn, g->sfp, g->sveb_se, g->sveb_ppv, NAN}};
    eo_status st = eo_report_add_classification(r, "Gross statistics (all records pooled)", cls, EO_EC57_NCLASS, m,
                                                5, rows, 3, err);
    char(*cells)[32] = calloc((size_t)nrec * 7, sizeof *cells);
    const char **cp = calloc((size_t)nrec * 7, sizeof *cp);
    if (!st && (!cells || !cp))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    if (!st) {
        const char *hdr[7] = {"record", "QRS Se", "QRS +P", "VEB Se", "VEB +P", "SVEB Se", "SVEB +P"};
        for (int k = 0; k < nrec; k++) {
            eo_ec57_stats s;
            eo_ec57_stats_of(&recs[k].r, &s);
            double v[6] = {s.qrs_se, s.qrs_ppv, s.veb_se, s.veb_ppv, s.sveb_se, s.sveb_ppv};
            snprintf(cells[k * 7], 32, "%s", recs[k].name);
            for (int j = 0; j < 6; j++) {
                if (isfinite(v[j]))
                    snprintf(cells[k * 7 + 1 + j], 32, "%.2f", v[j]);
                else
                    snprintf(cells[k * 7 + 1 + j], 32, "-");
            }
            for (int j = 0; j < 7; j++)
                cp[k * 7 + j] = cells[k * 7 + j];
        }
        eo_report_heading(r, 2, "Per record (%)");
        eo_report_table(r, NULL, 7, hdr, nrec, cp);
        st = eo_report_write(r, path, err);
    }
    free(cells);
    free(cp);
    eo_report_destroy(r);
    return st;
}

static const eo_cli_spec SPEC = {
    "evaluate --test ANNOTATOR [--ref ANNOTATOR] [--test-dir DIR] [--learning-period S]\n"
    "                       [--window S] [--escape-as-sveb] [--report FILE.html] RECORD...",
    "Compare a test annotator with a reference annotator beat by beat, as ANSI/AAMI\n"
    "EC57 and WFDB's bxb do (docs/ec57.md): 150 ms match window, VF episodes of the\n"
    "reference excluded, QRS sensitivity (Se) and positive predictivity (+P), VEB\n"
    "and SVEB Se/+P and VEB false-positive rate, per record, gross (pooled) and\n"
    "record-averaged; the confusion matrix by AAMI class (N S V F Q, O = no beat,\n"
    "X = shutdown); accuracy and per-class Se/+P/specificity/F1 with macro and\n"
    "weighted averages over matched beats.  Works on any tool's WFDB annotations.\n"
    "The report holds the matrix heat map, Se/+P bars, the EC57 and per-record tables.\n",
    NULL,
    "ecgopt detect mitdb/100 mitdb/105 -o /tmp/ann/\n"
    "ecgopt evaluate --ref atr --test qrs --test-dir /tmp/ann 100 105\n",
    "0 ok, 1 usage, 2 bad input (missing record/annotations, no beats), 3 internal"};

/* The command line and the per-record results. */
typedef struct eval_args {
    const char *ref_ann, *test_ann, *test_dir, *report;
    eo_ec57_options o;
    rec_out *recs;
    int nrec;
} eval_args;

/* Gross (pooled), record-averaged and per-class figures. */
typedef struct eval_totals {
    eo_ec57_result gross;
    eo_ec57_stats g, avg;
    eo_ec57_class_metrics cm;
} eval_totals;

/* Parse argv into *e (help printed when asked); e->recs is allocated.
 * Returns -1 to go on, or the exit code. */
static int parse_args(eo_cli *c, int argc, char **argv, eval_args *e)
{
    memset(e, 0, sizeof *e);
    e->ref_ann = "atr";
    eo_ec57_defaults(&e->o, 360.0);
    const eo_cli_opt opts[] = {
        {"--ref", EO_OPT_STR, &e->ref_ann, 0, 0, "NAME", "reference annotator (default atr)", NULL},
        {"--test", EO_OPT_STR, &e->test_ann, 0, 0, "NAME", "test annotator (required), e.g. qrs", NULL},
        {"--test-dir", EO_OPT_STR, &e->test_dir, 0, 0, "DIR", "read test annotations from DIR/RECORD.NAME, not next to the record", NULL},
        {"--learning-period", EO_OPT_DOUBLE, &e->o.learning_period_s, 0, 1e7, "S",
         "seconds at the start not scored (default 0; EC57 and WFDB bxb: 300);\n"
         "the ref and test columns count the scored beats", NULL},
        {"--window", EO_OPT_DOUBLE, &e->o.match_window_s, 0.001, 1, "S", "match window in seconds (default 0.15)", NULL},
        {"--escape-as-sveb", EO_OPT_FLAG, &e->o.escape_as_sveb, 0, 0, NULL, "count escape beats e, j as S like bxb's SVEB mode", NULL},
        EO_OPT_REPORT(&e->report),
        EO_OPT_TABLE_END};
    e->recs = calloc((size_t)argc + 1, sizeof *e->recs);
    const char **names = calloc((size_t)argc + 1, sizeof *names);
    if (!e->recs || !names) {
        free(names);
        eo_error err;
        eo_error_set(&err, EO_STATUS_NO_MEMORY, "evaluate: out of memory");
        return eo_cli_fail(c, &err);
    }
    int rc = eo_cli_help_or_parse(c, &SPEC, opts, argc, argv, names, argc, &e->nrec, "RECORD");
    for (int k = 0; k < e->nrec; k++)
        e->recs[k].name = names[k];
    free(names);
    if (rc >= 0)
        return rc;
    rc = 0;
    if (!rc && !e->test_ann)
        rc = eo_cli_usage(c, "missing --test ANNOTATOR");
    if (!rc && e->nrec == 0)
        rc = eo_cli_usage(c, "no RECORD given (empty record list)");
    return rc ? rc : -1;
}

/* Compare every record, then pool and average. */
static eo_status compare_all(eo_cli *c, eval_args *e, eval_totals *t, eo_error *err)
{
    memset(t, 0, sizeof *t);
    eo_ec57_result *all = calloc((size_t)e->nrec, sizeof *all);
    if (!all)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "evaluate: out of memory");
    eo_status st = EO_STATUS_OK;
    for (int k = 0; k < e->nrec && !st; k++) {
        st = one(c, e->recs[k].name, e->ref_ann, e->test_ann, e->test_dir, &e->o, &e->recs[k], err);
        if (st)
            break;
        all[k] = e->recs[k].r;
        eo_ec57_add(&t->gross, &e->recs[k].r);
        if (c->progress)
            eo_cli_progress(c, k + 1, e->nrec, "evaluate");
    }
    eo_cli_progress_end(c);
    if (!st) {
        eo_ec57_stats_of(&t->gross, &t->g);
        eo_ec57_average(all, (size_t)e->nrec, &t->avg);
        eo_ec57_class_metrics_of(&t->gross, &t->cm);
    }
    free(all);
    return st;
}

static void print_json(const eval_args *e, const eval_totals *t)
{
    eo_json j;
    eo_json_init(&j, stdout);
    eo_json_obj_begin(&j);
    eo_json_kv_str(&j, "reference", e->ref_ann);
    eo_json_kv_str(&j, "test", e->test_ann);
    eo_json_kv_num(&j, "match_window_s", e->o.match_window_s);
    eo_json_kv_num(&j, "learning_period_s", e->o.learning_period_s);
    eo_json_kv_bool(&j, "escape_as_sveb", e->o.escape_as_sveb);
    eo_json_key(&j, "records");
    eo_json_arr_begin(&j);
    for (int k = 0; k < e->nrec; k++) {
        eo_ec57_stats s;
        eo_ec57_stats_of(&e->recs[k].r, &s);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "record", e->recs[k].name);
        eo_json_kv_int(&j, "ref_beats", e->recs[k].ref_beats);
        eo_json_kv_int(&j, "test_beats", e->recs[k].test_beats);
        eo_json_kv_int(&j, "ref_beats_record", e->recs[k].ref_total);
        eo_json_kv_int(&j, "test_beats_record", e->recs[k].test_total);
        json_stats(&j, &s);
        json_matrix(&j, &e->recs[k].r);
        eo_json_obj_end(&j);
    }
    eo_json_arr_end(&j);
    eo_json_key(&j, "gross");
    eo_json_obj_begin(&j);
    json_stats(&j, &t->g);
    json_matrix(&j, &t->gross);
    eo_json_obj_end(&j);
    eo_json_key(&j, "average");
    eo_json_obj_begin(&j);
    json_stats(&j, &t->avg);
    eo_json_obj_end(&j);
    eo_json_key(&j, "classes");
    eo_json_obj_begin(&j);
    eo_json_kv_int(&j, "matched_beats", t->cm.total);
    eo_json_kv_num(&j, "accuracy", t->cm.accuracy);
    eo_json_key(&j, "per_class");
    eo_json_obj_begin(&j);
    for (int k = 0; k < 5; k++) {
        eo_json_key(&j, eo_ec57_class_name(k));
        eo_json_obj_begin(&j);
        eo_json_kv_int(&j, "support", t->cm.support[k]);
        eo_json_kv_int(&j, "predicted", t->cm.predicted[k]);
        eo_json_kv_num(&j, "se", t->cm.se[k]);
        eo_json_kv_num(&j, "ppv", t->cm.ppv[k]);
        eo_json_kv_num(&j, "spec", t->cm.spec[k]);
        eo_json_kv_num(&j, "f1", t->cm.f1[k]);
        eo_json_obj_end(&j);
    }
    eo_json_obj_end(&j);
    eo_json_kv_num(&j, "macro_se", t->cm.macro_se);
    eo_json_kv_num(&j, "macro_ppv", t->cm.macro_ppv);
    eo_json_kv_num(&j, "macro_spec", t->cm.macro_spec);
    eo_json_kv_num(&j, "macro_f1", t->cm.macro_f1);
    eo_json_kv_num(&j, "weighted_se", t->cm.weighted_se);
    eo_json_kv_num(&j, "weighted_ppv", t->cm.weighted_ppv);
    eo_json_kv_num(&j, "weighted_spec", t->cm.weighted_spec);
    eo_json_kv_num(&j, "weighted_f1", t->cm.weighted_f1);
    eo_json_obj_end(&j);
    eo_json_obj_end(&j);
    fputc('\n', stdout);
}

static void print_classes(const eval_totals *t)
{
    printf("\nclasses over %ld matched beats: accuracy ", t->cm.total);
    pnum(100.0 * t->cm.accuracy, "%.3f%%\n");
    if (isnan(t->cm.accuracy))
        printf("\n");
    printf("  class  support      Se     +P    Spec      F1\n");
    for (int k = 0; k < 5; k++) {
        printf("  %-5s %8ld", eo_ec57_class_name(k), t->cm.support[k]);
        pnum(100.0 * t->cm.se[k], " %7.2f");
        pnum(100.0 * t->cm.ppv[k], " %7.2f");
        pnum(100.0 * t->cm.spec[k], " %7.2f");
        pnum(100.0 * t->cm.f1[k], " %7.2f");
        printf("\n");
    }
    printf("  %-5s %8s", "macro", "");
    pnum(100.0 * t->cm.macro_se, " %7.2f");
    pnum(100.0 * t->cm.macro_ppv, " %7.2f");
    pnum(100.0 * t->cm.macro_spec, " %7.2f");
    pnum(100.0 * t->cm.macro_f1, " %7.2f");
    printf("\n  %-5s %8s", "wtd", "");
    pnum(100.0 * t->cm.weighted_se, " %7.2f");
    pnum(100.0 * t->cm.weighted_ppv, " %7.2f");
    pnum(100.0 * t->cm.weighted_spec, " %7.2f");
    pnum(100.0 * t->cm.weighted_f1, " %7.2f");
    printf("\n");
}

static void print_text(const eval_args *e, const eval_totals *t)
{
    printf("EC57 beat-by-beat comparison: reference %s, test %s, window %.3f s, learning "
           "period %g s%s\n",
           e->ref_ann, e->test_ann, e->o.match_window_s, e->o.learning_period_s,
           e->o.learning_period_s > 0 ? "" : " (none; WFDB bxb and EC57 use 300 s: --learning-period 300)");
    printf("ref and test count the beats scored (after the learning period): ref = TP + FN, "
           "test = TP + FP\n\n");
    int w = 8;
    for (int k = 0; k < e->nrec; k++)
        if ((int)strlen(e->recs[k].name) > w)
            w = (int)strlen(e->recs[k].name);
    printf("%-*s %6s %6s %6s %5s %5s %7s %7s %7s %7s %7s %7s %7s\n", w, "record", "ref", "test",
           "TP", "FN", "FP", "QRS Se", "QRS +P", "VEB Se", "VEB +P", "VEB FPR", "SVEB Se",
           "SVEB +P");
    for (int k = 0; k < e->nrec; k++) {
        eo_ec57_stats s;
        eo_ec57_stats_of(&e->recs[k].r, &s);
        row(w, e->recs[k].name, e->recs[k].ref_beats, e->recs[k].test_beats, &s);
    }
    printf("\n");
    row(w, "gross", -1, -1, &t->g);
    row(w, "average", -1, -1, &t->avg);
    printf("\nconfusion matrix (gross; rows reference, columns test):\n");
    printf("      %7s %7s %7s %7s %7s %7s %7s\n", "n", "s", "v", "f", "q", "o", "x");
    for (int a = 0; a < EO_EC57_NCLASS; a++) {
        printf("  %s | ", eo_ec57_class_name(a));
        for (int b = 0; b < EO_EC57_NCLASS; b++)
            if (a >= EO_EC57_O && b >= EO_EC57_O)
                printf(" %7s", "");
            else
                printf(" %7ld", t->gross.m[a][b]);
        printf("\n");
    }
    print_classes(t);
}

int eo_cmd_evaluate(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "evaluate", &argc, argv))
        return c.rc;
    eval_args e;
    int rc = parse_args(&c, argc, argv, &e);
    if (rc >= 0) {
        free(e.recs);
        return rc;
    }
    eo_error err;
    eo_error_clear(&err);
    eval_totals t;
    /* the report path checked before the work; a failure removes what was made */
    eo_status st = e.report ? eo_cli_output(&c, e.report, &err) : EO_STATUS_OK;
    if (!st)
        st = compare_all(&c, &e, &t, &err);
    if (!st && e.report)
        st = write_report(e.report, e.ref_ann, e.test_ann, e.recs, e.nrec, &t.gross, &t.g, &err);
    if (!st && c.json)
        print_json(&e, &t);
    else if (!st)
        print_text(&e, &t);
    free(e.recs);
    return st ? eo_cli_fail(&c, &err) : 0;
}
