/* io: the batch reader (eo_wfdb_reader) against eo_wfdb_record_load +
 * eo_wfdb_record_physical: bit-exact float64 values (float32: the double
 * rounded to float) on MIT-BIH and NSTDB records (212 fused path, format 16
 * general path) read one after another through one reader, hand-made 212
 * records with 1..3 signals, odd lengths and invalid samples, errors
 * (checksum, initial value, truncated, missing file), and annotations read
 * through the reader equal to eo_annot_read. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/wfdb.h"
#include "eo_test.h"

static char DIR_[64];

/* compare the reader's output for `base` with load + physical; returns the
 * number of mismatching values */
static long compare_record(eo_wfdb_reader *rd, const char *base, eo_wfdb_precision prec,
                           long *n_out)
{
    eo_error err;
    eo_wfdb_record *r = NULL;
    if (eo_wfdb_record_load(base, NULL, &r, &err)) {
        fprintf(stderr, "load %s: %s\n", base, err.msg);
        return -1;
    }
    eo_wfdb_physical ph;
    eo_status st = eo_wfdb_reader_read_physical(rd, base, prec, &ph, &err);
    if (st) {
        fprintf(stderr, "reader %s: %s\n", base, err.msg);
        eo_wfdb_record_destroy(r);
        return -1;
    }
    long bad = 0;
    if (ph.n_signals != r->n_signals || ph.n_samples != r->n_samples || ph.fs_hz != r->fs_hz ||
        ph.precision != prec || !ph.header || (prec == EO_WFDB_F64) != (ph.f64 != NULL) ||
        (prec == EO_WFDB_F32) != (ph.f32 != NULL)) {
        eo_wfdb_record_destroy(r);
        return -2;
    }
    double *ref = malloc(((size_t)r->n_samples + 1) * sizeof *ref);
    for (int s = 0; ref && s < r->n_signals; s++) {
        eo_wfdb_record_physical(r, s, 0, r->n_samples, ref, &err);
        for (long i = 0; i < r->n_samples; i++) {
            if (prec == EO_WFDB_F64) {
                /* bit-exact, NaN included */
                if (memcmp(&ref[i], &ph.f64[s][i], sizeof(double)) != 0 &&
                    !(isnan(ref[i]) && isnan(ph.f64[s][i])))
                    bad++;
            } else {
                float want = (float)ref[i];
                if (memcmp(&want, &ph.f32[s][i], sizeof(float)) != 0 &&
                    !(isnan(want) && isnan(ph.f32[s][i])))
                    bad++;
            }
        }
    }
    if (!ref)
        bad = -3;
    if (n_out)
        *n_out = r->n_samples;
    free(ref);
    eo_wfdb_record_destroy(r);
    return bad;
}

TEST(mitdb_bit_exact)
{
    /* several records one after another through one reader, both precisions
     * alternating, so that reused buffers must be fully rewritten */
    static const char *recs[] = {"100", "207", "232", "101", "234", "208"};
    char base[4096];
    snprintf(base, sizeof base, "%s/mitdb/100.hea", eo_test_data_dir());
    if (access(base, R_OK) != 0)
        SKIP("no MIT-BIH data");
    eo_error err;
    eo_wfdb_reader *rd = NULL;
    CHECK(eo_wfdb_reader_create(NULL, &rd, &err) == EO_STATUS_OK);
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
        snprintf(base, sizeof base, "%s/mitdb/%s", eo_test_data_dir(), recs[i]);
        long n = 0;
        eo_wfdb_precision prec = i % 2 ? EO_WFDB_F32 : EO_WFDB_F64;
        long bad = compare_record(rd, base, prec, &n);
        CHECK_MSG(bad == 0, "%s (%s): %ld mismatches", recs[i], i % 2 ? "f32" : "f64", bad);
        CHECK_EQ_INT(n, 650000);
    }
    /* known answers, record 100 sample 0: adu 995 and 1011, baseline 1024,
     * gain 200 -> -0.145 and -0.065 mV */
    snprintf(base, sizeof base, "%s/mitdb/100", eo_test_data_dir());
    eo_wfdb_physical ph;
    CHECK(eo_wfdb_reader_read_physical(rd, base, EO_WFDB_F64, &ph, &err) == EO_STATUS_OK);
    CHECK(ph.f64[0][0] == (995.0 - 1024.0) / 200.0);
    CHECK(ph.f64[1][0] == (1011.0 - 1024.0) / 200.0);
    CHECK(strcmp(ph.header->signals[0].description, "MLII") == 0);
    CHECK(ph.fs_hz == 360.0);
    eo_wfdb_reader_destroy(rd);
}

TEST(nstdb_fused_and_general)
{
    /* bw: 212 with gain 0 (-> 200); 118e06: format 16 (general path) */
    static const char *recs[] = {"bw", "118e06", "ma", "118e00"};
    char base[4096];
    snprintf(base, sizeof base, "%s/nstdb/bw.hea", eo_test_data_dir());
    if (access(base, R_OK) != 0)
        SKIP("no NSTDB data");
    eo_error err;
    eo_wfdb_reader *rd = NULL;
    CHECK(eo_wfdb_reader_create(NULL, &rd, &err) == EO_STATUS_OK);
    for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
        for (int p = 0; p < 2; p++) {
            snprintf(base, sizeof base, "%s/nstdb/%s", eo_test_data_dir(), recs[i]);
            long bad = compare_record(rd, base, p ? EO_WFDB_F32 : EO_WFDB_F64, NULL);
            CHECK_MSG(bad == 0, "%s (%s): %ld mismatches", recs[i], p ? "f32" : "f64", bad);
        }
    }
    eo_wfdb_reader_destroy(rd);
}

/* write a 212 record with ns signals and n frames of pseudo-random values
 * (some invalid) and a non-integer gain */
static int write_212(const char *name, int ns, long n, int fmt)
{
    int32_t *adu[3] = {NULL, NULL, NULL};
    uint32_t x = 12345u + (uint32_t)ns * 7u + (uint32_t)n;
    for (int s = 0; s < ns; s++) {
        adu[s] = malloc((size_t)n * sizeof **adu);
        if (!adu[s]) {
            for (int q = 0; q < s; q++)
                free(adu[q]);
            return -1;
        }
        for (long i = 0; i < n; i++) {
            x = x * 1664525u + 1013904223u;
            adu[s][i] = (int32_t)((x >> 12) % 4095) - 2047; /* -2047..2047 */
            if (i % 37 == 5)
                adu[s][i] = EO_WFDB_INVALID;
        }
    }
    eo_wfdb_signal_info like[3];
    memset(like, 0, sizeof like);
    for (int s = 0; s < ns; s++) {
        like[s].gain = 123.456 + s;
        like[s].gain_given = 1;
        like[s].baseline = -7 + 5 * s;
        like[s].baseline_given = 1;
        snprintf(like[s].units, sizeof like[s].units, "mV");
        snprintf(like[s].description, sizeof like[s].description, "sig%d", s);
    }
    eo_error err;
    eo_status st = eo_wfdb_record_write(DIR_, name, fmt, 250.0, ns, n, adu, like, &err);
    if (st)
        fprintf(stderr, "write %s: %s\n", name, err.msg);
    for (int s = 0; s < ns; s++)
        free(adu[s]);
    return st ? -1 : 0;
}

TEST(handmade_shapes)
{
    /* 1..3 signals; lengths below, at and past the 16-frame vector step and
     * past a 16384-frame chunk, odd and even; invalid samples -> NaN */
    static const long lens[] = {1, 2, 9, 10, 11, 15, 21, 22, 23, 37, 100, 16384 + 37, 40001};
    eo_error err;
    eo_wfdb_reader *rd = NULL;
    CHECK(eo_wfdb_reader_create(NULL, &rd, &err) == EO_STATUS_OK);
    char name[64], base[256];
    for (int ns = 1; ns <= 3; ns++)
        for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
            snprintf(name, sizeof name, "h%d_%ld", ns, lens[li]);
            CHECK(write_212(name, ns, lens[li], 212) == 0);
            snprintf(base, sizeof base, "%s/%s", DIR_, name);
            for (int p = 0; p < 2; p++) {
                long n = 0;
                long bad = compare_record(rd, base, p ? EO_WFDB_F32 : EO_WFDB_F64, &n);
                CHECK_MSG(bad == 0, "%s (%s): %ld mismatches", name, p ? "f32" : "f64", bad);
                CHECK_EQ_INT(n, lens[li]);
            }
        }
    /* an invalid sample reads as NaN; sample 5 of each signal is invalid */
    snprintf(base, sizeof base, "%s/h2_100", DIR_);
    eo_wfdb_physical ph;
    CHECK(eo_wfdb_reader_read_physical(rd, base, EO_WFDB_F32, &ph, &err) == EO_STATUS_OK);
    CHECK(isnan(ph.f32[0][5]) && isnan(ph.f32[1][5]) && !isnan(ph.f32[0][4]));
    /* format 16 goes through the general path, same answers */
    CHECK(write_212("g16", 3, 1001, 16) == 0);
    snprintf(base, sizeof base, "%s/g16", DIR_);
    CHECK_EQ_INT(compare_record(rd, base, EO_WFDB_F64, NULL), 0);
    CHECK_EQ_INT(compare_record(rd, base, EO_WFDB_F32, NULL), 0);
    eo_wfdb_reader_destroy(rd);
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

TEST(bad_input)
{
    eo_error err;
    eo_wfdb_reader *rd = NULL;
    eo_wfdb_read_options nv;
    eo_wfdb_read_defaults(&nv);
    nv.verify = 0;
    eo_wfdb_reader *rnv = NULL;
    CHECK(eo_wfdb_reader_create(NULL, &rd, &err) == EO_STATUS_OK);
    CHECK(eo_wfdb_reader_create(&nv, &rnv, &err) == EO_STATUS_OK);
    char base[256], path[300];
    eo_wfdb_physical ph;
    /* 4 frames of 2 signals: bytes 01 00 00 | 02 00 00 | 03 00 00 | 04 00 00
     * -> signal 0: 1 2 3 4 (sum 10), signal 1: 0 0 0 0 */
    static const unsigned char dat[12] = {1, 0, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0};
    snprintf(path, sizeof path, "%s/b.dat", DIR_);
    FILE *f = fopen(path, "wb");
    CHECK(f && fwrite(dat, 1, sizeof dat, f) == sizeof dat);
    if (f)
        fclose(f);
    snprintf(base, sizeof base, "%s/b", DIR_);
    snprintf(path, sizeof path, "%s/b.hea", DIR_);
    /* good */
    CHECK(write_text(path, "b 2 100 4\nb.dat 212 100(0) 12 0 1 10 0 a\nb.dat 212 100(0) 12 0 0 0 0 b\n") == 0);
    CHECK(eo_wfdb_reader_read_physical(rd, base, EO_WFDB_F64, &ph, &err) == EO_STATUS_OK);
    CHECK(ph.n_samples == 4 && ph.f64[0][3] == 0.04 && ph.f64[1][3] == 0.0);
    /* wrong checksum */
    CHECK(write_text(path, "b 2 100 4\nb.dat 212 100(0) 12 0 1 11 0 a\nb.dat 212 100(0) 12 0 0 0 0 b\n") == 0);
    CHECK(eo_wfdb_reader_read_physical(rd, base, EO_WFDB_F64, &ph, &err) == EO_STATUS_BAD_CHECKSUM);
    CHECK_MSG(strstr(err.msg, "checksum of the 4 samples is 10, header says 11") != NULL, "%s", err.msg);
    CHECK(ph.f64 == NULL && ph.header == NULL);
    CHECK(eo_wfdb_reader_read_physical(rnv, base, EO_WFDB_F64, &ph, &err) == EO_STATUS_OK);
    /* wrong initial value */
    CHECK(write_text(path, "b 2 100 4\nb.dat 212 100(0) 12 0 2 10 0 a\nb.dat 212 100(0) 12 0 0 0 0 b\n") == 0);
    CHECK(eo_wfdb_reader_read_physical(rd, base, EO_WFDB_F32, &ph, &err) == EO_STATUS_BAD_CHECKSUM);
    CHECK_MSG(strstr(err.msg, "first sample 1, header initial value 2") != NULL, "%s", err.msg);
    /* truncated: 5 frames declared, 4 present */
    CHECK(write_text(path, "b 2 100 5\nb.dat 212 100(0) 12 0 1 10 0 a\nb.dat 212 100(0) 12 0 0 0 0 b\n") == 0);
    CHECK(eo_wfdb_reader_read_physical(rd, base, EO_WFDB_F64, &ph, &err) == EO_STATUS_BAD_FORMAT);
    CHECK_MSG(strstr(err.msg, "truncated: 5 frames of format 212 need 15 bytes") != NULL, "%s", err.msg);
    /* length from the file when the header gives none */
    CHECK(write_text(path, "b 2 100\nb.dat 212 100(0) 12 0 1 10 0 a\nb.dat 212 100(0) 12 0 0 0 0 b\n") == 0);
    CHECK(eo_wfdb_reader_read_physical(rd, base, EO_WFDB_F64, &ph, &err) == EO_STATUS_OK);
    CHECK_EQ_INT(ph.n_samples, 4);
    /* missing signal file, missing header, bad header */
    CHECK(write_text(path, "b 2 100 4\nnone.dat 212 100 12 0 1 10 0 a\nnone.dat 212 100 12 0 0 0 0 b\n") == 0);
    CHECK(eo_wfdb_reader_read_physical(rd, base, EO_WFDB_F64, &ph, &err) == EO_STATUS_NOT_FOUND);
    CHECK_MSG(strstr(err.msg, "cannot open signal file none.dat") != NULL, "%s", err.msg);
    snprintf(path, sizeof path, "%s/nothere", DIR_);
    CHECK(eo_wfdb_reader_read_physical(rd, path, EO_WFDB_F64, &ph, &err) == EO_STATUS_NOT_FOUND);
    snprintf(path, sizeof path, "%s/b.hea", DIR_);
    CHECK(write_text(path, "b 2 0 4\n") == 0);
    CHECK(eo_wfdb_reader_read_physical(rd, base, EO_WFDB_F64, &ph, &err) != EO_STATUS_OK);
    /* usage */
    CHECK(eo_wfdb_reader_read_physical(NULL, base, EO_WFDB_F64, &ph, &err) == EO_STATUS_USAGE);
    CHECK(eo_wfdb_reader_read_physical(rd, base, (eo_wfdb_precision)7, &ph, &err) == EO_STATUS_USAGE);
    CHECK(eo_wfdb_reader_create(NULL, NULL, &err) == EO_STATUS_USAGE);
    /* the reader still works after errors */
    CHECK(write_text(path, "b 2 100 4\nb.dat 212 100(0) 12 0 1 10 0 a\nb.dat 212 100(0) 12 0 0 0 0 b\n") == 0);
    CHECK(eo_wfdb_reader_read_physical(rd, base, EO_WFDB_F32, &ph, &err) == EO_STATUS_OK);
    CHECK(ph.f32[0][1] == 0.02f);
    eo_wfdb_reader_destroy(rd);
    eo_wfdb_reader_destroy(rnv);
    eo_wfdb_reader_destroy(NULL);
}

static int same_annotations(const eo_annotation_set *a, const eo_annotation_set *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const eo_annotation *x = &a->items[i], *y = &b->items[i];
        if (x->sample != y->sample || x->code != y->code || x->subtype != y->subtype ||
            x->chan != y->chan || x->num != y->num || x->aux_len != y->aux_len ||
            (!x->aux) != (!y->aux) || (x->aux && memcmp(x->aux, y->aux, (size_t)x->aux_len)))
            return 0;
    }
    return 1;
}

TEST(annotations)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/mitdb/201.atr", eo_test_data_dir());
    if (access(path, R_OK) != 0)
        SKIP("no MIT-BIH data");
    eo_error err;
    eo_wfdb_reader *rd = NULL;
    CHECK(eo_wfdb_reader_create(NULL, &rd, &err) == EO_STATUS_OK);
    /* 201 has rhythm AUX strings; 100 then 201 again: contents replaced */
    static const char *recs[] = {"201", "100", "201", "203"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/mitdb/%s.atr", eo_test_data_dir(), recs[i]);
        eo_annotation_set *ref = NULL;
        const eo_annotation_set *got = NULL;
        CHECK(eo_annot_read(path, &ref, &err) == EO_STATUS_OK);
        CHECK(eo_wfdb_reader_read_annotations(rd, path, &got, &err) == EO_STATUS_OK);
        CHECK_MSG(ref && got && same_annotations(ref, got), "%s", recs[i]);
        if (i == 1)
            CHECK_EQ_INT(got->n, 2274); /* 100.atr: 2273 beats + 1 rhythm */
        eo_annot_set_destroy(ref);
    }
    /* parse_into: cut file -> error, set left empty; then reusable */
    eo_annotation_set *a = eo_annot_set_new();
    static const unsigned char ok[] = {0x05, 0x04, 0x00, 0x00};         /* N at 5, end */
    static const unsigned char cut[] = {0x05, 0x04, 0x03};               /* cut mid-word */
    CHECK(eo_annot_parse_into(a, ok, sizeof ok, "t.atr", &err) == EO_STATUS_OK);
    CHECK(a->n == 1 && a->items[0].sample == 5 && a->items[0].code == 1);
    CHECK(eo_annot_parse_into(a, cut, sizeof cut, "t.atr", &err) == EO_STATUS_BAD_FORMAT);
    CHECK_MSG(strstr(err.msg, "t.atr: byte 2: file cut") != NULL, "%s", err.msg);
    CHECK(a->n == 0);
    CHECK(eo_annot_parse_into(a, ok, sizeof ok, "t.atr", &err) == EO_STATUS_OK && a->n == 1);
    eo_annot_set_destroy(a);
    snprintf(path, sizeof path, "%s/none.atr", DIR_);
    const eo_annotation_set *got = (const eo_annotation_set *)1;
    CHECK(eo_wfdb_reader_read_annotations(rd, path, &got, &err) == EO_STATUS_NOT_FOUND && !got);
    eo_wfdb_reader_destroy(rd);
}

int main(void)
{
    snprintf(DIR_, sizeof DIR_, "/tmp/eo_io_rdr_XXXXXX");
    if (!mkdtemp(DIR_)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(mitdb_bit_exact);
    RUN(nstdb_fused_and_general);
    RUN(handmade_shapes);
    RUN(bad_input);
    RUN(annotations);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", DIR_);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", DIR_);
    TEST_END();
}
