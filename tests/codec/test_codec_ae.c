/* Autoencoder codec mode: a tiny model trained here (DS1 record 101, a
 * few seconds of CPU) coding a DS2 record (100): round trip, rate and
 * distortion move with the step, latent quantiser bound, SHA-256, model
 * file round trip, wrong/missing model errors, corrupted files. */
#include <math.h>
#include <unistd.h>

#include "eo_test.h"

#include "../../src/codec/codec_internal.h"
#include "ecgopt/codec.h"
#include "ecgopt/rng.h"
#include "ecgopt/util.h"

static eo_wfdb_record *load(const char *name, long max_samples)
{
    char base[4200];
    snprintf(base, sizeof base, "%s/mitdb/%s", eo_test_data_dir(), name);
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    eo_error err;
    if (eo_wfdb_record_load(base, &ro, &r, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return NULL;
    }
    if (max_samples > 0 && r->n_samples > max_samples)
        r->n_samples = r->header->n_samples = max_samples;
    return r;
}

static eo_codec_ae *tiny_model(const eo_wfdb_record *tr, uint64_t seed, int segs, int epochs)
{
    eo_codec_ae_options ao;
    eo_codec_ae_defaults(&ao);
    ao.lambda = 0; /* the paper's MSE-only model (rate-distortion: test_codec_ae_rd) */
    memset(ao.pools, 0, sizeof ao.pools);
    ao.segment = 256;
    ao.latent_channels = 4; /* 4 x 8 = 32 latents per 256 samples */
    ao.filters = 8;
    ao.max_segments = segs;
    ao.epochs = epochs;
    ao.batch_size = 32;
    ao.lr = 3e-3;
    ao.seed = seed;
    eo_codec_ae *ae = NULL;
    eo_error err;
    const eo_wfdb_record *recs[1] = {tr};
    CHECK_OK(eo_codec_ae_train(recs, 1, &ao, &ae, &err), &err);
    return ae;
}

static unsigned char *encode(const eo_wfdb_record *r, const eo_codec_ae *ae, double step,
                             size_t *len, eo_codec_stats *cs)
{
    eo_codec_options o;
    eo_codec_defaults(&o);
    o.mode = EO_CODEC_AE;
    o.ae_model = ae;
    o.ae_step = step;
    o.block_seconds = 5;
    unsigned char *buf = NULL;
    eo_error err;
    CHECK_OK(eo_codec_encode(r, &o, &buf, len, cs, &err), &err);
    return buf;
}

static double prdn_of(const eo_wfdb_record *r, const unsigned char *buf, size_t len,
                      const eo_codec_ae *ae)
{
    eo_ecgz *z = NULL;
    eo_wfdb_record *d = NULL;
    eo_error err;
    double prdn = NAN;
    CHECK_OK(eo_ecgz_open_mem(buf, len, "ae.ecgz", &z, &err), &err);
    if (!z)
        return prdn;
    CHECK_EQ_INT(eo_ecgz_get_info(z)->mode, EO_CODEC_AE);
    CHECK_OK(eo_ecgz_set_ae_model(z, ae, &err), &err);
    CHECK_OK(eo_ecgz_to_record(z, &d, &err), &err);
    if (d) {
        CHECK_EQ_INT(d->n_samples, r->n_samples);
        CHECK_EQ_INT(d->n_signals, r->n_signals);
        eo_fidelity f;
        CHECK_OK(eo_codec_fidelity(r, d->adu, 0, r->n_samples, &f, &err), &err);
        prdn = f.prdn;
        /* seeking: a span read equals the whole-file decode */
        int32_t a[2][100], *pa[2] = {a[0], a[1]};
        CHECK_OK(eo_ecgz_read(z, 3000, 100, pa, &err), &err);
        CHECK(memcmp(a[0], d->adu[0] + 3000, sizeof a[0]) == 0);
    }
    eo_wfdb_record_destroy(d);
    eo_ecgz_close(z);
    return prdn;
}

static eo_wfdb_record *g_train, *g_test;
static eo_codec_ae *g_ae;

TEST(sha256_known_answers)
{
    uint8_t h[32];
    char hex[65];
    eo_sha256("abc", 3, h);
    eo_codec_hash_hex(h, 32, hex);
    CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
    eo_sha256("", 0, h);
    eo_codec_hash_hex(h, 32, hex);
    CHECK(strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    eo_sha256(m, strlen(m), h);
    eo_codec_hash_hex(h, 32, hex);
    CHECK(strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == 0);
}

TEST(quantiser_bound)
{
    eo_rng rng;
    eo_rng_seed(&rng, 5);
    double worst = 0;
    for (int i = 0; i < 100000; i++) {
        double sc = eo_rng_range(&rng, 1e-3, 2.0);
        float z = (float)eo_rng_range(&rng, -50, 50);
        double e = fabs(z - eo_ae_dequantise(eo_ae_quantise(z, sc), sc)) / sc;
        if (e > worst)
            worst = e;
    }
    CHECK(worst <= 0.5 + 1e-6);
    CHECK(worst > 0.49);
    CHECK_EQ_INT(eo_ae_quantise(0.26f, 0.1), 3);
    CHECK_EQ_INT(eo_ae_quantise(-0.26f, 0.1), -3);
}

TEST(round_trip_rate_distortion)
{
    if (!g_ae)
        return;
    CHECK_EQ_INT(eo_codec_ae_segment(g_ae), 256);
    CHECK_EQ_INT(eo_codec_ae_latent(g_ae), 32);
    size_t n_fine, n_coarse;
    eo_codec_stats s1, s2;
    unsigned char *fine = encode(g_test, g_ae, 0.05, &n_fine, &s1);
    unsigned char *coarse = encode(g_test, g_ae, 1.0, &n_coarse, &s2);
    if (fine && coarse) {
        double p1 = prdn_of(g_test, fine, n_fine, g_ae);
        double p2 = prdn_of(g_test, coarse, n_coarse, g_ae);
        fprintf(stderr, "ae tiny: step 0.05 CR %.2f PRDN %.1f%%; step 1 CR %.2f PRDN %.1f%%\n",
                s1.cr, p1, s2.cr, p2);
        /* a model that learned anything beats the segment mean alone (100%) */
        CHECK(p1 < 80.0);
        CHECK(p2 >= p1 * 0.98);
        CHECK(n_coarse < n_fine);
        CHECK(s2.cr > 8.0);
        /* deterministic: the same input gives the same bytes */
        size_t n3;
        unsigned char *again = encode(g_test, g_ae, 0.05, &n3, NULL);
        CHECK(again && n3 == n_fine && memcmp(again, fine, n3) == 0);
        free(again);
    }
    free(fine);
    free(coarse);
}

TEST(model_file_and_wrong_model)
{
    if (!g_ae)
        return;
    char path[] = "/tmp/eo_test_ae_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    eo_error err;
    CHECK_OK(eo_codec_ae_save(g_ae, path, &err), &err);
    eo_codec_ae *back = NULL;
    CHECK_OK(eo_codec_ae_load(path, &back, &err), &err);
    remove(path);
    if (!back)
        return;
    uint8_t h1[32], h2[32];
    eo_codec_ae_hash(g_ae, h1);
    eo_codec_ae_hash(back, h2);
    CHECK(memcmp(h1, h2, 32) == 0);
    CHECK(eo_codec_ae_model_bytes(back) > 1000);
    size_t n1, n2;
    unsigned char *a = encode(g_test, g_ae, 0.2, &n1, NULL);
    unsigned char *b = encode(g_test, back, 0.2, &n2, NULL);
    CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0);

    /* another model (other seed): refused, naming the file and both hashes */
    eo_codec_ae *other = tiny_model(g_train, 99, 200, 1);
    eo_ecgz *z = NULL;
    if (a)
        CHECK_OK(eo_ecgz_open_mem(a, n1, "rec100.ecgz", &z, &err), &err);
    if (z && other) {
        eo_status st = eo_ecgz_set_ae_model(z, other, &err);
        CHECK_EQ_INT(st, EO_STATUS_BAD_FORMAT);
        char hex[65];
        eo_codec_hash_hex(h1, 32, hex);
        CHECK(strstr(err.msg, "rec100.ecgz") && strstr(err.msg, hex));
        /* no model given: decoding refuses with the hash it needs */
        int32_t buf[2][10], *pb[2] = {buf[0], buf[1]};
        st = eo_ecgz_read(z, 0, 10, pb, &err);
        CHECK_EQ_INT(st, EO_STATUS_USAGE);
        CHECK(strstr(err.msg, "rec100.ecgz") && strstr(err.msg, hex));
    }
    eo_ecgz_close(z);
    /* no model at encode time */
    eo_codec_options o;
    eo_codec_defaults(&o);
    o.mode = EO_CODEC_AE;
    unsigned char *buf = NULL;
    size_t len;
    CHECK_EQ_INT(eo_codec_encode(g_test, &o, &buf, &len, NULL, &err), EO_STATUS_USAGE);
    free(a);
    free(b);
    eo_codec_ae_destroy(other);
    eo_codec_ae_destroy(back);
}

TEST(corrupt_file_clean_errors)
{
    if (!g_ae)
        return;
    long keep = g_test->n_samples;
    g_test->n_samples = g_test->header->n_samples = 1800; /* 5 s: a small file */
    size_t n;
    unsigned char *f = encode(g_test, g_ae, 0.5, &n, NULL);
    g_test->n_samples = g_test->header->n_samples = keep;
    if (!f)
        return;
    int32_t b0[1800], b1[1800], *pb[2] = {b0, b1};
    int detected = 0;
    for (size_t i = 0; i < n; i++) {
        f[i] ^= 0x5A;
        eo_ecgz *z = NULL;
        eo_error err;
        if (eo_ecgz_open_mem(f, n, "bad.ecgz", &z, &err) != EO_STATUS_OK) {
            CHECK(strstr(err.msg, "bad.ecgz") != NULL);
            detected++;
        } else {
            eo_status st = eo_ecgz_set_ae_model(z, g_ae, &err);
            if (!st)
                st = eo_ecgz_read(z, 0, eo_ecgz_get_info(z)->n_samples, pb, &err);
            if (st) {
                CHECK(strstr(err.msg, "bad.ecgz") != NULL);
                detected++;
            }
        }
        eo_ecgz_close(z);
        f[i] ^= 0x5A;
    }
    /* every flipped byte sits under a CRC or in the magic/trailer */
    CHECK_EQ_INT((long)detected, (long)n);
    for (size_t k = 0; k < n; k += 7) { /* truncations */
        eo_ecgz *z = NULL;
        eo_error err;
        CHECK(eo_ecgz_open_mem(f, k, "cut.ecgz", &z, &err) != EO_STATUS_OK);
        eo_ecgz_close(z);
    }
    free(f);
}

/* --embed-model: the file carries the .eom bytes; it decodes with no model
 * given, to exactly the samples of the hash-only file decoded with the
 * model; the CR is given with and without the model section; a damaged
 * or truncated model section is a clean error naming the file. */
TEST(embedded_model)
{
    if (!g_ae)
        return;
    long keep = g_test->n_samples;
    g_test->n_samples = g_test->header->n_samples = 3600; /* 10 s */
    eo_codec_options o;
    eo_codec_defaults(&o);
    o.mode = EO_CODEC_AE;
    o.ae_model = g_ae;
    o.ae_step = 0.2;
    o.block_seconds = 5;
    unsigned char *plain = NULL, *emb = NULL;
    size_t np = 0, ne = 0;
    eo_codec_stats sp, se;
    eo_error err;
    CHECK_OK(eo_codec_encode(g_test, &o, &plain, &np, &sp, &err), &err);
    o.embed_model = 1;
    CHECK_OK(eo_codec_encode(g_test, &o, &emb, &ne, &se, &err), &err);
    /* embedding in a lossless file is a usage error */
    o.mode = EO_CODEC_LOSSLESS;
    unsigned char *bad = NULL;
    size_t nb;
    CHECK_EQ_INT(eo_codec_encode(g_test, &o, &bad, &nb, NULL, &err), EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "autoencoder") != NULL);
    size_t mb = eo_codec_ae_model_bytes(g_ae);
    if (!plain || !emb) {
        free(plain);
        free(emb);
        g_test->n_samples = g_test->header->n_samples = keep;
        return;
    }
    /* sizes: exactly the model plus 12 bytes of framing */
    CHECK_EQ_INT((long)ne, (long)(np + mb + 12));
    CHECK_EQ_INT((long)se.model_section_bytes, (long)(mb + 12));
    CHECK_EQ_INT((long)se.model_bytes, (long)mb);
    CHECK_EQ_INT((long)sp.model_section_bytes, 0);
    CHECK_CLOSE(se.cr_without_model, sp.cr, 0, 1e-12);
    CHECK_CLOSE(sp.cr_without_model, sp.cr, 0, 1e-12);
    CHECK_CLOSE(se.cr, 11.0 * 2 * 3600 / (8.0 * (double)ne), 0, 1e-12);
    CHECK(se.cr < sp.cr);

    /* decode the embedded file from disk with no model given */
    char path[] = "/tmp/eo_test_emb_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    CHECK_OK(eo_write_file_atomic(path, emb, ne, &err), &err);
    eo_ecgz *zp = NULL, *ze = NULL;
    eo_wfdb_record *dp = NULL, *de = NULL;
    CHECK_OK(eo_ecgz_open_mem(plain, np, "plain.ecgz", &zp, &err), &err);
    if (zp) {
        CHECK_OK(eo_ecgz_set_ae_model(zp, g_ae, &err), &err);
        CHECK_OK(eo_ecgz_to_record(zp, &dp, &err), &err);
        CHECK_EQ_INT(eo_ecgz_get_info(zp)->model_embedded, 0);
    }
    CHECK_OK(eo_ecgz_open(path, &ze, &err), &err);
    remove(path);
    if (ze) {
        const eo_ecgz_info *in = eo_ecgz_get_info(ze);
        CHECK_EQ_INT(in->model_embedded, 1);
        CHECK_EQ_INT((long)in->model_bytes, (long)mb);
        uint8_t h[32];
        eo_codec_ae_hash(g_ae, h);
        CHECK(memcmp(h, in->model_hash, 32) == 0);
        CHECK_OK(eo_ecgz_to_record(ze, &de, &err), &err);
        /* giving the same model anyway is accepted; another one is refused */
        CHECK_OK(eo_ecgz_set_ae_model(ze, g_ae, &err), &err);
    }
    if (dp && de) {
        CHECK_EQ_INT(de->n_samples, 3600);
        for (int s = 0; s < 2; s++)
            CHECK(memcmp(dp->adu[s], de->adu[s], sizeof(int32_t) * 3600) == 0);
        eo_fidelity f;
        CHECK_OK(eo_codec_fidelity(g_test, de->adu, 0, 3600, &f, &err), &err);
        CHECK(f.prdn > 1 && f.prdn < 80);
    }
    eo_wfdb_record_destroy(dp);
    eo_wfdb_record_destroy(de);
    eo_ecgz_close(zp);
    eo_ecgz_close(ze);

    /* every byte of the model section flipped: CRC error naming the file
     * and the part; a flip with the CRC recomputed: SHA-256 mismatch */
    /* the section starts right after the header: find "EZMD" */
    size_t sec = 0;
    for (size_t i = 16; i + 4 <= ne; i++)
        if (memcmp(emb + i, "EZMD", 4) == 0) {
            sec = i;
            break;
        }
    CHECK(sec > 16);
    size_t crc_flips = 0;
    for (size_t i = sec; sec && i < sec + mb + 12; i++) {
        emb[i] ^= 0x10;
        eo_ecgz *z = NULL;
        eo_status st = eo_ecgz_open_mem(emb, ne, "emb.ecgz", &z, &err);
        if (st != EO_STATUS_OK && strstr(err.msg, "emb.ecgz: embedded model"))
            crc_flips++;
        eo_ecgz_close(z);
        emb[i] ^= 0x10;
    }
    CHECK_EQ_INT((long)crc_flips, (long)(mb + 12));
    if (sec) {
        size_t at = sec + 8 + mb / 2;
        emb[at] ^= 0x01;
        uint32_t c = eo_crc32(0, emb + sec, mb + 8);
        unsigned char old[4];
        memcpy(old, emb + sec + 8 + mb, 4);
        for (int k = 0; k < 4; k++)
            emb[sec + 8 + mb + k] = (unsigned char)(c >> (8 * k));
        eo_ecgz *z = NULL;
        CHECK_EQ_INT(eo_ecgz_open_mem(emb, ne, "emb.ecgz", &z, &err), EO_STATUS_BAD_FORMAT);
        CHECK(strstr(err.msg, "emb.ecgz: embedded model: sha256") != NULL);
        eo_ecgz_close(z);
        emb[at] ^= 0x01;
        memcpy(emb + sec + 8 + mb, old, 4);
        /* restored: opens again */
        CHECK_OK(eo_ecgz_open_mem(emb, ne, "emb.ecgz", &z, &err), &err);
        eo_ecgz_close(z);
    }
    /* truncation at every length: a clean error */
    long cut_fail = 0;
    for (size_t k = 0; k < ne; k++) {
        eo_ecgz *z = NULL;
        if (eo_ecgz_open_mem(emb, k, "cut.ecgz", &z, &err) != EO_STATUS_OK &&
            strstr(err.msg, "cut.ecgz"))
            cut_fail++;
        eo_ecgz_close(z);
    }
    CHECK_EQ_INT(cut_fail, (long)ne);
    free(plain);
    free(emb);
    g_test->n_samples = g_test->header->n_samples = keep;
}

/* --pools: a finer latent grid at 720 (3,4,2: 30 positions), the model
 * file keeps it, and bad pool sets are refused with the reason. */
TEST(custom_pools)
{
    if (!g_train)
        return;
    eo_codec_ae_options ao;
    eo_codec_ae_defaults(&ao);
    ao.lambda = 0;
    ao.latent_channels = 2;
    ao.filters = 4;
    ao.max_segments = 300;
    ao.epochs = 3;
    ao.batch_size = 32;
    ao.pools[0] = 3;
    ao.pools[1] = 4;
    ao.pools[2] = 2;
    const eo_wfdb_record *recs[1] = {g_train};
    eo_codec_ae *ae = NULL;
    eo_error err;
    CHECK_OK(eo_codec_ae_train(recs, 1, &ao, &ae, &err), &err);
    if (!ae)
        return;
    CHECK_EQ_INT(eo_codec_ae_segment(ae), 720);
    CHECK_EQ_INT(eo_codec_ae_latent(ae), 2 * 720 / 24);
    char path[] = "/tmp/eo_ae_pools_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    eo_codec_ae *back = NULL;
    CHECK_OK(eo_codec_ae_save(ae, path, &err), &err);
    CHECK_OK(eo_codec_ae_load(path, &back, &err), &err);
    unlink(path);
    if (back) {
        CHECK_EQ_INT(eo_codec_ae_latent(back), 60);
        size_t n1, n2;
        unsigned char *a = encode(g_test, ae, 0.1, &n1, NULL);
        unsigned char *b = encode(g_test, back, 0.1, &n2, NULL);
        CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
        if (a) {
            double p = prdn_of(g_test, a, n1, back);
            CHECK(isfinite(p) && p > 0 && p < 150.0);
        }
        free(a);
        free(b);
    }
    eo_codec_ae_destroy(back);
    eo_codec_ae_destroy(ae);

    static const int bad[2][3] = {{4, 5, 7}, {0, 4, 2}};
    static const char *const why[2] = {"does not divide", "pool size 0"};
    for (int k = 0; k < 2; k++) {
        memcpy(ao.pools, bad[k], sizeof ao.pools);
        eo_codec_ae *x = NULL;
        CHECK(eo_codec_ae_train(recs, 1, &ao, &x, &err) == EO_STATUS_USAGE);
        CHECK(x == NULL && strstr(err.msg, why[k]) != NULL);
    }
}

int main(void)
{
    g_train = load("101", 360 * 120); /* DS1 */
    g_test = load("100", 360 * 20);   /* DS2 */
    CHECK(g_train && g_test);
    if (g_train)
        g_ae = tiny_model(g_train, 1, 1500, 20);
    RUN(sha256_known_answers);
    RUN(quantiser_bound);
    RUN(round_trip_rate_distortion);
    RUN(model_file_and_wrong_model);
    RUN(corrupt_file_clean_errors);
    RUN(embedded_model);
    RUN(custom_pools);
    eo_codec_ae_destroy(g_ae);
    eo_wfdb_record_destroy(g_train);
    eo_wfdb_record_destroy(g_test);
    TEST_END();
}
