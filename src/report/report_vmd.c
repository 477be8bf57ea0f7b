/* Report section: the modes of a Variational Mode Decomposition
 * (Dragomiretskiy & Zosso 2014) stacked under the signal, each labelled with
 * its centre frequency omega_k (eq. 27) in Hz and what the denoiser did with
 * it (Xing et al. 2025 IAOA-VMD: high-frequency modes dropped, the lowest removed
 * as baseline). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/report.h"

eo_status eo_report_add_vmd_modes(eo_report *r, const char *title, double fs_hz, const double *x,
                                  size_t n, const double *modes, int K, const double *center_hz,
                                  const char *const *fate, size_t i0, size_t count, eo_error *err)
{
    if (!r || !x || !modes || K <= 0 || K > 64 || !(fs_hz > 0) || n == 0 || i0 >= n || count == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "VMD report: needs a signal, 1..64 modes, fs > 0 and a "
                                                  "window inside the signal");
    if (count > n - i0)
        count = n - i0;
    double *t = malloc(sizeof *t * count);
    if (!t)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "VMD report: out of memory");
    for (size_t i = 0; i < count; i++)
        t[i] = (double)(i0 + i) / fs_hz;
    eo_report_heading(r, 2, title ? title : "VMD modes");
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    eo_status st = EO_STATUS_OK;
    for (int k = -1; k < K; k++) {
        char lab[160], id[32];
        const double *y = k < 0 ? x + i0 : modes + (size_t)k * n + i0;
        if (k < 0)
            snprintf(lab, sizeof lab, "signal");
        else
            snprintf(lab, sizeof lab, "mode %d: %.2f Hz%s%s", k + 1, center_hz ? center_hz[k] : NAN,
                     fate && fate[k] ? ", " : "", fate && fate[k] ? fate[k] : "");
        eo_series s = {NULL, t, y, count, EO_SERIES_LINE}; /* the title names it: no legend */
        eo_plot_options o;
        eo_plot_defaults(&o);
        o.title = lab;
        o.xlabel = k == K - 1 ? "time (s)" : NULL;
        o.ylabel = "mV";
        o.width_px = 1100;
        o.height_px = 190; /* a 118-px plot area: the QRS and P/T waves stay readable */
        o.max_points = 1500;
        o.xmin = t[0];
        o.xmax = t[count - 1];
        svg.len = 0;
        if (svg.data)
            svg.data[0] = 0;
        st = eo_svg_line_plot(&svg, &o, &s, 1, err);
        if (st)
            break;
        snprintf(id, sizeof id, "vmd-mode-%d", k + 1);
        eo_report_figure(r, eo_strbuf_str(&svg), NULL, "vmd-mode", id);
    }
    eo_strbuf_destroy(&svg);
    free(t);
    return st;
}
