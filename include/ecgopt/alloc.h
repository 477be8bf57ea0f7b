/* ecgopt — the library's allocator, with a failure-injection hook for tests.
 *
 * The WFDB I/O, the .ecgz codec, the model-file (nn, classifier) and core
 * paths allocate through these functions (other modules still call libc
 * directly); memory from them is released with free().  They behave as
 * malloc, calloc, realloc, strdup and aligned_alloc.
 *
 * Failure injection: in a build configured with -DECGOPT_ALLOC_HOOK=ON (the
 * sanitizer build, and so `make check`, turns it on; releases leave it off
 * and then carry no hook at all), a test installs an eo_alloc_hook on its
 * thread and the fail_at-th allocation made by that thread afterwards
 * returns NULL.  The hook is the caller's object and only the installing
 * thread sees it (a thread-local pointer): no process-wide state, and
 * worker threads the library starts are not counted.
 * tests/codec/test_alloc_fail.c runs every N = 1..(allocations of one run)
 * over record, annotation, .ecgz and model-file reading and writing, and
 * requires EO_STATUS_NO_MEMORY and no leak (ASan) for each. */
#ifndef ECGOPT_ALLOC_H
#define ECGOPT_ALLOC_H

#include "ecgopt/export.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

EO_API void *eo_malloc(size_t n);
EO_API void *eo_calloc(size_t count, size_t size);
EO_API void *eo_realloc(void *p, size_t n);   /* on failure p is untouched */
EO_API char *eo_strdup(const char *s);
/* align a power of two >= sizeof(void *); n need not be a multiple of it */
EO_API void *eo_aligned_alloc(size_t align, size_t n);

typedef struct eo_alloc_hook {
    long fail_at; /* the allocation to fail, counting from 1 after installation; 0: none */
    long count;   /* allocations this thread made since installation (set by the library) */
    long failed;  /* how many were made to fail (0 or 1) */
} eo_alloc_hook;

/* Install `hook` (zero its count and failed first) on the calling thread;
 * NULL removes it.  Returns 1, or 0 when the build has no hook (then
 * nothing is installed and allocations never fail on purpose). */
EO_API int eo_alloc_hook_install(eo_alloc_hook *hook);

#ifdef __cplusplus
}
#endif

#endif
