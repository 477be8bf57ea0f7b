/* ecgopt — a minimal streaming JSON writer (for --json output and reports).
 * Commas and nesting are tracked for the caller; strings are escaped. */
#ifndef ECGOPT_JSON_H
#define ECGOPT_JSON_H

#include "ecgopt/export.h"

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EO_JSON_MAX_DEPTH 32

typedef struct eo_json {
    FILE *fp;
    int depth;
    int count[EO_JSON_MAX_DEPTH]; /* items written at each depth */
    int after_key;
} eo_json;

EO_API void eo_json_init(eo_json *j, FILE *fp);
EO_API void eo_json_obj_begin(eo_json *j);
EO_API void eo_json_obj_end(eo_json *j);
EO_API void eo_json_arr_begin(eo_json *j);
EO_API void eo_json_arr_end(eo_json *j);
EO_API void eo_json_key(eo_json *j, const char *key);
EO_API void eo_json_str(eo_json *j, const char *s);
EO_API void eo_json_num(eo_json *j, double v);   /* NaN/Inf written as null */
EO_API void eo_json_int(eo_json *j, long long v);
EO_API void eo_json_bool(eo_json *j, int v);
EO_API void eo_json_null(eo_json *j);
/* Convenience: key + value. */
EO_API void eo_json_kv_str(eo_json *j, const char *key, const char *s);
EO_API void eo_json_kv_num(eo_json *j, const char *key, double v);
EO_API void eo_json_kv_int(eo_json *j, const char *key, long long v);
EO_API void eo_json_kv_bool(eo_json *j, const char *key, int v);
/* Write s escaped as a JSON string (with quotes) to fp. */
EO_API void eo_json_write_escaped(FILE *fp, const char *s);

#ifdef __cplusplus
}
#endif
#endif
