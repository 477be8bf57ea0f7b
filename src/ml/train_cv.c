/* `ecgopt train --task classify --cv K`: record-grouped K-fold
 * cross-validation inside the training records, the figures per fold and
 * pooled (the work of eo_classifier_cv, cv.c; the records of a training
 * run, train_run.c).  Selection by these out-of-fold figures never reads a
 * test set (issue 15). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/train.h"
#include "ml_internal.h"

void eo_train_cv_result_free(eo_train_cv_result *r)
{
    for (int i = 0; r->records && i < r->n_records; i++)
        free(r->records[i]);
    free(r->records);
    free(r->record_fold);
    free(r->fold_beats);
    free(r->fold);
    memset(r, 0, sizeof *r);
}

static eo_status check(const eo_train_options *o, int k, eo_error *err)
{
    eo_status st = eo_train_check(o, err);
    if (st)
        return st;
    if (o->beats.labels != EO_LABELS_AAMI)
        return eo_error_set(err, EO_STATUS_USAGE, "--cv scores the EC57 way: it needs --labels aami, not %s",
                            eo_label_set_name(o->beats.labels));
    if (o->split != EO_TRAIN_DS1DS2)
        return eo_error_set(err, EO_STATUS_USAGE, "--cv runs inside the training records (DS1 or --train), "
                            "not with --split %s", eo_train_split_name(o->split));
    if (k < 2)
        return eo_error_set(err, EO_STATUS_USAGE, "--cv %d: need K >= 2 folds", k);
    return EO_STATUS_OK;
}

/* The labelled beats of the training records, as eo_train_run loads them. */
static eo_status load(const eo_train_options *o, eo_train_cv_result *r, eo_beats **out, eo_error *err)
{
    eo_beats_options bo = o->beats;
    if (o->train)
        bo.fs_hz = 360.0; /* MIT-BIH's rate; other records are resampled (as eo_train_run) */
    eo_beats *all = NULL;
    eo_status st = eo_train_records_of(o, &r->records, &r->n_records, err);
    if (!st)
        st = eo_beats_load(o->data_dir, (const char *const *)r->records, r->n_records, &bo, o->progress,
                           o->progress_user, &all, err);
    size_t *idx = NULL, m = 0;
    if (!st && !(idx = malloc((all->n ? all->n : 1) * sizeof *idx)))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "--cv: %zu beats", all->n);
    for (size_t i = 0; !st && i < all->n; i++)
        if (all->y[i] >= 0)
            idx[m++] = i;
    if (!st)
        st = eo_beats_subset(all, idx, m, out, err);
    free(idx);
    eo_beats_destroy(all);
    return st;
}

/* Fold matrices from the out-of-fold probabilities; each record's fold. */
static eo_status tally(const eo_train_options *o, const eo_beats *b, const int *fold, const float *prob,
                       eo_train_cv_result *r, eo_error *err)
{
    int k = r->k;
    r->record_fold = malloc((size_t)(r->n_records ? r->n_records : 1) * sizeof *r->record_fold);
    r->fold_beats = calloc((size_t)k, sizeof *r->fold_beats);
    r->fold = calloc((size_t)k, sizeof *r->fold);
    if (!r->record_fold || !r->fold_beats || !r->fold)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "--cv: %d folds", k);
    for (int i = 0; i < r->n_records; i++)
        r->record_fold[i] = -1;
    /* b->record indexes b->record_names, in the order of r->records */
    for (size_t i = 0; i < b->n; i++) {
        int rec = b->record[i];
        if (rec >= 0 && rec < r->n_records)
            r->record_fold[rec] = fold[i];
        r->fold_beats[fold[i]]++;
    }
    double scale[5];
    for (int j = 0; j < 5; j++)
        scale[j] = o->classifier.class_scale[j] > 0 && isfinite(o->classifier.class_scale[j])
                       ? o->classifier.class_scale[j] : 1.0;
    float *p = malloc((b->n ? b->n : 1) * 5 * sizeof *p);
    int *y = malloc((b->n ? b->n : 1) * sizeof *y);
    if (!p || !y) {
        free(p);
        free(y);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "--cv: %zu beats", b->n);
    }
    memset(&r->pooled, 0, sizeof r->pooled);
    for (int f = 0; f < k; f++) {
        size_t m = 0;
        for (size_t i = 0; i < b->n; i++)
            if (fold[i] == f) {
                memcpy(p + m * 5, prob + i * 5, 5 * sizeof *p);
                y[m++] = b->y[i];
            }
        eo_class_scale_matrix(p, y, m, scale, &r->fold[f]);
        eo_ec57_add(&r->pooled, &r->fold[f]);
    }
    free(p);
    free(y);
    return EO_STATUS_OK;
}

eo_status eo_train_cv(const eo_train_options *o, int k, eo_train_cv_result *r, eo_error *err)
{
    memset(r, 0, sizeof *r);
    r->k = k;
    double t0 = eo_time_now();
    eo_status st = check(o, k, err);
    eo_beats *b = NULL;
    if (!st)
        st = load(o, r, &b, err);
    if (!st && (size_t)b->n_records != (size_t)r->n_records)
        st = eo_error_set(err, EO_STATUS_INTERNAL, "--cv: %d records loaded of %d", b->n_records, r->n_records);
    int *fold = NULL;
    float *prob = NULL;
    if (!st) {
        r->beats = b->n;
        fold = malloc((b->n ? b->n : 1) * sizeof *fold);
        prob = malloc((b->n ? b->n : 1) * 5 * sizeof *prob);
        if (!fold || !prob)
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "--cv: %zu beats", b->n);
    }
    if (!st) {
        eo_classifier_options co = o->classifier;
        co.on_epoch = NULL;
        eo_rng rng;
        eo_rng_seed(&rng, co.seed);
        st = eo_classifier_cv(&co, &o->beats, b, k, &rng, fold, prob, err);
        if (st == EO_STATUS_OUT_OF_RANGE) /* k outside 2..records: the user's number */
            st = eo_error_set(err, EO_STATUS_USAGE, "--cv %d: need 2 <= K <= %d (the training records)", k,
                              b->n_records);
    }
    if (!st)
        st = tally(o, b, fold, prob, r, err);
    free(fold);
    free(prob);
    eo_beats_destroy(b);
    r->seconds = eo_time_now() - t0;
    return st;
}

static void counts_json(eo_json *j, const eo_ec57_result *g)
{
    eo_ec57_stats s;
    eo_ec57_class_metrics m;
    eo_ec57_stats_of(g, &s);
    eo_ec57_class_metrics_of(g, &m);
    eo_json_key(j, "matrix");
    eo_json_arr_begin(j);
    for (int a = 0; a < 5; a++) {
        eo_json_arr_begin(j);
        for (int c = 0; c < 5; c++)
            eo_json_int(j, g->m[a][c]);
        eo_json_arr_end(j);
    }
    eo_json_arr_end(j);
    long correct = 0;
    for (int a = 0; a < 5; a++)
        correct += g->m[a][a];
    eo_json_kv_int(j, "vtp", s.vtp);
    eo_json_kv_int(j, "vfn", s.vfn);
    eo_json_kv_int(j, "vfp", s.vfp);
    eo_json_kv_int(j, "stp", s.stp);
    eo_json_kv_int(j, "sfn", s.sfn);
    eo_json_kv_int(j, "sfp", s.sfp);
    eo_json_kv_int(j, "matched", m.total);
    eo_json_kv_int(j, "correct", correct);
    eo_json_kv_num(j, "veb_se", s.veb_se);
    eo_json_kv_num(j, "veb_ppv", s.veb_ppv);
    eo_json_kv_num(j, "sveb_se", s.sveb_se);
    eo_json_kv_num(j, "sveb_ppv", s.sveb_ppv);
    eo_json_kv_num(j, "accuracy", 100 * m.accuracy);
}

void eo_train_cv_json(eo_json *j, const eo_train_options *o, const eo_train_cv_result *r)
{
    eo_json_key(j, "cv");
    eo_json_obj_begin(j);
    eo_json_kv_str(j, "protocol", EO_TRAIN_CV_PROTOCOL);
    eo_json_kv_int(j, "k", r->k);
    eo_json_kv_str(j, "model", o->classifier.model);
    eo_json_kv_str(j, "labels", eo_label_set_name(o->beats.labels));
    eo_json_kv_str(j, "train", o->train ? o->train : "mitdb:ds1");
    eo_json_kv_int(j, "seed", (long long)o->classifier.seed);
    eo_json_kv_int(j, "records", r->n_records);
    eo_json_kv_int(j, "beats", (long long)r->beats);
    eo_json_kv_num(j, "seconds", r->seconds);
    eo_json_key(j, "folds");
    eo_json_arr_begin(j);
    for (int f = 0; r->fold && f < r->k; f++) {
        eo_json_obj_begin(j);
        eo_json_kv_int(j, "fold", f);
        eo_json_key(j, "records");
        eo_json_arr_begin(j);
        for (int i = 0; i < r->n_records; i++)
            if (r->record_fold[i] == f)
                eo_json_str(j, r->records[i]);
        eo_json_arr_end(j);
        eo_json_kv_int(j, "beats", (long long)r->fold_beats[f]);
        counts_json(j, &r->fold[f]);
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
    eo_json_key(j, "pooled");
    eo_json_obj_begin(j);
    eo_json_kv_int(j, "beats", (long long)r->beats);
    counts_json(j, &r->pooled);
    eo_json_obj_end(j);
    eo_json_obj_end(j);
}

static void figures_text(eo_strbuf *b, const eo_ec57_result *g)
{
    eo_ec57_stats s;
    eo_ec57_class_metrics m;
    eo_ec57_stats_of(g, &s);
    eo_ec57_class_metrics_of(g, &m);
    eo_strbuf_printf(b, "VEB Se %.2f%% +P %.2f%%  SVEB Se %.2f%% +P %.2f%%  accuracy %.2f%% (%ld beats)\n", s.veb_se,
                     s.veb_ppv, s.sveb_se, s.sveb_ppv, 100 * m.accuracy, m.total);
}

void eo_train_cv_text(eo_strbuf *b, const eo_train_options *o, const eo_train_cv_result *r)
{
    eo_strbuf_printf(b, "%s (K = %d, seed %llu), model %s, %d records (%s), %zu beats, %.1f s; reference beat "
                        "positions, EC57 gross:\n",
                     EO_TRAIN_CV_PROTOCOL, r->k, (unsigned long long)o->classifier.seed, o->classifier.model,
                     r->n_records, o->train ? o->train : "mitdb:ds1", r->beats, r->seconds);
    for (int f = 0; r->fold && f < r->k; f++) {
        eo_strbuf_printf(b, "fold %d (", f);
        int first = 1;
        for (int i = 0; i < r->n_records; i++)
            if (r->record_fold[i] == f) {
                const char *n = strrchr(r->records[i], '/');
                eo_strbuf_printf(b, "%s%s", first ? "" : " ", n ? n + 1 : r->records[i]);
                first = 0;
            }
        eo_strbuf_printf(b, "): ");
        figures_text(b, &r->fold[f]);
    }
    eo_strbuf_printf(b, "pooled: ");
    figures_text(b, &r->pooled);
}
