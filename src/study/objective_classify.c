/* What the three beat-classifier presets share: the DS1 tuning subsets,
 * training a configuration and scoring it on the validation records, and
 * the winner's test on DS2.  Each preset (objective_classify_<name>.c)
 * gives its space and the network a configuration describes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"
#include "ecgopt/ml.h"
#include "study/objective_internal.h"

typedef struct cls_data {
    eo_beats_options how;
    eo_beats *train, *val; /* DS1 subsets (records split) */
} cls_data;

void eo_cls_destroy(void *state)
{
    cls_data *d = state;
    if (!d)
        return;
    eo_beats_destroy(d->train);
    eo_beats_destroy(d->val);
    free(d);
}

static eo_status cls_subsets(eo_objective *o, cls_data *d, eo_error *err)
{
    const eo_cls_config *cfg = o->kind->config;
    eo_beats_defaults(&d->how);
    d->how.labels = cfg->labels;
    d->how.norm = EO_NORM_BEAT;
    eo_beats *all = NULL;
    eo_status st = eo_beats_load(eo_objective_data_dir(o), eo_split_ds1, 22, &d->how, NULL, NULL,
                                 &all, err);
    if (st != EO_STATUS_OK) {
        eo_error_prefix(err, "%s data (DS1)", o->name);
        return st;
    }
    int *part = malloc(all->n * sizeof *part);
    size_t *ti = malloc(all->n * sizeof *ti), *vi = malloc(all->n * sizeof *vi);
    size_t *perm = malloc(all->n * sizeof *perm);
    if (!part || !ti || !vi || !perm) {
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
    st = eo_beats_subset(all, ti, nt, &d->train, err);
    if (st == EO_STATUS_OK)
        st = eo_beats_subset(all, vi, nv, &d->val, err);
done:
    free(perm);
    free(part);
    free(ti);
    free(vi);
    eo_beats_destroy(all);
    return st;
}

eo_status eo_cls_prepare(eo_objective *o, eo_error *err)
{
    cls_data *d = calloc(1, sizeof *d);
    if (!d)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", o->name);
    eo_status st = cls_subsets(o, d, err);
    if (st != EO_STATUS_OK) {
        eo_cls_destroy(d);
        return st;
    }
    o->state = d;
    return EO_STATUS_OK;
}

static void cls_options(const eo_objective *o, const double *v, uint64_t seed,
                        eo_classifier_options *co, char *spec, size_t n)
{
    const eo_cls_config *cfg = o->kind->config;
    eo_classifier_defaults(co);
    snprintf(co->model, sizeof co->model, "cnn");
    co->seed = seed;
    co->threads = o->oo.threads > 0 ? o->oo.threads : 1;
    co->epochs = 10;
    cfg->options(o, v, eo_label_set_n_classes(cfg->labels), co, spec, n);
    co->spec = spec;
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

eo_status eo_cls_eval(eo_objective *o, const double *v, uint64_t seed, double fidelity,
                      eo_trial_result *res, eo_error *err)
{
    cls_data *d = o->state;
    eo_classifier_options co;
    char spec[1024];
    cls_options(o, v, seed, &co, spec, sizeof spec);
    co.epochs = (int)lround(co.epochs * fidelity);
    if (co.epochs < 1)
        co.epochs = 1;
    eo_classifier *c = NULL;
    eo_status st = eo_classifier_train(&co, &d->how, d->train, NULL, NULL, NULL, &c, err);
    if (st != EO_STATUS_OK)
        return st;
    double acc = NAN;
    st = cls_accuracy(c, d->val, &acc, err);
    eo_classifier_destroy(c);
    if (st != EO_STATUS_OK)
        return st;
    res->fitness = 1.0 - acc;
    res->aux[0] = acc;
    res->aux[1] = co.epochs;
    snprintf(res->info, sizeof res->info, "val_accuracy=%.4f epochs=%d", acc, co.epochs);
    return EO_STATUS_OK;
}

eo_status eo_cls_finalize(eo_objective *o, const double *v, uint64_t seed, const char *model_path,
                          double test[4], const char *names[4], int *n_out, eo_error *err)
{
    cls_data *d = o->state;
    eo_classifier_options co;
    char spec[1024];
    cls_options(o, v, seed, &co, spec, sizeof spec);
    /* retrained on the tuning training subset with the winner's seed (the
     * validation records only chose the configuration); see docs/study.md */
    eo_beats *ds2 = NULL;
    eo_classifier *c = NULL;
    double acc = NAN;
    eo_status st = eo_classifier_train(&co, &d->how, d->train, NULL, NULL, NULL, &c, err);
    if (st == EO_STATUS_OK && model_path)
        st = eo_classifier_save(c, model_path, err);
    if (st == EO_STATUS_OK)
        st = eo_beats_load(eo_objective_data_dir(o), eo_split_ds2, 22, &d->how, NULL, NULL, &ds2,
                           err);
    if (st == EO_STATUS_OK)
        st = cls_accuracy(c, ds2, &acc, err);
    if (st == EO_STATUS_OK) {
        test[0] = acc;
        names[0] = "test_accuracy_ds2";
        test[1] = (double)ds2->n;
        names[1] = "test_beats";
        *n_out = 2;
    }
    eo_beats_destroy(ds2);
    eo_classifier_destroy(c);
    return st;
}
