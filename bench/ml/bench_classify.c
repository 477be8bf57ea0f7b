/* Classification benchmark and experiment driver: train on DS1 (validation
 * carved from DS1 by record), test once on DS2 the EC57 way, with reference
 * beat positions and with ecgopt's QRS detector; or the intra-patient
 * 70/15/15 split (labelled as such).  Prints one line per figure; the
 * driver classify.sh runs the scikit-learn/XGBoost peer in the same run.
 *
 *   bench_classify [--model gbm] [--labels aami] [--split ds1ds2|intra]
 *                  [--epochs N] [--rounds N] [--depth N] [--cw P] [--n-train N]
 *                  [--detector] [--threads N] [--data DIR] [--save MODEL]
 *                  [--cv K] [--adaptive] [--scale N,S,V,F,Q]
 *
 * --adaptive / --no-adaptive (the library default): the gbm gets / does not
 * get the patient-adaptive features (EO_ML_FEAT_ADAPTIVE; off: the
 * 18-feature rows of docs/classification.md).
 * --scale: decision scales (eo_classifier_options.class_scale).
 *
 * --cv K: honest model selection.  DS1 only, DS2 is never read: DS1's records
 * are dealt to K patient-wise folds (eo_split_kfold), each fold is scored the
 * EC57 way (reference beats) by a model trained on the other folds, and the
 * K matrices are summed into one pooled "DS1 CV" line.  Configurations are
 * compared on that line; the chosen one is then run once without --cv.
 * The CV also keeps every held-out beat's class probabilities and searches
 * the decision scales of S, V and F (grid 2^(i/4), i = -16..16, i.e. 1/16..16; N and Q stay
 * 1) for the largest worst margin over the five bars on the pooled
 * out-of-fold matrix (ties broken by the next-worst margin, and so on:
 * leximin) ("DS1 CV calibrated"); --scale then applies them to
 * the DS1 -> DS2 run unchanged.  With --detector the held-out records are
 * also scored with ecgopt's detector beats ("DS1 CV ecgopt detector"), so
 * that the detector loss can be judged on DS1 too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/ec57.h"
#include "ecgopt/ml.h"

/* worst margin over the five inter-patient bars (docs/classification.md);
 * sorted (may be NULL) gets the five margins in increasing order */
static double worst_margin_v(const eo_ec57_result *g, eo_ec57_stats *s, double *acc,
                             double *sorted)
{
    eo_ec57_class_metrics m;
    eo_ec57_stats_of(g, s);
    eo_ec57_class_metrics_of(g, &m);
    *acc = 100 * m.accuracy;
    double v[5] = {s->veb_se - 90, s->veb_ppv - 90, s->sveb_se - 75, s->sveb_ppv - 50, *acc - 93};
    double w = 1e9;
    for (int i = 0; i < 5; i++) {
        if (!isfinite(v[i]))
            v[i] = -1e9;
        w = v[i] < w ? v[i] : w;
    }
    if (sorted) {
        for (int i = 0; i < 5; i++)
            sorted[i] = v[i];
        for (int i = 1; i < 5; i++)
            for (int j = i; j > 0 && sorted[j] < sorted[j - 1]; j--) {
                double t = sorted[j];
                sorted[j] = sorted[j - 1];
                sorted[j - 1] = t;
            }
    }
    return w;
}

static double worst_margin(const eo_ec57_result *g, eo_ec57_stats *s, double *acc)
{
    return worst_margin_v(g, s, acc, NULL);
}

/* matrix of held-out beats (aami: class index = EC57 row/column) */
static void oof_matrix(const float *prob, const int *y, size_t n, int k, const double *scale,
                       eo_ec57_result *g)
{
    memset(g, 0, sizeof *g);
    for (size_t i = 0; i < n; i++) {
        const float *q = prob + i * (size_t)k;
        int best = 0;
        for (int j = 1; j < k; j++)
            if (q[j] * scale[j] > q[best] * scale[best])
                best = j;
        if (y[i] >= 0 && y[i] < 5)
            g->m[y[i]][best]++;
    }
}

static void die(const eo_error *e)
{
    fprintf(stderr, "bench_classify: %s\n", e->msg);
    exit(3);
}

/* per-record S and V counts of an EC57 run (rows ref, columns test) */
static void print_records(const char *tag, const char *const *names, const eo_ec57_result *rec,
                          int n)
{
    printf("%s per record: rec nS S->S N->S S->N | nV V->V N->V | nF N->F\n", tag);
    for (int r = 0; r < n; r++) {
        const eo_ec57_result *g = rec + r;
        long ns = 0, nv = 0, nf = 0;
        for (int j = 0; j < EO_EC57_NCLASS; j++) {
            ns += g->m[EO_EC57_S][j];
            nv += g->m[EO_EC57_V][j];
            nf += g->m[EO_EC57_F][j];
        }
        printf("  %s: %5ld %5ld %5ld %5ld | %5ld %5ld %5ld | %4ld %4ld\n", names[r], ns,
               g->m[EO_EC57_S][EO_EC57_S], g->m[EO_EC57_N][EO_EC57_S], g->m[EO_EC57_S][EO_EC57_N],
               nv, g->m[EO_EC57_V][EO_EC57_V], g->m[EO_EC57_N][EO_EC57_V], nf,
               g->m[EO_EC57_N][EO_EC57_F]);
    }
}

static void print_stats(const char *tag, const eo_ec57_result *g)
{
    eo_ec57_stats s;
    eo_ec57_class_metrics m;
    eo_ec57_stats_of(g, &s);
    eo_ec57_class_metrics_of(g, &m);
    printf("%s: VEB Se %.2f +P %.2f FPR %.2f | SVEB Se %.2f +P %.2f | QRS Se %.2f +P %.2f | "
           "accuracy %.2f (matched %ld)\n",
           tag, s.veb_se, s.veb_ppv, s.veb_fpr, s.sveb_se, s.sveb_ppv, s.qrs_se, s.qrs_ppv,
           100 * m.accuracy, m.total);
    printf("%s: matrix rows ref N S V F Q O X, cols test N S V F Q O X\n", tag);
    for (int i = 0; i < EO_EC57_NCLASS; i++) {
        printf("   %s", eo_ec57_class_name(i));
        for (int j = 0; j < EO_EC57_NCLASS; j++)
            printf(" %7ld", g->m[i][j]);
        printf("\n");
    }
}

int main(int argc, char **argv)
{
    const char *data = EO_BENCH_DATA_DIR "/mitdb", *save = NULL, *split = "ds1ds2";
    eo_classifier_options co;
    eo_classifier_defaults(&co);
    eo_beats_options bo;
    eo_beats_defaults(&bo);
    int detector = 0, n_val = 4, cv = 0;
    long n_train = 0;
    const char *labels = "aami";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--detector")) { detector = 1; continue; }
        if (!strcmp(a, "--waveform")) { co.gbm_waveform = 1; continue; }
        if (!strcmp(a, "--adaptive")) { co.gbm_adaptive = 1; continue; }
        if (!strcmp(a, "--no-adaptive")) { co.gbm_adaptive = 0; continue; }
        if (!v) { fprintf(stderr, "bench_classify: %s needs a value\n", a); return 1; }
        i++;
        if (!strcmp(a, "--model")) snprintf(co.model, sizeof co.model, "%s", v);
        else if (!strcmp(a, "--labels")) labels = v;
        else if (!strcmp(a, "--split")) split = v;
        else if (!strcmp(a, "--epochs")) co.epochs = atoi(v);
        else if (!strcmp(a, "--rounds")) co.gbm_rounds = atoi(v);
        else if (!strcmp(a, "--depth")) co.gbm_depth = atoi(v);
        else if (!strcmp(a, "--eta")) co.gbm_eta = atof(v);
        else if (!strcmp(a, "--cw")) co.class_weight_power = atof(v);
        else if (!strcmp(a, "--oversample")) co.oversample = atof(v);
        else if (!strcmp(a, "--focal")) co.focal_gamma = atof(v);
        else if (!strcmp(a, "--lr")) co.lr = atof(v);
        else if (!strcmp(a, "--batch")) co.batch = atoi(v);
        else if (!strcmp(a, "--threads")) co.threads = atoi(v);
        else if (!strcmp(a, "--n-train")) n_train = atol(v);
        else if (!strcmp(a, "--n-val")) n_val = atoi(v);
        else if (!strcmp(a, "--window")) bo.window_samples = atoi(v);
        else if (!strcmp(a, "--align")) bo.align_s = atof(v);
        else if (!strcmp(a, "--lead2")) snprintf(bo.leads[1], sizeof bo.leads[1], "%s", v);
        else if (!strcmp(a, "--norm")) bo.norm = (eo_beat_norm)atoi(v);
        else if (!strcmp(a, "--seed")) co.seed = strtoull(v, NULL, 10);
        else if (!strcmp(a, "--data")) data = v;
        else if (!strcmp(a, "--save")) save = v;
        else if (!strcmp(a, "--cv")) cv = atoi(v);
        else if (!strcmp(a, "--scale")) {
            if (sscanf(v, "%lf,%lf,%lf,%lf,%lf", &co.class_scale[0], &co.class_scale[1],
                       &co.class_scale[2], &co.class_scale[3], &co.class_scale[4]) != 5) {
                fprintf(stderr, "bench_classify: --scale wants N,S,V,F,Q\n");
                return 1;
            }
        }
        else { fprintf(stderr, "bench_classify: unknown option %s\n", a); return 1; }
    }
    eo_error err;
    if (eo_label_set_parse(labels, &bo.labels, &err))
        die(&err);
    if (strcmp(co.model, "gbm") && bo.norm == EO_NORM_NONE)
        bo.norm = EO_NORM_BEAT; /* networks see z-scored beats */
    eo_rng rng;
    eo_rng_seed(&rng, co.seed);
    double t0 = eo_time_now();
    eo_beats *all = NULL, *tr = NULL, *va = NULL, *te = NULL;
    int intra = !strcmp(split, "intra");
    const char *const *recs;
    int n_recs = intra ? eo_split_mitdb_records(&recs) : 22;
    if (!intra)
        recs = eo_split_ds1;
    if (eo_beats_load(data, recs, n_recs, &bo, NULL, NULL, &all, &err))
        die(&err);
    double t_load = eo_time_now() - t0;
    int *part = malloc(all->n * sizeof *part);
    size_t *idx = malloc(all->n * sizeof *idx);
    if (!part || !idx) {
        fprintf(stderr, "bench_classify: out of memory\n");
        return 3;
    }
    if (cv > 0) {
        if (intra) {
            fprintf(stderr, "bench_classify: --cv is for the inter-patient split\n");
            return 1;
        }
        if (eo_split_kfold(all, cv, &rng, part, &err))
            die(&err);
        eo_ec57_result pooled, pooled_det;
        memset(&pooled, 0, sizeof pooled);
        memset(&pooled_det, 0, sizeof pooled_det);
        double t_cv = 0;
        int k = eo_label_set_n_classes(bo.labels);
        float *oof = malloc(all->n * (size_t)k * sizeof *oof);
        int *oof_y = malloc(all->n * sizeof *oof_y), *pr = malloc(all->n * sizeof *pr);
        int *oof_rec = malloc(all->n * sizeof *oof_rec);
        size_t n_oof = 0;
        if (!oof || !oof_y || !pr || !oof_rec) {
            fprintf(stderr, "bench_classify: out of memory\n");
            return 3;
        }
        for (int f = 0; f < cv; f++) {
            size_t m = 0;
            const char *names[22];
            int n_names = 0;
            for (int r = 0; r < all->n_records; r++) {
                size_t i;
                for (i = 0; i < all->n; i++)
                    if (all->record[i] == r)
                        break;
                if (i < all->n && part[i] == f && n_names < 22)
                    names[n_names++] = all->record_names[r];
            }
            for (size_t i = 0; i < all->n; i++)
                if (part[i] != f)
                    idx[m++] = i;
            if (eo_beats_subset(all, idx, m, &tr, &err))
                die(&err);
            eo_classifier *c = NULL;
            double t1 = eo_time_now();
            if (eo_classifier_train(&co, &bo, tr, NULL, NULL, NULL, &c, &err))
                die(&err);
            t_cv += eo_time_now() - t1;
            eo_ec57_result g;
            if (eo_classifier_evaluate(c, data, names, n_names, 0, NULL, NULL, &g, NULL, &err))
                die(&err);
            printf("fold %d: train %zu beats, held-out records", f, tr->n);
            for (int r = 0; r < n_names; r++)
                printf(" %s", names[r]);
            printf("\n");
            for (int i = 0; i < EO_EC57_NCLASS; i++)
                for (int j = 0; j < EO_EC57_NCLASS; j++)
                    pooled.m[i][j] += g.m[i][j];
            if (detector) { /* the same held-out records through ecgopt's detector */
                if (eo_classifier_evaluate(c, data, names, n_names, 1, NULL, NULL, &g, NULL, &err))
                    die(&err);
                eo_ec57_add(&pooled_det, &g);
            }
            /* out-of-fold probabilities of the held-out beats */
            size_t q = 0;
            for (size_t i = 0; i < all->n; i++)
                if (part[i] == f)
                    idx[q++] = i;
            eo_beats *ho = NULL;
            if (eo_beats_subset(all, idx, q, &ho, &err) ||
                eo_classifier_predict(c, ho, pr, oof + n_oof * (size_t)k, &err))
                die(&err);
            memcpy(oof_y + n_oof, ho->y, q * sizeof *oof_y);
            for (size_t i = 0; i < q; i++)
                oof_rec[n_oof + i] = all->record[idx[i]];
            n_oof += q;
            eo_beats_destroy(ho);
            eo_classifier_destroy(c);
            eo_beats_destroy(tr);
            tr = NULL;
        }
        printf("model %s labels %s: %d-fold CV train %.2f s in all\n", co.model, labels, cv, t_cv);
        print_stats("DS1 CV", &pooled);
        if (detector)
            print_stats("DS1 CV ecgopt detector", &pooled_det);
        if (bo.labels == EO_LABELS_AAMI) {
            /* decision-scale search on the pooled out-of-fold probabilities */
            double sc[5] = {1, 1, 1, 1, 1}, best_sc[5] = {1, 1, 1, 1, 1}, acc = 0, best = -1e18;
            double best_v[5] = {-1e18, -1e18, -1e18, -1e18, -1e18}, v[5];
            eo_ec57_result g;
            eo_ec57_stats st;
            oof_matrix(oof, oof_y, n_oof, k, sc, &g);
            double w0 = worst_margin(&g, &st, &acc);
            printf("DS1 CV out-of-fold, scales 1: VEB %.2f/%.2f SVEB %.2f/%.2f acc %.2f worst %.2f\n",
                   st.veb_se, st.veb_ppv, st.sveb_se, st.sveb_ppv, acc, w0);
            for (int is = -16; is <= 16; is++)
                for (int iv = -16; iv <= 16; iv++)
                    for (int jf = -16; jf <= 16; jf++) {
                        sc[1] = pow(2, is / 4.0);
                        sc[2] = pow(2, iv / 4.0);
                        sc[3] = pow(2, jf / 4.0);
                        oof_matrix(oof, oof_y, n_oof, k, sc, &g);
                        double w = worst_margin_v(&g, &st, &acc, v);
                        /* leximin: the worst margin, then the next worst, ...
                         * (counting the bars met first picked knife-edge
                         * scales, docs/classification.md) */
                        int better = 0;
                        for (int q = 0; q < 5; q++) {
                            if (v[q] > best_v[q] + 1e-9) {
                                better = 1;
                                break;
                            }
                            if (v[q] < best_v[q] - 1e-9)
                                break;
                        }
                        if (better) {
                            best = w;
                            memcpy(best_v, v, sizeof v);
                            memcpy(best_sc, sc, sizeof sc);
                        }
                    }
            oof_matrix(oof, oof_y, n_oof, k, best_sc, &g);
            worst_margin(&g, &st, &acc);
            printf("DS1 CV calibrated: scales %.4g,%.4g,%.4g,%.4g,%.4g  VEB %.2f/%.2f SVEB "
                   "%.2f/%.2f acc %.2f worst %.2f\n",
                   best_sc[0], best_sc[1], best_sc[2], best_sc[3], best_sc[4], st.veb_se,
                   st.veb_ppv, st.sveb_se, st.sveb_ppv, acc, best);
            print_stats("DS1 CV calibrated (out-of-fold)", &g);
            printf("per record (calibrated): rec nS predS S->S N->S | nV predV V->V N->V | nF predF\n");
            for (int r = 0; r < all->n_records; r++) {
                long c[5][5];
                memset(c, 0, sizeof c);
                for (size_t i = 0; i < n_oof; i++) {
                    if (oof_rec[i] != r || oof_y[i] < 0)
                        continue;
                    const float *q = oof + i * (size_t)k;
                    int bj = 0;
                    for (int j = 1; j < k; j++)
                        if (q[j] * best_sc[j] > q[bj] * best_sc[bj])
                            bj = j;
                    c[oof_y[i]][bj]++;
                }
                long ps = 0, pv = 0, pf = 0;
                for (int j = 0; j < 5; j++) {
                    ps += c[j][1];
                    pv += c[j][2];
                    pf += c[j][3];
                }
                printf("  %s: %5ld %5ld %5ld %5ld | %5ld %5ld %5ld %5ld | %4ld %4ld\n",
                       all->record_names[r], c[1][0] + c[1][1] + c[1][2] + c[1][3] + c[1][4], ps,
                       c[1][1], c[0][1], c[2][0] + c[2][1] + c[2][2] + c[2][3] + c[2][4], pv,
                       c[2][2], c[0][2], c[3][0] + c[3][1] + c[3][2] + c[3][3] + c[3][4], pf);
            }
        }
        free(oof);
        free(oof_y);
        free(oof_rec);
        free(pr);
        eo_beats_destroy(all);
        free(part);
        free(idx);
        return 0;
    }
    if (intra) {
        if (eo_split_stratified(all->y, all->n, 0.70, 0.15, &rng, part, &err))
            die(&err);
    } else if (eo_split_records_val(all, n_val, &rng, part, &err)) {
        die(&err);
    }
    for (int p = 0; p < 3; p++) {
        size_t m = 0;
        for (size_t i = 0; i < all->n; i++)
            if (part[i] == p)
                idx[m++] = i;
        if (p == EO_PART_TRAIN && n_train > 0 && (size_t)n_train < m) {
            /* stratified subsample, as the peer's train_test_split(stratify=y) */
            int *yy = malloc(m * sizeof *yy), *pp = malloc(m * sizeof *pp);
            for (size_t k = 0; k < m; k++)
                yy[k] = all->y[idx[k]];
            if (eo_split_stratified(yy, m, (double)n_train / m, 0, &rng, pp, &err))
                die(&err);
            size_t q = 0;
            for (size_t k = 0; k < m; k++)
                if (pp[k] == EO_PART_TRAIN)
                    idx[q++] = idx[k];
            m = q;
            free(yy);
            free(pp);
        }
        eo_beats **dst = p == 0 ? &tr : p == 1 ? &va : &te;
        if (eo_beats_subset(all, idx, m, dst, &err))
            die(&err);
    }
    printf("split %s%s: train %zu, val %zu, test %zu beats; load %.2f s\n", split,
           intra ? " (INTRA-PATIENT: beats of one patient on both sides)" : "", tr->n, va->n,
           te->n, t_load);
    eo_classifier *c = NULL;
    double t1 = eo_time_now();
    if (eo_classifier_train(&co, &bo, tr, va->n ? va : NULL, NULL, NULL, &c, &err))
        die(&err);
    double t_train = eo_time_now() - t1;
    int best_ep = 0, ran = eo_classifier_epochs_run(c, &best_ep);
    printf("model %s labels %s: train %.2f s", co.model, labels, t_train);
    if (ran > 0)
        printf(" (%d epochs run, weights of epoch %d kept)", ran, best_ep);
    printf("\n");
    if (save && eo_classifier_save(c, save, &err))
        die(&err);
    if (intra) {
        int k = eo_label_set_n_classes(bo.labels);
        int *pred = malloc(te->n * sizeof *pred);
        double t2 = eo_time_now();
        if (eo_classifier_predict(c, te, pred, NULL, &err))
            die(&err);
        double t_pred = eo_time_now() - t2;
        long cm[25];
        eo_confusion(te->y, pred, te->n, k, cm);
        long ok = 0;
        for (int j = 0; j < k; j++)
            ok += cm[j * k + j];
        printf("INTRA-PATIENT test (%s, %zu beats): accuracy %.2f%%  predict %.3f s\n", labels,
               te->n, 100.0 * ok / te->n, t_pred);
        for (int j = 0; j < k; j++) {
            long row = 0, col = 0;
            for (int q = 0; q < k; q++) {
                row += cm[j * k + q];
                col += cm[q * k + j];
            }
            printf("   %s: n %ld Se %.2f +P %.2f\n", eo_label_class_name(bo.labels, j), row,
                   row ? 100.0 * cm[j * k + j] / row : NAN, col ? 100.0 * cm[j * k + j] / col : NAN);
        }
        free(pred);
    } else {
        eo_ec57_result g, per[22];
        double t2 = eo_time_now();
        if (eo_classifier_evaluate(c, data, eo_split_ds2, 22, 0, NULL, NULL, &g, per, &err))
            die(&err);
        printf("DS2 classify (reference beats) %.2f s\n", eo_time_now() - t2);
        print_stats("DS2 reference beats", &g);
        print_records("DS2 reference beats", eo_split_ds2, per, 22);
        if (detector) {
            t2 = eo_time_now();
            if (eo_classifier_evaluate(c, data, eo_split_ds2, 22, 1, NULL, NULL, &g, NULL, &err))
                die(&err);
            printf("DS2 classify (ecgopt detector) %.2f s\n", eo_time_now() - t2);
            print_stats("DS2 ecgopt detector", &g);
        }
    }
    eo_classifier_destroy(c);
    eo_beats_destroy(all);
    eo_beats_destroy(tr);
    eo_beats_destroy(va);
    eo_beats_destroy(te);
    free(part);
    free(idx);
    return 0;
}
