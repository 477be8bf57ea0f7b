/* ecgopt detect — QRS detection on WFDB records; writes WFDB annotation
 * files.  The detector is eo_detect_record (ecgopt/detect.h); the report
 * section, score and JSON of each record are ecgopt/detect_report.h. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ecgopt/detect.h"
#include "ecgopt/detect_report.h"
#include "ecgopt/util.h"

static const eo_cli_spec SPEC = {
    "detect RECORD... [-o FILE|DIR/] [--annotator NAME] [--lead NAME|INDEX]\n"
    "                     [--threshold TH] [--integration-ms MS] [--searchback RR]\n"
    "                     [--band LO,HI] [--squaring] [--report FILE.html [--ref NAME]\n"
    "                     [--report-from S] [--report-seconds S]]",
    "QRS detection (Pan-Tompkins front end, Hamilton-Tompkins decision rules,\n"
    "search-back, T-wave and refractory rules; docs/qrs.md).  Writes one WFDB\n"
    "annotation file per record with a beat label N at each detected R peak: -o FILE\n"
    "(one record), -o DIR/ (RECORD.ANNOTATOR for each record; DIR/ is created), or\n"
    "next to the record.  A reference annotator (atr) is not overwritten without\n"
    "--force.  Any sampling rate in 100..10000 Hz is detected at the record's own\n"
    "rate.  The report shows per record the detected beats against the reference on\n"
    "10-s strips (missed and extra beats highlighted), QRS Se/+P the EC57 way (150 ms\n"
    "window, whole record) and the RR tachogram.\n",
    NULL,
    "ecgopt detect mitdb/100 -o /tmp/100.qrs --lead MLII\n"
    "ecgopt detect mitdb/105 -o /tmp/ --report 105-qrs.html --report-from 300\n"
    "ecgopt evaluate --ref atr --test qrs --test-dir /tmp 100\n",
    "0 ok, 1 usage, 2 bad input (missing record or signal), 3 internal"};

/* What a run works with: the command line and the report being built. */
typedef struct detect_run {
    const char *annotator, *lead, *report_path;
    int out_dir;
    eo_qrs_options qo;
    eo_wfdb_read_options ro;
    eo_detect_report_options rep;
    eo_report *report;
} detect_run;

static int is_dir(const char *p)
{
    struct stat st;
    size_t n = strlen(p);
    return (n > 0 && p[n - 1] == '/') || (stat(p, &st) == 0 && S_ISDIR(st.st_mode));
}

/* Where record `base`'s annotations go: -o FILE, -o DIR/NAME.ANN, or next to the record. */
static void out_path(const eo_cli *c, const char *base, const detect_run *d, char *out, size_t n)
{
    const char *name = strrchr(base, '/') ? strrchr(base, '/') + 1 : base;
    if (c->out && !d->out_dir)
        snprintf(out, n, "%s", c->out);
    else if (c->out)
        snprintf(out, n, "%s%s%s.%s", c->out, c->out[strlen(c->out) - 1] == '/' ? "" : "/", name, d->annotator);
    else
        snprintf(out, n, "%s.%s", base, d->annotator);
}

/* Before any detection: every record exists and its output can be written
 * without destroying the record or its reference annotations (atr). */
static eo_status check_outputs(eo_cli *c, const char **recs, int nrec, const detect_run *d, eo_error *err)
{
    eo_status st = d->report_path ? eo_cli_output(c, d->report_path, err) : EO_STATUS_OK;
    if (!st && d->out_dir)
        st = eo_cli_output_dir(c, c->out, err);
    for (int k = 0; !st && k < nrec; k++) {
        char base[4096], out[4400], dir[4096];
        if ((st = eo_data_find_record(c->data_dir, recs[k], "hea", base, sizeof base, err)))
            break;
        eo_path_dir(base, dir, sizeof dir);
        if (!c->out && access(dir, W_OK) != 0) /* next to the record: say so when not writable */
            return eo_error_set(err, EO_STATUS_IO, "%s: directory of record %s is not writable; give -o FILE|DIR",
                                dir, recs[k]);
        out_path(c, base, d, out, sizeof out);
        st = eo_cli_output_annot(c, out, base, err);
    }
    return st;
}

/* One record: detected, its annotations written, its report section
 * added; the summary into s. */
static eo_status detect_one(eo_cli *c, const char *record, detect_run *d, eo_detect_summary *s, eo_error *err)
{
    char base[4096], out[4400], lead_desc[64], sig[16];
    int lead_k = 0, used = -1;
    eo_annotation_set *a = NULL;
    eo_status st = eo_data_find_record(c->data_dir, record, "hea", base, sizeof base, err);
    if (!st)
        st = eo_cli_pick_lead(c, record, base, d->lead, NULL, &lead_k, lead_desc, sizeof lead_desc, err);
    snprintf(sig, sizeof sig, "%d", lead_k);
    double t0 = eo_time_now();
    if (!st)
        st = eo_detect_record(base, sig, &d->qo, &d->ro, c->progress ? eo_cli_progress : NULL, c, &a, &used, err);
    eo_cli_progress_end(c);
    double secs = eo_time_now() - t0;
    out_path(c, base, d, out, sizeof out);
    if (!st && (st = eo_annot_write(out, a, err)) && !c->out)
        eo_error_prefix(err, "cannot write next to the record (use -o FILE|DIR)");
    eo_detect_score score = {0, 0, 0, 0, 0, 0, 0};
    if (!st && d->report)
        st = eo_detect_report_record(d->report, &d->rep, record, base, used, &d->ro, a, &score, err);
    if (!st) {
        eo_detect_summarize(base, record, used, a, secs, out, s);
        s->score = score;
    }
    eo_annot_set_destroy(a);
    return st;
}

static void print_result(eo_cli *c, const detect_run *d, const eo_detect_summary *res, int nrec)
{
    if (c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "annotator", d->annotator);
        if (d->report_path)
            eo_json_kv_str(&j, "report", d->report_path);
        eo_json_key(&j, "records");
        eo_json_arr_begin(&j);
        for (int k = 0; k < nrec; k++) {
            eo_json_obj_begin(&j);
            eo_detect_summary_json(&j, &res[k], d->rep.ref);
            eo_json_obj_end(&j);
        }
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
        fputc('\n', stdout);
        return;
    }
    for (int k = 0; !c->quiet && k < nrec; k++) {
        const eo_detect_summary *s = &res[k];
        printf("%s: %ld beats on signal %d (%s), %.1f bpm mean, %.3f s -> %s\n", s->record, s->beats, s->signal,
               s->desc, s->bpm, s->secs, s->out);
        if (s->score.scored)
            printf("  vs %s: %ld reference beats, TP %ld FN %ld FP %ld, QRS Se %.2f%% +P %.2f%%\n", d->rep.ref,
                   s->score.ref_beats, s->score.tp, s->score.fn, s->score.fp, s->score.se, s->score.ppv);
    }
    if (d->report_path && !c->quiet)
        eo_cli_info(c, "wrote %s\n", d->report_path);
}

/* Outputs checked, every record detected, the report written; results
 * printed only after all records succeeded, so that --json yields either
 * one result document or one error object. */
static eo_status run(eo_cli *c, const char **recs, int nrec, detect_run *d, eo_error *err)
{
    eo_detect_summary *res = calloc((size_t)nrec, sizeof *res);
    eo_status st = res ? check_outputs(c, recs, nrec, d, err) : eo_error_set(err, EO_STATUS_NO_MEMORY, "detect: out of memory");
    if (!st && d->report_path) {
        char title[256];
        snprintf(title, sizeof title, "ecgopt detect: %d record(s), annotator %s", nrec, d->annotator);
        if (!(d->report = eo_report_create(title)))
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", d->report_path);
    }
    for (int k = 0; !st && k < nrec; k++)
        st = detect_one(c, recs[k], d, &res[k], err);
    if (!st && d->report)
        st = eo_report_write(d->report, d->report_path, err);
    if (!st)
        print_result(c, d, res, nrec);
    eo_report_destroy(d->report);
    free(res);
    return st;
}

int eo_cmd_detect(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "detect", &argc, argv))
        return c.rc;
    detect_run d;
    memset(&d, 0, sizeof d);
    d.annotator = "qrs";
    const char *band = NULL;
    eo_qrs_defaults(&d.qo, 360.0);
    eo_wfdb_read_defaults(&d.ro);
    d.ro.verify = c.verify;
    eo_detect_report_defaults(&d.rep);
    const eo_cli_opt opts[] = {
        {"--annotator", EO_OPT_STR, &d.annotator, 0, 0, "NAME", "annotation file extension (default qrs)", NULL},
        {"--lead", EO_OPT_STR, &d.lead, 0, 0, "NAME|INDEX",
         "lead: signal description (MLII, V5, ECG1, ...) or index; default the first of\n"
         "MLII, II, ECG1 present, else signal 0 (said on stderr)", "--signal"},
        {"--threshold", EO_OPT_DOUBLE, &d.qo.threshold, 1e-6, 1e6, "TH", "detection threshold between noise and QRS level (0.45)", NULL},
        {"--integration-ms", EO_OPT_DOUBLE, &d.qo.integration_ms, 10, 1000, "MS", "moving-window integrator width (120)", NULL},
        {"--searchback", EO_OPT_DOUBLE, &d.qo.searchback_rr, 1, 10, "RR", "search back after RR x median RR without a beat (1.5)", NULL},
        {"--band", EO_OPT_STR, &band, 0, 0, "LO,HI", "band-pass cut-offs in Hz (5,15)", NULL},
        {"--squaring", EO_OPT_FLAG, &d.qo.squaring, 0, 0, NULL, "square the derivative (Pan-Tompkins) instead of |.|", NULL},
        EO_OPT_REPORT(&d.report_path),
        {"--ref", EO_OPT_STR, &d.rep.ref, 0, 0, "NAME", "reference annotator for the report (default atr; none: skip)", NULL},
        EO_OPT_REPORT_SPAN(&d.rep.from_s, &d.rep.seconds),
        EO_OPT_TABLE_END};
    const char **recs = calloc((size_t)argc + 1, sizeof *recs);
    eo_error err;
    if (!recs) {
        eo_error_set(&err, EO_STATUS_NO_MEMORY, "detect: out of memory");
        return eo_cli_fail(&c, &err);
    }
    int nrec = 0, rc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, recs, argc, &nrec, "RECORD");
    double lo, hi;
    char extra;
    if (rc < 0 && band && sscanf(band, "%lf,%lf%c", &lo, &hi, &extra) != 2)
        rc = eo_cli_usage(&c, "--band expects LO,HI in Hz, got '%s'", band);
    else if (rc < 0 && band)
        d.qo.band_low_hz = lo, d.qo.band_high_hz = hi;
    if (rc < 0 && nrec == 0)
        rc = eo_cli_usage(&c, "missing RECORD");
    if (rc < 0 && (!d.annotator[0] || strchr(d.annotator, '/')))
        rc = eo_cli_usage(&c, "--annotator must be a plain file extension, got '%s'", d.annotator);
    /* -o DIR/ (or an existing directory): annotations go there, DIR created when missing */
    d.out_dir = c.out && is_dir(c.out);
    if (rc < 0 && nrec > 1 && c.out && !d.out_dir)
        rc = eo_cli_usage(&c, "-o must be a directory when several records are given (end it with '/' to create it)");
    if (rc < 0)
        rc = run(&c, recs, nrec, &d, &err) ? eo_cli_fail(&c, &err) : 0;
    free(recs);
    return rc;
}
