/* ecgopt compress — compress a WFDB record into an .ecgz file (the codec
 * and this driver live in the library: ecgopt/codec_run.h, docs/codec.md). */
#include <math.h>
#include <string.h>

#include "cli_args.h"
#include "cli_record.h"
#include "ecgopt/codec_run.h"
#include "ecgopt/util.h"

static const eo_cli_spec SPEC = {
    "compress RECORD -o OUT.ecgz [--from S] [--to S] [--mode lossless|bounded|wavelet|ae]\n"
    "                       [--max-error ADU]\n"
    "                       [--target-prdn PCT] [--step ADU] [--model MODEL.eom --ae-step S\n"
    "                       [--embed-model]] [--block-seconds S] [--coder plain|mix]\n"
    "                       [--evaluate] [--report FILE.html]",
    "Compress a record into an .ecgz file (docs/codec.md), blocks coded in parallel\n"
    "(--threads; the file does not depend on it), the header's comment lines kept.\n"
    "With --from/--to the file holds just that span as a record of its own (its\n"
    "sample 0 is the span's first sample); its header drops the base time and date\n"
    "when the span starts after 0 and gains the comment line \"ecgopt span: samples\n"
    "S0..S1 (A-B s) of RECORD\", which decompress and info keep.\n"
    "The report (implies --evaluate) shows the rate-distortion point and 30 s of\n"
    "strips original/reconstructed/error.\n",
    NULL,
    "ecgopt compress mitdb/100 -o 100.ecgz --mode bounded --max-error 1 --evaluate\n"
    "ecgopt compress mitdb/100 -o 100-1min.ecgz --from 60 --to 120\n"
    "ecgopt compress mitdb/100 -o 100.ecgz --model ae.eom --ae-step 0.2 --evaluate\n"
    "ecgopt compress mitdb/100 -o 100.ecgz --model ae.eom --embed-model\n"
    "ecgopt compress --train -o ae.eom   (= ecgopt train --task compress, see --help)\n",
    NULL};

static void print_text(const eo_cli *c, const char *record, const eo_codec_run *r)
{
    const eo_codec_stats *cs = &r->cs;
    const eo_fidelity *f = &r->f;
    const eo_codec_ae *ae = r->o.ae_model;
    if (r->span)
        printf("%s samples %ld..%ld -> %s: the span only\n", record, r->span_start, r->span_end, c->out);
    printf("%s -> %s: %s, %d signals x %ld samples, %zu bytes, CR %.3f (vs %.0f bits/sample), %.2f s\n", record,
           c->out, eo_codec_mode_name(r->o.mode), cs->n_signals, cs->n_samples, cs->file_bytes, cs->cr,
           cs->bits_per_sample, r->encode_s);
    if (r->o.mode == EO_CODEC_WAVELET)
        printf("wavelet step %.4g adu\n", cs->wavelet_step);
    if (ae) {
        printf("autoencoder: segment %d, latent %d (paper CR %.1f), step %.3g, model %zu bytes ",
               eo_codec_ae_segment(ae), eo_codec_ae_latent(ae),
               (double)eo_codec_ae_segment(ae) / eo_codec_ae_latent(ae), cs->wavelet_step, eo_codec_ae_model_bytes(ae));
        if (r->o.embed_model)
            printf("embedded (counted in CR above); CR without the model section (%zu bytes) %.3f\n",
                   cs->model_section_bytes, cs->cr_without_model);
        else
            printf("(not counted in CR)\n");
    }
    if (r->evaluate)
        printf("PRD %.4f %%  PRDN %.4f %%  SNR %.2f dB  RMSE %.4f adu  max error %.0f adu  QS %.3f  (decode %.2f s)\n",
               f->prd, f->prdn, f->snr_db, f->rmse, f->max_abs_error, f->prdn > 0 ? cs->cr / f->prdn : INFINITY,
               r->decode_s);
}

/* Every output checked before the work, the record encoded (and decoded
 * again), the file and the report written. */
static eo_status run(eo_cli *c, const char *record, const char *report, eo_codec_run *r, eo_error *err)
{
    char base[4096];
    eo_wfdb_record *rec = NULL;
    eo_status st = eo_data_find_record(c->data_dir, record, "hea", base, sizeof base, err);
    if (!st)
        st = eo_cli_output_file(c, c->out, base, err);
    if (!st && report)
        st = eo_cli_output_file(c, report, base, err);
    if (!st)
        st = eo_cli_record_load(c, base, &rec, err);
    if (!st)
        st = eo_codec_run_record(r, rec, c->out, err);
    eo_cli_progress_end(c);
    if (!st)
        st = eo_write_file_atomic(c->out, r->buf, r->len, err);
    if (!st && report)
        st = eo_codec_run_report(r, rec, record, report, err);
    eo_wfdb_record_destroy(rec);
    return st;
}

int eo_cmd_compress(int argc, char **argv)
{
    eo_cli c;
    /* `ecgopt compress --train ...` = `ecgopt train --task compress ...` */
    if (argc > 1 && strcmp(argv[1], "--train") == 0)
        return eo_cmd_train_compress(argc - 1, argv + 1);
    if (eo_cli_common(&c, "compress", &argc, argv))
        return c.rc;
    eo_codec_request q;
    eo_codec_request_init(&q);
    const char *record = NULL, *report = NULL;
    const eo_cli_opt opts[] = {
        EO_OPT_SPAN(&q.from_s, &q.to_s),
        {"--mode", EO_OPT_STR, &q.mode, 0, 0, "MODE",
         "lossless (default): adaptive NLMS prediction + context-modelled range coding;\n"
         "bounded: every sample within --max-error ADU; wavelet: CDF 9/7 + quantisation;\n"
         "ae: convolutional autoencoder (--model)", NULL},
        {"--max-error", EO_OPT_DOUBLE, &q.max_error, 0, 1000, "ADU", "bounded: the error bound, an integer (default 1)", NULL},
        {"--target-prdn", EO_OPT_DOUBLE, &q.target_prdn, 1e-6, 99.999, "PCT", "wavelet: step chosen so the pooled PRDN meets it (default 5)", NULL},
        {"--step", EO_OPT_DOUBLE, &q.step, 1e-9, 1e6, "ADU", "wavelet: a fixed quantiser step instead", NULL},
        {"--model", EO_OPT_STR, &q.model, 0, 0, "MODEL.eom", "ae: the model (ecgopt train --task compress)", NULL},
        {"--ae-step", EO_OPT_DOUBLE, &q.ae_step, 1e-9, 1e6, "S", "ae: latent step (rate-distortion model: within its trained range); default: searched for --target-prdn", NULL},
        {"--embed-model", EO_OPT_FLAG, &q.embed_model, 0, 0, NULL, "ae: store the model in the file (decodes without --model)", NULL},
        {"--block-seconds", EO_OPT_DOUBLE, &q.block_seconds, 0.1, 86400, "S", "seekable block length (default 60 s)", NULL},
        {"--coder", EO_OPT_STR, &q.coder, 0, 0, "plain|mix",
         "lossless/bounded residual coder: plain (default) or context mixing\n"
         "(about 3 % smaller files, about 4x the CPU time)", NULL},
        {"--evaluate", EO_OPT_FLAG, &q.evaluate, 0, 0, NULL,
         "decode the file again and print CR, PRD, PRDN, SNR, RMSE, max error, QS\n"
         "(CR counts every byte of the file, 11 bits/sample for MIT-BIH)", NULL},
        EO_OPT_REPORT(&report),
        EO_OPT_TABLE_END};
    int rc = eo_cli_args(&c, &SPEC, opts, argc, argv, &record, "RECORD", "needs a RECORD", "needs -o OUT.ecgz");
    if (rc >= 0)
        return rc;
    q.evaluate |= report != NULL; /* the report shows the decoded signal */
    q.source = record;            /* an empty span's error names it as given (svdb/802) */
    q.threads = c.threads;
    if (c.progress && !c.quiet && !c.json) {
        q.progress = eo_cli_progress;
        q.progress_user = &c;
    }
    eo_error err;
    eo_codec_run r;
    eo_status st = eo_codec_run_init(&r, &q, &err);
    if (st == EO_STATUS_USAGE) {
        eo_codec_run_free(&r);
        return eo_cli_usage(&c, "%s", err.msg);
    }
    if (!st)
        st = run(&c, record, report, &r, &err);
    if (!st && c.json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_codec_run_json(&j, &r, record, c.out);
        eo_json_obj_end(&j);
    } else if (!st && !c.quiet) {
        print_text(&c, record, &r);
    }
    eo_codec_run_free(&r);
    return st == EO_STATUS_USAGE ? eo_cli_usage(&c, "%s", err.msg) : st ? eo_cli_fail(&c, &err) : 0;
}
