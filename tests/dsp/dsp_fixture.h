/* Loader for the reference vectors of tests/fixtures/dsp/<name>.bin (written by
 * gen_fixtures.py): records of uint32 name_len, name, uint64 count, count
 * little-endian doubles. */
#ifndef EO_DSP_FIXTURE_H
#define EO_DSP_FIXTURE_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fx_rec {
    char name[96];
    size_t n;
    double *v;
} fx_rec;

typedef struct fx_file {
    fx_rec *r;
    size_t n;
} fx_file;

static int fx_load(const char *base, fx_file *f)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/dsp/%s", EO_TEST_FIXTURES, base);
    FILE *fp = fopen(path, "rb");
    f->r = NULL;
    f->n = 0;
    if (!fp) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    size_t cap = 0;
    for (;;) {
        uint32_t nl;
        uint64_t cnt;
        if (fread(&nl, 4, 1, fp) != 1) break;
        if (nl >= 96) break;
        if (f->n == cap) {
            cap = cap ? 2 * cap : 256;
            fx_rec *nr = realloc(f->r, cap * sizeof *nr);
            if (!nr) break;
            f->r = nr;
        }
        fx_rec *r = &f->r[f->n];
        if (fread(r->name, 1, nl, fp) != nl) break;
        r->name[nl] = 0;
        if (fread(&cnt, 8, 1, fp) != 1 || cnt > (1u << 26)) break;
        r->n = (size_t)cnt;
        r->v = malloc((r->n ? r->n : 1) * sizeof(double));
        if (!r->v || fread(r->v, 8, r->n, fp) != r->n) {
            free(r->v);
            break;
        }
        f->n++;
    }
    fclose(fp);
    return f->n ? 0 : -1;
}

static const fx_rec *fx_get(const fx_file *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->r[i].name, name) == 0) return &f->r[i];
    fprintf(stderr, "fixture %s missing\n", name);
    return NULL;
}

static void fx_free(fx_file *f)
{
    for (size_t i = 0; i < f->n; i++) free(f->r[i].v);
    free(f->r);
    f->r = NULL;
    f->n = 0;
}

/* max |a-b| / max(max|b|, tiny): the relative error used against references */
static double fx_relerr(const double *a, const double *b, size_t n)
{
    double m = 0, d = 0;
    for (size_t i = 0; i < n; i++) {
        if (fabs(b[i]) > m) m = fabs(b[i]);
        double e = fabs(a[i] - b[i]);
        if (!(e <= d)) d = e; /* NaN propagates as failure */
    }
    return d / (m > 1e-300 ? m : 1e-300);
}
#endif
