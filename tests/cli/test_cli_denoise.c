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
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "cleanup failed\n");
    TEST_END();
}
