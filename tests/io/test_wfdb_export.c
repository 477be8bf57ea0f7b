/* io: eo_wfdb_export gives byte for byte what `ecgopt export` wrote before
 * the writers moved into the library (fixtures from
 * tests/fixtures/io/make_export_fixtures.sh on MIT-BIH 100), and
 * eo_record_summarize has record 100's known header and annotation counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/record_summary.h"
#include "ecgopt/wfdb_export.h"
#include "eo_test.h"

static char *slurp_fp(FILE *fp, size_t *n)
{
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    rewind(fp);
    char *s = malloc((size_t)len + 1);
    if (!s)
        return NULL;
    *n = fread(s, 1, (size_t)len, fp);
    s[*n] = 0;
    return s;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    char *s = slurp_fp(fp, n);
    fclose(fp);
    return s;
}

/* Export [s0, s1) of mitdb/100 with o and compare with the fixture. */
static void check_export(long s0, long s1, const eo_export_options *o, const char *fixture)
{
    char base[1024], apath[1100], fpath[1024];
    snprintf(base, sizeof base, "%s/mitdb/100", eo_test_data_dir());
    snprintf(fpath, sizeof fpath, "%s/io/%s", EO_TEST_FIXTURES, fixture);
    eo_error err;
    eo_annotation_set *a = NULL;
    if (o->annotations) {
        snprintf(apath, sizeof apath, "%s.atr", base);
        CHECK_OK(eo_annot_read(apath, &a, &err), &err);
    }
    FILE *fp = tmpfile();
    CHECK(fp != NULL);
    if (!fp)
        return;
    CHECK_OK(eo_wfdb_export(fp, base, NULL, s0, s1, a, o, &err), &err);
    size_t n = 0, m = 0;
    char *got = slurp_fp(fp, &n), *want = slurp(fpath, &m);
    CHECK_MSG(want != NULL, "fixture %s", fpath);
    CHECK_EQ_INT((long)n, (long)m);
    CHECK_MSG(got && want && n == m && memcmp(got, want, n) == 0, "%s differs", fixture);
    free(got);
    free(want);
    fclose(fp);
    eo_annot_set_destroy(a);
}

TEST(csv_samples_byte_identical)
{
    eo_export_options o;
    eo_export_defaults(&o);
    check_export(360, 1080, &o, "export_100_1-3s.csv"); /* 1-3 s at 360 Hz */
}

TEST(json_physical_annotations_byte_identical)
{
    eo_export_options o;
    eo_export_defaults(&o);
    o.json = o.physical = o.annotations = 1;
    check_export(360, 720, &o, "export_100_1-2s_physical_annotations.json");
}

TEST(csv_annotations_byte_identical)
{
    eo_export_options o;
    eo_export_defaults(&o);
    o.annotations = 1;
    check_export(0, 7200, &o, "export_100_0-20s_annotations.csv");
}

static int n_calls;
static double last_done, last_total;
static int count_progress(void *user, double done, double total, const char *what)
{
    (void)user;
    n_calls += done <= total && strcmp(what, "exporting") == 0;
    last_done = done;
    last_total = total;
    return 0;
}

TEST(json_passes_and_progress)
{
    /* JSON reads the record once per signal: progress over two passes of
     * 650000 frames ends at 1300000 of 1300000; a span past the end is clipped */
    char base[1024];
    snprintf(base, sizeof base, "%s/mitdb/100", eo_test_data_dir());
    eo_export_options o;
    eo_export_defaults(&o);
    o.json = 1;
    o.progress = count_progress;
    n_calls = 0;
    FILE *fp = tmpfile();
    eo_error err;
    CHECK_OK(eo_wfdb_export(fp, base, NULL, 649998, 700000, NULL, &o, &err), &err);
    size_t n = 0;
    char *got = slurp_fp(fp, &n);
    CHECK(got && strstr(got, "\"from_sample\":649998,\"n_samples\":2,") != NULL);
    CHECK(n_calls >= 2 && n_calls % 2 == 0);
    CHECK_CLOSE(last_done, 1300000.0, 0, 0);
    CHECK_CLOSE(last_total, 1300000.0, 0, 0);
    free(got);
    fclose(fp);
    /* annotations asked for but none given: a usage error, nothing written */
    o.annotations = 1;
    fp = tmpfile();
    CHECK_EQ_INT(eo_wfdb_export(fp, base, NULL, 0, 10, NULL, &o, &err), EO_STATUS_USAGE);
    fclose(fp);
}

TEST(record_100_summary)
{
    char base[1024];
    snprintf(base, sizeof base, "%s/mitdb/100", eo_test_data_dir());
    eo_record_summary *s = NULL;
    eo_error err;
    CHECK_OK(eo_record_summarize(base, NULL, "atr", NULL, NULL, &s, &err), &err);
    if (!s)
        return;
    CHECK_EQ_INT(s->total, 650000);
    CHECK_EQ_INT(s->header->n_signals, 2);
    CHECK_EQ_INT((long)s->annotations->n, 2274);
    CHECK_EQ_INT(s->counts.beats, 2273);
    CHECK_EQ_INT(s->counts.by_code[1], 2239); /* N */
    CHECK_EQ_INT(s->counts.by_code[8], 33);   /* A */
    CHECK_EQ_INT(s->counts.by_code[5], 1);    /* V */
    CHECK_EQ_INT(s->counts.by_aami[1], 33);   /* S */
    CHECK_EQ_INT((long)s->n_episodes, 1);
    CHECK_EQ_INT(s->episodes[0].start, 18);
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_record_summary_text(&b, s, "rec/100");
    const char *want =
        "record 100 (rec/100)\n"
        "  2 signals, 360 Hz, 650000 samples per signal, duration 30:05.556\n"
        "  checksums and initial values: verified\n"
        "  signal 0 MLII     file 100.dat format 212, gain 200 adu/mV, baseline 1024, 11-bit ADC, zero 1024\n"
        "  signal 1 V5       file 100.dat format 212, gain 200 adu/mV, baseline 1024, 11-bit ADC, zero 1024\n"
        "  # 69 M 1085 1629 x1\n"
        "  # Aldomet, Inderal\n"
        "annotations (atr): 2274, of them 2273 beats\n"
        "  by code: N 2239, V 1, A 33, + 1,\n"
        "  by AAMI class: N 2239, S 33, V 1, F 0, Q 0\n"
        "  rhythm episodes: 1\n"
        "    N      0:00.050 - 30:05.556\n";
    CHECK_MSG(strcmp(eo_strbuf_str(&b), want) == 0, "text:\n%s", eo_strbuf_str(&b));
    eo_strbuf_destroy(&b);
    FILE *fp = tmpfile();
    eo_json j;
    eo_json_init(&j, fp);
    eo_record_summary_json(&j, s, "rec/100", NULL);
    size_t n = 0;
    char *got = slurp_fp(fp, &n);
    CHECK(got && strstr(got, "\"n_samples\":650000,\"duration_s\":1805.5555555555557,") != NULL);
    CHECK(got && strstr(got, "\"by_aami\":{\"N\":2239,\"S\":33,\"V\":1,\"F\":0,\"Q\":0}") != NULL);
    CHECK(got && strstr(got, "\"rhythm_episodes\":[{\"rhythm\":\"N\",\"start\":18,\"end\":650000}]") != NULL);
    free(got);
    fclose(fp);
    eo_record_summary_destroy(s);
    /* without the annotator: no annotations, zero counts */
    CHECK_OK(eo_record_summarize(base, NULL, "none", NULL, NULL, &s, &err), &err);
    CHECK(s && !s->annotations && s->counts.beats == 0);
    eo_record_summary_destroy(s);
    char tb[32];
    eo_format_time(tb, sizeof tb, 3725.5);
    CHECK(strcmp(tb, "1:02:05.500") == 0);
}

int main(void)
{
    RUN(csv_samples_byte_identical);
    RUN(json_physical_annotations_byte_identical);
    RUN(csv_annotations_byte_identical);
    RUN(json_passes_and_progress);
    RUN(record_100_summary);
    TEST_END();
}
