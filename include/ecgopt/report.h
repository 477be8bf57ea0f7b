/* ecgopt — self-contained HTML reports with inline SVG figures.
 *
 * No JavaScript and no external files: a report is one HTML file a browser
 * renders as is.  The SVG writer draws line plots, bar charts, heat maps and
 * ECG strips on the standard paper grid (25 mm/s, 10 mm/mV).  Figures carry
 * data-kind attributes so tests can find them. */
#ifndef ECGOPT_REPORT_H
#define ECGOPT_REPORT_H

#include <stddef.h>

#include "ecgopt/status.h"
#include "ecgopt/strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- plots -------------------------------------------------------------- */

typedef enum eo_series_style { EO_SERIES_LINE = 0, EO_SERIES_MARKERS = 1, EO_SERIES_LINE_MARKERS = 2 } eo_series_style;

typedef struct eo_series {
    const char *label;
    const double *x;   /* NULL: 0, 1, 2, ... */
    const double *y;
    size_t n;
    eo_series_style style;
} eo_series;

typedef struct eo_plot_options {
    const char *title, *xlabel, *ylabel;
    double width_px, height_px;
    int log_x, log_y;
    double xmin, xmax, ymin, ymax; /* NAN: automatic */
    size_t max_points;             /* thin each series to at most this many points (0: 2000) */
} eo_plot_options;

void eo_plot_defaults(eo_plot_options *o);
/* Non-finite points are skipped (a gap).  Fails on n == 0 for every series. */
eo_status eo_svg_line_plot(eo_strbuf *out, const eo_plot_options *o, const eo_series *s, int n_series,
                           eo_error *err);
/* Grouped bars: groups[g].y[c] is the height of group g in category c. */
eo_status eo_svg_bar_chart(eo_strbuf *out, const eo_plot_options *o, const char *const *categories,
                           int n_categories, const eo_series *groups, int n_groups, eo_error *err);
/* Heat map of values[r * n_cols + c] with the number printed in each cell. */
eo_status eo_svg_heatmap(eo_strbuf *out, const char *title, const char *const *row_labels, int n_rows,
                         const char *const *col_labels, int n_cols, const double *values,
                         const char *value_format, eo_error *err);

/* ---- ECG strips --------------------------------------------------------- */

typedef struct eo_strip_trace {
    const char *label;  /* "original", "denoised", "error" ... */
    const double *mv;   /* physical samples (mV) of the whole signal */
    size_t n;
} eo_strip_trace;

typedef struct eo_strip_mark {
    long sample;
    const char *ref_label;   /* reference label or NULL */
    const char *test_label;  /* predicted label or NULL; differs -> highlighted */
} eo_strip_mark;

typedef struct eo_strip_options {
    double fs_hz;
    double t0_s, seconds;    /* window shown */
    double mm_per_s;         /* 25 */
    double mm_per_mv;        /* 10 */
    double px_per_mm;        /* 4 */
    double band_mv;          /* vertical extent of each trace band, mV (3) */
    const char *title;
    const char *id;          /* element id (for links); may be NULL */
} eo_strip_options;

void eo_strip_defaults(eo_strip_options *o, double fs_hz);
eo_status eo_svg_ecg_strip(eo_strbuf *out, const eo_strip_options *o, const eo_strip_trace *traces,
                           int n_traces, const eo_strip_mark *marks, size_t n_marks, eo_error *err);

/* ---- HTML report -------------------------------------------------------- */

typedef struct eo_report eo_report;

eo_report *eo_report_create(const char *title);
void eo_report_destroy(eo_report *r);
void eo_report_heading(eo_report *r, int level, const char *text);
void eo_report_paragraph(eo_report *r, const char *text);
/* Raw HTML (caller guarantees it is well-formed). */
void eo_report_html(eo_report *r, const char *html);
/* cells is n_rows x n_cols row-major; NULL cells print empty. */
void eo_report_table(eo_report *r, const char *caption, int n_cols, const char *const *header, int n_rows,
                     const char *const *cells);
/* An SVG figure with a caption; kind ("ecg-strip", "line-plot", "heatmap",
 * "bar-chart", ...) becomes data-kind. */
void eo_report_figure(eo_report *r, const char *svg, const char *caption, const char *kind, const char *id);
/* ECG strips of one record at two scales: an overview (5 mm/s) whose 10-s
 * windows link to detailed 25 mm/s strips below it. */
eo_status eo_report_ecg_zoom(eo_report *r, const char *record_id, const eo_strip_options *detail,
                             double overview_seconds, int n_details, const eo_strip_trace *traces,
                             int n_traces, const eo_strip_mark *marks, size_t n_marks, eo_error *err);
/* Write atomically (temp file + rename). */
eo_status eo_report_write(const eo_report *r, const char *path, eo_error *err);
/* The HTML text so far (closing tags added on write only). */
const char *eo_report_body(const eo_report *r);

#ifdef __cplusplus
}
#endif
#endif
