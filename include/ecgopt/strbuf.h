/* ecgopt — growable string buffer (for SVG/HTML/JSON text built in memory). */
#ifndef ECGOPT_STRBUF_H
#define ECGOPT_STRBUF_H

#include "ecgopt/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eo_strbuf {
    char *data;   /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
    int failed;   /* an allocation failed: the content is incomplete */
} eo_strbuf;

EO_API void eo_strbuf_init(eo_strbuf *b);
EO_API void eo_strbuf_destroy(eo_strbuf *b);
EO_API void eo_strbuf_append(eo_strbuf *b, const char *s);
EO_API void eo_strbuf_append_n(eo_strbuf *b, const char *s, size_t n);
EO_API void eo_strbuf_printf(eo_strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Append s with &, <, >, " escaped for XML/HTML. */
EO_API void eo_strbuf_append_xml(eo_strbuf *b, const char *s);
/* The text ("" if empty). */
EO_API const char *eo_strbuf_str(const eo_strbuf *b);

#ifdef __cplusplus
}
#endif
#endif
