/* PyTorch parity: the reference CNN and CNN-LSTM of
 * ../shared/peers/torch_cnn_bench.py with deterministic weights (formula in
 * tests/fixtures/nn/make_torch_fixtures.py), batch 4.  Logits, loss, input
 * gradient and every parameter gradient must match PyTorch's float64
 * reference to 1e-4 relative: |a - ref| <= 1e-4 * max|ref of that tensor|
 * (element-wise relative error is meaningless for entries near zero). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/nn.h"
#include "eo_test.h"

#define CNN_SPEC "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) " \
                 "flatten dense(128) relu dropout(0.3) dense(5)"
#define LSTM_SPEC "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) " \
                  "lstm(64) dense(5)"

static void *slurp(const char *model, const char *what, size_t *n)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/nn/%s_%s", EO_TEST_FIXTURES, model, what);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *d = malloc((size_t)sz + 1);
    if (d && fread(d, 1, (size_t)sz, f) != (size_t)sz) {
        free(d);
        d = NULL;
    }
    fclose(f);
    if (d)
        ((char *)d)[sz] = 0;
    *n = (size_t)sz;
    return d;
}

/* max |a - ref| / max |ref| over a tensor */
static double rel_err(const float *a, const float *ref, size_t n)
{
    double mx = 0.0, md = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (fabs(ref[i]) > mx)
            mx = fabs(ref[i]);
        if (fabs((double)a[i] - ref[i]) > md)
            md = fabs((double)a[i] - ref[i]);
    }
    return mx > 0 ? md / mx : md;
}

static void parity(const char *model, const char *spec)
{
    size_t n;
    char *tensors = slurp(model, "tensors.txt", &n);
    float *x = slurp(model, "x.f32", &n);
    int *labels = slurp(model, "labels.i32", &n);
    float *logits = slurp(model, "logits.f32", &n);
    float *loss = slurp(model, "loss.f32", &n);
    float *dx = slurp(model, "dx.f32", &n);
    size_t ngr;
    float *grads = slurp(model, "grads.f32", &ngr);
    ngr /= 4;
    CHECK(tensors && x && labels && logits && loss && dx && grads);
    eo_error err;
    eo_nn *nn = NULL;
    if (!tensors || !x || !labels || !logits || !loss || !dx || !grads)
        goto out;
    CHECK_OK(eo_nn_from_spec(spec, 1, 256, &nn, &err), &err);
    if (!nn)
        goto out;
    size_t np;
    float *p = eo_nn_params(nn, &np);
    /* fill: w[j] = sin(0.37 j + 1.1 t) / sqrt(fan_in) */
    size_t off = 0, numel[32], nt = 0;
    const char *s = tensors;
    while (*s && nt < 32) {
        unsigned long ne, fan;
        int used;
        if (sscanf(s, "%lu %lu %*s%n", &ne, &fan, &used) != 2)
            break;
        for (size_t j = 0; j < ne && off + j < np; j++)
            p[off + j] = (float)(sin(0.37 * (double)j + 1.1 * (double)nt) / sqrt((double)fan));
        off += ne;
        numel[nt++] = ne;
        s += used;
        while (*s == '\n')
            s++;
    }
    CHECK_EQ_INT(off, np);
    const float *y;
    CHECK_OK(eo_nn_forward(nn, x, 4, 0, NULL, &y, &err), &err);
    double e = rel_err(y, logits, 20);
    CHECK_MSG(e <= 1e-4, "%s logits: relative error %.3g", model, e);
    double l;
    float dout[20];
    CHECK_OK(eo_nn_loss_eval(&(eo_nn_loss){EO_NN_LOSS_CROSS_ENTROPY, NULL, 2.0f}, y, 4, 5, labels, NULL, &l,
                             dout, &err), &err);
    CHECK_CLOSE(l, loss[0], 1e-4, 0);
    eo_nn_want_input_grad(nn, 1);
    CHECK_OK(eo_nn_backward(nn, dout, &err), &err);
    e = rel_err(eo_nn_input_grad(nn), dx, 4 * 256);
    CHECK_MSG(e <= 1e-4, "%s d loss/d x: relative error %.3g", model, e);
    const float *g = eo_nn_grads(nn, NULL);
    size_t go = 0, ro = 0;
    double worst = 0.0;
    for (size_t t = 0; t < nt; t++) {
        size_t k = numel[t] > 50000 ? (numel[t] + 7) / 8 : numel[t];
        float *mine = malloc(sizeof(float) * k);
        for (size_t j = 0; j < k; j++)
            mine[j] = numel[t] > 50000 ? g[go + 8 * j] : g[go + j];
        if (ro + k <= ngr) {
            e = rel_err(mine, grads + ro, k);
            if (e > worst)
                worst = e;
            CHECK_MSG(e <= 1e-4, "%s tensor %zu gradient: relative error %.3g", model, t, e);
        }
        free(mine);
        go += numel[t];
        ro += k;
    }
    CHECK_EQ_INT(ro, ngr);
    printf("     %s: worst parameter-gradient relative error %.2g\n", model, worst);
out:
    eo_nn_destroy(nn);
    free(tensors);
    free(x);
    free(labels);
    free(logits);
    free(loss);
    free(dx);
    free(grads);
}

TEST(torch_parity_cnn) { parity("cnn", CNN_SPEC); }
TEST(torch_parity_cnn_lstm) { parity("cnnlstm", LSTM_SPEC); }

int main(void)
{
    RUN(torch_parity_cnn);
    RUN(torch_parity_cnn_lstm);
    TEST_END();
}
