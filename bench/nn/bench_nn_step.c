/* bench_nn_step — wall time of one training step (forward in training mode,
 * cross-entropy loss, backward, Adam) on a fixed random batch, repeated,
 * with the distribution printed: min, 10th percentile and median.  For
 * comparing two builds of the engine side by side (run them alternating):
 * on this VM a single epoch's wall time swings up to 2x with the host's
 * steal time, while the median of a few hundred steps moves a few percent.
 * The peer comparison is bench/nn/nn_vs_torch.sh.
 *
 * usage: bench_nn_step [--spec SPEC] [--threads N] [--steps N] [--batch N] [--length L]
 * default spec: the reference CNN of ../shared/peers/torch_cnn_bench.py,
 * `--spec lstm` the reference CNN-LSTM. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ecgopt/nn.h>
#include <ecgopt/rng.h>
#include <ecgopt/util.h>

#define CNN_SPEC "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) " \
                 "flatten dense(128) relu dropout(0.3) dense(5)"
#define LSTM_SPEC "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) " \
                  "lstm(64) dense(5)"

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    const char *spec = CNN_SPEC;
    int threads = 1, steps = 300, batch = 64, len = 256;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--spec"))
            spec = !strcmp(argv[++i], "lstm") ? LSTM_SPEC : !strcmp(argv[i], "cnn") ? CNN_SPEC : argv[i];
        else if (i + 1 < argc && !strcmp(argv[i], "--threads"))
            threads = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--steps"))
            steps = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--batch"))
            batch = atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--length"))
            len = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_nn_step [--spec SPEC|cnn|lstm] [--threads N] [--steps N] "
                            "[--batch N] [--length L]\n");
            return 1;
        }
    }
    if (steps < 1 || batch < 1 || len < 1 || threads < 1) {
        fprintf(stderr, "bench_nn_step: steps, batch, length and threads must be >= 1\n");
        return 1;
    }
    eo_error err;
    eo_nn *nn;
    if (eo_nn_from_spec(spec, 1, len, &nn, &err)) {
        fprintf(stderr, "bench_nn_step: %s\n", err.msg);
        return 1;
    }
    eo_rng rng;
    eo_rng_seed(&rng, 1);
    eo_nn_init(nn, EO_NN_INIT_TORCH, &rng);
    eo_nn_set_threads(nn, threads);
    int oc = 0, ol = 0;
    eo_nn_output_shape(nn, &oc, &ol);
    const int dim = oc * ol;
    float *x = malloc(sizeof(float) * (size_t)batch * len);
    float *dout = malloc(sizeof(float) * (size_t)batch * dim);
    int *lab = malloc(sizeof(int) * batch);
    double *t = malloc(sizeof(double) * steps);
    eo_nn_optim *opt = NULL;
    eo_nn_optim_options oo;
    eo_nn_optim_defaults(&oo, EO_NN_OPTIM_ADAM);
    size_t np, ng;
    float *p = eo_nn_params(nn, &np);
    int rc = 1;
    if (!x || !dout || !lab || !t || eo_nn_optim_create(&oo, np, &opt, &err)) {
        fprintf(stderr, "bench_nn_step: out of memory\n");
        goto done;
    }
    for (size_t i = 0; i < (size_t)batch * len; i++)
        x[i] = (float)(eo_rng_uniform(&rng) - 0.5);
    for (int i = 0; i < batch; i++)
        lab[i] = i % dim;
    eo_nn_loss loss;
    eo_nn_loss_defaults(&loss, EO_NN_LOSS_CROSS_ENTROPY);
    for (int s = -20; s < steps; s++) { /* 20 warm-up steps */
        const double t0 = eo_time_now();
        const float *out;
        double l;
        if (eo_nn_forward(nn, x, batch, 1, &rng, &out, &err) ||
            eo_nn_loss_eval(&loss, out, batch, dim, lab, NULL, &l, dout, &err) ||
            eo_nn_backward(nn, dout, &err)) {
            fprintf(stderr, "bench_nn_step: %s\n", err.msg);
            goto done;
        }
        eo_nn_optim_step(opt, p, eo_nn_grads(nn, &ng), np, 1.0);
        if (s >= 0)
            t[s] = eo_time_now() - t0;
    }
    qsort(t, (size_t)steps, sizeof(double), cmp_double);
    printf("nn step batch=%d threads=%d flops/beat=%.3f M: min %.3f ms p10 %.3f ms median %.3f ms "
           "(%.1f GFLOP/s at the median, 3x forward flops)\n",
           batch, threads, eo_nn_flops(nn) / 1e6, t[0] * 1e3, t[steps / 10] * 1e3, t[steps / 2] * 1e3,
           3.0 * eo_nn_flops(nn) * batch / t[steps / 2] / 1e9);
    rc = 0;
done:
    eo_nn_optim_destroy(opt);
    eo_nn_destroy(nn);
    free(x);
    free(dout);
    free(lab);
    free(t);
    return rc;
}
