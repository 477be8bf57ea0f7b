/* Cross-database classifier experiments on cached features (issue 15).
 *
 *   bench_xdb extract OUT.feat RECORD...   beats of each record (full paths,
 *       reference annotations) at 360 Hz, lead by the fallback order + signal
 *       1, align 50 ms, all gbm features (18 x leads + adaptive + rhythm)
 *       written with labels and record names to OUT.feat
 *   bench_xdb cv FEAT[,FEAT...] [opts]     patient-wise K-fold CV (records
 *       dealt to folds, eo_split_kfold's rule) on the union; pooled
 *       out-of-fold EC57 matrix; decision-scale search (leximin over the bar
 *       margins) on the out-of-fold probabilities
 *   bench_xdb test TRAIN[,TRAIN...] TEST [opts]  train on the union, score
 *       TEST once (gross and per record)
 *   bench_xdb mean FEAT[,FEAT...] OOF[,OOF...] [opts]  the CV figures of the
 *       mean of out-of-fold probability files written by `cv --oof FILE`
 *       (an averaging ensemble; same FEAT list, folds and seed)
 *
 * opts: --cols all|base|adaptive|rhythm|...  (feature blocks, '+'-joined:
 *       base = the 31 record-relative features, adapt = the 17 adaptive ones,
 *       rhythm = the 6 long-horizon ones), --cw P, --depth D, --rounds R,
 *       --folds K, --nsub F (CV only: keep a fraction F of the training
 *       folds' N beats, weight 1/F), --bars xdb|ds2, --scale N,S,V,F,Q,
 *       --seed S.
 * Selection happens on `cv` lines only; `test` is the once-only look.  The
 * feature values equal those eo_classifier_train computes for the same
 * records (features depend on the beat's own record only). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/ec57.h"
#include "ecgopt/ml.h"
#include "ml/ml_internal.h"

#define NAME_LEN 32
typedef struct feat {
    size_t n;
    int nf, n_rec;
    char (*names)[NAME_LEN];
    int *rec, *y;
    float *X;
} feat;

static void die(const char *m)
{
    fprintf(stderr, "bench_xdb: %s\n", m);
    exit(3);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory");
    return p;
}

static int extract(const char *out, int n, char **recs)
{
    eo_beats_options bo;
    eo_beats_defaults(&bo);
    bo.fs_hz = 360;
    bo.align_s = 0.05;
    bo.leads[0][0] = 0;
    snprintf(bo.leads[1], sizeof bo.leads[1], "#1");
    eo_error err;
    eo_beats *b = NULL;
    if (eo_beats_load(NULL, (const char *const *)recs, n, &bo, NULL, NULL, &b, &err))
        die(err.msg);
    float *X = NULL;
    int nf = 0;
    if (eo_ml_features(b, EO_ML_FEAT_ADAPTIVE | EO_ML_FEAT_RHYTHM, &X, &nf, &err))
        die(err.msg);
    FILE *f = fopen(out, "wb");
    if (!f)
        die("cannot write the feature file");
    size_t nb = b->n;
    fwrite(&nb, sizeof nb, 1, f);
    fwrite(&nf, sizeof nf, 1, f);
    fwrite(&b->n_records, sizeof b->n_records, 1, f);
    for (int r = 0; r < b->n_records; r++) {
        char nm[NAME_LEN] = {0};
        const char *s = strrchr(recs[r], '/');
        char db[NAME_LEN] = "";
        if (s && s > recs[r]) { /* "<db>/<rec>" from the path */
            const char *d = s - 1;
            while (d > recs[r] && d[-1] != '/')
                d--;
            snprintf(db, sizeof db, "%.*s", (int)(s - d), d);
        }
        snprintf(nm, sizeof nm, "%s/%s", db, s ? s + 1 : recs[r]);
        fwrite(nm, 1, NAME_LEN, f);
    }
    fwrite(b->record, sizeof *b->record, nb, f);
    fwrite(b->y, sizeof *b->y, nb, f);
    fwrite(X, sizeof *X, nb * (size_t)nf, f);
    fclose(f);
    printf("%s: %zu beats, %d records, %d features\n", out, nb, b->n_records, nf);
    free(X);
    eo_beats_destroy(b);
    return 0;
}

static void load_one(const char *path, feat *F)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path);
    size_t n;
    int nf, nr;
    if (fread(&n, sizeof n, 1, f) != 1 || fread(&nf, sizeof nf, 1, f) != 1 ||
        fread(&nr, sizeof nr, 1, f) != 1)
        die("short feature file");
    if (F->n && nf != F->nf)
        die("feature files disagree");
    F->nf = nf;
    F->names = realloc(F->names, (size_t)(F->n_rec + nr) * sizeof *F->names);
    F->rec = realloc(F->rec, (F->n + n) * sizeof *F->rec);
    F->y = realloc(F->y, (F->n + n) * sizeof *F->y);
    F->X = realloc(F->X, (F->n + n) * (size_t)nf * sizeof *F->X);
    if (!F->names || !F->rec || !F->y || !F->X)
        die("out of memory");
    if (fread(F->names + F->n_rec, NAME_LEN, (size_t)nr, f) != (size_t)nr ||
        fread(F->rec + F->n, sizeof *F->rec, n, f) != n ||
        fread(F->y + F->n, sizeof *F->y, n, f) != n ||
        fread(F->X + F->n * (size_t)nf, sizeof *F->X, n * (size_t)nf, f) != n * (size_t)nf)
        die("short feature file");
    fclose(f);
    for (size_t i = 0; i < n; i++)
        F->rec[F->n + i] += F->n_rec;
    F->n += n;
    F->n_rec += nr;
}

static void load_list(const char *list, feat *F)
{
    memset(F, 0, sizeof *F);
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
        load_one(p, F);
}

/* column mask from "base+adapt+rhythm" (2 leads: 31 + 17 + 6) */
static int columns(const char *spec, int nf, int *cols)
{
    int n = 0, base = 31, adapt = 17, rh = EO_ML_N_RHYTHM;
    if (nf != base + adapt + rh)
        die("unexpected feature count");
    char buf[256];
    snprintf(buf, sizeof buf, "%s", spec);
    char *save = NULL;
    for (char *p = strtok_r(buf, "+", &save); p; p = strtok_r(NULL, "+", &save)) {
        int lo, hi;
        if (!strcmp(p, "base")) lo = 0, hi = base;
        else if (!strcmp(p, "rr5")) lo = 0, hi = 5;
        else if (!strcmp(p, "morph")) lo = 5, hi = base;
        else if (!strcmp(p, "adapt")) lo = base, hi = base + adapt;
        else if (!strcmp(p, "adaptrr")) lo = base, hi = base + 7;
        else if (!strcmp(p, "adaptmorph")) lo = base + 7, hi = base + adapt;
        else if (!strcmp(p, "rhythm")) lo = base + adapt, hi = nf;
        else if (!strcmp(p, "all")) lo = 0, hi = nf;
        else die("unknown column block");
        for (int c = lo; c < hi; c++)
            cols[n++] = c;
    }
    return n;
}

typedef struct opts {
    const char *cols;
    double cw, nsub;
    int depth, rounds, folds;
    int ds2_bars;
    double scale[5];
    unsigned long long seed;
    const char *oof; /* cv: write the out-of-fold probabilities here */
} opts;

static double bars_of(int ds2, int i)
{
    static const double xdb[5] = {90, 90, 75, 65, 95}, d2[5] = {92, 92, 80, 60, 95};
    return ds2 ? d2[i] : xdb[i];
}

static void margins(const eo_ec57_result *g, int ds2, double *v, double *acc)
{
    eo_ec57_stats s;
    eo_ec57_class_metrics m;
    eo_ec57_stats_of(g, &s);
    eo_ec57_class_metrics_of(g, &m);
    *acc = 100 * m.accuracy;
    double f[5] = {s.veb_se, s.veb_ppv, s.sveb_se, s.sveb_ppv, *acc};
    for (int i = 0; i < 5; i++)
        v[i] = isfinite(f[i]) ? f[i] - bars_of(ds2, i) : -1e9;
}

static void matrix(const float *prob, const int *y, const size_t *idx, size_t n,
                   const double *sc, eo_ec57_result *g)
{
    memset(g, 0, sizeof *g);
    for (size_t t = 0; t < n; t++) {
        size_t i = idx ? idx[t] : t;
        const float *q = prob + i * 5;
        int b = 0;
        for (int j = 1; j < 5; j++)
            if (q[j] * sc[j] > q[b] * sc[b])
                b = j;
        if (y[i] >= 0 && y[i] < 5)
            g->m[y[i]][b]++;
    }
}

static void line(const char *tag, const eo_ec57_result *g, int ds2)
{
    double v[5], acc;
    margins(g, ds2, v, &acc);
    eo_ec57_stats s;
    eo_ec57_stats_of(g, &s);
    double w = v[0];
    for (int i = 1; i < 5; i++)
        w = v[i] < w ? v[i] : w;
    printf("%s: VEB %.2f/%.2f SVEB %.2f/%.2f acc %.2f worst %.2f\n", tag, s.veb_se, s.veb_ppv,
           s.sveb_se, s.sveb_ppv, acc, w);
}

/* train on rows idx (columns cols) and predict rows pidx into prob (5 per row) */
static void fit_predict(const feat *F, const int *cols, int nc, const size_t *idx, size_t n,
                        const size_t *pidx, size_t np, const opts *o, float *prob)
{
    eo_classifier_options co;
    eo_classifier_defaults(&co);
    co.gbm_depth = o->depth;
    co.gbm_rounds = o->rounds;
    co.threads = 1;
    co.seed = o->seed;
    float *X = xmalloc(n * (size_t)nc * sizeof *X), *w = xmalloc(n * sizeof *w);
    int *y = xmalloc(n * sizeof *y);
    for (size_t t = 0; t < n; t++) {
        for (int c = 0; c < nc; c++)
            X[t * (size_t)nc + (size_t)c] = F->X[idx[t] * (size_t)F->nf + (size_t)cols[c]];
        y[t] = F->y[idx[t]];
    }
    double cw[5] = {1, 1, 1, 1, 1};
    eo_error err;
    if (o->cw > 0 && eo_class_weights(y, n, 5, o->cw, cw, &err))
        die(err.msg);
    for (size_t t = 0; t < n; t++)
        w[t] = (float)cw[y[t]];
    if (o->nsub > 0 && o->nsub < 1) { /* keep a fraction of the N beats, weight 1/F */
        eo_rng rng;
        eo_rng_seed(&rng, o->seed + 7);
        size_t q = 0;
        for (size_t t = 0; t < n; t++) {
            if (y[t] == 0 && eo_rng_uniform(&rng) >= o->nsub)
                continue;
            if (q != t) {
                memmove(X + q * (size_t)nc, X + t * (size_t)nc, (size_t)nc * sizeof *X);
                y[q] = y[t];
                w[q] = w[t];
            }
            if (y[q] == 0)
                w[q] = (float)(w[q] / o->nsub);
            q++;
        }
        n = q;
    }
    eo_gbm *g = NULL;
    if (eo_gbm_train(X, y, w, n, nc, 5, NULL, NULL, 0, &co, NULL, NULL, &g, &err))
        die(err.msg);
    float *Xp = xmalloc(np * (size_t)nc * sizeof *Xp);
    for (size_t t = 0; t < np; t++)
        for (int c = 0; c < nc; c++)
            Xp[t * (size_t)nc + (size_t)c] = F->X[pidx[t] * (size_t)F->nf + (size_t)cols[c]];
    float *pr = xmalloc(np * 5 * sizeof *pr);
    if (eo_gbm_predict(g, Xp, np, nc, pr, &err))
        die(err.msg);
    for (size_t t = 0; t < np; t++)
        memcpy(prob + pidx[t] * 5, pr + t * 5, 5 * sizeof *pr);
    eo_gbm_destroy(g);
    free(X);
    free(w);
    free(y);
    free(Xp);
    free(pr);
}

static void parse_opts(int argc, char **argv, int i0, opts *o)
{
    o->cols = "base";
    o->cw = 1.25;
    o->nsub = 1;
    o->depth = 4;
    o->rounds = 150;
    o->folds = 5;
    o->ds2_bars = 0;
    o->seed = 1;
    o->oof = NULL;
    for (int j = 0; j < 5; j++)
        o->scale[j] = 1;
    for (int i = i0; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (!strcmp(a, "--cols")) o->cols = v;
        else if (!strcmp(a, "--cw")) o->cw = atof(v);
        else if (!strcmp(a, "--nsub")) o->nsub = atof(v);
        else if (!strcmp(a, "--depth")) o->depth = atoi(v);
        else if (!strcmp(a, "--rounds")) o->rounds = atoi(v);
        else if (!strcmp(a, "--folds")) o->folds = atoi(v);
        else if (!strcmp(a, "--seed")) o->seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--bars")) o->ds2_bars = !strcmp(v, "ds2");
        else if (!strcmp(a, "--oof")) o->oof = v;
        else if (!strcmp(a, "--scale")) {
            if (sscanf(v, "%lf,%lf,%lf,%lf,%lf", &o->scale[0], &o->scale[1], &o->scale[2],
                       &o->scale[3], &o->scale[4]) != 5)
                die("--scale wants N,S,V,F,Q");
        } else die("unknown option");
    }
}

/* The library's leximin search on the grid the documented runs used:
 * S and V 2^(-4..4), F 2^(-2..2). */
static void search_scales(const float *prob, const feat *F, int ds2, double *best_sc)
{
    static const int grid[3] = {16, 16, 8};
    double bars[5];
    for (int i = 0; i < 5; i++)
        bars[i] = bars_of(ds2, i);
    eo_error err;
    if (eo_class_scale_select_grid(prob, F->y, F->n, bars, grid, best_sc, NULL, &err))
        die(err.msg);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        die("usage: bench_xdb extract|cv|test ...");
    if (!strcmp(argv[1], "extract"))
        return extract(argv[2], argc - 3, argv + 3);
    if (!strcmp(argv[1], "mean") && argc >= 4) {
        /* mean of several out-of-fold probability files (same FEAT list and
         * folds): the CV figure of an averaging ensemble */
        opts o;
        parse_opts(argc, argv, 4, &o);
        feat F;
        load_list(argv[2], &F);
        float *prob = xmalloc(F.n * 5 * sizeof *prob), *q = xmalloc(F.n * 5 * sizeof *q);
        memset(prob, 0, F.n * 5 * sizeof *prob);
        char buf[4096];
        snprintf(buf, sizeof buf, "%s", argv[3]);
        int nm = 0;
        char *save = NULL;
        for (char *p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save), nm++) {
            FILE *f = fopen(p, "rb");
            if (!f || fread(q, sizeof *q, F.n * 5, f) != F.n * 5)
                die("cannot read an --oof file");
            fclose(f);
            for (size_t i = 0; i < F.n * 5; i++)
                prob[i] += q[i];
        }
        for (size_t i = 0; i < F.n * 5; i++)
            prob[i] /= (float)nm;
        eo_ec57_result g;
        char tag[512];
        snprintf(tag, sizeof tag, "MEAN %s of %s", argv[2], argv[3]);
        matrix(prob, F.y, NULL, F.n, o.scale, &g);
        line(tag, &g, o.ds2_bars);
        double sc[5];
        search_scales(prob, &F, o.ds2_bars, sc);
        matrix(prob, F.y, NULL, F.n, sc, &g);
        snprintf(tag + strlen(tag), sizeof tag - strlen(tag), " calibrated %.4g,%.4g,%.4g,%.4g,%.4g",
                 sc[0], sc[1], sc[2], sc[3], sc[4]);
        line(tag, &g, o.ds2_bars);
        free(prob);
        free(q);
        return 0;
    }
    int is_test = !strcmp(argv[1], "test");
    opts o;
    parse_opts(argc, argv, is_test ? 4 : 3, &o);
    feat F;
    load_list(argv[2], &F);
    int cols[256], nc = columns(o.cols, F.nf, cols);
    size_t *idx = xmalloc(F.n * sizeof *idx), *pidx = xmalloc(F.n * sizeof *pidx);
    double t0 = eo_time_now();
    if (!is_test) {
        float *prob = xmalloc(F.n * 5 * sizeof *prob);
        /* records dealt to folds after a shuffle (eo_split_kfold's rule) */
        int *rf = xmalloc((size_t)F.n_rec * sizeof *rf);
        size_t *ord = xmalloc((size_t)F.n_rec * sizeof *ord);
        eo_rng rng;
        eo_rng_seed(&rng, o.seed);
        for (int r = 0; r < F.n_rec; r++)
            ord[r] = (size_t)r;
        eo_rng_shuffle_size(&rng, ord, (size_t)F.n_rec);
        for (int j = 0; j < F.n_rec; j++)
            rf[ord[j]] = j % o.folds;
        for (int f = 0; f < o.folds; f++) {
            size_t n = 0, np = 0;
            for (size_t i = 0; i < F.n; i++)
                if (rf[F.rec[i]] == f)
                    pidx[np++] = i;
                else
                    idx[n++] = i;
            fit_predict(&F, cols, nc, idx, n, pidx, np, &o, prob);
        }
        if (o.oof) {
            FILE *f = fopen(o.oof, "wb");
            if (!f || fwrite(prob, sizeof *prob, F.n * 5, f) != F.n * 5)
                die("cannot write --oof");
            fclose(f);
        }
        eo_ec57_result g;
        char tag[512];
        snprintf(tag, sizeof tag, "CV%d %s cols %s cw %g depth %d rounds %d nsub %g", o.folds,
                 argv[2], o.cols, o.cw, o.depth, o.rounds, o.nsub);
        matrix(prob, F.y, NULL, F.n, o.scale, &g);
        line(tag, &g, o.ds2_bars);
        double sc[5];
        search_scales(prob, &F, o.ds2_bars, sc);
        matrix(prob, F.y, NULL, F.n, sc, &g);
        snprintf(tag + strlen(tag), sizeof tag - strlen(tag), " calibrated %.4g,%.4g,%.4g,%.4g,%.4g",
                 sc[0], sc[1], sc[2], sc[3], sc[4]);
        line(tag, &g, o.ds2_bars);
        /* where the calibrated errors are: records with the most N->S, S->N, N->V */
        long (*cnt)[3] = calloc((size_t)F.n_rec, sizeof *cnt);
        if (!cnt)
            die("out of memory");
        for (size_t i = 0; i < F.n; i++) {
            const float *q = prob + i * 5;
            int b = 0;
            for (int j = 1; j < 5; j++)
                if (q[j] * sc[j] > q[b] * sc[b])
                    b = j;
            cnt[F.rec[i]][0] += F.y[i] == 0 && b == 1;
            cnt[F.rec[i]][1] += F.y[i] == 1 && b != 1;
            cnt[F.rec[i]][2] += F.y[i] == 0 && b == 2;
        }
        for (int e = 0; e < 3; e++) {
            printf("  %s:", e == 0 ? "N->S" : e == 1 ? "S missed" : "N->V");
            for (int t = 0; t < 8; t++) {
                int best = -1;
                for (int r = 0; r < F.n_rec; r++)
                    if (cnt[r][e] > 0 && (best < 0 || cnt[r][e] > cnt[best][e]))
                        best = r;
                if (best < 0)
                    break;
                printf(" %s %ld", F.names[best], cnt[best][e]);
                cnt[best][e] = -cnt[best][e] - 1; /* taken */
            }
            printf("\n");
            for (int r = 0; r < F.n_rec; r++)
                if (cnt[r][e] < 0)
                    cnt[r][e] = -cnt[r][e] - 1;
        }
        free(cnt);
        printf("  (%.0f s)\n", eo_time_now() - t0);
        free(prob);
        free(rf);
        free(ord);
    } else {
        feat T;
        load_list(argv[3], &T);
        /* append the test rows to F so one predict call fills them */
        size_t n0 = F.n;
        load_one(argv[3], &F);
        float *prob = xmalloc(F.n * 5 * sizeof *prob);
        for (size_t i = 0; i < n0; i++)
            idx[i] = i;
        for (size_t i = n0; i < F.n; i++)
            pidx[i - n0] = i;
        fit_predict(&F, cols, nc, idx, n0, pidx, F.n - n0, &o, prob);
        eo_ec57_result g;
        matrix(prob, F.y, pidx, F.n - n0, o.scale, &g);
        char tag[512];
        snprintf(tag, sizeof tag, "TEST %s -> %s cols %s cw %g depth %d scale %g,%g,%g,%g,%g",
                 argv[2], argv[3], o.cols, o.cw, o.depth, o.scale[0], o.scale[1], o.scale[2],
                 o.scale[3], o.scale[4]);
        line(tag, &g, o.ds2_bars);
        for (int r = 0; r < T.n_rec; r++) {
            size_t q = 0;
            for (size_t i = n0; i < F.n; i++)
                if (F.rec[i] == r + F.n_rec - T.n_rec)
                    idx[q++] = i;
            matrix(prob, F.y, idx, q, o.scale, &g);
            eo_ec57_stats s;
            eo_ec57_stats_of(&g, &s);
            long nS = 0, nV = 0;
            for (int j = 0; j < 5; j++)
                nS += g.m[1][j], nV += g.m[2][j];
            printf("  %-12s nS %5ld S->S %5ld N->S %5ld | nV %5ld V->V %5ld N->V %5ld\n",
                   T.names[r], nS, g.m[1][1], g.m[0][1], nV, g.m[2][2], g.m[0][2]);
        }
        printf("  (%.0f s)\n", eo_time_now() - t0);
        free(prob);
    }
    return 0;
}
