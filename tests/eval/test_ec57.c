/* EC57 beat-by-beat comparison: hand-built annotation pairs whose matrices
 * are worked out by hand from the rules in include/ecgopt/ec57.h (bxb). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ecgopt/ec57.h"
#include "eo_test.h"

/* WFDB codes */
enum { cN = 1, cV = 5, cF = 6, cA = 8, cS = 9, cNESC = 11, cPACE = 12, cQ = 13, cNOISE = 14,
       cRHYTHM = 28, cVFON = 32, cVFOFF = 33, cAESC = 34 };
enum { N = EO_EC57_N, S = EO_EC57_S, V = EO_EC57_V, F = EO_EC57_F, Q = EO_EC57_Q, O = EO_EC57_O,
       X = EO_EC57_X };

static eo_annotation_set *mk(const long *t, const int *code, const int *sub, size_t n)
{
    eo_annotation_set *a = eo_annot_set_new();
    eo_error err;
    for (size_t i = 0; i < n; i++) {
        eo_annotation x = {.sample = t[i], .code = code ? code[i] : cN, .subtype = sub ? sub[i] : 0};
        CHECK_OK(eo_annot_set_push(a, &x, &err), &err);
    }
    return a;
}

/* fs 100 Hz: the 150 ms window is 15 samples */
static eo_ec57_result cmp(eo_annotation_set *ref, eo_annotation_set *test, double learn_s)
{
    eo_ec57_options o;
    eo_ec57_defaults(&o, 100.0);
    o.learning_period_s = learn_s;
    eo_ec57_result r;
    eo_error err;
    CHECK_OK(eo_ec57_compare(ref, test, &o, &r, &err), &err);
    eo_annot_set_destroy(ref);
    eo_annot_set_destroy(test);
    return r;
}

static long sum(const eo_ec57_result *r)
{
    long s = 0;
    for (int a = 0; a < 7; a++)
        for (int b = 0; b < 7; b++)
            s += r->m[a][b];
    return s;
}

TEST(exact_and_window_edges)
{
    /* 300-315 is exactly 150 ms: a match; 416 vs 400 is 160 ms: FN + FP */
    long rt[] = {100, 200, 300, 400}, tt[] = {100, 205, 315, 416};
    eo_ec57_result r = cmp(mk(rt, NULL, NULL, 4), mk(tt, NULL, NULL, 4), 0);
    CHECK_EQ_INT(r.m[N][N], 3);
    CHECK_EQ_INT(r.m[N][O], 1);
    CHECK_EQ_INT(r.m[O][N], 1);
    CHECK_EQ_INT(sum(&r), 5);
    eo_ec57_stats s;
    eo_ec57_stats_of(&r, &s);
    CHECK_EQ_INT(s.qtp, 3);
    CHECK_EQ_INT(s.qfn, 1);
    CHECK_EQ_INT(s.qfp, 1);
    CHECK_CLOSE(s.qrs_se, 75.0, 1e-12, 0);
    CHECK_CLOSE(s.qrs_ppv, 75.0, 1e-12, 0);
    /* one sample earlier than the window from the other side */
    long rt2[] = {100}, tt2[] = {84};
    r = cmp(mk(rt2, NULL, NULL, 1), mk(tt2, NULL, NULL, 1), 0);
    CHECK_EQ_INT(r.m[N][O], 1);
    CHECK_EQ_INT(r.m[O][N], 1);
    long tt3[] = {85};
    r = cmp(mk(rt2, NULL, NULL, 1), mk(tt3, NULL, NULL, 1), 0);
    CHECK_EQ_INT(r.m[N][N], 1);
    CHECK_EQ_INT(sum(&r), 1);
}

/* A test beat inside two reference windows goes to the closer reference
 * beat: ref 100 is 12 away, ref 120 only 8 away. */
TEST(closest_candidate_wins)
{
    long rt[] = {100, 120}, tt[] = {112};
    eo_ec57_result r = cmp(mk(rt, NULL, NULL, 2), mk(tt, NULL, NULL, 1), 0);
    CHECK_EQ_INT(r.m[N][N], 1);
    CHECK_EQ_INT(r.m[N][O], 1);
    CHECK_EQ_INT(sum(&r), 2);
    /* two test beats near one reference beat: the closer one matches */
    long rt2[] = {200}, tt2[] = {190, 198};
    r = cmp(mk(rt2, NULL, NULL, 1), mk(tt2, NULL, NULL, 2), 0);
    CHECK_EQ_INT(r.m[N][N], 1);
    CHECK_EQ_INT(r.m[O][N], 1);
}

/* Learning period of 1 s (100 samples): beats before it are not scored; the
 * last test beat of the learning period may still match the first reference
 * beat after it (bxb). */
TEST(learning_period)
{
    long rt[] = {50, 150, 250}, tt[] = {50, 150, 260};
    eo_ec57_result r = cmp(mk(rt, NULL, NULL, 3), mk(tt, NULL, NULL, 3), 1.0);
    CHECK_EQ_INT(r.m[N][N], 2);
    CHECK_EQ_INT(sum(&r), 2);
    long rt2[] = {105, 300}, tt2[] = {95, 300};
    r = cmp(mk(rt2, NULL, NULL, 2), mk(tt2, NULL, NULL, 2), 1.0);
    CHECK_EQ_INT(r.m[N][N], 2);
    CHECK_EQ_INT(sum(&r), 2);
    /* without the learning period the early beats count */
    long rt3[] = {50, 150}, tt3[] = {80, 150};
    r = cmp(mk(rt3, NULL, NULL, 2), mk(tt3, NULL, NULL, 2), 0);
    CHECK_EQ_INT(r.m[N][N], 1);
    CHECK_EQ_INT(r.m[N][O], 1);
    CHECK_EQ_INT(r.m[O][N], 1);
}

/* Test beats inside a reference VF episode are not counted; reference beat
 * labels inside VFON..VFOFF are ignored; non-beat annotations are ignored. */
TEST(vf_episodes_and_non_beats)
{
    long rt[] = {500, 1000, 1100, 2000, 3000, 3100};
    int rc[] = {cN, cVFON, cN, cVFOFF, cRHYTHM, cN};
    long tt[] = {500, 1200, 1500, 2500, 3100};
    eo_ec57_result r = cmp(mk(rt, rc, NULL, 6), mk(tt, NULL, NULL, 5), 0);
    CHECK_EQ_INT(r.m[N][N], 2);
    CHECK_EQ_INT(r.m[O][N], 1); /* 2500 only */
    CHECK_EQ_INT(sum(&r), 3);
}

/* Shutdown: NOISE with subtype bits 4,5 set until the next NOISE.  Extra test
 * beats in reference shutdown pair with X; reference beats missed in test
 * shutdown pair with x. */
TEST(shutdown)
{
    long rt[] = {1000, 3000, 4000, 5000}, tt[] = {1000, 3500, 5000, 6000, 7000, 8000};
    int rc[] = {cN, cNOISE, cNOISE, cN}, rs[] = {0, 0x30, 0, 0};
    int tc[] = {cN, cN, cN, cNOISE, cNOISE, cN}, ts[] = {0, 0, 0, 0x30, 0, 0};
    long rt2[] = {1000, 3000, 4000, 5000, 6500, 9000};
    int rc2[] = {cN, cNOISE, cNOISE, cN, cV, cN}, rs2[] = {0, 0x30, 0, 0, 0, 0};
    eo_ec57_result r = cmp(mk(rt, rc, rs, 4), mk(tt, tc, ts, 3), 0);
    CHECK_EQ_INT(r.m[N][N], 2);
    CHECK_EQ_INT(r.m[X][N], 1);
    CHECK_EQ_INT(sum(&r), 3);
    r = cmp(mk(rt2, rc2, rs2, 6), mk(tt, tc, ts, 6), 0);
    CHECK_EQ_INT(r.m[V][X], 1); /* 6500 lies in the test's shutdown 6000..7000 */
    CHECK_EQ_INT(r.m[N][O], 1); /* 9000 missed, no shutdown */
    CHECK_EQ_INT(r.m[O][N], 1); /* 8000 extra */
    eo_ec57_stats s;
    eo_ec57_stats_of(&r, &s);
    CHECK_EQ_INT(s.qfn, 2);
    CHECK_EQ_INT(s.qfp, 2); /* X-row and O-row extras are both false positives */
}

/* VEB and SVEB statistics with EC57's rules, every cell by hand. */
TEST(veb_sveb_rules)
{
    /* matched pairs at 100k, then a missed V, an extra V and an extra S */
    int rcode[] = {cN, cV, cV, cA, cS, cN, cF, cQ, cN, cV};
    int tcode[] = {cN, cV, cN, cA, cN, cV, cV, cA, cS};
    long rt[10], tt[11];
    for (int i = 0; i < 9; i++)
        rt[i] = tt[i] = 100 + 100 * i;
    rt[9] = 2000; /* Vo */
    tt[9] = 3000; /* Ov */
    tt[10] = 4000; /* Os */
    int tcode2[11];
    memcpy(tcode2, tcode, sizeof tcode);
    tcode2[9] = cV;
    tcode2[10] = cS;
    eo_ec57_result r = cmp(mk(rt, rcode, NULL, 10), mk(tt, tcode2, NULL, 11), 0);
    CHECK_EQ_INT(r.m[N][N], 1);
    CHECK_EQ_INT(r.m[V][V], 1);
    CHECK_EQ_INT(r.m[V][N], 1);
    CHECK_EQ_INT(r.m[S][S], 1);
    CHECK_EQ_INT(r.m[S][N], 1);
    CHECK_EQ_INT(r.m[N][V], 1);
    CHECK_EQ_INT(r.m[F][V], 1);
    CHECK_EQ_INT(r.m[Q][S], 1);
    CHECK_EQ_INT(r.m[N][S], 1);
    CHECK_EQ_INT(r.m[V][O], 1);
    CHECK_EQ_INT(r.m[O][V], 1);
    CHECK_EQ_INT(r.m[O][S], 1);
    CHECK_EQ_INT(sum(&r), 12);
    eo_ec57_stats s;
    eo_ec57_stats_of(&r, &s);
    CHECK_EQ_INT(s.qtp, 9);
    CHECK_EQ_INT(s.qfn, 1);
    CHECK_EQ_INT(s.qfp, 2);
    CHECK_EQ_INT(s.vtp, 1);
    CHECK_EQ_INT(s.vfn, 2);    /* Vn + Vo */
    CHECK_EQ_INT(s.vfp, 2);    /* Nv + Ov; Fv is not a VEB false positive */
    CHECK_EQ_INT(s.vtn, 6);    /* Nn Ns Sn Ss Qs Os */
    CHECK_CLOSE(s.veb_se, 100.0 / 3.0, 1e-12, 0);
    CHECK_CLOSE(s.veb_ppv, 100.0 / 3.0, 1e-12, 0);
    CHECK_CLOSE(s.veb_fpr, 100.0 * 2.0 / 8.0, 1e-12, 0);
    CHECK_EQ_INT(s.stp, 1);
    CHECK_EQ_INT(s.sfn, 1);    /* Sn */
    CHECK_EQ_INT(s.sfp, 2);    /* Ns + Os; Qs is not an SVEB false positive */
    CHECK_CLOSE(s.sveb_se, 50.0, 1e-12, 0);
    CHECK_CLOSE(s.sveb_ppv, 100.0 / 3.0, 1e-12, 0);
    /* paced beats are class Q */
    long t1[] = {100};
    int p1[] = {cPACE};
    r = cmp(mk(t1, p1, NULL, 1), mk(t1, NULL, NULL, 1), 0);
    CHECK_EQ_INT(r.m[Q][N], 1);
}

/* bxb's edges of the test period: a test beat at sample 0 meets bxb's
 * label-less reference mark and is not counted; with a learning period, a
 * first test beat just after the start that matches worse than the next is
 * dropped; annotations after end_sample are not scored unless paired with
 * one before it. */
TEST(bxb_start_and_end_rules)
{
    long rt[] = {120, 400}, tt[] = {0, 121, 400};
    eo_ec57_result r = cmp(mk(rt, NULL, NULL, 2), mk(tt, NULL, NULL, 3), 0);
    CHECK_EQ_INT(r.m[N][N], 2);
    CHECK_EQ_INT(sum(&r), 2);
    /* start 1 s: test beat 105 (5 after the start) is dropped because 112
     * matches reference 110 better; without that rule it would be an O */
    long rt2[] = {110, 400}, tt2[] = {105, 112, 400};
    r = cmp(mk(rt2, NULL, NULL, 2), mk(tt2, NULL, NULL, 3), 1.0);
    CHECK_EQ_INT(r.m[N][N], 2);
    CHECK_EQ_INT(sum(&r), 2);
    /* end: a test beat after the last sample is not a false positive; a
     * reference beat before the end is still missed */
    long rt3[] = {100, 950}, tt3[] = {100, 1010};
    eo_annotation_set *ra = mk(rt3, NULL, NULL, 2), *ta = mk(tt3, NULL, NULL, 2);
    eo_ec57_options o;
    eo_ec57_defaults(&o, 100.0);
    o.end_sample = 1000;
    eo_error err;
    CHECK_OK(eo_ec57_compare(ra, ta, &o, &r, &err), &err);
    CHECK_EQ_INT(r.m[N][N], 1);
    CHECK_EQ_INT(r.m[N][O], 1);
    CHECK_EQ_INT(r.m[O][N], 0);
    o.end_sample = 0;
    CHECK_OK(eo_ec57_compare(ra, ta, &o, &r, &err), &err);
    CHECK_EQ_INT(r.m[O][N], 1);
    eo_annot_set_destroy(ra);
    eo_annot_set_destroy(ta);
}

/* Escape beats e and j: N in the AAMI table, S in bxb's SVEB mode. */
TEST(escape_beats)
{
    long t[] = {100, 300};
    int rc[] = {cNESC, cAESC}, tc[] = {cA, cN};
    eo_annotation_set *ra = mk(t, rc, NULL, 2), *ta = mk(t, tc, NULL, 2);
    eo_ec57_options o;
    eo_ec57_defaults(&o, 100.0);
    eo_ec57_result r;
    eo_error err;
    CHECK_OK(eo_ec57_compare(ra, ta, &o, &r, &err), &err);
    CHECK_EQ_INT(r.m[N][S], 1);
    CHECK_EQ_INT(r.m[N][N], 1);
    o.escape_as_sveb = 1;
    CHECK_OK(eo_ec57_compare(ra, ta, &o, &r, &err), &err);
    CHECK_EQ_INT(r.m[S][S], 1);
    CHECK_EQ_INT(r.m[S][N], 1);
    eo_annot_set_destroy(ra);
    eo_annot_set_destroy(ta);
}

TEST(gross_versus_average)
{
    eo_ec57_result rec[2];
    memset(rec, 0, sizeof rec);
    rec[0].m[N][N] = 10;
    rec[1].m[N][N] = 1;
    rec[1].m[N][O] = 1;
    rec[1].m[O][N] = 3;
    eo_ec57_result g;
    memset(&g, 0, sizeof g);
    eo_ec57_add(&g, &rec[0]);
    eo_ec57_add(&g, &rec[1]);
    eo_ec57_stats s, a;
    eo_ec57_stats_of(&g, &s);
    CHECK_CLOSE(s.qrs_se, 100.0 * 11 / 12, 1e-12, 0);
    CHECK_CLOSE(s.qrs_ppv, 100.0 * 11 / 14, 1e-12, 0);
    CHECK(isnan(s.veb_se)); /* no V beats: undefined, not 0 or 100 */
    eo_ec57_average(rec, 2, &a);
    CHECK_CLOSE(a.qrs_se, 75.0, 1e-12, 0);
    CHECK_CLOSE(a.qrs_ppv, (100.0 + 25.0) / 2, 1e-12, 0);
    CHECK_EQ_INT(a.qtp, 11);
    CHECK(isnan(a.veb_se));
}

TEST(class_metrics)
{
    eo_ec57_result r;
    memset(&r, 0, sizeof r);
    r.m[N][N] = 50;
    r.m[N][S] = 5;
    r.m[S][N] = 10;
    r.m[S][S] = 20;
    r.m[V][V] = 15;
    r.m[V][N] = 5;
    r.m[N][O] = 7; /* unmatched beats are outside the 5x5 block */
    eo_ec57_class_metrics m;
    eo_ec57_class_metrics_of(&r, &m);
    CHECK_EQ_INT(m.total, 105);
    CHECK_CLOSE(m.accuracy, 85.0 / 105.0, 1e-12, 0);
    CHECK_EQ_INT(m.support[N], 55);
    CHECK_EQ_INT(m.predicted[N], 65);
    CHECK_CLOSE(m.se[N], 50.0 / 55.0, 1e-12, 0);
    CHECK_CLOSE(m.ppv[N], 50.0 / 65.0, 1e-12, 0);
    CHECK_CLOSE(m.spec[N], 35.0 / 50.0, 1e-12, 0);
    CHECK_CLOSE(m.f1[N], 100.0 / 120.0, 1e-12, 0);
    CHECK_CLOSE(m.se[S], 20.0 / 30.0, 1e-12, 0);
    CHECK_CLOSE(m.ppv[S], 20.0 / 25.0, 1e-12, 0);
    CHECK_CLOSE(m.spec[S], 70.0 / 75.0, 1e-12, 0);
    CHECK_CLOSE(m.se[V], 0.75, 1e-12, 0);
    CHECK_CLOSE(m.ppv[V], 1.0, 1e-12, 0);
    CHECK(isnan(m.se[F]) && isnan(m.ppv[F]));
    double f1s = 2.0 * 20 / (40 + 5 + 10), f1v = 30.0 / 35.0;
    CHECK_CLOSE(m.macro_se, (50.0 / 55 + 20.0 / 30 + 0.75) / 3, 1e-12, 0);
    CHECK_CLOSE(m.macro_f1, (100.0 / 120 + f1s + f1v) / 3, 1e-12, 0);
    CHECK_CLOSE(m.weighted_se, (55 * (50.0 / 55) + 30 * (20.0 / 30) + 20 * 0.75) / 105, 1e-12, 0);
    CHECK_CLOSE(m.weighted_se, m.accuracy, 1e-12, 0); /* identity for weighted recall */
}

TEST(empty_and_bad_input)
{
    eo_ec57_result r = cmp(eo_annot_set_new(), eo_annot_set_new(), 0);
    CHECK_EQ_INT(sum(&r), 0);
    eo_ec57_stats s;
    eo_ec57_stats_of(&r, &s);
    CHECK(isnan(s.qrs_se) && isnan(s.qrs_ppv));
    /* no test beats: every reference beat is a false negative */
    long rt[] = {100, 20000};
    r = cmp(mk(rt, NULL, NULL, 2), eo_annot_set_new(), 0);
    CHECK_EQ_INT(r.m[N][O], 2);
    long bad[] = {300, 200};
    eo_annotation_set *a = mk(bad, NULL, NULL, 2), *b = mk(rt, NULL, NULL, 2);
    eo_ec57_options o;
    eo_ec57_defaults(&o, 360);
    eo_error err;
    CHECK_EQ_INT(eo_ec57_compare(b, a, &o, &r, &err), EO_STATUS_BAD_FORMAT);
    CHECK(strstr(err.msg, "test annotations out of order") != NULL);
    o.fs_hz = 0;
    CHECK_EQ_INT(eo_ec57_compare(b, b, &o, &r, &err), EO_STATUS_OUT_OF_RANGE);
    eo_ec57_defaults(&o, 360);
    o.match_window_s = -1;
    CHECK_EQ_INT(eo_ec57_compare(b, b, &o, &r, &err), EO_STATUS_OUT_OF_RANGE);
    CHECK_EQ_INT(eo_ec57_count_beats(b), 2);
    CHECK_EQ_INT(eo_ec57_count_beats(NULL), 0);
    CHECK(strcmp(eo_ec57_class_name(X), "X") == 0);
    eo_annot_set_destroy(a);
    eo_annot_set_destroy(b);
}

/* The reference file against itself: every beat matched with its own class. */
TEST(mitdb_self_comparison)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/mitdb/208.atr", eo_test_data_dir());
    eo_annotation_set *a;
    eo_error err;
    if (eo_annot_read(path, &a, &err) != EO_STATUS_OK)
        SKIP("MIT-BIH not found");
    eo_ec57_options o;
    eo_ec57_defaults(&o, 360);
    eo_ec57_result r;
    CHECK_OK(eo_ec57_compare(a, a, &o, &r, &err), &err);
    eo_ec57_stats s;
    eo_ec57_stats_of(&r, &s);
    CHECK_EQ_INT(s.qtp, (long)eo_ec57_count_beats(a));
    CHECK_EQ_INT(s.qfn + s.qfp, 0);
    CHECK_CLOSE(s.veb_se, 100.0, 0, 0);
    CHECK(r.m[V][V] == 992 && r.m[F][F] == 373); /* 208: 992 PVCs, 373 fusion beats */
    eo_annot_set_destroy(a);
}

int main(void)
{
    RUN(exact_and_window_edges);
    RUN(closest_candidate_wins);
    RUN(learning_period);
    RUN(vf_episodes_and_non_beats);
    RUN(shutdown);
    RUN(veb_sveb_rules);
    RUN(bxb_start_and_end_rules);
    RUN(escape_beats);
    RUN(gross_versus_average);
    RUN(class_metrics);
    RUN(empty_and_bad_input);
    RUN(mitdb_self_comparison);
    TEST_END();
}
