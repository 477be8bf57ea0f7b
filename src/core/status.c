#include "ecgopt/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *eo_status_str(eo_status st)
{
    switch (st) {
    case EO_STATUS_OK: return "ok";
    case EO_STATUS_USAGE: return "usage error";
    case EO_STATUS_IO: return "i/o error";
    case EO_STATUS_NOT_FOUND: return "not found";
    case EO_STATUS_BAD_FORMAT: return "bad format";
    case EO_STATUS_BAD_CHECKSUM: return "checksum mismatch";
    case EO_STATUS_OUT_OF_RANGE: return "out of range";
    case EO_STATUS_UNSUPPORTED: return "unsupported";
    case EO_STATUS_NUMERIC: return "numerical error";
    case EO_STATUS_NO_MEMORY: return "out of memory";
    case EO_STATUS_NETWORK: return "network error";
    case EO_STATUS_INTERNAL: return "internal error";
    }
    return "unknown status";
}

eo_status eo_error_set(eo_error *err, eo_status st, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->status = st;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return st;
}

void eo_error_prefix(eo_error *err, const char *fmt, ...)
{
    char prefix[256];
    char old[sizeof err->msg];
    va_list ap;
    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    snprintf(err->msg, sizeof err->msg, "%s: %s", prefix, old);
}

void eo_error_clear(eo_error *err)
{
    if (err) {
        err->status = EO_STATUS_OK;
        err->msg[0] = '\0';
    }
}

int eo_status_exit_code(eo_status st)
{
    switch (st) {
    case EO_STATUS_OK: return 0;
    case EO_STATUS_USAGE: return 1;
    case EO_STATUS_INTERNAL:
    case EO_STATUS_NO_MEMORY: return 3;
    default: return 2;
    }
}
