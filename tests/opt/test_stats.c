/* Statistics against scipy.stats reference values (tests/fixtures/stats,
 * made by make_stats.py) and known answers. */
#include "eo_test.h"
#include "ecgopt/stats.h"

TEST(mean_std_rank)
{
    eo_error err;
    const double x[5] = {2, 4, 4, 5, 9};
    double m, s;
    CHECK_OK(eo_stats_mean_std(x, 5, &m, &s, &err), &err);
    CHECK_CLOSE(m, 4.8, 1e-15, 0);
    CHECK_CLOSE(s, sqrt(6.7), 1e-15, 0); /* sum sq dev 26.8 / 4 */
    CHECK_OK(eo_stats_mean_std(x, 1, &m, &s, &err), &err);
    CHECK(m == 2 && s == 0);
    CHECK(eo_stats_mean_std(x, 0, &m, &s, &err) == EO_STATUS_USAGE);
    const double bad[2] = {1, NAN};
    CHECK(eo_stats_mean_std(bad, 2, &m, &s, &err) == EO_STATUS_NUMERIC);
    double r[5];
    CHECK_OK(eo_stats_rank(x, 5, r, &err), &err);
    const double want[5] = {1, 2.5, 2.5, 4, 5};
    for (int i = 0; i < 5; i++)
        CHECK_CLOSE(r[i], want[i], 0, 0);
    CHECK_CLOSE(eo_stats_chi2_sf(3.841458820694124, 1), 0.05, 1e-12, 0);
    CHECK_CLOSE(eo_stats_chi2_sf(12.591587243743977, 6), 0.05, 1e-12, 0);
    CHECK_CLOSE(eo_stats_chi2_sf(0.5, 4), 0.9735009788392561 /* scipy.stats.chi2.sf */, 1e-12, 0);
}

TEST(scipy_reference)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/stats/stats_ref.txt", EO_TEST_FIXTURES);
    FILE *fp = fopen(path, "r");
    CHECK_MSG(fp != NULL, "cannot open %s", path);
    if (!fp)
        return;
    char kind[4];
    int nw = 0, nf = 0;
    eo_error err;
    while (fscanf(fp, "%3s", kind) == 1) {
        if (kind[0] == '#') {
            int c;
            while ((c = fgetc(fp)) != '\n' && c != EOF)
                ;
            continue;
        }
        if (kind[0] == 'W') {
            int n;
            char mode[16];
            double stat, p;
            if (fscanf(fp, "%d %15s %lf %lf", &n, mode, &stat, &p) != 4 || n <= 0 || n > 1000)
                break;
            double *x = malloc(sizeof(double) * 2 * n);
            if (!x)
                break;
            for (int i = 0; i < 2 * n; i++)
                if (fscanf(fp, "%lf", &x[i]) != 1)
                    x[i] = 0;
            double gs, gp;
            int ex;
            CHECK_OK(eo_stats_wilcoxon(x, x + n, n, &gs, &gp, &ex, &err), &err);
            CHECK_CLOSE(gs, stat, 1e-12, 0);
            CHECK_CLOSE(gp, p, 1e-9, 1e-15);
            CHECK_EQ_INT(ex, strcmp(mode, "exact") == 0);
            free(x);
            nw++;
        } else if (kind[0] == 'F') {
            int p, k;
            double chi2, pv;
            if (fscanf(fp, "%d %d %lf %lf", &p, &k, &chi2, &pv) != 4 || p <= 0 || k <= 1 ||
                p * k > 10000)
                break;
            double *rk = malloc(sizeof(double) * k), *d = malloc(sizeof(double) * p * k);
            double *mr = malloc(sizeof(double) * k);
            if (!rk || !d || !mr) {
                free(rk);
                free(d);
                free(mr);
                break;
            }
            for (int i = 0; i < k; i++)
                if (fscanf(fp, "%lf", &rk[i]) != 1)
                    rk[i] = 0;
            for (int i = 0; i < p * k; i++)
                if (fscanf(fp, "%lf", &d[i]) != 1)
                    d[i] = 0;
            double gc, gp;
            CHECK_OK(eo_stats_friedman(d, p, k, mr, &gc, &gp, &err), &err);
            CHECK_CLOSE(gc, chi2, 1e-10, 0);
            CHECK_CLOSE(gp, pv, 1e-8, 1e-15);
            for (int i = 0; i < k; i++)
                CHECK_CLOSE(mr[i], rk[i], 1e-12, 0);
            free(rk);
            free(d);
            free(mr);
            nf++;
        }
    }
    fclose(fp);
    CHECK_EQ_INT(nw, 10);
    CHECK_EQ_INT(nf, 3);
}

TEST(wilcoxon_edges)
{
    eo_error err;
    const double a[4] = {1, 2, 3, 4};
    double s, p;
    int ex;
    CHECK_OK(eo_stats_wilcoxon(a, a, 4, &s, &p, &ex, &err), &err);
    CHECK(p == 1.0 && s == 0);
    /* all 6 differences positive and distinct: exact p = 2 / 2^6 */
    const double x[6] = {1, 2, 3, 4, 5, 6}, y[6] = {0.9, 1.8, 2.7, 3.6, 4.5, 5.4};
    CHECK_OK(eo_stats_wilcoxon(x, y, 6, &s, &p, &ex, &err), &err);
    CHECK_CLOSE(p, 2.0 / 64.0, 1e-15, 0);
    CHECK(ex == 1 && s == 0);
    const double nanv[2] = {1, NAN};
    CHECK(eo_stats_wilcoxon(nanv, a, 2, &s, &p, &ex, &err) == EO_STATUS_NUMERIC);
    CHECK(eo_stats_wilcoxon(a, a, 0, &s, &p, &ex, &err) == EO_STATUS_USAGE);
    double mr[2];
    CHECK(eo_stats_friedman(a, 2, 1, mr, NULL, NULL, &err) == EO_STATUS_USAGE);
}

int main(void)
{
    RUN(mean_std_rank);
    RUN(scipy_reference);
    RUN(wilcoxon_edges);
    TEST_END();
}
