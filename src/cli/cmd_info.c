/* ecgopt info — header summary, duration, signals (checksums verified),
 * annotation counts by code and by AAMI class, rhythm episodes
 * (record_summary.h: eo_record_summarize; the report: record_report.h). */
#include <stdio.h>

#include "cli.h"
#include "cli_args.h"
#include "ecgopt/record_report.h"
#include "ecgopt/util.h"
#include "ecgopt/record_summary.h"

static const eo_cli_spec SPEC = {
    "info RECORD [--annotator NAME] [--report FILE.html [--report-from S] [--report-seconds S]]",
    "Header summary of a WFDB record: sampling rate, length, signals (file, format,\n"
    "gain, baseline, units; header checksums and initial values verified unless\n"
    "--no-verify), annotation counts by code and by AAMI class, and the rhythm\n"
    "episodes given by '+' annotations.  RECORD is a path (data/mitdb/100) or a\n"
    "name looked up in --data, $ECGOPT_DATA, ./data, ../shared/data.  The report\n"
    "draws each signal at 5 mm/s (overview) and 25 mm/s (10-s strips) with the beat\n"
    "labels, the annotation counts and the rhythm episodes on a time line.\n",
    NULL, "ecgopt info mitdb/203\necgopt info mitdb/203 --report 203.html --report-from 120\n", NULL};

static void print_summary(const eo_cli *c, const eo_record_summary *s, const char *base,
                          const char *report)
{
    if (c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_record_summary_json(&j, s, base, report);
        printf("\n");
        return;
    }
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_record_summary_text(&b, s, base);
    eo_cli_print(&b);
}

int eo_cmd_info(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "info", &argc, argv))
        return c.rc;
    const char *rec = NULL, *annotator = "atr", *report = NULL;
    double from_s = 0, seconds = 60;
    const eo_cli_opt opts[] = {
        {"--annotator", EO_OPT_STR, &annotator, 0, 0, "NAME", "annotation file extension (default atr; 'none' to skip)", NULL},
        EO_OPT_REPORT(&report),
        EO_OPT_REPORT_SPAN(&from_s, &seconds),
        EO_OPT_TABLE_END};
    int rc = eo_cli_args(&c, &SPEC, opts, argc, argv, &rec, "RECORD", "missing RECORD", NULL);
    if (rc >= 0)
        return rc;
    eo_error err;
    eo_error_clear(&err);
    char base[4096];
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c.verify;
    eo_record_summary *s = NULL;
    eo_status st = report ? eo_cli_output(&c, report, &err) : EO_STATUS_OK;
    if (!st)
        st = eo_data_find_record(c.data_dir, rec, "hea", base, sizeof base, &err);
    if (!st) {
        st = eo_record_summarize(base, &ro, annotator, eo_cli_progress, &c, &s, &err);
        eo_cli_progress_end(&c);
    }
    if (!st && report)
        st = eo_record_report_info(report, rec, base, &ro, s, from_s, seconds, &err);
    if (!st)
        print_summary(&c, s, base, report);
    if (!st && report && !c.json)
        eo_cli_info(&c, "wrote %s\n", report);
    eo_record_summary_destroy(s);
    return st ? eo_cli_fail(&c, &err) : 0;
}
