/* Variational Mode Decomposition — Dragomiretskiy & Zosso (2014), Algorithm 2.
 *
 * Only the non-negative half spectrum (bins 0..n-1 of the 2n-point mirrored
 * signal) is ever non-zero in the ADMM iterates (the reference zeroes the
 * negative half of f_hat and every update keeps it zero), so the iteration
 * works on n complex bins per mode.  The update order and the running
 * "sum of the other modes" accumulator follow the authors' MATLAB code (and
 * vmdpy) operation by operation so that results agree to rounding. */
#include "ecgopt/vmd.h"

#include "ecgopt/dsp.h"

#include <complex.h>
#include <fftw3.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EO_VMD_MAX_K 64

struct eo_vmd {
    size_t n;           /* signal length */
    size_t T;           /* mirrored length 2n */
    eo_vmd_options opt; /* K, alpha may be changed by eo_vmd_set_params */
    int k_cap;          /* modes the buffers hold */
    /* mirrored-signal transforms (size T) */
    double *tbuf;               /* T reals */
    fftw_complex *tspec;        /* T/2+1 bins */
    fftw_plan fwd_t, inv_t;
    /* signal-length transforms (size n) for the Hilbert envelope */
    double *nbuf;
    fftw_complex *nspec;
    fftw_plan fwd_n, inv_n;
    /* ADMM state, n bins each */
    /* split real/imaginary arrays (n bins each) so the mode update runs on
     * SIMD vectors */
    double *f_re, *f_im;     /* half spectrum of the mirrored signal */
    double *lam_re, *lam_im; /* dual variable */
    double *sum_re, *sum_im; /* accumulator: sum of the other modes */
    double *u_re, *u_im;     /* k_cap * n, current iterate */
    double *freqs;          /* m / T */
    double *omega;          /* k_cap */
    double *modes;          /* k_cap * n, time domain */
    double *diffk;          /* k_cap */
    double fs_hz;
    int k_run;
    int iterations;
    int converged;
};

void eo_vmd_defaults(eo_vmd_options *o)
{
    memset(o, 0, sizeof *o);
    o->K = 3;
    o->alpha = 2000.0;
    o->tau = 0.0;
    o->dc = 0;
    o->init = EO_VMD_INIT_ZERO;
    o->tol = 1e-7;
    o->max_iter = 500;
    o->rng = NULL;
}

static eo_status check_k_alpha(int K, double alpha, size_t n, eo_error *err)
{
    if (K < 1 || K > EO_VMD_MAX_K)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "vmd: K = %d modes is outside 1..%d", K,
                            EO_VMD_MAX_K);
    if ((size_t)K * 2 >= n)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "vmd: K = %d modes is more than a %zu-sample signal supports (need K < n/2)",
                            K, n);
    if (!(alpha > 0.0) || !isfinite(alpha))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "vmd: alpha = %g must be finite and > 0", alpha);
    return EO_STATUS_OK;
}

eo_status eo_vmd_check(const eo_vmd_options *o, size_t n, eo_error *err)
{
    if (!o)
        return eo_error_set(err, EO_STATUS_USAGE, "vmd: options are NULL");
    if (n < 8)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "vmd: signal of %zu samples is too short (need >= 8)", n);
    eo_status st = check_k_alpha(o->K, o->alpha, n, err);
    if (st)
        return st;
    if (!(o->tau >= 0.0) || !isfinite(o->tau))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "vmd: tau = %g must be finite and >= 0",
                            o->tau);
    if (!(o->tol >= 0.0) || !isfinite(o->tol))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "vmd: tol = %g must be finite and >= 0",
                            o->tol);
    if (o->max_iter < 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "vmd: max_iter = %d must be >= 1",
                            o->max_iter);
    if (o->init != EO_VMD_INIT_ZERO && o->init != EO_VMD_INIT_UNIFORM &&
        o->init != EO_VMD_INIT_RANDOM)
        return eo_error_set(err, EO_STATUS_USAGE, "vmd: init = %d is not zero(0), uniform(1) or random(2)",
                            (int)o->init);
    if (o->init == EO_VMD_INIT_RANDOM && !o->rng)
        return eo_error_set(err, EO_STATUS_USAGE, "vmd: random init needs an eo_rng (options.rng is NULL)");
    return EO_STATUS_OK;
}

static eo_status grow_modes(eo_vmd *v, int K, eo_error *err)
{
    if (K <= v->k_cap)
        return EO_STATUS_OK;
    size_t n = v->n;
    double *ur = realloc(v->u_re, (size_t)K * n * sizeof *ur);
    if (!ur)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "vmd: out of memory for %d modes of %zu bins", K, n);
    v->u_re = ur;
    double *ui = realloc(v->u_im, (size_t)K * n * sizeof *ui);
    if (!ui)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "vmd: out of memory for %d modes of %zu bins", K, n);
    v->u_im = ui;
    double *m = realloc(v->modes, (size_t)K * n * sizeof *m);
    if (!m)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "vmd: out of memory for %d modes of %zu samples", K, n);
    v->modes = m;
    double *om = realloc(v->omega, (size_t)K * sizeof *om);
    if (!om)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "vmd: out of memory");
    v->omega = om;
    double *d = realloc(v->diffk, (size_t)K * sizeof *d);
    if (!d)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "vmd: out of memory");
    v->diffk = d;
    v->k_cap = K;
    return EO_STATUS_OK;
}

eo_status eo_vmd_create(eo_vmd **out, size_t n, const eo_vmd_options *opt, eo_error *err)
{
    if (!out)
        return eo_error_set(err, EO_STATUS_USAGE, "vmd: output handle pointer is NULL");
    *out = NULL;
    eo_vmd_options def;
    if (!opt) {
        eo_vmd_defaults(&def);
        opt = &def;
    }
    eo_status st = eo_vmd_check(opt, n, err);
    if (st)
        return st;
    if (n > ((size_t)1 << 28))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "vmd: signal of %zu samples is too long", n);
    eo_vmd *v = calloc(1, sizeof *v);
    if (!v)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "vmd: out of memory");
    v->n = n;
    v->T = 2 * n;
    v->opt = *opt;
    v->tbuf = fftw_malloc(v->T * sizeof(double));
    v->tspec = fftw_malloc((v->T / 2 + 1) * sizeof(fftw_complex));
    v->nbuf = fftw_malloc(n * sizeof(double));
    v->nspec = fftw_malloc((n / 2 + 1) * sizeof(fftw_complex));
    v->f_re = malloc(n * sizeof(double));
    v->f_im = malloc(n * sizeof(double));
    v->lam_re = malloc(n * sizeof(double));
    v->lam_im = malloc(n * sizeof(double));
    v->sum_re = malloc(n * sizeof(double));
    v->sum_im = malloc(n * sizeof(double));
    v->freqs = malloc(n * sizeof *v->freqs);
    if (!v->tbuf || !v->tspec || !v->nbuf || !v->nspec || !v->f_re || !v->f_im || !v->lam_re ||
        !v->lam_im || !v->sum_re || !v->sum_im ||
        !v->freqs) {
        eo_vmd_destroy(v);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "vmd: out of memory for a %zu-sample signal", n);
    }
    st = grow_modes(v, opt->K, err);
    if (st) {
        eo_vmd_destroy(v);
        return st;
    }
    int T = (int)v->T, N = (int)n;
    /* FFTW's planner is not thread-safe: dsp.h's process-wide lock */
    eo_fftw_plan_lock();
    v->fwd_t = fftw_plan_dft_r2c_1d(T, v->tbuf, v->tspec, FFTW_ESTIMATE);
    v->inv_t = fftw_plan_dft_c2r_1d(T, v->tspec, v->tbuf, FFTW_ESTIMATE);
    v->fwd_n = fftw_plan_dft_r2c_1d(N, v->nbuf, v->nspec, FFTW_ESTIMATE);
    v->inv_n = fftw_plan_dft_c2r_1d(N, v->nspec, v->nbuf, FFTW_ESTIMATE);
    eo_fftw_plan_unlock();
    if (!v->fwd_t || !v->inv_t || !v->fwd_n || !v->inv_n) {
        eo_vmd_destroy(v);
        return eo_error_set(err, EO_STATUS_INTERNAL, "vmd: FFTW could not plan a %d-point transform", T);
    }
    /* vmdpy: freqs = (1..T)/T - 0.5 - 1/T; the non-negative half is m/T. */
    for (size_t m = 0; m < n; m++)
        v->freqs[m] = (double)m / (double)v->T;
    *out = v;
    return EO_STATUS_OK;
}

void eo_vmd_destroy(eo_vmd *v)
{
    if (!v)
        return;
    eo_fftw_plan_lock();
    if (v->fwd_t)
        fftw_destroy_plan(v->fwd_t);
    if (v->inv_t)
        fftw_destroy_plan(v->inv_t);
    if (v->fwd_n)
        fftw_destroy_plan(v->fwd_n);
    if (v->inv_n)
        fftw_destroy_plan(v->inv_n);
    eo_fftw_plan_unlock();
    fftw_free(v->tbuf);
    fftw_free(v->tspec);
    fftw_free(v->nbuf);
    fftw_free(v->nspec);
    free(v->f_re);
    free(v->f_im);
    free(v->lam_re);
    free(v->lam_im);
    free(v->sum_re);
    free(v->sum_im);
    free(v->freqs);
    free(v->u_re);
    free(v->u_im);
    free(v->modes);
    free(v->omega);
    free(v->diffk);
    free(v);
}

eo_status eo_vmd_set_params(eo_vmd *v, int K, double alpha, eo_error *err)
{
    if (!v)
        return eo_error_set(err, EO_STATUS_USAGE, "vmd: handle is NULL");
    eo_status st = check_k_alpha(K, alpha, v->n, err);
    if (st)
        return st;
    st = grow_modes(v, K, err);
    if (st)
        return st;
    v->opt.K = K;
    v->opt.alpha = alpha;
    return EO_STATUS_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct mode_sums {
    double num, den, dsum;
} mode_sums;

typedef double v4d __attribute__((vector_size(32)));

static inline v4d ld4(const double *p)
{
    v4d r;
    memcpy(&r, p, sizeof r);
    return r;
}

static inline void st4(double *p, v4d x) { memcpy(p, &x, sizeof x); }

/* One mode's ADMM update over all bins (eqs. 26-27 numerators), four bins
 * per vector; the scalar tail does the same arithmetic.  Returns the sums
 * for the centre frequency and the convergence test. */
static void update_mode(eo_vmd *v, const double *pr, const double *pi, double *ur, double *ui,
                        double om, double alpha, mode_sums *out)
{
    const size_t n = v->n;
    const double *fq = v->freqs, *fr = v->f_re, *fi = v->f_im, *lr = v->lam_re, *li = v->lam_im;
    double *sr = v->sum_re, *si = v->sum_im;
    v4d vnum = {0, 0, 0, 0}, vden = vnum, vds = vnum;
    const v4d one = {1, 1, 1, 1}, half = {0.5, 0.5, 0.5, 0.5};
    const v4d vom = {om, om, om, om}, val = {alpha, alpha, alpha, alpha};
    size_t m = 0;
    for (; m + 4 <= n; m += 4) {
        v4d ar = ld4(pr + m) + ld4(sr + m) - ld4(ur + m);
        v4d ai = ld4(pi + m) + ld4(si + m) - ld4(ui + m);
        st4(sr + m, ar);
        st4(si + m, ai);
        v4d f = ld4(fq + m), d = f - vom;
        v4d w = one / (one + val * d * d);
        v4d nr = (ld4(fr + m) - ar - ld4(lr + m) * half) * w;
        v4d ni = (ld4(fi + m) - ai - ld4(li + m) * half) * w;
        v4d dr = nr - ld4(ur + m), di = ni - ld4(ui + m);
        vds += dr * dr + di * di;
        st4(ur + m, nr);
        st4(ui + m, ni);
        v4d p = nr * nr + ni * ni;
        vnum += f * p;
        vden += p;
    }
    double num = (vnum[0] + vnum[1]) + (vnum[2] + vnum[3]);
    double den = (vden[0] + vden[1]) + (vden[2] + vden[3]);
    double dsum = (vds[0] + vds[1]) + (vds[2] + vds[3]);
    for (; m < n; m++) {
        double ar = pr[m] + sr[m] - ur[m], ai = pi[m] + si[m] - ui[m];
        sr[m] = ar;
        si[m] = ai;
        double d = fq[m] - om, w = 1.0 / (1.0 + alpha * d * d);
        double nr = (fr[m] - ar - lr[m] * 0.5) * w, ni = (fi[m] - ai - li[m] * 0.5) * w;
        double dr = nr - ur[m], di = ni - ui[m];
        dsum += dr * dr + di * di;
        ur[m] = nr;
        ui[m] = ni;
        double p = nr * nr + ni * ni;
        num += fq[m] * p;
        den += p;
    }
    out->num = num;
    out->den = den;
    out->dsum = dsum;
}

eo_status eo_vmd_run(eo_vmd *v, const double *x, double fs_hz, eo_error *err)
{
    if (!v || !x)
        return eo_error_set(err, EO_STATUS_USAGE, "vmd: NULL handle or signal");
    if (!(fs_hz > 0.0) || !isfinite(fs_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "vmd: sampling rate %g Hz must be > 0", fs_hz);
    const size_t n = v->n, T = v->T;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return eo_error_set(err, EO_STATUS_NUMERIC, "vmd: sample %zu is %s", i,
                                isnan(x[i]) ? "NaN" : "infinite");
    const int K = v->opt.K;
    const double tau = v->opt.tau, tol = v->opt.tol;
    const double alpha = v->opt.alpha; /* the reference's per-mode Alpha is alpha for all */
    v->k_run = K;
    v->fs_hz = fs_hz;

    /* Mirror extension: floor(n/2) reversed samples on the left, the other
     * ceil(n/2) reversed on the right (vmdpy for even n). */
    const size_t l = n / 2, r = n - l;
    double *fm = v->tbuf;
    for (size_t i = 0; i < l; i++)
        fm[i] = x[l - 1 - i];
    memcpy(fm + l, x, n * sizeof *x);
    for (size_t i = 0; i < r; i++)
        fm[l + n + i] = x[n - 1 - i];
    fftw_execute(v->fwd_t);
    for (size_t m = 0; m < n; m++) {
        v->f_re[m] = creal(v->tspec[m]); /* fftw_complex is double complex after <complex.h> */
        v->f_im[m] = cimag(v->tspec[m]);
    }
    memset(v->lam_re, 0, n * sizeof(double));
    memset(v->lam_im, 0, n * sizeof(double));
    memset(v->sum_re, 0, n * sizeof(double));
    memset(v->sum_im, 0, n * sizeof(double));
    memset(v->u_re, 0, (size_t)K * n * sizeof(double));
    memset(v->u_im, 0, (size_t)K * n * sizeof(double));

    /* Initial centre frequencies (cycles per sample). */
    for (int k = 0; k < K; k++)
        v->omega[k] = 0.0;
    if (v->opt.init == EO_VMD_INIT_UNIFORM) {
        for (int k = 0; k < K; k++)
            v->omega[k] = (0.5 / K) * k;
    } else if (v->opt.init == EO_VMD_INIT_RANDOM) {
        const double lfs = log(1.0 / (double)n);
        for (int k = 0; k < K; k++)
            v->omega[k] = exp(lfs + (log(0.5) - lfs) * eo_rng_uniform(v->opt.rng));
        qsort(v->omega, (size_t)K, sizeof *v->omega, cmp_double);
    }
    if (v->opt.dc)
        v->omega[0] = 0.0;

    double udiff = tol + DBL_EPSILON;
    int it = 0;
    while (udiff > tol && it < v->opt.max_iter) {
        for (int k = 0; k < K; k++) {
            /* accumulator: add the newest previous mode, remove this mode's
             * old value (for k = 0 the "previous" mode is mode K-1) */
            size_t kp = (size_t)(k == 0 ? K - 1 : k - 1);
            mode_sums ms;
            update_mode(v, v->u_re + kp * n, v->u_im + kp * n, v->u_re + (size_t)k * n,
                        v->u_im + (size_t)k * n, v->omega[k], alpha, &ms);
            v->diffk[k] = ms.dsum;
            /* eq. (27): power-weighted mean frequency, unless held at DC;
             * an all-zero mode keeps its frequency (the reference gives NaN). */
            if (!(k == 0 && v->opt.dc) && ms.den > 0.0)
                v->omega[k] = ms.num / ms.den;
        }
        /* eq. (28): dual ascent */
        if (tau != 0.0) {
            for (size_t m = 0; m < n; m++) {
                double sr = 0, si = 0;
                for (int k = 0; k < K; k++) {
                    sr += v->u_re[(size_t)k * n + m];
                    si += v->u_im[(size_t)k * n + m];
                }
                v->lam_re[m] += tau * (sr - v->f_re[m]);
                v->lam_im[m] += tau * (si - v->f_im[m]);
            }
        }
        it++;
        udiff = DBL_EPSILON;
        for (int k = 0; k < K; k++)
            udiff += (1.0 / (double)T) * v->diffk[k];
        udiff = fabs(udiff);
    }
    v->iterations = it;
    v->converged = !(udiff > tol);

    /* Back to time domain.  The reference rebuilds a full spectrum whose DC
     * bin is conj(u[0]) and whose Nyquist bin is conj(u[n-1]) and keeps the
     * real part of the inverse FFT; that is exactly a c2r transform of
     * Re(u[0]), u[1..n-1], Re(u[n-1]). */
    const double scale = 1.0 / (double)T;
    for (int k = 0; k < K; k++) {
        const double *ur = v->u_re + (size_t)k * n, *ui = v->u_im + (size_t)k * n;
        /* fftw_complex is laid out as double[2] (FFTW manual 4.1.1) */
        double *sp = (double *)v->tspec;
        sp[0] = ur[0];
        sp[1] = 0.0;
        for (size_t m = 1; m < n; m++) {
            sp[2 * m] = ur[m];
            sp[2 * m + 1] = ui[m];
        }
        sp[2 * n] = ur[n - 1];
        sp[2 * n + 1] = 0.0;
        fftw_execute(v->inv_t);
        double *mk = v->modes + (size_t)k * n;
        for (size_t i = 0; i < n; i++)
            mk[i] = v->tbuf[l + i] * scale;
    }
    return EO_STATUS_OK;
}

size_t eo_vmd_length(const eo_vmd *v) { return v ? v->n : 0; }
int eo_vmd_modes(const eo_vmd *v) { return v ? v->k_run : 0; }
int eo_vmd_iterations(const eo_vmd *v) { return v ? v->iterations : 0; }
int eo_vmd_converged(const eo_vmd *v) { return v ? v->converged : 0; }

const double *eo_vmd_mode(const eo_vmd *v, int k)
{
    if (!v || k < 0 || k >= v->k_run)
        return NULL;
    return v->modes + (size_t)k * v->n;
}

double eo_vmd_omega(const eo_vmd *v, int k)
{
    if (!v || k < 0 || k >= v->k_run)
        return NAN;
    return v->omega[k];
}

double eo_vmd_center_hz(const eo_vmd *v, int k)
{
    return eo_vmd_omega(v, k) * (v ? v->fs_hz : NAN);
}

eo_status eo_vmd_decompose(const double *x, size_t n, double fs_hz, const eo_vmd_options *opt,
                           double *modes, double *center_hz, int *iterations, eo_error *err)
{
    if (!modes)
        return eo_error_set(err, EO_STATUS_USAGE, "vmd: output modes buffer is NULL");
    eo_vmd *v = NULL;
    eo_status st = eo_vmd_create(&v, n, opt, err);
    if (st)
        return st;
    st = eo_vmd_run(v, x, fs_hz, err);
    if (!st) {
        memcpy(modes, v->modes, (size_t)v->k_run * n * sizeof *modes);
        if (center_hz)
            for (int k = 0; k < v->k_run; k++)
                center_hz[k] = v->omega[k] * fs_hz;
        if (iterations)
            *iterations = v->iterations;
    }
    eo_vmd_destroy(v);
    return st;
}

eo_status eo_vmd_envelope_entropy(eo_vmd *v, const double *x, double *entropy, eo_error *err)
{
    if (!v || !x || !entropy)
        return eo_error_set(err, EO_STATUS_USAGE, "vmd: envelope entropy: NULL argument");
    const size_t n = v->n;
    /* Hilbert transform as scipy.signal.hilbert: H{x} = imag(ifft(h * fft(x)))
     * with h = 2 on positive bins, 1 at DC/Nyquist; its imaginary part is
     * the c2r transform of -j X on the positive bins (0 at DC/Nyquist). */
    memcpy(v->nbuf, x, n * sizeof *x);
    fftw_execute(v->fwd_n);
    const size_t nb = n / 2 + 1;
    for (size_t m = 0; m < nb; m++) {
        int edge = (m == 0) || (n % 2 == 0 && m == n / 2);
        v->nspec[m] = edge ? 0.0 : -I * v->nspec[m];
    }
    fftw_execute(v->inv_n);
    const double scale = 1.0 / (double)n;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        double h = v->nbuf[i] * scale;
        double a = sqrt(x[i] * x[i] + h * h);
        v->nbuf[i] = a;
        sum += a;
    }
    if (!(sum > 0.0) || !isfinite(sum)) {
        /* A zero mode is scored as a flat envelope (ln n, the least sparse):
         * 0 would reward decompositions with empty modes. */
        *entropy = log((double)n);
        return isfinite(sum) ? EO_STATUS_OK
                             : eo_error_set(err, EO_STATUS_NUMERIC, "vmd: envelope is not finite");
    }
    double e = 0.0;
    for (size_t i = 0; i < n; i++) {
        double p = v->nbuf[i] / sum;
        if (p > 0.0)
            e -= p * log(p);
    }
    *entropy = e;
    return EO_STATUS_OK;
}

eo_status eo_vmd_mean_envelope_entropy(eo_vmd *v, double *mee, eo_error *err)
{
    if (!v || !mee)
        return eo_error_set(err, EO_STATUS_USAGE, "vmd: mean envelope entropy: NULL argument");
    if (v->k_run < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "vmd: mean envelope entropy before any run");
    double s = 0.0;
    for (int k = 0; k < v->k_run; k++) {
        double e;
        eo_status st = eo_vmd_envelope_entropy(v, v->modes + (size_t)k * v->n, &e, err);
        if (st)
            return st;
        s += e;
    }
    *mee = s / v->k_run;
    return EO_STATUS_OK;
}

eo_status eo_vmd_mee_objective(eo_vmd *v, const double *x, double fs_hz, int K, double alpha,
                               double *mee, eo_error *err)
{
    eo_status st = eo_vmd_set_params(v, K, alpha, err);
    if (st)
        return st;
    st = eo_vmd_run(v, x, fs_hz, err);
    if (st)
        return st;
    return eo_vmd_mean_envelope_entropy(v, mee, err);
}
