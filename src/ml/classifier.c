/* One classifier interface over every model: XGBoost gradient boosting on
 * hand-made features (gbm.c, features.c) and the neural models built from
 * nn.h specs.  The model file stores how the beats were extracted, so a
 * record is always prepared the way the model was trained. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/ml.h"
#include "ecgopt/nn.h"
#include "ml_internal.h"

struct eo_classifier {
    char model[16];
    eo_beats_options how;
    eo_label_set labels;
    int k;
    double fs;
    int len, before, n_leads;
    eo_gbm *gbm;
    int nf;
    int waveform; /* EO_ML_FEAT_* flags */
    double scale[EO_LABELS_MAX_CLASSES]; /* decision scales (class_scale) */
    eo_nn *nn;
    int in_c;
    double train_s;
    int epochs_run, best_epoch; /* networks, from eo_nn_train's report */
};

/* Built-in networks; %d is the number of classes.  Input: the beat window
 * on each lead plus three constant channels carrying the RR ratios (pre/local,
 * post/local, local/record, minus 1), so that a sequential network sees the
 * rhythm context that de Chazal 2004 found essential for SVEB. */
static const struct {
    const char *name;
    const char *spec;
    eo_nn_init_kind init;
} nn_models[] = {
    /* Albarrak et al. 2025 baseline: one hidden layer of 10 ReLU units (Adam, L2) */
    {"mlp", "dense(10) relu dense(%d)", EO_NN_INIT_TORCH},
    /* the peers' reference CNN (torch_cnn_bench.py), 3 conv + 2 dense */
    {"cnn",
     "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) flatten "
     "dense(128) relu dropout(0.3) dense(%d)",
     EO_NN_INIT_TORCH},
    /* Albarrak et al. 2025 LSTM baseline: the window average-pooled to ~40 steps */
    {"lstm", "avgpool(6) lstm(64) dense(%d)", EO_NN_INIT_TORCH},
    /* Albarrak et al. 2025 CNN-LSTM, Kaiming (He 2015) initialisation */
    {"cnnlstm",
     "conv(32,7) relu maxpool(2) conv(64,5) relu maxpool(2) conv(64,3) relu maxpool(2) lstm(64) "
     "dense(%d)",
     EO_NN_INIT_HE},
    /* Fki et al. 2023 residual 1-D CNN with dropout (one residual block, Fig. 1) */
    {"rescnn",
     "conv(32,7) relu maxpool(2) res(32,5) maxpool(2) conv(64,3) relu maxpool(2) dropout(0.3) "
     "flatten dense(64) relu dropout(0.3) dense(%d)",
     EO_NN_INIT_HE},
    /* He et al. 2023 nine-layer CNN (Acharya 2017 layout): 3 conv-pool pairs, 2 dense */
    {"cnn9",
     "conv(5,3) relu maxpool(2) conv(10,4) relu maxpool(2) conv(20,4) relu maxpool(2) flatten "
     "dense(30) relu dense(%d)",
     EO_NN_INIT_TORCH},
};
#define N_NN_MODELS ((int)(sizeof nn_models / sizeof nn_models[0]))
#define N_RR_CHANNELS 3

void eo_classifier_defaults(eo_classifier_options *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->model, sizeof o->model, "gbm");
    o->epochs = 10;
    o->batch = 64;
    o->lr = 1e-3;
    o->l2 = 1e-4;
    o->class_weight_power = 1.0;
    o->gbm_rounds = 150;
    o->gbm_depth = 4;
    o->gbm_eta = 0.1;
    o->gbm_subsample = 0.8;
    /* the patient-adaptive features won the DS1 cross-validation but fail on
     * records whose beats are mostly ectopic (DS2 record 232: its "usual"
     * rhythm is the premature one), so they are opt-in (docs/classification.md) */
    o->gbm_adaptive = 0;
    o->augment_snr_db = 12;
    for (int j = 0; j < EO_LABELS_MAX_CLASSES; j++)
        o->class_scale[j] = 1.0;
    o->seed = 1;
}

static int nn_model_index(const char *name)
{
    for (int i = 0; i < N_NN_MODELS; i++)
        if (!strcmp(name, nn_models[i].name))
            return i;
    return -1;
}

int eo_classifier_model_known(const char *name)
{
    return name && (!strcmp(name, "gbm") || nn_model_index(name) >= 0);
}

void eo_classifier_destroy(eo_classifier *c)
{
    if (!c)
        return;
    eo_gbm_destroy(c->gbm);
    eo_nn_destroy(c->nn);
    free(c);
}

const char *eo_classifier_model(const eo_classifier *c) { return c ? c->model : ""; }
eo_label_set eo_classifier_labels(const eo_classifier *c) { return c->labels; }
double eo_classifier_fs(const eo_classifier *c) { return c ? c->fs : 0; }
double eo_classifier_train_seconds(const eo_classifier *c) { return c ? c->train_s : 0; }
int eo_classifier_epochs_run(const eo_classifier *c, int *best_epoch)
{
    if (best_epoch)
        *best_epoch = c ? c->best_epoch : 0;
    return c ? c->epochs_run : 0;
}
void eo_classifier_beats_options(const eo_classifier *c, eo_beats_options *o) { *o = c->how; }

void eo_confusion(const int *y, const int *pred, size_t n, int k, long *cm)
{
    memset(cm, 0, (size_t)k * (size_t)k * sizeof *cm);
    for (size_t i = 0; i < n; i++)
        if (y[i] >= 0 && y[i] < k && pred[i] >= 0 && pred[i] < k)
            cm[y[i] * k + pred[i]]++;
}

void eo_fit_stats(const int *y, const int *pred, const float *prob, size_t n, int k,
                  double *loss, double *accuracy, long *cm)
{
    double l = 0;
    long ok = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || y[i] >= k)
            continue;
        double p = prob[i * (size_t)k + (size_t)y[i]];
        l -= log(p > 1e-12 ? p : 1e-12);
        ok += pred[i] == y[i];
        m++;
    }
    *loss = m ? l / (double)m : NAN;
    *accuracy = m ? 100.0 * (double)ok / (double)m : NAN;
    if (cm)
        eo_confusion(y, pred, n, k, cm);
}

eo_status eo_classifier_check(const eo_classifier *c, const eo_beats *b, eo_error *err)
{
    if (!c || !b)
        return eo_error_set(err, EO_STATUS_USAGE, "classifier: NULL argument");
    if (b->n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "classifier: no beats to classify");
    if (b->labels != c->labels)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "model is for label set %s, the beats are labelled %s",
                            eo_label_set_name(c->labels), eo_label_set_name(b->labels));
    if (fabs(b->fs_hz - c->fs) > 1e-6)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "model is for %g Hz, the record is %g Hz (resample it first)", c->fs,
                            b->fs_hz);
    if (b->len != c->len || b->before != c->before || b->n_leads != c->n_leads)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "model wants %d-sample windows (%d before R) on %d lead(s), the beats "
                            "have %d (%d) on %d",
                            c->len, c->before, c->n_leads, b->len, b->before, b->n_leads);
    return EO_STATUS_OK;
}

/* Network input: leads then RR channels, each of length len. */
static eo_status nn_input(const eo_beats *b, float **out, int *in_c, eo_error *err)
{
    int C = b->n_leads + N_RR_CHANNELS, L = b->len;
    float *x = eo_malloc(b->n * (size_t)C * (size_t)L * sizeof *x);
    if (!x)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "classifier: input of %zu beats", b->n);
    size_t row = (size_t)b->n_leads * (size_t)L;
    for (size_t i = 0; i < b->n; i++) {
        float *d = x + i * (size_t)C * (size_t)L;
        memcpy(d, b->x + i * row, row * sizeof *d);
        const float *rr = b->rr + i * EO_RR_N_FEATURES;
        const float v[N_RR_CHANNELS] = {rr[EO_RR_PRE_LOCAL] - 1.0f, rr[EO_RR_POST_LOCAL] - 1.0f,
                                        rr[EO_RR_LOCAL_RECORD] - 1.0f};
        for (int c = 0; c < N_RR_CHANNELS; c++)
            for (int t = 0; t < L; t++)
                d[row + (size_t)c * (size_t)L + (size_t)t] = isfinite(v[c]) ? v[c] : 0.0f;
    }
    *out = x;
    *in_c = C;
    return EO_STATUS_OK;
}

/* nn.h's per-epoch statistics -> the classifier's history point (the
 * networks measure no training accuracy: NaN). */
typedef struct {
    const eo_classifier_options *o;
} nn_hook;

static int nn_on_epoch(void *user, const eo_nn_epoch_stats *s)
{
    const eo_classifier_options *o = ((const nn_hook *)user)->o;
    eo_classifier_epoch e = {s->epoch, o->epochs, s->train_loss, s->val_loss, NAN, s->val_accuracy};
    o->on_epoch(o->on_epoch_user, &e);
    return 0;
}

eo_status eo_classifier_train(const eo_classifier_options *o, const eo_beats_options *how,
                              const eo_beats *train, const eo_beats *val, eo_progress_fn progress,
                              void *user, eo_classifier **out, eo_error *err)
{
    if (!o || !how || !train || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "classifier: NULL argument");
    *out = NULL;
    if (!eo_classifier_model_known(o->model))
        return eo_error_set(err, EO_STATUS_USAGE,
                            "model '%s' is unknown (gbm, mlp, cnn, lstm, cnnlstm, rescnn, cnn9)",
                            o->model);
    if (train->n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "classifier: the training split is empty");
    int k = eo_label_set_n_classes(train->labels);
    for (size_t i = 0; i < train->n; i++)
        if (train->y[i] < 0 || train->y[i] >= k)
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "classifier: training beat %zu has no label in set %s", i,
                                eo_label_set_name(train->labels));
    if (val && val->n && (val->len != train->len || val->n_leads != train->n_leads))
        return eo_error_set(err, EO_STATUS_USAGE, "classifier: validation beats shaped differently");
    eo_classifier *c = eo_calloc(1, sizeof *c);
    if (!c)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "classifier");
    snprintf(c->model, sizeof c->model, "%s", o->model);
    c->how = *how;
    c->labels = train->labels;
    c->k = k;
    c->fs = train->fs_hz;
    c->len = train->len;
    c->before = train->before;
    c->n_leads = train->n_leads;
    for (int j = 0; j < EO_LABELS_MAX_CLASSES; j++)
        c->scale[j] = o->class_scale[j] > 0 && isfinite(o->class_scale[j]) ? o->class_scale[j] : 1.0;
    double t0 = eo_time_now();
    eo_status st = EO_STATUS_OK;
    double cw[EO_LABELS_MAX_CLASSES] = {1, 1, 1, 1, 1};
    eo_beats *tr = NULL;
    float *X = NULL, *w = NULL, *Xv = NULL;
    eo_rng rng;
    eo_rng_seed(&rng, o->seed);

    /* optional oversampling of the minority classes, then optional augmented
     * copies of every beat; all copies sit after the original beats */
    const eo_beats *use = train;
    int copies = o->augment_copies > 0 ? o->augment_copies : 0;
    if (copies > 64) {
        st = eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                          "classifier: %d augmented copies per beat (at most 64)", copies);
        goto done;
    }
    if (o->oversample > 0 || copies > 0) {
        size_t *idx = eo_malloc(train->n * sizeof *idx), *ov = NULL, n_ov = 0;
        if (!idx) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "classifier: oversampling");
            goto done;
        }
        for (size_t i = 0; i < train->n; i++)
            idx[i] = i;
        if (o->oversample > 0) {
            st = eo_oversample(train->y, idx, train->n, k, o->oversample, &rng, &ov, &n_ov, err);
            free(idx);
        } else {
            ov = idx;
            n_ov = train->n;
        }
        if (!st && copies > 0) {
            size_t *grown = eo_realloc(ov, (n_ov + (size_t)copies * train->n) * sizeof *grown);
            if (!grown) {
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "classifier: %d augmented copies",
                                  copies);
            } else {
                ov = grown;
                for (int c2 = 0; c2 < copies; c2++)
                    for (size_t i = 0; i < train->n; i++)
                        ov[n_ov++] = i;
            }
        }
        if (!st)
            st = eo_beats_subset(train, ov, n_ov, &tr, err);
        free(ov);
        if (st)
            goto done;
        if (o->augment || copies > 0) {
            /* the beats after the originals are copies (oversampled minority
             * beats, then the augmented copies of every beat): augment them */
            eo_augment_options ao;
            eo_augment_defaults(&ao);
            ao.noise_sd = 0.02;
            ao.scale_lo = 0.9;
            ao.scale_hi = 1.1;
            ao.stretch_lo = 0.95;
            ao.stretch_hi = 1.05;
            ao.noise = o->augment_noise; /* eo_augment_beat checks len and SNR */
            ao.noise_len = o->augment_noise_len;
            ao.noise_snr_db = o->augment_snr_db;
            for (size_t i = train->n; i < tr->n && !st; i++)
                for (int l = 0; l < tr->n_leads && !st; l++)
                    st = eo_augment_beat(tr->x + (i * (size_t)tr->n_leads + (size_t)l) * (size_t)tr->len,
                                         tr->len, tr->before, &ao, &rng, err);
            if (st)
                goto done;
        }
        use = tr;
    }
    if (o->class_weight_power > 0) {
        st = eo_class_weights(use->y, use->n, k, o->class_weight_power, cw, err);
        if (st)
            goto done;
    }
    if (!strcmp(o->model, "gbm")) {
        int nf = 0;
        c->waveform = (o->gbm_waveform ? EO_ML_FEAT_WAVEFORM : 0) |
                      (o->gbm_adaptive ? EO_ML_FEAT_ADAPTIVE : 0) |
                      (o->gbm_rhythm ? EO_ML_FEAT_RHYTHM : 0);
        st = eo_ml_features(use, c->waveform, &X, &nf, err);
        if (st)
            goto done;
        w = eo_malloc(use->n * sizeof *w);
        if (!w) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "classifier: weights");
            goto done;
        }
        for (size_t i = 0; i < use->n; i++)
            w[i] = (float)cw[use->y[i]];
        c->nf = nf;
        /* validation features only for the history (the hook) */
        size_t nv = 0;
        if (o->on_epoch && val && val->n) {
            int nfv = 0;
            st = eo_ml_features(val, c->waveform, &Xv, &nfv, err);
            if (st)
                goto done;
            if (nfv != nf) {
                st = eo_error_set(err, EO_STATUS_USAGE,
                                  "classifier: validation beats give %d features, training %d", nfv, nf);
                goto done;
            }
            nv = val->n;
        }
        st = eo_gbm_train(X, use->y, w, use->n, nf, k, Xv, nv ? val->y : NULL, nv, o, progress, user,
                          &c->gbm, err);
        if (st)
            goto done;
    } else {
        int mi = nn_model_index(o->model), in_c = 0;
        char spec[1024];
        if (o->spec && *o->spec)
            snprintf(spec, sizeof spec, "%s", o->spec);
        else
            snprintf(spec, sizeof spec, nn_models[mi].spec, k);
        st = nn_input(use, &X, &in_c, err);
        if (st)
            goto done;
        st = eo_nn_from_spec(spec, in_c, use->len, &c->nn, err);
        if (st) {
            eo_error_prefix(err, "model %s", o->model);
            goto done;
        }
        int oc = 0, ol = 0;
        eo_nn_output_shape(c->nn, &oc, &ol);
        if (oc * ol != k) {
            st = eo_error_set(err, EO_STATUS_USAGE,
                              "model %s: the network gives %d outputs, label set %s has %d classes",
                              o->model, oc * ol, eo_label_set_name(use->labels), k);
            goto done;
        }
        c->in_c = in_c;
        eo_nn_init(c->nn, nn_models[mi].init, &rng);
        if (o->threads > 0)
            eo_nn_set_threads(c->nn, o->threads);
        float fw[EO_LABELS_MAX_CLASSES];
        for (int j = 0; j < k; j++)
            fw[j] = (float)cw[j];
        eo_nn_train_options to;
        eo_nn_train_defaults(&to);
        to.epochs = o->epochs;
        to.batch_size = o->batch;
        eo_nn_loss_defaults(&to.loss, o->focal_gamma > 0 ? EO_NN_LOSS_FOCAL : EO_NN_LOSS_CROSS_ENTROPY);
        if (o->focal_gamma > 0)
            to.loss.gamma = (float)o->focal_gamma;
        to.loss.class_weights = o->class_weight_power > 0 ? fw : NULL;
        eo_nn_optim_defaults(&to.optim, EO_NN_OPTIM_ADAM);
        to.optim.lr = o->lr;
        to.optim.weight_decay = o->l2;
        to.seed = o->seed;
        to.progress = progress;
        to.progress_user = user;
        nn_hook hook = {o};
        if (o->on_epoch) {
            to.on_epoch = nn_on_epoch;
            to.epoch_user = &hook;
        }
        float *vx = NULL;
        eo_nn_data dtr = {X, use->y, NULL, (int)use->n}, dva = {0};
        if (val && val->n) {
            int vc = 0;
            st = nn_input(val, &vx, &vc, err);
            if (st)
                goto done;
            dva.x = vx;
            dva.labels = val->y;
            dva.n = (int)val->n;
            to.patience = 3;
            to.restore_best = 1;
        }
        eo_nn_train_report rep;
        memset(&rep, 0, sizeof rep);
        st = eo_nn_train(c->nn, &dtr, val && val->n ? &dva : NULL, &to, &rep, err);
        c->epochs_run = rep.epochs_run;
        c->best_epoch = rep.best_epoch;
        free(vx);
        if (st) {
            eo_error_prefix(err, "model %s", o->model);
            goto done;
        }
        const char *names[EO_LABELS_MAX_CLASSES];
        for (int j = 0; j < k; j++)
            names[j] = eo_label_class_name(use->labels, j);
        st = eo_nn_set_labels(c->nn, names, k, err);
        if (st)
            goto done;
    }
    c->train_s = eo_time_now() - t0;
done:
    free(X);
    free(Xv);
    free(w);
    eo_beats_destroy(tr);
    if (st) {
        eo_classifier_destroy(c);
        return st;
    }
    *out = c;
    return EO_STATUS_OK;
}

eo_status eo_classifier_predict(const eo_classifier *c, const eo_beats *b, int *pred, float *prob,
                                eo_error *err)
{
    if (!c || !b || !pred)
        return eo_error_set(err, EO_STATUS_USAGE, "classifier predict: NULL argument");
    eo_status st = eo_classifier_check(c, b, err);
    if (st)
        return st;
    float *X = NULL, *p = eo_malloc(b->n * (size_t)c->k * sizeof *p);
    if (!p)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "classifier predict: %zu beats", b->n);
    if (c->gbm) {
        int nf = 0;
        st = eo_ml_features(b, c->waveform, &X, &nf, err);
        if (!st && nf != c->nf)
            st = eo_error_set(err, EO_STATUS_UNSUPPORTED, "model has %d features, beats give %d",
                              c->nf, nf);
        if (!st)
            st = eo_gbm_predict(c->gbm, X, b->n, nf, p, err);
    } else if (c->nn) {
        int in_c = 0;
        st = nn_input(b, &X, &in_c, err);
        if (!st)
            st = eo_nn_predict(c->nn, X, (int)b->n, 256, p, err);
        if (!st)
            for (size_t i = 0; i < b->n; i++) { /* logits -> softmax */
                float *q = p + i * (size_t)c->k, mx = q[0];
                double s = 0;
                for (int j = 1; j < c->k; j++)
                    if (q[j] > mx)
                        mx = q[j];
                for (int j = 0; j < c->k; j++)
                    s += (q[j] = expf(q[j] - mx));
                for (int j = 0; j < c->k; j++)
                    q[j] = (float)(q[j] / s);
            }
    } else {
        st = eo_error_set(err, EO_STATUS_INTERNAL, "classifier %s has no model", c->model);
    }
    if (!st)
        for (size_t i = 0; i < b->n; i++) {
            const float *q = p + i * (size_t)c->k;
            int best = 0;
            for (int j = 1; j < c->k; j++)
                if (q[j] * c->scale[j] > q[best] * c->scale[best])
                    best = j;
            pred[i] = best;
        }
    if (!st && prob)
        memcpy(prob, p, b->n * (size_t)c->k * sizeof *prob);
    free(X);
    free(p);
    return st;
}

/* ---- model file -------------------------------------------------------- */

#define MAGIC "ecgopt-classifier 1\n"

eo_status eo_classifier_save(const eo_classifier *c, const char *path, eo_error *err)
{
    if (!c || !path)
        return eo_error_set(err, EO_STATUS_USAGE, "classifier save: NULL argument");
    unsigned char *pay = NULL;
    size_t n = 0;
    eo_status st = c->gbm ? eo_gbm_save_mem(c->gbm, &pay, &n, err)
                          : eo_nn_save_mem(c->nn, &pay, &n, err);
    if (st) {
        eo_error_prefix(err, "%s", path);
        return st;
    }
    eo_atomic_file af;
    st = eo_atomic_open(&af, path, err);
    if (st) {
        free(pay);
        return st;
    }
    const eo_beats_options *h = &c->how;
    fprintf(af.fp, MAGIC);
    fprintf(af.fp, "model %s\nlabels %s\nclasses %d\nfs %.17g\nwindow %d %d\nleads %d %s %s\n",
            c->model, eo_label_set_name(c->labels), c->k, c->fs, c->before, c->len, c->n_leads,
            h->leads[0][0] ? h->leads[0] : "-", h->leads[1][0] ? h->leads[1] : "-");
    fprintf(af.fp, "before_s %.17g\nafter_s %.17g\nwindow_samples %d\nalign_s %.17g\n", h->before_s,
            h->after_s, h->window_samples, h->align_s);
    fprintf(af.fp, "band %.17g %.17g %d\nbaseline %d\nnorm %d\nlocal_beats %d\nfeatures %d %d\n",
            h->band_lo_hz, h->band_hi_hz, h->band_order, h->baseline_median, (int)h->norm,
            h->local_beats, c->nf, c->waveform);
    fprintf(af.fp, "class_scale");
    for (int j = 0; j < c->k; j++)
        fprintf(af.fp, " %.17g", c->scale[j]);
    fprintf(af.fp, "\n");
    fprintf(af.fp, "train_seconds %.3f\npayload %zu %08x\n\n", c->train_s, n, eo_crc32(0, pay, n));
    if (fwrite(pay, 1, n, af.fp) != n) {
        free(pay);
        eo_atomic_abort(&af);
        return eo_error_set(err, EO_STATUS_IO, "%s: write failed", path);
    }
    free(pay);
    return eo_atomic_commit(&af, err);
}

eo_status eo_classifier_load(const char *path, eo_classifier **out, eo_error *err)
{
    if (!path || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "classifier load: NULL argument");
    *out = NULL;
    unsigned char *data = NULL;
    size_t n = 0;
    eo_status st = eo_read_file(path, &data, &n, err);
    if (st)
        return st;
    st = eo_classifier_load_mem(data, n, path, out, err);
    free(data);
    return st;
}

eo_status eo_classifier_load_mem(const unsigned char *data, size_t n, const char *path,
                                 eo_classifier **out, eo_error *err)
{
    if (!data || !path || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "classifier load: NULL argument");
    *out = NULL;
    eo_status st = EO_STATUS_OK;
    if (n < strlen(MAGIC) || memcmp(data, MAGIC, strlen(MAGIC))) {
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: not an ecgopt classifier (first line should be 'ecgopt-classifier 1')",
                            path);
    }
    const char *hdr_end = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (data[i] == '\n' && data[i + 1] == '\n') {
            hdr_end = (const char *)data + i + 2;
            break;
        }
    eo_classifier *c = eo_calloc(1, sizeof *c);
    if (!c) {
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: classifier", path);
    }
    if (!hdr_end) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header has no end (blank line)", path);
        goto fail;
    }
    eo_beats_defaults(&c->how);
    for (int j = 0; j < EO_LABELS_MAX_CLASSES; j++)
        c->scale[j] = 1.0;
    size_t pay_n = (size_t)-1;
    unsigned crc = 0;
    int have = 0;
    char labels[32] = "", l0[32] = "", l1[32] = "";
    const char *p = (const char *)data + strlen(MAGIC);
    while (p < hdr_end - 1) {
        const char *e = memchr(p, '\n', (size_t)(hdr_end - p));
        if (!e)
            break;
        char line[256];
        size_t ln = (size_t)(e - p) < sizeof line - 1 ? (size_t)(e - p) : sizeof line - 1;
        memcpy(line, p, ln);
        line[ln] = 0;
        p = e + 1;
        int norm = 0;
        if (!strncmp(line, "class_scale", 11)) {
            /* optional (absent in older files: all 1) */
            const char *q = line + 11;
            for (int j = 0; j < EO_LABELS_MAX_CLASSES && *q; j++) {
                char *end = NULL;
                double v = strtod(q, &end);
                if (end == q)
                    break;
                if (!(v > 0) || !isfinite(v)) {
                    st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                      "%s: class_scale %g is not a positive number", path, v);
                    goto fail;
                }
                c->scale[j] = v;
                q = end;
            }
        } else if (sscanf(line, "model %15s", c->model) == 1)
            have |= 1;
        else if (sscanf(line, "labels %31s", labels) == 1)
            have |= 2;
        else if (sscanf(line, "classes %d", &c->k) == 1)
            have |= 4;
        else if (sscanf(line, "fs %lf", &c->fs) == 1)
            have |= 8;
        else if (sscanf(line, "window %d %d", &c->before, &c->len) == 2)
            have |= 16;
        else if (sscanf(line, "leads %d %31s %31s", &c->n_leads, l0, l1) == 3)
            have |= 32;
        else if (sscanf(line, "before_s %lf", &c->how.before_s) == 1 ||
                 sscanf(line, "after_s %lf", &c->how.after_s) == 1 ||
                 sscanf(line, "window_samples %d", &c->how.window_samples) == 1 ||
                 sscanf(line, "align_s %lf", &c->how.align_s) == 1 ||
                 sscanf(line, "band %lf %lf %d", &c->how.band_lo_hz, &c->how.band_hi_hz,
                        &c->how.band_order) == 3 ||
                 sscanf(line, "baseline %d", &c->how.baseline_median) == 1 ||
                 sscanf(line, "local_beats %d", &c->how.local_beats) == 1 ||
                 sscanf(line, "features %d %d", &c->nf, &c->waveform) == 2 ||
                 sscanf(line, "train_seconds %lf", &c->train_s) == 1)
            ;
        else if (sscanf(line, "norm %d", &norm) == 1)
            c->how.norm = (eo_beat_norm)norm;
        else if (sscanf(line, "payload %zu %x", &pay_n, &crc) == 2)
            have |= 64;
        else {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header line '%s' not understood",
                              path, line);
            goto fail;
        }
    }
    if (have != 127) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header lacks a required field (mask %d)",
                          path, have);
        goto fail;
    }
    st = eo_label_set_parse(labels, &c->labels, err);
    if (st) {
        eo_error_prefix(err, "%s", path);
        goto fail;
    }
    c->how.labels = c->labels;
    if (c->k != eo_label_set_n_classes(c->labels) || !(c->fs > 0) || c->len < 1 ||
        c->before < 0 || c->before >= c->len || c->n_leads < 1 || c->n_leads > 2 ||
        c->how.local_beats < 1 || !eo_classifier_model_known(c->model) || c->waveform < 0 ||
        c->waveform > (EO_ML_FEAT_WAVEFORM | EO_ML_FEAT_ADAPTIVE | EO_ML_FEAT_RHYTHM)) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: inconsistent header (model %s, %d classes, "
                          "%g Hz, window %d/%d, %d leads)", path, c->model, c->k, c->fs, c->before,
                          c->len, c->n_leads);
        goto fail;
    }
    snprintf(c->how.leads[0], sizeof c->how.leads[0], "%s", strcmp(l0, "-") ? l0 : "");
    snprintf(c->how.leads[1], sizeof c->how.leads[1], "%s", strcmp(l1, "-") ? l1 : "");
    size_t off = (size_t)(hdr_end - (const char *)data);
    if (pay_n != n - off) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: payload is %zu bytes, header says %zu",
                          path, n - off, pay_n);
        goto fail;
    }
    if (eo_crc32(0, data + off, pay_n) != (uint32_t)crc) {
        st = eo_error_set(err, EO_STATUS_BAD_CHECKSUM, "%s: payload CRC-32 mismatch", path);
        goto fail;
    }
    if (!strcmp(c->model, "gbm")) {
        if (c->nf < 1) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: gbm model without a feature count", path);
            goto fail;
        }
        st = eo_gbm_load_mem(data + off, pay_n, c->k, &c->gbm, err);
    } else {
        st = eo_nn_load_mem(data + off, pay_n, path, &c->nn, err);
        if (!st) {
            int ic = 0, il = 0, oc = 0, ol = 0;
            eo_nn_input_shape(c->nn, &ic, &il);
            eo_nn_output_shape(c->nn, &oc, &ol);
            c->in_c = ic;
            if (ic != c->n_leads + N_RR_CHANNELS || il != c->len || oc * ol != c->k)
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s: network shape %dx%d -> %d does not match the header", path,
                                  ic, il, oc * ol);
        }
    }
    if (st) {
        eo_error_prefix(err, "%s", path);
        goto fail;
    }
    *out = c;
    return EO_STATUS_OK;
fail:
    eo_classifier_destroy(c);
    return st;
}

eo_status eo_classify_record(const eo_classifier *c, const char *base,
                             const eo_annotation_set *positions, eo_annotation_set **out,
                             eo_error *err)
{
    return eo_classify_record_lead(c, base, positions, NULL, out, err);
}

eo_status eo_classify_record_lead(const eo_classifier *c, const char *base,
                                  const eo_annotation_set *positions, const char *lead,
                                  eo_annotation_set **out, eo_error *err)
{
    if (!c || !base || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "classify: NULL argument");
    *out = NULL;
    eo_status st = EO_STATUS_OK;
    eo_annotation_set *ref = NULL, *res = NULL;
    eo_beats *b = NULL;
    int *pred = NULL;
    if (!positions) {
        char path[4200];
        snprintf(path, sizeof path, "%s.atr", base);
        st = eo_annot_read(path, &ref, err);
        if (st)
            return st;
        eo_annotation_set *beats_only = eo_annot_set_new();
        if (!beats_only) {
            eo_annot_set_destroy(ref);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "classify: beat list");
        }
        for (size_t i = 0; i < ref->n && !st; i++)
            if (eo_annot_is_beat(ref->items[i].code)) {
                eo_annotation a = {0};
                a.sample = ref->items[i].sample;
                a.code = ref->items[i].code;
                st = eo_annot_set_push(beats_only, &a, err);
            }
        eo_annot_set_destroy(ref);
        ref = beats_only;
        positions = ref;
        if (st)
            goto done;
    }
    eo_beats_options how = c->how;
    how.keep_unlabelled = 1;
    /* a record at another rate is resampled to the model's; the beats keep
     * the record's own positions */
    how.fs_hz = c->fs;
    if (lead && *lead)
        snprintf(how.leads[0], sizeof how.leads[0], "%s", lead);
    b = eo_beats_new();
    res = eo_annot_set_new();
    if (!b || !res) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "classify: beats");
        goto done;
    }
    st = eo_beats_add_record(b, base, positions, &how, err);
    if (st)
        goto done;
    pred = eo_malloc(b->n * sizeof *pred);
    if (!pred) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "classify: %zu beats", b->n);
        goto done;
    }
    st = eo_classifier_predict(c, b, pred, NULL, err);
    if (st) {
        eo_error_prefix(err, "%s", base);
        goto done;
    }
    size_t j = 0;
    long last = -1;
    for (size_t i = 0; i < positions->n && !st; i++) {
        long t = positions->items[i].sample;
        if (t <= last)
            continue; /* same de-duplication as the extraction */
        last = t;
        /* with alignment the beat may have moved by up to align_s */
        long w = (long)(how.align_s * b->src_fs_hz + 0.5);
        size_t best = eo_beats_nearest(b, t, w, &j);
        eo_annotation a = {0};
        a.sample = t;
        a.chan = positions->items[i].chan;
        a.code = best < b->n ? eo_label_class_code(c->labels, pred[best]) : 13;
        st = eo_annot_set_push(res, &a, err);
    }
done:
    free(pred);
    eo_beats_destroy(b);
    eo_annot_set_destroy(ref);
    if (st) {
        eo_annot_set_destroy(res);
        return st;
    }
    *out = res;
    return EO_STATUS_OK;
}

size_t eo_beats_nearest(const eo_beats *b, long t, long w, size_t *j)
{
    while (*j < b->n && b->sample[*j] < t - w)
        (*j)++;
    size_t best = b->n;
    for (size_t q = *j; q < b->n && b->sample[q] <= t + w; q++)
        if (best == b->n || labs(b->sample[q] - t) < labs(b->sample[best] - t))
            best = q;
    return best;
}
