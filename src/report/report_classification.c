/* Report section: beat classification scored the ANSI/AAMI EC57 way.
 * The comparison matrix is drawn as a heat map (reference rows, test
 * columns), per-class Se and +P as grouped bars, and the QRS/VEB/SVEB rows
 * of EC57 section 4 (as bxb prints them) as a table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/report.h"

static void fmt_pct(char *buf, size_t n, double v)
{
    if (isfinite(v))
        snprintf(buf, n, "%.2f", v);
    else
        snprintf(buf, n, "-");
}

eo_status eo_report_add_classification(eo_report *r, const char *title, const char *const *classes,
                                       int k, const long *cm, int n_scored,
                                       const eo_report_ec57_row *rows, int n_rows, eo_error *err)
{
    if (!r || !classes || !cm || k <= 0 || k > 64 || n_scored < 0 || n_scored > k || n_rows < 0 ||
        (n_rows > 0 && !rows))
        return eo_error_set(err, EO_STATUS_USAGE, "classification report: needs 1..64 classes, a matrix, "
                                                  "0 <= n_scored <= k");
    eo_report_heading(r, 2, title ? title : "Beat classification");
    double *v = malloc(sizeof *v * (size_t)k * (size_t)k);
    double *se = malloc(sizeof *se * (size_t)(n_scored ? n_scored : 1));
    double *ppv = malloc(sizeof *ppv * (size_t)(n_scored ? n_scored : 1));
    eo_strbuf svg;
    eo_strbuf_init(&svg);
    eo_status st = EO_STATUS_OK;
    if (!v || !se || !ppv) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "classification report: out of memory");
        goto done;
    }
    long total = 0, agree = 0;
    for (int i = 0; i < k * k; i++) {
        v[i] = (double)cm[i];
        total += cm[i];
    }
    for (int i = 0; i < k; i++)
        agree += cm[i * k + i];
    st = eo_svg_heatmap(&svg, "reference (rows) vs test (columns)", classes, k, classes, k, v, "%.0f", err);
    if (st)
        goto done;
    char cap[256];
    snprintf(cap, sizeof cap, "Comparison matrix: %ld pairs, %ld on the diagonal (%.2f%%).", total, agree,
             total ? 100.0 * agree / total : 0.0);
    eo_report_figure(r, eo_strbuf_str(&svg), cap, "heatmap", "confusion");
    if (n_scored > 0) {
        /* Se and +P over the scored classes only: a beat matched to a
         * pseudo-beat (O/X) is a detection error, not a class error. */
        for (int c = 0; c < n_scored; c++) {
            long row = 0, col = 0;
            for (int j = 0; j < n_scored; j++) {
                row += cm[c * k + j];
                col += cm[j * k + c];
            }
            se[c] = row ? 100.0 * cm[c * k + c] / row : NAN;
            ppv[c] = col ? 100.0 * cm[c * k + c] / col : NAN;
        }
        eo_series g[2] = {{"Se (%)", NULL, se, (size_t)n_scored, EO_SERIES_LINE},
                          {"+P (%)", NULL, ppv, (size_t)n_scored, EO_SERIES_LINE}};
        eo_plot_options o;
        eo_plot_defaults(&o);
        o.title = "Per-class sensitivity and positive predictivity";
        o.ylabel = "%";
        o.ymin = 0;
        o.ymax = 100;
        o.width_px = 560;
        o.height_px = 300;
        svg.len = 0;
        if (svg.data)
            svg.data[0] = 0;
        st = eo_svg_bar_chart(&svg, &o, classes, n_scored, g, 2, err);
        if (st)
            goto done;
        eo_report_figure(r, eo_strbuf_str(&svg),
                         "Se = correct / reference beats of the class; +P = correct / beats labelled so "
                         "(matched beats only). A class without beats has no bar.",
                         "bar-chart", "class-se-ppv");
    }
    if (n_rows > 0) {
        const char *hdr[7] = {"", "TP", "FN", "FP", "Se (%)", "+P (%)", "FPR (%)"};
        char(*cells)[32] = calloc((size_t)n_rows * 7, sizeof *cells);
        const char **cp = calloc((size_t)n_rows * 7, sizeof *cp);
        if (!cells || !cp) {
            free(cells);
            free(cp);
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "classification report: out of memory");
            goto done;
        }
        for (int i = 0; i < n_rows; i++) {
            snprintf(cells[i * 7 + 0], 32, "%s", rows[i].name ? rows[i].name : "");
            snprintf(cells[i * 7 + 1], 32, "%ld", rows[i].tp);
            snprintf(cells[i * 7 + 2], 32, "%ld", rows[i].fn);
            snprintf(cells[i * 7 + 3], 32, "%ld", rows[i].fp);
            fmt_pct(cells[i * 7 + 4], 32, rows[i].se);
            fmt_pct(cells[i * 7 + 5], 32, rows[i].ppv);
            fmt_pct(cells[i * 7 + 6], 32, rows[i].fpr);
            for (int j = 0; j < 7; j++)
                cp[i * 7 + j] = cells[i * 7 + j];
        }
        eo_report_table(r, "ANSI/AAMI EC57 statistics (150 ms match window)", 7, hdr, n_rows, cp);
        free(cells);
        free(cp);
    }
done:
    eo_strbuf_destroy(&svg);
    free(v);
    free(se);
    free(ppv);
    return st;
}
