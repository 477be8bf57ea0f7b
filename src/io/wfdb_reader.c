/* ecgopt io — batch reader: many records in physical units through buffers
 * that are kept between records.
 *
 * Why: reading a database pass record by record with eo_wfdb_record_load()
 * + eo_wfdb_record_physical() spends most of its time outside the decoding
 * (docs/wfdb.md, "Benchmark"): faulting in fresh sample arrays for every
 * record, then a second pass writing the doubles.  Here the sample arrays,
 * the file chunk buffer and the annotation set live in the reader, and a
 * format-212 file is decoded from its bytes to physical values in one pass:
 * a 12-bit code has only 4096 values, so each signal gets a table
 *     tab[code] = (sext12(code) - baseline) / gain      (aduphys(), signal(5))
 *     tab[0x800] = NaN                                  (-2048: invalid sample)
 * computed with the same IEEE division as eo_wfdb_record_physical(), so the
 * values are bit-identical to it, and the per-sample cost is a table load
 * instead of a division.  The checksum (16-bit sum of the stored values,
 * header(5)) is accumulated in the same pass. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ecgopt/alloc.h"
#include "ecgopt/util.h"
#include "io/wfdb_internal.h"

/* AVX2 kernel for two signals (an AVX-512 VBMI version with vpermb and
 * 16 frames per step was no faster: the pass is bound by the stores) */
#if defined(__AVX2__) && !defined(EO_NO_SIMD212)
#include <immintrin.h>
#define EO_SIMD212 2
#endif

/* frames decoded per file read: 16384 frames of 2 signals = 48 KiB of 212
 * bytes, which stays in L1/L2 between the read() and the decoding */
#define CHUNK_FRAMES 16384
#define MAX_FAST_SIGNALS 64

struct eo_wfdb_reader {
    eo_wfdb_read_options opt;
    eo_wfdb_header *h;        /* header of the last record read */
    int cap_signals;          /* entries of the pointer arrays */
    size_t cap_bytes;         /* bytes of each sample array */
    void **arrays;            /* cap_signals sample arrays of cap_bytes */
    double **f64;             /* views of arrays for the caller */
    float **f32;
    unsigned char *io;        /* file chunk buffer (and .hea / .atr text) */
    size_t io_cap;
    double *tab;              /* 4096 per signal (F64) */
    float *tabf;              /* 4096 per signal (F32) */
    eo_annotation_set *ann;
};

eo_status eo_wfdb_reader_create(const eo_wfdb_read_options *opt, eo_wfdb_reader **out,
                                eo_error *err)
{
    if (!out)
        return eo_error_set(err, EO_STATUS_USAGE, "wfdb reader: NULL output");
    *out = NULL;
    eo_wfdb_reader *rd = eo_calloc(1, sizeof *rd);
    if (!rd)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "wfdb reader: out of memory");
    if (opt)
        rd->opt = *opt;
    else
        eo_wfdb_read_defaults(&rd->opt);
    rd->tab = eo_malloc((size_t)MAX_FAST_SIGNALS * 4096 * sizeof *rd->tab);
    rd->tabf = eo_malloc((size_t)MAX_FAST_SIGNALS * 4096 * sizeof *rd->tabf);
    rd->ann = eo_annot_set_new();
    if (!rd->tab || !rd->tabf || !rd->ann) {
        eo_wfdb_reader_destroy(rd);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "wfdb reader: out of memory");
    }
    *out = rd;
    return EO_STATUS_OK;
}

void eo_wfdb_reader_destroy(eo_wfdb_reader *rd)
{
    if (!rd)
        return;
    for (int i = 0; i < rd->cap_signals; i++)
        free(rd->arrays[i]);
    free(rd->arrays);
    free(rd->f64);
    free(rd->f32);
    free(rd->io);
    free(rd->tab);
    free(rd->tabf);
    eo_annot_set_destroy(rd->ann);
    eo_wfdb_header_destroy(rd->h);
    free(rd);
}

/* Make room for ns arrays of `bytes` each; contents are not kept. */
static eo_status reserve_arrays(eo_wfdb_reader *rd, int ns, size_t bytes, const char *what,
                                eo_error *err)
{
    if (ns > rd->cap_signals) {
        void **a = eo_realloc(rd->arrays, (size_t)ns * sizeof *a);
        if (!a)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", what);
        rd->arrays = a;
        double **d = eo_realloc(rd->f64, (size_t)ns * sizeof *d);
        if (!d)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", what);
        rd->f64 = d;
        float **f = eo_realloc(rd->f32, (size_t)ns * sizeof *f);
        if (!f)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", what);
        rd->f32 = f;
        for (int i = rd->cap_signals; i < ns; i++) {
            /* a new array gets the current size so that all are alike */
            a[i] = rd->cap_bytes ? eo_aligned_alloc(64, rd->cap_bytes) : NULL;
            if (rd->cap_bytes && !a[i]) {
                rd->cap_signals = i;
                return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", what);
            }
            rd->cap_signals = i + 1;
        }
    }
    if (bytes > rd->cap_bytes) {
        /* grow by half again, so a database of slowly growing records does
         * not reallocate for each */
        size_t nb = (bytes + bytes / 2 + 63) / 64 * 64;
        for (int i = 0; i < rd->cap_signals; i++) {
            free(rd->arrays[i]);
            rd->arrays[i] = NULL;
        }
        rd->cap_bytes = 0;
        for (int i = 0; i < rd->cap_signals; i++) {
            /* 64-byte aligned: the decoder's vector stores then never
             * split a cache line (measured: about 15 % of a database pass) */
            rd->arrays[i] = eo_aligned_alloc(64, (nb + 63) / 64 * 64);
            if (!rd->arrays[i]) {
                for (int j = 0; j < i; j++) {
                    free(rd->arrays[j]);
                    rd->arrays[j] = NULL;
                }
                return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", what);
            }
        }
        rd->cap_bytes = nb;
    }
    for (int i = 0; i < rd->cap_signals; i++) {
        rd->f64[i] = rd->arrays[i];
        rd->f32[i] = rd->arrays[i];
    }
    return EO_STATUS_OK;
}

static eo_status reserve_io(eo_wfdb_reader *rd, size_t bytes, const char *what, eo_error *err)
{
    if (bytes <= rd->io_cap)
        return EO_STATUS_OK;
    size_t nb = bytes + bytes / 4;
    unsigned char *p = eo_malloc(nb);
    if (!p)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", what);
    free(rd->io);
    rd->io = p;
    rd->io_cap = nb;
    return EO_STATUS_OK;
}

/* Read a whole small file (.hea, .atr) into rd->io; NUL-terminated. */
static eo_status slurp(eo_wfdb_reader *rd, const char *path, size_t *len, eo_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        return eo_error_set(err, e == ENOENT ? EO_STATUS_NOT_FOUND : EO_STATUS_IO,
                            "%s: cannot open: %s", path, strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 0) {
        close(fd);
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot stat", path);
    }
    size_t want = (size_t)st.st_size, n = 0;
    eo_status s = reserve_io(rd, want + 1, path, err);
    if (s) {
        close(fd);
        return s;
    }
    /* the file may grow or shrink while we read: read what is there, up to
     * the size seen (and one more byte to notice growth is not needed:
     * WFDB files are not appended to while read) */
    while (n < want) {
        ssize_t k = read(fd, rd->io + n, want - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            close(fd);
            return eo_error_set(err, EO_STATUS_IO, "%s: read failed", path);
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    rd->io[n] = 0;
    *len = n;
    return EO_STATUS_OK;
}

static void dir_of(const char *path, char *dir, size_t n)
{
    const char *sl = strrchr(path, '/');
    if (!sl)
        snprintf(dir, n, ".");
    else if (sl == path)
        snprintf(dir, n, "/");
    else
        snprintf(dir, n, "%.*s", (int)(sl - path), path);
}

/* One format-212 file with every signal, one sample per frame, no skew: the
 * layout the fused decoder handles. */
static int fused_eligible(const eo_wfdb_header *h)
{
    if (h->n_segments > 0 || h->n_signals < 1 || h->n_signals > MAX_FAST_SIGNALS)
        return 0;
    const eo_wfdb_signal_info *s0 = &h->signals[0];
    if (s0->format != 212 || strcmp(s0->file_name, "~") == 0)
        return 0;
    for (int i = 0; i < h->n_signals; i++) {
        const eo_wfdb_signal_info *si = &h->signals[i];
        if (si->format != 212 || si->samples_per_frame != 1 || si->skew != 0 ||
            si->byte_offset != s0->byte_offset || strcmp(si->file_name, s0->file_name) != 0)
            return 0;
    }
    return 1;
}

/* a little-endian 32-bit word as loaded with memcpy */
static inline uint32_t le32(uint32_t w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(w);
#else
    return w;
#endif
}

static inline int32_t sext12(uint32_t u)
{
    return (int32_t)(u << 20) >> 20;
}


#ifdef EO_SIMD212
/* Two signals (one frame = one 3-byte group), 8 frames per step with AVX2:
 * the two 128-bit lanes hold bytes 0..15 and 12..27, so an in-lane byte
 * shuffle (pshufb) puts the codes of frames 0..3 and 4..7 in their own
 * 32-bit lanes, signal 0 from bytes 3i, 3i+1 and signal 1 from 3i+2, 3i+1;
 * the codes index the tables with gathers; the checksums sum the
 * sign-extended codes.  Returns the frames done (a multiple of 8, the loads
 * staying inside the k * 3 bytes); the caller finishes the rest. */
static int64_t simd212x2(const unsigned char *p, int64_t k, int f32, const void *tab0,
                         const void *tab1, void *out0, void *out1, int64_t *sum)
{
    /* the step reads bytes 24 st .. 24 st + 27: stay inside k * 3 */
    int64_t steps = k >= 10 ? (k - 2) / 8 : 0;
    if (steps <= 0)
        return 0;
    const __m256i sa = _mm256_setr_epi8(0, 1, -1, -1, 3, 4, -1, -1, 6, 7, -1, -1, 9, 10, -1, -1,
                                        0, 1, -1, -1, 3, 4, -1, -1, 6, 7, -1, -1, 9, 10, -1, -1);
    const __m256i sb = _mm256_setr_epi8(2, 1, -1, -1, 5, 4, -1, -1, 8, 7, -1, -1, 11, 10, -1, -1,
                                        2, 1, -1, -1, 5, 4, -1, -1, 8, 7, -1, -1, 11, 10, -1, -1);
    const __m256i m12 = _mm256_set1_epi32(0x0fff), mlo = _mm256_set1_epi32(0x00ff),
                  mhi = _mm256_set1_epi32(0x0f00);
    __m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
    for (int64_t st = 0; st < steps; st++) {
        const unsigned char *q = p + 24 * st;
        __m256i raw = _mm256_inserti128_si256(
            _mm256_castsi128_si256(_mm_loadu_si128((const __m128i *)q)),
            _mm_loadu_si128((const __m128i *)(q + 12)), 1);
        __m256i a = _mm256_shuffle_epi8(raw, sa), b = _mm256_shuffle_epi8(raw, sb);
        __m256i u = _mm256_and_si256(a, m12);
        __m256i v = _mm256_or_si256(_mm256_and_si256(b, mlo),
                                    _mm256_and_si256(_mm256_srli_epi32(b, 4), mhi));
        acc0 = _mm256_add_epi32(acc0, _mm256_srai_epi32(_mm256_slli_epi32(u, 20), 20));
        acc1 = _mm256_add_epi32(acc1, _mm256_srai_epi32(_mm256_slli_epi32(v, 20), 20));
        if (f32) {
            _mm256_storeu_ps((float *)out0 + 8 * st, _mm256_i32gather_ps(tab0, u, 4));
            _mm256_storeu_ps((float *)out1 + 8 * st, _mm256_i32gather_ps(tab1, v, 4));
        } else {
            double *o0 = (double *)out0 + 8 * st, *o1 = (double *)out1 + 8 * st;
            _mm256_storeu_pd(o0, _mm256_i32gather_pd(tab0, _mm256_castsi256_si128(u), 8));
            _mm256_storeu_pd(o0 + 4, _mm256_i32gather_pd(tab0, _mm256_extracti128_si256(u, 1), 8));
            _mm256_storeu_pd(o1, _mm256_i32gather_pd(tab1, _mm256_castsi256_si128(v), 8));
            _mm256_storeu_pd(o1 + 4, _mm256_i32gather_pd(tab1, _mm256_extracti128_si256(v, 1), 8));
        }
    }
    int32_t l0[8], l1[8];
    _mm256_storeu_si256((__m256i *)l0, acc0);
    _mm256_storeu_si256((__m256i *)l1, acc1);
    for (int i = 0; i < 8; i++) {
        sum[0] += l0[i];
        sum[1] += l1[i];
    }
    return 8 * steps;
}
#endif

/* Decode k frames of ns signals from 212 bytes p into the output arrays at
 * frame f0; sums of the stored values into sum[].  k * ns is even except
 * possibly for the last chunk of the file, whose final sample then takes
 * the first two bytes of a group (signal(5)). */
static void decode_f64(const unsigned char *p, int64_t k, int ns, int64_t f0, const double *tab,
                       double **out, int64_t *sum)
{
    if (ns == 2) {
        /* MIT-BIH: one frame is one 3-byte group */
        double *o0 = out[0] + f0, *o1 = out[1] + f0;
        const double *t0 = tab, *t1 = tab + 4096;
        int64_t a0 = 0, a1 = 0, i = 0;
#ifdef EO_SIMD212
        i = simd212x2(p, k, 0, t0, t1, o0, o1, sum);
        p += 3 * i;
#endif
        /* one 32-bit load per frame while a 4th byte is there to read */
        for (; i + 1 < k; i++, p += 3) {
            uint32_t w;
            memcpy(&w, p, 4);
            w = le32(w);
            uint32_t u = w & 0xfff;
            uint32_t v = ((w >> 16) & 0xff) | ((w >> 4) & 0xf00);
            o0[i] = t0[u];
            o1[i] = t1[v];
            a0 += sext12(u);
            a1 += sext12(v);
        }
        /* one 32-bit load per frame while a 4th byte is there to read */
        for (; i + 1 < k; i++, p += 3) {
            uint32_t w;
            memcpy(&w, p, 4);
            w = le32(w);
            uint32_t u = w & 0xfff;
            uint32_t v = ((w >> 16) & 0xff) | ((w >> 4) & 0xf00);
            o0[i] = t0[u];
            o1[i] = t1[v];
            a0 += sext12(u);
            a1 += sext12(v);
        }
        for (; i < k; i++, p += 3) {
            uint32_t u = (uint32_t)p[0] | ((uint32_t)(p[1] & 0x0f) << 8);
            uint32_t v = (uint32_t)p[2] | ((uint32_t)(p[1] & 0xf0) << 4);
            o0[i] = t0[u];
            o1[i] = t1[v];
            a0 += sext12(u);
            a1 += sext12(v);
        }
        sum[0] += a0;
        sum[1] += a1;
        return;
    }
    int64_t n = k * ns, j = 0;
    int q = 0;
    int64_t f = f0;
    for (; j + 2 <= n; j += 2, p += 3) {
        uint32_t u = (uint32_t)p[0] | ((uint32_t)(p[1] & 0x0f) << 8);
        uint32_t v = (uint32_t)p[2] | ((uint32_t)(p[1] & 0xf0) << 4);
        out[q][f] = tab[(size_t)q * 4096 + u];
        sum[q] += sext12(u);
        if (++q == ns) {
            q = 0;
            f++;
        }
        out[q][f] = tab[(size_t)q * 4096 + v];
        sum[q] += sext12(v);
        if (++q == ns) {
            q = 0;
            f++;
        }
    }
    if (j < n) {
        uint32_t u = (uint32_t)p[0] | ((uint32_t)(p[1] & 0x0f) << 8);
        out[q][f] = tab[(size_t)q * 4096 + u];
        sum[q] += sext12(u);
    }
}

static void decode_f32(const unsigned char *p, int64_t k, int ns, int64_t f0, const float *tab,
                       float **out, int64_t *sum)
{
    if (ns == 2) {
        float *o0 = out[0] + f0, *o1 = out[1] + f0;
        const float *t0 = tab, *t1 = tab + 4096;
        int64_t a0 = 0, a1 = 0, i = 0;
#ifdef EO_SIMD212
        i = simd212x2(p, k, 1, t0, t1, o0, o1, sum);
        p += 3 * i;
#endif
        for (; i < k; i++, p += 3) {
            uint32_t u = (uint32_t)p[0] | ((uint32_t)(p[1] & 0x0f) << 8);
            uint32_t v = (uint32_t)p[2] | ((uint32_t)(p[1] & 0xf0) << 4);
            o0[i] = t0[u];
            o1[i] = t1[v];
            a0 += sext12(u);
            a1 += sext12(v);
        }
        sum[0] += a0;
        sum[1] += a1;
        return;
    }
    int64_t n = k * ns, j = 0;
    int q = 0;
    int64_t f = f0;
    for (; j + 2 <= n; j += 2, p += 3) {
        uint32_t u = (uint32_t)p[0] | ((uint32_t)(p[1] & 0x0f) << 8);
        uint32_t v = (uint32_t)p[2] | ((uint32_t)(p[1] & 0xf0) << 4);
        out[q][f] = tab[(size_t)q * 4096 + u];
        sum[q] += sext12(u);
        if (++q == ns) {
            q = 0;
            f++;
        }
        out[q][f] = tab[(size_t)q * 4096 + v];
        sum[q] += sext12(v);
        if (++q == ns) {
            q = 0;
            f++;
        }
    }
    if (j < n) {
        uint32_t u = (uint32_t)p[0] | ((uint32_t)(p[1] & 0x0f) << 8);
        out[q][f] = tab[(size_t)q * 4096 + u];
        sum[q] += sext12(u);
    }
}

/* The fused path; h is the parsed header (kept by the caller). */
static eo_status read_fused(eo_wfdb_reader *rd, const char *hea_path, eo_wfdb_header *h,
                            eo_wfdb_precision prec, eo_error *err)
{
    char dir[4096], path[4200];
    dir_of(hea_path, dir, sizeof dir);
    const eo_wfdb_signal_info *s0 = &h->signals[0];
    int ns = h->n_signals;
    if (eo_path_join(path, sizeof path, dir, s0->file_name))
        return eo_error_set(err, EO_STATUS_USAGE, "%s: signal file path too long", hea_path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return eo_error_set(err, EO_STATUS_NOT_FOUND,
                            "%s: cannot open signal file %s (named in %s)", path, s0->file_name,
                            hea_path);
    struct stat st;
    if (fstat(fd, &st) != 0) {
        close(fd);
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot stat", path);
    }
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    int64_t avail = (int64_t)st.st_size - s0->byte_offset;
    if (avail < 0)
        avail = 0;
    int64_t in_file = eo_wfdb_format_samples(212, avail) / ns;
    int64_t n = h->n_samples >= 0 ? h->n_samples : in_file;
    if (in_file < n) {
        close(fd);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: truncated: %ld frames of format %d need %lld bytes after byte "
                            "offset %ld, the file ends at byte %lld (frame %lld)",
                            path, h->n_samples, 212,
                            (long long)eo_wfdb_format_bytes(212, (int64_t)h->n_samples * ns),
                            s0->byte_offset, (long long)st.st_size, (long long)in_file);
    }
    if (n > ((int64_t)1 << 31)) {
        close(fd);
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "%s: %lld samples per signal is too many to load whole; use the "
                            "streaming reader", hea_path, (long long)n);
    }
    size_t elem = prec == EO_WFDB_F32 ? sizeof(float) : sizeof(double);
    eo_status s = reserve_arrays(rd, ns, ((size_t)n + 1) * elem, path, err);
    if (!s)
        s = reserve_io(rd, (size_t)eo_wfdb_format_bytes(212, (int64_t)CHUNK_FRAMES * ns) + 8,
                       path, err);
    if (s) {
        close(fd);
        return s;
    }
    /* the code tables (see the top of this file) */
    for (int q = 0; q < ns; q++) {
        const eo_wfdb_signal_info *si = &h->signals[q];
        double b = si->baseline, g = si->gain;
        double *t = rd->tab + (size_t)q * 4096;
        float *tf = rd->tabf + (size_t)q * 4096;
        for (uint32_t u = 0; u < 4096; u++) {
            t[u] = u == 0x800 ? NAN : ((double)sext12(u) - b) / g;
            tf[u] = (float)t[u];
        }
    }
    int64_t sum[MAX_FAST_SIGNALS] = {0};
    int64_t first_raw[MAX_FAST_SIGNALS] = {0};
    off_t pos = (off_t)s0->byte_offset;
    for (int64_t f0 = 0; f0 < n; f0 += CHUNK_FRAMES) {
        int64_t k = n - f0 < CHUNK_FRAMES ? n - f0 : CHUNK_FRAMES;
        size_t nb = (size_t)eo_wfdb_format_bytes(212, k * ns), got = 0;
        while (got < nb) {
            ssize_t r = pread(fd, rd->io + got, nb - got, pos + (off_t)got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                close(fd);
                return eo_error_set(err, EO_STATUS_IO, "%s: read failed at byte %lld", path,
                                    (long long)(pos + (off_t)got));
            }
            got += (size_t)r;
        }
        pos += (off_t)nb;
        if (f0 == 0 && k > 0) {
            /* raw first samples, for the initial-value check */
            for (int q = 0; q < ns; q++) {
                const unsigned char *b = rd->io + (q / 2) * 3;
                uint32_t u = q % 2 == 0 ? (uint32_t)b[0] | ((uint32_t)(b[1] & 0x0f) << 8)
                                        : (uint32_t)b[2] | ((uint32_t)(b[1] & 0xf0) << 4);
                first_raw[q] = sext12(u);
            }
        }
        if (prec == EO_WFDB_F32)
            decode_f32(rd->io, k, ns, f0, rd->tabf, rd->f32, sum);
        else
            decode_f64(rd->io, k, ns, f0, rd->tab, rd->f64, sum);
    }
    close(fd);
    if (rd->opt.verify) {
        for (int q = 0; q < ns && n > 0; q++) {
            const eo_wfdb_signal_info *si = &h->signals[q];
            if (si->initial_value_given && first_raw[q] != si->initial_value)
                return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                                    "%s: signal %d (%s): first sample %d, header initial value %d "
                                    "(use --no-verify to read anyway)",
                                    path, q, si->description, (int)first_raw[q],
                                    si->initial_value);
        }
        for (int q = 0; q < ns; q++) {
            const eo_wfdb_signal_info *si = &h->signals[q];
            int cs = (int)(int16_t)(uint16_t)((uint64_t)sum[q] & 0xffff);
            if (si->checksum_given && cs != si->checksum)
                return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                                    "%s: signal %d (%s): checksum of the %lld samples is %d, "
                                    "header says %d (use --no-verify to read anyway)",
                                    hea_path, q, si->description, (long long)n, cs, si->checksum);
        }
    }
    h->n_samples = (long)n;
    return EO_STATUS_OK;
}

/* Any other record: load it whole and convert, signal by signal. */
static eo_status read_general(eo_wfdb_reader *rd, const char *base, eo_wfdb_precision prec,
                              eo_wfdb_header **hout, eo_error *err)
{
    eo_wfdb_record *r = NULL;
    eo_status s = eo_wfdb_record_load(base, &rd->opt, &r, err);
    if (s)
        return s;
    size_t n = (size_t)r->n_samples;
    s = reserve_arrays(rd, r->n_signals, (n + 1) * sizeof(double), base, err);
    for (int q = 0; !s && q < r->n_signals; q++) {
        /* F32: convert in place, double then float, front to back (the
         * float written at i never overtakes the double read at i) */
        s = eo_wfdb_record_physical(r, q, 0, (long)n, rd->f64[q], err);
        if (!s && prec == EO_WFDB_F32) {
            const double *d = rd->f64[q];
            float *f = rd->f32[q];
            for (size_t i = 0; i < n; i++)
                f[i] = (float)d[i];
        }
    }
    if (s) {
        eo_wfdb_record_destroy(r);
        return s;
    }
    *hout = r->header;
    r->header = NULL;
    eo_wfdb_record_destroy(r);
    return EO_STATUS_OK;
}

eo_status eo_wfdb_reader_read_physical(eo_wfdb_reader *rd, const char *base,
                                       eo_wfdb_precision precision, eo_wfdb_physical *out,
                                       eo_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!rd || !base || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "wfdb reader: NULL argument");
    if (precision != EO_WFDB_F64 && precision != EO_WFDB_F32)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: unknown precision %d", base,
                            (int)precision);
    eo_wfdb_header_destroy(rd->h);
    rd->h = NULL;
    char hea[4200];
    if (snprintf(hea, sizeof hea, "%s.hea", base) >= (int)sizeof hea)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: path too long", base);
    size_t len = 0;
    eo_status s = slurp(rd, hea, &len, err);
    if (s)
        return s;
    eo_wfdb_header *h = NULL;
    s = eo_wfdb_header_parse((const char *)rd->io, len, hea, &h, err);
    if (s)
        return s;
    if (fused_eligible(h)) {
        s = read_fused(rd, hea, h, precision, err);
        if (s) {
            eo_wfdb_header_destroy(h);
            return s;
        }
    } else {
        eo_wfdb_header_destroy(h);
        h = NULL;
        s = read_general(rd, base, precision, &h, err);
        if (s)
            return s;
    }
    rd->h = h;
    out->header = h;
    out->n_signals = h->n_signals;
    out->n_samples = h->n_samples;
    out->fs_hz = h->fs_hz;
    out->precision = precision;
    if (precision == EO_WFDB_F32)
        out->f32 = rd->f32;
    else
        out->f64 = rd->f64;
    return EO_STATUS_OK;
}

eo_status eo_wfdb_reader_read_annotations(eo_wfdb_reader *rd, const char *path,
                                          const eo_annotation_set **out, eo_error *err)
{
    if (out)
        *out = NULL;
    if (!rd || !path || !out)
        return eo_error_set(err, EO_STATUS_USAGE, "wfdb reader: NULL argument");
    size_t len = 0;
    eo_status s = slurp(rd, path, &len, err);
    if (!s)
        s = eo_annot_parse_into(rd->ann, rd->io, len, path, err);
    if (s)
        return s;
    *out = rd->ann;
    return EO_STATUS_OK;
}
