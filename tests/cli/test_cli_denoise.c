/* cli: `ecgopt denoise` defaults to the learned method (built-in model),
 * `--model` loads a file, and `ecgopt train --task denoise` checks its
 * options before any work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecgopt/wfdb.h"
#include "eo_test.h"

#include "cli_harness.h"

TEST(default_method_is_learned)
{
    char args[512], base[256];
    snprintf(args, sizeof args, "synth -o %s/syn --seconds 12 --fs 250 --seed 5 --noise 0.05 --quiet",
             TMP);
    CHECK_EQ_INT(run(args), 0);
    /* a 250 Hz record through the 360 Hz built-in model */
    snprintf(args, sizeof args, "denoise %s/syn -o %s/dn", TMP, TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK_MSG(has("err", "method learned"), "default method not 'learned'");
    snprintf(base, sizeof base, "%s/dn", TMP);
    eo_wfdb_read_options o;
    eo_wfdb_read_defaults(&o);
    eo_wfdb_record *r = NULL;
    eo_error err;
    CHECK_OK(eo_wfdb_record_load(base, &o, &r, &err), &err);
    if (r) {
        CHECK_EQ_INT(r->n_samples, 12 * 250);
        CHECK_CLOSE(r->fs_hz, 250, 0, 0);
        eo_wfdb_record_destroy(r);
    }
    CHECK_EQ_INT(run("denoise --help"), 0);
    CHECK(has("out", "default learned"));
}

TEST(model_option_and_bad_input)
{
    char args[512];
    snprintf(args, sizeof args, "denoise %s/syn -o %s/x --model %s/none.eom", TMP, TMP, TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "none.eom"));
    snprintf(args, sizeof args, "denoise %s/syn -o %s/x --method median --model m.eom", TMP, TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--model is for --method learned"));
    /* a file that is not a model */
    snprintf(args, sizeof args, "denoise %s/syn -o %s/x --model %s/syn.hea", TMP, TMP, TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "syn.hea"));
    /* train --task denoise: options checked before loading anything */
    snprintf(args, sizeof args, "train --task denoise -o %s/m.eom --epochs 0", TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--epochs"));
    CHECK_EQ_INT(run("train --task denoise --windows 10"), 1);
    CHECK(has("err", "-o"));
    snprintf(args, sizeof args, "train --task denoise -o %s/m.eom --spec 'conv(1,3)'", TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--margin"));
    CHECK_EQ_INT(run("train --task denoise --help"), 0);
    CHECK(has("out", "--task denoise"));
}

static int read_all(const char *path, unsigned char *buf, size_t cap, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    *n = fread(buf, 1, cap, f);
    fclose(f);
    return 0;
}

/* --init: a stage-1-only run (--stage2-epochs 0) then stage 2 from it
 * writes the same bytes as the whole recipe in one run (stage 1's windows
 * are still drawn), so a committed model can be finished from its stage 1 */
TEST(init_finishes_the_recipe_byte_identically)
{
    char args[4096], a[512], b[512];
    const char *D = eo_test_data_dir();
    const char *common = "--windows 60 --val-windows 20 --stage2-windows 40 --threads 1 --seed 3 "
                         "--quiet --spec 'conv(4,5) relu conv(4,5,dilation=2) relu conv(1,5)' --margin 16 "
                         "--window 128";
    snprintf(args, sizeof args, "train --task denoise --data %s %s -o %s/whole.eom --stage2-epochs 1 --epochs 1", D, common, TMP);
    CHECK_EQ_INT(run(args), 0);
    snprintf(args, sizeof args, "train --task denoise --data %s %s -o %s/s1.eom --stage2-epochs 0 --epochs 1", D, common, TMP);
    CHECK_EQ_INT(run(args), 0);
    snprintf(args, sizeof args, "train --task denoise --data %s %s -o %s/s2.eom --stage2-epochs 1 --epochs 1 --init %s/s1.eom",
             D, common, TMP, TMP);
    CHECK_EQ_INT(run(args), 0);
    static unsigned char x[1 << 20], y[1 << 20];
    size_t nx = 0, ny = 0;
    snprintf(a, sizeof a, "%s/whole.eom", TMP);
    snprintf(b, sizeof b, "%s/s2.eom", TMP);
    CHECK(read_all(a, x, sizeof x, &nx) == 0 && read_all(b, y, sizeof y, &ny) == 0);
    CHECK(nx > 0 && nx == ny && memcmp(x, y, nx) == 0);
    /* and the start matters: from another stage 1 (two epochs) the same
     * options write other weights */
    snprintf(args, sizeof args, "train --task denoise --data %s %s -o %s/s1b.eom --stage2-epochs 0 --epochs 2", D,
             common, TMP);
    CHECK_EQ_INT(run(args), 0);
    snprintf(args, sizeof args, "train --task denoise --data %s %s -o %s/s2b.eom --stage2-epochs 1 --epochs 1 --init %s/s1b.eom",
             D, common, TMP, TMP);
    CHECK_EQ_INT(run(args), 0);
    snprintf(b, sizeof b, "%s/s2b.eom", TMP);
    CHECK(read_all(b, y, sizeof y, &ny) == 0);
    CHECK(nx == ny && memcmp(x, y, nx) != 0);
    snprintf(args, sizeof args, "train --task denoise --data %s %s -o %s/s3.eom --init %s/none.eom", D, common, TMP, TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "none.eom"));
}

/* train --task denoise --ensemble: two models of the test above as one
 * file that denoise loads and model info lists; never written over one of
 * its members; a missing member named */
TEST(ensemble_of_two_models)
{
    char args[4096];
    snprintf(args, sizeof args, "train --task denoise --ensemble %s/whole.eom,%s/s2b.eom -o %s/ens.eom", TMP,
             TMP, TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "an ensemble of 2 models"));
    snprintf(args, sizeof args, "denoise %s/syn -o %s/dne --model %s/ens.eom", TMP, TMP, TMP);
    CHECK_EQ_INT(run(args), 0);
    snprintf(args, sizeof args, "model info %s/ens.eom", TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "(member 1 of 2)") && has("out", "(member 2 of 2)"));
    snprintf(args, sizeof args, "model info --json %s/ens.eom", TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"ensemble\"") && has("out", "\"members\""));
    static unsigned char x[1 << 20], y[1 << 20];
    size_t nx = 0, ny = 0;
    char a[512];
    snprintf(a, sizeof a, "%s/whole.eom", TMP);
    CHECK(read_all(a, x, sizeof x, &nx) == 0);
    snprintf(args, sizeof args, "train --task denoise --ensemble %s/whole.eom,%s/s2b.eom -o %s/whole.eom", TMP,
             TMP, TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "is the member"));
    CHECK(read_all(a, y, sizeof y, &ny) == 0 && nx == ny && memcmp(x, y, nx) == 0);
    snprintf(args, sizeof args, "train --task denoise --ensemble %s/whole.eom -o %s/e1.eom", TMP, TMP);
    CHECK_EQ_INT(run(args), 1);
    snprintf(args, sizeof args, "train --task denoise --ensemble %s/whole.eom,%s/gone.eom -o %s/e2.eom", TMP, TMP,
             TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "gone.eom"));
    snprintf(a, sizeof a, "%s/e2.eom", TMP);
    CHECK(access(a, F_OK) != 0);
}

int main(void)
{
    BIN = getenv("ECGOPT_BIN");
    if (!BIN) {
        fprintf(stderr, "ECGOPT_BIN not set (run through ctest)\n");
        return 1;
    }
    snprintf(TMP, sizeof TMP, "/tmp/eo_cli_denoise_%ld", (long)getpid());
    char cmd[128];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", TMP);
    if (system(cmd) != 0)
        return 1;
    RUN(default_method_is_learned);
    RUN(model_option_and_bad_input);
    RUN(init_finishes_the_recipe_byte_identically);
    RUN(ensemble_of_two_models);
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup failed\n");
    TEST_END();
}
