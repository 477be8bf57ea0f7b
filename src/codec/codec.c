/* Codec front end: options, mode dispatch over blocks, the reader. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "container.h"

const char *eo_codec_mode_name(eo_codec_mode m)
{
    switch (m) {
    case EO_CODEC_LOSSLESS: return "lossless";
    case EO_CODEC_BOUNDED: return "bounded";
    case EO_CODEC_WAVELET: return "wavelet";
    case EO_CODEC_AE: return "ae";
    }
    return "?";
}

eo_status eo_codec_mode_parse(const char *s, eo_codec_mode *m, eo_error *err)
{
    for (int i = 0; i <= EO_CODEC_AE; i++)
        if (s && strcmp(s, eo_codec_mode_name((eo_codec_mode)i)) == 0) {
            *m = (eo_codec_mode)i;
            return EO_STATUS_OK;
        }
    return eo_error_set(err, EO_STATUS_USAGE,
                        "codec: unknown mode '%s' (lossless, bounded, wavelet, ae)",
                        s ? s : "(null)");
}

void eo_codec_defaults(eo_codec_options *o)
{
    memset(o, 0, sizeof *o);
    o->mode = EO_CODEC_LOSSLESS;
    o->max_error_adu = 1;
    o->target_prdn = 5.0;
    o->wavelet_step = 0;
    o->wavelet_level = 5;
    o->block_seconds = 60.0;
    o->threads = 1;
    o->ae_step = 0; /* ae: choose the step for target_prdn */
}

static const char *rec_name(const eo_wfdb_record *rec)
{
    return rec->header && rec->header->record_name[0] ? rec->header->record_name : "record";
}

/* ---- block-parallel work: blocks are independent, so threads take
 * blocks b = t, t + T, ... (results do not depend on T). */
typedef struct enc_job {
    const eo_wfdb_record *rec;
    const eo_codec_options *o;
    const eo_ecgz_info *info;
    int e;
    eo_bytes *pays;
    int failed;     /* set (atomically) by the first failing worker */
    eo_error err;   /* that worker's message */
    eo_status st;
} enc_job;

typedef struct worker_arg {
    void *job;
    int t, nt;
    void (*fn)(void *job, int t, int nt);
} worker_arg;

static void *worker_main(void *p)
{
    worker_arg *a = p;
    a->fn(a->job, a->t, a->nt);
    return NULL;
}

/* Run fn(job, t, nt) on nt threads (the caller's thread is worker 0). */
static eo_status run_workers(int nt, void (*fn)(void *, int, int), void *job)
{
    pthread_t th[64];
    worker_arg arg[64];
    int started = 0;
    for (int t = 1; t < nt; t++) {
        arg[t] = (worker_arg){job, t, nt, fn};
        if (pthread_create(&th[t], NULL, worker_main, &arg[t]) != 0)
            break;
        started = t;
    }
    /* threads that could not start: worker 0 does their share */
    if (started < nt - 1) {
        for (int t = started + 1; t < nt; t++)
            fn(job, t, nt);
    }
    fn(job, 0, nt);
    for (int t = 1; t <= started; t++)
        pthread_join(th[t], NULL);
    return EO_STATUS_OK;
}

static void enc_worker(void *p, int t, int nt)
{
    enc_job *j = p;
    const eo_ecgz_info *info = j->info;
    int ns = j->rec->n_signals;
    int32_t *ptr[EO_ECGZ_MAX_SIGNALS];
    long bf = info->block_frames;
    for (long b = t; b < info->n_blocks; b += nt) {
        if (__atomic_load_n(&j->failed, __ATOMIC_RELAXED))
            return;
        long i0 = b * bf, nf = j->rec->n_samples - i0 < bf ? j->rec->n_samples - i0 : bf;
        for (int s = 0; s < ns; s++)
            ptr[s] = j->rec->adu[s] + i0;
        eo_error e2;
        eo_error_clear(&e2);
        int rc;
        if (info->mode == EO_CODEC_WAVELET)
            rc = eo_wc_encode_block(ptr, ns, nf, info->wavelet_step, info->wavelet_level,
                                    &j->pays[b], &e2);
        else if (info->mode == EO_CODEC_AE)
            rc = eo_ae_encode_block(j->o->ae_model, ptr, ns, nf, j->rec->header->signals,
                                    info->wavelet_step, &j->pays[b], &e2);
        else
            rc = eo_pc_encode_block(ptr, ns, nf, j->e, info->coder == EO_CODEC_CODER_MIX,
                                    &j->pays[b]);
        int cancel = 0;
        if (!rc && t == 0 && j->o->progress &&
            j->o->progress(j->o->progress_user, (double)(b + 1), (double)info->n_blocks,
                           "compress"))
            cancel = 1;
        if (rc || cancel) {
            if (!__atomic_exchange_n(&j->failed, 1, __ATOMIC_ACQ_REL)) {
                if (cancel)
                    j->st = eo_error_set(&j->err, EO_STATUS_USAGE, "%s: cancelled",
                                         info->record_name);
                else if (j->pays[b].oom || e2.status == EO_STATUS_OK)
                    j->st = eo_error_set(&j->err, EO_STATUS_NO_MEMORY,
                                         "%s: block %ld: out of memory", info->record_name, b);
                else {
                    j->err = e2;
                    j->st = e2.status;
                }
            }
            return;
        }
    }
}

eo_status eo_codec_encode(const eo_wfdb_record *rec, const eo_codec_options *o,
                          unsigned char **buf, size_t *len, eo_codec_stats *stats,
                          eo_error *err)
{
    *buf = NULL;
    *len = 0;
    if (!rec || !o || !rec->header || !rec->adu || rec->n_signals < 1)
        return eo_error_set(err, EO_STATUS_USAGE, "codec: no record");
    const char *name = rec_name(rec);
    if (rec->n_signals > EO_ECGZ_MAX_SIGNALS || rec->header->n_signals != rec->n_signals)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: %d signals (codec takes 1..%d)",
                            name, rec->n_signals, EO_ECGZ_MAX_SIGNALS);
    if (!(rec->fs_hz > 0 && rec->fs_hz <= 1e6) || rec->n_samples < 0 ||
        (uint64_t)rec->n_samples > EO_ECGZ_MAX_SAMPLES)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: sampling rate %g Hz, %ld samples",
                            name, rec->fs_hz, rec->n_samples);
    if (o->mode == EO_CODEC_AE) {
        if (!o->ae_model)
            return eo_error_set(err, EO_STATUS_USAGE,
                                "%s: autoencoder mode needs a model (--model FILE.eom)", name);
        double smin, smax, mfs = eo_codec_ae_fs(o->ae_model);
        int rd = eo_codec_ae_is_rd(o->ae_model, &smin, &smax);
        if (fabs(rec->fs_hz - mfs) > 1e-6 * mfs)
            return eo_error_set(err, EO_STATUS_USAGE,
                                "%s: sampled at %g Hz, the autoencoder model was trained at %g "
                                "Hz (resample the record first)", name, rec->fs_hz, mfs);
        if (o->ae_step > 0 && rd && (o->ae_step < smin * (1 - 1e-9) || o->ae_step > smax * (1 + 1e-9)))
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "%s: ae step %g is outside the model's trained range %g..%g", name,
                                o->ae_step, smin, smax);
        if (!(o->ae_step >= 0 && o->ae_step < 1e6))
            return eo_error_set(err, EO_STATUS_USAGE, "%s: ae step %g (> 0; 0: target PRDN)",
                                name, o->ae_step);
        if (!(o->ae_step > 0) && !(o->target_prdn > 0 && o->target_prdn < 100))
            return eo_error_set(err, EO_STATUS_USAGE, "%s: target PRDN %g%% (0 < t < 100)",
                                name, o->target_prdn);
    }
    if (o->mode > EO_CODEC_AE)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: unknown codec mode", name);
    if (o->coder != EO_CODEC_CODER_PLAIN && o->coder != EO_CODEC_CODER_MIX)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: unknown residual coder %d", name,
                            (int)o->coder);
    if (o->embed_model && o->mode != EO_CODEC_AE)
        return eo_error_set(err, EO_STATUS_USAGE,
                            "%s: embedding a model is for autoencoder mode (mode %s has none)",
                            name, eo_codec_mode_name(o->mode));
    if (!(o->block_seconds >= 0.1 && o->block_seconds <= 1e6))
        return eo_error_set(err, EO_STATUS_USAGE, "%s: block length %g s (>= 0.1)", name,
                            o->block_seconds);
    int e = o->mode == EO_CODEC_BOUNDED ? o->max_error_adu : 0;
    if (o->mode == EO_CODEC_BOUNDED && (e < 0 || e > EO_CODEC_MAX_ERROR))
        return eo_error_set(err, EO_STATUS_USAGE, "%s: max error %d adu (0..%d)", name, e,
                            EO_CODEC_MAX_ERROR);
    if (o->mode == EO_CODEC_WAVELET) {
        if (o->wavelet_level < 1 || o->wavelet_level > 8)
            return eo_error_set(err, EO_STATUS_USAGE, "%s: wavelet level %d (1..8)", name,
                                o->wavelet_level);
        if (!(o->wavelet_step > 0) && !(o->target_prdn > 0 && o->target_prdn < 100))
            return eo_error_set(err, EO_STATUS_USAGE, "%s: target PRDN %g%% (0 < t < 100)",
                                name, o->target_prdn);
    }
    long bf = (long)llround(o->block_seconds * rec->fs_hz);
    if (bf < 1)
        bf = 1;
    if ((long long)bf * rec->n_signals > EO_ECGZ_MAX_BLOCK_VALUES)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: blocks of %g s are too long", name,
                            o->block_seconds);
    for (int s = 0; s < rec->n_signals; s++)
        for (long i = 0; i < rec->n_samples; i++)
            if (rec->adu[s][i] > EO_CODEC_MAX_ABS_ADU || rec->adu[s][i] < -EO_CODEC_MAX_ABS_ADU)
                return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                    "%s: signal %d sample %ld = %d adu is beyond +-%d", name, s,
                                    i, rec->adu[s][i], EO_CODEC_MAX_ABS_ADU);

    eo_ecgz_info info;
    memset(&info, 0, sizeof info);
    info.mode = o->mode == EO_CODEC_BOUNDED && e == 0 ? EO_CODEC_LOSSLESS : o->mode;
    info.n_signals = rec->n_signals;
    info.fs_hz = rec->fs_hz;
    info.n_samples = rec->n_samples;
    info.block_frames = bf;
    info.n_blocks = (rec->n_samples + bf - 1) / bf;
    info.max_error_adu = o->mode == EO_CODEC_WAVELET || o->mode == EO_CODEC_AE ? -1 : e;
    if (o->mode == EO_CODEC_LOSSLESS || o->mode == EO_CODEC_BOUNDED)
        info.coder = o->coder == EO_CODEC_CODER_MIX ? EO_CODEC_CODER_MIX : EO_CODEC_CODER_PLAIN;
    if (o->mode == EO_CODEC_AE) {
        info.wavelet_step = o->ae_step;
        if (!(info.wavelet_step > 0)) {
            eo_status st = eo_ae_find_step(o->ae_model, rec, bf, o->target_prdn,
                                           &info.wavelet_step, err);
            if (st)
                return st;
        }
        eo_codec_ae_hash(o->ae_model, info.model_hash);
        info.model_embedded = o->embed_model != 0;
    }
    if (o->mode == EO_CODEC_WAVELET) {
        info.wavelet_level = o->wavelet_level;
        info.wavelet_step = o->wavelet_step;
        if (!(info.wavelet_step > 0)) {
            eo_status st = eo_wc_find_step(rec, bf, o->wavelet_level, o->target_prdn,
                                           &info.wavelet_step, err);
            if (st)
                return st;
        }
    }
    snprintf(info.record_name, sizeof info.record_name, "%s", name);
    snprintf(info.base_time, sizeof info.base_time, "%s", rec->header->base_time);
    snprintf(info.base_date, sizeof info.base_date, "%s", rec->header->base_date);

    eo_bytes out = {0};
    uint64_t *off = eo_malloc(sizeof(uint64_t) * (size_t)(info.n_blocks + 1));
    uint32_t *bl = eo_malloc(sizeof(uint32_t) * (size_t)(info.n_blocks + 1));
    eo_bytes *pays = eo_calloc((size_t)(info.n_blocks + 1), sizeof *pays);
    if (!off || !bl || !pays) {
        free(off);
        free(bl);
        free(pays);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    }
    /* the rest of the source header travels too (flag 4): comment lines
     * joined by '\n', counter frequency */
    info.counter_freq = rec->header->counter_freq;
    info.base_counter = rec->header->base_counter;
    eo_bytes cm = {0};
    for (int i = 0; i < rec->header->n_comments; i++) {
        if (i)
            eo_bytes_put(&cm, "\n", 1);
        const char *line = rec->header->comments[i] ? rec->header->comments[i] : "";
        eo_bytes_put(&cm, line, strlen(line));
    }
    eo_bytes_put(&cm, "", 1); /* NUL */
    if (cm.oom) { /* never drop the comments silently */
        free(cm.p);
        free(off);
        free(bl);
        free(pays);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    }
    info.comments = (const char *)cm.p;
    eo_ecgz_write_header(&out, &info, rec->header->signals);
    info.comments = NULL;
    free(cm.p);
    size_t model_section = 0;
    if (info.model_embedded) {
        size_t mn;
        const unsigned char *mb = eo_ae_model_blob(o->ae_model, &mn);
        if (mn > EO_ECGZ_MAX_MODEL) {
            free(off);
            free(bl);
            free(pays);
            free(out.p);
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: model of %zu bytes too large to embed",
                                name, mn);
        }
        size_t before = out.n;
        eo_ecgz_write_model(&out, mb, mn);
        model_section = out.n - before;
    }
    enc_job job = {rec, o, &info, e, pays, 0, {0}, 0};
    int nt = o->threads < 1 ? 1 : o->threads > 64 ? 64 : o->threads;
    if (nt > info.n_blocks)
        nt = info.n_blocks > 0 ? (int)info.n_blocks : 1;
    if (info.mode == EO_CODEC_AE)
        nt = 1; /* one eo_nn may not run on two threads */
    (void)run_workers(nt, enc_worker, &job);
    eo_status st = EO_STATUS_OK;
    if (job.failed) {
        st = job.st ? job.st : EO_STATUS_INTERNAL;
        if (err)
            *err = job.err;
    }
    for (long b = 0; b < info.n_blocks && !st; b++) {
        long i0 = b * bf, nf = rec->n_samples - i0 < bf ? rec->n_samples - i0 : bf;
        if (pays[b].n > 0xFFFFFF00u) {
            st = eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: block %ld over 4 GiB", name, b);
            break;
        }
        eo_ecgz_write_block(&out, (uint32_t)b, (uint32_t)nf, &pays[b], &off[b], &bl[b]);
    }
    for (long b = 0; b < info.n_blocks; b++)
        free(pays[b].p);
    free(pays);
    if (!st)
        eo_ecgz_write_index(&out, info.n_blocks, off, bl);
    free(off);
    free(bl);
    if (!st && out.oom)
        st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    if (st) {
        free(out.p);
        return st;
    }
    if (stats) {
        memset(stats, 0, sizeof *stats);
        stats->file_bytes = out.n;
        stats->n_samples = rec->n_samples;
        stats->n_signals = rec->n_signals;
        int bits = 0;
        for (int s = 0; s < rec->n_signals; s++)
            if (rec->header->signals[s].adc_resolution > bits)
                bits = rec->header->signals[s].adc_resolution;
        stats->bits_per_sample = bits > 0 ? bits : 12;
        stats->cr = eo_compression_ratio(stats->bits_per_sample,
                                         (size_t)rec->n_samples * (size_t)rec->n_signals, out.n);
        stats->wavelet_step = info.wavelet_step;
        stats->model_bytes = o->mode == EO_CODEC_AE ? eo_codec_ae_model_bytes(o->ae_model) : 0;
        stats->model_section_bytes = model_section;
        stats->cr_without_model =
            eo_compression_ratio(stats->bits_per_sample,
                                 (size_t)rec->n_samples * (size_t)rec->n_signals,
                                 out.n - model_section);
    }
    *buf = out.p;
    *len = out.n;
    return EO_STATUS_OK;
}

eo_status eo_codec_compress_file(const eo_wfdb_record *rec, const eo_codec_options *o,
                                 const char *path, eo_codec_stats *stats, eo_error *err)
{
    unsigned char *buf;
    size_t len;
    eo_status st = eo_codec_encode(rec, o, &buf, &len, stats, err);
    if (st)
        return st;
    st = eo_write_file_atomic(path, buf, len, err);
    free(buf);
    return st;
}

/* ---- reader ---- */

struct eo_ecgz {
    unsigned char *data;
    size_t len;
    char src[256];
    eo_ecgz_parsed parsed;
    int32_t **tmp; /* n_signals x block_frames decode buffers */
    int threads;
    const eo_codec_ae *ae; /* borrowed (or ae_own); ae mode only */
    eo_codec_ae *ae_own;   /* loaded from the file's embedded model */
};

eo_status eo_ecgz_set_ae_model(eo_ecgz *z, const eo_codec_ae *ae, eo_error *err)
{
    uint8_t h[32];
    eo_codec_ae_hash(ae, h);
    if (memcmp(h, z->parsed.info.model_hash, 32) != 0) {
        char a[65], b[65];
        eo_codec_hash_hex(z->parsed.info.model_hash, 32, a);
        eo_codec_hash_hex(h, 32, b);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: made with autoencoder model sha256 %s, the given model is %s",
                            z->src, a, b);
    }
    z->ae = ae;
    return EO_STATUS_OK;
}

static eo_status decode_block(const eo_ecgz *z, long b, int32_t *const *y, long *nf,
                              eo_error *err);

void eo_ecgz_set_threads(eo_ecgz *z, int threads)
{
    z->threads = threads < 1 ? 1 : threads > 64 ? 64 : threads;
}

typedef struct dec_job {
    const eo_ecgz *z;
    int32_t **adu;
    int failed;
    long failed_block;
    eo_error err;
} dec_job;

static void dec_worker(void *p, int t, int nt)
{
    dec_job *j = p;
    const eo_ecgz_info *info = &j->z->parsed.info;
    int32_t *y[EO_ECGZ_MAX_SIGNALS];
    for (long b = t; b < info->n_blocks; b += nt) {
        if (__atomic_load_n(&j->failed, __ATOMIC_RELAXED))
            return;
        for (int s = 0; s < info->n_signals; s++)
            y[s] = j->adu[s] + b * info->block_frames;
        long nf;
        eo_error e2;
        if (decode_block(j->z, b, y, &nf, &e2)) {
            if (!__atomic_exchange_n(&j->failed, 1, __ATOMIC_ACQ_REL))
                j->err = e2;
            return;
        }
    }
}

void eo_ecgz_close(eo_ecgz *z)
{
    if (!z)
        return;
    if (z->tmp)
        for (int s = 0; s < z->parsed.info.n_signals; s++)
            free(z->tmp[s]);
    free(z->tmp);
    eo_codec_ae_destroy(z->ae_own);
    eo_ecgz_free_parsed(&z->parsed);
    free(z->data);
    free(z);
}

eo_status eo_ecgz_open_mem(const unsigned char *data, size_t len, const char *source,
                           eo_ecgz **out, eo_error *err)
{
    *out = NULL;
    const char *src = source ? source : "ecgz";
    eo_ecgz *z = eo_calloc(1, sizeof *z);
    if (!z)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", src);
    snprintf(z->src, sizeof z->src, "%s", src);
    z->data = eo_malloc(len ? len : 1);
    if (!z->data) {
        free(z);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", src);
    }
    if (len)
        memcpy(z->data, data, len);
    z->len = len;
    z->threads = 1;
    eo_status st = eo_ecgz_parse(z->data, len, z->src, &z->parsed, err);
    if (!st && z->parsed.model_len > 0) {
        /* embedded model: already CRC- and SHA-256-checked by the parser */
        char name[300];
        snprintf(name, sizeof name, "%s: embedded model", z->src);
        st = eo_codec_ae_load_mem(z->data + z->parsed.model_off, z->parsed.model_len, name,
                                  &z->ae_own, err);
        z->ae = z->ae_own;
    }
    if (st) {
        eo_ecgz_close(z);
        return st;
    }
    *out = z;
    return EO_STATUS_OK;
}

eo_status eo_ecgz_open(const char *path, eo_ecgz **out, eo_error *err)
{
    unsigned char *d;
    size_t n;
    *out = NULL;
    eo_status st = eo_read_file(path, &d, &n, err);
    if (st)
        return st;
    st = eo_ecgz_open_mem(d, n, path, out, err);
    free(d);
    return st;
}

const eo_ecgz_info *eo_ecgz_get_info(const eo_ecgz *z)
{
    return &z->parsed.info;
}

static eo_status ensure_tmp(eo_ecgz *z, eo_error *err)
{
    const eo_ecgz_info *info = &z->parsed.info;
    int ns = info->n_signals;
    if (!z->tmp) {
        z->tmp = eo_calloc((size_t)ns, sizeof *z->tmp);
        if (!z->tmp)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", z->src);
        for (int s = 0; s < ns; s++) {
            z->tmp[s] = eo_malloc(sizeof(int32_t) * (size_t)info->block_frames);
            if (!z->tmp[s])
                return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", z->src);
        }
    }
    return EO_STATUS_OK;
}

/* Decode block b into y[s][0..frames) (safe to call from several threads
 * for different blocks: the reader is only read). */
static eo_status decode_block(const eo_ecgz *z, long b, int32_t *const *y, long *nf,
                              eo_error *err)
{
    const eo_ecgz_info *info = &z->parsed.info;
    int ns = info->n_signals;
    const unsigned char *p;
    size_t plen;
    eo_status st = eo_ecgz_block_payload(z->data, &z->parsed, b, z->src, &p, &plen, nf, err);
    if (st)
        return st;
    double t0 = (double)b * (double)info->block_frames / info->fs_hz;
    double t1 = t0 + (double)*nf / info->fs_hz;
    int rc;
    if (info->mode == EO_CODEC_AE) {
        if (!z->ae) {
            char a[65];
            eo_codec_hash_hex(info->model_hash, 32, a);
            return eo_error_set(err, EO_STATUS_USAGE,
                                "%s: needs the autoencoder model with sha256 %s (--model)", z->src,
                                a);
        }
        eo_error e2;
        eo_error_clear(&e2);
        rc = eo_ae_decode_block(z->ae, p, plen, ns, *nf, info->signals, info->wavelet_step, y,
                                &e2);
    } else if (info->mode == EO_CODEC_WAVELET) {
        eo_error e2;
        rc = eo_wc_decode_block(p, plen, ns, *nf, info->wavelet_step, info->wavelet_level, y,
                                &e2);
    } else {
        rc = eo_pc_decode_block(p, plen, ns, *nf, info->max_error_adu,
                                info->coder == EO_CODEC_CODER_MIX, y);
    }
    if (rc == -2)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: block %ld: out of memory", z->src, b);
    if (rc)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: block %ld (%.1f-%.1f s): corrupt data (entropy stream ends early)",
                            z->src, b, t0, t1);
    return EO_STATUS_OK;
}

eo_status eo_ecgz_read(eo_ecgz *z, long start, long count, int32_t *const *adu, eo_error *err)
{
    const eo_ecgz_info *info = &z->parsed.info;
    if (start < 0 || count < 0 || start > info->n_samples || count > info->n_samples - start)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "%s: samples %ld+%ld outside the record (%ld samples)", z->src, start,
                            count, info->n_samples);
    long bf = info->block_frames;
    long pos = start, end = start + count;
    if (count > 0) {
        eo_status st = ensure_tmp(z, err);
        if (st)
            return st;
    }
    while (pos < end) {
        long b = pos / bf, nf;
        eo_status st = decode_block(z, b, z->tmp, &nf, err);
        if (st)
            return st;
        long b0 = b * bf, from = pos - b0, to = end - b0 < nf ? end - b0 : nf;
        for (int s = 0; s < info->n_signals; s++)
            memcpy(adu[s] + (pos - start), z->tmp[s] + from, sizeof(int32_t) * (size_t)(to - from));
        pos = b0 + to;
    }
    return EO_STATUS_OK;
}

int eo_ecgz_header_comments(const eo_ecgz_info *info, eo_wfdb_header *h)
{
    for (const char *p = info->comments; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t l = nl ? (size_t)(nl - p) : strlen(p);
        char **c = eo_realloc(h->comments, (size_t)(h->n_comments + 1) * sizeof *c);
        if (!c)
            return -1;
        h->comments = c;
        c[h->n_comments] = eo_malloc(l + 1);
        if (!c[h->n_comments])
            return -1;
        memcpy(c[h->n_comments], p, l);
        c[h->n_comments++][l] = 0;
        p = nl ? nl + 1 : p + l;
    }
    return 0;
}

eo_status eo_ecgz_to_record(eo_ecgz *z, eo_wfdb_record **out, eo_error *err)
{
    *out = NULL;
    const eo_ecgz_info *info = &z->parsed.info;
    int ns = info->n_signals;
    eo_wfdb_record *r = eo_calloc(1, sizeof *r);
    if (!r)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", z->src);
    r->header = eo_calloc(1, sizeof *r->header);
    r->adu = eo_calloc((size_t)ns, sizeof *r->adu);
    if (r->header)
        r->header->signals = eo_calloc((size_t)ns, sizeof *r->header->signals);
    if (!r->header || !r->adu || !r->header->signals) {
        eo_wfdb_record_destroy(r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", z->src);
    }
    r->n_signals = ns;
    r->n_samples = info->n_samples;
    r->fs_hz = info->fs_hz;
    eo_wfdb_header *h = r->header;
    snprintf(h->record_name, sizeof h->record_name, "%s", info->record_name);
    snprintf(h->base_time, sizeof h->base_time, "%s", info->base_time);
    snprintf(h->base_date, sizeof h->base_date, "%s", info->base_date);
    h->counter_freq = info->counter_freq;
    h->base_counter = info->base_counter;
    if (eo_ecgz_header_comments(info, h)) {
        eo_wfdb_record_destroy(r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", z->src);
    }
    h->n_signals = ns;
    h->fs_hz = info->fs_hz;
    h->n_samples = info->n_samples;
    memcpy(h->signals, info->signals, sizeof(eo_wfdb_signal_info) * (size_t)ns);
    for (int s = 0; s < ns; s++) {
        r->adu[s] = eo_malloc(sizeof(int32_t) * (size_t)(info->n_samples ? info->n_samples : 1));
        if (!r->adu[s]) {
            eo_wfdb_record_destroy(r);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", z->src);
        }
    }
    dec_job job;
    memset(&job, 0, sizeof job);
    job.z = z;
    job.adu = r->adu;
    int nt = z->threads < 1 ? 1 : z->threads;
    if (info->mode == EO_CODEC_AE)
        nt = 1;
    if (nt > info->n_blocks)
        nt = info->n_blocks > 0 ? (int)info->n_blocks : 1;
    (void)run_workers(nt, dec_worker, &job);
    if (job.failed) {
        if (err)
            *err = job.err;
        eo_wfdb_record_destroy(r);
        return job.err.status ? job.err.status : EO_STATUS_INTERNAL;
    }
    *out = r;
    return EO_STATUS_OK;
}

eo_status eo_codec_fidelity(const eo_wfdb_record *orig, int32_t *const *decoded, long start,
                            long count, eo_fidelity *fid, eo_error *err)
{
    if (start < 0 || count < 0 || start + count > orig->n_samples)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE, "%s: span %ld+%ld outside the record",
                            rec_name(orig), start, count);
    /* per signal, so that PRDN and SNR subtract each signal's own mean
     * (pooling the sums of two leads with different means would inflate the
     * denominator); RMSE, PRD and max error pool exactly */
    eo_fidelity_init(fid);
    double var_sum = 0;
    double x[4096], y[4096];
    for (int s = 0; s < orig->n_signals; s++) {
        double off = orig->header ? orig->header->signals[s].adc_zero : 0;
        eo_fidelity fs;
        eo_fidelity_init(&fs);
        for (long i = 0; i < count; i += 4096) {
            long k = count - i < 4096 ? count - i : 4096;
            for (long j = 0; j < k; j++) {
                x[j] = orig->adu[s][start + i + j];
                y[j] = decoded[s][i + j];
            }
            eo_fidelity_add(&fs, x, y, (size_t)k, off);
        }
        if (fs.n > 0)
            var_sum += fs.sum_ref2 - fs.sum_ref * fs.sum_ref / (double)fs.n;
        eo_fidelity_merge(fid, &fs);
    }
    eo_fidelity_finish(fid);
    if (fid->n > 0) {
        fid->prdn = var_sum > 0 ? 100.0 * sqrt(fid->sum_err2 / var_sum) : NAN;
        fid->snr_db = fid->sum_err2 > 0 ? 10.0 * log10(var_sum / fid->sum_err2) : INFINITY;
    }
    return EO_STATUS_OK;
}
