/* eo_codec_compress_samples (include/ecgopt/codec.h): the .ecgz
 * bytes of plain sample arrays decode to those samples, within the bound of
 * the mode, and are the size eo_codec_encode makes of the same record. */
#include "codec_test_util.h"
#include "eo_test.h"

#include "ecgopt/codec.h"

/* channel-major copy of a record's samples */
static int32_t *flat(const eo_wfdb_record *r)
{
    int32_t *a = malloc(sizeof *a * (size_t)r->n_signals * (size_t)r->n_samples);
    for (int s = 0; s < r->n_signals; s++)
        memcpy(a + (size_t)s * (size_t)r->n_samples, r->adu[s], sizeof *a * (size_t)r->n_samples);
    return a;
}

/* decode buf and return the largest |decoded - original| (-1 on error) */
static long max_error(const unsigned char *buf, size_t len, const eo_wfdb_record *r, double *fs)
{
    eo_error err;
    eo_ecgz *z = NULL;
    if (eo_ecgz_open_mem(buf, len, "mem", &z, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    const eo_ecgz_info *in = eo_ecgz_get_info(z);
    *fs = in->fs_hz;
    long worst = -1;
    if (in->n_signals == r->n_signals && in->n_samples == r->n_samples) {
        int32_t *rows[2];
        for (int s = 0; s < r->n_signals; s++)
            rows[s] = malloc(sizeof(int32_t) * (size_t)r->n_samples);
        if (eo_ecgz_read(z, 0, r->n_samples, rows, &err) == EO_STATUS_OK) {
            worst = 0;
            for (int s = 0; s < r->n_signals; s++)
                for (long i = 0; i < r->n_samples; i++) {
                    long d = labs((long)rows[s][i] - (long)r->adu[s][i]);
                    if (d > worst)
                        worst = d;
                }
        }
        for (int s = 0; s < r->n_signals; s++)
            free(rows[s]);
    }
    eo_ecgz_close(z);
    return worst;
}

TEST(lossless_and_bounded_round_trip)
{
    eo_wfdb_record *r = synth_record(2, 7200, 360.0, 3);
    int32_t *a = flat(r);
    double gain[2] = {200, 200};
    int base[2] = {1024, 1024};
    eo_error err;
    unsigned char *buf = NULL;
    size_t len = 0;
    double fs = 0;
    CHECK_OK(eo_codec_compress_samples(a, 2, r->n_samples, 360.0, gain, base, 11, "lossless", 0,
                                       &buf, &len, &err), &err);
    CHECK(len > 100 && len < (size_t)(2 * 7200 * 2));
    CHECK_EQ_INT(max_error(buf, len, r, &fs), 0);
    CHECK_CLOSE(fs, 360.0, 0, 0);
    /* the same bytes as eo_codec_encode of the record itself: the signal
     * table differs only in fields the encoder stores from the arrays */
    eo_codec_options o;
    eo_codec_defaults(&o);
    unsigned char *ref = NULL;
    size_t ref_len = 0;
    CHECK_OK(eo_codec_encode(r, &o, &ref, &ref_len, NULL, &err), &err);
    CHECK(ref_len > 0 && labs((long)ref_len - (long)len) < 300);
    free(ref);
    eo_free(buf);

    for (int e = 1; e <= 4; e += 3) {
        CHECK_OK(eo_codec_compress_samples(a, 2, r->n_samples, 360.0, NULL, NULL, 0, "bounded", e,
                                           &buf, &len, &err), &err);
        long w = max_error(buf, len, r, &fs);
        CHECK_MSG(w >= 0 && w <= e, "bounded %d: max error %ld", e, w);
        eo_free(buf);
    }
    CHECK_OK(eo_codec_compress_samples(a, 2, r->n_samples, 360.0, NULL, NULL, 0, "wavelet", 5.0,
                                       &buf, &len, &err), &err);
    CHECK(max_error(buf, len, r, &fs) > 0); /* lossy */
    eo_free(buf);
    eo_free(NULL);
    free(a);
    eo_wfdb_record_destroy(r);
}

TEST(bad_arguments)
{
    int32_t a[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    double bad_gain[1] = {0};
    eo_error err;
    unsigned char *buf = (unsigned char *)a;
    size_t len = 7;
    CHECK_EQ_INT(eo_codec_compress_samples(a, 1, 8, 360, NULL, NULL, 0, "ae", 0, &buf, &len, &err),
                 EO_STATUS_UNSUPPORTED);
    CHECK(buf == NULL && len == 0);
    CHECK_EQ_INT(eo_codec_compress_samples(a, 1, 8, 360, NULL, NULL, 0, "zip", 0, &buf, &len, &err),
                 EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "zip") != NULL);
    CHECK_EQ_INT(eo_codec_compress_samples(a, 0, 8, 360, NULL, NULL, 0, "lossless", 0, &buf, &len,
                                           &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_codec_compress_samples(a, 1, 0, 360, NULL, NULL, 0, "lossless", 0, &buf, &len,
                                           &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_codec_compress_samples(a, 1, 8, NAN, NULL, NULL, 0, "lossless", 0, &buf, &len,
                                           &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_codec_compress_samples(a, 1, 8, 360, bad_gain, NULL, 0, "lossless", 0, &buf,
                                           &len, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_codec_compress_samples(a, 1, 8, 360, NULL, NULL, 0, "bounded", 2.5, &buf, &len,
                                           &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_codec_compress_samples(a, 1, 8, 360, NULL, NULL, 0, "wavelet", 100, &buf, &len,
                                           &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_codec_compress_samples(a, 1, 8, 360, NULL, NULL, 25, "lossless", 0, &buf, &len,
                                           &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_codec_compress_samples(NULL, 1, 8, 360, NULL, NULL, 0, "lossless", 0, &buf,
                                           &len, &err), EO_STATUS_USAGE);
    int32_t big[2] = {1 << 24, 0};
    CHECK_EQ_INT(eo_codec_compress_samples(big, 1, 2, 360, NULL, NULL, 0, "lossless", 0, &buf,
                                           &len, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(buf == NULL);
}

int main(void)
{
    RUN(lossless_and_bounded_round_trip);
    RUN(bad_arguments);
    TEST_END();
}
