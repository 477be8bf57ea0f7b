/* Report section: rate-distortion curves of the codec modes (docs/codec.md
 * metric definitions: CR counts every bit of the file, PRDN is the PRD with
 * the mean removed). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/report.h"

/* The axis end: the largest value plus 10 % headroom, rounded up to 1, 1.5,
 * 2, 2.5 or 5 x 10^k, so the outermost point stays off the frame. */
static double axis_end(double vmax, double floor_v)
{
    double v = fmax(vmax * 1.1, floor_v);
    double mag = pow(10, floor(log10(v)));
    double f = v / mag;
    return (f <= 1 ? 1 : f <= 1.5 ? 1.5 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
}

static int by_cr(const void *a, const void *b)
{
    double x = **(const double *const *)a, y = **(const double *const *)b;
    return (x > y) - (x < y);
}

eo_status eo_report_add_rate_distortion(eo_report *r, const char *title, const char *chosen_label,
                                        const eo_report_rd_point *p, size_t n, eo_error *err)
{
    if (!r || !p || n == 0 || n > 4096)
        return eo_error_set(err, EO_STATUS_USAGE, "compression report: needs 1..4096 points");
    for (size_t i = 0; i < n; i++)
        if (!p[i].mode || !isfinite(p[i].cr) || !isfinite(p[i].prdn))
            return eo_error_set(err, EO_STATUS_USAGE, "compression report: point %zu has no mode or a "
                                                      "non-finite CR/PRDN", i);
    /* distinct modes, in order of first appearance; one more for "this file" */
    const char *names[16];
    int nm = 0;
    for (size_t i = 0; i < n; i++) {
        int k = 0;
        while (k < nm && strcmp(names[k], p[i].mode))
            k++;
        if (k == nm) {
            if (nm == 15)
                return eo_error_set(err, EO_STATUS_USAGE, "compression report: more than 15 modes");
            names[nm++] = p[i].mode;
        }
    }
    double *xs = malloc(sizeof(double) * 2 * (n + 1));
    const double **ord = malloc(sizeof *ord * n);
    char(*cells)[64] = calloc(n * 5, sizeof *cells);
    const char **cp = calloc(n * 5, sizeof *cp);
    if (!xs || !ord || !cells || !cp) {
        free(xs);
        free(ord);
        free(cells);
        free(cp);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "compression report: out of memory");
    }
    double *ys = xs + n + 1;
    eo_series s[16];
    size_t used = 0;
    double crmax = 0, pmax = 0;
    for (int k = 0; k < nm; k++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(p[i].mode, names[k]))
                ord[m++] = &p[i].cr; /* sorted by CR through the pointer to the point */
        qsort(ord, m, sizeof *ord, by_cr);
        for (size_t j = 0; j < m; j++) {
            const eo_report_rd_point *q = (const eo_report_rd_point *)((const char *)ord[j] -
                                                                       offsetof(eo_report_rd_point, cr));
            xs[used + j] = q->cr;
            ys[used + j] = q->prdn;
        }
        s[k] = (eo_series){names[k], xs + used, ys + used, m, m > 1 ? EO_SERIES_LINE_MARKERS : EO_SERIES_MARKERS};
        used += m;
    }
    int ns = nm;
    for (size_t i = 0; i < n; i++) {
        crmax = fmax(crmax, p[i].cr);
        pmax = fmax(pmax, p[i].prdn);
        if (p[i].chosen && used < n + 1) {
            xs[used] = p[i].cr;
            ys[used] = p[i].prdn;
            s[ns++] = (eo_series){chosen_label ? chosen_label : "this file", xs + used, ys + used, 1, EO_SERIES_MARKERS};
            used++;
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        crmax = fmax(crmax, p[i].cr);
        pmax = fmax(pmax, p[i].prdn);
    }
    eo_report_heading(r, 2, title ? title : "Compression");
    eo_plot_options o;
    eo_plot_defaults(&o);
    o.title = "Rate-distortion: PRDN vs compression ratio";
    o.xlabel = "CR (bits of the original / bits of the file)";
    o.ylabel = "PRDN (%)";
    o.xmin = 0;
    o.xmax = axis_end(crmax, 1);
    o.ymin = 0;
    o.ymax = axis_end(pmax, 1);
    o.width_px = 640;
    o.height_px = 380;
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    eo_status st = eo_svg_line_plot(&svg, &o, s, ns, err);
    if (!st)
        eo_report_figure(r, eo_strbuf_str(&svg),
                         "Each point is one encoding of the record, decoded again and scored; lossless sits on "
                         "PRDN = 0.",
                         "line-plot", "rate-distortion");
    eo_strbuf_destroy(&svg);
    for (size_t i = 0; !st && i < n; i++) {
        snprintf(cells[i * 5], 64, "%s%s%s%s", p[i].mode, p[i].chosen ? " (" : "",
                 p[i].chosen ? (chosen_label ? chosen_label : "this file") : "", p[i].chosen ? ")" : "");
        snprintf(cells[i * 5 + 1], 64, "%s", p[i].setting && *p[i].setting ? p[i].setting : "-");
        snprintf(cells[i * 5 + 2], 64, "%.2f", p[i].cr);
        snprintf(cells[i * 5 + 3], 64, "%.3f", p[i].prdn);
        if (p[i].prdn > 0)
            snprintf(cells[i * 5 + 4], 64, "%.2f", p[i].cr / p[i].prdn);
        else
            snprintf(cells[i * 5 + 4], 64, "-");
        for (int q = 0; q < 5; q++)
            cp[i * 5 + q] = cells[i * 5 + q];
    }
    if (!st) {
        const char *hdr[5] = {"mode", "setting", "CR", "PRDN (%)", "QS = CR/PRDN"};
        eo_report_table(r, "Rate-distortion points", 5, hdr, (int)n, cp);
    }
    free(xs);
    free(ord);
    free(cells);
    free(cp);
    return st;
}

eo_status eo_report_add_compression(eo_report *r, const eo_report_curve *modes, int n_modes,
                                    eo_error *err)
{
    if (!r || !modes || n_modes <= 0 || n_modes > 16)
        return eo_error_set(err, EO_STATUS_USAGE, "compression report: needs 1..16 modes");
    size_t total = 0;
    for (int m = 0; m < n_modes; m++) {
        if (modes[m].n && (!modes[m].x || !modes[m].y))
            return eo_error_set(err, EO_STATUS_USAGE, "compression report: mode '%s' has no points",
                                modes[m].label ? modes[m].label : "");
        total += modes[m].n;
    }
    if (total == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "compression report: no points");
    eo_report_rd_point *p = calloc(total, sizeof *p);
    if (!p)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "compression report: out of memory");
    size_t k = 0;
    for (int m = 0; m < n_modes; m++)
        for (size_t i = 0; i < modes[m].n; i++, k++)
            p[k] = (eo_report_rd_point){modes[m].label ? modes[m].label : "", NULL, modes[m].x[i], modes[m].y[i], 0};
    eo_status st = eo_report_add_rate_distortion(r, NULL, NULL, p, total, err);
    free(p);
    return st;
}
