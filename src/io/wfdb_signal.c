/* ecgopt io — WFDB signal file formats, as signal(5) defines them:
 *   8    8-bit first differences (sample = previous + d; starts at the
 *        header's initial value)
 *   16   16-bit two's complement, little-endian
 *   24   24-bit two's complement, little-endian;  32: 32-bit
 *   61   16-bit two's complement, big-endian
 *   80   8-bit offset binary (value + 128)
 *   160  16-bit offset binary (value + 32768)
 *   212  two 12-bit samples in 3 bytes: s0 = b0 | (b1 & 0x0f) << 8,
 *        s1 = b2 | (b1 & 0xf0) << 4
 *   310  three 10-bit samples in two little-endian 16-bit words w0, w1:
 *        s0 = bits 1-10 of w0, s1 = bits 1-10 of w1, s2 = bits 11-15 of w0
 *        (low) and of w1 (high)
 *   311  three 10-bit samples in one little-endian 32-bit word: bits 0-9,
 *        10-19, 20-29
 * Samples of all signals in a file are interleaved frame by frame; the
 * bit-packed formats pack that sequence regardless of signal boundaries. */
#include <string.h>

#include "io/wfdb_internal.h"

static inline int32_t sext(uint32_t v, int bits)
{
    uint32_t m = 1u << (bits - 1);
    v &= (bits == 32) ? 0xffffffffu : ((1u << bits) - 1);
    return (int32_t)((v ^ m) - m);
}

int64_t eo_wfdb_format_bytes(int f, int64_t n)
{
    switch (f) {
    case 0: return 0;
    case 8: case 80: return n;
    case 16: case 61: case 160: return 2 * n;
    case 24: return 3 * n;
    case 32: return 4 * n;
    case 212: return (n / 2) * 3 + (n % 2 ? 2 : 0);
    case 310: return (n / 3) * 4 + (n % 3 == 1 ? 2 : n % 3 == 2 ? 4 : 0);
    case 311: return (n / 3) * 4 + (n % 3 == 1 ? 2 : n % 3 == 2 ? 3 : 0);
    default: return -1;
    }
}

int64_t eo_wfdb_format_samples(int f, int64_t b)
{
    switch (f) {
    case 8: case 80: return b;
    case 16: case 61: case 160: return b / 2;
    case 24: return b / 3;
    case 32: return b / 4;
    case 212: return (b / 3) * 2 + (b % 3 >= 2 ? 1 : 0);
    case 310: return (b / 4) * 3 + (b % 4 >= 2 ? 1 : 0);
    case 311: return (b / 4) * 3 + (b % 4 == 2 ? 1 : b % 4 == 3 ? 2 : 0);
    default: return 0;
    }
}

int32_t eo_wfdb_format_invalid(int f)
{
    /* WFDB maps the most negative code of a format to WFDB_INVALID_SAMPLE */
    switch (f) {
    case 80: return -128;
    case 212: return -2048;
    case 310: case 311: return -512;
    default: return 0;
    }
}

void eo_wfdb_decode(int f, const unsigned char *b, int64_t n, int32_t *o)
{
    int64_t i = 0;
    switch (f) {
    case 8:
        for (; i < n; i++)
            o[i] = (int8_t)b[i];
        break;
    case 80:
        for (; i < n; i++)
            o[i] = (int32_t)b[i] - 128;
        break;
    case 16:
        for (; i < n; i++)
            o[i] = (int16_t)(uint16_t)(b[2 * i] | (b[2 * i + 1] << 8));
        break;
    case 61:
        for (; i < n; i++)
            o[i] = (int16_t)(uint16_t)((b[2 * i] << 8) | b[2 * i + 1]);
        break;
    case 160:
        for (; i < n; i++)
            o[i] = (int32_t)(b[2 * i] | (b[2 * i + 1] << 8)) - 32768;
        break;
    case 24:
        for (; i < n; i++)
            o[i] = sext((uint32_t)b[3 * i] | ((uint32_t)b[3 * i + 1] << 8) |
                            ((uint32_t)b[3 * i + 2] << 16), 24);
        break;
    case 32:
        for (; i < n; i++)
            o[i] = (int32_t)((uint32_t)b[4 * i] | ((uint32_t)b[4 * i + 1] << 8) |
                             ((uint32_t)b[4 * i + 2] << 16) | ((uint32_t)b[4 * i + 3] << 24));
        break;
    case 212: {
        int64_t np = n / 2;
        for (int64_t k = 0; k < np; k++, b += 3) {
            o[2 * k] = sext((uint32_t)b[0] | ((uint32_t)(b[1] & 0x0f) << 8), 12);
            o[2 * k + 1] = sext((uint32_t)b[2] | ((uint32_t)(b[1] & 0xf0) << 4), 12);
        }
        if (n % 2)
            o[n - 1] = sext((uint32_t)b[0] | ((uint32_t)(b[1] & 0x0f) << 8), 12);
        break;
    }
    case 310: {
        int64_t nt = n / 3, r = n % 3;
        for (int64_t k = 0; k < nt; k++, b += 4) {
            uint32_t w0 = (uint32_t)b[0] | ((uint32_t)b[1] << 8);
            uint32_t w1 = (uint32_t)b[2] | ((uint32_t)b[3] << 8);
            o[3 * k] = sext(w0 >> 1, 10);
            o[3 * k + 1] = sext(w1 >> 1, 10);
            o[3 * k + 2] = sext((w0 >> 11) | ((w1 >> 11) << 5), 10);
        }
        if (r >= 1)
            o[3 * nt] = sext(((uint32_t)b[0] | ((uint32_t)b[1] << 8)) >> 1, 10);
        if (r == 2)
            o[3 * nt + 1] = sext(((uint32_t)b[2] | ((uint32_t)b[3] << 8)) >> 1, 10);
        break;
    }
    case 311: {
        int64_t nt = n / 3, r = n % 3;
        for (int64_t k = 0; k < nt; k++, b += 4) {
            uint32_t w = (uint32_t)b[0] | ((uint32_t)b[1] << 8) | ((uint32_t)b[2] << 16) |
                         ((uint32_t)b[3] << 24);
            o[3 * k] = sext(w, 10);
            o[3 * k + 1] = sext(w >> 10, 10);
            o[3 * k + 2] = sext(w >> 20, 10);
        }
        if (r >= 1)
            o[3 * nt] = sext((uint32_t)b[0] | ((uint32_t)b[1] << 8), 10);
        if (r == 2)
            o[3 * nt + 1] = sext(((uint32_t)b[1] >> 2) | ((uint32_t)b[2] << 6), 10);
        break;
    }
    default:
        for (; i < n; i++)
            o[i] = EO_WFDB_INVALID;
        break;
    }
}

static inline int32_t clampi(int32_t v, int32_t lo, int32_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int64_t eo_wfdb_encode(int f, const int32_t *in, int64_t n, unsigned char *b)
{
    unsigned char *b0 = b;
    switch (f) {
    case 8: /* caller passes first differences */
        for (int64_t i = 0; i < n; i++)
            *b++ = (unsigned char)(int8_t)clampi(in[i], -128, 127);
        break;
    case 80:
        for (int64_t i = 0; i < n; i++)
            *b++ = (unsigned char)(clampi(in[i], -128, 127) + 128);
        break;
    case 16:
        for (int64_t i = 0; i < n; i++) {
            uint16_t v = (uint16_t)(int16_t)clampi(in[i], -32768, 32767);
            *b++ = (unsigned char)(v & 0xff);
            *b++ = (unsigned char)(v >> 8);
        }
        break;
    case 61:
        for (int64_t i = 0; i < n; i++) {
            uint16_t v = (uint16_t)(int16_t)clampi(in[i], -32768, 32767);
            *b++ = (unsigned char)(v >> 8);
            *b++ = (unsigned char)(v & 0xff);
        }
        break;
    case 160:
        for (int64_t i = 0; i < n; i++) {
            uint16_t v = (uint16_t)(clampi(in[i], -32768, 32767) + 32768);
            *b++ = (unsigned char)(v & 0xff);
            *b++ = (unsigned char)(v >> 8);
        }
        break;
    case 24:
        for (int64_t i = 0; i < n; i++) {
            uint32_t v = (uint32_t)clampi(in[i], -8388608, 8388607);
            *b++ = (unsigned char)v;
            *b++ = (unsigned char)(v >> 8);
            *b++ = (unsigned char)(v >> 16);
        }
        break;
    case 32:
        for (int64_t i = 0; i < n; i++) {
            uint32_t v = (uint32_t)in[i];
            *b++ = (unsigned char)v;
            *b++ = (unsigned char)(v >> 8);
            *b++ = (unsigned char)(v >> 16);
            *b++ = (unsigned char)(v >> 24);
        }
        break;
    case 212:
        for (int64_t i = 0; i < n; i += 2) {
            uint32_t s0 = (uint32_t)clampi(in[i], -2048, 2047) & 0xfff;
            uint32_t s1 = i + 1 < n ? (uint32_t)clampi(in[i + 1], -2048, 2047) & 0xfff : 0;
            *b++ = (unsigned char)(s0 & 0xff);
            *b++ = (unsigned char)(((s0 >> 8) & 0x0f) | ((s1 >> 4) & 0xf0));
            if (i + 1 < n)
                *b++ = (unsigned char)(s1 & 0xff);
        }
        break;
    case 310:
        for (int64_t i = 0; i < n; i += 3) {
            uint32_t s0 = (uint32_t)clampi(in[i], -512, 511) & 0x3ff;
            uint32_t s1 = i + 1 < n ? (uint32_t)clampi(in[i + 1], -512, 511) & 0x3ff : 0;
            uint32_t s2 = i + 2 < n ? (uint32_t)clampi(in[i + 2], -512, 511) & 0x3ff : 0;
            uint32_t w0 = (s0 << 1) | ((s2 & 0x1f) << 11);
            uint32_t w1 = (s1 << 1) | ((s2 >> 5) << 11);
            *b++ = (unsigned char)w0;
            *b++ = (unsigned char)(w0 >> 8);
            if (i + 1 < n) {
                *b++ = (unsigned char)w1;
                *b++ = (unsigned char)(w1 >> 8);
            }
        }
        break;
    case 311:
        for (int64_t i = 0; i < n; i += 3) {
            uint32_t s0 = (uint32_t)clampi(in[i], -512, 511) & 0x3ff;
            uint32_t s1 = i + 1 < n ? (uint32_t)clampi(in[i + 1], -512, 511) & 0x3ff : 0;
            uint32_t s2 = i + 2 < n ? (uint32_t)clampi(in[i + 2], -512, 511) & 0x3ff : 0;
            uint32_t w = s0 | (s1 << 10) | (s2 << 20);
            int nb = i + 2 < n ? 4 : i + 1 < n ? 3 : 2;
            for (int k = 0; k < nb; k++)
                *b++ = (unsigned char)(w >> (8 * k));
        }
        break;
    default:
        break;
    }
    return (int64_t)(b - b0);
}
