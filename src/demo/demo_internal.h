/* The demo pipeline's state between its stages (demo.h). */
#ifndef ECGOPT_DEMO_INTERNAL_H
#define ECGOPT_DEMO_INTERNAL_H

#include "ecgopt/demo.h"
#include "ecgopt/denoise.h"
#include "ecgopt/wfdb.h"

struct eo_demo {
    eo_demo_result r;     /* first: what the summaries read */
    eo_demo_options o;
    const char *want;     /* the record asked for */
    double t0;            /* eo_time_now() at the start */
    /* progress: the share of the whole run the current stage covers */
    double base, span;
    const char *what;
    char tmpdir[256];     /* the synthetic records' folder, "" when none */
    char base_path[4096]; /* record path without extension */
    eo_wfdb_record *rec;
    int sig;              /* MLII (or 0) */
    double fs;
    /* display window */
    long w0, wn;
    double *x;            /* wn samples, mV */
    double *den;          /* VMD denoised */
    double *recon;        /* wavelet reconstruction, mV */
    double *errtr;        /* x - recon */
    /* study */
    double *curve[EO_DEMO_N_OPT];
    size_t curve_n[EO_DEMO_N_OPT];
    double *trial_values; /* the IAOA run's trials: K, alpha */
    double *trial_fit;
    size_t n_trials;
    /* VMD modes of the first 10 s */
    double *modes;
    double center[EO_DENOISE_MAX_MODES];
    const char *fate[EO_DENOISE_MAX_MODES];
    size_t modes_n;
    int modes_K;
    /* classification */
    eo_annotation_set *ref, *pred;
};

/* The stage's progress: done of total, mapped into [base, base + span] %. */
int eo_demo_progress(void *user, double done, double total, const char *what);
eo_status eo_demo_no_memory(eo_error *err);

/* the stages, in order (demo_record.c, demo_tune.c, demo_denoise.c,
 * demo_classify.c, demo_compress.c, demo_report.c) */
eo_status eo_demo_open_record(eo_demo *d, eo_error *err);
void eo_demo_remove_synthetic(eo_demo *d);
eo_status eo_demo_tune(eo_demo *d, eo_error *err);
eo_status eo_demo_denoise(eo_demo *d, eo_error *err);
eo_status eo_demo_vmd_window(eo_demo *d, eo_error *err);
eo_status eo_demo_classify(eo_demo *d, eo_error *err);
eo_status eo_demo_compress(eo_demo *d, eo_error *err);

#endif
