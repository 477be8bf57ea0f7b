/* io: known answers for every signal format on small hand-made files
 * (bytes worked out by hand from signal(5)), header parsing, skew, byte
 * offset, samples per frame, multi-segment records with layout and null
 * segments, the streaming reader, and bad input with its error message. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/wfdb.h"
#include "eo_test.h"

static char DIR_[64];

static void put(const char *name, const void *data, size_t n)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", DIR_, name);
    FILE *f = fopen(p, "wb");
    if (!f) {
        CHECK(0);
        return;
    }
    fwrite(data, 1, n, f);
    fclose(f);
}

static void put_text(const char *name, const char *text)
{
    put(name, text, strlen(text));
}

static eo_wfdb_record *load(const char *rec, int verify, eo_error *err)
{
    char base[256];
    snprintf(base, sizeof base, "%s/%s", DIR_, rec);
    eo_wfdb_read_options o;
    eo_wfdb_read_defaults(&o);
    o.verify = verify;
    eo_wfdb_record *r = NULL;
    eo_wfdb_record_load(base, &o, &r, err);
    return r;
}

/* one record per format: 1 signal, values known by hand */
static void check_format(const char *hea, const unsigned char *bytes, size_t nb, const int32_t *want,
                         int n)
{
    put_text("f.hea", hea);
    put("f.dat", bytes, nb);
    eo_error err;
    eo_wfdb_record *r = load("f", 1, &err);
    CHECK_MSG(r != NULL, "%s -> %s", hea, err.msg);
    if (!r)
        return;
    CHECK_EQ_INT(r->n_samples, n);
    for (int i = 0; i < n && i < r->n_samples; i++)
        CHECK_MSG(r->adu[0][i] == want[i], "%.12s sample %d = %d, want %d", hea, i, r->adu[0][i],
                  want[i]);
    eo_wfdb_record_destroy(r);
}

TEST(format_known_answers)
{
    {   /* 16: little-endian two's complement; -32768 is the invalid value */
        static const unsigned char b[] = {0x34, 0x12, 0x00, 0x80, 0xff, 0xff};
        static const int32_t w[] = {4660, EO_WFDB_INVALID, -1};
        check_format("f 1 100 3\nf.dat 16 100 16 0 4660 -28109 0 x\n", b, sizeof b, w, 3);
    }
    {   /* 61: big-endian */
        static const unsigned char b[] = {0x12, 0x34, 0xff, 0xfe};
        static const int32_t w[] = {4660, -2};
        check_format("f 1 100 2\nf.dat 61 100 16 0 4660 4658 0 x\n", b, sizeof b, w, 2);
    }
    {   /* 80: offset binary, 0x00 = -128 = invalid */
        static const unsigned char b[] = {0x80, 0xff, 0x7f, 0x00};
        static const int32_t w[] = {0, 127, -1, EO_WFDB_INVALID};
        check_format("f 1 100 4\nf.dat 80 100 8 0 0 -2 0 x\n", b, sizeof b, w, 4);
    }
    {   /* 160: offset binary 16-bit */
        static const unsigned char b[] = {0x00, 0x80, 0xff, 0xff, 0x01, 0x00};
        static const int32_t w[] = {0, 32767, -32767};
        check_format("f 1 100 3\nf.dat 160 100 16 0 0 0 0 x\n", b, sizeof b, w, 3);
    }
    {   /* 8: first differences from the initial value 10 */
        static const unsigned char b[] = {0x05, 0xfe, 0x7f};
        static const int32_t w[] = {15, 13, 140};
        check_format("f 1 100 3\nf.dat 8 100 8 0 10 168 0 x\n", b, sizeof b, w, 3);
    }
    {   /* 212, one signal, odd count: pair (291, -1), then -2 in 2 bytes */
        static const unsigned char b[] = {0x23, 0xf1, 0xff, 0xfe, 0x0f};
        static const int32_t w[] = {291, -1, -2};
        check_format("f 1 100 3\nf.dat 212 100 12 0 291 288 0 x\n", b, sizeof b, w, 3);
    }
    {   /* 310: w0 = 0x6002, w1 = 0x4ffe -> 1, -1, 300 */
        static const unsigned char b[] = {0x02, 0x60, 0xfe, 0x4f};
        static const int32_t w[] = {1, -1, 300};
        check_format("f 1 100 3\nf.dat 310 100 10 0 1 300 0 x\n", b, sizeof b, w, 3);
    }
    {   /* 311: w = 0x12cffc01 -> 1, -1, 300; then 2 bytes -> -512 (invalid) */
        static const unsigned char b[] = {0x01, 0xfc, 0xcf, 0x12, 0x00, 0x02};
        static const int32_t w[] = {1, -1, 300, EO_WFDB_INVALID};
        check_format("f 1 100 4\nf.dat 311 100 10 0 1 -212 0 x\n", b, sizeof b, w, 4);
    }
    {   /* 24 and 32 */
        static const unsigned char b[] = {0x01, 0x00, 0x80, 0xff, 0xff, 0x7f};
        static const int32_t w[] = {-8388607, 8388607};
        check_format("f 1 100 2\nf.dat 24 100 24 0 -8388607 0 0 x\n", b, sizeof b, w, 2);
        static const unsigned char c[] = {0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x01, 0x00};
        static const int32_t v[] = {-1, 65536};
        check_format("f 1 100 2\nf.dat 32 100 32 0 -1 -1 0 x\n", c, sizeof c, v, 2);
    }
}

/* 212 with two signals interleaved, as in MIT-BIH */
TEST(format_212_two_signals_physical)
{
    static const unsigned char b[] = {0x23, 0xf1, 0xff, 0xfe, 0x7f, 0xff};
    put_text("t.hea", "t 2 360 2\r\nt.dat 212 200(1024)/mV 11 1024 291 289 0 MLII\r\n"
                      "t.dat 212 100 11 0 -1 2046 0 V 5\r\n# comment\r\n");
    put("t.dat", b, sizeof b);
    eo_error err;
    eo_wfdb_record *r = load("t", 1, &err);
    CHECK_MSG(r != NULL, "%s", err.msg);
    if (!r)
        return;
    CHECK_EQ_INT(r->adu[0][0], 291);
    CHECK_EQ_INT(r->adu[1][0], -1);
    CHECK_EQ_INT(r->adu[0][1], -2);
    CHECK_EQ_INT(r->adu[1][1], 2047);
    CHECK(strcmp(r->header->signals[1].description, "V 5") == 0);
    CHECK_EQ_INT(eo_wfdb_find_signal(r->header, "V 5"), 1);
    CHECK_EQ_INT(eo_wfdb_find_signal(r->header, "MLII"), 0);
    CHECK_EQ_INT(eo_wfdb_find_signal(r->header, "V1"), -1);
    CHECK_EQ_INT(r->header->signals[1].baseline, 0);
    CHECK_EQ_INT(r->header->n_comments, 1);
    double mv[2];
    CHECK_OK(eo_wfdb_record_physical(r, 0, 0, 2, mv, &err), &err);
    CHECK_CLOSE(mv[0], (291.0 - 1024.0) / 200.0, 0, 1e-15);
    CHECK_CLOSE(mv[1], (-2.0 - 1024.0) / 200.0, 0, 1e-15);
    CHECK_OK(eo_wfdb_record_physical(r, 1, 1, 1, mv, &err), &err);
    CHECK_CLOSE(mv[0], 20.47, 0, 1e-12);
    CHECK(eo_wfdb_record_physical(r, 1, 1, 5, mv, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(isnan(eo_wfdb_adu_to_mv(&r->header->signals[0], EO_WFDB_INVALID)));
    eo_wfdb_record_destroy(r);
}

TEST(header_fields)
{
    const char *t = "rec/3 2 500/1000(12) 6000 12:30:00 01/02/2003\n"
                    "a 100\n~ 50\nb 5850\n";
    eo_wfdb_header *h = NULL;
    eo_error err;
    CHECK_OK(eo_wfdb_header_parse(t, strlen(t), "rec.hea", &h, &err), &err);
    if (h) {
        CHECK_EQ_INT(h->n_segments, 3);
        CHECK_CLOSE(h->fs_hz, 500, 0, 0);
        CHECK_CLOSE(h->counter_freq, 1000, 0, 0);
        CHECK_CLOSE(h->base_counter, 12, 0, 0);
        CHECK_EQ_INT(h->n_samples, 6000);
        CHECK(strcmp(h->base_time, "12:30:00") == 0);
        CHECK(strcmp(h->base_date, "01/02/2003") == 0);
        CHECK(strcmp(h->segments[1].record_name, "~") == 0);
        CHECK_EQ_INT(h->segments[2].n_samples, 5850);
        char *txt = NULL;
        CHECK_OK(eo_wfdb_header_format(h, &txt, &err), &err);
        eo_wfdb_header *h2 = NULL;
        if (txt)
            CHECK_OK(eo_wfdb_header_parse(txt, strlen(txt), "again", &h2, &err), &err);
        if (h2) {
            CHECK_EQ_INT(h2->n_segments, 3);
            CHECK_CLOSE(h2->base_counter, 12, 0, 0);
            CHECK(strcmp(h2->base_date, "01/02/2003") == 0);
        }
        eo_wfdb_header_destroy(h2);
        free(txt);
    }
    eo_wfdb_header_destroy(h);
    /* defaults: fs 250, gain 200, baseline = ADC zero, resolution by format */
    t = "x 1\nx.dat 212x4:3+512\n";
    CHECK_OK(eo_wfdb_header_parse(t, strlen(t), "x.hea", &h, &err), &err);
    if (h) {
        CHECK_CLOSE(h->fs_hz, 250, 0, 0);
        CHECK_EQ_INT(h->n_samples, -1);
        CHECK_EQ_INT(h->signals[0].samples_per_frame, 4);
        CHECK_EQ_INT(h->signals[0].skew, 3);
        CHECK_EQ_INT(h->signals[0].byte_offset, 512);
        CHECK_EQ_INT(h->signals[0].adc_resolution, 12);
        CHECK_CLOSE(h->signals[0].gain, 200, 0, 0);
        CHECK_EQ_INT(h->signals[0].gain_given, 0);
        CHECK(strcmp(h->signals[0].units, "mV") == 0);
    }
    eo_wfdb_header_destroy(h);
    eo_wfdb_header_destroy(NULL);
}

/* Each bad header gives one line naming the file, the line and the field. */
TEST(header_bad_input)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"r 1 0 10\nr.dat 16\n", "line 1: sampling frequency '0' must be a number > 0"},
        {"r 1 -360 10\nr.dat 16\n", "line 1: sampling frequency"},
        {"r\n", "line 1: record line has 1 fields"},
        {"r 1 360 10 1:00 1/1/2000 extra\n", "line 1: record line has 7 fields"},
        {"r 2 360 10\nr.dat 16\n", "line 2: 1 signal lines, expected 2"},
        {"r 1 360 10\nr.dat 16\nr.dat 16\n", "line 3: more signal lines than the 1 declared"},
        {"r 1 360 10\nr.dat 17\n", "line 2: unknown signal format '17'"},
        {"r 1 360 10\nr.dat\n", "line 2: signal line has 1 field(s)"},
        {"r 1 360 10\nr.dat 16 abc\n", "line 2: ADC gain 'abc' is not a number"},
        {"r 1 360 10\nr.dat 16 200(x)\n", "line 2: baseline"},
        {"r 1 360 ten\n", "line 1: number of samples 'ten'"},
        {"r x 360\n", "line 1: number of signals 'x'"},
        {"r/2 1 360 10\nseg 10\n", "1 segment lines, expected 2"},
        {"# only a comment\n", "no record line"},
        {"r 1 360 10\nr.dat 16x0\n", "bad format modifier"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        eo_wfdb_header *h = NULL;
        eo_error err;
        eo_error_clear(&err);
        eo_status st = eo_wfdb_header_parse(cases[i].text, strlen(cases[i].text), "r.hea", &h, &err);
        CHECK_MSG(st != EO_STATUS_OK && h == NULL, "case %zu accepted", i);
        CHECK_MSG(strstr(err.msg, "r.hea: ") == err.msg && strstr(err.msg, cases[i].want),
                  "case %zu: message '%s' lacks '%s'", i, err.msg, cases[i].want);
        CHECK(strchr(err.msg, '\n') == NULL);
    }
}

TEST(bad_records)
{
    eo_error err;
    /* truncated .dat: 4 frames of 212 x2 need 6 bytes */
    static const unsigned char b[] = {0x23, 0xf1, 0xff, 0xfe, 0x7f, 0xff, 0x00};
    put_text("tr.hea", "tr 2 360 4\ntr.dat 212 200 12 0 291 289 0 a\ntr.dat 212 200 12 0 -1 2046 0 b\n");
    put("tr.dat", b, sizeof b);
    eo_wfdb_record *r = load("tr", 1, &err);
    CHECK(r == NULL && err.status == EO_STATUS_BAD_FORMAT);
    CHECK_MSG(strstr(err.msg, "tr.dat: truncated") && strstr(err.msg, "need 12 bytes") &&
                  strstr(err.msg, "ends at byte 7"),
              "%s", err.msg);
    /* wrong checksum */
    put_text("ck.hea", "ck 2 360 2\nck.dat 212 200 12 0 291 289 0 a\nck.dat 212 200 12 0 -1 2000 0 b\n");
    put("ck.dat", b, 6);
    r = load("ck", 1, &err);
    CHECK(r == NULL && err.status == EO_STATUS_BAD_CHECKSUM);
    CHECK_MSG(strstr(err.msg, "ck.hea: signal 1 (b): checksum of the 2 samples is 2046, header says 2000"),
              "%s", err.msg);
    r = load("ck", 0, &err); /* --no-verify */
    CHECK(r != NULL);
    eo_wfdb_record_destroy(r);
    /* wrong initial value */
    put_text("iv.hea", "iv 2 360 2\niv.dat 212 200 12 0 290 289 0 a\niv.dat 212 200 12 0 -1 2046 0 b\n");
    put("iv.dat", b, 6);
    r = load("iv", 1, &err);
    CHECK(r == NULL && err.status == EO_STATUS_BAD_CHECKSUM);
    CHECK_MSG(strstr(err.msg, "iv.dat: signal 0 (a): first sample 291, header initial value 290"), "%s",
              err.msg);
    /* missing signal file */
    put_text("ms.hea", "ms 1 360 2\nnothere.dat 16 200 16 0 0 0 0 a\n");
    r = load("ms", 1, &err);
    CHECK(r == NULL && err.status == EO_STATUS_NOT_FOUND);
    CHECK_MSG(strstr(err.msg, "nothere.dat: cannot open signal file"), "%s", err.msg);
    /* missing header */
    r = load("nosuch", 1, &err);
    CHECK(r == NULL && err.status != EO_STATUS_OK && strstr(err.msg, "nosuch.hea"));
    /* gain 0: uncalibrated, read with the default 200 (not an error) */
    put_text("g0.hea", "g0 1 360 2\ng0.dat 16 0 16 0 4660 -28108 0 a\n");
    static const unsigned char c[] = {0x34, 0x12, 0x00, 0x80};
    put("g0.dat", c, 4);
    r = load("g0", 1, &err);
    CHECK_MSG(r != NULL, "%s", err.msg);
    if (r) {
        CHECK_EQ_INT(r->header->signals[0].gain_given, 0);
        double v[2];
        CHECK_OK(eo_wfdb_record_physical(r, 0, 0, 2, v, &err), &err);
        CHECK_CLOSE(v[0], 4660 / 200.0, 0, 1e-12);
        CHECK(isnan(v[1]));
    }
    eo_wfdb_record_destroy(r);
}

/* skew, byte offset, samples per frame, two files, n_samples from size */
TEST(skew_offset_spf)
{
    /* file a: 4-byte prologue then format 16, signal 0 with skew 1 and
     * signal 1 with 2 samples per frame: frame = s0, s1a, s1b */
    int16_t a[1 + 2 + 3 * 4];
    memset(a, 0, sizeof a);
    int16_t vals[12] = {10, 1, 3, 20, 5, 7, 30, -4, -6, 40, 100, 102};
    memcpy(a + 2, vals, sizeof vals);
    put("s.dat", a, 4 + sizeof vals); /* little-endian host assumed below */
    /* file b: format 80, one signal */
    unsigned char bb[4] = {128 + 1, 128 + 2, 128 + 3, 128 + 4};
    put("s2.dat", bb, 4);
    put_text("s.hea", "s 3 100\ns.dat 16:1+4 100 16 0 10 100 0 sk\n"
                      "s.dat 16x2+4 100 16 0 1 208 0 hi\ns2.dat 80 50 8 0 1 10 0 b\n");
    eo_error err;
    eo_wfdb_record *r = load("s", 1, &err);
    CHECK_MSG(r != NULL, "%s", err.msg);
    if (!r)
        return;
    CHECK_EQ_INT(r->n_samples, 4);
    /* skewed: sample t of signal 0 is file frame t+1; last is invalid */
    CHECK_EQ_INT(r->adu[0][0], 20);
    CHECK_EQ_INT(r->adu[0][2], 40);
    CHECK_EQ_INT(r->adu[0][3], EO_WFDB_INVALID);
    /* 2 samples per frame: mean */
    CHECK_EQ_INT(r->adu[1][0], 2);
    CHECK_EQ_INT(r->adu[1][1], 6);
    CHECK_EQ_INT(r->adu[1][2], -5);
    CHECK_EQ_INT(r->adu[1][3], 101);
    CHECK_EQ_INT(r->adu[2][3], 4);
    eo_wfdb_record_destroy(r);
}

/* the streaming reader returns the same frames as a whole load, in any block size */
TEST(stream_blocks)
{
    char base[4096];
    snprintf(base, sizeof base, "%s/mitdb/208", eo_test_data_dir());
    eo_error err;
    eo_wfdb_record *r = NULL;
    CHECK_OK(eo_wfdb_record_load(base, NULL, &r, &err), &err);
    if (!r)
        return;
    static const long blocks[] = {1, 7, 4096, 100000};
    int32_t *buf = malloc(100000 * 2 * sizeof *buf);
    for (int b = 0; b < 4 && buf; b++) {
        eo_wfdb_stream *s = NULL;
        CHECK_OK(eo_wfdb_stream_open(base, NULL, &s, &err), &err);
        if (!s)
            continue;
        CHECK_EQ_INT(eo_wfdb_stream_header(s)->n_signals, 2);
        long t = 0, k = 0, mism = 0;
        long limit = blocks[b] == 1 ? 20000 : r->n_samples; /* block 1: a prefix */
        do {
            eo_status st = eo_wfdb_stream_read(s, buf, blocks[b], &k, &err);
            CHECK_OK(st, &err);
            if (st)
                break;
            for (long i = 0; i < k; i++)
                for (int q = 0; q < 2; q++)
                    mism += buf[i * 2 + q] != r->adu[q][t + i];
            t += k;
        } while (k > 0 && t < limit);
        CHECK_EQ_INT(mism, 0);
        CHECK_EQ_INT(t, limit);
        eo_wfdb_stream_close(s);
    }
    free(buf);
    eo_wfdb_stream_close(NULL);
    eo_wfdb_record_destroy(r);
}

/* multi-segment record: layout segment (length 0), a data segment, a null
 * segment `~`, and a segment holding only one of the two signals */
TEST(multi_segment)
{
    put_text("ms_0.hea", "ms_0 2 100 0\n~ 0 200(0)/mV 16 0 0 0 0 ECG\n~ 0 100(0)/mV 16 0 0 0 0 RESP\n");
    int16_t s1[6] = {1, 100, 2, 200, 3, 300};
    put("ms_1.dat", s1, sizeof s1);
    put_text("ms_1.hea", "ms_1 2 100 3\nms_1.dat 16 200 16 0 1 6 0 ECG\nms_1.dat 16 100 16 0 100 600 0 RESP\n");
    int16_t s3[2] = {7, 8};
    put("ms_3.dat", s3, sizeof s3);
    put_text("ms_3.hea", "ms_3 1 100 2\nms_3.dat 16 100 16 0 7 15 0 RESP\n");
    put_text("ms.hea", "ms/4 2 100 7\nms_0 0\nms_1 3\n~ 2\nms_3 2\n");
    eo_error err;
    eo_wfdb_record *r = load("ms", 1, &err);
    CHECK_MSG(r != NULL, "%s", err.msg);
    if (!r)
        return;
    CHECK_EQ_INT(r->n_samples, 7);
    CHECK_EQ_INT(r->n_signals, 2);
    CHECK(strcmp(r->header->record_name, "ms") == 0);
    CHECK_EQ_INT(r->header->n_segments, 0);
    static const int32_t e0[7] = {1, 2, 3, EO_WFDB_INVALID, EO_WFDB_INVALID, EO_WFDB_INVALID, EO_WFDB_INVALID};
    static const int32_t e1[7] = {100, 200, 300, EO_WFDB_INVALID, EO_WFDB_INVALID, 7, 8};
    for (int i = 0; i < 7; i++) {
        CHECK_EQ_INT(r->adu[0][i], e0[i]);
        CHECK_EQ_INT(r->adu[1][i], e1[i]);
    }
    CHECK_CLOSE(r->header->signals[1].gain, 100, 0, 0);
    eo_wfdb_record_destroy(r);
    /* a segment with a bad checksum fails the whole record */
    put_text("ms_3.hea", "ms_3 1 100 2\nms_3.dat 16 100 16 0 7 16 0 RESP\n");
    r = load("ms", 1, &err);
    CHECK(r == NULL && err.status == EO_STATUS_BAD_CHECKSUM && strstr(err.msg, "ms_3.hea"));
    r = load("ms", 0, &err);
    CHECK(r != NULL);
    eo_wfdb_record_destroy(r);
}

TEST(fit_format)
{
    int32_t a0[3] = {-2048, 0, 2047}, a1[3] = {5, -7, 9}, wide[3] = {0, 2048, 1};
    int32_t huge[3] = {0, 1, -32769};
    int32_t *two[2] = {a0, a1}, *w[2] = {a0, wide}, *h[1] = {huge};
    eo_wfdb_signal_info like[2];
    memset(like, 0, sizeof like);
    like[0].format = like[1].format = 212;
    eo_error err;
    int f = 0;
    CHECK_OK(eo_wfdb_fit_format(two, 2, 3, like, "x", 0, &f, &err), &err);
    CHECK_EQ_INT(f, 212);
    CHECK_OK(eo_wfdb_fit_format(two, 2, 3, NULL, "x", 0, &f, &err), &err);
    CHECK_EQ_INT(f, 212);
    CHECK_OK(eo_wfdb_fit_format(w, 2, 3, like, "x", 0, &f, &err), &err);
    CHECK_EQ_INT(f, 16); /* 2048 does not fit 12 bits */
    like[1].format = 16;
    CHECK_OK(eo_wfdb_fit_format(two, 2, 3, like, "x", 0, &f, &err), &err);
    CHECK_EQ_INT(f, 16); /* the source was 16 */
    f = 0;
    CHECK_EQ_INT(eo_wfdb_fit_format(h, 1, 3, NULL, "z.ecgz", 100, &f, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "z.ecgz: signal 0: sample 102") != NULL);
    CHECK_EQ_INT(f, 0);
}

TEST(write_small_and_errors)
{
    int32_t a0[5] = {0, -2048, 2047, EO_WFDB_INVALID, 5000};
    int32_t a1[5] = {-1, 1, -3, 3, 0};
    int32_t *adu[2] = {a0, a1};
    eo_error err;
    CHECK_OK(eo_wfdb_record_write(DIR_, "w", 212, 128.0, 2, 5, adu, NULL, &err), &err);
    eo_wfdb_record *r = load("w", 1, &err);
    CHECK_MSG(r != NULL, "%s", err.msg);
    if (r) {
        CHECK_EQ_INT(r->adu[0][1], EO_WFDB_INVALID); /* -2048 is invalid in 212 */
        CHECK_EQ_INT(r->adu[0][2], 2047);
        CHECK_EQ_INT(r->adu[0][3], EO_WFDB_INVALID);
        CHECK_EQ_INT(r->adu[0][4], 2047); /* clamped */
        CHECK_EQ_INT(r->adu[1][4], 0);
        CHECK_CLOSE(r->fs_hz, 128, 0, 0);
        CHECK_CLOSE(r->header->signals[0].gain, 200, 0, 0);
    }
    eo_wfdb_record_destroy(r);
    /* the header is exactly what header(5) prescribes */
    char p[256];
    snprintf(p, sizeof p, "%s/w.hea", DIR_);
    FILE *f = fopen(p, "r");
    char txt[512] = {0};
    if (f) {
        size_t n = fread(txt, 1, sizeof txt - 1, f);
        txt[n] = 0;
        fclose(f);
    }
    CHECK_MSG(strcmp(txt, "w 2 128 5\nw.dat 212 200(0)/mV 12 0 0 -2 0\nw.dat 212 200(0)/mV 12 0 -1 0 0\n") == 0,
              "%s", txt);
    CHECK(eo_wfdb_record_write(DIR_, "w", 8, 128.0, 2, 5, adu, NULL, &err) == EO_STATUS_UNSUPPORTED);
    CHECK(eo_wfdb_record_write(DIR_, "w", 16, 0.0, 2, 5, adu, NULL, &err) == EO_STATUS_USAGE);
    CHECK(eo_wfdb_record_write("/nonexistent/dir", "w", 16, 1.0, 2, 5, adu, NULL, &err) != EO_STATUS_OK);
}

int main(void)
{
    snprintf(DIR_, sizeof DIR_, "/tmp/eo_io_fmt_XXXXXX");
    if (!mkdtemp(DIR_)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(format_known_answers);
    RUN(fit_format);
    RUN(format_212_two_signals_physical);
    RUN(header_fields);
    RUN(header_bad_input);
    RUN(bad_records);
    RUN(skew_offset_spf);
    RUN(stream_blocks);
    RUN(multi_segment);
    RUN(write_small_and_errors);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", DIR_);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", DIR_);
    TEST_END();
}
