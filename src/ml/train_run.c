/* One training run of a beat classifier (train.h): records, beats, split,
 * training with its history, the parts scored.  The split follows de Chazal
 * et al. (2004) for ds1ds2: training and validation from DS1 by whole
 * records, DS2 only ever for the test. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/train.h"
#include "ecgopt/wfdb.h"
#include "ml_internal.h"

static const char *const SPLIT_NAMES[3] = {"ds1ds2", "intra", "kfold"};

const char *eo_train_split_name(eo_train_split s)
{
    return s >= EO_TRAIN_DS1DS2 && s <= EO_TRAIN_KFOLD ? SPLIT_NAMES[s] : "?";
}

eo_status eo_train_split_parse(const char *name, eo_train_split *out, eo_error *err)
{
    for (int i = 0; i < 3; i++)
        if (name && !strcmp(name, SPLIT_NAMES[i])) {
            *out = (eo_train_split)i;
            return EO_STATUS_OK;
        }
    return eo_error_set(err, EO_STATUS_USAGE, "--split must be ds1ds2, intra or kfold, got '%s'",
                        name ? name : "");
}

void eo_train_defaults(eo_train_options *o)
{
    memset(o, 0, sizeof *o);
    eo_classifier_defaults(&o->classifier);
    eo_beats_defaults(&o->beats);
    o->split = EO_TRAIN_DS1DS2;
    o->val_records = 4;
    o->folds = 5;
    o->history = 1;
}

static void note(const eo_train_options *o, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void note(const eo_train_options *o, const char *fmt, ...)
{
    if (!o->note)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    o->note(o->note_user, msg);
}

/* eo_classifier_options.on_epoch: append to the result's history */
static void history_add(void *user, const eo_classifier_epoch *e)
{
    eo_train_result *r = user;
    if (r->history_lost)
        return;
    size_t n = r->n_history;
    if (n == 0 || (n >= 64 && (n & (n - 1)) == 0)) { /* full at 64, 128, 256 ...: double */
        eo_classifier_epoch *ne = realloc(r->history, (n ? 2 * n : 64) * sizeof *ne);
        if (!ne) {
            r->history_lost = 1;
            return;
        }
        r->history = ne;
    }
    r->history[r->n_history++] = *e;
}

/* Signal 0 of a noise record (e.g. NSTDB's em, ma, bw) in mV, as floats. */
static eo_status load_noise(const char *base, float **out, size_t *n, eo_error *err)
{
    double *d = NULL;
    long got = 0;
    eo_status st = eo_wfdb_load_physical(base, 0, 0, -1, 1, &d, &got, err);
    *out = st ? NULL : malloc((size_t)(got > 0 ? got : 1) * sizeof **out);
    if (!st && !*out)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: %ld noise samples", base, got);
    for (long i = 0; !st && i < got; i++)
        (*out)[i] = (float)d[i];
    *n = st ? 0 : (size_t)got;
    free(d);
    return st;
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* names[0..n) as the result's owned list */
static eo_status keep_names(const char *const *names, int n, char ***out, int *n_out, eo_error *err)
{
    *out = calloc((size_t)(n > 0 ? n : 1), sizeof **out);
    if (!*out)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "train: %d record names", n);
    for (int i = 0; i < n; i++)
        if (!((*out)[i] = dup_str(names[i]))) {
            *n_out = i;
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "train: %d record names", n);
        }
    *n_out = n;
    return EO_STATUS_OK;
}

/* The records to load: DS1, all 44 non-paced MIT-BIH records, or --train. */
static eo_status pick_records(const eo_train_options *o, eo_train_result *r, eo_error *err)
{
    const char *const *recs = eo_split_ds1;
    int n = 22;
    if (o->split != EO_TRAIN_DS1DS2)
        n = eo_split_mitdb_records(&recs);
    if (!o->train)
        return keep_names(recs, n, &r->records, &r->n_records, err);
    char (*names)[EO_TRAIN_REC_LEN] = malloc(1024 * sizeof *names);
    const char **ptr = malloc(1024 * sizeof *ptr);
    int has_ds2 = 0;
    eo_status st = !names || !ptr ? eo_error_set(err, EO_STATUS_NO_MEMORY, "--train: out of memory")
                                  : eo_train_records(o->data_dir, o->train, names, 1024, &n, &has_ds2, o->note,
                                                     o->note_user, err);
    if (!st && o->test && has_ds2)
        st = eo_error_set(err, EO_STATUS_USAGE, "--test scores MIT-BIH DS2, but --train %s includes DS2 records",
                          o->train);
    for (int k = 0; !st && k < n; k++)
        ptr[k] = names[k];
    if (!st)
        st = keep_names(ptr, n, &r->records, &r->n_records, err);
    if (!st)
        note(o, "--train %s: %d records, resampled to %g Hz where needed, lead %s", o->train, n, 360.0,
             o->beats.leads[0][0] ? o->beats.leads[0] : "by the fallback order (MLII, II, ECG1, then signal 0)");
    free(names);
    free(ptr);
    return st;
}

eo_status eo_train_records_of(const eo_train_options *o, char ***names, int *n, eo_error *err)
{
    eo_train_result t;
    memset(&t, 0, sizeof t);
    eo_status st = pick_records(o, &t, err);
    *names = t.records;
    *n = t.n_records;
    return st;
}

/* ds1ds2 validation records: val_set named, else val_records drawn */
static eo_status split_ds1ds2(const eo_train_options *o, const eo_beats *all, eo_rng *rng, int *part,
                              eo_error *err)
{
    if (!o->val_set)
        return eo_split_records_val(all, o->val_records, rng, part, err);
    char buf[512];
    const char *names[44];
    int nn = 0;
    snprintf(buf, sizeof buf, "%s", o->val_set);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (nn++ < 44)
            names[nn - 1] = t;
    if (nn == 0 || nn > 44)
        return eo_error_set(err, EO_STATUS_USAGE, "--val-set '%s': %s", o->val_set,
                            nn ? "more than 44 records" : "no record named");
    return eo_split_records_named(all, names, nn, part, err);
}

/* Each beat to a part, the parts as beat sets, the test records listed. */
static eo_status split_parts(const eo_train_options *o, eo_train_result *r, eo_error *err)
{
    const eo_beats *all = r->all;
    const char *test[48];
    int nt = 0;
    eo_rng rng;
    eo_rng_seed(&rng, o->classifier.seed);
    size_t *idx = malloc((all->n ? all->n : 1) * sizeof *idx);
    r->part = malloc((all->n ? all->n : 1) * sizeof *r->part);
    if (!idx || !r->part) {
        free(idx);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "train: %zu beats", all->n);
    }
    eo_status st;
    if (o->split == EO_TRAIN_DS1DS2) {
        st = split_ds1ds2(o, all, &rng, r->part, err);
        for (int k = 0; k < 22; k++)
            test[nt++] = eo_split_ds2[k];
    } else if (o->split == EO_TRAIN_INTRA) {
        st = eo_split_stratified(all->y, all->n, 0.70, 0.15, &rng, r->part, err);
    } else {
        st = eo_split_kfold(all, o->folds, &rng, r->part, err);
        for (int k = 0; !st && k < all->n_records && nt < 48; k++) {
            int f = -1;
            for (size_t i = 0; i < all->n && f < 0; i++)
                if (all->record[i] == k)
                    f = r->part[i];
            if (f == o->fold)
                test[nt++] = r->records[k];
        }
        for (size_t i = 0; !st && i < all->n; i++)
            r->part[i] = r->part[i] == o->fold ? EO_PART_TEST : EO_PART_TRAIN;
    }
    for (int p = 0; p < 3 && !st; p++) {
        size_t m = 0;
        for (size_t i = 0; i < all->n; i++)
            if (r->part[i] == p)
                idx[m++] = i;
        st = eo_beats_subset(all, idx, m, &r->parts[p], err);
    }
    free(idx);
    if (!st)
        st = keep_names(test, nt, &r->test_records, &r->n_test_records, err);
    return st;
}

/* Mean cross-entropy (nats) and accuracy (%) of the model on a part. */
static eo_status part_fit(const eo_classifier *m, const eo_beats *b, double *loss, double *acc, long *cm,
                          eo_error *err)
{
    *loss = *acc = NAN;
    if (!b || b->n == 0)
        return EO_STATUS_OK;
    int k = eo_label_set_n_classes(b->labels);
    int *pred = malloc(b->n * sizeof *pred);
    float *prob = malloc(b->n * (size_t)k * sizeof *prob);
    eo_status st = !pred || !prob ? eo_error_set(err, EO_STATUS_NO_MEMORY, "train: %zu beats", b->n)
                                  : eo_classifier_predict(m, b, pred, prob, err);
    if (!st)
        eo_fit_stats(b->y, pred, prob, b->n, k, loss, acc, cm);
    free(pred);
    free(prob);
    return st;
}

/* evaluate_parts: every part's fit; the validation records the EC57 way */
static eo_status score_parts(const eo_train_options *o, eo_train_result *r, eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    for (int p = 0; p < 3 && !st; p++)
        st = part_fit(r->model, r->parts[p], &r->loss[p], &r->accuracy[p], p == 1 ? r->val_cm : NULL, err);
    r->parts_evaluated = !st;
    if (st || o->split == EO_TRAIN_KFOLD || r->parts[1]->n == 0)
        return st;
    if (o->split == EO_TRAIN_INTRA) {
        r->val_scored = 2;
        return st;
    }
    const char **vr = malloc((size_t)(r->n_records > 0 ? r->n_records : 1) * sizeof *vr);
    if (!vr)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "train: %d validation records", r->n_records);
    int nv = 0;
    for (int k = 0; k < r->all->n_records && k < r->n_records; k++)
        if (eo_train_record_in_part(r, k, EO_PART_VAL))
            vr[nv++] = r->records[k];
    st = eo_classifier_evaluate(r->model, o->data_dir, vr, nv, 0, NULL, NULL, &r->val_ec57, NULL, err);
    free(vr);
    r->val_scored = st ? 0 : 1;
    return st;
}

/* test: the intra-patient part by accuracy, else its records by EC57 */
static eo_status score_test(const eo_train_options *o, eo_train_result *r, eo_error *err)
{
    if (o->split == EO_TRAIN_INTRA) {
        const eo_beats *t = r->parts[2];
        int k = eo_label_set_n_classes(r->labels);
        int *pred = malloc((t->n + 1) * sizeof *pred);
        if (!pred)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "train: predictions");
        eo_status st = eo_classifier_predict(r->model, t, pred, NULL, err);
        long ok = 0;
        if (!st) {
            eo_confusion(t->y, pred, t->n, k, r->test_cm);
            for (int q = 0; q < k; q++)
                ok += r->test_cm[q * k + q];
            r->test_accuracy = t->n ? 100.0 * ok / t->n : NAN;
            r->test_scored = 1;
        }
        free(pred);
        return st;
    }
    const char *const *tr = (const char *const *)r->test_records;
    eo_status st = eo_classifier_evaluate(r->model, o->data_dir, tr, r->n_test_records, 0, o->progress,
                                          o->progress_user, &r->test_ec57, NULL, err);
    r->test_scored = st ? 0 : 2;
    if (!st && o->detector)
        st = eo_classifier_evaluate(r->model, o->data_dir, tr, r->n_test_records, 1, o->progress,
                                    o->progress_user, &r->test_ec57_detector, NULL, err);
    r->test_detector = o->detector && !st;
    return st;
}

eo_status eo_train_check(const eo_train_options *o, eo_error *err)
{
    if (o->val_set && (!o->val_set[0] || strlen(o->val_set) >= 512))
        return eo_error_set(err, EO_STATUS_USAGE, "--val-set needs 1..511 characters of comma-separated records");
    if (o->train && o->split != EO_TRAIN_DS1DS2)
        return eo_error_set(err, EO_STATUS_USAGE, "--train goes with --split ds1ds2 (validation records carved "
                            "from the training records, test DS2), not --split %s", eo_train_split_name(o->split));
    if (o->val_set && o->split != EO_TRAIN_DS1DS2)
        return eo_error_set(err, EO_STATUS_USAGE, "--val-set applies to --split ds1ds2 (validation from DS1)");
    if (o->split == EO_TRAIN_KFOLD && (o->folds < 2 || o->fold < 0 || o->fold >= o->folds))
        return eo_error_set(err, EO_STATUS_USAGE, "--folds %d --fold %d: need K >= 2 and 0 <= I < K", o->folds,
                            o->fold);
    if (o->augment_noise && o->classifier.oversample <= 0 && o->classifier.augment_copies <= 0)
        return eo_error_set(err, EO_STATUS_USAGE, "--augment-noise needs --oversample F or --augment-copies K "
                            "(the noise goes on the copies)");
    if (!eo_classifier_model_known(o->classifier.model))
        return eo_error_set(err, EO_STATUS_USAGE, "--model '%s' is unknown (gbm mlp cnn lstm cnnlstm rescnn cnn9)",
                            o->classifier.model);
    return EO_STATUS_OK;
}

/* the beats, split; a note for a class without training beats */
static eo_status load_and_split(const eo_train_options *o, const eo_beats_options *bo, eo_train_result *r,
                                eo_error *err)
{
    eo_status st = pick_records(o, r, err);
    if (!st)
        st = eo_beats_load(o->data_dir, (const char *const *)r->records, r->n_records, bo, o->progress,
                           o->progress_user, &r->all, err);
    if (!st)
        st = split_parts(o, r, err);
    if (!st && r->parts[0]->n == 0)
        st = eo_error_set(err, EO_STATUS_USAGE, "train: the training split is empty");
    if (st)
        return st;
    for (int k = 0; k < eo_label_set_n_classes(bo->labels); k++)
        if (eo_beats_count(r->parts[0], k) == 0)
            note(o, "warning: the training records have no beat of class %s; the model will never predict it",
                 eo_label_class_name(bo->labels, k));
    note(o, "split %s%s: %zu training, %zu validation, %zu test beats", eo_train_split_name(o->split),
         o->split == EO_TRAIN_INTRA ? " (INTRA-PATIENT)" : "", r->parts[0]->n, r->parts[1]->n,
         o->split == EO_TRAIN_DS1DS2 ? 0 : r->parts[2]->n);
    return st;
}

eo_status eo_train_run(const eo_train_options *o, eo_train_result *r, eo_error *err)
{
    memset(r, 0, sizeof *r);
    r->split = o->split;
    r->labels = o->beats.labels;
    for (int p = 0; p < 3; p++)
        r->loss[p] = r->accuracy[p] = NAN;
    r->test_accuracy = NAN;
    eo_status st = eo_train_check(o, err);
    if (st)
        return st;
    eo_classifier_options co = o->classifier;
    eo_beats_options bo = o->beats;
    if (o->train)
        bo.fs_hz = 360.0; /* MIT-BIH's rate; other records are resampled */
    if (o->history) {
        co.on_epoch = history_add;
        co.on_epoch_user = r;
    }
    float *noise = NULL;
    if (o->augment_noise) {
        st = load_noise(o->augment_noise, &noise, &co.augment_noise_len, err);
        co.augment_noise = noise;
        co.augment = 1;
    }
    if (!st)
        st = load_and_split(o, &bo, r, err);
    if (!st)
        st = eo_classifier_train(&co, &bo, r->parts[0], r->parts[1]->n ? r->parts[1] : NULL, o->progress,
                                 o->progress_user, &r->model, err);
    free(noise);
    if (!st && o->evaluate_parts)
        st = score_parts(o, r, err);
    if (!st && o->test)
        st = score_test(o, r, err);
    return st;
}

void eo_train_result_free(eo_train_result *r)
{
    if (!r)
        return;
    eo_classifier_destroy(r->model);
    eo_beats_destroy(r->all);
    for (int p = 0; p < 3; p++)
        eo_beats_destroy(r->parts[p]);
    free(r->part);
    for (int i = 0; r->records && i < r->n_records; i++)
        free(r->records[i]);
    free(r->records);
    for (int i = 0; r->test_records && i < r->n_test_records; i++)
        free(r->test_records[i]);
    free(r->test_records);
    free(r->history);
    memset(r, 0, sizeof *r);
}

int eo_train_record_in_part(const eo_train_result *r, int rec, int which)
{
    for (size_t i = 0; r->all && i < r->all->n; i++)
        if (r->all->record[i] == rec && r->part[i] == which)
            return 1;
    return 0;
}

eo_status eo_train_history_columns(const eo_train_result *r, double **cols, eo_error *err)
{
    size_t n = r->n_history;
    double *d = malloc(5 * (n ? n : 1) * sizeof *d);
    if (!d)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "train: history of %zu points", n);
    for (size_t i = 0; i < n; i++) {
        const eo_classifier_epoch *e = &r->history[i];
        d[i] = e->epoch;
        d[n + i] = e->train_loss;
        d[2 * n + i] = e->val_loss;
        d[3 * n + i] = 100.0 * e->train_acc;
        d[4 * n + i] = 100.0 * e->val_acc;
    }
    *cols = d;
    return EO_STATUS_OK;
}
