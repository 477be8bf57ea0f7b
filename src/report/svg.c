/* SVG writer: line plots, bar charts, heat maps, ECG strips.  Coordinates are
 * written with 1-2 decimals so files stay small; every number is finite. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/report.h"
#include "svg_internal.h"

static const char *palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
#define N_PALETTE (sizeof palette / sizeof palette[0])

/* Rough width (px) of a sans-serif label: DejaVu/Liberation Sans average
 * about 0.6 em per character; erring wide keeps labels apart. */
static double text_width(const char *s, double font_px)
{
    return (double)(s ? strlen(s) : 0) * font_px * 0.62;
}

void eo_plot_defaults(eo_plot_options *o)
{
    memset(o, 0, sizeof *o);
    o->width_px = 640;
    o->height_px = 360;
    o->xmin = o->xmax = o->ymin = o->ymax = NAN;
    o->max_points = 2000;
}

/* "Nice" tick step: 1, 2 or 5 x 10^k giving about `target` ticks. */
static double nice_step(double span, int target)
{
    if (!(span > 0))
        return 1;
    double raw = span / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

static void fmt_tick(char *buf, size_t n, double v, double step)
{
    if (fabs(v) < step * 1e-9)
        v = 0;
    if (fabs(v) >= 1e5 || (fabs(v) < 1e-3 && v != 0))
        snprintf(buf, n, "%.3g", v);
    else {
        int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
        if (dec > 6)
            dec = 6;
        snprintf(buf, n, "%.*f", dec, v);
    }
}

typedef struct axis {
    double lo, hi;
    int log;
    double p0, p1; /* pixel range */
} axis;

static double ax_map(const axis *a, double v)
{
    double lo = a->lo, hi = a->hi;
    if (a->log) {
        v = log10(v);
        lo = log10(lo);
        hi = log10(hi);
    }
    if (hi == lo)
        return (a->p0 + a->p1) / 2;
    return a->p0 + (v - lo) / (hi - lo) * (a->p1 - a->p0);
}

static int usable(double v, int log)
{
    return isfinite(v) && (!log || v > 0);
}

static void auto_range(axis *a, double given_lo, double given_hi, double dlo, double dhi)
{
    a->lo = isfinite(given_lo) ? given_lo : dlo;
    a->hi = isfinite(given_hi) ? given_hi : dhi;
    if (!(a->hi > a->lo)) {
        double c = a->lo;
        a->lo = a->log ? c / 2 : c - 1;
        a->hi = a->log ? c * 2 : c + 1;
    }
    if (a->log) {
        if (!isfinite(given_lo))
            a->lo = pow(10, floor(log10(a->lo)));
        if (!isfinite(given_hi))
            a->hi = pow(10, ceil(log10(a->hi)));
    } else if (!isfinite(given_lo) || !isfinite(given_hi)) {
        double step = nice_step(a->hi - a->lo, 6);
        if (!isfinite(given_lo))
            a->lo = floor(a->lo / step) * step;
        if (!isfinite(given_hi))
            a->hi = ceil(a->hi / step) * step;
    }
}

/* About one y tick per 35 px (2..5): short panels keep their labels apart. */
static int y_ticks(const axis *ay)
{
    int n = (int)((ay->p0 - ay->p1) / 35);
    return n < 2 ? 2 : n > 5 ? 5 : n;
}

static void draw_axes(eo_strbuf *out, const axis *ax, const axis *ay, const eo_plot_options *o)
{
    eo_strbuf_printf(out, "<rect class=\"plot-area\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444\"/>\n",
                     ax->p0, ay->p1, ax->p1 - ax->p0, ay->p0 - ay->p1);
    /* x ticks */
    char lab[64];
    /* x tick labels 17 px below the axis: clear of the lowest y tick label
     * (baseline 4 px below the axis) where both axes start at the corner */
    if (ax->log) {
        for (double v = ax->lo; v <= ax->hi * 1.0001; v *= 10) {
            double px = ax_map(ax, v);
            fmt_tick(lab, sizeof lab, v, v);
            eo_strbuf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n",
                             px, ay->p0, px, ay->p1, px, ay->p0 + 17, lab);
        }
    } else {
        double st = nice_step(ax->hi - ax->lo, 6);
        for (double v = ceil(ax->lo / st - 1e-9) * st; v <= ax->hi + st * 1e-9; v += st) {
            double px = ax_map(ax, v);
            fmt_tick(lab, sizeof lab, v, st);
            eo_strbuf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">%s</text>\n",
                             px, ay->p0, px, ay->p1, px, ay->p0 + 17, lab);
        }
    }
    if (ay->log) {
        for (double v = ay->lo; v <= ay->hi * 1.0001; v *= 10) {
            double py = ax_map(ay, v);
            fmt_tick(lab, sizeof lab, v, v);
            eo_strbuf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>\n",
                             ax->p0, py, ax->p1, py, ax->p0 - 4, py + 4, lab);
        }
    } else {
        double st = nice_step(ay->hi - ay->lo, y_ticks(ay));
        for (double v = ceil(ay->lo / st - 1e-9) * st; v <= ay->hi + st * 1e-9; v += st) {
            double py = ax_map(ay, v);
            fmt_tick(lab, sizeof lab, v, st);
            eo_strbuf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>\n",
                             ax->p0, py, ax->p1, py, ax->p0 - 4, py + 4, lab);
        }
    }
    if (o->title) {
        eo_strbuf_printf(out, "<text x=\"%.1f\" y=\"16\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">",
                         (ax->p0 + ax->p1) / 2);
        eo_strbuf_append_xml(out, o->title);
        eo_strbuf_append(out, "</text>\n");
    }
    if (o->xlabel) {
        eo_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\">",
                         (ax->p0 + ax->p1) / 2, ay->p0 + 34);
        eo_strbuf_append_xml(out, o->xlabel);
        eo_strbuf_append(out, "</text>\n");
    }
    if (o->ylabel) {
        eo_strbuf_printf(out, "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
                              "transform=\"rotate(-90 14 %.1f)\">",
                         (ay->p0 + ay->p1) / 2, (ay->p0 + ay->p1) / 2);
        eo_strbuf_append_xml(out, o->ylabel);
        eo_strbuf_append(out, "</text>\n");
    }
}

/* Legends sit in a column right of the plot area, never over the data. */
static double legend_width(const eo_series *s, int n)
{
    double w = 0;
    for (int i = 0; i < n; i++)
        if (s[i].label)
            w = fmax(w, text_width(s[i].label, 11));
    return w > 0 ? 10 + 12 + 4 + w + 8 : 0;
}

static void legend(eo_strbuf *out, const axis *ax, const axis *ay, const eo_series *s, int n)
{
    double y = ay->p1, x = ax->p1 + 10;
    for (int i = 0; i < n; i++) {
        if (!s[i].label)
            continue;
        const char *col = s[i].style == EO_SERIES_DASHED ? "#888" : palette[(size_t)i % N_PALETTE];
        eo_strbuf_printf(out, "<g class=\"legend\"><rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                              "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\">",
                         x, y, col, x + 16, y + 10);
        eo_strbuf_append_xml(out, s[i].label);
        eo_strbuf_append(out, "</text></g>\n");
        y += 16;
    }
}

static void svg_open(eo_strbuf *out, double w, double h, const char *cls)
{
    eo_strbuf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" width=\"%.0f\" height=\"%.0f\" "
                          "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n",
                     cls, w, h, w, h);
}

eo_status eo_svg_line_plot(eo_strbuf *out, const eo_plot_options *o, const eo_series *s, int n_series,
                           eo_error *err)
{
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    size_t total = 0;
    for (int k = 0; k < n_series; k++) {
        for (size_t i = 0; i < s[k].n; i++) {
            double x = s[k].x ? s[k].x[i] : (double)i, y = s[k].y[i];
            if (!usable(x, o->log_x) || !usable(y, o->log_y))
                continue;
            xlo = fmin(xlo, x);
            xhi = fmax(xhi, x);
            ylo = fmin(ylo, y);
            yhi = fmax(yhi, y);
            total++;
        }
    }
    if (total == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "plot '%s': no finite points", o->title ? o->title : "");
    axis ax = {0, 0, o->log_x, 64, o->width_px - 16};
    axis ay = {0, 0, o->log_y, o->height_px - 44, 28};
    auto_range(&ax, o->xmin, o->xmax, xlo, xhi);
    auto_range(&ay, o->ymin, o->ymax, ylo, yhi);
    svg_open(out, o->width_px + legend_width(s, n_series), o->height_px, "eo-line-plot");
    draw_axes(out, &ax, &ay, o);
    size_t maxp = o->max_points ? o->max_points : 2000;
    for (int k = 0; k < n_series; k++) {
        const char *col = palette[(size_t)k % N_PALETTE];
        size_t stride = s[k].n > maxp ? (s[k].n + maxp - 1) / maxp : 1;
        int open = 0;
        for (size_t i = 0; i < s[k].n; i += stride) {
            double x = s[k].x ? s[k].x[i] : (double)i, y = s[k].y[i];
            int ok = usable(x, o->log_x) && usable(y, o->log_y);
            if (s[k].style != EO_SERIES_MARKERS) {
                if (ok && !open) {
                    if (s[k].style == EO_SERIES_DASHED)
                        eo_strbuf_append(out, "<polyline class=\"ref-line\" fill=\"none\" stroke=\"#888\" "
                                              "stroke-width=\"1\" stroke-dasharray=\"5,4\" points=\"");
                    else
                        eo_strbuf_printf(out, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"", col);
                    open = 1;
                }
                if (ok)
                    eo_strbuf_printf(out, "%.1f,%.1f ", ax_map(&ax, x), ax_map(&ay, y));
                if (!ok && open) {
                    eo_strbuf_append(out, "\"/>\n");
                    open = 0;
                }
            }
        }
        if (open)
            eo_strbuf_append(out, "\"/>\n");
        /* a cloud of hundreds of points: small, half-transparent markers so
         * a series drawn later does not hide an earlier one */
        int dense = s[k].n / stride > 300;
        if (s[k].style == EO_SERIES_MARKERS || s[k].style == EO_SERIES_LINE_MARKERS)
            for (size_t i = 0; i < s[k].n; i += stride) {
                double x = s[k].x ? s[k].x[i] : (double)i, y = s[k].y[i];
                if (usable(x, o->log_x) && usable(y, o->log_y))
                    eo_strbuf_printf(out, "<circle class=\"series\" cx=\"%.1f\" cy=\"%.1f\" r=\"%s\" fill=\"%s\"%s/>",
                                     ax_map(&ax, x), ax_map(&ay, y), dense ? "1.5" : "2.5", col,
                                     dense ? " fill-opacity=\"0.45\"" : "");
            }
    }
    legend(out, &ax, &ay, s, n_series);
    eo_strbuf_append(out, "</svg>\n");
    return out->failed ? eo_error_set(err, EO_STATUS_NO_MEMORY, "plot: out of memory") : EO_STATUS_OK;
}

eo_status eo_svg_bar_chart(eo_strbuf *out, const eo_plot_options *o, const char *const *categories,
                           int n_categories, const eo_series *groups, int n_groups, eo_error *err)
{
    if (n_categories <= 0 || n_groups <= 0)
        return eo_error_set(err, EO_STATUS_USAGE, "bar chart '%s': nothing to draw", o->title ? o->title : "");
    double ylo = 0, yhi = -INFINITY;
    for (int g = 0; g < n_groups; g++)
        for (int c = 0; c < n_categories && (size_t)c < groups[g].n; c++)
            if (isfinite(groups[g].y[c])) {
                yhi = fmax(yhi, groups[g].y[c]);
                ylo = fmin(ylo, groups[g].y[c]);
            }
    if (!isfinite(yhi))
        yhi = 1;
    axis ax = {0, (double)n_categories, 0, 64, o->width_px - 16};
    axis ay = {0, 0, 0, o->height_px - 44, 28};
    auto_range(&ay, o->ymin, o->ymax, ylo, yhi);
    svg_open(out, o->width_px + legend_width(groups, n_groups), o->height_px, "eo-bar-chart");
    eo_strbuf_printf(out, "<rect class=\"plot-area\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#444\"/>\n",
                     ax.p0, ay.p1, ax.p1 - ax.p0, ay.p0 - ay.p1);
    double st = nice_step(ay.hi - ay.lo, y_ticks(&ay));
    char lab[64];
    for (double v = ceil(ay.lo / st - 1e-9) * st; v <= ay.hi + st * 1e-9; v += st) {
        double py = ax_map(&ay, v);
        fmt_tick(lab, sizeof lab, v, st);
        eo_strbuf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                              "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>\n",
                         ax.p0, py, ax.p1, py, ax.p0 - 4, py + 4, lab);
    }
    double cw = (ax.p1 - ax.p0) / n_categories, bw = cw * 0.8 / n_groups;
    double y0 = ax_map(&ay, 0);
    for (int c = 0; c < n_categories; c++) {
        for (int g = 0; g < n_groups; g++) {
            if ((size_t)c >= groups[g].n || !isfinite(groups[g].y[c]))
                continue;
            double y1 = ax_map(&ay, groups[g].y[c]);
            eo_strbuf_printf(out, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                                  "<title>%.4g</title></rect>",
                             ax.p0 + c * cw + cw * 0.1 + g * bw, fmin(y0, y1), bw, fabs(y1 - y0),
                             palette[(size_t)g % N_PALETTE], groups[g].y[c]);
        }
        eo_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">",
                         ax.p0 + (c + 0.5) * cw, ay.p0 + 14);
        eo_strbuf_append_xml(out, categories[c] ? categories[c] : "");
        eo_strbuf_append(out, "</text>\n");
    }
    if (o->title) {
        eo_strbuf_printf(out, "<text x=\"%.1f\" y=\"16\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">",
                         (ax.p0 + ax.p1) / 2);
        eo_strbuf_append_xml(out, o->title);
        eo_strbuf_append(out, "</text>\n");
    }
    if (o->ylabel) {
        eo_strbuf_printf(out, "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" "
                              "transform=\"rotate(-90 14 %.1f)\">",
                         (ay.p0 + ay.p1) / 2, (ay.p0 + ay.p1) / 2);
        eo_strbuf_append_xml(out, o->ylabel);
        eo_strbuf_append(out, "</text>\n");
    }
    legend(out, &ax, &ay, groups, n_groups);
    eo_strbuf_append(out, "</svg>\n");
    return out->failed ? eo_error_set(err, EO_STATUS_NO_MEMORY, "bar chart: out of memory") : EO_STATUS_OK;
}

eo_status eo_svg_heatmap(eo_strbuf *out, const char *title, const char *const *row_labels, int n_rows,
                         const char *const *col_labels, int n_cols, const double *values,
                         const char *value_format, eo_error *err)
{
    if (n_rows <= 0 || n_cols <= 0)
        return eo_error_set(err, EO_STATUS_USAGE, "heat map '%s': empty", title ? title : "");
    double vmax = 0;
    for (int i = 0; i < n_rows * n_cols; i++)
        if (isfinite(values[i]) && values[i] > vmax)
            vmax = values[i];
    double cell = 48, left = 70, top = 60;
    double w = left + cell * n_cols + 20, h = top + cell * n_rows + 30;
    svg_open(out, w, h, "eo-heatmap");
    if (title) {
        eo_strbuf_printf(out, "<text x=\"%.1f\" y=\"18\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">",
                         w / 2);
        eo_strbuf_append_xml(out, title);
        eo_strbuf_append(out, "</text>\n");
    }
    const char *fmt = value_format ? value_format : "%.0f";
    for (int c = 0; c < n_cols; c++) {
        eo_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\">",
                         left + (c + 0.5) * cell, top - 8);
        eo_strbuf_append_xml(out, col_labels[c] ? col_labels[c] : "");
        eo_strbuf_append(out, "</text>\n");
    }
    for (int r = 0; r < n_rows; r++) {
        eo_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" font-size=\"12\">", left - 6,
                         top + (r + 0.5) * cell + 4);
        eo_strbuf_append_xml(out, row_labels[r] ? row_labels[r] : "");
        eo_strbuf_append(out, "</text>\n");
        for (int c = 0; c < n_cols; c++) {
            double v = values[r * n_cols + c];
            /* sqrt scale so small off-diagonal counts stay visible */
            double t = (vmax > 0 && isfinite(v) && v > 0) ? sqrt(v / vmax) : 0;
            int red = (int)(255 - t * (255 - 31)), green = (int)(255 - t * (255 - 119)), blue = (int)(255 - t * (255 - 180));
            char num[64];
            snprintf(num, sizeof num, fmt, v);
            eo_strbuf_printf(out, "<rect class=\"cell\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                  "fill=\"rgb(%d,%d,%d)\" stroke=\"#fff\"/>"
                                  "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\">%s</text>\n",
                             left + c * cell, top + r * cell, cell, cell, red, green, blue, left + (c + 0.5) * cell,
                             top + (r + 0.5) * cell + 4, t > 0.6 ? "#fff" : "#000", num);
        }
    }
    eo_strbuf_append(out, "</svg>\n");
    return out->failed ? eo_error_set(err, EO_STATUS_NO_MEMORY, "heat map: out of memory") : EO_STATUS_OK;
}

void eo_strip_defaults(eo_strip_options *o, double fs_hz)
{
    memset(o, 0, sizeof *o);
    o->fs_hz = fs_hz;
    o->seconds = 10;
    o->mm_per_s = 25;
    o->mm_per_mv = 10;
    o->px_per_mm = 4;
    o->band_mv = 0;
}

static double mark_width(const eo_strip_mark *m)
{
    size_t n = (m->ref_label ? strlen(m->ref_label) : 0) + (m->test_label ? strlen(m->test_label) + 1 : 0);
    return (double)n * 10 * 0.62;
}

eo_status eo_svg_ecg_strip_geom(eo_strbuf *out, const eo_strip_options *o, const eo_strip_trace *traces,
                                int n_traces, const eo_strip_mark *marks, size_t n_marks, eo_strip_geom *geom,
                                eo_error *err)
{
    if (!(o->fs_hz > 0) || !(o->seconds > 0) || n_traces <= 0 || !(o->mm_per_s > 0) || !(o->mm_per_mv > 0))
        return eo_error_set(err, EO_STATUS_USAGE, "ECG strip: needs fs > 0, seconds > 0, a scale and a trace");
    if (n_traces > 16)
        return eo_error_set(err, EO_STATUS_USAGE, "ECG strip: at most 16 traces, got %d", n_traces);
    double pxmm = o->px_per_mm > 0 ? o->px_per_mm : 4;
    double width_mm = o->seconds * o->mm_per_s;
    long s0 = (long)floor(o->t0_s * o->fs_hz);
    long s1 = s0 + (long)ceil(o->seconds * o->fs_hz);
    /* Each trace gets a band sized to its range over the window plus
     * 0.3 mV, in 0.5 mV (5 mm) steps so band edges fall on major lines, at
     * least 1.5 mV (room for the 1 mV calibration pulse) and at least
     * band_mv; centred on the midrange.  No wave is ever clipped and the
     * scale stays mm_per_mv. */
    double band_mm[16], centre[16], total_mm = 0, label_w = 0;
    for (int k = 0; k < n_traces; k++) {
        const eo_strip_trace *t = &traces[k];
        double lo = INFINITY, hi = -INFINITY;
        long cnt = 0;
        for (long i = s0 < 0 ? 0 : s0; i < s1 && i < (long)t->n; i++)
            if (isfinite(t->mv[i])) {
                lo = fmin(lo, t->mv[i]);
                hi = fmax(hi, t->mv[i]);
                cnt++;
            }
        double span = cnt ? hi - lo : 0;
        double mv = ceil((span + 0.3) / 0.5 - 1e-9) * 0.5;
        if (mv < 1.5)
            mv = 1.5;
        if (o->band_mv > mv)
            mv = o->band_mv;
        band_mm[k] = mv * o->mm_per_mv;
        centre[k] = cnt ? (lo + hi) / 2 : 0;
        total_mm += band_mm[k];
        label_w = fmax(label_w, text_width(t->label, 11));
    }
    /* left margin: the trace label, then the calibration pulse (1 mV high,
     * 0.2 s wide, on the strip's own scale) */
    double cal_w = fmax(6, 0.2 * o->mm_per_s * pxmm);
    double left = fmax(70, 4 + label_w + 8 + cal_w + 12);
    /* beat labels sit in a row above the grid (never over the trace); a
     * label that would touch its left neighbour goes to a second row */
    int mark_rows = 0;
    double row_end[2] = {-INFINITY, -INFINITY};
    unsigned char *row_of = NULL;
    if (n_marks) {
        row_of = calloc(n_marks, 1);
        if (!row_of)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "ECG strip: out of memory");
    }
    for (size_t m = 0; m < n_marks; m++) {
        if (marks[m].sample < s0 || marks[m].sample >= s1)
            continue;
        double x = left + (double)(marks[m].sample - s0) / o->fs_hz * o->mm_per_s * pxmm, hw = mark_width(&marks[m]) / 2;
        int row = x - hw >= row_end[0] + 2 ? 0 : x - hw >= row_end[1] + 2 ? 1 : 0;
        row_of[m] = (unsigned char)row;
        row_end[row] = x + hw;
        if (row + 1 > mark_rows)
            mark_rows = row + 1;
    }
    double top = (o->title ? 22 : 6) + 12.0 * mark_rows + (mark_rows ? 2 : 0);
    double right = 24; /* room for the last time label */
    double w = left + width_mm * pxmm + right, h = top + total_mm * pxmm + 18;
    eo_strbuf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"eo-ecg-strip\" width=\"%.0f\" "
                          "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\"",
                     ceil(w), ceil(h), ceil(w), ceil(h));
    if (o->id)
        eo_strbuf_printf(out, " id=\"%s\"", o->id);
    eo_strbuf_append(out, ">\n");
    if (o->title) {
        eo_strbuf_append(out, "<text x=\"4\" y=\"15\" font-size=\"13\" font-weight=\"bold\">");
        eo_strbuf_append_xml(out, o->title);
        eo_strbuf_append(out, "</text>\n");
    }
    /* paper grid: 1 mm minor, 5 mm major */
    double gx0 = left, gy0 = top, gw = width_mm * pxmm, gh = total_mm * pxmm;
    if (geom) {
        geom->x0 = gx0;
        geom->y0 = gy0;
        geom->w = gw;
        geom->h = gh;
    }
    eo_strbuf_printf(out, "<rect class=\"paper\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#fff5f5\"/>\n",
                     gx0, gy0, gw, gh);
    eo_strbuf_append(out, "<g class=\"grid\" stroke-width=\"0.5\">");
    for (int i = 0; i <= (int)(width_mm + 1e-9); i++)
        eo_strbuf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                         gx0 + i * pxmm, gy0, gx0 + i * pxmm, gy0 + gh, i % 5 ? "#f6caca" : "#e08080");
    for (int i = 0; i <= (int)(total_mm + 1e-9); i++)
        eo_strbuf_printf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", gx0,
                         gy0 + i * pxmm, gx0 + gw, gy0 + i * pxmm, i % 5 ? "#f6caca" : "#e08080");
    eo_strbuf_append(out, "</g>\n");
    /* time labels each second, or every 2/5/10 s when a second is too
     * narrow for its label (overviews at 5 mm/s) */
    int lstep = 1;
    while (lstep < 60 && lstep * o->mm_per_s * pxmm < 36)
        lstep = lstep == 1 ? 2 : lstep == 2 ? 5 : lstep * 2;
    for (int s = 0; s <= (int)o->seconds; s += lstep)
        eo_strbuf_printf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%.0fs</text>",
                         gx0 + s * o->mm_per_s * pxmm, gy0 + gh + 12, o->t0_s + s);
    double band_top = gy0, cal_h = o->mm_per_mv * pxmm, cal_x = left - cal_w - 8;
    for (int k = 0; k < n_traces; k++) {
        const eo_strip_trace *t = &traces[k];
        double bh = band_mm[k] * pxmm, mid = band_top + bh / 2;
        eo_strbuf_printf(out, "<g class=\"trace-band\"><rect class=\"band\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                              "height=\"%.1f\" fill=\"none\"/>",
                         gx0, band_top, gw, bh);
        band_top += bh;
        eo_strbuf_printf(out, "<text class=\"trace-label\" x=\"4\" y=\"%.1f\" font-size=\"11\">", mid + 4);
        eo_strbuf_append_xml(out, t->label ? t->label : "");
        eo_strbuf_append(out, "</text>\n");
        /* 1 mV calibration pulse, 0.2 s wide, centred on the band */
        double base = mid + cal_h / 2;
        eo_strbuf_printf(out, "<polyline class=\"cal\" fill=\"none\" stroke=\"#111\" stroke-width=\"1\" "
                              "points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\">"
                              "<title>1 mV, 0.2 s</title></polyline>\n",
                         cal_x - 4, base, cal_x, base, cal_x, base - cal_h, cal_x + cal_w, base - cal_h,
                         cal_x + cal_w, base, cal_x + cal_w + 4, base);
        int open = 0;
        for (long i = s0; i < s1; i++) {
            int ok = i >= 0 && i < (long)t->n && isfinite(t->mv[i]);
            if (ok && !open) {
                eo_strbuf_printf(out, "<polyline class=\"trace\" fill=\"none\" stroke=\"%s\" stroke-width=\"1\" points=\"",
                                 k == n_traces - 1 && n_traces > 1 && t->label && strstr(t->label, "error") ? "#d62728" : "#111");
                open = 1;
            }
            if (ok) {
                double dy = (t->mv[i] - centre[k]) * o->mm_per_mv * pxmm;
                eo_strbuf_printf(out, "%.1f,%.1f ", gx0 + (double)(i - s0) / o->fs_hz * o->mm_per_s * pxmm, mid - dy);
            } else if (open) {
                eo_strbuf_append(out, "\"/>\n");
                open = 0;
            }
        }
        if (open)
            eo_strbuf_append(out, "\"/>\n");
        eo_strbuf_append(out, "</g>\n");
    }
    for (size_t m = 0; m < n_marks; m++) {
        if (marks[m].sample < s0 || marks[m].sample >= s1)
            continue;
        double x = gx0 + (double)(marks[m].sample - s0) / o->fs_hz * o->mm_per_s * pxmm;
        int differ = marks[m].ref_label && marks[m].test_label && strcmp(marks[m].ref_label, marks[m].test_label);
        if (differ)
            eo_strbuf_printf(out, "<rect class=\"disagree\" x=\"%.1f\" y=\"%.1f\" width=\"16\" height=\"%.1f\" "
                                  "fill=\"#ffbf00\" fill-opacity=\"0.35\"/>",
                             x - 8, gy0, gh);
        eo_strbuf_printf(out, "<text class=\"beat\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\" fill=\"%s\">",
                         x, gy0 - 4 - 12.0 * (mark_rows - 1 - row_of[m]), differ ? "#b00" : "#036");
        eo_strbuf_append_xml(out, marks[m].ref_label ? marks[m].ref_label : "");
        if (marks[m].test_label) {
            eo_strbuf_append(out, "/");
            eo_strbuf_append_xml(out, marks[m].test_label);
        }
        eo_strbuf_append(out, "</text>");
    }
    free(row_of);
    eo_strbuf_append(out, "\n</svg>\n");
    return out->failed ? eo_error_set(err, EO_STATUS_NO_MEMORY, "ECG strip: out of memory") : EO_STATUS_OK;
}

eo_status eo_svg_ecg_strip(eo_strbuf *out, const eo_strip_options *o, const eo_strip_trace *traces,
                           int n_traces, const eo_strip_mark *marks, size_t n_marks, eo_error *err)
{
    return eo_svg_ecg_strip_geom(out, o, traces, n_traces, marks, n_marks, NULL, err);
}
