/* libFuzzer harness for the classifier model-file loader
 * (eo_classifier_load_mem): header parser, CRC check, XGBoost / nn payloads.
 * A loaded model must report consistent metadata. */
#include <stdlib.h>
#include <string.h>

#include "ecgopt/ml.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
    if (n > (1u << 20))
        return 0;
    eo_classifier *c = NULL;
    eo_error err;
    if (eo_classifier_load_mem(data, n, "fuzz", &c, &err) == EO_STATUS_OK) {
        eo_beats_options o;
        eo_classifier_beats_options(c, &o);
        if (eo_label_set_n_classes(eo_classifier_labels(c)) < 4 || !(eo_classifier_fs(c) > 0))
            abort();
        eo_classifier_destroy(c);
    }
    return 0;
}
