/* ecgopt — releasing memory the library hands out.
 *
 * Functions that return a malloc'd buffer (eo_qrs_detect's beats,
 * eo_resample's output, eo_codec_compress_samples' bytes, ...) say "caller
 * frees".  A caller in C uses free(); a caller through a foreign-function
 * interface (the Python package python/ecgopt over ctypes) cannot rely on
 * finding the very free() the library was linked against, so it calls
 * eo_free() from the same shared object. */
#ifndef ECGOPT_MEMORY_H
#define ECGOPT_MEMORY_H

#include "ecgopt/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* free(p) as the library sees it.  NULL is a no-op. */
EO_API void eo_free(void *p);

#ifdef __cplusplus
}
#endif
#endif
