/* libFuzzer: the streaming QRS detector on arbitrary samples, options and
 * block sizes.  Byte 0 picks fs, byte 1 the rectifier, bytes 2-3 the block
 * length; the rest are int16 samples (0x8000 = invalid -> NaN).  Invariants:
 * no crash, beats strictly increasing and inside the signal, the same beats
 * streamed and in one call. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ecgopt/qrs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    static const double rates[] = {50, 128, 250, 360, 500, 1000, 44.0, 20000.0};
    eo_qrs_options o;
    eo_qrs_defaults(&o, rates[data[0] & 7]);
    o.squaring = data[1] & 1;
    o.baseline_check = (data[1] >> 1) & 1;
    size_t block = 1 + (((size_t)data[2] << 8 | data[3]) % 5000);
    size_t n = (size - 4) / 2;
    double *x = malloc((n ? n : 1) * sizeof(double));
    if (!x)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int16_t v = (int16_t)(data[4 + 2 * i] | data[5 + 2 * i] << 8);
        x[i] = v == INT16_MIN ? NAN : v / 200.0;
    }
    long *b = NULL;
    size_t nb = 0;
    eo_error err;
    if (eo_qrs_detect(x, n, &o, &b, &nb, &err) != EO_STATUS_OK) {
        free(x);
        return 0; /* rejected options (fs out of range) */
    }
    for (size_t i = 0; i < nb; i++) {
        if (b[i] < 0 || b[i] >= (long)n + 1 || (i > 0 && b[i] <= b[i - 1]))
            abort();
    }
    eo_qrs *q;
    if (eo_qrs_create(&o, &q, &err) == EO_STATUS_OK) {
        long *s = malloc((nb + 1) * sizeof(long));
        size_t ns = 0;
        for (size_t pos = 0; pos < n && s; pos += block) {
            size_t len = pos + block > n ? n - pos : block;
            if (eo_qrs_process(q, x + pos, len, &err) != EO_STATUS_OK)
                abort();
            ns += eo_qrs_take(q, s + ns, nb + 1 - ns);
        }
        if (s) {
            if (eo_qrs_finish(q, &err) != EO_STATUS_OK)
                abort();
            ns += eo_qrs_take(q, s + ns, nb + 1 - ns);
            if (ns != nb || (nb && memcmp(s, b, nb * sizeof(long)) != 0))
                abort();
        }
        free(s);
        eo_qrs_destroy(q);
    }
    free(b);
    free(x);
    return 0;
}
