/* Discrete and stationary wavelet transforms with PyWavelets' conventions
 * (pywt 1.1.1, Lee et al. 2019, JOSS 4(36):1237), so coefficients agree with
 * pywt.dwt/idwt/wavedec/waverec/swt/iswt to rounding.
 *
 * Analysis (pywt downsampling_convolution): c[o] = sum_j h[j] x~[i - j] with
 * i = 2o + 1 (symmetric, zero: output floor((n+F-1)/2) samples) or
 * i = F/2 + 2o (periodization: ceil(n/2) samples, odd n first extended by
 * repeating the last sample).  x~ is the extended signal: half-sample
 * symmetric (x[-1] = x[0], x[n] = x[n-1], period 2n), zero, or periodic.
 * Synthesis is the transpose: y[2k + m - (F - 2)] += c[k] g[m] cropped to
 * 2nc - F + 2 samples (symmetric, zero), or y[(2k + m + 1 - F/2) mod 2nc]
 * += c[k] g[m] (periodization).  SWT level j uses the filters upsampled by
 * 2^(j-1) with the periodization analysis at step 1 (i = F_j/2 + o); ISWT is
 * pywt's (average of the even- and odd-indexed periodized IDWTs). */
#include <stdlib.h>
#include <string.h>

#include "dsp/dsp_internal.h"
#include "dsp/wavelet_filters.h"

eo_status eo_wavelet_get(const char *name, const eo_wavelet **w, eo_error *err)
{
    if (!name || !w) return eo_error_set(err, EO_STATUS_USAGE, "wavelet: NULL name");
    for (int i = 0; i < eo_wavelet_table_len; i++)
        if (strcmp(eo_wavelet_table[i].name, name) == 0) {
            *w = &eo_wavelet_table[i];
            return EO_STATUS_OK;
        }
    return eo_error_set(err, EO_STATUS_NOT_FOUND,
                        "wavelet: unknown wavelet '%s' (haar, db1-20, sym2-20, coif1-5, biorN.M)",
                        name);
}

eo_status eo_wavelet_mode_parse(const char *s, eo_wavelet_mode *mode, eo_error *err)
{
    if (s && strcmp(s, "symmetric") == 0) *mode = EO_WMODE_SYMMETRIC;
    else if (s && strcmp(s, "periodization") == 0) *mode = EO_WMODE_PERIODIZATION;
    else if (s && strcmp(s, "zero") == 0) *mode = EO_WMODE_ZERO;
    else
        return eo_error_set(err, EO_STATUS_USAGE,
                            "wavelet: unknown mode '%s' (symmetric, periodization, zero)",
                            s ? s : "(null)");
    return EO_STATUS_OK;
}

size_t eo_dwt_coeff_len(size_t n, int filt_len, eo_wavelet_mode mode)
{
    if (n == 0 || filt_len < 1) return 0;
    if (mode == EO_WMODE_PERIODIZATION) return (n + 1) / 2;
    return (n + (size_t)filt_len - 1) / 2;
}

int eo_dwt_max_level(size_t n, int filt_len)
{
    if (filt_len <= 1 || n < (size_t)(filt_len - 1)) return 0;
    size_t q = n / (size_t)(filt_len - 1);
    int lev = 0;
    while (q > 1) {
        q >>= 1;
        lev++;
    }
    return lev;
}

/* index into a half-sample symmetric extension of length n */
static inline long sym_index(long i, long n)
{
    long p = 2 * n;
    i %= p;
    if (i < 0) i += p;
    return i < n ? i : p - 1 - i;
}

static inline long per_index(long i, long n)
{
    i %= n;
    return i < 0 ? i + n : i;
}

/* Both analysis filters (symmetric/zero) in one pass over x.  The interior
 * (no extension needed) runs two outputs at a time with four independent
 * accumulators, which hides the floating-point add latency. */
static void conv_down(const double *x, long n, const double *h, const double *g, long F,
                      eo_wavelet_mode mode, double *ca, double *cd, long nout)
{
    /* interior outputs: i = 2o+1 with i - (F-1) >= 0 and i < n */
    long o_lo = (F - 1) / 2;      /* first o with 2o+1 >= F-1 */
    long o_hi = (n - 2) / 2 + 1; /* first o with 2o+1 >= n */
    if (o_hi > nout) o_hi = nout;
    if (o_lo > o_hi) o_lo = o_hi;
    for (long o = 0; o < nout; o++) {
        if (o == o_lo) {
            for (; o + 1 < o_hi; o += 2) {
                const double *xi = x + 2 * o + 1;
                double s0 = 0, t0 = 0, s1 = 0, t1 = 0;
                for (long j = 0; j < F; j++) {
                    double v0 = xi[-j], v1 = xi[2 - j];
                    s0 += h[j] * v0;
                    t0 += g[j] * v0;
                    s1 += h[j] * v1;
                    t1 += g[j] * v1;
                }
                ca[o] = s0;
                cd[o] = t0;
                ca[o + 1] = s1;
                cd[o + 1] = t1;
            }
            if (o >= nout) break;
        }
        long i = 2 * o + 1;
        double s = 0, t = 0;
        if (i - (F - 1) >= 0 && i < n) {
            const double *xi = x + i;
            for (long j = 0; j < F; j++) {
                s += h[j] * xi[-j];
                t += g[j] * xi[-j];
            }
        } else if (mode == EO_WMODE_ZERO) {
            for (long j = 0; j < F; j++) {
                long k = i - j;
                if (k >= 0 && k < n) {
                    s += h[j] * x[k];
                    t += g[j] * x[k];
                }
            }
        } else {
            for (long j = 0; j < F; j++) {
                double v = x[sym_index(i - j, n)];
                s += h[j] * v;
                t += g[j] * v;
            }
        }
        ca[o] = s;
        cd[o] = t;
    }
}

/* Periodization analysis with step `step` over a signal of (even) period
 * np; x has n samples, x[n] (when np == n+1) repeats x[n-1].  h has F
 * taps; only every fstep-th is non-zero (SWT upsampled filters). */
static void conv_per(const double *x, long n, long np, const double *h, long F, long fstep,
                     long step, double *out, long nout)
{
    for (long o = 0; o < nout; o++) {
        long i = F / 2 + step * o;
        double s = 0;
        for (long j = 0; j < F; j += fstep) {
            long k = per_index(i - j, np);
            s += h[j] * x[k < n ? k : n - 1];
        }
        out[o] = s;
    }
}

static void dwt_raw(const double *x, size_t n, const eo_wavelet *w, eo_wavelet_mode mode,
                    double *ca, double *cd)
{
    long F = w->len, nc = (long)eo_dwt_coeff_len(n, w->len, mode);
    if (mode == EO_WMODE_PERIODIZATION) {
        long np = (long)n + (long)(n & 1);
        conv_per(x, (long)n, np, w->dec_lo, F, 1, 2, ca, nc);
        conv_per(x, (long)n, np, w->dec_hi, F, 1, 2, cd, nc);
    } else {
        conv_down(x, (long)n, w->dec_lo, w->dec_hi, F, mode, ca, cd, nc);
    }
}

eo_status eo_dwt(const double *x, size_t n, const eo_wavelet *w, eo_wavelet_mode mode,
                 double *ca, double *cd, eo_error *err)
{
    if (!w || !x || !ca || !cd) return eo_error_set(err, EO_STATUS_USAGE, "dwt: NULL argument");
    if (mode < EO_WMODE_SYMMETRIC || mode > EO_WMODE_ZERO)
        return eo_error_set(err, EO_STATUS_USAGE, "dwt: unknown mode %d", (int)mode);
    if (n < 1) return eo_error_set(err, EO_STATUS_USAGE, "dwt: empty signal");
    eo_status st = eo_dsp_check_finite("dwt", x, n, err);
    if (st) return st;
    dwt_raw(x, n, w, mode, ca, cd);
    return EO_STATUS_OK;
}

static size_t idwt_len(size_t nc, int F, eo_wavelet_mode mode)
{
    if (mode == EO_WMODE_PERIODIZATION) return 2 * nc;
    return 2 * nc + 2 > (size_t)F ? 2 * nc + 2 - (size_t)F : 0;
}

/* y (length ny) += synthesis of c with filter g */
static void conv_up(const double *c, long nc, const double *g, long F, eo_wavelet_mode mode,
                    double *y, long ny)
{
    if (mode == EO_WMODE_PERIODIZATION) {
        long p = 2 * nc;
        for (long k = 0; k < nc; k++) {
            double ck = c[k];
            long base = 2 * k + 1 - F / 2;
            for (long m = 0; m < F; m++) y[per_index(base + m, p)] += ck * g[m];
        }
        return;
    }
    /* y[t] = sum_k c[k] g[t + F - 2 - 2k], gathered per output sample */
    for (long t = 0; t < ny; t++) {
        long u = t + F - 2; /* = 2k + m */
        long kmax = u / 2, kmin = (u - (F - 1) + 1) / 2;
        if (u - (F - 1) < 0) kmin = 0;
        if (kmax > nc - 1) kmax = nc - 1;
        double s = 0;
        for (long k = kmin; k <= kmax; k++) s += c[k] * g[u - 2 * k];
        y[t] += s;
    }
}

/* Both synthesis filters (symmetric/zero): y = up(ca)*glo + up(cd)*ghi,
 * the 'valid' part only, as pywt's upsampling_convolution_valid_sf: for even
 * F, y[2(i-F/2+1)] = sum_j glo[2j] ca[i-j] (+ hi) and the odd sample with
 * the odd taps, i = F/2-1 .. nc-1. */
static void conv_up2(const double *ca, const double *cd, long nc, const double *glo,
                     const double *ghi, long F, double *y, long ny)
{
    if (F % 2 == 0) {
        long h = F / 2;
        (void)ny; /* == 2 (nc - h + 1): every output is written below */
        for (long i = h - 1, o = 0; i < nc; i++, o += 2) {
            double se = 0, so = 0, te = 0, to = 0;
            const double *a = ca + i, *d = cd + i;
            for (long j = 0; j < h; j++) {
                se += glo[2 * j] * a[-j];
                so += glo[2 * j + 1] * a[-j];
                te += ghi[2 * j] * d[-j];
                to += ghi[2 * j + 1] * d[-j];
            }
            y[o] = se + te;
            y[o + 1] = so + to;
        }
        return;
    }
    for (long t = 0; t < ny; t++) {
        long u = t + F - 2;
        long kmax = u / 2, kmin = (u - (F - 1) + 1) / 2;
        if (u - (F - 1) < 0) kmin = 0;
        if (kmax > nc - 1) kmax = nc - 1;
        double s = 0;
        for (long k = kmin; k <= kmax; k++) s += ca[k] * glo[u - 2 * k] + cd[k] * ghi[u - 2 * k];
        y[t] = s;
    }
}

eo_status eo_idwt(const double *ca, const double *cd, size_t nc, const eo_wavelet *w,
                  eo_wavelet_mode mode, double *y, eo_error *err)
{
    if (!w || !y || (!ca && !cd)) return eo_error_set(err, EO_STATUS_USAGE, "idwt: NULL argument");
    if (mode < EO_WMODE_SYMMETRIC || mode > EO_WMODE_ZERO)
        return eo_error_set(err, EO_STATUS_USAGE, "idwt: unknown mode %d", (int)mode);
    size_t ny = idwt_len(nc, w->len, mode);
    if (nc < 1 || ny < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "idwt: %zu coefficients too few for %s (%d taps)",
                            nc, w->name, w->len);
    eo_status st;
    if (ca && (st = eo_dsp_check_finite("idwt: approximation", ca, nc, err))) return st;
    if (cd && (st = eo_dsp_check_finite("idwt: detail", cd, nc, err))) return st;
    if (ca && cd && mode != EO_WMODE_PERIODIZATION) {
        conv_up2(ca, cd, (long)nc, w->rec_lo, w->rec_hi, w->len, y, (long)ny);
        return EO_STATUS_OK;
    }
    memset(y, 0, ny * sizeof *y);
    if (ca) conv_up(ca, (long)nc, w->rec_lo, w->len, mode, y, (long)ny);
    if (cd) conv_up(cd, (long)nc, w->rec_hi, w->len, mode, y, (long)ny);
    return EO_STATUS_OK;
}

void eo_wavecoefs_destroy(eo_wavecoefs *c)
{
    if (!c) return;
    free(c->len);
    if (c->band) free(c->band[0]);
    free(c->band);
    free(c);
}

eo_status eo_wavedec(const double *x, size_t n, const eo_wavelet *w, eo_wavelet_mode mode,
                     int level, eo_wavecoefs **out, eo_error *err)
{
    if (!out) return eo_error_set(err, EO_STATUS_USAGE, "wavedec: NULL output");
    *out = NULL;
    if (!w || !x) return eo_error_set(err, EO_STATUS_USAGE, "wavedec: NULL argument");
    if (mode < EO_WMODE_SYMMETRIC || mode > EO_WMODE_ZERO)
        return eo_error_set(err, EO_STATUS_USAGE, "wavedec: unknown mode %d", (int)mode);
    int maxl = eo_dwt_max_level(n, w->len);
    if (level <= 0) level = maxl;
    if (level < 1 || level > maxl)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "wavedec: level %d too deep for %zu samples with %s (max %d)", level, n,
                            w->name, maxl);
    eo_status st = eo_dsp_check_finite("wavedec", x, n, err);
    if (st) return st;
    eo_wavecoefs *c = calloc(1, sizeof *c);
    if (!c) return eo_error_set(err, EO_STATUS_NO_MEMORY, "wavedec: out of memory");
    c->level = level;
    c->n_signal = n;
    c->len = calloc((size_t)level + 1, sizeof *c->len);
    c->band = calloc((size_t)level + 1, sizeof *c->band);
    if (!c->len || !c->band) goto oom;
    size_t total = 0, m = n;
    for (int l = 1; l <= level; l++) {
        m = eo_dwt_coeff_len(m, w->len, mode);
        c->len[level + 1 - l] = m;
        total += m;
    }
    c->len[0] = m;
    total += m;
    double *buf = malloc(total * sizeof *buf);
    size_t n1 = eo_dwt_coeff_len(n, w->len, mode);
    double *tmp = malloc(2 * (n1 + 1) * sizeof *tmp);
    if (!buf || !tmp) {
        free(buf);
        free(tmp);
        goto oom;
    }
    size_t off = 0;
    for (int i = 0; i <= level; i++) {
        c->band[i] = buf + off;
        off += c->len[i];
    }
    /* level l: approximation of level l-1 -> (cA_l, cD_l); the
     * approximations ping-pong between the two halves of tmp */
    const double *cur = x;
    size_t ncur = n;
    for (int l = 1; l <= level; l++) {
        double *a_out = tmp + (size_t)(l & 1) * (n1 + 1);
        dwt_raw(cur, ncur, w, mode, a_out, c->band[level + 1 - l]);
        cur = a_out;
        ncur = c->len[level + 1 - l];
    }
    memcpy(c->band[0], cur, c->len[0] * sizeof *tmp);
    free(tmp);
    *out = c;
    return EO_STATUS_OK;
oom:
    eo_wavecoefs_destroy(c);
    return eo_error_set(err, EO_STATUS_NO_MEMORY, "wavedec: out of memory for %zu samples", n);
}

eo_status eo_waverec(const eo_wavecoefs *c, const eo_wavelet *w, eo_wavelet_mode mode,
                     double **y, size_t *ny, eo_error *err)
{
    if (!c || !w || !y || !ny || c->level < 1 || !c->band || !c->len)
        return eo_error_set(err, EO_STATUS_USAGE, "waverec: NULL or empty coefficients");
    *y = NULL;
    *ny = 0;
    /* the largest intermediate is at most 2*max(len)+2 */
    size_t maxlen = 0;
    for (int i = 0; i <= c->level; i++)
        if (c->len[i] > maxlen) maxlen = c->len[i];
    size_t cap = 2 * maxlen + 4;
    double *a = malloc(cap * sizeof *a), *b = malloc(cap * sizeof *b);
    if (!a || !b) {
        free(a);
        free(b);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "waverec: out of memory");
    }
    size_t na = c->len[0];
    memcpy(a, c->band[0], na * sizeof *a);
    eo_status st = EO_STATUS_OK;
    for (int i = 1; i <= c->level; i++) {
        size_t nd = c->len[i];
        if (na == nd + 1) na = nd; /* pywt: drop the extra approximation sample */
        else if (na != nd) {
            st = eo_error_set(err, EO_STATUS_USAGE,
                              "waverec: level %d has %zu approximation and %zu detail coefficients",
                              c->level + 1 - i, na, nd);
            break;
        }
        st = eo_idwt(a, c->band[i], nd, w, mode, b, err);
        if (st) break;
        na = idwt_len(nd, w->len, mode);
        double *t = a;
        a = b;
        b = t;
    }
    free(b);
    if (st) {
        free(a);
        return st;
    }
    *y = a;
    *ny = na;
    return EO_STATUS_OK;
}

static int swt_max_level(size_t n)
{
    int l = 0;
    while (n > 0 && (n & 1) == 0) {
        n >>= 1;
        l++;
    }
    return l;
}

/* the filter h upsampled by 2^(lev-1): F << (lev-1) taps, zeros between */
static double *upsample_filter(const double *h, int F, int lev, long *Fe)
{
    long step = 1L << (lev - 1);
    long len = (long)F * step;
    double *e = calloc((size_t)len, sizeof *e);
    if (!e) return NULL;
    for (int i = 0; i < F; i++) e[i * step] = h[i];
    *Fe = len;
    return e;
}

eo_status eo_swt(const double *x, size_t n, const eo_wavelet *w, int level, double *ca,
                 double *cd, eo_error *err)
{
    if (!x || !w || !ca || !cd) return eo_error_set(err, EO_STATUS_USAGE, "swt: NULL argument");
    int maxl = swt_max_level(n);
    if (level < 1 || level > maxl || level > 30)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "swt: level %d impossible for %zu samples (n must be a multiple of "
                            "2^level; max %d)", level, n, maxl);
    eo_status st = eo_dsp_check_finite("swt", x, n, err);
    if (st) return st;
    const double *cur = x;
    for (int lev = 1; lev <= level; lev++) {
        long Fe;
        double *lo = upsample_filter(w->dec_lo, w->len, lev, &Fe);
        double *hi = upsample_filter(w->dec_hi, w->len, lev, &Fe);
        if (!lo || !hi) {
            free(lo);
            free(hi);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "swt: out of memory");
        }
        int row = level - lev; /* pywt lists the deepest level first */
        double *a = ca + (size_t)row * n, *d = cd + (size_t)row * n;
        long fstep = 1L << (lev - 1);
        conv_per(cur, (long)n, (long)n, lo, Fe, fstep, 1, a, (long)n);
        conv_per(cur, (long)n, (long)n, hi, Fe, fstep, 1, d, (long)n);
        free(lo);
        free(hi);
        cur = a;
    }
    return EO_STATUS_OK;
}

eo_status eo_iswt(const double *ca, const double *cd, size_t n, int level,
                  const eo_wavelet *w, double *y, eo_error *err)
{
    if (!ca || !cd || !w || !y) return eo_error_set(err, EO_STATUS_USAGE, "iswt: NULL argument");
    int maxl = swt_max_level(n);
    if (level < 1 || level > maxl || level > 30)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "iswt: level %d impossible for %zu samples (max %d)", level, n, maxl);
    eo_status st = eo_dsp_check_finite("iswt: approximation", ca, n, err);
    if (!st) st = eo_dsp_check_finite("iswt: detail", cd, (size_t)level * n, err);
    if (st) return st;
    size_t half = n / 2 + 1;
    double *ea = malloc(half * sizeof *ea), *ed = malloc(half * sizeof *ed);
    double *oa = malloc(half * sizeof *oa), *od = malloc(half * sizeof *od);
    double *x1 = malloc((2 * half) * sizeof *x1), *x2 = malloc((2 * half) * sizeof *x2);
    size_t *idx = malloc(n * sizeof *idx);
    if (!ea || !ed || !oa || !od || !x1 || !x2 || !idx) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "iswt: out of memory");
        goto done;
    }
    if (y != ca) memmove(y, ca, n * sizeof *y);
    for (int j = level; j >= 1; j--) {
        size_t step = (size_t)1 << (j - 1);
        const double *d = cd + (size_t)(level - j) * n;
        for (size_t first = 0; first < step; first++) {
            size_t ni = 0;
            for (size_t t = first; t < n; t += step) idx[ni++] = t;
            size_t ne = 0, no = 0;
            for (size_t t = 0; t < ni; t += 2) {
                ea[ne] = y[idx[t]];
                ed[ne++] = d[idx[t]];
            }
            for (size_t t = 1; t < ni; t += 2) {
                oa[no] = y[idx[t]];
                od[no++] = d[idx[t]];
            }
            st = eo_idwt(ea, ed, ne, w, EO_WMODE_PERIODIZATION, x1, err);
            if (!st) st = eo_idwt(oa, od, no, w, EO_WMODE_PERIODIZATION, x2, err);
            if (st) goto done;
            /* x2 rolled right by one, then average into the selected indices */
            for (size_t t = 0; t < ni; t++) {
                double v2 = x2[(t + ni - 1) % ni];
                y[idx[t]] = (x1[t] + v2) / 2.0;
            }
        }
    }
done:
    free(ea);
    free(ed);
    free(oa);
    free(od);
    free(x1);
    free(x2);
    free(idx);
    return st;
}
