/* The learned denoiser: a dilated fully convolutional network (the idea of
 * Romero et al. 2021, DeepFilter: dilated convolutions for a receptive field
 * of a beat and more) run by ecgopt's own nn engine.
 *
 * Pipeline for a signal x at fs (docs/denoise.md, "Learned denoiser"):
 *   1. resample to the model's rate when fs differs (windowed-sinc);
 *   2. p = the pre-step named in the model (denoise_pre): the zero-phase
 *      order-2 0.5 Hz high-pass, or x - median baseline (200 + 600 ms, de
 *      Chazal et al. 2004): the slow wander the network's 1.4-s receptive
 *      field cannot see whole;
 *   2b. for a template model (metadata denoise_template), t = the beat
 *      template of p (beat_template.c), the network's second input;
 *   3. the network estimates the noise left in p, y = p - net(p) (residual
 *      learning, Zhang et al. 2017 DnCNN: the ECG's detail never has to pass
 *      through the network);
 *   4. resample back.
 * Step 3 streams windows of `window` samples overlapping by twice the
 * receptive-field margin and keeps each window's centre: every output sample
 * sees exactly the inputs a single pass over the whole record would give it
 * (zero padding only at the record's ends), so there are no seams. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/denoise.h"
#include "ecgopt/resample.h"
#include "ecgopt/nn.h"
#include "ecgopt/util.h"

struct eo_denoise_model {
    eo_nn *nn;     /* built for `window` samples */
    double fs_hz;  /* the rate the network was trained at */
    int margin;    /* receptive-field half width, samples */
    int window;    /* streaming window length */
    int batch;     /* windows per inference call */
    int pre;       /* EO_DENOISE_PRE_MEDIAN or EO_DENOISE_PRE_HIGHPASS (metadata denoise_pre) */
    int tside;     /* > 0: second input = beat template, tside beats each side (denoise_template) */
    int tselect;   /* its beats (denoise_template_select; absent: all, the models before) */
    int tspread;   /* third input = the template's spread (denoise_template_spread = 1) */
    int channels;  /* network inputs: 1, 2 (+ template) or 3 (+ spread) */
    /* an ensemble (docs/model-file.md, "Denoising ensemble"): the next
     * member; the output is the mean of the members' noise estimates */
    struct eo_denoise_model *next;
};

#define STREAM_WINDOW 4096
#define STREAM_BATCH 8

static eo_status meta_double(const eo_nn *nn, const char *key, const char *name, double *v,
                             eo_error *err)
{
    char buf[64];
    if (eo_nn_meta(nn, key, buf, sizeof buf) != 0)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: not a denoising model (no '%s' in its metadata)", name, key);
    char *end = NULL;
    *v = strtod(buf, &end);
    if (end == buf || !isfinite(*v) || *v <= 0)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: metadata %s = '%s' is not a positive number",
                            name, key, buf);
    return EO_STATUS_OK;
}

eo_status eo_denoise_model_from_nn(const eo_nn *trained, const char *name, eo_denoise_model **out,
                                   eo_error *err)
{
    if (!trained || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise model: NULL argument");
    *out = NULL;
    if (!name)
        name = "denoise model";
    double fs = 0, margin = 0;
    eo_status st = meta_double(trained, "denoise_fs", name, &fs, err);
    if (!st)
        st = meta_double(trained, "denoise_margin", name, &margin, err);
    if (st)
        return st;
    char tbuf[32] = "0";
    int tside = 0;
    if (eo_nn_meta(trained, "denoise_template", tbuf, sizeof tbuf) == 0) {
        char *end = NULL;
        long v = strtol(tbuf, &end, 10);
        if (end == tbuf || *end || v < 0 || v > 16)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: metadata denoise_template = '%s' is not 0..16", name, tbuf);
        tside = (int)v;
    }
    int tselect = EO_TEMPLATE_ALL;
    if (eo_nn_meta(trained, "denoise_template_select", tbuf, sizeof tbuf) == 0 &&
        (tselect = eo_template_select_parse(tbuf)) < 0)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: metadata denoise_template_select = '%s' is not all or similar", name, tbuf);
    int tspread = 0;
    if (eo_nn_meta(trained, "denoise_template_spread", tbuf, sizeof tbuf) == 0) {
        if (strcmp(tbuf, "0") && strcmp(tbuf, "1"))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: metadata denoise_template_spread = '%s' is not 0 or 1", name, tbuf);
        tspread = tside > 0 && tbuf[0] == '1';
    }
    const int cin = tside ? (tspread ? 3 : 2) : 1;
    int c = 0, l = 0, oc = 0, ol = 0;
    eo_nn_input_shape(trained, &c, &l);
    eo_nn_output_shape(trained, &oc, &ol);
    if (c != cin || oc != 1 || ol != l)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: a denoising model maps %d x L to 1 x L (this one %d x %d -> %d x %d)",
                            name, cin, c, l, oc, ol);
    if (margin > STREAM_WINDOW / 4)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: receptive-field margin %g samples is above %d", name, margin,
                            STREAM_WINDOW / 4);
    eo_denoise_model *m = calloc(1, sizeof *m);
    if (!m)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    m->fs_hz = fs;
    m->margin = (int)margin;
    char pre[32] = "median";
    eo_nn_meta(trained, "denoise_pre", pre, sizeof pre);
    if (!strcmp(pre, "median"))
        m->pre = EO_DENOISE_PRE_MEDIAN;
    else if (!strcmp(pre, "highpass"))
        m->pre = EO_DENOISE_PRE_HIGHPASS;
    else {
        free(m);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: metadata denoise_pre = '%s' (median or highpass)", name, pre);
    }
    m->tside = tside;
    m->tselect = tselect;
    m->tspread = tspread;
    m->channels = cin;
    m->window = STREAM_WINDOW;
    m->batch = STREAM_BATCH;
    /* the same layers at the streaming window length, weights copied (the
     * network is fully convolutional, so only the arena sizes change) */
    st = eo_nn_from_spec(eo_nn_spec(trained), c, m->window, &m->nn, err);
    if (st) {
        eo_error_prefix(err, "%s", name);
        free(m);
        return st;
    }
    size_t na = 0, nb = 0;
    const float *src = eo_nn_params((eo_nn *)trained, &na);
    float *dst = eo_nn_params(m->nn, &nb);
    if (na != nb) {
        eo_nn_destroy(m->nn);
        free(m);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %zu parameters, the rebuilt network %zu",
                            name, na, nb);
    }
    memcpy(dst, src, na * sizeof *dst);
    *out = m;
    return EO_STATUS_OK;
}

eo_status eo_denoise_model_load(const char *path, eo_denoise_model **out, eo_error *err)
{
    if (!path || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise model: NULL argument");
    *out = NULL;
    unsigned char *data = NULL;
    size_t n = 0;
    eo_status st = eo_read_file(path, &data, &n, err);
    if (st)
        return st;
    st = eo_denoise_model_load_mem(data, n, path, out, err);
    free(data);
    return st;
}

static uint32_t get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An ensemble file: magic, version, member count, then each member as a
 * length and a whole .eom file, then the CRC-32 of everything before it */
eo_status eo_denoise_ensemble_members(const unsigned char *data, size_t n, const char *name,
                                      const unsigned char **member, size_t *len, int *count,
                                      eo_error *err)
{
    if (!data || !member || !len || !count)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise ensemble: NULL argument");
    if (!name)
        name = "denoise model";
    *count = 0;
    if (n < 8 || memcmp(data, "ECGOPTDE", 8)) {
        member[0] = data; /* a single model file is its own one member */
        len[0] = n;
        *count = 1;
        return EO_STATUS_OK;
    }
    if (n < 20)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: truncated denoising ensemble (%zu bytes)",
                            name, n);
    uint32_t version = get_u32(data + 8), k_all = get_u32(data + 12);
    if (version != EO_DENOISE_ENSEMBLE_VERSION)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "%s: denoising ensemble version %u; this ecgopt reads version %d", name,
                            version, EO_DENOISE_ENSEMBLE_VERSION);
    uint32_t crc = get_u32(data + n - 4), want = eo_crc32(0, data, n - 4);
    if (crc != want)
        return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                            "%s: denoising ensemble checksum %08x, the bytes give %08x (truncated or "
                            "corrupted)", name, crc, want);
    if (k_all < 1 || k_all > EO_DENOISE_ENSEMBLE_MAX)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %u ensemble members (1..%d)", name,
                            k_all, EO_DENOISE_ENSEMBLE_MAX);
    size_t at = 16;
    for (uint32_t k = 0; k < k_all; k++) {
        if (n - 4 - at < 8)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: member %u: truncated length", name,
                                k + 1);
        uint64_t l = (uint64_t)get_u32(data + at) | (uint64_t)get_u32(data + at + 4) << 32;
        at += 8;
        if (l > n - 4 - at)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: member %u: %llu bytes, only %zu left",
                                name, k + 1, (unsigned long long)l, n - 4 - at);
        if (l >= 8 && !memcmp(data + at, "ECGOPTDE", 8))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s (member %u): an ensemble inside an ensemble", name, k + 1);
        member[k] = data + at;
        len[k] = (size_t)l;
        at += (size_t)l;
    }
    if (at != n - 4)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %zu bytes after the last member", name,
                            n - 4 - at);
    *count = (int)k_all;
    return EO_STATUS_OK;
}

static const char *pre_name(int pre) { return pre == EO_DENOISE_PRE_HIGHPASS ? "highpass" : "median"; }

static eo_status load_ensemble(const unsigned char *data, size_t n, const char *name,
                               eo_denoise_model **out, eo_error *err)
{
    const unsigned char *member[EO_DENOISE_ENSEMBLE_MAX];
    size_t len[EO_DENOISE_ENSEMBLE_MAX];
    int count = 0;
    eo_status st = eo_denoise_ensemble_members(data, n, name, member, len, &count, err);
    if (st)
        return st;
    eo_denoise_model *head = NULL, **tail = &head;
    for (int k = 0; k < count && !st; k++) {
        char mname[512];
        snprintf(mname, sizeof mname, "%s (member %d)", name, k + 1);
        eo_nn *nn = NULL;
        st = eo_nn_load_mem(member[k], len[k], mname, &nn, err);
        if (!st)
            st = eo_denoise_model_from_nn(nn, mname, tail, err);
        eo_nn_destroy(nn);
        if (!st && head != *tail && ((*tail)->fs_hz != head->fs_hz || (*tail)->pre != head->pre))
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                              "%s: trained at %g Hz with the %s pre-step, member 1 at %g Hz with %s: "
                              "the members must share the rate and the pre-step",
                              mname, (*tail)->fs_hz, pre_name((*tail)->pre), head->fs_hz,
                              pre_name(head->pre));
        if (!st)
            tail = &(*tail)->next;
    }
    if (st) {
        eo_denoise_model_destroy(head);
        return st;
    }
    *out = head;
    return EO_STATUS_OK;
}

eo_status eo_denoise_model_load_mem(const unsigned char *data, size_t n, const char *name,
                                    eo_denoise_model **out, eo_error *err)
{
    if (!data || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise model: NULL argument");
    *out = NULL;
    if (!name)
        name = "denoise model";
    if (n >= 8 && !memcmp(data, "ECGOPTDE", 8))
        return load_ensemble(data, n, name, out, err);
    eo_nn *nn = NULL;
    eo_status st = eo_nn_load_mem(data, n, name, &nn, err);
    if (st)
        return st;
    st = eo_denoise_model_from_nn(nn, name, out, err);
    eo_nn_destroy(nn);
    return st;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

eo_status eo_denoise_ensemble_write(const char *const *members, int count, const char *path,
                                    eo_error *err)
{
    if (!members || !path)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise ensemble: NULL argument");
    if (count < 1 || count > EO_DENOISE_ENSEMBLE_MAX)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise ensemble: %d members (1..%d)", count,
                            EO_DENOISE_ENSEMBLE_MAX);
    unsigned char *buf = NULL, *part[EO_DENOISE_ENSEMBLE_MAX] = {0};
    size_t len[EO_DENOISE_ENSEMBLE_MAX] = {0}, total = 20;
    eo_status st = EO_STATUS_OK;
    for (int k = 0; k < count && !st; k++) {
        st = eo_read_file(members[k], &part[k], &len[k], err);
        eo_denoise_model *m = NULL;
        /* each member must load alone (a denoising model, not an ensemble) */
        if (!st && len[k] >= 8 && !memcmp(part[k], "ECGOPTDE", 8))
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: an ensemble, not one model", members[k]);
        if (!st)
            st = eo_denoise_model_load_mem(part[k], len[k], members[k], &m, err);
        eo_denoise_model_destroy(m);
        total += 8 + len[k];
    }
    if (!st && !(buf = malloc(total)))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    if (!st) {
        memcpy(buf, "ECGOPTDE", 8);
        put_u32(buf + 8, EO_DENOISE_ENSEMBLE_VERSION);
        put_u32(buf + 12, (uint32_t)count);
        size_t at = 16;
        for (int k = 0; k < count; k++) {
            put_u32(buf + at, (uint32_t)(len[k] & 0xffffffffu));
            put_u32(buf + at + 4, (uint32_t)((uint64_t)len[k] >> 32));
            memcpy(buf + at + 8, part[k], len[k]);
            at += 8 + len[k];
        }
        put_u32(buf + at, eo_crc32(0, buf, at));
        /* the whole file must load as an ensemble before it is written */
        eo_denoise_model *check = NULL;
        st = load_ensemble(buf, total, path, &check, err);
        eo_denoise_model_destroy(check);
    }
    if (!st)
        st = eo_write_file_atomic(path, buf, total, err);
    for (int k = 0; k < count; k++)
        free(part[k]);
    free(buf);
    return st;
}

int eo_denoise_model_members(const eo_denoise_model *m)
{
    int k = 0;
    for (; m; m = m->next)
        k++;
    return k;
}

/* models/denoise-dcnn.eom, built in by CMakeLists.txt */
extern const unsigned char eo_denoise_model_data[];
extern const size_t eo_denoise_model_size;

eo_status eo_denoise_model_default(eo_denoise_model **out, eo_error *err)
{
    if (!out)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise model: NULL argument");
    if (eo_denoise_model_size == 0)
        return eo_error_set(err, EO_STATUS_NOT_FOUND,
                            "denoise: this build has no built-in model (models/denoise-dcnn.eom was "
                            "missing at configure time); pass a model file");
    return eo_denoise_model_load_mem(eo_denoise_model_data, eo_denoise_model_size,
                                     "built-in model denoise-dcnn", out, err);
}

void eo_denoise_model_destroy(eo_denoise_model *m)
{
    while (m) {
        eo_denoise_model *next = m->next;
        eo_nn_destroy(m->nn);
        free(m);
        m = next;
    }
}

double eo_denoise_model_fs(const eo_denoise_model *m) { return m ? m->fs_hz : 0; }

void eo_denoise_model_set_threads(eo_denoise_model *m, int threads)
{
    if (m && m->next)
        eo_denoise_model_set_threads(m->next, threads);
    if (m)
        eo_nn_set_threads(m->nn, threads);
}

int eo_denoise_model_margin(const eo_denoise_model *m)
{
    int mg = 0;
    for (; m; m = m->next)
        mg = m->margin > mg ? m->margin : mg;
    return mg;
}

eo_status eo_denoise_pre(int kind, const double *x, size_t n, double fs_hz,
                         const eo_baseline_options *median, double *y, eo_error *err)
{
    if (kind == EO_DENOISE_PRE_HIGHPASS) {
        if (n <= 12) { /* shorter than the filter's padding: the mean goes */
            double s = 0;
            for (size_t i = 0; i < n; i++)
                s += x[i];
            for (size_t i = 0; i < n; i++)
                y[i] = x[i] - s / (double)n;
            return EO_STATUS_OK;
        }
        return eo_denoise_highpass_ref(x, n, fs_hz, y, err);
    }
    eo_baseline_options bo;
    if (!median) {
        eo_baseline_defaults(&bo);
        median = &bo;
    }
    return eo_baseline_remove(x, n, fs_hz, median, y, NULL, err);
}

/* ---- resampling: the library's polyphase resampler (eo_resample), so a
 * record at another rate goes through exactly what `ecgopt resample` does */

/* ---- application */

/* The network on p[0..n) (already at the model's rate) and, for a template
 * model, the template t, noise estimate into r: windows of `window` samples
 * advancing by window - 2 margin, each keeping its centre. */
static eo_status run_net(eo_denoise_model *m, const double *p, const double *t, const double *sp,
                         size_t n, double *r, eo_error *err)
{
    const int W = m->window, M = m->margin, step = W - 2 * M, C = m->channels;
    size_t nwin = (n + (size_t)step - 1) / (size_t)step;
    float *in = malloc((size_t)m->batch * (size_t)C * (size_t)W * sizeof *in);
    if (!in)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "denoise: out of memory for the network input");
    eo_status st = EO_STATUS_OK;
    for (size_t w0 = 0; w0 < nwin && !st; w0 += (size_t)m->batch) {
        int nb = (int)((nwin - w0) < (size_t)m->batch ? (nwin - w0) : (size_t)m->batch);
        for (int b = 0; b < nb; b++) {
            long start = (long)((w0 + (size_t)b) * (size_t)step) - M;
            for (int ch = 0; ch < C; ch++) {
                const double *src = ch == 0 ? p : ch == 1 ? t : sp;
                float *dst = in + ((size_t)b * (size_t)C + (size_t)ch) * (size_t)W;
                for (int i = 0; i < W; i++) {
                    long k = start + i;
                    dst[i] = (k < 0 || k >= (long)n) ? 0.0f : (float)src[k];
                }
            }
        }
        const float *out = NULL;
        st = eo_nn_infer(m->nn, in, nb, &out, err);
        for (int b = 0; !st && b < nb; b++) {
            size_t o0 = (w0 + (size_t)b) * (size_t)step;
            for (int i = 0; i < step && o0 + (size_t)i < n; i++)
                r[o0 + (size_t)i] = out[(size_t)b * (size_t)W + (size_t)M + (size_t)i];
        }
    }
    free(in);
    return st;
}

eo_status eo_denoise_model_apply(eo_denoise_model *m, const double *x, size_t n, double fs_hz,
                                 const eo_baseline_options *pre, double *y, eo_error *err)
{
    if (!m || !x || !y)
        return eo_error_set(err, EO_STATUS_USAGE, "denoise: learned: NULL argument");
    if (!(fs_hz > 0) || !isfinite(fs_hz))
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "denoise: sampling rate %g Hz must be > 0",
                            fs_hz);
    eo_baseline_options bo;
    if (!pre) {
        eo_baseline_defaults(&bo);
        pre = &bo;
    }
    double *xr = NULL, *p = NULL, *rs = NULL, *t = NULL, *sp = NULL, *acc = NULL;
    size_t nr = n;
    int resample = fabs(fs_hz - m->fs_hz) > 1e-9 * m->fs_hz;
    eo_status st = EO_STATUS_OK;
    if (resample)
        st = eo_resample(x, n, fs_hz, m->fs_hz, &xr, &nr, err);
    if (st)
        return st;
    const double *src = resample ? xr : x;
    p = malloc(nr * sizeof *p);
    double *r = malloc(nr * sizeof *r);
    if (!p || !r) {
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "denoise: out of memory for %zu samples", nr);
        goto done;
    }
    st = eo_denoise_pre(m->pre, src, nr, m->fs_hz, pre, p, err);
    /* each member: its own template, its noise estimate; an ensemble's
     * estimate is the members' mean */
    const int members = eo_denoise_model_members(m);
    if (!st && members > 1 && !(acc = calloc(nr, sizeof *acc)))
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "denoise: out of memory for %zu samples", nr);
    for (eo_denoise_model *k = m; k && !st; k = k->next) {
        if (k->tside) {
            if (!t)
                t = malloc(nr * sizeof *t);
            if (k->tspread && !sp)
                sp = malloc(nr * sizeof *sp);
            st = t && (sp || !k->tspread)
                     ? eo_denoise_beat_template(p, nr, k->fs_hz, k->tside, k->tselect, t,
                                                k->tspread ? sp : NULL, err)
                     : eo_error_set(err, EO_STATUS_NO_MEMORY, "denoise: out of memory for %zu samples", nr);
        }
        if (!st)
            st = run_net(k, p, t, sp, nr, r, err);
        for (size_t i = 0; !st && acc && i < nr; i++)
            acc[i] += r[i] / members;
    }
    if (st)
        goto done;
    if (acc)
        memcpy(r, acc, nr * sizeof *r);
    for (size_t i = 0; i < nr; i++)
        p[i] -= r[i];
    if (resample) {
        size_t nb = 0;
        st = eo_resample(p, nr, m->fs_hz, fs_hz, &rs, &nb, err);
        if (st)
            goto done;
        for (size_t i = 0; i < n; i++)
            y[i] = rs[i < nb ? i : nb - 1];
    } else {
        memcpy(y, p, n * sizeof *y);
    }
done:
    free(xr);
    free(p);
    free(r);
    free(rs);
    free(t);
    free(sp);
    free(acc);
    return st;
}
