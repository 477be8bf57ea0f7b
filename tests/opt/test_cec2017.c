/* CEC 2017: every value of reference_values.txt (computed with the official
 * code) reproduced to 1e-9 relative, for every D present; bad input. */
#include <stdint.h>
#include <unistd.h>

#include "eo_test.h"
#include "ecgopt/cec2017.h"
#include "ecgopt/opt.h"

static char g_dir[4096];

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* The point generator described in the header of reference_values.txt. */
static void ref_points(int func, int dim, double *x /* 3*dim */)
{
    uint64_t s = 12345ULL + 1000ULL * (uint64_t)func + (uint64_t)dim;
    for (int i = 0; i < 3 * dim; i++) {
        double u = (double)(splitmix64(&s) >> 11) * 0x1.0p-53;
        x[i] = -100.0 + 200.0 * u;
    }
}

TEST(reference_values)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/reference_values.txt", g_dir);
    FILE *fp = fopen(path, "r");
    if (!fp)
        SKIP("reference_values.txt not found");
    char line[256];
    int n = 0, bad = 0, cur_f = -1, cur_d = -1;
    double worst = 0;
    double x[300];
    eo_cec2017 *p = NULL;
    eo_error err;
    while (fgets(line, sizeof line, fp)) {
        int f, d, k;
        double v;
        if (line[0] == '#' || sscanf(line, "%d %d %d %lf", &f, &d, &k, &v) != 4)
            continue;
        if (f != cur_f || d != cur_d) {
            eo_cec2017_destroy(p);
            p = NULL;
            CHECK_OK(eo_cec2017_create(&p, f, d, g_dir, &err), &err);
            if (!p) {
                bad++;
                continue;
            }
            ref_points(f, d, x);
            cur_f = f;
            cur_d = d;
        }
        if (!p || k < 0 || k > 2)
            continue;
        double got = eo_cec2017_eval(p, x + k * d);
        double rel = fabs(got - v) / fabs(v);
        if (!(rel <= 1e-9)) {
            bad++;
            fprintf(stderr, "F%d D=%d point %d: got %.17g, reference %.17g (rel %.3g)\n", f, d,
                    k, got, v, rel);
        }
        if (rel > worst)
            worst = rel;
        n++;
    }
    fclose(fp);
    eo_cec2017_destroy(p);
    printf("     %d reference values, worst relative error %.3g\n", n, worst);
    CHECK_EQ_INT(n, 29 * 4 * 3);
    CHECK_EQ_INT(bad, 0);
}

/* Known answers: f(o) = f* for functions whose optimum is at the shift
 * vector, and the official quirk that F9 is not 900 there. */
TEST(optimum_at_shift)
{
    eo_error err;
    const int fs[] = {1, 3, 4, 5, 6, 7, 8, 10};
    for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++) {
        eo_cec2017 *p = NULL;
        CHECK_OK(eo_cec2017_create(&p, fs[i], 10, g_dir, &err), &err);
        if (!p)
            continue;
        /* read the shift back by evaluating the optimum: o is the first row */
        char path[4200];
        snprintf(path, sizeof path, "%s/shift_data_%d.txt", g_dir, fs[i]);
        FILE *fp = fopen(path, "r");
        double o[10];
        int ok = 1;
        for (int j = 0; j < 10 && fp; j++)
            ok &= fscanf(fp, "%lf", &o[j]) == 1;
        if (fp)
            fclose(fp);
        CHECK(fp && ok);
        double v = eo_cec2017_eval(p, o);
        if (fs[i] == 10)
            CHECK_CLOSE(v, 1000.0, 0, 1e-2); /* Schwefel's constant is rounded */
        else
            CHECK_CLOSE(v, 100.0 * fs[i], 0, 1e-9);
        CHECK_CLOSE(eo_cec2017_optimum(p), 100.0 * fs[i], 0, 0);
        eo_cec2017_destroy(p);
    }
    eo_cec2017 *p = NULL;
    CHECK_OK(eo_cec2017_create(&p, 9, 10, g_dir, &err), &err);
    if (p) {
        char path[4200];
        snprintf(path, sizeof path, "%s/shift_data_9.txt", g_dir);
        FILE *fp = fopen(path, "r");
        double o[10];
        for (int j = 0; j < 10 && fp; j++)
            if (fscanf(fp, "%lf", &o[j]) != 1)
                o[j] = 0;
        if (fp)
            fclose(fp);
        double v = eo_cec2017_eval(p, o);
        CHECK_MSG(v > 900.0 + 1e-6, "F9(o) = %.17g should exceed 900 (official quirk)", v);
        eo_cec2017_destroy(p);
    }
}

TEST(composition_at_first_shift)
{
    /* at the first component's shift vector w_0 = 1e99 dominates: f = f* */
    eo_error err;
    for (int f = 21; f <= 28; f++) {
        eo_cec2017 *p = NULL;
        CHECK_OK(eo_cec2017_create(&p, f, 30, g_dir, &err), &err);
        if (!p)
            continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/shift_data_%d.txt", g_dir, f);
        FILE *fp = fopen(path, "r");
        double o[30];
        for (int j = 0; j < 30 && fp; j++)
            if (fscanf(fp, "%lf", &o[j]) != 1)
                o[j] = 0;
        if (fp)
            fclose(fp);
        CHECK_CLOSE(eo_cec2017_eval(p, o), 100.0 * f, 1e-12, 1e-6);
        eo_cec2017_destroy(p);
    }
}

TEST(bad_input)
{
    eo_error err;
    eo_cec2017 *p = (eo_cec2017 *)1;
    CHECK(eo_cec2017_create(&p, 2, 10, g_dir, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(p == NULL);
    CHECK(strstr(err.msg, "F2") != NULL);
    CHECK(eo_cec2017_create(&p, 31, 10, g_dir, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(eo_cec2017_create(&p, 1, 7, g_dir, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(eo_cec2017_create(&p, 11, 2, g_dir, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(eo_cec2017_create(NULL, 1, 10, g_dir, &err) == EO_STATUS_USAGE);
    /* a folder with shift_data_1.txt but no matrix: the message names M_1_D10.txt */
    char tmpl[] = "/tmp/eo_cec_XXXXXX";
    char *d = mkdtemp(tmpl);
    CHECK(d != NULL);
    if (d) {
        char path[256];
        snprintf(path, sizeof path, "%s/shift_data_1.txt", d);
        FILE *fp = fopen(path, "w");
        if (fp) {
            for (int i = 0; i < 100; i++)
                fprintf(fp, "%d ", i);
            fclose(fp);
        }
        eo_status st = eo_cec2017_create(&p, 1, 10, d, &err);
        CHECK(st == EO_STATUS_NOT_FOUND);
        CHECK_MSG(strstr(err.msg, "M_1_D10.txt") != NULL, "message: %s", err.msg);
        /* a truncated matrix is a format error naming the file */
        snprintf(path, sizeof path, "%s/M_1_D10.txt", d);
        fp = fopen(path, "w");
        if (fp) {
            fprintf(fp, "1 2 3\n");
            fclose(fp);
        }
        st = eo_cec2017_create(&p, 1, 10, d, &err);
        CHECK(st == EO_STATUS_BAD_FORMAT);
        CHECK_MSG(strstr(err.msg, "M_1_D10.txt") != NULL, "message: %s", err.msg);
        remove(path);
        snprintf(path, sizeof path, "%s/shift_data_1.txt", d);
        remove(path);
        rmdir(d);
    }
    eo_cec2017_destroy(NULL);
    CHECK(isnan(eo_cec2017_eval(NULL, NULL)));
}


/* The protocol runner: results independent of the number of workers,
 * curves monotone and ending at the final error, summary consistent,
 * errors.csv round trip. */
TEST(protocol)
{
    eo_error err;
    const int funcs[2] = {1, 5};
    const char *algs[2] = {"pso", "cpa"};
    eo_cec_bench_options o;
    eo_cec_bench_options_defaults(&o);
    o.data_dir = g_dir;
    o.dim = 10;
    o.runs = 3;
    o.max_evals = 600;
    o.functions = funcs;
    o.n_functions = 2;
    o.algorithms = algs;
    o.n_algorithms = 2;
    o.seed = 5;
    o.curve_points = 6;
    eo_cec_bench_result *r1 = NULL, *r3 = NULL;
    o.workers = 1;
    CHECK_OK(eo_cec_bench_run(&o, &r1, &err), &err);
    o.workers = 3;
    CHECK_OK(eo_cec_bench_run(&o, &r3, &err), &err);
    if (!r1 || !r3) {
        eo_cec_bench_result_destroy(r1);
        eo_cec_bench_result_destroy(r3);
        return;
    }
    CHECK_EQ_INT(r1->total_evals, 2 * 2 * 3 * 600);
    size_t n = 2 * 2 * 3;
    for (size_t i = 0; i < n; i++) {
        CHECK(r1->error[i] == r3->error[i]);
        CHECK(r1->error[i] >= 0 && isfinite(r1->error[i]));
        const double *cv = r1->curve + i * 6;
        for (int c = 1; c < 6; c++)
            CHECK(cv[c] <= cv[c - 1]);
        CHECK(cv[5] == r1->error[i]);
    }
    CHECK_EQ_INT(r1->curve_evals[5], 600);
    CHECK_EQ_INT(r1->curve_evals[0], 100);
    double mean[4], sd[4], fr[2], pv[4], op[2];
    int sg[4];
    CHECK_OK(eo_cec_bench_summary(r1, 1, mean, sd, fr, pv, sg, op, &err), &err);
    CHECK_CLOSE(fr[0] + fr[1], 3.0, 1e-12, 0);
    CHECK(pv[1] == 1.0 && pv[3] == 1.0 && sg[1] == 0);
    double m0 = (r1->error[0] + r1->error[1] + r1->error[2]) / 3;
    CHECK_CLOSE(mean[0], m0, 1e-12, 0);
    /* errors.csv round trip */
    char path[] = "/tmp/eo_cec_errors_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) {
        FILE *fp = fdopen(fd, "w");
        fprintf(fp, "function,dim,algorithm,run,error\n");
        for (size_t f = 0; f < 2; f++)
            for (size_t a = 0; a < 2; a++)
                for (int k = 0; k < 3; k++)
                    fprintf(fp, "%d,10,%s,%d,%.17g\n", funcs[f], algs[a], k + 1,
                            r1->error[(f * 2 + a) * 3 + (size_t)k]);
        fclose(fp);
        const char *paths[1] = {path};
        eo_cec_bench_result *l = NULL;
        CHECK_OK(eo_cec_bench_load_errors(paths, 1, &l, &err), &err);
        if (l) {
            CHECK_EQ_INT(l->n_alg, 2);
            CHECK_EQ_INT(l->n_fun, 2);
            CHECK_EQ_INT(l->runs, 3);
            for (size_t i = 0; i < n; i++)
                CHECK(l->error[i] == r1->error[i]);
            eo_cec_bench_result_destroy(l);
        }
        /* a missing run is refused */
        fp = fopen(path, "a");
        fprintf(fp, "5,10,cpa,4,1.0\n");
        fclose(fp);
        CHECK(eo_cec_bench_load_errors(paths, 1, &l, &err) == EO_STATUS_BAD_FORMAT);
        remove(path);
    }
    /* eo_cec_bench_write_csv: errors.csv reads back bit for bit, summary.csv
     * holds the summary's means, curves.csv one row per sampled count */
    {
        char dir[] = "/tmp/eo_cec_csv_XXXXXX";
        CHECK(mkdtemp(dir) != NULL);
        char sub[64], p2[128];
        snprintf(sub, sizeof sub, "%s/out", dir); /* created by the writer */
        CHECK_OK(eo_cec_bench_write_csv(r1, mean, sd, pv, sub, &err), &err);
        snprintf(p2, sizeof p2, "%s/errors.csv", sub);
        const char *paths[1] = {p2};
        eo_cec_bench_result *l = NULL;
        CHECK_OK(eo_cec_bench_load_errors(paths, 1, &l, &err), &err);
        if (l) {
            CHECK_EQ_INT(l->runs, 3);
            CHECK(strcmp(l->algorithms[0], "pso") == 0 && strcmp(l->algorithms[1], "cpa") == 0);
            for (size_t i = 0; i < n; i++)
                CHECK(l->error[i] == r1->error[i]);
            eo_cec_bench_result_destroy(l);
        }
        snprintf(p2, sizeof p2, "%s/summary.csv", sub);
        FILE *fp = fopen(p2, "r");
        CHECK(fp != NULL);
        if (fp) {
            char line[256];
            CHECK(fgets(line, sizeof line, fp) &&
                  strcmp(line, "function,dim,algorithm,mean_error,std_error,wilcoxon_p\n") == 0);
            int fn = 0, dim = 0;
            char alg[16];
            double m = NAN;
            CHECK(fscanf(fp, "%d,%d,%15[^,],%lf", &fn, &dim, alg, &m) == 4);
            CHECK_EQ_INT(fn, funcs[0]);
            CHECK_EQ_INT(dim, 10);
            CHECK(strcmp(alg, "pso") == 0);
            CHECK(m == mean[0]); /* %.17g round-trips a double */
            fclose(fp);
        }
        snprintf(p2, sizeof p2, "%s/curves.csv", sub);
        fp = fopen(p2, "r");
        CHECK(fp != NULL);
        if (fp) {
            int lines = 0, ch;
            while ((ch = fgetc(fp)) != EOF)
                lines += ch == '\n';
            CHECK_EQ_INT(lines, 1 + 2 * 2 * 6); /* header + F x A x curve points */
            fclose(fp);
        }
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        CHECK(system(cmd) == 0);
    }
    /* bad input: unknown algorithm, missing data */
    const char *bad[1] = {"nope"};
    o.algorithms = bad;
    o.n_algorithms = 1;
    eo_cec_bench_result *rb = NULL;
    CHECK(eo_cec_bench_run(&o, &rb, &err) == EO_STATUS_NOT_FOUND);
    CHECK(strstr(err.msg, "nope") != NULL);
    o.algorithms = algs;
    o.dim = 7;
    CHECK(eo_cec_bench_run(&o, &rb, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(rb == NULL);
    eo_cec_bench_result_destroy(r1);
    eo_cec_bench_result_destroy(r3);
}

/* D = 2 and 20 (no reference values in the data folder): every function
 * with data loads, is finite at random points, and F1/F5 give f* at the
 * shift vector. */
TEST(dims_2_and_20)
{
    eo_error err;
    const int dims[2] = {2, 20};
    for (int di = 0; di < 2; di++) {
        int d = dims[di], loaded = 0;
        for (int f = 1; f <= 30; f++) {
            if (!eo_cec2017_valid(f, d))
                continue;
            char path[4200];
            snprintf(path, sizeof path, "%s/M_%d_D%d.txt", g_dir, f, d);
            FILE *fp = fopen(path, "r");
            if (!fp)
                continue; /* no data for this pair */
            fclose(fp);
            eo_cec2017 *p = NULL;
            CHECK_OK(eo_cec2017_create(&p, f, d, g_dir, &err), &err);
            if (!p)
                continue;
            loaded++;
            double x[20];
            for (int j = 0; j < d; j++)
                x[j] = -90.0 + 7.3 * j;
            double v = eo_cec2017_eval(p, x);
            CHECK_MSG(isfinite(v) && v >= 100.0 * f, "F%d D=%d: %g", f, d, v);
            if (f == 1 || f == 5) {
                snprintf(path, sizeof path, "%s/shift_data_%d.txt", g_dir, f);
                fp = fopen(path, "r");
                for (int j = 0; j < d && fp; j++)
                    if (fscanf(fp, "%lf", &x[j]) != 1)
                        x[j] = 0;
                if (fp)
                    fclose(fp);
                CHECK_CLOSE(eo_cec2017_eval(p, x), 100.0 * f, 0, 1e-9);
            }
            eo_cec2017_destroy(p);
        }
        printf("     D=%d: %d functions loaded\n", d, loaded);
        CHECK(loaded >= 10);
    }
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "%s/cec2017", eo_test_data_dir());
    RUN(reference_values);
    RUN(optimum_at_shift);
    RUN(composition_at_first_shift);
    RUN(bad_input);
    RUN(protocol);
    RUN(dims_2_and_20);
    TEST_END();
}
