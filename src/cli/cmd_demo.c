/* ecgopt demo — the whole pipeline on the data it finds (ecgopt/demo.h),
 * ending in one self-contained HTML report (demo-report.html). */
#include <stdio.h>

#include "cli.h"
#include "ecgopt/demo.h"

static const eo_cli_spec SPEC = {
    "demo [--data DIR] [-o demo-report.html] [--record NAME] [--quick]\n"
    "                   [--seed N] [--json] [--quiet] [--progress]",
    "Runs the whole pipeline on the data it finds and writes one HTML report:\n"
    "  - tunes VMD (K, alpha) by mean envelope entropy with IAOA, AOA, GWO, PSO and\n"
    "    random search (convergence curves, trials, parameter importance);\n"
    "  - denoises NSTDB noise added to a clean segment (output vs input SNR) and the\n"
    "    record itself (VMD modes with their centre frequencies);\n"
    "  - trains a gradient-boosting beat classifier on DS1 records, detects and\n"
    "    classifies the beats of the record, scores them the EC57 way;\n"
    "  - compresses the record losslessly, with bounded error and with wavelets\n"
    "    (rate-distortion curves);\n"
    "  - draws ECG strips at 25 mm/s, 10 mm/mV: original, denoised, reconstructed\n"
    "    and error, beats labelled reference/predicted, disagreements highlighted.\n"
    "Records are looked up in --data, $ECGOPT_DATA, ./data, ../shared/data; without\n"
    "MIT-BIH the demo runs on synthetic ECGSYN records.  --json prints the summary\n"
    "as JSON on stdout.\n",
    NULL, "ecgopt demo --quick -o /tmp/demo-report.html && xdg-open /tmp/demo-report.html\n", NULL};

static void note(void *user, const char *line) { eo_cli_info(user, "%s\n", line); }

int eo_cmd_demo(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "demo", &argc, argv))
        return c.rc;
    eo_demo_options o;
    eo_demo_defaults(&o);
    const eo_cli_opt opts[] = {
        {"--record", EO_OPT_STR, &o.record, 0, 0, "NAME",
         "MIT-BIH record to show (default 233, from DS2: never trained on)", NULL},
        {"--quick", EO_OPT_FLAG, &o.quick, 0, 0, NULL,
         "fewer training records, evaluations and rates (about 1 minute)", NULL},
        {"  -o FILE              the report (default demo-report.html)", EO_OPT_TEXT, NULL, 0, 0, NULL, NULL, NULL},
        EO_OPT_TABLE_END};
    int rc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, NULL, 0, NULL, "argument");
    if (rc >= 0)
        return rc;
    o.report_path = c.out ? c.out : "demo-report.html";
    o.data_dir = c.data_dir;
    o.seed = c.seed;
    o.threads = c.threads;
    o.verify = c.verify;
    o.progress = c.progress ? eo_cli_progress : NULL;
    o.progress_user = &c;
    o.note = note;
    o.note_user = &c;
    eo_error err;
    eo_demo *d = NULL;
    /* fail now, not after minutes of work, when the report cannot be written */
    eo_status st = eo_cli_output(&c, o.report_path, &err);
    if (!st)
        st = eo_demo_run(&o, &d, &err);
    eo_cli_progress_end(&c);
    if (st)
        return eo_cli_fail(&c, &err);
    const eo_demo_result *r = eo_demo_result_of(d);
    eo_json j;
    eo_strbuf b;
    eo_json_init(&j, stdout);
    eo_strbuf_init(&b);
    if (c.json)
        eo_demo_result_json(&j, r, o.report_path);
    else if (!c.quiet)
        eo_demo_result_text(&b, r, o.report_path);
    fputs(c.json ? "\n" : eo_strbuf_str(&b), stdout);
    eo_strbuf_destroy(&b);
    eo_demo_destroy(d);
    return 0;
}
