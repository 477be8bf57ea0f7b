/* SVG/HTML report writer: structure and values of the figures. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ecgopt/report.h"
#include "ecgopt/util.h"
#include "eo_test.h"

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* number of "x,y" pairs in the first polyline's points attribute */
static int polyline_points(const char *svg)
{
    const char *p = strstr(svg, "points=\"");
    if (!p)
        return -1;
    p += 8;
    int n = 0;
    for (; *p && *p != '"'; p++)
        if (*p == ',')
            n++;
    return n;
}

TEST(line_plot_points_and_scale)
{
    double x[5] = {0, 1, 2, 3, 4}, y[5] = {0, 1, NAN, 3, 4};
    eo_series s = {"a<b", x, y, 5, EO_SERIES_LINE};
    eo_plot_options o;
    eo_plot_defaults(&o);
    o.title = "T";
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_error err;
    CHECK_OK(eo_svg_line_plot(&b, &o, &s, 1, &err), &err);
    /* NaN splits the line into two polylines of 2 points each */
    CHECK_EQ_INT(count(b.data, "<polyline"), 2);
    CHECK_EQ_INT(polyline_points(b.data), 2);
    CHECK(strstr(b.data, "a&lt;b") != NULL);
    /* x axis maps 0 -> 64 px and 4 -> 624 px (width 640 - 16) */
    CHECK(strstr(b.data, "points=\"64.0,") != NULL);
    eo_strbuf_destroy(&b);
    double yn[2] = {NAN, NAN};
    eo_series e = {"e", NULL, yn, 2, EO_SERIES_LINE};
    eo_strbuf_init(&b);
    CHECK(eo_svg_line_plot(&b, &o, &e, 1, &err) == EO_STATUS_USAGE);
    eo_strbuf_destroy(&b);
}

TEST(ecg_strip_grid_and_marks)
{
    double fs = 100, sig[1000];
    for (int i = 0; i < 1000; i++)
        sig[i] = sin(i * 0.1);
    eo_strip_trace tr = {"original", sig, 1000};
    eo_strip_mark m[2] = {{150, "N", "N"}, {250, "N", "V"}};
    eo_strip_options o;
    eo_strip_defaults(&o, fs);
    o.seconds = 4;
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_error err;
    CHECK_OK(eo_svg_ecg_strip(&b, &o, &tr, 1, m, 2, &err), &err);
    /* 4 s x 100 Hz = 400 points in one trace */
    CHECK_EQ_INT(polyline_points(strstr(b.data, "class=\"trace\"")), 400);
    /* grid: 4 s x 25 mm/s = 100 mm -> 101 vertical lines; the band fits
     * the sine's 2 mV range + 0.3 mV, rounded up to 2.5 mV = 25 mm -> 26
     * horizontal */
    CHECK_EQ_INT(count(b.data, "<line"), 101 + 26);
    CHECK_EQ_INT(count(b.data, "class=\"disagree\""), 1);
    CHECK_EQ_INT(count(b.data, "class=\"beat\""), 2);
    /* the 1 mV calibration pulse: 10 mm x 4 px = 40 px high, 0.2 s x 25
     * mm/s x 4 px = 20 px wide, between the label and the grid */
    const char *cal = strstr(b.data, "class=\"cal\"");
    CHECK(cal != NULL);
    double px[6], py[6];
    CHECK(sscanf(strstr(cal, "points=\"") + 8, "%lf,%lf %lf,%lf %lf,%lf %lf,%lf %lf,%lf %lf,%lf", &px[0], &py[0],
                 &px[1], &py[1], &px[2], &py[2], &px[3], &py[3], &px[4], &py[4], &px[5], &py[5]) == 12);
    CHECK_CLOSE(py[1] - py[2], 40, 0, 1e-9);
    CHECK_CLOSE(px[3] - px[2], 20, 0, 1e-9);
    const char *paper = strstr(b.data, "class=\"paper\"");
    double gx0 = atof(strstr(paper, " x=\"") + 4), gy0 = atof(strstr(paper, " y=\"") + 4);
    CHECK(px[5] < gx0 && px[0] > 4 + 8 * 11 * 0.62);
    /* beat labels sit above the grid, not on the trace */
    for (const char *p = b.data; (p = strstr(p, "class=\"beat\"")) != NULL; p++)
        CHECK(atof(strstr(p, " y=\"") + 4) < gy0);
    eo_strbuf_destroy(&b);
}

TEST(ecg_span_strips)
{
    /* 100 Hz, span 2.5-27.5 s: an overview and three 10-s strips from 2.5 s */
    double mv[2750];
    for (int i = 0; i < 2750; i++)
        mv[i] = i < 250 ? NAN : sin(i * 0.1);
    eo_strip_trace tr = {"MLII", mv, 2750};
    eo_report *r = eo_report_create("span");
    eo_error err;
    CHECK_OK(eo_report_ecg_span(r, "rec", 100, 250, 2750, &tr, 1, NULL, 0, &err), &err);
    char path[128];
    snprintf(path, sizeof path, "/tmp/eo_report_span_%ld.html", (long)getpid());
    CHECK_OK(eo_report_write(r, path, &err), &err);
    unsigned char *data;
    size_t n;
    CHECK_OK(eo_read_file(path, &data, &n, &err), &err);
    CHECK_EQ_INT(count((char *)data, "data-kind=\"ecg-overview\""), 1);
    CHECK_EQ_INT(count((char *)data, "data-kind=\"ecg-strip\""), 3);
    CHECK(strstr((char *)data, "id=\"rec-t2\"") != NULL);
    CHECK(strstr((char *)data, "rec: 22-32 s, 25 mm/s") != NULL);
    CHECK(strstr((char *)data, "overview 25 s at 5 mm/s") != NULL);
    free(data);
    remove(path);
    eo_report_destroy(r);
}

TEST(heatmap_and_report_file)
{
    const char *rows[2] = {"N", "V"}, *cols[2] = {"n", "v"};
    double v[4] = {90, 1, 2, 7};
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_error err;
    CHECK_OK(eo_svg_heatmap(&b, "confusion", rows, 2, cols, 2, v, "%.0f", &err), &err);
    CHECK_EQ_INT(count(b.data, "class=\"cell\""), 4);
    CHECK(strstr(b.data, ">90<") != NULL);
    eo_report *r = eo_report_create("Test & report");
    eo_report_heading(r, 2, "Section");
    const char *hdr[2] = {"a", "b"}, *cells[2] = {"1", "2"};
    eo_report_table(r, "cap", 2, hdr, 1, cells);
    eo_report_figure(r, b.data, "fig", "heatmap", "cm");
    char path[128];
    snprintf(path, sizeof path, "/tmp/eo_report_%ld.html", (long)getpid());
    CHECK_OK(eo_report_write(r, path, &err), &err);
    unsigned char *data;
    size_t n;
    CHECK_OK(eo_read_file(path, &data, &n, &err), &err);
    CHECK(strstr((char *)data, "<title>Test &amp; report</title>") != NULL);
    CHECK(strstr((char *)data, "data-kind=\"heatmap\"") != NULL);
    CHECK(strstr((char *)data, "<script") == NULL);
    free(data);
    remove(path);
    eo_report_destroy(r);
    eo_strbuf_destroy(&b);
}

TEST(bar_chart)
{
    const char *cats[3] = {"N", "S", "V"};
    double se[3] = {99, 80, 95}, pp[3] = {98, 60, 97};
    eo_series g[2] = {{"Se", NULL, se, 3, EO_SERIES_LINE}, {"+P", NULL, pp, 3, EO_SERIES_LINE}};
    eo_plot_options o;
    eo_plot_defaults(&o);
    eo_strbuf b;
    eo_strbuf_init(&b);
    eo_error err;
    CHECK_OK(eo_svg_bar_chart(&b, &o, cats, 3, g, 2, &err), &err);
    CHECK_EQ_INT(count(b.data, "class=\"bar\""), 6);
    eo_strbuf_destroy(&b);
}

int main(void)
{
    RUN(line_plot_points_and_scale);
    RUN(ecg_strip_grid_and_marks);
    RUN(heatmap_and_report_file);
    RUN(ecg_span_strips);
    RUN(bar_chart);
    TEST_END();
}
