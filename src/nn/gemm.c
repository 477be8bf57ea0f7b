/* ecgopt nn — the one SGEMM entry point of the engine (row-major C =
 * alpha op(A) op(B) + beta C), dispatching to oneDNN or OpenBLAS.
 *
 * Why oneDNN: Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) identifies this
 * machine's Sapphire Rapids CPU as "Haswell" and runs its AVX2 kernels,
 * while oneDNN's JIT sgemm uses AVX-512.  On the engine's GEMM shapes
 * (M = 32..160, N = 2048..8192, K = 7..4096) dnnl_sgemm gave 1.6-1.9x the
 * single-thread GFLOP/s of OpenBLAS (docs/nn.md, "How it computes").
 *
 * oneDNN (Debian build) threads with OpenMP.  The engine threads by batch
 * chunks on its own pthreads, so every oneDNN call here runs on one OpenMP
 * thread: the calling thread's OpenMP thread count (a per-thread ICV) is
 * set to 1 for the call and restored, leaving no lasting state.  When the
 * engine runs a large GEMM on the whole batch of a network with threads > 1
 * (a batch too small to cut into chunks; kind EO_SGEMM_AUTO_MT), OpenBLAS's
 * own threads are used: the pass has set their count (model.c). */
#include <cblas.h>
#include <omp.h>
#include <oneapi/dnnl/dnnl.h>

#include "nn/nn_internal.h"

/* 2*M*N*K above which a whole-batch GEMM with T > 1 goes to threaded OpenBLAS */
#define EO_GEMM_MT_FLOPS 8.0e6

void eo_sgemm(int kind, int ta, int tb, int M, int N, int K, float alpha, const float *A, int lda,
              const float *B, int ldb, float beta, float *C, int ldc)
{
    if (M <= 0 || N <= 0)
        return;
    int use_dnnl = kind != EO_NN_GEMM_OPENBLAS;
    if (kind == EO_SGEMM_AUTO_MT && 2.0 * M * N * K > EO_GEMM_MT_FLOPS)
        use_dnnl = 0;
    if (use_dnnl) {
        const int old = omp_get_max_threads();
        if (old != 1)
            omp_set_num_threads(1);
        dnnl_status_t st = dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', M, N, K, alpha, A, lda, B,
                                      ldb, beta, C, ldc);
        if (old != 1)
            omp_set_num_threads(old);
        if (st == dnnl_success)
            return;
        /* argument rejected by oneDNN (should not happen): OpenBLAS computes it */
    }
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, M,
                N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}
