/* ecgopt io — reading WFDB records: single-segment records (any mix of
 * signal files and formats, skew, byte offset, samples per frame) and
 * multi-segment records (header(5): a master header listing segments, an
 * optional layout segment of length 0 giving the signal set, and `~` null
 * segments that contribute invalid samples), whole or as a stream of frame
 * blocks.  Checksums and initial values are verified as WFDB's tools do. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ecgopt/alloc.h"
#include "ecgopt/util.h"
#include "io/wfdb_internal.h"

#define CHUNK_FRAMES 8190 /* multiple of 6: 212 pairs and 310/311 triples align */
#define MAX_SKEW 10000000
#define MAX_WINDOW (1 << 25) /* samples held for skew: 128 MiB */
#define MAX_CHUNK_SAMPLES (1 << 20) /* samples decoded at a time */

typedef struct group {
    FILE *fp;
    char path[4096];
    int format;
    int first_sig; /* signals of a file are consecutive in the header */
    int nsig;
    int spf_total; /* samples per frame in this file */
    long byte_offset;
    int64_t frames_in_file; /* -1: unlimited (null signals) */
    unsigned char *buf;
    int32_t *raw;
} group;

typedef struct seg_reader {
    eo_wfdb_header *h;
    char hea_path[4096];
    int nsig;
    long n_frames;
    int verify;
    int ngroups;
    group *groups;
    int *off;  /* per signal: offset of its first sample in a raw frame */
    int F;     /* raw samples per frame, all signals */
    int max_skew;
    int32_t *diff_last; /* format 8 running value per signal */
    int64_t *sum;       /* checksum accumulators */
    int32_t *win;       /* decoded raw frames [win_start, win_start + win_len) */
    long win_start, win_len, win_cap;
    long chunk;   /* frames decoded at a time (multiple of 6) */
    long raw_end; /* frames present in the longest signal file; later ones are invalid */
    long decoded; /* raw frames decoded so far */
    long pos;     /* next output frame */
    int checked;
} seg_reader;

static void seg_close(seg_reader *r)
{
    if (!r)
        return;
    for (int g = 0; g < r->ngroups; g++) {
        if (r->groups[g].fp)
            fclose(r->groups[g].fp);
        free(r->groups[g].buf);
        free(r->groups[g].raw);
    }
    free(r->groups);
    free(r->off);
    free(r->diff_last);
    free(r->sum);
    free(r->win);
    eo_wfdb_header_destroy(r->h);
    free(r);
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

/* Open a single-segment record whose header is already parsed (h is taken). */
static eo_status seg_open(eo_wfdb_header *h, const char *hea_path, int verify, seg_reader **out,
                          eo_error *err)
{
    *out = NULL;
    seg_reader *r = eo_calloc(1, sizeof *r);
    if (!r) {
        eo_wfdb_header_destroy(h);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", hea_path);
    }
    r->h = h;
    snprintf(r->hea_path, sizeof r->hea_path, "%s", hea_path);
    r->nsig = h->n_signals;
    r->verify = verify;
    int ns = h->n_signals;
    char dir[4096];
    dir_of(hea_path, dir, sizeof dir);
    r->off = eo_calloc((size_t)ns + 1, sizeof *r->off);
    r->diff_last = eo_calloc((size_t)ns + 1, sizeof *r->diff_last);
    r->sum = eo_calloc((size_t)ns + 1, sizeof *r->sum);
    r->groups = eo_calloc((size_t)ns + 1, sizeof *r->groups);
    if (!r->off || !r->diff_last || !r->sum || !r->groups) {
        eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", hea_path);
        seg_close(r);
        return EO_STATUS_NO_MEMORY;
    }
    int64_t F = 0;
    for (int s = 0; s < ns; s++) {
        const eo_wfdb_signal_info *si = &h->signals[s];
        r->off[s] = (int)F;
        F += si->samples_per_frame;
        if (F > 1000000) {
            eo_error_set(err, EO_STATUS_UNSUPPORTED,
                                "%s: more than 1000000 samples per frame", hea_path);
            seg_close(r);
            return EO_STATUS_UNSUPPORTED;
        }
        if (si->skew > MAX_SKEW) {
            eo_error_set(err, EO_STATUS_UNSUPPORTED, "%s: signal %d: skew %d above %d",
                                hea_path, s, si->skew, MAX_SKEW);
            seg_close(r);
            return EO_STATUS_UNSUPPORTED;
        }
        if (si->skew > r->max_skew)
            r->max_skew = si->skew;
        r->diff_last[s] = si->initial_value;
        int newgroup = s == 0 || strcmp(si->file_name, h->signals[s - 1].file_name) != 0 ||
                       strcmp(si->file_name, "~") == 0 || si->format == 0;
        if (!newgroup && (si->format != h->signals[s - 1].format ||
                          si->byte_offset != h->signals[s - 1].byte_offset)) {
            eo_error_set(err, EO_STATUS_BAD_FORMAT,
                         "%s: signal %d shares file %s with signal %d but has another format or "
                         "byte offset",
                         hea_path, s, si->file_name, s - 1);
            seg_close(r);
            return EO_STATUS_BAD_FORMAT;
        }
        if (newgroup) {
            /* a file seen earlier but not adjacent is not supported by WFDB either */
            for (int q = 0; q < r->ngroups; q++)
                if (r->groups[q].format != 0 && strcmp(si->file_name, "~") != 0 &&
                    strcmp(h->signals[r->groups[q].first_sig].file_name, si->file_name) == 0) {
                    eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                 "%s: signals of file %s are not consecutive (signal %d)", hea_path,
                                 si->file_name, s);
                    seg_close(r);
                    return EO_STATUS_BAD_FORMAT;
                }
            group *g = &r->groups[r->ngroups++];
            g->first_sig = s;
            g->format = strcmp(si->file_name, "~") == 0 ? 0 : si->format;
            g->byte_offset = si->byte_offset;
            g->frames_in_file = -1;
        }
        r->groups[r->ngroups - 1].nsig++;
        r->groups[r->ngroups - 1].spf_total += si->samples_per_frame;
    }
    r->F = (int)F;
    int64_t nmin = -1;
    {
        /* frames per chunk: CHUNK_FRAMES, less for a short record */
        int64_t nf = h->n_samples >= 0 ? (int64_t)h->n_samples + r->max_skew : CHUNK_FRAMES;
        r->chunk = nf >= CHUNK_FRAMES ? CHUNK_FRAMES : nf < 6 ? 6 : (long)((nf + 5) / 6 * 6);
        /* wide frames (many samples per frame): fewer frames per chunk */
        long by_width = (long)((MAX_CHUNK_SAMPLES / (F > 0 ? F : 1)) / 6 * 6);
        if (by_width < 6)
            by_width = 6;
        if (r->chunk > by_width)
            r->chunk = by_width;
    }
    if ((2.0 * (double)r->chunk + (double)r->max_skew) * (double)F > (double)MAX_WINDOW) {
        eo_error_set(err, EO_STATUS_UNSUPPORTED,
                     "%s: skew %d with %d samples per frame needs a read window over %d samples",
                     hea_path, r->max_skew, (int)F, MAX_WINDOW);
        seg_close(r);
        return EO_STATUS_UNSUPPORTED;
    }
    for (int gi = 0; gi < r->ngroups; gi++) {
        group *g = &r->groups[gi];
        if (g->format == 0)
            continue;
        if (eo_path_join(g->path, sizeof g->path, dir, h->signals[g->first_sig].file_name)) {
            eo_error_set(err, EO_STATUS_USAGE, "%s: signal file path too long", hea_path);
            seg_close(r);
            return EO_STATUS_USAGE;
        }
        g->fp = fopen(g->path, "rb");
        if (!g->fp) {
            eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: cannot open signal file %s (named in %s)",
                         g->path, h->signals[g->first_sig].file_name, hea_path);
            seg_close(r);
            return EO_STATUS_NOT_FOUND;
        }
        struct stat st;
        if (fstat(fileno(g->fp), &st) != 0) {
            eo_error_set(err, EO_STATUS_IO, "%s: cannot stat", g->path);
            seg_close(r);
            return EO_STATUS_IO;
        }
        int64_t avail = (int64_t)st.st_size - g->byte_offset;
        if (avail < 0)
            avail = 0;
        g->frames_in_file = eo_wfdb_format_samples(g->format, avail) / g->spf_total;
        if (h->n_samples >= 0 && g->frames_in_file < h->n_samples) {
            int64_t need = eo_wfdb_format_bytes(g->format, (int64_t)h->n_samples * g->spf_total);
            eo_error_set(err, EO_STATUS_BAD_FORMAT,
                         "%s: truncated: %ld frames of format %d need %lld bytes after byte offset "
                         "%ld, the file ends at byte %lld (frame %lld)",
                         g->path, h->n_samples, g->format, (long long)need, g->byte_offset,
                         (long long)st.st_size, (long long)g->frames_in_file);
            seg_close(r);
            return EO_STATUS_BAD_FORMAT;
        }
        if (nmin < 0 || g->frames_in_file < nmin)
            nmin = g->frames_in_file;
        if (g->byte_offset > 0 && fseek(g->fp, g->byte_offset, SEEK_SET) != 0) {
            eo_error_set(err, EO_STATUS_IO, "%s: cannot seek to byte %ld", g->path,
                                g->byte_offset);
            seg_close(r);
            return EO_STATUS_IO;
        }
        size_t nsamp = (size_t)r->chunk * (size_t)g->spf_total;
        g->buf = eo_malloc((size_t)eo_wfdb_format_bytes(g->format, (int64_t)nsamp) + 8);
        g->raw = eo_malloc(nsamp * sizeof *g->raw);
        if (!g->buf || !g->raw) {
            eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", g->path);
            seg_close(r);
            return EO_STATUS_NO_MEMORY;
        }
    }
    r->n_frames = h->n_samples >= 0 ? h->n_samples : (nmin >= 0 ? (long)nmin : 0);
    for (int gi = 0; gi < r->ngroups; gi++)
        if (r->groups[gi].format != 0 && r->groups[gi].frames_in_file > r->raw_end)
            r->raw_end = (long)r->groups[gi].frames_in_file;
    if (h->n_samples < 0)
        h->n_samples = r->n_frames;
    r->win_cap = 2L * r->chunk + r->max_skew;
    if ((double)r->win_cap * (double)r->F > (double)MAX_WINDOW) {
        eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "%s: skew %d with %d samples per frame needs a read window over %d "
                            "samples",
                            hea_path, r->max_skew, (int)F, MAX_WINDOW);
        seg_close(r);
        return EO_STATUS_UNSUPPORTED;
    }
    if (r->F > 0) {
        r->win = eo_malloc((size_t)r->win_cap * (size_t)r->F * sizeof *r->win);
        if (!r->win) {
            eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", hea_path);
            seg_close(r);
            return EO_STATUS_NO_MEMORY;
        }
    }
    *out = r;
    return EO_STATUS_OK;
}

/* Decode the next chunk of raw frames into the window. */
static eo_status seg_decode_chunk(seg_reader *r, eo_error *err)
{
    long first = r->decoded;
    long nf = r->chunk;
    /* no more than the record needs (a multiple of 6 frames keeps 212 pairs
     * and 310/311 triples aligned for the next chunk) */
    long want = r->n_frames + r->max_skew - first;
    if (want < nf)
        nf = want < 6 ? 6 : (want + 5) / 6 * 6;
    if (r->F == 0) {
        r->decoded += nf;
        return EO_STATUS_OK;
    }
    /* compact: frames before pos are no longer needed */
    if (r->pos > r->win_start) {
        long drop = r->pos - r->win_start;
        if (drop > r->win_len)
            drop = r->win_len;
        memmove(r->win, r->win + (size_t)drop * r->F,
                (size_t)(r->win_len - drop) * (size_t)r->F * sizeof *r->win);
        r->win_start += drop;
        r->win_len -= drop;
    }
    if (r->win_len + nf > r->win_cap)
        return eo_error_set(err, EO_STATUS_INTERNAL, "%s: frame window overflow", r->hea_path);
    int32_t *dst = r->win + (size_t)r->win_len * r->F;
    for (int gi = 0; gi < r->ngroups; gi++) {
        group *g = &r->groups[gi];
        int64_t have = 0; /* frames of this chunk present in the file */
        if (g->format != 0) {
            have = g->frames_in_file - first;
            if (have > nf)
                have = nf;
            if (have < 0)
                have = 0;
            int64_t ns = have * g->spf_total;
            int64_t nb = eo_wfdb_format_bytes(g->format, ns);
            if (nb > 0 && fread(g->buf, 1, (size_t)nb, g->fp) != (size_t)nb)
                return eo_error_set(err, EO_STATUS_IO,
                                    "%s: read failed at byte %lld (file changed while reading?)",
                                    g->path,
                                    (long long)(g->byte_offset +
                                                eo_wfdb_format_bytes(g->format,
                                                                     (int64_t)first * g->spf_total)));
            if (r->ngroups == 1 && g->spf_total == r->F && g->format != 8 && have == nf) {
                /* common case (MIT-BIH): the file's frame layout is the
                 * window's, decode straight into it */
                eo_wfdb_decode(g->format, g->buf, ns, dst);
                int nsg = g->nsig;
                int64_t nck = (int64_t)r->n_frames - first;
                if (nck > nf)
                    nck = nf;
                if (nck < 0)
                    nck = 0;
                int64_t acc[64] = {0};
                if (nsg <= 64) {
                    for (int64_t f = 0; f < nck; f++)
                        for (int q = 0; q < nsg; q++)
                            acc[q] += dst[f * nsg + q];
                    for (int q = 0; q < nsg; q++)
                        r->sum[g->first_sig + q] += acc[q];
                } else {
                    for (int64_t f = 0; f < nck; f++)
                        for (int q = 0; q < nsg; q++)
                            r->sum[g->first_sig + q] += dst[f * nsg + q];
                }
                if (first == 0 && nck > 0 && r->verify)
                    for (int q = 0; q < nsg; q++) {
                        const eo_wfdb_signal_info *si = &r->h->signals[g->first_sig + q];
                        if (si->initial_value_given && dst[q] != si->initial_value)
                            return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                                                "%s: signal %d (%s): first sample %d, header "
                                                "initial value %d (use --no-verify to read "
                                                "anyway)",
                                                g->path, g->first_sig + q, si->description, dst[q],
                                                si->initial_value);
                    }
                int32_t inv0 = eo_wfdb_format_invalid(g->format);
                if (inv0)
                    for (int64_t i = 0; i < ns; i++)
                        dst[i] = dst[i] == inv0 ? EO_WFDB_INVALID : dst[i];
                continue;
            }
            eo_wfdb_decode(g->format, g->buf, ns, g->raw);
        }
        int32_t inv = eo_wfdb_format_invalid(g->format);
        for (int64_t f = 0; f < nf; f++) {
            int32_t *fr = dst + (size_t)f * r->F;
            long fidx = first + (long)f;
            const int32_t *src = g->raw ? g->raw + (size_t)f * g->spf_total : NULL;
            for (int k = 0; k < g->nsig; k++) {
                int s = g->first_sig + k;
                int spf = r->h->signals[s].samples_per_frame;
                int32_t *o = fr + r->off[s];
                if (f >= have) {
                    for (int j = 0; j < spf; j++)
                        o[j] = EO_WFDB_INVALID;
                } else {
                    for (int j = 0; j < spf; j++) {
                        int32_t v = *src++;
                        if (g->format == 8)
                            v = r->diff_last[s] += v;
                        if (fidx < r->n_frames) {
                            if (fidx == 0 && j == 0 && r->verify && g->format != 8 &&
                                r->h->signals[s].initial_value_given &&
                                v != r->h->signals[s].initial_value)
                                return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                                                    "%s: signal %d (%s): first sample %d, header "
                                                    "initial value %d (use --no-verify to read "
                                                    "anyway)",
                                                    g->path, s, r->h->signals[s].description, v,
                                                    r->h->signals[s].initial_value);
                            r->sum[s] += v;
                        }
                        if (inv && v == inv)
                            v = EO_WFDB_INVALID;
                        o[j] = v;
                    }
                }
            }
        }
    }
    r->win_len += nf;
    r->decoded += nf;
    return EO_STATUS_OK;
}

static eo_status seg_verify(seg_reader *r, eo_error *err)
{
    r->checked = 1;
    if (!r->verify)
        return EO_STATUS_OK;
    for (int s = 0; s < r->nsig; s++) {
        const eo_wfdb_signal_info *si = &r->h->signals[s];
        if (!si->checksum_given || si->format == 0 || strcmp(si->file_name, "~") == 0)
            continue;
        int cs = (int)(int16_t)(uint16_t)((uint64_t)r->sum[s] & 0xffff);
        if (cs != si->checksum)
            return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                                "%s: signal %d (%s): checksum of the %ld samples is %d, header says "
                                "%d (use --no-verify to read anyway)",
                                r->hea_path, s, si->description, r->n_frames, cs, si->checksum);
    }
    return EO_STATUS_OK;
}

/* Read up to max frames: either interleaved into inter[i*ostride + ooff + s]
 * or channel-major into chan[ooff+s][cofs + i] (map[s] gives the output
 * signal; -1 drops it). */
static eo_status seg_read(seg_reader *r, long max, int32_t *inter, int ostride, int32_t **chan,
                          long cofs, const int *map, long *n_read, eo_error *err)
{
    *n_read = 0;
    long k = r->n_frames - r->pos;
    if (k > max)
        k = max;
    if (k > r->chunk)
        k = r->chunk;
    /* raw frames past every file hold only invalid samples: never decoded */
    long last_real = r->n_frames < r->raw_end ? r->n_frames : r->raw_end;
    if (k <= 0) {
        if (!r->checked) {
            while (r->decoded < last_real) {
                eo_status st = seg_decode_chunk(r, err);
                if (st)
                    return st;
            }
            return seg_verify(r, err);
        }
        return EO_STATUS_OK;
    }
    long need = r->pos + k + r->max_skew;
    if (need > r->raw_end)
        need = r->raw_end;
    while (r->decoded < need) {
        eo_status st = seg_decode_chunk(r, err);
        if (st)
            return st;
    }
    if (r->F == 0)
        goto advanced; /* no signals: frames without samples */
    if (r->max_skew == 0 && r->F == r->nsig && r->decoded >= r->pos + k) {
        /* no skew, one sample per frame: plain (de)interleave */
        const int32_t *w = r->win + (size_t)(r->pos - r->win_start) * r->F;
        int F = r->F;
        if (inter && !map && ostride == F) {
            memcpy(inter, w, (size_t)k * (size_t)F * sizeof *w);
        } else {
            for (int s = 0; s < r->nsig; s++) {
                int os = map ? map[s] : s;
                if (os < 0)
                    continue;
                if (inter) {
                    for (long i = 0; i < k; i++)
                        inter[(size_t)i * (size_t)ostride + (size_t)os] = w[(size_t)i * F + s];
                } else {
                    int32_t *o = chan[os] + cofs;
                    for (long i = 0; i < k; i++)
                        o[i] = w[(size_t)i * F + s];
                }
            }
        }
        goto advanced;
    }
    for (long i = 0; i < k; i++) {
        for (int s = 0; s < r->nsig; s++) {
            int os = map ? map[s] : s;
            if (os < 0)
                continue;
            const eo_wfdb_signal_info *si = &r->h->signals[s];
            long rf = r->pos + i + si->skew - r->win_start;
            const int32_t *p = NULL;
            int32_t v;
            if (r->pos + i + si->skew >= r->decoded) {
                v = EO_WFDB_INVALID; /* past the end of every file */
            } else if (si->samples_per_frame == 1) {
                p = r->win + (size_t)rf * r->F + r->off[s];
                v = p[0];
            } else {
                p = r->win + (size_t)rf * r->F + r->off[s];
                /* WFDB getvec() in low-resolution mode: the mean of the
                 * frame's samples of the signal */
                int64_t acc = 0;
                int bad = 0;
                for (int j = 0; j < si->samples_per_frame; j++) {
                    if (p[j] == EO_WFDB_INVALID)
                        bad = 1;
                    acc += p[j];
                }
                v = bad ? EO_WFDB_INVALID : (int32_t)(acc / si->samples_per_frame);
            }
            if (inter)
                inter[(size_t)i * (size_t)ostride + (size_t)os] = v;
            else
                chan[os][cofs + i] = v;
        }
    }
advanced:
    r->pos += k;
    *n_read = k;
    if (r->pos == r->n_frames && !r->checked) {
        while (r->decoded < last_real) {
            eo_status st = seg_decode_chunk(r, err);
            if (st)
                return st;
        }
        return seg_verify(r, err);
    }
    return EO_STATUS_OK;
}

/* ---- streams (single or multi-segment) --------------------------------- */

struct eo_wfdb_stream {
    eo_wfdb_header *h; /* merged view returned to callers */
    eo_wfdb_header *master;
    char base[4096];
    char dir[4096];
    int verify;
    seg_reader *single;
    /* multi-segment */
    int seg;          /* current segment index */
    seg_reader *cur;  /* open data segment or NULL */
    long seg_left;    /* frames left in current null segment */
    int *map;         /* current segment's signal -> output signal */
    int32_t *scratch; /* unused */
};

void eo_wfdb_read_defaults(eo_wfdb_read_options *o)
{
    o->verify = 1;
}

const eo_wfdb_header *eo_wfdb_stream_header(const eo_wfdb_stream *s)
{
    return s ? s->h : NULL;
}

void eo_wfdb_stream_close(eo_wfdb_stream *s)
{
    if (!s)
        return;
    if (s->single) {
        s->single->h = NULL; /* s->h owns it */
        seg_close(s->single);
    }
    seg_close(s->cur);
    eo_wfdb_header_destroy(s->h);
    eo_wfdb_header_destroy(s->master);
    free(s->map);
    free(s);
}

static eo_status read_header_at(const char *dir, const char *name, eo_wfdb_header **h, char *path,
                                size_t pn, eo_error *err)
{
    char file[512];
    snprintf(file, sizeof file, "%s.hea", name);
    if (eo_path_join(path, pn, dir, file))
        return eo_error_set(err, EO_STATUS_USAGE, "%s: path too long", name);
    return eo_wfdb_header_read(path, h, err);
}

eo_status eo_wfdb_stream_open(const char *base, const eo_wfdb_read_options *opt,
                              eo_wfdb_stream **out, eo_error *err)
{
    *out = NULL;
    eo_wfdb_read_options def;
    if (!opt) {
        eo_wfdb_read_defaults(&def);
        opt = &def;
    }
    char hea[4200];
    snprintf(hea, sizeof hea, "%s.hea", base);
    eo_wfdb_header *h;
    eo_status st = eo_wfdb_header_read(hea, &h, err);
    if (st)
        return st;
    eo_wfdb_stream *s = eo_calloc(1, sizeof *s);
    if (!s) {
        eo_wfdb_header_destroy(h);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", hea);
    }
    snprintf(s->base, sizeof s->base, "%s", base);
    dir_of(hea, s->dir, sizeof s->dir);
    s->verify = opt->verify;
    if (h->n_segments == 0) {
        st = seg_open(h, hea, opt->verify, &s->single, err);
        if (st) {
            free(s);
            return st;
        }
        s->h = s->single->h;
        *out = s;
        return EO_STATUS_OK;
    }
    /* multi-segment: the merged header takes its signals from the layout
     * segment (first segment, length 0) or else from the first data segment */
    s->master = h;
    eo_wfdb_header *lay = NULL;
    char lpath[4200];
    for (int i = 0; i < h->n_segments && !lay; i++) {
        if (strcmp(h->segments[i].record_name, "~") == 0)
            continue;
        if (i > 0 && h->segments[0].n_samples == 0 && strcmp(h->segments[0].record_name, "~"))
            break;
        st = read_header_at(s->dir, h->segments[i].record_name, &lay, lpath, sizeof lpath, err);
        if (st) {
            eo_wfdb_stream_close(s);
            return st;
        }
        if (lay->n_segments > 0) {
            eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: a segment may not itself be multi-segment",
                         lpath);
            eo_wfdb_header_destroy(lay);
            eo_wfdb_stream_close(s);
            return EO_STATUS_BAD_FORMAT;
        }
    }
    s->h = lay ? lay : eo_wfdb_header_alloc(0);
    if (!s->h) {
        eo_wfdb_stream_close(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", hea);
    }
    if (s->h->n_signals != h->n_signals) {
        eo_error_set(err, EO_STATUS_BAD_FORMAT,
                     "%s: record has %d signals but its layout segment %s has %d", hea,
                     h->n_signals, lay ? lay->record_name : "(none)", s->h->n_signals);
        eo_wfdb_stream_close(s);
        return EO_STATUS_BAD_FORMAT;
    }
    long total = 0;
    for (int i = 0; i < h->n_segments; i++)
        total += h->segments[i].n_samples;
    if (h->n_samples >= 0 && h->n_samples != total) {
        eo_error_set(err, EO_STATUS_BAD_FORMAT,
                     "%s: segment lengths add up to %ld samples, the record line says %ld", hea,
                     total, h->n_samples);
        eo_wfdb_stream_close(s);
        return EO_STATUS_BAD_FORMAT;
    }
    snprintf(s->h->record_name, sizeof s->h->record_name, "%s", h->record_name);
    s->h->n_segments = 0; /* merged view is a flat record */
    s->h->fs_hz = h->fs_hz;
    s->h->counter_freq = h->counter_freq;
    s->h->base_counter = h->base_counter;
    snprintf(s->h->base_time, sizeof s->h->base_time, "%s", h->base_time);
    snprintf(s->h->base_date, sizeof s->h->base_date, "%s", h->base_date);
    s->h->n_samples = h->n_samples >= 0 ? h->n_samples : total;
    for (int i = 0; i < s->h->n_signals; i++) {
        /* the samples come from the segments; checksums are verified there */
        s->h->signals[i].checksum_given = 0;
        s->h->signals[i].initial_value_given = 0;
    }
    s->map = eo_calloc((size_t)s->h->n_signals + 1, sizeof *s->map);
    if (!s->map) {
        eo_wfdb_stream_close(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", hea);
    }
    s->seg = -1;
    *out = s;
    return EO_STATUS_OK;
}

/* Advance to the next segment with frames left. */
static eo_status next_segment(eo_wfdb_stream *s, eo_error *err)
{
    seg_close(s->cur);
    s->cur = NULL;
    s->seg_left = 0;
    while (++s->seg < s->master->n_segments) {
        const eo_wfdb_segment *sg = &s->master->segments[s->seg];
        if (sg->n_samples == 0)
            continue; /* layout segment */
        if (strcmp(sg->record_name, "~") == 0) {
            s->seg_left = sg->n_samples;
            return EO_STATUS_OK;
        }
        eo_wfdb_header *h;
        char p[4200];
        eo_status st = read_header_at(s->dir, sg->record_name, &h, p, sizeof p, err);
        if (st)
            return st;
        if (h->n_segments > 0) {
            eo_wfdb_header_destroy(h);
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: a segment may not itself be multi-segment", p);
        }
        if (h->n_samples >= 0 && h->n_samples != sg->n_samples) {
            eo_error_set(err, EO_STATUS_BAD_FORMAT,
                         "%s: segment has %ld samples, the master header %s.hea says %ld", p,
                         h->n_samples, s->master->record_name, sg->n_samples);
            eo_wfdb_header_destroy(h);
            return EO_STATUS_BAD_FORMAT;
        }
        if (h->n_samples < 0)
            h->n_samples = sg->n_samples;
        st = seg_open(h, p, s->verify, &s->cur, err);
        if (st)
            return st;
        free(s->map);
        s->map = eo_malloc(((size_t)s->cur->nsig + 1) * sizeof *s->map);
        if (!s->map)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", p);
        for (int k = 0; k < s->cur->nsig; k++) {
            /* variable layout: match by description; fixed layout: by index */
            int o = eo_wfdb_find_signal(s->h, s->cur->h->signals[k].description);
            if (o < 0 && k < s->h->n_signals && s->cur->h->signals[k].description[0] == 0)
                o = k;
            s->map[k] = o;
        }
        return EO_STATUS_OK;
    }
    return EO_STATUS_OK;
}

static eo_status stream_read_any(eo_wfdb_stream *s, long max, int32_t *inter, int32_t **chan,
                                 long cofs, long *n_read, eo_error *err)
{
    *n_read = 0;
    if (max <= 0)
        return EO_STATUS_OK;
    if (s->single)
        return seg_read(s->single, max, inter, s->h->n_signals, chan, cofs, NULL, n_read, err);
    int ns = s->h->n_signals;
    for (;;) {
        if (s->cur) {
            long k;
            /* segments may lack some signals: fill the frame with invalid first */
            long want = max;
            if (want > CHUNK_FRAMES)
                want = CHUNK_FRAMES;
            long left = s->cur->n_frames - s->cur->pos;
            if (want > left)
                want = left;
            for (long i = 0; i < want; i++)
                for (int q = 0; q < ns; q++) {
                    if (inter)
                        inter[(size_t)i * ns + q] = EO_WFDB_INVALID;
                    else
                        chan[q][cofs + i] = EO_WFDB_INVALID;
                }
            eo_status st = seg_read(s->cur, want, inter, ns, chan, cofs, s->map, &k, err);
            if (st)
                return st;
            if (k > 0) {
                *n_read = k;
                return EO_STATUS_OK;
            }
        } else if (s->seg_left > 0) {
            long k = s->seg_left < max ? s->seg_left : max;
            for (long i = 0; i < k; i++)
                for (int q = 0; q < ns; q++) {
                    if (inter)
                        inter[(size_t)i * ns + q] = EO_WFDB_INVALID;
                    else
                        chan[q][cofs + i] = EO_WFDB_INVALID;
                }
            s->seg_left -= k;
            *n_read = k;
            return EO_STATUS_OK;
        } else if (s->seg >= s->master->n_segments) {
            return EO_STATUS_OK;
        }
        eo_status st = next_segment(s, err);
        if (st)
            return st;
        if (!s->cur && s->seg_left == 0 && s->seg >= s->master->n_segments)
            return EO_STATUS_OK;
    }
}

eo_status eo_wfdb_stream_read(eo_wfdb_stream *s, int32_t *out, long max_frames, long *n_read,
                              eo_error *err)
{
    return stream_read_any(s, max_frames, out, NULL, 0, n_read, err);
}

void eo_wfdb_record_destroy(eo_wfdb_record *r)
{
    if (!r)
        return;
    if (r->adu)
        for (int i = 0; i < r->n_signals; i++)
            free(r->adu[i]);
    free(r->adu);
    eo_wfdb_header_destroy(r->header);
    free(r);
}


/* ---- fast whole-record load -------------------------------------------
 * The common layout (MIT-BIH, NSTDB, what eo_wfdb_record_write produces):
 * one file holding every signal in format 212 or 16, one sample per frame,
 * no skew.  Read the file in one go and decode straight into the channel
 * arrays, checksums and initial values in the same pass. */
static int fast_eligible(const eo_wfdb_header *h)
{
    if (h->n_segments > 0 || h->n_signals < 1 || h->n_signals > 64)
        return 0;
    const eo_wfdb_signal_info *s0 = &h->signals[0];
    if ((s0->format != 212 && s0->format != 16) || strcmp(s0->file_name, "~") == 0)
        return 0;
    for (int i = 0; i < h->n_signals; i++) {
        const eo_wfdb_signal_info *si = &h->signals[i];
        if (si->format != s0->format || si->samples_per_frame != 1 || si->skew != 0 ||
            si->byte_offset != s0->byte_offset || strcmp(si->file_name, s0->file_name) != 0)
            return 0;
    }
    return 1;
}

static eo_status fast_load(const char *hea_path, eo_wfdb_header *h, int verify,
                           eo_wfdb_record **out, eo_error *err)
{
    char dir[4096], path[4200];
    dir_of(hea_path, dir, sizeof dir);
    const eo_wfdb_signal_info *s0 = &h->signals[0];
    int ns = h->n_signals, fmt = s0->format;
    if (eo_path_join(path, sizeof path, dir, s0->file_name))
        return eo_error_set(err, EO_STATUS_USAGE, "%s: signal file path too long", hea_path);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return eo_error_set(err, EO_STATUS_NOT_FOUND, "%s: cannot open signal file %s (named in %s)",
                            path, s0->file_name, hea_path);
    struct stat st;
    if (fstat(fileno(fp), &st) != 0) {
        fclose(fp);
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot stat", path);
    }
    int64_t avail = (int64_t)st.st_size - s0->byte_offset;
    if (avail < 0)
        avail = 0;
    int64_t in_file = eo_wfdb_format_samples(fmt, avail) / ns;
    int64_t n = h->n_samples >= 0 ? h->n_samples : in_file;
    if (in_file < n) {
        fclose(fp);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: truncated: %ld frames of format %d need %lld bytes after byte "
                            "offset %ld, the file ends at byte %lld (frame %lld)",
                            path, h->n_samples, fmt,
                            (long long)eo_wfdb_format_bytes(fmt, (int64_t)h->n_samples * ns),
                            s0->byte_offset, (long long)st.st_size, (long long)in_file);
    }
    if (n > ((int64_t)1 << 31)) {
        fclose(fp);
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "%s: %lld samples per signal is too many to load whole; use the "
                            "streaming reader", hea_path, (long long)n);
    }
    /* read in blocks of BLK frames through one small buffer (BLK * ns is
     * even, so 212 pairs never straddle blocks) */
    enum { BLK = 8192 };
    size_t blk_bytes = (size_t)eo_wfdb_format_bytes(fmt, (int64_t)BLK * ns);
    eo_wfdb_record *r = eo_calloc(1, sizeof *r);
    unsigned char *buf = eo_malloc(blk_bytes + 8);
    int32_t *tmp = eo_malloc((size_t)BLK * (size_t)ns * sizeof *tmp);
    if (r)
        r->adu = eo_calloc((size_t)ns, sizeof *r->adu);
    int ok = r && buf && tmp && r->adu;
    for (int q = 0; ok && q < ns; q++)
        ok = (r->adu[q] = eo_malloc(((size_t)n + 1) * sizeof **r->adu)) != NULL;
    if (r)
        r->n_signals = ns;
    if (!ok) {
        fclose(fp);
        free(buf);
        free(tmp);
        eo_wfdb_record_destroy(r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    }
    if (s0->byte_offset > 0 && fseek(fp, s0->byte_offset, SEEK_SET) != 0) {
        fclose(fp);
        free(buf);
        free(tmp);
        eo_wfdb_record_destroy(r);
        return eo_error_set(err, EO_STATUS_IO, "%s: cannot seek to byte %ld", path, s0->byte_offset);
    }
    int64_t sum[64] = {0};
    int32_t inv = eo_wfdb_format_invalid(fmt);
    for (int64_t f0 = 0; f0 < n; f0 += BLK) {
        int64_t k = n - f0 < BLK ? n - f0 : BLK;
        size_t nb = (size_t)eo_wfdb_format_bytes(fmt, k * ns);
        if (fread(buf, 1, nb, fp) != nb) {
            fclose(fp);
            free(buf);
            free(tmp);
            eo_wfdb_record_destroy(r);
            return eo_error_set(err, EO_STATUS_IO, "%s: read failed at byte %lld", path,
                                (long long)(s0->byte_offset + eo_wfdb_format_bytes(fmt, f0 * ns)));
        }
        if (fmt == 212 && ns == 2) {
            int32_t *a = r->adu[0] + f0, *b = r->adu[1] + f0;
            const unsigned char *p = buf;
            int64_t sa = 0, sb = 0;
            for (int64_t i = 0; i < k; i++, p += 3) {
                int32_t x = (int32_t)(((uint32_t)p[0] | ((uint32_t)(p[1] & 0x0f) << 8)) << 20) >> 20;
                int32_t y = (int32_t)(((uint32_t)p[2] | ((uint32_t)(p[1] & 0xf0) << 4)) << 20) >> 20;
                sa += x;
                sb += y;
                a[i] = x == -2048 ? EO_WFDB_INVALID : x;
                b[i] = y == -2048 ? EO_WFDB_INVALID : y;
            }
            sum[0] += sa;
            sum[1] += sb;
            continue;
        }
        eo_wfdb_decode(fmt, buf, k * ns, tmp);
        for (int q = 0; q < ns; q++) {
            int32_t *o = r->adu[q] + f0;
            int64_t acc = 0;
            for (int64_t i = 0; i < k; i++) {
                int32_t v = tmp[i * ns + q];
                acc += v;
                o[i] = (inv && v == inv) ? EO_WFDB_INVALID : v;
            }
            sum[q] += acc;
        }
    }
    fclose(fp);
    free(tmp);
    free(buf);
    if (verify) {
        for (int q = 0; q < ns && n > 0; q++) {
            const eo_wfdb_signal_info *si = &h->signals[q];
            int32_t first = r->adu[q][0] == EO_WFDB_INVALID && fmt == 212 ? -2048 : r->adu[q][0];
            if (si->initial_value_given && first != si->initial_value) {
                eo_wfdb_record_destroy(r);
                return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                                    "%s: signal %d (%s): first sample %d, header initial value %d "
                                    "(use --no-verify to read anyway)",
                                    path, q, si->description, first, si->initial_value);
            }
        }
        for (int q = 0; q < ns; q++) {
            const eo_wfdb_signal_info *si = &h->signals[q];
            int cs = (int)(int16_t)(uint16_t)((uint64_t)sum[q] & 0xffff);
            if (si->checksum_given && cs != si->checksum) {
                eo_wfdb_record_destroy(r);
                return eo_error_set(err, EO_STATUS_BAD_CHECKSUM,
                                    "%s: signal %d (%s): checksum of the %lld samples is %d, "
                                    "header says %d (use --no-verify to read anyway)",
                                    hea_path, q, si->description, (long long)n, cs, si->checksum);
            }
        }
    }
    h->n_samples = (long)n;
    r->header = h;
    r->n_samples = (long)n;
    r->fs_hz = h->fs_hz;
    *out = r;
    return EO_STATUS_OK;
}

eo_status eo_wfdb_record_load(const char *base, const eo_wfdb_read_options *opt,
                              eo_wfdb_record **out, eo_error *err)
{
    *out = NULL;
    {
        char hea[4200];
        snprintf(hea, sizeof hea, "%s.hea", base);
        eo_wfdb_header *h = NULL;
        eo_status st = eo_wfdb_header_read(hea, &h, err);
        if (st)
            return st;
        if (fast_eligible(h)) {
            st = fast_load(hea, h, opt ? opt->verify : 1, out, err);
            if (st)
                eo_wfdb_header_destroy(h);
            return st;
        }
        eo_wfdb_header_destroy(h);
    }
    eo_wfdb_stream *s;
    eo_status st = eo_wfdb_stream_open(base, opt, &s, err);
    if (st)
        return st;
    eo_wfdb_record *r = eo_calloc(1, sizeof *r);
    if (!r) {
        eo_wfdb_stream_close(s);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", base);
    }
    r->n_signals = s->h->n_signals;
    r->n_samples = s->h->n_samples;
    r->fs_hz = s->h->fs_hz;
    if (r->n_samples < 0 || (r->n_signals > 0 && (uint64_t)r->n_samples > ((uint64_t)1 << 31))) {
        long ns_too_many = r->n_samples; /* r is freed before the message is made */
        eo_wfdb_stream_close(s);
        eo_wfdb_record_destroy(r);
        return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                            "%s: %ld samples per signal is too many to load whole; use the "
                            "streaming reader", base, ns_too_many);
    }
    r->adu = eo_calloc((size_t)r->n_signals + 1, sizeof *r->adu);
    if (!r->adu)
        goto oom;
    for (int i = 0; i < r->n_signals; i++) {
        r->adu[i] = eo_malloc(((size_t)r->n_samples + 1) * sizeof **r->adu);
        if (!r->adu[i])
            goto oom;
    }
    long done = 0;
    for (;;) {
        long k;
        st = stream_read_any(s, r->n_samples - done > 0 ? r->n_samples - done : 1, NULL, r->adu,
                             done, &k, err);
        if (st) {
            eo_wfdb_stream_close(s);
            eo_wfdb_record_destroy(r);
            return st;
        }
        if (k == 0)
            break;
        done += k;
        if (done > r->n_samples) {
            eo_wfdb_stream_close(s);
            eo_wfdb_record_destroy(r);
            return eo_error_set(err, EO_STATUS_INTERNAL, "%s: more frames than declared", base);
        }
    }
    if (done != r->n_samples) {
        long want = r->n_samples;
        eo_wfdb_stream_close(s);
        eo_wfdb_record_destroy(r);
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %ld frames read, header says %ld", base,
                            done, want);
    }
    r->header = eo_wfdb_header_dup(s->h);
    eo_wfdb_stream_close(s);
    if (!r->header) {
        eo_wfdb_record_destroy(r);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", base);
    }
    *out = r;
    return EO_STATUS_OK;
oom:
    eo_wfdb_stream_close(s);
    eo_wfdb_record_destroy(r);
    return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", base);
}

eo_status eo_wfdb_record_physical(const eo_wfdb_record *r, int signal, long start, long count,
                                  double *out, eo_error *err)
{
    if (!r || signal < 0 || signal >= r->n_signals)
        return eo_error_set(err, EO_STATUS_USAGE, "record %s: no signal %d",
                            r && r->header ? r->header->record_name : "?", signal);
    if (start < 0 || count < 0 || start > r->n_samples || count > r->n_samples - start)
        return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                            "record %s: samples [%ld, %ld) outside [0, %ld)", r->header->record_name,
                            start, start + count, r->n_samples);
    const eo_wfdb_signal_info *si = &r->header->signals[signal];
    const int32_t *a = r->adu[signal] + start;
    double b = si->baseline, g = si->gain;
    /* (adu - baseline) / gain exactly as WFDB's aduphys(), four lanes at a
     * time (the same IEEE operations per lane, so the same results), then
     * the invalid samples become NaN */
    typedef double v4d __attribute__((vector_size(32)));
    const v4d vb = {b, b, b, b}, vg = {g, g, g, g};
    long i = 0;
    for (; i + 4 <= count; i += 4) {
        v4d x = {(double)a[i], (double)a[i + 1], (double)a[i + 2], (double)a[i + 3]};
        v4d y = (x - vb) / vg;
        memcpy(out + i, &y, sizeof y);
    }
    for (; i < count; i++)
        out[i] = ((double)a[i] - b) / g;
    for (i = 0; i < count; i++)
        if (a[i] == EO_WFDB_INVALID)
            out[i] = NAN;
    return EO_STATUS_OK;
}

eo_status eo_wfdb_load_physical(const char *base, int signal, long start, long count, int verify,
                                double **out, long *n, eo_error *err)
{
    *out = NULL;
    *n = 0;
    eo_wfdb_read_options ro;
    eo_wfdb_read_defaults(&ro);
    ro.verify = verify;
    eo_wfdb_record *r = NULL;
    eo_status st = eo_wfdb_record_load(base, &ro, &r, err);
    if (st)
        return st;
    if (count < 0)
        count = r->n_samples - start;
    if (start < 0 || count < 1 || start > r->n_samples || count > r->n_samples - start) {
        st = eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: %ld samples, need samples [%ld, %ld)", base,
                          r->n_samples, start, start + (count > 0 ? count : 1));
    } else {
        *out = malloc((size_t)count * sizeof **out);
        if (!*out)
            st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory for %ld samples", base, count);
        else
            st = eo_wfdb_record_physical(r, signal, start, count, *out, err);
        if (st) {
            free(*out);
            *out = NULL;
        } else {
            *n = count;
        }
    }
    eo_wfdb_record_destroy(r);
    return st;
}
