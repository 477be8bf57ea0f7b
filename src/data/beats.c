/* Beat datasets: label sets, extraction of beat windows from WFDB records
 * (reference annotations or any beat list such as QRS detector output), the
 * pre-processing chain and RR features.
 *
 * Pre-processing follows de Chazal et al. 2004 (IEEE TBME 51(7), II-B) for
 * the optional baseline (200 ms then 600 ms median filters) and the common
 * zero-phase Butterworth band-pass 0.5-40 Hz of Fki et al. 2023 and He et al. 2023;
 * the default window 0.25 s before / 0.45 s after R covers the P wave and the
 * T wave at normal rates. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/beats.h"
#include "ecgopt/lead.h"
#include "ecgopt/resample.h"
#include "ecgopt/dsp.h"

/* ---- label sets -------------------------------------------------------- */

eo_status eo_label_set_parse(const char *name, eo_label_set *out, eo_error *err)
{
    if (!name || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "label set: NULL argument");
    if (!strcmp(name, "aami"))
        *out = EO_LABELS_AAMI;
    else if (!strcmp(name, "nlrav"))
        *out = EO_LABELS_NLRAV;
    else if (!strcmp(name, "nsvq"))
        *out = EO_LABELS_NSVQ;
    else
        return eo_error_set(err, EO_STATUS_USAGE,
                            "label set '%s' is unknown (use aami, nlrav or nsvq)", name);
    return EO_STATUS_OK;
}

const char *eo_label_set_name(eo_label_set s)
{
    switch (s) {
    case EO_LABELS_AAMI: return "aami";
    case EO_LABELS_NLRAV: return "nlrav";
    case EO_LABELS_NSVQ: return "nsvq";
    }
    return "?";
}

int eo_label_set_n_classes(eo_label_set s)
{
    return s == EO_LABELS_NSVQ ? 4 : (s == EO_LABELS_AAMI || s == EO_LABELS_NLRAV) ? 5 : 0;
}

int eo_label_of_code(eo_label_set s, int code)
{
    const char *sym = eo_annot_code_symbol(code);
    if (!sym || !*sym || !eo_annot_is_beat(code))
        return -1;
    if (s == EO_LABELS_NLRAV) {
        static const char *const t[5] = {"N", "L", "R", "A", "V"};
        for (int c = 0; c < 5; c++)
            if (!strcmp(sym, t[c]))
                return c;
        return -1;
    }
    int a = (int)eo_annot_aami_class(code);
    if (a < 0)
        return -1;
    if (s == EO_LABELS_AAMI)
        return a;
    if (s == EO_LABELS_NSVQ)
        return a == EO_AAMI_F ? -1 : (a == EO_AAMI_Q ? 3 : a);
    return -1;
}

const char *eo_label_class_name(eo_label_set s, int cls)
{
    static const char *const aami[5] = {"N", "S", "V", "F", "Q"};
    static const char *const nlrav[5] = {"N", "L", "R", "A", "V"};
    static const char *const nsvq[4] = {"N", "S", "V", "Q"};
    if (cls < 0 || cls >= eo_label_set_n_classes(s))
        return "?";
    return s == EO_LABELS_AAMI ? aami[cls] : s == EO_LABELS_NLRAV ? nlrav[cls] : nsvq[cls];
}

int eo_label_class_code(eo_label_set s, int cls)
{
    /* ecgcodes.h: NORMAL 1, LBBB 2, RBBB 3, PVC 5, FUSION 6, APC 8, UNKNOWN 13 */
    static const int aami[5] = {1, 8, 5, 6, 13};
    static const int nlrav[5] = {1, 2, 3, 8, 5};
    static const int nsvq[4] = {1, 8, 5, 13};
    if (cls < 0 || cls >= eo_label_set_n_classes(s))
        return 13;
    return s == EO_LABELS_AAMI ? aami[cls] : s == EO_LABELS_NLRAV ? nlrav[cls] : nsvq[cls];
}

/* ---- options ----------------------------------------------------------- */

void eo_beats_defaults(eo_beats_options *o)
{
    memset(o, 0, sizeof *o);
    o->before_s = 0.25;
    o->after_s = 0.45;
    o->window_samples = 0;
    snprintf(o->leads[0], sizeof o->leads[0], "MLII");
    o->band_lo_hz = 0.5;
    o->band_hi_hz = 40.0;
    o->band_order = 2;
    o->baseline_median = 0;
    o->norm = EO_NORM_NONE;
    o->labels = EO_LABELS_AAMI;
    o->local_beats = 10;
    o->keep_unlabelled = 0;
    o->match_window_s = 0.15;
    o->align_s = 0.0;
}

/* ---- dataset ----------------------------------------------------------- */

eo_beats *eo_beats_new(void)
{
    return calloc(1, sizeof(eo_beats));
}

void eo_beats_destroy(eo_beats *b)
{
    if (!b)
        return;
    free(b->x);
    free(b->y);
    free(b->record);
    free(b->sample);
    free(b->code);
    free(b->rr);
    free(b->record_names);
    free(b);
}

size_t eo_beats_count(const eo_beats *b, int cls)
{
    if (!b)
        return 0;
    if (cls < 0)
        return b->n;
    size_t k = 0;
    for (size_t i = 0; i < b->n; i++)
        k += b->y[i] == cls;
    return k;
}

static eo_status beats_reserve(eo_beats *b, size_t want, eo_error *err)
{
    if (want <= b->cap)
        return EO_STATUS_OK;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < want)
        cap *= 2;
    size_t row = (size_t)b->n_leads * (size_t)b->len;
    float *x = realloc(b->x, cap * row * sizeof *x);
    if (x)
        b->x = x;
    int *y = realloc(b->y, cap * sizeof *y);
    if (y)
        b->y = y;
    int *r = realloc(b->record, cap * sizeof *r);
    if (r)
        b->record = r;
    long *s = realloc(b->sample, cap * sizeof *s);
    if (s)
        b->sample = s;
    int *c = realloc(b->code, cap * sizeof *c);
    if (c)
        b->code = c;
    float *rr = realloc(b->rr, cap * EO_RR_N_FEATURES * sizeof *rr);
    if (rr)
        b->rr = rr;
    if (!x || !y || !r || !s || !c || !rr)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "beats: %zu beats of %zu samples", cap, row);
    b->cap = cap;
    return EO_STATUS_OK;
}

static eo_status beats_add_name(eo_beats *b, const char *name, eo_error *err)
{
    char(*n)[32] = realloc(b->record_names, (size_t)(b->n_records + 1) * sizeof *n);
    if (!n)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "beats: record list");
    b->record_names = n;
    snprintf(b->record_names[b->n_records], 32, "%s", name);
    b->n_records++;
    return EO_STATUS_OK;
}

static const char *base_name(const char *base)
{
    const char *s = strrchr(base, '/');
    return s ? s + 1 : base;
}

/* median of a copy */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Physical samples of one signal, in mV, at the working rate fs (the record
 * resampled when fs differs from its own), through the pre-processing chain
 * into sig[0..n).  sig and tmp hold max(record length, n) samples. */
static eo_status prep_lead(const eo_wfdb_record *rec, int chan, const eo_beats_options *opt,
                           double fs, long n, double *sig, double *tmp, const char *rname,
                           eo_error *err)
{
    long nr = rec->n_samples;
    eo_status st = eo_wfdb_record_physical(rec, chan, 0, nr, tmp, err);
    if (st)
        return st;
    /* mixed units (uV next to mV): everything in mV; unknown units as they are */
    double to_mv = eo_lead_units_to_mv(rec->header, chan);
    if (!(to_mv > 0))
        to_mv = 1.0;
    for (long i = 0; i < nr; i++) {
        if (!isfinite(tmp[i]))
            tmp[i] = i > 0 ? tmp[i - 1] : 0.0; /* invalid samples: hold the last value */
        else
            tmp[i] *= to_mv;
    }
    if (fabs(fs - rec->fs_hz) > 1e-9) {
        double *y = NULL;
        size_t ny = 0;
        st = eo_resample(tmp, (size_t)nr, rec->fs_hz, fs, &y, &ny, err);
        if (st) {
            eo_error_prefix(err, "%s", rname);
            return st;
        }
        if ((long)ny != n) {
            free(y);
            return eo_error_set(err, EO_STATUS_INTERNAL, "%s: resampled to %zu samples, not %ld",
                                rname, ny, n);
        }
        memcpy(sig, y, (size_t)n * sizeof *sig);
        free(y);
    } else {
        memcpy(sig, tmp, (size_t)n * sizeof *sig);
    }
    if (opt->baseline_median) {
        eo_baseline_options bo;
        eo_baseline_defaults(&bo);
        st = eo_baseline_remove(sig, (size_t)n, fs, &bo, sig, NULL, err);
        if (st)
            return st;
    }
    if (opt->band_lo_hz > 0) {
        st = eo_bandpass(sig, (size_t)n, fs, opt->band_lo_hz, opt->band_hi_hz, opt->band_order,
                         tmp, err);
        if (st) {
            eo_error_prefix(err, "%s", rname);
            return st;
        }
        memcpy(sig, tmp, (size_t)n * sizeof *sig);
    }
    return EO_STATUS_OK;
}

eo_status eo_beats_add_record(eo_beats *out, const char *base, const eo_annotation_set *positions,
                              const eo_beats_options *opt, eo_error *err)
{
    if (!out || !base || !opt)
        return eo_error_set(err, EO_STATUS_USAGE, "beats: NULL argument");
    const char *rname = base_name(base);
    if (eo_label_set_n_classes(opt->labels) == 0)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: unknown label set %d", rname,
                            (int)opt->labels);
    if (opt->local_beats < 1)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: local RR span %d beats", rname,
                            opt->local_beats);
    eo_status st;
    eo_wfdb_record *rec = NULL;
    eo_annotation_set *atr = NULL;
    double *sig = NULL, *tmp = NULL;
    long *pos = NULL, *orig = NULL;
    int *lab = NULL, *codes = NULL;
    float *rr = NULL;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    st = eo_wfdb_record_load(base, &ro, &rec, err);
    if (st)
        return st;
    /* the working rate: the record's own, or opt->fs_hz (the record is then
     * resampled and the beat positions moved to the new grid; the beats
     * keep their positions on the record's own grid in out->sample) */
    const double fs_rec = rec->fs_hz;
    double fs = opt->fs_hz > 0 ? opt->fs_hz : fs_rec;
    int resampled = fabs(fs - fs_rec) > 1e-9;
    long n_work = rec->n_samples;
    if (resampled) {
        size_t nw = 0;
        st = eo_resample_length((size_t)rec->n_samples, fs_rec, fs, &nw, err);
        if (st) {
            eo_error_prefix(err, "%s", rname);
            goto done;
        }
        n_work = (long)nw;
    }
    int before, len;
    if (opt->window_samples > 0) {
        len = opt->window_samples;
        before = len / 2;
    } else {
        if (!(opt->before_s >= 0) || !(opt->after_s > 0) || opt->before_s + opt->after_s > 10) {
            st = eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: window %g s before, %g s after R",
                              rname, opt->before_s, opt->after_s);
            goto done;
        }
        before = (int)lround(opt->before_s * fs);
        len = before + (int)lround(opt->after_s * fs);
    }
    int n_leads = opt->leads[1][0] ? 2 : 1;
    int chan[2] = {-1, -1};
    for (int l = 0; l < n_leads; l++) {
        /* a name, an index ("1" or "#1": MIT-BIH's second lead is V1 in most
         * records but V2, V4 or V5 in some), or "" for the fallback order */
        st = eo_lead_find(rec->header, opt->leads[l], rname, &chan[l], NULL, err);
        if (st)
            goto done;
    }
    if (out->n_records > 0 || out->n > 0) {
        if (out->len != len || out->n_leads != n_leads || fabs(out->fs_hz - fs) > 1e-9 ||
            out->labels != opt->labels) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                              "%s: %g Hz, %d-sample window, %d lead(s) differ from the dataset's %g "
                              "Hz, %d, %d",
                              rname, fs, len, n_leads, out->fs_hz, out->len, out->n_leads);
            goto done;
        }
    } else {
        out->len = len;
        out->before = before;
        out->n_leads = n_leads;
        out->fs_hz = fs;
        out->labels = opt->labels;
    }
    out->src_fs_hz = fs_rec;

    /* beat list and reference labels */
    char path[4200];
    snprintf(path, sizeof path, "%s.atr", base);
    st = eo_annot_read(path, &atr, err);
    if (st && positions) {
        /* classifying a record without reference annotations: all unlabelled */
        st = EO_STATUS_OK;
        atr = eo_annot_set_new();
        if (!atr) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: annotations", rname);
            goto done;
        }
    }
    if (st)
        goto done;
    size_t n_ref = 0;
    for (size_t i = 0; i < atr->n; i++)
        n_ref += eo_annot_is_beat(atr->items[i].code) != 0;
    size_t n_pos = positions ? positions->n : n_ref;
    pos = malloc((n_pos + 1) * sizeof *pos);
    codes = malloc((n_pos + 1) * sizeof *codes);
    lab = malloc((n_pos + 1) * sizeof *lab);
    rr = malloc((n_pos + 1) * EO_RR_N_FEATURES * sizeof *rr);
    size_t n_buf = (size_t)(n_work > rec->n_samples ? n_work : rec->n_samples) + 1;
    sig = malloc(n_buf * sizeof *sig);
    tmp = malloc(n_buf * sizeof *tmp);
    orig = malloc((n_pos + 1) * sizeof *orig);
    if (!pos || !codes || !lab || !rr || !sig || !tmp || !orig) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: %ld samples, %zu beats", rname,
                          rec->n_samples, n_pos);
        goto done;
    }
    size_t m = 0;
    if (!positions) {
        for (size_t i = 0; i < atr->n; i++)
            if (eo_annot_is_beat(atr->items[i].code)) {
                if (m > 0 && atr->items[i].sample <= pos[m - 1])
                    continue; /* simultaneous annotations: keep the first */
                pos[m] = atr->items[i].sample;
                codes[m++] = atr->items[i].code;
            }
    } else {
        /* label each detected beat with the nearest reference beat within the
         * match window (EC57's 150 ms); none -> code 0, unknown class */
        long win = lround(opt->match_window_s * fs_rec);
        size_t j = 0;
        for (size_t i = 0; i < positions->n; i++) {
            long t = positions->items[i].sample;
            if (m > 0 && t <= pos[m - 1])
                continue;
            while (j < atr->n && (!eo_annot_is_beat(atr->items[j].code) ||
                                  atr->items[j].sample < t - win))
                j++;
            int code = 0;
            long best = win + 1;
            for (size_t k = j; k < atr->n && atr->items[k].sample <= t + win; k++) {
                if (!eo_annot_is_beat(atr->items[k].code))
                    continue;
                long d = labs(atr->items[k].sample - t);
                if (d < best) {
                    best = d;
                    code = atr->items[k].code;
                }
            }
            pos[m] = t;
            codes[m++] = code;
        }
    }
    if (m < 2) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %zu beat(s) in the %s; need at least 2",
                          rname, m, positions ? "beat list" : "reference annotations");
        goto done;
    }
    /* positions on the record's own grid (what out->sample keeps), then on
     * the working grid */
    memcpy(orig, pos, m * sizeof *pos);
    if (resampled) {
        st = eo_resample_positions(pos, m, fs_rec, fs, n_work, pos, err);
        if (st) {
            eo_error_prefix(err, "%s", rname);
            goto done;
        }
        size_t q = 0; /* two beats on one output sample (far below any RR): keep the first */
        for (size_t i = 0; i < m; i++) {
            if (q > 0 && pos[i] <= pos[q - 1])
                continue;
            pos[q] = pos[i];
            orig[q] = orig[i];
            codes[q++] = codes[i];
        }
        m = q;
    }
    int prepped = 0;
    if (opt->align_s > 0) {
        /* move every beat to the largest |x| of the filtered first lead
         * within +-align_s: reference annotations and detector output then
         * share one fiducial point, so the windows line up the same way */
        st = prep_lead(rec, chan[0], opt, fs, n_work, sig, tmp, rname, err);
        if (st)
            goto done;
        prepped = 1;
        long w = lround(opt->align_s * fs);
        size_t q = 0;
        for (size_t i = 0; i < m; i++) {
            long lo = pos[i] - w, hi = pos[i] + w, best = pos[i];
            if (lo < 0)
                lo = 0;
            if (hi > n_work - 1)
                hi = n_work - 1;
            for (long t = lo; t <= hi; t++)
                if (best < 0 || best >= n_work || fabs(sig[t]) > fabs(sig[best]))
                    best = t;
            if (q > 0 && best <= pos[q - 1])
                continue; /* two beats snapped onto one peak: keep the first */
            long o = orig[i];
            if (best != pos[i]) {
                o = best;
                /* a moved beat: its place on the record's own grid */
                if (resampled &&
                    (st = eo_resample_positions(&best, 1, fs, fs_rec, rec->n_samples, &o, err)))
                    goto done;
            }
            pos[q] = best;
            orig[q] = o;
            codes[q++] = codes[i];
        }
        m = q;
        if (m < 2) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %zu beat(s) after alignment", rname, m);
            goto done;
        }
    }
    st = eo_rr_features(pos, m, fs, opt->local_beats, rr, err);
    if (st) {
        eo_error_prefix(err, "%s", rname);
        goto done;
    }
    for (size_t i = 0; i < m; i++)
        lab[i] = codes[i] ? eo_label_of_code(opt->labels, codes[i]) : -1;

    /* count beats kept so the output grows once */
    size_t keep = 0;
    for (size_t i = 0; i < m; i++)
        if ((lab[i] >= 0 || opt->keep_unlabelled) && pos[i] - before >= 0 &&
            pos[i] - before + len <= n_work)
            keep++;
    if (keep == 0) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                          "%s: none of the %zu beats is in label set %s with a full window", rname,
                          m, eo_label_set_name(opt->labels));
        goto done;
    }
    st = beats_reserve(out, out->n + keep, err);
    if (st)
        goto done;
    st = beats_add_name(out, rname, err);
    if (st)
        goto done;
    int rec_idx = out->n_records - 1;
    size_t n0 = out->n;
    for (int l = 0; l < n_leads; l++) {
        if (!(l == 0 && prepped)) {
            st = prep_lead(rec, chan[l], opt, fs, n_work, sig, tmp, rname, err);
            if (st)
                goto done;
        }
        double rscale = 1.0;
        if (opt->norm == EO_NORM_RECORD) {
            /* median |R| over the beats: robust to the few ectopic beats */
            size_t k = 0;
            for (size_t i = 0; i < m; i++)
                tmp[k++] = fabs(sig[pos[i] < n_work ? pos[i] : n_work - 1]);
            qsort(tmp, k, sizeof *tmp, cmp_double);
            double med = tmp[k / 2];
            rscale = med > 1e-6 ? 1.0 / med : 1.0;
        }
        size_t o = n0;
        for (size_t i = 0; i < m; i++) {
            if (!((lab[i] >= 0 || opt->keep_unlabelled) && pos[i] - before >= 0 &&
                  pos[i] - before + len <= n_work))
                continue;
            float *dst = out->x + (o * (size_t)n_leads + (size_t)l) * (size_t)len;
            const double *src = sig + pos[i] - before;
            if (opt->norm == EO_NORM_BEAT) {
                double mu = 0, sd = 0;
                for (int k = 0; k < len; k++)
                    mu += src[k];
                mu /= len;
                for (int k = 0; k < len; k++)
                    sd += (src[k] - mu) * (src[k] - mu);
                sd = sqrt(sd / len) + 1e-8;
                for (int k = 0; k < len; k++)
                    dst[k] = (float)((src[k] - mu) / sd);
            } else {
                for (int k = 0; k < len; k++)
                    dst[k] = (float)(src[k] * rscale);
            }
            if (l == 0) {
                out->y[o] = lab[i];
                out->record[o] = rec_idx;
                out->sample[o] = orig[i];
                out->code[o] = codes[i];
                memcpy(out->rr + o * EO_RR_N_FEATURES, rr + i * EO_RR_N_FEATURES,
                       EO_RR_N_FEATURES * sizeof(float));
            }
            o++;
        }
    }
    out->n = n0 + keep;
done:
    free(pos);
    free(orig);
    free(codes);
    free(lab);
    free(rr);
    free(sig);
    free(tmp);
    eo_annot_set_destroy(atr);
    eo_wfdb_record_destroy(rec);
    return st;
}

eo_status eo_beats_load(const char *data_dir, const char *const *records, int n_records,
                        const eo_beats_options *opt, eo_progress_fn progress, void *user,
                        eo_beats **out, eo_error *err)
{
    if (!records || !opt || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "beats: NULL argument");
    *out = NULL;
    if (n_records <= 0)
        return eo_error_set(err, EO_STATUS_USAGE, "beats: empty record list");
    eo_beats *b = eo_beats_new();
    if (!b)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "beats: dataset");
    for (int r = 0; r < n_records; r++) {
        char base[4096];
        eo_status st = eo_data_find_record(data_dir, records[r], "hea", base, sizeof base, err);
        if (!st)
            st = eo_beats_add_record(b, base, NULL, opt, err);
        if (st) {
            eo_beats_destroy(b);
            return st;
        }
        if (progress && progress(user, r + 1, n_records, "reading beats")) {
            eo_beats_destroy(b);
            return eo_error_set(err, EO_STATUS_USAGE, "beats: cancelled");
        }
    }
    *out = b;
    return EO_STATUS_OK;
}

eo_status eo_beats_subset(const eo_beats *b, const size_t *idx, size_t n, eo_beats **out,
                          eo_error *err)
{
    if (!b || (!idx && n) || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "beats subset: NULL argument");
    *out = NULL;
    eo_beats *s = eo_beats_new();
    if (!s)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "beats subset");
    s->n_leads = b->n_leads;
    s->len = b->len;
    s->before = b->before;
    s->fs_hz = b->fs_hz;
    s->labels = b->labels;
    eo_status st = beats_reserve(s, n ? n : 1, err);
    if (!st && b->n_records > 0) {
        s->record_names = malloc((size_t)b->n_records * sizeof *s->record_names);
        if (!s->record_names)
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "beats subset: record list");
        else {
            memcpy(s->record_names, b->record_names, (size_t)b->n_records * sizeof *s->record_names);
            s->n_records = b->n_records;
        }
    }
    if (st) {
        eo_beats_destroy(s);
        return st;
    }
    size_t row = (size_t)b->n_leads * (size_t)b->len;
    for (size_t i = 0; i < n; i++) {
        size_t j = idx[i];
        if (j >= b->n) {
            eo_beats_destroy(s);
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "beats subset: index %zu of %zu", j,
                                b->n);
        }
        memcpy(s->x + i * row, b->x + j * row, row * sizeof *s->x);
        s->y[i] = b->y[j];
        s->record[i] = b->record[j];
        s->sample[i] = b->sample[j];
        s->code[i] = b->code[j];
        memcpy(s->rr + i * EO_RR_N_FEATURES, b->rr + j * EO_RR_N_FEATURES,
               EO_RR_N_FEATURES * sizeof(float));
    }
    s->n = n;
    *out = s;
    return EO_STATUS_OK;
}
