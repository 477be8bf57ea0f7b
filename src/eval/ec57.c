/* Beat-by-beat annotator comparison per ANSI/AAMI EC57:1998/2012, matching
 * rules as in WFDB's bxb (G. Moody); see include/ecgopt/ec57.h. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/ec57.h"

/* WFDB annotation codes (ecgcodes.h) needed here */
#define CODE_NESC 11 /* j */
#define CODE_NOISE 14
#define CODE_BBB 25
#define CODE_LEARN 30
#define CODE_VFON 32
#define CODE_VFOFF 33
#define CODE_AESC 34 /* e */
#define CODE_SVESC 35
#define CODE_RONT 41

#define FAR_AWAY (LONG_MAX / 4)

void eo_ec57_defaults(eo_ec57_options *o, double fs_hz)
{
    memset(o, 0, sizeof *o);
    o->fs_hz = fs_hz;
    o->match_window_s = 0.15;
    o->learning_period_s = 0.0;
    o->end_sample = 0;
}

const char *eo_ec57_class_name(int c)
{
    static const char *names[EO_EC57_NCLASS] = {"N", "S", "V", "F", "Q", "O", "X"};
    return (c >= 0 && c < EO_EC57_NCLASS) ? names[c] : "?";
}

/* AAMI class of a beat code (EO_EC57_N..Q), -1 for non-beats. */
static int beat_class(int code, int escape_as_sveb)
{
    if (!eo_annot_is_beat(code))
        return -1;
    if (escape_as_sveb && (code == CODE_NESC || code == CODE_AESC))
        return EO_EC57_S;
    eo_aami_class c = eo_annot_aami_class(code);
    if (c != EO_AAMI_NONE)
        return (int)c;
    switch (code) {
    case CODE_BBB: return EO_EC57_N;
    case CODE_SVESC: return EO_EC57_S;
    case CODE_RONT: return EO_EC57_V;
    default: return EO_EC57_Q; /* learning label and anything else: unknown */
    }
}

typedef struct beat {
    long t;
    int c;
} beat;

typedef struct interval {
    long on, off; /* off = FAR_AWAY if unterminated */
} interval;

typedef struct side {
    beat *b;
    size_t n;
    interval *vf, *sd;
    size_t nvf, nsd;
} side;

static void side_free(side *s)
{
    free(s->b);
    free(s->vf);
    free(s->sd);
}

/* Beats, VF episodes and shutdown intervals of one annotator.  Beats inside
 * its own VF episodes are skipped (bxb reads and ignores everything between
 * VFON and VFOFF). */
static eo_status side_build(const eo_annotation_set *a, const char *what, int esc, side *s,
                            eo_error *err)
{
    memset(s, 0, sizeof *s);
    size_t n = a ? a->n : 0;
    /* entry 0 is bxb's label-less mark at sample 0 (see eo_ec57_compare) */
    s->b = malloc((n + 1) * sizeof(beat));
    s->vf = malloc((n + 1) * sizeof(interval));
    s->sd = malloc((n + 1) * sizeof(interval));
    if (!s->b || !s->vf || !s->sd) {
        side_free(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "ec57: out of memory (%zu %s annotations)",
                            n, what);
    }
    s->b[0].t = 0;
    s->b[0].c = -1;
    s->n = 1;
    int in_vf = 0, in_sd = 0;
    long prev = LONG_MIN;
    for (size_t i = 0; i < n; i++) {
        const eo_annotation *x = &a->items[i];
        if (x->sample < prev || x->sample < 0) {
            side_free(s);
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "ec57: %s annotations out of order or negative at sample %ld "
                                "(annotation %zu)",
                                what, x->sample, i);
        }
        prev = x->sample;
        if (in_vf) {
            if (x->code == CODE_VFOFF) {
                s->vf[s->nvf - 1].off = x->sample;
                in_vf = 0;
            }
            continue;
        }
        if (x->code == CODE_VFON) {
            s->vf[s->nvf].on = x->sample;
            s->vf[s->nvf].off = FAR_AWAY;
            s->nvf++;
            in_vf = 1;
            continue;
        }
        if (x->code == CODE_NOISE) {
            int shut = (x->subtype & 0x30) == 0x30;
            if (shut && !in_sd) {
                s->sd[s->nsd].on = x->sample;
                s->sd[s->nsd].off = FAR_AWAY;
                s->nsd++;
                in_sd = 1;
            } else if (!shut && in_sd) {
                s->sd[s->nsd - 1].off = x->sample;
                in_sd = 0;
            }
            continue;
        }
        int c = beat_class(x->code, esc);
        if (c < 0)
            continue;
        s->b[s->n].t = x->sample;
        s->b[s->n].c = c;
        s->n++;
    }
    return EO_STATUS_OK;
}

static int inside(const interval *iv, size_t n, long t)
{
    for (size_t k = 0; k < n; k++)
        if (iv[k].on <= t && t <= iv[k].off)
            return 1;
    return 0;
}

size_t eo_ec57_count_beats(const eo_annotation_set *a)
{
    size_t k = 0;
    if (!a)
        return 0;
    for (size_t i = 0; i < a->n; i++)
        if (eo_annot_is_beat(a->items[i].code))
            k++;
    return k;
}

eo_status eo_ec57_compare(const eo_annotation_set *ref, const eo_annotation_set *test,
                          const eo_ec57_options *o, eo_ec57_result *r, eo_error *err)
{
    if (!o || !r)
        return eo_error_set(err, EO_STATUS_USAGE, "ec57: options or result are NULL");
    memset(r, 0, sizeof *r);
    if (!(o->fs_hz > 0.0 && o->fs_hz < 1e6))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "ec57: sampling rate %g Hz invalid",
                            o->fs_hz);
    if (!(o->match_window_s > 0.0 && o->match_window_s <= 1.0))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "ec57: match window %g s outside (0, 1] s", o->match_window_s);
    if (!(o->learning_period_s >= 0.0 && o->learning_period_s < 1e7))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "ec57: learning period %g s invalid",
                            o->learning_period_s);
    side R, T;
    eo_status st = side_build(ref, "reference", o->escape_as_sveb, &R, err);
    if (st)
        return st;
    st = side_build(test, "test", o->escape_as_sveb, &T, err);
    if (st) {
        side_free(&R);
        return st;
    }
    const long mw = lround(o->match_window_s * o->fs_hz);
    const long start = lround(o->learning_period_s * o->fs_hz);
    const long end = o->end_sample > 0 ? o->end_sample : FAR_AWAY;
    size_t i = 0, j = 0;
#define RT(k) ((k) < R.n ? R.b[k].t : FAR_AWAY)
#define TT(k) ((k) < T.n ? T.b[k].t : FAR_AWAY)
#define PAIR(a, b)                                                                               \
    do {                                                                                         \
        if ((a) >= 0 && (b) >= 0)                                                                \
            r->m[a][b]++;                                                                        \
    } while (0)
    /* Start of the test period, as bxb: both lists begin with a label-less
     * mark at sample 0 (entry 0, class -1; pairs with it count nothing).
     * The reference starts at its first entry at or after `start`; the test
     * at its last entry before `start` (the mark if there is none).  That
     * entry may match the first reference beat; otherwise the first test
     * beat after the start is dropped uncounted if it lies within one
     * window of the start and the next test beat matches better.  With
     * start 0 this pairs the two marks, and a test beat at sample 0 pairs
     * with the reference mark: it is not counted (bxb does the same). */
    while (i < R.n && R.b[i].t < start)
        i++;
    while (j + 1 < T.n && T.b[j + 1].t < start)
        j++;
    {
        long Tr = RT(i), t = TT(j);
        if (Tr - t < labs(Tr - TT(j + 1)) && Tr - t <= mw) {
            if (i < R.n)
                PAIR(R.b[i].c, T.b[j].c);
            i++;
            j++;
        } else {
            j++;
            if (TT(j) - start <= mw && labs(Tr - TT(j + 1)) < labs(Tr - TT(j)))
                j++;
        }
    }
    while ((i < R.n || j < T.n) && (RT(i) <= end || TT(j) <= end)) {
        long Tr = RT(i), Tn = RT(i + 1), t = TT(j), tn = TT(j + 1);
        if (t < Tr) {
            if (Tr - t <= mw && Tr - t < labs(Tr - tn)) {
                PAIR(R.b[i].c, T.b[j].c);
                i++;
                j++;
            } else {
                if (!inside(R.vf, R.nvf, t)) /* beats in reference VF do not count */
                    PAIR(inside(R.sd, R.nsd, t) ? EO_EC57_X : EO_EC57_O, T.b[j].c);
                j++;
            }
        } else {
            if (t - Tr <= mw && t - Tr < labs(t - Tn)) {
                PAIR(R.b[i].c, T.b[j].c);
                i++;
                j++;
            } else {
                PAIR(R.b[i].c, inside(T.sd, T.nsd, Tr) ? EO_EC57_X : EO_EC57_O);
                i++;
            }
        }
    }
#undef PAIR
#undef RT
#undef TT
    side_free(&R);
    side_free(&T);
    return EO_STATUS_OK;
}

void eo_ec57_add(eo_ec57_result *gross, const eo_ec57_result *rec)
{
    for (int a = 0; a < EO_EC57_NCLASS; a++)
        for (int b = 0; b < EO_EC57_NCLASS; b++)
            gross->m[a][b] += rec->m[a][b];
}

static double pct(long a, long b)
{
    return b > 0 ? 100.0 * (double)a / (double)b : NAN;
}

void eo_ec57_stats_of(const eo_ec57_result *r, eo_ec57_stats *s)
{
    const long(*m)[EO_EC57_NCLASS] = r->m;
    enum { N = EO_EC57_N, S = EO_EC57_S, V = EO_EC57_V, F = EO_EC57_F, Q = EO_EC57_Q,
           O = EO_EC57_O, X = EO_EC57_X };
    memset(s, 0, sizeof *s);
    for (int a = N; a <= Q; a++) {
        for (int b = N; b <= Q; b++)
            s->qtp += m[a][b];
        s->qfn += m[a][O] + m[a][X];
        s->qfp += m[O][a] + m[X][a];
    }
    s->vtp = m[V][V];
    s->vfn = m[V][N] + m[V][S] + m[V][F] + m[V][Q] + m[V][O] + m[V][X];
    s->vfp = m[N][V] + m[S][V] + m[O][V] + m[X][V];
    static const int rows[] = {N, S, F, Q, O, X}, cols[] = {N, S, F, Q};
    for (int a = 0; a < 6; a++)
        for (int b = 0; b < 4; b++)
            s->vtn += m[rows[a]][cols[b]];
    s->stp = m[S][S];
    s->sfn = m[S][N] + m[S][V] + m[S][F] + m[S][Q] + m[S][O] + m[S][X];
    s->sfp = m[N][S] + m[V][S] + m[F][S] + m[O][S] + m[X][S];
    s->qrs_se = pct(s->qtp, s->qtp + s->qfn);
    s->qrs_ppv = pct(s->qtp, s->qtp + s->qfp);
    s->veb_se = pct(s->vtp, s->vtp + s->vfn);
    s->veb_ppv = pct(s->vtp, s->vtp + s->vfp);
    s->veb_fpr = pct(s->vfp, s->vtn + s->vfp);
    s->sveb_se = pct(s->stp, s->stp + s->sfn);
    s->sveb_ppv = pct(s->stp, s->stp + s->sfp);
}

void eo_ec57_average(const eo_ec57_result *recs, size_t n, eo_ec57_stats *s)
{
    memset(s, 0, sizeof *s);
    double sum[7] = {0};
    int cnt[7] = {0};
    for (size_t k = 0; k < n; k++) {
        eo_ec57_stats x;
        eo_ec57_stats_of(&recs[k], &x);
        s->qtp += x.qtp;
        s->qfn += x.qfn;
        s->qfp += x.qfp;
        s->vtp += x.vtp;
        s->vfn += x.vfn;
        s->vfp += x.vfp;
        s->vtn += x.vtn;
        s->stp += x.stp;
        s->sfn += x.sfn;
        s->sfp += x.sfp;
        double v[7] = {x.qrs_se, x.qrs_ppv, x.veb_se, x.veb_ppv, x.veb_fpr, x.sveb_se, x.sveb_ppv};
        for (int i = 0; i < 7; i++)
            if (!isnan(v[i])) {
                sum[i] += v[i];
                cnt[i]++;
            }
    }
    double avg[7];
    for (int i = 0; i < 7; i++)
        avg[i] = cnt[i] ? sum[i] / cnt[i] : NAN;
    s->qrs_se = avg[0];
    s->qrs_ppv = avg[1];
    s->veb_se = avg[2];
    s->veb_ppv = avg[3];
    s->veb_fpr = avg[4];
    s->sveb_se = avg[5];
    s->sveb_ppv = avg[6];
}

void eo_ec57_class_metrics_of(const eo_ec57_result *r, eo_ec57_class_metrics *m)
{
    memset(m, 0, sizeof *m);
    long trace = 0;
    for (int a = 0; a < 5; a++)
        for (int b = 0; b < 5; b++) {
            m->total += r->m[a][b];
            m->support[a] += r->m[a][b];
            m->predicted[b] += r->m[a][b];
            if (a == b)
                trace += r->m[a][b];
        }
    m->accuracy = m->total ? (double)trace / (double)m->total : NAN;
    int ncls = 0;
    for (int c = 0; c < 5; c++) {
        long tp = r->m[c][c], fn = m->support[c] - tp, fp = m->predicted[c] - tp;
        long tn = m->total - tp - fn - fp;
        m->se[c] = tp + fn ? (double)tp / (double)(tp + fn) : NAN;
        m->ppv[c] = tp + fp ? (double)tp / (double)(tp + fp) : NAN;
        m->spec[c] = tn + fp ? (double)tn / (double)(tn + fp) : NAN;
        m->f1[c] = 2 * tp + fp + fn ? 2.0 * (double)tp / (double)(2 * tp + fp + fn) : NAN;
        if (m->support[c] > 0) {
            double ppv = isnan(m->ppv[c]) ? 0.0 : m->ppv[c];
            double f1 = isnan(m->f1[c]) ? 0.0 : m->f1[c];
            double spec = isnan(m->spec[c]) ? 0.0 : m->spec[c];
            double w = (double)m->support[c] / (double)m->total;
            ncls++;
            m->macro_se += m->se[c];
            m->macro_ppv += ppv;
            m->macro_spec += spec;
            m->macro_f1 += f1;
            m->weighted_se += w * m->se[c];
            m->weighted_ppv += w * ppv;
            m->weighted_spec += w * spec;
            m->weighted_f1 += w * f1;
        }
    }
    if (ncls) {
        m->macro_se /= ncls;
        m->macro_ppv /= ncls;
        m->macro_spec /= ncls;
        m->macro_f1 /= ncls;
    } else {
        m->macro_se = m->macro_ppv = m->macro_spec = m->macro_f1 = NAN;
        m->weighted_se = m->weighted_ppv = m->weighted_spec = m->weighted_f1 = NAN;
    }
}
