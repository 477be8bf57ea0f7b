/* cli: `ecgopt train` parsed by its option table (issue 17): the help made
 * from the table (ranges included), every task's help, the refusals with
 * their messages and exit code 1 before anything is loaded or written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eo_test.h"

#include "cli_harness.h"

TEST(help_from_the_table)
{
    CHECK_EQ_INT(run("train --help"), 0);
    CHECK(has("out", "usage: ecgopt train --task classify --model NAME -o MODEL [options]"));
    CHECK(has("out", "  --window N           fixed N-sample window centred on R"));
    CHECK(has("out", "[16..4096]"));      /* the range, from the table */
    CHECK(has("out", "--augment-copies K")); /* every option listed */
    CHECK(has("out", "common options:"));
    CHECK_EQ_INT(run("train --task denoise --help"), 0);
    CHECK(has("out", "usage: ecgopt train --task denoise -o MODEL.eom [options]"));
    CHECK(has("out", "  --margin N ") && has("out", "[1..16384]"));
    CHECK_EQ_INT(run("train --task=denoise --help"), 0);
    CHECK(has("out", "--margin N"));
    CHECK_EQ_INT(run("train --task compress --help"), 0); /* the codec's command */
    CHECK(has("out", "train --task compress"));
}

TEST(refusals)
{
    char args[512];
    static const struct {
        const char *args, *msg;
    } cases[] = {
        {"--bogus", "unknown option --bogus"},
        {"stray", "unexpected argument 'stray'"},
        {"--window 8", "--window"},
        {"--augment-copies 65", "--augment-copies"},
        {"--rounds", "option --rounds needs a value"},
        {"--model svm", "--model 'svm' is unknown"},
        {"--split nope", "--split must be ds1ds2, intra or kfold, got 'nope'"},
        {"--norm z", "--norm must be none, beat or record, got 'z'"},
        {"--labels xyz", "xyz"},
        {"--class-scale 1,-2", "--class-scale expects up to"},
        {"--split intra --val-set 118", "--val-set applies to --split ds1ds2"},
        {"--split kfold --folds 3 --fold 3", "--folds 3 --fold 3: need K >= 2 and 0 <= I < K"},
        {"--train mitdb:ds1 --split intra", "--train goes with --split ds1ds2"},
        {"--augment-noise nstdb/ma", "--augment-noise needs --oversample F or --augment-copies K"},
        {"--task nope", "--task must be classify, compress or denoise"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(args, sizeof args, "train %s -o %s/m.model", cases[i].args, TMP);
        CHECK_MSG(run(args) == 1, "train %s: exit code not 1", cases[i].args);
        CHECK_MSG(has("err", cases[i].msg), "train %s: no '%s' on stderr", cases[i].args, cases[i].msg);
        snprintf(args, sizeof args, "%s/m.model", TMP);
        CHECK_MSG(access(args, F_OK) != 0, "train %s: left a model behind", cases[i].args);
    }
    CHECK_EQ_INT(run("train --model gbm"), 1);
    CHECK(has("err", "missing -o MODEL"));
    snprintf(args, sizeof args, "train --task denoise -o %s/d.eom --pre sharp", TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--pre sharp: use highpass or median"));
    snprintf(args, sizeof args, "train --task denoise -o %s/d.eom --template-select some", TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--template-select some: use similar or all"));
    snprintf(args, sizeof args, "train --task denoise -o %s/d.eom --bogus", TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "unknown option --bogus"));
}

int main(void)
{
    BIN = getenv("ECGOPT_BIN");
    if (!BIN || !*BIN) {
        fprintf(stderr, "ECGOPT_BIN not set (run through ctest)\n");
        return 1;
    }
    snprintf(TMP, sizeof TMP, "/tmp/eo_cli_train_opts_XXXXXX");
    if (!mkdtemp(TMP))
        return 1;
    RUN(help_from_the_table);
    RUN(refusals);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", TMP);
    TEST_END();
}
