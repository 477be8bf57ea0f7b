/* Denoising a record (ecgopt/denoise_record.h), the work behind `ecgopt
 * denoise`: on the first 10 s of MIT-BIH 100 with vmd (K 6, alpha 2000)
 * the figures `ecgopt denoise mitdb/100 -o dn --method vmd --from 0 --to 10
 * --report-modes` printed before the pipeline moved into the library
 * (MLII: modes at 0.01 (baseline), 6.09, 11.98, 17.26, 23.29, 31.90 Hz;
 * V5: 0.04 ... 46.06 Hz), the same .dat bytes, the span and lead rules. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eo_test.h"

#include "ecgopt/denoise_record.h"

static eo_wfdb_record *load100(void)
{
    char base[4200];
    snprintf(base, sizeof base, "%s/mitdb/100", eo_test_data_dir());
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    eo_error err;
    if (eo_wfdb_record_load(base, &ro, &r, &err))
        fprintf(stderr, "%s\n", err.msg);
    return r;
}

TEST(vmd_first_10s)
{
    eo_wfdb_record *rec = load100();
    if (!rec)
        SKIP("mitdb/100 not found");
    eo_denoise_record_options o;
    eo_denoise_record_defaults(&o);
    o.denoise.method = EO_DENOISE_VMD;
    o.to_s = 10;
    o.keep_first = 1;
    eo_denoise_record_result r;
    eo_error err;
    CHECK_OK(eo_denoise_record(rec, "mitdb/100", &o, &r, &err), &err);
    CHECK_EQ_INT(r.ns, 2);
    CHECK_EQ_INT(r.n, 3600);
    CHECK_EQ_INT(r.start, 0);
    const double mlii[6] = {0.01, 6.09, 11.98, 17.26, 23.29, 31.90};
    const double v5[6] = {0.04, 6.19, 12.82, 19.21, 26.81, 46.06};
    CHECK_EQ_INT(r.reports[0].K, 6);
    for (int m = 0; m < 6 && r.reports; m++) {
        CHECK_CLOSE(r.reports[0].center_hz[m], mlii[m], 0, 0.005);
        CHECK_CLOSE(r.reports[1].center_hz[m], v5[m], 0, 0.005);
        CHECK_EQ_INT(r.reports[0].action[m], m == 0 ? EO_MODE_BASELINE : EO_MODE_KEPT);
    }
    CHECK(strcmp(eo_denoise_action_name(EO_MODE_CORRECTED), "baseline-corrected") == 0);
    /* adu = round(mV x gain + baseline): the kept first-signal copy agrees */
    long worst = 0;
    for (long i = 0; r.den && i < r.n; i++) {
        long want = lround(r.den[i] * 200 + 1024);
        worst = labs(want - r.adu[0][i]) > worst ? labs(want - r.adu[0][i]) : worst;
    }
    CHECK(worst <= 1);
    /* the record written is the one the command wrote before (md5 of the .dat) */
    char dir[] = "/tmp/eo_dn_rec_XXXXXX", path[256], cmd[400];
    CHECK(mkdtemp(dir) != NULL);
    CHECK_OK(eo_denoise_record_write(&r, rec, dir, "dn", &err), &err);
    snprintf(cmd, sizeof cmd, "md5sum %s/dn.dat | grep -q 23f0c44689a4123edd0ee0e9b997d8f7", dir);
    CHECK_MSG(system(cmd) == 0, "dn.dat differs from the command's output before the move");
    snprintf(path, sizeof path, "%s/dn.html", dir);
    CHECK_OK(eo_denoise_record_report(&r, "mitdb/100", path, &err), &err);
    CHECK(access(path, F_OK) == 0);
    remove(path);
    const char *ext[] = {"hea", "dat"};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/dn.%s", dir, ext[k]);
        remove(path);
    }
    rmdir(dir);
    eo_denoise_record_free(&r);
    eo_wfdb_record_destroy(rec);
}

TEST(span_and_lead)
{
    eo_wfdb_record *rec = load100();
    if (!rec)
        SKIP("mitdb/100 not found");
    eo_denoise_record_options o;
    eo_denoise_record_defaults(&o);
    o.denoise.method = EO_DENOISE_BANDPASS;
    o.from_s = 5;
    o.to_s = 1;
    eo_denoise_record_result r;
    eo_error err;
    CHECK_EQ_INT(eo_denoise_record(rec, "mitdb/100", &o, &r, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "--from 5 --to 1 selects no samples of mitdb/100 (1805.6 s)") != NULL);
    eo_denoise_record_free(&r);
    o.to_s = 7;
    o.lead = "V9";
    CHECK_EQ_INT(eo_denoise_record(rec, "mitdb/100", &o, &r, &err), EO_STATUS_NOT_FOUND);
    eo_denoise_record_free(&r);
    o.lead = "V5";
    CHECK_OK(eo_denoise_record(rec, "mitdb/100", &o, &r, &err), &err);
    CHECK_EQ_INT(r.s_lo, 1);
    CHECK_EQ_INT(r.ns, 1);
    CHECK_EQ_INT(r.start, 1800);
    CHECK_EQ_INT(r.n, 720);
    CHECK(strcmp(r.signals[0].description, "V5") == 0);
    eo_denoise_record_free(&r);
    eo_wfdb_record_destroy(rec);
}

int main(void)
{
    RUN(vmd_first_10s);
    RUN(span_and_lead);
    TEST_END();
}
