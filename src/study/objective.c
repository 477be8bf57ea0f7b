/* The objective object: a search space plus the function that scores one
 * configuration.  Presets are kinds (objective_<name>.c, listed in
 * objective_registry.c); eo_objective_create wraps a caller's function and
 * eo_objective_from_file (objective_command.c) a shell command. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/objective_internal.h"

void eo_objective_defaults(eo_objective_options *o)
{
    memset(o, 0, sizeof *o);
    o->data_fraction = 1.0;
    o->threads = 1;
}

eo_status eo_objective_alloc(const char *name, const eo_objective_kind *kind, eo_objective **out,
                             eo_error *err)
{
    *out = NULL;
    eo_objective *o = calloc(1, sizeof *o);
    if (!o)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "objective %s: out of memory", name);
    snprintf(o->name, sizeof o->name, "%s", name);
    o->kind = kind;
    snprintf(o->default_opt, sizeof o->default_opt, "%s", kind && kind->optimizer ? kind->optimizer : "ga");
    o->pop = kind ? kind->pop : 10;
    o->iters = kind ? kind->iters : 10;
    o->timeout = kind ? kind->timeout_s : 0;
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
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "objective %s: out of memory", name);
    snprintf(o->name, sizeof o->name, "%s", name);
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
    if (o->state && o->kind && o->kind->free_state)
        o->kind->free_state(o->state);
    eo_space_destroy(o->space);
    free(o);
}

const char *eo_objective_name(const eo_objective *o) { return o->name; }
const eo_space *eo_objective_space(const eo_objective *o) { return o->space; }
const char *eo_objective_default_optimizer(const eo_objective *o) { return o->default_opt; }
size_t eo_objective_default_pop(const eo_objective *o) { return o->pop; }
long long eo_objective_default_iters(const eo_objective *o) { return o->iters; }
double eo_objective_default_timeout(const eo_objective *o) { return o->timeout; }

const char *eo_objective_data_dir(const eo_objective *o)
{
    return o->data_dir[0] ? o->data_dir : NULL;
}

double eo_objective_value(const eo_objective *o, const double *values, const char *name)
{
    long i = eo_space_find(o->space, name);
    return i >= 0 ? values[i] : NAN;
}

double eo_objective_cat_num(const eo_objective *o, const double *values, const char *name)
{
    long i = eo_space_find(o->space, name);
    const char *c = i >= 0 ? eo_space_choice(o->space, (size_t)i, (size_t)values[i]) : NULL;
    return c ? atof(c) : NAN;
}

static eo_status space_from_table(eo_space *sp, const eo_param_def *t, size_t n, eo_error *err)
{
    eo_status st = EO_STATUS_OK;
    for (size_t i = 0; i < n && st == EO_STATUS_OK; i++) {
        switch (t[i].kind) {
        case EO_PARAM_CONTINUOUS:
            st = eo_space_add_real(sp, t[i].name, t[i].lo, t[i].hi, t[i].log_scale, err);
            break;
        case EO_PARAM_INTEGER:
            st = eo_space_add_int(sp, t[i].name, (long long)t[i].lo, (long long)t[i].hi,
                                  t[i].log_scale, err);
            break;
        case EO_PARAM_CATEGORICAL:
            st = eo_space_add_categorical(sp, t[i].name, t[i].choices, t[i].n_choices, err);
            break;
        }
    }
    return st;
}

eo_status eo_objective_preset(const char *name, const eo_objective_options *opts,
                              eo_objective **out, eo_error *err)
{
    *out = NULL;
    const eo_objective_kind *k = eo_objective_kind_find(name ? name : "");
    if (!k) {
        char list[512] = "";
        size_t len = 0;
        for (const char *const *p = eo_objective_preset_names(); *p; p++)
            len += (size_t)snprintf(list + len, len < sizeof list ? sizeof list - len : 0, "%s%s",
                                    len ? ", " : "", *p);
        return eo_error_set(err, EO_STATUS_NOT_FOUND, "preset '%s' does not exist (presets: %s)",
                            name ? name : "", list);
    }
    eo_objective *o = NULL;
    eo_status st = eo_objective_alloc(k->name, k, &o, err);
    if (st != EO_STATUS_OK)
        return st;
    if (opts)
        o->oo = *opts;
    if (!(o->oo.data_fraction > 0) || o->oo.data_fraction > 1)
        o->oo.data_fraction = 1;
    if (o->oo.data_dir)
        snprintf(o->data_dir, sizeof o->data_dir, "%s", o->oo.data_dir);
    o->oo.data_dir = NULL;
    o->prepared = k->prepare == NULL;
    st = space_from_table(o->space, k->space, k->dim, err);
    if (st != EO_STATUS_OK) {
        eo_objective_destroy(o);
        return st;
    }
    *out = o;
    return EO_STATUS_OK;
}

eo_status eo_objective_prepare(eo_objective *o, eo_error *err)
{
    if (!o)
        return eo_error_set(err, EO_STATUS_USAGE, "objective: NULL");
    if (o->prepared)
        return EO_STATUS_OK;
    eo_status st = o->kind && o->kind->prepare ? o->kind->prepare(o, err) : EO_STATUS_OK;
    if (st == EO_STATUS_OK)
        o->prepared = 1;
    return st;
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
    if (!o->kind)
        return o->fn(o->user, values, eo_space_dim(o->space), seed, fidelity, res, err);
    return o->kind->eval(o, values, seed, fidelity, res, err);
}

eo_status eo_objective_finalize(eo_objective *o, const double *values, uint64_t seed,
                                const char *model_path, double test[4], const char *names[4],
                                int *n_out, eo_error *err)
{
    *n_out = 0;
    eo_status st = eo_objective_prepare(o, err);
    if (st != EO_STATUS_OK || !o->kind || !o->kind->finalize)
        return st;
    return o->kind->finalize(o, values, seed, model_path, test, names, n_out, err);
}
