/* libFuzzer: EC57 comparison of two arbitrary MIT annotation files.  Byte 0
 * splits the input (reference / test), byte 1 picks the learning period,
 * end sample and escape mapping.  Invariants: no crash; every scored
 * reference beat appears once in the matrix rows (matched or missed). */
#include <stdint.h>
#include <stdlib.h>

#include "ecgopt/ec57.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t cut = 2 + (size - 2) * data[0] / 255;
    eo_annotation_set *ref = NULL, *test = NULL;
    eo_error err;
    if (eo_annot_parse(data + 2, cut - 2, "ref", &ref, &err) != EO_STATUS_OK ||
        eo_annot_parse(data + cut, size - cut, "test", &test, &err) != EO_STATUS_OK) {
        eo_annot_set_destroy(ref);
        eo_annot_set_destroy(test);
        return 0;
    }
    eo_ec57_options o;
    eo_ec57_defaults(&o, 360.0);
    o.learning_period_s = (data[1] & 3) * 0.5;
    o.end_sample = (data[1] & 4) ? 5000 : 0;
    o.escape_as_sveb = (data[1] >> 3) & 1;
    eo_ec57_result r;
    if (eo_ec57_compare(ref, test, &o, &r, &err) == EO_STATUS_OK) {
        long rows = 0;
        for (int a = 0; a < 5; a++)
            for (int c = 0; c < EO_EC57_NCLASS; c++)
                rows += r.m[a][c];
        if (o.learning_period_s == 0 && o.end_sample == 0 && rows > (long)eo_ec57_count_beats(ref))
            abort();
        eo_ec57_stats s;
        eo_ec57_stats_of(&r, &s);
        eo_ec57_class_metrics m;
        eo_ec57_class_metrics_of(&r, &m);
        eo_ec57_average(&r, 1, &s);
    }
    eo_annot_set_destroy(ref);
    eo_annot_set_destroy(test);
    return 0;
}
