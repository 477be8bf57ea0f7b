/* ecgopt — symbol visibility of the public API.
 *
 * libecgopt is built with -fvisibility=hidden; only declarations marked
 * EO_API (the functions of the headers in include/ecgopt) are exported from the shared
 * library, so internal eo_* helpers stay private and can change freely. */
#ifndef ECGOPT_EXPORT_H
#define ECGOPT_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define EO_API __attribute__((visibility("default")))
#else
#define EO_API
#endif

#endif
