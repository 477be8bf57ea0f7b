/* NN selection and SDNN on a hand-made beat list with two PVCs
 * (known answers computed by hand / Python's statistics.stdev). */
#include <math.h>

#include "ecgopt/hrv.h"
#include "eo_test.h"

/* fs = 1000 Hz, so samples are ms.  N V N N N V N N: RR 600 1200 800 800
 * 500 1100 820; the NN intervals are those with a normal beat at both ends:
 * 800 (2-3), 800 (3-4), 820 (6-7).  The PVCs' coupling intervals (600, 500)
 * and compensatory pauses (1200, 1100) are out. */
static const long beats[8] = {0, 600, 1800, 2600, 3400, 3900, 5000, 5820};
static const unsigned char normal[8] = {1, 0, 1, 1, 1, 0, 1, 1};

TEST(nn_selection)
{
    double nn[7];
    size_t m = 99;
    eo_error err;
    CHECK_OK(eo_hrv_nn_intervals(beats, normal, 8, 1000, nn, &m, &err), &err);
    CHECK_EQ_INT((int)m, 3);
    CHECK_CLOSE(nn[0], 800, 0, 1e-9);
    CHECK_CLOSE(nn[1], 800, 0, 1e-9);
    CHECK_CLOSE(nn[2], 820, 0, 1e-9);
    /* no classes: every interval */
    CHECK_OK(eo_hrv_nn_intervals(beats, NULL, 8, 1000, nn, &m, &err), &err);
    CHECK_EQ_INT((int)m, 7);
    CHECK_CLOSE(nn[1], 1200, 0, 1e-9);
    /* a duplicate beat gives no interval */
    long dup[3] = {0, 0, 360};
    CHECK_OK(eo_hrv_nn_intervals(dup, NULL, 3, 360, nn, &m, &err), &err);
    CHECK_EQ_INT((int)m, 1);
    CHECK_CLOSE(nn[0], 1000, 0, 1e-9);
    CHECK(eo_hrv_nn_intervals(beats, normal, 8, 0, nn, &m, &err) == EO_STATUS_USAGE);
    CHECK(eo_hrv_is_normal_symbol("N") && eo_hrv_is_normal_symbol("L") && eo_hrv_is_normal_symbol("R"));
    CHECK(!eo_hrv_is_normal_symbol("V") && !eo_hrv_is_normal_symbol("A") && !eo_hrv_is_normal_symbol("j") &&
          !eo_hrv_is_normal_symbol("") && !eo_hrv_is_normal_symbol(NULL));
}

TEST(sdnn_known_answers)
{
    double sd, mean;
    size_t m;
    eo_error err;
    CHECK_OK(eo_hrv_sdnn(beats, normal, 8, 1000, &sd, &mean, &m, &err), &err);
    CHECK_EQ_INT((int)m, 3);
    CHECK_CLOSE(mean, 806.6666666666666, 1e-14, 0);
    CHECK_CLOSE(sd, 11.547005383792515, 1e-12, 0); /* sqrt(400 / 3) */
    /* over all RR intervals (SDRR) the two PVCs dominate: 249.49 ms */
    CHECK_OK(eo_hrv_sdnn(beats, NULL, 8, 1000, &sd, &mean, &m, &err), &err);
    CHECK_EQ_INT((int)m, 7);
    CHECK_CLOSE(sd, 249.49472749462873, 1e-12, 0);
    CHECK_CLOSE(mean, 831.4285714285714, 1e-14, 0);
    /* fewer than 2 NN intervals: NaN */
    CHECK_OK(eo_hrv_sdnn(beats, normal, 3, 1000, &sd, &mean, &m, &err), &err);
    CHECK_EQ_INT((int)m, 0);
    CHECK(isnan(sd) && isnan(mean));
}

int main(void)
{
    RUN(nn_selection);
    RUN(sdnn_known_answers);
    TEST_END();
}
