/* io: the span of --from/--to (ecgopt/wfdb_span.h): seconds rounded to the
 * nearest sample, the end clamped, empty spans refused with the message
 * every span command gives; a view of a span shares the samples, says its
 * length, drops the base time after 0 and adds its comment line. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/wfdb_span.h"
#include "eo_test.h"

TEST(span_samples)
{
    long a = -1, b = -1;
    eo_error err;
    CHECK_OK(eo_wfdb_span_samples(360, 650000, 0, -1, "100", &a, &b, &err), &err);
    CHECK(a == 0 && b == 650000);
    CHECK_OK(eo_wfdb_span_samples(360, 650000, 60, 120, "100", &a, &b, &err), &err);
    CHECK(a == 21600 && b == 43200);
    CHECK_OK(eo_wfdb_span_samples(360, 650000, 0.0014, 1e9, "100", &a, &b, &err), &err);
    CHECK(a == 1 && b == 650000); /* 0.504 rounds up; past the end is the end */
    CHECK_EQ_INT(eo_wfdb_span_samples(360, 650000, 5, 1, "100", &a, &b, &err), EO_STATUS_USAGE);
    CHECK(strcmp(err.msg, "--from 5 --to 1 selects no samples of 100 (1805.6 s)") == 0);
    CHECK(a == 0 && b == 0);
    CHECK_EQ_INT(eo_wfdb_span_samples(360, 650000, 5, 5, "100", &a, &b, &err), EO_STATUS_USAGE);
    CHECK_EQ_INT(eo_wfdb_span_samples(360, 650000, 1805.6, -1, "100", &a, &b, &err), EO_STATUS_USAGE);
    CHECK(strcmp(err.msg, "--from 1805.6 selects no samples of 100 (1805.6 s)") == 0);
    CHECK_EQ_INT(eo_wfdb_span_samples(360, 650000, -1, -1, "100", &a, &b, &err), EO_STATUS_USAGE);
    /* both ends on the same sample */
    CHECK_EQ_INT(eo_wfdb_span_samples(360, 650000, 0.001, 0.0012, "100", &a, &b, &err), EO_STATUS_USAGE);
    /* the last sample alone */
    CHECK_OK(eo_wfdb_span_samples(360, 650000, 649999.0 / 360, -1, "100", &a, &b, &err), &err);
    CHECK(a == 649999 && b == 650000);
}

TEST(record_view)
{
    int32_t s0[10], s1[10];
    for (int i = 0; i < 10; i++) {
        s0[i] = i;
        s1[i] = 100 + i;
    }
    int32_t *adu[2] = {s0, s1};
    char c0[] = " 69 M", *comments[1] = {c0};
    eo_wfdb_header h;
    memset(&h, 0, sizeof h);
    snprintf(h.record_name, sizeof h.record_name, "r");
    h.n_signals = 2;
    h.fs_hz = 100;
    h.n_samples = 10;
    snprintf(h.base_time, sizeof h.base_time, "10:00:00");
    h.comments = comments;
    h.n_comments = 1;
    eo_wfdb_record rec = {&h, 2, 10, 100, adu};
    eo_wfdb_record *v = NULL;
    eo_error err;
    CHECK_OK(eo_wfdb_record_view(&rec, 3, 7, " cut", &v, &err), &err);
    if (v) {
        CHECK(v->n_samples == 4 && v->header->n_samples == 4 && v->n_signals == 2 && v->fs_hz == 100);
        CHECK(v->adu[0][0] == 3 && v->adu[1][3] == 106);
        CHECK(v->header->base_time[0] == 0);
        CHECK(v->header->n_comments == 2 && strcmp(v->header->comments[0], " 69 M") == 0 &&
              strcmp(v->header->comments[1], " cut") == 0);
    }
    eo_wfdb_record_view_free(v);
    CHECK(h.n_comments == 1 && strcmp(h.base_time, "10:00:00") == 0); /* rec untouched */
    CHECK_OK(eo_wfdb_record_view(&rec, 0, 5, NULL, &v, &err), &err);
    if (v)
        CHECK(strcmp(v->header->base_time, "10:00:00") == 0 && v->header->n_comments == 1);
    eo_wfdb_record_view_free(v);
    CHECK_EQ_INT(eo_wfdb_record_view(&rec, 5, 11, NULL, &v, &err), EO_STATUS_USAGE);
    CHECK(v == NULL);
    eo_wfdb_record_view_free(NULL);
}

int main(void)
{
    RUN(span_samples);
    RUN(record_view);
    TEST_END();
}
