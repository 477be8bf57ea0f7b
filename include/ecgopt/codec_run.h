/* ecgopt — record-level drivers of the codec (the work behind `ecgopt
 * compress`, `decompress` and `train --task compress`; docs/codec.md).
 *
 * A compression is asked for with an eo_codec_request (what the user gave,
 * every field "not given" after eo_codec_request_init), resolved into
 * eo_codec_options (the mode follows from the options given when no mode
 * is named), run on a record (encode, optionally decode again and score),
 * and described by eo_codec_run_json and eo_codec_run_report. */
#ifndef ECGOPT_CODEC_RUN_H
#define ECGOPT_CODEC_RUN_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/codec.h"
#include "ecgopt/export.h"
#include "ecgopt/json.h"
#include "ecgopt/metrics.h"
#include "ecgopt/status.h"
#include "ecgopt/wfdb.h"
#include "ecgopt/wfdb_span.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the user asked for; NULL strings and NaN numbers are "not given". */
typedef struct eo_codec_request {
    const char *mode;     /* lossless|bounded|wavelet|ae; NULL: from the options below */
    const char *coder;    /* plain|mix */
    const char *model;    /* ae: model file (.eom); given alone it selects ae */
    double max_error;     /* bounded: an integer 0..1000 (selects bounded) */
    double target_prdn;   /* wavelet: target PRDN % (selects wavelet) */
    double step;          /* wavelet: a fixed quantiser step (adu) */
    double block_seconds; /* seekable block length */
    double ae_step;       /* ae: latent step */
    int embed_model;      /* ae: store the model in the file */
    int evaluate;         /* decode the file again and score it */
    int threads;          /* 0: all cores (clamped to 1..64) */
    double from_s;        /* span start, seconds from the record's start (0 after init) */
    double to_s;          /* span end, seconds; < 0 (-1 after init): the end of the record */
    const char *source;   /* the record as the user named it (svdb/802), for an empty span's
                             error; NULL: the header's record name */
    eo_progress_fn progress;
    void *progress_user;
} eo_codec_request;

/* Every field "not given"; the span is the whole record. */
EO_API void eo_codec_request_init(eo_codec_request *q);

/* One compression: the resolved options, the loaded model, and what the
 * run made and measured. */
typedef struct eo_codec_run {
    eo_codec_options o;       /* resolved from the request */
    eo_codec_ae *ae;          /* ae: the model, owned (o.ae_model points to it) */
    int evaluate;
    unsigned char *buf;       /* the .ecgz file (after eo_codec_run_record) */
    size_t len;
    eo_codec_stats cs;
    eo_fidelity f;            /* with evaluate: pooled fidelity of the file */
    double encode_s, decode_s;
    eo_wfdb_record *decoded;  /* with evaluate: the file decoded again */
    double from_s, to_s;      /* the span asked for (request) */
    const char *source;       /* the request's source (not owned) */
    long span_start, span_end; /* after eo_codec_run_record: the samples encoded */
    eo_wfdb_record *span;     /* a span other than the whole record: the view of it
                                 encoded (eo_wfdb_record_view), owned; NULL otherwise */
} eo_codec_run;

/* Resolve q into r->o (defaults for what was not given) and load the
 * model.  A contradictory or malformed request is EO_STATUS_USAGE with a
 * message such as "--mode ae needs --model MODEL.eom (ecgopt train --task
 * compress)"; a model that cannot be read keeps the loader's status.
 * Free with eo_codec_run_free (also after a failure). */
EO_API eo_status eo_codec_run_init(eo_codec_run *r, const eo_codec_request *q, eo_error *err);

/* Encode rec (and with evaluate decode the bytes again and score them, so
 * the figures describe the file; a lossless round trip that differs is
 * EO_STATUS_INTERNAL).  `name` names the record in messages.  With a span
 * (from_s/to_s of the request) only its samples are encoded, as a record
 * of their own: the file's sample 0 is the span's first sample, its header
 * has no base time or date when the span starts after 0 (the start is not
 * shifted) and gains the comment line "ecgopt span: samples S0..S1 (A-B s)
 * of NAME", which decompress and info carry on.  An empty span is
 * EO_STATUS_USAGE (eo_wfdb_span_samples), checked before any work. */
EO_API eo_status eo_codec_run_record(eo_codec_run *r, const eo_wfdb_record *rec, const char *name,
                                     eo_error *err);
EO_API void eo_codec_run_free(eo_codec_run *r);

/* The run as JSON members of an open object: record, output, mode and its
 * settings, the model (ae), signals, samples, file_bytes, cr, encode_s,
 * from_sample (the span's first sample of the record) and
 * with evaluate decode_s, prd, prdn, snr_db, rmse_adu, max_abs_error_adu,
 * qs. */
EO_API void eo_codec_run_json(eo_json *j, const eo_codec_run *r, const char *record, const char *output);

/* An HTML report of the run (needs evaluate; rec is the whole record, the
 * span of it is drawn when one was encoded): the rate-distortion point of
 * this file among a sweep of its mode (eo_codec_sweep, over the first 5
 * minutes) and 30 s of strips original / reconstructed / error of the
 * first signal, written to path. */
EO_API eo_status eo_codec_run_report(const eo_codec_run *r, const eo_wfdb_record *rec, const char *record,
                                     const char *path, eo_error *err);

/* ---- decompression of a span into a WFDB record --------------------------- */

typedef struct eo_ecgz_extract {
    long start, count;  /* samples [start, start + count) of every signal */
    int n_signals;
    int format;         /* 212 when every sample fits and the original was, else 16 */
    double decode_s;
} eo_ecgz_extract;

/* Decode seconds [from_s, to_s) of z (to_s < 0: the end) and write them as
 * the record dir/name with the rest of the original header (comment lines,
 * counter frequency, and the base time when the span starts at 0).  A span
 * with no samples is EO_STATUS_USAGE ("--from 5 --to 1 selects no samples
 * of x.ecgz (1805.6 s)"); `source` names the file in messages. */
EO_API eo_status eo_ecgz_extract_record(eo_ecgz *z, const char *source, double from_s, double to_s,
                                        const char *dir, const char *name, eo_ecgz_extract *res,
                                        eo_error *err);
/* input, output, mode, model (ae), signals, start_sample, samples, fs_hz,
 * format, decode_s as members of an open object. */
EO_API void eo_ecgz_extract_json(eo_json *j, const eo_ecgz *z, const eo_ecgz_extract *res, const char *input,
                                 const char *output);

/* ---- training the autoencoder on named records ----------------------------- */

/* Train the ae model on the records named in the comma-separated list
 * `records` (NULL: the 22 MIT-BIH DS1 records, so DS2 stays unseen), each
 * found with eo_data_find_record(data_dir, ...) and read with ro (NULL:
 * defaults).  *n_records gets the number used. */
EO_API eo_status eo_codec_ae_train_named(const char *data_dir, const char *records,
                                         const eo_wfdb_read_options *ro, const eo_codec_ae_options *o,
                                         eo_codec_ae **out, int *n_records, eo_error *err);
/* "P1,P2,P3" into o->pools; USAGE "--pools X: expected three sizes, e.g. 3,4,2". */
EO_API eo_status eo_codec_ae_pools_parse(const char *s, eo_codec_ae_options *o, eo_error *err);
/* sha256, model_bytes, segment, latent of a model as members of an open object. */
EO_API void eo_codec_ae_json(eo_json *j, const eo_codec_ae *ae);

#ifdef __cplusplus
}
#endif
#endif
