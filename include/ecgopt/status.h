/* ecgopt — status codes and error messages.
 *
 * Every library function that can fail returns an eo_status and, when the
 * caller passes a non-NULL eo_error, leaves a one-line message in it naming
 * the file (or object) and what was wrong.  The library never prints and
 * never exits. */
#ifndef ECGOPT_STATUS_H
#define ECGOPT_STATUS_H

#include "ecgopt/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum eo_status {
    EO_STATUS_OK = 0,
    EO_STATUS_USAGE,         /* caller passed an invalid argument or option */
    EO_STATUS_IO,            /* open/read/write/rename failed */
    EO_STATUS_NOT_FOUND,     /* record, file or name does not exist */
    EO_STATUS_BAD_FORMAT,    /* input file malformed or truncated */
    EO_STATUS_BAD_CHECKSUM,  /* checksum / CRC mismatch */
    EO_STATUS_OUT_OF_RANGE,  /* a value is outside what is allowed */
    EO_STATUS_UNSUPPORTED,   /* valid but not supported (e.g. future version) */
    EO_STATUS_NUMERIC,       /* NaN/Inf or a numerical breakdown */
    EO_STATUS_NO_MEMORY,     /* allocation failed */
    EO_STATUS_NETWORK,       /* download failed */
    EO_STATUS_INTERNAL       /* a bug: an invariant did not hold */
} eo_status;

/* A caller-owned error slot. */
typedef struct eo_error {
    eo_status status;
    char msg[512];
} eo_error;

/* Short constant name of a status ("bad format", ...). */
EO_API const char *eo_status_str(eo_status st);

/* Record st and a printf-style message in err (if err != NULL); returns st so
 * that `return eo_error_set(err, EO_STATUS_IO, "%s: %s", path, strerror(e));`
 * works.  A message that does not fit is truncated. */
EO_API eo_status eo_error_set(eo_error *err, eo_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prefix an existing message with "prefix: " (used when a lower layer's
 * message needs the file name of the caller). Keeps err->status. */
EO_API void eo_error_prefix(eo_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Reset err to EO_STATUS_OK with an empty message. err may be NULL. */
EO_API void eo_error_clear(eo_error *err);

/* Command-line exit code of a status: 0 ok, 1 usage, 2 bad input, 3 internal. */
EO_API int eo_status_exit_code(eo_status st);

/* free() of memory the library malloc'd for the caller (eo_qrs_detect's
 * beats, eo_resample's output, eo_codec_compress_samples' bytes, ...).
 * NULL is a no-op. */
EO_API void eo_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
