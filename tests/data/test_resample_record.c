/* A record at another rate with its annotations (ecgopt/resample_record.h),
 * the work behind `ecgopt resample`: MIT-BIH 100 at 128 Hz gives what
 * `ecgopt resample mitdb/100 --fs 128 -o rs` wrote before the pipeline moved
 * into the library (x 16/45, 231112 samples, 2274 atr annotations; the same
 * .dat and .atr bytes), each annotation at the sample nearest in time. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eo_test.h"

#include "ecgopt/resample_record.h"

static int md5_is(const char *path, const char *md5)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "md5sum %s | grep -q %s", path, md5);
    return system(cmd) == 0;
}

TEST(mitdb100_to_128hz)
{
    eo_resampled r;
    eo_error err;
    eo_status st = eo_resample_record(eo_test_data_dir(), "mitdb/100", NULL, 128, NULL, &r, &err);
    if (st == EO_STATUS_NOT_FOUND)
        SKIP("mitdb/100 not found");
    CHECK_OK(st, &err);
    CHECK_EQ_INT(r.up, 16);
    CHECK_EQ_INT(r.down, 45);
    CHECK_EQ_INT(r.n_in, 650000);
    CHECK_EQ_INT((long)r.n_out, 231112);
    CHECK_EQ_INT(r.n_signals, 2);
    CHECK_EQ_INT(r.n_ann, 1);
    CHECK(strcmp(r.ann_name[0], "atr") == 0);
    CHECK_EQ_INT((long)r.ann[0]->n, 2274);
    /* the first beat of 100 is at sample 77 (360 Hz): 77 x 128/360 = 27.4 */
    CHECK_EQ_INT(r.ann[0]->items[1].sample, 27);
    char dir[] = "/tmp/eo_rs_rec_XXXXXX", path[256];
    CHECK(mkdtemp(dir) != NULL);
    CHECK_OK(eo_resampled_write(&r, dir, "rs", &err), &err);
    snprintf(path, sizeof path, "%s/rs.dat", dir);
    CHECK(md5_is(path, "cba2833ca30c4bdd0e2acee9ddbdc1e6"));
    remove(path);
    snprintf(path, sizeof path, "%s/rs.atr", dir);
    CHECK(md5_is(path, "04f7abc591a53a6164216950c051fc49"));
    remove(path);
    snprintf(path, sizeof path, "%s/rs.hea", dir);
    remove(path);
    rmdir(dir);
    eo_resampled_free(&r);
}

TEST(annotator_list)
{
    eo_resampled r;
    eo_error err;
    /* checked before anything is read: the record need not exist */
    CHECK_EQ_INT(eo_resample_record(eo_test_data_dir(), "nosuch/rec", NULL, 250, "atr,,qrs", &r, &err),
                 EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "--annotators atr,,qrs: names of 1..31 characters") != NULL);
    eo_resampled_free(&r);
    eo_status st = eo_resample_record(eo_test_data_dir(), "mitdb/100", NULL, 250, "atr,zzz", &r, &err);
    if (st != EO_STATUS_NOT_FOUND || strstr(err.msg, "mitdb/100.hea"))
        SKIP("mitdb/100 not found");
    CHECK(strstr(err.msg, "100.zzz: no annotation file") != NULL);
    eo_resampled_free(&r);
}

int main(void)
{
    RUN(mitdb100_to_128hz);
    RUN(annotator_list);
    TEST_END();
}
