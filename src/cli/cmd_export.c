/* ecgopt export — samples (adu or physical units) and annotations of a WFDB
 * record as CSV or JSON (wfdb_export.h: eo_wfdb_export, streamed so a long
 * record never sits in memory), with an optional HTML report
 * (record_report.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_record.h"
#include "ecgopt/record_report.h"
#include "ecgopt/wfdb_export.h"

static const eo_cli_spec SPEC = {
    "export RECORD [--from S] [--to S] [--physical] (--csv | --json) [--annotations]\n"
    "                     [--annotator NAME] [-o FILE] [--report FILE.html]",
    "Samples of every signal, in ADC units (default) or physical units, between --from\n"
    "and --to, streamed so a long record never sits in memory.  --json gives one\n"
    "object: record, fs_hz, signals, from_sample, samples (one array per signal) and,\n"
    "with --annotations, annotations.  -o FILE is written atomically (stdout without\n"
    "it).  The report draws every signal at 5 mm/s and in 10-s strips at 25 mm/s,\n"
    "10 mm/mV, with the annotator's beat labels when its file exists.\n",
    NULL,
    "ecgopt export mitdb/100 --from 60 --to 70 --physical --csv -o 100.csv\n"
    "ecgopt export mitdb/208 --from 0 --to 30 --csv -o 208.csv --report 208.html\n",
    NULL};

/* Samples [s0, s1) (and the annotations a) into -o atomically, or stdout. */
static int write_output(eo_cli *c, const char *base, long s0, long s1, const eo_annotation_set *a,
                        const eo_export_options *eo)
{
    eo_error err;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c->verify;
    eo_atomic_file af;
    FILE *fp = stdout;
    if (c->out && strcmp(c->out, "-") != 0) {
        if (eo_atomic_open(&af, c->out, &err))
            return eo_cli_fail(c, &err);
        fp = af.fp;
    }
    eo_status st = eo_wfdb_export(fp, base, &ro, s0, s1, a, eo, &err);
    eo_cli_progress_end(c);
    if (fp != stdout) {
        if (st)
            eo_atomic_abort(&af);
        else
            st = eo_atomic_commit(&af, &err);
    } else if (fflush(stdout) != 0 && !st) {
        st = eo_error_set(&err, EO_STATUS_IO, "stdout: write failed");
    }
    return st ? eo_cli_fail(c, &err) : 0;
}

/* The span of the record in samples; 0, or the exit code. */
static int find_span(eo_cli *c, const char *rec, double from, double to, char *base, size_t nb,
                     long *s0, long *s1)
{
    eo_error err;
    eo_wfdb_stream *s = NULL;
    if (eo_cli_stream_open(c, rec, base, nb, &s, &err))
        return eo_cli_fail(c, &err);
    const eo_wfdb_header *h = eo_wfdb_stream_header(s);
    long n = h->n_samples;
    *s0 = (long)llround(from * h->fs_hz);
    *s1 = to >= 0 ? (long)llround(to * h->fs_hz) : n;
    if (*s1 > n)
        *s1 = n;
    if (*s0 > n)
        eo_error_set(&err, EO_STATUS_OUT_OF_RANGE, "%s: --from %g s is past the end (%g s)", base,
                     from, (double)n / h->fs_hz);
    eo_wfdb_stream_close(s);
    return *s0 > n ? eo_cli_fail(c, &err) : 0;
}

int eo_cmd_export(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "export", &argc, argv))
        return c.rc;
    const char *rec = NULL, *annotator = "atr", *report_path = NULL;
    double from = 0, to = -1, rep_seconds = 60;
    eo_export_options eo;
    eo_export_defaults(&eo);
    int csv = 0;
    const eo_cli_opt opts[] = {
        EO_OPT_SPAN(&from, &to),
        {"--physical", EO_OPT_FLAG, &eo.physical, 0, 0, NULL,
         "physical units: (adu - baseline) / gain; invalid samples empty in CSV, null in JSON", NULL},
        {"--csv", EO_OPT_FLAG, &csv, 0, 0, NULL,
         "CSV: sample,time_s,<signal>,...; with --annotations the annotations instead:\n"
         "sample,time_s,symbol,code,subtype,chan,num,aux", NULL},
        {"--annotations", EO_OPT_FLAG, &eo.annotations, 0, 0, NULL, "the annotations (with --json: as well)", NULL},
        {"--annotator", EO_OPT_STR, &annotator, 0, 0, "NAME", "annotation file extension (default atr)", NULL},
        EO_OPT_REPORT(&report_path),
        {"--report-seconds", EO_OPT_DOUBLE, &rep_seconds, 1, 600, "S",
         "draw at most S seconds of the span in the report (default 60)", NULL},
        EO_OPT_TABLE_END};
    int prc = eo_cli_args(&c, &SPEC, opts, argc, argv, &rec, "RECORD", "missing RECORD", NULL);
    if (prc >= 0)
        return prc;
    if (csv == c.json)
        return eo_cli_usage(&c, "give exactly one of --csv and --json");
    if (to >= 0 && to < from)
        return eo_cli_usage(&c, "--to %g is before --from %g", to, from);
    eo.json = c.json;
    eo.progress = eo_cli_progress;
    eo.user = &c;
    eo_error err;
    eo_error_clear(&err);
    /* every output checked before any work; a failure removes what was made */
    if ((report_path && eo_cli_output(&c, report_path, &err)) ||
        (c.out && strcmp(c.out, "-") != 0 && eo_cli_output(&c, c.out, &err)))
        return eo_cli_fail(&c, &err);
    char base[4096];
    long s0 = 0, s1 = 0;
    int rc = find_span(&c, rec, from, to, base, sizeof base, &s0, &s1);
    if (rc)
        return rc;
    eo_annotation_set *a = NULL;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c.verify;
    if (eo.annotations && eo_annot_read_beside(base, annotator, 0, &a, &err))
        return eo_cli_fail(&c, &err);
    /* the report first: a bad --report path fails before any output */
    if (report_path &&
        eo_record_report_export(report_path, rec, base, &ro, s0, s1, rep_seconds, annotator, a, &err))
        rc = eo_cli_fail(&c, &err);
    if (!rc)
        rc = write_output(&c, base, s0, s1, a, &eo);
    eo_annot_set_destroy(a);
    return rc;
}
