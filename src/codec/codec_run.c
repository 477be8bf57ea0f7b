/* One compression of a record, as `ecgopt compress` runs it: the user's
 * request resolved into codec options, encode, decode again and score
 * (so the figures describe the bytes written), and the run as JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ecgopt/alloc.h"
#include "ecgopt/codec_run.h"
#include "ecgopt/util.h"

void eo_codec_request_init(eo_codec_request *q)
{
    memset(q, 0, sizeof *q);
    q->max_error = q->target_prdn = q->step = q->block_seconds = q->ae_step = NAN;
    q->to_s = -1;
}

static int given(double v) { return !isnan(v); }

/* The options of q; the mode follows from the options given when q->mode
 * is NULL.  USAGE on a contradiction. */
static eo_status resolve(const eo_codec_request *q, eo_codec_options *o, eo_error *err)
{
    eo_codec_defaults(o);
    if (q->mode && eo_codec_mode_parse(q->mode, &o->mode, err))
        return eo_error_set(err, EO_STATUS_USAGE, "--mode %s: use lossless, bounded, wavelet or ae", q->mode);
    if (given(q->max_error)) {
        if (q->max_error != floor(q->max_error) || q->max_error < 0 || q->max_error > 1000)
            return eo_error_set(err, EO_STATUS_USAGE, "--max-error %g must be an integer 0..1000", q->max_error);
        o->max_error_adu = (int)q->max_error;
        if (!q->mode)
            o->mode = EO_CODEC_BOUNDED;
    }
    if (given(q->target_prdn)) {
        o->target_prdn = q->target_prdn;
        if (!q->mode)
            o->mode = EO_CODEC_WAVELET;
    }
    if (given(q->step))
        o->wavelet_step = q->step;
    if (given(q->block_seconds))
        o->block_seconds = q->block_seconds;
    if (q->coder && strcmp(q->coder, "mix") == 0)
        o->coder = EO_CODEC_CODER_MIX;
    else if (q->coder && strcmp(q->coder, "plain") != 0)
        return eo_error_set(err, EO_STATUS_USAGE, "--coder %s: use plain or mix", q->coder);
    if (q->model && !q->mode)
        o->mode = EO_CODEC_AE;
    if (o->mode == EO_CODEC_AE) {
        if (!q->model)
            return eo_error_set(err, EO_STATUS_USAGE,
                                "--mode ae needs --model MODEL.eom (ecgopt train --task compress)");
        if (given(q->ae_step))
            o->ae_step = q->ae_step;
        o->embed_model = q->embed_model;
    } else if (q->model) {
        return eo_error_set(err, EO_STATUS_USAGE, "--model is for --mode ae");
    } else if (q->embed_model) {
        return eo_error_set(err, EO_STATUS_USAGE, "--embed-model is for --mode ae (with --model)");
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    o->threads = q->threads > 0 ? q->threads : (int)(cores > 0 ? cores : 1);
    o->threads = o->threads < 1 ? 1 : o->threads > 64 ? 64 : o->threads;
    o->progress = q->progress;
    o->progress_user = q->progress_user;
    return EO_STATUS_OK;
}

eo_status eo_codec_run_init(eo_codec_run *r, const eo_codec_request *q, eo_error *err)
{
    memset(r, 0, sizeof *r);
    eo_fidelity_init(&r->f);
    r->evaluate = q->evaluate;
    r->from_s = q->from_s;
    r->to_s = q->to_s;
    r->source = q->source;
    eo_status st = resolve(q, &r->o, err);
    if (!st && r->o.mode == EO_CODEC_AE) {
        st = eo_codec_ae_load(q->model, &r->ae, err);
        r->o.ae_model = r->ae;
    }
    return st;
}

void eo_codec_run_free(eo_codec_run *r)
{
    free(r->buf);
    eo_wfdb_record_destroy(r->decoded);
    eo_wfdb_record_view_free(r->span);
    eo_codec_ae_destroy(r->ae);
    memset(r, 0, sizeof *r);
}

/* Decode the bytes about to be written and score them against rec. */
static eo_status evaluate(eo_codec_run *r, const eo_wfdb_record *rec, const char *name, eo_error *err)
{
    eo_ecgz *z = NULL;
    double t1 = eo_time_now();
    eo_status st = eo_ecgz_open_mem(r->buf, r->len, name, &z, err);
    if (!st && r->o.ae_model)
        st = eo_ecgz_set_ae_model(z, r->o.ae_model, err);
    if (!st) {
        eo_ecgz_set_threads(z, r->o.threads);
        st = eo_ecgz_to_record(z, &r->decoded, err);
    }
    r->decode_s = eo_time_now() - t1;
    if (!st)
        st = eo_codec_fidelity(rec, r->decoded->adu, 0, rec->n_samples, &r->f, err);
    if (!st && r->o.mode == EO_CODEC_LOSSLESS && r->f.max_abs_error != 0)
        st = eo_error_set(err, EO_STATUS_INTERNAL, "%s: lossless round trip differs", name);
    eo_ecgz_close(z);
    return st;
}

eo_status eo_codec_run_record(eo_codec_run *r, const eo_wfdb_record *rec, const char *name, eo_error *err)
{
    free(r->buf);
    r->buf = NULL;
    eo_wfdb_record_view_free(r->span);
    r->span = NULL;
    /* the span names the record it cuts (name may be the output file) */
    const char *src = rec->header && rec->header->record_name[0] ? rec->header->record_name : name;
    eo_status st = eo_wfdb_span_samples(rec->fs_hz, rec->n_samples, r->from_s, r->to_s,
                                        r->source ? r->source : src, &r->span_start,
                                        &r->span_end, err);
    if (st)
        return st;
    if (r->span_start > 0 || r->span_end < rec->n_samples) {
        char note[512];
        snprintf(note, sizeof note, " ecgopt span: samples %ld..%ld (%.3f-%.3f s) of %s", r->span_start,
                 r->span_end, (double)r->span_start / rec->fs_hz, (double)r->span_end / rec->fs_hz, src);
        if ((st = eo_wfdb_record_view(rec, r->span_start, r->span_end, note, &r->span, err)))
            return st;
        rec = r->span;
    }
    double t0 = eo_time_now();
    st = eo_codec_encode(rec, &r->o, &r->buf, &r->len, &r->cs, err);
    r->encode_s = eo_time_now() - t0;
    if (!st && r->evaluate)
        st = evaluate(r, rec, name, err);
    return st;
}

static void ae_json(eo_json *j, const eo_codec_run *r)
{
    const eo_codec_ae *ae = r->o.ae_model;
    uint8_t h[32];
    char hex[65];
    eo_codec_ae_hash(ae, h);
    eo_codec_hash_hex(h, 32, hex);
    eo_json_kv_str(j, "model_sha256", hex);
    eo_json_kv_int(j, "model_bytes", (long long)eo_codec_ae_model_bytes(ae));
    eo_json_kv_bool(j, "model_embedded", r->o.embed_model != 0);
    eo_json_kv_int(j, "model_section_bytes", (long long)r->cs.model_section_bytes);
    eo_json_kv_num(j, "cr_without_model", r->cs.cr_without_model);
    eo_json_kv_num(j, "ae_step", r->cs.wavelet_step); /* the step used (searched for --target-prdn) */
    eo_json_kv_int(j, "segment", eo_codec_ae_segment(ae));
    eo_json_kv_int(j, "latent", eo_codec_ae_latent(ae));
    eo_json_kv_num(j, "paper_cr", (double)eo_codec_ae_segment(ae) / eo_codec_ae_latent(ae));
}

void eo_codec_run_json(eo_json *j, const eo_codec_run *r, const char *record, const char *output)
{
    const eo_codec_options *o = &r->o;
    const eo_codec_stats *cs = &r->cs;
    const eo_fidelity *f = &r->f;
    eo_json_kv_str(j, "record", record);
    eo_json_kv_str(j, "output", output);
    eo_json_kv_str(j, "mode", eo_codec_mode_name(o->mode));
    if (o->mode == EO_CODEC_BOUNDED)
        eo_json_kv_int(j, "max_error_adu", o->max_error_adu);
    if (o->mode == EO_CODEC_BOUNDED || o->mode == EO_CODEC_LOSSLESS)
        eo_json_kv_str(j, "coder", o->coder == EO_CODEC_CODER_MIX ? "mix" : "plain");
    if (o->mode == EO_CODEC_WAVELET) {
        eo_json_kv_num(j, "target_prdn", o->wavelet_step > 0 ? NAN : o->target_prdn);
        eo_json_kv_num(j, "step_adu", cs->wavelet_step);
    }
    if (o->ae_model)
        ae_json(j, r);
    eo_json_kv_int(j, "signals", cs->n_signals);
    eo_json_kv_int(j, "samples", cs->n_samples);
    eo_json_kv_int(j, "file_bytes", (long long)cs->file_bytes);
    eo_json_kv_num(j, "bits_per_sample_ref", cs->bits_per_sample);
    eo_json_kv_num(j, "cr", cs->cr);
    eo_json_kv_num(j, "encode_s", r->encode_s);
    eo_json_kv_int(j, "from_sample", r->span_start);
    if (r->evaluate) {
        eo_json_kv_num(j, "decode_s", r->decode_s);
        eo_json_kv_num(j, "prd", f->prd);
        eo_json_kv_num(j, "prdn", f->prdn);
        eo_json_kv_num(j, "snr_db", f->snr_db);
        eo_json_kv_num(j, "rmse_adu", f->rmse);
        eo_json_kv_num(j, "max_abs_error_adu", f->max_abs_error);
        eo_json_kv_num(j, "qs", f->prdn > 0 ? cs->cr / f->prdn : INFINITY);
    }
}
