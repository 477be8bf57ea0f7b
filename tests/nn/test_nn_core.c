/* nn engine: spec parsing, shapes, parameter counts and FLOPs, errors,
 * optimiser/schedule known answers, training on a toy problem, seeded
 * determinism, NaN handling. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>

#include "ecgopt/nn.h"
#include "eo_test.h"

#define REF_CNN "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) flatten dense(128) relu dropout(0.3) dense(5)"

TEST(spec_reference_cnn) {
    eo_error err;
    eo_nn *nn = NULL;
    CHECK_OK(eo_nn_from_spec(REF_CNN, 1, 256, &nn, &err), &err);
    if (!nn)
        return;
    /* PyTorch: sum(p.numel()) of torch_cnn_bench.CNN = 285,829 */
    size_t expect = (32 * 1 * 7 + 32) + (64 * 32 * 5 + 64) + (64 * 64 * 3 + 64) + (128 * 2048 + 128) +
                    (5 * 128 + 5);
    CHECK_EQ_INT(eo_nn_param_count(nn), expect);
    CHECK_EQ_INT(expect, 285829);
    int c, l;
    eo_nn_output_shape(nn, &c, &l);
    CHECK_EQ_INT(c, 5);
    CHECK_EQ_INT(l, 1);
    eo_nn_layer_info li;
    CHECK_EQ_INT(eo_nn_layer_get(nn, 3, &li), 0);
    CHECK_EQ_INT(li.out_c, 64);
    CHECK_EQ_INT(li.out_l, 128);
    CHECK(li.flops == 2.0 * 64 * 128 * 32 * 5);
    CHECK_EQ_INT(eo_nn_layer_get(nn, 99, &li), -1);
    double f = 2.0 * (32 * 256 * 7 + 64 * 128 * 32 * 5 + 64 * 64 * 64 * 3 + 128 * 2048 + 5 * 128);
    CHECK(eo_nn_flops(nn) > f && eo_nn_flops(nn) < f * 1.01);
    /* the canonical spec rebuilds the same network */
    eo_nn *nn2 = NULL;
    CHECK_OK(eo_nn_from_spec(eo_nn_spec(nn), 1, 256, &nn2, &err), &err);
    if (nn2) {
        CHECK(!strcmp(eo_nn_spec(nn), eo_nn_spec(nn2)));
        CHECK_EQ_INT(eo_nn_param_count(nn2), expect);
    }
    eo_nn_destroy(nn2);
    eo_nn_destroy(nn);
    eo_nn_destroy(NULL);
}

TEST(spec_options_and_shapes) {
    eo_error err;
    eo_nn *nn = NULL;
    CHECK_OK(eo_nn_from_spec("conv(8,5,stride=2,pad=valid,dilation=2) conv(4,3,stride=3) "
                             "lstm(6,layers=2,bidir=1,seq=1) se(4) gap",
                             2, 100, &nn, &err), &err);
    if (!nn)
        return;
    eo_nn_layer_info li;
    eo_nn_layer_get(nn, 0, &li);
    CHECK_EQ_INT(li.out_l, (100 - 8 - 1) / 2 + 1); /* 46 */
    eo_nn_layer_get(nn, 1, &li);
    CHECK_EQ_INT(li.out_l, 16); /* ceil(46/3) */
    eo_nn_layer_get(nn, 2, &li);
    CHECK_EQ_INT(li.out_c, 12);
    CHECK_EQ_INT(li.out_l, 16);
    /* torch: 2 layers x 2 dirs; layer0 4*6*(4+6)+8*6, layer1 4*6*(12+6)+8*6 */
    CHECK_EQ_INT(li.params, 2 * (4 * 6 * (4 + 6) + 48) + 2 * (4 * 6 * (12 + 6) + 48));
    eo_nn_layer_get(nn, 3, &li);
    CHECK_EQ_INT(li.params, 3 * 12 + 3 + 12 * 3 + 12);
    int c, l;
    eo_nn_output_shape(nn, &c, &l);
    CHECK_EQ_INT(c, 12);
    CHECK_EQ_INT(l, 1);
    eo_nn_destroy(nn);
    /* transposed conv and upsample lengths as PyTorch */
    CHECK_OK(eo_nn_from_spec("convt(4,4,stride=2,pad=1) upsample(3) res(6,3,stride=2) avgpool(2)", 3, 10,
                             &nn, &err), &err);
    if (nn) {
        eo_nn_layer_get(nn, 0, &li);
        CHECK_EQ_INT(li.out_l, 20);
        eo_nn_layer_get(nn, 1, &li);
        CHECK_EQ_INT(li.out_l, 60);
        eo_nn_layer_get(nn, 2, &li);
        CHECK_EQ_INT(li.out_l, 30);
        CHECK_EQ_INT(li.params, 6 * 4 * 3 + 6 + 6 * 6 * 3 + 6 + 6 * 4 + 6);
        eo_nn_layer_get(nn, 3, &li);
        CHECK_EQ_INT(li.out_l, 15);
    }
    eo_nn_destroy(nn);
}

TEST(spec_errors) {
    eo_error err;
    eo_nn *nn = (eo_nn *)1;
    CHECK(eo_nn_from_spec("conv(4,3) maxpool(4)", 1, 3, &nn, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(nn == NULL);
    CHECK(strstr(err.msg, "maxpool") && strstr(err.msg, "length 3"));
    CHECK(eo_nn_check_spec("conv(4,3) frobnicate dense(2)", 1, 8, &err) == EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "frobnicate") != NULL);
    CHECK(eo_nn_check_spec("conv(4,3", 1, 8, &err) == EO_STATUS_USAGE);
    CHECK(eo_nn_check_spec("conv(0,3)", 1, 8, &err) == EO_STATUS_USAGE);
    CHECK(eo_nn_check_spec("conv(4,3,wobble=2)", 1, 8, &err) == EO_STATUS_USAGE);
    CHECK(strstr(err.msg, "wobble") != NULL);
    CHECK(eo_nn_check_spec("dropout(1.5)", 1, 8, &err) == EO_STATUS_USAGE);
    CHECK(eo_nn_check_spec("dense", 1, 8, &err) == EO_STATUS_USAGE);
    CHECK(eo_nn_check_spec("conv(4,9,pad=valid)", 1, 8, &err) == EO_STATUS_OUT_OF_RANGE);
    CHECK(eo_nn_check_spec("", 1, 8, &err) == EO_STATUS_USAGE);
    CHECK(eo_nn_check_spec("dense(abc)", 1, 8, &err) == EO_STATUS_USAGE);
    CHECK(eo_nn_check_spec("dense(4)", 0, 8, &err) == EO_STATUS_USAGE);
    CHECK_OK(eo_nn_check_spec("conv(4,3) maxpool(3)", 1, 3, &err), &err);
}

TEST(optimiser_known_answers) {
    /* one Adam step moves every parameter by lr * sign(g) (bias-corrected) */
    eo_nn_optim_options o;
    eo_nn_optim_defaults(&o, EO_NN_OPTIM_ADAM);
    o.lr = 0.1;
    eo_nn_optim *opt;
    eo_error err;
    CHECK_OK(eo_nn_optim_create(&o, 3, &opt, &err), &err);
    float p[3] = {1, 2, 3}, g[3] = {0.5f, -2.0f, 1e-3f};
    eo_nn_optim_step(opt, p, g, 3, 1.0);
    CHECK_CLOSE(p[0], 0.9, 1e-5, 1e-6);
    CHECK_CLOSE(p[1], 2.1, 1e-5, 1e-6);
    CHECK_CLOSE(p[2], 3.0 - 0.1 * 1e-3 / (1e-3 + 1e-8), 1e-5, 1e-6);
    eo_nn_optim_destroy(opt);
    /* SGD momentum 0.9: steps g, then 1.9 g */
    eo_nn_optim_defaults(&o, EO_NN_OPTIM_SGD);
    o.lr = 0.1;
    CHECK_OK(eo_nn_optim_create(&o, 1, &opt, &err), &err);
    float q = 1.0f, gq = 1.0f;
    eo_nn_optim_step(opt, &q, &gq, 1, 1.0);
    CHECK_CLOSE(q, 0.9, 1e-6, 1e-7);
    eo_nn_optim_step(opt, &q, &gq, 1, 1.0);
    CHECK_CLOSE(q, 0.9 - 0.19, 1e-6, 1e-7);
    eo_nn_optim_destroy(opt);
    /* AdamW with zero gradient only decays: p *= 1 - lr wd */
    eo_nn_optim_defaults(&o, EO_NN_OPTIM_ADAMW);
    o.lr = 0.1;
    o.weight_decay = 0.5;
    CHECK_OK(eo_nn_optim_create(&o, 1, &opt, &err), &err);
    float r = 2.0f, gr = 0.0f;
    eo_nn_optim_step(opt, &r, &gr, 1, 1.0);
    CHECK_CLOSE(r, 2.0 * 0.95, 1e-6, 1e-7);
    eo_nn_optim_destroy(opt);
    /* Adam decay: second step's lr = lr / (1 + decay) */
    eo_nn_optim_defaults(&o, EO_NN_OPTIM_ADAM);
    o.lr = 0.1;
    o.lr_decay = 1.0;
    CHECK_OK(eo_nn_optim_create(&o, 1, &opt, &err), &err);
    float s = 0.0f, gs = 1.0f;
    eo_nn_optim_step(opt, &s, &gs, 1, 1.0);
    eo_nn_optim_step(opt, &s, &gs, 1, 1.0);
    CHECK_CLOSE(s, -0.1 - 0.05, 1e-5, 1e-6);
    eo_nn_optim_destroy(opt);
    o.lr = -1;
    CHECK(eo_nn_optim_create(&o, 1, &opt, &err) == EO_STATUS_USAGE);
    float gg[2] = {3, 4};
    CHECK_CLOSE(eo_nn_clip_grad_norm(gg, 2, 1.0), 5.0, 1e-9, 1e-9);
    CHECK_CLOSE(gg[0], 0.6, 1e-5, 1e-6);
    CHECK_CLOSE(gg[1], 0.8, 1e-5, 1e-6);
}

TEST(schedules) {
    eo_nn_sched s;
    eo_nn_sched_defaults(&s, EO_NN_SCHED_STEP);
    s.step_size = 3;
    s.gamma = 0.5;
    CHECK_CLOSE(eo_nn_sched_factor(&s, 2, 1e-3, NAN), 1.0, 0, 1e-12);
    CHECK_CLOSE(eo_nn_sched_factor(&s, 3, 1e-3, NAN), 0.5, 0, 1e-12);
    CHECK_CLOSE(eo_nn_sched_factor(&s, 7, 1e-3, NAN), 0.25, 0, 1e-12);
    eo_nn_sched_defaults(&s, EO_NN_SCHED_COSINE);
    s.t_max = 10;
    CHECK_CLOSE(eo_nn_sched_factor(&s, 0, 1e-3, NAN), 1.0, 0, 1e-12);
    CHECK_CLOSE(eo_nn_sched_factor(&s, 5, 1e-3, NAN), 0.5, 0, 1e-12);
    CHECK_CLOSE(eo_nn_sched_factor(&s, 10, 1e-3, NAN), 0.0, 0, 1e-12);
    eo_nn_sched_defaults(&s, EO_NN_SCHED_PLATEAU);
    s.patience = 1;
    s.factor = 0.5;
    CHECK_CLOSE(eo_nn_sched_factor(&s, 1, 1e-3, 1.0), 1.0, 0, 1e-12);
    CHECK_CLOSE(eo_nn_sched_factor(&s, 2, 1e-3, 1.0), 1.0, 0, 1e-12);
    CHECK_CLOSE(eo_nn_sched_factor(&s, 3, 1e-3, 1.0), 0.5, 0, 1e-12);
    CHECK_CLOSE(eo_nn_sched_factor(&s, 4, 1e-3, 0.5), 0.5, 0, 1e-12);
}

/* toy problem: class = which half of the window holds a bump */
static void toy(int n, float *x, int *y, uint64_t seed)
{
    eo_rng r;
    eo_rng_seed(&r, seed);
    for (int i = 0; i < n; i++) {
        y[i] = (int)eo_rng_below(&r, 3);
        for (int t = 0; t < 32; t++)
            x[i * 32 + t] = (float)(0.3 * eo_rng_normal(&r));
        int c = y[i] == 0 ? 6 : y[i] == 1 ? 16 : 26;
        for (int t = -2; t <= 2; t++)
            x[i * 32 + c + t] += 1.5f;
    }
}

static eo_status train_toy(const char *spec, uint64_t seed, int threads, eo_nn **out,
                           eo_nn_train_report *rep, double *acc)
{
    static float x[600 * 32], xv[200 * 32];
    static int y[600], yv[200];
    toy(600, x, y, 11);
    toy(200, xv, yv, 12);
    eo_error err;
    eo_nn *nn;
    eo_status st = eo_nn_from_spec(spec, 1, 32, &nn, &err);
    if (st)
        return st;
    eo_rng r;
    eo_rng_seed(&r, seed);
    eo_nn_init(nn, EO_NN_INIT_HE, &r);
    eo_nn_set_threads(nn, threads);
    CHECK(eo_nn_threads(nn) == threads);
    eo_nn_train_options o;
    eo_nn_train_defaults(&o);
    o.epochs = 6;
    o.batch_size = 32;
    o.seed = seed;
    o.optim.lr = 3e-3;
    eo_nn_data tr = {x, y, NULL, 600}, va = {xv, yv, NULL, 200};
    st = eo_nn_train(nn, &tr, &va, &o, rep, &err);
    if (!st) {
        eo_nn_loss l;
        eo_nn_loss_defaults(&l, EO_NN_LOSS_CROSS_ENTROPY);
        double ml;
        st = eo_nn_evaluate(nn, &va, &l, 64, &ml, acc, &err);
    }
    *out = nn;
    return st;
}

TEST(train_learns_and_is_deterministic) {
    eo_nn *a = NULL, *b = NULL;
    eo_nn_train_report ra, rb;
    double acc_a = 0, acc_b = 0;
    const char *spec = "conv(8,5) relu maxpool(2) conv(8,3) relu flatten dense(16) relu dropout(0.2) dense(3)";
    CHECK(train_toy(spec, 5, 1, &a, &ra, &acc_a) == EO_STATUS_OK);
    CHECK(train_toy(spec, 5, 1, &b, &rb, &acc_b) == EO_STATUS_OK);
    CHECK_MSG(acc_a > 0.9, "validation accuracy %.3f", acc_a);
    CHECK(ra.epochs_run == 6 && ra.best_epoch >= 1);
    CHECK(ra.arena_bytes > 0);
    size_t n;
    float *pa = eo_nn_params(a, &n), *pb = eo_nn_params(b, NULL);
    CHECK(memcmp(pa, pb, sizeof(float) * n) == 0);
    eo_nn_destroy(a);
    eo_nn_destroy(b);
}

/* threads belong to the network: a new network has 1, a clone keeps its
 * count, and OpenBLAS's process-wide count is left alone by an AUTO pass on
 * one thread and put back after a pass that sets it (forced OpenBLAS, a
 * batch of one on two threads) */
TEST(threads_are_per_network) {
    eo_error err;
    eo_nn *nn = NULL, *cl = NULL;
    CHECK_OK(eo_nn_from_spec("conv(64,9) relu conv(64,9) relu flatten dense(4)", 1, 256, &nn, &err),
             &err);
    if (!nn)
        return;
    eo_rng rng;
    eo_rng_seed(&rng, 3);
    eo_nn_init(nn, EO_NN_INIT_TORCH, &rng);
    CHECK_EQ_INT(eo_nn_threads(nn), 1);
    eo_nn_set_threads(nn, 2);
    CHECK_OK(eo_nn_clone(nn, &cl, &err), &err);
    CHECK(cl && eo_nn_threads(cl) == 2);
    eo_nn_destroy(cl);
    static float x[3 * 256];
    for (int i = 0; i < 3 * 256; i++)
        x[i] = (float)sin(0.05 * i);
    const int before = openblas_get_num_threads();
    openblas_set_num_threads(3);
    const float *y;
    float out1[4], out2[4];
    eo_nn_set_threads(nn, 1);
    CHECK_OK(eo_nn_forward(nn, x, 1, 0, NULL, &y, &err), &err);
    memcpy(out1, y, sizeof out1);
    CHECK_EQ_INT(openblas_get_num_threads(), 3);
    eo_nn_set_threads(nn, 2); /* batch of one: whole-batch GEMMs may use OpenBLAS threads */
    CHECK_OK(eo_nn_forward(nn, x, 1, 0, NULL, &y, &err), &err);
    memcpy(out2, y, sizeof out2);
    CHECK_EQ_INT(openblas_get_num_threads(), 3);
    for (int i = 0; i < 4; i++)
        CHECK_CLOSE(out2[i], out1[i], 1e-5, 1e-5);
    eo_nn_set_gemm(nn, EO_NN_GEMM_OPENBLAS);
    CHECK_OK(eo_nn_forward(nn, x, 3, 0, NULL, &y, &err), &err); /* 2 chunks */
    CHECK_EQ_INT(openblas_get_num_threads(), 3);
    openblas_set_num_threads(before);
    eo_nn_destroy(nn);
}

/* batch chunks on two threads: deterministic, and equal to one thread up to
 * the order of the gradient reduction */
TEST(two_threads_match_one) {
    eo_nn *a = NULL, *b = NULL, *c = NULL;
    eo_nn_train_report r;
    double acc;
    const char *spec = "conv(8,5) relu maxpool(2) lstm(6) dense(3)";
    CHECK(train_toy(spec, 9, 1, &a, &r, &acc) == EO_STATUS_OK);
    CHECK(train_toy(spec, 9, 2, &b, &r, &acc) == EO_STATUS_OK);
    CHECK(train_toy(spec, 9, 2, &c, &r, &acc) == EO_STATUS_OK);
    if (a && b && c) {
        size_t n;
        float *pa = eo_nn_params(a, &n), *pb = eo_nn_params(b, NULL), *pc = eo_nn_params(c, NULL);
        CHECK(memcmp(pb, pc, sizeof(float) * n) == 0);
        double md = 0.0;
        for (size_t i = 0; i < n; i++)
            if (fabs(pa[i] - pb[i]) > md)
                md = fabs(pa[i] - pb[i]);
        CHECK_MSG(md < 1e-3, "1 vs 2 threads: max weight difference %g", md);
    }
    eo_nn_destroy(a);
    eo_nn_destroy(b);
    eo_nn_destroy(c);
}

/* oneDNN and OpenBLAS SGEMM paths (eo_nn_set_gemm) give the same forward
 * output, input gradient and parameter gradients up to float rounding, for
 * every layer that calls SGEMM (conv, convt, dense, lstm, se, res). */
static void run_gemm(eo_nn *nn, eo_nn_gemm_kind kind, const float *x, int n, float *out, size_t no,
                     float *gin, size_t ni, float *g, size_t ng)
{
    eo_error err;
    const float *y;
    eo_nn_set_gemm(nn, kind);
    eo_nn_want_input_grad(nn, 1);
    CHECK_OK(eo_nn_forward(nn, x, n, 0, NULL, &y, &err), &err);
    memcpy(out, y, sizeof(float) * no);
    float *dy = malloc(sizeof(float) * no);
    for (size_t i = 0; i < no; i++)
        dy[i] = (float)((i * 13) % 7) / 7.0f - 0.4f;
    CHECK_OK(eo_nn_backward(nn, dy, &err), &err);
    memcpy(gin, eo_nn_input_grad(nn), sizeof(float) * ni);
    memcpy(g, eo_nn_grads(nn, NULL), sizeof(float) * ng);
    free(dy);
}

static double maxrel(const float *a, const float *b, size_t n)
{
    double mx = 0.0, md = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (fabs(b[i]) > mx)
            mx = fabs(b[i]);
        if (fabs(a[i] - b[i]) > md)
            md = fabs(a[i] - b[i]);
    }
    return md / (mx > 0 ? mx : 1.0);
}

TEST(gemm_backends_agree) {
    const char *specs[] = {
        "conv(16,7) relu maxpool(2) conv(24,5,stride=2) se(4) res(24,3) res(32,3,stride=2) "
        "convt(8,4,stride=2) lstm(12,layers=2,bidir=1,seq=1) lstm(10) dense(20) tanh dense(5)",
        "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) "
        "flatten dense(128) relu dense(5)"};
    for (int s = 0; s < 2; s++) {
        eo_error err;
        eo_nn *nn = NULL;
        const int n = 6, L = 64;
        CHECK_OK(eo_nn_from_spec(specs[s], 2, L, &nn, &err), &err);
        if (!nn)
            continue;
        eo_rng rng;
        eo_rng_seed(&rng, 5 + s);
        eo_nn_init(nn, EO_NN_INIT_TORCH, &rng);
        size_t ng;
        eo_nn_params(nn, &ng);
        const size_t ni = (size_t)n * 2 * L, no = (size_t)n * 5;
        float *x = malloc(sizeof(float) * ni), *o1 = malloc(sizeof(float) * no),
              *o2 = malloc(sizeof(float) * no), *i1 = malloc(sizeof(float) * ni),
              *i2 = malloc(sizeof(float) * ni), *g1 = malloc(sizeof(float) * ng),
              *g2 = malloc(sizeof(float) * ng);
        for (size_t i = 0; i < ni; i++)
            x[i] = (float)sin(0.37 * (double)i) + 0.1f * (float)((i * 7) % 5);
        run_gemm(nn, EO_NN_GEMM_OPENBLAS, x, n, o1, no, i1, ni, g1, ng);
        run_gemm(nn, EO_NN_GEMM_ONEDNN, x, n, o2, no, i2, ni, g2, ng);
        const double eo = maxrel(o2, o1, no), ei = maxrel(i2, i1, ni), eg = maxrel(g2, g1, ng);
        CHECK_MSG(eo < 1e-5 && ei < 1e-5 && eg < 1e-5,
                  "spec %d: oneDNN vs OpenBLAS rel. diff out %g, input grad %g, param grads %g", s,
                  eo, ei, eg);
        /* and they really are two computations (not the same library twice) */
        CHECK_MSG(eo > 0 || ei > 0 || eg > 0, "spec %d: bitwise identical results", s);
        eo_nn_set_gemm(nn, EO_NN_GEMM_AUTO);
        free(x), free(o1), free(o2), free(i1), free(i2), free(g1), free(g2);
        eo_nn_destroy(nn);
    }
}

/* eo_nn_infer (fused conv + bias + ReLU + max-pool 2, im2col-free shifted
 * GEMMs for stride-1 convolutions) gives eo_nn_forward's inference output
 * up to float rounding, on every path: shifted (cin >= 8, same / valid /
 * explicit padding, odd and even kernels, dilated, one long sample),
 * im2col (cin < 8, stride 2), conv + ReLU without pooling, ReLU + maxpool(3) (not fused),
 * odd lengths before a window-2 pool, conv as the last layer, batch 1 and
 * 7, one and two threads; eo_nn_predict agrees, and backward after an
 * inference-only pass is refused. */
TEST(infer_matches_forward) {
    const char *specs[] = {
        REF_CNN,
        "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) lstm(16) dense(5)",
        "conv(9,4) relu maxpool(2) conv(12,4,pad=valid) relu maxpool(2) conv(10,3,pad=4) relu "
        "conv(8,2) relu maxpool(3) conv(11,3,stride=2) relu maxpool(2) conv(6,3,dilation=2) relu gap",
        "conv(4,3) relu conv(16,5,pad=valid) relu maxpool(2) conv(16,3)",
        /* the denoiser's form: dilated stride-1 convolutions on long
         * windows take the shifted path even for one sample */
        "conv(8,9) relu conv(8,9,dilation=4) relu conv(9,9,dilation=32) relu conv(8,4,dilation=3) relu conv(1,9)"};
    const int ins[] = {1, 1, 3, 2, 2}, lens[] = {64, 64, 75, 41, 1100};
    for (int s = 0; s < 5; s++)
        for (int th = 1; th <= 2; th++)
            for (int nb = 0; nb < 2; nb++) {
                const int n = nb ? 7 : 1, L = lens[s], C = ins[s];
                eo_error err;
                eo_nn *nn = NULL;
                CHECK_OK(eo_nn_from_spec(specs[s], C, L, &nn, &err), &err);
                if (!nn)
                    continue;
                eo_nn_set_threads(nn, th);
                eo_rng rng;
                eo_rng_seed(&rng, 11 + s);
                eo_nn_init(nn, EO_NN_INIT_TORCH, &rng);
                int oc, ol;
                eo_nn_output_shape(nn, &oc, &ol);
                const size_t ni = (size_t)n * C * L, no = (size_t)n * oc * ol;
                float *x = malloc(sizeof(float) * ni), *a = malloc(sizeof(float) * no),
                      *b = malloc(sizeof(float) * no), *c = malloc(sizeof(float) * no);
                for (size_t i = 0; i < ni; i++)
                    x[i] = (float)sin(0.29 * (double)i) + 0.2f * (float)((i * 5) % 7) - 0.5f;
                const float *y;
                CHECK_OK(eo_nn_forward(nn, x, n, 0, NULL, &y, &err), &err);
                memcpy(a, y, sizeof(float) * no);
                CHECK_OK(eo_nn_infer(nn, x, n, &y, &err), &err);
                memcpy(b, y, sizeof(float) * no);
                CHECK(eo_nn_backward(nn, b, &err) == EO_STATUS_USAGE);
                CHECK_OK(eo_nn_predict(nn, x, n, 3, c, &err), &err);
                double mx = 0.0;
                for (size_t i = 0; i < no; i++)
                    mx = fabs(a[i]) > mx ? fabs(a[i]) : mx;
                const double e1 = maxrel(b, a, no), e2 = maxrel(c, a, no);
                CHECK_MSG(mx > 1e-3 && e1 < 1e-5 && e2 < 1e-5,
                          "spec %d threads %d n %d: infer vs forward %g, predict vs forward %g (max %g)",
                          s, th, n, e1, e2, mx);
                free(x), free(a), free(b), free(c);
                eo_nn_destroy(nn);
            }
}

TEST(train_nan_keeps_last_good) {
    static float x[64 * 32];
    static int y[64];
    toy(64, x, y, 3);
    eo_error err;
    eo_nn *nn = NULL;
    CHECK_OK(eo_nn_from_spec("flatten dense(3)", 1, 32, &nn, &err), &err);
    if (!nn)
        return;
    eo_nn_train_options o;
    eo_nn_train_defaults(&o);
    o.epochs = 3;
    o.batch_size = 16;
    eo_nn_train_report rep;
    eo_nn_data tr = {x, y, NULL, 64};
    CHECK_OK(eo_nn_train(nn, &tr, NULL, &o, &rep, &err), &err);
    size_t np;
    float *p = eo_nn_params(nn, &np);
    float *keep = malloc(sizeof(float) * np);
    memcpy(keep, p, sizeof(float) * np);
    x[40 * 32 + 3] = NAN; /* a poisoned sample */
    CHECK(eo_nn_train(nn, &tr, NULL, &o, &rep, &err) == EO_STATUS_NUMERIC);
    CHECK_EQ_INT(rep.nan_epoch, 1);
    CHECK(strstr(err.msg, "epoch 1") != NULL);
    CHECK(memcmp(p, keep, sizeof(float) * np) == 0);
    free(keep);
    eo_nn_destroy(nn);
}

TEST(early_stopping_and_bad_input) {
    static float x[100 * 32];
    static int y[100];
    toy(100, x, y, 4);
    for (int i = 0; i < 100; i++)
        y[i] = (int)(i % 3); /* unlearnable labels: validation stops improving */
    eo_error err;
    eo_nn *nn = NULL;
    CHECK_OK(eo_nn_from_spec("flatten dense(64) relu dense(3)", 1, 32, &nn, &err), &err);
    if (!nn)
        return;
    eo_nn_train_options o;
    eo_nn_train_defaults(&o);
    o.epochs = 60;
    o.patience = 3;
    o.optim.lr = 1e-2;
    eo_nn_train_report rep;
    eo_nn_data tr = {x, y, NULL, 60}, va = {x + 60 * 32, y + 60, NULL, 40};
    CHECK_OK(eo_nn_train(nn, &tr, &va, &o, &rep, &err), &err);
    CHECK(rep.stopped_early);
    CHECK(rep.epochs_run < 60);
    CHECK_EQ_INT(rep.epochs_run, rep.best_epoch + 3);
    int bad[1] = {7};
    eo_nn_data b1 = {x, bad, NULL, 1};
    CHECK(eo_nn_train(nn, &b1, NULL, &o, &rep, &err) == EO_STATUS_OUT_OF_RANGE);
    o.epochs = 0;
    CHECK(eo_nn_train(nn, &tr, NULL, &o, &rep, &err) == EO_STATUS_USAGE);
    eo_nn_destroy(nn);
}

TEST(autoencoder_mse_trains) {
    static float x[128 * 32];
    static int y[128];
    toy(128, x, y, 9);
    eo_error err;
    eo_nn *nn = NULL;
    CHECK_OK(eo_nn_from_spec("conv(8,5) elu maxpool(2) se(2) conv(4,3) elu upsample(2) conv(1,5)", 1, 32,
                             &nn, &err), &err);
    if (!nn)
        return;
    eo_nn_train_options o;
    eo_nn_train_defaults(&o);
    eo_nn_loss_defaults(&o.loss, EO_NN_LOSS_MSE);
    o.epochs = 15;
    o.batch_size = 16;
    o.optim.lr = 3e-3;
    eo_nn_sched_defaults(&o.sched, EO_NN_SCHED_COSINE);
    eo_nn_data tr = {x, NULL, NULL, 128};
    double l0, l1;
    CHECK_OK(eo_nn_evaluate(nn, &tr, &o.loss, 64, &l0, NULL, &err), &err);
    eo_nn_train_report rep;
    CHECK_OK(eo_nn_train(nn, &tr, NULL, &o, &rep, &err), &err);
    CHECK_OK(eo_nn_evaluate(nn, &tr, &o.loss, 64, &l1, NULL, &err), &err);
    CHECK_MSG(l1 < 0.5 * l0, "MSE %.4f -> %.4f", l0, l1);
    eo_nn_destroy(nn);
}

int main(void)
{
    RUN(spec_reference_cnn);
    RUN(spec_options_and_shapes);
    RUN(spec_errors);
    RUN(optimiser_known_answers);
    RUN(schedules);
    RUN(train_learns_and_is_deterministic);
    RUN(two_threads_match_one);
    RUN(threads_are_per_network);
    RUN(gemm_backends_agree);
    RUN(infer_matches_forward);
    RUN(train_nan_keeps_last_good);
    RUN(early_stopping_and_bad_input);
    RUN(autoencoder_mse_trains);
    TEST_END();
}
