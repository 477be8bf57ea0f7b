/* VMD speed on an MIT-BIH segment, against vmdpy (bench/dsp/vmd_vs_vmdpy.sh).
 * usage: bench_vmd SEG.f64 MODES.f64 FS K ALPHA TOL UPDATES PEER_SECONDS
 * Times eo_vmd_run with vmdpy's tol (best of several runs), checks the
 * modes against vmdpy's (same iterate: UPDATES-1 updates, see vmd.h), and
 * prints one line ending in ratio=<ecgopt/vmdpy>. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/util.h"
#include "ecgopt/vmd.h"

static double *load(const char *path, size_t *n)
{
    unsigned char *d = NULL;
    size_t len = 0;
    eo_error err;
    if (eo_read_file(path, &d, &len, &err)) {
        fprintf(stderr, "bench_vmd: %s\n", err.msg);
        return NULL;
    }
    *n = len / sizeof(double);
    return (double *)d;
}

int main(int argc, char **argv)
{
    if (argc != 9) {
        fprintf(stderr, "usage: bench_vmd SEG.f64 MODES.f64 FS K ALPHA TOL UPDATES PEER_SECONDS\n");
        return 1;
    }
    size_t n = 0, nm = 0;
    double *x = load(argv[1], &n), *ref = load(argv[2], &nm);
    if (!x || !ref)
        return 2;
    double fs = atof(argv[3]), alpha = atof(argv[5]), tol = atof(argv[6]), peer = atof(argv[8]);
    int K = atoi(argv[4]), updates = atoi(argv[7]);
    eo_vmd_options o;
    eo_vmd_defaults(&o);
    o.K = K;
    o.alpha = alpha;
    o.init = EO_VMD_INIT_UNIFORM;
    o.tol = tol;
    o.max_iter = 499; /* vmdpy's Niter = 500 */
    eo_vmd *v = NULL;
    eo_error err;
    if (eo_vmd_create(&v, n, &o, &err)) {
        fprintf(stderr, "bench_vmd: %s\n", err.msg);
        return 2;
    }
    double best = 1e30;
    int reps = n > 10000 ? 5 : 20;
    for (int r = 0; r < reps; r++) {
        double t0 = eo_time_now();
        if (eo_vmd_run(v, x, fs, &err)) {
            fprintf(stderr, "bench_vmd: %s\n", err.msg);
            return 2;
        }
        double t = eo_time_now() - t0;
        if (t < best)
            best = t;
    }
    int it = eo_vmd_iterations(v);
    /* agreement with vmdpy's returned iterate */
    eo_vmd_destroy(v);
    o.tol = 0.0;
    o.max_iter = updates - 1;
    eo_vmd_create(&v, n, &o, &err);
    eo_vmd_run(v, x, fs, &err);
    double maxd = 0.0;
    for (int k = 0; k < K && nm == (size_t)K * n; k++) {
        const double *m = eo_vmd_mode(v, k);
        for (size_t i = 0; i < n; i++)
            maxd = fmax(maxd, fabs(m[i] - ref[(size_t)k * n + i]));
    }
    printf("vmd n=%zu (%.0f s) K=%d updates=%d/%d ecgopt=%.4f s vmdpy=%.4f s max|diff|=%.2g "
           "ratio=%.4f\n",
           n, n / fs, K, it, updates, best, peer, maxd, best / peer);
    eo_vmd_destroy(v);
    free(x);
    free(ref);
    return 0;
}
