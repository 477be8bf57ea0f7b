/* CEC 2017 hybrid functions F11-F20 (Awad et al. 2016, section 2.3) and
 * composition functions F21-F30 (section 2.4, eq. for w_i), following the
 * official code: the point is shifted and rotated once, permuted by the
 * shuffle data, cut into groups of ceil(p_i * D) variables, and each group
 * goes to a basic function without shift or rotation (but with that
 * function's own scaling).  Composition weights w_i = 1/sqrt(d_i^2) *
 * exp(-d_i^2 / (2 D sigma_i^2)), normalised, with w_i = 1e99 at d_i = 0. */
#include <math.h>
#include <string.h>

#include "cec2017_impl.h"

typedef void (*basic_fn)(eo_cec_ctx *, const double *, double *, int, const double *,
                         const double *, int, int);

typedef struct hybrid_def {
    int n;
    double p[6];
    basic_fn fn[6];
} hybrid_def;

static const hybrid_def k_hybrid[10] = {
    {3, {0.2, 0.4, 0.4}, {eo_cec_zakharov, eo_cec_rosenbrock, eo_cec_rastrigin}},
    {3, {0.3, 0.3, 0.4}, {eo_cec_ellips, eo_cec_schwefel, eo_cec_bent_cigar}},
    {3, {0.3, 0.3, 0.4}, {eo_cec_bent_cigar, eo_cec_rosenbrock, eo_cec_bi_rastrigin}},
    {4, {0.2, 0.2, 0.2, 0.4}, {eo_cec_ellips, eo_cec_ackley, eo_cec_schaffer_f7, eo_cec_rastrigin}},
    {4, {0.2, 0.2, 0.3, 0.3}, {eo_cec_bent_cigar, eo_cec_hgbat, eo_cec_rastrigin, eo_cec_rosenbrock}},
    {4, {0.2, 0.2, 0.3, 0.3}, {eo_cec_escaffer6, eo_cec_hgbat, eo_cec_rosenbrock, eo_cec_schwefel}},
    {5, {0.1, 0.2, 0.2, 0.2, 0.3},
     {eo_cec_katsuura, eo_cec_ackley, eo_cec_grie_rosen, eo_cec_schwefel, eo_cec_rastrigin}},
    {5, {0.2, 0.2, 0.2, 0.2, 0.2},
     {eo_cec_ellips, eo_cec_ackley, eo_cec_rastrigin, eo_cec_hgbat, eo_cec_discus}},
    {5, {0.2, 0.2, 0.2, 0.2, 0.2},
     {eo_cec_bent_cigar, eo_cec_rastrigin, eo_cec_grie_rosen, eo_cec_weierstrass, eo_cec_escaffer6}},
    {6, {0.1, 0.1, 0.2, 0.2, 0.2, 0.2},
     {eo_cec_hgbat, eo_cec_katsuura, eo_cec_ackley, eo_cec_rastrigin, eo_cec_schwefel,
      eo_cec_schaffer_f7}},
};

void eo_cec_hybrid(eo_cec_ctx *c, int k, const double *x, double *f, int nx, const double *Os,
                   const double *Mr, const int *S, int s_flag, int r_flag)
{
    const hybrid_def *h = &k_hybrid[k - 1];
    int G[6], Gn[6], tot = 0;
    for (int i = 0; i < h->n - 1; i++) {
        Gn[i] = (int)ceil(h->p[i] * nx);
        tot += Gn[i];
    }
    Gn[h->n - 1] = nx - tot;
    G[0] = 0;
    for (int i = 1; i < h->n; i++)
        G[i] = G[i - 1] + Gn[i - 1];
    double *y = c->y, *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 1.0, s_flag, r_flag);
    for (int i = 0; i < nx; i++)
        y[i] = z[S[i] - 1];
    double s = 0.0;
    for (int i = 0; i < h->n; i++) {
        double fit = 0.0;
        if (Gn[i] > 0)
            h->fn[i](c, &y[G[i]], &fit, Gn[i], Os, Mr, 0, 0);
        s += fit;
    }
    f[0] = s;
}

/* Composition: components j with shift Os[j*nx], rotation Mr[j*nx*nx],
 * fitness scaling lambda_j (as factor and divisor, exactly as written in the
 * official code), sigma_j and bias_j = 100 j. */
typedef struct comp_def {
    int n;
    double delta[6];
    basic_fn fn[6];
    double mul[6], div[6]; /* fit = mul * fit / div; mul 0 = unscaled */
} comp_def;

static const comp_def k_comp[8] = {
    {3, {10, 20, 30}, {eo_cec_rosenbrock, eo_cec_ellips, eo_cec_rastrigin}, {0, 10000, 0},
     {1, 1e10, 1}},
    {3, {10, 20, 30}, {eo_cec_rastrigin, eo_cec_griewank, eo_cec_schwefel}, {0, 1000, 0},
     {1, 100, 1}},
    {4, {10, 20, 30, 40}, {eo_cec_rosenbrock, eo_cec_ackley, eo_cec_schwefel, eo_cec_rastrigin},
     {0, 1000, 0, 0}, {1, 100, 1, 1}},
    {4, {10, 20, 30, 40}, {eo_cec_ackley, eo_cec_ellips, eo_cec_griewank, eo_cec_rastrigin},
     {1000, 10000, 1000, 0}, {100, 1e10, 100, 1}},
    {5, {10, 20, 30, 40, 50},
     {eo_cec_rastrigin, eo_cec_happycat, eo_cec_ackley, eo_cec_discus, eo_cec_rosenbrock},
     {10000, 1000, 1000, 10000, 0}, {1e3, 1e3, 100, 1e10, 1}},
    {5, {10, 20, 20, 30, 40},
     {eo_cec_escaffer6, eo_cec_schwefel, eo_cec_griewank, eo_cec_rosenbrock, eo_cec_rastrigin},
     {10000, 0, 1000, 0, 10000}, {2e7, 1, 100, 1, 1e3}},
    {6, {10, 20, 30, 40, 50, 60},
     {eo_cec_hgbat, eo_cec_rastrigin, eo_cec_schwefel, eo_cec_bent_cigar, eo_cec_ellips,
      eo_cec_escaffer6},
     {10000, 10000, 10000, 10000, 10000, 10000}, {1000, 1e3, 4e3, 1e30, 1e10, 2e7}},
    {6, {10, 20, 30, 40, 50, 60},
     {eo_cec_ackley, eo_cec_griewank, eo_cec_discus, eo_cec_rosenbrock, eo_cec_happycat,
      eo_cec_escaffer6},
     {1000, 1000, 10000, 0, 1000, 10000}, {100, 100, 1e10, 1, 1e3, 2e7}},
};

static double cf_cal(const double *x, int nx, const double *Os, const double *delta,
                     double *fit, int n)
{
    double w[6], w_max = 0, w_sum = 0;
    for (int i = 0; i < n; i++) {
        fit[i] += 100.0 * i;
        double d2 = 0;
        for (int j = 0; j < nx; j++) {
            double t = x[j] - Os[(size_t)i * nx + j];
            d2 += t * t;
        }
        if (d2 != 0)
            w[i] = pow(1.0 / d2, 0.5) * exp(-d2 / 2.0 / nx / (delta[i] * delta[i]));
        else
            w[i] = 1.0e99;
        if (w[i] > w_max)
            w_max = w[i];
    }
    for (int i = 0; i < n; i++)
        w_sum += w[i];
    if (w_max == 0) {
        for (int i = 0; i < n; i++)
            w[i] = 1;
        w_sum = n;
    }
    double f = 0.0;
    for (int i = 0; i < n; i++)
        f += w[i] / w_sum * fit[i];
    return f;
}

void eo_cec_composition(eo_cec_ctx *c, int k, const double *x, double *f, int nx,
                        const double *Os, const double *Mr, const int *S)
{
    double fit[6];
    size_t nn = (size_t)nx * nx;
    if (k <= 8) {
        const comp_def *d = &k_comp[k - 1];
        for (int i = 0; i < d->n; i++) {
            d->fn[i](c, x, &fit[i], nx, &Os[(size_t)i * nx], &Mr[i * nn], 1, 1);
            if (d->mul[i] != 0)
                fit[i] = d->mul[i] * fit[i] / d->div[i];
        }
        f[0] = cf_cal(x, nx, Os, d->delta, fit, d->n);
        return;
    }
    /* F29: hybrids 5, 6, 7; F30: hybrids 5, 8, 9; sigma 10, 30, 50 */
    static const double delta[3] = {10, 30, 50};
    const int hy[2][3] = {{5, 6, 7}, {5, 8, 9}};
    for (int i = 0; i < 3; i++)
        eo_cec_hybrid(c, hy[k - 9][i], x, &fit[i], nx, &Os[(size_t)i * nx], &Mr[i * nn],
                      &S[(size_t)i * nx], 1, 1);
    f[0] = cf_cal(x, nx, Os, delta, fit, 3);
}
