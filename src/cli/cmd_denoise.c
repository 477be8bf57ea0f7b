/* ecgopt denoise — denoise the signals of a record with one of the methods
 * of ecgopt/denoise.h and write the result as a WFDB record with the same
 * gains and baselines (format 16).  The algorithms live in the library. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ecgopt/denoise.h"
#include "ecgopt/json.h"
#include "ecgopt/lead.h"
#include "ecgopt/report.h"
#include "ecgopt/util.h"
#include "ecgopt/wfdb.h"

static void usage(void)
{
    printf("usage: ecgopt denoise RECORD -o OUTRECORD [--method M] [--from S] [--to S]\n"
           "                      [--lead NAME|INDEX] [--report-modes] [--k K] [--alpha A]\n"
           "                      [--population P] [--iterations I] [--search-seconds S]\n"
           "                      [--drop-above HZ] [--correct-lowest] [--model FILE.eom]\n"
           "                      [--json] [--seed N]\n"
           "\n"
           "Methods (--method, default learned):\n"
           "  learned    the learned denoiser (docs/denoise.md): a zero-phase 0.5 Hz high-pass,\n"
           "             then a dilated convolutional network removes the noise left; the model\n"
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
           "--from/--to S   process only that time span (seconds); the output holds it\n"
           "--lead NAME|INDEX  denoise only this lead (name, e.g. MLII, or index); default\n"
           "                every signal (--signal is the older spelling)\n"
           "--report-modes  list K, alpha and each mode's centre frequency and fate\n"
           "--correct-lowest  vmd methods: remove the median baseline of the lowest mode\n"
           "                instead of the whole mode\n"           "--report FILE.html  also write an HTML report: ECG strips (original, denoised,\n"
           "                removed) of the first signal's first minute, and the VMD modes\n"
           "\n"
           "common options: --json (result as JSON on stdout)  --quiet (errors only on stderr)\n"
           "  --progress (draw progress even when stderr is not a terminal)  --data DIR  --seed N\n"
           "example:\n"
           "  ecgopt denoise mitdb/100 -o /tmp/100dn --from 0 --to 60\n"
           "  ecgopt denoise mitdb/100 -o /tmp/100dn --method iaoa-vmd --from 0 --to 60 --report-modes\n");
}

static const char *action_name(eo_mode_action a)
{
    return a == EO_MODE_DROPPED    ? "dropped"
           : a == EO_MODE_BASELINE  ? "baseline"
           : a == EO_MODE_CORRECTED ? "baseline-corrected"
                                    : "kept";
}

/* --report: strips of the first minute of the first signal (original,
 * denoised, removed = original - denoised) and the VMD mode table. */
static eo_status write_report(const char *path, const char *record, const eo_wfdb_signal_info *si,
                              const double *orig, const double *den, long n, double fs, long start,
                              const eo_denoise_options *o, const eo_denoise_report *rep, eo_error *err)
{
    long show = n < (long)(60 * fs) ? n : (long)(60 * fs);
    double *removed = malloc((size_t)show * sizeof *removed);
    char title[512];
    snprintf(title, sizeof title, "ecgopt denoise: %s, signal %s, method %s", record, si->description,
             eo_denoise_method_name(o->method));
    eo_report *r = eo_report_create(title);
    if (!removed || !r) {
        free(removed);
        eo_report_destroy(r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    }
    for (long i = 0; i < show; i++)
        removed[i] = orig[i] - den[i];
    char txt[512];
    snprintf(txt, sizeof txt, "From %.2f s, %.1f s shown of %.1f s denoised (%.2f s of computing).",
             start / fs, show / fs, n / fs, rep->seconds);
    eo_report_paragraph(r, txt);
    eo_strip_trace tr[3] = {{"original", orig, (size_t)show},
                            {"denoised", den, (size_t)show},
                            {"removed", removed, (size_t)show}};
    eo_strip_options so;
    eo_strip_defaults(&so, fs);
    so.band_mv = 0;
    int nd = (int)ceil(show / fs / 10 - 1e-9);
    /* element ids from the record name: letters and digits only */
    char id[64];
    const char *slash = strrchr(record, '/');
    size_t k = 0;
    for (const char *p = slash ? slash + 1 : record; *p && k + 1 < sizeof id; p++)
        id[k++] = isalnum((unsigned char)*p) ? *p : '-';
    id[k] = 0;
    if (!k)
        snprintf(id, sizeof id, "strip");
    eo_status st = eo_report_ecg_zoom(r, id, &so, show / fs, nd, tr, 3, NULL, 0, err);
    if (!st && (o->method == EO_DENOISE_VMD || o->method == EO_DENOISE_IAOA_VMD)) {
        const char *hdr[3] = {"mode", "centre (Hz)", "action"};
        char cells[EO_DENOISE_MAX_MODES][2][32];
        const char *cp[EO_DENOISE_MAX_MODES * 3];
        char num[EO_DENOISE_MAX_MODES][8];
        for (int m = 0; m < rep->K && m < EO_DENOISE_MAX_MODES; m++) {
            snprintf(num[m], sizeof num[m], "%d", m + 1);
            snprintf(cells[m][0], 32, "%.2f", rep->center_hz[m]);
            snprintf(cells[m][1], 32, "%s", action_name(rep->action[m]));
            cp[m * 3] = num[m];
            cp[m * 3 + 1] = cells[m][0];
            cp[m * 3 + 2] = cells[m][1];
        }
        snprintf(txt, sizeof txt, "VMD modes: K = %d, alpha = %.1f", rep->K, rep->alpha);
        eo_report_heading(r, 2, txt);
        eo_report_table(r, NULL, 3, hdr, rep->K, cp);
    }
    if (!st)
        st = eo_report_write(r, path, err);
    eo_report_destroy(r);
    free(removed);
    return st;
}

/* the options of one run, and what it made */
typedef struct {
    eo_denoise_options o;
    const char *record, *method, *signal, *report_path;
    double from_s, to_s, k, pop, iters;
    int report_modes;
    double fs;
    long start, n;
    int s_lo, ns;
    eo_wfdb_signal_info *like;
    eo_denoise_report *reps;
} denoise_run;

/* the command line into r; 0, or the exit code of an error already reported */
static int parse_args(eo_cli *c, int argc, char **argv, denoise_run *r)
{
    eo_denoise_options *o = &r->o;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int t;
        if (strcmp(argv[i], "--report-modes") == 0) {
            r->report_modes = 1;
            continue;
        }
        if (strcmp(argv[i], "--correct-lowest") == 0) {
            o->lowest_correct = 1;
            continue;
        }
        if ((t = eo_cli_take_value(c, argc, argv, &i, "--method", &v)) != 0) {
            if (t < 0)
                return 1;
            r->method = v;
            continue;
        }
        if ((t = eo_cli_take_value(c, argc, argv, &i, "--model", &v)) != 0) {
            if (t < 0)
                return 1;
            o->model_path = v;
            continue;
        }
        if ((t = eo_cli_take_value(c, argc, argv, &i, "--report", &v)) != 0) {
            if (t < 0)
                return 1;
            r->report_path = v;
            continue;
        }
        if ((t = eo_cli_take_value(c, argc, argv, &i, "--lead", &v)) != 0 ||
            (t = eo_cli_take_value(c, argc, argv, &i, "--signal", &v)) != 0) {
            if (t < 0)
                return 1;
            r->signal = v;
            continue;
        }
        struct {
            const char *name;
            double *dst;
            double lo, hi;
        } num[] = {{"--from", &r->from_s, 0, 1e9},
                   {"--to", &r->to_s, 0, 1e9},
                   {"--k", &r->k, 1, 64},
                   {"--alpha", &o->vmd.alpha, 1e-6, 1e9},
                   {"--population", &r->pop, 1, 1000},
                   {"--iterations", &r->iters, 1, 10000},
                   {"--search-seconds", &o->search_seconds, 0.1, 86400},
                   {"--drop-above", &o->drop_above_hz, 0, 1e6}};
        int done = 0;
        for (size_t q = 0; q < sizeof num / sizeof num[0] && !done; q++) {
            if ((t = eo_cli_take_value(c, argc, argv, &i, num[q].name, &v)) != 0) {
                if (t < 0 || eo_cli_parse_double(c, num[q].name, v, num[q].lo, num[q].hi, num[q].dst))
                    return 1;
                done = 1;
            }
        }
        if (done)
            continue;
        if (argv[i][0] == '-' && argv[i][1])
            return eo_cli_usage(c, "unknown option '%s'", argv[i]);
        if (r->record)
            return eo_cli_usage(c, "more than one RECORD ('%s' and '%s')", r->record, argv[i]);
        r->record = argv[i];
    }
    return 0;
}

/* the options checked together and moved into r->o; 0 or an exit code */
static int check_args(eo_cli *c, denoise_run *r)
{
    eo_denoise_options *o = &r->o;
    eo_error err;
    if (!r->record)
        return eo_cli_usage(c, "needs a RECORD");
    if (!c->out)
        return eo_cli_usage(c, "needs -o OUTRECORD");
    if (r->method && eo_denoise_method_parse(r->method, &o->method, &err))
        return eo_cli_usage(c, "--method %s: use learned, bandpass, wavelet, median, vmd or iaoa-vmd",
                            r->method);
    if (o->model_path && o->method != EO_DENOISE_LEARNED)
        return eo_cli_usage(c, "--model is for --method learned");
    if (r->k >= 0) {
        if (r->k != floor(r->k) || r->k < 1 || r->k > 64)
            return eo_cli_usage(c, "--k %g must be an integer 1..64", r->k);
        o->vmd.K = (int)r->k;
    }
    if (r->pop >= 0) {
        if (r->pop != floor(r->pop) || r->pop < 1 || r->pop > 1000)
            return eo_cli_usage(c, "--population %g must be an integer 1..1000", r->pop);
        o->population = (size_t)r->pop;
    }
    if (r->iters >= 0) {
        if (r->iters != floor(r->iters) || r->iters < 1 || r->iters > 10000)
            return eo_cli_usage(c, "--iterations %g must be an integer 1..10000", r->iters);
        o->iterations = (int)r->iters;
    }
    o->seed = c->seed;
    o->threads = c->threads > 0 ? c->threads : 2; /* the learned network: 2 threads unless --threads */
    if (c->progress && !c->quiet && !c->json) {
        o->progress = eo_cli_progress;
        o->progress_user = c;
    }
    return 0;
}

/* each selected signal denoised into adu (and the --report of the first);
 * r->like and r->reps filled */
static eo_status denoise_signals(denoise_run *r, const eo_wfdb_record *rec, int32_t **adu,
                                 double **rep_orig, eo_error *err)
{
    const long n = r->n;
    eo_status st = EO_STATUS_OK;
    double *x = malloc((size_t)n * sizeof *x);
    if (!x)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory for %ld samples", r->record, n);
    for (int s = r->s_lo; s < r->s_lo + r->ns; s++) {
        int j = s - r->s_lo;
        eo_wfdb_signal_info *like = r->like;
        like[j] = rec->header->signals[s];
        adu[j] = malloc((size_t)n * sizeof **adu);
        if (!adu[j]) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", r->record);
            break;
        }
        st = eo_wfdb_record_physical(rec, s, r->start, n, x, err);
        if (!st && r->report_path && j == 0) {
            *rep_orig = malloc((size_t)n * sizeof **rep_orig);
            if (!*rep_orig)
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", r->record);
            else
                memcpy(*rep_orig, x, (size_t)n * sizeof *x);
        }
        if (!st) {
            st = eo_denoise(x, (size_t)n, r->fs, &r->o, x, &r->reps[j], err);
            if (st)
                eo_error_prefix(err, "%s: signal %d (%s)", r->record, s, like[j].description);
        }
        if (!st && *rep_orig && j == 0)
            st = write_report(r->report_path, r->record, &like[0], *rep_orig, x, n, r->fs, r->start,
                              &r->o, &r->reps[0], err);
        if (st)
            break;
        double g = like[j].gain > 0 ? like[j].gain : EO_WFDB_DEFAULT_GAIN;
        for (long i = 0; i < n; i++) {
            double a = floor(x[i] * g + like[j].baseline + 0.5);
            adu[j][i] = (int32_t)(a > 32767 ? 32767 : a < -32767 ? -32767 : a);
        }
    }
    free(x);
    return st;
}

static void print_json(const eo_cli *c, const denoise_run *r)
{
    const eo_denoise_options *o = &r->o;
    eo_json jw;
    eo_json_init(&jw, stdout);
    eo_json_obj_begin(&jw);
    eo_json_kv_str(&jw, "record", r->record);
    eo_json_kv_str(&jw, "output", c->out);
    eo_json_kv_str(&jw, "method", eo_denoise_method_name(o->method));
    eo_json_kv_num(&jw, "fs_hz", r->fs);
    eo_json_kv_int(&jw, "from_sample", r->start);
    eo_json_kv_int(&jw, "samples", r->n);
    eo_json_key(&jw, "signals");
    eo_json_arr_begin(&jw);
    for (int j = 0; j < r->ns; j++) {
        const eo_denoise_report *rp = &r->reps[j];
        eo_json_obj_begin(&jw);
        eo_json_kv_int(&jw, "index", r->s_lo + j);
        eo_json_kv_str(&jw, "description", r->like[j].description);
        eo_json_kv_num(&jw, "seconds", rp->seconds);
        if (o->method == EO_DENOISE_VMD || o->method == EO_DENOISE_IAOA_VMD) {
            eo_json_kv_int(&jw, "K", rp->K);
            eo_json_kv_num(&jw, "alpha", rp->alpha);
            if (o->method == EO_DENOISE_IAOA_VMD)
                eo_json_kv_num(&jw, "mean_envelope_entropy", rp->mee);
            eo_json_kv_int(&jw, "vmd_evaluations", rp->vmd_evals);
            eo_json_kv_int(&jw, "vmd_iterations", rp->vmd_iterations);
            eo_json_key(&jw, "modes");
            eo_json_arr_begin(&jw);
            for (int m = 0; m < rp->K; m++) {
                eo_json_obj_begin(&jw);
                eo_json_kv_num(&jw, "center_hz", rp->center_hz[m]);
                eo_json_kv_str(&jw, "action", action_name(rp->action[m]));
                eo_json_obj_end(&jw);
            }
            eo_json_arr_end(&jw);
        }
        eo_json_obj_end(&jw);
    }
    eo_json_arr_end(&jw);
    eo_json_obj_end(&jw);
}

static void print_text(eo_cli *c, const denoise_run *r)
{
    const eo_denoise_options *o = &r->o;
    eo_cli_info(c, "wrote %s: %d signal(s), %ld samples, method %s\n", c->out, r->ns, r->n,
                eo_denoise_method_name(o->method));
    for (int j = 0; r->report_modes && j < r->ns; j++) {
        const eo_denoise_report *rp = &r->reps[j];
        if (o->method != EO_DENOISE_VMD && o->method != EO_DENOISE_IAOA_VMD) {
            printf("signal %d (%s): method %s has no modes\n", r->s_lo + j, r->like[j].description,
                   eo_denoise_method_name(o->method));
            continue;
        }
        printf("signal %d (%s): K=%d alpha=%.1f", r->s_lo + j, r->like[j].description, rp->K,
               rp->alpha);
        if (o->method == EO_DENOISE_IAOA_VMD)
            printf(" MEE=%.4f", rp->mee);
        printf(" VMD evaluations=%lld (%.2f s)\n", rp->vmd_evals, rp->seconds);
        for (int m = 0; m < rp->K; m++)
            printf("  mode %d: %8.2f Hz  %s\n", m, rp->center_hz[m], action_name(rp->action[m]));
    }
}

/* the record loaded, the window and signals selected, denoised and written;
 * the exit code */
static int run(eo_cli *c, denoise_run *r)
{
    eo_error err;
    char outdir[4096], outname[256];
    char base[4096];
    eo_status st = eo_data_find_record(c->data_dir, r->record, "hea", base, sizeof base, &err);
    /* every output checked before the work: never over the input record, never
     * beside old annotations; a failure removes what was made */
    if (!st)
        st = eo_cli_output_record(c, c->out, base, outdir, sizeof outdir, outname, sizeof outname,
                                  &err);
    if (!st && r->report_path)
        st = eo_cli_output_file(c, r->report_path, base, &err);
    if (st)
        return eo_cli_fail(c, &err);
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = c->verify;
    eo_wfdb_record *rec = NULL;
    st = eo_wfdb_record_load(base, &ro, &rec, &err);
    if (st)
        return eo_cli_fail(c, &err);
    const double fs = rec->fs_hz;
    long start = (long)floor(r->from_s * fs + 0.5);
    long end = r->to_s < 0 ? rec->n_samples : (long)floor(r->to_s * fs + 0.5);
    if (end > rec->n_samples)
        end = rec->n_samples;
    if (r->from_s < 0 || start >= end) {
        double len_s = (double)rec->n_samples / fs;
        eo_wfdb_record_destroy(rec);
        return eo_cli_usage(c, "--from %g --to %g selects no samples of %s (%.1f s)", r->from_s,
                            r->to_s, r->record, len_s);
    }
    int s_lo = 0, s_hi = rec->n_signals;
    if (r->signal) {
        int si = -1;
        if (eo_lead_find(rec->header, r->signal, r->record, &si, NULL, &err)) {
            eo_wfdb_record_destroy(rec);
            return eo_cli_fail(c, &err);
        }
        s_lo = (int)si;
        s_hi = (int)si + 1;
    }
    r->fs = fs;
    r->start = start;
    r->n = end - start;
    r->s_lo = s_lo;
    r->ns = s_hi - s_lo;
    const int ns = r->ns;
    int32_t **adu = calloc((size_t)ns, sizeof *adu);
    r->like = calloc((size_t)ns, sizeof *r->like);
    r->reps = calloc((size_t)ns, sizeof *r->reps);
    double *rep_orig = NULL;
    int rc = 0;
    if (!adu || !r->like || !r->reps)
        st = eo_error_set(&err, EO_STATUS_NO_MEMORY, "%s: out of memory for %ld samples", r->record,
                          r->n);
    if (!st)
        st = denoise_signals(r, rec, adu, &rep_orig, &err);
    if (c->progress && r->o.progress)
        eo_cli_progress_end(c);
    if (!st)
        st = eo_wfdb_record_write_ex(outdir, outname, 16, fs, ns, r->n, adu, r->like,
                                     start == 0 ? rec->header : NULL, &err);
    if (st)
        rc = eo_cli_fail(c, &err);
    else if (c->json)
        print_json(c, r);
    else
        print_text(c, r);
    for (int j = 0; adu && j < ns; j++)
        free(adu[j]);
    free(adu);
    free(r->like);
    free(r->reps);
    free(rep_orig);
    eo_wfdb_record_destroy(rec);
    return rc;
}

int eo_cmd_denoise(int argc, char **argv)
{
    eo_cli c;
    if (eo_cli_common(&c, "denoise", &argc, argv))
        return c.rc;
    if (c.help) {
        usage();
        return 0;
    }
    denoise_run r;
    memset(&r, 0, sizeof r);
    eo_denoise_defaults(&r.o);
    r.to_s = -1;
    r.k = -1;
    r.pop = -1;
    r.iters = -1;
    int rc = parse_args(&c, argc, argv, &r);
    if (!rc)
        rc = check_args(&c, &r);
    if (!rc)
        rc = run(&c, &r);
    return rc;
}
