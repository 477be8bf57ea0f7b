/* The .ecgz container (docs/codec.md):
 *
 *   header   magic "ECGZ\r\n\x1a\n", u16 version, u16 flags (1: embedded
 *            model, 2: mixing coder in lossless/bounded blocks), u32 body
 *            length B, body (record metadata), u32 CRC32 of all before it
 *   model    only when flags & 1 (embedded model, ae mode): "EZMD", u32
 *            length M, M bytes of the .eom model, u32 CRC32 of the section
 *            before it; SHA-256 of the M bytes = the header's model hash
 *   blocks   u32 block number, u32 frames, u32 payload length P, payload,
 *            u32 CRC32 of the 12 header bytes + payload
 *   index    "EZIX", u32 block count, per block u64 offset + u32 length,
 *            u32 CRC32 of the index bytes before it
 *   trailer  u64 index offset, u32 CRC32 of those 8 bytes, "EZND"
 *
 * All integers little-endian, doubles IEEE-754 binary64 little-endian.  The
 * trailer at the end lets a reader find the index and seek to any block;
 * every byte of the file is covered by a CRC32 or by a length that is
 * cross-checked, so corruption gives an error naming the part. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "container.h"

static const unsigned char MAGIC[8] = {'E', 'C', 'G', 'Z', '\r', '\n', 0x1a, '\n'};

/* ---- writer ---- */

void eo_ecgz_write_header(eo_bytes *b, const eo_ecgz_info *info,
                          const eo_wfdb_signal_info *sig)
{
    eo_bytes body = {0};
    eo_bytes_u8(&body, (unsigned)info->mode);
    eo_bytes_u8(&body, (unsigned)(info->wavelet_level > 0 ? info->wavelet_level : 0));
    eo_bytes_u16(&body, (unsigned)info->n_signals);
    eo_bytes_f64(&body, info->fs_hz);
    eo_bytes_u64(&body, (uint64_t)info->n_samples);
    eo_bytes_u32(&body, (uint32_t)info->block_frames);
    eo_bytes_u32(&body, (uint32_t)(int32_t)info->max_error_adu);
    eo_bytes_f64(&body, info->wavelet_step);
    eo_bytes_put(&body, info->model_hash, 32);
    eo_bytes_str(&body, info->record_name);
    eo_bytes_str(&body, info->base_time);
    eo_bytes_str(&body, info->base_date);
    for (int s = 0; s < info->n_signals; s++) {
        const eo_wfdb_signal_info *si = &sig[s];
        eo_bytes_f64(&body, si->gain);
        eo_bytes_u32(&body, (uint32_t)(int32_t)si->baseline);
        eo_bytes_u32(&body, (uint32_t)(int32_t)si->adc_zero);
        eo_bytes_u16(&body, (unsigned)(si->adc_resolution & 0xFFFF));
        eo_bytes_u16(&body, (unsigned)(si->format & 0xFFFF));
        eo_bytes_u32(&body, (uint32_t)(int32_t)si->initial_value);
        eo_bytes_u8(&body, (unsigned)(si->gain_given != 0));
        eo_bytes_u8(&body, (unsigned)(si->baseline_given != 0));
        eo_bytes_str(&body, si->units);
        eo_bytes_str(&body, si->description);
    }
    size_t nc = info->comments ? strlen(info->comments) : 0;
    if (nc > EO_ECGZ_MAX_COMMENTS)
        nc = EO_ECGZ_MAX_COMMENTS;
    int extra = nc > 0 || info->counter_freq > 0;
    if (extra) {
        eo_bytes_f64(&body, info->counter_freq);
        eo_bytes_f64(&body, info->base_counter);
        eo_bytes_u32(&body, (uint32_t)nc);
        if (nc)
            eo_bytes_put(&body, info->comments, nc);
    }
    size_t start = b->n;
    eo_bytes_put(b, MAGIC, 8);
    eo_bytes_u16(b, EO_ECGZ_VERSION);
    eo_bytes_u16(b, (info->model_embedded ? EO_ECGZ_FLAG_MODEL : 0) |
                        (info->coder == EO_CODEC_CODER_MIX ? EO_ECGZ_FLAG_MIX : 0) |
                        (extra ? EO_ECGZ_FLAG_COMMENTS : 0));
    eo_bytes_u32(b, (uint32_t)body.n);
    eo_bytes_put(b, body.p, body.n);
    if (body.oom)
        b->oom = 1;
    free(body.p);
    if (!b->oom)
        eo_bytes_u32(b, eo_crc32(0, b->p + start, b->n - start));
}

void eo_ecgz_write_model(eo_bytes *b, const unsigned char *model, size_t n)
{
    size_t start = b->n;
    eo_bytes_put(b, "EZMD", 4);
    eo_bytes_u32(b, (uint32_t)n);
    eo_bytes_put(b, model, n);
    if (!b->oom)
        eo_bytes_u32(b, eo_crc32(0, b->p + start, b->n - start));
}

void eo_ecgz_write_block(eo_bytes *b, uint32_t block_no, uint32_t n_frames,
                         const eo_bytes *payload, uint64_t *offset, uint32_t *length)
{
    size_t start = b->n;
    eo_bytes_u32(b, block_no);
    eo_bytes_u32(b, n_frames);
    eo_bytes_u32(b, (uint32_t)payload->n);
    eo_bytes_put(b, payload->p, payload->n);
    if (b->oom)
        return;
    eo_bytes_u32(b, eo_crc32(0, b->p + start, b->n - start));
    *offset = start;
    *length = (uint32_t)(b->n - start);
}

void eo_ecgz_write_index(eo_bytes *b, long n_blocks, const uint64_t *offset,
                         const uint32_t *length)
{
    size_t start = b->n;
    eo_bytes_put(b, "EZIX", 4);
    eo_bytes_u32(b, (uint32_t)n_blocks);
    for (long i = 0; i < n_blocks; i++) {
        eo_bytes_u64(b, offset[i]);
        eo_bytes_u32(b, length[i]);
    }
    if (b->oom)
        return;
    eo_bytes_u32(b, eo_crc32(0, b->p + start, b->n - start));
    unsigned char t[8];
    for (int i = 0; i < 8; i++)
        t[i] = (unsigned char)((uint64_t)start >> (8 * i));
    eo_bytes_put(b, t, 8);
    eo_bytes_u32(b, eo_crc32(0, t, 8));
    eo_bytes_put(b, "EZND", 4);
}

/* ---- reader ---- */

typedef struct cursor {
    const unsigned char *p;
    size_t n, pos;
    int bad;
} cursor;

static uint64_t get_le(const unsigned char *p, int nb)
{
    uint64_t v = 0;
    for (int i = nb - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint64_t cur_u(cursor *c, int nb)
{
    if (c->bad || c->n - c->pos < (size_t)nb) {
        c->bad = 1;
        return 0;
    }
    uint64_t v = get_le(c->p + c->pos, nb);
    c->pos += (size_t)nb;
    return v;
}

static double cur_f64(cursor *c)
{
    uint64_t u = cur_u(c, 8);
    double d;
    memcpy(&d, &u, 8);
    return d;
}

static void cur_str(cursor *c, char *out, size_t cap)
{
    size_t len = (size_t)cur_u(c, 2);
    if (c->bad || c->n - c->pos < len) {
        c->bad = 1;
        out[0] = 0;
        return;
    }
    size_t k = len < cap - 1 ? len : cap - 1;
    memcpy(out, c->p + c->pos, k);
    out[k] = 0;
    /* stored strings never hold NUL; one means corruption */
    if (memchr(c->p + c->pos, 0, len))
        c->bad = 1;
    c->pos += len;
}

void eo_ecgz_free_parsed(eo_ecgz_parsed *z)
{
    if (!z)
        return;
    free(z->signals);
    free(z->comments);
    free(z->offset);
    free(z->length);
    memset(z, 0, sizeof *z);
}

eo_status eo_ecgz_parse(const unsigned char *d, size_t len, const char *src,
                        eo_ecgz_parsed *z, eo_error *err)
{
    memset(z, 0, sizeof *z);
    eo_ecgz_info *info = &z->info;
    if (len < 16 || memcmp(d, MAGIC, 8) != 0)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: not an .ecgz file (bad magic)", src);
    unsigned version = (unsigned)get_le(d + 8, 2);
    if (version != EO_ECGZ_VERSION)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "%s: .ecgz version %u (this build reads version %d)", src, version,
                            EO_ECGZ_VERSION);
    uint64_t body_len = get_le(d + 12, 4);
    if (body_len > len || 16 + body_len + 4 > len)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: header: truncated (header length %llu, file %zu bytes)", src,
                            (unsigned long long)body_len, len);
    size_t hend = 16 + (size_t)body_len;
    if ((uint32_t)get_le(d + hend, 4) != eo_crc32(0, d, hend))
        return eo_error_set(err, EO_STATUS_BAD_CHECKSUM, "%s: header: CRC mismatch", src);
    unsigned flags = (unsigned)get_le(d + 10, 2);
    if (flags & ~(EO_ECGZ_FLAG_MODEL | EO_ECGZ_FLAG_MIX | EO_ECGZ_FLAG_COMMENTS))
        return eo_error_set(err, EO_STATUS_UNSUPPORTED, "%s: header: unknown flags 0x%x", src,
                            flags);
    cursor c = {d + 16, (size_t)body_len, 0, 0};
    info->version = (int)version;
    unsigned mode = (unsigned)cur_u(&c, 1);
    info->wavelet_level = (int)cur_u(&c, 1);
    info->n_signals = (int)cur_u(&c, 2);
    info->fs_hz = cur_f64(&c);
    uint64_t ns = cur_u(&c, 8);
    info->block_frames = (long)cur_u(&c, 4);
    info->max_error_adu = (int32_t)(uint32_t)cur_u(&c, 4);
    info->wavelet_step = cur_f64(&c);
    if (!c.bad && c.n - c.pos >= 32) {
        memcpy(info->model_hash, c.p + c.pos, 32);
        c.pos += 32;
    } else {
        c.bad = 1;
    }
    cur_str(&c, info->record_name, sizeof info->record_name);
    cur_str(&c, info->base_time, sizeof info->base_time);
    cur_str(&c, info->base_date, sizeof info->base_date);
    if (c.bad)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: truncated body", src);
    if (mode > EO_CODEC_AE)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: unknown mode %u", src, mode);
    info->mode = (eo_codec_mode)mode;
    if (info->n_signals < 1 || info->n_signals > EO_ECGZ_MAX_SIGNALS)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: %d signals (1..%d)", src,
                            info->n_signals, EO_ECGZ_MAX_SIGNALS);
    if (!(info->fs_hz > 0 && info->fs_hz <= 1e6))
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: sampling rate %g Hz", src,
                            info->fs_hz);
    if (ns > EO_ECGZ_MAX_SAMPLES)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: %llu samples", src,
                            (unsigned long long)ns);
    info->n_samples = (long)ns;
    if (info->block_frames < 1 ||
        (long long)info->block_frames * info->n_signals > EO_ECGZ_MAX_BLOCK_VALUES)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: block of %ld frames", src,
                            info->block_frames);
    info->n_blocks = (long)((ns + (uint64_t)info->block_frames - 1) / (uint64_t)info->block_frames);
    if (info->mode == EO_CODEC_LOSSLESS || info->mode == EO_CODEC_BOUNDED) {
        if (info->max_error_adu < 0 || info->max_error_adu > EO_CODEC_MAX_ERROR ||
            (info->mode == EO_CODEC_LOSSLESS && info->max_error_adu != 0))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: error bound %d", src,
                                info->max_error_adu);
    } else if (info->mode == EO_CODEC_WAVELET) {
        if (!(info->wavelet_step > 0 && info->wavelet_step < 1e9) || info->wavelet_level < 1 ||
            info->wavelet_level > 8)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: header: wavelet step %g, level %d", src, info->wavelet_step,
                                info->wavelet_level);
    } else {
        /* ae: wavelet_step carries the latent quantiser step */
        if (!(info->wavelet_step > 0 && info->wavelet_step < 1e6))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: ae step %g", src,
                                info->wavelet_step);
    }
    z->signals = eo_calloc((size_t)info->n_signals, sizeof *z->signals);
    if (!z->signals)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", src);
    for (int s = 0; s < info->n_signals; s++) {
        eo_wfdb_signal_info *si = &z->signals[s];
        si->gain = cur_f64(&c);
        si->baseline = (int32_t)(uint32_t)cur_u(&c, 4);
        si->adc_zero = (int32_t)(uint32_t)cur_u(&c, 4);
        si->adc_resolution = (int)cur_u(&c, 2);
        si->format = (int)cur_u(&c, 2);
        si->initial_value = (int32_t)(uint32_t)cur_u(&c, 4);
        si->gain_given = (int)cur_u(&c, 1);
        si->baseline_given = (int)cur_u(&c, 1);
        cur_str(&c, si->units, sizeof si->units);
        cur_str(&c, si->description, sizeof si->description);
        si->samples_per_frame = 1;
        si->initial_value_given = 1;
        snprintf(si->file_name, sizeof si->file_name, "%s.dat", info->record_name);
        if (!c.bad && !(isfinite(si->gain) && si->adc_resolution <= 32))
            c.bad = 1;
    }
    if (c.bad) {
        eo_ecgz_free_parsed(z);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: malformed signal list", src);
    }
    if (flags & EO_ECGZ_FLAG_COMMENTS) {
        info->counter_freq = cur_f64(&c);
        info->base_counter = cur_f64(&c);
        uint64_t nc = cur_u(&c, 4);
        if (c.bad || !isfinite(info->counter_freq) || !isfinite(info->base_counter) ||
            nc > EO_ECGZ_MAX_COMMENTS || nc > c.n - c.pos) {
            eo_ecgz_free_parsed(z);
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: malformed comments", src);
        }
        z->comments = eo_malloc((size_t)nc + 1);
        if (!z->comments) {
            eo_ecgz_free_parsed(z);
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", src);
        }
        memcpy(z->comments, c.p + c.pos, (size_t)nc);
        z->comments[nc] = 0;
        c.pos += (size_t)nc;
        info->comments = nc ? z->comments : NULL;
    }
    if (c.pos != c.n) {
        eo_ecgz_free_parsed(z);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: header: malformed signal list", src);
    }
    info->signals = z->signals;
    info->file_bytes = len;
    size_t hdr_total = hend + 4;
    if (flags & EO_ECGZ_FLAG_MIX) {
        if (info->mode != EO_CODEC_LOSSLESS && info->mode != EO_CODEC_BOUNDED) {
            eo_ecgz_free_parsed(z);
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: header: mixing-coder flag in a %s file", src,
                                info->mode == EO_CODEC_WAVELET ? "wavelet" : "ae");
        }
        info->coder = EO_CODEC_CODER_MIX;
    }

    if (flags & EO_ECGZ_FLAG_MODEL) {
        /* embedded model: framing, CRC, then the SHA-256 the header names */
        if (info->mode != EO_CODEC_AE) {
            eo_ecgz_free_parsed(z);
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: header: embedded model in a %s file", src,
                                info->mode == EO_CODEC_WAVELET ? "wavelet" : "predictive");
        }
        if (len - hdr_total < EO_ECGZ_MODEL_FRAMING ||
            memcmp(d + hdr_total, "EZMD", 4) != 0) {
            eo_ecgz_free_parsed(z);
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: embedded model: section missing (file truncated?)", src);
        }
        uint64_t m = get_le(d + hdr_total + 4, 4);
        if (m > EO_ECGZ_MAX_MODEL || m + EO_ECGZ_MODEL_FRAMING > len - hdr_total) {
            eo_ecgz_free_parsed(z);
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: embedded model: %llu bytes do not fit the file (truncated?)",
                                src, (unsigned long long)m);
        }
        size_t sec = (size_t)m + 8;
        if ((uint32_t)get_le(d + hdr_total + sec, 4) != eo_crc32(0, d + hdr_total, sec)) {
            eo_ecgz_free_parsed(z);
            return eo_error_set(err, EO_STATUS_BAD_CHECKSUM, "%s: embedded model: CRC mismatch",
                                src);
        }
        uint8_t h[32];
        eo_sha256(d + hdr_total + 8, (size_t)m, h);
        if (memcmp(h, info->model_hash, 32) != 0) {
            eo_ecgz_free_parsed(z);
            char a[17], b2[17];
            eo_codec_hash_hex(info->model_hash, 8, a);
            eo_codec_hash_hex(h, 8, b2);
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: embedded model: sha256 %s... does not match the header's "
                                "%s...", src, b2, a);
        }
        z->model_off = hdr_total + 8;
        z->model_len = (size_t)m;
        info->model_embedded = 1;
        info->model_bytes = (size_t)m;
        hdr_total += sec + 4;
    }

    /* trailer and index */
    if (len < hdr_total + 16 + 12) {
        eo_ecgz_free_parsed(z);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: truncated (no index/trailer, %zu bytes)",
                            src, len);
    }
    const unsigned char *t = d + len - 16;
    if (memcmp(t + 12, "EZND", 4) != 0 || (uint32_t)get_le(t + 8, 4) != eo_crc32(0, t, 8)) {
        eo_ecgz_free_parsed(z);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: trailer: missing or corrupt (file truncated?)", src);
    }
    uint64_t ix = get_le(t, 8);
    uint64_t ix_len = 8 + 12 * (uint64_t)info->n_blocks + 4;
    if (ix < hdr_total || ix > len - 16 || len - 16 - ix != ix_len) {
        eo_ecgz_free_parsed(z);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: index: offset %llu does not fit %ld blocks in %zu bytes", src,
                            (unsigned long long)ix, info->n_blocks, len);
    }
    const unsigned char *ip = d + ix;
    if (memcmp(ip, "EZIX", 4) != 0 ||
        (uint32_t)get_le(ip + ix_len - 4, 4) != eo_crc32(0, ip, (size_t)ix_len - 4)) {
        eo_ecgz_free_parsed(z);
        return eo_error_set(err, EO_STATUS_BAD_CHECKSUM, "%s: index: CRC mismatch", src);
    }
    if ((long)get_le(ip + 4, 4) != info->n_blocks) {
        eo_ecgz_free_parsed(z);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: index: %lu blocks, header says %ld",
                            src, (unsigned long)get_le(ip + 4, 4), info->n_blocks);
    }
    size_t nb = (size_t)info->n_blocks;
    z->offset = eo_malloc(sizeof(uint64_t) * (nb ? nb : 1));
    z->length = eo_malloc(sizeof(uint32_t) * (nb ? nb : 1));
    if (!z->offset || !z->length) {
        eo_ecgz_free_parsed(z);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", src);
    }
    uint64_t expect = hdr_total;
    for (size_t i = 0; i < nb; i++) {
        z->offset[i] = get_le(ip + 8 + 12 * i, 8);
        z->length[i] = (uint32_t)get_le(ip + 8 + 12 * i + 8, 4);
        if (z->offset[i] != expect || z->length[i] < 16 || z->length[i] > ix - expect) {
            eo_ecgz_free_parsed(z);
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: index: block %zu at %llu+%u does not fit", src, i,
                                (unsigned long long)expect, (unsigned)z->length[i]);
        }
        expect += z->length[i];
    }
    if (expect != ix) {
        eo_ecgz_free_parsed(z);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: index: blocks end at %llu, index starts at %llu", src,
                            (unsigned long long)expect, (unsigned long long)ix);
    }
    return EO_STATUS_OK;
}

eo_status eo_ecgz_block_payload(const unsigned char *d, const eo_ecgz_parsed *z, long i,
                                const char *src, const unsigned char **payload, size_t *plen,
                                long *n_frames, eo_error *err)
{
    const eo_ecgz_info *info = &z->info;
    double t0 = (double)i * (double)info->block_frames / info->fs_hz;
    long nf = info->block_frames;
    if ((long long)(i + 1) * info->block_frames > info->n_samples)
        nf = info->n_samples - i * info->block_frames;
    double t1 = t0 + (double)nf / info->fs_hz;
    const unsigned char *b = d + z->offset[i];
    uint32_t L = z->length[i];
    if (get_le(b, 4) != (uint64_t)i || (long)get_le(b + 4, 4) != nf ||
        get_le(b + 8, 4) != (uint64_t)L - 16)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: block %ld (%.1f-%.1f s): header does not match the index", src,
                            i, t0, t1);
    if ((uint32_t)get_le(b + L - 4, 4) != eo_crc32(0, b, L - 4))
        return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                            "%s: block %ld (%.1f-%.1f s): CRC mismatch", src, i, t0, t1);
    *payload = b + 12;
    *plen = L - 16;
    *n_frames = nf;
    return EO_STATUS_OK;
}
