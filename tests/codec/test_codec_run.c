/* The record-level codec drivers behind `ecgopt compress`, `decompress`
 * and `train --task compress` (ecgopt/codec_run.h): the request resolved
 * as the command line always did, and on MIT-BIH 100 the figures the
 * command printed before the driver moved into the library
 * (`ecgopt compress mitdb/100 -o r100.ecgz --max-error 2 --evaluate`:
 * 258956 bytes, CR 6.903, PRD 2.2972 %, PRDN 4.1079 %, RMSE 1.4146 adu;
 * `decompress r100.ecgz --from 10 --to 20`: samples 3600..7200, format 212). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eo_test.h"

#include "ecgopt/codec_run.h"
#include "ecgopt/util.h"

static eo_status resolve(eo_codec_request *q, eo_codec_run *r, eo_error *err)
{
    eo_status st = eo_codec_run_init(r, q, err);
    eo_codec_mode m = r->o.mode;
    eo_codec_run_free(r);
    r->o.mode = m;
    return st;
}

TEST(request_resolved)
{
    eo_codec_request q;
    eo_codec_run r;
    eo_error err;
    eo_codec_request_init(&q);
    CHECK_OK(resolve(&q, &r, &err), &err);
    CHECK_EQ_INT(r.o.mode, EO_CODEC_LOSSLESS);
    q.max_error = 2; /* the mode follows from the option given */
    CHECK_OK(resolve(&q, &r, &err), &err);
    CHECK_EQ_INT(r.o.mode, EO_CODEC_BOUNDED);
    eo_codec_request_init(&q);
    q.target_prdn = 4;
    CHECK_OK(resolve(&q, &r, &err), &err);
    CHECK_EQ_INT(r.o.mode, EO_CODEC_WAVELET);
    q.max_error = 1.5;
    CHECK_EQ_INT(resolve(&q, &r, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "--max-error 1.5 must be an integer 0..1000") != NULL);
    eo_codec_request_init(&q);
    q.mode = "ae";
    CHECK_EQ_INT(resolve(&q, &r, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "--mode ae needs --model") != NULL);
    eo_codec_request_init(&q);
    q.embed_model = 1;
    CHECK_EQ_INT(resolve(&q, &r, &err), EO_STATUS_USAGE);
    eo_codec_request_init(&q);
    q.coder = "zip";
    CHECK_EQ_INT(resolve(&q, &r, &err), EO_STATUS_USAGE);
    CHECK(strcmp(err.msg, "--coder zip: use plain or mix") == 0);
    eo_codec_request_init(&q);
    q.model = "/nonexistent/ae.eom"; /* selects ae; the load fails, not the request */
    eo_status st = resolve(&q, &r, &err);
    CHECK(st != EO_STATUS_OK && st != EO_STATUS_USAGE);
    CHECK_EQ_INT(r.o.mode, EO_CODEC_AE);
}

TEST(ae_pools)
{
    eo_codec_ae_options o;
    eo_codec_ae_defaults(&o);
    eo_error err;
    CHECK_OK(eo_codec_ae_pools_parse("3,4,2", &o, &err), &err);
    CHECK(o.pools[0] == 3 && o.pools[1] == 4 && o.pools[2] == 2);
    CHECK_EQ_INT(eo_codec_ae_pools_parse("3,4", &o, &err), EO_STATUS_USAGE);
    CHECK_EQ_INT(eo_codec_ae_pools_parse("3,4,2,1", &o, &err), EO_STATUS_USAGE);
    CHECK(o.pools[0] == 3 && o.pools[2] == 2);
}

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

static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return strstr(buf, needle) != NULL;
}

/* compress, the JSON of the run, then decompress a span of the bytes */
TEST(mitdb100_bounded_round_trip)
{
    eo_wfdb_record *rec = load100();
    if (!rec)
        SKIP("mitdb/100 not found");
    eo_codec_request q;
    eo_codec_request_init(&q);
    q.max_error = 2;
    q.evaluate = 1;
    q.threads = 2;
    eo_codec_run r;
    eo_error err;
    CHECK_OK(eo_codec_run_init(&r, &q, &err), &err);
    CHECK_OK(eo_codec_run_record(&r, rec, "r100.ecgz", &err), &err);
    CHECK_EQ_INT((long)r.len, 258956);
    CHECK_EQ_INT((long)r.cs.file_bytes, 258956);
    CHECK_CLOSE(r.cs.cr, 6.902717063902748, 1e-12, 0);
    CHECK_CLOSE(r.f.prd, 2.2971897128232603, 1e-9, 0);
    CHECK_CLOSE(r.f.prdn, 4.1079095827117635, 1e-9, 0);
    CHECK_CLOSE(r.f.rmse, 1.4146154682728884, 1e-9, 0);
    CHECK_CLOSE(r.f.max_abs_error, 2, 0, 0);
    char dir[] = "/tmp/eo_codec_run_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/run.json", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        eo_json j;
        eo_json_init(&j, f);
        eo_json_obj_begin(&j);
        eo_codec_run_json(&j, &r, "mitdb/100", "r100.ecgz");
        eo_json_obj_end(&j);
        fclose(f);
    }
    CHECK(file_has(path, "\"mode\":\"bounded\",\"max_error_adu\":2,\"coder\":\"plain\",\"signals\":2,"
                         "\"samples\":650000,\"file_bytes\":258956"));
    CHECK(file_has(path, "\"max_abs_error_adu\":2,\"qs\":1.68034"));
    remove(path);
    /* the report: this file's point among the sweep, and the strips */
    snprintf(path, sizeof path, "%s/r100.html", dir);
    CHECK_OK(eo_codec_run_report(&r, rec, "mitdb/100", path, &err), &err);
    CHECK(file_has(path, "Compression of mitdb/100"));
    CHECK(file_has(path, "Record mitdb/100, mode bounded, max error 2 adu: 258956 bytes for 2 signals x 650000"));
    remove(path);

    eo_ecgz *z = NULL;
    CHECK_OK(eo_ecgz_open_mem(r.buf, r.len, "r100.ecgz", &z, &err), &err);
    eo_ecgz_extract x;
    CHECK_EQ_INT(eo_ecgz_extract_record(z, "r100.ecgz", 5, 1, dir, "d100", &x, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "--from 5 --to 1 selects no samples of r100.ecgz (1805.6 s)") != NULL);
    CHECK_OK(eo_ecgz_extract_record(z, "r100.ecgz", 10, 20, dir, "d100", &x, &err), &err);
    CHECK_EQ_INT(x.start, 3600);
    CHECK_EQ_INT(x.count, 3600);
    CHECK_EQ_INT(x.format, 212);
    char base[256];
    snprintf(base, sizeof base, "%s/d100", dir);
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *d = NULL;
    CHECK_OK(eo_wfdb_record_load(base, &ro, &d, &err), &err);
    if (d) {
        CHECK_EQ_INT(d->n_samples, 3600);
        long worst = 0;
        for (int s = 0; s < 2; s++)
            for (long i = 0; i < 3600; i++)
                worst = labs((long)d->adu[s][i] - rec->adu[s][3600 + i]) > worst
                            ? labs((long)d->adu[s][i] - rec->adu[s][3600 + i]) : worst;
        CHECK_EQ_INT(worst, 2); /* the bound, reached */
        /* the header's comment lines ride along */
        snprintf(path, sizeof path, "%s.hea", base);
        CHECK(file_has(path, "# 69 M 1085 1629 x1"));
    }
    eo_wfdb_record_destroy(d);
    eo_ecgz_close(z);
    const char *ext[] = {"hea", "dat"};
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/d100.%s", dir, ext[k]);
        remove(path);
    }
    rmdir(dir);
    eo_codec_run_free(&r);
    eo_wfdb_record_destroy(rec);
}

/* --from 60 --to 120, bounded 1: the file holds samples 21600..43200 only;
 * decoded (whole file) it is that span within the bound; the header says
 * where it came from and drops the base time; empty spans are USAGE. */
TEST(mitdb100_span)
{
    eo_wfdb_record *rec = load100();
    if (!rec)
        SKIP("mitdb/100 not found");
    eo_codec_request q;
    eo_codec_request_init(&q);
    CHECK(q.from_s == 0 && q.to_s < 0);
    q.max_error = 1;
    q.evaluate = 1;
    q.threads = 2;
    q.from_s = 60;
    q.to_s = 120;
    eo_codec_run r;
    eo_error err;
    CHECK_OK(eo_codec_run_init(&r, &q, &err), &err);
    CHECK_OK(eo_codec_run_record(&r, rec, "s100.ecgz", &err), &err);
    CHECK_EQ_INT(r.span_start, 21600);
    CHECK_EQ_INT(r.span_end, 43200);
    CHECK_EQ_INT(r.cs.n_samples, 21600);
    CHECK_CLOSE(r.f.max_abs_error, 1, 0, 0);
    eo_ecgz *z = NULL;
    CHECK_OK(eo_ecgz_open_mem(r.buf, r.len, "s100.ecgz", &z, &err), &err);
    eo_wfdb_record *d = NULL;
    if (z)
        CHECK_OK(eo_ecgz_to_record(z, &d, &err), &err);
    if (z && d) {
        const eo_ecgz_info *info = eo_ecgz_get_info(z);
        CHECK_EQ_INT(info->n_samples, 21600);
        CHECK(info->base_time[0] == 0 && info->base_date[0] == 0);
        CHECK(info->comments && strstr(info->comments, "69 M 1085 1629 x1"));
        CHECK(info->comments && strstr(info->comments, "ecgopt span: samples 21600..43200 (60.000-120.000 s) of 100"));
        long worst = 0;
        for (int s = 0; s < 2; s++)
            for (long i = 0; i < 21600; i++) {
                long e = labs((long)d->adu[s][i] - rec->adu[s][21600 + i]);
                worst = e > worst ? e : worst;
            }
        CHECK_EQ_INT(worst, 1);
    }
    eo_wfdb_record_destroy(d);
    eo_ecgz_close(z);
    eo_codec_run_free(&r);
    /* the whole record: no span view, from sample 0 */
    eo_codec_request_init(&q);
    q.to_s = 1e9; /* past the end: the end */
    CHECK_OK(eo_codec_run_init(&r, &q, &err), &err);
    CHECK_OK(eo_codec_run_record(&r, rec, "w100.ecgz", &err), &err);
    CHECK(r.span == NULL && r.span_start == 0 && r.span_end == 650000);
    eo_codec_run_free(&r);
    /* empty spans: USAGE naming the record, nothing encoded */
    q.from_s = 120;
    q.to_s = 60;
    CHECK_OK(eo_codec_run_init(&r, &q, &err), &err);
    CHECK_EQ_INT(eo_codec_run_record(&r, rec, "x.ecgz", &err), EO_STATUS_USAGE);
    CHECK_MSG(strstr(err.msg, "--from 120 --to 60 selects no samples of 100 (1805.6 s)") != NULL, "%s", err.msg);
    CHECK(r.buf == NULL);
    eo_codec_run_free(&r);
    q.from_s = 1806;
    q.to_s = -1;
    CHECK_OK(eo_codec_run_init(&r, &q, &err), &err);
    CHECK_EQ_INT(eo_codec_run_record(&r, rec, "x.ecgz", &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "--from 1806 selects no samples of 100") != NULL);
    eo_codec_run_free(&r);
    eo_wfdb_record_destroy(rec);
}

int main(void)
{
    RUN(request_resolved);
    RUN(ae_pools);
    RUN(mitdb100_bounded_round_trip);
    RUN(mitdb100_span);
    TEST_END();
}
