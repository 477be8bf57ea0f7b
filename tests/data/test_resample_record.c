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

/* --from 60 --to 120 at 128 Hz: the span starts on the common grid (21600
 * = 480 x 45 input samples, 7680 output samples), so its samples equal the
 * whole record's resampled ones exactly away from its ends (the filter's
 * half length is 10 x 45 samples at 5760 Hz: 10 output samples; 16 are
 * skipped), and each annotation inside it lands 7680 samples before the
 * whole record's. */
TEST(mitdb100_span)
{
    eo_resampled full, span;
    eo_error err;
    eo_status st = eo_resample_record(eo_test_data_dir(), "mitdb/100", NULL, 128, "atr", &full, &err);
    if (st == EO_STATUS_NOT_FOUND)
        SKIP("mitdb/100 not found");
    CHECK_OK(st, &err);
    eo_resample_record_options o;
    eo_resample_record_defaults(&o);
    CHECK(o.from_s == 0 && o.to_s < 0 && o.annotators == NULL);
    o.fs_out = 128;
    o.from_s = 60;
    o.to_s = 120;
    CHECK_OK(eo_resample_record_run(eo_test_data_dir(), "mitdb/100", NULL, &o, &span, &err), &err);
    CHECK_EQ_INT(span.start, 21600);
    CHECK_EQ_INT(span.n_in, 21600);
    CHECK_EQ_INT((long)span.n_out, 7680);
    long diff = 0, edge = 0;
    for (int s = 0; s < 2 && span.adu && full.adu; s++)
        for (long k = 0; k < 7680; k++) {
            long d = labs((long)span.adu[s][k] - full.adu[s][7680 + k]);
            if (k >= 16 && k < 7680 - 16)
                diff = d > diff ? d : diff;
            else
                edge = d > edge ? d : edge;
        }
    CHECK_EQ_INT(diff, 0);
    CHECK(edge > 0); /* the ends do differ: the test sees the span's own edges */
    size_t k = 0, in = 0, bad = 0;
    for (size_t i = 0; span.n_ann == 1 && i < full.ann[0]->n; i++) {
        long p = full.ann[0]->items[i].sample;
        if (p < 7680 || p >= 15360)
            continue;
        in++;
        if (k >= span.ann[0]->n || span.ann[0]->items[k].sample != p - 7680 ||
            span.ann[0]->items[k].code != full.ann[0]->items[i].code)
            bad++;
        k++;
    }
    CHECK_EQ_INT(span.n_ann, 1);
    CHECK_EQ_INT((long)in, 74); /* mitdb/100, 60..120 s: 74 annotations */
    CHECK_EQ_INT((long)(span.n_ann ? span.ann[0]->n : 0), 74);
    CHECK_EQ_INT((long)bad, 0);
    eo_resampled_free(&span);
    /* empty spans: USAGE before any resampling */
    o.from_s = 60;
    o.to_s = 60;
    CHECK_EQ_INT(eo_resample_record_run(eo_test_data_dir(), "mitdb/100", NULL, &o, &span, &err), EO_STATUS_USAGE);
    CHECK_MSG(strstr(err.msg, "--from 60 --to 60 selects no samples of mitdb/100 (1805.6 s)") != NULL, "%s",
              err.msg);
    CHECK(span.adu == NULL);
    eo_resampled_free(&span);
    o.from_s = 2000;
    o.to_s = -1;
    CHECK_EQ_INT(eo_resample_record_run(eo_test_data_dir(), "mitdb/100", NULL, &o, &span, &err), EO_STATUS_USAGE);
    eo_resampled_free(&span);
    eo_resampled_free(&full);
}

int main(void)
{
    RUN(mitdb100_to_128hz);
    RUN(annotator_list);
    RUN(mitdb100_span);
    TEST_END();
}
