/* ecgopt study show — the best trials and the convergence of each run of a
 * study file (read-only; study_show.h prints them). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/study_show.h"

#define STUDY_MAX_FILES 64

static const eo_cli_spec SPEC = {
    "study show STUDY.db [STUDY2.db ...] [--top N] [--report FILE.html]",
    "Prints each run (optimiser, trials, failed, cached, wall time, best fitness and\n"
    "parameters, the winner's test figures), the --top trials of the study, and the\n"
    "convergence of each run (best fitness after each iteration).  For compress-cae\n"
    "studies also the paper's Table I (best validation MSE, epochs, latent size).\n"
    "Several files (e.g. the three compress-cae arms, one study file each): each is\n"
    "shown, then one comparison table of every run (evaluations = trials not served by\n"
    "the cache) and, when all are compress-cae arms, Table I across them; --json gives\n"
    "{\"studies\":[...]} with one object per file.\n",
    NULL,
    "ecgopt study show cae.db --top 5\n"
    "ecgopt study show cae.db --report cae.html\n"
    "ecgopt study show cae-attention.db cae-baseline.db cae-baseline-att.db\n",
    NULL};

/* Each study file as JSON ({"studies":[...]} for several) or text, then
 * the comparison of several. */
static eo_status show(const eo_cli *c, const char *const *paths, eo_study_info *const *ins, int n,
                      long top, eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    eo_json j;
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_json_init(&j, stdout);
    if (c->json && n > 1) {
        eo_json_obj_begin(&j);
        eo_json_key(&j, "studies");
        eo_json_arr_begin(&j);
    }
    for (int f = 0; f < n && !st; f++) {
        if (c->json) {
            st = eo_study_info_json(&j, paths[f], ins[f], top, err);
            continue;
        }
        if (f > 0)
            eo_strbuf_append(&b, "\n");
        st = eo_study_info_text(&b, paths[f], ins[f], top, err);
    }
    if (c->json && n > 1) {
        eo_json_arr_end(&j);
        eo_json_obj_end(&j);
    }
    if (!c->json && n > 1)
        eo_study_comparison_text(&b, paths, ins, n);
    eo_cli_print(&b);
    return st;
}

int eo_cmd_study(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "study", &argc, argv))
        return c.rc;
    const char *pos[STUDY_MAX_FILES + 1];
    int n_pos = 0;
    const char *report = NULL;
    long top = 10;
    const eo_cli_opt opts[] = {
        {"--top", EO_OPT_LONG, &top, 1, 1000000, "N", "the N best trials of the study (default 10)", NULL},
        {"--report", EO_OPT_STR, &report, 0, 0, "FILE.html",
         "also write an HTML report: convergence of each optimiser (best-so-far vs\n"
         "evaluations), the runs and best trials, parameter importance, and the winners'\n"
         "test-split figures when the study has them (one study file)", NULL},
        EO_OPT_TABLE_END};
    int rc = eo_cli_help_or_parse(&c, &SPEC, opts, argc, argv, pos, STUDY_MAX_FILES + 1, &n_pos,
                                  "study file");
    if (rc >= 0)
        return rc;
    if (n_pos < 2 || strcmp(pos[0], "show") != 0)
        return eo_cli_usage(&c, "expected: study show STUDY.db [STUDY2.db ...]");
    const char *const *paths = pos + 1;
    int n_paths = n_pos - 1;
    if (report && n_paths > 1)
        return eo_cli_usage(&c, "--report takes one study file (got %d)", n_paths);
    eo_error err;
    if (report && eo_cli_output(&c, report, &err))
        return eo_cli_fail(&c, &err);
    eo_study_info *ins[STUDY_MAX_FILES] = {0};
    for (int f = 0; f < n_paths; f++)
        if (eo_study_info_load(paths[f], &ins[f], &err) != EO_STATUS_OK) {
            for (int g = 0; g < f; g++)
                eo_study_info_destroy(ins[g]);
            return eo_cli_fail(&c, &err);
        }
    eo_status st = show(&c, paths, ins, n_paths, top, &err);
    for (int f = 0; f < n_paths; f++)
        eo_study_info_destroy(ins[f]);
    if (st)
        return eo_cli_fail(&c, &err);
    if (report) {
        fflush(stdout);
        if (eo_study_report_write(paths[0], report, &err) != EO_STATUS_OK)
            return eo_cli_fail(&c, &err);
        eo_cli_info(&c, "study: wrote %s\n", report);
    }
    return 0;
}
