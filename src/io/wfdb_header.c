/* ecgopt io — WFDB header files (.hea), following header(5) of the WFDB
 * Software Package (Moody, PhysioNet): a record line, one line per signal
 * (or per segment in a multi-segment record), and '#' comment lines. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/alloc.h"
#include "ecgopt/util.h"
#include "io/wfdb_internal.h"

#define MAX_SIGNALS 4096
#define MAX_SEGMENTS 1000000

static void signal_defaults(eo_wfdb_signal_info *s)
{
    memset(s, 0, sizeof *s);
    s->format = 16;
    s->samples_per_frame = 1;
    s->gain = EO_WFDB_DEFAULT_GAIN;
    strcpy(s->units, "mV");
    s->adc_resolution = 16;
}

eo_wfdb_header *eo_wfdb_header_alloc(int n_signals)
{
    eo_wfdb_header *h = eo_calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->fs_hz = EO_WFDB_DEFAULT_FS;
    h->n_samples = -1;
    h->n_signals = n_signals;
    if (n_signals > 0) {
        h->signals = eo_calloc((size_t)n_signals, sizeof *h->signals);
        if (!h->signals) {
            free(h);
            return NULL;
        }
        for (int i = 0; i < n_signals; i++)
            signal_defaults(&h->signals[i]);
    }
    return h;
}

void eo_wfdb_header_destroy(eo_wfdb_header *h)
{
    if (!h)
        return;
    free(h->signals);
    free(h->segments);
    for (int i = 0; i < h->n_comments; i++)
        free(h->comments[i]);
    free(h->comments);
    free(h);
}

eo_wfdb_header *eo_wfdb_header_dup(const eo_wfdb_header *h)
{
    eo_wfdb_header *d = eo_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    *d = *h;
    d->signals = NULL;
    d->segments = NULL;
    d->comments = NULL;
    d->n_comments = 0;
    if (h->n_signals > 0) {
        d->signals = eo_malloc((size_t)h->n_signals * sizeof *d->signals);
        if (!d->signals)
            goto fail;
        memcpy(d->signals, h->signals, (size_t)h->n_signals * sizeof *d->signals);
    }
    if (h->n_segments > 0) {
        d->segments = eo_malloc((size_t)h->n_segments * sizeof *d->segments);
        if (!d->segments)
            goto fail;
        memcpy(d->segments, h->segments, (size_t)h->n_segments * sizeof *d->segments);
    }
    if (h->n_comments > 0) {
        d->comments = eo_calloc((size_t)h->n_comments, sizeof *d->comments);
        if (!d->comments)
            goto fail;
        for (int i = 0; i < h->n_comments; i++) {
            d->comments[i] = eo_strdup(h->comments[i]);
            if (!d->comments[i])
                goto fail;
            d->n_comments = i + 1;
        }
    }
    return d;
fail:
    eo_wfdb_header_destroy(d);
    return NULL;
}

int eo_wfdb_format_known(int f)
{
    switch (f) {
    case 0: case 8: case 16: case 24: case 32: case 61: case 80: case 160: case 212: case 310:
    case 311:
        return 1;
    default:
        return 0;
    }
}

int eo_wfdb_format_default_res(int f)
{
    switch (f) {
    case 8: case 80: return 8;
    case 212: return 12;
    case 310: case 311: return 10;
    case 24: return 24;
    case 32: return 32;
    default: return 16;
    }
}

/* ---- small strict number parsers ------------------------------------- */

static int parse_long_tok(const char *s, size_t n, long *v)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *end;
    errno = 0;
    long x = strtol(buf, &end, 10);
    if (errno || *end || end == buf)
        return -1;
    *v = x;
    return 0;
}

static int parse_int_tok(const char *s, size_t n, int *v)
{
    long x;
    if (parse_long_tok(s, n, &x) || x < -2147483647L || x > 2147483647L)
        return -1;
    *v = (int)x;
    return 0;
}

static int parse_double_tok(const char *s, size_t n, double *v)
{
    char buf[64];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = 0;
    char *end;
    errno = 0;
    double x = strtod(buf, &end);
    if (errno || *end || end == buf || !isfinite(x))
        return -1;
    *v = x;
    return 0;
}

/* Split a line into whitespace-separated tokens (pointers into line). */
#define MAX_TOK 64
static int tokenize(char *line, char **tok, int max)
{
    int n = 0;
    char *p = line;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (n == max)
            return max + 1;
        tok[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = 0;
    }
    return n;
}

static int push_comment(eo_wfdb_header *h, const char *text)
{
    char **c = eo_realloc(h->comments, (size_t)(h->n_comments + 1) * sizeof *c);
    if (!c)
        return -1;
    h->comments = c;
    c[h->n_comments] = eo_strdup(text);
    if (!c[h->n_comments])
        return -1;
    h->n_comments++;
    return 0;
}

#define FAIL(st, ...)                                     \
    do {                                                  \
        eo_error_set(err, st, __VA_ARGS__);               \
        goto fail;                                        \
    } while (0)

/* Record line: name[/nseg] nsig [fs[/counter[(base)]] [nsamp [time [date]]]] */
static eo_status parse_record_line(eo_wfdb_header *h, char *line, const char *src, int ln,
                                   eo_error *err)
{
    char *tok[MAX_TOK];
    int nt = tokenize(line, tok, MAX_TOK);
    if (nt < 2 || nt > 6)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: line %d: record line has %d fields, expected 2 to 6 "
                            "(name nsig [fs [nsamples [time [date]]]])",
                            src, ln, nt > MAX_TOK ? MAX_TOK : nt);
    char *slash = strchr(tok[0], '/');
    if (slash) {
        *slash = 0;
        long ns;
        if (parse_long_tok(slash + 1, strlen(slash + 1), &ns) || ns < 1 || ns > MAX_SEGMENTS)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: line %d: number of segments '%s' is not an integer in 1..%d",
                                src, ln, slash + 1, MAX_SEGMENTS);
        h->n_segments = (int)ns;
    }
    if (strlen(tok[0]) == 0 || strlen(tok[0]) >= sizeof h->record_name)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: line %d: record name empty or longer than %zu",
                            src, ln, sizeof h->record_name - 1);
    strcpy(h->record_name, tok[0]);
    int nsig;
    if (parse_int_tok(tok[1], strlen(tok[1]), &nsig) || nsig < 0 || nsig > MAX_SIGNALS)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: line %d: number of signals '%s' is not an integer in 0..%d", src, ln,
                            tok[1], MAX_SIGNALS);
    h->n_signals = nsig;
    if (nt > 2) {
        /* fs[/counter[(base)]] */
        char *t = tok[2];
        char *sl = strchr(t, '/');
        size_t lf = sl ? (size_t)(sl - t) : strlen(t);
        if (parse_double_tok(t, lf, &h->fs_hz) || !(h->fs_hz > 0))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: line %d: sampling frequency '%.*s' must be a number > 0", src, ln,
                                (int)lf, t);
        if (sl) {
            char *c = sl + 1;
            char *par = strchr(c, '(');
            size_t lc = par ? (size_t)(par - c) : strlen(c);
            if (parse_double_tok(c, lc, &h->counter_freq) || !(h->counter_freq > 0))
                return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                    "%s: line %d: counter frequency '%.*s' must be a number > 0", src,
                                    ln, (int)lc, c);
            if (par) {
                char *close = strchr(par, ')');
                if (!close || close[1] ||
                    parse_double_tok(par + 1, (size_t)(close - par - 1), &h->base_counter))
                    return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                        "%s: line %d: base counter value '%s' is not '(number)'", src,
                                        ln, par);
            }
        }
    }
    if (nt > 3) {
        long ns;
        if (parse_long_tok(tok[3], strlen(tok[3]), &ns) || ns < 0)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: line %d: number of samples '%s' is not an integer >= 0", src, ln,
                                tok[3]);
        h->n_samples = ns == 0 ? -1 : ns; /* 0: unspecified (header(5)) */
    }
    if (nt > 4) {
        if (strlen(tok[4]) >= sizeof h->base_time || !strchr(tok[4], ':'))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: line %d: base time '%s' is not HH:MM:SS", src, ln, tok[4]);
        strcpy(h->base_time, tok[4]);
    }
    if (nt > 5) {
        if (strlen(tok[5]) >= sizeof h->base_date || !strchr(tok[5], '/'))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: line %d: base date '%s' is not DD/MM/YYYY", src, ln, tok[5]);
        strcpy(h->base_date, tok[5]);
    }
    return EO_STATUS_OK;
}

/* file format[xspf][:skew][+offset] [gain[(baseline)][/units] [res [zero [init
 * [checksum [blocksize [description]]]]]]] */
static eo_status parse_signal_line(eo_wfdb_signal_info *s, char *line, const char *src, int ln,
                                   eo_error *err)
{
    signal_defaults(s);
    /* description is the rest of the line after the 9th field, spaces kept */
    char *tok[10];
    int nt = 0;
    char *p = line;
    while (*p && nt < 10) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        tok[nt++] = p;
        if (nt == 9)
            break; /* description: rest of the line */
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = 0;
    }
    if (nt < 2)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: line %d: signal line has %d field(s), expected at least 2 "
                            "(file name and format)",
                            src, ln, nt);
    if (strlen(tok[0]) >= sizeof s->file_name)
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: line %d: signal file name too long", src, ln);
    strcpy(s->file_name, tok[0]);
    /* format token */
    {
        char *t = tok[1];
        size_t i = 0, n = strlen(t);
        while (i < n && isdigit((unsigned char)t[i]))
            i++;
        if (parse_int_tok(t, i, &s->format) || !eo_wfdb_format_known(s->format))
            return eo_error_set(err, EO_STATUS_UNSUPPORTED,
                                "%s: line %d: unknown signal format '%s' (expected 0 8 16 24 32 61 "
                                "80 160 212 310 311)",
                                src, ln, t);
        while (i < n) {
            char c = t[i++];
            size_t j = i;
            if (j < n && (t[j] == '-' || t[j] == '+') && c != '+')
                j++;
            while (j < n && isdigit((unsigned char)t[j]))
                j++;
            long v;
            if (parse_long_tok(t + i, j - i, &v))
                return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                    "%s: line %d: bad format modifier in '%s'", src, ln, t);
            if (c == 'x' && v >= 1 && v <= 1000000)
                s->samples_per_frame = (int)v;
            else if (c == ':' && v >= 0 && v <= 100000000)
                s->skew = (int)v;
            else if (c == '+' && v >= 0)
                s->byte_offset = v;
            else
                return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                    "%s: line %d: bad format modifier '%c%ld' in '%s' "
                                    "(x: samples per frame >= 1, : skew >= 0, + byte offset >= 0)",
                                    src, ln, c, v, t);
            i = j;
        }
    }
    s->adc_resolution = eo_wfdb_format_default_res(s->format);
    if (nt > 2) {
        /* gain[(baseline)][/units] */
        char *t = tok[2];
        char *par = strchr(t, '(');
        char *sl = strchr(t, '/');
        if (sl && par && sl < par)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: line %d: gain field '%s' is not gain[(baseline)][/units]", src,
                                ln, t);
        size_t lg = par ? (size_t)(par - t) : sl ? (size_t)(sl - t) : strlen(t);
        double g;
        if (parse_double_tok(t, lg, &g))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: line %d: ADC gain '%.*s' is not a number",
                                src, ln, (int)lg, t);
        if (g == 0) {
            /* header(5): a gain of 0 (or none) means uncalibrated; WFDB then
             * uses the default of 200 adu per mV. */
            s->gain = EO_WFDB_DEFAULT_GAIN;
            s->gain_given = 0;
        } else {
            s->gain = g;
            s->gain_given = 1;
        }
        if (par) {
            char *close = strchr(par, ')');
            int b;
            if (!close || parse_int_tok(par + 1, (size_t)(close - par - 1), &b) ||
                (close[1] && close[1] != '/'))
                return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                    "%s: line %d: baseline in '%s' is not '(integer)'", src, ln, t);
            s->baseline = b;
            s->baseline_given = 1;
        }
        if (sl) {
            if (strlen(sl + 1) == 0 || strlen(sl + 1) >= sizeof s->units)
                return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                    "%s: line %d: units in '%s' empty or too long", src, ln, t);
            strcpy(s->units, sl + 1);
        }
    }
    if (nt > 3) {
        int r;
        if (parse_int_tok(tok[3], strlen(tok[3]), &r) || r < 0 || r > 32)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: line %d: ADC resolution '%s' is not an integer in 0..32", src,
                                ln, tok[3]);
        if (r > 0)
            s->adc_resolution = r;
    }
    if (nt > 4 && parse_int_tok(tok[4], strlen(tok[4]), &s->adc_zero))
        return eo_error_set(err, EO_STATUS_BAD_FORMAT, "%s: line %d: ADC zero '%s' is not an integer",
                            src, ln, tok[4]);
    if (!s->baseline_given)
        s->baseline = s->adc_zero; /* header(5): baseline defaults to ADC zero */
    s->initial_value = s->adc_zero;
    if (nt > 5) {
        if (parse_int_tok(tok[5], strlen(tok[5]), &s->initial_value))
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: line %d: initial value '%s' is not an integer", src, ln, tok[5]);
        s->initial_value_given = 1;
    }
    if (nt > 6) {
        if (parse_int_tok(tok[6], strlen(tok[6]), &s->checksum) || s->checksum < -32768 ||
            s->checksum > 65535)
            return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                                "%s: line %d: checksum '%s' is not a 16-bit integer", src, ln, tok[6]);
        s->checksum = (int)(int16_t)(uint16_t)s->checksum;
        s->checksum_given = 1;
    }
    if (nt > 7 && (parse_int_tok(tok[7], strlen(tok[7]), &s->block_size) || s->block_size < 0))
        return eo_error_set(err, EO_STATUS_BAD_FORMAT,
                            "%s: line %d: block size '%s' is not an integer >= 0", src, ln, tok[7]);
    if (nt > 8) {
        size_t l = strlen(tok[8]);
        while (l > 0 && (tok[8][l - 1] == ' ' || tok[8][l - 1] == '\t'))
            l--;
        if (l >= sizeof s->description)
            l = sizeof s->description - 1;
        memcpy(s->description, tok[8], l);
        s->description[l] = 0;
    }
    return EO_STATUS_OK;
}

eo_status eo_wfdb_header_parse(const char *text, size_t len, const char *source,
                               eo_wfdb_header **out, eo_error *err)
{
    const char *src = source ? source : "header";
    *out = NULL;
    eo_wfdb_header *h = eo_wfdb_header_alloc(0);
    char *line = NULL;
    if (!h)
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s: out of memory", src);
    line = eo_malloc(len + 1);
    if (!line)
        FAIL(EO_STATUS_NO_MEMORY, "%s: out of memory", src);
    int have_record = 0, n_sig_lines = 0, n_seg_lines = 0, ln = 0;
    size_t pos = 0;
    while (pos < len) {
        size_t e = pos;
        while (e < len && text[e] != '\n' && text[e] != '\r')
            e++;
        size_t l = e - pos;
        memcpy(line, text + pos, l);
        line[l] = 0;
        ln++;
        /* one line ending: \n, \r\n or \r */
        if (e < len && text[e] == '\r' && e + 1 < len && text[e + 1] == '\n')
            e++;
        pos = e + 1;
        if (memchr(line, 0, l))
            FAIL(EO_STATUS_BAD_FORMAT, "%s: line %d: NUL byte in header", src, ln);
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#') {
            if (push_comment(h, p + 1))
                FAIL(EO_STATUS_NO_MEMORY, "%s: out of memory", src);
            continue;
        }
        if (!*p)
            continue;
        if (!have_record) {
            if (parse_record_line(h, p, src, ln, err) != EO_STATUS_OK)
                goto fail;
            have_record = 1;
            if (h->n_segments > 0) {
                h->segments = eo_calloc((size_t)h->n_segments, sizeof *h->segments);
                if (!h->segments)
                    FAIL(EO_STATUS_NO_MEMORY, "%s: out of memory", src);
            } else if (h->n_signals > 0) {
                h->signals = eo_calloc((size_t)h->n_signals, sizeof *h->signals);
                if (!h->signals)
                    FAIL(EO_STATUS_NO_MEMORY, "%s: out of memory", src);
            }
            continue;
        }
        if (h->n_segments > 0) {
            if (n_seg_lines == h->n_segments)
                FAIL(EO_STATUS_BAD_FORMAT, "%s: line %d: more segment lines than the %d declared",
                     src, ln, h->n_segments);
            char *tok[MAX_TOK];
            int nt = tokenize(p, tok, MAX_TOK);
            long ns;
            if (nt != 2)
                FAIL(EO_STATUS_BAD_FORMAT,
                     "%s: line %d: segment line has %d fields, expected 2 (record nsamples)", src, ln,
                     nt > MAX_TOK ? MAX_TOK : nt);
            if (parse_long_tok(tok[1], strlen(tok[1]), &ns) || ns < 0)
                FAIL(EO_STATUS_BAD_FORMAT,
                     "%s: line %d: segment length '%s' is not an integer >= 0", src, ln, tok[1]);
            if (strlen(tok[0]) >= sizeof h->segments[0].record_name || strchr(tok[0], '/'))
                FAIL(EO_STATUS_BAD_FORMAT, "%s: line %d: bad segment name '%s'", src, ln, tok[0]);
            strcpy(h->segments[n_seg_lines].record_name, tok[0]);
            h->segments[n_seg_lines].n_samples = ns;
            n_seg_lines++;
            continue;
        }
        if (n_sig_lines == h->n_signals)
            FAIL(EO_STATUS_BAD_FORMAT, "%s: line %d: more signal lines than the %d declared", src,
                 ln, h->n_signals);
        if (parse_signal_line(&h->signals[n_sig_lines], p, src, ln, err) != EO_STATUS_OK)
            goto fail;
        n_sig_lines++;
    }
    if (!have_record)
        FAIL(EO_STATUS_BAD_FORMAT, "%s: no record line (expected 'name nsig fs nsamples')", src);
    if (h->n_segments > 0 && n_seg_lines != h->n_segments)
        FAIL(EO_STATUS_BAD_FORMAT, "%s: line %d: %d segment lines, expected %d", src, ln,
             n_seg_lines, h->n_segments);
    if (h->n_segments == 0 && n_sig_lines != h->n_signals)
        FAIL(EO_STATUS_BAD_FORMAT, "%s: line %d: %d signal lines, expected %d", src, ln,
             n_sig_lines, h->n_signals);
    free(line);
    *out = h;
    return EO_STATUS_OK;
fail:
    free(line);
    eo_wfdb_header_destroy(h);
    return err ? err->status : EO_STATUS_BAD_FORMAT;
}

eo_status eo_wfdb_header_read(const char *hea_path, eo_wfdb_header **out, eo_error *err)
{
    unsigned char *data = NULL;
    size_t n = 0;
    *out = NULL;
    eo_status st = eo_read_file(hea_path, &data, &n, err);
    if (st != EO_STATUS_OK)
        return st;
    st = eo_wfdb_header_parse((const char *)data, n, hea_path, out, err);
    free(data);
    return st;
}

/* ---- serialisation ----------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
#include <stdarg.h>
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = 1;
            return;
        }
        if (b->p && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t nc = b->cap ? b->cap * 2 : 256;
        while (nc < b->n + (size_t)k + 1)
            nc *= 2;
        char *q = eo_realloc(b->p, nc);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = nc;
    }
}

/* Shortest "%g" form that reads back to the same double. */
static void fmt_num(char *buf, size_t n, double v)
{
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

eo_status eo_wfdb_header_format(const eo_wfdb_header *h, char **text, eo_error *err)
{
    sbuf b = {0};
    char num[64];
    *text = NULL;
    if (h->n_segments > 0)
        sb_printf(&b, "%s/%d %d", h->record_name, h->n_segments, h->n_signals);
    else
        sb_printf(&b, "%s %d", h->record_name, h->n_signals);
    fmt_num(num, sizeof num, h->fs_hz);
    sb_printf(&b, " %s", num);
    if (h->counter_freq > 0) {
        fmt_num(num, sizeof num, h->counter_freq);
        sb_printf(&b, "/%s", num);
        if (h->base_counter != 0) {
            fmt_num(num, sizeof num, h->base_counter);
            sb_printf(&b, "(%s)", num);
        }
    }
    if (h->n_samples >= 0 || h->base_time[0])
        sb_printf(&b, " %ld", h->n_samples >= 0 ? h->n_samples : 0L);
    if (h->base_time[0]) {
        sb_printf(&b, " %s", h->base_time);
        if (h->base_date[0])
            sb_printf(&b, " %s", h->base_date);
    }
    sb_printf(&b, "\n");
    if (h->n_segments > 0) {
        for (int i = 0; i < h->n_segments; i++)
            sb_printf(&b, "%s %ld\n", h->segments[i].record_name, h->segments[i].n_samples);
    } else {
        for (int i = 0; i < h->n_signals; i++) {
            const eo_wfdb_signal_info *s = &h->signals[i];
            sb_printf(&b, "%s %d", s->file_name, s->format);
            if (s->samples_per_frame > 1)
                sb_printf(&b, "x%d", s->samples_per_frame);
            if (s->skew)
                sb_printf(&b, ":%d", s->skew);
            if (s->byte_offset)
                sb_printf(&b, "+%ld", s->byte_offset);
            fmt_num(num, sizeof num, s->gain_given ? s->gain : 0.0);
            sb_printf(&b, " %s(%d)/%s %d %d %d %d %d", num, s->baseline,
                      s->units[0] ? s->units : "mV", s->adc_resolution, s->adc_zero,
                      s->initial_value, (int)(int16_t)(uint16_t)(s->checksum & 0xffff),
                      s->block_size);
            if (s->description[0])
                sb_printf(&b, " %s", s->description);
            sb_printf(&b, "\n");
        }
    }
    for (int i = 0; i < h->n_comments; i++)
        sb_printf(&b, "#%s\n", h->comments[i]);
    if (b.oom) {
        free(b.p);
        return eo_error_set(err, EO_STATUS_NO_MEMORY, "%s.hea: out of memory", h->record_name);
    }
    *text = b.p;
    return EO_STATUS_OK;
}

int eo_wfdb_find_signal(const eo_wfdb_header *h, const char *desc)
{
    /* a multi-segment master header has n_signals but no signal lines */
    if (!h || !desc || !h->signals)
        return -1;
    for (int i = 0; i < h->n_signals; i++)
        if (strcmp(h->signals[i].description, desc) == 0)
            return i;
    return -1;
}

double eo_wfdb_adu_to_mv(const eo_wfdb_signal_info *s, int32_t adu)
{
    if (adu == EO_WFDB_INVALID)
        return NAN;
    return ((double)adu - (double)s->baseline) / s->gain;
}
