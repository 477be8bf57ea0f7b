/* ecgopt classify — label the beats of a record with a trained model and
 * write them as a WFDB annotation file (classify_run.h:
 * eo_classify_record_beats, eo_classify_report_write). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/classify_run.h"
#include "ecgopt/util.h"

typedef struct cls_args {
    const char *model_path, *beats, *record, *lead, *report, *ref;
    double from_s, seconds;
    double span_from, span_to; /* --from/--to: the beats written */
} cls_args;

static const eo_cli_spec SPEC = {
    "classify --model MODEL RECORD [--beats atr|detector] [--lead NAME|INDEX]\n"
    "                       [--from S] [--to S] [-o ANNFILE] [--report FILE.html [--ref NAME]\n"
    "                       [--report-from S] [--report-seconds S]]",
    "Classify every beat of RECORD with a model from `ecgopt train` and write a WFDB\n"
    "annotation file with the predicted labels at the beats (AAMI classes as N A V F Q;\n"
    "nlrav as N L R A V): -o ANNFILE, default RECORD.cls next to the record.  The\n"
    "record is prepared exactly as the model's training data (lead, window,\n"
    "band-pass; all stored in the model file).  A record at another sampling rate\n"
    "(100..10000 Hz) than the model's is resampled to it; the annotations are written\n"
    "at the record's own sample positions.  With --from/--to only the beats inside\n"
    "that span are written, at their absolute sample numbers and with the labels a\n"
    "whole-record run gives them (the whole record is classified for the context).\n"
    "The report draws the model's lead on 10-s strips with the predicted class at\n"
    "each beat and, when the reference annotator exists, reference/predicted with\n"
    "the disagreements highlighted, the EC57 comparison matrix (heat map), per-class\n"
    "Se/+P bars and the EC57 table; with --from/--to the table is over the span and\n"
    "the strips start at --from unless --report-from is given.\n",
    NULL,
    "ecgopt classify --model gbm.model 100 --beats detector -o /tmp/100.cls\n"
    "ecgopt classify --model gbm.model 208 -o /tmp/208.cls --report 208.html\n"
    "ecgopt classify --model gbm.model 100 --from 60 --to 120 -o /tmp/100-1min.cls\n"
    "ecgopt evaluate --ref atr --test cls --test-dir /tmp 100\n",
    "0 ok, 1 usage, 2 bad input (missing lead, rate out of range), 3 internal"};

/* The common options, the table and help; returns -1 to go on, else the
 * exit code. */
static int parse_args(eo_cli *c, int argc, char **argv, cls_args *a)
{
    if (eo_cli_common(c, "classify", &argc, argv))
        return c->rc;
    *a = (cls_args){.beats = "atr", .ref = "atr", .from_s = -1, .seconds = 60, .span_to = -1};
    const eo_cli_opt opts[] = {
        {"--model", EO_OPT_STR, &a->model_path, 0, 0, "MODEL", "model file (ecgopt train)", NULL},
        {"--beats", EO_OPT_STR, &a->beats, 0, 0, "atr|detector",
         "beat positions from the reference annotations (atr, default) or from\n"
         "ecgopt's QRS detector", NULL},
        {"--lead", EO_OPT_STR, &a->lead, 0, 0, "NAME|INDEX",
         "the lead to classify (default: the model's lead if the record has it, else\n"
         "MLII, II, ECG1, then signal 0; said on stderr); another lead than the model's is\n"
         "warned about", NULL},
        EO_OPT_SPAN(&a->span_from, &a->span_to),
        EO_OPT_REPORT(&a->report),
        {"--ref", EO_OPT_STR, &a->ref, 0, 0, "NAME", "reference annotator for the report (default atr; none: skip)", NULL},
        EO_OPT_REPORT_SPAN(&a->from_s, &a->seconds),
        EO_OPT_TABLE_END};
    int rc = eo_cli_help_or_parse(c, &SPEC, opts, argc, argv, &a->record, 1, NULL, "RECORD");
    if (rc >= 0)
        return rc;
    if (!a->model_path)
        return eo_cli_usage(c, "missing --model MODEL");
    if (!a->record)
        return eo_cli_usage(c, "missing RECORD");
    if (a->from_s < 0) /* the report starts at the span (0 without --from) */
        a->from_s = a->span_from;
    if (strcmp(a->beats, "detector") && strcmp(a->beats, "atr"))
        return eo_cli_usage(c, "--beats must be atr or detector, got '%s'", a->beats);
    return -1;
}

/* Model, record, outputs (checked before the work) and the lead. */
static eo_status prepare(eo_cli *c, const cls_args *a, eo_classifier **m, char *base, size_t nb,
                         char *path, size_t np, int *lead, eo_error *err)
{
    eo_status st = eo_classifier_load(a->model_path, m, err);
    if (!st)
        st = eo_data_find_record(c->data_dir, a->record, "hea", base, nb, err);
    if (!st) {
        snprintf(path, np, "%s", c->out ? c->out : base);
        if (!c->out)
            snprintf(path + strlen(path), np - strlen(path), ".cls");
        st = eo_cli_output_annot(c, path, base, err);
    }
    if (!st && a->report)
        st = eo_cli_output_file(c, a->report, base, err);
    eo_beats_options how;
    memset(&how, 0, sizeof how);
    char desc[64];
    if (!st) {
        eo_classifier_beats_options(*m, &how);
        st = eo_cli_pick_lead(c, a->record, base, a->lead, how.leads[0], lead, desc, sizeof desc, err);
    }
    if (!st && !strcmp(a->beats, "detector") && how.align_s <= 0)
        /* measured: a cnn trained at the reference marks drops from 96.9 %
         * to 60.7 % on detector beats (docs/classification.md) */
        eo_cli_info(c, "warning: %s was trained without --align-ms; detector beats sit at the "
                       "detector's fiducial, not the reference marks, so expect a lower accuracy\n",
                    a->model_path);
    return st;
}

int eo_cmd_classify(int argc, char **argv)
{
    eo_cli c;
    cls_args a;
    int rc = parse_args(&c, argc, argv, &a);
    if (rc >= 0)
        return rc;
    eo_error err;
    eo_classifier *m = NULL;
    eo_annotation_set *out = NULL;
    char base[4096], path[4200];
    int lead = 0;
    double t0 = eo_time_now();
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c.verify;
    eo_status st = prepare(&c, &a, &m, base, sizeof base, path, sizeof path, &lead, &err);
    eo_classify_record_options co;
    eo_classify_record_defaults(&co);
    co.lead = lead;
    co.use_detector = !strcmp(a.beats, "detector");
    co.from_s = a.span_from;
    co.to_s = a.span_to;
    long s0 = 0, s1 = 0;
    if (!st)
        st = eo_classify_record_run(m, base, &co, &ro, &out, &s0, &s1, &err);
    if (!st)
        st = eo_annot_write(path, out, &err);
    eo_classify_result r = {.record = a.record, .beats = a.beats, .output = path, .report = a.report,
                            .ref = a.ref, .predicted = out, .span_start = s0, .span_end = s1};
    if (!st)
        eo_classify_result_count(m, &r);
    if (!st && a.report)
        st = eo_classify_report_write(m, base, lead, &ro, a.from_s, a.seconds, &r, &err);
    r.seconds = eo_time_now() - t0;
    if (!st && c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_classify_result_json(&j, m, &r);
        printf("\n");
    } else if (!st && !c.quiet) {
        eo_strbuf b;
        eo_strbuf_init(&b);
        eo_classify_result_text(&b, m, &r);
        eo_cli_print(&b);
        if (a.report)
            eo_cli_info(&c, "wrote %s\n", a.report);
    }
    eo_annot_set_destroy(out);
    eo_classifier_destroy(m);
    return st == EO_STATUS_USAGE ? eo_cli_usage(&c, "%s", err.msg) : st ? eo_cli_fail(&c, &err) : 0;
}
