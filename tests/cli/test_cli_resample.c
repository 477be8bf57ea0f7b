/* cli: `ecgopt resample` as a user runs it ($ECGOPT_BIN): the record at the
 * new rate, annotations on the new grid exactly, rates out of range and a
 * missing annotator refused with nothing written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecgopt/wfdb.h"
#include "eo_test.h"

#include "cli_harness.h"

static int exists(const char *name)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", TMP, name);
    return access(p, F_OK) == 0;
}

TEST(mitdb_to_128)
{
    char args[4096], path[4096];
    snprintf(args, sizeof args, "resample %s/mitdb/100 --fs 128 -o %s/r100 --json",
             eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"up\":16,\"down\":45,\"samples_in\":650000,\"samples_out\":231112"));
    eo_wfdb_record *r = NULL;
    eo_error err;
    snprintf(path, sizeof path, "%s/r100", TMP);
    CHECK_OK(eo_wfdb_record_load(path, NULL, &r, &err), &err);
    if (r) {
        CHECK(r->fs_hz == 128.0 && r->n_samples == 231112 && r->n_signals == 2);
        CHECK(strcmp(r->header->signals[0].description, "MLII") == 0);
        CHECK(r->header->signals[0].gain == 200.0);
    }
    eo_wfdb_record_destroy(r);
    /* every annotation at round(p * 16/45), in order, codes kept */
    eo_annotation_set *a = NULL, *b = NULL;
    snprintf(path, sizeof path, "%s/mitdb/100.atr", eo_test_data_dir());
    CHECK_OK(eo_annot_read(path, &a, &err), &err);
    snprintf(path, sizeof path, "%s/r100.atr", TMP);
    CHECK_OK(eo_annot_read(path, &b, &err), &err);
    if (a && b) {
        CHECK_EQ_INT(b->n, a->n);
        int exact = a->n == b->n;
        for (size_t i = 0; exact && i < a->n; i++)
            exact = b->items[i].sample == (a->items[i].sample * 32 + 45) / 90 &&
                    b->items[i].code == a->items[i].code;
        CHECK(exact);
    }
    eo_annot_set_destroy(a);
    eo_annot_set_destroy(b);
    /* the text form, and SVDB's 128 Hz up to 360 */
    snprintf(args, sizeof args, "resample %s/svdb/800 --fs 360 -o %s/r800", eo_test_data_dir(),
             TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "230400 samples at 128 Hz -> 648000 at 360 Hz (x 45/16)"));
    CHECK(has("out", "atr: 1921 annotations moved"));
}

/* --from 60 --to 120: the span at 128 Hz, annotations inside it on its
 * grid (the library test checks the samples against the whole record's) */
TEST(span)
{
    char args[4096], path[4096];
    snprintf(args, sizeof args, "resample %s/mitdb/100 --fs 128 --from 60 --to 120 -o %s/s100 --json",
             eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "\"samples_in\":21600,\"samples_out\":7680,\"from_sample\":21600"));
    eo_annotation_set *a = NULL, *b = NULL;
    eo_error err;
    snprintf(path, sizeof path, "%s/mitdb/100.atr", eo_test_data_dir());
    CHECK_OK(eo_annot_read(path, &a, &err), &err);
    snprintf(path, sizeof path, "%s/s100.atr", TMP);
    CHECK_OK(eo_annot_read(path, &b, &err), &err);
    if (a && b) {
        size_t k = 0;
        int exact = 1;
        for (size_t i = 0; i < a->n; i++) {
            long p = a->items[i].sample;
            if (p < 21600 || p >= 43200)
                continue;
            exact = exact && k < b->n && b->items[k].sample == ((p - 21600) * 32 + 45) / 90 &&
                    b->items[k].code == a->items[i].code;
            k++;
        }
        CHECK_EQ_INT(b->n, 74);
        CHECK_EQ_INT(k, b->n);
        CHECK(exact);
    }
    eo_annot_set_destroy(a);
    eo_annot_set_destroy(b);
    snprintf(args, sizeof args, "resample %s/mitdb/100 --fs 128 --from 60 --to 120 -o %s/s100t", eo_test_data_dir(),
             TMP);
    CHECK_EQ_INT(run(args), 0);
    CHECK(has("out", "mitdb/100: the span from sample 21600"));
    CHECK(has("out", "21600 samples at 360 Hz -> 7680 at 128 Hz (x 16/45)"));
    /* empty spans: exit 1, nothing written */
    snprintf(args, sizeof args, "resample %s/mitdb/100 --fs 128 --from 120 --to 60 -o %s/bad3", eo_test_data_dir(),
             TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--from 120 --to 60 selects no samples of"));
    snprintf(args, sizeof args, "resample %s/mitdb/100 --fs 128 --from 1900 -o %s/bad3", eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(!exists("bad3.hea") && !exists("bad3.dat") && !exists("bad3.atr"));
}

TEST(bad_input)
{
    char args[4096];
    snprintf(args, sizeof args, "resample %s/mitdb/100 --fs 50 -o %s/bad1", eo_test_data_dir(),
             TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "--fs must be a number in [100, 10000], got '50'"));
    snprintf(args, sizeof args, "resample %s/mitdb/100 --fs 20000 -o %s/bad1", eo_test_data_dir(),
             TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(!exists("bad1.hea") && !exists("bad1.dat"));
    snprintf(args, sizeof args, "resample %s/mitdb/100 -o %s/bad1", eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 1);
    CHECK(has("err", "needs --fs"));
    /* a named annotator that does not exist: error, nothing written */
    snprintf(args, sizeof args, "resample %s/mitdb/100 --fs 250 --annotators atr,nosuch -o %s/bad2",
             eo_test_data_dir(), TMP);
    CHECK_EQ_INT(run(args), 2);
    CHECK(has("err", "100.nosuch: no annotation file"));
    CHECK(!exists("bad2.hea") && !exists("bad2.dat") && !exists("bad2.atr"));
    CHECK_EQ_INT(run("resample --help"), 0);
    CHECK(has("out", "example: ecgopt resample"));
}

int main(void)
{
    BIN = getenv("ECGOPT_BIN");
    if (!BIN || !*BIN) {
        fprintf(stderr, "ECGOPT_BIN not set (run through ctest)\n");
        return 1;
    }
    snprintf(TMP, sizeof TMP, "/tmp/eo_cli_resample_XXXXXX");
    if (!mkdtemp(TMP))
        return 1;
    RUN(mitdb_to_128);
    RUN(span);
    RUN(bad_input);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", TMP);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", TMP);
    TEST_END();
}
