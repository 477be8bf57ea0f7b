/* compress-cae presets (Krishna n.d. sec. III): a 1-D convolutional
 * autoencoder, filters {8,16,32,64}, kernel {3,5,7}, latent {16,32,64},
 * learning rate {1e-2,1e-3,1e-4}; fitness = validation MSE after 10 epochs;
 * GA/PSO/GWO, population 20, 30 iterations.
 *   compress-cae-attention  the same search with the paper's low-rank
 *                           attention (sec. IV-H) after the encoder.
 *   compress-cae-baseline[-attention]  Table I "Baseline (No Opt)": one
 *                           fixed configuration (20 epochs, latent 32),
 *                           without / with the attention block.
 * Data subset and choices: docs/study.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"
#include "ecgopt/metrics.h"
#include "ecgopt/nn.h"
#include "ecgopt/wfdb.h"
#include "study/objective_internal.h"

typedef struct cae_config {
    int attention; /* Krishna n.d. sec. IV-H block after the encoder */
    int epochs;    /* epochs at fidelity 1 (Krishna n.d.: 10; the baseline 20) */
} cae_config;

typedef struct cae_data {
    int win;
    int n_train, n_val, n_test;
    float *train, *val, *test;     /* min-max normalised windows [0,1] */
    float *test_lo, *test_hi;      /* per test window: mV range (to undo the scaling) */
} cae_data;

static const char *const FILTERS[] = {"8", "16", "32", "64"}, *const KERNEL[] = {"3", "5", "7"},
                         *const LATENT[] = {"16", "32", "64"},
                         *const LR[] = {"1e-2", "1e-3", "1e-4"};
static const eo_param_def SPACE[] = {
    EO_PARAM_CAT_DEF("filters", FILTERS),
    EO_PARAM_CAT_DEF("kernel", KERNEL),
    EO_PARAM_CAT_DEF("latent", LATENT),
    EO_PARAM_CAT_DEF("lr", LR),
};
/* Krishna n.d. Table I "Baseline (No Opt)": 20 epochs, latent 32; the paper
 * does not give its filters, kernel or learning rate, so the middle of each
 * range and Adam's usual 1e-3 (our choice, docs/study.md).  One
 * configuration, evaluated once. */
static const char *const F1[] = {"32"}, *const K1[] = {"5"}, *const L1[] = {"32"},
                         *const R1[] = {"1e-3"};
static const eo_param_def SPACE_BASELINE[] = {
    EO_PARAM_CAT_DEF("filters", F1),
    EO_PARAM_CAT_DEF("kernel", K1),
    EO_PARAM_CAT_DEF("latent", L1),
    EO_PARAM_CAT_DEF("lr", R1),
};

/* compress-cae subset (docs/study.md): 256-sample windows (0.71 s at
 * 360 Hz) of MLII, hop 256; training windows from the first minutes of
 * eight records, validation windows from later in the same records, test
 * windows from five held-out records. */
static const char *const CAE_TRAIN[] = {"100", "101", "103", "105", "106", "108", "109", "111"};
static const char *const CAE_TEST[] = {"113", "115", "117", "119", "121"};
#define CAE_WIN 256

static void cae_free(void *state)
{
    cae_data *d = state;
    if (!d)
        return;
    free(d->train);
    free(d->val);
    free(d->test);
    free(d->test_lo);
    free(d->test_hi);
    free(d);
}

static eo_status cae_windows(const char *dir, const char *rec, long start, int count, float *dst,
                             float *lo_out, float *hi_out, eo_error *err)
{
    char base[4096];
    eo_status st = eo_data_find_record(dir, rec, "hea", base, sizeof base, err);
    if (st != EO_STATUS_OK)
        return st;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    st = eo_wfdb_record_load(base, &ro, &r, err);
    if (st != EO_STATUS_OK)
        return st;
    long need = start + (long)count * CAE_WIN;
    double *buf = NULL;
    if (need > r->n_samples)
        st = eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: record too short for the subset", base);
    else if (!(buf = malloc((size_t)count * CAE_WIN * sizeof *buf)))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "objective: out of memory");
    if (st == EO_STATUS_OK)
        st = eo_wfdb_record_physical(r, 0, start, (long)count * CAE_WIN, buf, err);
    for (int w = 0; st == EO_STATUS_OK && w < count; w++) {
        const double *x = buf + (size_t)w * CAE_WIN;
        double lo = x[0], hi = x[0];
        for (int i = 1; i < CAE_WIN; i++) {
            lo = fmin(lo, x[i]);
            hi = fmax(hi, x[i]);
        }
        double span = hi - lo > 1e-9 ? hi - lo : 1e-9;
        /* Krishna n.d. sec. III-C.1: min-max scaling of each segment to [0, 1] */
        for (int i = 0; i < CAE_WIN; i++)
            dst[(size_t)w * CAE_WIN + i] = (float)((x[i] - lo) / span);
        if (lo_out) {
            lo_out[w] = (float)lo;
            hi_out[w] = (float)(lo + span);
        }
    }
    free(buf);
    eo_wfdb_record_destroy(r);
    return st;
}

static eo_status cae_prepare(eo_objective *o, eo_error *err)
{
    cae_data *d = calloc(1, sizeof *d);
    if (!d)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", o->name);
    int per_train = (int)lround(40 * o->oo.data_fraction), per_val = (int)lround(12 * o->oo.data_fraction);
    int per_test = 40;
    if (per_train < 2)
        per_train = 2;
    if (per_val < 1)
        per_val = 1;
    int nr = (int)(sizeof CAE_TRAIN / sizeof *CAE_TRAIN), nt = (int)(sizeof CAE_TEST / sizeof *CAE_TEST);
    d->win = CAE_WIN;
    d->n_train = per_train * nr;
    d->n_val = per_val * nr;
    d->n_test = per_test * nt;
    d->train = malloc((size_t)d->n_train * CAE_WIN * sizeof(float));
    d->val = malloc((size_t)d->n_val * CAE_WIN * sizeof(float));
    d->test = malloc((size_t)d->n_test * CAE_WIN * sizeof(float));
    d->test_lo = malloc((size_t)d->n_test * sizeof(float));
    d->test_hi = malloc((size_t)d->n_test * sizeof(float));
    if (!d->train || !d->val || !d->test || !d->test_lo || !d->test_hi) {
        cae_free(d);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", o->name);
    }
    const char *dir = eo_objective_data_dir(o);
    eo_status st = EO_STATUS_OK;
    for (int r = 0; st == EO_STATUS_OK && r < nr; r++) {
        /* training: from 0 s; validation: from 10 minutes on */
        st = cae_windows(dir, CAE_TRAIN[r], 0, per_train,
                         d->train + (size_t)r * per_train * CAE_WIN, NULL, NULL, err);
        if (st == EO_STATUS_OK)
            st = cae_windows(dir, CAE_TRAIN[r], 600L * 360, per_val,
                             d->val + (size_t)r * per_val * CAE_WIN, NULL, NULL, err);
    }
    for (int r = 0; st == EO_STATUS_OK && r < nt; r++)
        st = cae_windows(dir, CAE_TEST[r], 0, per_test, d->test + (size_t)r * per_test * CAE_WIN,
                         d->test_lo + r * per_test, d->test_hi + r * per_test, err);
    if (st != EO_STATUS_OK) {
        cae_free(d);
        eo_error_prefix(err, "compress-cae data");
        return st;
    }
    o->state = d;
    return EO_STATUS_OK;
}

/* The CAE of Krishna n.d. sec. III-D from nn.h layers: two conv+ReLU+pool
 * stages and a dense bottleneck of `latent` values; the decoder mirrors it,
 * its first layer a transposed conv whose kernel spans the whole quarter-
 * length (the "dense + reshape" of the paper as one layer).
 * att: Krishna n.d. sec. IV-H low-rank attention, X * sigma(W2 ReLU(W1 GAP(X)))
 * with W1: C/4 x C, "added after the encoder" (sec. IV-G): on the encoder's
 * last feature map, before the bottleneck. */
static void cae_spec(char *spec, size_t n, int f, int k, int latent, int win, int att)
{
    snprintf(spec, n,
             "conv(%d,%d) relu maxpool(2) conv(%d,%d) relu maxpool(2) %sflatten dense(%d) "
             "convt(%d,%d) relu upsample(2) conv(%d,%d) relu upsample(2) conv(1,%d)",
             f, k, f, k, att ? "se(4) " : "", latent, f, win / 4, f, k, k);
}

static int cae_epochs(const eo_objective *o)
{
    const cae_config *c = o->kind->config;
    return c->epochs > 0 ? c->epochs : 10;
}

static eo_status cae_train(eo_objective *o, const double *v, uint64_t seed, const float *tr,
                           int ntr, const float *va, int nva, int epochs, eo_nn **out,
                           eo_nn_train_report *rep, eo_error *err)
{
    const cae_config *c = o->kind->config;
    const cae_data *d = o->state;
    int f = (int)eo_objective_cat_num(o, v, "filters"), k = (int)eo_objective_cat_num(o, v, "kernel"),
        lat = (int)eo_objective_cat_num(o, v, "latent");
    double lr = eo_objective_cat_num(o, v, "lr");
    char spec[512];
    cae_spec(spec, sizeof spec, f, k, lat, d->win, c->attention);
    eo_nn *nn = NULL;
    eo_status st = eo_nn_from_spec(spec, 1, d->win, &nn, err);
    if (st != EO_STATUS_OK)
        return st;
    eo_rng rng;
    eo_rng_seed(&rng, seed);
    eo_nn_init(nn, EO_NN_INIT_TORCH, &rng);
    eo_nn_set_threads(nn, o->oo.threads > 0 ? o->oo.threads : 1);
    eo_nn_train_options to;
    eo_nn_train_defaults(&to);
    to.epochs = epochs;
    to.batch_size = 8; /* small subset: 8 gives 200 updates per 10-epoch trial (docs/study.md) */
    eo_nn_loss_defaults(&to.loss, EO_NN_LOSS_MSE);
    to.optim.lr = lr;
    to.restore_best = 0;
    to.seed = seed;
    eo_nn_data dtr = {tr, NULL, NULL, ntr}, dva = {va, NULL, NULL, nva};
    st = eo_nn_train(nn, &dtr, va ? &dva : NULL, &to, rep, err);
    if (st != EO_STATUS_OK) {
        eo_nn_destroy(nn);
        return st;
    }
    *out = nn;
    return EO_STATUS_OK;
}

static eo_status cae_eval(eo_objective *o, const double *v, uint64_t seed, double fidelity,
                          eo_trial_result *res, eo_error *err)
{
    const cae_data *d = o->state;
    int epochs = (int)lround(cae_epochs(o) * fidelity);
    if (epochs < 1)
        epochs = 1;
    eo_nn *nn = NULL;
    eo_nn_train_report rep;
    memset(&rep, 0, sizeof rep);
    eo_status st = cae_train(o, v, seed, d->train, d->n_train, d->val, d->n_val, epochs, &nn, &rep,
                             err);
    if (st != EO_STATUS_OK)
        return st;
    eo_nn_loss loss;
    eo_nn_loss_defaults(&loss, EO_NN_LOSS_MSE);
    eo_nn_data dva = {d->val, NULL, NULL, d->n_val};
    double mse = NAN;
    st = eo_nn_evaluate(nn, &dva, &loss, 64, &mse, NULL, err);
    eo_nn_destroy(nn);
    if (st != EO_STATUS_OK)
        return st;
    res->fitness = mse;
    res->aux[0] = epochs;
    res->aux[1] = eo_objective_cat_num(o, v, "latent");
    res->aux[2] = (double)d->win / res->aux[1];
    res->aux[3] = rep.best_epoch;
    snprintf(res->info, sizeof res->info, "val_mse=%.6g epochs=%d latent=%g", mse, epochs,
             res->aux[1]);
    return EO_STATUS_OK;
}

static eo_status cae_finalize(eo_objective *o, const double *v, uint64_t seed,
                              const char *model_path, double test[4], const char *names[4],
                              int *n_out, eo_error *err)
{
    const cae_data *d = o->state;
    int n = d->n_train + d->n_val;
    float *all = malloc((size_t)n * d->win * sizeof(float));
    float *rec = malloc((size_t)d->n_test * d->win * sizeof(float));
    double *x = malloc((size_t)d->win * sizeof(double)), *y = malloc((size_t)d->win * sizeof(double));
    eo_nn *nn = NULL;
    eo_status st = EO_STATUS_OK;
    if (!all || !rec || !x || !y) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", o->name);
        goto done;
    }
    memcpy(all, d->train, (size_t)d->n_train * d->win * sizeof(float));
    memcpy(all + (size_t)d->n_train * d->win, d->val, (size_t)d->n_val * d->win * sizeof(float));
    st = cae_train(o, v, seed, all, n, NULL, 0, cae_epochs(o), &nn, NULL, err);
    if (st != EO_STATUS_OK)
        goto done;
    eo_nn_set_meta(nn, "study_objective", o->name, NULL);
    if (model_path && (st = eo_nn_save(nn, model_path, err)) != EO_STATUS_OK)
        goto done;
    if ((st = eo_nn_predict(nn, d->test, d->n_test, 64, rec, err)) != EO_STATUS_OK)
        goto done;
    /* PRDN on the signal in mV (scaling undone), pooled over the test
     * windows; CR as Krishna n.d. Eq. (CR): segment length / latent size */
    eo_fidelity fd;
    eo_fidelity_init(&fd);
    for (int w = 0; w < d->n_test; w++) {
        double lo = d->test_lo[w], span = d->test_hi[w] - d->test_lo[w];
        for (int i = 0; i < d->win; i++) {
            x[i] = lo + span * d->test[(size_t)w * d->win + i];
            y[i] = lo + span * rec[(size_t)w * d->win + i];
        }
        eo_fidelity f1;
        eo_fidelity_init(&f1);
        eo_fidelity_add(&f1, x, y, (size_t)d->win, 0);
        eo_fidelity_merge(&fd, &f1);
    }
    eo_fidelity_finish(&fd);
    eo_nn_loss loss;
    eo_nn_loss_defaults(&loss, EO_NN_LOSS_MSE);
    eo_nn_data dte = {d->test, NULL, NULL, d->n_test};
    double mse = NAN;
    if ((st = eo_nn_evaluate(nn, &dte, &loss, 64, &mse, NULL, err)) != EO_STATUS_OK)
        goto done;
    test[0] = fd.prdn;
    names[0] = "test_prdn";
    test[1] = (double)d->win / eo_objective_cat_num(o, v, "latent");
    names[1] = "test_cr";
    test[2] = mse;
    names[2] = "test_mse";
    *n_out = 3;
done:
    eo_nn_destroy(nn);
    free(all);
    free(rec);
    free(x);
    free(y);
    return st;
}

#define CAE_KIND(var, nm, sum, sp, opt, p, it, cfg)                                        \
    const eo_objective_kind var = {                                                           \
        .name = nm, .summary = sum, .space = sp, .dim = sizeof sp / sizeof *sp,              \
        .optimizer = opt, .pop = p, .iters = it, .timeout_s = 1800, .config = &cfg,           \
        .prepare = cae_prepare, .eval = cae_eval, .finalize = cae_finalize,                   \
        .free_state = cae_free,                                                               \
    }

static const cae_config PLAIN = {0, 10}, ATTENTION = {1, 10}, BASELINE = {0, 20},
                        BASELINE_ATTENTION = {1, 20};

CAE_KIND(eo_objective_compress_cae, "compress-cae",
         "1-D convolutional autoencoder, validation MSE (Krishna n.d.)", SPACE, "ga", 20, 30, PLAIN);
CAE_KIND(eo_objective_compress_cae_attention, "compress-cae-attention",
         "the compress-cae search with low-rank attention (Krishna n.d.)", SPACE, "ga", 20, 30,
         ATTENTION);
CAE_KIND(eo_objective_compress_cae_baseline, "compress-cae-baseline",
         "Table I baseline: one fixed autoencoder (Krishna n.d.)", SPACE_BASELINE, "random", 1, 1,
         BASELINE);
CAE_KIND(eo_objective_compress_cae_baseline_attention, "compress-cae-baseline-attention",
         "Table I baseline with attention (Krishna n.d.)", SPACE_BASELINE, "random", 1, 1,
         BASELINE_ATTENTION);
