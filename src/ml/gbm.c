/* Gradient-boosted trees through XGBoost's C API (Chen & Guestrin 2016,
 * "XGBoost: a scalable tree boosting system", KDD): multi:softprob, hist
 * tree method.  ecgopt only marshals data in and out; every tree is
 * XGBoost's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

#include "ecgopt/alloc.h"
#include "ml_internal.h"

struct eo_gbm {
    BoosterHandle booster;
    int k;
};

/* XGBoost's messages carry a stack trace on further lines: keep the first */
static const char *xgb_msg(char *buf, size_t n)
{
    const char *m = XGBGetLastError();
    snprintf(buf, n, "%s", m ? m : "unknown error");
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = 0;
    return buf;
}

static eo_status xgb_fail(eo_error *err, const char *what)
{
    char b[400];
    return eo_error_set(err, EO_STATUS_INTERNAL, "xgboost: %s: %s", what, xgb_msg(b, sizeof b));
}

void eo_gbm_destroy(eo_gbm *g)
{
    if (!g)
        return;
    if (g->booster)
        XGBoosterFree(g->booster);
    free(g);
}

double eo_gbm_eval_value(const char *s, const char *name, const char *metric)
{
    if (!s || !name || !metric)
        return NAN;
    char key[96];
    int kl = snprintf(key, sizeof key, "%s-%s:", name, metric);
    if (kl <= 0 || (size_t)kl >= sizeof key)
        return NAN;
    /* the key must start a field ("[i]\tkey" or after a tab/space), so that
     * "val-" does not match inside "eval-" */
    for (const char *p = strstr(s, key); p; p = strstr(p + 1, key)) {
        if (p != s && p[-1] != '\t' && p[-1] != ' ' && p[-1] != ']')
            continue;
        char *e;
        double v = strtod(p + kl, &e);
        return e == p + kl ? NAN : v;
    }
    return NAN;
}

/* A DMatrix of rows with labels (and weights w, may be NULL); rows whose
 * label is outside [0, k) are left out.  *dm stays NULL when none is left. */
static eo_status make_dmatrix(const float *X, const int *y, const float *w, size_t n, int nf, int k,
                              DMatrixHandle *dm, eo_error *err)
{
    *dm = NULL;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += y[i] >= 0 && y[i] < k;
    if (m == 0)
        return EO_STATUS_OK;
    float *lab = eo_malloc(m * sizeof *lab), *xs = NULL, *ws = NULL;
    if (!lab)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "gbm: %zu labels", m);
    const float *xu = X, *wu = w;
    if (m < n) { /* copy the labelled rows only */
        xs = eo_malloc(m * (size_t)nf * sizeof *xs);
        ws = w ? eo_malloc(m * sizeof *ws) : NULL;
        if (!xs || (w && !ws)) {
            free(lab);
            free(xs);
            free(ws);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "gbm: %zu evaluation rows", m);
        }
        xu = xs;
        wu = ws;
    }
    for (size_t i = 0, j = 0; i < n; i++) {
        if (y[i] < 0 || y[i] >= k)
            continue;
        lab[j] = (float)y[i];
        if (xs) {
            memcpy(xs + j * (size_t)nf, X + i * (size_t)nf, (size_t)nf * sizeof *xs);
            if (ws)
                ws[j] = w[i];
        }
        j++;
    }
    eo_status st = EO_STATUS_OK;
    if (XGDMatrixCreateFromMat(xu, (bst_ulong)m, (bst_ulong)nf, -1e30f, dm))
        st = xgb_fail(err, "DMatrix");
    else if (XGDMatrixSetFloatInfo(*dm, "label", lab, (bst_ulong)m) ||
             (wu && XGDMatrixSetFloatInfo(*dm, "weight", wu, (bst_ulong)m)))
        st = xgb_fail(err, "labels");
    if (st && *dm) {
        XGDMatrixFree(*dm);
        *dm = NULL;
    }
    free(lab);
    free(xs);
    free(ws);
    return st;
}

eo_status eo_gbm_train(const float *X, const int *y, const float *w, size_t n, int nf, int k,
                       const float *Xv, const int *yv, size_t nv,
                       const eo_classifier_options *o, eo_progress_fn progress, void *user,
                       eo_gbm **out, eo_error *err)
{
    if (!X || !y || !o || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "gbm: NULL argument");
    *out = NULL;
    if (n == 0 || nf <= 0 || k < 2)
        return eo_error_set(err, EO_STATUS_USAGE, "gbm: %zu rows, %d features, %d classes", n, nf,
                            k);
    if (o->gbm_rounds < 1 || o->gbm_depth < 1 || !(o->gbm_eta > 0) || !(o->gbm_subsample > 0) ||
        o->gbm_subsample > 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "gbm: rounds %d, depth %d, eta %g, subsample %g", o->gbm_rounds,
                            o->gbm_depth, o->gbm_eta, o->gbm_subsample);
    float *lab = eo_malloc(n * sizeof *lab);
    if (!lab)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "gbm: %zu labels", n);
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || y[i] >= k) {
            free(lab);
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "gbm: label %d of row %zu not in [0, %d)",
                                y[i], i, k);
        }
        lab[i] = (float)y[i];
    }
    eo_status st = EO_STATUS_OK;
    DMatrixHandle dm = NULL, dtr = NULL, dva = NULL;
    eo_gbm *g = eo_calloc(1, sizeof *g);
    if (!g) {
        free(lab);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "gbm: booster");
    }
    g->k = k;
    if (XGDMatrixCreateFromMat(X, (bst_ulong)n, (bst_ulong)nf, -1e30f, &dm)) {
        st = xgb_fail(err, "DMatrix");
        goto done;
    }
    if (XGDMatrixSetFloatInfo(dm, "label", lab, (bst_ulong)n) ||
        (w && XGDMatrixSetFloatInfo(dm, "weight", w, (bst_ulong)n))) {
        st = xgb_fail(err, "labels");
        goto done;
    }
    if (XGBoosterCreate(&dm, 1, &g->booster)) {
        st = xgb_fail(err, "booster");
        goto done;
    }
    struct {
        const char *key;
        char val[64];
    } params[9];
    int np = 0;
#define P(kk, ...)                                                    \
    do {                                                              \
        params[np].key = kk;                                          \
        snprintf(params[np].val, sizeof params[np].val, __VA_ARGS__); \
        np++;                                                         \
    } while (0)
    P("objective", "multi:softprob");
    P("num_class", "%d", k);
    P("tree_method", "hist");
    P("max_depth", "%d", o->gbm_depth);
    P("eta", "%g", o->gbm_eta);
    P("subsample", "%g", o->gbm_subsample);
    P("colsample_bytree", "0.8");
    P("seed", "%llu", (unsigned long long)(o->seed & 0x7fffffff));
    /* threads <= 0: one thread.  XGBoost's OpenMP workers spin while they
     * wait; on a loaded 2-core machine "all cores" made training 40x slower
     * (458 s instead of 12 s for DS1). */
    P("nthread", "%d", o->threads > 0 ? o->threads : 1);
#undef P
    for (int i = 0; i < np; i++) {
        if (XGBoosterSetParam(g->booster, params[i].key, params[i].val)) {
            st = xgb_fail(err, params[i].key);
            goto done;
        }
    }
    /* The history (o->on_epoch): XGBoost evaluates mlogloss and merror on
     * matrices of its own after each round.  They carry no weights, so the
     * figures are the plain per-beat cross-entropy and error whatever the
     * class weights of the boosting (an unweighted copy of the training rows
     * when it is weighted).  Evaluation only predicts (through XGBoost's
     * prediction cache, one new tree per class per round): it draws no random
     * numbers and changes no tree, so the model is the same with or without
     * the hook (tests/ml: gbm_history_hook). */
    const char *ev_names[2] = {NULL, NULL};
    DMatrixHandle ev[2] = {NULL, NULL};
    bst_ulong n_ev = 0;
    if (o->on_epoch) {
        if (w) {
            st = make_dmatrix(X, y, NULL, n, nf, k, &dtr, err);
            if (st)
                goto done;
        }
        if (Xv && yv && nv) {
            st = make_dmatrix(Xv, yv, NULL, nv, nf, k, &dva, err);
            if (st)
                goto done;
        }
        ev[n_ev] = dtr ? dtr : dm;
        ev_names[n_ev++] = "train";
        if (dva) {
            ev[n_ev] = dva;
            ev_names[n_ev++] = "val";
        }
        if (XGBoosterSetParam(g->booster, "eval_metric", "mlogloss") ||
            XGBoosterSetParam(g->booster, "eval_metric", "merror")) {
            st = xgb_fail(err, "eval_metric");
            goto done;
        }
    }
    for (int it = 0; it < o->gbm_rounds; it++) {
        if (XGBoosterUpdateOneIter(g->booster, it, dm)) {
            st = xgb_fail(err, "boosting round");
            goto done;
        }
        if (o->on_epoch) {
            const char *res = NULL;
            if (XGBoosterEvalOneIter(g->booster, it, ev, ev_names, n_ev, &res)) {
                st = xgb_fail(err, "evaluation");
                goto done;
            }
            eo_classifier_epoch e = {it + 1, o->gbm_rounds, NAN, NAN, NAN, NAN};
            e.train_loss = eo_gbm_eval_value(res, "train", "mlogloss");
            e.train_acc = 1.0 - eo_gbm_eval_value(res, "train", "merror");
            if (dva) {
                e.val_loss = eo_gbm_eval_value(res, "val", "mlogloss");
                e.val_acc = 1.0 - eo_gbm_eval_value(res, "val", "merror");
            }
            o->on_epoch(o->on_epoch_user, &e);
        }
        if (progress && progress(user, it + 1, o->gbm_rounds, "boosting")) {
            st = eo_error_set(err, EO_STATUS_USAGE, "gbm: cancelled");
            goto done;
        }
    }
done:
    if (dm)
        XGDMatrixFree(dm);
    if (dtr)
        XGDMatrixFree(dtr);
    if (dva)
        XGDMatrixFree(dva);
    free(lab);
    if (st) {
        eo_gbm_destroy(g);
        return st;
    }
    *out = g;
    return EO_STATUS_OK;
}

eo_status eo_gbm_predict(const eo_gbm *g, const float *X, size_t n, int nf, float *prob,
                         eo_error *err)
{
    if (!g || !X || !prob)
        return eo_error_set(err, EO_STATUS_USAGE, "gbm predict: NULL argument");
    if (n == 0)
        return EO_STATUS_OK;
    DMatrixHandle dm = NULL;
    if (XGDMatrixCreateFromMat(X, (bst_ulong)n, (bst_ulong)nf, -1e30f, &dm))
        return xgb_fail(err, "DMatrix");
    bst_ulong len = 0;
    const float *res = NULL;
    eo_status st = EO_STATUS_OK;
    if (XGBoosterPredict(g->booster, dm, 0, 0, 0, &len, &res))
        st = xgb_fail(err, "predict");
    else if (len != (bst_ulong)n * (bst_ulong)g->k)
        st = eo_error_set(err, EO_STATUS_INTERNAL, "gbm predict: %llu outputs for %zu rows x %d",
                          (unsigned long long)len, n, g->k);
    else
        memcpy(prob, res, n * (size_t)g->k * sizeof *prob);
    XGDMatrixFree(dm);
    return st;
}

eo_status eo_gbm_save_mem(const eo_gbm *g, unsigned char **data, size_t *n, eo_error *err)
{
    if (!g || !data || !n)
        return eo_error_set(err, EO_STATUS_USAGE, "gbm save: NULL argument");
    bst_ulong len = 0;
    const char *buf = NULL;
    if (XGBoosterSaveModelToBuffer(g->booster, "{\"format\": \"ubj\"}", &len, &buf))
        return xgb_fail(err, "save");
    unsigned char *c = eo_malloc((size_t)len + 1);
    if (!c)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "gbm save: %llu bytes",
                            (unsigned long long)len);
    memcpy(c, buf, (size_t)len);
    *data = c;
    *n = (size_t)len;
    return EO_STATUS_OK;
}

eo_status eo_gbm_load_mem(const unsigned char *data, size_t n, int k, eo_gbm **out, eo_error *err)
{
    if (!data || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "gbm load: NULL argument");
    *out = NULL;
    eo_gbm *g = eo_calloc(1, sizeof *g);
    if (!g)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "gbm load");
    g->k = k;
    if (XGBoosterCreate(NULL, 0, &g->booster)) {
        free(g);
        return xgb_fail(err, "booster");
    }
    if (XGBoosterLoadModelFromBuffer(g->booster, data, (bst_ulong)n)) {
        char b[400];
        eo_status st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "gbm model payload: %s",
                                    xgb_msg(b, sizeof b));
        eo_gbm_destroy(g);
        return st;
    }
    *out = g;
    return EO_STATUS_OK;
}
