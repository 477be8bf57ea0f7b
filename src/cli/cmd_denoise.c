/* ecgopt denoise — denoise the signals of a record with one of the methods
 * of ecgopt/denoise.h and write the result as a WFDB record with the same
 * gains and baselines (format 16).  The work is eo_denoise_record
 * (ecgopt/denoise_record.h). */
#include <string.h>

#include "cli_args.h"
#include "cli_record.h"
#include "ecgopt/denoise_record.h"

static const eo_cli_spec SPEC = {
    "denoise RECORD -o OUTRECORD [--method M] [--from S] [--to S]\n"
    "                      [--lead NAME|INDEX] [--report-modes] [--k K] [--alpha A]\n"
    "                      [--population P] [--iterations I] [--search-seconds S]\n"
    "                      [--drop-above HZ] [--correct-lowest] [--model FILE.eom]\n"
    "                      [--report FILE.html]",
    "Methods (--method, default learned):\n"
    "  learned    the learned denoiser (docs/denoise.md): a zero-phase 0.5 Hz high-pass,\n"
    "             then a dilated convolutional network, given the signal and its beat\n"
    "             template (median over 16 aligned beats each side), removes the noise left; the model\n"
    "             built in (models/denoise-dcnn.eom, 360 Hz; other rates are resampled)\n"
    "             or --model FILE.eom from `ecgopt train --task denoise`\n"
    "  bandpass   zero-phase Butterworth 0.5-40 Hz, order 4\n"
    "  wavelet    db4: approximation below 0.5 Hz zeroed (wander), bands above 10 Hz\n"
    "             soft-thresholded (universal threshold, per-band noise level)\n"
    "  median     200 ms + 600 ms median baseline removal\n"
    "  vmd        VMD with --k (6) and --alpha (2000); modes above --drop-above\n"
    "             (50 Hz) dropped, the others wavelet-denoised; the lowest is removed\n"
    "             only when centred below 0.5 Hz, else its median baseline is removed\n"
    "  iaoa-vmd   as vmd, with K in 2..12 and alpha in 100..10000 chosen by the\n"
    "             improved AOA minimising the mean envelope entropy on a centred\n"
    "             --search-seconds (10) window, --population (8) x --iterations (6)\n"
    "             VMD evaluations per signal\n"
    "The output record is never written over the input record nor beside old\n"
    "annotations without --force.\n",
    NULL,
    "ecgopt denoise mitdb/100 -o /tmp/100dn --from 0 --to 60\n"
    "ecgopt denoise mitdb/100 -o /tmp/100dn --method iaoa-vmd --from 0 --to 60 --report-modes\n",
    NULL};

static void print_modes(const eo_denoise_record_result *r)
{
    const char *method = eo_denoise_method_name(r->method);
    for (int j = 0; j < r->ns; j++) {
        const eo_denoise_report *rp = &r->reports[j];
        const char *desc = r->signals[j].description;
        if (r->method != EO_DENOISE_VMD && r->method != EO_DENOISE_IAOA_VMD) {
            printf("signal %d (%s): method %s has no modes\n", r->s_lo + j, desc, method);
            continue;
        }
        printf("signal %d (%s): K=%d alpha=%.1f", r->s_lo + j, desc, rp->K, rp->alpha);
        if (r->method == EO_DENOISE_IAOA_VMD)
            printf(" MEE=%.4f", rp->mee);
        printf(" VMD evaluations=%lld (%.2f s)\n", rp->vmd_evals, rp->seconds);
        for (int m = 0; m < rp->K; m++)
            printf("  mode %d: %8.2f Hz  %s\n", m, rp->center_hz[m], eo_denoise_action_name(rp->action[m]));
    }
}

/* Outputs checked, the record denoised and written; the exit code. */
static int run(eo_cli *c, const char *record, const char *report, int report_modes,
               const eo_denoise_record_options *o)
{
    eo_error err;
    char outdir[4096], outname[256], base[4096];
    eo_wfdb_record *rec = NULL;
    eo_denoise_record_result r;
    memset(&r, 0, sizeof r);
    eo_status st = eo_data_find_record(c->data_dir, record, "hea", base, sizeof base, &err);
    /* never over the input record, never beside old annotations */
    if (!st)
        st = eo_cli_output_record(c, c->out, base, outdir, sizeof outdir, outname, sizeof outname, &err);
    if (!st && report)
        st = eo_cli_output_file(c, report, base, &err);
    if (!st)
        st = eo_cli_record_load(c, base, &rec, &err);
    if (!st)
        st = eo_denoise_record(rec, record, o, &r, &err);
    if (o->denoise.progress)
        eo_cli_progress_end(c);
    if (!st && report)
        st = eo_denoise_record_report(&r, record, report, &err);
    if (!st)
        st = eo_denoise_record_write(&r, rec, outdir, outname, &err);
    int rc = st == EO_STATUS_USAGE ? eo_cli_usage(c, "%s", err.msg) : st ? eo_cli_fail(c, &err) : 0;
    if (!st && c->json) {
        eo_json j;
        eo_json_init(&j, stdout);
        eo_json_obj_begin(&j);
        eo_denoise_record_json(&j, &r, record, c->out);
        eo_json_obj_end(&j);
    } else if (!st) {
        eo_cli_info(c, "wrote %s: %d signal(s), %ld samples, method %s\n", c->out, r.ns, r.n,
                    eo_denoise_method_name(r.method));
        if (report_modes)
            print_modes(&r);
    }
    eo_denoise_record_free(&r);
    eo_wfdb_record_destroy(rec);
    return rc;
}

int eo_cmd_denoise(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "denoise", &argc, argv))
        return c.rc;
    eo_denoise_record_options o;
    eo_denoise_record_defaults(&o);
    eo_denoise_options *d = &o.denoise;
    const char *record = NULL, *method = NULL, *report = NULL;
    int report_modes = 0, pop = (int)d->population;
    const eo_cli_opt opts[] = {
        {"--method", EO_OPT_STR, &method, 0, 0, "M", "learned (default), bandpass, wavelet, median, vmd or iaoa-vmd", NULL},
        EO_OPT_SPAN(&o.from_s, &o.to_s),
        {"--lead", EO_OPT_STR, &o.lead, 0, 0, "NAME|INDEX", "denoise only this lead (name, e.g. MLII, or index); default every signal", "--signal"},
        {"--report-modes", EO_OPT_FLAG, &report_modes, 0, 0, NULL, "list K, alpha and each mode's centre frequency and fate", NULL},
        {"--k", EO_OPT_INT, &d->vmd.K, 1, 64, "K", "vmd: the number of modes (6)", NULL},
        {"--alpha", EO_OPT_DOUBLE, &d->vmd.alpha, 1e-6, 1e9, "A", "vmd: the bandwidth constraint (2000)", NULL},
        {"--population", EO_OPT_INT, &pop, 1, 1000, "P", "iaoa-vmd: search population (8)", NULL},
        {"--iterations", EO_OPT_INT, &d->iterations, 1, 10000, "I", "iaoa-vmd: search iterations (6)", NULL},
        {"--search-seconds", EO_OPT_DOUBLE, &d->search_seconds, 0.1, 86400, "S", "iaoa-vmd: centred search window (10 s)", NULL},
        {"--drop-above", EO_OPT_DOUBLE, &d->drop_above_hz, 0, 1e6, "HZ", "vmd methods: modes centred above it are dropped (50)", NULL},
        {"--correct-lowest", EO_OPT_FLAG, &d->lowest_correct, 0, 0, NULL,
         "vmd methods: remove the median baseline of the lowest mode instead of the whole mode", NULL},
        {"--model", EO_OPT_STR, &d->model_path, 0, 0, "FILE.eom", "learned: a model of `ecgopt train --task denoise`", NULL},
        {"--report", EO_OPT_STR, &report, 0, 0, "FILE.html",
         "also write an HTML report: ECG strips (original, denoised, removed) of the\n"
         "first signal's first minute, and the VMD modes", NULL},
        EO_OPT_TABLE_END};
    int rc = eo_cli_args(&c, &SPEC, opts, argc, argv, &record, "RECORD", "needs a RECORD", "needs -o OUTRECORD");
    if (rc >= 0)
        return rc;
    eo_error err;
    if (method && eo_denoise_method_parse(method, &d->method, &err))
        return eo_cli_usage(&c, "--method %s: use learned, bandpass, wavelet, median, vmd or iaoa-vmd", method);
    if (d->model_path && d->method != EO_DENOISE_LEARNED)
        return eo_cli_usage(&c, "--model is for --method learned");
    d->population = (size_t)pop;
    d->seed = c.seed;
    d->threads = c.threads > 0 ? c.threads : 2; /* the learned network: 2 threads unless --threads */
    if (c.progress && !c.quiet && !c.json) {
        d->progress = eo_cli_progress;
        d->progress_user = &c;
    }
    o.keep_first = report != NULL;
    return run(&c, record, report, report_modes, &o);
}
