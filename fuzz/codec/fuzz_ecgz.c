/* libFuzzer harness for the .ecgz reader and the block decoders: open the
 * bytes, then decode everything (when the header's sample count is modest)
 * and a span in the middle.  Inputs starting with "P!" or "W!" go straight
 * to the predictive / wavelet block decoders (CRCs would otherwise keep the
 * fuzzer away from them): byte 2 = signals, byte 3 = frames/8, byte 4 =
 * bound or step (P: bit 3 picks the mixing coder), the rest is the payload.  Seeds: fuzz/corpus/ecgz/. */
#include <stdint.h>
#include <stdlib.h>

#include "../../src/codec/codec_internal.h"
#include "ecgopt/codec.h"

static void fuzz_payload(const uint8_t *data, size_t size)
{
    int ns = 1 + data[2] % 3;
    long n = 1 + (long)data[3] * 8;
    int32_t *buf = malloc(sizeof(int32_t) * (size_t)(ns * n));
    if (!buf)
        return;
    int32_t *y[3] = {buf, buf + n, buf + 2 * n};
    if (data[0] == 'P') {
        (void)eo_pc_decode_block(data + 5, size - 5, ns, n, data[4] % 8, (data[4] >> 3) & 1, y);
    } else {
        eo_error err;
        (void)eo_wc_decode_block(data + 5, size - 5, ns, n, 0.25 + data[4], 1 + data[4] % 8, y,
                                 &err);
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size >= 5 && (data[0] == 'P' || data[0] == 'W') && data[1] == '!') {
        fuzz_payload(data, size);
        return 0;
    }
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
            eo_wfdb_record_destroy(r);
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
