#include "ecgopt/alloc.h"
#include "ecgopt/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void eo_strbuf_init(eo_strbuf *b)
{
    memset(b, 0, sizeof *b);
}

void eo_strbuf_destroy(eo_strbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

static int reserve(eo_strbuf *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (b->len + extra + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *p = eo_realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

void eo_strbuf_append_n(eo_strbuf *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void eo_strbuf_append(eo_strbuf *b, const char *s)
{
    eo_strbuf_append_n(b, s, strlen(s));
}

void eo_strbuf_printf(eo_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void eo_strbuf_append_xml(eo_strbuf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': eo_strbuf_append(b, "&amp;"); break;
        case '<': eo_strbuf_append(b, "&lt;"); break;
        case '>': eo_strbuf_append(b, "&gt;"); break;
        case '"': eo_strbuf_append(b, "&quot;"); break;
        default: eo_strbuf_append_n(b, s, 1);
        }
    }
}

const char *eo_strbuf_str(const eo_strbuf *b)
{
    return b->data ? b->data : "";
}
