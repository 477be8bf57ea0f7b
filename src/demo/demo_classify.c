/* Demo stage 4: classification.  Gradient boosting on DS1 beats (de Chazal
 * 2004 split; a subsample), the record's beats from ecgopt's QRS detector,
 * scored against the reference annotations the EC57 way. */
#include <stdio.h>
#include <stdlib.h>

#include "demo_internal.h"
#include "ecgopt/beats.h"
#include "ecgopt/detect.h"
#include "ecgopt/ml.h"
#include "ecgopt/rng.h"

/* quick: the 8 DS1 records richest in S and V beats */
static const char *const DS1_QUICK[8] = {"101", "106", "118", "119", "201", "207", "208", "223"};

/* Every S/V/F/Q beat, and N beats with probability keep (the trainer's
 * class weights rebalance the rest). */
static eo_status subsample(const eo_demo *d, const eo_beats *all, eo_beats **sub, eo_error *err)
{
    size_t *idx = malloc(sizeof *idx * (all->n ? all->n : 1));
    if (!idx)
        return eo_demo_no_memory(err);
    eo_rng rng;
    eo_rng_seed(&rng, d->o.seed);
    double keep = d->o.quick ? 0.15 : 0.4;
    size_t m = 0;
    for (size_t i = 0; i < all->n; i++)
        if (all->y[i] != 0 || eo_rng_uniform(&rng) < keep)
            idx[m++] = i;
    eo_status st = eo_beats_subset(all, idx, m, sub, err);
    free(idx);
    return st;
}

static eo_status train(eo_demo *d, double base, double span, eo_classifier **model, eo_error *err)
{
    const char *const *recs = d->o.quick ? DS1_QUICK : eo_split_ds1;
    int n = d->o.quick ? 8 : 22;
    char synth_path[300];
    const char *synth[1] = {synth_path};
    if (d->r.synthetic) {
        snprintf(synth_path, sizeof synth_path, "%s/synth-train", d->tmpdir);
        recs = synth;
        n = 1;
    }
    eo_beats_options bo;
    eo_beats_defaults(&bo);
    eo_beats *all = NULL, *sub = NULL;
    d->span = span * 0.4;
    eo_status st = eo_beats_load(d->o.data_dir, recs, n, &bo, eo_demo_progress, d, &all, err);
    if (!st)
        st = subsample(d, all, &sub, err);
    if (!st) {
        d->r.n_train_beats = (long)sub->n;
        d->r.n_train_records = n;
        eo_classifier_options co;
        eo_classifier_defaults(&co);
        co.gbm_rounds = d->o.quick ? 60 : 150;
        co.threads = d->o.threads > 0 ? d->o.threads : 2;
        co.seed = d->o.seed;
        d->base = base + span * 0.4;
        st = eo_classifier_train(&co, &bo, sub, NULL, eo_demo_progress, d, model, err);
    }
    if (!st)
        d->r.train_seconds = eo_classifier_train_seconds(*model);
    eo_beats_destroy(all);
    eo_beats_destroy(sub);
    return st;
}

eo_status eo_demo_classify(eo_demo *d, eo_error *err)
{
    double base = d->base, span = d->span;
    eo_classifier *model = NULL;
    eo_status st = train(d, base, span, &model, err);
    eo_annotation_set *det = NULL;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = d->o.verify;
    char lead[32];
    snprintf(lead, sizeof lead, "%d", d->sig);
    d->base = base + span * 0.8;
    d->span = span * 0.2;
    if (!st)
        st = eo_detect_record(d->base_path, lead, NULL, &ro, eo_demo_progress, d, &det, NULL, err);
    if (!st)
        st = eo_classify_record(model, d->base_path, det, &d->pred, err);
    eo_annot_set_destroy(det);
    eo_classifier_destroy(model);
    char atr[4200];
    snprintf(atr, sizeof atr, "%s.atr", d->base_path);
    if (!st)
        st = eo_annot_read(atr, &d->ref, err);
    eo_ec57_options eo;
    eo_ec57_defaults(&eo, d->fs);
    eo.end_sample = d->rec->n_samples;
    if (!st)
        st = eo_ec57_compare(d->ref, d->pred, &eo, &d->r.ec57, err);
    if (!st)
        eo_ec57_stats_of(&d->r.ec57, &d->r.stats);
    d->base = base;
    d->span = span;
    return st;
}
