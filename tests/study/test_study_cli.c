/* ecgopt tune / study show from the command line: exit codes, resume,
 * JSON lines, the study report.  Runs the ecgopt binary ($ECGOPT_BIN). */
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eo_test.h"

static char g_dir[300];
static const char *g_bin;

static int run(const char *args, char *out, size_t n)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s 2>&1", g_dir, g_bin, args);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t k = fread(out, 1, n - 1, p);
    out[k] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

TEST(test_cli_tune_and_show)
{
    static char out[65536];
    CHECK_EQ_INT(run("tune --preset toy --study toy.db --optimizer ga,pso --workers 2 --quiet", out, sizeof out), 0);
    CHECK(strstr(out, "ga: best") != NULL && strstr(out, "pso: best") != NULL);
    /* the same run again without --resume: refused, exit 1 */
    CHECK_EQ_INT(run("tune --preset toy --study toy.db --optimizer ga --quiet", out, sizeof out), 1);
    CHECK(strstr(out, "--resume") != NULL);
    /* with --resume: the finished run has nothing left to do, same best */
    CHECK_EQ_INT(run("tune --preset toy --study toy.db --optimizer pso --resume --json --quiet", out, sizeof out), 0);
    CHECK(strstr(out, "\"event\":\"run\"") != NULL);
    CHECK(strstr(out, "\"event\":\"trial\"") == NULL);
    CHECK(strstr(out, "\"best\":0.5") != NULL);
    CHECK_EQ_INT(run("study show toy.db --top 3", out, sizeof out), 0);
    CHECK(strstr(out, "objective toy") != NULL);
    CHECK(strstr(out, "convergence") != NULL);
    CHECK(strstr(out, "pso") != NULL);
    CHECK_EQ_INT(run("study show toy.db --json", out, sizeof out), 0);
    CHECK(strstr(out, "\"objective\":\"toy\"") != NULL);
    CHECK(strstr(out, "\"convergence\":[") != NULL);
    /* several files: each shown, then one comparison row per run */
    CHECK_EQ_INT(run("tune --preset toy --study toy3.db --optimizer gwo --pop 4 --iters 2 --quiet", out, sizeof out), 0);
    CHECK_EQ_INT(run("study show toy.db toy3.db --top 2", out, sizeof out), 0);
    CHECK(strstr(out, "study toy.db:") != NULL && strstr(out, "study toy3.db:") != NULL);
    const char *cmp = strstr(out, "comparison of 2 study files");
    CHECK(cmp != NULL);
    if (cmp) {
        CHECK(strstr(cmp, "toy.db") && strstr(cmp, "ga") && strstr(cmp, "pso"));
        const char *g = strstr(cmp, "toy3.db");
        /* gwo, pop 4 x 2 iterations: 8 trials */
        int seed = -1, trials = -1;
        CHECK(g && strstr(g, "gwo") && sscanf(strstr(g, "gwo") + 3, "%d %d", &seed, &trials) == 2);
        CHECK_EQ_INT(trials, 8);
    }
    CHECK_EQ_INT(run("study show toy.db toy3.db --json", out, sizeof out), 0);
    CHECK(strstr(out, "{\"studies\":[{\"study\":\"toy.db\"") == out);
    CHECK(strstr(out, "{\"study\":\"toy3.db\"") != NULL);
    CHECK_EQ_INT(run("study show toy.db toy3.db --report x.html", out, sizeof out), 1);
    CHECK_EQ_INT(run("study show toy.db nothere.db", out, sizeof out), 2);
    CHECK(strstr(out, "nothere.db") != NULL);
    /* --json streams one object per trial */
    CHECK_EQ_INT(run("tune --preset toy --study toy2.db --optimizer random --pop 4 --iters 2 --json --quiet", out, sizeof out), 0);
    int lines = 0;
    for (const char *p = out; (p = strstr(p, "\"event\":\"trial\"")) != NULL; p++)
        lines++;
    CHECK_EQ_INT(lines, 8);
}

TEST(test_cli_bad_input)
{
    static char out[8192];
    CHECK_EQ_INT(run("tune --preset nosuch --study x.db", out, sizeof out), 1); /* usage: exit 1 */
    CHECK(strstr(out, "nosuch") != NULL);
    CHECK_EQ_INT(run("tune --preset toy", out, sizeof out), 1);
    CHECK_EQ_INT(run("tune --study x.db", out, sizeof out), 1);
    char path[400];
    snprintf(path, sizeof path, "%s/x.db", g_dir);
    CHECK(access(path, F_OK) != 0); /* no file made by a refused command */
    snprintf(path, sizeof path, "%s/junk.db", g_dir);
    FILE *f = fopen(path, "w");
    fputs("garbage\n", f);
    fclose(f);
    CHECK_EQ_INT(run("tune --preset toy --study junk.db --resume", out, sizeof out), 2);
    CHECK(strstr(out, "junk.db") != NULL);
    CHECK_EQ_INT(run("study show junk.db", out, sizeof out), 2);
    CHECK_EQ_INT(run("study show nothere.db", out, sizeof out), 2);
    /* another space: a toy study opened as a space file's study */
    snprintf(path, sizeof path, "%s/s.txt", g_dir);
    f = fopen(path, "w");
    fputs("int a 0 3\ncommand echo {a}\n", f);
    fclose(f);
    CHECK_EQ_INT(run("tune --preset toy --study other.db --quiet", out, sizeof out), 0);
    CHECK_EQ_INT(run("tune --space s.txt --study other.db --resume --quiet", out, sizeof out), 2);
    CHECK(strstr(out, "toy") != NULL);
    CHECK_EQ_INT(run("tune --help", out, sizeof out), 0);
    CHECK(strstr(out, "example") != NULL);
}

int main(void)
{
    g_bin = getenv("ECGOPT_BIN");
    if (!g_bin || access(g_bin, X_OK) != 0) {
        printf("ECGOPT_BIN not set or not executable\n");
        return 1;
    }
    snprintf(g_dir, sizeof g_dir, "%s/study-cli-%d", EO_TEST_BINARY_DIR, (int)getpid());
    mkdir(g_dir, 0755);
    RUN(test_cli_tune_and_show);
    RUN(test_cli_bad_input);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (!eo_t_failed && system(cmd) != 0) {
    }
    TEST_END();
}
