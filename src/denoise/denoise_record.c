/* Denoising a WFDB record (`ecgopt denoise`): the span and signals chosen,
 * each signal denoised in mV and put back in adu with its own gain and
 * baseline, so the output record reads like the input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/denoise_record.h"
#include "ecgopt/lead.h"

void eo_denoise_record_defaults(eo_denoise_record_options *o)
{
    memset(o, 0, sizeof *o);
    eo_denoise_defaults(&o->denoise);
    o->to_s = -1;
}

const char *eo_denoise_action_name(eo_mode_action a)
{
    return a == EO_MODE_DROPPED     ? "dropped"
           : a == EO_MODE_BASELINE  ? "baseline"
           : a == EO_MODE_CORRECTED ? "baseline-corrected"
                                    : "kept";
}

void eo_denoise_record_free(eo_denoise_record_result *r)
{
    for (int j = 0; r->adu && j < r->ns; j++)
        free(r->adu[j]);
    free(r->adu);
    free(r->signals);
    free(r->reports);
    free(r->orig);
    free(r->den);
    memset(r, 0, sizeof *r);
}

/* The span and the signals of o in r; USAGE for an empty span. */
static eo_status pick_span(const eo_wfdb_record *rec, const char *name, const eo_denoise_record_options *o,
                        eo_denoise_record_result *r, eo_error *err)
{
    const double fs = rec->fs_hz;
    long start = (long)floor(o->from_s * fs + 0.5);
    long end = o->to_s < 0 ? rec->n_samples : (long)floor(o->to_s * fs + 0.5);
    if (end > rec->n_samples)
        end = rec->n_samples;
    if (o->from_s < 0 || start >= end)
        return eo_error_set(err, EO_STATUS_USAGE, "--from %g --to %g selects no samples of %s (%.1f s)", o->from_s,
                            o->to_s, name, (double)rec->n_samples / fs);
    r->s_lo = 0;
    r->ns = rec->n_signals;
    if (o->lead) {
        int si = -1;
        eo_status st = eo_lead_find(rec->header, o->lead, name, &si, NULL, err);
        if (st)
            return st;
        r->s_lo = si;
        r->ns = 1;
    }
    r->fs = fs;
    r->start = start;
    r->n = end - start;
    return EO_STATUS_OK;
}

/* Signal s of rec denoised into r's slot j. */
static eo_status one_signal(const eo_wfdb_record *rec, const char *name, const eo_denoise_record_options *o,
                            int j, double *x, eo_denoise_record_result *r, eo_error *err)
{
    const long n = r->n;
    const int s = r->s_lo + j;
    const eo_wfdb_signal_info *si = &rec->header->signals[s];
    r->signals[j] = *si;
    if (!(r->adu[j] = eo_malloc((size_t)n * sizeof **r->adu)))
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    eo_status st = eo_wfdb_record_physical(rec, s, r->start, n, x, err);
    if (!st && o->keep_first && j == 0) {
        if (!(r->orig = eo_malloc((size_t)n * sizeof *x)) || !(r->den = eo_malloc((size_t)n * sizeof *x)))
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
        memcpy(r->orig, x, (size_t)n * sizeof *x);
    }
    if (st)
        return st;
    if ((st = eo_denoise(x, (size_t)n, r->fs, &o->denoise, x, &r->reports[j], err))) {
        eo_error_prefix(err, "%s: signal %d (%s)", name, s, si->description);
        return st;
    }
    if (r->den && j == 0)
        memcpy(r->den, x, (size_t)n * sizeof *x);
    double g = si->gain > 0 ? si->gain : EO_WFDB_DEFAULT_GAIN;
    for (long i = 0; i < n; i++) {
        double a = floor(x[i] * g + si->baseline + 0.5);
        r->adu[j][i] = (int32_t)(a > 32767 ? 32767 : a < -32767 ? -32767 : a);
    }
    return EO_STATUS_OK;
}

eo_status eo_denoise_record(const eo_wfdb_record *rec, const char *name, const eo_denoise_record_options *o,
                            eo_denoise_record_result *r, eo_error *err)
{
    memset(r, 0, sizeof *r);
    r->method = o->denoise.method;
    eo_status st = pick_span(rec, name, o, r, err);
    if (st)
        return st;
    r->adu = eo_calloc((size_t)r->ns, sizeof *r->adu);
    r->signals = eo_calloc((size_t)r->ns, sizeof *r->signals);
    r->reports = eo_calloc((size_t)r->ns, sizeof *r->reports);
    double *x = eo_malloc((size_t)r->n * sizeof *x);
    if (!r->adu || !r->signals || !r->reports || !x)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory for %ld samples", name, r->n);
    for (int j = 0; !st && j < r->ns; j++)
        st = one_signal(rec, name, o, j, x, r, err);
    free(x);
    return st;
}

eo_status eo_denoise_record_write(const eo_denoise_record_result *r, const eo_wfdb_record *rec, const char *dir,
                                  const char *name, eo_error *err)
{
    return eo_wfdb_record_write_ex(dir, name, 16, r->fs, r->ns, r->n, r->adu, r->signals,
                                   r->start == 0 ? rec->header : NULL, err);
}

static int has_modes(eo_denoise_method m) { return m == EO_DENOISE_VMD || m == EO_DENOISE_IAOA_VMD; }

void eo_denoise_record_json(eo_json *j, const eo_denoise_record_result *r, const char *record, const char *output)
{
    eo_json_kv_str(j, "record", record);
    eo_json_kv_str(j, "output", output);
    eo_json_kv_str(j, "method", eo_denoise_method_name(r->method));
    eo_json_kv_num(j, "fs_hz", r->fs);
    eo_json_kv_int(j, "from_sample", r->start);
    eo_json_kv_int(j, "samples", r->n);
    eo_json_key(j, "signals");
    eo_json_arr_begin(j);
    for (int k = 0; k < r->ns; k++) {
        const eo_denoise_report *rp = &r->reports[k];
        eo_json_obj_begin(j);
        eo_json_kv_int(j, "index", r->s_lo + k);
        eo_json_kv_str(j, "description", r->signals[k].description);
        eo_json_kv_num(j, "seconds", rp->seconds);
        if (has_modes(r->method)) {
            eo_json_kv_int(j, "K", rp->K);
            eo_json_kv_num(j, "alpha", rp->alpha);
            if (r->method == EO_DENOISE_IAOA_VMD)
                eo_json_kv_num(j, "mean_envelope_entropy", rp->mee);
            eo_json_kv_int(j, "vmd_evaluations", rp->vmd_evals);
            eo_json_kv_int(j, "vmd_iterations", rp->vmd_iterations);
            eo_json_key(j, "modes");
            eo_json_arr_begin(j);
            for (int m = 0; m < rp->K; m++) {
                eo_json_obj_begin(j);
                eo_json_kv_num(j, "center_hz", rp->center_hz[m]);
                eo_json_kv_str(j, "action", eo_denoise_action_name(rp->action[m]));
                eo_json_obj_end(j);
            }
            eo_json_arr_end(j);
        }
        eo_json_obj_end(j);
    }
    eo_json_arr_end(j);
}
