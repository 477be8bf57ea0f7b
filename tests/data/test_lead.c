/* eo_lead_find: names, indices, the fallback order (MLII, II, ECG1, 0), the
 * message for a lead that does not exist; uncalibrated and unit checks;
 * eo_beats_add_record at another working rate (positions kept exactly on
 * the record's own grid). */
#include <string.h>

#include "ecgopt/beats.h"
#include "ecgopt/lead.h"
#include "eo_test.h"

static eo_wfdb_header *header(const char *db, const char *rec)
{
    char p[4200];
    snprintf(p, sizeof p, "%s/%s/%s.hea", eo_test_data_dir(), db, rec);
    eo_wfdb_header *h = NULL;
    if (eo_wfdb_header_read(p, &h, NULL) != EO_STATUS_OK)
        return NULL;
    return h;
}

TEST(find_and_fallback)
{
    eo_wfdb_header *h100 = header("mitdb", "100"), *h114 = header("mitdb", "114"),
                   *h102 = header("mitdb", "102"), *h821 = header("svdb", "821");
    if (!h100 || !h114 || !h102 || !h821)
        SKIP("MIT-BIH / SVDB not found");
    int k = -1;
    eo_lead_how how;
    eo_error err;
    CHECK(eo_lead_find(h100, NULL, "100", &k, &how, &err) == EO_STATUS_OK && k == 0 &&
          how == EO_LEAD_FALLBACK_ORDER);
    /* 114 has MLII as its second signal */
    CHECK(eo_lead_find(h114, "", "114", &k, &how, &err) == EO_STATUS_OK && k == 1);
    /* 102 has V5, V2: no fallback name, signal 0 */
    CHECK(eo_lead_find(h102, NULL, "102", &k, &how, &err) == EO_STATUS_OK && k == 0);
    /* SVDB: ECG1 */
    CHECK(eo_lead_find(h821, NULL, "821", &k, &how, &err) == EO_STATUS_OK && k == 0);
    CHECK(eo_lead_find(h821, "ECG2", "821", &k, &how, &err) == EO_STATUS_OK && k == 1 &&
          how == EO_LEAD_NAMED);
    CHECK(eo_lead_find(h114, "#0", "114", &k, &how, &err) == EO_STATUS_OK && k == 0 &&
          how == EO_LEAD_INDEX);
    CHECK(eo_lead_find(h114, "0", "114", &k, &how, &err) == EO_STATUS_OK && k == 0);
    CHECK(eo_lead_find(h114, "mlii", "114", &k, &how, &err) == EO_STATUS_OK && k == 1);
    CHECK(eo_lead_find(h102, "MLII", "102", &k, &how, &err) == EO_STATUS_NOT_FOUND);
    CHECK_MSG(strcmp(err.msg, "102: no lead 'MLII' (the record has V5, V2; use --lead "
                              "NAME|INDEX)") == 0,
              "%s", err.msg);
    CHECK(eo_lead_find(h102, "2", "102", &k, &how, &err) == EO_STATUS_NOT_FOUND);
    CHECK(eo_lead_find(h102, "#", "102", &k, &how, &err) == EO_STATUS_NOT_FOUND);
    /* calibration and units */
    CHECK(eo_lead_uncalibrated(h821, 0) == 1 && eo_lead_uncalibrated(h100, 0) == 0);
    CHECK(eo_lead_units_to_mv(h100, 0) == 1.0);
    snprintf(h100->signals[1].units, sizeof h100->signals[1].units, "uV");
    CHECK(eo_lead_units_to_mv(h100, 1) == 1e-3);
    snprintf(h100->signals[1].units, sizeof h100->signals[1].units, "mmHg");
    CHECK(eo_lead_units_to_mv(h100, 1) == 0);
    char list[64];
    eo_lead_list(h102, list, sizeof list);
    CHECK(strcmp(list, "V5, V2") == 0);
    eo_wfdb_header_destroy(h100);
    eo_wfdb_header_destroy(h114);
    eo_wfdb_header_destroy(h102);
    eo_wfdb_header_destroy(h821);
}

/* beats of record 100 at 128 Hz: windows at the working rate, positions on
 * the record's own 360 Hz grid exactly (the .atr marks) */
TEST(beats_at_another_rate)
{
    char base[4200], atr[4300];
    snprintf(base, sizeof base, "%s/mitdb/100", eo_test_data_dir());
    snprintf(atr, sizeof atr, "%s.atr", base);
    eo_annotation_set *a = NULL;
    eo_error err;
    if (eo_annot_read(atr, &a, &err) != EO_STATUS_OK)
        SKIP("MIT-BIH not found");
    eo_beats_options o;
    eo_beats_defaults(&o);
    o.fs_hz = 128;
    eo_beats *b = eo_beats_new(), *n = eo_beats_new();
    CHECK_OK(eo_beats_add_record(b, base, NULL, &o, &err), &err);
    o.fs_hz = 0;
    CHECK_OK(eo_beats_add_record(n, base, NULL, &o, &err), &err);
    CHECK(b->fs_hz == 128 && b->src_fs_hz == 360 && b->len == 32 + 58 && b->before == 32);
    CHECK(n->fs_hz == 360 && n->len == 90 + 162);
    CHECK_EQ_INT(b->n, n->n);
    int same = b->n == n->n;
    for (size_t i = 0; same && i < b->n; i++)
        same = b->sample[i] == n->sample[i] && b->y[i] == n->y[i];
    CHECK(same);
    /* the first beat's samples are the 360 Hz window resampled: its R peak
     * is in the same place (the largest |x| at index before +- 1) */
    int arg = 0;
    for (int t = 1; t < b->len; t++)
        if (fabsf(b->x[t]) > fabsf(b->x[arg]))
            arg = t;
    CHECK_MSG(abs(arg - b->before) <= 1, "R at %d, expected %d", arg, b->before);
    /* a 50 Hz working rate is refused by the band-pass (40 Hz > Nyquist) */
    o.fs_hz = 50;
    eo_beats *z = eo_beats_new();
    CHECK(eo_beats_add_record(z, base, NULL, &o, &err) != EO_STATUS_OK);
    eo_beats_destroy(z);
    eo_beats_destroy(b);
    eo_beats_destroy(n);
    eo_annot_set_destroy(a);
}

int main(void)
{
    RUN(find_and_fallback);
    RUN(beats_at_another_rate);
    TEST_END();
}
