/* nn model files: round trip (spec, weights, running stats, normalisation,
 * labels, metadata, identical predictions), and truncated, corrupted,
 * future-version and foreign files giving clear errors. */
#include <stdlib.h>
#include <unistd.h>

#include "ecgopt/nn.h"
#include "eo_test.h"

static eo_nn *make_model(void)
{
    eo_error err;
    eo_nn *nn = NULL;
    eo_status st = eo_nn_from_spec("conv(6,5) batchnorm relu maxpool(2) lstm(5,bidir=1) dense(3)", 2, 24,
                                   &nn, &err);
    if (st)
        return NULL;
    eo_rng r;
    eo_rng_seed(&r, 42);
    eo_nn_init(nn, EO_NN_INIT_XAVIER, &r);
    size_t nb;
    float *b = eo_nn_buffers(nn, &nb);
    for (size_t i = 0; i < nb; i++)
        b[i] = 0.5f + (float)i / 7.0f; /* non-trivial running statistics */
    const float mean[2] = {0.1f, -0.2f}, sd[2] = {1.5f, 2.5f};
    eo_nn_set_normalisation(nn, mean, sd, 2, &err);
    const char *labels[3] = {"N", "S", "V"};
    eo_nn_set_labels(nn, labels, 3, &err);
    eo_nn_set_meta(nn, "epochs", "12", &err);
    eo_nn_set_meta(nn, "data", "mitdb DS1", &err);
    eo_nn_set_meta(nn, "epochs", "13", &err); /* replaces */
    return nn;
}

TEST(round_trip) {
    eo_nn *a = make_model();
    CHECK(a != NULL);
    if (!a)
        return;
    char path[] = "/tmp/eo_nn_test_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    eo_error err;
    CHECK_OK(eo_nn_save(a, path, &err), &err);
    eo_nn *b = NULL;
    CHECK_OK(eo_nn_load(path, &b, &err), &err);
    unlink(path);
    if (!b) {
        eo_nn_destroy(a);
        return;
    }
    CHECK(!strcmp(eo_nn_spec(a), eo_nn_spec(b)));
    size_t na, nb;
    float *pa = eo_nn_params(a, &na), *pb = eo_nn_params(b, &nb);
    CHECK_EQ_INT(na, nb);
    CHECK(memcmp(pa, pb, sizeof(float) * na) == 0);
    float *ba = eo_nn_buffers(a, &na), *bb = eo_nn_buffers(b, &nb);
    CHECK_EQ_INT(na, nb);
    CHECK(na > 0 && memcmp(ba, bb, sizeof(float) * na) == 0);
    const float *m, *s;
    CHECK_EQ_INT(eo_nn_normalisation(b, &m, &s), 2);
    CHECK(m[1] == -0.2f && s[0] == 1.5f);
    CHECK_EQ_INT(eo_nn_label_count(b), 3);
    CHECK(!strcmp(eo_nn_label(b, 2), "V"));
    char v[32];
    CHECK_EQ_INT(eo_nn_meta(b, "epochs", v, sizeof v), 0);
    CHECK(!strcmp(v, "13"));
    CHECK_EQ_INT(eo_nn_meta(b, "data", v, sizeof v), 0);
    CHECK(!strcmp(v, "mitdb DS1"));
    CHECK_EQ_INT(eo_nn_meta(b, "nope", v, sizeof v), -1);
    float x[3 * 48], ya[9], yb[9];
    for (int i = 0; i < 3 * 48; i++)
        x[i] = (float)((i * 37) % 11) / 5.0f - 1.0f;
    /* same batching on both sides: oneDNN's sgemm picks its kernel (and so
     * the rounding) by shape, so a batch of 1 and a batch of 3 may differ
     * in the last bit; the loaded model must match exactly. */
    CHECK_OK(eo_nn_predict(a, x, 3, 2, ya, &err), &err);
    CHECK_OK(eo_nn_predict(b, x, 3, 2, yb, &err), &err);
    CHECK(memcmp(ya, yb, sizeof ya) == 0);
    float yc[9];
    CHECK_OK(eo_nn_predict(b, x, 3, 0, yc, &err), &err);
    for (int i = 0; i < 9; i++)
        CHECK_CLOSE(yc[i], ya[i], 1e-5, 1e-6);
    eo_nn_destroy(a);
    eo_nn_destroy(b);
}

TEST(bad_files) {
    eo_nn *a = make_model();
    if (!a)
        return;
    unsigned char *d;
    size_t n;
    eo_error err;
    CHECK_OK(eo_nn_save_mem(a, &d, &n, &err), &err);
    eo_nn *b = (eo_nn *)1;
    /* truncated at every length in steps */
    int all_fail = 1;
    for (size_t k = 0; k < n; k += (k < 64 ? 1 : 97)) {
        eo_status st = eo_nn_load_mem(d, k, "m.eom", &b, &err);
        if (st == EO_STATUS_OK || b != NULL)
            all_fail = 0;
        if (k == 10)
            CHECK(st == EO_STATUS_BAD_FORMAT && strstr(err.msg, "m.eom") && strstr(err.msg, "too short"));
    }
    CHECK(all_fail);
    CHECK(eo_nn_load_mem(d, n - 100, "m.eom", &b, &err) == EO_STATUS_BAD_CHECKSUM);
    CHECK(strstr(err.msg, "CRC") != NULL);
    /* one flipped bit in the weights */
    d[n / 2] ^= 0x10;
    CHECK(eo_nn_load_mem(d, n, "m.eom", &b, &err) == EO_STATUS_BAD_CHECKSUM);
    d[n / 2] ^= 0x10;
    CHECK_OK(eo_nn_load_mem(d, n, "m.eom", &b, &err), &err);
    eo_nn_destroy(b);
    /* a future version */
    d[8] = 2;
    CHECK(eo_nn_load_mem(d, n, "m.eom", &b, &err) == EO_STATUS_UNSUPPORTED);
    CHECK(strstr(err.msg, "version 2") != NULL);
    d[8] = 1;
    /* foreign file */
    d[0] = 'X';
    CHECK(eo_nn_load_mem(d, n, "m.eom", &b, &err) == EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "magic") != NULL);
    d[0] = 'E';
    /* valid CRC but a spec that does not match the stored weights */
    unsigned char *sp = NULL;
    for (size_t i = 0; i + 8 <= n && !sp; i++)
        if (!memcmp(d + i, "conv(6,5", 8))
            sp = d + i;
    CHECK(sp != NULL);
    if (sp) {
        sp[5] = '7';
        uint32_t c = eo_crc32(0, d, n - 4);
        d[n - 4] = (unsigned char)c;
        d[n - 3] = (unsigned char)(c >> 8);
        d[n - 2] = (unsigned char)(c >> 16);
        d[n - 1] = (unsigned char)(c >> 24);
        CHECK(eo_nn_load_mem(d, n, "m.eom", &b, &err) == EO_STATUS_BAD_FORMAT);
        CHECK(strstr(err.msg, "parameters") != NULL);
        CHECK(b == NULL);
    }
    CHECK(eo_nn_load("/nonexistent/dir/x.eom", &b, &err) != EO_STATUS_OK);
    free(d);
    eo_nn_destroy(a);
}

int main(void)
{
    RUN(round_trip);
    RUN(bad_files);
    TEST_END();
}
