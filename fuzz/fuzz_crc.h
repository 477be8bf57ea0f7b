/* For the libFuzzer harnesses of checksummed files: when the input's last
 * byte is odd, its trailing CRC-32 (little-endian, over every byte before
 * it) is recomputed, so half of the inputs reach the parser behind the
 * checksum. */
#ifndef EO_FUZZ_CRC_H
#define EO_FUZZ_CRC_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/util.h"

static inline void eo_fuzz_fix_crc(unsigned char *d, size_t n, size_t min_n)
{
    if (n < min_n || n < 4 || !(d[n - 1] & 1))
        return;
    uint32_t c = eo_crc32(0, d, n - 4);
    for (int i = 0; i < 4; i++)
        d[n - 4 + (size_t)i] = (unsigned char)(c >> (8 * i));
}

#endif
