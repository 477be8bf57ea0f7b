/* The HTML report of one compression (`ecgopt compress --report`): the
 * rate-distortion point of the file among a sweep of its mode, and the
 * first 30 s of the first signal, original vs reconstruction with the
 * error underneath. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ecgopt/alloc.h"
#include "ecgopt/codec_run.h"
#include "ecgopt/report.h"

/* The sweep encodes 6 more times: over the first 5 minutes at most. */
#define SWEEP_SECONDS 300

static eo_status add_rd(eo_report *rep, const eo_codec_run *r, const eo_wfdb_record *rec, const char *record,
                        eo_error *err)
{
    eo_wfdb_record crop = *rec;
    if (crop.n_samples > (long)(SWEEP_SECONDS * rec->fs_hz))
        crop.n_samples = (long)(SWEEP_SECONDS * rec->fs_hz);
    eo_codec_rd sw[8];
    int nsw = 0;
    eo_status st = eo_codec_sweep(&crop, &r->o, sw, 8, &nsw, err);
    if (st)
        return st;
    const char *mode = eo_codec_mode_name(r->o.mode);
    const eo_codec_stats *cs = &r->cs;
    const eo_fidelity *f = &r->f;
    char buf[512], setting[48], title[160], lab[8][96];
    double crop_s = (double)crop.n_samples / rec->fs_hz;
    eo_report_rd_point pt[9];
    eo_codec_setting_label(&r->o, setting, sizeof setting);
    pt[0] = (eo_report_rd_point){mode, setting, cs->cr, f->prdn, 1};
    for (int k = 0; k < nsw; k++) {
        snprintf(lab[k], sizeof lab[k], "%s%sfirst %.0f s", sw[k].label, *sw[k].label ? ", " : "", crop_s);
        pt[k + 1] = (eo_report_rd_point){eo_codec_mode_name(sw[k].mode), lab[k], sw[k].cr, sw[k].prdn, 0};
    }
    snprintf(title, sizeof title, "Compression of %s", record);
    st = eo_report_add_rate_distortion(rep, title, "this file", pt, (size_t)nsw + 1, err);
    snprintf(buf, sizeof buf,
             "Record %s, mode %s%s%s: %zu bytes for %d signals x %ld samples; CR %.3f (every bit of the "
             "file counted, against %.0f bits per sample); PRD %.3f %%, PRDN %.3f %%, SNR %.2f dB, "
             "RMSE %.3f adu, max |error| %.0f adu (all signals pooled).  The other points: the "
             "record's first %.0f s encoded losslessly and at the mode's usual settings.",
             record, mode, *setting ? ", " : "", setting, cs->file_bytes, cs->n_signals, cs->n_samples, cs->cr,
             cs->bits_per_sample, f->prd, f->prdn, f->snr_db, f->rmse, f->max_abs_error, crop_s);
    if (!st)
        eo_report_paragraph(rep, buf);
    return st;
}

/* 30 s (at most) of strips: original, reconstructed, error. */
static eo_status add_strips(eo_report *rep, const eo_codec_run *r, const eo_wfdb_record *rec, double *x,
                            double *y, double *e, eo_error *err)
{
    long n = rec->n_samples;
    eo_status st = eo_wfdb_record_physical(rec, 0, 0, n, x, err);
    if (!st)
        st = eo_wfdb_record_physical(r->decoded, 0, 0, n, y, err);
    if (st)
        return st;
    for (long i = 0; i < n; i++)
        e[i] = x[i] - y[i];
    eo_strip_options so;
    eo_strip_defaults(&so, rec->fs_hz);
    eo_strip_trace tr[3] = {{"original", x, (size_t)n}, {"reconstructed", y, (size_t)n}, {"error", e, (size_t)n}};
    double shown = n / rec->fs_hz < 30 ? n / rec->fs_hz : 30;
    int details = (int)ceil(shown / so.seconds);
    char id[128];
    eo_report_make_id(rec->header->signals[0].description, id, sizeof id);
    return details > 0 ? eo_report_ecg_zoom(rep, id, &so, shown, details, tr, 3, NULL, 0, err) : EO_STATUS_OK;
}

eo_status eo_codec_run_report(const eo_codec_run *r, const eo_wfdb_record *rec, const char *record,
                              const char *path, eo_error *err)
{
    if (r->span)
        rec = r->span; /* the span encoded */
    if (!r->decoded || rec->n_signals < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: the compression report needs an evaluated run", path);
    size_t n = (size_t)(rec->n_samples > 0 ? rec->n_samples : 1);
    double *x = eo_malloc(sizeof(double) * n), *y = eo_malloc(sizeof(double) * n);
    double *e = eo_malloc(sizeof(double) * n);
    eo_report *rep = eo_report_create("ecgopt compress");
    eo_status st = EO_STATUS_OK;
    if (!x || !y || !e || !rep)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    if (!st)
        st = add_rd(rep, r, rec, record, err);
    if (!st)
        st = add_strips(rep, r, rec, x, y, e, err);
    if (!st)
        st = eo_report_write(rep, path, err);
    eo_report_destroy(rep);
    free(x);
    free(y);
    free(e);
    return st;
}
