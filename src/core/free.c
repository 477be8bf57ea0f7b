/* eo_free: the library's free() for memory it hands to FFI callers. */
#include <stdlib.h>

#include "ecgopt/status.h"

void eo_free(void *p)
{
    free(p);
}
