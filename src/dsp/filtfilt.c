/* Causal and zero-phase IIR filtering, following SciPy 1.10:
 * sosfilt (transposed direct form II per section), sosfilt_zi / lfilter_zi
 * (steady state of a unit step: zi = (I - A)^-1 B), sosfiltfilt / filtfilt
 * (odd extension of padlen samples at each end, forward pass from zi*x[0],
 * backward pass from zi*y[end], Gustafsson-free 'pad' method). */
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp_internal.h"

#define MAX_BA 65

static eo_status check_sos(const char *who, const double *sos, int ns, eo_error *err)
{
    if (!sos || ns < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: need at least one second-order section", who);
    for (int s = 0; s < ns; s++) {
        for (int j = 0; j < 6; j++)
            if (!isfinite(sos[6 * s + j]))
                return eo_error_set(err, EO_STATUS_NUMERIC, "%s: section %d coefficient %d not finite",
                                    who, s, j);
        if (sos[6 * s + 3] != 1.0)
            return eo_error_set(err, EO_STATUS_USAGE, "%s: section %d has a0 = %g, expected 1", who,
                                s, sos[6 * s + 3]);
    }
    return EO_STATUS_OK;
}

/* The inner loop of scipy's _sosfilt; zi is updated.  No checks. */
static void sosfilt_raw(const double *sos, int ns, const double *x, size_t n, double *y,
                        double *zi)
{
    for (size_t i = 0; i < n; i++) {
        double xc = x[i];
        for (int s = 0; s < ns; s++) {
            const double *c = sos + 6 * s;
            double *z = zi + 2 * s;
            double xn = c[0] * xc + z[0];
            z[0] = c[1] * xc - c[4] * xn + z[1];
            z[1] = c[2] * xc - c[5] * xn;
            xc = xn;
        }
        y[i] = xc;
    }
}

eo_status eo_sosfilt(const double *sos, int n_sections, const double *x, size_t n, double *y,
                     double *zi, eo_error *err)
{
    eo_status st = check_sos("sosfilt", sos, n_sections, err);
    if (st) return st;
    if ((!x || !y) && n) return eo_error_set(err, EO_STATUS_USAGE, "sosfilt: NULL signal");
    st = eo_dsp_check_finite("sosfilt", x, n, err);
    if (st) return st;
    double *z = zi;
    if (!z) {
        z = calloc((size_t)n_sections * 2, sizeof *z);
        if (!z) return eo_error_set(err, EO_STATUS_NO_MEMORY, "sosfilt: out of memory");
    }
    sosfilt_raw(sos, n_sections, x, n, y, z);
    if (!zi) free(z);
    return EO_STATUS_OK;
}

/* Solve the small dense system m x = v (dim d) by Gaussian elimination with
 * partial pivoting (what numpy.linalg.solve does via LAPACK dgesv). */
static int solve_small(double *m, double *v, int d)
{
    for (int c = 0; c < d; c++) {
        int piv = c;
        for (int r = c + 1; r < d; r++)
            if (fabs(m[r * d + c]) > fabs(m[piv * d + c])) piv = r;
        if (m[piv * d + c] == 0) return -1;
        if (piv != c) {
            for (int j = 0; j < d; j++) {
                double t = m[c * d + j];
                m[c * d + j] = m[piv * d + j];
                m[piv * d + j] = t;
            }
            double t = v[c];
            v[c] = v[piv];
            v[piv] = t;
        }
        for (int r = c + 1; r < d; r++) {
            double f = m[r * d + c] / m[c * d + c];
            if (f == 0) continue;
            for (int j = c; j < d; j++) m[r * d + j] -= f * m[c * d + j];
            v[r] -= f * v[c];
        }
    }
    for (int c = d - 1; c >= 0; c--) {
        double s = v[c];
        for (int j = c + 1; j < d; j++) s -= m[c * d + j] * v[j];
        v[c] = s / m[c * d + c];
    }
    return 0;
}

/* scipy.signal.lfilter_zi for b, a padded to a common length n (a[0] = 1
 * after normalisation); zi gets n-1 values. */
static eo_status lfilter_zi(const double *b0, int nb, const double *a0, int na, double *zi,
                            eo_error *err)
{
    int n = nb > na ? nb : na;
    double b[MAX_BA] = {0}, a[MAX_BA] = {0};
    if (a0[0] == 0 || !isfinite(a0[0]))
        return eo_error_set(err, EO_STATUS_USAGE, "lfilter_zi: a[0] must be non-zero");
    for (int i = 0; i < nb; i++) b[i] = b0[i] / a0[0];
    for (int i = 0; i < na; i++) a[i] = a0[i] / a0[0];
    int d = n - 1;
    if (d == 0) return EO_STATUS_OK;
    double *m = calloc((size_t)d * (size_t)d, sizeof *m);
    if (!m) return eo_error_set(err, EO_STATUS_NO_MEMORY, "lfilter_zi: out of memory");
    /* I - companion(a).T: column 0 holds a[1:]; superdiagonal -1 */
    for (int i = 0; i < d; i++) {
        m[i * d + i] = 1.0;
        m[i * d + 0] += a[i + 1];
        if (i + 1 < d) m[i * d + i + 1] -= 1.0;
    }
    for (int i = 0; i < d; i++) zi[i] = b[i + 1] - a[i + 1] * b[0];
    int rc = solve_small(m, zi, d);
    free(m);
    if (rc)
        return eo_error_set(err, EO_STATUS_NUMERIC,
                            "lfilter_zi: filter has a pole at z = 1 (no steady state)");
    return EO_STATUS_OK;
}

eo_status eo_sosfilt_zi(const double *sos, int n_sections, double *zi, eo_error *err)
{
    eo_status st = check_sos("sosfilt_zi", sos, n_sections, err);
    if (st) return st;
    double scale = 1.0;
    for (int s = 0; s < n_sections; s++) {
        const double *b = sos + 6 * s, *a = b + 3;
        st = lfilter_zi(b, 3, a, 3, zi + 2 * s, err);
        if (st) return st;
        zi[2 * s] *= scale;
        zi[2 * s + 1] *= scale;
        scale *= (b[0] + b[1] + b[2]) / (a[0] + a[1] + a[2]);
    }
    return EO_STATUS_OK;
}

size_t eo_sosfiltfilt_padlen(const double *sos, int n_sections)
{
    int zb = 0, za = 0;
    for (int s = 0; s < n_sections; s++) {
        zb += sos[6 * s + 2] == 0;
        za += sos[6 * s + 5] == 0;
    }
    int ntaps = 2 * n_sections + 1 - (zb < za ? zb : za);
    return (size_t)(3 * ntaps);
}

/* odd extension (scipy _arraytools.odd_ext): ext has n + 2 edge samples. */
static void odd_ext(const double *x, size_t n, size_t edge, double *ext)
{
    for (size_t i = 0; i < edge; i++) ext[i] = 2 * x[0] - x[edge - i];
    memcpy(ext + edge, x, n * sizeof *x);
    for (size_t i = 0; i < edge; i++) ext[edge + n + i] = 2 * x[n - 1] - x[n - 2 - i];
}

static void reverse(double *v, size_t n)
{
    for (size_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
        double t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

eo_status eo_sosfiltfilt(const double *sos, int n_sections, const double *x, size_t n,
                         double *y, eo_error *err)
{
    eo_status st = check_sos("sosfiltfilt", sos, n_sections, err);
    if (st) return st;
    if (!x || !y) return eo_error_set(err, EO_STATUS_USAGE, "sosfiltfilt: NULL signal");
    size_t edge = eo_sosfiltfilt_padlen(sos, n_sections);
    if (n <= edge)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "sosfiltfilt: signal of %zu samples must be longer than the padding "
                            "(%zu samples)", n, edge);
    st = eo_dsp_check_finite("sosfiltfilt", x, n, err);
    if (st) return st;
    size_t ne = n + 2 * edge;
    double *ext = malloc(ne * sizeof *ext);
    double *zi = malloc((size_t)n_sections * 2 * sizeof *zi);
    double *z = malloc((size_t)n_sections * 2 * sizeof *z);
    if (!ext || !zi || !z) {
        free(ext);
        free(zi);
        free(z);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "sosfiltfilt: out of memory for %zu samples",
                            ne);
    }
    st = eo_sosfilt_zi(sos, n_sections, zi, err);
    if (!st) {
        odd_ext(x, n, edge, ext);
        for (int i = 0; i < 2 * n_sections; i++) z[i] = zi[i] * ext[0];
        sosfilt_raw(sos, n_sections, ext, ne, ext, z);
        reverse(ext, ne);
        for (int i = 0; i < 2 * n_sections; i++) z[i] = zi[i] * ext[0];
        sosfilt_raw(sos, n_sections, ext, ne, ext, z);
        reverse(ext, ne);
        memcpy(y, ext + edge, n * sizeof *y);
    }
    free(ext);
    free(zi);
    free(z);
    return st;
}

/* scipy lfilter inner loop (transposed direct form II, normalised by a[0]);
 * b, a padded to length len; z has len-1 entries and is updated. */
static void lfilter_raw(const double *b, const double *a, int len, const double *x, size_t n,
                        double *y, double *z)
{
    for (size_t i = 0; i < n; i++) {
        double xi = x[i];
        double yi = (len > 1 ? z[0] : 0) + b[0] * xi;
        for (int k = 0; k < len - 2; k++) z[k] = z[k + 1] + xi * b[k + 1] - yi * a[k + 1];
        if (len > 1) z[len - 2] = xi * b[len - 1] - yi * a[len - 1];
        y[i] = yi;
    }
}

static eo_status norm_ba(const char *who, const double *b0, int nb, const double *a0, int na,
                         double *b, double *a, int *len, eo_error *err)
{
    if (!b0 || !a0 || nb < 1 || na < 1 || nb > MAX_BA || na > MAX_BA)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: need 1..%d coefficients in b and a", who,
                            MAX_BA);
    if (eo_dsp_first_nonfinite(b0, (size_t)nb) < (size_t)nb ||
        eo_dsp_first_nonfinite(a0, (size_t)na) < (size_t)na)
        return eo_error_set(err, EO_STATUS_NUMERIC, "%s: filter coefficients not finite", who);
    if (a0[0] == 0) return eo_error_set(err, EO_STATUS_USAGE, "%s: a[0] must be non-zero", who);
    int n = nb > na ? nb : na;
    for (int i = 0; i < n; i++) {
        b[i] = i < nb ? b0[i] / a0[0] : 0;
        a[i] = i < na ? a0[i] / a0[0] : 0;
    }
    *len = n;
    return EO_STATUS_OK;
}

eo_status eo_lfilter(const double *b, int nb, const double *a, int na, const double *x,
                     size_t n, double *y, eo_error *err)
{
    double bb[MAX_BA], aa[MAX_BA], z[MAX_BA] = {0};
    int len;
    eo_status st = norm_ba("lfilter", b, nb, a, na, bb, aa, &len, err);
    if (st) return st;
    if ((!x || !y) && n) return eo_error_set(err, EO_STATUS_USAGE, "lfilter: NULL signal");
    st = eo_dsp_check_finite("lfilter", x, n, err);
    if (st) return st;
    lfilter_raw(bb, aa, len, x, n, y, z);
    return EO_STATUS_OK;
}

eo_status eo_filtfilt_ba(const double *b, int nb, const double *a, int na, const double *x,
                         size_t n, double *y, eo_error *err)
{
    double bb[MAX_BA], aa[MAX_BA], zi[MAX_BA] = {0}, z[MAX_BA];
    int len;
    eo_status st = norm_ba("filtfilt", b, nb, a, na, bb, aa, &len, err);
    if (st) return st;
    if (!x || !y) return eo_error_set(err, EO_STATUS_USAGE, "filtfilt: NULL signal");
    size_t edge = (size_t)(3 * (nb > na ? nb : na));
    if (n <= edge)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "filtfilt: signal of %zu samples must be longer than the padding "
                            "(%zu samples)", n, edge);
    st = eo_dsp_check_finite("filtfilt", x, n, err);
    if (st) return st;
    st = lfilter_zi(bb, len, aa, len, zi, err);
    if (st) return st;
    size_t ne = n + 2 * edge;
    double *ext = malloc(ne * sizeof *ext);
    if (!ext)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "filtfilt: out of memory for %zu samples", ne);
    odd_ext(x, n, edge, ext);
    for (int i = 0; i < len - 1; i++) z[i] = zi[i] * ext[0];
    lfilter_raw(bb, aa, len, ext, ne, ext, z);
    reverse(ext, ne);
    for (int i = 0; i < len - 1; i++) z[i] = zi[i] * ext[0];
    lfilter_raw(bb, aa, len, ext, ne, ext, z);
    reverse(ext, ne);
    memcpy(y, ext + edge, n * sizeof *y);
    free(ext);
    return EO_STATUS_OK;
}

eo_status eo_bandpass(const double *x, size_t n, double fs_hz, double lo_hz, double hi_hz,
                      int order, double *y, eo_error *err)
{
    double sos[6 * EO_BUTTER_MAX_ORDER];
    int ns;
    eo_status st = eo_butter_sos(order, EO_FILTER_BANDPASS, lo_hz, hi_hz, fs_hz, sos, &ns, err);
    if (st) return st;
    return eo_sosfiltfilt(sos, ns, x, n, y, err);
}

eo_status eo_notch(const double *x, size_t n, double fs_hz, double w0_hz, double q, double *y,
                   eo_error *err)
{
    double b[3], a[3];
    eo_status st = eo_iirnotch(w0_hz, q, fs_hz, b, a, err);
    if (st) return st;
    return eo_filtfilt_ba(b, 3, a, 3, x, n, y, err);
}
