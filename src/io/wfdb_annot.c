/* ecgopt io — MIT-format annotation files, as annot(5) of the WFDB Software
 * Package defines them: a stream of little-endian 16-bit words whose top 6
 * bits are the code A and low 10 bits the value I.
 *   A 1..58, I = time since the previous annotation (frames)
 *   SKIP (59): the next 4 bytes are a 32-bit interval, high 16-bit word first
 *              (PDP-11 order), added to the time; the following annotation
 *              word then carries I = 0
 *   NUM (60), SUB (61), CHN (62): set num / subtyp / chan of the annotation
 *              just read; num and chan carry over to later annotations
 *   AUX (63): I bytes of auxiliary data follow, padded to an even count
 *   A = 0, I = 0: end of file.
 * Code table and isqrs() follow ecgcodes.h and annot.c of WFDB 10.7. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/util.h"
#include "io/wfdb_internal.h"

#define A_SKIP 59
#define A_NUM 60
#define A_SUB 61
#define A_CHN 62
#define A_AUX 63

static const struct {
    const char *sym;
    const char *desc;
} CODES[50] = {
    {"", "not-QRS (0)"},
    {"N", "Normal beat"},
    {"L", "Left bundle branch block beat"},
    {"R", "Right bundle branch block beat"},
    {"a", "Aberrated atrial premature beat"},
    {"V", "Premature ventricular contraction"},
    {"F", "Fusion of ventricular and normal beat"},
    {"J", "Nodal (junctional) premature beat"},
    {"A", "Atrial premature contraction"},
    {"S", "Premature or ectopic supraventricular beat"},
    {"E", "Ventricular escape beat"},
    {"j", "Nodal (junctional) escape beat"},
    {"/", "Paced beat"},
    {"Q", "Unclassifiable beat"},
    {"~", "Signal quality change"},
    {"", ""},
    {"|", "Isolated QRS-like artifact"},
    {"", ""},
    {"s", "ST change"},
    {"T", "T-wave change"},
    {"*", "Systole"},
    {"D", "Diastole"},
    {"\"", "Comment annotation"},
    {"=", "Measurement annotation"},
    {"p", "P-wave peak"},
    {"B", "Left or right bundle branch block"},
    {"^", "Non-conducted pacer spike"},
    {"t", "T-wave peak"},
    {"+", "Rhythm change"},
    {"u", "U-wave peak"},
    {"?", "Learning"},
    {"!", "Ventricular flutter wave"},
    {"[", "Start of ventricular flutter/fibrillation"},
    {"]", "End of ventricular flutter/fibrillation"},
    {"e", "Atrial escape beat"},
    {"n", "Supraventricular escape beat"},
    {"@", "Link to external data"},
    {"x", "Non-conducted P-wave (blocked APB)"},
    {"f", "Fusion of paced and normal beat"},
    {"(", "Waveform onset"},
    {")", "Waveform end"},
    {"r", "R-on-T premature ventricular contraction"},
    {"", ""}, {"", ""}, {"", ""}, {"", ""}, {"", ""}, {"", ""}, {"", ""},
    {"", ""},
};

const char *eo_annot_code_symbol(int code)
{
    return (code >= 0 && code < 50) ? CODES[code].sym : "";
}

const char *eo_annot_code_description(int code)
{
    return (code >= 0 && code < 50) ? CODES[code].desc : "";
}

int eo_annot_code_from_symbol(const char *sym)
{
    if (!sym || !*sym)
        return -1;
    for (int c = 1; c < 50; c++)
        if (CODES[c].sym[0] && strcmp(CODES[c].sym, sym) == 0)
            return c;
    /* older mnemonics of WFON/WFOFF (PQ, JPT) */
    if (strcmp(sym, "`") == 0)
        return 39;
    if (strcmp(sym, "'") == 0)
        return 40;
    return -1;
}

int eo_annot_is_beat(int code)
{
    /* qrs[] of WFDB annot.c: NORMAL..UNKNOWN, BBB, LEARN, AESC, SVESC, PFUS, RONT */
    return (code >= 1 && code <= 13) || code == 25 || code == 30 || code == 34 || code == 35 ||
           code == 38 || code == 41;
}

eo_aami_class eo_annot_aami_class(int code)
{
    /* ANSI/AAMI EC57:1998 table 1 (as used by de Chazal et al. 2004); the
     * rare codes n (SVESC) -> S, B -> N, r -> V and ? -> Q follow EC57's
     * superclasses for the labels that standard does not list by symbol. */
    switch (code) {
    case 1: case 2: case 3: case 34: case 11: case 25: return EO_AAMI_N;
    case 8: case 4: case 7: case 9: case 35: return EO_AAMI_S;
    case 5: case 10: case 41: return EO_AAMI_V;
    case 6: return EO_AAMI_F;
    case 12: case 38: case 13: case 30: return EO_AAMI_Q;
    default: return EO_AAMI_NONE;
    }
}

void eo_annot_count(const eo_annotation_set *a, eo_annot_counts *out)
{
    memset(out, 0, sizeof *out);
    if (!a)
        return;
    out->total = (long)a->n;
    for (size_t i = 0; i < a->n; i++) {
        int code = a->items[i].code;
        if (code >= 0 && code < 64)
            out->by_code[code]++;
        out->beats += eo_annot_is_beat(code);
        eo_aami_class cl = eo_annot_aami_class(code);
        if (cl != EO_AAMI_NONE)
            out->by_aami[cl]++;
    }
}

const char *eo_aami_class_name(eo_aami_class c)
{
    switch (c) {
    case EO_AAMI_N: return "N";
    case EO_AAMI_S: return "S";
    case EO_AAMI_V: return "V";
    case EO_AAMI_F: return "F";
    case EO_AAMI_Q: return "Q";
    default: return "";
    }
}

eo_annotation_set *eo_annot_set_new(void)
{
    return eo_calloc(1, sizeof(eo_annotation_set));
}

void eo_annot_set_destroy(eo_annotation_set *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++)
        free(a->items[i].aux);
    free(a->items);
    free(a);
}

eo_status eo_annot_set_push(eo_annotation_set *a, const eo_annotation *item, eo_error *err)
{
    if (!a || !item)
        return eo_error_set(err, EO_STATUS_USAGE, "annotation set: NULL argument");
    if (a->n == a->cap) {
        size_t nc = a->cap ? a->cap * 2 : 256;
        eo_annotation *p = eo_realloc(a->items, nc * sizeof *p);
        if (!p)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "annotation set: out of memory");
        a->items = p;
        a->cap = nc;
    }
    eo_annotation it = *item;
    it.aux = NULL;
    if (item->aux) {
        int len = item->aux_len > 0 ? item->aux_len : (int)strlen(item->aux);
        if (len > 1023)
            len = 1023;
        it.aux = eo_malloc((size_t)len + 1);
        if (!it.aux)
            return eo_error_set(err, EO_STATUS_NO_MEMORY, "annotation set: out of memory");
        memcpy(it.aux, item->aux, (size_t)len);
        it.aux[len] = 0;
        it.aux_len = len;
    } else {
        it.aux_len = 0;
    }
    a->items[a->n++] = it;
    return EO_STATUS_OK;
}

static void annot_set_clear(eo_annotation_set *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->items[i].aux);
    a->n = 0;
}

eo_status eo_annot_parse(const unsigned char *d, size_t len, const char *source,
                         eo_annotation_set **out, eo_error *err)
{
    const char *src = source ? source : "annotations";
    *out = NULL;
    eo_annotation_set *a = eo_annot_set_new();
    if (!a)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", src);
    eo_status st = eo_annot_parse_into(a, d, len, source, err);
    if (st) {
        eo_annot_set_destroy(a);
        return st;
    }
    *out = a;
    return EO_STATUS_OK;
}

eo_status eo_annot_parse_into(eo_annotation_set *a, const unsigned char *d, size_t len,
                              const char *source, eo_error *err)
{
    const char *src = source ? source : "annotations";
    if (!a || (!d && len > 0))
        return eo_error_set(err, EO_STATUS_USAGE, "%s: NULL argument", src);
    annot_set_clear(a);
    long long t = 0;
    int num = 0, chan = 0;
    eo_annotation *last = NULL;
    size_t p = 0;
    eo_status st;
    for (;;) {
        if (p == len)
            break; /* no end marker: tolerated, as WFDB's getann() */
        if (p + 1 == len) {
            st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                              "%s: byte %zu: file cut in the middle of a 16-bit word", src, p);
            goto fail;
        }
        unsigned w = (unsigned)d[p] | ((unsigned)d[p + 1] << 8);
        size_t at = p;
        p += 2;
        int A = (int)(w >> 10), I = (int)(w & 0x3ff);
        if (A == 0 && I == 0)
            break;
        switch (A) {
        case A_SKIP: {
            if (p + 4 > len) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s: byte %zu: SKIP needs 4 more bytes, file has %zu", src, at,
                                  len - p);
                goto fail;
            }
            uint32_t hiw = (uint32_t)d[p] | ((uint32_t)d[p + 1] << 8);
            uint32_t low = (uint32_t)d[p + 2] | ((uint32_t)d[p + 3] << 8);
            p += 4;
            t += (int32_t)((hiw << 16) | low);
            break;
        }
        case A_NUM:
        case A_SUB:
        case A_CHN: {
            if (!last) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s: byte %zu: %s before the first annotation", src, at,
                                  A == A_NUM ? "NUM" : A == A_SUB ? "SUB" : "CHN");
                goto fail;
            }
            /* num and subtyp are signed chars in WFDB, stored as 10 bits */
            int v = I >= 512 ? I - 1024 : I;
            if (A == A_NUM)
                last->num = num = v;
            else if (A == A_SUB)
                last->subtype = v;
            else
                last->chan = chan = I;
            break;
        }
        case A_AUX: {
            size_t padded = ((size_t)I + 1) & ~(size_t)1;
            if (p + padded > len) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s: byte %zu: AUX of %d bytes runs past the end of the file "
                                  "(%zu bytes left)",
                                  src, at, I, len - p);
                goto fail;
            }
            if (!last) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s: byte %zu: AUX before the first annotation", src, at);
                goto fail;
            }
            char *x = eo_malloc((size_t)I + 1);
            if (!x) {
                st = eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", src);
                goto fail;
            }
            memcpy(x, d + p, (size_t)I);
            x[I] = 0;
            free(last->aux);
            last->aux = x;
            last->aux_len = I;
            p += padded;
            break;
        }
        default: {
            t += I;
            if (t < 0 || t > 0x7fffffffffffLL) {
                st = eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                  "%s: byte %zu: annotation time %lld out of range", src, at, t);
                goto fail;
            }
            eo_annotation it = {0};
            it.sample = (long)t;
            it.code = A;
            it.num = num;
            it.chan = chan;
            st = eo_annot_set_push(a, &it, err);
            if (st) {
                eo_error_prefix(err, "%s", src);
                goto fail;
            }
            last = &a->items[a->n - 1];
            break;
        }
        }
    }
    return EO_STATUS_OK;
fail:
    annot_set_clear(a);
    return st;
}

eo_status eo_annot_read(const char *path, eo_annotation_set **out, eo_error *err)
{
    unsigned char *d = NULL;
    size_t n = 0;
    *out = NULL;
    eo_status st = eo_read_file(path, &d, &n, err);
    if (st)
        return st;
    st = eo_annot_parse(d, n, path, out, err);
    free(d);
    return st;
}

static int put16(unsigned char **b, unsigned w)
{
    (*b)[0] = (unsigned char)(w & 0xff);
    (*b)[1] = (unsigned char)((w >> 8) & 0xff);
    *b += 2;
    return 0;
}

eo_status eo_annot_write(const char *path, const eo_annotation_set *a, eo_error *err)
{
    if (!a)
        return eo_error_set(err, EO_STATUS_USAGE, "%s: NULL annotation set", path);
    /* worst case per annotation: SKIP 6 + word 2 + SUB/CHN/NUM 6 + AUX 2+256 */
    size_t cap = 16;
    for (size_t i = 0; i < a->n; i++)
        cap += 16 + (a->items[i].aux ? (size_t)a->items[i].aux_len + 4 : 0);
    unsigned char *buf = eo_malloc(cap), *b = buf;
    if (!buf)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", path);
    long prev = 0;
    int num = 0, chan = 0;
    for (size_t i = 0; i < a->n; i++) {
        const eo_annotation *it = &a->items[i];
        if (it->code < 1 || it->code > 58) {
            free(buf);
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "%s: annotation %zu: code %d outside 1..58", path, i, it->code);
        }
        long long dt = (long long)it->sample - prev;
        if (it->sample < 0 || dt < -2147483647LL || dt > 2147483647LL) {
            free(buf);
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "%s: annotation %zu: time %ld not representable", path, i,
                                it->sample);
        }
        if (it->aux && it->aux_len > 255) {
            free(buf);
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "%s: annotation %zu: AUX of %d bytes, at most 255", path, i,
                                it->aux_len);
        }
        if (it->num < -128 || it->num > 127 || it->subtype < -128 || it->subtype > 127 ||
            it->chan < 0 || it->chan > 255) {
            free(buf);
            return eo_error_set(err, EO_STATUS_OUT_OF_RANGE,
                                "%s: annotation %zu: num %d / subtype %d / chan %d out of range",
                                path, i, it->num, it->subtype, it->chan);
        }
        if (dt < 0 || dt > 1023) {
            uint32_t v = (uint32_t)(int32_t)dt;
            put16(&b, (unsigned)A_SKIP << 10);
            put16(&b, v >> 16);
            put16(&b, v & 0xffff);
            put16(&b, (unsigned)it->code << 10);
        } else {
            put16(&b, ((unsigned)it->code << 10) | (unsigned)dt);
        }
        prev = it->sample;
        if (it->subtype != 0)
            put16(&b, ((unsigned)A_SUB << 10) | ((unsigned)it->subtype & 0x3ff));
        if (it->chan != chan) {
            put16(&b, ((unsigned)A_CHN << 10) | ((unsigned)it->chan & 0x3ff));
            chan = it->chan;
        }
        if (it->num != num) {
            put16(&b, ((unsigned)A_NUM << 10) | ((unsigned)it->num & 0x3ff));
            num = it->num;
        }
        if (it->aux && it->aux_len > 0) {
            put16(&b, ((unsigned)A_AUX << 10) | (unsigned)it->aux_len);
            memcpy(b, it->aux, (size_t)it->aux_len);
            b += it->aux_len;
            if (it->aux_len & 1)
                *b++ = 0;
        }
    }
    put16(&b, 0);
    eo_status st = eo_write_file_atomic(path, buf, (size_t)(b - buf), err);
    free(buf);
    return st;
}

eo_status eo_annot_rhythm_episodes(const eo_annotation_set *a, long n_samples,
                                   eo_rhythm_episode **out, size_t *n, eo_error *err)
{
    *out = NULL;
    *n = 0;
    if (!a)
        return eo_error_set(err, EO_STATUS_USAGE, "rhythm episodes: NULL annotation set");
    size_t cnt = 0;
    for (size_t i = 0; i < a->n; i++)
        cnt += a->items[i].code == 28 && a->items[i].aux && a->items[i].aux_len > 0;
    if (cnt == 0)
        return EO_STATUS_OK;
    eo_rhythm_episode *e = eo_calloc(cnt, sizeof *e);
    if (!e)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "rhythm episodes: out of memory");
    size_t k = 0;
    for (size_t i = 0; i < a->n; i++) {
        const eo_annotation *it = &a->items[i];
        if (it->code != 28 || !it->aux || it->aux_len <= 0)
            continue;
        const char *s = it->aux[0] == '(' ? it->aux + 1 : it->aux;
        size_t l = strnlen(s, sizeof e[k].label - 1);
        while (l > 0 && (s[l - 1] == '\0' || s[l - 1] == ' '))
            l--;
        memcpy(e[k].label, s, l);
        e[k].label[l] = 0;
        e[k].start = it->sample;
        if (k > 0)
            e[k - 1].end = it->sample;
        k++;
    }
    e[k - 1].end = n_samples > e[k - 1].start ? n_samples : e[k - 1].start;
    *out = e;
    *n = k;
    return EO_STATUS_OK;
}
