/* CEC 2017 basic functions (Awad et al. 2016, section 1.2, "basic
 * functions"), written to give the same values as the competition's official
 * cec17_test_func.cpp: same scaling constants (sh_rate), same "shift to
 * origin" offsets, and the same reads of the scratch vectors c->y / c->z that
 * the official code keeps in globals. */
#include <math.h>
#include <string.h>

#include "cec2017_impl.h"

#define CEC_PI 3.1415926535897932384626433832795029
#define CEC_E 2.7182818284590452353602874713526625

/* xrot = Mr * x (row-major).  Four partial sums let the compiler vectorise;
 * the values differ from the official left-to-right sum by rounding only. */
static void rotate(const double *x, double *xrot, int nx, const double *Mr)
{
    for (int i = 0; i < nx; i++) {
        const double *row = Mr + (size_t)i * nx;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 4 <= nx; j += 4) {
            s0 += x[j] * row[j];
            s1 += x[j + 1] * row[j + 1];
            s2 += x[j + 2] * row[j + 2];
            s3 += x[j + 3] * row[j + 3];
        }
        for (; j < nx; j++)
            s0 += x[j] * row[j];
        xrot[i] = (s0 + s1) + (s2 + s3);
    }
}

void eo_cec_sr(eo_cec_ctx *c, const double *x, double *sr_x, int nx, const double *Os,
               const double *Mr, double sh_rate, int s_flag, int r_flag)
{
    double *y = c->y;
    if (s_flag) {
        if (r_flag) {
            for (int i = 0; i < nx; i++)
                y[i] = (x[i] - Os[i]) * sh_rate;
            rotate(y, sr_x, nx, Mr);
        } else {
            for (int i = 0; i < nx; i++)
                sr_x[i] = (x[i] - Os[i]) * sh_rate;
        }
    } else {
        if (r_flag) {
            for (int i = 0; i < nx; i++)
                y[i] = x[i] * sh_rate;
            rotate(y, sr_x, nx, Mr);
        } else {
            for (int i = 0; i < nx; i++)
                sr_x[i] = x[i] * sh_rate;
        }
    }
}

EO_CEC_BASIC(eo_cec_ellips)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 1.0, s_flag, r_flag);
    double s = 0.0;
    for (int i = 0; i < nx; i++)
        s += pow(10.0, 6.0 * i / (nx - 1)) * z[i] * z[i];
    f[0] = s;
}

EO_CEC_BASIC(eo_cec_bent_cigar)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 1.0, s_flag, r_flag);
    double s = z[0] * z[0];
    for (int i = 1; i < nx; i++)
        s += 1e6 * z[i] * z[i];
    f[0] = s;
}

EO_CEC_BASIC(eo_cec_discus)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 1.0, s_flag, r_flag);
    double s = 1e6 * z[0] * z[0];
    for (int i = 1; i < nx; i++)
        s += z[i] * z[i];
    f[0] = s;
}

EO_CEC_BASIC(eo_cec_zakharov)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 1.0, s_flag, r_flag);
    double s1 = 0.0, s2 = 0.0;
    for (int i = 0; i < nx; i++) {
        s1 += z[i] * z[i];
        s2 += 0.5 * (i + 1) * z[i];
    }
    double s22 = s2 * s2;
    f[0] = s1 + s22 + s22 * s22;
}

EO_CEC_BASIC(eo_cec_rosenbrock)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 2.048 / 100.0, s_flag, r_flag);
    z[0] += 1.0; /* optimum moved to the origin */
    double s = 0.0;
    for (int i = 0; i < nx - 1; i++) {
        z[i + 1] += 1.0;
        double t1 = z[i] * z[i] - z[i + 1], t2 = z[i] - 1.0;
        s += 100.0 * t1 * t1 + t2 * t2;
    }
    f[0] = s;
}

/* Official quirk: the terms are built from c->y (the shifted, scaled but
 * unrotated point left by sr_func, or in a hybrid whatever c->y holds from
 * index 0), not from the rotated z. */
EO_CEC_BASIC(eo_cec_schaffer_f7)
{
    double *z = c->z, *y = c->y;
    eo_cec_sr(c, x, z, nx, Os, Mr, 1.0, s_flag, r_flag);
    double s = 0.0;
    for (int i = 0; i < nx - 1; i++) {
        z[i] = sqrt(y[i] * y[i] + y[i + 1] * y[i + 1]);
        double t = sin(50.0 * pow(z[i], 0.2));
        double sq = sqrt(z[i]);
        s += sq + sq * t * t;
    }
    f[0] = s * s / (nx - 1) / (nx - 1);
}

EO_CEC_BASIC(eo_cec_ackley)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 1.0, s_flag, r_flag);
    double s1 = 0.0, s2 = 0.0;
    for (int i = 0; i < nx; i++) {
        s1 += z[i] * z[i];
        s2 += cos(2.0 * CEC_PI * z[i]);
    }
    s1 = -0.2 * sqrt(s1 / nx);
    s2 /= nx;
    f[0] = CEC_E - 20.0 * exp(s1) - exp(s2) + 20.0;
}

EO_CEC_BASIC(eo_cec_weierstrass)
{
    double *z = c->z;
    const double a = 0.5, b = 3.0;
    enum { KMAX = 20 };
    eo_cec_sr(c, x, z, nx, Os, Mr, 0.5 / 100.0, s_flag, r_flag);
    /* a^k and b^k are exact in double, so tables equal the official pow() */
    double ak[KMAX + 1], bk[KMAX + 1], sum2 = 0.0;
    ak[0] = 1.0;
    bk[0] = 1.0;
    for (int k = 1; k <= KMAX; k++) {
        ak[k] = ak[k - 1] * a;
        bk[k] = bk[k - 1] * b;
    }
    for (int k = 0; k <= KMAX; k++)
        sum2 += ak[k] * cos(2.0 * CEC_PI * bk[k] * 0.5);
    double s = 0.0;
    for (int i = 0; i < nx; i++) {
        double sum = 0.0;
        for (int k = 0; k <= KMAX; k++)
            sum += ak[k] * cos(2.0 * CEC_PI * bk[k] * (z[i] + 0.5));
        s += sum;
    }
    f[0] = s - nx * sum2;
}

EO_CEC_BASIC(eo_cec_griewank)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 600.0 / 100.0, s_flag, r_flag);
    double s = 0.0, p = 1.0;
    for (int i = 0; i < nx; i++) {
        s += z[i] * z[i];
        p *= cos(z[i] / sqrt(1.0 + i));
    }
    f[0] = 1.0 + s / 4000.0 - p;
}

EO_CEC_BASIC(eo_cec_rastrigin)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 5.12 / 100.0, s_flag, r_flag);
    double s = 0.0;
    for (int i = 0; i < nx; i++)
        s += z[i] * z[i] - 10.0 * cos(2.0 * CEC_PI * z[i]) + 10.0;
    f[0] = s;
}

/* Official quirk: the rounding step of the non-continuous Rastrigin is
 * applied to the scratch vector before sr_func overwrites it, so F8 is the
 * plain shifted-rotated Rastrigin (with F8's own data). */
EO_CEC_BASIC(eo_cec_step_rastrigin)
{
    eo_cec_rastrigin(c, x, f, nx, Os, Mr, s_flag, r_flag);
}

EO_CEC_BASIC(eo_cec_schwefel)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 1000.0 / 100.0, s_flag, r_flag);
    double s = 0.0;
    for (int i = 0; i < nx; i++) {
        double zi = z[i] + 4.209687462275036e+002;
        z[i] = zi;
        if (zi > 500) {
            double m = 500.0 - fmod(zi, 500);
            s -= m * sin(sqrt(m));
            double t = (zi - 500.0) / 100;
            s += t * t / nx;
        } else if (zi < -500) {
            double m = fmod(fabs(zi), 500);
            s -= (-500.0 + m) * sin(sqrt(500.0 - m));
            double t = (zi + 500.0) / 100;
            s += t * t / nx;
        } else {
            s -= zi * sin(sqrt(fabs(zi)));
        }
    }
    f[0] = s + 4.189828872724338e+002 * nx;
}

EO_CEC_BASIC(eo_cec_katsuura)
{
    double *z = c->z;
    double p = 1.0, t3 = pow(1.0 * nx, 1.2);
    eo_cec_sr(c, x, z, nx, Os, Mr, 5.0 / 100.0, s_flag, r_flag);
    for (int i = 0; i < nx; i++) {
        double t = 0.0, p2 = 1.0;
        for (int j = 1; j <= 32; j++) {
            p2 *= 2.0; /* 2^j exactly */
            double t2 = p2 * z[i];
            t += fabs(t2 - floor(t2 + 0.5)) / p2;
        }
        p *= pow(1.0 + (i + 1) * t, 10.0 / t3);
    }
    double t1 = 10.0 / nx / nx;
    f[0] = p * t1 - t1;
}

/* Lunacek bi-Rastrigin as the official code computes it: mirrored by the
 * sign of the shift vector, rotation applied only to the cosine term. */
EO_CEC_BASIC(eo_cec_bi_rastrigin)
{
    double *y = c->y, *z = c->z, *tmpx = c->tmp;
    const double mu0 = 2.5, d = 1.0;
    double s = 1.0 - 1.0 / (2.0 * pow(nx + 20.0, 0.5) - 8.2);
    double mu1 = -pow((mu0 * mu0 - d) / s, 0.5);
    int i;
    if (s_flag)
        for (i = 0; i < nx; i++)
            y[i] = x[i] - Os[i];
    else
        for (i = 0; i < nx; i++)
            y[i] = x[i]; /* x may alias y (hybrids): same order as official */
    for (i = 0; i < nx; i++)
        y[i] *= 10.0 / 100.0;
    for (i = 0; i < nx; i++) {
        tmpx[i] = 2 * y[i];
        if (Os[i] < 0.0)
            tmpx[i] *= -1.;
    }
    for (i = 0; i < nx; i++) {
        z[i] = tmpx[i];
        tmpx[i] += mu0;
    }
    double t1 = 0.0, t2 = 0.0, t;
    for (i = 0; i < nx; i++) {
        t = tmpx[i] - mu0;
        t1 += t * t;
        t = tmpx[i] - mu1;
        t2 += t * t;
    }
    t2 *= s;
    t2 += d * nx;
    double cs = 0.0;
    if (r_flag) {
        rotate(z, y, nx, Mr);
        for (i = 0; i < nx; i++)
            cs += cos(2.0 * CEC_PI * y[i]);
    } else {
        for (i = 0; i < nx; i++)
            cs += cos(2.0 * CEC_PI * z[i]);
    }
    f[0] = (t1 < t2 ? t1 : t2) + 10.0 * (nx - cs);
}

EO_CEC_BASIC(eo_cec_grie_rosen)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 5.0 / 100.0, s_flag, r_flag);
    double s = 0.0, t1, t2, t;
    z[0] += 1.0;
    for (int i = 0; i < nx - 1; i++) {
        z[i + 1] += 1.0;
        t1 = z[i] * z[i] - z[i + 1];
        t2 = z[i] - 1.0;
        t = 100.0 * t1 * t1 + t2 * t2;
        s += (t * t) / 4000.0 - cos(t) + 1.0;
    }
    t1 = z[nx - 1] * z[nx - 1] - z[0];
    t2 = z[nx - 1] - 1.0;
    t = 100.0 * t1 * t1 + t2 * t2;
    f[0] = s + (t * t) / 4000.0 - cos(t) + 1.0;
}

EO_CEC_BASIC(eo_cec_escaffer6)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 1.0, s_flag, r_flag);
    double s = 0.0;
    for (int i = 0; i < nx; i++) {
        int k = (i + 1 < nx) ? i + 1 : 0; /* last term wraps to z[0] */
        double r2 = z[i] * z[i] + z[k] * z[k];
        double t1 = sin(sqrt(r2));
        t1 = t1 * t1;
        double t2 = 1.0 + 0.001 * r2;
        s += 0.5 + (t1 - 0.5) / (t2 * t2);
    }
    f[0] = s;
}

EO_CEC_BASIC(eo_cec_happycat)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 5.0 / 100.0, s_flag, r_flag);
    double r2 = 0.0, sz = 0.0;
    for (int i = 0; i < nx; i++) {
        z[i] -= 1.0;
        r2 += z[i] * z[i];
        sz += z[i];
    }
    f[0] = pow(fabs(r2 - nx), 2 * (1.0 / 8.0)) + (0.5 * r2 + sz) / nx + 0.5;
}

EO_CEC_BASIC(eo_cec_hgbat)
{
    double *z = c->z;
    eo_cec_sr(c, x, z, nx, Os, Mr, 5.0 / 100.0, s_flag, r_flag);
    double r2 = 0.0, sz = 0.0;
    for (int i = 0; i < nx; i++) {
        z[i] -= 1.0;
        r2 += z[i] * z[i];
        sz += z[i];
    }
    f[0] = pow(fabs(r2 * r2 - sz * sz), 2 * (1.0 / 4.0)) + (0.5 * r2 + sz) / nx + 0.5;
}

/* Official quirk: w = 1 + (z - 1)/4 with z = M(x - o), so the minimum is not
 * at the shift vector (f(o) != 900). */
EO_CEC_BASIC(eo_cec_levy)
{
    double *z = c->z, *w = c->tmp;
    eo_cec_sr(c, x, z, nx, Os, Mr, 1.0, s_flag, r_flag);
    for (int i = 0; i < nx; i++)
        w[i] = 1.0 + (z[i] - 1.0) / 4.0;
    double s0 = sin(CEC_PI * w[0]);
    double term1 = s0 * s0;
    double sl = sin(2 * CEC_PI * w[nx - 1]);
    double term3 = (w[nx - 1] - 1) * (w[nx - 1] - 1) * (1 + sl * sl);
    double s = 0.0;
    for (int i = 0; i < nx - 1; i++) {
        double si = sin(CEC_PI * w[i] + 1);
        s += (w[i] - 1) * (w[i] - 1) * (1 + 10 * si * si);
    }
    f[0] = term1 + s + term3;
}
