/* CEC 2017 bound-constrained benchmark suite: data loading and dispatch.
 *
 * Definitions: Awad, Ali, Liang, Qu, Suganthan (2016), technical report of the
 * CEC 2017 competition.  Where the report and the competition's official C
 * code (cec17_test_func.cpp) disagree we follow the code, because every
 * published CEC 2017 result was computed with it (see docs/cec2017.md for the
 * list).  The official code keeps its scratch vectors y and z in globals and
 * some component functions read them across calls; here they live in the
 * problem object (c->y, c->z) and every component receives the object, so
 * those cross-reads are reproduced without global state. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ecgopt/cec2017.h"
#include "ecgopt/util.h"
#include "cec2017_impl.h"

int eo_cec2017_valid(int function, int dim)
{
    if (function < 1 || function > 30 || function == 2)
        return 0;
    if (dim != 2 && dim != 10 && dim != 20 && dim != 30 && dim != 50 && dim != 100)
        return 0;
    /* the official data has no D=2 hybrid functions nor F29/F30 */
    if (dim == 2 && ((function >= 11 && function <= 20) || function >= 29))
        return 0;
    return 1;
}

static const char *const k_names[31] = {
    "", "Shifted and Rotated Bent Cigar", "(excluded) Sum of Different Power",
    "Shifted and Rotated Zakharov", "Shifted and Rotated Rosenbrock",
    "Shifted and Rotated Rastrigin", "Shifted and Rotated Expanded Schaffer F6",
    "Shifted and Rotated Lunacek Bi-Rastrigin", "Shifted and Rotated Non-Continuous Rastrigin",
    "Shifted and Rotated Levy", "Shifted and Rotated Schwefel",
    "Hybrid 1", "Hybrid 2", "Hybrid 3", "Hybrid 4", "Hybrid 5", "Hybrid 6", "Hybrid 7",
    "Hybrid 8", "Hybrid 9", "Hybrid 10",
    "Composition 1", "Composition 2", "Composition 3", "Composition 4", "Composition 5",
    "Composition 6", "Composition 7", "Composition 8", "Composition 9", "Composition 10"};

const char *eo_cec2017_name(int function)
{
    if (function < 1 || function > 30)
        return "unknown";
    return k_names[function];
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

eo_status eo_cec2017_find_dir(const char *dir, char *out, size_t out_size, eo_error *err)
{
    char probe[8400];
    if (dir && *dir) {
        if (eo_path_join(probe, sizeof probe, dir, "shift_data_1.txt") == 0 && is_file(probe)) {
            if (strlen(dir) >= out_size)
                return eo_error_set(err, EO_STATUS_USAGE, "%s: path too long", dir);
            strcpy(out, dir);
            return EO_STATUS_OK;
        }
    }
    char dirs[4][4096];
    int nd = eo_data_dirs(dir, dirs, 4);
    for (int i = 0; i < nd; i++) {
        char sub[4200];
        if (eo_path_join(sub, sizeof sub, dirs[i], "cec2017"))
            continue;
        if (eo_path_join(probe, sizeof probe, sub, "shift_data_1.txt") == 0 && is_file(probe)) {
            if (strlen(sub) >= out_size)
                return eo_error_set(err, EO_STATUS_USAGE, "%s: path too long", sub);
            strcpy(out, sub);
            return EO_STATUS_OK;
        }
    }
    return eo_error_set(err, EO_STATUS_NOT_FOUND,
                        "cec2017: data folder not found (looked in %s, $ECGOPT_DATA/cec2017, "
                        "./data/cec2017, ../shared/data/cec2017)",
                        (dir && *dir) ? dir : "--data (not given)");
}

/* Read a whole text file; on failure the message names the file. */
static eo_status slurp(const char *dir, const char *name, char **text, eo_error *err)
{
    char path[4400];
    if (eo_path_join(path, sizeof path, dir, name))
        return eo_error_set(err, EO_STATUS_USAGE, "%s/%s: path too long", dir, name);
    unsigned char *d = NULL;
    size_t n = 0;
    eo_status st = eo_read_file(path, &d, &n, err);
    if (st != EO_STATUS_OK) {
        if (!is_file(path))
            return eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: CEC 2017 data file missing", path);
        return st;
    }
    *text = (char *)d;
    return EO_STATUS_OK;
}

/* Parse `count` doubles from the start of text (whitespace separated). */
static eo_status parse_doubles(const char *dir, const char *name, const char *text, double *v,
                               size_t count, eo_error *err)
{
    const char *p = text;
    for (size_t i = 0; i < count; i++) {
        char *end;
        double d = strtod(p, &end);
        if (end == p)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s/%s: expected %zu numbers, found %zu", dir, name, count, i);
        if (!isfinite(d))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s/%s: number %zu is not finite",
                                dir, name, i + 1);
        v[i] = d;
        p = end;
    }
    return EO_STATUS_OK;
}

/* Composition shift files hold one shift vector of 100 values per line; the
 * official code reads the first nx values of each line. */
static eo_status parse_shift_rows(const char *dir, const char *name, const char *text, double *v,
                                  int rows, int nx, eo_error *err)
{
    const char *p = text;
    for (int r = 0; r < rows; r++) {
        eo_status st = parse_doubles(dir, name, p, v + (size_t)r * nx, (size_t)nx, err);
        if (st != EO_STATUS_OK)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s/%s: line %d: expected %d numbers", dir, name, r + 1, nx);
        p = strchr(p, '\n');
        if (!p && r + 1 < rows)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s/%s: expected %d lines, found %d", dir, name, rows, r + 1);
        if (p)
            p++;
    }
    return EO_STATUS_OK;
}

static int n_components(int f)
{
    static const int cf[11] = {3, 3, 4, 4, 5, 5, 6, 6, 3, 3, 0};
    return f >= 21 ? cf[f - 21] : 1;
}

eo_status eo_cec2017_create(eo_cec2017 **out, int function, int dim, const char *data_dir,
                            eo_error *err)
{
    if (!out)
        return eo_error_set(err, EO_STATUS_USAGE, "cec2017: NULL output pointer");
    *out = NULL;
    if (function < 1 || function > 30 || function == 2)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "cec2017: function %d does not exist (1, 3..30; F2 is excluded)",
                            function);
    if (!eo_cec2017_valid(function, dim))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "cec2017: F%d is not defined for D=%d (D = 2, 10, 20, 30, 50, 100; "
                            "no D=2 for F11-F20, F29, F30)",
                            function, dim);
    char dir[4096];
    eo_status st = eo_cec2017_find_dir(data_dir, dir, sizeof dir, err);
    if (st != EO_STATUS_OK)
        return st;

    eo_cec2017 *c = calloc(1, sizeof *c);
    if (!c)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "cec2017: out of memory");
    int nc = n_components(function);
    c->func = function;
    c->nx = dim;
    c->ncomp = nc;
    size_t nx = (size_t)dim;
    c->os = malloc(sizeof(double) * nx * nc);
    c->mr = malloc(sizeof(double) * nx * nx * nc);
    c->y = malloc(sizeof(double) * nx);
    c->z = malloc(sizeof(double) * nx);
    c->tmp = malloc(sizeof(double) * nx);
    if (!c->os || !c->mr || !c->y || !c->z || !c->tmp) {
        eo_cec2017_destroy(c);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "cec2017: out of memory");
    }
    memset(c->y, 0, sizeof(double) * nx);
    memset(c->z, 0, sizeof(double) * nx);

    char name[64], *text = NULL;
    /* rotation matrices: nc stacked nx-by-nx row-major matrices */
    snprintf(name, sizeof name, "M_%d_D%d.txt", function, dim);
    st = slurp(dir, name, &text, err);
    if (st == EO_STATUS_OK)
        st = parse_doubles(dir, name, text, c->mr, nx * nx * nc, err);
    free(text);
    text = NULL;
    /* shift vectors */
    if (st == EO_STATUS_OK) {
        snprintf(name, sizeof name, "shift_data_%d.txt", function);
        st = slurp(dir, name, &text, err);
        if (st == EO_STATUS_OK) {
            if (function < 20)
                st = parse_doubles(dir, name, text, c->os, nx, err);
            else
                st = parse_shift_rows(dir, name, text, c->os, nc, dim, err);
        }
        free(text);
        text = NULL;
    }
    /* permutations (1-based in the files) */
    if (st == EO_STATUS_OK && ((function >= 11 && function <= 20) || function >= 29)) {
        size_t ns = (function >= 29 ? (size_t)nc : 1) * nx;
        c->ss = malloc(sizeof(int) * ns);
        double *tmp = malloc(sizeof(double) * ns);
        if (!c->ss || !tmp) {
            free(tmp);
            eo_cec2017_destroy(c);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "cec2017: out of memory");
        }
        snprintf(name, sizeof name, "shuffle_data_%d_D%d.txt", function, dim);
        st = slurp(dir, name, &text, err);
        if (st == EO_STATUS_OK)
            st = parse_doubles(dir, name, text, tmp, ns, err);
        for (size_t i = 0; st == EO_STATUS_OK && i < ns; i++) {
            if (tmp[i] < 1 || tmp[i] > dim || tmp[i] != floor(tmp[i]))
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s/%s: entry %zu (%g) is not an index in 1..%d", dir, name,
                                  i + 1, tmp[i], dim);
            else
                c->ss[i] = (int)tmp[i];
        }
        free(tmp);
        free(text);
    }
    if (st != EO_STATUS_OK) {
        eo_cec2017_destroy(c);
        return st;
    }
    *out = c;
    return EO_STATUS_OK;
}

void eo_cec2017_destroy(eo_cec2017 *p)
{
    if (!p)
        return;
    free(p->os);
    free(p->mr);
    free(p->ss);
    free(p->y);
    free(p->z);
    free(p->tmp);
    free(p);
}

int eo_cec2017_function(const eo_cec2017 *p) { return p ? p->func : 0; }
int eo_cec2017_dim(const eo_cec2017 *p) { return p ? p->nx : 0; }
double eo_cec2017_optimum(const eo_cec2017 *p) { return p ? 100.0 * p->func : 0.0; }

double eo_cec2017_eval(eo_cec2017 *c, const double *x)
{
    if (!c || !x)
        return NAN;
    int nx = c->nx;
    const double *O = c->os, *M = c->mr;
    const int *S = c->ss;
    double f = 0.0;
    switch (c->func) {
    case 1: eo_cec_bent_cigar(c, x, &f, nx, O, M, 1, 1); break;
    case 3: eo_cec_zakharov(c, x, &f, nx, O, M, 1, 1); break;
    case 4: eo_cec_rosenbrock(c, x, &f, nx, O, M, 1, 1); break;
    case 5: eo_cec_rastrigin(c, x, &f, nx, O, M, 1, 1); break;
    case 6: eo_cec_schaffer_f7(c, x, &f, nx, O, M, 1, 1); break;
    case 7: eo_cec_bi_rastrigin(c, x, &f, nx, O, M, 1, 1); break;
    case 8: eo_cec_step_rastrigin(c, x, &f, nx, O, M, 1, 1); break;
    case 9: eo_cec_levy(c, x, &f, nx, O, M, 1, 1); break;
    case 10: eo_cec_schwefel(c, x, &f, nx, O, M, 1, 1); break;
    default:
        if (c->func <= 20)
            eo_cec_hybrid(c, c->func - 10, x, &f, nx, O, M, S, 1, 1);
        else
            eo_cec_composition(c, c->func - 20, x, &f, nx, O, M, S);
        break;
    }
    return f + 100.0 * c->func;
}
