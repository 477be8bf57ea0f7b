/* cli: `ecgopt detect` and `ecgopt evaluate` run as a user would
 * ($ECGOPT_BIN): outputs, written annotation files, exit codes and error
 * messages for a record without the requested lead, annotations without
 * beats and an empty record list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecgopt/wfdb.h"
#include "eo_test.h"

#include "cli_harness.h"

TEST(detect_writes_annotations)
{
    char args[4096], path[256];
    snprintf(args, sizeof args, "detect %s/mitdb/100 -o %s/100.qrs", eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "2273 beats on signal 0 (MLII)"));
    snprintf(path, sizeof path, "%s/100.qrs", TMP);
    eo_annotation_set *a = NULL;
    eo_error err;
    CHECK_OK(eo_annot_read(path, &a, &err), &err);
    if (a) {
        CHECK_EQ_INT(a->n, 2273);
        int all_n = 1;
        for (size_t i = 0; i < a->n; i++)
            all_n &= a->items[i].code == 1 && (i == 0 || a->items[i].sample > a->items[i - 1].sample);
        CHECK(all_n);
        CHECK(a->n > 0 && labs(a->items[0].sample - 77) <= 15); /* first reference beat: 77 */
    }
    eo_annot_set_destroy(a);
    /* several records into a directory, JSON; 114 has MLII as its second signal */
    snprintf(args, sizeof args, "detect %s/mitdb/100 %s/mitdb/114 -o %s/ --annotator det --json",
             eo_test_data_dir(), eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"signal\":1,\"signal_description\":\"MLII\""));
    CHECK(has("out", "\"beats\":2273"));
    CHECK(access(strcat(strcpy(path, TMP), "/114.det"), F_OK) == 0);
    CHECK_EQ_INT(run("detect --help"), 0);
    CHECK(has("out", "example: ecgopt detect"));
}

TEST(evaluate_tables)
{
    char args[4096];
    snprintf(args, sizeof args, "detect %s/mitdb/105 -o %s/105.qrs --quiet", eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 0);
    snprintf(args, sizeof args, "evaluate --data %s --ref atr --test qrs --test-dir %s mitdb/100 mitdb/105",
             eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "mitdb/100   2273   2273   2273     0     0 100.000 100.000"));
    CHECK(has("out", "gross"));
    CHECK(has("out", "confusion matrix"));
    /* 105 as bench/eval/qrs_mitdb.sh measures it */
    CHECK(has("out", "mitdb/105   2572   2611   2563     9    48  99.650  98.162"));
    snprintf(args, sizeof args,
             "evaluate --data %s --test qrs --test-dir %s mitdb/100 --json --learning-period 300",
             eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"learning_period_s\":300"));
    CHECK(has("out", "\"qrs_fn\":0,\"qrs_fp\":0,\"qrs_se\":100,\"qrs_ppv\":100"));
    /* the reference against itself: every class exact */
    snprintf(args, sizeof args, "evaluate --data %s --test atr mitdb/208 --json", eo_test_data_dir());
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"veb_tp\":992,\"veb_fn\":0,\"veb_fp\":0,\"veb_se\":100"));
    CHECK(has("out", "\"accuracy\":1,"));
    CHECK_EQ_INT(run("evaluate --help"), 0);
    CHECK(has("out", "example: ecgopt detect"));
}

TEST(bad_input)
{
    char args[4096];
    /* a record without the requested lead */
    snprintf(args, sizeof args, "detect %s/mitdb/104 --signal MLII -o %s/104.qrs", eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "ecgopt: ") && has("err", "104: no lead 'MLII' (the record has V5, V2"));
    snprintf(args, sizeof args, "detect %s/mitdb/104 --signal 7 -o %s/104.qrs --json", eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("out", "\"exit_code\":2"));
    CHECK_EQ_INT(run("detect"), 1);
    CHECK(has("err", "missing RECORD"));
    CHECK_EQ_INT(run("detect --data /tmp nosuchrecord"), 2);
    CHECK(has("err", "nosuchrecord.hea: record not found"));
    snprintf(args, sizeof args, "detect %s/mitdb/100 --band 20,5 -o %s/x.qrs", eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "band-pass 20..5 Hz invalid"));
    snprintf(args, sizeof args, "detect %s/mitdb/100 %s/mitdb/101 -o %s/one.qrs", eo_test_data_dir(),
             eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "-o must be a directory"));
    /* an empty record list */
    CHECK_EQ_INT(run("evaluate --test qrs"), 1);
    CHECK(has("err", "empty record list"));
    CHECK_EQ_INT(run("evaluate 100"), 1);
    CHECK(has("err", "missing --test"));
    CHECK_EQ_INT(run("evaluate --test qrs --window 0 100"), 1);
    /* missing test annotations */
    snprintf(args, sizeof args, "evaluate --data %s --test nosuch mitdb/100", eo_test_data_dir());
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "100.nosuch"));
    /* reference annotations with no beats: a copy of record 100 whose
     * annotator "rhy" holds one rhythm label; detect writes next to it */
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/rec && cp %s/mitdb/100.hea %s/mitdb/100.dat %s/rec/", TMP,
             eo_test_data_dir(), eo_test_data_dir(), TMP);
    CHECK(system(cmd) == 0);
    eo_annotation_set *a = eo_annot_set_new();
    eo_annotation rh = {.sample = 18, .code = 28};
    eo_error err;
    CHECK_OK(eo_annot_set_push(a, &rh, &err), &err);
    char path[256];
    snprintf(path, sizeof path, "%s/rec/100.rhy", TMP);
    CHECK_OK(eo_annot_write(path, a, &err), &err);
    eo_annot_set_destroy(a);
    snprintf(args, sizeof args, "detect %s/rec/100 --quiet", TMP);
    CHECK_EQ_INT(run(args), 0);
    snprintf(path, sizeof path, "%s/rec/100.qrs", TMP);
    CHECK(access(path, F_OK) == 0);
    snprintf(args, sizeof args, "evaluate --ref rhy --test qrs %s/rec/100", TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "100.rhy: reference annotations contain no beats"));
    /* test annotations with no beats: scored (all missed) with a warning */
    snprintf(args, sizeof args, "evaluate --ref qrs --test rhy %s/rec/100 --json", TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("err", "warning: test annotations contain no beats"));
    CHECK(has("out", "\"qrs_tp\":0,\"qrs_fn\":2273,\"qrs_fp\":0,\"qrs_se\":0"));
}

int main(void)
{
    BIN = getenv("ECGOPT_BIN");
    if (!BIN || !*BIN) {
        fprintf(stderr, "ECGOPT_BIN not set (run through ctest)\n");
        return 1;
    }
    snprintf(TMP, sizeof TMP, "/tmp/eo_cli_detect_XXXXXX");
    if (!mkdtemp(TMP))
        return 1;
    RUN(detect_writes_annotations);
    RUN(evaluate_tables);
    RUN(bad_input);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", TMP);
    TEST_END();
}
