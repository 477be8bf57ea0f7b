/* A loaded study file queried (ranked trials, a run's optimiser, its
 * convergence curve) with known answers on a hand-made study, and the HTML
 * study report of a real toy study: its runs, best trials and test split. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecgopt/study.h"
#include "eo_test.h"

static char g_dir[512];

static eo_study_trial trial(long long run, long long iter, long long number, double fit,
                            eo_trial_status st)
{
    eo_study_trial t;
    memset(&t, 0, sizeof t);
    t.run = run;
    t.iteration = iter;
    t.number = number;
    t.fitness = st == EO_TRIAL_OK ? fit : NAN;
    t.status = st;
    return t;
}

/* two runs: run 1 (ga) improves 3 -> 2 and fails once; run 2 (pso) ties 2 */
TEST(test_info_queries)
{
    eo_study_trial tr[6] = {trial(1, 0, 0, 3.0, EO_TRIAL_OK),     trial(1, 0, 1, 5.0, EO_TRIAL_OK),
                            trial(1, 1, 2, 0.0, EO_TRIAL_FAILED), trial(1, 2, 3, 2.0, EO_TRIAL_OK),
                            trial(2, 0, 0, 2.0, EO_TRIAL_OK),     trial(2, 1, 1, 4.0, EO_TRIAL_OK)};
    eo_study_run_info runs[2];
    memset(runs, 0, sizeof runs);
    runs[0].id = 1;
    snprintf(runs[0].optimizer, sizeof runs[0].optimizer, "ga");
    runs[1].id = 2;
    snprintf(runs[1].optimizer, sizeof runs[1].optimizer, "pso");
    eo_study_info in;
    memset(&in, 0, sizeof in);
    in.n_runs = 2;
    in.runs = runs;
    in.n_trials = 6;
    in.trials = tr;

    const eo_study_trial *ok[6];
    CHECK_EQ_INT(eo_study_info_ranked(&in, ok), 5);
    /* fitness 2 twice: run 1 before run 2; the failed trial is left out */
    CHECK(ok[0] == &tr[3]);
    CHECK(ok[1] == &tr[4]);
    CHECK(ok[2] == &tr[0]);
    CHECK(ok[3] == &tr[5]);
    CHECK(ok[4] == &tr[1]);

    CHECK(strcmp(eo_study_info_run_optimizer(&in, 2), "pso") == 0);
    CHECK(strcmp(eo_study_info_run_optimizer(&in, 9), "?") == 0);

    double curve[8];
    /* iteration 1 failed: the best so far stays 3 */
    CHECK_EQ_INT(eo_study_info_convergence(&in, 1, curve, 8), 3);
    CHECK_CLOSE(curve[0], 3.0, 0, 0);
    CHECK_CLOSE(curve[1], 3.0, 0, 0);
    CHECK_CLOSE(curve[2], 2.0, 0, 0);
    CHECK_EQ_INT(eo_study_info_convergence(&in, 2, curve, 8), 2);
    CHECK_CLOSE(curve[1], 2.0, 0, 0);
    /* capped */
    CHECK_EQ_INT(eo_study_info_convergence(&in, 1, curve, 2), 2);
    CHECK_EQ_INT(eo_study_info_convergence(&in, 9, curve, 8), 0);
}

static size_t slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n;
}

TEST(test_report_of_toy_study)
{
    char db[600], html_path[600];
    snprintf(db, sizeof db, "%s/toy.db", g_dir);
    snprintf(html_path, sizeof html_path, "%s/toy.html", g_dir);
    eo_error err;
    eo_objective *obj = NULL;
    eo_objective_options oo;
    eo_objective_defaults(&oo);
    CHECK_OK(eo_objective_preset("toy", &oo, &obj, &err), &err);
    if (!obj)
        return;
    const char *opts[2] = {"random", "ga"};
    for (int k = 0; k < 2; k++) {
        eo_study_options so;
        eo_study_defaults(&so);
        so.optimizer = opts[k];
        so.pop_size = 4;
        so.max_iters = 3;
        so.workers = 0;
        eo_study *s = NULL;
        CHECK_OK(eo_study_open(db, obj, &so, 0, &s, &err), &err);
        if (s) {
            CHECK_OK(eo_study_run(s, &err), &err);
            if (k == 0)
                CHECK_OK(eo_study_set_result(s, "test_accuracy", 0.8125, &err), &err);
        }
        eo_study_close(s);
    }
    eo_objective_destroy(obj);
    CHECK_OK(eo_study_report_write(db, html_path, &err), &err);
    static char html[1 << 20];
    CHECK(slurp(html_path, html, sizeof html) > 1000);
    CHECK(strstr(html, "</html>") != NULL);
    CHECK(strstr(html, "Convergence of each optimiser") != NULL);
    CHECK(strstr(html, ">random<") != NULL && strstr(html, ">ga<") != NULL);
    CHECK(strstr(html, "Best trials") != NULL);
    /* the trial count as the study file has it */
    eo_study_info *in = NULL;
    CHECK_OK(eo_study_info_load(db, &in, &err), &err);
    if (in) {
        char want[64];
        snprintf(want, sizeof want, "3 dimensions, %zu trials in 2 runs", in->n_trials);
        CHECK_MSG(strstr(html, want) != NULL, "no '%s'", want);
        CHECK(in->n_trials >= 8);
        eo_study_info_destroy(in);
    }
    CHECK(strstr(html, "Test split") != NULL);
    CHECK(strstr(html, ">test_accuracy<") != NULL && strstr(html, ">0.8125<") != NULL);

    /* no study there: an error naming the file, no report */
    char none[600], out2[600];
    snprintf(none, sizeof none, "%s/none.db", g_dir);
    snprintf(out2, sizeof out2, "%s/none.html", g_dir);
    CHECK(eo_study_report_write(none, out2, &err) != EO_STATUS_OK);
    CHECK(strstr(err.msg, "none.db") != NULL);
    CHECK(access(out2, F_OK) != 0);
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "%s/study-report-test-%d", EO_TEST_BINARY_DIR, (int)getpid());
    mkdir(g_dir, 0755);
    RUN(test_info_queries);
    RUN(test_report_of_toy_study);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (!eo_t_failed && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", g_dir);
    TEST_END();
}
