/* Self-contained HTML report: one file, inline CSS and SVG, no scripts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/report.h"
#include "svg_internal.h"
#include "ecgopt/util.h"
#include "ecgopt/version.h"

struct eo_report {
    char title[256];
    eo_strbuf body;
    int n_figures;
};

eo_report *eo_report_create(const char *title)
{
    eo_report *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    snprintf(r->title, sizeof r->title, "%s", title ? title : "ecgopt report");
    eo_strbuf_init(&r->body);
    return r;
}

void eo_report_destroy(eo_report *r)
{
    if (!r)
        return;
    eo_strbuf_destroy(&r->body);
    free(r);
}

void eo_report_heading(eo_report *r, int level, const char *text)
{
    if (level < 1) level = 1;
    if (level > 4) level = 4;
    eo_strbuf_printf(&r->body, "<h%d>", level);
    eo_strbuf_append_xml(&r->body, text);
    eo_strbuf_printf(&r->body, "</h%d>\n", level);
}

void eo_report_paragraph(eo_report *r, const char *text)
{
    eo_strbuf_append(&r->body, "<p>");
    eo_strbuf_append_xml(&r->body, text);
    eo_strbuf_append(&r->body, "</p>\n");
}

void eo_report_html(eo_report *r, const char *html)
{
    eo_strbuf_append(&r->body, html);
}

void eo_report_table(eo_report *r, const char *caption, int n_cols, const char *const *header, int n_rows,
                     const char *const *cells)
{
    eo_strbuf *b = &r->body;
    eo_strbuf_append(b, "<table>");
    if (caption) {
        eo_strbuf_append(b, "<caption>");
        eo_strbuf_append_xml(b, caption);
        eo_strbuf_append(b, "</caption>");
    }
    if (header) {
        eo_strbuf_append(b, "<thead><tr>");
        for (int c = 0; c < n_cols; c++) {
            eo_strbuf_append(b, "<th>");
            eo_strbuf_append_xml(b, header[c] ? header[c] : "");
            eo_strbuf_append(b, "</th>");
        }
        eo_strbuf_append(b, "</tr></thead>");
    }
    eo_strbuf_append(b, "<tbody>\n");
    for (int i = 0; i < n_rows; i++) {
        eo_strbuf_append(b, "<tr>");
        for (int c = 0; c < n_cols; c++) {
            eo_strbuf_append(b, "<td>");
            eo_strbuf_append_xml(b, cells[i * n_cols + c] ? cells[i * n_cols + c] : "");
            eo_strbuf_append(b, "</td>");
        }
        eo_strbuf_append(b, "</tr>\n");
    }
    eo_strbuf_append(b, "</tbody></table>\n");
}

void eo_report_figure(eo_report *r, const char *svg, const char *caption, const char *kind, const char *id)
{
    eo_strbuf *b = &r->body;
    r->n_figures++;
    eo_strbuf_printf(b, "<figure class=\"eo-fig\" data-kind=\"%s\"", kind ? kind : "figure");
    if (id) {
        /* ids stay unique when a section is added twice: the second
         * "convergence" becomes "convergence-2" (the figure's number) */
        char probe[160];
        snprintf(probe, sizeof probe, "id=\"%s\"", id);
        if (b->data && strstr(b->data, probe))
            eo_strbuf_printf(b, " id=\"%s-%d\"", id, r->n_figures);
        else
            eo_strbuf_printf(b, " id=\"%s\"", id);
    }
    eo_strbuf_append(b, ">\n");
    eo_strbuf_append(b, svg);
    if (caption) {
        eo_strbuf_append(b, "<figcaption>");
        eo_strbuf_append_xml(b, caption);
        eo_strbuf_append(b, "</figcaption>");
    }
    eo_strbuf_append(b, "</figure>\n");
}

eo_status eo_report_ecg_zoom(eo_report *r, const char *record_id, const eo_strip_options *detail,
                             double overview_seconds, int n_details, const eo_strip_trace *traces,
                             int n_traces, const eo_strip_mark *marks, size_t n_marks, eo_error *err)
{
    eo_strbuf svg;
    eo_strip_options ov = *detail;
    char id[128], cap[256];
    eo_strbuf_init(&svg);
    /* overview at 5 mm/s: one trace only (the first), windows link to details */
    ov.seconds = overview_seconds;
    ov.mm_per_s = 5;
    ov.id = NULL;
    snprintf(cap, sizeof cap, "%s: overview %.0f s at 5 mm/s (click a window for 25 mm/s)", record_id,
             overview_seconds);
    ov.title = cap;
    eo_strip_geom g;
    eo_status st = eo_svg_ecg_strip_geom(&svg, &ov, traces, 1, marks, 0, &g, err);
    if (st) {
        eo_strbuf_destroy(&svg);
        return st;
    }
    /* overlay links on the overview's grid: insert before the closing </svg> */
    char *end = strstr(svg.data, "\n</svg>");
    if (end) {
        svg.len = (size_t)(end - svg.data);
        svg.data[svg.len] = 0;
        double pxmm = ov.px_per_mm > 0 ? ov.px_per_mm : 4;
        for (int k = 0; k < n_details; k++) {
            double t = detail->t0_s + k * detail->seconds;
            if (t >= ov.t0_s + overview_seconds)
                break;
            double x = g.x0 + (t - ov.t0_s) * ov.mm_per_s * pxmm;
            double wk = fmin(detail->seconds, ov.t0_s + overview_seconds - t) * ov.mm_per_s * pxmm;
            eo_strbuf_printf(&svg, "<a href=\"#%s-t%d\"><rect class=\"zoom-link\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                                   "height=\"%.1f\" fill=\"#1f77b4\" fill-opacity=\"0.08\" stroke=\"#1f77b4\"/></a>",
                             record_id, k, x, g.y0, wk, g.h);
        }
        eo_strbuf_append(&svg, "\n</svg>\n");
    }
    snprintf(id, sizeof id, "%s-overview", record_id);
    eo_report_figure(r, eo_strbuf_str(&svg), NULL, "ecg-overview", id);
    for (int k = 0; k < n_details; k++) {
        eo_strip_options d = *detail;
        d.t0_s = detail->t0_s + k * detail->seconds;
        snprintf(id, sizeof id, "%s-t%d", record_id, k);
        snprintf(cap, sizeof cap, "%s: %.0f-%.0f s, %g mm/s, %g mm/mV", record_id, d.t0_s, d.t0_s + d.seconds,
                 d.mm_per_s, d.mm_per_mv);
        d.title = cap;
        d.id = NULL;
        svg.len = 0;
        if (svg.data)
            svg.data[0] = 0;
        st = eo_svg_ecg_strip(&svg, &d, traces, n_traces, marks, n_marks, err);
        if (st)
            break;
        eo_report_figure(r, eo_strbuf_str(&svg), NULL, "ecg-strip", id);
    }
    eo_strbuf_destroy(&svg);
    return st;
}

eo_status eo_report_ecg_span(eo_report *r, const char *record_id, double fs_hz, long s0, long s1,
                             const eo_strip_trace *traces, int n_traces, const eo_strip_mark *marks,
                             size_t n_marks, eo_error *err)
{
    eo_strip_options so;
    eo_strip_defaults(&so, fs_hz);
    so.band_mv = 0;
    so.t0_s = (double)s0 / fs_hz;
    so.seconds = 10;
    double span_s = (double)(s1 - s0) / fs_hz;
    int n_details = (int)ceil(span_s / so.seconds - 1e-9);
    return eo_report_ecg_zoom(r, record_id, &so, span_s, n_details, traces, n_traces, marks, n_marks, err);
}

static const char *css =
    "body{font-family:sans-serif;max-width:1400px;margin:1em auto;padding:0 1em;color:#222}"
    "h1{border-bottom:2px solid #c33}h2{margin-top:1.6em;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;margin:.8em 0;font-size:13px}"
    "th,td{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f3f3f3}"
    "caption{font-weight:bold;text-align:left;padding:4px 0}"
    "figure{margin:1em 0;overflow-x:auto}figcaption{font-size:12px;color:#555}"
    ".meta{color:#666;font-size:12px}";

eo_status eo_report_write(const eo_report *r, const char *path, eo_error *err)
{
    if (r->body.failed)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: report incomplete (out of memory)", path);
    eo_atomic_file af;
    eo_status st = eo_atomic_open(&af, path, err);
    if (st)
        return st;
    fprintf(af.fp, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                   "<meta name=\"generator\" content=\"ecgopt %s\"><title>",
            EO_VERSION_STRING);
    eo_strbuf t;
    eo_strbuf_init(&t);
    eo_strbuf_append_xml(&t, r->title);
    fputs(eo_strbuf_str(&t), af.fp);
    fprintf(af.fp, "</title><style>%s</style></head>\n<body>\n<h1>%s</h1>\n", css, eo_strbuf_str(&t));
    eo_strbuf_destroy(&t);
    fputs(eo_strbuf_str(&r->body), af.fp);
    fprintf(af.fp, "<p class=\"meta\">Generated by ecgopt %s.</p>\n</body></html>\n", EO_VERSION_STRING);
    return eo_atomic_commit(&af, err);
}

eo_status eo_report_check_path(const char *path, eo_error *err)
{
    if (!path || !*path)
        return eo_error_set(err, EO_STATUS_USAGE, "report: empty output path");
    return eo_output_check(path, err);
}

const char *eo_report_body(const eo_report *r)
{
    return eo_strbuf_str(&r->body);
}
