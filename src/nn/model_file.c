/* ecgopt nn — model files (.eom), format in docs/model-file.md:
 *   "ECGOPTNN" | u32 version | u32 flags | sections... | u32 CRC-32
 * each section: u32 tag (4 ASCII bytes) | u32 zero | u64 length | payload.
 * All integers and floats little-endian.  The loader checks size, magic,
 * version and CRC before parsing, bounds-checks every section, and rebuilds
 * the network from the stored spec (so shapes are re-validated). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "nn/nn_internal.h"

#define MAGIC "ECGOPTNN"
#define TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)
#define TAG_SPEC TAG('S', 'P', 'E', 'C')
#define TAG_PARM TAG('P', 'A', 'R', 'M')
#define TAG_BUFS TAG('B', 'U', 'F', 'S')
#define TAG_NORM TAG('N', 'O', 'R', 'M')
#define TAG_LABL TAG('L', 'A', 'B', 'L')
#define TAG_META TAG('M', 'E', 'T', 'A')
#define TAG_END TAG('E', 'N', 'D', ' ')

typedef struct wbuf {
    unsigned char *p;
    size_t n, cap;
    int oom;
} wbuf;

static void put(wbuf *b, const void *d, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *q = eo_realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void put_u32(wbuf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    put(b, c, 4);
}

static void put_u64(wbuf *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

static void put_f32s(wbuf *b, const float *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &f[i], 4);
        put_u32(b, u);
    }
}

static void section(wbuf *b, uint32_t tag, uint64_t len)
{
    put_u32(b, tag);
    put_u32(b, 0);
    put_u64(b, len);
}

eo_status eo_nn_save_mem(const eo_nn *nn, unsigned char **data, size_t *n, eo_error *err)
{
    *data = NULL;
    *n = 0;
    wbuf b = {0};
    put(&b, MAGIC, 8);
    put_u32(&b, EO_NN_FILE_VERSION);
    put_u32(&b, 0);
    const size_t sl = strlen(nn->spec);
    section(&b, TAG_SPEC, 8 + sl);
    put_u32(&b, (uint32_t)nn->in_c);
    put_u32(&b, (uint32_t)nn->in_l);
    put(&b, nn->spec, sl);
    section(&b, TAG_PARM, 8 + 4 * (uint64_t)nn->n_params);
    put_u64(&b, nn->n_params);
    put_f32s(&b, nn->params, nn->n_params);
    section(&b, TAG_BUFS, 8 + 4 * (uint64_t)nn->n_bufs);
    put_u64(&b, nn->n_bufs);
    put_f32s(&b, nn->bufs, nn->n_bufs);
    if (nn->norm_n > 0) {
        section(&b, TAG_NORM, 4 + 8 * (uint64_t)nn->norm_n);
        put_u32(&b, (uint32_t)nn->norm_n);
        put_f32s(&b, nn->norm_mean, (size_t)nn->norm_n);
        put_f32s(&b, nn->norm_std, (size_t)nn->norm_n);
    }
    if (nn->n_labels > 0) {
        uint64_t len = 4;
        for (int i = 0; i < nn->n_labels; i++)
            len += 4 + strlen(nn->labels[i]);
        section(&b, TAG_LABL, len);
        put_u32(&b, (uint32_t)nn->n_labels);
        for (int i = 0; i < nn->n_labels; i++) {
            put_u32(&b, (uint32_t)strlen(nn->labels[i]));
            put(&b, nn->labels[i], strlen(nn->labels[i]));
        }
    }
    const size_t ml = strlen(nn->meta);
    section(&b, TAG_META, ml);
    put(&b, nn->meta, ml);
    section(&b, TAG_END, 0);
    if (!b.oom)
        put_u32(&b, eo_crc32(0, b.p, b.n));
    if (b.oom) {
        free(b.p);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "model file: out of memory");
    }
    *data = b.p;
    *n = b.n;
    return EO_STATUS_OK;
}

eo_status eo_nn_save(const eo_nn *nn, const char *path, eo_error *err)
{
    unsigned char *d;
    size_t n;
    eo_status st = eo_nn_save_mem(nn, &d, &n, err);
    if (st)
        return st;
    st = eo_write_file_atomic(path, d, n, err);
    free(d);
    return st;
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static float rdf(const unsigned char *p)
{
    uint32_t u = rd32(p);
    float f;
    memcpy(&f, &u, 4);
    return f;
}

eo_status eo_nn_load_mem(const unsigned char *d, size_t n, const char *name, eo_nn **out,
                         eo_error *err)
{
    *out = NULL;
    if (!name)
        name = "model";
    if (!d || n < 20)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: too short (%zu bytes) for an ecgopt model file",
                            name, d ? n : 0);
    if (memcmp(d, MAGIC, 8))
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: not an ecgopt model file (bad magic)", name);
    const uint32_t ver = rd32(d + 8);
    if (ver == 0 || ver > EO_NN_FILE_VERSION)
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "%s: model file version %u; this ecgopt reads version 1..%d (upgrade ecgopt)",
                            name, ver, EO_NN_FILE_VERSION);
    const uint32_t crc = rd32(d + n - 4), got = eo_crc32(0, d, n - 4);
    if (crc != got)
        return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                            "%s: CRC-32 mismatch (stored %08x, computed %08x): file truncated or corrupted",
                            name, crc, got);
    size_t pos = 16, end = n - 4;
    const unsigned char *spec = NULL, *parm = NULL, *bufs = NULL, *norm = NULL, *labl = NULL,
                        *meta = NULL;
    uint64_t spec_len = 0, parm_len = 0, bufs_len = 0, norm_len = 0, labl_len = 0, meta_len = 0;
    int have_end = 0;
    while (pos < end) {
        if (end - pos < 16)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: truncated section header at byte %zu", name, pos);
        const uint32_t tag = rd32(d + pos);
        const uint64_t len = rd64(d + pos + 8);
        pos += 16;
        if (len > end - pos)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: section at byte %zu claims %llu bytes, only %zu left", name, pos - 16,
                                (unsigned long long)len, end - pos);
        const unsigned char *pl = d + pos;
        switch (tag) {
        case TAG_SPEC: spec = pl; spec_len = len; break;
        case TAG_PARM: parm = pl; parm_len = len; break;
        case TAG_BUFS: bufs = pl; bufs_len = len; break;
        case TAG_NORM: norm = pl; norm_len = len; break;
        case TAG_LABL: labl = pl; labl_len = len; break;
        case TAG_META: meta = pl; meta_len = len; break;
        case TAG_END: have_end = 1; break;
        default: break; /* unknown sections of this version are skipped */
        }
        pos += len;
        if (have_end)
            break;
    }
    if (!have_end || pos != end)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: missing END section", name);
    if (!spec || spec_len < 8 || spec_len > (1u << 20))
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: missing or bad SPEC section", name);
    if (!parm || parm_len < 8)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: missing PARM section", name);
    const uint32_t in_c = rd32(spec), in_l = rd32(spec + 4);
    char *s = eo_malloc(spec_len - 8 + 1);
    if (!s)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
    memcpy(s, spec + 8, spec_len - 8);
    s[spec_len - 8] = 0;
    if (strlen(s) != spec_len - 8) {
        free(s);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: NUL byte inside the architecture spec", name);
    }
    if (in_c < 1 || in_l < 1 || in_c > (1u << 20) || in_l > (1u << 24)) {
        free(s);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: bad input shape %ux%u", name, in_c, in_l);
    }
    eo_nn *nn;
    eo_status st = eo_nn_create((int)in_c, (int)in_l, &nn, err);
    if (st) {
        free(s);
        return st;
    }
    nn->param_limit = rd64(parm) ? rd64(parm) : 1; /* bounded by the file size, checked below */
    if (rd64(parm) > (parm_len - 8) / 4) {
        free(s);
        eo_nn_destroy(nn);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: PARM section shorter than its count", name);
    }
    st = eo_nn_add_spec(nn, s, err);
    free(s);
    if (st)
        eo_nn_destroy(nn);
    if (st) {
        eo_error_prefix(err, "%s: stored architecture", name);
        if (st != EO_STATUS_NO_MEMORY)
            st = EO_STATUS_BAD_FORMAT;
        if (err)
            err->status = st;
        return st;
    }
    nn->param_limit = 0;
    const uint64_t np = rd64(parm);
    if (np != nn->n_params || parm_len != 8 + 4 * np) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                          "%s: %llu parameters stored, the architecture has %zu", name,
                          (unsigned long long)np, nn->n_params);
        goto fail;
    }
    for (size_t i = 0; i < nn->n_params; i++)
        nn->params[i] = rdf(parm + 8 + 4 * i);
    if (nn->n_bufs) {
        if (!bufs || bufs_len < 8 || rd64(bufs) != nn->n_bufs || bufs_len != 8 + 4 * (uint64_t)nn->n_bufs) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: BatchNorm running statistics missing or wrong size",
                              name);
            goto fail;
        }
        for (size_t i = 0; i < nn->n_bufs; i++)
            nn->bufs[i] = rdf(bufs + 8 + 4 * i);
    }
    if (norm) {
        uint32_t k = norm_len >= 4 ? rd32(norm) : 0;
        if (norm_len < 4 || k > (1u << 20) || norm_len != 4 + 8 * (uint64_t)k) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: bad NORM section", name);
            goto fail;
        }
        float *mv = eo_malloc(sizeof(float) * (k ? 2 * k : 1));
        if (!mv) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
            goto fail;
        }
        for (uint32_t i = 0; i < 2 * k; i++)
            mv[i] = rdf(norm + 4 + 4 * (size_t)i);
        st = eo_nn_set_normalisation(nn, mv, mv + k, (int)k, err);
        free(mv);
        if (st)
            goto fail;
    }
    if (labl) {
        uint32_t k = labl_len >= 4 ? rd32(labl) : 0;
        if (labl_len < 4 || k > labl_len / 4) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: bad LABL section", name);
            goto fail;
        }
        char **names = eo_calloc(k ? k : 1, sizeof(char *));
        size_t p = 4;
        st = names ? EO_STATUS_OK : EO_STATUS_NO_MEMORY;
        for (uint32_t i = 0; i < k && !st; i++) {
            uint32_t len = labl_len - p >= 4 ? rd32(labl + p) : UINT32_MAX;
            if (len == UINT32_MAX || len > labl_len - p - 4 || len > 4096) {
                st = EO_STATUS_BAD_FORMAT;
                break;
            }
            names[i] = eo_malloc(len + 1);
            if (!names[i]) {
                st = EO_STATUS_NO_MEMORY;
                break;
            }
            memcpy(names[i], labl + p + 4, len);
            names[i][len] = 0;
            p += 4 + len;
        }
        if (!st && p != labl_len)
            st = EO_STATUS_BAD_FORMAT;
        if (!st)
            st = eo_nn_set_labels(nn, (const char *const *)names, (int)k, err);
        else
            eo_error_set(err, st, "%s: bad LABL section", name);
        for (uint32_t i = 0; names && i < k; i++)
            free(names[i]);
        free(names);
        if (st)
            goto fail;
    }
    if (meta && meta_len) {
        char *m = eo_malloc(meta_len + 1);
        if (!m) {
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", name);
            goto fail;
        }
        memcpy(m, meta, meta_len);
        m[meta_len] = 0;
        if (strlen(m) != meta_len) {
            free(m);
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: NUL byte inside the metadata", name);
            goto fail;
        }
        free(nn->meta);
        nn->meta = m;
    }
    *out = nn;
    return EO_STATUS_OK;
fail:
    eo_nn_destroy(nn);
    return st;
}

eo_status eo_nn_load(const char *path, eo_nn **out, eo_error *err)
{
    *out = NULL;
    unsigned char *d = NULL;
    size_t n = 0;
    eo_status st = eo_read_file(path, &d, &n, err);
    if (st)
        return st;
    st = eo_nn_load_mem(d, n, path, out, err);
    free(d);
    return st;
}
