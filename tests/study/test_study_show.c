/* study: a study as text and JSON (study_show.h) on the toy preset run by
 * GA and PSO with `ecgopt tune`'s defaults: the same best trials, top
 * trials and convergence `ecgopt study show` printed before the printing
 * moved into the library; the run summary and trial lines of `tune`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/study_show.h"
#include "eo_test.h"

#define DB "test_study_show.db"

static char *slurp_fp(FILE *fp)
{
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)n + 1);
    if (s)
        s[fread(s, 1, (size_t)n, fp)] = 0;
    return s;
}

/* One run of optimizer on the toy preset; its summary line in b. */
static void run_toy(eo_objective *obj, const char *optimizer, eo_strbuf *b)
{
    eo_study_options so;
    eo_study_defaults(&so);
    so.optimizer = optimizer;
    eo_study *s = NULL;
    eo_error err;
    eo_study_trial best;
    CHECK_OK(eo_study_open(DB, obj, &so, 0, &s, &err), &err);
    eo_study_run_summary sum = {DB, "toy", optimizer, NULL, NULL, 0, {NULL}, {0}};
    /* before the run: no best trial yet, said as the reason */
    CHECK_EQ_INT(eo_study_run_outcome(s, obj, 1, NULL, &best, &sum, &err), EO_STATUS_NOT_FOUND);
    CHECK(sum.best == NULL && sum.error == err.msg);
    CHECK_OK(eo_study_run(s, &err), &err);
    /* the toy objective has no test split: nothing to record */
    CHECK_OK(eo_study_run_outcome(s, obj, 1, NULL, &best, &sum, &err), &err);
    CHECK(sum.best == &best && sum.n_test == 0);
    eo_study_run_summary_text(b, eo_objective_space(obj), &sum);
    eo_study_close(s);
}

TEST(toy_study_text_and_json)
{
    eo_objective_options oo;
    eo_objective_defaults(&oo);
    eo_objective *obj = NULL;
    eo_error err;
    unlink(DB);
    CHECK_OK(eo_objective_preset("toy", &oo, &obj, &err), &err);
    if (!obj)
        return;
    eo_strbuf b;
    eo_strbuf_init(&b);
    run_toy(obj, "ga", &b);
    run_toy(obj, "pso", &b);
    CHECK_MSG(strcmp(eo_strbuf_str(&b), "ga: best 2 (toy) at a=2 b=-1 c=x\n"
                                        "pso: best 0.5 (toy) at a=1 b=-2 c=y\n") == 0,
              "summaries:\n%s", eo_strbuf_str(&b));
    eo_study_run_summary failed = {DB, "toy", "gwo", NULL, "no trial", 0, {NULL}, {0}};
    b.len = 0;
    eo_study_run_summary_text(&b, eo_objective_space(obj), &failed);
    CHECK(strcmp(eo_strbuf_str(&b), "gwo: no successful trial (no trial)\n") == 0);
    eo_objective_destroy(obj);

    eo_study_info *in = NULL;
    CHECK_OK(eo_study_info_load(DB, &in, &err), &err);
    if (!in)
        return;
    b.len = 0;
    CHECK_OK(eo_study_info_text(&b, DB, in, 3, &err), &err);
    const char *t = eo_strbuf_str(&b);
    CHECK(strncmp(t, "study " DB ": objective toy, 3 dimensions, 72 trials, 2 runs", 60) == 0);
    CHECK(strstr(t, "\ntop 3 trials\noptimizer    trial      fitness  parameters\n"
                    "pso             21          0.5  {\"a\": 1, \"b\": -2, \"c\": \"y\"}  toy\n"
                    "pso             34          0.5  {\"a\": 1, \"b\": -2, \"c\": \"y\"}  toy\n"
                    "pso             28          1.5  {\"a\": 2, \"b\": -2, \"c\": \"y\"}  toy\n\n"
                    "convergence (best fitness after each iteration)\n"
                    "ga         5.5 5.5 5.5 2 2\npso        5.5 2.5 0.5 0.5 0.5\n") != NULL);
    CHECK(strstr(t, "Table I") == NULL); /* only for compress-cae */
    FILE *fp = tmpfile();
    eo_json j;
    eo_json_init(&j, fp);
    CHECK_OK(eo_study_info_json(&j, DB, in, 2, &err), &err);
    char *js = slurp_fp(fp);
    CHECK(js && strstr(js, "\"best\":2,\"params\":{\"a\":2,\"b\":-1,\"c\":0},\"info\":\"toy\","
                           "\"convergence\":[5.5,5.5,5.5,2,2]}") != NULL);
    CHECK(js && strstr(js, "\"top\":[{\"run\":2,\"number\":21,\"fitness\":0.5,\"info\":\"toy\"},"
                           "{\"run\":2,\"number\":34,\"fitness\":0.5,\"info\":\"toy\"}]}") != NULL);
    free(js);
    fclose(fp);
    const char *paths[2] = {DB, "again.db"};
    eo_study_info *ins[2] = {in, in};
    b.len = 0;
    eo_study_comparison_text(&b, paths, ins, 2);
    CHECK(strstr(eo_strbuf_str(&b), "\ncomparison of 2 study files\n") != NULL);
    CHECK_EQ_INT((long)(strstr(eo_strbuf_str(&b), "Table I") != NULL), 0);
    eo_strbuf_destroy(&b);
    eo_study_info_destroy(in);
    unlink(DB);
}

int main(void)
{
    RUN(toy_study_text_and_json);
    TEST_END();
}
