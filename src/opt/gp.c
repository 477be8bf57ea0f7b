/* Gaussian process regression with a Matern-5/2 ARD kernel for mixed
 * (continuous / integer / categorical) spaces; see ecgopt/opt.h.
 *
 * C. E. Rasmussen, C. K. I. Williams, "Gaussian Processes for Machine
 * Learning", MIT Press 2006:
 *   L = chol(K + noise I), alpha = L^T \ (L \ y)            (Alg. 2.1)
 *   mean = k*^T alpha, var = k(x,x) - |L \ k*|^2
 *   log p(y|X) = -y^T alpha / 2 - sum log L_ii - n/2 log 2 pi  (Eq. 2.30)
 *   d/dtheta_k = tr((alpha alpha^T - K^-1) dK/dtheta_k) / 2   (Eq. 5.9)
 * Matern-5/2 (Eq. 4.17): k(r) = s2 (1 + sqrt5 r + 5 r^2/3) exp(-sqrt5 r),
 *   dk/dlog l_j = s2 (5/3) (1 + sqrt5 r) exp(-sqrt5 r) d_j^2 / l_j^2.
 * Hyperparameters: maximise the log marginal likelihood by L-BFGS
 * (Nocedal & Wright 2006, Alg. 7.4, memory 6) with iterates projected onto
 * the box and a backtracking Armijo line search. */
#include "ecgopt/opt.h"

#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SQRT5 2.23606797749979

struct eo_gp {
    eo_space *space;
    size_t d, nh;
    unsigned char *cat;    /* per dim: 1 categorical */
    size_t *levels;
    double *theta, *lo, *hi;
    /* data */
    size_t n, cap;
    double *x;             /* n x d transformed (snapped / category index) */
    double *y;             /* standardised */
    double ymean, ystd;
    /* factorisation at theta */
    double *L, *alpha, *work, *Kinv;
    double *il2;           /* 1 / l_j^2 at the fitted theta */
    int fitted, any_cat, any_discrete;
};

void eo_gp_destroy(eo_gp *gp)
{
    if (!gp)
        return;
    eo_space_destroy(gp->space);
    free(gp->cat);
    free(gp->levels);
    free(gp->theta);
    free(gp->lo);
    free(gp->hi);
    free(gp->x);
    free(gp->y);
    free(gp->L);
    free(gp->alpha);
    free(gp->work);
    free(gp->Kinv);
    free(gp->il2);
    free(gp);
}

eo_status eo_gp_create(const eo_space *space, eo_gp **out, eo_error *err)
{
    if (!out || !space || eo_space_dim(space) == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "gp: empty search space");
    eo_gp *gp = calloc(1, sizeof *gp);
    if (!gp)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "gp: out of memory");
    eo_status st = eo_space_clone(space, &gp->space, err);
    if (st) {
        free(gp);
        return st;
    }
    gp->d = eo_space_dim(space);
    gp->nh = gp->d + 2;
    gp->cat = calloc(gp->d, 1);
    gp->levels = calloc(gp->d, sizeof(size_t));
    gp->theta = malloc(gp->nh * sizeof(double));
    gp->lo = malloc(gp->nh * sizeof(double));
    gp->hi = malloc(gp->nh * sizeof(double));
    gp->il2 = malloc(gp->d * sizeof(double));
    if (!gp->il2 || !gp->cat || !gp->levels || !gp->theta || !gp->lo || !gp->hi) {
        eo_gp_destroy(gp);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "gp: out of memory");
    }
    for (size_t j = 0; j < gp->d; j++) {
        gp->cat[j] = eo_space_kind(space, j) == EO_PARAM_CATEGORICAL;
        gp->any_cat |= gp->cat[j];
        gp->any_discrete |= eo_space_kind(space, j) != EO_PARAM_CONTINUOUS;
        gp->levels[j] = eo_space_levels(space, j);
        gp->theta[j] = log(0.3);
        gp->lo[j] = log(1e-6);
        gp->hi[j] = log(1e3);
    }
    gp->theta[gp->d] = 0;
    gp->lo[gp->d] = log(1e-3);
    gp->hi[gp->d] = log(1e3);
    gp->theta[gp->d + 1] = log(1e-6);
    gp->lo[gp->d + 1] = log(1e-10);
    gp->hi[gp->d + 1] = 0;
    *out = gp;
    return EO_STATUS_OK;
}

size_t eo_gp_n_hyper(const eo_gp *gp) { return gp->nh; }
void eo_gp_get_hyper(const eo_gp *gp, double *theta)
{
    memcpy(theta, gp->theta, gp->nh * sizeof(double));
}
static void clampv(const eo_gp *gp, double *t)
{
    for (size_t k = 0; k < gp->nh; k++) {
        if (!(t[k] >= gp->lo[k]))
            t[k] = gp->lo[k];
        if (t[k] > gp->hi[k])
            t[k] = gp->hi[k];
    }
}
void eo_gp_set_hyper(eo_gp *gp, const double *theta)
{
    memcpy(gp->theta, theta, gp->nh * sizeof(double));
    clampv(gp, gp->theta);
}

/* Kernel-space coordinates: snapped value or category index. */
static void transform(const eo_gp *gp, const double *u, double *t)
{
    memcpy(t, u, gp->d * sizeof(double));
    if (!gp->any_discrete) {
        for (size_t j = 0; j < gp->d; j++)
            t[j] = !(t[j] > 0) ? 0 : (t[j] > 1 ? 1 : t[j]);
        return;
    }
    eo_space_snap(gp->space, t);
    for (size_t j = 0; j < gp->d; j++)
        if (gp->cat[j]) {
            double k = floor(t[j] * (double)gp->levels[j]);
            t[j] = k >= (double)gp->levels[j] ? (double)gp->levels[j] - 1 : k;
        }
}

/* r^2 with inverse squared length scales il2 */
static double dist2(const eo_gp *gp, const double *a, const double *b, const double *il2)
{
    double r2 = 0;
    if (!gp->any_cat) {
        for (size_t j = 0; j < gp->d; j++) {
            double dj = a[j] - b[j];
            r2 += dj * dj * il2[j];
        }
        return r2;
    }
    for (size_t j = 0; j < gp->d; j++) {
        double dj = gp->cat[j] ? (a[j] != b[j] ? 1.0 : 0.0) : a[j] - b[j];
        r2 += dj * dj * il2[j];
    }
    return r2;
}

static double matern(double s2, double r2)
{
    double r = sqrt(r2);
    return s2 * (1.0 + SQRT5 * r + 5.0 / 3.0 * r2) * exp(-SQRT5 * r);
}

/* Factorise K(theta) into gp->L and solve alpha; returns 0 or -1. */
static int factor(eo_gp *gp, const double *theta)
{
    size_t n = gp->n, d = gp->d;
    double il2[d > 0 ? d : 1];
    for (size_t j = 0; j < d; j++)
        il2[j] = exp(-2.0 * theta[j]);
    double s2 = exp(theta[d]), nz = exp(theta[d + 1]);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k <= i; k++) {
            double v = matern(s2, dist2(gp, gp->x + i * d, gp->x + k * d, il2));
            gp->L[i * n + k] = v;
            gp->L[k * n + i] = v;
        }
        gp->L[i * n + i] += nz;
    }
    if (LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)n, gp->L, (lapack_int)n) != 0)
        return -1;
    memcpy(gp->alpha, gp->y, n * sizeof(double));
    if (LAPACKE_dpotrs(LAPACK_ROW_MAJOR, 'L', (lapack_int)n, 1, gp->L, (lapack_int)n, gp->alpha,
                       1) != 0)
        return -1;
    return 0;
}

double eo_gp_log_ml(eo_gp *gp, const double *theta_in, double *grad)
{
    size_t n = gp->n, d = gp->d;
    if (n == 0)
        return -INFINITY;
    double theta[gp->nh];
    memcpy(theta, theta_in ? theta_in : gp->theta, gp->nh * sizeof(double));
    if (factor(gp, theta) != 0)
        return -INFINITY;
    double lml = -0.5 * n * log(2 * M_PI);
    for (size_t i = 0; i < n; i++)
        lml += -0.5 * gp->y[i] * gp->alpha[i] - log(gp->L[i * n + i]);
    if (grad) {
        /* W = alpha alpha^T - K^-1 (symmetric) */
        memcpy(gp->Kinv, gp->L, n * n * sizeof(double));
        if (LAPACKE_dpotri(LAPACK_ROW_MAJOR, 'L', (lapack_int)n, gp->Kinv, (lapack_int)n) != 0)
            return -INFINITY;
        double il2[d > 0 ? d : 1];
        for (size_t j = 0; j < d; j++)
            il2[j] = exp(-2.0 * theta[j]);
        double s2 = exp(theta[d]), nz = exp(theta[d + 1]);
        for (size_t k = 0; k < gp->nh; k++)
            grad[k] = 0;
        for (size_t i = 0; i < n; i++) {
            const double *xi = gp->x + i * d;
            for (size_t k = 0; k <= i; k++) {
                double w = gp->alpha[i] * gp->alpha[k] - gp->Kinv[i * n + k]; /* lower part valid */
                double mult = (k == i) ? 0.5 : 1.0; /* symmetric: off-diagonal counted twice */
                const double *xk = gp->x + k * d;
                double r2 = dist2(gp, xi, xk, il2), r = sqrt(r2), e = exp(-SQRT5 * r);
                double kf = s2 * (1.0 + SQRT5 * r + 5.0 / 3.0 * r2) * e;
                grad[d] += mult * w * kf;
                if (k == i)
                    grad[d + 1] += mult * w * nz;
                double g0 = s2 * (5.0 / 3.0) * (1.0 + SQRT5 * r) * e;
                if (k != i)
                    for (size_t j = 0; j < d; j++) {
                        double dj = gp->cat[j] ? (xi[j] != xk[j] ? 1.0 : 0.0) : xi[j] - xk[j];
                        grad[j] += mult * w * g0 * dj * dj * il2[j];
                    }
            }
        }
    }
    return lml;
}

/* Minimise f = -lml over the box by projected L-BFGS. */
static double lbfgs(eo_gp *gp, double *t, int max_iter)
{
    enum { M = 6 };
    size_t h = gp->nh;
    double g[h], tn[h], gn[h], p[h], s[M][h], yv[M][h], rho[M], al[M];
    int mcount = 0, head = 0;
    double f = -eo_gp_log_ml(gp, t, g);
    if (!isfinite(f))
        return f;
    for (size_t k = 0; k < h; k++)
        g[k] = -g[k];
    for (int it = 0; it < max_iter; it++) {
        /* two-loop recursion */
        for (size_t k = 0; k < h; k++)
            p[k] = -g[k];
        for (int m = 0; m < mcount; m++) {
            int i = (head - 1 - m + M) % M;
            double a = 0;
            for (size_t k = 0; k < h; k++)
                a += s[i][k] * p[k];
            a *= rho[i];
            al[i] = a;
            for (size_t k = 0; k < h; k++)
                p[k] -= a * yv[i][k];
        }
        if (mcount) {
            int i = (head - 1 + M) % M;
            double sy = 0, yy = 0;
            for (size_t k = 0; k < h; k++) {
                sy += s[i][k] * yv[i][k];
                yy += yv[i][k] * yv[i][k];
            }
            double gam = yy > 0 ? sy / yy : 1;
            for (size_t k = 0; k < h; k++)
                p[k] *= gam;
        }
        for (int m = mcount - 1; m >= 0; m--) {
            int i = (head - 1 - m + M) % M;
            double b = 0;
            for (size_t k = 0; k < h; k++)
                b += yv[i][k] * p[k];
            b *= rho[i];
            for (size_t k = 0; k < h; k++)
                p[k] += s[i][k] * (al[i] - b);
        }
        double gp_dot = 0;
        for (size_t k = 0; k < h; k++)
            gp_dot += g[k] * p[k];
        if (!(gp_dot < 0)) { /* not a descent direction: steepest descent */
            for (size_t k = 0; k < h; k++)
                p[k] = -g[k];
            gp_dot = 0;
            for (size_t k = 0; k < h; k++)
                gp_dot -= g[k] * g[k];
            mcount = 0;
        }
        /* cap the step to 2 log units per coordinate */
        double pm = 0;
        for (size_t k = 0; k < h; k++)
            pm = fabs(p[k]) > pm ? fabs(p[k]) : pm;
        double step = pm > 2 ? 2 / pm : 1;
        double fn = INFINITY;
        int ok = 0;
        for (int ls = 0; ls < 20; ls++) {
            for (size_t k = 0; k < h; k++)
                tn[k] = t[k] + step * p[k];
            clampv(gp, tn);
            double dd = 0;
            for (size_t k = 0; k < h; k++)
                dd += g[k] * (tn[k] - t[k]);
            fn = -eo_gp_log_ml(gp, tn, gn);
            if (isfinite(fn) && fn <= f + 1e-4 * dd) {
                ok = 1;
                break;
            }
            step *= 0.5;
        }
        if (!ok)
            break;
        for (size_t k = 0; k < h; k++)
            gn[k] = -gn[k];
        double sy = 0;
        for (size_t k = 0; k < h; k++) {
            s[head][k] = tn[k] - t[k];
            yv[head][k] = gn[k] - g[k];
            sy += s[head][k] * yv[head][k];
        }
        double df = f - fn;
        memcpy(t, tn, h * sizeof(double));
        memcpy(g, gn, h * sizeof(double));
        f = fn;
        if (sy > 1e-12) {
            rho[head] = 1.0 / sy;
            head = (head + 1) % M;
            if (mcount < M)
                mcount++;
        }
        /* projected gradient small or no progress */
        double pg = 0;
        for (size_t k = 0; k < h; k++) {
            double q = t[k] - g[k];
            q = q < gp->lo[k] ? gp->lo[k] : (q > gp->hi[k] ? gp->hi[k] : q);
            pg = fabs(q - t[k]) > pg ? fabs(q - t[k]) : pg;
        }
        if (pg < 1e-6 || df < 1e-10 * (1 + fabs(f)))
            break;
    }
    return f;
}

static eo_status ensure(eo_gp *gp, size_t n, eo_error *err)
{
    if (n <= gp->cap)
        return EO_STATUS_OK;
    size_t d = gp->d;
    free(gp->x);
    free(gp->y);
    free(gp->L);
    free(gp->alpha);
    free(gp->work);
    free(gp->Kinv);
    gp->x = malloc(n * d * sizeof(double));
    gp->y = malloc(n * sizeof(double));
    gp->L = malloc(n * n * sizeof(double));
    gp->alpha = malloc(n * sizeof(double));
    gp->work = malloc(n * sizeof(double));
    gp->Kinv = malloc(n * n * sizeof(double));
    gp->cap = n;
    if (!gp->x || !gp->y || !gp->L || !gp->alpha || !gp->work || !gp->Kinv) {
        gp->cap = 0;
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "gp: out of memory for %zu points", n);
    }
    return EO_STATUS_OK;
}

eo_status eo_gp_fit(eo_gp *gp, const double *x, const double *y, size_t n, int restarts,
                    eo_rng *rng, eo_error *err)
{
    gp->fitted = 0;
    if (n == 0 || !x || !y)
        return eo_error_set(err, EO_STATUS_USAGE, "gp: fit needs at least one point");
    if (n > 20000)
        return eo_error_set(err, EO_STATUS_USAGE, "gp: %zu points is too many (max 20000)", n);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return eo_error_set(err, EO_STATUS_NUMERIC, "gp: target %zu is not finite", i);
    eo_status st = ensure(gp, n, err);
    if (st)
        return st;
    size_t d = gp->d;
    gp->n = n;
    double m = 0, v = 0;
    for (size_t i = 0; i < n; i++)
        m += y[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        v += (y[i] - m) * (y[i] - m);
    v /= (double)n;
    gp->ymean = m;
    gp->ystd = v > 0 ? sqrt(v) : 1.0;
    for (size_t i = 0; i < n; i++) {
        gp->y[i] = (y[i] - m) / gp->ystd;
        transform(gp, x + i * d, gp->x + i * d);
    }
    if (restarts >= 0 && n >= 2) {
        size_t h = gp->nh;
        double best[h], t[h];
        memcpy(best, gp->theta, h * sizeof(double));
        double fb = lbfgs(gp, best, 60);
        int nstart = 1 + restarts;
        for (int s = 0; s < nstart; s++) {
            if (s == 0) {
                /* data-based guess: length scale = spread of the points */
                for (size_t j = 0; j < d; j++) {
                    double lo = INFINITY, hi = -INFINITY;
                    for (size_t i = 0; i < n; i++) {
                        double q = gp->x[i * d + j];
                        lo = q < lo ? q : lo;
                        hi = q > hi ? q : hi;
                    }
                    double sp = gp->cat[j] ? 1.0 : (hi - lo) * 0.5;
                    t[j] = log(sp > 1e-6 ? sp : 1e-6);
                }
                t[d] = 0;
                t[d + 1] = log(1e-6);
            } else {
                if (!rng)
                    break;
                for (size_t k = 0; k < h; k++)
                    t[k] = eo_rng_range(rng, gp->lo[k], gp->hi[k]);
                t[d + 1] = eo_rng_range(rng, log(1e-10), log(1e-2));
            }
            clampv(gp, t);
            double ft = lbfgs(gp, t, 60);
            if (isfinite(ft) && (!isfinite(fb) || ft < fb)) {
                fb = ft;
                memcpy(best, t, h * sizeof(double));
            }
        }
        memcpy(gp->theta, best, h * sizeof(double));
    }
    /* factorise at theta; raise the noise if it is not positive definite */
    for (int tries = 0; tries < 12; tries++) {
        if (factor(gp, gp->theta) == 0) {
            for (size_t j = 0; j < d; j++)
                gp->il2[j] = exp(-2.0 * gp->theta[j]);
            gp->fitted = 1;
            return EO_STATUS_OK;
        }
        gp->theta[d + 1] = gp->theta[d + 1] < log(1e-10) ? log(1e-10) : gp->theta[d + 1] + log(10);
    }
    return eo_error_set(err, EO_STATUS_NUMERIC,
                        "gp: kernel matrix of %zu points is not positive definite", n);
}

void eo_gp_predict(const eo_gp *gp, const double *u, double *mean, double *var)
{
    size_t n = gp->n, d = gp->d;
    if (!gp->fitted) {
        *mean = NAN;
        if (var)
            *var = NAN;
        return;
    }
    double t[d];
    const double *il2 = gp->il2;
    transform(gp, u, t);
    double s2 = exp(gp->theta[d]);
    double *ks = gp->work;
    double mu = 0;
    for (size_t i = 0; i < n; i++) {
        ks[i] = matern(s2, dist2(gp, t, gp->x + i * d, il2));
        mu += ks[i] * gp->alpha[i];
    }
    *mean = gp->ymean + gp->ystd * mu;
    if (var) {
        /* v = L \ k*, forward substitution (L row-major lower) */
        double vv = 0;
        for (size_t i = 0; i < n; i++) {
            double s = ks[i];
            const double *Li = gp->L + i * n;
            for (size_t k = 0; k < i; k++)
                s -= Li[k] * ks[k];
            s /= Li[i];
            ks[i] = s;
            vv += s * s;
        }
        double v = s2 - vv;
        *var = (v > 0 ? v : 0) * gp->ystd * gp->ystd;
    }
}
