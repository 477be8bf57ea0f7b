/* Report section: denoising methods compared on clean signal + recorded
 * noise (NSTDB em/ma/bw at given input SNR): output SNR against input SNR,
 * one plot per noise type, with the y = x line (no improvement). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/report.h"

eo_status eo_report_add_denoising(eo_report *r, const char *const *noises, int n_noises,
                                  const eo_report_curve *curves, const int *noise_of, int n_curves,
                                  eo_error *err)
{
    if (!r || !noises || n_noises <= 0 || !curves || !noise_of || n_curves <= 0 || n_curves > 32)
        return eo_error_set(err, EO_STATUS_USAGE, "denoising report: needs noise types and 1..32 curves");
    for (int i = 0; i < n_curves; i++)
        if (noise_of[i] < 0 || noise_of[i] >= n_noises || (curves[i].n && (!curves[i].x || !curves[i].y)))
            return eo_error_set(err, EO_STATUS_USAGE, "denoising report: curve %d ('%s') has a bad noise "
                                                      "index or no data", i, curves[i].label ? curves[i].label : "");
    eo_report_heading(r, 2, "Denoising");
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    eo_status st = EO_STATUS_OK;
    size_t rows = 0;
    for (int nz = 0; nz < n_noises; nz++) {
        eo_series s[33];
        int ns = 0;
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < n_curves; i++) {
            if (noise_of[i] != nz || curves[i].n == 0)
                continue;
            s[ns].label = curves[i].label;
            s[ns].x = curves[i].x;
            s[ns].y = curves[i].y;
            s[ns].n = curves[i].n;
            s[ns].style = EO_SERIES_LINE_MARKERS;
            ns++;
            rows += curves[i].n;
            for (size_t j = 0; j < curves[i].n; j++)
                if (isfinite(curves[i].x[j])) {
                    lo = fmin(lo, curves[i].x[j]);
                    hi = fmax(hi, curves[i].x[j]);
                }
        }
        if (ns == 0)
            continue;
        double idx[2] = {lo, hi};
        s[ns].label = "no change (y = x)";
        s[ns].x = idx;
        s[ns].y = idx;
        s[ns].n = isfinite(lo) ? 2 : 0;
        s[ns].style = EO_SERIES_DASHED;
        if (s[ns].n)
            ns++;
        char title[160], id[96];
        snprintf(title, sizeof title, "Output vs input SNR, noise: %s", noises[nz]);
        snprintf(id, sizeof id, "snr-%d", nz);
        eo_plot_options o;
        eo_plot_defaults(&o);
        o.title = title;
        o.xlabel = "input SNR (dB)";
        o.ylabel = "output SNR (dB)";
        o.width_px = 560;
        o.height_px = 340;
        svg.len = 0;
        if (svg.data)
            svg.data[0] = 0;
        st = eo_svg_line_plot(&svg, &o, s, ns, err);
        if (st)
            goto done;
        eo_report_figure(r, eo_strbuf_str(&svg), NULL, "line-plot", id);
    }
    {
        const char *hdr[5] = {"noise", "method", "input SNR (dB)", "output SNR (dB)", "gain (dB)"};
        char(*cells)[48] = calloc(rows * 5 + 1, sizeof *cells);
        const char **cp = calloc(rows * 5 + 1, sizeof *cp);
        if (!cells || !cp) {
            free(cells);
            free(cp);
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "denoising report: out of memory");
            goto done;
        }
        size_t k = 0;
        for (int nz = 0; nz < n_noises; nz++)
            for (int i = 0; i < n_curves; i++) {
                if (noise_of[i] != nz)
                    continue;
                for (size_t j = 0; j < curves[i].n; j++, k++) {
                    snprintf(cells[k * 5], 48, "%s", noises[nz]);
                    snprintf(cells[k * 5 + 1], 48, "%s", curves[i].label ? curves[i].label : "");
                    snprintf(cells[k * 5 + 2], 48, "%.1f", curves[i].x[j]);
                    snprintf(cells[k * 5 + 3], 48, "%.2f", curves[i].y[j]);
                    snprintf(cells[k * 5 + 4], 48, "%+.2f", curves[i].y[j] - curves[i].x[j]);
                }
            }
        for (size_t i = 0; i < rows * 5; i++)
            cp[i] = cells[i];
        eo_report_table(r, "SNR of the denoised signal against the clean one", 5, hdr, (int)rows, cp);
        free(cells);
        free(cp);
    }
done:
    eo_strbuf_destroy(&svg);
    return st;
}
