/* compress-cae-rd preset (issue 19): the compress-cae search with a fitness
 * that means something for a codec.  A trial trains a SMALL rate-distortion
 * autoencoder of the codec (eo_codec_ae_train with lambda > 0: Balle et al.
 * 2017 noise proxy + learned factorised entropy model, docs/codec.md) on
 * MLII segments of five DS1 training records, then codes five other DS1
 * records (validation) with `compress --mode ae --target-prdn T` (the
 * codec's own step search) and the fitness is the bits per sample of those
 * .ecgz files, every byte counted; a model whose best step misses T is
 * penalised by (PRDN / T)^2.  DS2 is never touched by a trial: the winner's
 * CR and PRDN on five DS2 records are the study's test figures (finalize).
 * Data, budget and timings: docs/study.md. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"
#include "ecgopt/codec.h"
#include "ecgopt/codec_run.h"
#include "ecgopt/wfdb.h"
#include "study/objective_internal.h"

/* Search space: encoder width, bottleneck channels, pooling (latent
 * positions per 720-sample segment: 3,4,2 -> 30, 4,3,3 -> 20, 4,5,3 -> 12),
 * rate weight and learning rate.  Segment 720 and a mixture of 3 logistics
 * are the codec's defaults; the architecture is the paper's convolution
 * stack (decoder 1, step range 0.5..2), not the codec's default lapped
 * transform (docs/codec.md). */
static const char *const FILTERS[] = {"8", "16"}, *const CHANNELS[] = {"2", "4", "8"},
                         *const POOLS[] = {"3,4,2", "4,3,3", "4,5,3"},
                         *const LAMBDA[] = {"1e-4", "3e-4", "1e-3", "3e-3"},
                         *const LR[] = {"1e-3", "2e-3", "5e-3"};
static const eo_param_def SPACE[] = {
    EO_PARAM_CAT_DEF("filters", FILTERS), EO_PARAM_CAT_DEF("channels", CHANNELS),
    EO_PARAM_CAT_DEF("pools", POOLS),     EO_PARAM_CAT_DEF("lambda", LAMBDA),
    EO_PARAM_CAT_DEF("lr", LR),
};

/* DS1 records (de Chazal 2004) with MLII as signal 0 (114 has it second):
 * training and validation are different patients; the test records are
 * DS2 and only finalize reads them (after the search). */
static const char *const RD_TRAIN[] = {"101", "106", "108", "109", "112"};
static const char *const RD_VAL[] = {"115", "116", "118", "119", "122"};
static const char *const RD_TEST[] = {"100", "103", "105", "111", "113"};
#define RD_TARGET_PRDN 10.0 /* percent, pooled per record */
#define RD_SEGMENTS 2000    /* training segments at data_fraction 1 */
#define RD_EPOCHS 5         /* at fidelity 1: 10000 segment-epochs */
#define RD_VAL_S 120.0      /* seconds of each validation record at data_fraction 1 */
#define RD_TEST_S 300.0     /* seconds of each test record */

typedef struct rd_record {
    eo_wfdb_record *r;
    int orig_ns; /* restored before destroy (the record is cut to MLII and a span) */
    long orig_n;
} rd_record;

typedef struct rd_data {
    rd_record train[5], val[5];
    int n_train, n_val;
} rd_data;

static void rd_record_free(rd_record *x)
{
    if (!x->r)
        return;
    x->r->n_signals = x->orig_ns;
    x->r->header->n_signals = x->orig_ns;
    x->r->n_samples = x->orig_n;
    eo_wfdb_record_destroy(x->r);
    x->r = NULL;
}

static void rd_free(void *state)
{
    rd_data *d = state;
    if (!d)
        return;
    for (int i = 0; i < 5; i++) {
        rd_record_free(&d->train[i]);
        rd_record_free(&d->val[i]);
    }
    free(d);
}

eo_status eo_cae_rd_check_split(const char *const *names, int n, eo_error *err)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < 22; j++)
            if (strcmp(names[i], eo_split_ds2[j]) == 0)
                return eo_error_set(err, EO_STATUS_USAGE,
                                    "compress-cae-rd: record %s is DS2 (the test set); a trial "
                                    "may use DS1 records only",
                                    names[i]);
    return EO_STATUS_OK;
}

/* Load `name`; seconds > 0 keeps MLII (signal 0, checked) over the first
 * `seconds`, so the codec sees one lead of the span. */
static eo_status rd_load(const char *dir, const char *name, double seconds, rd_record *x,
                         eo_error *err)
{
    char base[4096];
    eo_status st = eo_data_find_record(dir, name, "hea", base, sizeof base, err);
    if (st != EO_STATUS_OK)
        return st;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    if ((st = eo_wfdb_record_load(base, &ro, &x->r, err)) != EO_STATUS_OK)
        return st;
    x->orig_ns = x->r->n_signals;
    x->orig_n = x->r->n_samples;
    if (seconds <= 0)
        return EO_STATUS_OK;
    if (strcmp(x->r->header->signals[0].description, "MLII") != 0)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: signal 0 is not MLII", base);
    long n = (long)lround(seconds * x->r->fs_hz);
    if (n > x->r->n_samples)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: shorter than %g s", base, seconds);
    x->r->n_signals = 1;
    x->r->header->n_signals = 1;
    x->r->n_samples = n;
    return EO_STATUS_OK;
}

static eo_status rd_prepare(eo_objective *o, eo_error *err)
{
    eo_status st = eo_cae_rd_check_split(RD_TRAIN, 5, err);
    if (st == EO_STATUS_OK)
        st = eo_cae_rd_check_split(RD_VAL, 5, err);
    if (st != EO_STATUS_OK)
        return st;
    rd_data *d = calloc(1, sizeof *d);
    if (!d)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", o->name);
    double val_s = RD_VAL_S * o->oo.data_fraction;
    if (val_s < 20)
        val_s = 20;
    const char *dir = eo_objective_data_dir(o);
    for (int i = 0; i < 5 && st == EO_STATUS_OK; i++) {
        st = rd_load(dir, RD_TRAIN[i], 0, &d->train[i], err);
        if (st == EO_STATUS_OK)
            st = rd_load(dir, RD_VAL[i], val_s, &d->val[i], err);
    }
    if (st != EO_STATUS_OK) {
        rd_free(d);
        eo_error_prefix(err, "compress-cae-rd data");
        return st;
    }
    d->n_train = d->n_val = 5;
    o->state = d;
    return EO_STATUS_OK;
}

int eo_cae_rd_val_records(const eo_objective *o, eo_wfdb_record **recs)
{
    const rd_data *d = o->state;
    if (!d)
        return 0;
    for (int i = 0; i < d->n_val; i++)
        recs[i] = d->val[i].r;
    return d->n_val;
}

eo_status eo_cae_rd_train(const eo_objective *o, const double *v, uint64_t seed, double fidelity,
                          eo_codec_ae **out, eo_error *err)
{
    const rd_data *d = o->state;
    eo_codec_ae_options ao;
    eo_codec_ae_defaults(&ao); /* the rate-distortion defaults, every field set */
    ao.filters = (int)eo_objective_cat_num(o, v, "filters");
    ao.latent_channels = (int)eo_objective_cat_num(o, v, "channels");
    ao.lambda = eo_objective_cat_num(o, v, "lambda");
    ao.lr = eo_objective_cat_num(o, v, "lr");
    long ip = eo_space_find(o->space, "pools");
    const char *pools = ip >= 0 ? eo_space_choice(o->space, (size_t)ip, (size_t)v[ip]) : NULL;
    eo_status st = eo_codec_ae_pools_parse(pools ? pools : "", &ao, err);
    if (st != EO_STATUS_OK)
        return st;
    ao.max_segments = (int)lround(RD_SEGMENTS * o->oo.data_fraction);
    if (ao.max_segments < 32)
        ao.max_segments = 32;
    ao.epochs = (int)lround(RD_EPOCHS * fidelity);
    if (ao.epochs < 1)
        ao.epochs = 1;
    ao.batch_size = 16; /* a tiny budget: 16 gives 150 updates per trial at fidelity 1 */
    ao.seed = seed;
    ao.threads = o->oo.threads > 0 ? o->oo.threads : 1;
    /* the search is over the paper's convolution stack (its filters and
     * pools mean nothing to the codec's default lapped transform) */
    ao.decoder = 1;
    ao.step_max = 2.0;
    /* the arm: with the paper's squeeze-excitation attention or without */
    ao.attention = o->kind->config ? *(const int *)o->kind->config : 1;
    const eo_wfdb_record *recs[5];
    for (int i = 0; i < d->n_train; i++)
        recs[i] = d->train[i].r;
    return eo_codec_ae_train(recs, d->n_train, &ao, out, err);
}

eo_status eo_cae_rd_measure(const eo_codec_ae *ae, eo_wfdb_record *const *recs, int n,
                            double target_prdn, const double *fixed_step, double *bps,
                            double *mean_prdn, double *steps, eo_error *err)
{
    double bits = 0, samples = 0, prdn = 0;
    for (int i = 0; i < n; i++) {
        eo_codec_options co;
        eo_codec_defaults(&co);
        co.mode = EO_CODEC_AE;
        co.ae_model = ae;
        co.target_prdn = target_prdn;
        co.ae_step = fixed_step ? fixed_step[i] : 0; /* 0: the codec's target-PRDN search */
        eo_codec_stats cs;
        eo_fidelity fd;
        eo_status st = eo_codec_measure(recs[i], &co, &cs, &fd, err);
        if (st != EO_STATUS_OK)
            return st;
        bits += 8.0 * (double)cs.file_bytes;
        samples += (double)cs.n_samples * cs.n_signals;
        prdn += fd.prdn;
        if (steps)
            steps[i] = cs.wavelet_step;
    }
    *bps = samples > 0 ? bits / samples : NAN;
    *mean_prdn = n > 0 ? prdn / n : NAN;
    return EO_STATUS_OK;
}

/* The fitness: bits per sample at the target, (PRDN/T)^2 times more when
 * the model's finest step misses it (a model that cannot reach the target
 * is worse the further it stays from it). */
static double rd_fitness(double bps, double prdn)
{
    double miss = prdn / RD_TARGET_PRDN;
    return miss > 1.005 ? bps * miss * miss : bps;
}

static eo_status rd_eval(eo_objective *o, const double *v, uint64_t seed, double fidelity,
                         eo_trial_result *res, eo_error *err)
{
    const rd_data *d = o->state;
    eo_codec_ae *ae = NULL;
    eo_status st = eo_cae_rd_train(o, v, seed, fidelity, &ae, err);
    if (st != EO_STATUS_OK)
        return st;
    double bps = NAN, prdn = NAN, steps[5] = {0};
    eo_wfdb_record *recs[5];
    for (int i = 0; i < d->n_val; i++)
        recs[i] = d->val[i].r;
    st = eo_cae_rd_measure(ae, recs, d->n_val, RD_TARGET_PRDN, NULL, &bps, &prdn, steps, err);
    int latent = eo_codec_ae_latent(ae);
    eo_codec_ae_destroy(ae);
    if (st != EO_STATUS_OK)
        return st;
    res->fitness = rd_fitness(bps, prdn);
    /* aux[0..1] as compress-cae (epochs, latent size: `study show` Table I
     * reads them), then the validation rate and PRDN */
    int epochs = (int)lround(RD_EPOCHS * fidelity);
    res->aux[0] = epochs < 1 ? 1 : epochs;
    res->aux[1] = latent;
    res->aux[2] = bps;
    res->aux[3] = prdn;
    snprintf(res->info, sizeof res->info,
             "val_bps=%.4f val_prdn=%.2f val_cr=%.2f latent=%d steps=%.3g,%.3g,%.3g,%.3g,%.3g",
             bps, prdn, 11.0 / bps, latent, steps[0], steps[1], steps[2], steps[3], steps[4]);
    return EO_STATUS_OK;
}

static eo_status rd_finalize(eo_objective *o, const double *v, uint64_t seed,
                             const char *model_path, double test[4], const char *names[4],
                             int *n_out, eo_error *err)
{
    eo_codec_ae *ae = NULL;
    eo_status st = eo_cae_rd_train(o, v, seed, 1.0, &ae, err);
    if (st != EO_STATUS_OK)
        return st;
    if (model_path)
        st = eo_codec_ae_save(ae, model_path, err);
    /* DS2 is read here only, after the search (never by a trial) */
    double bps = NAN, prdn = NAN;
    rd_record ds2[5];
    eo_wfdb_record *recs[5];
    memset(ds2, 0, sizeof ds2);
    for (int i = 0; i < 5 && st == EO_STATUS_OK; i++) {
        st = rd_load(eo_objective_data_dir(o), RD_TEST[i], RD_TEST_S, &ds2[i], err);
        recs[i] = ds2[i].r;
    }
    if (st == EO_STATUS_OK)
        st = eo_cae_rd_measure(ae, recs, 5, RD_TARGET_PRDN, NULL, &bps, &prdn, NULL, err);
    for (int i = 0; i < 5; i++)
        rd_record_free(&ds2[i]);
    eo_codec_ae_destroy(ae);
    if (st != EO_STATUS_OK)
        return st;
    /* DS2 (5 records x 300 s of MLII), CR counting every byte of each file */
    test[0] = 11.0 / bps;
    names[0] = "test_cr";
    test[1] = prdn;
    names[1] = "test_prdn";
    test[2] = bps;
    names[2] = "test_bps";
    *n_out = 3;
    return EO_STATUS_OK;
}

/* Table I's two arms: the codec's encoder ends with the paper's low-rank
 * squeeze-excitation attention (compress-cae-rd) or not */
static const int WITH_ATTENTION = 1, WITHOUT_ATTENTION = 0;

#define RD_KIND(var, nm, sum, cfg)                                                            \
    const eo_objective_kind var = {                                                           \
        .name = nm, .summary = sum, .space = SPACE, .dim = sizeof SPACE / sizeof *SPACE,     \
        .optimizer = "gwo", .pop = 8, .iters = 6, .timeout_s = 600, .config = &cfg,          \
        .prepare = rd_prepare, .eval = rd_eval, .finalize = rd_finalize,                     \
        .free_state = rd_free,                                                                \
    }

RD_KIND(eo_objective_compress_cae_rd, "compress-cae-rd",
        "rate-distortion autoencoder of the codec, bits/sample at PRDN 10 % on DS1 validation "
        "(Balle 2017; Krishna n.d.)",
        WITH_ATTENTION);
RD_KIND(eo_objective_compress_cae_rd_noattention, "compress-cae-rd-noattention",
        "the compress-cae-rd search without the squeeze-excitation attention (Table I's other arm)",
        WITHOUT_ATTENTION);
