/* Report section: rate-distortion curves of the codec modes (docs/codec.md
 * metric definitions: CR counts every bit of the file, PRDN is the PRD with
 * the mean removed). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/report.h"

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
    eo_report_heading(r, 2, "Compression");
    eo_series s[16];
    for (int m = 0; m < n_modes; m++) {
        s[m].label = modes[m].label;
        s[m].x = modes[m].x;
        s[m].y = modes[m].y;
        s[m].n = modes[m].n;
        s[m].style = EO_SERIES_LINE_MARKERS;
    }
    eo_plot_options o;
    eo_plot_defaults(&o);
    o.title = "Rate-distortion: PRDN vs compression ratio";
    o.xlabel = "CR (11 bits x samples / file bits)";
    o.ylabel = "PRDN (%)";
    o.ymin = 0;
    o.xmin = 0;
    o.width_px = 700;
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    eo_status st = eo_svg_line_plot(&svg, &o, s, n_modes, err);
    if (st) {
        eo_strbuf_free(&svg);
        return st;
    }
    eo_report_figure(r, eo_strbuf_str(&svg),
                     "Each point is one encoding of the record; lossless sits on PRDN = 0.", "line-plot",
                     "rate-distortion");
    eo_strbuf_free(&svg);
    const char *hdr[4] = {"mode", "CR", "PRDN (%)", "QS = CR/PRDN"};
    char(*cells)[40] = calloc(total * 4, sizeof *cells);
    const char **cp = calloc(total * 4, sizeof *cp);
    if (!cells || !cp) {
        free(cells);
        free(cp);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "compression report: out of memory");
    }
    size_t row = 0;
    for (int m = 0; m < n_modes; m++)
        for (size_t i = 0; i < modes[m].n; i++, row++) {
            snprintf(cells[row * 4], 40, "%s", modes[m].label ? modes[m].label : "");
            snprintf(cells[row * 4 + 1], 40, "%.2f", modes[m].x[i]);
            snprintf(cells[row * 4 + 2], 40, "%.3f", modes[m].y[i]);
            if (modes[m].y[i] > 0)
                snprintf(cells[row * 4 + 3], 40, "%.2f", modes[m].x[i] / modes[m].y[i]);
            else
                snprintf(cells[row * 4 + 3], 40, "-");
        }
    for (size_t i = 0; i < total * 4; i++)
        cp[i] = cells[i];
    eo_report_table(r, "Rate-distortion points", 4, hdr, (int)total, cp);
    free(cells);
    free(cp);
    return EO_STATUS_OK;
}
