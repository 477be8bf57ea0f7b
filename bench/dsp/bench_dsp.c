/* Benchmark of the dsp hot paths on the whole MLII channel of MIT-BIH record
 * 100 (650000 samples), the same operations as ../shared/peers/pywt_bench.py:
 * db4 level-6 wavedec, universal soft threshold, waverec, the whole denoise,
 * filtfilt(b, a) and sosfiltfilt of butter(4, [0.5, 40], bandpass, fs=360).
 * Usage: bench_dsp [--reps N] [RECORD_BASE]   (default <shared>/mitdb/100)
 * Prints "RESULT <name>: median_ms=<m> min_ms=<m>" lines like the peer.
 * The record is read with a minimal format-212 decoder (this benchmark links
 * only the dsp module). */
#include <stdint.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "ecgopt/dsp.h"
#include "ecgopt/util.h"

static int load_mlii(const char *base, double **x, size_t *n, double *fs)
{
    char path[4200];
    snprintf(path, sizeof path, "%s.hea", base);
    FILE *fp = fopen(path, "r");
    if (!fp) return -1;
    char line[512], datname[256] = "";
    int nsig = 0, ch = -1, sig = 0;
    long nsamp = 0;
    double gain = 200, baseline = 0;
    if (!fgets(line, sizeof line, fp) || sscanf(line, "%*s %d %lf %ld", &nsig, fs, &nsamp) != 3) {
        fclose(fp);
        return -1;
    }
    while (sig < nsig && fgets(line, sizeof line, fp)) {
        char file[256], fmt[32], g[64], desc[64] = "";
        int adcres, adczero;
        if (sscanf(line, "%255s %31s %63s %d %d %*s %*s %*s %63s", file, fmt, g, &adcres, &adczero,
                   desc) >= 5) {
            if (strcmp(desc, "MLII") == 0 && ch < 0) {
                ch = sig;
                gain = atof(g);
                baseline = adczero;
                snprintf(datname, sizeof datname, "%s", file);
            }
            sig++;
        }
    }
    fclose(fp);
    if (ch < 0 || nsig != 2) return -1;
    const char *slash = strrchr(base, '/');
    snprintf(path, sizeof path, "%.*s%s", slash ? (int)(slash - base + 1) : 0, base, datname);
    unsigned char *raw;
    size_t nraw;
    if (eo_read_file(path, &raw, &nraw, NULL)) return -1;
    size_t frames = nraw / 3;
    if ((long)frames > nsamp) frames = (size_t)nsamp;
    *x = malloc(frames * sizeof **x);
    if (!*x) return -1;
    for (size_t i = 0; i < frames; i++) {
        const unsigned char *b = raw + 3 * i;
        int s0 = b[0] | ((b[1] & 0x0F) << 8), s1 = b[2] | ((b[1] & 0xF0) << 4);
        if (s0 > 2047) s0 -= 4096;
        if (s1 > 2047) s1 -= 4096;
        (*x)[i] = ((ch == 0 ? s0 : s1) - baseline) / gain;
    }
    free(raw);
    *n = frames;
    return 0;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef int (*op_fn)(void *ctx);

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void timeit(const char *name, op_fn fn, void *ctx, int reps, size_t n)
{
    double cmin = 1e30;
    for (int i = 0; i < 2; i++)
        if (fn(ctx)) {
            printf("  %s FAILED\n", name);
            return;
        }
    double *t = malloc((size_t)reps * sizeof *t);
    for (int i = 0; i < reps; i++) {
        double t0 = eo_time_now(), c0 = cpu_now();
        fn(ctx);
        t[i] = (eo_time_now() - t0) * 1e3;
        double c = (cpu_now() - c0) * 1e3;
        if (c < cmin) cmin = c;
    }
    qsort(t, (size_t)reps, sizeof *t, cmpd);
    double med = (reps & 1) ? t[reps / 2] : 0.5 * (t[reps / 2 - 1] + t[reps / 2]);
    printf("  RESULT %s: median_ms=%.2f min_ms=%.2f  (%.1f Msamples/s)\n", name, med, t[0],
           (double)n / (med / 1e3) / 1e6);
    printf("  CPU %s: min_cpu_ms=%.2f\n", name, cmin);
    free(t);
}

typedef struct {
    const double *x;
    size_t n;
    const eo_wavelet *w;
    eo_wavecoefs *c;
    double *y, thr;
    double sos[6 * 8], b[9], a[9];
    int ns, nc;
} ctx_t;

static int op_wavedec(void *p)
{
    ctx_t *c = p;
    eo_wavecoefs *k;
    if (eo_wavedec(c->x, c->n, c->w, EO_WMODE_SYMMETRIC, 6, &k, NULL)) return 1;
    eo_wavecoefs_destroy(k);
    return 0;
}

static int op_threshold(void *p)
{
    /* as the peer: sigma from cD1, universal threshold, soft on a copy of the details */
    ctx_t *c = p;
    eo_wavecoefs *k = c->c;
    double sigma = eo_mad_sigma(k->band[k->level], k->len[k->level]);
    c->thr = eo_threshold_value(EO_THRULE_UNIVERSAL, NULL, 0, c->n, sigma);
    size_t off = 0;
    for (int i = 1; i <= k->level; i++) {
        memcpy(c->y + off, k->band[i], k->len[i] * sizeof(double));
        eo_threshold(c->y + off, k->len[i], c->thr, EO_THRESH_SOFT);
        off += k->len[i];
    }
    return 0;
}

static int op_waverec(void *p)
{
    ctx_t *c = p;
    double *r;
    size_t nr;
    if (eo_waverec(c->c, c->w, EO_WMODE_SYMMETRIC, &r, &nr, NULL)) return 1;
    free(r);
    return 0;
}

static int op_denoise(void *p)
{
    ctx_t *c = p;
    return eo_wavelet_denoise(c->x, c->n, NULL, c->y, NULL) != EO_STATUS_OK;
}

static int op_filtfilt(void *p)
{
    ctx_t *c = p;
    return eo_filtfilt_ba(c->b, c->nc, c->a, c->nc, c->x, c->n, c->y, NULL) != EO_STATUS_OK;
}

static int op_sosfiltfilt(void *p)
{
    ctx_t *c = p;
    return eo_sosfiltfilt(c->sos, c->ns, c->x, c->n, c->y, NULL) != EO_STATUS_OK;
}

int main(int argc, char **argv)
{
    int reps = 20;
    char base[4096];
    snprintf(base, sizeof base, "%s/mitdb/100", EO_BENCH_DATA_DIR);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) reps = atoi(argv[++i]);
        else snprintf(base, sizeof base, "%s", argv[i]);
    }
    if (reps < 1) reps = 1;
    ctx_t c;
    memset(&c, 0, sizeof c);
    double *x, fs;
    double t0 = eo_time_now();
    if (load_mlii(base, &x, &c.n, &fs)) {
        fprintf(stderr, "bench_dsp: %s: cannot read MLII of this record\n", base);
        return 2;
    }
    printf("  record %s: MLII N=%zu fs=%g  (read: %.1f ms)\n", base, c.n, fs,
           (eo_time_now() - t0) * 1e3);
    c.x = x;
    c.y = malloc((c.n + 64) * sizeof *c.y);
    eo_error err;
    if (eo_wavelet_get("db4", &c.w, &err) ||
        eo_wavedec(x, c.n, c.w, EO_WMODE_SYMMETRIC, 6, &c.c, &err) ||
        eo_butter_sos(4, EO_FILTER_BANDPASS, 0.5, 40, fs, c.sos, &c.ns, &err) ||
        eo_butter_ba(4, EO_FILTER_BANDPASS, 0.5, 40, fs, c.b, c.a, &c.nc, &err)) {
        fprintf(stderr, "bench_dsp: %s\n", err.msg);
        return 3;
    }
    timeit("wavedec", op_wavedec, &c, reps, c.n);
    timeit("threshold", op_threshold, &c, reps, c.n);
    timeit("waverec", op_waverec, &c, reps, c.n);
    timeit("denoise_total", op_denoise, &c, reps, c.n);
    op_denoise(&c);
    double ss = 0;
    for (size_t i = 0; i < c.n; i++) ss += (c.y[i] - x[i]) * (c.y[i] - x[i]);
    printf("  db4 L6 universal thr=%.5f mV  denoised rms diff=%.5f mV\n", c.thr, sqrt(ss / c.n));
    timeit("filtfilt_ba", op_filtfilt, &c, reps, c.n);
    timeit("sosfiltfilt", op_sosfiltfilt, &c, reps, c.n);
    double *y2 = malloc(c.n * sizeof *y2);
    op_filtfilt(&c);
    memcpy(y2, c.y, c.n * sizeof *y2);
    op_sosfiltfilt(&c);
    double md = 0;
    for (size_t i = 0; i < c.n; i++) md = fmax(md, fabs(y2[i] - c.y[i]));
    printf("  filtfilt ba vs sos max abs diff = %.2e mV\n", md);
    free(y2);
    eo_wavecoefs_destroy(c.c);
    free(c.y);
    free(x);
    return 0;
}
