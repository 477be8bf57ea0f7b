/* CPA, the Colony Predation Algorithm (Tu, Chen, Wang, Gandomi 2021, J. Bionic
 * Eng. 18:674-710), and OLCPA, CPA with orthogonal learning (He, Shan, Zhang,
 * Heidari, Chen, Zhang 2023, Biomimetics 8(3):268; "the OLCPA paper").
 *
 * Equation numbers are those of the OLCPA paper, section 2.1, which restates
 * CPA.  All work happens in the optimiser's normalised box [0,1]^D (lb = 0,
 * ub = 1).  Per iteration (one ask/tell of the population):
 *   - prey energy: a = exp(w - 2 w t/T) (eq. 5, w = 9), S0 = a (1 - t/T)
 *     (eq. 3), S = 2 S0 r2 (eq. 4); t/T = evaluations / budget;
 *   - communication (eq. 1): every hunter i, dimension j,
 *     Xc_ij = r X_ij + (1 - r) (X1_j + X2_j)/2 with X1, X2 the two hunters
 *     closest to the prey (the two best);
 *   - if |S| < 2a/3, eq. 8: with probability 1/2 dispersing (eq. 2)
 *     X = Xbest - S (r1 (ub - lb) + lb), else encircling (eq. 6, 7)
 *     X = Xbest - 2 S D e^l tan(pi l / 4), D = |Xbest - Xc|, l ~ U(0,1);
 *     Departure: eq. 2's term r1 (ub - lb) + lb is taken relative to the box
 *     centre (r1 - 1/2), which is what it is for the symmetric boxes of the
 *     papers ([-100,100]^D); in [0,1] the uncentred term would push every
 *     hunter to one corner.
 *   - else eq. 13 with r6 ~ U(-2,2): |r6| <= 1 supporting (eq. 9):
 *     X = P_nearest (the hunter closest, in Euclidean distance, to the prey
 *     other than the prey itself); otherwise a new prey (eq. 10-12):
 *     Xrand = r5 (ub - lb) + lb, D1 = |2 r4 Xrand - Xc|, X = Xrand - S D1;
 *   - out-of-box coordinates are replaced by the prey's coordinate (Tu et
 *     al.'s cross-border rule);
 *   - survival of the fittest (Tu et al.): a hunter moves to its new
 *     position only if that is better (greedy replacement).
 * OLCPA adds after each CPA iteration one orthogonal-learning step (OLCPA
 * paper sec. 3.2-3.3, eq. 14-15): for a random hunter i (not the prey), the
 * D dimensions are split into K factors, each with Q levels spaced evenly
 * between X_i and Xbest; the M rows of L_M(Q^K) are evaluated, factor
 * analysis predicts the best level combination, which is evaluated too
 * (M + 1 evaluations, all counted through ask/tell), and the best of the
 * M + 1 replaces X_i if better than X_i (eq. 15). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/opt.h"
#include "orthogonal.h"

enum { PH_INIT = 0, PH_CPA = 1, PH_OL_TRIALS = 2, PH_OL_PRED = 3 };

typedef struct cpa_state {
    int ol;          /* OLCPA */
    size_t n, d;
    double w;
    double *x, *f;   /* population n x d, fitness n */
    double *bx;      /* prey (best) position */
    double bf;
    int phase;
    /* orthogonal learning */
    int q, m, k;
    int *oa;         /* m x k */
    int *group;      /* d: factor of each dimension */
    double *trial_f; /* m */
    double *best_trial; /* d */
    double best_trial_f;
    long long target;   /* hunter being learned */
    int *lvl;        /* k */
    size_t *perm;    /* d */
} cpa_state;

static const char *const k_cpa_keys[] = {"w", NULL};
static const char *const k_olcpa_keys[] = {"w", "ol_q", "ol_j", NULL};

static void cpa_free(void *p)
{
    cpa_state *s = p;
    if (!s)
        return;
    free(s->x);
    free(s->f);
    free(s->bx);
    free(s->oa);
    free(s->group);
    free(s->trial_f);
    free(s->best_trial);
    free(s->lvl);
    free(s->perm);
    free(s);
}

static eo_status init_common(eo_optimizer *opt, void **state, int ol, eo_error *err)
{
    const char *name = ol ? "olcpa" : "cpa";
    cpa_state *s = calloc(1, sizeof *s);
    if (!s)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    s->ol = ol;
    s->n = eo_opt_pop(opt);
    s->d = eo_optimizer_dim(opt);
    s->w = eo_opt_param(opt, "w", 9.0);
    s->bf = INFINITY;
    if (s->n < 3) {
        cpa_free(s);
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: population %zu is too small (>= 3)",
                            name, eo_opt_pop(opt));
    }
    if (!(s->w > 0 && s->w <= 50)) {
        double w = s->w;
        cpa_free(s);
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: w = %g must be in (0, 50]", name,
                            w);
    }
    s->x = calloc(s->n * s->d, sizeof(double));
    s->f = calloc(s->n, sizeof(double));
    s->bx = calloc(s->d, sizeof(double));
    if (!s->x || !s->f || !s->bx) {
        cpa_free(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    }
    if (ol) {
        double qd = eo_opt_param(opt, "ol_q", 3), jd = eo_opt_param(opt, "ol_j", 0);
        if (qd != floor(qd) || jd != floor(jd) || jd < 0 || jd > 8) {
            cpa_free(s);
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "olcpa: ol_q = %g and ol_j = %g must be integers (ol_j 0..8)", qd,
                                jd);
        }
        int q = (int)qd, j = (int)jd;
        if (j == 0) {
            /* smallest array with a factor per dimension, at most Q^3 rows */
            long long qp = q;
            j = 1;
            while (j < 3 && (qp - 1) / (q - 1 > 0 ? q - 1 : 1) < (long long)s->d) {
                qp *= q;
                j++;
            }
        }
        eo_status st = eo_oa_build(q, j, &s->oa, &s->m, &s->k, err);
        if (st) {
            eo_error_prefix(err, "olcpa");
            cpa_free(s);
            return st;
        }
        s->q = q;
        s->group = calloc(s->d, sizeof(int));
        s->trial_f = calloc((size_t)s->m, sizeof(double));
        s->best_trial = calloc(s->d, sizeof(double));
        s->lvl = calloc((size_t)s->k, sizeof(int));
        s->perm = calloc(s->d, sizeof(size_t));
        if (!s->group || !s->trial_f || !s->best_trial || !s->lvl || !s->perm) {
            cpa_free(s);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "olcpa: out of memory");
        }
    }
    *state = s;
    return EO_STATUS_OK;
}

static eo_status cpa_init(eo_optimizer *opt, void **state, eo_error *err)
{
    return init_common(opt, state, 0, err);
}
static eo_status olcpa_init(eo_optimizer *opt, void **state, eo_error *err)
{
    return init_common(opt, state, 1, err);
}

/* Indices of the two best hunters. */
static void two_best(const cpa_state *s, size_t *b1, size_t *b2)
{
    size_t i1 = 0, i2 = 1;
    if (s->f[i2] < s->f[i1]) {
        i1 = 1;
        i2 = 0;
    }
    for (size_t i = 2; i < s->n; i++) {
        if (s->f[i] < s->f[i1]) {
            i2 = i1;
            i1 = i;
        } else if (s->f[i] < s->f[i2]) {
            i2 = i;
        }
    }
    *b1 = i1;
    *b2 = i2;
}

static void cpa_step(eo_optimizer *opt, cpa_state *s, double *out)
{
    eo_rng *rng = eo_opt_rng(opt);
    size_t n = s->n, d = s->d;
    double p = eo_opt_progress(opt);
    double a = exp(s->w - 2.0 * s->w * p);
    double s0 = a * (1.0 - p);
    size_t b1, b2;
    two_best(s, &b1, &b2);
    const double *x1 = s->x + b1 * d, *x2 = s->x + b2 * d, *xb = s->bx;
    /* the hunter nearest to the prey, other than one sitting on it */
    size_t near = b1;
    double nd = INFINITY;
    for (size_t i = 0; i < n; i++) {
        double dist = 0;
        for (size_t j = 0; j < d; j++) {
            double t = s->x[i * d + j] - xb[j];
            dist += t * t;
        }
        if (dist > 0 && dist < nd) {
            nd = dist;
            near = i;
        }
    }
    const double *pn = s->x + near * d;
    for (size_t i = 0; i < n; i++) {
        const double *xi = s->x + i * d;
        double *o = out + i * d;
        /* communication, eq. 1: Xc kept in o for now */
        for (size_t j = 0; j < d; j++) {
            double r = eo_rng_uniform(rng);
            o[j] = r * xi[j] + (1.0 - r) * 0.5 * (x1[j] + x2[j]);
        }
        double S = 2.0 * s0 * eo_rng_uniform(rng);
        if (fabs(S) < 2.0 / 3.0 * a) {
            if (eo_rng_uniform(rng) >= 0.5) {
                for (size_t j = 0; j < d; j++) /* dispersing, eq. 2 */
                    o[j] = xb[j] - S * (eo_rng_uniform(rng) - 0.5);
            } else {
                double l = eo_rng_uniform(rng); /* encircling, eq. 6-7 */
                double c = 2.0 * S * exp(l) * tan(M_PI / 4.0 * l);
                for (size_t j = 0; j < d; j++)
                    o[j] = xb[j] - c * fabs(xb[j] - o[j]);
            }
        } else {
            double r6 = 4.0 * eo_rng_uniform(rng) - 2.0;
            if (fabs(r6) <= 1.0) {
                memcpy(o, pn, d * sizeof(double)); /* supporting, eq. 9 */
            } else {
                for (size_t j = 0; j < d; j++) { /* new prey, eq. 10-12 */
                    double xr = eo_rng_uniform(rng);
                    double d1 = fabs(2.0 * eo_rng_uniform(rng) * xr - o[j]);
                    o[j] = xr - S * d1;
                }
            }
        }
        for (size_t j = 0; j < d; j++) /* cross-border rule */
            if (!(o[j] >= 0.0 && o[j] <= 1.0))
                o[j] = xb[j];
    }
}

static void update_best(cpa_state *s, const double *x, double f)
{
    if (f < s->bf) {
        s->bf = f;
        memcpy(s->bx, x, s->d * sizeof(double));
    }
}

/* Orthogonal-learning trial row r (or the predicted row when lv != NULL). */
static void ol_row(const cpa_state *s, int r, const int *lv, double *o)
{
    const double *xi = s->x + (size_t)s->target * s->d;
    for (size_t j = 0; j < s->d; j++) {
        int g = s->group[j];
        int level = lv ? lv[g] : s->oa[r * s->k + g];
        o[j] = xi[j] + (s->bx[j] - xi[j]) * level / (double)(s->q - 1);
    }
}

static eo_status cpa_ask(eo_optimizer *opt, void *state, size_t *n, eo_error *err)
{
    cpa_state *s = state;
    eo_rng *rng = eo_opt_rng(opt);
    size_t d = s->d;
    if (s->phase == PH_INIT) {
        double *b = eo_opt_batch(opt, s->n, err);
        if (!b)
            return err ? err->status : EO_STATUS_NO_MEMORY;
        for (size_t i = 0; i < s->n * d; i++)
            b[i] = eo_rng_uniform(rng);
        *n = s->n;
        return EO_STATUS_OK;
    }
    if (s->phase == PH_CPA) {
        double *b = eo_opt_batch(opt, s->n, err);
        if (!b)
            return err ? err->status : EO_STATUS_NO_MEMORY;
        cpa_step(opt, s, b);
        *n = s->n;
        return EO_STATUS_OK;
    }
    if (s->phase == PH_OL_TRIALS) {
        /* target: a random hunter that is not the prey itself */
        size_t t = (size_t)eo_rng_below(rng, s->n);
        for (size_t tries = 0; tries < s->n; tries++) {
            if (memcmp(s->x + t * d, s->bx, d * sizeof(double)) != 0)
                break;
            t = (t + 1) % s->n;
        }
        s->target = (long long)t;
        /* factors: dimensions in random order cut into min(K, D) groups */
        for (size_t j = 0; j < d; j++)
            s->perm[j] = j;
        eo_rng_shuffle_size(rng, s->perm, d);
        size_t kk = (size_t)s->k < d ? (size_t)s->k : d;
        for (size_t j = 0; j < d; j++)
            s->group[s->perm[j]] = (int)(j * kk / d);
        double *b = eo_opt_batch(opt, (size_t)s->m, err);
        if (!b)
            return err ? err->status : EO_STATUS_NO_MEMORY;
        for (int r = 0; r < s->m; r++)
            ol_row(s, r, NULL, b + (size_t)r * d);
        *n = (size_t)s->m;
        return EO_STATUS_OK;
    }
    /* PH_OL_PRED: the combination factor analysis predicts */
    double *b = eo_opt_batch(opt, 1, err);
    if (!b)
        return err ? err->status : EO_STATUS_NO_MEMORY;
    ol_row(s, 0, s->lvl, b);
    *n = 1;
    return EO_STATUS_OK;
}

static eo_status cpa_tell(eo_optimizer *opt, void *state, const double *x, const double *f,
                          const eo_eval_status *st, size_t n, eo_error *err)
{
    (void)opt;
    (void)st;
    (void)err;
    cpa_state *s = state;
    size_t d = s->d;
    if (s->phase == PH_INIT) {
        memcpy(s->x, x, n * d * sizeof(double));
        memcpy(s->f, f, n * sizeof(double));
        for (size_t i = 0; i < n; i++)
            update_best(s, x + i * d, f[i]);
        if (!(s->bf < INFINITY)) /* nothing succeeded yet: start again */
            return EO_STATUS_OK;
        s->phase = PH_CPA;
        return EO_STATUS_OK;
    }
    if (s->phase == PH_CPA) {
        for (size_t i = 0; i < n; i++) {
            if (f[i] < s->f[i]) { /* survival of the fittest */
                memcpy(s->x + i * d, x + i * d, d * sizeof(double));
                s->f[i] = f[i];
            }
            update_best(s, x + i * d, f[i]);
        }
        if (s->ol)
            s->phase = PH_OL_TRIALS;
        return EO_STATUS_OK;
    }
    if (s->phase == PH_OL_TRIALS) {
        memcpy(s->trial_f, f, n * sizeof(double));
        s->best_trial_f = INFINITY;
        for (size_t r = 0; r < n; r++)
            if (f[r] < s->best_trial_f) {
                s->best_trial_f = f[r];
                memcpy(s->best_trial, x + r * d, d * sizeof(double));
            }
        eo_oa_factor_analysis(s->oa, s->m, s->k, s->q, s->trial_f, s->lvl);
        s->phase = PH_OL_PRED;
        return EO_STATUS_OK;
    }
    /* PH_OL_PRED: greedy replacement, eq. 15 */
    if (f[0] < s->best_trial_f) {
        s->best_trial_f = f[0];
        memcpy(s->best_trial, x, d * sizeof(double));
    }
    size_t t = (size_t)s->target;
    if (s->best_trial_f < s->f[t]) {
        memcpy(s->x + t * d, s->best_trial, d * sizeof(double));
        s->f[t] = s->best_trial_f;
    }
    update_best(s, s->best_trial, s->best_trial_f);
    s->phase = PH_CPA;
    return EO_STATUS_OK;
}

static void cpa_save(const eo_optimizer *opt, const void *state, eo_wbuf *w)
{
    (void)opt;
    const cpa_state *s = state;
    eo_wbuf_u64(w, (uint64_t)s->phase);
    eo_wbuf_f64s(w, s->x, s->n * s->d);
    eo_wbuf_f64s(w, s->f, s->n);
    eo_wbuf_f64s(w, s->bx, s->d);
    eo_wbuf_f64(w, s->bf);
    if (s->ol) {
        eo_wbuf_u64(w, (uint64_t)s->target);
        for (size_t j = 0; j < s->d; j++)
            eo_wbuf_u64(w, (uint64_t)s->group[j]);
        for (int c = 0; c < s->k; c++)
            eo_wbuf_u64(w, (uint64_t)s->lvl[c]);
        eo_wbuf_f64s(w, s->trial_f, (size_t)s->m);
        eo_wbuf_f64s(w, s->best_trial, s->d);
        eo_wbuf_f64(w, s->best_trial_f);
    }
}

static eo_status cpa_load(eo_optimizer *opt, void *state, eo_rbuf *r, eo_error *err)
{
    cpa_state *s = state;
    const char *name = eo_optimizer_name(opt);
    uint64_t ph = eo_rbuf_u64(r);
    eo_rbuf_f64s(r, s->x, s->n * s->d);
    eo_rbuf_f64s(r, s->f, s->n);
    eo_rbuf_f64s(r, s->bx, s->d);
    s->bf = eo_rbuf_f64(r);
    if (s->ol) {
        uint64_t t = eo_rbuf_u64(r);
        for (size_t j = 0; j < s->d; j++) {
            uint64_t g = eo_rbuf_u64(r);
            if (g >= (uint64_t)s->k)
                return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s state: bad factor index",
                                    name);
            s->group[j] = (int)g;
        }
        for (int c = 0; c < s->k; c++) {
            uint64_t l = eo_rbuf_u64(r);
            if (l >= (uint64_t)s->q)
                return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s state: bad level", name);
            s->lvl[c] = (int)l;
        }
        eo_rbuf_f64s(r, s->trial_f, (size_t)s->m);
        eo_rbuf_f64s(r, s->best_trial, s->d);
        s->best_trial_f = eo_rbuf_f64(r);
        if (t >= s->n)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s state: bad target hunter", name);
        s->target = (long long)t;
    }
    if (r->failed)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s state: truncated", name);
    if (ph > PH_OL_PRED || (!s->ol && ph > PH_CPA))
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s state: bad phase %llu", name,
                            (unsigned long long)ph);
    s->phase = (int)ph;
    return EO_STATUS_OK;
}

const eo_optimizer_vtable eo_opt_cpa_vtable = {
    "cpa",
    "Colony Predation Algorithm (Tu et al. 2021): communication, dispersing, encircling, "
    "supporting, new prey",
    k_cpa_keys, 30, cpa_init, cpa_free, cpa_ask, cpa_tell, cpa_save, cpa_load};

const eo_optimizer_vtable eo_opt_olcpa_vtable = {
    "olcpa",
    "CPA with orthogonal learning L_M(Q^K) and factor analysis (He et al. 2023)",
    k_olcpa_keys, 30, olcpa_init, cpa_free, cpa_ask, cpa_tell, cpa_save, cpa_load};
