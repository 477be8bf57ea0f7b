/* ecgopt io — internals shared by the WFDB source files (not public). */
#ifndef ECGOPT_IO_WFDB_INTERNAL_H
#define ECGOPT_IO_WFDB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ecgopt/wfdb.h"

/* 1 if `format` is a signal format this reader decodes (signal(5)). */
int eo_wfdb_format_known(int format);
/* Default ADC resolution (bits) of a format, as WFDB assigns when the header
 * gives 0 or nothing. */
int eo_wfdb_format_default_res(int format);
/* Bytes needed to hold n consecutive samples in `format` (a trailing
 * partial group takes only the bytes its samples need). */
int64_t eo_wfdb_format_bytes(int format, int64_t n);
/* Number of whole samples that `nbytes` bytes hold. */
int64_t eo_wfdb_format_samples(int format, int64_t nbytes);
/* Decode n samples starting at a group boundary (multiple of 2 samples for
 * 212, of 3 for 310/311) from buf into out, as the raw file values
 * (sign-extended; format 8 gives the 8-bit first differences; offset-binary
 * formats are re-centred).  buf must hold eo_wfdb_format_bytes(format, n). */
void eo_wfdb_decode(int format, const unsigned char *buf, int64_t n, int32_t *out);
/* Encode n samples (group boundary as above) into buf; values are clamped
 * to the format's range.  Returns bytes written. */
int64_t eo_wfdb_encode(int format, const int32_t *in, int64_t n, unsigned char *buf);
/* The raw value that means "invalid sample" in this format, or 0 if none
 * besides EO_WFDB_INVALID itself (formats 16, 61, 160, 24, 32). */
int32_t eo_wfdb_format_invalid(int format);

/* Duplicate a header (deep copy). */
eo_wfdb_header *eo_wfdb_header_dup(const eo_wfdb_header *h);
/* Allocate an empty header with n signals (zeroed, defaults set). */
eo_wfdb_header *eo_wfdb_header_alloc(int n_signals);

#endif
