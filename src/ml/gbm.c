/* Gradient-boosted trees through XGBoost's C API (Chen & Guestrin 2016,
 * "XGBoost: a scalable tree boosting system", KDD): multi:softprob, hist
 * tree method.  ecgopt only marshals data in and out; every tree is
 * XGBoost's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

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

eo_status eo_gbm_train(const float *X, const int *y, const float *w, size_t n, int nf, int k,
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
    float *lab = malloc(n * sizeof *lab);
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
    DMatrixHandle dm = NULL;
    eo_gbm *g = calloc(1, sizeof *g);
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
    for (int it = 0; it < o->gbm_rounds; it++) {
        if (XGBoosterUpdateOneIter(g->booster, it, dm)) {
            st = xgb_fail(err, "boosting round");
            goto done;
        }
        if (progress && progress(user, it + 1, o->gbm_rounds, "boosting")) {
            st = eo_error_set(err, EO_STATUS_USAGE, "gbm: cancelled");
            goto done;
        }
    }
done:
    if (dm)
        XGDMatrixFree(dm);
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
    unsigned char *c = malloc((size_t)len + 1);
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
    eo_gbm *g = calloc(1, sizeof *g);
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
