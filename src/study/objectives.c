/* Objectives: the papers' searches as presets, a toy objective for tests,
 * and user objectives from a small text file (space + shell command).
 *
 * Presets (docs/study.md has the spaces, data subsets and equation choices):
 *   compress-cae         paper 000 sec. III: 1-D convolutional autoencoder,
 *                        filters {8,16,32,64}, kernel {3,5,7}, latent
 *                        {16,32,64}, learning rate {1e-2,1e-3,1e-4};
 *                        fitness = validation MSE after 10 epochs; GA/PSO/GWO,
 *                        population 20, 30 iterations.
 *   compress-cae-attention  the same search with the paper's low-rank
 *                        attention (sec. IV-H) after the encoder.
 *   compress-cae-baseline[-attention]  Table I "Baseline (No Opt)": one
 *                        fixed configuration (20 epochs, latent 32), without
 *                        / with the attention block.
 *   classify-cnn-olcpa   paper 003: nine-layer CNN, kernels [1,15] and kernel
 *                        size [1,128] per conv layer, first dense width
 *                        [0,5000], epochs [1,40], lr [1e-4,1e-2], L2
 *                        [1e-3,1e-2]; fitness 1 - accuracy; OLCPA pop 5 x 20.
 *   classify-rescnn-bo   paper 001: residual CNN, dropout, conv layers, lr,
 *                        Adam decay (as L2 weight decay); GP-BO.
 *   classify-cnnlstm-gwo paper 002: CNN-LSTM filters, kernels, dropout,
 *                        pooling, LSTM hidden size; GWO.
 *   denoise-vmd-iaoa     paper 004: VMD K and alpha by mean envelope entropy,
 *                        IAOA.
 *   toy                  a discrete quadratic (11 x 11 x 3 points) for tests. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"
#include "ecgopt/metrics.h"
#include "ecgopt/ml.h"
#include "ecgopt/nn.h"
#include "ecgopt/strbuf.h"
#include "ecgopt/study.h"
#include "ecgopt/vmd.h"
#include "ecgopt/wfdb.h"

typedef struct cae_data {
    int win;
    int n_train, n_val, n_test;
    float *train, *val, *test;     /* min-max normalised windows [0,1] */
    float *test_lo, *test_hi;      /* per test window: mV range (to undo the scaling) */
} cae_data;

typedef struct cls_data {
    eo_beats_options how;
    eo_beats *train, *val;         /* DS1 subsets (records split) */
} cls_data;

typedef struct vmd_data {
    double *x;
    size_t n;
    double fs;
} vmd_data;

typedef enum kind { K_FN, K_TOY, K_CAE, K_OLCPA, K_RESCNN, K_CNNLSTM, K_VMD, K_COMMAND } kind;

struct eo_objective {
    char name[64];
    kind kind;
    eo_space *space;
    eo_study_objective_fn fn;
    void *user;
    char default_opt[32];
    size_t pop;
    long long iters;
    double timeout;
    eo_objective_options oo;
    char data_dir[4096];
    int prepared;
    cae_data cae;
    int cae_attention;  /* compress-cae*-attention: paper 000 sec. IV-H block */
    int cae_epochs;     /* epochs at fidelity 1 (paper 000: 10; the baseline 20) */
    cls_data cls;
    vmd_data vmd;
    char *command;
};

static const char *const PRESETS[] = {"compress-cae",
                                      "compress-cae-attention",
                                      "compress-cae-baseline",
                                      "compress-cae-baseline-attention",
                                      "classify-rescnn-bo",
                                      "classify-cnnlstm-gwo",
                                      "classify-cnn-olcpa",
                                      "denoise-vmd-iaoa",
                                      "toy",
                                      NULL};

const char *const *eo_objective_preset_names(void)
{
    return PRESETS;
}

void eo_objective_defaults(eo_objective_options *o)
{
    memset(o, 0, sizeof *o);
    o->data_fraction = 1.0;
    o->threads = 1;
}

static eo_status obj_new(const char *name, kind k, eo_objective **out, eo_error *err)
{
    eo_objective *o = calloc(1, sizeof *o);
    if (!o)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "objective: out of memory");
    snprintf(o->name, sizeof o->name, "%s", name);
    o->kind = k;
    snprintf(o->default_opt, sizeof o->default_opt, "ga");
    o->pop = 20;
    o->iters = 30;
    eo_objective_defaults(&o->oo);
    eo_status st = eo_space_create(&o->space, err);
    if (st != EO_STATUS_OK) {
        free(o);
        return st;
    }
    *out = o;
    return EO_STATUS_OK;
}

eo_status eo_objective_create(const char *name, const eo_space *space, eo_study_objective_fn fn,
                              void *user, eo_objective **out, eo_error *err)
{
    *out = NULL;
    if (!name || !*name || !space || !fn)
        return eo_error_set(err, EO_STATUS_USAGE, "objective: name, space and function required");
    eo_objective *o = calloc(1, sizeof *o);
    if (!o)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "objective: out of memory");
    snprintf(o->name, sizeof o->name, "%s", name);
    o->kind = K_FN;
    o->fn = fn;
    o->user = user;
    snprintf(o->default_opt, sizeof o->default_opt, "ga");
    o->pop = 10;
    o->iters = 10;
    eo_objective_defaults(&o->oo);
    eo_status st = eo_space_clone(space, &o->space, err);
    if (st != EO_STATUS_OK) {
        free(o);
        return st;
    }
    o->prepared = 1;
    *out = o;
    return EO_STATUS_OK;
}

void eo_objective_destroy(eo_objective *o)
{
    if (!o)
        return;
    eo_space_destroy(o->space);
    free(o->cae.train);
    free(o->cae.val);
    free(o->cae.test);
    free(o->cae.test_lo);
    free(o->cae.test_hi);
    eo_beats_free(o->cls.train);
    eo_beats_free(o->cls.val);
    free(o->vmd.x);
    free(o->command);
    free(o);
}

const char *eo_objective_name(const eo_objective *o) { return o->name; }
const eo_space *eo_objective_space(const eo_objective *o) { return o->space; }
const char *eo_objective_default_optimizer(const eo_objective *o) { return o->default_opt; }
size_t eo_objective_default_pop(const eo_objective *o) { return o->pop; }
long long eo_objective_default_iters(const eo_objective *o) { return o->iters; }
double eo_objective_default_timeout(const eo_objective *o) { return o->timeout; }

/* ---- preset spaces ---- */

static eo_status add_cat_nums(eo_space *sp, const char *name, const char *const *choices, size_t n,
                              eo_error *err)
{
    return eo_space_add_categorical(sp, name, choices, n, err);
}

eo_status eo_objective_preset(const char *name, const eo_objective_options *opts,
                              eo_objective **out, eo_error *err)
{
    *out = NULL;
    if (!name)
        name = "";
    kind k;
    if (!strcmp(name, "toy"))
        k = K_TOY;
    else if (!strcmp(name, "compress-cae") || !strcmp(name, "compress-cae-attention") ||
             !strcmp(name, "compress-cae-baseline") ||
             !strcmp(name, "compress-cae-baseline-attention"))
        k = K_CAE;
    else if (!strcmp(name, "classify-cnn-olcpa"))
        k = K_OLCPA;
    else if (!strcmp(name, "classify-rescnn-bo"))
        k = K_RESCNN;
    else if (!strcmp(name, "classify-cnnlstm-gwo"))
        k = K_CNNLSTM;
    else if (!strcmp(name, "denoise-vmd-iaoa"))
        k = K_VMD;
    else
        return eo_error_set(err, EO_STATUS_NOT_FOUND,
                            "preset '%s' does not exist (presets: compress-cae, compress-cae-attention, "
                            "compress-cae-baseline, compress-cae-baseline-attention, classify-rescnn-bo, "
                            "classify-cnnlstm-gwo, classify-cnn-olcpa, denoise-vmd-iaoa, toy)",
                            name);
    eo_objective *o = NULL;
    eo_status st = obj_new(name, k, &o, err);
    if (st != EO_STATUS_OK)
        return st;
    if (opts)
        o->oo = *opts;
    if (!(o->oo.data_fraction > 0) || o->oo.data_fraction > 1)
        o->oo.data_fraction = 1;
    if (o->oo.data_dir)
        snprintf(o->data_dir, sizeof o->data_dir, "%s", o->oo.data_dir);
    o->oo.data_dir = NULL;
    eo_space *sp = o->space;
    switch (k) {
    case K_TOY: {
        static const char *const c[] = {"x", "y", "z"};
        st = eo_space_add_int(sp, "a", -5, 5, 0, err);
        if (!st)
            st = eo_space_add_int(sp, "b", -5, 5, 0, err);
        if (!st)
            st = eo_space_add_categorical(sp, "c", c, 3, err);
        o->pop = 8;
        o->iters = 5;
        o->prepared = 1;
        break;
    }
    case K_CAE: {
        static const char *const f[] = {"8", "16", "32", "64"}, *const ks[] = {"3", "5", "7"},
                                 *const lat[] = {"16", "32", "64"},
                                 *const lr[] = {"1e-2", "1e-3", "1e-4"};
        o->cae_attention = strstr(name, "-attention") != NULL;
        o->cae_epochs = 10;
        o->pop = 20;
        o->iters = 30;
        o->timeout = 1800;
        if (strstr(name, "-baseline")) {
            /* paper 000 Table I "Baseline (No Opt)": 20 epochs, latent 32;
             * the paper does not give its filters, kernel or learning rate,
             * so the middle of each range and Adam's usual 1e-3 (our choice,
             * docs/study.md).  One configuration, evaluated once. */
            static const char *const f1[] = {"32"}, *const k1[] = {"5"}, *const l1[] = {"32"},
                                     *const r1[] = {"1e-3"};
            st = add_cat_nums(sp, "filters", f1, 1, err);
            if (!st)
                st = add_cat_nums(sp, "kernel", k1, 1, err);
            if (!st)
                st = add_cat_nums(sp, "latent", l1, 1, err);
            if (!st)
                st = add_cat_nums(sp, "lr", r1, 1, err);
            o->cae_epochs = 20;
            snprintf(o->default_opt, sizeof o->default_opt, "random");
            o->pop = 1;
            o->iters = 1;
            break;
        }
        st = add_cat_nums(sp, "filters", f, 4, err);
        if (!st)
            st = add_cat_nums(sp, "kernel", ks, 3, err);
        if (!st)
            st = add_cat_nums(sp, "latent", lat, 3, err);
        if (!st)
            st = add_cat_nums(sp, "lr", lr, 3, err);
        break;
    }
    case K_OLCPA:
        st = eo_space_add_int(sp, "k1", 1, 15, 0, err);
        if (!st)
            st = eo_space_add_int(sp, "s1", 1, 128, 0, err);
        if (!st)
            st = eo_space_add_int(sp, "k2", 1, 15, 0, err);
        if (!st)
            st = eo_space_add_int(sp, "s2", 1, 128, 0, err);
        if (!st)
            st = eo_space_add_int(sp, "k3", 1, 15, 0, err);
        if (!st)
            st = eo_space_add_int(sp, "s3", 1, 128, 0, err);
        if (!st)
            st = eo_space_add_int(sp, "dense", 0, 5000, 0, err);
        if (!st)
            st = eo_space_add_int(sp, "epochs", 1, 40, 0, err);
        if (!st)
            st = eo_space_add_real(sp, "lr", 1e-4, 1e-2, 1, err);
        if (!st)
            st = eo_space_add_real(sp, "l2", 1e-3, 1e-2, 1, err);
        snprintf(o->default_opt, sizeof o->default_opt, "olcpa");
        o->pop = 5;
        o->iters = 20;
        o->timeout = 1800;
        break;
    case K_RESCNN:
        st = eo_space_add_real(sp, "dropout", 0.0, 0.5, 0, err);
        if (!st)
            st = eo_space_add_int(sp, "layers", 1, 4, 0, err);
        if (!st)
            st = eo_space_add_real(sp, "lr", 1e-4, 1e-2, 1, err);
        if (!st)
            st = eo_space_add_real(sp, "decay", 1e-6, 1e-2, 1, err);
        snprintf(o->default_opt, sizeof o->default_opt, "bo");
        o->pop = 1;
        o->iters = 30;
        o->timeout = 1800;
        break;
    case K_CNNLSTM: {
        static const char *const pools[] = {"max", "avg"};
        st = eo_space_add_int(sp, "filters1", 8, 64, 1, err);
        if (!st)
            st = eo_space_add_int(sp, "filters2", 8, 64, 1, err);
        if (!st)
            st = eo_space_add_int(sp, "kernel1", 3, 11, 0, err);
        if (!st)
            st = eo_space_add_int(sp, "kernel2", 3, 11, 0, err);
        if (!st)
            st = eo_space_add_real(sp, "dropout1", 0.0, 0.5, 0, err);
        if (!st)
            st = eo_space_add_real(sp, "dropout2", 0.0, 0.5, 0, err);
        if (!st)
            st = eo_space_add_categorical(sp, "pool", pools, 2, err);
        if (!st)
            st = eo_space_add_int(sp, "hidden", 16, 128, 1, err);
        snprintf(o->default_opt, sizeof o->default_opt, "gwo");
        o->pop = 10;
        o->iters = 10;
        o->timeout = 1800;
        break;
    }
    case K_VMD:
        st = eo_space_add_int(sp, "K", 2, 12, 0, err);
        if (!st)
            st = eo_space_add_real(sp, "alpha", 100, 10000, 1, err);
        snprintf(o->default_opt, sizeof o->default_opt, "iaoa");
        o->pop = 8;
        o->iters = 6;
        o->timeout = 600;
        break;
    default:
        break;
    }
    if (st != EO_STATUS_OK) {
        eo_objective_destroy(o);
        return st;
    }
    *out = o;
    return EO_STATUS_OK;
}

/* ---- data ---- */

/* compress-cae subset (docs/study.md): 256-sample windows (0.71 s at
 * 360 Hz) of MLII, hop 256; training windows from the first minutes of
 * eight records, validation windows from later in the same records, test
 * windows from five held-out records. */
static const char *const CAE_TRAIN[] = {"100", "101", "103", "105", "106", "108", "109", "111"};
static const char *const CAE_TEST[] = {"113", "115", "117", "119", "121"};
#define CAE_WIN 256

static eo_status cae_windows(const char *dir, const char *rec, long start, int count, float *dst,
                             float *lo_out, float *hi_out, eo_error *err)
{
    char base[4096];
    eo_status st = eo_data_find_record(dir[0] ? dir : NULL, rec, "hea", base, sizeof base, err);
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
        /* paper 000 sec. III-C.1: min-max scaling of each segment to [0, 1] */
        for (int i = 0; i < CAE_WIN; i++)
            dst[(size_t)w * CAE_WIN + i] = (float)((x[i] - lo) / span);
        if (lo_out) {
            lo_out[w] = (float)lo;
            hi_out[w] = (float)(lo + span);
        }
    }
    free(buf);
    eo_wfdb_record_free(r);
    return st;
}

static eo_status prepare_cae(eo_objective *o, eo_error *err)
{
    cae_data *d = &o->cae;
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
    if (!d->train || !d->val || !d->test || !d->test_lo || !d->test_hi)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "compress-cae: out of memory");
    eo_status st = EO_STATUS_OK;
    for (int r = 0; st == EO_STATUS_OK && r < nr; r++) {
        /* training: from 0 s; validation: from 10 minutes on */
        st = cae_windows(o->data_dir, CAE_TRAIN[r], 0, per_train,
                         d->train + (size_t)r * per_train * CAE_WIN, NULL, NULL, err);
        if (st == EO_STATUS_OK)
            st = cae_windows(o->data_dir, CAE_TRAIN[r], 600L * 360, per_val,
                             d->val + (size_t)r * per_val * CAE_WIN, NULL, NULL, err);
    }
    for (int r = 0; st == EO_STATUS_OK && r < nt; r++)
        st = cae_windows(o->data_dir, CAE_TEST[r], 0, per_test,
                         d->test + (size_t)r * per_test * CAE_WIN, d->test_lo + r * per_test,
                         d->test_hi + r * per_test, err);
    if (st != EO_STATUS_OK)
        eo_error_prefix(err, "compress-cae data");
    return st;
}

static eo_status prepare_cls(eo_objective *o, eo_label_set labels, eo_error *err)
{
    cls_data *d = &o->cls;
    eo_beats_defaults(&d->how);
    d->how.labels = labels;
    d->how.norm = EO_NORM_BEAT;
    eo_beats *all = NULL;
    eo_status st = eo_beats_load(o->data_dir[0] ? o->data_dir : NULL, eo_split_ds1, 22, &d->how,
                                 NULL, NULL, &all, err);
    if (st != EO_STATUS_OK) {
        eo_error_prefix(err, "%s data (DS1)", o->name);
        return st;
    }
    int *part = malloc(all->n * sizeof *part);
    size_t *ti = malloc(all->n * sizeof *ti), *vi = malloc(all->n * sizeof *vi);
    if (!part || !ti || !vi) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", o->name);
        goto done;
    }
    eo_rng rng;
    eo_rng_seed(&rng, 20240501);
    st = eo_split_records_val(all, 4, &rng, part, err);
    if (st != EO_STATUS_OK)
        goto done;
    /* subset (docs/study.md): every non-N beat of the training records up to
     * half the cap, N beats filling the rest, drawn at random; validation a
     * random sample of the held-out records' beats */
    size_t cap_train = (size_t)lround(4000 * o->oo.data_fraction),
           cap_val = (size_t)lround(2000 * o->oo.data_fraction);
    if (cap_train < 50)
        cap_train = 50;
    if (cap_val < 50)
        cap_val = 50;
    size_t *perm = malloc(all->n * sizeof *perm);
    if (!perm) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", o->name);
        goto done;
    }
    for (size_t i = 0; i < all->n; i++)
        perm[i] = i;
    eo_rng_shuffle_size(&rng, perm, all->n);
    size_t nt = 0, nv = 0, n_other = 0;
    for (size_t k = 0; k < all->n; k++) {
        size_t i = perm[k];
        if (part[i] == EO_PART_TRAIN && all->y[i] != 0 && n_other < cap_train / 2) {
            ti[nt++] = i;
            n_other++;
        }
    }
    for (size_t k = 0; k < all->n && nt < cap_train; k++) {
        size_t i = perm[k];
        if (part[i] == EO_PART_TRAIN && all->y[i] == 0)
            ti[nt++] = i;
    }
    for (size_t k = 0; k < all->n && nv < cap_val; k++)
        if (part[perm[k]] == EO_PART_VAL)
            vi[nv++] = perm[k];
    free(perm);
    st = eo_beats_subset(all, ti, nt, &d->train, err);
    if (st == EO_STATUS_OK)
        st = eo_beats_subset(all, vi, nv, &d->val, err);
done:
    free(part);
    free(ti);
    free(vi);
    eo_beats_free(all);
    return st;
}

static eo_status prepare_vmd(eo_objective *o, eo_error *err)
{
    /* paper 004 decomposes noisy ECG segments; we use the first 10 s of
     * record 100 (MLII, baseline wander included) */
    char base[4096];
    eo_status st = eo_data_find_record(o->data_dir[0] ? o->data_dir : NULL, "100", "hea", base,
                                       sizeof base, err);
    if (st != EO_STATUS_OK)
        return st;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    st = eo_wfdb_record_load(base, &ro, &r, err);
    if (st != EO_STATUS_OK)
        return st;
    o->vmd.fs = r->fs_hz;
    o->vmd.n = (size_t)lround(10 * r->fs_hz);
    o->vmd.x = malloc(o->vmd.n * sizeof(double));
    if (!o->vmd.x)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "denoise-vmd-iaoa: out of memory");
    else
        st = eo_wfdb_record_physical(r, 0, 0, (long)o->vmd.n, o->vmd.x, err);
    eo_wfdb_record_free(r);
    return st;
}

eo_status eo_objective_prepare(eo_objective *o, eo_error *err)
{
    if (!o)
        return eo_error_set(err, EO_STATUS_USAGE, "objective: NULL");
    if (o->prepared)
        return EO_STATUS_OK;
    eo_status st = EO_STATUS_OK;
    switch (o->kind) {
    case K_CAE: st = prepare_cae(o, err); break;
    case K_OLCPA: st = prepare_cls(o, EO_LABELS_NSVQ, err); break;
    case K_RESCNN: st = prepare_cls(o, EO_LABELS_NLRAV, err); break;
    case K_CNNLSTM: st = prepare_cls(o, EO_LABELS_AAMI, err); break;
    case K_VMD: st = prepare_vmd(o, err); break;
    default: break;
    }
    if (st == EO_STATUS_OK)
        o->prepared = 1;
    return st;
}

/* ---- evaluations ---- */

static double cat_num(const eo_space *sp, const double *v, const char *name)
{
    long i = eo_space_find(sp, name);
    const char *c = i >= 0 ? eo_space_choice(sp, (size_t)i, (size_t)v[i]) : NULL;
    return c ? atof(c) : NAN;
}

/* The CAE of paper 000 sec. III-D from nn.h layers: two conv+ReLU+pool
 * stages and a dense bottleneck of `latent` values; the decoder mirrors it,
 * its first layer a transposed conv whose kernel spans the whole quarter-
 * length (the "dense + reshape" of the paper as one layer). */
/* att: paper 000 sec. IV-H low-rank attention, X * sigma(W2 ReLU(W1 GAP(X)))
 * with W1: C/4 x C, "added after the encoder" (sec. IV-G): on the encoder's
 * last feature map, before the bottleneck. */
static void cae_spec(char *spec, size_t n, int f, int k, int latent, int win, int att)
{
    snprintf(spec, n,
             "conv(%d,%d) relu maxpool(2) conv(%d,%d) relu maxpool(2) %sflatten dense(%d) "
             "convt(%d,%d) relu upsample(2) conv(%d,%d) relu upsample(2) conv(1,%d)",
             f, k, f, k, att ? "se(4) " : "", latent, f, win / 4, f, k, k);
}

static eo_status cae_train(eo_objective *o, const double *v, uint64_t seed, const float *tr,
                           int ntr, const float *va, int nva, int epochs, eo_nn **out,
                           eo_nn_train_report *rep, eo_error *err)
{
    int f = (int)cat_num(o->space, v, "filters"), k = (int)cat_num(o->space, v, "kernel"),
        lat = (int)cat_num(o->space, v, "latent");
    double lr = cat_num(o->space, v, "lr");
    char spec[512];
    cae_spec(spec, sizeof spec, f, k, lat, o->cae.win, o->cae_attention);
    eo_nn *nn = NULL;
    eo_status st = eo_nn_from_spec(spec, 1, o->cae.win, &nn, err);
    if (st != EO_STATUS_OK)
        return st;
    eo_rng rng;
    eo_rng_seed(&rng, seed);
    eo_nn_init(nn, EO_NN_INIT_TORCH, &rng);
    eo_nn_train_opts to;
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

static eo_status eval_cae(eo_objective *o, const double *v, uint64_t seed, double fidelity,
                          eo_trial_result *res, eo_error *err)
{
    int epochs = (int)lround((o->cae_epochs > 0 ? o->cae_epochs : 10) * fidelity);
    if (epochs < 1)
        epochs = 1;
    eo_nn *nn = NULL;
    eo_nn_train_report rep;
    memset(&rep, 0, sizeof rep);
    eo_status st = cae_train(o, v, seed, o->cae.train, o->cae.n_train, o->cae.val, o->cae.n_val,
                             epochs, &nn, &rep, err);
    if (st != EO_STATUS_OK)
        return st;
    eo_nn_loss loss;
    eo_nn_loss_defaults(&loss, EO_NN_LOSS_MSE);
    eo_nn_data dva = {o->cae.val, NULL, NULL, o->cae.n_val};
    double mse = NAN;
    st = eo_nn_evaluate(nn, &dva, &loss, 64, &mse, NULL, err);
    eo_nn_destroy(nn);
    if (st != EO_STATUS_OK)
        return st;
    res->fitness = mse;
    res->aux[0] = epochs;
    res->aux[1] = cat_num(o->space, v, "latent");
    res->aux[2] = (double)o->cae.win / res->aux[1];
    res->aux[3] = rep.best_epoch;
    snprintf(res->info, sizeof res->info, "val_mse=%.6g epochs=%d latent=%g", mse, epochs,
             res->aux[1]);
    return EO_STATUS_OK;
}

static int cls_nclasses(const eo_objective *o)
{
    return eo_label_set_n_classes(o->cls.how.labels);
}

static eo_status cls_options(eo_objective *o, const double *v, uint64_t seed,
                             eo_classifier_options *co, char *spec, size_t n)
{
    eo_classifier_defaults(co);
    snprintf(co->model, sizeof co->model, "cnn");
    co->seed = seed;
    co->threads = o->oo.threads > 0 ? o->oo.threads : 1;
    co->epochs = 10;
    const eo_space *sp = o->space;
#define V(name) v[eo_space_find(sp, name)]
    int nc = cls_nclasses(o);
    if (o->kind == K_OLCPA) {
        /* paper 003's nine-layer CNN: three conv-pool pairs, dense, output */
        int d = (int)V("dense");
        char dense[64] = "";
        if (d > 0)
            snprintf(dense, sizeof dense, "dense(%d) relu ", d);
        snprintf(spec, n,
                 "conv(%d,%d) relu maxpool(2) conv(%d,%d) relu maxpool(2) conv(%d,%d) relu "
                 "maxpool(2) flatten %sdense(%d)",
                 (int)V("k1"), (int)V("s1"), (int)V("k2"), (int)V("s2"), (int)V("k3"),
                 (int)V("s3"), dense, nc);
        co->epochs = (int)V("epochs");
        co->lr = V("lr");
        co->l2 = V("l2");
    } else if (o->kind == K_RESCNN) {
        /* paper 001: conv stem, `layers` residual blocks, dropout, dense */
        eo_strbuf b;
        eo_strbuf_init(&b);
        double p = V("dropout");
        eo_strbuf_append(&b, "conv(32,7) relu maxpool(2)");
        for (int i = 0; i < (int)V("layers"); i++)
            eo_strbuf_printf(&b, " res(32,5) maxpool(2)");
        eo_strbuf_printf(&b, " dropout(%.4f) flatten dense(64) relu dropout(%.4f) dense(%d)", p, p,
                         nc);
        snprintf(spec, n, "%s", eo_strbuf_str(&b));
        eo_strbuf_free(&b);
        co->lr = V("lr");
        co->l2 = V("decay");
    } else {
        /* paper 002: CNN front end + LSTM */
        const char *pool = (int)V("pool") == 0 ? "maxpool" : "avgpool";
        snprintf(spec, n,
                 "conv(%d,%d) relu %s(2) dropout(%.4f) conv(%d,%d) relu %s(2) dropout(%.4f) "
                 "lstm(%d) dense(%d)",
                 (int)V("filters1"), (int)V("kernel1"), pool, V("dropout1"), (int)V("filters2"),
                 (int)V("kernel2"), pool, V("dropout2"), (int)V("hidden"), nc);
    }
#undef V
    co->spec = spec;
    return EO_STATUS_OK;
}

static eo_status cls_accuracy(const eo_classifier *c, const eo_beats *b, double *acc, eo_error *err)
{
    int *pred = malloc(b->n * sizeof *pred);
    if (!pred)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "objective: out of memory");
    eo_status st = eo_classifier_predict(c, b, pred, NULL, err);
    if (st == EO_STATUS_OK) {
        size_t ok = 0, n = 0;
        for (size_t i = 0; i < b->n; i++) {
            if (b->y[i] < 0)
                continue;
            n++;
            ok += pred[i] == b->y[i];
        }
        *acc = n ? (double)ok / (double)n : NAN;
    }
    free(pred);
    return st;
}

static eo_status eval_cls(eo_objective *o, const double *v, uint64_t seed, double fidelity,
                          eo_trial_result *res, eo_error *err)
{
    eo_classifier_options co;
    char spec[1024];
    cls_options(o, v, seed, &co, spec, sizeof spec);
    co.epochs = (int)lround(co.epochs * fidelity);
    if (co.epochs < 1)
        co.epochs = 1;
    eo_classifier *c = NULL;
    eo_status st = eo_classifier_train(&co, &o->cls.how, o->cls.train, NULL, NULL, NULL, &c, err);
    if (st != EO_STATUS_OK)
        return st;
    double acc = NAN;
    st = cls_accuracy(c, o->cls.val, &acc, err);
    eo_classifier_destroy(c);
    if (st != EO_STATUS_OK)
        return st;
    res->fitness = 1.0 - acc;
    res->aux[0] = acc;
    res->aux[1] = co.epochs;
    snprintf(res->info, sizeof res->info, "val_accuracy=%.4f epochs=%d", acc, co.epochs);
    return EO_STATUS_OK;
}

static eo_status eval_vmd(eo_objective *o, const double *v, eo_trial_result *res, eo_error *err)
{
    eo_vmd_options vo;
    eo_vmd_defaults(&vo);
    eo_vmd *vmd = NULL;
    eo_status st = eo_vmd_create(&vmd, o->vmd.n, &vo, err);
    if (st != EO_STATUS_OK)
        return st;
    double mee = NAN;
    int K = (int)v[0];
    st = eo_vmd_mee_objective(vmd, o->vmd.x, o->vmd.fs, K, v[1], &mee, err);
    eo_vmd_destroy(vmd);
    if (st != EO_STATUS_OK)
        return st;
    res->fitness = mee;
    snprintf(res->info, sizeof res->info, "mee=%.6g K=%d alpha=%.4g", mee, K, v[1]);
    return EO_STATUS_OK;
}

/* ---- user command objectives ---- */

static eo_status eval_command(eo_objective *o, const double *v, uint64_t seed, eo_trial_result *res,
                              eo_error *err)
{
    eo_strbuf cmd;
    eo_strbuf_init(&cmd);
    for (const char *p = o->command; *p;) {
        if (*p == '{') {
            const char *e = strchr(p, '}');
            char name[64];
            size_t len = e ? (size_t)(e - p - 1) : 0;
            if (e && len > 0 && len < sizeof name) {
                memcpy(name, p + 1, len);
                name[len] = '\0';
                long i = eo_space_find(o->space, name);
                if (i >= 0) {
                    eo_param_kind kd = eo_space_kind(o->space, (size_t)i);
                    if (kd == EO_PARAM_CATEGORICAL)
                        eo_strbuf_append(&cmd, eo_space_choice(o->space, (size_t)i, (size_t)v[i]));
                    else if (kd == EO_PARAM_INTEGER)
                        eo_strbuf_printf(&cmd, "%lld", (long long)v[i]);
                    else
                        eo_strbuf_printf(&cmd, "%.10g", v[i]);
                    p = e + 1;
                    continue;
                }
                if (!strcmp(name, "seed")) {
                    eo_strbuf_printf(&cmd, "%llu", (unsigned long long)seed);
                    p = e + 1;
                    continue;
                }
            }
        }
        eo_strbuf_append_n(&cmd, p, 1);
        p++;
    }
    FILE *fp = popen(eo_strbuf_str(&cmd), "r");
    eo_strbuf_free(&cmd);
    if (!fp)
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot run command: %s", o->name,
                            strerror(errno));
    char line[512], last[512] = "";
    while (fgets(line, sizeof line, fp))
        if (line[0] != '\n')
            snprintf(last, sizeof last, "%s", line);
    int rc = pclose(fp);
    if (rc != 0)
        return eo_error_set(err, EO_STATUS_IO, "%s: command exited with status %d", o->name, rc);
    char *end;
    double f = strtod(last, &end);
    if (end == last)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: command's last output line is not a number: '%.60s'", o->name,
                            last);
    res->fitness = f;
    snprintf(res->info, sizeof res->info, "%s", "command");
    return EO_STATUS_OK;
}

eo_status eo_objective_eval(eo_objective *o, const double *values, uint64_t seed, double fidelity,
                            eo_trial_result *res, eo_error *err)
{
    memset(res, 0, sizeof *res);
    res->fitness = NAN;
    if (!(fidelity > 0) || fidelity > 1)
        fidelity = 1;
    res->fidelity = fidelity;
    eo_status st = eo_objective_prepare(o, err);
    if (st != EO_STATUS_OK)
        return st;
    switch (o->kind) {
    case K_FN:
        return o->fn(o->user, values, eo_space_dim(o->space), seed, fidelity, res, err);
    case K_TOY: {
        double a = values[0], b = values[1], c = values[2];
        /* + 2 (1 - fidelity): a cheaper, pessimistic low-fidelity reading
         * (0 at fidelity 1), so successive-halving tests can tell rungs apart */
        res->fitness = (a - 1) * (a - 1) + (b + 2) * (b + 2) + 0.5 * c + 2.0 * (1.0 - fidelity);
        snprintf(res->info, sizeof res->info, "toy");
        return EO_STATUS_OK;
    }
    case K_CAE: return eval_cae(o, values, seed, fidelity, res, err);
    case K_OLCPA:
    case K_RESCNN:
    case K_CNNLSTM: return eval_cls(o, values, seed, fidelity, res, err);
    case K_VMD: return eval_vmd(o, values, res, err);
    case K_COMMAND: return eval_command(o, values, seed, res, err);
    }
    return eo_error_set(err, EO_STATUS_INTERNAL, "objective: unknown kind");
}

/* ---- winners ---- */

static int finalize_cae(eo_objective *o, const double *v, uint64_t seed, const char *model_path,
                        double test[4], const char *names[4], eo_error *err)
{
    cae_data *d = &o->cae;
    int n = d->n_train + d->n_val;
    float *all = malloc((size_t)n * d->win * sizeof(float));
    float *rec = malloc((size_t)d->n_test * d->win * sizeof(float));
    double *x = malloc((size_t)d->win * sizeof(double)), *y = malloc((size_t)d->win * sizeof(double));
    eo_nn *nn = NULL;
    int ret = -1;
    if (!all || !rec || !x || !y) {
        eo_error_set(err, EO_STATUS_NO_MEMORY, "compress-cae: out of memory");
        goto done;
    }
    memcpy(all, d->train, (size_t)d->n_train * d->win * sizeof(float));
    memcpy(all + (size_t)d->n_train * d->win, d->val, (size_t)d->n_val * d->win * sizeof(float));
    if (cae_train(o, v, seed, all, n, NULL, 0, o->cae_epochs > 0 ? o->cae_epochs : 10, &nn, NULL,
                  err) != EO_STATUS_OK)
        goto done;
    char buf[64];
    snprintf(buf, sizeof buf, "%s", o->name);
    eo_nn_set_meta(nn, "study_objective", buf, NULL);
    if (model_path && eo_nn_save(nn, model_path, err) != EO_STATUS_OK)
        goto done;
    if (eo_nn_predict(nn, d->test, d->n_test, 64, rec, err) != EO_STATUS_OK)
        goto done;
    /* PRDN on the signal in mV (scaling undone), pooled over the test
     * windows; CR as paper 000 Eq. (CR): segment length / latent size */
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
    if (eo_nn_evaluate(nn, &dte, &loss, 64, &mse, NULL, err) != EO_STATUS_OK)
        goto done;
    test[0] = fd.prdn;
    names[0] = "test_prdn";
    test[1] = (double)d->win / cat_num(o->space, v, "latent");
    names[1] = "test_cr";
    test[2] = mse;
    names[2] = "test_mse";
    ret = 3;
done:
    eo_nn_destroy(nn);
    free(all);
    free(rec);
    free(x);
    free(y);
    return ret;
}

static int finalize_cls(eo_objective *o, const double *v, uint64_t seed, const char *model_path,
                        double test[4], const char *names[4], eo_error *err)
{
    eo_classifier_options co;
    char spec[1024];
    cls_options(o, v, seed, &co, spec, sizeof spec);
    /* retrained on the tuning training subset with the winner's seed (the
     * validation records only chose the configuration); see docs/study.md */
    eo_beats *ds2 = NULL;
    eo_classifier *c = NULL;
    int ret = -1;
    if (eo_classifier_train(&co, &o->cls.how, o->cls.train, NULL, NULL, NULL, &c, err) !=
        EO_STATUS_OK)
        goto done;
    if (model_path && eo_classifier_save(c, model_path, err) != EO_STATUS_OK)
        goto done;
    if (eo_beats_load(o->data_dir[0] ? o->data_dir : NULL, eo_split_ds2, 22, &o->cls.how, NULL,
                      NULL, &ds2, err) != EO_STATUS_OK)
        goto done;
    double acc = NAN;
    if (cls_accuracy(c, ds2, &acc, err) != EO_STATUS_OK)
        goto done;
    test[0] = acc;
    names[0] = "test_accuracy_ds2";
    test[1] = (double)ds2->n;
    names[1] = "test_beats";
    ret = 2;
done:
    eo_beats_free(ds2);
    eo_classifier_destroy(c);
    return ret;
}

int eo_objective_finalize(eo_objective *o, const double *values, uint64_t seed,
                          const char *model_path, double test[4], const char *names[4],
                          eo_error *err)
{
    if (eo_objective_prepare(o, err) != EO_STATUS_OK)
        return -1;
    switch (o->kind) {
    case K_CAE: return finalize_cae(o, values, seed, model_path, test, names, err);
    case K_OLCPA:
    case K_RESCNN:
    case K_CNNLSTM: return finalize_cls(o, values, seed, model_path, test, names, err);
    default: return 0;
    }
}

/* ---- user space file ---- */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

eo_status eo_objective_from_file(const char *path, eo_objective **out, eo_error *err)
{
    *out = NULL;
    unsigned char *data = NULL;
    size_t n = 0;
    eo_status st = eo_read_file(path, &data, &n, err);
    if (st != EO_STATUS_OK)
        return st;
    const char *slash = strrchr(path, '/');
    char name[64];
    snprintf(name, sizeof name, "space:%s", slash ? slash + 1 : path);
    eo_objective *o = NULL;
    st = obj_new(name, K_COMMAND, &o, err);
    if (st != EO_STATUS_OK) {
        free(data);
        return st;
    }
    o->pop = 10;
    o->iters = 10;
    o->prepared = 1;
    int lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r((char *)data, "\n", &save); line && st == EO_STATUS_OK;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        char *s = trim(line);
        if (!*s || *s == '#')
            continue;
        char kw[32] = "", a[64] = "", rest[4096] = "";
        int nf = sscanf(s, "%31s %63s %4095[^\n]", kw, a, rest);
        if (!strcmp(kw, "command")) {
            const char *c = trim(s + 7);
            if (!*c) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s:%d: empty command", path, lineno);
                break;
            }
            free(o->command);
            o->command = strdup(c);
            if (!o->command)
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
        } else if (!strcmp(kw, "real") || !strcmp(kw, "int")) {
            double lo, hi;
            char logw[16] = "";
            int k = sscanf(rest, "%lf %lf %15s", &lo, &hi, logw);
            if (nf < 3 || k < 2 || (k == 3 && strcmp(logw, "log") != 0)) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s:%d: expected '%s NAME LO HI [log]'", path, lineno, kw);
                break;
            }
            if (!strcmp(kw, "real"))
                st = eo_space_add_real(o->space, a, lo, hi, k == 3, err);
            else if (lo != floor(lo) || hi != floor(hi))
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s:%d: int bounds must be integers",
                                  path, lineno);
            else
                st = eo_space_add_int(o->space, a, (long long)lo, (long long)hi, k == 3, err);
            if (st != EO_STATUS_OK)
                eo_error_prefix(err, "%s:%d", path, lineno);
        } else if (!strcmp(kw, "cat")) {
            const char *ch[64];
            size_t nc = 0;
            char *sv = NULL;
            for (char *t = strtok_r(rest, " \t", &sv); t && nc < 64; t = strtok_r(NULL, " \t", &sv))
                ch[nc++] = t;
            if (nf < 3 || nc == 0) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s:%d: expected 'cat NAME A B ...'",
                                  path, lineno);
                break;
            }
            st = eo_space_add_categorical(o->space, a, ch, nc, err);
            if (st != EO_STATUS_OK)
                eo_error_prefix(err, "%s:%d", path, lineno);
        } else if (!strcmp(kw, "optimizer") && nf >= 2) {
            snprintf(o->default_opt, sizeof o->default_opt, "%s", a);
        } else if ((!strcmp(kw, "pop") || !strcmp(kw, "iters") || !strcmp(kw, "timeout")) &&
                   nf >= 2) {
            char *e;
            double x = strtod(a, &e);
            if (*e || !(x > 0) || x > 1e9) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s:%d: %s needs a positive number",
                                  path, lineno, kw);
                break;
            }
            if (!strcmp(kw, "pop"))
                o->pop = (size_t)x;
            else if (!strcmp(kw, "iters"))
                o->iters = (long long)x;
            else
                o->timeout = x;
        } else {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                              "%s:%d: unknown line '%.40s' (real|int|cat|command|optimizer|pop|"
                              "iters|timeout)",
                              path, lineno, s);
        }
    }
    free(data);
    if (st == EO_STATUS_OK && eo_space_dim(o->space) == 0)
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: no dimensions (real/int/cat lines)", path);
    if (st == EO_STATUS_OK && !o->command)
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: no 'command' line", path);
    if (st != EO_STATUS_OK) {
        eo_objective_destroy(o);
        return st;
    }
    *out = o;
    return EO_STATUS_OK;
}
