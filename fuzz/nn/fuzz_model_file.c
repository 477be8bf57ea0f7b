/* libFuzzer harness for the model-file loader (eo_nn_load_mem).  When the
 * last byte is odd the input's trailing CRC-32 is recomputed (fuzz_crc.h),
 * so the fuzzer also reaches the section parser and the spec builder behind
 * the checksum. */
#include <stdlib.h>
#include <string.h>

#include "../fuzz_crc.h"
#include "ecgopt/nn.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
    if (n > (1u << 20))
        return 0;
    unsigned char *d = malloc(n ? n : 1);
    if (!d)
        return 0;
    memcpy(d, data, n);
    eo_fuzz_fix_crc(d, n, 24);
    eo_nn *nn = NULL;
    eo_error err;
    if (eo_nn_load_mem(d, n, "fuzz", &nn, &err) == EO_STATUS_OK) {
        /* a loaded model must be usable: one forward pass on zeros */
        int c, l;
        eo_nn_input_shape(nn, &c, &l);
        if ((size_t)c * l <= 4096 && eo_nn_flops(nn) < 1e7) {
            float *x = calloc((size_t)c * l, sizeof(float));
            const float *y;
            if (x)
                eo_nn_forward(nn, x, 1, 0, NULL, &y, &err);
            free(x);
        }
        eo_nn_destroy(nn);
    }
    free(d);
    return 0;
}
