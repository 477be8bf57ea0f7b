/* ecgopt compress — compress a WFDB record into an .ecgz file (the codec
 * lives in the library: ecgopt/codec.h, docs/codec.md). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_record.h"
#include "ecgopt/codec.h"
#include "ecgopt/json.h"
#include "ecgopt/report.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

int eo_cmd_train_compress(int argc, char **argv);

/* --report: the rate-distortion point of this file among a sweep of its
 * mode (eo_codec_sweep) and the first 30 s of the first signal, original vs
 * reconstruction with the error underneath. */
static eo_status write_report(const char *path, const char *record, const eo_wfdb_record *rec,
                              const eo_wfdb_record *dec, const eo_codec_stats *cs,
                              const eo_fidelity *f, const eo_codec_options *co, eo_error *err)
{
    long n = rec->n_samples;
    const char *mode = eo_codec_mode_name(co->mode);
    double *x = malloc(sizeof(double) * (size_t)(n ? n : 1));
    double *y = malloc(sizeof(double) * (size_t)(n ? n : 1));
    double *e = malloc(sizeof(double) * (size_t)(n ? n : 1));
    eo_report *r = eo_report_create("ecgopt compress");
    eo_status st = EO_STATUS_OK;
    if (!x || !y || !e || !r)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    if (!st)
        st = eo_wfdb_record_physical(rec, 0, 0, n, x, err);
    if (!st)
        st = eo_wfdb_record_physical(dec, 0, 0, n, y, err);
    /* the sweep encodes 6 more times: over the first 5 minutes at most */
    eo_wfdb_record crop = *rec;
    double sweep_s = 300;
    if (crop.n_samples > (long)(sweep_s * rec->fs_hz))
        crop.n_samples = (long)(sweep_s * rec->fs_hz);
    eo_codec_rd sw[8];
    int nsw = 0;
    if (!st)
        st = eo_codec_sweep(&crop, co, sw, 8, &nsw, err);
    if (!st) {
        char buf[512], setting[48], title[160];
        for (long i = 0; i < n; i++)
            e[i] = x[i] - y[i];
        eo_report_rd_point pt[9];
        eo_codec_setting_label(co, setting, sizeof setting);
        pt[0] = (eo_report_rd_point){mode, setting, cs->cr, f->prdn, 1};
        char lab[8][96];
        for (int k = 0; k < nsw; k++) {
            snprintf(lab[k], sizeof lab[k], "%s%sfirst %.0f s", sw[k].label, *sw[k].label ? ", " : "",
                     (double)crop.n_samples / rec->fs_hz);
            pt[k + 1] = (eo_report_rd_point){eo_codec_mode_name(sw[k].mode), lab[k], sw[k].cr, sw[k].prdn, 0};
        }
        snprintf(title, sizeof title, "Compression of %s", record);
        st = eo_report_add_rate_distortion(r, title, "this file", pt, (size_t)nsw + 1, err);
        snprintf(buf, sizeof buf,
                 "Record %s, mode %s%s%s: %zu bytes for %d signals x %ld samples; CR %.3f (every bit of the "
                 "file counted, against %.0f bits per sample); PRD %.3f %%, PRDN %.3f %%, SNR %.2f dB, "
                 "RMSE %.3f adu, max |error| %.0f adu (all signals pooled).  The other points: the "
                 "record's first %.0f s encoded losslessly and at the mode's usual settings.",
                 record, mode, *setting ? ", " : "", setting, cs->file_bytes, cs->n_signals, cs->n_samples, cs->cr,
                 cs->bits_per_sample, f->prd, f->prdn, f->snr_db, f->rmse, f->max_abs_error,
                 (double)crop.n_samples / rec->fs_hz);
        eo_report_paragraph(r, buf);
    }
    if (!st) {
        eo_strip_options so;
        eo_strip_defaults(&so, rec->fs_hz);
        eo_strip_trace tr[3] = {{"original", x, (size_t)n}, {"reconstructed", y, (size_t)n},
                                {"error", e, (size_t)n}};
        double shown = n / rec->fs_hz < 30 ? n / rec->fs_hz : 30;
        int details = (int)ceil(shown / so.seconds);
        char id[160], lead[128];
        eo_report_make_id(rec->header->signals[0].description, lead, sizeof lead);
        snprintf(id, sizeof id, "%s", lead);
        if (details > 0)
            st = eo_report_ecg_zoom(r, id, &so, shown, details, tr, 3, NULL, 0, err);
    }
    if (!st)
        st = eo_report_write(r, path, err);
    eo_report_destroy(r);
    free(x);
    free(y);
    free(e);
    return st;
}

static const eo_cli_spec SPEC = {
    "compress RECORD -o OUT.ecgz [--mode lossless|bounded|wavelet|ae] [--max-error ADU]\n"
    "                       [--target-prdn PCT] [--step ADU] [--model MODEL.eom --ae-step S\n"
    "                       [--embed-model]] [--block-seconds S] [--coder plain|mix]\n"
    "                       [--evaluate] [--report FILE.html]",
    "Compress a record into an .ecgz file (docs/codec.md), blocks coded in parallel\n"
    "(--threads; the file does not depend on it), the header's comment lines kept.\n"
    "The report (implies --evaluate) shows the rate-distortion point and 30 s of\n"
    "strips original/reconstructed/error.\n",
    NULL,
    "ecgopt compress mitdb/100 -o 100.ecgz --mode bounded --max-error 1 --evaluate\n"
    "ecgopt compress mitdb/100 -o 100.ecgz --model ae.eom --ae-step 0.2 --evaluate\n"
    "ecgopt compress mitdb/100 -o 100.ecgz --model ae.eom --embed-model\n"
    "ecgopt compress --train -o ae.eom   (= ecgopt train --task compress, see --help)\n",
    NULL};

/* The command line as given; -1: not given. */
typedef struct compress_args {
    const char *record, *mode, *model, *coder, *report;
    double max_err, prdn, step, block_s, ae_step;
    int evaluate, embed;
} compress_args;

/* Parse argv into *a (help printed when asked).  Returns -1 to go on, or the
 * exit code. */
static int parse_args(eo_cli *c, int argc, char **argv, compress_args *a)
{
    *a = (compress_args){NULL, NULL, NULL, NULL, NULL, -1, -1, -1, -1, -1, 0, 0};
    const eo_cli_opt opts[] = {
        {"--mode", EO_OPT_STR, &a->mode, 0, 0, "MODE",
         "lossless (default): adaptive NLMS prediction + context-modelled range coding;\n"
         "bounded: every sample within --max-error ADU; wavelet: CDF 9/7 + quantisation;\n"
         "ae: convolutional autoencoder (--model)", NULL},
        {"--max-error", EO_OPT_DOUBLE, &a->max_err, 0, 1000, "ADU", "bounded: the error bound, an integer (default 1)", NULL},
        {"--target-prdn", EO_OPT_DOUBLE, &a->prdn, 1e-6, 99.999, "PCT", "wavelet: step chosen so the pooled PRDN meets it (default 5)", NULL},
        {"--step", EO_OPT_DOUBLE, &a->step, 1e-9, 1e6, "ADU", "wavelet: a fixed quantiser step instead", NULL},
        {"--model", EO_OPT_STR, &a->model, 0, 0, "MODEL.eom", "ae: the model (ecgopt train --task compress)", NULL},
        {"--ae-step", EO_OPT_DOUBLE, &a->ae_step, 1e-9, 1e6, "S", "ae: latent step in units of each channel's training std (default 0.1)", NULL},
        {"--embed-model", EO_OPT_FLAG, &a->embed, 0, 0, NULL, "ae: store the model in the file (decodes without --model)", NULL},
        {"--block-seconds", EO_OPT_DOUBLE, &a->block_s, 0.1, 86400, "S", "seekable block length (default 60 s)", NULL},
        {"--coder", EO_OPT_STR, &a->coder, 0, 0, "plain|mix",
         "lossless/bounded residual coder: plain (default) or context mixing\n"
         "(about 3 % smaller files, about 4x the CPU time)", NULL},
        {"--evaluate", EO_OPT_FLAG, &a->evaluate, 0, 0, NULL,
         "decode the file again and print CR, PRD, PRDN, SNR, RMSE, max error, QS\n"
         "(CR counts every byte of the file, 11 bits/sample for MIT-BIH)", NULL},
        EO_OPT_REPORT(&a->report),
        EO_OPT_TABLE_END};
    int rc = eo_cli_help_or_parse(c, &SPEC, opts, argc, argv, &a->record, 1, NULL, "RECORD");
    if (rc >= 0)
        return rc;
    if (a->report)
        a->evaluate = 1; /* the report shows the decoded signal */
    if (!a->record)
        return eo_cli_usage(c, "needs a RECORD");
    if (!c->out)
        return eo_cli_usage(c, "needs -o OUT.ecgz");
    return -1;
}

/* The codec options from the arguments; the mode follows from the option
 * given when --mode is not.  Returns -1 to go on, or the exit code. */
static int codec_options(eo_cli *c, const compress_args *a, eo_codec_options *o)
{
    eo_error err;
    eo_codec_defaults(o);
    if (a->mode && eo_codec_mode_parse(a->mode, &o->mode, &err))
        return eo_cli_usage(c, "--mode %s: use lossless, bounded, wavelet or ae", a->mode);
    if (a->max_err >= 0) {
        if (a->max_err != floor(a->max_err))
            return eo_cli_usage(c, "--max-error %g must be an integer 0..1000", a->max_err);
        o->max_error_adu = (int)a->max_err;
        if (!a->mode)
            o->mode = EO_CODEC_BOUNDED;
    }
    if (a->prdn >= 0) {
        o->target_prdn = a->prdn;
        if (!a->mode)
            o->mode = EO_CODEC_WAVELET;
    }
    if (a->step >= 0)
        o->wavelet_step = a->step;
    if (a->block_s >= 0)
        o->block_seconds = a->block_s;
    if (a->coder) {
        if (strcmp(a->coder, "mix") == 0)
            o->coder = EO_CODEC_CODER_MIX;
        else if (strcmp(a->coder, "plain") != 0)
            return eo_cli_usage(c, "--coder %s: use plain or mix", a->coder);
    }
    if (a->model && !a->mode)
        o->mode = EO_CODEC_AE;
    if (o->mode == EO_CODEC_AE) {
        if (!a->model)
            return eo_cli_usage(c, "--mode ae needs --model MODEL.eom (ecgopt train --task compress)");
        if (a->ae_step >= 0)
            o->ae_step = a->ae_step;
        o->embed_model = a->embed;
    } else if (a->model) {
        return eo_cli_usage(c, "--model is for --mode ae");
    } else if (a->embed) {
        return eo_cli_usage(c, "--embed-model is for --mode ae (with --model)");
    }
    o->threads = c->threads > 0 ? c->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (o->threads < 1)
        o->threads = 1;
    if (o->threads > 64)
        o->threads = 64;
    if (c->progress && !c->quiet && !c->json) {
        o->progress = eo_cli_progress;
        o->progress_user = c;
    }
    return -1;
}

/* What one run measured. */
typedef struct compress_result {
    eo_codec_stats cs;
    eo_fidelity f;
    double t_enc, t_dec;
} compress_result;

/* Decode what will be written, so that the figures describe the file. */
static eo_status evaluate_file(const eo_cli *c, const char *record, const eo_wfdb_record *rec,
                               const unsigned char *buf, size_t len, const eo_codec_options *o,
                               eo_wfdb_record **dec, compress_result *res, eo_error *err)
{
    eo_ecgz *z = NULL;
    double t1 = eo_time_now();
    eo_status st = eo_ecgz_open_mem(buf, len, c->out, &z, err);
    if (!st && o->ae_model)
        st = eo_ecgz_set_ae_model(z, o->ae_model, err);
    if (!st) {
        eo_ecgz_set_threads(z, o->threads);
        st = eo_ecgz_to_record(z, dec, err);
    }
    res->t_dec = eo_time_now() - t1;
    if (!st)
        st = eo_codec_fidelity(rec, (*dec)->adu, 0, rec->n_samples, &res->f, err);
    if (!st && o->mode == EO_CODEC_LOSSLESS && res->f.max_abs_error != 0)
        st = eo_error_set(err, EO_STATUS_INTERNAL, "%s: lossless round trip differs", record);
    eo_ecgz_close(z);
    return st;
}

/* Encode (and with --evaluate decode again), write the file and the report. */
static eo_status run(eo_cli *c, const compress_args *a, const char *base, const eo_codec_options *o,
                     compress_result *res, eo_error *err)
{
    eo_wfdb_record *rec = NULL, *dec = NULL; /* dec kept for --report */
    eo_status st = eo_cli_record_load(c, base, &rec, err);
    if (st)
        return st;
    double t0 = eo_time_now();
    unsigned char *buf = NULL;
    size_t len = 0;
    st = eo_codec_encode(rec, o, &buf, &len, &res->cs, err);
    res->t_enc = eo_time_now() - t0;
    eo_cli_progress_end(c);
    if (!st && a->evaluate)
        st = evaluate_file(c, a->record, rec, buf, len, o, &dec, res, err);
    if (!st)
        st = eo_write_file_atomic(c->out, buf, len, err);
    free(buf);
    if (!st && a->report && dec)
        st = write_report(a->report, a->record, rec, dec, &res->cs, &res->f, o, err);
    eo_wfdb_record_destroy(dec);
    eo_wfdb_record_destroy(rec);
    return st;
}

static void print_json(const eo_cli *c, const compress_args *a, const eo_codec_options *o,
                       const compress_result *res)
{
    const eo_codec_stats *cs = &res->cs;
    const eo_fidelity *f = &res->f;
    const eo_codec_ae *ae = o->ae_model;
    eo_json j;
    eo_json_init(&j, stdout);
    eo_json_obj_begin(&j);
    eo_json_kv_str(&j, "record", a->record);
    eo_json_kv_str(&j, "output", c->out);
    eo_json_kv_str(&j, "mode", eo_codec_mode_name(o->mode));
    if (o->mode == EO_CODEC_BOUNDED)
        eo_json_kv_int(&j, "max_error_adu", o->max_error_adu);
    if (o->mode == EO_CODEC_BOUNDED || o->mode == EO_CODEC_LOSSLESS)
        eo_json_kv_str(&j, "coder", o->coder == EO_CODEC_CODER_MIX ? "mix" : "plain");
    if (o->mode == EO_CODEC_WAVELET) {
        eo_json_kv_num(&j, "target_prdn", o->wavelet_step > 0 ? NAN : o->target_prdn);
        eo_json_kv_num(&j, "step_adu", cs->wavelet_step);
    }
    if (ae) {
        uint8_t h[32];
        char hex[65];
        eo_codec_ae_hash(ae, h);
        eo_codec_hash_hex(h, 32, hex);
        eo_json_kv_str(&j, "model_sha256", hex);
        eo_json_kv_int(&j, "model_bytes", (long long)eo_codec_ae_model_bytes(ae));
        eo_json_kv_bool(&j, "model_embedded", o->embed_model != 0);
        eo_json_kv_int(&j, "model_section_bytes", (long long)cs->model_section_bytes);
        eo_json_kv_num(&j, "cr_without_model", cs->cr_without_model);
        eo_json_kv_num(&j, "ae_step", o->ae_step);
        eo_json_kv_int(&j, "segment", eo_codec_ae_segment(ae));
        eo_json_kv_int(&j, "latent", eo_codec_ae_latent(ae));
        eo_json_kv_num(&j, "paper_cr", (double)eo_codec_ae_segment(ae) / eo_codec_ae_latent(ae));
    }
    eo_json_kv_int(&j, "signals", cs->n_signals);
    eo_json_kv_int(&j, "samples", cs->n_samples);
    eo_json_kv_int(&j, "file_bytes", (long long)cs->file_bytes);
    eo_json_kv_num(&j, "bits_per_sample_ref", cs->bits_per_sample);
    eo_json_kv_num(&j, "cr", cs->cr);
    eo_json_kv_num(&j, "encode_s", res->t_enc);
    if (a->evaluate) {
        eo_json_kv_num(&j, "decode_s", res->t_dec);
        eo_json_kv_num(&j, "prd", f->prd);
        eo_json_kv_num(&j, "prdn", f->prdn);
        eo_json_kv_num(&j, "snr_db", f->snr_db);
        eo_json_kv_num(&j, "rmse_adu", f->rmse);
        eo_json_kv_num(&j, "max_abs_error_adu", f->max_abs_error);
        eo_json_kv_num(&j, "qs", f->prdn > 0 ? cs->cr / f->prdn : INFINITY);
    }
    eo_json_obj_end(&j);
}

static void print_text(const eo_cli *c, const compress_args *a, const eo_codec_options *o,
                       const compress_result *res)
{
    const eo_codec_stats *cs = &res->cs;
    const eo_fidelity *f = &res->f;
    const eo_codec_ae *ae = o->ae_model;
    printf("%s -> %s: %s, %d signals x %ld samples, %zu bytes, CR %.3f (vs %.0f bits/sample), "
           "%.2f s\n",
           a->record, c->out, eo_codec_mode_name(o->mode), cs->n_signals, cs->n_samples,
           cs->file_bytes, cs->cr, cs->bits_per_sample, res->t_enc);
    if (o->mode == EO_CODEC_WAVELET)
        printf("wavelet step %.4g adu\n", cs->wavelet_step);
    if (ae && o->embed_model)
        printf("autoencoder: segment %d, latent %d (paper CR %.1f), step %.3g, model %zu "
               "bytes embedded (counted in CR above); CR without the model section (%zu "
               "bytes) %.3f\n",
               eo_codec_ae_segment(ae), eo_codec_ae_latent(ae),
               (double)eo_codec_ae_segment(ae) / eo_codec_ae_latent(ae), o->ae_step,
               eo_codec_ae_model_bytes(ae), cs->model_section_bytes, cs->cr_without_model);
    else if (ae)
        printf("autoencoder: segment %d, latent %d (paper CR %.1f), step %.3g, model %zu "
               "bytes (not counted in CR)\n",
               eo_codec_ae_segment(ae), eo_codec_ae_latent(ae),
               (double)eo_codec_ae_segment(ae) / eo_codec_ae_latent(ae), o->ae_step,
               eo_codec_ae_model_bytes(ae));
    if (a->evaluate)
        printf("PRD %.4f %%  PRDN %.4f %%  SNR %.2f dB  RMSE %.4f adu  max error %.0f adu  "
               "QS %.3f  (decode %.2f s)\n",
               f->prd, f->prdn, f->snr_db, f->rmse, f->max_abs_error,
               f->prdn > 0 ? cs->cr / f->prdn : INFINITY, res->t_dec);
}

int eo_cmd_compress(int argc, char **argv)
{
    eo_cli c;
    /* `ecgopt compress --train ...` = `ecgopt train --task compress ...` */
    if (argc > 1 && strcmp(argv[1], "--train") == 0)
        return eo_cmd_train_compress(argc - 1, argv + 1);
    if (eo_cli_common(&c, "compress", &argc, argv))
        return c.rc;
    compress_args a;
    eo_codec_options o;
    int rc = parse_args(&c, argc, argv, &a);
    if (rc < 0)
        rc = codec_options(&c, &a, &o);
    if (rc >= 0)
        return rc;
    eo_error err;
    eo_codec_ae *ae = NULL;
    char base[4096];
    eo_status st = EO_STATUS_OK;
    if (o.mode == EO_CODEC_AE) {
        st = eo_codec_ae_load(a.model, &ae, &err);
        o.ae_model = ae;
    }
    if (!st)
        st = eo_data_find_record(c.data_dir, a.record, "hea", base, sizeof base, &err);
    /* every output checked before the work; a failure removes what was made */
    if (!st)
        st = eo_cli_output_file(&c, c.out, base, &err);
    if (!st && a.report)
        st = eo_cli_output_file(&c, a.report, base, &err);
    compress_result res;
    eo_fidelity_init(&res.f);
    res.t_dec = 0;
    if (!st)
        st = run(&c, &a, base, &o, &res, &err);
    if (!st && c.json)
        print_json(&c, &a, &o, &res);
    else if (!st && !c.quiet)
        print_text(&c, &a, &o, &res);
    eo_codec_ae_destroy(ae);
    return st ? eo_cli_fail(&c, &err) : 0;
}
