/* libFuzzer harness for the denoising-model loader (eo_denoise_model_load_mem):
 * one model file or an ensemble of them (docs/model-file.md).  When the last
 * byte is odd the input's trailing CRC-32 is recomputed (fuzz_crc.h), so the
 * fuzzer also reaches the ensemble's member table and the members behind
 * the checksum. */
#include <stdlib.h>
#include <string.h>

#include "../fuzz_crc.h"
#include "ecgopt/denoise.h"
#include "ecgopt/util.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
    if (n > (1u << 20))
        return 0;
    unsigned char *d = malloc(n ? n : 1);
    if (!d)
        return 0;
    memcpy(d, data, n);
    eo_fuzz_fix_crc(d, n, 20);
    eo_denoise_model *m = NULL;
    eo_error err;
    if (eo_denoise_model_load_mem(d, n, "fuzz", &m, &err) == EO_STATUS_OK) {
        /* a loaded model reports sane numbers */
        if (eo_denoise_model_members(m) < 1 || eo_denoise_model_margin(m) < 0 ||
            !(eo_denoise_model_fs(m) > 0))
            abort();
        eo_denoise_model_destroy(m);
    }
    free(d);
    return 0;
}
