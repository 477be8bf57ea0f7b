/* Search space: named dimensions and the map between the normalised box
 * [0,1]^D the optimisers work in and the values the objective sees.
 *
 * Discrete dimensions cut [0,1] into equal cells (cell k of n is
 * [k/n, (k+1)/n), u = 1 belongs to the last cell), so every value has the same
 * share of the box and rounding is done here, once, for all optimisers. */
#include "ecgopt/opt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct eo_dim {
    char name[64];
    eo_param_kind kind;
    int log_scale;
    double lo, hi;          /* values; categorical: 0..n-1 */
    size_t levels;          /* 0 continuous */
    char **choices;         /* categorical */
} eo_dim;

struct eo_space {
    eo_dim *dims;
    size_t n, cap;
};

eo_status eo_space_create(eo_space **out, eo_error *err)
{
    if (!out)
        return eo_error_set(err, EO_STATUS_USAGE, "eo_space_create: out is NULL");
    *out = calloc(1, sizeof(eo_space));
    if (!*out)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "search space: out of memory");
    return EO_STATUS_OK;
}

static void dim_free(eo_dim *d)
{
    if (d->choices) {
        for (size_t k = 0; k < d->levels; k++)
            free(d->choices[k]);
        free(d->choices);
    }
    d->choices = NULL;
}

void eo_space_destroy(eo_space *space)
{
    if (!space)
        return;
    for (size_t i = 0; i < space->n; i++)
        dim_free(&space->dims[i]);
    free(space->dims);
    free(space);
}

static eo_status check_name(eo_space *space, const char *name, eo_error *err)
{
    if (!space)
        return eo_error_set(err, EO_STATUS_USAGE, "search space: space is NULL");
    if (!name || !*name || strlen(name) > 63)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "search space: dimension name must be 1..63 characters");
    if (eo_space_find(space, name) >= 0)
        return eo_error_set(err, EO_STATUS_USAGE, "search space: duplicate dimension '%s'",
                            name);
    return EO_STATUS_OK;
}

static eo_dim *push(eo_space *space, const char *name, eo_error *err)
{
    if (space->n == space->cap) {
        size_t nc = space->cap ? 2 * space->cap : 8;
        eo_dim *nd = realloc(space->dims, nc * sizeof(eo_dim));
        if (!nd) {
            eo_error_set(err, EO_STATUS_NO_MEMORY, "search space: out of memory");
            return NULL;
        }
        space->dims = nd;
        space->cap = nc;
    }
    eo_dim *d = &space->dims[space->n];
    memset(d, 0, sizeof *d);
    strcpy(d->name, name);
    return d;
}

eo_status eo_space_add_real(eo_space *space, const char *name, double lo, double hi,
                            int log_scale, eo_error *err)
{
    eo_status st = check_name(space, name, err);
    if (st)
        return st;
    if (!isfinite(lo) || !isfinite(hi) || !(lo < hi))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "search space: dimension '%s': bounds [%g, %g] are empty, "
                            "inverted or not finite",
                            name, lo, hi);
    if (log_scale && !(lo > 0))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "search space: dimension '%s': log scale needs lo > 0 (got %g)",
                            name, lo);
    eo_dim *d = push(space, name, err);
    if (!d)
        return EO_STATUS_NO_MEMORY;
    d->kind = EO_PARAM_CONTINUOUS;
    d->lo = lo;
    d->hi = hi;
    d->log_scale = log_scale ? 1 : 0;
    space->n++;
    return EO_STATUS_OK;
}

eo_status eo_space_add_int(eo_space *space, const char *name, long long lo, long long hi,
                           int log_scale, eo_error *err)
{
    eo_status st = check_name(space, name, err);
    if (st)
        return st;
    if (lo > hi)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "search space: dimension '%s': bounds [%lld, %lld] are inverted",
                            name, lo, hi);
    if (hi - lo > (1LL << 50) || lo < -(1LL << 52) || hi > (1LL << 52))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "search space: dimension '%s': integer range too large", name);
    if (log_scale && lo < 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "search space: dimension '%s': log scale needs lo >= 1 (got %lld)",
                            name, lo);
    eo_dim *d = push(space, name, err);
    if (!d)
        return EO_STATUS_NO_MEMORY;
    d->kind = EO_PARAM_INTEGER;
    d->lo = (double)lo;
    d->hi = (double)hi;
    d->levels = (size_t)(hi - lo + 1);
    d->log_scale = log_scale ? 1 : 0;
    space->n++;
    return EO_STATUS_OK;
}

eo_status eo_space_add_categorical(eo_space *space, const char *name,
                                   const char *const *choices, size_t n, eo_error *err)
{
    eo_status st = check_name(space, name, err);
    if (st)
        return st;
    if (n == 0 || !choices)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "search space: categorical dimension '%s' has no values", name);
    for (size_t k = 0; k < n; k++)
        if (!choices[k])
            return eo_error_set(err, EO_STATUS_USAGE,
                                "search space: categorical dimension '%s': value %zu is NULL",
                                name, k);
    char **cs = calloc(n, sizeof(char *));
    if (!cs)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "search space: out of memory");
    for (size_t k = 0; k < n; k++) {
        cs[k] = strdup(choices[k]);
        if (!cs[k]) {
            for (size_t j = 0; j < k; j++)
                free(cs[j]);
            free(cs);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "search space: out of memory");
        }
    }
    eo_dim *d = push(space, name, err);
    if (!d) {
        for (size_t k = 0; k < n; k++)
            free(cs[k]);
        free(cs);
        return EO_STATUS_NO_MEMORY;
    }
    d->kind = EO_PARAM_CATEGORICAL;
    d->lo = 0;
    d->hi = (double)(n - 1);
    d->levels = n;
    d->choices = cs;
    space->n++;
    return EO_STATUS_OK;
}

eo_status eo_space_add_box(eo_space *space, size_t dim, double lo, double hi, eo_error *err)
{
    if (dim == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "search space: box of dimension 0");
    for (size_t i = 0; i < dim; i++) {
        char nm[32];
        snprintf(nm, sizeof nm, "x%zu", i);
        eo_status st = eo_space_add_real(space, nm, lo, hi, 0, err);
        if (st)
            return st;
    }
    return EO_STATUS_OK;
}

eo_status eo_space_clone(const eo_space *src, eo_space **out, eo_error *err)
{
    eo_status st = eo_space_create(out, err);
    if (st)
        return st;
    for (size_t i = 0; i < src->n && !st; i++) {
        const eo_dim *d = &src->dims[i];
        switch (d->kind) {
        case EO_PARAM_CONTINUOUS:
            st = eo_space_add_real(*out, d->name, d->lo, d->hi, d->log_scale, err);
            break;
        case EO_PARAM_INTEGER:
            st = eo_space_add_int(*out, d->name, (long long)d->lo, (long long)d->hi,
                                  d->log_scale, err);
            break;
        case EO_PARAM_CATEGORICAL:
            st = eo_space_add_categorical(*out, d->name, (const char *const *)d->choices,
                                          d->levels, err);
            break;
        }
    }
    if (st) {
        eo_space_destroy(*out);
        *out = NULL;
    }
    return st;
}

size_t eo_space_dim(const eo_space *space) { return space ? space->n : 0; }
const char *eo_space_name(const eo_space *space, size_t i)
{
    return (space && i < space->n) ? space->dims[i].name : NULL;
}
eo_param_kind eo_space_kind(const eo_space *space, size_t i) { return space->dims[i].kind; }
int eo_space_is_log(const eo_space *space, size_t i) { return space->dims[i].log_scale; }
void eo_space_bounds(const eo_space *space, size_t i, double *lo, double *hi)
{
    if (lo)
        *lo = space->dims[i].lo;
    if (hi)
        *hi = space->dims[i].hi;
}
size_t eo_space_levels(const eo_space *space, size_t i) { return space->dims[i].levels; }
const char *eo_space_choice(const eo_space *space, size_t i, size_t k)
{
    if (!space || i >= space->n || space->dims[i].kind != EO_PARAM_CATEGORICAL ||
        k >= space->dims[i].levels)
        return NULL;
    return space->dims[i].choices[k];
}
long eo_space_find(const eo_space *space, const char *name)
{
    if (!space || !name)
        return -1;
    for (size_t i = 0; i < space->n; i++)
        if (strcmp(space->dims[i].name, name) == 0)
            return (long)i;
    return -1;
}

static double clamp01(double u)
{
    if (!(u > 0))
        return 0; /* also NaN */
    return u > 1 ? 1 : u;
}

/* Cell index of u for a discrete dim with n cells. */
static size_t cell(const eo_dim *d, double u)
{
    size_t n = d->levels;
    if (d->kind == EO_PARAM_INTEGER && d->log_scale && n > 1) {
        /* equal cells in log space: value v occupies
         * [log(v-0.5), log(v+0.5)) mapped to [0,1] over [lo-0.5, hi+0.5] */
        double a = log(d->lo - 0.5 > 0 ? d->lo - 0.5 : 0.5), b = log(d->hi + 0.5);
        double v = floor(exp(a + u * (b - a)) + 0.5);
        if (v < d->lo)
            v = d->lo;
        if (v > d->hi)
            v = d->hi;
        return (size_t)(v - d->lo);
    }
    double k = floor(u * (double)n);
    if (k >= (double)n)
        k = (double)n - 1;
    if (k < 0)
        k = 0;
    return (size_t)k;
}

static double cell_centre(const eo_dim *d, size_t k)
{
    if (d->kind == EO_PARAM_INTEGER && d->log_scale && d->levels > 1) {
        double a = log(d->lo - 0.5 > 0 ? d->lo - 0.5 : 0.5), b = log(d->hi + 0.5);
        double v = d->lo + (double)k;
        double l0 = log(v - 0.5 > 0 ? v - 0.5 : 0.5), l1 = log(v + 0.5);
        if (k == 0)
            l0 = a;
        return clamp01((0.5 * (l0 + l1) - a) / (b - a));
    }
    return ((double)k + 0.5) / (double)d->levels;
}

void eo_space_decode(const eo_space *space, const double *u, double *values)
{
    for (size_t i = 0; i < space->n; i++) {
        const eo_dim *d = &space->dims[i];
        double v = clamp01(u[i]);
        if (d->kind == EO_PARAM_CONTINUOUS) {
            if (d->log_scale)
                values[i] = d->lo * exp(v * log(d->hi / d->lo));
            else
                values[i] = d->lo + v * (d->hi - d->lo);
            if (values[i] > d->hi)
                values[i] = d->hi;
            if (values[i] < d->lo)
                values[i] = d->lo;
        } else {
            values[i] = d->lo + (double)cell(d, v);
        }
    }
}

eo_status eo_space_encode(const eo_space *space, const double *values, double *u,
                          eo_error *err)
{
    for (size_t i = 0; i < space->n; i++) {
        const eo_dim *d = &space->dims[i];
        double v = values[i];
        if (!isfinite(v) || v < d->lo || v > d->hi)
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "search space: dimension '%s': value %g outside [%g, %g]",
                                d->name, v, d->lo, d->hi);
        if (d->kind == EO_PARAM_CONTINUOUS) {
            u[i] = d->log_scale ? log(v / d->lo) / log(d->hi / d->lo)
                                : (v - d->lo) / (d->hi - d->lo);
            u[i] = clamp01(u[i]);
        } else {
            if (v != floor(v))
                return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                    "search space: dimension '%s': %g is not an integer",
                                    d->name, v);
            u[i] = cell_centre(d, (size_t)(v - d->lo));
        }
    }
    return EO_STATUS_OK;
}

void eo_space_snap(const eo_space *space, double *u)
{
    for (size_t i = 0; i < space->n; i++) {
        const eo_dim *d = &space->dims[i];
        u[i] = clamp01(u[i]);
        if (d->kind != EO_PARAM_CONTINUOUS)
            u[i] = cell_centre(d, cell(d, u[i]));
    }
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t eo_space_fingerprint(const eo_space *space)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    if (!space)
        return h;
    for (size_t i = 0; i < space->n; i++) {
        const eo_dim *d = &space->dims[i];
        int k = (int)d->kind;
        h = fnv(h, d->name, strlen(d->name) + 1);
        h = fnv(h, &k, sizeof k);
        h = fnv(h, &d->log_scale, sizeof d->log_scale);
        h = fnv(h, &d->lo, sizeof d->lo);
        h = fnv(h, &d->hi, sizeof d->hi);
        for (size_t c = 0; d->choices && c < d->levels; c++)
            h = fnv(h, d->choices[c], strlen(d->choices[c]) + 1);
    }
    return h;
}
