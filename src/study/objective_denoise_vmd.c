/* denoise-vmd-iaoa (Xing et al. 2025): VMD's number of modes K and penalty alpha
 * chosen by the improved Arithmetic Optimization Algorithm, fitness the
 * mean envelope entropy of the modes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/beats.h"
#include "ecgopt/vmd.h"
#include "ecgopt/wfdb.h"
#include "study/objective_internal.h"

typedef struct vmd_data {
    double *x;
    size_t n;
    double fs;
} vmd_data;

static const eo_param_def SPACE[] = {
    EO_PARAM_INT_DEF("K", 2, 12, 0),
    EO_PARAM_REAL_DEF("alpha", 100, 10000, 1),
};

static void vmd_free(void *state)
{
    vmd_data *d = state;
    if (d)
        free(d->x);
    free(d);
}

static eo_status vmd_prepare(eo_objective *o, eo_error *err)
{
    /* Xing et al. 2025 decomposes noisy ECG segments; we use the first 10 s of
     * record 100 (MLII, baseline wander included) */
    char base[4096];
    eo_status st = eo_data_find_record(eo_objective_data_dir(o), "100", "hea", base, sizeof base,
                                       err);
    if (st != EO_STATUS_OK)
        return st;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    eo_wfdb_record *r = NULL;
    st = eo_wfdb_record_load(base, &ro, &r, err);
    if (st != EO_STATUS_OK)
        return st;
    vmd_data *d = calloc(1, sizeof *d);
    if (d) {
        d->fs = r->fs_hz;
        d->n = (size_t)lround(10 * r->fs_hz);
        d->x = malloc(d->n * sizeof(double));
    }
    if (!d || !d->x)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", o->name);
    else
        st = eo_wfdb_record_physical(r, 0, 0, (long)d->n, d->x, err);
    eo_wfdb_record_destroy(r);
    if (st != EO_STATUS_OK) {
        vmd_free(d);
        return st;
    }
    o->state = d;
    return EO_STATUS_OK;
}

static eo_status vmd_eval(eo_objective *o, const double *v, uint64_t seed, double fidelity,
                          eo_trial_result *res, eo_error *err)
{
    (void)seed, (void)fidelity;
    const vmd_data *d = o->state;
    eo_vmd_options vo;
    eo_vmd_defaults(&vo);
    eo_vmd *vmd = NULL;
    eo_status st = eo_vmd_create(&vmd, d->n, &vo, err);
    if (st != EO_STATUS_OK)
        return st;
    double mee = NAN;
    int K = (int)v[0];
    st = eo_vmd_mee_objective(vmd, d->x, d->fs, K, v[1], &mee, err);
    eo_vmd_destroy(vmd);
    if (st != EO_STATUS_OK)
        return st;
    res->fitness = mee;
    snprintf(res->info, sizeof res->info, "mee=%.6g K=%d alpha=%.4g", mee, K, v[1]);
    return EO_STATUS_OK;
}

const eo_objective_kind eo_objective_denoise_vmd_iaoa = {
    .name = "denoise-vmd-iaoa",
    .summary = "VMD K and alpha by mean envelope entropy, IAOA (Xing et al. 2025)",
    .space = SPACE,
    .dim = sizeof SPACE / sizeof *SPACE,
    .optimizer = "iaoa",
    .pop = 8,
    .iters = 6,
    .timeout_s = 600,
    .prepare = vmd_prepare,
    .eval = vmd_eval,
    .free_state = vmd_free,
};
