/* .ecgz container: round trips, seeking, every single-byte corruption and
 * every truncation of a small file gives a clean error, other sampling
 * rates, bad options, the entropy coder on extreme values. */
#include "eo_test.h"

#include "codec/codec_internal.h"
#include "codec_test_util.h"
#include "ecgopt/util.h"

/* residual coder used by encode() for the lossless/bounded modes */
static eo_codec_coder g_coder = EO_CODEC_CODER_PLAIN;

static void encode(const eo_wfdb_record *r, eo_codec_mode mode, int e, double block_s,
                   unsigned char **buf, size_t *len)
{
    eo_codec_options o;
    eo_codec_defaults(&o);
    o.mode = mode;
    o.coder = g_coder;
    o.max_error_adu = e;
    o.block_seconds = block_s;
    o.target_prdn = 5;
    eo_error err;
    *buf = NULL;
    CHECK_OK(eo_codec_encode(r, &o, buf, len, NULL, &err), &err);
}

static int decode_all(const unsigned char *buf, size_t len, eo_wfdb_record **out, eo_error *err)
{
    eo_ecgz *z;
    *out = NULL;
    eo_status st = eo_ecgz_open_mem(buf, len, "t.ecgz", &z, err);
    if (st)
        return (int)st;
    st = eo_ecgz_to_record(z, out, err);
    eo_ecgz_close(z);
    return (int)st;
}

TEST(int_coder_extremes)
{
    int32_t vals[] = {0, 1, -1, 2, -2, 3, 1000, -1000, 65535, -65536, (1 << 23) - 1,
                      -((1 << 23) - 1), 2147483646, -2147483646, 7, 0, 0, 0};
    size_t nv = sizeof vals / sizeof vals[0];
    eo_bytes b = {0};
    eo_rc_enc e;
    eo_int_coder ic;
    CHECK(eo_int_coder_init(&ic, 5) == 0);
    eo_rc_enc_init(&e, &b);
    for (int rep = 0; rep < 50; rep++)
        for (size_t i = 0; i < nv; i++)
            eo_int_encode(&ic, &e, (int)(i % 7) - 1, vals[i]);
    eo_rc_enc_raw(&e, 0x2A5u, 10);
    eo_rc_enc_finish(&e);
    eo_int_coder_reset(&ic);
    eo_rc_dec d;
    eo_rc_dec_init(&d, b.p, b.n);
    int bad = 0;
    for (int rep = 0; rep < 50; rep++)
        for (size_t i = 0; i < nv; i++)
            bad += eo_int_decode(&ic, &d, (int)(i % 7) - 1) != vals[i];
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(eo_rc_dec_raw(&d, 10), 0x2A5);
    CHECK_EQ_INT(d.overrun, 0);
    CHECK_EQ_INT(d.pos, b.n);
    eo_int_coder_destroy(&ic);
    free(b.p);
}

TEST(roundtrip_modes_and_seek)
{
    eo_wfdb_record *r = synth_record(2, 5000, 360, 7);
    for (int v = 0; v < 5; v++) { /* 3, 4: lossless, bounded with the mixing coder */
        int m = v < 3 ? v : v - 3;
        g_coder = v < 3 ? EO_CODEC_CODER_PLAIN : EO_CODEC_CODER_MIX;
        unsigned char *buf;
        size_t len;
        encode(r, (eo_codec_mode)m, 2, 1.0, &buf, &len);
        eo_error err;
        eo_ecgz *z;
        CHECK_OK(eo_ecgz_open_mem(buf, len, "t.ecgz", &z, &err), &err);
        const eo_ecgz_info *info = eo_ecgz_get_info(z);
        CHECK_EQ_INT(info->n_blocks, 14); /* 5000 / 360 */
        CHECK_EQ_INT(info->n_samples, 5000);
        CHECK_EQ_INT(info->n_signals, 2);
        CHECK_CLOSE(info->fs_hz, 360, 0, 0);
        CHECK(strcmp(info->signals[1].description, "V5") == 0);
        CHECK_EQ_INT(info->signals[0].adc_zero, 1024);
        CHECK_EQ_INT(info->signals[0].adc_resolution, 11);
        CHECK_EQ_INT(info->coder, m == EO_CODEC_WAVELET ? EO_CODEC_CODER_PLAIN : g_coder);
        eo_wfdb_record *d;
        CHECK_OK(eo_ecgz_to_record(z, &d, &err), &err);
        eo_fidelity f;
        eo_codec_fidelity(r, d->adu, 0, r->n_samples, &f, &err);
        if (m == EO_CODEC_LOSSLESS)
            CHECK_EQ_INT(f.max_abs_error, 0);
        if (m == EO_CODEC_BOUNDED)
            CHECK(f.max_abs_error <= 2 && f.max_abs_error >= 1);
        if (m == EO_CODEC_WAVELET)
            CHECK_MSG(f.prdn <= 5.0 + 1e-9 && f.prdn > 1.0, "prdn %g", f.prdn);
        /* seek: a span crossing block borders equals the whole decode */
        int32_t a[2][900], *pa[2] = {a[0], a[1]};
        CHECK_OK(eo_ecgz_read(z, 1000, 900, pa, &err), &err);
        int diff = 0;
        for (int s = 0; s < 2; s++)
            for (int i = 0; i < 900; i++)
                diff += a[s][i] != d->adu[s][1000 + i];
        CHECK_EQ_INT(diff, 0);
        CHECK_OK(eo_ecgz_read(z, 4999, 1, pa, &err), &err);
        CHECK_EQ_INT(a[1][0], d->adu[1][4999]);
        CHECK(eo_ecgz_read(z, 4990, 11, pa, &err) == EO_STATUS_OUT_OF_RANGE);
        eo_wfdb_record_destroy(d);
        eo_ecgz_close(z);
        free(buf);
    }
    g_coder = EO_CODEC_CODER_PLAIN;
    eo_wfdb_record_destroy(r);
}

/* Damage in one block: reading another block still works, reading the
 * damaged one names it. */
TEST(seek_past_damaged_block)
{
    eo_wfdb_record *r = synth_record(1, 3600, 360, 3);
    unsigned char *buf;
    size_t len;
    encode(r, EO_CODEC_LOSSLESS, 0, 2.0, &buf, &len); /* 5 blocks of 720 */
    eo_error err;
    eo_ecgz *z;
    CHECK_OK(eo_ecgz_open_mem(buf, len, "t.ecgz", &z, &err), &err);
    eo_ecgz_close(z);
    /* find block 2 by its header: u32 2, u32 720 */
    size_t at = 0;
    for (size_t i = 0; i + 8 < len; i++)
        if (buf[i] == 2 && !buf[i + 1] && !buf[i + 2] && !buf[i + 3] && buf[i + 4] == 0xD0 &&
            buf[i + 5] == 2 && !buf[i + 6] && !buf[i + 7]) {
            at = i;
            break;
        }
    CHECK(at > 0);
    buf[at + 20] ^= 0x10;
    CHECK_OK(eo_ecgz_open_mem(buf, len, "t.ecgz", &z, &err), &err);
    int32_t v[720], *pv[1] = {v};
    CHECK_OK(eo_ecgz_read(z, 3 * 720, 720, pv, &err), &err);
    CHECK_EQ_INT(v[5], r->adu[0][3 * 720 + 5]);
    eo_status st = eo_ecgz_read(z, 2 * 720 + 10, 5, pv, &err);
    CHECK(st == EO_STATUS_BAD_CHECKSUM);
    CHECK_MSG(strstr(err.msg, "block 2 (4.0-6.0 s)") != NULL, "%s", err.msg);
    eo_ecgz_close(z);
    free(buf);
    eo_wfdb_record_destroy(r);
}

TEST(every_byte_flipped)
{
    eo_wfdb_record *r = synth_record(2, 900, 360, 11);
    for (int v = 0; v < 5; v++) { /* 3, 4: lossless, bounded with the mixing coder */
        int m = v < 3 ? v : v - 3;
        g_coder = v < 3 ? EO_CODEC_CODER_PLAIN : EO_CODEC_CODER_MIX;
        unsigned char *buf;
        size_t len;
        encode(r, (eo_codec_mode)m, 1, 1.0, &buf, &len);
        CHECK(len > 100);
        int clean = 0;
        for (size_t i = 0; i < len; i++) {
            for (int k = 0; k < 2; k++) {
                unsigned char save = buf[i];
                buf[i] ^= k ? 0xFF : 0x01;
                eo_wfdb_record *d;
                eo_error err;
                int st = decode_all(buf, len, &d, &err);
                buf[i] = save;
                if (st == 0) {
                    eo_wfdb_record_destroy(d);
                    continue;
                }
                /* an error with a one-line message naming the file */
                if (strstr(err.msg, "t.ecgz") && !strchr(err.msg, '\n'))
                    clean++;
                else
                    fprintf(stderr, "flip %zu: %s\n", i, err.msg);
            }
        }
        /* every byte is under a CRC: every flip must be detected */
        CHECK_EQ_INT(clean, (long long)(2 * len));
        free(buf);
    }
    g_coder = EO_CODEC_CODER_PLAIN;
    eo_wfdb_record_destroy(r);
}

TEST(every_truncation)
{
    eo_wfdb_record *r = synth_record(2, 900, 360, 12);
    unsigned char *buf;
    size_t len;
    encode(r, EO_CODEC_BOUNDED, 1, 1.0, &buf, &len);
    int errors = 0;
    for (size_t n = 0; n < len; n++) {
        eo_wfdb_record *d;
        eo_error err;
        if (decode_all(buf, n, &d, &err) != 0)
            errors++;
        else
            eo_wfdb_record_destroy(d);
    }
    CHECK_EQ_INT(errors, (long long)len);
    eo_wfdb_record *d;
    eo_error err;
    CHECK_EQ_INT(decode_all(buf, len, &d, &err), 0);
    eo_wfdb_record_destroy(d);
    /* a reader names the problem */
    eo_ecgz *z;
    CHECK(eo_ecgz_open_mem(buf, len - 1, "cut.ecgz", &z, &err) != EO_STATUS_OK);
    CHECK_MSG(strstr(err.msg, "cut.ecgz") && strstr(err.msg, "trailer"), "%s", err.msg);
    CHECK(eo_ecgz_open_mem(buf, 10, "cut.ecgz", &z, &err) == EO_STATUS_BAD_FORMAT);
    free(buf);
    eo_wfdb_record_destroy(r);
}

TEST(other_sampling_rates_and_lengths)
{
    double rates[] = {128, 250, 500, 1000};
    long lens[] = {0, 1, 7, 3001};
    for (int i = 0; i < 4; i++) {
        eo_wfdb_record *r = synth_record(3, lens[i], rates[i], 20 + (uint64_t)i);
        for (int m = 0; m < 3; m++) {
            unsigned char *buf;
            size_t len;
            encode(r, (eo_codec_mode)m, 3, 0.5, &buf, &len);
            eo_wfdb_record *d;
            eo_error err;
            CHECK_EQ_INT(decode_all(buf, len, &d, &err), 0);
            if (!d)
                continue;
            CHECK_CLOSE(d->fs_hz, rates[i], 0, 0);
            CHECK_EQ_INT(d->n_samples, lens[i]);
            CHECK_EQ_INT(d->n_signals, 3);
            if (m != EO_CODEC_WAVELET && lens[i] > 0) {
                eo_fidelity f;
                eo_codec_fidelity(r, d->adu, 0, r->n_samples, &f, &err);
                CHECK(f.max_abs_error <= (m == EO_CODEC_BOUNDED ? 3 : 0));
            }
            eo_wfdb_record_destroy(d);
            free(buf);
        }
        eo_wfdb_record_destroy(r);
    }
}

TEST(bad_options_and_inputs)
{
    eo_wfdb_record *r = synth_record(1, 100, 360, 1);
    eo_codec_options o;
    eo_codec_defaults(&o);
    unsigned char *buf;
    size_t len;
    eo_error err;
    o.mode = EO_CODEC_AE; /* no model given */
    CHECK(eo_codec_encode(r, &o, &buf, &len, NULL, &err) == EO_STATUS_USAGE);
    CHECK_MSG(strstr(err.msg, "model") != NULL, "%s", err.msg);
    eo_codec_defaults(&o);
    o.block_seconds = 0;
    CHECK(eo_codec_encode(r, &o, &buf, &len, NULL, &err) == EO_STATUS_USAGE);
    eo_codec_defaults(&o);
    o.mode = EO_CODEC_BOUNDED;
    o.max_error_adu = -1;
    CHECK(eo_codec_encode(r, &o, &buf, &len, NULL, &err) == EO_STATUS_USAGE);
    eo_codec_defaults(&o);
    r->adu[0][50] = 1 << 24;
    CHECK(eo_codec_encode(r, &o, &buf, &len, NULL, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK_MSG(strstr(err.msg, "sample 50") != NULL, "%s", err.msg);
    r->adu[0][50] = -EO_CODEC_MAX_ABS_ADU;
    r->adu[0][51] = EO_CODEC_MAX_ABS_ADU;
    CHECK_OK(eo_codec_encode(r, &o, &buf, &len, NULL, &err), &err);
    eo_wfdb_record *d;
    CHECK_EQ_INT(decode_all(buf, len, &d, &err), 0);
    int diff = 0;
    for (long i = 0; i < r->n_samples; i++)
        diff += d->adu[0][i] != r->adu[0][i];
    CHECK_EQ_INT(diff, 0);
    eo_wfdb_record_destroy(d);
    /* future version, and version 1 (other predictive coder): refused */
    buf[8] = 9;
    CHECK(decode_all(buf, len, &d, &err) == EO_STATUS_UNSUPPORTED);
    buf[8] = 1;
    CHECK(decode_all(buf, len, &d, &err) == EO_STATUS_UNSUPPORTED);
    CHECK(strstr(err.msg, "version 1") != NULL);
    free(buf);
    CHECK(eo_codec_mode_parse("nope", &o.mode, &err) == EO_STATUS_USAGE);
    eo_ecgz_close(NULL);
    eo_wfdb_record_destroy(r);
}

TEST(file_write_atomic)
{
    eo_wfdb_record *r = synth_record(2, 2000, 360, 5);
    char path[4200];
    snprintf(path, sizeof path, "%s/test_codec_container.ecgz", EO_TEST_BINARY_DIR);
    eo_codec_options o;
    eo_codec_defaults(&o);
    eo_codec_stats cs;
    eo_error err;
    CHECK_OK(eo_codec_compress_file(r, &o, path, &cs, &err), &err);
    eo_ecgz *z;
    CHECK_OK(eo_ecgz_open(path, &z, &err), &err);
    if (z) {
        CHECK_EQ_INT(eo_ecgz_get_info(z)->file_bytes, cs.file_bytes);
        /* CR counts every byte: 11 bits x 4000 samples / file bits */
        CHECK_CLOSE(cs.cr, 11.0 * 4000 / (8.0 * (double)cs.file_bytes), 1e-12, 0);
        eo_ecgz_close(z);
    }
    remove(path);
    CHECK(eo_ecgz_open(path, &z, &err) != EO_STATUS_OK);
    eo_wfdb_record_destroy(r);
}

/* Block-parallel coding: the file and the decoded samples do not depend on
 * the thread count. */
TEST(threads_same_result)
{
    eo_wfdb_record *r = synth_record(2, 7000, 360, 9);
    for (int m = 0; m < 3; m++) {
        unsigned char *b1 = NULL, *b3 = NULL;
        size_t l1 = 0, l3 = 0;
        eo_codec_options o;
        eo_codec_defaults(&o);
        o.mode = (eo_codec_mode)m;
        o.block_seconds = 1.0;
        o.wavelet_step = 6;
        eo_error err;
        CHECK_OK(eo_codec_encode(r, &o, &b1, &l1, NULL, &err), &err);
        o.threads = 3;
        CHECK_OK(eo_codec_encode(r, &o, &b3, &l3, NULL, &err), &err);
        CHECK(l1 == l3 && b1 && b3 && memcmp(b1, b3, l1) == 0);
        eo_ecgz *z;
        CHECK_OK(eo_ecgz_open_mem(b3, l3, "t.ecgz", &z, &err), &err);
        if (z) {
            eo_ecgz_set_threads(z, 4);
            eo_wfdb_record *d1 = NULL, *d4 = NULL;
            CHECK_OK(eo_ecgz_to_record(z, &d4, &err), &err);
            eo_ecgz_set_threads(z, 1);
            CHECK_OK(eo_ecgz_to_record(z, &d1, &err), &err);
            long diff = 0;
            for (int s = 0; d1 && d4 && s < 2; s++)
                for (long i = 0; i < r->n_samples; i++)
                    diff += d1->adu[s][i] != d4->adu[s][i] ||
                            (m == 0 && d1->adu[s][i] != r->adu[s][i]);
            CHECK_EQ_INT(diff, 0);
            eo_wfdb_record_destroy(d1);
            eo_wfdb_record_destroy(d4);
            eo_ecgz_close(z);
        }
        /* a damaged block is reported with several threads too */
        b3[l3 / 2] ^= 0x08;
        eo_wfdb_record *d;
        eo_ecgz *z2;
        eo_status st = eo_ecgz_open_mem(b3, l3, "t.ecgz", &z2, &err);
        if (st == EO_STATUS_OK) {
            eo_ecgz_set_threads(z2, 3);
            st = eo_ecgz_to_record(z2, &d, &err);
            CHECK(st != EO_STATUS_OK);
            CHECK_MSG(strstr(err.msg, "t.ecgz: block") != NULL, "%s", err.msg);
            eo_ecgz_close(z2);
        }
        free(b1);
        free(b3);
    }
    eo_wfdb_record_destroy(r);
}

int main(void)
{
    RUN(int_coder_extremes);
    RUN(roundtrip_modes_and_seek);
    RUN(seek_past_damaged_block);
    RUN(every_byte_flipped);
    RUN(every_truncation);
    RUN(other_sampling_rates_and_lengths);
    RUN(bad_options_and_inputs);
    RUN(file_write_atomic);
    RUN(threads_same_result);
    TEST_END();
}
