#include "ecgopt/rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void eo_rng_seed(eo_rng *rng, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&x);
    rng->has_spare = 0;
    rng->spare_normal = 0.0;
}

void eo_rng_seed_stream(eo_rng *rng, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ 0x5851f42d4c957f2dULL;
    uint64_t mixed = splitmix64(&x) ^ (stream * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
    eo_rng_seed(rng, mixed);
}

uint64_t eo_rng_u64(eo_rng *rng)
{
    return eo_rng_u64_inline(rng);
}

double eo_rng_uniform(eo_rng *rng)
{
    return (double)(eo_rng_u64(rng) >> 11) * 0x1.0p-53;
}

double eo_rng_range(eo_rng *rng, double lo, double hi)
{
    return lo + (hi - lo) * eo_rng_uniform(rng);
}

uint64_t eo_rng_below(eo_rng *rng, uint64_t n)
{
    /* Lemire's nearly-divisionless method with rejection. */
    __uint128_t m = (__uint128_t)eo_rng_u64(rng) * n;
    uint64_t l = (uint64_t)m;
    if (l < n) {
        uint64_t t = -n % n;
        while (l < t) {
            m = (__uint128_t)eo_rng_u64(rng) * n;
            l = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

double eo_rng_normal(eo_rng *rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare_normal;
    }
    double u, v, s;
    do {
        u = 2.0 * eo_rng_uniform(rng) - 1.0;
        v = 2.0 * eo_rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    rng->spare_normal = v * f;
    rng->has_spare = 1;
    return u * f;
}

void eo_rng_shuffle_size(eo_rng *rng, size_t *idx, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)eo_rng_below(rng, i);
        size_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}
