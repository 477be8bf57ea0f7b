/* opt: the CEC 2017 protocol's tables (eo_cec_bench_table) on a tiny known
 * result, their Markdown and JSON, the function-list and point parsers, the
 * stream evaluation and function list of `ecgopt cec2017`, and reloading a
 * result from the CSV files it writes (eo_cec_bench_load_path). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/cec2017.h"
#include "eo_test.h"

/* 2 functions x 2 algorithms x 6 runs, 2 curve points:
 * F1: a = 1..6, ref b = 11..16 (b worse in every run)
 * F3: a = 10..15, ref b = 1..6 (b better in every run) */
static char NAME_A[] = "a", NAME_B[] = "b";
static char *NAMES[2] = {NAME_A, NAME_B};
static int FUNS[2] = {1, 3};
static double ERR[2 * 2 * 6];
static double CURVE[2 * 2 * 6 * 2];
static long long CURVE_EVALS[2] = {50, 100};

static eo_cec_bench_result tiny(int runs)
{
    for (int k = 0; k < 6; k++) {
        ERR[(0 * 2 + 0) * 6 + k] = 1 + k;
        ERR[(0 * 2 + 1) * 6 + k] = 11 + k;
        ERR[(1 * 2 + 0) * 6 + k] = 10 + k;
        ERR[(1 * 2 + 1) * 6 + k] = 1 + k;
    }
    for (int i = 0; i < 2 * 2 * 6; i++) {
        CURVE[2 * i] = 2 * ERR[i];
        CURVE[2 * i + 1] = ERR[i];
    }
    eo_cec_bench_result r = {.n_alg = 2, .n_fun = 2, .runs = runs, .dim = 10, .max_evals = 100,
                             .curve_points = 2, .functions = FUNS, .algorithms = NAMES, .error = ERR,
                             .curve = CURVE, .curve_evals = CURVE_EVALS, .seconds = 0.4, .total_evals = 2400};
    return r;
}

TEST(table_known_values)
{
    eo_cec_bench_result r = tiny(6);
    eo_cec_bench_table *t = NULL;
    eo_error err;
    CHECK_OK(eo_cec_bench_table_create(&r, 1, &t, &err), &err);
    if (!t)
        return;
    /* mean and sample std of 1..6: 3.5, sqrt(3.5) */
    CHECK_CLOSE(t->mean[0], 3.5, 1e-12, 0);
    CHECK_CLOSE(t->std[0], sqrt(3.5), 1e-12, 0);
    CHECK_CLOSE(t->mean[1], 13.5, 1e-12, 0);
    CHECK_CLOSE(t->mean[2], 12.5, 1e-12, 0);
    /* 6 equal differences (-10), all one way: the tie-corrected normal
     * approximation, z = (21/2) / sqrt(6*7*13/24 - (6^3-6)/48) */
    CHECK_CLOSE(t->pvalue[0], erfc(10.5 / sqrt(22.75 - 4.375) / sqrt(2.0)), 1e-12, 0);
    CHECK_CLOSE(t->pvalue[0], 0.014305878435429655, 1e-12, 0);
    CHECK_CLOSE(t->pvalue[1], 1, 0, 0);
    CHECK(t->tests_ok);
    CHECK_CLOSE(t->min_p, 0.03125, 1e-12, 0);
    /* the reference b is worse on F1, better on F3 */
    CHECK_EQ_INT(t->sign[0], -1);
    CHECK_EQ_INT(t->sign[2], 1);
    CHECK_EQ_INT(t->sign[1], 0);
    int plus, eq, minus;
    eo_cec_bench_table_signs(t, 0, &plus, &eq, &minus);
    CHECK(plus == 1 && eq == 0 && minus == 1);
    eo_cec_bench_table_signs(t, 1, &plus, &eq, &minus);
    CHECK(plus == 0 && eq == 2 && minus == 0);
    /* one first and one second place each */
    CHECK_CLOSE(t->friedman[0], 1.5, 1e-12, 0);
    CHECK_CLOSE(t->friedman[1], 1.5, 1e-12, 0);
    /* over the function means: -10 and +9, one each way */
    CHECK_CLOSE(t->overall_p[0], 1, 1e-12, 0);
    double c[2];
    eo_cec_bench_mean_curve(&r, 1, 0, c);
    CHECK_CLOSE(c[0], 25, 1e-12, 0);
    CHECK_CLOSE(c[1], 12.5, 1e-12, 0);

    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_cec_bench_table_markdown(t, 7, &b);
    const char *md = eo_strbuf_str(&b);
    static const char want[] =
        "CEC 2017, D=10, 6 runs, 100 evaluations per run, seed 7, 0 s\n\n| F | a | b |\n|---|---|---|\n"
        "| F1 | 3.500e+00 (1.87e+00) - | 1.350e+01 (1.87e+00) |\n"
        "| F3 | 1.250e+01 (1.87e+00) + | 3.500e+00 (1.87e+00) |\n"
        "| Friedman rank | 1.50 | 1.50 |\n| +/=/- vs b | 1/0/1 | - |\n"
        "| Wilcoxon p vs b (over functions) | 1 | - |\n\n";
    CHECK(strncmp(md, want, sizeof want - 1) == 0);
    CHECK(strstr(md, "'+': b significantly better (Wilcoxon p < 0.05 over the runs, lower mean)") != NULL);
    eo_strbuf_destroy(&b);

    char *js = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&js, &n);
    eo_json j;
    eo_json_init(&j, fp);
    eo_cec_bench_table_json(&j, t, 7);
    fclose(fp);
    CHECK(strstr(js, "\"protocol\":\"cec2017\",\"dim\":10,\"runs\":6,\"wilcoxon_over_runs_can_reject\":true,"
                     "\"max_evals\":100,\"seed\":7,\"against\":\"b\"") != NULL);
    CHECK(strstr(js, "\"name\":\"a\",\"friedman_rank\":1.5,") != NULL);
    CHECK(strstr(js, "\"ref_better\":1,\"no_difference\":0,\"ref_worse\":1") != NULL);
    CHECK(strstr(js, "\"algorithm\":\"a\",\"mean_error\":12.5,") != NULL);
    CHECK(strstr(js, "\"curve_evals\":[50,100],\"curve_mean_best_error\":[25,12.5]") != NULL);
    free(js);
    eo_cec_bench_table_destroy(t);
    eo_cec_bench_table_destroy(NULL);
}

TEST(table_few_runs)
{
    /* 5 runs cannot reach p < 0.05: no marks, n/a counts, null in JSON */
    eo_cec_bench_result r = tiny(5);
    eo_cec_bench_table *t = NULL;
    eo_error err;
    CHECK_OK(eo_cec_bench_table_create(&r, 1, &t, &err), &err);
    if (!t)
        return;
    CHECK(!t->tests_ok);
    CHECK_CLOSE(t->min_p, 0.0625, 1e-12, 0);
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_cec_bench_table_markdown(t, 1, &b);
    const char *md = eo_strbuf_str(&b);
    /* (5 runs of a: 1..5) */
    CHECK(strstr(md, "| F1 | 3.000e+00 (1.58e+00) | ") != NULL);
    CHECK(strstr(md, "| +/=/- vs b | n/a (runs < 6) | - |\n") != NULL);
    CHECK(strstr(md, "no +/- marks: with 5 runs the Wilcoxon signed-rank test over runs cannot reach p < 0.05") !=
          NULL);
    eo_strbuf_destroy(&b);
    char *js = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&js, &n);
    eo_json j;
    eo_json_init(&j, fp);
    eo_cec_bench_table_json(&j, t, 1);
    fclose(fp);
    CHECK(strstr(js, "\"ref_better\":null,\"no_difference\":null,\"ref_worse\":null") != NULL);
    free(js);
    eo_cec_bench_table_destroy(t);
}

TEST(parse_functions_and_points)
{
    int f[EO_CEC2017_N_FUNCTIONS];
    size_t n;
    eo_error err;
    CHECK_OK(eo_cec2017_parse_functions("1,3-5,30", f, &n, &err), &err);
    CHECK(n == 5 && f[0] == 1 && f[1] == 3 && f[3] == 5 && f[4] == 30);
    CHECK_OK(eo_cec2017_parse_functions("1-30", f, &n, &err), &err);
    CHECK(n == 29 && f[1] == 3); /* F2 skipped */
    CHECK(eo_cec2017_parse_functions("0", f, &n, &err) == EO_STATUS_USAGE &&
          strcmp(err.msg, "range 0-0 outside 1..30") == 0);
    CHECK(eo_cec2017_parse_functions("1,x", f, &n, &err) == EO_STATUS_USAGE &&
          strcmp(err.msg, "cannot parse '1,x'") == 0);
    CHECK(eo_cec2017_parse_functions("2", f, &n, &err) == EO_STATUS_USAGE && strcmp(err.msg, "empty list") == 0);
    double x[3];
    int found;
    CHECK_OK(eo_cec2017_parse_point(" 1, 2.5\t-3\n", 3, x, &found, &err), &err);
    CHECK(found == 3 && x[0] == 1 && x[1] == 2.5 && x[2] == -3);
    CHECK_OK(eo_cec2017_parse_point("  # a comment", 3, x, &found, &err), &err);
    CHECK_EQ_INT(found, 0);
    CHECK_OK(eo_cec2017_parse_point("\n", 3, x, &found, &err), &err);
    CHECK_EQ_INT(found, 0);
    CHECK(eo_cec2017_parse_point("  1 x", 3, x, &found, &err) == EO_STATUS_BAD_FORMAT &&
          strcmp(err.msg, "not a number at column 3") == 0);
    CHECK(eo_cec2017_parse_point("1 2", 3, x, &found, &err) == EO_STATUS_BAD_FORMAT &&
          strcmp(err.msg, "expected 3 numbers (D), found 2") == 0);
}

static void sum_value(void *user, double v) { *(double *)user += v; }

TEST(eval_stream_and_list)
{
    eo_cec2017 *p = NULL;
    eo_error err;
    if (eo_cec2017_create(&p, 1, 10, eo_test_data_dir(), &err) != EO_STATUS_OK)
        SKIP("CEC 2017 data not in the data folder");
    /* F1 at the origin, the value `ecgopt cec2017 eval` prints */
    char text[] = "# origin\n0 0 0 0 0 0 0 0 0 0\n\n0,0,0,0,0,0,0,0,0,0\n1 2\n0 0 0 0 0 0 0 0 0 0\n";
    FILE *in = fmemopen(text, strlen(text), "r");
    double sum = 0;
    size_t n = 0;
    CHECK(eo_cec2017_eval_stream(p, in, "stdin", sum_value, &sum, &n, &err) == EO_STATUS_BAD_FORMAT);
    CHECK(strcmp(err.msg, "stdin: line 5: expected 10 numbers (D), found 2") == 0);
    CHECK_EQ_INT(n, 2);
    CHECK_CLOSE(sum, 2 * 29975432515.940056, 1e-12, 0);
    fclose(in);
    char one[] = "0 0 0 0 0 0 0 0 0 0\n";
    in = fmemopen(one, strlen(one), "r");
    char *js = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&js, &len);
    eo_json j;
    eo_json_init(&j, out);
    CHECK_OK(eo_cec2017_eval_stream_json(p, in, "stdin", &j, &n, &err), &err);
    fclose(out);
    fclose(in);
    CHECK(js && strncmp(js, "{\"function\":1,\"dim\":10,\"optimum\":100,\"values\":[29975432515.940056]}", 67) == 0);
    free(js);
    eo_cec2017_destroy(p);
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_cec2017_list_text(&b);
    const char *t = eo_strbuf_str(&b);
    CHECK(strncmp(t, "F1   f*=100   Shifted and Rotated Bent Cigar\nF3   f*=300   ", 59) == 0);
    CHECK(strstr(t, "\nF30  f*=3000  Composition 10\n") != NULL);
    int lines = 0;
    for (const char *q = t; *q; q++)
        lines += *q == '\n';
    CHECK_EQ_INT(lines, 29);
    eo_strbuf_destroy(&b);
}

TEST(load_path_round_trip)
{
    eo_cec_bench_result r = tiny(6);
    eo_cec_bench_table *t = NULL;
    eo_error err;
    CHECK_OK(eo_cec_bench_table_create(&r, 1, &t, &err), &err);
    if (!t)
        return;
    char dir[128], path[256];
    snprintf(dir, sizeof dir, "/tmp/eo_test_cec_table_%ld", (long)getpid());
    CHECK_OK(eo_cec_bench_write_csv(&r, t->mean, t->std, t->pvalue, dir, &err), &err);
    eo_cec_bench_table_destroy(t);
    /* the folder, its errors.csv, a glob */
    const char *forms[3] = {dir, path, path};
    snprintf(path, sizeof path, "%s/errors.csv", dir);
    char glob_pat[300];
    snprintf(glob_pat, sizeof glob_pat, "%s/err*.csv", dir);
    forms[2] = glob_pat;
    for (int k = 0; k < 3; k++) {
        eo_cec_bench_result *back = NULL;
        CHECK_OK(eo_cec_bench_load_path(forms[k], &back, &err), &err);
        if (!back)
            continue;
        CHECK(back->n_alg == 2 && back->n_fun == 2 && back->runs == 6 && back->dim == 10);
        CHECK(back->curve_points == 0 && back->max_evals == 0);
        for (int i = 0; i < 24; i++)
            CHECK_CLOSE(back->error[i], ERR[i], 0, 0);
        eo_cec_bench_result_destroy(back);
    }
    char missing[300];
    snprintf(missing, sizeof missing, "%s/nothing-here", dir);
    eo_cec_bench_result *none = NULL;
    CHECK(eo_cec_bench_load_path(missing, &none, &err) == EO_STATUS_NOT_FOUND && strstr(err.msg, "nothing-here: no F"));
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
}

int main(void)
{
    RUN(table_known_values);
    RUN(table_few_runs);
    RUN(parse_functions_and_points);
    RUN(eval_stream_and_list);
    RUN(load_path_round_trip);
    TEST_END();
}
