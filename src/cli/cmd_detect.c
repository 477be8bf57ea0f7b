/* ecgopt detect — QRS detection on WFDB records; writes WFDB annotation files.
 * The detector is the streaming one of include/ecgopt/qrs.h, driven through
 * eo_detect_record() (include/ecgopt/detect.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "ecgopt/detect.h"
#include "ecgopt/ec57.h"
#include "ecgopt/json.h"
#include "ecgopt/hrv.h"
#include "ecgopt/report.h"
#include "ecgopt/util.h"

/* the EC57 match window (ec57.h: match_window_s, 150 ms) in samples */
static long ec57_window(double fs)
{
    eo_ec57_options o;
    eo_ec57_defaults(&o, fs);
    return (long)llround(o.match_window_s * fs);
}


typedef struct det_out {
    const char *record;
    int signal;
    char desc[128];
    double fs, bpm, secs;
    long beats;
    char out[4400];
    int scored; /* --report with a reference: EC57 QRS figures below */
    long ref_beats, tp, fn, fp;
    double se, ppv;
} det_out;

static void pct(char *b, size_t n, double v)
{
    if (isfinite(v))
        snprintf(b, n, "%.2f", v);
    else
        snprintf(b, n, "-");
}

typedef struct det_report {
    eo_report *r;
    const char *ref;     /* reference annotator */
    double from_s, seconds;
} det_report;

/* report_record's scores: EC57 QRS Se/+P against the reference (into d),
 * or a line saying there is none */
static eo_status report_scores(det_report *dr, const char *record, int signal, const char *desc,
                               const eo_annotation_set *ref, const eo_annotation_set *det, long n_samples,
                               double fs, size_t nr, size_t nt, long s0, long s1,
                               const eo_report_pair_counts *pc, det_out *d, eo_error *err)
{
    char txt[1024];
    if (ref) {
        eo_ec57_options eo;
        eo_ec57_defaults(&eo, fs);
        eo.end_sample = n_samples;
        eo_ec57_result res;
        eo_status st = eo_ec57_compare(ref, det, &eo, &res, err);
        if (st)
            return st;
        eo_ec57_stats sx;
        eo_ec57_stats_of(&res, &sx);
        d->scored = 1;
        d->ref_beats = (long)nr;
        d->tp = sx.qtp;
        d->fn = sx.qfn;
        d->fp = sx.qfp;
        d->se = sx.qrs_se;
        d->ppv = sx.qrs_ppv;
        snprintf(txt, sizeof txt, "Signal %d (%s); %zu reference beats (%s), %zu detected. Strips %.1f-%.1f s: "
                 "%zu matched, %zu missed (ref/-), %zu extra (-/+), highlighted.", signal, desc, nr, dr->ref, nt,
                 (double)s0 / fs, (double)s1 / fs, pc->matched, pc->missed, pc->extra);
        eo_report_paragraph(dr->r, txt);
        char c[8][32], rn[512];
        snprintf(rn, sizeof rn, "%s", record);
        snprintf(c[1], 32, "%zu", nr);
        snprintf(c[2], 32, "%zu", nt);
        snprintf(c[3], 32, "%ld", sx.qtp);
        snprintf(c[4], 32, "%ld", sx.qfn);
        snprintf(c[5], 32, "%ld", sx.qfp);
        pct(c[6], 32, sx.qrs_se);
        pct(c[7], 32, sx.qrs_ppv);
        const char *cp[8] = {rn, c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
        const char *hdr[8] = {"record", "reference", "detected", "TP", "FN", "FP", "QRS Se (%)", "QRS +P (%)"};
        eo_report_table(dr->r, "QRS detection, ANSI/AAMI EC57 (150 ms match window, whole record)", 8, hdr, 1,
                        cp);
    } else {
        snprintf(txt, sizeof txt, "Signal %d (%s); %zu beats detected; no reference annotator '%s' to score "
                 "against.", signal, desc, nt, dr->ref);
        eo_report_paragraph(dr->r, txt);
    }
    return EO_STATUS_OK;
}

/* One record's section of --report: strips of the detection signal with
 * reference vs detected beats, EC57 QRS Se/+P, the RR tachogram. */
static eo_status report_record(det_report *dr, const char *record, const char *base, int signal,
                               const eo_wfdb_read_options *ro, const eo_annotation_set *det, det_out *d,
                               eo_error *err)
{
    eo_wfdb_record *rec = NULL;
    eo_annotation_set *ref = NULL;
    eo_report_beat *rb = NULL, *tb = NULL;
    eo_strip_mark *marks = NULL;
    long *rs = NULL, *ts = NULL;
    unsigned char *rnorm = NULL; /* reference beat of sinus origin (SDNN) */
    double *mv = NULL;
    size_t n_marks = 0, nr = 0, nt = 0;
    eo_report_pair_counts pc = {0, 0, 0, 0};
    char txt[1024], rid[96], path[4200];
    eo_status st = eo_wfdb_record_load(base, ro, &rec, err);
    if (st)
        return st;
    double fs = rec->fs_hz;
    snprintf(path, sizeof path, "%s.%s", base, dr->ref);
    if (strcmp(dr->ref, "none") && access(path, F_OK) == 0) {
        st = eo_annot_read(path, &ref, err);
        if (st)
            goto done;
    }
    long s0, s1;
    if ((st = eo_report_span(record, dr->from_s, dr->seconds, fs, rec->n_samples, &s0, &s1, err)))
        goto done;
    mv = malloc((size_t)s1 * sizeof *mv);
    rb = calloc((ref ? ref->n : 0) + 1, sizeof *rb);
    tb = calloc(det->n + 1, sizeof *tb);
    rs = calloc((ref ? ref->n : 0) + 1, sizeof *rs);
    ts = calloc(det->n + 1, sizeof *ts);
    rnorm = calloc((ref ? ref->n : 0) + 1, 1);
    if (!mv || !rb || !tb || !rs || !ts || !rnorm) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", record);
        goto done;
    }
    for (long i = 0; i < s0; i++)
        mv[i] = NAN;
    st = eo_wfdb_record_physical(rec, signal, s0, s1 - s0, mv + s0, err);
    if (st)
        goto done;
    for (size_t i = 0; ref && i < ref->n; i++)
        if (eo_annot_is_beat(ref->items[i].code)) {
            rs[nr] = ref->items[i].sample;
            rnorm[nr] = (unsigned char)eo_hrv_is_normal_symbol(eo_annot_code_symbol(ref->items[i].code));
            rb[nr].sample = ref->items[i].sample;
            rb[nr++].label = eo_annot_code_symbol(ref->items[i].code);
        }
    for (size_t i = 0; i < det->n; i++)
        if (eo_annot_is_beat(det->items[i].code)) {
            ts[nt] = det->items[i].sample;
            tb[nt].sample = det->items[i].sample;
            tb[nt++].label = "+";
        }
    st = eo_report_pair_beats(ref ? rb : NULL, nr, tb, nt, ec57_window(fs), s0, s1, &marks, &n_marks,
                              &pc, err);
    if (st)
        goto done;
    /* a matched beat prints its reference label alone, not highlighted;
     * missed ("V/-") and extra ("-/+") beats stay highlighted */
    for (size_t i = 0; ref && i < n_marks; i++)
        if (strcmp(marks[i].ref_label, "-") && strcmp(marks[i].test_label, "-"))
            marks[i].test_label = NULL;
    const char *desc = rec->header->signals[signal].description;
    snprintf(txt, sizeof txt, "Record %s", record);
    eo_report_heading(dr->r, 2, txt);
    st = report_scores(dr, record, signal, desc, ref, det, rec->n_samples, fs, nr, nt, s0, s1, &pc, d, err);
    if (st)
        goto done;
    eo_strip_trace tr = {desc[0] ? desc : "signal", mv, (size_t)s1};
    eo_strip_options so;
    eo_strip_defaults(&so, fs);
    so.band_mv = 0;
    so.t0_s = (double)s0 / fs;
    so.seconds = 10;
    eo_report_make_id(record, rid, sizeof rid);
    st = eo_report_ecg_zoom(dr->r, rid, &so, (double)(s1 - s0) / fs, (int)ceil((double)(s1 - s0) / fs / 10 - 1e-9),
                            &tr, 1, marks, n_marks, err);
    if (st)
        goto done;
    /* the reference first, so the detections are drawn on top of it and
     * their errors stand out as spikes */
    eo_report_rr_series series[2] = {{"reference", rs, rnorm, nr}, {"detected", ts, NULL, nt}};
    snprintf(txt, sizeof txt, "RR intervals, record %s", record);
    st = ref ? eo_report_add_rr(dr->r, txt, fs, series, 2, err) : eo_report_add_rr(dr->r, txt, fs, series + 1, 1, err);
done:
    free(mv);
    free(rb);
    free(tb);
    free(rs);
    free(rnorm);
    free(ts);
    free(marks);
    eo_annot_set_destroy(ref);
    eo_wfdb_record_destroy(rec);
    return st;
}

static int is_dir(const char *p)
{
    struct stat st;
    size_t n = strlen(p);
    return (n > 0 && p[n - 1] == '/') || (stat(p, &st) == 0 && S_ISDIR(st.st_mode));
}

/* Where record `base`'s annotations go: -o FILE, -o DIR/NAME.ANN, or next to the record. */
static void out_path(const eo_cli *c, const char *base, const char *annotator, int out_dir,
                     char *out, size_t n)
{
    const char *name = strrchr(base, '/') ? strrchr(base, '/') + 1 : base;
    if (c->out && !out_dir)
        snprintf(out, n, "%s", c->out);
    else if (c->out)
        snprintf(out, n, "%s%s%s.%s", c->out, c->out[strlen(c->out) - 1] == '/' ? "" : "/", name,
                 annotator);
    else
        snprintf(out, n, "%s.%s", base, annotator);
}

/* Before any detection: every record exists and its output can be written
 * without destroying the record or its reference annotations (atr). */
static eo_status check_outputs(eo_cli *c, const char **recs, int nrec, const char *annotator,
                               int out_dir, eo_error *err)
{
    for (int k = 0; k < nrec; k++) {
        char base[4096], out[4400];
        eo_status st = eo_data_find_record(c->data_dir, recs[k], "hea", base, sizeof base, err);
        if (st)
            return st;
        if (!c->out) {
            /* next to the record: say so when that directory is not writable */
            char dir[4096];
            eo_path_dir(base, dir, sizeof dir);
            if (access(dir, W_OK) != 0)
                return eo_error_set(err, EO_STATUS_IO,
                                    "%s: directory of record %s is not writable; give -o FILE|DIR",
                                    dir, recs[k]);
        }
        out_path(c, base, annotator, out_dir, out, sizeof out);
        if ((st = eo_cli_output_annot(c, out, base, err)))
            return st;
    }
    return EO_STATUS_OK;
}

static void help(eo_cli *c, const eo_cli_opt *opts)
{
    eo_cli_spec spec = {
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
        opts,
        "ecgopt detect mitdb/100 -o /tmp/100.qrs --lead MLII\n"
        "ecgopt detect mitdb/105 -o /tmp/ --report 105-qrs.html --report-from 300\n"
        "ecgopt evaluate --ref atr --test qrs --test-dir /tmp 100\n",
        "0 ok, 1 usage, 2 bad input (missing record or signal), 3 internal"};
    eo_cli_help(c, &spec);
}

/* One record: detected, its annotations written, its --report section
 * added; the summary into d */
static eo_status detect_one(eo_cli *c, const char *record, const char *signal, const eo_qrs_options *qo,
                            const eo_wfdb_read_options *ro, const char *annotator, int out_dir,
                            det_report *dr, det_out *d, eo_error *err)
{
    char base[4096], out[4400];
    eo_status st = eo_data_find_record(c->data_dir, record, "hea", base, sizeof base, err);
    eo_wfdb_header *h = NULL;
    int lead_k = 0;
    char lead_desc[64], sig[16];
    if (!st)
        st = eo_cli_pick_lead(c, record, base, signal, NULL, &lead_k, lead_desc,
                              sizeof lead_desc, err);
    snprintf(sig, sizeof sig, "%d", lead_k);
    double t0 = eo_time_now();
    eo_annotation_set *a = NULL;
    int used = -1;
    if (!st)
        st = eo_detect_record(base, sig, qo, ro, c->progress ? eo_cli_progress : NULL, c, &a,
                              &used, err);
    eo_cli_progress_end(c);
    double secs = eo_time_now() - t0;
    if (!st) {
        out_path(c, base, annotator, out_dir, out, sizeof out);
        st = eo_annot_write(out, a, err);
        if (st && !c->out)
            eo_error_prefix(err, "cannot write next to the record (use -o FILE|DIR)");
    }
    if (!st && dr->r)
        st = report_record(dr, record, base, used, ro, a, d, err);
    if (st) {
        eo_annot_set_destroy(a);
        eo_wfdb_header_destroy(h);
        return st;
    }
    if (!h) {
        char hp[4200];
        snprintf(hp, sizeof hp, "%s.hea", base);
        if (eo_wfdb_header_read(hp, &h, err))
            h = NULL;
    }
    const char *desc = h && used >= 0 && used < h->n_signals ? h->signals[used].description : "";
    double fs = h ? h->fs_hz : 0.0;
    double dur = h && h->n_samples > 0 && fs > 0 ? (double)h->n_samples / fs : 0.0;
    d->record = record;
    d->signal = used;
    snprintf(d->desc, sizeof d->desc, "%s", desc);
    d->fs = fs;
    d->beats = (long)a->n;
    d->bpm = dur > 0 ? 60.0 * (double)a->n / dur : 0.0;
    snprintf(d->out, sizeof d->out, "%s", out);
    d->secs = secs;
    eo_annot_set_destroy(a);
    eo_wfdb_header_destroy(h);
    return EO_STATUS_OK;
}

static void print_json(const det_out *res, int nrec, const char *annotator, const char *report_path,
                       const char *ref)
{
    eo_json j;
    eo_json_init(&j, stdout);
    eo_json_obj_begin(&j);
    eo_json_kv_str(&j, "annotator", annotator);
    if (report_path)
        eo_json_kv_str(&j, "report", report_path);
    eo_json_key(&j, "records");
    eo_json_arr_begin(&j);
    for (int k = 0; k < nrec; k++) {
        eo_json_obj_begin(&j);
        eo_json_kv_str(&j, "record", res[k].record);
        eo_json_kv_int(&j, "signal", res[k].signal);
        eo_json_kv_str(&j, "signal_description", res[k].desc);
        eo_json_kv_num(&j, "fs_hz", res[k].fs);
        eo_json_kv_int(&j, "beats", res[k].beats);
        eo_json_kv_num(&j, "mean_rate_bpm", res[k].bpm);
        eo_json_kv_str(&j, "output", res[k].out);
        eo_json_kv_num(&j, "seconds", res[k].secs);
        if (res[k].scored) {
            eo_json_kv_str(&j, "reference", ref);
            eo_json_kv_int(&j, "ref_beats", res[k].ref_beats);
            eo_json_kv_int(&j, "qrs_tp", res[k].tp);
            eo_json_kv_int(&j, "qrs_fn", res[k].fn);
            eo_json_kv_int(&j, "qrs_fp", res[k].fp);
            eo_json_kv_num(&j, "qrs_se", res[k].se);
            eo_json_kv_num(&j, "qrs_ppv", res[k].ppv);
        }
        eo_json_obj_end(&j);
    }
    eo_json_arr_end(&j);
    eo_json_obj_end(&j);
    fputc('\n', stdout);
}

static void print_text(eo_cli *c, const det_out *res, int nrec, const char *report_path, const char *ref)
{
    for (int k = 0; k < nrec; k++)
    {
        printf("%s: %ld beats on signal %d (%s), %.1f bpm mean, %.3f s -> %s\n",
               res[k].record, res[k].beats, res[k].signal, res[k].desc, res[k].bpm,
               res[k].secs, res[k].out);
        if (res[k].scored)
            printf("  vs %s: %ld reference beats, TP %ld FN %ld FP %ld, QRS Se %.2f%% +P %.2f%%\n", ref,
                   res[k].ref_beats, res[k].tp, res[k].fn, res[k].fp, res[k].se, res[k].ppv);
    }
    if (report_path)
        eo_cli_info(c, "wrote %s\n", report_path);
}

int eo_cmd_detect(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "detect", &argc, argv))
        return c.rc;
    const char *annotator = "qrs", *signal = NULL, *band = NULL, *report_path = NULL;
    det_report dr = {NULL, "atr", 0, 60};
    eo_qrs_options qo;
    eo_qrs_defaults(&qo, 360.0);
    const eo_cli_opt opts[] = {
        {"--annotator", EO_OPT_STR, &annotator, 0, 0, "NAME", "annotation file extension (default qrs)", NULL},
        {"--lead", EO_OPT_STR, &signal, 0, 0, "NAME|INDEX",
         "lead: signal description (MLII, V5, ECG1, ...) or index; default the first of\n"
         "MLII, II, ECG1 present, else signal 0 (said on stderr)", "--signal"},
        {"--threshold", EO_OPT_DOUBLE, &qo.threshold, 1e-6, 1e6, "TH", "detection threshold between noise and QRS level (0.45)", NULL},
        {"--integration-ms", EO_OPT_DOUBLE, &qo.integration_ms, 10, 1000, "MS", "moving-window integrator width (120)", NULL},
        {"--searchback", EO_OPT_DOUBLE, &qo.searchback_rr, 1, 10, "RR", "search back after RR x median RR without a beat (1.5)", NULL},
        {"--band", EO_OPT_STR, &band, 0, 0, "LO,HI", "band-pass cut-offs in Hz (5,15)", NULL},
        {"--squaring", EO_OPT_FLAG, &qo.squaring, 0, 0, NULL, "square the derivative (Pan-Tompkins) instead of |.|", NULL},
        EO_OPT_REPORT(&report_path),
        {"--ref", EO_OPT_STR, &dr.ref, 0, 0, "NAME", "reference annotator for the report (default atr; none: skip)", NULL},
        EO_OPT_REPORT_SPAN(&dr.from_s, &dr.seconds),
        EO_OPT_TABLE_END};
    if (c.help) {
        help(&c, opts);
        return 0;
    }
    const char **recs = calloc((size_t)argc + 1, sizeof *recs);
    int nrec = 0;
    if (!recs) {
        eo_error e;
        eo_error_set(&e, EO_STATUS_NO_MEMORY, "detect: out of memory");
        return eo_cli_fail(&c, &e);
    }
    int rc = eo_cli_parse(&c, opts, argc, argv, recs, argc, &nrec, "RECORD");
    if (!rc && band) {
        double lo, hi;
        char extra;
        if (sscanf(band, "%lf,%lf%c", &lo, &hi, &extra) != 2)
            rc = eo_cli_usage(&c, "--band expects LO,HI in Hz, got '%s'", band);
        else
            qo.band_low_hz = lo, qo.band_high_hz = hi;
    }
    if (!rc && nrec == 0)
        rc = eo_cli_usage(&c, "missing RECORD");
    if (!rc && (!annotator[0] || strchr(annotator, '/')))
        rc = eo_cli_usage(&c, "--annotator must be a plain file extension, got '%s'", annotator);
    /* -o DIR/ (or an existing directory): annotations go there, DIR created when missing */
    int out_dir = c.out && is_dir(c.out);
    if (!rc && nrec > 1 && c.out && !out_dir)
        rc = eo_cli_usage(&c, "-o must be a directory when several records are given (end it "
                              "with '/' to create it)");
    if (rc) {
        free(recs);
        return rc;
    }
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c.verify;
    /* results are printed after all records succeeded, so that --json
     * yields either one result document or one error object */
    det_out *res = calloc((size_t)nrec, sizeof *res);
    if (!res) {
        free(recs);
        eo_error e;
        eo_error_set(&e, EO_STATUS_NO_MEMORY, "detect: out of memory");
        return eo_cli_fail(&c, &e);
    }
    eo_error err;
    eo_error_clear(&err);
    /* every output checked before any detection; a failure removes what was made */
    if ((report_path && eo_cli_output(&c, report_path, &err)) ||
        (out_dir && eo_cli_output_dir(&c, c.out, &err)) ||
        check_outputs(&c, recs, nrec, annotator, out_dir, &err)) {
        free(res);
        free(recs);
        return eo_cli_fail(&c, &err);
    }
    if (report_path) {
        char title[256];
        snprintf(title, sizeof title, "ecgopt detect: %d record(s), annotator %s", nrec, annotator);
        dr.r = eo_report_create(title);
        if (!dr.r) {
            free(res);
            free(recs);
            eo_error_set(&err, EO_STATUS_NO_MEMORY, "%s: out of memory", report_path);
            return eo_cli_fail(&c, &err);
        }
    }
    for (int k = 0; k < nrec; k++) {
        if (detect_one(&c, recs[k], signal, &qo, &ro, annotator, out_dir, &dr, &res[k], &err)) {
            eo_report_destroy(dr.r);
            free(res);
            free(recs);
            return eo_cli_fail(&c, &err);
        }
    }
    if (dr.r) {
        eo_status st = eo_report_write(dr.r, report_path, &err);
        eo_report_destroy(dr.r);
        if (st) {
            free(res);
            free(recs);
            return eo_cli_fail(&c, &err);
        }
    }
    if (c.json)
        print_json(res, nrec, annotator, report_path, dr.ref);
    else if (!c.quiet)
        print_text(&c, res, nrec, report_path, dr.ref);
    free(res);
    free(recs);
    return 0;
}
