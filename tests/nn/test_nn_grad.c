/* Finite-difference gradient checks for every layer and loss of the nn
 * engine.  Loss = sum(out * R) for a fixed random R, so dL/dout = R; each
 * checked parameter/input is perturbed by +-h and the central difference
 * (in float32 forward passes, accumulated in double) is compared with the
 * analytic gradient:  |a - fd| <= 2e-2 max(|a|,|fd|) + 2e-3.
 * Layers with kinks (relu, maxpool) may meet a kink inside +-h; at most
 * `max_bad` of the checked entries may miss (stated per case). */
#include <math.h>
#include <stdlib.h>

#include "ecgopt/nn.h"
#include "eo_test.h"

static double loss_of(eo_nn *nn, const float *x, int n, int train, const float *R, size_t m)
{
    eo_rng rng;
    eo_rng_seed(&rng, 99);
    const float *y;
    eo_error err;
    if (eo_nn_forward(nn, x, n, train, &rng, &y, &err) != EO_STATUS_OK)
        return NAN;
    double s = 0.0;
    for (size_t i = 0; i < m; i++)
        s += (double)y[i] * R[i];
    return s;
}

static int close_enough(double a, double f)
{
    double mx = fabs(a) > fabs(f) ? fabs(a) : fabs(f);
    return fabs(a - f) <= 2e-2 * mx + 2e-3;
}

/* returns the number of mismatches; checks up to `per` params per layer and `per` inputs */
static int gradcheck(const char *spec, int c, int l, int n, int train, int per, int max_bad)
{
    eo_error err;
    eo_nn *nn = NULL;
    CHECK_OK(eo_nn_from_spec(spec, c, l, &nn, &err), &err);
    if (!nn)
        return 1;
    eo_rng rng;
    eo_rng_seed(&rng, 7);
    eo_nn_init(nn, EO_NN_INIT_TORCH, &rng);
    int oc, ol;
    eo_nn_output_shape(nn, &oc, &ol);
    const size_t in_n = (size_t)n * c * l, m = (size_t)n * oc * ol;
    float *x = malloc(sizeof(float) * in_n), *R = malloc(sizeof(float) * m);
    for (size_t i = 0; i < in_n; i++)
        x[i] = (float)eo_rng_normal(&rng);
    for (size_t i = 0; i < m; i++)
        R[i] = (float)eo_rng_normal(&rng);
    eo_nn_want_input_grad(nn, 1);
    double L0 = loss_of(nn, x, n, train, R, m);
    CHECK(isfinite(L0));
    CHECK_OK(eo_nn_backward(nn, R, &err), &err);
    size_t np;
    float *p = eo_nn_params(nn, &np);
    float *g0 = malloc(sizeof(float) * (np + 1));
    memcpy(g0, eo_nn_grads(nn, NULL), sizeof(float) * np);
    float *gx = malloc(sizeof(float) * in_n);
    memcpy(gx, eo_nn_input_grad(nn), sizeof(float) * in_n);
    int bad = 0, checked = 0;
    const float h = 1e-3f;
    for (int li = 0; li < eo_nn_layer_count(nn); li++) {
        size_t off, cnt;
        eo_nn_layer_params(nn, li, &off, &cnt);
        for (int k = 0; k < per && cnt; k++) {
            size_t j = off + (k < (int)cnt ? (size_t)k * (cnt / (size_t)(per < (int)cnt ? per : (int)cnt)) : 0);
            if (j >= off + cnt)
                j = off + cnt - 1;
            if (k == 1)
                j = off + cnt - 1; /* the last parameter (a bias) */
            float save = p[j];
            p[j] = save + h;
            double lp = loss_of(nn, x, n, train, R, m);
            p[j] = save - h;
            double lm = loss_of(nn, x, n, train, R, m);
            p[j] = save;
            double fd = (lp - lm) / (2.0 * h);
            checked++;
            if (!close_enough(g0[j], fd)) {
                bad++;
                fprintf(stderr, "  %s: layer %d param %zu analytic %.6g fd %.6g\n", spec, li, j - off,
                        (double)g0[j], fd);
            }
        }
    }
    for (int k = 0; k < per; k++) {
        size_t j = (size_t)eo_rng_below(&rng, in_n);
        float save = x[j];
        x[j] = save + h;
        double lp = loss_of(nn, x, n, train, R, m);
        x[j] = save - h;
        double lm = loss_of(nn, x, n, train, R, m);
        x[j] = save;
        double fd = (lp - lm) / (2.0 * h);
        checked++;
        if (!close_enough(gx[j], fd)) {
            bad++;
            fprintf(stderr, "  %s: input %zu analytic %.6g fd %.6g\n", spec, j, (double)gx[j], fd);
        }
    }
    CHECK_MSG(bad <= max_bad, "%s: %d of %d gradient entries disagree", spec, bad, checked);
    CHECK(checked > 0);
    free(x);
    free(R);
    free(g0);
    free(gx);
    eo_nn_destroy(nn);
    return bad;
}

TEST(grad_conv) {
    gradcheck("conv(4,5)", 2, 16, 3, 0, 24, 0);
    gradcheck("conv(3,3,stride=2,pad=1,dilation=2)", 2, 17, 2, 0, 24, 0);
    gradcheck("conv(3,4,stride=3,pad=same)", 3, 13, 2, 0, 24, 0);
    gradcheck("conv(2,3,pad=valid)", 1, 9, 2, 0, 12, 0);
}
TEST(grad_convt) {
    gradcheck("convt(3,4,stride=2,pad=1)", 2, 9, 2, 0, 24, 0);
    gradcheck("convt(2,3,stride=3,pad=0,outpad=1,dilation=2)", 3, 5, 2, 0, 24, 0);
}
TEST(grad_dense) { gradcheck("dense(6)", 3, 5, 4, 0, 24, 0); }
TEST(grad_activations) {
    gradcheck("conv(3,3) tanh dense(4) sigmoid", 2, 8, 3, 0, 16, 0);
    gradcheck("conv(3,3) elu(alpha=0.7) dense(4) softmax", 2, 8, 3, 0, 16, 0);
    gradcheck("conv(3,3) leakyrelu(alpha=0.1) dense(4)", 2, 8, 3, 0, 16, 1);
    gradcheck("conv(3,3) relu dense(4)", 2, 8, 3, 0, 16, 1);
}
TEST(grad_pooling_shapes) {
    gradcheck("conv(3,3) maxpool(2) flatten dense(3)", 2, 12, 3, 0, 16, 1);
    gradcheck("conv(3,3) avgpool(3,stride=2) gap dense(3)", 2, 12, 3, 0, 16, 0);
    gradcheck("conv(2,3) upsample(3) conv(2,3)", 2, 6, 2, 0, 16, 0);
}
TEST(grad_dropout_train) { gradcheck("conv(3,3) dropout(0.4) dense(3)", 2, 8, 3, 1, 16, 0); }
TEST(grad_batchnorm) {
    gradcheck("conv(3,3) batchnorm tanh dense(3)", 2, 8, 4, 1, 16, 0); /* batch statistics */
    gradcheck("conv(3,3) batchnorm tanh dense(3)", 2, 8, 4, 0, 16, 0); /* running statistics */
}
TEST(grad_lstm) {
    gradcheck("lstm(5)", 3, 6, 2, 0, 24, 0);
    gradcheck("lstm(4,layers=2,bidir=1,seq=1)", 3, 5, 2, 0, 40, 0);
    gradcheck("lstm(3,bidir=1)", 2, 4, 3, 0, 24, 0);
    gradcheck("conv(4,3) tanh lstm(4,layers=2) dense(3)", 2, 7, 2, 0, 24, 0);
}
TEST(grad_se_attention) {
    gradcheck("se(2)", 6, 7, 3, 0, 24, 0);
    gradcheck("conv(8,3) tanh se(4) conv(2,3)", 2, 9, 2, 0, 24, 0);
}
TEST(grad_residual) {
    gradcheck("res(4,3)", 4, 10, 2, 0, 24, 1);            /* identity skip */
    gradcheck("res(5,5,stride=2)", 3, 11, 2, 0, 30, 1);   /* 1x1 projection */
}

static void loss_check(eo_nn_loss_type type, const float *cw)
{
    eo_rng rng;
    eo_rng_seed(&rng, 3);
    const int n = 5, dim = 4;
    float out[20], tg[20], d[20];
    int lab[5] = {0, 3, 1, 2, 3};
    for (int i = 0; i < n * dim; i++) {
        out[i] = (float)eo_rng_normal(&rng);
        tg[i] = (float)eo_rng_normal(&rng);
    }
    eo_nn_loss L;
    eo_nn_loss_defaults(&L, type);
    L.class_weights = cw;
    double l0;
    eo_error err;
    CHECK_OK(eo_nn_loss_eval(&L, out, n, dim, lab, tg, &l0, d, &err), &err);
    for (int i = 0; i < n * dim; i++) {
        const float h = 1e-3f, s = out[i];
        double lp, lm;
        out[i] = s + h;
        eo_nn_loss_eval(&L, out, n, dim, lab, tg, &lp, NULL, &err);
        out[i] = s - h;
        eo_nn_loss_eval(&L, out, n, dim, lab, tg, &lm, NULL, &err);
        out[i] = s;
        CHECK_CLOSE(d[i], (lp - lm) / (2 * h), 1e-2, 1e-4);
    }
}

TEST(grad_losses) {
    const float cw[4] = {0.5f, 2.0f, 1.0f, 3.0f};
    loss_check(EO_NN_LOSS_CROSS_ENTROPY, NULL);
    loss_check(EO_NN_LOSS_CROSS_ENTROPY, cw);
    loss_check(EO_NN_LOSS_FOCAL, NULL);
    loss_check(EO_NN_LOSS_FOCAL, cw);
    loss_check(EO_NN_LOSS_MSE, NULL);
}

/* known answers: CE of uniform logits = log(dim); focal with gamma 0 = CE */
TEST(loss_known_values) {
    float z[6] = {0, 0, 0, 1, 2, 3};
    int lab[2] = {1, 2};
    eo_nn_loss L;
    eo_nn_loss_defaults(&L, EO_NN_LOSS_CROSS_ENTROPY);
    double l;
    eo_error err;
    CHECK_OK(eo_nn_loss_eval(&L, z, 1, 3, lab, NULL, &l, NULL, &err), &err);
    CHECK_CLOSE(l, log(3.0), 1e-9, 1e-12);
    CHECK_OK(eo_nn_loss_eval(&L, z + 3, 1, 3, lab + 1, NULL, &l, NULL, &err), &err);
    CHECK_CLOSE(l, -(3.0 - log(exp(1.0) + exp(2.0) + exp(3.0))), 1e-7, 1e-9);
    double lce = l;
    eo_nn_loss_defaults(&L, EO_NN_LOSS_FOCAL);
    L.gamma = 0.0f;
    CHECK_OK(eo_nn_loss_eval(&L, z + 3, 1, 3, lab + 1, NULL, &l, NULL, &err), &err);
    CHECK_CLOSE(l, lce, 1e-9, 1e-12);
    int badlab = 3;
    CHECK(eo_nn_loss_eval(&L, z, 1, 3, &badlab, NULL, &l, NULL, &err) == EO_STATUS_OUT_OF_RANGE);
}

int main(void)
{
    RUN(grad_conv);
    RUN(grad_convt);
    RUN(grad_dense);
    RUN(grad_activations);
    RUN(grad_pooling_shapes);
    RUN(grad_dropout_train);
    RUN(grad_batchnorm);
    RUN(grad_lstm);
    RUN(grad_se_attention);
    RUN(grad_residual);
    RUN(grad_losses);
    RUN(loss_known_values);
    TEST_END();
}
