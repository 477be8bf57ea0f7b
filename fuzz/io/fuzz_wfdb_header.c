/* libFuzzer harness: WFDB header parser; what parses must format and parse
 * back to the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/wfdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    eo_wfdb_header *h = NULL;
    eo_error err;
    if (eo_wfdb_header_parse((const char *)data, size, "fuzz.hea", &h, &err) != EO_STATUS_OK) {
        if (!memchr(err.msg, 0, sizeof err.msg) || strchr(err.msg, '\n'))
            abort(); /* messages are one NUL-terminated line */
        return 0;
    }
    (void)eo_wfdb_find_signal(h, "MLII");
    char *txt = NULL;
    if (eo_wfdb_header_format(h, &txt, &err) == EO_STATUS_OK) {
        eo_wfdb_header *h2 = NULL;
        if (eo_wfdb_header_parse(txt, strlen(txt), "again.hea", &h2, &err) != EO_STATUS_OK)
            abort(); /* our own output must parse */
        if (h2->n_signals != h->n_signals || h2->n_segments != h->n_segments ||
            h2->fs_hz != h->fs_hz)
            abort();
        for (int i = 0; h->signals && i < h->n_signals; i++)
            if (h2->signals[i].format != h->signals[i].format ||
                h2->signals[i].baseline != h->signals[i].baseline ||
                h2->signals[i].checksum != h->signals[i].checksum)
                abort();
        eo_wfdb_header_destroy(h2);
        free(txt);
    }
    eo_wfdb_header_destroy(h);
    return 0;
}
