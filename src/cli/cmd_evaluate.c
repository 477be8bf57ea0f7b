/* ecgopt evaluate — beat-by-beat comparison of two annotators the ANSI/AAMI
 * EC57 way; the work, its tables, JSON and report are eo_ec57_evaluate and
 * friends (ecgopt/ec57_eval.h). */
#include <stdlib.h>

#include "cli.h"
#include "ecgopt/ec57_eval.h"

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

static void print_result(eo_cli *c, const eo_ec57_eval *e)
{
    for (int k = 0; k < e->n; k++)
        if (e->recs[k].test_total == 0)
            eo_cli_info(c, "ecgopt: %s: warning: test annotations contain no beats\n", e->recs[k].test_path);
    if (c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_ec57_eval_json(&j, e);
        eo_json_obj_end(&j);
        fputc('\n', stdout);
        return;
    }
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_ec57_eval_text(&b, e);
    fputs(eo_strbuf_str(&b), stdout);
    eo_strbuf_destroy(&b);
}

int eo_cmd_evaluate(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "evaluate", &argc, argv))
        return c.rc;
    eo_ec57_eval_options o;
    eo_ec57_eval_defaults(&o);
    o.data_dir = c.data_dir;
    const char *report = NULL;
    const eo_cli_opt opts[] = {
        {"--ref", EO_OPT_STR, &o.ref, 0, 0, "NAME", "reference annotator (default atr)", NULL},
        {"--test", EO_OPT_STR, &o.test, 0, 0, "NAME", "test annotator (required), e.g. qrs", NULL},
        {"--test-dir", EO_OPT_STR, &o.test_dir, 0, 0, "DIR", "read test annotations from DIR/RECORD.NAME, not next to the record", NULL},
        {"--learning-period", EO_OPT_DOUBLE, &o.ec57.learning_period_s, 0, 1e7, "S",
         "seconds at the start not scored (default 0; EC57 and WFDB bxb: 300);\n"
         "the ref and test columns count the scored beats", NULL},
        {"--window", EO_OPT_DOUBLE, &o.ec57.match_window_s, 0.001, 1, "S", "match window in seconds (default 0.15)", NULL},
        {"--escape-as-sveb", EO_OPT_FLAG, &o.ec57.escape_as_sveb, 0, 0, NULL, "count escape beats e, j as S like bxb's SVEB mode", NULL},
        EO_OPT_REPORT(&report),
        EO_OPT_TABLE_END};
    const char **names = calloc((size_t)argc + 1, sizeof *names);
    eo_error err;
    if (!names) {
        eo_error_set(&err, EO_STATUS_NO_MEMORY, "evaluate: out of memory");
        return eo_cli_fail(&c, &err);
    }
    int n = 0;
    int rc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, names, argc, &n, "RECORD");
    if (rc < 0 && !o.test)
        rc = eo_cli_usage(&c, "missing --test ANNOTATOR");
    if (rc < 0 && n == 0)
        rc = eo_cli_usage(&c, "no RECORD given (empty record list)");
    if (rc >= 0) {
        free(names);
        return rc;
    }
    if (c.progress) {
        o.progress = eo_cli_progress;
        o.progress_user = &c;
    }
    eo_ec57_eval e = {0};
    /* the report path checked before the work; a failure removes what was made */
    eo_status st = report ? eo_cli_output(&c, report, &err) : EO_STATUS_OK;
    if (!st) {
        st = eo_ec57_evaluate(&o, names, n, &e, &err);
        eo_cli_progress_end(&c);
    }
    if (!st && report)
        st = eo_ec57_eval_report(&e, report, &err);
    if (!st)
        print_result(&c, &e);
    eo_ec57_eval_free(&e);
    free(names);
    return st ? eo_cli_fail(&c, &err) : 0;
}
