/* libFuzzer harness: MIT annotation parser (and rhythm episodes). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/wfdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    eo_annotation_set *a = NULL;
    eo_error err;
    if (eo_annot_parse(data, size, "fuzz.atr", &a, &err) != EO_STATUS_OK) {
        if (!memchr(err.msg, 0, sizeof err.msg) || strchr(err.msg, '\n'))
            abort();
        return 0;
    }
    long last = 0;
    for (size_t i = 0; i < a->n; i++) {
        (void)eo_annot_code_symbol(a->items[i].code);
        (void)eo_annot_aami_class(a->items[i].code);
        if (a->items[i].aux && (int)strlen(a->items[i].aux) > a->items[i].aux_len)
            abort();
        if (a->items[i].sample > last)
            last = a->items[i].sample;
    }
    eo_rhythm_episode *ep = NULL;
    size_t n = 0;
    if (eo_annot_rhythm_episodes(a, last + 1, &ep, &n, &err) == EO_STATUS_OK)
        free(ep);
    eo_annot_set_destroy(a);
    return 0;
}
