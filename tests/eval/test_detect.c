/* eo_detect_record: a WFDB record streamed block by block through the QRS
 * detector gives the beats of the one-call detector on the whole signal;
 * signal selection by description or index; a missing lead is a clear
 * NOT_FOUND. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/detect.h"
#include "eo_test.h"

static int base_of(const char *rec, char *base, size_t n)
{
    snprintf(base, n, "%s/mitdb/%s", eo_test_data_dir(), rec);
    char hea[4200];
    snprintf(hea, sizeof hea, "%s.hea", base);
    FILE *f = fopen(hea, "r");
    if (!f)
        return -1;
    fclose(f);
    return 0;
}

TEST(streamed_record_equals_in_memory)
{
    char base[4096];
    if (base_of("114", base, sizeof base))
        SKIP("MIT-BIH not found");
    eo_annotation_set *a = NULL;
    int used = -1;
    eo_error err;
    CHECK_OK(eo_detect_record(base, "MLII", NULL, NULL, NULL, NULL, &a, &used, &err), &err);
    CHECK_EQ_INT(used, 1); /* 114: V5 first, MLII second */
    eo_wfdb_record *r = NULL;
    CHECK_OK(eo_wfdb_record_load(base, NULL, &r, &err), &err);
    if (!a || !r) {
        eo_annot_set_destroy(a);
        eo_wfdb_record_destroy(r);
        return;
    }
    double *x = malloc((size_t)r->n_samples * sizeof(double));
    CHECK_OK(eo_wfdb_record_physical(r, 1, 0, r->n_samples, x, &err), &err);
    eo_qrs_options o;
    eo_qrs_defaults(&o, r->fs_hz);
    long *b = NULL;
    size_t nb = 0;
    CHECK_OK(eo_qrs_detect(x, (size_t)r->n_samples, &o, &b, &nb, &err), &err);
    CHECK_EQ_INT(a->n, nb);
    int same = a->n == nb;
    for (size_t i = 0; same && i < nb; i++)
        same = a->items[i].sample == b[i] && a->items[i].code == 1 && a->items[i].chan == 1;
    CHECK(same);
    CHECK(nb >= 1870 && nb <= 1885); /* 1879 reference beats */
    free(b);
    free(x);
    eo_wfdb_record_destroy(r);
    eo_annot_set_destroy(a);
}

TEST(signal_selection_and_missing_lead)
{
    char base[4096];
    if (base_of("104", base, sizeof base))
        SKIP("MIT-BIH not found");
    eo_annotation_set *a = NULL;
    int used = -1;
    eo_error err;
    CHECK_EQ_INT(eo_detect_record(base, "MLII", NULL, NULL, NULL, NULL, &a, &used, &err),
                 EO_STATUS_NOT_FOUND);
    CHECK(a == NULL);
    CHECK_MSG(strstr(err.msg, "no lead 'MLII' (the record has V5, V2") != NULL, "%s", err.msg);
    CHECK_OK(eo_detect_record(base, "1", NULL, NULL, NULL, NULL, &a, &used, &err), &err);
    CHECK_EQ_INT(used, 1);
    CHECK(a && a->n > 2000);
    eo_annot_set_destroy(a);
    a = NULL;
    CHECK_EQ_INT(eo_detect_record(base, "2", NULL, NULL, NULL, NULL, &a, &used, &err),
                 EO_STATUS_NOT_FOUND);
    /* options are checked against the record's fs */
    eo_qrs_options o;
    eo_qrs_defaults(&o, 360);
    o.band_high_hz = 170;
    CHECK_EQ_INT(eo_detect_record(base, "V5", &o, NULL, NULL, NULL, &a, &used, &err),
                 EO_STATUS_OUT_OF_RANGE);
    CHECK(strstr(err.msg, "104") != NULL && strstr(err.msg, "band-pass") != NULL);
    eo_status st = eo_detect_record("/nonexistent/rec", NULL, NULL, NULL, NULL, NULL, &a, &used, &err);
    CHECK(st != EO_STATUS_OK && a == NULL);
    CHECK_MSG(strstr(err.msg, "/nonexistent/rec") != NULL, "%s", err.msg);
}

static int cancel_at_half(void *user, double done, double total, const char *what)
{
    (void)what;
    int *calls = user;
    (*calls)++;
    return total > 0 && done >= total / 2;
}

TEST(progress_and_cancel)
{
    char base[4096];
    if (base_of("100", base, sizeof base))
        SKIP("MIT-BIH not found");
    eo_annotation_set *a = NULL;
    int calls = 0;
    eo_error err;
    CHECK_EQ_INT(eo_detect_record(base, NULL, NULL, NULL, cancel_at_half, &calls, &a, NULL, &err),
                 EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "cancelled") != NULL);
    CHECK(calls > 1 && a == NULL);
}

int main(void)
{
    RUN(streamed_record_equals_in_memory);
    RUN(signal_selection_and_missing_lead);
    RUN(progress_and_cancel);
    TEST_END();
}
