/* The HTML report of `ecgopt denoise --report`: strips of the first minute
 * of the first signal (original, denoised, removed = original - denoised)
 * and, for the VMD methods, the mode table. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/denoise_record.h"
#include "ecgopt/report.h"

static void mode_table(eo_report *rep, const eo_denoise_report *d)
{
    const char *hdr[3] = {"mode", "centre (Hz)", "action"};
    char cells[EO_DENOISE_MAX_MODES][2][32], num[EO_DENOISE_MAX_MODES][8], txt[128];
    const char *cp[EO_DENOISE_MAX_MODES * 3];
    int k = d->K < EO_DENOISE_MAX_MODES ? d->K : EO_DENOISE_MAX_MODES;
    for (int m = 0; m < k; m++) {
        snprintf(num[m], sizeof num[m], "%d", m + 1);
        snprintf(cells[m][0], 32, "%.2f", d->center_hz[m]);
        snprintf(cells[m][1], 32, "%s", eo_denoise_action_name(d->action[m]));
        cp[m * 3] = num[m];
        cp[m * 3 + 1] = cells[m][0];
        cp[m * 3 + 2] = cells[m][1];
    }
    snprintf(txt, sizeof txt, "VMD modes: K = %d, alpha = %.1f", d->K, d->alpha);
    eo_report_heading(rep, 2, txt);
    eo_report_table(rep, NULL, 3, hdr, k, cp);
}

/* element ids from the record name: letters and digits only */
static void strip_id(const char *record, char *id, size_t size)
{
    const char *slash = strrchr(record, '/');
    size_t k = 0;
    for (const char *p = slash ? slash + 1 : record; *p && k + 1 < size; p++)
        id[k++] = isalnum((unsigned char)*p) ? *p : '-';
    id[k] = 0;
    if (!k)
        snprintf(id, size, "strip");
}

eo_status eo_denoise_record_report(const eo_denoise_record_result *r, const char *record, const char *path,
                                   eo_error *err)
{
    if (!r->orig || !r->den || r->ns < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: the denoise report needs keep_first", path);
    const double fs = r->fs;
    const long n = r->n, show = n < (long)(60 * fs) ? n : (long)(60 * fs);
    char title[512], txt[512], id[64];
    snprintf(title, sizeof title, "ecgopt denoise: %s, signal %s, method %s", record, r->signals[0].description,
             eo_denoise_method_name(r->method));
    double *removed = eo_malloc((size_t)(show > 0 ? show : 1) * sizeof *removed);
    eo_report *rep = eo_report_create(title);
    eo_status st = EO_STATUS_OK;
    if (!removed || !rep)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    for (long i = 0; !st && i < show; i++)
        removed[i] = r->orig[i] - r->den[i];
    if (!st) {
        snprintf(txt, sizeof txt, "From %.2f s, %.1f s shown of %.1f s denoised (%.2f s of computing).",
                 r->start / fs, show / fs, n / fs, r->reports[0].seconds);
        eo_report_paragraph(rep, txt);
        eo_strip_trace tr[3] = {{"original", r->orig, (size_t)show},
                                {"denoised", r->den, (size_t)show},
                                {"removed", removed, (size_t)show}};
        eo_strip_options so;
        eo_strip_defaults(&so, fs);
        so.band_mv = 0;
        strip_id(record, id, sizeof id);
        st = eo_report_ecg_zoom(rep, id, &so, show / fs, (int)ceil(show / fs / 10 - 1e-9), tr, 3, NULL, 0, err);
    }
    if (!st && (r->method == EO_DENOISE_VMD || r->method == EO_DENOISE_IAOA_VMD))
        mode_table(rep, &r->reports[0]);
    if (!st)
        st = eo_report_write(rep, path, err);
    eo_report_destroy(rep);
    free(removed);
    return st;
}
