/* bench_nn_gemm — the engine's SGEMM shapes through oneDNN and OpenBLAS
 * (eo_sgemm with EO_NN_GEMM_ONEDNN / EO_NN_GEMM_OPENBLAS), one thread each,
 * alternating, best of --reps, timed in thread CPU time so that other
 * processes on a shared machine do not enter the figure.  Shapes: the
 * reference CNN's per-sample convolution GEMMs (forward, weight gradient,
 * input gradient), its batch-wide im2col GEMM, the dense layer, the LSTM
 * recurrent step, and 1024^3.  Prints per shape
 *   nn gemm <what> MxNxK: onednn X GFLOP/s, openblas Y GFLOP/s ratio=<onednn time / openblas time>
 * and which core OpenBLAS runs (Debian's DYNAMIC_ARCH build picks Haswell
 * kernels on this Sapphire Rapids CPU unless OPENBLAS_CORETYPE is set).
 *
 * usage: bench_nn_gemm [--reps N] */
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nn/nn_internal.h"

char *openblas_get_corename(void);

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

typedef struct {
    const char *what;
    int M, N, K, ta, tb;
} shape;

int main(int argc, char **argv)
{
    int reps = 30;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--reps") && i + 1 < argc)
            reps = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_nn_gemm [--reps N]\n");
            return 1;
        }
    }
    if (reps < 1)
        reps = 1;
    const shape sh[] = {
        {"conv2 fwd per sample", 64, 128, 160, 0, 0},
        {"conv2 dW per sample", 64, 160, 128, 0, 1},
        {"conv2 dcol per sample", 160, 128, 64, 1, 0},
        {"conv3 fwd per sample", 64, 64, 192, 0, 0},
        {"conv2 fwd batch-32 im2col", 64, 4096, 160, 0, 0},
        {"conv1 fwd batch-32 im2col", 32, 8192, 7, 0, 0},
        {"dense fwd batch 32", 32, 128, 2048, 0, 1},
        {"dense dW batch 32", 128, 2048, 32, 1, 0},
        {"lstm step batch 32", 32, 256, 64, 0, 1},
        {"square", 1024, 1024, 1024, 0, 0},
    };
    openblas_set_num_threads(1);
    printf("ecgopt nn gemm bench: OpenBLAS core %s, reps=%d, thread CPU time\n",
           openblas_get_corename(), reps);
    for (size_t s = 0; s < sizeof sh / sizeof sh[0]; s++) {
        const shape *q = &sh[s];
        float *A = malloc(sizeof(float) * (size_t)q->M * q->K),
              *B = malloc(sizeof(float) * (size_t)q->K * q->N),
              *C = malloc(sizeof(float) * (size_t)q->M * q->N);
        if (!A || !B || !C) {
            fprintf(stderr, "bench_nn_gemm: out of memory\n");
            return 3;
        }
        for (size_t i = 0; i < (size_t)q->M * q->K; i++)
            A[i] = (float)(i % 7) * 0.1f;
        for (size_t i = 0; i < (size_t)q->K * q->N; i++)
            B[i] = (float)(i % 5) * 0.1f;
        const int lda = q->ta ? q->M : q->K, ldb = q->tb ? q->K : q->N;
        const int r = q->M >= 1024 ? 4 : reps;
        /* enough calls per timing that the clock's resolution does not matter */
        const double fl = 2.0 * q->M * q->N * q->K;
        const int inner = fl > 1e8 ? 1 : (int)(1e8 / fl) + 1;
        double best[2] = {1e30, 1e30};
        for (int k = 0; k < r; k++)
            for (int b = 0; b < 2; b++) {
                const int kind = b ? EO_NN_GEMM_OPENBLAS : EO_NN_GEMM_ONEDNN;
                double t0 = cpu_now();
                for (int it = 0; it < inner; it++)
                    eo_sgemm(kind, q->ta, q->tb, q->M, q->N, q->K, 1.0f, A, lda, B, ldb, 0.0f, C, q->N);
                double t = (cpu_now() - t0) / inner;
                if (t < best[b])
                    best[b] = t;
            }
        printf("nn gemm %s %dx%dx%d: onednn %.1f GFLOP/s, openblas %.1f GFLOP/s ratio=%.3f\n", q->what,
               q->M, q->N, q->K, fl / best[0] / 1e9, fl / best[1] / 1e9, best[0] / best[1]);
        free(A);
        free(B);
        free(C);
    }
    return 0;
}
