/* eo_resample vs libsoxr and libsamplerate (and scipy.signal.resample_poly,
 * timed by bench/dsp/resample_peer.py in the same run): accuracy and speed.
 *
 * Accuracy: a band-limited test signal (20 sinusoids of random phase and
 * frequency up to 0.4 of the lower rate, the ECG band and beyond) is
 * generated analytically at both rates; the error is the RMS difference
 * between the resampled signal and the exact one over the interior (1 s
 * from each edge), in dB below the signal RMS.  Libraries whose output is
 * delayed are aligned by the best integer lag within +-64 samples (ecgopt's
 * and scipy's outputs need none).  Speed: 30 min at fs_in (record length
 * of MIT-BIH), median of REPS runs.
 * Usage: bench_resample [--reps N]; prints RESULT lines. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ecgopt/resample.h"
#include "ecgopt/rng.h"
#ifdef EO_HAVE_SOXR
#include <soxr.h>
#endif
#ifdef EO_HAVE_SAMPLERATE
#include <samplerate.h>
#endif

#define NTONES 20

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void tones(double *x, size_t n, double fs, const double *f, const double *ph)
{
    for (size_t i = 0; i < n; i++) {
        double s = 0, t = (double)i / fs;
        for (int k = 0; k < NTONES; k++)
            s += sin(2 * M_PI * f[k] * t + ph[k]);
        x[i] = s / sqrt(NTONES / 2.0);
    }
}

/* error in dB below the signal RMS, best lag in [-64, 64] */
static double err_db(const double *y, size_t ny, const double *ref, size_t nref, double fs,
                     int *lag_out)
{
    size_t a = (size_t)fs, b = (nref < ny ? nref : ny) - (size_t)fs;
    double best = INFINITY;
    int bl = 0;
    for (int lag = -64; lag <= 64; lag++) {
        double e = 0, s = 0;
        for (size_t i = a; i < b; i++) {
            long j = (long)i + lag;
            if (j < 0 || (size_t)j >= ny)
                continue;
            double d = y[j] - ref[i];
            e += d * d;
            s += ref[i] * ref[i];
        }
        double v = 10 * log10(e / s);
        if (v < best) {
            best = v;
            bl = lag;
        }
    }
    *lag_out = bl;
    return best;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int reps = 5;
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
    if (reps < 1 || reps > 1000)
        reps = 5;
    const double pairs[][2] = {{360, 128}, {128, 360}, {360, 257}, {360, 500}};
    for (int p = 0; p < 4; p++) {
        double fi = pairs[p][0], fo = pairs[p][1];
        size_t n = (size_t)(1800 * fi), nref;
        eo_resample_length(n, fi, fo, &nref, NULL);
        double f[NTONES], ph[NTONES];
        eo_rng rng;
        eo_rng_seed(&rng, 7 + (uint64_t)p);
        double fmax = 0.4 * (fi < fo ? fi : fo);
        for (int k = 0; k < NTONES; k++) {
            f[k] = 0.5 + (fmax - 0.5) * eo_rng_uniform(&rng);
            ph[k] = 2 * M_PI * eo_rng_uniform(&rng);
        }
        double *x = malloc(n * sizeof *x), *ref = malloc(nref * sizeof *ref);
        double *t = malloc((size_t)reps * sizeof *t);
        if (!x || !ref || !t)
            return 1;
        tones(x, n, fi, f, ph);
        tones(ref, nref, fo, f, ph);
        int lag;
        /* ecgopt */
        double *y = NULL;
        size_t ny = 0;
        for (int r = 0; r < reps; r++) {
            free(y);
            double t0 = now();
            if (eo_resample(x, n, fi, fo, &y, &ny, NULL) != EO_STATUS_OK)
                return 1;
            t[r] = now() - t0;
        }
        qsort(t, (size_t)reps, sizeof *t, cmp_d);
        double e = err_db(y, ny, ref, nref, fo, &lag);
        printf("RESULT ecgopt %g->%g: ms=%.2f err_db=%.1f lag=%d\n", fi, fo, 1e3 * t[reps / 2], e,
               lag);
        free(y);
#ifdef EO_HAVE_SOXR
        {
            size_t cap = nref + 64, odone = 0;
            double *ys = malloc(cap * sizeof *ys);
            soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT64_I, SOXR_FLOAT64_I);
            const char *names[] = {"soxr_hq", "soxr_vhq"};
            unsigned long q[] = {SOXR_HQ, SOXR_VHQ};
            for (int k = 0; k < 2; k++) {
                soxr_quality_spec_t qs = soxr_quality_spec(q[k], 0);
                for (int r = 0; r < reps; r++) {
                    double t0 = now();
                    soxr_error_t se =
                        soxr_oneshot(fi, fo, 1, x, n, NULL, ys, cap, &odone, &io, &qs, NULL);
                    t[r] = now() - t0;
                    if (se)
                        return 1;
                }
                qsort(t, (size_t)reps, sizeof *t, cmp_d);
                e = err_db(ys, odone, ref, nref, fo, &lag);
                printf("RESULT %s %g->%g: ms=%.2f err_db=%.1f lag=%d\n", names[k], fi, fo,
                       1e3 * t[reps / 2], e, lag);
            }
            free(ys);
        }
#endif
#ifdef EO_HAVE_SAMPLERATE
        {
            float *xf = malloc(n * sizeof *xf), *yf = malloc((nref + 64) * sizeof *yf);
            double *yd = malloc((nref + 64) * sizeof *yd);
            for (size_t i = 0; i < n; i++)
                xf[i] = (float)x[i];
            SRC_DATA d = {0};
            for (int r = 0; r < reps; r++) {
                memset(&d, 0, sizeof d);
                d.data_in = xf;
                d.data_out = yf;
                d.input_frames = (long)n;
                d.output_frames = (long)nref + 64;
                d.src_ratio = fo / fi;
                double t0 = now();
                if (src_simple(&d, SRC_SINC_BEST_QUALITY, 1))
                    return 1;
                t[r] = now() - t0;
            }
            qsort(t, (size_t)reps, sizeof *t, cmp_d);
            for (long i = 0; i < d.output_frames_gen; i++)
                yd[i] = yf[i];
            e = err_db(yd, (size_t)d.output_frames_gen, ref, nref, fo, &lag);
            printf("RESULT samplerate_best %g->%g: ms=%.2f err_db=%.1f lag=%d\n", fi, fo,
                   1e3 * t[reps / 2], e, lag);
            free(xf);
            free(yf);
            free(yd);
        }
#endif
        free(x);
        free(ref);
        free(t);
    }
    return 0;
}
