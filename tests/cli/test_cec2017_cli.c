/* `ecgopt cec2017 eval` and `ecgopt bench cec2017`: output against the
 * official reference values, exit codes on bad input. */
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eo_test.h"

static const char *bin(void)
{
    const char *b = getenv("ECGOPT_BIN");
    return (b && *b) ? b : EO_TEST_BINARY_DIR "/ecgopt";
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int run_rc(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(eval_reference)
{
    /* F12, D=30: the three reference points of reference_values.txt */
    char ptsfile[] = "/tmp/eo_cec_pts_XXXXXX";
    int fd = mkstemp(ptsfile);
    CHECK(fd >= 0);
    if (fd < 0)
        return;
    FILE *fp = fdopen(fd, "w");
    uint64_t s = 12345ULL + 1000ULL * 12 + 30;
    for (int k = 0; k < 3; k++) {
        for (int j = 0; j < 30; j++)
            fprintf(fp, "%.17g%s", -100.0 + 200.0 * ((double)(splitmix64(&s) >> 11) * 0x1.0p-53),
                    j < 29 ? " " : "\n");
    }
    fclose(fp);
    /* expected values from reference_values.txt */
    char rpath[4200];
    snprintf(rpath, sizeof rpath, "%s/cec2017/reference_values.txt", eo_test_data_dir());
    FILE *rf = fopen(rpath, "r");
    if (!rf) {
        remove(ptsfile);
        SKIP("reference_values.txt not found");
    }
    double want[3] = {NAN, NAN, NAN};
    char line[256];
    while (fgets(line, sizeof line, rf)) {
        int f, d, k;
        double v;
        if (sscanf(line, "%d %d %d %lf", &f, &d, &k, &v) == 4 && f == 12 && d == 30 && k >= 0 &&
            k < 3)
            want[k] = v;
    }
    fclose(rf);
    char cmd[8600];
    snprintf(cmd, sizeof cmd, "'%s' cec2017 eval --function 12 --dim 30 --quiet --data '%s' < %s",
             bin(), eo_test_data_dir(), ptsfile);
    FILE *pp = popen(cmd, "r");
    CHECK(pp != NULL);
    int n = 0;
    while (pp && fgets(line, sizeof line, pp)) {
        double v = strtod(line, NULL);
        if (n < 3)
            CHECK_CLOSE(v, want[n], 1e-9, 0);
        /* 17 significant digits: the printed text reads back to the value */
        CHECK(strlen(line) >= 17);
        n++;
    }
    CHECK(pp && pclose(pp) == 0);
    CHECK_EQ_INT(n, 3);
    remove(ptsfile);
}

TEST(exit_codes)
{
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "printf '1 2 3\\n' | '%s' cec2017 eval --function 1 --dim 10 2>/dev/null",
             bin());
    CHECK_EQ_INT(run_rc(cmd), 2); /* wrong number of values */
    snprintf(cmd, sizeof cmd, "printf '1 x\\n' | '%s' cec2017 eval --function 1 --dim 2 2>/dev/null", bin());
    CHECK_EQ_INT(run_rc(cmd), 2);
    snprintf(cmd, sizeof cmd, "'%s' cec2017 eval --function 2 --dim 10 </dev/null 2>/dev/null", bin());
    CHECK_EQ_INT(run_rc(cmd), 2);
    snprintf(cmd, sizeof cmd, "'%s' cec2017 eval --dim 10 </dev/null 2>/dev/null", bin());
    CHECK_EQ_INT(run_rc(cmd), 1);
    snprintf(cmd, sizeof cmd, "'%s' cec2017 --help >/dev/null", bin());
    CHECK_EQ_INT(run_rc(cmd), 0);
    /* an unknown name is a usage error, exit 1 (docs/cli-habits.md) */
    snprintf(cmd, sizeof cmd, "'%s' bench cec2017 --algorithms pso,nope --runs 1 2>/dev/null", bin());
    CHECK_EQ_INT(run_rc(cmd), 1);
    snprintf(cmd, sizeof cmd, "'%s' bench cec2017 --against gwo --algorithms pso 2>/dev/null", bin());
    CHECK_EQ_INT(run_rc(cmd), 1);
}

TEST(bench_json)
{
    char cmd[4400];
    snprintf(cmd, sizeof cmd,
             "'%s' bench cec2017 --algorithms pso,cpa --dim 10 --runs 2 --max-evals 300 "
             "--functions 1,3 --workers 2 --json --quiet --data '%s'",
             bin(), eo_test_data_dir());
    FILE *pp = popen(cmd, "r");
    CHECK(pp != NULL);
    if (!pp)
        return;
    char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, pp);
    buf[n] = 0;
    CHECK(pclose(pp) == 0);
    CHECK(strstr(buf, "\"protocol\":\"cec2017\"") != NULL);
    CHECK(strstr(buf, "\"total_evals\":2400") != NULL);
    CHECK(strstr(buf, "\"friedman_rank\"") != NULL);
    CHECK(strstr(buf, "\"curve_mean_best_error\"") != NULL);
}

int main(void)
{
    RUN(eval_reference);
    RUN(exit_codes);
    RUN(bench_json);
    TEST_END();
}
