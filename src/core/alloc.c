/* The library's allocator (include/ecgopt/alloc.h): libc's, plus, in
 * ECGOPT_ALLOC_HOOK builds only, a per-thread failure-injection hook.  The
 * hook pointer is thread-local and belongs to the test that installed it;
 * release builds have neither the pointer nor the check. */
#include "ecgopt/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef ECGOPT_ALLOC_HOOK
static _Thread_local eo_alloc_hook *tl_hook;

/* 1 if this allocation is to fail */
static int hook_fail(void)
{
    eo_alloc_hook *h = tl_hook;
    if (!h)
        return 0;
    h->count++;
    if (h->fail_at > 0 && h->count == h->fail_at) {
        h->failed++;
        return 1;
    }
    return 0;
}

int eo_alloc_hook_install(eo_alloc_hook *hook)
{
    tl_hook = hook;
    return 1;
}
#else
#define hook_fail() 0

int eo_alloc_hook_install(eo_alloc_hook *hook)
{
    (void)hook;
    return 0;
}
#endif

void *eo_malloc(size_t n)
{
    return hook_fail() ? NULL : malloc(n);
}

void *eo_calloc(size_t count, size_t size)
{
    return hook_fail() ? NULL : calloc(count, size);
}

void *eo_realloc(void *p, size_t n)
{
    return hook_fail() ? NULL : realloc(p, n);
}

char *eo_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = eo_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

void *eo_aligned_alloc(size_t align, size_t n)
{
    if (hook_fail())
        return NULL;
    /* C11 aligned_alloc wants a multiple of the alignment */
    size_t r = n % align ? n + (align - n % align) : n;
    return aligned_alloc(align, r ? r : align);
}
