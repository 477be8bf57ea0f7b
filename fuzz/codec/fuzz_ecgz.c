/* libFuzzer harness for the .ecgz reader and the block decoders: open the
 * bytes, then decode everything (when the header's sample count is modest)
 * and a span in the middle.  Seeds: fuzz/corpus/ecgz/ (small lossless,
 * bounded and wavelet files). */
#include <stdint.h>
#include <stdlib.h>

#include "ecgopt/codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    eo_ecgz *z;
    eo_error err;
    if (eo_ecgz_open_mem(data, size, "fuzz.ecgz", &z, &err))
        return 0;
    const eo_ecgz_info *info = eo_ecgz_get_info(z);
    /* a CRC-valid header may claim billions of samples; decoding is bounded
     * by what the harness is willing to allocate */
    if ((long long)info->n_samples * info->n_signals <= (1 << 20)) {
        eo_wfdb_record *r;
        if (eo_ecgz_to_record(z, &r, &err) == EO_STATUS_OK)
            eo_wfdb_record_free(r);
        long start = info->n_samples / 3, count = info->n_samples / 4;
        int32_t **adu = calloc((size_t)info->n_signals, sizeof *adu);
        int ok = adu != NULL;
        for (int s = 0; ok && s < info->n_signals; s++)
            ok = (adu[s] = malloc(sizeof(int32_t) * (size_t)(count + 1))) != NULL;
        if (ok)
            (void)eo_ecgz_read(z, start, count, adu, &err);
        if (adu)
            for (int s = 0; s < info->n_signals; s++)
                free(adu[s]);
        free(adu);
    }
    eo_ecgz_close(z);
    return 0;
}
