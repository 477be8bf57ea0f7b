/* Known answers for the fidelity metrics (hand-computed). */
#include "ecgopt/metrics.h"
#include "eo_test.h"

TEST(known_answers)
{
    /* x = [1 2 3 4], y = [1 2 3 5]: err^2 sum 1, mean x 2.5, centred ss 5,
     * offset 0 ss 30. */
    double x[4] = {1, 2, 3, 4}, y[4] = {1, 2, 3, 5};
    eo_fidelity f = eo_fidelity_of(x, y, 4, 0.0);
    CHECK_CLOSE(f.rmse, 0.5, 1e-15, 0);
    CHECK_CLOSE(f.prd, 100.0 * sqrt(1.0 / 30.0), 1e-14, 0);
    CHECK_CLOSE(f.prdn, 100.0 * sqrt(1.0 / 5.0), 1e-14, 0);
    CHECK_CLOSE(f.snr_db, 10.0 * log10(5.0), 1e-14, 0);
    CHECK_CLOSE(f.max_abs_error, 1.0, 0, 0);
    CHECK_CLOSE(eo_snr_db(x, y, 4), 10.0 * log10(5.0), 1e-14, 0);
    /* PRD with an ADC-zero offset of 1: sum (x-1)^2 = 0+1+4+9 = 14 */
    eo_fidelity g = eo_fidelity_of(x, y, 4, 1.0);
    CHECK_CLOSE(g.prd, 100.0 * sqrt(1.0 / 14.0), 1e-14, 0);
}

TEST(pooling_equals_one_shot)
{
    double x[6] = {3, -1, 4, 1, -5, 9}, y[6] = {2.5, -1, 4.5, 1, -4, 8};
    eo_fidelity a, b;
    eo_fidelity_init(&a);
    eo_fidelity_init(&b);
    eo_fidelity_add(&a, x, y, 2, 0);
    eo_fidelity_add(&b, x + 2, y + 2, 4, 0);
    eo_fidelity_merge(&a, &b);
    eo_fidelity_finish(&a);
    eo_fidelity one = eo_fidelity_of(x, y, 6, 0);
    CHECK_CLOSE(a.prdn, one.prdn, 1e-12, 0);
    CHECK_CLOSE(a.prd, one.prd, 1e-12, 0);
    CHECK_CLOSE(a.max_abs_error, 1.0, 0, 0);
}

TEST(perfect_and_improvement)
{
    double x[3] = {1, 2, 3}, noisy[3] = {1.5, 2, 2.5}, den[3] = {1.25, 2, 2.75};
    eo_fidelity f = eo_fidelity_of(x, x, 3, 0);
    CHECK(f.prdn == 0 && isinf(f.snr_db));
    /* error halves -> SNR improves by 20 log10(2) */
    CHECK_CLOSE(eo_snr_improvement_db(x, noisy, den, 3), 20.0 * log10(2.0), 1e-12, 0);
    /* CR: 650000 samples x 11 bits in 89375 bytes = 10 */
    CHECK_CLOSE(eo_compression_ratio(11, 650000, 89375), 10.0, 1e-12, 0);
}

int main(void)
{
    RUN(known_answers);
    RUN(pooling_equals_one_shot);
    RUN(perfect_and_improvement);
    TEST_END();
}
