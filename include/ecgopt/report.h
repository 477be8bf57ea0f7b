/* ecgopt — self-contained HTML reports with inline SVG figures.
 *
 * No JavaScript and no external files: a report is one HTML file a browser
 * renders as is.  The SVG writer draws line plots, bar charts, heat maps and
 * ECG strips on the standard paper grid (25 mm/s, 10 mm/mV).  Figures carry
 * data-kind attributes so tests can find them. */
#ifndef ECGOPT_REPORT_H
#define ECGOPT_REPORT_H

#include "ecgopt/export.h"

#include <stddef.h>

#include "ecgopt/status.h"
#include "ecgopt/strbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- plots -------------------------------------------------------------- */

/* EO_SERIES_DASHED: a grey dashed reference line (e.g. y = x). */
typedef enum eo_series_style {
    EO_SERIES_LINE = 0, EO_SERIES_MARKERS = 1, EO_SERIES_LINE_MARKERS = 2, EO_SERIES_DASHED = 3
} eo_series_style;

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

EO_API void eo_plot_defaults(eo_plot_options *o);
/* Non-finite points are skipped (a gap).  Fails on n == 0 for every series. */
EO_API eo_status eo_svg_line_plot(eo_strbuf *out, const eo_plot_options *o, const eo_series *s, int n_series,
                           eo_error *err);
/* Grouped bars: groups[g].y[c] is the height of group g in category c. */
EO_API eo_status eo_svg_bar_chart(eo_strbuf *out, const eo_plot_options *o, const char *const *categories,
                           int n_categories, const eo_series *groups, int n_groups, eo_error *err);
/* Heat map of values[r * n_cols + c] with the number printed in each cell. */
EO_API eo_status eo_svg_heatmap(eo_strbuf *out, const char *title, const char *const *row_labels, int n_rows,
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
    double band_mv;          /* vertical extent of each trace band, mV (3); <= 0: each
                              * band sized to its trace's range in the window (0.5 mV
                              * steps, 1..8 mV), centred on the midrange: no clipping */
    const char *title;
    const char *id;          /* element id (for links); may be NULL */
} eo_strip_options;

EO_API void eo_strip_defaults(eo_strip_options *o, double fs_hz);
EO_API eo_status eo_svg_ecg_strip(eo_strbuf *out, const eo_strip_options *o, const eo_strip_trace *traces,
                           int n_traces, const eo_strip_mark *marks, size_t n_marks, eo_error *err);

/* ---- HTML report -------------------------------------------------------- */

typedef struct eo_report eo_report;

EO_API eo_report *eo_report_create(const char *title);
EO_API void eo_report_destroy(eo_report *r);
EO_API void eo_report_heading(eo_report *r, int level, const char *text);
EO_API void eo_report_paragraph(eo_report *r, const char *text);
/* Raw HTML (caller guarantees it is well-formed). */
EO_API void eo_report_html(eo_report *r, const char *html);
/* cells is n_rows x n_cols row-major; NULL cells print empty. */
EO_API void eo_report_table(eo_report *r, const char *caption, int n_cols, const char *const *header, int n_rows,
                     const char *const *cells);
/* An SVG figure with a caption; kind ("ecg-strip", "line-plot", "heatmap",
 * "bar-chart", ...) becomes data-kind. */
EO_API void eo_report_figure(eo_report *r, const char *svg, const char *caption, const char *kind, const char *id);
/* ECG strips of one record at two scales: an overview (5 mm/s) whose 10-s
 * windows link to detailed 25 mm/s strips below it. */
EO_API eo_status eo_report_ecg_zoom(eo_report *r, const char *record_id, const eo_strip_options *detail,
                             double overview_seconds, int n_details, const eo_strip_trace *traces,
                             int n_traces, const eo_strip_mark *marks, size_t n_marks, eo_error *err);
/* eo_report_ecg_zoom over samples [s0, s1) of traces sampled at fs_hz and
 * indexed from sample 0 of the record: the overview spans [s0, s1), the
 * detailed strips are 10 s each at 25 mm/s from s0 (no signal band), as
 * many as cover the span. */
EO_API eo_status eo_report_ecg_span(eo_report *r, const char *record_id, double fs_hz, long s0, long s1,
                                    const eo_strip_trace *traces, int n_traces, const eo_strip_mark *marks,
                                    size_t n_marks, eo_error *err);
/* ---- domain sections (report_*.c) ----------------------------------------
 * Each adds a heading, its figures and a table of the numbers behind them.
 * They take plain arrays so that the report module needs no other module
 * (eval links report, not the reverse).  Errors: empty or inconsistent
 * input (EO_STATUS_USAGE), out of memory. */

/* One row of the EC57 summary table (QRS, VEB, SVEB): counts and
 * percentages as eo_ec57_stats has them (NaN where undefined). */
typedef struct eo_report_ec57_row {
    const char *name;
    long tp, fn, fp;
    double se, ppv, fpr; /* percent; fpr NaN when not defined for the row */
} eo_report_ec57_row;

/* Classification: the comparison matrix cm[ref * k + test] (k classes, e.g.
 * EC57's N S V F Q O X with O/X the unmatched pseudo-beats) as a heat map;
 * per-class sensitivity and positive predictivity of the first n_scored
 * classes as bars (Se = cm[c][c] / row sum, +P = cm[c][c] / column sum over
 * those classes, so unmatched beats do not count; classes without reference
 * beats show no Se bar); the EC57 rows (may be NULL/0) as a table. */
EO_API eo_status eo_report_add_classification(eo_report *r, const char *title, const char *const *classes,
                                       int k, const long *cm, int n_scored,
                                       const eo_report_ec57_row *rows, int n_rows, eo_error *err);

/* A curve of points (x[i], y[i]), i < n, with a label. */
typedef struct eo_report_curve {
    const char *label;
    const double *x;
    const double *y;
    size_t n;
} eo_report_curve;

/* Compression: rate-distortion curves, one per mode, x = CR (bits of the
 * original / bits of the file), y = PRDN (%); a lossless mode is one point
 * at PRDN 0 (drawn on the axis).  Table of every point. */
EO_API eo_status eo_report_add_compression(eo_report *r, const eo_report_curve *modes, int n_modes,
                                    eo_error *err);

/* One encoding on a rate-distortion plot: its mode ("lossless", "bounded",
 * "wavelet"), the setting in words ("max error 2 adu"; NULL or "" for
 * none), CR and PRDN (%), and whether it is the encoding the report is
 * about (drawn again as its own, labelled series). */
typedef struct eo_report_rd_point {
    const char *mode;
    const char *setting;
    double cr, prdn;
    int chosen;
} eo_report_rd_point;

/* Compression section: heading (title; NULL: "Compression"), the
 * rate-distortion plot (one series per mode in order of appearance, its
 * points by CR; the chosen point again as its own series named
 * chosen_label, NULL: "this file"; axes from 0 with headroom so no point
 * sits on the frame) and a table with every point's mode and setting, CR,
 * PRDN and QS. */
EO_API eo_status eo_report_add_rate_distortion(eo_report *r, const char *title, const char *chosen_label,
                                               const eo_report_rd_point *p, size_t n, eo_error *err);

/* Denoising: output SNR (y, dB) against input SNR (x, dB), one curve per
 * method for each noise type; curves[i] belongs to noise noise_of[i]
 * (index into noises).  One plot per noise type, the identity line
 * (no improvement) drawn dashed, and a table. */
EO_API eo_status eo_report_add_denoising(eo_report *r, const char *const *noises, int n_noises,
                                  const eo_report_curve *curves, const int *noise_of, int n_curves,
                                  eo_error *err);

/* VMD modes: the signal x and its K modes (modes[k * n + i]) over samples
 * [i0, i0 + count) at fs_hz, one stacked panel each, labelled with the
 * centre frequency (Hz) and what the denoiser did with it (fate[k], may be
 * NULL). */
EO_API eo_status eo_report_add_vmd_modes(eo_report *r, const char *title, double fs_hz, const double *x,
                                  size_t n, const double *modes, int K, const double *center_hz,
                                  const char *const *fate, size_t i0, size_t count, eo_error *err);

/* Optimisation: best-so-far fitness (y) against evaluations (x NULL: 1, 2,
 * ...) of each optimiser; log_y for fitness spanning decades.  Table of the
 * final best of each curve. */
EO_API eo_status eo_report_add_convergence(eo_report *r, const char *title, const char *ylabel,
                                    const eo_report_curve *curves, int n_curves, int log_y,
                                    eo_error *err);

/* CEC 2017 rank table: err[f * n_alg + a] is the mean final error of
 * algorithm a on function f.  Algorithms are ranked per function (1 best,
 * ties share the mean rank, as in the Friedman test); the table shows
 * error and rank, the bar chart the mean rank over functions. */
EO_API eo_status eo_report_add_cec_ranks(eo_report *r, const char *const *algorithms, int n_alg,
                                  const char *const *functions, int n_fun, const double *err_mean,
                                  eo_error *err);

/* A study's trials: values[t * n_params + p] and fitness[t] (NaN: failed).
 * Parameter importance is |Spearman rank correlation| between each
 * parameter and the fitness over the finished trials (a cheap, model-free
 * stand-in for fANOVA; Hutter et al. 2014 would need a forest), shown as
 * bars; fitness against trial number as markers with the best-so-far line. */
EO_API eo_status eo_report_add_study(eo_report *r, const char *title, const char *const *params,
                              int n_params, const double *values, const double *fitness,
                              size_t n_trials, eo_error *err);

/* ---- record sections (report_record.c) -----------------------------------
 * Pieces the per-command reports (info, export, detect, classify, train)
 * share.  Plain arrays again: the commands turn annotation files into them. */

/* A letters-digits-dashes element id from a record name or path ("mitdb/100"
 * -> "100", "x y" -> "x-y"); "strip" when nothing is left.  Always
 * NUL-terminates id (n >= 1). */
EO_API void eo_report_make_id(const char *name, char *id, size_t n);

/* One beat of a beat list: sample and the label to print (not copied). */
typedef struct eo_report_beat {
    long sample;
    const char *label;
} eo_report_beat;

/* What eo_report_pair_beats found in [lo, hi). */
typedef struct eo_report_pair_counts {
    size_t matched;   /* reference beats with a test beat within the window */
    size_t disagree;  /* of them, labels differ */
    size_t missed;    /* reference beats without a test beat (test label "-") */
    size_t extra;     /* test beats without a reference beat (reference label "-") */
} eo_report_pair_counts;

/* Strip marks for the beats in samples [lo, hi) (hi <= lo: no limit).  Each
 * reference beat (time order) takes the nearest unused test beat within
 * +-window samples (the EC57 match window, 150 ms); its mark prints
 * "ref/test" and is highlighted when the labels differ; an unmatched side
 * prints "-".  ref == NULL (no reference): one mark per test beat with its
 * label alone.  *out is malloc'd (free()); counts may be NULL.  Beat lists
 * must be in time order. */
EO_API eo_status eo_report_pair_beats(const eo_report_beat *ref, size_t n_ref, const eo_report_beat *test,
                               size_t n_test, long window, long lo, long hi, eo_strip_mark **out,
                               size_t *n_out, eo_report_pair_counts *counts, eo_error *err);

/* One beat list for the RR figures: beat samples in time order and, per
 * beat, whether it is of sinus origin (eo_hrv_is_normal_symbol; NULL when
 * the beats carry no classes, e.g. a detector's). */
typedef struct eo_report_rr_series {
    const char *label;            /* "reference", "detected" */
    const long *samples;
    const unsigned char *normal;  /* n flags or NULL */
    size_t n;
} eo_report_rr_series;

/* RR intervals of up to 8 beat lists: the tachogram (RR in ms at the time
 * of the beat closing it, as points: lines would turn bigeminy into a solid
 * band; figure id "tachogram"), the Poincare plot (RR(n+1) against RR(n),
 * with the identity line; id "poincare") and a table: beats, mean RR, SDRR
 * (all intervals), NN intervals, mean NN and SDNN over normal-to-normal
 * intervals only (eo_hrv_sdnn; Task Force of the ESC/NASPE 1996), mean
 * rate. */
EO_API eo_status eo_report_add_rr(eo_report *r, const char *title, double fs_hz, const eo_report_rr_series *s,
                                  int n_series, eo_error *err);
/* The same for beat lists without classes (SDNN '-'). */
EO_API eo_status eo_report_add_tachogram(eo_report *r, const char *title, double fs_hz,
                                         const long *const *beats, const size_t *n_beats,
                                         const char *const *labels, int n_series, eo_error *err);

/* Counts per category as bars and a table (e.g. annotations by code, by
 * AAMI class; predicted beats per class).  id names the figure. */
EO_API eo_status eo_report_add_counts(eo_report *r, const char *title, const char *id,
                               const char *const *names, const long *counts, int n, eo_error *err);

/* A labelled time span of a record (e.g. a rhythm episode "AFIB"). */
typedef struct eo_report_episode {
    const char *label;
    long start, end; /* samples, end exclusive */
} eo_report_episode;

/* Rhythm episodes on a time line: one row per distinct label, a bar per
 * episode over the record's n_samples at fs_hz, and a table (label, start,
 * end, duration, share of the record).  Figure kind "timeline", id
 * "rhythm-episodes". */
EO_API eo_status eo_report_add_episodes(eo_report *r, const char *title, double fs_hz, long n_samples,
                                 const eo_report_episode *ep, size_t n_ep, eo_error *err);

/* Training curves: per epoch (or boosting round) e[i], the loss and a
 * metric (e.g. accuracy, %) on the training and the validation part;
 * arrays may be NULL or hold NaN where a value was not measured.  Two line
 * plots (ids "training-loss", "training-metric") and a table. */
EO_API eo_status eo_report_add_training(eo_report *r, const char *title, const char *metric,
                                 const double *e, size_t n, const double *train_loss,
                                 const double *val_loss, const double *train_metric,
                                 const double *val_metric, eo_error *err);
/* The same with the x-axis named (e.g. "boosting round"); NULL: "epoch". */
EO_API eo_status eo_report_add_training_x(eo_report *r, const char *title, const char *xlabel,
                                   const char *metric, const double *e, size_t n,
                                   const double *train_loss, const double *val_loss,
                                   const double *train_metric, const double *val_metric,
                                   eo_error *err);

/* The samples [*s0, *s1) a report shows: from_s for seconds at fs_hz,
 * clipped to n_samples; EO_STATUS_OUT_OF_RANGE naming the record when
 * from_s is past its end (the commands' --report-from). */
EO_API eo_status eo_report_span(const char *record, double from_s, double seconds, double fs_hz,
                         long n_samples, long *s0, long *s1, eo_error *err);

/* Fails (EO_STATUS_IO, message naming path) when a file cannot be created
 * at path: the temporary file eo_report_write would use is created and
 * removed again.  Commands call it before their work so that a bad --report
 * (or output) path costs nothing. */
EO_API eo_status eo_report_check_path(const char *path, eo_error *err);

/* Write atomically (temp file + rename). */
EO_API eo_status eo_report_write(const eo_report *r, const char *path, eo_error *err);
/* The HTML text so far (closing tags added on write only). */
EO_API const char *eo_report_body(const eo_report *r);

#ifdef __cplusplus
}
#endif
#endif
