/* Butterworth and notch IIR design.
 *
 * Follows scipy.signal.butter/iirfilter (SciPy 1.10) step by step so that the
 * coefficients agree to rounding: analogue prototype poles
 * p_m = -exp(i pi m / (2N)), m = -N+1, -N+3, ..., N-1 (Butterworth 1930);
 * frequency pre-warping w = 4 tan(pi Wn / 2) for the bilinear transform with
 * fs = 2; lp2lp / lp2hp / lp2bp / lp2bs zero-pole-gain transforms; bilinear
 * transform z = (4 + s)/(4 - s); then zpk2sos with 'nearest' pairing (poles
 * closest to the unit circle go to the last section). */
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp_internal.h"

#define MAXR (4 * EO_BUTTER_MAX_ORDER + 4)

typedef struct zpk {
    double complex z[MAXR], p[MAXR];
    int nz, np;
    double k;
} zpk;

int eo_butter_nsections(int order, eo_filter_type type)
{
    if (order < 1) return 0;
    if (type == EO_FILTER_BANDPASS || type == EO_FILTER_BANDSTOP) return order;
    return (order + 1) / 2;
}

static double complex cprod_neg(const double complex *v, int n)
{
    double complex r = 1.0;
    for (int i = 0; i < n; i++) r *= -v[i];
    return r;
}

static eo_status butter_zpk(int order, eo_filter_type type, double f1, double f2, double fs,
                            zpk *out, eo_error *err)
{
    if (order < 1 || order > EO_BUTTER_MAX_ORDER)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "butter: order %d outside 1..%d", order, EO_BUTTER_MAX_ORDER);
    if (!(fs > 0) || !isfinite(fs))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "butter: sampling rate %g Hz not > 0", fs);
    int two = (type == EO_FILTER_BANDPASS || type == EO_FILTER_BANDSTOP);
    if (type < EO_FILTER_LOWPASS || type > EO_FILTER_BANDSTOP)
        return eo_error_set(err, EO_STATUS_USAGE, "butter: unknown filter type %d", (int)type);
    double nyq = fs / 2;
    if (!(f1 > 0 && f1 < nyq) || !isfinite(f1))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "butter: cut-off %g Hz must be inside (0, %g) Hz (Nyquist of fs %g Hz)",
                            f1, nyq, fs);
    if (two) {
        if (!(f2 > 0 && f2 < nyq) || !isfinite(f2))
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "butter: cut-off %g Hz must be inside (0, %g) Hz (Nyquist of fs %g Hz)",
                                f2, nyq, fs);
        if (!(f1 < f2))
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "butter: band edges %g Hz, %g Hz must satisfy f1 < f2", f1, f2);
    }
    const double fsd = 2.0; /* scipy normalises to fs = 2 */
    double w1 = 4.0 * tan(M_PI * (2.0 * f1 / fs) / fsd);
    double w2 = two ? 4.0 * tan(M_PI * (2.0 * f2 / fs) / fsd) : 0.0;

    /* analogue prototype (scipy.signal.buttap) */
    double complex p[MAXR] = {0}, z[MAXR] = {0}; /* zeroed: keeps -O0 maybe-uninitialized quiet */
    int np = order, nz = 0;
    for (int i = 0; i < order; i++) {
        int m = -order + 1 + 2 * i;
        p[i] = -cexp(I * M_PI * m / (2.0 * order));
    }
    double k = 1.0;
    int degree = np - nz;
    if (type == EO_FILTER_LOWPASS) { /* lp2lp_zpk */
        for (int i = 0; i < np; i++) p[i] *= w1;
        k = k * pow(w1, degree);
    } else if (type == EO_FILTER_HIGHPASS) { /* lp2hp_zpk */
        double complex pz = cprod_neg(z, nz), pp = cprod_neg(p, np);
        for (int i = 0; i < np; i++) p[i] = w1 / p[i];
        for (int i = 0; i < degree; i++) z[nz++] = 0.0;
        k = k * creal(pz / pp);
    } else if (type == EO_FILTER_BANDPASS) { /* lp2bp_zpk */
        double bw = w2 - w1, wo = sqrt(w1 * w2);
        double complex pb[MAXR];
        for (int i = 0; i < np; i++) {
            double complex pl = p[i] * bw / 2;
            double complex r = csqrt(pl * pl - wo * wo);
            pb[i] = pl + r;
            pb[i + np] = pl - r;
        }
        for (int i = 0; i < 2 * np; i++) p[i] = pb[i];
        np *= 2;
        for (int i = 0; i < degree; i++) z[nz++] = 0.0;
        k = k * pow(bw, degree);
    } else { /* lp2bs_zpk */
        double bw = w2 - w1, wo = sqrt(w1 * w2);
        double complex pz = cprod_neg(z, nz), pp = cprod_neg(p, np);
        double complex pb[MAXR];
        for (int i = 0; i < np; i++) {
            double complex ph = (bw / 2) / p[i];
            double complex r = csqrt(ph * ph - wo * wo);
            pb[i] = ph + r;
            pb[i + np] = ph - r;
        }
        for (int i = 0; i < 2 * np; i++) p[i] = pb[i];
        np *= 2;
        for (int i = 0; i < degree; i++) z[nz++] = I * wo;
        for (int i = 0; i < degree; i++) z[nz++] = -I * wo;
        k = k * creal(pz / pp);
    }
    /* bilinear_zpk with fs = 2: fs2 = 4 */
    const double fs2 = 4.0;
    int deg2 = np - nz;
    double complex num = 1.0, den = 1.0;
    for (int i = 0; i < nz; i++) num *= (fs2 - z[i]);
    for (int i = 0; i < np; i++) den *= (fs2 - p[i]);
    for (int i = 0; i < nz; i++) z[i] = (fs2 + z[i]) / (fs2 - z[i]);
    for (int i = 0; i < np; i++) p[i] = (fs2 + p[i]) / (fs2 - p[i]);
    for (int i = 0; i < deg2; i++) z[nz++] = -1.0;
    k = k * creal(num / den);
    memcpy(out->z, z, sizeof(double complex) * (size_t)nz);
    memcpy(out->p, p, sizeof(double complex) * (size_t)np);
    out->nz = nz;
    out->np = np;
    out->k = k;
    return EO_STATUS_OK;
}

/* scipy.signal._filter_design._cplxreal: complex roots (one of each pair,
 * positive imaginary part) followed by the real roots, each sorted by real
 * part (runs of equal real part sorted by |imag|). */
static int cplxreal(double complex *v, int n, int *is_real)
{
    const double tol = 100 * 2.220446049250313e-16;
    /* stable sort by (real, |imag|): insertion sort (n is small) */
    for (int i = 1; i < n; i++) {
        double complex t = v[i];
        int j = i - 1;
        while (j >= 0 && (creal(v[j]) > creal(t) ||
                          (creal(v[j]) == creal(t) && fabs(cimag(v[j])) > fabs(cimag(t))))) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = t;
    }
    double complex zr[MAXR], zp[MAXR], zn[MAXR];
    int nr = 0, npos = 0, nneg = 0;
    for (int i = 0; i < n; i++) {
        if (fabs(cimag(v[i])) <= tol * cabs(v[i])) zr[nr++] = creal(v[i]);
        else if (cimag(v[i]) > 0) zp[npos++] = v[i];
        else zn[nneg++] = v[i];
    }
    if (npos != nneg) return -1;
    /* runs of the same real part sorted by |imag| */
    int s = 0;
    while (s < npos) {
        int e = s;
        while (e + 1 < npos && creal(zp[e + 1]) - creal(zp[e]) <= tol * cabs(zp[e])) e++;
        for (double complex *ch = zp; ch; ch = (ch == zp ? zn : NULL)) {
            for (int i = s + 1; i <= e; i++) {
                double complex t = ch[i];
                int j = i - 1;
                while (j >= s && fabs(cimag(ch[j])) > fabs(cimag(t))) {
                    ch[j + 1] = ch[j];
                    j--;
                }
                ch[j + 1] = t;
            }
        }
        s = e + 1;
    }
    int m = 0;
    for (int i = 0; i < npos; i++) {
        v[m] = (zp[i] + conj(zn[i])) / 2;
        is_real[m++] = 0;
    }
    for (int i = 0; i < nr; i++) {
        v[m] = zr[i];
        is_real[m++] = 1;
    }
    return m;
}

static void del_at(double complex *v, int *r, int *n, int idx)
{
    for (int i = idx; i + 1 < *n; i++) {
        v[i] = v[i + 1];
        r[i] = r[i + 1];
    }
    (*n)--;
}

static int idx_worst(const double complex *p, const int *r, int n, int only_real)
{
    int best = -1;
    double bd = 0;
    for (int i = 0; i < n; i++) {
        if (only_real && !r[i]) continue;
        double d = fabs(1 - cabs(p[i]));
        if (best < 0 || d < bd) {
            best = i;
            bd = d;
        }
    }
    return best;
}

/* _nearest_real_complex_idx: which 0 any, 1 real, 2 complex. */
static int nearest_idx(const double complex *z, const int *r, int n, double complex to, int which)
{
    int best = -1;
    double bd = 0;
    for (int i = 0; i < n; i++) {
        if (which == 1 && !r[i]) continue;
        if (which == 2 && r[i]) continue;
        double d = cabs(z[i] - to);
        if (best < 0 || d < bd) {
            best = i;
            bd = d;
        }
    }
    return best;
}

/* _single_zpksos: polynomials from up to two zeros/poles, right-aligned. */
static void single_sos(const double complex *zz, int nz, const double complex *pp, int np,
                       double *row)
{
    double complex b[3] = {1, 0, 0}, a[3] = {1, 0, 0};
    for (int i = 0; i < nz; i++) {
        double complex nb[3] = {b[0], b[1] - zz[i] * b[0], b[2] - zz[i] * b[1]};
        memcpy(b, nb, sizeof nb);
    }
    for (int i = 0; i < np; i++) {
        double complex na[3] = {a[0], a[1] - pp[i] * a[0], a[2] - pp[i] * a[1]};
        memcpy(a, na, sizeof na);
    }
    memset(row, 0, 6 * sizeof(double));
    for (int i = 0; i <= nz; i++) row[3 - (nz + 1) + i] = creal(b[i]);
    for (int i = 0; i <= np; i++) row[6 - (np + 1) + i] = creal(a[i]);
}

static eo_status zpk2sos(zpk *f, double *sos, int *n_sections, eo_error *err)
{
    double complex z[MAXR], p[MAXR];
    int rz[MAXR], rp[MAXR];
    int nz = f->nz, np = f->np;
    memcpy(z, f->z, sizeof(double complex) * (size_t)nz);
    memcpy(p, f->p, sizeof(double complex) * (size_t)np);
    while (np < nz) p[np++] = 0.0;
    while (nz < np) z[nz++] = 0.0;
    int ns = (np + 1) / 2;
    if (np % 2 == 1) {
        p[np++] = 0.0;
        z[nz++] = 0.0;
    }
    nz = cplxreal(z, nz, rz);
    np = cplxreal(p, np, rp);
    if (nz < 0 || np < 0)
        return eo_error_set(err, EO_STATUS_INTERNAL, "zpk2sos: roots are not conjugate pairs");
    for (int si = ns - 1; si >= 0; si--) {
        double *row = sos + 6 * si;
        int i1 = idx_worst(p, rp, np, 0);
        double complex p1 = p[i1];
        int p1real = rp[i1];
        del_at(p, rp, &np, i1);
        int nreal_p = 0;
        for (int i = 0; i < np; i++) nreal_p += rp[i];
        int nreal_z = 0;
        for (int i = 0; i < nz; i++) nreal_z += rz[i];
        if (p1real && nreal_p == 0) {
            int zi = nearest_idx(z, rz, nz, p1, 1);
            if (zi < 0) return eo_error_set(err, EO_STATUS_INTERNAL, "zpk2sos: no real zero left");
            double complex zz[2] = {z[zi], 0}, pp[2] = {p1, 0};
            del_at(z, rz, &nz, zi);
            single_sos(zz, 2, pp, 2, row);
        } else if (np + 1 == nz && !p1real && nreal_p == 1 && nreal_z == 1) {
            int zi = nearest_idx(z, rz, nz, p1, 2);
            if (zi < 0) return eo_error_set(err, EO_STATUS_INTERNAL, "zpk2sos: no complex zero left");
            double complex zz[2] = {z[zi], conj(z[zi])}, pp[2] = {p1, conj(p1)};
            del_at(z, rz, &nz, zi);
            single_sos(zz, 2, pp, 2, row);
        } else {
            double complex p2;
            if (p1real) {
                int i2 = idx_worst(p, rp, np, 1);
                p2 = p[i2];
                del_at(p, rp, &np, i2);
            } else {
                p2 = conj(p1);
            }
            double complex pp[2] = {p1, p2};
            if (nz > 0) {
                int zi = nearest_idx(z, rz, nz, p1, 0);
                double complex z1 = z[zi];
                int z1real = rz[zi];
                del_at(z, rz, &nz, zi);
                if (!z1real) {
                    double complex zz[2] = {z1, conj(z1)};
                    single_sos(zz, 2, pp, 2, row);
                } else if (nz > 0) {
                    int zj = nearest_idx(z, rz, nz, p1, 1);
                    if (zj < 0)
                        return eo_error_set(err, EO_STATUS_INTERNAL, "zpk2sos: no real zero left");
                    double complex zz[2] = {z1, z[zj]};
                    del_at(z, rz, &nz, zj);
                    single_sos(zz, 2, pp, 2, row);
                } else {
                    double complex zz[1] = {z1};
                    single_sos(zz, 1, pp, 2, row);
                }
            } else {
                single_sos(NULL, 0, pp, 2, row);
            }
        }
    }
    for (int i = 0; i < 3; i++) sos[i] *= f->k;
    *n_sections = ns;
    return EO_STATUS_OK;
}

eo_status eo_butter_sos(int order, eo_filter_type type, double f1_hz, double f2_hz,
                        double fs_hz, double *sos, int *n_sections, eo_error *err)
{
    if (!sos || !n_sections) return eo_error_set(err, EO_STATUS_USAGE, "butter: NULL output");
    zpk f;
    eo_status st = butter_zpk(order, type, f1_hz, f2_hz, fs_hz, &f, err);
    if (st) return st;
    return zpk2sos(&f, sos, n_sections, err);
}

/* numpy.poly: coefficients of prod (x - r_i), sequential convolution. */
static void poly(const double complex *r, int n, double *out)
{
    double complex c[MAXR + 1];
    c[0] = 1.0;
    for (int i = 1; i <= n; i++) c[i] = 0.0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j >= 1; j--) c[j] = c[j] - r[i] * c[j - 1];
    for (int i = 0; i <= n; i++) out[i] = creal(c[i]);
}

eo_status eo_butter_ba(int order, eo_filter_type type, double f1_hz, double f2_hz,
                       double fs_hz, double *b, double *a, int *n_coef, eo_error *err)
{
    if (!b || !a || !n_coef) return eo_error_set(err, EO_STATUS_USAGE, "butter: NULL output");
    zpk f;
    eo_status st = butter_zpk(order, type, f1_hz, f2_hz, fs_hz, &f, err);
    if (st) return st;
    poly(f.z, f.nz, b);
    poly(f.p, f.np, a);
    for (int i = 0; i <= f.nz; i++) b[i] *= f.k;
    *n_coef = f.np + 1;
    return EO_STATUS_OK;
}

/* scipy.signal.iirnotch (SciPy 1.10, _design_notch_peak_filter): bandwidth
 * bw = (w0/Q) normalised; beta = sqrt(1-gb^2)/gb tan(bw pi/2), gb = 1/sqrt2; gain = 1/(1+beta);
 * b = gain [1, -2cos(w0 pi), 1]; a = [1, -2 gain cos(w0 pi), 2 gain - 1]. */
eo_status eo_iirnotch(double w0_hz, double q, double fs_hz, double b[3], double a[3],
                      eo_error *err)
{
    if (!(fs_hz > 0) || !isfinite(fs_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "iirnotch: sampling rate %g Hz not > 0",
                            fs_hz);
    if (!(w0_hz > 0 && w0_hz < fs_hz / 2))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "iirnotch: frequency %g Hz must be inside (0, %g) Hz", w0_hz, fs_hz / 2);
    if (!(q > 0) || !isfinite(q))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "iirnotch: quality factor %g not > 0", q);
    double w0 = 2 * w0_hz / fs_hz;
    double bw = w0 / q;
    bw = bw * M_PI;
    w0 = w0 * M_PI;
    double gb = 1.0 / sqrt(2.0); /* -3 dB bandwidth */
    double beta = (sqrt(1.0 - gb * gb) / gb) * tan(bw / 2.0);
    double gain = 1.0 / (1.0 + beta);
    b[0] = gain;
    b[1] = gain * (-2.0 * cos(w0));
    b[2] = gain;
    a[0] = 1.0;
    a[1] = -2.0 * gain * cos(w0);
    a[2] = 2.0 * gain - 1.0;
    return EO_STATUS_OK;
}

eo_status eo_ba_to_sos1(const double *b, int nb, const double *a, int na, double sos[6],
                        eo_error *err)
{
    if (!b || !a || nb < 1 || na < 1 || nb > 3 || na > 3)
        return eo_error_set(err, EO_STATUS_USAGE, "ba_to_sos: need 1..3 coefficients each");
    if (a[0] == 0 || !isfinite(a[0]))
        return eo_error_set(err, EO_STATUS_USAGE, "ba_to_sos: a[0] must be non-zero");
    for (int i = 0; i < 6; i++) sos[i] = 0;
    for (int i = 0; i < nb; i++) sos[i] = b[i] / a[0];
    for (int i = 0; i < na; i++) sos[3 + i] = a[i] / a[0];
    return EO_STATUS_OK;
}
