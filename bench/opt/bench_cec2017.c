/* Cost of one CEC 2017 evaluation: bench_cec2017 D F [F...] prints, per
 * function, "F<f> D=<d> us_per_eval=<t> f0=<f(x0)>" for a fixed point x0
 * (x0_j = -50 + 100 j / D) evaluated repeatedly with a tiny perturbation. */
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/cec2017.h"
#include "ecgopt/util.h"

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_cec2017 D F [F...]\n");
        return 1;
    }
    int d = atoi(argv[1]);
    if (d < 2 || d > 100)
        return 1;
    char dir[4096];
    eo_error err;
    if (eo_cec2017_find_dir(EO_BENCH_DATA_DIR "/cec2017", dir, sizeof dir, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    double x[100];
    for (int a = 2; a < argc; a++) {
        int f = atoi(argv[a]);
        eo_cec2017 *p = NULL;
        if (eo_cec2017_create(&p, f, d, dir, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        for (int j = 0; j < d; j++)
            x[j] = -50.0 + 100.0 * j / d;
        double f0 = eo_cec2017_eval(p, x);
        long n = 0;
        double t0 = eo_time_now(), t, sink = 0;
        do {
            for (int k = 0; k < 1000; k++) {
                x[k % d] += 1e-12;
                sink += eo_cec2017_eval(p, x);
            }
            n += 1000;
            t = eo_time_now() - t0;
        } while (t < 0.5);
        printf("F%d D=%d us_per_eval=%.4f f0=%.17g%s\n", f, d, 1e6 * t / n, f0,
               sink == 0 ? " " : "");
        eo_cec2017_destroy(p);
    }
    return 0;
}
