/* Report pieces shared by the per-command reports (info, export, detect,
 * classify, train): element ids from record names, beat marks pairing two
 * annotators, the RR tachogram, count bars, rhythm episodes on a time line
 * and training curves.  Plain arrays only: the report module needs nothing
 * but core. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/hrv.h"
#include "ecgopt/report.h"

static void reset(eo_strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = 0;
}

void eo_report_make_id(const char *name, char *id, size_t n)
{
    if (!id || n == 0)
        return;
    size_t k = 0;
    const char *slash = name ? strrchr(name, '/') : NULL;
    const char *p = slash ? slash + 1 : name ? name : "";
    for (; *p && k + 1 < n; p++) {
        unsigned char ch = (unsigned char)*p;
        id[k++] = (char)(isalnum(ch) ? ch : '-');
    }
    id[k] = 0;
    if (!k)
        snprintf(id, n, "strip");
}

eo_status eo_report_pair_beats(const eo_report_beat *ref, size_t n_ref, const eo_report_beat *test,
                               size_t n_test, long window, long lo, long hi, eo_strip_mark **out,
                               size_t *n_out, eo_report_pair_counts *counts, eo_error *err)
{
    if (!out || !n_out || (n_test && !test) || (n_ref && !ref) || window < 0)
        return eo_error_set(err, EO_STATUS_USAGE, "beat marks: NULL beat list or negative window");
    *out = NULL;
    *n_out = 0;
    eo_report_pair_counts c = {0, 0, 0, 0};
    int limit = hi > lo;
#define IN_SPAN(s) ((s) >= lo && (!limit || (s) < hi))
    eo_strip_mark *m = calloc(n_ref + n_test + 1, sizeof *m);
    char *used = calloc(n_test + 1, 1);
    if (!m || !used) {
        free(m);
        free(used);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "beat marks: out of memory (%zu beats)", n_ref + n_test);
    }
    size_t n = 0;
    if (!ref) {
        for (size_t k = 0; k < n_test; k++)
            if (IN_SPAN(test[k].sample)) {
                m[n].sample = test[k].sample;
                m[n].ref_label = test[k].label;
                n++;
            }
    } else {
        /* the matching of EC57 / bxb in its simplest form: each reference
         * beat takes the nearest free test beat within the window */
        size_t j = 0;
        for (size_t i = 0; i < n_ref; i++) {
            long s = ref[i].sample;
            if (!IN_SPAN(s))
                continue;
            while (j < n_test && test[j].sample < s - window)
                j++;
            long best = -1, bd = window + 1;
            for (size_t k = j; k < n_test && test[k].sample <= s + window; k++) {
                long d = labs(test[k].sample - s);
                if (!used[k] && d < bd) {
                    bd = d;
                    best = (long)k;
                }
            }
            m[n].sample = s;
            m[n].ref_label = ref[i].label ? ref[i].label : "";
            if (best >= 0) {
                used[best] = 1;
                m[n].test_label = test[best].label ? test[best].label : "";
                c.matched++;
                c.disagree += strcmp(m[n].ref_label, m[n].test_label) != 0;
            } else {
                m[n].test_label = "-";
                c.missed++;
            }
            n++;
        }
        for (size_t k = 0; k < n_test; k++) {
            if (used[k] || !IN_SPAN(test[k].sample))
                continue;
            m[n].sample = test[k].sample;
            m[n].ref_label = "-";
            m[n].test_label = test[k].label ? test[k].label : "";
            c.extra++;
            n++;
        }
    }
#undef IN_SPAN
    free(used);
    *out = m;
    *n_out = n;
    if (counts)
        *counts = c;
    return EO_STATUS_OK;
}

eo_status eo_report_add_tachogram(eo_report *r, const char *title, double fs_hz,
                                  const long *const *beats, const size_t *n_beats,
                                  const char *const *labels, int n_series, eo_error *err)
{
    if (!beats || !n_beats || n_series <= 0 || n_series > 8)
        return eo_error_set(err, EO_STATUS_USAGE, "tachogram: needs 1..8 beat lists and fs > 0");
    eo_report_rr_series s[8];
    for (int k = 0; k < n_series; k++)
        s[k] = (eo_report_rr_series){labels && labels[k] ? labels[k] : "beats", beats[k], NULL, n_beats[k]};
    return eo_report_add_rr(r, title, fs_hz, s, n_series, err);
}

static void fmt_ms(char *b, size_t n, double v)
{
    if (isfinite(v))
        snprintf(b, n, "%.1f", v);
    else
        snprintf(b, n, "-");
}

eo_status eo_report_add_rr(eo_report *r, const char *title, double fs_hz, const eo_report_rr_series *rs,
                           int n_series, eo_error *err)
{
    if (!r || !rs || n_series <= 0 || n_series > 8 || !(fs_hz > 0))
        return eo_error_set(err, EO_STATUS_USAGE, "tachogram: needs 1..8 beat lists and fs > 0");
    enum { NC = 8 };
    double *xs[8] = {0}, *ys[8] = {0}, *px[8] = {0}, *py[8] = {0};
    eo_series s[8], ps[9];
    char cells[8][NC][48];
    const char *cp[8 * NC];
    eo_status st = EO_STATUS_OK;
    size_t points = 0, ppoints = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (int k = 0; k < n_series; k++) {
        size_t n = rs[k].n;
        if (n && !rs[k].samples) {
            st = eo_error_set(err, EO_STATUS_USAGE, "tachogram: series %d has no beats array", k);
            goto done;
        }
        xs[k] = malloc(sizeof(double) * (n + 1));
        ys[k] = malloc(sizeof(double) * (n + 1));
        px[k] = malloc(sizeof(double) * (n + 1));
        py[k] = malloc(sizeof(double) * (n + 1));
        if (!xs[k] || !ys[k] || !px[k] || !py[k]) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "tachogram: out of memory (%zu beats)", n);
            goto done;
        }
        /* every RR interval at the beat closing it; Poincare pairs of
         * consecutive intervals (three beats in a row) */
        size_t m = 0, q = 0;
        double prev = NAN;
        for (size_t i = 1; i < n; i++) {
            double rr = (double)(rs[k].samples[i] - rs[k].samples[i - 1]) / fs_hz * 1000.0;
            if (!(rr > 0)) {
                prev = NAN; /* out of order or duplicate: not an interval */
                continue;
            }
            xs[k][m] = (double)rs[k].samples[i] / fs_hz;
            ys[k][m++] = rr;
            lo = fmin(lo, rr);
            hi = fmax(hi, rr);
            if (isfinite(prev)) {
                px[k][q] = prev;
                py[k][q++] = rr;
            }
            prev = rr;
        }
        points += m;
        ppoints += q;
        double sdrr = NAN, mean_rr = NAN, sdnn = NAN, mean_nn = NAN;
        size_t m_all = 0, m_nn = 0;
        st = eo_hrv_sdnn(rs[k].samples, NULL, n, fs_hz, &sdrr, &mean_rr, &m_all, err);
        if (!st && rs[k].normal)
            st = eo_hrv_sdnn(rs[k].samples, rs[k].normal, n, fs_hz, &sdnn, &mean_nn, &m_nn, err);
        if (st)
            goto done;
        const char *lab = rs[k].label ? rs[k].label : "beats";
        s[k] = (eo_series){lab, xs[k], ys[k], m, EO_SERIES_MARKERS};
        ps[k] = (eo_series){lab, px[k], py[k], q, EO_SERIES_MARKERS};
        snprintf(cells[k][0], 48, "%s", lab);
        snprintf(cells[k][1], 48, "%zu", n);
        fmt_ms(cells[k][2], 48, mean_rr);
        fmt_ms(cells[k][3], 48, sdrr);
        if (rs[k].normal)
            snprintf(cells[k][4], 48, "%zu", m_nn);
        else
            snprintf(cells[k][4], 48, "-");
        fmt_ms(cells[k][5], 48, mean_nn);
        fmt_ms(cells[k][6], 48, sdnn);
        if (isfinite(mean_rr))
            snprintf(cells[k][7], 48, "%.1f", 60000.0 / mean_rr);
        else
            snprintf(cells[k][7], 48, "-");
        for (int c = 0; c < NC; c++)
            cp[k * NC + c] = cells[k][c];
    }
    eo_report_heading(r, 2, title ? title : "RR intervals");
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    if (points) {
        /* points, not lines: a line through alternating short and long
         * intervals (bigeminy) would fill the plot with a solid band */
        eo_plot_options o;
        eo_plot_defaults(&o);
        o.title = "RR tachogram: RR interval vs time";
        o.xlabel = "time (s)";
        o.ylabel = "RR (ms)";
        o.width_px = 900;
        o.height_px = 320;
        o.max_points = 6000;
        st = eo_svg_line_plot(&svg, &o, s, n_series, err);
        if (!st)
            eo_report_figure(r, eo_strbuf_str(&svg),
                             "Each point is one RR interval, drawn at the beat that closes it.", "line-plot",
                             "tachogram");
    } else {
        eo_report_paragraph(r, "Fewer than two beats: no RR interval to draw.");
    }
    if (!st && ppoints) {
        /* Poincare plot: RR(n+1) against RR(n), square, with the identity
         * line; ectopic beats form clusters off the diagonal */
        double a = floor(lo / 100) * 100, b = ceil(hi / 100) * 100;
        if (b <= a)
            b = a + 100;
        double id[2] = {a, b};
        int np = 0;
        for (int k = 0; k < n_series; k++)
            ps[np++] = ps[k];
        ps[np++] = (eo_series){"RR(n+1) = RR(n)", id, id, 2, EO_SERIES_DASHED};
        eo_plot_options o;
        eo_plot_defaults(&o);
        o.title = "Poincare plot";
        o.xlabel = "RR(n) (ms)";
        o.ylabel = "RR(n+1) (ms)";
        o.width_px = 420;
        o.height_px = 420 - 80 + 72; /* plot area 340 x 340 */
        o.xmin = o.ymin = a;
        o.xmax = o.ymax = b;
        o.max_points = 6000;
        reset(&svg);
        st = eo_svg_line_plot(&svg, &o, ps, np, err);
        if (!st)
            eo_report_figure(r, eo_strbuf_str(&svg),
                             "Each point is a pair of consecutive RR intervals (three beats in a row).",
                             "line-plot", "poincare");
    }
    eo_strbuf_destroy(&svg);
    if (st)
        goto done;
    {
        const char *hdr[NC] = {"beats",     "n",         "mean RR (ms)", "SDRR (ms)",
                               "NN intervals", "mean NN (ms)", "SDNN (ms)", "mean rate (bpm)"};
        eo_report_table(r, NULL, NC, hdr, n_series, cp);
        eo_report_paragraph(r, "SDRR: standard deviation of all RR intervals.  SDNN: of the normal-to-normal "
                               "intervals only, both beats of sinus origin (N, L, R), as the Task Force of the "
                               "ESC/NASPE (1996) defines it; '-' where the beats carry no classes (a detector's).");
    }
done:
    for (int k = 0; k < n_series; k++) {
        free(xs[k]);
        free(ys[k]);
        free(px[k]);
        free(py[k]);
    }
    return st;
}

eo_status eo_report_add_counts(eo_report *r, const char *title, const char *id,
                               const char *const *names, const long *counts, int n, eo_error *err)
{
    if (!r || !names || !counts || n <= 0 || n > 64)
        return eo_error_set(err, EO_STATUS_USAGE, "counts report: needs 1..64 categories");
    double v[64];
    long total = 0;
    for (int i = 0; i < n; i++) {
        v[i] = (double)counts[i];
        total += counts[i];
    }
    if (title)
        eo_report_heading(r, 3, title);
    eo_series g = {"count", NULL, v, (size_t)n, EO_SERIES_LINE};
    eo_plot_options o;
    eo_plot_defaults(&o);
    o.title = title;
    o.ylabel = "count";
    o.ymin = 0;
    o.width_px = n > 8 ? 60.0 + 40.0 * n : 420;
    o.height_px = 260;
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    eo_status st = eo_svg_bar_chart(&svg, &o, names, n, &g, 1, err);
    if (!st)
        eo_report_figure(r, eo_strbuf_str(&svg), NULL, "bar-chart", id);
    eo_strbuf_destroy(&svg);
    if (st)
        return st;
    char(*cells)[32] = calloc((size_t)n * 3, sizeof *cells);
    const char **cp = calloc((size_t)n * 3, sizeof *cp);
    if (!cells || !cp) {
        free(cells);
        free(cp);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "counts report: out of memory");
    }
    for (int i = 0; i < n; i++) {
        snprintf(cells[i * 3], 32, "%s", names[i] ? names[i] : "");
        snprintf(cells[i * 3 + 1], 32, "%ld", counts[i]);
        snprintf(cells[i * 3 + 2], 32, "%.2f", total ? 100.0 * (double)counts[i] / (double)total : 0.0);
        for (int q = 0; q < 3; q++)
            cp[i * 3 + q] = cells[i * 3 + q];
    }
    const char *hdr[3] = {"", "count", "%"};
    eo_report_table(r, NULL, 3, hdr, n, cp);
    free(cells);
    free(cp);
    return EO_STATUS_OK;
}

static void fmt_clock(char *b, size_t n, double sec)
{
    long ms = (long)llround(sec * 1000.0);
    long h = ms / 3600000, m = (ms / 60000) % 60;
    double s = (double)(ms % 60000) / 1000.0;
    if (h > 0)
        snprintf(b, n, "%ld:%02ld:%04.1f", h, m, s);
    else
        snprintf(b, n, "%ld:%04.1f", m, s);
}

eo_status eo_report_add_episodes(eo_report *r, const char *title, double fs_hz, long n_samples,
                                 const eo_report_episode *ep, size_t n_ep, eo_error *err)
{
    if (!r || (n_ep && !ep) || !(fs_hz > 0) || n_samples <= 0)
        return eo_error_set(err, EO_STATUS_USAGE, "episodes report: needs fs > 0 and a record length");
    eo_report_heading(r, 2, title ? title : "Rhythm episodes");
    if (n_ep == 0) {
        eo_report_paragraph(r, "No rhythm annotations in this record.");
        return EO_STATUS_OK;
    }
    /* distinct labels, in order of first appearance: one row each */
    const char **rows = calloc(n_ep, sizeof *rows);
    int *row_of = calloc(n_ep, sizeof *row_of);
    char(*cells)[48] = calloc(n_ep * 5, sizeof *cells);
    const char **cp = calloc(n_ep * 5, sizeof *cp);
    if (!rows || !row_of || !cells || !cp) {
        free(rows);
        free(row_of);
        free(cells);
        free(cp);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "episodes report: out of memory");
    }
    int nrows = 0;
    for (size_t i = 0; i < n_ep; i++) {
        const char *lab = ep[i].label ? ep[i].label : "";
        int k = 0;
        while (k < nrows && strcmp(rows[k], lab))
            k++;
        if (k == nrows)
            rows[nrows++] = lab;
        row_of[i] = k;
    }
    double left = 90, width = 900, row_h = 22, top = 24;
    double w = left + width + 20, h = top + nrows * row_h + 26;
    double dur = (double)n_samples / fs_hz;
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    eo_strbuf_printf(&svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"eo-timeline\" width=\"%.0f\" "
                           "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">\n",
                     w, h, w, h);
    eo_strbuf_append(&svg, "<text x=\"4\" y=\"15\" font-size=\"13\" font-weight=\"bold\">Rhythm over the record</text>\n");
    static const char *colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    for (int k = 0; k < nrows; k++) {
        double y = top + k * row_h;
        eo_strbuf_printf(&svg, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#f3f3f3\"/>", left, y + 2,
                         width, row_h - 4);
        eo_strbuf_printf(&svg, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">", left - 6,
                         y + row_h / 2 + 4);
        eo_strbuf_append_xml(&svg, rows[k]);
        eo_strbuf_append(&svg, "</text>\n");
    }
    for (size_t i = 0; i < n_ep; i++) {
        long s0 = ep[i].start < 0 ? 0 : ep[i].start, s1 = ep[i].end > n_samples ? n_samples : ep[i].end;
        if (s1 <= s0)
            continue;
        double x0 = left + width * (double)s0 / (double)n_samples;
        double x1 = left + width * (double)s1 / (double)n_samples;
        double bw = x1 - x0 < 1 ? 1 : x1 - x0; /* a short episode stays visible */
        eo_strbuf_printf(&svg, "<rect class=\"episode\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                               "<title>",
                         x0, top + row_of[i] * row_h + 2, bw, row_h - 4, colours[row_of[i] % 10]);
        eo_strbuf_append_xml(&svg, ep[i].label ? ep[i].label : "");
        eo_strbuf_printf(&svg, " %.1f-%.1f s</title></rect>\n", (double)s0 / fs_hz, (double)s1 / fs_hz);
    }
    /* time axis: about 10 ticks at a round step */
    double step = 1;
    while (dur / step > 12)
        step = step == 1 ? 2 : step == 2 ? 5 : step == 5 ? 10 : step == 10 ? 30 : step == 30 ? 60 : step * 2;
    double ay = top + nrows * row_h + 2;
    eo_strbuf_printf(&svg, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>", left, ay, left + width, ay);
    for (double t = 0; t <= dur + 1e-9; t += step) {
        double x = left + width * t / dur;
        char lab[32];
        long ts = (long)llround(t);
        if (ts >= 3600)
            snprintf(lab, sizeof lab, "%ld:%02ld:%02ld", ts / 3600, ts / 60 % 60, ts % 60);
        else
            snprintf(lab, sizeof lab, "%ld:%02ld", ts / 60, ts % 60);
        eo_strbuf_printf(&svg, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>"
                               "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                         x, ay, x, ay + 4, x, ay + 16, lab);
    }
    eo_strbuf_append(&svg, "\n</svg>\n");
    eo_status st = EO_STATUS_OK;
    if (svg.failed)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "episodes report: out of memory");
    else
        eo_report_figure(r, eo_strbuf_str(&svg), "Each bar is one episode (from a '+' rhythm annotation to the next).",
                         "timeline", "rhythm-episodes");
    eo_strbuf_destroy(&svg);
    for (size_t i = 0; !st && i < n_ep; i++) {
        snprintf(cells[i * 5], 48, "%s", ep[i].label ? ep[i].label : "");
        fmt_clock(cells[i * 5 + 1], 48, (double)ep[i].start / fs_hz);
        fmt_clock(cells[i * 5 + 2], 48, (double)ep[i].end / fs_hz);
        snprintf(cells[i * 5 + 3], 48, "%.1f", (double)(ep[i].end - ep[i].start) / fs_hz);
        snprintf(cells[i * 5 + 4], 48, "%.2f", 100.0 * (double)(ep[i].end - ep[i].start) / (double)n_samples);
        for (int q = 0; q < 5; q++)
            cp[i * 5 + q] = cells[i * 5 + q];
    }
    if (!st) {
        const char *hdr[5] = {"rhythm", "start", "end", "seconds", "% of record"};
        eo_report_table(r, NULL, 5, hdr, (int)n_ep, cp);
    }
    free(rows);
    free(row_of);
    free(cells);
    free(cp);
    return st;
}

static int any_finite(const double *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (isfinite(v[i]))
            return 1;
    return 0;
}

eo_status eo_report_span(const char *record, double from_s, double seconds, double fs_hz,
                         long n_samples, long *s0, long *s1, eo_error *err)
{
    *s0 = (long)llround(from_s * fs_hz);
    *s1 = *s0 + (long)llround(seconds * fs_hz);
    if (*s1 > n_samples)
        *s1 = n_samples;
    if (*s0 >= *s1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: --report-from %g s is past the end (%.1f s)",
                            record, from_s, (double)n_samples / fs_hz);
    return EO_STATUS_OK;
}

eo_status eo_report_add_training(eo_report *r, const char *title, const char *metric,
                                 const double *e, size_t n, const double *train_loss,
                                 const double *val_loss, const double *train_metric,
                                 const double *val_metric, eo_error *err)
{
    return eo_report_add_training_x(r, title, NULL, metric, e, n, train_loss, val_loss, train_metric,
                                    val_metric, err);
}

eo_status eo_report_add_training_x(eo_report *r, const char *title, const char *xlabel,
                                   const char *metric, const double *e, size_t n,
                                   const double *train_loss, const double *val_loss,
                                   const double *train_metric, const double *val_metric,
                                   eo_error *err)
{
    if (!xlabel)
        xlabel = "epoch";
    if (!r || !e || n == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "training report: needs at least one epoch");
    eo_report_heading(r, 2, title ? title : "Training curves");
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    eo_status st = EO_STATUS_OK;
    const double *ys[2][2] = {{train_loss, val_loss}, {train_metric, val_metric}};
    const char *ids[2] = {"training-loss", "training-metric"};
    for (int p = 0; p < 2 && !st; p++) {
        eo_series s[2];
        int ns = 0;
        for (int q = 0; q < 2; q++)
            if (any_finite(ys[p][q], n)) {
                s[ns].label = q ? "validation" : "training";
                s[ns].x = e;
                s[ns].y = ys[p][q];
                s[ns].n = n;
                s[ns].style = n > 60 ? EO_SERIES_LINE : EO_SERIES_LINE_MARKERS;
                ns++;
            }
        if (!ns)
            continue;
        eo_plot_options o;
        eo_plot_defaults(&o);
        o.title = p ? (metric ? metric : "metric") : "Loss";
        o.xlabel = xlabel;
        o.ylabel = p ? (metric ? metric : "metric") : "loss";
        o.width_px = 560;
        o.height_px = 320;
        reset(&svg);
        st = eo_svg_line_plot(&svg, &o, s, ns, err);
        if (!st)
            eo_report_figure(r, eo_strbuf_str(&svg), NULL, "line-plot", ids[p]);
    }
    eo_strbuf_destroy(&svg);
    if (st)
        return st;
    char(*cells)[24] = calloc(n * 5, sizeof *cells);
    const char **cp = calloc(n * 5, sizeof *cp);
    if (!cells || !cp) {
        free(cells);
        free(cp);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "training report: out of memory");
    }
    const double *cols[4] = {train_loss, val_loss, train_metric, val_metric};
    for (size_t i = 0; i < n; i++) {
        snprintf(cells[i * 5], 24, "%g", e[i]);
        for (int q = 0; q < 4; q++) {
            double v = cols[q] ? cols[q][i] : NAN;
            if (isfinite(v))
                snprintf(cells[i * 5 + 1 + q], 24, "%.4g", v);
            else
                snprintf(cells[i * 5 + 1 + q], 24, "-");
        }
        for (int q = 0; q < 5; q++)
            cp[i * 5 + q] = cells[i * 5 + q];
    }
    char h3[64], h4[64];
    snprintf(h3, sizeof h3, "training %s", metric ? metric : "metric");
    snprintf(h4, sizeof h4, "validation %s", metric ? metric : "metric");
    const char *hdr[5] = {xlabel, "training loss", "validation loss", h3, h4};
    eo_report_table(r, NULL, 5, hdr, (int)n, cp);
    free(cells);
    free(cp);
    return EO_STATUS_OK;
}
