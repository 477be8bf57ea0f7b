/* bench_nn — ecgopt side of bench/nn/nn_vs_torch.sh: the reference CNN and
 * CNN-LSTM of ../shared/peers/torch_cnn_bench.py trained and run with the
 * peer's protocol on the same DS1 beats (dumped by the driver script):
 *   training: warm-up batches, then --epochs timed epochs (median), batch 64,
 *             Adam lr 1e-3, cross-entropy, dropout active, seeded shuffling;
 *             CNN on all beats, CNN-LSTM on a seeded subsample (--lstm-train);
 *   inference: batch 256 over the first --infer-beats beats, median of 3;
 *   latency: batch 1, 50 warm-up calls, median of 1000.
 * Also measures OpenBLAS SGEMM peak (1024^3, best of 5) in the same run and
 * prints the CNN epoch's achieved GFLOP/s (3 x forward FLOPs x beats / s).
 *
 * usage: bench_nn BEATS.bin [--epochs N] [--threads N] [--lstm-train N] [--cnn-train N]
 *                 [--infer-beats N] [--warmup-batches N] [--models cnn,cnnlstm]
 * BEATS.bin: u32 n, u32 L, float32 x[n*L], int32 y[n] (little-endian). */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ecgopt/nn.h"

#define CNN_SPEC "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) " \
                 "flatten dense(128) relu dropout(0.3) dense(5)"
#define LSTM_SPEC "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) " \
                  "lstm(64) dense(5)"

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmpd);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static double sgemm_peak(void)
{
    const int n = 1024;
    float *a = malloc(sizeof(float) * n * n), *b = malloc(sizeof(float) * n * n),
          *c = malloc(sizeof(float) * n * n);
    for (int i = 0; i < n * n; i++) {
        a[i] = (float)(i % 7) * 0.1f;
        b[i] = (float)(i % 5) * 0.1f;
    }
    double best = 0.0;
    for (int r = 0; r < 6; r++) {
        double t0 = eo_time_now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
        double g = 2.0 * n * n * n / (eo_time_now() - t0) / 1e9;
        if (r > 0 && g > best)
            best = g;
    }
    free(a);
    free(b);
    free(c);
    return best;
}

typedef struct {
    int epochs, warmup, lstm_train, cnn_train, infer, threads;
    const char *models;
} args;

static int run_model(const char *name, const char *spec, const float *X, const int *Y, int n, int L,
                     const args *a)
{
    eo_error err;
    eo_nn *nn;
    if (eo_nn_from_spec(spec, 1, L, &nn, &err)) {
        fprintf(stderr, "bench_nn: %s\n", err.msg);
        return 1;
    }
    eo_rng rng;
    eo_rng_seed(&rng, 0);
    eo_nn_init(nn, EO_NN_INIT_TORCH, &rng);
    eo_nn_set_threads(nn, a->threads);
    /* training set: all beats, or a seeded subsample for the CNN-LSTM */
    int ntr = n;
    float *Xs = NULL;
    int *Ys = NULL;
    const int want = !strcmp(name, "cnnlstm") ? a->lstm_train : a->cnn_train;
    if (want > 0 && want < n) {
        ntr = want;
        size_t *idx = malloc(sizeof(size_t) * n);
        for (int i = 0; i < n; i++)
            idx[i] = (size_t)i;
        eo_rng_shuffle_size(&rng, idx, (size_t)n);
        Xs = malloc(sizeof(float) * (size_t)ntr * L);
        Ys = malloc(sizeof(int) * ntr);
        for (int i = 0; i < ntr; i++) {
            memcpy(Xs + (size_t)i * L, X + idx[i] * L, sizeof(float) * L);
            Ys[i] = Y[idx[i]];
        }
        free(idx);
    }
    const float *Xt = Xs ? Xs : X;
    const int *Yt = Ys ? Ys : Y;
    printf("\n[%s] params=%zu train_beats=%d infer_beats=%d flops/beat=%.3f M\n", name,
           eo_nn_param_count(nn), ntr, a->infer < n ? a->infer : n, eo_nn_flops(nn) / 1e6);
    eo_nn_train_options o;
    eo_nn_train_defaults(&o);
    o.epochs = 1;
    o.batch_size = 64;
    o.seed = 0;
    eo_nn_train_report rep;
    int nw = a->warmup * 64 < ntr ? a->warmup * 64 : ntr;
    eo_nn_data wd = {Xt, Yt, NULL, nw};
    if (eo_nn_train(nn, &wd, NULL, &o, &rep, &err)) {
        fprintf(stderr, "bench_nn: %s\n", err.msg);
        return 1;
    }
    printf("  warm-up (%d beats): %.2f s  loss=%.4f\n", nw, rep.seconds, rep.final_train_loss);
    double ts[64];
    int ne = a->epochs < 64 ? a->epochs : 64;
    eo_nn_data td = {Xt, Yt, NULL, ntr};
    size_t arena = 0;
    for (int e = 0; e < ne; e++) {
        o.seed = (uint64_t)e + 1;
        if (eo_nn_train(nn, &td, NULL, &o, &rep, &err)) {
            fprintf(stderr, "bench_nn: %s\n", err.msg);
            return 1;
        }
        ts[e] = rep.seconds;
        arena = rep.arena_bytes;
        printf("  epoch %d: %.2f s  loss=%.4f\n", e + 1, rep.seconds, rep.final_train_loss);
        fflush(stdout);
    }
    const double med = median(ts, ne);
    /* inference */
    const int ni = a->infer < n ? a->infer : n;
    float *out = malloc(sizeof(float) * 5 * (size_t)ni);
    eo_nn_predict(nn, X, ni, 256, out, &err);
    double it[3];
    for (int r = 0; r < 3; r++) {
        double t0 = eo_time_now();
        eo_nn_predict(nn, X, ni, 256, out, &err);
        it[r] = eo_time_now() - t0;
    }
    const double imed = median(it, 3);
    /* latency: inference-only forward, as the peer's model(x) under no_grad */
    static double lt[1000];
    const float *y;
    for (int r = 0; r < 50; r++)
        eo_nn_infer(nn, X, 1, &y, &err);
    for (int r = 0; r < 1000; r++) {
        double t0 = eo_time_now();
        eo_nn_infer(nn, X, 1, &y, &err);
        lt[r] = eo_time_now() - t0;
    }
    const double lat = median(lt, 1000);
    const double gflops = 3.0 * eo_nn_flops(nn) * ntr / med / 1e9;
    /* memory: arena + params, grads, Adam m and v */
    const double mem_mb = (arena + 4.0 * 4 * eo_nn_param_count(nn)) / 1048576.0;
    printf("  RESULT %s: train_beats=%d sec_per_epoch=%.3f train_beats_per_s=%.0f | "
           "infer_b256_beats_per_s=%.0f (%.3f s per %d) | latency_b1_median_ms=%.4f | "
           "train_gflops=%.2f | train_mem_mb=%.1f\n",
           name, ntr, med, ntr / med, ni / imed, imed, ni, lat * 1e3, gflops, mem_mb);
    free(out);
    free(Xs);
    free(Ys);
    eo_nn_destroy(nn);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_nn BEATS.bin [--epochs N] [--threads N] [--lstm-train N] "
                        "[--infer-beats N] [--warmup-batches N] [--models cnn,cnnlstm]\n");
        return 1;
    }
    args a = {3, 100, 16000, 0, 12800, 2, "cnn,cnnlstm"};
    for (int i = 2; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--epochs"))
            a.epochs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--threads"))
            a.threads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--lstm-train"))
            a.lstm_train = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--cnn-train"))
            a.cnn_train = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--infer-beats"))
            a.infer = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--warmup-batches"))
            a.warmup = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--models"))
            a.models = argv[i + 1];
    }
    if (a.epochs < 1)
        a.epochs = 1;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        fprintf(stderr, "bench_nn: cannot open %s\n", argv[1]);
        return 2;
    }
    unsigned hdr[2];
    if (fread(hdr, 4, 2, f) != 2 || hdr[0] == 0 || hdr[1] == 0 || hdr[1] > 100000) {
        fprintf(stderr, "bench_nn: %s: bad header\n", argv[1]);
        return 2;
    }
    const int n = (int)hdr[0], L = (int)hdr[1];
    float *X = malloc(sizeof(float) * (size_t)n * L);
    int *Y = malloc(sizeof(int) * n);
    if (!X || !Y || fread(X, sizeof(float), (size_t)n * L, f) != (size_t)n * L ||
        fread(Y, sizeof(int), (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "bench_nn: %s: truncated\n", argv[1]);
        return 2;
    }
    fclose(f);
    openblas_set_num_threads(a.threads); /* the peak below: OpenBLAS on as many threads */
    const double peak = sgemm_peak();
    printf("ecgopt nn bench: beats=%d L=%d threads=%d sgemm_peak_gflops=%.1f\n", n, L, a.threads, peak);
    int rc = 0;
    if (strstr(a.models, "cnn") && (strstr(a.models, "cnn,") || !strcmp(a.models, "cnn") ||
                                    strstr(a.models, ",cnn")))
        rc |= run_model("cnn", CNN_SPEC, X, Y, n, L, &a);
    if (strstr(a.models, "cnnlstm"))
        rc |= run_model("cnnlstm", LSTM_SPEC, X, Y, n, L, &a);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("\nmaxrss_mb=%.1f sgemm_peak_gflops=%.1f\n", ru.ru_maxrss / 1024.0, peak);
    free(X);
    free(Y);
    return rc;
}
