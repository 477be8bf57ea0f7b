/* ecgopt — the demo pipeline (`ecgopt demo`): the whole toolkit on one
 * record, in a few minutes, ending in one self-contained HTML report.
 *
 * Stages, each a call into the library (src/demo/demo_*.c):
 *   1. record: an MIT-BIH record (default 233, a DS2 record with many
 *      ventricular beats) from the data lookup (eo_data_find_record); when
 *      none is found, two ECGSYN records (McSharry et al. 2003) with ectopic
 *      beats are written to a temporary folder and used instead (one to
 *      train, one to test), and removed again by eo_demo_destroy.
 *   2. tuning study: K and alpha of VMD by mean envelope entropy (Xing et
 *      al. 2025) with IAOA, AOA, GWO, PSO and random search on a 5-s window,
 *      same budget each: convergence curves and the IAOA run's trials.
 *   3. denoising: NSTDB baseline wander and muscle artefact (or synthetic
 *      noise) scaled to several SNRs (eo_noise_gain_at_snr) and added to a
 *      clean 10-s segment, denoised by band-pass, wavelet, median and VMD with
 *      the tuned (K, alpha); the display window denoised by VMD, its modes.
 *   4. classification: gradient boosting (XGBoost) on RR + morphology
 *      features of DS1 beats (a subsample), the record's beats from ecgopt's
 *      QRS detector, scored against the reference the EC57 way.
 *   5. compression: lossless, bounded-error and CDF 9/7 wavelet modes at
 *      several rates; the wavelet reconstruction is drawn under the original.
 *   6. report (when a path is given): ECG strips (original, denoised,
 *      reconstructed, error; beats labelled reference / predicted) and every
 *      figure above. */
#ifndef ECGOPT_DEMO_H
#define ECGOPT_DEMO_H

#include "ecgopt/export.h"

#include <stdint.h>
#include <stdio.h>

#include "ecgopt/ec57.h"
#include "ecgopt/json.h"
#include "ecgopt/status.h"
#include "ecgopt/strbuf.h"
#include "ecgopt/util.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EO_DEMO_N_OPT 5     /* optimisers of the tuning study */
#define EO_DEMO_N_NOISES 2  /* baseline wander, muscle artefact */
#define EO_DEMO_N_METHODS 4 /* bandpass, wavelet, median, vmd */
#define EO_DEMO_MAX_SNR 6
#define EO_DEMO_N_CODEC 3   /* lossless, bounded, wavelet */
#define EO_DEMO_MAX_RD 8

/* A line for the user (the synthetic fallback), e.g. printed on stderr. */
typedef void (*eo_demo_note_fn)(void *user, const char *line);

typedef struct eo_demo_options {
    const char *data_dir;    /* NULL: the default data folders (eo_data_dirs) */
    const char *record;      /* MIT-BIH record, default "233" */
    int quick;               /* fewer records, evaluations and rates (about 1 minute) */
    uint64_t seed;           /* default 1 */
    int threads;             /* classifier threads; 0: 2 */
    int verify;              /* check WFDB checksums (default 1) */
    const char *report_path; /* NULL: no report; else written as the last stage */
    eo_progress_fn progress; /* may be NULL; one bar over all stages, 0..100 */
    void *progress_user;
    eo_demo_note_fn note;    /* may be NULL */
    void *note_user;
} eo_demo_options;

EO_API void eo_demo_defaults(eo_demo_options *o);

/* The figures of a run (the text and JSON summaries and the report read them). */
typedef struct eo_demo_result {
    char record[64];          /* "233", or "synth" */
    int synthetic;            /* 1: the ECGSYN fallback */
    int quick;
    double fs_hz;
    /* tuning */
    int K;
    double alpha;
    const char *opt_names[EO_DEMO_N_OPT];
    double best_mee[EO_DEMO_N_OPT];
    /* denoising: snr_out[noise][method][k] at input SNR snr_in[k] */
    const char *noises[EO_DEMO_N_NOISES];
    const char *methods[EO_DEMO_N_METHODS];
    int n_snr;
    double snr_in[EO_DEMO_MAX_SNR];
    double snr_out[EO_DEMO_N_NOISES][EO_DEMO_N_METHODS][EO_DEMO_MAX_SNR];
    /* classification (whole record, detector beats) */
    long n_train_beats;
    int n_train_records;
    double train_seconds;
    eo_ec57_result ec57;
    eo_ec57_stats stats;
    /* compression: rate-distortion points of each mode */
    const char *rd_name[EO_DEMO_N_CODEC];
    int rd_n[EO_DEMO_N_CODEC];
    double rd_cr[EO_DEMO_N_CODEC][EO_DEMO_MAX_RD], rd_prdn[EO_DEMO_N_CODEC][EO_DEMO_MAX_RD];
    char rd_set[EO_DEMO_N_CODEC][EO_DEMO_MAX_RD][48]; /* each point's setting in words */
    int rd_shown;             /* the point the strips show: mode * EO_DEMO_MAX_RD + i */
    double compress_seconds;
    double seconds;           /* wall time of eo_demo_run, report included */
} eo_demo_result;

typedef struct eo_demo eo_demo;

/* Run the pipeline.  *out (eo_demo_destroy) holds the result and the
 * signals the report draws.  A progress callback returning non-zero does
 * not stop the run (the stages are short). */
EO_API eo_status eo_demo_run(const eo_demo_options *o, eo_demo **out, eo_error *err);
EO_API const eo_demo_result *eo_demo_result_of(const eo_demo *d);
/* The HTML report of a run (eo_demo_run writes it when report_path is set). */
EO_API eo_status eo_demo_report_write(const eo_demo *d, const char *path, eo_error *err);
EO_API void eo_demo_destroy(eo_demo *d); /* NULL: no-op; removes the synthetic records */

/* The summary as one JSON object ("report", "record", "tuning",
 * "denoising", "classification", "compression"). */
EO_API void eo_demo_result_json(eo_json *j, const eo_demo_result *r, const char *report_path);
/* The summary as five lines of text ending in "report: PATH". */
EO_API void eo_demo_result_text(eo_strbuf *b, const eo_demo_result *r, const char *report_path);

#ifdef __cplusplus
}
#endif
#endif
