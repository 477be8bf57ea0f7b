/* cli: `ecgopt train --train DB[:SUBSET],...` (several databases at a common
 * rate), classify on another database with the lead said on stderr and the
 * warnings for another lead / an uncalibrated record, --lead everywhere, and
 * the refusals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecgopt/wfdb.h"
#include "eo_test.h"

#include "cli_harness.h"

TEST(train_two_databases_classify_third)
{
    char args[4096];
    const char *D = eo_test_data_dir();
    /* MIT-BIH 119 (360 Hz, MLII) + SVDB 800 (128 Hz, ECG1, resampled) */
    snprintf(args, sizeof args,
             "train --data %s --train mitdb:119,svdb:800 --val-records 0 --rounds 10 --threads 1 "
             "--align-ms 50 -o %s/m.model",
             D, TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("err", "--train mitdb:119,svdb:800: 2 records, resampled to 360 Hz"));
    CHECK(has("err", "warning: the training records have no beat of class Q"));
    CHECK(has("out", "trained on "));
    /* SVDB 821 at 128 Hz, uncalibrated (gain 0): lead by the fallback
     * order (the model's is "" = fallback), the gain warned about; the
     * labels at 821's own beat positions */
    snprintf(args, sizeof args, "classify --data %s --model %s/m.model svdb/821 -o %s/821.cls", D,
             TMP, TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("err", "lead ECG1 (signal 0; no --lead given: fallback order"));
    CHECK(has("err", "has no gain in its header (uncalibrated)"));
    snprintf(args, sizeof args, "evaluate --data %s --test cls --test-dir %s svdb/821 --json", D,
             TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"qrs_fn\":0,\"qrs_fp\":0,\"qrs_se\":100,\"qrs_ppv\":100"));
    /* another lead than the model's (MLII model on ECG2): a warning */
    snprintf(args, sizeof args,
             "train --data %s --train mitdb:119+208 --val-records 0 --rounds 5 --threads 1 --lead "
             "MLII -o %s/mlii.model",
             D, TMP);
    CHECK_EQ_INT(run(args), 0);
    snprintf(args, sizeof args, "classify --data %s --model %s/mlii.model svdb/800 --lead ECG2 "
             "--beats detector -o %s/800.cls", D, TMP, TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("err", "the model was trained on lead MLII and is applied to ECG2"));
}

TEST(bad_input)
{
    char args[4096];
    const char *D = eo_test_data_dir();
    snprintf(args, sizeof args, "train --data %s --train nosuchdb -o %s/x.model", D, TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "no database 'nosuchdb'"));
    snprintf(args, sizeof args, "train --data %s --train svdb:ds2 -o %s/x.model", D, TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "subset ds2 exists only for mitdb"));
    snprintf(args, sizeof args, "train --data %s --train mitdb:ds2 --test -o %s/x.model", D, TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "includes DS2 records"));
    snprintf(args, sizeof args, "train --data %s --train mitdb:ds1 --split intra -o %s/x.model", D,
             TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(access("x.model", F_OK) != 0);
    /* an unknown lead lists the leads that exist */
    snprintf(args, sizeof args, "detect --data %s svdb/800 --lead MLII -o %s/", D, TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "800: no lead 'MLII' (the record has ECG1, ECG2; use --lead NAME|INDEX)"));
    snprintf(args, sizeof args, "detect --data %s svdb/800 --lead 1 -o %s/", D, TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "on signal 1 (ECG2)"));
    snprintf(args, sizeof args, "denoise --data %s svdb/800 --lead V9 --method bandpass --to 5 -o %s/dn",
             D, TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "800: no lead 'V9' (the record has ECG1, ECG2; use --lead NAME|INDEX)"));
}

int main(void)
{
    BIN = getenv("ECGOPT_BIN");
    if (!BIN || !*BIN) {
        fprintf(stderr, "ECGOPT_BIN not set (run through ctest)\n");
        return 1;
    }
    snprintf(TMP, sizeof TMP, "/tmp/eo_cli_train_multi_XXXXXX");
    if (!mkdtemp(TMP))
        return 1;
    RUN(train_two_databases_classify_third);
    RUN(bad_input);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", TMP);
    TEST_END();
}
