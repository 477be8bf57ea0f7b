/* Demo stage 6: the HTML report (report.h figures), in order: summary,
 * ECG strips, classification, denoising, compression, tuning. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "demo_internal.h"
#include "ecgopt/report.h"

/* AAMI class name of a beat annotation, "" for non-beats */
static const char *aami_name(int code)
{
    eo_aami_class a = eo_annot_aami_class(code);
    return a == EO_AAMI_NONE ? "" : eo_aami_class_name(a);
}

static size_t beats_of(const eo_annotation_set *a, eo_report_beat *out)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++)
        if (eo_annot_is_beat(a->items[i].code))
            out[n++] = (eo_report_beat){a->items[i].sample, aami_name(a->items[i].code)};
    return n;
}

/* The beats of the display window, reference / predicted AAMI class,
 * paired within the EC57 match window (eo_report_pair_beats). */
static eo_status build_marks(const eo_demo *d, eo_strip_mark **out, size_t *n_out, eo_error *err)
{
    eo_report_beat *rb = calloc(d->ref->n + 1, sizeof *rb), *tb = calloc(d->pred->n + 1, sizeof *tb);
    eo_status st;
    if (!rb || !tb)
        st = eo_demo_no_memory(err);
    else {
        size_t nr = beats_of(d->ref, rb), nt = beats_of(d->pred, tb);
        eo_ec57_options eo;
        eo_ec57_defaults(&eo, d->fs); /* the EC57 match window, 150 ms */
        st = eo_report_pair_beats(rb, nr, tb, nt, (long)(eo.match_window_s * d->fs), d->w0, d->w0 + d->wn, out,
                                  n_out, NULL, err);
    }
    free(rb);
    free(tb);
    return st;
}

static void summary_table(const eo_demo *d, eo_report *r)
{
    const eo_demo_result *s = &d->r;
    const char *hdr[2] = {"figure", "value"};
    char cells[8][2][96];
    const char *cp[16];
    int nr = 0, mid = s->rd_n[2] / 2;
    snprintf(cells[nr][0], 96, "QRS detection Se / +P (%%)");
    snprintf(cells[nr++][1], 96, "%.2f / %.2f", s->stats.qrs_se, s->stats.qrs_ppv);
    snprintf(cells[nr][0], 96, "VEB Se / +P (%%)");
    snprintf(cells[nr++][1], 96, "%.2f / %.2f", s->stats.veb_se, s->stats.veb_ppv);
    snprintf(cells[nr][0], 96, "SVEB Se / +P (%%)");
    snprintf(cells[nr++][1], 96, "%.2f / %.2f", s->stats.sveb_se, s->stats.sveb_ppv);
    snprintf(cells[nr][0], 96, "tuned VMD K, alpha");
    snprintf(cells[nr++][1], 96, "%d, %.0f", s->K, s->alpha);
    snprintf(cells[nr][0], 96, "lossless CR");
    snprintf(cells[nr++][1], 96, "%.2f", s->rd_n[0] ? s->rd_cr[0][0] : NAN);
    snprintf(cells[nr][0], 96, "wavelet CR at PRDN %.1f %%", s->rd_n[2] ? s->rd_prdn[2][mid] : NAN);
    snprintf(cells[nr++][1], 96, "%.2f", s->rd_n[2] ? s->rd_cr[2][mid] : NAN);
    snprintf(cells[nr][0], 96, "demo wall time (s)");
    snprintf(cells[nr++][1], 96, "%.1f", eo_time_now() - d->t0);
    for (int i = 0; i < nr; i++) {
        cp[2 * i] = cells[i][0];
        cp[2 * i + 1] = cells[i][1];
    }
    eo_report_table(r, "Summary", 2, hdr, nr, cp);
}

static void report_summary(const eo_demo *d, eo_report *r)
{
    char txt[1024];
    const char *lead = d->rec->header->signals[d->sig].description;
    snprintf(txt, sizeof txt,
             "Record %s (%s), %.0f Hz, %.1f min, lead %s. Beats by ecgopt's QRS detector, classified by a "
             "gradient-boosting model trained on %d %s record(s) (%ld beats, %.1f s); strips show the "
             "first %.0f s. %s",
             d->r.record, d->base_path, d->fs, d->rec->n_samples / d->fs / 60, lead[0] ? lead : "0",
             d->r.n_train_records, d->r.synthetic ? "synthetic" : "MIT-BIH DS1", d->r.n_train_beats,
             d->r.train_seconds, d->wn / d->fs, d->r.quick ? "Quick mode: fewer records, evaluations and rates." : "");
    eo_report_paragraph(r, txt);
    summary_table(d, r);
}

static eo_status report_strips(const eo_demo *d, eo_report *r, const eo_strip_mark *marks, size_t n_marks,
                               eo_error *err)
{
    eo_report_heading(r, 2, "ECG strips");
    eo_report_paragraph(r, "Traces: original; VMD-denoised (tuned K, alpha); wavelet reconstruction from the "
                           ".ecgz file; error = original - reconstruction. Labels above the beats: reference / "
                           "predicted AAMI class (N S V F Q; '-' = no beat on that side); disagreements are "
                           "shaded. Click a window of the overview to jump to its 25 mm/s strip.");
    eo_strip_trace tr[4] = {{"original", d->x, (size_t)d->wn},
                            {"denoised", d->den, (size_t)d->wn},
                            {"reconstructed", d->recon, (size_t)d->wn},
                            {"error", d->errtr, (size_t)d->wn}};
    eo_strip_options so;
    eo_strip_defaults(&so, d->fs);
    so.seconds = 10;
    so.band_mv = 0; /* bands fit each trace: ventricular beats are not clipped */
    /* marks are relative to the window start (w0 = 0 here) */
    return eo_report_ecg_zoom(r, d->r.record, &so, d->wn / d->fs, (int)(d->wn / d->fs / 10), tr, 4, marks,
                              n_marks, err);
}

static eo_status report_classification(const eo_demo *d, eo_report *r, eo_error *err)
{
    const eo_ec57_stats *s = &d->r.stats;
    const char *cls[7] = {"N", "S", "V", "F", "Q", "O", "X"};
    long cm[49];
    for (int a = 0; a < 7; a++)
        for (int b = 0; b < 7; b++)
            cm[a * 7 + b] = d->r.ec57.m[a][b];
    eo_report_ec57_row rows[3] = {{"QRS", s->qtp, s->qfn, s->qfp, s->qrs_se, s->qrs_ppv, NAN},
                                  {"VEB", s->vtp, s->vfn, s->vfp, s->veb_se, s->veb_ppv, s->veb_fpr},
                                  {"SVEB", s->stp, s->sfn, s->sfp, s->sveb_se, s->sveb_ppv, NAN}};
    char t2[160];
    snprintf(t2, sizeof t2, "Beat classification: record %s, whole record, detector beats", d->r.record);
    eo_status st = eo_report_add_classification(r, t2, cls, 7, cm, 5, rows, 3, err);
    if (!st)
        eo_report_paragraph(r, "Rows: reference class; columns: test class. O: a detection without a reference "
                               "beat (false positive); the O column: a reference beat the detector missed.");
    return st;
}

static eo_status report_denoising(const eo_demo *d, eo_report *r, eo_error *err)
{
    char txt[1024];
    enum { NC = EO_DEMO_N_NOISES * EO_DEMO_N_METHODS };
    eo_report_curve cv[NC];
    int of[NC];
    for (int nz = 0; nz < EO_DEMO_N_NOISES; nz++)
        for (int m = 0; m < EO_DEMO_N_METHODS; m++) {
            cv[nz * EO_DEMO_N_METHODS + m] =
                (eo_report_curve){d->r.methods[m], d->r.snr_in, d->r.snr_out[nz][m], (size_t)d->r.n_snr};
            of[nz * EO_DEMO_N_METHODS + m] = nz;
        }
    eo_status st = eo_report_add_denoising(r, d->r.noises, EO_DEMO_N_NOISES, cv, of, NC, err);
    if (st)
        return st;
    snprintf(txt, sizeof txt,
             "Noise added to the first 10 s of record %s, scaled to each input SNR (mean-removed powers); "
             "output SNR against that segment with its baseline removed (200 + 600 ms medians) and both "
             "means subtracted. VMD uses the K = %d, alpha = %.0f the study found; its lowest mode is "
             "baseline-corrected rather than dropped (denoise.h lowest_correct).",
             d->r.record, d->r.K, d->r.alpha);
    eo_report_paragraph(r, txt);
    snprintf(txt, sizeof txt, "VMD modes (K = %d, alpha = %.0f), first 10 s of %s", d->modes_K, d->r.alpha,
             d->r.record);
    return eo_report_add_vmd_modes(r, txt, d->fs, d->x, d->modes_n, d->modes, d->modes_K, d->center, d->fate, 0,
                                   d->modes_n, err);
}

static eo_status report_compression(const eo_demo *d, eo_report *r, eo_error *err)
{
    char txt[1024];
    eo_report_rd_point pt[EO_DEMO_N_CODEC * EO_DEMO_MAX_RD];
    size_t np = 0;
    for (int k = 0; k < EO_DEMO_N_CODEC; k++)
        for (int i = 0; i < d->r.rd_n[k]; i++)
            pt[np++] = (eo_report_rd_point){d->r.rd_name[k], d->r.rd_set[k][i], d->r.rd_cr[k][i],
                                            d->r.rd_prdn[k][i], k * EO_DEMO_MAX_RD + i == d->r.rd_shown};
    eo_status st = eo_report_add_rate_distortion(r, NULL, "shown in the strips", pt, np, err);
    if (st)
        return st;
    snprintf(txt, sizeof txt, "Both signals of %s, %s; every byte of the .ecgz file counted.", d->r.record,
             d->r.quick ? "first 5 minutes" : "whole record");
    eo_report_paragraph(r, txt);
    return EO_STATUS_OK;
}

static eo_status report_tuning(const eo_demo *d, eo_report *r, eo_error *err)
{
    eo_report_curve cv[EO_DEMO_N_OPT];
    for (int i = 0; i < EO_DEMO_N_OPT; i++)
        cv[i] = (eo_report_curve){d->r.opt_names[i], NULL, d->curve[i], d->curve_n[i]};
    eo_status st = eo_report_add_convergence(r, "Tuning: VMD (K, alpha) by mean envelope entropy",
                                             "best mean envelope entropy", cv, EO_DEMO_N_OPT, 0, err);
    if (st)
        return st;
    eo_report_paragraph(r, "Every optimiser gets the same budget and seed on the same 5-s window "
                           "(K in 2..12, alpha in 100..10000 on a log scale; Xing et al. 2025).");
    const char *pn[2] = {"K", "alpha"};
    if (d->n_trials > 0)
        st = eo_report_add_study(r, "Study: the IAOA run's trials", pn, 2, d->trial_values, d->trial_fit,
                                 d->n_trials, err);
    return st;
}

eo_status eo_demo_report_write(const eo_demo *d, const char *path, eo_error *err)
{
    char title[160];
    snprintf(title, sizeof title, "ecgopt demo: record %s%s", d->r.record,
             d->r.synthetic ? " (synthetic ECGSYN)" : "");
    eo_report *r = eo_report_create(title);
    eo_strip_mark *marks = NULL;
    size_t n_marks = 0;
    if (!r)
        return eo_demo_no_memory(err);
    eo_status st = build_marks(d, &marks, &n_marks, err);
    if (!st) {
        report_summary(d, r);
        st = report_strips(d, r, marks, n_marks, err);
    }
    if (!st)
        st = report_classification(d, r, err);
    if (!st)
        st = report_denoising(d, r, err);
    if (!st)
        st = report_compression(d, r, err);
    if (!st)
        st = report_tuning(d, r, err);
    if (!st)
        st = eo_report_write(r, path, err);
    free(marks);
    eo_report_destroy(r);
    return st;
}
