/* .ecgz container layout helpers (container.c). */
#ifndef EO_CODEC_CONTAINER_H
#define EO_CODEC_CONTAINER_H

#include "codec_internal.h"

#define EO_ECGZ_MAX_SIGNALS 256
#define EO_ECGZ_MAX_SAMPLES ((uint64_t)1 << 36)
#define EO_ECGZ_MAX_BLOCK_VALUES ((long long)1 << 26)
#define EO_CODEC_MAX_ERROR 1000

typedef struct eo_ecgz_parsed {
    eo_ecgz_info info;
    eo_wfdb_signal_info *signals;
    uint64_t *offset;
    uint32_t *length;
    size_t model_off, model_len; /* embedded model bytes (header flag 1) */
    char *comments;              /* header comment lines (header flag 4), info.comments */
} eo_ecgz_parsed;

/* header flags */
#define EO_ECGZ_FLAG_MODEL 1u /* an embedded-model section follows the header */
#define EO_ECGZ_FLAG_MIX 2u   /* lossless/bounded blocks use the mixing coder */
/* the header body ends with the rest of the source header: f64 counter_freq,
 * f64 base_counter, u32 n, n bytes of comment lines joined by '\n' */
#define EO_ECGZ_FLAG_COMMENTS 4u
#define EO_ECGZ_MAX_COMMENTS ((size_t)1 << 20)
/* embedded-model section framing: "EZMD" u32 length ... u32 CRC32 */
#define EO_ECGZ_MODEL_FRAMING 12
/* largest embedded model accepted (bytes) */
#define EO_ECGZ_MAX_MODEL ((size_t)1 << 30)

void eo_ecgz_write_header(eo_bytes *b, const eo_ecgz_info *info, const eo_wfdb_signal_info *sig);
/* The embedded-model section (after the header; info->model_embedded set). */
void eo_ecgz_write_model(eo_bytes *b, const unsigned char *model, size_t n);
void eo_ecgz_write_block(eo_bytes *b, uint32_t block_no, uint32_t n_frames,
                         const eo_bytes *payload, uint64_t *offset, uint32_t *length);
void eo_ecgz_write_index(eo_bytes *b, long n_blocks, const uint64_t *offset,
                         const uint32_t *length);

eo_status eo_ecgz_parse(const unsigned char *d, size_t len, const char *src, eo_ecgz_parsed *z,
                        eo_error *err);
void eo_ecgz_free_parsed(eo_ecgz_parsed *z);
/* Check block i (header fields against the index, CRC) and locate its payload. */
eo_status eo_ecgz_block_payload(const unsigned char *d, const eo_ecgz_parsed *z, long i,
                                const char *src, const unsigned char **payload, size_t *plen,
                                long *n_frames, eo_error *err);

#endif
