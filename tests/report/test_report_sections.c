/* Report sections (report_*.c): the numbers behind each figure, computed
 * by hand for small inputs, and the errors on bad input. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/report.h"
#include "eo_test.h"

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

TEST(classification_se_ppv_and_table)
{
    /* ref N: 8 N, 2 V; ref V: 1 N, 9 V; plus 3 missed V beats (column O)
     * which must not lower the class Se (matched beats only). */
    const char *cls[3] = {"N", "V", "O"};
    long cm[9] = {8, 2, 0, 1, 9, 3, 0, 0, 0};
    eo_report_ec57_row rows[1] = {{"VEB", 9, 4, 2, 69.23, 81.82, NAN}};
    eo_report *r = eo_report_create("t");
    eo_error err;
    CHECK_OK(eo_report_add_classification(r, "cls", cls, 3, cm, 2, rows, 1, &err), &err);
    const char *b = eo_report_body(r);
    /* 9 heat-map cells with the counts */
    CHECK_EQ_INT(count(b, "class=\"cell\""), 9);
    CHECK(strstr(b, ">9</text>") != NULL);
    /* Se N = 8/10, Se V = 9/10, +P N = 8/9, +P V = 9/11 */
    CHECK(strstr(b, "<title>80</title>") != NULL);
    CHECK(strstr(b, "<title>90</title>") != NULL);
    CHECK(strstr(b, "<title>88.89</title>") != NULL);
    CHECK(strstr(b, "<title>81.82</title>") != NULL);
    CHECK_EQ_INT(count(b, "class=\"bar\""), 4);
    /* EC57 table: FPR undefined prints '-' */
    CHECK(strstr(b, "<td>VEB</td><td>9</td><td>4</td><td>2</td><td>69.23</td><td>81.82</td><td>-</td>") != NULL);
    CHECK(strstr(b, "23 pairs, 17 on the diagonal") != NULL);
    CHECK(eo_report_add_classification(r, "bad", cls, 0, cm, 0, NULL, 0, &err) == EO_STATUS_USAGE);
    CHECK(eo_report_add_classification(r, "bad", cls, 3, cm, 4, NULL, 0, &err) == EO_STATUS_USAGE);
    eo_report_destroy(r);
}

TEST(compression_points_and_qs)
{
    double cr[2] = {10, 20}, prdn[2] = {4, 8}, lcr[1] = {2.5}, lp[1] = {0};
    eo_report_curve m[2] = {{"wavelet", cr, prdn, 2}, {"lossless", lcr, lp, 1}};
    eo_report *r = eo_report_create("t");
    eo_error err;
    CHECK_OK(eo_report_add_compression(r, m, 2, &err), &err);
    const char *b = eo_report_body(r);
    /* QS = CR / PRDN = 2.5; lossless has no QS */
    CHECK(strstr(b, "<td>wavelet</td><td>-</td><td>10.00</td><td>4.000</td><td>2.50</td>") != NULL);
    CHECK(strstr(b, "<td>lossless</td><td>-</td><td>2.50</td><td>0.000</td><td>-</td>") != NULL);
    /* 3 markers, the wavelet curve a 2-point line */
    CHECK_EQ_INT(count(b, "<circle"), 3);
    CHECK(strstr(b, "data-kind=\"line-plot\" id=\"rate-distortion\"") != NULL);
    eo_report_curve none = {"x", NULL, NULL, 0};
    CHECK(eo_report_add_compression(r, &none, 1, &err) == EO_STATUS_USAGE);
    eo_report_destroy(r);
}

TEST(rate_distortion_settings_and_axes)
{
    /* given out of CR order; the chosen one is drawn again as "this file" */
    eo_report_rd_point p[4] = {{"bounded", "max error 4 adu", 9.0, 2.5, 0},
                               {"bounded", "max error 1 adu", 4.5, 0.8, 1},
                               {"lossless", NULL, 2.9, 0, 0},
                               {"bounded", "max error 16 adu", 13.0, 9.6, 0}};
    eo_report *r = eo_report_create("t");
    eo_error err;
    CHECK_OK(eo_report_add_rate_distortion(r, "Compression of 233", NULL, p, 4, &err), &err);
    const char *b = eo_report_body(r);
    CHECK_EQ_INT(count(b, "<h2>Compression of 233</h2>"), 1);
    /* each row its own setting, QS = 9 / 2.5 = 3.6 */
    CHECK(strstr(b, "<td>bounded</td><td>max error 4 adu</td><td>9.00</td><td>2.500</td><td>3.60</td>") != NULL);
    CHECK(strstr(b, "<td>bounded (this file)</td><td>max error 1 adu</td><td>4.50</td>") != NULL);
    CHECK(strstr(b, "<td>lossless</td><td>-</td><td>2.90</td>") != NULL);
    /* 3 + 1 + 1 markers; the bounded line in CR order */
    CHECK_EQ_INT(count(b, "<circle"), 5);
    CHECK(strstr(b, ">this file</text>") != NULL);
    /* axes from 0 to 13 x 1.1 = 14.3 -> 15 and 9.6 x 1.1 = 10.56 -> 15 (1,
     * 1.5, 2, 2.5, 5 steps): x maps 0..15 to 64..624 px, y 0..15 to 336..28 px; no marker on
     * the frame */
    double x0 = 64, x1 = 624, y0 = 336, y1 = 28; /* 640 x 380 */
    const char *c = strstr(b, "<polyline class=\"series\"");
    CHECK(c != NULL);
    double px, py;
    CHECK(sscanf(strstr(c, "points=\"") + 8, "%lf,%lf", &px, &py) == 2);
    CHECK_CLOSE(px, x0 + 4.5 / 15 * (x1 - x0), 0, 0.06);
    CHECK_CLOSE(py, y0 + 0.8 / 15 * (y1 - y0), 0, 0.06);
    for (const char *q = b; (q = strstr(q, "<circle")) != NULL; q++) {
        double cx = atof(strstr(q, "cx=\"") + 4), cy = atof(strstr(q, "cy=\"") + 4);
        CHECK(cx > x0 + 3 && cx < x1 - 3 && cy >= y1 + 3 && cy <= y0);
    }
    eo_report_rd_point bad = {NULL, NULL, 1, 1, 0};
    CHECK(eo_report_add_rate_distortion(r, NULL, NULL, &bad, 1, &err) == EO_STATUS_USAGE);
    eo_report_destroy(r);
}

TEST(rr_points_poincare_and_sdnn)
{
    /* fs 1000: N V N N N V N N (tests/core/test_hrv.c): RR 600 1200 800 800
     * 500 1100 820, NN 800 800 820 -> SDNN 11.5 ms, SDRR 249.5 ms */
    long b[8] = {0, 600, 1800, 2600, 3400, 3900, 5000, 5820};
    unsigned char nrm[8] = {1, 0, 1, 1, 1, 0, 1, 1};
    eo_report_rr_series s = {"reference", b, nrm, 8};
    eo_report *r = eo_report_create("t");
    eo_error err;
    CHECK_OK(eo_report_add_rr(r, NULL, 1000, &s, 1, &err), &err);
    const char *h = eo_report_body(r);
    CHECK(strstr(h, "<td>reference</td><td>8</td><td>831.4</td><td>249.5</td><td>3</td><td>806.7</td><td>11.5</td>") !=
          NULL);
    /* tachogram: 7 points and no line; Poincare: 6 pairs + the dashed identity */
    const char *t = strstr(h, "id=\"tachogram\""), *p = strstr(h, "id=\"poincare\"");
    CHECK(t && p && t < p);
    if (t && p) {
        const char *pe = strstr(p, "</figure>");
        int circ_t = 0, circ_p = 0, line_t = 0;
        for (const char *q = t; (q = strstr(q, "<circle")) != NULL && q < p; q++)
            circ_t++;
        for (const char *q = t; (q = strstr(q, "<polyline")) != NULL && q < p; q++)
            line_t++;
        for (const char *q = p; (q = strstr(q, "<circle")) != NULL && q < pe; q++)
            circ_p++;
        CHECK_EQ_INT(circ_t, 7);
        CHECK_EQ_INT(line_t, 0);
        CHECK_EQ_INT(circ_p, 6);
        const char *ref = strstr(p, "class=\"ref-line\"");
        CHECK(ref && ref < pe);
    }
    CHECK(eo_report_add_rr(r, NULL, 0, &s, 1, &err) == EO_STATUS_USAGE);
    eo_report_destroy(r);
}

TEST(denoising_plots_per_noise)
{
    double in[3] = {0, 6, 12}, a[3] = {5, 9, 14}, b2[3] = {3, 8, 13};
    const char *noises[2] = {"bw", "ma"};
    eo_report_curve c[3] = {{"bandpass", in, a, 3}, {"wavelet", in, b2, 3}, {"bandpass", in, b2, 3}};
    int of[3] = {0, 0, 1};
    eo_report *r = eo_report_create("t");
    eo_error err;
    CHECK_OK(eo_report_add_denoising(r, noises, 2, c, of, 3, &err), &err);
    const char *b = eo_report_body(r);
    CHECK(strstr(b, "id=\"snr-0\"") != NULL);
    CHECK(strstr(b, "id=\"snr-1\"") != NULL);
    /* one dashed y = x line per plot */
    CHECK_EQ_INT(count(b, "class=\"ref-line\""), 2);
    CHECK(strstr(b, "<td>bw</td><td>bandpass</td><td>0.0</td><td>5.00</td><td>+5.00</td>") != NULL);
    CHECK(strstr(b, "<td>ma</td><td>bandpass</td><td>12.0</td><td>13.00</td><td>+1.00</td>") != NULL);
    int badof[1] = {2};
    CHECK(eo_report_add_denoising(r, noises, 2, c, badof, 1, &err) == EO_STATUS_USAGE);
    eo_report_destroy(r);
}

TEST(vmd_modes_panels)
{
    enum { N = 400 };
    double x[N], modes[2 * N], fc[2] = {1.5, 12.25};
    for (int i = 0; i < N; i++) {
        modes[i] = sin(2 * M_PI * 1.5 * i / 100.0);
        modes[N + i] = 0.2 * sin(2 * M_PI * 12.25 * i / 100.0);
        x[i] = modes[i] + modes[N + i];
    }
    const char *fate[2] = {"removed (baseline)", "kept"};
    eo_report *r = eo_report_create("t");
    eo_error err;
    CHECK_OK(eo_report_add_vmd_modes(r, "modes", 100, x, N, modes, 2, fc, fate, 100, 200, &err), &err);
    const char *b = eo_report_body(r);
    CHECK_EQ_INT(count(b, "data-kind=\"vmd-mode\""), 3);
    CHECK(strstr(b, "mode 2: 12.25 Hz, kept") != NULL);
    /* window of 200 samples: each panel one polyline of 200 points, x axis 1..2.99 s */
    CHECK_EQ_INT(count(b, "<polyline"), 3);
    CHECK(eo_report_add_vmd_modes(r, "m", 100, x, N, modes, 2, fc, fate, N, 10, &err) == EO_STATUS_USAGE);
    eo_report_destroy(r);
}

TEST(convergence_and_cec_ranks)
{
    double a[4] = {5, 3, 3, 1}, b[3] = {4, 4, 2};
    eo_report_curve c[2] = {{"gwo", NULL, a, 4}, {"pso", NULL, b, 3}};
    eo_report *r = eo_report_create("t");
    eo_error err;
    CHECK_OK(eo_report_add_convergence(r, "conv", "f", c, 2, 0, &err), &err);
    const char *body = eo_report_body(r);
    CHECK(strstr(body, "<td>gwo</td><td>4</td><td>1</td>") != NULL);
    CHECK(strstr(body, "<td>pso</td><td>3</td><td>2</td>") != NULL);
    /* x counts evaluations from 1: the first point is at the left edge (x = 64 px) */
    CHECK(strstr(body, "points=\"64.0,") != NULL);
    /* ranks: f1 errors (1, 2, 2) -> 1, 2.5, 2.5; f2 (3, 1, 2) -> 3, 1, 2;
     * mean 2, 1.75, 2.25 */
    const char *alg[3] = {"A", "B", "C"}, *fun[2] = {"F1", "F2"};
    double e[6] = {1, 2, 2, 3, 1, 2};
    CHECK_OK(eo_report_add_cec_ranks(r, alg, 3, fun, 2, e, &err), &err);
    body = eo_report_body(r);
    CHECK(strstr(body, "<td>F1</td><td>1.000e+00</td><td>1.0</td><td>2.000e+00</td><td>2.5</td>") != NULL);
    CHECK(strstr(body, "<td>mean rank</td><td></td><td>2.00</td><td></td><td>1.75</td><td></td><td>2.25</td>") !=
          NULL);
    CHECK(strstr(body, "<title>1.75</title>") != NULL);
    /* a second convergence section: its figure id is made unique; curves
     * with x report their last evaluation count */
    double ex[2] = {100, 2500}, ey[2] = {3, 2};
    eo_report_curve c2 = {"ga", ex, ey, 2};
    CHECK_OK(eo_report_add_convergence(r, "conv2", "f", &c2, 1, 1, &err), &err);
    body = eo_report_body(r);
    CHECK_EQ_INT(count(body, "id=\"convergence\""), 1);
    CHECK(strstr(body, "id=\"convergence-3\"") != NULL);
    CHECK(strstr(body, "<td>ga</td><td>2500</td><td>2</td>") != NULL);
    eo_report_destroy(r);
}

TEST(study_importance)
{
    /* fitness increases with p0 (rho = 1), p1 constant (rho = 0), p2
     * decreasing (|rho| = 1); one failed trial is left out */
    double v[5 * 3], f[5] = {1, 2, NAN, 4, 5};
    for (int t = 0; t < 5; t++) {
        v[t * 3] = t;
        v[t * 3 + 1] = 7;
        v[t * 3 + 2] = -t * t;
    }
    const char *p[3] = {"p0", "p1", "p2"};
    eo_report *r = eo_report_create("t");
    eo_error err;
    CHECK_OK(eo_report_add_study(r, "study", p, 3, v, f, 5, &err), &err);
    const char *b = eo_report_body(r);
    CHECK_EQ_INT(count(b, "<title>1</title>"), 2);
    CHECK_EQ_INT(count(b, "<title>0</title>"), 1);
    /* trial markers: 4 finished trials + best-so-far line */
    CHECK_EQ_INT(count(b, "<circle"), 4);
    CHECK(eo_report_add_study(r, "s", p, 3, v, f, 0, &err) == EO_STATUS_USAGE);
    eo_report_destroy(r);
}

TEST(strip_overview_labels)
{
    /* at 5 mm/s, 4 px/mm a second is 20 px: labels every 2 s */
    double sig[3000];
    for (int i = 0; i < 3000; i++)
        sig[i] = 0;
    eo_strip_trace tr = {"x", sig, 3000};
    eo_strip_options o;
    eo_strip_defaults(&o, 100);
    o.seconds = 30;
    o.mm_per_s = 5;
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_error err;
    CHECK_OK(eo_svg_ecg_strip(&b, &o, &tr, 1, NULL, 0, &err), &err);
    CHECK(strstr(b.data, ">2s<") != NULL);
    CHECK(strstr(b.data, ">1s<") == NULL);
    CHECK_EQ_INT(count(b.data, "s</text>"), 16);
    eo_strbuf_destroy(&b);
}

TEST(strip_auto_bands)
{
    /* a 3 mV deep beat and a 0.1 mV trace: auto bands 3.5 mV (3 + 0.3 margin,
     * rounded up to 0.5) and 1.5 mV (the minimum, room for the calibration
     * pulse): 50 mm -> 51 horizontal lines, nothing clipped (the deepest
     * point sits 1.5 mV below the band centre -> inside its band) */
    double a[400], b[400];
    for (int i = 0; i < 400; i++) {
        a[i] = i == 200 ? -2.5 : 0.5;
        b[i] = 0.1 * (i % 2);
    }
    eo_strip_trace tr[2] = {{"deep", a, 400}, {"small", b, 400}};
    eo_strip_options o;
    eo_strip_defaults(&o, 100);
    o.seconds = 4;
    eo_strbuf s;
    eo_strbuf_init(&s);
    eo_error err;
    CHECK_OK(eo_svg_ecg_strip(&s, &o, tr, 2, NULL, 0, &err), &err);
    CHECK_EQ_INT(count(s.data, "<line"), 101 + 51);
    /* top 6 + 35 mm x 4 px / 2 = 76 is the first band's centre, value -1 mV
     * (midrange of -2.5..0.5); -2.5 mV is 1.5 mV = 60 px below: y = 136.0 */
    CHECK(strstr(s.data, ",136.0 ") != NULL);
    CHECK(strstr(s.data, "height=\"224\"") != NULL); /* 6 + 50 x 4 + 18 */
    CHECK_EQ_INT(count(s.data, "class=\"cal\""), 2);
    eo_strbuf_destroy(&s);
}

/* Every point of every trace strictly inside its band (a clipped trace runs
 * flat along the band's edge); returns the number of points checked. */
static long trace_points_inside(const char *svg, int *bad)
{
    long n = 0;
    *bad = 0;
    for (const char *p = svg; (p = strstr(p, "class=\"band\"")) != NULL;) {
        double y0 = atof(strstr(p, " y=\"") + 4), h = atof(strstr(p, " height=\"") + 9);
        const char *next = strstr(p + 1, "class=\"band\"");
        const char *t = strstr(p, "class=\"trace\"");
        for (; t && (!next || t < next); t = strstr(t + 1, "class=\"trace\"")) {
            const char *q = strstr(t, "points=\"") + 8;
            double x, y;
            int used;
            while (sscanf(q, "%lf,%lf %n", &x, &y, &used) == 2) {
                n++;
                if (!(y > y0 + 0.5 && y < y0 + h - 0.5))
                    (*bad)++;
                q += used;
            }
        }
        p = next ? next : p + 1;
        if (!next)
            break;
    }
    return n;
}

TEST(strip_never_clips)
{
    /* a fixed band_mv is a minimum: a 6 mV QRS in a 3 mV band grows the
     * band (6.5 mV) instead of cutting the complex off flat */
    double a[1000];
    for (int i = 0; i < 1000; i++)
        a[i] = (i % 250) == 100 ? 5.0 : (i % 250) == 104 ? -1.0 : 0.05 * sin(i * 0.05);
    eo_strip_trace tr[2] = {{"original", a, 1000}, {"reconstructed", a, 1000}};
    eo_strip_options o;
    eo_strip_defaults(&o, 250);
    o.band_mv = 3;
    eo_strbuf s;
    eo_strbuf_init(&s);
    eo_error err;
    CHECK_OK(eo_svg_ecg_strip(&s, &o, tr, 2, NULL, 0, &err), &err);
    int bad;
    CHECK_EQ_INT(trace_points_inside(s.data, &bad), 2 * 1000);
    CHECK_EQ_INT(bad, 0);
    /* the band's height: 6 mV + 0.3 -> 6.5 mV -> 65 mm -> 260 px */
    CHECK(strstr(s.data, "height=\"260.0\"") != NULL);
    eo_strbuf_destroy(&s);
}

int main(void)
{
    RUN(classification_se_ppv_and_table);
    RUN(compression_points_and_qs);
    RUN(rate_distortion_settings_and_axes);
    RUN(rr_points_poincare_and_sdnn);
    RUN(denoising_plots_per_noise);
    RUN(vmd_modes_panels);
    RUN(convergence_and_cec_ranks);
    RUN(study_importance);
    RUN(strip_overview_labels);
    RUN(strip_auto_bands);
    RUN(strip_never_clips);
    TEST_END();
}
