/* study: the HTML report of a CEC 2017 protocol (eo_cec_bench_report_write)
 * on a tiny known result: title, rank table, mean-rank bars, one mean
 * convergence plot per function with the mean curve's points. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/cec2017_report.h"
#include "ecgopt/util.h"
#include "eo_test.h"

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; p && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

TEST(report_of_tiny_protocol)
{
    /* 2 functions x 2 algorithms x 6 runs: a = 1..6 on F1, 10..15 on F3; b the other way */
    static char na[] = "gwo", nb[] = "pso";
    char *names[2] = {na, nb};
    int funs[2] = {1, 3};
    double err_[24], curve[48];
    long long evals[2] = {50, 100};
    for (int k = 0; k < 6; k++) {
        err_[0 + k] = 1 + k;
        err_[6 + k] = 11 + k;
        err_[12 + k] = 10 + k;
        err_[18 + k] = 1 + k;
    }
    for (int i = 0; i < 24; i++) {
        curve[2 * i] = 2 * err_[i];
        curve[2 * i + 1] = err_[i];
    }
    eo_cec_bench_result r = {.n_alg = 2, .n_fun = 2, .runs = 6, .dim = 10, .max_evals = 100, .curve_points = 2,
                             .functions = funs, .algorithms = names, .error = err_, .curve = curve,
                             .curve_evals = evals};
    eo_cec_bench_table *t = NULL;
    eo_error err;
    CHECK_OK(eo_cec_bench_table_create(&r, 1, &t, &err), &err);
    if (!t)
        return;
    char path[128];
    snprintf(path, sizeof path, "/tmp/eo_test_cec_report_%ld.html", (long)getpid());
    CHECK_OK(eo_cec_bench_report_write(t, path, &err), &err);
    unsigned char *html = NULL;
    size_t n = 0;
    CHECK_OK(eo_read_file(path, &html, &n, &err), &err);
    const char *h = (const char *)html;
    CHECK(h && strstr(h, "ecgopt bench cec2017: D = 10, 6 runs") != NULL);
    CHECK(h && strstr(h, "<td>F3</td>") && strstr(h, "<td>mean rank</td>"));
    const char *bars = h ? strstr(h, "id=\"cec-mean-rank\"") : NULL;
    const char *end = bars ? strstr(bars, "</figure>") : NULL;
    CHECK(bars && end && count(bars, "class=\"bar\"") - count(end, "class=\"bar\"") == 2);
    /* one convergence plot per function, titled with the mean over the runs */
    CHECK_EQ_INT(count(h, "data-kind=\"line-plot\" id=\"convergence"), 2);
    CHECK(h && strstr(h, "F1: mean best error over 6 runs") && strstr(h, "F3: mean best error over 6 runs"));
    free(html);
    remove(path);
    /* an unwritable path names itself; more than 32 algorithms are refused */
    CHECK(eo_cec_bench_report_write(t, "/nonexistent-dir/r.html", &err) != EO_STATUS_OK &&
          strstr(err.msg, "/nonexistent-dir/r.html"));
    r.n_alg = 33;
    CHECK(eo_cec_bench_report_write(t, path, &err) == EO_STATUS_USAGE &&
          strstr(err.msg, "at most 32 algorithms"));
    CHECK(access(path, F_OK) != 0);
    eo_cec_bench_table_destroy(t);
}

int main(void)
{
    RUN(report_of_tiny_protocol);
    TEST_END();
}
